//! What the officer records, as one typed write, applied to the store in one transaction. Each
//! write also leaves an action in the contact log, so the case history shows it.

use super::plan_write::PlanWrite;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::uk;
use crate::domain::ledger::EntryKind;
use crate::domain::policy::Recommendation;
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use crate::domain::tenancy::DebtType;
use crate::store::{
    self, NewAction, NewCourtEvent, NewEntry, NewNotice, NewOverride, NewPause, Writer,
};
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Write {
    Action {
        tenancy_id: i64,
        kind: ActionKind,
        summary: String,
    },
    Override {
        tenancy_id: i64,
        recommendation: Recommendation,
        reason: String,
        until: NaiveDate,
    },
    Pause {
        tenancy_id: i64,
        kind: PauseKind,
        until: NaiveDate,
        reason: String,
        comment: String,
    },
    Notice {
        tenancy_id: i64,
        kind: NoticeKind,
        served_on: NaiveDate,
        grounds: String,
        amount: Option<Money>,
    },
    Court {
        tenancy_id: i64,
        kind: CourtEventKind,
        on_date: Option<NaiveDate>,
        outcome: Option<CourtOutcome>,
        terms: String,
        costs: Option<Money>,
    },
    BreathingSpace {
        tenancy_id: i64,
        starts: NaiveDate,
        until: NaiveDate,
    },
    /// A plan version, a cancelled plan or an I&E assessment.
    Plan(PlanWrite),
}

impl Write {
    pub fn tenancy_id(&self) -> i64 {
        match self {
            Write::Action { tenancy_id, .. }
            | Write::Override { tenancy_id, .. }
            | Write::Pause { tenancy_id, .. }
            | Write::Notice { tenancy_id, .. }
            | Write::Court { tenancy_id, .. }
            | Write::BreathingSpace { tenancy_id, .. } => *tenancy_id,
            Write::Plan(plan) => plan.tenancy_id(),
        }
    }

    /// Whether it changes a balance or a plan, so the tenancy's plans must be checked again.
    pub fn touches_plans(&self) -> bool {
        match self {
            Write::Plan(_) => true,
            Write::Court { costs, .. } => costs.is_some_and(|c| c.is_positive()),
            _ => false,
        }
    }

    /// What the status line says once it is saved.
    pub fn done(&self) -> String {
        match self {
            Write::Action { kind, .. } => format!("Saved: {}.", kind.label()),
            Write::Override {
                recommendation,
                until,
                ..
            } => {
                format!(
                    "Override saved: {} not done; looked at again on {}.",
                    recommendation.label(),
                    uk(*until)
                )
            }
            Write::Pause {
                kind: PauseKind::Pause,
                reason,
                until,
                ..
            } if reason == "lifted" => {
                format!("Pause lifted (ended {}).", uk(*until))
            }
            Write::Pause { kind, until, .. } => format!("{} until {}.", kind.label(), uk(*until)),
            Write::Notice {
                kind, served_on, ..
            } => {
                let dates = kind.dates(*served_on);
                format!(
                    "{} served {}: proceedings from {}; lapses {}.",
                    kind.label(),
                    uk(*served_on),
                    uk(dates.proceedings_from),
                    uk(dates.lapses)
                )
            }
            Write::Court {
                kind,
                on_date,
                outcome,
                ..
            } => match (kind, outcome) {
                (CourtEventKind::Outcome, Some(outcome)) => format!("Saved: {}.", outcome.label()),
                _ => format!(
                    "Saved: {} {}.",
                    kind.label(),
                    on_date.map(uk).unwrap_or_default()
                ),
            },
            Write::BreathingSpace { starts, until, .. } => {
                format!(
                    "Breathing space from {} to {} saved.",
                    uk(*starts),
                    uk(*until)
                )
            }
            Write::Plan(plan) => plan.done(),
        }
    }

    pub fn apply(
        &self,
        w: &mut Writer<'_>,
        now: NaiveDateTime,
        officer: &str,
        codes: &CodeMaps,
    ) -> store::Result<()> {
        let id = self.tenancy_id();
        let log = |w: &mut Writer<'_>, kind: ActionKind, summary: &str| {
            w.append_action(&NewAction {
                tenancy_id: id,
                at: now,
                kind,
                code: codes.code_for_action(kind),
                officer,
                summary,
                ext_id: None,
            })
            .map(drop)
        };
        match self {
            Write::Action { kind, summary, .. } => log(w, *kind, summary),
            Write::Override {
                recommendation,
                reason,
                until,
                ..
            } => {
                w.add_override(&NewOverride {
                    tenancy_id: id,
                    recommendation: recommendation.as_str(),
                    rule: Some(recommendation.rule_number()),
                    reason,
                    officer,
                    at: now,
                })?;
                let why = format!("override: {} not done: {reason}", recommendation.label());
                w.add_pause(&pause(
                    id,
                    PauseKind::Snooze,
                    *until,
                    &why,
                    "",
                    officer,
                    now,
                ))?;
                log(
                    w,
                    ActionKind::Other,
                    &format!(
                        "Did not {}: {reason}",
                        recommendation.label().to_lowercase()
                    ),
                )
            }
            Write::Pause {
                kind,
                until,
                reason,
                comment,
                ..
            } => {
                w.add_pause(&pause(id, *kind, *until, reason, comment, officer, now))?;
                match kind {
                    PauseKind::Snooze => Ok(()),
                    PauseKind::Pause if reason == "lifted" => {
                        log(w, ActionKind::Other, "Pause lifted")
                    }
                    PauseKind::Pause => log(
                        w,
                        ActionKind::Other,
                        &format!("Paused until {}: {reason}", uk(*until)),
                    ),
                }
            }
            Write::Notice {
                kind,
                served_on,
                grounds,
                amount,
                ..
            } => {
                w.serve_notice(&NewNotice {
                    tenancy_id: id,
                    kind: *kind,
                    served_on: *served_on,
                    grounds,
                    amount: *amount,
                    officer,
                    ext_id: None,
                })?;
                log(
                    w,
                    ActionKind::NoticeServed,
                    &format!("{} served {}: {grounds}", kind.label(), uk(*served_on)),
                )
            }
            Write::Court {
                kind,
                on_date,
                outcome,
                terms,
                costs,
                ..
            } => {
                w.record_court_event(&NewCourtEvent {
                    tenancy_id: id,
                    kind: *kind,
                    on_date: *on_date,
                    outcome: *outcome,
                    code: None,
                    terms,
                    possession_on: None,
                    costs: *costs,
                    officer,
                    ext_id: None,
                })?;
                if let Some(costs) = costs.filter(|c| c.is_positive()) {
                    let account = w.account(id, DebtType::CourtCosts)?;
                    w.append_entry(&NewEntry {
                        account_id: account,
                        date: on_date.unwrap_or(now.date()),
                        kind: EntryKind::Charge,
                        method: None,
                        amount: costs,
                        description: Some("Court costs"),
                        reverses: None,
                        ext_id: None,
                    })?;
                }
                let day = on_date.map(uk).unwrap_or_default();
                match (kind, outcome) {
                    (CourtEventKind::Outcome, Some(o)) => {
                        let terms = if terms.is_empty() {
                            String::new()
                        } else {
                            format!(": {terms}")
                        };
                        log(
                            w,
                            ActionKind::CourtOutcome,
                            &format!("Hearing {day}: {}{terms}", o.label()),
                        )
                    }
                    (CourtEventKind::WarrantApplied, _) => {
                        log(w, ActionKind::WarrantApplied, "Warrant applied for")
                    }
                    (kind, _) => log(w, ActionKind::Other, &format!("{} {day}", kind.label())),
                }
            }
            Write::BreathingSpace { starts, until, .. } => {
                w.set_breathing_space(id, Some(*until))?;
                log(
                    w,
                    ActionKind::Other,
                    &format!("Breathing space from {} to {}", uk(*starts), uk(*until)),
                )
            }
            Write::Plan(plan) => plan.apply(w, now, officer, &log),
        }
    }
}

fn pause<'a>(
    tenancy_id: i64,
    kind: PauseKind,
    until: NaiveDate,
    reason: &'a str,
    comment: &'a str,
    officer: &'a str,
    at: NaiveDateTime,
) -> NewPause<'a> {
    NewPause {
        tenancy_id,
        kind,
        until,
        reason,
        comment,
        officer,
        at,
        ext_id: None,
    }
}
