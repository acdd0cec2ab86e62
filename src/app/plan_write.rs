//! The writes of the plan editor and the I&E form: a new plan version, a cancelled plan, an
//! income and expenditure assessment. Each also leaves an action, so the case history shows it.

use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::affordability::{Affordability, Statement};
use crate::domain::dates::uk;
use crate::domain::plan_draft::ReadyPlan;
use crate::store::{self, NewAssessment, NewPlan, PlanVersion, Writer};
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanWrite {
    /// A new plan version, replacing whatever the replacement rules say it replaces.
    Version {
        tenancy_id: i64,
        account_id: i64,
        plan: Box<ReadyPlan>,
        /// The I&E comparison when the instalment is above what it leaves (flagged, not refused).
        flagged: Option<Affordability>,
    },
    Cancel {
        tenancy_id: i64,
        plan_id: i64,
        reason: String,
    },
    Assessment {
        tenancy_id: i64,
        assessed_on: NaiveDate,
        statement: Statement,
        note: String,
    },
}

/// Appends an action to the contact log (the caller's, so codes and officer are as for any write).
pub type Log<'l> = &'l dyn Fn(&mut Writer<'_>, ActionKind, &str) -> store::Result<()>;

impl PlanWrite {
    pub fn tenancy_id(&self) -> i64 {
        match self {
            PlanWrite::Version { tenancy_id, .. }
            | PlanWrite::Cancel { tenancy_id, .. }
            | PlanWrite::Assessment { tenancy_id, .. } => *tenancy_id,
        }
    }

    /// What the status line says once it is saved.
    pub fn done(&self) -> String {
        match self {
            PlanWrite::Version { plan, .. } => format!("Plan saved: {}.", terms(plan)),
            PlanWrite::Cancel { .. } => "Plan cancelled.".into(),
            PlanWrite::Assessment { statement, .. } => format!(
                "Income and expenditure saved: {} a month left for the plan.",
                statement.totals().available_for_plan.format_balance()
            ),
        }
    }

    pub fn apply(
        &self,
        w: &mut Writer<'_>,
        now: NaiveDateTime,
        officer: &str,
        log: Log<'_>,
    ) -> store::Result<()> {
        match self {
            PlanWrite::Version {
                tenancy_id,
                account_id,
                plan,
                flagged,
            } => {
                let basis = &plan.plan.basis;
                let lump = basis.active_lump();
                let saved = w.save_plan_version(&PlanVersion {
                    plan: NewPlan {
                        tenancy_id: *tenancy_id,
                        account_id: *account_id,
                        kind: plan.kind,
                        frequency: basis.frequency,
                        start: basis.start,
                        instalment: plan.plan.instalment,
                        lump_sum: lump.map_or(Money::ZERO, |l| l.amount),
                        lump_date: lump.map(|l| l.date),
                        starting_balance: basis.arrears,
                        method: plan.method,
                        replaces: None,
                        reason: &plan.reason,
                        at: now,
                        officer,
                        ext_id: None,
                    },
                    weekly_growth: basis.weekly_growth,
                    court_order: plan.court_order,
                })?;
                // Named as the officer knows them (kind and day agreed), never by internal number.
                let replaced = match saved.replaced.as_slice() {
                    [] => String::new(),
                    plans => format!(
                        ", replacing {}",
                        plans
                            .iter()
                            .map(|p| format!(
                                "the {} plan agreed {}",
                                p.kind.label().to_lowercase(),
                                uk(p.agreed_on)
                            ))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                };
                let flag = flagged.map_or(String::new(), |a| format!(" ({})", a.wording()));
                log(
                    w,
                    ActionKind::PlanAgreed,
                    &format!(
                        "{}{replaced}{flag}. Why: {}",
                        capitalised(&terms(plan)),
                        plan.reason
                    ),
                )
            }
            PlanWrite::Cancel {
                plan_id, reason, ..
            } => {
                w.cancel_plan(*plan_id, now.date(), reason)?;
                log(w, ActionKind::PlanCancelled, reason.trim())
            }
            PlanWrite::Assessment {
                tenancy_id,
                assessed_on,
                statement,
                note,
            } => {
                w.add_assessment(&NewAssessment {
                    tenancy_id: *tenancy_id,
                    assessed_on: *assessed_on,
                    statement,
                    note,
                    officer,
                    at: now,
                })?;
                let t = statement.totals();
                log(
                    w,
                    ActionKind::IncomeExpenditure,
                    &format!(
                        "Assessed {}: income {}, outgoings {}, {} a month left for the plan",
                        uk(*assessed_on),
                        t.income,
                        t.fixed_costs + t.flexible_costs + t.savings + t.other_priority_debts,
                        t.available_for_plan.format_balance()
                    ),
                )
            }
        }
    }
}

/// The first letter in capitals, as a line of the history starts.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A plan's terms in a line: "informal plan, £15.00 a week from 27/11/2026, 67 instalments (the
/// last £10.00), clears by 03/03/2028".
pub fn terms(ready: &ReadyPlan) -> String {
    let p = &ready.plan;
    let b = &p.basis;
    let lump = b.active_lump().map_or(String::new(), |l| {
        format!(", lump sum {} on {}", l.amount, uk(l.date))
    });
    let method = ready
        .method
        .map_or(String::new(), |m| format!(" by {}", m.label()));
    let count = match p.count {
        1 => "one payment".to_string(),
        n => format!("{n} instalments (the last {})", p.last),
    };
    format!(
        "{} plan, {} {} from {}{method}{lump}, {count}, clears by {}",
        ready.kind.label().to_lowercase(),
        p.instalment,
        b.frequency.per(),
        uk(b.start),
        uk(p.clear_by())
    )
}
