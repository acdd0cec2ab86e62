//! Legal steps from the keyboard, through `update` and a real SQLite file: each asks its details,
//! is shown as it will be saved and saved on a second key; dates are checked against the case at
//! their field; and the ladder moves on from what was recorded.

mod common;

use caseload::app::Session;
use caseload::app::form::FieldId;
use caseload::app::keymap::{Keymap, ModeKeys};
use caseload::app::queue::Tab;
use caseload::app::state::{Message, Overlay};
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::plan::PlanKind;
use caseload::domain::policy::Recommendation;
use caseload::store::NewAction;
use std::path::Path;

fn info(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m)) | Some(Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

fn field_error(s: &Session) -> Option<String> {
    let form = s.state.form()?;
    form.fields[form.current].error.clone()
}

/// A session on `path` as of `today`.
fn open(path: &Path, today: &str) -> Session {
    let config = Config::default_config();
    let mut settings = common::settings(path.to_path_buf());
    settings.today = caseload::domain::dates::parse_date(today).unwrap();
    let store = common::open_as_officer(path);
    let mut s = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    s.wait_background();
    s.dispatch(caseload::app::Action::Resize(160, 48));
    s
}

/// Erin (100004/1) with a NOSP served 7 September and the court warning letter sent 12 October:
/// by 23 November the next step is to apply for a court date.
fn ready_for_court() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let mut store = common::build(&path);
    let erin = store.tenancy_by_ref("100004/1").unwrap().unwrap();
    let at = |day: &str| {
        caseload::domain::dates::parse_date(day)
            .unwrap()
            .and_hms_opt(11, 0, 0)
            .unwrap()
    };
    store
        .write("tester", "test", |w| {
            for (kind, on, summary) in [
                (ActionKind::NoticeServed, "2026-09-07", "NOSP served"),
                (
                    ActionKind::CourtWarningLetter,
                    "2026-10-12",
                    "Court warning letter sent",
                ),
            ] {
                w.append_action(&NewAction {
                    tenancy_id: erin,
                    at: at(on),
                    kind,
                    code: None,
                    officer: "tester",
                    summary,
                    ext_id: None,
                })?;
            }
            Ok(())
        })
        .unwrap();
    // The notice itself, as the workstation records it.
    drop(store);
    let mut s = open(&path, "2026-09-07");
    s.keys(":goto 100004/1<ret>rn<ret><ret><ret><ret><ret>");
    drop(s);
    let mut s = open(&path, "2026-11-23");
    s.keys(":goto 100004/1<ret>");
    (dir, s)
}

#[test]
fn applying_for_a_court_date_asks_its_details_confirms_and_moves_the_ladder_on() {
    common::on_each_engine(|| {
        let (dir, mut s) = ready_for_court();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(
            item.decision.recommendation,
            Recommendation::ApplyForCourtDate,
            "{}",
            item.decision.reason
        );
        // `a` asks the claim's details: where, and its number when the court has given one.
        s.keys("a");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        assert_eq!(s.state.form().unwrap().title(), "Court date applied for");
        s.keys("<ret>");
        assert_eq!(field_error(&s).as_deref(), None, "today by default");
        s.keys("<ret>");
        assert_eq!(field_error(&s).as_deref(), Some("this is needed"));
        s.keys("Kingsmere County Court<ret>K00KM123<ret>");
        assert_eq!(
            s.state.form().unwrap().fields[s.state.form().unwrap().current].label,
            "If before 05/10/2026, why",
            "asked only in case it is early"
        );
        s.keys("<ret>");
        // Shown as it will be saved; nothing is saved yet.
        assert_eq!(s.state.keys(), ModeKeys::Confirm);
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert!(
            asked
                .rows
                .contains(&("Court".to_string(), "Kingsmere County Court".to_string())),
            "{:?}",
            asked.rows
        );
        assert_eq!(
            asked.line,
            "▸ Court date applied for: Applied 23/11/2026, Kingsmere County Court, claim K00KM123"
        );
        assert!(s.store().claims(erin).unwrap().is_empty());
        s.keys("<ret>");
        assert_eq!(info(&s), "Saved: court date applied for 23/11/2026.");
        let claims = s.store().claims(erin).unwrap();
        assert_eq!(
            (
                claims[0].claim.court.as_str(),
                claims[0].claim.claim_number.as_str()
            ),
            ("Kingsmere County Court", "K00KM123")
        );

        // The ladder moves on: the account awaits a hearing date, and `a` has nothing to record.
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(item.decision.recommendation, Recommendation::NoAction);
        assert!(
            item.decision
                .reason
                .to_string()
                .contains("Court date applied for on 23/11/2026: awaiting a hearing date"),
            "{}",
            item.decision.reason
        );
        s.keys(":goto 100004/1<ret>a");
        assert!(info(&s).starts_with("Nothing to do now"), "{}", info(&s));

        // Recorded again by hand, it is not silent: the confirmation says it is already on record.
        s.keys("rc<ret>Kingsmere County Court<ret><ret><ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(
            asked.warnings,
            [
                "A court date was already applied for on 23/11/2026: saving records a second \
              application."
            ]
        );
        s.keys("<esc><esc>");
        assert_eq!(s.store().claims(erin).unwrap().len(), 1);
        drop(s);

        // Eight weeks on with no hearing listed: chase the court.
        let s = open(&dir.path().join("caseload.db"), "2027-01-19");
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(
            item.decision.recommendation,
            Recommendation::ChaseCourtForHearing,
            "{}",
            item.decision.reason
        );
    });
}

#[test]
fn a_hearing_before_the_notice_allows_proceedings_is_refused_at_its_field() {
    common::on_each_engine(|| {
        let (_dir, mut s) = ready_for_court();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        // Served 07/09/2026 (a Monday): proceedings from 05/10/2026.
        s.keys("rh30/09/2026<ret>");
        let hearing_on = |s: &Session| {
            let form = s.state.form().unwrap();
            form.field(FieldId::HearingOn).unwrap().error.clone()
        };
        assert_eq!(
            hearing_on(&s).as_deref(),
            Some(
                "the notice allows proceedings from 05/10/2026: say below why this is earlier, or \
                 correct the date"
            )
        );
        s.keys("<ret><ret><ret>");
        assert_eq!(s.state.keys(), ModeKeys::Form, "refused without a reason");
        assert!(hearing_on(&s).is_some(), "the reason stays at the field");
        assert_eq!(
            s.state.form().unwrap().fields[s.state.form().unwrap().current].id,
            FieldId::HearingOn
        );
        assert!(s.store().court_events(erin).unwrap().is_empty());
        s.keys("<esc>");
        // A date the notice allows is taken.
        s.keys("rh<C-u>14/12/2026<ret><ret><ret><ret><ret>");
        assert_eq!(info(&s), "Saved: Hearing 14/12/2026.");
    });
}

#[test]
fn a_snooze_into_the_past_is_refused_and_r_u_lifts_a_snooze() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys("z<C-u>01/01/2020<ret>");
        assert_eq!(
            field_error(&s).as_deref(),
            Some("the snooze must end after today (23/11/2026)")
        );
        s.keys("<esc>");
        assert!(s.store().latest_pause(erin).unwrap().is_none());

        s.keys("z<C-u>1w<ret>waiting for a UC decision<ret><ret>");
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 1);
        assert_eq!(s.state.queue.count(Tab::Paused), 1);
        s.keys("]]]");
        assert_eq!(s.state.queue.tab(), Tab::Paused);
        s.keys("ru");
        assert_eq!(s.state.keys(), ModeKeys::Confirm);
        s.keys("<ret>");
        assert_eq!(info(&s), "Snooze lifted.");
        assert_eq!(s.state.queue.count(Tab::Paused), 0);
        assert_eq!(s.state.queue.count(Tab::NeedsAction), 2);
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(item.resumes(common::today()), None);
    });
}

#[test]
fn an_eviction_carried_out_ends_the_tenancy_and_moves_the_debt_and_a_mistake_is_put_back() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        let balances = |s: &Session| {
            let record = s.store().tenancy_record(erin).unwrap().unwrap();
            let of = |debt: &str| {
                record
                    .accounts
                    .iter()
                    .find(|a| a.debt_type.as_str() == debt)
                    .map(|a| a.summary.balance)
            };
            (record.details.end, of("rent"), of("former_tenant"))
        };
        s.keys("rE");
        assert_eq!(
            s.state.form().unwrap().title(),
            "Eviction carried out: the tenancy ends"
        );
        s.keys("<ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(asked.line, "▸ Evicted: 23/11/2026: the tenancy ended");
        s.keys("<ret>");
        assert!(
            info(&s).starts_with("Eviction on 23/11/2026 saved"),
            "{}",
            info(&s)
        );
        let pounds = |n| Some(caseload::domain::Money::pounds(n));
        assert_eq!(
            balances(&s),
            (Some(common::today()), pounds(0), pounds(990)),
            "the tenancy ended and its arrears are former tenant arrears"
        );
        let history = s
            .store()
            .recent_actions(erin, 1)
            .unwrap()
            .pop()
            .unwrap()
            .text;
        assert_eq!(
            history,
            "23/11/2026: the tenancy ended; £990.00 moved to former tenant arrears"
        );
        // Recorded on the wrong account: taken back, the tenancy is open again and the debt is rent.
        s.keys(":goto 100004/1<ret>2gxeWrong tenancy: it was 100005/1<ret><ret>");
        assert!(info(&s).starts_with("Recorded in error"), "{}", info(&s));
        assert_eq!(balances(&s), (None, pounds(990), pounds(0)));
    });
}

#[test]
fn a_postponed_order_breached_and_unpaid_is_taken_back_to_court_to_fix_a_date_not_to_a_warrant() {
    common::on_each_engine(|| {
        let (dir, s) = ready_for_court();
        let path = dir.path().join("caseload.db");
        drop(s);
        // Heard on 12/10/2026: a postponed possession order, its terms a court plan from 19/10.
        let mut s = open(&path, "2026-10-12");
        s.keys(":goto 100004/1<ret>roPost<ret>12/10/2026<ret>£20 a week<ret><ret><ret>");
        assert_eq!(info(&s), "Saved: Postponed possession order.");
        drop(s);
        let d = |day: &str| caseload::domain::dates::parse_date(day).unwrap();
        let mut store = common::open(&path);
        let erin = store.tenancy_by_ref("100004/1").unwrap().unwrap();
        store
            .write("tester", "test", |w| {
                let terms = common::weekly(
                    PlanKind::Court,
                    d("2026-10-19"),
                    Money::pounds(20),
                    Money::pounds(660),
                );
                let at = d("2026-10-12").and_hms_opt(15, 0, 0).unwrap();
                common::add_plan(
                    w,
                    erin,
                    terms,
                    "terms of the order of 12/10/2026",
                    at,
                    "tester",
                )?;
                w.append_action(&NewAction {
                    tenancy_id: erin,
                    at: d("2026-11-09").and_hms_opt(11, 0, 0).unwrap(),
                    kind: ActionKind::CourtBreachVisit,
                    code: None,
                    officer: "tester",
                    summary: "Visited about the court order breach",
                    ext_id: None,
                })?;
                Ok(())
            })
            .unwrap();
        drop(store);

        let mut s = open(&path, "2026-11-23");
        let item = s.state.queue.item(erin).unwrap();
        assert_eq!(
            item.decision.recommendation,
            Recommendation::CourtBreachNoPayment,
            "{}",
            item.decision.reason
        );
        assert!(
            item.decision
                .reason
                .to_string()
                .ends_with("apply to the court to fix a date for possession."),
            "{}",
            item.decision.reason
        );
        // A postponed order gives no date for possession, so there is no warrant to apply for yet:
        // `a` asks for the application to the court.
        s.keys(":goto 100004/1<ret>a");
        assert_eq!(
            s.state.form().unwrap().title(),
            "Court date applied for: to fix a date for possession"
        );
        s.keys("<ret>Kingsmere County Court<ret><ret><ret>");
        assert_eq!(s.state.keys(), ModeKeys::Confirm);
        s.keys("<ret>");
        assert_eq!(info(&s), "Saved: court date applied for 23/11/2026.");
        assert!(
            s.store()
                .court_events(erin)
                .unwrap()
                .iter()
                .all(|e| e.event.kind != caseload::domain::recovery::CourtEventKind::WarrantApplied)
        );
        let item = s.state.queue.item(erin).unwrap();
        assert!(
            item.decision
                .reason
                .to_string()
                .contains("awaiting a hearing date"),
            "{}",
            item.decision.reason
        );
    });
}

#[test]
fn a_notice_claim_or_warrant_in_a_breathing_space_is_not_saved_without_saying_so() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys("rb<ret><ret><ret>");
        assert_eq!(
            info(&s),
            "Breathing space from 23/11/2026 to 22/01/2027 saved."
        );
        let warned = |s: &Session| match s.state.top() {
            Some(Overlay::Confirm(asked)) => asked.warnings.clone(),
            _ => panic!("a confirmation"),
        };
        let said = "A breathing space is on record until 22/01/2027: no notice may be served, no \
                    claim made and no warrant enforced during it.";
        s.keys(":goto 100004/1<ret>rn<ret><ret><ret><ret>");
        assert_eq!(warned(&s), [said]);
        s.keys("<esc><esc>rc<ret>Kingsmere County Court<ret><ret>");
        assert_eq!(warned(&s), [said]);
        s.keys("<esc><esc>rw<ret><ret>");
        assert_eq!(warned(&s), [said]);
        s.keys("<esc><esc>");
        assert!(s.store().notices(erin).unwrap().is_empty());
        // A letter is a demand, which the policy holds back; ongoing rent may still be asked for.
        s.keys("rh+10<ret><ret><ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert!(asked.warnings.is_empty(), "{:?}", asked.warnings);
    });
}

#[test]
fn a_warrant_before_its_order_and_an_eviction_before_its_warrant_are_refused_at_their_field() {
    common::on_each_engine(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        drop(common::build(&path));
        let mut s = open(&path, "2026-10-12");
        s.keys(":goto 100004/1<ret>roOutright<ret>12/10/2026<ret><ret><ret><ret>");
        assert_eq!(info(&s), "Saved: Outright possession forthwith.");
        drop(s);
        let mut s = open(&path, "2026-11-23");
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        s.keys(":goto 100004/1<ret>rw<C-u>01/10/2026<ret>");
        assert_eq!(
            field_error(&s).as_deref(),
            Some("the order was made on 12/10/2026: a warrant is applied for after it")
        );
        s.keys("<C-u>16/11/2026<ret>WA123<ret><ret>");
        assert_eq!(info(&s), "Saved: Warrant applied for 16/11/2026.");
        s.keys(":goto 100004/1<ret>re<C-u>13/11/2026<ret>");
        assert_eq!(
            field_error(&s).as_deref(),
            Some("the warrant was applied for on 16/11/2026: the eviction comes after it")
        );
        assert_eq!(s.store().court_events(erin).unwrap().len(), 2);
    });
}

#[test]
fn an_outcome_while_a_later_hearing_is_listed_says_so_before_it_is_saved() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("rh15/12/2026<ret><ret><ret><ret>");
        assert_eq!(info(&s), "Saved: Hearing 15/12/2026.");
        s.keys(":goto 100004/1<ret>roSusp<ret><ret>");
        assert!(
            field_error(&s).is_some_and(|e| e.contains("still to come")),
            "the listed hearing is offered and refused: {:?}",
            field_error(&s)
        );
        s.keys("<C-u>today<ret><ret><ret>");
        let Some(Overlay::Confirm(asked)) = s.state.top() else {
            panic!("a confirmation");
        };
        assert_eq!(
            asked.warnings,
            [
                "A hearing is listed for 15/12/2026, after this order: if it was heard earlier, \
              correct that hearing too (x in the case history)."
            ]
        );
    });
}
