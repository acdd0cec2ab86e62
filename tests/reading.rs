//! The selected account read on its own thread and connection (as the workstation reads it, from a
//! file or a team's database): keys move the selection at once, the detail shown is always the
//! selected account's, and nothing is saved against another account while it is read.

mod common;

use common::selected;

use caseload::app::Session;
use caseload::app::keymap::ModeKeys;
use std::sync::Arc;

fn shown(s: &Session) -> Option<String> {
    (s.state.current_account()).map(|a| a.record.details.reference.clone())
}

fn message(s: &Session) -> String {
    s.state
        .message
        .as_ref()
        .map(|m| m.text().to_string())
        .unwrap_or_default()
}

/// A session on the fixture whose accounts are read aside from now on.
fn reading_aside() -> (tempfile::TempDir, Session) {
    let (dir, mut s) = common::session();
    s.read_accounts_aside(Arc::new(|| {}));
    (dir, s)
}

#[test]
fn keys_pressed_faster_than_accounts_are_read_show_only_the_selected_accounts_detail() {
    common::on_each_engine(|| {
        let (_dir, mut s) = reading_aside();
        assert_eq!(shown(&s).as_deref(), Some("100004/1"));
        s.keys("jjj");
        let now = selected(&s);
        assert_ne!(now, "100004/1");
        // Until it is read: the queue's row of it in the header, and nothing of any other account.
        assert_eq!(shown(&s), None);
        let screen = common::screen(&mut s, 160, 48);
        let header = screen.lines().next().unwrap();
        assert!(header.contains(&now), "{header}");
        assert!(!screen.contains("No notes yet"), "{screen}");
        assert!(!screen.contains("No payment plan"), "{screen}");
        assert_eq!(screen.matches("Opening…").count(), 3, "{screen}");
        s.wait_account();
        assert_eq!(shown(&s), Some(now));
        s.keys("kk");
        s.wait_account();
        assert_eq!(shown(&s), Some(selected(&s)));
    });
}

#[test]
fn an_account_read_for_a_row_left_meanwhile_is_not_shown_on_the_row_returned_to() {
    common::on_each_engine(|| {
        let (_dir, mut s) = reading_aside();
        // Down (read asked for) and back up (its account still open: nothing asked).
        s.keys("jk");
        assert_eq!(selected(&s), "100004/1");
        s.wait_account();
        assert_eq!(shown(&s).as_deref(), Some("100004/1"));
        s.keys("j");
        s.wait_account();
        assert_eq!(shown(&s).as_deref(), Some("100001/1"));
    });
}

#[test]
fn a_note_begun_before_the_account_is_read_is_saved_on_the_selected_account() {
    common::on_each_engine(|| {
        let (_dir, mut s) = reading_aside();
        s.keys("j");
        assert_eq!(shown(&s), None);
        s.keys("nLeft a card.<C-s>");
        s.wait_background();
        let ada = s.store().tenancy_by_ref("100001/1").unwrap().unwrap();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        let bodies = |id| -> Vec<String> {
            let notes = s.store().notes(id).unwrap();
            notes.into_iter().map(|n| n.body).collect()
        };
        let card = "Left a card.".to_string();
        assert_eq!(bodies(ada).first(), Some(&card));
        assert!(!bodies(erin).contains(&card));
        assert_eq!(shown(&s).as_deref(), Some("100001/1"));
    });
}

#[test]
fn what_would_save_against_an_account_waits_until_it_is_read_and_says_so() {
    common::on_each_engine(|| {
        let (_dir, mut s) = reading_aside();
        s.keys("j");
        // The plan editor, forms, the recommended step, a correction, the I&E, the record menu's forms.
        for key in ["p", "V", "a", "z", "x", "I", "rn"] {
            s.keys(key);
            assert_eq!(s.state.keys(), ModeKeys::Normal, "{key}");
            assert!(s.state.planning.editor.is_none(), "{key}");
            assert_eq!(
                message(&s),
                "Opening 100001/1 Ada Smith: a moment, the account is still being read.",
                "{key}"
            );
        }
        s.wait_account();
        s.keys("p");
        assert_eq!(s.state.keys(), ModeKeys::Plan);
        let ada = s.store().tenancy_by_ref("100001/1").unwrap().unwrap();
        let editor = s.state.planning.editor.as_ref().unwrap();
        assert_eq!(editor.tenancy_id, ada);
    });
}
