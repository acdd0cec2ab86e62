//! The KPI screen: the team's numbers in words (every figure a chart shows is also said there)
//! beside ratatui's own charts: arrears as a share of the rent roll week by week (Chart), the
//! collection rate by week (Sparkline), accounts by weeks owed (BarChart) and the officers side
//! by side (BarChart).

use super::Theme;
use crate::domain::kpi::{Band, Summary, show_percent};
use crate::report;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, BorderType, Chart, Clear, Dataset, GraphType, Paragraph,
    Sparkline, Wrap,
};
use rust_decimal::prelude::ToPrimitive;

/// The screen's frame with its title, cleared; the area inside it.
fn screen(frame: &mut Frame, area: Rect, title: String, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.accent)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The screen while the figures are worked out: what, in words.
pub fn working(frame: &mut Frame, area: Rect, what: &str, theme: &Theme) {
    let inner = screen(
        frame,
        area,
        " The team's numbers (Esc closes) ".into(),
        theme,
    );
    frame.render_widget(Paragraph::new(what).wrap(Wrap { trim: true }), inner);
}

pub fn draw(frame: &mut Frame, area: Rect, s: &Summary, scroll: usize, theme: &Theme) {
    let title = format!(
        " The team's numbers: {} (Esc closes, j/k scroll) ",
        report::title(s)
    );
    let inner = screen(frame, area, title, theme);
    // Words beside the charts when there is room, above them when not.
    let (words, charts) = if inner.width >= 110 {
        let [w, c] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(inner);
        (w, c)
    } else {
        let [w, c] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(inner);
        (w, c)
    };
    let pending = (s.trend_missing > 0).then(|| crate::app::kpi::trend_working(s.trend_missing));
    let lines: Vec<Line> = pending
        .into_iter()
        .chain(report::words(s))
        .map(Line::from)
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        words,
    );
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Fill(2),
        Constraint::Length(4),
        Constraint::Fill(2),
    ])
    .areas(charts);
    let [trend, bands] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    arrears_trend(frame, trend, s, theme);
    band_bars(frame, bands, s, theme);
    collection_sparkline(frame, middle, s, theme);
    officer_bars(frame, bottom, s, theme);
}

fn titled<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::bordered().title(Span::styled(title, theme.accent))
}

/// A percentage in tenths, for a bar's height or a sparkline's point.
fn tenths(p: Option<rust_decimal::Decimal>) -> u64 {
    p.and_then(|p| (p * rust_decimal::Decimal::TEN).round().to_u64())
        .unwrap_or(0)
}

fn arrears_trend(frame: &mut Frame, area: Rect, s: &Summary, theme: &Theme) {
    // Plot coordinates only: the figures themselves are exact decimals, said in the words.
    let points: Vec<(f64, f64)> = s
        .trend
        .iter()
        .enumerate()
        .filter_map(|(i, w)| Some((i as f64, w.tally.arrears_of_roll()?.to_f64()?)))
        .collect();
    let top = points.iter().map(|p| p.1).fold(1.0_f64, f64::max).ceil();
    // "now" is the headline's figure: where things stood at the period's end, the line's last point.
    let title = if s.trend_missing > 0 {
        format!(
            "Arrears now {} of rent roll; by week: working out {} weeks",
            show_percent(s.total.arrears_of_roll()),
            s.trend_missing
        )
    } else if s.trend.is_empty() {
        "Arrears % of rent roll: no weeks yet".into()
    } else {
        format!(
            "Arrears now {} of rent roll, by week",
            show_percent(s.total.arrears_of_roll())
        )
    };
    let first = s
        .trend
        .first()
        .map(|w| w.week.format("%d/%m/%y").to_string());
    let end = s.period.to.format("%d/%m/%y").to_string();
    let dataset = Dataset::default()
        .name("arrears %")
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(theme.arrears)
        .data(&points);
    let chart = Chart::new(vec![dataset])
        .block(titled(title, theme))
        .x_axis(
            Axis::default()
                .bounds([0.0, (points.len().max(2) - 1) as f64])
                .labels([first.unwrap_or_default(), end]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(["0%".to_string(), format!("{top}%")]),
        )
        .hidden_legend_constraints((Constraint::Ratio(0, 1), Constraint::Ratio(0, 1)));
    frame.render_widget(chart, area);
}

fn band_bars(frame: &mut Frame, area: Rect, s: &Summary, theme: &Theme) {
    let bars: Vec<Bar> = Band::ALL
        .iter()
        .map(|b| {
            let n = s.total.band(*b).accounts;
            Bar::default()
                .value(u64::from(n))
                .label(Line::from(b.short()))
                .text_value(n.to_string())
        })
        .collect();
    let chart = BarChart::default()
        .block(titled("Accounts by weeks owed".into(), theme))
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width(area, bars.len()))
        .bar_gap(1)
        .bar_style(theme.accent)
        .value_style(Style::new().reversed());
    frame.render_widget(chart, area);
}

/// Bars as wide as fit, at least 4 columns so a count can be read on them.
fn bar_width(area: Rect, bars: usize) -> u16 {
    let bars = u16::try_from(bars.max(1)).unwrap_or(u16::MAX);
    (area.width.saturating_sub(2) / bars)
        .saturating_sub(1)
        .clamp(4, 12)
}

fn collection_sparkline(frame: &mut Frame, area: Rect, s: &Summary, theme: &Theme) {
    let data: Vec<u64> = s
        .trend
        .iter()
        .map(|w| tenths(w.tally.collection_rate()))
        .collect();
    let title = format!(
        "Collection rate by week{} (this year so far {})",
        if s.trend_missing > 0 {
            ": working out"
        } else {
            ""
        },
        show_percent(s.total.collection_rate())
    );
    frame.render_widget(
        Sparkline::default()
            .block(titled(title, theme))
            .data(&data)
            .style(theme.credit),
        area,
    );
}

fn officer_bars(frame: &mut Frame, area: Rect, s: &Summary, theme: &Theme) {
    let bars: Vec<Bar> = s
        .by_officer
        .iter()
        .map(|(name, t)| {
            Bar::default()
                .value(tenths(t.arrears_of_roll()))
                .label(Line::from(name.as_str()))
                .text_value(show_percent(t.arrears_of_roll()))
        })
        .collect();
    let chart = BarChart::default()
        .block(titled(
            "Officers: arrears % of their rent roll".into(),
            theme,
        ))
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width(area, bars.len()).max(6))
        .bar_gap(2)
        .bar_style(theme.arrears)
        .value_style(Style::new().reversed());
    frame.render_widget(chart, area);
}
