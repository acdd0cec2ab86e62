//! The nightly extract beside what officers record in caseload (docs/import.md, "Who owns
//! what"): an import never clears or overrides a caseload-owned fact, says what it kept, and
//! leaves plan states as caseload's breach check judges them.

mod common;

use caseload::app::Session;
use caseload::app::keymap::Keymap;
use caseload::app::state::Message;
use caseload::config::Config;
use caseload::domain::plan::PlanState;
use caseload::store::Store;
use common::{Env, edited, text};
use std::path::Path;

fn session(db: &Path, today: &str) -> Session {
    let config = Config::default_config();
    let mut settings = common::settings(db.to_path_buf());
    settings.today = caseload::domain::dates::parse_date(today).unwrap();
    let mut s = Session::new(
        Store::open(db).unwrap(),
        Keymap::new(&config.keys),
        settings,
    )
    .unwrap();
    s.wait_background();
    s.dispatch(caseload::app::Action::Resize(160, 48));
    s
}

fn info(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m) | Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

fn import(env: &Env, dir: &Path) -> String {
    let out = env.run(&["import", "--create", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn queue_row(env: &Env, reference: &str) -> serde_json::Value {
    let out = env.run(&["queue", "--tab", "all", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.into_iter()
        .find(|r| r["reference"] == reference)
        .unwrap_or_else(|| panic!("{reference} is not in the queue"))
}

#[test]
fn reimporting_the_same_extract_keeps_the_breathing_space_and_vulnerability_recorded_in_caseload() {
    let env = Env::new();
    import(&env, &common::example());
    {
        let mut s = session(&env.db(), common::TODAY);
        s.keys(":goto 200101/1<ret>rb<ret><ret><ret>");
        assert_eq!(
            info(&s),
            "Breathing space from 23/11/2026 to 22/01/2027 saved."
        );
        s.keys("Vment<ret>Anxiety; prefers email<ret><ret>");
        assert_eq!(info(&s), "Flagged vulnerable: Mental health.");
    }
    assert_eq!(queue_row(&env, "200101/1")["blocker"], "breathing space");

    let summary = import(&env, &common::example());
    let store = Store::open(&env.db()).unwrap();
    let id = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    let flags = store.tenancy_record(id).unwrap().unwrap().details.flags;
    assert_eq!(
        flags.breathing_space_until,
        Some(caseload::domain::dates::parse_date("2027-01-22").unwrap())
    );
    assert!(flags.vulnerable);
    assert_eq!(
        flags.vulnerability.as_deref(),
        Some("Anxiety; prefers email")
    );
    assert!(flags.vulnerability_category.is_some());
    assert_eq!(queue_row(&env, "200101/1")["blocker"], "breathing space");
    assert!(
        summary
            .contains("kept: 200101/1: breathing space until 22/01/2027 recorded in caseload on ")
            && summary.contains("; the extract has none"),
        "{summary}"
    );
    assert!(
        summary.contains("kept: 200101/1: vulnerability (Mental health) recorded in caseload on "),
        "{summary}"
    );
}

#[test]
fn a_pause_and_a_plan_recorded_in_caseload_outlast_an_extract_that_says_otherwise() {
    let env = Env::new();
    import(&env, &common::example());
    let plan_id = {
        let mut s = session(&env.db(), common::TODAY);
        s.keys(":goto 200103/2<ret>rp2w<tab>In hospital<ret><ret><ret>");
        assert_eq!(info(&s), "Paused until 07/12/2026: In hospital.");
        s.keys(":goto 200101/1<ret>p<tab><tab><tab>25<C-s>agreed on the phone<C-s><C-s>");
        assert!(info(&s).starts_with("Plan saved"), "{}", info(&s));
        s.state.current_account().unwrap().plan.as_ref().unwrap().id
    };
    // The housing system's extract lifts 200103/2's pause (a row ending before caseload's) and
    // carries a plan for 200101/1 agreed before the one agreed in caseload.
    let extract = edited(|name, body| match name {
        "pauses.csv" => {
            body + "Z602,200103/2,pause,2026-11-20,Lifted,,jpatel,2026-11-20T09:00:00\n"
        }
        "plans.csv" => {
            body + "P503,200101/1,RA200101,informal,weekly,2026-10-05,5.00,,,380.04,,live,,\
                     Old arrangement,2026-10-01T10:00:00,jpatel\n"
        }
        _ => body,
    });
    let summary = import(&env, extract.path());
    let row = queue_row(&env, "200103/2");
    assert_eq!(row["blocker"], "paused", "{row}");
    let s = session(&env.db(), common::TODAY);
    let ada = s.store().tenancy_by_ref("200101/1").unwrap().unwrap();
    let plan = s.store().current_plan(ada).unwrap().unwrap();
    assert_eq!(plan.id, plan_id);
    assert_eq!(plan.state, PlanState::Live);
    assert!(
        summary.contains("kept: 200103/2: pause until 07/12/2026 recorded in caseload on "),
        "{summary}"
    );
    assert!(
        summary.contains(
            "kept: 200101/1: the plan agreed in caseload on 23/11/2026 stays the current plan"
        ),
        "{summary}"
    );
}

/// The plan states of every plan, and how many state changes are recorded.
fn plan_states(db: &Path) -> (Vec<(String, String)>, i64) {
    let store = Store::open(db).unwrap();
    let mut states = Vec::new();
    for reference in ["200103/2", "200104/1"] {
        let id = store.tenancy_by_ref(reference).unwrap().unwrap();
        let plan = store.current_plan(id).unwrap().unwrap();
        states.push((reference.to_string(), plan.state.as_str().to_string()));
    }
    let events = store
        .plan_history(store.tenancy_by_ref("200103/2").unwrap().unwrap())
        .unwrap()
        .iter()
        .chain(
            &store
                .plan_history(store.tenancy_by_ref("200104/1").unwrap().unwrap())
                .unwrap(),
        )
        .map(|h| h.events.len() as i64)
        .sum();
    (states, events)
}

#[test]
fn plan_states_do_not_ping_pong_between_the_extract_and_the_breach_check() {
    let env = Env::new();
    let later = "2026-12-14";
    import(&env, &common::example());
    // The workstation opened on a later day judges the plans for that day.
    drop(session(&env.db(), later));
    let judged = plan_states(&env.db());
    // Tomorrow's extract says what it said yesterday: nothing about a plan changes.
    let out = env.run_on(later, &["import", common::example().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(plan_states(&env.db()), judged, "{}", text(&out.stdout));
    drop(session(&env.db(), later));
    assert_eq!(plan_states(&env.db()), judged);
}

#[test]
fn after_an_import_the_command_line_shows_the_plan_state_the_workstation_shows() {
    let env = Env::new();
    import(&env, &common::example());
    for day in ["2026-11-23", "2026-12-14", "2027-03-01"] {
        for reference in ["200103/2", "200104/1"] {
            let out = env.run_on(day, &["account", reference, "--json"]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            // The workstation opened on a copy, so that the command line's later runs see the
            // file as the import left it.
            let copy = tempfile::tempdir().unwrap();
            let db = copy.path().join("copy.db");
            Store::open(&env.db()).unwrap().checkpoint().unwrap();
            std::fs::copy(env.db(), &db).unwrap();
            let mut s = session(&db, day);
            s.keys(&format!(":goto {reference}<ret>"));
            let plan = s.state.current_account().unwrap().plan.clone().unwrap();
            assert_eq!(
                (
                    json["plan"]["state"].as_str().unwrap(),
                    json["plan"]["since"].as_str().unwrap()
                ),
                (
                    plan.state.as_str(),
                    caseload::domain::dates::iso(plan.state_on).as_str()
                ),
                "{reference} on {day}"
            );
            let queued = env.run_on(day, &["queue", "--tab", "all", "--json"]);
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&queued.stdout).unwrap();
            let row = rows.iter().find(|r| r["reference"] == reference).unwrap();
            let item = s
                .state
                .queue
                .item(s.store().tenancy_by_ref(reference).unwrap().unwrap());
            assert_eq!(
                row["recommendation"].as_str().unwrap(),
                item.unwrap().decision.recommendation.as_str(),
                "{reference} on {day}"
            );
        }
    }
}

#[test]
fn a_database_or_config_path_that_does_not_exist_is_an_error_and_is_not_created() {
    let env = Env::new();
    let example = common::example();
    let example = example.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let export_to = out.path().join("x");
    let export_to = export_to.to_str().unwrap();
    for args in [
        &["queue"][..],
        &["account", "200101/1"],
        &["statement", "200101/1"],
        &["import", "--dry-run", example],
        &["import", example],
        &["export", export_to],
    ] {
        let run = env.run(args);
        assert_eq!(
            run.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&run.stdout)
        );
        let said = text(&run.stderr);
        assert!(
            said.contains(&format!("there is no database at {}", env.db().display())),
            "{args:?}: {said}"
        );
        assert!(!env.db().exists(), "{args:?} created the database");
    }
    // Asked for, a new database is made by an import.
    let created = env.run(&["import", "--create", example]);
    assert!(created.status.success(), "{}", text(&created.stderr));
    // A config file named on the command line must exist too.
    let typo = env.dir.path().join("confg.toml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args([
            "--db",
            env.db().to_str().unwrap(),
            "--config",
            typo.to_str().unwrap(),
        ])
        .args(["queue"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stdout));
    assert!(
        text(&run.stderr).contains(&format!("there is no config file at {}", typo.display())),
        "{}",
        text(&run.stderr)
    );
    assert!(!typo.exists());
}

#[test]
fn a_statement_from_after_its_to_is_refused() {
    let env = Env::new();
    import(&env, &common::example());
    for court in [&[][..], &["--court"]] {
        let args = [
            &[
                "statement",
                "200104/1",
                "--from",
                "2026-11-01",
                "--to",
                "2026-06-01",
            ][..],
            court,
        ]
        .concat();
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains("--from 01/11/2026 is after --to 01/06/2026"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// Each officer audit entry: its old and new values.
fn officer_changes(db: &Path) -> Vec<(Option<String>, Option<String>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut select = conn
        .prepare("SELECT old, new FROM audit WHERE entity = 'tenancy' AND field = 'officer'")
        .unwrap();
    select
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn officer_of(db: &Path, reference: &str) -> String {
    let store = Store::open(db).unwrap();
    let id = store.tenancy_by_ref(reference).unwrap().unwrap();
    store.tenancy_record(id).unwrap().unwrap().details.officer
}

/// The example extract with 200101/1's officer changed: an import of it writes one audit entry.
fn new_officer() -> tempfile::TempDir {
    edited(|name, body| {
        if name == "tenancies.csv" {
            body.replacen("Riverside,jpatel,112.40", "Riverside,mokafor,112.40", 1)
        } else {
            body
        }
    })
}

#[test]
fn an_import_while_the_database_is_busy_waits_says_so_and_exits_3_having_changed_nothing() {
    let env = Env::new();
    import(&env, &common::example());
    let audited = officer_changes(&env.db());
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let extract = new_officer();
    let out = env.run(&["import", "--wait", "1", extract.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(
        said.contains(
            "another import or a workstation is writing to the database: waiting for it (up to 1 s)"
        ) && said.contains("the database is busy")
            && said.contains("nothing was imported"),
        "{said}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(officer_of(&env.db(), "200101/1"), "jpatel");
    assert_eq!(officer_changes(&env.db()), audited);
}

#[test]
fn two_imports_started_together_take_turns_and_audit_the_change_once() {
    let env = Env::new();
    import(&env, &common::example());
    let extract = new_officer();
    // A workstation's write is under way as both start, so that neither finishes first.
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let imports: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
                .arg("--db")
                .arg(env.db())
                .args(["--today", common::TODAY, "import", "--wait", "30"])
                .arg(extract.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(700));
    holder.execute_batch("COMMIT").unwrap();
    for child in imports {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert_eq!(officer_of(&env.db(), "200101/1"), "mokafor");
    assert_eq!(
        officer_changes(&env.db()),
        [(Some("jpatel".to_string()), Some("mokafor".to_string()))]
    );
}

#[test]
fn an_unbalanced_quote_exits_1_naming_the_file_line_and_column_and_changes_nothing() {
    let env = Env::new();
    import(&env, &common::example());
    let before = env.run(&["export", env.dir.path().join("before").to_str().unwrap()]);
    assert!(before.status.success(), "{}", text(&before.stderr));
    let extract = edited(|name, body| {
        if name == "transactions.csv" {
            body.replacen(
                "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,,",
                "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,\"Returned DD,",
                1,
            )
        } else {
            body
        }
    });
    let out = env.run(&["import", extract.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr)
            .contains("transactions.csv:11: description: the quote opened at column 53"),
        "{}",
        text(&out.stderr)
    );
    let after = env.run(&["export", env.dir.path().join("after").to_str().unwrap()]);
    assert!(after.status.success(), "{}", text(&after.stderr));
    for file in [
        "tenancies.csv",
        "transactions.csv",
        "actions.csv",
        "plans.csv",
    ] {
        assert_eq!(
            std::fs::read(env.dir.path().join("before").join(file)).unwrap(),
            std::fs::read(env.dir.path().join("after").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn refs_are_exact_for_account_statement_and_goto() {
    let env = Env::new();
    // Only ABC1: abc1 is not found, and the officer is told which reference there is.
    let upper = edited(|name, body| match name {
        "tenancies.csv" => {
            let line = body.lines().nth(1).unwrap().replacen("200101/1", "ABC1", 1);
            format!("{body}{line}\n")
        }
        "tenants.csv" => format!("{body}ABC1,1,Mr,Upper,Case,,,,,\n"),
        _ => body,
    });
    import(&env, upper.path());
    for command in ["account", "statement"] {
        let out = env.run(&[command, "abc1"]);
        assert!(!out.status.success(), "{command}: {}", text(&out.stdout));
        assert!(!text(&out.stdout).contains("Upper"), "{command}");
        assert!(
            text(&out.stderr)
                .contains("there is no tenancy abc1 (references are exact: did you mean ABC1?)"),
            "{command}: {}",
            text(&out.stderr)
        );
    }
    {
        let mut s = session(&env.db(), common::TODAY);
        s.keys(":goto abc1<ret>");
        assert_eq!(
            info(&s),
            "No account with reference abc1 (references are exact: did you mean ABC1?)."
        );
        let upper = s.store().tenancy_by_ref("ABC1").unwrap();
        assert_ne!(s.state.queue.selected_id(), upper);
    }
    // Then abc1 as well: each reference gives its own tenant.
    let both = edited(|name, body| match name {
        "tenancies.csv" => {
            let line = body.lines().nth(1).unwrap().replacen("200101/1", "abc1", 1);
            let upper = line.replacen("abc1", "ABC1", 1);
            format!("{body}{line}\n{upper}\n")
        }
        "tenants.csv" => {
            format!("{body}abc1,1,Ms,Lower,Case,,,,,\nABC1,1,Mr,Upper,Case,,,,,\n")
        }
        _ => body,
    });
    import(&env, both.path());
    for (reference, name, other) in [("abc1", "Lower", "Upper"), ("ABC1", "Upper", "Lower")] {
        for command in ["account", "statement"] {
            let out = env.run(&[command, reference]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            let said = text(&out.stdout);
            assert!(
                said.contains(name) && !said.contains(other),
                "{command} {reference}: {said}"
            );
        }
        let mut s = session(&env.db(), common::TODAY);
        s.keys(&format!(":goto {reference}<ret>"));
        let account = s.state.current_account().unwrap();
        assert_eq!(account.record.details.reference, reference);
        assert_eq!(account.record.tenants[0].first_name, name);
    }
}

/// Exports the database into `name` in the test's folder, returning the folder.
fn export(env: &Env, name: &str) -> std::path::PathBuf {
    let dir = env.dir.path().join(name);
    let out = env.run(&["export", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

/// The summary's line for each file: its name and counts as printed.
fn file_counts(summary: &str) -> Vec<Vec<String>> {
    summary
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|f| f.ends_with(".csv"))
        })
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

/// Imports `dir` again into the database it was exported from: every file is already here,
/// nothing is written, and an export afterwards is the export before, file for file.
fn reimport_changes_nothing(env: &Env, dir: &Path) {
    let out = env.run(&["import", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    let files = file_counts(&summary);
    assert_eq!(files.len(), 9, "{summary}");
    for counts in &files {
        assert_eq!(
            (counts[1].as_str(), counts[3].as_str()),
            ("0", "0"),
            "{summary}"
        );
    }
    let again = export(env, "again");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name();
        let read = |d: &Path| std::fs::read_to_string(d.join(&name)).unwrap();
        assert_eq!(read(dir), read(&again), "{name:?} changed");
    }
}

#[test]
fn importing_an_export_of_the_same_database_finds_every_row_already_here() {
    use caseload::domain::actions::ActionKind;
    use caseload::domain::plan::{Frequency, PlanKind, PlanTerms};
    use caseload::domain::recovery::PauseKind;
    use caseload::domain::tenancy::DebtType;
    use caseload::store::{NewAction, NewPause, NewPlan};
    let env = Env::new();
    import(&env, &common::example());
    // What officers record in caseload itself: a call, a plan agreed on it, a pause.
    let mut store = Store::open(&env.db()).unwrap();
    let tenancy = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    let at = common::today().and_hms_opt(10, 5, 0).unwrap();
    store
        .write("tester", "test", |w| {
            let account = w.account(tenancy, DebtType::Rent)?;
            w.append_action(&NewAction {
                tenancy_id: tenancy,
                at,
                kind: ActionKind::Call,
                code: None,
                officer: "tester",
                summary: "Call to the tenant: no answer",
                ext_id: None,
            })?;
            w.add_plan(&NewPlan {
                tenancy_id: tenancy,
                account_id: account,
                terms: PlanTerms {
                    kind: PlanKind::Informal,
                    frequency: Frequency::Weekly,
                    start: common::today() + chrono::Days::new(7),
                    instalment: caseload::domain::Money::pounds(10),
                    lump_sum: caseload::domain::Money::ZERO,
                    lump_date: None,
                    starting_balance: caseload::domain::Money::pounds(500),
                    method: None,
                },
                replaces: None,
                reason: "agreed on the phone",
                at,
                officer: "tester",
                ext_id: None,
            })?;
            w.add_pause(&NewPause {
                tenancy_id: tenancy,
                kind: PauseKind::Snooze,
                until: common::today() + chrono::Days::new(3),
                reason: "Tenant calling back",
                comment: "",
                officer: "tester",
                at,
                ext_id: None,
                action_id: None,
            })?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let before = export(&env, "before");
    reimport_changes_nothing(&env, &before);
    let out = env.run(&["account", "200101/1", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let calls = json["last_actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["summary"] == "Call to the tenant: no answer")
        .count();
    assert_eq!(calls, 1, "{json}");
}

#[test]
fn the_demo_exported_then_imported_again_is_already_all_here_and_a_changed_row_is_refused() {
    let env = Env::new();
    let options = caseload::demo::DemoOptions::shipped(12, 1, 5, common::today());
    caseload::demo::generate_file(&env.db(), &options, |_| {}).unwrap();
    let before = export(&env, "before");
    reimport_changes_nothing(&env, &before);

    // The same export into a new database: everything is new there, and already there after.
    let fresh = Env::new();
    let out = fresh.run(&["import", "--create", before.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = fresh.run(&["import", before.to_str().unwrap()]);
    assert!(
        file_counts(&text(&out.stdout)).iter().all(|c| c[1] == "0"),
        "{}",
        text(&out.stdout)
    );

    // A row of caseload's own whose amount was changed is refused, as any changed row is.
    let ledger = std::fs::read_to_string(before.join("transactions.csv")).unwrap();
    let line = ledger.lines().nth(1).unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    let changed = line.replacen(&format!(",{},", fields[5]), ",0.01,", 1);
    std::fs::write(
        before.join("transactions.csv"),
        ledger.replacen(line, &changed, 1),
    )
    .unwrap();
    let out = env.run(&["import", before.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stderr);
    assert!(
        report.contains(&format!(
            "transactions.csv:2: amount: `{}` is already recorded with amount",
            fields[0]
        )),
        "{report}"
    );
}

/// The rent balance of a tenancy as `account`, the queue and `statement` give it for `today`.
fn balances_today(env: &Env, reference: &str) -> (String, String, String) {
    let plain = |s: &str| s.replace(['£', ','], "");
    let out = env.run(&["account", reference, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let account = plain(json["rent"]["balance"].as_str().unwrap_or_default());
    let queue = plain(queue_row(env, reference)["balance"].as_str().unwrap());
    let out = env.run(&["statement", reference]);
    let statement = text(&out.stdout);
    let closing = statement
        .lines()
        .find_map(|l| l.trim().strip_prefix("Balance on 23/11/2026: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{statement}"));
    (account, queue, plain(closing))
}

#[test]
fn a_transaction_dated_after_the_import_day_is_refused_so_account_queue_and_statement_agree() {
    let env = Env::new();
    import(&env, &common::example());
    let agreed = balances_today(&env, "200101/1");
    assert_eq!((&agreed.0, &agreed.1), (&agreed.2, &agreed.2));

    let ahead = edited(|name, body| match name {
        "transactions.csv" => body + "T900001,RA200101,2027-11-20,PAY,card,500.00,Card payment,\n",
        _ => body,
    });
    let out = env.run(&["import", ahead.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stderr);
    assert!(
        report.contains(
            "transactions.csv:302: date: 20/11/2027 is after the day of the import, 23/11/2026"
        ),
        "{report}"
    );
    assert!(report.contains("--today"), "{report}");
    assert_eq!(balances_today(&env, "200101/1"), agreed);

    // A payment taken today is on the ledger today, for all three.
    let today = edited(|name, body| match name {
        "transactions.csv" => body + "T900002,RA200101,2026-11-23,PAY,card,50.00,Card payment,\n",
        _ => body,
    });
    import(&env, today.path());
    let paid = balances_today(&env, "200101/1");
    assert_eq!((&paid.0, &paid.1), (&paid.2, &paid.2));
    assert_ne!(paid, agreed);
}
