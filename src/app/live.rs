//! A workstation on a team's database works live: another officer's write re-places that account
//! in my queue (the server announces each committed write, heard on a connection of its own), and
//! what I am doing (a call, a note) is shown to the others (presence, kept by a heartbeat on
//! another connection). A file has neither.

use super::action::Action;
use super::editor::Purpose;
use super::effects::Effect;
use super::queue::Queue;
use super::state::{Message, State};
use crate::store::pg::{Changed, Changes, Doing, HEARTBEAT, Link, Server};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long the listener waits for an announcement before looking again whether it is still
/// wanted.
const LISTEN_WAIT: Duration = Duration::from_millis(500);

/// How long after a live connection is lost the first try to connect again waits; each try after
/// waits twice as long, up to the last.
const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(4);

/// The two connections a live workstation keeps besides its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// Hears the others' writes.
    Changes,
    /// Keeps this officer's presence.
    Presence,
}

/// What the live threads tell the workstation.
enum Heard {
    Changed(Changed),
    /// The connection was lost (why): it is being connected again.
    Lost(Line, String),
    /// It is back.
    Back(Line),
}

/// The threads that keep a workstation live, and the channels to them.
pub struct Live {
    heard: Receiver<Heard>,
    presence: Sender<Option<(i64, Doing)>>,
    /// Closed once the changes are heard (or the first try to listen failed, said as a lost
    /// connection): see [`Live::wait_listening`].
    listening: Option<Receiver<()>>,
    /// Set when the workstation closes: a thread connecting again stops trying.
    closed: Arc<AtomicBool>,
}

impl Live {
    /// Listens for changes and keeps presence, each on a connection of its own made on its own
    /// thread (a start does not wait for them), connected again whenever it is lost.
    pub fn start(link: Link) -> Live {
        let closed = Arc::new(AtomicBool::new(false));
        let (heard, heard_rx) = mpsc::channel();
        let (listening_tx, listening) = mpsc::channel();
        {
            let (link, heard, closed) = (link.clone(), heard.clone(), Arc::clone(&closed));
            std::thread::spawn(move || {
                let connect = || link.listen();
                let first = first(connect, Line::Changes, &heard, Some(listening_tx), &closed);
                if let Some(changes) = first {
                    listen(changes, &link, &heard, &closed);
                }
            });
        }
        let (doing_tx, doing_rx) = mpsc::channel();
        {
            let closed = Arc::clone(&closed);
            std::thread::spawn(move || {
                let first = first(|| link.presence(), Line::Presence, &heard, None, &closed);
                if let Some(presence) = first {
                    keep_presence(presence, &link, &doing_rx, &heard, &closed);
                }
            });
        }
        Live {
            heard: heard_rx,
            presence: doing_tx,
            listening: Some(listening),
            closed,
        }
    }

    /// Waits until the others' writes are heard, so that nothing read from now on can miss one
    /// (or until the first try to listen failed, which is said, and listening is tried again).
    pub fn wait_listening(&mut self) {
        if let Some(listening) = self.listening.take() {
            let _ = listening.recv();
        }
    }

    /// The next change another workstation (or this one) committed, or news of a connection
    /// lost or back, if any has been heard.
    pub fn heard(&self) -> Option<Action> {
        self.heard.try_recv().ok().map(|heard| match heard {
            Heard::Changed(changed) => Action::Changed(changed),
            Heard::Lost(line, why) => Action::LiveLost(line, why),
            Heard::Back(line) => Action::LiveBack(line),
        })
    }

    /// Says what this officer is doing now (or nothing).
    pub fn doing(&self, doing: Option<(i64, Doing)>) {
        // A presence thread that stopped has nothing to keep: the others see nothing.
        let _ = self.presence.send(doing);
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.closed.store(true, Ordering::Relaxed);
    }
}

/// Connects again, waiting longer after each failed try, until it succeeds or the workstation
/// closes (`None`).
fn again<T>(connect: impl Fn() -> crate::store::Result<T>, closed: &AtomicBool) -> Option<T> {
    let mut wait = FIRST_RETRY;
    loop {
        std::thread::sleep(wait);
        if closed.load(Ordering::Relaxed) {
            return None;
        }
        if let Ok(connection) = connect() {
            return Some(connection);
        }
        wait = (wait * 2).min(LAST_RETRY);
    }
}

/// The first connection of a live thread; one that cannot be made is said to be lost and is
/// connected again until it is made (said to be back) or the workstation closes (`None`).
/// `made` is told (dropped) once the first try is over, whichever way it went.
fn first<T>(
    connect: impl Fn() -> crate::store::Result<T>,
    line: Line,
    heard: &Sender<Heard>,
    made: Option<Sender<()>>,
    closed: &AtomicBool,
) -> Option<T> {
    let tried = connect();
    drop(made);
    match tried {
        Ok(connection) => Some(connection),
        Err(e) => {
            heard.send(Heard::Lost(line, e.to_string())).ok()?;
            let connection = again(connect, closed)?;
            heard.send(Heard::Back(line)).ok()?;
            Some(connection)
        }
    }
}

/// Hears every change committed and hands it on; a lost connection is said, connected again,
/// and said to be back (the workstation then reads what it may have missed).
fn listen(mut changes: Changes, link: &Link, heard: &Sender<Heard>, closed: &AtomicBool) {
    while !closed.load(Ordering::Relaxed) {
        let next = match changes.next(LISTEN_WAIT) {
            Ok(None) => continue,
            Ok(Some(changed)) => Heard::Changed(changed),
            Err(e) => {
                if heard
                    .send(Heard::Lost(Line::Changes, e.to_string()))
                    .is_err()
                {
                    return;
                }
                let Some(back) = again(|| link.listen(), closed) else {
                    return;
                };
                changes = back;
                Heard::Back(Line::Changes)
            }
        };
        if heard.send(next).is_err() {
            return;
        }
    }
}

/// Writes what the officer is doing as it changes, and the heartbeat in between (which also
/// finds a lost connection with nothing to say); takes it away when the workstation stops (the
/// channel closes). Killed, the workstation's connection goes and the others stop seeing it at
/// once. A lost connection is said, connected again, and told what the officer is doing now.
fn keep_presence(
    mut server: Server,
    link: &Link,
    doing: &Receiver<Option<(i64, Doing)>>,
    heard: &Sender<Heard>,
    closed: &AtomicBool,
) {
    let mut now: Option<(i64, Doing)> = None;
    loop {
        let said = match doing.recv_timeout(HEARTBEAT) {
            Ok(next) => {
                let said = tell(&server, now, next);
                now = next;
                said
            }
            Err(RecvTimeoutError::Timeout) => server.heartbeat(),
            Err(RecvTimeoutError::Disconnected) => {
                if let Some((id, _)) = now {
                    let _ = server.absent(id);
                }
                return;
            }
        };
        if let Err(e) = said {
            if heard
                .send(Heard::Lost(Line::Presence, e.to_string()))
                .is_err()
            {
                return;
            }
            let Some(back) = again(|| link.presence(), closed) else {
                return;
            };
            server = back;
            if let Some((id, what)) = now {
                let _ = server.present(id, what);
            }
            if heard.send(Heard::Back(Line::Presence)).is_err() {
                return;
            }
        }
    }
}

/// The call or note ended, or another began.
fn tell(
    server: &Server,
    now: Option<(i64, Doing)>,
    next: Option<(i64, Doing)>,
) -> crate::store::Result<()> {
    if let Some((id, _)) = now.filter(|(id, _)| next.map(|(n, _)| n) != Some(*id)) {
        server.absent(id)?;
    }
    if let Some((id, what)) = next {
        server.present(id, what)?;
    }
    Ok(())
}

/// What the officer is doing on which account: a call while its note is open with the timer, a
/// note while one is open.
fn doing(state: &State) -> Option<(i64, Doing)> {
    state.editor.as_ref().map(|e| {
        let what = match e.purpose {
            Purpose::Call(_) => Doing::Call,
            _ => Doing::Note,
        };
        (e.tenancy_id, what)
    })
}

/// After every action: when what the officer is doing changed, the others are told.
pub(super) fn follow(state: &mut State) -> Vec<Effect> {
    let now = doing(state);
    if now == state.presence {
        return vec![];
    }
    state.presence = now;
    vec![Effect::Presence(now)]
}

/// Another workstation's write (or presence) touched these accounts: each is re-placed in the
/// queue from its own facts and text (no full re-rank: a reassigned account changes officer), and
/// the open one read again, all of it read aside when accounts are (the officer's keys do not wait
/// for a colleague's write). Too many to name (an import): the whole queue is ranked again.
pub(super) fn changed(state: &mut State, changed: Changed) -> Vec<Effect> {
    let ids = match changed {
        Changed::Tenancies(ids) => ids,
        Changed::All => return rerank(state),
        // Nothing a queue row shows: only the account open says who is on it.
        Changed::Presence(ids) => {
            return match state.queue.selected_id() {
                Some(id) if ids.contains(&id) => super::drafts::read_writing(state),
                _ => vec![],
            };
        }
    };
    let selected = state.queue.selected_id();
    let held: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| state.queue.item(*id).is_some())
        .collect();
    let mut effects: Vec<Effect> = held.iter().copied().map(Effect::HeardFacts).collect();
    if !held.is_empty() {
        effects.push(Effect::HeardText(held));
    }
    if let Some(id) = selected.filter(|id| ids.contains(id)) {
        // Who is on it now comes with it.
        effects.push(Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        });
    }
    effects
}

/// The queue ranked again while the officer works on, and the live connections lost.
#[derive(Debug, Default)]
pub struct Liveness {
    /// A whole ranking is under way on its own thread.
    reranking: Option<Reranking>,
    /// The live connections lost and being connected again (why is said once, and kept among
    /// the messages).
    lost: Vec<Line>,
}

impl Liveness {
    /// What the officer is told while a live connection is lost (the workstation works on).
    pub fn warning(&self) -> Option<String> {
        let line = self.lost.first()?;
        Some(format!(
            "Live updates lost: reconnecting… ({})",
            match line {
                Line::Changes => "the others' writes show when it is back",
                Line::Presence => "the others see your calls and notes when it is back",
            }
        ))
    }
}

/// A live connection was lost: said for as long as it lasts.
pub(super) fn lost(state: &mut State, line: Line, why: String) -> Vec<Effect> {
    state.live.lost.retain(|l| *l != line);
    state.live.lost.push(line);
    state.message = Some(Message::Error(format!("Live updates lost: {why}")));
    vec![]
}

/// A live connection is back: whatever was announced while it was lost is read again (the whole
/// queue, ranked on its own thread), or the others are told again what this officer is doing.
pub(super) fn back(state: &mut State, line: Line) -> Vec<Effect> {
    state.live.lost.retain(|l| *l != line);
    if state.live.lost.is_empty() {
        state.message = Some(Message::Info("Live updates are back.".into()));
    }
    match line {
        Line::Changes => rerank(state),
        Line::Presence => vec![],
    }
}

#[derive(Debug, Default)]
struct Reranking {
    /// Accounts re-placed in the old queue meanwhile: the new one may have read them before.
    written: Vec<i64>,
    /// Another change too large to name came meanwhile: rank again once this one is in.
    again: bool,
}

/// The whole queue ranked again, with every row's text, read on its own connection and thread.
#[derive(Clone, Debug)]
pub struct Reranked(pub Result<Box<Queue>, String>);

/// Results are compared by the order of their accounts (tests).
impl PartialEq for Reranked {
    fn eq(&self, other: &Reranked) -> bool {
        let order = |r: &Reranked| {
            r.0.as_ref()
                .map(|q| q.first_ids(usize::MAX))
                .map_err(Clone::clone)
        };
        order(self) == order(other)
    }
}

impl Eq for Reranked {}

/// Anything may have changed (an import, or writes missed while the connection was lost): the
/// whole queue is ranked again on its own thread, while the officer carries on.
pub(super) fn rerank(state: &mut State) -> Vec<Effect> {
    match &mut state.live.reranking {
        Some(running) => {
            running.again = true;
            vec![]
        }
        None => {
            state.live.reranking = Some(Reranking::default());
            vec![Effect::Rerank]
        }
    }
}

/// An account was re-placed in the queue: remembered while a whole ranking is under way.
pub(super) fn refreshed(state: &mut State, tenancy_id: i64) {
    if let Some(running) = &mut state.live.reranking {
        running.written.push(tenancy_id);
    }
}

/// The whole queue takes the place of the old one, keeping the officer's tab, filters, search and
/// account; the accounts written to meanwhile are read again (aside, as what is heard), and the
/// open one.
pub(super) fn reranked(state: &mut State, ranked: Reranked) -> Vec<Effect> {
    let running = state.live.reranking.take().unwrap_or_default();
    let mut effects = if running.again { rerank(state) } else { vec![] };
    let mut queue = match ranked.0 {
        Ok(ranked) => ranked,
        Err(why) => {
            state.message = Some(Message::Error(format!(
                "Could not rank the queue again: {why}"
            )));
            return effects;
        }
    };
    let mut previous = std::mem::take(&mut state.queue);
    queue.take_over(&mut previous);
    state.queue = *queue;
    // The old queue's 50,000 rows are freed away from the keys.
    super::background::spawn_behind(move || drop(previous));
    effects.extend(running.written.into_iter().map(Effect::HeardFacts));
    if let Some(id) = state.queue.selected_id() {
        effects.push(Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        });
    }
    effects
}
