//! Panes drawn onto ratatui's TestBackend and compared with reviewed snapshots.

mod common;

use caseload::app::Session;
use common::screen;

#[test]
fn full_screen_at_160x48() {
    let (_dir, mut s) = common::session();
    s.keys("j");
    insta::assert_snapshot!(screen(&mut s, 160, 48));
}

#[test]
fn four_panes_at_80x24() {
    let (_dir, mut s) = common::session();
    let text = screen(&mut s, 80, 24);
    for title in ["1 Queue", "2 Case history", "3 Plan", "4 Notes"] {
        assert!(text.contains(title), "{title} missing:\n{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn filtered_queue_with_help_overlay() {
    let (_dir, mut s) = common::session();
    s.keys("/smith<ret>?");
    insta::assert_snapshot!(screen(&mut s, 120, 36));
}

#[test]
fn one_readable_pane_below_80x24() {
    let (_dir, mut s) = common::session();
    s.keys("4");
    let text = screen(&mut s, 60, 18);
    assert!(text.contains("4 Notes"), "{text}");
    assert!(!text.contains("1 Queue"), "{text}");
    assert!(
        text.contains("lost hours at work") || text.contains("No notes"),
        "{text}"
    );
}

#[test]
fn tiny_terminals_say_so_and_never_panic() {
    let (_dir, mut s) = common::session();
    let text = screen(&mut s, 20, 5);
    assert!(text.contains("Terminal"), "{text}");
    assert!(text.contains("small"), "{text}");
    for (w, h) in [
        (10, 4),
        (1, 1),
        (0, 0),
        (30, 8),
        (79, 23),
        (80, 24),
        (300, 100),
    ] {
        screen(&mut s, w, h);
    }
}

#[test]
fn on_a_screen_too_small_to_read_keys_wait_and_nothing_is_saved() {
    let (_dir, mut s) = common::session();
    let before = s.state.current_account().unwrap().history.len();
    let text = screen(&mut s, 10, 4);
    assert!(text.contains("Terminal"), "{text}");
    // Accept the recommendation, start a call and type: all wait.
    s.keys("ac11typed blind<C-s>");
    assert_eq!(s.state.keys(), caseload::app::keymap::ModeKeys::Normal);
    assert!(s.state.editor.is_none());
    assert_eq!(s.state.current_account().unwrap().history.len(), before);
    // Larger again, the same key works.
    screen(&mut s, 120, 40);
    s.keys("a<ret>");
    assert!(s.state.message.is_some());
    // With a note open, q on a tiny screen quits at once: the question could not be seen, and
    // the note is kept as its draft.
    s.keys("nhello<esc>");
    screen(&mut s, 20, 5);
    s.keys("q");
    assert!(s.state.quit);
}

#[test]
fn every_mode_draws_at_every_size() {
    let (_dir, mut s) = common::session();
    for keys in [
        "",
        "/sm",
        "<esc>:go",
        "<esc>?",
        "<esc>:info<ret>",
        "<esc><tab>j",
    ] {
        s.keys(keys);
        for (w, h) in [(30, 8), (50, 12), (80, 24), (120, 30), (200, 60)] {
            screen(&mut s, w, h);
        }
    }
}

#[test]
fn an_empty_database_says_how_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    let store = caseload::store::Store::open(&path).unwrap();
    let config = caseload::config::Config::default_config();
    let keymap = caseload::app::keymap::Keymap::new(&config.keys);
    let mut s = Session::new(store, keymap, common::settings(path)).unwrap();
    let text = screen(&mut s, 100, 30);
    assert!(text.contains("No accounts yet"), "{text}");
    assert!(text.contains("caseload import DIR"), "{text}");
    assert!(text.contains("caseload --demo"), "{text}");
    s.keys("jkG<ret>/x<ret>");
    screen(&mut s, 100, 30);
}

#[test]
fn narrow_queues_leave_columns_out_rather_than_cut_a_balance() {
    let (_dir, mut s) = common::session();
    for width in 30..=100 {
        let text = screen(&mut s, width, 24);
        // Queue rows (inside a pane border), not the header above.
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(['│', '┃']) && l.contains("100004/1"))
            .collect();
        assert!(!rows.is_empty(), "{width}: {text}");
        for row in rows {
            assert!(row.contains("£990.00"), "{width}: {row}");
        }
    }
}

#[test]
fn control_sequences_in_the_data_never_reach_the_screen() {
    use caseload::app::keymap::Keymap;
    use caseload::config::Config;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    drop(common::build(&path));
    // As if an extract (or the sqlite3 shell) had put them there.
    let hostile = "Smith\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{7f}\u{202e}gnp";
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE tenants SET last_name = ?1 WHERE id = 1", [hostile])
        .unwrap();
    conn.execute(
        "UPDATE properties SET address = ?1 WHERE id = 1",
        ["1 Mill\u{1b}[5m Lane\u{2066}"],
    )
    .unwrap();
    drop(conn);
    let store = caseload::store::Store::open(&path).unwrap();
    let keys = Keymap::new(&Config::default_config().keys);
    let mut s = Session::new(store, keys, common::settings(path)).unwrap();
    s.wait_background();
    s.keys("/smith<ret>");
    for (width, height) in [(160, 48), (80, 24)] {
        let text = screen(&mut s, width, height);
        assert!(text.contains("Ada Smith"), "{text}");
        assert!(!text.contains(caseload::printable::is_unsafe), "{text}");
    }
}
