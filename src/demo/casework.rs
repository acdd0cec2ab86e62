//! An officer working one account through the last year, week by week, with the real recovery
//! policy: most weeks they do what it recommends (letters, notices, court steps), sometimes they
//! phone and agree a plan instead, sometimes a case is paused. What is left undone at the end is
//! the demo queue's backlog, so its reasons are ones the policy really gives.

use super::names::{CALL_NOTES, GENERAL_NOTES, PAUSE_REASONS, PROMISE_NOTES};
use crate::domain::Money;
use crate::domain::actions::ActionKind as K;
use crate::domain::breach::{self, Standing};
use crate::domain::calendar::Calendar;
use crate::domain::codes::CodeMaps;
use crate::domain::contact::ContactOutcome;
use crate::domain::plan::{Frequency, PlanKind, PlanState, PlanTerms};
use crate::domain::plan_schedule::PlanBasis;
use crate::domain::policy::{
    self, Court, Facts, Order, PlanFact, Policy, Recommendation as R, start_of,
};
use crate::domain::promise::series;
use crate::domain::record::{Contact, Record};
use crate::domain::recovery::{
    CourtEvent, CourtEventKind, CourtOutcome, Notice, NoticeKind, PauseKind, ServedHow,
};
use crate::domain::tenancy::Tenure;
use crate::store::{By, NewAction, NewNote, NewPlan, NewPlanEvent, Result, Writer};
use chrono::{Days, NaiveDate, NaiveDateTime};
use fastrand::Rng;

/// What the officer does with a recommendation they see, percent of weeks.
const DILIGENCE: u8 = 60;

#[derive(Clone, Copy, Debug)]
pub struct Plan {
    id: i64,
    kind: PlanKind,
    start: NaiveDate,
    start_balance: Money,
    pub instalment: Money,
    pub state: PlanState,
    /// When it entered its current state.
    since: NaiveDate,
}

/// The account as the officer and the court have left it so far.
pub struct Case<'a> {
    pub tenancy_id: i64,
    pub rent_account: i64,
    pub tenure: Tenure,
    pub universal_credit: bool,
    pub housing_benefit: bool,
    pub breathing_space_until: Option<NaiveDate>,
    pub officer: &'a str,
    /// The landlord's codes for the actions the officer records.
    codes: &'a CodeMaps,
    /// The days the officer works: weekdays that are not bank holidays.
    calendar: &'a Calendar,
    latest: Vec<(K, NaiveDateTime)>,
    notice: Option<NaiveDate>,
    pub plan: Option<Plan>,
    court: Court,
    paused_until: Option<NaiveDate>,
    /// A call back the tenant asked for, still to make.
    call_back: Option<NaiveDateTime>,
    /// The weekday the tenant is paid, in days after Monday: their plan's payment day and the
    /// day they mostly promise to pay by.
    payday: u64,
    /// The days the tenant chooses (a promise's day, a call back's day and time) draw from this.
    own_days: Rng,
}

/// The account's money at the end of a week.
pub struct Week {
    pub friday: NaiveDate,
    pub today: NaiveDate,
    pub charge: Money,
    pub balance: Money,
    pub paid_this_week: Money,
    pub last_payment: Option<NaiveDate>,
}

impl Plan {
    pub fn start_date(&self) -> NaiveDate {
        self.start
    }
}

impl<'a> Case<'a> {
    pub fn new(
        tenancy_id: i64,
        rent_account: i64,
        tenure: Tenure,
        officer: &'a str,
        codes: &'a CodeMaps,
        calendar: &'a Calendar,
    ) -> Case<'a> {
        Case {
            tenancy_id,
            rent_account,
            tenure,
            universal_credit: false,
            housing_benefit: false,
            breathing_space_until: None,
            officer,
            codes,
            calendar,
            latest: Vec::new(),
            notice: None,
            plan: None,
            court: Court::default(),
            paused_until: None,
            call_back: None,
            payday: 4,
            own_days: Rng::with_seed(0),
        }
    }

    /// The tenant's payday (days after Monday) and the stream their own choices of day draw from.
    pub fn tenant_days(&mut self, payday: u64, own_days: Rng) {
        self.payday = payday;
        self.own_days = own_days;
    }

    /// A notice or court order is hanging over the household.
    pub fn pressure(&self) -> bool {
        self.notice.is_some() || self.court.order.is_some()
    }

    fn facts(&self, w: &Week) -> Facts {
        Facts {
            now: at(w.friday, 17),
            tenure: self.tenure,
            weekly_charge: w.charge,
            balance: w.balance,
            collectable: w.balance - w.charge,
            paid_this_week: w.paid_this_week,
            days_since_last_payment: w.last_payment.map(|d| (w.friday - d).num_days()),
            universal_credit: self.universal_credit,
            housing_benefit: self.housing_benefit,
            ended: None,
            last_action: None,
            latest: self.latest.clone(),
            last_letter_failed: false,
            notice: self.notice,
            plan: self.plan.map(|p| PlanFact {
                kind: p.kind,
                state: p.state,
                start: start_of(p.start),
                since: start_of(p.since),
            }),
            court: self.court,
            paused_until: self.paused_until,
            breathing_space_until: self.breathing_space_until,
        }
    }

    /// The end of a week: check the plan, then look at the account as an officer would.
    pub fn review(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        policy: &Policy,
        plan_tolerance_days: u32,
        week: &Week,
    ) -> Result<()> {
        self.monitor_plan(w, week, plan_tolerance_days)?;
        self.hold_hearing(w, rng, week)?;
        let mut facts = self.facts(week);
        facts.last_action = facts
            .latest
            .iter()
            .filter(|(k, _)| policy.counts(*k))
            .max_by_key(|(_, at)| *at)
            .copied();
        let failed = facts
            .latest
            .iter()
            .find(|(k, _)| *k == K::LetterFailed)
            .map(|(_, at)| *at);
        let letter = facts
            .latest
            .iter()
            .filter(|(k, _)| matches!(k, K::Letter1 | K::Letter2 | K::CourtWarningLetter))
            .map(|(_, at)| *at)
            .max();
        facts.last_letter_failed = failed.is_some() && failed >= letter;
        let decision = policy::evaluate(policy, &facts);
        if decision.recommendation == R::NoAction || rng.u8(..100) >= DILIGENCE {
            return Ok(());
        }
        let when = self.working(week.friday - Days::new(rng.u64(0..4)), rng.u32(9..17));
        let owed = facts.effective(policy);
        match decision.recommendation {
            R::SendSms => self.act(w, when, K::Sms, "Arrears reminder text sent"),
            R::SendLetter1 | R::SendLetter2 | R::ReviewFailedLetter => {
                // Sometimes the officer phones first and the tenant agrees to pay.
                if owed > week.charge && rng.u8(..100) < 30 {
                    return self.agree_plan(w, rng, when, owed, week);
                }
                let kind = match decision.recommendation {
                    R::SendLetter2 => K::Letter2,
                    _ => K::Letter1,
                };
                self.act(w, when, kind, "Arrears letter sent")?;
                // Returned by the post on a later working day (not yet, if that is after today).
                let returned = self.calendar.on_or_after(when.date() + Days::new(1));
                if rng.u8(..100) < 2 && returned <= week.today {
                    let next_day = returned.and_time(when.time());
                    self.act(
                        w,
                        next_day,
                        K::LetterFailed,
                        "Letter returned: not known at this address",
                    )?;
                }
                Ok(())
            }
            R::ServeNotice => {
                if rng.u8(..100) < 35 {
                    return self.agree_plan(w, rng, when, owed, week);
                }
                self.serve_notice(w, when, owed)
            }
            R::SendCourtWarningLetter => {
                self.act(w, when, K::CourtWarningLetter, "Court warning letter sent")
            }
            R::ApplyForCourtDate => {
                self.act(w, when, K::CourtDateApplied, "Possession claim issued")?;
                let hearing = self
                    .calendar
                    .on_or_after(week.friday + Days::new(rng.u64(42..84)));
                self.court_event(w, when, CourtEventKind::Hearing, hearing)?;
                self.court.hearing = Some(hearing);
                self.note(
                    w,
                    when,
                    &format!(
                        "Claim issued; hearing listed for {}.",
                        crate::domain::dates::uk(hearing)
                    ),
                )
            }
            R::ApplyForWarrant | R::CourtBreachNoPayment => {
                let applied = when.date();
                self.court_event(w, when, CourtEventKind::WarrantApplied, applied)?;
                self.latest.push((K::WarrantApplied, when));
                self.court.warrant_applied = Some(applied);
                // Most warrants are suspended or paid off before an eviction date is set.
                if rng.u8(..100) < 30 {
                    let eviction = self
                        .calendar
                        .on_or_after(applied + Days::new(rng.u64(28..70)));
                    self.court_event(w, when, CourtEventKind::EvictionDate, eviction)?;
                    self.court.eviction_date = Some(eviction);
                }
                Ok(())
            }
            R::CourtBreachVisit => self.act(
                w,
                when,
                K::CourtBreachVisit,
                "Visited about the court order breach",
            ),
            R::AddressCourtPlanBreach => self.act(
                w,
                when,
                K::CourtBreachLetter,
                "Court order breach letter sent",
            ),
            R::SendInformalBreachLetter => {
                self.act(w, when, K::InformalBreachLetter, "Plan breach letter sent")
            }
            R::InformalBreachedAfterLetter => self.agree_plan(w, rng, when, owed, week),
            R::ChaseCourtForHearing => self.act(
                w,
                when,
                K::CourtChased,
                "Phoned the court about a hearing date",
            ),
            R::ChaseBailiff => self.act(
                w,
                when,
                K::BailiffChased,
                "Phoned the bailiff about an eviction date",
            ),
            R::RecordCourtOutcome | R::CheckData | R::NoAction => Ok(()),
        }
    }

    /// Records a thing as the workstation would, through the store's record layer.
    fn record(&mut self, w: &mut Writer<'_>, at: NaiveDateTime, record: &Record) -> Result<()> {
        let by = By {
            officer: self.officer,
            at,
            codes: self.codes,
        };
        w.record(record, &by)?;
        Ok(())
    }

    fn act(&mut self, w: &mut Writer<'_>, at: NaiveDateTime, kind: K, summary: &str) -> Result<()> {
        let record = Record::Action {
            tenancy_id: self.tenancy_id,
            kind,
            summary: summary.to_string(),
        };
        self.record(w, at, &record)?;
        self.latest.retain(|(k, _)| *k != kind);
        self.latest.push((kind, at));
        Ok(())
    }

    fn note(&mut self, w: &mut Writer<'_>, at: NaiveDateTime, body: &str) -> Result<()> {
        w.append_note(&NewNote {
            tenancy_id: self.tenancy_id,
            at,
            officer: self.officer,
            body,
            action_id: None,
            amends: None,
        })?;
        Ok(())
    }

    /// A hearing listed, a warrant applied for or an eviction date set.
    fn court_event(
        &mut self,
        w: &mut Writer<'_>,
        when: NaiveDateTime,
        kind: CourtEventKind,
        on_date: NaiveDate,
    ) -> Result<()> {
        let record = Record::Court {
            tenancy_id: self.tenancy_id,
            event: CourtEvent::at(kind, Some(on_date)),
            early: String::new(),
        };
        self.record(w, when, &record)
    }

    fn serve_notice(&mut self, w: &mut Writer<'_>, when: NaiveDateTime, owed: Money) -> Result<()> {
        let kind = NoticeKind::for_tenure(self.tenure).unwrap_or(NoticeKind::Nosp);
        let grounds = if kind == NoticeKind::Nosp {
            "Ground 1: rent arrears"
        } else {
            "Grounds 8, 10 and 11"
        };
        let record = Record::Notice {
            tenancy_id: self.tenancy_id,
            notice: Notice {
                kind,
                served_on: when.date(),
                served_how: Some(ServedHow::ByHand),
                grounds: grounds.to_string(),
                amount: Some(owed),
            },
        };
        self.record(w, when, &record)?;
        self.latest.push((K::NoticeServed, when));
        self.notice = Some(when.date());
        self.note(
            w,
            when,
            &format!(
                "{} served by hand at the property: {owed} owed.",
                kind.label()
            ),
        )
    }

    /// A call in which the tenant agrees to pay something on top of the rent each week.
    fn agree_plan(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        when: NaiveDateTime,
        owed: Money,
        week: &Week,
    ) -> Result<()> {
        let weeks = rng.i64(20..80);
        let instalment = Money::from_pence((owed.pence() / weeks).max(500) / 100 * 100);
        let start = self.start_plan(w, when, PlanKind::Informal, instalment, week.balance)?;
        let call = w.append_action(&NewAction {
            tenancy_id: self.tenancy_id,
            at: when,
            kind: K::Call,
            code: Some("TC"),
            officer: self.officer,
            summary: "Spoke to tenant: plan agreed",
            ext_id: None,
        })?;
        w.append_note(&NewNote {
            tenancy_id: self.tenancy_id,
            at: when,
            officer: self.officer,
            body: &format!(
                "{} Agreed {instalment} a week on top of the rent, paid on {}s from {}.",
                CALL_NOTES[rng.usize(..CALL_NOTES.len())],
                start.format("%A"),
                crate::domain::dates::uk(start)
            ),
            action_id: Some(call),
            amends: None,
        })?;
        Ok(())
    }

    /// A plan whose payments fall on the tenant's payday, from next week; its first payment day.
    fn start_plan(
        &mut self,
        w: &mut Writer<'_>,
        when: NaiveDateTime,
        kind: PlanKind,
        instalment: Money,
        balance: Money,
    ) -> Result<NaiveDate> {
        let start = crate::domain::dates::week_start(when.date()) + Days::new(7 + self.payday);
        let replaces = self.plan.map(|p| p.id);
        let id = w.add_plan(&NewPlan {
            tenancy_id: self.tenancy_id,
            account_id: self.rent_account,
            terms: PlanTerms {
                kind,
                frequency: Frequency::Weekly,
                start,
                instalment,
                lump_sum: Money::ZERO,
                lump_date: None,
                starting_balance: balance,
                method: None,
            },
            replaces,
            reason: if kind == PlanKind::Court {
                "terms of the court order"
            } else {
                "agreed on the phone"
            },
            at: when,
            officer: self.officer,
            ext_id: None,
        })?;
        if let Some(old) = replaces {
            w.plan_event(&NewPlanEvent {
                plan_id: old,
                on_date: when.date(),
                state: PlanState::Replaced,
                expected: None,
                actual: None,
                reason: "a new plan was agreed",
            })?;
        }
        self.plan = Some(Plan {
            id,
            kind,
            start,
            start_balance: balance,
            instalment,
            state: PlanState::Live,
            since: start,
        });
        Ok(start)
    }

    /// The plan's state by the workstation's own breach check, recorded when it changes.
    fn monitor_plan(&mut self, w: &mut Writer<'_>, week: &Week, tolerance_days: u32) -> Result<()> {
        let Some(plan) = self
            .plan
            .as_mut()
            .filter(|p| p.state.is_active() && week.friday >= p.start)
        else {
            return Ok(());
        };
        let basis = PlanBasis {
            arrears: plan.start_balance,
            frequency: Frequency::Weekly,
            start: plan.start,
            lump: None,
            weekly_growth: Money::ZERO,
        };
        let Standing {
            state,
            expected,
            actual,
        } = breach::check(
            &basis,
            plan.instalment,
            week.balance,
            week.friday,
            tolerance_days,
        );
        if state != plan.state {
            plan.state = state;
            plan.since = week.friday;
            w.plan_event(&NewPlanEvent {
                plan_id: plan.id,
                on_date: week.friday,
                state,
                expected: Some(expected),
                actual: Some(actual),
                reason: "",
            })?;
        }
        Ok(())
    }

    /// A listed hearing that has come: the court decides, and the officer records it (mostly).
    fn hold_hearing(&mut self, w: &mut Writer<'_>, rng: &mut Rng, week: &Week) -> Result<()> {
        let Some(hearing) = self.court.hearing.filter(|h| *h <= week.friday) else {
            return Ok(());
        };
        if self.court.order.is_some_and(|o| o.date == Some(hearing)) || rng.u8(..100) < 20 {
            return Ok(());
        }
        let outcome = match rng.u8(..100) {
            0..=54 => CourtOutcome::SuspendedOnTerms,
            55..=69 => CourtOutcome::AdjournedOnTerms,
            70..=77 => CourtOutcome::OutrightForthwith,
            78..=84 => CourtOutcome::OutrightOnDate,
            85..=89 => CourtOutcome::AdjournedGenerally,
            90..=94 => CourtOutcome::Withdrawn,
            _ => CourtOutcome::StruckOut,
        };
        let with_terms = matches!(
            outcome,
            CourtOutcome::SuspendedOnTerms | CourtOutcome::AdjournedOnTerms
        );
        let instalment = Money::pounds(rng.i64(3..16));
        let terms = if with_terms {
            format!("{instalment} a week on top of the rent")
        } else {
            String::new()
        };
        // Recorded with its costs, which are charged to the court costs account.
        let when = self.working(week.friday, 15);
        let record = Record::Court {
            tenancy_id: self.tenancy_id,
            event: CourtEvent {
                outcome: Some(outcome),
                terms: terms.clone(),
                costs: Some(Money::pounds(355)),
                ..CourtEvent::at(CourtEventKind::Outcome, Some(hearing))
            },
            early: String::new(),
        };
        self.record(w, when, &record)?;
        self.latest.push((K::CourtOutcome, when));
        self.court.order = Some(Order {
            outcome,
            date: Some(hearing),
            terms: with_terms,
        });
        if with_terms {
            self.start_plan(
                w,
                at(hearing, 12),
                PlanKind::Court,
                instalment,
                week.balance,
            )?;
        }
        self.note(
            w,
            when,
            &format!(
                "Hearing {}: {}. {terms}",
                crate::domain::dates::uk(hearing),
                outcome.label()
            ),
        )
    }

    /// A phone call about the arrears with a note of what was said (and, as often as not, a
    /// promise to pay by a day next week, which the tenant's payments then keep or break), or
    /// now and then a note of something checked without a call.
    pub fn call(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        friday: NaiveDate,
        owed: Money,
    ) -> Result<()> {
        let when = self.working(friday - Days::new(rng.u64(0..4)), rng.u32(9..17));
        if rng.u8(..100) < 25 {
            return self.note(w, when, GENERAL_NOTES[rng.usize(..GENERAL_NOTES.len())]);
        }
        self.phone(w, rng, when, owed, "")
    }

    /// The call backs asked for that have come by `friday`, each made on its day at the time
    /// asked, with what came of it drawn as for any call (now and then another call back, made in
    /// its turn). Those for `today` or later are left to make: the demo's officer has them to do.
    pub fn make_call_backs(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        friday: NaiveDate,
        today: NaiveDate,
        owed: Money,
    ) -> Result<()> {
        while let Some(asked_for) = self
            .call_back
            .filter(|at| at.date() <= friday && at.date() < today)
        {
            self.phone(w, rng, asked_for, owed, "Called back at the time asked. ")?;
        }
        Ok(())
    }

    /// A call to the tenant at `when`: its outcome, note (after `opening`) and any promise or
    /// call back drawn. A call back still to make is made by it, as the workstation reads a
    /// later call.
    fn phone(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        when: NaiveDateTime,
        owed: Money,
        opening: &str,
    ) -> Result<()> {
        let roll = rng.u8(..100);
        let mut call_back = None;
        let (outcome, note, promises) = match roll {
            0..30 => {
                let voicemail = roll < 20;
                let outcome = if voicemail {
                    ContactOutcome::Voicemail
                } else {
                    ContactOutcome::NoAnswer
                };
                (
                    outcome,
                    CALL_NOTES[if voicemail { 0 } else { 5 }].to_string(),
                    vec![],
                )
            }
            30..65 => {
                // A round amount the tenant says they can find by a day next week.
                let pounds = (owed.pence() / 100 / rng.i64(3..8)).clamp(10, 200) / 5 * 5;
                let promise = series(
                    Money::pounds(pounds),
                    self.promised_day(when.date()),
                    7,
                    1,
                    when.date(),
                );
                let note = format!(
                    "{} Promised {} by {}.",
                    PROMISE_NOTES[rng.usize(..PROMISE_NOTES.len())],
                    promise[0].amount,
                    crate::domain::dates::uk(promise[0].due)
                );
                (ContactOutcome::PromiseToPay, note, promise)
            }
            86..92 => {
                // At work: call back on a working day and at a time the tenant chooses.
                call_back = Some(self.call_back_asked(when.date()));
                // Drawn as for any call the tenant answers, so the rest of the demo stays as it was.
                rng.usize(1..CALL_NOTES.len());
                (
                    ContactOutcome::CallBack,
                    "Tenant at work and cannot talk; asked to be called back.".to_string(),
                    vec![],
                )
            }
            65..92 => (
                ContactOutcome::SpokeToTenant,
                CALL_NOTES[rng.usize(1..CALL_NOTES.len())].to_string(),
                vec![],
            ),
            _ => (ContactOutcome::Dispute, CALL_NOTES[6].to_string(), vec![]),
        };
        let record = Record::Contact(Box::new(Contact {
            tenancy_id: self.tenancy_id,
            kind: K::Call,
            party: "tenant".into(),
            third_party: false,
            consent: false,
            outgoing: Some(true),
            started: Some(when),
            seconds: Some(rng.i64(20..600)),
            outcome,
            call_back,
            checklist: vec![],
            note: format!("{opening}{note}"),
            promises,
        }));
        self.record(w, when, &record)?;
        self.latest.push((K::Call, when));
        self.call_back = call_back;
        Ok(())
    }

    /// Now and then a case is paused for a while (hospital, bereavement, a benefit decision).
    pub fn maybe_pause(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut Rng,
        friday: NaiveDate,
    ) -> Result<()> {
        if rng.u16(..1000) >= 4 || self.paused_until.is_some_and(|u| u >= friday) {
            return Ok(());
        }
        // A third are short snoozes: the officer waits for something promised.
        let snooze = rng.u8(..3) == 0;
        // Until a working day, when the officer will be there to pick it up.
        let until = self.calendar.on_or_after(
            friday
                + Days::new(if snooze {
                    rng.u64(3..15)
                } else {
                    rng.u64(14..70)
                }),
        );
        let reason = PAUSE_REASONS[rng.usize(..PAUSE_REASONS.len())];
        let record = Record::Pause {
            tenancy_id: self.tenancy_id,
            kind: if snooze {
                PauseKind::Snooze
            } else {
                PauseKind::Pause
            },
            until,
            reason: reason.to_string(),
            comment: String::new(),
        };
        let when = self.working(friday, 11);
        self.record(w, when, &record)?;
        if !snooze {
            self.paused_until = Some(until);
        }
        Ok(())
    }
}

impl Case<'_> {
    /// `hour` o'clock on `day`, or on the last working day before it if `day` is a weekend or a
    /// bank holiday: the officer did it then.
    fn working(&self, day: NaiveDate, hour: u32) -> NaiveDateTime {
        at(self.calendar.on_or_before(day), hour)
    }

    /// The day next week a tenant called on `called` promises to pay by: their payday, or (one
    /// time in four) another working day, when other money comes in. Not a bank holiday.
    fn promised_day(&mut self, called: NaiveDate) -> NaiveDate {
        let day = if self.own_days.u8(..4) == 0 {
            self.own_days.u64(..5)
        } else {
            self.payday
        };
        let next_week = crate::domain::dates::week_start(called) + Days::new(7);
        self.calendar.on_or_after(next_week + Days::new(day))
    }

    /// The call back a tenant at work asks for on `called`: one, two or three working days on,
    /// at a time that suits them.
    fn call_back_asked(&mut self, called: NaiveDate) -> NaiveDateTime {
        const TIMES: [(u32, u32); 6] = [(9, 30), (12, 30), (13, 0), (14, 30), (16, 0), (16, 30)];
        let day = self
            .calendar
            .add_working_days(called, self.own_days.u32(1..4));
        let (hour, minute) = TIMES[self.own_days.usize(..TIMES.len())];
        day.and_hms_opt(hour, minute, 0)
            .expect("a time of the working day")
    }
}

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0)
        .expect("an hour of the working day")
}
