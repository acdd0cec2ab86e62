use super::*;
use crate::domain::dates::parse_date;
use chrono::Datelike;

fn options(accounts: usize, seed: u64) -> DemoOptions {
    DemoOptions::shipped(accounts, 3, seed, parse_date("2026-11-23").unwrap())
}

fn generate(dir: &Path, name: &str, o: &DemoOptions) -> Store {
    let path = dir.join(name);
    assert_eq!(generate_file(&path, o, |_| {}).unwrap(), o.accounts);
    Store::open(&path).unwrap()
}

#[test]
fn same_seed_same_caseload_other_seed_other_caseload() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(dir.path(), "a.db", &options(40, 7))
        .tenancy_records()
        .unwrap();
    let b = generate(dir.path(), "b.db", &options(40, 7))
        .tenancy_records()
        .unwrap();
    let c = generate(dir.path(), "c.db", &options(40, 8))
        .tenancy_records()
        .unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(!dir.path().join("a.partial").exists());
}

#[test]
fn looks_like_a_real_patch() {
    let dir = tempfile::tempdir().unwrap();
    let o = options(400, 42);
    let store = generate(dir.path(), "demo.db", &o);
    let records = store.tenancy_records().unwrap();
    let count =
        |f: &dyn Fn(&crate::store::TenancyRecord) -> bool| records.iter().filter(|r| f(r)).count();
    let rent = |r: &crate::store::TenancyRecord| r.rent().balance;
    let weekly = |r: &crate::store::TenancyRecord| r.details.weekly_charge;
    let variety = [
        ("in credit", count(&|r| rent(r).is_negative())),
        (
            "small arrears",
            count(&|r| rent(r).is_positive() && rent(r) < weekly(r)),
        ),
        (
            "large arrears",
            count(&|r| rent(r) > Money::from_pence(weekly(r).pence() * 8)),
        ),
        ("joint", count(&|r| r.tenants.len() == 2)),
        ("former", count(&|r| r.is_former(o.today))),
        (
            "garage",
            count(&|r| r.accounts.iter().any(|a| a.debt_type == DebtType::Garage)),
        ),
        (
            "recharge",
            count(&|r| r.accounts.iter().any(|a| a.debt_type == DebtType::Recharge)),
        ),
        ("UC", count(&|r| r.details.flags.universal_credit)),
        ("HB", count(&|r| r.details.flags.housing_benefit)),
        ("vulnerable", count(&|r| r.details.flags.vulnerable)),
    ];
    for (what, n) in variety {
        assert!(n > 0, "no {what} tenancies in {variety:?}");
    }
    // Three years of weekly history: an older tenancy has at least 150 rent charges.
    let detail = store
        .account_detail(
            records[0].tenancy_id,
            1_000,
            crate::domain::promise::Judging {
                tolerance_days: 1,
                today: parse_date("2026-11-23").unwrap(),
            },
        )
        .unwrap()
        .unwrap();
    assert!(detail.history.len() > 50, "{}", detail.history.len());
}

/// Working days after `day` up to and including `today` (none when `day` is today or later).
fn working_days_late(day: NaiveDate, today: NaiveDate) -> usize {
    day.iter_days()
        .skip(1)
        .take_while(|d| *d <= today)
        .filter(|d| !matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
        .count()
}

/// Every line of every tenancy's whole case history, with the tenancy's reference.
fn whole_histories(
    store: &Store,
    today: NaiveDate,
) -> impl Iterator<Item = (String, crate::store::HistoryItem)> {
    let judging = crate::domain::promise::Judging {
        tolerance_days: 1,
        today,
    };
    store
        .tenancy_records()
        .unwrap()
        .into_iter()
        .flat_map(move |r| {
            let detail = store
                .account_detail(r.tenancy_id, 1_000_000, judging)
                .unwrap()
                .unwrap();
            let reference = r.details.reference;
            detail
                .history
                .into_iter()
                .map(move |h| (reference.clone(), h))
        })
}

/// The demo's officer works her call backs: one asked for before today was made (a call on its
/// day), so the Today tab's call backs are today's or coming, not weeks of them. One working day
/// late is the most allowed: a call back from the last working day not yet made is believable on
/// a real patch, one from last week is not.
#[test]
fn no_call_back_is_left_unmade_past_the_last_working_day() {
    let dir = tempfile::tempdir().unwrap();
    let o = options(400, 42);
    let store = generate(dir.path(), "demo.db", &o);
    let (mut asked, mut made, mut late) = (0, 0, Vec::new());
    for (reference, h) in whole_histories(&store, o.today) {
        let crate::store::HistoryKind::CallBack { made: done } = h.kind else {
            continue;
        };
        asked += 1;
        made += usize::from(done);
        if !done && working_days_late(h.at.date(), o.today) > 1 {
            late.push(format!("{reference} {} ({})", h.at, h.text));
        }
    }
    assert!(asked > 10 && made > 10, "{asked} asked, {made} made");
    assert!(
        late.is_empty(),
        "{} call backs left unmade: {late:#?}",
        late.len()
    );
}

/// Income teams work Monday to Friday, not bank holidays: every call, letter, note and court
/// step the demo's officers record, and every call back's day, falls on a working day in
/// England and Wales, whatever day of the week "today" is and over Christmas; and none is
/// recorded after today.
#[test]
fn officers_work_only_on_working_days() {
    let calendar = crate::domain::calendar::Calendar::england_and_wales();
    let todays = [
        "2026-11-23", // Monday
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
        "2026-11-28",
        "2026-11-29", // Sunday
        "2026-12-28", // the Monday after Christmas, itself a bank holiday
        "2027-01-05",
    ];
    let mut off = Vec::new();
    let mut seen = 0;
    for today in todays {
        let dir = tempfile::tempdir().unwrap();
        let mut o = options(150, 42);
        o.today = parse_date(today).unwrap();
        let store = generate(dir.path(), "demo.db", &o);
        for (_, h) in whole_histories(&store, o.today) {
            use crate::store::HistoryKind as H;
            let (what, future_allowed) = match h.kind {
                H::Action { kind, .. } => (format!("{kind:?}"), false),
                H::Note { .. } => ("note".to_string(), false),
                H::CallBack { .. } => ("call back".to_string(), true),
                H::Entry { .. } | H::Promise(_) => continue,
            };
            seen += 1;
            let day = h.at.date();
            if let Some(why) = calendar.day_off(day) {
                off.push(format!(
                    "today {today}: {what} on {day} ({why}): {}",
                    h.text
                ));
            } else if day > o.today && !future_allowed {
                off.push(format!(
                    "today {today}: {what} on {day}, after today: {}",
                    h.text
                ));
            }
        }
    }
    assert!(seen > 1_000, "{seen}");
    assert!(off.is_empty(), "{} off days: {off:#?}", off.len());
}

/// How many rows the Today tab holds on `today` for a demo of `accounts` tenancies.
fn today_tab(accounts: usize, seed: u64, today: &str) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let mut o = options(accounts, seed);
    o.years = 1;
    o.today = parse_date(today).unwrap();
    let path = dir.path().join("demo.db");
    generate_file(&path, &o, |_| {}).unwrap();
    let config = crate::config::Config::default_config();
    let settings = crate::app::state::Settings::new(
        &config,
        o.today,
        "tester",
        path.clone(),
        "config.toml".into(),
    );
    let queue = crate::app::queue::Queue::read(&Store::open(&path).unwrap(), &settings).unwrap();
    queue.count(crate::app::queue::Tab::Today)
}

/// Tenants pay, promise and ask to be called back on their own days (many are paid on a Friday,
/// many pay on a Monday with the rent, the rest on other days), so on every working day something
/// falls due on a patch: plan instalments, promises, call backs. At least one account in a hundred
/// on each day, Monday to Friday and on the first day back after a bank holiday, so a new officer
/// never opens an empty Today tab; and at most eight in a hundred, a day's work for one officer
/// rather than the week's instalments all on a Monday.
#[test]
fn the_today_tab_has_work_on_every_working_day() {
    let accounts = 600;
    let days = [
        "2026-11-23", // Monday
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27", // Friday
        "2027-01-04", // the Monday after New Year's Day (a Friday)
    ];
    let counts: Vec<(&str, usize)> = days
        .iter()
        .map(|day| (*day, today_tab(accounts, 42, day)))
        .collect();
    assert!(
        counts
            .iter()
            .all(|(_, n)| (accounts / 100..=accounts * 8 / 100).contains(n)),
        "Today's rows by day for {accounts} tenancies: {counts:?}"
    );
}
