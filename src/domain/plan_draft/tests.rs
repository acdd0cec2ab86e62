use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::dates::parse_date;
use chrono::Weekday;

fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// £1,000 owed at £100 a week rent, first instalment Friday 27 November 2026.
fn draft(arrears: &str) -> PlanDraft {
    let mut draft = PlanDraft::new(
        DraftContext {
            arrears: m(arrears),
            weekly_charge: m("100"),
            today: d("2026-11-23"),
        },
        Calendar::england_and_wales(),
    );
    draft.set_start("27/11/2026");
    draft
}

#[test]
fn starts_empty_with_today_and_no_errors() {
    let fresh = PlanDraft::new(
        DraftContext {
            arrears: m("1000"),
            weekly_charge: m("100"),
            today: d("2026-11-23"),
        },
        Calendar::england_and_wales(),
    );
    assert_eq!(fresh.text(Field::Start), "23/11/2026");
    assert_eq!(fresh.text(Field::Instalment), "");
    assert_eq!(fresh.error(Field::Instalment), None);
    assert_eq!(fresh.summary(), Err("enter an instalment or an end date"));
    assert!(fresh.schedule().is_empty());
}

#[test]
fn typing_the_instalment_recomputes_the_end_date_each_key() {
    let mut draft = draft("1000");
    draft.set_instalment("1");
    assert_eq!(draft.text(Field::EndDate), "19/01/2046");
    draft.set_instalment("15");
    assert_eq!(draft.text(Field::EndDate), "03/03/2028");
    draft.set_instalment("15.");
    assert_eq!(draft.text(Field::EndDate), "03/03/2028");
    let s = draft.summary().unwrap();
    assert_eq!(
        (s.count, s.last, s.clear_by),
        (67, m("10"), d("2028-03-03"))
    );
    assert_eq!(s.charge_per_period, Some(m("100")));
    assert_eq!(s.total_per_period, Some(m("115")));
}

#[test]
fn an_amount_that_is_not_money_is_refused_at_the_field_and_kept() {
    let mut draft = draft("1000");
    draft.set_instalment("15");
    draft.set_instalment("12.345");
    assert_eq!(draft.text(Field::Instalment), "12.345");
    assert_eq!(
        draft.error(Field::Instalment),
        Some("`12.345` has more than two decimal places: amounts are to the penny")
    );
    assert_eq!(draft.text(Field::EndDate), "");
    assert!(draft.summary().is_err());
    assert!(draft.ready().is_err());
    draft.set_instalment("12.34");
    assert_eq!(draft.error(Field::Instalment), None);
    assert!(draft.summary().is_ok());

    draft.set_instalment("£1o");
    assert_eq!(
        draft.error(Field::Instalment),
        Some("`£1o` is not an amount of money (use digits, e.g. £1,234.56)")
    );
}

#[test]
fn plans_that_never_clear_are_refused_with_a_reason() {
    let mut draft = draft("1000");
    draft.set_instalment("0");
    assert_eq!(
        draft.error(Field::Instalment),
        Some("an instalment of £0.00 never clears the debt")
    );
    draft.set_instalment("-5");
    assert_eq!(
        draft.error(Field::Instalment),
        Some("an instalment cannot be negative (-£5.00)")
    );
    draft.set_weekly_growth("8");
    draft.set_instalment("8");
    assert_eq!(
        draft.error(Field::Instalment),
        Some("£8.00 a week never clears the debt: it grows by £8.00 a week")
    );
    draft.set_instalment("9");
    assert_eq!(draft.summary().unwrap().count, 992);
    draft.set_weekly_growth("x");
    assert!(draft.error(Field::WeeklyGrowth).is_some());
    assert_eq!(draft.error(Field::Instalment), None);
}

#[test]
fn typing_the_end_date_recomputes_the_instalment() {
    let mut draft = draft("1001");
    draft.set_end_date("21/05/2027");
    assert_eq!(draft.text(Field::Instalment), "38.50");
    assert_eq!(draft.summary().unwrap().count, 26);
    draft.set_end_date("21/05/");
    assert_eq!(draft.text(Field::Instalment), "");
    assert!(
        draft
            .error(Field::EndDate)
            .unwrap()
            .contains("is not a date")
    );
    draft.set_end_date("2026-11-20");
    assert_eq!(
        draft.error(Field::EndDate),
        Some("the end date 20/11/2026 is before the first instalment on 27/11/2026")
    );
    // Changing the frequency keeps the end date the officer set and re-solves the instalment.
    draft.set_end_date("2027-05-21");
    draft.set_frequency(Frequency::Monthly);
    assert_eq!(draft.text(Field::EndDate), "2027-05-21");
    assert_eq!(draft.text(Field::Instalment), "166.84");
}

#[test]
fn the_lump_sum_re_solves_from_what_the_officer_set_last() {
    let mut draft = draft("1000");
    draft.set_instalment("15");
    draft.set_lump_sum("100");
    assert_eq!(
        draft.error(Field::LumpDate),
        Some("enter the date the lump sum will be paid")
    );
    assert_eq!(draft.text(Field::EndDate), "");
    draft.set_lump_date("20/11/2026");
    assert_eq!(draft.text(Field::EndDate), "14/01/2028");
    assert_eq!(draft.summary().unwrap().count, 60);

    // With the end date set, the lump sum moves the instalment instead.
    draft.set_end_date("14/01/2028");
    assert_eq!(draft.text(Field::Instalment), "15.00");
    draft.set_lump_sum("400");
    assert_eq!(draft.text(Field::Instalment), "10.00");
    draft.set_lump_sum("1000");
    assert_eq!(
        draft.error(Field::LumpSum),
        Some(
            "the lump sum of £1,000.00 clears all £1,000.00 owed: record a one-off payment instead"
        )
    );
    draft.set_lump_sum("");
    assert_eq!(draft.text(Field::Instalment), "16.67");
}

#[test]
fn totals_per_period_use_the_rent_for_that_period() {
    let mut draft = draft("1000");
    draft.set_frequency(Frequency::Monthly);
    draft.set_instalment("50");
    let s = draft.summary().unwrap();
    assert_eq!(s.charge_per_period, Some(m("433.34")));
    assert_eq!(s.total_per_period, Some(m("483.34")));
    draft.set_frequency(Frequency::FourWeekly);
    assert_eq!(draft.summary().unwrap().total_per_period, Some(m("450")));
    draft.set_frequency(Frequency::OneOff);
    draft.set_instalment("1000");
    let s = draft.summary().unwrap();
    assert_eq!((s.charge_per_period, s.count), (None, 1));
}

#[test]
fn direct_debit_dates_on_weekends_and_bank_holidays_are_marked() {
    let mut draft = draft("100");
    draft.set_start("18/12/2026");
    draft.set_instalment("10");
    assert!(draft.schedule().iter().all(|r| r.day_off.is_none()));
    draft.set_method(Some(PaymentMethod::DirectDebit));
    let rows = draft.schedule();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[0].day_off, None);
    assert_eq!(
        rows[1].day_off,
        Some(DayOff::BankHoliday("Christmas Day".into()))
    );
    assert_eq!(
        rows[2].day_off,
        Some(DayOff::BankHoliday("New Year's Day".into()))
    );
    assert_eq!(rows[9].item.balance_after, Money::ZERO);
    draft.set_start("2026-11-28");
    assert!(
        draft
            .schedule()
            .iter()
            .all(|r| r.day_off == Some(DayOff::Weekend(Weekday::Sat)))
    );
}

#[test]
fn affordability_is_flagged_not_forbidden() {
    let mut draft = draft("1000");
    draft.set_instalment("15");
    assert!(!draft.affordability(m("70")).unwrap().is_flagged());
    let tight = draft.affordability(m("60")).unwrap();
    assert!(tight.is_flagged());
    assert_eq!(tight.monthly_instalment, m("65"));
    draft.set_reason("agreed on the phone");
    assert!(draft.ready().is_ok());
}

#[test]
fn ready_needs_a_reason_and_a_court_order_for_a_court_plan() {
    let mut draft = draft("1000");
    draft.set_instalment("15");
    draft.set_method(Some(PaymentMethod::StandingOrder));
    assert_eq!(
        draft.ready().unwrap_err(),
        "say why this plan is being made (e.g. agreed on the phone)"
    );
    assert!(draft.error(Field::Reason).is_some());
    draft.set_reason("  agreed on the phone ");
    assert_eq!(draft.error(Field::Reason), None);
    draft.set_kind(PlanKind::Court);
    assert_eq!(
        draft.ready().unwrap_err(),
        "choose the court order this court plan carries out"
    );
    draft.set_court_order(Some(7));
    let ready = draft.ready().unwrap();
    assert_eq!(ready.kind, PlanKind::Court);
    assert_eq!(ready.court_order, Some(7));
    assert_eq!(ready.method, Some(PaymentMethod::StandingOrder));
    assert_eq!(ready.reason, "agreed on the phone");
    assert_eq!(ready.plan.instalment, m("15"));
    assert_eq!(ready.plan.basis.arrears, m("1000"));
}

#[test]
fn a_payment_during_the_call_re_solves() {
    let mut draft = draft("1000");
    draft.set_instalment("15");
    draft.set_context(DraftContext {
        arrears: m("850"),
        weekly_charge: m("100"),
        today: d("2026-11-23"),
    });
    assert_eq!(draft.summary().unwrap().count, 57);
    draft.set_context(DraftContext {
        arrears: Money::ZERO,
        weekly_charge: m("100"),
        today: d("2026-11-23"),
    });
    assert_eq!(
        draft.summary(),
        Err("nothing is owed (£0.00): no plan is needed")
    );
}

#[test]
fn dates_are_typed_as_on_any_form_and_resolved_for_showing() {
    let mut draft = draft("1001");
    draft.set_end_date("2w");
    assert_eq!(draft.error(Field::EndDate), None);
    assert_eq!(draft.date(Field::EndDate), Some(d("2026-12-07")));
    assert_eq!(draft.text(Field::Instalment), "500.50");
    draft.set_start("friday");
    assert_eq!(draft.date(Field::Start), Some(d("2026-11-27")));
    assert_eq!(draft.error(Field::Start), None);
    draft.set_start("soon");
    assert_eq!(draft.date(Field::Start), None);
    assert_eq!(
        draft.error(Field::Start),
        Some("`soon` is not a date (try 23/11/2026, today, tomorrow, friday, 14, 27/11, 2w or 3m)")
    );
    assert_eq!(draft.date(Field::Instalment), None);
}
