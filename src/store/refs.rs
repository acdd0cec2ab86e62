//! Tenancies by reference, on either engine.

use super::Result;
use super::engine::{Columns, Db, Dialect, Server};

pub(super) fn tenancy_count(db: Db<'_>) -> Result<usize> {
    let count = db.query_opt("SELECT count(*) FROM tenancies", &[], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(count.and_then(|c| usize::try_from(c).ok()).unwrap_or(0))
}

/// Exactly: `abc1` and `ABC1` can be two tenancies, and a lookup never returns one for the other.
pub(super) fn tenancy_by_ref(db: Db<'_>, reference: &str) -> Result<Option<i64>> {
    db.query_opt(
        "SELECT id FROM tenancies WHERE ref = ?1",
        &[&reference.trim()],
        |r| r.get(0),
    )
}

/// A reference that differs from `reference` only in case.
pub(super) fn reference_like(db: Db<'_>, reference: &str) -> Result<Option<String>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => "SELECT ref FROM tenancies WHERE ref = ?1 COLLATE NOCASE LIMIT 1",
        Dialect::Postgres => "SELECT ref FROM tenancies WHERE lower(ref) = lower(?1) LIMIT 1",
    };
    db.query_opt(sql, &[&reference.trim()], |r| r.get(0))
}

impl Server {
    /// Number of tenancies held.
    pub fn tenancy_count(&self) -> Result<usize> {
        tenancy_count(Db::Pg(self))
    }

    /// A tenancy id by its reference, exactly (see [`super::Store::tenancy_by_ref`]).
    pub fn tenancy_by_ref(&self, reference: &str) -> Result<Option<i64>> {
        tenancy_by_ref(Db::Pg(self), reference)
    }

    /// A reference that differs from `reference` only in case.
    pub fn reference_like(&self, reference: &str) -> Result<Option<String>> {
        reference_like(Db::Pg(self), reference)
    }
}
