//! The team's numbers kept week by week for the trends, and back-filled from the ledger and the
//! action log on first use. A kept week is derived data: it is forgotten and worked out again
//! when something dated in or before it arrives later (an import of old entries, a correction).

use super::engine::{Columns as _, Dialect};
use super::sql_types::Day;
use super::{Result, Store};
use crate::domain::dates::week_start;
use crate::domain::kpi::{Group, Tally};
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::BTreeMap;

/// The newest row id of each table the weeks are worked out from, in `kpi_marks` order.
const MARKS: &str = "SELECT coalesce((SELECT max(id) FROM ledger), 0),
    coalesce((SELECT max(id) FROM actions), 0), coalesce((SELECT max(id) FROM corrections), 0),
    coalesce((SELECT max(id) FROM notices), 0), coalesce((SELECT max(id) FROM court_events), 0)";

/// The earliest date touched by rows added after the marks `?1`..`?5`.
fn earliest_since(dialect: Dialect) -> String {
    let day = |at: &str| dialect.day_of(at);
    format!(
        "SELECT min(d) FROM (
           SELECT min(date) AS d FROM ledger WHERE id > ?1
           UNION ALL SELECT min({}) FROM actions WHERE id > ?2
           UNION ALL SELECT min({}) FROM corrections c JOIN actions a ON a.id = c.action_id
                     WHERE c.id > ?3
           UNION ALL SELECT min(served_on) FROM notices WHERE id > ?4
           UNION ALL SELECT min(on_date) FROM court_events WHERE id > ?5) AS added",
        day("at"),
        day("a.at")
    )
}

impl Store {
    /// Each rent week from `first` (a Monday) up to but not including `end`, with its patch and
    /// officer groups: the weeks kept already, the rest worked out now and kept. On a file that
    /// cannot be written (read-only, or busy) the weeks are worked out and not kept.
    pub fn kpi_weeks(
        &mut self,
        first: NaiveDate,
        end: NaiveDate,
        promise_tolerance: u32,
    ) -> Result<BTreeMap<NaiveDate, Vec<Group>>> {
        let writable = self.forget_stale_kpi_weeks().is_ok();
        let mut weeks = self.kept_kpi_weeks(first, end)?;
        let mondays: Vec<NaiveDate> = first.iter_weeks().take_while(|week| *week < end).collect();
        // From the first week not kept to the end, in one pass (usually all of them, or the
        // newest, or those after an older entry arrived); only the missing ones are kept.
        if let Some(from) = mondays.iter().position(|week| !weeks.contains_key(week)) {
            let worked =
                self.kpi_week_groups(mondays[from], mondays.len() - from, promise_tolerance)?;
            let missing: Vec<(NaiveDate, Vec<Group>)> = mondays[from..]
                .iter()
                .copied()
                .zip(worked)
                .filter(|(week, _)| !weeks.contains_key(week))
                .collect();
            if writable {
                // Kept only when it can be: the figures are the same either way.
                let _ = self.keep_kpi_weeks(&missing);
            }
            weeks.extend(missing);
        }
        Ok(weeks)
    }

    /// The weeks from `first` up to but not including `end` that are kept and still hold (none
    /// is worked out here).
    pub fn kpi_kept_weeks(
        &mut self,
        first: NaiveDate,
        end: NaiveDate,
    ) -> Result<BTreeMap<NaiveDate, Vec<Group>>> {
        // Forgotten only when it can be: on a file that cannot be written no week is kept.
        if self.forget_stale_kpi_weeks().is_err() {
            return Ok(BTreeMap::new());
        }
        self.kept_kpi_weeks(first, end)
    }

    fn kept_kpi_weeks(
        &self,
        first: NaiveDate,
        end: NaiveDate,
    ) -> Result<BTreeMap<NaiveDate, Vec<Group>>> {
        let mut weeks: BTreeMap<NaiveDate, Vec<Group>> = BTreeMap::new();
        self.db().each(
            "SELECT week, patch, officer, tally FROM kpi_weeks WHERE week >= ?1 AND week < ?2",
            &[&Day(first), &Day(end)],
            |r| {
                let text: String = r.get(3)?;
                // A row this version cannot read is worked out again rather than trusted.
                let Ok(tally) = serde_json::from_str::<Tally>(&text) else {
                    return Ok(());
                };
                weeks.entry(r.get::<_, Day>(0)?.0).or_default().push(Group {
                    patch: r.get(1)?,
                    officer: r.get(2)?,
                    tally,
                });
                Ok(())
            },
        )?;
        Ok(weeks)
    }

    /// Keeps weeks worked out, in one transaction.
    fn keep_kpi_weeks(&mut self, weeks: &[(NaiveDate, Vec<Group>)]) -> Result<()> {
        self.transaction(|db| {
            for (week, groups) in weeks {
                for g in groups {
                    let tally = serde_json::to_string(&g.tally)
                        .map_err(|e| super::StoreError::Invalid(e.to_string()))?;
                    db.execute(
                        "INSERT INTO kpi_weeks (week, patch, officer, tally) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (week, patch, officer) DO UPDATE SET tally = excluded.tally",
                        params![Day(*week), g.patch, g.officer, tally],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Forgets every kept week on or after the earliest week that rows added since the last
    /// check touch, and notes where each table ends now.
    fn forget_stale_kpi_weeks(&mut self) -> Result<()> {
        self.transaction(|db| {
            let now: [i64; 5] = db.query_one(MARKS, &[], |r| {
                Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
            })?;
            let marks: Option<[i64; 5]> = db.query_opt(
                "SELECT ledger, actions, corrections, notices, court FROM kpi_marks",
                &[],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
            )?;
            match marks {
                Some(marks) if marks == now => return Ok(()),
                Some(marks) => {
                    let earliest: Option<Day> =
                        db.query_one(&earliest_since(db.dialect()), &params_from(&marks), |r| {
                            r.get(0)
                        })?;
                    if let Some(Day(date)) = earliest {
                        db.execute(
                            "DELETE FROM kpi_weeks WHERE week >= ?1",
                            &[&Day(week_start(date))],
                        )?;
                    }
                }
                // Weeks kept before any mark (there are none, but a file is not to be trusted).
                None => {
                    db.execute("DELETE FROM kpi_weeks", &[])?;
                }
            }
            db.execute(
                "INSERT INTO kpi_marks (id, ledger, actions, corrections, notices, court)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET ledger = excluded.ledger,
                   actions = excluded.actions, corrections = excluded.corrections,
                   notices = excluded.notices, court = excluded.court",
                &params_from(&now),
            )
        })
    }
}

fn params_from(m: &[i64; 5]) -> [&dyn rusqlite::ToSql; 5] {
    [&m[0], &m[1], &m[2], &m[3], &m[4]]
}
