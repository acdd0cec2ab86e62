//! The forms' fields, read by name, and their checks at the field, against the case too.

use super::*;
use crate::app::action::LineEdit;

fn today() -> NaiveDate {
    crate::domain::dates::parse_date("2026-11-23").unwrap()
}

fn now() -> NaiveDateTime {
    today().and_hms_opt(10, 0, 0).unwrap()
}

fn d(s: &str) -> NaiveDate {
    crate::domain::dates::parse_date(s).unwrap()
}

fn ctx() -> Context {
    Context {
        owed: Money::pounds(812),
        hearing: Some(d("2026-11-20")),
        vulnerability: None,
        proceedings_from: None,
        order: None,
        warrant_applied: None,
    }
}

fn error(form: &Form, id: FieldId) -> Option<&str> {
    form.field(id).unwrap().error.as_deref()
}

fn text(form: &Form, id: FieldId) -> &str {
    form.field(id).unwrap().input.text()
}

fn write(form: &mut Form) -> Option<Record> {
    match form.finish(now())? {
        Filled::Record(w) => Some(w),
        other => panic!("not a write: {other:?}"),
    }
}

fn typed(form: &mut Form, text: &str) {
    form.edit(LineEdit::Clear);
    text.chars().for_each(|c| form.edit(LineEdit::Insert(c)));
}

#[test]
fn a_notice_defaults_to_today_with_its_legal_dates() {
    let mut form = Form::new(7, Purpose::Notice(NoticeKind::Nosp), &ctx());
    assert_eq!(
        form.preview(today()).unwrap(),
        "Proceedings from 21/12/2026; lapses 21/12/2027."
    );
    assert_eq!(
        write(&mut form).unwrap(),
        Record::Notice {
            tenancy_id: 7,
            notice: Notice {
                kind: NoticeKind::Nosp,
                served_on: today(),
                served_how: Some(ServedHow::ByHand),
                grounds: "Ground 1: rent arrears".into(),
                amount: Some(Money::pounds(812)),
            },
        }
    );
}

#[test]
fn bad_fields_are_refused_where_they_are_typed() {
    let mut form = Form::new(7, Purpose::Notice(NoticeKind::Nosp), &ctx());
    typed(&mut form, "31/02/2026");
    assert!(!form.next_field(today()));
    assert_eq!(form.current, 0);
    assert!(
        error(&form, FieldId::ServedOn)
            .unwrap()
            .contains("not a date")
    );
    assert_eq!(
        text(&form, FieldId::ServedOn),
        "31/02/2026",
        "what was typed is kept"
    );
    typed(&mut form, "today");
    assert!(form.next_field(today()));
    form.current = 3;
    typed(&mut form, "12.345");
    assert!(form.finish(now()).is_none());
    assert_eq!(form.current, 3);
    assert!(
        error(&form, FieldId::ArrearsStated)
            .unwrap()
            .contains("two decimal places")
    );
}

#[test]
fn an_outcome_is_picked_by_typing_or_arrows() {
    let mut form = Form::new(7, Purpose::Outcome, &ctx());
    typed(&mut form, "out");
    assert_eq!(form.choice(FieldId::Outcome), Some("outright_forthwith"));
    form.edit(LineEdit::Right);
    assert_eq!(form.choice(FieldId::Outcome), Some("outright_on_date"));
    let Some(Record::Court { event, .. }) = write(&mut form) else {
        panic!("an outcome is a court event");
    };
    assert_eq!(event.outcome, Some(CourtOutcome::OutrightOnDate));
    assert_eq!(
        event.on_date,
        ctx().hearing,
        "the hearing date defaults to the listed one"
    );
}

#[test]
fn an_override_needs_a_reason() {
    let mut form = Form::new(7, Purpose::Override(Recommendation::SendLetter2), &ctx());
    assert!(form.finish(now()).is_none());
    assert_eq!(error(&form, FieldId::Reason), Some("this is needed"));
    typed(&mut form, "Tenant in hospital, spoke to daughter");
    let Some(Record::Override { until, .. }) = write(&mut form) else {
        panic!("an override");
    };
    assert_eq!(until, d("2026-12-07"));
}

#[test]
fn a_promise_series_and_its_refusals() {
    let mut form = Form::new(7, Purpose::Promise, &ctx());
    assert!(form.finish(now()).is_none());
    assert_eq!(error(&form, FieldId::Amount), Some("enter an amount"));
    typed(&mut form, "0");
    assert!(!form.next_field(today()));
    assert_eq!(
        error(&form, FieldId::Amount),
        Some("the amount must be more than £0")
    );
    typed(&mut form, "20");
    form.next_field(today());
    typed(&mut form, "20/11/2026");
    assert!(form.finish(now()).is_none(), "a date already past");
    assert_eq!(form.current, 1);
    typed(&mut form, "friday");
    form.next_field(today());
    typed(&mut form, "w");
    form.next_field(today());
    typed(&mut form, "53");
    assert!(form.finish(now()).is_none());
    assert_eq!(
        error(&form, FieldId::Payments),
        Some("a number from 1 to 52")
    );
    typed(&mut form, "4");
    let Some(Filled::Promises(promises)) = form.finish(now()) else {
        panic!("promises");
    };
    assert_eq!(promises.len(), 4);
    assert_eq!(promises[3].due, d("2026-12-18"));
    assert_eq!(promises[3].cumulative, Money::pounds(80));
    assert_eq!(promises[0].made, today());
    // Monthly: when Universal Credit comes in, the same day each month.
    let mut form = Form::new(7, Purpose::Promise, &ctx());
    typed(&mut form, "100");
    form.next_field(today());
    typed(&mut form, "15/12/2026");
    form.next_field(today());
    typed(&mut form, "m");
    form.next_field(today());
    typed(&mut form, "3");
    let Some(Filled::Promises(promises)) = form.finish(now()) else {
        panic!("monthly promises");
    };
    let due: Vec<String> = promises.iter().map(|p| p.due.to_string()).collect();
    assert_eq!(due, ["2026-12-15", "2027-01-15", "2027-02-15"]);
}

#[test]
fn another_party_and_a_call_back() {
    let mut form = Form::new(7, Purpose::OtherParty, &ctx());
    typed(&mut form, "Jo Bloggs");
    form.next_field(today());
    typed(&mut form, "support worker, Mind");
    form.next_field(today());
    typed(&mut form, "07700 900999");
    let Some(Filled::Party(call)) = form.finish(now()) else {
        panic!("a party");
    };
    assert_eq!(call.party, "Jo Bloggs (support worker, Mind) 07700 900999");
    assert!(call.third_party && !call.consent && call.outgoing);
    assert_eq!(call.started, now());

    let mut form = Form::new(7, Purpose::CallBack, &ctx());
    assert_eq!(
        form.finish(now()),
        Some(Filled::CallBack(
            crate::domain::dates::parse_moment("2026-11-24 10:00")
                .unwrap()
                .0
        ))
    );
    typed(&mut form, "09:00");
    assert!(form.finish(now()).is_none());
    assert_eq!(
        error(&form, FieldId::CallBackAt),
        Some("that time has passed")
    );
}

#[test]
fn vulnerability_can_be_flagged_and_removed() {
    let mut form = Form::new(7, Purpose::Vulnerability, &ctx());
    typed(&mut form, "ment");
    form.next_field(today());
    typed(&mut form, "Anxiety; prefers email");
    assert_eq!(
        write(&mut form),
        Some(Record::Vulnerability {
            tenancy_id: 7,
            category: Some(VulnerabilityCategory::MentalHealth),
            reason: "Anxiety; prefers email".into()
        })
    );
    form.current = 0;
    typed(&mut form, "not");
    let Some(Record::Vulnerability { category, .. }) = write(&mut form) else {
        panic!("a vulnerability");
    };
    assert_eq!(category, None);
}

#[test]
fn dates_are_checked_against_the_case_at_their_field() {
    // A snooze ends after today.
    let mut form = Form::new(7, Purpose::Snooze, &ctx());
    typed(&mut form, "01/01/2020");
    assert!(!form.next_field(today()));
    assert_eq!(
        error(&form, FieldId::Until),
        Some("the snooze must end after today (23/11/2026)")
    );
    typed(&mut form, "today");
    assert!(!form.next_field(today()));
    typed(&mut form, "friday");
    assert!(form.next_field(today()));

    // An outcome is for a hearing that has been heard.
    let mut form = Form::new(7, Purpose::Outcome, &ctx());
    form.next_field(today());
    typed(&mut form, "15/12/2026");
    assert!(!form.next_field(today()));
    assert_eq!(
        error(&form, FieldId::HearingOn),
        Some(
            "that hearing, on 15/12/2026, is still to come: record its outcome once it has been \
             heard"
        )
    );
    assert!(form.finish(now()).is_none(), "refused at the field");
    assert_eq!(form.fields[form.current].id, FieldId::HearingOn);

    // A hearing before the notice allows proceedings needs a reason.
    let notice = Context {
        proceedings_from: Some(d("2026-12-27")),
        ..ctx()
    };
    let mut form = Form::new(7, Purpose::Hearing, &notice);
    typed(&mut form, "15/12/2026");
    assert!(form.next_field(today()), "on to say why, if it is so");
    assert_eq!(
        error(&form, FieldId::HearingOn),
        Some(
            "the notice allows proceedings from 27/12/2026: say below why this is earlier, or \
             correct the date"
        )
    );
    assert!(form.finish(now()).is_none());
    assert_eq!(form.fields[form.current].id, FieldId::HearingOn);
    form.current = form.fields.len() - 1;
    typed(&mut form, "court listed it on the judge's own motion");
    let Some(Record::Court { event, early, .. }) = write(&mut form) else {
        panic!("a hearing");
    };
    assert_eq!(event.on_date, Some(d("2026-12-15")));
    assert_eq!(early, "court listed it on the judge's own motion");
    // On or after that date, no reason is asked.
    let mut form = Form::new(7, Purpose::Hearing, &notice);
    typed(&mut form, "04/01/2027");
    form.next_field(today());
    typed(&mut form, "10:30");
    form.next_field(today());
    typed(&mut form, "Kingsmere County Court");
    let Some(Record::Court { event, .. }) = write(&mut form) else {
        panic!("a hearing");
    };
    assert_eq!(
        (event.time, event.court.as_str()),
        (NaiveTime::from_hms_opt(10, 30, 0), "Kingsmere County Court")
    );
}

#[test]
fn a_claim_carries_its_court_and_number_and_shows_what_will_be_saved() {
    let mut form = Form::new(7, Purpose::Claim, &ctx());
    // Leaning back, "friday" is the last one; "+4" is four days ahead.
    typed(&mut form, "friday");
    assert_eq!(
        form.field(FieldId::AppliedOn).unwrap().date(today()),
        Some(d("2026-11-20"))
    );
    typed(&mut form, "+4");
    assert!(!form.next_field(today()), "not applied for yet");
    assert_eq!(
        error(&form, FieldId::AppliedOn),
        Some("27/11/2026 is still to come: record this once it has happened")
    );
    typed(&mut form, "yesterday");
    form.next_field(today());
    assert!(!form.next_field(today()), "the court is needed");
    typed(&mut form, "Kingsmere County Court");
    form.next_field(today());
    typed(&mut form, "K00KM123");
    assert_eq!(
        form.summary(today()),
        [
            ("Applied on".to_string(), "Sun 22/11/2026".to_string()),
            ("Court".into(), "Kingsmere County Court".into()),
            ("Claim number, if known".into(), "K00KM123".into()),
        ]
    );
    let Some(Record::Claim { claim, .. }) = write(&mut form) else {
        panic!("a claim");
    };
    assert_eq!(claim.applied_on, d("2026-11-22"));
}

#[test]
fn a_typed_date_shows_the_day_it_stands_for() {
    let mut form = Form::new(7, Purpose::Snooze, &ctx());
    typed(&mut form, "friday");
    assert_eq!(
        form.field(FieldId::Until)
            .unwrap()
            .resolved(today())
            .as_deref(),
        Some("Fri 27/11/2026")
    );
    let form = Form::new(7, Purpose::CallBack, &ctx());
    assert_eq!(
        form.field(FieldId::CallBackAt)
            .unwrap()
            .resolved(today())
            .as_deref(),
        Some("Tue 24/11/2026 10:00")
    );
}
