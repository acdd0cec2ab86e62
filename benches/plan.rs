//! Payment plans: recompute-on-keystroke in the plan editor for a 10-year weekly schedule, and the
//! breach monitor over a whole caseload. `cargo bench --bench plan` prints each figure beside its
//! target; `BENCH_ACCOUNTS=N` changes the caseload size (default 50,000).

use caseload::domain::Money;
use caseload::domain::calendar::Calendar;
use caseload::domain::dates::parse_date;
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::plan::{Frequency, PlanKind, PlanTerms};
use caseload::domain::plan_draft::{DraftContext, PlanDraft};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenure};
use caseload::store::{NewEntry, NewPlan, Scope, Store};
use chrono::{Days, NaiveDate};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    keystrokes();
    monitor();
}

/// £15,600 at £30 a week is 520 weekly instalments: ten years. Each keystroke re-solves, builds
/// the summary and the whole Direct Debit-marked schedule preview, as the editor pane does.
fn keystrokes() {
    let today = parse_date("2026-11-23").unwrap();
    let mut draft = PlanDraft::new(
        DraftContext {
            arrears: Money::pounds(15_600),
            weekly_charge: Money::pounds(100),
            today,
        },
        Calendar::england_and_wales(),
    );
    draft.set_start("27/11/2026");
    draft.set_method(Some(PaymentMethod::DirectDebit));
    draft.set_instalment("30");
    assert_eq!(draft.summary().unwrap().count, 520);

    let typed = ["30", "30.", "30.0", "30.00", "30.0", "30."];
    let ends = ["20/11/2036", "20/11/203", "20/11/2036"];
    let mut times = Vec::with_capacity(20_000);
    for i in 0..20_000 {
        let t = Instant::now();
        if i % 10 < 7 {
            draft.set_instalment(typed[i % typed.len()]);
        } else {
            draft.set_end_date(ends[i % ends.len()]);
        }
        black_box(draft.summary().ok());
        black_box(draft.schedule());
        times.push(t.elapsed());
    }
    times.sort();
    println!("plan editor, 10-year weekly schedule (520 instalments), 20,000 keystrokes");
    println!(
        "  recompute on keystroke: p50 {}, p99 {}, max {}   (target p99 < 1 ms)",
        show(percentile(&times, 50)),
        show(percentile(&times, 99)),
        show(*times.last().unwrap())
    );
}

/// Every tenancy with a plan, checked on the day its first instalment falls due plus the
/// tolerance (so about half change state), then again (nothing changes).
fn monitor() {
    let accounts: usize = std::env::var("BENCH_ACCOUNTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.db");
    let mut store = Store::create_scratch(&path).unwrap();
    let start = parse_date("2026-11-02").unwrap();
    let t = Instant::now();
    store
        .write_bulk("bench", "bench", |w| {
            for n in 0..accounts {
                let tenancy = w.add_tenancy(&tenancy(n, start))?;
                let account = w.account(tenancy, DebtType::Rent)?;
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: start - Days::new(7),
                    kind: EntryKind::Charge,
                    method: None,
                    amount: Money::pounds(500),
                    description: None,
                    reverses: None,
                    ext_id: None,
                })?;
                if n % 2 == 0 {
                    w.append_entry(&NewEntry {
                        account_id: account,
                        date: start,
                        kind: EntryKind::Payment,
                        method: Some(PaymentMethod::Card),
                        amount: -Money::pounds(60),
                        description: None,
                        reverses: None,
                        ext_id: None,
                    })?;
                }
                w.add_plan(&NewPlan {
                    tenancy_id: tenancy,
                    account_id: account,
                    terms: PlanTerms {
                        kind: PlanKind::Informal,
                        frequency: Frequency::ALL[n % 4],
                        start,
                        instalment: Money::pounds(50),
                        lump_sum: Money::ZERO,
                        lump_date: None,
                        starting_balance: Money::pounds(500),
                        method: None,
                    },
                    replaces: None,
                    reason: "bench",
                    at: start.and_hms_opt(9, 0, 0).unwrap(),
                    officer: "bench",
                    ext_id: None,
                })?;
            }
            Ok(())
        })
        .unwrap();
    store.finish_scratch().unwrap();
    let mut store = Store::open(&path).unwrap();
    let built = t.elapsed();
    let day = start + Days::new(5);
    let t = Instant::now();
    let changed = store.monitor_plans("bench", day, 5, Scope::All).unwrap();
    let first = t.elapsed();
    let t = Instant::now();
    let again = store.monitor_plans("bench", day, 5, Scope::All).unwrap();
    let second = t.elapsed();
    let t = Instant::now();
    store
        .monitor_plans("bench", day, 5, Scope::Tenancy(1))
        .unwrap();
    let one = t.elapsed();
    println!(
        "breach monitor, {accounts} tenancies with a plan (built in {:.1} s)",
        built.as_secs_f64()
    );
    println!(
        "  check all, {} changes recorded: {}",
        changed.len(),
        show(first)
    );
    println!(
        "  check all again, {} changes: {}",
        again.len(),
        show(second)
    );
    println!("  check one tenancy after a payment: {}", show(one));
}

fn tenancy(n: usize, start: NaiveDate) -> TenancyDetails {
    TenancyDetails {
        reference: format!("B{n:06}"),
        address: String::new(),
        postcode: String::new(),
        tenure: Tenure::Secure,
        start: start - Days::new(3650),
        end: None,
        patch: String::new(),
        officer: "bench".into(),
        weekly_charge: Money::pounds(100),
        flags: Flags::default(),
    }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn show(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}
