//! Tenancies, their tenure, their debts by type and the flags an officer must see on every screen.

use super::Money;
use super::contact::VulnerabilityCategory;
use super::dates;
use super::ledger::text_enum;
use chrono::NaiveDate;

/// A tenancy as the housing system describes it: as its extract, the store and every screen hold
/// it (its people and accounts are apart).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenancyDetails {
    pub reference: String,
    pub address: String,
    pub postcode: String,
    pub tenure: Tenure,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub patch: String,
    pub officer: String,
    pub weekly_charge: Money,
    pub flags: Flags,
}

text_enum! {
    /// The legal form of the tenancy: it decides which notice applies.
    Tenure {
        Secure = "secure" / "Secure",
        Assured = "assured" / "Assured",
        Introductory = "introductory" / "Introductory",
        Starter = "starter" / "Starter",
        NonSecure = "non_secure" / "Non-secure",
        Temporary = "temporary" / "Temporary",
        Leasehold = "leasehold" / "Leasehold",
    }
}

text_enum! {
    /// A sub-account: one debt of the tenancy.
    DebtType {
        Rent = "rent" / "Rent",
        Garage = "garage" / "Garage",
        Recharge = "recharge" / "Rechargeable repairs",
        Sundry = "sundry" / "Sundry",
        CourtCosts = "court_costs" / "Court costs",
        FormerTenant = "former_tenant" / "Former tenant arrears",
    }
}

/// What the header shows in words (never by colour alone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    pub vulnerable: bool,
    pub vulnerability: Option<String>,
    /// What kind of vulnerability (mental health, bereavement...), when the officer chose one.
    pub vulnerability_category: Option<VulnerabilityCategory>,
    pub universal_credit: bool,
    pub housing_benefit: bool,
    pub breathing_space_until: Option<NaiveDate>,
    pub deceased: bool,
    pub interpreter: bool,
}

impl Flags {
    /// The flags that keep a tenant and an officer safe, in short words, most important first:
    /// what the header keeps whatever else it must cut. The vulnerability's reason is apart
    /// ([`Flags::vulnerability_reason`]).
    pub fn safety_words(&self, today: NaiveDate) -> Vec<String> {
        let mut out = Vec::new();
        if self.deceased {
            out.push("DECEASED".to_string());
        }
        if self.vulnerable {
            out.push(match self.vulnerability_category {
                Some(c) => format!("VULNERABLE ({})", c.label()),
                None => "VULNERABLE".to_string(),
            });
        }
        if let Some(until) = self.in_breathing_space(today) {
            out.push(format!("BREATHING SPACE to {}", dates::uk(until)));
        }
        if self.interpreter {
            out.push("INTERPRETER".to_string());
        }
        out
    }

    /// Why the tenant is vulnerable, when they are and it was said.
    pub fn vulnerability_reason(&self) -> Option<&str> {
        self.vulnerability
            .as_deref()
            .filter(|why| self.vulnerable && !why.is_empty())
    }

    /// Short words for the header and queue, most important first.
    pub fn words(&self, today: NaiveDate) -> Vec<String> {
        let mut out = Vec::new();
        if self.deceased {
            out.push("DECEASED".to_string());
        }
        if self.vulnerable {
            let kind = self
                .vulnerability_category
                .map(|c| format!(" ({})", c.label()))
                .unwrap_or_default();
            out.push(match &self.vulnerability {
                Some(why) if !why.is_empty() => format!("VULNERABLE{kind}: {why}"),
                _ => format!("VULNERABLE{kind}"),
            });
        }
        if let Some(until) = self.in_breathing_space(today) {
            out.push(format!("BREATHING SPACE to {}", dates::uk(until)));
        }
        if self.universal_credit {
            out.push("UC".to_string());
        }
        if self.housing_benefit {
            out.push("HB".to_string());
        }
        if self.interpreter {
            out.push("INTERPRETER".to_string());
        }
        out
    }

    /// The end of a breathing space that is in force today.
    pub fn in_breathing_space(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.breathing_space_until.filter(|until| *until >= today)
    }
}

/// One of the people on a tenancy (joint tenants each get their own letters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tenant {
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub phone2: Option<String>,
    pub email: Option<String>,
    /// Where their letters go when it is not the property: a former tenant's forwarding address,
    /// a joint tenant who lives elsewhere. Lines separated by commas, the postcode last.
    pub correspondence_address: Option<String>,
}

impl Tenant {
    /// `Mrs Ada Smith`
    pub fn full_name(&self) -> String {
        [self.title.as_str(), &self.first_name, &self.last_name]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `Ada Smith & Cy Jones`, or `Ada & Ben Smith` when two share a surname; from (first, last) pairs.
pub fn names<'a>(people: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let people: Vec<(&str, &str)> = people.into_iter().collect();
    match people.as_slice() {
        [] => String::new(),
        [(first, last)] => format!("{first} {last}"),
        [(a, last_a), (b, last_b)] if last_a == last_b => format!("{a} & {b} {last_a}"),
        many => many
            .iter()
            .map(|(first, last)| format!("{first} {last}"))
            .collect::<Vec<_>>()
            .join(" & "),
    }
}

impl Tenant {
    pub fn name_pair(&self) -> (&str, &str) {
        (&self.first_name, &self.last_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(first: &str, last: &str) -> Tenant {
        Tenant {
            first_name: first.into(),
            last_name: last.into(),
            ..Tenant::default()
        }
    }

    #[test]
    fn joint_names_read_naturally() {
        let names = |ts: &[Tenant]| names(ts.iter().map(Tenant::name_pair));
        assert_eq!(names(&[t("Ada", "Smith")]), "Ada Smith");
        assert_eq!(
            names(&[t("Ada", "Smith"), t("Ben", "Smith")]),
            "Ada & Ben Smith"
        );
        assert_eq!(
            names(&[t("Ada", "Smith"), t("Cy", "Jones")]),
            "Ada Smith & Cy Jones"
        );
    }

    #[test]
    fn flags_are_words_and_breathing_space_expires() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let flags = Flags {
            vulnerable: true,
            vulnerability: Some("mental health".into()),
            universal_credit: true,
            breathing_space_until: Some(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            ..Flags::default()
        };
        assert_eq!(
            flags.words(today),
            vec![
                "VULNERABLE: mental health",
                "BREATHING SPACE to 01/12/2026",
                "UC"
            ]
        );
        let later = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(flags.words(later), vec!["VULNERABLE: mental health", "UC"]);
        let kind = Flags {
            vulnerability_category: Some(VulnerabilityCategory::ALL[0]),
            ..flags
        };
        assert_eq!(
            kind.words(later)[0],
            format!(
                "VULNERABLE ({}): mental health",
                VulnerabilityCategory::ALL[0].label()
            )
        );
    }
}
