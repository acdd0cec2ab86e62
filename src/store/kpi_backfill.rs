//! The trend's weeks worked out together: one pass over each table, grouped by rent week, where
//! reading each week as its own period ([`Store::kpi_groups`]) would read every account's
//! balance once a week (52 × 50,000 sums at a large landlord's scale). The figures are the same,
//! to the penny (tests/kpi.rs holds the two to it). The current week up to today is worked out
//! the same way, as one short span.

use super::engine::Columns as _;
use super::kpi::{COURT_STEPS, OfTenancy, Step};
use super::recovery::IN_FORCE;
use super::sql_types::{Day, day, opt_day};
use super::{Result, Store};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::dates::{RentYear, iso};
use crate::domain::kpi::{AccountAt, Group, Period, Tally, is_current};
use crate::domain::ledger::EntryKind;
use crate::domain::plan::PlanState;
use crate::domain::tenancy::DebtType;
use chrono::{Days, NaiveDate};

/// Consecutive spans of days, each within one rent week, and each group's tally in each.
struct Weeks {
    first: NaiveDate,
    /// Each span's last day, where things stood for it.
    ends: Vec<NaiveDate>,
    /// The day after each span, as stored: a date on or after the `i`th is not in span `i`.
    after: Vec<String>,
    /// Weekly debits in each span's rent year, for its rent roll.
    rent_weeks: Vec<u32>,
    /// `tallies[span][group]`.
    tallies: Vec<Vec<Tally>>,
}

impl Weeks {
    fn new(first: NaiveDate, ends: &[NaiveDate], groups: usize) -> Weeks {
        Weeks {
            first,
            after: ends.iter().map(|e| iso(*e + Days::new(1))).collect(),
            rent_weeks: ends
                .iter()
                .map(|e| RentYear::containing(*e).weeks())
                .collect(),
            ends: ends.to_vec(),
            tallies: vec![vec![Tally::default(); groups]; ends.len()],
        }
    }

    /// The span a stored date (on or after the first day) falls in; the count if after them all.
    fn of_text(&self, date: &str) -> usize {
        self.after.partition_point(|after| after.as_str() <= date)
    }

    /// The span a date falls in, if one of them.
    fn of(&self, date: NaiveDate) -> Option<usize> {
        let span = self.ends.partition_point(|end| *end < date);
        (date >= self.first && span < self.ends.len()).then_some(span)
    }

    fn last_end(&self) -> NaiveDate {
        self.ends.last().copied().unwrap_or(self.first)
    }
}

/// An account as the balances are carried back from: who it belongs to and what it owes now.
struct Account {
    id: i64,
    group: Option<usize>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    weekly_charge: Money,
    debt_type: DebtType,
    balance: i64,
}

impl Store {
    /// Each rent week of `count` from `first` (a Monday) as its own period: the same groups, in
    /// the same order, as [`Store::kpi_groups`] gives for each week, worked out in one pass.
    pub fn kpi_week_groups(
        &self,
        first: NaiveDate,
        count: usize,
        promise_tolerance: u32,
    ) -> Result<Vec<Vec<Group>>> {
        let sundays: Vec<NaiveDate> = (1..=count as u64)
            .map(|i| first + Days::new(7 * i - 1))
            .collect();
        Ok(self
            .kpi_span_groups(first, &sundays, None, promise_tolerance)?
            .0)
    }

    /// From `from` to `to`, a part of one rent week, as its own period: the figures
    /// [`Store::kpi_groups`] gives for it, in one pass; and in the same groups the promises
    /// falling due in `earlier`, judged on `to` (those of the kept weeks before it in a longer
    /// period, which each week judged on its own last day).
    pub fn kpi_part_week_groups(
        &self,
        part: Period,
        earlier: Option<Period>,
        promise_tolerance: u32,
    ) -> Result<(Vec<Group>, Vec<Group>)> {
        let (mut spans, earlier) =
            self.kpi_span_groups(part.from, &[part.to], earlier, promise_tolerance)?;
        Ok((spans.pop().unwrap_or_default(), earlier))
    }

    /// Each span from `first` to the first of `ends`, from the day after it to the next, and so
    /// on, each within one rent week; and the promises falling due in `earlier` judged on the
    /// last span's end.
    fn kpi_span_groups(
        &self,
        first: NaiveDate,
        ends: &[NaiveDate],
        earlier: Option<Period>,
        promise_tolerance: u32,
    ) -> Result<(Vec<Vec<Group>>, Vec<Group>)> {
        let index = self.kpi_group_index()?;
        let of_tenancy = &index.of_tenancy;
        let mut w = Weeks::new(first, ends, index.groups.len());
        let mut promised = vec![Tally::default(); index.groups.len()];
        if !ends.is_empty() {
            // The ledger on this connection, and the records, plans and earlier promises on the
            // kept second one at the same time (the machine's other core), each into tallies of
            // its own added up after; one after the other when a second one cannot be opened.
            let mut records = Weeks::new(first, ends, index.groups.len());
            let read_records =
                |store: &Store, records: &mut Weeks, promised: &mut [Tally]| -> Result<()> {
                    store.weekly_records(records, of_tenancy, promise_tolerance)?;
                    store.weekly_plans(records, of_tenancy)?;
                    let Some(due) = earlier else { return Ok(()) };
                    let judged = records.last_end();
                    store.kpi_promises(due, promise_tolerance, |tenancy, p| {
                        if let Some(&group) = of_tenancy.get(&tenancy) {
                            let state = p.promise.state(p.received, judged, promise_tolerance);
                            promised[group].add_promise(state);
                        }
                    })
                };
            self.side_by_side(
                |store| store.weekly_ledger(&mut w, of_tenancy),
                |store| read_records(store, &mut records, &mut promised),
            )?;
            w.add(&records);
        }
        let tallies = w.tallies.into_iter().map(|t| index.named(t)).collect();
        Ok((tallies, index.named(promised)))
    }

    /// `here` on this connection and `there` on the kept second one at the same time (the
    /// machine's other core); one after the other when a second one cannot be opened. The first
    /// time, the second connection is opened on its own thread while `here` starts.
    pub(super) fn side_by_side(
        &self,
        here: impl FnOnce(&Store) -> Result<()>,
        there: impl FnOnce(&Store) -> Result<()> + Send,
    ) -> Result<()> {
        let kept = self.kpi_helper.take();
        let opener = self.opener();
        let (done, theirs) = std::thread::scope(|s| {
            let other = crate::cores::spawn_part(s, move || {
                match kept.map_or_else(|| opener.open().map(Box::new), Ok) {
                    Ok(helper) => {
                        let done = there(&helper);
                        (Some(helper), Ok(done))
                    }
                    // Given back, to be done here after.
                    Err(_) => (None, Err(there)),
                }
            });
            let done = here(self);
            let (helper, theirs) = other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            self.kpi_helper.replace(helper);
            (done, theirs)
        });
        done?;
        theirs.unwrap_or_else(|there| there(self))
    }

    /// Money that moved each week, and where each account stood at each week's end: its
    /// balance today less what is dated after, carried back week by week from one read of its
    /// entries since `first`.
    fn weekly_ledger(&self, w: &mut Weeks, of_tenancy: &OfTenancy) -> Result<()> {
        let db = self.db();
        let accounts = db.query_map(
            "SELECT a.id, t.id, t.start_date, t.end_date, t.weekly_charge, a.debt_type, a.balance
             FROM accounts a JOIN tenancies t ON t.id = a.tenancy_id ORDER BY a.id",
            &[],
            |r| {
                Ok(Account {
                    id: r.get(0)?,
                    group: of_tenancy.get(&r.get(1)?).copied(),
                    start: day(r, 2)?,
                    end: opt_day(r, 3)?,
                    weekly_charge: r.get(4)?,
                    debt_type: r.get(5)?,
                    balance: r.get(6)?,
                })
            },
        )?;
        // What the account being read moved each week, and after the last (index `count`).
        let mut moved = vec![0i64; w.ends.len() + 1];
        let mut next = accounts.iter().peekable();
        // Each account's entries through its index on (account, date), account by account.
        let sql = format!(
            "SELECT l.account_id, l.date, l.kind, r.kind, l.amount
             FROM accounts a {} ledger l ON l.account_id = a.id AND l.date >= ?1
             LEFT JOIN ledger r ON r.id = l.reverses
             ORDER BY a.id",
            db.dialect().join_in_order()
        );
        db.each(&sql, &[&Day(w.first)], |r| {
            let id: i64 = r.get(0)?;
            // Accounts before this one are complete (those with no entries since `first` too).
            while let Some(a) = next.next_if(|a| a.id < id) {
                w.stand(a, &mut moved);
            }
            // Every account is read: an entry is on one of them.
            let Some(a) = next.peek().filter(|a| a.id == id) else {
                return Ok(());
            };
            let date = r.get_ref(1)?.as_str().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
            })?;
            let week = w.of_text(date);
            let amount: i64 = r.get(4)?;
            moved[week] += amount;
            if let (Some(group), Some(tallies)) = (a.group, w.tallies.get_mut(week)) {
                let (kind, reverses): (EntryKind, Option<EntryKind>) = (r.get(2)?, r.get(3)?);
                tallies[group].add_entries(a.debt_type, kind, reverses, Money::from_pence(amount));
            }
            Ok(())
        })?;
        for a in next {
            w.stand(a, &mut moved);
        }
        Ok(())
    }

    /// Promises falling due each week (judged on its last day), actions recorded in it, and the
    /// legal steps taken in it.
    fn weekly_records(
        &self,
        w: &mut Weeks,
        of_tenancy: &OfTenancy,
        promise_tolerance: u32,
    ) -> Result<()> {
        let (first, last) = (Day(w.first), Day(w.last_end()));
        let due = Period {
            from: w.first,
            to: w.last_end(),
        };
        self.kpi_promises(due, promise_tolerance, |tenancy, p| {
            if let Some((span, group)) = w.slot(of_tenancy, tenancy, p.promise.due) {
                let state = p.promise.state(p.received, w.ends[span], promise_tolerance);
                w.tallies[span][group].add_promise(state);
            }
        })?;

        // Every action of a span is in its last rent week: a span is within one.
        let db = self.db();
        let dialect = db.dialect();
        let on = dialect.day_of("at");
        db.each(
            &format!(
                "SELECT tenancy_id, kind, {on}, count(*) FROM actions
                 WHERE at >= {} AND at < {}
                   AND id NOT IN (SELECT action_id FROM corrections)
                 GROUP BY tenancy_id, kind, {on}",
                dialect.date("?1"),
                dialect.day_after("?2")
            ),
            &[&first, &last],
            |r| {
                let kind = ActionKind::parse(&r.get::<_, String>(1)?).unwrap_or(ActionKind::Other);
                if let Some(tally) = w.tally(of_tenancy, r.get(0)?, day(r, 2)?) {
                    tally.add_actions(kind, r.get(3)?, true);
                }
                Ok(())
            },
        )?;

        db.each(
            &format!(
                "SELECT tenancy_id, served_on FROM notices
                 WHERE served_on BETWEEN ?1 AND ?2 AND {IN_FORCE}"
            ),
            &[&first, &last],
            |r| {
                if let Some(tally) = w.tally(of_tenancy, r.get(0)?, day(r, 1)?) {
                    Step::Notice.count(tally);
                }
                Ok(())
            },
        )?;
        db.each(
            &format!(
                "SELECT tenancy_id, on_date, kind, outcome FROM court_events
                 WHERE on_date BETWEEN ?1 AND ?2 AND {COURT_STEPS} AND {IN_FORCE}"
            ),
            &[&first, &last],
            |r| {
                let step = Step::of_court_event(r.get(2)?, r.get(3)?);
                if let (Some(step), Some(tally)) =
                    (step, w.tally(of_tenancy, r.get(0)?, day(r, 1)?))
                {
                    step.count(tally);
                }
                Ok(())
            },
        )
    }

    /// Each tenancy's current plan at each week's end (among those agreed by then, the one
    /// agreed last), in the state its last change by then left it.
    fn weekly_plans(&self, w: &mut Weeks, of_tenancy: &OfTenancy) -> Result<()> {
        let db = self.db();
        // Every plan's changes, by plan and then in the order they were recorded.
        let changes = db.query_map(
            "SELECT plan_id, on_date, state FROM plan_events ORDER BY plan_id, id",
            &[],
            |r| Ok((r.get::<_, i64>(0)?, day(r, 1)?, r.get::<_, PlanState>(2)?)),
        )?;
        // In each tenancy's order of agreement, so its current plan at a day is the last one
        // agreed before the next day starts.
        let plans = db.query_map(
            &format!(
                "SELECT tenancy_id, id, at FROM plans WHERE {IN_FORCE} ORDER BY tenancy_id, at, id"
            ),
            &[],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )?;
        for tenancy in plans.chunk_by(|a, b| a.0 == b.0) {
            let Some(&group) = of_tenancy.get(&tenancy[0].0) else {
                continue;
            };
            for (week, end) in w.ends.iter().enumerate() {
                // Agreed before the day after the week's end: `at < date(end, '+1 day')`.
                let agreed = tenancy.partition_point(|p| p.2.as_str() < w.after[week].as_str());
                let Some((_, plan, _)) = agreed.checked_sub(1).map(|i| &tenancy[i]) else {
                    continue;
                };
                let of_plan = &changes[changes.partition_point(|c| c.0 < *plan)
                    ..changes.partition_point(|c| c.0 <= *plan)];
                let state = of_plan
                    .iter()
                    .rev()
                    .find(|(_, on, _)| on <= end)
                    .map_or(PlanState::Live, |(_, _, state)| *state);
                w.tallies[week][group].add_plan(state);
            }
        }
        Ok(())
    }
}

impl Weeks {
    /// The week `date` falls in and `tenancy`'s group.
    fn slot(
        &self,
        of_tenancy: &OfTenancy,
        tenancy: i64,
        date: NaiveDate,
    ) -> Option<(usize, usize)> {
        Some((self.of(date)?, *of_tenancy.get(&tenancy)?))
    }

    /// The tally of `tenancy`'s group in the week `date` falls in.
    fn tally(
        &mut self,
        of_tenancy: &OfTenancy,
        tenancy: i64,
        date: NaiveDate,
    ) -> Option<&mut Tally> {
        let (week, group) = self.slot(of_tenancy, tenancy, date)?;
        Some(&mut self.tallies[week][group])
    }

    /// Adds `other`'s tallies to these, span by span and group by group.
    fn add(&mut self, other: &Weeks) {
        for (mine, theirs) in self.tallies.iter_mut().zip(&other.tallies) {
            for (tally, their) in mine.iter_mut().zip(theirs) {
                tally.merge(their);
            }
        }
    }

    /// Adds where `a` stood at each week's end, from today's balance less what it `moved` in
    /// and after each week (which is then cleared for the next account).
    fn stand(&mut self, a: &Account, moved: &mut [i64]) {
        let count = self.ends.len();
        let mut balance = a.balance - moved[count];
        for week in (0..count).rev() {
            let end = self.ends[week];
            if let Some(group) = a.group.filter(|_| a.start <= end) {
                let at = AccountAt {
                    debt_type: a.debt_type,
                    weekly_charge: a.weekly_charge,
                    balance: Money::from_pence(balance),
                    current: is_current(a.start, a.end, end),
                };
                self.tallies[week][group].add_account(at, self.rent_weeks[week]);
            }
            balance -= moved[week];
        }
        moved.fill(0);
    }
}
