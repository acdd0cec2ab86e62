//! The queue pane: only the rows on screen are built, whatever the size of the caseload.

use super::pane;
use super::theme::Theme;
use crate::app::queue::CHASE_PROMISE;
use crate::app::queue::{QueueItem, Tab};
use crate::app::state::{Pane, State};
use crate::domain::policy::Recommendation;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let queue = &state.queue;
    let mut detail = vec![];
    if !queue.filters().is_empty() {
        detail.push(Span::styled(format!("{} ", queue.filters()), theme.warning));
    }
    if !queue.filter().is_empty() {
        detail.push(Span::styled(
            format!(
                "{} match \u{201c}{}\u{201d} ",
                thousands(queue.len()),
                queue.filter()
            ),
            theme.accent,
        ));
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
    let [tabs_row, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(tabs(state, theme), tabs_row);
    let height = usize::from(table_area.height.saturating_sub(1));
    let columns = Columns::for_width(table_area.width);
    let rows = queue.window(height).map(|(row, item)| {
        let selected = row == queue.selected_index();
        row_for(item, state.settings.today, selected, columns, theme)
    });
    let mut titles = vec!["Ref", "Name", "Balance"];
    let mut widths = vec![
        Constraint::Length(8),
        Constraint::Min(6),
        Constraint::Length(11),
    ];
    let optional = [
        (columns.weeks, "Wks", Constraint::Length(5)),
        (columns.flags, "Flags", Constraint::Length(5)),
        (columns.stage, "Stage", Constraint::Length(8)),
        (columns.next, "Next action", Constraint::Length(20)),
        (columns.why, "Why", Constraint::Fill(1)),
    ];
    for (shown, title, width) in optional {
        if shown {
            titles.push(title);
            widths.push(width);
        }
    }
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(theme.title))
        .column_spacing(1);
    frame.render_widget(table, table_area);
}

/// Which columns fit. A column is left out whole rather than cut, so a figure is never shown
/// with its first digits missing; who and how much always stay.
#[derive(Clone, Copy)]
struct Columns {
    weeks: bool,
    next: bool,
    flags: bool,
    stage: bool,
    why: bool,
}

impl Columns {
    fn for_width(width: u16) -> Columns {
        // Ref, a name of 12 and the balance, with the spaces between.
        let base: u16 = 8 + 12 + 11 + 2;
        let weeks = width >= base + 6;
        let next = width >= base + 6 + 21;
        let flags = width >= base + 6 + 21 + 6;
        let stage = width >= 118;
        let fixed = base + 6 + 21 + 6 + if stage { 9 } else { 0 };
        Columns {
            weeks,
            next,
            flags,
            stage,
            // The reason matters most after who and how much: it comes when there is room for it
            // (the header always shows the selected account's in full).
            why: flags && width >= fixed + 16,
        }
    }
}

fn row_for<'a>(
    item: &'a QueueItem,
    today: NaiveDate,
    selected: bool,
    columns: Columns,
    theme: &Theme,
) -> Row<'a> {
    let balance = item.arrears.balance;
    let weeks = item
        .weeks
        .filter(|_| balance.is_positive())
        .map(|w| format!("{w:.1}"))
        .unwrap_or_default();
    let mut cells = vec![
        Cell::from(item.reference()),
        Cell::from(item.name()),
        Cell::from(
            Line::from(Span::styled(balance.format_balance(), theme.money(balance)))
                .right_aligned(),
        ),
    ];
    if columns.weeks {
        cells.push(Cell::from(Line::from(weeks).right_aligned()));
    }
    if columns.flags {
        cells.push(Cell::from(Span::styled(item.flag_letters(), theme.warning)));
    }
    if columns.stage {
        cells.push(Cell::from(item.stage.label()));
    }
    if columns.next {
        cells.push(next_action(item, today, theme));
    }
    if columns.why {
        cells.push(Cell::from(Span::styled(item.why(today), theme.muted)));
    }
    let row = Row::new(cells);
    if selected {
        row.style(theme.selected)
    } else {
        row
    }
}

/// The tabs with their counts; the current one is marked by brackets as well as colour.
fn tabs<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let queue = &state.queue;
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let text = format!("{} {}", tab.label(), thousands(queue.count(tab)));
        if tab == queue.tab() {
            spans.push(Span::styled(
                format!("[{text}]"),
                theme.title.add_modifier(Modifier::REVERSED),
            ));
        } else {
            spans.push(Span::styled(format!(" {text} "), theme.muted));
        }
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
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
