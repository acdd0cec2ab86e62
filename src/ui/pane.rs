//! The frame around every pane: its number and title, brighter when it has focus.

use super::theme::Theme;
use crate::app::state::Pane;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

pub fn block<'a>(pane: Pane, focused: bool, detail: String, theme: &Theme) -> Block<'a> {
    let title = Line::from(vec![
        Span::styled(
            format!(" {} {} ", pane.number(), pane.title()),
            if focused { theme.title } else { theme.muted },
        ),
        Span::styled(
            if detail.is_empty() {
                String::new()
            } else {
                format!("{detail} ")
            },
            theme.muted,
        ),
    ]);
    let block = Block::bordered().title(title);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.accent)
    } else {
        block.border_style(theme.muted)
    }
}
