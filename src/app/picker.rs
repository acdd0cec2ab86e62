//! A short list to choose from: by one key each (a call's outcome, who is on the phone), or by
//! typing a few letters in any order (snippets). The list knows what its choices stand for, so
//! choosing gives back the value and not an index to look up.

use super::action::LineEdit;
use super::input::LineInput;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice<T> {
    /// The key that picks it at once, if the list is chosen by key.
    pub key: Option<char>,
    pub label: String,
    /// A second, quieter line or column (a phone number, the words around a match).
    pub detail: String,
    pub value: T,
}

impl<T> Choice<T> {
    pub fn new(key: Option<char>, label: impl Into<String>, value: T) -> Choice<T> {
        Choice {
            key,
            label: label.into(),
            detail: String::new(),
            value,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Choice<T> {
        self.detail = detail.into();
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker<T> {
    pub title: String,
    /// What the officer is told below the list.
    pub hint: String,
    pub choices: Vec<Choice<T>>,
    /// Typed letters narrow the list; otherwise a letter is a choice's key.
    pub searchable: bool,
    pub query: LineInput,
    /// Indices of the choices shown, best match first.
    pub shown: Vec<usize>,
    /// Position in `shown`.
    pub selected: usize,
    /// A list that stays open while its choices are ticked (the checklist).
    pub multi: bool,
    pub ticked: Vec<bool>,
    /// Nothing is highlighted until a key or an arrow says which: Enter alone chooses nothing
    /// (an outcome is never recorded because Enter was pressed out of habit).
    pub unarmed: bool,
}

/// What a key does to a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked<T> {
    Chosen(T),
    /// The key was taken (typed into the search, or moved); nothing chosen yet.
    Stay,
    /// The key means nothing here.
    NoSuchKey(char),
}

impl<T: Clone> Picker<T> {
    pub fn new(title: impl Into<String>, choices: Vec<Choice<T>>) -> Picker<T> {
        let shown = (0..choices.len()).collect();
        let ticked = vec![false; choices.len()];
        Picker {
            title: title.into(),
            hint: String::new(),
            choices,
            searchable: false,
            query: LineInput::default(),
            shown,
            selected: 0,
            multi: false,
            ticked,
            unarmed: false,
        }
    }

    pub fn by_key_only(mut self) -> Picker<T> {
        self.unarmed = true;
        self
    }

    pub fn multi(mut self) -> Picker<T> {
        self.multi = true;
        self
    }

    pub fn searchable(mut self) -> Picker<T> {
        self.searchable = true;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Picker<T> {
        self.hint = hint.into();
        self
    }

    pub fn current(&self) -> Option<&Choice<T>> {
        self.highlighted()
            .and_then(|row| self.shown.get(row))
            .map(|&i| &self.choices[i])
    }

    /// The row Enter would choose, if any.
    pub fn highlighted(&self) -> Option<usize> {
        (!self.unarmed).then_some(self.selected)
    }

    pub fn move_by(&mut self, delta: isize) {
        if std::mem::take(&mut self.unarmed) {
            // The first arrow highlights the first choice (or the last, going up).
            self.selected = if delta < 0 {
                self.shown.len().saturating_sub(1)
            } else {
                0
            };
            return;
        }
        let last = self.shown.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The selected choice.
    pub fn choose(&self) -> Option<T> {
        self.current().map(|c| c.value.clone())
    }

    /// A typed key: into the search, or the choice with that key.
    pub fn edit(&mut self, edit: LineEdit) -> Picked<T> {
        if self.searchable {
            self.query.apply(edit);
            self.refilter();
            return Picked::Stay;
        }
        let LineEdit::Insert(c) = edit else {
            return Picked::Stay;
        };
        if self.multi && c == ' ' {
            self.toggle();
            return Picked::Stay;
        }
        match self.choices.iter().position(|choice| choice.key == Some(c)) {
            Some(i) => {
                self.selected = self.shown.iter().position(|&s| s == i).unwrap_or(0);
                if self.multi {
                    self.toggle();
                    return Picked::Stay;
                }
                Picked::Chosen(self.choices[i].value.clone())
            }
            None => Picked::NoSuchKey(c),
        }
    }

    /// Ticks or unticks the selected choice.
    pub fn toggle(&mut self) {
        if let Some(&i) = self.shown.get(self.selected) {
            self.ticked[i] = !self.ticked[i];
        }
    }

    /// Orders the choices by how well they match what is typed; the letters may come in any
    /// order and with gaps ("debt adv" finds "Advised to seek free debt advice").
    fn refilter(&mut self) {
        let pattern = Pattern::new(
            self.query.text(),
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, u32)> = self
            .choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                pattern
                    .score(Utf32Str::new(&c.label, &mut buf), &mut matcher)
                    .map(|score| (i, score))
            })
            .collect();
        // Stable: equal scores keep the order the list was written in.
        scored.sort_by_key(|(_, score)| std::cmp::Reverse(*score));
        self.shown = scored.into_iter().map(|(i, _)| i).collect();
        self.selected = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn type_in<T: Clone>(p: &mut Picker<T>, text: &str) {
        for c in text.chars() {
            p.edit(LineEdit::Insert(c));
        }
    }

    #[test]
    fn a_key_list_chooses_at_once_and_says_when_a_key_means_nothing() {
        let mut p = Picker::new(
            "Outcome",
            vec![
                Choice::new(Some('n'), "No answer", 1),
                Choice::new(Some('p'), "Promise to pay", 2),
            ],
        );
        assert_eq!(p.edit(LineEdit::Insert('p')), Picked::Chosen(2));
        assert_eq!(p.edit(LineEdit::Insert('x')), Picked::NoSuchKey('x'));
        p.move_by(-5);
        assert_eq!(p.choose(), Some(1));
        let mut keyed = p.clone().by_key_only();
        assert_eq!(keyed.choose(), None, "Enter alone chooses nothing");
        keyed.move_by(1);
        assert_eq!(
            keyed.choose(),
            Some(1),
            "the first arrow highlights the first"
        );
        p.move_by(5);
        assert_eq!(p.choose(), Some(2));
    }

    #[test]
    fn a_multi_list_ticks_and_stays_open() {
        let mut p = Picker::new(
            "Checklist",
            vec![
                Choice::new(Some('1'), "a", 1),
                Choice::new(Some('2'), "b", 2),
            ],
        )
        .multi();
        assert_eq!(p.edit(LineEdit::Insert('2')), Picked::Stay);
        assert_eq!(p.ticked, [false, true]);
        p.move_by(-1);
        p.edit(LineEdit::Insert(' '));
        p.edit(LineEdit::Insert('2'));
        assert_eq!(p.ticked, [true, false]);
    }

    #[test]
    fn a_search_list_matches_letters_in_any_order() {
        let phrases = [
            "Discussed Universal Credit housing costs",
            "Advised to seek free independent debt advice",
            "Rent statement sent",
        ];
        let mut p = Picker::new(
            "Snippets",
            phrases
                .iter()
                .map(|s| Choice::new(None, *s, s.to_string()))
                .collect(),
        )
        .searchable();
        type_in(&mut p, "debt adv");
        assert_eq!(p.choose().as_deref(), Some(phrases[1]));
        p.edit(LineEdit::Clear);
        type_in(&mut p, "UC hous");
        assert_eq!(p.choose().as_deref(), Some(phrases[0]));
        type_in(&mut p, "zzz");
        assert_eq!(p.choose(), None, "nothing matches");
        p.edit(LineEdit::Clear);
        assert_eq!(p.shown.len(), 3, "an empty search shows everything");
    }
}
