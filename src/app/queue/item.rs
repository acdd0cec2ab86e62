//! One row of the queue: the account's figures, what the policy recommends and why, its stage, and
//! (once read) its display and search text.

use super::diary::{Day, Due, WorkingDays};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::arrears::{self, Arrears};
use crate::domain::dates::uk;
use crate::domain::plan::PlanState;
use crate::domain::policy::Recommendation;
use crate::domain::policy::{self, Blocker, Decision, Facts, Policy, Stage, start_of};
use crate::domain::promise::{self, Judging, PromiseState, Standing};
use crate::domain::recovery::PauseKind;
use crate::domain::tenancy::{self, DebtType, Flags, Tenure};
use crate::store::{QueueFacts, QueueText};
use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub tenancy_id: i64,
    pub tenure: Tenure,
    pub weekly_charge: Money,
    pub arrears: Arrears,
    pub other_debts: Money,
    pub debt_types: Vec<DebtType>,
    pub former: bool,
    pub flags: Flags,
    /// A breathing space is in force today.
    pub breathing_space: bool,
    pub decision: Decision,
    pub stage: Stage,
    /// What the queue's tabs and sort keys need beyond the decision.
    pub plan_state: Option<PlanState>,
    pub paused_until: Option<NaiveDate>,
    pub snoozed_until: Option<NaiveDate>,
    /// Why it was snoozed, if the officer said.
    pub snooze_reason: Option<Box<str>>,
    pub hearing: Option<NaiveDate>,
    pub notice_lapses: Option<NaiveDate>,
    pub last_contact: Option<NaiveDateTime>,
    /// Where the latest promise to pay stands.
    pub promise: Option<Standing>,
    /// A call back asked for and not yet made.
    pub call_back: Option<NaiveDateTime>,
    /// What falls due today, most pressing first (the Today tab).
    pub due: Box<[Due]>,
    /// Display and search text; `None` until it has been read.
    pub text: Option<Box<ItemText>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemText {
    pub reference: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub patch: Arc<str>,
    pub officer: Arc<str>,
}

impl ItemText {
    /// The row's text, and what the `/` search looks in: lower-case reference, names, address,
    /// postcode and phones (postcode and phones also without spaces, so `07700900123` finds
    /// `07700 900123`), kept apart in the queue's [`super::search::SearchText`].
    pub fn new(text: QueueText) -> (ItemText, String) {
        let name = tenancy::names(text.people().map(|p| (p.first, p.last)));
        let mut haystack = String::with_capacity(160);
        let mut add = |part: &str, squeezed: bool| {
            haystack.push(' ');
            push_lower(&mut haystack, part.chars());
            if squeezed {
                haystack.push(' ');
                push_lower(&mut haystack, part.chars().filter(|c| !c.is_whitespace()));
            }
        };
        add(&text.reference, false);
        add(&name, false);
        add(&text.address, false);
        add(&text.postcode, true);
        for person in text.people() {
            for phone in person.phones.into_iter().filter(|p| !p.is_empty()) {
                add(phone, true);
            }
        }
        let item = ItemText {
            name,
            reference: text.reference,
            address: text.address,
            postcode: text.postcode,
            patch: text.patch,
            officer: text.officer,
        };
        (item, haystack)
    }
}

/// Lower-cases as the filter does, with a fast path for the ASCII that almost all text is.
fn push_lower(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// What the queue says to do about a broken promise when the policy has nothing more pressing.
pub const CHASE_PROMISE: &str = "Chase the promise";

/// The policy's view of a tenancy, from what the store keeps for the queue (its latest actions
/// move into it).
fn policy_facts(f: &mut QueueFacts, today: NaiveDate, policy: &Policy) -> Facts {
    let position = f.rent.position(f.weekly_charge, today);
    let latest = std::mem::take(&mut f.case.latest);
    let last_action = latest
        .iter()
        .filter(|(kind, _)| policy.counts(*kind))
        .max_by_key(|(_, at)| *at)
        .copied();
    let latest_of = |kinds: &[ActionKind]| {
        latest
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(_, at)| *at)
            .max()
    };
    let last_letter_failed = latest_of(&[ActionKind::LetterFailed])
        .is_some_and(|failed| Some(failed) >= latest_of(&ActionKind::LETTERS));
    Facts {
        now: start_of(today),
        tenure: f.tenure,
        weekly_charge: f.weekly_charge,
        balance: f.rent.balance,
        collectable: position.balance - position.charged_this_week,
        paid_this_week: position.paid_this_week,
        days_since_last_payment: f.rent.days_since_payment(today),
        universal_credit: f.flags.universal_credit,
        housing_benefit: f.flags.housing_benefit,
        ended: f.end,
        last_action,
        latest,
        last_letter_failed,
        notice: f.case.notice,
        plan: f.case.plan,
        court: f.case.court,
        paused_until: f.case.paused_until,
        breathing_space_until: f.flags.breathing_space_until,
    }
}

impl QueueItem {
    pub fn new(
        mut f: QueueFacts,
        judging: Judging,
        working: WorkingDays,
        policy: &Policy,
    ) -> QueueItem {
        let today = judging.today;
        let facts = policy_facts(&mut f, today, policy);
        let decision = policy::evaluate(policy, &facts);
        let stage = Stage::of(policy, &facts);
        let arrears = f
            .rent
            .position(f.weekly_charge, today)
            .arrears(policy.one_week_grace);
        let promise = promise::standing(&f.case.promises, judging);
        let call_back = f
            .case
            .call_back
            .filter(|c| !c.made(&facts.latest))
            .map(|c| c.at);
        let plan_state = f.case.plan.map(|p| p.state);
        let notice_lapses = facts.notice_lapses(policy);
        let due = Day {
            today,
            working,
            call_back,
            hearing: f.case.court.hearing,
            promise: promise.as_ref(),
            promise_tolerance: judging.tolerance_days,
            instalments: f
                .case
                .instalments
                .filter(|_| plan_state.is_some_and(PlanState::is_active)),
            notice_lapses,
            resumes: [
                (PauseKind::Pause, f.case.paused_until, &f.case.pause_reason),
                (
                    PauseKind::Snooze,
                    f.case.snoozed_until,
                    &f.case.snooze_reason,
                ),
            ],
        }
        .due();
        QueueItem {
            tenancy_id: f.tenancy_id,
            tenure: f.tenure,
            weekly_charge: f.weekly_charge,
            arrears,
            other_debts: f.other_debts,
            debt_types: f.debt_types,
            former: f.end.is_some_and(|end| end < today),
            breathing_space: f.flags.in_breathing_space(today).is_some(),
            flags: f.flags,
            decision,
            stage,
            plan_state,
            paused_until: f.case.paused_until,
            snoozed_until: f.case.snoozed_until,
            snooze_reason: Some(f.case.snooze_reason)
                .filter(|r| !r.is_empty())
                .map(String::into_boxed_str),
            hearing: f.case.court.hearing,
            notice_lapses,
            last_contact: facts.latest.iter().map(|(_, at)| *at).max(),
            promise,
            call_back,
            due,
            text: None,
        }
    }

    /// The arrears in weeks of rent (the Weeks column), worked out when shown: a re-rank of
    /// every account does not need it unless the queue is ranked by it.
    pub fn weeks(&self) -> Option<Decimal> {
        arrears::weeks(self.arrears.balance, self.weekly_charge)
    }

    pub fn reference(&self) -> &str {
        self.text.as_ref().map_or("…", |t| t.reference.as_str())
    }

    pub fn name(&self) -> &str {
        self.text.as_ref().map_or("", |t| t.name.as_str())
    }

    /// Flags as letters, so they read without colour: V vulnerable, B breathing space in force,
    /// U Universal Credit, H Housing Benefit, F former tenant, D deceased.
    pub fn flag_letters(&self) -> String {
        let f = &self.flags;
        [
            (f.vulnerable, 'V'),
            (self.breathing_space, 'B'),
            (f.universal_credit, 'U'),
            (f.housing_benefit, 'H'),
            (self.former, 'F'),
            (f.deceased, 'D'),
        ]
        .iter()
        .filter_map(|(on, c)| on.then_some(*c))
        .collect()
    }

    /// Paused, or snoozed, until a date still to come.
    pub fn resumes(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.paused_until
            .max(self.snoozed_until)
            .filter(|until| *until >= today)
    }

    /// A promise broken in the last four weeks with no contact since it was due: the first
    /// thing to chase.
    pub fn broken_promise(&self, today: NaiveDate) -> Option<&Standing> {
        self.promise.as_ref().filter(|s| {
            s.state == PromiseState::Broken
                && s.promise.due + Days::new(promise::CHASED_FOR_DAYS) >= today
                && self
                    .last_contact
                    .is_none_or(|at| at.date() <= s.promise.due)
        })
    }

    /// A broken promise the officer should chase now. On an account in credit (or owing
    /// nothing), paused, snoozed or in a breathing space there is nothing to chase: the promise
    /// shows in *Promises & plans* only.
    pub fn promise_to_chase(&self, today: NaiveDate) -> Option<&Standing> {
        let chaseable = self.arrears.balance.is_positive()
            && self.resumes(today).is_none()
            && !self.breathing_space
            && self.decision.blocker != Some(Blocker::BreathingSpace);
        self.broken_promise(today).filter(|_| chaseable)
    }

    /// The next step as the queue, the header and `caseload account` name it: the policy's
    /// recommendation, or "Chase the promise" when the policy has nothing and a promise waits.
    pub fn next_label(&self, today: NaiveDate) -> &'static str {
        let d = &self.decision;
        if d.recommendation == Recommendation::NoAction
            && d.blocker.is_none()
            && self.promise_to_chase(today).is_some()
        {
            CHASE_PROMISE
        } else {
            d.recommendation.label()
        }
    }

    /// Why the account is where it is: a broken promise first, then the policy's reason.
    pub fn why(&self, today: NaiveDate) -> String {
        let reason = match self.broken_promise(today) {
            Some(broken) => format!("{}. {}", broken.describe(), self.decision.reason),
            None => self.decision.reason.to_string(),
        };
        // A snooze hides the account from Needs action without changing the policy's view: say
        // so, or a snoozed account reads as if nothing had been done.
        match self.snoozed_until.filter(|until| *until >= today) {
            Some(until) => {
                let why = self
                    .snooze_reason
                    .as_deref()
                    .map_or(String::new(), |r| format!(" ({r})"));
                format!("Snoozed until {}{why}. {reason}", uk(until))
            }
            None => reason,
        }
    }

    /// Why the account is in `tab`, in full: in Today what falls due (a broken promise among
    /// it), then the policy's reason unless the day already says it (a hearing, a pause ending).
    pub fn reason_in(&self, tab: super::Tab, today: NaiveDate) -> String {
        if tab != super::Tab::Today || self.due.is_empty() {
            return self.why(today);
        }
        let day = super::diary::describe(&self.due, today);
        if self.due.iter().any(|d| self.restates(d)) {
            day
        } else {
            format!("{day}. {}", self.decision.reason)
        }
    }

    /// What falls due today other than a call back (the header gives that its own time), what
    /// the policy's hold already says and a broken promise the reason begins with, in words, for
    /// the account's header.
    pub fn day_beside_call_back(&self, today: NaiveDate) -> Option<String> {
        let chased = self.broken_promise(today).is_some();
        let rest: Vec<Due> = (self.due.iter())
            .filter(|d| match d {
                Due::CallBack(_) => false,
                Due::PromiseBroken(_) => !chased,
                _ => !self.restates(d),
            })
            .cloned()
            .collect();
        (!rest.is_empty()).then(|| super::diary::describe(&rest, today))
    }

    fn restates(&self, due: &Due) -> bool {
        self.decision.blocker.is_some_and(|b| due.restates(b))
    }

    /// How far up the queue it goes: the recommendation's rung, and a broken promise at least
    /// with the first letters.
    pub fn severity(&self, today: NaiveDate) -> u8 {
        let rung = self.decision.recommendation.severity();
        if self.promise_to_chase(today).is_some() {
            rung.max(Recommendation::SendLetter1.severity())
        } else {
            rung
        }
    }

    pub fn hearing_within(&self, today: NaiveDate, days: u64) -> bool {
        self.hearing
            .is_some_and(|h| h >= today && h <= today + Days::new(days))
    }
}
