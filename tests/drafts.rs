//! Drafts under the faults of a real office, through the workstation's own state machine and a
//! real SQLite file: the database locked by another writer, read-only, or out of reach together
//! with the fallback file; and two officers on one file.

mod common;

use common::{fallback_files, tick};

use caseload::app::keymap::ModeKeys;

use caseload::app::keymap::Keymap;
use caseload::app::state::Message;
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::store::DraftStatus;
use chrono::NaiveTime;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let store = common::build(&path);
    if !common::on_server() {
        store.checkpoint().unwrap();
    }
    (dir, path)
}

fn open(path: &Path, officer: &str) -> Session {
    open_with(path, common::settings_of(officer, path.to_path_buf()))
}

fn open_with(path: &Path, settings: caseload::app::state::Settings) -> Session {
    let store = common::open_as(path, &settings.officer);
    let keys = Keymap::new(&Config::default_config().keys);
    let mut s = Session::new(store, keys, settings).unwrap();
    s.wait_background();
    s.dispatch(Action::Resize(160, 48));
    s
}

/// Polls the saver (as the event loop does) until its status is what is wanted.
fn wait_status(s: &mut Session, wanted: impl Fn(&DraftStatus) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !wanted(&s.state.draft_status) {
        assert!(
            Instant::now() < deadline,
            "status stayed {:?}",
            s.state.draft_status
        );
        std::thread::sleep(Duration::from_millis(20));
        s.poll_background();
    }
}

fn status_bar(s: &mut Session) -> String {
    let screen = common::screen(s, 160, 48);
    screen.lines().last().unwrap_or_default().to_string()
}

fn drafts_in_db(path: &Path) -> Vec<(String, i64, String)> {
    common::saved(path)
        .rows(
            "SELECT officer, tenancy_id, body FROM drafts ORDER BY officer, tenancy_id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Makes the file read-only to SQLite itself, for any user: a write version above 2 in its
/// header is what a future, incompatible SQLite would leave.
fn make_read_only(path: &Path, read_only: bool) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[18] = if read_only { 3 } else { 2 };
    std::fs::write(path, bytes).unwrap();
}

fn message(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m) | Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

// File only: SQLite's lock on the file held by another connection while a draft waits.
#[test]
fn a_locked_database_delays_the_draft_says_so_and_then_takes_it_whole() {
    let (_dir, path) = fixture();
    let mut s = open(&path, "tester");
    s.keys("npart one");
    tick(&mut s, "10:00:00");
    s.settle_drafts();
    assert_eq!(s.state.draft_status, DraftStatus::Saved);

    // Another workstation (or an import) holds the write lock for much longer than the saver
    // waits for it.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    s.keys(" part two");
    tick(&mut s, "10:00:01");
    wait_status(&mut s, |st| {
        matches!(st, DraftStatus::Waiting { busy: true, .. })
    });
    let bar = status_bar(&mut s);
    assert!(
        bar.contains("Draft not saved yet: database busy, retrying"),
        "{bar}"
    );
    // Kept in the fallback file while it waits, within the second.
    wait_status(&mut s, |st| {
        matches!(st, DraftStatus::Kept { busy: true, .. })
    });
    let kept = fallback_files(&path);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].contains("part one part two"), "{}", kept[0]);
    assert!(status_bar(&mut s).contains("retrying; kept in your drafts file"));

    other.execute_batch("COMMIT").unwrap();
    wait_status(&mut s, |st| *st == DraftStatus::Saved);
    assert_eq!(
        drafts_in_db(&path),
        [("tester".into(), 4, "part one part two".into())]
    );
    assert!(fallback_files(&path).is_empty(), "taken out of the file");
    assert!(!status_bar(&mut s).contains("Draft not saved"));
    // No stale "database is locked" at the next save.
    s.keys("<C-s>");
    assert_eq!(message(&s), "Note saved.");
    assert!(drafts_in_db(&path).is_empty());
}

// File only: a file read-only by its header.
#[test]
fn a_read_only_database_keeps_the_note_in_the_fallback_file_and_offers_it_next_time() {
    let (_dir, path) = fixture();
    make_read_only(&path, true);
    let mut s = open(&path, "tester");
    s.keys("nWritten while the database was read-only.");
    tick(&mut s, "10:00:00");
    s.keys("<esc>q");
    // Quitting says where the text is.
    let question = s.state.picker().unwrap();
    assert_eq!(question.title, "A note is not saved yet. Quit anyway?");
    let said = &question.hint;
    assert!(
        said.contains(
            "The database cannot take it (the database is read-only): its draft is kept in"
        ) && said.contains("state/drafts/caseload-tester-"),
        "{said}"
    );
    s.keys("y");
    assert!(s.state.quit);
    assert!(s.ready_to_quit());
    let kept = fallback_files(&path);
    assert!(
        kept[0].contains("Written while the database was read-only."),
        "{kept:?}"
    );
    drop(s);

    // Next start, still read-only: offered like any draft, and restored exactly.
    let mut s = open(&path, "tester");
    let offer = s.state.picker().unwrap();
    assert_eq!(offer.title, "Unsaved notes from last time");
    s.keys("<ret>");
    assert_eq!(s.state.keys(), ModeKeys::Editor);
    let editor = s.state.editor.as_ref().unwrap();
    assert_eq!(editor.body(), "Written while the database was read-only.");
    drop(s);

    // Once the database can take it again, it moves there and the file goes.
    make_read_only(&path, false);
    let mut s = open(&path, "tester");
    s.settle_drafts();
    assert_eq!(s.state.draft_status, DraftStatus::Saved);
    assert_eq!(
        drafts_in_db(&path),
        [(
            "tester".into(),
            4,
            "Written while the database was read-only.".into()
        )]
    );
    assert!(fallback_files(&path).is_empty());
}

// File only: a file read-only by its header.
#[test]
fn a_notes_failed_save_is_not_still_reported_once_the_database_takes_its_draft_again() {
    let (_dir, path) = fixture();
    // The database takes no writes when she saves (a full disk does the same). Made so before
    // the workstation opens it: SQLite reads the header's write version as a connection opens.
    make_read_only(&path, true);
    let mut s = open(&path, "tester");
    s.keys("nSays she will pay on Friday.");
    tick(&mut s, "10:00:00");
    wait_status(&mut s, |st| matches!(st, DraftStatus::Kept { .. }));
    s.keys("<C-s>");
    assert!(message(&s).starts_with("Not saved"), "{}", message(&s));
    assert_eq!(s.state.keys(), ModeKeys::Editor, "the note stays open");
    assert!(status_bar(&mut s).contains("Not saved"));
    // Once the disk has room again the saver puts her draft back in the database and says so
    // (its report, as a full disk freed gives it: a header made writable again is not seen by
    // connections already open).
    s.dispatch(Action::DraftStatus(DraftStatus::Saved));
    let bar = status_bar(&mut s);
    assert!(!bar.contains("Not saved"), "{bar}");
    assert!(
        bar.contains("The database takes writes again: Ctrl-S saves the note."),
        "{bar}"
    );
    let editor = s.state.editor.as_ref().unwrap();
    assert_eq!(editor.body(), "Says she will pay on Friday.");
}

// File only: a file read-only by its header.
#[test]
fn a_read_only_database_says_so_from_the_first_frame_at_80_columns() {
    let (_dir, path) = fixture();
    make_read_only(&path, true);
    let mut s = open(&path, "tester");
    let screen = common::screen(&mut s, 80, 24);
    let top: Vec<&str> = screen.lines().take(2).collect();
    assert!(
        top[0].contains("READ-ONLY: nothing can be recorded"),
        "{screen}"
    );
    assert!(
        top[1].contains("Notes are kept in your drafts file"),
        "{screen}"
    );
    assert!(screen.lines().all(|l| l.chars().count() <= 80));
    // Still there after keys and messages: it does not give way.
    s.keys("nA note.<C-s>");
    let screen = common::screen(&mut s, 80, 24);
    assert!(
        screen.contains("READ-ONLY: nothing can be recorded"),
        "{screen}"
    );
    let bar = screen.lines().last().unwrap_or_default();
    assert!(
        bar.contains("Not saved: the database is read-only"),
        "{bar}"
    );
    assert!(!bar.contains('…'), "the message is whole: {bar}");
    // A writable database shows no such line.
    drop(s);
    make_read_only(&path, false);
    let mut s = open(&path, "tester");
    assert!(!common::screen(&mut s, 80, 24).contains("READ-ONLY"));
}

#[test]
fn two_workstations_of_one_officer_keep_their_own_drafts_of_a_note_on_one_account() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut one = open(&path, "tester");
        let mut two = open(&path, "tester");
        one.keys("nTERMINAL ONE text");
        two.keys("nTERMINAL TWO text");
        tick(&mut one, "10:00:00");
        tick(&mut two, "10:00:00");
        one.settle_drafts();
        two.settle_drafts();
        one.keys(" again");
        tick(&mut one, "10:00:01");
        one.settle_drafts();
        // Both workstations die with their notes open (nothing more is written for them).
        std::mem::forget(one);
        std::mem::forget(two);
        let mut bodies: Vec<String> = drafts_in_db(&path).into_iter().map(|d| d.2).collect();
        bodies.sort();
        assert_eq!(bodies, ["TERMINAL ONE text again", "TERMINAL TWO text"]);
        // The next start offers both, and each is carried on with exactly as it was.
        let mut s = open(&path, "tester");
        let offer = s.state.picker().unwrap();
        assert_eq!(offer.title, "Unsaved notes from last time");
        assert_eq!(offer.choices.len(), 2);
        s.keys("<ret>");
        let first = s.state.editor.as_ref().unwrap().body();
        s.keys("<C-s>");
        s.keys("n");
        let second = s.state.editor.as_ref().unwrap().body();
        let mut both = [first, second];
        both.sort();
        assert_eq!(both, ["TERMINAL ONE text again", "TERMINAL TWO text"]);
        s.keys("<C-s>");
        let mut saved = notes_by(&path, "tester");
        saved.retain(|n| n.starts_with("TERMINAL"));
        saved.sort();
        assert_eq!(saved, ["TERMINAL ONE text again", "TERMINAL TWO text"]);
        s.settle_drafts();
        assert!(
            drafts_in_db(&path).is_empty(),
            "each saved once, no draft left"
        );
    });
}

// File only: a read-only file and no room for the drafts file.
#[test]
fn text_that_can_be_kept_nowhere_is_not_lost_by_quitting_without_saying_so() {
    let (dir, path) = fixture();
    make_read_only(&path, true);
    // The state folder cannot be made: a file stands where its parent should be.
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, "").unwrap();
    let mut settings = common::settings_of("tester", path.clone());
    settings.state_dir = blocked.join("state");
    let mut s = open_with(&path, settings);
    s.keys("nNowhere to go.");
    tick(&mut s, "10:00:00");
    s.settle_drafts();
    assert!(matches!(s.state.draft_status, DraftStatus::Unkept { .. }));
    let bar = status_bar(&mut s);
    assert!(
        bar.contains("Draft NOT saved: the database is read-only"),
        "{bar}"
    );

    s.keys("<esc>q");
    let question = s.state.picker().unwrap();
    assert_eq!(
        question.title,
        "A note is not saved yet, and it can be kept nowhere"
    );
    assert!(
        question.hint.contains("Quitting now loses it"),
        "{}",
        question.hint
    );
    // y and Enter are no answer here; only the explicit choice loses the text.
    s.keys("y");
    assert!(!s.state.quit);
    s.keys("<ret>");
    assert!(!s.state.quit);
    assert_eq!(s.state.editor.as_ref().unwrap().body(), "Nowhere to go.");
    s.keys("q");
    // Asked to quit some other way (q on a tiny screen), it refuses and asks.
    s.state.quit = true;
    assert!(!s.ready_to_quit());
    assert!(!s.state.quit);
    assert!(
        s.state
            .picker()
            .unwrap()
            .title
            .contains("can be kept nowhere"),
        "asked again"
    );
    assert_eq!(s.state.editor.as_ref().unwrap().body(), "Nowhere to go.");
    s.keys("L");
    assert!(s.state.quit);
    assert!(s.ready_to_quit());
}

#[test]
fn two_officers_on_one_file_never_share_a_draft() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut alice = open(&path, "alice");
        alice.keys("nalice's words");
        tick(&mut alice, "10:00:00");
        alice.settle_drafts();

        // Bob is not offered alice's draft, and his note on the account starts empty.
        let mut bob = open(&path, "bob");
        assert!(bob.state.picker().is_none(), "bob was offered a draft");
        bob.keys("n");
        assert_eq!(bob.state.editor.as_ref().unwrap().body(), "");
        bob.keys("bob's words");
        tick(&mut bob, "10:00:01");
        bob.settle_drafts();
        assert_eq!(
            drafts_in_db(&path),
            [
                ("alice".into(), 4, "alice's words".into()),
                ("bob".into(), 4, "bob's words".into())
            ]
        );
        // Bob throws his away: alice's stays.
        bob.keys("<esc>:discard<ret>y");
        bob.settle_drafts();
        assert_eq!(
            drafts_in_db(&path),
            [("alice".into(), 4, "alice's words".into())]
        );
        // Bob writes and saves his own: it is his, and alice's draft is still hers.
        bob.keys("nbob's note<C-s>");
        assert_eq!(message(&bob), "Note saved.");
        assert_eq!(
            drafts_in_db(&path),
            [("alice".into(), 4, "alice's words".into())]
        );
        // A restart of bob's workstation offers him nothing.
        drop(bob);
        assert!(open(&path, "bob").state.picker().is_none());

        alice.keys(", more<C-s>");
        assert_eq!(message(&alice), "Note saved.");
        let notes: Vec<(String, String)> = common::saved(&path)
            .rows(
                "SELECT officer, body FROM notes WHERE tenancy_id = 4 ORDER BY id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            notes,
            [
                ("bob".into(), "bob's note".into()),
                ("alice".into(), "alice's words, more".into())
            ]
        );
        assert!(drafts_in_db(&path).is_empty());
    });
}

#[test]
fn of_a_draft_in_both_places_the_newer_is_offered_and_kept() {
    common::on_each_engine(|| {
        use caseload::store::{Draft, DraftFile};
        let (_dir, path) = fixture();
        let mut s = open(&path, "tester");
        s.keys("nnewer, in the database");
        tick(&mut s, "10:00:00");
        s.settle_drafts();
        drop(s);
        // An older copy left in the file (its removal was cut short), and one of another account.
        // Kept by the database the workstation names (on a team's, its URL).
        let db = common::open_as(&path, "tester").path().to_path_buf();
        let file = DraftFile::new(&path.with_file_name("state"), &db, "tester");
        let old = |tenancy_id, body: &str| Draft {
            tenancy_id,
            body: body.into(),
            cursor: (0, 0),
            context: "{\"purpose\":\"note\"}".into(),
            officer: "tester".into(),
            workstation: String::new(),
            saved_at: "2020-01-01T00:00:00.000Z".into(),
        };
        file.write(&[old(4, "older, in the file"), old(1, "only in the file")])
            .unwrap();

        let mut s = open(&path, "tester");
        let offer = s.state.picker().unwrap();
        assert_eq!(offer.choices.len(), 2);
        s.settle_drafts();
        assert_eq!(
            drafts_in_db(&path),
            [
                ("tester".into(), 1, "only in the file".into()),
                ("tester".into(), 4, "newer, in the database".into())
            ]
        );
        assert!(fallback_files(&path).is_empty());
    });
}

fn header(s: &mut Session) -> String {
    common::screen(s, 160, 48)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn notes_by(path: &Path, officer: &str) -> Vec<String> {
    common::saved(path)
        .rows(
            "SELECT body FROM notes WHERE officer = ?1 ORDER BY id",
            &[&officer],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn another_officers_note_in_progress_shows_as_theirs() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut bob = open(&path, "bob");
        tick(&mut bob, "10:00:00");
        assert!(!header(&mut bob).contains("is writing"));

        let mut alice = open(&path, "alice");
        alice.keys("nalice's words");
        tick(&mut alice, "10:00:01");
        alice.settle_drafts();
        // Bob's screen learns of it within a few seconds, without a key (on a team's database
        // when the server's announcement reaches his workstation's listener).
        let deadline = Instant::now() + Duration::from_secs(5);
        tick(&mut bob, "10:00:06");
        while !header(&mut bob).contains("is writing") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
            while bob.poll_background() {}
            tick(&mut bob, "10:00:06");
        }
        let top = header(&mut bob);
        assert!(
            top.contains("✎ alice is writing a note on this account"),
            "{top}"
        );
        // Starting a note there says so; bob's note is his own.
        bob.keys("n");
        assert_eq!(
            message(&bob),
            "alice is writing a note on this account too: this note is yours, theirs stays theirs."
        );
        assert_eq!(bob.state.editor.as_ref().unwrap().body(), "");
    });
}

#[test]
fn a_save_while_another_holds_the_write_lock_waits_says_so_and_lands_once() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut s = open(&path, "bob");
        let mut other = Holder::on(&path);
        other.hold();
        s.keys("nCalled about the letter.<C-s>");
        assert!(
            message(&s).starts_with("Saving: waiting for the database"),
            "{}",
            message(&s)
        );
        // Keys wait: nothing typed now can be left out of what is saved.
        s.keys("xyz");
        assert_eq!(
            s.state.editor.as_ref().unwrap().body(),
            "Called about the letter."
        );
        tick(&mut s, "10:00:00");
        assert!(s.state.waiting.is_some(), "still busy: still waiting");
        assert!(notes_by(&path, "bob").is_empty());
        other.release();
        tick(&mut s, "10:00:01");
        assert!(message(&s).starts_with("Note saved."), "{}", message(&s));
        // What was typed meanwhile is a new note of its own.
        assert_eq!(s.state.editor.as_ref().unwrap().body(), "xyz");
        tick(&mut s, "10:00:02");
        assert_eq!(notes_by(&path, "bob"), ["Called about the letter."], "once");
        s.keys("<C-s>");
        assert_eq!(notes_by(&path, "bob"), ["Called about the letter.", "xyz"]);

        // Esc stops waiting: nothing saved, nothing lost; saving again later saves it once.
        other.hold();
        s.keys("nSecond note.<C-s><esc>");
        assert!(
            message(&s).starts_with("Stopped waiting"),
            "{}",
            message(&s)
        );
        assert_eq!(s.state.editor.as_ref().unwrap().body(), "Second note.");
        other.release();
        s.keys("<C-s>");
        assert_eq!(message(&s), "Note saved.");
        assert_eq!(
            notes_by(&path, "bob"),
            ["Called about the letter.", "xyz", "Second note."]
        );
    });
}

#[test]
fn keys_typed_while_a_save_waits_are_kept_once_it_lands_and_none_is_taken_for_the_queue() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut s = open(&path, "bob");
        let mut other = Holder::on(&path);
        other.hold();
        s.keys("nRepro D.<C-s>");
        assert!(
            message(&s).starts_with("Saving: waiting"),
            "{}",
            message(&s)
        );
        // Typed into the note on screen while the save waits.
        s.keys("hello");
        tick(&mut s, "10:00:00");
        assert!(s.state.waiting.is_some(), "still busy: still waiting");
        other.release();
        tick(&mut s, "10:00:01");
        assert_eq!(
            notes_by(&path, "bob"),
            ["Repro D."],
            "saved once, as it was"
        );
        assert!(message(&s).starts_with("Note saved."), "{}", message(&s));
        assert!(message(&s).contains("in a new note"), "{}", message(&s));
        // What was typed meanwhile is in a new note on the same account, and the next key goes there.
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        s.keys("x");
        assert_eq!(s.state.editor.as_ref().unwrap().body(), "hellox");
        tick(&mut s, "10:00:02");
        s.settle_drafts();
        let drafts: Vec<String> = drafts_in_db(&path).into_iter().map(|d| d.2).collect();
        assert_eq!(drafts, ["hellox"], "kept in the draft");
    });
}

#[test]
fn a_note_saved_again_while_the_first_waits_keeps_what_was_typed_after_it() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut s = open(&path, "bob");
        let mut other = Holder::on(&path);
        other.hold();
        s.keys("nOne.<C-s>Two.<C-s>Three.");
        other.release();
        tick(&mut s, "10:00:01");
        assert_eq!(notes_by(&path, "bob"), ["One.", "Two."]);
        assert_eq!(s.state.editor.as_ref().unwrap().body(), "Three.");
    });
}

#[test]
fn keys_typed_while_a_save_waits_go_into_the_note_when_esc_stops_waiting() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut s = open(&path, "bob");
        let mut other = Holder::on(&path);
        other.hold();
        s.keys("nFirst part.<C-s> and more<esc>");
        assert!(
            message(&s).starts_with("Stopped waiting"),
            "{}",
            message(&s)
        );
        assert_eq!(
            s.state.editor.as_ref().unwrap().body(),
            "First part. and more"
        );
        other.release();
        s.keys("<C-s>");
        assert_eq!(notes_by(&path, "bob"), ["First part. and more"]);
    });
}

#[test]
fn a_note_thrown_away_while_the_database_is_busy_is_gone_once_it_is_free() {
    common::on_each_engine(|| {
        let (_dir, path) = fixture();
        let mut s = open(&path, "bob");
        s.keys("nnot wanted");
        tick(&mut s, "10:00:00");
        s.settle_drafts();
        assert_eq!(drafts_in_db(&path).len(), 1);
        let mut other = Holder::on(&path);
        other.hold();
        s.keys("<esc>:discard<ret>y");
        assert_eq!(message(&s), "Note discarded.");
        other.release();
        s.settle_drafts();
        assert!(drafts_in_db(&path).is_empty());
    });
}

/// Another connection holding the database's write: SQLite's write lock on a file, the turn
/// every write takes on a team's database.
enum Holder {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

impl Holder {
    fn on(path: &Path) -> Holder {
        if common::on_server() {
            Holder::Server(caseload::store::pg::connect(&common::server_url(path)).unwrap())
        } else {
            Holder::File(rusqlite::Connection::open(path).unwrap())
        }
    }

    fn hold(&mut self) {
        match self {
            Holder::File(c) => c.execute_batch("BEGIN EXCLUSIVE").unwrap(),
            Holder::Server(c) => c
                .batch_execute("BEGIN; SELECT caseload_take_turn()")
                .unwrap(),
        }
    }

    fn release(&mut self) {
        match self {
            Holder::File(c) => c.execute_batch("COMMIT").unwrap(),
            Holder::Server(c) => c.batch_execute("COMMIT").unwrap(),
        }
    }
}

/// How many notes each of the two writing processes saves.
const NOTES_EACH: usize = 12;

/// The second process of `two_processes_saving_on_one_file_lose_and_double_nothing` (run by it,
/// with the file and the officer in its environment; on its own it does nothing).
#[test]
#[ignore = "a helper process of two_processes_saving_on_one_file_lose_and_double_nothing"]
fn a_second_workstation_saving_notes() {
    let (Ok(db), Ok(officer)) = (
        std::env::var("CASELOAD_TEST_DB"),
        std::env::var("CASELOAD_TEST_OFFICER"),
    ) else {
        return;
    };
    let mut s = open(Path::new(&db), &officer);
    // The first process holds the file until it reads this.
    println!("ready");
    let mut clock = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    let mut waited = 0;
    for i in 0..NOTES_EACH {
        s.keys(&format!("n{officer} note {i}"));
        // A draft save on the way, competing for the file too.
        clock += chrono::TimeDelta::seconds(1);
        s.dispatch(Action::Tick(clock));
        s.keys("<C-s>");
        waited += usize::from(s.state.waiting.is_some());
        let deadline = Instant::now() + Duration::from_secs(20);
        while s.state.editor.is_some() {
            assert!(Instant::now() < deadline, "{}", message(&s));
            std::thread::sleep(Duration::from_millis(25));
            clock += chrono::TimeDelta::milliseconds(250);
            s.dispatch(Action::Tick(clock));
        }
    }
    s.settle_drafts();
    assert_eq!(s.state.draft_status, DraftStatus::Saved);
    // Read by the first process: how many saves found the file busy and waited.
    println!("waited {waited}");
}

// File only: two processes on one file (tests/pty.rs has two on a team's database).
#[test]
fn two_processes_saving_on_one_file_lose_and_double_nothing() {
    let (_dir, path) = fixture();
    let writer = |officer: &str| {
        std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "a_second_workstation_saving_notes",
                "--ignored",
                "--nocapture",
            ])
            .env("CASELOAD_TEST_DB", &path)
            .env("CASELOAD_TEST_OFFICER", officer)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // A third writer (an import, say) holds the file now and then, longer than a save waits:
    // from before the two start until both are about to save (however slowly a busy machine
    // starts them), so that their first saves find it busy.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut writers = [writer("alice"), writer("bob")];
    let mut said: Vec<_> = writers
        .iter_mut()
        .map(|w| BufReader::new(w.stdout.take().unwrap()))
        .collect();
    for out in &mut said {
        let mut line = String::new();
        while line.trim() != "ready" {
            line.clear();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "a writer ended early"
            );
        }
    }
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(500));
        other.execute_batch("COMMIT").unwrap();
        std::thread::sleep(Duration::from_millis(100));
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
    }
    other.execute_batch("COMMIT").unwrap();
    let mut waited = 0;
    for (w, mut out) in writers.into_iter().zip(said) {
        let mut said = String::new();
        out.read_to_string(&mut said).unwrap();
        let status = w.wait_with_output().unwrap().status;
        assert!(status.success(), "{said}");
        waited += said
            .lines()
            .find_map(|l| l.strip_prefix("waited ")?.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{said}"));
    }
    assert!(
        waited > 0,
        "no save found the file busy: the test did not test"
    );
    for officer in ["alice", "bob"] {
        let expected: Vec<String> = (0..NOTES_EACH)
            .map(|i| format!("{officer} note {i}"))
            .collect();
        assert_eq!(notes_by(&path, officer), expected, "each once, in order");
    }
    assert!(drafts_in_db(&path).is_empty());
    let store = common::open(&path);
    for (check, problem) in store.verify(&[]).unwrap().results {
        assert_eq!(problem, None, "{}", check.holds);
    }
}
