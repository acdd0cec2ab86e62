//! Calls, other contacts and notes in the state machine: starting a call (who, which way), typing
//! the note while the officer talks, snippets and the checklist, ending with an outcome key, a
//! promise or a call back; notes on their own and corrections; drafts left from last time; note
//! search. The note stays open until it is saved or discarded: stepping out of it to read the
//! account, a failed save, or quitting never loses a word.

use super::action::{Command as C, LineEdit};
use super::editor::{Call, Editor, Purpose as NotePurpose};
use super::effects::Effect;
use super::form::Filled;
use super::keymap::{KeyCombo, ModeKeys};
use super::pick::{self, Pick};
use super::picker::Picked;
use super::state::{Message, Mode, Overlay, Pane, State};
use crate::domain::actions::ActionKind;
use crate::domain::contact::ContactOutcome;
use crate::domain::promise::Promise;
use crate::domain::record::{Contact, Record};
use crate::domain::tenancy::{self, Tenant};
use crate::store::NoteHit;
use chrono::{NaiveDateTime, NaiveTime};

fn say(state: &mut State, text: impl Into<String>) {
    state.message = Some(Message::Info(text.into()));
}

/// What an officer is told when a key would take them away from an open note.
fn note_is_open(state: &mut State) {
    let reference = state
        .editor
        .as_ref()
        .and_then(|e| state.queue.item(e.tenancy_id))
        .map_or_else(String::new, |i| format!(" on {}", i.reference()));
    state.message = Some(Message::Error(format!(
        "A note is open{reference}: i goes back to it, Ctrl-S in it saves it, :discard throws it away."
    )));
}

/// True when an open note keeps the officer on its account (and says so).
pub(super) fn holds_account(state: &mut State) -> bool {
    if state.editor.is_some() {
        note_is_open(state);
        return true;
    }
    false
}

/// Back into the open note, cursor where it was.
pub(super) fn resume(state: &mut State) -> Vec<Effect> {
    match state.editor.as_mut() {
        Some(editor) => {
            editor.set_focus(true);
            state.mode = Mode::Editor;
            state.focus = Pane::Queue;
        }
        None => say(state, "No note is open: c starts a call, n a note."),
    }
    vec![]
}

/// Opens the note editor on the selected account, or brings back its unsaved draft.
fn open_editor(state: &mut State, purpose: NotePurpose, text: &str) -> Vec<Effect> {
    let Some(tenancy_id) = state.queue.selected_id() else {
        say(state, "Select an account first.");
        return vec![];
    };
    let mut effects = vec![];
    if let Some(i) = state.drafts.iter().position(|d| d.tenancy_id == tenancy_id) {
        let draft = state.drafts.remove(i);
        let editor = Editor::restore(&draft);
        say(
            state,
            format!(
                "Carrying on with the unsaved {} ({}).",
                editor.kind_label(),
                editor.word_count()
            ),
        );
        state.editor = Some(editor);
        effects.push(Effect::AdoptDraft(draft));
    } else {
        state.editor = Some(Editor::new(tenancy_id, purpose, text));
        if let Some(writing) = super::drafts::others_writing(state) {
            say(
                state,
                format!("{writing} too: this note is yours, theirs stays theirs."),
            );
        }
    }
    effects.extend(resume(state));
    effects
}

/// A new note on the account, for what was typed into its last note while that was being saved.
pub(super) fn continue_note(state: &mut State, tenancy_id: i64) -> Vec<Effect> {
    state.editor = Some(Editor::new(tenancy_id, NotePurpose::Note, ""));
    resume(state)
}

/// `c`: who is on the phone, then which way, then the note opens with the timer running.
pub(super) fn start_call(state: &mut State) -> Vec<Effect> {
    if state.editor.is_some() {
        return resume(state);
    }
    if let Some(id) = state.queue.selected_id()
        && state.drafts.iter().any(|d| d.tenancy_id == id)
    {
        return open_editor(state, NotePurpose::Note, "");
    }
    if state.still_opening() {
        return vec![];
    }
    let Some(account) = state.current_account() else {
        say(state, "Select an account first.");
        return vec![];
    };
    let picker = pick::parties(&account.record.tenants, state.now);
    state.typed_ahead.clear();
    state.open_picker(picker)
}

/// `n`: a note on its own.
pub(super) fn start_note(state: &mut State) -> Vec<Effect> {
    if state.editor.is_some() {
        return resume(state);
    }
    open_editor(state, NotePurpose::Note, "")
}

/// A contact other than a call: the note opens, and the outcome is asked when it is saved.
pub(super) fn start_contact(state: &mut State, kind: ActionKind) -> Vec<Effect> {
    if state.editor.is_some() {
        return resume(state);
    }
    open_editor(
        state,
        NotePurpose::Contact {
            kind: kind.as_str().to_string(),
        },
        "",
    )
}

/// `e`: a correction of the note at the top of the notes pane (its latest version), starting
/// from its text.
pub(super) fn amend(state: &mut State) -> Vec<Effect> {
    if state.editor.is_some() {
        return resume(state);
    }
    if state.still_opening() {
        return vec![];
    }
    let Some(account) = state.current_account() else {
        say(state, "Open an account first.");
        return vec![];
    };
    let threads = super::note_threads::threads(&account.notes);
    let Some(note) = threads.get(state.scroll.notes).map(|t| t.note) else {
        say(state, "This account has no note to correct.");
        return vec![];
    };
    let (id, body) = (note.id, note.body.clone());
    open_editor(state, NotePurpose::Amend { note_id: id }, &body)
}

/// A key typed into the note.
pub(super) fn typed(state: &mut State, key: KeyCombo) -> Vec<Effect> {
    if state.keys() == ModeKeys::Editor
        && let Some(editor) = state.editor.as_mut()
    {
        editor.key(key);
    }
    vec![]
}

/// Pasted text goes into the note when the officer is typing there: true if it went in.
pub(super) fn paste_into_note(state: &mut State, text: &str) -> bool {
    let typing = state.keys() == ModeKeys::Editor;
    match state.editor.as_mut() {
        Some(editor) if typing => {
            editor.insert(text);
            true
        }
        _ => false,
    }
}

/// The clock: the call timer moves on, and a changed note is handed to the draft saver.
pub(super) fn tick(state: &mut State, time: NaiveTime) -> Vec<Effect> {
    state.now = state.settings.today.and_time(time);
    match state.editor.as_mut() {
        Some(editor) if editor.dirty => {
            editor.dirty = false;
            vec![Effect::SaveDraft(editor.draft(&state.settings.officer))]
        }
        _ => vec![],
    }
}

/// Keys bound in the note editor.
pub(super) fn editor_command(state: &mut State, command: C) -> Vec<Effect> {
    let Some(editor) = state.editor.as_mut() else {
        state.mode = Mode::Normal;
        return vec![];
    };
    match command {
        C::Back => {
            // Out to read the account; the note stays as it is.
            editor.set_focus(false);
            state.mode = Mode::Normal;
            state.focus = Pane::History;
            say(state, "The note stays open: i goes back into it.");
        }
        C::Snippet => {
            let picker = pick::snippets(&state.settings.snippets);
            return state.open_picker(picker);
        }
        C::Checklist => {
            let picker = pick::checklist(editor);
            return state.open_picker(picker);
        }
        C::SaveNote => return finish(state),
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// Ctrl-S: a note is saved at once; a call or contact asks what came of it first.
fn finish(state: &mut State) -> Vec<Effect> {
    let Some(editor) = state.editor.as_ref() else {
        return vec![];
    };
    let body = editor.body();
    let tenancy_id = editor.tenancy_id;
    match (&editor.purpose, editor.contact_kind()) {
        (NotePurpose::Note | NotePurpose::Amend { .. }, _) if body.trim().is_empty() => {
            state.message = Some(Message::Error(
                "The note is empty: type something, or :discard to close it.".into(),
            ));
            vec![]
        }
        (NotePurpose::Note, _) => vec![Effect::Save(Record::Note {
            tenancy_id,
            body,
            amends: None,
        })],
        (NotePurpose::Amend { note_id }, _) => vec![Effect::Save(Record::Note {
            tenancy_id,
            body,
            amends: Some(*note_id),
        })],
        (_, Some(kind)) => {
            let third_party = editor.call().is_some_and(|c| c.third_party);
            state.open_picker(pick::outcomes(kind, third_party))
        }
        (NotePurpose::Contact { kind }, None) => {
            state.message = Some(Message::Error(format!(
                "`{kind}` is not a kind of contact this version knows: :discard, and record it again."
            )));
            vec![]
        }
        (NotePurpose::Call(_), None) => vec![],
    }
}

/// The contact to save from the open note and how it ended.
fn contact(
    state: &State,
    outcome: ContactOutcome,
    promises: Vec<Promise>,
    call_back: Option<NaiveDateTime>,
) -> Option<Record> {
    let editor = state.editor.as_ref()?;
    let kind = editor.contact_kind()?;
    let tenants = || {
        state
            .current_account()
            .filter(|a| a.record.tenancy_id == editor.tenancy_id)
            .map(|a| tenancy::names(a.record.tenants.iter().map(Tenant::name_pair)))
            .unwrap_or_default()
    };
    let (party, third_party, consent, outgoing, started, seconds) = match editor.call() {
        Some(Call {
            party,
            third_party,
            consent,
            outgoing,
            started,
        }) => (
            party.clone(),
            *third_party,
            *consent,
            Some(*outgoing),
            Some(*started),
            editor.call().map(|c| c.seconds(state.now)),
        ),
        None => (
            tenants(),
            outcome == ContactOutcome::SpokeToThirdParty,
            false,
            match outcome {
                ContactOutcome::Sent => Some(true),
                ContactOutcome::Received => Some(false),
                _ => None,
            },
            None,
            None,
        ),
    };
    Some(Record::Contact(Box::new(Contact {
        tenancy_id: editor.tenancy_id,
        kind,
        party,
        third_party,
        consent,
        outgoing,
        started,
        seconds,
        outcome,
        call_back,
        checklist: editor.checklist.clone(),
        note: editor.body(),
        promises,
    })))
}

/// Saves the open note's contact; the note closes when the store says it is saved.
fn save_contact(
    state: &mut State,
    outcome: ContactOutcome,
    promises: Vec<Promise>,
    call_back: Option<NaiveDateTime>,
) -> Vec<Effect> {
    match contact(state, outcome, promises, call_back) {
        Some(write) => vec![Effect::Save(write)],
        None => vec![],
    }
}

/// A form that was part of a call or contact was filled in.
pub(super) fn filled(state: &mut State, filled: Filled) -> Vec<Effect> {
    match filled {
        Filled::Record(write) => vec![Effect::Save(write)],
        Filled::Party(call) => {
            let text = std::mem::take(&mut state.typed_ahead);
            open_editor(state, NotePurpose::Call(call), &text)
        }
        Filled::Promises(promises) => {
            save_contact(state, ContactOutcome::PromiseToPay, promises, None)
        }
        Filled::CallBack(at) => save_contact(state, ContactOutcome::CallBack, vec![], Some(at)),
        Filled::Checked(reason) => super::letters::checked(state, reason),
    }
}

/// Keys bound in a list.
pub(super) fn pick_command(state: &mut State, command: C) -> Vec<Effect> {
    let Some(picker) = state.picker_mut() else {
        return vec![];
    };
    match command {
        C::MoveDown => picker.move_by(1),
        C::MoveUp => picker.move_by(-1),
        C::PageDown => picker.move_by(10),
        C::PageUp => picker.move_by(-10),
        C::Accept if picker.multi => return close_picker(state),
        C::Accept => match picker.choose() {
            Some(value) => return chosen(state, value),
            None if picker.unarmed => {
                say(state, "Press the key of what happened (or ↓ then Enter).")
            }
            None => say(state, "Nothing matches: change the search, or Esc."),
        },
        C::Back => return close_picker(state),
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// A typed key in a list: a choice's key, or the search.
pub(super) fn pick_edit(state: &mut State, edit: LineEdit) -> Vec<Effect> {
    if typed_ahead(state, edit) {
        return vec![];
    }
    let Some(picker) = state.picker_mut() else {
        return vec![];
    };
    let picked = picker.edit(edit);
    let ticked: Option<Vec<&'static str>> = picker.multi.then(|| {
        picker
            .choices
            .iter()
            .zip(&picker.ticked)
            .filter_map(|(c, on)| match c.value {
                Pick::Check(item) if *on => Some(item),
                _ => None,
            })
            .collect()
    });
    // Typing straight after choosing who: an outgoing call, and the key is the note's first.
    let outgoing = match picker.choices.first() {
        Some(first) if matches!(first.value, Pick::Call(_)) => Some(first.value.clone()),
        _ => None,
    };
    if let (Some(ticked), Some(editor)) = (ticked, state.editor.as_mut()) {
        editor.checklist = ticked;
        editor.dirty = true;
    }
    match (picked, outgoing) {
        (Picked::Chosen(value), _) => chosen(state, value),
        (Picked::Stay, _) => vec![],
        (Picked::NoSuchKey(c), Some(outgoing)) => {
            let effects = chosen(state, outgoing);
            paste_into_note(state, &c.to_string());
            effects
        }
        (Picked::NoSuchKey(c), None) => {
            state.message = Some(Message::Error(format!(
                "{c} is not one of the choices. Esc goes back."
            )));
            vec![]
        }
    }
}

/// On the list of who is on a call, an officer who starts the note at once keeps what is typed:
/// from a key that is no choice's on, every key is the note's (the `o` inside a word never chooses
/// "someone else") until who is chosen with the arrows and Enter, and the note starts with it.
/// True if the key was taken so.
fn typed_ahead(state: &mut State, edit: LineEdit) -> bool {
    let Some(picker) = state.picker() else {
        return false;
    };
    if !picker
        .choices
        .iter()
        .any(|c| matches!(c.value, Pick::OtherParty))
    {
        return false;
    }
    let typing = !state.typed_ahead.is_empty();
    match edit {
        LineEdit::Insert(c) if typing || !picker.choices.iter().any(|o| o.key == Some(c)) => {
            state.typed_ahead.push(c);
        }
        LineEdit::DeleteBack if typing => {
            state.typed_ahead.pop();
        }
        _ => return false,
    }
    let hint = match state.typed_ahead.as_str() {
        "" => pick::WHO.to_string(),
        text => format!(
            "Kept for the note: \u{201c}{text}\u{201d}. Choose who with \u{2193} \u{2191} and Enter."
        ),
    };
    if let Some(picker) = state.picker_mut() {
        picker.hint = hint;
    }
    true
}

/// Esc or Enter in a list that has nothing to choose: back to where it was opened from.
fn close_picker(state: &mut State) -> Vec<Effect> {
    if state.picker().is_some() {
        state.close();
    }
    vec![]
}

fn chosen(state: &mut State, value: Pick) -> Vec<Effect> {
    close_picker(state);
    match value {
        Pick::Party(call) => state.open_picker(pick::direction(&call)),
        Pick::OtherParty => state.open_form(super::form::Purpose::OtherParty),
        Pick::Call(call) => {
            let text = std::mem::take(&mut state.typed_ahead);
            open_editor(
                state,
                NotePurpose::Call(Call {
                    started: state.now,
                    ..call
                }),
                &text,
            )
        }
        Pick::Outcome(ContactOutcome::PromiseToPay) => {
            state.open_form(super::form::Purpose::Promise)
        }
        Pick::Outcome(ContactOutcome::CallBack) => state.open_form(super::form::Purpose::CallBack),
        Pick::Outcome(outcome) => save_contact(state, outcome, vec![], None),
        Pick::Snippet(text) => {
            if let Some(editor) = state.editor.as_mut() {
                editor.insert_phrase(&text);
            }
            vec![]
        }
        Pick::Check(_) | Pick::No => vec![],
        Pick::Account(tenancy_id) => {
            if holds_account(state) {
                return vec![];
            }
            let rows = state.queue_rows();
            state.queue.select_id(tenancy_id, rows);
            state.focus = Pane::Notes;
            state.scroll.notes = 0;
            state.load_selected()
        }
        Pick::Draft(tenancy_id, workstation) => {
            // Of several on one account, the one chosen is the one brought back.
            if let Some(i) = state
                .drafts
                .iter()
                .position(|d| d.tenancy_id == tenancy_id && d.workstation == workstation)
            {
                let draft = state.drafts.remove(i);
                state.drafts.insert(0, draft);
            }
            let rows = state.queue_rows();
            state.queue.select_id(tenancy_id, rows);
            let mut effects = state.load_selected();
            effects.extend(open_editor(state, NotePurpose::Note, ""));
            effects
        }
        pick @ (Pick::CorrectError(_) | Pick::Replace(_)) => super::correct::chosen(state, pick),
        Pick::DiscardNote => match state.editor.take() {
            Some(editor) => {
                state.mode = Mode::Normal;
                state.focus = Pane::Queue;
                say(state, "Note discarded.");
                vec![Effect::DiscardDraft(editor.tenancy_id)]
            }
            None => vec![],
        },
        Pick::QuitAnyway => super::drafts::quit_chosen(state, false),
        Pick::LoseText => super::drafts::quit_chosen(state, true),
    }
}

/// `:discard`: asks first.
pub(super) fn discard(state: &mut State) -> Vec<Effect> {
    let Some(editor) = state.editor.as_ref() else {
        say(state, "No note is open.");
        return vec![];
    };
    let words = editor.word_count();
    state.open_picker(pick::confirm(
        format!("Throw away this note ({words})? It cannot be brought back."),
        "Yes, discard it",
        Pick::DiscardNote,
        "No, keep it",
    ))
}

/// The store saved a write: if it was the open note's, the note closes.
pub(super) fn saved(state: &mut State, tenancy_id: i64) {
    if state.editor.as_ref().map(|e| e.tenancy_id) == Some(tenancy_id) {
        state.editor = None;
        // The call's outcome list or promise form goes with it.
        state.overlays.clear();
        if state.mode == Mode::Editor {
            state.mode = Mode::Normal;
        }
        state.focus = Pane::Queue;
    }
}

pub(super) fn notes_found(state: &mut State, words: &str, hits: Vec<NoteHit>) -> Vec<Effect> {
    if hits.is_empty() {
        say(state, format!("No note has \u{201c}{words}\u{201d}."));
        return vec![];
    }
    let queue = &state.queue;
    let picker = pick::note_hits(words, hits, |id| {
        queue
            .item(id)
            .map(|i| i.name().to_string())
            .unwrap_or_default()
    });
    state.open_picker(picker)
}
