//! The only code that speaks SQL: the schema and its migrations, reads, and writes in transactions.

mod account;
mod assessments;
mod calls;
mod chain;
mod corrections;
mod draft_file;
mod draft_saver;
mod drafts;
mod engine;
mod extract;
mod facts;
mod facts_kept;
mod kpi;
mod kpi_backfill;
mod kpi_weeks;
mod ledger;
mod letters;
mod migrations;
pub mod pg;
mod plan_monitor;
mod plans;
mod queue;
mod ranking_file;
mod reassign;
mod record;
mod recovery;
mod refs;
mod sql_types;
mod tenancy;
mod verify;
mod write;

pub use account::{AccountDetail, Corrected, HistoryItem, HistoryKind, NoteRecord, PlanRecord};
pub use assessments::{AssessmentRecord, NewAssessment};
pub use calls::{NewContact, NoteHit, PromiseRecord};
pub use chain::{Break, ChainReport, Head, TableWalk};
pub use draft_file::{DraftFile, DraftFileError};
pub use draft_saver::{DraftSaver, DraftStatus, DraftTimings};
pub use drafts::Draft;
pub use extract::{
    Disagreement, Held, HeldAccount, HeldTenant, Holdings, OwnFacts, Target, local_row,
};
pub use facts::{CaseFacts, FactsPart, QueueFacts};
pub use letters::LetterRecord;
pub use plan_monitor::{PlanChange, PlanStanding, Scope};
pub use plans::{NewPlan, NewPlanEvent, PlanEventRecord, PlanHistory, PlanVersion, SavedPlan};
pub use queue::{Person, QueueText, TextReader};
pub use ranking_file::RankingFile;
pub use reassign::COORDINATOR_ROLE;
pub use record::{By, Recorded};
pub use recovery::{
    ClaimRecord, CourtEventRecord, NewOverride, NewPause, NoticeRecord, Origin, PauseRecord,
};
pub use tenancy::{SubAccount, TenancyRecord};
pub use verify::{CHECKS, Check, Problem, QuickCheck, Verification};
pub use write::{NewAction, NewEntry, NewNote, NewTenant, Writer};

use engine::Columns as _;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Each error says its cause once, in the officer's words where SQLite's are obscure: a
/// rusqlite error is described here, not also chained as a source to be said again.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {}", describe(cause))]
    Open {
        path: PathBuf,
        cause: rusqlite::Error,
    },
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the database {path} could not be brought up to date: {source}")]
    Migrate {
        path: PathBuf,
        source: rusqlite_migration::Error,
    },
    #[error(
        "{path} was written by a newer caseload (schema {found}); this is version {}, which reads \
         schema {supported} at most: open it with the newer caseload",
        env!("CARGO_PKG_VERSION")
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}", describe(.0))]
    Sql(rusqlite::Error),
    /// The PostgreSQL server refused or could not be reached.
    #[error("the database {url}: {}", pg::describe(cause))]
    Server { url: String, cause: postgres::Error },
    #[error(
        "the database {url} could not be brought up to version {version}: {}",
        pg::describe(cause)
    )]
    Migration {
        url: String,
        version: i32,
        cause: postgres::Error,
    },
    #[error("{0}")]
    Invalid(String),
    /// Another connection held the write lock for longer than the caller would wait.
    #[error("the database is busy: another import or a workstation is writing to it")]
    Busy,
    /// Two ledger entries written in a bulk load share a source id (found when the unique index
    /// lifted for the load was built again).
    #[error("two transactions share one id")]
    RepeatedIds,
}

impl StoreError {
    /// A row refused because another already holds its unique key (a source id).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            }
            StoreError::Server { cause, .. } => {
                cause.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
            }
            _ => false,
        }
    }

    /// A row refused by a constraint of its table (a value not in a column's list).
    pub fn is_constraint_violation(&self) -> bool {
        match self {
            StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::ConstraintViolation
            }
            StoreError::Server { cause, .. } => {
                cause.code().is_some_and(|c| c.code().starts_with("23"))
            }
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e)
    }
}

impl StoreError {
    /// Another connection holds the write lock: waiting may cure it, and nothing was written.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sql(e) => is_busy(e),
            StoreError::Busy => true,
            _ => false,
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A database error in plain words: what went wrong for the officer, where SQLite's own words
/// would not say it (its message otherwise).
fn describe(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        _ if is_busy(e) => {
            "the database is busy: another officer or an import is writing to it".into()
        }
        Some(C::ReadOnly) => "the database is read-only".into(),
        Some(C::DiskFull) => "the database or its disk is full".into(),
        Some(C::NotADatabase | C::DatabaseCorrupt) => {
            "the file is not a caseload database, or it is damaged".into()
        }
        Some(C::CannotOpen) => {
            "the file cannot be opened (check its path and its folder's permissions)".into()
        }
        _ => format!("database error: {e}"),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open caseload database: an officer's SQLite file, or a team's PostgreSQL database.
pub struct Store {
    conn: Conn,
    path: PathBuf,
    /// The chained tables, found from the schema at the first write.
    chained: Option<std::sync::Arc<chain::Tables>>,
    /// A bulk write relaxed the connection's constraints (see [`Store::begin_bulk`]): the next
    /// write puts them back.
    relaxed: std::cell::Cell<bool>,
    /// A second connection for the team's numbers, opened on first use and kept: they read the
    /// ledger on this one while it reads the records (see `kpi_backfill`).
    kpi_helper: std::cell::RefCell<Option<Box<Store>>>,
    /// The workstation (one run of the program) whose drafts this store writes, and takes away
    /// when their notes are saved; empty elsewhere.
    workstation: String,
}

/// The engine a store holds its connection to.
enum Conn {
    Sqlite(Connection),
    /// The server, and the URL it was opened with (password and all: a second connection for
    /// another thread logs in the same way; it is never shown).
    Pg {
        server: Box<pg::Server>,
        url: String,
    },
}

impl Store {
    /// The connection, for the store's SQL written once for both engines.
    fn db(&self) -> engine::Db<'_> {
        match &self.conn {
            Conn::Sqlite(conn) => engine::Db::Sqlite(conn),
            Conn::Pg { server, .. } => engine::Db::Pg(server),
        }
    }

    /// The SQLite file's connection, for what only a file has (its journal, its cache); a team's
    /// database has none.
    fn sqlite(&self) -> Option<&Connection> {
        match &self.conn {
            Conn::Sqlite(conn) => Some(conn),
            Conn::Pg { .. } => None,
        }
    }

    /// Runs `work` in one transaction on either engine, committed if it succeeds: for what is
    /// kept beside the records (the team's weekly numbers), which is no write of records (no
    /// batch, nothing sealed).
    fn transaction<T>(&mut self, work: impl FnOnce(engine::Db<'_>) -> Result<T>) -> Result<T> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                let tx = conn.transaction()?;
                let out = work(engine::Db::Sqlite(&tx))?;
                tx.commit()?;
                Ok(out)
            }
            Conn::Pg { server, .. } => server.transaction(work),
        }
    }

    /// The officer a team's database knows: the login (the user in its URL). A file knows none:
    /// its officer is named by `--officer` or the system's login.
    pub fn login(&self) -> Result<Option<String>> {
        match &self.conn {
            Conn::Pg { server, .. } => match server.login() {
                Some(login) => Ok(Some(login.to_string())),
                None => self
                    .db()
                    .query_one("SELECT session_user::text", &[], |r| r.get(0))
                    .map(Some),
            },
            Conn::Sqlite(_) => Ok(None),
        }
    }

    /// On a team's database, what its live connections are made from (one hearing every write
    /// announced, one keeping this officer's presence), again whenever one is lost.
    pub fn live_link(&self) -> Option<pg::Link> {
        match &self.conn {
            Conn::Pg { url, .. } => Some(pg::Link::new(url)),
            Conn::Sqlite(_) => None,
        }
    }

    /// The team's server, if the store is on one.
    pub fn server(&self) -> Option<&pg::Server> {
        match &self.conn {
            Conn::Pg { server, .. } => Some(server),
            Conn::Sqlite(_) => None,
        }
    }

    /// Opens the team's database at `url`, which `caseload migrate` must have brought up to date.
    pub fn open_server(url: &str) -> Result<Store> {
        let server = pg::open(url)?;
        Ok(Store {
            path: PathBuf::from(server.url()),
            conn: Conn::Pg {
                server: Box::new(server),
                url: url.to_string(),
            },
            chained: None,
            relaxed: std::cell::Cell::new(false),
            kpi_helper: std::cell::RefCell::default(),
            workstation: String::new(),
        })
    }

    /// Opens (creating if needed, readable by its owner only) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        create_private(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|cause| StoreError::Open {
            path: path.to_path_buf(),
            cause,
        })?;
        configure(&conn).map_err(|cause| StoreError::Open {
            path: path.to_path_buf(),
            cause,
        })?;
        let migrate = |source| StoreError::Migrate {
            path: path.to_path_buf(),
            source,
        };
        // A file from a newer version is said to be one, not migrated "too high".
        let pending = migrations::MIGRATIONS
            .pending_migrations(&conn)
            .map_err(migrate)?;
        if pending < 0 {
            let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found,
                supported: found + i64::from(pending),
            });
        }
        migrations::MIGRATIONS
            .to_latest(&mut conn)
            .map_err(migrate)?;
        Ok(Store {
            conn: Conn::Sqlite(conn),
            path: path.to_path_buf(),
            chained: None,
            relaxed: std::cell::Cell::new(false),
            kpi_helper: std::cell::RefCell::default(),
            workstation: String::new(),
        })
    }

    /// Opens a new file that is being built to be moved into place when complete (a demo): no
    /// other process can see it, so it is written without the journal and syncs that protect a
    /// live database, and a failed build is simply deleted.
    pub fn create_scratch(path: &Path) -> Result<Store> {
        let store = Store::open(path)?;
        let err = |cause| StoreError::Open {
            path: path.to_path_buf(),
            cause,
        };
        if let Some(conn) = store.sqlite() {
            conn.pragma_update(None, "synchronous", "OFF")
                .map_err(err)?;
            conn.pragma_update(None, "cache_size", -65_536)
                .map_err(err)?;
        }
        Ok(store)
    }

    /// Makes a scratch file a normal database again: write-ahead log on, everything on disk.
    pub fn finish_scratch(self) -> Result<()> {
        if let Some(conn) = self.sqlite() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            conn.pragma_update(None, "synchronous", "FULL")?;
        }
        self.checkpoint()
    }

    /// A second connection that may write, configured like the first, for another thread.
    fn writer_connection(&self) -> Result<Connection> {
        writer_connection(&self.path)
    }

    /// Another store on the same file, its own connection, for work on another thread that
    /// reads much of the file (the team's numbers): its pages are mapped into memory, not copied
    /// in one read at a time.
    pub fn another(&self) -> Result<Store> {
        self.opener().open()
    }

    /// What opens [`Store::another`] on the thread that will use it: opening a connection takes
    /// longer than a key should wait.
    pub fn opener(&self) -> Opener {
        match &self.conn {
            Conn::Pg { url, .. } => Opener::Server(url.clone()),
            Conn::Sqlite(_) => Opener::File(self.path.clone()),
        }
    }

    /// A second, read-only connection to the same file, for reading on another thread.
    fn reader(&self) -> Result<Connection> {
        let err = |cause| StoreError::Open {
            path: self.path.clone(),
            cause,
        };
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(err)?;
        Ok(conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every row of `sql` (in the common dialect: `?N` parameters), each column as a SQLite file
    /// holds it, on either engine: for tests and tools that look at what was saved.
    pub fn rows(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<Vec<rusqlite::types::Value>>> {
        self.db().query_map(sql, params, |row| {
            (0..row.columns())
                .map(|i| row.get::<usize, rusqlite::types::Value>(i))
                .collect()
        })
    }

    /// How long a write waits for another connection's write lock before it reports the
    /// database busy (the workstation waits briefly and tries again, saying so).
    /// Names the workstation whose drafts this store writes and deletes (see `drafts`).
    pub fn set_workstation(&mut self, workstation: String) {
        self.workstation = workstation;
    }

    /// Whether nothing can be written to the file: it or its folder is read-only or immutable,
    /// or it was written by a SQLite this one may only read. The write lock is asked for and let
    /// go at once (nothing is written); a file busy with another writer is not read-only, nor is
    /// a team's database (its server says what each login may do, write by write).
    pub fn is_read_only(&self) -> bool {
        let Conn::Sqlite(conn) = &self.conn else {
            return false;
        };
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return true;
        }
        match conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK") {
            Ok(()) => false,
            Err(e) => e.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly),
        }
    }

    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.busy_timeout(wait)?),
            // A team's writes wait for their turn on the server's lock.
            Conn::Pg { server, .. } => {
                server.set_write_wait(wait);
                Ok(())
            }
        }
    }

    /// The schema version the file is at.
    pub fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?),
            Conn::Pg { .. } => Ok(self
                .db()
                .query_opt("SELECT max(version) FROM caseload_migrations", &[], |r| {
                    r.get(0)
                })?
                .unwrap_or(0)),
        }
    }

    /// Number of tenancies held.
    pub fn tenancy_count(&self) -> Result<usize> {
        refs::tenancy_count(self.db())
    }

    /// Folds the write-ahead log into the main file, e.g. before the file is moved (a team's
    /// server keeps its own).
    pub fn checkpoint(&self) -> Result<()> {
        if let Some(conn) = self.sqlite() {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// A tenancy id by its reference, exactly: `abc1` and `ABC1` can be two tenancies, and a
    /// lookup never returns one for the other.
    pub fn tenancy_by_ref(&self, reference: &str) -> Result<Option<i64>> {
        refs::tenancy_by_ref(self.db(), reference)
    }

    /// A reference that differs from `reference` only in case, to suggest when there is none.
    pub fn reference_like(&self, reference: &str) -> Result<Option<String>> {
        refs::reference_like(self.db(), reference)
    }
}

/// Another connection to the same database, to be moved to another thread.
pub(super) enum Side {
    File(Connection),
    Server(Box<pg::Server>),
}

impl Side {
    fn db(&self) -> engine::Db<'_> {
        match self {
            Side::File(conn) => engine::Db::Sqlite(conn),
            Side::Server(server) => engine::Db::Pg(server),
        }
    }
}

impl Store {
    /// A second connection for another thread: read-only on a file unless `writes`, and on a
    /// team's database one more login of the same officer.
    fn side(&self, writes: bool) -> Result<Side> {
        match &self.conn {
            // Connected by its first statement, on its own thread: a start does not wait for it.
            Conn::Pg { url, .. } => Ok(Side::Server(Box::new(pg::Server::later(url)))),
            Conn::Sqlite(_) if writes => Ok(Side::File(self.writer_connection()?)),
            Conn::Sqlite(_) => Ok(Side::File(self.reader()?)),
        }
    }
}

/// Opens another store on a database (see [`Store::opener`]).
#[derive(Clone, Debug)]
pub enum Opener {
    File(PathBuf),
    Server(String),
}

impl Opener {
    /// A store on another connection. A file's connections read through SQLite's own bounded
    /// page cache, not a map of the file: the pages a ranking, the integrity check or a day of
    /// accounts read would otherwise all count in the workstation's memory while it is open.
    pub fn open(&self) -> Result<Store> {
        let path = match self {
            Opener::Server(url) => return Store::open_server(url),
            Opener::File(path) => path,
        };
        let conn = writer_connection(path)?;
        Ok(Store {
            conn: Conn::Sqlite(conn),
            path: path.clone(),
            chained: None,
            relaxed: std::cell::Cell::new(false),
            kpi_helper: std::cell::RefCell::default(),
            workstation: String::new(),
        })
    }
}

/// A connection that writes to the file at `path`.
fn writer_connection(path: &Path) -> Result<Connection> {
    let err = |cause| StoreError::Open {
        path: path.to_path_buf(),
        cause,
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    configure(&conn).map_err(err)?;
    Ok(conn)
}

/// What the queue is read from: a caseload's file, or a team's database.
pub trait QueueSource {
    /// Every tenancy's facts in parts, each handed to `each` (see [`Store::queue_facts_in_parts`]).
    fn queue_facts_in_parts<T: Send>(
        &self,
        judging: crate::domain::promise::Judging,
        each: impl Fn(FactsPart<'_>) -> T + Sync,
    ) -> Result<Vec<T>>;
    /// The plans the breach check would move on `today` (see [`Store::judge_plans`]).
    fn judge_plans(
        &self,
        today: chrono::NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<std::collections::HashMap<i64, crate::domain::plan::PlanState>>;
    /// Every tenancy's text: reference, address, people.
    fn queue_texts(&self) -> Result<Vec<QueueText>>;
}

impl QueueSource for Store {
    fn queue_facts_in_parts<T: Send>(
        &self,
        judging: crate::domain::promise::Judging,
        each: impl Fn(FactsPart<'_>) -> T + Sync,
    ) -> Result<Vec<T>> {
        Store::queue_facts_in_parts(self, judging, each)
    }

    fn judge_plans(
        &self,
        today: chrono::NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<std::collections::HashMap<i64, crate::domain::plan::PlanState>> {
        Store::judge_plans(self, today, tolerance_days, scope)
    }

    fn queue_texts(&self) -> Result<Vec<QueueText>> {
        self.text_reader()?.read_all()
    }
}

impl QueueSource for pg::Server {
    /// In one part, read in one transaction.
    fn queue_facts_in_parts<T: Send>(
        &self,
        judging: crate::domain::promise::Judging,
        each: impl Fn(FactsPart<'_>) -> T + Sync,
    ) -> Result<Vec<T>> {
        Ok(vec![each(
            &mut pg::Server::queue_facts(self, judging)?.into_iter(),
        )])
    }

    fn judge_plans(
        &self,
        today: chrono::NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<std::collections::HashMap<i64, crate::domain::plan::PlanState>> {
        pg::Server::judge_plans(self, today, tolerance_days, scope)
    }

    fn queue_texts(&self) -> Result<Vec<QueueText>> {
        pg::Server::queue_texts(self)
    }
}

/// Durability and concurrency: WAL so readers never block the writer, `synchronous=FULL` so a
/// committed note survives a power cut, and a busy timeout so two terminals on one file wait for
/// each other instead of failing.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Creates the file (and its folder, owner-only) before SQLite does, so that it is `-rw-------`
/// from its first byte; SQLite gives its `-wal` and `-shm` files the same mode. A link planted
/// where the database goes is refused, never followed. A folder already there is the officer's
/// choice, even one that leads elsewhere (a data folder kept on another disk).
fn create_private(path: &Path) -> Result<()> {
    let err = |source| StoreError::Create {
        path: path.to_path_buf(),
        source,
    };
    crate::private_file::refuse_link(path).map_err(err)?;
    crate::private_file::create_parent(path).map_err(err)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(err(e)),
    }
}

#[cfg(test)]
mod chain_tests;
#[cfg(test)]
pub(crate) mod plan_tests;
#[cfg(test)]
pub(crate) mod tests;
