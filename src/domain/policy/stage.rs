//! Where a case stands on the recovery ladder, for the queue's Stage column.

use super::facts::Facts;
use super::settings::Policy;
use crate::domain::actions::ActionKind;
use crate::domain::recovery::CourtOutcome;

/// In ladder order: the queue's *Notices & court* tab holds the stages from `Notice` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    None,
    /// The tenancy has ended: recovery of possession is over.
    Former,
    Sms,
    Letter1,
    Letter2,
    Plan,
    Notice,
    Warning,
    /// A court date applied for, no hearing date yet.
    Claim,
    Hearing,
    /// The claim ended without possession (dismissed, struck out, withdrawn, money judgment).
    Closed,
    Order,
    Outright,
    /// A warrant applied for, waiting for the eviction date.
    Warrant,
    Eviction,
}

impl Stage {
    pub fn of(policy: &Policy, f: &Facts) -> Stage {
        let order = f.court.order;
        let outcome = order.map(|o| o.outcome);
        let claim_ended = order.is_some_and(|o| {
            o.outcome.ends_claim()
                && o.date
                    .is_some_and(|d| f.notice.is_none_or(|served| served <= d))
        });
        if f.former() {
            Stage::Former
        } else if f.eviction().is_some() {
            Stage::Eviction
        } else if f.warrant().is_some() {
            Stage::Warrant
        } else if f.claim_pending().is_some() {
            Stage::Claim
        } else if outcome.is_some_and(CourtOutcome::is_outright) {
            Stage::Outright
        } else if f.live_order(policy).is_some()
            || outcome.is_some_and(|o| o == CourtOutcome::AdjournedOnTerms)
        {
            // An adjournment on terms is not a live order for the policy, but it is an order.
            Stage::Order
        } else if f.court.hearing.is_some_and(|h| h >= f.today()) {
            Stage::Hearing
        } else if claim_ended {
            Stage::Closed
        } else if f.hearing_since_notice() {
            Stage::Hearing
        } else if f.notice_valid(policy) {
            let warned = f
                .latest(ActionKind::CourtWarningLetter)
                .zip(f.notice)
                .is_some_and(|(at, served)| at.date() >= served);
            if warned {
                Stage::Warning
            } else {
                Stage::Notice
            }
        } else if f.active_plan() {
            Stage::Plan
        } else if f
            .latest(ActionKind::Letter2)
            .is_some_and(|at| !f.more_than_ago(at, policy.letter_lookback))
        {
            Stage::Letter2
        } else if f
            .latest(ActionKind::Letter1)
            .is_some_and(|at| !f.more_than_ago(at, policy.letter_lookback))
        {
            Stage::Letter1
        } else if f
            .latest(ActionKind::Sms)
            .is_some_and(|at| !f.more_than_ago(at, policy.quiet_for))
        {
            Stage::Sms
        } else {
            Stage::None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::None => "",
            Stage::Former => "Former",
            Stage::Sms => "SMS",
            Stage::Letter1 => "Letter 1",
            Stage::Letter2 => "Letter 2",
            Stage::Plan => "Plan",
            Stage::Notice => "Notice",
            Stage::Warning => "Warning",
            Stage::Claim => "Claim",
            Stage::Hearing => "Hearing",
            Stage::Closed => "Closed",
            Stage::Order => "Order",
            Stage::Outright => "Outright",
            Stage::Warrant => "Warrant",
            Stage::Eviction => "Eviction",
        }
    }
}
