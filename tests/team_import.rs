//! An extract imported into a team's PostgreSQL database (`CASELOAD_TEST_PG`, started by
//! `.ci/run`), exported from it, and the team's numbers read from it: the same results as on a
//! file, with the same guarantees (all or nothing, what officers recorded kept, sealed, in turn).

mod common;

use caseload::app::Session;
use caseload::app::keymap::Keymap;
use caseload::app::state::Overlay;
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::kpi::{Period, Scope};
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::DebtType;
use caseload::report::build;
use caseload::store::pg::{self, scratch::Scratch};
use caseload::store::{NewEntry, Store};
use common::{Env, TODAY, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A throwaway database brought up to date for this test, or return (the test says it was
/// skipped).
macro_rules! migrated {
    ($label:expr) => {
        match Scratch::new($label) {
            Some(db) => {
                pg::migrate(&db.url()).unwrap();
                db
            }
            None => return,
        }
    };
}

/// Runs `caseload` on `db` (a file or a team's database) with the test's config on [`TODAY`]: an
/// import on a file as the officer "tester", on a team's database as its login.
fn run(env: &Env, db: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
    command
        .args(["--db", db, "--today", TODAY, "--config"])
        .arg(env.dir.path().join("config.toml"));
    if !pg::is_url(db) && args[0] == "import" {
        command.args(["--officer", "tester"]);
    }
    command
        .args(args)
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// An import's summary without the time it took.
fn summary(env: &Env, db: &str, dir: &Path) -> String {
    let said = ok(run(env, db, &["import", "--create", dir.to_str().unwrap()]));
    said.lines()
        .map(|l| l.split(" rows read in ").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file of an export of `db` into `name` in the test's folder, with its text.
fn exported(env: &Env, db: &str, name: &str) -> Vec<(String, String)> {
    let dir = env.dir.path().join(name);
    ok(run(env, db, &["export", dir.to_str().unwrap()]));
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Records a breathing space on 200101/1 as an officer would, on either engine.
fn breathing_space(db: &str) {
    let mut store = if pg::is_url(db) {
        Store::open_server(db).unwrap()
    } else {
        Store::open(Path::new(db)).unwrap()
    };
    let officer = store.login().unwrap().unwrap_or_else(|| "tester".into());
    let tenancy = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    store
        .write(&officer, "workstation", |w| {
            w.set_breathing_space(tenancy, Some(parse_date("2027-01-31").unwrap()))
        })
        .unwrap();
}

/// Each account's summary as the database keeps it: id, balance, entries, last payment, and
/// the latest weeks of payments and charges with their totals.
type Summary = (
    i64,
    i64,
    i64,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    i64,
);

fn summaries_on_server(db: &Scratch) -> Vec<Summary> {
    db.admin()
        .query(
            "SELECT id, balance, entries, last_payment_date::text, pay_week::text, pay_week_total,
                    charge_week::text, charge_week_total FROM accounts ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| {
            let n = |i| r.get::<_, i64>(i);
            (n(0), n(1), n(2), r.get(3), r.get(4), n(5), r.get(6), n(7))
        })
        .collect()
}

fn summaries_in_file(file: &str) -> Vec<Summary> {
    let conn = rusqlite::Connection::open(file).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id, balance, entries, last_payment_date, pay_week, pay_week_total,
                    charge_week, charge_week_total FROM accounts ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| Summary::try_from(r))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The rows of each table that holds records, and the hash chain's links.
fn counts(db: &Scratch) -> Vec<i64> {
    let mut admin = db.admin();
    [
        "batches", "ledger", "actions", "audit", "plans", "pauses", "chain",
    ]
    .iter()
    .map(|t| {
        admin
            .query_one(&format!("SELECT count(*) FROM {t}"), &[])
            .unwrap()
            .get(0)
    })
    .collect()
}

#[test]
fn an_extract_imported_twice_on_the_team_database_gives_what_a_file_gives() {
    let env = Env::new();
    let db = migrated!("import_twice");
    let (url, file) = (db.url(), env.db().to_string_lossy().into_owned());
    // The transactions before September, then all of them: the second import adds to every
    // account's summary.
    let first = common::edited(|name, body| match name {
        "transactions.csv" => body
            .lines()
            .filter(|l| l.starts_with("id,") || l.split(',').nth(2) < Some("2026-09-01"))
            .map(|l| format!("{l}\n"))
            .collect(),
        _ => body,
    });
    let example = common::example();
    for extract in [first.path(), &example] {
        assert_eq!(summary(&env, &url, extract), summary(&env, &file, extract));
    }
    assert_eq!(summaries_on_server(&db), summaries_in_file(&file));
    breathing_space(&url);
    breathing_space(&file);
    let again = summary(&env, &url, &example);
    assert!(
        again.contains("Nothing new") && again.contains("200101/1"),
        "{again}"
    );
    assert_eq!(again, summary(&env, &file, &example));
    // Row for row what the file holds, the breathing space kept by both.
    let on_server = exported(&env, &url, "from_server");
    assert_eq!(on_server, exported(&env, &file, "from_file"));
    assert!(!on_server.is_empty() && on_server.iter().any(|(_, body)| body.contains("200101/1")));
    let own: Option<chrono::NaiveDate> = db
        .admin()
        .query_one(
            "SELECT own_breathing_space_until FROM tenancies WHERE ref = '200101/1'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(own, Some(parse_date("2027-01-31").unwrap()));
    // Each import is one batch, sealed in the hash chain: the database checks.
    let imports: i64 = db
        .admin()
        .query_one("SELECT count(*) FROM batches WHERE source = 'import'", &[])
        .unwrap()
        .get(0);
    assert_eq!(imports, 2, "the third import had nothing new to write");
    ok(run(&env, &url, &["verify"]));
}

#[test]
fn a_bad_extract_on_the_team_database_is_refused_as_on_a_file_and_changes_nothing() {
    let env = Env::new();
    let db = migrated!("import_refused");
    let (url, file) = (db.url(), env.db().to_string_lossy().into_owned());
    summary(&env, &url, &common::example());
    summary(&env, &file, &common::example());
    let before = (counts(&db), exported(&env, &url, "before"));
    // A repeated transaction and an account no one knows, among good new rows.
    let bad = common::edited(|name, body| match name {
        "transactions.csv" => {
            let repeated = body.lines().nth(1).unwrap().to_string();
            format!(
                "{body}T900001,RA200101,2026-11-20,PAY,cash,10.00,,\n{repeated}\n\
                 T900002,RA999999,2026-11-20,PAY,cash,10.00,,\n"
            )
        }
        _ => body,
    });
    let refused = |db: &str| {
        let out = run(&env, db, &["import", bad.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        text(&out.stderr)
    };
    let said = refused(&url);
    assert!(said.contains("transactions.csv"), "{said}");
    assert_eq!(said, refused(&file));
    assert_eq!((counts(&db), exported(&env, &url, "after")), before);
}

#[test]
fn an_import_waits_for_its_turn_on_the_team_database_and_gives_up_having_changed_nothing() {
    let env = Env::new();
    let db = migrated!("import_turn");
    let url = db.url();
    summary(&env, &url, &common::example());
    let before = counts(&db);
    let extract = common::edited(|name, body| match name {
        "tenancies.csv" => body.replacen("Riverside,jpatel,112.40", "Riverside,mokafor,112.40", 1),
        _ => body,
    });
    // Another write holds the turn.
    let mut holder = db.admin();
    holder
        .batch_execute("BEGIN; SELECT caseload_take_turn()")
        .unwrap();
    let out = run(
        &env,
        &url,
        &["import", "--wait", "1", extract.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("nothing was imported"),
        "{}",
        text(&out.stderr)
    );
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(counts(&db), before);
    // Its turn come, it writes the change once.
    ok(run(
        &env,
        &url,
        &["import", extract.path().to_str().unwrap()],
    ));
    let officer: String = db
        .admin()
        .query_one("SELECT officer FROM tenancies WHERE ref = '200101/1'", &[])
        .unwrap()
        .get(0);
    assert_eq!(officer, "mokafor");
}

#[test]
fn the_report_on_a_demo_moved_into_the_team_database_has_the_files_figures() {
    let env = Env::new();
    let db = migrated!("report");
    let url = db.url();
    let file: PathBuf = common::small_demo(env.dir.path());
    pg::move_in(&file, &url).unwrap();
    let file = file.to_string_lossy().into_owned();
    for format in ["text", "html"] {
        let args = ["report", "--format", format];
        let on_file = ok(run(&env, &file, &args));
        assert_eq!(ok(run(&env, &url, &args)), on_file, "{format}");
    }
    // The weeks are kept on the server, and read back the same.
    let kept: i64 = db
        .admin()
        .query_one("SELECT count(*) FROM kpi_weeks", &[])
        .unwrap()
        .get(0);
    assert!(kept > 0);
    let week = ["report", "--from", "2026-11-16", "--format", "csv"];
    assert_eq!(ok(run(&env, &url, &week)), ok(run(&env, &file, &week)));

    // The KPI screen of a workstation on the team's database shows the same figures.
    let config = Config::default_config();
    let server = Store::open_server(&url).unwrap();
    let mut settings = common::settings_of("ignored", env.dir.path().join("team.db"));
    settings.officer = server.login().unwrap().unwrap();
    settings.today = common::today();
    let mut session = Session::new(server, Keymap::new(&config.keys), settings).unwrap();
    session.wait_background();
    session.keys("K");
    session.wait_background();
    let Some(Overlay::Kpi(shown)) = session.state.top().cloned() else {
        panic!("K did not open the KPI screen: {:?}", session.state.top());
    };
    let year = Period::rent_year_to(common::today());
    let tolerance = config.promises.tolerance_days.0;
    let report = |store: &mut Store| build(store, year, Scope::default(), tolerance).unwrap();
    let mut on_file = Store::open(Path::new(&file)).unwrap();
    assert_eq!(*shown, report(&mut on_file));

    // A payment dated in a kept week, recorded only now: the weeks from it are worked out again.
    let mut on_server = Store::open_server(&url).unwrap();
    let officer = on_server.login().unwrap().unwrap();
    for (store, officer) in [(&mut on_server, officer.as_str()), (&mut on_file, "tester")] {
        let record = store.tenancy_record(1).unwrap().unwrap();
        let rent = record
            .accounts
            .iter()
            .find(|a| a.debt_type == DebtType::Rent);
        let account = rent.unwrap().id;
        store
            .write(officer, "workstation", |w| {
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: parse_date("2026-10-07").unwrap(),
                    kind: EntryKind::Payment,
                    method: Some(PaymentMethod::Cash),
                    amount: Money::pounds(-45),
                    description: None,
                    reverses: None,
                    ext_id: None,
                })
                .map(drop)
            })
            .unwrap();
    }
    let after = report(&mut on_server);
    assert_eq!(
        after.total.collected,
        shown.total.collected + Money::pounds(45)
    );
    assert_eq!(after, report(&mut on_file));
}
