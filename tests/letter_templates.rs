//! Every shipped template rendered for one fixed case, as a snapshot: joint tenants (one with a
//! title and a correspondence address of his own), an informal plan, a notice served and a
//! promise to pay, on a real SQLite file. A change to a template, to the fields or to the rent
//! statement inside each letter shows here as a reviewed diff.

mod common;

use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::EntryKind;
use caseload::domain::letter::LetterKind;
use caseload::domain::plan::{Frequency, PlanKind, PlanTerms};
use caseload::domain::promise::Promise;
use caseload::domain::record::Record;
use caseload::domain::recovery::{Notice, NoticeKind, ServedHow};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use caseload::letters::{self, Letters, Producing};
use caseload::store::{By, NewEntry, NewPlan, NewTenant, Store};
use chrono::NaiveDate;
use std::path::Path;

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn person(title: &str, first: &str, last: &str, phone: &str, elsewhere: Option<&str>) -> NewTenant {
    NewTenant {
        tenant: Tenant {
            title: title.into(),
            first_name: first.into(),
            last_name: last.into(),
            phone: Some(phone.into()),
            correspondence_address: elsewhere.map(Into::into),
            ..Tenant::default()
        },
        date_of_birth: None,
        contact_preference: None,
    }
}

/// 300001/1: Mrs Ada Morgan and Mr Bryn Morgan (who lives elsewhere), £115 a week, £600
/// brought forward on 5 October and six weeks unpaid; a NOSP served 19 October; an informal plan
/// of £25 a week from 16 November; £40 promised for 27 November. 300002/1: Carys Evans, whose
/// tenancy ended on 2 November owing £350.
fn case(path: &Path) -> (i64, i64) {
    let mut store = Store::open(path).unwrap();
    let codes = common::config().codes;
    let by = By {
        officer: "tester",
        at: day("2026-10-19").and_hms_opt(10, 0, 0).unwrap(),
        codes: &codes,
    };
    store
        .write("tester", "fixture", |w| {
            let details = |reference: &str, end: Option<NaiveDate>| TenancyDetails {
                reference: reference.into(),
                address: "14 Chapel Row, Kingsmere".into(),
                postcode: "KM2 4CD".into(),
                tenure: Tenure::Secure,
                start: day("2018-06-04"),
                end,
                patch: "Riverside".into(),
                officer: "tester".into(),
                weekly_charge: Money::pounds(115),
                flags: Flags::default(),
            };
            let morgan = w.add_tenancy(&details("300001/1", None))?;
            w.add_tenant(
                morgan,
                &person("Mrs", "Ada", "Morgan", "07700 900301", None),
            )?;
            w.add_tenant(
                morgan,
                &person(
                    "Mr",
                    "Bryn",
                    "Morgan",
                    "01632 960 555",
                    Some("Flat 2, 9 Quay Street, Kingsmere, KM3 1EF"),
                ),
            )?;
            let rent = w.account(morgan, DebtType::Rent)?;
            let entry = |date: NaiveDate, kind, pounds: i64, description| NewEntry {
                account_id: rent,
                date,
                kind,
                method: None,
                amount: Money::pounds(pounds),
                description,
                reverses: None,
                ext_id: None,
            };
            w.append_entry(&entry(
                day("2026-10-05"),
                EntryKind::Adjustment,
                600,
                Some("Arrears brought forward"),
            ))?;
            for week in 0..8 {
                let monday = day("2026-10-05") + chrono::Days::new(week * 7);
                w.append_entry(&entry(monday, EntryKind::Charge, 115, None))?;
                if week < 2 {
                    w.append_entry(&entry(
                        monday + chrono::Days::new(3),
                        EntryKind::Payment,
                        -115,
                        None,
                    ))?;
                }
            }
            w.record(
                &Record::Notice {
                    tenancy_id: morgan,
                    notice: Notice {
                        kind: NoticeKind::Nosp,
                        served_on: day("2026-10-19"),
                        served_how: Some(ServedHow::ByHand),
                        grounds: "Ground 1".into(),
                        amount: Some(Money::pounds(1060)),
                    },
                },
                &by,
            )?;
            w.add_plan(&NewPlan {
                tenancy_id: morgan,
                account_id: rent,
                terms: PlanTerms {
                    kind: PlanKind::Informal,
                    frequency: Frequency::Weekly,
                    start: day("2026-11-16"),
                    instalment: Money::pounds(25),
                    lump_sum: Money::ZERO,
                    lump_date: None,
                    starting_balance: Money::pounds(1290),
                    method: None,
                },
                replaces: None,
                reason: "agreed on the phone",
                at: day("2026-11-13").and_hms_opt(14, 0, 0).unwrap(),
                officer: "tester",
                ext_id: None,
            })?;
            w.add_promises(
                morgan,
                None,
                &[Promise {
                    amount: Money::pounds(40),
                    due: day("2026-11-27"),
                    cumulative: Money::pounds(40),
                    made: day("2026-11-20"),
                }],
                "tester",
            )?;
            let evans = w.add_tenancy(&details("300002/1", Some(day("2026-11-02"))))?;
            w.add_tenant(
                evans,
                &person(
                    "Ms",
                    "Carys",
                    "Evans",
                    "07700 900302",
                    Some("3 Bridge End, Abermor, AB1 2CD"),
                ),
            )?;
            let arrears = w.account(evans, DebtType::FormerTenant)?;
            w.append_entry(&NewEntry {
                account_id: arrears,
                ..entry(
                    day("2026-11-02"),
                    EntryKind::Adjustment,
                    350,
                    Some("Arrears at the end of the tenancy"),
                )
            })?;
            Ok((morgan, evans))
        })
        .unwrap()
}

/// The case on a real file, and what letters are made with.
struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    letters: Letters,
    morgan: i64,
    evans: i64,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("caseload.db");
        let (morgan, evans) = case(&db);
        Fixture {
            store: Store::open(&db).unwrap(),
            letters: Letters::new(&common::config(), &dir.path().join("none/config.toml")),
            _dir: dir,
            morgan,
            evans,
        }
    }

    fn prepare(&self, tenancy: i64, kind: LetterKind) -> letters::Prepared {
        let by = Producing {
            today: common::today(),
            officer: "tester",
        };
        letters::prepare(&self.store, &self.letters, tenancy, kind, by)
            .unwrap()
            .unwrap_or_else(|f| panic!("{kind:?}: {}", f.reason))
    }
}

#[test]
fn each_shipped_template_for_a_joint_tenancy_with_a_plan_and_a_notice() {
    let f = Fixture::new();
    for kind in LetterKind::ALL.iter().copied() {
        let tenancy = if kind == LetterKind::FormerTenant {
            f.evans
        } else {
            f.morgan
        };
        let prepared = f.prepare(tenancy, kind);
        let to: Vec<&str> = prepared.made.iter().map(|m| m.recipient.as_str()).collect();
        let expected: &[&str] = match kind {
            LetterKind::FormerTenant => &["Ms Carys Evans"],
            // A text goes only to a mobile number.
            LetterKind::Sms => &["Mrs Ada Morgan"],
            _ => &["Mrs Ada Morgan", "Mr Bryn Morgan"],
        };
        assert_eq!(to, expected, "{kind:?}");
        // The joint tenant's letter is the same letter, addressed to him where he lives.
        if let [ada, bryn] = prepared.made.as_slice() {
            assert!(bryn.text.contains("Flat 2"), "{}", bryn.text);
            assert!(bryn.text.contains("Dear Mr Morgan,"), "{}", bryn.text);
            assert!(!ada.text.contains("Flat 2"), "{}", ada.text);
        }
        insta::assert_snapshot!(kind.as_str(), prepared.made[0].text);
    }
}

#[test]
fn letter_1_as_printed_html() {
    let f = Fixture::new();
    let prepared = f.prepare(f.morgan, LetterKind::Letter1);
    insta::assert_snapshot!(prepared.made[0].html);
}
