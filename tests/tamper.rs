//! Tampering shows: the append-only tables refuse `REPLACE INTO` as the `sqlite3` shell would
//! send it, and `caseload verify` names what was changed after a trigger is dropped.

mod common;

use caseload::demo::{DemoOptions, generate_file};
use caseload::domain::Money;
use caseload::domain::ledger::EntryKind;
use caseload::domain::tenancy::DebtType;
use caseload::store::{NewEntry, Store};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

/// A small demo caseload, with a row in every append-only table.
fn caseload() -> (tempfile::TempDir, PathBuf) {
    // Generated once (slow in a debug build), copied for each test.
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let options = DemoOptions::shipped(40, 1, 3, common::today());
        generate_file(&path, &options, |_| {}).unwrap();
        (dir, path)
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    std::fs::copy(template, &path).unwrap();
    // What the demo does not record, as an officer would have.
    sqlite(&path)
        .execute_batch(
            "INSERT INTO batches (at, officer, source) VALUES ('2026-11-23T10:00:00Z', 'tester', 'tui');
             INSERT INTO audit (batch_id, entity, entity_id, field, old, new)
                VALUES (last_insert_rowid(), 'tenancy', 1, 'patch', 'North', 'South');
             INSERT INTO overrides (tenancy_id, recommendation, rule, reason, officer, at, batch_id)
                VALUES (1, 'no_action', 3, 'agreed with manager', 'tester', '2026-11-23T10:00:00', 1);
             INSERT INTO assessments (tenancy_id, assessed_on, adults, dependants, non_dependants,
                vehicles, officer, at, batch_id)
                VALUES (1, '2026-11-23', 1, 0, 0, 0, 'tester', '2026-11-23T10:00:00', 1);
             INSERT INTO assessment_lines (assessment_id, item, amount)
                VALUES (last_insert_rowid(), 'wages', 120000);
             INSERT INTO referrals (tenancy_id, kind, made_on, status, officer, batch_id)
                VALUES (1, 'debt_advice', '2026-11-23', 'made', 'tester', 1);
             INSERT INTO actions (tenancy_id, at, kind, officer, summary, ext_id, batch_id)
                VALUES (1, '2026-11-20T09:00:00', 'letter_1', 'hs', 'Letter 1 sent', 'A1', 1);
             INSERT INTO notices (tenancy_id, kind, served_on, officer, ext_id, batch_id)
                VALUES (1, 'nosp', '2026-10-01', 'hs', 'N1', 1);
             INSERT INTO court_events (tenancy_id, kind, on_date, officer, ext_id, batch_id)
                VALUES (1, 'hearing', '2026-12-01', 'hs', 'C1', 1);
             INSERT INTO pauses (tenancy_id, kind, until, reason, officer, at, ext_id, batch_id)
                VALUES (1, 'pause', '2026-12-31', 'support', 'hs', '2026-11-01T09:00:00', 'Z1', 1);
             INSERT INTO claims (tenancy_id, applied_on, court, officer, batch_id)
                VALUES (1, '2026-11-23', 'Kingsmere County Court', 'tester', 1);
             INSERT INTO actions (tenancy_id, at, kind, officer, summary, batch_id)
                VALUES (1, '2026-11-22T09:00:00', 'sms', 'tester', 'sent to the wrong number', 1);
             INSERT INTO corrections (tenancy_id, action_id, kind, reason, officer, at, batch_id)
                VALUES (1, last_insert_rowid(), 'error', 'wrong tenant', 'tester',
                        '2026-11-23T10:00:00', 1);",
        )
        .unwrap();
    (dir, path)
}

/// The file as the `sqlite3` shell sees it: no caseload code in between.
fn sqlite(path: &Path) -> Connection {
    Connection::open(path).unwrap()
}

fn append_only_tables(conn: &Connection) -> Vec<String> {
    conn.prepare(
        "SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%\\_no\\_update' ESCAPE '\\'
         ORDER BY tbl_name",
    )
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn verify(path: &Path) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", path.to_str().unwrap(), "verify"])
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn replace_into_any_append_only_table_fails_and_changes_nothing() {
    let (_dir, path) = caseload();
    let conn = sqlite(&path);
    let tables = append_only_tables(&conn);
    assert_eq!(tables.len(), 18, "{tables:?}");
    for table in &tables {
        let before = count(&conn, table);
        assert!(before > 0, "{table} has a row to replace");
        for verb in ["REPLACE INTO", "INSERT OR REPLACE INTO"] {
            let sql = format!("{verb} {table} SELECT * FROM {table} LIMIT 1");
            let err = conn.execute(&sql, []).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(count(&conn, table), before, "{table}");
    }
    // A new id with the housing system's id of an existing row replaces it no more.
    for sql in [
        "REPLACE INTO actions (tenancy_id, at, kind, officer, summary, ext_id, batch_id)
         VALUES (1, '2026-11-21T09:00:00', 'letter_2', 'x', 'forged', 'A1', 1)",
        "REPLACE INTO notices (tenancy_id, kind, served_on, officer, ext_id, batch_id)
         VALUES (1, 'nosp', '2026-01-01', 'x', 'N1', 1)",
        "REPLACE INTO court_events (tenancy_id, kind, on_date, officer, ext_id, batch_id)
         VALUES (1, 'hearing', '2027-01-01', 'x', 'C1', 1)",
        "REPLACE INTO pauses (tenancy_id, kind, until, reason, officer, at, ext_id, batch_id)
         VALUES (1, 'pause', '2030-01-01', 'x', 'x', '2026-11-01T09:00:00', 'Z1', 1)",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    drop(conn);
    let checked = verify(&path);
    assert!(checked.status.success(), "{}", text(&checked.stdout));
}

#[test]
fn after_drop_trigger_and_an_edit_verify_exits_1_naming_the_table_and_row() {
    let (_dir, path) = caseload();
    let clean = verify(&path);
    assert!(clean.status.success(), "{}", text(&clean.stdout));
    assert!(text(&clean.stdout).contains("all 4 checks passed"));

    let conn = sqlite(&path);
    let (entry, account): (i64, i64) = conn
        .query_row(
            "SELECT id, account_id FROM ledger WHERE kind = 'payment' ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER ledger_no_update; UPDATE ledger SET amount = amount - 10000 WHERE id = {entry};"
    ))
    .unwrap();
    let note: i64 = conn
        .query_row("SELECT max(id) FROM notes", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER notes_no_update; UPDATE notes SET body = 'Tenant agreed to nothing' WHERE id = {note};"
    ))
    .unwrap();
    drop(conn);

    let tampered = verify(&path);
    assert_eq!(tampered.status.code(), Some(1));
    let out = text(&tampered.stdout);
    assert!(
        out.contains("FAIL  ledger trigger ledger_no_update: missing"),
        "{out}"
    );
    assert!(
        out.contains(&format!("FAIL  accounts {account}: balance ")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "FAIL  notes {note}: the search index does not match the note"
        )),
        "{out}"
    );
    assert!(out.contains("3 of 4 checks failed"), "{out}");
}

#[test]
fn a_trigger_rewritten_to_do_nothing_is_caught() {
    let (_dir, path) = caseload();
    sqlite(&path)
        .execute_batch(
            "DROP TRIGGER notes_no_delete;
             CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes BEGIN SELECT 1; END;",
        )
        .unwrap();
    let out = text(&verify(&path).stdout);
    assert!(
        out.contains("FAIL  notes trigger notes_no_delete: not as this version defines it"),
        "{out}"
    );
}

#[test]
fn a_ledger_entry_replaced_by_its_housing_system_id_shows_in_the_account() {
    // The ledger's own check is by id only (its ext_id index is lifted in a bulk import); a
    // replacement by ext_id still shows, as an entry count the summary did not expect.
    let (_dir, path) = caseload();
    let conn = sqlite(&path);
    conn.execute_batch(
        "INSERT INTO ledger (account_id, date, kind, amount, ext_id, batch_id)
            VALUES (1, '2026-11-02', 'charge', 1000, 'T1', 1);
         REPLACE INTO ledger (account_id, date, kind, amount, ext_id, batch_id)
            VALUES (1, '2026-11-02', 'charge', 1000, 'T1', 1);",
    )
    .unwrap();
    drop(conn);
    let checked = verify(&path);
    assert_eq!(checked.status.code(), Some(1));
    let out = text(&checked.stdout);
    assert!(out.contains("FAIL  accounts 1: balance "), "{out}");
}

#[test]
fn a_bulk_write_under_way_elsewhere_is_invisible_to_verify_and_leaves_it_passing() {
    let (_dir, path) = caseload();
    let mut store = Store::open(&path).unwrap();
    let entry = |account_id| NewEntry {
        account_id,
        date: common::today(),
        kind: EntryKind::Charge,
        method: None,
        amount: Money::pounds(5),
        description: None,
        reverses: None,
        ext_id: None,
    };
    let checked_inside = store
        .write_bulk("tester", "import", |w| {
            let account = w.account(1, DebtType::Rent)?;
            w.expect_ledger_rows(100_000)?;
            w.append_entry(&entry(account))?;
            // Another process verifies while this transaction has the summary trigger lifted.
            let other = Store::open(&path).unwrap();
            Ok(other.verify().unwrap())
        })
        .unwrap();
    for (check, problem) in checked_inside {
        assert_eq!(problem, None, "{}", check.holds);
    }
    // A bulk write that fails leaves everything as it was.
    let failed = store.write_bulk("tester", "import", |w| {
        let account = w.account(1, DebtType::Rent)?;
        w.append_entry(&entry(account))?;
        Err::<(), _>(caseload::store::StoreError::Invalid("bad row".into()))
    });
    assert!(failed.is_err());
    drop(store);
    let after = verify(&path);
    assert!(after.status.success(), "{}", text(&after.stdout));
}
