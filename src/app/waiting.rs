//! A write that finds the database busy (another officer saving, an import running) waits, saying
//! so, and is tried again on every tick until it lands, instead of failing. An attempt that finds
//! the database busy has written nothing (the write lock is taken before the first row), so
//! trying again can neither lose the write nor make it twice. While it waits, keys wait too, so
//! nothing typed meanwhile can be left out of what is saved; Esc stops waiting and leaves
//! everything as it was (the note or form still open).

use super::action::{Action, Command as C};
use super::effects::Effect;
use super::state::{Message, State};
use crate::domain::record::Record;

const WAITING: &str = "Saving: waiting for the database (another officer or an import is \
                       writing). Keys wait too; Esc stops waiting.";

/// The store found the database busy: wait, and say so.
pub(super) fn started(state: &mut State, record: Record) -> Vec<Effect> {
    state.waiting = Some(record);
    state.message = Some(Message::Info(WAITING.into()));
    vec![]
}

/// While a write waits: Esc stops waiting, other keys are held back; anything else goes on.
pub(super) fn intercept(state: &mut State, action: &Action) -> Option<Vec<Effect>> {
    state.waiting.as_ref()?;
    match action {
        Action::Command(C::Back) => {
            state.waiting = None;
            state.message = Some(Message::Error(
                "Stopped waiting: nothing was saved, and nothing is lost; save again when ready."
                    .into(),
            ));
            Some(vec![])
        }
        Action::Command(_)
        | Action::Type(_)
        | Action::Paste(_)
        | Action::Edit(_)
        | Action::Unbound(_) => {
            state.message = Some(Message::Info(WAITING.into()));
            Some(vec![])
        }
        _ => None,
    }
}

/// On each tick, the waiting write is tried again.
pub(super) fn retry(state: &mut State) -> Vec<Effect> {
    state.waiting.take().map(Effect::Save).into_iter().collect()
}
