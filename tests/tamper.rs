//! Tampering shows: the append-only tables refuse `REPLACE INTO` as the `sqlite3` shell would
//! send it, and `caseload verify` names what was changed after a trigger is dropped.

mod common;

use caseload::app::action::Action;
use caseload::app::keymap::Keymap;
use caseload::app::session::Session;
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate_file};
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::affordability::{Household, Item, Statement};
use caseload::domain::ledger::EntryKind;
use caseload::domain::letter::{LetterKind, Sent, SentFile};
use caseload::domain::record::{Correction, Record};
use caseload::domain::recovery::{
    Claim, CourtEvent, CourtEventKind, Notice, NoticeKind, PauseKind,
};
use caseload::domain::tenancy::DebtType;
use caseload::store::{
    By, NewAction, NewAssessment, NewEntry, NewNote, NewOverride, NewPause, Origin, Store,
};
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
    // What the demo does not record, recorded as an officer (or an import) would: through
    // caseload, so that every row is sealed.
    let at = common::today().and_hms_opt(10, 0, 0).unwrap();
    let mut statement = Statement::new(Household {
        adults: 1,
        ..Household::default()
    });
    statement.set(Item::Earnings, Money::pounds(1200)).unwrap();
    let codes = Config::default_config().codes;
    let officer = |ext_id| Origin {
        tenancy_id: 1,
        officer: "tester",
        action: None,
        ext_id,
    };
    Store::open(&path)
        .unwrap()
        .write("tester", "tui", |w| {
            w.audit("tenancy", 1, "patch", Some("North"), Some("South"))?;
            // A payment taken over the phone.
            let rent = w.account(1, DebtType::Rent)?;
            w.append_entry(&NewEntry {
                account_id: rent,
                date: common::today(),
                kind: EntryKind::Payment,
                method: None,
                amount: EntryKind::Payment.signed(Money::pounds(25)),
                description: None,
                reverses: None,
                ext_id: None,
            })?;
            w.add_override(&NewOverride {
                tenancy_id: 1,
                recommendation: "no_action",
                rule: Some(3),
                reason: "agreed with manager",
                officer: "tester",
                at,
                action_id: None,
            })?;
            w.add_assessment(&NewAssessment {
                tenancy_id: 1,
                assessed_on: common::today(),
                statement: &statement,
                note: "",
                officer: "tester",
                at,
                action_id: None,
            })?;
            w.add_referral("debt_advice", common::today(), "made", "", &officer(None))?;
            w.apply_for_court_date(
                &Claim {
                    applied_on: common::today(),
                    court: "Kingsmere County Court".into(),
                    claim_number: String::new(),
                },
                &officer(None),
            )?;
            // Rows of the housing system's, as an import writes them.
            let letter = w.append_action(&NewAction {
                tenancy_id: 1,
                at,
                kind: ActionKind::Letter1,
                code: None,
                officer: "hs",
                summary: "Letter 1 sent",
                ext_id: Some("A1"),
            })?;
            let correction = Correction {
                tenancy_id: 1,
                action_id: letter,
                line: "Letter 1 sent".into(),
                reason: "wrong tenant".into(),
                replacement: None,
            };
            let by = By {
                officer: "tester",
                at,
                codes: &codes,
            };
            w.record(&Record::Correct(Box::new(correction)), &by)?;
            // A letter produced, with its file's hash.
            let sent = Sent {
                letter: LetterKind::Letter2,
                files: vec![SentFile {
                    tenant: Some(1),
                    recipient: "Ms Ann Lee".into(),
                    file: "letters/2026-11-23/L2.html".into(),
                    sha256: "0".repeat(64),
                    copy: None,
                }],
                checked: None,
            };
            w.record(
                &Record::Letter {
                    tenancy_id: 1,
                    sent: Box::new(sent),
                },
                &by,
            )?;
            w.serve_notice(
                &Notice {
                    kind: NoticeKind::Nosp,
                    served_on: common::today(),
                    served_how: None,
                    grounds: String::new(),
                    amount: None,
                },
                &officer(Some("N1")),
            )?;
            w.record_court_event(
                &CourtEvent::at(CourtEventKind::Hearing, Some(common::today())),
                &officer(Some("C1")),
            )?;
            w.add_pause(&NewPause {
                tenancy_id: 1,
                kind: PauseKind::Pause,
                until: common::today(),
                reason: "support",
                comment: "",
                officer: "hs",
                at,
                ext_id: Some("Z1"),
                action_id: None,
            })?;
            Ok(())
        })
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
    // The tables of records, and the hash chain's links.
    assert_eq!(tables.len(), 20, "{tables:?}");
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
    assert!(text(&clean.stdout).contains("all 8 checks passed"));
    // The head of the chain, for an auditor to note.
    assert!(
        text(&clean.stdout).contains("head of the chain: link "),
        "{}",
        text(&clean.stdout)
    );

    let conn = sqlite(&path);
    let (entry, account): (i64, i64) = conn
        .query_row(
            "SELECT id, account_id FROM ledger WHERE kind = 'payment' ORDER BY id DESC LIMIT 1",
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
    // The hash chain names the row itself, and the note's table after it.
    assert!(
        out.contains(&format!(
            "FAIL  ledger {entry}: changed since it was sealed"
        )),
        "{out}"
    );
    assert!(out.contains("; notes also fail"), "{out}");
    assert!(out.contains("5 of 8 checks failed"), "{out}");
}

#[test]
fn a_case_summary_changed_outside_caseload_is_named_with_its_column() {
    // The summary the queue ranks by is the database's own, not append-only: verify recomputes
    // it from the records in force and names the first column that differs.
    let (_dir, path) = caseload();
    sqlite(&path)
        .execute_batch("UPDATE case_summary SET notice = '2020-01-01' WHERE tenancy_id = 1")
        .unwrap();
    let checked = verify(&path);
    assert_eq!(checked.status.code(), Some(1));
    let out = text(&checked.stdout);
    assert!(
        out.contains(&format!(
            "FAIL  case_summary (tenancy 1): notice is 2020-01-01, but its records say {}",
            common::today()
        )),
        "{out}"
    );
    assert!(out.contains("1 of 8 checks failed"), "{out}");
}

#[test]
fn a_rent_years_totals_changed_outside_caseload_are_named() {
    // The totals the team's numbers read are the database's own, not append-only: verify sums
    // them again from the ledger, and finds each year's latest entry again.
    for change in ["received = received - 100", "last_date = '2000-01-01'"] {
        let (_dir, path) = caseload();
        sqlite(&path)
            .execute_batch(&format!(
                "UPDATE ledger_years SET {change}
                 WHERE (rent_year, account_id) = (SELECT rent_year, account_id FROM ledger_years
                                                  ORDER BY account_id, rent_year LIMIT 1)"
            ))
            .unwrap();
        let checked = verify(&path);
        assert_eq!(checked.status.code(), Some(1), "{change}");
        let out = text(&checked.stdout);
        assert!(
            out.contains("FAIL  ledger_years (account 1, 20")
                && out.contains("differs from what its ledger sums to"),
            "{change}: {out}"
        );
        assert!(out.contains("1 of 8 checks failed"), "{change}: {out}");
    }
}

#[test]
fn a_kept_queue_row_written_with_another_tenancys_facts_is_named() {
    // The queue ranks from rows it keeps; one rewritten by hand (a tenancy given another's
    // balance and steps) would move it in every officer's queue until it is next written to.
    let (_dir, path) = caseload();
    let ranked = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", path.to_str().unwrap(), "--today", common::TODAY])
        .args(["queue", "--json"])
        .output()
        .unwrap();
    assert!(ranked.status.success(), "{ranked:?}");
    assert!(text(&verify(&path).stdout).contains("all 8 checks passed"));
    sqlite(&path)
        .execute_batch(
            "UPDATE queue_facts SET packed = (SELECT packed FROM queue_facts WHERE tenancy_id = 1)
             WHERE tenancy_id = 2",
        )
        .unwrap();
    let checked = verify(&path);
    assert_eq!(checked.status.code(), Some(1));
    let out = text(&checked.stdout);
    assert!(
        out.contains(
            "FAIL  queue_facts (tenancy 2): the facts kept for the queue differ from what its records say"
        ),
        "{out}"
    );
    assert!(out.contains("1 of 8 checks failed"), "{out}");
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
            w.expect_ledger_rows(100_000, true)?;
            w.append_entry(&entry(account))?;
            // Another process verifies while this transaction has the summary trigger lifted.
            let other = Store::open(&path).unwrap();
            Ok(other.verify(&[]).unwrap().results)
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

/// A note added through the caseload's own writes, as an officer saves one.
fn officer_note(path: &Path, body: &str) {
    Store::open(path)
        .unwrap()
        .write("tester", "tui", |w| {
            w.append_note(&NewNote {
                tenancy_id: 1,
                at: common::today().and_hms_opt(11, 0, 0).unwrap(),
                officer: "tester",
                body,
                action_id: None,
                amends: None,
            })
        })
        .unwrap();
}

/// A note written through the `sqlite3` shell, as caseload would never write one: its id.
fn forge_note(path: &Path) -> i64 {
    let conn = sqlite(path);
    conn.execute_batch(
        "INSERT INTO notes (tenancy_id, at, officer, body, batch_id)
         VALUES (1, '2026-11-01T09:00:00', 'tester', 'Tenant admitted everything', 1)",
    )
    .unwrap();
    conn.last_insert_rowid()
}

#[test]
fn a_note_forged_through_a_plain_connection_is_named_however_many_writes_follow() {
    // The search index follows a forged note as it follows any other (its trigger fires in the
    // shell too), and the triggers are untouched: only the hash chain shows it.
    let (_dir, path) = caseload();
    let forged = forge_note(&path);
    officer_note(&path, "Called back, no answer");
    let checked = verify(&path);
    assert_eq!(checked.status.code(), Some(1));
    let out = text(&checked.stdout);
    assert!(
        out.contains(&format!(
            "FAIL  notes {forged}: not sealed: it was added outside caseload"
        )),
        "{out}"
    );
    assert!(out.contains("1 of 8 checks failed"), "{out}");
}

#[test]
fn a_deleted_row_is_named_though_nothing_else_depends_on_it() {
    let (_dir, path) = caseload();
    let conn = sqlite(&path);
    let id: i64 = conn
        .query_row("SELECT max(id) FROM overrides", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER overrides_no_delete; DELETE FROM overrides WHERE id = {id};"
    ))
    .unwrap();
    let checked = verify(&path);
    assert_eq!(checked.status.code(), Some(1));
    let out = text(&checked.stdout);
    assert!(
        out.contains(&format!(
            "FAIL  overrides {id}: 1 of the 1 rows sealed here are gone"
        )),
        "{out}"
    );
}

#[test]
fn a_head_noted_earlier_shows_the_newest_records_cut_away_with_their_links() {
    let (_dir, path) = caseload();
    officer_note(&path, "Letter explained");
    let clean = text(&verify(&path).stdout);
    let head = clean
        .lines()
        .find_map(|l| l.strip_prefix("head of the chain: link "))
        .and_then(|l| l.rsplit(", ").next())
        .unwrap()
        .to_string();
    assert_eq!(head.len(), 64, "{clean}");
    let noted = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", path.to_str().unwrap(), "verify", "--head", &head])
        .output()
        .unwrap();
    assert!(noted.status.success(), "{}", text(&noted.stdout));
    assert!(text(&noted.stdout).contains(&format!("ok    the head noted, {head}, is link ")));

    // Someone with the file removes the last write whole (its rows, their links, the note's
    // words) and puts the triggers back as they were.
    let conn = sqlite(&path);
    let triggers: Vec<String> = conn
        .prepare(
            "SELECT sql FROM sqlite_schema
             WHERE name IN ('notes_no_delete', 'batches_no_delete', 'chain_no_delete')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute_batch(
        "DROP TRIGGER notes_no_delete; DROP TRIGGER batches_no_delete; DROP TRIGGER chain_no_delete;
         INSERT INTO notes_search (notes_search, rowid, body)
            SELECT 'delete', id, body FROM notes WHERE id = (SELECT max(id) FROM notes);
         DELETE FROM notes WHERE id = (SELECT max(id) FROM notes);
         DELETE FROM batches WHERE id = (SELECT max(id) FROM batches);
         DELETE FROM chain WHERE id > (SELECT max(id) FROM chain) - 2;",
    )
    .unwrap();
    for sql in triggers {
        conn.execute_batch(&sql).unwrap();
    }
    drop(conn);
    let cut = verify(&path);
    let cut_out = text(&cut.stdout);
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", path.to_str().unwrap(), "verify", "--head", &head])
        .output()
        .unwrap();
    assert_eq!(checked.status.code(), Some(1), "{}", text(&checked.stdout));
    assert!(
        text(&checked.stdout).contains(&format!("FAIL  chain {head}: not a link of the chain")),
        "{}",
        text(&checked.stdout)
    );
    // Without the noted head, nothing in the file itself shows a clean cut at its end.
    assert!(cut.status.success(), "{cut_out}");
}

#[test]
fn a_file_verify_cannot_read_or_a_head_that_is_no_hash_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    std::fs::write(
        &path,
        "not a database, and longer than a header would be".repeat(20),
    )
    .unwrap();
    let unreadable = verify(&path);
    assert_eq!(
        unreadable.status.code(),
        Some(2),
        "{}",
        text(&unreadable.stderr)
    );
    let (_dir, path) = caseload();
    let bad_head = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", path.to_str().unwrap(), "verify", "--head", "3f2a"])
        .output()
        .unwrap();
    assert_eq!(bad_head.status.code(), Some(2));
    assert!(text(&bad_head.stderr).contains("64 hexadecimal digits"));
}

/// The workstation on `path`, its first frame drawn and the work after it done, at 120x30.
fn workstation(path: &Path) -> Session {
    let store = Store::open(path).unwrap();
    let keymap = Keymap::new(&Config::default_config().keys);
    let mut session = Session::new(store, keymap, common::settings(path.to_path_buf())).unwrap();
    session.wait_background();
    session.wait_integrity();
    session.dispatch(Action::Resize(120, 30));
    session
}

#[test]
fn the_workstation_checks_the_newest_records_at_start_and_warns_until_it_ends() {
    let (_dir, path) = caseload();
    let mut clean = workstation(&path);
    assert_eq!(clean.state.tampered, None);
    assert!(!common::screen(&mut clean, 120, 30).contains("outside caseload"));
    drop(clean);

    let forged = forge_note(&path);
    let mut session = workstation(&path);
    let warning = format!("Changed outside caseload: notes {forged}; run caseload verify");
    assert_eq!(session.state.tampered.as_deref(), Some(warning.as_str()));
    // Still on the status line after keys have replaced the message.
    session.keys("jj");
    let screen = common::screen(&mut session, 120, 30);
    assert!(screen.contains(&warning), "{screen}");
}
