//! Writes and reads of the legal side of a case: notices, claims, court events, pauses,
//! overrides. Readers see only what is in force: a row whose record was corrected is left out.

use super::engine::{Columns as _, Optional as _};
use super::sql_types::{Day, Moment, day, opt_day};
use super::{Result, Store, Writer};
use crate::domain::recovery::{Claim, CourtEvent, Notice, PauseKind, ServedHow};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rusqlite::params;

/// `WHERE` condition for a row still in force: not written by a record that was corrected.
pub(super) const IN_FORCE: &str =
    "(action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections))";

/// The actions a correction took out of force, for `NOT IN`.
pub(super) const CORRECTED: &str = "(SELECT action_id FROM corrections)";

/// Where a row comes from and who recorded it: an officer's record (its line in the action log)
/// or a row of the housing system's extract (its id there).
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    pub tenancy_id: i64,
    pub officer: &'a str,
    pub action: Option<i64>,
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
    /// The record it belongs to.
    pub action_id: Option<i64>,
}

pub struct NewOverride<'a> {
    pub tenancy_id: i64,
    pub recommendation: &'a str,
    pub rule: Option<u8>,
    pub reason: &'a str,
    pub officer: &'a str,
    pub at: NaiveDateTime,
    pub action_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRecord {
    pub id: i64,
    pub notice: Notice,
    pub officer: String,
    /// The record it belongs to (none for the housing system's).
    pub action_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtEventRecord {
    pub id: i64,
    pub event: CourtEvent,
    pub officer: String,
    pub action_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: i64,
    pub claim: Claim,
    pub officer: String,
    pub action_id: Option<i64>,
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

/// A time of day as stored: `HH:MM`.
fn time_text(time: Option<NaiveTime>) -> Option<String> {
    time.map(|t| t.format("%H:%M").to_string())
}

fn time_of(text: Option<String>) -> Option<NaiveTime> {
    text.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok())
}

impl Writer<'_> {
    pub fn serve_notice(&mut self, n: &Notice, from: &Origin<'_>) -> Result<i64> {
        let inserted = self.db().insert("INSERT INTO notices (tenancy_id, kind, served_on, served_how, grounds, amount, officer,
                   ext_id, action_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", params![
                from.tenancy_id,
                n.kind,
                Day(n.served_on),
                n.served_how.map(ServedHow::as_str),
                n.grounds,
                n.amount,
                from.officer,
                from.ext_id,
                from.action,
                self.batch_id()
            ])?;
        Ok(inserted)
    }

    pub fn record_court_event(&mut self, e: &CourtEvent, from: &Origin<'_>) -> Result<i64> {
        let inserted = self.db().insert(
            "INSERT INTO court_events (tenancy_id, kind, on_date, time, court, reference, outcome,
                   code, terms, possession_on, costs, officer, ext_id, action_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                from.tenancy_id,
                e.kind,
                e.on_date.map(Day),
                time_text(e.time),
                e.court,
                e.reference,
                e.outcome,
                e.code,
                e.terms,
                e.possession_on.map(Day),
                e.costs,
                from.officer,
                from.ext_id,
                from.action,
                self.batch_id()
            ],
        )?;
        Ok(inserted)
    }

    pub fn apply_for_court_date(&mut self, c: &Claim, from: &Origin<'_>) -> Result<i64> {
        let inserted = self.db().insert(
            "INSERT INTO claims (tenancy_id, applied_on, court, claim_number, officer, action_id,
                   batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                from.tenancy_id,
                Day(c.applied_on),
                c.court,
                c.claim_number,
                from.officer,
                from.action,
                self.batch_id()
            ],
        )?;
        Ok(inserted)
    }

    pub fn add_pause(&mut self, p: &NewPause<'_>) -> Result<i64> {
        let inserted = self.db().insert(
            "INSERT INTO pauses (tenancy_id, kind, until, reason, comment, officer, at, ext_id,
                   action_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                p.tenancy_id,
                p.kind,
                Day(p.until),
                p.reason,
                p.comment,
                p.officer,
                Moment(p.at),
                p.ext_id,
                p.action_id,
                self.batch_id()
            ],
        )?;
        Ok(inserted)
    }

    pub fn add_override(&mut self, o: &NewOverride<'_>) -> Result<i64> {
        let inserted = self.db().insert("INSERT INTO overrides (tenancy_id, recommendation, rule, reason, officer, at, action_id,
                   batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", params![
                o.tenancy_id,
                o.recommendation,
                o.rule,
                o.reason,
                o.officer,
                Moment(o.at),
                o.action_id,
                self.batch_id()
            ])?;
        Ok(inserted)
    }
}

impl Store {
    /// A tenancy's notices in force, newest first.
    pub fn notices(&self, tenancy_id: i64) -> Result<Vec<NoticeRecord>> {
        let mut stmt = self.db().prepare_cached(&format!(
            "SELECT id, kind, served_on, served_how, grounds, amount, officer, action_id FROM notices
             WHERE tenancy_id = ?1 AND {IN_FORCE} ORDER BY served_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([tenancy_id], |r| {
            let how: Option<String> = r.get(3)?;
            Ok(NoticeRecord {
                id: r.get(0)?,
                notice: Notice {
                    kind: r.get(1)?,
                    served_on: day(r, 2)?,
                    served_how: how.as_deref().and_then(ServedHow::parse),
                    grounds: r.get(4)?,
                    amount: r.get(5)?,
                },
                officer: r.get(6)?,
                action_id: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A tenancy's court events in force, in the order they were recorded, newest first.
    pub fn court_events(&self, tenancy_id: i64) -> Result<Vec<CourtEventRecord>> {
        let mut stmt = self.db().prepare_cached(&format!(
            "SELECT id, kind, on_date, time, court, reference, outcome, code, terms, possession_on,
               costs, officer, action_id
             FROM court_events WHERE tenancy_id = ?1 AND {IN_FORCE} ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([tenancy_id], |r| {
            Ok(CourtEventRecord {
                id: r.get(0)?,
                event: CourtEvent {
                    kind: r.get(1)?,
                    on_date: opt_day(r, 2)?,
                    time: time_of(r.get(3)?),
                    court: r.get(4)?,
                    reference: r.get(5)?,
                    outcome: r.get(6)?,
                    code: r.get(7)?,
                    terms: r.get(8)?,
                    possession_on: opt_day(r, 9)?,
                    costs: r.get(10)?,
                },
                officer: r.get(11)?,
                action_id: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A tenancy's claims (court dates applied for) in force, newest first.
    pub fn claims(&self, tenancy_id: i64) -> Result<Vec<ClaimRecord>> {
        let mut stmt = self.db().prepare_cached(&format!(
            "SELECT id, applied_on, court, claim_number, officer, action_id FROM claims
             WHERE tenancy_id = ?1 AND {IN_FORCE} ORDER BY applied_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([tenancy_id], |r| {
            Ok(ClaimRecord {
                id: r.get(0)?,
                claim: Claim {
                    applied_on: day(r, 1)?,
                    court: r.get(2)?,
                    claim_number: r.get(3)?,
                },
                officer: r.get(4)?,
                action_id: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The pause or snooze in force for a tenancy (which may have lapsed): the latest recorded in
    /// caseload and the latest from the housing system each hold, so of the two the later end.
    pub fn latest_pause(&self, tenancy_id: i64) -> Result<Option<PauseRecord>> {
        self.db()
            .prepare_cached(&format!(
                "SELECT id, kind, until, reason, comment, officer, at FROM pauses
                 WHERE id IN (SELECT max(id) FROM pauses WHERE tenancy_id = ?1 AND {IN_FORCE}
                              GROUP BY ext_id IS NULL)
                 ORDER BY until DESC, id DESC LIMIT 1"
            ))?
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
            .optional()
    }
}
