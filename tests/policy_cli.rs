//! `caseload policy test`: the shipped fixtures pass, a wrong expectation fails with exit 1, bad
//! input exits 2, and a changed threshold in the config changes the answer; and `caseload
//! account` follows a case up the ladder from one day to another.

mod common;

use caseload::domain::actions::ActionKind;
use caseload::domain::recovery::{Notice, NoticeKind};
use caseload::store::{NewAction, Origin};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

fn run(dir: &Path, config: &str, fixture: &str) -> Output {
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let fixture_path = dir.join("cases.json");
    std::fs::write(&fixture_path, fixture).unwrap();
    Command::new(BIN)
        .args(["policy", "test"])
        .arg(&fixture_path)
        .arg("--config")
        .arg(&config_path)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const LETTER_1: &str = r#"[{"id": "owes £15", "today": "2026-11-23", "weekly_charge": 100,
    "balance": 115, "collectable_arrears": 15, "paid_this_week": 100, "expect": "send_letter_1"}]"#;

#[test]
fn the_shipped_fixtures_all_pass() {
    let fixtures = std::fs::read_to_string("assets/policy/fixtures.json").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), "", &fixtures);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("68 cases, 68 with expectations: 68 passed, 0 failed"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_failed_expectation_exits_1_and_says_what_came_instead() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = LETTER_1.replace("send_letter_1", "serve_notice");
    let out = run(dir.path(), "", &wrong);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("owes £15: send_letter_1 (rule 4)"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("[FAIL, expected serve_notice]"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_changed_threshold_changes_the_recommendation() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(dir.path(), "", LETTER_1).status.code(), Some(0));
    let out = run(dir.path(), "[policy]\nletter_from = \"20.00\"\n", LETTER_1);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("owes £15: no_action"),
        "{}",
        stdout(&out)
    );
    // Taking letter 1 out of the rules leaves the SMS.
    let config = "[policy]\nsms_below = \"20.00\"\nrules = [\"send_sms\"]\n";
    let out = run(
        dir.path(),
        config,
        &LETTER_1.replace("send_letter_1", "send_sms"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("", "[{\"id\": 1", "cases.json: line"),
        (
            "",
            &LETTER_1.replace("\"balance\": 115", "\"balance\": \"12.345\""),
            "more than two decimal places",
        ),
        (
            "[policy]\nrules = [\"send_letter_3\"]\n",
            LETTER_1,
            "line 2, key `policy.rules`",
        ),
        (
            "[policy]\nnotice_wait = \"28 sleeps\"\n",
            LETTER_1,
            "key `policy.notice_wait`",
        ),
    ];
    for (config, fixture, message) in cases {
        let out = run(dir.path(), config, fixture);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(message), "{message} not in {err}");
    }
}

#[test]
fn after_a_court_date_is_applied_for_the_account_awaits_a_hearing_then_the_court_is_chased() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    let mut store = common::build(&db);
    let erin = store.tenancy_by_ref("100004/1").unwrap().unwrap();
    let d = |s: &str| caseload::domain::dates::parse_date(s).unwrap();
    store
        .write("tester", "test", |w| {
            w.serve_notice(
                &Notice {
                    kind: NoticeKind::Nosp,
                    served_on: d("2026-09-07"),
                    served_how: None,
                    grounds: "10".into(),
                    amount: None,
                },
                &Origin {
                    tenancy_id: erin,
                    officer: "tester",
                    action: None,
                    ext_id: None,
                },
            )?;
            for (kind, on, summary) in [
                (
                    ActionKind::CourtWarningLetter,
                    "2026-10-12",
                    "Court warning letter sent",
                ),
                (
                    ActionKind::CourtDateApplied,
                    "2026-11-23",
                    "Court date applied for",
                ),
            ] {
                w.append_action(&NewAction {
                    tenancy_id: erin,
                    at: d(on).and_hms_opt(11, 0, 0).unwrap(),
                    kind,
                    code: None,
                    officer: "tester",
                    summary,
                    ext_id: None,
                })?;
            }
            Ok(())
        })
        .unwrap();
    drop(store);
    caseload::config::Config::load(&dir.path().join("config.toml")).unwrap();
    let account = |today: &str| {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&db)
            .arg("--config")
            .arg(dir.path().join("config.toml"))
            .args(["--today", today, "account", "100004/1"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
    };
    let now = account("2026-11-23");
    assert!(
        now.contains("Next: No action · rule 0 · stage Claim (held: awaiting a hearing date)"),
        "{now}"
    );
    assert!(
        now.contains(
            "Court date applied for on 23/11/2026: awaiting a hearing date; chase the court from 19/01/2027."
        ),
        "{now}"
    );
    let day_before = account("2027-01-18");
    assert!(
        day_before.contains("(held: awaiting a hearing date)"),
        "{day_before}"
    );
    // A claim applied for at 11:00 is more than 8 weeks old from the day after.
    let later = account("2027-01-19");
    assert!(
        later.contains("Next: Chase the court · rule 16 · stage Claim"),
        "{later}"
    );
    assert!(
        later.contains(
            "Court date applied for on 23/11/2026 and no hearing date after 8 weeks: chase the court."
        ),
        "{later}"
    );
}
