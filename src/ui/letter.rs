//! The letter overlay (the letter as it will be sent, a tab for each addressee, what protects the
//! tenant said first, what the case history will read) and the day's batch (`:letters`).

use super::overlay::centred;
use super::theme::Theme;
use crate::app::action::Command;
use crate::app::keymap::{Keymap, ModeKeys};
use crate::app::letters::{BatchView, LetterView, batch_counts};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Padding, Paragraph, Wrap};

/// The key bound to `command` in the letter overlay, as the officer presses it.
fn key(keymap: &Keymap, command: Command) -> String {
    keymap
        .key_for(ModeKeys::Letter, command)
        .map_or_else(|| "?".to_string(), |k| k.to_string())
}

/// A bordered pop-up filling most of the screen: its inner area, a column in from each side so
/// that a wrapped line keeps to the same margin as its first.
fn frame_of(frame: &mut Frame, area: Rect, title: String, theme: &Theme) -> Rect {
    let rect = centred(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(2),
    );
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(theme.accent)
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    inner
}

/// Lines of wrapped text at `width`, counted as the paragraph will draw them.
fn rows(lines: &[Line<'_>], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let n: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    u16::try_from(n).unwrap_or(u16::MAX)
}

pub fn draw(frame: &mut Frame, area: Rect, view: &LetterView, keymap: &Keymap, theme: &Theme) {
    let reference = view
        .made
        .as_ref()
        .map_or(String::new(), |p| format!(" · {}", p.reference));
    let title = format!("{}{reference}", view.letter.label());
    let inner = frame_of(frame, area, title, theme);
    let mut head: Vec<Line> = Vec::new();
    let mut foot: Vec<Line> = Vec::new();
    let send = key(keymap, Command::Accept);
    let back = key(keymap, Command::Back);
    match &view.made {
        Ok(p) => {
            let mut tabs = Vec::new();
            for (i, m) in p.made.iter().enumerate() {
                let label = format!(" {} {} ", i + 1, m.recipient);
                tabs.push(if i == view.tab {
                    Span::styled(label, theme.selected)
                } else {
                    Span::styled(label, theme.muted)
                });
                tabs.push(Span::raw(" "));
            }
            head.push(Line::from(tabs));
            if let Some(why) = &p.protection.refused {
                head.push(Line::styled(format!("✗ REFUSED: {why}"), theme.arrears));
            }
            if let Some(why) = &p.protection.check {
                head.push(Line::styled(format!("⚠ {why}"), theme.warning));
            }
            if let Some(m) = p.made.get(view.tab)
                && let Some((phone, size)) = &m.sms
            {
                head.push(Line::styled(
                    format!("To {phone}: {}", size.describe(&m.text)),
                    theme.accent,
                ));
            }
            foot.push(Line::styled("The case history will read:", theme.muted));
            foot.push(Line::styled(view.line(), theme.accent));
            let what = if p.protection.refused.is_some() {
                "nothing can be sent".to_string()
            } else if p.protection.check.is_some() {
                "give the reason it should go, then it is produced and recorded".to_string()
            } else {
                "produce and record it".to_string()
            };
            foot.push(Line::styled(
                format!(
                    "{send}: {what} · {}: next letter · {}/{}: scroll · {back}: record nothing",
                    key(keymap, Command::NextTab),
                    key(keymap, Command::MoveDown),
                    key(keymap, Command::PageDown)
                ),
                theme.muted,
            ));
        }
        Err(reason) => {
            head.push(Line::styled(
                format!("✗ It cannot be produced: {reason}"),
                theme.arrears,
            ));
            foot.push(Line::styled("The case history will read:", theme.muted));
            foot.push(Line::styled(view.line(), theme.accent));
            foot.push(Line::styled(
                format!(
                    "{send}: record that it failed (the queue asks for a review) · {back}: \
                     record nothing"
                ),
                theme.muted,
            ));
        }
    }
    let text: Vec<Line> = view.text().lines().map(Line::raw).collect();
    parts(frame, inner, [head, text, foot], view.scroll, theme);
}

/// A pop-up's inside: what to know first, the body between two rules (scrolled to `scroll`),
/// and the keys beneath.
fn parts(
    frame: &mut Frame,
    inner: Rect,
    [head, body, foot]: [Vec<Line>; 3],
    scroll: usize,
    theme: &Theme,
) {
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(rows(&head, inner.width)),
        Constraint::Min(1),
        Constraint::Length(rows(&foot, inner.width)),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), top);
    frame.render_widget(
        Paragraph::new(body)
            .block(
                Block::new()
                    .borders(Borders::TOP | Borders::BOTTOM)
                    .border_style(theme.muted),
            )
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        middle,
    );
    frame.render_widget(Paragraph::new(foot).wrap(Wrap { trim: false }), bottom);
}

pub fn batch(frame: &mut Frame, area: Rect, view: &BatchView, keymap: &Keymap, theme: &Theme) {
    let inner = frame_of(frame, area, "The day's letters".into(), theme);
    let (counts, held) = batch_counts(view);
    let mut head: Vec<Line> = counts
        .iter()
        .map(|(kind, n)| {
            Line::from(vec![
                Span::styled(format!("{n:>6}  "), theme.accent),
                Span::raw(kind.label()),
            ])
        })
        .collect();
    if held > 0 {
        head.push(Line::styled(
            format!(
                "{held:>6}  of them to tenants flagged vulnerable: held for a person's check \
                 (send each from its account)"
            ),
            theme.warning,
        ));
    }
    let foot = vec![Line::styled(
        format!(
            "{}: produce them all and record them as sent · {}: produce nothing",
            key(keymap, Command::Accept),
            key(keymap, Command::Back)
        ),
        theme.muted,
    )];
    let list: Vec<Line> = view
        .items
        .iter()
        .map(|i| {
            Line::from(vec![
                Span::raw(format!("{:<10} {:<30} ", i.reference, i.name)),
                Span::styled(i.letter.label(), theme.accent),
                Span::styled(if i.vulnerable { "  V" } else { "" }, theme.warning),
            ])
        })
        .collect();
    parts(frame, inner, [head, list, foot], view.scroll, theme);
}
