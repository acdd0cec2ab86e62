//! What is recorded on a case, as one value per thing: a step taken, a notice, a court event, a
//! pause, a call with its note and promises, a plan version... The store turns each into its rows,
//! its line in the action log and its audit entry in one transaction (`Writer::record`), so the
//! workstation, the demo and any other writer record the same thing the same way.

use super::Money;
use super::actions::ActionKind;
use super::affordability::{Affordability, Statement};
use super::contact::{self, ContactOutcome, ReferralKind, ReferralStatus, VulnerabilityCategory};
use super::dates::uk;
use super::plan_draft::ReadyPlan;
use super::policy::Recommendation;
use super::promise::Promise;
use super::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A step taken (a letter or an SMS sent, a visit), with its line for the log.
    Action {
        tenancy_id: i64,
        kind: ActionKind,
        summary: String,
    },
    /// The officer does not follow the recommendation: the reason, and a look again on a date.
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
    /// A new plan version, replacing whatever the replacement rules say it replaces.
    PlanVersion {
        tenancy_id: i64,
        account_id: i64,
        plan: Box<ReadyPlan>,
        /// The I&E comparison when the instalment is above what it leaves (flagged, not refused).
        flagged: Option<Affordability>,
    },
    CancelPlan {
        tenancy_id: i64,
        plan_id: i64,
        reason: String,
    },
    /// An income and expenditure assessment.
    Assessment {
        tenancy_id: i64,
        assessed_on: NaiveDate,
        statement: Statement,
        note: String,
    },
}

/// Why a pause row ends one early: lifting is recorded as a pause that ended yesterday.
pub const LIFTED: &str = "lifted";

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

impl Record {
    pub fn tenancy_id(&self) -> i64 {
        match self {
            Record::Action { tenancy_id, .. }
            | Record::Override { tenancy_id, .. }
            | Record::Pause { tenancy_id, .. }
            | Record::Notice { tenancy_id, .. }
            | Record::Court { tenancy_id, .. }
            | Record::BreathingSpace { tenancy_id, .. }
            | Record::Note { tenancy_id, .. }
            | Record::Vulnerability { tenancy_id, .. }
            | Record::Referral { tenancy_id, .. }
            | Record::PlanVersion { tenancy_id, .. }
            | Record::CancelPlan { tenancy_id, .. }
            | Record::Assessment { tenancy_id, .. } => *tenancy_id,
            Record::Contact(c) => c.tenancy_id,
        }
    }

    /// Whether it changes a balance or a plan, so the tenancy's plans must be checked again.
    pub fn touches_plans(&self) -> bool {
        match self {
            Record::PlanVersion { .. } | Record::CancelPlan { .. } | Record::Assessment { .. } => {
                true
            }
            Record::Court { costs, .. } => costs.is_some_and(|c| c.is_positive()),
            _ => false,
        }
    }

    /// Whether saving it removes the tenancy's draft (so pending draft saves must land first).
    pub fn ends_draft(&self) -> bool {
        matches!(self, Record::Contact(_) | Record::Note { .. })
    }

    /// What the status line says once it is saved.
    pub fn done(&self) -> String {
        match self {
            Record::Action { kind, .. } => format!("Saved: {}.", kind.label()),
            Record::Override {
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
            Record::Pause {
                kind: PauseKind::Pause,
                reason,
                until,
                ..
            } if reason == LIFTED => {
                format!("Pause lifted (ended {}).", uk(*until))
            }
            Record::Pause {
                kind,
                until,
                reason,
                ..
            } => format!("{} until {}{}.", kind.label(), uk(*until), because(reason)),
            Record::Notice {
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
            Record::Court {
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
            Record::BreathingSpace { starts, until, .. } => {
                format!(
                    "Breathing space from {} to {} saved.",
                    uk(*starts),
                    uk(*until)
                )
            }
            Record::Contact(c) => {
                let what = super::mid_sentence(c.kind.label());
                let what = match c.seconds {
                    Some(s) => format!("{what} ({})", contact::duration(s)),
                    None => what,
                };
                format!(
                    "Saved: {what}: {}.",
                    contact::outcome_text(c.outcome, &c.promises)
                )
            }
            Record::Note { amends: None, .. } => "Note saved.".into(),
            Record::Note { .. } => "Correction saved; the earlier note is kept.".into(),
            Record::Vulnerability {
                category: Some(c), ..
            } => format!("Flagged vulnerable: {}.", c.label()),
            Record::Vulnerability { .. } => "Vulnerability flag removed.".into(),
            Record::Referral { kind, status, .. } => {
                format!("Referral to {} saved ({}).", kind.label(), status.label())
            }
            Record::PlanVersion { plan, .. } => format!("Plan saved: {}.", plan.terms()),
            Record::CancelPlan { .. } => "Plan cancelled.".into(),
            Record::Assessment { statement, .. } => format!(
                "Income and expenditure saved: {} a month left for the plan.",
                statement.totals().available_for_plan.format_balance()
            ),
        }
    }
}

/// ": the reason" after a date, or nothing when no reason was given.
pub fn because(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}
