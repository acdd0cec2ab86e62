//! Work that takes longer than a key should wait for (the team's numbers on a large caseload):
//! it runs on its own thread and connection while the officer carries on, and its result comes
//! back as an action like any effect's.

use super::action::Action;
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// What runs in the background, each job by its name: one of each at a time.
#[derive(Default)]
pub struct Background {
    jobs: Vec<(&'static str, Receiver<Action>)>,
}

impl Background {
    /// Starts `work` on its own thread unless a job of that name is still running (its result
    /// will answer for both); true if it started.
    pub fn start(
        &mut self,
        name: &'static str,
        work: impl FnOnce() -> Action + Send + 'static,
    ) -> bool {
        if self.running(name) {
            return false;
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || tx.send(work()));
        self.jobs.push((name, rx));
        true
    }

    pub fn running(&self, name: &str) -> bool {
        self.jobs.iter().any(|(n, _)| *n == name)
    }

    pub fn is_busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// The result of a job that has finished, if one has.
    pub fn poll(&mut self) -> Option<Action> {
        let (i, result) =
            self.jobs
                .iter()
                .enumerate()
                .find_map(|(i, (name, rx))| match rx.try_recv() {
                    Ok(action) => Some((i, action)),
                    Err(TryRecvError::Empty) => None,
                    Err(TryRecvError::Disconnected) => Some((i, stopped(name))),
                })?;
        self.jobs.remove(i);
        Some(result)
    }

    /// Waits for every job running now, and gives their results (tests and benchmarks).
    pub fn wait(&mut self) -> Vec<Action> {
        self.jobs
            .drain(..)
            .map(|(name, rx)| rx.recv().unwrap_or_else(|_| stopped(name)))
            .collect()
    }
}

fn stopped(name: &str) -> Action {
    Action::Failed(format!("{name} stopped before it finished."))
}
