//! Tenancy records: a tenancy with its people and its debts, as the header and an opened account
//! show them.

use super::engine::{Columns, Db};
use super::sql_types::{day, opt_day};
use super::{Result, Store};
use crate::domain::Money;
use crate::domain::arrears::AccountSummary;
use crate::domain::contact::VulnerabilityCategory;
use crate::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One debt of a tenancy with its running totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubAccount {
    pub id: i64,
    pub debt_type: DebtType,
    pub summary: AccountSummary,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenancyRecord {
    pub tenancy_id: i64,
    pub details: TenancyDetails,
    pub tenants: Vec<Tenant>,
    pub accounts: Vec<SubAccount>,
}

impl TenancyRecord {
    /// The rent account's totals (a tenancy without one owes no rent yet).
    pub fn rent(&self) -> AccountSummary {
        self.accounts
            .iter()
            .find(|a| a.debt_type == DebtType::Rent)
            .map(|a| a.summary)
            .unwrap_or_default()
    }

    /// What is owed on every debt other than rent.
    pub fn other_debts(&self) -> Money {
        self.accounts
            .iter()
            .filter(|a| a.debt_type != DebtType::Rent)
            .map(|a| a.summary.balance)
            .sum()
    }

    pub fn is_former(&self, today: NaiveDate) -> bool {
        self.details.end.is_some_and(|end| end < today)
    }
}

impl Store {
    /// Every tenancy, ordered by id.
    pub fn tenancy_records(&self) -> Result<Vec<TenancyRecord>> {
        load(self.db(), None)
    }

    /// One tenancy, e.g. to refresh its queue row after a write.
    pub fn tenancy_record(&self, tenancy_id: i64) -> Result<Option<TenancyRecord>> {
        Ok(load(self.db(), Some(tenancy_id))?.pop())
    }
}

fn load(db: Db<'_>, only: Option<i64>) -> Result<Vec<TenancyRecord>> {
    let filter = |column: &str| match only {
        Some(_) => format!("WHERE {column} = ?1"),
        None => String::new(),
    };
    let ids: Vec<i64> = only.into_iter().collect();
    let args: Vec<&dyn rusqlite::ToSql> = ids.iter().map(|id| id as _).collect();

    let mut records = Vec::new();
    db.each(
        &format!("{TENANCY_SELECT} {}", filter("t.id")),
        &args,
        |row| {
            records.push(tenancy(row)?);
            Ok(())
        },
    )?;
    let index: HashMap<i64, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.tenancy_id, i))
        .collect();

    db.each(
        &format!(
            "SELECT tenancy_id, title, first_name, last_name, phone, phone2, email, correspondence_address
             FROM tenants {} ORDER BY tenancy_id, position",
            filter("tenancy_id")
        ),
        &args,
        |row| {
            if let Some(&i) = index.get(&row.get::<_, i64>(0)?) {
                records[i].tenants.push(Tenant {
                    title: row.get(1)?,
                    first_name: row.get(2)?,
                    last_name: row.get(3)?,
                    phone: row.get(4)?,
                    phone2: row.get(5)?,
                    email: row.get(6)?,
                    correspondence_address: row.get(7)?,
                });
            }
            Ok(())
        },
    )?;

    db.each(
        // In the order a file's index on (tenancy, debt type) reads them, on either engine.
        &format!(
            "{ACCOUNT_SELECT} {} ORDER BY tenancy_id, debt_type",
            filter("tenancy_id")
        ),
        &args,
        |row| {
            let (tenancy_id, account) = sub_account(row)?;
            if let Some(&i) = index.get(&tenancy_id) {
                records[i].accounts.push(account);
            }
            Ok(())
        },
    )?;
    Ok(records)
}

/// The tenancy columns, in the order [`tenancy`] reads them.
const TENANCY_SELECT: &str = "SELECT t.id, t.ref, t.tenure, t.start_date, t.end_date, t.patch,
        t.officer, t.weekly_charge, t.uc, t.hb, t.vulnerable, t.vulnerability, t.breathing_space_until,
        t.deceased, t.interpreter, p.address, p.postcode, t.vulnerability_category
    FROM tenancies t JOIN properties p ON p.id = t.property_id";

pub(super) const ACCOUNT_SELECT: &str =
    "SELECT tenancy_id, id, debt_type, balance, last_payment_date,
        pay_week, pay_week_total, charge_week, charge_week_total
    FROM accounts";

/// Reads a row of [`ACCOUNT_SELECT`]: the tenancy it belongs to and the account.
pub(super) fn sub_account(row: &impl Columns) -> rusqlite::Result<(i64, SubAccount)> {
    Ok((
        row.get(0)?,
        SubAccount {
            id: row.get(1)?,
            debt_type: row.get(2)?,
            summary: AccountSummary {
                balance: row.get(3)?,
                last_payment: opt_day(row, 4)?,
                pay_week: opt_day(row, 5)?,
                pay_week_total: row.get(6)?,
                charge_week: opt_day(row, 7)?,
                charge_week_total: row.get(8)?,
            },
        },
    ))
}

/// Reads a tenancy's details from a row with [`TENANCY_SELECT`]'s columns (the import reads the
/// housing system's side of the flags under the same names).
pub(super) fn details(row: &impl super::engine::Columns) -> rusqlite::Result<TenancyDetails> {
    Ok(TenancyDetails {
        reference: row.get(1)?,
        tenure: row.get(2)?,
        start: day(row, 3)?,
        end: opt_day(row, 4)?,
        patch: row.get(5)?,
        officer: row.get(6)?,
        weekly_charge: row.get(7)?,
        flags: Flags {
            universal_credit: row.get(8)?,
            housing_benefit: row.get(9)?,
            vulnerable: row.get(10)?,
            vulnerability: row.get(11)?,
            vulnerability_category: row
                .get::<_, Option<String>>(17)?
                .as_deref()
                .and_then(VulnerabilityCategory::parse),
            breathing_space_until: opt_day(row, 12)?,
            deceased: row.get(13)?,
            interpreter: row.get(14)?,
        },
        address: row.get(15)?,
        postcode: row.get(16)?,
    })
}

/// Reads a row of [`TENANCY_SELECT`]; people and accounts are left for the caller to add.
fn tenancy(row: &impl super::engine::Columns) -> rusqlite::Result<TenancyRecord> {
    Ok(TenancyRecord {
        tenancy_id: row.get(0)?,
        details: details(row)?,
        tenants: Vec::new(),
        accounts: Vec::new(),
    })
}
