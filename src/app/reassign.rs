//! `:reassign OFFICER` (the income coordinator's): the selected account, or with `all` every
//! account the filters and the search show, moved to another officer once the confirmation
//! (how many, from whom, to whom) is accepted. Each move is audited; the queue re-reads the
//! accounts' officer at once.

use super::confirm::Confirmation;
use super::effects::Effect;
use super::state::{Message, State};
use crate::domain::reassign::{Holding, Reassignment, accounts};

const USAGE: &str = "Usage: :reassign OFFICER (the selected account) or :reassign all OFFICER \
                     (every account the filters show)";

/// Asks to move the accounts `arg` names (`OFFICER` or `all OFFICER`).
pub(super) fn ask(state: &mut State, arg: &str) -> Vec<Effect> {
    let (all, to) = match arg.split_once(char::is_whitespace) {
        Some(("all", rest)) => (true, rest.trim()),
        _ => (false, arg.trim()),
    };
    if to.is_empty() || to == "all" || to.contains(char::is_control) {
        return said(state, Message::Error(USAGE.into()));
    }
    let ids = if all {
        let queue = &state.queue;
        if queue.filters().is_empty() && queue.filter().is_empty() {
            return said(
                state,
                Message::Error(
                    ":reassign all moves every account the filters show: set one first \
                     (:patch NAME, :officer NAME, or / to search)"
                        .into(),
                ),
            );
        }
        if !queue.text_complete() {
            return said(
                state,
                Message::Info("Still reading the caseload: try again in a moment.".into()),
            );
        }
        queue.matching_ids()
    } else {
        match state.queue.selected_id() {
            Some(id) => vec![id],
            None => return said(state, Message::Error("Select an account first.".into())),
        }
    };
    let held: Vec<Holding> = ids
        .iter()
        .filter_map(|id| state.queue.item(*id))
        .map(|item| Holding {
            tenancy_id: item.tenancy_id,
            reference: item.reference().to_string(),
            officer: item
                .text
                .as_ref()
                .map(|t| t.officer.to_string())
                .unwrap_or_default(),
        })
        .collect();
    let reassignment = Reassignment::new(held, to);
    if reassignment.moves.is_empty() {
        let left = reassignment.left().unwrap_or_default();
        return said(state, Message::Info(format!("Nothing to move: {left}.")));
    }
    let shown = if all {
        let mut shown = state.queue.filters().to_string();
        let search = state.queue.filter();
        if !search.is_empty() {
            shown = [shown, format!("matching “{search}”")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
        }
        format!(" (every account shown: {shown})")
    } else {
        String::new()
    };
    let from = reassignment
        .from()
        .iter()
        .map(|(officer, n)| {
            let officer = if officer.is_empty() {
                "no one"
            } else {
                officer
            };
            format!("{officer} ({n})")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
        (
            "Accounts".to_string(),
            format!("{}{shown}", accounts(reassignment.moves.len())),
        ),
        ("From".to_string(), from),
        ("To".to_string(), to.to_string()),
    ];
    let mut warnings: Vec<String> = reassignment
        .left()
        .map(|left| format!("{left}: left as they are."))
        .into_iter()
        .collect();
    let known = state
        .queue
        .rows()
        .any(|r| r.text.as_ref().is_some_and(|t| *t.officer == *to));
    if !known {
        warnings.push(format!(
            "{to} holds no account yet: check the name before moving accounts to it."
        ));
    }
    vec![Effect::MayReassign(Box::new(Confirmation::reassign(
        format!("Reassign {}", reassignment.summary()),
        rows,
        warnings,
        reassignment,
    )))]
}

/// The accounts moved: said, and each one's officer read again for the queue (and the open one).
pub(super) fn done(state: &mut State, message: String, moved: Vec<i64>) -> Vec<Effect> {
    state.message = Some(Message::Info(message));
    let mut effects = Vec::new();
    if let Some(id) = state.queue.selected_id().filter(|id| moved.contains(id)) {
        effects.push(Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        });
    }
    effects.insert(0, Effect::RefreshText(moved));
    effects
}

fn said(state: &mut State, message: Message) -> Vec<Effect> {
    state.message = Some(message);
    vec![]
}
