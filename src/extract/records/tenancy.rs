//! Tenancies, their tenants and their sub-accounts: mutable records, updated in place (with an
//! audit entry for each changed field) when the source system changes them.

use super::{Record, date, flag, iso, named, non_empty, opt_iso, opt_text, plain, yes_no};
use crate::domain::codes::CodeMaps;
use crate::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant};
use crate::extract::file::Row;
use crate::extract::{ACCOUNTS, FileSpec, TENANCIES, TENANTS};
use crate::store::NewTenant;
use std::borrow::Cow;

impl Record for TenancyDetails {
    const SPEC: &'static FileSpec = &TENANCIES;
    const KEY: Option<&'static str> = Some("ref");

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let reference = row.required("ref");
        let tenure = row.parse("tenure", named);
        let start = row.parse("start", date);
        let end = row.optional("end", date);
        let weekly_charge = row.parse("weekly_charge", super::amount);
        let yes = |row: &mut Row<'_>, column| row.optional(column, flag).map(|f| f == Some(true));
        let flags = (
            yes(row, "uc"),
            yes(row, "hb"),
            yes(row, "vulnerable"),
            yes(row, "deceased"),
            yes(row, "interpreter"),
        );
        let breathing_space_until = row.optional("breathing_space_until", date);
        if let (Some(start), Some(Some(end))) = (start, end)
            && end < start
        {
            row.problem(Some("end"), "the tenancy ends before it starts");
        }
        let tenancy = TenancyDetails {
            reference: reference?.to_string(),
            address: row.text("address").to_string(),
            postcode: row.text("postcode").to_string(),
            tenure: tenure?,
            start: start?,
            end: end?,
            patch: row.text("patch").to_string(),
            officer: row.text("officer").to_string(),
            weekly_charge: weekly_charge?,
            flags: Flags {
                universal_credit: flags.0?,
                housing_benefit: flags.1?,
                vulnerable: flags.2?,
                vulnerability: non_empty(row.text("vulnerability")),
                vulnerability_category: None,
                breathing_space_until: breathing_space_until?,
                deceased: flags.3?,
                interpreter: flags.4?,
            },
        };
        row.ok().then_some(tenancy)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        let f = &self.flags;
        vec![
            Cow::Borrowed(&self.reference),
            Cow::Borrowed(self.tenure.as_str()),
            iso(self.start),
            opt_iso(self.end),
            Cow::Borrowed(&self.address),
            Cow::Borrowed(&self.postcode),
            Cow::Borrowed(&self.patch),
            Cow::Borrowed(&self.officer),
            Cow::Owned(plain(self.weekly_charge)),
            yes_no(f.universal_credit),
            yes_no(f.housing_benefit),
            yes_no(f.vulnerable),
            opt_text(&f.vulnerability),
            opt_iso(f.breathing_space_until),
            yes_no(f.deceased),
            yes_no(f.interpreter),
        ]
    }
}

/// A tenant, known by the tenancy and their position on it (1 is the lead tenant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantRow {
    pub tenancy: String,
    /// When the file leaves it out, tenants are numbered in the order the file lists them.
    pub position: Option<u32>,
    pub person: NewTenant,
}

impl Record for TenantRow {
    const SPEC: &'static FileSpec = &TENANTS;

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let tenancy = row.required("tenancy");
        let position = row.optional("position", |s| match s.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(format!(
                "`{s}` is not a position (1 for the lead tenant, 2, 3…)"
            )),
        });
        let first_name = row.required("first_name");
        let last_name = row.required("last_name");
        let date_of_birth = row.optional("date_of_birth", date);
        let tenant = TenantRow {
            tenancy: tenancy?.to_string(),
            position: position?,
            person: NewTenant {
                tenant: Tenant {
                    title: row.text("title").to_string(),
                    first_name: first_name?.to_string(),
                    last_name: last_name?.to_string(),
                    phone: non_empty(row.text("phone")),
                    phone2: non_empty(row.text("phone2")),
                    email: non_empty(row.text("email")),
                    correspondence_address: non_empty(row.text("correspondence_address")),
                },
                date_of_birth: date_of_birth?,
                contact_preference: non_empty(row.text("contact_preference")),
            },
        };
        row.ok().then_some(tenant)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        let p = &self.person.tenant;
        vec![
            Cow::Borrowed(&self.tenancy),
            Cow::Owned(self.position.map_or_else(String::new, |n| n.to_string())),
            Cow::Borrowed(&p.title),
            Cow::Borrowed(&p.first_name),
            Cow::Borrowed(&p.last_name),
            opt_text(&p.phone),
            opt_text(&p.phone2),
            opt_text(&p.email),
            opt_iso(self.person.date_of_birth),
            opt_text(&self.person.contact_preference),
            opt_text(&p.correspondence_address),
        ]
    }
}

/// A sub-account: one debt of a tenancy, under the source system's account number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub id: String,
    pub tenancy: String,
    pub debt_type: DebtType,
}

impl Record for AccountRow {
    const SPEC: &'static FileSpec = &ACCOUNTS;
    const KEY: Option<&'static str> = Some("id");

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let debt_type = row.parse("type", named);
        Some(AccountRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            debt_type: debt_type?,
        })
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(self.debt_type.as_str()),
        ]
    }
}
