//! The ledger is the truth: dated entries whose signed amounts sum to the balance.
//!
//! Every entry's `amount` is its *effect on the balance*: positive raises what is owed (a charge, a
//! refund paid out, a written-off debt reinstated), negative lowers it (a payment, a write-off).
//! Balance = charges − credits, so a positive balance is arrears and a negative one is credit.

use super::money::Money;
use chrono::NaiveDate;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored, canonical spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// How an officer reads it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// What a ledger entry is.
    EntryKind {
        Charge = "charge" / "Charge",
        Payment = "payment" / "Payment",
        Adjustment = "adjustment" / "Adjustment",
        WriteOff = "write_off" / "Write-off",
        WriteOn = "write_on" / "Write-on",
        Refund = "refund" / "Refund",
        Reversal = "reversal" / "Reversal",
    }
}

text_enum! {
    /// How a payment arrived.
    PaymentMethod {
        DirectDebit = "direct_debit" / "Direct Debit",
        StandingOrder = "standing_order" / "Standing order",
        Card = "card" / "Card",
        Cash = "cash" / "Cash",
        UcDirect = "uc_direct" / "UC direct",
        HousingBenefit = "hb" / "Housing Benefit",
        Dhp = "dhp" / "DHP",
        Other = "other" / "Other",
    }
}

/// Which way an entry of a kind may move the balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Debit,
    Credit,
    Either,
}

impl EntryKind {
    pub fn direction(self) -> Direction {
        match self {
            EntryKind::Charge | EntryKind::WriteOn | EntryKind::Refund => Direction::Debit,
            EntryKind::Payment | EntryKind::WriteOff => Direction::Credit,
            EntryKind::Adjustment | EntryKind::Reversal => Direction::Either,
        }
    }

    /// Turns an amount as written on a statement (always positive for charges and payments) into
    /// its effect on the balance.
    pub fn signed(self, amount: Money) -> Money {
        match self.direction() {
            Direction::Credit => -amount.abs(),
            Direction::Debit => amount.abs(),
            Direction::Either => amount,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("a {kind} of £0.00 records nothing")]
    Zero { kind: EntryKind },
    #[error("a {kind} must {} the balance", if *.raises { "raise" } else { "lower" })]
    WrongSign { kind: EntryKind, raises: bool },
    #[error("a reversal must name the entry it undoes")]
    ReversalWithoutTarget,
    #[error("a reversal must be exactly the opposite of the entry it undoes ({expected})")]
    ReversalAmount { expected: Money },
}

/// Checks that a signed amount suits its kind; `reversed` is the amount of the entry a reversal undoes.
pub fn validate(kind: EntryKind, amount: Money, reversed: Option<Money>) -> Result<(), EntryError> {
    if amount.is_zero() {
        return Err(EntryError::Zero { kind });
    }
    match (kind.direction(), kind) {
        (Direction::Debit, _) if amount.is_negative() => {
            Err(EntryError::WrongSign { kind, raises: true })
        }
        (Direction::Credit, _) if amount.is_positive() => Err(EntryError::WrongSign {
            kind,
            raises: false,
        }),
        (_, EntryKind::Reversal) => match reversed {
            None => Err(EntryError::ReversalWithoutTarget),
            Some(original) if amount != -original => Err(EntryError::ReversalAmount {
                expected: -original,
            }),
            Some(_) => Ok(()),
        },
        _ => Ok(()),
    }
}

/// A ledger entry as the screens and rules see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub method: Option<PaymentMethod>,
    /// Effect on the balance (see the module note).
    pub amount: Money,
    pub description: String,
}

impl Entry {
    /// The amount received, for a payment (positive), else zero.
    pub fn received(&self) -> Money {
        if self.kind == EntryKind::Payment {
            -self.amount
        } else {
            Money::ZERO
        }
    }
}

pub fn balance<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Money {
    entries.into_iter().map(|e| e.amount).sum()
}

/// Running balances for entries listed newest first, given the balance after the newest:
/// each value is the balance just after that entry.
pub fn running_newest_first(current: Money, newest_first: &[Entry]) -> Vec<Money> {
    let mut after = current;
    newest_first
        .iter()
        .map(|e| {
            let this = after;
            after -= e.amount;
            this
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, kind: EntryKind, pence: i64) -> Entry {
        Entry {
            id,
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            kind,
            method: None,
            amount: Money::from_pence(pence),
            description: String::new(),
        }
    }

    #[test]
    fn balance_is_charges_less_credits() {
        let entries = [
            entry(1, EntryKind::Charge, 10_000),
            entry(2, EntryKind::Payment, -6_000),
            entry(3, EntryKind::WriteOff, -1_000),
            entry(4, EntryKind::Refund, 500),
        ];
        assert_eq!(balance(&entries), Money::from_pence(3_500));
        assert_eq!(entries[1].received(), Money::from_pence(6_000));
        assert_eq!(entries[0].received(), Money::ZERO);
    }

    #[test]
    fn running_balance_walks_back_from_current() {
        let newest_first = [
            entry(3, EntryKind::Payment, -6_000),
            entry(2, EntryKind::Charge, 10_000),
        ];
        let run = running_newest_first(Money::from_pence(4_000), &newest_first);
        assert_eq!(
            run,
            vec![Money::from_pence(4_000), Money::from_pence(10_000)]
        );
    }

    #[test]
    fn kinds_fix_the_sign() {
        let m = Money::from_pence;
        assert_eq!(EntryKind::Payment.signed(m(500)), m(-500));
        assert_eq!(EntryKind::Charge.signed(m(-500)), m(500));
        assert_eq!(EntryKind::Adjustment.signed(m(-500)), m(-500));
        assert!(validate(EntryKind::Charge, m(100), None).is_ok());
        assert!(validate(EntryKind::Payment, m(100), None).is_err());
        assert!(validate(EntryKind::WriteOn, m(-100), None).is_err());
        assert!(validate(EntryKind::Adjustment, m(0), None).is_err());
        assert!(validate(EntryKind::Reversal, m(100), None).is_err());
        assert!(validate(EntryKind::Reversal, m(100), Some(m(-100))).is_ok());
        assert_eq!(
            validate(EntryKind::Reversal, m(90), Some(m(-100))),
            Err(EntryError::ReversalAmount { expected: m(100) })
        );
    }

    #[test]
    fn text_forms_round_trip() {
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(*k));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(*m));
        }
        assert_eq!(EntryKind::parse("bogus"), None);
    }
}
