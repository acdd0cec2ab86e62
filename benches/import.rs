//! Import throughput: generates an extract of 5,000 tenancies with 1,000,000 transactions (into
//! target/bench/, once, reused after), imports it into a new database, then imports it again, and
//! prints rows per second for each against the 250,000 transactions a second target.
//! `BENCH_TRANSACTIONS=N` measures another size (a multiple of 2 × 5,000).

use caseload::config::Config;
use caseload::extract::{ImportOptions, Stage, Summary, import};
use caseload::store::Store;
use chrono::{Days, NaiveDate};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

const TENANCIES: usize = 5_000;

fn main() {
    let transactions: usize = std::env::var("BENCH_TRANSACTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let dir = root.join(format!("extract-{transactions}"));
    if !dir.join("transactions.csv").exists() {
        let t = Instant::now();
        generate(&dir, transactions).expect("the extract is written");
        println!(
            "generated {} in {:.1}s",
            dir.display(),
            t.elapsed().as_secs_f64()
        );
    }
    // `BENCH_DB_DIR` puts the database elsewhere, e.g. on another disk.
    let db = std::env::var_os("BENCH_DB_DIR")
        .map_or_else(|| root.clone(), PathBuf::from)
        .join("import.db");
    for stale in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{stale}", db.display()));
    }
    let mut store = Store::open(&db).expect("the database opens");
    let codes = Config::default_config().codes;
    let options = ImportOptions {
        codes: &codes,
        officer: "bench",
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
        plan_tolerance_days: 5,
        dry_run: false,
    };
    println!("caseload import benchmark: {TENANCIES} tenancies, {transactions} transactions");
    let mut measure = |label: &str| {
        let t = Instant::now();
        let cpu = cpu_seconds();
        // When each stage began, to show where the time goes.
        let mut stages: Vec<(Stage, Instant)> = Vec::new();
        let summary: Summary = import(&mut store, &dir, &options, |stage, _, _| {
            if stages.last().is_none_or(|(s, _)| *s != stage) {
                stages.push((stage, Instant::now()));
            }
        })
        .expect("the extract imports");
        let seconds = t.elapsed().as_secs_f64();
        let ends = stages
            .iter()
            .skip(1)
            .map(|(_, at)| *at)
            .chain([Instant::now()]);
        let split: Vec<String> = stages
            .iter()
            .zip(ends)
            .map(|((stage, began), end)| format!("{stage:?} {:.2}s", (end - *began).as_secs_f64()))
            .collect();
        let rows = summary.total().rows() as f64;
        println!(
            "{label:<34} {:>9.0} rows/s ({} rows, {} new, in {seconds:.2}s)   target >= 250000",
            rows / seconds,
            summary.total().rows(),
            summary.total().new,
        );
        println!(
            "{:<34} {}; {:.2}s of CPU ({:.0} rows per CPU second: the machine is shared)",
            "",
            split.join(", "),
            cpu_seconds() - cpu,
            rows / (cpu_seconds() - cpu)
        );
    };
    measure("import into an empty database");
    measure("the same extract again (0 new)");
}

/// Weekly rent charges and payments for every tenancy, in date order across tenancies (as a
/// housing system's nightly extract lists them), with sequential transaction ids.
fn generate(dir: &Path, transactions: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let file = |name: &str| -> std::io::Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(dir.join(name))?,
        ))
    };
    let reference = |i: usize| format!("B{:06}/1", 100_000 + i);
    let weekly = |i: usize| 7_200 + (i * 37) % 11_300;
    let pounds = |pence: usize| format!("{}.{:02}", pence / 100, pence % 100);

    let mut out = file("tenancies.csv")?;
    writeln!(
        out,
        "ref,tenure,start,address,postcode,patch,officer,weekly_charge,uc"
    )?;
    for i in 0..TENANCIES {
        writeln!(
            out,
            "{},secure,2018-04-02,\"{} Bench Street, Testford\",TF{} {}AB,Patch {},officer{},{},{}",
            reference(i),
            i + 1,
            i % 20,
            i % 9,
            i % 12,
            i % 30,
            pounds(weekly(i)),
            if i % 3 == 0 { "yes" } else { "no" }
        )?;
    }
    out.flush()?;
    let mut out = file("tenants.csv")?;
    writeln!(out, "tenancy,first_name,last_name,phone")?;
    for i in 0..TENANCIES {
        writeln!(out, "{},Tenant,Number{i},07700 9{:05}", reference(i), i)?;
    }
    out.flush()?;
    let mut out = file("accounts.csv")?;
    writeln!(out, "id,tenancy,type")?;
    for i in 0..TENANCIES {
        writeln!(out, "RA{:06},{},rent", i, reference(i))?;
    }
    out.flush()?;
    let mut out = file("transactions.csv")?;
    writeln!(out, "id,account,date,kind,method,amount,description")?;
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).expect("a Monday");
    let mut id = 10_000_000;
    for week in 0..transactions / (2 * TENANCIES) {
        let monday = start + Days::new(7 * week as u64);
        let payday = monday + Days::new(3);
        for i in 0..TENANCIES {
            id += 1;
            writeln!(
                out,
                "T{id},RA{i:06},{monday},RNT,,{},Rent",
                pounds(weekly(i))
            )?;
            id += 1;
            // Most pay the rent; some pay short.
            let paid = if (i + week) % 7 == 0 {
                weekly(i) / 2
            } else {
                weekly(i)
            };
            writeln!(
                out,
                "T{id},RA{i:06},{payday},PAY,direct_debit,{},",
                pounds(paid)
            )?;
        }
    }
    out.flush()
}

/// User and system CPU time of this process so far.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
