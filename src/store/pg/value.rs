//! Values between the two engines. A SQLite file holds dates, moments and times as ISO text and
//! flags as 0 or 1; PostgreSQL holds them as DATE, TIMESTAMP, TIME and BOOLEAN. A value crosses in
//! its column's type, and reads back in SQLite's form exactly as caseload writes it, so that the
//! hash chain (which seals values as SQLite holds them) checks the same on either engine.

use crate::chain::Value;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use postgres::types::{ToSql, Type};

/// A value as SQLite holds it, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum Owned {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// How caseload writes each kind of value in a SQLite file.
const DATE: &str = "%Y-%m-%d";
const MOMENT: &str = "%Y-%m-%dT%H:%M:%S";
const UTC: &str = "%Y-%m-%dT%H:%M:%SZ";
const TIME: &str = "%H:%M";

impl Owned {
    pub fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Owned {
        use rusqlite::types::ValueRef as V;
        match v {
            V::Null => Owned::Null,
            V::Integer(i) => Owned::Integer(i),
            V::Real(r) => Owned::Real(r),
            V::Text(t) => Owned::Text(String::from_utf8_lossy(t).into_owned()),
            V::Blob(b) => Owned::Blob(b.to_vec()),
        }
    }

    /// The value as the chain hashes it.
    pub fn as_chained(&self) -> Value<'_> {
        match self {
            Owned::Null => Value::Null,
            Owned::Integer(i) => Value::Integer(*i),
            Owned::Real(r) => Value::Real(*r),
            Owned::Text(t) => Value::Text(t.as_bytes()),
            Owned::Blob(b) => Value::Blob(b),
        }
    }

    /// The value for a PostgreSQL column of type `ty`, or why it cannot be one.
    pub fn to_pg(&self, ty: &Type) -> Result<Box<dyn ToSql + Sync + Send>, String> {
        let refused = || format!("{self:?} cannot be stored as {ty}");
        let text = |format: &str| match self {
            Owned::Text(t) => Ok(t.as_str()),
            _ => Err(format!("{self:?} is not a {ty} ({format})")),
        };
        Ok(match (self, ty) {
            (Owned::Null, _) => null_of(ty),
            (Owned::Integer(i), &Type::INT8) => Box::new(*i),
            (Owned::Integer(i), &Type::INT4) => Box::new(i32::try_from(*i).map_err(|_| refused())?),
            (Owned::Integer(0 | 1), &Type::BOOL) => Box::new(*self == Owned::Integer(1)),
            (Owned::Real(r), &Type::FLOAT8) => Box::new(*r),
            (Owned::Text(t), &Type::TEXT) => Box::new(t.clone()),
            (Owned::Blob(b), &Type::BYTEA) => Box::new(b.clone()),
            // A list of ids, bound as SQLite's `json_each` reads it (see `engine::Dialect::among`).
            (Owned::Text(t), &Type::INT8_ARRAY) => {
                Box::new(serde_json::from_str::<Vec<i64>>(t).map_err(|_| refused())?)
            }
            (_, &Type::DATE) => {
                Box::new(NaiveDate::parse_from_str(text(DATE)?, DATE).map_err(|_| refused())?)
            }
            (_, &Type::TIMESTAMP) => Box::new(
                NaiveDateTime::parse_from_str(text(MOMENT)?, MOMENT).map_err(|_| refused())?,
            ),
            // A draft's moment is written to the millisecond.
            (_, &Type::TIMESTAMPTZ) => {
                let t = text(UTC)?;
                Box::new(
                    NaiveDateTime::parse_from_str(t, UTC)
                        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.fZ"))
                        .map_err(|_| refused())?
                        .and_utc(),
                )
            }
            (_, &Type::TIME) => {
                Box::new(NaiveTime::parse_from_str(text(TIME)?, TIME).map_err(|_| refused())?)
            }
            _ => return Err(refused()),
        })
    }

    /// Column `i` of a PostgreSQL row, in the form caseload gives it in a SQLite file.
    pub fn from_pg(row: &postgres::Row, i: usize) -> Result<Owned, postgres::Error> {
        let ty = row.columns()[i].type_();
        let text = |t: Option<String>| t.map_or(Owned::Null, Owned::Text);
        Ok(match *ty {
            Type::INT8 => row
                .try_get::<_, Option<i64>>(i)?
                .map_or(Owned::Null, Owned::Integer),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)?
                .map_or(Owned::Null, |v| Owned::Integer(v.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)?
                .map_or(Owned::Null, |v| Owned::Integer(v.into())),
            Type::FLOAT8 => row
                .try_get::<_, Option<f64>>(i)?
                .map_or(Owned::Null, Owned::Real),
            // A sum of BIGINT pence is NUMERIC: whole, it reads as SQLite's integer sum does.
            Type::NUMERIC => match row.try_get::<_, Option<rust_decimal::Decimal>>(i)? {
                None => Owned::Null,
                Some(d) => match i64::try_from(d).ok().filter(|_| d.fract().is_zero()) {
                    Some(whole) => Owned::Integer(whole),
                    None => Owned::Text(d.to_string()),
                },
            },
            Type::BYTEA => row
                .try_get::<_, Option<Vec<u8>>>(i)?
                .map_or(Owned::Null, Owned::Blob),
            Type::DATE => text(
                row.try_get::<_, Option<NaiveDate>>(i)?
                    .map(|d| d.format(DATE).to_string()),
            ),
            Type::TIMESTAMP => text(
                row.try_get::<_, Option<NaiveDateTime>>(i)?
                    .map(|d| d.format(MOMENT).to_string()),
            ),
            Type::TIMESTAMPTZ => text(
                row.try_get::<_, Option<DateTime<Utc>>>(i)?
                    .map(|d| d.format(UTC).to_string()),
            ),
            Type::TIME => text(
                row.try_get::<_, Option<NaiveTime>>(i)?
                    .map(|d| d.format(TIME).to_string()),
            ),
            _ => text(row.try_get::<_, Option<String>>(i)?),
        })
    }
}

/// A NULL of the column's type (the client checks a value's type even when it is NULL).
fn null_of(ty: &Type) -> Box<dyn ToSql + Sync + Send> {
    match *ty {
        Type::INT8 => Box::new(None::<i64>),
        Type::INT4 => Box::new(None::<i32>),
        Type::BOOL => Box::new(None::<bool>),
        Type::FLOAT8 => Box::new(None::<f64>),
        Type::BYTEA => Box::new(None::<Vec<u8>>),
        Type::DATE => Box::new(None::<NaiveDate>),
        Type::TIMESTAMP => Box::new(None::<NaiveDateTime>),
        Type::TIMESTAMPTZ => Box::new(None::<DateTime<Utc>>),
        Type::TIME => Box::new(None::<NaiveTime>),
        _ => Box::new(None::<String>),
    }
}
