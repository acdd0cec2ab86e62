//! The facts the queue ranks every tenancy by: the tenancy's figures and flags, its rent account
//! summary, and the case facts the policy needs (latest actions, notice, plan, court, pauses, call
//! back). All come from trigger-kept summaries (accounts, last_actions, case_summary) and the
//! recent promises, never from scanning ledgers or grouping every record; and a re-rank reads
//! them packed, one row a tenancy, where nothing has changed since they were read
//! (`facts_kept.rs`).

use super::engine::{Columns, Db, Dialect, Server};
use super::sql_types::{Moment, day, opt_day};
use super::tenancy::{ACCOUNT_SELECT, SubAccount, sub_account};
use super::{Result, Store, facts_kept};
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
use rusqlite::{Connection, ToSql};
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

/// A part of every tenancy's facts, in tenancy order, each read or unpacked as it is taken: its
/// size's upper bound is the part's number of tenancies.
pub type FactsPart<'a> = &'a mut dyn Iterator<Item = QueueFacts>;

/// A part's facts in one vector, its room made once.
pub fn gather(part: FactsPart<'_>) -> Vec<QueueFacts> {
    let mut out = Vec::with_capacity(part.size_hint().1.unwrap_or(0));
    out.extend(part);
    out
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

/// Each tenancy's own columns (read in id order).
const TENANCY_SELECT: &str = "SELECT id, tenure, start_date, end_date, weekly_charge, uc, hb,
        vulnerable, breathing_space_until, deceased, interpreter
    FROM tenancies";

/// A tenancy's case summary (kept by the database: see migration 011), read by [`case_of`].
const CASE_SELECT: &str = "SELECT tenancy_id, notice, plan_id, plan_kind, plan_start,
        plan_frequency, plan_instalment, plan_state, plan_since, hearing, order_outcome, order_date,
        order_terms, warrant_applied, eviction_date,
        own_pause_until, own_pause_reason, ext_pause_until, ext_pause_reason,
        own_snooze_until, own_snooze_reason, ext_snooze_until, ext_snooze_reason,
        call_back_asked, call_back_at
    FROM case_summary";

/// A case summary that holds anything [`case_of`] reads. Most tenancies have no notice, plan,
/// court date, pause or call back: their empty rows are passed over inside SQLite instead of
/// being read column by column.
const IN_USE: &str = "(notice IS NOT NULL OR plan_id IS NOT NULL OR hearing IS NOT NULL
        OR order_outcome IS NOT NULL OR warrant_applied IS NOT NULL OR eviction_date IS NOT NULL
        OR own_pause_until IS NOT NULL OR ext_pause_until IS NOT NULL
        OR own_snooze_until IS NOT NULL OR ext_snooze_until IS NOT NULL
        OR call_back_at IS NOT NULL)";

/// Which tenancies a read covers.
pub(super) enum Ids {
    /// Ids from the first to the second, inclusive.
    Range(i64, i64),
    /// The ids in a JSON list (see [`Dialect::among`]): those that headed the queue last time,
    /// read at once instead of one by one (on a team's database, a round trip each).
    List(String),
}

impl Ids {
    pub(super) fn list(ids: &[i64]) -> Ids {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        Ids::List(format!("[{}]", ids.join(",")))
    }

    /// The one tenancy a range of one id covers (re-ranked after a write).
    pub(super) fn one(&self) -> Option<i64> {
        match *self {
            Ids::Range(from, to) if from == to => Some(from),
            _ => None,
        }
    }

    /// `column` is one of these ids, the parameters ([`Ids::binds`]) numbered from `n`.
    pub(super) fn within(&self, dialect: Dialect, column: &str, n: usize) -> String {
        match self {
            Ids::Range(..) => format!("{column} BETWEEN ?{n} AND ?{}", n + 1),
            Ids::List(_) => dialect.among(column, n),
        }
    }

    /// The parameters [`Ids::within`] reads.
    pub(super) fn binds(&self) -> Vec<&dyn ToSql> {
        match self {
            Ids::Range(from, to) => vec![from, to],
            Ids::List(list) => vec![list],
        }
    }
}

/// Every tenancy's facts but its accounts, latest actions and promises (see [`read_rest`]).
fn read_tenancies(db: Db<'_>, ids: &Ids, judging: Judging) -> Result<Vec<QueueFacts>> {
    let mut out = Vec::new();
    let sql = format!(
        "{TENANCY_SELECT} WHERE {} ORDER BY id",
        ids.within(db.dialect(), "id", 1)
    );
    db.each(&sql, &ids.binds(), |row| {
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
            case: CaseFacts::default(),
        });
        Ok(())
    })?;
    let call_backs_from = start_of(judging.horizon());
    let mut i = 0;
    db.each(
        &format!(
            "{CASE_SELECT} WHERE {} AND {IN_USE} ORDER BY tenancy_id",
            ids.within(db.dialect(), "tenancy_id", 1)
        ),
        &ids.binds(),
        |row| {
            let id: i64 = row.get(0)?;
            while out.get(i).is_some_and(|f| f.tenancy_id < id) {
                i += 1;
            }
            if let Some(f) = out.get_mut(i).filter(|f| f.tenancy_id == id) {
                f.case = case_of(row, call_backs_from)?;
            }
            Ok(())
        },
    )?;
    Ok(out)
}

/// A [`CASE_SELECT`] row.
fn case_of(row: &impl Columns, call_backs_from: NaiveDateTime) -> rusqlite::Result<CaseFacts> {
    let plan_id: Option<i64> = row.get(2)?;
    let (plan, instalments) = match plan_id {
        Some(_) => {
            let start = day(row, 4)?;
            (
                Some(PlanFact {
                    kind: row.get(3)?,
                    start: start_of(start),
                    state: row.get(7)?,
                    since: start_of(day(row, 8)?),
                }),
                Some(Instalments {
                    frequency: row.get(5)?,
                    start,
                    amount: row.get(6)?,
                }),
            )
        }
        None => (None, None),
    };
    let order = match row.get::<_, Option<CourtOutcome>>(10)? {
        Some(outcome) => Some(Order {
            outcome,
            date: opt_day(row, 11)?,
            terms: row.get(12)?,
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
    let (paused_until, pause_reason) = later(side(15)?, side(17)?).unzip();
    let (snoozed_until, snooze_reason) = later(side(19)?, side(21)?).unzip();
    let call_back = match (
        row.get::<_, Option<Moment>>(23)?,
        row.get::<_, Option<Moment>>(24)?,
    ) {
        (Some(asked), Some(at)) if at.0 >= call_backs_from => Some(CallBack {
            asked: asked.0,
            at: at.0,
        }),
        _ => None,
    };
    Ok(CaseFacts {
        latest: Vec::new(),
        notice: opt_day(row, 1)?,
        plan,
        plan_id,
        court: Court {
            hearing: opt_day(row, 9)?,
            order,
            warrant_applied: opt_day(row, 13)?,
            eviction_date: opt_day(row, 14)?,
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

/// Accounts, latest actions and promises of the tenancies `ids`.
fn read_rest(db: Db<'_>, ids: &Ids, judging: Judging) -> Result<Rest> {
    // A range is read in the table's own order: through the (tenancy, debt type) index each row
    // would cost a second look-up (a third of the accounts' read). One id and a list are found
    // by the index. Sorted here as the index would give them, so every engine and every read
    // agrees.
    let within = match ids {
        Ids::Range(..) if ids.one().is_some() => "tenancy_id = ?1 AND ?1 = ?2".to_string(),
        Ids::Range(..) => ids.within(db.dialect(), "+tenancy_id", 1),
        Ids::List(_) => ids.within(db.dialect(), "tenancy_id", 1),
    };
    let mut accounts = db.query_map(
        &format!("{ACCOUNT_SELECT} WHERE {within}"),
        &ids.binds(),
        |r| sub_account(r),
    )?;
    accounts.sort_by(|(a, x), (b, y)| (a, x.debt_type.as_str()).cmp(&(b, y.debt_type.as_str())));
    let mut latest = Vec::new();
    db.each(
        &format!(
            "SELECT tenancy_id, kind, at FROM last_actions WHERE {} ORDER BY tenancy_id, kind",
            ids.within(db.dialect(), "tenancy_id", 1)
        ),
        &ids.binds(),
        |row| {
            // A kind this version does not know is skipped: the policy cannot reason about it.
            if let Some(kind) =
                ActionKind::parse(row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?)
            {
                latest.push((row.get(0)?, kind, row.get::<_, Moment>(2)?.0));
            }
            Ok(())
        },
    )?;
    Ok(Rest {
        accounts,
        latest,
        promises: super::calls::latest_promises(db, ids, judging)?,
    })
}

/// The facts of the tenancies `ids`, whole.
fn read(db: Db<'_>, ids: &Ids, judging: Judging) -> Result<Vec<QueueFacts>> {
    let facts = read_tenancies(db, ids, judging)?;
    Ok(merge(facts, read_rest(db, ids, judging)?))
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

/// `run` over every tenancy's facts through the kept rows, with the stale ones read again by id in
/// the same transaction (so the versions they are packed with are theirs); with those packed to
/// keep. A row that does not unpack is read again the same way and `run` run again.
fn through_kept<R>(
    db: Db<'_>,
    mut kept: facts_kept::Kept,
    judging: Judging,
    run: impl Fn(&facts_kept::Kept, &[QueueFacts]) -> (R, Vec<usize>),
) -> Result<(R, facts_kept::Packed)> {
    loop {
        let again = if kept.stale.is_empty() {
            Vec::new()
        } else {
            let ids: Vec<i64> = kept.stale.iter().map(|(id, _)| *id).collect();
            read(db, &Ids::list(&ids), judging)?
        };
        let (out, damaged) = run(&kept, &again);
        if damaged.is_empty() {
            return Ok((out, facts_kept::pack_stale(&again, &kept.stale)));
        }
        kept.damaged(&damaged);
    }
}

/// Every tenancy's facts (from the kept rows where they are current), read in one transaction,
/// with the rows to pack again.
fn read_through(db: Db<'_>, judging: Judging) -> Result<(Vec<QueueFacts>, facts_kept::Packed)> {
    let kept = facts_kept::read(db, judging, (i64::MIN, i64::MAX))?;
    if kept.few_stale() {
        return through_kept(db, kept, judging, |kept, again| kept.all(again));
    }
    let all = read(db, &EVERY, judging)?;
    let packed = facts_kept::pack_stale(&all, &kept.stale);
    Ok((all, packed))
}

/// `parts` ranges of ids, about equal, that together hold every id (the first from the
/// smallest id there can be, the last to the largest): `lowest..=highest` are the ids held now.
fn split(lowest: i64, highest: i64, parts: usize) -> Vec<(i64, i64)> {
    let parts = i64::try_from(parts.max(1)).unwrap_or(1);
    let width = ((highest - lowest) / parts).max(1);
    (0..parts)
        .map(|k| {
            let from = if k == 0 { i64::MIN } else { lowest + k * width };
            let to = if k == parts - 1 {
                i64::MAX
            } else {
                lowest + (k + 1) * width - 1
            };
            (from, to)
        })
        .collect()
}

impl Store {
    /// Facts for every tenancy, promises as `judging` reads them (only series that can still
    /// matter to the queue), in tenancy order.
    pub fn queue_facts(&self, judging: Judging) -> Result<Vec<QueueFacts>> {
        Ok(crate::parallel::concat(
            self.queue_facts_in_parts(judging, gather)?,
        ))
    }

    /// Every tenancy's facts in parts, one part per core, each handed to `each` on its own thread
    /// (the queue judges its part there), in tenancy order. Each part is a range of ids read on
    /// its own connection and thread, inside transactions that saw the same newest batch, so the
    /// facts always come from one committed state of the file: from the kept packed rows (see
    /// `facts_kept`), with the few stale ones read again in the same transaction; or, when most
    /// are stale (a new day's horizon, an import), from the tables. What was read again is kept
    /// for next time.
    pub fn queue_facts_in_parts<T: Send>(
        &self,
        judging: Judging,
        each: impl Fn(FactsPart<'_>) -> T + Sync,
    ) -> Result<Vec<T>> {
        let conn = match &self.conn {
            super::Conn::Sqlite(conn) => conn,
            super::Conn::Pg { server, .. } => {
                return super::QueueSource::queue_facts_in_parts(&**server, judging, each);
            }
        };
        let parts = self.read_in_parts(crate::cores::for_parts().min(MAX_PARTS), |db, ids| {
            let kept = facts_kept::read(db, judging, ids)?;
            if kept.few_stale() {
                // Unpacked and judged while the transaction the rows were read in is open: a row
                // that does not unpack is read again in it.
                through_kept(db, kept, judging, |kept, again| kept.all_to(again, &each))
            } else {
                // Most must be read again: read them all, and pack the stale ones.
                let facts = read(db, &Ids::Range(ids.0, ids.1), judging)?;
                let packed = facts_kept::pack_stale(&facts, &kept.stale);
                Ok((each(&mut facts.into_iter()), packed))
            }
        })?;
        let (out, packed): (Vec<T>, Vec<_>) = parts.into_iter().unzip();
        // Kept for next time if the file can be written now; the facts read stand either way.
        let packed: facts_kept::Packed = packed.into_iter().flatten().collect();
        for rows in packed.chunks(facts_kept::ROWS_A_WRITE) {
            let kept = conn
                .unchecked_transaction()
                .map_err(super::StoreError::from)
                .and_then(|tx| {
                    facts_kept::write(Db::Sqlite(&tx), judging, rows)?;
                    Ok(tx.commit()?)
                });
            if kept.is_err() {
                break;
            }
        }
        Ok(out)
    }

    /// `part` of each of `parts` ranges of ids (about equal, together every id), each in a
    /// transaction on its own connection and thread; see [`Store::queue_facts_in_parts`].
    fn read_in_parts<T: Send>(
        &self,
        parts: usize,
        part: impl Fn(Db<'_>, (i64, i64)) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let super::Conn::Sqlite(conn) = &self.conn else {
            return Err(super::StoreError::Invalid("not a caseload file".into()));
        };
        let mut sides = (1..parts)
            .map(|_| self.reader())
            .collect::<Result<Vec<_>>>()?;
        for _ in 0..3 {
            let here = conn.unchecked_transaction()?;
            let mark = newest_batch(&here)?;
            // Each bound on its own: SQLite reads a lone min() or max() from one end of the ids,
            // but both in one query from every row.
            let (lowest, highest): (i64, i64) = here.query_row(
                "SELECT coalesce((SELECT min(id) FROM tenancies), 0),
                    coalesce((SELECT max(id) FROM tenancies), 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let parts = split(lowest, highest, sides.len() + 1);
            let part = &part;
            let (own, others) = std::thread::scope(|scope| {
                // A connection may move between threads but not be shared: each goes and comes
                // back.
                let reading: Vec<_> = sides
                    .drain(..)
                    .zip(&parts[1..])
                    .map(|(side, &ids)| {
                        crate::cores::spawn_part(scope, move || {
                            let out = (|| -> Result<_> {
                                let there = side.unchecked_transaction()?;
                                Ok((newest_batch(&there)?, part(Db::Sqlite(&there), ids)?))
                            })();
                            (side, out)
                        })
                    })
                    .collect();
                let own = part(Db::Sqlite(&here), parts[0]);
                let others: Vec<_> = reading
                    .into_iter()
                    .map(|h| h.join().expect("reading the queue's facts does not panic"))
                    .collect();
                (own, others)
            });
            let mut out = vec![own?];
            let mut same = true;
            for (side, theirs) in others {
                sides.push(side);
                let (their_mark, theirs) = theirs?;
                same &= their_mark == mark;
                out.push(theirs);
            }
            if same {
                return Ok(out);
            }
        }
        // Writes kept landing between the reads: read it all on one connection.
        let here = conn.unchecked_transaction()?;
        Ok(vec![part(Db::Sqlite(&here), (i64::MIN, i64::MAX))?])
    }

    /// One tenancy's facts, to re-rank it after a write.
    pub fn queue_facts_of(&self, tenancy_id: i64, judging: Judging) -> Result<Option<QueueFacts>> {
        Ok(read(self.db(), &Ids::Range(tenancy_id, tenancy_id), judging)?.pop())
    }

    /// The facts of each of the tenancies `tenancy_ids` that is still there, in tenancy order,
    /// read at once from one committed state (on a team's database, one read-only transaction of
    /// a few statements instead of several for each tenancy).
    pub fn queue_facts_of_each(
        &self,
        tenancy_ids: &[i64],
        judging: Judging,
    ) -> Result<Vec<QueueFacts>> {
        let ids = Ids::list(tenancy_ids);
        match &self.conn {
            super::Conn::Sqlite(conn) => {
                let here = conn.unchecked_transaction()?;
                read(Db::Sqlite(&here), &ids, judging)
            }
            super::Conn::Pg { server, .. } => server.read_only(|db| read(db, &ids, judging)),
        }
    }
}

/// Every tenancy's facts as the tables give them, passing over the kept rows.
pub(super) fn read_every(db: Db<'_>, judging: Judging) -> Result<Vec<QueueFacts>> {
    read(db, &EVERY, judging)
}

/// Every tenancy.
const EVERY: Ids = Ids::Range(i64::MIN, i64::MAX);

impl Server {
    /// Facts for every tenancy (see [`Store::queue_facts`]), read in one transaction that sees one
    /// committed state of the database.
    pub fn queue_facts(&self, judging: Judging) -> Result<Vec<QueueFacts>> {
        let (facts, packed) = self.read_only(|db| read_through(db, judging))?;
        // Kept for next time, in turns with the writes; the facts read stand either way.
        for rows in packed.chunks(facts_kept::ROWS_A_WRITE) {
            let kept = self.transaction(|db| {
                self.take_turn()?;
                facts_kept::write(db, judging, rows)
            });
            if kept.is_err() {
                break;
            }
        }
        Ok(facts)
    }

    /// One tenancy's facts, to re-place it after another officer's write.
    pub fn queue_facts_of(&self, tenancy_id: i64, judging: Judging) -> Result<Option<QueueFacts>> {
        self.read_only(|db| Ok(read(db, &Ids::Range(tenancy_id, tenancy_id), judging)?.pop()))
    }
}

/// The most connections the queue's facts are read on at once.
const MAX_PARTS: usize = 4;

fn newest_batch(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM batches", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DemoOptions, generate_file};
    use crate::domain::dates::parse_date;

    #[test]
    fn parts_of_the_ids_cover_every_id_once() {
        assert_eq!(
            split(1, 50_001, 2),
            vec![(i64::MIN, 25_000), (25_001, i64::MAX)]
        );
        for (lowest, highest, parts) in [(1, 50_001, 3), (5, 5, 3), (0, 0, 1), (7, 9, 4)] {
            let ids = split(lowest, highest, parts);
            assert_eq!(ids.len(), parts);
            assert_eq!((ids[0].0, ids[parts - 1].1), (i64::MIN, i64::MAX));
            assert!(
                ids.windows(2)
                    .all(|w| w[0].1 + 1 == w[1].0 && w[0].0 <= w[0].1)
            );
        }
    }

    /// Read in parts on several connections, skipping the empty case summaries, the facts are
    /// each tenancy's own as read alone after a write, in tenancy order; and read on the server
    /// from the same demo moved into a team's database, the same. Read at once by a list of ids
    /// (a start's kept accounts), on either engine, the same again, without the ids not there.
    #[test]
    fn the_facts_read_in_parts_are_each_tenancys_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let today = parse_date("2026-11-23").unwrap();
        generate_file(&path, &DemoOptions::shipped(150, 1, 5, today), |_| {}).unwrap();
        let judging = Judging {
            tolerance_days: 3,
            today,
        };
        let file = Store::open(&path).unwrap();
        let in_file = file.queue_facts(judging).unwrap();
        facts_are_each_tenancys_own(&file, &in_file, judging);
        a_list_reads_each_alone(&file, &in_file, judging);
        if let Some(db) = crate::store::pg::scratch::Scratch::new("facts_in_parts") {
            crate::store::pg::move_in(&path, &db.url()).unwrap();
            let server = Store::open_server(&db.url()).unwrap();
            let on_server = server.server().unwrap().queue_facts(judging).unwrap();
            assert!(
                on_server == in_file,
                "the same facts on the server as in the file"
            );
            facts_are_each_tenancys_own(&server, &on_server, judging);
            a_list_reads_each_alone(&server, &on_server, judging);
        }
    }

    fn facts_are_each_tenancys_own(store: &Store, all: &[QueueFacts], judging: Judging) {
        assert_eq!(all.len(), 150);
        assert!(all.windows(2).all(|w| w[0].tenancy_id < w[1].tenancy_id));
        let with = |has: &dyn Fn(&QueueFacts) -> bool| all.iter().filter(|f| has(f)).count();
        for (what, n) in [
            (
                "empty case summary",
                with(&|f| f.case.plan.is_none() && f.case.notice.is_none()),
            ),
            ("plan", with(&|f| f.case.plan.is_some())),
            ("latest actions", with(&|f| !f.case.latest.is_empty())),
            ("promises", with(&|f| !f.case.promises.is_empty())),
            ("other debts", with(&|f| !f.debt_types.is_empty())),
        ] {
            assert!(n > 0, "no tenancy with {what}");
        }
        let call_backs_from = start_of(judging.horizon());
        for f in all {
            let alone = store.queue_facts_of(f.tenancy_id, judging).unwrap();
            assert_eq!(alone.as_ref(), Some(f));
            // A summary passed over as empty would have read as no case at all.
            let whole = store
                .db()
                .query_one(
                    &format!("{CASE_SELECT} WHERE tenancy_id = ?1"),
                    &[&f.tenancy_id],
                    |row| case_of(row, call_backs_from),
                )
                .unwrap();
            let case = CaseFacts {
                latest: f.case.latest.clone(),
                promises: f.case.promises.clone(),
                ..whole
            };
            assert_eq!(case, f.case, "tenancy {}", f.tenancy_id);
        }
    }

    /// The facts of a list of ids, given out of order, with ids that are not (or no longer)
    /// there and one twice, are those of each read alone, in tenancy order.
    fn a_list_reads_each_alone(store: &Store, all: &[QueueFacts], judging: Judging) {
        let highest = all.last().unwrap().tenancy_id;
        let mut ids: Vec<i64> = all.iter().rev().map(|f| f.tenancy_id).collect();
        ids.extend([highest + 1, 0, -7, all[3].tenancy_id]);
        let alone: Vec<QueueFacts> = {
            let mut sorted = ids.clone();
            sorted.sort_unstable();
            sorted.dedup();
            (sorted.iter())
                .filter_map(|&id| store.queue_facts_of(id, judging).unwrap())
                .collect()
        };
        assert_eq!(alone.len(), all.len(), "the ids not there read as nothing");
        assert!(store.queue_facts_of_each(&ids, judging).unwrap() == alone);
        let some = [all[40].tenancy_id, highest + 9, all[2].tenancy_id];
        let read = store.queue_facts_of_each(&some, judging).unwrap();
        assert_eq!(read, vec![all[2].clone(), all[40].clone()]);
        let none = store.queue_facts_of_each(&[highest + 1], judging).unwrap();
        assert!(none.is_empty());
        assert!(store.queue_facts_of_each(&[], judging).unwrap().is_empty());
    }
}
