//! The header: who this is, where they live, what they owe, and the flags that must never be missed.
//! Each line is made of parts that matter more or less: where a line is too long the parts that
//! matter least go first and long text is cut with an ellipsis, so the safety flags (deceased,
//! vulnerable, breathing space, interpreter) are the last thing the header loses.

use super::theme::Theme;
use crate::app::layout::cut;
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
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// How much a part of a line matters: the least goes first when the line is too long.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Keep {
    Least,
    Less,
    Some,
    More,
    Most,
    /// Never left out: a call in progress, another officer's note, the safety flags.
    Always,
}

/// A part of a header line; one whose text may be cut (to no fewer than `min` characters) is a
/// single span.
struct Part<'a> {
    keep: Keep,
    spans: Vec<Span<'a>>,
    min: Option<usize>,
}

impl<'a> Part<'a> {
    fn new(keep: Keep, spans: Vec<Span<'a>>) -> Part<'a> {
        Part {
            keep,
            spans,
            min: None,
        }
    }

    /// Text that may be cut to `min` characters with an ellipsis.
    fn cuttable(keep: Keep, text: String, style: Style, min: usize) -> Part<'a> {
        Part {
            keep,
            spans: vec![Span::styled(text, style)],
            min: Some(min),
        }
    }

    fn width(&self) -> usize {
        self.spans.iter().map(Span::width).sum()
    }
}

/// The parts that fit in `width`. From the parts that matter least up: at each level text is cut
/// (to its least) before parts are left out, the later first; what is kept always, if still too
/// long, is cut at the end.
fn fit(mut parts: Vec<Part<'_>>, width: usize) -> Line<'_> {
    let over = |parts: &[Part<'_>]| {
        parts
            .iter()
            .map(Part::width)
            .sum::<usize>()
            .saturating_sub(width)
    };
    for level in [Keep::Least, Keep::Less, Keep::Some, Keep::More, Keep::Most] {
        for i in 0..parts.len() {
            let excess = over(&parts);
            let part = &mut parts[i];
            if part.keep != level || excess == 0 {
                continue;
            }
            if let Some(min) = part.min {
                let text = part.spans[0].content.to_string();
                let keep = text.chars().count().saturating_sub(excess).max(min);
                part.spans[0].content = cut(&text, keep).into_owned().into();
            }
        }
        while over(&parts) > 0 {
            match parts.iter().rposition(|p| p.keep == level) {
                Some(i) => {
                    parts.remove(i);
                }
                None => break,
            }
        }
    }
    let mut room = width;
    let mut spans: Vec<Span<'_>> = parts.into_iter().flat_map(|p| p.spans).collect();
    for span in &mut spans {
        let w = span.width();
        if w > room {
            span.content = cut(&span.content, room).into_owned().into();
        }
        room = room.saturating_sub(w);
    }
    Line::from(spans)
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(item) = state.queue.selected() else {
        let line = Line::styled(" caseload · no account selected", theme.muted);
        frame.render_widget(Paragraph::new(line), area);
        return;
    };
    let today = state.settings.today;
    let width = usize::from(area.width);
    let detail = state.current_account();
    let sep = || Span::styled(" · ", theme.muted);

    let name = detail.map_or_else(
        || item.name().to_string(),
        |d| tenancy::names(d.record.tenants.iter().map(Tenant::name_pair)),
    );
    let mut who = vec![];
    // A call in progress is the first thing on the screen, with its timer.
    if let Some(call) = state.editor.as_ref().and_then(|e| e.call()) {
        who.push(Part::new(
            Keep::Always,
            vec![Span::styled(
                format!(" ● CALL {} ", duration(call.seconds(state.now))),
                theme.selected.add_modifier(Modifier::BOLD),
            )],
        ));
    }
    // Another officer's note in progress here is theirs: said before anything else.
    if let Some(writing) = crate::app::drafts::others_writing(state) {
        who.push(Part::new(
            Keep::Always,
            vec![Span::styled(
                format!(" ✎ {writing} "),
                theme.warning.add_modifier(Modifier::BOLD),
            )],
        ));
    }
    who.push(Part::new(
        Keep::Most,
        vec![Span::styled(format!(" {} ", item.reference()), theme.title)],
    ));
    who.push(Part::cuttable(
        Keep::Most,
        name,
        theme.title.add_modifier(Modifier::BOLD),
        12,
    ));
    // The opened account's flags carry the vulnerability reason; the queue row's do not.
    let flags = detail.map_or(&item.flags, |d| &d.record.details.flags);
    let safety = flags.safety_words(today);
    if !safety.is_empty() {
        who.push(Part::new(
            Keep::Always,
            vec![sep(), Span::styled(safety.join(" · "), theme.warning)],
        ));
    }
    if let Some(why) = flags.vulnerability_reason() {
        who.push(Part::new(
            Keep::More,
            vec![Span::styled(": ", theme.warning)],
        ));
        who.push(Part::cuttable(
            Keep::More,
            why.to_string(),
            theme.warning,
            10,
        ));
    }
    if let Some(d) = detail {
        let r = &d.record;
        who.push(Part::new(
            Keep::Less,
            vec![
                sep(),
                Span::raw(r.details.tenure.label()),
                Span::styled(
                    match r.details.end {
                        Some(end) if end < today => {
                            format!(" · FORMER TENANCY, ended {}", dates::uk(end))
                        }
                        Some(end) => format!(" · ends {}", dates::uk(end)),
                        None => format!(" since {}", dates::uk(r.details.start)),
                    },
                    if item.former {
                        theme.warning
                    } else {
                        theme.muted
                    },
                ),
            ],
        ));
        if !r.details.officer.is_empty() {
            who.push(Part::new(
                Keep::Least,
                vec![
                    sep(),
                    Span::styled(
                        format!("{} · {}", r.details.patch, r.details.officer),
                        theme.muted,
                    ),
                ],
            ));
        }
    }

    let mut place = vec![];
    if let Some(d) = detail {
        place.push(Part::cuttable(
            Keep::Some,
            format!(
                " {}, {}",
                d.record.details.address, d.record.details.postcode
            ),
            Style::new(),
            16,
        ));
        let phones: Vec<&str> = d
            .record
            .tenants
            .iter()
            .flat_map(|t| [t.phone.as_deref(), t.phone2.as_deref()])
            .flatten()
            .collect();
        if !phones.is_empty() {
            place.push(Part::new(
                Keep::More,
                vec![
                    sep(),
                    Span::styled(format!("☎ {}", phones.join(", ")), theme.muted),
                ],
            ));
        }
    }

    let balance = item.arrears.balance;
    let mut money = vec![
        Part::new(Keep::Always, vec![Span::raw(" ")]),
        Part::new(
            Keep::Less,
            vec![
                Span::raw(format!("Rent {} a week", item.weekly_charge)),
                sep(),
            ],
        ),
        Part::new(
            Keep::Most,
            vec![
                Span::raw("Balance "),
                Span::styled(
                    balance.format_balance(),
                    theme.money(balance).add_modifier(Modifier::BOLD),
                ),
            ],
        ),
    ];
    if let Some(weeks) = item.weeks().filter(|_| balance.is_positive()) {
        money.push(Part::new(
            Keep::More,
            vec![Span::styled(
                format!(" ({weeks:.1} wks of rent)"),
                theme.money(balance),
            )],
        ));
    }
    if let Some(d) = detail {
        for account in d
            .record
            .accounts
            .iter()
            .filter(|a| a.debt_type != DebtType::Rent && !a.summary.balance.is_zero())
        {
            money.push(Part::new(
                Keep::Some,
                vec![
                    sep(),
                    Span::raw(format!("{} ", account.debt_type.label())),
                    Span::styled(
                        account.summary.balance.format_balance(),
                        theme.money(account.summary.balance),
                    ),
                ],
            ));
        }
        if let Some(paid) = d.record.rent().last_payment {
            money.push(Part::new(
                Keep::Less,
                vec![
                    sep(),
                    Span::styled(format!("last paid {}", dates::uk(paid)), theme.muted),
                ],
            ));
        }
    }
    let benefits: Vec<&str> = [
        (flags.universal_credit, "UC"),
        (flags.housing_benefit, "HB"),
    ]
    .into_iter()
    .filter_map(|(on, word)| on.then_some(word))
    .collect();
    if !benefits.is_empty() {
        money.push(Part::new(
            Keep::Some,
            vec![sep(), Span::styled(benefits.join(" · "), theme.warning)],
        ));
    }

    let next = next_line(item, today, theme);
    let lines = if area.height >= 4 {
        vec![
            fit(who, width),
            fit(place, width),
            fit(money, width),
            fit(next, width),
        ]
    } else {
        // Two rows: who, and what to do next; the rest is on the account.
        vec![fit(who, width), fit(next, width)]
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// A call back still to make, what the policy recommends for this account, and why, in full.
fn next_line<'a>(item: &'a QueueItem, today: NaiveDate, theme: &Theme) -> Vec<Part<'a>> {
    let mut parts = vec![];
    if let Some(at) = item.call_back {
        parts.push(Part::new(
            Keep::Most,
            vec![
                Span::styled(
                    format!(" ☎ Call back {}", at.format("%a %d/%m %H:%M")),
                    theme.warning,
                ),
                Span::styled(" ·", theme.muted),
            ],
        ));
    }
    // What falls due today (a promise, an instalment, a notice lapsing), or the policy's
    // "Nothing due" would say otherwise mid-call.
    let day = item.day_beside_call_back(today);
    if let Some(day) = &day {
        parts.push(Part::new(
            Keep::Most,
            vec![
                Span::styled(format!(" {day}"), theme.warning),
                Span::styled(" ·", theme.muted),
            ],
        ));
    }
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
        (Recommendation::NoAction, None) if day.is_some() => {
            (" ".to_string(), theme.muted, String::new())
        }
        (Recommendation::NoAction, None) => {
            (" Nothing due · ".to_string(), theme.muted, String::new())
        }
        (r, None) => (
            format!(" Next: {} · ", r.label()),
            theme.accent.add_modifier(Modifier::BOLD),
            format!(" (rule {})", r.rule_number()),
        ),
    };
    parts.push(Part::new(Keep::Most, vec![Span::styled(label, style)]));
    parts.push(Part::cuttable(
        Keep::More,
        item.why(today),
        Style::new(),
        12,
    ));
    parts.push(Part::new(
        Keep::Least,
        vec![Span::styled(rule, theme.muted)],
    ));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn parts() -> Vec<Part<'static>> {
        vec![
            Part::new(Keep::Most, vec![Span::raw(" 100007/1 ")]),
            Part::cuttable(
                Keep::Most,
                "Grace Oyelaran-Whitfield".into(),
                Style::new(),
                12,
            ),
            Part::new(Keep::Always, vec![Span::raw(" · VULNERABLE · INTERPRETER")]),
            Part::new(Keep::Less, vec![Span::raw(" · Secure since 01/04/2019")]),
            Part::new(Keep::Least, vec![Span::raw(" · Riverside · tester")]),
        ]
    }

    #[test]
    fn what_matters_least_goes_first_and_the_flags_last() {
        let all = text(&fit(parts(), 200));
        assert_eq!(
            all,
            " 100007/1 Grace Oyelaran-Whitfield · VULNERABLE · INTERPRETER · Secure since 01/04/2019 · Riverside · tester"
        );
        assert_eq!(
            text(&fit(parts(), 90)),
            " 100007/1 Grace Oyelaran-Whitfield · VULNERABLE · INTERPRETER · Secure since 01/04/2019"
        );
        assert_eq!(
            text(&fit(parts(), 50)),
            " 100007/1 Grace Oyelar… · VULNERABLE · INTERPRETER"
        );
        // Narrower still: the flags stay and the rest is cut.
        let narrow = text(&fit(parts(), 30));
        assert!(narrow.contains("VULNERABLE"), "{narrow}");
        for width in 0..120 {
            assert!(fit(parts(), width).width() <= width, "{width}");
        }
    }
}
