//! Work that takes longer than a key should wait for (the team's numbers on a large caseload):
//! it runs on its own thread and connection while the officer carries on, and its result comes
//! back as an action like any effect's.

use super::action::Action;
use crate::store::{Result, Store};
use std::ops::{Deref, DerefMut};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};

/// What runs in the background, each job by its name: one of each at a time.
#[derive(Default)]
pub struct Background {
    jobs: Vec<(&'static str, Receiver<Action>)>,
    /// The background's own connection, kept between jobs while it is not lent to one.
    spare: Arc<Mutex<Option<Store>>>,
}

/// The background's connection lent to a job: given back when the job drops it.
pub struct Lent {
    store: Option<Store>,
    home: Arc<Mutex<Option<Store>>>,
}

impl Background {
    /// The background's connection, opened by `open` the first time (or when a job still has
    /// it): kept for the workstation's life, so a job does not pay for a new connection and its
    /// empty cache each time (a third of the team's numbers once the weeks are kept).
    pub fn store(&self, open: impl FnOnce() -> Result<Store>) -> Result<Lent> {
        let kept = self
            .spare
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Ok(Lent {
            store: Some(match kept {
                Some(store) => store,
                None => open()?,
            }),
            home: Arc::clone(&self.spare),
        })
    }

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
        spawn_behind(move || tx.send(work()));
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

impl Deref for Lent {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store
            .as_ref()
            .expect("a lent store is held until it is dropped")
    }
}

impl DerefMut for Lent {
    fn deref_mut(&mut self) -> &mut Store {
        self.store
            .as_mut()
            .expect("a lent store is held until it is dropped")
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        *self.home.lock().unwrap_or_else(PoisonError::into_inner) = self.store.take();
    }
}

/// Starts `work` on a thread of its own that gives way to the officer's keys: on Linux its
/// scheduling priority is lowered and it runs off the core kept for the keys (and so do the
/// threads it starts, which inherit both), so a key pressed while every account is being ranked,
/// or the team's numbers worked out, is answered first instead of waiting for a core.
pub fn spawn_behind<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::spawn(move || {
        give_way();
        work()
    })
}

/// How far below the workstation's own priority background work runs (a nice value).
const BEHIND: libc::c_int = 10;

fn give_way() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid takes no arguments; setpriority given this thread's own id changes only its
    // own priority (a failure leaves it as it was, which is harmless).
    unsafe {
        if let Ok(tid) = libc::id_t::try_from(libc::syscall(libc::SYS_gettid)) {
            let now = libc::getpriority(libc::PRIO_PROCESS, tid);
            libc::setpriority(libc::PRIO_PROCESS, tid, now.saturating_add(BEHIND).min(19));
        }
    }
    crate::cores::leave_to_keys();
}

fn stopped(name: &str) -> Action {
    Action::Failed(format!("{name} stopped before it finished."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::temp_store;

    #[test]
    fn jobs_one_after_another_share_one_connection() {
        let (_dir, store) = temp_store();
        let mut background = Background::default();
        let mut opened = 0;
        for _ in 0..3 {
            let lent = background
                .store(|| {
                    opened += 1;
                    store.another()
                })
                .unwrap();
            background.start("job", move || {
                Action::Failed(lent.path().display().to_string())
            });
            background.wait();
        }
        assert_eq!(opened, 1);
        // While a job holds it, another job gets a connection of its own.
        let held = background.store(|| store.another()).unwrap();
        let mut opened_again = false;
        let _other = background
            .store(|| {
                opened_again = true;
                store.another()
            })
            .unwrap();
        drop(held);
        assert!(opened_again);
    }

    /// Background work runs below the workstation's priority, and so do the threads it starts
    /// (the ranking reads its parts on threads of its own).
    #[cfg(target_os = "linux")]
    #[test]
    fn background_threads_give_way_to_the_keys() {
        fn own_nice() -> libc::c_int {
            // SAFETY: as in give_way; getpriority only reads.
            unsafe {
                let tid = libc::id_t::try_from(libc::syscall(libc::SYS_gettid)).unwrap();
                libc::getpriority(libc::PRIO_PROCESS, tid)
            }
        }
        let here = own_nice();
        let (behind, started_there) =
            spawn_behind(move || (own_nice(), std::thread::spawn(own_nice).join().unwrap()))
                .join()
                .unwrap();
        assert_eq!(behind, (here + BEHIND).min(19));
        assert_eq!(started_there, behind);
        assert_eq!(own_nice(), here, "the calling thread keeps its priority");
    }
}
