//! The selected account read on a thread and connection of its own (the workstation does): a key
//! that moves the selection is drawn at once, from the queue's row, and the account's detail
//! follows a moment later. Keys pressed faster than accounts are read are not each read: the
//! thread reads only the latest account asked for, and an answer a later ask has overtaken is
//! dropped. Who else is on the account is looked at again there too, every few seconds: on a
//! team's database a round trip the officer's keys would otherwise wait behind.
//!
//! An ask is held until [`AccountReader::send`], which the workstation calls once the key's frame
//! is written: woken before it, the reading thread took the core the frame was being drawn on
//! (on two cores, 0.6 ms of a key's 1.7 ms to the first byte of its frame).

use super::action::Action;
use super::state::Settings;
use crate::store::{Opener, Store};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

/// Called once an answer is ready, to wake whatever waits for the officer's keys.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

pub struct AccountReader {
    asks: Sender<Ask>,
    answers: Receiver<Answer>,
    /// The number of the latest ask for an account: only its answer is taken in.
    asked: u64,
    /// The number of the latest ask answered (or given up on).
    answered: u64,
    /// Who else is on an account, heard while an account's answer was waited for.
    writing: Option<Action>,
    /// Asks not sent to the thread yet (see [`AccountReader::send`]).
    held: Vec<Ask>,
}

enum Ask {
    Account {
        number: u64,
        tenancy_id: i64,
        window: usize,
    },
    Writing(i64),
}

enum Answer {
    Account(u64, Action),
    Writing(Action),
}

impl AccountReader {
    /// Starts the thread, which opens its connection at once: the first key does not wait for it.
    pub fn start(opener: Opener, settings: Settings, wake: Waker) -> AccountReader {
        let (asks, asked) = mpsc::channel::<Ask>();
        let (answer, answers) = mpsc::channel();
        std::thread::spawn(move || {
            // Off the keys' core: read there, an account kept the key's frame waiting behind it
            // for the core to write it out on (the frame's bytes go out on a kernel thread).
            crate::cores::leave_to_keys();
            let store = opener.open();
            while let Ok(first) = asked.recv() {
                // The officer has moved on from every account but the latest.
                let (mut account, mut writing) = (None, None);
                for ask in std::iter::once(first).chain(asked.try_iter()) {
                    match ask {
                        Ask::Account {
                            number,
                            tenancy_id,
                            window,
                        } => account = Some((number, tenancy_id, window)),
                        Ask::Writing(tenancy_id) => writing = Some(tenancy_id),
                    }
                }
                let mut answers = Vec::with_capacity(2);
                if let Some((number, tenancy_id, window)) = account {
                    let read = match &store {
                        Ok(store) => read(store, tenancy_id, window, &settings),
                        Err(e) => Action::Failed(format!("Could not read the account: {e}")),
                    };
                    answers.push(Answer::Account(number, read));
                }
                // An account read says who else is on it.
                if let Some(tenancy_id) = writing.filter(|id| account.is_none_or(|a| a.1 != *id)) {
                    let read = match &store {
                        Ok(store) => writing_on(store, tenancy_id, &settings),
                        Err(e) => Action::Failed(format!("Could not read who is writing: {e}")),
                    };
                    answers.push(Answer::Writing(read));
                }
                for a in answers {
                    if answer.send(a).is_err() {
                        return;
                    }
                }
                wake();
            }
        });
        AccountReader::new(asks, answers)
    }

    /// A reader that sends its asks on `asks` and takes its answers from `answers`.
    fn new(asks: Sender<Ask>, answers: Receiver<Answer>) -> AccountReader {
        AccountReader {
            asks,
            answers,
            asked: 0,
            answered: 0,
            writing: None,
            held: Vec::new(),
        }
    }

    /// Asks for an account with the newest `window` rows of each history source (sent with
    /// [`AccountReader::send`]).
    pub fn ask(&mut self, tenancy_id: i64, window: usize) {
        self.asked += 1;
        // An account asked for earlier and not sent is one the officer has already left.
        self.held.retain(|ask| !matches!(ask, Ask::Account { .. }));
        self.held.push(Ask::Account {
            number: self.asked,
            tenancy_id,
            window,
        });
    }

    /// Asks who else is on an account now (sent with [`AccountReader::send`]).
    pub fn ask_writing(&mut self, tenancy_id: i64) {
        self.held.push(Ask::Writing(tenancy_id));
    }

    /// Sends the thread what was asked since the last time: the workstation calls it once the
    /// frame of the keys that asked is written (see the module's comment).
    pub fn send(&mut self) {
        for ask in self.held.drain(..) {
            if self.asks.send(ask).is_err() {
                // A reader that is gone says so once, with the account (see `stopped`).
                self.answered = self.asked;
                break;
            }
        }
        self.held.clear();
    }

    /// Whether the latest account asked for is still being read (or waits to be sent).
    pub fn reading(&self) -> bool {
        self.answered < self.asked
    }

    /// The answer to the latest ask for an account, once it has come (answers to earlier asks
    /// are dropped), or else who else is on an account, once heard.
    pub fn answer(&mut self) -> Option<Action> {
        let mut latest = None;
        loop {
            match self.answers.try_recv() {
                Ok(answer) => {
                    if let Some(action) = self.take(answer) {
                        latest = Some(action);
                    }
                }
                Err(TryRecvError::Empty) => return latest.or_else(|| self.writing.take()),
                Err(TryRecvError::Disconnected) => {
                    return latest
                        .or_else(|| self.stopped())
                        .or_else(|| self.writing.take());
                }
            }
        }
    }

    /// Waits for the answer to the latest ask for an account (tests and benchmarks settling).
    pub fn wait(&mut self) -> Option<Action> {
        self.send();
        while self.reading() {
            match self.answers.recv() {
                Ok(answer) => {
                    if let Some(action) = self.take(answer) {
                        return Some(action);
                    }
                }
                Err(_) => return self.stopped(),
            }
        }
        None
    }

    /// An account's answer if it is the latest ask's; who else is writing is kept for later.
    fn take(&mut self, answer: Answer) -> Option<Action> {
        match answer {
            Answer::Account(number, action) => {
                self.answered = self.answered.max(number);
                (number == self.asked).then_some(action)
            }
            Answer::Writing(action) => {
                self.writing = Some(action);
                None
            }
        }
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

/// Who else is on a call with the account's tenant or writing a note on it, as an action.
pub fn writing_on(store: &Store, tenancy_id: i64, settings: &Settings) -> Action {
    match store.writing_on(tenancy_id, &settings.officer) {
        Ok(officers) => Action::Writing {
            tenancy_id,
            officers,
        },
        Err(e) => Action::Failed(format!("Could not read who is writing: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader whose thread is the test: what it was sent, and where to answer.
    fn reader() -> (AccountReader, Receiver<Ask>, Sender<Answer>) {
        let (asks, asked) = mpsc::channel();
        let (answer, answers) = mpsc::channel();
        (AccountReader::new(asks, answers), asked, answer)
    }

    fn sent(asked: &Receiver<Ask>) -> Vec<(u64, i64)> {
        asked
            .try_iter()
            .map(|ask| match ask {
                Ask::Account {
                    number, tenancy_id, ..
                } => (number, tenancy_id),
                Ask::Writing(tenancy_id) => (0, tenancy_id),
            })
            .collect()
    }

    #[test]
    fn accounts_asked_for_go_to_the_thread_when_sent_the_latest_only() {
        let (mut reader, asked, answer) = reader();
        reader.ask(7, 50);
        reader.ask(8, 50);
        reader.ask_writing(9);
        // Held until the frame of the keys that asked is written.
        assert!(sent(&asked).is_empty());
        assert!(reader.reading());
        reader.send();
        assert_eq!(sent(&asked), vec![(2, 8), (0, 9)]);
        reader.send();
        assert!(sent(&asked).is_empty());
        answer
            .send(Answer::Account(2, Action::Done("read".into())))
            .unwrap();
        assert_eq!(reader.answer(), Some(Action::Done("read".into())));
        assert!(!reader.reading());
    }

    #[test]
    fn waiting_for_an_account_sends_what_is_held() {
        let (mut reader, asked, answer) = reader();
        reader.ask(7, 50);
        answer
            .send(Answer::Account(1, Action::Done("read".into())))
            .unwrap();
        assert_eq!(reader.wait(), Some(Action::Done("read".into())));
        assert_eq!(sent(&asked), vec![(1, 7)]);
    }
}
