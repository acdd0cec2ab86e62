//! The workstation on a team's PostgreSQL database (`CASELOAD_TEST_PG`, started by `.ci/run`):
//! an officer works a caseload moved in from a file, through the same keys and the same store as
//! on a file, as the login the server knows.

mod common;

use caseload::app::Session;
use caseload::app::action::Action;
use caseload::app::keymap::Keymap;
use caseload::app::queue::{QueueItem, Tab};
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::plan::{PlanKind, PlanState};
use caseload::domain::tenancy::DebtType;
use caseload::store::pg::{self, scratch::Scratch};
use caseload::store::{DraftStatus, NewEntry, Store};
use std::path::Path;
use std::time::{Duration, Instant};

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
    pg::move_in(&common::small_demo(dir), &db.url()).unwrap();
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
    assert_eq!(
        notes_on(&mut admin, &alice, tenancy),
        ["Asked for the landlord's letter again"]
    );
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

/// Takes in what `session` hears until `done` holds, for at most `within`: whether it did.
/// The notes `officer` has saved on `tenancy`, oldest first, as the server holds them.
fn notes_on(admin: &mut postgres::Client, officer: &str, tenancy: i64) -> Vec<String> {
    admin
        .query(
            "SELECT body FROM notes WHERE officer = $1 AND tenancy_id = $2 ORDER BY id",
            &[&officer, &tenancy],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn until(session: &mut Session, within: Duration, done: impl Fn(&Session) -> bool) -> bool {
    let end = Instant::now() + within;
    loop {
        while session.poll_background() {}
        if done(session) {
            return true;
        }
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn others(session: &Session) -> String {
    caseload::app::drafts::others_writing(&session.state).unwrap_or_default()
}

#[test]
fn another_officers_call_shows_while_it_lasts_and_her_promise_re_places_the_account_at_once() {
    let mut db = scratch!("team_live");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let (_bob, bob_url) = db.officer("bob");
    let mut a = session_on_server(&alice_url, dir.path());
    let mut b = session_on_server(&bob_url, &dir.path().join("bob"));
    let tenancy = a.state.queue.selected_id().unwrap();
    let reference = a.state.queue.item(tenancy).unwrap().reference().to_string();
    b.keys(&format!(":goto {reference}<ret>"));
    assert_eq!(b.state.queue.selected_id(), Some(tenancy));
    assert!(b.state.queue.item(tenancy).unwrap().promise.is_none());

    // Alice rings the tenant: Bob sees it on the account within a second.
    a.keys("c11");
    let on_call = format!("{alice} is on a call with this tenant");
    assert!(
        until(&mut b, Duration::from_secs(1), |b| others(b) == on_call),
        "Bob sees {:?}",
        others(&b)
    );

    // She saves the call with a promise: Bob's queue re-places the account (its promise is
    // there) within a second, without a re-rank, and the call is no longer shown.
    a.keys("<C-s>p50<ret>friday<ret><ret><ret>");
    assert!(
        until(&mut b, Duration::from_secs(1), |b| {
            b.state.queue.item(tenancy).unwrap().promise.is_some() && others(b).is_empty()
        }),
        "Bob sees {:?} and the promise {:?}",
        others(&b),
        b.state.queue.item(tenancy).unwrap().promise
    );

    // A note she starts shows as one; when her workstation stops, it is gone.
    a.keys("n");
    let writing = format!("{alice} is writing a note on this account");
    assert!(until(&mut b, Duration::from_secs(1), |b| others(b) == writing));
    drop(a);
    assert!(
        until(&mut b, Duration::from_secs(2), |b| others(b).is_empty()),
        "Bob still sees {:?}",
        others(&b)
    );
}

/// Bob's workstation on the demo moved into a throwaway database, reading accounts aside as the
/// workstation does, and Alice's login there (her name and URL) for a workstation of hers.
struct Watching {
    db: Scratch,
    dir: tempfile::TempDir,
    alice: String,
    alice_url: String,
    b: Session,
}

fn bob_watching(label: &str) -> Option<Watching> {
    let mut db = Scratch::new(label)?;
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let (_bob, bob_url) = db.officer("bob");
    let mut b = session_on_server(&bob_url, dir.path());
    b.read_accounts_aside(std::sync::Arc::new(|| {}));
    Some(Watching {
        db,
        dir,
        alice,
        alice_url,
        b,
    })
}

/// The officer logged in at `url` takes a card payment on `tenancy` through her own store, large
/// enough to clear its arrears.
fn clears_arrears(url: &str, tenancy: i64) {
    let mut store = Store::open_server(url).unwrap();
    let officer = store.login().unwrap().unwrap();
    store
        .write(&officer, "tui", |w| {
            let account = w.account(tenancy, DebtType::Rent)?;
            w.append_entry(&NewEntry {
                account_id: account,
                date: common::today(),
                kind: EntryKind::Payment,
                method: Some(PaymentMethod::Card),
                amount: -Money::pounds(20_000),
                description: None,
                reverses: None,
                ext_id: None,
            })
        })
        .unwrap();
}

/// The selected account's tenancy id, and that of the first other account in the officer's queue
/// that `also` accepts.
fn selected_and_another(b: &Session, also: impl Fn(&QueueItem) -> bool) -> (i64, i64) {
    let selected = b.state.queue.selected_id().unwrap();
    let another = b
        .state
        .queue
        .rows()
        .find(|r| r.tenancy_id != selected && also(r))
        .unwrap()
        .tenancy_id;
    (selected, another)
}

/// The balance the officer's queue shows for `tenancy`.
fn balance_shown(session: &Session, tenancy: i64) -> Money {
    session.state.queue.item(tenancy).unwrap().arrears.balance
}

/// How many times the officer's own connection, the one her keys use, has waited for the server.
fn own_trips(session: &Session) -> u64 {
    session.store().server().unwrap().round_trips()
}

/// Who is on which account is not a record: a colleague's call begun or ended is shown (on the
/// account open) without reading any row of the queue again, so it costs the officer's own
/// connection, the one her keys use, nothing.
#[test]
fn a_colleagues_call_begun_and_ended_is_shown_without_the_officers_own_connection() {
    let Some(Watching {
        db: _db,
        dir: _dir,
        alice,
        alice_url,
        mut b,
    }) = bob_watching("team_presence")
    else {
        return;
    };
    assert!(until(&mut b, Duration::from_secs(2), |b| !b.is_loading()));
    let (tenancy, elsewhere) = selected_and_another(&b, |_| true);
    let before = own_trips(&b);

    // Alice's workstation begins a note on another account, then a call on Bob's.
    let alice_at_work = pg::open(&alice_url).unwrap();
    alice_at_work.present(elsewhere, pg::Doing::Note).unwrap();
    alice_at_work.present(tenancy, pg::Doing::Call).unwrap();
    let on_call = format!("{alice} is on a call with this tenant");
    assert!(
        until(&mut b, Duration::from_secs(2), |b| others(b) == on_call),
        "Bob sees {:?}",
        others(&b)
    );
    alice_at_work.absent(tenancy).unwrap();
    assert!(
        until(&mut b, Duration::from_secs(2), |b| others(b).is_empty()),
        "Bob sees {:?}",
        others(&b)
    );
    assert_eq!(own_trips(&b), before, "the officer's own connection waited");
}

/// A colleague's write re-places the account in the officer's queue (its balance, its name's row)
/// read on the reader's connection: her own, the one her keys use, does not wait for the server.
#[test]
fn a_colleagues_payment_re_places_the_account_without_the_officers_own_connection() {
    let Some(Watching {
        db: _db,
        dir: _dir,
        alice: _,
        alice_url,
        mut b,
    }) = bob_watching("team_heard_aside")
    else {
        return;
    };
    assert!(until(&mut b, Duration::from_secs(2), |b| !b.is_loading()));
    let (selected, target) = selected_and_another(&b, |r| r.arrears.balance.is_positive());
    let before = own_trips(&b);

    // Alice takes a payment on it through her own store: it clears the arrears.
    clears_arrears(&alice_url, target);
    assert!(
        until(&mut b, Duration::from_secs(2), |b| {
            balance_shown(b, target).is_negative()
        }),
        "Bob's queue still shows {:?}",
        balance_shown(&b, target)
    );
    assert_eq!(own_trips(&b), before, "the officer's own connection waited");
    assert_eq!(b.state.queue.selected_id(), Some(selected));
}

/// The officer's start reads, on her own connection, only what her keys need: the accounts whose
/// plans the day's check found breached or completed (on its own connection, behind the first
/// frame) are read again aside, as a colleague's writes are.
#[test]
fn the_days_plan_check_re_places_accounts_without_the_officers_own_connection() {
    let mut db = scratch!("team_plans_aside");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (bob, bob_url) = db.officer("bob");
    // A plan agreed today, £10 a week, that nothing will pay.
    let mut store = Store::open_server(&bob_url).unwrap();
    let tenancy: i64 = common::Saved(Store::open_server(&db.url()).unwrap())
        .query_row("SELECT min(id) FROM tenancies", &[], |r| r.get(0))
        .unwrap();
    store
        .write(&bob, "test", |w| {
            let terms = common::weekly(
                PlanKind::Informal,
                common::today(),
                Money::pounds(10),
                Money::pounds(500),
            );
            let at = common::today().and_hms_opt(11, 0, 0).unwrap();
            common::add_plan(w, tenancy, terms, "agreed on the phone", at, &bob)
        })
        .unwrap();
    drop(store);
    // As the workstation starts: everything behind the first frame, nothing waited for.
    let start = |today| {
        let store = Store::open_server(&bob_url).unwrap();
        let config = Config::default_config();
        let mut settings = common::settings_of("ignored", dir.path().join("team.db"));
        settings.officer = store.login().unwrap().unwrap();
        settings.today = today;
        let mut b = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
        b.read_accounts_aside(std::sync::Arc::new(|| {}));
        assert!(until(&mut b, Duration::from_secs(20), |b| !b.is_loading()));
        b
    };
    // Four weeks on, the check finds plans breached (and records it); the same day again, none.
    let later = common::today() + chrono::Days::new(28);
    let events = || {
        common::Saved(Store::open_server(&db.url()).unwrap())
            .query_row("SELECT count(*) FROM plan_events", &[], |r| r.get::<i64>(0))
            .unwrap()
    };
    let before = events();
    let changed = start(later);
    assert!(events() > before, "the check found plans changed");
    let plan_state = |b: &Session| b.state.queue.item(tenancy).unwrap().plan_state;
    assert_eq!(plan_state(&changed), Some(PlanState::Breached));
    let unchanged = start(later);
    assert_eq!(
        own_trips(&changed),
        own_trips(&unchanged),
        "the plans' changes were read on the officer's own connection"
    );
}

/// A workstation killed mid-call takes nothing away: its presence stays in the table, no longer
/// current once its connection is gone. Another workstation (reading accounts aside, as the
/// workstation does) shows the call from the account's own read, and stops showing it at its next
/// look at who is on the account, a few seconds on, which says the screen is to be drawn again.
#[test]
fn a_call_whose_workstation_was_killed_goes_at_the_next_look_and_the_screen_is_drawn_again() {
    let Some(Watching {
        db,
        dir: _dir,
        alice,
        alice_url,
        mut b,
    }) = bob_watching("team_killed")
    else {
        return;
    };
    let tenancy = b.state.queue.selected_id().unwrap();
    let clock = |seconds| chrono::NaiveTime::from_hms_opt(9, 0, seconds).unwrap();
    b.tick(clock(0));

    // Alice's workstation begins a call on it (as its presence connection does).
    let alice_at_work = pg::open(&alice_url).unwrap();
    alice_at_work.present(tenancy, pg::Doing::Call).unwrap();
    let on_call = format!("{alice} is on a call with this tenant");
    assert!(
        until(&mut b, Duration::from_secs(2), |b| others(b) == on_call),
        "Bob sees {:?}",
        others(&b)
    );

    // It is killed: its connection goes (once the server has seen it go, nothing is current).
    drop(alice_at_work);
    let mut admin = db.admin();
    let gone = Instant::now();
    while admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = $1",
            &[&alice],
        )
        .unwrap()
        .get::<_, i64>(0)
        > 0
    {
        assert!(gone.elapsed() < Duration::from_secs(5), "still connected");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Bob's next look is when the clock says, and keeps his keys' connection waiting for
    // nothing: it is a round trip of the reader's.
    let before = own_trips(&b);
    assert!(!b.tick(clock(2)));
    assert_eq!(others(&b), on_call);
    // The look is the reader's: the poll that takes it in says the screen is to be drawn again.
    b.tick(clock(6));
    // Other background work (the queue's text, the records' check) may be taken in first.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let drawn = b.poll_background();
        if others(&b).is_empty() {
            assert!(
                drawn,
                "the look was taken in without drawing the screen again"
            );
            break;
        }
        assert!(Instant::now() < deadline, "no look taken in");
        if !drawn {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    assert_eq!(own_trips(&b), before, "the officer's own connection waited");
}

/// The screen as text, at the size the session was given.
fn screen_text(session: &Session) -> String {
    let (w, h) = session.state.size;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| {
            caseload::ui::draw(
                f,
                &session.state,
                session.keymap(),
                &caseload::ui::Theme::plain(),
            );
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn caseload(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(args)
        .env_remove("CASELOAD_DB")
        .output()
        .unwrap()
}

#[test]
fn a_coordinator_moves_a_patch_an_officer_may_not_and_the_workstations_re_place_it_live() {
    let mut db = scratch!("team_reassign");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let (carol, carol_url) = db.officer("carol");
    db.admin()
        .batch_execute(&format!("GRANT caseload_coordinator TO \"{carol}\""))
        .unwrap();
    let riverside: i64 = db
        .admin()
        .query_one(
            "SELECT count(*) FROM tenancies WHERE patch = 'Riverside'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(riverside > 0);
    let mut a = session_on_server(&alice_url, dir.path());
    let mut c = session_on_server(&carol_url, &dir.path().join("carol"));
    // In her workstation the refusal comes before any confirmation is asked for.
    a.keys(&format!(":reassign {alice}<ret>"));
    let said = a.state.message.as_ref().map(|m| m.text().to_string());
    assert!(
        said.as_deref().is_some_and(
            |m| m.starts_with("Not moved: only an income coordinator may move accounts")
        ),
        "{said:?}"
    );
    assert!(a.state.overlays.is_empty(), "no confirmation asked");
    a.keys(&format!(":officer {alice}<ret>"));
    assert_eq!(a.state.queue.count(Tab::All), 0, "alice holds nothing yet");

    // An officer's login is refused: by caseload, saying why, and by the server itself.
    let move_to_alice = |url: &str| {
        caseload(&[
            "--db",
            url,
            "reassign",
            "--patch",
            "Riverside",
            "--to",
            &alice,
            "--new-officer",
        ])
    };
    let refused = move_to_alice(&alice_url);
    assert_eq!(refused.status.code(), Some(1), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("only an income coordinator may move accounts to another officer"),
        "{refused:?}"
    );
    let mut officer = pg::connect(&alice_url).unwrap();
    let mut tx = officer.transaction().unwrap();
    tx.batch_execute("SELECT caseload_take_turn()").unwrap();
    let denied = tx
        .batch_execute(&format!(
            "UPDATE tenancies SET own_officer = '{alice}' WHERE patch = 'Riverside'"
        ))
        .unwrap_err();
    assert_eq!(
        denied.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{denied}"
    );
    drop(tx);

    // The coordinator moves the patch: one batch of hers, each move audited, all sealed.
    let moved = move_to_alice(&carol_url);
    assert!(moved.status.success(), "{moved:?}");
    assert!(
        String::from_utf8_lossy(&moved.stdout)
            .starts_with(&format!("Moved {riverside} accounts from ")),
        "{moved:?}"
    );
    let audited: Vec<(String, String)> = db
        .admin()
        .query(
            "SELECT DISTINCT b.officer, a.new FROM audit a JOIN batches b ON b.id = a.batch_id
             WHERE a.entity = 'tenancy' AND a.field = 'officer'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(audited, [(carol.clone(), alice.clone())]);
    let failed: Vec<String> = pg::verify(&db.url())
        .unwrap()
        .into_iter()
        .filter_map(|(_, problem)| problem)
        .collect();
    assert!(failed.is_empty(), "every record sealed: {failed:?}");

    // Alice's queue, filtered to her accounts, holds the patch within a second, no restart; the
    // coordinator sees alice's queue with :officer.
    let count = usize::try_from(riverside).unwrap();
    assert!(
        until(&mut a, Duration::from_secs(1), |a| a
            .state
            .queue
            .count(Tab::All)
            == count),
        "alice's queue holds {} of {count}",
        a.state.queue.count(Tab::All)
    );
    assert!(until(&mut c, Duration::from_secs(1), |c| {
        c.state
            .queue
            .rows()
            .filter(|r| r.text.as_ref().is_some_and(|t| *t.officer == *alice))
            .count()
            == count
    }));
    c.keys(&format!(":officer {alice}<ret>"));
    assert_eq!(c.state.queue.count(Tab::All), count);
}

#[test]
fn a_lost_live_connection_is_said_work_goes_on_and_on_its_return_what_changed_meanwhile_shows() {
    let mut db = scratch!("team_lost");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let (_bob, bob_url) = db.officer("bob");
    let mut a = session_on_server(&alice_url, dir.path());
    let (selected, target) = selected_and_another(&a, |r| r.arrears.balance.is_positive());

    // Her listener's connection is cut, and cannot come back for now (her login is barred).
    let mut admin = db.admin();
    admin
        .batch_execute(&format!("ALTER ROLE \"{alice}\" NOLOGIN"))
        .unwrap();
    let cut: i64 = admin
        .query_one(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE usename = $1 AND query = 'LISTEN caseload_changes') t",
            &[&alice],
        )
        .unwrap()
        .get(0);
    assert_eq!(cut, 1);
    assert!(
        until(&mut a, Duration::from_secs(3), |a| screen_text(a)
            .contains("Live updates lost: reconnecting")),
        "{}",
        screen_text(&a)
    );

    // She works on: a note is saved on her own connection.
    a.keys("nStill here<C-s>");
    assert_eq!(
        a.state.message.as_ref().map(|m| m.text().to_string()),
        Some("Note saved.".to_string())
    );
    // Bob takes a payment meanwhile: she cannot hear it.
    clears_arrears(&bob_url, target);
    std::thread::sleep(Duration::from_millis(300));
    while a.poll_background() {}
    assert!(balance_shown(&a, target).is_positive());

    // Her login is back: the listener reconnects, the queue is ranked again with Bob's payment,
    // and the warning goes.
    admin
        .batch_execute(&format!("ALTER ROLE \"{alice}\" LOGIN"))
        .unwrap();
    assert!(
        until(&mut a, Duration::from_secs(10), |a| {
            balance_shown(a, target).is_negative() && !screen_text(a).contains("Live updates lost")
        }),
        "{}",
        screen_text(&a)
    );
    assert_eq!(a.state.queue.selected_id(), Some(selected));
}

#[test]
fn a_note_typed_while_the_server_is_out_of_reach_is_kept_on_the_officers_machine_and_saved_on_its_return()
 {
    let mut db = scratch!("team_draft_lost");
    let dir = tempfile::tempdir().unwrap();
    demo_moved_in(&db, dir.path());
    let (alice, alice_url) = db.officer("alice");
    let mut a = session_on_server(&alice_url, dir.path());
    let tenancy = a.state.queue.selected_id().unwrap();
    let kept_here = || common::fallback_files(&dir.path().join("team.db")).concat();
    a.keys("nPhoned at 10, she says the");
    common::tick(&mut a, "10:00:00");
    a.settle_drafts();
    assert_eq!(a.state.draft_status, DraftStatus::Saved);

    // The server goes out of her reach: every connection of hers is ended, and none can be made.
    let mut admin = db.admin();
    admin
        .batch_execute(&format!("ALTER ROLE \"{alice}\" NOLOGIN"))
        .unwrap();
    admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            &[&alice],
        )
        .unwrap();
    a.keys(" housing benefit stopped in October");
    common::tick(&mut a, "10:00:01");
    assert!(
        until(&mut a, Duration::from_secs(10), |a| matches!(
            a.state.draft_status,
            DraftStatus::Kept { .. }
        )),
        "{:?}",
        a.state.draft_status
    );
    assert!(
        kept_here().contains("Phoned at 10, she says the housing benefit stopped in October"),
        "{}",
        kept_here()
    );
    assert!(
        screen_text(&a).contains("Draft kept in your drafts file"),
        "{}",
        screen_text(&a)
    );
    // Saving now cannot reach the server: it says so, and the note stays open with every word.
    a.keys("<C-s>");
    assert!(
        format!("{:?}", a.state.message).contains("Not saved"),
        "{:?}",
        a.state.message
    );
    assert_eq!(
        a.state.editor.as_ref().map(|e| e.body()).as_deref(),
        Some("Phoned at 10, she says the housing benefit stopped in October"),
        "{:?}",
        a.state.message
    );

    // The server is back: the draft goes to it, out of her machine's file, and the note saves once.
    admin
        .batch_execute(&format!("ALTER ROLE \"{alice}\" LOGIN"))
        .unwrap();
    // (A draft held while its note's save was tried counted as saved meanwhile: wait for the file.)
    common::tick(&mut a, "10:00:05");
    assert!(
        until(&mut a, Duration::from_secs(10), |a| a.state.draft_status
            == DraftStatus::Saved
            && kept_here().is_empty()),
        "{:?} {}",
        a.state.draft_status,
        kept_here()
    );
    a.keys("<C-s>");
    assert_eq!(
        notes_on(&mut admin, &alice, tenancy),
        ["Phoned at 10, she says the housing benefit stopped in October"]
    );
}
