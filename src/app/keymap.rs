//! Keys are data: one map per mode from a key (written `j`, `<down>`, `<C-c>`, `<S-tab>`) to an
//! action. The built-in map is the default config file; a user's file overrides it key by key,
//! and `"none"` unbinds a key.

use super::action::{Action, Command, LineEdit};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The modes that have their own keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ModeKeys {
    Normal,
    Filter,
    Command,
    Help,
    Record,
    Form,
    Editor,
    Pick,
    Plan,
    Assessment,
    Confirm,
    Letter,
}

impl ModeKeys {
    pub const ALL: &[ModeKeys] = &[
        ModeKeys::Normal,
        ModeKeys::Filter,
        ModeKeys::Command,
        ModeKeys::Help,
        ModeKeys::Record,
        ModeKeys::Form,
        ModeKeys::Editor,
        ModeKeys::Pick,
        ModeKeys::Plan,
        ModeKeys::Assessment,
        ModeKeys::Confirm,
        ModeKeys::Letter,
    ];

    /// The name of its table in the config file (`[keys.normal]`).
    pub fn name(self) -> &'static str {
        match self {
            ModeKeys::Normal => "normal",
            ModeKeys::Filter => "filter",
            ModeKeys::Command => "command",
            ModeKeys::Help => "help",
            ModeKeys::Record => "record",
            ModeKeys::Form => "form",
            ModeKeys::Editor => "editor",
            ModeKeys::Pick => "pick",
            ModeKeys::Plan => "plan",
            ModeKeys::Assessment => "assessment",
            ModeKeys::Confirm => "confirm",
            ModeKeys::Letter => "letter",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ModeKeys::Normal => "NORMAL",
            ModeKeys::Filter => "FILTER",
            ModeKeys::Command => "COMMAND",
            ModeKeys::Help => "HELP",
            ModeKeys::Record => "RECORD",
            ModeKeys::Form => "FORM",
            ModeKeys::Editor => "NOTE",
            ModeKeys::Pick => "CHOOSE",
            ModeKeys::Plan => "PLAN",
            ModeKeys::Assessment => "I&E",
            ModeKeys::Confirm => "CONFIRM",
            ModeKeys::Letter => "LETTER",
        }
    }

    /// Modes whose unbound printable keys are typed into a line of text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            ModeKeys::Filter
                | ModeKeys::Command
                | ModeKeys::Form
                | ModeKeys::Pick
                | ModeKeys::Plan
                | ModeKeys::Assessment
        )
    }
}

/// A key with its modifiers, normalised so that `G` is `G` whether or not the terminal also
/// reports Shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyCombo {
    code: Key,
    ctrl: bool,
    alt: bool,
    /// Only for named keys (Shift-Left selects in the editor); a character carries its shift.
    shift: bool,
}

/// The keys caseload binds, ordered for stable help listings; the terminal's own key events are
/// turned into these where they are read (`tui`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Char(char),
    F(u8),
    Named(Named),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Named {
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

const NAMES: &[(&str, Named, &str)] = &[
    ("ret", Named::Enter, "Enter"),
    ("enter", Named::Enter, "Enter"),
    ("esc", Named::Esc, "Esc"),
    ("tab", Named::Tab, "Tab"),
    ("backtab", Named::BackTab, "Shift-Tab"),
    ("bs", Named::Backspace, "Backspace"),
    ("backspace", Named::Backspace, "Backspace"),
    ("del", Named::Delete, "Delete"),
    ("ins", Named::Insert, "Insert"),
    ("up", Named::Up, "Up"),
    ("down", Named::Down, "Down"),
    ("left", Named::Left, "Left"),
    ("right", Named::Right, "Right"),
    ("home", Named::Home, "Home"),
    ("end", Named::End, "End"),
    ("pgup", Named::PageUp, "PgUp"),
    ("pgdn", Named::PageDown, "PgDn"),
];

impl KeyCombo {
    /// A key as the terminal reports it. Shift is kept only for named keys (Shift-Left selects
    /// in the editor): a character carries its own shift, so `G` is `G` however it is reported.
    pub fn new(code: Key, ctrl: bool, alt: bool, shift: bool) -> KeyCombo {
        KeyCombo {
            code,
            ctrl,
            alt,
            shift: shift && matches!(code, Key::Named(n) if n != Named::BackTab),
        }
    }

    /// Parses `j`, `G`, `?`, `<down>`, `<C-c>`, `<A-x>`, `<S-tab>`, `<F1>`, `<space>`.
    pub fn parse(text: &str) -> Result<KeyCombo, String> {
        let bad = || format!("`{text}` is not a key (write e.g. j, <down>, <C-c>, <S-tab>, <F1>)");
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(KeyCombo {
                code: Key::Char(c),
                ctrl: false,
                alt: false,
                shift: false,
            });
        }
        let inner = text
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .ok_or_else(bad)?;
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = inner;
        while let Some((modifier, tail)) = rest
            .split_once('-')
            .filter(|(m, t)| m.len() == 1 && !t.is_empty())
        {
            match modifier {
                "C" | "c" => ctrl = true,
                "A" | "a" | "M" | "m" => alt = true,
                "S" | "s" => shift = true,
                _ => return Err(bad()),
            }
            rest = tail;
        }
        let lower = rest.to_ascii_lowercase();
        let code = if let Some((_, named, _)) = NAMES.iter().find(|(n, _, _)| *n == lower) {
            match (named, shift) {
                (Named::Tab, true) => Key::Named(Named::BackTab),
                (named, _) => Key::Named(*named),
            }
        } else if lower == "space" {
            Key::Char(' ')
        } else if let Some(n) = lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            Key::F(n)
        } else {
            let mut cs = rest.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if shift => Key::Char(c.to_ascii_uppercase()),
                (Some(c), None) => Key::Char(c),
                _ => return Err(bad()),
            }
        };
        let shift = shift && matches!(code, Key::Named(n) if n != Named::BackTab);
        Ok(KeyCombo {
            code,
            ctrl,
            alt,
            shift,
        })
    }

    /// Plain keys read best in hints and help: `q` before Ctrl-c, `j` before Down.
    fn display_rank(self) -> (bool, bool, KeyCombo) {
        (
            self.ctrl || self.alt,
            matches!(self.code, Key::Named(_)),
            self,
        )
    }

    /// The key as the note editor takes it.
    pub fn textarea_input(self) -> ratatui_textarea::Input {
        use ratatui_textarea::Key as T;
        let key = match self.code {
            Key::Char(c) => T::Char(c),
            Key::F(n) => T::F(n),
            Key::Named(named) => match named {
                Named::Enter => T::Enter,
                Named::Esc => T::Esc,
                Named::Tab | Named::BackTab => T::Tab,
                Named::Backspace => T::Backspace,
                Named::Delete => T::Delete,
                Named::Insert => T::Null,
                Named::Up => T::Up,
                Named::Down => T::Down,
                Named::Left => T::Left,
                Named::Right => T::Right,
                Named::Home => T::Home,
                Named::End => T::End,
                Named::PageUp => T::PageUp,
                Named::PageDown => T::PageDown,
            },
        };
        ratatui_textarea::Input {
            key,
            ctrl: self.ctrl,
            alt: self.alt,
            shift: self.shift,
        }
    }

    /// The printable character this key types into a text field, if any.
    pub fn typed_char(self) -> Option<char> {
        match self.code {
            Key::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// The built-in editing of a one-line text field.
    fn line_edit(self) -> Option<LineEdit> {
        if let Some(c) = self.typed_char() {
            return Some(LineEdit::Insert(c));
        }
        Some(match (self.code, self.ctrl) {
            (Key::Named(Named::Backspace), false) => LineEdit::DeleteBack,
            (Key::Named(Named::Delete), false) => LineEdit::DeleteForward,
            (Key::Named(Named::Left), false) => LineEdit::Left,
            (Key::Named(Named::Right), false) => LineEdit::Right,
            (Key::Named(Named::Home), false) | (Key::Char('a'), true) => LineEdit::Home,
            (Key::Named(Named::End), false) | (Key::Char('e'), true) => LineEdit::End,
            (Key::Char('w'), true) | (Key::Named(Named::Backspace), true) => LineEdit::DeleteWord,
            (Key::Char('u'), true) => LineEdit::Clear,
            _ => return None,
        })
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if self.shift {
            f.write_str("Shift-")?;
        }
        match self.code {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::F(n) => write!(f, "F{n}"),
            Key::Named(named) => {
                let label = NAMES
                    .iter()
                    .find(|(_, n, _)| *n == named)
                    .map_or("?", |(_, _, l)| *l);
                f.write_str(label)
            }
        }
    }
}

// Read as a plain string so an error inside `[keys.normal]` can be traced to its line.
impl<'de> Deserialize<'de> for ModeKeys {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let name = String::deserialize(de)?;
        ModeKeys::ALL
            .iter()
            .copied()
            .find(|m| m.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = ModeKeys::ALL.iter().map(|m| m.name()).collect();
                serde::de::Error::custom(format!(
                    "there is no mode `{name}` (modes: {})",
                    known.join(", ")
                ))
            })
    }
}

impl<'de> Deserialize<'de> for KeyCombo {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let text = String::deserialize(de)?;
        KeyCombo::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What a key is bound to in the config file: an action, or `"none"` to unbind a default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    To(Command),
    Unbound,
}

impl<'de> Deserialize<'de> for Binding {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let name = String::deserialize(de)?;
        if name == "none" {
            return Ok(Binding::Unbound);
        }
        Command::parse(&name).map(Binding::To).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{name}` is not an action (see the [keys] comments)"
            ))
        })
    }
}

/// Key bindings as written in the config file: mode → key → binding.
pub type KeyConfig = BTreeMap<ModeKeys, BTreeMap<KeyCombo, Binding>>;

/// The live keymap.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    modes: HashMap<ModeKeys, HashMap<KeyCombo, Command>>,
}

impl Keymap {
    pub fn new(config: &KeyConfig) -> Keymap {
        let modes = config
            .iter()
            .map(|(mode, keys)| {
                let bound = keys
                    .iter()
                    .filter_map(|(key, binding)| match binding {
                        Binding::To(command) => Some((*key, *command)),
                        Binding::Unbound => None,
                    })
                    .collect();
                (*mode, bound)
            })
            .collect();
        Keymap { modes }
    }

    /// The action for a key in a mode: a binding first, then (in text modes) line editing; in
    /// the note editor every other key is typed.
    pub fn resolve(&self, mode: ModeKeys, key: KeyCombo) -> Action {
        if let Some(command) = self.modes.get(&mode).and_then(|keys| keys.get(&key)) {
            return Action::Command(*command);
        }
        if mode == ModeKeys::Editor {
            return Action::Type(key);
        }
        if mode.takes_text()
            && let Some(edit) = key.line_edit()
        {
            return Action::Edit(edit);
        }
        Action::Unbound(key.to_string())
    }

    /// Every binding of a mode, grouped by command in help order, for the help overlay.
    pub fn bindings(&self, mode: ModeKeys) -> Vec<(Command, Vec<KeyCombo>)> {
        let keys = self.modes.get(&mode);
        Command::ALL
            .iter()
            .filter_map(|command| {
                let mut bound: Vec<KeyCombo> = keys?
                    .iter()
                    .filter(|(_, c)| *c == command)
                    .map(|(k, _)| *k)
                    .collect();
                bound.sort_by_key(|k| k.display_rank());
                (!bound.is_empty()).then_some((*command, bound))
            })
            .collect()
    }

    /// The plainest key bound to `command` in `mode`, for hints.
    pub fn key_for(&self, mode: ModeKeys, command: Command) -> Option<KeyCombo> {
        self.modes
            .get(&mode)?
            .iter()
            .filter(|(_, c)| **c == command)
            .map(|(k, _)| *k)
            .min_by_key(|k| k.display_rank())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> KeyCombo {
        KeyCombo::parse(s).unwrap()
    }

    #[test]
    fn parses_key_names() {
        assert_eq!(k("<S-tab>"), k("<backtab>"));
        assert_eq!(k("<C-c>").to_string(), "Ctrl-c");
        assert_eq!(k("<pgdn>").to_string(), "PgDn");
        assert_eq!(k("<space>"), k(" "));
        assert_eq!(k("<F1>").to_string(), "F1");
        assert_eq!(k("<S-g>"), k("G"));
        assert!(KeyCombo::parse("<nope>").is_err());
        assert!(KeyCombo::parse("jj").is_err());
        assert!(KeyCombo::parse("<X-a>").is_err());
    }

    #[test]
    fn keys_normalise_shift() {
        assert_eq!(KeyCombo::new(Key::Char('G'), false, false, true), k("G"));
        let backtab = KeyCombo::new(Key::Named(Named::BackTab), false, false, true);
        assert_eq!(backtab, k("<S-tab>"));
        assert_eq!(
            KeyCombo::new(Key::Char('c'), true, false, false),
            k("<C-c>")
        );
        let select = KeyCombo::new(Key::Named(Named::Left), false, false, true);
        assert_eq!(select.to_string(), "Shift-Left");
    }

    #[test]
    fn bindings_override_and_text_modes_type() {
        let mut config = KeyConfig::new();
        config
            .entry(ModeKeys::Normal)
            .or_default()
            .insert(k("j"), Binding::To(Command::MoveDown));
        config
            .entry(ModeKeys::Normal)
            .or_default()
            .insert(k("x"), Binding::Unbound);
        config
            .entry(ModeKeys::Filter)
            .or_default()
            .insert(k("<esc>"), Binding::To(Command::Back));
        let keymap = Keymap::new(&config);
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, k("j")),
            Action::Command(Command::MoveDown)
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Normal, k("x")),
            Action::Unbound("x".into())
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Filter, k("j")),
            Action::Edit(LineEdit::Insert('j'))
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Filter, k("<esc>")),
            Action::Command(Command::Back)
        );
        assert_eq!(
            keymap.resolve(ModeKeys::Filter, k("<C-u>")),
            Action::Edit(LineEdit::Clear)
        );
        assert_eq!(
            keymap.key_for(ModeKeys::Normal, Command::MoveDown),
            Some(k("j"))
        );
    }
}
