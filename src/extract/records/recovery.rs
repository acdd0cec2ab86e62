//! The case's log and legal side, all append-only: actions (landlord codes kept beside the
//! canonical kind), notices, court events, payment plans and pauses.

use super::{
    Record, Sourced, Verdict, amount, date, differences, iso, iso_moment, moment, named, opt_iso,
    plain,
};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::codes::CodeMaps;
use crate::domain::ledger::PaymentMethod;
use crate::domain::plan::{PlanState, PlanTerms};
use crate::domain::recovery::{CourtEvent, CourtEventKind, Notice, PauseKind};
use crate::extract::file::Row;
use crate::extract::{ACTIONS, COURT, FileSpec, NOTICES, PAUSES, PLANS};
use chrono::{NaiveDate, NaiveDateTime};
use std::borrow::Cow;

fn opt_money(m: Option<Money>) -> Cow<'static, str> {
    m.map_or(Cow::Borrowed(""), |m| Cow::Owned(plain(m)))
}

macro_rules! sourced_by_tenancy {
    ($($t:ty),+) => {$(
        impl Sourced for $t {
            fn id(&self) -> &str {
                &self.id
            }
            fn tenancy(&self) -> Option<&str> {
                Some(&self.tenancy)
            }
        }
    )+};
}
sourced_by_tenancy!(ActionRow, NoticeRow, CourtRow, PauseRow);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRow {
    pub id: String,
    pub tenancy: String,
    /// The landlord's own code, kept as given.
    pub code: String,
    /// The code's kind under the config's `[codes.actions]` (`other` when unmapped).
    pub kind: ActionKind,
    pub at: NaiveDateTime,
    pub officer: String,
    pub comment: String,
}

impl Record for ActionRow {
    const SPEC: &'static FileSpec = &ACTIONS;

    fn read(row: &mut Row<'_>, codes: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let code = row.required("code");
        let at = row.parse("at", moment);
        let action = ActionRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            kind: codes.action(code?),
            code: code?.to_string(),
            at: at?,
            officer: row.text("officer").to_string(),
            comment: row.text("comment").to_string(),
        };
        row.ok().then_some(action)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(&self.code),
            iso_moment(self.at),
            Cow::Borrowed(&self.officer),
            Cow::Borrowed(&self.comment),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRow {
    pub id: String,
    pub tenancy: String,
    pub notice: Notice,
    pub officer: String,
}

impl Record for NoticeRow {
    const SPEC: &'static FileSpec = &NOTICES;

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let kind = row.parse("kind", named);
        let served_on = row.parse("served_on", date);
        let amount = row.optional("amount", amount);
        let notice = NoticeRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            notice: Notice {
                kind: kind?,
                served_on: served_on?,
                served_how: None,
                grounds: row.text("grounds").to_string(),
                amount: amount?,
            },
            officer: row.text("officer").to_string(),
        };
        row.ok().then_some(notice)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(self.notice.kind.as_str()),
            iso(self.notice.served_on),
            Cow::Borrowed(&self.notice.grounds),
            opt_money(self.notice.amount),
            Cow::Borrowed(&self.officer),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtRow {
    pub id: String,
    pub tenancy: String,
    /// The extract's columns; a hearing's time, court and reference are not among them.
    pub event: CourtEvent,
    pub officer: String,
}

impl Record for CourtRow {
    const SPEC: &'static FileSpec = &COURT;

    fn read(row: &mut Row<'_>, codes: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let code = row.text("outcome");
        // Without a kind, a row with an outcome is the outcome and one without is a hearing.
        let kind = row.optional("kind", named).map(|k| {
            k.unwrap_or(if code.is_empty() {
                CourtEventKind::Hearing
            } else {
                CourtEventKind::Outcome
            })
        });
        let possession_on = row.optional("possession_on", date);
        let date = row.optional("date", date);
        let costs = row.optional("costs", amount);
        let (kind, date) = (kind?, date?);
        match (kind, code.is_empty()) {
            (CourtEventKind::Outcome, true) => {
                row.problem(Some("outcome"), "an outcome row needs the outcome code")
            }
            (CourtEventKind::Outcome, false) | (_, true) => {}
            (_, false) => row.problem(
                Some("outcome"),
                format!("a {kind} row has no outcome: give the outcome a row of its own"),
            ),
        }
        if kind != CourtEventKind::Outcome && date.is_none() {
            row.problem(
                Some("date"),
                format!("missing: a {kind} row needs its date"),
            );
        }
        let event = CourtRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            event: CourtEvent {
                outcome: (!code.is_empty()).then(|| codes.court_outcome(code)),
                code: (!code.is_empty()).then(|| code.to_string()),
                terms: row.text("terms").to_string(),
                possession_on: possession_on?,
                costs: costs?,
                ..CourtEvent::at(kind, date)
            },
            officer: row.text("officer").to_string(),
        };
        row.ok().then_some(event)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        let e = &self.event;
        let outcome = match (&e.code, e.outcome) {
            (Some(code), _) => code.as_str(),
            (None, Some(outcome)) => outcome.as_str(),
            (None, None) => "",
        };
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(e.kind.as_str()),
            opt_iso(e.on_date),
            Cow::Borrowed(outcome),
            Cow::Borrowed(&e.terms),
            opt_iso(e.possession_on),
            opt_money(e.costs),
            Cow::Borrowed(&self.officer),
        ]
    }
}

/// A plan version. Its terms never change (a new version has a new id); its status does, and a
/// changed status is recorded as a new state of the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRow {
    pub id: String,
    pub tenancy: String,
    /// The account it pays off; empty means the tenancy's rent account.
    pub account: Option<String>,
    pub terms: PlanTerms,
    pub status: PlanState,
    /// When the status took effect (the start, for a plan that is simply live).
    pub status_date: Option<NaiveDate>,
    pub reason: String,
    pub agreed_at: NaiveDateTime,
    pub officer: String,
}

impl PlanRow {
    /// The same plan with its status set aside: what must never change under one id.
    pub fn as_agreed(&self) -> PlanRow {
        PlanRow {
            status: PlanState::Live,
            status_date: None,
            ..self.clone()
        }
    }
}

impl Sourced for PlanRow {
    fn id(&self) -> &str {
        &self.id
    }

    fn tenancy(&self) -> Option<&str> {
        Some(&self.tenancy)
    }

    fn verdict(&self, held: &Self) -> Verdict {
        match differences(&held.as_agreed(), &self.as_agreed())
            .into_iter()
            .next()
        {
            Some(difference) => Verdict::Conflict(difference),
            None if self.status != held.status => Verdict::Update,
            None => Verdict::Same,
        }
    }
}

impl Record for PlanRow {
    const SPEC: &'static FileSpec = &PLANS;

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let kind = row.parse("kind", named);
        let frequency = row.parse("frequency", named);
        let start = row.parse("start", date);
        let instalment = row.parse("instalment", amount);
        let lump_sum = row.optional("lump_sum", amount);
        let lump_date = row.optional("lump_date", date);
        let starting_balance = row.parse("starting_balance", super::money);
        let method = row.optional("method", named);
        let status = row.optional("status", named);
        let status_date = row.optional("status_date", date);
        let agreed_at = row.optional("agreed_at", moment);
        if instalment.is_some_and(Money::is_zero) {
            row.problem(
                Some("instalment"),
                "an instalment of £0.00 never clears anything",
            );
        }
        let start = start?;
        let plan = PlanRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            account: super::non_empty(row.text("account")),
            terms: PlanTerms {
                kind: kind?,
                frequency: frequency?,
                start,
                instalment: instalment?,
                lump_sum: lump_sum?.unwrap_or(Money::ZERO),
                lump_date: lump_date?,
                starting_balance: starting_balance?,
                method: method?,
            },
            status: status?.unwrap_or(PlanState::Live),
            status_date: status_date?,
            reason: row.text("reason").to_string(),
            agreed_at: agreed_at?
                .unwrap_or_else(|| start.and_hms_opt(0, 0, 0).expect("midnight exists")),
            officer: row.text("officer").to_string(),
        };
        row.ok().then_some(plan)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(self.account.as_deref().unwrap_or("")),
            Cow::Borrowed(self.terms.kind.as_str()),
            Cow::Borrowed(self.terms.frequency.as_str()),
            iso(self.terms.start),
            Cow::Owned(plain(self.terms.instalment)),
            Cow::Owned(plain(self.terms.lump_sum)),
            opt_iso(self.terms.lump_date),
            Cow::Owned(plain(self.terms.starting_balance)),
            Cow::Borrowed(self.terms.method.map_or("", PaymentMethod::as_str)),
            Cow::Borrowed(self.status.as_str()),
            opt_iso(self.status_date),
            Cow::Borrowed(&self.reason),
            iso_moment(self.agreed_at),
            Cow::Borrowed(&self.officer),
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PauseRow {
    pub id: String,
    pub tenancy: String,
    pub kind: PauseKind,
    pub until: NaiveDate,
    pub reason: String,
    pub comment: String,
    pub officer: String,
    pub at: NaiveDateTime,
}

impl Record for PauseRow {
    const SPEC: &'static FileSpec = &PAUSES;

    fn read(row: &mut Row<'_>, _: &CodeMaps) -> Option<Self> {
        let id = row.required("id");
        let tenancy = row.required("tenancy");
        let kind = row.optional("kind", named);
        let until = row.parse("until", date);
        let reason = row.required("reason");
        let at = row.parse("at", moment);
        let pause = PauseRow {
            id: id?.to_string(),
            tenancy: tenancy?.to_string(),
            kind: kind?.unwrap_or(PauseKind::Pause),
            until: until?,
            reason: reason?.to_string(),
            comment: row.text("comment").to_string(),
            officer: row.text("officer").to_string(),
            at: at?,
        };
        row.ok().then_some(pause)
    }

    fn fields(&self) -> Vec<Cow<'_, str>> {
        vec![
            Cow::Borrowed(&self.id),
            Cow::Borrowed(&self.tenancy),
            Cow::Borrowed(self.kind.as_str()),
            iso(self.until),
            Cow::Borrowed(&self.reason),
            Cow::Borrowed(&self.comment),
            Cow::Borrowed(&self.officer),
            iso_moment(self.at),
        ]
    }
}
