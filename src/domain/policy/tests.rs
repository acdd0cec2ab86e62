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
    assert_eq!(p.rules.len(), 17);
    assert_eq!(p.rules[16], R::ChaseBailiff);
    assert_eq!(p.hearing_chase_after, Span::Weeks(8));
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
    assert_eq!(
        d.reason.to_string(),
        "Nothing overdue: only this week's rent is owed."
    );
    assert_eq!(
        evaluate(&policy(), &facts("4.99")).reason.to_string(),
        "£4.99 overdue, below £5.00."
    );
    let mut credit = owing("-50");
    credit.balance = m("-50");
    assert_eq!(
        evaluate(&policy(), &credit).reason.to_string(),
        "In credit by £50.00."
    );
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
                    eviction_date: Some(day("2026-11-23")),
                    ..Court::default()
                },
                ..base.clone()
            },
            Blocker::EvictionDate,
            "Eviction on 23/11/2026.",
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
            (d.recommendation, d.blocker, d.reason.to_string().as_str()),
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
        d.reason.to_string(),
        "£10.00 effective arrears (0.1 wks of rent) and no arrears letter in the last 3 months."
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
    assert_eq!(d.reason.to_string(), "£7.50 owed; no contact on record.");
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
    assert_eq!(
        d.reason.to_string(),
        "£7.50 owed; last action (Letter 1) 92 days ago."
    );
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
        d.reason.to_string(),
        "Letter 1 sent 16 days ago; still £212.40 effective arrears (2.1 wks of rent)."
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
        early.reason.to_string(),
        "Letter 1 sent 13 days ago; letter 2 from 24/11/2026."
    );
    let today = evaluate(
        &policy(),
        &with_last(owing("212.40"), K::Letter1, "2026-11-23"),
    );
    assert_eq!(
        today.reason.to_string(),
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
        d.reason.to_string(),
        "£400.00 effective arrears (4.0 wks of rent) and letter 2 went 7 days ago: serve a NOSP."
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
            .to_string()
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
        d.reason.to_string(),
        "£800.00 effective arrears (8.0 wks of rent) and the notice served 27/10/2025 lapsed on 23/11/2026: serve a NOSP."
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
        w.reason.to_string(),
        "Notice served 27/10/2026: waiting period ends 24/11/2026."
    );
    let warned = with_last(served.clone(), K::CourtWarningLetter, "2026-11-09");
    let d = evaluate(&policy(), &warned);
    assert_eq!((d.recommendation, d.rule()), (R::ApplyForCourtDate, 14));
    assert_eq!(
        d.reason.to_string(),
        "Court warning letter sent 14 days ago; still £800.00 effective arrears (8.0 wks of rent)."
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
        d.reason.to_string(),
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
        d.reason.to_string(),
        "Outright possession forthwith on 24/08/2026 and no warrant applied for; £2,000.00 effective arrears (20.0 wks of rent)."
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
        d.reason.to_string(),
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
        d.reason.to_string(),
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
        d.reason.to_string(),
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
        d.reason.to_string(),
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

/// A notice served in May, the court warning letter in June and a claim applied for on `claim`.
fn claimed(claim: &str) -> Facts {
    let mut f = Facts {
        notice: Some(day("2026-05-04")),
        ..owing("1200")
    };
    f.latest.push((K::CourtWarningLetter, at("2026-06-08")));
    with_last(f, K::CourtDateApplied, claim)
}

/// The recommendation, blocker and reason in words (leaked: a test compares a few).
fn named(d: &Decision) -> (&'static str, Option<&'static str>, &'static str) {
    (
        d.recommendation.as_str(),
        d.blocker.map(|b| b.label()),
        String::leak(d.reason.to_string()),
    )
}

#[test]
fn a_claim_applied_for_waits_for_a_hearing_then_the_court_is_chased() {
    // Applied for on 28 Sep: the court is chased from 23 Nov, eight weeks on.
    let waiting = evaluate(&policy(), &claimed("2026-09-29"));
    assert_eq!(
        named(&waiting),
        (
            "no_action",
            Some("awaiting a hearing date"),
            "Court date applied for on 29/09/2026: awaiting a hearing date; chase the court from 24/11/2026."
        )
    );
    let chase = evaluate(&policy(), &claimed("2026-09-28"));
    assert_eq!(
        named(&chase),
        (
            "chase_court_for_hearing",
            None,
            "Court date applied for on 28/09/2026 and no hearing date after 8 weeks: chase the court."
        )
    );
    assert_eq!(chase.rule(), 16);
    // A hearing listed after the claim ends the wait; one from an earlier claim does not.
    let listed = Facts {
        court: Court {
            hearing: Some(day("2026-12-10")),
            ..Court::default()
        },
        ..claimed("2026-09-28")
    };
    assert_eq!(
        evaluate(&policy(), &listed).blocker,
        Some(Blocker::HearingAhead)
    );
    let old_hearing = Facts {
        court: Court {
            hearing: Some(day("2025-02-10")),
            order: Some(Order {
                outcome: CourtOutcome::Withdrawn,
                date: Some(day("2025-02-10")),
                terms: false,
            }),
            ..Court::default()
        },
        ..claimed("2026-09-28")
    };
    assert_eq!(rec(&old_hearing).as_str(), "chase_court_for_hearing");
    // Once chased, the wait starts again from the chase.
    let mut chased = claimed("2026-09-28");
    chased.latest.push((K::CourtChased, at("2026-11-20")));
    assert_eq!(
        named(&evaluate(&policy(), &chased)),
        (
            "no_action",
            Some("awaiting a hearing date"),
            "Court date applied for on 28/09/2026, court chased on 20/11/2026: awaiting a hearing date; chase the court again from 15/01/2027."
        )
    );
    // The wait is a setting.
    let mut p = policy();
    p.hearing_chase_after = Span::Weeks(4);
    assert_eq!(
        evaluate(&p, &claimed("2026-10-26")).recommendation.as_str(),
        "chase_court_for_hearing"
    );
}

#[test]
fn a_claim_is_never_applied_for_twice() {
    // The day after applying, rule 14 no longer fires.
    for claim in ["2026-11-22", "2026-11-23T09:00:00", "2026-10-01"] {
        assert_ne!(rec(&claimed(claim)), R::ApplyForCourtDate, "{claim}");
    }
    assert_eq!(
        Stage::of(&policy(), &claimed("2026-11-22")).label(),
        "Claim"
    );
}

/// A suspended order from June, its court plan breached and a warrant applied for on `warrant`.
fn warrant(warrant: &str) -> Facts {
    let mut f = Facts {
        court: Court {
            hearing: Some(day("2026-06-01")),
            order: Some(Order {
                outcome: CourtOutcome::SuspendedOnTerms,
                date: Some(day("2026-06-01")),
                terms: true,
            }),
            warrant_applied: Some(day(warrant)),
            eviction_date: None,
        },
        notice: Some(day("2026-01-05")),
        plan: plan(PlanKind::Court, PlanState::Breached, "2026-06-01"),
        ..owing("900")
    };
    f.latest.push((K::CourtBreachVisit, at("2026-10-01")));
    with_last(f, K::WarrantApplied, warrant)
}

#[test]
fn a_warrant_applied_for_is_enforcement_not_breach_letters() {
    let day_after = evaluate(&policy(), &warrant("2026-11-22"));
    assert_eq!(
        named(&day_after),
        (
            "no_action",
            Some("awaiting an eviction date"),
            "Warrant applied for on 22/11/2026: awaiting an eviction date; chase the bailiff from 03/01/2027."
        )
    );
    assert_eq!(
        Stage::of(&policy(), &warrant("2026-11-22")).label(),
        "Warrant"
    );
    let chase = evaluate(&policy(), &warrant("2026-10-12"));
    assert_eq!(
        named(&chase),
        (
            "chase_bailiff",
            None,
            "Warrant applied for on 12/10/2026 and no eviction date after 6 weeks: chase the bailiff."
        )
    );
    assert_eq!(chase.rule(), 17);
    assert_eq!(rec(&warrant("2026-10-13")), R::NoAction);
    // An eviction date set holds the case until it.
    let set = Facts {
        court: Court {
            eviction_date: Some(day("2026-12-15")),
            ..warrant("2026-10-12").court
        },
        ..warrant("2026-10-12")
    };
    assert_eq!(
        named(&evaluate(&policy(), &set)),
        (
            "no_action",
            Some("eviction date set"),
            "Eviction on 15/12/2026."
        )
    );
}

#[test]
fn an_eviction_carried_out_ends_recovery_and_one_not_recorded_is_checked() {
    let base = warrant("2026-10-12");
    let evicted = Facts {
        court: Court {
            eviction_date: Some(day("2026-11-16")),
            ..base.court
        },
        ended: Some(day("2026-11-16")),
        ..base.clone()
    };
    let d = evaluate(&policy(), &evicted);
    assert_eq!(
        named(&d),
        (
            "no_action",
            Some("former tenancy"),
            "Tenancy ended 16/11/2026: recover through the former tenant arrears process."
        )
    );
    assert_eq!(Stage::of(&policy(), &evicted).label(), "Former");
    // The day passed and the tenancy was not ended: the record needs checking.
    let passed = Facts {
        ended: None,
        ..evicted
    };
    assert_eq!(
        named(&evaluate(&policy(), &passed)),
        (
            "check_data",
            None,
            "The eviction date 16/11/2026 has passed and the tenancy has not ended: record the eviction, or what stopped it."
        )
    );
}

#[test]
fn court_plan_breach_steps_need_a_recorded_hearing() {
    // A court plan and nothing on record from the court: rule 15, never 7, 9 or 12.
    let no_court = |last: K| {
        with_last(
            Facts {
                plan: plan(PlanKind::Court, PlanState::Breached, "2026-06-01"),
                days_since_last_payment: Some(30),
                ..owing("900")
            },
            last,
            "2026-11-09",
        )
    };
    for last in [K::CourtBreachLetter, K::CourtBreachVisit, K::Letter2] {
        let d = evaluate(&policy(), &no_court(last));
        assert_eq!(
            named(&d),
            (
                "check_data",
                None,
                "A court plan is recorded but no hearing or court order: record the hearing and its outcome."
            ),
            "{last:?}"
        );
    }
}

#[test]
fn nothing_is_demanded_when_nothing_is_owed() {
    for owed in ["0", "-25"] {
        let mut f = Facts {
            plan: plan(PlanKind::Informal, PlanState::Breached, "2026-09-01"),
            ..owing(owed)
        };
        f.balance = m(owed);
        let d = evaluate(&policy(), &f);
        assert_eq!(d.recommendation, R::NoAction, "{owed}");
        let mut lettered = with_last(f, K::InformalBreachLetter, "2026-11-09");
        assert_eq!(rec(&lettered), R::NoAction, "{owed}: rule 11");
        // A breached court plan, or an outright order without one: no letter, visit or warrant.
        lettered.plan = plan(PlanKind::Court, PlanState::Breached, "2026-06-01");
        lettered.court = Court {
            hearing: Some(day("2026-06-01")),
            order: Some(Order {
                outcome: CourtOutcome::SuspendedOnTerms,
                date: Some(day("2026-06-01")),
                terms: true,
            }),
            ..Court::default()
        };
        assert_eq!(rec(&lettered), R::NoAction, "{owed}: rule 12");
        lettered.plan = None;
        lettered.court.order = Some(Order {
            outcome: CourtOutcome::OutrightForthwith,
            date: Some(day("2026-09-01")),
            terms: false,
        });
        assert_eq!(rec(&lettered), R::NoAction, "{owed}: rule 1");
    }
    let mut credit = owing("-50");
    credit.balance = m("-50");
    assert_eq!(
        evaluate(&policy(), &credit).reason.to_string(),
        "In credit by £50.00."
    );
}

#[test]
fn new_court_outcomes_postponed_dismissed_and_money_judgment() {
    let codes = crate::config::Config::default_config().codes;
    let decided = |outcome: &str, terms: bool, plan_state: Option<PlanState>| Facts {
        court: Court {
            hearing: Some(day("2026-10-05")),
            order: Some(Order {
                outcome: codes.court_outcome(outcome),
                date: Some(day("2026-10-05")),
                terms,
            }),
            ..Court::default()
        },
        notice: Some(day("2026-05-04")),
        plan: plan_state.and_then(|s| plan(PlanKind::Court, s, "2026-10-05")),
        ..owing("900")
    };
    // A postponed order is a live order with terms: a court plan is expected, and breaching it
    // leads to applying to fix a date for possession, not a warrant.
    assert_eq!(rec(&decided("PPO", true, None)), R::CheckData);
    assert_eq!(
        Stage::of(&policy(), &decided("postponed_possession", true, None)).label(),
        "Order"
    );
    let visited = Facts {
        days_since_last_payment: Some(10),
        ..with_last(
            decided("postponed_possession", true, Some(PlanState::Breached)),
            K::CourtBreachVisit,
            "2026-11-16",
        )
    };
    let d = evaluate(&policy(), &visited);
    assert_eq!(d.recommendation, R::CourtBreachNoPayment);
    assert_eq!(
        d.reason.to_string(),
        "Court plan breached, visited 7 days ago, no payment for 10 days: apply to the court to fix a date for possession."
    );
    // Dismissed, or a money judgment only: no possession, the claim is over; a new notice
    // once this one lapses.
    for (outcome, words) in [
        ("dismissed", "Dismissed"),
        ("money_judgment", "Money judgment only"),
    ] {
        let d = evaluate(&policy(), &decided(outcome, false, None));
        assert_eq!(
            named(&d),
            (
                "no_action",
                None,
                format!("{words} on 05/10/2026: no possession order; a new notice once the one served 04/05/2026 lapses on 31/05/2027.").as_str()
            )
        );
        assert_eq!(
            Stage::of(&policy(), &decided(outcome, false, None)).label(),
            "Closed"
        );
    }
}

/// Every state a case can be in, as far as the rules can tell states apart (over 90,000).
fn each_state(mut visit: impl FnMut(&Facts)) {
    // Collectable arrears and what was paid this week: £12 overdue with £95 of this week's £100
    // paid leaves £7 after the grace, between the SMS band and a letter.
    let owed = [
        ("0", "100"),
        ("7.50", "100"),
        ("12", "95"),
        ("50", "100"),
        ("800", "100"),
    ]
    .map(|(owe, paid)| (m(owe), m(paid)));
    let notices = [
        None,
        Some("2026-11-10"),
        Some("2026-05-04"),
        Some("2025-01-06"),
    ]
    .map(|n| n.map(day));
    let actions = [
        None,
        Some((K::Letter1, "2026-11-20")),
        Some((K::Letter2, "2026-11-02")),
        Some((K::CourtWarningLetter, "2026-11-20")),
        Some((K::CourtWarningLetter, "2026-06-08")),
        Some((K::CourtDateApplied, "2026-11-20")),
        Some((K::CourtDateApplied, "2026-07-01")),
        Some((K::CourtBreachLetter, "2026-11-02")),
        Some((K::CourtBreachVisit, "2026-11-02")),
    ]
    .map(|a| a.map(|(k, when)| (k, at(when))));
    let plans = [
        None,
        plan(PlanKind::Informal, PlanState::Live, "2026-10-05"),
        plan(PlanKind::Informal, PlanState::Breached, "2026-10-05"),
        plan(PlanKind::Court, PlanState::Live, "2026-10-05"),
        plan(PlanKind::Court, PlanState::Breached, "2026-10-05"),
        plan(PlanKind::Informal, PlanState::Completed, "2026-10-05"),
    ];
    let mut courts = vec![
        Court::default(),
        Court {
            hearing: Some(day("2026-12-10")),
            ..Court::default()
        },
        Court {
            hearing: Some(day("2026-10-05")),
            ..Court::default()
        },
    ];
    courts.extend(CourtOutcome::ALL.iter().map(|outcome| Court {
        hearing: Some(day("2026-10-05")),
        order: Some(Order {
            outcome: *outcome,
            date: Some(day("2026-10-05")),
            terms: outcome.has_terms(),
        }),
        ..Court::default()
    }));
    // Outright orders older than the warrant window.
    courts.extend(
        [
            CourtOutcome::OutrightForthwith,
            CourtOutcome::OutrightOnDate,
        ]
        .map(|outcome| Court {
            hearing: Some(day("2026-07-01")),
            order: Some(Order {
                outcome,
                date: Some(day("2026-07-01")),
                terms: false,
            }),
            ..Court::default()
        }),
    );
    // Nothing; a warrant this week or ten weeks ago (before the order, when there is one); an
    // eviction date to come or passed.
    let enforcement = [
        (None, None),
        (Some("2026-11-16"), None),
        (Some("2026-09-01"), None),
        (Some("2026-11-16"), Some("2026-12-15")),
        (Some("2026-10-12"), Some("2026-11-16")),
    ]
    .map(|(w, e)| (w.map(day), e.map(day)));
    for (owe, paid) in owed {
        let mut f = owing("0");
        f.balance = owe;
        f.collectable = owe;
        f.paid_this_week = paid;
        for notice in notices {
            f.notice = notice;
            for action in actions {
                f.last_action = action;
                f.latest = action.into_iter().collect();
                for plan_of in plans {
                    f.plan = plan_of;
                    for court in &courts {
                        for (warrant, eviction) in enforcement {
                            f.court = Court {
                                warrant_applied: warrant,
                                eviction_date: eviction,
                                ..*court
                            };
                            visit(&f);
                        }
                    }
                }
            }
        }
    }
}

/// Every state a case can be in, as far as the rules can tell states apart: each gets a
/// recommendation, a blocker, or a reason that names where it stands; none falls through to
/// "nothing due" while the ladder has a next step.
#[test]
fn every_state_has_a_recommendation_or_a_named_reason() {
    let p = policy();
    let mut seen = 0;
    let mut unnamed = Vec::new();
    each_state(|f| {
        let d = evaluate(&p, f);
        seen += 1;
        if d.recommendation == R::NoAction
            && d.blocker.is_none()
            && d.reason
                .to_string()
                .contains("nothing due under the policy")
        {
            unnamed.push(format!("{}\n  {f:?}", d.reason));
        }
    });
    assert!(seen > 90_000, "{seen}");
    assert!(
        unnamed.is_empty(),
        "{} states without a named reason, e.g.\n{}",
        unnamed.len(),
        unnamed[..unnamed.len().min(5)].join("\n")
    );
}

/// Facts of every kind drawn at random (the same draw each run): tenures, benefits, blockers,
/// several actions at any time of day, failed letters, plans, orders with and without dates,
/// warrants and eviction dates, around 23 Nov 2026.
fn drawn_facts(p: &Policy, rng: &mut fastrand::Rng) -> Facts {
    let today = day("2026-11-23");
    let mut date = |back: u64, ahead: u64| {
        today - chrono::Days::new(back) + chrono::Days::new(rng.u64(..=back + ahead))
    };
    let mut moments = Vec::new();
    for _ in 0..8 {
        moments.push(start_of(date(500, 0)));
    }
    let mut f = facts("0");
    f.now = if rng.bool() {
        start_of(today)
    } else {
        at("2026-11-23T10:00:00")
    };
    f.tenure = Tenure::ALL[rng.usize(..Tenure::ALL.len())];
    f.weekly_charge = [Money::ZERO, m("85.50"), m("100"), m("123.45")][rng.usize(..4)];
    f.collectable = Money::from_pence(rng.i64(-20_000..300_000));
    f.balance = f.collectable + f.weekly_charge;
    f.paid_this_week = Money::from_pence(rng.i64(0..=f.weekly_charge.pence()));
    f.days_since_last_payment = rng.bool().then(|| rng.i64(0..120));
    f.universal_credit = rng.u8(..4) == 0;
    f.housing_benefit = rng.u8(..4) == 0;
    let when = |rng: &mut fastrand::Rng| {
        let d = moments[rng.usize(..moments.len())];
        if rng.bool() {
            d
        } else {
            d + chrono::Duration::minutes(rng.i64(1..1_440))
        }
    };
    f.latest = (0..rng.usize(..5))
        .map(|_| (K::ALL[rng.usize(..K::ALL.len())], when(rng)))
        .collect();
    f.last_action = f
        .latest
        .iter()
        .filter(|(k, _)| p.counts(*k))
        .max_by_key(|(_, at)| *at)
        .copied();
    f.last_letter_failed = rng.u8(..8) == 0;
    let date = |rng: &mut fastrand::Rng, back: u64, ahead: u64| {
        (rng.u8(..3) == 0)
            .then(|| today - chrono::Days::new(back) + chrono::Days::new(rng.u64(..=back + ahead)))
    };
    f.ended = date(rng, 400, 60).filter(|_| rng.u8(..4) == 0);
    f.notice = date(rng, 800, 0);
    f.plan = rng.bool().then(|| {
        let start = when(rng);
        PlanFact {
            kind: PlanKind::ALL[rng.usize(..PlanKind::ALL.len())],
            state: PlanState::ALL[rng.usize(..PlanState::ALL.len())],
            start,
            since: start.max(when(rng)),
        }
    });
    f.court = Court {
        hearing: date(rng, 300, 60),
        order: rng.bool().then(|| Order {
            outcome: CourtOutcome::ALL[rng.usize(..CourtOutcome::ALL.len())],
            date: date(rng, 300, 0).or(date(rng, 300, 0)),
            terms: rng.bool(),
        }),
        warrant_applied: date(rng, 200, 0),
        eviction_date: date(rng, 60, 60),
    };
    f.paused_until = date(rng, 30, 30).filter(|_| rng.bool());
    f.breathing_space_until = date(rng, 30, 60).filter(|_| rng.bool());
    f
}

/// The reasons read word for word as they did when each was written out as the rule fired
/// (before they were kept as the rule's figures and written out when shown): over every state
/// above and 20,000 drawn facts, each recommendation's and blocker's reasons hash as they did
/// then. A change to a reason's words shows here as the rule whose hash moved.
#[test]
fn every_reason_reads_as_it_did() {
    let p = policy();
    let mut by_rule: std::collections::BTreeMap<String, (usize, blake3::Hasher)> =
        std::collections::BTreeMap::new();
    let mut add = |f: &Facts| {
        let d = evaluate(&p, f);
        let (count, hash) = by_rule
            .entry(format!(
                "{} {}",
                d.recommendation.as_str(),
                d.blocker.map_or("", |b| b.label())
            ))
            .or_insert_with(|| (0, blake3::Hasher::new()));
        *count += 1;
        hash.update(d.reason.to_string().as_bytes());
        hash.update(b"\n");
    };
    each_state(&mut add);
    let mut rng = fastrand::Rng::with_seed(14);
    for _ in 0..20_000 {
        add(&drawn_facts(&p, &mut rng));
    }
    let lines: Vec<String> = by_rule
        .iter()
        .map(|(rule, (count, hash))| format!("{rule}: {count} {}", &hash.finalize().to_hex()[..16]))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}
