//! The legal side of recovery: notices, court hearings and outcomes, warrants, pauses.

use super::Money;
use super::dates::add_months;
use super::ledger::text_enum;
use super::tenancy::Tenure;
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

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

/// When court proceedings may start on a notice, and when the notice stops being usable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoticeDates {
    pub proceedings_from: NaiveDate,
    pub lapses: NaiveDate,
}

/// Section 8 notices for rent arrears needed two weeks before 1 May 2026 and four weeks after
/// (Renters' Rights Act 2025).
const ASSURED_FOUR_WEEKS_FROM: (i32, u32, u32) = (2026, 5, 1);

impl NoticeKind {
    /// The legal dates of a notice served on `served`:
    /// - a NOSP (secure) gives at least four weeks, and the date it names must be the first or
    ///   last day of a rent period (a Monday or a Sunday for weekly rent); it lapses twelve months
    ///   after that date;
    /// - a section 8 notice (assured) gives two weeks if served before 1 May 2026 and four weeks
    ///   from then; proceedings must start within twelve months of service.
    pub fn dates(self, served: NaiveDate) -> NoticeDates {
        match self {
            NoticeKind::Nosp => {
                let mut from = served + Days::new(28);
                while !matches!(from.weekday(), Weekday::Mon | Weekday::Sun) {
                    from = from + Days::new(1);
                }
                NoticeDates {
                    proceedings_from: from,
                    lapses: add_months(from, 12),
                }
            }
            NoticeKind::Section8 => {
                let (y, m, d) = ASSURED_FOUR_WEEKS_FROM;
                let change = NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
                let weeks = if served < change { 2 } else { 4 };
                NoticeDates {
                    proceedings_from: served + Days::new(weeks * 7),
                    lapses: add_months(served, 12),
                }
            }
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
        /// No date for possession: on breach of its terms the landlord applies to fix one.
        PostponedPossession = "postponed_possession" / "Postponed possession order",
        OutrightForthwith = "outright_forthwith" / "Outright possession forthwith",
        OutrightOnDate = "outright_on_date" / "Outright possession on a date",
        /// A judgment for the money owed and no order for possession.
        MoneyJudgment = "money_judgment" / "Money judgment only",
        Dismissed = "dismissed" / "Dismissed",
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
        // Every adjournment but one on terms, which DOMAIN.md leaves out.
        (self.is_adjournment() && self != CourtOutcome::AdjournedOnTerms)
            || matches!(
                self,
                CourtOutcome::SuspendedOnTerms
                    | CourtOutcome::PostponedPossession
                    | CourtOutcome::StayOfExecution
            )
    }

    /// The outcomes that come with terms the tenant must keep (a court plan carries them out).
    pub fn has_terms(self) -> bool {
        matches!(
            self,
            CourtOutcome::AdjournedOnTerms
                | CourtOutcome::SuspendedOnTerms
                | CourtOutcome::PostponedPossession
        )
    }

    /// The hearing put off: another hearing may follow it.
    pub fn is_adjournment(self) -> bool {
        matches!(
            self,
            CourtOutcome::AdjournedGenerally
                | CourtOutcome::AdjournedToNextOpenDate
                | CourtOutcome::AdjournedToAnotherHearing
                | CourtOutcome::AdjournedForDirections
                | CourtOutcome::AdjournedOnTerms
        )
    }

    /// The outcomes that end a claim without possession: a new claim needs a new notice.
    pub fn ends_claim(self) -> bool {
        matches!(
            self,
            CourtOutcome::MoneyJudgment
                | CourtOutcome::Dismissed
                | CourtOutcome::StruckOut
                | CourtOutcome::Withdrawn
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

/// A notice served: as the housing system's extract, the store and an officer's record hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub served_on: NaiveDate,
    /// How it was served, when known (the housing system's extract does not say).
    pub served_how: Option<ServedHow>,
    pub grounds: String,
    /// The arrears stated on the notice.
    pub amount: Option<Money>,
}

text_enum! {
    /// How a notice was served.
    ServedHow {
        ByHand = "by_hand" / "By hand to the tenant",
        Post = "post" / "By post",
        LeftAtProperty = "left_at_property" / "Left at the property",
    }
}

/// A hearing, its outcome, a warrant applied for or an eviction date: one row of a case's court
/// side, as the housing system's extract, the store and an officer's record all hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtEvent {
    pub kind: CourtEventKind,
    /// The hearing (also for an outcome), the warrant application, or the eviction.
    pub on_date: Option<NaiveDate>,
    /// A hearing's (or an eviction's) time of day, when known.
    pub time: Option<NaiveTime>,
    /// The court, when known.
    pub court: String,
    /// The court's or the bailiff's reference: a warrant's number.
    pub reference: String,
    pub outcome: Option<CourtOutcome>,
    /// The landlord's own outcome code, kept as given.
    pub code: Option<String>,
    pub terms: String,
    /// Outright possession on a date: the date possession is due.
    pub possession_on: Option<NaiveDate>,
    /// Costs awarded, also charged to the court costs account.
    pub costs: Option<Money>,
}

impl CourtEvent {
    /// An event of `kind` (on a date, if known), with nothing else known yet.
    pub fn at(kind: CourtEventKind, on_date: Option<NaiveDate>) -> CourtEvent {
        CourtEvent {
            kind,
            on_date,
            time: None,
            court: String::new(),
            reference: String::new(),
            outcome: None,
            code: None,
            terms: String::new(),
            possession_on: None,
            costs: None,
        }
    }
}

/// A court date applied for: the possession claim issued (or an application after an order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub applied_on: NaiveDate,
    pub court: String,
    /// The claim number, once the court has given one.
    pub claim_number: String,
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
        assert!(CourtOutcome::PostponedPossession.is_live_order());
        assert!(CourtOutcome::Dismissed.ends_claim());
        assert!(CourtOutcome::MoneyJudgment.ends_claim());
        assert!(!CourtOutcome::MoneyJudgment.is_live_order());
        assert!(!CourtOutcome::PostponedPossession.is_outright());
        assert!(!CourtOutcome::AdjournedOnTerms.is_live_order());
        assert!(!CourtOutcome::OutrightOnDate.is_live_order());
        assert!(CourtOutcome::OutrightOnDate.is_outright());
        assert!(!CourtOutcome::Withdrawn.is_outright());
    }

    #[test]
    fn notice_dates_by_kind() {
        let d = |s| crate::domain::dates::parse_date(s).unwrap();
        // Served Mon 23 Nov 2026: 28 days is Mon 21 Dec, the first day of a rent week.
        let nosp = NoticeKind::Nosp.dates(d("2026-11-23"));
        assert_eq!(
            (nosp.proceedings_from, nosp.lapses),
            (d("2026-12-21"), d("2027-12-21"))
        );
        // Served Wed 25 Nov: 28 days is Wed 23 Dec; the next Sunday, 27 Dec, ends a rent week.
        assert_eq!(
            NoticeKind::Nosp.dates(d("2026-11-25")).proceedings_from,
            d("2026-12-27")
        );
        // Section 8: two weeks before 1 May 2026, four from then.
        assert_eq!(
            NoticeKind::Section8.dates(d("2026-04-30")).proceedings_from,
            d("2026-05-14")
        );
        assert_eq!(
            NoticeKind::Section8.dates(d("2026-05-01")).proceedings_from,
            d("2026-05-29")
        );
        assert_eq!(
            NoticeKind::Section8.dates(d("2026-05-01")).lapses,
            d("2027-05-01")
        );
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
