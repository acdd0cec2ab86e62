//! The queue's text: references, names, addresses and phones, read for the rows on screen before
//! the first frame and for everyone else on a background connection, for display and the filter.
//! (What the queue ranks by is read apart, in `facts.rs`, so the first screen does not wait for
//! 50,000 names.)

use super::engine::{Columns, Db, Server};
use super::{Result, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;

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
pub struct TextReader(super::Side);

impl TextReader {
    /// Text for every tenancy.
    pub fn read_all(&self) -> Result<Vec<QueueText>> {
        read_text(self.0.db(), None)
    }
}

impl Store {
    /// Text for some tenancies (the rows on screen).
    pub fn queue_text(&self, ids: &[i64]) -> Result<Vec<QueueText>> {
        read_text(self.db(), Some(ids))
    }

    /// A connection for reading every tenancy's text on another thread.
    pub fn text_reader(&self) -> Result<TextReader> {
        self.side(false).map(TextReader)
    }
}

/// Text for the given tenancies, or for all.
impl Server {
    /// Every tenancy's text (see [`Store::text_reader`]).
    pub fn queue_texts(&self) -> Result<Vec<QueueText>> {
        self.read_only(|db| read_text(db, None))
    }
}

fn read_text(db: Db<'_>, ids: Option<&[i64]>) -> Result<Vec<QueueText>> {
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
    let sql = format!(
        "SELECT t.id, t.ref, p.address, p.postcode, t.patch, t.officer
         FROM tenancies t JOIN properties p ON p.id = t.property_id {}",
        within("t.id")
    );
    db.each(&sql, &[], |row| {
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
        Ok(())
    })?;
    let index: HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .map(|(i, t)| (t.tenancy_id, i))
        .collect();
    let sql = format!(
        "SELECT tenancy_id, first_name, last_name, phone, phone2 FROM tenants {}
         ORDER BY tenancy_id, position",
        within("tenancy_id")
    );
    db.each(&sql, &[], |row| {
        let Some(&i) = index.get(&row.get::<_, i64>(0)?) else {
            return Ok(());
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
        Ok(())
    })?;
    Ok(out)
}
