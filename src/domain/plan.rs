//! Payment plans (arrangements): their terms and states.

use super::ledger::text_enum;

text_enum! {
    /// Informal plans are agreed with the officer; court plans are the terms of a court order.
    PlanKind {
        Informal = "informal" / "Informal",
        Court = "court" / "Court",
    }
}

text_enum! {
    Frequency {
        Weekly = "weekly" / "Weekly",
        Fortnightly = "fortnightly" / "Fortnightly",
        FourWeekly = "four_weekly" / "Four-weekly",
        Monthly = "monthly" / "Monthly",
        OneOff = "one_off" / "One-off",
    }
}

text_enum! {
    PlanState {
        Live = "live" / "Live",
        Breached = "breached" / "Breached",
        Completed = "completed" / "Completed",
        Cancelled = "cancelled" / "Cancelled",
        Replaced = "replaced" / "Replaced",
    }
}

impl PlanState {
    /// Live and breached plans are *active*: the policy holds back letters and notices for them.
    pub fn is_active(self) -> bool {
        matches!(self, PlanState::Live | PlanState::Breached)
    }
}
