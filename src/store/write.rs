//! Writes. Every write runs inside one transaction tied to a batch row (who, when, from where);
//! if anything fails, nothing of it is saved.

use super::sql_types::{Day, Moment, utc_now};
use super::{Result, Store, StoreError};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::ledger::{self, EntryKind, PaymentMethod};
use crate::domain::tenancy::{DebtType, TenancyDetails, Tenant};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTenant {
    pub tenant: Tenant,
    pub date_of_birth: Option<NaiveDate>,
    pub contact_preference: Option<String>,
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
    tx: Transaction<'conn>,
    batch: i64,
    /// In a bulk write, what to put right before commit.
    bulk: Option<Bulk>,
    /// In a bulk write, the ledger indexes lifted for a large load, to build again before commit.
    lifted_indexes: Vec<String>,
}

/// What a bulk write set aside: the accounts whose summaries must be rebuilt, and the summary
/// trigger to restore.
struct Bulk {
    touched: HashSet<i64>,
    trigger: String,
}

const SUMMARY_TRIGGER: &str = "ledger_keeps_account_summary";

/// The page cache a bulk write may grow to, in KiB (SQLite takes pages as it needs them).
const BULK_CACHE_KIB: i64 = 262_144;

impl Store {
    /// Runs `f` as one transaction recorded as a batch by `officer` from `source`. It commits only
    /// if `f` succeeds; when this returns `Ok`, the data is durable.
    pub fn write<T>(
        &mut self,
        officer: &str,
        source: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        if officer.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a write must name the officer who makes it".into(),
            ));
        }
        let chained = self.chained()?;
        // IMMEDIATE takes the write lock up front, so a second terminal waits (busy timeout)
        // instead of failing half-way through.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let began = chained.marks(&tx)?;
        tx.execute(
            "INSERT INTO batches (at, officer, source) VALUES (?1, ?2, ?3)",
            params![utc_now(), officer, source],
        )?;
        let batch = tx.last_insert_rowid();
        let mut writer = Writer {
            tx,
            batch,
            bulk: None,
            lifted_indexes: Vec::new(),
        };
        let out = f(&mut writer)?;
        // The rows this write added are sealed last, in its own transaction: a write that is
        // saved is sealed.
        chained.seal(&writer.tx, &began)?;
        writer.tx.commit()?;
        Ok(out)
    }

    /// The append-only tables the hash chain covers, found from the schema once.
    fn chained(&mut self) -> Result<std::sync::Arc<super::chain::Tables>> {
        if let Some(tables) = &self.chained {
            return Ok(tables.clone());
        }
        let tables = std::sync::Arc::new(super::chain::Tables::of(&self.conn)?);
        if let Some(name) = tables.unchainable.first() {
            return Err(StoreError::Invalid(format!(
                "the table {name} is {}",
                super::chain::UNCHAINABLE
            )));
        }
        self.chained = Some(tables.clone());
        Ok(tables)
    }

    /// Like [`Store::write`], for hundreds of thousands of ledger rows (an import, a demo): the
    /// per-row summary trigger is lifted for this transaction only, and the summaries of the
    /// accounts it touched are rebuilt in one pass before commit. If anything fails the trigger
    /// comes back with the rollback, because SQLite's schema changes are transactional too.
    pub fn write_bulk<T>(
        &mut self,
        officer: &str,
        source: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        // A large load touches index pages all over the file; with SQLite's default 2 MiB page
        // cache they are spilled to the log and read back many times over inside the one
        // transaction, which costs more than the inserts themselves.
        let cache: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        let out = self.write_bulk_with_cache(officer, source, f);
        self.conn.pragma_update(None, "cache_size", cache)?;
        out
    }

    fn write_bulk_with_cache<T>(
        &mut self,
        officer: &str,
        source: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(officer, source, |w| {
            let trigger: String = w.tx.query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                [SUMMARY_TRIGGER],
                |r| r.get(0),
            )?;
            w.tx.execute_batch(&format!("DROP TRIGGER {SUMMARY_TRIGGER}"))?;
            w.bulk = Some(Bulk {
                touched: HashSet::new(),
                trigger,
            });
            let out = f(w)?;
            w.finish_bulk()?;
            Ok(out)
        })
    }
}

impl Writer<'_> {
    /// Ends the bulk part of a bulk write early: the lifted indexes are built again, the touched
    /// accounts' summaries rebuilt and the summary trigger restored, so that what follows in the
    /// same transaction (a breach check) reads current balances. Does nothing outside a bulk
    /// write or when already done.
    pub fn finish_bulk(&mut self) -> Result<()> {
        let Some(bulk) = self.bulk.take() else {
            return Ok(());
        };
        for sql in std::mem::take(&mut self.lifted_indexes) {
            self.tx
                .execute_batch(&sql)
                .map_err(|err| unique_violation(err, || "two transactions share one id".into()))?;
        }
        rebuild_summaries(&self.tx, &bulk.touched)?;
        self.tx.execute_batch(&bulk.trigger)?;
        Ok(())
    }
}

/// Recomputes the summary columns of `accounts` from their ledger, with the same meaning as the
/// trigger that keeps them row by row.
fn rebuild_summaries(tx: &Transaction<'_>, accounts: &HashSet<i64>) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS touched (id INTEGER PRIMARY KEY); DELETE FROM temp.touched;",
    )?;
    let mut insert = tx.prepare_cached("INSERT INTO temp.touched (id) VALUES (?1)")?;
    for id in accounts {
        insert.execute([id])?;
    }
    tx.execute_batch(
        "UPDATE accounts SET
             balance = s.balance,
             entries = s.entries,
             last_payment_date = s.last_payment,
             pay_week = date(s.last_payment, 'weekday 0', '-6 days'),
             charge_week = date(s.last_charge, 'weekday 0', '-6 days')
         FROM (SELECT account_id, sum(amount) AS balance, count(*) AS entries,
                      max(CASE WHEN kind = 'payment' THEN date END) AS last_payment,
                      max(CASE WHEN kind = 'charge' THEN date END) AS last_charge
               FROM ledger WHERE account_id IN (SELECT id FROM temp.touched)
               GROUP BY account_id) AS s
         WHERE accounts.id = s.account_id;
         UPDATE accounts SET
             pay_week_total = coalesce((SELECT -sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'payment'
                   AND l.date >= accounts.pay_week AND l.date < date(accounts.pay_week, '+7 days')), 0),
             charge_week_total = coalesce((SELECT sum(amount) FROM ledger l
                 WHERE l.account_id = accounts.id AND l.kind = 'charge'
                   AND l.date >= accounts.charge_week AND l.date < date(accounts.charge_week, '+7 days')), 0)
         WHERE id IN (SELECT id FROM temp.touched);
         DELETE FROM temp.touched;",
    )?;
    Ok(())
}

impl Writer<'_> {
    pub fn batch_id(&self) -> i64 {
        self.batch
    }

    /// The open transaction, for the store's other writing modules.
    pub(super) fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    pub fn add_tenancy(&mut self, t: &TenancyDetails) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO properties (address, postcode) VALUES (?1, ?2)")?
            .execute(params![t.address, t.postcode])?;
        let property = self.tx.last_insert_rowid();
        let f = &t.flags;
        self.tx
            .prepare_cached(
                "INSERT INTO tenancies (ref, property_id, tenure, start_date, end_date, patch, officer,
                   weekly_charge, uc, hb, ext_vulnerable, ext_vulnerability, ext_breathing_space_until,
                   deceased, interpreter, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                t.reference,
                property,
                t.tenure,
                Day(t.start),
                t.end.map(Day),
                t.patch,
                t.officer,
                t.weekly_charge,
                f.universal_credit,
                f.housing_benefit,
                f.vulnerable,
                f.vulnerability,
                f.breathing_space_until.map(Day),
                f.deceased,
                f.interpreter,
                self.batch
            ])
            .map_err(|e| unique_violation(e, || format!("tenancy {} already exists", t.reference)))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Adds the next tenant (joint tenants in order; the first is the lead tenant).
    pub fn add_tenant(&mut self, tenancy_id: i64, t: &NewTenant) -> Result<i64> {
        let p = &t.tenant;
        self.tx
            .prepare_cached(
                "INSERT INTO tenants (tenancy_id, position, title, first_name, last_name, phone, phone2,
                   email, date_of_birth, contact_preference)
                 VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM tenants WHERE tenancy_id = ?1),
                   ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                tenancy_id,
                p.title,
                p.first_name,
                p.last_name,
                p.phone,
                p.phone2,
                p.email,
                t.date_of_birth.map(Day),
                t.contact_preference
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// The sub-account of `debt_type`, opened if the tenancy has none yet.
    pub fn account(&mut self, tenancy_id: i64, debt_type: DebtType) -> Result<i64> {
        let existing = self
            .tx
            .prepare_cached("SELECT id FROM accounts WHERE tenancy_id = ?1 AND debt_type = ?2")?
            .query_row(params![tenancy_id, debt_type], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        self.tx
            .prepare_cached("INSERT INTO accounts (tenancy_id, debt_type) VALUES (?1, ?2)")?
            .execute(params![tenancy_id, debt_type])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Before appending `rows` ledger entries in a bulk write: when they outnumber the entries
    /// held, the ledger's indexes are dropped for the transaction and built again in one sorted
    /// pass before commit, which is far cheaper than growing them row by row. Until then, reads
    /// by source id scan the table, so look up what the load refers to first.
    pub fn expect_ledger_rows(&mut self, rows: usize) -> Result<()> {
        if self.bulk.is_none() || !self.lifted_indexes.is_empty() {
            return Ok(());
        }
        let held: i64 = self
            .tx
            .query_row("SELECT coalesce(max(id), 0) FROM ledger", [], |r| r.get(0))?;
        if usize::try_from(held).unwrap_or(usize::MAX) >= rows {
            return Ok(());
        }
        let indexes: Vec<(String, String)> = self
            .tx
            .prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'ledger' AND sql IS NOT NULL",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, sql) in indexes {
            self.tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.lifted_indexes.push(sql);
        }
        Ok(())
    }

    /// Appends a ledger entry after checking its sign suits its kind.
    pub fn append_entry(&mut self, e: &NewEntry<'_>) -> Result<i64> {
        let ids = self.append_entries(std::slice::from_ref(e))?;
        Ok(ids[0])
    }

    /// Appends ledger entries in order, each checked as [`Writer::append_entry`] checks one, and
    /// returns their row ids. A reversal's target must already be written.
    pub fn append_entries(&mut self, entries: &[NewEntry<'_>]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(entries.len());
        for chunk in entries.chunks(ENTRIES_PER_INSERT) {
            for e in chunk {
                self.check_entry(e)?;
            }
            let mut stmt = self.tx.prepare_cached(&insert_entries_sql(chunk.len()))?;
            let mut at = 0;
            let mut bind = |value: &dyn rusqlite::ToSql| {
                at += 1;
                stmt.raw_bind_parameter(at, value)
            };
            for e in chunk {
                bind(&e.account_id)?;
                bind(&Day(e.date))?;
                bind(&e.kind)?;
                bind(&e.method)?;
                bind(&e.amount)?;
                bind(&e.description)?;
                bind(&e.reverses)?;
                bind(&e.ext_id)?;
                bind(&self.batch)?;
            }
            let first = ids.len();
            let mut rows = stmt.raw_query();
            loop {
                match rows.next() {
                    Ok(Some(row)) => ids.push(row.get::<_, i64>(0)?),
                    Ok(None) => break,
                    Err(err) => {
                        return Err(unique_violation(err, || match chunk {
                            [one] => format!(
                                "transaction {} is already recorded",
                                one.ext_id.unwrap_or("?")
                            ),
                            _ => "one of these transactions is already recorded".into(),
                        }));
                    }
                }
            }
            // Row ids rise in the order the rows were inserted; RETURNING lists them in any order.
            ids[first..].sort_unstable();
        }
        Ok(ids)
    }

    /// Checks an entry's sign against its kind (and a reversal against what it undoes), and notes
    /// its account for a bulk write's summary rebuild.
    fn check_entry(&mut self, e: &NewEntry<'_>) -> Result<()> {
        let reversed = match e.reverses {
            Some(id) => Some(
                self.tx
                    .prepare_cached("SELECT amount FROM ledger WHERE id = ?1 AND account_id = ?2")?
                    .query_row(params![id, e.account_id], |r| r.get::<_, Money>(0))
                    .optional()?
                    .ok_or_else(|| {
                        StoreError::Invalid(format!("entry {id} is not on this account"))
                    })?,
            ),
            None => None,
        };
        ledger::validate(e.kind, e.amount, reversed)
            .map_err(|err| StoreError::Invalid(err.to_string()))?;
        if let Some(bulk) = &mut self.bulk {
            bulk.touched.insert(e.account_id);
        }
        Ok(())
    }

    pub fn append_action(&mut self, a: &NewAction<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO actions (tenancy_id, at, kind, code, officer, summary, ext_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                a.tenancy_id,
                Moment(a.at),
                a.kind,
                a.code,
                a.officer,
                a.summary,
                a.ext_id,
                self.batch
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn append_note(&mut self, n: &NewNote<'_>) -> Result<i64> {
        if n.body.trim().is_empty() {
            return Err(StoreError::Invalid("a note needs some text".into()));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO notes (tenancy_id, at, officer, body, action_id, amends, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                n.tenancy_id,
                Moment(n.at),
                n.officer,
                n.body,
                n.action_id,
                n.amends,
                self.batch
            ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

impl Writer<'_> {
    /// Sets or clears the breathing space recorded in caseload, keeping the old value in the
    /// audit trail. One the housing system records is kept beside it (the later end holds).
    pub fn set_breathing_space(&mut self, tenancy_id: i64, until: Option<NaiveDate>) -> Result<()> {
        let old: Option<String> = self
            .tx
            .query_row(
                "SELECT own_breathing_space_until FROM tenancies WHERE id = ?1",
                [tenancy_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("tenancy {tenancy_id} does not exist")))?;
        let new = until.map(crate::domain::dates::iso);
        self.tx.execute(
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
        self.tx
            .prepare_cached(
                "INSERT INTO audit (batch_id, entity, entity_id, field, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![self.batch, entity, entity_id, field, old, new])?;
        Ok(())
    }
}

/// Ledger rows written by one statement: SQLite sets up each statement's run once (the list of
/// kinds in the ledger's CHECK constraint becomes a small table), so a batch shares that cost.
const ENTRIES_PER_INSERT: usize = 64;

/// `INSERT INTO ledger … VALUES (…), (…) RETURNING id` for `rows` rows.
fn insert_entries_sql(rows: usize) -> String {
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows].join(", ");
    format!(
        "INSERT INTO ledger (account_id, date, kind, method, amount, description, reverses, ext_id, batch_id)
         VALUES {values} RETURNING id"
    )
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
