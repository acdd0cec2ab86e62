//! Reading a file on a thread of its own and handing its rows to the writing thread a chunk at a
//! time through a short queue: the next rows are split, parsed and checked while the last are
//! written, and memory holds a few chunks however large the file.

use super::file;
use super::records::Record;
use super::report::Problems;
use crate::domain::codes::CodeMaps;
use std::io::BufReader;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;

/// Rows handed over at a time.
const CHUNK: usize = 4_096;
/// Chunks read ahead of the writer.
const AHEAD: usize = 2;

/// A run of rows read from a file, with their line numbers.
pub(super) struct Chunk<R> {
    pub rows: Vec<(u64, R)>,
    /// The keys (`R::KEY`) of rows that could not be read, so that rows referring to them are not
    /// reported too.
    pub unreadable: Vec<String>,
}

impl<R> Default for Chunk<R> {
    fn default() -> Self {
        Chunk {
            rows: Vec::with_capacity(CHUNK),
            unreadable: Vec::new(),
        }
    }
}

/// What reading a file found besides its rows.
#[derive(Default)]
pub(super) struct Read {
    pub problems: Problems,
    pub warnings: Vec<String>,
}

/// Reads `file` as `R` on another thread, calling `each` here with every chunk of rows in order;
/// `bytes` counts how much of the file has been read. Stops early (reading no further) when
/// `each` fails, and returns its error. Each chunk goes back to the reading thread to be freed
/// there: the writing thread is the busier one.
pub(super) fn each_chunk<R: Record + Send, E: From<std::io::Error>>(
    file: impl std::io::Read + Send,
    codes: &CodeMaps,
    bytes: &AtomicU64,
    mut each: impl FnMut(&mut Chunk<R>) -> Result<(), E>,
) -> Result<Read, E> {
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Chunk<R>>(AHEAD);
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Chunk<R>>();
        let halt = &stop;
        let reader = scope.spawn(move || {
            let mut read = Read::default();
            let mut chunk = Chunk::default();
            let input = BufReader::with_capacity(1 << 16, file);
            let outcome = file::read(
                R::SPEC,
                input,
                &mut read.problems,
                &mut read.warnings,
                |done| bytes.store(done, Ordering::Relaxed),
                |row| {
                    if halt.load(Ordering::Relaxed) {
                        return;
                    }
                    match (!row.broken()).then(|| R::read(row, codes)).flatten() {
                        Some(record) if row.ok() => chunk.rows.push((row.line, record)),
                        _ => {
                            if let Some(key) = R::KEY {
                                chunk.unreadable.push(row.raw(key));
                            }
                        }
                    }
                    if chunk.rows.len() == CHUNK {
                        // Free what the writer is done with here, not on its thread.
                        done_rx.try_iter().for_each(drop);
                        if tx.send(std::mem::take(&mut chunk)).is_err() {
                            halt.store(true, Ordering::Relaxed);
                        }
                    }
                },
            );
            // The last rows; nobody may be listening any more, which is fine.
            let _ = tx.send(chunk);
            outcome.map(|()| read)
        });
        let mut failed = None;
        for mut chunk in rx.iter() {
            if let Err(e) = each(&mut chunk) {
                failed = Some(e);
                stop.store(true, Ordering::Relaxed);
                break;
            }
            let _ = done_tx.send(chunk);
        }
        drop(done_tx);
        // Drain what was already queued so that the reader is never left waiting to send.
        drop(rx);
        let read = reader.join().expect("the reading thread does not panic");
        match failed {
            Some(e) => Err(e),
            None => read.map_err(E::from),
        }
    })
}
