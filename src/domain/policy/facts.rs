//! What the policy knows about one account, and the questions its rules ask of it.
//!
//! Time follows DOMAIN.md: "more than N days (or months) ago" means at or before the start of the
//! day N days (months) before today, and a date without a time of day counts as the start of
//! that day; so an SMS sent 7 days ago at noon is within 7 days, one recorded with the date only
//! is not.

use super::settings::Policy;
use super::span::Span;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::plan::{PlanKind, PlanState};
use crate::domain::recovery::CourtOutcome;
use crate::domain::tenancy::Tenure;
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    pub now: NaiveDateTime,
    pub tenure: Tenure,
    pub weekly_charge: Money,
    pub balance: Money,
    /// Balance less this rent week's charge, which is not yet overdue.
    pub collectable: Money,
    /// Received this rent week (positive).
    pub paid_this_week: Money,
    pub days_since_last_payment: Option<i64>,
    pub universal_credit: bool,
    pub housing_benefit: bool,
    /// The end of a tenancy that has ended.
    pub ended: Option<NaiveDate>,
    /// The latest counted action (see `Policy::counted_actions`).
    pub last_action: Option<(ActionKind, NaiveDateTime)>,
    /// The latest action of each kind that has happened.
    pub latest: Vec<(ActionKind, NaiveDateTime)>,
    pub last_letter_failed: bool,
    /// The date the most recent notice was served.
    pub notice: Option<NaiveDate>,
    /// The most recent plan.
    pub plan: Option<PlanFact>,
    pub court: Court,
    pub paused_until: Option<NaiveDate>,
    pub breathing_space_until: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanFact {
    pub kind: PlanKind,
    pub state: PlanState,
    pub start: NaiveDateTime,
    /// When the plan entered its current state (a breach's letters and visits count from here).
    pub since: NaiveDateTime,
}

/// The court side of the case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Court {
    /// The latest hearing date.
    pub hearing: Option<NaiveDate>,
    /// The latest order (outcome) recorded.
    pub order: Option<Order>,
    pub warrant_applied: Option<NaiveDate>,
    pub eviction_date: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Order {
    pub outcome: CourtOutcome,
    /// The hearing it was made at; `None` is a data problem (rule 15).
    pub date: Option<NaiveDate>,
    pub terms: bool,
}

impl Facts {
    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }

    /// At or before the start of the day `span` before today.
    pub fn more_than_ago(&self, at: NaiveDateTime, span: Span) -> bool {
        at <= start_of(span.before(self.today()))
    }

    /// Older than `min` but not more than `max` ago ("sent 14 days to 3 months ago").
    pub fn between(&self, at: NaiveDateTime, min: Span, max: Span) -> bool {
        self.more_than_ago(at, min) && !self.more_than_ago(at, max)
    }

    /// Whole days from `at` to today.
    pub fn days_since(&self, at: NaiveDateTime) -> i64 {
        (self.today() - at.date()).num_days()
    }

    /// How long ago, as an officer says it: "today", "yesterday", "12 days ago".
    pub fn ago(&self, at: NaiveDateTime) -> String {
        match self.days_since(at) {
            0 => "today".into(),
            1 => "yesterday".into(),
            n => format!("{n} days ago"),
        }
    }

    pub fn latest(&self, kind: ActionKind) -> Option<NaiveDateTime> {
        let from_list = self
            .latest
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, at)| *at)
            .max();
        let from_last = self
            .last_action
            .filter(|(k, _)| *k == kind)
            .map(|(_, at)| at);
        from_list.max(from_last)
    }

    pub fn last_action_is(&self, kinds: &[ActionKind]) -> Option<NaiveDateTime> {
        self.last_action
            .filter(|(k, _)| kinds.contains(k))
            .map(|(_, at)| at)
    }

    pub fn effective(&self, policy: &Policy) -> Money {
        let grace = if policy.one_week_grace {
            (self.weekly_charge - self.paid_this_week).max(Money::ZERO)
        } else {
            Money::ZERO
        };
        self.collectable - grace
    }

    /// Effective arrears of at least the policy's weeks of rent.
    pub fn owes_notice_weeks(&self, policy: &Policy) -> bool {
        self.weekly_charge.is_positive()
            && self.effective(policy) >= Policy::weeks_of(self.weekly_charge, policy.notice_weeks)
    }

    pub fn active_plan(&self) -> bool {
        self.plan.is_some_and(|p| p.state.is_active())
    }

    pub fn plan_breached(&self, kind: PlanKind) -> bool {
        self.plan
            .is_some_and(|p| p.kind == kind && p.state == PlanState::Breached)
    }

    /// A breach step (letter or visit) taken since the current breach began: one from an earlier
    /// breach of the plan does not answer this one.
    pub fn since_breach(&self, at: NaiveDateTime) -> bool {
        self.plan.is_some_and(|p| at >= p.since.max(p.start))
    }

    /// The date the current notice stops being valid: its waiting period, then the valid period.
    pub fn notice_lapses(&self, policy: &Policy) -> Option<NaiveDate> {
        self.notice.map(|served| {
            policy
                .notice_valid_for
                .after(policy.notice_wait.after(served))
        })
    }

    pub fn notice_valid(&self, policy: &Policy) -> bool {
        self.notice_lapses(policy)
            .is_some_and(|lapses| self.today() < lapses)
    }

    /// Valid and past its waiting period: court action may follow.
    pub fn notice_ripe(&self, policy: &Policy) -> bool {
        self.notice_valid(policy)
            && self
                .notice
                .is_some_and(|served| self.today() >= policy.notice_wait.after(served))
    }

    /// A hearing date that has passed with no outcome recorded for it.
    pub fn outcome_missing(&self) -> Option<NaiveDate> {
        let hearing = self.court.hearing.filter(|h| *h < self.today())?;
        let decided = self
            .court
            .order
            .and_then(|o| o.date)
            .is_some_and(|d| d >= hearing);
        (!decided).then_some(hearing)
    }

    /// An order that keeps the case with the court (DOMAIN.md's live court order).
    pub fn live_order(&self, policy: &Policy) -> Option<Order> {
        self.court.order.filter(|o| {
            o.outcome.is_live_order()
                && o.date
                    .is_some_and(|d| d > policy.live_order_within.before(self.today()))
        })
    }

    /// The latest court date on record: the order's hearing, or the latest hearing.
    pub fn court_date(&self) -> Option<NaiveDate> {
        self.court.order.and_then(|o| o.date).or(self.court.hearing)
    }

    /// The court plan is breached and carries out an order on record (it starts on or after the
    /// court date): the date of that court date. A court plan with no court date on record is a
    /// record to check (rule 15), not a breach to act on.
    pub fn court_plan_breach(&self) -> Option<NaiveDate> {
        let plan = self
            .plan
            .filter(|p| p.kind == PlanKind::Court && p.state == PlanState::Breached)?;
        self.court_date().filter(|d| plan.start.date() >= *d)
    }

    /// A court date applied for (the claim issued, or an application after an order) that has
    /// no hearing or order since: when it was applied for, and when the court was last chased.
    pub fn claim_pending(&self) -> Option<(NaiveDateTime, Option<NaiveDateTime>)> {
        let applied = self.latest(ActionKind::CourtDateApplied)?;
        let since = |d: Option<NaiveDate>| d.is_some_and(|d| d >= applied.date());
        let pending = self.notice.is_none_or(|served| applied.date() >= served)
            && !since(self.court.hearing)
            && !since(self.court.order.and_then(|o| o.date));
        let chased = self
            .latest(ActionKind::CourtChased)
            .filter(|at| *at >= applied);
        pending.then_some((applied, chased))
    }

    /// A warrant applied for that still stands: no order has been made since (an order after
    /// it, such as a stay of execution, takes its place).
    pub fn warrant(&self) -> Option<NaiveDate> {
        let applied = self
            .court
            .warrant_applied
            .max(self.latest(ActionKind::WarrantApplied).map(|at| at.date()))?;
        let order = self.court.order.and_then(|o| o.date);
        order.is_none_or(|o| o <= applied).then_some(applied)
    }

    /// A warrant that stands with no eviction date yet: when it was applied for, and when the
    /// bailiff was last chased.
    pub fn awaiting_eviction(&self) -> Option<(NaiveDateTime, Option<NaiveDateTime>)> {
        let applied = self.warrant().filter(|_| self.eviction().is_none())?;
        let chased = self
            .latest(ActionKind::BailiffChased)
            .filter(|at| at.date() >= applied);
        Some((start_of(applied), chased))
    }

    /// The eviction date, unless the warrant it was set on has been overtaken by an order.
    pub fn eviction(&self) -> Option<NaiveDate> {
        let warrant_applied = self.court.warrant_applied.is_some()
            || self.latest(ActionKind::WarrantApplied).is_some();
        self.court
            .eviction_date
            .filter(|_| !warrant_applied || self.warrant().is_some())
    }

    /// The tenancy ended before today.
    pub fn former(&self) -> bool {
        self.ended.is_some_and(|e| e < self.today())
    }

    /// A hearing that has passed since the current notice was served.
    pub fn hearing_since_notice(&self) -> bool {
        match (self.court.hearing, self.notice) {
            (Some(h), Some(served)) => h < self.today() && h >= served,
            _ => false,
        }
    }
}

pub fn start_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists")
}
