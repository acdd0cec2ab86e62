//! Rent statements and the arrears schedule for a possession claim, built once from the ledger
//! and rendered as text, CSV or printable HTML. The command line and the workstation both call
//! [`build`] then [`Statement::render`].
//!
//! A statement lists every entry of one sub-account in a period with the running balance, as a
//! tenant would receive it. The court version (the schedule attached to a claim) runs from the
//! date the current arrears began (or a given date), marks each change of the weekly charge, and
//! ends with the totals and the arrears at the date of issue.

mod csv;
mod html;
pub(crate) use html::esc;
mod text;

use crate::domain::Money;
use crate::domain::arrears;
use crate::domain::dates::{sub_months, uk, week_start};
use crate::domain::ledger::{Entry, EntryKind};
use crate::domain::tenancy::{DebtType, Tenure};
use crate::store::Store;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Html,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementOptions {
    pub debt_type: DebtType,
    /// First day listed; by default three months before `to`, or for the court schedule the day
    /// the current arrears began.
    pub from: Option<NaiveDate>,
    /// Last day listed: the date of issue.
    pub to: NaiveDate,
    /// The arrears schedule for a possession claim.
    pub court: bool,
}

/// One entry as the statement prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub date: NaiveDate,
    pub description: String,
    /// What the entry added to the balance (zero for a credit).
    pub debit: Money,
    /// What it took off (zero for a debit), as a positive amount.
    pub credit: Money,
    /// The balance just after it.
    pub balance: Money,
    /// On the first charge of a week whose total charge differs from the week before: (was, now).
    pub charge_change: Option<(Money, Money)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub court: bool,
    pub reference: String,
    pub tenure: Tenure,
    pub debt_type: DebtType,
    /// Each tenant's full name, lead tenant first.
    pub tenants: Vec<String>,
    pub address: String,
    pub postcode: String,
    pub weekly_charge: Money,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the current run of arrears began, if the account is in arrears at `to`.
    pub arrears_began: Option<NaiveDate>,
    pub brought_forward: Money,
    pub lines: Vec<Line>,
    pub total_debits: Money,
    pub total_credits: Money,
    /// The balance at `to` (positive = arrears).
    pub closing: Money,
}

impl Statement {
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Csv => csv::render(self),
            Format::Html => html::render(self),
        }
    }

    pub fn title(&self) -> &'static str {
        if self.court {
            "Arrears schedule"
        } else {
            "Rent statement"
        }
    }

    /// The closing arrears in weeks of the weekly charge (`None` without a weekly charge).
    pub fn weeks(&self) -> Option<Decimal> {
        arrears::weeks(self.closing, self.weekly_charge)
    }

    /// The account named in words, e.g. "rent account".
    pub fn account_words(&self) -> String {
        format!("{} account", self.debt_type.label().to_lowercase())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    /// A period that ends before it starts: its balance brought forward would be misread.
    #[error("--from {} is after --to {}: a statement runs from a day to a later one", uk(*.from), uk(*.to))]
    Backwards { from: NaiveDate, to: NaiveDate },
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The statement of one tenancy's sub-account; `None` if the tenancy does not exist. A tenancy
/// without that sub-account gets an empty statement. Its balance brought forward is the ledger's
/// balance before `from`, so a `from` after `to` is refused.
pub fn build(
    store: &Store,
    tenancy_id: i64,
    options: &StatementOptions,
) -> Result<Option<Statement>, StatementError> {
    if let Some(from) = options.from
        && from > options.to
    {
        return Err(StatementError::Backwards {
            from,
            to: options.to,
        });
    }
    let Some(record) = store.tenancy_record(tenancy_id)? else {
        return Ok(None);
    };
    let account = record
        .accounts
        .iter()
        .find(|a| a.debt_type == options.debt_type);
    let entries = match account {
        Some(a) => store.ledger(a.id)?,
        None => Vec::new(),
    };
    let entries: Vec<&Entry> = entries.iter().filter(|e| e.date <= options.to).collect();
    let began = arrears_began(&entries);
    let from = options.from.unwrap_or(match (options.court, began) {
        (true, Some(began)) => began,
        (true, None) => options.to,
        (false, _) => sub_months(options.to, 3),
    });
    let changes = charge_changes(&entries);
    let mut balance = Money::ZERO;
    let mut statement = Statement {
        court: options.court,
        reference: record.details.reference.clone(),
        tenure: record.details.tenure,
        debt_type: options.debt_type,
        tenants: record.tenants.iter().map(|t| t.full_name()).collect(),
        address: record.details.address.clone(),
        postcode: record.details.postcode.clone(),
        weekly_charge: record.details.weekly_charge,
        from,
        to: options.to,
        arrears_began: began,
        brought_forward: Money::ZERO,
        lines: Vec::new(),
        total_debits: Money::ZERO,
        total_credits: Money::ZERO,
        closing: Money::ZERO,
    };
    let mut marked = std::collections::HashSet::new();
    for e in entries {
        balance += e.amount;
        if e.date < from {
            statement.brought_forward = balance;
            continue;
        }
        let week = week_start(e.date);
        let charge_change = (e.kind == EntryKind::Charge && marked.insert(week))
            .then(|| changes.get(&week).copied())
            .flatten();
        let (debit, credit) = if e.amount.is_negative() {
            (Money::ZERO, -e.amount)
        } else {
            (e.amount, Money::ZERO)
        };
        statement.total_debits += debit;
        statement.total_credits += credit;
        statement.lines.push(Line {
            date: e.date,
            description: describe(e),
            debit,
            credit,
            balance,
            charge_change,
        });
    }
    statement.closing = balance;
    Ok(Some(statement))
}

/// The day the current run of arrears began: the first entry after which the balance has stayed
/// above zero ever since.
fn arrears_began(entries: &[&Entry]) -> Option<NaiveDate> {
    let mut balance = Money::ZERO;
    let mut began = None;
    for e in entries {
        balance += e.amount;
        if !balance.is_positive() {
            began = None;
        } else if began.is_none() {
            began = Some(e.date);
        }
    }
    began
}

/// Weeks whose total charge differs from the previous charged week's: week → (was, now).
fn charge_changes(entries: &[&Entry]) -> BTreeMap<NaiveDate, (Money, Money)> {
    let mut weekly: BTreeMap<NaiveDate, Money> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == EntryKind::Charge) {
        *weekly.entry(week_start(e.date)).or_default() += e.amount;
    }
    weekly
        .iter()
        .zip(weekly.iter().skip(1))
        .filter(|((_, was), (_, now))| was != now)
        .map(|((_, was), (week, now))| (*week, (*was, *now)))
        .collect()
}

/// The entry's own description, or its kind (and how a payment arrived).
fn describe(e: &Entry) -> String {
    if !e.description.is_empty() {
        return e.description.clone();
    }
    match e.method {
        Some(method) if e.kind == EntryKind::Payment => format!("Payment: {method}"),
        _ => e.kind.label().to_string(),
    }
}

#[cfg(test)]
mod tests;
