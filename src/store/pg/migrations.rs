//! PostgreSQL's schema versions, one for each of SQLite's (`super::super::migrations`), applied in
//! order in one transaction and recorded in `caseload_migrations`. A version that has been committed
//! is never edited: change the schema with a new version in both dialects.

use super::super::{Result, StoreError};
use std::path::PathBuf;

/// Each version's SQL, version 1 first.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations_pg/001_foundation.sql"),
    include_str!("../migrations_pg/002_recovery.sql"),
    include_str!("../migrations_pg/003_plans.sql"),
    include_str!("../migrations_pg/004_import.sql"),
    include_str!("../migrations_pg/005_calls.sql"),
    include_str!("../migrations_pg/006_system_of_record.sql"),
    include_str!("../migrations_pg/007_drafts_by_officer.sql"),
    include_str!("../migrations_pg/008_no_replace.sql"),
    include_str!("../migrations_pg/009_records.sql"),
    include_str!("../migrations_pg/010_chain.sql"),
    include_str!("../migrations_pg/011_case_summary.sql"),
    include_str!("../migrations_pg/012_letters.sql"),
    include_str!("../migrations_pg/013_kpi_weeks.sql"),
    include_str!("../migrations_pg/014_presence.sql"),
    include_str!("../migrations_pg/015_drafts_by_workstation.sql"),
    include_str!("../migrations_pg/016_officer_reassigned.sql"),
    include_str!("../migrations_pg/017_ledger_years.sql"),
    include_str!("../migrations_pg/018_queue_facts.sql"),
    include_str!("../migrations_pg/019_ledger_years_last_date.sql"),
    include_str!("../migrations_pg/020_kpi_weeks_regrouped.sql"),
    include_str!("../migrations_pg/021_presence_announced_apart.sql"),
];

/// The schema version this build makes and reads.
pub const LATEST: i32 = MIGRATIONS.len() as i32;

/// What bringing a database up to date did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// The version found (0: an empty database).
    pub from: i32,
    pub to: i32,
}

/// Applies the versions the database lacks, all or none. Two migrations started together take
/// turns (a lock), so the second finds the work done.
pub(super) fn to_latest(client: &mut postgres::Client, url: &str) -> Result<Migrated> {
    let server = |cause| StoreError::Server {
        url: url.to_string(),
        cause,
    };
    let mut tx = client.transaction().map_err(server)?;
    tx.batch_execute(
        "SELECT pg_advisory_xact_lock(1667330917, 0);
         CREATE TABLE IF NOT EXISTS caseload_migrations (
             version    INTEGER PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
             applied_by TEXT NOT NULL DEFAULT session_user
         );",
    )
    .map_err(server)?;
    let from: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM caseload_migrations",
            &[],
        )
        .map_err(server)?
        .get(0);
    if from > LATEST {
        return Err(StoreError::Newer {
            path: PathBuf::from(url),
            found: i64::from(from),
            supported: i64::from(LATEST),
        });
    }
    for (version, sql) in (from + 1..).zip(&MIGRATIONS[from as usize..]) {
        tx.batch_execute(sql)
            .map_err(|cause| StoreError::Migration {
                url: url.to_string(),
                version,
                cause,
            })?;
        tx.execute(
            "INSERT INTO caseload_migrations (version) VALUES ($1)",
            &[&version],
        )
        .map_err(server)?;
    }
    if from == 0 {
        tx.batch_execute("GRANT SELECT ON caseload_migrations TO caseload_officer")
            .map_err(server)?;
    }
    tx.commit().map_err(server)?;
    Ok(Migrated { from, to: LATEST })
}

#[cfg(test)]
mod tests {
    /// Both dialects count the same versions, under the same names.
    #[test]
    fn each_sqlite_version_has_its_postgresql_version() {
        let names = |dir: &str| {
            let mut names: Vec<String> =
                std::fs::read_dir(format!("{}/src/store/{dir}", env!("CARGO_MANIFEST_DIR")))
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
            names.sort();
            names
        };
        let sqlite = names("migrations");
        assert_eq!(sqlite, names("migrations_pg"));
        assert_eq!(sqlite.len(), super::MIGRATIONS.len());
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::super::super::migrations::MIGRATIONS
            .to_latest(&mut conn)
            .unwrap();
        let version: i32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, super::LATEST);
    }
}
