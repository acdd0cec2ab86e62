//! A whole account's ledger, oldest first, for statements.

use super::engine::Columns as _;
use super::sql_types::day;
use super::{Result, Store};
use crate::domain::ledger::Entry;

impl Store {
    /// Every entry of an account in date order (entries of one day in the order recorded).
    pub fn ledger(&self, account_id: i64) -> Result<Vec<Entry>> {
        let mut stmt = self.db().prepare_cached(
            "SELECT id, date, kind, method, amount, coalesce(description, '') FROM ledger
             WHERE account_id = ?1 ORDER BY date, id",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            Ok(Entry {
                id: r.get(0)?,
                date: day(r, 1)?,
                kind: r.get(2)?,
                method: r.get(3)?,
                amount: r.get(4)?,
                description: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
