//! How domain values are written to and read from SQLite columns.

use super::engine::Columns;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::dates;
use crate::domain::ledger::{EntryKind, PaymentMethod};
use crate::domain::plan::{Frequency, PlanKind, PlanState};
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use crate::domain::tenancy::{DebtType, Tenure};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

impl ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.pence()))
    }
}

impl FromSql for Money {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Money::from_pence)
    }
}

macro_rules! sql_text_enum {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let text = value.as_str()?;
                <$t>::parse(text).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} `{text}`", stringify!($t)).into())
                })
            }
        }
    )+};
}
sql_text_enum!(
    NoticeKind,
    CourtOutcome,
    CourtEventKind,
    PauseKind,
    EntryKind,
    PaymentMethod,
    DebtType,
    Tenure,
    ActionKind,
    PlanKind,
    Frequency,
    PlanState
);

/// A business date as stored: ISO `YYYY-MM-DD` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(dates::iso(self.0)))
    }
}

impl FromSql for Day {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        dates::parse_iso(text)
            .map(Day)
            .ok_or_else(|| FromSqlError::Other(format!("bad date `{text}`").into()))
    }
}

pub fn day(row: &impl Columns, i: usize) -> rusqlite::Result<NaiveDate> {
    row.get::<_, Day>(i).map(|d| d.0)
}

pub fn opt_day(row: &impl Columns, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    row.get::<_, Option<Day>>(i).map(|d| d.map(|d| d.0))
}

/// A business moment as stored: local `YYYY-MM-DDTHH:MM:SS`, or a bare date (start of that day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(pub NaiveDateTime);

impl ToSql for Moment {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(
            self.0.format("%Y-%m-%dT%H:%M:%S").to_string(),
        ))
    }
}

impl FromSql for Moment {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        dates::parse_moment(text)
            .map(|(at, _)| Moment(at))
            .ok_or_else(|| FromSqlError::Other(format!("bad moment `{text}`").into()))
    }
}

/// The wall-clock time of a write, UTC, for the audit trail.
pub fn utc_now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
