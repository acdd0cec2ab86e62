//! Calls and other contacts, their notes and promises, referrals, vulnerability, and word search
//! over notes.

use super::engine::{Columns, Db, Dialect};
use super::recovery::IN_FORCE;
use super::sql_types::{Day, Moment, day};
use super::{Result, Store, StoreError, Writer};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::promise::{Judging, Promise};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use std::collections::HashMap;

/// A call or other contact, saved with its note and any promises in one transaction.
pub struct NewContact<'a> {
    pub tenancy_id: i64,
    pub kind: ActionKind,
    pub code: Option<&'a str>,
    pub at: NaiveDateTime,
    pub officer: &'a str,
    /// The one-line summary in the contact log, e.g. "Call to Ada Smith: promise to pay".
    pub summary: &'a str,
    pub party: &'a str,
    pub third_party: bool,
    pub consent: bool,
    pub outgoing: Option<bool>,
    pub started_at: Option<NaiveDateTime>,
    pub seconds: Option<i64>,
    pub outcome: &'a str,
    pub call_back: Option<NaiveDateTime>,
    pub checklist: &'a [&'a str],
    pub note: &'a str,
    pub promises: &'a [Promise],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseRecord {
    pub id: i64,
    /// The first promise of its series (its own id if it stands alone).
    pub series: i64,
    pub promise: Promise,
    /// Paid towards it: from the day its series was made to its deadline (or today).
    pub received: Money,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteHit {
    pub tenancy_id: i64,
    pub reference: String,
    pub note_id: i64,
    pub at: NaiveDateTime,
    /// The words around the match, the matched words in [brackets].
    pub snippet: String,
}

impl Writer<'_> {
    /// Saves a contact: its action, details, note (if any text) and promises, and removes the
    /// draft of that note. Returns the action's id.
    pub fn save_contact(&mut self, c: &NewContact<'_>) -> Result<i64> {
        let action = self.append_action(&super::NewAction {
            tenancy_id: c.tenancy_id,
            at: c.at,
            kind: c.kind,
            code: c.code,
            officer: c.officer,
            summary: c.summary,
            ext_id: None,
        })?;
        self.db().execute(
            "INSERT INTO contacts (action_id, party, third_party, consent, direction, started_at,
                   seconds, outcome, call_back, checklist)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                action,
                c.party,
                c.third_party,
                c.consent,
                c.outgoing.map(|o| if o { "outgoing" } else { "incoming" }),
                c.started_at.map(Moment),
                c.seconds,
                c.outcome,
                c.call_back.map(Moment),
                c.checklist.join(", ")
            ],
        )?;
        if !c.note.trim().is_empty() {
            self.append_note(&super::NewNote {
                tenancy_id: c.tenancy_id,
                at: c.at,
                officer: c.officer,
                body: c.note,
                action_id: Some(action),
                amends: None,
            })?;
        }
        self.add_promises(c.tenancy_id, Some(action), c.promises, c.officer)?;
        self.delete_draft(c.officer, c.tenancy_id)?;
        Ok(action)
    }

    /// Records promises; those given together are one series, judged on their running total.
    pub fn add_promises(
        &mut self,
        tenancy_id: i64,
        action: Option<i64>,
        promises: &[Promise],
        officer: &str,
    ) -> Result<()> {
        let mut series = None;
        for p in promises {
            let inserted = self.db().insert("INSERT INTO promises (tenancy_id, action_id, series, amount, cumulative, due_on, made_on,
                       officer, batch_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", params![
                    tenancy_id,
                    action,
                    series,
                    p.amount,
                    p.cumulative,
                    Day(p.due),
                    Day(p.made),
                    officer,
                    self.batch_id()
                ])?;
            series = series.or(Some(inserted));
        }
        Ok(())
    }

    /// Flags (or clears) a tenancy as vulnerable in caseload, with a category and a reason,
    /// keeping the old values in the audit trail. A flag from the housing system is kept beside
    /// it: clearing caseload's flag leaves that one in force.
    pub fn set_vulnerability(
        &mut self,
        tenancy_id: i64,
        vulnerable: bool,
        category: &str,
        reason: &str,
    ) -> Result<()> {
        let old: (bool, Option<String>, Option<String>) = self
            .db()
            .query_opt(
                "SELECT own_vulnerable, own_vulnerability_category, own_vulnerability
                 FROM tenancies WHERE id = ?1",
                &[&tenancy_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?
            .ok_or_else(|| StoreError::Invalid(format!("tenancy {tenancy_id} does not exist")))?;
        let (category, reason) = if vulnerable {
            (Some(category), Some(reason))
        } else {
            (None, None)
        };
        self.db().execute(
            "UPDATE tenancies SET own_vulnerable = ?1, own_vulnerability_category = ?2,
               own_vulnerability = ?3 WHERE id = ?4",
            params![vulnerable, category, reason, tenancy_id],
        )?;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        self.audit(
            "tenancy",
            tenancy_id,
            "vulnerable",
            Some(yes_no(old.0)),
            Some(yes_no(vulnerable)),
        )?;
        self.audit(
            "tenancy",
            tenancy_id,
            "vulnerability_category",
            old.1.as_deref(),
            category,
        )?;
        self.audit(
            "tenancy",
            tenancy_id,
            "vulnerability",
            old.2.as_deref(),
            reason,
        )
    }

    /// A referral for support, recorded by `from`'s officer for its tenancy.
    pub fn add_referral(
        &mut self,
        kind: &str,
        made_on: NaiveDate,
        status: &str,
        comment: &str,
        from: &super::Origin<'_>,
    ) -> Result<i64> {
        let inserted = self.db().insert("INSERT INTO referrals (tenancy_id, kind, made_on, status, comment, officer, action_id,
                   batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", params![
                from.tenancy_id,
                kind,
                Day(made_on),
                status,
                comment,
                from.officer,
                from.action,
                self.batch_id()
            ])
            .map_err(|e| {
                if e.is_constraint_violation() {
                    StoreError::Invalid(format!(
                        "`{kind}` or `{status}` is not a kind or status of referral"
                    ))
                } else {
                    e
                }
            })?;
        Ok(inserted)
    }
}

impl Store {
    /// A tenancy's promises, the earliest due first, with what has been paid towards each.
    pub fn promises(&self, tenancy_id: i64, tolerance_days: u32) -> Result<Vec<PromiseRecord>> {
        let mut stmt = self.db().prepare_cached(&format!(
            "{} WHERE p.tenancy_id = ?2 AND {IN_FORCE} ORDER BY p.due_on, p.id",
            promise_select(self.db().dialect())
        ))?;
        let rows = stmt.query_map(params![tolerance_days, tenancy_id], |r| promise_record(r))?;
        Ok(rows
            .map(|r| r.map(|(_, record)| record))
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Notes whose words match, newest first, with the account they belong to.
    pub fn search_notes(&self, words: &str, limit: usize) -> Result<Vec<NoteHit>> {
        if words.split_whitespace().next().is_none() {
            return Ok(vec![]);
        }
        let dialect = self.db().dialect();
        let mut stmt = self.db().prepare_cached(dialect.note_search())?;
        let rows = stmt.query_map(
            params![
                dialect.search_words(words),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(NoteHit {
                    tenancy_id: r.get(0)?,
                    reference: r.get(1)?,
                    note_id: r.get(2)?,
                    at: r.get::<_, Moment>(3)?.0,
                    snippet: r.get(4)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Each promise (`tenancy_id, id, series, amount, cumulative, due_on, made_on, received`) with
/// the rent paid towards it: from the day it was made to its date plus `?1` days of tolerance.
pub(super) fn promise_select(dialect: Dialect) -> String {
    format!(
        "SELECT p.tenancy_id, p.id, coalesce(p.series, p.id), p.amount, p.cumulative,
            p.due_on, p.made_on,
            coalesce((SELECT -sum(l.amount) FROM ledger l JOIN accounts a ON a.id = l.account_id
                      WHERE a.tenancy_id = p.tenancy_id AND a.debt_type = 'rent'
                        AND l.kind = 'payment' AND l.date >= p.made_on
                        AND l.date <= {}), 0)
         FROM promises p",
        dialect.days_after("p.due_on", "?1")
    )
}

pub(super) fn promise_record(r: &impl Columns) -> rusqlite::Result<(i64, PromiseRecord)> {
    Ok((
        r.get(0)?,
        PromiseRecord {
            id: r.get(1)?,
            series: r.get(2)?,
            promise: Promise {
                amount: r.get(3)?,
                cumulative: r.get(4)?,
                due: day(r, 5)?,
                made: day(r, 6)?,
            },
            received: r.get(7)?,
        },
    ))
}

/// Each tenancy's latest series of promises (in date order), with what was paid towards each,
/// for the tenancies with ids from `ids.0` to `ids.1`.
pub(super) fn latest_promises(
    db: Db<'_>,
    ids: (i64, i64),
    judging: Judging,
) -> Result<HashMap<i64, Vec<(Promise, Money)>>> {
    // One tenancy (re-ranked after a write) is found by its id, not among every tenancy with a
    // recent promise.
    let with_recent = if ids.0 == ids.1 {
        "p.tenancy_id = ?3 AND ?3 = ?4
           AND EXISTS (SELECT 1 FROM promises WHERE tenancy_id = ?3 AND due_on >= ?2)"
    } else {
        "p.tenancy_id IN (SELECT tenancy_id FROM promises WHERE due_on >= ?2)
           AND p.tenancy_id BETWEEN ?3 AND ?4"
    };
    let sql = format!(
        // Tenancies with a promise due since the horizon first (by index), so the payments
        // towards a promise are summed only where the queue can use them.
        "{} WHERE {with_recent}
           AND {IN_FORCE} AND coalesce(p.series, p.id) =
             (SELECT max(coalesce(series, id)) FROM promises
              WHERE tenancy_id = p.tenancy_id AND {IN_FORCE})
           AND (SELECT max(due_on) FROM promises q WHERE q.tenancy_id = p.tenancy_id
                AND coalesce(q.series, q.id) = coalesce(p.series, p.id)) >= ?2
         ORDER BY p.tenancy_id, p.due_on, p.id",
        promise_select(db.dialect())
    );
    let mut out: HashMap<i64, Vec<(Promise, Money)>> = HashMap::new();
    let params = params![judging.tolerance_days, Day(judging.horizon()), ids.0, ids.1];
    db.each(&sql, params, |row| {
        let (tenancy, record) = promise_record(row)?;
        out.entry(tenancy)
            .or_default()
            .push((record.promise, record.received));
        Ok(())
    })?;
    Ok(out)
}
