//! The facts the queue ranks every tenancy by: the tenancy's figures and flags, its rent account
//! summary, and the case facts the policy needs (latest actions, notice, plan, court, pauses).
//! All come from small tables or trigger-kept summaries, never from scanning ledgers.

use super::recovery::{CORRECTED, IN_FORCE};
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
use crate::domain::recovery::{CourtEventKind, CourtOutcome, PauseKind};
use crate::domain::tenancy::{DebtType, Flags, Tenure};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
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

/// The tenancies' own columns, with their accounts and promises; the other case facts are read
/// apart (see [`read_cases`]) so two threads can share the work about evenly.
fn read_tenancies(conn: &Connection, id: Option<i64>, judging: Judging) -> Result<Own> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, tenure, start_date, end_date, weekly_charge, uc, hb, vulnerable,
                breathing_space_until, deceased, interpreter
         FROM tenancies {}",
        only("id", id)
    ))?;
    let rows = stmt.query_map([], |row| {
        Ok(QueueFacts {
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
            case: CaseFacts::default(),
        })
    })?;
    let facts = rows.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(&format!("{ACCOUNT_SELECT} {}", only("tenancy_id", id)))?;
    let accounts = stmt
        .query_map([], sub_account)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Own {
        facts,
        accounts,
        promises: super::calls::latest_promises(conn, id, judging)?,
    })
}

/// What [`read_tenancies`] reads.
struct Own {
    facts: Vec<QueueFacts>,
    accounts: Vec<(i64, SubAccount)>,
    promises: HashMap<i64, Vec<(Promise, Money)>>,
}

/// Puts the two halves together.
fn merge(own: Own, mut cases: HashMap<i64, CaseFacts>) -> Vec<QueueFacts> {
    let Own {
        mut facts,
        accounts,
        promises,
    } = own;
    for (tenancy, series) in promises {
        cases.entry(tenancy).or_default().promises = series;
    }
    let index: HashMap<i64, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.tenancy_id, i))
        .collect();
    for (id, account) in accounts {
        let Some(&i) = index.get(&id) else { continue };
        if account.debt_type == DebtType::Rent {
            facts[i].rent = account.summary;
        } else {
            facts[i].other_debts += account.summary.balance;
            if !account.summary.balance.is_zero() {
                facts[i].debt_types.push(account.debt_type);
            }
        }
    }
    for (id, case) in cases {
        if let Some(&i) = index.get(&id) {
            facts[i].case = case;
        }
    }
    facts
}

fn only(column: &str, id: Option<i64>) -> String {
    id.map(|id| format!("WHERE {column} = {id}"))
        .unwrap_or_default()
}

/// Rows still in force (not written by a corrected record), of one tenancy or all.
fn in_force(id: Option<i64>) -> String {
    let one = id.map_or(String::new(), |id| format!(" AND tenancy_id = {id}"));
    format!("WHERE {IN_FORCE}{one}")
}

/// Latest actions, notices, plans, court events and pauses (promises come with the tenancies).
fn read_cases(
    conn: &Connection,
    id: Option<i64>,
    judging: Judging,
) -> Result<HashMap<i64, CaseFacts>> {
    let mut cases: HashMap<i64, CaseFacts> = HashMap::new();

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT tenancy_id, kind, at FROM last_actions {}",
        only("tenancy_id", id)
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        // A kind this version does not know is skipped: the policy cannot reason about it.
        if let Some(kind) =
            ActionKind::parse(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)
        {
            let at = row.get::<_, Moment>(2)?.0;
            cases
                .entry(row.get(0)?)
                .or_default()
                .latest
                .push((kind, at));
        }
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT tenancy_id, max(served_on) FROM notices {} GROUP BY tenancy_id",
        in_force(id)
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        cases.entry(row.get(0)?).or_default().notice = opt_day(row, 1)?;
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.tenancy_id, p.kind, p.start_date, coalesce(e.state, 'live'), coalesce(e.on_date, p.start_date),
                p.id, p.frequency, p.instalment
         FROM plans p
         LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)
         WHERE p.id IN ({})",
        super::plans::current_plans(&only("tenancy_id", id))
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let case = cases.entry(row.get(0)?).or_default();
        case.plan = Some(PlanFact {
            kind: row.get(1)?,
            start: start_of(day(row, 2)?),
            state: row.get(3)?,
            since: start_of(day(row, 4)?),
        });
        case.plan_id = Some(row.get(5)?);
        case.instalments = Some(Instalments {
            frequency: row.get(6)?,
            start: day(row, 2)?,
            amount: row.get(7)?,
        });
    }

    // Court events in the order recorded: the latest of each kind wins.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT tenancy_id, kind, on_date, outcome, terms <> '' FROM court_events {} ORDER BY id",
        in_force(id)
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let court = &mut cases.entry(row.get(0)?).or_default().court;
        let on_date = opt_day(row, 2)?;
        match row.get::<_, CourtEventKind>(1)? {
            CourtEventKind::Hearing => court.hearing = court.hearing.max(on_date),
            CourtEventKind::Outcome => {
                let outcome: CourtOutcome = row.get(3)?;
                court.hearing = court.hearing.max(on_date);
                court.order = Some(Order {
                    outcome,
                    date: on_date,
                    terms: row.get(4)?,
                });
            }
            CourtEventKind::WarrantApplied => {
                court.warrant_applied = court.warrant_applied.max(on_date)
            }
            CourtEventKind::EvictionDate => court.eviction_date = on_date,
        }
    }

    // Each side's latest pause (and snooze) holds; of the two, the later end.
    let mut stmt = conn.prepare_cached(&format!(
        // With one max(), SQLite takes the other columns from the row that has it.
        "SELECT tenancy_id, kind, max(until), reason FROM pauses WHERE id IN
           (SELECT max(id) FROM pauses {} GROUP BY tenancy_id, kind, ext_id IS NULL)
         GROUP BY tenancy_id, kind",
        in_force(id)
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let case = cases.entry(row.get(0)?).or_default();
        let until = Some(day(row, 2)?);
        match row.get::<_, PauseKind>(1)? {
            PauseKind::Pause => {
                case.paused_until = until;
                case.pause_reason = row.get(3)?;
            }
            PauseKind::Snooze => {
                case.snoozed_until = until;
                case.snooze_reason = row.get(3)?;
            }
        }
    }

    // Call backs asked for in the last four weeks or still to come, each tenancy's latest.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT a.tenancy_id, a.at, c.call_back FROM contacts c JOIN actions a ON a.id = c.action_id
         WHERE c.call_back >= ?1 AND a.id NOT IN {CORRECTED} {}
         ORDER BY a.at, a.id",
        id.map(|id| format!("AND a.tenancy_id = {id}")).unwrap_or_default()
    ))?;
    let mut rows = stmt.query([Moment(start_of(judging.horizon()))])?;
    while let Some(row) = rows.next()? {
        cases.entry(row.get(0)?).or_default().call_back = Some(CallBack {
            asked: row.get::<_, Moment>(1)?.0,
            at: row.get::<_, Moment>(2)?.0,
        });
    }
    Ok(cases)
}

impl Store {
    /// Facts for every tenancy, promises as `judging` reads them (only series that can still
    /// matter to the queue). Tenancies, accounts and promises are read here while a second
    /// connection reads the other case facts; both read inside a transaction and compare the newest batch they
    /// see, so the facts always come from one committed state of the file.
    pub fn queue_facts(&self, judging: Judging) -> Result<Vec<QueueFacts>> {
        let mut side = self.reader()?;
        for _ in 0..3 {
            let here = self.conn.unchecked_transaction()?;
            let (own, (returned, cases)) = std::thread::scope(|scope| {
                // A connection may move between threads but not be shared: it goes and comes back.
                let reading = scope.spawn(move || {
                    let cases = (|| -> Result<_> {
                        let there = side.unchecked_transaction()?;
                        Ok((newest_batch(&there)?, read_cases(&there, None, judging)?))
                    })();
                    (side, cases)
                });
                let own = newest_batch(&here)
                    .and_then(|mark| Ok((mark, read_tenancies(&here, None, judging)?)));
                (
                    own,
                    reading.join().expect("the reading thread does not panic"),
                )
            });
            side = returned;
            let ((mark, own), (other_mark, cases)) = (own?, cases?);
            if mark == other_mark {
                return Ok(merge(own, cases));
            }
        }
        // Writes kept landing between the two reads: read both on one connection.
        let here = self.conn.unchecked_transaction()?;
        let own = read_tenancies(&here, None, judging)?;
        Ok(merge(own, read_cases(&here, None, judging)?))
    }

    /// One tenancy's facts, to re-rank it after a write.
    pub fn queue_facts_of(&self, tenancy_id: i64, judging: Judging) -> Result<Option<QueueFacts>> {
        let own = read_tenancies(&self.conn, Some(tenancy_id), judging)?;
        Ok(merge(own, read_cases(&self.conn, Some(tenancy_id), judging)?).pop())
    }
}

fn newest_batch(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM batches", [], |r| r.get(0))?)
}
