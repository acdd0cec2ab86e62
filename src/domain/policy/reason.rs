//! Why a rule fired (or nothing did), kept as the figures and dates the rule found and put into
//! an officer's words only when shown: a re-rank judges every account, but only the rows on screen,
//! the selected account and what is printed are read, so 50,000 sentences are not written each
//! time for a few dozen to be seen.

use super::span::Span;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::arrears;
use crate::domain::dates::uk;
use crate::domain::plan::{PlanKind, PlanState};
use crate::domain::recovery::CourtOutcome;
use chrono::NaiveDate;
use std::fmt;

/// One reason of the policy's; its words are its `Display`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    Ended(NaiveDate),
    BreathingSpace(NaiveDate),
    Paused(NaiveDate),
    EvictionOn(NaiveDate),
    HearingOn(NaiveDate),
    /// An eviction date passed with the tenancy not ended: the wait is on the officer's record.
    EvictionPassed(NaiveDate),
    /// Waiting on the court or the bailiff, to be chased from `from`.
    Awaiting {
        whom: Whom,
        applied: NaiveDate,
        chased: Option<NaiveDate>,
        from: NaiveDate,
    },
    /// Rules 16 and 17: the wait is up.
    Chase {
        whom: Whom,
        applied: NaiveDate,
        chased: Option<NaiveDate>,
        wait: Span,
    },
    LetterFailed,
    OutcomeMissing(NaiveDate),
    Technical {
        effective: Money,
        benefit: Benefit,
    },
    Warrant {
        outcome: CourtOutcome,
        date: NaiveDate,
        owed: Owed,
    },
    Sms {
        owed: Money,
        quiet: Quiet,
    },
    Letter1 {
        owed: Owed,
        lookback: Span,
    },
    Letter2 {
        sent: Ago,
        owed: Owed,
    },
    BreachVisit {
        sent: Ago,
    },
    ServeNotice {
        owed: Owed,
        after: NoticeDue,
        notice: &'static str,
    },
    BreachUnpaid {
        visited: Ago,
        unpaid_days: Option<i64>,
        postponed: bool,
    },
    InformalBreach {
        owed: Owed,
    },
    StillBreached {
        days: i64,
    },
    CourtPlanBreach(NaiveDate),
    CourtWarning {
        served: NaiveDate,
        owed: Owed,
    },
    CourtDate {
        warned: Ago,
        owed: Owed,
    },
    EvictionNotRecorded(NaiveDate),
    CourtPlanUnheard,
    OutcomeUndated(CourtOutcome),
    OutcomeUnknown(NaiveDate),
    OrderWithoutPlan {
        outcome: CourtOutcome,
        date: NaiveDate,
    },
    TermsWithoutPlan(NaiveDate),
    InCredit(Money),
    NothingOwed,
    Plan {
        kind: PlanKind,
        state: PlanState,
    },
    /// A claim that ended without possession; the notice's dates when a new one will be needed.
    ClaimEnded {
        outcome: CourtOutcome,
        date: NaiveDate,
        lapses: Option<(NaiveDate, NaiveDate)>,
    },
    OrderUnenforced {
        outcome: CourtOutcome,
        date: NaiveDate,
        within: Span,
    },
    NoticeWaiting {
        served: NaiveDate,
        ends: NaiveDate,
    },
    /// A step of the ladder waiting only for time: `next` falls due `from`.
    NextStep {
        kind: ActionKind,
        sent: Ago,
        next: &'static str,
        from: NaiveDate,
    },
    UnderNoticeWeeks {
        owed: Owed,
        weeks: u32,
        served: NaiveDate,
    },
    NothingOverdue,
    BelowSms {
        overdue: Money,
        from: Money,
    },
    RecentAction {
        overdue: Money,
        kind: ActionKind,
        ago: Ago,
    },
    WithinGrace(Money),
    UnderLetter {
        owed: Owed,
        from: Money,
    },
    NothingDue(Owed),
}

/// Who a case waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whom {
    /// For a hearing date, after a court date applied for.
    Court,
    /// For an eviction date, after a warrant applied for.
    Bailiff,
}

impl Whom {
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Whom::Court => ("Court date applied for", "court", "hearing date"),
            Whom::Bailiff => ("Warrant applied for", "bailiff", "eviction date"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Benefit {
    UniversalCredit,
    HousingBenefit,
}

/// The last contact, as rule 3 sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quiet {
    NoContact,
    LastSms(Ago),
    LastAction(ActionKind, Ago),
}

/// What made a notice due: the last one lapsed, or letter 2 went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeDue {
    Lapsed {
        served: NaiveDate,
        lapsed: NaiveDate,
    },
    Letter2(Ago),
}

/// Effective arrears as the rules use them, in money and weeks of rent: "£400.00 effective
/// arrears (4.0 wks of rent)", named so they are not read as the header's whole balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owed {
    pub effective: Money,
    pub weekly_charge: Money,
}

impl fmt::Display for Owed {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match arrears::weeks(self.effective, self.weekly_charge) {
            Some(w) if self.effective.is_positive() => {
                write!(
                    out,
                    "{} effective arrears ({w:.1} wks of rent)",
                    self.effective
                )
            }
            _ => write!(out, "{} effective arrears", self.effective),
        }
    }
}

/// Whole days ago, as an officer says it: "today", "yesterday", "12 days ago".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ago(pub i64);

impl fmt::Display for Ago {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => out.write_str("today"),
            1 => out.write_str("yesterday"),
            n => write!(out, "{n} days ago"),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Reason::Ended(ended) => write!(
                out,
                "Tenancy ended {}: recover through the former tenant arrears process.",
                uk(ended)
            ),
            Reason::BreathingSpace(until) => write!(
                out,
                "Breathing space until {}: no notice, claim or warrant, and no demands.",
                uk(until)
            ),
            Reason::Paused(until) => write!(out, "Paused until {}.", uk(until)),
            Reason::EvictionOn(eviction) => write!(out, "Eviction on {}.", uk(eviction)),
            Reason::HearingOn(hearing) => write!(out, "Hearing on {}.", uk(hearing)),
            Reason::EvictionPassed(eviction) => write!(
                out,
                "Eviction date {} has passed: record whether it went ahead.",
                uk(eviction)
            ),
            // "Court date applied for on 28/09/2026: awaiting a hearing date; chase the court
            // from 23/11/2026." (or "…, court chased on …: … chase the court again from …").
            Reason::Awaiting {
                whom,
                applied,
                chased,
                from,
            } => {
                let (what, who, awaited) = whom.words();
                let article = if whom == Whom::Bailiff { "an" } else { "a" };
                write!(out, "{what} on {}", uk(applied))?;
                if let Some(chased) = chased {
                    write!(out, ", {who} chased on {}", uk(chased))?;
                }
                let again = if chased.is_some() { " again" } else { "" };
                write!(
                    out,
                    ": awaiting {article} {awaited}; chase the {who}{again} from {}.",
                    uk(from)
                )
            }
            Reason::Chase {
                whom,
                applied,
                chased,
                wait,
            } => {
                let (what, who, awaited) = whom.words();
                match chased {
                    None => write!(
                        out,
                        "{what} on {} and no {awaited} after {wait}: chase the {who}.",
                        uk(applied)
                    ),
                    Some(at) => write!(
                        out,
                        "{what} on {}, {who} chased on {} and still no {awaited}: chase the {who} again.",
                        uk(applied),
                        uk(at)
                    ),
                }
            }
            Reason::LetterFailed => out.write_str(
                "The last letter could not be produced or sent: check it and send it again.",
            ),
            Reason::OutcomeMissing(hearing) => write!(
                out,
                "The hearing on {} has passed with no outcome recorded.",
                uk(hearing)
            ),
            Reason::Technical { effective, benefit } => {
                let benefit = match benefit {
                    Benefit::UniversalCredit => "Universal Credit",
                    Benefit::HousingBenefit => "Housing Benefit",
                };
                write!(
                    out,
                    "Technical arrears: {effective} is within one {benefit} payment, which is paid in arrears; not chased."
                )
            }
            Reason::Warrant {
                outcome,
                date,
                owed,
            } => write!(
                out,
                "{} on {} and no warrant applied for; {owed}.",
                outcome.label(),
                uk(date)
            ),
            Reason::Sms { owed, quiet } => {
                write!(out, "{owed} owed; ")?;
                match quiet {
                    Quiet::NoContact => out.write_str("no contact on record")?,
                    Quiet::LastSms(ago) => write!(out, "last SMS {ago}")?,
                    Quiet::LastAction(kind, ago) => {
                        write!(out, "last action ({}) {ago}", kind.label())?
                    }
                }
                out.write_str(".")
            }
            Reason::Letter1 { owed, lookback } => write!(
                out,
                "{owed} and no arrears letter in the last {lookback}."
            ),
            Reason::Letter2 { sent, owed } => write!(out, "Letter 1 sent {sent}; still {owed}."),
            Reason::BreachVisit { sent } => write!(
                out,
                "Court plan breached and the breach letter went {sent}: visit."
            ),
            Reason::ServeNotice {
                owed,
                after,
                notice,
            } => {
                write!(out, "{owed} and ")?;
                match after {
                    NoticeDue::Lapsed { served, lapsed } => write!(
                        out,
                        "the notice served {} lapsed on {}",
                        uk(served),
                        uk(lapsed)
                    )?,
                    NoticeDue::Letter2(ago) => write!(out, "letter 2 went {ago}")?,
                }
                write!(out, ": serve {notice}.")
            }
            Reason::BreachUnpaid {
                visited,
                unpaid_days,
                postponed,
            } => {
                write!(out, "Court plan breached, visited {visited}, ")?;
                match unpaid_days {
                    Some(d) => write!(out, "no payment for {d} days")?,
                    None => out.write_str("no payment on record")?,
                }
                // A postponed order has no date for possession: the court is asked to fix one.
                if postponed {
                    out.write_str(": apply to the court to fix a date for possession")?;
                }
                out.write_str(".")
            }
            Reason::InformalBreach { owed } => write!(out, "Informal plan breached; {owed}."),
            Reason::StillBreached { days } => write!(
                out,
                "Informal plan still breached {days} days after the breach letter."
            ),
            Reason::CourtPlanBreach(date) => write!(
                out,
                "Court plan from {} breached: write to the tenant.",
                uk(date)
            ),
            Reason::CourtWarning { served, owed } => write!(
                out,
                "Notice served {} is past its waiting period; {owed}.",
                uk(served)
            ),
            Reason::CourtDate { warned, owed } => write!(
                out,
                "Court warning letter sent {warned}; still {owed}."
            ),
            Reason::EvictionNotRecorded(eviction) => write!(
                out,
                "The eviction date {} has passed and the tenancy has not ended: record the eviction, or what stopped it.",
                uk(eviction)
            ),
            Reason::CourtPlanUnheard => out.write_str(
                "A court plan is recorded but no hearing or court order: record the hearing and its outcome.",
            ),
            Reason::OutcomeUndated(outcome) => write!(
                out,
                "A court outcome ({}) is recorded without a court date.",
                outcome.label()
            ),
            Reason::OutcomeUnknown(date) => write!(
                out,
                "The court outcome of {} is not one the policy knows: check it (or map its code in [codes.court_outcomes]).",
                uk(date)
            ),
            Reason::OrderWithoutPlan { outcome, date } => write!(
                out,
                "Live court order ({}, {}) but no active plan: record the court plan.",
                outcome.label(),
                uk(date)
            ),
            Reason::TermsWithoutPlan(date) => write!(
                out,
                "The order of {} has terms but no court plan from that date.",
                uk(date)
            ),
            Reason::InCredit(by) => write!(out, "In credit by {by}."),
            Reason::NothingOwed => out.write_str("Nothing owed."),
            Reason::Plan { kind, state } => write!(
                out,
                "{} plan {}.",
                kind.label(),
                state.label().to_lowercase()
            ),
            Reason::ClaimEnded {
                outcome,
                date,
                lapses,
            } => {
                write!(out, "{} on {}: no possession order", outcome.label(), uk(date))?;
                if let Some((served, lapses)) = lapses {
                    write!(
                        out,
                        "; a new notice once the one served {} lapses on {}",
                        uk(served),
                        uk(lapses)
                    )?;
                }
                out.write_str(".")
            }
            Reason::OrderUnenforced {
                outcome,
                date,
                within,
            } => write!(
                out,
                "{} on {} and no warrant applied for within {within}: review the case before enforcing it.",
                outcome.label(),
                uk(date)
            ),
            Reason::NoticeWaiting { served, ends } => write!(
                out,
                "Notice served {}: waiting period ends {}.",
                uk(served),
                uk(ends)
            ),
            Reason::NextStep {
                kind,
                sent,
                next,
                from,
            } => write!(
                out,
                "{} sent {sent}; {next} from {}.",
                kind.label(),
                uk(from)
            ),
            Reason::UnderNoticeWeeks {
                owed,
                weeks,
                served,
            } => write!(
                out,
                "{owed}, under the {weeks} weeks' rent a notice or claim needs; notice served {}, so no arrears letters.",
                uk(served)
            ),
            Reason::NothingOverdue => {
                out.write_str("Nothing overdue: only this week's rent is owed.")
            }
            Reason::BelowSms { overdue, from } => write!(out, "{overdue} overdue, below {from}."),
            Reason::RecentAction { overdue, kind, ago } => write!(
                out,
                "{overdue} overdue; last action {}, {ago}.",
                kind.label()
            ),
            Reason::WithinGrace(overdue) => write!(
                out,
                "{overdue} overdue, within the grace allowed; nothing due yet."
            ),
            Reason::UnderLetter { owed, from } => {
                write!(out, "{owed}, under the {from} a letter needs.")
            }
            Reason::NothingDue(owed) => write!(out, "{owed}; nothing due under the policy yet."),
        }
    }
}
