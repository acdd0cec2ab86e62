//! The income and expenditure (I&E) form, in the layout of the Standard Financial Statement:
//! household, income, fixed costs, flexible costs, savings and other priority debts, every amount
//! monthly. The totals and what is left for a plan follow each key; a figure that cannot be read
//! is refused at its line. Saving makes a new dated assessment: none is ever overwritten. It opens
//! with the latest assessment's figures, so reviewing one is changing what has changed.

use super::action::{Command as C, LineEdit};
use super::effects::Effect;
use super::input::LineInput;
use super::plan_editor::{self, who};
use super::state::{Message, Mode, Overlay, State};
use crate::domain::Money;
use crate::domain::affordability::{Household, Item, Statement};
use crate::domain::dates::{self, RentYear};
use crate::domain::dd::Equivalents;
use crate::domain::record::Record;
use crate::store::AccountDetail;
use chrono::NaiveDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Adults,
    Dependants,
    NonDependants,
    Vehicles,
}

/// A line of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    AssessedOn,
    Household(Member),
    Amount(Item),
    Note,
}

impl Line {
    pub fn label(self) -> &'static str {
        match self {
            Line::AssessedOn => "Figures given on",
            Line::Household(Member::Adults) => "Adults",
            Line::Household(Member::Dependants) => "Dependants (children)",
            Line::Household(Member::NonDependants) => "Non-dependants",
            Line::Household(Member::Vehicles) => "Vehicles",
            Line::Amount(item) => item.label(),
            Line::Note => "Note",
        }
    }

    /// The heading it is shown under.
    pub fn group(self) -> &'static str {
        match self {
            Line::AssessedOn | Line::Note => "Assessment",
            Line::Household(_) => "Household",
            Line::Amount(item) => item.section().label(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AssessmentForm {
    pub tenancy_id: i64,
    /// Whose figures they are: "100004/1 Erin Smithson".
    pub who: String,
    pub lines: Vec<Line>,
    pub inputs: Vec<LineInput>,
    pub errors: Vec<Option<String>>,
    pub current: usize,
    /// The statement as typed so far (lines that cannot be read are left out until they can).
    pub statement: Statement,
    today: NaiveDate,
    pub(super) saving: bool,
}

fn count(household: &Household, member: Member) -> u32 {
    match member {
        Member::Adults => household.adults,
        Member::Dependants => household.dependants,
        Member::NonDependants => household.non_dependants,
        Member::Vehicles => household.vehicles,
    }
}

impl AssessmentForm {
    /// A form for today, from the latest assessment, or from the tenancy (its tenants as adults,
    /// its rent as a monthly fixed cost) when there is none.
    pub fn new(detail: &AccountDetail, today: NaiveDate) -> AssessmentForm {
        let statement = detail.assessment.as_ref().map_or_else(
            || {
                let adults = u32::try_from(detail.record.tenants.len()).unwrap_or(1);
                let mut fresh = Statement::new(Household {
                    adults,
                    ..Household::default()
                });
                let rent = Equivalents::of(
                    detail.record.details.weekly_charge,
                    RentYear::containing(today),
                    0,
                );
                // A weekly charge is never negative, so this cannot be refused.
                let _ = fresh.set(Item::Rent, rent.monthly);
                fresh
            },
            |a| a.statement.clone(),
        );
        let members = [
            Member::Adults,
            Member::Dependants,
            Member::NonDependants,
            Member::Vehicles,
        ];
        let lines: Vec<Line> = std::iter::once(Line::AssessedOn)
            .chain(members.into_iter().map(Line::Household))
            .chain(Item::ALL.iter().copied().map(Line::Amount))
            .chain(std::iter::once(Line::Note))
            .collect();
        let inputs = lines
            .iter()
            .map(|line| {
                LineInput::with_text(&match *line {
                    Line::AssessedOn => dates::uk(today),
                    Line::Household(m) => count(&statement.household, m).to_string(),
                    Line::Amount(item) => {
                        let amount = statement.amount(item);
                        if amount.is_zero() {
                            String::new()
                        } else {
                            amount.plain()
                        }
                    }
                    Line::Note => String::new(),
                })
            })
            .collect();
        AssessmentForm {
            tenancy_id: detail.record.tenancy_id,
            who: who(detail),
            errors: vec![None; lines.len()],
            lines,
            inputs,
            current: 0,
            statement,
            today,
            saving: false,
        }
    }

    /// Reads line `i`, keeping why it cannot be used at the line.
    fn check(&mut self, i: usize) {
        let text = self.inputs[i].text().trim();
        self.errors[i] = match self.lines[i] {
            Line::AssessedOn => match dates::parse_when_back(text, self.today) {
                Ok(date) if date > self.today => {
                    Some("the figures cannot be given after today".into())
                }
                Ok(_) => None,
                Err(why) => Some(why.to_string()),
            },
            Line::Household(_) if text.is_empty() => None,
            Line::Household(_) => text
                .parse::<u32>()
                .err()
                .map(|_| format!("`{text}` is not a whole number (0, 1, 2…)")),
            Line::Amount(_) if text.is_empty() => None,
            Line::Amount(item) => match Money::parse(text) {
                Ok(amount) => Statement::default()
                    .set(item, amount)
                    .err()
                    .map(|e| e.to_string()),
                Err(e) => Some(e.to_string()),
            },
            Line::Note => None,
        };
    }

    /// The statement from every line that can be read.
    fn rebuild(&mut self) {
        let mut household = Household::default();
        let mut amounts = Vec::new();
        for ((line, input), error) in self.lines.iter().zip(&self.inputs).zip(&self.errors) {
            let text = input.text().trim();
            if error.is_some() || text.is_empty() {
                continue;
            }
            match *line {
                Line::Household(member) => {
                    let n = text.parse().unwrap_or(0);
                    *match member {
                        Member::Adults => &mut household.adults,
                        Member::Dependants => &mut household.dependants,
                        Member::NonDependants => &mut household.non_dependants,
                        Member::Vehicles => &mut household.vehicles,
                    } = n;
                }
                Line::Amount(item) => amounts.extend(Money::parse(text).ok().map(|m| (item, m))),
                Line::AssessedOn | Line::Note => {}
            }
        }
        self.statement = Statement::new(household);
        for (item, amount) in amounts {
            // Checked at the line: only amounts that can be set reach here.
            let _ = self.statement.set(item, amount);
        }
    }

    pub fn edit(&mut self, edit: LineEdit) {
        self.inputs[self.current].apply(edit);
        self.check(self.current);
        self.rebuild();
    }

    fn line_text(&self, line: Line) -> String {
        self.lines
            .iter()
            .position(|l| *l == line)
            .map_or_else(String::new, |i| self.inputs[i].text().trim().to_string())
    }

    /// Moves to the first line of the next (or previous) heading.
    fn jump(&mut self, forward: bool) {
        let group = self.lines[self.current].group();
        let mut i = self.current;
        if forward {
            while i + 1 < self.lines.len() && self.lines[i].group() == group {
                i += 1;
            }
        } else {
            while i > 0 && self.lines[i].group() == group {
                i -= 1;
            }
            let before = self.lines[i].group();
            while i > 0 && self.lines[i - 1].group() == before {
                i -= 1;
            }
        }
        self.current = i;
    }

    /// The assessment to save, or the first line that stops it (the form moves there).
    fn finish(&mut self) -> Result<Record, String> {
        for i in 0..self.lines.len() {
            self.check(i);
        }
        self.rebuild();
        if let Some(i) = self.errors.iter().position(Option::is_some) {
            self.current = i;
            let why = self.errors[i].clone().unwrap_or_default();
            return Err(format!("{}: {why}", self.lines[i].label()));
        }
        let assessed_on = dates::parse_when_back(&self.line_text(Line::AssessedOn), self.today)
            .map_err(|e| e.to_string())?;
        Ok(Record::Assessment {
            tenancy_id: self.tenancy_id,
            assessed_on,
            statement: self.statement.clone(),
            note: self.line_text(Line::Note),
        })
    }
}

/// `I` (or the key in the plan editor): opens the form for the selected account, bringing back
/// one parked for it.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.opened_account(Message::Info) else {
        return vec![];
    };
    let form = plan_editor::unpark_assessment(state, id).or_else(|| {
        state
            .current_account()
            .map(|detail| AssessmentForm::new(detail, state.settings.today))
    });
    state.planning.assessment = form;
    state.mode = Mode::Assessment;
    vec![]
}

/// Where Esc or a save goes: back to the plan editor when the form was opened from it.
fn close(state: &mut State) {
    state.mode = if state.planning.editor.is_some() {
        Mode::Plan
    } else {
        Mode::Normal
    };
}

/// A key in the I&E form.
pub fn command(state: &mut State, command: C) -> Vec<Effect> {
    let Some(form) = state.planning.assessment.as_mut() else {
        close(state);
        return vec![];
    };
    let last = form.lines.len() - 1;
    match command {
        C::NextField => form.current = (form.current + 1).min(last),
        C::Accept if form.current < last => form.current += 1,
        C::PrevField => form.current = form.current.saturating_sub(1),
        C::PageDown => form.jump(true),
        C::PageUp => form.jump(false),
        C::Accept | C::Save => match form.finish() {
            Ok(write) => {
                form.saving = true;
                return vec![Effect::Save(write)];
            }
            Err(why) => state.message = Some(Message::Error(format!("Not saved: {why}."))),
        },
        C::Back => {
            plan_editor::park_assessment(state);
            close(state);
            state.message = Some(Message::Info(
                "Income and expenditure not saved. Press I on this account to carry on.".into(),
            ));
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}
