//! The cores the workstation runs on: one kept for the officer's keys, the others for work in the
//! background (the ranking at start, the team's numbers). A lower priority alone does not answer a
//! key at once: the kernel lets a running thread finish its slice, up to a clock tick (4 ms),
//! before a woken thread takes its core, and a key wakes three in turn (the terminal's, the
//! input's, the frame's); nor does it move a woken thread to a core that falls idle a moment
//! later. On a core of their own the keys' threads never wait behind the background's.

use std::cell::Cell;
use std::thread::{Scope, ScopedJoinHandle};

thread_local! {
    /// Whether this thread was placed on the keys' core.
    static KEYS: Cell<bool> = const { Cell::new(false) };
}

/// Places the calling thread, and the threads it starts, on the core kept for the keys (the first
/// of those the workstation was started on), when it was started on more than one.
pub fn keep_for_keys() {
    #[cfg(target_os = "linux")]
    linux::place(|cpu| cpu == linux::keys_core());
    KEYS.set(true);
}

/// Places the calling thread, and the threads it starts, on every core the workstation was
/// started on: for background work the officer waits for and does not type over.
pub fn every_core() {
    #[cfg(target_os = "linux")]
    linux::place(|_| true);
}

/// How many cores work shared out on the calling thread may take: on the keys' core, where the
/// officer waits for it, every core the workstation was started on; elsewhere those the thread
/// may run on.
pub fn for_parts() -> usize {
    #[cfg(target_os = "linux")]
    if KEYS.get() {
        return linux::started_on().len().max(1);
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Starts a part of work shared out (see [`for_parts`]) on a thread of `scope`: one started from
/// the keys' core runs on every core, not on the keys' one alone.
pub fn spawn_part<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    part: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    let spread = KEYS.get();
    scope.spawn(move || {
        if spread {
            every_core();
        }
        part()
    })
}

/// Places the calling thread, and the threads it starts, on every core the workstation was
/// started on but the one kept for the keys, when it was started on more than one. The parts of
/// a ranking follow (`available_parallelism` counts the cores a thread may run on).
pub fn leave_to_keys() {
    #[cfg(target_os = "linux")]
    linux::place(|cpu| cpu != linux::keys_core());
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::OnceLock;

    /// The cores the workstation was started on, read once, before any thread was placed.
    pub fn started_on() -> &'static [usize] {
        static CORES: OnceLock<Vec<usize>> = OnceLock::new();
        CORES.get_or_init(current)
    }

    /// The core kept for the keys: the first the workstation was started on.
    pub fn keys_core() -> usize {
        started_on().first().copied().unwrap_or(0)
    }

    /// The cores the calling thread may run on.
    pub fn current() -> Vec<usize> {
        // SAFETY: the set is plain data, zeroed and then filled by the kernel for this thread (0).
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set) != 0 {
                return Vec::new();
            }
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
                .collect()
        }
    }

    /// Runs the calling thread on the cores it was started on that `keep` says, if it was started
    /// on more than one (a failure leaves it where it was, which is harmless).
    pub fn place(keep: impl Fn(usize) -> bool) {
        let cores = started_on();
        if cores.len() < 2 {
            return;
        }
        // SAFETY: as in `current`; setting this thread's own set changes only where it runs.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            for &cpu in cores.iter().filter(|&&cpu| keep(cpu)) {
                libc::CPU_SET(cpu, &mut set);
            }
            libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set);
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_keys_have_a_core_of_their_own_and_the_background_every_other() {
            // On threads of their own: the test's thread keeps where it runs.
            let all = std::thread::spawn(current).join().unwrap();
            let (keys, background, started_there) = std::thread::spawn(|| {
                super::super::keep_for_keys();
                let background = std::thread::spawn(|| {
                    super::super::leave_to_keys();
                    (current(), std::thread::spawn(current).join().unwrap())
                });
                let (background, started_there) = background.join().unwrap();
                (current(), background, started_there)
            })
            .join()
            .unwrap();
            if all.len() < 2 {
                // One core is shared by all: nothing is placed.
                assert_eq!((&keys, &background), (&all, &all));
                return;
            }
            assert_eq!(keys, vec![all[0]]);
            assert_eq!(background, all[1..]);
            assert_eq!(
                started_there, background,
                "a thread started there stays there"
            );
            assert_eq!(
                std::thread::available_parallelism().map_or(0, |n| n.get()),
                all.len(),
                "the test's thread runs where it did"
            );
        }

        #[test]
        fn work_the_officer_waits_for_is_shared_among_every_core_and_the_backgrounds_among_its_own()
        {
            use super::super::{for_parts, keep_for_keys, leave_to_keys, spawn_part};
            let all = std::thread::spawn(current).join().unwrap();
            let on_keys = std::thread::spawn(|| {
                keep_for_keys();
                let part = std::thread::scope(|s| spawn_part(s, current).join().unwrap());
                (for_parts(), part)
            });
            let behind = std::thread::spawn(|| {
                leave_to_keys();
                let part = std::thread::scope(|s| spawn_part(s, current).join().unwrap());
                (for_parts(), part, current())
            });
            let (on_keys, (parts, part, background)) =
                (on_keys.join().unwrap(), behind.join().unwrap());
            assert_eq!(on_keys, (all.len(), all.clone()));
            assert_eq!((parts, part), (background.len(), background));
        }
    }
}
