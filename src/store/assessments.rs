//! Income and expenditure assessments: dated, per tenancy, append-only. A new assessment is a new
//! row; the latest by date is the one in force.

use super::engine::Columns as _;
use super::sql_types::{Day, Moment, day};
use super::{Result, Store, StoreError, Writer};
use crate::domain::Money;
use crate::domain::affordability::{Household, Item, Statement};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

pub struct NewAssessment<'a> {
    pub tenancy_id: i64,
    /// The date the figures were given.
    pub assessed_on: NaiveDate,
    pub statement: &'a Statement,
    pub note: &'a str,
    pub officer: &'a str,
    pub at: NaiveDateTime,
    /// The record it belongs to.
    pub action_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentRecord {
    pub id: i64,
    pub assessed_on: NaiveDate,
    pub statement: Statement,
    pub note: String,
    pub officer: String,
    pub at: NaiveDateTime,
}

impl Writer<'_> {
    pub fn add_assessment(&mut self, a: &NewAssessment<'_>) -> Result<i64> {
        let h = &a.statement.household;
        let inserted = self.db().insert(
            "INSERT INTO assessments (tenancy_id, assessed_on, adults, dependants,
                   non_dependants, vehicles, note, officer, at, action_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                a.tenancy_id,
                Day(a.assessed_on),
                h.adults,
                h.dependants,
                h.non_dependants,
                h.vehicles,
                a.note,
                a.officer,
                Moment(a.at),
                a.action_id,
                self.batch_id()
            ],
        )?;
        let id = inserted;
        for (item, amount) in a.statement.lines() {
            self.db().execute(
                "INSERT INTO assessment_lines (assessment_id, item, amount) VALUES (?1, ?2, ?3)",
                params![id, item.as_str(), amount],
            )?;
        }
        Ok(id)
    }
}

impl Store {
    /// Every assessment of a tenancy, the latest (by date, then by entry) first.
    pub fn assessments(&self, tenancy_id: i64) -> Result<Vec<AssessmentRecord>> {
        let mut records = self
            .db()
            .prepare_cached(
                "SELECT id, assessed_on, adults, dependants, non_dependants, vehicles, note, officer, at
                 FROM assessments WHERE tenancy_id = ?1 AND (action_id IS NULL
                   OR action_id NOT IN (SELECT action_id FROM corrections))
                 ORDER BY assessed_on DESC, id DESC",
            )?
            .query_map([tenancy_id], |r| {
                Ok(AssessmentRecord {
                    id: r.get(0)?,
                    assessed_on: day(r, 1)?,
                    statement: Statement::new(Household {
                        adults: r.get(2)?,
                        dependants: r.get(3)?,
                        non_dependants: r.get(4)?,
                        vehicles: r.get(5)?,
                    }),
                    note: r.get(6)?,
                    officer: r.get(7)?,
                    at: r.get::<_, Moment>(8)?.0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut lines = self
            .db()
            .prepare_cached("SELECT item, amount FROM assessment_lines WHERE assessment_id = ?1")?;
        for record in &mut records {
            let rows = lines
                .query_map([record.id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Money>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (name, amount) in rows {
                let item = Item::parse(&name).ok_or_else(|| {
                    StoreError::Invalid(format!(
                        "assessment {} has an unknown item `{name}`",
                        record.id
                    ))
                })?;
                record
                    .statement
                    .set(item, amount)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
            }
        }
        Ok(records)
    }

    /// The assessment in force: the latest by date.
    pub fn latest_assessment(&self, tenancy_id: i64) -> Result<Option<AssessmentRecord>> {
        Ok(self.assessments(tenancy_id)?.into_iter().next())
    }
}
