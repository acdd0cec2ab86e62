//! The team's numbers on a small caseload built by hand, every figure worked out by hand below,
//! and a property test that the report's totals are the ledger's sums.

mod common;

use caseload::app::state::Overlay;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::dates::parse_date;
use caseload::domain::kpi::{Band, Period, Scope, show_percent};
use caseload::domain::ledger::{EntryKind, PaymentMethod};
use caseload::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenure};
use caseload::statement::Format;
use caseload::store::{NewAction, NewEntry, Store, Writer};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::{Mutex, OnceLock};

static SHARED: OnceLock<Mutex<(tempfile::TempDir, Store, usize)>> = OnceLock::new();

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn tenancy(
    w: &mut Writer<'_>,
    r: &str,
    patch: &str,
    officer: &str,
    weekly: i64,
    end: Option<&str>,
) -> i64 {
    let id = w
        .add_tenancy(&TenancyDetails {
            reference: r.into(),
            address: format!("{r} Mill Lane"),
            postcode: "KM1 1AB".into(),
            tenure: Tenure::Secure,
            start: d("2020-04-06"),
            end: end.map(d),
            patch: patch.into(),
            officer: officer.into(),
            weekly_charge: Money::pounds(weekly),
            flags: Flags::default(),
        })
        .unwrap();
    w.account(id, DebtType::Rent).unwrap()
}

fn entry(
    w: &mut Writer<'_>,
    account: i64,
    date: &str,
    kind: EntryKind,
    pence: i64,
    reverses: Option<i64>,
) -> i64 {
    w.append_entry(&NewEntry {
        account_id: account,
        date: d(date),
        kind,
        method: (kind == EntryKind::Payment).then_some(PaymentMethod::DirectDebit),
        amount: Money::from_pence(pence),
        description: None,
        reverses,
        ext_id: None,
    })
    .unwrap()
}

/// Three weeks of 2026/27 (Mon 6 to Sun 26 April) for three current tenancies and one that ended.
fn hand_built(path: &std::path::Path) -> Store {
    use EntryKind::*;
    let mut store = Store::open(path).unwrap();
    store
        .write("tester", "fixture", |w| {
            // Amy's £100 a week in Riverside: £100 owed from March (brought forward), three
            // charges, two payments: owes 100 + 300 − 200 = £200.
            let a = tenancy(w, "1/1", "Riverside", "amy", 100, None);
            entry(w, a, "2026-03-30", Charge, 10_000, None);
            for (monday, paid) in [("2026-04-06", "2026-04-08"), ("2026-04-13", "2026-04-15")] {
                entry(w, a, monday, Charge, 10_000, None);
                entry(w, a, paid, Payment, -10_000, None);
            }
            entry(w, a, "2026-04-20", Charge, 10_000, None);
            // Ben's £150 a week in Riverside: £300 brought forward, three charges, £600 paid
            // (clearing some old arrears too): owes 300 + 450 − 600 = £150.
            let b = tenancy(w, "2/1", "Riverside", "ben", 150, None);
            entry(w, b, "2026-03-23", Charge, 15_000, None);
            entry(w, b, "2026-03-30", Charge, 15_000, None);
            for monday in ["2026-04-06", "2026-04-13", "2026-04-20"] {
                entry(w, b, monday, Charge, 15_000, None);
            }
            for paid in ["2026-04-07", "2026-04-14", "2026-04-21", "2026-04-22"] {
                entry(w, b, paid, Payment, -15_000, None);
            }
            // Amy's £80 a week in Northfields: three charges, £80 paid, a Direct Debit of £80
            // bounced (reversed): owes 240 − 80 = £160.
            let c = tenancy(w, "3/1", "Northfields", "amy", 80, None);
            for monday in ["2026-04-06", "2026-04-13", "2026-04-20"] {
                entry(w, c, monday, Charge, 8_000, None);
            }
            entry(w, c, "2026-04-07", Payment, -8_000, None);
            let bounced = entry(w, c, "2026-04-14", Payment, -8_000, None);
            entry(w, c, "2026-04-17", Reversal, 8_000, Some(bounced));
            // A tenancy that ended on 10 April: £90 from March and £90 charged on 6 April, £50
            // written off: £130 former tenant arrears.
            let f = tenancy(w, "4/1", "Northfields", "amy", 90, Some("2026-04-10"));
            entry(w, f, "2026-03-30", Charge, 9_000, None);
            entry(w, f, "2026-04-06", Charge, 9_000, None);
            entry(w, f, "2026-04-20", WriteOff, -5_000, None);
            // A call to Amy's Riverside tenant this week, a letter to the Northfields one before.
            for (tenancy_id, at, kind) in [
                (1, "2026-04-21T10:00:00", ActionKind::Call),
                (3, "2026-04-08T09:00:00", ActionKind::Letter1),
            ] {
                w.append_action(&NewAction {
                    tenancy_id,
                    at: chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S").unwrap(),
                    kind,
                    code: None,
                    officer: "amy",
                    summary: "",
                    ext_id: None,
                })?;
            }
            Ok(())
        })
        .unwrap();
    store
}

fn april() -> Period {
    Period::new(d("2026-04-06"), d("2026-04-26")).unwrap()
}

#[test]
fn the_hand_built_caseloads_figures_are_the_hand_worked_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hand_built(&dir.path().join("k.db"));
    let s = caseload::report::build(&mut store, april(), Scope::default(), 1).unwrap();
    let t = &s.total;
    // Due: 300 + 450 + 240 + 90 = £1,080 (the £600 brought forward is not due this year).
    // Collected: 200 + 600 + (160 − 80 bounced) = £880. 880 ÷ 1,080 = 81.48148…% → 81.5%.
    assert_eq!(t.rent_due, Money::pounds(1_080));
    assert_eq!(t.collected, Money::pounds(880));
    assert_eq!(
        t.collection_rate().unwrap().round_dp(5),
        Decimal::new(8_148_148, 5)
    );
    assert_eq!(show_percent(t.collection_rate()), "81.5%");
    // Rent roll: (100 + 150 + 80) × 52 weeks (2026/27 has 52 Mondays) = £17,160.
    // Arrears: 200 + 150 + 160 = £510. 510 ÷ 17,160 = 2.97202…% → 3.0%.
    assert_eq!(t.rent_roll, Money::pounds(17_160));
    assert_eq!(t.arrears, Money::pounds(510));
    assert_eq!(
        t.arrears_of_roll().unwrap().round_dp(5),
        Decimal::new(297_203, 5)
    );
    assert_eq!(show_percent(t.arrears_of_roll()), "3.0%");
    assert_eq!(t.former_arrears, Money::pounds(130));
    assert_eq!(t.written_off, Money::pounds(50));
    assert_eq!(t.tenancies, 3);
    // 2 weeks owed on £100, 1 on £150, 2 on £80: all three 1 to 4 weeks.
    assert_eq!(t.band(Band::OneToFour).accounts, 3);
    assert_eq!(t.band(Band::OneToFour).owed, Money::pounds(510));
    assert_eq!((t.contacts, t.actions), (1, 2));
    assert_eq!((t.contacts_week, t.actions_week), (1, 1));
    // By patch: Riverside 100+150 a week, Northfields 80.
    let riverside = &s.by_patch.iter().find(|(p, _)| p == "Riverside").unwrap().1;
    assert_eq!(riverside.arrears, Money::pounds(350));
    assert_eq!(show_percent(riverside.collection_rate()), "106.7%"); // 800 ÷ 750
    let amy = &s.by_officer.iter().find(|(o, _)| o == "amy").unwrap().1;
    assert_eq!(amy.arrears, Money::pounds(360));
    assert_eq!(amy.former_arrears, Money::pounds(130));
}

#[test]
fn the_report_command_prints_them_as_text_and_csv() {
    let env = common::Env::new();
    hand_built(&env.db());
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
            .arg("--db")
            .arg(env.db())
            .arg("--config")
            .arg(env.dir.path().join("config.toml"))
            .args(["--today", "2026-04-26", "report"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            common::text(&out.stdout),
            common::text(&out.stderr),
        )
    };
    let (code, text, _) = run(&["--from", "2026-04-06"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("Collection rate 81.5%: £880.00 collected of £1,080.00"),
        "{text}"
    );
    assert!(
        text.contains("Arrears 3.0% of the rent roll: current tenants owe £510.00"),
        "{text}"
    );
    let (_, csv, _) = run(&[
        "--from",
        "2026-04-06",
        "--format",
        "csv",
        "--patch",
        "riverside",
    ]);
    let total = csv.lines().nth(1).unwrap();
    assert!(
        total.starts_with("total,patch riverside,2026-04-06,2026-04-26,2,750.00,800.00,106.7,"),
        "{csv}"
    );
    let (code, _, err) = run(&["--patch", "Nowhere"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no tenancies for patch Nowhere"), "{err}");
    let (code, _, err) = run(&["--from", "2026-05-01"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("before it starts"), "{err}");
}

/// A ledger entry to generate: which tenancy, which day of March–May 2026, what kind, how much.
#[derive(Clone, Debug)]
struct Gen {
    tenancy: usize,
    day: u64,
    kind: u8,
    pence: i64,
}

fn gen_entry() -> impl Strategy<Value = Gen> {
    (0usize..3, 0u64..70, 0u8..5, 1i64..50_000).prop_map(|(tenancy, day, kind, pence)| Gen {
        tenancy,
        day,
        kind,
        pence,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20))]

    /// Whatever the ledger holds, the report's rent due, collected and written off are the sums
    /// of those entries in the period, and its arrears and credit are the sums of the current
    /// accounts' entries up to its end.
    #[test]
    fn the_reports_totals_are_the_ledgers_sums(entries in prop::collection::vec(gen_entry(), 1..40)) {
        // One database for every case (opening one is the slow part); each case's tenancies are
        // its own officer's, and the report is scoped to that officer.
        let mut shared = SHARED
            .get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open(&dir.path().join("p.db")).unwrap();
                Mutex::new((dir, store, 0))
            })
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        shared.2 += 1;
        let case = format!("case{}", shared.2);
        let store = &mut shared.1;
        let start = d("2026-03-16");
        let period = Period::new(d("2026-04-06"), d("2026-05-03")).unwrap();
        let (mut due, mut collected, mut written_off) = (0i64, 0i64, 0i64);
        // Each account's balance at the period's end: its entries dated up to then.
        let mut at_end = [0i64; 3];
        store.write("tester", "fixture", |w| {
            let accounts = [
                tenancy(w, &format!("{case}/1"), "North", &case, 100, None),
                tenancy(w, &format!("{case}/2"), "South", &case, 120, None),
                tenancy(w, &format!("{case}/3"), "South", &case, 90, Some("2026-04-01")),
            ];
            let mut last_payment: [Option<(i64, i64)>; 3] = [None; 3];
            for e in &entries {
                let date = start + chrono::Days::new(e.day);
                let (kind, pence, reverses) = match e.kind {
                    0 => (EntryKind::Charge, e.pence, None),
                    1 => (EntryKind::Payment, -e.pence, None),
                    2 => (EntryKind::Refund, e.pence, None),
                    3 => (EntryKind::WriteOff, -e.pence, None),
                    _ => match last_payment[e.tenancy].take() {
                        Some((id, paid)) => (EntryKind::Reversal, -paid, Some(id)),
                        None => (EntryKind::Charge, e.pence, None),
                    },
                };
                let iso = date.format("%Y-%m-%d").to_string();
                let id = entry(w, accounts[e.tenancy], &iso, kind, pence, reverses);
                if kind == EntryKind::Payment {
                    last_payment[e.tenancy] = Some((id, pence));
                }
                if date <= period.to {
                    at_end[e.tenancy] += pence;
                }
                if period.holds(date) {
                    match kind {
                        EntryKind::Charge => due += pence,
                        EntryKind::Payment | EntryKind::Refund | EntryKind::Reversal => collected -= pence,
                        EntryKind::WriteOff => written_off -= pence,
                        _ => {}
                    }
                }
            }
            Ok(())
        }).unwrap();
        let scope = Scope { officer: Some(case.clone()), patch: None };
        let s = caseload::report::build(store, period, scope, 1).unwrap();
        prop_assert_eq!(s.total.rent_due.pence(), due);
        prop_assert_eq!(s.total.collected.pence(), collected);
        prop_assert_eq!(s.total.written_off.pence(), written_off);
        // The two current accounts: arrears are what they owe, the bands hold both balances.
        let owed: i64 = at_end[..2].iter().filter(|b| **b > 0).sum();
        prop_assert_eq!(s.total.arrears.pence(), owed);
        let banded: i64 = Band::ALL.iter().map(|b| s.total.band(*b).owed.pence()).sum();
        prop_assert_eq!(banded, at_end[0] + at_end[1]);
        prop_assert_eq!(s.total.former_arrears.pence(), at_end[2].max(0));
        // The patches add up to the whole.
        let by_patch: i64 = s.by_patch.iter().map(|(_, t)| t.collected.pence()).sum();
        prop_assert_eq!(by_patch, collected);
    }
}

/// The KPI screen (K, or :kpi) shows the figures `caseload report` prints: both are one
/// computation, `report::build`, over the same database.
#[test]
fn the_kpi_screen_shows_the_reports_figures_with_charts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    drop(hand_built(&path));
    let mut session = common::session_on(&path, d("2026-04-26"));
    session.keys("K");
    session.wait_background();
    let Some(Overlay::Kpi(shown)) = session.state.top().cloned() else {
        panic!("K did not open the KPI screen: {:?}", session.state.top());
    };
    let mut store = Store::open(&path).unwrap();
    let period = Period::rent_year_to(d("2026-04-26"));
    let report = caseload::report::build(&mut store, period, Scope::default(), 1).unwrap();
    assert_eq!(*shown, report);
    assert_eq!(show_percent(shown.total.collection_rate()), "81.5%");
    let wide = common::screen(&mut session, 120, 36);
    for needle in [
        "Collection rate 81.5%: £880.00 collected of £1,080.00",
        "Arrears 3.0% of the rent roll",
        "Accounts by weeks owed",
        "Officers: arrears % of their rent roll",
        "Collection rate by week",
    ] {
        assert!(wide.contains(needle), "{needle} not on the screen:\n{wide}");
    }
    insta::assert_snapshot!("kpi_120x36", wide);
    let narrow = common::screen(&mut session, 80, 24);
    insta::assert_snapshot!("kpi_80x24", narrow);
    session.keys("<esc>");
    assert!(session.state.top().is_none());
    session.keys(":kpi<ret>");
    assert!(matches!(session.state.top(), Some(Overlay::KpiWorking(_))));
    session.wait_background();
    assert!(matches!(session.state.top(), Some(Overlay::Kpi(_))));
}

/// `caseload report --format html` is one page with the charts as SVG and the figures in words,
/// the same as the text report's and the hand-worked ones.
#[test]
fn the_html_report_is_one_page_with_svg_charts_and_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hand_built(&dir.path().join("k.db"));
    let s = caseload::report::build(&mut store, april(), Scope::default(), 1).unwrap();
    let html = caseload::report::render(&s, Format::Html);
    let text = caseload::report::render(&s, Format::Text);
    assert_eq!(html.matches("<svg").count(), 4, "{html}");
    for needle in [
        "Collection rate 81.5%: £880.00 collected of £1,080.00 rent due in the period.",
        "Arrears 3.0% of the rent roll: current tenants owe £510.00",
    ] {
        assert!(html.contains(needle), "{needle} not in the page");
        assert!(text.contains(needle), "{needle} not in the text");
    }
    assert!(html.contains("@page { size: A4"));
    assert!(!html.contains("<script"));
    // The trend: 52 whole weeks before the week of 26 April, the last one the week of 13 April,
    // then that week to the 26th.
    assert_eq!(s.trend.len(), 53);
    assert_eq!(s.trend[51].week, d("2026-04-13"));
    assert_eq!(s.trend[52].week, d("2026-04-20"));
}

/// Weeks are kept on first use and read back after; an entry dated in a kept week (an import of
/// old entries) makes that week and the ones after it be worked out again, so the figures stay
/// those the ledger gives.
#[test]
fn kept_weeks_are_worked_out_again_when_an_older_entry_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hand_built(&dir.path().join("k.db"));
    let period = Period::new(d("2026-04-06"), d("2026-04-28")).unwrap();
    let first = caseload::report::build(&mut store, period, Scope::default(), 1).unwrap();
    // Read again: the kept weeks give the same figures as reading the ledger.
    let again = caseload::report::build(&mut store, period, Scope::default(), 1).unwrap();
    assert_eq!(first, again);
    assert_eq!(first.total.collected, Money::pounds(880));
    // £45 paid on 14 April, recorded only now.
    store
        .write("tester", "import", |w| {
            entry(w, 1, "2026-04-14", EntryKind::Payment, -4_500, None);
            Ok(())
        })
        .unwrap();
    let after = caseload::report::build(&mut store, period, Scope::default(), 1).unwrap();
    assert_eq!(after.total.collected, Money::pounds(925));
    let week = after
        .trend
        .iter()
        .find(|w| w.week == d("2026-04-13"))
        .unwrap();
    assert_eq!(week.tally.collected, Money::pounds(100 + 150 + 45));
}

/// The first `K` on a large file has a year of weeks to work out from the ledger: the screen
/// opens at once saying what it is working out, the officer can carry on (or close it), and the
/// figures fill it in when they arrive from the background.
#[test]
fn k_opens_the_screen_at_once_saying_what_it_works_out_and_the_figures_arrive_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    drop(hand_built(&path));
    let mut session = common::session_on(&path, d("2026-04-26"));
    session.keys("K");
    let working = common::screen(&mut session, 80, 24);
    assert!(
        working.contains("Working out the team's numbers"),
        "K did not say what it is working out:\n{working}"
    );
    assert!(!working.contains("Collection rate 81.5%"), "{working}");
    session.wait_background();
    let ready = common::screen(&mut session, 120, 36);
    assert!(
        ready.contains("Collection rate 81.5%: £880.00 collected of £1,080.00"),
        "the figures did not arrive:\n{ready}"
    );
    assert!(!ready.contains("Working out"), "{ready}");
}

/// On a caseload that has never shown them, K's figures come first (the rent year's money from
/// the totals the database keeps) and are the report's, to the penny; the screen says the trend
/// is being worked out, and the trend's 52 weeks follow, when the screen is the report's whole.
#[test]
fn ks_figures_come_before_the_trend_and_are_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    drop(hand_built(&path));
    let mut session = common::session_on(&path, d("2026-04-26"));
    session.wait_background();
    session.keys("K");
    let first = loop {
        session.poll_background();
        if let Some(Overlay::Kpi(shown)) = session.state.top() {
            break shown.clone();
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    assert_eq!((first.trend_missing, first.trend.len()), (52, 0));
    let screen = common::screen(&mut session, 120, 36);
    for needle in [
        "Trend: working out 52 weeks",
        "Collection rate 81.5%: £880.00 collected of £1,080.00",
        "Arrears 3.0% of the rent roll",
    ] {
        assert!(
            screen.contains(needle),
            "{needle} not on the screen:\n{screen}"
        );
    }
    let mut store = Store::open(&path).unwrap();
    let period = Period::rent_year_to(d("2026-04-26"));
    let report = caseload::report::build(&mut store, period, Scope::default(), 1).unwrap();
    assert_eq!(
        (&first.total, &first.by_patch, &first.by_officer),
        (&report.total, &report.by_patch, &report.by_officer)
    );
    session.wait_background();
    let Some(Overlay::Kpi(whole)) = session.state.top() else {
        panic!("the trend did not arrive: {:?}", session.state.top());
    };
    assert_eq!(**whole, report);
    assert!(!common::screen(&mut session, 120, 36).contains("working out"));
}

/// The headline's arrears and the trend's "now" are one figure: where current tenants stood on
/// the last day of the period (here Sunday 26 April, after the rent charged on Monday 20th), not
/// at the end of the last whole week before it.
#[test]
fn the_headline_arrears_and_the_trends_now_are_one_figure() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let mut store = hand_built(&path);
    let s = caseload::report::build(&mut store, april(), Scope::default(), 1).unwrap();
    // £510 owed of a £17,160 roll (the hand-worked figure above); a week earlier it was £330.
    assert_eq!(show_percent(s.total.arrears_of_roll()), "3.0%");
    let last = s.trend.last().unwrap();
    assert_eq!(last.tally.arrears_of_roll(), s.total.arrears_of_roll());
    drop(store);
    let mut session = common::session_on(&path, d("2026-04-26"));
    session.keys("K");
    session.wait_background();
    let screen = common::screen(&mut session, 120, 36);
    assert!(screen.contains("Arrears 3.0% of the rent roll"), "{screen}");
    assert!(
        screen.contains("Arrears now 3.0% of rent roll"),
        "the trend says otherwise:\n{screen}"
    );
}

/// The trend's weeks worked out in one pass are, to the penny, what reading each week as its own
/// period gives: on the hand-built caseload (tenancies ending, a bounced payment, a write-off) and
/// on a small generated one with promises, plans, notices, court events and corrections.
#[test]
fn the_one_pass_back_fill_gives_each_weeks_own_figures_to_the_penny() {
    let dir = tempfile::tempdir().unwrap();
    let hand = hand_built(&dir.path().join("k.db"));
    let demo_path = dir.path().join("demo.db");
    let today = d("2026-11-23");
    let options = caseload::demo::DemoOptions::shipped(120, 2, 7, today);
    caseload::demo::generate_file(&demo_path, &options, |_| {}).unwrap();
    let demo = Store::open(&demo_path).unwrap();
    for (store, first, weeks) in [(&hand, d("2026-03-16"), 8), (&demo, d("2025-11-17"), 53)] {
        let together = store.kpi_week_groups(first, weeks, 1).unwrap();
        assert_eq!(together.len(), weeks);
        for (i, groups) in together.iter().enumerate() {
            let week = first + chrono::Days::new(7 * i as u64);
            let period = Period::new(week, week + chrono::Days::new(6)).unwrap();
            let alone = store.kpi_groups(period, week, 1).unwrap();
            assert_eq!(groups, &alone, "the week of {week}");
        }
        // Part of a week (this week to today) the same way.
        for (from, to) in [
            (first, first),
            (first + chrono::Days::new(7), first + chrono::Days::new(10)),
        ] {
            let part = Period::new(from, to).unwrap();
            assert_eq!(
                store.kpi_part_week_groups(part, None, 1).unwrap().0,
                store.kpi_groups(part, from, 1).unwrap(),
                "{from} to {to}"
            );
        }
        // The figures are not all nothing: there is something to compare.
        let moved: i64 = together
            .iter()
            .flatten()
            .map(|g| g.tally.collected.pence())
            .sum();
        assert!(moved > 0);
    }
    // The rent year's figures from the kept weeks and this week are those of reading it whole.
    let mut demo = demo;
    let year = Period::rent_year_to(today);
    let built = caseload::report::build(&mut demo, year, Scope::default(), 1).unwrap();
    let whole = demo.kpi_groups(year, year.from, 1).unwrap();
    let whole = caseload::domain::kpi::summarise(year, Scope::default(), &whole, vec![]);
    assert_eq!(built.total, whole.total);
    assert!(built.total.promises_broken + built.total.promises_kept > 0);
    let demo_weeks = demo.kpi_week_groups(d("2025-11-17"), 53, 1).unwrap();
    let total = |f: fn(&caseload::domain::kpi::Tally) -> u32| -> u32 {
        demo_weeks.iter().flatten().map(|g| f(&g.tally)).sum()
    };
    for (what, n) in [
        ("promises", total(|t| t.promises_kept + t.promises_broken)),
        ("plans", total(|t| t.plans_live + t.plans_breached)),
        ("actions", total(|t| t.actions)),
        ("notices", total(|t| t.notices)),
        ("orders or warrants", total(|t| t.orders + t.warrants)),
    ] {
        assert!(n > 0, "the generated caseload has no {what} to compare");
    }
}

/// With the trend's weeks kept, the rent year's figures are read as on first use (its money from
/// the totals the database keeps) and this week's point of the trend is worked out from them less
/// the kept weeks': group by group, the figures of reading this week alone, to the penny; and
/// the screen's figures are those of reading the whole year.
#[test]
fn with_the_weeks_kept_this_weeks_figures_are_the_year_less_the_kept_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    // A Thursday: this week so far is four days.
    let today = d("2026-11-26");
    let options = caseload::demo::DemoOptions::shipped(120, 2, 7, today);
    caseload::demo::generate_file(&path, &options, |_| {}).unwrap();
    let mut demo = Store::open(&path).unwrap();
    // Ending on days of the last weeks (each Monday, Thursday and Sunday, and today).
    let (mut actions, mut promises) = (0, 0);
    for to in (0..60).map(|back| today - chrono::Days::new(back)) {
        if !matches!(to.weekday().num_days_from_monday(), 0 | 3 | 6) && to != today {
            continue;
        }
        let year = Period::rent_year_to(to);
        let monday = to - chrono::Days::new(u64::from(to.weekday().num_days_from_monday()));
        let this_week = Period::new(monday, to).unwrap();
        let alone = demo.kpi_groups(this_week, monday, 1).unwrap();
        let (groups, promised) = demo.kpi_groups_and_last_days(year, monday, 1).unwrap();
        assert_eq!(
            groups,
            demo.kpi_groups(year, year.from, 1).unwrap(),
            "to {to}"
        );
        let weeks = (monday - year.from).num_days() as usize / 7;
        let kept = demo.kpi_week_groups(year.from, weeks, 1).unwrap();
        let worked =
            caseload::domain::kpi::last_days(&groups, kept.iter().map(Vec::as_slice), &promised);
        assert_eq!(worked, alone, "to {to}");
        let t = caseload::domain::kpi::summarise(this_week, Scope::default(), &alone, vec![]).total;
        // Rent was charged on the Monday: there is something to compare.
        assert!(t.rent_due.is_positive(), "to {to}: {t:?}");
        actions += t.actions;
        promises += t.promises_kept + t.promises_broken + t.promises_pending;
    }
    assert!(
        actions > 0 && promises > 0,
        "{actions} actions, {promises} promises"
    );

    let year = Period::rent_year_to(today);
    let monday = d("2026-11-23");
    let this_week = Period::new(monday, today).unwrap();
    let alone = demo.kpi_groups(this_week, monday, 1).unwrap();
    let total = caseload::domain::kpi::summarise(this_week, Scope::default(), &alone, vec![]).total;
    // On the screen: the first use back-fills the weeks, then they are kept.
    let built = caseload::report::build(&mut demo, year, Scope::default(), 1).unwrap();
    let shown = caseload::report::headline(&mut demo, year, Scope::default(), 1).unwrap();
    assert_eq!((shown.trend_missing, shown.trend.len()), (0, 53));
    assert_eq!(shown, built);
    let whole = demo.kpi_groups(year, year.from, 1).unwrap();
    let whole = caseload::domain::kpi::summarise(year, Scope::default(), &whole, vec![]);
    assert_eq!(
        (&shown.total, &shown.by_patch, &shown.by_officer),
        (&whole.total, &whole.by_patch, &whole.by_officer)
    );
    let now = shown.trend.last().unwrap();
    assert_eq!((now.week, &now.tally), (monday, &total));
}

/// An entry written: its date, kind, amount and the kind of the entry it reverses.
type Written = (NaiveDate, EntryKind, i64, Option<EntryKind>);

/// The rent year's money that moved, read from the totals the database keeps for each account and
/// year, is the ledger's sums on either engine: after entries dated in an earlier year arrive,
/// after reversals (of a payment, of a charge, of a reversal), and after a bulk import, whose
/// totals are added in one pass instead of row by row.
#[test]
fn the_years_kept_totals_are_the_ledgers_sums_after_back_dated_entries_reversals_and_imports() {
    use EntryKind::*;
    common::on_each_engine(|| {
        let dir = tempfile::tempdir().unwrap();
        // The shared fixture (moved in, on a team's database), and two tenancies of its own.
        let mut store = common::build(&dir.path().join("y.db"));
        let written: std::cell::RefCell<Vec<Written>> = Default::default();
        let add = |w: &mut Writer<'_>,
                   account: i64,
                   date: &str,
                   kind: EntryKind,
                   pence: i64,
                   reverses: Option<(i64, EntryKind)>| {
            let id = entry(w, account, date, kind, pence, reverses.map(|r| r.0));
            written
                .borrow_mut()
                .push((d(date), kind, pence, reverses.map(|r| r.1)));
            (id, kind)
        };
        let check = |store: &Store, written: &[Written]| {
            for to in [
                "2026-04-05",
                "2026-04-06",
                "2026-04-19",
                "2026-05-31",
                "2027-04-04",
            ] {
                let to = d(to);
                let year = Period::rent_year_to(to);
                let (mut due, mut collected, mut written_off) = (0, 0, 0);
                for (date, kind, pence, reverses) in written {
                    if !year.holds(*date) {
                        continue;
                    }
                    match reverses.unwrap_or(*kind) {
                        Charge => due += pence,
                        Payment | Refund => collected -= pence,
                        WriteOff | WriteOn => written_off -= pence,
                        _ => {}
                    }
                }
                let groups = store.kpi_groups(year, year.from, 1).unwrap();
                let scope = Scope {
                    patch: None,
                    officer: Some("years".into()),
                };
                let s = caseload::domain::kpi::summarise(year, scope, &groups, vec![]);
                assert_eq!(
                    (
                        s.total.rent_due.pence(),
                        s.total.collected.pence(),
                        s.total.written_off.pence()
                    ),
                    (due, collected, written_off),
                    "the rent year to {to}"
                );
                // Where the two accounts stood on `to`: every entry dated up to then.
                let owed: i64 = written.iter().filter(|e| e.0 <= to).map(|e| e.2).sum();
                let banded: i64 = Band::ALL
                    .iter()
                    .map(|b| s.total.band(*b).owed.pence())
                    .sum();
                assert_eq!(banded, owed, "the balances on {to}");
            }
        };
        let (a, b) = store
            .write("tester", "fixture", |w| {
                let a = tenancy(w, "Y1/1", "Riverside", "years", 100, None);
                let b = tenancy(w, "Y2/1", "Northfields", "years", 80, None);
                add(w, a, "2026-03-30", Charge, 10_000, None);
                let charged = add(w, a, "2026-04-06", Charge, 10_000, None);
                let paid = add(w, a, "2026-04-07", Payment, -10_000, None);
                add(w, a, "2026-04-13", Charge, 10_000, None);
                add(w, a, "2026-04-14", Reversal, 10_000, Some(paid));
                add(w, a, "2026-04-15", Reversal, -10_000, Some(charged));
                let refund = add(w, b, "2026-04-08", Refund, 2_500, None);
                let undone = add(w, b, "2026-04-09", Reversal, -2_500, Some(refund));
                add(w, b, "2026-04-10", Reversal, 2_500, Some(undone));
                add(w, b, "2026-04-20", WriteOff, -4_000, None);
                add(w, b, "2026-04-21", WriteOn, 1_000, None);
                add(w, b, "2026-04-22", Adjustment, 700, None);
                add(w, b, "2026-06-01", Payment, -8_000, None);
                Ok((a, b))
            })
            .unwrap();
        check(&store, &written.borrow());
        // Recorded now, dated in the year before and on its last day and this year's first.
        store
            .write("tester", "fixture", |w| {
                add(w, a, "2025-06-02", Payment, -3_000, None);
                add(w, b, "2026-04-05", Charge, 8_000, None);
                add(w, b, "2026-04-06", Payment, -1_500, None);
                Ok(())
            })
            .unwrap();
        check(&store, &written.borrow());
        // An import: many entries in one bulk write, one reversing an entry written before.
        store
            .write_bulk("tester", "import", |w| {
                for week in 0..10u64 {
                    let monday = d("2026-03-16") + chrono::Days::new(7 * week);
                    let day = monday.format("%Y-%m-%d").to_string();
                    add(w, b, &day, Charge, 8_000, None);
                    add(w, a, &day, Payment, -9_000 - week as i64, None);
                }
                let late = add(w, a, "2026-04-28", Payment, -500, None);
                add(w, a, "2026-04-29", Reversal, 500, Some(late));
                Ok(())
            })
            .unwrap();
        check(&store, &written.borrow());
    });
}

/// The weeks kept for the trend are worked out again when accounts move to another officer: a
/// kept week's figures are by the officer who holds each account now, as a week never kept is
/// (on either engine). Kept as they were, the old officer went on being credited with the money
/// collected before the move, but only for the weeks that happened to be kept.
#[test]
fn kept_weeks_are_worked_out_again_when_accounts_move_to_another_officer() {
    use EntryKind::*;
    common::on_each_engine(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = common::build(&dir.path().join("r.db"));
        store
            .write("tester", "fixture", |w| {
                let a = tenancy(w, "W1/1", "Weir", "rhea", 100, None);
                let b = tenancy(w, "W2/1", "Weir", "rhea", 80, None);
                for monday in ["2026-04-06", "2026-04-13", "2026-04-20"] {
                    entry(w, a, monday, Charge, 10_000, None);
                    entry(w, b, monday, Charge, 8_000, None);
                }
                entry(w, a, "2026-04-08", Payment, -10_000, None);
                entry(w, b, "2026-04-14", Payment, -8_000, None);
                Ok(())
            })
            .unwrap();
        let period = april();
        let weir = Scope {
            patch: Some("Weir".into()),
            officer: None,
        };
        // The weeks before 20 April are kept by the first report.
        let before = caseload::report::build(&mut store, period, weir.clone(), 1).unwrap();
        assert_eq!(before.by_officer.len(), 1);
        let moving: Vec<_> = store
            .patch_holdings("Weir")
            .unwrap()
            .into_iter()
            .filter(|h| h.reference == "W1/1")
            .collect();
        store
            .write("tester", "fixture", |w| {
                w.reassign(&caseload::domain::reassign::Reassignment::new(
                    moving, "sol",
                ))
            })
            .unwrap();
        let after = caseload::report::build(&mut store, period, weir.clone(), 1).unwrap();
        let whole = store.kpi_groups(period, period.from, 1).unwrap();
        let whole = caseload::domain::kpi::summarise(period, weir, &whole, vec![]);
        assert_eq!(after.by_officer, whole.by_officer);
        let sol = |s: &caseload::domain::kpi::Summary| {
            s.by_officer
                .iter()
                .find(|(officer, _)| officer == "sol")
                .map(|(_, t)| t.collected.pence())
        };
        assert_eq!(sol(&after), Some(10_000));
        // The trend's kept week of 6 April, for Sol alone, has the payment of 8 April.
        let sols = Scope {
            patch: None,
            officer: Some("sol".into()),
        };
        let trend = caseload::report::build(&mut store, period, sols, 1)
            .unwrap()
            .trend;
        let week = trend.iter().find(|p| p.week == d("2026-04-06")).unwrap();
        assert_eq!(week.tally.collected.pence(), 10_000);
    });
}
