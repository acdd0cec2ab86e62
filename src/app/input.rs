//! A one-line text field (the filter, the command line, a form's fields).

use super::action::LineEdit;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Byte offset of the cursor, always on a character boundary.
    cursor: usize,
    /// The whole text is selected: typing replaces it (a form field's default, when entered).
    selected: bool,
}

impl LineInput {
    /// A field already holding `text`, the cursor at its end.
    pub fn with_text(text: &str) -> LineInput {
        LineInput {
            text: text.to_string(),
            cursor: text.len(),
            selected: false,
        }
    }

    /// Selects the whole text, so that what is typed next replaces it.
    pub fn select_all(&mut self) {
        self.selected = !self.text.is_empty();
        self.cursor = self.text.len();
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.text[..self.cursor].chars().count()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    pub fn apply(&mut self, edit: LineEdit) {
        if std::mem::take(&mut self.selected) {
            match edit {
                LineEdit::Insert(_) => self.clear(),
                LineEdit::DeleteBack | LineEdit::DeleteForward | LineEdit::DeleteWord => {
                    return self.clear();
                }
                _ => {}
            }
        }
        let before =
            |s: &str, at: usize| s[..at].chars().next_back().map_or(0, |c| at - c.len_utf8());
        let after = |s: &str, at: usize| s[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        match edit {
            LineEdit::Insert(c) => {
                self.text.insert(self.cursor, c);
                self.cursor += c.len_utf8();
            }
            LineEdit::DeleteBack => {
                let from = before(&self.text, self.cursor);
                self.text.replace_range(from..self.cursor, "");
                self.cursor = from;
            }
            LineEdit::DeleteForward => {
                let to = after(&self.text, self.cursor);
                self.text.replace_range(self.cursor..to, "");
            }
            LineEdit::Left => self.cursor = before(&self.text, self.cursor),
            LineEdit::Right => self.cursor = after(&self.text, self.cursor),
            LineEdit::Home => self.cursor = 0,
            LineEdit::End => self.cursor = self.text.len(),
            LineEdit::DeleteWord => {
                let head = self.text[..self.cursor].trim_end();
                let from = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
                self.text.replace_range(from..self.cursor, "");
                self.cursor = from;
            }
            LineEdit::Clear => self.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> LineInput {
        let mut input = LineInput::default();
        s.chars().for_each(|c| input.apply(LineEdit::Insert(c)));
        input
    }

    #[test]
    fn edits_by_character_and_word() {
        let mut input = typed("smith road");
        input.apply(LineEdit::DeleteWord);
        assert_eq!(input.text(), "smith ");
        input.apply(LineEdit::Home);
        input.apply(LineEdit::DeleteForward);
        assert_eq!(input.text(), "mith ");
        input.apply(LineEdit::End);
        input.apply(LineEdit::DeleteBack);
        input.apply(LineEdit::DeleteBack);
        assert_eq!((input.text(), input.cursor()), ("mit", 3));
        input.apply(LineEdit::Clear);
        assert_eq!(input.text(), "");
        input.apply(LineEdit::DeleteBack);
        input.apply(LineEdit::Left);
        assert_eq!(input.text(), "");
    }

    #[test]
    fn a_selected_default_is_replaced_by_typing_and_kept_by_moving() {
        let mut input = LineInput::with_text("2w");
        input.select_all();
        input.apply(LineEdit::Insert('3'));
        assert_eq!(input.text(), "3");
        let mut input = LineInput::with_text("2w");
        input.select_all();
        input.apply(LineEdit::Left);
        input.apply(LineEdit::Insert('1'));
        assert_eq!(input.text(), "21w");
        input.select_all();
        input.apply(LineEdit::DeleteBack);
        assert_eq!(input.text(), "");
    }

    #[test]
    fn multibyte_text_is_safe() {
        let mut input = typed("£5 Brontë");
        input.apply(LineEdit::Left);
        input.apply(LineEdit::Left);
        input.apply(LineEdit::DeleteBack);
        assert_eq!(input.text(), "£5 Brotë");
        input.apply(LineEdit::Home);
        input.apply(LineEdit::DeleteForward);
        assert_eq!(input.text(), "5 Brotë");
    }
}
