//! The facts the queue ranks every tenancy by: the tenancy's figures and flags, its rent account
//! summary, and the case facts the policy needs (latest actions, notice, plan, court, pauses, call
//! back). All come from trigger-kept summaries (accounts, last_actions, case_summary) and the
//! recent promises, never from scanning ledgers or grouping every record.

use super::sql_types::{Moment, day, opt_day};
use super::tenancy::{ACCOUNT_SELECT, SubAccount, sub_account};
use super::{Result, Store};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::arrears::AccountSummary;
use crate::domain::contact::CallBack;
use crate::domain::plan::{Instalments, PlanState};
use crate::domain::policy::{Court, Order, PlanFact, start_of};
use crate::domain::promise::{Judging, Promise};
use crate::domain::recovery::CourtOutcome;
use crate::domain::tenancy::{DebtType, Flags, Tenure};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row};
use std::collections::HashMap;

/// What a tenancy is ranked by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueFacts {
    pub tenancy_id: i64,
    pub tenure: Tenure,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub weekly_charge: Money,
    /// Flags without the vulnerability reason, which the opened account shows.
    pub flags: Flags,
    pub rent: AccountSummary,
    /// What is owed on every debt other than rent.
    pub other_debts: Money,
    /// The other debts this tenancy has a balance on (garage, rechargeable repairs...).
    pub debt_types: Vec<DebtType>,
    pub case: CaseFacts,
}

impl QueueFacts {
    /// The current plan in the state `judged` gives it (see [`Store::judge_plans`]) as of `today`.
    pub fn judge_plan(&mut self, judged: &HashMap<i64, PlanState>, today: NaiveDate) {
        if let (Some(id), Some(plan)) = (self.case.plan_id, self.case.plan.as_mut())
            && let Some(&state) = judged.get(&id)
        {
            plan.state = state;
            plan.since = start_of(today);
        }
    }
}

/// The recovery side of a tenancy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// The latest action of each kind.
    pub latest: Vec<(ActionKind, NaiveDateTime)>,
    /// When the most recent notice was served.
    pub notice: Option<NaiveDate>,
    /// The current plan (the one agreed last) and its latest state.
    pub plan: Option<PlanFact>,
    /// The current plan's row id.
    pub plan_id: Option<i64>,
    pub court: Court,
    /// The pause and snooze in force: of caseload's latest and the housing system's latest, the
    /// later end (either may have ended).
    pub paused_until: Option<NaiveDate>,
    pub snoozed_until: Option<NaiveDate>,
    /// Why it was snoozed (empty when no reason was given).
    pub snooze_reason: String,
    /// Why it was paused (empty when no reason was given).
    pub pause_reason: String,
    /// The current plan's instalments.
    pub instalments: Option<Instalments>,
    /// The latest call back asked for (made or not: see [`CallBack::made`]).
    pub call_back: Option<CallBack>,
    /// The latest series of promises to pay, in date order, each with what was paid towards it.
    pub promises: Vec<(Promise, Money)>,
}

/// Each tenancy's own columns and its case summary (kept by the database: see migration 011),
/// in id order.
const FACTS_SELECT: &str = "SELECT t.id, t.tenure, t.start_date, t.end_date, t.weekly_charge, t.uc,
        t.hb, t.vulnerable, t.breathing_space_until, t.deceased, t.interpreter,
        s.notice, s.plan_id, s.plan_kind, s.plan_start, s.plan_frequency, s.plan_instalment,
        s.plan_state, s.plan_since, s.hearing, s.order_outcome, s.order_date, s.order_terms,
        s.warrant_applied, s.eviction_date,
        s.own_pause_until, s.own_pause_reason, s.ext_pause_until, s.ext_pause_reason,
        s.own_snooze_until, s.own_snooze_reason, s.ext_snooze_until, s.ext_snooze_reason,
        s.call_back_asked, s.call_back_at
    FROM tenancies t LEFT JOIN case_summary s ON s.tenancy_id = t.id";

/// Every tenancy's facts but its accounts, latest actions and promises (see [`read_rest`]).
fn read_tenancies(conn: &Connection, id: Option<i64>, judging: Judging) -> Result<Vec<QueueFacts>> {
    let filter = id.map_or(" ORDER BY t.id".to_string(), |id| {
        format!(" WHERE t.id = {id}")
    });
    let mut stmt = conn.prepare_cached(&format!("{FACTS_SELECT}{filter}"))?;
    let call_backs_from = start_of(judging.horizon());
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(QueueFacts {
            tenancy_id: row.get(0)?,
            tenure: row.get(1)?,
            start: day(row, 2)?,
            end: opt_day(row, 3)?,
            weekly_charge: row.get(4)?,
            flags: Flags {
                universal_credit: row.get(5)?,
                housing_benefit: row.get(6)?,
                vulnerable: row.get(7)?,
                vulnerability: None,
                vulnerability_category: None,
                breathing_space_until: opt_day(row, 8)?,
                deceased: row.get(9)?,
                interpreter: row.get(10)?,
            },
            rent: AccountSummary::default(),
            other_debts: Money::ZERO,
            debt_types: Vec::new(),
            case: case_of(row, call_backs_from)?,
        });
    }
    Ok(out)
}

/// The case summary's columns of a [`FACTS_SELECT`] row.
fn case_of(row: &Row<'_>, call_backs_from: NaiveDateTime) -> rusqlite::Result<CaseFacts> {
    let plan_id: Option<i64> = row.get(12)?;
    let (plan, instalments) = match plan_id {
        Some(_) => {
            let start = day(row, 14)?;
            (
                Some(PlanFact {
                    kind: row.get(13)?,
                    start: start_of(start),
                    state: row.get(17)?,
                    since: start_of(day(row, 18)?),
                }),
                Some(Instalments {
                    frequency: row.get(15)?,
                    start,
                    amount: row.get(16)?,
                }),
            )
        }
        None => (None, None),
    };
    let order = match row.get::<_, Option<CourtOutcome>>(20)? {
        Some(outcome) => Some(Order {
            outcome,
            date: opt_day(row, 21)?,
            terms: row.get(22)?,
        }),
        None => None,
    };
    // Of caseload's own pause (or snooze) and the housing system's, the later end holds.
    let side = |at: usize| -> rusqlite::Result<Option<(NaiveDate, String)>> {
        Ok(match opt_day(row, at)? {
            Some(until) => Some((
                until,
                row.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
            )),
            None => None,
        })
    };
    let later =
        |own: Option<(NaiveDate, String)>, ext: Option<(NaiveDate, String)>| match (own, ext) {
            (Some(o), Some(e)) if e.0 > o.0 => Some(e),
            (Some(o), _) => Some(o),
            (None, e) => e,
        };
    let (paused_until, pause_reason) = later(side(25)?, side(27)?).unzip();
    let (snoozed_until, snooze_reason) = later(side(29)?, side(31)?).unzip();
    let call_back = match (
        row.get::<_, Option<Moment>>(33)?,
        row.get::<_, Option<Moment>>(34)?,
    ) {
        (Some(asked), Some(at)) if at.0 >= call_backs_from => Some(CallBack {
            asked: asked.0,
            at: at.0,
        }),
        _ => None,
    };
    Ok(CaseFacts {
        latest: Vec::new(),
        notice: opt_day(row, 11)?,
        plan,
        plan_id,
        court: Court {
            hearing: opt_day(row, 19)?,
            order,
            warrant_applied: opt_day(row, 23)?,
            eviction_date: opt_day(row, 24)?,
        },
        paused_until,
        snoozed_until,
        snooze_reason: snooze_reason.unwrap_or_default(),
        pause_reason: pause_reason.unwrap_or_default(),
        instalments,
        call_back,
        promises: Vec::new(),
    })
}

/// What [`read_rest`] reads: each tenancy's accounts, latest action of each kind (both in tenancy
/// order) and promises.
struct Rest {
    accounts: Vec<(i64, SubAccount)>,
    latest: Vec<(i64, ActionKind, NaiveDateTime)>,
    promises: HashMap<i64, Vec<(Promise, Money)>>,
}

/// Accounts, latest actions and promises, read apart from the tenancies so two threads share the
/// work about evenly.
fn read_rest(conn: &Connection, id: Option<i64>, judging: Judging) -> Result<Rest> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ACCOUNT_SELECT} {} ORDER BY tenancy_id",
        only("tenancy_id", id)
    ))?;
    let accounts = stmt
        .query_map([], sub_account)?
        .collect::<rusqlite::Result<_>>()?;
    // In its key's order, so by tenancy.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT tenancy_id, kind, at FROM last_actions {}",
        only("tenancy_id", id)
    ))?;
    let mut rows = stmt.query([])?;
    let mut latest = Vec::new();
    while let Some(row) = rows.next()? {
        // A kind this version does not know is skipped: the policy cannot reason about it.
        if let Some(kind) =
            ActionKind::parse(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)
        {
            latest.push((row.get(0)?, kind, row.get::<_, Moment>(2)?.0));
        }
    }
    Ok(Rest {
        accounts,
        latest,
        promises: super::calls::latest_promises(conn, id, judging)?,
    })
}

/// Puts the two halves together: `facts` are in tenancy order, as are the accounts and actions.
fn merge(mut facts: Vec<QueueFacts>, rest: Rest) -> Vec<QueueFacts> {
    let at = |facts: &[QueueFacts], id: i64| facts.binary_search_by_key(&id, |f| f.tenancy_id).ok();
    let mut i = 0;
    for (id, account) in rest.accounts {
        while facts.get(i).is_some_and(|f| f.tenancy_id < id) {
            i += 1;
        }
        let Some(f) = facts.get_mut(i).filter(|f| f.tenancy_id == id) else {
            continue;
        };
        if account.debt_type == DebtType::Rent {
            f.rent = account.summary;
        } else {
            f.other_debts += account.summary.balance;
            if !account.summary.balance.is_zero() {
                f.debt_types.push(account.debt_type);
            }
        }
    }
    let mut i = 0;
    for (id, kind, when) in rest.latest {
        while facts.get(i).is_some_and(|f| f.tenancy_id < id) {
            i += 1;
        }
        if let Some(f) = facts.get_mut(i).filter(|f| f.tenancy_id == id) {
            f.case.latest.push((kind, when));
        }
    }
    for (id, series) in rest.promises {
        if let Some(i) = at(&facts, id) {
            facts[i].case.promises = series;
        }
    }
    facts
}

fn only(column: &str, id: Option<i64>) -> String {
    id.map(|id| format!("WHERE {column} = {id}"))
        .unwrap_or_default()
}

impl Store {
    /// Facts for every tenancy, promises as `judging` reads them (only series that can still
    /// matter to the queue). The tenancies and their case summaries are read here while a second
    /// connection reads the accounts, latest actions and promises; both read inside a transaction
    /// and compare the newest batch they see, so the facts always come from one committed state of
    /// the file.
    pub fn queue_facts(&self, judging: Judging) -> Result<Vec<QueueFacts>> {
        let mut side = self.reader()?;
        for _ in 0..3 {
            let here = self.conn.unchecked_transaction()?;
            let (own, (returned, rest)) = std::thread::scope(|scope| {
                // A connection may move between threads but not be shared: it goes and comes back.
                let reading = scope.spawn(move || {
                    let rest = (|| -> Result<_> {
                        let there = side.unchecked_transaction()?;
                        Ok((newest_batch(&there)?, read_rest(&there, None, judging)?))
                    })();
                    (side, rest)
                });
                let own = newest_batch(&here)
                    .and_then(|mark| Ok((mark, read_tenancies(&here, None, judging)?)));
                (
                    own,
                    reading.join().expect("the reading thread does not panic"),
                )
            });
            side = returned;
            let ((mark, facts), (other_mark, rest)) = (own?, rest?);
            if mark == other_mark {
                return Ok(merge(facts, rest));
            }
        }
        // Writes kept landing between the two reads: read both on one connection.
        let here = self.conn.unchecked_transaction()?;
        let facts = read_tenancies(&here, None, judging)?;
        Ok(merge(facts, read_rest(&here, None, judging)?))
    }

    /// One tenancy's facts, to re-rank it after a write.
    pub fn queue_facts_of(&self, tenancy_id: i64, judging: Judging) -> Result<Option<QueueFacts>> {
        let facts = read_tenancies(&self.conn, Some(tenancy_id), judging)?;
        Ok(merge(facts, read_rest(&self.conn, Some(tenancy_id), judging)?).pop())
    }
}

fn newest_batch(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM batches", [], |r| r.get(0))?)
}
