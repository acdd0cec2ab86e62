//! Saves drafts on a thread of its own, with its own connection, so that a keystroke never waits
//! for the disk: the editor hands over the latest text and carries on; the saver writes it
//! (durably) a moment later, keeping only the newest text of each draft if several are waiting.

use super::calls::{Draft, write_draft};
use super::{Result, Store, StoreError};
use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

enum Job {
    Save(Draft),
    /// Answers once everything sent before it is on disk, with the last error if any.
    Flush(Sender<Option<String>>),
}

pub struct DraftSaver {
    jobs: Option<Sender<Job>>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    pub fn draft_saver(&self) -> Result<DraftSaver> {
        let conn = self.writer_connection()?;
        let (jobs, queue) = mpsc::channel();
        let thread = std::thread::spawn(move || run(conn, queue));
        Ok(DraftSaver {
            jobs: Some(jobs),
            thread: Some(thread),
        })
    }
}

impl DraftSaver {
    /// Queues the latest text of a draft; returns at once.
    pub fn save(&self, draft: Draft) {
        if let Some(jobs) = &self.jobs {
            // A stopped saver has already reported its error at the last flush.
            let _ = jobs.send(Job::Save(draft));
        }
    }

    /// Waits until every draft handed over so far is on disk.
    pub fn flush(&self) -> Result<()> {
        let Some(jobs) = &self.jobs else {
            return Ok(());
        };
        let (done, wait) = mpsc::channel();
        jobs.send(Job::Flush(done)).map_err(|_| stopped())?;
        match wait.recv().map_err(|_| stopped())? {
            None => Ok(()),
            Some(e) => Err(StoreError::Invalid(format!(
                "a draft could not be saved: {e}"
            ))),
        }
    }
}

impl Drop for DraftSaver {
    /// Writes what is waiting before the program goes on to end.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn stopped() -> StoreError {
    StoreError::Invalid("the draft saver has stopped".into())
}

fn run(conn: rusqlite::Connection, queue: Receiver<Job>) {
    let mut error: Option<String> = None;
    while let Ok(first) = queue.recv() {
        // Take everything waiting; of several versions of one draft only the newest is written.
        let mut latest: HashMap<i64, Draft> = HashMap::new();
        let mut flushes = Vec::new();
        for job in std::iter::once(first).chain(queue.try_iter()) {
            match job {
                Job::Save(draft) => {
                    latest.insert(draft.tenancy_id, draft);
                }
                Job::Flush(done) => flushes.push(done),
            }
        }
        for draft in latest.values() {
            if let Err(e) = write_draft(&conn, draft) {
                error = Some(e.to_string());
            }
        }
        for done in flushes {
            let _ = done.send(error.take());
        }
    }
}
