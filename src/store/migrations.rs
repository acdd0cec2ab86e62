//! Schema versions, applied in order and recorded in `PRAGMA user_version`.
//! A migration that has been committed is never edited: change the schema with a new one.

use rusqlite_migration::{M, Migrations};
use std::sync::{LazyLock, OnceLock};

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
        M::up(include_str!("migrations/011_case_summary.sql")),
        M::up(include_str!("migrations/012_letters.sql")),
        M::up(include_str!("migrations/013_kpi_weeks.sql")),
        M::up(include_str!("migrations/014_presence.sql")),
        M::up(include_str!("migrations/015_drafts_by_workstation.sql")),
        M::up(include_str!("migrations/016_officer_reassigned.sql")),
        M::up(include_str!("migrations/017_ledger_years.sql")),
        M::up(include_str!("migrations/018_queue_facts.sql")),
        M::up(include_str!("migrations/019_ledger_years_last_date.sql")),
        M::up(include_str!("migrations/020_kpi_weeks_regrouped.sql")),
        M::up(include_str!("migrations/021_presence_announced_apart.sql")),
    ])
});

/// What this version's migrations make, read once per process: what a file should hold.
pub(super) struct Reference {
    /// Every trigger: its name, its table and its SQL.
    pub triggers: Vec<(String, String, String)>,
    /// The append-only tables, which the hash chain covers.
    pub chained: super::chain::Tables,
}

/// The reference schema, built in memory the first time it is asked for (building it parses every
/// migration, a tenth of a second: once is enough).
pub(super) fn reference() -> super::Result<&'static Reference> {
    static REFERENCE: OnceLock<Result<Reference, String>> = OnceLock::new();
    REFERENCE
        .get_or_init(|| build_reference().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| super::StoreError::Invalid(format!("cannot build the reference schema: {e}")))
}

fn build_reference() -> super::Result<Reference> {
    let mut conn = rusqlite::Connection::open_in_memory()?;
    MIGRATIONS
        .to_latest(&mut conn)
        .map_err(|e| super::StoreError::Invalid(e.to_string()))?;
    Ok(Reference {
        triggers: super::verify::triggers_of(&conn)?,
        chained: super::chain::Tables::of(super::engine::Db::Sqlite(&conn))?,
    })
}

#[cfg(test)]
mod tests {
    use crate::store::tests::old_file_with_a_tenancy;

    #[test]
    fn migrations_are_valid() {
        super::MIGRATIONS.validate().unwrap();
    }

    /// A file from before the rent years' totals held their latest entry's date has each filled
    /// in from its ledger: on a year's last day, its first, and in a year still to come.
    #[test]
    fn a_file_from_before_the_years_latest_dates_has_them_filled_in_from_its_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        // The last version without them.
        let mut conn = old_file_with_a_tenancy(&path, 18);
        conn.execute_batch(
            "INSERT INTO accounts (tenancy_id, debt_type) VALUES (1, 'rent');
             INSERT INTO ledger (account_id, date, kind, amount, batch_id) VALUES
                (1, '2026-04-05', 'charge', 10000, 1), (1, '2025-06-02', 'charge', 10000, 1),
                (1, '2026-04-06', 'payment', -5000, 1), (1, '2026-11-30', 'charge', 10000, 1),
                (1, '2026-05-04', 'charge', 10000, 1), (1, '2027-04-05', 'charge', 10000, 1);",
        )
        .unwrap();
        super::MIGRATIONS.to_latest(&mut conn).unwrap();
        let mut years = conn
            .prepare("SELECT rent_year, last_date FROM ledger_years ORDER BY rent_year")
            .unwrap();
        let years: Vec<(i32, String)> = years
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            years,
            [
                (2025, "2026-04-05".to_string()),
                (2026, "2026-11-30".to_string()),
                (2027, "2027-04-05".to_string())
            ]
        );
    }
}
