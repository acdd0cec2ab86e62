//! Writes of payment plans: each version is a row, each change of state an event row.

use super::sql_types::{Day, Moment};
use super::{Result, Writer};
use crate::domain::Money;
use crate::domain::ledger::PaymentMethod;
use crate::domain::plan::{Frequency, PlanKind, PlanState};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

pub struct NewPlan<'a> {
    pub tenancy_id: i64,
    pub account_id: i64,
    pub kind: PlanKind,
    pub frequency: Frequency,
    pub start: NaiveDate,
    pub instalment: Money,
    pub lump_sum: Money,
    pub lump_date: Option<NaiveDate>,
    /// What was owed when the plan was agreed.
    pub starting_balance: Money,
    pub method: Option<PaymentMethod>,
    /// The version this one replaces.
    pub replaces: Option<i64>,
    pub reason: &'a str,
    pub at: NaiveDateTime,
    pub officer: &'a str,
    pub ext_id: Option<&'a str>,
}

pub struct NewPlanEvent<'a> {
    pub plan_id: i64,
    pub on_date: NaiveDate,
    pub state: PlanState,
    pub expected: Option<Money>,
    pub actual: Option<Money>,
    pub reason: &'a str,
}

impl Writer<'_> {
    /// Saves a plan version and its first state, `live` from its start.
    pub fn add_plan(&mut self, p: &NewPlan<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO plans (tenancy_id, account_id, kind, frequency, start_date, instalment,
                   lump_sum, lump_date, starting_balance, method, replaces, reason, at, officer,
                   ext_id, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                p.tenancy_id,
                p.account_id,
                p.kind,
                p.frequency,
                Day(p.start),
                p.instalment,
                p.lump_sum,
                p.lump_date.map(Day),
                p.starting_balance,
                p.method,
                p.replaces,
                p.reason,
                Moment(p.at),
                p.officer,
                p.ext_id,
                self.batch_id()
            ])?;
        let plan_id = self.tx().last_insert_rowid();
        self.plan_event(&NewPlanEvent {
            plan_id,
            on_date: p.start,
            state: PlanState::Live,
            expected: None,
            actual: None,
            reason: "agreed",
        })?;
        Ok(plan_id)
    }

    /// Records a change of a plan's state, with the expected and actual balance behind it.
    pub fn plan_event(&mut self, e: &NewPlanEvent<'_>) -> Result<i64> {
        self.tx()
            .prepare_cached(
                "INSERT INTO plan_events (plan_id, on_date, state, expected, actual, reason, batch_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                e.plan_id,
                Day(e.on_date),
                e.state,
                e.expected,
                e.actual,
                e.reason,
                self.batch_id()
            ])?;
        Ok(self.tx().last_insert_rowid())
    }
}
