//! The legal side of recovery: notices, court hearings and outcomes, warrants, pauses.

use super::ledger::text_enum;
use super::tenancy::Tenure;

text_enum! {
    NoticeKind {
        /// Notice of Seeking Possession, for secure (council) tenancies.
        Nosp = "nosp" / "NOSP",
        /// Section 8 notice, for assured (housing association) tenancies.
        Section8 = "section_8" / "Section 8 notice",
    }
}

impl NoticeKind {
    /// The notice that fits a tenure; `None` for tenures recovered by other routes.
    pub fn for_tenure(tenure: Tenure) -> Option<NoticeKind> {
        match tenure {
            Tenure::Secure | Tenure::Introductory | Tenure::NonSecure => Some(NoticeKind::Nosp),
            Tenure::Assured | Tenure::Starter => Some(NoticeKind::Section8),
            Tenure::Temporary | Tenure::Leasehold => None,
        }
    }
}

text_enum! {
    /// What a possession hearing decided, in canonical kinds; a landlord's own outcome codes map
    /// onto these, and an unmapped code is kept as `Other`.
    CourtOutcome {
        AdjournedGenerally = "adjourned_generally" / "Adjourned generally",
        AdjournedToNextOpenDate = "adjourned_to_next_open_date" / "Adjourned to next open date",
        AdjournedToAnotherHearing = "adjourned_to_another_hearing" / "Adjourned to another hearing",
        AdjournedForDirections = "adjourned_for_directions" / "Adjourned for directions",
        AdjournedOnTerms = "adjourned_on_terms" / "Adjourned on terms",
        SuspendedOnTerms = "suspended_on_terms" / "Suspended possession order",
        OutrightForthwith = "outright_forthwith" / "Outright possession forthwith",
        OutrightOnDate = "outright_on_date" / "Outright possession on a date",
        StruckOut = "struck_out" / "Struck out",
        Withdrawn = "withdrawn" / "Withdrawn",
        StayOfExecution = "stay_of_execution" / "Stay of execution",
        Other = "other" / "Other outcome",
    }
}

impl CourtOutcome {
    /// Outright possession, forthwith or on a date.
    pub fn is_outright(self) -> bool {
        matches!(
            self,
            CourtOutcome::OutrightForthwith | CourtOutcome::OutrightOnDate
        )
    }

    /// The outcomes that leave a *live court order* (DOMAIN.md): the case stays in the court's
    /// hands and a new notice is not the next step.
    pub fn is_live_order(self) -> bool {
        matches!(
            self,
            CourtOutcome::AdjournedGenerally
                | CourtOutcome::AdjournedToNextOpenDate
                | CourtOutcome::AdjournedToAnotherHearing
                | CourtOutcome::AdjournedForDirections
                | CourtOutcome::SuspendedOnTerms
                | CourtOutcome::StayOfExecution
        )
    }
}

text_enum! {
    /// What a court event row records.
    CourtEventKind {
        Hearing = "hearing" / "Hearing",
        Outcome = "outcome" / "Outcome",
        WarrantApplied = "warrant_applied" / "Warrant applied for",
        EvictionDate = "eviction_date" / "Eviction date",
    }
}

text_enum! {
    /// A pause holds every recommendation back until a date; a snooze only hides the account
    /// from the queue's *Needs action* until then.
    PauseKind {
        Pause = "pause" / "Paused",
        Snooze = "snooze" / "Snoozed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_orders_and_outright_orders() {
        assert!(CourtOutcome::SuspendedOnTerms.is_live_order());
        assert!(CourtOutcome::StayOfExecution.is_live_order());
        assert!(!CourtOutcome::AdjournedOnTerms.is_live_order());
        assert!(!CourtOutcome::OutrightOnDate.is_live_order());
        assert!(CourtOutcome::OutrightOnDate.is_outright());
        assert!(!CourtOutcome::Withdrawn.is_outright());
    }

    #[test]
    fn notice_by_tenure() {
        assert_eq!(
            NoticeKind::for_tenure(Tenure::Secure),
            Some(NoticeKind::Nosp)
        );
        assert_eq!(
            NoticeKind::for_tenure(Tenure::Assured),
            Some(NoticeKind::Section8)
        );
        assert_eq!(NoticeKind::for_tenure(Tenure::Leasehold), None);
        for k in CourtOutcome::ALL {
            assert_eq!(CourtOutcome::parse(k.as_str()), Some(*k));
        }
    }
}
