//! The queue pane: only the rows on screen are built, whatever the size of the caseload.

use super::pane;
use super::theme::Theme;
use crate::app::queue::QueueItem;
use crate::app::state::{Pane, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let queue = &state.queue;
    let detail = if queue.filter().is_empty() {
        format!("{} accounts", thousands(queue.total()))
    } else {
        format!(
            "{} of {} match \u{201c}{}\u{201d}",
            thousands(queue.len()),
            thousands(queue.total()),
            queue.filter()
        )
    };
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
    let height = usize::from(area.height.saturating_sub(3));
    let rows = queue.window(height).map(|(row, item)| {
        let selected = row == queue.selected_index();
        row_for(item, selected, theme)
    });
    let header = Row::new([
        "Ref",
        "Name",
        "Balance",
        "Wks",
        "Flags",
        "Stage",
        "Next action",
        "Why",
    ])
    .style(theme.title);
    let table = Table::new(
        rows,
        [
            Constraint::Length(8),
            Constraint::Min(16),
            Constraint::Length(11),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(9),
            Constraint::Length(14),
            Constraint::Fill(3),
        ],
    )
    .header(header)
    .column_spacing(1)
    .block(block);
    frame.render_widget(table, area);
}

fn row_for<'a>(item: &'a QueueItem, selected: bool, theme: &Theme) -> Row<'a> {
    let balance = item.arrears.balance;
    let weeks = item.weeks.map(|w| format!("{w:.1}")).unwrap_or_default();
    let row = Row::new([
        Cell::from(item.reference()),
        Cell::from(item.name()),
        Cell::from(
            Line::from(Span::styled(balance.format_balance(), theme.money(balance)))
                .right_aligned(),
        ),
        Cell::from(Line::from(weeks).right_aligned()),
        Cell::from(Span::styled(item.flag_letters(), theme.warning)),
        Cell::from(item.stage.as_str()),
        Cell::from(item.next_action.as_str()),
        Cell::from(Span::styled(item.reason.as_str(), theme.muted)),
    ]);
    if selected {
        row.style(theme.selected)
    } else {
        row
    }
}

pub fn thousands(n: usize) -> String {
    crate::domain::money::group_thousands(u64::try_from(n).unwrap_or(u64::MAX))
}
