//! A small, exactly known caseload on a real SQLite file in a temporary directory.
#![allow(dead_code)]

use caseload::app::keymap::Keymap;
use caseload::app::state::Settings;
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use caseload::store::{NewAction, NewEntry, NewNote, NewTenant, Store, Writer};
use caseload::ui::{self, Theme};
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
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

pub fn build(path: &Path) -> Store {
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

/// A session on `path` as the officer "tester", on `today`, at 160×48.
pub fn session_on(path: &Path, today: NaiveDate) -> Session {
    let store = Store::open(path).unwrap();
    let config = Config::default_config();
    let mut settings = settings(path.to_path_buf());
    settings.today = today;
    let mut session = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    session
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
    let store = build(&path);
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
    let mut store = build(&path);
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
    let config = config();
    let mut session = Session::new(store, Keymap::new(&config.keys), settings(path)).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    (dir, session)
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
