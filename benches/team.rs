//! Twenty officers on one team database: each its own login (granted `caseload_officer`) and its
//! own connection, writing notes and payments at once for a minute, while a twenty-first
//! workstation watches its queue through the live path (the server's announcement of each commit,
//! the account re-placed). Prints how many writes each kind, any error, whether every write is
//! there afterwards and the chain still checks, and the time from an officer's commit to the
//! payment showing in the other workstation's queue (p50, p99, max).
//!
//! Runs against the PostgreSQL server `CASELOAD_TEST_PG` names (a URL whose user may create
//! databases and roles, as `.ci/run` starts one); says so and does nothing without one.
//! `BENCH_SECONDS` shortens the minute, `BENCH_OFFICERS` changes the twenty, `BENCH_PAUSE_MS` the
//! pause each officer takes between two writes (default 50 ms: twenty writes a second each, far
//! busier than a team at work), `BENCH_ACCOUNTS` the caseload (default 2,000 tenancies).

use caseload::app::keymap::Keymap;
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::demo::{DemoOptions, generate_file};
use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::DebtType;
use caseload::store::pg::{self, scratch::Scratch};
use caseload::store::{NewEntry, NewNote, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";

fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A payment committed: the account, its balance now, and when the commit returned.
struct Committed {
    tenancy: i64,
    balance: Money,
    at: Instant,
}

/// What one officer did.
#[derive(Default)]
struct Done {
    notes: u64,
    payments: u64,
    errors: Vec<String>,
    /// Each commit's own time, in ms.
    commits: Vec<f64>,
}

fn main() {
    let Some(mut db) = Scratch::new("team_bench") else {
        println!(
            "team benchmark: skipped (no server: set CASELOAD_TEST_PG=postgres://USER@HOST/DB)"
        );
        return;
    };
    let seconds: u64 = var("BENCH_SECONDS", 60);
    let officers: usize = var("BENCH_OFFICERS", 20);
    let pause = Duration::from_millis(var("BENCH_PAUSE_MS", 50));
    let accounts: usize = var("BENCH_ACCOUNTS", 2_000);
    let today = parse_date(TODAY).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    generate_file(&file, &DemoOptions::shipped(accounts, 1, 7, today), |_| {}).unwrap();
    let moved = Instant::now();
    pg::move_in(&file, &db.url()).unwrap();
    println!(
        "team benchmark: {officers} officers, {accounts} tenancies moved in ({:.1} s), {seconds} s, \
         a write every {} ms each, server {}",
        moved.elapsed().as_secs_f64(),
        pause.as_millis(),
        pg::redacted(&db.url())
    );

    // Each officer works accounts of their own (as a patch), so each knows what its payments
    // leave the balance at; the watcher sees them all.
    let logins: Vec<(String, String)> = (0..officers)
        .map(|i| db.officer(&format!("officer{i:02}")))
        .collect();
    let (_, watcher_url) = db.officer("watcher");
    let admin = Store::open_server(&db.url()).unwrap();
    let tenancies: Vec<i64> = admin
        .rows("SELECT id FROM tenancies ORDER BY id", &[])
        .unwrap()
        .into_iter()
        .map(|r| match r[0] {
            rusqlite::types::Value::Integer(id) => id,
            ref other => panic!("a tenancy id: {other:?}"),
        })
        .collect();
    let counted = |store: &Store| -> (i64, i64) {
        let n = |sql: &str| match store.rows(sql, &[]).unwrap()[0][0] {
            rusqlite::types::Value::Integer(n) => n,
            ref other => panic!("a count: {other:?}"),
        };
        (
            n("SELECT count(*) FROM notes"),
            n("SELECT count(*) FROM ledger WHERE kind = 'payment'"),
        )
    };
    let before = counted(&admin);

    let mut watcher = workstation(&watcher_url, dir.path(), today);
    let stop = AtomicBool::new(false);
    let (committed_tx, committed) = mpsc::channel::<Committed>();
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    let mut latencies = Vec::new();
    let mut late = 0_u64;
    let done: Vec<Done> = std::thread::scope(|scope| {
        let writers: Vec<_> = logins
            .iter()
            .enumerate()
            .map(|(i, (login, url))| {
                let own: Vec<i64> = tenancies
                    .iter()
                    .copied()
                    .skip(i)
                    .step_by(officers)
                    .collect();
                let committed = committed_tx.clone();
                let stop = &stop;
                scope.spawn(move || officer(login, url, &own, pause, stop, &committed, today))
            })
            .collect();
        drop(committed_tx);

        // The watcher takes in what it hears, as the event loop does, and sees each payment
        // land in its queue: the account's balance at (or, after a later payment, below) what
        // the commit left it at.
        let mut waiting: HashMap<i64, Vec<Committed>> = HashMap::new();
        loop {
            let now = Instant::now();
            if now >= end {
                stop.store(true, Ordering::Relaxed);
            }
            for c in committed.try_iter() {
                waiting.entry(c.tenancy).or_default().push(c);
            }
            while watcher.poll_background() {}
            let seen = Instant::now();
            for (tenancy, list) in &mut waiting {
                let Some(item) = watcher.state.queue.item(*tenancy) else {
                    continue;
                };
                list.retain(|c| {
                    if item.arrears.balance <= c.balance {
                        latencies.push(seen.duration_since(c.at).as_secs_f64() * 1000.0);
                        false
                    } else {
                        true
                    }
                });
            }
            waiting.retain(|_, list| !list.is_empty());
            let writing = !writers
                .iter()
                .all(std::thread::ScopedJoinHandle::is_finished);
            // After the writers stop, five seconds for the last to show.
            if !writing && (waiting.is_empty() || now >= end + Duration::from_secs(5)) {
                late = waiting.values().map(|l| l.len() as u64).sum();
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let ran = started.elapsed().as_secs_f64();

    let notes: u64 = done.iter().map(|d| d.notes).sum();
    let payments: u64 = done.iter().map(|d| d.payments).sum();
    let errors: Vec<&String> = done.iter().flat_map(|d| &d.errors).collect();
    let after = counted(&admin);
    let found = (after.0 - before.0, after.1 - before.1);
    println!(
        "writes: {notes} notes + {payments} payments in {ran:.1} s ({:.0} writes/s); errors: {}",
        (notes + payments) as f64 / ran,
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
    println!(
        "present afterwards: {} notes, {} payments: {}",
        found.0,
        found.1,
        if found == (notes as i64, payments as i64) {
            "every write, once"
        } else {
            "NOT what was written"
        }
    );
    let mut commits: Vec<f64> = done
        .iter()
        .flat_map(|d| d.commits.iter().copied())
        .collect();
    print_spread("an officer's write, begin to commit", &mut commits);
    print_spread(
        "commit to the payment in the other workstation's queue",
        &mut latencies,
    );
    if late > 0 {
        println!("  NOT SEEN within 5 s of the end: {late} payments");
    }
    let failed: Vec<String> = pg::verify(&db.url())
        .unwrap()
        .into_iter()
        .filter_map(|(check, problem)| problem.map(|p| format!("{check}: {p}")))
        .collect();
    println!(
        "caseload verify on the team's database: {}",
        if failed.is_empty() {
            "clean".to_string()
        } else {
            format!("FAILED {failed:?}")
        }
    );
}

/// A workstation on the team's database at `url`, as the officer the login is.
fn workstation(url: &str, dir: &std::path::Path, today: chrono::NaiveDate) -> Session {
    let store = Store::open_server(url).unwrap();
    let config = Config::default_config();
    let mut settings = caseload::app::state::Settings::new(
        &config,
        today,
        &store.login().unwrap().unwrap(),
        dir.join("watcher.db"),
        dir.join("config.toml"),
    );
    settings.state_dir = dir.join("state");
    let mut session = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    session.wait_background();
    session.dispatch(Action::Resize(160, 48));
    session
}

/// One officer at work until `stop`: a note, then a payment of a penny or more, on each of their
/// accounts in turn, `pause` between writes.
fn officer(
    login: &str,
    url: &str,
    own: &[i64],
    pause: Duration,
    stop: &AtomicBool,
    committed: &mpsc::Sender<Committed>,
    today: chrono::NaiveDate,
) -> Done {
    let mut done = Done::default();
    let mut store = Store::open_server(url).unwrap();
    let mut k = 0_usize;
    while !stop.load(Ordering::Relaxed) {
        let tenancy = own[(k / 2) % own.len()];
        let began = Instant::now();
        let at = today.and_hms_opt(9, 0, 0).unwrap() + chrono::TimeDelta::seconds(k as i64);
        let payment = k % 2 == 1;
        let written = store.write(login, "workstation", |w| {
            if payment {
                let account = w.account(tenancy, DebtType::Rent)?;
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: today,
                    kind: EntryKind::Payment,
                    method: Some(PaymentMethod::Card),
                    amount: -Money::from_pence(1 + (k as i64 % 97)),
                    description: None,
                    reverses: None,
                    ext_id: None,
                })
                .map(drop)
            } else {
                w.append_note(&NewNote {
                    tenancy_id: tenancy,
                    at,
                    officer: login,
                    body: &format!("Spoke to the tenant about the arrears ({k})."),
                    action_id: None,
                    amends: None,
                })
                .map(drop)
            }
        });
        let commit = Instant::now();
        // No one else writes to the officer's own accounts: the balance read now is the one
        // the commit left.
        let written = written.and_then(|()| {
            payment
                .then(|| store.tenancy_record(tenancy))
                .transpose()
                .map(|r| r.flatten().map(|r| r.rent().balance))
        });
        match written {
            Ok(balance) => {
                done.commits
                    .push(commit.duration_since(began).as_secs_f64() * 1000.0);
                if let Some(balance) = balance {
                    done.payments += 1;
                    let _ = committed.send(Committed {
                        tenancy,
                        balance,
                        at: commit,
                    });
                } else {
                    done.notes += 1;
                }
            }
            Err(e) => done.errors.push(e.to_string()),
        }
        k += 1;
        std::thread::sleep(pause);
    }
    done
}

fn print_spread(what: &str, ms: &mut [f64]) {
    if ms.is_empty() {
        println!("{what}: none measured");
        return;
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
    println!(
        "{what}: {} measured, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms.len(),
        at(0.50),
        at(0.99),
        ms[ms.len() - 1]
    );
}
