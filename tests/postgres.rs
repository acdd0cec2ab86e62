//! A team's PostgreSQL database on a real server (`CASELOAD_TEST_PG`, started by `.ci/run`): the
//! schema `caseload migrate` makes, and the guarantees it keeps by triggers and by roles.

mod common;

use caseload::store::pg::{self, scratch::Scratch};
use postgres::error::SqlState;
use std::process::Command;

/// A throwaway database for this test, or return (the test says it was skipped).
macro_rules! scratch {
    ($label:expr) => {
        match Scratch::new($label) {
            Some(db) => db,
            None => return,
        }
    };
}

fn caseload(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(args)
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap()
}

/// One tenancy with a rent account, a charge, an action and a note, written by the owner in turn.
const FIXTURE: &str = "
    BEGIN;
    SELECT caseload_take_turn();
    INSERT INTO batches (at, officer, source) VALUES ('2026-11-23T09:00:00Z', 'import', 'import');
    INSERT INTO properties (address, postcode) VALUES ('1 High Street', 'AB1 2CD');
    INSERT INTO tenancies (ref, property_id, tenure, start_date, weekly_charge, batch_id)
        VALUES ('T1', 1, 'secure', '2020-04-06', 10000, 1);
    INSERT INTO accounts (tenancy_id, debt_type) VALUES (1, 'rent');
    INSERT INTO ledger (account_id, date, kind, amount, batch_id)
        VALUES (1, '2026-11-23', 'charge', 10000, 1);
    INSERT INTO actions (tenancy_id, at, kind, officer, batch_id)
        VALUES (1, '2026-11-23T10:00:00', 'call', 'import', 1);
    INSERT INTO notes (tenancy_id, at, officer, body, action_id, batch_id)
        VALUES (1, '2026-11-23T10:05:00', 'import', 'Promised £20 on Friday', 1, 1);
    COMMIT;";

fn migrated(label: &str) -> Option<Scratch> {
    let db = Scratch::new(label)?;
    pg::migrate(&db.url()).unwrap();
    Some(db)
}

fn sql_state(e: &postgres::Error) -> SqlState {
    e.code()
        .cloned()
        .unwrap_or_else(|| panic!("not a server's refusal: {e}"))
}

#[test]
fn migrate_makes_every_version_on_an_empty_database_and_a_second_run_changes_nothing() {
    let db = scratch!("migrate");
    let url = db.url();
    let first = caseload(&["--db", &url, "migrate"]);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).trim(),
        format!("{url}: schema brought from version 0 to {}", pg::LATEST)
    );
    let second = caseload(&["--db", &url, "migrate"]);
    assert!(second.status.success(), "{second:?}");
    assert_eq!(
        String::from_utf8_lossy(&second.stdout).trim(),
        format!("{url}: schema version {}, up to date", pg::LATEST)
    );
    let mut admin = db.admin();
    let versions: Vec<i32> = admin
        .query(
            "SELECT version FROM caseload_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=pg::LATEST).collect::<Vec<_>>());
    // Every table SQLite keeps append-only is append-only here too, and takes turns.
    let guarded: Vec<(String, i64)> = admin
        .query(
            "SELECT c.relname, count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE t.tgname IN (c.relname || '_no_update', c.relname || '_no_delete',
                                c.relname || '_no_truncate', c.relname || '_in_turn')
             GROUP BY c.relname ORDER BY c.relname",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let expected = [
        "actions",
        "assessment_lines",
        "assessments",
        "audit",
        "batches",
        "chain",
        "claims",
        "contacts",
        "corrections",
        "court_events",
        "ledger",
        "letters",
        "notes",
        "notices",
        "overrides",
        "pauses",
        "plan_events",
        "plans",
        "promises",
        "referrals",
    ];
    assert_eq!(
        guarded,
        expected.map(|t| (t.to_string(), 4)).to_vec(),
        "each append-only table has its four triggers"
    );
}

#[test]
fn an_officers_role_is_refused_update_and_delete_on_the_ledger_notes_and_actions() {
    let Some(mut db) = migrated("officer_role") else {
        return;
    };
    db.admin().batch_execute(FIXTURE).unwrap();
    let (alice, url) = db.officer("alice");
    let mut officer = pg::connect(&url).unwrap();

    // Reading and adding records is what an officer does.
    let mut tx = officer.transaction().unwrap();
    tx.batch_execute(&format!(
        "SELECT caseload_take_turn();
         INSERT INTO batches (at, officer, source) VALUES (now(), '{alice}', 'tui');
         INSERT INTO ledger (account_id, date, kind, method, amount, batch_id)
             VALUES (1, '2026-11-24', 'payment', 'cash', -2000, 2);
         INSERT INTO actions (tenancy_id, at, kind, officer, batch_id)
             VALUES (1, '2026-11-24T11:00:00', 'call', '{alice}', 2);
         INSERT INTO notes (tenancy_id, at, officer, body, action_id, batch_id)
             VALUES (1, '2026-11-24T11:02:00', '{alice}', 'Paid £20 at the office', 2, 2);"
    ))
    .unwrap();
    tx.commit().unwrap();

    // Changing or removing one is refused by the role, whatever the row.
    for statement in [
        "UPDATE ledger SET amount = -1 WHERE id = 2",
        "DELETE FROM ledger WHERE id = 2",
        "UPDATE notes SET body = 'Nothing was said' WHERE id = 1",
        "DELETE FROM notes",
        "UPDATE actions SET kind = 'letter_1'",
        "DELETE FROM actions WHERE id = 1",
        "INSERT INTO ledger (id, account_id, date, kind, amount, batch_id)
             VALUES (2, 1, '2026-11-24', 'payment', -1, 2)
             ON CONFLICT (id) DO UPDATE SET amount = excluded.amount",
        "TRUNCATE ledger, notes, actions CASCADE",
        // Nor can the balance the ledger keeps be set by hand.
        "UPDATE accounts SET balance = 0",
    ] {
        let refused = officer.batch_execute(statement).unwrap_err();
        assert_eq!(
            sql_state(&refused),
            SqlState::INSUFFICIENT_PRIVILEGE,
            "{statement}: {refused}"
        );
    }

    // The owner is refused too, by the triggers, with the reason.
    let mut admin = db.admin();
    for (statement, reason) in [
        (
            "UPDATE ledger SET amount = -1 WHERE id = 2",
            "the ledger is append-only",
        ),
        ("DELETE FROM notes WHERE id = 1", "notes are append-only"),
        ("TRUNCATE actions CASCADE", "actions are append-only"),
    ] {
        let refused = admin.batch_execute(statement).unwrap_err();
        assert_eq!(
            sql_state(&refused),
            SqlState::RESTRICT_VIOLATION,
            "{statement}"
        );
        let message = refused.as_db_error().unwrap().message().to_string();
        assert!(message.starts_with(reason), "{statement}: {message}");
    }

    // Nothing changed: both entries, both actions and both notes are as written, and the balance
    // is the ledger's sum.
    let row = admin
        .query_one(
            "SELECT (SELECT string_agg(amount::text, ',' ORDER BY id) FROM ledger),
                    (SELECT string_agg(kind, ',' ORDER BY id) FROM actions),
                    (SELECT string_agg(body, ' | ' ORDER BY id) FROM notes),
                    (SELECT balance FROM accounts WHERE id = 1)",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "10000,-2000");
    assert_eq!(row.get::<_, String>(1), "call,call");
    assert_eq!(
        row.get::<_, String>(2),
        "Promised £20 on Friday | Paid £20 at the office"
    );
    assert_eq!(row.get::<_, i64>(3), 8000);
}

#[test]
fn an_officer_records_only_as_their_own_login_and_writes_only_their_own_drafts() {
    let Some(mut db) = migrated("own_login") else {
        return;
    };
    db.admin().batch_execute(FIXTURE).unwrap();
    let (alice, alice_url) = db.officer("alice");
    let (bob, bob_url) = db.officer("bob");
    let mut as_alice = pg::connect(&alice_url).unwrap();
    let refused = as_alice
        .batch_execute(&format!(
            "BEGIN; SELECT caseload_take_turn();
             INSERT INTO batches (at, officer, source) VALUES (now(), '{bob}', 'tui');"
        ))
        .unwrap_err();
    assert_eq!(sql_state(&refused), SqlState::INSUFFICIENT_PRIVILEGE);
    let message = refused.as_db_error().unwrap().message();
    assert_eq!(
        message,
        format!("officers write as themselves: this login is {alice}, not {bob}")
    );
    as_alice.batch_execute("ROLLBACK").unwrap();

    as_alice
        .batch_execute(&format!(
            "INSERT INTO drafts (officer, tenancy_id, body, saved_at)
             VALUES ('{alice}', 1, 'Tenant says', now())"
        ))
        .unwrap();
    let mut as_bob = pg::connect(&bob_url).unwrap();
    // Bob sees that Alice is writing, but cannot change, take or discard her draft.
    let seen: i64 = as_bob
        .query_one("SELECT count(*) FROM drafts WHERE tenancy_id = 1", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 1);
    assert_eq!(
        as_bob.execute("UPDATE drafts SET body = 'x'", &[]).unwrap(),
        0
    );
    assert_eq!(as_bob.execute("DELETE FROM drafts", &[]).unwrap(), 0);
    let refused = as_bob
        .batch_execute(&format!(
            "INSERT INTO drafts (officer, tenancy_id, body, saved_at) VALUES ('{alice}', 1, 'x', now())"
        ))
        .unwrap_err();
    assert_eq!(sql_state(&refused), SqlState::INSUFFICIENT_PRIVILEGE);
    let body: String = as_alice
        .query_one("SELECT body FROM drafts", &[])
        .unwrap()
        .get(0);
    assert_eq!(body, "Tenant says");
}

#[test]
fn records_are_added_only_by_a_write_that_has_taken_its_turn() {
    let Some(db) = migrated("in_turn") else {
        return;
    };
    let mut admin = db.admin();
    admin.batch_execute(FIXTURE).unwrap();
    let refused = admin
        .batch_execute(
            "INSERT INTO ledger (account_id, date, kind, amount, batch_id)
             VALUES (1, '2026-11-24', 'charge', 100, 1)",
        )
        .unwrap_err();
    assert_eq!(sql_state(&refused), SqlState::LOCK_NOT_AVAILABLE);

    // While one write holds its turn, another waits for it: they never interleave.
    let mut first = db.admin();
    let mut holding = first.transaction().unwrap();
    holding
        .batch_execute("SELECT caseload_take_turn()")
        .unwrap();
    let mut second = db.admin();
    second.batch_execute("SET lock_timeout = '200ms'").unwrap();
    let waited = second
        .batch_execute("BEGIN; SELECT caseload_take_turn();")
        .unwrap_err();
    assert_eq!(sql_state(&waited), SqlState::LOCK_NOT_AVAILABLE);
    second.batch_execute("ROLLBACK").unwrap();
    holding.commit().unwrap();
    second
        .batch_execute("BEGIN; SELECT caseload_take_turn(); COMMIT;")
        .unwrap();
}

#[test]
fn the_database_keeps_balances_and_case_summaries_as_a_sqlite_file_does() {
    let Some(db) = migrated("derived") else {
        return;
    };
    let mut admin = db.admin();
    admin.batch_execute(FIXTURE).unwrap();
    admin
        .batch_execute(
            "BEGIN; SELECT caseload_take_turn();
             INSERT INTO ledger (account_id, date, kind, amount, batch_id) VALUES
                 (1, '2026-11-25', 'payment', -3000, 1),   -- Wednesday, the week of Mon 23 Nov
                 (1, '2026-11-27', 'payment', -1000, 1),
                 (1, '2026-11-16', 'payment', -500, 1),    -- an older week: no change to the week's
                 (1, '2026-11-30', 'charge', 10000, 1);    -- the next week's charge
             INSERT INTO notices (tenancy_id, kind, served_on, officer, batch_id)
                 VALUES (1, 'nosp', '2026-10-01', 'import', 1);
             INSERT INTO actions (tenancy_id, at, kind, officer, batch_id)
                 VALUES (1, '2026-11-24T09:00:00', 'notice', 'import', 1);
             INSERT INTO notices (tenancy_id, kind, served_on, officer, action_id, batch_id)
                 VALUES (1, 'nosp', '2026-11-24', 'import', 2, 1);
             INSERT INTO pauses (tenancy_id, kind, until, reason, officer, at, batch_id)
                 VALUES (1, 'snooze', '2026-12-01', 'awaiting payment', 'import', '2026-11-24T09:00:00', 1);
             COMMIT;",
        )
        .unwrap();
    let account = admin
        .query_one(
            "SELECT balance, entries, last_payment_date::text, pay_week::text, pay_week_total,
                    charge_week::text, charge_week_total FROM accounts WHERE id = 1",
            &[],
        )
        .unwrap();
    assert_eq!(account.get::<_, i64>(0), 10000 - 3000 - 1000 - 500 + 10000);
    assert_eq!(account.get::<_, i64>(1), 5);
    assert_eq!(account.get::<_, String>(2), "2026-11-27");
    assert_eq!(account.get::<_, String>(3), "2026-11-23");
    assert_eq!(account.get::<_, i64>(4), 4000);
    assert_eq!(account.get::<_, String>(5), "2026-11-30");
    assert_eq!(account.get::<_, i64>(6), 10000);
    let notice = |admin: &mut postgres::Client| -> String {
        admin
            .query_one(
                "SELECT notice::text FROM case_summary WHERE tenancy_id = 1",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(notice(&mut admin), "2026-11-24");

    // The later notice recorded in error: the summary is made again from what is in force.
    admin
        .batch_execute(
            "BEGIN; SELECT caseload_take_turn();
             INSERT INTO corrections (tenancy_id, action_id, kind, reason, officer, at, batch_id)
                 VALUES (1, 2, 'error', 'wrong tenancy', 'import', '2026-11-24T12:00:00', 1);
             COMMIT;",
        )
        .unwrap();
    assert_eq!(notice(&mut admin), "2026-10-01");
    let differing: i64 = admin
        .query_one(
            "SELECT count(*) FROM ((TABLE case_summary EXCEPT TABLE case_summary_of)
                                   UNION ALL (TABLE case_summary_of EXCEPT TABLE case_summary)) d",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(differing, 0, "the kept summary is the one its view defines");
    let last: String = admin
        .query_one(
            "SELECT kind FROM last_actions WHERE tenancy_id = 1 ORDER BY at DESC LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        last, "call",
        "the corrected notice is no longer the latest action"
    );
}

#[test]
fn two_migrations_started_together_take_turns_and_a_newer_schema_is_refused() {
    let db = scratch!("migrate_twice");
    let url = db.url();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || pg::migrate(&url).unwrap())
        })
        .collect();
    let mut froms: Vec<i32> = runs.into_iter().map(|r| r.join().unwrap().from).collect();
    froms.sort();
    assert_eq!(froms, [0, pg::LATEST]);

    db.admin()
        .batch_execute(&format!(
            "INSERT INTO caseload_migrations (version) VALUES ({})",
            pg::LATEST + 1
        ))
        .unwrap();
    let refused = caseload(&["--db", &url, "migrate"]);
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("was written by a newer caseload"), "{said}");
}

#[test]
fn a_postgres_url_is_refused_where_it_cannot_be_used_and_never_becomes_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://alice:secret@127.0.0.1:1/caseload";
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_caseload"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("CASELOAD_DB")
            .output()
            .unwrap()
    };
    let officer = run(&["--db", url, "--officer", "bob", "migrate"]);
    assert_eq!(officer.status.code(), Some(2));
    let said = String::from_utf8_lossy(&officer.stderr);
    assert!(
        said.contains("--officer cannot be used with postgres://alice@127.0.0.1:1/caseload"),
        "{said}"
    );
    assert!(!said.contains("secret"), "{said}");
    let demo = run(&["--db", url, "demo"]);
    assert_eq!(demo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&demo.stderr).contains("name it with --out FILE.db"));
    let account = run(&["--db", url, "account", "T1"]);
    assert_eq!(
        account.status.code(),
        Some(1),
        "it tries the server, as every command does"
    );
    for args in [&["migrate"][..], &["import", "--create", "extract"]] {
        let unreachable = run(&[&["--db", url][..], args].concat());
        assert_eq!(unreachable.status.code(), Some(1), "{args:?}");
        assert!(
            String::from_utf8_lossy(&unreachable.stderr).contains("error connecting to server"),
            "{args:?}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file was made"
    );
}

#[test]
fn a_caseload_moved_in_keeps_every_row_its_chain_checks_there_and_an_edit_is_named() {
    let db = scratch!("move_in");
    let dir = tempfile::tempdir().unwrap();
    let file = common::small_demo(dir.path());
    let file_arg = file.to_str().unwrap();
    let url = db.url();
    let moved = caseload(&["migrate", "--from", file_arg, "--to", &url]);
    assert!(moved.status.success(), "{moved:?}");
    let said = String::from_utf8_lossy(&moved.stdout);
    assert!(said.contains(&format!("moved into {url}")), "{said}");

    // Each table the copy names holds on the server what it holds in the file.
    let sqlite = rusqlite::Connection::open(&file).unwrap();
    let mut admin = db.admin();
    let mut tables = 0;
    for line in said.lines().filter(|l| !l.contains("moved into")) {
        let (rows, table) = line.trim().split_once("  ").unwrap();
        let count = format!("SELECT count(*) FROM \"{}\"", table.trim());
        let in_file: i64 = sqlite.query_row(&count, [], |r| r.get(0)).unwrap();
        let on_server: i64 = admin.query_one(&count, &[]).unwrap().get(0);
        assert_eq!(
            (in_file, on_server),
            (rows.parse().unwrap(), in_file),
            "{table}"
        );
        tables += 1;
    }
    assert_eq!(tables, 31);
    let ledger: i64 = admin
        .query_one("SELECT count(*) FROM ledger", &[])
        .unwrap()
        .get(0);
    assert!(ledger > 1_000, "the demo has a year of history: {ledger}");
    // The planner has statistics from the start: every table moved in was analysed (by the
    // move-in itself, not by autovacuum later).
    let unanalysed: Vec<String> = admin
        .query(
            "SELECT relname::text FROM pg_stat_user_tables WHERE last_analyze IS NULL ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(unanalysed.is_empty(), "not analysed: {unanalysed:?}");

    let verify = |url: &str| caseload(&["--db", url, "verify"]);
    let clean = verify(&url);
    assert!(clean.status.success(), "{clean:?}");
    assert!(String::from_utf8_lossy(&clean.stdout).contains("all 6 checks passed"));

    // New records are numbered on from the ones moved in.
    let next: i64 = admin
        .query_one(
            "SELECT nextval(pg_get_serial_sequence('ledger', 'id'))",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(next, ledger + 1);

    // An entry changed behind the triggers' back is named, by table and rows; so is a rent
    // year's total changed.
    admin
        .batch_execute(
            "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update;
             UPDATE ledger SET description = 'paid in full' WHERE id = 5;
             UPDATE ledger_years SET charged = charged + 1
             WHERE account_id = (SELECT min(account_id) FROM ledger_years);",
        )
        .unwrap();
    let tampered = verify(&url);
    assert_eq!(tampered.status.code(), Some(1), "{tampered:?}");
    let said = String::from_utf8_lossy(&tampered.stdout);
    assert!(said.contains("FAIL  ledger 1-"), "{said}");
    assert!(said.contains("FAIL  the totals of account "), "{said}");
    assert!(
        said.contains("FAIL  missing or disabled: ledger _no_update"),
        "{said}"
    );

    let again = caseload(&["migrate", "--from", file_arg, "--to", &url]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds a caseload already"));
}

/// A small demo moved into a scratch database: the file it came from.
fn demo_moved_in(db: &Scratch, dir: &std::path::Path) -> std::path::PathBuf {
    let file = common::small_demo(dir);
    pg::move_in(&file, &db.url()).unwrap();
    file
}

#[test]
fn the_store_reads_tenancies_by_reference_alike_on_both_engines() {
    let db = scratch!("refs");
    let dir = tempfile::tempdir().unwrap();
    let file = demo_moved_in(&db, dir.path());
    let store = caseload::store::Store::open(&file).unwrap();
    let server = pg::open(&db.url()).unwrap();
    assert_eq!(
        server.tenancy_count().unwrap(),
        store.tenancy_count().unwrap()
    );
    assert_eq!(server.tenancy_count().unwrap(), 40);
    let refs: Vec<String> = db
        .admin()
        .query("SELECT ref FROM tenancies ORDER BY id LIMIT 5", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    for reference in refs.iter().map(String::as_str).chain(["nope", " "]) {
        let lower = reference.to_lowercase();
        assert_eq!(
            server.tenancy_by_ref(reference).unwrap(),
            store.tenancy_by_ref(reference).unwrap()
        );
        assert_eq!(
            server.reference_like(&lower).unwrap(),
            store.reference_like(&lower).unwrap()
        );
    }
    assert!(server.tenancy_by_ref(&refs[0]).unwrap().is_some());
}

#[test]
fn a_database_not_brought_up_to_date_is_not_opened() {
    let db = scratch!("not_migrated");
    let Err(e) = pg::open(&db.url()) else {
        panic!("an empty database opened");
    };
    assert!(e.to_string().contains("is at schema version 0"), "{e}");
    assert!(e.to_string().contains("migrate"), "{e}");
}

#[test]
fn the_demo_moved_in_ranks_the_same_queue_on_the_server_as_in_its_file() {
    let db = scratch!("same_queue");
    let dir = tempfile::tempdir().unwrap();
    let file = demo_moved_in(&db, dir.path());
    let url = db.url();
    for tab in [
        "today",
        "needs-action",
        "promises-plans",
        "notices-court",
        "paused",
        "all",
    ] {
        let queue = |db: &str| {
            let out = caseload(&[
                "--db",
                db,
                "--today",
                "2026-11-23",
                "queue",
                "--tab",
                tab,
                "--json",
            ]);
            assert!(out.status.success(), "{tab} on {db}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let (in_file, on_server) = (queue(file.to_str().unwrap()), queue(&url));
        assert!(
            in_file.len() > 2,
            "{tab}: the demo's queue has accounts in it"
        );
        assert_eq!(in_file, on_server, "{tab}");
    }
}

#[test]
fn another_officers_payment_reaches_my_queue_within_a_second_and_her_call_shows_until_she_is_gone()
{
    use caseload::store::pg::{Changed, Changes, Doing};
    use std::time::{Duration, Instant};
    let Some(mut db) = Scratch::new("live") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let (_bob, bob_url) = db.officer("bob");
    let bob = pg::open(&bob_url).unwrap();
    let mut heard = Changes::listen(&bob_url).unwrap();
    let judging = caseload::domain::promise::Judging {
        tolerance_days: 5,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
    };
    let (tenancy, account): (i64, i64) = {
        let row = db
            .admin()
            .query_one(
                "SELECT tenancy_id, id FROM accounts WHERE debt_type = 'rent' ORDER BY id LIMIT 1",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let before = bob.queue_facts_of(tenancy, judging).unwrap().unwrap();

    // Alice takes £25 (as the workstation's write will: in turn, under her own login).
    let mut as_alice = pg::connect(&alice_url).unwrap();
    let paid = Instant::now();
    as_alice
        .batch_execute(&format!(
            "BEGIN; SELECT caseload_take_turn();
             WITH batch AS (INSERT INTO batches (at, officer, source)
                            VALUES (now(), '{alice}', 'tui') RETURNING id)
             INSERT INTO ledger (account_id, date, kind, method, amount, batch_id)
                 SELECT {account}, '2026-11-23', 'payment', 'cash', -2500, id FROM batch;
             COMMIT;"
        ))
        .unwrap();
    let change = heard.next(Duration::from_secs(1)).unwrap();
    assert_eq!(change, Some(Changed::Tenancies(vec![tenancy])));
    let after = bob.queue_facts_of(tenancy, judging).unwrap().unwrap();
    assert!(
        paid.elapsed() < Duration::from_secs(1),
        "{:?}",
        paid.elapsed()
    );
    assert_eq!(
        after.rent.balance,
        before.rent.balance - caseload::domain::Money::from_pence(2500)
    );

    // While Alice is on a call with the tenant, Bob sees it; when her workstation is gone (its
    // connection closed, as when it is killed) he no longer does, heartbeat or not.
    let alice_at_work = pg::open(&alice_url).unwrap();
    alice_at_work.present(tenancy, Doing::Call).unwrap();
    assert_eq!(
        bob.presence_on(tenancy).unwrap(),
        [(alice.clone(), Doing::Call)]
    );
    assert_eq!(
        heard.next(Duration::from_secs(1)).unwrap(),
        Some(Changed::Presence(vec![tenancy])),
        "a call beginning is announced too, as who is on the account"
    );
    alice_at_work.heartbeat().unwrap();
    drop(alice_at_work);
    let gone = Instant::now();
    while !bob.presence_on(tenancy).unwrap().is_empty() {
        assert!(
            gone.elapsed() < Duration::from_secs(2),
            "the call still shows"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Ending a call takes the row away.
    let alice_again = pg::open(&alice_url).unwrap();
    alice_again.present(tenancy, Doing::Note).unwrap();
    assert_eq!(bob.presence_on(tenancy).unwrap(), [(alice, Doing::Note)]);
    alice_again.absent(tenancy).unwrap();
    assert!(bob.presence_on(tenancy).unwrap().is_empty());
}

/// A team's server across a network: the server is given a certificate signed by the team's own
/// authority (made here), and `sslmode=verify-full` with that authority's certificate reaches it
/// encrypted, the workstation's store and the command line alike. A certificate signed by
/// another authority, or made out to another host, is refused saying why and what to do;
/// `verify-ca` does not look at the host, and `require` encrypts without checking.
#[test]
fn a_team_server_is_reached_encrypted_and_a_certificate_that_does_not_verify_is_refused_saying_why()
{
    let Some(db) = migrated("tls") else { return };
    let mut admin = db.admin();
    let show = |admin: &mut postgres::Client, what: &str| -> String {
        admin
            .query_one(&format!("SHOW {what}"), &[])
            .unwrap()
            .get(0)
    };
    // Encryption is made over TCP only.
    let (listen, port) = (
        show(&mut admin, "listen_addresses"),
        show(&mut admin, "port"),
    );
    if !listen
        .split(',')
        .any(|a| ["127.0.0.1", "localhost", "*"].contains(&a.trim()))
    {
        assert!(
            std::env::var_os(pg::scratch::REQUIRED_VAR).is_none(),
            "the test server listens on no local TCP address ({listen:?}): .ci/run's does"
        );
        eprintln!("skipped: the test server listens on no local TCP address");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let authority = |name: &str| {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        let file = dir.path().join(format!("{name}.pem"));
        std::fs::write(&file, cert.pem()).unwrap();
        (rcgen::Issuer::new(params, key), file)
    };
    let (team, team_file) = authority("team");
    let (_, other_file) = authority("other");
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&server_key, &team)
        .unwrap();
    // In the server's own folder, as its user, readable by it alone (as it requires of its key).
    let data = show(&mut admin, "data_directory");
    let Ok(owner) = std::fs::metadata(&data) else {
        assert!(
            std::env::var_os(pg::scratch::REQUIRED_VAR).is_none(),
            "the test server's folder {data} is not on this computer: .ci/run's is"
        );
        return;
    };
    let write = |_: &mut postgres::Client, pem: &str, name: &str| -> String {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let path = format!("{data}/caseload_test_{name}");
        std::fs::write(&path, pem).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid())).unwrap();
        path
    };
    let cert_path = write(&mut admin, &server_cert.pem(), "server.crt");
    let key_path = write(&mut admin, &server_key.serialize_pem(), "server.key");
    // Each alone: ALTER SYSTEM is refused inside a transaction.
    let settings = |admin: &mut postgres::Client, statements: &[String]| {
        for statement in statements {
            admin.batch_execute(statement).unwrap();
        }
        admin.batch_execute("SELECT pg_reload_conf()").unwrap();
    };
    settings(
        &mut admin,
        &[
            format!("ALTER SYSTEM SET ssl_cert_file = '{cert_path}'"),
            format!("ALTER SYSTEM SET ssl_key_file = '{key_path}'"),
            "ALTER SYSTEM SET ssl = on".into(),
        ],
    );
    let name = db.url().rsplit('/').next().unwrap().to_string();
    let url = |host: &str, query: &str| format!("postgres://postgres@{host}:{port}/{name}?{query}");
    let root = |file: &std::path::Path| {
        format!(
            "sslrootcert={}",
            file.display().to_string().replace('/', "%2F")
        )
    };
    let encrypted = |url: &str| -> Result<bool, String> {
        let store = caseload::store::Store::open_server(url).map_err(|e| e.to_string())?;
        let rows = store
            .rows(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap();
        Ok(rows[0][0] == rusqlite::types::Value::Integer(1))
    };
    let full = url(
        "localhost",
        &format!("sslmode=verify-full&{}", root(&team_file)),
    );
    // The server takes its new settings a moment after it is told to.
    let waited = std::time::Instant::now();
    while encrypted(&full).is_err() && waited.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let outcome = std::panic::catch_unwind(|| {
        assert_eq!(
            encrypted(&full),
            Ok(true),
            "verify-full, signed by the team"
        );
        assert_eq!(
            encrypted(&url("localhost", "sslmode=require")),
            Ok(true),
            "require: encrypted, not checked"
        );
        assert_eq!(
            encrypted(&url("localhost", "")),
            Ok(false),
            "no sslmode: as before, not encrypted"
        );
        let other = encrypted(&url(
            "localhost",
            &format!("sslmode=verify-full&{}", root(&other_file)),
        ))
        .unwrap_err();
        assert!(
            other.contains("the server's certificate was not accepted")
                && other.contains("sslrootcert"),
            "{other}"
        );
        let elsewhere = format!("sslmode=verify-full&{}", root(&team_file));
        let host = encrypted(&url("127.0.0.1", &elsewhere)).unwrap_err();
        assert!(
            host.contains("the server's certificate was not accepted")
                && host.contains("127.0.0.1"),
            "made out to localhost, not 127.0.0.1: {host}"
        );
        let any_host = format!("sslmode=verify-ca&{}", root(&team_file));
        assert_eq!(encrypted(&url("127.0.0.1", &any_host)), Ok(true));
        // The command line says the same and stops (exit 1), with nothing done.
        let bad = url(
            "localhost",
            &format!("sslmode=verify-full&{}", root(&other_file)),
        );
        let out = caseload(&["--db", &bad, "verify"]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            said.contains("the server's certificate was not accepted"),
            "{said}"
        );
        let good = caseload(&["--db", &full, "verify"]);
        assert!(
            good.status.success(),
            "{}",
            String::from_utf8_lossy(&good.stderr)
        );
    });
    // The server is left as it was found.
    settings(
        &mut admin,
        &["ssl", "ssl_cert_file", "ssl_key_file"].map(|s| format!("ALTER SYSTEM RESET {s}")),
    );
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// `caseload account`, `statement` and `letters` on the demo moved into the team's database give
/// what they give on its file: the same account (text and JSON), the same rent statement and
/// court schedule, and the same day's letters written (as the login, in the current folder or in
/// `--out`) and recorded once.
#[test]
fn account_statement_and_letters_on_the_team_database_give_what_they_give_on_its_file() {
    let db = scratch!("documents");
    let dir = tempfile::tempdir().unwrap();
    let file = demo_moved_in(&db, dir.path());
    let (file, url) = (file.to_str().unwrap().to_string(), db.url());
    let login: String = db
        .admin()
        .query_one("SELECT session_user::text", &[])
        .unwrap()
        .get(0);
    // Accounts with a plan, a notice or a court event, and the first few.
    let refs: Vec<String> = db
        .admin()
        .query(
            "(SELECT ref FROM tenancies ORDER BY id LIMIT 3)
             UNION (SELECT t.ref FROM tenancies t JOIN plans p ON p.tenancy_id = t.id LIMIT 2)
             UNION (SELECT t.ref FROM tenancies t JOIN notices n ON n.tenancy_id = t.id LIMIT 2)
             UNION (SELECT t.ref FROM tenancies t JOIN court_events c ON c.tenancy_id = t.id
                    LIMIT 2)",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(refs.len() >= 5, "{refs:?}");
    // The demo's landlord, whom letters name.
    let config = dir.path().join("config.toml");
    std::fs::write(&config, caseload::config::DEMO).unwrap();
    let config = config.to_str().unwrap();
    let run = |db: &str, args: &[&str], cwd: &std::path::Path| {
        let officer: &[&str] = match pg::is_url(db) {
            true => &[],
            false => &["--officer", &login],
        };
        let out = Command::new(env!("CARGO_BIN_EXE_caseload"))
            .args(
                [
                    &["--db", db, "--config", config, "--today", "2026-11-23"][..],
                    officer,
                    args,
                ]
                .concat(),
            )
            .current_dir(cwd)
            .env_remove("CASELOAD_DB")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?} on {db}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for reference in &refs {
        for args in [
            &["account", reference][..],
            &["account", reference, "--json"],
            &["statement", reference],
            &["statement", reference, "--court", "--format", "html"],
        ] {
            let (in_file, on_server) = (run(&file, args, dir.path()), run(&url, args, dir.path()));
            assert!(in_file.contains(reference.as_str()), "{args:?}: {in_file}");
            assert_eq!(in_file, on_server, "{args:?}");
        }
    }

    // The day's letters: beside the file, and in the current folder (or --out) for the server.
    let (beside, here, out) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let copy = beside.path().join("caseload.db");
    std::fs::copy(&file, &copy).unwrap();
    let copy = copy.to_str().unwrap();
    let dry = ["letters", "--dry-run"];
    assert_eq!(run(copy, &dry, here.path()), run(&url, &dry, here.path()));
    let in_file = run(copy, &["letters"], here.path());
    let on_server = run(&url, &["letters"], here.path());
    assert!(in_file.contains("produced"), "{in_file}");
    assert_eq!(in_file, on_server);
    let written = |root: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        let folder = root.join("letters").join("2026-11-23");
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|f| {
                let path = f.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                (name, std::fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let (from_file, from_server) = (written(beside.path()), written(here.path()));
    assert!(from_file.len() > 2, "{:?}", from_file.iter().map(|f| &f.0));
    assert_eq!(
        from_file.iter().map(|f| &f.0).collect::<Vec<_>>(),
        from_server.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in from_file.iter().zip(&from_server) {
        if name.ends_with(".html") || name.ends_with(".txt") {
            assert_eq!(a, b, "{name}");
        }
    }
    // Recorded once, as the login: the same run again produces nothing new, wherever it writes.
    let again = run(
        &url,
        &["letters", "--out", out.path().to_str().unwrap()],
        here.path(),
    );
    assert!(again.contains("Nothing new to produce."), "{again}");
    let sent: i64 = db
        .admin()
        .query_one(
            "SELECT count(*) FROM letters l JOIN actions a ON a.id = l.action_id
             WHERE a.officer = session_user",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(sent > 0);
}

#[test]
fn an_account_opened_after_another_is_read_in_one_round_trip_and_as_the_file_reads_it() {
    use caseload::domain::promise::Judging;
    use caseload::store::pg::Doing;
    use caseload::store::{NewNote, Store};
    let db = scratch!("read_ahead");
    let dir = tempfile::tempdir().unwrap();
    let file = demo_moved_in(&db, dir.path());
    let mut store = Store::open(&file).unwrap();
    let mut server = Store::open_server(&db.url()).unwrap();
    let judging = Judging {
        tolerance_days: 3,
        today: common::today(),
    };
    let trips = |server: &Store| server.server().unwrap().round_trips();
    // As the workstation opens an account: with who else is on it.
    let open = |store: &Store, id| {
        let read = store.account_and_writing("tester", id, 20, judging, 3);
        read.unwrap().map(|(detail, _)| detail)
    };
    let ids: Vec<i64> = db
        .admin()
        .query("SELECT id FROM tenancies ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    // Down the queue and back up, as keys move through it: each account reads on the server
    // exactly as on the file, however the reads before it went.
    let mut each = Vec::new();
    for &id in ids.iter().chain(ids.iter().rev()) {
        let before = trips(&server);
        let read = open(&server, id);
        each.push(trips(&server) - before);
        assert_eq!(read, open(&store, id), "{id}");
    }
    assert!(
        each[0] > 10,
        "the first account is read statement by statement: {each:?}"
    );
    // The same account again: every read was sent ahead, and all in one round trip, who else is
    // on it (another officer's call begun meanwhile) among them.
    let last = ids[0];
    // (Present while this connection lasts.)
    let mut alice = db.admin();
    alice
        .execute(
            "INSERT INTO presence (officer, tenancy_id, doing) VALUES ('alice', $1, 'call')",
            &[&last],
        )
        .unwrap();
    let before = trips(&server);
    let (_, writing) = (server.account_and_writing("tester", last, 20, judging, 3))
        .unwrap()
        .unwrap();
    assert_eq!(trips(&server) - before, 1);
    assert_eq!(writing, vec![("alice".to_string(), Doing::Call)]);
    drop(alice);
    // Other accounts: in one where their reads are the last one's, in one more for each read
    // that is not (another kind of debt, an arrangement the last had not).
    let one = each[1..].iter().filter(|&&n| n == 1).count();
    assert!(
        one * 4 >= each.len() * 3 && each[1..].iter().all(|&n| n <= 5),
        "most accounts after the first take one round trip: {each:?}"
    );

    // A note written between two reads is read at once: nothing sent ahead outlives its read.
    for store in [&mut store, &mut server] {
        store
            .write("tester", "tui", |w| {
                w.append_note(&NewNote {
                    tenancy_id: last,
                    at: common::today().and_hms_opt(11, 0, 0).unwrap(),
                    officer: "tester",
                    body: "called, no answer",
                    action_id: None,
                    amends: None,
                })
            })
            .unwrap();
    }
    let read = open(&server, last).unwrap();
    assert_eq!(read.notes[0].body, "called, no answer");
    assert_eq!(Some(read), open(&store, last));
}
