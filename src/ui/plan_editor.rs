//! The plan editor, drawn in place of the queue: the lines being typed on the left, each with
//! why it cannot be used beneath it; on the right the live figures (what the tenant pays each
//! period, how many instalments, the last one, the clear-by date, affordability) over the
//! schedule preview or the Direct Debit calculator; and, when saving, what will be saved.

use super::pane;
use super::theme::Theme;
use crate::app::State;
use crate::app::action::Command;
use crate::app::keymap::{Keymap, ModeKeys};
use crate::app::plan_editor::PlanEditor;
use crate::domain::calendar::DayOff;
use crate::domain::dates;
use crate::domain::dd::DdResult;
use crate::domain::plan_draft::PreviewRow;
use crate::domain::plan_schedule::ItemKind;
use chrono::Weekday;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Width of the labels on the left.
const LABEL: usize = 12;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, keymap: &Keymap, theme: &Theme) {
    let Some(editor) = state.planning.editor.as_ref() else {
        return;
    };
    let owed = format!("owes {} ", editor.context.arrears.format_balance());
    let block = pane::titled(
        format!(" Payment plan · {} ", editor.who),
        true,
        vec![Span::styled(owed, theme.muted)],
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key = |command| {
        keymap
            .key_for(ModeKeys::Plan, command)
            .map_or_else(String::new, |k| k.to_string())
    };
    let left_width = (inner.width / 2).clamp(20, 38);
    let [left, _, right] = Layout::horizontal([
        Constraint::Length(left_width),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    draw_lines(frame, left, editor, theme);
    let width = usize::from(right.width);
    let concerns = editor.direct_debit_concerns(&state.settings);
    let mut lines = figures(editor, &key(Command::IncomeExpenditure), width, theme);
    for concern in &concerns {
        lines.extend(said(&format!("⚠ {concern}"), width, theme.warning));
    }
    if right.height >= 16 {
        lines.push(Line::from(""));
    }
    if let Some(result) = &editor.direct_debit {
        lines.extend(direct_debit(result, width, theme));
        lines.push(Line::from(""));
    }
    // The schedule takes whatever room is left (below the calculator when it is shown).
    let room = usize::from(right.height).saturating_sub(lines.len());
    lines.extend(schedule(editor, width, room, theme));
    frame.render_widget(Paragraph::new(lines), right);
    if editor.confirm.is_some() {
        confirm(frame, inner, editor, &concerns, &key(Command::Save), theme);
    }
}

/// The typed and chosen lines, with the cursor on the one being typed.
fn draw_lines(frame: &mut Frame, area: Rect, editor: &PlanEditor, theme: &Theme) {
    let width = usize::from(area.width);
    let mut lines = Vec::new();
    let mut cursor = None;
    let value_width = width.saturating_sub(2 + LABEL).max(1);
    for slot in editor.slots() {
        let current = slot == editor.slot;
        let parts = if current && slot.field().is_some() {
            // The line being typed scrolls sideways to keep the cursor in view.
            let at = editor.input.cursor();
            let skip = (at + 1).saturating_sub(value_width);
            cursor = Some((2 + LABEL + at - skip, lines.len()));
            let text = editor.input.text().chars().skip(skip).take(value_width);
            vec![text.collect()]
        } else if current {
            wrap(&format!("‹ {} ›", editor.text(slot)), value_width)
        } else {
            wrap(&editor.text(slot), value_width)
        };
        for (i, part) in parts.into_iter().enumerate() {
            let first = i == 0;
            let marker = if current && first { "▶ " } else { "  " };
            let label = if first { slot.label() } else { "" };
            let typed_over = current && slot.field().is_some() && editor.input.is_selected();
            let mut spans = vec![
                Span::styled(marker, theme.accent),
                Span::styled(
                    format!("{label:<LABEL$}"),
                    if current { theme.title } else { theme.muted },
                ),
                Span::styled(
                    part,
                    if typed_over {
                        theme.selected
                    } else {
                        Default::default()
                    },
                ),
            ];
            if let Some(date) = editor.resolved(slot).filter(|_| first) {
                spans.push(Span::styled(format!("  {date}"), theme.muted));
            }
            if first && editor.is_worked_out(slot) {
                spans.push(Span::styled(" ← worked out", theme.muted));
            }
            lines.push(Line::from(spans));
        }
        if let Some(error) = editor.error(slot) {
            for part in wrap(&format!("✗ {error}"), width.saturating_sub(4)) {
                lines.push(Line::styled(format!("    {part}"), theme.arrears));
            }
        }
    }
    // Keep the line being typed on screen when the errors run long.
    let height = usize::from(area.height);
    let row = cursor.map_or(0, |(_, y)| y);
    let top = (row + 1).saturating_sub(height);
    frame.render_widget(Paragraph::new(lines).scroll((to_u16(top), 0)), area);
    if let Some((x, y)) = cursor {
        let x = area.x + to_u16(x).min(area.width.saturating_sub(1));
        frame.set_cursor_position((x, area.y + to_u16(y - top)));
    }
}

/// What the tenant pays each period, instalments, clear-by date, affordability, what it replaces.
fn figures<'a>(
    editor: &PlanEditor,
    assessment_key: &str,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let row = |label: &str, value: String| labelled(label, LABEL, &value, width, theme);
    let say = |text: String, style: Style| said(&text, width, style);
    let mut lines = Vec::new();
    match editor.draft.summary() {
        Ok(s) => {
            let per = s.frequency.per();
            lines.extend(match (s.total_per_period, s.charge_per_period) {
                (Some(total), Some(charge)) => row(
                    "Pays",
                    format!("{total} {per} = rent {charge} + plan {}", s.instalment),
                ),
                _ => row("Pays", format!("{} {per}", s.instalment)),
            });
            lines.extend(row(
                "Instalments",
                match s.count {
                    1 => "one".to_string(),
                    n => format!("{n}, the last {}", s.last),
                },
            ));
            lines.extend(row("Clears by", dates::uk(s.clear_by)));
        }
        Err(why) => lines.extend(say(why.to_string(), theme.muted)),
    }
    match (editor.affordability(), editor.available) {
        (Some(a), Some((_, on))) => {
            let (mark, style) = if a.is_flagged() {
                ("⚠ ", theme.warning)
            } else {
                ("", theme.credit)
            };
            let text = format!("{mark}{} (I&E {})", a.wording(), dates::uk(on));
            lines.extend(say(text, style));
        }
        (_, Some(_)) => {}
        (_, None) => lines.extend(say(
            format!("No I&E on record ({assessment_key} takes it)"),
            theme.muted,
        )),
    }
    if let Ok(Some(active)) = editor.replaces() {
        let text = format!(
            "Replaces the {} plan agreed {}",
            active.kind.label().to_lowercase(),
            dates::uk(active.agreed_on)
        );
        lines.extend(say(text, theme.muted));
    }
    lines
}

/// `text` wrapped to `width`, every line in `style`.
pub(super) fn said<'a>(text: &str, width: usize, style: Style) -> Vec<Line<'a>> {
    wrap(text, width)
        .into_iter()
        .map(|line| Line::styled(line, style))
        .collect()
}

/// A label and its value, the value wrapped beside the label.
fn labelled<'a>(
    label: &str,
    label_width: usize,
    value: &str,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    wrap(value, width.saturating_sub(label_width))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<label_width$}"), theme.muted),
                Span::raw(part),
            ])
        })
        .collect()
}

/// The schedule preview: every due date with its amount and the balance after it; Direct Debit
/// dates the bank will not collect on are marked.
fn schedule<'a>(editor: &PlanEditor, width: usize, room: usize, theme: &Theme) -> Vec<Line<'a>> {
    let rows = editor.draft.schedule();
    if rows.is_empty() {
        return vec![];
    }
    // A title with the position when there is room; on a small screen, the columns alone.
    let titled = room >= 8;
    let shown = room.saturating_sub(1 + usize::from(titled));
    let top = editor.schedule_top.min(rows.len().saturating_sub(1));
    let last = (top + shown).min(rows.len());
    let mut lines = Vec::new();
    if titled {
        let title = format!(
            "Schedule {}–{} of {} (PgDn PgUp)",
            top + 1,
            last,
            rows.len()
        );
        lines.push(Line::styled(title, theme.title));
    }
    lines.push(Line::styled(
        format!("{:<15}{:>10}{:>12}", "Due", "Payment", "Balance"),
        theme.muted,
    ));
    let note_width = width.saturating_sub(38);
    for row in &rows[top..last] {
        lines.push(schedule_row(row, note_width, theme));
    }
    lines
}

fn schedule_row<'a>(row: &PreviewRow, note_width: usize, theme: &Theme) -> Line<'a> {
    let item = &row.item;
    let mut notes = Vec::new();
    if item.kind == ItemKind::LumpSum {
        notes.push("lump sum".to_string());
    }
    if let Some(day_off) = &row.day_off {
        // As much as the pane has room for, down to the day's short name.
        let (word, short) = match day_off {
            DayOff::Weekend(Weekday::Sat) => ("Saturday", "Sat"),
            DayOff::Weekend(_) => ("Sunday", "Sun"),
            DayOff::BankHoliday(_) => ("bank holiday", "BH"),
        };
        let full = format!("{day_off}: collected the next working day");
        let named = day_off.to_string();
        let fits = [full, named, word.to_string()]
            .into_iter()
            .find(|text| text.chars().count() <= note_width);
        notes.push(fits.unwrap_or_else(|| short.to_string()));
    }
    let mut spans = vec![Span::raw(format!(
        "{:<15}{:>10}{:>12}",
        item.date.format("%a %d/%m/%Y").to_string(),
        item.amount.to_string(),
        item.balance_after.format_balance()
    ))];
    if !notes.is_empty() {
        spans.push(Span::styled(
            format!(" {}", notes.join(", ")),
            theme.warning,
        ));
    }
    Line::from(spans)
}

/// The Direct Debit calculator for the rest of the rent year, from the config's collection days
/// and notice.
fn direct_debit<'a>(
    result: &Result<DdResult, String>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let r = match result {
        Ok(r) => r,
        Err(why) => return said(&format!("Direct Debit: {why}"), width, theme.arrears),
    };
    let e = &r.equivalents;
    let span = match (r.collections.first(), r.collections.last()) {
        (Some(a), Some(b)) => format!(", {} to {}", dates::uk(*a), dates::uk(*b)),
        _ => String::new(),
    };
    let rows = [
        (
            "Instalment",
            r.plan.map_or("nothing to collect".into(), |p| {
                format!("{} a month, the last {}", p.instalment, p.last)
            }),
        ),
        ("To collect", r.to_collect.format_balance()),
        (
            "Collections",
            format!(
                "{} left on the {}{span}",
                r.collections.len(),
                dates::ordinal(r.collection_day)
            ),
        ),
        ("First change", dates::uk(r.first_change)),
        (
            "Rent",
            format!(
                "{} a week · {} four-weekly · {} a month",
                e.weekly, e.four_weekly, e.monthly
            ),
        ),
        (
            "UC 53rd week",
            r.uc_shortfall.map_or_else(
                || format!("none in {}", r.year.label()),
                |s| {
                    format!(
                        "{} a month not covered ({} − {})",
                        s.shortfall, s.rent_monthly, s.uc_monthly
                    )
                },
            ),
        ),
    ];
    let title = format!(
        "Direct Debit for the rest of {} (no Housing Benefit counted)",
        r.year.label()
    );
    let mut lines = said(&title, width, theme.title);
    for (label, value) in rows {
        lines.extend(labelled(label, 14, &value, width, theme));
    }
    lines
}

/// What will be saved, over the bottom of the editor, until the officer confirms or goes back.
fn confirm(
    frame: &mut Frame,
    area: Rect,
    editor: &PlanEditor,
    concerns: &[String],
    save_key: &str,
    theme: &Theme,
) {
    let Some(plan) = editor.confirm.as_ref() else {
        return;
    };
    let mut lines = vec![(format!("Save the {}?", plan.terms()), theme.title)];
    if let Ok(Some(active)) = editor.replaces() {
        lines.push((
            format!(
                "It replaces the {} plan agreed {}, which is kept in the history.",
                active.kind.label().to_lowercase(),
                dates::uk(active.agreed_on)
            ),
            Style::new(),
        ));
    }
    if let Some(a) = editor.affordability().filter(|a| a.is_flagged()) {
        lines.push((format!("⚠ {}", a.wording()), theme.warning));
    }
    lines.extend(concerns.iter().map(|c| (format!("⚠ {c}"), theme.warning)));
    lines.push((
        format!("Enter or {save_key} saves · Esc goes back to the plan"),
        theme.accent,
    ));
    let width = usize::from(area.width.saturating_sub(2));
    let wrapped: Vec<Line> = lines
        .iter()
        .flat_map(|(text, style)| {
            wrap(text, width)
                .into_iter()
                .map(|l| Line::styled(l, *style))
        })
        .collect();
    let height = to_u16(wrapped.len() + 2).min(area.height);
    let rect = Rect::new(area.x, area.bottom() - height, area.width, height);
    let block = pane::titled(" Save this plan? ".into(), true, vec![], theme);
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(wrapped).block(block), rect);
}

/// Splits `text` into lines of at most `width` characters at spaces (a longer word is cut).
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let rest: String = line.chars().skip(width).collect();
            lines.push(line.chars().take(width).collect());
            line = rest;
        }
    }
    lines.push(line);
    lines
}

pub(super) fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}
