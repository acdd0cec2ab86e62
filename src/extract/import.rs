//! `import`: one transaction, taken as soon as no other import or workstation is writing, in
//! which every file is read, checked against the database as it stands inside that transaction,
//! and written, row by row for the large files; then every plan is judged for the import's day.
//! Any problem, or a dry run, rolls it all back: nothing is saved unless everything is right.

use super::apply::{self, Append};
use super::check::{self, Changes};
use super::file::shown;
use super::ledger::Ledger;
use super::records::{
    AccountRow, ActionRow, CourtRow, Difference, NoticeRow, PauseRow, PlanRow, Record, Sourced,
    TenantRow, Verdict,
};
use super::report::{
    Counts, Problem, Problems, Summary, after_today, changed_row, unknown_tenancy,
};
use super::stream::{Chunk, Read, each_chunk};
use super::{FILES, FileSpec, TENANCIES, kept};
use crate::domain::codes::CodeMaps;
use crate::domain::tenancy::TenancyDetails;
use crate::store::{Held, Holdings, OwnFacts, Scope, Store, StoreError, Writer};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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
    /// Read and check everything, save nothing.
    pub dry_run: bool,
    /// How long to wait while another import or a workstation is writing before giving up.
    pub wait: Duration,
}

/// What the import is doing, for a progress bar: waiting for the database (milliseconds of the
/// most it will wait), reading and writing (bytes of all the files), then finishing (indexes,
/// balances, plans).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Waiting,
    Reading,
    Finishing,
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
    /// Another import or a workstation kept the database busy for longer than the import waits:
    /// nothing was done.
    #[error(
        "the database is busy: another import or a workstation has been writing to it for {} s; \
         nothing was imported (try again, or wait longer with --wait)",
        .waited.as_secs()
    )]
    Busy { waited: Duration },
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
    let (sources, warnings) = open_all(dir)?;
    let total: u64 = sources.iter().map(|s| s.size).sum();
    let wait = options.wait;
    let mut w = store
        .begin_bulk(options.officer, "import", |waited| {
            progress(Stage::Waiting, millis(waited), millis(wait));
            waited < wait
        })
        .map_err(|e| match e {
            StoreError::Busy => ImportError::Busy { waited: wait },
            e => e.into(),
        })?;
    let mut run = Run {
        options,
        problems: Problems::default(),
        warnings,
        tenancies: HashMap::new(),
        unreadable_tenancies: HashSet::new(),
        accounts: HashMap::new(),
        unreadable_accounts: HashSet::new(),
        recorded: w.recorded_in_caseload()?,
        kept: Vec::new(),
        repeats: Vec::new(),
        listed_plans: HashSet::new(),
        counts: Vec::new(),
        read: 0,
        total,
    };
    run.files(&mut w, dir, sources, &mut progress)?;
    let mut wrote = run.counts.iter().any(|(_, c)| c.new + c.updated > 0);
    if run.problems.is_empty() {
        progress(Stage::Finishing, 0, 0);
        w.finish_bulk()?;
        // Every plan judged for the import's day, as the workstation would on opening: the
        // breach check owns a plan's state, whatever the extract says it is.
        let judged = w.monitor_plans(options.today, options.plan_tolerance_days, Scope::All)?;
        wrote |= !judged.is_empty();
        kept::plan_states(w.plan_disagreements()?, &run.listed_plans, &mut run.kept);
    }
    let Run {
        mut problems,
        warnings,
        kept,
        counts,
        ..
    } = run;
    if !problems.is_empty() {
        w.rollback()?;
        // Problems are found file by file and then across files: list them in file order.
        let order = |file: &str| FILES.iter().position(|f| f.name == file);
        problems.shown.sort_by_key(|p| (order(p.file), p.line));
        return Err(ImportError::Rejected { problems, warnings });
    }
    if options.dry_run || !wrote {
        w.rollback()?;
    } else {
        w.commit()?;
    }
    Ok(Summary {
        files: counts,
        warnings,
        kept,
        elapsed: started.elapsed(),
        dry_run: options.dry_run,
    })
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// An import under way: what it knows, found and counted so far.
pub(super) struct Run<'a> {
    options: &'a ImportOptions<'a>,
    problems: Problems,
    warnings: Vec<String>,
    /// Every tenancy known (held or new), by reference, with its row id.
    pub tenancies: HashMap<String, i64>,
    /// References of tenancy rows that could not be read: rows naming them are not reported too.
    pub unreadable_tenancies: HashSet<String>,
    /// Every account known (held or new), by source id, with its row id.
    pub accounts: HashMap<String, i64>,
    pub unreadable_accounts: HashSet<String>,
    /// What officers recorded in caseload, by tenancy reference.
    recorded: HashMap<String, OwnFacts>,
    kept: Vec<String>,
    /// Ids found a second time in a file, with the line where known: the lines they appear on
    /// are looked up at the end.
    repeats: Vec<(&'static FileSpec, String, Option<u64>)>,
    /// The plans the extract lists, by source id.
    listed_plans: HashSet<String>,
    counts: Vec<(&'static str, Counts)>,
    /// Bytes of the files read before the current one, and of all of them.
    read: u64,
    total: u64,
}

/// One file of the extract, opened.
struct Source {
    spec: &'static FileSpec,
    file: std::fs::File,
    size: u64,
}

/// Ids repeated in a file that are reported with the line they first appeared on: past these,
/// a repeat is counted without it.
const REPEATS_LOOKED_UP: usize = 100;

impl<'a> Run<'a> {
    pub fn problem(&mut self, spec: &FileSpec, line: u64, column: &'static str, message: String) {
        self.problems.push(Problem {
            file: spec.name,
            line,
            column: Some(column),
            message,
        });
    }

    /// An id seen again in its file, at `line` if known.
    pub fn repeated(&mut self, spec: &'static FileSpec, id: &str, line: Option<u64>) {
        match line {
            Some(line) if self.repeats.len() >= REPEATS_LOOKED_UP => self.problem(
                spec,
                line,
                "id",
                format!("id `{}` appears twice", shown(id)),
            ),
            _ => self.repeats.push((spec, id.to_string(), line)),
        }
    }

    /// A row that differs from the row held under its id in a column that never changes.
    pub fn conflict(&mut self, spec: &FileSpec, line: u64, id: &str, d: &Difference) {
        self.problem(spec, line, d.column, changed_row(id, d));
    }

    /// Every file, in order: what each refers to is written before it.
    fn files(
        &mut self,
        w: &mut Writer<'_>,
        dir: &Path,
        sources: Vec<Source>,
        progress: &mut impl FnMut(Stage, u64, u64),
    ) -> Result<(), ImportError> {
        let mut sources: HashMap<&str, Source> =
            sources.into_iter().map(|s| (s.spec.name, s)).collect();
        let mut take = |spec: &FileSpec| sources.remove(spec.name);
        let mut changes = Changes::default();
        let tenancies: Vec<(u64, TenancyDetails)> = self.all(take(&TENANCIES), progress)?;
        kept::flags(
            &self.recorded,
            &tenancies,
            self.options.today,
            &mut self.kept,
        );
        let (mut known, counts) = check::tenancies(w, tenancies, &mut changes, &mut self.problems)?;
        self.count(&TENANCIES, counts);
        known.extend(self.unreadable_tenancies.iter().cloned());
        let tenants: Vec<(u64, TenantRow)> = self.all(take(&super::TENANTS), progress)?;
        let counts = check::tenants(w, tenants, &known, &mut changes, &mut self.problems)?;
        self.count(&super::TENANTS, counts);
        let accounts: Vec<(u64, AccountRow)> = self.all(take(&super::ACCOUNTS), progress)?;
        let (account_rows, counts) =
            check::accounts(w, accounts, &known, &mut changes, &mut self.problems)?;
        self.count(&super::ACCOUNTS, counts);
        // Written even when something is already wrong (it is all rolled back then), so that
        // the rows that refer to them are checked as they would be.
        apply::people(w, &mut changes)?;
        self.tenancies = changes.tenancy_ids.clone();
        self.accounts = changes.account_ids.clone();
        // Accounts refused for what they refer to: rows naming them are not reported too.
        self.unreadable_accounts.extend(
            account_rows
                .keys()
                .filter(|name| !self.accounts.contains_key(*name))
                .cloned(),
        );

        if let Some(source) = take(&super::TRANSACTIONS) {
            // Rows run to some 50 bytes: an estimate is enough to decide how to index.
            let estimate = usize::try_from(source.size / 40).unwrap_or(usize::MAX);
            let mut ledger = Ledger::new(w, estimate, self.options.today)?;
            self.stream(source, progress, |run, chunk| ledger.chunk(w, run, chunk))?;
            let counts = ledger.counts;
            ledger.finish(w, self)?;
            self.count(&super::TRANSACTIONS, counts);
        }
        self.append::<ActionRow>(w, take(&super::ACTIONS), progress)?;
        self.append::<NoticeRow>(w, take(&super::NOTICES), progress)?;
        self.append::<CourtRow>(w, take(&super::COURT), progress)?;

        let plans: Vec<(u64, PlanRow)> = self.all(take(&super::PLANS), progress)?;
        self.listed_plans = plans.iter().map(|(_, p)| p.id.clone()).collect();
        let counts = check::plans(
            w,
            plans,
            &known,
            &account_rows,
            &self.unreadable_accounts,
            self.options.today,
            &mut changes,
            &mut self.problems,
        )?;
        self.count(&super::PLANS, counts);
        kept::plans(&self.recorded, &changes.plans, &mut self.kept);
        apply::plans(w, &changes)?;
        self.append::<PauseRow>(w, take(&super::PAUSES), progress)?;
        self.first_lines(dir)
    }

    fn count(&mut self, spec: &'static FileSpec, counts: Counts) {
        self.counts.push((spec.name, counts));
    }

    /// Reads a whole file into memory (a few rows per tenancy); nothing if it is absent.
    fn all<R: Record + Send>(
        &mut self,
        source: Option<Source>,
        progress: &mut impl FnMut(Stage, u64, u64),
    ) -> Result<Vec<(u64, R)>, ImportError> {
        let mut rows = Vec::new();
        if let Some(source) = source {
            self.stream(source, progress, |_, chunk: &mut Chunk<R>| {
                rows.append(&mut chunk.rows);
                Ok(())
            })?;
        }
        Ok(rows)
    }

    /// Reads a file chunk by chunk on another thread, handing each chunk to `each` here.
    fn stream<R: Record + Send>(
        &mut self,
        source: Source,
        progress: &mut impl FnMut(Stage, u64, u64),
        mut each: impl FnMut(&mut Run<'a>, &mut Chunk<R>) -> crate::store::Result<()>,
    ) -> Result<(), ImportError> {
        let bytes = AtomicU64::new(0);
        let (before, total) = (self.read, self.total);
        let codes = self.options.codes;
        let name = source.spec.name;
        let file = source.file.take(source.size);
        let read: Read = each_chunk(file, codes, &bytes, |chunk: &mut Chunk<R>| {
            let unreadable = match R::SPEC.name {
                n if n == TENANCIES.name => Some(&mut self.unreadable_tenancies),
                n if n == super::ACCOUNTS.name => Some(&mut self.unreadable_accounts),
                _ => None,
            };
            if let Some(set) = unreadable {
                set.extend(chunk.unreadable.iter().cloned());
            }
            each(self, chunk).map_err(StreamError::Store)?;
            progress(
                Stage::Reading,
                before + bytes.load(Ordering::Relaxed),
                total,
            );
            Ok::<(), StreamError>(())
        })
        .map_err(|e| match e {
            StreamError::Store(e) => ImportError::Store(e),
            StreamError::Io(e) => ImportError::Unreadable(format!("cannot read {name}: {e}")),
        })?;
        self.read += source.size;
        self.problems.merge(read.problems);
        self.warnings.extend(read.warnings);
        Ok(())
    }

    /// An append-only file other than the ledger, streamed: each row checked against the row
    /// held under its id, new rows written.
    fn append<R: Record + Sourced + Held + Append + Send>(
        &mut self,
        w: &mut Writer<'_>,
        source: Option<Source>,
        progress: &mut impl FnMut(Stage, u64, u64),
    ) -> Result<(), ImportError> {
        let Some(source) = source else {
            return Ok(());
        };
        let compare = w.holds_any::<R>()?;
        let mut counts = Counts::default();
        self.stream(source, progress, |run, chunk: &mut Chunk<R>| {
            run.append_chunk(w, chunk, compare, &mut counts)
        })?;
        self.count(R::SPEC, counts);
        Ok(())
    }

    fn append_chunk<R: Record + Sourced + Held + Append>(
        &mut self,
        w: &mut Writer<'_>,
        chunk: &Chunk<R>,
        compare: bool,
        counts: &mut Counts,
    ) -> crate::store::Result<()> {
        let spec = R::SPEC;
        let held: HashMap<String, (i64, R)> = if compare {
            let ids: Vec<&str> = chunk.rows.iter().map(|(_, r)| r.id()).collect();
            w.held_with_ids::<R>(&ids)?
                .into_iter()
                .map(|(batch, r)| (r.id().to_string(), (batch, r)))
                .collect()
        } else {
            HashMap::new()
        };
        let mut seen: HashSet<&str> = HashSet::new();
        for (line, row) in &chunk.rows {
            let line = *line;
            let tenancy = row.tenancy().unwrap_or_default();
            let Some(&tenancy_id) = self.tenancies.get(tenancy) else {
                if !self.unreadable_tenancies.contains(tenancy) {
                    self.problem(spec, line, "tenancy", unknown_tenancy(tenancy));
                }
                continue;
            };
            if !seen.insert(row.id()) {
                self.repeated(spec, row.id(), Some(line));
                continue;
            }
            match held.get(row.id()) {
                Some((batch, _)) if *batch == w.batch_id() => {
                    self.repeated(spec, row.id(), Some(line));
                    continue;
                }
                Some((_, old)) => {
                    match row.verdict(old) {
                        Verdict::Same | Verdict::Update => counts.unchanged += 1,
                        Verdict::Conflict(d) => self.conflict(spec, line, row.id(), &d),
                    }
                    continue;
                }
                None => {}
            }
            if let Some((column, date)) = row.after(self.options.today) {
                self.problem(spec, line, column, after_today(date, self.options.today));
                continue;
            }
            match row.append(w, tenancy_id) {
                Ok(()) => {}
                Err(e) if e.is_unique_violation() => {
                    self.repeated(spec, row.id(), Some(line));
                    continue;
                }
                Err(e) => return Err(e),
            }
            counts.new += 1;
            row.kept(&self.recorded, self.options.today, &mut self.kept);
        }
        Ok(())
    }

    /// Reports each id seen twice with the line it first appeared on, read again from its file.
    fn first_lines(&mut self, dir: &Path) -> Result<(), ImportError> {
        let repeats = std::mem::take(&mut self.repeats);
        let mut by_file: HashMap<&'static str, Vec<(String, Option<u64>)>> = HashMap::new();
        for (spec, id, line) in repeats {
            by_file.entry(spec.name).or_default().push((id, line));
        }
        for spec in FILES.iter() {
            let Some(repeats) = by_file.remove(spec.name) else {
                continue;
            };
            let wanted: HashSet<&str> = repeats.iter().map(|(id, _)| id.as_str()).collect();
            let seen = first_seen(dir, spec, &wanted)?;
            for (id, line) in &repeats {
                let lines = seen.get(id.as_str()).map_or(&[][..], Vec::as_slice);
                // Where the repeat was not told, it is the second time the id appears.
                let Some(line) = line.or_else(|| lines.get(1).copied()) else {
                    continue;
                };
                let message = match lines.first() {
                    Some(&first) if first < line => {
                        format!("id `{}` appears twice (first on line {first})", shown(id))
                    }
                    _ => format!("id `{}` appears twice", shown(id)),
                };
                self.problem(spec, line, "id", message);
            }
        }
        Ok(())
    }
}

/// What stopped a file being streamed.
enum StreamError {
    Store(StoreError),
    Io(std::io::Error),
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> Self {
        StreamError::Io(e)
    }
}

/// The first two lines each of `ids` appears on in `spec`'s file (its `id` column).
fn first_seen(
    dir: &Path,
    spec: &'static FileSpec,
    ids: &HashSet<&str>,
) -> Result<HashMap<String, Vec<u64>>, ImportError> {
    let mut first = HashMap::new();
    let Some((file, size)) = open(dir, spec.name)? else {
        return Ok(first);
    };
    let mut ignored = (Problems::default(), Vec::new());
    super::file::read(
        spec,
        std::io::BufReader::new(file.take(size)),
        &mut ignored.0,
        &mut ignored.1,
        |_| {},
        |row| {
            let id = row.text("id");
            if ids.contains(id) {
                let lines: &mut Vec<u64> = first.entry(id.to_string()).or_default();
                if lines.len() < 2 {
                    lines.push(row.line);
                }
            }
        },
    )
    .map_err(|e| ImportError::Unreadable(format!("cannot read {}: {e}", spec.name)))?;
    Ok(first)
}

/// The extract's files that exist in `dir`, opened, and warnings for files it does not read.
fn open_all(dir: &Path) -> Result<(Vec<Source>, Vec<String>), ImportError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        ImportError::Unreadable(format!("cannot read the folder {}: {e}", dir.display()))
    })?;
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
    let mut sources = Vec::new();
    for spec in FILES.iter() {
        match open(dir, spec.name)? {
            Some((file, size)) => sources.push(Source { spec, file, size }),
            None if *spec != TENANCIES => {}
            None => {
                return Err(ImportError::Unreadable(format!(
                    "{} has no tenancies.csv: an extract needs at least that file (see docs/import.md)",
                    dir.display()
                )));
            }
        }
    }
    Ok((sources, warnings))
}

/// The most an extract's file may hold: far more than any housing system writes, far less than an
/// endless file would.
pub const MAX_FILE: u64 = 16 << 30;

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
