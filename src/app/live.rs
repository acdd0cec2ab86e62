//! A workstation on a team's database works live: another officer's write re-places that account
//! in my queue (the server announces each committed write, heard on a connection of its own), and
//! what I am doing (a call, a note) is shown to the others (presence, kept by a heartbeat on
//! another connection). A file has neither.

use super::action::Action;
use super::editor::Purpose;
use super::effects::Effect;
use super::queue::Queue;
use super::state::{Message, State};
use crate::store::QueueText;
use crate::store::pg::{Changed, Changes, Doing, HEARTBEAT, Server};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long the listener waits for an announcement before looking again whether it is still
/// wanted.
const LISTEN_WAIT: Duration = Duration::from_millis(500);

/// The threads that keep a workstation live, and the channels to them.
pub struct Live {
    changes: Receiver<Changed>,
    presence: Sender<Option<(i64, Doing)>>,
}

impl Live {
    /// Starts listening for changes on `changes`, and keeping presence on `presence` (each a
    /// connection of its own).
    pub fn start(mut changes: Changes, presence: Server) -> Live {
        let (heard, changes_rx) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                match changes.next(LISTEN_WAIT) {
                    Ok(Some(changed)) => {
                        if heard.send(changed).is_err() {
                            return;
                        }
                    }
                    Ok(None) => {}
                    // The connection is gone: the queue stays as it was last read.
                    Err(_) => return,
                }
            }
        });
        let (doing_tx, doing_rx) = mpsc::channel();
        std::thread::spawn(move || keep_presence(&presence, &doing_rx));
        Live {
            changes: changes_rx,
            presence: doing_tx,
        }
    }

    /// The next change another workstation (or this one) committed, if one has been heard.
    pub fn heard(&self) -> Option<Action> {
        self.changes.try_recv().ok().map(Action::Changed)
    }

    /// Says what this officer is doing now (or nothing).
    pub fn doing(&self, doing: Option<(i64, Doing)>) {
        // A presence thread that stopped has nothing to keep: the others see nothing.
        let _ = self.presence.send(doing);
    }
}

/// Writes what the officer is doing as it changes, and the heartbeat in between; takes it away
/// when the workstation stops (the channel closes). Killed, the workstation's connection goes
/// and the others stop seeing it at once.
fn keep_presence(server: &Server, doing: &Receiver<Option<(i64, Doing)>>) {
    let mut now: Option<(i64, Doing)> = None;
    loop {
        match doing.recv_timeout(HEARTBEAT) {
            Ok(next) => {
                if let Some((id, _)) = now.filter(|(id, _)| next.map(|(n, _)| n) != Some(*id)) {
                    let _ = server.absent(id);
                }
                if let Some((id, what)) = next {
                    let _ = server.present(id, what);
                }
                now = next;
            }
            Err(RecvTimeoutError::Timeout) => {
                if now.is_some() {
                    let _ = server.heartbeat();
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                if let Some((id, _)) = now {
                    let _ = server.absent(id);
                }
                return;
            }
        }
    }
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
/// the open one read again. Too many to name (an import): the whole queue is ranked again.
pub(super) fn changed(state: &mut State, changed: Changed) -> Vec<Effect> {
    let ids = match changed {
        Changed::Tenancies(ids) => ids,
        Changed::All => return rerank(state),
    };
    let selected = state.queue.selected_id();
    let held: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| state.queue.item(*id).is_some())
        .collect();
    let mut effects: Vec<Effect> = held.iter().copied().map(Effect::RefreshFacts).collect();
    if !held.is_empty() {
        effects.push(Effect::RefreshText(held));
    }
    if let Some(id) = selected.filter(|id| ids.contains(id)) {
        effects.push(Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        });
        effects.push(Effect::ReadWriting(id));
    }
    effects
}

/// The queue ranked again while the officer works on, and whether the live connection is lost.
#[derive(Debug, Default)]
pub struct Liveness {
    /// A whole ranking is under way on its own thread.
    reranking: Option<Reranking>,
    /// The connection that hears the others' writes (or keeps presence) is lost: why.
    pub lost: Option<String>,
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
pub struct Reranked(pub Result<Box<(Queue, Vec<QueueText>)>, String>);

/// Results are compared by the order of their accounts (tests).
impl PartialEq for Reranked {
    fn eq(&self, other: &Reranked) -> bool {
        let order = |r: &Reranked| {
            r.0.as_ref()
                .map(|q| q.0.first_ids(usize::MAX))
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
/// account; the accounts written to meanwhile are read again, and the open one.
pub(super) fn reranked(state: &mut State, ranked: Reranked) -> Vec<Effect> {
    let running = state.live.reranking.take().unwrap_or_default();
    let mut effects = if running.again { rerank(state) } else { vec![] };
    let (mut queue, texts) = match ranked.0 {
        Ok(ranked) => *ranked,
        Err(why) => {
            state.message = Some(Message::Error(format!(
                "Could not rank the queue again: {why}"
            )));
            return effects;
        }
    };
    let previous = std::mem::take(&mut state.queue);
    queue.take_over(previous);
    queue.attach_text(texts, true);
    state.queue = queue;
    effects.extend(running.written.into_iter().map(Effect::RefreshFacts));
    if let Some(id) = state.queue.selected_id() {
        effects.push(Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        });
    }
    effects
}
