//! Panes drawn onto ratatui's TestBackend and compared with reviewed snapshots.

mod common;

use caseload::app::Session;
use common::screen;

#[test]
fn full_screen_at_160x48() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("j");
        insta::assert_snapshot!("full_screen_at_160x48", screen(&mut s, 160, 48));
    });
}

#[test]
fn four_panes_at_80x24() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let text = screen(&mut s, 80, 24);
        for title in ["1 Queue", "2 Case history", "3 Plan", "4 Notes"] {
            assert!(text.contains(title), "{title} missing:\n{text}");
        }
        insta::assert_snapshot!("four_panes_at_80x24", text);
    });
}

/// The queue rows drawn in the queue pane (inside its border, after its tabs and column titles).
fn queue_rows(screen: &str) -> Vec<&str> {
    let is_ref = |w: &str| {
        w.len() == 8 && w.as_bytes()[6] == b'/' && w[..6].bytes().all(|b| b.is_ascii_digit())
    };
    screen
        .lines()
        .skip_while(|l| !l.contains("1 Queue"))
        .skip(1)
        .take_while(|l| l.starts_with(['┃', '│']))
        .filter(|l| {
            l.trim_start_matches(['┃', '│'])
                .split_whitespace()
                .next()
                .is_some_and(is_ref)
        })
        .collect()
}

#[test]
fn at_80x24_the_focused_queue_shows_eight_accounts_and_the_header_keeps_the_safety_flags() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::busy_session();
        assert!(s.state.queue.count(s.state.queue.tab()) >= 12);
        let text = screen(&mut s, 80, 24);
        let rows = queue_rows(&text);
        assert!(rows.len() >= 8, "{} accounts in view:\n{text}", rows.len());
        let header: String = text.lines().take(4).collect::<Vec<_>>().join("\n");
        for flag in ["VULNERABLE", "INTERPRETER"] {
            assert!(header.contains(flag), "{flag}\n{header}");
        }
        // The account's panes are still there, each as a line that says what it holds.
        for title in ["2 Case history", "3 Plan", "4 Notes"] {
            assert!(text.contains(title), "{title} missing:\n{text}");
        }
        insta::assert_snapshot!(
            "at_80x24_the_focused_queue_shows_eight_accounts_and_the_header_keeps_the_safety_flags",
            text
        );
    });
}

#[test]
fn at_40x12_the_tab_row_keeps_the_current_tab_and_marks_the_others_left_out() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let tab_row = |s: &mut caseload::app::Session| {
            let text = screen(s, 40, 12);
            let row = text
                .lines()
                .skip_while(|l| !l.contains("1 Queue"))
                .nth(1)
                .unwrap_or_default()
                .to_string();
            (row, text)
        };
        let (row, text) = tab_row(&mut s);
        let inside = row.trim_matches(['┃', ' ']);
        assert!(
            row.contains("[Action 2]") && inside.ends_with('…'),
            "{text}"
        );
        // The last tab, which the row would otherwise cut off.
        s.keys("[[");
        let (row, text) = tab_row(&mut s);
        assert!(row.contains("[All 5]") && row.starts_with("┃…"), "{text}");
    });
}

#[test]
fn at_80x24_an_open_note_folds_while_the_history_is_read_and_comes_back_whole() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("nTenant says she will pay on Friday<esc>");
        assert_eq!(s.state.focus, caseload::app::state::Pane::History);
        let text = screen(&mut s, 80, 24);
        assert!(text.contains("not typing"), "{text}");
        assert!(text.contains("Date     What"), "{text}");
        s.keys("i");
        let text = screen(&mut s, 80, 24);
        assert!(
            text.contains("Tenant says she will pay on Friday"),
            "{text}"
        );
    });
}

#[test]
fn filtered_queue_with_help_overlay() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("/smith<ret>?");
        insta::assert_snapshot!("filtered_queue_with_help_overlay", screen(&mut s, 120, 36));
    });
}

#[test]
fn one_readable_pane_below_80x24() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("4");
        let text = screen(&mut s, 60, 18);
        assert!(text.contains("4 Notes"), "{text}");
        assert!(!text.contains("1 Queue"), "{text}");
        assert!(
            text.contains("lost hours at work") || text.contains("No notes"),
            "{text}"
        );
    });
}

#[test]
fn tiny_terminals_say_so_and_never_panic() {
    common::on_each_engine(|| {
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
    });
}

#[test]
fn on_a_screen_too_small_to_read_keys_wait_and_nothing_is_saved() {
    common::on_each_engine(|| {
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
    });
}

#[test]
fn every_mode_draws_at_every_size() {
    common::on_each_engine(|| {
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
    });
}

// File only: a new file made empty on open (a team's database is made by `caseload migrate`).
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
    common::on_each_engine(|| {
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
    });
}

#[test]
fn control_sequences_in_the_data_never_reach_the_screen() {
    common::on_each_engine(|| {
        use caseload::app::keymap::Keymap;
        use caseload::config::Config;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        drop(common::build(&path));
        // As if an extract (or the sqlite3 shell) had put them there.
        let hostile = "Smith\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{7f}\u{202e}gnp";
        let db = common::saved(&path);
        db.execute(
            "UPDATE tenants SET last_name = ?1 WHERE id = 1",
            &[&hostile],
        )
        .unwrap();
        db.execute(
            "UPDATE properties SET address = ?1 WHERE id = 1",
            &[&"1 Mill\u{1b}[5m Lane\u{2066}"],
        )
        .unwrap();
        drop(db);
        let store = common::open_as_officer(&path);
        let keys = Keymap::new(&Config::default_config().keys);
        let mut s = Session::new(store, keys, common::settings(path)).unwrap();
        s.wait_background();
        s.keys("/smith<ret>");
        for (width, height) in [(160, 48), (80, 24)] {
            let text = screen(&mut s, width, height);
            assert!(text.contains("Ada Smith"), "{text}");
            assert!(!text.contains(caseload::printable::is_unsafe), "{text}");
        }
    });
}

/// The workstation opens on the accounts that headed the queue last time, each as it is now (a
/// payment and a breathing space since), its counts marked as not known yet; once every account
/// is ranked the whole queue takes its place, the officer's place kept, exactly as if it had
/// been ranked before the first frame.
#[test]
fn a_start_shows_last_times_heads_as_they_are_now_until_every_account_is_ranked() {
    common::on_each_engine(|| {
        use caseload::app::Action;
        use caseload::app::keymap::Keymap;
        use caseload::app::queue::Tab;
        use caseload::domain::Money;
        use caseload::domain::ledger::{EntryKind, PaymentMethod};
        use caseload::domain::tenancy::{DebtType, Flags};
        use caseload::store::NewEntry;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        drop(common::build(&path));
        let open = |keep_ranking: bool| {
            let mut settings = common::settings(path.clone());
            settings.keep_ranking = keep_ranking;
            let keys = Keymap::new(&common::config().keys);
            let mut s = Session::new(common::open_as_officer(&path), keys, settings).unwrap();
            s.dispatch(Action::Resize(160, 48));
            s
        };
        // The first start has nothing kept: it ranks every account before it shows.
        let mut first = open(true);
        assert!(!first.state.queue.is_provisional());
        let top = first.state.queue.selected_id().unwrap();
        first.close();
        drop(first);

        // Since then the account at the top was paid in full and a breathing space began, and a
        // new account owing more than any other arrived.
        let today = common::today();
        let mut store = common::open(&path);
        let newcomer = store
            .write("tester", "test", |w| {
                let account = w.account(top, DebtType::Rent)?;
                let owed = Money::pounds(5_000);
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: today,
                    kind: EntryKind::Payment,
                    method: Some(PaymentMethod::Card),
                    amount: -owed,
                    description: None,
                    reverses: None,
                    ext_id: None,
                })?;
                w.set_breathing_space(top, Some(today + chrono::Days::new(30)))?;
                common::add_tenancy(
                    w,
                    &common::Tenancy {
                        reference: "100099/1",
                        people: &[("Gus", "Newman", "07700 900099")],
                        address: "99 Mill Lane, Kingsmere",
                        postcode: "KM1 9ZZ",
                        weekly: 400,
                        unpaid: 12,
                        flags: Flags::default(),
                    },
                )
            })
            .unwrap();
        drop(store);

        let mut s = open(true);
        assert!(s.state.queue.is_provisional());
        let shown = s.state.queue.item(top).unwrap();
        assert!(shown.arrears.balance < Money::ZERO, "{:?}", shown.arrears);
        assert!(shown.breathing_space);
        assert!(s.state.queue.item(newcomer).is_none());
        let reference = shown.reference().to_string();
        // The officer goes to All and moves before the ranking is done: their account stays selected.
        s.state.queue.set_tab(Tab::All);
        s.keys("j");
        let text = screen(&mut s, 160, 48);
        assert!(text.contains("Ranking every account…"), "{text}");
        assert!(text.contains("[All …]"), "{text}");
        let row = (text.lines())
            .find(|l| l.contains(&format!("┃{reference}")))
            .unwrap_or_else(|| panic!("no row for {reference}:\n{text}"));
        // £990 owed, £5,000 paid.
        assert!(row.contains("4,010.00 cr") && row.contains(" B "), "{row}");
        let selected = s.state.queue.selected_id();
        // Every account is ranked on another thread, started after the first frame.
        let waited = std::time::Instant::now();
        while s.state.queue.is_provisional() {
            assert!(waited.elapsed().as_secs() < 30, "the ranking never came");
            s.poll_background();
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(s.state.queue.selected_id(), selected);

        // The whole queue, as a start that ranks first has it.
        let mut fresh = open(false);
        fresh.state.queue.set_tab(Tab::All);
        fresh.keys("j");
        let ids = |s: &Session| -> Vec<i64> {
            let q = &s.state.queue;
            q.window(usize::MAX).map(|(_, i)| i.tenancy_id).collect()
        };
        assert_eq!(ids(&s), ids(&fresh));
        assert_eq!(s.state.queue.tab(), fresh.state.queue.tab());
        for tab in Tab::ALL {
            assert_eq!(s.state.queue.count(tab), fresh.state.queue.count(tab));
        }
        for id in ids(&fresh) {
            let (mine, theirs) = (s.state.queue.item(id), fresh.state.queue.item(id));
            assert_eq!(
                mine.map(|i| (&i.decision, i.arrears, &i.flags)),
                theirs.map(|i| (&i.decision, i.arrears, &i.flags))
            );
        }
        assert_eq!(ids(&s)[0], newcomer, "the newcomer heads the queue");
        assert!(!screen(&mut s, 160, 48).contains("Ranking every account…"));
    });
}

/// The workstation draws the queue before it reads the account the queue opens on (on a team's
/// database that account's reads are a dozen round trips to the server), and reads it just after,
/// before it takes any key: the first key finds it open.
#[test]
fn the_queue_is_drawn_first_and_the_account_it_opens_on_is_read_just_after() {
    common::on_each_engine(|| {
        use caseload::app::keymap::Keymap;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        drop(common::build(&path));
        let mut settings = common::settings(path.clone());
        settings.open_after_first_frame = true;
        let keys = Keymap::new(&common::config().keys);
        let mut s = Session::new(common::open_as_officer(&path), keys, settings).unwrap();
        let top = s
            .state
            .queue
            .selected_id()
            .expect("the queue opens on an account");
        assert!(
            s.state.current_account().is_none(),
            "read before the first frame"
        );
        assert!(s.is_loading());
        let first = screen(&mut s, 160, 48);
        assert!(
            first.contains('£'),
            "the queue's balances are on the first frame:\n{first}"
        );

        // The loop's next turn reads it (and only once).
        assert!(s.open_first_account());
        assert!(!s.open_first_account());
        let opened = s.state.current_account().expect("the account is read");
        assert_eq!(opened.record.tenancy_id, top);
        let text = screen(&mut s, 160, 48);
        // The account's own lines: its tenure, and its case history counted.
        assert!(
            text.contains(" since ") && text.contains("Case history 1 of"),
            "{text}"
        );
        assert!(
            !first.contains(" since ") && !first.contains("Case history 1 of"),
            "{first}"
        );
    });
}
