//! The income and expenditure form, drawn in place of the queue: the SFS lines under their
//! headings on the left (scrolled to the one being typed), the totals and what is left for a
//! plan on the right, with flexible costs above the landlord's trigger figures.

use super::history::fit;
use super::pane;
use super::plan_editor::{said, to_u16, wrap};
use super::theme::Theme;
use crate::app::State;
use crate::app::assessment::AssessmentForm;
use crate::domain::Money;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(form) = state.planning.assessment.as_ref() else {
        return;
    };
    let block = pane::titled(
        format!(" Income and expenditure · {} ", form.who),
        true,
        vec![Span::styled("· monthly figures ", theme.muted)],
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [left, _, right] = Layout::horizontal([
        Constraint::Percentage(58),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    draw_lines(frame, left, form, theme);
    frame.render_widget(Paragraph::new(totals(state, form, right, theme)), right);
}

/// Every line under its heading, the one being typed kept in view with the cursor on it.
fn draw_lines(frame: &mut Frame, area: Rect, form: &AssessmentForm, theme: &Theme) {
    let width = usize::from(area.width);
    let label_width = width.saturating_sub(14).clamp(8, 34);
    let mut lines = Vec::new();
    let mut cursor = (0, 0);
    let mut group = "";
    for (i, line) in form.lines.iter().enumerate() {
        if line.group() != group {
            group = line.group();
            lines.push(Line::styled(group, theme.title));
        }
        let current = i == form.current;
        if current {
            cursor = (2 + label_width + 1 + form.inputs[i].cursor(), lines.len());
        }
        lines.push(Line::from(vec![
            Span::styled(if current { "▶ " } else { "  " }, theme.accent),
            Span::styled(
                format!("{} ", fit(line.label(), label_width)),
                if current { theme.title } else { theme.muted },
            ),
            Span::raw(form.inputs[i].text().to_string()),
        ]));
        if let Some(error) = &form.errors[i] {
            for part in wrap(&format!("✗ {error}"), width.saturating_sub(4)) {
                lines.push(Line::styled(format!("    {part}"), theme.arrears));
            }
        }
    }
    let height = usize::from(area.height);
    let (x, y) = cursor;
    let top = y
        .saturating_sub(height / 2)
        .min(lines.len().saturating_sub(height));
    frame.render_widget(Paragraph::new(lines).scroll((to_u16(top), 0)), area);
    frame.set_cursor_position((
        area.x + to_u16(x).min(area.width.saturating_sub(1)),
        area.y + to_u16(y - top),
    ));
}

/// The SFS summary as typed so far, against the plan being edited and the trigger figures.
fn totals<'a>(state: &State, form: &AssessmentForm, area: Rect, theme: &Theme) -> Vec<Line<'a>> {
    let width = usize::from(area.width);
    let t = form.statement.totals();
    let row = |label: &str, amount: Money| {
        let amount = amount.format();
        let pad = width.saturating_sub(amount.chars().count()).max(1);
        Line::from(vec![
            Span::styled(fit(label, pad), theme.muted),
            Span::raw(amount),
        ])
    };
    let h = &form.statement.household;
    let people = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let household = [
        people(h.adults, "adult", "adults"),
        people(h.dependants, "dependant", "dependants"),
        people(h.non_dependants, "non-dependant", "non-dependants"),
    ]
    .join(", ");
    let mut lines = said(&household, width, theme.muted);
    lines.extend([
        row("Income", t.income),
        row("Fixed costs", t.fixed_costs),
        row("Flexible costs", t.flexible_costs),
        row("Savings", t.savings),
        row("For priority debts", t.available_for_priority_debts),
        row("Other priority debts", t.other_priority_debts),
    ]);
    let left = t.available_for_plan;
    lines.push(Line::from(vec![
        Span::styled(
            fit("Left for a plan", width.saturating_sub(12).max(1)),
            theme.title,
        ),
        Span::styled(
            format!("{:>12}", left.format()),
            theme.money(-left).add_modifier(Modifier::BOLD),
        ),
    ]));
    let mut notes = Vec::new();
    if let Some(editor) = state.planning.editor.as_ref()
        && let Some(a) = editor.draft.affordability(left)
    {
        let mark = if a.is_flagged() { "⚠ " } else { "" };
        notes.push((format!("{mark}The plan: {}", a.wording()), a.is_flagged()));
    }
    match &state.settings.triggers {
        Some(table) => notes.extend(
            form.statement
                .above_triggers(table)
                .iter()
                .map(|flag| (format!("⚠ {flag} ({})", table.year), true)),
        ),
        None => notes.push((
            "No trigger figures are loaded, so spending is not compared with them.".into(),
            false,
        )),
    }
    for (text, warn) in notes {
        lines.push(Line::from(""));
        let style = if warn { theme.warning } else { theme.muted };
        lines.extend(
            wrap(&text, width)
                .into_iter()
                .map(|l| Line::styled(l, style)),
        );
    }
    lines
}
