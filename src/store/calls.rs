//! Calls and other contacts, their notes and promises, referrals, vulnerability, and word search
//! over notes.

use super::engine::{Columns, Db, Dialect};
use super::record::By;
use super::recovery::IN_FORCE;
use super::sql_types::{Day, Moment, day};
use super::{Result, Store, StoreError, Writer};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::contact::{self, ContactOutcome};
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

/// A contact recorded again with corrected promises or call back ([`Writer::contact_again`]).
pub struct ContactAgain<'a> {
    pub tenancy_id: i64,
    /// The contact it copies, by its line in the action log.
    pub of: i64,
    pub promises: &'a [Promise],
    pub call_back: Option<NaiveDateTime>,
}

/// A contact as held, to record it again.
struct Held {
    tenancy_id: i64,
    kind: ActionKind,
    code: Option<String>,
    at: NaiveDateTime,
    party: String,
    third_party: bool,
    consent: bool,
    direction: Option<String>,
    started_at: Option<NaiveDateTime>,
    seconds: Option<i64>,
    outcome: String,
    checklist: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromiseRecord {
    pub id: i64,
    /// The first promise of its series (its own id if it stands alone).
    pub series: i64,
    pub promise: Promise,
    /// Paid towards it: from the day its series was made to its deadline (or today).
    pub received: Money,
    /// The call (or other contact) it was given on, by its line in the action log.
    pub action_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteHit {
    pub tenancy_id: i64,
    pub reference: String,
    pub note_id: i64,
    pub at: NaiveDateTime,
    /// The words around the match, the matched words in [brackets].
    pub snippet: String,
    /// The note's call was recorded in error: the note is kept but out of force.
    pub in_error: bool,
}

impl Writer<'_> {
    /// Saves a contact: its action, details, note (if any text) and promises, and removes the
    /// draft of that note. Returns the action's id.
    pub fn save_contact(&mut self, c: &NewContact<'_>) -> Result<i64> {
        let action = self.add_contact(c)?;
        self.delete_draft(c.officer, c.tenancy_id)?;
        Ok(action)
    }

    /// A contact's action, details, note (if any text) and promises.
    fn add_contact(&mut self, c: &NewContact<'_>) -> Result<i64> {
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
        Ok(action)
    }

    /// The contact `again.of` recorded again with corrected promises or call back (the
    /// replacement of a correction, which then takes the first out of force): the same moment,
    /// party, length, outcome and checklist, and its line says what came of it now. Its note is
    /// not copied: it stays, once, with the first. Returns the new action's id.
    pub(super) fn contact_again(&mut self, again: &ContactAgain<'_>, by: &By<'_>) -> Result<i64> {
        let invalid = |m: &str| Err(StoreError::Invalid(m.to_string()));
        let held = self.db().query_opt(
            "SELECT a.tenancy_id, a.kind, a.code, a.at, c.party, c.third_party, c.consent,
                    c.direction, c.started_at, c.seconds, c.outcome, c.checklist
             FROM actions a JOIN contacts c ON c.action_id = a.id WHERE a.id = ?1",
            &[&again.of],
            |r| {
                Ok(Held {
                    tenancy_id: r.get(0)?,
                    kind: r.get(1)?,
                    code: r.get(2)?,
                    at: r.get::<_, Moment>(3)?.0,
                    party: r.get(4)?,
                    third_party: r.get(5)?,
                    consent: r.get(6)?,
                    direction: r.get(7)?,
                    started_at: r.get::<_, Option<Moment>>(8)?.map(|m| m.0),
                    seconds: r.get(9)?,
                    outcome: r.get(10)?,
                    checklist: r.get(11)?,
                })
            },
        )?;
        let Some(held) = held else {
            return invalid("that record is not a call or other contact");
        };
        if held.tenancy_id != again.tenancy_id {
            return invalid("that contact belongs to another account");
        }
        let outcome = ContactOutcome::parse(&held.outcome);
        match outcome {
            Some(ContactOutcome::PromiseToPay)
                if !again.promises.is_empty() && again.call_back.is_none() => {}
            Some(ContactOutcome::CallBack)
                if again.promises.is_empty() && again.call_back.is_some() => {}
            _ => {
                return invalid(
                    "only a contact's promises or its call back are corrected on their own",
                );
            }
        }
        let outgoing = held.direction.as_deref().map(|d| d == "outgoing");
        let summary = contact::with_checklist(
            contact::summary(
                held.kind,
                &held.party,
                outgoing,
                held.seconds,
                contact::Outcome {
                    outcome: outcome.unwrap_or(ContactOutcome::PromiseToPay),
                    promises: again.promises,
                    call_back: again.call_back,
                },
            ),
            &held.checklist,
        );
        let checklist: Vec<&str> = Some(held.checklist.as_str())
            .filter(|c| !c.is_empty())
            .into_iter()
            .collect();
        self.add_contact(&NewContact {
            tenancy_id: held.tenancy_id,
            kind: held.kind,
            code: held.code.as_deref(),
            at: held.at,
            officer: by.officer,
            summary: &summary,
            party: &held.party,
            third_party: held.third_party,
            consent: held.consent,
            outgoing,
            started_at: held.started_at,
            seconds: held.seconds,
            outcome: &held.outcome,
            call_back: again.call_back,
            checklist: &checklist,
            note: "",
            promises: again.promises,
        })
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
                    in_error: r.get(5)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Each promise (`tenancy_id, id, series, amount, cumulative, due_on, made_on, received,
/// action_id`) with
/// the rent paid towards it: from the day it was made to its date plus `?1` days of tolerance.
pub(super) fn promise_select(dialect: Dialect) -> String {
    format!(
        "SELECT p.tenancy_id, p.id, coalesce(p.series, p.id), p.amount, p.cumulative,
            p.due_on, p.made_on,
            coalesce((SELECT -sum(l.amount) FROM ledger l JOIN accounts a ON a.id = l.account_id
                      WHERE a.tenancy_id = p.tenancy_id AND a.debt_type = 'rent'
                        AND l.kind = 'payment' AND l.date >= p.made_on
                        AND l.date <= {}), 0),
            p.action_id
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
            action_id: r.get(8)?,
        },
    ))
}

/// Each tenancy's latest series of promises (in date order), with what was paid towards each,
/// for the tenancies with ids from `ids.0` to `ids.1`.
pub(super) fn latest_promises(
    db: Db<'_>,
    ids: &super::facts::Ids,
    judging: Judging,
) -> Result<HashMap<i64, Vec<(Promise, Money)>>> {
    // One tenancy (re-ranked after a write) is found by its id, not among every tenancy with a
    // recent promise.
    let with_recent = match ids.one() {
        Some(_) => "p.tenancy_id = ?3 AND ?3 = ?4
           AND EXISTS (SELECT 1 FROM promises WHERE tenancy_id = ?3 AND due_on >= ?2)"
            .to_string(),
        None => format!(
            "p.tenancy_id IN (SELECT tenancy_id FROM promises WHERE due_on >= ?2) AND {}",
            ids.within(db.dialect(), "p.tenancy_id", 3)
        ),
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
    let (tolerance, horizon) = (judging.tolerance_days, Day(judging.horizon()));
    let mut params: Vec<&dyn rusqlite::ToSql> = vec![&tolerance, &horizon];
    params.extend(ids.binds());
    db.each(&sql, &params, |row| {
        let (tenancy, record) = promise_record(row)?;
        out.entry(tenancy)
            .or_default()
            .push((record.promise, record.received));
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{add_tenancy, d, on_each_engine};
    use super::super::{By, Store, StoreError};
    use crate::domain::Money;
    use crate::domain::actions::ActionKind;
    use crate::domain::codes::CodeMaps;
    use crate::domain::contact::ContactOutcome;
    use crate::domain::promise::Judging;
    use crate::domain::promise::series;
    use crate::domain::record::{Contact, Correction, Record};
    use crate::store::HistoryKind;

    #[test]
    fn a_call_recorded_again_keeps_its_details_and_note_and_only_its_new_promises_are_in_force() {
        on_each_engine("contact_again", recorded_again_on);
    }

    fn recorded_again_on(_: &std::path::Path, store: &mut Store) {
        let (t, _) = add_tenancy(store, "T1");
        let codes = CodeMaps::default();
        let call_at = d("2026-11-23").and_hms_opt(10, 0, 0).unwrap();
        let by = |at| By {
            officer: "tester",
            at,
            codes: &codes,
        };
        let made = d("2026-11-23");
        let wrong = series(Money::from_pence(2055), d("2026-11-27"), 7, 4, made);
        let call = Record::Contact(Box::new(Contact {
            tenancy_id: t,
            kind: ActionKind::Call,
            party: "Ada Lovelace (tenant) 07700 900123".into(),
            third_party: false,
            consent: false,
            outgoing: Some(true),
            started: Some(call_at),
            seconds: Some(245),
            outcome: ContactOutcome::PromiseToPay,
            call_back: None,
            checklist: vec!["advised of free debt advice"],
            note: "Hours cut at work.".into(),
            promises: wrong,
        }));
        let first = store
            .write("tester", "test", |w| w.record(&call, &by(call_at)))
            .unwrap()
            .action
            .unwrap();
        let right = series(Money::pounds(20), d("2026-11-27"), 7, 4, made);
        let correct = |replacement| {
            Record::Correct(Box::new(Correction {
                tenancy_id: t,
                action_id: first,
                line: "Phone call: Call to Ada Lovelace".into(),
                reason: "Typed 20.55".into(),
                replacement: Some(replacement),
            }))
        };
        // A call back on a call that ended in a promise is not this call corrected.
        let later = d("2026-11-23").and_hms_opt(11, 0, 0).unwrap();
        let refused = store.write("tester", "test", |w| {
            w.record(
                &correct(Record::SameContact {
                    tenancy_id: t,
                    of: first,
                    promises: vec![],
                    call_back: Some(later),
                }),
                &by(later),
            )
        });
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
        let again = store
            .write("tester", "test", |w| {
                w.record(
                    &correct(Record::SameContact {
                        tenancy_id: t,
                        of: first,
                        promises: right.clone(),
                        call_back: None,
                    }),
                    &by(later),
                )
            })
            .unwrap()
            .action
            .unwrap();

        let promises = store.promises(t, 1).unwrap();
        let held: Vec<_> = promises.iter().map(|p| p.promise).collect();
        assert_eq!(held, right);
        assert!(promises.iter().all(|p| p.action_id == Some(again)));
        let judging = Judging {
            tolerance_days: 1,
            today: d("2026-11-23"),
        };
        let detail = store.account_detail(t, 50, judging).unwrap().unwrap();
        let calls: Vec<(i64, &str, bool)> = detail
            .history
            .iter()
            .filter_map(|h| match &h.kind {
                HistoryKind::Action { corrected, .. } => {
                    Some((h.id, h.text.as_str(), corrected.is_some()))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            calls,
            [
                (
                    again,
                    "Call to Ada Lovelace (tenant) 07700 900123, 4:05: promise to pay £20.00 by \
                     27/11/2026, 4 payments to 18/12/2026; advised of free debt advice",
                    false
                ),
                (
                    first,
                    "Call to Ada Lovelace (tenant) 07700 900123, 4:05: promise to pay £20.55 by \
                     27/11/2026, 4 payments to 18/12/2026; advised of free debt advice",
                    true
                ),
            ]
        );
        let at = detail.history.iter().find(|h| h.id == again).unwrap().at;
        assert_eq!(at, call_at, "the call keeps its moment");
        assert_eq!(detail.notes.len(), 1, "its note is not copied");
    }
}
