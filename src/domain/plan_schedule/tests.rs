use super::*;
use crate::domain::dates::parse_date;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn basis(arrears: &str, frequency: Frequency, start: &str) -> PlanBasis {
    PlanBasis {
        arrears: m(arrears),
        frequency,
        start: d(start),
        lump: None,
        weekly_growth: Money::ZERO,
    }
}

fn lump(amount: &str, date: &str) -> Option<Lump> {
    Some(Lump {
        amount: m(amount),
        date: d(date),
    })
}

#[test]
fn the_issue_example_fifteen_a_week() {
    let plan = basis("1000", Frequency::Weekly, "2026-11-27")
        .solve_instalment(m("15"))
        .unwrap();
    // ceil(1000 ÷ 15) = 67 instalments, the last 66 weeks after the first.
    assert_eq!(plan.count, 67);
    assert_eq!(plan.last, m("10"));
    assert_eq!(plan.last_due(), d("2028-03-03"));
    assert_eq!(plan.clear_by(), d("2028-03-03"));
}

#[test]
fn every_frequency_counts_its_own_periods() {
    let cases = [
        (Frequency::Weekly, "15", 67, "10", "2028-03-03"),
        (Frequency::Fortnightly, "30", 34, "10", "2028-03-03"),
        (Frequency::FourWeekly, "60", 17, "40", "2028-02-18"),
        (Frequency::Monthly, "65", 16, "25", "2028-02-27"),
        (Frequency::OneOff, "1000", 1, "1000", "2026-11-27"),
    ];
    for (frequency, instalment, count, last, end) in cases {
        let plan = basis("1000", frequency, "2026-11-27")
            .solve_instalment(m(instalment))
            .unwrap();
        assert_eq!(
            (plan.count, plan.last, plan.last_due()),
            (count, m(last), d(end)),
            "{frequency}"
        );
    }
}

#[test]
fn every_frequency_solves_back_from_its_end_date() {
    // The smallest instalment with the same number of instalments: £1,000 ÷ 67 = £14.93 weekly.
    let cases = [
        (Frequency::Weekly, "2028-03-03", "14.93", 67, "14.62"),
        (Frequency::Fortnightly, "2028-03-03", "29.42", 34, "29.14"),
        (Frequency::FourWeekly, "2028-02-18", "58.83", 17, "58.72"),
        (Frequency::Monthly, "2028-02-27", "62.50", 16, "62.50"),
        (Frequency::OneOff, "2026-11-27", "1000", 1, "1000"),
    ];
    for (frequency, end, instalment, count, last) in cases {
        let plan = basis("1000", frequency, "2026-11-27")
            .solve_end_date(d(end))
            .unwrap();
        assert_eq!(
            (plan.instalment, plan.count, plan.last, plan.last_due()),
            (m(instalment), count, m(last), d(end)),
            "{frequency}"
        );
    }
}

#[test]
fn months_from_a_month_end_clamp_and_do_not_drift() {
    let plan = basis("400", Frequency::Monthly, "2027-01-31")
        .solve_instalment(m("100"))
        .unwrap();
    let dates: Vec<_> = plan.schedule().iter().map(|i| i.date).collect();
    assert_eq!(
        dates,
        [
            d("2027-01-31"),
            d("2027-02-28"),
            d("2027-03-31"),
            d("2027-04-30")
        ]
    );
    // A leap year gives 29 February.
    let leap = basis("200", Frequency::Monthly, "2028-01-31")
        .solve_instalment(m("100"))
        .unwrap();
    assert_eq!(leap.last_due(), d("2028-02-29"));
    // Solving back from the clamped date finds both instalments.
    let back = basis("200", Frequency::Monthly, "2028-01-31")
        .solve_end_date(d("2028-02-29"))
        .unwrap();
    assert_eq!((back.instalment, back.count), (m("100"), 2));
    // Weekly plans cross 29 February like any other day.
    let weekly = basis("30", Frequency::Weekly, "2028-02-22")
        .solve_instalment(m("10"))
        .unwrap();
    assert_eq!(weekly.last_due(), d("2028-03-07"));
}

#[test]
fn instalments_round_up_and_the_last_is_the_remainder() {
    let plan = basis("100", Frequency::Monthly, "2026-12-01")
        .solve_end_date(d("2027-02-01"))
        .unwrap();
    assert_eq!(plan.instalment, m("33.34"));
    let amounts: Vec<_> = plan.schedule().iter().map(|i| i.amount).collect();
    assert_eq!(amounts, [m("33.34"), m("33.34"), m("33.32")]);
    assert_eq!(plan.schedule().last().unwrap().balance_after, Money::ZERO);
}

#[test]
fn the_issue_example_cleared_before_the_hearing() {
    // £1,001 cleared by 21 May 2027 from 27 Nov 2026: 26 weekly instalments of £38.50.
    let plan = basis("1001", Frequency::Weekly, "2026-11-27")
        .solve_end_date(d("2027-05-21"))
        .unwrap();
    assert_eq!((plan.instalment, plan.count), (m("38.50"), 26));
    // A target between due dates counts only the instalments on or before it.
    let before = basis("1001", Frequency::Weekly, "2026-11-27")
        .solve_end_date(d("2027-05-20"))
        .unwrap();
    assert_eq!((before.instalment, before.count), (m("40.04"), 25));
    assert_eq!(before.last_due(), d("2027-05-14"));
}

#[test]
fn lump_sum_before_the_first_instalment() {
    let b = PlanBasis {
        lump: lump("100", "2026-11-20"),
        ..basis("1000", Frequency::Weekly, "2026-11-27")
    };
    let plan = b.solve_instalment(m("15")).unwrap();
    assert_eq!((plan.count, plan.last), (60, m("15")));
    assert_eq!(plan.last_due(), d("2028-01-14"));
    let s = plan.schedule();
    assert_eq!(s[0].kind, ItemKind::LumpSum);
    assert_eq!((s[0].date, s[0].balance_after), (d("2026-11-20"), m("900")));
    assert_eq!(s[1].balance_after, m("885"));
    assert_eq!(s.len(), 61);
}

#[test]
fn lump_sum_after_the_first_instalment_and_after_the_last() {
    let b = PlanBasis {
        lump: lump("100", "2026-12-11"),
        ..basis("1000", Frequency::Weekly, "2026-11-27")
    };
    let s = b.solve_instalment(m("15")).unwrap().schedule();
    let kinds: Vec<_> = s
        .iter()
        .take(4)
        .map(|i| (i.kind, i.balance_after))
        .collect();
    assert_eq!(
        kinds,
        [
            (ItemKind::Instalment, m("985")),
            (ItemKind::Instalment, m("970")),
            (ItemKind::LumpSum, m("870")),
            (ItemKind::Instalment, m("855")),
        ]
    );
    // A lump sum later than the last instalment sets the clear-by date.
    let late = PlanBasis {
        lump: lump("100", "2027-06-01"),
        ..basis("200", Frequency::Monthly, "2026-12-01")
    };
    let plan = late.solve_instalment(m("50")).unwrap();
    assert_eq!(plan.last_due(), d("2027-01-01"));
    assert_eq!(plan.clear_by(), d("2027-06-01"));
    let s = plan.schedule();
    assert_eq!(s.last().unwrap().kind, ItemKind::LumpSum);
    assert_eq!(s.last().unwrap().balance_after, Money::ZERO);
    // Solving for an end date before the lump sum is refused.
    assert!(matches!(
        late.solve_end_date(d("2027-05-01")),
        Err(PlanError::LumpAfterEnd { .. })
    ));
}

#[test]
fn growth_must_be_beaten_and_is_counted_in() {
    let b = PlanBasis {
        weekly_growth: m("10"),
        ..basis("100", Frequency::Weekly, "2026-11-27")
    };
    // 100 → 50 → 50 + 10 − 50 = 10 → 10 + 10 − 20 = 0.
    let plan = b.solve_instalment(m("50")).unwrap();
    assert_eq!((plan.count, plan.last), (3, m("20")));
    let balances: Vec<_> = plan.schedule().iter().map(|i| i.balance_after).collect();
    assert_eq!(balances, [m("50"), m("10"), Money::ZERO]);
    assert_eq!(
        b.solve_instalment(m("10")).unwrap_err().to_string(),
        "£10.00 a week never clears the debt: it grows by £10.00 a week"
    );
    // Paying it all at once beats any growth.
    assert_eq!(b.solve_instalment(m("100")).unwrap().count, 1);
    // Monthly growth is 52 weeks' over 12 months, rounded up.
    let monthly = PlanBasis {
        frequency: Frequency::Monthly,
        ..b
    };
    assert_eq!(monthly.growth_per_period(), m("43.34"));
    // Solving back: 3 instalments need (100 + 2 × 10) ÷ 3 = £40.
    let back = b.solve_end_date(d("2026-12-11")).unwrap();
    assert_eq!((back.instalment, back.count), (m("40"), 3));
}

#[test]
fn plans_that_cannot_work_are_refused_with_a_reason() {
    let b = basis("1000", Frequency::Weekly, "2026-11-27");
    let err = |r: Result<Plan, PlanError>| r.unwrap_err().to_string();
    assert_eq!(
        err(b.solve_instalment(Money::ZERO)),
        "an instalment of £0.00 never clears the debt"
    );
    assert_eq!(
        err(b.solve_instalment(m("-5"))),
        "an instalment cannot be negative (-£5.00)"
    );
    assert_eq!(
        err(PlanBasis {
            lump: lump("1000", "2026-11-27"),
            ..b
        }
        .solve_instalment(m("5"))),
        "the lump sum of £1,000.00 clears all £1,000.00 owed: record a one-off payment instead"
    );
    assert_eq!(
        err(b.solve_end_date(d("2026-11-26"))),
        "the end date 26/11/2026 is before the first instalment on 27/11/2026"
    );
    assert_eq!(
        err(basis("0", Frequency::Weekly, "2026-11-27").solve_instalment(m("5"))),
        "nothing is owed (£0.00): no plan is needed"
    );
    assert_eq!(
        err(basis("-20", Frequency::Weekly, "2026-11-27").solve_instalment(m("5"))),
        "nothing is owed (£20.00 cr): no plan is needed"
    );
    assert_eq!(
        err(b.solve_instalment(m("0.01"))),
        "£0.01 a week would take about 1923 years to clear: a plan cannot run longer than 100 years"
    );
    let one_off = basis("1000", Frequency::OneOff, "2026-11-27");
    assert!(matches!(
        one_off.solve_instalment(m("999.99")),
        Err(PlanError::OneOffShort(_))
    ));
    assert_eq!(
        err(one_off.solve_end_date(d("2026-12-01"))),
        "a one-off payment has a single date: change the first instalment date instead"
    );
    assert_eq!(
        one_off.solve_end_date(d("2026-11-27")).unwrap().instalment,
        m("1000")
    );
}

#[test]
fn an_instalment_above_the_debt_pays_it_once() {
    let plan = basis("80", Frequency::Weekly, "2026-11-27")
        .solve_instalment(m("100"))
        .unwrap();
    assert_eq!((plan.count, plan.last), (1, m("80")));
}

fn frequency() -> impl Strategy<Value = Frequency> {
    prop::sample::select(Frequency::ALL)
}

fn start() -> impl Strategy<Value = NaiveDate> {
    // Any day from 2024 to 2031, month ends and leap days included.
    (0u64..2922).prop_map(|n| d("2024-01-01") + chrono::Days::new(n))
}

/// A plan basis: up to £20,000 owed, maybe a lump sum within 200 days either side of the start.
fn plan_basis() -> impl Strategy<Value = PlanBasis> {
    (
        1i64..2_000_000,
        frequency(),
        start(),
        prop::option::of((0i64..1_000_000, -200i64..200)),
    )
        .prop_map(|(arrears, frequency, start, lump)| PlanBasis {
            arrears: Money::from_pence(arrears),
            frequency,
            start,
            lump: lump.map(|(amount, offset)| Lump {
                amount: Money::from_pence(amount % arrears),
                date: start + chrono::Duration::days(offset),
            }),
            weekly_growth: Money::ZERO,
        })
}

proptest! {
    #[test]
    fn a_schedule_sums_exactly_to_the_arrears(b in plan_basis(), per_mille in 1i64..=1000) {
        let instalment = Money::from_pence((b.arrears.pence() * per_mille / 1000).max(1));
        if let Ok(plan) = b.solve_instalment(instalment) {
            let s = plan.schedule();
            prop_assert_eq!(s.iter().map(|i| i.amount).sum::<Money>(), b.arrears);
            prop_assert_eq!(s.last().unwrap().balance_after, Money::ZERO);
            prop_assert!(s.windows(2).all(|w| w[0].date <= w[1].date));
            prop_assert!(s.iter().all(|i| !i.balance_after.is_negative()));
            let instalments: Vec<_> = s.iter().filter(|i| i.kind == ItemKind::Instalment).collect();
            prop_assert_eq!(instalments.len(), plan.count as usize);
            prop_assert!(plan.last.is_positive() && plan.last <= plan.instalment);
            prop_assert!(instalments[..instalments.len() - 1].iter().all(|i| i.amount == instalment));
            prop_assert_eq!(instalments.last().unwrap().date, plan.last_due());
        }
    }

    #[test]
    fn with_growth_the_schedule_sums_to_arrears_plus_growth(
        b in plan_basis(),
        growth in 0i64..5_000,
        extra in 1i64..50_000,
    ) {
        let b = PlanBasis { weekly_growth: Money::from_pence(growth), ..b };
        let instalment = b.growth_per_period() + Money::from_pence(extra);
        if let Ok(plan) = b.solve_instalment(instalment) {
            let s = plan.schedule();
            let grown = Money::from_pence(i64::from(plan.count - 1) * b.growth_per_period().pence());
            prop_assert_eq!(s.iter().map(|i| i.amount).sum::<Money>(), b.arrears + grown);
            prop_assert_eq!(s.last().unwrap().balance_after, Money::ZERO);
            prop_assert!(plan.last.is_positive() && plan.last <= plan.instalment);
        }
    }

    /// Instalment → end date → instalment: no larger, same end date, same count.
    #[test]
    fn solving_one_way_then_the_other_round_trips(
        b in plan_basis(),
        growth in 0i64..2_000,
        per_mille in 1i64..=1000,
    ) {
        let b = PlanBasis { weekly_growth: Money::from_pence(growth), ..b };
        let instalment = Money::from_pence((b.arrears.pence() * per_mille / 1000).max(1));
        if let Ok(plan) = b.solve_instalment(instalment) {
            let end = plan.last_due();
            if b.lump.is_none_or(|l| l.date <= end) {
                let back = b.solve_end_date(end).unwrap();
                prop_assert!(back.instalment <= plan.instalment);
                prop_assert_eq!(back.last_due(), end);
                prop_assert_eq!(back.count, plan.count);
            }
        }
    }

    /// End date → instalment gives the smallest instalment that finishes by that date.
    #[test]
    fn the_solved_instalment_is_the_smallest_that_meets_the_date(
        b in plan_basis(),
        growth in 0i64..2_000,
        days in 0i64..2_000,
    ) {
        let b = PlanBasis { weekly_growth: Money::from_pence(growth), ..b };
        let end = b.start + chrono::Duration::days(days);
        if let Ok(plan) = b.solve_end_date(end) {
            prop_assert!(plan.clear_by() <= end);
            let less = plan.instalment - Money::from_pence(1);
            if let Ok(slower) = b.solve_instalment(less) {
                prop_assert!(slower.last_due() > end);
            }
        }
    }
}

#[test]
fn an_instalment_above_what_is_owed_asks_only_what_is_owed() {
    // The officer types £5,000 on a £1,235.85 debt: one payment of £1,235.85 clears it, and the
    // plan (what is read out, saved and judged) must say that, not £5,000.
    let plan = basis("1235.85", Frequency::Weekly, "2026-11-27")
        .solve_instalment(m("5000"))
        .unwrap();
    assert_eq!(
        (plan.instalment, plan.count, plan.last),
        (m("1235.85"), 1, m("1235.85"))
    );
    let with_lump = PlanBasis {
        lump: lump("200", "2026-12-04"),
        ..basis("1235.85", Frequency::Weekly, "2026-11-27")
    }
    .solve_instalment(m("5000"))
    .unwrap();
    assert_eq!(with_lump.instalment, m("1035.85"));
}
