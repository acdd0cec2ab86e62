//! The plan editor: agreeing or adjusting a payment plan while the tenant is on the phone.
//!
//! It opens on the selected account, filled in from its active plan (so adjusting a plan is
//! editing it) or from the arrears alone. Every key goes through [`PlanDraft`], which solves the
//! plan again: the instalment gives the end date, the end date the instalment, a lump sum moves
//! whichever was not typed last. A field that cannot be used says why beside itself. Saving first
//! shows what will be saved, and only a second Enter writes it. Esc parks the editor with
//! everything typed; `p` on the same account brings it back.

use super::action::{Command as C, LineEdit};
use super::assessment;
use super::effects::Effect;
use super::input::LineInput;
use super::layout;
use super::state::{Message, Mode, Overlay, Settings, State};
use crate::domain::Money;
use crate::domain::affordability::Affordability;
use crate::domain::dates;
use crate::domain::dd::{self, DdInput, DdResult};
use crate::domain::ledger::PaymentMethod;
use crate::domain::plan::{self, ActivePlan, Frequency, PlanKind};
use crate::domain::plan_draft::{DraftContext, Field, PlanDraft, ReadyPlan};
use crate::domain::record::Record;
use crate::domain::recovery::CourtEventKind;
use crate::domain::tenancy::{self, DebtType, Tenant};
use crate::store::AccountDetail;
use chrono::{Days, NaiveDate};

/// The editor's lines, in the order Tab moves through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Kind,
    /// Only for a court plan.
    CourtOrder,
    Frequency,
    Start,
    Instalment,
    EndDate,
    LumpSum,
    LumpDate,
    Method,
    Reason,
}

impl Slot {
    const ALL: [Slot; 10] = [
        Slot::Kind,
        Slot::CourtOrder,
        Slot::Frequency,
        Slot::Start,
        Slot::Instalment,
        Slot::EndDate,
        Slot::LumpSum,
        Slot::LumpDate,
        Slot::Method,
        Slot::Reason,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Slot::Kind => "Kind",
            Slot::CourtOrder => "Court order",
            Slot::Frequency => "Frequency",
            Slot::Start => "First due",
            Slot::Instalment => "Instalment",
            Slot::EndDate => "End date",
            Slot::LumpSum => "Lump sum",
            Slot::LumpDate => "Lump sum on",
            Slot::Method => "Paid by",
            Slot::Reason => "Why",
        }
    }

    /// The draft's field behind a typed line; `None` for a choice.
    pub fn field(self) -> Option<Field> {
        Some(match self {
            Slot::Start => Field::Start,
            Slot::Instalment => Field::Instalment,
            Slot::EndDate => Field::EndDate,
            Slot::LumpSum => Field::LumpSum,
            Slot::LumpDate => Field::LumpDate,
            Slot::Reason => Field::Reason,
            Slot::Kind | Slot::CourtOrder | Slot::Frequency | Slot::Method => return None,
        })
    }
}

/// A court outcome a court plan can carry out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourtOrder {
    pub id: i64,
    /// "Suspended on terms (12/10/2026)"
    pub label: String,
}

#[derive(Clone, Debug)]
pub struct PlanEditor {
    pub tenancy_id: i64,
    account_id: i64,
    /// Whose plan it is: "100004/1 Erin Smithson".
    pub who: String,
    pub context: DraftContext,
    pub draft: PlanDraft,
    pub slot: Slot,
    /// The current line's text and cursor, when it is typed.
    pub input: LineInput,
    pub court_orders: Vec<CourtOrder>,
    court_order: usize,
    /// The active plan a new version replaces.
    pub active: Option<ActivePlan>,
    /// What the latest I&E leaves each month for this plan, and the date it was taken.
    pub available: Option<(Money, NaiveDate)>,
    /// The plan about to be saved, shown for the officer to confirm.
    pub confirm: Option<ReadyPlan>,
    /// First schedule row shown.
    pub schedule_top: usize,
    /// The Direct Debit calculation, while it is shown.
    pub direct_debit: Option<Result<DdResult, String>>,
    /// Of the instalment and the end date, the one typed last (the other follows it).
    last_typed: Field,
    saving: bool,
}

/// The ways a plan can be paid, "not set" first.
fn methods() -> Vec<Option<PaymentMethod>> {
    std::iter::once(None)
        .chain(PaymentMethod::ALL.iter().copied().map(Some))
        .collect()
}

fn method_label(method: Option<PaymentMethod>) -> &'static str {
    method.map_or("not set", PaymentMethod::label)
}

/// ← and → step through `options`; a typed letter jumps to the next option starting with it.
fn cycle<T: Copy + PartialEq>(
    options: &[T],
    current: T,
    edit: LineEdit,
    label: impl Fn(T) -> String,
) -> T {
    let n = options.len();
    let i = options.iter().position(|o| *o == current).unwrap_or(0);
    let step = |k: usize| options[(i + k) % n];
    match edit {
        _ if n == 0 => current,
        LineEdit::Right => step(1),
        LineEdit::Left => step(n - 1),
        LineEdit::Insert(c) => (1..=n)
            .map(step)
            .find(|o| {
                label(*o)
                    .to_lowercase()
                    .starts_with(&c.to_lowercase().to_string())
            })
            .unwrap_or(current),
        _ => current,
    }
}

/// Who a tenancy is, for a title: reference and names.
pub fn who(detail: &AccountDetail) -> String {
    let r = &detail.record;
    format!(
        "{} {}",
        r.details.reference,
        tenancy::names(r.tenants.iter().map(Tenant::name_pair))
    )
}

impl PlanEditor {
    /// A new editor for an account: from its active plan if it has one, else from its arrears.
    pub fn open(detail: &AccountDetail, settings: &Settings) -> Result<PlanEditor, String> {
        let r = &detail.record;
        let account = r
            .accounts
            .iter()
            .find(|a| a.debt_type == DebtType::Rent)
            .or_else(|| r.accounts.iter().max_by_key(|a| a.summary.balance))
            .ok_or("This tenancy has no account to make a plan for.")?;
        let context = DraftContext {
            arrears: account.summary.balance,
            weekly_charge: r.details.weekly_charge,
            today: settings.today,
        };
        let mut editor = PlanEditor {
            tenancy_id: r.tenancy_id,
            account_id: account.id,
            who: who(detail),
            context,
            draft: PlanDraft::new(context, settings.calendar.clone()),
            slot: Slot::Kind,
            input: LineInput::default(),
            court_orders: Vec::new(),
            court_order: 0,
            active: None,
            available: None,
            confirm: None,
            schedule_top: 0,
            direct_debit: None,
            last_typed: Field::Instalment,
            saving: false,
        };
        editor.sync(detail, settings);
        if let Some(p) = detail.plan.as_ref().filter(|p| p.state.is_active()) {
            let d = &mut editor.draft;
            d.set_kind(p.terms.kind);
            d.set_frequency(p.terms.frequency);
            d.set_method(p.terms.method);
            // The new version runs from the old one's next due date, on what is owed now.
            let yesterday = settings.today - Days::new(1);
            let next = p.terms.frequency.due_date(
                p.terms.start,
                p.terms.frequency.dues_by(p.terms.start, yesterday),
            );
            d.set_start(&dates::uk(next.max(settings.today)));
            if let Some(date) = p.terms.lump_date.filter(|date| *date >= settings.today) {
                d.set_lump_sum(&p.terms.lump_sum.plain());
                d.set_lump_date(&dates::uk(date));
            }
            d.set_instalment(&p.terms.instalment.plain());
            if p.terms.kind == PlanKind::Court {
                let order = editor
                    .court_orders
                    .iter()
                    .position(|o| Some(o.id) == p.court_order);
                editor.choose_court_order(order.unwrap_or(0));
            }
        }
        editor.go(Slot::Kind);
        Ok(editor)
    }

    /// Takes in the account as it is now (a payment arrived, an I&E was saved).
    pub fn sync(&mut self, detail: &AccountDetail, settings: &Settings) {
        let balance = detail
            .record
            .accounts
            .iter()
            .find(|a| a.id == self.account_id)
            .map_or(self.context.arrears, |a| a.summary.balance);
        if balance != self.context.arrears {
            self.context.arrears = balance;
            self.draft.set_context(self.context);
            self.confirm = None;
            self.refresh_input();
        }
        self.active = detail
            .plan
            .as_ref()
            .filter(|p| p.state.is_active())
            .map(|p| ActivePlan {
                id: p.id,
                kind: p.terms.kind,
                agreed_on: p.at.date(),
            });
        self.available = detail
            .assessment
            .as_ref()
            .map(|a| (a.statement.totals().available_for_plan, a.assessed_on));
        let chosen = self.court_orders.get(self.court_order).map(|o| o.id);
        self.court_orders = detail
            .court
            .iter()
            .filter(|e| e.event.kind == CourtEventKind::Outcome)
            .map(|e| CourtOrder {
                id: e.id,
                label: format!(
                    "{} ({})",
                    e.event.outcome.map_or("Court order", |o| o.label()),
                    e.event.on_date.map_or("no date".into(), dates::uk)
                ),
            })
            .collect();
        let again = self.court_orders.iter().position(|o| Some(o.id) == chosen);
        self.choose_court_order(again.unwrap_or(0));
        if self.direct_debit.is_some() {
            self.direct_debit = Some(self.calculate_direct_debit(settings));
        }
    }

    /// The lines shown: the court order only for a court plan.
    pub fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        Slot::ALL
            .into_iter()
            .filter(|s| *s != Slot::CourtOrder || self.draft.kind() == PlanKind::Court)
    }

    /// What a line holds, as shown.
    pub fn text(&self, slot: Slot) -> String {
        match slot.field() {
            Some(field) => self.draft.text(field).to_string(),
            None => match slot {
                Slot::Kind => self.draft.kind().label().to_string(),
                Slot::CourtOrder => self
                    .court_orders
                    .get(self.court_order)
                    .map_or_else(String::new, |o| o.label.clone()),
                Slot::Frequency => self.draft.frequency().label().to_string(),
                _ => method_label(self.draft.method()).to_string(),
            },
        }
    }

    /// The date a date line stands for, shown beside it: "Fri 04/12/2026" for "friday" or "2w",
    /// just the day ("Fri") when the line already reads 04/12/2026; nothing on a worked-out line.
    pub fn resolved(&self, slot: Slot) -> Option<String> {
        let field = slot.field().filter(|_| !self.is_worked_out(slot))?;
        let date = self.draft.date(field)?;
        Some(if self.draft.text(field).trim() == dates::uk(date) {
            date.format("%a").to_string()
        } else {
            dates::uk_day(date)
        })
    }

    /// Why a line cannot be used, in words for the officer.
    pub fn error(&self, slot: Slot) -> Option<String> {
        match slot {
            Slot::Kind => self.replaces().err(),
            Slot::CourtOrder if self.court_orders.is_empty() => {
                Some("no court outcome is recorded: record the order first (r, then o)".to_string())
            }
            _ => slot
                .field()
                .and_then(|f| self.draft.error(f))
                .map(str::to_string),
        }
    }

    /// The line the solver fills from the other: the end date, or the instalment when the end
    /// date was typed last.
    pub fn is_worked_out(&self, slot: Slot) -> bool {
        let driven = match self.last_typed {
            Field::EndDate => Slot::Instalment,
            _ => Slot::EndDate,
        };
        slot == driven && self.draft.summary().is_ok()
    }

    /// The active plan this one would replace, or why it cannot be made.
    pub fn replaces(&self) -> Result<Option<ActivePlan>, String> {
        let active: Vec<ActivePlan> = self.active.into_iter().collect();
        plan::replaced_by(self.draft.kind(), &active)
            .map(|_| self.active)
            .map_err(|e| e.to_string())
    }

    /// The instalment against what the latest I&E leaves for it.
    pub fn affordability(&self) -> Option<Affordability> {
        self.available
            .and_then(|(available, _)| self.draft.affordability(available))
    }

    fn go(&mut self, slot: Slot) {
        self.slot = slot;
        self.refresh_input();
        // Arriving on a filled line: typing replaces it, an arrow keeps and edits it.
        self.input.select_all();
    }

    fn refresh_input(&mut self) {
        self.input = self.slot.field().map_or_else(LineInput::default, |f| {
            LineInput::with_text(self.draft.text(f))
        });
    }

    fn step(&mut self, forward: bool) {
        let slots: Vec<Slot> = self.slots().collect();
        let i = slots.iter().position(|s| *s == self.slot).unwrap_or(0);
        let next = if forward {
            (i + 1).min(slots.len() - 1)
        } else {
            i.saturating_sub(1)
        };
        self.go(slots[next]);
    }

    fn on_last(&self) -> bool {
        self.slots().last() == Some(self.slot)
    }

    fn choose_court_order(&mut self, index: usize) {
        self.court_order = index;
        let id = (self.draft.kind() == PlanKind::Court)
            .then(|| self.court_orders.get(index).map(|o| o.id))
            .flatten();
        self.draft.set_court_order(id);
    }

    /// Edits the current line: typing into a typed line, choosing in a choice.
    pub fn edit(&mut self, edit: LineEdit) {
        self.confirm = None;
        let Some(field) = self.slot.field() else {
            return self.choose(edit);
        };
        self.input.apply(edit);
        let text = self.input.text();
        let d = &mut self.draft;
        match field {
            Field::Start => d.set_start(text),
            Field::Instalment => d.set_instalment(text),
            Field::EndDate => d.set_end_date(text),
            Field::LumpSum => d.set_lump_sum(text),
            Field::LumpDate => d.set_lump_date(text),
            Field::WeeklyGrowth => d.set_weekly_growth(text),
            Field::Reason => d.set_reason(text),
        }
        if matches!(field, Field::Instalment | Field::EndDate) {
            self.last_typed = field;
        }
    }

    fn choose(&mut self, edit: LineEdit) {
        match self.slot {
            Slot::Kind => {
                let kind = cycle(PlanKind::ALL, self.draft.kind(), edit, |k| {
                    k.label().to_string()
                });
                self.draft.set_kind(kind);
                self.choose_court_order(self.court_order);
            }
            Slot::CourtOrder => {
                let indices: Vec<usize> = (0..self.court_orders.len()).collect();
                let orders = &self.court_orders;
                let i = cycle(&indices, self.court_order, edit, |i| {
                    orders[i].label.clone()
                });
                self.choose_court_order(i);
            }
            Slot::Frequency => {
                let frequency = cycle(Frequency::ALL, self.draft.frequency(), edit, |f| {
                    f.label().to_string()
                });
                self.draft.set_frequency(frequency);
            }
            _ => {
                let method = cycle(&methods(), self.draft.method(), edit, |m| {
                    method_label(m).to_string()
                });
                self.draft.set_method(method);
            }
        }
    }

    /// Checks the plan and shows it for confirming; on a problem, goes to the line it is on.
    fn ask_to_save(&mut self) -> Result<(), String> {
        let ready = self.replaces().and_then(|_| self.draft.ready());
        match ready {
            Ok(plan) => {
                self.confirm = Some(plan);
                Ok(())
            }
            Err(why) => {
                let at_fault = self.slots().find(|s| self.error(*s).is_some()).unwrap_or(
                    match self.draft.kind() {
                        PlanKind::Court if self.draft.court_order().is_none() => Slot::CourtOrder,
                        _ => Slot::Instalment,
                    },
                );
                self.go(at_fault);
                Err(why)
            }
        }
    }

    /// For a plan paid by Direct Debit, what the bank would meet on its dates (too little notice,
    /// a day it does not collect on), in words; empty otherwise.
    pub fn direct_debit_concerns(&self, settings: &Settings) -> Vec<String> {
        let start = self.draft.date(Field::Start);
        match start.filter(|_| self.draft.method() == Some(PaymentMethod::DirectDebit)) {
            Some(start) => dd::collection_concerns(
                start,
                self.draft.frequency(),
                settings.today,
                &settings.plans.dd_collection_days,
                settings.plans.dd_notice_working_days.0,
                &settings.calendar,
            ),
            None => Vec::new(),
        }
    }

    fn calculate_direct_debit(&self, settings: &Settings) -> Result<DdResult, String> {
        let input = DdInput {
            weekly_rent: self.context.weekly_charge,
            weekly_hb: Money::ZERO,
            balance: self.context.arrears,
            today: settings.today,
            rent_free_weeks: 0,
            collection_days: settings.plans.dd_collection_days.clone(),
            notice_working_days: settings.plans.dd_notice_working_days.0,
        };
        dd::calculate(&input, &settings.calendar).map_err(|e| e.to_string())
    }

    /// Moves the schedule by `delta` rows.
    fn scroll(&mut self, delta: isize) {
        let rows = self.draft.schedule().len();
        self.schedule_top = self
            .schedule_top
            .saturating_add_signed(delta)
            .min(rows.saturating_sub(1));
    }
}

/// Editors and forms closed unsaved, at most one per account, until they are opened again.
#[derive(Clone, Debug)]
struct Parked<T>(Vec<T>);

impl<T> Default for Parked<T> {
    fn default() -> Self {
        Parked(Vec::new())
    }
}

impl<T> Parked<T> {
    fn put(&mut self, item: T, tenancy_id: impl Fn(&T) -> i64) {
        let id = tenancy_id(&item);
        self.0.retain(|p| tenancy_id(p) != id);
        self.0.push(item);
    }

    fn take(&mut self, id: i64, tenancy_id: impl Fn(&T) -> i64) -> Option<T> {
        let i = self.0.iter().position(|p| tenancy_id(p) == id)?;
        Some(self.0.remove(i))
    }
}

/// The plan editor and the I&E form: the one open, and those parked with Esc.
#[derive(Clone, Debug, Default)]
pub struct Planning {
    pub editor: Option<PlanEditor>,
    pub assessment: Option<assessment::AssessmentForm>,
    parked_editors: Parked<PlanEditor>,
    parked_assessments: Parked<assessment::AssessmentForm>,
    /// The account a plan or I&E was just saved for: it stays selected when the queue is ranked
    /// again, though a new plan may take it out of its tab (the tenant is still on the phone).
    stay_on: Option<i64>,
}

/// What is open in place of the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workspace {
    Plan,
    Assessment,
}

impl State {
    /// The plan editor or the I&E form when one is in use (its help over it included).
    pub fn workspace(&self) -> Option<Workspace> {
        match self.mode {
            Mode::Plan => Some(Workspace::Plan),
            Mode::Assessment => Some(Workspace::Assessment),
            _ => None,
        }
    }

    /// The selected account's active plan.
    pub fn live_plan(&self) -> Option<i64> {
        let plan = self.current_account()?.plan.as_ref()?;
        plan.state.is_active().then_some(plan.id)
    }
}

/// `p`: opens the editor on the selected account, bringing back one parked for it.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.opened_account(Message::Info) else {
        return vec![];
    };
    let parked = state.planning.parked_editors.take(id, |e| e.tenancy_id);
    let Some(detail) = state.current_account() else {
        return vec![];
    };
    let editor = match parked {
        Some(mut editor) => {
            editor.sync(detail, &state.settings);
            Ok(editor)
        }
        None => PlanEditor::open(detail, &state.settings),
    };
    match editor {
        Ok(editor) => {
            state.planning.editor = Some(editor);
            state.mode = Mode::Plan;
        }
        Err(why) => state.message = Some(Message::Error(why)),
    }
    vec![]
}

/// A key in the plan editor.
pub fn command(state: &mut State, command: C) -> Vec<Effect> {
    let Some(editor) = state.planning.editor.as_mut() else {
        state.mode = Mode::Normal;
        return vec![];
    };
    if let Some(plan) = editor.confirm.clone() {
        match command {
            C::Accept | C::Save => {
                editor.saving = true;
                let flagged = editor.affordability().filter(Affordability::is_flagged);
                return vec![Effect::Save(Record::PlanVersion {
                    tenancy_id: editor.tenancy_id,
                    account_id: editor.account_id,
                    plan: Box::new(plan),
                    flagged,
                })];
            }
            C::Back => {
                editor.confirm = None;
                return vec![];
            }
            _ => editor.confirm = None,
        }
    }
    match command {
        C::NextField => editor.step(true),
        C::PrevField => editor.step(false),
        C::Accept if !editor.on_last() => editor.step(true),
        C::Accept | C::Save => {
            if let Err(why) = editor.ask_to_save() {
                state.message = Some(Message::Error(format!("Not ready to save: {why}.")));
            }
        }
        C::PageDown => editor.scroll(10),
        C::PageUp => editor.scroll(-10),
        C::DirectDebit => {
            editor.direct_debit = match editor.direct_debit {
                Some(_) => None,
                None => Some(editor.calculate_direct_debit(&state.settings)),
            };
        }
        C::IncomeExpenditure => return assessment::open(state),
        C::Back => {
            if let Some(editor) = state.planning.editor.take() {
                state.planning.parked_editors.put(editor, |e| e.tenancy_id);
            }
            state.mode = Mode::Normal;
            state.message = Some(Message::Info(
                "Plan not saved. Press p on this account to carry on where you left off.".into(),
            ));
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// Typing in the plan editor or the I&E form.
pub fn edit(state: &mut State, edit: LineEdit) -> Vec<Effect> {
    let p = &mut state.planning;
    match (state.mode, p.editor.as_mut(), p.assessment.as_mut()) {
        (Mode::Plan, Some(editor), _) => editor.edit(edit),
        (Mode::Assessment, _, Some(form)) => form.edit(edit),
        _ => {}
    }
    vec![]
}

/// A write was saved: the editor or form that asked for it closes.
pub fn saved(state: &mut State, tenancy_id: i64) {
    let p = &mut state.planning;
    let ours = |saving: bool, id: i64| saving && id == tenancy_id;
    if p.assessment
        .as_ref()
        .is_some_and(|a| ours(a.saving, a.tenancy_id))
    {
        p.assessment = None;
        p.stay_on = Some(tenancy_id);
        state.mode = if p.editor.is_some() {
            Mode::Plan
        } else {
            Mode::Normal
        };
    } else if p
        .editor
        .as_ref()
        .is_some_and(|e| ours(e.saving, e.tenancy_id))
    {
        p.editor = None;
        p.stay_on = Some(tenancy_id);
        state.mode = Mode::Normal;
    }
}

impl Planning {
    /// Whether a save from the editor asked for this account to stay selected.
    pub fn stays_on(&self, tenancy_id: i64) -> bool {
        self.stay_on == Some(tenancy_id)
    }
}

/// The queue was ranked again after a save from the editor: its account stays selected.
pub fn stay_on_account(state: &mut State, refreshed: i64) {
    if state.planning.stay_on == Some(refreshed) {
        state.planning.stay_on = None;
        let rows = layout::queue_rows(state.size, state.focus);
        state.queue.select_id(refreshed, rows);
    }
}

/// A write failed: whatever asked for it stays open with what was typed.
pub fn failed(state: &mut State) {
    if let Some(editor) = state.planning.editor.as_mut() {
        editor.saving = false;
    }
    if let Some(form) = state.planning.assessment.as_mut() {
        form.saving = false;
    }
}

/// The account was read again: the open editor takes in its new balance, plan and I&E.
pub fn account_loaded(state: &mut State) {
    let (Some(detail), Some(editor)) = (state.account.as_deref(), state.planning.editor.as_mut())
    else {
        return;
    };
    if detail.record.tenancy_id == editor.tenancy_id {
        editor.sync(detail, &state.settings);
    }
}

/// Parks or brings back an I&E form (the I&E module keeps its own keys).
pub(super) fn park_assessment(state: &mut State) {
    if let Some(form) = state.planning.assessment.take() {
        state
            .planning
            .parked_assessments
            .put(form, |f| f.tenancy_id);
    }
}

pub(super) fn unpark_assessment(
    state: &mut State,
    tenancy_id: i64,
) -> Option<assessment::AssessmentForm> {
    state
        .planning
        .parked_assessments
        .take(tenancy_id, |f| f.tenancy_id)
}

#[cfg(test)]
mod tests;
