//! What the officer records, as one typed write, applied to the store in one transaction. Each
//! write also leaves an action in the contact log, so the case history shows it.

use super::plan_write::PlanWrite;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::codes::CodeMaps;
use crate::domain::contact::{
    self, ContactOutcome, ReferralKind, ReferralStatus, VulnerabilityCategory,
};
use crate::domain::dates::uk;
use crate::domain::ledger::EntryKind;
use crate::domain::policy::Recommendation;
use crate::domain::promise::Promise;
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use crate::domain::tenancy::DebtType;
use crate::store::{
    self, NewAction, NewContact, NewCourtEvent, NewEntry, NewNote, NewNotice, NewOverride,
    NewPause, Writer,
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
    /// A call or other contact, with its note and any promises; its draft goes with it.
    Contact(Box<Contact>),
    /// A note on its own, or a correction of an earlier one; its draft goes with it.
    Note {
        tenancy_id: i64,
        body: String,
        amends: Option<i64>,
    },
    Vulnerability {
        tenancy_id: i64,
        category: Option<VulnerabilityCategory>,
        reason: String,
    },
    Referral {
        tenancy_id: i64,
        kind: ReferralKind,
        made_on: NaiveDate,
        status: ReferralStatus,
        comment: String,
    },
    /// A plan version, a cancelled plan or an I&E assessment.
    Plan(PlanWrite),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub tenancy_id: i64,
    pub kind: ActionKind,
    pub party: String,
    pub third_party: bool,
    pub consent: bool,
    pub outgoing: Option<bool>,
    /// When a call began; the contact is logged at that moment.
    pub started: Option<NaiveDateTime>,
    pub seconds: Option<i64>,
    pub outcome: ContactOutcome,
    pub call_back: Option<NaiveDateTime>,
    pub checklist: Vec<&'static str>,
    pub note: String,
    pub promises: Vec<Promise>,
}

impl Contact {
    /// The action's one line: who, how long, what came of it, and what the checklist covered
    /// (so a court reading the log sees advice was given).
    pub fn summary(&self) -> String {
        let line = contact::summary(
            self.kind,
            &self.party,
            self.outgoing,
            self.seconds,
            self.outcome,
            &self.promises,
        );
        if self.checklist.is_empty() {
            line
        } else {
            format!("{line}; {}", self.checklist.join(", "))
        }
    }
}

impl Write {
    pub fn tenancy_id(&self) -> i64 {
        match self {
            Write::Action { tenancy_id, .. }
            | Write::Override { tenancy_id, .. }
            | Write::Pause { tenancy_id, .. }
            | Write::Notice { tenancy_id, .. }
            | Write::Court { tenancy_id, .. }
            | Write::BreathingSpace { tenancy_id, .. }
            | Write::Note { tenancy_id, .. }
            | Write::Vulnerability { tenancy_id, .. }
            | Write::Referral { tenancy_id, .. } => *tenancy_id,
            Write::Contact(c) => c.tenancy_id,
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

    /// Whether saving it removes the tenancy's draft (so pending draft saves must land first).
    pub fn ends_draft(&self) -> bool {
        matches!(self, Write::Contact(_) | Write::Note { .. })
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
            Write::Pause {
                kind,
                until,
                reason,
                ..
            } => format!("{} until {}{}.", kind.label(), uk(*until), because(reason)),
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
            Write::Contact(c) => {
                let what = crate::domain::mid_sentence(c.kind.label());
                let what = match c.seconds {
                    Some(s) => format!("{what} ({})", contact::duration(s)),
                    None => what,
                };
                format!(
                    "Saved: {what}: {}.",
                    contact::outcome_text(c.outcome, &c.promises)
                )
            }
            Write::Note { amends: None, .. } => "Note saved.".into(),
            Write::Note { .. } => "Correction saved; the earlier note is kept.".into(),
            Write::Vulnerability {
                category: Some(c), ..
            } => format!("Flagged vulnerable: {}.", c.label()),
            Write::Vulnerability { .. } => "Vulnerability flag removed.".into(),
            Write::Referral { kind, status, .. } => {
                format!("Referral to {} saved ({}).", kind.label(), status.label())
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
                let why = format!("{} not done: {reason}", recommendation.label());
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
                    ActionKind::Override,
                    &format!("{}: {reason}", recommendation.label()),
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
                let logged = match kind {
                    PauseKind::Snooze => ActionKind::Snooze,
                    PauseKind::Pause => ActionKind::Pause,
                };
                if *kind == PauseKind::Pause && reason == "lifted" {
                    return log(w, logged, "Lifted");
                }
                log(
                    w,
                    logged,
                    &format!("Until {}{}", uk(*until), because(reason)),
                )
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
                    (CourtEventKind::Hearing, _) => log(w, ActionKind::Hearing, &day),
                    (_, _) => log(w, ActionKind::EvictionDate, &day),
                }
            }
            Write::BreathingSpace { starts, until, .. } => {
                w.set_breathing_space(id, Some(*until))?;
                log(
                    w,
                    ActionKind::BreathingSpace,
                    &format!("From {} to {}", uk(*starts), uk(*until)),
                )
            }
            Write::Contact(c) => {
                let checklist: Vec<&str> = c.checklist.clone();
                w.save_contact(&NewContact {
                    tenancy_id: id,
                    kind: c.kind,
                    code: codes.code_for_action(c.kind),
                    at: c.started.unwrap_or(now),
                    officer,
                    summary: &c.summary(),
                    party: &c.party,
                    third_party: c.third_party,
                    consent: c.consent,
                    outgoing: c.outgoing,
                    started_at: c.started,
                    seconds: c.seconds,
                    outcome: c.outcome.as_str(),
                    call_back: c.call_back,
                    checklist: &checklist,
                    note: &c.note,
                    promises: &c.promises,
                })
                .map(drop)
            }
            Write::Note { body, amends, .. } => {
                w.append_note(&NewNote {
                    tenancy_id: id,
                    at: now,
                    officer,
                    body,
                    action_id: None,
                    amends: *amends,
                })?;
                w.delete_draft(id)
            }
            Write::Vulnerability {
                category, reason, ..
            } => {
                let label = category.map(|c| c.as_str()).unwrap_or_default();
                w.set_vulnerability(id, category.is_some(), label, reason)?;
                log(
                    w,
                    ActionKind::Vulnerability,
                    &match category {
                        Some(c) => format!("Flagged vulnerable ({}): {reason}", c.label()),
                        None => format!("Vulnerability flag removed: {reason}"),
                    },
                )
            }
            Write::Referral {
                kind,
                made_on,
                status,
                comment,
                ..
            } => {
                w.add_referral(
                    id,
                    kind.as_str(),
                    *made_on,
                    status.as_str(),
                    comment,
                    officer,
                )?;
                let comment = if comment.is_empty() {
                    String::new()
                } else {
                    format!(": {comment}")
                };
                log(
                    w,
                    ActionKind::Referral,
                    &format!(
                        "Referral to {} {}{comment}",
                        kind.label().to_lowercase(),
                        status.label().to_lowercase()
                    ),
                )
            }
            Write::Plan(plan) => plan.apply(w, now, officer, &log),
        }
    }
}

/// ": the reason" after a date, or nothing when no reason was given.
fn because(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
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
