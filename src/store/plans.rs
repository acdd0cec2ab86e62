//! Payment plans: each version is a row, each change of state an event row. Saving a version
//! applies the replacement rules; cancelling needs a reason; the history keeps every version.

use super::account::PlanRecord;
use super::engine::{Columns, Db};
use super::sql_types::{Day, Moment, day, opt_day};
use super::{Result, Store, StoreError, Writer};
use crate::domain::Money;
use crate::domain::plan::{self, ActivePlan, PlanKind, PlanState, PlanTerms};
use crate::domain::plan_schedule::{Lump, PlanBasis};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

pub struct NewPlan<'a> {
    pub tenancy_id: i64,
    pub account_id: i64,
    pub terms: PlanTerms,
    /// The version this one replaces.
    pub replaces: Option<i64>,
    pub reason: &'a str,
    pub at: NaiveDateTime,
    pub officer: &'a str,
    pub ext_id: Option<&'a str>,
}

/// A plan version an officer agrees: its terms, the growth of the debt it was agreed against,
/// and for a court plan the court order (outcome) it carries out. `plan.replaces` is decided by
/// the replacement rules, not taken from the caller.
pub struct PlanVersion<'a> {
    pub plan: NewPlan<'a>,
    pub weekly_growth: Money,
    pub court_order: Option<i64>,
    /// The record it belongs to.
    pub action_id: Option<i64>,
}

/// What saving a version did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedPlan {
    pub plan_id: i64,
    /// The versions it replaced (each now has a `replaced` event).
    pub replaced: Vec<ActivePlan>,
}

pub struct NewPlanEvent<'a> {
    pub plan_id: i64,
    pub on_date: NaiveDate,
    pub state: PlanState,
    pub expected: Option<Money>,
    pub actual: Option<Money>,
    pub reason: &'a str,
}

/// One plan version with everything that happened to it, for the plan history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanHistory {
    pub plan: PlanRecord,
    pub account_id: i64,
    pub replaces: Option<i64>,
    pub weekly_growth: Money,
    pub court_order: Option<i64>,
    /// Oldest first.
    pub events: Vec<PlanEventRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEventRecord {
    pub id: i64,
    pub on_date: NaiveDate,
    pub state: PlanState,
    pub expected: Option<Money>,
    pub actual: Option<Money>,
    pub reason: String,
    /// Who recorded it and when (UTC), from its batch.
    pub officer: String,
    pub recorded_at: String,
}

/// The columns of a plan version with its latest state, in the order [`plan_record`] reads them,
/// then (14) its account, (15) the version it replaced, (16) the weekly growth, (17) the court
/// order, (18) its latest event, (19) its account's balance now and (20) its tenancy. Callers add
/// `WHERE` and `ORDER BY`.
pub(super) const PLAN_SELECT: &str =
    "SELECT p.id, p.kind, p.frequency, p.start_date, p.instalment, p.lump_sum, p.lump_date,
        p.starting_balance, p.method, p.at, p.officer, p.reason,
        coalesce(e.state, 'live'), coalesce(e.on_date, p.start_date),
        p.account_id, p.replaces, p.weekly_growth, p.court_event_id,
        e.id, (SELECT balance FROM accounts WHERE id = p.account_id), p.tenancy_id
     FROM plans p
     LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)";

/// The current plan of a tenancy is the one agreed last (then the one recorded last): a plan the
/// housing system sends late, agreed before one agreed in caseload, does not take its place.
pub(super) const CURRENT_PLAN_ORDER: &str = "p.at DESC, p.id DESC";

/// A query of the row ids of each tenancy's current plan among the plans `filter` leaves.
pub(super) fn current_plans(filter: &str) -> String {
    format!(
        "SELECT id FROM (SELECT id, row_number() OVER
           (PARTITION BY tenancy_id ORDER BY at DESC, id DESC) AS n FROM plans {filter}) AS ranked
         WHERE n = 1"
    )
}

/// A plan's terms from eight columns in [`PlanTerms`]' field order, from column `at`: the store's
/// plan rows and the import's read them the same way.
pub(super) fn plan_terms(r: &impl Columns, at: usize) -> rusqlite::Result<PlanTerms> {
    Ok(PlanTerms {
        kind: r.get(at)?,
        frequency: r.get(at + 1)?,
        start: day(r, at + 2)?,
        instalment: r.get(at + 3)?,
        lump_sum: r.get(at + 4)?,
        lump_date: opt_day(r, at + 5)?,
        starting_balance: r.get(at + 6)?,
        method: r.get(at + 7)?,
    })
}

/// Reads the first 14 columns of [`PLAN_SELECT`] and the court order.
pub(super) fn plan_record(r: &impl Columns) -> rusqlite::Result<PlanRecord> {
    Ok(PlanRecord {
        id: r.get(0)?,
        terms: plan_terms(r, 1)?,
        court_order: r.get(17)?,
        at: r.get::<_, Moment>(9)?.0,
        officer: r.get(10)?,
        reason: r.get(11)?,
        state: r.get(12)?,
        state_on: day(r, 13)?,
    })
}

impl Writer<'_> {
    /// Saves a plan version and its first state, `live` from its start, as given (an import):
    /// no replacement rules are applied.
    pub fn add_plan(&mut self, p: &NewPlan<'_>) -> Result<i64> {
        self.insert_plan(p, Money::ZERO, None, None)
    }

    /// Saves a new plan version agreed by an officer: checks its terms (a plan that never clears
    /// is refused), applies the replacement rules (a court plan replaces everything; an informal
    /// plan replaces the active informal one and is refused while a court plan is active) and
    /// marks each replaced version `replaced`. The reason is required: every version says why.
    pub fn save_plan_version(&mut self, v: &PlanVersion<'_>) -> Result<SavedPlan> {
        let p = &v.plan;
        let invalid = |m: String| Err(StoreError::Invalid(m));
        if p.reason.trim().is_empty() {
            return invalid("say why this plan is being made (e.g. agreed on the phone)".into());
        }
        let lump = match (p.terms.lump_sum.is_zero(), p.terms.lump_date) {
            (true, _) => None,
            (false, Some(date)) => Some(Lump {
                amount: p.terms.lump_sum,
                date,
            }),
            (false, None) => return invalid("give the date the lump sum will be paid".into()),
        };
        let basis = PlanBasis {
            arrears: p.terms.starting_balance,
            frequency: p.terms.frequency,
            start: p.terms.start,
            lump,
            weekly_growth: v.weekly_growth,
        };
        basis
            .solve_instalment(p.terms.instalment)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.check_court_order(p, v.court_order)?;
        let active = active_plans(self.db(), p.tenancy_id)?;
        let replaced: Vec<ActivePlan> = plan::replaced_by(p.terms.kind, &active)
            .map_err(|e| StoreError::Invalid(e.to_string()))?
            .into_iter()
            .filter_map(|id| active.iter().find(|a| a.id == id).copied())
            .collect();
        let plan_id = self.insert_plan(
            &NewPlan {
                replaces: replaced.iter().map(|a| a.id).max(),
                ..*p
            },
            v.weekly_growth,
            v.court_order,
            v.action_id,
        )?;
        let why = format!("replaced by plan {plan_id}: {}", p.reason.trim());
        for old in &replaced {
            self.plan_event(&NewPlanEvent {
                plan_id: old.id,
                on_date: p.at.date(),
                state: PlanState::Replaced,
                expected: None,
                actual: None,
                reason: &why,
            })?;
        }
        Ok(SavedPlan { plan_id, replaced })
    }

    /// Cancels a live or breached plan on `on`, with the officer's reason and the balance then.
    pub fn cancel_plan(&mut self, plan_id: i64, on: NaiveDate, reason: &str) -> Result<i64> {
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "say why the plan is being cancelled".into(),
            ));
        }
        let (state, balance): (PlanState, Money) = self.db().query_opt("SELECT coalesce(e.state, 'live'), a.balance FROM plans p
                 JOIN accounts a ON a.id = p.account_id
                 LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)
                 WHERE p.id = ?1", &[&plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .ok_or_else(|| StoreError::Invalid(format!("there is no plan {plan_id}")))?;
        if !state.is_active() {
            return Err(StoreError::Invalid(format!(
                "plan {plan_id} is already {}: only a live or breached plan can be cancelled",
                state.label().to_lowercase()
            )));
        }
        self.plan_event(&NewPlanEvent {
            plan_id,
            on_date: on,
            state: PlanState::Cancelled,
            expected: None,
            actual: Some(balance),
            reason: reason.trim(),
        })
    }

    /// Records a change of a plan's state, with the expected and actual balance behind it.
    pub fn plan_event(&mut self, e: &NewPlanEvent<'_>) -> Result<i64> {
        let inserted = self.db().insert(
            "INSERT INTO plan_events (plan_id, on_date, state, expected, actual, reason, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                e.plan_id,
                Day(e.on_date),
                e.state,
                e.expected,
                e.actual,
                e.reason,
                self.batch_id()
            ],
        )?;
        Ok(inserted)
    }

    fn insert_plan(
        &mut self,
        p: &NewPlan<'_>,
        weekly_growth: Money,
        court_order: Option<i64>,
        action_id: Option<i64>,
    ) -> Result<i64> {
        let inserted = self.db().insert("INSERT INTO plans (tenancy_id, account_id, kind, frequency, start_date, instalment,
                   lump_sum, lump_date, starting_balance, method, replaces, reason, at, officer,
                   ext_id, batch_id, weekly_growth, court_event_id, action_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                   ?19)", params![
                p.tenancy_id,
                p.account_id,
                p.terms.kind,
                p.terms.frequency,
                Day(p.terms.start),
                p.terms.instalment,
                p.terms.lump_sum,
                p.terms.lump_date.map(Day),
                p.terms.starting_balance,
                p.terms.method,
                p.replaces,
                p.reason,
                Moment(p.at),
                p.officer,
                p.ext_id,
                self.batch_id(),
                weekly_growth,
                court_order,
                action_id
            ])?;
        let plan_id = inserted;
        self.plan_event(&NewPlanEvent {
            plan_id,
            on_date: p.terms.start,
            state: PlanState::Live,
            expected: None,
            actual: None,
            reason: "agreed",
        })?;
        Ok(plan_id)
    }

    /// A court plan must name a court outcome of its own tenancy; an informal plan names none.
    fn check_court_order(&self, p: &NewPlan<'_>, court_order: Option<i64>) -> Result<()> {
        let invalid = |m: &str| Err(StoreError::Invalid(m.into()));
        match (p.terms.kind, court_order) {
            (PlanKind::Informal, None) => Ok(()),
            (PlanKind::Informal, Some(_)) => {
                invalid("only a court plan is linked to a court order")
            }
            (PlanKind::Court, None) => {
                invalid("a court plan must name the court order whose terms it carries out")
            }
            (PlanKind::Court, Some(id)) => {
                let found: Option<i64> = self.db().query_opt(
                    "SELECT id FROM court_events
                         WHERE id = ?1 AND tenancy_id = ?2 AND kind = 'outcome'",
                    params![id, p.tenancy_id],
                    |r| r.get(0),
                )?;
                match found {
                    Some(_) => Ok(()),
                    None => invalid("that court order is not a court outcome of this tenancy"),
                }
            }
        }
    }
}

/// The live and breached plans of a tenancy.
pub(super) fn active_plans(db: Db<'_>, tenancy_id: i64) -> Result<Vec<ActivePlan>> {
    db.query_map(
        &format!(
            "{PLAN_SELECT} WHERE p.tenancy_id = ?1 AND coalesce(e.state, 'live') IN ('live', 'breached')
             ORDER BY p.id"
        ),
        &[&tenancy_id],
        |r| {
            let record = plan_record(r)?;
            Ok(ActivePlan {
                id: record.id,
                kind: record.terms.kind,
                agreed_on: record.at.date(),
            })
        },
    )
}

impl Store {
    /// Every plan version of a tenancy, newest first, each with its events oldest first.
    pub fn plan_history(&self, tenancy_id: i64) -> Result<Vec<PlanHistory>> {
        let mut versions = self
            .db()
            .prepare_cached(&format!(
                "{PLAN_SELECT} WHERE p.tenancy_id = ?1 ORDER BY p.id DESC"
            ))?
            .query_map([tenancy_id], |r| {
                Ok(PlanHistory {
                    plan: plan_record(r)?,
                    account_id: r.get(14)?,
                    replaces: r.get(15)?,
                    weekly_growth: r.get(16)?,
                    court_order: r.get(17)?,
                    events: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.db().prepare_cached(
            "SELECT e.id, e.on_date, e.state, e.expected, e.actual, e.reason, b.officer, b.at
             FROM plan_events e JOIN batches b ON b.id = e.batch_id
             WHERE e.plan_id = ?1 ORDER BY e.id",
        )?;
        for version in &mut versions {
            version.events = stmt
                .query_map([version.plan.id], |r| {
                    Ok(PlanEventRecord {
                        id: r.get(0)?,
                        on_date: day(r, 1)?,
                        state: r.get(2)?,
                        expected: r.get(3)?,
                        actual: r.get(4)?,
                        reason: r.get(5)?,
                        officer: r.get(6)?,
                        recorded_at: r.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(versions)
    }
}
