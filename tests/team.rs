//! The workstation on a team's PostgreSQL database (`CASELOAD_TEST_PG`, started by `.ci/run`):
//! an officer works a caseload moved in from a file, through the same keys and the same store as
//! on a file, as the login the server knows.

mod common;

use caseload::app::Session;
use caseload::app::action::Action;
use caseload::app::keymap::Keymap;
use caseload::config::Config;
use caseload::store::Store;
use caseload::store::pg::{self, scratch::Scratch};
use std::path::Path;

/// A throwaway database for this test, or return (the test says it was skipped).
macro_rules! scratch {
    ($label:expr) => {
        match Scratch::new($label) {
            Some(db) => db,
            None => return,
        }
    };
}

/// The demo of 40 tenancies, made in `dir` and moved into `db`.
fn demo_moved_in(db: &Scratch, dir: &Path) {
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
        .args(["--out", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{demo:?}");
    pg::move_in(&file, &db.url()).unwrap();
}

/// A workstation on the team's database at `url`, as the workstation opens one: the officer is
/// the login.
pub fn session_on_server(url: &str, dir: &Path) -> Session {
    let store = Store::open_server(url).unwrap();
    let config = Config::default_config();
    let mut settings = common::settings_of("ignored", dir.join("team.db"));
    settings.officer = store.login().unwrap().unwrap();
    settings.today = common::today();
    let mut session = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    session
}

#[test]
fn an_officer_works_the_team_database_as_her_login_and_every_record_is_sealed() {
    let mut db = scratch!("team_work");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let mut s = session_on_server(&alice_url, dir.path());
    assert_eq!(s.state.settings.officer, alice);
    let tenancy = s.state.queue.selected_id().unwrap();

    // A call with a promise of £50 by Friday, then a note of its own.
    s.keys("c11<C-s>p50<ret>friday<ret><ret><ret>");
    assert!(
        !format!("{:?}", s.state.message).contains("Not saved"),
        "{:?}",
        s.state.message
    );
    s.keys("nAsked for the landlord's letter again<C-s>");
    assert!(
        !format!("{:?}", s.state.message).contains("Not saved"),
        "{:?}",
        s.state.message
    );

    let mut admin = db.admin();
    let notes: Vec<String> = admin
        .query(
            "SELECT body FROM notes WHERE officer = $1 AND tenancy_id = $2 ORDER BY id",
            &[&alice, &tenancy],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(notes, ["Asked for the landlord's letter again"]);
    let promised: i64 = admin
        .query_one(
            "SELECT amount FROM promises WHERE officer = $1 AND tenancy_id = $2",
            &[&alice, &tenancy],
        )
        .unwrap()
        .get(0);
    assert_eq!(promised, 5000, "£50 in pence");
    let calls: i64 = admin
        .query_one(
            "SELECT count(*) FROM contacts c JOIN actions a ON a.id = c.action_id
             WHERE a.officer = $1 AND a.tenancy_id = $2",
            &[&alice, &tenancy],
        )
        .unwrap()
        .get(0);
    assert_eq!(calls, 1);
    let batches: Vec<String> = admin
        .query(
            "SELECT DISTINCT officer FROM batches WHERE source = 'tui'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(batches, [alice.as_str()], "every write is the login's");
    let failed: Vec<String> = pg::verify(&db.url())
        .unwrap()
        .into_iter()
        .filter_map(|(_, problem)| problem)
        .collect();
    assert!(failed.is_empty(), "every record sealed: {failed:?}");
}
