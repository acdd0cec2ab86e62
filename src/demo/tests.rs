use super::*;
use crate::domain::dates::parse_date;

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
