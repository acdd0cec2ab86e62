//! Every message of the status line is kept while the workstation is open, and one key shows them
//! in full, newest first: a message too long for the status line is never lost.

mod common;

use caseload::app::Session;
use caseload::app::action::Action;
use caseload::app::keymap::ModeKeys;
use caseload::app::state::{Message, Overlay};
use common::screen;

const LEDGER: &str = "Ledger entries come from the housing system, where a mistake is reversed.";

/// A message longer than an 80-column status line: `x` on a ledger entry at the top of the history.
fn long_message(s: &mut Session) {
    s.dispatch(Action::Tick(
        chrono::NaiveTime::from_hms_opt(10, 42, 7).unwrap(),
    ));
    s.keys(":goto 100004/1<ret>");
    s.keys("x");
    assert_eq!(
        s.state.message,
        Some(Message::Info(LEDGER.into())),
        "the history of 100004/1 begins with a ledger entry"
    );
}

#[test]
fn a_message_cut_on_the_status_line_is_read_in_full_with_m() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys(":goto 999999/9<ret>");
        long_message(&mut s);
        let status = screen(&mut s, 80, 24);
        let last = status.lines().last().unwrap_or_default().to_string();
        assert!(
            last.ends_with("(M: all)"),
            "the cut line says how to read it: {last}"
        );
        assert!(last.chars().count() <= 80, "{last}");

        s.keys("M");
        assert_eq!(s.state.top(), Some(&Overlay::Messages));
        assert_eq!(s.state.keys(), ModeKeys::Help);
        let texts: Vec<&str> = s.state.messages.newest_first().map(|m| m.text()).collect();
        assert_eq!(
            texts,
            [LEDGER, "No account with reference 999999/9."],
            "the full text is kept, newest first"
        );

        s.keys("<esc>");
        assert_eq!(s.state.top(), None, "Esc closes it");
        s.keys(":messages<ret>");
        assert_eq!(
            s.state.top(),
            Some(&Overlay::Messages),
            ":messages opens it too"
        );
    });
}

#[test]
fn the_messages_overlay_at_80x24_wraps_each_message_in_full() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        long_message(&mut s);
        s.keys("M");
        let text = screen(&mut s, 80, 24);
        assert!(
            text.contains("Ledger entries come from the housing system"),
            "{text}"
        );
        assert!(
            text.contains("          reversed."),
            "wrapped beneath its first line: {text}"
        );
        insta::assert_snapshot!(
            "the_messages_overlay_at_80x24_wraps_each_message_in_full",
            text
        );
    });
}

#[test]
fn only_the_latest_fifty_messages_are_kept() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        for n in 0..60 {
            s.keys(&format!(":goto {n}<ret>"));
        }
        let kept: Vec<&str> = s.state.messages.newest_first().map(|m| m.text()).collect();
        assert_eq!(kept.len(), 50);
        assert_eq!(kept[0], "No account with reference 59.");
        assert_eq!(kept[49], "No account with reference 10.");
    });
}
