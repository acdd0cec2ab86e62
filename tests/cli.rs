//! The command line as an officer runs it: import the example extract, import it again, refuse a
//! bad one, and print the account and the court arrears schedule; then the workstation opens on
//! the imported tenancies.

mod common;

use caseload::app::Session;
use caseload::app::keymap::Keymap;
use caseload::config::Config;
use caseload::store::Store;
use common::{Env, example, text};

#[test]
fn import_twice_then_the_workstation_shows_the_tenancies() {
    let env = Env::new();
    let example = example();
    let first = env.run(&["import", "--create", example.to_str().unwrap()]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(out.contains("transactions.csv"), "{out}");
    assert!(out.contains("337 new"), "{out}");

    let again = env.run(&["import", example.to_str().unwrap()]);
    assert!(again.status.success());
    let out = text(&again.stdout);
    // Said plainly: every row was already here.
    assert!(out.contains("already here"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("Nothing new: 0 new, 337 already here, 0 updated (")),
        "{out}"
    );
    assert!(!out.contains("rows imported"), "{out}");

    let store = Store::open(&env.db()).unwrap();
    let config = Config::default_config();
    let mut session =
        Session::new(store, Keymap::new(&config.keys), common::settings(env.db())).unwrap();
    session.wait_background();
    assert_eq!(session.state.queue.total(), 6);
}

#[test]
fn a_bad_row_is_refused_with_exit_1_and_bad_arguments_with_exit_2() {
    let env = Env::new();
    let bad = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        let mut body = std::fs::read_to_string(&path).unwrap();
        if path.ends_with("transactions.csv") {
            body = body.replacen(",112.40,Rent,", ",12.345,Rent,", 1);
        }
        std::fs::write(bad.path().join(path.file_name().unwrap()), body).unwrap();
    }
    let refused = env.run(&["import", "--create", bad.path().to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let report = text(&refused.stderr);
    assert!(
        report.contains("transactions.csv:2: amount: `12.345` has more than two decimal places"),
        "{report}"
    );
    assert!(
        report.contains("1 problem found: nothing was imported"),
        "{report}"
    );
    let store = Store::open(&env.db()).unwrap();
    assert_eq!(store.tenancy_count().unwrap(), 0);

    let missing = env.run(&["import", "/nonexistent/extract"]);
    assert_eq!(missing.status.code(), Some(2));
    let unknown = env.run(&["statement", "NOPE"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_court_schedule_ends_on_the_account_balance() {
    let env = Env::new();
    let example = example();
    assert!(
        env.run(&["import", "--create", example.to_str().unwrap()])
            .status
            .success()
    );
    let account = env.run(&["account", "200104/1", "--json"]);
    assert!(account.status.success(), "{}", text(&account.stderr));
    let json: serde_json::Value = serde_json::from_slice(&account.stdout).unwrap();
    let balance = json["rent"]["balance"].as_str().unwrap().to_string();
    assert_eq!(balance, "2112.00");
    // The extract says the court plan is live; caseload's breach check finds it behind.
    assert_eq!(json["plan"]["state"], "breached");
    let shown = text(&env.run(&["account", "200104/1"]).stdout);
    assert!(
        shown.contains("· BREACHED: found at the breach check on "),
        "the day is when the check found it: {shown}"
    );
    assert_eq!(json["last_actions"][0]["code"], "NOSP");
    // The policy's next step and its reason, as the queue gives them.
    assert_eq!(json["next"]["stage"], "Order", "{json}");
    assert_eq!(json["next"]["recommendation"], "Court plan breach");
    assert_eq!(
        json["next"]["reason"],
        "Court plan from 06/10/2026 breached: write to the tenant."
    );

    let html = env.run(&["statement", "200104/1", "--court", "--format", "html"]);
    assert!(html.status.success(), "{}", text(&html.stderr));
    let html = text(&html.stdout);
    assert!(html.contains("size: A4") && html.contains("counter(page)"));
    assert!(
        html.contains("Arrears at the date of issue, 23/11/2026: £2,112.00"),
        "{html}"
    );
    let csv = text(
        &env.run(&["statement", "200104/1", "--court", "--format", "csv"])
            .stdout,
    );
    let last = csv.lines().last().unwrap();
    assert!(last.ends_with(&format!(",{balance},")), "{last}");
}

/// Bytes a terminal would obey: ESC, BEL, an 8-bit CSI (UTF-8 `C2 9B`), a right-to-left override.
fn obeyed(bytes: &[u8]) -> Option<&'static str> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    [
        (&b"\x1b"[..], "ESC"),
        (b"\x07", "BEL"),
        ("\u{9b}".as_bytes(), "C1 CSI"),
        ("\u{202e}".as_bytes(), "RLO"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name)
}

#[test]
fn an_extract_with_escape_sequences_in_names_prints_none_of_them() {
    let env = Env::new();
    let hostile = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        let body = std::fs::read_to_string(&path)
            .unwrap()
            // Clear the screen, set the window title, write the clipboard, 8-bit CSI, RLO.
            .replacen(
                "Grace,Adeyemi",
                "Grace\u{1b}]0;pwned\u{7},\"Adeyemi\u{1b}[2J\u{1b}]52;c;ZWNobw==\u{7}\u{9b}31m\u{202e}\"",
                1,
            )
            .replacen("14 Alder Road", "14 \u{1b}[31mAlder Road", 1)
            .replacen(
                "First arrears letter sent",
                "First arrears letter sent\u{1b}[8m",
                1,
            );
        std::fs::write(hostile.path().join(path.file_name().unwrap()), body).unwrap();
    }
    let imported = env.run(&["import", "--create", hostile.path().to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    // Each command, and whether its output names the tenant.
    for (args, named) in [
        (&["queue", "--tab", "all"][..], true),
        (&["queue", "--tab", "all", "--json"], true),
        (&["account", "200101/1"], true),
        (&["account", "200101/1", "--json"], true),
        (&["account", "200104/1"], false),
        (&["statement", "200101/1"], true),
        (&["statement", "200101/1", "--format", "csv"], false),
    ] {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert_eq!(obeyed(bytes), None, "{args:?} {stream}: {}", text(bytes));
        }
        // What the data held is shown, not hidden.
        let shown = text(&out.stdout);
        assert_eq!(shown.contains("Adeyemi"), named, "{args:?}: {shown}");
    }
    let shown = text(&env.run(&["account", "200101/1"]).stdout);
    assert!(shown.contains("Adeyemi␛[2J␛]52;c;ZWNobw==␇"), "{shown}");
    // The JSON still holds the name exactly, escaped.
    let json = env.run(&["account", "200101/1", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(
        json.to_string()
            .contains("Adeyemi\\u001b[2J\\u001b]52;c;ZWNobw==\\u0007\u{9b}31m\u{202e}"),
        "{json}"
    );
}

#[test]
fn an_import_error_quoting_a_hostile_value_prints_none_of_it() {
    let env = Env::new();
    let bad = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(example()).unwrap() {
        let path = entry.unwrap().path();
        let body = std::fs::read_to_string(&path).unwrap().replacen(
            ",112.40,Rent,",
            ",\u{1b}]0;x\u{7}12\u{1b}[2J,Rent,",
            1,
        );
        std::fs::write(bad.path().join(path.file_name().unwrap()), body).unwrap();
    }
    let refused = env.run(&["import", "--create", bad.path().to_str().unwrap()]);
    assert!(!refused.status.success());
    let report = text(&refused.stderr);
    assert!(report.contains("transactions.csv:2"), "{report}");
    assert_eq!(obeyed(&refused.stderr), None, "{report}");
    assert_eq!(obeyed(&refused.stdout), None);
}
