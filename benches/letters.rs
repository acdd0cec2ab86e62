//! The day's batch of letters: every account of a caseload owes enough for letter 1 (one in four
//! a joint tenancy, so two letters), and `caseload letters` makes, writes and records them all:
//! the queue read and ranked, each letter rendered with its rent statement, one file and a text
//! copy per addressee, the print file and the manifest, all recorded in one transaction. Then the
//! same day again, which must produce nothing. `cargo bench --bench letters` prints the figures
//! beside the target; `BENCH_ACCOUNTS=N` changes the number of accounts (default 2,000).

use caseload::app::letters::due;
use caseload::app::queue::Queue;
use caseload::app::state::Settings;
use caseload::config::{Config, DEMO};
use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use caseload::letters::batch;
use caseload::letters::{Letters, Options};
use caseload::store::{NewEntry, NewTenant, Store};
use chrono::Days;
use std::path::Path;
use std::time::{Duration, Instant};

const OFFICER: &str = r#"
[letters.officers.bench]
name = "Bea Bench"
title = "Income Officer"
phone = "01632 960 123"
email = "bea.bench@kingsmere-homes.example.org"
"#;

fn main() {
    let accounts: usize = std::env::var("BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("letters.db");
    let today = parse_date("2026-11-23").unwrap();
    build(&db, accounts, today);
    let config_path = dir.path().join("config.toml");
    let config = Config::parse_over(OFFICER, &config_path, &[DEMO]).unwrap();
    let settings = Settings::new(&config, today, "bench", db.clone(), config_path.clone());
    let letters = Letters::new(&config, &config_path);
    let options = Options {
        db_dir: dir.path(),
        today,
        now: today.and_hms_opt(9, 0, 0).unwrap(),
        officer: "bench",
        codes: &config.codes,
        source: "cli",
        print: true,
    };
    let run = |store: &mut Store| {
        let (t, cpu) = (Instant::now(), cpu_time());
        let queue = Queue::read(store, &settings).unwrap();
        let items = due(&queue);
        let report = batch::run(store, &letters, &items, &options, false).unwrap();
        ((t.elapsed(), cpu_time() - cpu), items.len(), report)
    };
    let mut store = Store::open(&db).unwrap();
    let (first, recommended, report) = run(&mut store);
    let produced = report.produced.as_ref().expect("letters were produced");
    assert_eq!(
        recommended, accounts,
        "every account is recommended letter 1"
    );
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    let (second, again, report) = run(&mut store);
    assert_eq!(again, 0, "letter 1 is no longer recommended once sent");
    assert!(report.produced.is_none(), "a second run produces nothing");
    println!(
        "the day's batch: {accounts} accounts recommended letter 1, a quarter of them joint; load average {}",
        load()
    );
    println!(
        "  first run: {} letters to {} addressees (HTML + text each, print file, manifest) in {:.2} s   (target < 5 s); {:.2} CPU s",
        recommended,
        produced.letters,
        first.0.as_secs_f64(),
        first.1.as_secs_f64()
    );
    println!(
        "  same day again: {again} letters in {:.3} s; {:.3} CPU s",
        second.0.as_secs_f64(),
        second.1.as_secs_f64()
    );
}

/// This process's user and system time so far: on a shared machine, other work stretches the
/// wall clock (and the one flush of the letters waits for everything written on the disk).
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes the usage of this process into what it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// `accounts` secure tenancies, each with twelve weeks of £100 rent of which the last six went
/// unpaid (£600 owed), every fourth a joint tenancy.
fn build(path: &Path, accounts: usize, today: chrono::NaiveDate) {
    let mut store = Store::open(path).unwrap();
    store
        .write_bulk("bench", "bench", |w| {
            for n in 0..accounts {
                let tenancy = w.add_tenancy(&TenancyDetails {
                    reference: format!("{:06}/1", 400_000 + n),
                    address: format!("{} Long Road, Kingsmere", n + 1),
                    postcode: "KM4 2AB".into(),
                    tenure: Tenure::Secure,
                    start: parse_date("2015-04-06").unwrap(),
                    end: None,
                    patch: "Riverside".into(),
                    officer: "bench".into(),
                    weekly_charge: Money::pounds(100),
                    flags: Flags::default(),
                })?;
                let people: &[&str] = if n % 4 == 0 {
                    &["Ann", "Bob"]
                } else {
                    &["Ann"]
                };
                for first in people {
                    w.add_tenant(
                        tenancy,
                        &NewTenant {
                            tenant: Tenant {
                                title: "Mx".into(),
                                first_name: (*first).into(),
                                last_name: format!("Tenant{n}"),
                                ..Tenant::default()
                            },
                            date_of_birth: None,
                            contact_preference: None,
                        },
                    )?;
                }
                let account = w.account(tenancy, DebtType::Rent)?;
                for week in 0..12u64 {
                    let monday = today - Days::new(7 * (11 - week));
                    let mut entry = NewEntry {
                        account_id: account,
                        date: monday,
                        kind: EntryKind::Charge,
                        method: None,
                        amount: Money::pounds(100),
                        description: None,
                        reverses: None,
                        ext_id: None,
                    };
                    w.append_entry(&entry)?;
                    if week < 6 {
                        entry.date = monday + Days::new(2);
                        entry.kind = EntryKind::Payment;
                        entry.method = Some(PaymentMethod::Card);
                        entry.amount = -Money::pounds(100);
                        w.append_entry(&entry)?;
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}
