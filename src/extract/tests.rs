//! Import and export against a real database: the shipped example, every kind of bad row (each
//! must leave the database exactly as it was), idempotence, increments, updates and round trips.

use super::*;
use crate::config::Config;
use crate::domain::Money;
use crate::domain::codes::CodeMaps;
use crate::store::Store;
use crate::store::tests::{checksum, d, temp_store};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/riverside")
}

pub(crate) fn codes() -> CodeMaps {
    Config::default_config().codes
}

pub(crate) fn run(store: &mut Store, dir: &Path, dry_run: bool) -> Result<Summary, ImportError> {
    run_waiting(store, dir, dry_run, Duration::ZERO)
}

fn run_waiting(
    store: &mut Store,
    dir: &Path,
    dry_run: bool,
    wait: Duration,
) -> Result<Summary, ImportError> {
    let codes = codes();
    let options = ImportOptions {
        codes: &codes,
        officer: "tester",
        today: d("2026-11-23"),
        plan_tolerance_days: 5,
        dry_run,
        wait,
    };
    import(store, dir, &options, |_, _, _| {})
}

fn counts(summary: &Summary, file: &str) -> Counts {
    summary
        .files
        .iter()
        .find(|(f, _)| *f == file)
        .map(|(_, c)| *c)
        .unwrap_or_else(|| panic!("{file} not in {summary:?}"))
}

/// A copy of the example extract in a temporary folder, with `edit` applied to each file's text.
pub(crate) fn edited(edit: impl Fn(&str, String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.path().join(&name), edit(&name, text)).unwrap();
    }
    dir
}

#[test]
fn the_example_imports_cleanly_and_a_second_time_changes_nothing() {
    let (_dir, mut store) = temp_store();
    let first = run(&mut store, &example(), false).unwrap();
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    assert_eq!(counts(&first, "tenancies.csv").new, 6);
    assert_eq!(counts(&first, "transactions.csv").new, 300);
    assert_eq!(first.total().unchanged, 0);
    let before = checksum(&store);
    let again = run(&mut store, &example(), false).unwrap();
    assert_eq!(again.total().new, 0);
    assert_eq!(again.total().updated, 0);
    assert_eq!(again.total().unchanged, first.total().new);
    assert!(again.to_string().contains("0 new"), "{again}");
    assert_eq!(
        checksum(&store),
        before,
        "a repeated import wrote something"
    );
}

#[test]
fn export_then_import_into_a_fresh_database_gives_the_same_data() {
    let (_a, mut first) = temp_store();
    run(&mut first, &example(), false).unwrap();
    let out = tempfile::tempdir().unwrap();
    let once = out.path().join("once");
    export(&first, &once).unwrap();
    let (_b, mut second) = temp_store();
    let summary = run(&mut second, &once, false).unwrap();
    assert_eq!(summary.total().new, 337);
    let twice = out.path().join("twice");
    export(&second, &twice).unwrap();
    for spec in FILES {
        let read = |dir: &Path| std::fs::read_to_string(dir.join(spec.name)).unwrap();
        assert_eq!(read(&once), read(&twice), "{} differs", spec.name);
    }
    assert_eq!(
        first.tenancy_records().unwrap(),
        second.tenancy_records().unwrap()
    );
    // Exporting over an extract is refused rather than mixing two.
    assert!(matches!(
        export(&second, &twice),
        Err(ExportError::Exists(_))
    ));
}

#[test]
fn balances_follow_the_signs_the_file_gives() {
    let (_dir, mut store) = temp_store();
    run(&mut store, &example(), false).unwrap();
    let t = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    let record = store.tenancy_record(t).unwrap().unwrap();
    // Every week paid but this one, charged today; a duplicate card payment reversed; a recharge
    // of £245 with £20 paid.
    assert_eq!(record.rent().balance, Money::from_pence(11_240));
    assert_eq!(record.other_debts(), Money::pounds(225));
    assert_eq!(record.tenants.len(), 1);
}

#[test]
fn a_missing_tenancies_file_or_folder_is_unreadable() {
    let (_dir, mut store) = temp_store();
    let empty = tempfile::tempdir().unwrap();
    let err = run(&mut store, empty.path(), false).unwrap_err();
    assert!(
        matches!(&err, ImportError::Unreadable(m) if m.contains("tenancies.csv")),
        "{err}"
    );
    let err = run(&mut store, &empty.path().join("nope"), false).unwrap_err();
    assert!(matches!(err, ImportError::Unreadable(_)), "{err}");
}

/// Replaces the first `from` in `file` with `to`, leaving every other file as it is.
pub(crate) fn one_change(
    file: &'static str,
    from: &'static str,
    to: &'static str,
) -> tempfile::TempDir {
    edited(move |name, text| {
        if name == file {
            assert!(text.contains(from), "{from} not in {file}");
            text.replacen(from, to, 1)
        } else {
            text
        }
    })
}

/// The problems of an import that must be rejected, after checking that it wrote nothing.
pub(crate) fn rejected(store: &mut Store, dir: &Path) -> Vec<String> {
    let before = checksum(store);
    let err = run(store, dir, false).unwrap_err();
    assert_eq!(
        checksum(store),
        before,
        "a rejected import changed the database"
    );
    match err {
        ImportError::Rejected { problems, .. } => {
            assert_eq!(problems.total, problems.shown.len(), "{problems}");
            problems.shown.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected a rejection, got {other}"),
    }
}

#[test]
fn one_bad_row_of_each_kind_rejects_everything() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04,RNT,,112.40",
            "T500001,RA200101,2026-05-04,RNT,,12.345",
            "transactions.csv:2: amount: `12.345` has more than two decimal places",
        ),
        (
            "tenancies.csv",
            "200101/1,secure,2015-06-01",
            "200101/1,secure,31/02/2026",
            "tenancies.csv:2: start: `31/02/2026` is not a date",
        ),
        (
            "tenants.csv",
            "200106/1,1,Mrs",
            "999999/9,1,Mrs",
            "tenants.csv:8: tenancy: unknown tenancy `999999/9`",
        ),
        (
            "actions.csv",
            "A9002,",
            "A9001,",
            "actions.csv:3: id: id `A9001` appears twice (first on line 2)",
        ),
        (
            "transactions.csv",
            "kind,method,amount,",
            "kind,method,amt,",
            "transactions.csv:1: amount: required column missing from the header",
        ),
        (
            "transactions.csv",
            "T500002,RA200101,",
            "T500001,RA200101,",
            "transactions.csv:3: id: id `T500001` appears twice (first on line 2)",
        ),
        (
            "transactions.csv",
            "T500279,RA200101,2026-09-18,reversal,,112.40,Duplicate card payment reversed,T500278",
            "T500279,RA200101,2026-09-18,reversal,,112.40,Duplicate card payment reversed,T500280",
            "transactions.csv:278: reverses: reverses `T500280`, which is listed after it",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04,RNT,",
            "T500001,RA200101,2026-05-04,XYZ,",
            "transactions.csv:2: kind: `XYZ` is not a known transaction kind",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,",
            "T500001,RA999999,",
            "transactions.csv:2: account: unknown account `RA999999`",
        ),
        (
            "transactions.csv",
            "reversal,,112.40",
            "reversal,,112.00",
            "transactions.csv:278: reverses: reverses `T500278` of -£112.40, so its amount must be £112.40",
        ),
        (
            "court.csv",
            "C402,200104/1,outcome,2026-10-06,SPO",
            "C402,200104/1,outcome,2026-10-06,",
            "court.csv:3: outcome: an outcome row needs the outcome code",
        ),
        (
            "tenants.csv",
            "200103/2,2,",
            "200103/2,3,",
            "tenants.csv:5: position: tenant 3 of 200103/2 would follow tenant 1",
        ),
        (
            "accounts.csv",
            "GA200103,200103/2,garage",
            "GA200103,200103/2,rent",
            "accounts.csv:5: type: tenancy 200103/2 has two rent accounts",
        ),
        (
            "plans.csv",
            "weekly,2026-10-12,15.00",
            "weekly,2026-10-12,0",
            "plans.csv:2: instalment: an instalment of £0.00 never clears anything",
        ),
        (
            "pauses.csv",
            "2026-12-31,Support referral in progress",
            "2026-12-31,",
            "pauses.csv:2: reason: missing: a value is required",
        ),
    ];
    for (file, from, to, expected) in cases {
        let (_dir, mut store) = temp_store();
        let extract = one_change(file, from, to);
        let problems = rejected(&mut store, extract.path());
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{file}: {to} gave {problems:#?}"
        );
        assert_eq!(store.tenancy_count().unwrap(), 0);
    }
}

#[test]
fn a_step_dated_after_the_import_day_is_refused_but_a_hearing_or_eviction_to_come_is_taken() {
    // The import's day is 23/11/2026. What has not happened cannot have been done: a letter sent,
    // a notice served, a court's outcome, a warrant applied for or a pause recorded next year is
    // a keying mistake, and taken in it would move the ladder's clocks.
    let refused: &[(&str, &str, &str, &str)] = &[
        (
            "actions.csv",
            "A9005,200105/1,SMS,2026-10-14",
            "A9005,200105/1,SMS,2027-10-14",
            "actions.csv:6: at: 14/10/2027 is after the day of the import, 23/11/2026",
        ),
        (
            "notices.csv",
            "nosp,2026-08-03",
            "nosp,2027-08-03",
            "notices.csv:2: served_on: 03/08/2027 is after the day of the import, 23/11/2026",
        ),
        (
            "court.csv",
            "C402,200104/1,outcome,2026-10-06",
            "C402,200104/1,outcome,2027-10-06",
            "court.csv:3: date: 06/10/2027 is after the day of the import, 23/11/2026",
        ),
        (
            "court.csv",
            "C402,200104/1,outcome,2026-10-06,SPO,£15.00 a week on top of the rent,,355.00,mokafor",
            "C402,200104/1,outcome,2026-10-06,SPO,£15.00 a week on top of the rent,,355.00,mokafor\n\
             C403,200104/1,warrant_applied,2026-11-24,,,,,mokafor",
            "court.csv:4: date: 24/11/2026 is after the day of the import, 23/11/2026",
        ),
        (
            "pauses.csv",
            "jpatel,2026-09-02T16:25:00",
            "jpatel,2027-09-02T16:25:00",
            "pauses.csv:2: at: 02/09/2027 is after the day of the import, 23/11/2026",
        ),
    ];
    for (file, from, to, expected) in refused {
        let (_dir, mut store) = temp_store();
        let problems = rejected(&mut store, one_change(file, from, to).path());
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{file}: {to} gave {problems:#?}"
        );
    }
    // A hearing listed and an eviction booked are dates to come: taken, as are steps of today.
    let (_dir, mut store) = temp_store();
    let to_come = one_change(
        "court.csv",
        "C402,200104/1,outcome,2026-10-06,SPO,£15.00 a week on top of the rent,,355.00,mokafor",
        "C402,200104/1,outcome,2026-10-06,SPO,£15.00 a week on top of the rent,,355.00,mokafor\n\
         C403,200104/1,hearing,2027-01-15,,,,,mokafor\n\
         C404,200104/1,eviction_date,2027-02-01,,,,,mokafor",
    );
    let summary = run(&mut store, to_come.path(), false).unwrap();
    assert_eq!(counts(&summary, "court.csv").new, 4);
    let today = one_change(
        "actions.csv",
        "A9005,200105/1,SMS,2026-10-14T12:00:00",
        "A9005,200105/1,SMS,2026-11-23T17:30:00",
    );
    let (_dir, mut store) = temp_store();
    run(&mut store, today.path(), false).unwrap();
}

#[test]
fn text_that_is_not_utf8_is_rejected_at_its_line_and_column() {
    let (_dir, mut store) = temp_store();
    let extract = edited(|_, text| text);
    let path = extract.path().join("tenants.csv");
    let mut bytes = std::fs::read(&path).unwrap();
    // `Adeyemi` spelt with a Latin-1 `é` (0xE9), as an old spreadsheet would save it.
    let at = bytes.windows(7).position(|w| w == b"Adeyemi").unwrap();
    bytes[at + 2] = 0xE9;
    std::fs::write(&path, bytes).unwrap();
    let problems = rejected(&mut store, extract.path());
    assert_eq!(
        problems,
        ["tenants.csv:2: last_name: not UTF-8 text (save the extract as UTF-8)"]
    );
}

#[test]
fn a_held_transaction_or_action_never_changes_under_its_id() {
    let (_dir, mut store) = temp_store();
    run(&mut store, &example(), false).unwrap();
    let extract = one_change(
        "transactions.csv",
        "T500001,RA200101,2026-05-04,RNT,,112.40",
        "T500001,RA200101,2026-05-04,RNT,,112.41",
    );
    let problems = rejected(&mut store, extract.path());
    assert_eq!(
        problems,
        [
            "transactions.csv:2: amount: `T500001` is already recorded with amount `112.40`, not \
          `112.41`: these rows are never changed, so a correction needs a new row with its own id"
        ]
    );
    let extract = one_change("actions.csv", "Second arrears letter sent", "Sent again");
    let problems = rejected(&mut store, extract.path());
    assert!(
        problems[0].starts_with("actions.csv:3: comment: `A9002`"),
        "{problems:?}"
    );
}

#[test]
fn tomorrows_extract_adds_what_is_new_and_updates_what_changed() {
    let (_dir, mut store) = temp_store();
    let first = run(&mut store, &example(), false).unwrap();
    assert!(
        first.kept.contains(
            &"200104/1: plan P501 is breached in caseload (since 23/11/2026); the extract says live"
                .to_string()
        ),
        "{first}"
    );
    let extract = edited(|name, mut text| match name {
        "transactions.csv" => {
            // Taken today: an extract holds nothing dated after the day of the import.
            text.push_str("T600001,RA200104,2026-11-23,payment,card,50.00,Card payment,\n");
            text.push_str("T600002,RA200104,2026-11-23,RNT,,105.60,Rent,\n");
            text
        }
        "tenants.csv" => text.replace("07700 900567", "07700 900999"),
        "tenancies.csv" => text.replace("Riverside,jpatel,112.40", "Riverside,mokafor,112.40"),
        "plans.csv" => text.replace("card,live,,", "card,breached,2026-11-20,"),
        _ => text,
    });
    let dry = run(&mut store, extract.path(), true).unwrap();
    let before = checksum(&store);
    assert_eq!(counts(&dry, "transactions.csv").new, 2);
    assert_eq!(checksum(&store), before, "a dry run wrote something");
    let summary = run(&mut store, extract.path(), false).unwrap();
    assert_eq!(summary.total().new, 2);
    assert_eq!(counts(&summary, "transactions.csv").unchanged, 300);
    assert_eq!(counts(&summary, "tenants.csv").updated, 1);
    assert_eq!(counts(&summary, "tenancies.csv").updated, 1);
    assert_eq!(counts(&summary, "plans.csv").updated, 1);
    let t = store.tenancy_by_ref("200104/1").unwrap().unwrap();
    let record = store.tenancy_record(t).unwrap().unwrap();
    assert_eq!(record.tenants[0].phone.as_deref(), Some("07700 900999"));
    // The extract's status is kept beside the plan; its state stays the breach check's, which
    // found it breached on the day of the first import (when the extract still said live).
    let plan = store.current_plan(t).unwrap().unwrap();
    assert_eq!(
        (plan.state, plan.state_on),
        (crate::domain::plan::PlanState::Breached, d("2026-11-23"))
    );
    assert!(
        !summary.kept.iter().any(|k| k.contains("P501")),
        "{summary}"
    );
    let audit = crate::store::tests::audit_rows(&store);
    assert!(audit.contains(&(
        "plan".into(),
        "status".into(),
        Some("live".into()),
        Some("breached".into())
    )));
    assert!(audit.contains(&(
        "tenant".into(),
        "phone".into(),
        Some("07700 900567".into()),
        Some("07700 900999".into())
    )));
    assert!(audit.contains(&(
        "tenancy".into(),
        "officer".into(),
        Some("jpatel".into()),
        Some("mokafor".into())
    )));
    // And once more: nothing new, nothing changed.
    let again = run(&mut store, extract.path(), false).unwrap();
    assert_eq!((again.total().new, again.total().updated), (0, 0));
}

#[test]
fn docs_describe_every_column_of_every_file() {
    let docs = include_str!("../../docs/import.md");
    for spec in FILES {
        let heading = format!("## {}", spec.name);
        let section = docs
            .split("\n## ")
            .find(|s| format!("## {s}").starts_with(&heading))
            .unwrap_or_else(|| panic!("docs/import.md has no section {heading}"));
        for column in spec.columns {
            let row = format!(
                "| `{}` | {} |",
                column.name,
                if column.required { "yes" } else { "no" }
            );
            let required_when = format!("| `{}` | for ", column.name);
            assert!(
                section.contains(&row) || (!column.required && section.contains(&required_when)),
                "{}: column {} is not documented as {}",
                spec.name,
                column.name,
                if column.required {
                    "required"
                } else {
                    "optional"
                }
            );
        }
    }
}

#[test]
fn a_demo_caseload_exports_and_imports_to_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.db");
    let options = crate::demo::DemoOptions::shipped(30, 2, 3, d("2026-11-23"));
    crate::demo::generate_file(&demo, &options, |_| {}).unwrap();
    let demo = Store::open(&demo).unwrap();
    export(&demo, &dir.path().join("once")).unwrap();
    let (_b, mut copy) = temp_store();
    run(&mut copy, &dir.path().join("once"), false).unwrap();
    export(&copy, &dir.path().join("twice")).unwrap();
    for spec in FILES {
        let read = |name: &str| std::fs::read_to_string(dir.path().join(name).join(spec.name));
        assert_eq!(
            read("once").unwrap(),
            read("twice").unwrap(),
            "{}",
            spec.name
        );
    }
    let balances = |s: &Store| -> Vec<(String, Money)> {
        s.tenancy_records()
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.details.reference.clone(),
                    r.rent().balance + r.other_debts(),
                )
            })
            .collect()
    };
    assert_eq!(balances(&demo), balances(&copy));
}

#[test]
fn two_imports_at_once_take_turns_and_audit_each_change_once() {
    let (_dir, mut store) = temp_store();
    run(&mut store, &example(), false).unwrap();
    let path = store.path().to_path_buf();
    let extract = one_change(
        "tenancies.csv",
        "Riverside,jpatel,112.40",
        "Riverside,mokafor,112.40",
    );
    // A workstation holds a write while both imports start: each waits, then they take turns,
    // the second reading what the first wrote.
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let imports: Vec<_> = (0..2)
        .map(|_| {
            let (path, dir) = (path.clone(), extract.path().to_path_buf());
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                run_waiting(&mut store, &dir, false, Duration::from_secs(30))
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    holder.execute_batch("COMMIT").unwrap();
    let mut updated: Vec<u64> = imports
        .into_iter()
        .map(|t| counts(&t.join().unwrap().unwrap(), "tenancies.csv").updated)
        .collect();
    updated.sort_unstable();
    assert_eq!(updated, [0, 1]);
    let officer_changes: Vec<_> = crate::store::tests::audit_rows(&store)
        .into_iter()
        .filter(|(entity, field, _, _)| entity == "tenancy" && field == "officer")
        .collect();
    assert_eq!(
        officer_changes,
        [(
            "tenancy".to_string(),
            "officer".to_string(),
            Some("jpatel".to_string()),
            Some("mokafor".to_string())
        )]
    );
}

#[test]
fn an_import_that_cannot_get_the_database_gives_up_and_changes_nothing() {
    let (_dir, mut store) = temp_store();
    run(&mut store, &example(), false).unwrap();
    let before = checksum(&store);
    let holder = rusqlite::Connection::open(store.path()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let extract = one_change(
        "tenancies.csv",
        "Riverside,jpatel,112.40",
        "Riverside,mokafor,112.40",
    );
    let err = run_waiting(
        &mut store,
        extract.path(),
        false,
        Duration::from_millis(300),
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::Busy { .. }), "{err}");
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(checksum(&store), before);
}
