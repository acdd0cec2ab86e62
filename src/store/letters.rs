//! Letters produced: each file written (or text sent) with its content hash, pointing at the
//! step's line in the action log.

use super::engine::Columns as _;
use super::{Result, Store, Writer};
use crate::domain::letter::{LetterKind, Sent, SentFile};
use rusqlite::params;

/// A letter file on record, as the case history links to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterRecord {
    pub action_id: i64,
    pub letter: Option<LetterKind>,
    pub file: SentFile,
}

impl Writer<'_> {
    /// The files of a letter recorded at `action_id`.
    pub(super) fn add_letters(
        &mut self,
        tenancy_id: i64,
        action_id: i64,
        sent: &Sent,
    ) -> Result<()> {
        let batch = self.batch_id();
        for f in &sent.files {
            self.db().execute(
                "INSERT INTO letters (tenancy_id, action_id, letter, tenant, recipient, file, sha256,
                   copy, copy_sha256, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                tenancy_id,
                action_id,
                sent.letter.as_str(),
                f.tenant,
                f.recipient,
                f.file,
                f.sha256,
                f.copy.as_ref().map(|c| &c.0),
                f.copy.as_ref().map(|c| &c.1),
                    batch
                ],
            )?;
        }
        Ok(())
    }
}

impl Store {
    /// Every letter file on record for a tenancy, the latest first.
    pub fn letters(&self, tenancy_id: i64) -> Result<Vec<LetterRecord>> {
        let mut stmt = self.db().prepare_cached(
            "SELECT action_id, letter, tenant, recipient, file, sha256, copy, copy_sha256 FROM letters
             WHERE tenancy_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([tenancy_id], |r| {
            Ok(LetterRecord {
                action_id: r.get(0)?,
                letter: LetterKind::parse(&r.get::<_, String>(1)?),
                file: SentFile {
                    tenant: r.get(2)?,
                    recipient: r.get(3)?,
                    file: r.get(4)?,
                    sha256: r.get(5)?,
                    copy: match (r.get(6)?, r.get(7)?) {
                        (Some(file), Some(hash)) => Some((file, hash)),
                        _ => None,
                    },
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
