//! The case history pane: the ledger as a rent statement (debit, credit, running balance)
//! interleaved with actions and notes, newest first. Actions and notes run across the money
//! columns so what was said is not cut short.

use super::pane;
use super::theme::Theme;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use crate::domain::ledger::EntryKind;
use crate::domain::tenancy::DebtType;
use crate::store::{HistoryItem, HistoryKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const DATE: usize = 17;
const MONEY: usize = 11;
const BALANCE: usize = 13;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::History;
    let Some(account) = state.current_account() else {
        let block = pane::block(Pane::History, focused, String::new(), theme);
        frame.render_widget(
            Paragraph::new(Line::styled("Opening…", theme.muted)).block(block),
            area,
        );
        return;
    };
    let total = account.history.len();
    let more = if account.history_complete { "" } else { "+" };
    let detail = format!("{} of {total}{more}", (state.scroll.history + 1).min(total));
    let block = pane::block(Pane::History, focused, detail, theme);
    let width = usize::from(area.width.saturating_sub(2));
    let what = width.saturating_sub(DATE + 2 * MONEY + BALANCE);
    let height = usize::from(area.height.saturating_sub(3));
    let mut lines = vec![Line::from(vec![Span::styled(
        format!(
            "{:<DATE$}{:<what$}{:>MONEY$}{:>MONEY$}{:>BALANCE$}",
            "Date", "What", "Debit", "Credit", "Balance"
        ),
        theme.title,
    )])];
    lines.extend(
        account
            .history
            .iter()
            .skip(state.scroll.history)
            .take(height)
            .map(|item| line(item, what, theme)),
    );
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn line<'a>(item: &'a HistoryItem, what_width: usize, theme: &Theme) -> Line<'a> {
    match &item.kind {
        HistoryKind::Entry {
            kind,
            method,
            amount,
            debt_type,
            running,
        } => {
            let mut what = String::new();
            if *debt_type != DebtType::Rent {
                what.push_str(&format!("[{}] ", debt_type.label()));
            }
            what.push_str(if item.text.is_empty() {
                kind.label()
            } else {
                &item.text
            });
            if let (EntryKind::Payment, Some(m)) = (kind, method) {
                what.push_str(&format!(" ({})", m.label()));
            }
            let (debit, credit) = if amount.is_positive() {
                (amount.format(), String::new())
            } else {
                (String::new(), amount.abs().format())
            };
            Line::from(vec![
                Span::styled(format!("{:<DATE$}", dates::uk(item.at.date())), theme.muted),
                Span::raw(fit(&what, what_width)),
                Span::raw(format!("{debit:>MONEY$}")),
                Span::styled(format!("{credit:>MONEY$}"), theme.credit),
                Span::styled(
                    format!("{:>BALANCE$}", running.format_balance()),
                    theme.money(*running),
                ),
            ])
        }
        HistoryKind::Action { kind, code } => {
            let code = code
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let text = if item.text.is_empty() {
                String::new()
            } else {
                format!(": {}", item.text)
            };
            timed(item, format!("▸ {}{code}", kind.label()), text, theme)
        }
        HistoryKind::Note { amends } => {
            let label = if amends.is_some() {
                "✎ Correction: "
            } else {
                "✎ Note: "
            };
            let first_line = item.text.lines().next().unwrap_or("").to_string();
            timed(item, label.to_string(), first_line, theme)
        }
    }
}

/// An action or note: time, label, text and officer, across the full width.
fn timed<'a>(item: &HistoryItem, label: String, text: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{:<DATE$}", dates::uk_time(item.at)), theme.muted),
        Span::styled(label, theme.accent),
        Span::styled(text, Style::new()),
        Span::styled(
            format!(" · {}", item.officer.as_deref().unwrap_or("")),
            theme.muted,
        ),
    ])
}

/// Pads or cuts `text` to exactly `width` characters, marking a cut with `…`.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        format!("{text:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}
