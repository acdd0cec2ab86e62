//! Schema versions, applied in order and recorded in `PRAGMA user_version`.
//! A migration that has been committed is never edited: change the schema with a new one.

use rusqlite_migration::{M, Migrations};
use std::sync::LazyLock;

pub(super) static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_foundation.sql")),
        M::up(include_str!("migrations/002_recovery.sql")),
        M::up(include_str!("migrations/003_plans.sql")),
        M::up(include_str!("migrations/004_import.sql")),
        M::up(include_str!("migrations/005_calls.sql")),
        M::up(include_str!("migrations/006_system_of_record.sql")),
        M::up(include_str!("migrations/007_drafts_by_officer.sql")),
        M::up(include_str!("migrations/008_no_replace.sql")),
        M::up(include_str!("migrations/009_records.sql")),
        M::up_with_hook(
            include_str!("migrations/010_chain.sql"),
            super::chain::seal_existing,
        ),
    ])
});

/// The schema this version's migrations make, in memory: what a file should hold.
pub(super) fn reference() -> super::Result<rusqlite::Connection> {
    let mut reference = rusqlite::Connection::open_in_memory()?;
    MIGRATIONS.to_latest(&mut reference).map_err(|e| {
        super::StoreError::Invalid(format!("cannot build the reference schema: {e}"))
    })?;
    Ok(reference)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::MIGRATIONS.validate().unwrap();
    }
}
