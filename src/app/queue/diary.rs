//! The officer's day: what falls due on an account today, for the Today tab. Call backs due today
//! or overdue, hearings this week, promises broken since her last working day or falling due
//! before her next, plan instalments due today or on the days off just gone, notices about to
//! lapse, pauses and snoozes ending.

use crate::domain::Money;
use crate::domain::calendar::Calendar;
use crate::domain::dates::short;
use crate::domain::plan::Instalments;
use crate::domain::policy::Blocker;
use crate::domain::promise::{PromiseState, Standing};
use crate::domain::recovery::PauseKind;
use chrono::{Days, NaiveDate, NaiveDateTime};

/// How far ahead the day looks for hearings and lapsing notices.
pub const WEEK_AHEAD: u64 = 7;

/// The officer's working days either side of today: what fell due on the days off since her
/// last working day is hers today (Monday has Saturday's and Sunday's), and so is what falls due
/// up to her next working day (on Friday, Monday's promises).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingDays {
    /// The working day before today.
    pub last: NaiveDate,
    /// The working day after today.
    pub next: NaiveDate,
}

impl WorkingDays {
    pub fn around(today: NaiveDate, calendar: &Calendar) -> WorkingDays {
        WorkingDays {
            last: calendar.on_or_before(today - Days::new(1)),
            next: calendar.on_or_after(today + Days::new(1)),
        }
    }
}

/// One thing that falls due, in the order the Today tab puts them: call backs first (by their
/// time), then hearings, promises, instalments, notices and pauses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// A call back the tenant asked for, due today or overdue (no call or visit since).
    CallBack(NaiveDateTime),
    /// A hearing today or within the week.
    Hearing(NaiveDate),
    /// A promise broken since the last working day.
    PromiseBroken(Box<Standing>),
    /// A promise falling due today or before the next working day.
    PromiseDue { due: NaiveDate, amount: Money },
    /// A plan instalment due today, or on a day off since the last working day.
    Instalment { due: NaiveDate, amount: Money },
    /// A notice that lapses within the week.
    NoticeLapses(NaiveDate),
    /// A pause or snooze that ends today, or ended since the last working day (the account is
    /// back today).
    Resumes { until: NaiveDate, kind: PauseKind },
}

/// What the day's list is made from, for one account.
pub struct Day<'a> {
    pub today: NaiveDate,
    pub working: WorkingDays,
    /// A call back still to make (none made since it was asked for).
    pub call_back: Option<NaiveDateTime>,
    pub hearing: Option<NaiveDate>,
    pub promise: Option<&'a Standing>,
    /// Days after its date a payment still keeps a promise.
    pub promise_tolerance: u32,
    /// An active plan's instalments.
    pub instalments: Option<Instalments>,
    pub notice_lapses: Option<NaiveDate>,
    /// Pauses and snoozes in force or just ended, each with its reason.
    pub resumes: [(PauseKind, Option<NaiveDate>, &'a str); 2],
}

impl Day<'_> {
    /// What falls due, most pressing first.
    pub fn due(&self) -> Box<[Due]> {
        let today = self.today;
        let WorkingDays { last, next } = self.working;
        let week = today + Days::new(WEEK_AHEAD);
        let mut out = Vec::new();
        if let Some(at) = self.call_back.filter(|at| at.date() <= today) {
            out.push(Due::CallBack(at));
        }
        if let Some(h) = self.hearing.filter(|h| (today..=week).contains(h)) {
            out.push(Due::Hearing(h));
        }
        if let Some(s) = self.promise {
            let due = s.promise.due;
            match s.state {
                // Broken the day after its last day: on the last working day or since.
                PromiseState::Broken
                    if s.promise.deadline(self.promise_tolerance) >= last - Days::new(1) =>
                {
                    out.push(Due::PromiseBroken(Box::new(*s)));
                }
                PromiseState::Pending if (today..=next).contains(&due) => {
                    out.push(Due::PromiseDue {
                        due,
                        amount: s.promise.amount,
                    });
                }
                _ => {}
            }
        }
        if let Some(i) = self.instalments {
            let days = (last + Days::new(1))
                .iter_days()
                .take_while(|d| *d <= today);
            if let Some(due) = days.filter(|d| i.due_on(*d)).last() {
                out.push(Due::Instalment {
                    due,
                    amount: i.amount,
                });
            }
        }
        if let Some(l) = self.notice_lapses.filter(|l| (today..=week).contains(l)) {
            out.push(Due::NoticeLapses(l));
        }
        for (kind, until, reason) in self.resumes {
            let lifted = reason == crate::domain::record::LIFTED;
            match until {
                Some(until) if until == today || ((last..today).contains(&until) && !lifted) => {
                    out.push(Due::Resumes { until, kind });
                }
                _ => {}
            }
        }
        out.sort_by_key(Due::order);
        out.into_boxed_slice()
    }
}

impl Due {
    /// Where it sorts in the day: by kind (as the variants are listed), then by its date and time.
    pub fn order(&self) -> (u8, NaiveDateTime) {
        let at = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN);
        match self {
            Due::CallBack(when) => (0, *when),
            Due::Hearing(h) => (1, at(*h)),
            Due::PromiseBroken(s) => (2, at(s.promise.due)),
            Due::PromiseDue { due, .. } => (3, at(*due)),
            Due::Instalment { due, .. } => (4, at(*due)),
            Due::NoticeLapses(l) => (5, at(*l)),
            Due::Resumes { until, .. } => (6, at(*until)),
        }
    }

    /// Whether it says what the policy's `blocker` says, from the same date: a hearing ahead, a
    /// pause ending today. The row then gives only the day's words, which name the weekday.
    pub fn restates(&self, blocker: Blocker) -> bool {
        matches!(
            (self, blocker),
            (Due::Hearing(_), Blocker::HearingAhead)
                | (
                    Due::Resumes {
                        kind: PauseKind::Pause,
                        ..
                    },
                    Blocker::Paused
                )
        )
    }

    /// In an officer's words: "Call back 14:30", "Hearing Thu 26 Nov", "Promise £50.00 due today".
    pub fn describe(&self, today: NaiveDate) -> String {
        let day = |d: NaiveDate| match (d - today).num_days() {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            -1 => "yesterday".to_string(),
            _ => short(d),
        };
        match self {
            Due::CallBack(at) if at.date() == today => format!("Call back {}", at.format("%H:%M")),
            Due::CallBack(at) => format!(
                "Call back overdue since {} {}",
                short(at.date()),
                at.format("%H:%M")
            ),
            Due::Hearing(h) => format!("Hearing {}", day(*h)),
            Due::PromiseBroken(s) => s.describe(),
            Due::PromiseDue { due, amount } => format!("Promise of {amount} due {}", day(*due)),
            Due::Instalment { due, amount } => {
                format!("Plan instalment of {amount} due {}", day(*due))
            }
            Due::NoticeLapses(l) => format!("Notice lapses {}", day(*l)),
            Due::Resumes { until, kind } => {
                let what = match kind {
                    PauseKind::Pause => "Pause",
                    PauseKind::Snooze => "Snooze",
                };
                if *until == today {
                    format!("{what} ends today")
                } else {
                    format!("{what} ended {}: back in the queue", day(*until))
                }
            }
        }
    }
}

/// The day's list in words: "Call back 14:30 · Promise of £50.00 due today".
pub fn describe(due: &[Due], today: NaiveDate) -> String {
    due.iter()
        .map(|d| d.describe(today))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;
    use crate::domain::plan::Frequency;
    use crate::domain::promise::Promise;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn day<'a>(today: &str) -> Day<'a> {
        Day {
            today: d(today),
            working: WorkingDays::around(d(today), &Calendar::england_and_wales()),
            call_back: None,
            hearing: None,
            promise: None,
            promise_tolerance: 1,
            instalments: None,
            notice_lapses: None,
            resumes: [(PauseKind::Pause, None, ""), (PauseKind::Snooze, None, "")],
        }
    }

    fn standing(due: &str, state: PromiseState) -> Standing {
        Standing {
            promise: Promise {
                amount: Money::pounds(50),
                due: d(due),
                cumulative: Money::pounds(50),
                made: d("2026-11-16"),
            },
            received: Money::ZERO,
            state,
        }
    }

    #[test]
    fn call_backs_due_today_or_overdue_come_first_by_their_time() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let mut monday = day("2026-11-30");
        monday.hearing = Some(d("2026-11-30"));
        monday.call_back = Some(at("2026-11-30 14:30"));
        let due = monday.due();
        assert_eq!(
            describe(&due, monday.today),
            "Call back 14:30 · Hearing today"
        );
        monday.call_back = Some(at("2026-11-27 10:00"));
        assert_eq!(
            monday.due()[0].describe(monday.today),
            "Call back overdue since Fri 27 Nov 10:00"
        );
        // Not yet: next week's call back is not today's business.
        monday.call_back = Some(at("2026-12-07 10:00"));
        monday.hearing = None;
        assert!(monday.due().is_empty());
    }

    #[test]
    fn promises_due_before_the_next_working_day_and_broken_since_the_last() {
        let cases = [
            (
                "2026-11-30",
                PromiseState::Pending,
                Some("Promise of £50.00 due today"),
            ),
            (
                "2026-12-01",
                PromiseState::Pending,
                Some("Promise of £50.00 due tomorrow"),
            ),
            ("2026-12-02", PromiseState::Pending, None),
            // Due Friday, last day Saturday with a day's tolerance: broken on Sunday.
            (
                "2026-11-27",
                PromiseState::Broken,
                Some("Broken promise: promised £50.00 by Fri 27 Nov, paid £0.00"),
            ),
            // Due Wednesday, broken on Friday: the last working day before this Monday.
            (
                "2026-11-25",
                PromiseState::Broken,
                Some("Broken promise: promised £50.00 by Wed 25 Nov, paid £0.00"),
            ),
            // Broken on Thursday: Friday's list had it.
            ("2026-11-24", PromiseState::Broken, None),
            ("2026-11-30", PromiseState::Kept, None),
        ];
        for (due, state, said) in cases {
            let s = standing(due, state);
            let mut monday = day("2026-11-30");
            monday.promise = Some(&s);
            let words = monday.due().first().map(|d| d.describe(monday.today));
            assert_eq!(words.as_deref(), said, "{due} {state:?}");
        }
    }

    #[test]
    fn friday_looks_to_monday_and_the_day_after_a_bank_holiday_back_to_it() {
        // On Friday a promise due Monday is due before her next working day.
        let s = standing("2026-11-30", PromiseState::Pending);
        let mut friday = day("2026-11-27");
        friday.promise = Some(&s);
        assert_eq!(
            describe(&friday.due(), friday.today),
            "Promise of £50.00 due Mon 30 Nov"
        );
        // Christmas Day and Boxing Day's substitute Monday are days off: Tuesday 29 December has
        // the instalment due on the Monday.
        let mut tuesday = day("2026-12-29");
        tuesday.instalments = Some(Instalments {
            frequency: Frequency::Weekly,
            start: d("2026-12-07"),
            amount: Money::pounds(15),
        });
        assert_eq!(
            describe(&tuesday.due(), tuesday.today),
            "Plan instalment of £15.00 due yesterday"
        );
        // The Wednesday after has nothing of it.
        let mut wednesday = day("2026-12-30");
        wednesday.instalments = tuesday.instalments;
        assert!(wednesday.due().is_empty());
    }

    #[test]
    fn instalments_hearings_notices_and_pauses() {
        let mut monday = day("2026-11-30");
        monday.instalments = Some(Instalments {
            frequency: Frequency::Weekly,
            start: d("2026-11-02"),
            amount: Money::pounds(15),
        });
        monday.hearing = Some(d("2026-12-07"));
        monday.notice_lapses = Some(d("2026-12-08"));
        monday.resumes = [
            (PauseKind::Pause, Some(d("2026-11-30")), "awaiting benefit"),
            (
                PauseKind::Snooze,
                Some(d("2026-11-29")),
                crate::domain::record::LIFTED,
            ),
        ];
        assert_eq!(
            describe(&monday.due(), monday.today),
            "Hearing Mon 7 Dec · Plan instalment of £15.00 due today · Pause ends today"
        );
        monday.resumes[1].2 = "tenant in hospital";
        monday.instalments = monday.instalments.map(|i| Instalments {
            frequency: Frequency::Monthly,
            start: d("2026-10-15"),
            ..i
        });
        monday.notice_lapses = Some(d("2026-12-07"));
        assert_eq!(
            describe(&monday.due(), monday.today),
            "Hearing Mon 7 Dec · Notice lapses Mon 7 Dec · Snooze ended yesterday: back in the queue · Pause ends today"
        );
    }
}
