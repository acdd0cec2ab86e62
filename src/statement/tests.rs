use super::*;
use crate::domain::ledger::EntryKind;
use crate::store::tests::{add_tenancy, d, entry, temp_store};
use crate::store::{NewEntry, Store};

fn options(court: bool) -> StatementOptions {
    StatementOptions {
        debt_type: DebtType::Rent,
        from: None,
        to: d("2026-11-23"),
        court,
    }
}

fn imported() -> (tempfile::TempDir, Store) {
    let (dir, mut store) = temp_store();
    let codes = crate::config::Config::default_config().codes;
    let options = crate::extract::ImportOptions {
        codes: &codes,
        officer: "tester",
        today: d("2026-11-23"),
        plan_tolerance_days: 5,
        dry_run: false,
        wait: std::time::Duration::ZERO,
    };
    crate::extract::import(
        &mut store,
        &crate::extract::tests::example(),
        &options,
        |_, _, _| {},
    )
    .unwrap();
    (dir, store)
}

#[test]
fn statement_totals_equal_the_ledger_balance_for_every_tenancy() {
    let (_dir, store) = imported();
    for record in store.tenancy_records().unwrap() {
        for court in [false, true] {
            let s = build(&store, record.tenancy_id, &options(court))
                .unwrap()
                .unwrap();
            assert_eq!(
                s.closing,
                record.rent().balance,
                "{}",
                record.details.reference
            );
            assert_eq!(
                s.brought_forward + s.total_debits - s.total_credits,
                s.closing,
                "{}",
                record.details.reference
            );
            let last = s.lines.last().map_or(s.brought_forward, |l| l.balance);
            assert_eq!(last, s.closing);
        }
    }
}

#[test]
fn the_court_schedule_starts_when_the_arrears_began() {
    let (_dir, store) = imported();
    let t = store.tenancy_by_ref("200104/1").unwrap().unwrap();
    let s = build(&store, t, &options(true)).unwrap().unwrap();
    assert_eq!(s.arrears_began, Some(d("2026-05-11")));
    assert_eq!(s.from, d("2026-05-11"));
    assert_eq!(s.brought_forward, Money::ZERO);
    assert!(s.lines.iter().all(|l| l.balance.is_positive()));
    // A tenancy paid up (before this Monday's rent) has no arrears to schedule.
    let paid = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    let before_monday = StatementOptions {
        to: d("2026-11-22"),
        ..options(true)
    };
    let s = build(&store, paid, &before_monday).unwrap().unwrap();
    assert_eq!((s.arrears_began, s.lines.len()), (None, 0));
    assert!(s.render(Format::Text).contains("not in arrears"));
}

#[test]
fn weekly_charge_changes_are_marked_once_on_the_week_they_start() {
    let (_dir, mut store) = temp_store();
    let (t, a) = add_tenancy(&mut store, "T1");
    store
        .write("tester", "test", |w| {
            for (date, pounds) in [
                ("2026-03-23", 100),
                ("2026-03-30", 100),
                ("2026-04-06", 103),
                ("2026-04-13", 103),
            ] {
                w.append_entry(&entry(a, date, EntryKind::Charge, pounds))?;
            }
            w.append_entry(&NewEntry {
                description: Some("Rent <April> & more"),
                ..entry(a, "2026-04-14", EntryKind::Payment, 50)
            })
        })
        .unwrap();
    let s = build(
        &store,
        t,
        &StatementOptions {
            from: Some(d("2026-03-30")),
            ..options(true)
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(s.brought_forward, Money::pounds(100));
    let changes: Vec<_> = s
        .lines
        .iter()
        .filter_map(|l| l.charge_change.map(|c| (l.date, c)))
        .collect();
    assert_eq!(
        changes,
        [(d("2026-04-06"), (Money::pounds(100), Money::pounds(103)))]
    );
    assert_eq!(s.closing, Money::pounds(356));

    let html = s.render(Format::Html);
    for needle in [
        "size: A4",
        "counter(page)",
        "<thead>",
        "Weekly charge changed from £100.00 to £103.00",
        "Rent &lt;April&gt; &amp; more",
        "Arrears at the date of issue, 23/11/2026: £356.00",
    ] {
        assert!(html.contains(needle), "{needle} not in the HTML");
    }
    assert!(!html.contains("<April>"));

    let csv = s.render(Format::Csv);
    let rows: Vec<::csv::StringRecord> = ::csv::Reader::from_reader(csv.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), s.lines.len() + 2);
    let totals = rows.last().unwrap();
    assert_eq!(
        (&totals[1], &totals[2], &totals[3], &totals[4]),
        ("Totals", "306.00", "50.00", "356.00")
    );

    let text = s.render(Format::Text);
    assert!(text.contains("* weekly charge changed from £100.00 to £103.00"));
}

mod brought_forward {
    use super::*;
    use crate::domain::Money;
    use chrono::Days;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever the ledger and the period, the balance brought forward is the ledger's
        /// balance before the first day listed, the lines are the entries of the period, and the
        /// closing balance is the ledger's balance at the last day.
        #[test]
        fn it_is_the_ledgers_balance_at_that_date(
            entries in prop::collection::vec((0u64..120, any::<bool>(), 1i64..500), 0..25),
            from in 0u64..130,
            length in 0u64..130,
            court in any::<bool>(),
        ) {
            let (_dir, mut store) = temp_store();
            let (t, a) = add_tenancy(&mut store, "P1");
            let start = d("2026-01-05");
            store
                .write("tester", "test", |w| {
                    for &(day, paid, pounds) in &entries {
                        let kind = if paid { EntryKind::Payment } else { EntryKind::Charge };
                        let date = crate::domain::dates::iso(start + Days::new(day));
                        w.append_entry(&entry(a, &date, kind, pounds))?;
                    }
                    Ok(())
                })
                .unwrap();
            let from = start + Days::new(from);
            let to = from + Days::new(length);
            let options = StatementOptions {
                debt_type: DebtType::Rent,
                from: Some(from),
                to,
                court,
            };
            let s = build(&store, t, &options).unwrap().unwrap();
            let dated: Vec<(NaiveDate, Money)> = entries
                .iter()
                .map(|&(day, paid, pounds)| {
                    let kind = if paid { EntryKind::Payment } else { EntryKind::Charge };
                    (start + Days::new(day), kind.signed(Money::pounds(pounds)))
                })
                .collect();
            let sum = |keep: &dyn Fn(NaiveDate) -> bool| -> Money {
                dated.iter().filter(|(d, _)| keep(*d)).map(|(_, m)| *m).sum()
            };
            prop_assert_eq!(s.brought_forward, sum(&|d| d < from));
            prop_assert_eq!(s.closing, sum(&|d| d <= to));
            prop_assert_eq!(s.lines.len(), dated.iter().filter(|(d, _)| *d >= from && *d <= to).count());
            prop_assert_eq!(s.brought_forward + s.total_debits - s.total_credits, s.closing);
            // A period that ends before it starts is refused, never misread.
            if length > 0 {
                let backwards = StatementOptions { from: Some(to), to: from, ..options };
                prop_assert!(build(&store, t, &backwards).is_err());
            }
        }
    }
}
