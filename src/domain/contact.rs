//! Calls and other contacts with a tenant: what came of them, and how the contact log says so;
//! referrals to support, and the categories of vulnerability.

use super::actions::ActionKind;
use super::ledger::text_enum;
use super::promise::Promise;
use chrono::NaiveDateTime;

text_enum! {
    /// What came of a call, visit, email or letter.
    ContactOutcome {
        NoAnswer = "no_answer" / "No answer",
        Voicemail = "voicemail" / "Left voicemail",
        WrongNumber = "wrong_number" / "Wrong number",
        SpokeToTenant = "spoke_to_tenant" / "Spoke to tenant",
        SpokeToThirdParty = "spoke_to_third_party" / "Spoke to third party",
        PromiseToPay = "promise_to_pay" / "Promise to pay",
        RefusedToPay = "refused_to_pay" / "Refused to pay",
        Dispute = "dispute" / "Disputes the debt",
        CallBack = "call_back" / "Call back requested",
        CardLeft = "card_left" / "No answer, card left",
        Sent = "sent" / "Sent",
        Received = "received" / "Received",
    }
}

impl ContactOutcome {
    /// The one key that picks it when the contact ends.
    pub fn key(self) -> char {
        match self {
            ContactOutcome::NoAnswer => 'n',
            ContactOutcome::Voicemail => 'v',
            ContactOutcome::WrongNumber => 'w',
            ContactOutcome::SpokeToTenant => 's',
            ContactOutcome::SpokeToThirdParty => 't',
            ContactOutcome::PromiseToPay => 'p',
            ContactOutcome::RefusedToPay => 'r',
            ContactOutcome::Dispute => 'd',
            ContactOutcome::CallBack => 'b',
            ContactOutcome::CardLeft => 'c',
            ContactOutcome::Sent => 'o',
            ContactOutcome::Received => 'i',
        }
    }

    /// The outcomes offered when a contact of `kind` ends: a call with someone other than a
    /// tenant never ends "spoke to tenant".
    pub fn offered(kind: ActionKind, third_party: bool) -> impl Iterator<Item = ContactOutcome> {
        Self::for_kind(kind)
            .iter()
            .copied()
            .filter(move |o| !(third_party && *o == ContactOutcome::SpokeToTenant))
    }

    /// The outcomes a kind of contact can have, in the order they are offered.
    pub fn for_kind(kind: ActionKind) -> &'static [ContactOutcome] {
        use ContactOutcome::*;
        match kind {
            ActionKind::Call => &[
                NoAnswer,
                Voicemail,
                WrongNumber,
                SpokeToTenant,
                SpokeToThirdParty,
                PromiseToPay,
                RefusedToPay,
                Dispute,
                CallBack,
            ],
            ActionKind::HomeVisit => &[
                CardLeft,
                SpokeToTenant,
                SpokeToThirdParty,
                PromiseToPay,
                RefusedToPay,
                Dispute,
            ],
            ActionKind::OfficeVisit => &[
                SpokeToTenant,
                SpokeToThirdParty,
                PromiseToPay,
                RefusedToPay,
                Dispute,
            ],
            ActionKind::LetterReceived => &[Received, PromiseToPay, Dispute],
            _ => &[Sent, Received, PromiseToPay, Dispute],
        }
    }

    /// Whether the tenant or someone for them was reached: what "last contact" means to a case.
    pub fn reached(self) -> bool {
        !matches!(
            self,
            ContactOutcome::NoAnswer
                | ContactOutcome::Voicemail
                | ContactOutcome::WrongNumber
                | ContactOutcome::CardLeft
                | ContactOutcome::Sent
        )
    }
}

/// What came of a contact: its outcome, the promises made, the call back asked for.
#[derive(Clone, Copy, Debug)]
pub struct Outcome<'a> {
    pub outcome: ContactOutcome,
    pub promises: &'a [Promise],
    pub call_back: Option<NaiveDateTime>,
}

/// A call back the tenant asked for: when they asked (the moment of that contact) and when to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallBack {
    pub asked: NaiveDateTime,
    pub at: NaiveDateTime,
}

impl CallBack {
    /// Made once a call or a visit is recorded after it was asked for (whatever came of it:
    /// an unanswered call back was still made). `latest` is the latest action of each kind.
    pub fn made(&self, latest: &[(ActionKind, NaiveDateTime)]) -> bool {
        latest.iter().any(|(kind, at)| {
            matches!(
                kind,
                ActionKind::Call | ActionKind::HomeVisit | ActionKind::OfficeVisit
            ) && *at > self.asked
        })
    }
}

/// The contact log's one line: "Call to Ada Smith (tenant) 07700 900001, 4:05: promise to pay
/// £20.00 by 27/11/2026, then every week to 18/12/2026".
pub fn summary(
    kind: ActionKind,
    party: &str,
    outgoing: Option<bool>,
    seconds: Option<i64>,
    outcome: Outcome<'_>,
) -> String {
    let head = match (kind, outgoing) {
        (ActionKind::Call, Some(true)) => format!("Call to {party}"),
        (ActionKind::Call, _) => format!("Call from {party}"),
        (kind, _) => format!("{} ({party})", kind.label()),
    };
    let duration = seconds.map(|s| format!(", {}", duration(s)));
    format!(
        "{head}{}: {}",
        duration.unwrap_or_default(),
        outcome_text(outcome)
    )
}

/// A contact's line with what its checklist covered (so a court reading the log sees advice was
/// given): `line; advised of free debt advice`.
pub fn with_checklist(line: String, checklist: &str) -> String {
    if checklist.is_empty() {
        line
    } else {
        format!("{line}; {checklist}")
    }
}

/// A contact's line (as [`summary`] and [`with_checklist`] made it) with what came of it now
/// `outcome`: who, which way, how long and the checklist as they were. `None` when the line does
/// not say that outcome after its head (a line made some other way).
pub fn line_again(line: &str, outcome: Outcome<'_>) -> Option<String> {
    let said = format!(": {}", outcome.outcome.label().to_lowercase());
    let from = line.find(&said)?;
    let checklist = line[from..].find("; ").map_or("", |at| &line[from + at..]);
    Some(format!(
        "{}: {}{checklist}",
        &line[..from],
        outcome_text(outcome)
    ))
}

/// "promise to pay £20.00 by 27/11/2026, 4 payments to 18/12/2026", "call back requested for
/// Mon 30/11/2026 14:30"
pub fn outcome_text(outcome: Outcome<'_>) -> String {
    let Outcome {
        outcome,
        promises,
        call_back,
    } = outcome;
    let mut text = outcome.label().to_lowercase();
    if let Some(at) = call_back {
        text.push_str(&format!(" for {}", at.format("%a %d/%m/%Y %H:%M")));
    }
    match promises {
        [] => {}
        [one] => text.push_str(&format!(" {}", one.describe())),
        [first, .., last] => text.push_str(&format!(
            " {}, {} payments to {}",
            first.describe(),
            promises.len(),
            super::dates::uk(last.due)
        )),
    }
    text
}

/// `4:05`, `1:02:03`.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

text_enum! {
    /// Where a tenant can be referred for support.
    ReferralKind {
        TenancySustainment = "tenancy_sustainment" / "Tenancy sustainment",
        DebtAdvice = "debt_advice" / "Debt advice",
        MentalHealth = "mental_health" / "Mental health",
        SocialServices = "social_services" / "Social services",
        Other = "other" / "Other",
    }
}

text_enum! {
    ReferralStatus {
        Made = "made" / "Made",
        Accepted = "accepted" / "Accepted",
        Declined = "declined" / "Declined",
        Closed = "closed" / "Closed",
    }
}

text_enum! {
    /// Why a tenant is vulnerable, broadly; the reason in words says the rest.
    VulnerabilityCategory {
        MentalHealth = "mental_health" / "Mental health",
        PhysicalHealth = "physical_health" / "Physical health or disability",
        LifeEvent = "life_event" / "Life event (bereavement, job loss, relationship breakdown)",
        DomesticAbuse = "domestic_abuse" / "Domestic abuse",
        Capability = "capability" / "Capability (literacy, language, digital)",
        Addiction = "addiction" / "Addiction",
        Age = "age" / "Age",
        Other = "other" / "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use crate::domain::dates::parse_date;
    use crate::domain::promise::series;

    #[test]
    fn each_kind_offers_outcomes_with_distinct_keys() {
        for kind in ActionKind::ALL {
            let outcomes = ContactOutcome::for_kind(*kind);
            let mut keys: Vec<char> = outcomes.iter().map(|o| o.key()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), outcomes.len(), "{kind:?}");
            assert!(outcomes.contains(&ContactOutcome::PromiseToPay), "{kind:?}");
        }
        assert!(ContactOutcome::SpokeToThirdParty.reached());
        assert!(!ContactOutcome::Voicemail.reached());
    }

    #[test]
    fn the_log_line_says_who_how_long_and_what_came_of_it() {
        let d = |s| parse_date(s).unwrap();
        let one = series(Money::pounds(50), d("2026-11-27"), 7, 1, d("2026-11-23"));
        assert_eq!(
            summary(
                ActionKind::Call,
                "Ada Smith (tenant) 07700 900001",
                Some(true),
                Some(245),
                Outcome {
                    outcome: ContactOutcome::PromiseToPay,
                    promises: &one,
                    call_back: None
                }
            ),
            "Call to Ada Smith (tenant) 07700 900001, 4:05: promise to pay £50.00 by 27/11/2026"
        );
        let four = series(Money::pounds(20), d("2026-11-27"), 7, 4, d("2026-11-23"));
        assert_eq!(
            summary(
                ActionKind::HomeVisit,
                "Ada Smith",
                None,
                None,
                Outcome {
                    outcome: ContactOutcome::PromiseToPay,
                    promises: &four,
                    call_back: None
                }
            ),
            "Home visit (Ada Smith): promise to pay £20.00 by 27/11/2026, 4 payments to 18/12/2026"
        );
        let monday = d("2026-11-30").and_hms_opt(14, 30, 0);
        assert_eq!(
            summary(
                ActionKind::Call,
                "Ada Smith (tenant)",
                Some(false),
                Some(65),
                Outcome {
                    outcome: ContactOutcome::CallBack,
                    promises: &[],
                    call_back: monday
                }
            ),
            "Call from Ada Smith (tenant), 1:05: call back requested for Mon 30/11/2026 14:30"
        );
        assert_eq!(duration(3723), "1:02:03");
    }

    #[test]
    fn a_line_again_keeps_who_how_long_and_the_checklist_and_says_what_came_of_it_now() {
        let d = |s| parse_date(s).unwrap();
        let two = series(Money::pounds(25), d("2026-11-27"), 7, 2, d("2026-11-23"));
        let four = series(Money::pounds(20), d("2026-11-27"), 7, 4, d("2026-11-23"));
        let promised = |promises| Outcome {
            outcome: ContactOutcome::PromiseToPay,
            promises,
            call_back: None,
        };
        let line = with_checklist(
            summary(
                ActionKind::Call,
                "Ada Smith (tenant) 07700 900001",
                Some(true),
                Some(245),
                promised(&two),
            ),
            "advised of free debt advice",
        );
        let again = with_checklist(
            summary(
                ActionKind::Call,
                "Ada Smith (tenant) 07700 900001",
                Some(true),
                Some(245),
                promised(&four),
            ),
            "advised of free debt advice",
        );
        assert_eq!(
            line_again(&line, promised(&four)).as_deref(),
            Some(again.as_str())
        );
        // As the history shows it, after its kind.
        assert_eq!(
            line_again(&format!("Phone call: {line}"), promised(&four)),
            Some(format!("Phone call: {again}"))
        );
        let back = |at: &str| Outcome {
            outcome: ContactOutcome::CallBack,
            promises: &[],
            call_back: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").ok(),
        };
        assert_eq!(
            line_again(
                "Call from Ada Smith (tenant), 1:05: call back requested for Mon 30/11/2026 14:30",
                back("2026-12-01 15:30")
            )
            .as_deref(),
            Some(
                "Call from Ada Smith (tenant), 1:05: call back requested for Tue 01/12/2026 15:30"
            )
        );
        assert_eq!(
            line_again(
                "Call from Ada Smith (tenant): left voicemail",
                back("2026-12-01 15:30")
            ),
            None,
            "not a line that says a call back was asked for"
        );
    }

    #[test]
    fn a_call_back_is_made_by_a_later_call_or_visit() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let asked = CallBack {
            asked: at("2026-11-23 10:00"),
            at: at("2026-11-30 14:30"),
        };
        let call = |when| (ActionKind::Call, at(when));
        assert!(
            !asked.made(&[call("2026-11-23 10:00")]),
            "the call it was asked on"
        );
        assert!(!asked.made(&[(ActionKind::Sms, at("2026-11-24 09:00"))]));
        assert!(asked.made(&[call("2026-11-30 14:35")]));
        assert!(asked.made(&[(ActionKind::HomeVisit, at("2026-11-25 11:00"))]));
    }
}
