//! The queue pane: only the rows on screen are built, whatever the size of the caseload.

use super::pane;
use super::theme::Theme;
use crate::app::layout::{DETAIL_INDENT, QueueColumns, cut};
use crate::app::queue::CHASE_PROMISE;
use crate::app::queue::{Queue, QueueItem, Tab};
use crate::app::state::{Pane, State};
use crate::domain::policy::Recommendation;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

/// Folded, the selected row alone, with its tab and place beside the title.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, folded: bool, theme: &Theme) {
    let queue = &state.queue;
    let mut detail = vec![];
    if folded && !queue.is_empty() {
        detail.push(Span::styled(
            format!(
                "{} {} of {} ",
                queue.tab().label(),
                thousands(queue.selected_index() + 1),
                if queue.is_provisional() {
                    "…".to_string()
                } else {
                    thousands(queue.len())
                }
            ),
            theme.muted,
        ));
    }
    if !queue.filters().is_empty() {
        detail.push(Span::styled(format!("{} ", queue.filters()), theme.warning));
    }
    if !queue.filter().is_empty() {
        detail.push(Span::styled(found(state), theme.accent));
    }
    let block = pane::block(Pane::Queue, state.focus == Pane::Queue, detail, theme);
    if queue.total() == 0 {
        let text = Text::from(vec![
            Line::from("No accounts yet."),
            Line::from(""),
            Line::from("Import your caseload from your housing system's extract:"),
            Line::styled("    caseload import DIR", theme.accent),
            Line::from("or open a generated demo caseload:"),
            Line::styled("    caseload --demo", theme.accent),
        ]);
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let today = state.settings.today;
    let tab = queue.tab();
    if folded {
        let columns = QueueColumns::for_width(inner.width);
        let row = queue
            .selected()
            .map(|item| row_for(item, tab, today, true, columns, theme));
        frame.render_widget(
            Table::new(row, headings(columns).1).column_spacing(1),
            inner,
        );
        return;
    }
    let [tabs_row, header_row, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(tabs(state, tabs_row.width, theme), tabs_row);
    let columns = QueueColumns::for_width(table_area.width);
    let (titles, widths) = headings(columns);
    frame.render_widget(
        Table::new([Row::new(titles).style(theme.title)], widths.clone()).column_spacing(1),
        header_row,
    );
    // The rows up to the selected one, its whole reason beneath it, and the rows after.
    let reason = state.reason_lines();
    let height = usize::from(table_area.height);
    let mut y = table_area.y;
    let mut rows = Vec::new();
    let flush = |rows: &mut Vec<Row<'_>>, y: &mut u16, frame: &mut Frame| {
        let n = u16::try_from(rows.len()).unwrap_or(u16::MAX);
        let at = Rect::new(
            table_area.x,
            *y,
            table_area.width,
            n.min(table_area.bottom() - *y),
        );
        frame.render_widget(
            Table::new(std::mem::take(rows), widths.clone()).column_spacing(1),
            at,
        );
        *y += at.height;
    };
    for (row, item) in queue.window(height) {
        if y + u16::try_from(rows.len()).unwrap_or(u16::MAX) >= table_area.bottom() {
            break;
        }
        let selected = row == queue.selected_index();
        rows.push(row_for(item, tab, today, selected, columns, theme));
        if selected && !reason.is_empty() {
            flush(&mut rows, &mut y, frame);
            let lines: Vec<Line<'_>> = reason
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let lead = if i == 0 { "↳ " } else { "  " };
                    Line::from(vec![
                        Span::raw(" ".repeat(usize::from(DETAIL_INDENT))),
                        Span::styled(format!("{lead}{text}"), theme.selected),
                    ])
                })
                .collect();
            let n = u16::try_from(lines.len()).unwrap_or(0);
            let at = Rect::new(
                table_area.x,
                y,
                table_area.width,
                n.min(table_area.bottom() - y),
            );
            frame.render_widget(Paragraph::new(lines), at);
            y += at.height;
        }
    }
    flush(&mut rows, &mut y, frame);
}

/// "0 here · 1 in All · Enter to go there": how many match in this tab, and where else.
fn found(state: &State) -> String {
    let queue = &state.queue;
    let here = queue.found(queue.tab());
    let mut parts = vec![format!("{} here", thousands(here))];
    let elsewhere = queue.elsewhere();
    if let Some(tab) = elsewhere.filter(|t| *t != Tab::All) {
        parts.push(format!(
            "{} in {}",
            thousands(queue.found(tab)),
            tab.label()
        ));
    }
    let all = queue.found(Tab::All);
    if queue.tab() != Tab::All && all > here {
        parts.push(format!("{} in All", thousands(all)));
    }
    if here == 0 && elsewhere.is_some() {
        parts.push("Enter to go there".into());
    }
    format!("{} \u{201c}{}\u{201d} ", parts.join(" · "), queue.filter())
}

/// The column titles and widths, for the columns that fit.
fn headings(c: QueueColumns) -> (Vec<&'static str>, Vec<Constraint>) {
    [
        (c.reference, "Ref"),
        (c.name, "Name"),
        (c.balance, "Balance"),
        (c.weeks, "Wks"),
        (c.flags, "Flags"),
        (c.stage, "Stage"),
        (c.next, "Next action"),
        (c.why, "Why"),
    ]
    .into_iter()
    .filter(|(width, _)| *width > 0)
    .map(|(width, title)| (title, Constraint::Length(width)))
    .unzip()
}

fn row_for<'a>(
    item: &'a QueueItem,
    tab: Tab,
    today: NaiveDate,
    selected: bool,
    columns: QueueColumns,
    theme: &Theme,
) -> Row<'a> {
    let balance = item.arrears.balance;
    let weeks = item
        .weeks()
        .filter(|_| balance.is_positive())
        .map(|w| format!("{w:.1}"))
        .unwrap_or_default();
    let mut cells = vec![
        Cell::from(item.reference()),
        Cell::from(cut(item.name(), usize::from(columns.name)).into_owned()),
        Cell::from(
            Line::from(Span::styled(balance.format_balance(), theme.money(balance)))
                .right_aligned(),
        ),
    ];
    if columns.weeks > 0 {
        cells.push(Cell::from(Line::from(weeks).right_aligned()));
    }
    if columns.flags > 0 {
        cells.push(Cell::from(Span::styled(item.flag_letters(), theme.warning)));
    }
    if columns.stage > 0 {
        cells.push(Cell::from(item.stage.label()));
    }
    if columns.next > 0 {
        cells.push(next_action(item, today, theme));
    }
    if columns.why > 0 {
        let why = item.reason_in(tab, today);
        cells.push(Cell::from(Span::styled(
            cut(&why, usize::from(columns.why)).into_owned(),
            theme.muted,
        )));
    }
    let row = Row::new(cells);
    if selected {
        row.style(theme.selected)
    } else {
        row
    }
}

/// The tabs with their counts; the current one is marked by brackets as well as colour. Where
/// the names do not fit, their short names; where those do not either, the tabs around the
/// current one, with `…` for those left out.
fn tabs<'a>(state: &State, width: u16, theme: &Theme) -> Line<'a> {
    let queue = &state.queue;
    let current = Tab::ALL.iter().position(|t| *t == queue.tab()).unwrap_or(0);
    let texts = |short: bool| -> Vec<String> {
        Tab::ALL
            .iter()
            .map(|&tab| {
                let name = if short { tab.short() } else { tab.label() };
                let text = format!("{name} {}", count(queue, tab));
                if tab == queue.tab() {
                    format!("[{text}]")
                } else {
                    format!(" {text} ")
                }
            })
            .collect()
    };
    let width = usize::from(width);
    let full = texts(false);
    let texts = if full.iter().map(|t| t.chars().count() + 1).sum::<usize>() <= width {
        full
    } else {
        texts(true)
    };
    let (from, to) = tabs_window(&texts, current, width);
    let mut spans = Vec::new();
    if from > 0 {
        spans.push(Span::styled("…", theme.muted));
    }
    for (i, text) in texts.into_iter().enumerate().take(to).skip(from) {
        spans.push(if i == current {
            Span::styled(text, theme.title.add_modifier(Modifier::REVERSED))
        } else {
            Span::styled(text, theme.muted)
        });
        if i + 1 < to || to == Tab::ALL.len() {
            spans.push(Span::raw(" "));
        }
    }
    if to < Tab::ALL.len() {
        spans.push(Span::styled("…", theme.muted));
    }
    Line::from(spans)
}

/// How many accounts a tab holds; until every account is ranked, only the rows shown are known:
/// no count yet.
fn count(queue: &Queue, tab: Tab) -> String {
    if queue.is_provisional() {
        "…".to_string()
    } else {
        thousands(queue.count(tab))
    }
}

/// The tabs `from..to` that fit in `width` (each with a space after it) with a `…` on each side
/// where some are left out: always the current one, then as many after it as fit, then before it.
fn tabs_window(texts: &[String], current: usize, width: usize) -> (usize, usize) {
    let fits = |from: usize, to: usize| {
        let marks = usize::from(from > 0) + usize::from(to < texts.len());
        let tabs: usize = texts[from..to].iter().map(|t| t.chars().count() + 1).sum();
        tabs + marks <= width
    };
    let (mut from, mut to) = (current, current + 1);
    while to < texts.len() && fits(from, to + 1) {
        to += 1;
    }
    while from > 0 && fits(from - 1, to) {
        from -= 1;
    }
    (from, to)
}

fn next_action<'a>(item: &QueueItem, today: NaiveDate, theme: &Theme) -> Cell<'a> {
    let d = &item.decision;
    match (d.recommendation, d.blocker) {
        (_, Some(blocker)) => {
            Cell::from(Span::styled(format!("({})", blocker.label()), theme.muted))
        }
        (Recommendation::NoAction, None) if item.promise_to_chase(today).is_some() => {
            Cell::from(Span::styled(CHASE_PROMISE, theme.warning))
        }
        (Recommendation::NoAction, None) => Cell::from(""),
        (r, None) => Cell::from(Span::styled(r.label(), theme.accent)),
    }
}

pub fn thousands(n: usize) -> String {
    crate::domain::money::group_thousands(u64::try_from(n).unwrap_or(u64::MAX))
}
