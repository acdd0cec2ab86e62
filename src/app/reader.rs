//! The selected account read on a thread and connection of its own (the workstation does): a key
//! that moves the selection is drawn at once, from the queue's row, and the account's detail
//! follows a moment later. Keys pressed faster than accounts are read are not each read: the
//! thread reads only the latest account asked for, and an answer a later ask has overtaken is
//! dropped.

use super::action::Action;
use super::state::Settings;
use crate::store::{Opener, Store};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

/// Called once an answer is ready, to wake whatever waits for the officer's keys.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

pub struct AccountReader {
    asks: Sender<Ask>,
    answers: Receiver<(u64, Action)>,
    /// The number of the latest ask: only its answer is taken in.
    asked: u64,
    /// The number of the latest ask answered (or given up on).
    answered: u64,
}

struct Ask {
    number: u64,
    tenancy_id: i64,
    window: usize,
}

impl AccountReader {
    /// Starts the thread, which opens its connection at once: the first key does not wait for it.
    pub fn start(opener: Opener, settings: Settings, wake: Waker) -> AccountReader {
        let (asks, asked) = mpsc::channel::<Ask>();
        let (answer, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let store = opener.open();
            while let Ok(mut ask) = asked.recv() {
                // The officer has moved on from every account but the latest.
                while let Ok(later) = asked.try_recv() {
                    ask = later;
                }
                let read = match &store {
                    Ok(store) => read(store, ask.tenancy_id, ask.window, &settings),
                    Err(e) => Action::Failed(format!("Could not read the account: {e}")),
                };
                if answer.send((ask.number, read)).is_err() {
                    break;
                }
                wake();
            }
        });
        AccountReader {
            asks,
            answers,
            asked: 0,
            answered: 0,
        }
    }

    /// Asks for an account with the newest `window` rows of each history source.
    pub fn ask(&mut self, tenancy_id: i64, window: usize) {
        self.asked += 1;
        let ask = Ask {
            number: self.asked,
            tenancy_id,
            window,
        };
        if self.asks.send(ask).is_err() {
            self.answered = self.asked;
        }
    }

    /// Whether the latest account asked for is still being read.
    pub fn reading(&self) -> bool {
        self.answered < self.asked
    }

    /// The answer to the latest ask, once it has come; answers to earlier asks are dropped.
    pub fn answer(&mut self) -> Option<Action> {
        let mut latest = None;
        loop {
            match self.answers.try_recv() {
                Ok((number, action)) => {
                    self.answered = self.answered.max(number);
                    if number == self.asked {
                        latest = Some(action);
                    }
                }
                Err(TryRecvError::Empty) => return latest,
                Err(TryRecvError::Disconnected) => return latest.or_else(|| self.stopped()),
            }
        }
    }

    /// Waits for the answer to the latest ask (tests and benchmarks settling).
    pub fn wait(&mut self) -> Option<Action> {
        while self.reading() {
            match self.answers.recv() {
                Ok((number, action)) => {
                    self.answered = self.answered.max(number);
                    if number == self.asked {
                        return Some(action);
                    }
                }
                Err(_) => return self.stopped(),
            }
        }
        None
    }

    /// The thread is gone (it cannot be, short of a panic): said once, not waited for again.
    fn stopped(&mut self) -> Option<Action> {
        let said = self.reading();
        self.answered = self.asked;
        said.then(|| Action::Failed("Could not read the account: the reading stopped.".into()))
    }
}

/// Reads an account for the screen, with who else is writing on it, as an action.
pub fn read(store: &Store, tenancy_id: i64, window: usize, settings: &Settings) -> Action {
    let tolerance = settings.plans.breach_tolerance_days.0;
    let (officer, judging) = (&settings.officer, settings.judging());
    match store.account_and_writing(officer, tenancy_id, window, judging, tolerance) {
        Ok(Some((detail, writing))) => Action::AccountLoaded(Box::new(detail), writing),
        Ok(None) => Action::Failed(format!(
            "Account {tenancy_id} is no longer in the database."
        )),
        Err(e) => Action::Failed(format!("Could not read the account: {e}")),
    }
}
