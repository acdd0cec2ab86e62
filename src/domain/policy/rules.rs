//! DOMAIN.md's fifteen rules, the two that chase the court and the bailiff, the blockers and the
//! waits on the court, each returning the reason it fired in words.

use super::Blocker;
use super::Recommendation as R;
use super::facts::Facts;
use super::facts::start_of;
use super::settings::Policy;
use super::span::Span;
use crate::domain::Money;
use crate::domain::actions::ActionKind as K;
use crate::domain::arrears;
use crate::domain::dates::uk;
use crate::domain::plan::PlanKind;
use crate::domain::recovery::{CourtOutcome, NoticeKind};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// What holds every recommendation back, if anything.
pub fn blocker(f: &Facts) -> Option<(Blocker, String)> {
    let today = f.today();
    if let Some(ended) = f.ended.filter(|_| f.former()) {
        return Some((
            Blocker::FormerTenancy,
            format!(
                "Tenancy ended {}: recover through the former tenant arrears process.",
                uk(ended)
            ),
        ));
    }
    if let Some(until) = f.breathing_space_until.filter(|u| *u >= today) {
        return Some((
            Blocker::BreathingSpace,
            format!(
                "Breathing space until {}: no notice, claim or warrant, and no demands.",
                uk(until)
            ),
        ));
    }
    if let Some(until) = f.paused_until.filter(|u| *u >= today) {
        return Some((Blocker::Paused, format!("Paused until {}.", uk(until))));
    }
    if let Some(eviction) = f.eviction().filter(|e| *e >= today) {
        return Some((
            Blocker::EvictionDate,
            format!("Eviction on {}.", uk(eviction)),
        ));
    }
    if let Some(hearing) = f.court.hearing.filter(|h| *h > today) {
        return Some((
            Blocker::HearingAhead,
            format!("Hearing on {}.", uk(hearing)),
        ));
    }
    None
}

/// A case waiting on the court: only the rules it allows are tried, and if none applies the
/// wait is the reason nothing is recommended.
pub struct Hold {
    pub blocker: Blocker,
    pub reason: String,
    pub allows: &'static [R],
}

/// The wait the case is in, if any: an eviction date passed with the tenancy not ended (a record
/// to check), a warrant waiting for its eviction date, or a court date applied for waiting for
/// its hearing.
pub fn hold(p: &Policy, f: &Facts) -> Option<Hold> {
    if let Some(eviction) = f.eviction() {
        return Some(Hold {
            blocker: Blocker::EvictionDate,
            reason: format!(
                "Eviction date {} has passed: record whether it went ahead.",
                uk(eviction)
            ),
            allows: &[R::CheckData],
        });
    }
    if let Some((applied, chased)) = f.awaiting_eviction() {
        return Some(Hold {
            blocker: Blocker::AwaitingEviction,
            reason: waiting(
                "Warrant applied for",
                applied,
                ("bailiff", chased),
                "an eviction date",
                p.eviction_chase_after,
            ),
            allows: &[
                R::ReviewFailedLetter,
                R::RecordCourtOutcome,
                R::ChaseBailiff,
            ],
        });
    }
    let (applied, chased) = f.claim_pending()?;
    Some(Hold {
        blocker: Blocker::AwaitingHearing,
        reason: waiting(
            "Court date applied for",
            applied,
            ("court", chased),
            "a hearing date",
            p.hearing_chase_after,
        ),
        allows: &[
            R::ReviewFailedLetter,
            R::RecordCourtOutcome,
            R::ChaseCourtForHearing,
        ],
    })
}

/// "Court date applied for on 28/09/2026: awaiting a hearing date; chase the court from
/// 23/11/2026." (or "…, court chased on …: … chase the court again from …").
fn waiting(
    what: &str,
    applied: NaiveDateTime,
    (whom, chased): (&str, Option<NaiveDateTime>),
    awaited: &str,
    wait: Span,
) -> String {
    let (from, again, chased) = match chased {
        Some(at) => (
            at,
            " again",
            format!(", {whom} chased on {}", uk(at.date())),
        ),
        None => (applied, "", String::new()),
    };
    format!(
        "{what} on {}{chased}: awaiting {awaited}; chase the {whom}{again} from {}.",
        uk(applied.date()),
        uk(due_from(from, wait))
    )
}

/// The first day on which `at` is more than `wait` ago: a step taken at a time of day counts
/// from the start of that day only on the day after.
fn due_from(at: NaiveDateTime, wait: Span) -> NaiveDate {
    let due = wait.after(at.date());
    if at > start_of(at.date()) {
        due + chrono::Days::new(1)
    } else {
        due
    }
}

/// Rules 16 and 17: the court date or warrant applied for, the wait up, and still nothing.
fn chase(
    f: &Facts,
    what: &str,
    applied: NaiveDateTime,
    (whom, chased): (&str, Option<NaiveDateTime>),
    awaited: &str,
    wait: Span,
) -> Option<String> {
    let since = chased.unwrap_or(applied);
    f.more_than_ago(since, wait).then(|| match chased {
        None => format!(
            "{what} on {} and no {awaited} after {wait}: chase the {whom}.",
            uk(applied.date())
        ),
        Some(at) => format!(
            "{what} on {}, {whom} chased on {} and still no {awaited}: chase the {whom} again.",
            uk(applied.date()),
            uk(at.date())
        ),
    })
}

/// The rules that ask the tenant to pay, or enforce: none applies when nothing is owed.
fn demands(rule: R) -> bool {
    matches!(
        rule,
        R::ApplyForWarrant
            | R::SendSms
            | R::SendLetter1
            | R::SendLetter2
            | R::CourtBreachVisit
            | R::ServeNotice
            | R::CourtBreachNoPayment
            | R::SendInformalBreachLetter
            | R::InformalBreachedAfterLetter
            | R::AddressCourtPlanBreach
            | R::SendCourtWarningLetter
            | R::ApplyForCourtDate
    )
}

/// Whether `rule` applies, and why; `technical` is whether the arrears are technical (see
/// [`technical_arrears`], asked once for all the rules).
pub fn check(rule: R, p: &Policy, f: &Facts, technical: bool) -> Option<String> {
    let arrears_rule = matches!(
        rule,
        R::SendSms
            | R::SendLetter1
            | R::SendLetter2
            | R::ServeNotice
            | R::SendCourtWarningLetter
            | R::ApplyForCourtDate
    );
    if (arrears_rule && technical) || (demands(rule) && !f.balance.is_positive()) {
        return None;
    }
    match rule {
        R::NoAction => None,
        R::ApplyForWarrant => apply_for_warrant(p, f),
        R::ReviewFailedLetter => f.last_letter_failed.then(|| {
            "The last letter could not be produced or sent: check it and send it again.".to_string()
        }),
        R::SendSms => send_sms(p, f),
        R::SendLetter1 => send_letter_1(p, f),
        R::SendLetter2 => send_letter_2(p, f),
        R::RecordCourtOutcome => f.outcome_missing().map(|h| {
            format!(
                "The hearing on {} has passed with no outcome recorded.",
                uk(h)
            )
        }),
        R::CourtBreachVisit => court_breach_visit(p, f),
        R::ServeNotice => serve_notice(p, f),
        R::CourtBreachNoPayment => court_breach_no_payment(p, f),
        R::SendInformalBreachLetter => informal_breach_letter(p, f),
        R::InformalBreachedAfterLetter => breached_after_letter(p, f),
        R::AddressCourtPlanBreach => court_plan_breach(f),
        R::SendCourtWarningLetter => court_warning_letter(p, f),
        R::ApplyForCourtDate => apply_for_court_date(p, f),
        R::CheckData => check_data(p, f),
        R::ChaseCourtForHearing => {
            let (applied, chased) = f.claim_pending()?;
            chase(
                f,
                "Court date applied for",
                applied,
                ("court", chased),
                "hearing date",
                p.hearing_chase_after,
            )
        }
        R::ChaseBailiff => {
            let (applied, chased) = f.awaiting_eviction()?;
            chase(
                f,
                "Warrant applied for",
                applied,
                ("bailiff", chased),
                "eviction date",
                p.eviction_chase_after,
            )
        }
    }
}

/// Effective arrears as the rules use them, in money and weeks of rent: "£400.00 effective
/// arrears (4.0 wks of rent)", named so they are not read as the header's whole balance.
fn owed(p: &Policy, f: &Facts) -> String {
    let effective = f.effective(p);
    match arrears::weeks(effective, f.weekly_charge) {
        Some(w) if effective.is_positive() => {
            format!("{effective} effective arrears ({w:.1} wks of rent)")
        }
        _ => format!("{effective} effective arrears"),
    }
}

fn notice_name(f: &Facts) -> &'static str {
    match NoticeKind::for_tenure(f.tenure) {
        Some(NoticeKind::Nosp) => "a NOSP",
        Some(NoticeKind::Section8) => "a section 8 notice",
        None => "a notice",
    }
}

/// Arrears the next Universal Credit or Housing Benefit payment will clear: benefit is paid in
/// arrears, so a claimant is a payment behind by design and is not chased for it.
pub fn technical(p: &Policy, f: &Facts) -> Option<String> {
    technical_arrears(p, f).map(|(effective, benefit)| {
        format!("Technical arrears: {effective} is within one {benefit} payment, which is paid in arrears; not chased.")
    })
}

/// The effective arrears and the benefit that will clear them, when they are technical: asked
/// for every arrears rule, so it says no more than that (the words are [`technical`]'s).
pub fn technical_arrears(p: &Policy, f: &Facts) -> Option<(Money, &'static str)> {
    if !p.skip_technical_arrears || !(f.universal_credit || f.housing_benefit) {
        return None;
    }
    let effective = f.effective(p);
    if !effective.is_positive() {
        return None;
    }
    let (benefit, cycle_days, cover) = if f.universal_credit {
        (
            "Universal Credit",
            31,
            Money::round_nearest(f.weekly_charge.decimal() * Decimal::from(52) / Decimal::from(12)),
        )
    } else if f.housing_benefit {
        (
            "Housing Benefit",
            28,
            Money::round_nearest(f.weekly_charge.decimal() * Decimal::from(4)),
        )
    } else {
        return None;
    };
    let recent = f.days_since_last_payment.is_some_and(|d| d < cycle_days);
    (recent && effective <= cover).then_some((effective, benefit))
}

fn apply_for_warrant(p: &Policy, f: &Facts) -> Option<String> {
    let order = f.court.order.filter(|o| o.outcome.is_outright())?;
    let date = order.date?;
    let recent = date > p.warrant_within.before(f.today());
    let applied = f.court.warrant_applied.is_some_and(|w| w >= date);
    (recent && !f.active_plan() && !applied).then(|| {
        format!(
            "{} on {} and no warrant applied for; {}.",
            order.outcome.label(),
            uk(date),
            owed(p, f)
        )
    })
}

fn send_sms(p: &Policy, f: &Facts) -> Option<String> {
    let in_band = f.collectable >= p.sms_from && f.collectable < p.sms_below;
    // Most accounts fail this: ask it before putting the last contact into words.
    if !(in_band && f.notice.is_none() && f.court.hearing.is_none() && !f.active_plan()) {
        return None;
    }
    let quiet = match f.last_action {
        None => Some("no contact on record".to_string()),
        Some((K::Sms, at)) => f
            .more_than_ago(at, p.sms_repeat_after)
            .then(|| format!("last SMS {}", f.ago(at))),
        Some((kind, at)) => f
            .more_than_ago(at, p.quiet_for)
            .then(|| format!("last action ({}) {}", kind.label(), f.ago(at))),
    }?;
    Some(format!("{} owed; {quiet}.", f.collectable))
}

fn send_letter_1(p: &Policy, f: &Facts) -> Option<String> {
    let letter_lately = [K::Letter1, K::Letter2, K::CourtWarningLetter]
        .iter()
        .filter_map(|k| f.latest(*k))
        .any(|at| !f.more_than_ago(at, p.letter_lookback));
    (f.effective(p) >= p.letter_from
        && f.notice.is_none()
        && !f.active_plan()
        && f.court.hearing.is_none()
        && !letter_lately)
        .then(|| {
            format!(
                "{} and no arrears letter in the last {}.",
                owed(p, f),
                p.letter_lookback
            )
        })
}

fn send_letter_2(p: &Policy, f: &Facts) -> Option<String> {
    let sent = f.last_action_is(&[K::Letter1])?;
    (f.between(sent, p.letter_2_after, p.letter_2_within)
        && f.effective(p) >= p.letter_from
        && f.notice.is_none()
        && !f.active_plan()
        && f.court.hearing.is_none())
    .then(|| format!("Letter 1 sent {}; still {}.", f.ago(sent), owed(p, f)))
}

fn court_breach_visit(p: &Policy, f: &Facts) -> Option<String> {
    let sent = f.last_action_is(&[K::CourtBreachLetter])?;
    (f.court_plan_breach().is_some()
        && f.between(
            sent,
            p.court_breach_letter_after,
            p.court_breach_letter_within,
        ))
    .then(|| {
        format!(
            "Court plan breached and the breach letter went {}: visit.",
            f.ago(sent)
        )
    })
}

fn serve_notice(p: &Policy, f: &Facts) -> Option<String> {
    if !f.owes_notice_weeks(p)
        || f.notice_valid(p)
        || f.active_plan()
        || f.live_order(p).is_some()
        || f.outcome_missing().is_some()
    {
        return None;
    }
    let why = match (f.notice, f.notice_lapses(p)) {
        (Some(served), Some(lapsed)) => {
            format!("the notice served {} lapsed on {}", uk(served), uk(lapsed))
        }
        _ => {
            let sent = f.last_action_is(&[K::Letter2])?;
            if !f.between(sent, p.notice_after_letter_2, p.notice_letter_2_within) {
                return None;
            }
            format!("letter 2 went {}", f.ago(sent))
        }
    };
    Some(format!(
        "{} and {why}: serve {}.",
        owed(p, f),
        notice_name(f)
    ))
}

fn court_breach_no_payment(p: &Policy, f: &Facts) -> Option<String> {
    let visited = f.last_action_is(&[K::CourtBreachVisit])?;
    let unpaid = f
        .days_since_last_payment
        .is_none_or(|d| d >= i64::from(p.no_payment_days));
    (f.court_plan_breach().is_some()
        && f.more_than_ago(visited, p.court_breach_visit_after)
        && unpaid)
        .then(|| {
            let paid = f
                .days_since_last_payment
                .map_or("no payment on record".to_string(), |d| {
                    format!("no payment for {d} days")
                });
            // A postponed order has no date for possession: the court is asked to fix one.
            let next = match f.court.order.map(|o| o.outcome) {
                Some(CourtOutcome::PostponedPossession) => {
                    ": apply to the court to fix a date for possession"
                }
                _ => "",
            };
            format!(
                "Court plan breached, visited {}, {paid}{next}.",
                f.ago(visited)
            )
        })
}

const BREACH_STEPS: [K; 3] = [
    K::InformalBreachLetter,
    K::CourtBreachLetter,
    K::CourtBreachVisit,
];

fn informal_breach_letter(p: &Policy, f: &Facts) -> Option<String> {
    let ready = match f.last_action {
        None => true,
        Some((kind, at)) => {
            (!BREACH_STEPS.contains(&kind) || !f.since_breach(at))
                && f.more_than_ago(at, p.breach_letter_after)
        }
    };
    (f.plan_breached(PlanKind::Informal) && !f.notice_valid(p) && ready)
        .then(|| format!("Informal plan breached; {}.", owed(p, f)))
}

fn breached_after_letter(p: &Policy, f: &Facts) -> Option<String> {
    let sent = f
        .latest(K::InformalBreachLetter)
        .filter(|at| f.since_breach(*at))?;
    (f.plan_breached(PlanKind::Informal)
        && f.more_than_ago(sent, p.breach_letter_after)
        && !f.notice_valid(p))
    .then(|| {
        format!(
            "Informal plan still breached {} days after the breach letter.",
            f.days_since(sent)
        )
    })
}

fn court_plan_breach(f: &Facts) -> Option<String> {
    let court_date = f.court_plan_breach()?;
    let handled = f
        .last_action_is(&[K::CourtBreachLetter, K::CourtBreachVisit])
        .is_some_and(|at| f.since_breach(at));
    (!handled).then(|| {
        format!(
            "Court plan from {} breached: write to the tenant.",
            uk(court_date)
        )
    })
}

fn court_warning_letter(p: &Policy, f: &Facts) -> Option<String> {
    let served = f.notice?;
    let warned = f
        .latest(K::CourtWarningLetter)
        .is_some_and(|at| at.date() >= served);
    (f.notice_ripe(p)
        && f.owes_notice_weeks(p)
        && !f.active_plan()
        && !warned
        && !f.hearing_since_notice())
    .then(|| {
        format!(
            "Notice served {} is past its waiting period; {}.",
            uk(served),
            owed(p, f)
        )
    })
}

fn apply_for_court_date(p: &Policy, f: &Facts) -> Option<String> {
    let served = f.notice?;
    let warned = f
        .latest(K::CourtWarningLetter)
        .filter(|at| at.date() >= served)?;
    let heard_since = f.court.hearing.is_some_and(|h| h >= warned.date());
    (f.notice_ripe(p)
        && f.more_than_ago(warned, p.court_warning_wait)
        && f.owes_notice_weeks(p)
        && !f.active_plan()
        && !heard_since)
        .then(|| {
            format!(
                "Court warning letter sent {}; still {}.",
                f.ago(warned),
                owed(p, f)
            )
        })
}

fn check_data(p: &Policy, f: &Facts) -> Option<String> {
    if let Some(eviction) = f.eviction().filter(|e| *e < f.today()) {
        return Some(format!(
            "The eviction date {} has passed and the tenancy has not ended: record the eviction, or what stopped it.",
            uk(eviction)
        ));
    }
    let court_plan = f
        .plan
        .is_some_and(|pl| pl.kind == PlanKind::Court && pl.state.is_active());
    if court_plan && f.court_date().is_none() {
        return Some(
            "A court plan is recorded but no hearing or court order: record the hearing and its outcome."
                .to_string(),
        );
    }
    let order = f.court.order?;
    let Some(date) = order.date else {
        return Some(format!(
            "A court outcome ({}) is recorded without a court date.",
            order.outcome.label()
        ));
    };
    // Orders older than a live order can be are history, not records to act on.
    if date <= p.live_order_within.before(f.today()) {
        return None;
    }
    if order.outcome == CourtOutcome::Other {
        return Some(format!(
            "The court outcome of {} is not one the policy knows: check it (or map its code in [codes.court_outcomes]).",
            uk(date)
        ));
    }
    if f.live_order(p).is_some() && !f.active_plan() {
        return Some(format!(
            "Live court order ({}, {}) but no active plan: record the court plan.",
            order.outcome.label(),
            uk(date)
        ));
    }
    let court_plan = f
        .plan
        .is_some_and(|pl| pl.kind == PlanKind::Court && pl.start.date() >= date);
    ((order.terms || order.outcome.has_terms()) && !court_plan).then(|| {
        format!(
            "The order of {} has terms but no court plan from that date.",
            uk(date)
        )
    })
}

/// When a step of the ladder is waiting only for time to pass, say when it falls due.
fn next_step(p: &Policy, f: &Facts) -> Option<String> {
    let waiting = |kind: K, wait: Span, next: &str| {
        let sent = f
            .last_action_is(&[kind])
            .filter(|at| !f.more_than_ago(*at, wait))?;
        Some(format!(
            "{} sent {}; {next} from {}.",
            kind.label(),
            f.ago(sent),
            uk(due_from(sent, wait))
        ))
    };
    if f.effective(p) >= p.letter_from && f.notice.is_none() && !f.active_plan() {
        if let Some(next) = waiting(K::Letter1, p.letter_2_after, "letter 2") {
            return Some(next);
        }
        if f.owes_notice_weeks(p) {
            return waiting(K::Letter2, p.notice_after_letter_2, "a notice");
        }
    }
    if f.notice_ripe(p) && f.owes_notice_weeks(p) {
        return waiting(
            K::CourtWarningLetter,
            p.court_warning_wait,
            "a court date application",
        );
    }
    None
}

/// A claim that ended without possession (dismissed, struck out, withdrawn, a money judgment
/// only) on the current notice: the next claim needs a new notice.
fn ended_claim(p: &Policy, f: &Facts) -> Option<String> {
    let order = f.court.order.filter(|o| o.outcome.ends_claim())?;
    let date = order.date?;
    if f.notice.is_some_and(|served| served > date) {
        return None;
    }
    let next = match (f.notice, f.notice_lapses(p)) {
        (Some(served), Some(lapses)) if f.notice_valid(p) => format!(
            "; a new notice once the one served {} lapses on {}",
            uk(served),
            uk(lapses)
        ),
        _ => String::new(),
    };
    Some(format!(
        "{} on {}: no possession order{next}.",
        order.outcome.label(),
        uk(date)
    ))
}

/// Why no rule applied, as helpfully as the facts allow.
pub fn nothing_due(p: &Policy, f: &Facts) -> String {
    if let Some(why) = technical(p, f) {
        return why;
    }
    if f.balance.is_negative() {
        return format!("In credit by {}.", f.balance.abs());
    }
    if f.balance.is_zero() {
        return "Nothing owed.".to_string();
    }
    if let Some(plan) = f.plan.filter(|pl| pl.state.is_active()) {
        return format!(
            "{} plan {}.",
            plan.kind.label(),
            plan.state.label().to_lowercase()
        );
    }
    if let Some(ended) = ended_claim(p, f) {
        return ended;
    }
    if let Some(order) = f.court.order.filter(|o| o.outcome.is_outright())
        && let Some(date) = order.date.filter(|_| f.warrant().is_none())
    {
        return format!(
            "{} on {} and no warrant applied for within {}: review the case before enforcing it.",
            order.outcome.label(),
            uk(date),
            p.warrant_within
        );
    }
    if let Some(served) = f.notice.filter(|_| f.notice_valid(p) && !f.notice_ripe(p)) {
        return format!(
            "Notice served {}: waiting period ends {}.",
            uk(served),
            uk(p.notice_wait.after(served))
        );
    }
    if let Some(next) = next_step(p, f) {
        return next;
    }
    if let Some(served) = f.notice.filter(|_| !f.owes_notice_weeks(p)) {
        // Once a notice is on record the ladder does not go back to letters.
        return format!(
            "{}, under the {} weeks' rent a notice or claim needs; notice served {}, so no arrears letters.",
            owed(p, f),
            p.notice_weeks,
            uk(served)
        );
    }
    if !f.collectable.is_positive() {
        return "Nothing overdue: only this week's rent is owed.".to_string();
    }
    if f.collectable < p.sms_from {
        return format!("{} overdue, below {}.", f.collectable, p.sms_from);
    }
    if let Some((kind, at)) = f
        .last_action
        .filter(|(_, at)| !f.more_than_ago(*at, p.quiet_for))
    {
        return format!(
            "{} overdue; last action {}, {}.",
            f.collectable,
            kind.label(),
            f.ago(at)
        );
    }
    if !f.effective(p).is_positive() {
        return format!(
            "{} overdue, within the grace allowed; nothing due yet.",
            f.collectable
        );
    }
    if f.effective(p) < p.letter_from {
        return format!(
            "{}, under the {} a letter needs.",
            owed(p, f),
            p.letter_from
        );
    }
    format!("{}; nothing due under the policy yet.", owed(p, f))
}
