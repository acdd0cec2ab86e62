//! `update(state, action) -> effects`: the whole behaviour of the workstation as plain code.
//! No I/O happens here; reads and writes are returned as effects for the runtime to run.

use super::action::Action;
use super::effects::Effect;
use super::queue::Found;
use super::state::{Message, Mode, Pane, State};
use crate::ui::layout;

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    // A new key press replaces the last message; results from the store set their own.
    if !matches!(
        action,
        Action::AccountLoaded(_) | Action::TextLoaded(_) | Action::Resize(..)
    ) {
        state.message = None;
    }
    match action {
        Action::Resize(w, h) => {
            state.size = (w, h);
            let rows = queue_rows(state);
            state.queue.keep_visible(rows);
            return vec![];
        }
        Action::AccountLoaded(detail) => {
            let same = state.account.as_ref().map(|a| a.record.tenancy_id)
                == Some(detail.record.tenancy_id);
            if !same {
                state.scroll = Default::default();
            }
            state.account = Some(detail);
            return vec![];
        }
        Action::TextLoaded(texts) => {
            let keep = state.queue.selected_id();
            state.queue.attach_text(texts, true);
            let rows = queue_rows(state);
            state.queue.keep_visible(rows);
            // A filter typed while the text was loading may have changed the selection.
            return if state.queue.selected_id() == keep {
                vec![]
            } else {
                load_selected(state)
            };
        }
        Action::Failed(why) => {
            state.message = Some(Message::Error(why));
            return vec![];
        }
        _ => {}
    }
    match state.mode {
        Mode::Normal => normal(state, action),
        Mode::Filter => filter(state, action),
        Mode::Command => command(state, action),
        Mode::Help(from) => {
            match action {
                Action::MoveDown => state.scroll.help += 1,
                Action::MoveUp => state.scroll.help = state.scroll.help.saturating_sub(1),
                Action::Back | Action::Help | Action::Quit => {
                    state.mode = match from {
                        super::keymap::ModeKeys::Filter => Mode::Filter,
                        super::keymap::ModeKeys::Command => Mode::Command,
                        _ => Mode::Normal,
                    };
                }
                other => unbound(state, &other),
            }
            vec![]
        }
        Mode::Info => {
            match action {
                Action::Back | Action::Quit | Action::Accept => state.mode = Mode::Normal,
                other => unbound(state, &other),
            }
            vec![]
        }
    }
}

fn queue_rows(state: &State) -> usize {
    layout::queue_rows(state.size, state.focus)
}

/// Loads the selected account unless it is already on screen.
fn load_selected(state: &State) -> Vec<Effect> {
    match state.queue.selected_id() {
        Some(id) if state.current_account().is_none() => vec![Effect::LoadAccount {
            tenancy_id: id,
            window: state.settings.history_window,
        }],
        _ => vec![],
    }
}

fn normal(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::MoveDown => return move_or_scroll(state, 1),
        Action::MoveUp => return move_or_scroll(state, -1),
        Action::PageDown => {
            let page = isize::try_from(page(state)).unwrap_or(1);
            return move_or_scroll(state, page);
        }
        Action::PageUp => {
            let page = isize::try_from(page(state)).unwrap_or(1);
            return move_or_scroll(state, -page);
        }
        Action::Top => return move_or_scroll(state, isize::MIN),
        Action::Bottom => return move_or_scroll(state, isize::MAX),
        Action::NextPane | Action::PrevPane => {
            let i = state.focus.number() - 1;
            let n = Pane::ALL.len();
            let next = if action == Action::NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            state.focus = Pane::ALL[next];
        }
        Action::FocusQueue => state.focus = Pane::Queue,
        Action::FocusHistory => state.focus = Pane::History,
        Action::FocusPlan => state.focus = Pane::Plan,
        Action::FocusNotes => state.focus = Pane::Notes,
        Action::Open => {
            if state.queue.is_empty() {
                state.message = Some(Message::Info("No account to open.".into()));
            } else {
                state.focus = Pane::History;
                return load_selected(state);
            }
        }
        Action::Filter => {
            state.mode = Mode::Filter;
            state.focus = Pane::Queue;
        }
        Action::Back => {
            if !state.queue.filter().is_empty() {
                state.filter.clear();
                state.queue.set_filter("");
                let rows = queue_rows(state);
                state.queue.keep_visible(rows);
                state.message = Some(Message::Info("Filter cleared.".into()));
            } else if state.focus != Pane::Queue {
                state.focus = Pane::Queue;
            }
        }
        Action::Help => {
            state.mode = Mode::Help(state.mode.keys());
            state.scroll.help = 0;
        }
        Action::CommandLine => {
            state.command.clear();
            state.mode = Mode::Command;
        }
        Action::Quit => state.quit = true,
        other => unbound(state, &other),
    }
    vec![]
}

fn page(state: &State) -> usize {
    layout::pane_rows(state.size, state.focus)
        .saturating_sub(1)
        .max(1)
}

/// Moves the queue selection, or scrolls the focused pane.
fn move_or_scroll(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.focus == Pane::Queue {
        let rows = queue_rows(state);
        state.queue.move_by(delta, rows);
        return load_selected(state);
    }
    let Some(account) = state.current_account() else {
        return vec![];
    };
    let (len, complete) = match state.focus {
        Pane::History => (account.history.len(), account.history_complete),
        Pane::Notes => (account.notes.len(), true),
        Pane::Plan | Pane::Queue => (usize::MAX, true),
    };
    let tenancy_id = account.record.tenancy_id;
    let loaded = account.history.len();
    let scroll = match state.focus {
        Pane::History => &mut state.scroll.history,
        Pane::Notes => &mut state.scroll.notes,
        _ => &mut state.scroll.plan,
    };
    *scroll = scroll
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1));
    // Near the end of what was read: read a bigger window of older history.
    if state.focus == Pane::History && !complete && state.scroll.history + page(state) * 2 >= loaded
    {
        return vec![Effect::LoadAccount {
            tenancy_id,
            window: loaded.saturating_mul(2).max(state.settings.history_window),
        }];
    }
    vec![]
}

fn filter(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Edit(edit) => {
            state.filter.apply(edit);
            state.queue.set_filter(state.filter.text());
            return load_selected(state);
        }
        Action::MoveDown | Action::MoveUp => {
            let rows = queue_rows(state);
            state
                .queue
                .move_by(if action == Action::MoveDown { 1 } else { -1 }, rows);
            return load_selected(state);
        }
        // Enter and Esc both leave the filter applied; Esc again in the queue clears it.
        Action::Accept | Action::Back => {
            state.mode = Mode::Normal;
            if state.queue.is_empty() {
                state.message = Some(Message::Info(format!(
                    "Nothing matches \u{201c}{}\u{201d}. Esc clears the filter.",
                    state.filter.text()
                )));
            }
        }
        Action::Help => state.mode = Mode::Help(state.mode.keys()),
        other => unbound(state, &other),
    }
    vec![]
}

fn command(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Edit(edit) => state.command.apply(edit),
        Action::Back => state.mode = Mode::Normal,
        Action::Accept => {
            state.mode = Mode::Normal;
            let line = state.command.text().trim().to_string();
            return run_command(state, &line);
        }
        Action::Help => state.mode = Mode::Help(state.mode.keys()),
        other => unbound(state, &other),
    }
    vec![]
}

fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
    let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let arg = arg.trim();
    match name {
        "" => {}
        "q" | "quit" => state.quit = true,
        "info" => state.mode = Mode::Info,
        "help" => state.mode = Mode::Help(super::keymap::ModeKeys::Normal),
        "goto" | "g" if arg.is_empty() => {
            state.message = Some(Message::Error("Usage: :goto REFERENCE".into()));
        }
        "goto" | "g" => {
            let rows = queue_rows(state);
            match state.queue.select_reference(arg, rows) {
                Found::Selected(_) => {
                    state.filter.clear();
                    state.focus = Pane::History;
                    return load_selected(state);
                }
                Found::NoSuchReference => {
                    state.message =
                        Some(Message::Error(format!("No account with reference {arg}.")))
                }
                Found::StillLoading => {
                    state.message = Some(Message::Info(
                        "Still reading the caseload: try again in a moment.".into(),
                    ))
                }
            }
        }
        other => {
            state.message = Some(Message::Error(format!(
                "Unknown command :{other}. Try :goto REF, :info or :q."
            )));
        }
    }
    vec![]
}

fn unbound(state: &mut State, action: &Action) {
    if let Action::Unbound(key) = action {
        state.message = Some(Message::Error(format!(
            "{key} does nothing here. Press ? for the keys."
        )));
    }
}
