//! The notes pane: this account's notes in full, newest first; a correction is shown with the
//! note it amends struck through beneath it.

use super::pane;
use super::theme::Theme;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Notes;
    let notes = state
        .current_account()
        .map(|a| a.notes.as_slice())
        .unwrap_or_default();
    let detail = if notes.is_empty() {
        String::new()
    } else {
        format!("{}", notes.len())
    };
    let block = pane::block(Pane::Notes, focused, pane::detail(detail, theme), theme);
    if notes.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("No notes yet.", theme.muted)).block(block),
            area,
        );
        return;
    }
    let amended: Vec<i64> = notes.iter().filter_map(|n| n.amends).collect();
    let mut lines = Vec::new();
    for note in notes.iter().skip(state.scroll.notes) {
        let superseded = amended.contains(&note.id);
        let mut head = vec![Span::styled(
            format!("{} · {}", dates::uk_time(note.at), note.officer),
            theme.muted,
        )];
        if note.amends.is_some() {
            head.push(Span::styled(" · correction", theme.warning));
        }
        if superseded {
            head.push(Span::styled(" · corrected below", theme.warning));
        }
        lines.push(Line::from(head));
        let body = if superseded {
            theme.muted.add_modifier(Modifier::CROSSED_OUT)
        } else {
            Default::default()
        };
        lines.extend(note.body.lines().map(|l| Line::styled(l.to_string(), body)));
        lines.push(Line::from(""));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
