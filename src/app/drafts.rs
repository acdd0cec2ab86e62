//! Drafts in the state machine: where the open note's text is kept (the database, or the fallback
//! file when the database cannot take it), said plainly in the status bar; drafts left from last
//! time offered at start; and quitting, which says where the text is kept and will not go on
//! without an explicit "lose this text" when it can be kept nowhere.

use super::effects::Effect;
use super::pick::{self, Pick};
use super::picker::{Choice, Picker};
use super::state::{Message, State};
use crate::store::pg::Doing;
use crate::store::{Draft, DraftStatus};

/// Where the drafts are, from the saver.
pub(super) fn status(state: &mut State, status: DraftStatus) -> Vec<Effect> {
    // A note whose save failed while the database could not take it can now be saved: the
    // failure still in the status bar would tell her otherwise.
    let back = state.draft_status != DraftStatus::Saved && status == DraftStatus::Saved;
    if back && state.editor.is_some() && matches!(state.message, Some(Message::Error(_))) {
        state.message = Some(Message::Info(
            "The database takes writes again: Ctrl-S saves the note.".into(),
        ));
    }
    state.draft_status = status;
    // A quit question already open is asked again with what is now known.
    if is_quit_question(state) {
        let question = quit_question(state);
        if let Some(picker) = state.picker_mut() {
            *picker = question;
        }
    }
    vec![]
}

/// The status bar's warning while a draft is not in the database, and whether it is an error
/// (the text is kept nowhere). Short enough for 80 columns: the quit question and the message at
/// the end give the fallback file's full path.
pub fn warning(status: &DraftStatus) -> Option<(String, bool)> {
    Some(match status {
        DraftStatus::Saved => return None,
        DraftStatus::Waiting { busy: true, .. } => (
            "Draft not saved yet: database busy, retrying.".into(),
            false,
        ),
        DraftStatus::Waiting { why, .. } => {
            (format!("Draft not saved yet ({why}); retrying."), false)
        }
        DraftStatus::Kept { busy: true, .. } => (
            "Draft not saved yet: database busy, retrying; kept in your drafts file.".into(),
            false,
        ),
        DraftStatus::Kept { why, .. } => (
            format!("Draft kept in your drafts file ({why}); retrying."),
            false,
        ),
        DraftStatus::Unkept { why, .. } => (
            format!("Draft NOT saved: {why}, and your drafts file cannot be written."),
            true,
        ),
    })
}

/// What is said on the command line once the workstation has ended, if a draft is not in the
/// database.
pub fn at_exit(status: &DraftStatus) -> Option<String> {
    match status {
        DraftStatus::Saved => None,
        DraftStatus::Waiting { why, .. } | DraftStatus::Kept { why, .. } => Some(match status {
            DraftStatus::Kept { path, .. } => format!(
                "the database could not take the note's draft ({why}): it is kept in {} and \
                 offered at the next start.",
                path.display()
            ),
            _ => format!("the note's draft may not be saved: {why}."),
        }),
        DraftStatus::Unkept {
            why,
            path,
            file_error,
        } => Some(format!(
            "the note's draft could be kept nowhere ({why}; {}: {file_error}).",
            path.display()
        )),
    }
}

/// Who else is writing on the selected account is read with it when it opens (see
/// `Action::AccountLoaded`), and again every few seconds: a workstation killed mid-call takes
/// nothing away, its presence just stops being current.
pub(super) fn read_writing(state: &mut State) -> Vec<Effect> {
    state.writing_read = Some(state.now);
    state
        .queue
        .selected_id()
        .map(Effect::ReadWriting)
        .into_iter()
        .collect()
}

const READ_WRITING_EVERY: chrono::TimeDelta = chrono::TimeDelta::seconds(5);

pub(super) fn tick(state: &mut State) -> Vec<Effect> {
    match state.writing_read {
        Some(at) if (state.now - at).abs() < READ_WRITING_EVERY => vec![],
        _ => read_writing(state),
    }
}

/// "alice is on a call with this tenant", "alice is writing a note on this account", when
/// other officers are (calls first).
pub fn others_writing(state: &State) -> Option<String> {
    let (id, officers) = state.writing.as_ref()?;
    if state.queue.selected_id() != Some(*id) {
        return None;
    }
    let who = |doing: Doing| -> Vec<&str> {
        officers
            .iter()
            .filter(|(_, d)| *d == doing)
            .map(|(o, _)| o.as_str())
            .collect()
    };
    let said: Vec<String> = [
        (
            who(Doing::Call),
            "is on a call with this tenant",
            "are on calls with this tenant",
        ),
        (
            who(Doing::Note),
            "is writing a note on this account",
            "are writing notes on this account",
        ),
    ]
    .into_iter()
    .filter_map(|(names, one, many)| match names.as_slice() {
        [] => None,
        [name] => Some(format!("{name} {one}")),
        [first @ .., last] => Some(format!("{} and {last} {many}", first.join(", "))),
    })
    .collect();
    (!said.is_empty()).then(|| said.join("; "))
}

/// Drafts left from last time: offered at once.
pub(super) fn found(state: &mut State, drafts: Vec<Draft>) -> Vec<Effect> {
    state.drafts = drafts;
    if state.drafts.is_empty() {
        return vec![];
    }
    let queue = &state.queue;
    let picker = pick::drafts(&state.drafts, |id| {
        queue
            .item(id)
            .map_or_else(|| format!("account {id}"), |i| i.reference().to_string())
    });
    state.open_picker(picker)
}

/// Notes not saved yet: the open one and those left from last time.
fn unsaved(state: &State) -> usize {
    usize::from(state.editor.is_some()) + state.drafts.len()
}

/// `q`: at once when no note is unsaved; otherwise the last keystrokes go to the saver, and the
/// officer is asked, told where the text is kept (the question is asked again once the saver has
/// said where it is).
pub(super) fn quit(state: &mut State) -> Vec<Effect> {
    if unsaved(state) == 0 {
        state.quit = true;
        return vec![];
    }
    let question = quit_question(state);
    state.open_picker(question);
    let mut effects = latest(state);
    effects.push(Effect::SettleDrafts);
    effects
}

/// The open note's text as it is now, for the saver.
fn latest(state: &mut State) -> Vec<Effect> {
    match state.editor.as_mut() {
        Some(editor) => {
            editor.dirty = false;
            vec![Effect::SaveDraft(editor.draft(&state.settings.officer))]
        }
        None => vec![],
    }
}

/// The answer to the quit question: quit (having handed over the last keystrokes); `lose`: the
/// officer agreed to lose text that can be kept nowhere.
pub(super) fn quit_chosen(state: &mut State, lose: bool) -> Vec<Effect> {
    state.quit = true;
    state.lose_unkept = lose;
    latest(state)
}

/// Quitting was refused at the last moment: the text turned out to be kept nowhere.
pub fn refuse_quit(state: &mut State) {
    state.quit = false;
    let question = quit_question(state);
    state.open_picker(question);
    state.message = Some(Message::Error(
        "Not quitting: the note's text cannot be kept anywhere yet.".into(),
    ));
}

fn is_quit_question(state: &State) -> bool {
    state.picker().is_some_and(|p| {
        p.choices
            .iter()
            .any(|c| matches!(c.value, Pick::QuitAnyway | Pick::LoseText))
    })
}

/// The question, short enough for its frame's title; where the text is kept is said beneath,
/// in full.
fn quit_question(state: &State) -> Picker<Pick> {
    let what = match unsaved(state) {
        1 => "A note is not saved yet".to_string(),
        n => format!("{n} notes are not saved yet"),
    };
    match &state.draft_status {
        DraftStatus::Unkept {
            why,
            path,
            file_error,
        } => Picker::new(
            format!("{what}, and it can be kept nowhere"),
            // Staying is first, and selected: Enter or y out of habit loses nothing.
            vec![
                Choice::new(Some('n'), "No, stay", Pick::No),
                Choice::new(Some('L'), "Lose this text and quit", Pick::LoseText),
            ],
        )
        .hint(format!(
            "The database refuses it ({why}) and {} cannot be written ({file_error}). \
             Quitting now loses it.",
            path.display()
        )),
        status => {
            let kept = match status {
                DraftStatus::Kept { why, path, .. } => format!(
                    "The database cannot take it ({why}): its draft is kept in {} and offered \
                     next time.",
                    path.display()
                ),
                DraftStatus::Waiting { why, .. } => format!(
                    "Its draft is not in the database yet ({why}); it is being saved, and \
                     offered next time."
                ),
                _ => "Its draft is kept in the database and offered next time.".into(),
            };
            pick::confirm(
                format!("{what}. Quit anyway?"),
                "Yes, quit",
                Pick::QuitAnyway,
                "No, stay",
            )
            .hint(kept)
        }
    }
}
