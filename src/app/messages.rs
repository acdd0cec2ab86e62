//! The status line's messages since the workstation was opened, each with its time: a message too
//! long for the line is read in full in the messages pop-up (`M`, `:messages`).

use super::state::{Message, Overlay, State};
use chrono::NaiveDateTime;
use std::collections::VecDeque;

/// How many messages are kept: enough for a morning's work, few enough to read.
const KEPT: usize = 50;

/// A message as it was shown, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub at: NaiveDateTime,
    pub message: Message,
}

impl Logged {
    pub fn text(&self) -> &str {
        self.message.text()
    }
}

/// The latest messages, the oldest dropped first.
#[derive(Clone, Debug, Default)]
pub struct Messages(VecDeque<Logged>);

impl Messages {
    pub fn newest_first(&self) -> impl Iterator<Item = &Logged> {
        self.0.iter().rev()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn push(&mut self, logged: Logged) {
        if self.0.len() == KEPT {
            self.0.pop_front();
        }
        self.0.push_back(logged);
    }
}

/// Keeps the status line's message if what was just done put a new one there.
pub fn keep(state: &mut State, before: Option<&Message>) {
    if let Some(message) = &state.message
        && before != Some(message)
    {
        let logged = Logged {
            at: state.now,
            message: message.clone(),
        };
        state.messages.push(logged);
    }
}

/// Shows every kept message in full, newest first.
pub fn open(state: &mut State) {
    state.open(Overlay::Messages);
}
