//! `transactions.csv`: the ledger, append-only.
//!
//! Amounts are written as a statement prints them: charges, payments, write-offs, write-ons and
//! refunds as a positive amount, the kind deciding which way it moves the balance. A negative
//! amount of those kinds is refused (a returned Direct Debit is a reversal, not a negative
//! payment) unless the config's `[codes.negative_transactions]` says what kind a negative amount
//! of that code is. Adjustments and reversals, which can go either way, are written as their
//! effect on the balance: positive raises what is owed.

use super::{Record, Sourced, date, iso, named, plain};
use crate::domain::Money;
use crate::domain::codes::CodeMaps;
use crate::domain::ledger::{self, Direction, EntryKind, PaymentMethod};
use crate::extract::file::Row;
use crate::extract::{FileSpec, TRANSACTIONS};
use chrono::NaiveDate;
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionRow {
    pub id: String,
    /// The account's id in the source system (`accounts.csv`).
    pub account: String,
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub method: Option<PaymentMethod>,
    /// Effect on the balance: positive raises what is owed.
    pub amount: Money,
    pub description: String,
    /// For a reversal: the id of the transaction it undoes.
    pub reverses: Option<String>,
}

impl Record for TransactionRow {
    const SPEC: &'static FileSpec = &TRANSACTIONS;

    fn read(row: &mut Row<'_>, codes: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let account = row.required("account");
        let date = row.parse("date", date);
        let kind = row.parse("kind", |code| {
            codes.transaction(code).ok_or_else(|| {
                let kinds: Vec<&str> = EntryKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "`{code}` is not a known transaction kind: map it under [codes.transactions] \
                     in the config, or use one of {}",
                    kinds.join(", ")
                )
            })
        });
        let method = row.optional("method", named);
        let amount = row.parse("amount", super::money);
        let reverses = row.text("reverses");
        let (kind, amount) = (kind?, amount?);
        let (kind, signed) = match kind.direction() {
            Direction::Debit | Direction::Credit if amount.is_negative() => {
                let code = row.text("kind");
                // What the housing system meant: the effect of its own kind, the other way.
                let effect = if kind.direction() == Direction::Credit {
                    -amount
                } else {
                    amount
                };
                match codes.negative_transaction(code) {
                    Some(mapped) => (mapped, effect),
                    None => {
                        row.problem(Some("amount"), negative(kind, code, amount));
                        return None;
                    }
                }
            }
            _ => (kind, kind.signed(amount)),
        };
        // Zero and wrong-way amounts; a reversal's match with what it undoes is checked once
        // references are resolved.
        if let Err(e) = ledger::validate(kind, signed, Some(-signed)) {
            row.problem(Some("amount"), e.to_string());
        }
        match (kind, reverses.is_empty()) {
            (EntryKind::Reversal, true) => row.problem(
                Some("reverses"),
                "a reversal must name the transaction it undoes",
            ),
            (EntryKind::Reversal, false) | (_, true) => {}
            (_, false) => row.problem(
                Some("reverses"),
                format!("only a reversal undoes another transaction, not a {kind}"),
            ),
        }
        let entry = TransactionRow {
            id: id?.to_string(),
            account: account?.to_string(),
            date: date?,
            kind,
            method: method?,
            amount: signed,
            description: row.text("description").to_string(),
            reverses: (!reverses.is_empty()).then(|| reverses.to_string()),
        };
        row.ok().then_some(entry)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        let written = match self.kind.direction() {
            Direction::Either => self.amount,
            Direction::Debit | Direction::Credit => self.amount.abs(),
        };
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.account),
            iso(self.date),
            Cow::Borrowed(self.kind.as_str()),
            Cow::Borrowed(self.method.map_or("", PaymentMethod::as_str)),
            Cow::Owned(plain(written)),
            Cow::Borrowed(&self.description),
            Cow::Borrowed(self.reverses.as_deref().unwrap_or("")),
        ]
    }
}

/// Why a negative amount of a one-way kind is refused, and what to write instead.
fn negative(kind: EntryKind, code: &str, amount: Money) -> String {
    let instead = match kind {
        EntryKind::Payment => {
            "a returned Direct Debit is a `reversal` of the payment it undoes (its id in \
             `reverses`), and so is a recalled payment"
        }
        EntryKind::Charge => {
            "a rebate is an `adjustment` (negative lowers what is owed), a charge made in error a \
             `reversal` of it"
        }
        _ => "a correction is a `reversal` of the entry it undoes, or an `adjustment`",
    };
    format!(
        "`{}` is negative, but a {} is written as a positive amount: {instead}; if your system \
         writes these negative, say what they are under [codes.negative_transactions] in the \
         config (e.g. \"{}\" = \"adjustment\")",
        super::plain(amount),
        kind.label().to_lowercase(),
        super::super::file::shown(code)
    )
}

impl Sourced for TransactionRow {
    fn id(&self) -> &str {
        &self.id
    }

    fn tenancy(&self) -> Option<&str> {
        None
    }
}
