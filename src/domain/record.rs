//! What is recorded on a case, as one value per thing: a step taken, a notice, a court event, a
//! pause, a call with its note and promises, a plan version... The store turns each into its rows,
//! its line in the action log and its audit entry in one transaction (`Writer::record`), so the
//! workstation, the demo and any other writer record the same thing the same way.

use super::actions::ActionKind;
use super::affordability::{Affordability, Statement};
use super::contact::{self, ContactOutcome, ReferralKind, ReferralStatus, VulnerabilityCategory};
use super::dates::uk;
use super::letter::{LetterKind, Sent};
use super::plan_draft::ReadyPlan;
use super::policy::Recommendation;
use super::promise::Promise;
use super::recovery::{Claim, CourtEvent, CourtEventKind, Notice, PauseKind};
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A step taken (a letter or an SMS sent, a visit), with its line for the log.
    Action {
        tenancy_id: i64,
        kind: ActionKind,
        summary: String,
    },
    /// A letter (or text) produced and sent: its files and their content hashes, so the history
    /// links to exactly what was sent.
    Letter {
        tenancy_id: i64,
        sent: Box<Sent>,
    },
    /// A letter that could not be produced, and why: the policy's rule 2 asks for a review.
    LetterFailed {
        tenancy_id: i64,
        letter: LetterKind,
        reason: String,
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
    /// A pause or snooze (or both) lifted before its date: each ends yesterday.
    Lift {
        tenancy_id: i64,
        kinds: Vec<PauseKind>,
    },
    Notice {
        tenancy_id: i64,
        notice: Notice,
    },
    /// A court date applied for (the claim issued).
    Claim {
        tenancy_id: i64,
        claim: Claim,
        /// Why it comes before the notice allows proceedings, if it does.
        early: String,
    },
    /// A hearing, an outcome, a warrant applied for or an eviction date.
    Court {
        tenancy_id: i64,
        event: CourtEvent,
        /// Why a hearing comes before the notice allows proceedings, if it does.
        early: String,
    },
    /// An eviction carried out: the tenancy ends, and what is owed becomes former tenant arrears.
    Evicted {
        tenancy_id: i64,
        on: NaiveDate,
    },
    BreathingSpace {
        tenancy_id: i64,
        starts: NaiveDate,
        until: NaiveDate,
    },
    /// A call or other contact, with its note and any promises; its draft goes with it.
    Contact(Box<Contact>),
    /// A contact recorded again with its promises or its call back corrected: who, when, how
    /// long, what came of it and the checklist copied from the contact `of` (its line in the
    /// action log), its note left with that one. Only ever a correction's replacement.
    SameContact {
        tenancy_id: i64,
        of: i64,
        promises: Vec<Promise>,
        call_back: Option<NaiveDateTime>,
    },
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
    /// An earlier record corrected: taken out of force as recorded in error, or replaced by a
    /// corrected one. Both stay in the history; nothing is deleted.
    Correct(Box<Correction>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub tenancy_id: i64,
    /// The record corrected, by its line in the action log.
    pub action_id: i64,
    /// That line as the history shows it (`Kind: words`), for what is said about it.
    pub line: String,
    pub reason: String,
    /// The corrected record, if it is replaced rather than recorded in error.
    pub replacement: Option<Record>,
}

impl Correction {
    /// The kind of record corrected, e.g. "Court outcome": its line reads `Kind: words`.
    pub fn what(&self) -> &str {
        self.line
            .split_once(": ")
            .map_or(&self.line, |(kind, _)| kind)
    }

    /// The line its replacement will have in the history (`Kind: words`): a contact recorded
    /// again keeps its line but for what came of it, which is corrected.
    pub fn replacement_line(&self) -> Option<String> {
        match self.replacement.as_ref()? {
            Record::SameContact {
                promises,
                call_back,
                ..
            } => contact::line_again(
                &self.line,
                contact::Outcome {
                    outcome: if call_back.is_some() {
                        ContactOutcome::CallBack
                    } else {
                        ContactOutcome::PromiseToPay
                    },
                    promises,
                    call_back: *call_back,
                },
            ),
            record => record
                .line()
                .map(|(kind, line)| format!("{}: {line}", kind.label())),
        }
    }
}

/// Why a pause row ends one early: lifting is recorded as a pause that ended yesterday.
pub const LIFTED: &str = "lifted";

/// "Pause", "Snooze", "Pause and snooze".
fn lifted(kinds: &[PauseKind]) -> String {
    let names: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            PauseKind::Pause => "pause",
            PauseKind::Snooze => "snooze",
        })
        .collect();
    capitalised(&names.join(" and "))
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
    /// What came of it.
    pub fn outcome(&self) -> contact::Outcome<'_> {
        contact::Outcome {
            outcome: self.outcome,
            promises: &self.promises,
            call_back: self.call_back,
        }
    }

    /// The action's one line: who, how long, what came of it, and what the checklist covered
    /// (so a court reading the log sees advice was given).
    pub fn summary(&self) -> String {
        contact::with_checklist(
            contact::summary(
                self.kind,
                &self.party,
                self.outgoing,
                self.seconds,
                self.outcome(),
            ),
            &self.checklist.join(", "),
        )
    }
}

impl Record {
    pub fn tenancy_id(&self) -> i64 {
        match self {
            Record::Action { tenancy_id, .. }
            | Record::Letter { tenancy_id, .. }
            | Record::LetterFailed { tenancy_id, .. }
            | Record::Override { tenancy_id, .. }
            | Record::Pause { tenancy_id, .. }
            | Record::Lift { tenancy_id, .. }
            | Record::Notice { tenancy_id, .. }
            | Record::Claim { tenancy_id, .. }
            | Record::Court { tenancy_id, .. }
            | Record::Evicted { tenancy_id, .. }
            | Record::BreathingSpace { tenancy_id, .. }
            | Record::Note { tenancy_id, .. }
            | Record::Vulnerability { tenancy_id, .. }
            | Record::Referral { tenancy_id, .. }
            | Record::PlanVersion { tenancy_id, .. }
            | Record::CancelPlan { tenancy_id, .. }
            | Record::Assessment { tenancy_id, .. }
            | Record::SameContact { tenancy_id, .. } => *tenancy_id,
            Record::Contact(c) => c.tenancy_id,
            Record::Correct(c) => c.tenancy_id,
        }
    }

    /// Whether it changes a balance or a plan, so the tenancy's plans must be checked again.
    pub fn touches_plans(&self) -> bool {
        match self {
            // A correction may bring back a plan or take back a charge.
            Record::Correct(_) => true,
            Record::PlanVersion { .. } | Record::CancelPlan { .. } | Record::Assessment { .. } => {
                true
            }
            Record::Court { event, .. } => event.costs.is_some_and(|c| c.is_positive()),
            Record::Evicted { .. } => true,
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
            Record::Letter { sent, .. } => sent.done(),
            Record::LetterFailed { letter, reason, .. } => format!(
                "Recorded that {} could not be produced ({reason}): the queue asks for a review.",
                super::mid_sentence(letter.label())
            ),
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
            Record::Lift { kinds, .. } => format!("{} lifted.", lifted(kinds)),
            Record::Pause {
                kind,
                until,
                reason,
                ..
            } => format!("{} until {}{}.", kind.label(), uk(*until), because(reason)),
            Record::Notice { notice, .. } => {
                let dates = notice.kind.dates(notice.served_on);
                format!(
                    "{} served {}: proceedings from {}; lapses {}.",
                    notice.kind.label(),
                    uk(notice.served_on),
                    uk(dates.proceedings_from),
                    uk(dates.lapses)
                )
            }
            Record::Claim { claim, .. } => {
                format!("Saved: court date applied for {}.", uk(claim.applied_on))
            }
            Record::Court { event, .. } => match (event.kind, event.outcome) {
                (CourtEventKind::Outcome, Some(outcome)) => format!("Saved: {}.", outcome.label()),
                (kind, _) => format!(
                    "Saved: {} {}.",
                    kind.label(),
                    event.on_date.map(uk).unwrap_or_default()
                ),
            },
            Record::Evicted { on, .. } => format!(
                "Eviction on {} saved: the tenancy has ended and what is owed is former tenant \
                 arrears.",
                uk(*on)
            ),
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
                format!("Saved: {what}: {}.", contact::outcome_text(c.outcome()))
            }
            Record::SameContact { .. } => "Saved: the contact with its corrections.".into(),
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
            // What was corrected by its kind, not its whole line, so the message fits the status
            // line at 80 columns beside the mode.
            Record::Correct(c) => match &c.replacement {
                Some(_) => format!(
                    "Corrected: {} replaced (both stay in the history).",
                    c.what()
                ),
                None => format!("Recorded in error: {} (kept, struck through).", c.what()),
            },
        }
    }
}

impl Record {
    /// Its line in the action log, as the case history shows it: the kind and the words. A note
    /// on its own has none (it is a note). A plan version's line is [`plan_line`], with what it
    /// replaces, which only the store knows.
    pub fn line(&self) -> Option<(ActionKind, String)> {
        Some(match self {
            Record::Action { kind, summary, .. } => (*kind, summary.clone()),
            Record::Letter { sent, .. } => (sent.letter.action(), sent.line()),
            Record::LetterFailed { letter, reason, .. } => (
                ActionKind::LetterFailed,
                format!("{} not produced: {reason}", letter.label()),
            ),
            Record::Override {
                recommendation,
                reason,
                ..
            } => (
                ActionKind::Override,
                format!("{}: {reason}", recommendation.label()),
            ),
            Record::Pause {
                kind,
                until,
                reason,
                ..
            } => {
                let logged = match kind {
                    PauseKind::Snooze => ActionKind::Snooze,
                    PauseKind::Pause => ActionKind::Pause,
                };
                (logged, format!("Until {}{}", uk(*until), because(reason)))
            }
            Record::Lift { kinds, .. } => {
                let logged = match kinds.as_slice() {
                    [PauseKind::Snooze] => ActionKind::Snooze,
                    _ => ActionKind::Pause,
                };
                (logged, format!("{} lifted", lifted(kinds)))
            }
            Record::Notice { notice, .. } => {
                let how = notice
                    .served_how
                    .map_or(String::new(), |h| format!(", {}", h.label().to_lowercase()));
                (
                    ActionKind::NoticeServed,
                    format!(
                        "{} served {}{how}: {}",
                        notice.kind.label(),
                        uk(notice.served_on),
                        notice.grounds
                    ),
                )
            }
            Record::Claim { claim, early, .. } => (
                ActionKind::CourtDateApplied,
                format!(
                    "Applied {}{}{}{}",
                    uk(claim.applied_on),
                    also(&claim.court),
                    also(&claim_number(&claim.claim_number)),
                    before_notice(early)
                ),
            ),
            Record::Court { event, early, .. } => {
                let (kind, line) = court_line(event);
                (kind, format!("{line}{}", before_notice(early)))
            }
            Record::Evicted { on, .. } => (
                ActionKind::Evicted,
                format!("{}: the tenancy ended", uk(*on)),
            ),
            Record::BreathingSpace { starts, until, .. } => (
                ActionKind::BreathingSpace,
                format!("From {} to {}", uk(*starts), uk(*until)),
            ),
            Record::Contact(c) => (c.kind, c.summary()),
            // Its line is the contact's, which only the store has.
            Record::Note { .. } | Record::SameContact { .. } => return None,
            Record::Vulnerability {
                category, reason, ..
            } => (
                ActionKind::Vulnerability,
                match category {
                    Some(c) => format!("Flagged vulnerable ({}): {reason}", c.label()),
                    None => format!("Vulnerability flag removed: {reason}"),
                },
            ),
            Record::Referral {
                kind,
                status,
                comment,
                ..
            } => (
                ActionKind::Referral,
                format!(
                    "Referral to {} {}{}",
                    kind.label().to_lowercase(),
                    status.label().to_lowercase(),
                    because(comment)
                ),
            ),
            Record::PlanVersion { plan, flagged, .. } => (
                ActionKind::PlanAgreed,
                plan_line(plan, flagged.as_ref(), ""),
            ),
            Record::CancelPlan { reason, .. } => {
                (ActionKind::PlanCancelled, reason.trim().to_string())
            }
            // A correction is a row of its own (and its replacement's line is the replacement's).
            Record::Correct(c) => return c.replacement.as_ref().and_then(Record::line),
            Record::Assessment {
                assessed_on,
                statement,
                ..
            } => {
                let t = statement.totals();
                (
                    ActionKind::IncomeExpenditure,
                    format!(
                        "Assessed {}: income {}, outgoings {}, {} a month left for the plan",
                        uk(*assessed_on),
                        t.income,
                        t.fixed_costs + t.flexible_costs + t.savings + t.other_priority_debts,
                        t.available_for_plan.format_balance()
                    ),
                )
            }
        })
    }

    /// When it happened, for its line in the log: a step dated today happened now; one dated
    /// earlier, at the start of its day (DOMAIN.md: a date without a time is the start of it).
    pub fn when(&self, now: NaiveDateTime) -> NaiveDateTime {
        let dated = match self {
            Record::Notice { notice, .. } => Some(notice.served_on),
            Record::Claim { claim, .. } => Some(claim.applied_on),
            Record::Court { event, .. } if event.kind == CourtEventKind::WarrantApplied => {
                event.on_date
            }
            Record::Evicted { on, .. } => Some(*on),
            _ => None,
        };
        match dated {
            Some(day) if day < now.date() => day.and_time(chrono::NaiveTime::MIN),
            _ => now,
        }
    }
}

/// A court event's line: a hearing with its time and court, an outcome with its terms, a
/// warrant with its number.
fn court_line(event: &CourtEvent) -> (ActionKind, String) {
    let day = event.on_date.map(uk).unwrap_or_default();
    let time = event
        .time
        .map_or(String::new(), |t| format!(" at {}", t.format("%H:%M")));
    match (event.kind, event.outcome) {
        (CourtEventKind::Outcome, Some(o)) => (
            ActionKind::CourtOutcome,
            format!("Hearing {day}: {}{}", o.label(), because(&event.terms)),
        ),
        (CourtEventKind::Outcome, None) => (ActionKind::CourtOutcome, format!("Hearing {day}")),
        (CourtEventKind::WarrantApplied, _) => (
            ActionKind::WarrantApplied,
            format!(
                "Applied {day}{}",
                also(&match event.reference.as_str() {
                    "" => String::new(),
                    number => format!("warrant {number}"),
                })
            ),
        ),
        (CourtEventKind::Hearing, _) => (
            ActionKind::Hearing,
            format!("{day}{time}{}", also(&event.court)),
        ),
        (CourtEventKind::EvictionDate, _) => (ActionKind::EvictionDate, format!("{day}{time}")),
    }
}

/// A plan version's line: its terms, the plans it replaces (`replacing`, e.g. ", replacing the
/// informal plan agreed 02/11/2026"), an affordability flag, and why.
pub fn plan_line(plan: &ReadyPlan, flagged: Option<&Affordability>, replacing: &str) -> String {
    let flag = flagged.map_or(String::new(), |a| format!(" ({})", a.wording()));
    format!(
        "{}{replacing}{flag}. Why: {}",
        capitalised(&plan.terms()),
        plan.reason
    )
}

/// The first letter in capitals, as a line of the history starts.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// ", the detail" when there is one.
fn also(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(", {detail}")
    }
}

/// Why a claim or hearing comes before the notice allows proceedings, if the officer said.
fn before_notice(why: &str) -> String {
    if why.is_empty() {
        String::new()
    } else {
        format!("; before the notice allows proceedings: {why}")
    }
}

fn claim_number(number: &str) -> String {
    if number.is_empty() {
        String::new()
    } else {
        format!("claim {number}")
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
