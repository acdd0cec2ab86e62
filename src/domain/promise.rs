//! Promises to pay: "£50 by Friday", or a series ("£20 every Friday for 4 weeks").
//!
//! A promise is **kept** when the payments received from the moment it was made up to its date
//! plus the tolerance (config, default 1 day) cover it, and **broken** once that day has passed
//! without them; until then it is **pending**. In a series each promise is judged on the running
//! total: the third £20 is kept when £60 has come in since the series was agreed.

use super::Money;
use super::dates::{self, short, uk};
use chrono::{Days, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromiseState {
    Pending,
    Kept,
    Broken,
}

impl PromiseState {
    pub fn label(self) -> &'static str {
        match self {
            PromiseState::Pending => "pending",
            PromiseState::Kept => "kept",
            PromiseState::Broken => "broken",
        }
    }
}

/// How promises are judged: a payment counts up to `tolerance_days` after a promise's date, and
/// promises are judged as they stand on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judging {
    pub tolerance_days: u32,
    pub today: NaiveDate,
}

/// How long a broken promise is chased before it is old news.
pub const CHASED_FOR_DAYS: u64 = 28;

impl Judging {
    /// The earliest last due date a series can have and still matter to the queue: pending, or
    /// broken recently enough to chase. Older series are history only.
    pub fn horizon(self) -> NaiveDate {
        self.today - chrono::Days::new(CHASED_FOR_DAYS + u64::from(self.tolerance_days))
    }
}

/// One promise as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Promise {
    pub amount: Money,
    pub due: NaiveDate,
    /// For a promise in a series: what the series promised up to and including this one.
    pub cumulative: Money,
    /// The day it was made: payments before it do not count.
    pub made: NaiveDate,
}

impl Promise {
    /// The last day a payment still counts.
    pub fn deadline(&self, tolerance_days: u32) -> NaiveDate {
        self.due + Days::new(u64::from(tolerance_days))
    }

    /// `received` is what was paid from `made` to the deadline (or to today, if earlier).
    pub fn judged(&self, received: Money, by: Judging) -> PromiseState {
        self.state(received, by.today, by.tolerance_days)
    }

    pub fn state(&self, received: Money, today: NaiveDate, tolerance_days: u32) -> PromiseState {
        if received >= self.cumulative {
            PromiseState::Kept
        } else if today > self.deadline(tolerance_days) {
            PromiseState::Broken
        } else {
            PromiseState::Pending
        }
    }

    /// What the queue says of a broken promise: "promised £50 by Fri 20 Nov, paid £0".
    pub fn broken_reason(&self, received: Money) -> String {
        let paid_towards = (received - (self.cumulative - self.amount))
            .max(Money::ZERO)
            .min(self.amount);
        format!(
            "promised {} by {}, paid {paid_towards}",
            self.amount,
            short(self.due)
        )
    }

    /// "£20 on 27/11/2026"
    pub fn describe(&self) -> String {
        format!("{} by {}", self.amount, uk(self.due))
    }
}

/// Where a series of promises stands: its first broken promise, else its next one due, else its
/// last (all kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub promise: Promise,
    pub received: Money,
    pub state: PromiseState,
}

impl Standing {
    /// The queue's words for it: "Broken promise: promised £50.00 by Fri 20 Nov, paid £0.00".
    pub fn describe(&self) -> String {
        match self.state {
            PromiseState::Broken => format!(
                "Broken promise: {}",
                self.promise.broken_reason(self.received)
            ),
            PromiseState::Pending => format!(
                "Promised {} by {}",
                self.promise.amount,
                short(self.promise.due)
            ),
            PromiseState::Kept => format!(
                "Promise of {} by {} kept",
                self.promise.amount,
                short(self.promise.due)
            ),
        }
    }
}

/// `series` is each promise (in date order) with what was paid towards it.
pub fn standing(series: &[(Promise, Money)], by: Judging) -> Option<Standing> {
    let judged = series.iter().map(|(promise, received)| Standing {
        promise: *promise,
        received: *received,
        state: promise.judged(*received, by),
    });
    let mut last = None;
    let mut next = None;
    for s in judged {
        match s.state {
            PromiseState::Broken => return Some(s),
            PromiseState::Pending => next = next.or(Some(s)),
            PromiseState::Kept => {}
        }
        last = Some(s);
    }
    next.or(last)
}

/// The promises of a series: `count` payments of `amount`, `every` days apart from `first`.
pub fn series(
    amount: Money,
    first: NaiveDate,
    every_days: u32,
    count: u32,
    made: NaiveDate,
) -> Vec<Promise> {
    dated(amount, count, made, |i| {
        first + Days::new(u64::from(i) * u64::from(every_days))
    })
}

/// A monthly series (paid when Universal Credit or wages come in): the same day each month, or
/// the month's last day when it is shorter.
pub fn monthly_series(
    amount: Money,
    first: NaiveDate,
    count: u32,
    made: NaiveDate,
) -> Vec<Promise> {
    dated(amount, count, made, |i| dates::add_months(first, i))
}

fn dated(
    amount: Money,
    count: u32,
    made: NaiveDate,
    due: impl Fn(u32) -> NaiveDate,
) -> Vec<Promise> {
    (0..count)
        .map(|i| Promise {
            amount,
            due: due(i),
            cumulative: Money::from_pence(amount.pence() * i64::from(i + 1)),
            made,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn fifty_by_friday() -> Promise {
        series(Money::pounds(50), d("2026-11-20"), 7, 1, d("2026-11-16"))[0]
    }

    #[test]
    fn a_monthly_series_keeps_its_day_or_the_months_last() {
        let s = monthly_series(Money::pounds(100), d("2027-01-31"), 3, d("2027-01-20"));
        let due: Vec<NaiveDate> = s.iter().map(|p| p.due).collect();
        assert_eq!(due, [d("2027-01-31"), d("2027-02-28"), d("2027-03-31")]);
        assert_eq!(s[2].cumulative, Money::pounds(300));
    }

    #[test]
    fn paid_on_the_date_is_kept() {
        let p = fifty_by_friday();
        assert_eq!(
            p.state(Money::pounds(50), d("2026-11-20"), 1),
            PromiseState::Kept
        );
        assert_eq!(
            p.state(Money::pounds(60), d("2026-11-30"), 1),
            PromiseState::Kept
        );
    }

    #[test]
    fn a_day_late_is_within_tolerance_two_days_late_is_broken() {
        let p = fifty_by_friday();
        assert_eq!(
            p.state(Money::ZERO, d("2026-11-21"), 1),
            PromiseState::Pending
        );
        assert_eq!(
            p.state(Money::ZERO, d("2026-11-22"), 1),
            PromiseState::Broken
        );
        assert_eq!(
            p.state(Money::ZERO, d("2026-11-22"), 2),
            PromiseState::Pending
        );
        assert_eq!(p.deadline(1), d("2026-11-21"));
    }

    #[test]
    fn part_payment_is_broken_and_says_how_much() {
        let p = fifty_by_friday();
        assert_eq!(
            p.state(Money::pounds(30), d("2026-11-23"), 1),
            PromiseState::Broken
        );
        assert_eq!(
            p.broken_reason(Money::pounds(30)),
            "promised £50.00 by Fri 20 Nov, paid £30.00"
        );
        assert_eq!(
            p.broken_reason(Money::ZERO),
            "promised £50.00 by Fri 20 Nov, paid £0.00"
        );
    }

    #[test]
    fn a_series_is_judged_on_the_running_total() {
        let s = series(Money::pounds(20), d("2026-11-06"), 7, 4, d("2026-11-02"));
        assert_eq!(
            s.iter().map(|p| p.due).collect::<Vec<_>>(),
            [
                d("2026-11-06"),
                d("2026-11-13"),
                d("2026-11-20"),
                d("2026-11-27")
            ]
        );
        // £40 came in by the 20th: the first two are kept, the third broken.
        let today = d("2026-11-23");
        let states: Vec<PromiseState> = s
            .iter()
            .map(|p| p.state(Money::pounds(40), today, 1))
            .collect();
        use PromiseState::*;
        assert_eq!(states, [Kept, Kept, Broken, Pending]);
        assert_eq!(
            s[2].broken_reason(Money::pounds(40)),
            "promised £20.00 by Fri 20 Nov, paid £0.00"
        );
    }

    #[test]
    fn a_series_stands_at_its_first_broken_or_next_due_promise() {
        let s = series(Money::pounds(20), d("2026-11-06"), 7, 4, d("2026-11-02"));
        let by = |today| Judging {
            tolerance_days: 1,
            today: d(today),
        };
        let paid = |amounts: [i64; 4]| -> Vec<(Promise, Money)> {
            s.iter()
                .zip(amounts)
                .map(|(p, a)| (*p, Money::pounds(a)))
                .collect()
        };
        let broken = standing(&paid([20, 40, 40, 40]), by("2026-11-23")).unwrap();
        assert_eq!(
            (broken.state, broken.promise.due),
            (PromiseState::Broken, d("2026-11-20"))
        );
        assert_eq!(
            broken.describe(),
            "Broken promise: promised £20.00 by Fri 20 Nov, paid £0.00"
        );
        let pending = standing(&paid([20, 40, 40, 40]), by("2026-11-16")).unwrap();
        assert_eq!(pending.describe(), "Promised £20.00 by Fri 20 Nov");
        let kept = standing(&paid([20, 40, 60, 80]), by("2026-12-01")).unwrap();
        assert_eq!(
            (kept.state, kept.promise.due),
            (PromiseState::Kept, d("2026-11-27"))
        );
        assert_eq!(standing(&[], by("2026-12-01")), None);
    }
}
