//! Pop-ups drawn over the panes: the help overlay (every key of the mode it was opened from, read
//! from the live keymap) and `:info`.

use super::theme::Theme;
use crate::app::action::Command;
use crate::app::confirm::{Confirmation, Saving};
use crate::app::form::{FieldKind, Form};
use crate::app::keymap::{Keymap, ModeKeys};
use crate::app::pick::Pick;
use crate::app::picker::Picker;
use crate::app::state::{Message, State};
use crate::domain::dates;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

/// A bordered pop-up of `rows` lines (plus its border), at most `width` wide, drawn over what is
/// beneath; returns where it went (for a cursor). The lines wrap.
fn popup(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'_>>,
    size: (u16, usize),
    title: String,
    theme: &Theme,
    scroll: u16,
) -> Rect {
    let (width, rows) = size;
    let height = u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2);
    let rect = centred(area, width, height);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.accent)
        .title(Span::styled(format!(" {title} "), theme.title));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
    rect
}

pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

pub fn help(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    mode: ModeKeys,
    keymap: &Keymap,
    theme: &Theme,
) {
    let mut lines = Vec::new();
    for (command, keys) in keymap.bindings(mode) {
        let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{:>22}  ", keys.join(", ")), theme.accent),
            Span::raw(command.description()),
        ]));
    }
    if mode.takes_text() {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            "Other keys type text; Backspace, Delete, ←/→, Home/End, Ctrl-W (word) and Ctrl-U (all) edit it.",
            theme.muted,
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "Keys can be changed in the [keys] tables of the config file (:info shows where).",
        theme.muted,
    ));
    let scroll = u16::try_from(state.scroll.help).unwrap_or(0);
    let rows = lines.len();
    let title = format!("Keys: {} mode (Esc closes)", mode.label());
    popup(frame, area, lines, (100, rows), title, theme, scroll);
}

/// The status line's messages in full, newest first, each after its time and wrapped beside it.
pub fn messages(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    const WIDTH: u16 = 100;
    const TIME: usize = "00:00:00  ".len();
    let inside = usize::from(WIDTH.min(area.width).saturating_sub(2));
    let mut lines = Vec::new();
    for logged in state.messages.newest_first() {
        let style = match logged.message {
            Message::Error(_) => theme.arrears,
            Message::Info(_) => theme.credit,
        };
        let wrapped = crate::app::layout::wrap(
            logged.text(),
            inside.saturating_sub(TIME).max(1),
            usize::MAX,
        );
        for (i, part) in wrapped.into_iter().enumerate() {
            let time = if i == 0 {
                logged.at.format("%H:%M:%S  ").to_string()
            } else {
                " ".repeat(TIME)
            };
            lines.push(Line::from(vec![
                Span::styled(time, theme.muted),
                Span::styled(part, style),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("No messages yet.", theme.muted));
    }
    let scroll = u16::try_from(state.scroll.help).unwrap_or(u16::MAX);
    let rows = lines.len();
    let title = "Messages, newest first (Esc closes)".to_string();
    popup(frame, area, lines, (WIDTH, rows), title, theme, scroll);
}

pub fn info(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let s = &state.settings;
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:>10}  "), theme.accent),
            Span::raw(value),
        ])
    };
    let lines = vec![
        row("Database", s.db_path.display().to_string()),
        row("Config", s.config_path.display().to_string()),
        row("Officer", s.officer.clone()),
        row(
            "Today",
            format!("{} ({})", dates::uk(s.today), dates::short(s.today)),
        ),
        row("Accounts", super::queue::thousands(state.queue.total())),
    ];
    let rows = lines.len();
    popup(
        frame,
        area,
        lines,
        (90, rows),
        "caseload (Esc closes)".into(),
        theme,
        0,
    );
}

/// The record menu: a key for each thing that can be recorded, read from the live keymap.
pub fn record_menu(frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme) {
    let lines: Vec<Line> = keymap
        .bindings(ModeKeys::Record)
        .into_iter()
        .filter(|(command, _)| command.description() != "back out one level")
        .map(|(command, keys)| {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            Line::from(vec![
                Span::styled(format!("{:>5}  ", keys.join(", ")), theme.accent),
                Span::raw(command.description()),
            ])
        })
        .collect();
    let rows = lines.len();
    popup(
        frame,
        area,
        lines,
        (60, rows),
        "Record (Esc closes)".into(),
        theme,
        0,
    );
}

/// A form: one line per field, its error beneath it, a worked-out preview, the keys.
pub fn form(frame: &mut Frame, area: Rect, form: &Form, state: &State, theme: &Theme) {
    let label_width = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let current = i == form.current;
        let marker = if current { "▶ " } else { "  " };
        let value = match (&field.kind, field.choice()) {
            (FieldKind::Choice { options, selected }, Some(_)) => {
                format!(
                    "‹ {} ›  ({} of {}; ← → or type)",
                    options[*selected].1,
                    selected + 1,
                    options.len()
                )
            }
            _ => field.input.text().to_string(),
        };
        // A selected default shows that typing replaces it.
        let value_style = if current && field.input.is_selected() {
            theme.selected
        } else {
            Default::default()
        };
        if current && field.choice().is_none() {
            let x = 2 + label_width + field.input.cursor();
            cursor = Some((
                u16::try_from(x).unwrap_or(0),
                u16::try_from(lines.len()).unwrap_or(0),
            ));
        }
        // The date a date field stands for, beside it: "friday" is read as Fri 27/11/2026.
        let resolved = field
            .resolved(state.settings.today)
            .map_or(String::new(), |when| format!("   {when}"));
        lines.push(Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(
                format!("{:<label_width$}", field.label),
                if current { theme.title } else { theme.muted },
            ),
            Span::styled(value, value_style),
            Span::styled(resolved, theme.accent),
        ]));
        if let Some(error) = &field.error {
            lines.push(Line::styled(
                format!("{:width$}✗ {error}", "", width = 2 + label_width),
                theme.arrears,
            ));
        }
    }
    if let Some(preview) = form.preview(state.settings.today) {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("  {preview}"), theme.accent));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "  Enter: next field, then what will be saved · Tab/↑↓: move · Esc: close (kept as typed)",
        theme.muted,
    ));
    let rows = lines.len();
    let rect = popup(frame, area, lines, (88, rows), form.title(), theme, 0);
    if let Some((x, y)) = cursor {
        frame.set_cursor_position((
            rect.x + 1 + x.min(rect.width.saturating_sub(3)),
            rect.y + 1 + y,
        ));
    }
}

/// A record as it will be saved: its details, its line in the case history, what to know first,
/// and the keys that save it or go back.
pub fn confirmation(
    frame: &mut Frame,
    area: Rect,
    asked: &Confirmation,
    keymap: &Keymap,
    theme: &Theme,
) {
    let width = asked
        .rows
        .iter()
        .map(|(what, _)| what.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines: Vec<Line> = asked
        .rows
        .iter()
        .map(|(what, value)| {
            Line::from(vec![
                Span::styled(format!("  {what:<width$}"), theme.muted),
                Span::raw(value.clone()),
            ])
        })
        .collect();
    if !asked.line.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("  The case history will read:", theme.muted));
        lines.push(Line::styled(format!("  {}", asked.line), theme.accent));
    }
    for warning in &asked.warnings {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("  ⚠ {warning}"), theme.warning));
    }
    // Every key that does it, so Enter and Esc are named as well as y and n.
    let key = |command| {
        keymap
            .bindings(ModeKeys::Confirm)
            .into_iter()
            .find(|(c, _)| *c == command)
            .map_or_else(
                || "?".to_string(),
                |(_, keys)| {
                    let mut keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                    keys.sort_by_key(|k| k.chars().count() == 1);
                    keys.join(" or ")
                },
            )
    };
    // A move of accounts is no record of the case: it is said as what it does.
    let (accept, back, title) = match (&asked.saving, asked.over_form) {
        (Saving::Reassign(_), _) => ("move them", "move nothing", asked.title.clone()),
        (Saving::Record(_), true) => (
            "save it",
            "back to the form (nothing is saved)",
            format!("Record: {}", asked.title),
        ),
        (Saving::Record(_), false) => (
            "save it",
            "record nothing",
            format!("Record: {}", asked.title),
        ),
    };
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "  {}: {accept} · {}: {back}",
            key(Command::Accept),
            key(Command::Back),
        ),
        theme.muted,
    ));
    let inner = usize::from(area.width.saturating_sub(6)).clamp(1, 86);
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    popup(frame, area, lines, (88, rows), title, theme, 0);
}

/// A list to choose from: each choice with its key (or the search being typed), the selected one
/// marked, ticks for a checklist, and what to do beneath.
pub fn picker(frame: &mut Frame, area: Rect, picker: &Picker<Pick>, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(96);
    let mut lines = Vec::new();
    if picker.searchable {
        lines.push(Line::from(vec![
            Span::styled("  Search: ", theme.accent),
            Span::raw(picker.query.text().to_string()),
        ]));
        lines.push(Line::from(""));
    }
    // The list scrolls to keep the selected choice in view.
    let room = usize::from(area.height.saturating_sub(10)).max(3);
    let first = picker.selected.saturating_sub(room - 1);
    for (row, &i) in picker.shown.iter().enumerate().skip(first).take(room) {
        let choice = &picker.choices[i];
        let selected = picker.highlighted() == Some(row);
        let key = choice.key.map_or("   ".to_string(), |k| format!(" {k} "));
        let tick = match (picker.multi, picker.ticked[i]) {
            (false, _) => "",
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
        };
        let style = if selected {
            theme.selected
        } else {
            Default::default()
        };
        lines.push(Line::from(vec![
            Span::styled(if selected { "▶" } else { " " }, theme.accent),
            Span::styled(key, theme.accent),
            Span::styled(format!("{tick}{}", choice.label), style),
        ]));
        if !choice.detail.is_empty() {
            lines.push(Line::styled(
                format!("       {}", choice.detail),
                theme.muted,
            ));
        }
    }
    if picker.shown.is_empty() {
        lines.push(Line::styled("  Nothing matches.", theme.muted));
    }
    if !picker.hint.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled(format!("  {}", picker.hint), theme.muted));
    }
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    // Wrapped lines take more rows than there are lines.
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_width).max(1))
        .sum();
    let rect = popup(
        frame,
        area,
        lines,
        (width, rows),
        picker.title.clone(),
        theme,
        0,
    );
    if picker.searchable {
        let x = 10 + picker.query.cursor();
        frame.set_cursor_position((
            rect.x
                + 1
                + u16::try_from(x)
                    .unwrap_or(0)
                    .min(rect.width.saturating_sub(3)),
            rect.y + 1,
        ));
    }
}
