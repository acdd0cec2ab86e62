//! The breach check: is a plan being kept, judged from the account balance alone.
//!
//! DOMAIN.md, with the tolerance from the config (default 5 days):
//! `expected = starting balance − lump sum (once its date + tolerance has come) − n × instalment`,
//! never below zero, where `n` counts the instalments whose due date + tolerance has come. For
//! weekly, fortnightly and four-weekly plans that is "whole periods since start + tolerance, plus
//! one"; for monthly (and one-off) plans each calendar-month due date gets the same tolerance, so
//! a plan from 26 Jan is next counted on 26 Feb + 5 days, not on 31 Jan + one month.
//! The state is `completed` once the balance is ≤ 0, `breached` while the balance is above the
//! expected balance, and `live` otherwise, so a breach that is paid up returns to live.
//!
//! A plan agreed with a growing debt (see [`plan_schedule`](super::plan_schedule)) expects one
//! period's growth before each instalment after the first, up to its last instalment.

use super::Money;
use super::dates;
use super::plan::PlanState;
use super::plan_schedule::PlanBasis;
use chrono::{Days, NaiveDate};

/// Where a plan stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Live, breached or completed.
    pub state: PlanState,
    /// What should be owed by now if the plan had been kept.
    pub expected: Money,
    /// What is owed.
    pub actual: Money,
}

/// Checks a plan agreed on `basis` (its `arrears` being the starting balance) paying `instalment`
/// against the balance owed on `today`.
pub fn check(
    basis: &PlanBasis,
    instalment: Money,
    actual: Money,
    today: NaiveDate,
    tolerance_days: u32,
) -> Standing {
    let counted_by = today - Days::new(u64::from(tolerance_days));
    let mut n = basis.frequency.dues_by(basis.start, counted_by);
    let growth = basis.growth_per_period();
    if growth.is_positive()
        && let Ok(plan) = basis.solve_instalment(instalment)
    {
        // Growth stops being expected once the plan would have cleared.
        n = n.min(plan.count);
    }
    let lump = basis
        .active_lump()
        .filter(|l| l.date <= counted_by)
        .map_or(Money::ZERO, |l| l.amount);
    let paid = i64::from(n) * instalment.pence();
    let grown = i64::from(n.saturating_sub(1)) * growth.pence();
    let expected = Money::from_pence(basis.arrears.pence() - lump.pence() - paid + grown);
    let expected = expected.max(Money::ZERO);
    let state = if !actual.is_positive() {
        PlanState::Completed
    } else if actual > expected {
        PlanState::Breached
    } else {
        PlanState::Live
    };
    Standing {
        state,
        expected,
        actual,
    }
}

impl Standing {
    /// How the plan is doing, in an officer's words: "on track: £12.00 ahead", "on track",
    /// "behind by £30.00 since the payment due 01/11/2026" (the first the balance shows was missed), or
    /// "completed: nothing owed".
    pub fn wording(&self, basis: &PlanBasis, instalment: Money) -> String {
        match self.state {
            PlanState::Completed => "completed: nothing owed".to_string(),
            _ if self.actual < self.expected => {
                format!("on track: {} ahead", self.expected - self.actual)
            }
            _ if self.actual == self.expected => "on track".to_string(),
            _ => {
                let behind = format!("behind by {}", self.actual - self.expected);
                match self.behind_since(basis, instalment) {
                    Some(date) => format!("{behind} since the payment due {}", dates::uk(date)),
                    None => behind,
                }
            }
        }
    }

    /// The due date of the first payment in the schedule that the balance has not caught up with.
    fn behind_since(&self, basis: &PlanBasis, instalment: Money) -> Option<NaiveDate> {
        let plan = basis.solve_instalment(instalment).ok()?;
        plan.schedule()
            .iter()
            .find(|item| item.balance_after < self.actual)
            .map(|item| item.date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;
    use crate::domain::plan::Frequency;
    use crate::domain::plan_schedule::Lump;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn m(pounds: i64) -> Money {
        Money::pounds(pounds)
    }

    fn basis(frequency: Frequency, start: &str, owed: i64) -> PlanBasis {
        PlanBasis {
            arrears: m(owed),
            frequency,
            start: d(start),
            lump: None,
            weekly_growth: Money::ZERO,
        }
    }

    #[test]
    fn domain_example_monthly_fifty_from_first_november() {
        let b = basis(Frequency::Monthly, "2026-11-01", 100);
        let on = |day| check(&b, m(50), m(100), d(day), 5);
        assert_eq!(on("2026-11-05").state, PlanState::Live);
        let breached = on("2026-11-06");
        assert_eq!(
            (breached.state, breached.expected, breached.actual),
            (PlanState::Breached, m(50), m(100))
        );
        assert_eq!(
            breached.wording(&b, m(50)),
            "behind by £50.00 since the payment due 01/11/2026"
        );
    }

    #[test]
    fn every_frequency_across_the_tolerance_boundary() {
        // £100 owed, £50 each period from Sunday 1 Nov 2026: the first instalment is counted on
        // day 6; once it is paid, the second is counted five days after its own due date.
        let cases = [
            (Frequency::Weekly, "2026-11-12", "2026-11-13"),
            (Frequency::Fortnightly, "2026-11-19", "2026-11-20"),
            (Frequency::FourWeekly, "2026-12-03", "2026-12-04"),
            (Frequency::Monthly, "2026-12-05", "2026-12-06"),
        ];
        for (frequency, live_day, breach_day) in cases {
            let b = basis(frequency, "2026-11-01", 100);
            let state = |balance, day| check(&b, m(50), m(balance), d(day), 5).state;
            assert_eq!(state(100, "2026-11-05"), PlanState::Live, "{frequency}");
            assert_eq!(state(100, "2026-11-06"), PlanState::Breached, "{frequency}");
            assert_eq!(state(50, "2026-11-06"), PlanState::Live, "{frequency}");
            assert_eq!(state(50, live_day), PlanState::Live, "{frequency}");
            assert_eq!(state(50, breach_day), PlanState::Breached, "{frequency}");
        }
        let one_off = basis(Frequency::OneOff, "2026-11-01", 100);
        let state = |balance, day| check(&one_off, m(100), m(balance), d(day), 5).state;
        assert_eq!(state(100, "2026-11-05"), PlanState::Live);
        assert_eq!(state(100, "2026-11-06"), PlanState::Breached);
        assert_eq!(state(0, "2026-11-06"), PlanState::Completed);
    }

    #[test]
    fn tolerance_comes_from_the_caller() {
        let b = basis(Frequency::Weekly, "2026-11-02", 100);
        assert_eq!(
            check(&b, m(10), m(100), d("2026-11-02"), 0).state,
            PlanState::Breached
        );
        assert_eq!(
            check(&b, m(10), m(100), d("2026-11-11"), 10).state,
            PlanState::Live
        );
    }

    #[test]
    fn lump_sum_counts_once_its_date_and_tolerance_have_come() {
        let b = PlanBasis {
            lump: Some(Lump {
                amount: m(30),
                date: d("2026-11-10"),
            }),
            ..basis(Frequency::Weekly, "2026-11-02", 100)
        };
        // Two £10 instalments paid (2 and 9 Nov), no lump sum yet.
        let not_yet = check(&b, m(10), m(80), d("2026-11-14"), 5);
        assert_eq!((not_yet.state, not_yet.expected), (PlanState::Live, m(80)));
        let due = check(&b, m(10), m(80), d("2026-11-15"), 5);
        assert_eq!((due.state, due.expected), (PlanState::Breached, m(50)));
        assert_eq!(
            due.wording(&b, m(10)),
            "behind by £30.00 since the payment due 10/11/2026"
        );
    }

    #[test]
    fn a_paid_up_breach_returns_to_live_and_zero_completes() {
        let b = basis(Frequency::Weekly, "2026-11-02", 100);
        let on = |balance| check(&b, m(10), m(balance), d("2026-11-16"), 5);
        assert_eq!(on(100).state, PlanState::Breached);
        assert_eq!(
            on(100).wording(&b, m(10)),
            "behind by £20.00 since the payment due 02/11/2026"
        );
        assert_eq!(on(80).state, PlanState::Live);
        assert_eq!(on(80).wording(&b, m(10)), "on track");
        assert_eq!(on(65).wording(&b, m(10)), "on track: £15.00 ahead");
        assert_eq!(on(0).state, PlanState::Completed);
        assert_eq!(on(-5).state, PlanState::Completed);
        assert_eq!(on(0).wording(&b, m(10)), "completed: nothing owed");
    }

    #[test]
    fn expected_never_goes_below_zero_and_growth_stops_with_the_plan() {
        let b = basis(Frequency::Weekly, "2026-11-02", 100);
        let late = check(&b, m(10), m(5), d("2028-01-01"), 5);
        assert_eq!(
            (late.expected, late.state),
            (Money::ZERO, PlanState::Breached)
        );
        let growing = PlanBasis {
            weekly_growth: m(10),
            ..b
        };
        // 100 → 50 → 10 → 0 over three weeks, then nothing more is expected.
        let after = |day| check(&growing, m(50), m(10), d(day), 0).expected;
        assert_eq!(after("2026-11-09"), m(10));
        assert_eq!(after("2026-11-16"), Money::ZERO);
        assert_eq!(after("2027-11-16"), Money::ZERO);
    }
}
