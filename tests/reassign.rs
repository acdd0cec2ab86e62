//! An income coordinator moves a patch, or some accounts, to another officer: audited in one
//! batch, refused whole when a name is wrong, and kept by caseload when the housing system's next
//! extract still names the old officer (docs/import.md, "Who owns what").

mod common;

use caseload::app::queue::Tab;
use caseload::app::state::Overlay;
use caseload::store::Store;
use common::{Env, text};

fn import(env: &Env) -> String {
    let out = env.run(&["import", "--create", common::example().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Who holds each tenancy of the example, by reference.
fn officers(env: &Env) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let mut stmt = conn
        .prepare("SELECT ref, officer FROM tenancies ORDER BY ref")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn held(env: &Env, officer: &str) -> usize {
    Store::open(&env.db()).unwrap().held_by(officer).unwrap()
}

#[test]
fn a_patch_moved_is_audited_in_one_batch_and_outlasts_an_extract_naming_the_old_officer() {
    let env = Env::new();
    import(&env);
    assert_eq!((held(&env, "jpatel"), held(&env, "mokafor")), (3, 3));

    // A dry run lists what would move, from whom, and changes nothing.
    let dry = env.run(&[
        "reassign",
        "--patch",
        "Riverside",
        "--to",
        "jpatel",
        "--dry-run",
    ]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert_eq!(
        text(&dry.stdout),
        "200103/2     mokafor → jpatel\n\
         200104/1     mokafor → jpatel\n\
         200106/1     mokafor → jpatel\n\
         Would move 3 accounts from mokafor to jpatel; nothing changed (dry run).\n\
         Left as they are: 3 accounts are jpatel's already.\n"
    );
    assert_eq!(held(&env, "mokafor"), 3);

    let moved = env.run(&["reassign", "--patch", "Riverside", "--to", "jpatel"]);
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    assert_eq!(
        text(&moved.stdout),
        "Moved 3 accounts from mokafor to jpatel.\n\
         Left as they are: 3 accounts are jpatel's already.\n"
    );
    assert_eq!((held(&env, "jpatel"), held(&env, "mokafor")), (6, 0));
    // One batch, by the coordinator, from the command line: each tenancy's old and new officer.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let audited: Vec<(i64, String, String, String, String, String)> = conn
        .prepare(
            "SELECT a.batch_id, b.officer, b.source, t.ref, a.old, a.new
             FROM audit a JOIN batches b ON b.id = a.batch_id JOIN tenancies t ON t.id = a.entity_id
             WHERE a.entity = 'tenancy' AND a.field = 'officer' ORDER BY t.ref",
        )
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(audited.len(), 3, "{audited:?}");
    assert!(audited.iter().all(|a| a.0 == audited[0].0), "one batch");
    for (a, reference) in audited.iter().zip(["200103/2", "200104/1", "200106/1"]) {
        assert_eq!(
            (&a.1[..], &a.2[..], &a.3[..], &a.4[..], &a.5[..]),
            ("tester", "cli", reference, "mokafor", "jpatel")
        );
    }
    drop(conn);

    // The housing system's next extract still names mokafor: caseload's move stands, and the
    // import says what it kept.
    let summary = import(&env);
    assert_eq!((held(&env, "jpatel"), held(&env, "mokafor")), (6, 0));
    for reference in ["200103/2", "200104/1", "200106/1"] {
        assert!(
            summary.contains(&format!(
                "kept: {reference}: officer jpatel assigned in caseload on "
            )) && summary.contains("; the extract has mokafor"),
            "{summary}"
        );
    }
    let verify = env.run(&["verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
}

#[test]
fn a_wrong_patch_reference_or_officer_is_refused_with_exit_2_and_nothing_moves() {
    let env = Env::new();
    import(&env);
    let before = officers(&env);
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["reassign"];
        all.extend_from_slice(args);
        let out = env.run(&all);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(says),
            "{args:?} says {}",
            text(&out.stderr)
        );
        assert_eq!(officers(&env), before, "{args:?} moved nothing");
    };
    refused(
        &["--patch", "riverside", "--to", "jpatel"],
        "no tenancy is in the patch riverside (patch names are exact: did you mean Riverside?)",
    );
    refused(
        &["--accounts", "200101/1,200199/1", "--to", "mokafor"],
        "no tenancy with reference 200199/1: nothing was moved",
    );
    refused(&["--accounts", "", "--to", "mokafor"], "no account named");
    refused(
        &["--accounts", " , ", "--to", "mokafor"],
        "no account named",
    );
    refused(
        &["--accounts", "200101/1", "--to", "mokafro"],
        "no account is held by mokafro: check the name, or add --new-officer",
    );
    refused(&["--to", "mokafor"], "--patch");
    refused(
        &[
            "--patch",
            "Riverside",
            "--accounts",
            "200101/1",
            "--to",
            "x",
        ],
        "cannot be used with",
    );

    // Named exactly, two accounts move to a new officer who holds none yet.
    let out = env.run(&[
        "reassign",
        "--accounts",
        "200101/1,200104/1,200101/1",
        "--to",
        "sbrown",
        "--new-officer",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Moved 2 accounts from jpatel (1) and mokafor (1) to sbrown.\n"
    );
    assert_eq!(held(&env, "sbrown"), 2);
}

fn message(s: &caseload::app::Session) -> String {
    s.state
        .message
        .as_ref()
        .map(|m| m.text().to_string())
        .unwrap_or_default()
}

fn confirming(s: &caseload::app::Session) -> String {
    match s.state.overlays.last() {
        Some(Overlay::Confirm(c)) => format!("{}\n{:?}\n{:?}", c.title, c.rows, c.warnings),
        other => panic!("no confirmation: {other:?}"),
    }
}

#[test]
fn the_workstation_moves_the_selected_account_or_every_account_the_filter_shows_once_confirmed() {
    let env = Env::new();
    import(&env);
    let mut s = common::session_on(&env.db(), common::today());

    // The selected account, to an officer who holds none yet: the confirmation says so.
    s.keys(":goto 200101/1<ret>");
    s.keys("A");
    assert_eq!(s.state.command.text(), "reassign ");
    s.keys("sbrown<ret>");
    let asked = confirming(&s);
    assert!(
        asked.starts_with("Reassign 1 account from jpatel to sbrown")
            && asked.contains("sbrown holds no account yet"),
        "{asked}"
    );
    // Said as the move it is, not as a record of the case.
    let screen = common::screen(&mut s, 120, 40);
    assert!(
        screen.contains("move them")
            && screen.contains("move nothing")
            && !screen.contains("Record:"),
        "{screen}"
    );
    s.keys("y");
    assert_eq!(message(&s), "Moved 1 account from jpatel to sbrown.");
    assert_eq!(held(&env, "sbrown"), 1);

    // Every account the filter shows: the count and whom from, before anything moves; Esc moves
    // nothing.
    s.keys(":officer jpatel<ret>");
    assert_eq!(s.state.queue.count(Tab::All), 2);
    s.keys(":reassign all mokafor<ret>");
    let asked = confirming(&s);
    assert!(
        asked.starts_with("Reassign 2 accounts from jpatel to mokafor")
            && asked.contains("every account shown: officer jpatel"),
        "{asked}"
    );
    s.keys("<esc>");
    assert_eq!(held(&env, "jpatel"), 2);
    s.keys(":reassign all mokafor<ret>y");
    assert_eq!(message(&s), "Moved 2 accounts from jpatel to mokafor.");
    assert_eq!((held(&env, "jpatel"), held(&env, "mokafor")), (0, 5));
    // The queue reads their officer again at once: jpatel's queue is empty, mokafor's holds five.
    assert_eq!(s.state.queue.count(Tab::All), 0);
    s.keys(":officer mokafor<ret>");
    assert_eq!(s.state.queue.count(Tab::All), 5);

    // Without a filter, "all" would be the whole caseload: refused.
    s.keys(":clear<ret>:reassign all mokafor<ret>");
    assert!(message(&s).contains("set one first"), "{}", message(&s));
    assert!(s.state.overlays.is_empty());

    // One batch each, from the workstation, each move with its old and new officer.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let batches: Vec<(String, i64)> = conn
        .prepare(
            "SELECT b.source, count(*) FROM audit a JOIN batches b ON b.id = a.batch_id
             WHERE a.field = 'officer' GROUP BY a.batch_id ORDER BY a.batch_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(batches, [("tui".to_string(), 1), ("tui".to_string(), 2)]);
}
