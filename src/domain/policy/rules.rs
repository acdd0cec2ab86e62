//! DOMAIN.md's fifteen rules, the two that chase the court and the bailiff, the blockers and the
//! waits on the court, each returning the reason it fired (put into words when shown, see
//! [`Reason`]).

use super::Blocker;
use super::Recommendation as R;
use super::facts::Facts;
use super::facts::start_of;
use super::reason::{Ago, Benefit, NoticeDue, Owed, Quiet, Reason, Whom};
use super::settings::Policy;
use super::span::Span;
use crate::domain::Money;
use crate::domain::actions::ActionKind as K;
use crate::domain::plan::PlanKind;
use crate::domain::recovery::{CourtOutcome, NoticeKind};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

/// What holds every recommendation back, if anything.
pub fn blocker(f: &Facts) -> Option<(Blocker, Reason)> {
    let today = f.today();
    if let Some(ended) = f.ended.filter(|_| f.former()) {
        return Some((Blocker::FormerTenancy, Reason::Ended(ended)));
    }
    if let Some(until) = f.breathing_space_until.filter(|u| *u >= today) {
        return Some((Blocker::BreathingSpace, Reason::BreathingSpace(until)));
    }
    if let Some(until) = f.paused_until.filter(|u| *u >= today) {
        return Some((Blocker::Paused, Reason::Paused(until)));
    }
    if let Some(eviction) = f.eviction().filter(|e| *e >= today) {
        return Some((Blocker::EvictionDate, Reason::EvictionOn(eviction)));
    }
    if let Some(hearing) = f.court.hearing.filter(|h| *h > today) {
        return Some((Blocker::HearingAhead, Reason::HearingOn(hearing)));
    }
    None
}

/// A case waiting on the court: only the rules it allows are tried, and if none applies the
/// wait is the reason nothing is recommended.
pub struct Hold {
    pub blocker: Blocker,
    pub reason: Reason,
    pub allows: &'static [R],
}

/// The wait the case is in, if any: an eviction date passed with the tenancy not ended (a record
/// to check), a warrant waiting for its eviction date, or a court date applied for waiting for
/// its hearing.
pub fn hold(p: &Policy, f: &Facts) -> Option<Hold> {
    if let Some(eviction) = f.eviction() {
        return Some(Hold {
            blocker: Blocker::EvictionDate,
            reason: Reason::EvictionPassed(eviction),
            allows: &[R::CheckData],
        });
    }
    if let Some((applied, chased)) = f.awaiting_eviction() {
        return Some(Hold {
            blocker: Blocker::AwaitingEviction,
            reason: waiting(Whom::Bailiff, applied, chased, p.eviction_chase_after),
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
        reason: waiting(Whom::Court, applied, chased, p.hearing_chase_after),
        allows: &[
            R::ReviewFailedLetter,
            R::RecordCourtOutcome,
            R::ChaseCourtForHearing,
        ],
    })
}

/// Waiting on `whom`, to be chased once `wait` is up from the application or the last chase.
fn waiting(
    whom: Whom,
    applied: NaiveDateTime,
    chased: Option<NaiveDateTime>,
    wait: Span,
) -> Reason {
    Reason::Awaiting {
        whom,
        applied: applied.date(),
        chased: chased.map(|at| at.date()),
        from: due_from(chased.unwrap_or(applied), wait),
    }
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
    whom: Whom,
    (applied, chased): (NaiveDateTime, Option<NaiveDateTime>),
    wait: Span,
) -> Option<Reason> {
    let since = chased.unwrap_or(applied);
    f.more_than_ago(since, wait).then(|| Reason::Chase {
        whom,
        applied: applied.date(),
        chased: chased.map(|at| at.date()),
        wait,
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
pub fn check(rule: R, p: &Policy, f: &Facts, technical: bool) -> Option<Reason> {
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
        R::ReviewFailedLetter => f.last_letter_failed.then_some(Reason::LetterFailed),
        R::SendSms => send_sms(p, f),
        R::SendLetter1 => send_letter_1(p, f),
        R::SendLetter2 => send_letter_2(p, f),
        R::RecordCourtOutcome => f.outcome_missing().map(Reason::OutcomeMissing),
        R::CourtBreachVisit => court_breach_visit(p, f),
        R::ServeNotice => serve_notice(p, f),
        R::CourtBreachNoPayment => court_breach_no_payment(p, f),
        R::SendInformalBreachLetter => informal_breach_letter(p, f),
        R::InformalBreachedAfterLetter => breached_after_letter(p, f),
        R::AddressCourtPlanBreach => court_plan_breach(f),
        R::SendCourtWarningLetter => court_warning_letter(p, f),
        R::ApplyForCourtDate => apply_for_court_date(p, f),
        R::CheckData => check_data(p, f),
        R::ChaseCourtForHearing => chase(f, Whom::Court, f.claim_pending()?, p.hearing_chase_after),
        R::ChaseBailiff => chase(
            f,
            Whom::Bailiff,
            f.awaiting_eviction()?,
            p.eviction_chase_after,
        ),
    }
}

/// Effective arrears as the rules use them (see [`Owed`]).
fn owed(p: &Policy, f: &Facts) -> Owed {
    Owed {
        effective: f.effective(p),
        weekly_charge: f.weekly_charge,
    }
}

/// How long ago, as an officer says it (see [`Ago`]).
fn ago(f: &Facts, at: NaiveDateTime) -> Ago {
    Ago(f.days_since(at))
}

fn notice_name(f: &Facts) -> &'static str {
    match NoticeKind::for_tenure(f.tenure) {
        Some(NoticeKind::Nosp) => "a NOSP",
        Some(NoticeKind::Section8) => "a section 8 notice",
        None => "a notice",
    }
}

/// Arrears the next Universal Credit or Housing Benefit payment will clear: benefit is paid in
/// arrears, so a claimant is a payment behind by design and is not chased for it. Asked once
/// for all the arrears rules.
pub fn technical_arrears(p: &Policy, f: &Facts) -> Option<Reason> {
    if !p.skip_technical_arrears || !(f.universal_credit || f.housing_benefit) {
        return None;
    }
    let effective = f.effective(p);
    if !effective.is_positive() {
        return None;
    }
    let (benefit, cycle_days, cover) = if f.universal_credit {
        (
            Benefit::UniversalCredit,
            31,
            Money::round_nearest(f.weekly_charge.decimal() * Decimal::from(52) / Decimal::from(12)),
        )
    } else if f.housing_benefit {
        (
            Benefit::HousingBenefit,
            28,
            Money::round_nearest(f.weekly_charge.decimal() * Decimal::from(4)),
        )
    } else {
        return None;
    };
    let recent = f.days_since_last_payment.is_some_and(|d| d < cycle_days);
    (recent && effective <= cover).then_some(Reason::Technical { effective, benefit })
}

fn apply_for_warrant(p: &Policy, f: &Facts) -> Option<Reason> {
    let order = f.court.order.filter(|o| o.outcome.is_outright())?;
    let date = order.date?;
    let recent = date > p.warrant_within.before(f.today());
    let applied = f.court.warrant_applied.is_some_and(|w| w >= date);
    (recent && !f.active_plan() && !applied).then(|| Reason::Warrant {
        outcome: order.outcome,
        date,
        owed: owed(p, f),
    })
}

fn send_sms(p: &Policy, f: &Facts) -> Option<Reason> {
    let in_band = f.collectable >= p.sms_from && f.collectable < p.sms_below;
    // Most accounts fail this: ask it before putting the last contact into words.
    if !(in_band && f.notice.is_none() && f.court.hearing.is_none() && !f.active_plan()) {
        return None;
    }
    let quiet = match f.last_action {
        None => Some(Quiet::NoContact),
        Some((K::Sms, at)) => f
            .more_than_ago(at, p.sms_repeat_after)
            .then(|| Quiet::LastSms(ago(f, at))),
        Some((kind, at)) => f
            .more_than_ago(at, p.quiet_for)
            .then(|| Quiet::LastAction(kind, ago(f, at))),
    }?;
    Some(Reason::Sms {
        owed: f.collectable,
        quiet,
    })
}

fn send_letter_1(p: &Policy, f: &Facts) -> Option<Reason> {
    let letter_lately = [K::Letter1, K::Letter2, K::CourtWarningLetter]
        .iter()
        .filter_map(|k| f.latest(*k))
        .any(|at| !f.more_than_ago(at, p.letter_lookback));
    (f.effective(p) >= p.letter_from
        && f.notice.is_none()
        && !f.active_plan()
        && f.court.hearing.is_none()
        && !letter_lately)
        .then(|| Reason::Letter1 {
            owed: owed(p, f),
            lookback: p.letter_lookback,
        })
}

fn send_letter_2(p: &Policy, f: &Facts) -> Option<Reason> {
    let sent = f.last_action_is(&[K::Letter1])?;
    (f.between(sent, p.letter_2_after, p.letter_2_within)
        && f.effective(p) >= p.letter_from
        && f.notice.is_none()
        && !f.active_plan()
        && f.court.hearing.is_none())
    .then(|| Reason::Letter2 {
        sent: ago(f, sent),
        owed: owed(p, f),
    })
}

fn court_breach_visit(p: &Policy, f: &Facts) -> Option<Reason> {
    let sent = f.last_action_is(&[K::CourtBreachLetter])?;
    (f.court_plan_breach().is_some()
        && f.between(
            sent,
            p.court_breach_letter_after,
            p.court_breach_letter_within,
        ))
    .then(|| Reason::BreachVisit { sent: ago(f, sent) })
}

fn serve_notice(p: &Policy, f: &Facts) -> Option<Reason> {
    if !f.owes_notice_weeks(p)
        || f.notice_valid(p)
        || f.active_plan()
        || f.live_order(p).is_some()
        || f.outcome_missing().is_some()
    {
        return None;
    }
    let after = match (f.notice, f.notice_lapses(p)) {
        (Some(served), Some(lapsed)) => NoticeDue::Lapsed { served, lapsed },
        _ => {
            let sent = f.last_action_is(&[K::Letter2])?;
            if !f.between(sent, p.notice_after_letter_2, p.notice_letter_2_within) {
                return None;
            }
            NoticeDue::Letter2(ago(f, sent))
        }
    };
    Some(Reason::ServeNotice {
        owed: owed(p, f),
        after,
        notice: notice_name(f),
    })
}

fn court_breach_no_payment(p: &Policy, f: &Facts) -> Option<Reason> {
    let visited = f.last_action_is(&[K::CourtBreachVisit])?;
    let unpaid = f
        .days_since_last_payment
        .is_none_or(|d| d >= i64::from(p.no_payment_days));
    (f.court_plan_breach().is_some()
        && f.more_than_ago(visited, p.court_breach_visit_after)
        && unpaid)
        .then(|| Reason::BreachUnpaid {
            visited: ago(f, visited),
            unpaid_days: f.days_since_last_payment,
            postponed: f
                .court
                .order
                .is_some_and(|o| o.outcome == CourtOutcome::PostponedPossession),
        })
}

const BREACH_STEPS: [K; 3] = [
    K::InformalBreachLetter,
    K::CourtBreachLetter,
    K::CourtBreachVisit,
];

fn informal_breach_letter(p: &Policy, f: &Facts) -> Option<Reason> {
    let ready = match f.last_action {
        None => true,
        Some((kind, at)) => {
            (!BREACH_STEPS.contains(&kind) || !f.since_breach(at))
                && f.more_than_ago(at, p.breach_letter_after)
        }
    };
    (f.plan_breached(PlanKind::Informal) && !f.notice_valid(p) && ready)
        .then(|| Reason::InformalBreach { owed: owed(p, f) })
}

fn breached_after_letter(p: &Policy, f: &Facts) -> Option<Reason> {
    let sent = f
        .latest(K::InformalBreachLetter)
        .filter(|at| f.since_breach(*at))?;
    (f.plan_breached(PlanKind::Informal)
        && f.more_than_ago(sent, p.breach_letter_after)
        && !f.notice_valid(p))
    .then(|| Reason::StillBreached {
        days: f.days_since(sent),
    })
}

fn court_plan_breach(f: &Facts) -> Option<Reason> {
    let court_date = f.court_plan_breach()?;
    let handled = f
        .last_action_is(&[K::CourtBreachLetter, K::CourtBreachVisit])
        .is_some_and(|at| f.since_breach(at));
    (!handled).then_some(Reason::CourtPlanBreach(court_date))
}

fn court_warning_letter(p: &Policy, f: &Facts) -> Option<Reason> {
    let served = f.notice?;
    let warned = f
        .latest(K::CourtWarningLetter)
        .is_some_and(|at| at.date() >= served);
    (f.notice_ripe(p)
        && f.owes_notice_weeks(p)
        && !f.active_plan()
        && !warned
        && !f.hearing_since_notice())
    .then(|| Reason::CourtWarning {
        served,
        owed: owed(p, f),
    })
}

fn apply_for_court_date(p: &Policy, f: &Facts) -> Option<Reason> {
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
        .then(|| Reason::CourtDate {
            warned: ago(f, warned),
            owed: owed(p, f),
        })
}

fn check_data(p: &Policy, f: &Facts) -> Option<Reason> {
    if let Some(eviction) = f.eviction().filter(|e| *e < f.today()) {
        return Some(Reason::EvictionNotRecorded(eviction));
    }
    let court_plan = f
        .plan
        .is_some_and(|pl| pl.kind == PlanKind::Court && pl.state.is_active());
    if court_plan && f.court_date().is_none() {
        return Some(Reason::CourtPlanUnheard);
    }
    let order = f.court.order?;
    let Some(date) = order.date else {
        return Some(Reason::OutcomeUndated(order.outcome));
    };
    // Orders older than a live order can be are history, not records to act on.
    if date <= p.live_order_within.before(f.today()) {
        return None;
    }
    if order.outcome == CourtOutcome::Other {
        return Some(Reason::OutcomeUnknown(date));
    }
    if f.live_order(p).is_some() && !f.active_plan() {
        return Some(Reason::OrderWithoutPlan {
            outcome: order.outcome,
            date,
        });
    }
    let court_plan = f
        .plan
        .is_some_and(|pl| pl.kind == PlanKind::Court && pl.start.date() >= date);
    ((order.terms || order.outcome.has_terms()) && !court_plan)
        .then_some(Reason::TermsWithoutPlan(date))
}

/// When a step of the ladder is waiting only for time to pass, say when it falls due.
fn next_step(p: &Policy, f: &Facts) -> Option<Reason> {
    let waiting = |kind: K, wait: Span, next: &'static str| {
        let sent = f
            .last_action_is(&[kind])
            .filter(|at| !f.more_than_ago(*at, wait))?;
        Some(Reason::NextStep {
            kind,
            sent: ago(f, sent),
            next,
            from: due_from(sent, wait),
        })
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
fn ended_claim(p: &Policy, f: &Facts) -> Option<Reason> {
    let order = f.court.order.filter(|o| o.outcome.ends_claim())?;
    let date = order.date?;
    if f.notice.is_some_and(|served| served > date) {
        return None;
    }
    let lapses = match (f.notice, f.notice_lapses(p)) {
        (Some(served), Some(lapses)) if f.notice_valid(p) => Some((served, lapses)),
        _ => None,
    };
    Some(Reason::ClaimEnded {
        outcome: order.outcome,
        date,
        lapses,
    })
}

/// Why no rule applied, as helpfully as the facts allow; `technical` is
/// [`technical_arrears`]'s answer, asked once for all the rules.
pub fn nothing_due(p: &Policy, f: &Facts, technical: Option<Reason>) -> Reason {
    if let Some(why) = technical {
        return why;
    }
    if f.balance.is_negative() {
        return Reason::InCredit(f.balance.abs());
    }
    if f.balance.is_zero() {
        return Reason::NothingOwed;
    }
    if let Some(plan) = f.plan.filter(|pl| pl.state.is_active()) {
        return Reason::Plan {
            kind: plan.kind,
            state: plan.state,
        };
    }
    if let Some(ended) = ended_claim(p, f) {
        return ended;
    }
    if let Some(order) = f.court.order.filter(|o| o.outcome.is_outright())
        && let Some(date) = order.date.filter(|_| f.warrant().is_none())
    {
        return Reason::OrderUnenforced {
            outcome: order.outcome,
            date,
            within: p.warrant_within,
        };
    }
    if let Some(served) = f.notice.filter(|_| f.notice_valid(p) && !f.notice_ripe(p)) {
        return Reason::NoticeWaiting {
            served,
            ends: p.notice_wait.after(served),
        };
    }
    if let Some(next) = next_step(p, f) {
        return next;
    }
    if let Some(served) = f.notice.filter(|_| !f.owes_notice_weeks(p)) {
        // Once a notice is on record the ladder does not go back to letters.
        return Reason::UnderNoticeWeeks {
            owed: owed(p, f),
            weeks: p.notice_weeks,
            served,
        };
    }
    if !f.collectable.is_positive() {
        return Reason::NothingOverdue;
    }
    if f.collectable < p.sms_from {
        return Reason::BelowSms {
            overdue: f.collectable,
            from: p.sms_from,
        };
    }
    if let Some((kind, at)) = f
        .last_action
        .filter(|(_, at)| !f.more_than_ago(*at, p.quiet_for))
    {
        return Reason::RecentAction {
            overdue: f.collectable,
            kind,
            ago: ago(f, at),
        };
    }
    if !f.effective(p).is_positive() {
        return Reason::WithinGrace(f.collectable);
    }
    if f.effective(p) < p.letter_from {
        return Reason::UnderLetter {
            owed: owed(p, f),
            from: p.letter_from,
        };
    }
    Reason::NothingDue(owed(p, f))
}
