//! Writes. Every write runs inside one transaction tied to a batch row (who, when, from where);
//! if anything fails, nothing of it is saved.

use super::engine::{Columns as _, Db};
use super::sql_types::{Day, Moment, utc_now};
use super::{Conn, Result, Store, StoreError};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::ledger::{self, EntryKind, PaymentMethod};
use crate::domain::tenancy::{DebtType, TenancyDetails, Tenant};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, ToSql, Transaction, TransactionBehavior, params};
use std::cell::Cell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTenant {
    pub tenant: Tenant,
    pub date_of_birth: Option<NaiveDate>,
    pub contact_preference: Option<String>,
}

/// The `tenants` columns a tenant's details are written to, in the order [`with_tenant_values`]
/// gives them: adding a tenant and rewriting one write the same columns.
pub(super) const TENANT_COLUMNS: &str = "title, first_name, last_name, phone, phone2, email, \
     date_of_birth, contact_preference, correspondence_address";

/// Runs `write` with the values of `key` (the tenancy, and for a rewrite the tenant's position),
/// then the tenant's in the order [`TENANT_COLUMNS`] names them.
pub(super) fn with_tenant_values<R>(
    key: &[&dyn ToSql],
    t: &NewTenant,
    write: impl FnOnce(&[&dyn ToSql]) -> R,
) -> R {
    let p = &t.tenant;
    let date_of_birth = t.date_of_birth.map(Day);
    let mut values: Vec<&dyn ToSql> = key.to_vec();
    values.extend_from_slice(&[
        &p.title,
        &p.first_name,
        &p.last_name,
        &p.phone,
        &p.phone2,
        &p.email,
        &date_of_birth,
        &t.contact_preference,
        &p.correspondence_address,
    ]);
    write(&values)
}

pub struct NewEntry<'a> {
    pub account_id: i64,
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub method: Option<PaymentMethod>,
    /// Effect on the balance: positive raises what is owed.
    pub amount: Money,
    pub description: Option<&'a str>,
    pub reverses: Option<i64>,
    pub ext_id: Option<&'a str>,
}

pub struct NewAction<'a> {
    pub tenancy_id: i64,
    pub at: NaiveDateTime,
    pub kind: ActionKind,
    pub code: Option<&'a str>,
    pub officer: &'a str,
    pub summary: &'a str,
    pub ext_id: Option<&'a str>,
}

pub struct NewNote<'a> {
    pub tenancy_id: i64,
    pub at: NaiveDateTime,
    pub officer: &'a str,
    pub body: &'a str,
    pub action_id: Option<i64>,
    pub amends: Option<i64>,
}

/// An open write: one transaction and its batch.
pub struct Writer<'conn> {
    tx: Tx<'conn>,
    batch: i64,
    /// In a bulk write, what to put right before commit.
    bulk: Option<Bulk>,
    /// In a bulk write, the ledger indexes lifted for a large load, to build again before commit.
    lifted_indexes: Vec<String>,
    /// In a bulk write, the page cache size to restore.
    cache: Option<i64>,
    /// The store's note that the connection's constraints are relaxed, to put back at its next
    /// write; and whether CHECK constraints are off now (see [`Writer::checks_in_code`]).
    relaxed: &'conn Cell<bool>,
    checks_off: bool,
    /// The workstation whose draft a saved note takes away (see `drafts`).
    pub(super) workstation: &'conn str,
    /// In a bulk write, the hash chain's tables and where they ended when it began: its rows are
    /// sealed as it commits (see [`Store::write`] for the others).
    seal: Option<(std::sync::Arc<super::chain::Tables>, super::chain::Marks)>,
    /// In a bulk write, the ledger's rows hashed for the hash chain as they are written.
    pub(super) streamed: Option<super::chain::Streamed>,
    /// In a bulk write on a team's database that lifted the ledger's summary trigger, the
    /// ledger's last row id when it began (see [`lift_on_server`]).
    lifted_on_server: Option<i64>,
}

/// A write's transaction, on either engine.
enum Tx<'conn> {
    Sqlite(Transaction<'conn>),
    Pg(Turn<'conn>),
}

/// A transaction on a team's database that has taken its turn (`caseload_take_turn()`, held to
/// commit): the rows past each table's mark are this write's own, as with a file's one writer.
/// Dropped without [`Turn::commit`], it is rolled back.
struct Turn<'conn> {
    server: &'conn super::pg::Server,
    open: bool,
}

impl<'conn> Turn<'conn> {
    fn begin(server: &'conn super::pg::Server) -> Result<Turn<'conn>> {
        server.batch("BEGIN")?;
        let turn = Turn { server, open: true };
        server.take_turn()?;
        Ok(turn)
    }

    /// Like [`Turn::begin`], hearing how long it has waited while another write holds the turn
    /// and asking whether to wait on: when not, [`StoreError::Busy`], nothing done.
    fn begin_waiting(
        server: &'conn super::pg::Server,
        waiting: &mut impl FnMut(Duration) -> bool,
    ) -> Result<Turn<'conn>> {
        let started = Instant::now();
        loop {
            server.batch("BEGIN")?;
            let turn = Turn { server, open: true };
            // Short waits on the server, so that the caller hears how long it has been.
            match server.take_turn_within(Duration::from_millis(200)) {
                Ok(()) => return Ok(turn),
                Err(StoreError::Busy) => {
                    drop(turn);
                    if !waiting(started.elapsed()) {
                        return Err(StoreError::Busy);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn commit(mut self) -> Result<()> {
        self.open = false;
        self.server.batch("COMMIT")
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if self.open {
            // A connection that cannot roll back is closed: the server rolls back itself.
            let _ = self.server.batch("ROLLBACK");
        }
    }
}

impl Tx<'_> {
    fn db(&self) -> Db<'_> {
        match self {
            Tx::Sqlite(tx) => Db::Sqlite(tx),
            Tx::Pg(turn) => Db::Pg(turn.server),
        }
    }

    fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => Ok(tx.commit()?),
            Tx::Pg(turn) => turn.commit(),
        }
    }
}

/// What a bulk write set aside: what it added to each account's summary, and the ledger's
/// triggers to restore.
struct Bulk {
    touched: HashMap<i64, Added>,
    triggers: Vec<String>,
    /// The ledger's last row id when the write began: the rows after it are the write's.
    ledger_mark: i64,
}

/// What a bulk write's ledger entries add to one account's summary (see `accounts` in the
/// schema): put in place once before commit instead of row by row.
#[derive(Default)]
struct Added {
    balance: i64,
    entries: i64,
    last_payment: Option<NaiveDate>,
    last_charge: Option<NaiveDate>,
}

/// The ledger's triggers a bulk write lifts inside its own transaction, restored before it
/// commits (no other connection ever sees the schema without them): the summary trigger, whose
/// work is done once for each account instead; and the one refusing `REPLACE INTO`, which the
/// write's own inserts (new rows, never an id given) cannot need, and which costs a lookup and a
/// copy of every row.
const LIFTED_TRIGGERS: [&str; 3] = [
    "ledger_keeps_account_summary",
    "ledger_keeps_year_totals",
    "ledger_no_replace",
];

/// The page cache a bulk write may grow to, in KiB (SQLite takes pages as it needs them): enough
/// to keep the pages a load is adding to, small beside the 200 MB an import may use.
const BULK_CACHE_KIB: i64 = 32_768;

/// Helper threads SQLite's sorter may use to build the ledger's indexes again after a large load.
const SORT_THREADS: i64 = 1;

/// How long a write waits for another connection's write before giving up (as `configure` sets).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Runs `f` as one transaction recorded as a batch by `officer` from `source`. It commits only
    /// if `f` succeeds; when this returns `Ok`, the data is durable.
    pub fn write<T>(
        &mut self,
        officer: &str,
        source: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        named(officer)?;
        self.constrain()?;
        let chained = self.chained()?;
        let tx = match &mut self.conn {
            // IMMEDIATE takes the write lock up front, so a second terminal waits (busy timeout)
            // instead of failing half-way through.
            Conn::Sqlite(conn) => {
                Tx::Sqlite(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
            }
            Conn::Pg { server, .. } => Tx::Pg(Turn::begin(server)?),
        };
        let began = chained.marks(tx.db())?;
        let mut writer = Writer::new(tx, officer, source, &self.relaxed, &self.workstation)?;
        let out = f(&mut writer)?;
        // The rows this write added are sealed last, in its own transaction: a write that is
        // saved is sealed.
        chained.seal(writer.tx.db(), &began, writer.streamed.take())?;
        writer.tx.commit()?;
        Ok(out)
    }

    /// The append-only tables the hash chain covers, found from the schema once.
    fn chained(&mut self) -> Result<std::sync::Arc<super::chain::Tables>> {
        if let Some(tables) = &self.chained {
            return Ok(tables.clone());
        }
        let tables = std::sync::Arc::new(super::chain::Tables::of(self.db())?);
        if let Some(name) = tables.unchainable.first() {
            return Err(StoreError::Invalid(format!(
                "the table {name} is {}",
                super::chain::UNCHAINABLE
            )));
        }
        self.chained = Some(tables.clone());
        Ok(tables)
    }

    /// Like [`Store::write`], for hundreds of thousands of ledger rows (an import, a demo). On a
    /// file the per-row summary trigger is lifted for this transaction only, and the summaries of
    /// the accounts it touched are rebuilt in one pass before commit. If anything fails the
    /// trigger comes back with the rollback, because SQLite's schema changes are transactional
    /// too. On a team's database the same is done when the login owns the schema (see
    /// [`lift_on_server`]), and the ledger's rows go many to a statement.
    pub fn write_bulk<T>(
        &mut self,
        officer: &str,
        source: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut w = self.begin_bulk(officer, source, |_| true)?;
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// Opens a bulk write (see [`Store::write_bulk`]) that the caller ends with
    /// [`Writer::commit`]; dropped without it, nothing is saved. While another connection holds
    /// the write lock, `waiting` hears how long this one has waited and says whether to go on
    /// waiting: when it says no, this is [`StoreError::Busy`] and nothing was done.
    pub fn begin_bulk(
        &mut self,
        officer: &str,
        source: &str,
        mut waiting: impl FnMut(Duration) -> bool,
    ) -> Result<Writer<'_>> {
        named(officer)?;
        self.constrain()?;
        let chained = self.chained()?;
        let conn = match &self.conn {
            Conn::Sqlite(conn) => conn,
            Conn::Pg { server, .. } => {
                let tx = Tx::Pg(Turn::begin_waiting(server, &mut waiting)?);
                // Its reads name thousands of source ids at once: each is planned for its own
                // ids (through the index), not once for any ids (a scan of the whole table).
                server.batch("SET LOCAL plan_cache_mode = force_custom_plan")?;
                let began = chained.marks(tx.db())?;
                let mut writer =
                    Writer::new(tx, officer, source, &self.relaxed, &self.workstation)?;
                writer.seal = Some((chained, began));
                writer.lifted_on_server = lift_on_server(server)?;
                return Ok(writer);
            }
        };
        // Every reference a bulk write makes is to a row it has just read or written (the
        // import resolves each against what it knows before writing): SQLite need not look each
        // one up again. Foreign keys can only be switched outside a transaction; the next write
        // switches them back on (`constrain`).
        conn.pragma_update(None, "foreign_keys", false)?;
        self.relaxed.set(true);
        let started = Instant::now();
        // Short waits inside SQLite, so that the caller hears how long it has been.
        conn.busy_timeout(Duration::from_millis(200))?;
        let tx = loop {
            match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
                Ok(tx) => break tx,
                Err(e) if super::is_busy(&e) => {
                    if !waiting(started.elapsed()) {
                        conn.busy_timeout(BUSY_TIMEOUT)?;
                        return Err(StoreError::Busy);
                    }
                }
                Err(e) => {
                    conn.busy_timeout(BUSY_TIMEOUT)?;
                    return Err(e.into());
                }
            }
        };
        tx.busy_timeout(BUSY_TIMEOUT)?;
        let began = chained.marks(Db::Sqlite(&tx))?;
        let cache: i64 = tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        // A load keeps to a bounded page cache: what does not fit is written to the log as it
        // goes, so memory stays flat however large the extract.
        tx.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;

        let ledger_mark: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM ledger", [], |r| r.get(0))?;
        let mut triggers = Vec::new();
        for name in LIFTED_TRIGGERS {
            // One dropped by hand stays dropped (and `verify` names it).
            let sql: Option<String> = tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
                triggers.push(sql);
            }
        }
        let mut writer = Writer::new(
            Tx::Sqlite(tx),
            officer,
            source,
            &self.relaxed,
            &self.workstation,
        )?;
        writer.bulk = Some(Bulk {
            touched: HashMap::new(),
            triggers,
            ledger_mark,
        });
        writer.cache = Some(cache);
        writer.seal = Some((chained, began));
        writer.streamed = Some(super::chain::Streamed::new("ledger"));
        Ok(writer)
    }

    /// Puts the connection's constraints back after a bulk write: foreign keys (which cannot
    /// be switched inside a transaction) and the CHECK constraints, if an error ended the write
    /// before it did.
    fn constrain(&self) -> Result<()> {
        if self.relaxed.replace(false)
            && let Conn::Sqlite(conn) = &self.conn
        {
            conn.pragma_update(None, "ignore_check_constraints", false)?;
            conn.pragma_update(None, "foreign_keys", true)?;
        }
        Ok(())
    }
}

/// Every write names the officer who makes it.
fn named(officer: &str) -> Result<()> {
    if officer.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a write must name the officer who makes it".into(),
        ));
    }
    Ok(())
}

impl<'conn> Writer<'conn> {
    /// Opens a write on `tx`, its batch recorded first.
    fn new(
        tx: Tx<'conn>,
        officer: &str,
        source: &str,
        relaxed: &'conn Cell<bool>,
        workstation: &'conn str,
    ) -> Result<Writer<'conn>> {
        let batch = tx.db().insert(
            "INSERT INTO batches (at, officer, source) VALUES (?1, ?2, ?3)",
            params![utc_now(), officer, source],
        )?;
        Ok(Writer {
            tx,
            batch,
            bulk: None,
            lifted_indexes: Vec::new(),
            cache: None,
            relaxed,
            checks_off: false,
            workstation,
            seal: None,
            streamed: None,
            lifted_on_server: None,
        })
    }
}

/// What only a file does in a bulk write (lift and build again its triggers and indexes, size its
/// cache, switch off its checks) is done on its transaction; a bulk write on a team's database
/// sets none of it up, so each step does nothing there.
impl Writer<'_> {
    /// Ends the bulk part of a bulk write early: the lifted indexes are built again, the touched
    /// accounts' summaries rebuilt and the summary trigger restored, so that what follows in the
    /// same transaction (a breach check) reads current balances. Does nothing outside a bulk
    /// write or when already done.
    pub fn finish_bulk(&mut self) -> Result<()> {
        if let Some(mark) = self.lifted_on_server.take()
            && let Tx::Pg(turn) = &self.tx
        {
            return add_to_summaries_on_server(turn.server, mark);
        }
        let Some(bulk) = self.bulk.take() else {
            return Ok(());
        };
        self.index_ledger()?;
        let Tx::Sqlite(tx) = &self.tx else {
            return Ok(());
        };
        add_to_summaries(tx, &bulk.touched)?;
        tx.execute(ADD_TO_YEAR_TOTALS, [bulk.ledger_mark])?;
        for trigger in &bulk.triggers {
            tx.execute_batch(trigger)?;
        }
        Ok(())
    }

    /// Builds again the ledger indexes lifted for a large load. A repeated source id makes the
    /// unique index fail: [`StoreError::RepeatedIds`], the transaction still open.
    pub fn index_ledger(&mut self) -> Result<()> {
        let Tx::Sqlite(tx) = &self.tx else {
            return Ok(());
        };
        if self.lifted_indexes.is_empty() {
            return Ok(());
        }
        // The sort that builds an index may use a second core while this one merges.
        tx.pragma_update(None, "threads", SORT_THREADS)?;
        let built = build_lifted_indexes(tx, &mut self.lifted_indexes);
        tx.pragma_update(None, "threads", 0)?;
        built
    }

    /// Finishes a bulk write and commits it, its rows sealed in the hash chain first: when this
    /// returns `Ok`, the data is durable.
    pub fn commit(mut self) -> Result<()> {
        self.finish_bulk()?;
        self.restore_cache()?;
        if let Some((chained, began)) = &self.seal {
            chained.seal(self.tx.db(), began, self.streamed.take())?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// Ends a bulk write saving nothing.
    pub fn rollback(mut self) -> Result<()> {
        self.restore_cache()?;
        match self.tx {
            Tx::Sqlite(tx) => tx.rollback()?,
            // Dropped without its commit, a turn rolls back.
            Tx::Pg(turn) => drop(turn),
        }
        Ok(())
    }

    /// The page cache and the CHECK constraints back as before a bulk write (neither is part of
    /// the transaction).
    fn restore_cache(&mut self) -> Result<()> {
        if let Some(cache) = self.cache.take()
            && let Tx::Sqlite(tx) = &self.tx
        {
            tx.pragma_update(None, "cache_size", cache)?;
        }
        self.checks_in_code(false)
    }

    /// With `on`, SQLite stops evaluating CHECK constraints for this connection until it is
    /// called with `false` (or the write ends, or the next one starts): for a bulk load of the
    /// ledger, whose every entry [`Writer::append_entries`] checks first against the same rules
    /// (its sign by kind, a reversal's target), and whose CHECK on the list of kinds costs SQLite
    /// more than the insert itself. Changing it makes SQLite prepare every statement again, so no
    /// statement keeps the setting it was prepared under.
    pub fn checks_in_code(&mut self, on: bool) -> Result<()> {
        if self.checks_off != on
            && let Tx::Sqlite(tx) = &self.tx
        {
            tx.pragma_update(None, "ignore_check_constraints", on)?;
            self.checks_off = on;
            if on {
                self.relaxed.set(true);
            }
        }
        Ok(())
    }
}

/// Builds again each index lifted for a large load, taking it off `lifted` once built.
fn build_lifted_indexes(tx: &Transaction<'_>, lifted: &mut Vec<String>) -> Result<()> {
    while let Some(sql) = lifted.first() {
        tx.execute_batch(sql).map_err(|err| match err {
            rusqlite::Error::SqliteFailure(e, _)
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
            {
                StoreError::RepeatedIds
            }
            other => StoreError::Sql(other),
        })?;
        lifted.remove(0);
    }
    Ok(())
}

/// Adds to the summary columns of each account what a bulk write appended to its ledger, with
/// the same meaning as the trigger that keeps them row by row; the week totals are read again
/// from the ledger for the weeks the summaries end on.
fn add_to_summaries(tx: &Transaction<'_>, added: &HashMap<i64, Added>) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS added (id INTEGER PRIMARY KEY, balance INTEGER,
           entries INTEGER, last_payment TEXT, last_charge TEXT);
         DELETE FROM temp.added;",
    )?;
    let mut insert = tx.prepare_cached("INSERT INTO temp.added VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (id, a) in added {
        insert.execute(params![
            id,
            a.balance,
            a.entries,
            a.last_payment.map(Day),
            a.last_charge.map(Day)
        ])?;
    }
    tx.execute_batch(
        "UPDATE accounts SET
             balance = accounts.balance + a.balance,
             entries = accounts.entries + a.entries,
             last_payment_date = CASE
                 WHEN a.last_payment IS NULL THEN last_payment_date
                 WHEN last_payment_date IS NULL OR a.last_payment > last_payment_date
                 THEN a.last_payment ELSE last_payment_date END,
             charge_week = CASE
                 WHEN a.last_charge IS NULL THEN charge_week
                 ELSE max(coalesce(charge_week, ''), date(a.last_charge, 'weekday 0', '-6 days')) END
         FROM temp.added AS a WHERE accounts.id = a.id;
         UPDATE accounts SET
             pay_week = date(last_payment_date, 'weekday 0', '-6 days')
         WHERE id IN (SELECT id FROM temp.added);
         UPDATE accounts SET
             pay_week_total = coalesce((SELECT -sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'payment'
                   AND l.date >= accounts.pay_week AND l.date < date(accounts.pay_week, '+7 days')), 0),
             charge_week_total = coalesce((SELECT sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'charge'
                   AND l.date >= accounts.charge_week AND l.date < date(accounts.charge_week, '+7 days')), 0)
         WHERE id IN (SELECT id FROM temp.added);
         DELETE FROM temp.added;",
    )?;
    Ok(())
}

/// What the ledger's rows after `?1` add to each account's totals for each rent year, with the
/// meaning of the trigger that keeps them row by row (`ledger_keeps_year_totals`, in both engines'
/// schemas).
const ADD_TO_YEAR_TOTALS: &str =
    "INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off, last_date)
     SELECT rent_year, account_id, sum(charged), sum(received), sum(written_off), max(last_date)
     FROM ledger_year_rows WHERE id > ?1 GROUP BY rent_year, account_id
     ON CONFLICT (rent_year, account_id) DO UPDATE SET
         charged = ledger_years.charged + excluded.charged,
         received = ledger_years.received + excluded.received,
         written_off = ledger_years.written_off + excluded.written_off,
         last_date = CASE WHEN ledger_years.last_date >= excluded.last_date
                          THEN ledger_years.last_date ELSE excluded.last_date END";

/// The ledger's summary trigger of a team's database (see `ledger_keeps_account_summary` in the
/// schema), lifted for a bulk write when its login owns the table (an import; an officer's keeps
/// it), with the ledger's last row id then. Its work for each row, several times the insert's
/// own, is done once for each account before commit ([`add_to_summaries_on_server`]). Like the
/// rest of the write this is undone by a rollback, and no other connection ever sees the table
/// without it: the trigger is back before commit, and until then other writes wait for their
/// turn while reads go on.
fn lift_on_server(server: &super::pg::Server) -> Result<Option<i64>> {
    let db = Db::Pg(server);
    let owned: bool = db.query_one(
        "SELECT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.oid = 'ledger'::regclass AND t.tgname = 'ledger_keeps_account_summary'
             AND t.tgenabled <> 'D' AND pg_has_role(current_user, c.relowner, 'MEMBER'))",
        &[],
        |r| r.get(0),
    )?;
    if !owned {
        return Ok(None);
    }
    let mark = db.query_one("SELECT coalesce(max(id), 0) FROM ledger", &[], |r| r.get(0))?;
    server.batch(
        "ALTER TABLE ledger DISABLE TRIGGER ledger_keeps_account_summary;
         ALTER TABLE ledger DISABLE TRIGGER ledger_keeps_year_totals",
    )?;
    Ok(Some(mark))
}

/// What the ledger's rows after `mark` add to their accounts' summaries, with the meaning of the
/// trigger that keeps them row by row (as [`add_to_summaries`] for a file); then the trigger
/// back.
fn add_to_summaries_on_server(server: &super::pg::Server, mark: i64) -> Result<()> {
    let db = Db::Pg(server);
    // Each expression reads the row as it was: the latest weeks from the latest dates.
    db.execute(
        "UPDATE accounts SET
             balance = accounts.balance + a.balance,
             entries = accounts.entries + a.entries,
             last_payment_date = greatest(last_payment_date, a.last_payment),
             pay_week = date_trunc('week', greatest(last_payment_date, a.last_payment))::date,
             charge_week = greatest(charge_week, date_trunc('week', a.last_charge)::date)
         FROM (SELECT account_id AS id, sum(amount) AS balance, count(*) AS entries,
                      max(date) FILTER (WHERE kind = 'payment') AS last_payment,
                      max(date) FILTER (WHERE kind = 'charge') AS last_charge
               FROM ledger WHERE id > ?1 GROUP BY account_id) AS a
         WHERE accounts.id = a.id",
        &[&mark],
    )?;
    db.execute(
        "UPDATE accounts SET
             pay_week_total = coalesce((SELECT -sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'payment'
                   AND l.date >= accounts.pay_week AND l.date < accounts.pay_week + 7), 0),
             charge_week_total = coalesce((SELECT sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'charge'
                   AND l.date >= accounts.charge_week AND l.date < accounts.charge_week + 7), 0)
         WHERE id IN (SELECT account_id FROM ledger WHERE id > ?1)",
        &[&mark],
    )?;
    db.execute(ADD_TO_YEAR_TOTALS, &[&mark])?;
    server.batch(
        "ALTER TABLE ledger ENABLE TRIGGER ledger_keeps_account_summary;
         ALTER TABLE ledger ENABLE TRIGGER ledger_keeps_year_totals",
    )
}

impl Writer<'_> {
    pub fn batch_id(&self) -> i64 {
        self.batch
    }

    /// The open transaction on a file (none on a team's database).
    #[cfg(test)]
    pub(super) fn tx(&self) -> Option<&Transaction<'_>> {
        match &self.tx {
            Tx::Sqlite(tx) => Some(tx),
            Tx::Pg(_) => None,
        }
    }

    /// The open transaction, for the store's SQL written once for both engines.
    pub(super) fn db(&self) -> Db<'_> {
        self.tx.db()
    }

    /// Runs `sql` with a tenancy's details as its first thirteen parameters (tenure, start, end,
    /// patch, officer, weekly charge, then the flags: each as the housing system gives it), then
    /// `more`: a new tenancy and an import's update write the same columns.
    pub(super) fn with_details(
        &self,
        sql: &str,
        t: &TenancyDetails,
        more: &[&dyn ToSql],
    ) -> Result<u64> {
        let f = &t.flags;
        let details: [&dyn ToSql; 13] = [
            &t.tenure,
            &Day(t.start),
            &t.end.map(Day),
            &t.patch,
            &t.officer,
            &t.weekly_charge,
            &f.universal_credit,
            &f.housing_benefit,
            &f.vulnerable,
            &f.vulnerability,
            &f.breathing_space_until.map(Day),
            &f.deceased,
            &f.interpreter,
        ];
        let all: Vec<&dyn ToSql> = details.iter().chain(more).copied().collect();
        self.db().changes(sql, &all)
    }

    pub fn add_tenancy(&mut self, t: &TenancyDetails) -> Result<i64> {
        let property = self.db().insert(
            "INSERT INTO properties (address, postcode) VALUES (?1, ?2)",
            params![t.address, t.postcode],
        )?;
        self.with_details(
            "INSERT INTO tenancies (tenure, start_date, end_date, patch, ext_officer, weekly_charge, uc,
               hb, ext_vulnerable, ext_vulnerability, ext_breathing_space_until, deceased,
               interpreter, ref, property_id, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            t,
            &[&t.reference, &property, &self.batch],
        )
            .map_err(|e| {
                if e.is_unique_violation() {
                    StoreError::Invalid(format!("tenancy {} already exists", t.reference))
                } else {
                    e
                }
            })?;
        // References are unique: the new tenancy is found by its own.
        self.db().query_one(
            "SELECT id FROM tenancies WHERE ref = ?1",
            &[&t.reference],
            |r| r.get(0),
        )
    }

    /// Adds the next tenant (joint tenants in order; the first is the lead tenant).
    pub fn add_tenant(&mut self, tenancy_id: i64, t: &NewTenant) -> Result<i64> {
        let db = self.db();
        with_tenant_values(&[&tenancy_id], t, |values| {
            db.insert(
                &format!(
                    "INSERT INTO tenants (tenancy_id, position, {TENANT_COLUMNS})
                     VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM tenants WHERE tenancy_id = ?1),
                       ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ),
                values,
            )
        })
    }

    /// The sub-account of `debt_type`, opened if the tenancy has none yet.
    pub fn account(&mut self, tenancy_id: i64, debt_type: DebtType) -> Result<i64> {
        let existing = self.db().query_opt(
            "SELECT id FROM accounts WHERE tenancy_id = ?1 AND debt_type = ?2",
            params![tenancy_id, debt_type],
            |r| r.get(0),
        )?;
        if let Some(id) = existing {
            return Ok(id);
        }
        self.db().insert(
            "INSERT INTO accounts (tenancy_id, debt_type) VALUES (?1, ?2)",
            params![tenancy_id, debt_type],
        )
    }

    /// Before appending about `rows` ledger entries in a bulk write: when they outnumber the
    /// entries held, the ledger's indexes are dropped for the transaction and built again in one
    /// sorted pass ([`Writer::index_ledger`], or before commit), which is far cheaper than growing
    /// them row by row in the file's order. With `ids_too`, the unique index of source ids goes
    /// as well (a repeated id is then found when it is built again, and nothing can be looked up
    /// by source id until then); otherwise it stays. Returns whether that index was dropped.
    pub fn expect_ledger_rows(&mut self, rows: usize, ids_too: bool) -> Result<bool> {
        let Tx::Sqlite(tx) = &self.tx else {
            return Ok(false);
        };
        if self.bulk.is_none() || !self.lifted_indexes.is_empty() {
            return Ok(false);
        }
        let held: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) FROM ledger", [], |r| r.get(0))?;
        if usize::try_from(held).unwrap_or(usize::MAX) >= rows {
            return Ok(false);
        }
        let indexes: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'ledger' AND sql IS NOT NULL
                 ORDER BY sql LIKE 'CREATE UNIQUE %' DESC",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut lifted_ids = false;
        for (name, sql) in indexes {
            let unique = sql.starts_with("CREATE UNIQUE ");
            if unique && !ids_too {
                continue;
            }
            lifted_ids |= unique;
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.lifted_indexes.push(sql);
        }
        Ok(lifted_ids)
    }

    /// Appends a ledger entry after checking its sign suits its kind.
    pub fn append_entry(&mut self, e: &NewEntry<'_>) -> Result<i64> {
        let ids = self.append_entries(std::slice::from_ref(e))?;
        Ok(ids[0])
    }

    /// Appends ledger entries in order, each checked as [`Writer::append_entry`] checks one, and
    /// returns their row ids. A reversal's target must already be written.
    pub fn append_entries(&mut self, entries: &[NewEntry<'_>]) -> Result<Vec<i64>> {
        if let Tx::Pg(turn) = &self.tx {
            let server = turn.server;
            let mut ids = Vec::with_capacity(entries.len());
            for chunk in entries.chunks(ENTRIES_PER_INSERT) {
                for e in chunk {
                    self.check_entry(e)?;
                }
                ids.extend(self.insert_on_server(server, chunk)?);
            }
            return Ok(ids);
        }
        let mut ids = Vec::with_capacity(entries.len());
        for chunk in entries.chunks(ENTRIES_PER_INSERT) {
            for e in chunk {
                self.check_entry(e)?;
            }
            let Tx::Sqlite(tx) = &self.tx else {
                unreachable!("a team's database appends one entry at a time above")
            };
            let mut stmt = tx.prepare_cached(&insert_entries_sql(chunk.len()))?;
            // The dates as stored, written into one buffer for the chunk rather than a string
            // each (a large import binds millions).
            let mut days = String::with_capacity(chunk.len() * 10);
            let mut ends = Vec::with_capacity(chunk.len());
            for e in chunk {
                crate::domain::dates::write_iso(e.date, &mut days);
                ends.push(days.len());
            }
            let starts = std::iter::once(0).chain(ends.iter().copied());
            // What is bound is kept, for the hash chain to hash as it was written.
            let bound = chunk
                .iter()
                .zip(starts.zip(&ends))
                .map(|(e, (start, &end))| {
                    Ok([
                        e.account_id.to_sql()?,
                        rusqlite::types::ToSqlOutput::from(&days[start..end]),
                        e.kind.to_sql()?,
                        e.method.to_sql()?,
                        e.amount.to_sql()?,
                        e.description.to_sql()?,
                        e.reverses.to_sql()?,
                        e.ext_id.to_sql()?,
                        self.batch.to_sql()?,
                    ])
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (at, value) in bound.iter().flatten().enumerate() {
                stmt.raw_bind_parameter(at + 1, value)?;
            }
            stmt.raw_execute()
                .map_err(|err| unique_violation(err, || already_recorded(chunk)))?;
            // The rows of one statement are inserted in order, each taking the next row id
            // (one more than the largest: the ledger has no AUTOINCREMENT and never deletes).
            let last = tx.last_insert_rowid();
            let n = chunk.len() as i64;
            ids.extend(last - n + 1..=last);
            if let Some(streamed) = &mut self.streamed {
                for (id, row) in (last - n + 1..=last).zip(&bound) {
                    streamed.push(id, row);
                }
            }
            if let Some(bulk) = &mut self.bulk {
                for e in chunk {
                    bulk.add(e);
                }
            }
        }
        Ok(ids)
    }

    /// Entries written by one statement on a team's database, inside a savepoint so that a
    /// refused one (a source id already recorded) leaves the write going on, as on a file; their
    /// row ids in order.
    fn insert_on_server(
        &self,
        server: &super::pg::Server,
        chunk: &[NewEntry<'_>],
    ) -> Result<Vec<i64>> {
        let days: Vec<Day> = chunk.iter().map(|e| Day(e.date)).collect();
        let params: Vec<&dyn ToSql> = chunk
            .iter()
            .zip(&days)
            .flat_map(|(e, day)| -> [&dyn ToSql; 9] {
                [
                    &e.account_id,
                    day,
                    &e.kind,
                    &e.method,
                    &e.amount,
                    &e.description,
                    &e.reverses,
                    &e.ext_id,
                    &self.batch,
                ]
            })
            .collect();
        server.batch("SAVEPOINT entries")?;
        let sql = format!("{} RETURNING id", insert_entries_sql(chunk.len()));
        match self.db().query_map(&sql, &params, |r| r.get::<_, i64>(0)) {
            Ok(mut ids) => {
                server.batch("RELEASE SAVEPOINT entries")?;
                // Numbered in the order written, whatever order the server lists them in.
                ids.sort_unstable();
                Ok(ids)
            }
            Err(e) => {
                server.batch("ROLLBACK TO SAVEPOINT entries")?;
                Err(if e.is_unique_violation() {
                    StoreError::Invalid(already_recorded(chunk))
                } else {
                    e
                })
            }
        }
    }

    /// Checks an entry's sign against its kind (and a reversal against what it undoes).
    fn check_entry(&mut self, e: &NewEntry<'_>) -> Result<()> {
        let reversed = match e.reverses {
            Some(id) => Some(
                self.db()
                    .query_opt(
                        "SELECT amount FROM ledger WHERE id = ?1 AND account_id = ?2",
                        params![id, e.account_id],
                        |r| r.get::<_, Money>(0),
                    )?
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("entry {id} is not on this account"))
                    })?,
            ),
            None => None,
        };
        if e.reverses.is_some() && e.kind != EntryKind::Reversal {
            return Err(StoreError::Invalid(format!(
                "only a reversal undoes another entry, not a {}",
                e.kind
            )));
        }
        ledger::validate(e.kind, e.amount, reversed)
            .map_err(|err| StoreError::Invalid(err.to_string()))
    }

    pub fn append_action(&mut self, a: &NewAction<'_>) -> Result<i64> {
        self.db().insert(
            "INSERT INTO actions (tenancy_id, at, kind, code, officer, summary, ext_id, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                a.tenancy_id,
                Moment(a.at),
                a.kind,
                a.code,
                a.officer,
                a.summary,
                a.ext_id,
                self.batch
            ],
        )
    }

    pub fn append_note(&mut self, n: &NewNote<'_>) -> Result<i64> {
        if n.body.trim().is_empty() {
            return Err(StoreError::Invalid("a note needs some text".into()));
        }
        self.db().insert(
            "INSERT INTO notes (tenancy_id, at, officer, body, action_id, amends, batch_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                n.tenancy_id,
                Moment(n.at),
                n.officer,
                n.body,
                n.action_id,
                n.amends,
                self.batch
            ],
        )
    }
}

impl Writer<'_> {
    /// Sets or clears the breathing space recorded in caseload, keeping the old value in the
    /// audit trail. One the housing system records is kept beside it (the later end holds).
    pub fn set_breathing_space(&mut self, tenancy_id: i64, until: Option<NaiveDate>) -> Result<()> {
        let old: Option<String> = self
            .db()
            .query_opt(
                "SELECT own_breathing_space_until FROM tenancies WHERE id = ?1",
                &[&tenancy_id],
                |r| r.get(0),
            )?
            .ok_or_else(|| StoreError::Invalid(format!("tenancy {tenancy_id} does not exist")))?;
        let new = until.map(crate::domain::dates::iso);
        self.db().execute(
            "UPDATE tenancies SET own_breathing_space_until = ?1 WHERE id = ?2",
            params![new, tenancy_id],
        )?;
        self.audit(
            "tenancy",
            tenancy_id,
            "breathing_space_until",
            old.as_deref(),
            new.as_deref(),
        )
    }

    /// Records a change to a mutable record (contact details, flags, officer, patch).
    pub fn audit(
        &mut self,
        entity: &str,
        entity_id: i64,
        field: &str,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<()> {
        self.db().execute(
            "INSERT INTO audit (batch_id, entity, entity_id, field, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![self.batch, entity, entity_id, field, old, new],
        )
    }
}

/// Ledger rows written by one statement: SQLite sets up each statement's run once (the list of
/// kinds in the ledger's CHECK constraint becomes a small table), so a batch shares that cost.
const ENTRIES_PER_INSERT: usize = 256;

/// `INSERT INTO ledger … VALUES (…), (…)` for `rows` rows.
fn insert_entries_sql(rows: usize) -> String {
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows].join(", ");
    format!(
        "INSERT INTO ledger (account_id, date, kind, method, amount, description, reverses, ext_id, batch_id)
         VALUES {values}"
    )
}

impl Bulk {
    /// Notes what an entry written adds to its account's summary.
    fn add(&mut self, e: &NewEntry<'_>) {
        let added = self.touched.entry(e.account_id).or_default();
        added.balance += e.amount.pence();
        added.entries += 1;
        let latest = |at: &mut Option<NaiveDate>| *at = (*at).max(Some(e.date));
        match e.kind {
            EntryKind::Payment => latest(&mut added.last_payment),
            EntryKind::Charge => latest(&mut added.last_charge),
            _ => {}
        }
    }
}

/// What a ledger refusing `chunk` for a source id it holds says.
fn already_recorded(chunk: &[NewEntry<'_>]) -> String {
    match chunk {
        [one] => format!(
            "transaction {} is already recorded",
            one.ext_id.unwrap_or("?")
        ),
        _ => "one of these transactions is already recorded".into(),
    }
}

fn unique_violation(err: rusqlite::Error, message: impl FnOnce() -> String) -> StoreError {
    match err {
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            StoreError::Invalid(message())
        }
        other => StoreError::Sql(other),
    }
}
