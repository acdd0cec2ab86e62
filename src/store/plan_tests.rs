//! Plan versions, replacement rules, cancellation, monitoring and assessments on each engine.

use super::tests::{add_tenancy, d, entry, on_each_engine};
use super::*;
use crate::domain::Money;
use crate::domain::affordability::{Household, Item, Statement};
use crate::domain::ledger::EntryKind;
use crate::domain::plan::{Frequency, PlanKind, PlanState, PlanTerms};
use crate::domain::recovery::{CourtEvent, CourtEventKind, CourtOutcome};

pub(crate) fn version(
    tenancy_id: i64,
    account_id: i64,
    kind: PlanKind,
    reason: &str,
) -> PlanVersion<'_> {
    PlanVersion {
        plan: NewPlan {
            tenancy_id,
            account_id,
            terms: PlanTerms {
                kind,
                frequency: Frequency::Monthly,
                start: d("2026-11-01"),
                instalment: Money::pounds(50),
                lump_sum: Money::ZERO,
                lump_date: None,
                starting_balance: Money::pounds(100),
                method: None,
            },
            replaces: None,
            reason,
            at: d("2026-10-20").and_hms_opt(10, 0, 0).unwrap(),
            officer: "tester",
            ext_id: None,
        },
        weekly_growth: Money::ZERO,
        court_order: None,
        action_id: None,
    }
}

pub(crate) fn save(store: &mut Store, v: &PlanVersion<'_>) -> Result<SavedPlan> {
    store.write("tester", "test", |w| w.save_plan_version(v))
}

pub(crate) fn court_order(store: &mut Store, tenancy_id: i64) -> i64 {
    store
        .write("tester", "test", |w| {
            w.record_court_event(
                &CourtEvent {
                    outcome: Some(CourtOutcome::SuspendedOnTerms),
                    terms: "£50 a month on top of rent".into(),
                    ..CourtEvent::at(CourtEventKind::Outcome, Some(d("2026-10-15")))
                },
                &Origin {
                    tenancy_id,
                    officer: "tester",
                    action: None,
                    ext_id: None,
                },
            )
        })
        .unwrap()
}

fn invalid(result: Result<impl std::fmt::Debug>) -> String {
    match result {
        Err(StoreError::Invalid(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn ids(plans: &[crate::domain::plan::ActivePlan]) -> Vec<i64> {
    plans.iter().map(|p| p.id).collect()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .db()
        .query_one(&format!("SELECT count(*) FROM {table}"), &[], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_informal_plan_replaces_the_live_one_and_keeps_it() {
    on_each_engine("a_new_informal_plan_replaces_t", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        let first = save(
            store,
            &version(t, a, PlanKind::Informal, "agreed on the phone"),
        )
        .unwrap();
        assert!(first.replaced.is_empty());
        let mut again = version(t, a, PlanKind::Informal, "tenant lost hours at work");
        again.plan.terms.instalment = Money::pounds(25);
        let second = save(store, &again).unwrap();
        assert_eq!(ids(&second.replaced), vec![first.plan_id]);

        let history = store.plan_history(t).unwrap();
        assert_eq!(history.len(), 2);
        let (new, old) = (&history[0], &history[1]);
        assert_eq!(new.plan.id, second.plan_id);
        assert_eq!(new.replaces, Some(first.plan_id));
        assert_eq!(new.plan.terms.instalment, Money::pounds(25));
        assert_eq!(new.plan.state, PlanState::Live);
        assert_eq!(old.plan.state, PlanState::Replaced);
        let states: Vec<_> = old.events.iter().map(|e| e.state).collect();
        assert_eq!(states, [PlanState::Live, PlanState::Replaced]);
        assert_eq!(
            old.events[1].reason,
            format!(
                "replaced by plan {}: tenant lost hours at work",
                second.plan_id
            )
        );
        assert_eq!(old.events[1].officer, "tester");
        assert_eq!(store.current_plan(t).unwrap().unwrap().id, second.plan_id);
    });
}

#[test]
fn a_court_plan_replaces_everything_and_blocks_informal_plans() {
    on_each_engine("a_court_plan_replaces_everythi", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        let informal = save(store, &version(t, a, PlanKind::Informal, "agreed")).unwrap();

        let mut court = version(t, a, PlanKind::Court, "suspended order on terms");
        assert_eq!(
            invalid(save(store, &court)),
            "a court plan must name the court order whose terms it carries out"
        );
        court.court_order = Some(court_order(store, t));
        let court_saved = save(store, &court).unwrap();
        assert_eq!(ids(&court_saved.replaced), vec![informal.plan_id]);
        assert_eq!(
            store.plan_history(t).unwrap()[0].court_order,
            court.court_order
        );

        let refused = invalid(save(
            store,
            &version(t, a, PlanKind::Informal, "tenant asked"),
        ));
        assert!(
            refused.starts_with("a court plan agreed on 20/10/2026 is in force"),
            "{refused}"
        );
        // Nothing of the refused plan was saved.
        assert_eq!(store.plan_history(t).unwrap().len(), 2);

        // A new court order's terms replace the court plan.
        let varied = save(store, &court).unwrap();
        assert_eq!(ids(&varied.replaced), vec![court_saved.plan_id]);

        // An informal plan names no court order, and a court plan only its own tenancy's outcome.
        let (t2, a2) = add_tenancy(store, "T2");
        let mut linked = version(t2, a2, PlanKind::Informal, "agreed");
        linked.court_order = court.court_order;
        assert_eq!(
            invalid(save(store, &linked)),
            "only a court plan is linked to a court order"
        );
        linked.plan.terms.kind = PlanKind::Court;
        assert_eq!(
            invalid(save(store, &linked)),
            "that court order is not a court outcome of this tenancy"
        );
    });
}

#[test]
fn plans_that_cannot_work_are_refused_and_nothing_is_saved() {
    on_each_engine("plans_that_cannot_work_are_ref", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        let mut v = version(t, a, PlanKind::Informal, "  ");
        assert_eq!(
            invalid(save(store, &v)),
            "say why this plan is being made (e.g. agreed on the phone)"
        );
        v.plan.reason = "agreed";
        v.plan.terms.instalment = Money::ZERO;
        assert_eq!(
            invalid(save(store, &v)),
            "an instalment of £0.00 never clears the debt"
        );
        v.plan.terms.instalment = Money::pounds(40);
        v.weekly_growth = Money::pounds(10);
        assert_eq!(
            invalid(save(store, &v)),
            "£40.00 a month never clears the debt: it grows by £43.34 a month"
        );
        v.weekly_growth = Money::ZERO;
        v.plan.terms.lump_sum = Money::pounds(20);
        assert_eq!(
            invalid(save(store, &v)),
            "give the date the lump sum will be paid"
        );
        assert_eq!(count(store, "plans"), 0);
        assert_eq!(count(store, "plan_events"), 0);
    });
}

#[test]
fn cancelling_needs_a_reason_and_an_active_plan() {
    on_each_engine("cancelling_needs_a_reason_and_", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        store
            .write("tester", "test", |w| {
                w.append_entry(&entry(a, "2026-10-19", EntryKind::Charge, 100))
            })
            .unwrap();
        let saved = save(store, &version(t, a, PlanKind::Informal, "agreed")).unwrap();
        let cancel = |store: &mut Store, reason: &str| {
            store.write("tester", "test", |w| {
                w.cancel_plan(saved.plan_id, d("2026-11-10"), reason)
            })
        };
        assert_eq!(
            invalid(cancel(store, "")),
            "say why the plan is being cancelled"
        );
        cancel(store, "tenant moved to a new job and will pay by DD").unwrap();
        let cancelled = &store.plan_history(t).unwrap()[0];
        assert_eq!(cancelled.plan.state, PlanState::Cancelled);
        let last = cancelled.events.last().unwrap();
        assert_eq!(
            (last.on_date, last.actual, last.reason.as_str()),
            (
                d("2026-11-10"),
                Some(Money::pounds(100)),
                "tenant moved to a new job and will pay by DD"
            )
        );
        assert_eq!(
            invalid(cancel(store, "again")),
            format!(
                "plan {} is already cancelled: only a live or breached plan can be cancelled",
                saved.plan_id
            )
        );
        assert_eq!(
            invalid(store.write("tester", "test", |w| w.cancel_plan(
                999,
                d("2026-11-10"),
                "x"
            ))),
            "there is no plan 999"
        );
        // With nothing active, a new plan replaces nothing.
        let next = save(store, &version(t, a, PlanKind::Informal, "agreed again")).unwrap();
        assert!(next.replaced.is_empty());
    });
}

#[test]
fn monitoring_records_each_change_with_expected_and_actual() {
    on_each_engine("monitoring_records_each_change", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        store
            .write("tester", "test", |w| {
                w.append_entry(&entry(a, "2026-10-19", EntryKind::Charge, 100))
            })
            .unwrap();
        let plan = save(store, &version(t, a, PlanKind::Informal, "agreed"))
            .unwrap()
            .plan_id;
        let batches = count(store, "batches");
        let monitor = |store: &mut Store, day| {
            store
                .monitor_plans("tester", d(day), 5, Scope::All)
                .unwrap()
        };
        // Live on 5 November: nothing changes and nothing is written.
        assert!(monitor(store, "2026-11-05").is_empty());
        assert_eq!(count(store, "batches"), batches);
        // Breached on 6 November, with the expected and actual balance.
        let changes = monitor(store, "2026-11-06");
        assert_eq!(
            changes,
            [PlanChange {
                plan_id: plan,
                tenancy_id: t,
                from: PlanState::Live,
                to: PlanState::Breached,
                expected: Money::pounds(50),
                actual: Money::pounds(100),
            }]
        );
        assert!(monitor(store, "2026-11-06").is_empty());
        let standing = store.plan_standing(t, d("2026-11-06"), 5).unwrap().unwrap();
        assert_eq!(standing.plan.state, PlanState::Breached);
        assert_eq!(
            standing.wording,
            "behind by £50.00 since the payment due 01/11/2026"
        );

        // Paid up in the same transaction as the payment: back to live.
        let changes = store
            .write("tester", "test", |w| {
                w.append_entry(&entry(a, "2026-11-07", EntryKind::Payment, 50))?;
                w.monitor_plans(d("2026-11-07"), 5, Scope::Tenancy(t))
            })
            .unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            (changes[0].from, changes[0].to),
            (PlanState::Breached, PlanState::Live)
        );
        let standing = store.plan_standing(t, d("2026-11-07"), 5).unwrap().unwrap();
        assert_eq!(standing.wording, "on track");

        store
            .write("tester", "test", |w| {
                w.append_entry(&entry(a, "2026-12-01", EntryKind::Payment, 50))
            })
            .unwrap();
        let done = monitor(store, "2026-12-02");
        assert_eq!(done[0].to, PlanState::Completed);
        // A completed plan is no longer checked.
        assert!(monitor(store, "2027-06-01").is_empty());
        assert_eq!(store.plan_standing(t, d("2027-06-01"), 5).unwrap(), None);

        let events: Vec<_> = store.plan_history(t).unwrap()[0]
            .events
            .iter()
            .map(|e| (e.on_date, e.state, e.expected, e.actual))
            .collect();
        let m = |p| Some(Money::pounds(p));
        assert_eq!(
            events,
            [
                (d("2026-11-01"), PlanState::Live, None, None),
                (d("2026-11-06"), PlanState::Breached, m(50), m(100)),
                (d("2026-11-07"), PlanState::Live, m(50), m(50)),
                (
                    d("2026-12-02"),
                    PlanState::Completed,
                    m(50),
                    Some(Money::ZERO)
                ),
            ]
        );
    });
}

#[test]
fn monitoring_one_tenancy_leaves_the_others() {
    on_each_engine("monitoring_one_tenancy_leaves_", |_, store| {
        let mut tenancies = Vec::new();
        for reference in ["T1", "T2"] {
            let (t, a) = add_tenancy(store, reference);
            store
                .write("tester", "test", |w| {
                    w.append_entry(&entry(a, "2026-10-19", EntryKind::Charge, 100))
                })
                .unwrap();
            save(store, &version(t, a, PlanKind::Informal, "agreed")).unwrap();
            tenancies.push(t);
        }
        let one = store
            .monitor_plans("tester", d("2026-11-06"), 5, Scope::Tenancy(tenancies[1]))
            .unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].tenancy_id, tenancies[1]);
        let rest = store
            .monitor_plans("tester", d("2026-11-06"), 5, Scope::All)
            .unwrap();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].tenancy_id, tenancies[0]);
    });
}

#[test]
fn assessments_are_dated_and_read_back_latest_first() {
    on_each_engine("assessments_are_dated_and_read", |_, store| {
        let (t, _) = add_tenancy(store, "T1");
        let mut statement = Statement::new(Household {
            adults: 2,
            dependants: 1,
            non_dependants: 0,
            vehicles: 1,
        });
        statement.set(Item::Earnings, Money::pounds(1500)).unwrap();
        statement.set(Item::Rent, Money::pounds(433)).unwrap();
        statement
            .set(Item::FoodHousekeeping, Money::pounds(400))
            .unwrap();
        let mut later = statement.clone();
        later.set(Item::Earnings, Money::pounds(1200)).unwrap();
        for (on, s) in [("2026-11-02", &later), ("2026-06-01", &statement)] {
            store
                .write("tester", "test", |w| {
                    w.add_assessment(&NewAssessment {
                        tenancy_id: t,
                        assessed_on: d(on),
                        statement: s,
                        note: "figures given on the phone",
                        officer: "tester",
                        at: d(on).and_hms_opt(11, 0, 0).unwrap(),
                        action_id: None,
                    })
                })
                .unwrap();
        }
        let all = store.assessments(t).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].assessed_on, d("2026-11-02"));
        assert_eq!(all[0].statement, later);
        assert_eq!(all[1].statement, statement);
        let latest = store.latest_assessment(t).unwrap().unwrap();
        assert_eq!(
            latest.statement.totals().available_for_priority_debts,
            Money::pounds(367)
        );
        assert_eq!(latest.note, "figures given on the phone");
    });
}

#[test]
fn plans_events_and_assessments_are_append_only() {
    on_each_engine("plans_events_and_assessments_a", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        save(store, &version(t, a, PlanKind::Informal, "agreed")).unwrap();
        let mut statement = Statement::new(Household::default());
        statement.set(Item::Earnings, Money::pounds(1000)).unwrap();
        store
            .write("tester", "test", |w| {
                w.add_assessment(&NewAssessment {
                    tenancy_id: t,
                    assessed_on: d("2026-11-02"),
                    statement: &statement,
                    note: "",
                    officer: "tester",
                    at: d("2026-11-02").and_hms_opt(9, 0, 0).unwrap(),
                    action_id: None,
                })
            })
            .unwrap();
        for sql in [
            "UPDATE plans SET instalment = 1",
            "DELETE FROM plans",
            "UPDATE plan_events SET state = 'live'",
            "DELETE FROM plan_events",
            "UPDATE assessments SET adults = 3",
            "DELETE FROM assessments",
            "UPDATE assessment_lines SET amount = 1",
            "DELETE FROM assessment_lines",
        ] {
            let err = store.db().execute(sql, &[]).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
    });
}
