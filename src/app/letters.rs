//! Letters from the workstation. `a` on a letter step makes the letter and shows it as it will be
//! sent (one tab per addressee, scrollable) with what will be recorded; a second key produces it
//! (writes its files and records the step with each file's hash), `Esc` records nothing. What
//! protects the tenant is said first: a demand during a breathing space is refused, and a letter
//! to a tenant flagged vulnerable needs a person's reason before it goes. A letter that cannot be
//! made shows why, and the second key records that it failed (the queue then asks for a review).
//!
//! `:letters` shows the day's batch (what the queue recommends, with counts) before anything is
//! produced; a second key produces it all, as `caseload letters` does.

use super::action::Command as C;
use super::effects::Effect;
use super::form::Purpose;
use super::queue::Queue;
use super::state::{Message, Overlay, State};
use crate::domain::letter::LetterKind;
use crate::domain::record::Record;
use crate::letters::batch::{self, Item};
use crate::letters::{Prepared, Ready};

/// The letter overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterView {
    pub tenancy_id: i64,
    pub letter: LetterKind,
    /// The letter made, or why it could not be.
    pub made: Result<Prepared, String>,
    /// Which addressee's letter is showing.
    pub tab: usize,
    /// The first line showing.
    pub scroll: usize,
}

impl LetterView {
    /// What the case history will read once it is recorded.
    pub fn line(&self) -> String {
        match &self.made {
            Ok(p) => {
                let to: Vec<&str> = p.made.iter().map(|m| m.recipient.as_str()).collect();
                let files = if p.letter.is_sms() {
                    "in the day's sms.csv".to_string()
                } else {
                    format!(
                        "{} file{} under letters/, each with its SHA-256 hash",
                        p.made.len(),
                        if p.made.len() == 1 { "" } else { "s" }
                    )
                };
                format!(
                    "▸ {}: produced for {}: {files}",
                    p.letter.action().label(),
                    to.join(", ")
                )
            }
            Err(reason) => format!(
                "▸ Letter failed: {} not produced: {reason}",
                self.letter.label()
            ),
        }
    }

    /// The lines of the letter showing, as text.
    pub fn text(&self) -> &str {
        match &self.made {
            Ok(p) => p.made.get(self.tab).map_or("", |m| m.text.as_str()),
            Err(_) => "",
        }
    }
}

/// `:letters`: the day's batch, before anything is produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchView {
    pub items: Vec<Item>,
    pub scroll: usize,
}

/// The letters (and texts) the queue recommends today, for the accounts its filters hold.
pub fn due(queue: &Queue) -> Vec<Item> {
    queue
        .filtered()
        .filter(|item| item.decision.blocker.is_none())
        .filter_map(|item| {
            Some(Item {
                letter: LetterKind::for_recommendation(item.decision.recommendation)?,
                tenancy_id: item.tenancy_id,
                reference: item.reference().to_string(),
                name: item.name().to_string(),
                vulnerable: item.flags.vulnerable,
            })
        })
        .collect()
}

/// Makes the letter of `letter` for a tenancy, to show it.
pub fn open(state: &mut State, tenancy_id: i64, letter: LetterKind) -> Vec<Effect> {
    state.message = Some(Message::Info(format!(
        "Making {}…",
        crate::domain::mid_sentence(letter.label())
    )));
    vec![Effect::PrepareLetter { tenancy_id, letter }]
}

/// `:letter NAME`: any letter for the selected account, by its template's name (a plan agreed,
/// a promise confirmed, a rent statement, a notice's cover letter...).
pub fn named(state: &mut State, name: &str) -> Vec<Effect> {
    let Some(tenancy_id) = state.queue.selected_id() else {
        state.message = Some(Message::Error("Select an account first.".into()));
        return vec![];
    };
    match LetterKind::parse(name.trim().trim_end_matches(".html")) {
        Some(letter) => open(state, tenancy_id, letter),
        None => {
            let names: Vec<&str> = LetterKind::ALL.iter().map(|k| k.as_str()).collect();
            state.message = Some(Message::Error(format!(
                ":letter NAME, one of: {}",
                names.join(", ")
            )));
            vec![]
        }
    }
}

/// The letter is made (or not): show it.
pub fn prepared(state: &mut State, view: LetterView) -> Vec<Effect> {
    state.message = None;
    state.open(Overlay::Letter(Box::new(view)));
    vec![]
}

/// A key on the letter overlay.
pub fn command(state: &mut State, command: C) -> Vec<Effect> {
    if let Some(Overlay::Batch(_)) = state.top() {
        return batch_command(state, command);
    }
    let Some(Overlay::Letter(view)) = state.overlays.last_mut() else {
        return vec![];
    };
    let tabs = view.made.as_ref().map_or(1, |p| p.made.len().max(1));
    let lines = view.text().lines().count();
    let page = state.size.1.saturating_sub(14).max(1) as usize;
    match command {
        C::NextTab | C::NextField => {
            view.tab = (view.tab + 1) % tabs;
            view.scroll = 0;
        }
        C::PrevTab | C::PrevField => {
            view.tab = (view.tab + tabs - 1) % tabs;
            view.scroll = 0;
        }
        C::MoveDown => view.scroll = (view.scroll + 1).min(lines.saturating_sub(1)),
        C::MoveUp => view.scroll = view.scroll.saturating_sub(1),
        C::PageDown => view.scroll = (view.scroll + page).min(lines.saturating_sub(1)),
        C::PageUp => view.scroll = view.scroll.saturating_sub(page),
        C::Top => view.scroll = 0,
        C::Bottom => view.scroll = lines.saturating_sub(1),
        C::Accept | C::Save => return send(state),
        C::Back => {
            state.close();
            state.message = Some(Message::Info("Not sent: nothing was recorded.".into()));
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// The second key: produce it, record its failure, refuse it, or ask a person's reason first.
fn send(state: &mut State) -> Vec<Effect> {
    let Some(Overlay::Letter(view)) = state.top() else {
        return vec![];
    };
    match &view.made {
        Err(reason) => {
            let record = Record::LetterFailed {
                tenancy_id: view.tenancy_id,
                letter: view.letter,
                reason: reason.clone(),
            };
            state.close();
            vec![Effect::Save(record)]
        }
        Ok(p) => {
            if let Some(why) = &p.protection.refused {
                let why = why.clone();
                state.close();
                state.message = Some(Message::Error(format!("Not sent: {why}")));
                return vec![];
            }
            if p.protection.check.is_some() {
                return state.open_form(Purpose::LetterCheck);
            }
            let ready = Ready {
                prepared: p.clone(),
                checked: None,
            };
            state.close();
            vec![Effect::ProduceLetter(Box::new(ready))]
        }
    }
}

/// A person has checked the letter to a vulnerable tenant and said why it should go.
pub fn checked(state: &mut State, reason: String) -> Vec<Effect> {
    let Some(Overlay::Letter(view)) = state.top() else {
        return vec![];
    };
    let Ok(prepared) = &view.made else {
        return vec![];
    };
    let ready = Ready {
        prepared: prepared.clone(),
        checked: Some(reason),
    };
    state.close();
    vec![Effect::ProduceLetter(Box::new(ready))]
}

/// `:letters`: the day's batch, shown before anything is produced.
pub fn batch(state: &mut State) -> Vec<Effect> {
    let items = due(&state.queue);
    if items.is_empty() {
        state.message = Some(Message::Info(
            "No letters or texts are due today for the accounts shown.".into(),
        ));
        return vec![];
    }
    state.open(Overlay::Batch(Box::new(BatchView { items, scroll: 0 })));
    vec![]
}

fn batch_command(state: &mut State, command: C) -> Vec<Effect> {
    let Some(Overlay::Batch(view)) = state.overlays.last_mut() else {
        return vec![];
    };
    let last = view.items.len().saturating_sub(1);
    match command {
        C::MoveDown => view.scroll = (view.scroll + 1).min(last),
        C::MoveUp => view.scroll = view.scroll.saturating_sub(1),
        C::PageDown => view.scroll = (view.scroll + 10).min(last),
        C::PageUp => view.scroll = view.scroll.saturating_sub(10),
        C::Top => view.scroll = 0,
        C::Bottom => view.scroll = last,
        C::Accept | C::Save => {
            let items = view.items.clone();
            state.close();
            state.message = Some(Message::Info(format!(
                "Producing {} letters and texts…",
                items.len()
            )));
            return vec![Effect::ProduceBatch(items)];
        }
        C::Back => {
            state.close();
            state.message = Some(Message::Info("No letters produced.".into()));
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// The batch is done: say what it did, and rank again each account it wrote to.
pub fn batch_done(state: &mut State, message: String, written: Vec<i64>) -> Vec<Effect> {
    state.message = Some(Message::Info(message));
    written.into_iter().map(Effect::RefreshFacts).collect()
}

/// What the batch overlay counts: each kind, and how many wait for a person's check.
pub fn batch_counts(view: &BatchView) -> (Vec<(LetterKind, usize)>, usize) {
    (
        batch::counts(&view.items),
        view.items.iter().filter(|i| i.vulnerable).count(),
    )
}
