//! Plan monitoring: every active (live or breached) plan re-checked against its account's
//! balance for a given day, recording a `plan_events` row only when the state changes.
//!
//! One query reads the active plans with their balances (kept current by the ledger trigger);
//! the checks run in memory; the changes are written in one transaction. Run it whenever "today"
//! changes (start of day, `--today`) and after a ledger write, for the tenancy written to.

use super::account::PlanRecord;
use super::engine::{Columns, Db, Optional as _};
use super::plans::{CURRENT_PLAN_ORDER, PLAN_SELECT, plan_record};
use super::sql_types::Day;
use super::{Result, Store, Writer};
use crate::domain::Money;
use crate::domain::breach::{self, Standing};
use crate::domain::plan::PlanState;
use crate::domain::plan_schedule::{Lump, PlanBasis};
use chrono::NaiveDate;
use rusqlite::params;
use std::collections::HashMap;

/// A plan whose state changed, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanChange {
    pub plan_id: i64,
    pub tenancy_id: i64,
    pub from: PlanState,
    pub to: PlanState,
    pub expected: Money,
    pub actual: Money,
}

/// A tenancy's active plan and where it stands on a day, for the plan pane.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanStanding {
    pub plan: PlanRecord,
    pub standing: Standing,
    /// "on track: £12.00 ahead", "behind by £30.00 since the payment due 01/11/2026", ...
    pub wording: String,
}

/// Which plans to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Tenancy(i64),
}

impl Store {
    /// Checks the active plans in `scope` on `today` and records each change of state as `officer`
    /// (nothing is written when nothing changed). Returns the changes recorded.
    pub fn monitor_plans(
        &mut self,
        officer: &str,
        today: NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<Vec<PlanChange>> {
        let found = changes(self.db(), today, tolerance_days, scope)?;
        if found.is_empty() {
            return Ok(Vec::new());
        }
        self.write(officer, "monitor", |w| w.record_changes(&found, today))
    }

    /// The state the breach check would record on `today` for each plan in `scope` whose state
    /// would change, by plan id, without recording it: the command line shows what the
    /// workstation would show once opened, and a read stays a read.
    pub fn judge_plans(
        &self,
        today: NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<HashMap<i64, PlanState>> {
        judged(self.db(), today, tolerance_days, scope)
    }

    /// Where the tenancy's latest plan stands on `today`, if it is active (live or breached).
    /// Only a read: [`Store::monitor_plans`] records changes of state.
    pub fn plan_standing(
        &self,
        tenancy_id: i64,
        today: NaiveDate,
        tolerance_days: u32,
    ) -> Result<Option<PlanStanding>> {
        let row = self
            .db()
            .prepare_cached(&format!(
                "{PLAN_SELECT} WHERE p.tenancy_id = ?1 ORDER BY {CURRENT_PLAN_ORDER} LIMIT 1"
            ))?
            .query_row([tenancy_id], |r| {
                Ok((
                    plan_record(r)?,
                    r.get::<_, Money>(16)?,
                    r.get::<_, Money>(19)?,
                ))
            })
            .optional()?;
        Ok(row
            .filter(|(plan, _, _)| plan.state.is_active())
            .map(|(plan, growth, balance)| {
                let basis = basis(&plan, growth);
                let standing = breach::check(
                    &basis,
                    plan.terms.instalment,
                    balance,
                    today,
                    tolerance_days,
                );
                PlanStanding {
                    wording: standing.wording(&basis, plan.terms.instalment),
                    standing,
                    plan,
                }
            }))
    }
}

impl Writer<'_> {
    /// [`Store::monitor_plans`] inside an open write, e.g. in the transaction of a payment.
    pub fn monitor_plans(
        &mut self,
        today: NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<Vec<PlanChange>> {
        let found = changes(self.db(), today, tolerance_days, scope)?;
        self.record_changes(&found, today)
    }

    /// Appends each change unless the plan gained another event since it was read (a second
    /// terminal got there first); returns those recorded.
    fn record_changes(
        &mut self,
        found: &[(PlanChange, Option<i64>)],
        today: NaiveDate,
    ) -> Result<Vec<PlanChange>> {
        let batch = self.batch_id();
        let mut recorded = Vec::with_capacity(found.len());
        for (change, last_event) in found {
            let inserted = self.db().changes(
                "INSERT INTO plan_events (plan_id, on_date, state, expected, actual, reason, batch_id)
                 SELECT ?1, ?2, ?3, ?4, ?5, 'breach check', ?6
                 WHERE (SELECT max(id) FROM plan_events WHERE plan_id = ?1) IS NOT DISTINCT FROM ?7",
                params![
                change.plan_id,
                Day(today),
                change.to,
                change.expected,
                change.actual,
                    batch,
                    last_event
                ],
            )?;
            if inserted == 1 {
                recorded.push(*change);
            }
        }
        Ok(recorded)
    }
}

/// The terms a stored plan was agreed on, as the breach check reads them.
fn basis(plan: &PlanRecord, weekly_growth: Money) -> PlanBasis {
    PlanBasis {
        arrears: plan.terms.starting_balance,
        frequency: plan.terms.frequency,
        start: plan.terms.start,
        lump: plan.terms.lump_date.map(|date| Lump {
            amount: plan.terms.lump_sum,
            date,
        }),
        weekly_growth,
    }
}

impl super::engine::Server {
    /// Each active plan whose state the breach check would change on `today` (see
    /// [`Store::judge_plans`]): only a read.
    pub fn judge_plans(
        &self,
        today: NaiveDate,
        tolerance_days: u32,
        scope: Scope,
    ) -> Result<HashMap<i64, PlanState>> {
        self.read_only(|db| judged(db, today, tolerance_days, scope))
    }
}

/// The state the breach check would record for each plan whose state would change, by plan id.
fn judged(
    db: Db<'_>,
    today: NaiveDate,
    tolerance_days: u32,
    scope: Scope,
) -> Result<HashMap<i64, PlanState>> {
    let found = changes(db, today, tolerance_days, scope)?;
    Ok(found.into_iter().map(|(c, _)| (c.plan_id, c.to)).collect())
}

/// The active plans whose state on `today` differs from their latest event, each with the id of
/// that event.
fn changes(
    db: Db<'_>,
    today: NaiveDate,
    tolerance_days: u32,
    scope: Scope,
) -> Result<Vec<(PlanChange, Option<i64>)>> {
    let (filter, id) = match scope {
        Scope::All => ("", None),
        Scope::Tenancy(id) => ("AND p.tenancy_id = ?1", Some(id)),
    };
    let sql =
        format!("{PLAN_SELECT} WHERE coalesce(e.state, 'live') IN ('live', 'breached') {filter}");
    let args: Vec<&dyn rusqlite::ToSql> = id.iter().map(|id| id as _).collect();
    let mut found = Vec::new();
    db.each(&sql, &args, |r| {
        let plan = plan_record(r)?;
        let standing = breach::check(
            &basis(&plan, r.get(16)?),
            plan.terms.instalment,
            r.get(19)?,
            today,
            tolerance_days,
        );
        if standing.state != plan.state {
            found.push((
                PlanChange {
                    plan_id: plan.id,
                    tenancy_id: r.get(20)?,
                    from: plan.state,
                    to: standing.state,
                    expected: standing.expected,
                    actual: standing.actual,
                },
                r.get(18)?,
            ));
        }
        Ok(())
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::EntryKind;
    use crate::domain::plan::{Frequency, PlanKind, PlanTerms};
    use crate::store::NewPlan;
    use crate::store::tests::{add_tenancy, d, entry, on_each_engine};

    #[test]
    fn a_change_another_terminal_recorded_first_is_not_recorded_twice() {
        on_each_engine("monitor_twice", |_, store| {
            let (t, a) = add_tenancy(store, "T1");
            let plan = store
                .write("tester", "test", |w| {
                    w.append_entry(&entry(a, "2026-10-19", EntryKind::Charge, 100))?;
                    w.add_plan(&NewPlan {
                        tenancy_id: t,
                        account_id: a,
                        terms: PlanTerms {
                            kind: PlanKind::Informal,
                            frequency: Frequency::Weekly,
                            start: d("2026-11-02"),
                            instalment: Money::pounds(10),
                            lump_sum: Money::ZERO,
                            lump_date: None,
                            starting_balance: Money::pounds(100),
                            method: None,
                        },
                        replaces: None,
                        reason: "",
                        at: d("2026-10-30").and_hms_opt(9, 0, 0).unwrap(),
                        officer: "tester",
                        ext_id: None,
                    })
                })
                .unwrap();
            let today = d("2026-11-09");
            let seen = changes(store.db(), today, 5, Scope::All).unwrap();
            assert_eq!(seen.len(), 1);
            // Meanwhile another terminal records the breach.
            store.monitor_plans("other", today, 5, Scope::All).unwrap();
            let recorded = store
                .write("tester", "monitor", |w| w.record_changes(&seen, today))
                .unwrap();
            assert!(recorded.is_empty());
            let events: i64 = store
                .db()
                .query_one(
                    "SELECT count(*) FROM plan_events WHERE plan_id = ?1",
                    &[&plan],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(events, 2);
        });
    }
}
