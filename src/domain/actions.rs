//! The contact and recovery log: what was done on a case, in canonical kinds.
//!
//! Landlords' own action-diary codes map onto these kinds; a code with no mapping is kept as
//! `Other` with its code, never dropped.

use super::ledger::text_enum;

text_enum! {
    ActionKind {
        Call = "call" / "Phone call",
        Sms = "sms" / "SMS",
        Email = "email" / "Email",
        LetterReceived = "letter_received" / "Letter received",
        HomeVisit = "home_visit" / "Home visit",
        OfficeVisit = "office_visit" / "Office visit",
        Letter1 = "letter_1" / "Letter 1",
        Letter2 = "letter_2" / "Letter 2",
        LetterFailed = "letter_failed" / "Letter failed",
        CourtWarningLetter = "court_warning_letter" / "Court warning letter",
        InformalBreachLetter = "informal_breach_letter" / "Plan breach letter",
        CourtBreachLetter = "court_breach_letter" / "Court breach letter",
        CourtBreachVisit = "court_breach_visit" / "Court breach visit",
        NoticeServed = "notice_served" / "Notice served",
        CourtDateApplied = "court_date_applied" / "Court date applied for",
        CourtOutcome = "court_outcome" / "Court outcome",
        WarrantApplied = "warrant_applied" / "Warrant applied for",
        CourtChased = "court_chased" / "Court chased for a hearing date",
        BailiffChased = "bailiff_chased" / "Bailiff chased for an eviction date",
        Referral = "referral" / "Referral",
        StatementSent = "statement_sent" / "Rent statement sent",
        NoticeCoverLetter = "notice_cover_letter" / "Notice cover letter",
        PlanLetter = "plan_letter" / "Plan agreed letter",
        PromiseLetter = "promise_letter" / "Promise to pay letter",
        FormerTenantLetter = "former_tenant_letter" / "Former tenant arrears letter",
        // What caseload itself records about a case, each its own kind so the history reads as
        // what it is (none is a recovery step the policy counts).
        Hearing = "hearing" / "Hearing",
        EvictionDate = "eviction_date" / "Eviction date",
        Evicted = "evicted" / "Evicted",
        PlanAgreed = "plan_agreed" / "Plan agreed",
        PlanCancelled = "plan_cancelled" / "Plan cancelled",
        IncomeExpenditure = "income_expenditure" / "Income and expenditure",
        Pause = "pause" / "Paused",
        Snooze = "snooze" / "Snoozed",
        BreathingSpace = "breathing_space" / "Breathing space",
        Vulnerability = "vulnerability" / "Vulnerability",
        Override = "override" / "Recommendation not followed",
        Other = "other" / "Other",
    }
}

impl ActionKind {
    /// The steps caseload produces a letter (or the reminder text) for, each from its template
    /// (`domain::letter::LetterKind`): what rule 2 looks for a failure of, and what can be sent
    /// again after one failed.
    pub const LETTERS: [ActionKind; 11] = [
        ActionKind::Letter1,
        ActionKind::Letter2,
        ActionKind::CourtWarningLetter,
        ActionKind::InformalBreachLetter,
        ActionKind::CourtBreachLetter,
        ActionKind::NoticeCoverLetter,
        ActionKind::PlanLetter,
        ActionKind::PromiseLetter,
        ActionKind::StatementSent,
        ActionKind::FormerTenantLetter,
        ActionKind::Sms,
    ];

    /// Letters and notices that move a case up the recovery ladder.
    pub fn is_recovery_step(self) -> bool {
        matches!(
            self,
            ActionKind::Letter1
                | ActionKind::Letter2
                | ActionKind::CourtWarningLetter
                | ActionKind::InformalBreachLetter
                | ActionKind::CourtBreachLetter
                | ActionKind::CourtBreachVisit
                | ActionKind::NoticeServed
                | ActionKind::CourtDateApplied
                | ActionKind::CourtOutcome
                | ActionKind::WarrantApplied
                | ActionKind::CourtChased
                | ActionKind::BailiffChased
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_is_none() {
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ActionKind::parse("IC1"), None);
        assert!(ActionKind::Letter1.is_recovery_step());
        assert!(!ActionKind::Call.is_recovery_step());
    }
}
