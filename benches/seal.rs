//! What the hash chain costs: an import and an officer's note save, each on a file whose
//! append-only tables are chained and on a copy that chains none (their `_no_update` and
//! `_no_delete` triggers dropped, which is how the chain finds them; the triggers that refuse
//! `REPLACE INTO` stay, so both files insert alike). Prints rows/s and save latency for both.
//!
//! The machine may be shared: each is run `ROUNDS` times in turn, and the CPU time the import
//! process and each save took is printed beside the time on the clock, which load inflates.
//!
//! The extract is the import benchmark's (target/bench/extract-1000000) if it is there,
//! otherwise the demo's 2,000 tenancies exported once into target/bench/seal/.

use caseload::demo::{DemoOptions, generate_file};
use caseload::store::{NewNote, Store};
use chrono::NaiveDate;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SAVES: usize = 300;
const ROUNDS: usize = 3;

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let dir = root.join("seal");
    std::fs::create_dir_all(&dir).unwrap();
    println!("caseload seal benchmark; load average {}", load());

    let extract = extract(&root, &dir, today);
    let rows = lines(&extract);
    println!("\nimport of {} ({rows} rows):", extract.display());
    for chained in [true, false].repeat(ROUNDS) {
        let db = dir.join("import.db");
        remove(&db);
        new_file(&db, chained);
        let cpu = children_cpu();
        let t = Instant::now();
        let status = caseload(&db)
            .arg("import")
            .arg(&extract)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        let took = t.elapsed();
        let cpu = children_cpu() - cpu;
        assert!(status.success(), "the import failed");
        println!(
            "  {:<10} {:>9.0} rows/s ({:.2}s)   {:>9.0} rows per CPU second ({:.2}s CPU)",
            label(chained),
            rows as f64 / took.as_secs_f64(),
            took.as_secs_f64(),
            rows as f64 / cpu.as_secs_f64(),
            cpu.as_secs_f64()
        );
    }
    remove(&dir.join("import.db"));

    println!("\ndurable save of a note ({SAVES} each, on the demo's 200 tenancies):");
    let demo = dir.join("demo-200.db");
    if !demo.exists() {
        generate_file(&demo, &DemoOptions::shipped(200, 3, 7, today), |_| {}).unwrap();
    }
    for chained in [true, false].repeat(ROUNDS) {
        let db = dir.join("notes.db");
        remove(&db);
        std::fs::copy(&demo, &db).unwrap();
        if !chained {
            unchain(&Connection::open(&db).unwrap());
        }
        let mut store = Store::open(&db).unwrap();
        let at = today.and_hms_opt(10, 0, 0).unwrap();
        let cpu = thread_cpu();
        let mut saves: Vec<Duration> = (0..SAVES)
            .map(|i| {
                let body = format!("Spoke to tenant, note {i}.");
                let t = Instant::now();
                store
                    .write("bench", "bench", |w| {
                        w.append_note(&NewNote {
                            tenancy_id: 1 + (i % 200) as i64,
                            at,
                            officer: "bench",
                            body: &body,
                            action_id: None,
                            amends: None,
                        })
                    })
                    .unwrap();
                t.elapsed()
            })
            .collect();
        let cpu = (thread_cpu() - cpu) / SAVES as u32;
        saves.sort();
        let p = |q: f64| saves[((saves.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
        println!(
            "  {:<10} p50 {:.2} ms   p99 {:.2} ms   {:.3} ms CPU a save",
            label(chained),
            p(0.5),
            p(0.99),
            cpu.as_secs_f64() * 1e3
        );
        drop(store);
        remove(&db);
    }
}

fn label(chained: bool) -> &'static str {
    if chained { "sealed" } else { "not sealed" }
}

fn caseload(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
    command
        .arg("--db")
        .arg(db)
        .args(["--officer", "bench", "--today", "2026-11-23"]);
    command
}

/// A new, empty caseload file; `chained` false: with no table the chain would find.
fn new_file(db: &Path, chained: bool) {
    drop(Store::open(db).unwrap());
    if !chained {
        unchain(&Connection::open(db).unwrap());
    }
}

fn unchain(conn: &Connection) {
    let drops: Vec<String> = conn
        .prepare(
            "SELECT 'DROP TRIGGER \"' || name || '\";' FROM sqlite_schema
             WHERE type = 'trigger' AND tbl_name <> 'chain'
               AND name IN (tbl_name || '_no_update', tbl_name || '_no_delete')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    conn.execute_batch(&drops.concat()).unwrap();
}

fn extract(root: &Path, dir: &Path, today: NaiveDate) -> PathBuf {
    let shared = root.join("extract-1000000");
    if shared.join("transactions.csv").exists() {
        return shared;
    }
    let out = dir.join("extract");
    if !out.join("transactions.csv").exists() {
        let demo = dir.join("demo-2000.db");
        if !demo.exists() {
            generate_file(&demo, &DemoOptions::shipped(2_000, 3, 7, today), |_| {}).unwrap();
        }
        let status = caseload(&demo).arg("export").arg(&out).status().unwrap();
        assert!(status.success(), "the export failed");
    }
    out
}

/// Data rows in every CSV file of the extract.
fn lines(extract: &Path) -> usize {
    std::fs::read_dir(extract)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .map(|text| text.lines().count().saturating_sub(1))
        .sum()
}

fn remove(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
}

/// The CPU time (user and system) of every child process waited for so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage fills in the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    cpu(usage.ru_utime) + cpu(usage.ru_stime)
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    // SAFETY: getrusage fills in the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    cpu(usage.ru_utime) + cpu(usage.ru_stime)
}

fn cpu(t: libc::timeval) -> Duration {
    Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}
