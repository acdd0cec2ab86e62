//! One type per extract file's row: read from CSV fields (with a problem for each bad field) and
//! written back as fields in the file's column order, so export writes exactly what import reads.
//! The store reads its rows into the same types, so a row from the file and the row already held
//! compare with `==`.

mod ledger;
mod recovery;
mod tenancy;

pub use ledger::TransactionRow;
pub use recovery::{ActionRow, CourtRow, NoticeRow, PauseRow, PlanRow};
pub use tenancy::{AccountRow, TenantRow};

use super::FileSpec;
use super::file::Row;
use crate::domain::Money;
use crate::domain::codes::CodeMaps;
use crate::domain::dates;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use std::borrow::Cow;

/// A row of an extract file.
pub trait Record: Sized {
    const SPEC: &'static FileSpec;
    /// The column other files refer to this row by, if any.
    const KEY: Option<&'static str> = None;

    /// Reads a row, recording a problem for each bad field; `None` if there was any.
    fn read(row: &mut Row<'_>, codes: &CodeMaps) -> Option<Self>;

    /// The fields in the file's column order.
    fn fields(&self) -> Vec<Cow<'_, str>>;
}

/// A field whose value differs between the row held and the row in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub column: &'static str,
    pub held: String,
    pub now: String,
}

/// Every field that differs, in column order.
pub fn differences<R: Record>(held: &R, now: &R) -> Vec<Difference> {
    R::SPEC
        .columns
        .iter()
        .zip(held.fields().into_iter().zip(now.fields()))
        .filter(|(_, (a, b))| a != b)
        .map(|(column, (a, b))| Difference {
            column: column.name,
            held: a.into_owned(),
            now: b.into_owned(),
        })
        .collect()
}

/// How a row of the file stands against the row held under the same id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Same,
    /// A plan whose status changed: recorded as a new state.
    Update,
    /// Content that may never change under one id.
    Conflict(Difference),
}

/// A row of an append-only kind (ledger, actions, notices, court events, plans, pauses): known by
/// the source system's id and never changed once recorded.
pub trait Sourced: Record + PartialEq {
    fn id(&self) -> &str;
    /// The tenancy reference it belongs to, if the row names one directly.
    fn tenancy(&self) -> Option<&str>;

    fn verdict(&self, held: &Self) -> Verdict {
        if self == held {
            return Verdict::Same;
        }
        // Rows can differ without a written field differing, e.g. an action code mapped anew.
        differences(held, self)
            .into_iter()
            .next()
            .map_or(Verdict::Same, Verdict::Conflict)
    }
}

/// The canonical names of a kind, as the extract writes them.
pub trait Named: Sized + Copy + 'static {
    const ALL: &'static [Self];
    const WHAT: &'static str;
    fn name(self) -> &'static str;
    fn from_name(text: &str) -> Option<Self>;
}

macro_rules! named {
    ($($t:ty = $what:literal),+ $(,)?) => {$(
        impl Named for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            const WHAT: &'static str = $what;
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn from_name(text: &str) -> Option<Self> {
                <$t>::parse(text)
            }
        }
    )+};
}
use crate::domain::ledger::PaymentMethod;
use crate::domain::plan::{Frequency, PlanKind, PlanState};
use crate::domain::recovery::{CourtEventKind, NoticeKind, PauseKind};
use crate::domain::tenancy::{DebtType, Tenure};
named!(
    Tenure = "tenure",
    DebtType = "debt type",
    PaymentMethod = "payment method",
    NoticeKind = "notice kind",
    CourtEventKind = "court event kind",
    PlanKind = "plan kind",
    Frequency = "frequency",
    PlanState = "plan status",
    PauseKind = "pause kind",
);

/// Parses a canonical name, in any case.
pub(crate) fn named<T: Named>(text: &str) -> Result<T, String> {
    T::from_name(&text.to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = T::ALL.iter().map(|k| k.name()).collect();
        format!(
            "`{text}` is not a {}: use one of {}",
            T::WHAT,
            names.join(", ")
        )
    })
}

/// The years an extract's dates may fall in: a year outside them is a typing or export error
/// (0000, 9999), never a tenancy.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

fn in_years(text: &str, year: i32) -> Result<(), String> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is outside the years {} to {}",
            YEARS.start(),
            YEARS.end()
        ))
    }
}

pub(crate) fn date(text: &str) -> Result<NaiveDate, String> {
    let day = dates::parse_date(text).map_err(|e| e.to_string())?;
    in_years(text, day.year())?;
    Ok(day)
}

pub(crate) fn moment(text: &str) -> Result<NaiveDateTime, String> {
    let at = dates::parse_moment(text).map(|(at, _)| at).ok_or_else(|| {
        format!("`{text}` is not a date and time (use 2026-11-22T14:05:00 or 2026-11-22)")
    })?;
    in_years(text, at.year())?;
    Ok(at)
}

pub(crate) fn money(text: &str) -> Result<Money, crate::domain::money::MoneyError> {
    Money::parse(text)
}

/// An amount that cannot be negative.
pub(crate) fn amount(text: &str) -> Result<Money, String> {
    let m = Money::parse(text).map_err(|e| e.to_string())?;
    if m.is_negative() {
        return Err(format!(
            "`{text}` is negative: write the amount as a positive number"
        ));
    }
    Ok(m)
}

/// `yes`/`no` (also `y`/`n`, `true`/`false`, `1`/`0`); an empty field is no.
pub(crate) fn flag(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(format!("`{text}` is not yes or no")),
    }
}

/// `1234.56`, `-12.00`: plain pounds and pence, as import reads them back.
pub(crate) fn plain(m: Money) -> String {
    let pence = m.pence();
    let sign = if pence < 0 { "-" } else { "" };
    let abs = pence.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub(crate) fn iso(date: NaiveDate) -> Cow<'static, str> {
    Cow::Owned(dates::iso(date))
}

pub(crate) fn opt_iso(date: Option<NaiveDate>) -> Cow<'static, str> {
    date.map_or(Cow::Borrowed(""), iso)
}

pub(crate) fn iso_moment(at: NaiveDateTime) -> Cow<'static, str> {
    Cow::Owned(at.format("%Y-%m-%dT%H:%M:%S").to_string())
}

pub(crate) fn yes_no(value: bool) -> Cow<'static, str> {
    Cow::Borrowed(if value { "yes" } else { "no" })
}

pub(crate) fn opt_text(text: &Option<String>) -> Cow<'_, str> {
    Cow::Borrowed(text.as_deref().unwrap_or(""))
}

/// An empty field as `None`.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}
