//! A generated demo caseload that looks like a real patch: tenancies in credit, small and large
//! arrears, joint tenants, former tenants, garages and rechargeable repairs, UC and HB claimants,
//! vulnerable tenants; and a year of casework done to the real policy (letters, calls and notes,
//! plans kept and broken, notices, hearings, orders, warrants, pauses), leaving a realistic
//! backlog. Deterministic for a given seed and "today".
//!
//! It writes through the same [`Writer`] as every other write, so the demo is shaped by the same
//! rules (signs, references, append-only) as real data.

mod casework;
mod names;
mod payer;

use crate::domain::Money;
use crate::domain::calendar::Calendar;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::{RentYear, week_start};
use crate::domain::ledger::{EntryKind, PaymentMethod};
use crate::domain::policy::Policy;
use crate::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use crate::store::{NewEntry, NewTenant, Result, Store, Writer};
use casework::{Case, Week};
use chrono::{Days, NaiveDate};
use fastrand::Rng;
use names::*;
use payer::Payer;
use std::path::Path;

#[derive(Clone, Debug)]
pub struct DemoOptions {
    pub accounts: usize,
    pub years: u32,
    pub seed: u64,
    pub today: NaiveDate,
    /// The policy the demo's officers work to (the shipped default).
    pub policy: Policy,
    /// Days after an instalment's date before a plan is breached (`[plans]` in the config), so
    /// the demo's plans stand as the workstation's check will find them.
    pub plan_tolerance_days: u32,
    /// The landlord's codes the demo's officers record actions with.
    pub codes: CodeMaps,
    /// The working days the demo's officers keep (weekdays that are not bank holidays).
    pub calendar: Calendar,
}

impl DemoOptions {
    /// A demo worked to the shipped config's policy and plan tolerance.
    pub fn shipped(accounts: usize, years: u32, seed: u64, today: NaiveDate) -> DemoOptions {
        let config = crate::config::Config::default_config();
        DemoOptions {
            accounts,
            years,
            seed,
            today,
            policy: config.policy,
            plan_tolerance_days: config.plans.breach_tolerance_days.0,
            calendar: config.plans.calendar(),
            codes: config.codes,
        }
    }
}

/// The most tenancies a demo can hold with unique six-digit references.
pub const MAX_ACCOUNTS: usize = 900_000;

/// Tenancies written per transaction: large enough to be fast, small enough to keep the WAL small.
const CHUNK: usize = 500;

/// Writes a demo caseload into a new database at `out`. The file appears only when complete (it is
/// built beside it and renamed), so an interrupted run never leaves a half-made demo to be reused;
/// one that fails (a full disk) takes its partial file away. Never put in place of a file or a
/// link already at `out`.
pub fn generate_file(
    out: &Path,
    options: &DemoOptions,
    progress: impl FnMut(usize),
) -> Result<usize> {
    let create = |source| crate::store::StoreError::Create {
        path: out.to_path_buf(),
        source,
    };
    crate::private_file::refuse_link(out).map_err(create)?;
    let partial = out.with_extension("partial");
    let remove_partial = || {
        for stale in [partial.clone(), wal_of(&partial), shm_of(&partial)] {
            let _ = std::fs::remove_file(stale);
        }
    };
    remove_partial();
    let made = generate_partial(&partial, options, progress).and_then(|done| {
        crate::private_file::rename_new(&partial, out).map_err(create)?;
        Ok(done)
    });
    if made.is_err() {
        remove_partial();
    }
    made
}

fn generate_partial(
    partial: &Path,
    options: &DemoOptions,
    mut progress: impl FnMut(usize),
) -> Result<usize> {
    let mut store = Store::create_scratch(partial)?;
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
    let flags_bs = (rng.u16(..1000) < 12).then(|| today + Days::new(rng.u64(5..60)));
    let flags = Flags {
        vulnerable,
        vulnerability: vulnerable.then(|| pick(rng, VULNERABILITIES).to_string()),
        vulnerability_category: None,
        universal_credit: uc,
        housing_benefit: hb,
        breathing_space_until: flags_bs,
        deceased: former && rng.u8(..100) < 5,
        interpreter: rng.u8(..100) < 3,
    };
    let tenancy_id = w.add_tenancy(&TenancyDetails {
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
    // The tenant's own days (their payday, the days they promise and ask to be called back on)
    // draw from a stream of their own, so that choosing them leaves the rest of the demo as it was.
    let mut own_days = Rng::with_seed(
        o.seed
            ^ u64::try_from(tenancy_id)
                .unwrap_or(0)
                .wrapping_mul(0xBF58_476D_1CE4_E5B9),
    );
    let payday = payer::payday(&mut own_days);
    let mut case = Case::new(
        tenancy_id,
        rent,
        tenure,
        pick(rng, OFFICERS),
        &o.codes,
        &o.calendar,
    );
    case.universal_credit = uc;
    case.housing_benefit = hb;
    case.breathing_space_until = flags_bs;
    case.tenant_days(payday, own_days);
    let worked = end.is_none();
    let payer = Payer::new(rng, uc, hb, payday);
    live(w, rng, o, &mut case, payer, weekly, from, to, worked)?;

    if rng.u8(..100) < 6 {
        garage(w, rng, tenancy_id, from, to, today)?;
    }
    if rng.u8(..100) < 5 {
        recharge(w, rng, tenancy_id, from.max(to - Days::new(700)), to, today)?;
    }
    Ok(())
}

/// The rent account week by week: the charge, what the household pays, and for the last year
/// the officer's casework.
#[allow(clippy::too_many_arguments)]
fn live(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    o: &DemoOptions,
    case: &mut Case<'_>,
    payer: Payer,
    weekly_now: Money,
    from: NaiveDate,
    to: NaiveDate,
    worked: bool,
) -> Result<()> {
    let today = o.today;
    let policy = &o.policy;
    let casework_from = today - Days::new(364);
    let mut ledger = Posting {
        account: case.rent_account,
        balance: Money::ZERO,
        today,
    };
    let mut last_payment = None;
    // The calls that answer call backs draw from a stream of their own, so that making them
    // leaves the rest of the demo (payments, letters, court) as it would be without them.
    let mut answering = Rng::with_seed(
        o.seed
            ^ u64::try_from(case.tenancy_id)
                .unwrap_or(0)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    let mut week = from;
    while week <= to {
        let charge = charge_in(weekly_now, week, today);
        let before = ledger.balance;
        ledger.post(w, week, EntryKind::Charge, None, charge, "")?;
        // Paid from the week of its first payment day.
        let instalment = case
            .plan
            .filter(|p| p.state.is_active() && week_start(p.start_date()) <= week)
            .map_or(Money::ZERO, |p| p.instalment);
        let mut paid = Money::ZERO;
        for p in payer.week(
            rng,
            week,
            today,
            charge,
            before,
            instalment,
            case.pressure(),
        ) {
            if ledger.post(
                w,
                p.date,
                EntryKind::Payment,
                Some(p.method),
                -p.amount,
                p.text,
            )? {
                paid += p.amount;
                last_payment = Some(p.date);
            }
        }
        if worked && week >= casework_from {
            let friday = (week + Days::new(4)).min(today);
            case.maybe_pause(w, rng, friday)?;
            // Last week's call backs (asked for on a Thursday or Friday) are made on Monday.
            case.make_call_backs(w, &mut answering, friday, today, ledger.balance)?;
            if ledger.balance.is_positive() && rng.u8(..100) < 4 {
                case.call(w, rng, friday, ledger.balance)?;
            }
            case.make_call_backs(w, &mut answering, friday, today, ledger.balance)?;
            let end_of_week = Week {
                friday,
                today,
                charge,
                balance: ledger.balance,
                paid_this_week: paid,
                last_payment,
            };
            case.review(w, rng, policy, o.plan_tolerance_days, &end_of_week)?;
        }
        week = week + Days::new(7);
    }
    Ok(())
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
        let title = names::title(first, rng.usize(..60));
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
                    correspondence_address: None,
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
    ) -> Result<bool> {
        if amount.is_zero() || date > self.today {
            return Ok(false);
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
        Ok(true)
    }

    /// A payment of `amount` on some day of the week starting `week`.
    fn pay(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        week: NaiveDate,
        amount: Money,
        method: PaymentMethod,
    ) -> Result<bool> {
        let day = week + Days::new(rng.u64(0..7));
        self.post(w, day, EntryKind::Payment, Some(method), -amount, "")
    }
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

#[cfg(test)]
mod tests;
