//! The notes pane: this account's notes in full, newest first; a correction is shown with the
//! note it amends struck through beneath it.

use super::pane;
use super::theme::Theme;
use crate::app::layout::cut;
use crate::app::note_threads::threads;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Folded, the top note's day and first line.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, folded: bool, theme: &Theme) {
    let focused = state.focus == Pane::Notes;
    let notes = state
        .current_account()
        .map(|a| a.notes.as_slice())
        .unwrap_or_default();
    let detail = if notes.is_empty() {
        String::new()
    } else if state.focus == Pane::Notes {
        format!("{} · e corrects the marked note", notes.len())
    } else {
        format!("{}", notes.len())
    };
    let block = pane::block(Pane::Notes, focused, pane::detail(detail, theme), theme);
    if notes.is_empty() {
        // Until the selected account is read, nothing is said of its notes.
        let none = match state.current_account() {
            None if state.queue.selected().is_some() => "Opening…",
            _ => "No notes yet.",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(none, theme.muted)).block(block),
            area,
        );
        return;
    }
    let threads = threads(notes);
    if folded {
        let note = threads
            .get(state.scroll.notes)
            .or(threads.first())
            .map(|t| t.note);
        let line = note.map_or_else(Line::default, |note| {
            let day = note.at.format("%d/%m/%y ").to_string();
            let flag = if note.in_error.is_some() {
                "✗ RECORDED IN ERROR "
            } else {
                ""
            };
            let room = usize::from(area.width.saturating_sub(2))
                .saturating_sub(day.len() + flag.chars().count());
            let first = note.body.lines().next().unwrap_or("");
            Line::from(vec![
                Span::styled(day, theme.muted),
                Span::styled(flag, theme.warning),
                Span::raw(cut(first, room).into_owned()),
            ])
        });
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    let mut lines = Vec::new();
    // Every line takes at least a row: those past the pane's height are never seen, and an
    // account with years of notes would otherwise have them all laid out at every key.
    let rows = usize::from(block.inner(area).height);
    for (i, thread) in threads.iter().enumerate().skip(state.scroll.notes) {
        if lines.len() >= rows {
            break;
        }
        let note = thread.note;
        // The top note is the one `e` corrects: marked while the officer is in this pane.
        let mark = if focused && i == state.scroll.notes {
            "▶ "
        } else {
            ""
        };
        let mut head = vec![Span::styled(
            format!("{mark}{} · {}", dates::uk_time(note.at), note.officer),
            theme.muted,
        )];
        if !thread.earlier.is_empty() {
            head.push(Span::styled(" · correction", theme.warning));
        }
        let struck = theme.muted.add_modifier(Modifier::CROSSED_OUT);
        // Typed in a call recorded in error: kept, struck through, and said in words.
        let (body, why) = match &note.in_error {
            Some(c) => {
                head.push(Span::styled(
                    " · ✗ RECORDED IN ERROR with its call",
                    theme.warning,
                ));
                let why = format!(
                    "corrected {} by {}: {}",
                    dates::uk_time(c.at),
                    c.officer,
                    c.reason
                );
                (struck, Some(Line::styled(why, theme.muted)))
            }
            None => (Style::new(), None),
        };
        lines.push(Line::from(head));
        lines.extend(why);
        lines.extend(note.body.lines().map(|l| Line::styled(l.to_string(), body)));
        for old in &thread.earlier {
            lines.push(Line::styled(
                format!("  corrects {} · {}", dates::uk_time(old.at), old.officer),
                theme.muted,
            ));
            lines.extend(
                old.body
                    .lines()
                    .map(|l| Line::styled(format!("  {l}"), struck)),
            );
        }
        lines.push(Line::from(""));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
