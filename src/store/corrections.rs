//! Corrections: a record taken out of force, as recorded in error or replaced by a corrected one.
//! Nothing is deleted: the correction is a row of its own, readers leave out the rows of a
//! corrected record (`recovery::IN_FORCE`), and what the record changed beyond its own rows is put
//! back by new entries: a charge it made is reversed, a fact of the tenancy it changed gets its
//! old value back (audited), a plan it ended is live again and a plan it agreed is cancelled.

use super::engine::Columns as _;
use super::record::{By, Recorded};
use super::sql_types::Moment;
use super::{NewEntry, NewPlanEvent, Result, StoreError, Writer};
use crate::domain::Money;
use crate::domain::ledger::EntryKind;
use crate::domain::plan::PlanState;
use crate::domain::record::Correction;
use rusqlite::params;

/// A tenancy's fields a record may change, as the audit trail names them, and their columns
/// (caseload's own side, where the housing system keeps one too).
const FIELDS: &[(&str, &str)] = &[
    ("vulnerable", "own_vulnerable"),
    ("vulnerability_category", "own_vulnerability_category"),
    ("vulnerability", "own_vulnerability"),
    ("breathing_space_until", "own_breathing_space_until"),
    ("end_date", "end_date"),
];

impl Writer<'_> {
    /// Corrects a record: its replacement recorded first (if it is replaced), then what it changed
    /// put back, then the correction itself.
    pub(super) fn correct(&mut self, c: &Correction, by: &By<'_>) -> Result<Recorded> {
        let invalid = |m: &str| Err(StoreError::Invalid(m.to_string()));
        if c.reason.trim().is_empty() {
            return invalid("say why it is corrected");
        }
        let held: Option<(i64, i64, bool)> = self.db().query_opt(
            "SELECT tenancy_id, batch_id,
                        EXISTS (SELECT 1 FROM corrections WHERE action_id = actions.id)
                 FROM actions WHERE id = ?1",
            &[&c.action_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let batch = match held {
            None => return invalid("that record is not in the database"),
            Some((tenancy, ..)) if tenancy != c.tenancy_id => {
                return invalid("that record belongs to another account");
            }
            Some((.., true)) => {
                return invalid(
                    "that record is already corrected: correct its replacement instead",
                );
            }
            Some((_, batch, false)) => batch,
        };
        let replaced_by = match &c.replacement {
            Some(record) if record.tenancy_id() != c.tenancy_id => {
                return invalid("a replacement belongs to the same account");
            }
            Some(record) => match self.record(record, by)?.action {
                Some(action) => Some(action),
                None => return invalid("a note is corrected with a note that amends it"),
            },
            None => None,
        };
        self.put_back(c.tenancy_id, c.action_id, batch, by)?;
        self.db().execute(
            "INSERT INTO corrections (tenancy_id, action_id, kind, replaced_by, reason, officer,
                   at, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.tenancy_id,
                c.action_id,
                if replaced_by.is_some() {
                    "replaced"
                } else {
                    "error"
                },
                replaced_by,
                c.reason.trim(),
                by.officer,
                Moment(by.at),
                self.batch_id()
            ],
        )?;
        Ok(Recorded {
            action: replaced_by,
        })
    }

    /// What the record written in `batch` changed beyond its own rows, put back by new entries.
    fn put_back(&mut self, tenancy_id: i64, action_id: i64, batch: i64, by: &By<'_>) -> Result<()> {
        let why = "recorded in error";
        // Facts of the tenancy it changed: their old value, unless changed again since.
        let changes: Vec<(String, Option<String>, Option<String>)> = self.db().query_map(
            "SELECT field, old, new FROM audit
                 WHERE entity = 'tenancy' AND entity_id = ?1 AND batch_id = ?2 ORDER BY id DESC",
            params![tenancy_id, batch],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for (field, old, new) in changes {
            let Some((_, column)) = FIELDS.iter().find(|(f, _)| *f == field) else {
                continue;
            };
            // Flags are audited as yes/no and held as 1/0.
            let stored = |text: &Option<String>| match (field.as_str(), text.as_deref()) {
                ("vulnerable", Some(yes_no)) => {
                    Some(if yes_no == "yes" { "1" } else { "0" }.into())
                }
                _ => text.clone(),
            };
            let now: Option<String> = self.db().query_one(
                &format!("SELECT CAST({column} AS TEXT) FROM tenancies WHERE id = ?1"),
                &[&tenancy_id],
                |r| r.get(0),
            )?;
            if now != stored(&new) {
                continue;
            }
            self.db().execute(
                &format!("UPDATE tenancies SET {column} = ?1 WHERE id = ?2"),
                params![stored(&old), tenancy_id],
            )?;
            self.audit(
                "tenancy",
                tenancy_id,
                &field,
                new.as_deref(),
                old.as_deref(),
            )?;
        }
        // Charges and adjustments it put on the ledger: reversed, on the day of the correction.
        let entries: Vec<(i64, i64, Money)> = self.db().query_map(
            "SELECT l.id, l.account_id, l.amount FROM ledger l
                 WHERE l.account_id IN (SELECT id FROM accounts WHERE tenancy_id = ?1)
                   AND l.batch_id = ?2 AND l.kind IN ('charge', 'adjustment')
                   AND NOT EXISTS (SELECT 1 FROM ledger r WHERE r.reverses = l.id)",
            params![tenancy_id, batch],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for (id, account_id, amount) in entries {
            self.append_entry(&NewEntry {
                account_id,
                date: by.at.date(),
                kind: EntryKind::Reversal,
                method: None,
                amount: -amount,
                description: Some("Reversed: recorded in error"),
                reverses: Some(id),
                ext_id: None,
            })?;
        }
        // Plans: one it agreed is cancelled; one it ended (replaced or cancelled) is live again,
        // and the breach check that follows every correction judges it afresh.
        let plans: Vec<(i64, PlanState)> = self.db().query_map(
            "SELECT p.id, 'cancelled' FROM plans p WHERE p.action_id = ?1
                 UNION ALL
                 SELECT e.plan_id, 'live' FROM plan_events e
                 WHERE e.plan_id IN (SELECT id FROM plans WHERE tenancy_id = ?2)
                   AND e.batch_id = ?3 AND e.state IN ('replaced', 'cancelled')",
            params![action_id, tenancy_id, batch],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (plan_id, state) in plans {
            self.plan_event(&NewPlanEvent {
                plan_id,
                on_date: by.at.date(),
                state,
                expected: None,
                actual: None,
                reason: why,
            })?;
        }
        Ok(())
    }
}
