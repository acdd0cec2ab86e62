//! The plan and legal pane: the current payment plan, or that there is none; then where the case
//! stands legally: the notice and its dates, hearings, orders, warrants, pauses.

use super::pane;
use super::theme::Theme;
use crate::app::state::{Pane, State};
use crate::domain::dates;
use crate::domain::plan::PlanState;
use crate::domain::recovery::CourtEventKind;
use crate::store::{AccountDetail, PlanRecord};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Folded, the instalment and how often (the plan's state is beside the title).
pub fn draw(frame: &mut Frame, area: Rect, state: &State, folded: bool, theme: &Theme) {
    let focused = state.focus == Pane::Plan;
    let account = state.current_account();
    let plan = account.and_then(|a| a.plan.as_ref());
    let standing = account
        .and_then(|a| a.standing.as_ref())
        .filter(|s| plan.is_some_and(|p| p.id == s.plan.id));
    let detail = plan
        .map(|p| p.state.label().to_uppercase())
        .unwrap_or_default();
    let block = pane::block(Pane::Plan, focused, pane::detail(detail, theme), theme);
    // Until the selected account is read, nothing is said of its plan (not even that it has none).
    if account.is_none() && state.queue.selected().is_some() {
        let line = Line::styled("Opening…", theme.muted);
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    if folded {
        let line = match plan {
            None => Line::styled("No payment plan.", theme.muted),
            Some(p) => Line::from(instalment(p)),
        };
        frame.render_widget(Paragraph::new(line).block(block), area);
        return;
    }
    let lines = match plan {
        None => vec![Line::styled("No payment plan.", theme.muted)],
        Some(p) => {
            let state_style = match p.state {
                PlanState::Breached => theme.warning,
                PlanState::Live => theme.credit,
                _ => theme.muted,
            };
            let mut lines = vec![Line::from(vec![
                Span::styled(format!("{} plan ", p.terms.kind.label()), theme.title),
                Span::styled(format!("[{}]", p.state.label()), state_style),
                Span::styled(
                    format!(" {}", p.state.dated(p.state_on, p.at.date(), p.terms.start)),
                    theme.muted,
                ),
            ])];
            // Where it stands comes first: it is what the officer on the phone needs.
            if let Some(s) = standing {
                let style = match s.standing.state {
                    PlanState::Breached => theme.warning,
                    _ => theme.credit,
                };
                lines.push(Line::styled(s.wording.clone(), style));
            }
            lines.extend([
                Line::from(instalment(p)),
                Line::from(format!(
                    "Owed when agreed: {}",
                    p.terms.starting_balance.format_balance()
                )),
            ]);
            if !p.terms.lump_sum.is_zero() {
                let when = p.terms.lump_date.map(dates::uk).unwrap_or_default();
                lines.push(Line::from(format!(
                    "Lump sum {} on {when}",
                    p.terms.lump_sum
                )));
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
    let mut lines = lines;
    if let Some(account) = state.current_account() {
        lines.extend(legal(account, state.settings.today, theme));
    }
    let scroll = u16::try_from(state.scroll.plan).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}

/// "£20.00 weekly from 07/12/2026"
fn instalment(p: &PlanRecord) -> String {
    format!(
        "{} {} from {}",
        p.terms.instalment,
        p.terms.frequency.label().to_lowercase(),
        dates::uk(p.terms.start)
    )
}

/// The notice in force (or the last one), the court's latest steps, and any pause.
fn legal<'a>(a: &AccountDetail, today: NaiveDate, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let label = |text: &str| Span::styled(format!("{text:<8}"), theme.title);
    if let Some(notice) = a.notices.first().map(|n| &n.notice) {
        let d = notice.kind.dates(notice.served_on);
        let state = if d.lapses <= today {
            Span::styled(" LAPSED", theme.warning)
        } else if d.proceedings_from > today {
            Span::styled(" waiting", theme.muted)
        } else {
            Span::styled(" usable", theme.credit)
        };
        lines.push(Line::from(vec![
            label("Notice"),
            Span::raw(format!(
                "{} served {}, proceedings from {}, lapses {}",
                notice.kind.label(),
                dates::uk(notice.served_on),
                dates::uk(d.proceedings_from),
                dates::uk(d.lapses)
            )),
            state,
        ]));
    }
    if let Some(claim) = a.claims.first().map(|c| &c.claim) {
        let number = match claim.claim_number.as_str() {
            "" => String::new(),
            n => format!(", claim {n}"),
        };
        lines.push(Line::from(vec![
            label("Claim"),
            Span::raw(format!(
                "court date applied for {}{}{number}",
                dates::uk(claim.applied_on),
                also(&claim.court)
            )),
        ]));
    }
    let latest = |kind: CourtEventKind| {
        a.court
            .iter()
            .map(|e| &e.event)
            .find(|e| e.kind == kind && e.on_date.is_some())
    };
    if let Some(h) = latest(CourtEventKind::Hearing) {
        let day = h.on_date.map(dates::uk).unwrap_or_default();
        let when = if h.on_date >= Some(today) {
            "Hearing on"
        } else {
            "Heard"
        };
        let time = h
            .time
            .map_or(String::new(), |t| format!(" at {}", t.format("%H:%M")));
        lines.push(Line::from(vec![
            label("Court"),
            Span::raw(format!("{when} {day}{time}{}", also(&h.court))),
        ]));
    }
    if let Some(order) = a
        .court
        .iter()
        .map(|e| &e.event)
        .find(|e| e.kind == CourtEventKind::Outcome)
    {
        let on = order
            .on_date
            .map(dates::uk)
            .unwrap_or_else(|| "no date recorded".into());
        let outcome = order.outcome.map_or("", |o| o.label());
        let terms = if order.terms.is_empty() {
            String::new()
        } else {
            format!(": {}", order.terms)
        };
        lines.push(Line::from(vec![
            label("Order"),
            Span::raw(format!("{outcome} ({on}){terms}")),
        ]));
    }
    if let Some(w) = latest(CourtEventKind::WarrantApplied) {
        let number = match w.reference.as_str() {
            "" => String::new(),
            n => format!(" (warrant {n})"),
        };
        lines.push(Line::from(vec![
            label("Warrant"),
            Span::raw(format!(
                "applied for {}{number}",
                w.on_date.map(dates::uk).unwrap_or_default()
            )),
        ]));
    }
    if let Some(e) = latest(CourtEventKind::EvictionDate) {
        lines.push(Line::from(vec![
            label("Eviction"),
            Span::styled(e.on_date.map(dates::uk).unwrap_or_default(), theme.warning),
        ]));
    }
    if let Some(p) = a.pause.as_ref().filter(|p| p.until >= today) {
        lines.push(Line::from(vec![
            label(p.kind.label()),
            Span::styled(
                format!("until {}: {}", dates::uk(p.until), p.reason),
                theme.warning,
            ),
        ]));
    }
    if !lines.is_empty() {
        lines.insert(0, Line::from(""));
    }
    lines
}

/// ", the detail" when there is one.
fn also(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(", {detail}")
    }
}
