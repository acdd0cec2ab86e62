//! Start to first frame and key to frame on one caseload in each engine: a SQLite file
//! (`BENCH_DB`) and the same caseload moved into PostgreSQL (`BENCH_URL`: `caseload migrate --from
//! BENCH_DB --to URL`), each figure printed for both and PostgreSQL's as a multiple of SQLite's
//! (the target: within 2×). Either alone is measured alone; with neither it says so and does
//! nothing. The workstation runs in this process, drawing to an off-screen 160×48 terminal, as
//! `benches/latency.rs` does for a file (which it generates itself).

use caseload::app::keymap::{KeyCombo, Keymap};
use caseload::app::state::Settings;
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::domain::dates::parse_date;
use caseload::store::Store;
use caseload::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";

/// One engine's figures, in ms.
struct Figures {
    accounts: usize,
    /// Start to first frame with nothing kept from last time (the whole queue ranked first).
    cold: Vec<f64>,
    /// Start to first frame with last time's heads kept (then the rest ranked behind it).
    kept: Vec<f64>,
    /// Start (heads kept) to the frame with the account the queue opens on.
    opened: Vec<f64>,
    /// Start (heads kept) to every account ranked.
    ranked: Vec<f64>,
    /// A key (j/k) to its frame drawn, the account below loaded.
    keys: Vec<f64>,
    /// A letter typed into the queue's search to its frame.
    search: Vec<f64>,
}

fn main() {
    let file = std::env::var_os("BENCH_DB").map(PathBuf::from);
    let url = std::env::var("BENCH_URL").ok();
    if file.is_none() && url.is_none() {
        println!(
            "engines benchmark: skipped (set BENCH_DB=FILE.db and/or BENCH_URL=postgres://… holding \
             the same caseload, e.g. moved in with `caseload migrate --from FILE.db --to URL`)"
        );
        return;
    }
    let config = Config::default_config();
    let theme = Theme::new(&config.colours, false);
    let state = tempfile::tempdir().unwrap();
    let mut measured = Vec::new();
    if let Some(file) = &file {
        let figures = measure(&config, &theme, &state.path().join("file"), file, || {
            Store::open(file).unwrap()
        });
        measured.push(("SQLite", figures));
    }
    if let Some(url) = &url {
        let figures = measure(
            &config,
            &theme,
            &state.path().join("server"),
            Path::new(url),
            || Store::open_server(url).unwrap(),
        );
        measured.push(("PostgreSQL", figures));
    }
    println!(
        "engines benchmark: {} tenancies, 160x48, today {TODAY}",
        measured[0].1.accounts
    );
    type Row = (&'static str, fn(&Figures) -> &Vec<f64>, f64);
    let rows: [Row; 6] = [
        (
            "start, nothing kept, to first frame (median)",
            |f| &f.cold,
            0.5,
        ),
        (
            "start, heads kept, to first frame (median)",
            |f| &f.kept,
            0.5,
        ),
        (
            "start, heads kept, to its account shown (median)",
            |f| &f.opened,
            0.5,
        ),
        (
            "start, heads kept, to every account ranked (median)",
            |f| &f.ranked,
            0.5,
        ),
        ("key j/k to frame p50", |f| &f.keys, 0.5),
        ("key j/k to frame p99", |f| &f.keys, 0.99),
    ];
    let search: [Row; 2] = [
        ("search letter to frame p50", |f| &f.search, 0.5),
        ("search letter to frame p99", |f| &f.search, 0.99),
    ];
    println!(
        "{:<52} {}",
        "",
        measured
            .iter()
            .map(|(name, _)| format!("{name:>12}"))
            .collect::<String>()
    );
    for (what, of, q) in rows.iter().chain(&search) {
        let values: Vec<f64> = measured.iter().map(|(_, f)| quantile(of(f), *q)).collect();
        let ratio = match values[..] {
            [sqlite, pg] if sqlite > 0.0 => format!("  PostgreSQL {:.2}x", pg / sqlite),
            _ => String::new(),
        };
        println!(
            "{what:<52} {}{ratio}",
            values
                .iter()
                .map(|v| format!("{v:>9.1} ms"))
                .collect::<String>()
        );
    }
}

fn measure(
    config: &Config,
    theme: &Theme,
    state: &Path,
    db: &Path,
    open: impl Fn() -> Store,
) -> Figures {
    let today = parse_date(TODAY).unwrap();
    let start = |keep: bool| {
        let t = Instant::now();
        let store = open();
        let mut settings = Settings::new(
            config,
            today,
            "bench",
            db.to_path_buf(),
            "config.toml".into(),
        );
        settings.keep_ranking = keep;
        // As the workstation starts: the queue drawn first, its first account read just after.
        settings.open_after_first_frame = true;
        settings.state_dir = state.to_path_buf();
        if let Some(login) = store.login().unwrap() {
            settings.officer = login;
        }
        let mut session = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
        session.dispatch(Action::Resize(160, 48));
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        draw(&mut terminal, &session, theme);
        let first = ms(t.elapsed());
        session.open_first_account();
        draw(&mut terminal, &session, theme);
        let opened = ms(t.elapsed());
        while session.state.queue.is_provisional() {
            session.poll_background();
            std::thread::sleep(Duration::from_millis(1));
        }
        let ranked = ms(t.elapsed());
        (session, terminal, first, opened, ranked)
    };
    let mut figures = Figures {
        accounts: 0,
        cold: Vec::new(),
        kept: Vec::new(),
        opened: Vec::new(),
        ranked: Vec::new(),
        keys: Vec::new(),
        search: Vec::new(),
    };
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(state);
        let (mut session, _, first, _, _) = start(false);
        figures.cold.push(first);
        session.wait_background();
    }
    // One start that keeps the heads for the next.
    let (mut session, _, _, _, _) = start(true);
    session.wait_background();
    session.close();
    drop(session);
    for _ in 0..5 {
        let (mut session, _, first, opened, ranked) = start(true);
        figures.kept.push(first);
        figures.opened.push(opened);
        figures.ranked.push(ranked);
        session.wait_background();
        session.close();
    }
    let (mut session, mut terminal, _, _, _) = start(true);
    session.wait_background();
    figures.accounts = session.state.queue.total();
    let (j, k) = (KeyCombo::parse("j").unwrap(), KeyCombo::parse("k").unwrap());
    for i in 0..400 {
        let t = Instant::now();
        session.press(if i % 40 < 30 { j } else { k });
        draw(&mut terminal, &session, theme);
        figures.keys.push(ms(t.elapsed()));
    }
    for query in ["smithroadflat", "07700 9001", "km3 4", "jones mill"] {
        session.keys("/");
        for c in query.chars() {
            let key = KeyCombo::parse(&c.to_string()).unwrap();
            let t = Instant::now();
            session.press(key);
            draw(&mut terminal, &session, theme);
            figures.search.push(ms(t.elapsed()));
        }
        session.keys("<esc><esc>");
    }
    figures
}

fn draw(terminal: &mut Terminal<TestBackend>, session: &Session, theme: &Theme) {
    terminal
        .draw(|f| ui::draw(f, &session.state, session.keymap(), theme))
        .unwrap();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}
