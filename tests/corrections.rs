//! Correcting what was recorded, from the keyboard through `update` into a real SQLite file:
//! replaced or recorded in error, both kept and the old struck through, and the policy, the
//! queue and the account reading only what is in force.

mod common;

use caseload::app::Session;
use caseload::app::keymap::ModeKeys;
use caseload::app::queue::Tab;
use caseload::app::state::{Message, Overlay};
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::dates::parse_date;
use caseload::domain::policy::Recommendation;
use caseload::store::{Corrected, HistoryKind};

fn info(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m)) | Some(Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

/// The open account's actions, newest first: kind, line, and how it was corrected.
fn actions(s: &Session) -> Vec<(ActionKind, String, Option<Corrected>)> {
    s.state
        .current_account()
        .unwrap()
        .history
        .iter()
        .filter_map(|h| match &h.kind {
            HistoryKind::Action {
                kind, corrected, ..
            } => Some((*kind, h.text.clone(), corrected.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_hearing_on_the_wrong_date_is_replaced_and_both_stay_with_who_and_when() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys("rh15/12/2026<ret>10:00<ret>Kingsmere County Court<ret><ret>");
        assert_eq!(info(&s), "Saved: Hearing 15/12/2026.");
        assert_eq!(
            s.state
                .queue
                .item(erin)
                .unwrap()
                .decision
                .reason
                .to_string(),
            "Hearing on 15/12/2026."
        );

        // The hearing is at the top of Erin's history: x, then replace it.
        s.keys(":goto 100004/1<ret>2gx");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("r");
        let form = s.state.form().unwrap();
        assert_eq!(form.title(), "Replace with a corrected one: Hearing date");
        let text = |id| form.field(id).unwrap().input.text().to_string();
        use caseload::app::form::FieldId;
        assert_eq!(
            text(FieldId::HearingOn),
            "15/12/2026",
            "filled from the record"
        );
        assert_eq!(text(FieldId::Court), "Kingsmere County Court");
        s.keys("<C-u>08/12/2026<ret><ret><ret>");
        assert_eq!(
            s.state.keys(),
            ModeKeys::Form,
            "why it is corrected is needed"
        );
        s.keys("Typed the wrong date: the court letter says 8 December<ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(
            asked.rows[0],
            (
                "Corrects".to_string(),
                "▸ Hearing: 15/12/2026 at 10:00, Kingsmere County Court".to_string()
            )
        );
        assert_eq!(
            asked.line,
            "▸ Hearing: 08/12/2026 at 10:00, Kingsmere County Court"
        );
        s.keys("<ret>");
        assert!(info(&s).starts_with("Corrected:"), "{}", info(&s));

        // The policy reads the corrected hearing; only it is in force.
        assert_eq!(
            s.state
                .queue
                .item(erin)
                .unwrap()
                .decision
                .reason
                .to_string(),
            "Hearing on 08/12/2026."
        );
        let events = s.store().court_events(erin).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].event.on_date, parse_date("2026-12-08").ok());

        // The history shows both, the wrong one struck through with who corrected it and why.
        s.keys(":goto 100004/1<ret>");
        let logged = actions(&s);
        assert_eq!(
            (logged[0].0, logged[0].1.as_str(), logged[0].2.is_none()),
            (
                ActionKind::Hearing,
                "08/12/2026 at 10:00, Kingsmere County Court",
                true
            )
        );
        let old = logged[1].2.as_ref().expect("the wrong one is corrected");
        assert_eq!(logged[1].1, "15/12/2026 at 10:00, Kingsmere County Court");
        assert!(old.replaced);
        assert_eq!(
            (old.officer.as_str(), old.reason.as_str()),
            (
                "tester",
                "Typed the wrong date: the court letter says 8 December"
            )
        );
        let screen = common::screen(&mut s, 160, 48);
        assert!(screen.contains("✗ REPLACED"), "{screen}");

        // The audit trail: who and when for each, the correction in a batch of its own.
        let db = common::saved(&dir.path().join("caseload.db"));
        let trail: Vec<(String, String, String)> = db
            .rows(
                "SELECT a.summary, b.officer, b.at FROM actions a JOIN batches b ON b.id = a.batch_id
                 WHERE a.kind = 'hearing' ORDER BY a.id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(trail.len(), 2);
        assert!(
            trail
                .iter()
                .all(|(_, who, at)| who == "tester" && !at.is_empty())
        );
        let (who, at, replaced_by): (String, String, i64) = db
            .query_row(
                "SELECT b.officer, b.at, c.replaced_by FROM corrections c
                 JOIN batches b ON b.id = c.batch_id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(who, "tester");
        assert!(!at.is_empty());
        let new: i64 = db
            .query_row(
                "SELECT max(id) FROM actions WHERE kind = 'hearing'",
                &[],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(replaced_by, new);
        // Nothing was changed or deleted to do it.
        assert!(db.execute("DELETE FROM corrections", &[]).is_err());
    });
}

#[test]
fn u_takes_back_the_last_record_and_the_ladder_reads_what_is_in_force() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys("u");
        assert_eq!(
            info(&s),
            "Nothing to undo since the workstation was opened."
        );
        s.keys("a<ret>");
        assert_eq!(
            info(&s),
            "Letter 1 produced and recorded: 1 letter in letters/2026-11-23."
        );
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 1);
        s.keys("u");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(asked.rows[1].0, "Take back");
        assert!(
            asked.rows[1].1.starts_with(
                "▸ Letter 1: Produced for Erin Smithson: letters/2026-11-23/100004-1-letter_1-1.html \
                 (sha256 "
            ),
            "{}",
            asked.rows[1].1
        );
        s.keys("<ret>");
        assert!(info(&s).starts_with("Recorded in error:"), "{}", info(&s));
        // Letter 1 is out of force: the policy asks for it again, and it is back in Needs action.
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(item.decision.recommendation, Recommendation::SendLetter1);
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 2);
        s.keys(":goto 100004/1<ret>");
        let logged = actions(&s);
        assert_eq!(logged.len(), 1, "kept: {logged:?}");
        assert!(!logged[0].2.as_ref().unwrap().replaced);
        s.keys("u");
        assert!(info(&s).starts_with("Nothing to undo"), "{}", info(&s));
        // A note is not taken back: it is corrected by a note.
        s.keys("nSpoke to the tenant's daughter<C-s>u");
        assert_eq!(
            info(&s),
            "Your last record was a note: e corrects it (both versions are kept)."
        );
    });
}

#[test]
fn an_outcome_recorded_in_error_takes_back_its_costs_and_its_order() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys("rosus<ret>16/11/2026<ret>£5 a week<ret>355<ret><ret>");
        assert_eq!(info(&s), "Saved: Suspended possession order.");
        let costs = |s: &Session| {
            s.store()
                .tenancy_record(erin)
                .unwrap()
                .unwrap()
                .accounts
                .iter()
                .find(|a| a.debt_type.as_str() == "court_costs")
                .map_or(Money::ZERO, |a| a.summary.balance)
        };
        assert_eq!(costs(&s), Money::pounds(355));
        s.keys(":goto 100004/1<ret>2gxe");
        assert_eq!(s.state.form().unwrap().title(), "Recorded in error");
        s.keys("<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Form, "a reason is needed");
        s.keys("Wrong account: this was Ada's hearing<ret><ret>");
        assert!(info(&s).starts_with("Recorded in error:"), "{}", info(&s));
        assert!(s.store().court_events(erin).unwrap().is_empty());
        assert_eq!(costs(&s), Money::ZERO, "the costs charge is reversed");
    });
}

#[test]
fn the_record_to_correct_is_shown_whole_with_who_recorded_it_at_80_columns() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("rh15/12/2026<ret>10:00<ret>Kingsmere County Court<ret><ret>");
        s.keys(":goto 100004/1<ret>2gx");
        let screen = common::screen(&mut s, 80, 24);
        let flat: String = screen
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '┃' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            flat.contains("▸ Hearing: 15/12/2026 at 10:00, Kingsmere County Court, recorded"),
            "{screen}"
        );
        assert!(flat.contains("by tester."), "{screen}");
    });
}

#[test]
fn after_a_correction_the_status_line_says_what_was_corrected_beside_the_mode_at_80_columns() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let status = |s: &mut Session| {
            let screen = common::screen(s, 80, 24);
            screen.lines().last().unwrap_or_default().to_string()
        };
        // Recorded in error: the mode and the help key stay, and the whole message shows.
        s.keys("rosus<ret>16/11/2026<ret>£5 a week<ret>355<ret><ret>");
        s.keys(":goto 100004/1<ret>2gxeWrong account: this was Ada's hearing<ret><ret>");
        let line = status(&mut s);
        assert!(line.starts_with(" NORMAL  ? help"), "{line}");
        assert!(
            line.ends_with("Recorded in error: Court outcome (kept, struck through)."),
            "{line}"
        );
        // Replaced by a corrected one: the same.
        s.keys("rh15/12/2026<ret>10:00<ret>Kingsmere County Court<ret><ret>");
        s.keys(
            ":goto 100004/1<ret>2gxr<C-u>08/12/2026<ret><ret><ret>Typed the wrong date<ret><ret>",
        );
        let line = status(&mut s);
        assert!(line.starts_with(" NORMAL  ? help"), "{line}");
        assert!(
            line.ends_with("Corrected: Hearing replaced (both stay in the history)."),
            "{line}"
        );
        // A message longer than the line is cut, marked `…` with the key that shows it in full, and
        // still the mode shows.
        s.state.message = Some(Message::Info("Corrected: ".repeat(10)));
        let line = status(&mut s);
        assert!(line.starts_with(" NORMAL  "), "{line}");
        assert!(line.ends_with("… (M: all)"), "{line}");
    });
}

/// A call with Erin (100004/1) from 10:00 to 10:04:05, the debt advice ticked, ended with `end`
/// (the outcome key and its form).
fn call_erin(s: &mut Session, end: &str) {
    let at = |s: &mut Session, t: &str| {
        s.dispatch(caseload::app::Action::Tick(
            chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").unwrap(),
        ))
    };
    at(s, "10:00:00");
    s.keys("c11Hours cut at work<F3>3<ret>");
    at(s, "10:04:05");
    s.keys(&format!("<C-s>{end}"));
}

/// Erin's history, with the line of her call (the newest action) marked.
fn to_the_call(s: &mut Session) {
    s.keys(":goto 100004/1<ret>2g");
    let at_call = s
        .state
        .current_account()
        .unwrap()
        .history
        .iter()
        .position(|h| matches!(h.kind, HistoryKind::Action { .. }))
        .unwrap();
    s.keys(&"j".repeat(at_call));
}

/// The open account's contacts in the file: (action, party, started, seconds, outcome, checklist).
type ContactRow = (i64, String, String, i64, String, String);

fn contacts(dir: &tempfile::TempDir) -> Vec<ContactRow> {
    common::saved(&dir.path().join("caseload.db"))
        .rows(
            "SELECT action_id, party, started_at, seconds, outcome, checklist FROM contacts
             ORDER BY action_id",
            &[],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap()
}

#[test]
fn a_wrong_promise_amount_is_replaced_from_its_line_and_the_call_stays_in_force() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        // £20.55 (meant £20.00) every Friday, four times.
        call_erin(&mut s, "p20.55<ret>friday<ret>w<ret><ret>");
        assert!(
            info(&s).starts_with("Saved: phone call (4:05)"),
            "{}",
            info(&s)
        );

        // x on the promise line (the top of Erin's history): the promise form, filled as recorded.
        s.keys(":goto 100004/1<ret>2g");
        assert!(matches!(
            s.state.current_account().unwrap().history[0].kind,
            HistoryKind::Promise(_)
        ));
        s.keys("x");
        let form = s.state.form().expect("the promise form");
        assert_eq!(form.title(), "Replace with a corrected one: Promise to pay");
        use caseload::app::form::FieldId;
        let text = |id| form.field(id).unwrap().shown(common::today());
        assert_eq!(text(FieldId::Amount), "£20.55");
        assert_eq!(text(FieldId::By), "Fri 27/11/2026");
        assert_eq!(text(FieldId::Repeat), "Weekly");
        assert_eq!(text(FieldId::Payments), "4");
        s.keys("<C-u>20<ret><ret><ret><ret>Typed 20.55: the tenant said £20<ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation, not {:?}", s.state.top());
        };
        assert_eq!(asked.rows[0].0, "Corrects");
        assert!(
            asked.rows[0].1.starts_with(
                "▸ Phone call: Call to Erin Smithson (tenant) 07700 900004, 4:05: promise to pay £20.55"
            ),
            "{:?}",
            asked.rows
        );
        s.keys("<ret>");
        assert_eq!(
            info(&s),
            "Corrected: Phone call replaced (both stay in the history)."
        );

        // The promises in force are the corrected ones, made on the day of the call.
        let promises = s.store().promises(erin, 1).unwrap();
        assert_eq!(promises.len(), 4, "{promises:?}");
        assert!(
            promises
                .iter()
                .all(|p| p.promise.amount == Money::pounds(20) && p.promise.made == common::today())
        );
        let standing = s.state.queue.item(erin).unwrap().promise.unwrap();
        assert_eq!(
            standing.describe(),
            "Promised £20.00 by Fri 27 Nov",
            "the queue reads the corrected promise"
        );

        // The call is still in force, as it was (who, when, how long, the checklist), with the
        // corrected promises; the first is struck through, replaced; its note is not copied.
        s.keys(":goto 100004/1<ret>");
        let logged = actions(&s);
        assert_eq!(logged.len(), 2, "{logged:?}");
        assert_eq!(logged[0].0, ActionKind::Call);
        assert_eq!(
            logged[0].1,
            "Call to Erin Smithson (tenant) 07700 900004, 4:05: promise to pay £20.00 by 27/11/2026, \
             4 payments to 18/12/2026; advised of free debt advice"
        );
        assert!(logged[0].2.is_none());
        assert!(logged[1].2.as_ref().is_some_and(|c| c.replaced));
        s.keys("2g");
        insta::assert_snapshot!(
            "a_wrong_promise_amount_is_replaced_from_its_line_and_the_call_stays_in_force",
            common::screen(&mut s, 80, 24)
        );
        let rows = contacts(&dir);
        assert_eq!(rows.len(), 2);
        let details = |r: &ContactRow| (r.1.clone(), r.2.clone(), r.3, r.4.clone(), r.5.clone());
        assert_eq!(details(&rows[0]), details(&rows[1]));
        let db = common::saved(&dir.path().join("caseload.db"));
        let notes: i64 = db
            .query_row(
                "SELECT count(*) FROM notes WHERE tenancy_id = ?1 AND body LIKE 'Hours cut%'",
                &[&erin],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(notes, 1, "one note, not copied");
        let at: String = db
            .query_row("SELECT at FROM actions WHERE id = ?1", &[&rows[1].0], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(at, "2026-11-23T10:00:00", "the call keeps its time");
    });
}

#[test]
fn a_call_back_at_the_wrong_time_is_replaced_and_x_on_a_call_offers_its_replacement() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        call_erin(&mut s, "b<C-u>tomorrow 14:30<ret>");
        assert!(
            info(&s).starts_with("Saved: phone call (4:05)"),
            "{}",
            info(&s)
        );
        // x on the call's line offers replacing it: the call back form, filled as recorded.
        to_the_call(&mut s);
        s.keys("x");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("r");
        let form = s.state.form().expect("the call back form");
        assert_eq!(
            form.title(),
            "Replace with a corrected one: Call back requested"
        );
        use caseload::app::form::FieldId;
        assert_eq!(
            form.field(FieldId::CallBackAt).unwrap().input.text(),
            "24/11/2026 14:30"
        );
        s.keys("<C-u>tomorrow 15:30<ret>She said half past three<ret><ret>");
        assert_eq!(
            info(&s),
            "Corrected: Phone call replaced (both stay in the history)."
        );
        // x on the call back line goes straight to its form.
        s.keys(":goto 100004/1<ret>2gx");
        let form = s.state.form().expect("the call back form");
        assert_eq!(
            form.field(FieldId::CallBackAt).unwrap().input.text(),
            "24/11/2026 15:30"
        );
        s.keys("<esc>");
        let logged = actions(&s);
        assert!(
            logged[0]
                .1
                .contains("call back requested for Tue 24/11/2026 15:30"),
            "{logged:?}"
        );
        let backs: Vec<String> = common::saved(&dir.path().join("caseload.db"))
            .rows(
                "SELECT call_back FROM contacts ORDER BY action_id",
                &[],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(backs, ["2026-11-24T14:30:00", "2026-11-24T15:30:00"]);
    });
}

/// A call's promises or call back corrected are confirmed as any record is: with the line the
/// case history will read, which is the line it then reads.
#[test]
fn a_corrected_calls_confirmation_shows_the_line_the_history_will_read() {
    common::on_each_engine(|| {
        for (call, correct) in [
            (
                "p20.55<ret>friday<ret>w<ret><ret>",
                "<C-u>20<ret><ret><ret><ret>Typed 20.55: the tenant said £20<ret>",
            ),
            (
                "b<C-u>tomorrow 14:30<ret>",
                "<C-u>tomorrow 15:30<ret>She said half past three<ret>",
            ),
        ] {
            let (_dir, mut s) = common::session();
            call_erin(&mut s, call);
            // x on the promise or call back line (the top of Erin's history): its form.
            s.keys(":goto 100004/1<ret>2gx");
            s.keys(correct);
            let Some(Overlay::Confirm(asked)) = s.state.top() else {
                panic!("a confirmation, not {:?}", s.state.top());
            };
            let confirmed = asked.line.clone();
            let screen = common::screen(&mut s, 160, 48);
            assert!(
                screen.contains("The case history will read:"),
                "{call}: {screen}"
            );
            s.keys("<ret>");
            assert_eq!(
                info(&s),
                "Corrected: Phone call replaced (both stay in the history)."
            );
            s.keys(":goto 100004/1<ret>");
            let logged = actions(&s);
            assert!(logged[0].2.is_none() && logged[1].2.is_some(), "{logged:?}");
            assert_eq!(
                confirmed,
                format!("▸ Phone call: {}", logged[0].1),
                "{call}"
            );
        }
    });
}

#[test]
fn a_call_recorded_in_error_takes_its_note_out_of_force_with_it() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        call_erin(&mut s, "p20<ret>friday<ret><ret><ret>");
        assert!(info(&s).starts_with("Saved: phone call"), "{}", info(&s));
        to_the_call(&mut s);
        s.keys("xe");
        assert_eq!(s.state.form().unwrap().title(), "Recorded in error");
        s.keys("Wrong tenant: this was Ada's call<ret><ret>");
        assert!(info(&s).starts_with("Recorded in error:"), "{}", info(&s));
        // The note typed during the call was about someone else: it is struck through with its
        // call wherever it shows, kept and said in words.
        let account = s.state.current_account().unwrap();
        assert!(account.notes[0].in_error.is_some());
        assert!(account.history.iter().any(|h| matches!(
            &h.kind,
            HistoryKind::Note { in_error: Some(c), .. } if c.reason == "Wrong tenant: this was Ada's call"
        ) && h.text == "Hours cut at work"));
        // On screen, the notes pane's heading of that note says so, and who corrected it and why.
        let screen = common::screen(&mut s, 160, 48);
        let lines: Vec<&str> = screen.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("Hours cut at work"))
            .expect(&screen);
        let above = lines[at.saturating_sub(4)..at].join("\n");
        assert!(
            above.contains("RECORDED IN ERROR with its call")
                && above.contains("by tester: Wrong tenant"),
            "{screen}"
        );
        // Found by a search of every note, it says so too: a note out of force is never offered as
        // if it were about the account it was filed under.
        s.keys(":notes hours cut<ret>");
        let screen = common::screen(&mut s, 160, 48);
        let hit = screen
            .lines()
            .find(|l| l.contains("100004/1  Erin Smithson  23/11/2026 10:00"))
            .expect(&screen);
        assert!(hit.contains("recorded in error"), "{screen}");
    });
}
