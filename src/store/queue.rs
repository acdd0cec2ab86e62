//! The queue's reading of the caseload, in two parts so the first screen comes fast:
//!
//! - **facts**: the figures and flags every tenancy is ranked by, read for all 50,000 before
//!   the first frame (tenancies here, accounts on a second connection at the same time);
//! - **text**: references, names, addresses and phones, read for the rows on screen at once and
//!   for everyone else on a background connection, for display and for the filter.

use super::sql_types::{day, opt_day};
use super::tenancy::{ACCOUNT_SELECT, SubAccount, sub_account};
use super::{Result, Store, StoreError};
use crate::domain::Money;
use crate::domain::arrears::AccountSummary;
use crate::domain::tenancy::{DebtType, Flags, Tenure};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;
use std::sync::Arc;

/// What a tenancy is ranked by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueFacts {
    pub tenancy_id: i64,
    pub tenure: Tenure,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub weekly_charge: Money,
    /// Flags without the vulnerability reason, which the opened account shows.
    pub flags: Flags,
    pub rent: AccountSummary,
    /// What is owed on every debt other than rent.
    pub other_debts: Money,
}

/// What a tenancy is shown and found by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueText {
    pub tenancy_id: i64,
    pub reference: String,
    pub address: String,
    pub postcode: String,
    /// Patch and officer names repeat across thousands of rows, so each is held once.
    pub patch: Arc<str>,
    pub officer: Arc<str>,
    /// People in order, packed as `first␟last␟phone␟phone2`, joined by `␞`.
    people: String,
}

const FIELD: char = '\u{1f}';
const PERSON: char = '\u{1e}';

/// One person on a tenancy, borrowed from a [`QueueText`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person<'a> {
    pub first: &'a str,
    pub last: &'a str,
    pub phones: [&'a str; 2],
}

impl QueueText {
    pub fn people(&self) -> impl Iterator<Item = Person<'_>> {
        self.people
            .split(PERSON)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let mut f = p.split(FIELD);
                let mut next = || f.next().unwrap_or("");
                Person {
                    first: next(),
                    last: next(),
                    phones: [next(), next()],
                }
            })
    }
}

#[cfg(test)]
impl QueueText {
    /// Text for a tenancy with people given as (first, last, phone).
    pub fn for_test(tenancy_id: i64, reference: &str, people: &[(&str, &str, &str)]) -> QueueText {
        let people = people
            .iter()
            .map(|(first, last, phone)| {
                format!("{PERSON}{first}{FIELD}{last}{FIELD}{phone}{FIELD}")
            })
            .collect();
        QueueText {
            tenancy_id,
            reference: reference.into(),
            address: String::new(),
            postcode: String::new(),
            patch: Arc::from(""),
            officer: Arc::from(""),
            people,
        }
    }
}

/// A read-only connection that can be moved to another thread to read queue text there.
pub struct TextReader(Connection);

impl TextReader {
    /// Text for every tenancy.
    pub fn read_all(&self) -> Result<Vec<QueueText>> {
        read_text(&self.0, None)
    }
}

impl Store {
    /// Facts for every tenancy. Tenancies are read here while a second connection reads the
    /// accounts; both read inside a transaction and compare the newest batch they see, so the
    /// facts always come from one committed state of the file.
    pub fn queue_facts(&self) -> Result<Vec<QueueFacts>> {
        let mut side = self.reader()?;
        for _ in 0..3 {
            let here = self.conn.unchecked_transaction()?;
            let (facts, (returned, accounts)) = std::thread::scope(|scope| {
                // A connection may move between threads but not be shared: it goes and comes back.
                let reading = scope.spawn(move || {
                    let accounts = (|| -> Result<_> {
                        let there = side.unchecked_transaction()?;
                        Ok((newest_batch(&there)?, read_accounts(&there, None)?))
                    })();
                    (side, accounts)
                });
                let facts =
                    newest_batch(&here).and_then(|mark| Ok((mark, read_facts(&here, None)?)));
                (
                    facts,
                    reading.join().expect("the reading thread does not panic"),
                )
            });
            side = returned;
            let ((mark, mut facts), (other_mark, accounts)) = (facts?, accounts?);
            if mark == other_mark {
                add_accounts(&mut facts, accounts);
                return Ok(facts);
            }
        }
        // Writes kept landing between the two reads: read both on one connection.
        let here = self.conn.unchecked_transaction()?;
        let mut facts = read_facts(&here, None)?;
        add_accounts(&mut facts, read_accounts(&here, None)?);
        Ok(facts)
    }

    /// One tenancy's facts, to refresh its row after a write.
    pub fn queue_facts_of(&self, tenancy_id: i64) -> Result<Option<QueueFacts>> {
        let mut facts = read_facts(&self.conn, Some(tenancy_id))?;
        add_accounts(&mut facts, read_accounts(&self.conn, Some(tenancy_id))?);
        Ok(facts.pop())
    }

    /// Text for some tenancies (the rows on screen).
    pub fn queue_text(&self, ids: &[i64]) -> Result<Vec<QueueText>> {
        read_text(&self.conn, Some(ids))
    }

    /// A connection for reading every tenancy's text on another thread.
    pub fn text_reader(&self) -> Result<TextReader> {
        self.reader().map(TextReader)
    }
}

fn newest_batch(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM batches", [], |r| r.get(0))?)
}

fn only(column: &str, id: Option<i64>) -> String {
    id.map(|id| format!("WHERE {column} = {id}"))
        .unwrap_or_default()
}

fn read_facts(conn: &Connection, id: Option<i64>) -> Result<Vec<QueueFacts>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, tenure, start_date, end_date, weekly_charge, uc, hb, vulnerable,
                breathing_space_until, deceased, interpreter
         FROM tenancies {}",
        only("id", id)
    ))?;
    let rows = stmt.query_map([], |row| {
        Ok(QueueFacts {
            tenancy_id: row.get(0)?,
            tenure: row.get(1)?,
            start: day(row, 2)?,
            end: opt_day(row, 3)?,
            weekly_charge: row.get(4)?,
            flags: Flags {
                universal_credit: row.get(5)?,
                housing_benefit: row.get(6)?,
                vulnerable: row.get(7)?,
                vulnerability: None,
                breathing_space_until: opt_day(row, 8)?,
                deceased: row.get(9)?,
                interpreter: row.get(10)?,
            },
            rent: AccountSummary::default(),
            other_debts: Money::ZERO,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read_accounts(conn: &Connection, id: Option<i64>) -> Result<Vec<(i64, SubAccount)>> {
    let mut stmt = conn.prepare_cached(&format!("{ACCOUNT_SELECT} {}", only("tenancy_id", id)))?;
    let rows = stmt.query_map([], sub_account)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn add_accounts(facts: &mut [QueueFacts], accounts: Vec<(i64, SubAccount)>) {
    let index: HashMap<i64, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.tenancy_id, i))
        .collect();
    for (id, account) in accounts {
        let Some(&i) = index.get(&id) else { continue };
        if account.debt_type == DebtType::Rent {
            facts[i].rent = account.summary;
        } else {
            facts[i].other_debts += account.summary.balance;
        }
    }
}

/// Text for the given tenancies, or for all.
fn read_text(conn: &Connection, ids: Option<&[i64]>) -> Result<Vec<QueueText>> {
    let within = |column: &str| match ids {
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!("WHERE {column} IN ({})", list.join(","))
        }
        None => String::new(),
    };
    let mut names: HashMap<Box<str>, Arc<str>> = HashMap::new();
    let mut intern = |name: &str| -> Arc<str> {
        if let Some(held) = names.get(name) {
            return Arc::clone(held);
        }
        let held: Arc<str> = Arc::from(name);
        names.insert(name.into(), Arc::clone(&held));
        held
    };
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.id, t.ref, p.address, p.postcode, t.patch, t.officer
         FROM tenancies t JOIN properties p ON p.id = t.property_id {}",
        within("t.id")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> Result<&str> {
            row.get_ref(i)?
                .as_str()
                .map_err(|e| StoreError::Sql(e.into()))
        };
        out.push(QueueText {
            tenancy_id: row.get(0)?,
            reference: text(1)?.to_string(),
            address: text(2)?.to_string(),
            postcode: text(3)?.to_string(),
            patch: intern(text(4)?),
            officer: intern(text(5)?),
            people: String::new(),
        });
    }
    let index: HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, t)| (t.tenancy_id, i))
        .collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT tenancy_id, first_name, last_name, phone, phone2 FROM tenants {}
         ORDER BY tenancy_id, position",
        within("tenancy_id")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(&i) = index.get(&row.get::<_, i64>(0)?) else {
            continue;
        };
        let people = &mut out[i].people;
        people.push(PERSON);
        for col in 1..=4 {
            if col > 1 {
                people.push(FIELD);
            }
            let text = row
                .get_ref(col)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            people.push_str(text.unwrap_or(""));
        }
    }
    Ok(out)
}
