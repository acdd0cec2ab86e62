//! The case history pane: the ledger as a rent statement (debit, credit, running balance)
//! interleaved with actions and notes, newest first. Actions and notes run across the money
//! columns so what was said is not cut short.

use super::pane;
use super::theme::Theme;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use crate::domain::ledger::EntryKind;
use crate::domain::promise::PromiseState;
use crate::domain::tenancy::DebtType;
use crate::store::{Corrected, HistoryItem, HistoryKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Column widths: wide panes show debit and credit apart like a rent statement; narrow ones show
/// one signed amount and a short date so the description keeps its room.
#[derive(Clone, Copy)]
struct Columns {
    date: usize,
    what: usize,
    money: usize,
    balance: usize,
    split: bool,
}

impl Columns {
    fn for_width(width: usize) -> Columns {
        let (date, money, balance, split) = if width >= 64 {
            (17, 11, 13, true)
        } else {
            (9, 10, 12, false)
        };
        let fixed = date + money * (1 + usize::from(split)) + balance;
        Columns {
            date,
            what: width.saturating_sub(fixed),
            money,
            balance,
            split,
        }
    }

    /// Folded to a line beside the other panes: date, what and amount (the balance is in the
    /// header).
    fn folded(width: usize) -> Columns {
        let (date, money) = (9, 10);
        Columns {
            date,
            what: width.saturating_sub(date + money),
            money,
            balance: 0,
            split: false,
        }
    }

    fn date(&self, at: chrono::NaiveDateTime, with_time: bool) -> String {
        let text = match (self.split, with_time) {
            (true, true) => dates::uk_time(at),
            (true, false) => dates::uk(at.date()),
            (false, _) => at.format("%d/%m/%y").to_string(),
        };
        format!("{text:<width$}", width = self.date)
    }
}

/// Folded, the entry at the top without the column titles.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, folded: bool, theme: &Theme) {
    let focused = state.focus == Pane::History;
    let Some(account) = state.current_account() else {
        let block = pane::block(Pane::History, focused, vec![], theme);
        frame.render_widget(
            Paragraph::new(Line::styled("Opening…", theme.muted)).block(block),
            area,
        );
        return;
    };
    let total = account.history.len();
    let more = if account.history_complete { "" } else { "+" };
    let detail = format!("{} of {total}{more}", (state.scroll.history + 1).min(total));
    let block = pane::block(Pane::History, focused, pane::detail(detail, theme), theme);
    let width = usize::from(area.width.saturating_sub(2));
    let cols = if folded {
        Columns::folded(width)
    } else {
        Columns::for_width(width)
    };
    let height = usize::from(area.height.saturating_sub(2 + u16::from(!folded)));
    let head = if cols.split {
        format!(
            "{:<d$}{:<w$}{:>m$}{:>m$}{:>b$}",
            "Date",
            "What",
            "Debit",
            "Credit",
            "Balance",
            d = cols.date,
            w = cols.what,
            m = cols.money,
            b = cols.balance
        )
    } else {
        format!(
            "{:<d$}{:<w$}{:>m$}{:>b$}",
            "Date",
            "What",
            "Amount",
            "Balance",
            d = cols.date,
            w = cols.what,
            m = cols.money,
            b = cols.balance
        )
    };
    let mut lines = if folded {
        vec![]
    } else {
        vec![Line::styled(head, theme.title)]
    };
    lines.extend(
        account
            .history
            .iter()
            .skip(state.scroll.history)
            .take(height)
            .map(|item| line(item, cols, state, theme)),
    );
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn line<'a>(item: &'a HistoryItem, cols: Columns, state: &State, theme: &Theme) -> Line<'a> {
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
            let date = Span::styled(cols.date(item.at, false), theme.muted);
            let what = Span::raw(fit(&what, cols.what));
            let balance = Span::styled(
                format!("{:>width$}", running.format_balance(), width = cols.balance),
                theme.money(*running),
            );
            let m = cols.money;
            if !cols.split {
                let amount = Span::styled(format!("{:>m$}", amount.format()), theme.money(*amount));
                let mut spans = vec![date, what, amount];
                if cols.balance > 0 {
                    spans.push(balance);
                }
                return Line::from(spans);
            }
            let (debit, credit) = if amount.is_positive() {
                (amount.format(), String::new())
            } else {
                (String::new(), amount.abs().format())
            };
            Line::from(vec![
                date,
                what,
                Span::raw(format!("{debit:>m$}")),
                Span::styled(format!("{credit:>m$}"), theme.credit),
                balance,
            ])
        }
        HistoryKind::Action {
            kind,
            code,
            corrected,
        } => {
            let code = code
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let text = if item.text.is_empty() {
                String::new()
            } else {
                format!(": {}", item.text)
            };
            let label = format!("▸ {}{code}", kind.label());
            match corrected {
                None => timed(item, cols, label, text, theme),
                Some(c) => out_of_force(item, cols, format!("{label}{text}"), c, theme),
            }
        }
        HistoryKind::Note { amends, in_error } => {
            let label = if amends.is_some() {
                "✎ Correction: "
            } else {
                "✎ Note: "
            };
            let first_line = item.text.lines().next().unwrap_or("");
            match in_error {
                None => timed(item, cols, label.to_string(), first_line.to_string(), theme),
                Some(c) => out_of_force(item, cols, format!("{label}{first_line}"), c, theme),
            }
        }
        HistoryKind::CallBack { made } => {
            let (word, style) = if *made {
                ("made", theme.credit)
            } else {
                ("to make", theme.warning)
            };
            Line::from(vec![
                Span::styled(cols.date(item.at, true), theme.muted),
                Span::styled("☎ Call back ", theme.accent),
                Span::raw(format!("{}: ", item.at.format("%H:%M"))),
                Span::styled(word, style),
                Span::styled(format!(" · {}", item.text), theme.muted),
            ])
        }
        HistoryKind::Promise(p) => {
            let promised = p.promise.judged(p.received, state.settings.judging());
            let (word, style) = match promised {
                PromiseState::Kept => ("kept".to_string(), theme.credit),
                PromiseState::Broken => (
                    format!("BROKEN: {}", p.promise.broken_reason(p.received)),
                    theme.arrears,
                ),
                PromiseState::Pending => ("pending".to_string(), theme.warning),
            };
            Line::from(vec![
                Span::styled(cols.date(item.at, false), theme.muted),
                Span::styled("◆ Promise ", theme.accent),
                Span::raw(format!(
                    "{} by {}: ",
                    p.promise.amount,
                    dates::short(p.promise.due)
                )),
                Span::styled(word, style),
                Span::styled(
                    if item.text.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", item.text)
                    },
                    theme.muted,
                ),
            ])
        }
    }
}

/// A record out of force: struck through, and said in words (not by style alone), the word first
/// so a narrow pane still shows it; who corrected it, when and why.
fn out_of_force<'a>(
    item: &HistoryItem,
    cols: Columns,
    what: String,
    c: &Corrected,
    theme: &Theme,
) -> Line<'a> {
    let how = if c.replaced {
        "REPLACED"
    } else {
        "RECORDED IN ERROR"
    };
    Line::from(vec![
        Span::styled(cols.date(item.at, true), theme.muted),
        Span::styled(format!("✗ {how} "), theme.warning),
        Span::styled(what, theme.muted.add_modifier(Modifier::CROSSED_OUT)),
        Span::styled(
            format!(
                " · {} · corrected {} by {}: {}",
                item.officer.as_deref().unwrap_or(""),
                dates::uk_time(c.at),
                c.officer,
                c.reason
            ),
            theme.muted,
        ),
    ])
}

/// An action or note: time, label, text and officer, across the full width.
fn timed<'a>(
    item: &HistoryItem,
    cols: Columns,
    label: String,
    text: String,
    theme: &Theme,
) -> Line<'a> {
    Line::from(vec![
        Span::styled(cols.date(item.at, true), theme.muted),
        Span::styled(label, theme.accent),
        Span::styled(text, Style::new()),
        Span::styled(
            format!(" · {}", item.officer.as_deref().unwrap_or("")),
            theme.muted,
        ),
    ])
}

/// Pads or cuts `text` to exactly `width` characters, marking a cut with `…`.
pub(super) fn fit(text: &str, width: usize) -> String {
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
