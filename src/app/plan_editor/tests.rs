//! The plan editor driven by keys through a session on a real file: whatever it refuses, it
//! refuses at the line, and the database is left exactly as it was.

use super::*;
use crate::app::Session;
use crate::app::keymap::ModeKeys;
use crate::domain::ledger::EntryKind;
use crate::domain::plan::PlanState;
use crate::store::Store;
use crate::store::plan_tests::{court_order, save, version};
use crate::store::tests::{add_tenancy, checksum, d, entry, temp_store};

/// A session on one tenancy owing £500 (on the All tab), after `setup` has written to it.
fn session(setup: impl FnOnce(&mut Store, i64, i64)) -> (tempfile::TempDir, Session, i64) {
    let (dir, mut store) = temp_store();
    let (t, a) = add_tenancy(&mut store, "T1");
    let charge = entry(a, "2026-10-19", EntryKind::Charge, 500);
    store
        .write("tester", "test", |w| w.append_entry(&charge))
        .unwrap();
    setup(&mut store, t, a);
    let s = Session::for_tests(store, 120, 40);
    (dir, s, t)
}

fn editor(s: &Session) -> &PlanEditor {
    s.state.planning.editor.as_ref().unwrap()
}

/// The status line's message.
fn message(s: &Session) -> &str {
    let Some(Message::Info(m) | Message::Error(m)) = &s.state.message else {
        return "";
    };
    m
}

#[test]
fn a_plan_that_never_clears_or_is_not_money_is_refused_at_the_line_and_nothing_is_saved() {
    let (_dir, mut s, _) = session(|_, _, _| {});
    let before = checksum(s.store());
    s.keys("p<tab><tab><tab>0");
    let e = editor(&s);
    assert_eq!(e.slot, Slot::Instalment);
    assert_eq!(
        e.error(Slot::Instalment).as_deref(),
        Some("an instalment of £0.00 never clears the debt")
    );
    assert_eq!(
        e.text(Slot::EndDate),
        "",
        "no end date for a plan that never ends"
    );
    s.keys("<C-s>");
    assert!(editor(&s).confirm.is_none());
    assert_eq!(
        message(&s),
        "Not ready to save: an instalment of £0.00 never clears the debt."
    );
    s.keys("<C-u>0.01");
    assert!(
        editor(&s)
            .error(Slot::Instalment)
            .unwrap()
            .contains("a plan cannot run longer than 100 years")
    );
    s.keys("<C-u>12.345");
    assert_eq!(
        editor(&s).error(Slot::Instalment).as_deref(),
        Some("`12.345` has more than two decimal places: amounts are to the penny")
    );
    assert_eq!(editor(&s).input.text(), "12.345", "what was typed is kept");
    // A reason does not make it saveable: Enter on the last line goes back to the bad one.
    s.keys("<tab><tab><tab><tab><tab>agreed on the phone<ret>");
    assert_eq!(editor(&s).slot, Slot::Instalment);
    assert!(editor(&s).confirm.is_none());
    s.keys("<esc>");
    assert_eq!(s.state.keys(), ModeKeys::Normal);
    assert_eq!(checksum(s.store()), before);
    // Esc lost nothing: p brings the plan back as it was left.
    s.keys("p");
    assert_eq!(editor(&s).text(Slot::Instalment), "12.345");
    assert_eq!(editor(&s).text(Slot::Reason), "agreed on the phone");
}

#[test]
fn no_informal_plan_while_a_court_plan_is_in_force() {
    let (_dir, mut s, t) = session(|store, t, a| {
        let mut court = version(t, a, PlanKind::Court, "suspended order on terms");
        court.plan.terms.start = d("2026-11-24");
        court.court_order = Some(court_order(store, t));
        save(store, &court).unwrap();
    });
    let before = checksum(s.store());
    s.keys("p");
    let e = editor(&s);
    assert_eq!(e.draft.kind(), PlanKind::Court, "it opens on the live plan");
    assert_eq!(e.text(Slot::Instalment), "50.00");
    assert_eq!(e.text(Slot::Start), "24/11/2026");
    assert_eq!(
        e.text(Slot::CourtOrder),
        "Suspended possession order (15/10/2026)"
    );
    s.keys("i");
    let e = editor(&s);
    assert_eq!(e.draft.kind(), PlanKind::Informal);
    assert!(e.slots().all(|slot| slot != Slot::CourtOrder));
    let why = e.error(Slot::Kind).unwrap();
    assert!(
        why.starts_with("a court plan agreed on 20/10/2026 is in force"),
        "{why}"
    );
    s.keys("<C-s>");
    assert!(message(&s).contains("an informal plan cannot be made while it stands"));
    assert_eq!(
        (editor(&s).slot, editor(&s).confirm.is_none()),
        (Slot::Kind, true)
    );
    assert_eq!(checksum(s.store()), before);

    // A new court plan replaces the old one.
    s.keys("c<C-s>");
    assert_eq!(editor(&s).slot, Slot::Reason, "a reason is still needed");
    s.keys("varied by the court<C-s><ret>");
    assert_eq!(s.state.keys(), ModeKeys::Normal);
    let history = s.store().plan_history(t).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].plan.terms.kind, PlanKind::Court);
    assert_eq!(history[0].replaces, Some(history[1].plan.id));
    assert_eq!(
        history[0].court_order, history[1].court_order,
        "the same order"
    );
    assert_eq!(history[1].plan.state, PlanState::Replaced);
}

#[test]
fn cancelling_a_plan_needs_a_reason() {
    let (_dir, mut s, t) = session(|store, t, a| {
        save(store, &version(t, a, PlanKind::Informal, "agreed")).unwrap();
    });
    let before = checksum(s.store());
    s.keys("X");
    assert_eq!(s.state.keys(), ModeKeys::Form);
    s.keys("<ret>");
    let form = s.state.form().unwrap();
    assert_eq!(form.fields[0].error.as_deref(), Some("this is needed"));
    assert_eq!(s.state.keys(), ModeKeys::Form);
    assert_eq!(checksum(s.store()), before);
    s.keys("Tenant has moved to a new tenancy<ret>");
    assert_eq!(
        s.state.keys(),
        ModeKeys::Confirm,
        "shown before it is saved"
    );
    assert_eq!(checksum(s.store()), before);
    s.keys("<ret>");
    assert_eq!(s.state.keys(), ModeKeys::Normal);
    assert_eq!(message(&s), "Plan cancelled.");
    let plan = &s.store().plan_history(t).unwrap()[0];
    let last = plan.events.last().unwrap();
    assert_eq!(
        (last.state, last.reason.as_str()),
        (PlanState::Cancelled, "Tenant has moved to a new tenancy")
    );
    s.keys("X");
    assert_eq!(message(&s), "There is no live plan to cancel.");
}

#[test]
fn choices_step_with_arrows_and_jump_by_letter() {
    let (_dir, mut s, _) = session(|_, _, _| {});
    s.keys("p<tab>");
    assert_eq!(editor(&s).slot, Slot::Frequency);
    s.keys("m");
    assert_eq!(editor(&s).draft.frequency(), Frequency::Monthly);
    s.keys("<right><right>");
    assert_eq!(editor(&s).draft.frequency(), Frequency::Weekly);
    s.keys("<left>");
    assert_eq!(editor(&s).draft.frequency(), Frequency::OneOff);
    s.keys("<tab><tab><tab><tab><tab><tab>d");
    assert_eq!(editor(&s).slot, Slot::Method);
    assert_eq!(editor(&s).draft.method(), Some(PaymentMethod::DirectDebit));
    s.keys("q");
    assert_eq!(
        editor(&s).draft.method(),
        Some(PaymentMethod::DirectDebit),
        "a letter no choice starts with changes nothing"
    );
}

#[test]
fn arriving_on_a_filled_line_typing_replaces_it_and_an_arrow_edits_it() {
    let (_dir, mut s, _) = session(|_, _, _| {});
    s.keys("p<tab><tab><tab>25<tab><S-tab>");
    assert_eq!(editor(&s).slot, Slot::Instalment);
    assert!(editor(&s).input.is_selected());
    s.keys("30");
    assert_eq!(editor(&s).input.text(), "30", "typed over, not 2530");
    s.keys("<tab><S-tab><right>.50");
    assert_eq!(
        editor(&s).input.text(),
        "30.50",
        "an arrow keeps the value to edit"
    );
}
