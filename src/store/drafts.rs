//! Drafts: a note being typed, saved as it is typed so that nothing is lost to a crash. Each
//! officer has their own draft of a note on an account; another officer's shows as theirs.

use super::engine::{Columns as _, Db};
use super::pg::Doing;
use super::{Result, Store, Writer};
use rusqlite::params;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub tenancy_id: i64,
    pub body: String,
    pub cursor: (usize, usize),
    /// What the note is for, written by the app (a call's party, direction and start...).
    pub context: String,
    pub officer: String,
    /// The workstation (one run of the program) it is typed on: one officer's notes open on the
    /// same account in two windows are two drafts. Empty in drafts from before it was kept.
    #[serde(default)]
    pub workstation: String,
    /// When it was last written (UTC, to the millisecond; empty until then): of a draft found
    /// both in the database and in the fallback file, the later is the one to offer.
    #[serde(default)]
    pub saved_at: String,
}

/// The other officers on an account, and what each is doing there.
pub type Others = Vec<(String, Doing)>;

impl Store {
    /// This officer's unsaved drafts from every workstation (after a crash, the ones to offer
    /// back), the oldest first on each account.
    pub fn drafts(&self, officer: &str) -> Result<Vec<Draft>> {
        let mut stmt = self.db().prepare_cached(
            "SELECT tenancy_id, body, cursor_row, cursor_col, context, officer, saved_at,
                    workstation
             FROM drafts WHERE officer = ?1 ORDER BY tenancy_id, saved_at",
        )?;
        let rows = stmt.query_map([officer], |r| draft(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The other officers with a note in progress on this account, most recent first; on a
    /// team's database, those on a call with the tenant or writing a note now (presence: gone
    /// as soon as their workstation is).
    pub fn writing_on(&self, tenancy_id: i64, officer: &str) -> Result<Others> {
        if let Some(server) = self.server() {
            return server.presence_on(tenancy_id);
        }
        let mut stmt = self.db().prepare_cached(
            "SELECT officer FROM drafts WHERE tenancy_id = ?1 AND officer <> ?2
             ORDER BY saved_at DESC",
        )?;
        let rows = stmt.query_map(params![tenancy_id, officer], |r| {
            Ok((r.get(0)?, Doing::Note))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Writer<'_> {
    /// In the transaction that saves the note: its draft on this workstation goes with it (a
    /// note of the same officer's open on another workstation keeps its own).
    pub fn delete_draft(&mut self, officer: &str, tenancy_id: i64) -> Result<()> {
        let workstation = self.workstation;
        delete_draft(self.db(), officer, tenancy_id, workstation)
    }
}

fn draft(r: &impl super::engine::Columns) -> rusqlite::Result<Draft> {
    let (row, col): (i64, i64) = (r.get(2)?, r.get(3)?);
    Ok(Draft {
        tenancy_id: r.get(0)?,
        body: r.get(1)?,
        cursor: (
            usize::try_from(row).unwrap_or(0),
            usize::try_from(col).unwrap_or(0),
        ),
        context: r.get(4)?,
        officer: r.get(5)?,
        saved_at: r.get(6)?,
        workstation: r.get(7)?,
    })
}

const DELETE_DRAFT: &str =
    "DELETE FROM drafts WHERE officer = ?1 AND tenancy_id = ?2 AND workstation = ?3";

/// Deletes this officer's draft of a note on the account typed on `workstation` (never another
/// officer's, nor another workstation's).
pub(super) fn delete_draft(
    db: Db<'_>,
    officer: &str,
    tenancy_id: i64,
    workstation: &str,
) -> Result<()> {
    db.execute(DELETE_DRAFT, params![officer, tenancy_id, workstation])
}

/// Writes a draft (replacing the previous one of that account on its workstation), durably.
pub(super) fn write_draft(db: Db<'_>, d: &Draft) -> Result<()> {
    db.execute(
        "INSERT INTO drafts (officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at,
                             workstation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (officer, tenancy_id, workstation) DO UPDATE SET body = excluded.body,
           cursor_row = excluded.cursor_row, cursor_col = excluded.cursor_col,
           context = excluded.context, saved_at = excluded.saved_at",
        params![
            d.officer,
            d.tenancy_id,
            d.body,
            i64::try_from(d.cursor.0).unwrap_or(0),
            i64::try_from(d.cursor.1).unwrap_or(0),
            d.context,
            d.saved_at,
            d.workstation,
        ],
    )
}

/// A note's draft by "tester", as the editor hands it over, for the store's tests.
#[cfg(test)]
pub(super) fn draft_of(tenancy_id: i64, body: &str) -> Draft {
    Draft {
        tenancy_id,
        body: body.into(),
        cursor: (0, 0),
        context: "{\"purpose\":\"note\"}".into(),
        officer: "tester".into(),
        workstation: String::new(),
        saved_at: String::new(),
    }
}

/// The moment a draft is written, as stored.
pub(super) fn stamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}
