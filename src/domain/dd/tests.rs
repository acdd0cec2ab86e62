use super::*;
use crate::domain::dates::parse_date;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// DOMAIN.md's worked example: £100 rent, £50 HB, £222 arrears. On Friday 28 August 2026 the
/// rent week of Monday 24 August is the 21st of 2026/27, so 32 weeks are left (this one
/// included). Ten working days' notice (skipping the bank holiday on 31 August) runs to Monday
/// 14 September; a tenant collected on the 8th is next collected on 8 October, and 8 October to
/// 8 March make 6 collections before the year ends on Sunday 4 April 2027.
fn worked_example(balance: &str, days: Vec<u32>) -> DdInput {
    DdInput {
        weekly_rent: m("100"),
        weekly_hb: m("50"),
        balance: m(balance),
        today: d("2026-08-28"),
        rent_free_weeks: 0,
        collection_days: CollectionDays::new(days).unwrap(),
        notice_working_days: 10,
    }
}

fn calc(input: &DdInput) -> Result<DdResult, DdError> {
    calculate(input, &Calendar::england_and_wales())
}

#[test]
fn domain_worked_example_arrears() {
    let r = calc(&worked_example("222", vec![8])).unwrap();
    assert_eq!((r.weeks_left, r.payable_weeks_left), (32, 32));
    assert_eq!(r.to_collect, m("1822"));
    assert_eq!(r.first_change, d("2026-09-14"));
    assert_eq!(r.collection_day, 8);
    assert_eq!(r.collections.len(), 6);
    assert_eq!(r.collections[0], d("2026-10-08"));
    assert_eq!(r.collections[5], d("2027-03-08"));
    let plan = r.plan.unwrap();
    assert_eq!(
        (plan.instalment, plan.count, plan.last),
        (m("303.67"), 6, m("303.65"))
    );
}

#[test]
fn domain_worked_example_credit() {
    let r = calc(&worked_example("-111", vec![8])).unwrap();
    assert_eq!(r.to_collect, m("1489"));
    let plan = r.plan.unwrap();
    assert_eq!((plan.instalment, plan.last), (m("248.17"), m("248.15")));
}

#[test]
fn the_earliest_collection_day_after_the_notice_is_used() {
    // With the usual days, the 15th is the first after 14 September: 7 collections.
    let r = calc(&worked_example("222", vec![28, 1, 8, 15, 22])).unwrap();
    assert_eq!((r.collection_day, r.collections.len()), (15, 7));
    assert_eq!(r.collections[0], d("2026-09-15"));
    assert_eq!(r.plan.unwrap().instalment, m("260.29"));
}

#[test]
fn rent_free_weeks_are_not_collected() {
    let r = calc(&DdInput {
        rent_free_weeks: 2,
        ..worked_example("222", vec![8])
    })
    .unwrap();
    assert_eq!(r.payable_weeks_left, 30);
    assert_eq!(r.plan.unwrap().instalment, m("287"));
    assert_eq!(r.equivalents.payable_weeks, 50);
}

#[test]
fn a_fifty_three_week_year_from_its_first_day() {
    // 2024/25 has 53 Mondays. From Easter Monday 1 April 2024, notice runs to 15 April, so
    // collections on the 1st run from 1 May 2024 to 1 April 2025: 12 of them.
    let r = calc(&DdInput {
        weekly_rent: m("100"),
        weekly_hb: Money::ZERO,
        balance: Money::ZERO,
        today: d("2024-04-01"),
        rent_free_weeks: 0,
        collection_days: CollectionDays::new(vec![1]).unwrap(),
        notice_working_days: 10,
    })
    .unwrap();
    assert_eq!(r.year, RentYear(2024));
    assert_eq!(r.weeks_left, 53);
    assert_eq!(r.first_change, d("2024-04-15"));
    assert_eq!(r.collections.len(), 12);
    assert_eq!(r.collections[11], d("2025-04-01"));
    assert_eq!(r.plan.unwrap().instalment, m("441.67"));
    assert_eq!(r.uc_shortfall.unwrap().shortfall, m("8.33"));
}

#[test]
fn equivalents_follow_the_years_payable_weeks() {
    // DOMAIN.md: £150 × 49 ÷ 12 with three rent-free weeks in a 52-week year.
    let free = Equivalents::of(m("150"), RentYear(2026), 3);
    assert_eq!((free.payable_weeks, free.monthly), (49, m("612.50")));
    let normal = Equivalents::of(m("100"), RentYear(2026), 0);
    assert_eq!(
        (normal.fortnightly, normal.four_weekly, normal.monthly),
        (m("200"), m("400"), m("433.34"))
    );
    let long = Equivalents::of(m("100"), RentYear(2024), 0);
    assert_eq!(
        (long.fortnightly, long.four_weekly, long.monthly),
        (m("203.85"), m("407.70"), m("441.67"))
    );
    assert_eq!(long.per(Frequency::FourWeekly), Some(m("407.70")));
    assert_eq!(long.per(Frequency::OneOff), None);
}

#[test]
fn universal_credit_never_covers_a_53rd_week() {
    assert_eq!(uc_housing_costs(m("100"), 0), m("433.34"));
    let s = uc_shortfall(m("100"), RentYear(2024), 0).unwrap();
    assert_eq!(
        (s.rent_monthly, s.uc_monthly, s.shortfall),
        (m("441.67"), m("433.34"), m("8.33"))
    );
    assert_eq!(uc_shortfall(m("100"), RentYear(2026), 0), None);
    assert_eq!(
        uc_shortfall(m("100"), RentYear(2030), 0).unwrap().shortfall,
        m("8.33")
    );
}

#[test]
fn universal_credit_counts_only_the_weeks_rent_is_due() {
    // DOMAIN.md: £150 a week with three rent-free weeks is £150 × 49 ÷ 12 = £612.50, not £650.00.
    assert_eq!(uc_housing_costs(m("150"), 3), m("612.50"));
    assert_eq!(uc_shortfall(m("150"), RentYear(2026), 3), None);
    // In a 53-week year the rent has 50 payable weeks, UC pays for 49.
    let s = uc_shortfall(m("150"), RentYear(2024), 3).unwrap();
    assert_eq!(
        (s.rent_monthly, s.uc_monthly, s.shortfall),
        (m("625.00"), m("612.50"), m("12.50"))
    );
}

#[test]
fn a_credit_that_covers_the_year_collects_nothing() {
    let r = calc(&worked_example("-2000", vec![8])).unwrap();
    assert_eq!(r.to_collect, m("-400"));
    assert_eq!(r.plan, None);
}

#[test]
fn bad_figures_are_refused_with_a_reason() {
    let err = |input: DdInput| calc(&input).unwrap_err().to_string();
    assert_eq!(
        err(DdInput {
            weekly_hb: m("120"),
            ..worked_example("0", vec![8])
        }),
        "Housing Benefit (£120.00 a week) cannot be more than the rent (£100.00 a week)"
    );
    assert_eq!(
        err(DdInput {
            rent_free_weeks: 33,
            ..worked_example("0", vec![8])
        }),
        "33 rent-free weeks cannot be left when only 32 weeks of the rent year are"
    );
    assert_eq!(
        err(DdInput {
            weekly_rent: m("-1"),
            ..worked_example("0", vec![8])
        }),
        "the weekly rent cannot be negative"
    );
    // Late in March 2027 the notice runs past the end of the rent year (Easter is 26-29 March).
    assert_eq!(
        err(DdInput {
            today: d("2027-03-25"),
            ..worked_example("0", vec![1])
        }),
        "no collection is left in rent year 2026/27: after the notice the first is 01/05/2027, \
         and the year ends 04/04/2027"
    );
    assert_eq!(
        CollectionDays::new(vec![1, 29]),
        Err(DdError::CollectionDay(29))
    );
    assert_eq!(CollectionDays::new(vec![0]), Err(DdError::CollectionDay(0)));
    assert_eq!(CollectionDays::new(vec![]), Err(DdError::NoCollectionDays));
    assert_eq!(
        CollectionDays::new(vec![15, 1, 15]).unwrap().days(),
        &[1, 15]
    );
}

#[test]
fn a_direct_debit_too_soon_or_off_the_collection_days_is_named_before_it_is_agreed() {
    let days = CollectionDays::new(vec![1, 8, 15, 22, 28]).unwrap();
    let concerns = |start: &str, frequency| {
        collection_concerns(
            d(start),
            frequency,
            d("2026-11-23"),
            &days,
            10,
            &Calendar::england_and_wales(),
        )
    };
    // Monday 23/11: ten working days run to Monday 7/12, so the 8th of December is the first
    // collection the bank can make.
    assert_eq!(
        concerns("2026-11-27", Frequency::Weekly),
        [
            "A Direct Debit needs 10 working days' notice: the first collection can be Tue \
             08/12/2026 at the earliest.",
            "Direct Debits are collected monthly, on the 1st, 8th, 15th, 22nd or 28th: a weekly \
             plan cannot be paid by Direct Debit.",
        ]
    );
    assert_eq!(
        concerns("2026-12-10", Frequency::Monthly),
        ["The bank collects on the 1st, 8th, 15th, 22nd or 28th of the month, not the 10th."]
    );
    assert!(concerns("2026-12-08", Frequency::Monthly).is_empty());
}
