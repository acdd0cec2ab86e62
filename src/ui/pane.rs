//! The frame around every pane: its number and title, brighter when it has focus, and a detail
//! (counts, tabs) beside the title.

use super::theme::Theme;
use crate::app::state::Pane;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

pub fn block<'a>(pane: Pane, focused: bool, detail: Vec<Span<'a>>, theme: &Theme) -> Block<'a> {
    let title = format!(" {} {} ", pane.number(), pane.title());
    titled(title, focused, detail, theme)
}

/// The same frame around something that is not one of the four panes (the plan editor).
pub fn titled<'a>(title: String, focused: bool, detail: Vec<Span<'a>>, theme: &Theme) -> Block<'a> {
    let mut title = vec![Span::styled(
        title,
        if focused { theme.title } else { theme.muted },
    )];
    title.extend(detail);
    let block = Block::bordered().title(Line::from(title));
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.accent)
    } else {
        block.border_style(theme.muted)
    }
}

/// A plain detail beside the title.
pub fn detail<'a>(text: String, theme: &Theme) -> Vec<Span<'a>> {
    if text.is_empty() {
        vec![]
    } else {
        vec![Span::styled(format!("{text} "), theme.muted)]
    }
}
