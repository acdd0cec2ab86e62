//! The header: who this is, where they live, what they owe, and the flags that must never be missed.

use super::theme::Theme;
use crate::app::queue::CHASE_PROMISE;
use crate::app::queue::QueueItem;
use crate::app::state::State;
use crate::domain::contact::duration;
use crate::domain::dates;
use crate::domain::policy::Recommendation;
use crate::domain::tenancy::{self, DebtType, Tenant};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(item) = state.queue.selected() else {
        let line = Line::styled(" caseload · no account selected", theme.muted);
        frame.render_widget(Paragraph::new(line), area);
        return;
    };
    let today = state.settings.today;
    let detail = state.current_account();
    let sep = || Span::styled(" · ", theme.muted);

    let name = detail.map_or_else(
        || item.name().to_string(),
        |d| tenancy::names(d.record.tenants.iter().map(Tenant::name_pair)),
    );
    let mut who = vec![];
    // A call in progress is the first thing on the screen, with its timer.
    if let Some(call) = state.editor.as_ref().and_then(|e| e.call()) {
        who.push(Span::styled(
            format!(" ● CALL {} ", duration(call.seconds(state.now))),
            theme.selected.add_modifier(Modifier::BOLD),
        ));
    }
    // Another officer's note in progress here is theirs: said before anything else.
    if let Some(writing) = crate::app::drafts::others_writing(state) {
        who.push(Span::styled(
            format!(" ✎ {writing} "),
            theme.warning.add_modifier(Modifier::BOLD),
        ));
    }
    who.extend([
        Span::styled(format!(" {} ", item.reference()), theme.title),
        Span::styled(name, theme.title.add_modifier(Modifier::BOLD)),
    ]);
    if let Some(d) = detail {
        let r = &d.record;
        who.extend([sep(), Span::raw(r.details.tenure.label())]);
        who.push(Span::styled(
            match r.details.end {
                Some(end) if end < today => format!(" · FORMER TENANCY, ended {}", dates::uk(end)),
                Some(end) => format!(" · ends {}", dates::uk(end)),
                None => format!(" since {}", dates::uk(r.details.start)),
            },
            if item.former {
                theme.warning
            } else {
                theme.muted
            },
        ));
        if !r.details.officer.is_empty() {
            who.extend([
                sep(),
                Span::styled(
                    format!("{} · {}", r.details.patch, r.details.officer),
                    theme.muted,
                ),
            ]);
        }
    }

    let mut place = vec![];
    if let Some(d) = detail {
        place.push(Span::raw(format!(
            " {}, {}",
            d.record.details.address, d.record.details.postcode
        )));
        let phones: Vec<&str> = d
            .record
            .tenants
            .iter()
            .flat_map(|t| [t.phone.as_deref(), t.phone2.as_deref()])
            .flatten()
            .collect();
        if !phones.is_empty() {
            place.extend([
                sep(),
                Span::styled(format!("☎ {}", phones.join(", ")), theme.muted),
            ]);
        }
    }

    let balance = item.arrears.balance;
    let mut money = vec![
        Span::raw(format!(" Rent {} a week", item.weekly_charge)),
        sep(),
        Span::raw("Balance "),
        Span::styled(
            balance.format_balance(),
            theme.money(balance).add_modifier(Modifier::BOLD),
        ),
    ];
    if let Some(weeks) = item.weeks.filter(|_| balance.is_positive()) {
        money.push(Span::styled(
            format!(" ({weeks:.1} wks of rent)"),
            theme.money(balance),
        ));
    }
    if let Some(d) = detail {
        for account in d
            .record
            .accounts
            .iter()
            .filter(|a| a.debt_type != DebtType::Rent && !a.summary.balance.is_zero())
        {
            money.extend([
                sep(),
                Span::raw(format!("{} ", account.debt_type.label())),
                Span::styled(
                    account.summary.balance.format_balance(),
                    theme.money(account.summary.balance),
                ),
            ]);
        }
        if let Some(paid) = d.record.rent().last_payment {
            money.extend([
                sep(),
                Span::styled(format!("last paid {}", dates::uk(paid)), theme.muted),
            ]);
        }
    }
    // The opened account's flags carry the vulnerability reason; the queue row's do not.
    let words = detail
        .map_or(&item.flags, |d| &d.record.details.flags)
        .words(today);
    if !words.is_empty() {
        money.push(sep());
        money.push(Span::styled(words.join(" · "), theme.warning));
    }

    let next = next_line(item, state.settings.today, theme);
    let lines = if area.height >= 4 {
        vec![Line::from(who), Line::from(place), Line::from(money), next]
    } else {
        // Two rows: who, and what to do next; the rest is on the account.
        vec![Line::from(who), next]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// What the policy recommends for this account, and why, in full.
fn next_line<'a>(item: &QueueItem, today: NaiveDate, theme: &Theme) -> Line<'a> {
    let d = &item.decision;
    let (label, style, rule) = match (d.recommendation, d.blocker) {
        (_, Some(blocker)) => (
            format!(" On hold ({}) · ", blocker.label()),
            theme.warning,
            String::new(),
        ),
        (Recommendation::NoAction, None) if item.promise_to_chase(today).is_some() => (
            format!(" Next: {CHASE_PROMISE} · "),
            theme.warning.add_modifier(Modifier::BOLD),
            String::new(),
        ),
        (Recommendation::NoAction, None) => {
            (" Nothing due · ".to_string(), theme.muted, String::new())
        }
        (r, None) => (
            format!(" Next: {} · ", r.label()),
            theme.accent.add_modifier(Modifier::BOLD),
            format!(" (rule {})", r.rule_number()),
        ),
    };
    Line::from(vec![
        Span::styled(label, style),
        Span::raw(item.why(today).into_owned()),
        Span::styled(rule, theme.muted),
    ])
}
