//! The queue's structured filters: patch, officer, tenure, debt type, arrears band and flag. They
//! combine with each other, with the tab and with the `/` search.

use super::QueueItem;
use crate::domain::policy::Blocker;
use crate::domain::tenancy::{DebtType, Tenure};
use std::fmt;

/// How far behind, in weeks of rent (effective arrears).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Band {
    Credit,
    UnderOneWeek,
    OneToFour,
    FourToEight,
    EightPlus,
}

impl Band {
    const ALL: [(Band, &'static str); 5] = [
        (Band::Credit, "credit"),
        (Band::UnderOneWeek, "<1w"),
        (Band::OneToFour, "1-4w"),
        (Band::FourToEight, "4-8w"),
        (Band::EightPlus, "8w+"),
    ];

    fn holds(self, item: &QueueItem) -> bool {
        let weekly = item.weekly_charge.pence().max(1);
        let tenths = item.arrears.effective.pence() * 10 / weekly;
        match self {
            Band::Credit => item.arrears.balance.is_negative(),
            Band::UnderOneWeek => item.arrears.effective.is_positive() && tenths < 10,
            Band::OneToFour => (10..40).contains(&tenths),
            Band::FourToEight => (40..80).contains(&tenths),
            Band::EightPlus => tenths >= 80,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Vulnerable,
    UniversalCredit,
    HousingBenefit,
    BreathingSpace,
    Former,
}

impl Flag {
    const ALL: [(Flag, &'static str); 5] = [
        (Flag::Vulnerable, "vulnerable"),
        (Flag::UniversalCredit, "uc"),
        (Flag::HousingBenefit, "hb"),
        (Flag::BreathingSpace, "breathing"),
        (Flag::Former, "former"),
    ];

    fn holds(self, item: &QueueItem) -> bool {
        match self {
            Flag::Vulnerable => item.flags.vulnerable,
            Flag::UniversalCredit => item.flags.universal_credit,
            Flag::HousingBenefit => item.flags.housing_benefit,
            Flag::BreathingSpace => {
                item.decision.blocker == Some(Blocker::BreathingSpace) || item.breathing_space
            }
            Flag::Former => item.former,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub patch: Option<String>,
    pub officer: Option<String>,
    pub tenure: Option<Tenure>,
    pub debt: Option<DebtType>,
    pub band: Option<Band>,
    pub flag: Option<Flag>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Patch and officer are known once the row's text has been read.
    pub fn holds(&self, item: &QueueItem) -> bool {
        let text = item.text.as_deref();
        let named = |wanted: &Option<String>, have: fn(&super::ItemText) -> &str| {
            wanted
                .as_ref()
                .is_none_or(|w| text.is_some_and(|t| have(t).eq_ignore_ascii_case(w)))
        };
        named(&self.patch, |t| &t.patch)
            && named(&self.officer, |t| &t.officer)
            && self.tenure.is_none_or(|t| item.tenure == t)
            && self
                .debt
                .is_none_or(|d| d == DebtType::Rent || item.debt_types.contains(&d))
            && self.band.is_none_or(|b| b.holds(item))
            && self.flag.is_none_or(|f| f.holds(item))
    }

    /// Sets one filter from a `:` command (`patch Riverside`, `band 4-8w`, `flag uc`); an empty
    /// value clears it. `None` if the command is not a filter; an error names what is allowed.
    pub fn set(&mut self, name: &str, value: &str) -> Option<Result<(), String>> {
        let value = value.trim();
        let choose = |options: &[&str]| format!("`{value}` is not one of {}", options.join(", "));
        Some(match name {
            "patch" => {
                self.patch = (!value.is_empty()).then(|| value.to_string());
                Ok(())
            }
            "officer" => {
                self.officer = (!value.is_empty()).then(|| value.to_string());
                Ok(())
            }
            "tenure" => parse_or_clear(value, &mut self.tenure, Tenure::parse)
                .map_err(|_| choose(&Tenure::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>())),
            "debt" => parse_or_clear(value, &mut self.debt, DebtType::parse)
                .map_err(|_| choose(&DebtType::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>())),
            "band" => parse_or_clear(value, &mut self.band, |v| {
                Band::ALL.iter().find(|(_, n)| *n == v).map(|(b, _)| *b)
            })
            .map_err(|_| choose(&Band::ALL.map(|(_, n)| n))),
            "flag" => parse_or_clear(value, &mut self.flag, |v| {
                Flag::ALL.iter().find(|(_, n)| *n == v).map(|(f, _)| *f)
            })
            .map_err(|_| choose(&Flag::ALL.map(|(_, n)| n))),
            _ => return None,
        })
    }
}

fn parse_or_clear<T>(
    value: &str,
    slot: &mut Option<T>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<(), ()> {
    if value.is_empty() {
        *slot = None;
        return Ok(());
    }
    *slot = Some(parse(&value.to_ascii_lowercase()).ok_or(())?);
    Ok(())
}

impl fmt::Display for Filters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(p) = &self.patch {
            parts.push(format!("patch {p}"));
        }
        if let Some(o) = &self.officer {
            parts.push(format!("officer {o}"));
        }
        if let Some(t) = self.tenure {
            parts.push(t.label().to_lowercase());
        }
        if let Some(d) = self.debt {
            parts.push(d.label().to_lowercase());
        }
        if let Some(b) = self.band {
            parts.push(
                Band::ALL
                    .iter()
                    .find(|(x, _)| *x == b)
                    .map_or("", |(_, n)| n)
                    .to_string(),
            );
        }
        if let Some(flag) = self.flag {
            parts.push(
                Flag::ALL
                    .iter()
                    .find(|(x, _)| *x == flag)
                    .map_or("", |(_, n)| n)
                    .to_string(),
            );
        }
        f.write_str(&parts.join(" · "))
    }
}
