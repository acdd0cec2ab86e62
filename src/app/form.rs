//! Short forms for recording what happened on a case: an override, a snooze or pause, a notice,
//! a hearing, an outcome, a warrant, an eviction date, a breathing space, a letter sent again, a
//! vulnerability or a referral; and, during a call, who the other party is, a promise to pay, a
//! time to call back. Each field is checked when the officer leaves it, with the reason shown at
//! the field; nothing is saved until the last field is accepted.

use super::editor::Call;
use super::input::LineInput;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::contact::{ReferralKind, ReferralStatus, VulnerabilityCategory};
use crate::domain::dates::{parse_when, parse_when_at, uk};
use crate::domain::policy::Recommendation;
use crate::domain::promise::{Promise, monthly_series, series};
use crate::domain::record::Record;
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use chrono::{Days, NaiveDate, NaiveDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Override(Recommendation),
    Snooze,
    Pause,
    Notice(NoticeKind),
    Hearing,
    Outcome,
    Warrant,
    Eviction,
    BreathingSpace,
    Resend,
    /// Someone other than a tenant on the call: a support worker, a relative.
    OtherParty,
    Promise,
    CallBack,
    Vulnerability,
    Referral,
    /// Cancelling the live plan (its id).
    CancelPlan(i64),
}

/// What a filled-in form gives: something to save, or the next step of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filled {
    Record(Record),
    /// The other party of a call (who, and whether the tenant consents to them discussing it).
    Party(Call),
    Promises(Vec<Promise>),
    CallBack(NaiveDateTime),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Date {
        required: bool,
    },
    Money {
        required: bool,
    },
    /// A whole number from 1 to `max`.
    Count {
        max: u32,
    },
    /// A date and a time of day.
    Moment,
    Text {
        required: bool,
    },
    /// One of a list; typing picks the first option whose label starts with what was typed,
    /// ←/→ step through them.
    Choice {
        options: Vec<(&'static str, &'static str)>,
        selected: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: LineInput,
    pub error: Option<String>,
}

impl Field {
    fn new(label: &'static str, kind: FieldKind, default: &str) -> Field {
        Field {
            label,
            kind,
            input: LineInput::with_text(default),
            error: None,
        }
    }

    pub fn choice(&self) -> Option<&'static str> {
        match &self.kind {
            FieldKind::Choice { options, selected } => {
                options.get(*selected).map(|(value, _)| *value)
            }
            _ => None,
        }
    }

    /// Checks the field; the error, if any, is kept at the field.
    fn check(&mut self, today: NaiveDate) -> bool {
        let text = self.input.text().trim();
        self.error = match &self.kind {
            FieldKind::Date { required } if text.is_empty() => {
                required.then(|| "enter a date".to_string())
            }
            FieldKind::Date { .. } => parse_when(text, today).err().map(|e| e.to_string()),
            FieldKind::Money { required } if text.is_empty() => {
                required.then(|| "enter an amount".to_string())
            }
            FieldKind::Money { .. } => match Money::parse(text) {
                Ok(m) if m.is_positive() => None,
                Ok(_) => Some("the amount must be more than £0".to_string()),
                Err(e) => Some(e.to_string()),
            },
            FieldKind::Count { max } => match text.parse::<u32>() {
                Ok(n) if (1..=*max).contains(&n) => None,
                _ => Some(format!("a number from 1 to {max}")),
            },
            FieldKind::Moment => parse_when_at(text, today).err().map(|e| e.to_string()),
            FieldKind::Text { required: true } if text.is_empty() => {
                Some("this is needed".to_string())
            }
            FieldKind::Text { .. } => None,
            FieldKind::Choice { .. } => None,
        };
        self.error.is_none()
    }

    fn date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let text = self.input.text().trim();
        (!text.is_empty())
            .then(|| parse_when(text, today).ok())
            .flatten()
    }

    fn money(&self) -> Option<Money> {
        Money::parse(self.input.text()).ok()
    }

    fn count(&self) -> u32 {
        self.input.text().trim().parse().unwrap_or(1)
    }

    fn text(&self) -> String {
        self.input.text().trim().to_string()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub tenancy_id: i64,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub current: usize,
}

/// What an officer can pick as a court outcome (`Other` is for imported codes only).
const OUTCOMES: &[CourtOutcome] = &[
    CourtOutcome::SuspendedOnTerms,
    CourtOutcome::AdjournedOnTerms,
    CourtOutcome::AdjournedGenerally,
    CourtOutcome::AdjournedToNextOpenDate,
    CourtOutcome::AdjournedToAnotherHearing,
    CourtOutcome::AdjournedForDirections,
    CourtOutcome::OutrightForthwith,
    CourtOutcome::OutrightOnDate,
    CourtOutcome::StayOfExecution,
    CourtOutcome::StruckOut,
    CourtOutcome::Withdrawn,
];

const LETTERS: &[ActionKind] = &[
    ActionKind::Letter1,
    ActionKind::Letter2,
    ActionKind::CourtWarningLetter,
    ActionKind::InformalBreachLetter,
    ActionKind::CourtBreachLetter,
];

/// How often a series of promises falls due: (stored value, label, days apart).
const REPEATS: &[(&str, &str, u32)] = &[
    ("once", "Once", 0),
    ("weekly", "Weekly", 7),
    ("fortnightly", "Fortnightly", 14),
    ("four_weekly", "4-weekly", 28),
    // Calendar months, not a number of days (see `Purpose::Promise` below).
    ("monthly", "Monthly", 0),
];

/// The category choice that clears the flag.
const NOT_VULNERABLE: &str = "none";

/// What a form starts from: the account's figures the defaults come from.
pub struct Context {
    pub owed: Money,
    pub hearing: Option<NaiveDate>,
    /// The vulnerability reason on record, if any.
    pub vulnerability: Option<String>,
}

fn choice<T: Copy>(
    all: &[T],
    value: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> FieldKind {
    FieldKind::Choice {
        options: all.iter().map(|t| (value(*t), label(*t))).collect(),
        selected: 0,
    }
}

impl Form {
    pub fn new(tenancy_id: i64, purpose: Purpose, ctx: &Context) -> Form {
        use FieldKind::*;
        let date = |required| Date { required };
        let text = |required| Text { required };
        let money = |required| Money { required };
        let fields = match purpose {
            Purpose::Override(_) => vec![
                Field::new("Why not", text(true), ""),
                Field::new("Look again on", date(true), "2w"),
            ],
            Purpose::Snooze => vec![
                Field::new("Until", date(true), "1w"),
                Field::new("Why", text(false), ""),
            ],
            Purpose::Pause => vec![
                Field::new("Until", date(true), ""),
                Field::new("Reason", text(true), ""),
                Field::new("Comment", text(false), ""),
            ],
            Purpose::Notice(kind) => vec![
                Field::new("Served on", date(true), "today"),
                Field::new(
                    "Grounds",
                    text(true),
                    if kind == NoticeKind::Nosp {
                        "Ground 1: rent arrears"
                    } else {
                        "Grounds 8, 10 and 11"
                    },
                ),
                Field::new("Arrears stated", money(false), &ctx.owed.to_string()),
            ],
            Purpose::Hearing => vec![Field::new("Hearing on", date(true), "")],
            Purpose::Outcome => vec![
                Field::new(
                    "Outcome",
                    choice(OUTCOMES, CourtOutcome::as_str, CourtOutcome::label),
                    "",
                ),
                Field::new(
                    "Hearing on",
                    date(true),
                    &ctx.hearing.map(uk).unwrap_or_default(),
                ),
                Field::new("Terms", text(false), ""),
                Field::new("Costs", money(false), ""),
            ],
            Purpose::Warrant => vec![Field::new("Applied on", date(true), "today")],
            Purpose::Eviction => vec![Field::new("Eviction on", date(true), "")],
            Purpose::BreathingSpace => vec![
                Field::new("Starts", date(true), "today"),
                Field::new("Ends", date(true), "60d"),
            ],
            Purpose::Resend => vec![Field::new(
                "Letter sent again",
                choice(LETTERS, ActionKind::as_str, ActionKind::label),
                "",
            )],
            Purpose::OtherParty => vec![
                Field::new("Name", text(true), ""),
                Field::new("Who they are", text(true), ""),
                Field::new("Phone", text(false), ""),
                Field::new(
                    "Tenant's consent to discuss",
                    Choice {
                        // Never assumed: the officer must say the tenant agreed.
                        options: vec![("no", "No"), ("yes", "Yes, on record")],
                        selected: 0,
                    },
                    "",
                ),
                Field::new(
                    "Call",
                    Choice {
                        options: vec![("outgoing", "Outgoing"), ("incoming", "Incoming")],
                        selected: 0,
                    },
                    "",
                ),
            ],
            Purpose::Promise => vec![
                Field::new("Amount", money(true), ""),
                Field::new("By", date(true), ""),
                Field::new(
                    "Repeat",
                    Choice {
                        options: REPEATS.iter().map(|(v, l, _)| (*v, *l)).collect(),
                        selected: 0,
                    },
                    "",
                ),
                Field::new("Payments, if it repeats", Count { max: 52 }, "4"),
            ],
            Purpose::CallBack => vec![Field::new("Call back at", Moment, "tomorrow 10:00")],
            Purpose::Vulnerability => vec![
                Field::new(
                    "Category",
                    Choice {
                        options: VulnerabilityCategory::ALL
                            .iter()
                            .map(|c| (c.as_str(), c.label()))
                            .chain([(NOT_VULNERABLE, "Not vulnerable: remove the flag")])
                            .collect(),
                        selected: 0,
                    },
                    "",
                ),
                Field::new(
                    "Reason",
                    text(true),
                    ctx.vulnerability.as_deref().unwrap_or_default(),
                ),
            ],
            Purpose::Referral => vec![
                Field::new(
                    "Referral to",
                    choice(ReferralKind::ALL, ReferralKind::as_str, ReferralKind::label),
                    "",
                ),
                Field::new("On", date(true), "today"),
                Field::new(
                    "Status",
                    choice(
                        ReferralStatus::ALL,
                        ReferralStatus::as_str,
                        ReferralStatus::label,
                    ),
                    "",
                ),
                Field::new("Comment (who, reference)", text(false), ""),
            ],
            Purpose::CancelPlan(_) => vec![Field::new("Why cancel it", text(true), "")],
        };
        let mut form = Form {
            tenancy_id,
            purpose,
            fields,
            current: 0,
        };
        form.enter(0);
        form
    }

    /// Moves to a field, its text selected so that typing replaces a default.
    fn enter(&mut self, field: usize) {
        self.current = field;
        if let Some(f) = self.fields.get_mut(field) {
            f.input.select_all();
        }
    }

    pub fn title(&self) -> String {
        match self.purpose {
            Purpose::Override(r) => format!("Override: {}", r.label()),
            Purpose::Snooze => "Snooze this account".into(),
            Purpose::Pause => "Pause the case".into(),
            Purpose::Notice(kind) => format!("Serve a {}", kind.label()),
            Purpose::Hearing => "Hearing date".into(),
            Purpose::Outcome => "Court outcome".into(),
            Purpose::Warrant => "Warrant applied for".into(),
            Purpose::Eviction => "Eviction date".into(),
            Purpose::BreathingSpace => "Breathing space".into(),
            Purpose::Resend => "Letter sent again".into(),
            Purpose::OtherParty => "Call with someone other than a tenant".into(),
            Purpose::Promise => "Promise to pay".into(),
            Purpose::CallBack => "Call back requested".into(),
            Purpose::Vulnerability => "Vulnerable tenant".into(),
            Purpose::Referral => "Referral for support".into(),
            Purpose::CancelPlan(_) => {
                "Cancel the live plan (its terms are in the plan pane)".into()
            }
        }
    }

    /// A line worked out from what is typed so far, e.g. a notice's legal dates.
    pub fn preview(&self, today: NaiveDate) -> Option<String> {
        match self.purpose {
            Purpose::Notice(kind) => {
                let served = self.fields[0].date(today)?;
                let dates = kind.dates(served);
                Some(format!(
                    "Proceedings from {}; lapses {}.",
                    uk(dates.proceedings_from),
                    uk(dates.lapses)
                ))
            }
            _ => None,
        }
    }

    /// Edits the current field.
    pub fn edit(&mut self, edit: super::action::LineEdit) {
        use super::action::LineEdit;
        let field = &mut self.fields[self.current];
        field.error = None;
        if let FieldKind::Choice { options, selected } = &mut field.kind {
            let n = options.len();
            match edit {
                LineEdit::Right => *selected = (*selected + 1) % n,
                LineEdit::Left => *selected = (*selected + n - 1) % n,
                _ => {
                    field.input.apply(edit);
                    let typed = field.input.text().to_lowercase();
                    match options
                        .iter()
                        .position(|(_, label)| label.to_lowercase().starts_with(&typed))
                    {
                        Some(i) => *selected = i,
                        None => {
                            field.error =
                                Some(format!("no choice starts with `{}`", field.input.text()))
                        }
                    }
                }
            }
            return;
        }
        field.input.apply(edit);
    }

    /// Moves to the next field if this one is right; `false` if it is not (the error is shown).
    pub fn next_field(&mut self, today: NaiveDate) -> bool {
        if !self.fields[self.current].check(today) {
            return false;
        }
        if self.current + 1 < self.fields.len() {
            self.enter(self.current + 1);
        }
        true
    }

    pub fn prev_field(&mut self) {
        self.enter(self.current.saturating_sub(1));
    }

    pub fn on_last_field(&self) -> bool {
        self.current + 1 == self.fields.len()
    }

    /// Checks every field and builds what the form gives; on a bad field, moves there and says
    /// why. `now` is the moment it is accepted.
    pub fn finish(&mut self, now: NaiveDateTime) -> Option<Filled> {
        let today = now.date();
        for i in 0..self.fields.len() {
            if !self.fields[i].check(today) {
                self.current = i;
                return None;
            }
        }
        let f = &self.fields;
        let id = self.tenancy_id;
        let write = match self.purpose {
            Purpose::Override(recommendation) => Record::Override {
                tenancy_id: id,
                recommendation,
                reason: f[0].text(),
                until: f[1].date(today)?,
            },
            Purpose::Snooze | Purpose::Pause => {
                let kind = if self.purpose == Purpose::Snooze {
                    PauseKind::Snooze
                } else {
                    PauseKind::Pause
                };
                Record::Pause {
                    tenancy_id: id,
                    kind,
                    until: f[0].date(today)?,
                    reason: f[1].text(),
                    comment: f.get(2).map(Field::text).unwrap_or_default(),
                }
            }
            Purpose::Notice(kind) => Record::Notice {
                tenancy_id: id,
                kind,
                served_on: f[0].date(today)?,
                grounds: f[1].text(),
                amount: f[2].money(),
            },
            Purpose::Hearing | Purpose::Warrant | Purpose::Eviction => Record::Court {
                tenancy_id: id,
                kind: match self.purpose {
                    Purpose::Hearing => CourtEventKind::Hearing,
                    Purpose::Warrant => CourtEventKind::WarrantApplied,
                    _ => CourtEventKind::EvictionDate,
                },
                on_date: f[0].date(today),
                outcome: None,
                terms: String::new(),
                costs: None,
            },
            Purpose::Outcome => Record::Court {
                tenancy_id: id,
                kind: CourtEventKind::Outcome,
                on_date: f[1].date(today),
                outcome: f[0].choice().and_then(CourtOutcome::parse),
                terms: f[2].text(),
                costs: f[3].money(),
            },
            Purpose::BreathingSpace => {
                let (starts, ends) = (f[0].date(today)?, f[1].date(today)?);
                if ends < starts {
                    self.current = 1;
                    self.fields[1].error = Some("the end is before the start".into());
                    return None;
                }
                Record::BreathingSpace {
                    tenancy_id: id,
                    starts,
                    until: ends,
                }
            }
            Purpose::Resend => Record::Action {
                tenancy_id: id,
                kind: f[0]
                    .choice()
                    .and_then(ActionKind::parse)
                    .unwrap_or(ActionKind::Letter1),
                summary: "Sent again after the last letter failed".into(),
            },
            Purpose::OtherParty => {
                let phone = f[2].text();
                let party = format!("{} ({})", f[0].text(), f[1].text());
                return Some(Filled::Party(Call {
                    party: if phone.is_empty() {
                        party
                    } else {
                        format!("{party} {phone}")
                    },
                    third_party: true,
                    consent: f[3].choice() == Some("yes"),
                    outgoing: f[4].choice() == Some("outgoing"),
                    started: now,
                }));
            }
            Purpose::Promise => {
                let repeat = f[2].choice().unwrap_or("once");
                let every = REPEATS
                    .iter()
                    .find(|(v, ..)| *v == repeat)
                    .map_or(0, |(.., days)| *days);
                let count = if repeat == "once" { 1 } else { f[3].count() };
                let (amount, first) = (f[0].money()?, f[1].date(today)?);
                if first < today {
                    self.current = 1;
                    self.fields[1].error = Some("a promise is for today or later".into());
                    return None;
                }
                let promises = if repeat == "monthly" {
                    monthly_series(amount, first, count, today)
                } else {
                    series(amount, first, every, count, today)
                };
                return Some(Filled::Promises(promises));
            }
            Purpose::CallBack => {
                let at = parse_when_at(f[0].input.text(), today).ok()?;
                if at < now {
                    self.fields[0].error = Some("that time has passed".into());
                    return None;
                }
                return Some(Filled::CallBack(at));
            }
            Purpose::Vulnerability => Record::Vulnerability {
                tenancy_id: id,
                category: f[0].choice().and_then(VulnerabilityCategory::parse),
                reason: f[1].text(),
            },
            Purpose::Referral => Record::Referral {
                tenancy_id: id,
                kind: f[0]
                    .choice()
                    .and_then(ReferralKind::parse)
                    .unwrap_or(ReferralKind::Other),
                made_on: f[1].date(today)?,
                status: f[2]
                    .choice()
                    .and_then(ReferralStatus::parse)
                    .unwrap_or(ReferralStatus::Made),
                comment: f[3].text(),
            },
            Purpose::CancelPlan(plan_id) => Record::CancelPlan {
                tenancy_id: id,
                plan_id,
                reason: f[0].text(),
            },
        };
        Some(Filled::Record(write))
    }
}

/// Lifting a pause or snooze early: it ends yesterday.
pub fn lift(tenancy_id: i64, today: NaiveDate) -> Record {
    Record::Pause {
        tenancy_id,
        kind: PauseKind::Pause,
        until: today - Days::new(1),
        reason: crate::domain::record::LIFTED.into(),
        comment: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::LineEdit;

    fn today() -> NaiveDate {
        crate::domain::dates::parse_date("2026-11-23").unwrap()
    }

    fn now() -> NaiveDateTime {
        today().and_hms_opt(10, 0, 0).unwrap()
    }

    fn ctx() -> Context {
        Context {
            owed: Money::pounds(812),
            hearing: Some(crate::domain::dates::parse_date("2026-11-20").unwrap()),
            vulnerability: None,
        }
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
                kind: NoticeKind::Nosp,
                served_on: today(),
                grounds: "Ground 1: rent arrears".into(),
                amount: Some(Money::pounds(812)),
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
            form.fields[0]
                .error
                .as_ref()
                .unwrap()
                .contains("not a date")
        );
        assert_eq!(
            form.fields[0].input.text(),
            "31/02/2026",
            "what was typed is kept"
        );
        typed(&mut form, "today");
        assert!(form.next_field(today()));
        form.current = 2;
        typed(&mut form, "12.345");
        assert!(form.finish(now()).is_none());
        assert_eq!(form.current, 2);
        assert!(
            form.fields[2]
                .error
                .as_ref()
                .unwrap()
                .contains("two decimal places")
        );
    }

    #[test]
    fn an_outcome_is_picked_by_typing_or_arrows() {
        let mut form = Form::new(7, Purpose::Outcome, &ctx());
        typed(&mut form, "out");
        assert_eq!(form.fields[0].choice(), Some("outright_forthwith"));
        form.edit(LineEdit::Right);
        assert_eq!(form.fields[0].choice(), Some("outright_on_date"));
        let Some(Record::Court {
            outcome, on_date, ..
        }) = write(&mut form)
        else {
            panic!("an outcome is a court event");
        };
        assert_eq!(outcome, Some(CourtOutcome::OutrightOnDate));
        assert_eq!(
            on_date,
            ctx().hearing,
            "the hearing date defaults to the listed one"
        );
    }

    #[test]
    fn an_override_needs_a_reason() {
        let mut form = Form::new(7, Purpose::Override(Recommendation::SendLetter2), &ctx());
        assert!(form.finish(now()).is_none());
        assert_eq!(form.fields[0].error.as_deref(), Some("this is needed"));
        typed(&mut form, "Tenant in hospital, spoke to daughter");
        let Some(Record::Override { until, .. }) = write(&mut form) else {
            panic!("an override");
        };
        assert_eq!(
            until,
            crate::domain::dates::parse_date("2026-12-07").unwrap()
        );
    }

    #[test]
    fn a_promise_series_and_its_refusals() {
        let mut form = Form::new(7, Purpose::Promise, &ctx());
        assert!(form.finish(now()).is_none());
        assert_eq!(form.fields[0].error.as_deref(), Some("enter an amount"));
        typed(&mut form, "0");
        assert!(!form.next_field(today()));
        assert_eq!(
            form.fields[0].error.as_deref(),
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
            form.fields[3].error.as_deref(),
            Some("a number from 1 to 52")
        );
        typed(&mut form, "4");
        let Some(Filled::Promises(promises)) = form.finish(now()) else {
            panic!("promises");
        };
        assert_eq!(promises.len(), 4);
        assert_eq!(
            promises[3].due,
            crate::domain::dates::parse_date("2026-12-18").unwrap()
        );
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
            form.fields[0].error.as_deref(),
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
}
