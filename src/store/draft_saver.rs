//! Saves drafts on a thread of its own, with its own connection, so that a keystroke never waits
//! for the disk: the editor hands over the latest text and carries on; the saver writes it
//! (durably) a moment later, keeping only the newest text of each draft if several are waiting.
//!
//! Nothing handed over is lost to a database that cannot take it. A save that fails is retried,
//! with growing pauses; a draft the database has not taken within `fallback_after` (or at once,
//! if the database can never take it: read-only, full) is written to the officer's fallback file
//! meanwhile, and taken out of it once the database has it. Whoever asks learns where every
//! draft is ([`DraftStatus`]): the status bar says so, and quitting tells the truth.

use super::draft_file::DraftFile;
use super::drafts::{Draft, delete_draft, stamp, write_draft};
use super::{Result, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long the saver waits for a busy database, and when it falls back to the file. Together
/// with the editor's tick (a quarter of a second) they keep the last second of typing at most at
/// risk, whatever the fault.
#[derive(Clone, Copy, Debug)]
pub struct DraftTimings {
    /// The longest one attempt waits for another writer to finish.
    pub busy_wait: Duration,
    /// A draft the database has not taken for this long goes to the fallback file meanwhile.
    pub fallback_after: Duration,
    /// The first pause before trying the database again; it doubles up to `max_retry`.
    pub first_retry: Duration,
    pub max_retry: Duration,
}

impl Default for DraftTimings {
    fn default() -> DraftTimings {
        DraftTimings {
            busy_wait: Duration::from_millis(200),
            fallback_after: Duration::from_millis(500),
            first_retry: Duration::from_millis(100),
            max_retry: Duration::from_secs(2),
        }
    }
}

/// Where the drafts handed over are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftStatus {
    /// All in the database.
    Saved,
    /// Not in the database yet (`busy`: another writer holds it); being retried.
    Waiting { busy: bool, why: String },
    /// Not in the database yet, and kept in the fallback file meanwhile; being retried.
    Kept {
        busy: bool,
        why: String,
        path: PathBuf,
    },
    /// Neither the database nor the fallback file could take them.
    Unkept {
        why: String,
        path: PathBuf,
        file_error: String,
    },
}

enum Job {
    Save(Draft),
    /// Write nothing more of this account's draft until told (its note is being saved or
    /// discarded); answers at once, since the saver is between writes when it reads a job.
    Hold(i64, Sender<()>),
    /// The draft's note was saved or discarded: forget it, in the file too.
    Forget(i64),
    /// Saving the note failed: carry on saving its draft.
    Release(i64),
    /// The officer threw the note away: delete its draft (retried like a save if the database
    /// is busy), from the file too.
    Discard(i64),
    /// A draft left by another workstation (last time) was brought back here: it is saved as
    /// this workstation's, and only then is the other's copy deleted.
    Adopt(Draft),
    /// Answers once everything handed over is in the database or the file, saying where.
    Flush(Sender<DraftStatus>),
}

pub struct DraftSaver {
    jobs: Option<Sender<Job>>,
    reports: Receiver<DraftStatus>,
    thread: Option<JoinHandle<()>>,
    file: DraftFile,
    workstation: String,
}

impl Store {
    /// A saver for this officer's drafts, falling back to `file`. `kept`: the drafts from the file
    /// that are newer than the database's (left when it could not take them), handed over at
    /// once to go back into the database when it can take them.
    pub fn draft_saver(
        &self,
        file: DraftFile,
        kept: Vec<Draft>,
        timings: DraftTimings,
    ) -> Result<DraftSaver> {
        let conn = self.side(true)?;
        if let super::Side::File(conn) = &conn {
            conn.busy_timeout(timings.busy_wait)?;
        }
        Ok(DraftSaver::start(
            conn,
            file,
            kept,
            timings,
            self.workstation.clone(),
        ))
    }
}

impl DraftSaver {
    pub(super) fn start(
        conn: super::Side,
        file: DraftFile,
        kept: Vec<Draft>,
        timings: DraftTimings,
        workstation: String,
    ) -> DraftSaver {
        let (jobs, queue) = mpsc::channel();
        let (report, reports) = mpsc::channel();
        let mut saver = Saver {
            conn,
            file: file.clone(),
            timings,
            pending: BTreeMap::new(),
            in_file: BTreeMap::new(),
            held: BTreeSet::new(),
            discards: BTreeSet::new(),
            adopted: BTreeSet::new(),
            workstation: workstation.clone(),
            failure: None,
            file_error: None,
            retry_at: None,
            pause: timings.first_retry,
            status: DraftStatus::Saved,
            report,
        };
        for draft in kept {
            saver.in_file.insert(draft.tenancy_id, draft.clone());
            saver.pending.insert(
                draft.tenancy_id,
                Pending {
                    draft,
                    since: Instant::now(),
                    in_file: true,
                },
            );
        }
        // The file keeps only what is still to go back (an older copy of a draft the database
        // has since taken is dropped).
        saver.write_file();
        let thread = std::thread::spawn(move || saver.run(&queue));
        DraftSaver {
            jobs: Some(jobs),
            reports,
            thread: Some(thread),
            file,
            workstation,
        }
    }

    /// Queues the latest text of a draft; returns at once.
    pub fn save(&self, mut draft: Draft) {
        draft.workstation.clone_from(&self.workstation);
        self.send(Job::Save(draft));
    }

    /// A draft from another workstation, brought back here: from now on it is this one's.
    pub fn adopt(&self, draft: Draft) {
        if draft.workstation != self.workstation {
            self.send(Job::Adopt(draft));
        }
    }

    /// Stops saving this account's draft while its note is saved, so a save still on its way
    /// cannot bring the draft back afterwards. Follow with [`forget`] or [`release`].
    ///
    /// [`forget`]: DraftSaver::forget
    /// [`release`]: DraftSaver::release
    pub fn hold(&self, tenancy_id: i64) {
        let (done, wait) = mpsc::channel();
        self.send(Job::Hold(tenancy_id, done));
        let _ = wait.recv();
    }

    pub fn forget(&self, tenancy_id: i64) {
        self.send(Job::Forget(tenancy_id));
    }

    pub fn release(&self, tenancy_id: i64) {
        self.send(Job::Release(tenancy_id));
    }

    /// Deletes this account's draft, after any save of it handed over before.
    pub fn discard(&self, tenancy_id: i64) {
        self.send(Job::Discard(tenancy_id));
    }

    /// Waits until every draft handed over so far is in the database or the fallback file (the
    /// database is tried once more first), and says where.
    pub fn flush(&self) -> DraftStatus {
        let (done, wait) = mpsc::channel();
        self.send(Job::Flush(done));
        wait.recv().unwrap_or_else(|_| DraftStatus::Unkept {
            why: "the draft saver has stopped".into(),
            path: self.file.path().to_path_buf(),
            file_error: "not tried".into(),
        })
    }

    /// The newest change of where the drafts are, if there was one since the last call.
    pub fn status_changed(&self) -> Option<DraftStatus> {
        self.reports.try_iter().last()
    }

    fn send(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            // A stopped saver answers flushes with Unkept, so nothing is claimed saved.
            let _ = jobs.send(job);
        }
    }
}

impl Drop for DraftSaver {
    /// Writes what is waiting (to the database, or else the file) before the program ends.
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Pending {
    draft: Draft,
    /// When the oldest text not yet in the database was handed over.
    since: Instant,
    /// This version is in the fallback file.
    in_file: bool,
}

/// Why the last attempt failed.
struct Failure {
    busy: bool,
    why: String,
}

struct Saver {
    conn: super::Side,
    file: DraftFile,
    timings: DraftTimings,
    /// Drafts handed over and not yet in the database, by account.
    pending: BTreeMap<i64, Pending>,
    /// What the fallback file holds.
    in_file: BTreeMap<i64, Draft>,
    held: BTreeSet<i64>,
    /// Drafts to delete from the database.
    discards: BTreeSet<(i64, String)>,
    /// Other workstations' drafts brought back here, to delete once this one's copy is saved.
    adopted: BTreeSet<(i64, String)>,
    workstation: String,
    failure: Option<Failure>,
    file_error: Option<String>,
    retry_at: Option<Instant>,
    pause: Duration,
    status: DraftStatus,
    report: Sender<DraftStatus>,
}

impl Saver {
    fn run(&mut self, queue: &Receiver<Job>) {
        loop {
            let first = match self.wake_at() {
                None => match queue.recv() {
                    Ok(job) => Some(job),
                    Err(_) => break,
                },
                Some(at) => {
                    match queue.recv_timeout(at.saturating_duration_since(Instant::now())) {
                        Ok(job) => Some(job),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            let mut flushes = Vec::new();
            for job in first.into_iter().chain(queue.try_iter()) {
                self.take(job, &mut flushes);
            }
            self.work(!flushes.is_empty());
            for done in flushes {
                let _ = done.send(self.status.clone());
            }
        }
        // The program is ending: one last try, and the file for whatever the database refuses.
        self.work(true);
    }

    fn take(&mut self, job: Job, flushes: &mut Vec<Sender<DraftStatus>>) {
        match job {
            Job::Save(draft) => {
                let since = self
                    .pending
                    .get(&draft.tenancy_id)
                    .map_or_else(Instant::now, |p| p.since);
                self.pending.insert(
                    draft.tenancy_id,
                    Pending {
                        draft,
                        since,
                        in_file: false,
                    },
                );
            }
            Job::Hold(id, done) => {
                self.held.insert(id);
                let _ = done.send(());
            }
            Job::Forget(id) => {
                self.held.remove(&id);
                self.pending.remove(&id);
                if self.in_file.remove(&id).is_some() {
                    self.write_file();
                }
            }
            Job::Release(id) => {
                self.held.remove(&id);
            }
            Job::Discard(id) => {
                self.held.remove(&id);
                self.pending.remove(&id);
                if self.in_file.remove(&id).is_some() {
                    self.write_file();
                }
                self.discards.insert((id, self.workstation.clone()));
            }
            Job::Adopt(mut draft) => {
                let id = draft.tenancy_id;
                let theirs = std::mem::take(&mut draft.workstation);
                self.adopted.insert((id, theirs));
                draft.workstation.clone_from(&self.workstation);
                // A newer text of it handed over already stays.
                self.pending.entry(id).or_insert(Pending {
                    draft,
                    since: Instant::now(),
                    in_file: false,
                });
            }
            Job::Flush(done) => flushes.push(done),
        }
    }

    /// When to try again without being asked: the next retry, or when a waiting draft falls due
    /// for the file.
    fn wait_until(&self) -> Option<Instant> {
        let fallback = self
            .unsaved()
            .filter(|(_, p)| !p.in_file)
            .map(|(_, p)| p.since + self.timings.fallback_after)
            .min();
        match (self.retry_at, fallback) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn wake_at(&self) -> Option<Instant> {
        // Asleep until a job comes when nothing is waiting.
        if self.discards.is_empty() && self.adopted.is_empty() {
            self.unsaved().next()?;
        }
        Some(self.wait_until().unwrap_or_else(Instant::now))
    }

    fn unsaved(&self) -> impl Iterator<Item = (&i64, &Pending)> {
        self.pending
            .iter()
            .filter(|(id, _)| !self.held.contains(id))
    }

    /// Tries the database if a retry is due (or `now`), and puts in the file whatever it has not
    /// taken and should not wait for any longer: first what a failing database has kept waiting
    /// (before another attempt waits again), then what the attempt could not save.
    fn work(&mut self, now: bool) {
        self.keep_overdue(false);
        self.attempt(now);
        self.keep_overdue(now);
        self.report();
    }

    fn attempt(&mut self, now: bool) {
        let ids: Vec<i64> = self.unsaved().map(|(id, _)| *id).collect();
        let due = now || self.retry_at.is_none_or(|at| Instant::now() >= at);
        if due && !(ids.is_empty() && self.discards.is_empty() && self.adopted.is_empty()) {
            self.failure = None;
            // Deletions first: a note started again on the account after one was thrown away
            // has its new draft saved after the old one is gone.
            while let Some((id, workstation)) = self.discards.first().cloned() {
                match delete_draft(self.conn.db(), self.file.officer(), id, &workstation) {
                    Ok(()) => {
                        self.discards.remove(&(id, workstation));
                    }
                    Err(e) => {
                        self.failure = Some(failure(&e));
                        break;
                    }
                }
            }
            let mut file_changed = false;
            for id in ids.into_iter().take_while(|_| self.failure.is_none()) {
                let Some(pending) = self.pending.get_mut(&id) else {
                    continue;
                };
                pending.draft.saved_at = stamp();
                match write_draft(self.conn.db(), &pending.draft) {
                    Ok(()) => {
                        self.pending.remove(&id);
                        file_changed |= self.in_file.remove(&id).is_some();
                    }
                    Err(e) => {
                        // The others would fail the same way, each after its own wait.
                        self.failure = Some(failure(&e));
                        break;
                    }
                }
            }
            // Another workstation's copy of a draft brought back here goes once this one's is in
            // the database (or its note was saved or thrown away): never before.
            let taken_over: Vec<(i64, String)> = self
                .adopted
                .iter()
                .filter(|(id, _)| self.failure.is_none() && !self.pending.contains_key(id))
                .cloned()
                .collect();
            for (id, workstation) in taken_over {
                match delete_draft(self.conn.db(), self.file.officer(), id, &workstation) {
                    Ok(()) => {
                        self.adopted.remove(&(id, workstation));
                    }
                    Err(e) => {
                        self.failure = Some(failure(&e));
                        break;
                    }
                }
            }
            if self.failure.is_some() {
                self.retry_at = Some(Instant::now() + self.pause);
                self.pause = (self.pause * 2).min(self.timings.max_retry);
            } else {
                self.retry_at = None;
                self.pause = self.timings.first_retry;
            }
            if file_changed {
                self.write_file();
            }
        }
    }

    /// While the database is failing, the drafts it has kept waiting too long (or at all, if it
    /// can never take them, or `now`) go to the file.
    fn keep_overdue(&mut self, now: bool) {
        let Some(failure) = &self.failure else {
            return;
        };
        let hopeless = !failure.busy;
        let after = self.timings.fallback_after;
        let overdue: Vec<i64> = self
            .unsaved()
            .filter(|(_, p)| !p.in_file && (now || hopeless || p.since.elapsed() >= after))
            .map(|(id, _)| *id)
            .collect();
        if overdue.is_empty() {
            return;
        }
        for id in &overdue {
            if let Some(p) = self.pending.get_mut(id) {
                p.in_file = true;
                self.in_file.insert(*id, p.draft.clone());
            }
        }
        self.write_file();
    }

    /// Writes the file as `in_file` says; if it cannot be written, nothing pending counts as in it.
    fn write_file(&mut self) {
        match self.file.write(self.in_file.values()) {
            Ok(()) => self.file_error = None,
            Err(e) => {
                self.file_error = Some(e.to_string());
                for p in self.pending.values_mut() {
                    p.in_file = false;
                }
            }
        }
    }

    fn report(&mut self) {
        let status = self.status();
        if status != self.status {
            self.status = status.clone();
            let _ = self.report.send(status);
        }
    }

    /// Drafts the status bar must not call saved: those waiting, and a held one too while it is
    /// in the file or the database is failing (its note's save, being tried, may fail the same
    /// way, and until then its words are only where the saver left them).
    fn not_saved(&self) -> impl Iterator<Item = &Pending> {
        self.pending
            .iter()
            .filter(|(id, p)| !self.held.contains(id) || p.in_file || self.failure.is_some())
            .map(|(_, p)| p)
    }

    fn status(&self) -> DraftStatus {
        if self.not_saved().next().is_none() {
            return DraftStatus::Saved;
        }
        let (busy, why) = self
            .failure
            .as_ref()
            .map_or((false, String::new()), |f| (f.busy, f.why.clone()));
        if let Some(file_error) = &self.file_error {
            return DraftStatus::Unkept {
                why,
                path: self.file.path().to_path_buf(),
                file_error: file_error.clone(),
            };
        }
        if self.not_saved().all(|p| p.in_file) {
            DraftStatus::Kept {
                busy,
                why,
                path: self.file.path().to_path_buf(),
            }
        } else {
            DraftStatus::Waiting { busy, why }
        }
    }
}

/// A failed write in plain words, and whether waiting may cure it.
fn failure(e: &super::StoreError) -> Failure {
    if e.is_busy() {
        // Short: the status bar says "Draft not saved yet: database busy, retrying."
        Failure {
            busy: true,
            why: "database busy".into(),
        }
    } else {
        Failure {
            busy: false,
            why: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::drafts::draft_of as draft;
    use crate::store::tests::{add_tenancy, on_each_engine, temp_store};

    /// File only: a saver on a database that may not grow by a single page (SQLite's page
    /// limit), as good as a full disk.
    fn full_database_saver(dir: &std::path::Path, store: &Store) -> (DraftSaver, DraftFile) {
        let conn = store.writer_connection().unwrap();
        let pages: i64 = conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
        let file = DraftFile::new(dir, store.path(), "tester");
        let saver = DraftSaver::start(
            super::super::Side::File(conn),
            file.clone(),
            vec![],
            DraftTimings::default(),
            String::new(),
        );
        (saver, file)
    }

    #[test]
    fn a_full_database_sends_the_draft_to_the_file_at_once_and_says_why() {
        let (dir, mut store) = temp_store();
        let (t, _) = add_tenancy(&mut store, "T1");
        let (saver, file) = full_database_saver(dir.path(), &store);
        let long = "rent ".repeat(20_000);
        saver.save(draft(t, &long));
        let status = saver.flush();
        assert_eq!(
            status,
            DraftStatus::Kept {
                busy: false,
                why: "the database or its disk is full".into(),
                path: file.path().to_path_buf()
            }
        );
        assert_eq!(file.read().unwrap()[0].body, long);
        assert!(store.drafts("tester").unwrap().is_empty());
    }

    #[test]
    fn a_draft_kept_in_the_file_is_not_called_saved_while_its_notes_save_is_tried() {
        let (dir, mut store) = temp_store();
        let (t, _) = add_tenancy(&mut store, "T1");
        let (saver, file) = full_database_saver(dir.path(), &store);
        saver.save(draft(t, &"rent ".repeat(20_000)));
        let kept = saver.flush();
        assert!(matches!(kept, DraftStatus::Kept { .. }), "{kept:?}");
        // Ctrl-S: the draft is held while the note's save is tried. Until that save is done the
        // words are still only in the file, and the status bar must go on saying so.
        saver.hold(t);
        assert_eq!(saver.flush(), kept);
        // The save failed: the draft is let go and still kept.
        saver.release(t);
        assert_eq!(saver.flush(), kept);
        assert_eq!(file.read().unwrap().len(), 1);
    }

    #[test]
    fn a_draft_held_while_its_note_is_saved_never_comes_back() {
        on_each_engine("draft_held", |dir, store| {
            let (t, _) = add_tenancy(store, "T1");
            let file = DraftFile::new(dir, store.path(), "tester");
            let saver = store
                .draft_saver(file, vec![], DraftTimings::default())
                .unwrap();
            // A draft saved while the note is typed (in the database before the hold, however
            // the threads are scheduled).
            saver.save(draft(t, "first"));
            assert_eq!(saver.flush(), DraftStatus::Saved);
            saver.hold(t);
            // Handed over after the hold (the last keystrokes): kept back while the note is saved.
            saver.save(draft(t, "first and last"));
            assert_eq!(saver.flush(), DraftStatus::Saved);
            let bodies: Vec<String> = store
                .drafts("tester")
                .unwrap()
                .into_iter()
                .map(|d| d.body)
                .collect();
            assert_eq!(bodies, ["first"], "the held text is not written");
            // The note's own transaction takes its draft with it.
            store
                .write("tester", "test", |w| w.delete_draft("tester", t))
                .unwrap();
            saver.forget(t);
            assert_eq!(saver.flush(), DraftStatus::Saved);
            assert!(
                store.drafts("tester").unwrap().is_empty(),
                "not brought back"
            );

            // A failed save releases it, and the newest text is saved.
            saver.save(draft(t, "again"));
            saver.hold(t);
            saver.save(draft(t, "again, longer"));
            saver.release(t);
            assert_eq!(saver.flush(), DraftStatus::Saved);
            assert_eq!(store.drafts("tester").unwrap()[0].body, "again, longer");
        });
    }
}
