//! Recording what happened from the keyboard, through `update`, into a real SQLite file; and the
//! queue re-ranking at once.

mod common;

use common::selected;

use caseload::app::keymap::ModeKeys;

use caseload::app::Session;
use caseload::app::form::FieldId;
use caseload::app::queue::Tab;
use caseload::app::state::{Message, Overlay};
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::policy::Recommendation;
use caseload::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind, ServedHow};
use caseload::store::HistoryKind;

fn id(s: &Session, reference: &str) -> i64 {
    s.store().tenancy_by_ref(reference).unwrap().unwrap()
}

fn info(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m)) | Some(Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

/// Actions in the account's history, newest first, as (kind, code, summary).
fn actions(s: &Session, reference: &str) -> Vec<(ActionKind, Option<String>, String)> {
    let detail = s
        .store()
        .account_detail(id(s, reference), 100, s.state.settings.judging())
        .unwrap()
        .unwrap();
    detail
        .history
        .into_iter()
        .filter_map(|h| match h.kind {
            HistoryKind::Action { kind, code, .. } => Some((kind, code, h.text)),
            _ => None,
        })
        .collect()
}

#[test]
fn serving_a_notice_through_its_form_shows_its_legal_dates() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("rn");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        let form = s.state.form().unwrap();
        assert_eq!(form.title(), "Serve a NOSP");
        let field = |id| form.field(id).unwrap().input.text();
        assert_eq!(
            field(FieldId::ArrearsStated),
            "£990.00",
            "the balance is offered as the arrears stated"
        );
        // How it was served: left at the property.
        s.keys("<ret>l<ret><ret><ret>");
        assert_eq!(s.state.keys(), ModeKeys::Confirm);
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(
            asked.line,
            "▸ Notice served: NOSP served 23/11/2026, left at the property: Ground 1: rent arrears"
        );
        s.keys("<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert_eq!(
            info(&s),
            "NOSP served 23/11/2026: proceedings from 21/12/2026; lapses 21/12/2027."
        );
        let notices = s.store().notices(id(&s, "100004/1")).unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!(
            (
                notices[0].notice.kind,
                notices[0].notice.amount,
                notices[0].notice.served_how
            ),
            (
                NoticeKind::Nosp,
                Some(Money::pounds(990)),
                Some(ServedHow::LeftAtProperty)
            )
        );
        assert_eq!(actions(&s, "100004/1")[0].0, ActionKind::NoticeServed);
        // No more letters once a notice is served: the notice's waiting period now.
        let erin = s.state.queue.item(id(&s, "100004/1")).unwrap();
        assert_eq!(erin.decision.recommendation, Recommendation::NoAction);
        assert!(
            erin.decision
                .reason
                .to_string()
                .contains("waiting period ends 21/12/2026"),
            "{}",
            erin.decision.reason
        );
        assert_eq!(s.state.queue.count(Tab::NoticesCourt), 1);
    });
}

#[test]
fn a_hearing_holds_the_case_and_an_outcome_with_costs_charges_them() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = id(&s, "100004/1");
        s.keys("rh<C-u>+10<ret>10:00<ret>Kingsmere County Court<ret><ret>");
        assert_eq!(info(&s), "Saved: Hearing 03/12/2026.");
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(item.decision.reason.to_string(), "Hearing on 03/12/2026.");
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 1);

        // Its outcome cannot be recorded before it is heard: refused at the hearing's date.
        s.keys(":goto 100004/1<ret>ro");
        let hearing_on = |s: &Session| {
            let field = s.state.form().unwrap().field(FieldId::HearingOn).unwrap();
            (field.input.text().to_string(), field.error.clone())
        };
        assert_eq!(hearing_on(&s).0, "03/12/2026");
        s.keys("sus<ret><ret>");
        assert_eq!(
            hearing_on(&s).1.as_deref(),
            Some(
                "that hearing, on 03/12/2026, is still to come: record its outcome once it has been \
                 heard"
            )
        );
        // An earlier hearing, heard last week.
        s.keys("<C-u>16/11/2026<ret>£5 a week on top of rent<ret>355<ret><ret>");
        assert_eq!(info(&s), "Saved: Suspended possession order.");
        let events = s.store().court_events(erin).unwrap();
        assert_eq!(events[0].event.kind, CourtEventKind::Outcome);
        assert_eq!(
            events[0].event.outcome,
            Some(CourtOutcome::SuspendedOnTerms)
        );
        assert_eq!(events[0].event.terms, "£5 a week on top of rent");
        let detail = s
            .store()
            .account_detail(erin, 100, s.state.settings.judging())
            .unwrap()
            .unwrap();
        let costs = detail
            .record
            .accounts
            .iter()
            .find(|a| a.debt_type.as_str() == "court_costs")
            .unwrap();
        assert_eq!(costs.summary.balance, Money::pounds(355));
    });
}

#[test]
fn pause_lift_and_breathing_space() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = id(&s, "100004/1");
        s.keys("rp2w<tab>In hospital<ret><ret><ret>");
        assert_eq!(info(&s), "Paused until 07/12/2026: In hospital.");
        assert_eq!(
            s.store().latest_pause(erin).unwrap().unwrap().kind,
            PauseKind::Pause
        );
        assert_eq!(s.state.queue.count(Tab::Paused), 1);
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 1);

        s.keys("]]]");
        assert_eq!(s.state.queue.tab(), Tab::Paused);
        assert_eq!(selected(&s), "100004/1");
        s.keys("ru<ret>");
        assert_eq!(info(&s), "Pause lifted.");
        assert_eq!(s.state.queue.count(Tab::Paused), 0);
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 2);

        s.keys("[[[");
        assert_eq!(s.state.queue.tab(), Tab::NeedsAction);
        s.keys(":goto 100004/1<ret>rb<ret><ret><ret>");
        assert_eq!(
            info(&s),
            "Breathing space from 23/11/2026 to 22/01/2027 saved."
        );
        let item = s.state.queue.item(erin).unwrap();
        assert!(
            item.decision
                .reason
                .to_string()
                .starts_with("Breathing space until 22/01/2027"),
            "{}",
            item.decision.reason
        );
        assert!(item.flag_letters().contains('B'));
    });
}

#[test]
fn override_needs_a_reason_and_snoozes_the_recommendation() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("o<ret>");
        let form = s.state.form().unwrap();
        assert_eq!(form.fields[0].error.as_deref(), Some("this is needed"));
        s.keys("Spoke to daughter: tenant in hospital<ret><ret><ret>");
        assert_eq!(
            info(&s),
            "Override saved: Send letter 1 not done; looked at again on 07/12/2026."
        );
        let logged = actions(&s, "100004/1");
        assert_eq!(
            (logged[0].0, logged[0].2.as_str()),
            (
                ActionKind::Override,
                "Send letter 1: Spoke to daughter: tenant in hospital"
            )
        );
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 1);
        assert_eq!(s.state.queue.count(Tab::Paused), 1);
        // The override snoozes it, and its reason says so wherever it is shown.
        let erin = s.state.queue.item(id(&s, "100004/1")).unwrap();
        assert!(
            erin.why(common::today()).starts_with(
                "Snoozed until 07/12/2026 (Send letter 1 not done: Spoke to daughter: tenant in \
                     hospital). "
            ),
            "{}",
            erin.why(common::today())
        );
        s.keys("z<ret><ret><ret>");
        assert_eq!(info(&s), "Snoozed until 30/11/2026.");
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 0);
    });
}

#[test]
fn a_form_closed_with_escape_keeps_what_was_typed_and_saves_nothing() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("rp31/02/2026<ret>");
        let form = s.state.form().unwrap();
        assert!(
            form.field(FieldId::Until)
                .unwrap()
                .error
                .as_ref()
                .unwrap()
                .contains("not a date")
        );
        s.keys("<C-u>3w<tab>Bereavement<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(
            s.store()
                .latest_pause(id(&s, "100004/1"))
                .unwrap()
                .is_none()
        );
        s.keys("rp");
        let form = s.state.form().unwrap();
        let field = |id| form.field(id).unwrap().input.text();
        assert_eq!(field(FieldId::Until), "3w");
        assert_eq!(field(FieldId::Reason), "Bereavement");
        s.keys("<ret><ret>");
        assert_eq!(s.state.keys(), ModeKeys::Confirm);
        // Esc on the confirmation goes back to the form, what was typed kept; nothing is saved.
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        assert!(
            s.store()
                .latest_pause(id(&s, "100004/1"))
                .unwrap()
                .is_none()
        );
        s.keys("<ret><ret>");
        assert!(
            s.store()
                .latest_pause(id(&s, "100004/1"))
                .unwrap()
                .is_some()
        );
    });
}

#[test]
fn statement_command_writes_the_selected_accounts_schedule_beside_the_database() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        assert_eq!(selected(&s), "100004/1");
        s.keys(":statement court<ret>");
        let written = dir.path().join("statements").join(format!(
            "100004-1-{}-arrears-schedule.html",
            common::today()
        ));
        assert_eq!(
            info(&s),
            format!("Statement written to {}", written.display())
        );
        let html = std::fs::read_to_string(&written).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&written).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the officer may read it");
        }
        // The schedule ends at the account's balance on the screen.
        assert!(html.contains("£990.00"), "{html}");
        s.keys(":statement csv<ret>");
        let csv = dir
            .path()
            .join("statements")
            .join(format!("100004-1-{}.csv", common::today()));
        assert!(std::fs::read_to_string(csv).unwrap().contains("990.00"));
        s.keys(":statement pdf<ret>");
        assert_eq!(
            info(&s),
            ":statement: pdf? Usage: :statement [court] [html|text|csv]"
        );
    });
}

#[test]
fn a_snooze_reason_shows_in_history_header_and_queue() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = id(&s, "100004/1");
        s.keys("z<ret>waiting for UC backdate<ret><ret>");
        assert_eq!(
            info(&s),
            "Snoozed until 30/11/2026: waiting for UC backdate."
        );
        let logged = actions(&s, "100004/1");
        assert_eq!(logged[0].0, ActionKind::Snooze);
        assert_eq!(logged[0].2, "Until 30/11/2026: waiting for UC backdate");
        let item = s.state.queue.item(erin).unwrap();
        assert!(
            item.why(common::today())
                .starts_with("Snoozed until 30/11/2026 (waiting for UC backdate). "),
            "{}",
            item.why(common::today())
        );
        s.keys("]]]");
        let screen = common::screen(&mut s, 160, 48);
        assert!(
            screen.contains("Snoozed until 30/11/2026 (waiting for UC backdate)"),
            "{screen}"
        );
    });
}

#[test]
fn hearings_read_as_themselves_in_the_history() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("rh<C-u>+10<ret><ret><ret><ret>");
        let logged = actions(&s, "100004/1");
        assert_eq!(logged[0].0, ActionKind::Hearing);
        assert_eq!(logged[0].2, "03/12/2026");
        s.keys(":goto 100004/1<ret>");
        let screen = common::screen(&mut s, 160, 48);
        assert!(screen.contains("▸ Hearing: 03/12/2026"), "{screen}");
        assert!(!screen.contains("Other:"), "{screen}");
    });
}
