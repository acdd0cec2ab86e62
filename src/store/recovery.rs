//! Writes and reads of the legal side of a case: notices, court events, pauses, overrides.

use super::sql_types::{Day, Moment, day, opt_day};
use super::{Result, Store, Writer};
use crate::domain::Money;
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

pub struct NewNotice<'a> {
    pub tenancy_id: i64,
    pub kind: NoticeKind,
    pub served_on: NaiveDate,
    pub grounds: &'a str,
    pub amount: Option<Money>,
    pub officer: &'a str,
    pub ext_id: Option<&'a str>,
}

pub struct NewCourtEvent<'a> {
    pub tenancy_id: i64,
    pub kind: CourtEventKind,
    /// The hearing (also for an outcome), the warrant application, or the eviction.
    pub on_date: Option<NaiveDate>,
    pub outcome: Option<CourtOutcome>,
    pub code: Option<&'a str>,
    pub terms: &'a str,
    pub possession_on: Option<NaiveDate>,
    pub costs: Option<Money>,
    pub officer: &'a str,
    pub ext_id: Option<&'a str>,
}

pub struct NewPause<'a> {
    pub tenancy_id: i64,
    pub kind: PauseKind,
    pub until: NaiveDate,
    pub reason: &'a str,
    pub comment: &'a str,
    pub officer: &'a str,
    pub at: NaiveDateTime,
    pub ext_id: Option<&'a str>,
}

pub struct NewOverride<'a> {
    pub tenancy_id: i64,
    pub recommendation: &'a str,
    pub rule: Option<u8>,
    pub reason: &'a str,
    pub officer: &'a str,
    pub at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRecord {
    pub id: i64,
    pub kind: NoticeKind,
    pub served_on: NaiveDate,
    pub grounds: String,
    pub amount: Option<Money>,
    pub officer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtEventRecord {
    pub id: i64,
    pub kind: CourtEventKind,
    pub on_date: Option<NaiveDate>,
    pub outcome: Option<CourtOutcome>,
    pub code: Option<String>,
    pub terms: String,
    pub possession_on: Option<NaiveDate>,
    pub costs: Option<Money>,
    pub officer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PauseRecord {
    pub id: i64,
    pub kind: PauseKind,
    pub until: NaiveDate,
    pub reason: String,
    pub comment: String,
    pub officer: String,
    pub at: NaiveDateTime,
}

impl Writer<'_> {
    pub fn serve_notice(&mut self, n: &NewNotice<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO notices (tenancy_id, kind, served_on, grounds, amount, officer, ext_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                n.tenancy_id,
                n.kind,
                Day(n.served_on),
                n.grounds,
                n.amount,
                n.officer,
                n.ext_id,
                self.batch_id()
            ])?;
        Ok(self.tx().last_insert_rowid())
    }

    pub fn record_court_event(&mut self, e: &NewCourtEvent<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO court_events (tenancy_id, kind, on_date, outcome, code, terms, possession_on,
                   costs, officer, ext_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                e.tenancy_id,
                e.kind,
                e.on_date.map(Day),
                e.outcome,
                e.code,
                e.terms,
                e.possession_on.map(Day),
                e.costs,
                e.officer,
                e.ext_id,
                self.batch_id()
            ])?;
        Ok(self.tx().last_insert_rowid())
    }

    pub fn add_pause(&mut self, p: &NewPause<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO pauses (tenancy_id, kind, until, reason, comment, officer, at, ext_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                p.tenancy_id,
                p.kind,
                Day(p.until),
                p.reason,
                p.comment,
                p.officer,
                Moment(p.at),
                p.ext_id,
                self.batch_id()
            ])?;
        Ok(self.tx().last_insert_rowid())
    }

    pub fn add_override(&mut self, o: &NewOverride<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO overrides (tenancy_id, recommendation, rule, reason, officer, at, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                o.tenancy_id,
                o.recommendation,
                o.rule,
                o.reason,
                o.officer,
                Moment(o.at),
                self.batch_id()
            ])?;
        Ok(self.tx().last_insert_rowid())
    }
}

impl Store {
    /// A tenancy's notices, newest first.
    pub fn notices(&self, tenancy_id: i64) -> Result<Vec<NoticeRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, served_on, grounds, amount, officer FROM notices
             WHERE tenancy_id = ?1 ORDER BY served_on DESC, id DESC",
        )?;
        let rows = stmt.query_map([tenancy_id], |r| {
            Ok(NoticeRecord {
                id: r.get(0)?,
                kind: r.get(1)?,
                served_on: day(r, 2)?,
                grounds: r.get(3)?,
                amount: r.get(4)?,
                officer: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A tenancy's court events in the order they were recorded, newest first.
    pub fn court_events(&self, tenancy_id: i64) -> Result<Vec<CourtEventRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, on_date, outcome, code, terms, possession_on, costs, officer
             FROM court_events WHERE tenancy_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([tenancy_id], |r| {
            Ok(CourtEventRecord {
                id: r.get(0)?,
                kind: r.get(1)?,
                on_date: opt_day(r, 2)?,
                outcome: r.get(3)?,
                code: r.get(4)?,
                terms: r.get(5)?,
                possession_on: opt_day(r, 6)?,
                costs: r.get(7)?,
                officer: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The pause or snooze in force for a tenancy (which may have lapsed): the latest recorded in
    /// caseload and the latest from the housing system each hold, so of the two the later end.
    pub fn latest_pause(&self, tenancy_id: i64) -> Result<Option<PauseRecord>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, kind, until, reason, comment, officer, at FROM pauses
                 WHERE id IN (SELECT max(id) FROM pauses WHERE tenancy_id = ?1 GROUP BY ext_id IS NULL)
                 ORDER BY until DESC, id DESC LIMIT 1",
            )?
            .query_row([tenancy_id], |r| {
                Ok(PauseRecord {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    until: day(r, 2)?,
                    reason: r.get(3)?,
                    comment: r.get(4)?,
                    officer: r.get(5)?,
                    at: r.get::<_, Moment>(6)?.0,
                })
            })
            .optional()?)
    }
}
