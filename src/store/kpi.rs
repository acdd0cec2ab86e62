//! The team's numbers read from the ledger and the records: one [`Tally`] per patch and officer
//! pair, which `domain::kpi` adds up. Records a correction took out of force are left out.

use super::calls::{PromiseRecord, promise_record, promise_select};
use super::engine::Columns as _;
use super::recovery::IN_FORCE;
use super::sql_types::{Day, day, opt_day};
use super::{Result, Store, StoreError};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::dates::RentYear;
use crate::domain::kpi::{AccountAt, Group, Period, Tally, is_current, is_possession_order};
use crate::domain::ledger::EntryKind;
use crate::domain::plan::PlanState;
use crate::domain::promise::PromiseState;
use crate::domain::recovery::{CourtEventKind, CourtOutcome};
use crate::domain::tenancy::DebtType;
use chrono::{Days, NaiveDate};
use rusqlite::params;
use std::collections::HashMap;

/// Each tenancy's group, and the groups' tallies as they are filled.
pub(super) struct Groups {
    pub(super) of_tenancy: OfTenancy,
    pub(super) groups: Vec<Group>,
}

impl Groups {
    /// A tally for each group, in their order, with its patch and officer.
    pub(super) fn named(&self, tallies: Vec<Tally>) -> Vec<Group> {
        (self.groups.iter())
            .zip(tallies)
            .map(|(g, tally)| Group {
                patch: g.patch.clone(),
                officer: g.officer.clone(),
                tally,
            })
            .collect()
    }
}

/// Each tenancy's group by its id: in a table indexed by the id where the ids run on with few
/// gaps (as a caseload's do), so each of the few hundred thousand look-ups of a read is an index
/// and not a hash; in a map for the ids far beyond the rest.
#[derive(Default)]
pub(super) struct OfTenancy {
    /// `dense[id]`: the group, or `NONE`.
    dense: Vec<usize>,
    sparse: HashMap<i64, usize>,
    /// How many ids are held, in either.
    held: usize,
}

impl OfTenancy {
    const NONE: usize = usize::MAX;

    pub(super) fn insert(&mut self, id: i64, group: usize) {
        // Room for an id up to twice the tenancies held so far and a margin: the table stays
        // within a small multiple of the map it replaces, whatever the ids.
        self.held += 1;
        let limit = 2 * self.held + 65_536;
        match usize::try_from(id).ok().filter(|at| *at < limit) {
            Some(at) => {
                if at >= self.dense.len() {
                    self.dense.resize(at + 1, Self::NONE);
                }
                self.dense[at] = group;
            }
            None => {
                self.sparse.insert(id, group);
            }
        }
    }

    pub(super) fn get(&self, id: &i64) -> Option<&usize> {
        // An id put in the map may be within the table since it grew.
        match usize::try_from(*id).ok().and_then(|at| self.dense.get(at)) {
            Some(group) if *group != Self::NONE => Some(group),
            _ => self.sparse.get(id),
        }
    }
}

/// A tally for each group, found by tenancy.
pub(super) struct Tallies<'a> {
    of_tenancy: &'a OfTenancy,
    tallies: Vec<Tally>,
}

impl Tallies<'_> {
    fn tally(&mut self, tenancy_id: i64) -> Option<&mut Tally> {
        let i = *self.of_tenancy.get(&tenancy_id)?;
        Some(&mut self.tallies[i])
    }
}

impl Store {
    /// Each patch and officer pair's tally for `period`: money that moved and work done from
    /// `flows_from` to its end (the earlier weeks may be kept already), promises falling due in
    /// it (judged with `promise_tolerance` days' grace), and where accounts and plans stood on
    /// its last day. Tenancies that start after the period are left out.
    pub fn kpi_groups(
        &self,
        period: Period,
        flows_from: NaiveDate,
        promise_tolerance: u32,
    ) -> Result<Vec<Group>> {
        Ok(self
            .kpi_groups_with_last_days(period, flows_from, None, promise_tolerance)?
            .0)
    }

    /// [`Store::kpi_groups`], and in the same groups the promises falling due from `last_days`
    /// to the period's end (judged on it, as the period's are): read together, in one pass.
    pub fn kpi_groups_and_last_days(
        &self,
        period: Period,
        last_days: NaiveDate,
        promise_tolerance: u32,
    ) -> Result<(Vec<Group>, Vec<Group>)> {
        self.kpi_groups_with_last_days(period, period.from, Some(last_days), promise_tolerance)
    }

    fn kpi_groups_with_last_days(
        &self,
        period: Period,
        flows_from: NaiveDate,
        last_days: Option<NaiveDate>,
        promise_tolerance: u32,
    ) -> Result<(Vec<Group>, Vec<Group>)> {
        let flows = flows_from.max(period.from);
        // The groups, the ledger, plans and actions on this connection and, at the same time on
        // the kept second one, the promises (each summing its own payments) and legal steps: about
        // even halves at a large landlord's scale. The second names each by tenancy, as the
        // groups are still being read here when it starts.
        let (mut read, mut counted) = (None, Vec::new());
        self.side_by_side(
            |store| {
                let index = store.kpi_group_index()?;
                let mut g = Tallies {
                    of_tenancy: &index.of_tenancy,
                    tallies: vec![Tally::default(); index.groups.len()],
                };
                store.kpi_money(period, flows, &mut g)?;
                store.kpi_work(period, flows, &mut g)?;
                let tallies = g.tallies;
                read = Some((index, tallies));
                Ok(())
            },
            |store| store.kpi_counted(period, flows, last_days, promise_tolerance, &mut counted),
        )?;
        let (index, tallies) =
            read.ok_or_else(|| StoreError::Invalid("the groups were not read".into()))?;
        let mut g = Tallies {
            of_tenancy: &index.of_tenancy,
            tallies,
        };
        let mut last = Tallies {
            of_tenancy: &index.of_tenancy,
            tallies: vec![Tally::default(); index.groups.len()],
        };
        for (tenancy, one) in counted {
            let t = match one {
                Counted::LastDaysPromise(_) => last.tally(tenancy),
                _ => g.tally(tenancy),
            };
            if let Some(t) = t {
                match one {
                    Counted::Promise(state) | Counted::LastDaysPromise(state) => {
                        t.add_promise(state)
                    }
                    Counted::Step(step) => step.count(t),
                }
            }
        }
        Ok((index.named(g.tallies), index.named(last.tallies)))
    }

    /// Where each account stood at the end of `period`, and the money that moved from `flows` to
    /// its end.
    fn kpi_money(&self, period: Period, flows: NaiveDate, g: &mut Tallies<'_>) -> Result<()> {
        let to = Day(period.to);
        let year = RentYear::containing(period.to);
        let from_year_start = flows == year.start();
        let db = self.db();
        // What each account's entries dated after the period moved: taken off today's balance.
        // Read only for the accounts whose kept year totals have an entry dated after it (a
        // period that ends today has next to none), through the ledger's index on (account,
        // date). From the first day of a rent year, the entries in the year after the period
        // are also taken off the year's totals.
        let end = Day(year.end_exclusive() - Days::new(1));
        let mut after: HashMap<i64, i64> = HashMap::new();
        db.each(
            &format!(
                "SELECT a.id, a.tenancy_id, a.debt_type, l.date <= ?2, l.kind, r.kind,
                        sum(l.amount)
                 FROM (SELECT DISTINCT account_id FROM ledger_years
                       WHERE rent_year >= ?3 AND last_date > ?1) AS later
                 {join} accounts a ON a.id = later.account_id
                 {join} ledger l ON l.account_id = a.id AND l.date > ?1
                 LEFT JOIN ledger r ON r.id = l.reverses
                 GROUP BY a.id, a.tenancy_id, a.debt_type, l.date <= ?2, l.kind, r.kind",
                join = db.dialect().join_in_order()
            ),
            params![to, end, year.0],
            |r| {
                let amount: Money = r.get(6)?;
                *after.entry(r.get(0)?).or_default() += amount.pence();
                let (debt, in_year, kind, reverses): (
                    DebtType,
                    bool,
                    EntryKind,
                    Option<EntryKind>,
                ) = (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                if let (true, true, Some(t)) = (from_year_start, in_year, g.tally(r.get(1)?)) {
                    t.add_entries(debt, kind, reverses, -amount);
                }
                Ok(())
            },
        )?;
        if from_year_start {
            // From the first day of a rent year: the totals the database keeps for the year,
            // less what is dated after the period's end in it (above).
            db.each(
                "SELECT a.tenancy_id, a.debt_type, y.charged, y.received, y.written_off
                 FROM ledger_years y JOIN accounts a ON a.id = y.account_id
                 WHERE y.rent_year = ?1",
                &[&year.0],
                |r| {
                    let debt: DebtType = r.get(1)?;
                    if let Some(t) = g.tally(r.get(0)?) {
                        t.add_entries(debt, EntryKind::Charge, None, r.get(2)?);
                        t.add_entries(debt, EntryKind::Payment, None, r.get(3)?);
                        t.add_entries(debt, EntryKind::WriteOff, None, r.get(4)?);
                    }
                    Ok(())
                },
            )?;
        } else {
            self.kpi_ledger_flows(flows, period.to, g)?;
        }

        // Balances at the end of the period: today's, less what is dated after it.
        let weeks = year.weeks();
        db.each(
            "SELECT t.id, t.start_date, t.end_date, t.weekly_charge, a.debt_type, a.balance, a.id
             FROM tenancies t JOIN accounts a ON a.tenancy_id = t.id
             WHERE t.start_date <= ?1",
            &[&to],
            |r| {
                let current = is_current(day(r, 1)?, opt_day(r, 2)?, period.to);
                let balance: i64 = r.get(5)?;
                let account = AccountAt {
                    weekly_charge: r.get(3)?,
                    debt_type: r.get(4)?,
                    balance: Money::from_pence(balance - after.get(&r.get(6)?).unwrap_or(&0)),
                    current,
                };
                if let Some(t) = g.tally(r.get(0)?) {
                    t.add_account(account, weeks);
                }
                Ok(())
            },
        )
    }

    /// Plans as they stood at the end of `period`, and actions from `flows` to its end.
    fn kpi_work(&self, period: Period, flows: NaiveDate, g: &mut Tallies<'_>) -> Result<()> {
        let to = Day(period.to);
        let flows = Day(flows);
        let db = self.db();
        let dialect = db.dialect();

        // Each tenancy's current plan among those agreed by the period's end (the one agreed
        // last), in the state its last change by then left it. Picked here from one read of each
        // table: ranking the plans in SQL, and a search of each one's changes, take several
        // times as long at a large landlord's scale.
        let mut current: HashMap<i64, (String, i64)> = HashMap::new();
        db.each(
            &format!(
                "SELECT tenancy_id, at, id FROM plans WHERE at < {} AND {IN_FORCE}",
                dialect.day_after("?1")
            ),
            &[&to],
            |r| {
                let (tenancy, at, id): (i64, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                match current.get_mut(&tenancy) {
                    Some(latest) if (&latest.0, latest.1) >= (&at, id) => {}
                    Some(latest) => *latest = (at, id),
                    None => {
                        current.insert(tenancy, (at, id));
                    }
                }
                Ok(())
            },
        )?;
        let mut states: HashMap<i64, (i64, PlanState)> = current
            .iter()
            .map(|(tenancy, (_, plan))| (*plan, (*tenancy, PlanState::Live)))
            .collect();
        // In the order the changes were recorded: the last one read is the plan's state.
        db.each(
            "SELECT plan_id, state FROM plan_events WHERE on_date <= ?1 ORDER BY id",
            &[&to],
            |r| {
                if let Some((_, state)) = states.get_mut(&r.get(0)?) {
                    *state = r.get(1)?;
                }
                Ok(())
            },
        )?;
        for (tenancy, state) in states.into_values() {
            if let Some(t) = g.tally(tenancy) {
                t.add_plan(state);
            }
        }

        // Actions recorded in the period (a bare date is the start of its day), and in its
        // last rent week, counted here from one read of the table: grouping them in SQL, or
        // reading them tenancy by tenancy through its index, takes several times as long.
        let week_from = dialect.date("?3");
        db.each(
            &format!(
                "SELECT tenancy_id, kind, at >= {week_from} FROM actions
                 WHERE at >= {} AND at < {} AND id NOT IN (SELECT action_id FROM corrections)",
                dialect.date("?1"),
                dialect.day_after("?2")
            ),
            params![flows, to, Day(period.week_of().from)],
            |r| {
                if let Some(t) = g.tally(r.get(0)?) {
                    let kind = r.get_ref(1)?.as_str().ok().and_then(ActionKind::parse);
                    t.add_actions(kind.unwrap_or(ActionKind::Other), 1, r.get(2)?);
                }
                Ok(())
            },
        )?;

        Ok(())
    }

    /// Promises falling due in `period` as they stood on its last day (those due from
    /// `last_days` also apart), and legal steps from `flows` to its end, each by tenancy.
    fn kpi_counted(
        &self,
        period: Period,
        flows: NaiveDate,
        last_days: Option<NaiveDate>,
        promise_tolerance: u32,
        counted: &mut Vec<(i64, Counted)>,
    ) -> Result<()> {
        let to = Day(period.to);
        let flows = Day(flows);
        let db = self.db();
        self.kpi_promises(period, promise_tolerance, |tenancy, p| {
            let state = p.promise.state(p.received, period.to, promise_tolerance);
            counted.push((tenancy, Counted::Promise(state)));
            if last_days.is_some_and(|from| p.promise.due >= from) {
                counted.push((tenancy, Counted::LastDaysPromise(state)));
            }
        })?;
        // Legal steps in the period (claims and evictions are in the action log).
        db.each(
            &format!(
                "SELECT tenancy_id FROM notices WHERE served_on BETWEEN ?1 AND ?2 AND {IN_FORCE}"
            ),
            &[&flows, &to],
            |r| {
                counted.push((r.get(0)?, Counted::Step(Step::Notice)));
                Ok(())
            },
        )?;
        db.each(
            &format!(
                "SELECT tenancy_id, kind, outcome FROM court_events
                 WHERE on_date BETWEEN ?1 AND ?2 AND {COURT_STEPS} AND {IN_FORCE}"
            ),
            &[&flows, &to],
            |r| {
                if let Some(step) = Step::of_court_event(r.get(1)?, r.get(2)?) {
                    counted.push((r.get(0)?, Counted::Step(step)));
                }
                Ok(())
            },
        )
    }

    /// Money that moved from `from` to `to`, by the kind each reversal undid, from the ledger's
    /// entries, account by account through its index on (account, date): there is no index on
    /// the date alone, and a scan of the whole ledger is many times slower.
    fn kpi_ledger_flows(&self, from: NaiveDate, to: NaiveDate, g: &mut Tallies<'_>) -> Result<()> {
        let db = self.db();
        db.each(
            &format!(
                "SELECT a.tenancy_id, a.debt_type, l.kind, r.kind, sum(l.amount)
                 FROM accounts a {} ledger l ON l.account_id = a.id AND l.date BETWEEN ?1 AND ?2
                 LEFT JOIN ledger r ON r.id = l.reverses
                 GROUP BY a.tenancy_id, a.debt_type, l.kind, r.kind",
                db.dialect().join_in_order()
            ),
            &[&Day(from), &Day(to)],
            |r| {
                let (debt, kind, reverses, amount): (
                    DebtType,
                    EntryKind,
                    Option<EntryKind>,
                    Money,
                ) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                if let Some(t) = g.tally(r.get(0)?) {
                    t.add_entries(debt, kind, reverses, amount);
                }
                Ok(())
            },
        )
    }

    /// Each promise falling due in `due`, with its tenancy, to `add`.
    pub(super) fn kpi_promises(
        &self,
        due: Period,
        promise_tolerance: u32,
        mut add: impl FnMut(i64, PromiseRecord),
    ) -> Result<()> {
        let db = self.db();
        db.each(
            &format!(
                "{} WHERE p.due_on BETWEEN ?2 AND ?3 AND {IN_FORCE}",
                promise_select(db.dialect())
            ),
            params![promise_tolerance, Day(due.from), Day(due.to)],
            |r| {
                let (tenancy, record) = promise_record(r)?;
                add(tenancy, record);
                Ok(())
            },
        )
    }

    /// Every tenancy's patch and officer pair, each pair once.
    pub(super) fn kpi_group_index(&self) -> Result<Groups> {
        let mut g = Groups {
            of_tenancy: OfTenancy::default(),
            groups: Vec::new(),
        };
        // Each pair's group by patch and then officer, found from the row's text as it is read
        // (50,000 rows, a few hundred pairs).
        let mut pairs: HashMap<String, HashMap<String, usize>> = HashMap::new();
        self.db().each(
            "SELECT id, patch, officer FROM tenancies ORDER BY id",
            &[],
            |r| {
                let patch = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                let officer = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
                let i = match pairs.get(patch).and_then(|of_patch| of_patch.get(officer)) {
                    Some(i) => *i,
                    None => {
                        g.groups.push(Group {
                            patch: patch.to_string(),
                            officer: officer.to_string(),
                            tally: Tally::default(),
                        });
                        let i = g.groups.len() - 1;
                        pairs
                            .entry(patch.to_string())
                            .or_default()
                            .insert(officer.to_string(), i);
                        i
                    }
                };
                g.of_tenancy.insert(r.get(0)?, i);
                Ok(())
            },
        )?;
        Ok(g)
    }
}

/// A promise judged, or a legal step, read for a tenancy.
enum Counted {
    Promise(PromiseState),
    /// Also counted as a `Promise`: one falling due in the period's last days.
    LastDaysPromise(PromiseState),
    Step(Step),
}

/// A legal step counted from its own table.
#[derive(Clone, Copy)]
pub(super) enum Step {
    Notice,
    Order,
    Warrant,
}

/// The court events that are legal steps, for `WHERE`.
pub(super) const COURT_STEPS: &str = "kind IN ('outcome', 'warrant_applied')";

impl Step {
    /// A warrant applied for, or an outcome that is a possession order; other events are none.
    pub(super) fn of_court_event(
        kind: CourtEventKind,
        outcome: Option<CourtOutcome>,
    ) -> Option<Step> {
        match (kind, outcome) {
            (CourtEventKind::WarrantApplied, _) => Some(Step::Warrant),
            (_, Some(o)) if is_possession_order(o) => Some(Step::Order),
            _ => None,
        }
    }

    pub(super) fn count(self, t: &mut Tally) {
        match self {
            Step::Notice => t.notices += 1,
            Step::Order => t.orders += 1,
            Step::Warrant => t.warrants += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OfTenancy;

    #[test]
    fn each_tenancys_group_is_found_by_its_id_whatever_the_ids() {
        let mut of = OfTenancy::default();
        // 70,000 comes first, far beyond the rest, and is held apart; the table grows past it.
        // Then ids each as far beyond the last as the table allows are held apart too.
        let mut ids: Vec<i64> = vec![70_000, 9_000_000_000, -3, 0];
        ids.extend(1..=3_000);
        ids.extend([71_000, 80_000, 140_000, 300_000, 1_000_000]);
        for (group, id) in ids.iter().enumerate() {
            of.insert(*id, group);
        }
        assert!(of.sparse.contains_key(&70_000) && of.dense.len() > 70_000);
        for (group, id) in ids.iter().enumerate() {
            assert_eq!(of.get(id), Some(&group), "id {id}");
        }
        for id in [3_001, 69_999, 70_001, 100_000, i64::MAX, i64::MIN, -1] {
            assert_eq!(of.get(&id), None, "id {id}");
        }
        // The table stays within twice the tenancies held and a margin.
        assert!(
            of.dense.len() <= 2 * ids.len() + 65_536,
            "{}",
            of.dense.len()
        );
        assert!(of.sparse.contains_key(&140_000));
    }
}
