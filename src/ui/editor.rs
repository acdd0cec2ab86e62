//! The open note, in the queue's place: what the call is (and its timer), the text being typed,
//! and the words and the checklist beneath it (the status bar has the keys).

use super::theme::Theme;
use crate::app::editor::{CHECKLIST, Editor};
use crate::app::state::{Pane, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

/// Folded, the line beneath the text alone: the note is there, and how long it is.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    editor: &Editor,
    folded: bool,
    theme: &Theme,
) {
    // The note has the focus while typing, and while a list or form it opened is on top.
    let typing = state.focus == Pane::Queue;
    let reference = state
        .queue
        .item(editor.tenancy_id)
        .map(|i| i.reference().to_string())
        .unwrap_or_default();
    let title = Line::from(vec![
        Span::styled(" ✎ ", theme.accent),
        Span::styled(editor.title(state.now), theme.title),
        Span::styled(format!(" · {reference} "), theme.muted),
    ]);
    let block = Block::bordered().title(title);
    let block = if typing {
        block
            .border_type(BorderType::Thick)
            .border_style(theme.accent)
    } else {
        block.border_style(theme.muted)
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [text, foot] =
        Layout::vertical([Constraint::Min(u16::from(!folded)), Constraint::Length(1)]).areas(inner);
    frame.render_widget(&editor.text, text);

    let mut spans = vec![Span::styled(
        format!(" {}", editor.word_count()),
        theme.muted,
    )];
    if editor.call().is_some() {
        spans.push(Span::styled(
            format!(
                " · checklist {}/{}",
                editor.checklist.len(),
                CHECKLIST.len()
            ),
            theme.muted,
        ));
    }
    if !typing {
        spans.push(Span::styled(
            " · not typing: the account's keys work",
            theme.warning,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), foot);
}
