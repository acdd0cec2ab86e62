//! Short forms for recording what happened on a case: an override, a snooze or pause, a notice,
//! a claim, a hearing, an outcome, a warrant, an eviction date or an eviction carried out, a visit,
//! a breathing space, a letter sent again, a vulnerability or a referral; and, during a call, who
//! the other party is, a promise to pay, a time to call back. Fields are named (`FieldId`), each
//! checked when the officer leaves it, dates also against the case (a hearing before the notice
//! allows proceedings, an outcome for a hearing still to come, a snooze in the past, a warrant
//! before its order, an eviction before its warrant), with the reason shown at the field; nothing
//! is saved until the last field is accepted, and a record is then shown as it will be saved
//! before a second key saves it.

use super::editor::Call;
use super::input::LineInput;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::contact::{ReferralKind, ReferralStatus, VulnerabilityCategory};
use crate::domain::dates::{Lean, parse_leaning, parse_when_at, uk, uk_day};
use crate::domain::policy::Recommendation;
use crate::domain::promise::{Promise, monthly_series, series};
use crate::domain::record::{Correction, Record};
use crate::domain::recovery::{
    Claim, CourtEvent, CourtEventKind, CourtOutcome, Notice, NoticeKind, PauseKind, ServedHow,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Override(Recommendation),
    Snooze,
    Pause,
    Notice(NoticeKind),
    /// A court date applied for (the claim issued).
    Claim,
    Hearing,
    Outcome,
    Warrant,
    /// An eviction date set by the bailiff.
    Eviction,
    /// An eviction carried out: the tenancy ends.
    Evicted,
    /// A recovery visit made (a court breach visit, a visit about a broken plan).
    Visit(ActionKind),
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
    /// A record recorded in error (its line in the action log).
    CorrectError(i64),
    /// A person's reason for sending a letter to a tenant flagged vulnerable.
    LetterCheck,
}

/// The record a form corrects: its line in the action log, and that line as the history shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrects {
    pub action_id: i64,
    pub line: String,
    /// When it was recorded: a call's promises or call back, corrected, still date from the call.
    pub at: NaiveDateTime,
}

/// What a filled-in form gives: something to save, or the next step of a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filled {
    Record(Record),
    /// The other party of a call (who, and whether the tenant consents to them discussing it).
    Party(Call),
    Promises(Vec<Promise>),
    CallBack(NaiveDateTime),
    /// Why a person who checked a letter to a vulnerable tenant decided to send it.
    Checked(String),
}

/// The fields of every form, by what they hold: a form is read by these, never by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldId {
    Reason,
    Comment,
    LookAgainOn,
    Until,
    ServedOn,
    ServedHow,
    Grounds,
    ArrearsStated,
    AppliedOn,
    Court,
    ClaimNumber,
    HearingOn,
    Time,
    /// Why a hearing or claim comes before the notice allows proceedings.
    WhyEarly,
    Outcome,
    Terms,
    Costs,
    WarrantNumber,
    EvictionOn,
    EvictedOn,
    VisitedOn,
    WhatHappened,
    Starts,
    Ends,
    Letter,
    Name,
    WhoTheyAre,
    Phone,
    Consent,
    Direction,
    Amount,
    By,
    Repeat,
    Payments,
    CallBackAt,
    Category,
    ReferralTo,
    MadeOn,
    Status,
    /// Why a record is corrected.
    CorrectionReason,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A date as an officer types it (`friday`, `14`, `2w`, `27/11`...), read leaning ahead for
    /// what is to come and back for what has happened.
    Date {
        required: bool,
        lean: Lean,
    },
    /// A time of day, `10:00` or `14:30`.
    Time,
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
    pub id: FieldId,
    pub label: String,
    pub kind: FieldKind,
    pub input: LineInput,
    pub error: Option<String>,
}

impl Field {
    fn new(id: FieldId, label: impl Into<String>, kind: FieldKind, default: &str) -> Field {
        Field {
            id,
            label: label.into(),
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

    fn text(&self) -> String {
        self.input.text().trim().to_string()
    }

    /// The date typed, as it resolves today (shown beside the field).
    pub fn date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let FieldKind::Date { lean, .. } = self.kind else {
            return None;
        };
        let text = self.text();
        (!text.is_empty())
            .then(|| parse_leaning(&text, today, lean).ok())
            .flatten()
    }

    /// What a date (or a date and time) typed stands for, to show beside it: "Fri 27/11/2026".
    pub fn resolved(&self, today: NaiveDate) -> Option<String> {
        match self.kind {
            FieldKind::Date { .. } => self.date(today).map(uk_day),
            FieldKind::Moment => parse_when_at(&self.text(), today)
                .ok()
                .map(|at| format!("{} {}", uk_day(at.date()), at.format("%H:%M"))),
            _ => None,
        }
    }

    fn time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(&self.text(), "%H:%M").ok()
    }

    fn money(&self) -> Option<Money> {
        Money::parse(self.input.text()).ok()
    }

    fn count(&self) -> u32 {
        self.text().parse().unwrap_or(1)
    }

    /// Checks what is typed; the error, if any, is kept at the field.
    fn check(&mut self, today: NaiveDate) -> bool {
        let text = self.text();
        self.error = match &self.kind {
            FieldKind::Date { required, .. } if text.is_empty() => {
                required.then(|| "enter a date".to_string())
            }
            FieldKind::Date { lean, .. } => parse_leaning(&text, today, *lean)
                .err()
                .map(|e| e.to_string()),
            FieldKind::Time if text.is_empty() => None,
            FieldKind::Time => self
                .time()
                .is_none()
                .then(|| format!("`{text}` is not a time of day (try 10:00 or 14:30)")),
            FieldKind::Money { required } if text.is_empty() => {
                required.then(|| "enter an amount".to_string())
            }
            FieldKind::Money { .. } => match Money::parse(&text) {
                Ok(m) if m.is_positive() => None,
                Ok(_) => Some("the amount must be more than £0".to_string()),
                Err(e) => Some(e.to_string()),
            },
            FieldKind::Count { max } => match text.parse::<u32>() {
                Ok(n) if (1..=*max).contains(&n) => None,
                _ => Some(format!("a number from 1 to {max}")),
            },
            FieldKind::Moment => parse_when_at(&text, today).err().map(|e| e.to_string()),
            FieldKind::Text { required: true } if text.is_empty() => {
                Some("this is needed".to_string())
            }
            FieldKind::Text { .. } | FieldKind::Choice { .. } => None,
        };
        self.error.is_none()
    }

    /// The value as the confirmation shows it: a date with its day, a choice by its label.
    pub fn shown(&self, today: NaiveDate) -> String {
        match &self.kind {
            FieldKind::Choice { options, selected } => options
                .get(*selected)
                .map(|(_, label)| (*label).to_string())
                .unwrap_or_default(),
            FieldKind::Date { .. } => self.date(today).map(uk_day).unwrap_or_default(),
            FieldKind::Money { .. } => self.money().map(|m| m.to_string()).unwrap_or_default(),
            _ => self.text(),
        }
    }
}

/// What a form starts from and checks against: the account's figures and where the case is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub owed: Money,
    /// The latest hearing listed.
    pub hearing: Option<NaiveDate>,
    /// The vulnerability reason on record, if any.
    pub vulnerability: Option<String>,
    /// When the current notice allows court proceedings: a claim or hearing before then is
    /// refused unless the officer says why.
    pub proceedings_from: Option<NaiveDate>,
    /// The latest court order in force: a warrant comes after it, and after a postponed
    /// possession order a court date applied for is the application to fix a date for possession.
    pub order: Option<CourtEvent>,
    /// The latest warrant applied for: an eviction date comes after it.
    pub warrant_applied: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub tenancy_id: i64,
    pub purpose: Purpose,
    pub fields: Vec<Field>,
    pub current: usize,
    /// The case's dates the form is checked against.
    pub case: Context,
    /// The record this form replaces with a corrected one, or takes out of force.
    pub corrects: Option<Corrects>,
}

/// What an officer can pick as a court outcome (`Other` is for imported codes only).
const OUTCOMES: &[CourtOutcome] = &[
    CourtOutcome::SuspendedOnTerms,
    CourtOutcome::PostponedPossession,
    CourtOutcome::AdjournedOnTerms,
    CourtOutcome::AdjournedGenerally,
    CourtOutcome::AdjournedToNextOpenDate,
    CourtOutcome::AdjournedToAnotherHearing,
    CourtOutcome::AdjournedForDirections,
    CourtOutcome::OutrightForthwith,
    CourtOutcome::OutrightOnDate,
    CourtOutcome::MoneyJudgment,
    CourtOutcome::Dismissed,
    CourtOutcome::StayOfExecution,
    CourtOutcome::StruckOut,
    CourtOutcome::Withdrawn,
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
        use FieldId as F;
        use FieldKind::*;
        let ahead = |required| Date {
            required,
            lean: Lean::Ahead,
        };
        let back = |required| Date {
            required,
            lean: Lean::Back,
        };
        let text = |required| Text { required };
        let money = |required| Money { required };
        let field = |id, label: &str, kind, default: &str| Field::new(id, label, kind, default);
        // Asked when the notice gives a date proceedings may start from.
        let why_early = || {
            ctx.proceedings_from.map(|from| {
                Field::new(
                    F::WhyEarly,
                    format!("If before {}, why", uk(from)),
                    text(false),
                    "",
                )
            })
        };
        let fields = match purpose {
            Purpose::Override(_) => vec![
                field(F::Reason, "Why not", text(true), ""),
                field(F::LookAgainOn, "Look again on", ahead(true), "2w"),
            ],
            Purpose::Snooze => vec![
                field(F::Until, "Until", ahead(true), "1w"),
                field(F::Reason, "Why", text(false), ""),
            ],
            Purpose::Pause => vec![
                field(F::Until, "Until", ahead(true), ""),
                field(F::Reason, "Reason", text(true), ""),
                field(F::Comment, "Comment", text(false), ""),
            ],
            Purpose::Notice(kind) => vec![
                field(F::ServedOn, "Served on", back(true), "today"),
                field(
                    F::ServedHow,
                    "How it was served",
                    choice(ServedHow::ALL, ServedHow::as_str, ServedHow::label),
                    "",
                ),
                field(
                    F::Grounds,
                    "Grounds",
                    text(true),
                    if kind == NoticeKind::Nosp {
                        "Ground 1: rent arrears"
                    } else {
                        "Grounds 8, 10 and 11"
                    },
                ),
                field(
                    F::ArrearsStated,
                    "Arrears stated",
                    money(false),
                    &ctx.owed.to_string(),
                ),
            ],
            Purpose::Claim => [
                Some(field(F::AppliedOn, "Applied on", back(true), "today")),
                Some(field(F::Court, "Court", text(true), "")),
                Some(field(
                    F::ClaimNumber,
                    "Claim number, if known",
                    text(false),
                    "",
                )),
                why_early(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Purpose::Hearing => [
                Some(field(F::HearingOn, "Hearing on", ahead(true), "")),
                Some(field(F::Time, "At (time)", Time, "")),
                Some(field(F::Court, "Court", text(false), "")),
                why_early(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            Purpose::Outcome => vec![
                field(
                    F::Outcome,
                    "Outcome",
                    choice(OUTCOMES, CourtOutcome::as_str, CourtOutcome::label),
                    "",
                ),
                field(
                    F::HearingOn,
                    "Hearing on",
                    back(true),
                    &ctx.hearing.map(uk).unwrap_or_default(),
                ),
                field(F::Terms, "Terms", text(false), ""),
                field(F::Costs, "Costs", money(false), ""),
            ],
            Purpose::Warrant => vec![
                field(F::AppliedOn, "Applied on", back(true), "today"),
                field(
                    F::WarrantNumber,
                    "Warrant number, if known",
                    text(false),
                    "",
                ),
            ],
            Purpose::Eviction => vec![
                field(F::EvictionOn, "Eviction on", ahead(true), ""),
                field(F::Time, "At (time)", Time, ""),
            ],
            Purpose::Evicted => vec![field(F::EvictedOn, "Evicted on", back(true), "today")],
            Purpose::Visit(_) => vec![
                field(F::VisitedOn, "Visited on", back(true), "today"),
                field(F::WhatHappened, "What happened", text(true), ""),
            ],
            Purpose::BreathingSpace => vec![
                field(F::Starts, "Starts", back(true), "today"),
                field(F::Ends, "Ends", ahead(true), "60d"),
            ],
            Purpose::Resend => vec![field(
                F::Letter,
                "Letter sent again",
                choice(&ActionKind::LETTERS, ActionKind::as_str, ActionKind::label),
                "",
            )],
            Purpose::OtherParty => vec![
                field(F::Name, "Name", text(true), ""),
                field(F::WhoTheyAre, "Who they are", text(true), ""),
                field(F::Phone, "Phone", text(false), ""),
                field(
                    F::Consent,
                    "Tenant's consent to discuss",
                    Choice {
                        // Never assumed: the officer must say the tenant agreed.
                        options: vec![("no", "No"), ("yes", "Yes, on record")],
                        selected: 0,
                    },
                    "",
                ),
                field(
                    F::Direction,
                    "Call",
                    Choice {
                        options: vec![("outgoing", "Outgoing"), ("incoming", "Incoming")],
                        selected: 0,
                    },
                    "",
                ),
            ],
            Purpose::Promise => vec![
                field(F::Amount, "Amount", money(true), ""),
                field(F::By, "By", ahead(true), ""),
                field(
                    F::Repeat,
                    "Repeat",
                    Choice {
                        options: REPEATS.iter().map(|(v, l, _)| (*v, *l)).collect(),
                        selected: 0,
                    },
                    "",
                ),
                field(
                    F::Payments,
                    "Payments, if it repeats",
                    Count { max: 52 },
                    "4",
                ),
            ],
            Purpose::CallBack => vec![field(
                F::CallBackAt,
                "Call back at",
                Moment,
                "tomorrow 10:00",
            )],
            Purpose::Vulnerability => vec![
                field(
                    F::Category,
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
                field(
                    F::Reason,
                    "Reason",
                    text(true),
                    ctx.vulnerability.as_deref().unwrap_or_default(),
                ),
            ],
            Purpose::Referral => vec![
                field(
                    F::ReferralTo,
                    "Referral to",
                    choice(ReferralKind::ALL, ReferralKind::as_str, ReferralKind::label),
                    "",
                ),
                field(F::MadeOn, "On", back(true), "today"),
                field(
                    F::Status,
                    "Status",
                    choice(
                        ReferralStatus::ALL,
                        ReferralStatus::as_str,
                        ReferralStatus::label,
                    ),
                    "",
                ),
                field(F::Comment, "Comment (who, reference)", text(false), ""),
            ],
            Purpose::CancelPlan(_) => vec![field(F::Reason, "Why cancel it", text(true), "")],
            Purpose::LetterCheck => vec![field(
                F::Reason,
                "Checked: why it should go",
                text(true),
                "",
            )],
            Purpose::CorrectError(_) => vec![field(
                F::CorrectionReason,
                "Why it was recorded in error",
                text(true),
                "",
            )],
        };
        let mut form = Form {
            tenancy_id,
            purpose,
            fields,
            current: 0,
            case: ctx.clone(),
            corrects: None,
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
        let title = self.purpose_title();
        match (&self.corrects, self.purpose) {
            (Some(_), Purpose::CorrectError(_)) | (None, _) => title,
            (Some(_), _) => format!("Replace with a corrected one: {title}"),
        }
    }

    fn purpose_title(&self) -> String {
        match self.purpose {
            Purpose::Override(r) => format!("Override: {}", r.label()),
            Purpose::Snooze => "Snooze this account".into(),
            Purpose::Pause => "Pause the case".into(),
            Purpose::Notice(kind) => format!("Serve a {}", kind.label()),
            Purpose::Claim
                if self.case.order.as_ref().and_then(|o| o.outcome)
                    == Some(CourtOutcome::PostponedPossession) =>
            {
                "Court date applied for: to fix a date for possession".into()
            }
            Purpose::Claim => "Court date applied for".into(),
            Purpose::Hearing => "Hearing date".into(),
            Purpose::Outcome => "Court outcome".into(),
            Purpose::Warrant => "Warrant applied for".into(),
            Purpose::Eviction => "Eviction date".into(),
            Purpose::Evicted => "Eviction carried out: the tenancy ends".into(),
            Purpose::Visit(kind) => kind.label().to_string(),
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
            Purpose::CorrectError(_) => "Recorded in error".into(),
            Purpose::LetterCheck => "A letter to a tenant flagged vulnerable".into(),
        }
    }

    /// Makes this form the replacement of `corrects`: the same fields, filled from it (`values`),
    /// and why it is corrected.
    pub fn replacing(&mut self, corrects: Corrects, values: &[(FieldId, String)]) {
        for (id, value) in values {
            let Some(field) = self.fields.iter_mut().find(|f| f.id == *id) else {
                continue;
            };
            match &mut field.kind {
                FieldKind::Choice { options, selected } => {
                    if let Some(i) = options.iter().position(|(v, _)| v == value) {
                        *selected = i;
                    }
                }
                _ => field.input = LineInput::with_text(value),
            }
        }
        self.fields.push(Field::new(
            FieldId::CorrectionReason,
            "Why it is corrected",
            FieldKind::Text { required: true },
            "",
        ));
        self.corrects = Some(corrects);
        self.enter(0);
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    fn position(&self, id: FieldId) -> Option<usize> {
        self.fields.iter().position(|f| f.id == id)
    }

    fn text(&self, id: FieldId) -> String {
        self.field(id).map(Field::text).unwrap_or_default()
    }

    fn date(&self, id: FieldId, today: NaiveDate) -> Option<NaiveDate> {
        self.field(id)?.date(today)
    }

    fn choice(&self, id: FieldId) -> Option<&'static str> {
        self.field(id)?.choice()
    }

    fn money(&self, id: FieldId) -> Option<Money> {
        self.field(id)?.money()
    }

    /// A line worked out from what is typed so far, e.g. a notice's legal dates.
    pub fn preview(&self, today: NaiveDate) -> Option<String> {
        match self.purpose {
            Purpose::Notice(kind) => {
                let served = self.date(FieldId::ServedOn, today)?;
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
        let Some(field) = self.fields.get_mut(self.current) else {
            return;
        };
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

    /// Checks a field, what is typed and then against the case; the reason stays at the field.
    /// `false` if the officer cannot go on from it.
    fn check(&mut self, i: usize, today: NaiveDate) -> bool {
        let Some(field) = self.fields.get_mut(i) else {
            return true;
        };
        if !field.check(today) {
            return false;
        }
        let id = field.id;
        match self.against_case(id, today) {
            Some(why) => {
                self.fields[i].error = Some(why);
                false
            }
            None => true,
        }
    }

    /// Why a date is wrong for this case, if it is.
    fn against_case(&self, id: FieldId, today: NaiveDate) -> Option<String> {
        use FieldId as F;
        let date = self.date(id, today)?;
        match (self.purpose, id) {
            (Purpose::Snooze | Purpose::Pause, F::Until) if date <= today => Some(format!(
                "the {} must end after today ({})",
                if self.purpose == Purpose::Snooze {
                    "snooze"
                } else {
                    "pause"
                },
                uk(today)
            )),
            (Purpose::Override(_), F::LookAgainOn) if date <= today => {
                Some(format!("look again on a day after today ({})", uk(today)))
            }
            (Purpose::Outcome, F::HearingOn) if date > today => Some(format!(
                "that hearing, on {}, is still to come: record its outcome once it has been heard",
                uk(date)
            )),
            (_, F::ServedOn | F::AppliedOn | F::EvictedOn | F::VisitedOn | F::MadeOn)
                if date > today =>
            {
                Some(format!(
                    "{} is still to come: record this once it has happened",
                    uk(date)
                ))
            }
            (Purpose::Warrant, F::AppliedOn) => {
                let order = self.case.order.as_ref()?.on_date?;
                (date < order).then(|| {
                    format!(
                        "the order was made on {}: a warrant is applied for after it",
                        uk(order)
                    )
                })
            }
            (Purpose::Eviction, F::EvictionOn) => {
                let applied = self.case.warrant_applied?;
                (date < applied).then(|| {
                    format!(
                        "the warrant was applied for on {}: the eviction comes after it",
                        uk(applied)
                    )
                })
            }
            (Purpose::Claim, F::AppliedOn) | (Purpose::Hearing, F::HearingOn) => {
                let from = self.case.proceedings_from?;
                (date < from && self.text(F::WhyEarly).is_empty()).then(|| {
                    format!(
                        "the notice allows proceedings from {}: say below why this is earlier, \
                         or correct the date",
                        uk(from)
                    )
                })
            }
            _ => None,
        }
    }

    /// Moves to the next field if this one is right; `false` if it is not (the error is shown).
    pub fn next_field(&mut self, today: NaiveDate) -> bool {
        let early = self.is_early(today);
        if !self.check(self.current, today) && !early {
            return false;
        }
        if self.current + 1 < self.fields.len() {
            self.enter(self.current + 1);
        }
        true
    }

    /// A claim or hearing dated before the notice allows: the officer may go on to say why.
    fn is_early(&self, today: NaiveDate) -> bool {
        let Some(field) = self.fields.get(self.current) else {
            return false;
        };
        matches!(
            (self.purpose, field.id),
            (Purpose::Claim, FieldId::AppliedOn) | (Purpose::Hearing, FieldId::HearingOn)
        ) && self
            .case
            .proceedings_from
            .zip(field.date(today))
            .is_some_and(|(from, date)| date < from)
    }

    pub fn prev_field(&mut self) {
        self.enter(self.current.saturating_sub(1));
    }

    pub fn on_last_field(&self) -> bool {
        self.current + 1 == self.fields.len()
    }

    /// Each field as it will be saved, for the confirmation: (label, value), the empty ones
    /// left out.
    pub fn summary(&self, today: NaiveDate) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = self
            .fields
            .iter()
            .map(|f| (f.label.clone(), f.shown(today)))
            .filter(|(_, value)| !value.is_empty())
            .collect();
        // A call's promises or call back corrected: the rest of the call stays as it was.
        if let (Some(old), Purpose::Promise | Purpose::CallBack) = (&self.corrects, self.purpose) {
            let what = old
                .line
                .split_once(": ")
                .map_or("contact", |(kind, _)| kind);
            rows.push((
                "Keeps".to_string(),
                format!(
                    "the {} as recorded: who, when, how long, the checklist and its note",
                    crate::domain::mid_sentence(what)
                ),
            ));
        }
        rows
    }

    /// Refuses at field `id` with `why`.
    fn refuse(&mut self, id: FieldId, why: impl Into<String>) -> Option<Filled> {
        if let Some(i) = self.position(id) {
            self.current = i;
            self.fields[i].error = Some(why.into());
        }
        None
    }

    /// Checks every field and builds what the form gives; on a bad field, moves there and says
    /// why. `now` is the moment it is accepted.
    pub fn finish(&mut self, now: NaiveDateTime) -> Option<Filled> {
        use FieldId as F;
        let today = now.date();
        for i in 0..self.fields.len() {
            if !self.check(i, today) {
                self.current = i;
                return None;
            }
        }
        let id = self.tenancy_id;
        let record = match self.purpose {
            Purpose::Override(recommendation) => Record::Override {
                tenancy_id: id,
                recommendation,
                reason: self.text(F::Reason),
                until: self.date(F::LookAgainOn, today)?,
            },
            Purpose::Snooze | Purpose::Pause => Record::Pause {
                tenancy_id: id,
                kind: if self.purpose == Purpose::Snooze {
                    PauseKind::Snooze
                } else {
                    PauseKind::Pause
                },
                until: self.date(F::Until, today)?,
                reason: self.text(F::Reason),
                comment: self.text(F::Comment),
            },
            Purpose::Notice(kind) => Record::Notice {
                tenancy_id: id,
                notice: Notice {
                    kind,
                    served_on: self.date(F::ServedOn, today)?,
                    served_how: self.choice(F::ServedHow).and_then(ServedHow::parse),
                    grounds: self.text(F::Grounds),
                    amount: self.money(F::ArrearsStated),
                },
            },
            Purpose::Claim => Record::Claim {
                tenancy_id: id,
                claim: Claim {
                    applied_on: self.date(F::AppliedOn, today)?,
                    court: self.text(F::Court),
                    claim_number: self.text(F::ClaimNumber),
                },
                early: self.text(F::WhyEarly),
            },
            Purpose::Hearing => Record::Court {
                tenancy_id: id,
                event: CourtEvent {
                    time: self.field(F::Time).and_then(Field::time),
                    court: self.text(F::Court),
                    ..CourtEvent::at(CourtEventKind::Hearing, self.date(F::HearingOn, today))
                },
                early: self.text(F::WhyEarly),
            },
            Purpose::Outcome => Record::Court {
                tenancy_id: id,
                event: CourtEvent {
                    outcome: self.choice(F::Outcome).and_then(CourtOutcome::parse),
                    terms: self.text(F::Terms),
                    costs: self.money(F::Costs),
                    ..CourtEvent::at(CourtEventKind::Outcome, self.date(F::HearingOn, today))
                },
                early: String::new(),
            },
            Purpose::Warrant => Record::Court {
                tenancy_id: id,
                event: CourtEvent {
                    reference: self.text(F::WarrantNumber),
                    ..CourtEvent::at(
                        CourtEventKind::WarrantApplied,
                        self.date(F::AppliedOn, today),
                    )
                },
                early: String::new(),
            },
            Purpose::Eviction => Record::Court {
                tenancy_id: id,
                event: CourtEvent {
                    time: self.field(F::Time).and_then(Field::time),
                    ..CourtEvent::at(
                        CourtEventKind::EvictionDate,
                        self.date(F::EvictionOn, today),
                    )
                },
                early: String::new(),
            },
            Purpose::Evicted => Record::Evicted {
                tenancy_id: id,
                on: self.date(F::EvictedOn, today)?,
            },
            Purpose::Visit(kind) => Record::Action {
                tenancy_id: id,
                kind,
                summary: format!(
                    "Visited {}: {}",
                    uk(self.date(F::VisitedOn, today)?),
                    self.text(F::WhatHappened)
                ),
            },
            Purpose::BreathingSpace => {
                let (starts, ends) = (self.date(F::Starts, today)?, self.date(F::Ends, today)?);
                if ends < starts {
                    return self.refuse(F::Ends, "the end is before the start");
                }
                Record::BreathingSpace {
                    tenancy_id: id,
                    starts,
                    until: ends,
                }
            }
            Purpose::Resend => Record::Action {
                tenancy_id: id,
                kind: self
                    .choice(F::Letter)
                    .and_then(ActionKind::parse)
                    .unwrap_or(ActionKind::Letter1),
                summary: "Sent again after the last letter failed".into(),
            },
            Purpose::OtherParty => {
                let phone = self.text(F::Phone);
                let party = format!("{} ({})", self.text(F::Name), self.text(F::WhoTheyAre));
                return Some(Filled::Party(Call {
                    party: if phone.is_empty() {
                        party
                    } else {
                        format!("{party} {phone}")
                    },
                    third_party: true,
                    consent: self.choice(F::Consent) == Some("yes"),
                    outgoing: self.choice(F::Direction) == Some("outgoing"),
                    started: now,
                }));
            }
            Purpose::Promise => {
                let repeat = self.choice(F::Repeat).unwrap_or("once");
                let every = REPEATS
                    .iter()
                    .find(|(v, ..)| *v == repeat)
                    .map_or(0, |(.., days)| *days);
                let count = match repeat {
                    "once" => 1,
                    _ => self.field(F::Payments).map_or(1, Field::count),
                };
                let (amount, first) = (self.money(F::Amount)?, self.date(F::By, today)?);
                // A corrected promise was made on its call's day: payments since then count.
                let made = self.corrects.as_ref().map_or(today, |c| c.at.date());
                if first < made {
                    return self.refuse(
                        F::By,
                        if made == today {
                            "a promise is for today or later".to_string()
                        } else {
                            format!(
                                "a promise is for the day it was made ({}) or later",
                                uk(made)
                            )
                        },
                    );
                }
                let promises = if repeat == "monthly" {
                    monthly_series(amount, first, count, made)
                } else {
                    series(amount, first, every, count, made)
                };
                match &self.corrects {
                    Some(old) => Record::SameContact {
                        tenancy_id: id,
                        of: old.action_id,
                        promises,
                        call_back: None,
                    },
                    None => return Some(Filled::Promises(promises)),
                }
            }
            Purpose::CallBack => {
                let at = parse_when_at(&self.text(F::CallBackAt), today).ok()?;
                match &self.corrects {
                    Some(old) if at < old.at => {
                        return self.refuse(F::CallBackAt, "that is before the call");
                    }
                    Some(old) => Record::SameContact {
                        tenancy_id: id,
                        of: old.action_id,
                        promises: vec![],
                        call_back: Some(at),
                    },
                    None if at < now => {
                        return self.refuse(F::CallBackAt, "that time has passed");
                    }
                    None => return Some(Filled::CallBack(at)),
                }
            }
            Purpose::Vulnerability => Record::Vulnerability {
                tenancy_id: id,
                category: self
                    .choice(F::Category)
                    .and_then(VulnerabilityCategory::parse),
                reason: self.text(F::Reason),
            },
            Purpose::Referral => Record::Referral {
                tenancy_id: id,
                kind: self
                    .choice(F::ReferralTo)
                    .and_then(ReferralKind::parse)
                    .unwrap_or(ReferralKind::Other),
                made_on: self.date(F::MadeOn, today)?,
                status: self
                    .choice(F::Status)
                    .and_then(ReferralStatus::parse)
                    .unwrap_or(ReferralStatus::Made),
                comment: self.text(F::Comment),
            },
            Purpose::CancelPlan(plan_id) => Record::CancelPlan {
                tenancy_id: id,
                plan_id,
                reason: self.text(F::Reason),
            },
            Purpose::CorrectError(action_id) => Record::Correct(Box::new(Correction {
                tenancy_id: id,
                action_id,
                line: self
                    .corrects
                    .as_ref()
                    .map(|c| c.line.clone())
                    .unwrap_or_default(),
                reason: self.text(F::CorrectionReason),
                replacement: None,
            })),
            Purpose::LetterCheck => return Some(Filled::Checked(self.text(F::Reason))),
        };
        // A replacement: the corrected record, and the correction of the old one.
        let record = match (&self.corrects, &record) {
            (Some(old), record) if !matches!(record, Record::Correct(_)) => {
                Record::Correct(Box::new(Correction {
                    tenancy_id: id,
                    action_id: old.action_id,
                    line: old.line.clone(),
                    reason: self.text(F::CorrectionReason),
                    replacement: Some(record.clone()),
                }))
            }
            _ => record,
        };
        Some(Filled::Record(record))
    }
}

#[cfg(test)]
mod tests;
