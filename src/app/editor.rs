//! The note editor: a real multi-line editor (word wrap, undo and redo, selection, cut, copy and
//! paste, moving by word and line), and what the note is for: a call with its timer, a contact,
//! a correction of an earlier note, or a note on its own. Its text is saved as a draft as it is
//! typed, so a crash or a closed window loses at most the last second.

use super::keymap::KeyCombo;
use crate::domain::actions::ActionKind;
use crate::domain::contact::duration;
use crate::domain::dates::uk_time;
use crate::store::Draft;
use chrono::NaiveDateTime;
use ratatui_textarea::{CursorMove, Input, Key, TextArea, WrapMode};
use serde::{Deserialize, Serialize};

/// A call in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    /// Who, as the log will say it: "Ada Smith (tenant) 07700 900001".
    pub party: String,
    pub third_party: bool,
    /// A third party the tenant has agreed may discuss the account.
    pub consent: bool,
    pub outgoing: bool,
    pub started: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum Purpose {
    Note,
    /// A correction of an earlier note: both are kept, the earlier one shown struck through.
    Amend {
        note_id: i64,
    },
    Call(Call),
    /// Email, SMS, letter received, home or office visit.
    Contact {
        kind: String,
    },
}

/// The protocol checklist a call can tick; ticked items are saved with the call.
pub const CHECKLIST: [&str; 5] = [
    "income and expenditure discussed",
    "benefit entitlement checked",
    "advised of free debt advice",
    "vulnerability asked about",
    "rent statement offered",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Context {
    #[serde(flatten)]
    purpose: Purpose,
    #[serde(default)]
    checklist: Vec<String>,
}

#[derive(Debug)]
pub struct Editor {
    pub tenancy_id: i64,
    pub purpose: Purpose,
    pub text: TextArea<'static>,
    pub checklist: Vec<&'static str>,
    /// Changed since the last draft was handed to the saver.
    pub dirty: bool,
}

impl Editor {
    pub fn new(tenancy_id: i64, purpose: Purpose, text: &str) -> Editor {
        let mut area = TextArea::new(text.lines().map(str::to_string).collect());
        area.set_wrap_mode(WrapMode::Word);
        // No underline under the line being typed: the cursor shows where it is.
        area.set_cursor_line_style(Default::default());
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Editor {
            tenancy_id,
            purpose,
            text: area,
            checklist: Vec::new(),
            dirty: false,
        }
    }

    /// Shows the cursor (the editor's own cursor style) only while the officer is typing into the
    /// note.
    pub fn set_focus(&mut self, focused: bool) {
        let style = if focused {
            TextArea::default().cursor_style()
        } else {
            Default::default()
        };
        self.text.set_cursor_style(style);
    }

    /// Everything typed, lines joined.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    /// "1 word", "12 words".
    pub fn word_count(&self) -> String {
        match self.words() {
            1 => "1 word".into(),
            n => format!("{n} words"),
        }
    }

    pub fn words(&self) -> usize {
        self.text
            .lines()
            .iter()
            .map(|l| l.split_whitespace().count())
            .sum()
    }

    /// Types a key into the note. Every key goes to the text (no typed key is a command); the
    /// usual desktop keys are added: Ctrl-Z undo, Ctrl-Y redo, Ctrl-V paste.
    pub fn key(&mut self, key: KeyCombo) {
        let input = match key.textarea_input() {
            Input {
                key: Key::Char('z'),
                ctrl: true,
                alt: false,
                ..
            } => Input {
                key: Key::Char('u'),
                ctrl: true,
                ..Input::default()
            },
            Input {
                key: Key::Char('y'),
                ctrl: true,
                alt: false,
                ..
            } => Input {
                key: Key::Char('r'),
                ctrl: true,
                ..Input::default()
            },
            Input {
                key: Key::Char('v'),
                ctrl: true,
                alt: false,
                ..
            } => Input {
                key: Key::Paste,
                ..Input::default()
            },
            other => other,
        };
        if self.text.input(input) {
            self.dirty = true;
        }
    }

    /// Inserts text at the cursor (text pasted from the terminal). Most terminals send a pasted
    /// line break as a carriage return, which is a line break here too.
    pub fn insert(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if self.text.insert_str(text) {
            self.dirty = true;
        }
    }

    /// Inserts a standard phrase as words of the note: spaced from a word just before it.
    pub fn insert_phrase(&mut self, phrase: &str) {
        let ratatui_textarea::DataCursor(row, col) = self.text.cursor();
        let before = self.text.lines()[row].chars().nth(col.wrapping_sub(1));
        if before.is_some_and(|c| !c.is_whitespace()) {
            self.insert(" ");
        }
        self.insert(phrase);
    }

    pub fn toggle(&mut self, item: &'static str) {
        if let Some(i) = self.checklist.iter().position(|c| *c == item) {
            self.checklist.remove(i);
        } else {
            self.checklist.push(item);
        }
        self.dirty = true;
    }

    /// The draft to save: text, cursor, and what the note is for.
    pub fn draft(&self, officer: &str) -> Draft {
        let context = Context {
            purpose: self.purpose.clone(),
            checklist: self.checklist.iter().map(|c| (*c).to_string()).collect(),
        };
        let cursor = self.text.cursor();
        Draft {
            tenancy_id: self.tenancy_id,
            body: self.body(),
            cursor: (cursor.0, cursor.1),
            context: serde_json::to_string(&context).expect("a draft's context serialises"),
            officer: officer.to_string(),
            // The draft saver writes it as this workstation's.
            workstation: String::new(),
            saved_at: String::new(),
        }
    }

    /// The editor as it was when its draft was last saved, cursor and call timer included.
    pub fn restore(draft: &Draft) -> Editor {
        let context: Context = serde_json::from_str(&draft.context).unwrap_or(Context {
            purpose: Purpose::Note,
            checklist: vec![],
        });
        let mut editor = Editor::new(draft.tenancy_id, context.purpose, &draft.body);
        let (row, col) = draft.cursor;
        editor.text.move_cursor(CursorMove::Jump(
            u16::try_from(row).unwrap_or(u16::MAX),
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
        editor.checklist = CHECKLIST
            .iter()
            .copied()
            .filter(|item| context.checklist.iter().any(|c| c == item))
            .collect();
        editor
    }

    pub fn call(&self) -> Option<&Call> {
        match &self.purpose {
            Purpose::Call(call) => Some(call),
            _ => None,
        }
    }

    /// A contact's kind, as recorded.
    pub fn contact_kind(&self) -> Option<ActionKind> {
        match &self.purpose {
            Purpose::Contact { kind } => ActionKind::parse(kind),
            Purpose::Call(_) => Some(ActionKind::Call),
            _ => None,
        }
    }

    /// "Call with Ada Smith (tenant) 07700 900001, outgoing, 03:12", or what else the note is.
    pub fn title(&self, now: NaiveDateTime) -> String {
        match &self.purpose {
            Purpose::Note => "Note".to_string(),
            Purpose::Amend { .. } => "Correction of a note (the earlier one is kept)".to_string(),
            Purpose::Contact { kind } => {
                format!(
                    "Note of {}",
                    ActionKind::parse(kind)
                        .map_or("a contact", |k| k.label())
                        .to_lowercase()
                )
            }
            Purpose::Call(call) => format!(
                "Call {} {}, {}",
                if call.outgoing { "to" } else { "from" },
                call.party,
                duration(call.seconds(now))
            ),
        }
    }

    /// What this note is, for the list of unsaved drafts.
    pub fn kind_label(&self) -> String {
        match &self.purpose {
            Purpose::Call(call) => format!(
                "call {} {} started {}",
                if call.outgoing { "to" } else { "from" },
                call.party,
                uk_time(call.started)
            ),
            _ => self.title(NaiveDateTime::MIN),
        }
    }
}

impl Call {
    /// How long it has lasted at `now`.
    pub fn seconds(&self, now: NaiveDateTime) -> i64 {
        (now - self.started).num_seconds().max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::session::parse_keys;

    fn typed(editor: &mut Editor, keys: &str) {
        for key in parse_keys(keys) {
            editor.key(key);
        }
    }

    fn at(s: &str) -> NaiveDateTime {
        crate::domain::dates::parse_moment(s).unwrap().0
    }

    #[test]
    fn typing_undo_redo_and_word_deletion() {
        let mut e = Editor::new(1, Purpose::Note, "");
        typed(&mut e, "Spoke to tenant<ret>will pay Friday");
        assert_eq!(e.body(), "Spoke to tenant\nwill pay Friday");
        assert_eq!(e.words(), 6);
        typed(&mut e, "<C-w>");
        assert_eq!(e.body(), "Spoke to tenant\nwill pay ");
        typed(&mut e, "<C-z>");
        assert_eq!(e.body(), "Spoke to tenant\nwill pay Friday");
        typed(&mut e, "<C-y>");
        assert_eq!(e.body(), "Spoke to tenant\nwill pay ");
        assert!(e.dirty);
    }

    #[test]
    fn keys_that_are_commands_elsewhere_are_text_here() {
        let mut e = Editor::new(1, Purpose::Note, "");
        typed(&mut e, "q?/:jk[]acnzr");
        assert_eq!(e.body(), "q?/:jk[]acnzr");
    }

    #[test]
    fn select_copy_paste_and_home_end() {
        let mut e = Editor::new(1, Purpose::Note, "");
        typed(&mut e, "abc<S-left><S-left><C-c><end><C-v>");
        assert_eq!(e.body(), "abcbc");
        typed(&mut e, "<home>X");
        assert_eq!(e.body(), "Xabcbc");
    }

    #[test]
    fn a_draft_restores_text_cursor_call_and_checklist_exactly() {
        let call = Call {
            party: "Ada Smith (tenant) 07700 900001".into(),
            third_party: false,
            consent: false,
            outgoing: true,
            started: at("2026-11-23T10:01:00"),
        };
        let mut e = Editor::new(7, Purpose::Call(call.clone()), "");
        typed(&mut e, "Line one<ret>Line two £50<left><left>");
        e.toggle(CHECKLIST[2]);
        let draft = e.draft("tester");
        let back = Editor::restore(&draft);
        assert_eq!(back.body(), "Line one\nLine two £50");
        assert_eq!(back.text.cursor(), e.text.cursor());
        assert_eq!(back.call(), Some(&call));
        assert_eq!(back.checklist, vec![CHECKLIST[2]]);
        assert_eq!(
            back.title(at("2026-11-23T10:04:12")),
            "Call to Ada Smith (tenant) 07700 900001, 3:12"
        );
    }
}
