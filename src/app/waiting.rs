//! A write that finds the database busy (another officer saving, an import running) waits, saying
//! so, and is tried again on every tick until it lands, instead of failing. An attempt that finds
//! the database busy has written nothing (the write lock is taken before the first row), so
//! trying again can neither lose the write nor make it twice. While it waits, keys wait too:
//! each is held with the mode it was typed in and applied, in order, once the write has landed
//! (or failed, or Esc stopped waiting). Text typed into a note that the write then saved and
//! closed goes into a new note on the same account, kept as its draft: nothing typed is dropped,
//! and no key meant for the note is taken as a command of the queue.

use super::action::{Action, Command as C};
use super::effects::Effect;
use super::keymap::ModeKeys;
use super::state::{Message, State};
use crate::domain::record::Record;

const WAITING: &str = "Saving: waiting for the database (another officer or an import is \
                       writing). Keys wait too; Esc stops waiting.";

/// A key's action held while a write waits, with the mode it was typed in.
pub(super) type Held = (ModeKeys, Action);

/// A write waiting for the database, and the keys typed meanwhile.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub record: Record,
    /// Each key's action with the mode it was typed in, oldest first.
    held: Vec<Held>,
    /// The write is being tried again now: the next result of a write is its own.
    trying: bool,
}

/// The store found the database busy: wait, and say so (keys held so far stay held).
pub(super) fn started(state: &mut State, record: Record) -> Vec<Effect> {
    let held = state.waiting.take().map(|w| w.held).unwrap_or_default();
    state.waiting = Some(Waiting {
        record,
        held,
        trying: false,
    });
    state.message = Some(Message::Info(WAITING.into()));
    vec![]
}

/// While a write waits: Esc stops waiting, other keys are held back; anything else goes on.
pub(super) fn intercept(state: &mut State, action: &Action) -> Option<Vec<Effect>> {
    state.waiting.as_ref()?;
    match action {
        Action::Command(C::Back) => {
            let held = state.waiting.take().map(|w| w.held).unwrap_or_default();
            state.message = Some(Message::Error(
                "Stopped waiting: nothing was saved, and nothing is lost; save again when ready."
                    .into(),
            ));
            Some(replay(state, held, None))
        }
        Action::Command(_)
        | Action::Type(_)
        | Action::Paste(_)
        | Action::Edit(_)
        | Action::Unbound(_) => {
            let mode = state.keys();
            if let Some(waiting) = state.waiting.as_mut() {
                waiting.held.push((mode, action.clone()));
            }
            state.message = Some(Message::Info(WAITING.into()));
            Some(vec![])
        }
        _ => None,
    }
}

/// On each tick, the waiting write is tried again (its held keys stay held until it lands).
pub(super) fn retry(state: &mut State) -> Vec<Effect> {
    match state.waiting.as_mut() {
        Some(waiting) => {
            waiting.trying = true;
            vec![Effect::Save(waiting.record.clone())]
        }
        None => vec![],
    }
}

/// The write being tried again has landed or failed: it waits no more. Its held keys, and the
/// account whose note it saved (if it did), for [`replay`] once the result is taken in.
pub(super) fn ended(state: &mut State) -> Option<(Vec<Held>, Option<i64>)> {
    if !state.waiting.as_ref().is_some_and(|w| w.trying) {
        return None;
    }
    let waiting = state.waiting.take()?;
    let note = waiting
        .record
        .ends_draft()
        .then(|| waiting.record.tenancy_id());
    Some((waiting.held, note))
}

/// Applies the held keys in order, each in the mode it was typed in. Text typed into the note
/// that `saved_note` closed opens a new note on that account and goes into it; a key of a mode
/// no longer open (a confirmation already answered) is not applied, and the status line says so.
/// A held key that saves again holds the keys after it until that save has landed too.
pub(super) fn replay(state: &mut State, held: Vec<Held>, saved_note: Option<i64>) -> Vec<Effect> {
    let said = state.message.clone();
    let (mut effects, mut continued, mut unused_keys) = (Vec::new(), false, 0);
    let mut held = held.into_iter();
    while let Some((mode, action)) = held.next() {
        let text = matches!(action, Action::Type(_) | Action::Paste(_));
        if mode == ModeKeys::Editor
            && text
            && state.editor.is_none()
            && let Some(tenancy_id) = saved_note
        {
            effects.extend(super::call::continue_note(state, tenancy_id));
            continued = true;
        }
        if state.keys() != mode {
            unused_keys += 1;
            continue;
        }
        let done = super::update::update(state, action);
        let saving = done.iter().find_map(|e| match e {
            Effect::Save(record) => Some(record.clone()),
            _ => None,
        });
        effects.extend(done);
        if let Some(record) = saving {
            let rest: Vec<Held> = held.by_ref().collect();
            if !rest.is_empty() {
                state.waiting = Some(Waiting {
                    record,
                    held: rest,
                    trying: true,
                });
            }
        }
    }
    let mut extra = Vec::new();
    if continued {
        extra.push("What you typed meanwhile is in a new note, kept as a draft.".to_string());
    }
    if unused_keys > 0 {
        extra.push(format!(
            "{unused_keys} key(s) pressed meanwhile were for a step already done."
        ));
    }
    state.message = match said {
        _ if extra.is_empty() => state.message.take().or(said),
        Some(Message::Error(text)) => Some(Message::Error(format!("{text} {}", extra.join(" ")))),
        Some(Message::Info(text)) => Some(Message::Info(format!("{text} {}", extra.join(" ")))),
        None => Some(Message::Info(extra.join(" "))),
    };
    effects
}
