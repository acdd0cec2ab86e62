//! A small, exactly known caseload on a real SQLite file in a temporary directory, or the same
//! caseload moved into a team's PostgreSQL database (see [`on_each_engine`]).
#![allow(dead_code)]

use caseload::app::keymap::Keymap;
use caseload::app::state::Settings;
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::plan::{Frequency, PlanKind, PlanTerms};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use caseload::store::pg::scratch::Scratch;
use caseload::store::{NewAction, NewEntry, NewNote, NewPlan, NewTenant, Store, Writer};
use caseload::ui::{self, Theme};
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2026-11-23";

pub fn today() -> NaiveDate {
    parse_date(TODAY).unwrap()
}

/// One fixture tenancy: its people (first, last, phone), weekly rent in pounds, how many of the
/// last twelve weeks went unpaid, and a flag.
struct Person {
    reference: &'static str,
    people: &'static [(&'static str, &'static str, &'static str)],
    weekly: i64,
    unpaid: i64,
    flag: &'static str,
}

const PEOPLE: &[Person] = &[
    Person {
        reference: "100001/1",
        people: &[("Ada", "Smith", "07700 900001")],
        weekly: 100,
        unpaid: 6,
        flag: "",
    },
    Person {
        reference: "100002/1",
        people: &[("Ben", "Jones", "07700 900002"), ("Cara", "Jones", "")],
        weekly: 120,
        unpaid: 2,
        flag: "uc",
    },
    Person {
        reference: "100003/1",
        people: &[("Dev", "Patel", "07700 900003")],
        weekly: 90,
        unpaid: 0,
        flag: "vulnerable",
    },
    Person {
        reference: "100004/1",
        people: &[("Erin", "Smithson", "07700 900004")],
        weekly: 110,
        unpaid: 9,
        flag: "",
    },
    Person {
        reference: "100005/1",
        people: &[("Femi", "Okafor", "07700 900005")],
        weekly: 95,
        unpaid: 1,
        flag: "hb",
    },
];

/// The fixture's database for the file `path` would be: the file, made; or on a team's database
/// (see [`on_each_engine`]) a copy of it there, opened as the server's own user.
pub fn build(path: &Path) -> Store {
    if on_server() {
        moved_in(path, "fixture", build_file);
        return open(path);
    }
    build_file(path)
}

/// The fixture in a new file at `path`.
fn build_file(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .write("tester", "fixture", |w| {
            for (i, person) in PEOPLE.iter().enumerate() {
                let flags = Flags {
                    universal_credit: person.flag == "uc",
                    housing_benefit: person.flag == "hb",
                    vulnerable: person.flag == "vulnerable",
                    vulnerability: (person.flag == "vulnerable").then(|| "mental health".into()),
                    ..Flags::default()
                };
                let t = add_tenancy(
                    w,
                    &Tenancy {
                        reference: person.reference,
                        people: person.people,
                        address: &format!("{} Mill Lane, Kingsmere", i + 1),
                        postcode: &format!("KM1 {}AB", i + 1),
                        weekly: person.weekly,
                        unpaid: person.unpaid,
                        flags,
                    },
                )?;
                if i == 0 {
                    let at = parse_date("2026-11-16")
                        .unwrap()
                        .and_hms_opt(10, 30, 0)
                        .unwrap();
                    let action = w.append_action(&NewAction {
                        tenancy_id: t,
                        at,
                        kind: ActionKind::Call,
                        code: None,
                        officer: "tester",
                        summary: "Spoke to tenant",
                        ext_id: None,
                    })?;
                    w.append_note(&NewNote {
                        tenancy_id: t,
                        at,
                        officer: "tester",
                        body: "Tenant lost hours at work; will pay £50 on Friday.",
                        action_id: Some(action),
                        amends: None,
                    })?;
                }
            }
            Ok(())
        })
        .unwrap();
    store
}

/// A tenancy to add to a fixture: its people (first, last, phone), weekly rent in pounds, how
/// many of the last twelve weeks went unpaid, and its flags.
pub struct Tenancy<'a> {
    pub reference: &'a str,
    pub people: &'a [(&'a str, &'a str, &'a str)],
    pub address: &'a str,
    pub postcode: &'a str,
    pub weekly: i64,
    pub unpaid: i64,
    pub flags: Flags,
}

/// Adds a secure tenancy from 2019 with twelve Mondays of rent up to [`TODAY`], paid on the
/// Wednesday except for the last `unpaid` weeks; returns its id.
pub fn add_tenancy(w: &mut Writer<'_>, t: &Tenancy<'_>) -> caseload::store::Result<i64> {
    let d = |s: &str| parse_date(s).unwrap();
    let id = w.add_tenancy(&TenancyDetails {
        reference: t.reference.into(),
        address: t.address.into(),
        postcode: t.postcode.into(),
        tenure: Tenure::Secure,
        start: d("2019-04-01"),
        end: None,
        patch: "Riverside".into(),
        officer: "tester".into(),
        weekly_charge: Money::pounds(t.weekly),
        flags: t.flags.clone(),
    })?;
    for (first, last, phone) in t.people {
        w.add_tenant(
            id,
            &NewTenant {
                tenant: Tenant {
                    title: String::new(),
                    first_name: (*first).into(),
                    last_name: (*last).into(),
                    phone: (!phone.is_empty()).then(|| (*phone).into()),
                    ..Tenant::default()
                },
                date_of_birth: None,
                contact_preference: None,
            },
        )?;
    }
    let account = w.account(id, DebtType::Rent)?;
    for week in 0..12 {
        let monday = d("2026-09-07") + chrono::Days::new(week * 7);
        w.append_entry(&NewEntry {
            account_id: account,
            date: monday,
            kind: EntryKind::Charge,
            method: None,
            amount: Money::pounds(t.weekly),
            description: None,
            reverses: None,
            ext_id: None,
        })?;
        if i64::try_from(week).unwrap() < 12 - t.unpaid {
            w.append_entry(&NewEntry {
                account_id: account,
                date: monday + chrono::Days::new(2),
                kind: EntryKind::Payment,
                method: Some(PaymentMethod::Card),
                amount: -Money::pounds(t.weekly),
                description: None,
                reverses: None,
                ext_id: None,
            })?;
        }
    }
    Ok(id)
}

thread_local! {
    /// The running test's databases are on the PostgreSQL server (see [`on_each_engine`]).
    static ON_SERVER: Cell<bool> = const { Cell::new(false) };
    /// The databases the running test made on the server, by the path its file would have had.
    static DATABASES: RefCell<Vec<(PathBuf, Scratch)>> = const { RefCell::new(Vec::new()) };
}

/// The officers' logins on a team's database: the officer the fixture's records name, and two
/// more for tests of officers working side by side.
pub const LOGINS: [&str; 3] = ["tester", "alice", "bob"];

/// Runs `test` (written once: its keys, and its assertions on what is saved and shown) with its
/// databases in SQLite files, then again with each one a PostgreSQL database on the server
/// `CASELOAD_TEST_PG` names, made from the same caseload, and the workstation logged in there as
/// the officer "tester" (skipped, and said so, without a server; see `pg::scratch`).
pub fn on_each_engine(test: impl Fn()) {
    test();
    let label = test_name();
    if Scratch::available(&label) {
        /// Puts the thread back on files, and drops the test's databases, however the test ends.
        struct Back;
        impl Drop for Back {
            fn drop(&mut self) {
                ON_SERVER.set(false);
                DATABASES.take();
            }
        }
        let _back = Back;
        eprintln!("{label}: again on PostgreSQL");
        ON_SERVER.set(true);
        test();
    }
}

/// Whether the running test's databases are on the server (see [`on_each_engine`]).
pub fn on_server() -> bool {
    ON_SERVER.get()
}

/// The running test's name, short enough to name a database.
fn test_name() -> String {
    let name = std::thread::current().name().unwrap_or("test").to_string();
    let name = name.rsplit("::").next().unwrap_or_default();
    name.chars().take(24).collect()
}

/// On the server, a new database for the file `path` would be: a copy of the template `kind`, made
/// once by moving in the file `make` builds.
pub fn moved_in(path: &Path, kind: &str, make: fn(&Path) -> Store) {
    let db = Scratch::from_template(&test_name(), kind, |url| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("caseload.db");
        drop(make(&file));
        caseload::store::pg::move_in(&file, url).unwrap();
        // The officer's login, for every test of the cluster (a role is the cluster's, not a
        // database's); another test program may be making it at the same moment.
        let mut admin = caseload::store::pg::connect(url).unwrap();
        for login in LOGINS {
            admin
                .batch_execute(&format!(
                    "DO $$ BEGIN CREATE ROLE {login} LOGIN IN ROLE caseload_officer;
                     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
                ))
                .unwrap();
        }
    })
    .expect("a server to test on");
    DATABASES.with_borrow_mut(|d| d.push((path.to_path_buf(), db)));
}

/// The URL of the running test's database on the server for the file `path`, for `user` (the
/// server's own user for `None`).
fn url_of(path: &Path, user: Option<&str>) -> String {
    DATABASES.with_borrow(|d| {
        let (_, db) = d
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no database on the server for {}", path.display()));
        user.map_or_else(|| db.url(), |u| db.url_as(u))
    })
}

/// The URL of the running test's database on the server for the file `path`, for the server's
/// own user.
pub fn server_url(path: &Path) -> String {
    url_of(path, None)
}

/// The database at `path` opened with all rights, as `Store::open` opens a file: the file, or its
/// database on the server as the server's own user.
pub fn open(path: &Path) -> Store {
    if on_server() {
        Store::open_server(&url_of(path, None)).unwrap()
    } else {
        Store::open(path).unwrap()
    }
}

/// The database at `path` as the workstation of the officer "tester" opens it.
pub fn open_as_officer(path: &Path) -> Store {
    open_as(path, LOGINS[0])
}

/// The database at `path` as the workstation of `officer` (one of [`LOGINS`]) opens it: the
/// file, or its database on the server logged in as the officer.
pub fn open_as(path: &Path, officer: &str) -> Store {
    if on_server() {
        Store::open_server(&url_of(path, Some(officer))).unwrap()
    } else {
        Store::open(path).unwrap()
    }
}

/// What is saved in the database at `path`, read with SQL on either engine.
pub fn saved(path: &Path) -> Saved {
    Saved(open(path))
}

/// A database read as `sqlite3` reads a file (on the server, its columns in the form a file holds
/// them), for tests that look at what was saved.
pub struct Saved(pub Store);

/// A row [`Saved`] read: its columns by position.
pub struct SavedRow(Vec<rusqlite::types::Value>);

impl SavedRow {
    pub fn get<T: rusqlite::types::FromSql>(&self, i: usize) -> rusqlite::Result<T> {
        let value = self
            .0
            .get(i)
            .ok_or(rusqlite::Error::InvalidColumnIndex(i))?;
        T::column_result(value.into())
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), e.into()))
    }
}

impl Saved {
    /// Each row of `sql`, mapped.
    pub fn rows<T>(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        map: impl FnMut(&SavedRow) -> rusqlite::Result<T>,
    ) -> caseload::store::Result<Vec<T>> {
        let mut map = map;
        self.0
            .rows(sql, params)?
            .into_iter()
            .map(|row| map(&SavedRow(row)).map_err(Into::into))
            .collect()
    }

    /// The first row of `sql`, mapped: there must be one.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        map: impl FnMut(&SavedRow) -> rusqlite::Result<T>,
    ) -> caseload::store::Result<T> {
        self.rows(sql, params, map)?
            .into_iter()
            .next()
            .ok_or(rusqlite::Error::QueryReturnedNoRows.into())
    }

    /// Runs a statement (one that may be refused).
    pub fn execute(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> caseload::store::Result<()> {
        self.0.rows(sql, params).map(drop)
    }
}

/// A session on `path` as the officer "tester", on `today`, at 160×48.
pub fn session_on(path: &Path, today: NaiveDate) -> Session {
    let store = open_as_officer(path);
    let config = Config::default_config();
    let mut settings = settings(path.to_path_buf());
    settings.today = today;
    let mut session = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    session
}

/// The reference of the row selected in the queue ("" when none is).
pub fn selected(s: &Session) -> String {
    s.state
        .queue
        .selected()
        .map(|i| i.reference().to_string())
        .unwrap_or_default()
}

pub fn settings(db: PathBuf) -> Settings {
    settings_of("tester", db)
}

/// The officer "tester" as letters name them.
pub const TESTER: &str = r#"
[letters.officers.tester]
name = "Terry Tester"
title = "Income Officer"
phone = "01632 960 199"
email = "terry.tester@kingsmere-homes.example.org"
"#;

/// The defaults with the demo's landlord and the officer "tester", so letters can be made.
pub fn config() -> Config {
    Config::parse_over(TESTER, Path::new("fixture.toml"), &[caseload::config::DEMO]).unwrap()
}

/// Settings for this officer; drafts the database cannot take go to `state/` beside it.
pub fn settings_of(officer: &str, db: PathBuf) -> Settings {
    let config = config();
    let mut settings = Settings::new(
        &config,
        today(),
        officer,
        db.clone(),
        PathBuf::from("/nonexistent/config.toml"),
    );
    settings.state_dir = db.with_file_name("state");
    settings
}

/// A session on a fresh fixture, at 160×48.
pub fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let store = if on_server() {
        moved_in(&path, "fixture", build_file);
        open_as_officer(&path)
    } else {
        build(&path)
    };
    let config = config();
    let mut session = Session::new(store, Keymap::new(&config.keys), settings(path)).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    (dir, session)
}

/// The screen as text, drawn at `width`×`height` without colour.
pub fn screen(session: &mut Session, width: u16, height: u16) -> String {
    session.dispatch(Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ui::draw(f, &session.state, session.keymap(), &Theme::plain()))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            let line: String = (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            line.trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The example extract shipped in `assets/examples/riverside`.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/riverside")
}

/// The example extract in a temporary folder, with `edit` applied to each file's text.
pub fn edited(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.path().join(&name), edit(&name, body)).unwrap();
    }
    dir
}

/// A temporary folder for a database and a config, and the built binary run against them.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    /// A folder with the documented default config in it (a config named on the command line
    /// must exist) and no database yet.
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        Config::load(&dir.path().join("config.toml")).unwrap();
        Env { dir }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("caseload.db")
    }

    /// Runs `caseload` on this database as the officer "tester" on [`TODAY`].
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        self.run_on(TODAY, args)
    }

    /// Runs `caseload` on this database as the officer "tester" on `today`.
    pub fn run_on(&self, today: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
            .arg("--db")
            .arg(self.db())
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .args(["--today", today, "--officer", "tester"])
            .args(args)
            .output()
            .unwrap()
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The fixture and ten more tenancies in arrears, so a queue has more accounts than a short
/// screen can show; the deepest in arrears (first in the queue) is vulnerable and needs an
/// interpreter.
pub fn busy_session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let store = if on_server() {
        moved_in(&path, "busy", build_busy);
        open_as_officer(&path)
    } else {
        build_busy(&path)
    };
    let config = config();
    let mut session = Session::new(store, Keymap::new(&config.keys), settings(path)).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    (dir, session)
}

/// The busy fixture in a new file at `path`.
fn build_busy(path: &Path) -> Store {
    let mut store = build_file(path);
    store
        .write("tester", "fixture", |w| {
            for i in 0..10_i64 {
                let first = i == 0;
                add_tenancy(
                    w,
                    &Tenancy {
                        reference: &format!("2000{:02}/1", i + 1),
                        people: &[("Sam", if first { "Quartermaine" } else { "Carter" }, "")],
                        address: &format!("{} Weir Road, Kingsmere", i + 1),
                        postcode: "KM2 1AB",
                        weekly: 100,
                        unpaid: 12 - i.min(9),
                        flags: Flags {
                            vulnerable: first,
                            interpreter: first,
                            ..Flags::default()
                        },
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    store
}

/// The demo of 40 tenancies with a year of history, made by the command line in `dir` (the
/// caseload the team-database tests move in).
pub fn small_demo(dir: &Path) -> PathBuf {
    let file = dir.join("demo.db");
    let demo = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args([
            "demo",
            "--accounts",
            "40",
            "--years",
            "1",
            "--today",
            "2026-11-23",
        ])
        .arg("--out")
        .arg(&file)
        .output()
        .unwrap();
    assert!(demo.status.success(), "{demo:?}");
    file
}

/// The clock's tick at `time` (hh:mm:ss), as the event loop sends it.
pub fn tick(s: &mut Session, time: &str) {
    let time = chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap();
    s.dispatch(Action::Tick(time));
}

/// The texts of the drafts kept on the officer's own machine, beside the database at `path`
/// (as [`settings_of`] places them), because the database could not take them.
pub fn fallback_files(path: &Path) -> Vec<String> {
    let dir = path.with_file_name("state").join("drafts");
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

/// Weekly terms from `start`: `instalment` a week against `starting_balance`, no lump sum.
pub fn weekly(
    kind: PlanKind,
    start: NaiveDate,
    instalment: Money,
    starting_balance: Money,
) -> PlanTerms {
    PlanTerms {
        kind,
        frequency: Frequency::Weekly,
        start,
        instalment,
        lump_sum: Money::ZERO,
        lump_date: None,
        starting_balance,
        method: None,
    }
}

/// A plan on `tenancy`'s rent account, as `officer` agreed it at `at` for `reason`.
pub fn add_plan(
    w: &mut Writer,
    tenancy: i64,
    terms: PlanTerms,
    reason: &str,
    at: NaiveDateTime,
    officer: &str,
) -> caseload::store::Result<i64> {
    let account = w.account(tenancy, DebtType::Rent)?;
    w.add_plan(&NewPlan {
        tenancy_id: tenancy,
        account_id: account,
        terms,
        replaces: None,
        reason,
        at,
        officer,
        ext_id: None,
    })
}
