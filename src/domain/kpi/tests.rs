use super::*;
use crate::domain::Money;

fn d(s: &str) -> NaiveDate {
    crate::domain::dates::parse_date(s).unwrap()
}

fn pounds(p: i64) -> Money {
    Money::pounds(p)
}

fn rent(weekly: i64, balance: i64, current: bool) -> AccountAt {
    AccountAt {
        debt_type: DebtType::Rent,
        weekly_charge: pounds(weekly),
        balance: pounds(balance),
        current,
    }
}

/// Three current tenancies and a former one, four weeks of 2026/27 worked by hand.
fn hand_built() -> Tally {
    let mut t = Tally::default();
    // £250 on £100 a week is 2.5 weeks; £20 in credit; £800 on £80 a week is 10 weeks.
    t.add_account(rent(100, 250, true), 52);
    t.add_account(rent(150, -20, true), 52);
    t.add_account(rent(80, 800, true), 52);
    // An ended tenancy still owing £300 of rent: former tenant arrears, outside the rent roll.
    t.add_account(rent(90, 300, false), 52);
    // Four weeks of charges (£330 a week), one reversed (£80); £1,000 paid, a bounced Direct
    // Debit of £50 reversed, a £20 refund; £60 written off and £10 of it written back on.
    t.add_entries(DebtType::Rent, EntryKind::Charge, None, pounds(1_320));
    t.add_entries(
        DebtType::Rent,
        EntryKind::Reversal,
        Some(EntryKind::Charge),
        pounds(-80),
    );
    t.add_entries(DebtType::Rent, EntryKind::Payment, None, pounds(-1_000));
    t.add_entries(
        DebtType::Rent,
        EntryKind::Reversal,
        Some(EntryKind::Payment),
        pounds(50),
    );
    t.add_entries(DebtType::Rent, EntryKind::Refund, None, pounds(20));
    t.add_entries(
        DebtType::FormerTenant,
        EntryKind::WriteOff,
        None,
        pounds(-60),
    );
    t.add_entries(DebtType::FormerTenant, EntryKind::WriteOn, None, pounds(10));
    // A garage payment is not rent collected.
    t.add_entries(DebtType::Garage, EntryKind::Payment, None, pounds(-15));
    t
}

#[test]
fn the_hand_built_caseload_works_out_as_by_hand() {
    let t = hand_built();
    // Due: 1,320 − 80 = £1,240. Collected: 1,000 − 50 − 20 = £930. 930 ÷ 1,240 = 75%.
    assert_eq!(t.rent_due, pounds(1_240));
    assert_eq!(t.collected, pounds(930));
    assert_eq!(t.collection_rate(), Some(Decimal::from(75)));
    // Rent roll: (100 + 150 + 80) × 52 = £17,160. Arrears: 250 + 800 = £1,050 (the credit does
    // not net off). 1,050 ÷ 17,160 = 6.118881…%, shown 6.1%.
    assert_eq!(t.rent_roll, pounds(17_160));
    assert_eq!(t.arrears, pounds(1_050));
    let share = t.arrears_of_roll().unwrap();
    assert_eq!(share.round_dp(6), Decimal::new(6_118_881, 6));
    assert_eq!(show_percent(Some(share)), "6.1%");
    // Former: £300 of 17,160 = 1.748…%; written off £60 − £10 = £50 = 0.291…%.
    assert_eq!(t.former_arrears, pounds(300));
    assert_eq!(show_percent(t.former_of_roll()), "1.7%");
    assert_eq!(t.written_off, pounds(50));
    assert_eq!(show_percent(t.written_off_of_roll()), "0.3%");
    assert_eq!(t.tenancies, 3);
    assert_eq!(
        t.band(Band::OneToFour),
        BandTally {
            accounts: 1,
            owed: pounds(250)
        }
    );
    assert_eq!(
        t.band(Band::Credit),
        BandTally {
            accounts: 1,
            owed: pounds(-20)
        }
    );
    assert_eq!(
        t.band(Band::EightPlus),
        BandTally {
            accounts: 1,
            owed: pounds(800)
        }
    );
    assert_eq!(t.band(Band::Clear).accounts, 0);
}

#[test]
fn bands_have_exact_edges_in_weeks_of_rent() {
    let w = pounds(100);
    assert_eq!(Band::of(Money::ZERO, w), Band::Clear);
    assert_eq!(Band::of(Money::from_pence(-1), w), Band::Credit);
    assert_eq!(Band::of(Money::from_pence(9_999), w), Band::UnderOneWeek);
    assert_eq!(Band::of(pounds(100), w), Band::OneToFour);
    assert_eq!(Band::of(Money::from_pence(39_999), w), Band::OneToFour);
    assert_eq!(Band::of(pounds(400), w), Band::FourToEight);
    assert_eq!(Band::of(pounds(800), w), Band::EightPlus);
    assert_eq!(Band::of(pounds(1), Money::ZERO), Band::EightPlus);
}

#[test]
fn nothing_due_is_no_rate_not_a_division_by_zero() {
    assert_eq!(Tally::default().collection_rate(), None);
    assert_eq!(show_percent(None), "n/a");
}

#[test]
fn totals_by_patch_and_by_officer_add_up_to_the_caseload() {
    let group = |patch: &str, officer: &str, arrears: i64| Group {
        patch: patch.into(),
        officer: officer.into(),
        tally: {
            let mut t = Tally::default();
            t.add_account(rent(100, arrears, true), 52);
            t.add_actions(ActionKind::Call, 2, true);
            t.add_actions(ActionKind::Letter1, 1, false);
            t
        },
    };
    let groups = [
        group("North", "Sam", 100),
        group("North", "Ali", 200),
        group("South", "Sam", 400),
    ];
    let period = Period::rent_year_to(d("2026-11-23"));
    let all = summarise(period, Scope::default(), &groups, vec![]);
    assert_eq!(all.total.arrears, pounds(700));
    assert_eq!(all.total.contacts, 6);
    assert_eq!(all.total.actions, 9);
    assert_eq!(all.total.contacts_week, 6);
    assert_eq!(all.total.actions_week, 6);
    let names = |v: &[(String, Tally)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&all.by_patch), ["North", "South"]);
    assert_eq!(names(&all.by_officer), ["Ali", "Sam"]);
    assert_eq!(all.by_officer[1].1.arrears, pounds(500));
    let sam = Scope {
        officer: Some("sam".into()),
        ..Scope::default()
    };
    let only = summarise(period, sam, &groups, vec![]);
    assert_eq!(only.total.arrears, pounds(500));
    assert_eq!(only.scope.describe(), "officer sam");
    assert_eq!(period.from, d("2026-04-06"));
    assert_eq!(period.week_of().from, d("2026-11-23"));
}

#[test]
fn a_backwards_period_is_refused() {
    assert!(Period::new(d("2026-11-23"), d("2026-11-22")).is_err());
}
