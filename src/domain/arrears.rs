//! Arrears as the policy sees them.
//!
//! - **Collectable arrears** = balance less this rent week's charge, which is not yet overdue.
//! - The default policy gives a **one-week grace**: `grace = max(0, weekly charge − payments this week)`.
//! - **Effective arrears** = collectable − grace.

use super::dates::week_start;
use super::money::Money;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// The running totals kept for each account as its ledger grows: the balance, the last payment,
/// and what was charged and received in the latest week that had a charge or a payment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccountSummary {
    pub balance: Money,
    pub last_payment: Option<NaiveDate>,
    /// Monday of the latest rent week with a payment, and the amount received in it.
    pub pay_week: Option<NaiveDate>,
    pub pay_week_total: Money,
    /// Monday of the latest rent week with a charge, and the amount charged in it.
    pub charge_week: Option<NaiveDate>,
    pub charge_week_total: Money,
}

impl AccountSummary {
    /// Where the account stands in the rent week holding `today`.
    pub fn position(&self, weekly_charge: Money, today: NaiveDate) -> WeekPosition {
        let this_week = Some(week_start(today));
        let in_this_week = |week: Option<NaiveDate>, total: Money| {
            if week == this_week {
                total
            } else {
                Money::ZERO
            }
        };
        WeekPosition {
            balance: self.balance,
            weekly_charge,
            charged_this_week: in_this_week(self.charge_week, self.charge_week_total),
            paid_this_week: in_this_week(self.pay_week, self.pay_week_total),
        }
    }

    /// Whole days since the last payment, if there was one.
    pub fn days_since_payment(&self, today: NaiveDate) -> Option<i64> {
        self.last_payment.map(|d| (today - d).num_days())
    }
}

/// What the ledger says about one account in the current rent week.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WeekPosition {
    /// Balance now (positive = arrears).
    pub balance: Money,
    /// The weekly charge of the tenancy.
    pub weekly_charge: Money,
    /// Charges debited so far in this rent week (usually Monday's rent).
    pub charged_this_week: Money,
    /// Amount received this rent week (positive).
    pub paid_this_week: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrears {
    pub balance: Money,
    pub collectable: Money,
    pub grace: Money,
    pub effective: Money,
}

impl WeekPosition {
    /// `with_grace` is the policy's one-week grace (on by default).
    pub fn arrears(self, with_grace: bool) -> Arrears {
        let collectable = self.balance - self.charged_this_week;
        let grace = if with_grace {
            (self.weekly_charge - self.paid_this_week).max(Money::ZERO)
        } else {
            Money::ZERO
        };
        Arrears {
            balance: self.balance,
            collectable,
            grace,
            effective: collectable - grace,
        }
    }
}

/// Arrears expressed in weeks of the weekly charge, rounded to one decimal place (halves away
/// from zero: 20.75 weeks is 20.8) (`None` when there is no weekly charge, e.g. a former tenancy
/// or a garage-only debt). The rules compare money, never these rounded weeks.
pub fn weeks(arrears: Money, weekly_charge: Money) -> Option<Decimal> {
    (weekly_charge.is_positive()).then(|| {
        (arrears.decimal() / weekly_charge.decimal())
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pence: i64) -> Money {
        Money::from_pence(pence)
    }

    fn position(balance: i64, charged: i64, paid: i64) -> WeekPosition {
        WeekPosition {
            balance: m(balance),
            weekly_charge: m(10_000),
            charged_this_week: m(charged),
            paid_this_week: m(paid),
        }
    }

    #[test]
    fn this_weeks_charge_is_not_yet_collectable() {
        // £150 owed from before plus Monday's £100 charge.
        let a = position(25_000, 10_000, 0).arrears(true);
        assert_eq!(a.collectable, m(15_000));
        assert_eq!(a.grace, m(10_000));
        assert_eq!(a.effective, m(5_000));
    }

    #[test]
    fn paying_this_week_uses_up_the_grace_not_the_arrears() {
        let a = position(15_000, 10_000, 10_000).arrears(true);
        assert_eq!(a.collectable, m(5_000));
        assert_eq!(a.grace, m(0));
        assert_eq!(a.effective, m(5_000));
        // Paying more than a week's rent cannot make the grace negative.
        let b = position(5_000, 10_000, 20_000).arrears(true);
        assert_eq!(b.grace, m(0));
        assert_eq!(b.effective, m(-5_000));
    }

    #[test]
    fn grace_can_be_switched_off_and_no_charge_yet_this_week() {
        let a = position(25_000, 0, 0).arrears(false);
        assert_eq!(a.collectable, m(25_000));
        assert_eq!(a.effective, m(25_000));
    }

    #[test]
    fn summary_counts_only_the_current_week() {
        let d = |s| crate::domain::dates::parse_date(s).unwrap();
        let summary = AccountSummary {
            balance: m(25_000),
            last_payment: Some(d("2026-11-24")),
            pay_week: Some(d("2026-11-23")),
            pay_week_total: m(4_000),
            charge_week: Some(d("2026-11-23")),
            charge_week_total: m(10_000),
        };
        let now = summary.position(m(10_000), d("2026-11-29"));
        assert_eq!(
            (now.charged_this_week, now.paid_this_week),
            (m(10_000), m(4_000))
        );
        let next_week = summary.position(m(10_000), d("2026-11-30"));
        assert_eq!(
            (next_week.charged_this_week, next_week.paid_this_week),
            (m(0), m(0))
        );
        assert_eq!(summary.days_since_payment(d("2026-11-30")), Some(6));
    }

    #[test]
    fn weeks_of_arrears() {
        assert_eq!(weeks(m(45_000), m(10_000)), Some(Decimal::new(45, 1)));
        assert_eq!(weeks(m(10_001), m(30_000)), Some(Decimal::new(3, 1)));
        assert_eq!(weeks(m(-5_000), m(10_000)), Some(Decimal::new(-5, 1)));
        // Rounded to one place, halves away from zero: 20.75 weeks reads 20.8, not 20.7.
        assert_eq!(weeks(m(207_500), m(10_000)), Some(Decimal::new(208, 1)));
        assert_eq!(weeks(m(207_499), m(10_000)), Some(Decimal::new(207, 1)));
        assert_eq!(weeks(m(-7_500), m(10_000)), Some(Decimal::new(-8, 1)));
        assert_eq!(weeks(m(39_999), m(10_000)), Some(Decimal::new(40, 1)));
        assert_eq!(weeks(m(5_000), m(0)), None);
    }
}
