//! The plan pane: the current payment plan, or that there is none.

use super::pane;
use super::theme::Theme;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use crate::domain::plan::PlanState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::Plan;
    let plan = state.current_account().and_then(|a| a.plan.as_ref());
    let detail = plan
        .map(|p| p.state.label().to_uppercase())
        .unwrap_or_default();
    let block = pane::block(Pane::Plan, focused, pane::detail(detail, theme), theme);
    let lines = match plan {
        None => vec![Line::styled("No payment plan.", theme.muted)],
        Some(p) => {
            let state_style = match p.state {
                PlanState::Breached => theme.warning,
                PlanState::Live => theme.credit,
                _ => theme.muted,
            };
            let mut lines = vec![
                Line::from(vec![
                    Span::styled(format!("{} plan ", p.kind.label()), theme.title),
                    Span::styled(format!("[{}]", p.state.label()), state_style),
                    Span::styled(format!(" since {}", dates::uk(p.state_on)), theme.muted),
                ]),
                Line::from(format!(
                    "{} {} from {}",
                    p.instalment,
                    p.frequency.label().to_lowercase(),
                    dates::uk(p.start)
                )),
                Line::from(format!(
                    "Owed when agreed: {}",
                    p.starting_balance.format_balance()
                )),
            ];
            if !p.lump_sum.is_zero() {
                let when = p.lump_date.map(dates::uk).unwrap_or_default();
                lines.push(Line::from(format!("Lump sum {} on {when}", p.lump_sum)));
            }
            lines.push(Line::styled(
                format!("Agreed {} by {}", dates::uk_time(p.at), p.officer),
                theme.muted,
            ));
            if !p.reason.is_empty() {
                lines.push(Line::styled(format!("Why: {}", p.reason), theme.muted));
            }
            lines
        }
    };
    let scroll = u16::try_from(state.scroll.plan).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
