//! `caseload calc plan` and `caseload calc dd` run as a user would: DOMAIN.md's examples come
//! out exactly, `--json` is JSON, and bad arguments exit with code 2 and a reason.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

/// Runs `caseload` with the config in `config_dir`, the documented default unless the test
/// wrote its own there first.
fn run(config_dir: &Path, args: &[&str]) -> Output {
    let config = config_dir.join("config.toml");
    caseload::config::Config::load(&config).unwrap();
    Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

const PLAN: &[&str] = &[
    "calc",
    "plan",
    "--arrears",
    "1000",
    "--frequency",
    "weekly",
    "--start",
    "2026-11-27",
];

fn plan(extra: &[&str]) -> Vec<String> {
    [PLAN, extra]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn plan_from_an_instalment_prints_the_end_date_and_schedule() {
    let text = ok(&strs(&plan(&["--instalment", "15"])));
    assert!(
        text.contains("End date:     03/03/2028 (last instalment)"),
        "{text}"
    );
    assert!(text.contains("Instalments:  67, the last £10.00"), "{text}");
    assert!(
        text.contains("Fri 27/11/2026         £15.00      £985.00"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("Fri 03/03/2028         £10.00        £0.00"),
        "{text}"
    );
}

#[test]
fn plan_from_an_end_date_solves_the_instalment_and_takes_a_lump_sum() {
    let text = ok(&strs(&plan(&[
        "--end-date",
        "2028-01-14",
        "--lump-sum",
        "100",
        "--lump-date",
        "2026-11-20",
    ])));
    assert!(text.contains("Instalment:   £15.00"), "{text}");
    assert!(text.contains("Instalments:  60, the last £15.00"), "{text}");
    assert!(
        text.contains("Fri 20/11/2026        £100.00      £900.00  lump sum"),
        "{text}"
    );
}

#[test]
fn plan_as_json() {
    let text = ok(&strs(&plan(&["--instalment", "15", "--json"])));
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["end_date"], "2028-03-03");
    assert_eq!(v["instalments"], 67);
    assert_eq!(v["last_instalment"], "10.00");
    assert_eq!(v["schedule"].as_array().unwrap().len(), 67);
    assert_eq!(v["schedule"][66]["balance_after"], "0.00");
}

const DD: &[&str] = &[
    "--today",
    "2026-08-28",
    "calc",
    "dd",
    "--weekly-rent",
    "100",
    "--weekly-hb",
    "50",
    "--collection-days",
    "8",
];

#[test]
fn dd_reproduces_the_worked_examples() {
    let arrears = ok(&[DD, &["--balance", "222"]].concat());
    for line in [
        "Weeks left:        32 (this week included), 32 payable",
        "To collect:        £1,822.00 = £50.00 × 32 + £222.00",
        "a new amount may be collected from 14/09/2026",
        "Collections left:  6, from 08/10/2026 to 08/03/2027",
        "Instalment:        £303.67 (the last £303.65)",
        "Sun 08/11/2026     £303.67  Sunday: collected the next working day",
    ] {
        assert!(arrears.contains(line), "{line}\n{arrears}");
    }
    let credit = ok(&[DD, &["--balance", "-111"]].concat());
    assert!(
        credit.contains("Instalment:        £248.17 (the last £248.15)"),
        "{credit}"
    );
}

#[test]
fn dd_in_a_53_week_year_shows_the_universal_credit_shortfall() {
    let text = ok(&[
        "--today",
        "2024-04-01",
        "calc",
        "dd",
        "--weekly-rent",
        "100",
        "--balance",
        "0",
        "--collection-days",
        "1",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["weeks_in_year"], 53);
    assert_eq!(v["collections_left"], 12);
    assert_eq!(v["instalment"], "441.67");
    assert_eq!(v["equivalents"]["monthly"], "441.67");
    assert_eq!(v["universal_credit"]["housing_costs_monthly"], "433.34");
    assert_eq!(v["universal_credit"]["shortfall_monthly"], "8.33");
    assert_eq!(
        v["collections"][8]["day_off"],
        "bank holiday: New Year's Day"
    );
}

#[test]
fn dd_rent_free_weeks_and_config_collection_days() {
    let text = ok(&[
        "--today",
        "2026-08-28",
        "calc",
        "dd",
        "--weekly-rent",
        "150",
        "--balance",
        "0",
        "--rent-free-weeks",
        "3",
    ]);
    // The config's days (1, 8, 15, 22, 28): the 15th is the first after the notice.
    assert!(
        text.contains("Collection day:    the 15th of the month"),
        "{text}"
    );
    assert!(text.contains("£612.50 a month"), "{text}");
    // Universal Credit counts only the payments due in the year: £150 × 49 ÷ 12, not × 52
    // (Universal Credit Regulations 2013, Schedule 4 para 7(3)).
    assert!(
        text.contains(
            "Universal Credit:  housing costs £612.50 a month (49 weeks ÷ 12: 52 less 3 rent-free)"
        ),
        "{text}"
    );
    assert!(!text.contains("£650.00"), "{text}");
}

#[test]
fn bad_arguments_exit_2_with_a_reason() {
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            plan(&["--instalment", "0"]),
            "an instalment of £0.00 never clears the debt",
        ),
        (
            plan(&["--instalment", "12.345"]),
            "more than two decimal places",
        ),
        (plan(&["--instalment", "ten"]), "is not an amount of money"),
        (
            plan(&["--instalment", "15", "--end-date", "2027-01-01"]),
            "cannot be used with",
        ),
        (plan(&[]), "--instalment"),
        (
            plan(&["--end-date", "2026-11-01"]),
            "before the first instalment on 27/11/2026",
        ),
        (
            plan(&["--instalment", "15", "--lump-sum", "100"]),
            "--lump-date",
        ),
        (
            plan(&["--instalment", "5", "--weekly-growth", "5"]),
            "never clears the debt: it grows by £5.00 a week",
        ),
    ];
    for (args, message) in cases {
        let err = refused(&strs(&args));
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let err = refused(&[&DD[..8], &["--balance", "222", "--collection-days", "31"]].concat());
    assert!(
        err.contains("collection day 31 is not between 1 and 28"),
        "{err}"
    );
    let err = refused(&[
        "calc",
        "dd",
        "--weekly-rent",
        "100",
        "--weekly-hb",
        "101",
        "--balance",
        "0",
    ]);
    assert!(err.contains("cannot be more than the rent"), "{err}");
    let err = refused(&[
        "calc",
        "plan",
        "--arrears",
        "1000",
        "--instalment",
        "15",
        "--frequency",
        "daily",
        "--start",
        "2026-11-27",
    ]);
    assert!(err.contains("`daily` is not a frequency"), "{err}");
}
