//! `import`: read every file, check everything, then write it all in one transaction (or, for a
//! dry run, nothing).

use super::apply::{Cursor, apply};
use super::check::{Parsed, check};
use super::file::{self, shown};
use super::records::Record;
use super::report::{Counts, Problem, Problems, Summary};
use super::{FILES, FileSpec, TENANCIES, kept};
use crate::domain::codes::CodeMaps;
use crate::store::{Scope, Store, StoreError};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

pub struct ImportOptions<'a> {
    /// The config's landlord codes, for transaction kinds, action codes and court outcomes.
    pub codes: &'a CodeMaps,
    /// Recorded on the import's batch.
    pub officer: &'a str,
    /// The import's day: a changed plan status takes effect on it when the extract gives no
    /// date, and every plan is judged for it by the breach check once the import is written.
    pub today: NaiveDate,
    /// The breach check's tolerance (`[plans] breach_tolerance_days`).
    pub plan_tolerance_days: u32,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
}

/// What the import is doing, for a progress bar: reading (bytes), checking, writing (rows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Checking,
    Writing,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder or one of its files could not be read; nothing was checked.
    #[error("{0}")]
    Unreadable(String),
    /// Some rows are bad: nothing was written.
    #[error("{problems}")]
    Rejected {
        problems: Problems,
        warnings: Vec<String>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports the extract in `dir`. `progress` hears the stage, how far it is and out of how much.
pub fn import(
    store: &mut Store,
    dir: &Path,
    options: &ImportOptions<'_>,
    mut progress: impl FnMut(Stage, u64, u64),
) -> Result<Summary, ImportError> {
    let started = Instant::now();
    let (files, mut warnings) = read_files(dir)?;
    let total_bytes: u64 = files.values().map(|b| b.len() as u64).sum();
    let mut problems = Problems::default();
    let mut parsed = Parsed::default();
    let mut bytes_before = 0;
    {
        let mut read = |spec: &'static FileSpec| {
            let bytes = files.get(spec.name).map(Vec::as_slice);
            let before = bytes_before;
            bytes_before += bytes.map_or(0, |b| b.len() as u64);
            (bytes, before)
        };
        let mut ctx = Reading {
            codes: options.codes,
            problems: &mut problems,
            warnings: &mut warnings,
            progress: &mut progress,
            total: total_bytes,
            unreadable: &mut parsed.unreadable,
        };
        parsed.tenancies = ctx.parse(read(&TENANCIES));
        parsed.tenants = ctx.parse(read(&super::TENANTS));
        parsed.accounts = ctx.parse(read(&super::ACCOUNTS));
        parsed.transactions = ctx.parse(read(&super::TRANSACTIONS));
        parsed.actions = ctx.parse(read(&super::ACTIONS));
        parsed.notices = ctx.parse(read(&super::NOTICES));
        parsed.court = ctx.parse(read(&super::COURT));
        parsed.plans = ctx.parse(read(&super::PLANS));
        parsed.pauses = ctx.parse(read(&super::PAUSES));
    }
    progress(Stage::Checking, 0, 0);
    let recorded = store.recorded_in_caseload()?;
    let mut kept = Vec::new();
    kept::flags(&recorded, &parsed.tenancies, options.today, &mut kept);
    let listed_plans: HashSet<String> = parsed.plans.iter().map(|(_, p)| p.id.clone()).collect();
    let mut counts = HashMap::new();
    let changes = check(store, parsed, options.today, &mut problems, &mut counts)?;
    kept::pauses(&recorded, &changes.pauses, options.today, &mut kept);
    kept::plans(&recorded, &changes.plans, &mut kept);
    if !problems.is_empty() {
        // Problems are found file by file and then across files: list them in file order.
        let order = |file: &str| FILES.iter().position(|f| f.name == file);
        problems.shown.sort_by_key(|p| (order(p.file), p.line));
        return Err(ImportError::Rejected { problems, warnings });
    }
    // Every plan judged for the import's day, as the workstation would on opening: the breach
    // check owns a plan's state, whatever the extract says it is.
    let judge = |w: &mut crate::store::Writer<'_>| {
        w.monitor_plans(options.today, options.plan_tolerance_days, Scope::All)
            .map(drop)
    };
    if !options.dry_run && changes.is_empty() {
        store.monitor_plans(
            options.officer,
            options.today,
            options.plan_tolerance_days,
            Scope::All,
        )?;
    } else if !options.dry_run {
        let total = changes.rows();
        let mut cursor = Cursor::default();
        let written = store.write_bulk(options.officer, "import", |w| {
            apply(w, changes, &mut cursor, |done| {
                progress(Stage::Writing, done, total)
            })?;
            w.finish_bulk()?;
            judge(w)
        });
        if let Err(e) = written {
            return Err(match (cursor.at, e) {
                (Some((file, line)), StoreError::Invalid(message)) => {
                    let mut problems = Problems::default();
                    problems.push(Problem {
                        file,
                        line,
                        column: None,
                        message,
                    });
                    ImportError::Rejected { problems, warnings }
                }
                (_, e) => ImportError::Store(e),
            });
        }
        progress(Stage::Writing, total, total);
    }
    kept::plan_states(store.plan_disagreements()?, &listed_plans, &mut kept);
    Ok(Summary {
        files: FILES
            .iter()
            .filter(|spec| files.contains_key(spec.name))
            .map(|spec| {
                let c: Counts = counts.get(spec.name).copied().unwrap_or_default();
                (spec.name, c)
            })
            .collect(),
        warnings,
        kept,
        elapsed: started.elapsed(),
        dry_run: options.dry_run,
    })
}

/// Reading the files in order, with one progress count of bytes across them all.
struct Reading<'a, P> {
    codes: &'a CodeMaps,
    problems: &'a mut Problems,
    warnings: &'a mut Vec<String>,
    progress: &'a mut P,
    total: u64,
    /// The keys of rows that could not be read, by file.
    unreadable: &'a mut HashMap<&'static str, HashSet<String>>,
}

impl<P: FnMut(Stage, u64, u64)> Reading<'_, P> {
    fn parse<R: Record>(&mut self, (bytes, before): (Option<&[u8]>, u64)) -> Vec<(u64, R)> {
        let Some(bytes) = bytes else {
            return Vec::new();
        };
        // Rows run to roughly 60 bytes: reserve once rather than grow a million-row vector.
        let mut rows = Vec::with_capacity(bytes.len() / 60);
        let unreadable = self.unreadable.entry(R::SPEC.name).or_default();
        let (codes, total, progress) = (self.codes, self.total, &mut *self.progress);
        file::read(
            R::SPEC,
            bytes,
            self.problems,
            self.warnings,
            |done| progress(Stage::Reading, before + done, total),
            |row| match (!row.broken()).then(|| R::read(row, codes)).flatten() {
                Some(record) if row.ok() => rows.push((row.line, record)),
                // Rows that refer to a row already reported are not reported again.
                _ => {
                    if let Some(key) = R::KEY {
                        unreadable.insert(row.text(key).to_string());
                    }
                }
            },
        )
        .expect("reading from memory does not fail");
        rows
    }
}

/// The contents of each of the extract's files present, by file name.
type Files = HashMap<&'static str, Vec<u8>>;

/// The most an extract's file may hold: far more than any housing system writes, far less than an
/// endless file would.
pub const MAX_FILE: u64 = 16 << 30;

/// The extract's files that exist in `dir`, and warnings for files it does not read.
fn read_files(dir: &Path) -> Result<(Files, Vec<String>), ImportError> {
    let unreadable = |what: String| ImportError::Unreadable(what);
    let entries = std::fs::read_dir(dir)
        .map_err(|e| unreadable(format!("cannot read the folder {}: {e}", dir.display())))?;
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".csv") && !FILES.iter().any(|f| f.name == name) {
            warnings.push(format!(
                "{}: not a file of the extract: ignored",
                shown(&name)
            ));
        }
    }
    let mut files = HashMap::new();
    for spec in FILES {
        match open(dir, spec.name)? {
            Some((file, size)) => {
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                std::io::Read::read_to_end(&mut std::io::Read::take(file, size), &mut bytes)
                    .map_err(|e| unreadable(format!("cannot read {}: {e}", spec.name)))?;
                files.insert(spec.name, bytes);
            }
            None if spec != TENANCIES => {}
            None => {
                return Err(unreadable(format!(
                    "{} has no tenancies.csv: an extract needs at least that file (see docs/import.md)",
                    dir.display()
                )));
            }
        }
    }
    Ok((files, warnings))
}

/// Opens `name` in `dir` for reading, with its size; `None` if there is no such file. Only a
/// regular file inside the folder is read: not a pipe or a device (which could keep an import
/// waiting or reading for ever) and not a link that leads outside the folder (a system file).
fn open(dir: &Path, name: &str) -> Result<Option<(std::fs::File, u64)>, ImportError> {
    let unreadable = |what: String| ImportError::Unreadable(what);
    let path = dir.join(name);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(format!("cannot read {}: {e}", path.display()))),
    };
    let real = if meta.file_type().is_symlink() {
        let outside = || {
            unreadable(format!(
                "{name} leads outside the folder {}: copy the file itself into the folder",
                dir.display()
            ))
        };
        let target = std::fs::canonicalize(&path).map_err(|_| outside())?;
        let root = std::fs::canonicalize(dir)
            .map_err(|e| unreadable(format!("cannot read the folder {}: {e}", dir.display())))?;
        if !target.starts_with(&root) {
            return Err(outside());
        }
        target
    } else {
        path
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NONBLOCK | libc::O_NOFOLLOW,
    );
    let file = options
        .open(&real)
        .map_err(|e| unreadable(format!("cannot read {name}: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| unreadable(format!("cannot read {name}: {e}")))?;
    if !meta.is_file() {
        return Err(unreadable(format!(
            "{name} is not a regular file (a folder, a pipe or a device): an extract is made of \
             plain files"
        )));
    }
    if meta.len() > MAX_FILE {
        return Err(unreadable(format!(
            "{name} holds {} bytes, more than the {} an extract's file may hold",
            crate::domain::money::group_thousands(meta.len()),
            crate::domain::money::group_thousands(MAX_FILE)
        )));
    }
    Ok(Some((file, meta.len())))
}
