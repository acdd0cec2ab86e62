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
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::borrow::Cow;

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
    // The selected row's reason is worked out once: for its cell and for the lines beneath it.
    let reason = queue.selected().map(|item| item.reason_in(tab, today));
    let rows = Rows {
        tab,
        today,
        reason: reason.as_deref(),
        theme,
    };
    if folded {
        let grid = Grid::new(QueueColumns::for_width(inner.width), inner.width);
        if let Some(item) = queue.selected() {
            grid.draw(
                frame.buffer_mut(),
                inner,
                rows.fields(item, true, grid.columns),
                Some(theme.selected),
            );
        }
        return;
    }
    let [tabs_row, header_row, table_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(tabs(state, tabs_row.width, theme), tabs_row);
    let grid = Grid::new(QueueColumns::for_width(table_area.width), table_area.width);
    grid.draw(
        frame.buffer_mut(),
        header_row,
        TITLES.map(Line::from),
        Some(theme.title),
    );
    // The rows up to the selected one, its whole reason beneath it, and the rows after.
    let lines = reason
        .as_deref()
        .map(|reason| state.reason_lines_of(reason))
        .unwrap_or_default();
    let mut y = table_area.y;
    for (index, item) in queue.window(usize::from(table_area.height)) {
        if y >= table_area.bottom() {
            break;
        }
        let selected = index == queue.selected_index();
        let at = Rect {
            y,
            height: 1,
            ..table_area
        };
        let style = selected.then_some(theme.selected);
        grid.draw(
            frame.buffer_mut(),
            at,
            rows.fields(item, selected, grid.columns),
            style,
        );
        y += 1;
        if selected && !lines.is_empty() {
            let lines: Vec<Line<'_>> = lines
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
}

/// The column titles, in the order of [`QueueColumns::widths`].
const TITLES: [&str; 8] = [
    "Ref",
    "Name",
    "Balance",
    "Wks",
    "Flags",
    "Stage",
    "Next action",
    "Why",
];

/// Where each column shown starts and how wide it is: the places a `Table` with these widths and
/// a space between gives them, worked out once a frame. The rows are drawn straight into the
/// buffer at those places, as the `Table` would draw them, without building one for each frame
/// (a Table's rows, cells and texts were two thirds of the cost of a key's frame at 50,000).
struct Grid {
    /// The width of each column, 0 for a column left out.
    columns: QueueColumns,
    /// The columns shown, each as its x from the left of the row and its width.
    places: Vec<Rect>,
}

impl Grid {
    fn new(columns: QueueColumns, width: u16) -> Grid {
        let shown = columns.widths().into_iter().filter(|w| *w > 0);
        let places = Layout::horizontal(shown.map(Constraint::Length))
            .flex(Flex::Start)
            .spacing(1)
            .split(Rect::new(0, 0, width, 1))
            .to_vec();
        Grid { columns, places }
    }

    /// One row's fields, each in its column (those of columns left out are not drawn), over the
    /// row's `style` across the whole width of `at`.
    fn draw(&self, buffer: &mut Buffer, at: Rect, fields: [Line<'_>; 8], style: Option<Style>) {
        if at.is_empty() {
            return;
        }
        let at = Rect { height: 1, ..at };
        if let Some(style) = style {
            buffer.set_style(at, style);
        }
        let shown = fields
            .into_iter()
            .zip(self.columns.widths())
            .filter(|(_, width)| *width > 0);
        for ((field, _), place) in shown.zip(&self.places) {
            let cell = Rect::new(at.x + place.x, at.y, place.width, 1);
            field.render(cell, buffer);
        }
    }
}

/// What every row of a frame is drawn with.
struct Rows<'r> {
    tab: Tab,
    today: NaiveDate,
    /// The selected row's reason in this tab.
    reason: Option<&'r str>,
    theme: &'r Theme,
}

impl Rows<'_> {
    /// A row's fields in the order of [`QueueColumns::widths`]; those of columns left out are
    /// empty, not worked out.
    fn fields<'a>(
        &self,
        item: &'a QueueItem,
        selected: bool,
        columns: QueueColumns,
    ) -> [Line<'a>; 8] {
        let theme = self.theme;
        let balance = item.arrears.balance;
        let shown = |width: u16, field: &dyn Fn() -> Line<'a>| {
            if width > 0 { field() } else { Line::default() }
        };
        [
            first_line(item.reference().into()),
            first_line(cut(item.name(), usize::from(columns.name))),
            Line::from(Span::styled(balance.format_balance(), theme.money(balance)))
                .right_aligned(),
            shown(columns.weeks, &|| {
                let weeks = item
                    .weeks()
                    .filter(|_| balance.is_positive())
                    .map(|w| format!("{w:.1}"))
                    .unwrap_or_default();
                Line::from(weeks).right_aligned()
            }),
            shown(columns.flags, &|| {
                Line::from(Span::styled(item.flag_letters(), theme.warning))
            }),
            shown(columns.stage, &|| first_line(item.stage.label().into())),
            shown(columns.next, &|| next_action(item, self.today, theme)),
            shown(columns.why, &|| {
                let why = match self.reason.filter(|_| selected) {
                    Some(reason) => cut(reason, usize::from(columns.why)).into_owned(),
                    None => {
                        let reason = item.reason_in(self.tab, self.today);
                        cut(&reason, usize::from(columns.why)).into_owned()
                    }
                };
                Line::from(Span::styled(why, theme.muted))
            }),
        ]
    }
}

/// A text as a table's cell shows it: a cell is one row high, so its first line.
fn first_line(text: Cow<'_, str>) -> Line<'_> {
    match text {
        Cow::Borrowed(text) => Line::from(text.lines().next().unwrap_or_default()),
        Cow::Owned(text) if !text.contains('\n') => Line::from(text),
        Cow::Owned(text) => Line::from(text.lines().next().unwrap_or_default().to_owned()),
    }
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

fn next_action<'a>(item: &QueueItem, today: NaiveDate, theme: &Theme) -> Line<'a> {
    let d = &item.decision;
    match (d.recommendation, d.blocker) {
        (_, Some(blocker)) => {
            Line::from(Span::styled(format!("({})", blocker.label()), theme.muted))
        }
        (Recommendation::NoAction, None) if item.promise_to_chase(today).is_some() => {
            Line::from(Span::styled(CHASE_PROMISE, theme.warning))
        }
        (Recommendation::NoAction, None) => Line::default(),
        (r, None) => Line::from(Span::styled(r.label(), theme.accent)),
    }
}

pub fn thousands(n: usize) -> String {
    crate::domain::money::group_thousands(u64::try_from(n).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Session;
    use crate::domain::Money;
    use crate::domain::ledger::EntryKind;
    use crate::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
    use crate::store::tests::{d, entry};
    use crate::store::{NewTenant, Store};
    use ratatui::widgets::{Cell, Row, Table};

    /// A demo caseload, and tenants whose names are wide, long, accented or broken over lines.
    fn session() -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let options = crate::demo::DemoOptions::shipped(40, 1, 7, d("2026-11-23"));
        crate::demo::generate_file(&path, &options, |_| {}).unwrap();
        let mut store = Store::open(&path).unwrap();
        let names = [
            ("山田", "太郎 Featherstonehaugh-Wolfeschlegel"),
            ("Zoë", "Ngũgĩ wa Thiong'o e\u{301}"),
            ("Line", "Broken\nOver Two"),
            ("A", "B"),
        ];
        for (n, (first, last)) in names.into_iter().enumerate() {
            store
                .write("tester", "test", |w| {
                    let t = w.add_tenancy(&TenancyDetails {
                        reference: format!("90000{n}/1"),
                        address: "1 Test Street".into(),
                        postcode: "TE1 1ST".into(),
                        tenure: Tenure::Secure,
                        start: d("2020-04-06"),
                        end: None,
                        patch: "North".into(),
                        officer: "tester".into(),
                        weekly_charge: Money::pounds(100),
                        flags: Flags {
                            vulnerable: n % 2 == 0,
                            interpreter: true,
                            ..Flags::default()
                        },
                    })?;
                    let tenant = Tenant {
                        title: "Mx".into(),
                        first_name: first.into(),
                        last_name: last.into(),
                        ..Tenant::default()
                    };
                    w.add_tenant(
                        t,
                        &NewTenant {
                            tenant,
                            date_of_birth: None,
                            contact_preference: None,
                        },
                    )?;
                    let a = w.account(t, DebtType::Rent)?;
                    let charge = 700 * i64::try_from(n + 1).unwrap();
                    w.append_entry(&entry(a, "2026-10-19", EntryKind::Charge, charge))
                })
                .unwrap();
        }
        let s = Session::for_tests(store, 160, 48);
        (dir, s)
    }

    /// What a `Table` of these columns, a space between them, draws for these rows.
    fn table<'a>(width: u16, rows: Vec<[Line<'a>; 8]>, style: Option<Style>) -> Buffer {
        let widths = QueueColumns::for_width(width).widths();
        let height = u16::try_from(rows.len()).unwrap();
        let rows = rows.into_iter().map(|fields| {
            let cells = fields
                .into_iter()
                .zip(widths)
                .filter(|(_, w)| *w > 0)
                .map(|(field, _)| Cell::from(field));
            Row::new(cells).style(style.unwrap_or_default())
        });
        let shown = widths
            .into_iter()
            .filter(|w| *w > 0)
            .map(Constraint::Length);
        let mut buffer = Buffer::empty(Rect::new(2, 1, width, height));
        Table::new(rows, shown)
            .column_spacing(1)
            .render(buffer.area, &mut buffer);
        buffer
    }

    /// Drawn straight into the buffer, these rows one under another.
    fn grid(width: u16, rows: Vec<[Line<'_>; 8]>, style: Option<Style>) -> Buffer {
        let height = u16::try_from(rows.len()).unwrap();
        let mut buffer = Buffer::empty(Rect::new(2, 1, width, height));
        let grid = Grid::new(QueueColumns::for_width(width), width);
        for (y, fields) in (1..).zip(rows) {
            grid.draw(&mut buffer, Rect::new(2, y, width, 1), fields, style);
        }
        buffer
    }

    /// Every row of the caseload in every tab, at widths of the queue from the least to 200 (each
    /// at which a column comes or goes, and the 80x24 and 160-column screens'), selected and not:
    /// drawn straight into the buffer, it is cell for cell what a `Table` drew.
    #[test]
    fn rows_are_drawn_as_a_table_of_their_columns_draws_them() {
        let (_dir, mut s) = session();
        let theme = Theme::new(&crate::config::Config::default_config().colours, false);
        let today = s.state.settings.today;
        let widths = [
            28, 30, 33, 38, 39, 59, 60, 65, 66, 76, 78, 80, 94, 117, 118, 119, 150, 158, 200,
        ];
        let mut rows = 0;
        for tab in Tab::ALL {
            s.state.queue.set_tab(tab);
            let items: Vec<&QueueItem> = s.state.queue.window(usize::MAX).map(|(_, i)| i).collect();
            let reasons: Vec<String> = items.iter().map(|i| i.reason_in(tab, today)).collect();
            for width in widths {
                let columns = QueueColumns::for_width(width);
                for selected in [false, true] {
                    let fields = || {
                        items.iter().zip(&reasons).map(|(item, reason)| {
                            let made = Rows {
                                tab,
                                today,
                                reason: selected.then_some(reason.as_str()),
                                theme: &theme,
                            };
                            made.fields(item, selected, columns)
                        })
                    };
                    let style = selected.then_some(theme.selected);
                    let expected = table(width, fields().collect(), style);
                    let drawn = grid(width, fields().collect(), style);
                    assert_eq!(drawn, expected, "{tab:?} at {width}");
                    rows += items.len();
                }
            }
        }
        assert!(rows > 2_000, "{rows}");
        // The column titles too.
        for width in widths {
            let expected = table(width, vec![TITLES.map(Line::from)], Some(theme.title));
            let drawn = grid(width, vec![TITLES.map(Line::from)], Some(theme.title));
            assert_eq!(drawn, expected, "titles at {width}");
        }
    }
}
