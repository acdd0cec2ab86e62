//! Each rule at its boundaries, on DOMAIN.md's default policy (the shipped config).

use super::*;
use crate::domain::Money;
use crate::domain::actions::ActionKind as K;
use crate::domain::dates::{parse_date, parse_moment};
use crate::domain::plan::{PlanKind, PlanState};
use crate::domain::recovery::CourtOutcome;
use crate::domain::tenancy::Tenure;
use Recommendation as R;
use chrono::NaiveDateTime;

fn policy() -> Policy {
    crate::config::Config::default_config().policy
}

fn at(s: &str) -> NaiveDateTime {
    parse_moment(s).unwrap().0
}

fn day(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn m(pounds: &str) -> Money {
    Money::parse(pounds).unwrap()
}

/// Monday 23 Nov 2026, £100 a week, this week's rent charged, nothing paid this week, owing
/// `collectable` before this week: effective arrears = collectable − £100 grace.
fn facts(collectable: &str) -> Facts {
    let collectable = m(collectable);
    Facts {
        now: at("2026-11-23T10:00:00"),
        tenure: Tenure::Secure,
        weekly_charge: Money::pounds(100),
        balance: collectable + Money::pounds(100),
        collectable,
        paid_this_week: Money::ZERO,
        days_since_last_payment: Some(20),
        universal_credit: false,
        housing_benefit: false,
        ended: None,
        last_action: None,
        latest: vec![],
        last_letter_failed: false,
        notice: None,
        plan: None,
        court: Court::default(),
        paused_until: None,
        breathing_space_until: None,
    }
}

/// Effective arrears of exactly `effective` (paid this week's rent, so no grace left).
fn owing(effective: &str) -> Facts {
    Facts {
        paid_this_week: Money::pounds(100),
        ..facts(effective)
    }
}

fn with_last(mut f: Facts, kind: K, when: &str) -> Facts {
    f.last_action = Some((kind, at(when)));
    f.latest.push((kind, at(when)));
    f
}

fn plan(kind: PlanKind, state: PlanState, start: &str) -> Option<PlanFact> {
    Some(PlanFact {
        kind,
        state,
        start: at(start),
        since: at(start),
    })
}

fn rec(f: &Facts) -> Recommendation {
    evaluate(&policy(), f).recommendation
}

#[test]
fn the_shipped_policy_is_domain_order_with_letter_1_before_sms() {
    let p = policy();
    assert_eq!(p.rules.len(), 15);
    assert_eq!(p.rules[0], R::ApplyForWarrant);
    assert_eq!(p.rules[2], R::SendLetter1);
    assert_eq!(p.rules[3], R::SendSms);
    assert_eq!(p.sms_from, m("5"));
    assert_eq!(p.notice_wait, Span::Days(28));
}

#[test]
fn nothing_owed_nothing_recommended() {
    let d = evaluate(&policy(), &owing("0"));
    assert_eq!(d.recommendation, R::NoAction);
    assert_eq!(d.reason, "Nothing overdue: only this week's rent is owed.");
    assert_eq!(
        evaluate(&policy(), &facts("4.99")).reason,
        "£4.99 overdue, below £5.00."
    );
    let mut credit = owing("-50");
    credit.balance = m("-50");
    assert_eq!(evaluate(&policy(), &credit).reason, "In credit £50.00.");
}

#[test]
fn blockers_hold_everything_back_and_say_why() {
    let base = owing("900");
    assert_eq!(rec(&base), R::SendLetter1);
    let cases: [(Facts, Blocker, &str); 5] = [
        (
            Facts {
                paused_until: Some(day("2026-11-23")),
                ..base.clone()
            },
            Blocker::Paused,
            "Paused until 23/11/2026.",
        ),
        (
            Facts {
                court: Court {
                    hearing: Some(day("2026-11-24")),
                    ..Court::default()
                },
                ..base.clone()
            },
            Blocker::HearingAhead,
            "Hearing on 24/11/2026.",
        ),
        (
            Facts {
                court: Court {
                    eviction_date: Some(day("2026-01-01")),
                    ..Court::default()
                },
                ..base.clone()
            },
            Blocker::EvictionDate,
            "Eviction date 01/01/2026.",
        ),
        (
            Facts {
                breathing_space_until: Some(day("2026-12-01")),
                ..base.clone()
            },
            Blocker::BreathingSpace,
            "Breathing space until 01/12/2026: no notice, claim or warrant, and no demands.",
        ),
        (
            Facts {
                ended: Some(day("2026-03-01")),
                ..base.clone()
            },
            Blocker::FormerTenancy,
            "Tenancy ended 01/03/2026: recover through the former tenant arrears process.",
        ),
    ];
    for (f, blocker, reason) in cases {
        let d = evaluate(&policy(), &f);
        assert_eq!(
            (d.recommendation, d.blocker, d.reason.as_str()),
            (R::NoAction, Some(blocker), reason)
        );
    }
    // A pause that ended yesterday no longer holds; a hearing today is not "ahead".
    assert_eq!(
        rec(&Facts {
            paused_until: Some(day("2026-11-22")),
            ..base.clone()
        }),
        R::SendLetter1
    );
    assert_eq!(
        rec(&Facts {
            breathing_space_until: Some(day("2026-11-22")),
            ..base
        }),
        R::SendLetter1
    );
}

#[test]
fn rule_4_letter_1_from_ten_pounds_and_three_calendar_months() {
    let d = evaluate(&policy(), &owing("10.00"));
    assert_eq!(d.recommendation, R::SendLetter1);
    assert_eq!(d.rule(), 4);
    assert_eq!(
        d.reason,
        "£10.00 (0.1 weeks) owed and no arrears letter in the last 3 months."
    );
    assert_eq!(rec(&owing("9.99")), R::SendSms);
    // Three calendar months before Mon 23 Nov is 23 Aug: a letter dated then (no time) is more
    // than 3 months ago; one sent at noon that day is within them.
    assert_eq!(
        rec(&with_last(owing("50"), K::Letter2, "2026-08-23")),
        R::SendLetter1
    );
    assert_eq!(
        rec(&with_last(owing("50"), K::Letter2, "2026-08-23T12:00:00")),
        R::NoAction
    );
    let mut cwl = owing("50");
    cwl.latest.push((K::CourtWarningLetter, at("2026-10-01")));
    assert_eq!(rec(&cwl), R::NoAction);
    // No notice at all: once one was ever served the ladder moves on to notices, not letters.
    assert_eq!(
        rec(&Facts {
            notice: Some(day("2024-01-08")),
            ..owing("50")
        }),
        R::NoAction
    );
}

#[test]
fn rule_3_sms_band_and_its_look_backs() {
    let f = facts("7.50");
    let d = evaluate(&policy(), &f);
    assert_eq!((d.recommendation, d.rule()), (R::SendSms, 3));
    assert_eq!(d.reason, "£7.50 owed; no contact on record.");
    assert_eq!(rec(&facts("5.00")), R::SendSms);
    assert_eq!(rec(&facts("4.99")), R::NoAction);
    assert_eq!(
        rec(&facts("10.00")),
        R::NoAction,
        "£10 collectable with a week's grace is not a letter"
    );
    // An SMS 7 days ago at noon is within 7 days; one with the date only is not.
    assert_eq!(
        rec(&with_last(facts("7.50"), K::Sms, "2026-11-16T12:00:00")),
        R::NoAction
    );
    assert_eq!(
        rec(&with_last(facts("7.50"), K::Sms, "2026-11-16")),
        R::SendSms
    );
    // Any other action holds a new SMS back for 3 months.
    assert_eq!(
        rec(&with_last(facts("7.50"), K::Letter1, "2026-09-01")),
        R::NoAction
    );
    let d = evaluate(
        &policy(),
        &with_last(facts("7.50"), K::Letter1, "2026-08-23"),
    );
    assert_eq!(d.reason, "£7.50 owed; last action (Letter 1) 92 days ago.");
    assert_eq!(
        rec(&Facts {
            plan: plan(PlanKind::Informal, PlanState::Live, "2026-11-01"),
            ..facts("7.50")
        }),
        R::NoAction
    );
}

#[test]
fn letter_1_wins_when_sms_and_letter_1_both_apply() {
    // A landlord whose SMS band reaches above the letter threshold.
    let mut p = policy();
    p.sms_below = m("50");
    let f = facts("120");
    assert_eq!(evaluate(&p, &f).recommendation, R::SendLetter1);
    p.rules.retain(|r| *r != R::SendLetter1);
    assert_eq!(
        evaluate(&p, &f).recommendation,
        R::NoAction,
        "collectable £120 is above the SMS band"
    );
    assert_eq!(evaluate(&p, &facts("30")).recommendation, R::SendSms);
}

#[test]
fn rule_5_letter_2_from_14_days_to_3_months_after_letter_1() {
    let f = with_last(owing("212.40"), K::Letter1, "2026-11-07");
    let d = evaluate(&policy(), &f);
    assert_eq!((d.recommendation, d.rule()), (R::SendLetter2, 5));
    assert_eq!(
        d.reason,
        "Letter 1 sent 16 days ago and £212.40 (2.1 weeks) still owed."
    );
    assert_eq!(
        rec(&with_last(owing("212.40"), K::Letter1, "2026-11-09")),
        R::SendLetter2,
        "14 days exactly"
    );
    let early = evaluate(
        &policy(),
        &with_last(owing("212.40"), K::Letter1, "2026-11-10"),
    );
    assert_eq!(early.recommendation, R::NoAction);
    assert_eq!(
        early.reason,
        "Letter 1 sent 13 days ago; letter 2 from 24/11/2026."
    );
    let today = evaluate(
        &policy(),
        &with_last(owing("212.40"), K::Letter1, "2026-11-23"),
    );
    assert_eq!(
        today.reason,
        "Letter 1 sent today; letter 2 from 07/12/2026."
    );
    // More than 3 months: letter 1 is stale, so a fresh letter 1 instead.
    assert_eq!(
        rec(&with_last(owing("212.40"), K::Letter1, "2026-08-23")),
        R::SendLetter1
    );
    assert_eq!(
        rec(&with_last(owing("9"), K::Letter1, "2026-11-07")),
        R::NoAction
    );
}

#[test]
fn rule_8_notice_at_four_weeks_after_letter_2() {
    let f = with_last(owing("400.00"), K::Letter2, "2026-11-16");
    let d = evaluate(&policy(), &f);
    assert_eq!((d.recommendation, d.rule()), (R::ServeNotice, 8));
    assert_eq!(
        d.reason,
        "£400.00 (4.0 weeks) owed and letter 2 went 7 days ago: serve a NOSP."
    );
    assert_eq!(
        rec(&with_last(owing("399.99"), K::Letter2, "2026-11-16")),
        R::NoAction
    );
    assert_eq!(
        rec(&with_last(owing("400"), K::Letter2, "2026-11-17")),
        R::NoAction,
        "6 days"
    );
    let assured = Facts {
        tenure: Tenure::Assured,
        ..f.clone()
    };
    assert!(
        evaluate(&policy(), &assured)
            .reason
            .ends_with("serve a section 8 notice.")
    );
    assert_eq!(
        rec(&Facts {
            plan: plan(PlanKind::Informal, PlanState::Breached, "2026-10-01"),
            ..f.clone()
        }),
        R::SendInformalBreachLetter
    );
}

#[test]
fn notices_stay_valid_52_weeks_after_the_waiting_period_then_a_new_one() {
    // Served 27 Oct 2025: waiting period to 24 Nov 2025, valid 52 weeks after: lapses 23 Nov 2026.
    let lapsed = Facts {
        notice: Some(day("2025-10-27")),
        ..owing("800")
    };
    let p = policy();
    assert!(!lapsed.notice_valid(&p));
    let d = evaluate(&p, &lapsed);
    assert_eq!(d.recommendation, R::ServeNotice);
    assert_eq!(
        d.reason,
        "£800.00 (8.0 weeks) owed and the notice served 27/10/2025 lapsed on 23/11/2026: serve a NOSP."
    );
    let valid = Facts {
        notice: Some(day("2025-10-28")),
        ..owing("800")
    };
    assert!(valid.notice_valid(&p));
    assert_eq!(rec(&valid), R::SendCourtWarningLetter);
}

#[test]
fn rules_13_and_14_court_warning_then_court_date() {
    let served = Facts {
        notice: Some(day("2026-10-26")),
        ..owing("800")
    };
    assert_eq!(
        rec(&served),
        R::SendCourtWarningLetter,
        "28 days after service, exactly"
    );
    let waiting = Facts {
        notice: Some(day("2026-10-27")),
        ..owing("800")
    };
    let w = evaluate(&policy(), &waiting);
    assert_eq!(w.recommendation, R::NoAction);
    assert_eq!(
        w.reason,
        "Notice served 27/10/2026: waiting period ends 24/11/2026."
    );
    let warned = with_last(served.clone(), K::CourtWarningLetter, "2026-11-09");
    let d = evaluate(&policy(), &warned);
    assert_eq!((d.recommendation, d.rule()), (R::ApplyForCourtDate, 14));
    assert_eq!(
        d.reason,
        "Court warning letter sent 14 days ago and £800.00 (8.0 weeks) still owed."
    );
    assert_eq!(
        rec(&with_last(
            served.clone(),
            K::CourtWarningLetter,
            "2026-11-10"
        )),
        R::NoAction
    );
    // A hearing after the letter: no second application.
    let heard = Facts {
        court: Court {
            hearing: Some(day("2026-11-20")),
            ..Court::default()
        },
        ..warned
    };
    assert_eq!(rec(&heard), R::RecordCourtOutcome);
}

#[test]
fn rule_6_record_the_outcome_of_a_past_hearing() {
    let heard = Facts {
        court: Court {
            hearing: Some(day("2026-11-20")),
            ..Court::default()
        },
        ..owing("800")
    };
    let d = evaluate(&policy(), &heard);
    assert_eq!((d.recommendation, d.rule()), (R::RecordCourtOutcome, 6));
    assert_eq!(
        d.reason,
        "The hearing on 20/11/2026 has passed with no outcome recorded."
    );
    let decided = Facts {
        court: Court {
            hearing: Some(day("2026-11-20")),
            order: Some(Order {
                outcome: CourtOutcome::SuspendedOnTerms,
                date: Some(day("2026-11-20")),
                terms: true,
            }),
            ..Court::default()
        },
        plan: plan(PlanKind::Court, PlanState::Live, "2026-11-20"),
        ..owing("800")
    };
    assert_eq!(rec(&decided), R::NoAction);
}

#[test]
fn rule_1_warrant_within_three_months_of_an_outright_order() {
    let order = |date: &str| Facts {
        court: Court {
            hearing: Some(day(date)),
            order: Some(Order {
                outcome: CourtOutcome::OutrightForthwith,
                date: Some(day(date)),
                terms: false,
            }),
            ..Court::default()
        },
        notice: Some(day("2026-01-05")),
        ..owing("2000")
    };
    let f = order("2026-08-24");
    let d = evaluate(&policy(), &f);
    assert_eq!((d.recommendation, d.rule()), (R::ApplyForWarrant, 1));
    assert_eq!(
        d.reason,
        "Outright possession forthwith on 24/08/2026 and no warrant applied for; £2,000.00 (20.0 weeks) owed."
    );
    assert_ne!(
        rec(&order("2026-08-23")),
        R::ApplyForWarrant,
        "more than 3 months ago"
    );
    let applied = Facts {
        court: Court {
            warrant_applied: Some(day("2026-09-01")),
            ..f.court
        },
        ..f.clone()
    };
    assert_ne!(rec(&applied), R::ApplyForWarrant);
    let paying = Facts {
        plan: plan(PlanKind::Informal, PlanState::Live, "2026-09-01"),
        ..f
    };
    assert_ne!(rec(&paying), R::ApplyForWarrant);
}

#[test]
fn court_plan_breach_ladder_rules_12_7_9() {
    let order = Order {
        outcome: CourtOutcome::SuspendedOnTerms,
        date: Some(day("2026-06-01")),
        terms: true,
    };
    let base = Facts {
        court: Court {
            hearing: Some(day("2026-06-01")),
            order: Some(order),
            ..Court::default()
        },
        notice: Some(day("2026-01-05")),
        plan: plan(PlanKind::Court, PlanState::Breached, "2026-06-01"),
        ..owing("900")
    };
    assert_eq!(evaluate(&policy(), &base).rule(), 12);
    let lettered = with_last(base.clone(), K::CourtBreachLetter, "2026-11-16");
    assert_eq!(
        rec(&lettered),
        R::CourtBreachVisit,
        "7 days after the breach letter"
    );
    assert_eq!(
        rec(&with_last(base.clone(), K::CourtBreachLetter, "2026-11-17")),
        R::NoAction
    );
    let visited = with_last(base.clone(), K::CourtBreachVisit, "2026-11-16");
    let d = evaluate(
        &policy(),
        &Facts {
            days_since_last_payment: Some(8),
            ..visited.clone()
        },
    );
    assert_eq!((d.recommendation, d.rule()), (R::CourtBreachNoPayment, 9));
    assert_eq!(
        d.reason,
        "Court plan breached, visited 7 days ago, no payment for 8 days."
    );
    assert_eq!(
        rec(&Facts {
            days_since_last_payment: Some(7),
            ..visited
        }),
        R::NoAction
    );
}

#[test]
fn informal_breach_rules_10_and_11() {
    let breached = Facts {
        plan: plan(PlanKind::Informal, PlanState::Breached, "2026-09-01"),
        ..owing("300")
    };
    let d = evaluate(&policy(), &breached);
    assert_eq!(
        (d.recommendation, d.rule()),
        (R::SendInformalBreachLetter, 10)
    );
    // The last action must be at least 7 days old and not itself a breach step.
    assert_eq!(
        rec(&with_last(breached.clone(), K::Letter1, "2026-11-17")),
        R::NoAction
    );
    assert_eq!(
        rec(&with_last(breached.clone(), K::Letter1, "2026-11-16")),
        R::SendInformalBreachLetter
    );
    let lettered = with_last(breached.clone(), K::InformalBreachLetter, "2026-11-16");
    let d = evaluate(&policy(), &lettered);
    assert_eq!(
        (d.recommendation, d.rule()),
        (R::InformalBreachedAfterLetter, 11)
    );
    assert_eq!(
        d.reason,
        "Informal plan still breached 7 days after the breach letter."
    );
    assert_eq!(
        rec(&with_last(breached, K::InformalBreachLetter, "2026-11-17")),
        R::NoAction
    );
}

#[test]
fn rule_15_check_data() {
    let outcome_no_date = Facts {
        court: Court {
            order: Some(Order {
                outcome: CourtOutcome::AdjournedGenerally,
                date: None,
                terms: false,
            }),
            ..Court::default()
        },
        ..owing("0")
    };
    let d = evaluate(&policy(), &outcome_no_date);
    assert_eq!((d.recommendation, d.rule()), (R::CheckData, 15));
    assert_eq!(
        d.reason,
        "A court outcome (Adjourned generally) is recorded without a court date."
    );
    let live_no_plan = Facts {
        court: Court {
            hearing: Some(day("2025-03-03")),
            order: Some(Order {
                outcome: CourtOutcome::StayOfExecution,
                date: Some(day("2025-03-03")),
                terms: false,
            }),
            ..Court::default()
        },
        ..owing("0")
    };
    assert_eq!(evaluate(&policy(), &live_no_plan).rule(), 15);
    // Six years on, the order is no longer live.
    let old = Facts {
        now: at("2031-03-04T09:00:00"),
        ..live_no_plan
    };
    assert_eq!(rec(&old), R::NoAction);
}

#[test]
fn rule_2_a_failed_letter_comes_before_arrears_letters() {
    let f = Facts {
        last_letter_failed: true,
        ..owing("500")
    };
    let d = evaluate(&policy(), &f);
    assert_eq!((d.recommendation, d.rule()), (R::ReviewFailedLetter, 2));
}

#[test]
fn technical_arrears_of_benefit_claimants_are_not_chased() {
    let uc = Facts {
        universal_credit: true,
        days_since_last_payment: Some(12),
        ..owing("400")
    };
    let d = evaluate(&policy(), &uc);
    assert_eq!(d.recommendation, R::NoAction);
    assert_eq!(
        d.reason,
        "Technical arrears: £400.00 is within one Universal Credit payment, which is paid in arrears; not chased."
    );
    // More than a month of rent, or no payment for a month: real arrears.
    assert_eq!(
        rec(&Facts {
            universal_credit: true,
            days_since_last_payment: Some(12),
            ..owing("434")
        }),
        R::SendLetter1
    );
    assert_eq!(
        rec(&Facts {
            universal_credit: true,
            days_since_last_payment: Some(31),
            ..owing("400")
        }),
        R::SendLetter1
    );
    assert_eq!(
        rec(&Facts {
            housing_benefit: true,
            days_since_last_payment: Some(27),
            ..owing("400")
        }),
        R::NoAction
    );
    let mut chase = policy();
    chase.skip_technical_arrears = false;
    assert_eq!(evaluate(&chase, &uc).recommendation, R::SendLetter1);
}

#[test]
fn stages_follow_the_ladder() {
    let p = policy();
    assert_eq!(Stage::of(&p, &owing("50")), Stage::None);
    assert_eq!(
        Stage::of(&p, &with_last(owing("50"), K::Letter1, "2026-11-01")),
        Stage::Letter1
    );
    assert_eq!(
        Stage::of(
            &p,
            &Facts {
                notice: Some(day("2026-11-01")),
                ..owing("50")
            }
        ),
        Stage::Notice
    );
    let order = Facts {
        court: Court {
            hearing: Some(day("2026-10-01")),
            order: Some(Order {
                outcome: CourtOutcome::SuspendedOnTerms,
                date: Some(day("2026-10-01")),
                terms: true,
            }),
            ..Court::default()
        },
        ..owing("50")
    };
    assert_eq!(Stage::of(&p, &order).label(), "Order");
}

#[test]
fn a_new_breach_needs_its_own_letter_not_the_one_from_the_last_breach() {
    // Plan from August, breached then (letter sent 11 Aug), paid up, breached again today.
    let mut again = owing("300");
    again.plan = Some(PlanFact {
        kind: PlanKind::Informal,
        state: PlanState::Breached,
        start: at("2026-08-10"),
        since: at("2026-11-23"),
    });
    let again = with_last(again, K::InformalBreachLetter, "2026-08-11T13:00:00");
    let d = evaluate(&policy(), &again);
    assert_eq!(
        (d.recommendation, d.rule()),
        (R::SendInformalBreachLetter, 10)
    );
    // Once that letter is sent, rule 11 counts from it.
    let lettered = with_last(again, K::InformalBreachLetter, "2026-11-16");
    let lettered = Facts {
        plan: lettered.plan.map(|p| PlanFact {
            since: at("2026-11-10"),
            ..p
        }),
        ..lettered
    };
    assert_eq!(evaluate(&policy(), &lettered).rule(), 11);
}
