//! `PlanDraft`: the plan editor's model, driven key by key while the tenant is on the phone.
//!
//! The editor pane keeps one `PlanDraft` and calls a setter with the *whole text* of a field after
//! every key (`set_instalment("15")`, `set_instalment("15.")`, ...). Each setter keeps exactly what
//! was typed, re-solves the plan and updates the fields it drives:
//!
//! - editing the **instalment** recomputes the **end date** (the last instalment's date);
//! - editing the **end date** recomputes the **instalment** (the smallest that meets it);
//! - editing the **lump sum**, its date, the first instalment date, the frequency or the growth
//!   re-solves from whichever of instalment and end date the officer set last, so that one stays
//!   as typed and the other follows.
//!
//! A field that cannot be read, or a plan that cannot work, leaves the typed text alone and puts
//! the reason on the field ([`PlanDraft::error`]); the field the solver would fill is then blank.
//! [`PlanDraft::summary`] is the live line (total due each period = rent for that period +
//! instalment, number of instalments, last instalment, clear-by date);
//! [`PlanDraft::schedule`] is the preview, marking Direct Debit dates that fall on a weekend or
//! bank holiday; [`PlanDraft::affordability`] compares with the latest assessment's surplus; and
//! [`PlanDraft::ready`] gives what the store's `save_plan_version` needs once the officer confirms.
//! Nothing here saves anything.

use super::Money;
use super::affordability::Affordability;
use super::calendar::{Calendar, DayOff};
use super::dates::{self, RentYear};
use super::dd::Equivalents;
use super::ledger::PaymentMethod;
use super::plan::{Frequency, PlanKind, PlanTerms};
use super::plan_schedule::{Lump, Plan, PlanBasis, PlanError, ScheduleItem};
use chrono::NaiveDate;

/// The account the plan is for, as it stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DraftContext {
    /// The balance now: what the plan must clear.
    pub arrears: Money,
    pub weekly_charge: Money,
    pub today: NaiveDate,
}

/// The typed fields of the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Start,
    Instalment,
    EndDate,
    LumpSum,
    LumpDate,
    WeeklyGrowth,
    Reason,
}

/// The live figures under the editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub instalment: Money,
    pub frequency: Frequency,
    /// The rent for one period of the plan (none for a one-off payment).
    pub charge_per_period: Option<Money>,
    /// Rent + instalment: what the tenant pays each period.
    pub total_per_period: Option<Money>,
    pub count: u32,
    pub last: Money,
    pub last_due: NaiveDate,
    /// The last instalment or the lump sum, whichever is later.
    pub clear_by: NaiveDate,
}

/// A row of the schedule preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewRow {
    pub item: ScheduleItem,
    /// For a Direct Debit, why the bank will not collect on this date (it collects on the next
    /// working day).
    pub day_off: Option<DayOff>,
}

/// A confirmed draft: everything a plan version needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadyPlan {
    pub kind: PlanKind,
    pub method: Option<PaymentMethod>,
    pub court_order: Option<i64>,
    pub reason: String,
    /// The solved plan: its basis holds the starting balance, frequency, start, lump sum and
    /// growth; `instalment` is the agreed instalment.
    pub plan: Plan,
}

impl ReadyPlan {
    /// Its terms, as a plan version keeps them.
    pub fn plan_terms(&self) -> PlanTerms {
        let basis = &self.plan.basis;
        let lump = basis.active_lump();
        PlanTerms {
            kind: self.kind,
            frequency: basis.frequency,
            start: basis.start,
            instalment: self.plan.instalment,
            lump_sum: lump.map_or(Money::ZERO, |l| l.amount),
            lump_date: lump.map(|l| l.date),
            starting_balance: basis.arrears,
            method: self.method,
        }
    }

    /// Its terms in a line: "informal plan, £15.00 a week from 27/11/2026, 67 instalments (the
    /// last £10.00), clears by 03/03/2028".
    pub fn terms(&self) -> String {
        let p = &self.plan;
        let b = &p.basis;
        let lump = b.active_lump().map_or(String::new(), |l| {
            format!(", lump sum {} on {}", l.amount, dates::uk(l.date))
        });
        let method = self
            .method
            .map_or(String::new(), |m| format!(" by {}", m.label()));
        let count = match p.count {
            1 => "one payment".to_string(),
            n => format!("{n} instalments (the last {})", p.last),
        };
        format!(
            "{} plan, {} {} from {}{method}{lump}, {count}, clears by {}",
            self.kind.label().to_lowercase(),
            p.instalment,
            b.frequency.per(),
            dates::uk(b.start),
            dates::uk(p.clear_by())
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Driver {
    Instalment,
    EndDate,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Input {
    text: String,
    error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDraft {
    context: DraftContext,
    calendar: Calendar,
    kind: PlanKind,
    frequency: Frequency,
    method: Option<PaymentMethod>,
    court_order: Option<i64>,
    start: Input,
    instalment: Input,
    end_date: Input,
    lump_sum: Input,
    lump_date: Input,
    weekly_growth: Input,
    reason: Input,
    driver: Driver,
    solved: Result<Plan, String>,
}

const NOT_YET: &str = "enter an instalment or an end date";

impl PlanDraft {
    /// A new informal weekly plan from today, nothing typed yet. `calendar` marks the weekends
    /// and bank holidays of Direct Debit dates.
    pub fn new(context: DraftContext, calendar: Calendar) -> PlanDraft {
        PlanDraft {
            context,
            calendar,
            kind: PlanKind::Informal,
            frequency: Frequency::Weekly,
            method: None,
            court_order: None,
            start: Input {
                text: dates::uk(context.today),
                error: None,
            },
            instalment: Input::default(),
            end_date: Input::default(),
            lump_sum: Input::default(),
            lump_date: Input::default(),
            weekly_growth: Input::default(),
            reason: Input::default(),
            driver: Driver::Instalment,
            solved: Err(NOT_YET.to_string()),
        }
    }

    pub fn set_instalment(&mut self, text: &str) {
        self.instalment.text = text.to_string();
        self.driver = Driver::Instalment;
        self.resolve();
    }

    pub fn set_end_date(&mut self, text: &str) {
        self.end_date.text = text.to_string();
        self.driver = Driver::EndDate;
        self.resolve();
    }

    pub fn set_lump_sum(&mut self, text: &str) {
        self.lump_sum.text = text.to_string();
        self.resolve();
    }

    pub fn set_lump_date(&mut self, text: &str) {
        self.lump_date.text = text.to_string();
        self.resolve();
    }

    pub fn set_start(&mut self, text: &str) {
        self.start.text = text.to_string();
        self.resolve();
    }

    /// How much the debt grows each week while the plan runs (blank for none).
    pub fn set_weekly_growth(&mut self, text: &str) {
        self.weekly_growth.text = text.to_string();
        self.resolve();
    }

    pub fn set_frequency(&mut self, frequency: Frequency) {
        self.frequency = frequency;
        self.resolve();
    }

    /// Changing the balance (a payment arrived mid-call) re-solves too.
    pub fn set_context(&mut self, context: DraftContext) {
        self.context = context;
        self.resolve();
    }

    pub fn set_kind(&mut self, kind: PlanKind) {
        self.kind = kind;
    }

    pub fn set_method(&mut self, method: Option<PaymentMethod>) {
        self.method = method;
    }

    /// The court order (outcome) a court plan carries out.
    pub fn set_court_order(&mut self, court_order: Option<i64>) {
        self.court_order = court_order;
    }

    /// Why the plan is made or changed.
    pub fn set_reason(&mut self, text: &str) {
        self.reason.text = text.to_string();
        self.reason.error = None;
    }

    pub fn kind(&self) -> PlanKind {
        self.kind
    }

    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    pub fn method(&self) -> Option<PaymentMethod> {
        self.method
    }

    pub fn court_order(&self) -> Option<i64> {
        self.court_order
    }

    /// What the field holds, exactly as typed (or as solved, for the driven field).
    pub fn text(&self, field: Field) -> &str {
        &self.input(field).text
    }

    /// The date a date field's text stands for ("2w", "friday", "27/11"), to show beside it.
    pub fn date(&self, field: Field) -> Option<NaiveDate> {
        matches!(field, Field::Start | Field::EndDate | Field::LumpDate)
            .then(|| dates::parse_when(&self.input(field).text, self.context.today).ok())
            .flatten()
    }

    /// Why the field cannot be used, in words for the officer.
    pub fn error(&self, field: Field) -> Option<&str> {
        self.input(field).error.as_deref()
    }

    /// The live figures, or why there are none yet.
    pub fn summary(&self) -> Result<Summary, &str> {
        let plan = self.solved.as_ref().map_err(String::as_str)?;
        let year = RentYear::containing(plan.basis.start);
        let charge_per_period =
            Equivalents::of(self.context.weekly_charge, year, 0).per(self.frequency);
        Ok(Summary {
            instalment: plan.instalment,
            frequency: self.frequency,
            charge_per_period,
            total_per_period: charge_per_period.map(|c| c + plan.instalment),
            count: plan.count,
            last: plan.last,
            last_due: plan.last_due(),
            clear_by: plan.clear_by(),
        })
    }

    /// Every due date with its amount and the balance expected after it.
    pub fn schedule(&self) -> Vec<PreviewRow> {
        let Ok(plan) = &self.solved else {
            return Vec::new();
        };
        let direct_debit = self.method == Some(PaymentMethod::DirectDebit);
        plan.schedule()
            .into_iter()
            .map(|item| PreviewRow {
                day_off: direct_debit
                    .then(|| self.calendar.day_off(item.date))
                    .flatten(),
                item,
            })
            .collect()
    }

    /// The instalment against what the tenant's latest assessment leaves for this plan (monthly).
    pub fn affordability(&self, available: Money) -> Option<Affordability> {
        let plan = self.solved.as_ref().ok()?;
        Some(Affordability::new(
            plan.instalment,
            self.frequency,
            available,
        ))
    }

    /// The plan to save once the officer confirms, or the first reason it cannot be saved (that
    /// reason is also put on the reason field when it is missing).
    pub fn ready(&mut self) -> Result<ReadyPlan, String> {
        let plan = self.solved.clone()?;
        if self.kind == PlanKind::Court && self.court_order.is_none() {
            return Err("choose the court order this court plan carries out".into());
        }
        if self.reason.text.trim().is_empty() {
            let why = "say why this plan is being made (e.g. agreed on the phone)".to_string();
            self.reason.error = Some(why.clone());
            return Err(why);
        }
        Ok(ReadyPlan {
            kind: self.kind,
            method: self.method,
            court_order: self.court_order,
            reason: self.reason.text.trim().to_string(),
            plan,
        })
    }

    fn input(&self, field: Field) -> &Input {
        match field {
            Field::Start => &self.start,
            Field::Instalment => &self.instalment,
            Field::EndDate => &self.end_date,
            Field::LumpSum => &self.lump_sum,
            Field::LumpDate => &self.lump_date,
            Field::WeeklyGrowth => &self.weekly_growth,
            Field::Reason => &self.reason,
        }
    }

    fn input_mut(&mut self, field: Field) -> &mut Input {
        match field {
            Field::Start => &mut self.start,
            Field::Instalment => &mut self.instalment,
            Field::EndDate => &mut self.end_date,
            Field::LumpSum => &mut self.lump_sum,
            Field::LumpDate => &mut self.lump_date,
            Field::WeeklyGrowth => &mut self.weekly_growth,
            Field::Reason => &mut self.reason,
        }
    }

    /// Reads every field, solves from the driving one and fills the driven one.
    fn resolve(&mut self) {
        for field in [
            Field::Start,
            Field::Instalment,
            Field::EndDate,
            Field::LumpSum,
            Field::LumpDate,
            Field::WeeklyGrowth,
        ] {
            self.input_mut(field).error = None;
        }
        let (driving, driven) = match self.driver {
            Driver::Instalment => (Field::Instalment, Field::EndDate),
            Driver::EndDate => (Field::EndDate, Field::Instalment),
        };
        self.solved = self.solve(driving);
        let derived = match &self.solved {
            Ok(plan) => match self.driver {
                Driver::Instalment => dates::uk(plan.last_due()),
                Driver::EndDate => plan.instalment.plain(),
            },
            Err(_) => String::new(),
        };
        self.input_mut(driven).text = derived;
    }

    /// Solves the plan; on failure the reason is also put on the field it belongs to.
    fn solve(&mut self, driving: Field) -> Result<Plan, String> {
        let basis = self.basis()?;
        let text = self.input(driving).text.trim().to_string();
        if text.is_empty() {
            return Err(NOT_YET.to_string());
        }
        let solved = match driving {
            Field::EndDate => {
                let end =
                    self.field(Field::EndDate, dates::parse_when(&text, self.context.today))?;
                basis.solve_end_date(end)
            }
            _ => {
                let instalment = self.field(Field::Instalment, Money::parse(&text))?;
                basis.solve_instalment(instalment)
            }
        };
        solved.map_err(|e| {
            let message = e.to_string();
            self.input_mut(field_of(&e, driving)).error = Some(message.clone());
            message
        })
    }

    fn basis(&mut self) -> Result<PlanBasis, String> {
        let start = self.field(
            Field::Start,
            dates::parse_when(&self.start.text, self.context.today),
        )?;
        let lump_sum = self.optional_money(Field::LumpSum)?;
        let lump = match lump_sum.filter(|m| !m.is_zero()) {
            None => None,
            Some(amount) => {
                let text = self.lump_date.text.clone();
                if text.trim().is_empty() {
                    return Err(self.fail(
                        Field::LumpDate,
                        "enter the date the lump sum will be paid".into(),
                    ));
                }
                let date = self.field(
                    Field::LumpDate,
                    dates::parse_when(&text, self.context.today),
                )?;
                Some(Lump { amount, date })
            }
        };
        let weekly_growth = self
            .optional_money(Field::WeeklyGrowth)?
            .unwrap_or(Money::ZERO);
        Ok(PlanBasis {
            arrears: self.context.arrears,
            frequency: self.frequency,
            start,
            lump,
            weekly_growth,
        })
    }

    /// A money field that may be left blank.
    fn optional_money(&mut self, field: Field) -> Result<Option<Money>, String> {
        let text = self.input(field).text.trim().to_string();
        if text.is_empty() {
            return Ok(None);
        }
        self.field(field, Money::parse(&text)).map(Some)
    }

    /// A parsed field, or its error put on the field.
    fn field<T, E: ToString>(&mut self, field: Field, parsed: Result<T, E>) -> Result<T, String> {
        parsed.map_err(|e| self.fail(field, e.to_string()))
    }

    fn fail(&mut self, field: Field, message: String) -> String {
        self.input_mut(field).error = Some(message.clone());
        message
    }
}

/// The field a solver's refusal belongs to.
fn field_of(error: &PlanError, driving: Field) -> Field {
    match error {
        PlanError::NegativeLump(_) | PlanError::LumpClearsAll { .. } => Field::LumpSum,
        PlanError::LumpAfterEnd { .. } => Field::LumpDate,
        PlanError::NegativeGrowth(_) => Field::WeeklyGrowth,
        PlanError::EndBeforeStart { .. } | PlanError::OneOffEndDate => Field::EndDate,
        _ => driving,
    }
}

#[cfg(test)]
mod tests;
