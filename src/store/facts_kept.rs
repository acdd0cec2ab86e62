//! Each tenancy's queue facts kept packed in one row (`queue_facts`, migration 018), so a re-rank
//! reads one table instead of five: the facts are packed here, compactly, and a row is used only
//! while it is at the version the database's triggers give its tenancy now (every table the facts
//! come from moves it, whoever writes) and was read for the same promise horizon. Any other row
//! is read again from the tables and packed again, only if nothing changed it meanwhile.

use super::Result;
use super::engine::{Columns, Db};
use super::facts::{CaseFacts, FactsPart, QueueFacts, gather};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::arrears::AccountSummary;
use crate::domain::contact::CallBack;
use crate::domain::contact::VulnerabilityCategory;
use crate::domain::plan::{Frequency, Instalments, PlanKind, PlanState};
use crate::domain::policy::{Court, Order, PlanFact};
use crate::domain::promise::{Judging, Promise};
use crate::domain::recovery::CourtOutcome;
use crate::domain::tenancy::{DebtType, Flags, Tenure};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::types::ValueRef;

/// The packing's own version, first in every row: a row packed another way reads as not kept.
/// Change it with any change to what [`pack`] writes.
const FORMAT: u8 = 2;

/// Days are packed from this one (2000-01-01, counted from the start of the common era), so the
/// dates of these years take two or three bytes.
const EPOCH: i32 = 730_120;

/// What a row was read for: facts read for another horizon (promises and call backs from another
/// day, or another tolerance) are not these facts; nor are facts packed by a build whose kinds
/// (tenure, actions, plans...) are not these, as each is packed by its place in its list.
pub(super) fn packed_for(judging: Judging) -> String {
    format!(
        "{}+{}+{}",
        judging.horizon(),
        judging.tolerance_days,
        *KINDS
    )
}

/// A fingerprint of the kinds packed by their places: every spelling of each, in order. A kind
/// added, removed or moved makes every row packed before it read as packed for something else.
static KINDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    let mut list = |spellings: &mut dyn Iterator<Item = &'static str>| {
        for s in spellings {
            hash.update(s.as_bytes());
            hash.update(b",");
        }
        hash.update(b";");
    };
    list(&mut Tenure::ALL.iter().map(|k| k.as_str()));
    list(&mut VulnerabilityCategory::ALL.iter().map(|k| k.as_str()));
    list(&mut DebtType::ALL.iter().map(|k| k.as_str()));
    list(&mut ActionKind::ALL.iter().map(|k| k.as_str()));
    list(&mut PlanKind::ALL.iter().map(|k| k.as_str()));
    list(&mut PlanState::ALL.iter().map(|k| k.as_str()));
    list(&mut CourtOutcome::ALL.iter().map(|k| k.as_str()));
    list(&mut Frequency::ALL.iter().map(|k| k.as_str()));
    let digest = hash.finalize();
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
});

/// The kept rows of a range of tenancies, in tenancy order, still packed: unpacked as they are
/// judged (see [`Kept::all_to`]), on the thread that read them, never gathered first.
pub(super) struct Kept {
    /// Each tenancy, the version its row is at (0: no row), and where its packed facts are in
    /// `bytes` if they are current (`None`: read again from the tables).
    rows: Vec<(i64, i64, Option<Span>)>,
    bytes: Vec<u8>,
    /// The tenancies to read again, in order, with the version their rows are at.
    pub stale: Vec<(i64, i64)>,
}

/// Where one row's packed facts are in [`Kept`]'s bytes: from, to.
type Span = (usize, usize);

/// Reads the kept row of every tenancy whose id is within `ids` (from, to: inclusive), in the
/// caller's transaction, so the versions and whatever it reads next agree.
pub(super) fn read(db: Db<'_>, judging: Judging, ids: (i64, i64)) -> Result<Kept> {
    let (from, to) = ids;
    // Without an order the ids come from the narrowest index that holds them (a quarter of the
    // pages of the table itself), and are put in order here.
    let mut ids: Vec<i64> = db.query_map(
        "SELECT id FROM tenancies WHERE id BETWEEN ?1 AND ?2",
        &[&from, &to],
        |r| r.get(0),
    )?;
    ids.sort_unstable();
    let mut kept = Kept {
        rows: Vec::with_capacity(ids.len()),
        // Most rows pack in under a hundred bytes.
        bytes: Vec::with_capacity(ids.len() * 96),
        stale: Vec::new(),
    };
    let mut ids = ids.into_iter().peekable();
    let packed_for = packed_for(judging);
    db.each(
        "SELECT tenancy_id, version,
            CASE WHEN packed_version = version AND packed_for = ?1 THEN packed END
         FROM queue_facts WHERE tenancy_id BETWEEN ?2 AND ?3 ORDER BY tenancy_id",
        &[&packed_for, &from, &to],
        |row| {
            let (id, version): (i64, i64) = (row.get(0)?, row.get(1)?);
            // Tenancies without a row come before this one; a row without a tenancy is passed over.
            while let Some(missing) = ids.next_if(|&t| t < id) {
                kept.stale_row(missing, 0);
            }
            if ids.next_if_eq(&id).is_none() {
                return Ok(());
            }
            match row.get_ref(2)? {
                // A row packed another way is read again without trying to unpack it.
                ValueRef::Blob(packed) if packed.first() == Some(&FORMAT) => {
                    let from = kept.bytes.len();
                    kept.bytes.extend_from_slice(packed);
                    kept.rows
                        .push((id, version, Some((from, kept.bytes.len()))));
                }
                _ => kept.stale_row(id, version),
            }
            Ok(())
        },
    )?;
    for missing in ids {
        kept.stale_row(missing, 0);
    }
    Ok(kept)
}

impl Kept {
    fn stale_row(&mut self, id: i64, version: i64) {
        self.rows.push((id, version, None));
        self.stale.push((id, version));
    }

    /// Few enough rows to read again that reading them by id beats reading every tenancy.
    pub fn few_stale(&self) -> bool {
        self.stale.len() <= self.rows.len() / 4
    }

    /// The facts of every row read handed to `each`, which takes them all, each current one
    /// unpacked as it is taken (never gathered) and each stale one taken from `again` (the stale
    /// tenancies' facts read from the tables, in tenancy order); and the rows that did not unpack
    /// (damaged), left out.
    pub fn all_to<T>(
        &self,
        again: &[QueueFacts],
        each: impl FnOnce(FactsPart<'_>) -> T,
    ) -> (T, Vec<usize>) {
        let mut damaged = Vec::new();
        let mut facts =
            (self.rows.iter().enumerate()).filter_map(|(i, &(id, _, packed))| match packed {
                Some((start, end)) => {
                    let one = unpack(id, &self.bytes[start..end]);
                    if one.is_none() {
                        damaged.push(i);
                    }
                    one
                }
                None => (again.binary_search_by_key(&id, |f| f.tenancy_id).ok())
                    .map(|at| again[at].clone()),
            });
        let out = each(&mut facts);
        (out, damaged)
    }

    /// The facts of every row read (see [`Kept::all_to`]).
    pub fn all(&self, again: &[QueueFacts]) -> (Vec<QueueFacts>, Vec<usize>) {
        self.all_to(again, gather)
    }

    /// The rows that did not unpack are read again like the stale ones.
    pub fn damaged(&mut self, rows: &[usize]) {
        for &row in rows {
            let (id, version, _) = self.rows[row];
            self.rows[row].2 = None;
            self.stale.push((id, version));
        }
        self.stale.sort_unstable();
    }
}

/// The first tenancy whose kept row is in use (at its tenancy's version now) but holds facts its
/// records do not give for the day it was kept for: a row written behind caseload's back (an
/// officer's login may write these rows on a team's database), which would rank the queue on
/// facts that are not the records' until the tenancy is next written to. Rows packed another way
/// are never used, so they are passed over.
pub(super) fn first_differing(db: Db<'_>) -> Result<Option<i64>> {
    // Grouped by the day they were kept for, each group in tenancy order.
    let rows: Vec<(i64, String, Vec<u8>)> = db.query_map(
        "SELECT tenancy_id, packed_for, packed FROM queue_facts
         WHERE packed_version = version AND packed IS NOT NULL ORDER BY packed_for, tenancy_id",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut first: Option<i64> = None;
    for group in rows.chunk_by(|a, b| a.1 == b.1) {
        let Some(judging) = judging_of(&group[0].1) else {
            continue;
        };
        let tables = super::facts::read_every(db, judging)?;
        let mut tables = tables.iter().peekable();
        for (id, _, packed) in group {
            let Some(kept) = unpack(*id, packed) else {
                continue;
            };
            while tables.next_if(|f| f.tenancy_id < *id).is_some() {}
            if tables.peek().is_none_or(|read| **read != kept) {
                first = Some(first.map_or(*id, |f| f.min(*id)));
                break;
            }
        }
    }
    Ok(first)
}

/// The promise judging a row was kept for, from its `packed_for` (see [`packed_for`]).
fn judging_of(packed_for: &str) -> Option<Judging> {
    let mut parts = packed_for.split('+');
    let (horizon, tolerance) = (parts.next()?, parts.next()?);
    if parts.next() != Some(KINDS.as_str()) || parts.next().is_some() {
        return None;
    }
    let horizon = NaiveDate::parse_from_str(horizon, "%Y-%m-%d").ok()?;
    let tolerance_days: u32 = tolerance.parse().ok()?;
    let today = horizon
        + chrono::Days::new(crate::domain::promise::CHASED_FOR_DAYS + u64::from(tolerance_days));
    Some(Judging {
        tolerance_days,
        today,
    })
}

/// Rows to keep: tenancy, the version its facts were read at, the packed facts.
pub(super) type Packed = Vec<(i64, i64, Vec<u8>)>;

/// Rows kept in one transaction, so a workstation's own writes wait for no more than a few.
pub(super) const ROWS_A_WRITE: usize = 5_000;

/// Rows written at once: a few hundred parameters a statement.
const ROWS_A_STATEMENT: usize = 100;

/// Keeps `rows`, each only if its tenancy is still at the version it was read at (a write since
/// has moved it, and its facts must be read again next time). In the caller's transaction.
pub(super) fn write(db: Db<'_>, judging: Judging, rows: &[(i64, i64, Vec<u8>)]) -> Result<()> {
    let packed_for = packed_for(judging);
    for chunk in rows.chunks(ROWS_A_STATEMENT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(?{}, ?{}, ?1, ?{})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
            .collect();
        let mut params: Vec<&dyn rusqlite::ToSql> = vec![&packed_for];
        for (id, version, packed) in chunk {
            params.extend([id as &dyn rusqlite::ToSql, version, packed]);
        }
        db.execute(
            &format!(
                "INSERT INTO queue_facts (tenancy_id, packed_version, packed_for, packed)
                 VALUES {}
                 ON CONFLICT (tenancy_id) DO UPDATE SET packed_version = excluded.packed_version,
                     packed_for = excluded.packed_for, packed = excluded.packed
                 WHERE queue_facts.version = excluded.packed_version",
                values.join(", ")
            ),
            &params,
        )?;
    }
    Ok(())
}

/// The facts `all` of the tenancies `stale` (both in tenancy order), packed with the versions
/// they were read at.
pub(super) fn pack_stale(all: &[QueueFacts], stale: &[(i64, i64)]) -> Packed {
    let mut out = Vec::with_capacity(stale.len());
    let mut facts = all.iter().peekable();
    for &(id, version) in stale {
        while facts.next_if(|f| f.tenancy_id < id).is_some() {}
        if let Some(f) = facts.next_if(|f| f.tenancy_id == id) {
            out.push((id, version, pack(f)));
        }
    }
    out
}

/// Bytes as they are written: numbers as variable-length integers (zig-zag when signed), a
/// missing value as a 0 byte before it and a present one as 1, text and lists after their length.
#[derive(Default)]
struct Packer(Vec<u8>);

impl Packer {
    fn unsigned(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn signed(&mut self, v: i64) {
        self.unsigned(((v << 1) ^ (v >> 63)) as u64);
    }

    fn flag(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }

    fn opt<T>(&mut self, v: Option<T>, then: impl FnOnce(&mut Self, T)) {
        self.flag(v.is_some());
        if let Some(v) = v {
            then(self, v);
        }
    }

    fn text(&mut self, v: &str) {
        self.unsigned(v.len() as u64);
        self.0.extend_from_slice(v.as_bytes());
    }

    fn day(&mut self, v: NaiveDate) {
        self.signed(i64::from(v.num_days_from_ce()) - i64::from(EPOCH));
    }

    /// A kind by its place among `all` of its kind.
    fn kind<T: PartialEq>(&mut self, v: &T, all: &[T]) {
        let at = all
            .iter()
            .position(|k| k == v)
            .expect("every kind is in its list");
        self.0
            .push(u8::try_from(at).expect("fewer than 256 of a kind"));
    }

    fn moment(&mut self, v: NaiveDateTime) {
        self.day(v.date());
        self.unsigned(u64::from(v.num_seconds_from_midnight()));
        self.unsigned(u64::from(v.nanosecond()));
    }

    /// Pence and the scale they are held at, so the amount reads back exactly as it was.
    fn money(&mut self, v: Money) {
        self.signed(v.pence());
        self.unsigned(u64::from(v.decimal().scale()));
    }
}

struct Unpacker<'a>(&'a [u8]);

impl Unpacker<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn unsigned(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let v = self.unsigned()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn opt<T>(&mut self, then: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.flag()? {
            then(self).map(Some)
        } else {
            Some(None)
        }
    }

    /// A list after its length, in room made once: each item takes a byte at least, so a damaged
    /// length asks for no more room than the row has.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = usize::try_from(self.unsigned()?).ok()?;
        let mut out = Vec::with_capacity(n.min(self.0.len()));
        for _ in 0..n {
            out.push(item(self)?);
        }
        Some(out)
    }

    fn text(&mut self) -> Option<&str> {
        let len = usize::try_from(self.unsigned()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (text, rest) = self.0.split_at(len);
        self.0 = rest;
        std::str::from_utf8(text).ok()
    }

    fn day(&mut self) -> Option<NaiveDate> {
        let days = i32::try_from(self.signed()?).ok()?.checked_add(EPOCH)?;
        NaiveDate::from_num_days_from_ce_opt(days)
    }

    /// A kind by its place (see [`Packer::kind`]).
    fn kind<T: Copy>(&mut self, all: &[T]) -> Option<T> {
        all.get(usize::from(self.byte()?)).copied()
    }

    fn moment(&mut self) -> Option<NaiveDateTime> {
        let day = self.day()?;
        let seconds = u32::try_from(self.unsigned()?).ok()?;
        let nanos = u32::try_from(self.unsigned()?).ok()?;
        Some(
            day.and_time(chrono::NaiveTime::from_num_seconds_from_midnight_opt(
                seconds, nanos,
            )?),
        )
    }

    fn money(&mut self) -> Option<Money> {
        let pence = self.signed()?;
        match self.unsigned()? {
            2 => Some(Money::from_pence(pence)),
            0 if pence % 100 == 0 => Some(Money::pounds(pence / 100)),
            _ => None,
        }
    }
}

/// One tenancy's facts, packed.
pub(super) fn pack(f: &QueueFacts) -> Vec<u8> {
    let mut p = Packer(Vec::with_capacity(96));
    p.0.push(FORMAT);
    p.kind(&f.tenure, Tenure::ALL);
    p.day(f.start);
    p.opt(f.end, Packer::day);
    p.money(f.weekly_charge);
    let flags = &f.flags;
    for v in [
        flags.vulnerable,
        flags.universal_credit,
        flags.housing_benefit,
        flags.deceased,
        flags.interpreter,
    ] {
        p.flag(v);
    }
    p.opt(flags.vulnerability.as_deref(), Packer::text);
    p.opt(flags.vulnerability_category, |p, c| {
        p.kind(&c, VulnerabilityCategory::ALL)
    });
    p.opt(flags.breathing_space_until, Packer::day);
    let rent = &f.rent;
    p.money(rent.balance);
    p.opt(rent.last_payment, Packer::day);
    p.opt(rent.pay_week, Packer::day);
    p.money(rent.pay_week_total);
    p.opt(rent.charge_week, Packer::day);
    p.money(rent.charge_week_total);
    p.money(f.other_debts);
    p.unsigned(f.debt_types.len() as u64);
    for t in &f.debt_types {
        p.kind(t, DebtType::ALL);
    }
    let c = &f.case;
    p.unsigned(c.latest.len() as u64);
    for (kind, at) in &c.latest {
        p.kind(kind, ActionKind::ALL);
        p.moment(*at);
    }
    p.opt(c.notice, Packer::day);
    p.opt(c.plan, |p, plan| {
        p.kind(&plan.kind, PlanKind::ALL);
        p.kind(&plan.state, PlanState::ALL);
        p.moment(plan.start);
        p.moment(plan.since);
    });
    p.opt(c.plan_id, Packer::signed);
    p.opt(c.court.hearing, Packer::day);
    p.opt(c.court.order, |p, o| {
        p.kind(&o.outcome, CourtOutcome::ALL);
        p.opt(o.date, Packer::day);
        p.flag(o.terms);
    });
    p.opt(c.court.warrant_applied, Packer::day);
    p.opt(c.court.eviction_date, Packer::day);
    p.opt(c.paused_until, Packer::day);
    p.opt(c.snoozed_until, Packer::day);
    p.text(&c.snooze_reason);
    p.text(&c.pause_reason);
    p.opt(c.instalments, |p, i| {
        p.kind(&i.frequency, Frequency::ALL);
        p.day(i.start);
        p.money(i.amount);
    });
    p.opt(c.call_back, |p, cb| {
        p.moment(cb.asked);
        p.moment(cb.at);
    });
    p.unsigned(c.promises.len() as u64);
    for (promise, received) in &c.promises {
        p.money(promise.amount);
        p.day(promise.due);
        p.money(promise.cumulative);
        p.day(promise.made);
        p.money(*received);
    }
    p.0
}

/// A tenancy's facts from its packed row; `None` for a row packed another way (or damaged),
/// which is then read from the tables instead.
pub(super) fn unpack(tenancy_id: i64, bytes: &[u8]) -> Option<QueueFacts> {
    let mut u = Unpacker(bytes);
    if u.byte()? != FORMAT {
        return None;
    }
    let tenure = u.kind(Tenure::ALL)?;
    let start = u.day()?;
    let end = u.opt(Unpacker::day)?;
    let weekly_charge = u.money()?;
    let mut flag = || u.flag();
    let (vulnerable, universal_credit, housing_benefit, deceased, interpreter) =
        (flag()?, flag()?, flag()?, flag()?, flag()?);
    let flags = Flags {
        vulnerable,
        universal_credit,
        housing_benefit,
        deceased,
        interpreter,
        vulnerability: u.opt(|u| u.text().map(str::to_string))?,
        vulnerability_category: u.opt(|u| u.kind(VulnerabilityCategory::ALL))?,
        breathing_space_until: u.opt(Unpacker::day)?,
    };
    let rent = AccountSummary {
        balance: u.money()?,
        last_payment: u.opt(Unpacker::day)?,
        pay_week: u.opt(Unpacker::day)?,
        pay_week_total: u.money()?,
        charge_week: u.opt(Unpacker::day)?,
        charge_week_total: u.money()?,
    };
    let other_debts = u.money()?;
    let debt_types = u.list(|u| u.kind(DebtType::ALL))?;
    let latest = u.list(|u| Some((u.kind(ActionKind::ALL)?, u.moment()?)))?;
    let notice = u.opt(Unpacker::day)?;
    let plan = u.opt(|u| {
        Some(PlanFact {
            kind: u.kind(PlanKind::ALL)?,
            state: u.kind(PlanState::ALL)?,
            start: u.moment()?,
            since: u.moment()?,
        })
    })?;
    let plan_id = u.opt(Unpacker::signed)?;
    let court = Court {
        hearing: u.opt(Unpacker::day)?,
        order: u.opt(|u| {
            Some(Order {
                outcome: u.kind(CourtOutcome::ALL)?,
                date: u.opt(Unpacker::day)?,
                terms: u.flag()?,
            })
        })?,
        warrant_applied: u.opt(Unpacker::day)?,
        eviction_date: u.opt(Unpacker::day)?,
    };
    let paused_until = u.opt(Unpacker::day)?;
    let snoozed_until = u.opt(Unpacker::day)?;
    let snooze_reason = u.text()?.to_string();
    let pause_reason = u.text()?.to_string();
    let instalments = u.opt(|u| {
        Some(Instalments {
            frequency: u.kind(Frequency::ALL)?,
            start: u.day()?,
            amount: u.money()?,
        })
    })?;
    let call_back = u.opt(|u| {
        Some(CallBack {
            asked: u.moment()?,
            at: u.moment()?,
        })
    })?;
    let promises = u.list(|u| {
        Some((
            Promise {
                amount: u.money()?,
                due: u.day()?,
                cumulative: u.money()?,
                made: u.day()?,
            },
            u.money()?,
        ))
    })?;
    if !u.0.is_empty() {
        return None;
    }
    Some(QueueFacts {
        tenancy_id,
        tenure,
        start,
        end,
        weekly_charge,
        flags,
        rent,
        other_debts,
        debt_types,
        case: CaseFacts {
            latest,
            notice,
            plan,
            plan_id,
            court,
            paused_until,
            snoozed_until,
            snooze_reason,
            pause_reason,
            instalments,
            call_back,
            promises,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::facts::read_every;
    use super::super::tests::{d, entry, on_each_engine};
    use super::super::{By, Store};
    use super::*;
    use crate::domain::actions::ActionKind;
    use crate::domain::codes::CodeMaps;
    use crate::domain::contact::ContactOutcome;
    use crate::domain::ledger::EntryKind;
    use crate::domain::promise::series;
    use crate::domain::reassign::Reassignment;
    use crate::domain::record::{Contact, Correction, Record};

    const EVERY: (i64, i64) = (i64::MIN, i64::MAX);

    fn judging() -> Judging {
        Judging {
            tolerance_days: 3,
            today: d("2026-11-23"),
        }
    }

    /// Ranks every tenancy through the kept rows and checks the facts are those the tables give
    /// now; gives the tenancies whose rows were stale, and checks none is after.
    fn ranked_as_the_tables(store: &Store) -> Vec<i64> {
        let judging = judging();
        let stale: Vec<i64> = read(store.db(), judging, EVERY)
            .unwrap()
            .stale
            .iter()
            .map(|(id, _)| *id)
            .collect();
        let tables = read_every(store.db(), judging).unwrap();
        let ranked = store.queue_facts(judging).unwrap();
        assert_eq!(ranked.len(), tables.len());
        for (kept, read) in ranked.iter().zip(&tables) {
            assert_eq!(kept, read, "the kept facts are the tables' facts");
        }
        let after = read(store.db(), judging, EVERY).unwrap();
        assert!(after.stale.is_empty(), "every row kept after ranking");
        assert!(after.all(&[]).0 == tables, "kept exactly as read");
        stale
    }

    /// Every kind of write, and a write made behind caseload's back, leaves the queue ranking each
    /// tenancy as its records now say: the tenancies written to are read again, the rest kept.
    #[test]
    fn the_kept_facts_are_the_tables_facts_after_every_kind_of_write() {
        on_each_engine("kept_queue_facts", kept_after_writes_on);
    }

    fn kept_after_writes_on(_: &std::path::Path, store: &mut Store) {
        crate::extract::tests::run(store, &crate::extract::tests::example(), false).unwrap();
        let ids: Vec<i64> = read_every(store.db(), judging())
            .unwrap()
            .iter()
            .map(|f| f.tenancy_id)
            .collect();
        assert!(ids.len() >= 5);
        assert_eq!(
            ranked_as_the_tables(store),
            ids,
            "an import makes every row stale"
        );
        assert!(ranked_as_the_tables(store).is_empty(), "then all are kept");
        let (t, u) = (ids[0], ids[1]);
        let rent: i64 = store
            .db()
            .query_one(
                "SELECT id FROM accounts WHERE tenancy_id = ?1 AND debt_type = 'rent'",
                &[&t],
                |r| r.get(0),
            )
            .unwrap();
        let codes = CodeMaps::default();
        let at = d("2026-11-23").and_hms_opt(10, 0, 0).unwrap();
        let by = By {
            officer: "tester",
            at,
            codes: &codes,
        };

        store
            .write("tester", "test", |w| {
                w.append_entry(&entry(rent, "2026-11-20", EntryKind::Payment, 15))
            })
            .unwrap();
        assert_eq!(ranked_as_the_tables(store), vec![t], "a payment");

        let record = |store: &mut Store, r: Record| {
            store
                .write("tester", "test", |w| w.record(&r, &by))
                .unwrap()
                .action
        };
        record(
            store,
            Record::Note {
                tenancy_id: u,
                body: "Spoke to the neighbour.".into(),
                amends: None,
            },
        );
        ranked_as_the_tables(store);

        let letter = record(
            store,
            Record::Action {
                tenancy_id: u,
                kind: ActionKind::Letter1,
                summary: "Letter 1 sent".into(),
            },
        )
        .unwrap();
        assert_eq!(ranked_as_the_tables(store), vec![u], "an action");

        record(
            store,
            Record::Contact(Box::new(Contact {
                tenancy_id: t,
                kind: ActionKind::Call,
                party: "the tenant".into(),
                third_party: false,
                consent: false,
                outgoing: Some(true),
                started: Some(at),
                seconds: Some(60),
                outcome: ContactOutcome::PromiseToPay,
                call_back: None,
                checklist: vec![],
                note: "Will pay weekly.".into(),
                promises: series(Money::pounds(20), d("2026-11-27"), 7, 3, d("2026-11-23")),
            })),
        );
        assert_eq!(ranked_as_the_tables(store), vec![t], "a promise");

        store
            .write("tester", "test", |w| {
                w.add_plan(&crate::store::NewPlan {
                    tenancy_id: t,
                    account_id: rent,
                    terms: crate::domain::plan::PlanTerms {
                        kind: PlanKind::Informal,
                        frequency: Frequency::Weekly,
                        start: d("2026-11-30"),
                        instalment: Money::pounds(10),
                        lump_sum: Money::ZERO,
                        lump_date: None,
                        starting_balance: Money::pounds(300),
                        method: None,
                    },
                    replaces: None,
                    reason: "agreed on the phone",
                    at,
                    officer: "tester",
                    ext_id: None,
                })
            })
            .unwrap();
        assert_eq!(ranked_as_the_tables(store), vec![t], "a plan");

        record(
            store,
            Record::Correct(Box::new(Correction {
                tenancy_id: u,
                action_id: letter,
                line: "Letter 1: Letter 1 sent".into(),
                reason: "Not sent after all".into(),
                replacement: None,
            })),
        );
        assert_eq!(ranked_as_the_tables(store), vec![u], "a correction");

        let held = store.holdings(&[u]).unwrap();
        store
            .write("tester", "test", |w| {
                w.reassign(&Reassignment::new(held, "Someone Else"))
            })
            .unwrap();
        assert_eq!(ranked_as_the_tables(store), vec![u], "a reassignment");

        // The same extract again changes nothing it holds.
        crate::extract::tests::run(store, &crate::extract::tests::example(), false).unwrap();
        ranked_as_the_tables(store);

        // Behind caseload's back: a payment inserted by hand moves the balance the triggers keep
        // (on a team's database, in a write that takes its turn as every write must).
        let by_hand = format!(
            "INSERT INTO batches (officer, source, at) VALUES ('someone', 'sql', '2026-11-23 11:00:00');
             INSERT INTO ledger (account_id, batch_id, date, kind, amount)
             VALUES ({rent}, (SELECT max(id) FROM batches), '2026-11-23', 'payment', -4200);"
        );
        match store.db() {
            Db::Sqlite(conn) => conn.execute_batch(&by_hand).unwrap(),
            Db::Pg(server) => server
                .batch(&format!(
                    "BEGIN; SELECT caseload_take_turn(); {by_hand} COMMIT;"
                ))
                .unwrap(),
        }
        assert_eq!(ranked_as_the_tables(store), vec![t], "a payment by hand");

        // A current row that does not unpack (damaged: its format, then nothing) is read from the
        // tables as if stale, and kept again ("kept exactly as read" above fails if it is not).
        let damage = |bytes: &str| {
            format!("UPDATE queue_facts SET packed = {bytes} WHERE tenancy_id = {u};")
        };
        match store.db() {
            Db::Sqlite(conn) => conn
                .execute_batch(&damage(&format!("X'{FORMAT:02X}'")))
                .unwrap(),
            Db::Pg(server) => server
                .batch(&format!(
                    "BEGIN; SELECT caseload_take_turn(); {} COMMIT;",
                    damage(&format!("'\\x{FORMAT:02x}'::bytea"))
                ))
                .unwrap(),
        }
        assert!(
            ranked_as_the_tables(store).is_empty(),
            "a damaged row is current until it is unpacked"
        );
    }

    /// What a row was kept for reads back as the judging it was packed for; a row kept by a build
    /// whose kinds were listed otherwise (or before they were fingerprinted) reads as kept for
    /// nothing this build can check, and a day packed from before the epoch reads back as it was.
    #[test]
    fn a_row_is_kept_for_its_judging_and_these_kinds() {
        let judging = judging();
        assert_eq!(judging_of(&packed_for(judging)), Some(judging));
        let horizon = judging.horizon();
        for other in [
            format!("{horizon}+3"),
            format!("{horizon}+3+00000000"),
            format!("{}+x", packed_for(judging)),
        ] {
            assert_eq!(judging_of(&other), None, "{other}");
        }
        let mut p = Packer::default();
        for day in [d("1999-12-31"), d("2000-01-01"), d("2026-11-23")] {
            p.day(day);
        }
        let mut u = Unpacker(&p.0);
        assert_eq!(
            [u.day(), u.day(), u.day()],
            [d("1999-12-31"), d("2000-01-01"), d("2026-11-23")].map(Some)
        );
        assert_eq!(
            NaiveDate::from_num_days_from_ce_opt(EPOCH),
            Some(d("2000-01-01"))
        );
    }

    /// A kept row the queue would use, written with another tenancy's facts (an officer's login
    /// may write these rows on a team's database), is named by `verify`'s check, until a write to
    /// the tenancy means the row is read again and no longer used.
    #[test]
    fn a_kept_row_that_is_not_its_records_is_found() {
        on_each_engine("kept_differing", |_, store| {
            crate::extract::tests::run(store, &crate::extract::tests::example(), false).unwrap();
            store.queue_facts(judging()).unwrap();
            assert_eq!(first_differing(store.db()).unwrap(), None, "as ranked");
            let ids: Vec<i64> = store
                .db()
                .query_map("SELECT id FROM tenancies ORDER BY id", &[], |r| r.get(0))
                .unwrap();
            let (t, u) = (ids[0], ids[1]);
            let planted = format!(
                "UPDATE queue_facts SET packed = (SELECT packed FROM queue_facts WHERE tenancy_id = {t})
                 WHERE tenancy_id = {u}"
            );
            match store.db() {
                Db::Sqlite(conn) => conn.execute_batch(&planted).unwrap(),
                Db::Pg(server) => server.batch(&planted).unwrap(),
            }
            assert_eq!(first_differing(store.db()).unwrap(), Some(u), "planted");

            store
                .write("tester", "test", |w| {
                    w.record(
                        &Record::Action {
                            tenancy_id: u,
                            kind: ActionKind::Letter1,
                            summary: "Letter 1 sent".into(),
                        },
                        &By {
                            officer: "tester",
                            at: d("2026-11-23").and_hms_opt(10, 0, 0).unwrap(),
                            codes: &CodeMaps::default(),
                        },
                    )
                })
                .unwrap();
            assert_eq!(
                first_differing(store.db()).unwrap(),
                None,
                "read again after a write"
            );
        });
    }
}
