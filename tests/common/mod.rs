//! A small, exactly known caseload on a real SQLite file in a temporary directory.
#![allow(dead_code)]

use caseload::app::Session;
use caseload::app::keymap::Keymap;
use caseload::app::state::Settings;
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::{DebtType, Flags, Tenant, Tenure};
use caseload::store::{NewAction, NewEntry, NewNote, NewTenancy, NewTenant, Store};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

pub const TODAY: &str = "2026-11-23";

pub fn today() -> NaiveDate {
    parse_date(TODAY).unwrap()
}

/// (reference, tenants, weekly charge £, weeks unpaid of the last 12, flags)
const PEOPLE: &[(&str, &[(&str, &str, &str)], i64, i64, &str)] = &[
    ("100001/1", &[("Ada", "Smith", "07700 900001")], 100, 6, ""),
    (
        "100002/1",
        &[("Ben", "Jones", "07700 900002"), ("Cara", "Jones", "")],
        120,
        2,
        "uc",
    ),
    (
        "100003/1",
        &[("Dev", "Patel", "07700 900003")],
        90,
        0,
        "vulnerable",
    ),
    (
        "100004/1",
        &[("Erin", "Smithson", "07700 900004")],
        110,
        9,
        "",
    ),
    (
        "100005/1",
        &[("Femi", "Okafor", "07700 900005")],
        95,
        1,
        "hb",
    ),
];

pub fn build(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    let d = |s: &str| parse_date(s).unwrap();
    store
        .write("tester", "fixture", |w| {
            for (i, (reference, people, weekly, unpaid, flag)) in PEOPLE.iter().enumerate() {
                let t = w.add_tenancy(&NewTenancy {
                    reference: (*reference).into(),
                    address: format!("{} Mill Lane, Kingsmere", i + 1),
                    postcode: format!("KM1 {}AB", i + 1),
                    tenure: Tenure::Secure,
                    start: d("2019-04-01"),
                    end: None,
                    patch: "Riverside".into(),
                    officer: "tester".into(),
                    weekly_charge: Money::pounds(*weekly),
                    flags: Flags {
                        universal_credit: *flag == "uc",
                        housing_benefit: *flag == "hb",
                        vulnerable: *flag == "vulnerable",
                        vulnerability: (*flag == "vulnerable").then(|| "mental health".into()),
                        ..Flags::default()
                    },
                })?;
                for (first, last, phone) in people.iter() {
                    w.add_tenant(
                        t,
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
                let account = w.account(t, DebtType::Rent)?;
                // Twelve Mondays of rent up to today, paid except for the last `unpaid` weeks.
                for week in 0..12 {
                    let monday = d("2026-09-07") + chrono::Days::new(week * 7);
                    w.append_entry(&NewEntry {
                        account_id: account,
                        date: monday,
                        kind: EntryKind::Charge,
                        method: None,
                        amount: Money::pounds(*weekly),
                        description: None,
                        reverses: None,
                        ext_id: None,
                    })?;
                    if i64::try_from(week).unwrap() < 12 - unpaid {
                        w.append_entry(&NewEntry {
                            account_id: account,
                            date: monday + chrono::Days::new(2),
                            kind: EntryKind::Payment,
                            method: Some(PaymentMethod::Card),
                            amount: -Money::pounds(*weekly),
                            description: None,
                            reverses: None,
                            ext_id: None,
                        })?;
                    }
                }
                if i == 0 {
                    let at = d("2026-11-16").and_hms_opt(10, 30, 0).unwrap();
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

pub fn settings(db: PathBuf) -> Settings {
    Settings {
        today: today(),
        officer: "tester".into(),
        db_path: db,
        config_path: PathBuf::from("/nonexistent/config.toml"),
        history_window: 200,
        grace: true,
    }
}

/// A session on a fresh fixture, at 160×48.
pub fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let store = build(&path);
    let config = Config::default_config();
    let mut session = Session::new(store, Keymap::new(&config.keys), settings(path)).unwrap();
    session.dispatch(caseload::app::Action::Resize(160, 48));
    (dir, session)
}
