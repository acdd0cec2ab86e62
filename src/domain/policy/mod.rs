//! The recovery policy: facts about one account in, one recommended next action out, with the
//! rule that fired and the reason in an officer's words.
//!
//! The rules and their order are DOMAIN.md's default policy; every threshold, look-back and
//! waiting period is a setting (`[policy]` in the config), rules can be reordered or left out, and
//! nothing is recommended while a blocker holds (pause, future hearing, eviction date, breathing
//! space, or a tenancy that has ended). Once a court date is applied for, or a warrant, the case
//! waits on the court; after a while the court or the bailiff is chased (rules 16 and 17).

mod facts;
pub mod fixture;
mod reason;
mod rules;
mod settings;
mod span;
mod stage;

pub use facts::{Court, Facts, Order, PlanFact, start_of};
pub use reason::Reason;
pub use settings::Policy;
pub use span::Span;
pub use stage::Stage;

use super::ledger::text_enum;

text_enum! {
    /// The canonical recommendations. Each rule recommends one of these.
    Recommendation {
        NoAction = "no_action" / "No action",
        SendSms = "send_sms" / "Send SMS",
        SendLetter1 = "send_letter_1" / "Send letter 1",
        SendLetter2 = "send_letter_2" / "Send letter 2",
        ServeNotice = "serve_notice" / "Serve notice",
        SendCourtWarningLetter = "send_court_warning_letter" / "Court warning letter",
        ApplyForCourtDate = "apply_for_court_date" / "Apply for court date",
        RecordCourtOutcome = "record_court_outcome" / "Record court outcome",
        CourtBreachVisit = "court_breach_visit" / "Court breach visit",
        CourtBreachNoPayment = "court_breach_no_payment" / "Court breach unpaid",
        AddressCourtPlanBreach = "address_court_plan_breach" / "Court plan breach",
        SendInformalBreachLetter = "send_informal_breach_letter" / "Plan breach letter",
        InformalBreachedAfterLetter = "informal_breached_after_letter" / "Still breached after letter",
        ApplyForWarrant = "apply_for_warrant" / "Apply for warrant",
        ReviewFailedLetter = "review_failed_letter" / "Review failed letter",
        CheckData = "check_data" / "Check data",
        ChaseCourtForHearing = "chase_court_for_hearing" / "Chase the court",
        ChaseBailiff = "chase_bailiff" / "Chase the bailiff",
    }
}

impl Recommendation {
    /// Its rule's number in DOMAIN.md's table (0 for no action).
    pub fn rule_number(self) -> u8 {
        match self {
            Recommendation::NoAction => 0,
            Recommendation::ApplyForWarrant => 1,
            Recommendation::ReviewFailedLetter => 2,
            Recommendation::SendSms => 3,
            Recommendation::SendLetter1 => 4,
            Recommendation::SendLetter2 => 5,
            Recommendation::RecordCourtOutcome => 6,
            Recommendation::CourtBreachVisit => 7,
            Recommendation::ServeNotice => 8,
            Recommendation::CourtBreachNoPayment => 9,
            Recommendation::SendInformalBreachLetter => 10,
            Recommendation::InformalBreachedAfterLetter => 11,
            Recommendation::AddressCourtPlanBreach => 12,
            Recommendation::SendCourtWarningLetter => 13,
            Recommendation::ApplyForCourtDate => 14,
            Recommendation::CheckData => 15,
            Recommendation::ChaseCourtForHearing => 16,
            Recommendation::ChaseBailiff => 17,
        }
    }

    /// How far up the recovery ladder this is: the queue's first sort key (higher first).
    pub fn severity(self) -> u8 {
        match self {
            Recommendation::NoAction => 0,
            Recommendation::SendSms => 1,
            Recommendation::SendLetter1 => 2,
            Recommendation::SendLetter2 => 3,
            Recommendation::ReviewFailedLetter | Recommendation::CheckData => 4,
            Recommendation::SendInformalBreachLetter => 5,
            Recommendation::InformalBreachedAfterLetter => 6,
            Recommendation::ServeNotice => 7,
            Recommendation::SendCourtWarningLetter => 8,
            Recommendation::ApplyForCourtDate | Recommendation::ChaseCourtForHearing => 9,
            Recommendation::AddressCourtPlanBreach | Recommendation::CourtBreachVisit => 10,
            Recommendation::CourtBreachNoPayment | Recommendation::ChaseBailiff => 11,
            Recommendation::RecordCourtOutcome => 12,
            Recommendation::ApplyForWarrant => 13,
        }
    }
}

/// Why nothing is recommended, when something holds the case back: a blocker holds every rule;
/// a case waiting on the court (for a hearing date, or for the bailiff's eviction date) is held
/// until its wait is up, and then only chasing the court or the bailiff is recommended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    Paused,
    HearingAhead,
    EvictionDate,
    BreathingSpace,
    FormerTenancy,
    AwaitingHearing,
    AwaitingEviction,
}

impl Blocker {
    pub fn label(self) -> &'static str {
        match self {
            Blocker::Paused => "paused",
            Blocker::HearingAhead => "hearing ahead",
            Blocker::EvictionDate => "eviction date set",
            Blocker::BreathingSpace => "breathing space",
            Blocker::FormerTenancy => "former tenancy",
            Blocker::AwaitingHearing => "awaiting a hearing date",
            Blocker::AwaitingEviction => "awaiting an eviction date",
        }
    }
}

/// The outcome of the policy for one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub recommendation: Recommendation,
    pub blocker: Option<Blocker>,
    /// The figures and dates that made the rule fire, in an officer's words when displayed.
    pub reason: Reason,
}

impl Decision {
    pub fn rule(&self) -> u8 {
        self.recommendation.rule_number()
    }
}

/// Runs the policy's rules in order; the first that applies wins. While the case waits on the
/// court only the rules that wait allows are tried, and if none applies the wait is the reason.
pub fn evaluate(policy: &Policy, facts: &Facts) -> Decision {
    if let Some((blocker, reason)) = rules::blocker(facts) {
        return Decision {
            recommendation: Recommendation::NoAction,
            blocker: Some(blocker),
            reason,
        };
    }
    let hold = rules::hold(policy, facts);
    let technical = rules::technical_arrears(policy, facts);
    for &recommendation in &policy.rules {
        if hold
            .as_ref()
            .is_some_and(|h| !h.allows.contains(&recommendation))
        {
            continue;
        }
        if let Some(reason) = rules::check(recommendation, policy, facts, technical.is_some()) {
            return Decision {
                recommendation,
                blocker: None,
                reason,
            };
        }
    }
    match hold {
        Some(hold) => Decision {
            recommendation: Recommendation::NoAction,
            blocker: Some(hold.blocker),
            reason: hold.reason,
        },
        None => Decision {
            recommendation: Recommendation::NoAction,
            blocker: None,
            reason: rules::nothing_due(policy, facts, technical),
        },
    }
}

#[cfg(test)]
mod tests;
