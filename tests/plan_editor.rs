//! Agreeing a plan mid-call, from the keyboard through `update` into a real SQLite file: the
//! editor, the I&E form, the breach monitor at start-up, and the editor as drawn.

mod common;

use caseload::app::keymap::ModeKeys;

use caseload::app::Session;
use caseload::app::plan_editor::{PlanEditor, Slot};
use caseload::app::state::Message;
use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::plan::{Frequency, PlanKind, PlanState};
use caseload::domain::policy::Recommendation;
use caseload::store::HistoryKind;
use common::screen;

fn editor(s: &Session) -> &PlanEditor {
    s.state
        .planning
        .editor
        .as_ref()
        .expect("the plan editor is open")
}

fn message(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m) | Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

/// Ada Smith (100001/1) owes £600 at £100 a week and is due letter 1.
fn on_ada() -> (tempfile::TempDir, Session, i64) {
    let (dir, mut s) = common::session();
    s.keys(":goto 100001/1<ret>");
    let ada = s.store().tenancy_by_ref("100001/1").unwrap().unwrap();
    (dir, s, ada)
}

/// Case history actions of the open account, newest first.
fn actions(s: &Session) -> Vec<String> {
    s.state
        .current_account()
        .unwrap()
        .history
        .iter()
        .filter(|h| matches!(h.kind, HistoryKind::Action { .. }))
        .map(|h| h.text.clone())
        .collect()
}

#[test]
fn a_plan_agreed_mid_call_is_saved_as_a_version_and_shows_in_the_history() {
    common::on_each_engine(|| {
        let (_dir, mut s, ada) = on_ada();
        s.keys("p");
        assert_eq!(s.state.keys(), ModeKeys::Plan);
        assert_eq!(editor(&s).who, "100001/1 Ada Smith");
        assert_eq!(editor(&s).text(Slot::Start), "23/11/2026");

        // £25 a week clears £600 in 24 instalments, the last on 3 May.
        s.keys("<tab><tab><tab>25");
        assert_eq!(editor(&s).slot, Slot::Instalment);
        assert_eq!(editor(&s).text(Slot::EndDate), "03/05/2027");
        let summary = editor(&s).draft.summary().unwrap();
        assert_eq!(
            (summary.count, summary.total_per_period),
            (24, Some(money("125")))
        );

        // Cleared a week sooner needs £26.09 a week, the last £26.02.
        s.keys("<tab><C-u>26/04/2027");
        assert_eq!(editor(&s).text(Slot::Instalment), "26.09");
        assert!(editor(&s).is_worked_out(Slot::Instalment));
        let summary = editor(&s).draft.summary().unwrap();
        assert_eq!((summary.count, summary.last), (23, money("26.02")));

        // Enter on the last line shows what will be saved; nothing is saved yet.
        s.keys("<tab><tab><tab><tab>agreed on the phone: lost hours at work<ret>");
        assert!(editor(&s).confirm.is_some());
        assert!(s.store().plan_history(ada).unwrap().is_empty());
        s.keys("<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(s.state.planning.editor.is_none());
        assert_eq!(
            message(&s),
            "Plan saved: informal plan, £26.09 a week from 23/11/2026, 23 instalments (the last \
             £26.02), clears by 26/04/2027."
        );

        let versions = s.store().plan_history(ada).unwrap();
        assert_eq!(versions.len(), 1);
        let v = &versions[0];
        assert_eq!(
            (
                v.plan.terms.kind,
                v.plan.terms.frequency,
                v.plan.terms.instalment
            ),
            (PlanKind::Informal, Frequency::Weekly, money("26.09"))
        );
        assert_eq!(
            (v.plan.terms.start, v.plan.terms.starting_balance),
            (parse_date("2026-11-23").unwrap(), money("600"))
        );
        assert_eq!(
            (v.plan.officer.as_str(), v.plan.reason.as_str()),
            ("tester", "agreed on the phone: lost hours at work")
        );
        assert_eq!(v.plan.state, PlanState::Live);

        // Ada is still on screen, though the plan took her out of Needs action; her account shows
        // the plan at once: in the history, in the plan pane, and in the queue.
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            "100001/1"
        );
        // Its own kind of line, in the officer's words: no internal plan numbers.
        assert!(
            actions(&s)[0].starts_with("Informal plan, £26.09 a week"),
            "{:?}",
            actions(&s)
        );
        assert!(
            s.state
                .current_account()
                .unwrap()
                .history
                .iter()
                .any(|h| matches!(
                    h.kind,
                    HistoryKind::Action {
                        kind: caseload::domain::actions::ActionKind::PlanAgreed,
                        ..
                    }
                ))
        );
        let account = s.state.current_account().unwrap();
        assert_eq!(account.plan.as_ref().unwrap().id, v.plan.id);
        assert_eq!(account.standing.as_ref().unwrap().wording, "on track");
        let item = s.state.queue.item(ada).unwrap();
        assert_eq!(item.plan_state, Some(PlanState::Live));
        assert_eq!(item.decision.recommendation, Recommendation::NoAction);

        // Adjusting it is editing it: the editor opens on the live plan; saving replaces it.
        s.keys("p");
        assert_eq!(editor(&s).text(Slot::Instalment), "26.09");
        s.keys("<tab><tab><tab><C-u>30<C-s>");
        assert_eq!(
            editor(&s).slot,
            Slot::Reason,
            "a new version needs its reason"
        );
        s.keys("pay rise<C-s><C-s>");
        let versions = s.store().plan_history(ada).unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].replaces, Some(v.plan.id));
        assert_eq!(versions[1].plan.state, PlanState::Replaced);
        assert!(
            actions(&s)[0].contains("replacing the informal plan agreed 23/11/2026"),
            "{:?}",
            actions(&s)
        );
    });
}

#[test]
fn escape_parks_the_editor_and_p_brings_it_back() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        s.keys("p<tab>m<tab><tab>40<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(message(&s).starts_with("Plan not saved."));
        s.keys("j");
        s.keys("p<esc>k");
        s.keys("p");
        let e = editor(&s);
        assert_eq!(e.who, "100001/1 Ada Smith");
        assert_eq!(
            (e.draft.frequency(), e.text(Slot::Instalment)),
            (Frequency::Monthly, "40".to_string())
        );
        assert_eq!(e.slot, Slot::Instalment, "where it was left");
    });
}

#[test]
fn income_and_expenditure_is_saved_and_an_instalment_above_it_is_flagged_not_refused() {
    common::on_each_engine(|| {
        let (_dir, mut s, ada) = on_ada();
        s.keys("I");
        assert_eq!(s.state.keys(), ModeKeys::Assessment);
        let form = s.state.planning.assessment.as_ref().unwrap();
        assert_eq!(
            form.statement
                .amount(caseload::domain::affordability::Item::Rent),
            money("433.34"),
            "the rent is offered as a monthly fixed cost"
        );
        // Earnings £1,200; food £700: £66.66 a month is left.
        s.keys("<tab><tab><tab><tab><tab>1200<pgdn><pgdn><tab>700");
        let form = s.state.planning.assessment.as_ref().unwrap();
        assert_eq!(form.statement.totals().available_for_plan, money("66.66"));
        s.keys("<tab>12.345");
        let form = s.state.planning.assessment.as_ref().unwrap();
        assert!(
            form.errors[form.current]
                .as_deref()
                .unwrap()
                .contains("two decimal places")
        );
        s.keys("<C-s>");
        assert_eq!(
            s.state.keys(),
            ModeKeys::Assessment,
            "a bad line stops the save"
        );
        assert!(s.store().latest_assessment(ada).unwrap().is_none());
        s.keys("<C-u><C-s>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert_eq!(
            message(&s),
            "Income and expenditure saved: £66.66 a month left for the plan."
        );
        let saved = s.store().latest_assessment(ada).unwrap().unwrap();
        assert_eq!(saved.statement.totals().available_for_plan, money("66.66"));
        assert!(actions(&s)[0].starts_with("Assessed 23/11/2026"));

        // £20 a week is £86.67 a month: more than is left, so flagged, but it can still be agreed.
        s.keys("p<tab><tab><tab>20");
        let flagged = editor(&s).affordability().unwrap();
        assert!(flagged.is_flagged());
        assert_eq!(
            flagged.wording(),
            "not affordable on the tenant's figures: £86.67 a month against £66.66 available"
        );
        s.keys("<C-s>tenant insists<C-s><C-s>");
        assert_eq!(s.state.keys(), ModeKeys::Normal);
        assert!(actions(&s)[0].contains("not affordable on the tenant's figures"));

        // From the editor, the I&E form and back: the new figures are used at once.
        s.keys("p<C-e>");
        assert_eq!(s.state.keys(), ModeKeys::Assessment);
        s.keys("<esc>");
        assert_eq!(s.state.keys(), ModeKeys::Plan, "Esc goes back to the plan");
        s.keys("<C-e><tab><tab><tab><tab><tab><C-u>2000<C-s>");
        assert_eq!(s.state.keys(), ModeKeys::Plan);
        let e = editor(&s);
        assert_eq!(e.available.map(|(m, _)| m), Some(money("866.66")));
        assert!(!e.affordability().unwrap().is_flagged());
        assert_eq!(s.store().assessments(ada).unwrap().len(), 2);
    });
}

#[test]
fn a_plan_breached_since_the_last_run_shows_in_the_queue_at_start() {
    common::on_each_engine(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        let mut store = common::build(&path);
        let ada = store.tenancy_by_ref("100001/1").unwrap().unwrap();
        let d = |s: &str| parse_date(s).unwrap();
        store
            .write("tester", "test", |w| {
                let terms = common::weekly(
                    PlanKind::Informal,
                    d("2026-11-02"),
                    Money::pounds(50),
                    Money::pounds(300),
                );
                let at = d("2026-10-30").and_hms_opt(11, 0, 0).unwrap();
                common::add_plan(w, ada, terms, "agreed on the phone", at, "tester")
            })
            .unwrap();
        drop(store);
        let store = common::open_as_officer(&path);
        let config = caseload::config::Config::default_config();
        let keymap = caseload::app::keymap::Keymap::new(&config.keys);
        let mut s = Session::new(store, keymap, common::settings(path)).unwrap();
        s.wait_background();
        let item = s.state.queue.item(ada).unwrap();
        assert_eq!(item.plan_state, Some(PlanState::Breached));
        assert_eq!(
            item.decision.recommendation,
            Recommendation::SendInformalBreachLetter
        );
        s.keys(":goto 100001/1<ret>");
        let standing = s.state.current_account().unwrap().standing.clone().unwrap();
        assert_eq!(
            standing.wording,
            "behind by £450.00 since the payment due 02/11/2026"
        );
        // Two dates, each said for what it is: the day the check found the breach, and the payment
        // the balance first fell behind on.
        let text = plan_pane(&screen(&mut s, 120, 40));
        assert!(
            text.contains("Informal plan [Breached] found at the breach check on 23/11/2026"),
            "{text}"
        );
        assert!(
            text.contains("behind by £450.00 since the payment due 02/11/2026"),
            "{text}"
        );
        let events = &s.store().plan_history(ada).unwrap()[0].events;
        assert_eq!(
            (events.len(), events[1].state, events[1].officer.as_str()),
            (2, PlanState::Breached, "tester")
        );
    });
}

/// The plan pane's words beside the case history, its wrapped lines joined.
fn plan_pane(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|l| l.split_once("┃│"))
        .map(|(_, pane)| pane.trim_end_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_plan_editor_at_80x24() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        s.keys("p<tab><tab><tab>25");
        insta::assert_snapshot!("the_plan_editor_at_80x24", screen(&mut s, 80, 24));
    });
}

#[test]
fn the_plan_editor_at_120x40_marks_direct_debit_dates_the_bank_will_not_collect_on() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        s.keys("p<tab><tab><tab>25<tab><tab><tab><tab>d<tab>agreed on the phone");
        insta::assert_snapshot!(
            "the_plan_editor_at_120x40_marks_direct_debit_dates_the_bank_will_not_collect_on",
            screen(&mut s, 120, 40)
        );
    });
}

#[test]
fn dates_typed_in_the_editor_show_the_date_they_stand_for() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        // First due "friday" (Monday 23 Nov: this week's), end date "2w" from today.
        s.keys("p<tab><tab><C-u>friday<tab><tab>2w");
        let text = screen(&mut s, 120, 40);
        assert!(
            text.contains("First due   friday  Fri 27/11/2026"),
            "{text}"
        );
        assert!(text.contains("End date    2w  Mon 07/12/2026"), "{text}");
        assert!(!text.contains("is not a date"), "{text}");
        s.keys("<C-u>soon");
        let text = screen(&mut s, 120, 40);
        assert!(
            text.contains("`soon` is not a date (try 23/11/2026"),
            "{text}"
        );
    });
}

#[test]
fn the_direct_debit_calculator_and_the_confirmation() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        s.keys("p<C-d>");
        let text = screen(&mut s, 120, 40);
        for expected in [
            "Direct Debit for the rest of 2026/27",
            "First change  07/12/2026",
            "UC 53rd week  none in 2026/27",
        ] {
            assert!(text.contains(expected), "{expected} missing:\n{text}");
        }
        s.keys("<C-d><tab><tab><tab>25<tab><tab><tab><tab><tab>agreed<C-s>");
        let text = screen(&mut s, 80, 24);
        assert!(text.contains("Save this plan?"), "{text}");
        assert!(text.contains("Esc goes back to the plan"), "{text}");
        s.keys("<esc>");
        assert!(editor(&s).confirm.is_none(), "Esc goes back to editing");
        assert_eq!(s.state.keys(), ModeKeys::Plan);
    });
}

#[test]
fn the_income_and_expenditure_form_draws_at_every_size() {
    common::on_each_engine(|| {
        let (_dir, mut s, _) = on_ada();
        s.keys("I<tab><tab><tab><tab><tab>1200");
        let text = screen(&mut s, 120, 40);
        assert!(
            text.contains("Income and expenditure · 100001/1 Ada Smith"),
            "{text}"
        );
        assert!(text.contains("Left for a plan"), "{text}");
        for (w, h) in [(30, 8), (50, 12), (80, 24), (160, 48)] {
            screen(&mut s, w, h);
        }
        s.keys("<esc>p<F1>");
        for (w, h) in [(30, 8), (50, 12), (80, 24), (160, 48)] {
            screen(&mut s, w, h);
        }
    });
}

#[test]
fn a_plan_starting_later_is_live_from_its_start_and_never_asks_more_than_is_owed() {
    common::on_each_engine(|| {
        let (_dir, mut s, _ada) = on_ada();
        // Ada owes £600; the officer types £5,000: one payment of £600 clears it, and the figure
        // read out to her says so.
        s.keys("p<tab><tab><C-u>27/11/2026<tab>5000");
        let screen = common::screen(&mut s, 120, 40);
        assert!(
            screen.contains("Pays        £700.00 a week = rent £100.00 + plan £600.00"),
            "{screen}"
        );
        s.keys("<tab><tab><tab><tab><tab>paying it off from savings<ret><ret>");
        assert_eq!(
            message(&s),
            "Plan saved: informal plan, £600.00 a week from 27/11/2026, one payment, clears by \
             27/11/2026."
        );
        // Agreed on Monday 23/11, first payment Friday: each date said for what it is.
        let pane = plan_pane(&common::screen(&mut s, 120, 40));
        assert!(
            pane.contains("[Live] agreed 23/11/2026, first payment 27/11/2026"),
            "{pane}"
        );
    });
}

#[test]
fn a_direct_debit_plan_says_what_the_bank_needs_before_it_is_saved() {
    common::on_each_engine(|| {
        let (_dir, mut s, _ada) = on_ada();
        // Weekly from Friday, paid by Direct Debit: too soon, and not a collection day.
        s.keys("p<tab><tab><C-u>friday<tab>25<tab><tab><tab><tab>d");
        let screen = common::screen(&mut s, 120, 40);
        assert!(screen.contains("10 working days' notice"), "{screen}");
        s.keys("<tab>tenant will set up a Direct Debit<ret>");
        let screen = common::screen(&mut s, 120, 40);
        assert!(
            screen
                .contains("⚠ Direct Debits are collected monthly, on the 1st, 8th, 15th, 22nd or"),
            "the confirmation repeats it: {screen}"
        );
        // Monthly from the 8th of January is collectable: nothing to warn of.
        s.keys("<esc><up><up><up><up><up><up><up>m<tab><C-u>08/01/2027");
        assert_eq!(
            (editor(&s).draft.frequency(), editor(&s).text(Slot::Method)),
            (Frequency::Monthly, "Direct Debit".to_string())
        );
        let screen = common::screen(&mut s, 120, 40);
        assert!(!screen.contains("⚠ "), "{screen}");
    });
}
