//! The state machine driven by key strings, as an officer would type them, without a terminal.

mod common;

use caseload::app::keymap::ModeKeys;

use caseload::app::queue::Tab;
use caseload::app::state::{Message, Pane};

fn selected(s: &caseload::app::Session) -> String {
    s.state
        .queue
        .selected()
        .map(|i| i.reference().to_string())
        .unwrap_or_default()
}

#[test]
fn the_queue_opens_on_the_deepest_arrears_with_its_account_loaded() {
    common::on_each_engine(|| {
        let (_dir, s) = common::session();
        assert_eq!(s.state.queue.total(), 5);
        // Erin Smithson owes nine weeks, the most.
        assert_eq!(selected(&s), "100004/1");
        let account = s
            .state
            .current_account()
            .expect("the first account is opened at start");
        assert_eq!(account.record.details.reference, "100004/1");
    });
}

#[test]
fn moving_loads_each_account_and_clamps_at_the_ends() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("j");
        assert_eq!(selected(&s), "100001/1");
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            "100001/1"
        );
        s.keys("G");
        let last = selected(&s);
        s.keys("jjj<down>");
        assert_eq!(selected(&s), last);
        s.keys("g");
        assert_eq!(selected(&s), "100004/1");
        s.keys("k<up>");
        assert_eq!(selected(&s), "100004/1");
    });
}

#[test]
fn filter_as_you_type_then_escape_twice() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("[");
        assert_eq!(s.state.queue.tab(), Tab::Today, "Today is the first tab");
        s.keys("[");
        assert_eq!(
            s.state.queue.tab(),
            Tab::All,
            "[ from the first tab wraps to All"
        );
        s.keys("/smi");
        assert_eq!(s.state.keys(), ModeKeys::Filter);
        assert_eq!(s.state.queue.len(), 2);
        s.keys("th<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert_eq!(s.state.queue.len(), 2, "Smith and Smithson");
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            selected(&s)
        );
        // A joint tenant's name, a phone number without its space and a postcode all find accounts.
        s.keys("/<C-u>cara<ret>");
        assert_eq!(selected(&s), "100002/1");
        s.keys("/<C-u>07700900005<ret>");
        assert_eq!(selected(&s), "100005/1");
        s.keys("/<C-u>km1 3ab<ret>");
        assert_eq!(selected(&s), "100003/1");
        // Esc leaves the filter applied; Esc again clears it.
        s.keys("<esc>");
        assert_eq!(s.state.queue.len(), 5);
        assert_eq!(
            s.state.message,
            Some(Message::Info("Filter cleared.".into()))
        );
        assert_eq!(
            selected(&s),
            "100003/1",
            "the place is kept when the filter clears"
        );
    });
}

#[test]
fn a_filter_that_matches_nothing_says_so() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("/zzz<ret>");
        assert!(s.state.queue.is_empty());
        assert!(
            matches!(&s.state.message, Some(Message::Info(m)) if m.contains("Nothing matches"))
        );
        s.keys("jk<ret>");
        assert!(s.state.current_account().is_none());
    });
}

#[test]
fn panes_change_by_tab_number_and_escape() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("<tab>");
        assert_eq!(s.state.focus, Pane::History);
        s.keys("<tab><tab>");
        assert_eq!(s.state.focus, Pane::Notes);
        s.keys("<tab>");
        assert_eq!(s.state.focus, Pane::Queue);
        s.keys("<S-tab>");
        assert_eq!(s.state.focus, Pane::Notes);
        s.keys("3");
        assert_eq!(s.state.focus, Pane::Plan);
        s.keys("<esc>");
        assert_eq!(s.state.focus, Pane::Queue);
        s.keys("<ret>");
        assert_eq!(
            s.state.focus,
            Pane::History,
            "Enter opens the account's history"
        );
    });
}

#[test]
fn scrolling_history_does_not_move_the_queue() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let before = selected(&s);
        s.keys("2jjj");
        assert_eq!(s.state.scroll.history, 3);
        assert_eq!(selected(&s), before);
        s.keys("G");
        let len = s.state.current_account().unwrap().history.len();
        assert_eq!(s.state.scroll.history, len - 1);
        s.keys("g");
        assert_eq!(s.state.scroll.history, 0);
    });
}

#[test]
fn help_lists_the_mode_it_was_opened_from_and_closes() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("?");
        assert_eq!(s.state.keys(), ModeKeys::Help);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        s.keys("/ab<F1>");
        assert_eq!(s.state.keys(), ModeKeys::Help);
        s.keys("q");
        assert_eq!(
            s.state.keys(),
            ModeKeys::Filter,
            "q closes help back to the filter"
        );
        assert_eq!(s.state.filter.text(), "ab", "typed text survives help");
    });
}

#[test]
fn command_line_goto_info_unknown_and_quit() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys(":goto 100003/1<ret>");
        assert_eq!(selected(&s), "100003/1");
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            "100003/1"
        );
        s.keys("/smith<ret>:goto 100002/1<ret>");
        assert_eq!(
            selected(&s),
            "100002/1",
            "goto clears a filter that hides the account"
        );
        s.keys(":goto NOPE<ret>");
        assert_eq!(
            s.state.message,
            Some(Message::Error("No account with reference NOPE.".into()))
        );
        s.keys(":frobnicate<ret>");
        assert!(
            matches!(&s.state.message, Some(Message::Error(m)) if m.contains("Unknown command"))
        );
        s.keys(":info<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Help);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(!s.state.quit);
        s.keys(":q<ret>");
        assert!(s.state.quit);
    });
}

#[test]
fn a_key_with_no_meaning_says_so_and_changes_nothing() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let before = selected(&s);
        s.keys("%");
        assert_eq!(
            s.state.message,
            Some(Message::Error(
                "% does nothing here. Press ? for the keys.".into()
            ))
        );
        assert_eq!(selected(&s), before);
        assert_eq!(s.state.keys(), ModeKeys::Normal);
    });
}

#[test]
fn quit_from_normal_mode() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("q");
        assert!(s.state.quit);
        let (_dir, mut s) = common::session();
        s.keys("<C-c>");
        assert!(s.state.quit);
    });
}

#[test]
fn the_queue_opens_on_needs_action_and_tabs_cycle() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        assert_eq!(s.state.queue.tab(), Tab::NeedsAction);
        // Erin (nine weeks) and Ada (six) are due letter 1; the rest owe nothing chaseable.
        let refs: Vec<String> = s
            .state
            .queue
            .window(10)
            .map(|(_, i)| i.reference().to_string())
            .collect();
        assert_eq!(refs, ["100004/1", "100001/1"]);
        let first = s.state.queue.selected().unwrap();
        assert_eq!(first.decision.recommendation.as_str(), "send_letter_1");
        assert!(
            first
                .decision
                .reason
                .to_string()
                .contains("no arrears letter in the last 3 months"),
            "{}",
            first.decision.reason
        );
        s.keys("]]]]");
        assert_eq!(s.state.queue.tab(), Tab::All);
        assert_eq!(s.state.queue.len(), 5);
        s.keys("]");
        assert_eq!(
            s.state.queue.tab(),
            Tab::Today,
            "after All comes Today again"
        );
        s.keys("]");
        assert_eq!(s.state.queue.tab(), Tab::NeedsAction);
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            selected(&s)
        );
    });
}

#[test]
fn structured_filters_combine_with_tabs_and_search() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        // Back past Today to All.
        s.keys("[[");
        assert_eq!(s.state.queue.len(), 5);
        s.keys(":flag vulnerable<ret>");
        assert_eq!(
            s.state.message,
            Some(Message::Info("Showing vulnerable.".into()))
        );
        assert_eq!(selected(&s), "100003/1");
        assert_eq!(s.state.queue.len(), 1);
        s.keys(":flag<ret>:band 4-8w<ret>");
        let refs: Vec<String> = s
            .state
            .queue
            .window(10)
            .map(|(_, i)| i.reference().to_string())
            .collect();
        assert_eq!(
            refs,
            ["100004/1", "100001/1"],
            "£770 and £400 effective: 7.0 and 4.0 weeks"
        );
        s.keys(":patch riverside<ret>/ada<ret>");
        assert_eq!(s.state.queue.len(), 1);
        assert_eq!(selected(&s), "100001/1");
        s.keys(":tenure freehold<ret>");
        assert!(
            matches!(&s.state.message, Some(Message::Error(m)) if m.starts_with(":tenure: `freehold` is not one of secure"))
        );
        s.keys(":clear<ret><esc>");
        assert_eq!(s.state.queue.len(), 5);
    });
}

#[test]
fn a_threshold_changed_in_the_config_changes_the_queue() {
    common::on_each_engine(|| {
        let config = caseload::config::Config::parse(
            "[policy]\nletter_from = \"500.00\"\n",
            std::path::Path::new("config.toml"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        let store = common::build(&path);
        let settings = caseload::app::state::Settings::new(
            &config,
            common::today(),
            "tester",
            path,
            "config.toml".into(),
        );
        let keymap = caseload::app::keymap::Keymap::new(&config.keys);
        let mut s = caseload::app::Session::new(store, keymap, settings).unwrap();
        s.wait_background();
        // Only Erin's £770 effective arrears reach a £500 letter threshold now.
        let refs: Vec<String> = s
            .state
            .queue
            .window(10)
            .map(|(_, i)| i.reference().to_string())
            .collect();
        assert_eq!(refs, ["100004/1"]);
    });
}

#[test]
fn escape_closes_one_pop_up_at_a_time() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        // A call's note, its outcome list, the promise form over it, and help over the form.
        s.keys("c11Tenant will pay Friday<C-s>p<F1>");
        assert_eq!(s.state.overlays.len(), 2, "the form and its help");
        assert_eq!(s.state.keys(), ModeKeys::Help);
        assert_eq!(
            s.state.keys_beneath(1),
            ModeKeys::Form,
            "help lists the form's keys"
        );
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Editor, "back in the note");
        assert_eq!(
            s.state.editor.as_ref().unwrap().body(),
            "Tenant will pay Friday"
        );
        // The record menu, help over it: Esc closes the help, and the menu is still there.
        s.keys("<esc>r?");
        assert_eq!(s.state.keys(), ModeKeys::Help);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Record);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(s.state.overlays.is_empty());
    });
}

#[test]
fn on_a_short_screen_the_focused_pane_takes_the_room_and_gives_it_back() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::busy_session();
        s.dispatch(caseload::app::Action::Resize(80, 24));
        // The queue focused: a page is most of a screenful of accounts.
        s.keys("<pgdn>");
        assert!(
            s.state.queue.selected_index() >= 8,
            "{}",
            s.state.queue.selected_index()
        );
        // The case history focused: it takes the room, a page of it is most of the screen.
        s.keys("2");
        assert_eq!(s.state.focus, Pane::History);
        assert!(s.state.page() >= 12, "history page {}", s.state.page());
        // Of the plan and the notes, the focused one has the larger share.
        s.keys("3");
        assert!(s.state.page() >= 7, "plan page {}", s.state.page());
        s.keys("4");
        assert!(s.state.page() >= 7, "notes page {}", s.state.page());
        // Back on the queue, the room comes back with it.
        s.keys("1g<pgdn>");
        assert_eq!(s.state.focus, Pane::Queue);
        assert!(
            s.state.queue.selected_index() >= 8,
            "{}",
            s.state.queue.selected_index()
        );
    });
}
