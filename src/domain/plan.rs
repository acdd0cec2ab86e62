//! Payment plans (arrangements): their terms and states.

use super::Money;
use super::dates;
use super::ledger::{PaymentMethod, text_enum};
use chrono::{Datelike, Days, NaiveDate};

/// What a plan version agreed: as the housing system's extract, the store and an officer's record
/// all hold it. A new version has new terms; terms never change under one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanTerms {
    pub kind: PlanKind,
    pub frequency: Frequency,
    pub start: NaiveDate,
    pub instalment: Money,
    pub lump_sum: Money,
    pub lump_date: Option<NaiveDate>,
    /// What was owed when the plan was agreed.
    pub starting_balance: Money,
    pub method: Option<PaymentMethod>,
}

text_enum! {
    /// Informal plans are agreed with the officer; court plans are the terms of a court order.
    PlanKind {
        Informal = "informal" / "Informal",
        Court = "court" / "Court",
    }
}

text_enum! {
    Frequency {
        Weekly = "weekly" / "Weekly",
        Fortnightly = "fortnightly" / "Fortnightly",
        FourWeekly = "four_weekly" / "Four-weekly",
        Monthly = "monthly" / "Monthly",
        OneOff = "one_off" / "One-off",
    }
}

text_enum! {
    PlanState {
        Live = "live" / "Live",
        Breached = "breached" / "Breached",
        Completed = "completed" / "Completed",
        Cancelled = "cancelled" / "Cancelled",
        Replaced = "replaced" / "Replaced",
    }
}

impl PlanState {
    /// Live and breached plans are *active*: the policy holds back letters and notices for them.
    pub fn is_active(self) -> bool {
        matches!(self, PlanState::Live | PlanState::Breached)
    }

    /// What the date of a plan's latest state (`on`) is, in words to follow the state: a plan as
    /// agreed says when it was agreed and when its first payment falls (never "since" a day still
    /// to come); a breach or completion says the day the breach check found it, which is not the
    /// day the payments fell behind (the plan's standing says that).
    pub fn dated(self, on: NaiveDate, agreed: NaiveDate, first_payment: NaiveDate) -> String {
        let uk = dates::uk;
        match self {
            // The state a plan is saved with is live from its first payment.
            PlanState::Live if on == first_payment => {
                format!("agreed {}, first payment {}", uk(agreed), uk(first_payment))
            }
            PlanState::Live => format!("again since {}", uk(on)),
            PlanState::Breached | PlanState::Completed => {
                format!("found at the breach check on {}", uk(on))
            }
            PlanState::Cancelled | PlanState::Replaced => format!("on {}", uk(on)),
        }
    }
}

impl Frequency {
    /// Days from one instalment to the next; `None` for calendar months (monthly and one-off,
    /// as the breach check counts them).
    pub fn days(self) -> Option<u64> {
        match self {
            Frequency::Weekly => Some(7),
            Frequency::Fortnightly => Some(14),
            Frequency::FourWeekly => Some(28),
            Frequency::Monthly | Frequency::OneOff => None,
        }
    }

    /// How often, in words: "£15.00 a week".
    pub fn per(self) -> &'static str {
        match self {
            Frequency::Weekly => "a week",
            Frequency::Fortnightly => "a fortnight",
            Frequency::FourWeekly => "every four weeks",
            Frequency::Monthly => "a month",
            Frequency::OneOff => "once",
        }
    }

    /// Instalments in a 52-week year, for "about N years".
    pub fn per_year(self) -> u32 {
        match self {
            Frequency::Weekly => 52,
            Frequency::Fortnightly => 26,
            Frequency::FourWeekly => 13,
            Frequency::Monthly | Frequency::OneOff => 12,
        }
    }

    /// The due date of instalment `i` (0 is `start`). Months are counted from `start` each time,
    /// so a plan from 31 Jan falls due on 28 (29) Feb and then 31 Mar, never drifting to the 28th.
    pub fn due_date(self, start: NaiveDate, i: u32) -> NaiveDate {
        match self.days() {
            Some(days) => start + Days::new(days * u64::from(i)),
            None => dates::add_months(start, i),
        }
    }

    /// How many due dates fall on or before `date` (none before `start`).
    pub fn dues_by(self, start: NaiveDate, date: NaiveDate) -> u32 {
        if date < start {
            return 0;
        }
        let whole = match self.days() {
            Some(days) => u64::try_from((date - start).num_days()).unwrap_or(0) / days,
            None => {
                let months = (i64::from(date.year()) - i64::from(start.year())) * 12
                    + i64::from(date.month())
                    - i64::from(start.month());
                let months = u64::try_from(months).unwrap_or(0);
                // Clamping to a month's end can put that month's due date after `date`.
                let due = dates::add_months(start, u32::try_from(months).unwrap_or(u32::MAX));
                if due > date { months - 1 } else { months }
            }
        };
        u32::try_from(whole + 1).unwrap_or(u32::MAX)
    }
}

/// A plan's instalments: how often, from when, how much.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instalments {
    pub frequency: Frequency,
    pub start: NaiveDate,
    pub amount: Money,
}

impl Instalments {
    /// Whether one of them falls due on `day`.
    pub fn due_on(&self, day: NaiveDate) -> bool {
        let Instalments {
            frequency, start, ..
        } = *self;
        match frequency {
            Frequency::OneOff => day == start,
            // Counted as the breach check counts them: one more due by today than by yesterday.
            _ => day.pred_opt().is_some_and(|before| {
                frequency.dues_by(start, day) > frequency.dues_by(start, before)
            }),
        }
    }
}

/// A live or breached plan, as the replacement rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActivePlan {
    pub id: i64,
    pub kind: PlanKind,
    pub agreed_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplaceError {
    #[error(
        "a court plan agreed on {} is in force: an informal plan cannot be made while it stands \
         (record the terms of a new court order as a court plan, or cancel the court plan with a reason)",
        dates::uk(*.agreed_on)
    )]
    CourtPlanInForce { agreed_on: NaiveDate },
}

/// The active plans a new plan of `kind` replaces (DOMAIN.md): a court plan replaces everything;
/// an informal plan replaces the active informal one and is refused while a court plan is active.
/// Either way every active plan is replaced, so a tenancy never has two.
pub fn replaced_by(kind: PlanKind, active: &[ActivePlan]) -> Result<Vec<i64>, ReplaceError> {
    if kind == PlanKind::Informal
        && let Some(court) = active.iter().find(|p| p.kind == PlanKind::Court)
    {
        return Err(ReplaceError::CourtPlanInForce {
            agreed_on: court.agreed_on,
        });
    }
    Ok(active.iter().map(|p| p.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    fn active(id: i64, kind: PlanKind) -> ActivePlan {
        ActivePlan {
            id,
            kind,
            agreed_on: parse_date("2026-10-01").unwrap(),
        }
    }

    #[test]
    fn replacement_rules() {
        let informal = [active(1, PlanKind::Informal)];
        let court = [active(2, PlanKind::Court)];
        assert_eq!(replaced_by(PlanKind::Informal, &[]), Ok(vec![]));
        assert_eq!(replaced_by(PlanKind::Informal, &informal), Ok(vec![1]));
        assert_eq!(replaced_by(PlanKind::Court, &informal), Ok(vec![1]));
        assert_eq!(replaced_by(PlanKind::Court, &court), Ok(vec![2]));
        let refused = replaced_by(PlanKind::Informal, &court).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("a court plan agreed on 01/10/2026 is in force"),
            "{refused}"
        );
    }

    #[test]
    fn due_dates_and_counts_agree() {
        let start = parse_date("2027-01-31").unwrap();
        for frequency in Frequency::ALL {
            for i in 0..30 {
                let due = frequency.due_date(start, i);
                assert_eq!(frequency.dues_by(start, due), i + 1, "{frequency} {i}");
                let before = due - Days::new(1);
                assert_eq!(frequency.dues_by(start, before), i, "{frequency} {i}");
            }
        }
    }

    #[test]
    fn instalments_fall_due_on_their_days_only() {
        let monthly = Instalments {
            frequency: Frequency::Monthly,
            start: parse_date("2026-01-31").unwrap(),
            amount: Money::pounds(20),
        };
        assert!(monthly.due_on(parse_date("2026-02-28").unwrap()));
        assert!(!monthly.due_on(parse_date("2026-03-01").unwrap()));
        assert!(monthly.due_on(parse_date("2026-03-31").unwrap()));
        assert!(!monthly.due_on(parse_date("2026-01-30").unwrap()));
        let once = Instalments {
            frequency: Frequency::OneOff,
            ..monthly
        };
        assert!(
            once.due_on(parse_date("2026-01-31").unwrap())
                && !once.due_on(parse_date("2026-02-28").unwrap())
        );
        let fortnightly = Instalments {
            frequency: Frequency::Fortnightly,
            start: parse_date("2026-11-02").unwrap(),
            amount: Money::pounds(20),
        };
        assert!(
            fortnightly.due_on(parse_date("2026-11-16").unwrap())
                && !fortnightly.due_on(parse_date("2026-11-23").unwrap())
        );
    }
}
