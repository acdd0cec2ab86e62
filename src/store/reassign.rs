//! An income coordinator's reassignment of a patch or some accounts to another officer, on either
//! engine: caseload's side of each tenancy's officer is written (`own_officer`, which an import
//! never overwrites), and each move is in the audit trail with the old officer and the new, all in
//! one batch. On a team's database only a coordinator may do it (the role `caseload_coordinator`;
//! the server refuses an officer's login too).

use super::engine::{Columns as _, Db, Dialect, Row};
use super::{Result, Store, StoreError, Writer};
use crate::domain::reassign::{Holding, Reassignment};

/// The role a coordinator's login is granted on a team's database.
pub const COORDINATOR_ROLE: &str = "caseload_coordinator";

fn holding(r: &Row<'_>) -> rusqlite::Result<Holding> {
    Ok(Holding {
        tenancy_id: r.get(0)?,
        reference: r.get(1)?,
        officer: r.get(2)?,
    })
}

impl Store {
    /// Every tenancy of the patch, named exactly, as held now (by reference).
    pub fn patch_holdings(&self, patch: &str) -> Result<Vec<Holding>> {
        self.db().query_map(
            "SELECT id, ref, officer FROM tenancies WHERE patch = ?1 ORDER BY ref",
            &[&patch],
            holding,
        )
    }

    /// A patch whose name differs from `patch` only in case, to suggest when there is none.
    pub fn patch_like(&self, patch: &str) -> Result<Option<String>> {
        let sql = match self.db().dialect() {
            Dialect::Sqlite => {
                "SELECT patch FROM tenancies WHERE patch = ?1 COLLATE NOCASE LIMIT 1"
            }
            Dialect::Postgres => {
                "SELECT patch FROM tenancies WHERE lower(patch) = lower(?1) LIMIT 1"
            }
        };
        self.db().query_opt(sql, &[&patch], |r| r.get(0))
    }

    /// These tenancies as held now, in the order given (an id no longer held is left out).
    pub fn holdings(&self, tenancy_ids: &[i64]) -> Result<Vec<Holding>> {
        let mut out = Vec::with_capacity(tenancy_ids.len());
        for id in tenancy_ids {
            out.extend(self.db().query_opt(
                "SELECT id, ref, officer FROM tenancies WHERE id = ?1",
                &[id],
                holding,
            )?);
        }
        Ok(out)
    }

    /// How many tenancies `officer` holds now.
    pub fn held_by(&self, officer: &str) -> Result<usize> {
        let n: i64 = self.db().query_one(
            "SELECT count(*) FROM tenancies WHERE officer = ?1",
            &[&officer],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Whether this login may move accounts between officers: anyone on a file; on a team's
    /// database a coordinator (or the schema's owner). Said before anything is written.
    pub fn may_reassign(&self) -> Result<()> {
        may_reassign(self.db())
    }
}

fn may_reassign(db: Db<'_>) -> Result<()> {
    if db.dialect() == Dialect::Sqlite {
        return Ok(());
    }
    let (login, allowed): (String, bool) = db.query_one(
        &format!(
            "SELECT session_user::text,
                    pg_has_role(session_user, '{COORDINATOR_ROLE}', 'MEMBER')
                    OR pg_has_role(session_user, (SELECT relowner FROM pg_class
                                                  WHERE oid = 'tenancies'::regclass), 'MEMBER')"
        ),
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "only an income coordinator may move accounts to another officer: the login {login} \
             is not granted {COORDINATOR_ROLE} (the README's team set-up says how a coordinator's \
             login is)"
        )))
    }
}

impl Writer<'_> {
    /// Moves the accounts of `r` to its officer, each move audited (the officer it had, the one
    /// it has now); an account that has come to be theirs meanwhile is left. Gives how many moved.
    pub fn reassign(&mut self, r: &Reassignment) -> Result<usize> {
        may_reassign(self.db())?;
        let mut moved = 0;
        for h in &r.moves {
            // What it is now, in this write's own transaction: the audit says what it replaced.
            let Some(old) = self.db().query_opt(
                "SELECT officer FROM tenancies WHERE id = ?1",
                &[&h.tenancy_id],
                |row| row.get::<_, String>(0),
            )?
            else {
                return Err(StoreError::Invalid(format!(
                    "tenancy {} is no longer in the database",
                    h.reference
                )));
            };
            if old == r.to {
                continue;
            }
            self.db().execute(
                "UPDATE tenancies SET own_officer = ?1 WHERE id = ?2",
                &[&r.to, &h.tenancy_id],
            )?;
            self.audit("tenancy", h.tenancy_id, "officer", Some(&old), Some(&r.to))?;
            moved += 1;
        }
        Ok(moved)
    }
}
