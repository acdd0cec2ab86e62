//! Rent converted between periods, Universal Credit's 53rd-week shortfall, and the Direct Debit
//! instalment for the rest of the rent year.
//!
//! - Equivalents of a weekly amount use the rent year's *payable* weeks (52 or 53 less rent-free
//!   weeks): monthly = weekly × payable ÷ 12, four-weekly = weekly × payable ÷ 13, fortnightly =
//!   weekly × payable ÷ 26 (£150 × 49 ÷ 12 = £612.50; £100 × 53 ÷ 12 = £441.67).
//! - Universal Credit housing costs are weekly rent × 52 ÷ 12 whatever the year, so a 53-week year
//!   leaves the tenant a monthly shortfall (£441.67 − £433.34 = £8.33 at £100 a week in 2024/25).
//!   With rent-free weeks UC counts only the payments due in the year: weekly × (52 − free weeks)
//!   ÷ 12 (£150 × 49 ÷ 12 = £612.50; Universal Credit Regulations 2013, Sch. 4 para 7(3)).
//! - Every converted amount is rounded *up* to the penny, like an instalment, so twelve payments
//!   never fall short of the year (this is also how DOMAIN.md's £433.34 arises).
//! - Direct Debit: `((weekly rent − weekly HB) × payable weeks left + balance) ÷ collections left`,
//!   rounded up, the last collection taking the remainder. Weeks left count the current rent week
//!   ([`RentYear::weeks_left_from`]). A changed amount may first be collected once the notice
//!   (10 working days by default) has run; collections then fall monthly on the earliest of the
//!   landlord's collection days from that date, up to the last day of the rent year.

use super::Money;
use super::calendar::Calendar;
use super::dates::{self, RentYear};
use super::plan::Frequency;
use super::plan_schedule::{Plan, PlanBasis, PlanError};
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

/// A weekly amount over the other periods of one rent year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Equivalents {
    pub year: RentYear,
    /// Weeks in the year less rent-free weeks.
    pub payable_weeks: u32,
    pub weekly: Money,
    pub fortnightly: Money,
    pub four_weekly: Money,
    pub monthly: Money,
}

impl Equivalents {
    pub fn of(weekly: Money, year: RentYear, rent_free_weeks: u32) -> Equivalents {
        let payable_weeks = year.weeks().saturating_sub(rent_free_weeks);
        let per = |periods: i64| {
            Money::round_up(
                weekly.decimal() * Decimal::from(payable_weeks) / Decimal::from(periods),
            )
        };
        Equivalents {
            year,
            payable_weeks,
            weekly,
            fortnightly: per(26),
            four_weekly: per(13),
            monthly: per(12),
        }
    }

    /// The amount due each period of a plan of `frequency` (none for a one-off payment).
    pub fn per(&self, frequency: Frequency) -> Option<Money> {
        match frequency {
            Frequency::Weekly => Some(self.weekly),
            Frequency::Fortnightly => Some(self.fortnightly),
            Frequency::FourWeekly => Some(self.four_weekly),
            Frequency::Monthly => Some(self.monthly),
            Frequency::OneOff => None,
        }
    }
}

/// The weeks of rent Universal Credit pays for in a year: 52 (never a 53rd) less rent-free weeks.
pub fn uc_weeks(rent_free_weeks: u32) -> u32 {
    52u32.saturating_sub(rent_free_weeks)
}

/// Universal Credit housing costs a month for a weekly rent: weekly × (52 − rent-free weeks) ÷
/// 12, rounded up.
pub fn uc_housing_costs(weekly_rent: Money, rent_free_weeks: u32) -> Money {
    Money::round_up(
        weekly_rent.decimal() * Decimal::from(uc_weeks(rent_free_weeks)) / Decimal::from(12),
    )
}

/// What Universal Credit leaves unpaid each month of a 53-week year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UcShortfall {
    /// Monthly rent over the year's 53 weeks (less rent-free weeks).
    pub rent_monthly: Money,
    /// Monthly UC housing costs over 52 weeks (less rent-free weeks).
    pub uc_monthly: Money,
    pub shortfall: Money,
}

/// The shortfall in a 53-week year; `None` in a 52-week year, when UC covers the rent.
pub fn uc_shortfall(
    weekly_rent: Money,
    year: RentYear,
    rent_free_weeks: u32,
) -> Option<UcShortfall> {
    (year.weeks() == 53).then(|| {
        let rent_monthly = Equivalents::of(weekly_rent, year, rent_free_weeks).monthly;
        let uc_monthly = uc_housing_costs(weekly_rent, rent_free_weeks);
        UcShortfall {
            rent_monthly,
            uc_monthly,
            shortfall: rent_monthly - uc_monthly,
        }
    })
}

/// The landlord's Direct Debit collection days of the month: 1 to 28, sorted, no repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionDays(Vec<u32>);

impl CollectionDays {
    pub fn new(mut days: Vec<u32>) -> Result<CollectionDays, DdError> {
        if let Some(&bad) = days.iter().find(|d| !(1..=28).contains(*d)) {
            return Err(DdError::CollectionDay(bad));
        }
        days.sort_unstable();
        days.dedup();
        if days.is_empty() {
            return Err(DdError::NoCollectionDays);
        }
        Ok(CollectionDays(days))
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }

    /// "1st, 8th, 15th, 22nd or 28th".
    fn listed(&self) -> String {
        let words: Vec<String> = self.0.iter().map(|&d| dates::ordinal(d)).collect();
        match words.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }

    /// The first collection on or after `from`: the earliest date falling on one of the days.
    fn first_on_or_after(&self, from: NaiveDate) -> (NaiveDate, u32) {
        let this_month = from.with_day(1).expect("every month has a 1st");
        [this_month, dates::add_months(this_month, 1)]
            .into_iter()
            .flat_map(|month| {
                self.0.iter().map(move |&day| {
                    (
                        month
                            .with_day(day)
                            .expect("days 1 to 28 exist in every month"),
                        day,
                    )
                })
            })
            .find(|(date, _)| *date >= from)
            .expect("next month holds every collection day")
    }
}

/// What the bank would meet in a Direct Debit plan from `start`: too little notice to the payer,
/// or dates it does not collect on. Words for the officer, empty when the plan can be collected.
pub fn collection_concerns(
    start: NaiveDate,
    frequency: Frequency,
    today: NaiveDate,
    days: &CollectionDays,
    notice_working_days: u32,
    calendar: &Calendar,
) -> Vec<String> {
    let listed = days.listed();
    let mut concerns = Vec::new();
    let earliest = days
        .first_on_or_after(calendar.add_working_days(today, notice_working_days))
        .0;
    if start < earliest {
        concerns.push(format!(
            "A Direct Debit needs {notice_working_days} working days' notice: the first collection \
             can be {} at the earliest.",
            earliest.format("%a %d/%m/%Y")
        ));
    }
    if frequency != Frequency::Monthly {
        concerns.push(format!(
            "Direct Debits are collected monthly, on the {listed}: a {} plan cannot be paid by \
             Direct Debit.",
            frequency.label().to_lowercase()
        ));
    } else if !days.0.contains(&start.day()) {
        concerns.push(format!(
            "The bank collects on the {listed} of the month, not the {}.",
            dates::ordinal(start.day())
        ));
    }
    concerns
}

impl<'de> Deserialize<'de> for CollectionDays {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        CollectionDays::new(Vec::deserialize(de)?).map_err(serde::de::Error::custom)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DdInput {
    pub weekly_rent: Money,
    pub weekly_hb: Money,
    /// Positive for arrears, negative for credit.
    pub balance: Money,
    pub today: NaiveDate,
    /// Rent-free weeks still to come in this rent year.
    pub rent_free_weeks: u32,
    pub collection_days: CollectionDays,
    pub notice_working_days: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DdResult {
    pub year: RentYear,
    /// Rent weeks left in the year, this one included, and those of them that are charged.
    pub weeks_left: u32,
    pub payable_weeks_left: u32,
    /// `(rent − HB) × payable weeks left + balance`.
    pub to_collect: Money,
    /// The first date a changed amount may be collected, once the notice has run.
    pub first_change: NaiveDate,
    pub collection_day: u32,
    /// Every collection left in the rent year.
    pub collections: Vec<NaiveDate>,
    /// The instalments (the last being the remainder), or `None` when the credit covers the rest
    /// of the year and nothing is to be collected.
    pub plan: Option<Plan>,
    pub equivalents: Equivalents,
    pub uc_shortfall: Option<UcShortfall>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DdError {
    #[error("the weekly {0} cannot be negative")]
    Negative(&'static str),
    #[error("Housing Benefit ({hb} a week) cannot be more than the rent ({rent} a week)")]
    HbAboveRent { rent: Money, hb: Money },
    #[error("{free} rent-free weeks cannot be left when only {left} weeks of the rent year are")]
    RentFree { free: u32, left: u32 },
    #[error("collection day {0} is not between 1 and 28 (every month must have it)")]
    CollectionDay(u32),
    #[error("give at least one collection day")]
    NoCollectionDays,
    #[error(transparent)]
    Plan(PlanError),
    #[error(
        "no collection is left in rent year {year}: after the notice the first is {}, and the year ends {}",
        dates::uk(*first), dates::uk(*year_end)
    )]
    NoCollectionsLeft {
        year: String,
        first: NaiveDate,
        year_end: NaiveDate,
    },
}

/// Works out the Direct Debit instalment for the rest of the rent year holding `input.today`.
pub fn calculate(input: &DdInput, calendar: &Calendar) -> Result<DdResult, DdError> {
    if input.weekly_rent.is_negative() {
        return Err(DdError::Negative("rent"));
    }
    if input.weekly_hb.is_negative() {
        return Err(DdError::Negative("Housing Benefit"));
    }
    if input.weekly_hb > input.weekly_rent {
        return Err(DdError::HbAboveRent {
            rent: input.weekly_rent,
            hb: input.weekly_hb,
        });
    }
    let year = RentYear::containing(input.today);
    let weeks_left = year.weeks_left_from(input.today);
    let payable_weeks_left =
        weeks_left
            .checked_sub(input.rent_free_weeks)
            .ok_or(DdError::RentFree {
                free: input.rent_free_weeks,
                left: weeks_left,
            })?;
    let net = input.weekly_rent - input.weekly_hb;
    let to_collect = Money::from_pence(net.pence() * i64::from(payable_weeks_left)) + input.balance;

    let first_change = calendar.add_working_days(input.today, input.notice_working_days);
    let (first, collection_day) = input.collection_days.first_on_or_after(first_change);
    let year_end = year.end_exclusive() - Days::new(1);
    if first > year_end {
        return Err(DdError::NoCollectionsLeft {
            year: year.label(),
            first,
            year_end,
        });
    }
    let count = Frequency::Monthly.dues_by(first, year_end);
    let collections = (0..count)
        .map(|i| Frequency::Monthly.due_date(first, i))
        .collect();
    let basis = PlanBasis {
        arrears: to_collect,
        frequency: Frequency::Monthly,
        start: first,
        lump: None,
        weekly_growth: Money::ZERO,
    };
    let plan = match basis.solve_end_date(year_end) {
        Ok(plan) => Some(plan),
        Err(PlanError::NothingOwed(_)) => None,
        Err(other) => return Err(DdError::Plan(other)),
    };
    Ok(DdResult {
        year,
        weeks_left,
        payable_weeks_left,
        to_collect,
        first_change,
        collection_day,
        collections,
        plan,
        equivalents: Equivalents::of(input.weekly_rent, year, input.rent_free_weeks),
        uc_shortfall: uc_shortfall(input.weekly_rent, year, input.rent_free_weeks),
    })
}

#[cfg(test)]
mod tests;
