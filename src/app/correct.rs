//! Correcting what was recorded: `x` on the record at the top of the case history (recorded in
//! error with a reason, or replaced by a corrected one through its own form, filled from it), and
//! `u`, which takes back the officer's last record since the workstation was opened. Either way
//! nothing is deleted: the record stays in the history, struck through, and the policy, the
//! queue and the account read what is in force.

use super::action::Written;
use super::confirm::{self, Confirmation};
use super::effects::Effect;
use super::form::{Corrects, FieldId, Purpose};
use super::pick::Pick;
use super::picker::{Choice, Picker};
use super::state::{Message, State};
use crate::domain::actions::ActionKind;
use crate::domain::dates::{uk, uk_time};
use crate::domain::promise::Promise;
use crate::domain::record::{Correction, Record};
use crate::domain::recovery::CourtEventKind;
use crate::store::{AccountDetail, HistoryKind};

/// A record the officer asked to correct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub tenancy_id: i64,
    pub action_id: i64,
    pub kind: ActionKind,
    /// Its line as the history shows it.
    pub line: String,
    /// When it was recorded (a call: when it began).
    pub at: chrono::NaiveDateTime,
}

fn say(state: &mut State, text: &str) -> Vec<Effect> {
    state.message = Some(Message::Info(text.to_string()));
    vec![]
}

/// `x`: what to do with the record at the top of the case history.
pub fn start(state: &mut State) -> Vec<Effect> {
    if state.still_opening() {
        return vec![];
    }
    let Some(account) = state.current_account() else {
        return say(state, "Open an account first.");
    };
    let Some(item) = account.history.get(state.scroll.history) else {
        return say(state, "The case history is empty.");
    };
    let target = match &item.kind {
        HistoryKind::Action {
            corrected: Some(_), ..
        } => {
            return say(
                state,
                "That record is already corrected: correct the one that replaced it.",
            );
        }
        HistoryKind::Action { kind, .. } => Target {
            tenancy_id: account.record.tenancy_id,
            action_id: item.id,
            kind: *kind,
            line: format!("{}: {}", kind.label(), item.text),
            at: item.at,
        },
        HistoryKind::Note { .. } => {
            return say(
                state,
                "A note is corrected with e on the notes pane: both versions are kept.",
            );
        }
        HistoryKind::Entry { .. } => {
            return say(
                state,
                "Ledger entries come from the housing system, where a mistake is reversed.",
            );
        }
        // A promise or a call back is part of its call: the call is replaced by the same call
        // with them corrected, through their form.
        HistoryKind::Promise(p) => return correct_part(state, p.action_id, "promise"),
        HistoryKind::CallBack { .. } => return correct_part(state, Some(item.id), "call back"),
    };
    let when = format!(
        "recorded {} by {}",
        uk_time(item.at),
        item.officer.as_deref().unwrap_or("someone")
    );
    let mut choices = vec![Choice::new(
        Some('e'),
        "Recorded in error: take it out of force (say why)",
        Pick::CorrectError(target.clone()),
    )];
    if replacement(account, &target).is_some() {
        choices.push(Choice::new(
            Some('r'),
            "Replace it with a corrected one (its form, filled from it)",
            Pick::Replace(target.clone()),
        ));
    }
    // The record in full below the list: a title is cut to the width of the screen.
    state.open_picker(Picker::new("Correct this record", choices).hint(format!(
        "▸ {}, {when}. Either way it stays in the case history, struck through, with who \
         corrected it, when and why.",
        target.line
    )))
}

/// `x` on a promise or call back (`what`) given on the contact `call`: its form, filled from it,
/// to replace the contact with the same one corrected.
fn correct_part(state: &mut State, call: Option<i64>, what: &str) -> Vec<Effect> {
    let Some(account) = state.current_account() else {
        return vec![];
    };
    let target = call.and_then(|id| {
        account.history.iter().find_map(|h| match &h.kind {
            HistoryKind::Action {
                kind,
                corrected: None,
                ..
            } if h.id == id => Some(Target {
                tenancy_id: account.record.tenancy_id,
                action_id: id,
                kind: *kind,
                line: format!("{}: {}", kind.label(), h.text),
                at: h.at,
            }),
            _ => None,
        })
    });
    match target {
        Some(target) => chosen(state, Pick::Replace(target)),
        None if call.is_none() => say(
            state,
            &format!("This {what} came with the housing system's records: it is corrected there."),
        ),
        None => say(
            state,
            &format!(
                "This {what}'s call is further down the history: x on the call's line corrects it."
            ),
        ),
    }
}

/// A choice on the correction list.
pub fn chosen(state: &mut State, pick: Pick) -> Vec<Effect> {
    let (target, replace) = match pick {
        Pick::CorrectError(target) => (target, false),
        Pick::Replace(target) => (target, true),
        _ => return vec![],
    };
    let corrects = Corrects {
        action_id: target.action_id,
        line: target.line.clone(),
        at: target.at,
    };
    if !replace {
        let effects = state.open_form(Purpose::CorrectError(target.action_id));
        if let Some(form) = state.form_mut() {
            form.corrects = Some(corrects);
        }
        return effects;
    }
    let Some((purpose, values)) = state
        .current_account()
        .and_then(|a| replacement(a, &target))
    else {
        return say(state, "That record cannot be read to fill its form.");
    };
    let effects = state.open_form(purpose);
    if let Some(form) = state.form_mut() {
        form.replacing(corrects, &values);
    }
    effects
}

/// The form that records a corrected version of `target`, and its values to start from; `None`
/// when it can only be recorded in error (and then recorded anew).
fn replacement(a: &AccountDetail, target: &Target) -> Option<(Purpose, Vec<(FieldId, String)>)> {
    use FieldId as F;
    let mine = Some(target.action_id);
    let date = |d: Option<chrono::NaiveDate>| d.map(uk).unwrap_or_default();
    let time =
        |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    if target.kind == ActionKind::CourtDateApplied {
        let claim = &a.claims.iter().find(|c| c.action_id == mine)?.claim;
        return Some((
            Purpose::Claim,
            vec![
                (F::AppliedOn, uk(claim.applied_on)),
                (F::Court, claim.court.clone()),
                (F::ClaimNumber, claim.claim_number.clone()),
            ],
        ));
    }
    if target.kind == ActionKind::NoticeServed {
        let notice = &a.notices.iter().find(|n| n.action_id == mine)?.notice;
        return Some((
            Purpose::Notice(notice.kind),
            vec![
                (F::ServedOn, uk(notice.served_on)),
                (
                    F::ServedHow,
                    notice
                        .served_how
                        .map(|h| h.as_str().to_string())
                        .unwrap_or_default(),
                ),
                (F::Grounds, notice.grounds.clone()),
                (
                    F::ArrearsStated,
                    notice.amount.map(|m| m.to_string()).unwrap_or_default(),
                ),
            ],
        ));
    }
    if let Some(filled) = contact_part(a, target.action_id) {
        return Some(filled);
    }
    let event = &a.court.iter().find(|e| e.action_id == mine)?.event;
    Some(match event.kind {
        CourtEventKind::Hearing => (
            Purpose::Hearing,
            vec![
                (F::HearingOn, date(event.on_date)),
                (F::Time, time(event.time)),
                (F::Court, event.court.clone()),
            ],
        ),
        CourtEventKind::Outcome => (
            Purpose::Outcome,
            vec![
                (
                    F::Outcome,
                    event
                        .outcome
                        .map(|o| o.as_str().to_string())
                        .unwrap_or_default(),
                ),
                (F::HearingOn, date(event.on_date)),
                (F::Terms, event.terms.clone()),
                (
                    F::Costs,
                    event.costs.map(|m| m.to_string()).unwrap_or_default(),
                ),
            ],
        ),
        CourtEventKind::WarrantApplied => (
            Purpose::Warrant,
            vec![
                (F::AppliedOn, date(event.on_date)),
                (F::WarrantNumber, event.reference.clone()),
            ],
        ),
        CourtEventKind::EvictionDate => (
            Purpose::Eviction,
            vec![
                (F::EvictionOn, date(event.on_date)),
                (F::Time, time(event.time)),
            ],
        ),
    })
}

/// A contact's promises (the promise form) or its call back (the call back form), as recorded.
fn contact_part(a: &AccountDetail, action_id: i64) -> Option<(Purpose, Vec<(FieldId, String)>)> {
    use FieldId as F;
    let mut promises: Vec<&Promise> = a
        .promises
        .iter()
        .filter(|p| p.action_id == Some(action_id))
        .map(|p| &p.promise)
        .collect();
    promises.sort_by_key(|p| p.due);
    if let Some(first) = promises.first() {
        let (repeat, count) = match promises.as_slice() {
            [_] => ("once", 1),
            all => (repeats(all), all.len()),
        };
        return Some((
            Purpose::Promise,
            vec![
                (F::Amount, first.amount.to_string()),
                (F::By, uk(first.due)),
                (F::Repeat, repeat.to_string()),
                (F::Payments, count.to_string()),
            ],
        ));
    }
    let back = a
        .history
        .iter()
        .find(|h| h.id == action_id && matches!(h.kind, HistoryKind::CallBack { .. }))?;
    Some((
        Purpose::CallBack,
        vec![(F::CallBackAt, back.at.format("%d/%m/%Y %H:%M").to_string())],
    ))
}

/// How often a series of promises (two or more, in date order) fell due, as the promise form
/// names it.
fn repeats(series: &[&Promise]) -> &'static str {
    let days: Vec<i64> = series
        .windows(2)
        .map(|w| (w[1].due - w[0].due).num_days())
        .collect();
    match days.as_slice() {
        [7, ..] if days.iter().all(|d| *d == 7) => "weekly",
        [14, ..] if days.iter().all(|d| *d == 14) => "fortnightly",
        [28, ..] if days.iter().all(|d| *d == 28) => "four_weekly",
        _ => "monthly",
    }
}

/// `u`: the officer's last record since the workstation was opened, taken back (recorded in
/// error), after showing what will be taken back.
pub fn undo(state: &mut State) -> Vec<Effect> {
    let Some(Written {
        tenancy_id,
        action,
        line,
    }) = state.written.last().cloned()
    else {
        return say(state, "Nothing to undo since the workstation was opened.");
    };
    let Some(action) = action else {
        return say(
            state,
            "Your last record was a note: e corrects it (both versions are kept).",
        );
    };
    let reference = state
        .queue
        .item(tenancy_id)
        .map_or_else(String::new, |i| format!("{} {}", i.reference(), i.name()));
    let record = Record::Correct(Box::new(Correction {
        tenancy_id,
        action_id: action,
        line: line.clone(),
        reason: "undone by the officer who recorded it".into(),
        replacement: None,
    }));
    let rows = vec![
        ("Account".to_string(), reference),
        ("Take back".to_string(), format!("▸ {line}")),
        (
            "It stays".to_string(),
            "in the case history, struck through, as recorded in error".to_string(),
        ),
    ];
    let account = state
        .current_account()
        .filter(|a| a.record.tenancy_id == tenancy_id);
    let asked = Confirmation::new("Undo".into(), rows, record, account, state.settings.today);
    confirm::ask(state, asked)
}
