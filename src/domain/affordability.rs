//! Affordability: an income and expenditure statement in the layout of the Standard Financial
//! Statement (SFS), and the landlord's trigger figures for its flexible costs.
//!
//! Every amount is **monthly**, as on the SFS. The statement's sections are household, income,
//! fixed costs, flexible costs, savings and priority debts (payments to priority debts *other*
//! than the arrears being planned). Following the SFS summary:
//!
//! - available for priority debts = income − (fixed costs + flexible costs) − savings;
//! - available for this plan = available for priority debts − payments to other priority debts.
//!
//! A plan whose instalment, as a monthly figure, exceeds what is available for it is flagged,
//! never forbidden. Trigger figures are the landlord's to load (`docs/affordability.md`); none
//! are built in.

use super::Money;
use super::ledger::text_enum;
use super::plan::Frequency;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

text_enum! {
    /// The sections of the statement, in the SFS order.
    Section {
        Income = "income" / "Income",
        FixedCost = "fixed_cost" / "Fixed costs",
        FlexibleCost = "flexible_cost" / "Flexible costs",
        Savings = "savings" / "Savings",
        PriorityDebt = "priority_debt" / "Priority debts",
    }
}

text_enum! {
    /// One line of the statement; `as_str` is the stored name and the trigger file's key.
    Item {
        Earnings = "earnings" / "Earnings (you)",
        PartnerEarnings = "partner_earnings" / "Earnings (partner)",
        UniversalCredit = "universal_credit" / "Universal Credit",
        HousingBenefit = "housing_benefit" / "Housing Benefit",
        ChildBenefit = "child_benefit" / "Child Benefit",
        TaxCredits = "tax_credits" / "Child and Working Tax Credits",
        DisabilityBenefits = "disability_benefits" / "Disability benefits (PIP, DLA, AA)",
        CarersAllowance = "carers_allowance" / "Carer's Allowance",
        EsaJsa = "esa_jsa" / "ESA or JSA",
        PensionCredit = "pension_credit" / "Pension Credit",
        OtherBenefits = "other_benefits" / "Other benefits",
        Pensions = "pensions" / "Pensions",
        Maintenance = "maintenance" / "Maintenance received",
        NonDependantContributions = "non_dependant_contributions" / "Contributions from others at home",
        OtherIncome = "other_income" / "Other income",

        Rent = "rent" / "Rent (full charge)",
        Mortgage = "mortgage" / "Mortgage or secured loan",
        CouncilTax = "council_tax" / "Council Tax",
        Gas = "gas" / "Gas",
        Electricity = "electricity" / "Electricity",
        OtherFuel = "other_fuel" / "Other fuel",
        Water = "water" / "Water",
        TvLicence = "tv_licence" / "TV licence",
        Childcare = "childcare" / "Childcare",
        AdultCare = "adult_care" / "Adult care",
        Health = "health" / "Health (prescriptions, dental, optical)",
        Travel = "travel" / "Travel (fares, fuel, parking)",
        Vehicle = "vehicle" / "Vehicle (insurance, tax, repairs)",
        School = "school" / "School costs",
        Insurance = "insurance" / "Insurance",
        PensionContributions = "pension_contributions" / "Pension contributions",
        ProfessionalCosts = "professional_costs" / "Professional costs",
        OtherFixed = "other_fixed" / "Other essential costs",

        CommunicationsLeisure = "communications_leisure" / "Communications and leisure",
        FoodHousekeeping = "food_housekeeping" / "Food and housekeeping",
        PersonalCosts = "personal_costs" / "Personal costs",

        SavingsContribution = "savings" / "Savings contribution",

        MortgageArrears = "mortgage_arrears" / "Mortgage arrears",
        OtherRentArrears = "other_rent_arrears" / "Rent arrears (another tenancy)",
        CouncilTaxArrears = "council_tax_arrears" / "Council Tax arrears",
        EnergyArrears = "energy_arrears" / "Gas or electricity arrears",
        TvLicenceArrears = "tv_licence_arrears" / "TV licence arrears",
        CourtFines = "court_fines" / "Magistrates' court fines",
        ChildMaintenanceArrears = "child_maintenance_arrears" / "Child maintenance arrears",
        TaxArrears = "tax_arrears" / "Income tax, NI or VAT arrears",
        HirePurchase = "hire_purchase" / "Hire purchase (essential goods)",
        OtherPriority = "other_priority" / "Other priority debts",
    }
}

impl Item {
    pub fn section(self) -> Section {
        use Item::*;
        match self {
            Earnings
            | PartnerEarnings
            | UniversalCredit
            | HousingBenefit
            | ChildBenefit
            | TaxCredits
            | DisabilityBenefits
            | CarersAllowance
            | EsaJsa
            | PensionCredit
            | OtherBenefits
            | Pensions
            | Maintenance
            | NonDependantContributions
            | OtherIncome => Section::Income,
            Rent | Mortgage | CouncilTax | Gas | Electricity | OtherFuel | Water | TvLicence
            | Childcare | AdultCare | Health | Travel | Vehicle | School | Insurance
            | PensionContributions | ProfessionalCosts | OtherFixed => Section::FixedCost,
            CommunicationsLeisure | FoodHousekeeping | PersonalCosts => Section::FlexibleCost,
            SavingsContribution => Section::Savings,
            MortgageArrears
            | OtherRentArrears
            | CouncilTaxArrears
            | EnergyArrears
            | TvLicenceArrears
            | CourtFines
            | ChildMaintenanceArrears
            | TaxArrears
            | HirePurchase
            | OtherPriority => Section::PriorityDebt,
        }
    }

    /// The items of a section, in form order.
    pub fn of(section: Section) -> impl Iterator<Item = Item> {
        Item::ALL
            .iter()
            .copied()
            .filter(move |i| i.section() == section)
    }
}

/// Who lives in the home: the SFS household section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Household {
    pub adults: u32,
    /// Children and other dependants.
    pub dependants: u32,
    /// Adults living there who are not dependants (e.g. grown-up children who work).
    pub non_dependants: u32,
    pub vehicles: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AffordabilityError {
    #[error("{item} cannot be negative ({amount}): enter what is paid or received a month")]
    Negative { item: &'static str, amount: Money },
    #[error("trigger figures file: {0}")]
    Triggers(String),
}

/// An income and expenditure statement: monthly amounts by item.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Statement {
    pub household: Household,
    amounts: BTreeMap<Item, Money>,
}

/// The statement's totals and what is left for priority debts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    pub income: Money,
    pub fixed_costs: Money,
    pub flexible_costs: Money,
    pub savings: Money,
    pub other_priority_debts: Money,
    /// Income − fixed costs − flexible costs − savings.
    pub available_for_priority_debts: Money,
    /// What is left for the plan once other priority debts are paid.
    pub available_for_plan: Money,
}

impl Statement {
    /// An empty statement for a household.
    pub fn new(household: Household) -> Statement {
        Statement {
            household,
            amounts: BTreeMap::new(),
        }
    }

    /// Sets a monthly amount; zero removes the line.
    pub fn set(&mut self, item: Item, amount: Money) -> Result<(), AffordabilityError> {
        if amount.is_negative() {
            return Err(AffordabilityError::Negative {
                item: item.label(),
                amount,
            });
        }
        if amount.is_zero() {
            self.amounts.remove(&item);
        } else {
            self.amounts.insert(item, amount);
        }
        Ok(())
    }

    pub fn amount(&self, item: Item) -> Money {
        self.amounts.get(&item).copied().unwrap_or(Money::ZERO)
    }

    /// The lines with an amount, in form order.
    pub fn lines(&self) -> impl Iterator<Item = (Item, Money)> + '_ {
        self.amounts.iter().map(|(&item, &amount)| (item, amount))
    }

    pub fn section_total(&self, section: Section) -> Money {
        self.lines()
            .filter(|(item, _)| item.section() == section)
            .map(|(_, amount)| amount)
            .sum()
    }

    pub fn totals(&self) -> Totals {
        let total = |s| self.section_total(s);
        let (income, fixed_costs, flexible_costs, savings, other_priority_debts) = (
            total(Section::Income),
            total(Section::FixedCost),
            total(Section::FlexibleCost),
            total(Section::Savings),
            total(Section::PriorityDebt),
        );
        let available_for_priority_debts = income - fixed_costs - flexible_costs - savings;
        Totals {
            income,
            fixed_costs,
            flexible_costs,
            savings,
            other_priority_debts,
            available_for_priority_debts,
            available_for_plan: available_for_priority_debts - other_priority_debts,
        }
    }

    /// Flexible costs above the landlord's trigger figures for this household.
    pub fn above_triggers(&self, table: &TriggerTable) -> Vec<TriggerFlag> {
        let Some(row) = table.for_household(&self.household) else {
            return Vec::new();
        };
        row.figures
            .iter()
            .filter(|&(&item, &trigger)| self.amount(item) > trigger)
            .map(|(&item, &trigger)| TriggerFlag {
                item,
                spent: self.amount(item),
                trigger,
                adults: row.adults,
                children: row.children,
            })
            .collect()
    }
}

/// A flexible cost above its trigger figure: to be asked about, not refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggerFlag {
    pub item: Item,
    pub spent: Money,
    pub trigger: Money,
    /// The household row of the trigger table that was used.
    pub adults: u32,
    pub children: u32,
}

impl std::fmt::Display for TriggerFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{} {} a month is above the trigger figure of {} for {} and {}",
            self.item.label(),
            self.spent,
            self.trigger,
            plural(self.adults, "adult", "adults"),
            plural(self.children, "child", "children"),
        )
    }
}

/// The landlord's trigger figures: monthly flexible-cost guidelines by household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriggerTable {
    /// The year the figures apply to, as the file names it (e.g. "2026/27").
    pub year: String,
    pub source: String,
    rows: Vec<TriggerRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct TriggerRow {
    adults: u32,
    children: u32,
    figures: BTreeMap<Item, Money>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    year: String,
    source: String,
    household: Vec<RawRow>,
}

#[derive(Deserialize)]
struct RawRow {
    adults: u32,
    children: u32,
    #[serde(flatten)]
    figures: BTreeMap<String, Money>,
}

impl TriggerTable {
    /// Reads a trigger figures file (format in `docs/affordability.md`).
    pub fn parse(text: &str) -> Result<TriggerTable, AffordabilityError> {
        let bad = |message: String| AffordabilityError::Triggers(message);
        let raw: RawTable = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let rows = raw
            .household
            .into_iter()
            .enumerate()
            .map(|(n, row)| {
                let figures = row
                    .figures
                    .into_iter()
                    .map(|(key, amount)| match Item::parse(&key) {
                        Some(item) if item.section() == Section::FlexibleCost => Ok((item, amount)),
                        _ => Err(bad(format!(
                            "household {} ({} adults, {} children): `{key}` is not a flexible \
                             cost (use {})",
                            n + 1,
                            row.adults,
                            row.children,
                            Item::of(Section::FlexibleCost)
                                .map(Item::as_str)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))),
                    })
                    .collect::<Result<_, _>>()?;
                Ok(TriggerRow {
                    adults: row.adults,
                    children: row.children,
                    figures,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if rows.is_empty() {
            return Err(bad("it lists no households".into()));
        }
        Ok(TriggerTable {
            year: raw.year,
            source: raw.source,
            rows,
        })
    }

    /// The row for the household, or the largest that fits inside it (adults first, then
    /// children); `None` if every row is for more people.
    fn for_household(&self, household: &Household) -> Option<&TriggerRow> {
        self.rows
            .iter()
            .filter(|r| r.adults <= household.adults && r.children <= household.dependants)
            .max_by_key(|r| (r.adults, r.children))
    }
}

/// An instalment as a monthly figure, for comparing with a monthly statement (52-week basis).
pub fn monthly(instalment: Money, frequency: Frequency) -> Money {
    let per_year = match frequency {
        Frequency::Weekly => 52,
        Frequency::Fortnightly => 26,
        Frequency::FourWeekly => 13,
        // A one-off payment is compared whole with one month's surplus.
        Frequency::Monthly | Frequency::OneOff => 12,
    };
    Money::round_up(instalment.decimal() * Decimal::from(per_year) / Decimal::from(12))
}

/// Whether a plan fits what the statement leaves for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Affordability {
    pub monthly_instalment: Money,
    pub available: Money,
}

impl Affordability {
    pub fn new(instalment: Money, frequency: Frequency, available: Money) -> Affordability {
        Affordability {
            monthly_instalment: monthly(instalment, frequency),
            available,
        }
    }

    /// Flagged (not forbidden) when the instalment exceeds what is available.
    pub fn is_flagged(&self) -> bool {
        self.monthly_instalment > self.available
    }

    pub fn wording(&self) -> String {
        if self.is_flagged() {
            format!(
                "not affordable on the tenant's figures: {} a month against {} available",
                self.monthly_instalment, self.available
            )
        } else {
            format!(
                "affordable: {} a month of {} available",
                self.monthly_instalment, self.available
            )
        }
    }
}

#[cfg(test)]
mod tests;
