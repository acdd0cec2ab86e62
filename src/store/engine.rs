//! One store, two engines: the store's SQL is written once, in the dialect both engines read
//! (SQLite's `?N` parameters are numbered as PostgreSQL's `$N` for the server), and a row reads
//! the same on either. Values come back from the server in the form a SQLite file holds them
//! (`pg::value`), so every `FromSql` the store already has (money, dates, kinds) reads a
//! PostgreSQL row unchanged, and every `ToSql` it binds goes to the server in its column's type.
//! What the two dialects say differently is said here, in [`Db::dialect`]'s fragments.

use super::pg::Wire;
use super::pg::value::Owned;
use super::{Result, StoreError};
use postgres::types::ToSql as PgToSql;
use rusqlite::types::{FromSql, ToSql, ToSqlOutput, ValueRef};
use std::cell::RefCell;
use std::collections::HashMap;

/// A connection to either engine, borrowed for a read or a write.
#[derive(Clone, Copy)]
pub enum Db<'a> {
    Sqlite(&'a rusqlite::Connection),
    Pg(&'a Server),
}

/// Which dialect a statement is written for, where the two differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What a row gives, whichever engine read it: a column by index, read by its `FromSql`.
pub trait Columns {
    fn get<I: Column, T: FromSql>(&self, i: I) -> rusqlite::Result<T>;
    fn get_ref(&self, i: usize) -> rusqlite::Result<ValueRef<'_>>;
}

/// A column's index (only a number: the store reads columns by position).
pub trait Column {
    fn index(self) -> usize;
}

impl Column for usize {
    fn index(self) -> usize {
        self
    }
}

impl Columns for rusqlite::Row<'_> {
    fn get<I: Column, T: FromSql>(&self, i: I) -> rusqlite::Result<T> {
        rusqlite::Row::get(self, i.index())
    }

    fn get_ref(&self, i: usize) -> rusqlite::Result<ValueRef<'_>> {
        rusqlite::Row::get_ref(self, i)
    }
}

impl Dialect {
    /// Every note holding all the words searched for, newest first, with a snippet marking
    /// them in `[…]`: the tenancy, its reference, the note, its moment, the snippet and whether its
    /// call was recorded in error. `?1`: the words as [`Dialect::search_words`] gives them; `?2`:
    /// how many at most.
    pub fn note_search(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT n.tenancy_id, t.ref, n.id, n.at, snippet(notes_search, 0, '[', ']', '…', 12),
                   EXISTS (SELECT 1 FROM corrections c WHERE c.action_id = n.action_id AND c.kind = 'error')
                 FROM notes_search JOIN notes n ON n.id = notes_search.rowid
                   JOIN tenancies t ON t.id = n.tenancy_id
                 WHERE notes_search MATCH ?1 ORDER BY n.at DESC LIMIT ?2"
            }
            Dialect::Postgres => {
                "SELECT n.tenancy_id, t.ref, n.id, n.at,
                   ts_headline('simple', n.body, plainto_tsquery('simple', ?1),
                     'StartSel=[, StopSel=], MaxWords=12, MinWords=4, MaxFragments=1, FragmentDelimiter=…'),
                   EXISTS (SELECT 1 FROM corrections c WHERE c.action_id = n.action_id AND c.kind = 'error')
                 FROM notes n JOIN tenancies t ON t.id = n.tenancy_id
                 WHERE to_tsvector('simple', n.body) @@ plainto_tsquery('simple', ?1)
                 ORDER BY n.at DESC LIMIT ?2"
            }
        }
    }

    /// The words an officer typed, as the search reads them: for SQLite each one quoted, so
    /// that nothing typed is read as search syntax; the server reads plain words as they are.
    pub fn search_words(self, words: &str) -> String {
        match self {
            Dialect::Sqlite => words
                .split_whitespace()
                .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" "),
            Dialect::Postgres => words.to_string(),
        }
    }

    /// The day after the date `date` (a parameter or a column): where a moment before it is on
    /// or before that date.
    pub fn day_after(self, date: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date({date}, '+1 day')"),
            Dialect::Postgres => format!("(CAST({date} AS date) + 1)"),
        }
    }

    /// A date parameter compared with a moment (a bare date is the start of its day): the server
    /// would otherwise read the parameter as a moment.
    pub fn date(self, param: &str) -> String {
        match self {
            Dialect::Sqlite => param.to_string(),
            Dialect::Postgres => format!("CAST({param} AS date)"),
        }
    }

    /// The day of the moment `column`.
    pub fn day_of(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("substr({column}, 1, 10)"),
            Dialect::Postgres => format!("CAST({column} AS date)"),
        }
    }

    /// A join read in the order written, the table on the left first (SQLite's `CROSS JOIN`:
    /// account by account through the ledger's index); the server plans its own.
    pub fn join_in_order(self) -> &'static str {
        match self {
            Dialect::Sqlite => "CROSS JOIN",
            Dialect::Postgres => "JOIN",
        }
    }

    /// `column` is one of the ids bound at parameter `n`, a JSON list (`[3,5,8]`): SQLite reads
    /// it with `json_each`, the server as an array of `bigint` (see `pg::value`), so a list of
    /// any length is one statement, prepared once.
    pub fn among(self, column: &str, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} IN (SELECT value FROM json_each(?{n}))"),
            Dialect::Postgres => format!("{column} = ANY(CAST(?{n} AS bigint[]))"),
        }
    }

    /// The day `days` (an integer expression) after the date `date`.
    pub fn days_after(self, date: &str, days: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date({date}, '+' || {days} || ' days')"),
            Dialect::Postgres => format!("({date} + CAST({days} AS integer))"),
        }
    }
}

/// A row of either engine.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Pg(&'r [Owned]),
}

impl Row<'_> {
    /// How many columns the row has.
    pub fn columns(&self) -> usize {
        match self {
            Row::Sqlite(row) => row.as_ref().column_count(),
            Row::Pg(values) => values.len(),
        }
    }
}

impl Columns for Row<'_> {
    /// Column `i`, read by the same `FromSql` on either engine.
    fn get<I: Column, T: FromSql>(&self, i: I) -> rusqlite::Result<T> {
        let i = i.index();
        match self {
            Row::Sqlite(row) => row.get(i),
            Row::Pg(values) => {
                let value = values
                    .get(i)
                    .ok_or(rusqlite::Error::InvalidColumnIndex(i))?;
                T::column_result(value.as_value_ref()).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            i,
                            String::new(),
                            value.as_value_ref().data_type(),
                        )
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        i,
                        value.as_value_ref().data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }

    fn get_ref(&self, i: usize) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(row) => row.get_ref(i),
            Row::Pg(values) => values
                .get(i)
                .map(Owned::as_value_ref)
                .ok_or(rusqlite::Error::InvalidColumnIndex(i)),
        }
    }
}

/// A team's PostgreSQL database, connected: its client and the statements prepared on it.
pub struct Server {
    /// Empty until the first statement of a connection made later (see [`Server::later`]), and
    /// again once the connection is lost (see [`Server::wire`]).
    wire: RefCell<Option<std::sync::Arc<Wire>>>,
    /// Where the connection is made: the URL, password and all (never shown).
    connect_to: String,
    /// The connection was lost: the next statement outside a transaction makes it again.
    lost: std::cell::Cell<bool>,
    /// Within [`Server::within`]: a connection lost there is not made again until it ends.
    in_transaction: std::cell::Cell<bool>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// The database's URL as it may be shown (no password).
    url: String,
    /// The login, when it was read as the connection opened.
    login: Option<String>,
    /// How long a write waits for its turn while another write holds it, as a file's write
    /// waits for SQLite's lock (see [`Server::take_turn`]).
    write_wait: std::cell::Cell<std::time::Duration>,
    /// Reads sent ahead together and their rows, each given to the first statement that asks
    /// for exactly it (see [`Server::read_ahead`]).
    ahead: RefCell<Vec<(Read, Vec<Vec<Owned>>)>>,
    /// The reads of a piece of work being noted as they run, so that the next like it can send
    /// them ahead (see [`Server::like_the_last`]).
    noted: RefCell<Option<Vec<Read>>>,
    /// The last such piece of work's reads and the id it was for, by the work's name.
    learned: RefCell<HashMap<&'static str, (i64, Vec<Read>)>>,
    /// How many times the client has waited for the server's answers (a round trip each).
    waits: std::cell::Cell<u64>,
    /// A transaction's `BEGIN`, to go out with its first statement (see [`Server::within`]).
    pending: RefCell<Vec<&'static str>>,
}

/// A read as the server is sent it: its statement (in the common dialect) and its values.
#[derive(Clone, Debug, PartialEq)]
struct Read {
    sql: String,
    values: Vec<Owned>,
}

impl Server {
    /// The connection `wire`, made to `url`.
    pub(super) fn new(wire: Wire, url: &str, login: Option<String>) -> Server {
        let server = Server::unconnected(url, login);
        *server.wire.borrow_mut() = Some(std::sync::Arc::new(wire));
        server
    }

    /// A connection to `url` made by its first statement, on the thread that uses it: a
    /// workstation's second connections (the draft saver's, the reader of every row's text)
    /// cost its start nothing. The database's version was checked by the first connection; a
    /// failure to connect is the first statement's error.
    pub(super) fn later(url: &str) -> Server {
        Server::unconnected(url, None)
    }

    fn unconnected(url: &str, login: Option<String>) -> Server {
        Server {
            wire: RefCell::new(None),
            connect_to: url.to_string(),
            lost: std::cell::Cell::new(false),
            in_transaction: std::cell::Cell::new(false),
            prepared: RefCell::new(HashMap::new()),
            url: super::pg::redacted(url),
            login,
            write_wait: std::cell::Cell::new(std::time::Duration::from_secs(5)),
            ahead: RefCell::new(Vec::new()),
            noted: RefCell::new(None),
            learned: RefCell::new(HashMap::new()),
            waits: std::cell::Cell::new(0),
            pending: RefCell::new(Vec::new()),
        }
    }

    /// The login the connection was opened as, if it was read then.
    pub(super) fn login(&self) -> Option<&str> {
        self.login.as_deref()
    }

    /// The connection, made now if it was to be made later, or made again if it was lost (a
    /// server restarted): not within a transaction, whose rest must not be saved without its
    /// start. Statements prepared on a lost connection are prepared again.
    fn wire(&self) -> Result<std::sync::Arc<Wire>> {
        if self.lost.get() && !self.in_transaction.get() {
            self.lost.set(false);
            self.wire.borrow_mut().take();
            self.prepared.borrow_mut().clear();
            self.pending.borrow_mut().clear();
        }
        if let Some(wire) = self.wire.borrow().as_ref() {
            return Ok(wire.clone());
        }
        let wire = std::sync::Arc::new(Wire::connect(&self.connect_to)?);
        *self.wire.borrow_mut() = Some(wire.clone());
        Ok(wire)
    }

    /// Runs `work` on the connection, after the statements pending and in the same write: one
    /// wait for the server's answers.
    fn on_wire<F: std::future::Future>(
        &self,
        work: impl FnOnce(std::sync::Arc<tokio_postgres::Client>) -> F,
    ) -> Result<F::Output> {
        let wire = self.wire()?;
        self.waits.set(self.waits.get() + 1);
        let pending = self.pending.take().join("; ");
        if pending.is_empty() {
            return Ok(wire.run(work));
        }
        let (before, out) = wire.run(|client| async move {
            futures_util::future::join(client.batch_execute(&pending), work(client.clone())).await
        });
        before.map_err(|e| self.error(e))?;
        Ok(out)
    }

    /// How many times this connection has waited for the server's answers so far.
    pub fn round_trips(&self) -> u64 {
        self.waits.get()
    }

    /// How long a write waits for its turn from now on.
    pub(super) fn set_write_wait(&self, wait: std::time::Duration) {
        self.write_wait.set(wait);
    }

    /// Takes the write's turn (`caseload_take_turn()`) in the open transaction, waiting for it as
    /// long as the write may wait: [`StoreError::Busy`] when another write held it throughout,
    /// so the workstation says so and lets the officer stop waiting, as it does on a file.
    pub(super) fn take_turn(&self) -> Result<()> {
        self.take_turn_within(self.write_wait.get())
    }

    /// Takes the write's turn waiting at most `wait` for it (see [`Server::take_turn`]).
    pub(super) fn take_turn_within(&self, wait: std::time::Duration) -> Result<()> {
        // No wait at all would read as "wait for ever" to the server.
        let wait = wait.as_millis().max(1);
        let taken = self.batch(&format!(
            "SET LOCAL lock_timeout = {wait}; SELECT caseload_take_turn(); \
             SET LOCAL lock_timeout TO DEFAULT"
        ));
        match taken {
            Err(StoreError::Server { cause, .. })
                if cause.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE) =>
            {
                Err(StoreError::Busy)
            }
            other => other,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Runs `read` in one read-only transaction, so that all it reads comes from one committed
    /// state of the database.
    pub(super) fn read_only<T>(&self, read: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        self.within("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", read)
    }

    /// Runs `work` in one transaction, committed if it succeeds and rolled back if not.
    pub(super) fn transaction<T>(&self, work: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        self.within("BEGIN", work)
    }

    /// Runs `work` in a transaction begun by `begin`. Nothing waits for the `BEGIN` alone: it goes
    /// out with the transaction's first statement. (The `COMMIT` is waited for: a transaction
    /// left open until the next statement would hold the server's snapshot while the officer
    /// reads.)
    fn within<T>(&self, begin: &'static str, work: impl FnOnce(Db<'_>) -> Result<T>) -> Result<T> {
        self.pending.borrow_mut().push(begin);
        self.in_transaction.set(true);
        let out = work(Db::Pg(self));
        if self.pending.borrow().last() == Some(&begin) {
            // Nothing was sent: there is no transaction to end.
            self.pending.borrow_mut().pop();
            self.in_transaction.set(false);
            return out;
        }
        let ended = self.batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        self.in_transaction.set(false);
        ended?;
        out
    }

    /// Runs `sql`, one or more statements without parameters, after those pending (in one
    /// query: if one of those fails, `sql` does not run).
    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        let pending = self.pending.take();
        let sql = if pending.is_empty() {
            sql.to_string()
        } else {
            format!("{}; {sql}", pending.join("; "))
        };
        self.on_wire(|client| async move { client.batch_execute(&sql).await })?
            .map_err(|e| self.error(e))
    }

    fn error(&self, cause: postgres::Error) -> StoreError {
        if super::pg::lost(&cause) {
            self.lost.set(true);
        }
        StoreError::Server {
            url: self.url.clone(),
            cause,
        }
    }

    /// Runs `work`, one piece of a kind named `kind` for the record `id` (an account opened):
    /// the reads the last piece of that kind ran are sent ahead together, with its record's id
    /// replaced by this one's, so that those that turn out the same are answered in one round
    /// trip instead of one each. A read sent ahead that is not asked for is dropped; one asked
    /// for that was not sent ahead goes to the server as it comes. What `work` reads is
    /// therefore what it would read without this, only sooner.
    pub(super) fn like_the_last<T>(
        &self,
        kind: &'static str,
        id: i64,
        work: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        let reads: Vec<Read> = match self.learned.borrow().get(kind) {
            Some((last, reads)) => reads
                .iter()
                .map(|read| Read {
                    sql: read.sql.clone(),
                    values: read
                        .values
                        .iter()
                        .map(|v| match v {
                            Owned::Integer(i) if i == last => Owned::Integer(id),
                            other => other.clone(),
                        })
                        .collect(),
                })
                .collect(),
            None => Vec::new(),
        };
        let out = self.read_ahead(reads).and_then(|()| {
            *self.noted.borrow_mut() = Some(Vec::new());
            work()
        });
        self.ahead.borrow_mut().clear();
        let noted = self.noted.borrow_mut().take();
        if let (Ok(_), Some(noted)) = (&out, noted) {
            self.learned.borrow_mut().insert(kind, (id, noted));
        }
        out
    }

    /// Sends `reads` together and keeps their rows for the statements that ask for them: those
    /// not yet prepared on this connection are prepared together first (one round trip), then
    /// all are run together (one more).
    fn read_ahead(&self, reads: Vec<Read>) -> Result<()> {
        if reads.is_empty() {
            return Ok(());
        }
        self.wire()?;
        let mut unprepared: Vec<&str> = reads
            .iter()
            .map(|r| r.sql.as_str())
            .filter(|sql| !self.prepared.borrow().contains_key(*sql))
            .collect();
        unprepared.sort_unstable();
        unprepared.dedup();
        if !unprepared.is_empty() {
            let numbered: Vec<String> = unprepared.iter().map(|sql| numbered(sql)).collect();
            let statements = self.on_wire(|client| async move {
                futures_util::future::try_join_all(numbered.iter().map(|sql| client.prepare(sql)))
                    .await
            })?;
            let statements = statements.map_err(|e| self.error(e))?;
            let mut prepared = self.prepared.borrow_mut();
            for (sql, statement) in unprepared.iter().zip(statements) {
                prepared.insert(sql.to_string(), statement);
            }
        }
        let bound = {
            let prepared = self.prepared.borrow();
            reads
                .iter()
                .filter_map(|read| prepared.get(&read.sql).map(|s| (read, s.clone())))
                .map(|(read, statement)| {
                    let values = bind(&read.values, &statement)?;
                    Ok((statement, values))
                })
                .collect::<Result<Vec<_>>>()?
        };
        let answers = self.on_wire(|client| async move {
            futures_util::future::try_join_all(bound.iter().map(|(statement, values)| {
                let refs: Vec<&(dyn PgToSql + Sync)> =
                    values.iter().map(|b| b.as_ref() as _).collect();
                let client = &client;
                async move { client.query(statement, &refs).await }
            }))
            .await
        })?;
        let answers = answers.map_err(|e| self.error(e))?;
        let mut ahead = self.ahead.borrow_mut();
        for (read, rows) in reads.into_iter().zip(answers) {
            let rows = rows
                .iter()
                .map(|row| (0..row.len()).map(|i| Owned::from_pg(row, i)).collect())
                .collect::<Result<Vec<Vec<Owned>>, _>>()
                .map_err(|e| self.error(e))?;
            ahead.push((read, rows));
        }
        Ok(())
    }

    /// Runs `sql` (in the common dialect) with `params`, giving each row to `each`.
    fn run(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut each: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<u64> {
        let read = Read {
            sql: sql.to_string(),
            values: params
                .iter()
                .map(|p| owned(*p))
                .collect::<rusqlite::Result<_>>()?,
        };
        // Only reads are noted to be sent ahead next time: nothing is ever written ahead.
        if let Some(noted) = self.noted.borrow_mut().as_mut()
            && sql
                .trim_start()
                .get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
        {
            noted.push(read.clone());
        }
        let sent_ahead = {
            let mut ahead = self.ahead.borrow_mut();
            ahead
                .iter()
                .position(|(r, _)| *r == read)
                .map(|i| ahead.remove(i).1)
        };
        if let Some(rows) = sent_ahead {
            for row in &rows {
                each(&Row::Pg(row))?;
            }
            return Ok(rows.len() as u64);
        }
        // A lost connection is made again first, so that nothing prepared on it is used.
        self.wire()?;
        let statement = {
            let prepared = self.prepared.borrow().get(sql).cloned();
            match prepared {
                Some(s) => s,
                None => {
                    let numbered = numbered(sql);
                    let s = self
                        .on_wire(|client| async move { client.prepare(&numbered).await })?
                        .map_err(|e| self.error(e))?;
                    self.prepared
                        .borrow_mut()
                        .insert(sql.to_string(), s.clone());
                    s
                }
            }
        };
        let bound = bind(&read.values, &statement)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = bound.iter().map(|b| b.as_ref() as _).collect();
        if statement.columns().is_empty() {
            return self
                .on_wire(|client| async move { client.execute(&statement, &refs).await })?
                .map_err(|e| self.error(e));
        }
        // Row by row as the server sends them: a read of the whole ledger is never all held.
        self.on_wire(|client| async move {
            let rows = client
                .query_raw(&statement, refs)
                .await
                .map_err(|e| self.error(e))?;
            let mut rows = std::pin::pin!(rows);
            let mut count = 0;
            while let Some(row) = futures_util::TryStreamExt::try_next(&mut rows)
                .await
                .map_err(|e| self.error(e))?
            {
                let values = (0..row.len())
                    .map(|i| Owned::from_pg(&row, i))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| self.error(e))?;
                each(&Row::Pg(&values))?;
                count += 1;
            }
            Ok(count)
        })?
    }
}

/// A value the store binds, as the server is to be sent it.
fn owned(p: &dyn ToSql) -> rusqlite::Result<Owned> {
    Ok(match p.to_sql()? {
        ToSqlOutput::Borrowed(v) => Owned::from_sqlite(v),
        ToSqlOutput::Owned(v) => Owned::from_sqlite((&v).into()),
        _ => {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                "a value the server cannot take".into(),
            ));
        }
    })
}

/// `values` in the types of `statement`'s parameters.
fn bind(
    values: &[Owned],
    statement: &postgres::Statement,
) -> rusqlite::Result<Vec<Box<dyn PgToSql + Sync + Send>>> {
    values
        .iter()
        .zip(statement.params())
        .map(|(value, ty)| {
            value
                .to_pg(ty)
                .map_err(|why| rusqlite::Error::ToSqlConversionFailure(why.into()))
        })
        .collect()
}

impl Db<'_> {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Pg(_) => Dialect::Postgres,
        }
    }

    /// Gives each row of `sql` to `each`, in order.
    pub fn each(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut each: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(params)?;
                while let Some(row) = rows.next()? {
                    each(&Row::Sqlite(row))?;
                }
            }
            Db::Pg(server) => {
                server.run(sql, params, each)?;
            }
        }
        Ok(())
    }

    /// Each row of `sql`, mapped.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        mut map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, |row| {
            out.push(map(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of `sql`, mapped, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        Ok(self.query_map(sql, params, map)?.into_iter().next())
    }

    /// The first row of `sql`, mapped: there must be one.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: &[&dyn ToSql],
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, map)?
            .ok_or(StoreError::Sql(rusqlite::Error::QueryReturnedNoRows))
    }

    /// Runs a statement that returns no rows, and gives how many rows it changed.
    pub fn changes(&self, sql: &str, params: &[&dyn ToSql]) -> Result<u64> {
        match self {
            Db::Sqlite(conn) => Ok(conn.prepare_cached(sql)?.execute(params)? as u64),
            Db::Pg(server) => server.run(sql, params, |_| Ok(())),
        }
    }

    /// Runs a statement that returns no rows.
    pub fn execute(&self, sql: &str, params: &[&dyn ToSql]) -> Result<()> {
        self.each(sql, params, |_| Ok(()))
    }

    /// Runs an `INSERT` of one row and gives the row's id (SQLite's row id; the server's `id`
    /// column, which every table the store inserts one row into has).
    pub fn insert(&self, sql: &str, params: &[&dyn ToSql]) -> Result<i64> {
        match self {
            Db::Sqlite(conn) => {
                conn.prepare_cached(sql)?.execute(params)?;
                Ok(conn.last_insert_rowid())
            }
            Db::Pg(_) => {
                let id = self.query_opt(&format!("{sql} RETURNING id"), params, |r| r.get(0))?;
                id.ok_or_else(|| StoreError::Invalid("the server gave no id for a new row".into()))
            }
        }
    }
}

/// Values to bind, given as the store gives rusqlite its parameters (`params![…]`, `[id]`).
pub trait Binds {
    fn binds(&self) -> Vec<&dyn ToSql>;
}

impl<T: ToSql, const N: usize> Binds for [T; N] {
    fn binds(&self) -> Vec<&dyn ToSql> {
        self.iter().map(|v| v as &dyn ToSql).collect()
    }
}

impl Binds for &[&dyn ToSql] {
    fn binds(&self) -> Vec<&dyn ToSql> {
        self.to_vec()
    }
}

/// A statement read the way rusqlite's prepared statements are, on either engine: the store's
/// reads are written once, in the common dialect.
pub struct Statement<'a> {
    db: Db<'a>,
    sql: String,
}

impl<'a> Db<'a> {
    pub fn prepare_cached(self, sql: &str) -> Result<Statement<'a>> {
        Ok(Statement {
            db: self,
            sql: sql.to_string(),
        })
    }
}

impl Statement<'_> {
    pub fn query_map<T>(
        &mut self,
        params: impl Binds,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<std::vec::IntoIter<rusqlite::Result<T>>> {
        let mut map = map;
        let mut out = Vec::new();
        self.db.each(&self.sql, &params.binds(), |row| {
            out.push(map(row));
            Ok(())
        })?;
        Ok(out.into_iter())
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Binds,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.db.query_one(&self.sql, &params.binds(), map)
    }
}

/// A read of one row that may find none, as rusqlite's `OptionalExtension` says it.
pub(super) trait Optional<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> Optional<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::Sql(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// SQLite's numbered parameters (`?1`) as PostgreSQL numbers them (`$1`), outside quoted text
/// and names; a bare `?` is numbered as SQLite numbers it (one more than the largest before it).
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut largest = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    digits.push(d);
                }
                let n = digits.parse().unwrap_or(largest + 1);
                largest = largest.max(n);
                out.push_str(&format!("${n}"));
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

impl Owned {
    /// The value as rusqlite gives a column of a SQLite row.
    pub fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            Owned::Null => ValueRef::Null,
            Owned::Integer(i) => ValueRef::Integer(*i),
            Owned::Real(r) => ValueRef::Real(*r),
            Owned::Text(t) => ValueRef::Text(t.as_bytes()),
            Owned::Blob(b) => ValueRef::Blob(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Columns as _;

    #[test]
    fn a_connection_the_server_ended_is_said_and_made_again_by_the_next_statement() {
        let Some(db) = crate::store::pg::scratch::Scratch::migrated("lost_wire") else {
            return;
        };
        let server = crate::store::pg::open(&db.url()).unwrap();
        let count = |db: super::Db<'_>| {
            db.query_one("SELECT count(*) FROM batches", &[], |r| r.get::<_, i64>(0))
        };
        assert_eq!(count(super::Db::Pg(&server)).unwrap(), 0);
        // The server ends every other connection to the database, as a restart does.
        let end_the_others = || {
            crate::store::pg::connect(&db.url())
                .unwrap()
                .batch_execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid()",
                )
                .unwrap();
        };
        end_the_others();
        let lost = count(super::Db::Pg(&server)).unwrap_err().to_string();
        assert!(
            lost.contains("connection to the server was lost") && lost.contains("made again"),
            "{lost}"
        );
        assert_eq!(count(super::Db::Pg(&server)).unwrap(), 0, "connected again");
        // Within a transaction it is not made again: the rest of a write must not be saved
        // without its start.
        let write = server.transaction(|db| {
            count(db)?;
            end_the_others();
            assert!(count(db).is_err());
            count(db)
        });
        assert!(write.is_err());
        assert_eq!(count(super::Db::Pg(&server)).unwrap(), 0, "connected again");
    }

    #[test]
    fn a_transaction_waits_for_no_round_trip_of_its_own_but_its_commit() {
        let Some(db) = crate::store::pg::scratch::Scratch::migrated("begin_with") else {
            return;
        };
        let server = crate::store::pg::open(&db.url()).unwrap();
        let count = |db: super::Db<'_>| {
            db.query_one("SELECT count(*) FROM batches", &[], |r| r.get::<_, i64>(0))
        };
        count(super::Db::Pg(&server)).unwrap();
        let trips = || server.round_trips();
        // The statement is prepared: the BEGIN goes out with it, then the COMMIT.
        let before = trips();
        let read = server.read_only(count).unwrap();
        assert_eq!((read, trips() - before), (0, 2));
        // Nothing sent: nothing to begin or end.
        let before = trips();
        server.transaction(|_| Ok(())).unwrap();
        assert_eq!(trips() - before, 0);
        // A write begun with its first statement is committed, and a failed one rolled back.
        server
            .transaction(|db| {
                server.take_turn()?;
                db.execute(
                    "INSERT INTO batches (at, officer, source) VALUES ('2026-11-23T09:00:00', 'a', 'tui')",
                    &[],
                )
            })
            .unwrap();
        let failed = server.transaction(|db| {
            server.take_turn()?;
            db.execute(
                "INSERT INTO batches (at, officer, source) VALUES ('2026-11-23T09:00:00', 'b', 'tui')",
                &[],
            )?;
            Err::<(), _>(crate::store::StoreError::Invalid("changed my mind".into()))
        });
        assert!(failed.is_err());
        let seen = crate::store::pg::open(&db.url()).unwrap();
        assert_eq!(count(super::Db::Pg(&seen)).unwrap(), 1);
    }

    #[test]
    fn parameters_are_numbered_for_the_server_outside_quotes() {
        assert_eq!(
            super::numbered("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND \"d?\" = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND \"d?\" = $12"
        );
        assert_eq!(
            super::numbered("VALUES (?, ?, ?), (?, ?, ?)"),
            "VALUES ($1, $2, $3), ($4, $5, $6)",
            "a bare ? is the next number"
        );
        assert_eq!(super::numbered("?2 ?"), "$2 $3");
    }
}
