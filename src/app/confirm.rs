//! Nothing is recorded silently: every record is shown as it will be saved (its details, and the
//! line the case history will show), with what the officer should know first (the same step
//! already on record, a breathing space), and saved only on a second
//! key. Esc goes back to the form with what was typed, or, for a step with no form, records
//! nothing.

use super::action::Command as C;
use super::effects::Effect;
use super::state::{Message, Overlay, State};
use crate::domain::dates::{uk, uk_time};
use crate::domain::reassign::Reassignment;
use crate::domain::record::Record;
use crate::domain::recovery::{CourtEventKind, CourtOutcome};
use crate::store::{AccountDetail, HistoryKind};
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub title: String,
    /// What will be saved: (what, value).
    pub rows: Vec<(String, String)>,
    /// The line the case history will show.
    pub line: String,
    /// What the officer should know before saving.
    pub warnings: Vec<String>,
    pub saving: Saving,
    /// Shown over the form it came from, which closes with it when it is saved.
    pub over_form: bool,
}

impl Confirmation {
    /// The confirmation of `record`, its details as `rows`, checked against the open account.
    pub fn new(
        title: String,
        rows: Vec<(String, String)>,
        record: Record,
        account: Option<&AccountDetail>,
        today: NaiveDate,
    ) -> Confirmation {
        let line = match &record {
            // A call corrected: its line with what came of it corrected.
            Record::Correct(c) => c.replacement_line(),
            _ => record
                .line()
                .map(|(kind, line)| format!("{}: {line}", kind.label())),
        }
        .map(|line| format!("▸ {line}"))
        .unwrap_or_default();
        let warnings = account.map_or_else(Vec::new, |a| warnings(&record, a, today));
        Confirmation {
            title,
            rows,
            line,
            warnings,
            saving: Saving::Record(record),
            over_form: false,
        }
    }

    /// The confirmation of moving accounts to another officer (no case history line: the move is
    /// in the audit trail).
    pub fn reassign(
        title: String,
        rows: Vec<(String, String)>,
        warnings: Vec<String>,
        reassignment: Reassignment,
    ) -> Confirmation {
        Confirmation {
            title,
            rows,
            line: String::new(),
            warnings,
            saving: Saving::Reassign(reassignment),
            over_form: false,
        }
    }
}

/// What a confirmation saves when accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Saving {
    Record(Record),
    /// Accounts moved to another officer (the coordinator's `:reassign`).
    Reassign(Reassignment),
}

/// What the officer should know before saving `record` on this account: the same step already
/// on record (a legal step recorded twice by mistake is never silent), a breathing space. A
/// letter is not confirmed here: it is shown as it will be sent (`letters`), with what protects
/// the tenant.
fn warnings(record: &Record, a: &AccountDetail, today: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let flags = &a.record.details.flags;
    // The law's bar on enforcement during a breathing space (the Debt Respite Scheme).
    let enforcement = match record {
        Record::Notice { notice, .. } => Some(notice.served_on),
        Record::Claim { claim, .. } => Some(claim.applied_on),
        Record::Court { event, .. } if event.kind == CourtEventKind::WarrantApplied => {
            event.on_date
        }
        _ => None,
    };
    if let Some(until) = enforcement.and_then(|on| flags.in_breathing_space(on)) {
        out.push(format!(
            "A breathing space is on record until {}: no notice may be served, no claim made \
             and no warrant enforced during it.",
            uk(until)
        ));
    }
    // An order made while a later hearing stays listed: one of the two is likely wrong.
    if let Record::Court { event, .. } = record
        && event.kind == CourtEventKind::Outcome
        && !event.outcome.is_some_and(CourtOutcome::is_adjournment)
        && let Some(listed) = a
            .latest_court(CourtEventKind::Hearing)
            .and_then(|h| h.on_date)
            .filter(|listed| event.on_date.is_some_and(|on| on < *listed))
    {
        out.push(format!(
            "A hearing is listed for {}, after this order: if it was heard earlier, correct that \
             hearing too (x in the case history).",
            uk(listed)
        ));
    }
    // The latest court order: a step before it belongs to an earlier round of the case.
    let since = a
        .latest_court(CourtEventKind::Outcome)
        .and_then(|e| e.on_date);
    let same = match record {
        // A correction replaces what it corrects: it is not a second one.
        Record::Correct(_) => None,
        Record::Claim { .. } => a
            .claims
            .iter()
            .find(|c| since.is_none_or(|order| c.claim.applied_on >= order))
            .map(|c| {
                format!(
                    "A court date was already applied for on {}: saving records a second \
                     application.",
                    uk(c.claim.applied_on)
                )
            }),
        Record::Court { event, .. } => a
            .court
            .iter()
            .map(|e| &e.event)
            .find(|e| {
                e.kind == event.kind
                    && match e.kind {
                        CourtEventKind::WarrantApplied => {
                            since.is_none_or(|order| e.on_date >= Some(order))
                        }
                        _ => e.on_date == event.on_date,
                    }
            })
            .map(|e| {
                format!(
                    "{} {} is already on record: saving records it again.",
                    e.kind.label(),
                    e.on_date.map(uk).unwrap_or_default()
                )
            }),
        Record::Notice { notice, .. } => a
            .notices
            .iter()
            .find(|n| n.notice.served_on == notice.served_on)
            .map(|n| {
                format!(
                    "A {} served on {} is already on record: saving records it again.",
                    n.notice.kind.label(),
                    uk(n.notice.served_on)
                )
            }),
        Record::Action { kind, .. } => a
            .history
            .iter()
            .find(|h| {
                h.at.date() == today
                    && matches!(&h.kind, HistoryKind::Action { kind: k, .. } if k == kind)
            })
            .map(|h| {
                format!(
                    "{} was already recorded at {} by {}: saving records it again.",
                    kind.label(),
                    uk_time(h.at),
                    h.officer.as_deref().unwrap_or("someone")
                )
            }),
        _ => None,
    };
    out.extend(same);
    out
}

/// Shows `confirmation` over whatever is open.
pub fn ask(state: &mut State, confirmation: Confirmation) -> Vec<Effect> {
    state.open(Overlay::Confirm(Box::new(confirmation)));
    vec![]
}

/// A key on the confirmation: save it, or go back.
pub fn command(state: &mut State, command: C) -> Vec<Effect> {
    match command {
        C::Accept | C::Save => {
            let Some(Overlay::Confirm(confirmation)) = state.close() else {
                return vec![];
            };
            // A record taken back is no longer there for `u` to take back.
            if let Saving::Record(Record::Correct(c)) = &confirmation.saving {
                state.written.retain(|w| w.action != Some(c.action_id));
            }
            if confirmation.over_form && matches!(state.top(), Some(Overlay::Form(_))) {
                state.close();
            }
            vec![match confirmation.saving {
                Saving::Record(record) => Effect::Save(record),
                Saving::Reassign(reassignment) => Effect::Reassign(reassignment),
            }]
        }
        C::Back => {
            let over_form = matches!(state.close(), Some(Overlay::Confirm(c)) if c.over_form);
            state.message = Some(Message::Info(if over_form {
                "Not saved: change what is needed, or Esc to close the form.".into()
            } else {
                "Not saved: nothing was recorded.".into()
            }));
            vec![]
        }
        C::Help => {
            state.open(Overlay::Help);
            vec![]
        }
        _ => vec![],
    }
}
