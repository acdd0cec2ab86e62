//! The selected account read on a thread and connection of its own (the workstation does): a key
//! that moves the selection is drawn at once, from the queue's row, and the account's detail
//! follows a moment later. Keys pressed faster than accounts are read are not each read: the
//! thread reads only the latest account asked for, and an answer a later ask has overtaken is
//! dropped. Who else is on the account is looked at again there too, every few seconds: on a
//! team's database a round trip the officer's keys would otherwise wait behind.
//!
//! Accounts another officer wrote to are read there as well (their facts, to re-place them in the
//! queue, and their text): over a WAN each is a round trip, and a busy team writes all day. Those
//! reads are numbered, and one of an account's facts (or text) answered after a newer read of
//! them (the officer's own write, read at once on her connection, or the whole queue ranked
//! again) is dropped: it would put older facts back.
//!
//! An ask is held until [`AccountReader::send`], which the workstation calls once the key's frame
//! is written: woken before it, the reading thread took the core the frame was being drawn on
//! (on two cores, 0.6 ms of a key's 1.7 ms to the first byte of its frame).

use super::action::Action;
use super::state::Settings;
use crate::store::{Opener, QueueFacts, QueueText, Store};
use std::collections::{HashMap, VecDeque};
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
    /// The number of the latest read of accounts' facts or text, asked for here or read
    /// elsewhere: they are numbered in the order they are read.
    read: u64,
    /// The number of the latest ask for accounts' facts or text, and of the latest answered.
    heard_asked: u64,
    heard_answered: u64,
    /// The number of the newest read of each account's facts, and of its text, taken in: an
    /// answer to an older one is dropped.
    facts_read: HashMap<i64, u64>,
    text_read: HashMap<i64, u64>,
    /// Every account was read at once as of this number (the whole queue ranked again).
    all_read: u64,
    /// Accounts' facts and text read, to be taken in one at a time.
    ready: VecDeque<Action>,
}

enum Ask {
    Account {
        number: u64,
        tenancy_id: i64,
        window: usize,
    },
    Writing(i64),
    /// The facts of accounts another officer wrote to, to re-place them in the queue.
    Facts {
        number: u64,
        ids: Vec<i64>,
    },
    /// Their text (another officer's write may have moved them to another officer or patch).
    Text {
        number: u64,
        ids: Vec<i64>,
    },
}

enum Answer {
    Account(u64, Action),
    Writing(Action),
    Heard(Heard),
}

/// Accounts' facts and text asked for together, read together and answered at once: the reader
/// is busy with them until both have come.
struct Heard {
    /// Read after every ask numbered up to this one.
    number: u64,
    facts: Option<Result<Vec<QueueFacts>, String>>,
    text: Option<Result<Vec<QueueText>, String>>,
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
                // The officer has moved on from every account but the latest; the accounts
                // written to are read together, after every ask for them.
                let (mut account, mut writing) = (None, None);
                let (mut facts, mut text) = ((0, Vec::new()), (0, Vec::new()));
                for ask in std::iter::once(first).chain(asked.try_iter()) {
                    match ask {
                        Ask::Account {
                            number,
                            tenancy_id,
                            window,
                        } => account = Some((number, tenancy_id, window)),
                        Ask::Writing(tenancy_id) => writing = Some(tenancy_id),
                        Ask::Facts { number, ids } => {
                            facts.0 = number;
                            facts.1.extend(ids);
                        }
                        Ask::Text { number, ids } => {
                            text.0 = number;
                            text.1.extend(ids);
                        }
                    }
                }
                let mut answers = Vec::with_capacity(4);
                if let Some((number, tenancy_id, window)) = account {
                    let read = match &store {
                        Ok(store) => read(store, tenancy_id, window, &settings),
                        Err(e) => Action::Failed(format!("Could not read the account: {e}")),
                    };
                    answers.push(Answer::Account(number, read));
                }
                let number = facts.0.max(text.0);
                let (facts, text) = (sorted(facts.1), sorted(text.1));
                let facts = (!facts.is_empty()).then(|| match &store {
                    Ok(store) => store
                        .queue_facts_of_each(&facts, settings.judging())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                });
                let text = (!text.is_empty()).then(|| match &store {
                    Ok(store) => store.queue_text(&text).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                });
                if facts.is_some() || text.is_some() {
                    answers.push(Answer::Heard(Heard {
                        number,
                        facts,
                        text,
                    }));
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
            read: 0,
            heard_asked: 0,
            heard_answered: 0,
            facts_read: HashMap::new(),
            text_read: HashMap::new(),
            all_read: 0,
            ready: VecDeque::new(),
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

    /// Asks for an account's facts again, another officer having written to it (sent with
    /// [`AccountReader::send`]; asks sent together are read together).
    pub fn ask_facts(&mut self, tenancy_id: i64) {
        self.read += 1;
        self.heard_asked = self.read;
        self.held.push(Ask::Facts {
            number: self.read,
            ids: vec![tenancy_id],
        });
    }

    /// Asks for these accounts' text again, another officer having written to them.
    pub fn ask_text(&mut self, tenancy_ids: &[i64]) {
        self.read += 1;
        self.heard_asked = self.read;
        self.held.push(Ask::Text {
            number: self.read,
            ids: tenancy_ids.to_vec(),
        });
    }

    /// The account's facts are being read on the officer's own connection (her own write): newer
    /// than any read of them asked for before, whose answer is dropped.
    pub fn facts_read_here(&mut self, tenancy_id: i64) {
        self.read += 1;
        self.facts_read.insert(tenancy_id, self.read);
    }

    /// These accounts' text is being read on the officer's own connection (see
    /// [`AccountReader::facts_read_here`]).
    pub fn text_read_here(&mut self, tenancy_ids: &[i64]) {
        self.read += 1;
        for id in tenancy_ids {
            self.text_read.insert(*id, self.read);
        }
    }

    /// Every account's facts and text are being read elsewhere (the whole queue ranked again):
    /// the answer to any read asked for before is dropped.
    pub fn all_read_elsewhere(&mut self) {
        self.read += 1;
        self.all_read = self.read;
    }

    /// Sends the thread what was asked since the last time: the workstation calls it once the
    /// frame of the keys that asked is written (see the module's comment).
    pub fn send(&mut self) {
        for ask in self.held.drain(..) {
            if self.asks.send(ask).is_err() {
                // A reader that is gone says so once, with the account (see `stopped`).
                self.answered = self.asked;
                self.heard_answered = self.heard_asked;
                break;
            }
        }
        self.held.clear();
    }

    /// Whether the latest account asked for is still being read (or waits to be sent).
    pub fn reading(&self) -> bool {
        self.answered < self.asked
    }

    /// Whether accounts another officer wrote to are still being read (or wait to be sent).
    pub fn hearing(&self) -> bool {
        self.heard_answered < self.heard_asked || !self.ready.is_empty()
    }

    /// The answer to the latest ask for an account, once it has come (answers to earlier asks
    /// are dropped), or else an account's facts or text read again (one at a time), or else who
    /// else is on an account, once heard.
    pub fn answer(&mut self) -> Option<Action> {
        let mut latest = None;
        loop {
            match self.answers.try_recv() {
                Ok(answer) => {
                    if let Some(action) = self.take(answer) {
                        latest = Some(action);
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    latest = latest.or_else(|| self.stopped());
                    break;
                }
            }
        }
        latest
            .or_else(|| self.ready.pop_front())
            .or_else(|| self.writing.take())
    }

    /// Waits for the answer to the latest ask for an account, and for the accounts' facts and
    /// text asked for, one at a time (tests and benchmarks settling).
    pub fn wait(&mut self) -> Option<Action> {
        self.send();
        loop {
            if let Some(action) = self.ready.pop_front() {
                return Some(action);
            }
            if !self.reading() && !self.hearing() {
                return None;
            }
            match self.answers.recv() {
                Ok(answer) => {
                    if let Some(action) = self.take(answer) {
                        return Some(action);
                    }
                }
                Err(_) => return self.stopped(),
            }
        }
    }

    /// An account's answer if it is the latest ask's; accounts' facts and text are made ready
    /// to take in, but for those a newer read has overtaken; who else is writing is kept for
    /// later.
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
            Answer::Heard(Heard {
                number,
                facts,
                text,
            }) => {
                self.heard_answered = self.heard_answered.max(number);
                match facts.unwrap_or(Ok(vec![])) {
                    Ok(facts) => {
                        for facts in facts {
                            if newest(
                                &mut self.facts_read,
                                self.all_read,
                                facts.tenancy_id,
                                number,
                            ) {
                                self.ready.push_back(Action::FactsLoaded(Box::new(facts)));
                            }
                        }
                    }
                    Err(e) => self.ready.push_back(Action::Failed(format!(
                        "Could not re-rank the accounts: {e}"
                    ))),
                }
                match text.unwrap_or(Ok(vec![])) {
                    Ok(mut texts) => {
                        let (read, all) = (&mut self.text_read, self.all_read);
                        texts.retain(|t| newest(read, all, t.tenancy_id, number));
                        if !texts.is_empty() {
                            self.ready.push_back(Action::TextRead(texts));
                        }
                    }
                    Err(e) => self.ready.push_back(Action::Failed(format!(
                        "Could not read the accounts again: {e}"
                    ))),
                }
                None
            }
        }
    }

    /// The thread is gone (it cannot be, short of a panic): said once, not waited for again.
    fn stopped(&mut self) -> Option<Action> {
        let said = self.reading();
        self.answered = self.asked;
        self.heard_answered = self.heard_asked;
        said.then(|| Action::Failed("Could not read the account: the reading stopped.".into()))
    }
}

/// Accounts once each, in order.
fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether a read of an account numbered `number` is the newest taken in (no read of it numbered
/// after, nor of every account): it is then remembered as such.
fn newest(read: &mut HashMap<i64, u64>, all: u64, tenancy_id: i64, number: u64) -> bool {
    let before = read.get(&tenancy_id).copied().unwrap_or(0).max(all);
    if number < before {
        return false;
    }
    read.insert(tenancy_id, number);
    true
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
                Ask::Facts { number, ids } | Ask::Text { number, ids } => (number, ids[0]),
            })
            .collect()
    }

    /// An account's facts as read, only its number mattering here.
    fn facts(tenancy_id: i64) -> QueueFacts {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        QueueFacts {
            tenancy_id,
            tenure: crate::domain::tenancy::Tenure::Secure,
            start: day,
            end: None,
            weekly_charge: crate::domain::Money::ZERO,
            flags: Default::default(),
            rent: crate::domain::arrears::AccountSummary {
                balance: crate::domain::Money::ZERO,
                last_payment: None,
                pay_week: None,
                pay_week_total: crate::domain::Money::ZERO,
                charge_week: None,
                charge_week_total: crate::domain::Money::ZERO,
            },
            other_debts: crate::domain::Money::ZERO,
            debt_types: Vec::new(),
            case: Default::default(),
        }
    }

    /// The thread's answer with accounts' facts.
    fn heard_facts(number: u64, facts: Result<Vec<QueueFacts>, String>) -> Answer {
        Answer::Heard(Heard {
            number,
            facts: Some(facts),
            text: None,
        })
    }

    /// The thread's answer with accounts' text.
    fn heard_text(number: u64, text: Result<Vec<QueueText>, String>) -> Answer {
        Answer::Heard(Heard {
            number,
            facts: None,
            text: Some(text),
        })
    }

    /// The accounts whose facts come out of the reader, in order, until it has nothing more.
    fn facts_taken(reader: &mut AccountReader) -> Vec<i64> {
        std::iter::from_fn(|| reader.answer())
            .map(|action| match action {
                Action::FactsLoaded(facts) => facts.tenancy_id,
                other => panic!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn accounts_written_to_are_read_together_and_taken_in_one_at_a_time() {
        let (mut reader, asked, answer) = reader();
        reader.ask_facts(7);
        reader.ask_facts(8);
        assert!(reader.hearing());
        reader.send();
        assert_eq!(sent(&asked), vec![(1, 7), (2, 8)]);
        // The thread reads both at once, after both asks.
        answer
            .send(heard_facts(2, Ok(vec![facts(7), facts(8)])))
            .unwrap();
        assert_eq!(facts_taken(&mut reader), vec![7, 8]);
        assert!(!reader.hearing());
    }

    /// A colleague's write heard and read aside; the officer's own write on the same account then
    /// read at once on her connection: the aside read's answer, coming after, is older and is
    /// dropped (the other account read with it is taken in). A later ask's answer is taken in.
    #[test]
    fn an_accounts_facts_read_aside_do_not_undo_a_newer_read_of_them_here() {
        let (mut reader, asked, answer) = reader();
        reader.ask_facts(7);
        reader.ask_facts(8);
        reader.send();
        let _ = sent(&asked);
        reader.facts_read_here(7);
        answer
            .send(heard_facts(2, Ok(vec![facts(7), facts(8)])))
            .unwrap();
        assert_eq!(facts_taken(&mut reader), vec![8]);
        assert!(!reader.hearing());

        // Another colleague's write on it, asked after the officer's own read: taken in.
        reader.ask_facts(7);
        reader.send();
        assert_eq!(sent(&asked), vec![(4, 7)]);
        answer.send(heard_facts(4, Ok(vec![facts(7)]))).unwrap();
        assert_eq!(facts_taken(&mut reader), vec![7]);
    }

    /// Facts and text asked for together come together: the reader is busy until both are
    /// taken in (a test settling does not stop between them).
    #[test]
    fn facts_and_text_asked_together_are_heard_until_both_are_taken_in() {
        let (mut reader, asked, answer) = reader();
        reader.ask_text(&[7]);
        reader.ask_facts(7);
        reader.send();
        assert_eq!(sent(&asked), vec![(1, 7), (2, 7)]);
        let text = QueueText::for_test(7, "REF", &[]);
        answer
            .send(Answer::Heard(Heard {
                number: 2,
                facts: Some(Ok(vec![facts(7)])),
                text: Some(Ok(vec![text.clone()])),
            }))
            .unwrap();
        assert!(matches!(reader.answer(), Some(Action::FactsLoaded(f)) if f.tenancy_id == 7));
        assert!(reader.hearing());
        assert_eq!(reader.answer(), Some(Action::TextRead(vec![text])));
        assert!(!reader.hearing());
        assert_eq!(reader.answer(), None);
    }

    /// Text the same way; and the whole queue ranked again is newer than every read asked before.
    #[test]
    fn text_read_here_and_the_whole_queue_ranked_again_overtake_reads_asked_aside_before() {
        let (mut reader, asked, answer) = reader();
        reader.ask_text(&[7, 8]);
        reader.ask_facts(9);
        reader.send();
        let _ = sent(&asked);
        reader.text_read_here(&[7]);
        reader.all_read_elsewhere();
        let text = |id| QueueText::for_test(id, "REF", &[]);
        answer
            .send(Answer::Heard(Heard {
                number: 2,
                facts: Some(Ok(vec![facts(9)])),
                text: Some(Ok(vec![text(7), text(8)])),
            }))
            .unwrap();
        // Read before the officer's own read of 7's text, and before the ranking.
        assert_eq!(reader.answer(), None);
        assert!(!reader.hearing());
        reader.ask_text(&[7, 8]);
        reader.send();
        let _ = sent(&asked);
        answer
            .send(heard_text(5, Ok(vec![text(7), text(8)])))
            .unwrap();
        assert_eq!(
            reader.answer(),
            Some(Action::TextRead(vec![text(7), text(8)]))
        );
        // A read asked after the ranking is taken in.
        reader.ask_facts(9);
        reader.send();
        answer.send(heard_facts(6, Ok(vec![facts(9)]))).unwrap();
        assert_eq!(facts_taken(&mut reader), vec![9]);
    }

    #[test]
    fn waiting_takes_in_the_accounts_written_to_as_well() {
        let (mut reader, asked, answer) = reader();
        reader.ask(5, 50);
        reader.ask_facts(7);
        answer
            .send(Answer::Account(1, Action::Done("read".into())))
            .unwrap();
        answer.send(heard_facts(1, Ok(vec![facts(7)]))).unwrap();
        assert_eq!(reader.wait(), Some(Action::Done("read".into())));
        assert!(matches!(reader.wait(), Some(Action::FactsLoaded(f)) if f.tenancy_id == 7));
        assert_eq!(reader.wait(), None);
        assert_eq!(sent(&asked), vec![(1, 5), (1, 7)]);
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
