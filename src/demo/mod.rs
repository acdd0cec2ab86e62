//! A generated demo caseload that looks like a real patch: tenancies in credit, small and large
//! arrears, joint tenants, former tenants, garages and rechargeable repairs, UC and HB claimants,
//! vulnerable tenants, letters, calls and notes. Deterministic for a given seed and "today".
//!
//! It writes through the same [`Writer`] as every other write, so the demo is shaped by the same
//! rules (signs, references, append-only) as real data.

mod names;

use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::dates::{RentYear, week_start};
use crate::domain::ledger::{EntryKind, PaymentMethod};
use crate::domain::tenancy::{DebtType, Flags, Tenant, Tenure};
use crate::store::{NewAction, NewEntry, NewNote, NewTenancy, NewTenant, Result, Store, Writer};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use fastrand::Rng;
use names::*;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub accounts: usize,
    pub years: u32,
    pub seed: u64,
    pub today: NaiveDate,
}

/// The most tenancies a demo can hold with unique six-digit references.
pub const MAX_ACCOUNTS: usize = 900_000;

/// Tenancies written per transaction: large enough to be fast, small enough to keep the WAL small.
const CHUNK: usize = 500;

/// Writes a demo caseload into a new database at `out`. The file appears only when complete (it is
/// built beside it and renamed), so an interrupted run never leaves a half-made demo to be reused.
pub fn generate_file(
    out: &Path,
    options: &DemoOptions,
    mut progress: impl FnMut(usize),
) -> Result<usize> {
    let partial = out.with_extension("partial");
    for stale in [partial.clone(), wal_of(&partial), shm_of(&partial)] {
        let _ = std::fs::remove_file(stale);
    }
    let mut store = Store::create_scratch(&partial)?;
    let mut rng = Rng::with_seed(options.seed);
    let mut done = 0;
    while done < options.accounts {
        let upto = (done + CHUNK).min(options.accounts);
        store.write_bulk("demo", "demo", |w| {
            (done..upto).try_for_each(|i| tenancy(w, &mut rng, options, i))
        })?;
        done = upto;
        progress(done);
    }
    store.finish_scratch()?;
    std::fs::rename(&partial, out).map_err(|source| crate::store::StoreError::Create {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(done)
}

fn wal_of(db: &Path) -> std::path::PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-wal");
    s.into()
}

fn shm_of(db: &Path) -> std::path::PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push("-shm");
    s.into()
}

/// How a household pays, which shapes its ledger.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Habit {
    /// Pays the rent every week, occasionally late.
    Steady,
    /// Pays a monthly Direct Debit of the monthly equivalent.
    MonthlyDebit,
    /// Pays a little over the rent: an account in credit.
    Overpays,
    /// Universal Credit housing costs paid monthly in arrears, straight to the landlord.
    UniversalCredit,
    /// Housing Benefit four-weekly in arrears, the tenant tops up the rest.
    HousingBenefit,
    /// Misses a week now and then and pays short: modest arrears.
    Slipping,
    /// Pays irregularly: serious arrears.
    Struggling,
    /// Paid well until recently, then stopped: new arrears.
    Stopped,
}

fn pick<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn pounds_pence(rng: &mut Rng, from: i64, to: i64) -> Money {
    Money::from_pence(rng.i64(from * 100..=to * 100))
}

fn tenancy(w: &mut Writer<'_>, rng: &mut Rng, o: &DemoOptions, index: usize) -> Result<()> {
    let today = o.today;
    let history_start = week_start(today - Days::new(u64::from(o.years) * 365));
    let start = today - Days::new(rng.u64(60..9_000));
    let former = rng.u8(..100) < 8;
    let end = former.then(|| today - Days::new(rng.u64(14..(u64::from(o.years) * 300).max(30))));
    let end = end.filter(|e| *e > start + Days::new(60));
    let (town, code) = TOWNS[rng.usize(..TOWNS.len())];
    let street = format!("{} {}", pick(rng, STREETS), pick(rng, STREET_KINDS));
    let address = if rng.u8(..100) < 40 {
        format!(
            "Flat {}, {}, {street}, {town}",
            rng.u16(1..80),
            pick(rng, BLOCKS)
        )
    } else {
        format!("{} {street}, {town}", rng.u16(1..220))
    };
    let postcode = format!(
        "{code}{} {}{}{}",
        rng.u8(1..20),
        rng.u8(1..10),
        char::from(b'A' + rng.u8(..26)),
        char::from(b'A' + rng.u8(..26))
    );
    let tenure = match rng.u8(..100) {
        0..=59 => Tenure::Secure,
        60..=84 => Tenure::Assured,
        85..=89 => Tenure::Introductory,
        90..=92 => Tenure::Starter,
        93..=96 => Tenure::Temporary,
        _ => Tenure::NonSecure,
    };
    let weekly = pounds_pence(rng, 72, 185);
    let uc = rng.u8(..100) < 32;
    let hb = !uc && rng.u8(..100) < 22;
    let vulnerable = rng.u8(..100) < 9;
    let habit = match (uc, hb, rng.u8(..100)) {
        (true, _, 0..=69) => Habit::UniversalCredit,
        (_, true, 0..=79) => Habit::HousingBenefit,
        (_, _, 0..=34) => Habit::Steady,
        (_, _, 35..=49) => Habit::MonthlyDebit,
        (_, _, 50..=57) => Habit::Overpays,
        (_, _, 58..=79) => Habit::Slipping,
        (_, _, 80..=91) => Habit::Struggling,
        _ => Habit::Stopped,
    };
    let flags = Flags {
        vulnerable,
        vulnerability: vulnerable.then(|| pick(rng, VULNERABILITIES).to_string()),
        universal_credit: uc,
        housing_benefit: hb,
        breathing_space_until: (rng.u16(..1000) < 12).then(|| today + Days::new(rng.u64(5..60))),
        deceased: former && rng.u8(..100) < 5,
        interpreter: rng.u8(..100) < 3,
    };
    let tenancy_id = w.add_tenancy(&NewTenancy {
        // 7919 is prime to 900,000, so references are unique for up to that many tenancies.
        reference: format!(
            "{:06}/{}",
            100_000 + index * 7919 % MAX_ACCOUNTS,
            1 + index % 3
        ),
        address,
        postcode,
        tenure,
        start,
        end,
        patch: pick(rng, PATCHES).to_string(),
        officer: pick(rng, OFFICERS).to_string(),
        weekly_charge: weekly,
        flags,
    })?;
    people(w, rng, tenancy_id)?;

    let rent = w.account(tenancy_id, DebtType::Rent)?;
    let from = history_start.max(week_start(start));
    let to = end.unwrap_or(today).min(today);
    let balance = rent_history(w, rng, rent, habit, weekly, from, to, today)?;

    if rng.u8(..100) < 6 {
        garage(w, rng, tenancy_id, from, to, today)?;
    }
    if rng.u8(..100) < 5 {
        recharge(w, rng, tenancy_id, from.max(to - Days::new(700)), to, today)?;
    }
    contact(w, rng, tenancy_id, balance, weekly, today)
}

fn people(w: &mut Writer<'_>, rng: &mut Rng, tenancy_id: i64) -> Result<()> {
    let surname = pick(rng, SURNAMES);
    let joint = rng.u8(..100) < 24;
    for n in 0..(1 + usize::from(joint)) {
        let last = if n == 1 && rng.u8(..100) < 30 {
            pick(rng, SURNAMES)
        } else {
            surname
        };
        let first = pick(rng, FIRST_NAMES);
        let title = ["Mr", "Mrs", "Ms", "Miss", "Mx", ""][rng.usize(..6)];
        w.add_tenant(
            tenancy_id,
            &NewTenant {
                tenant: Tenant {
                    title: title.into(),
                    first_name: first.into(),
                    last_name: last.into(),
                    phone: (rng.u8(..100) < 90).then(|| format!("07700 900{:03}", rng.u16(..1000))),
                    phone2: (rng.u8(..100) < 25)
                        .then(|| format!("0113 496 0{:03}", rng.u16(..1000))),
                    email: (rng.u8(..100) < 55).then(|| {
                        format!(
                            "{}.{}@example.net",
                            first.to_lowercase(),
                            last.to_lowercase()
                        )
                    }),
                },
                date_of_birth: Some(
                    NaiveDate::from_ymd_opt(rng.i32(1940..2005), rng.u32(1..13), rng.u32(1..29))
                        .expect("day 1-28 exists in every month"),
                ),
                contact_preference: Some(
                    ["phone", "sms", "email", "letter"][rng.usize(..4)].into(),
                ),
            },
        )?;
    }
    Ok(())
}

/// This year's rent back-dated by the April increases of earlier years.
fn charge_in(weekly_now: Money, week: NaiveDate, today: NaiveDate) -> Money {
    // Published social rent increases, newest first (7.7% in 2024/25 and so on): realistic steps.
    const RISES_PER_MILLE: [i64; 6] = [27, 77, 70, 41, 15, 27];
    let years_back = (RentYear::containing(today).0 - RentYear::containing(week).0).max(0);
    let mut pence = weekly_now.pence();
    for rise in RISES_PER_MILLE
        .iter()
        .cycle()
        .take(usize::try_from(years_back).unwrap_or(0))
    {
        pence = pence * 1000 / (1000 + rise);
    }
    Money::from_pence(pence)
}

/// Posts entries to one account, keeping its balance, and never into the future.
struct Posting {
    account: i64,
    balance: Money,
    today: NaiveDate,
}

impl Posting {
    fn post(
        &mut self,
        w: &mut Writer<'_>,
        date: NaiveDate,
        kind: EntryKind,
        method: Option<PaymentMethod>,
        amount: Money,
        text: &str,
    ) -> Result<()> {
        if amount.is_zero() || date > self.today {
            return Ok(());
        }
        self.balance += amount;
        w.append_entry(&NewEntry {
            account_id: self.account,
            date,
            kind,
            method,
            amount,
            description: (!text.is_empty()).then_some(text),
            reverses: None,
            ext_id: None,
        })?;
        Ok(())
    }

    /// A payment of `amount` on some day of the week starting `week`.
    fn pay(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        week: NaiveDate,
        amount: Money,
        method: PaymentMethod,
    ) -> Result<()> {
        let day = week + Days::new(rng.u64(0..7));
        self.post(w, day, EntryKind::Payment, Some(method), -amount, "")
    }
}

#[allow(clippy::too_many_arguments)]
fn rent_history(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    account: i64,
    habit: Habit,
    weekly_now: Money,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Money> {
    let mut ledger = Posting {
        account,
        balance: Money::ZERO,
        today,
    };
    let method = [
        PaymentMethod::DirectDebit,
        PaymentMethod::StandingOrder,
        PaymentMethod::Card,
    ][rng.usize(..3)];
    let stop_weeks = rng.i64(2..9);
    let pay_day = rng.u32(1..29);
    let hb_share = rng.u8(60..=100);
    let percent = |m: Money, p: u8| Money::from_pence(m.pence() * i64::from(p) / 100);
    let mut week = from;
    while week <= to {
        let charge = charge_in(weekly_now, week, today);
        ledger.post(w, week, EntryKind::Charge, None, charge, "")?;
        let weeks_left = (today - week).num_days() / 7;
        match habit {
            Habit::Steady | Habit::Overpays => {
                let extra = if habit == Habit::Overpays {
                    pounds_pence(rng, 1, 8)
                } else {
                    Money::ZERO
                };
                if rng.u8(..100) < 96 {
                    ledger.pay(w, rng, week, charge + extra, method)?;
                }
            }
            Habit::Stopped if weeks_left > stop_weeks => {
                ledger.pay(w, rng, week, charge, method)?
            }
            Habit::Slipping => match rng.u8(..100) {
                0..78 => ledger.pay(w, rng, week, charge, PaymentMethod::Card)?,
                78..90 => {
                    let part = percent(charge, rng.u8(40..95));
                    ledger.pay(w, rng, week, part, PaymentMethod::Cash)?;
                }
                _ => {}
            },
            Habit::Struggling => {
                if rng.u8(..100) < 55 {
                    let part = percent(charge, rng.u8(30..120));
                    ledger.pay(w, rng, week, part, PaymentMethod::Card)?;
                }
                // Arrears this deep bring an arrangement: catch-up payments.
                if ledger.balance > Money::from_pence(charge.pence() * 14) {
                    let catch_up = charge + pounds_pence(rng, 5, 25);
                    ledger.pay(w, rng, week, catch_up, PaymentMethod::Card)?;
                }
            }
            // The tenant pays what benefit does not cover, most weeks.
            Habit::HousingBenefit if hb_share < 100 && rng.u8(..100) < 88 => {
                ledger.pay(
                    w,
                    rng,
                    week,
                    percent(charge, 100 - hb_share),
                    PaymentMethod::Cash,
                )?;
            }
            _ => {}
        }
        // Monthly and four-weekly payers pay on their own calendar inside this week.
        let monthly = Money::from_pence(charge.pence() * 52 / 12);
        for offset in 0..7 {
            let day = week + Days::new(offset);
            match habit {
                Habit::MonthlyDebit if day.day() == pay_day => {
                    ledger.post(
                        w,
                        day,
                        EntryKind::Payment,
                        Some(PaymentMethod::DirectDebit),
                        -monthly,
                        "Direct Debit",
                    )?;
                }
                // UC pays in arrears, a month behind its start, so a claimant carries "technical" arrears.
                Habit::UniversalCredit
                    if day.day() == pay_day && day > from + Days::new(35) && rng.u8(..100) < 93 =>
                {
                    let text = "Universal Credit housing costs";
                    ledger.post(
                        w,
                        day,
                        EntryKind::Payment,
                        Some(PaymentMethod::UcDirect),
                        -monthly,
                        text,
                    )?;
                }
                // Housing Benefit is paid four-weekly in arrears.
                Habit::HousingBenefit
                    if offset == 0 && day > from && (day - from).num_days() % 28 == 0 =>
                {
                    let four_weeks = Money::from_pence(percent(charge, hb_share).pence() * 4);
                    ledger.post(
                        w,
                        day,
                        EntryKind::Payment,
                        Some(PaymentMethod::HousingBenefit),
                        -four_weeks,
                        "Housing Benefit",
                    )?;
                }
                _ => {}
            }
        }
        week = week + Days::new(7);
    }
    Ok(ledger.balance)
}

fn garage(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    tenancy_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let mut ledger = Posting {
        account: w.account(tenancy_id, DebtType::Garage)?,
        balance: Money::ZERO,
        today,
    };
    let weekly = pounds_pence(rng, 9, 16);
    let reliable = rng.u8(..100) < 60;
    let mut week = from;
    while week <= to {
        ledger.post(w, week, EntryKind::Charge, None, weekly, "")?;
        if reliable || rng.bool() {
            ledger.pay(w, rng, week, weekly, PaymentMethod::Card)?;
        }
        week = week + Days::new(7);
    }
    Ok(())
}

fn recharge(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    tenancy_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let days = (to - from).num_days();
    if days <= 0 {
        return Ok(());
    }
    let mut ledger = Posting {
        account: w.account(tenancy_id, DebtType::Recharge)?,
        balance: Money::ZERO,
        today,
    };
    let raised = from + Days::new(rng.u64(0..days.unsigned_abs()));
    let what = [
        "Replacement front door",
        "Boarding up after damage",
        "Clearance of rubbish",
        "Replacement lock",
    ][rng.usize(..4)];
    let cost = pounds_pence(rng, 85, 650);
    ledger.post(w, raised, EntryKind::Charge, None, cost, what)?;
    let mut month = raised + Days::new(30);
    while month <= to && ledger.balance.is_positive() && rng.u8(..100) < 85 {
        let part = pounds_pence(rng, 10, 40).min(ledger.balance);
        ledger.post(
            w,
            month,
            EntryKind::Payment,
            Some(PaymentMethod::Card),
            -part,
            "",
        )?;
        month = month + Days::new(28);
    }
    Ok(())
}

/// Letters, calls and notes an officer would have made on an account owing this much.
fn contact(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    tenancy_id: i64,
    balance: Money,
    weekly: Money,
    today: NaiveDate,
) -> Result<()> {
    let weeks = if weekly.is_positive() {
        balance.pence() / weekly.pence().max(1)
    } else {
        0
    };
    let officer = pick(rng, OFFICERS);
    let at = |rng: &mut Rng, days_ago: u64| -> NaiveDateTime {
        (today - Days::new(days_ago))
            .and_hms_opt(rng.u32(8..18), rng.u32(0..60), 0)
            .expect("valid time")
    };
    let log =
        |w: &mut Writer<'_>, at: NaiveDateTime, kind: ActionKind, code: &str, summary: &str| {
            w.append_action(&NewAction {
                tenancy_id,
                at,
                kind,
                code: Some(code),
                officer,
                summary,
                ext_id: None,
            })
        };
    if balance >= Money::pounds(10) && rng.u8(..100) < 70 {
        let first = rng.u64(if weeks >= 4 { 60..150 } else { 3..80 });
        let sent = at(rng, first);
        log(
            w,
            sent,
            ActionKind::Letter1,
            "L1",
            "First arrears letter sent",
        )?;
        if weeks >= 3 && first > 20 && rng.u8(..100) < 75 {
            let days_ago = first - rng.u64(15..20);
            let sent = at(rng, days_ago);
            log(
                w,
                sent,
                ActionKind::Letter2,
                "L2",
                "Second arrears letter sent",
            )?;
        }
    } else if balance >= Money::pounds(5) && rng.bool() {
        let days_ago = rng.u64(2..40);
        let sent = at(rng, days_ago);
        log(
            w,
            sent,
            ActionKind::Sms,
            "SMS",
            "Arrears reminder text sent",
        )?;
    }
    let calls = if balance > Money::ZERO {
        rng.usize(0..4)
    } else {
        usize::from(rng.u8(..100) < 10)
    };
    for _ in 0..calls {
        let days_ago = rng.u64(1..300);
        let when = at(rng, days_ago);
        let text = pick(rng, CALL_NOTES);
        let action = log(w, when, ActionKind::Call, "TC", "Phone call")?;
        w.append_note(&NewNote {
            tenancy_id,
            at: when,
            officer,
            body: text,
            action_id: Some(action),
            amends: None,
        })?;
    }
    if rng.u8(..100) < 12 {
        let days_ago = rng.u64(1..400);
        w.append_note(&NewNote {
            tenancy_id,
            at: at(rng, days_ago),
            officer,
            body: pick(rng, GENERAL_NOTES),
            action_id: None,
            amends: None,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
