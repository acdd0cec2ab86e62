//! The bottom line: the mode, the keys that matter now (read from the live keymap), and the last
//! message. In the filter and command modes it is the line being typed.

use super::theme::Theme;
use crate::app::action::Command;
use crate::app::keymap::{Keymap, ModeKeys};
use crate::app::state::{Message, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, keymap: &Keymap, theme: &Theme) {
    let keys = state.keys();
    let prompt = match keys {
        ModeKeys::Filter => Some(('/', &state.filter)),
        ModeKeys::Command => Some((':', &state.command)),
        _ => None,
    };
    if let Some((sigil, input)) = prompt {
        let line = Line::from(vec![
            Span::styled(format!(" {} ", keys.label()), theme.selected),
            Span::raw(format!(" {sigil}{}", input.text())),
        ]);
        let x = area.x
            + 2
            + u16::try_from(keys.label().chars().count() + 1 + input.cursor()).unwrap_or(0)
            + 1;
        frame.render_widget(Paragraph::new(line), area);
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let mut right = match &state.message {
        Some(Message::Error(text)) => Span::styled(
            format!("{text} "),
            theme.arrears.add_modifier(Modifier::BOLD),
        ),
        Some(Message::Info(text)) => Span::styled(format!("{text} "), theme.credit),
        None if state.tampered.is_some() => Span::styled(
            format!("{} ", state.tampered.as_deref().unwrap_or_default()),
            theme.arrears.add_modifier(Modifier::BOLD),
        ),
        None if state.queue.is_provisional() => {
            Span::styled("Ranking every account… ", theme.muted)
        }
        None => match crate::app::reminder::current(state) {
            Some(reminder) => Span::styled(
                format!("{} ", reminder.text),
                theme.warning.add_modifier(Modifier::BOLD),
            ),
            None => Span::styled(
                format!(
                    "{} ",
                    state
                        .settings
                        .db_path
                        .file_name()
                        .map(|f| f.to_string_lossy())
                        .unwrap_or_default()
                ),
                theme.muted,
            ),
        },
    };
    // Where the note's text is, while it is not in the database, comes first: the hints give way.
    let warning = crate::app::drafts::warning(&state.draft_status)
        // On a read-only database the banner says where the notes are, unless they are nowhere.
        .filter(|(_, unkept)| *unkept || state.read_only.is_none());
    if let Some((warning, unkept)) = warning {
        let message = state
            .message
            .as_ref()
            .map_or(String::new(), |m| format!("{} ", m.text()));
        let style = theme.arrears;
        right = Span::styled(
            format!("{warning} {message}"),
            if unkept || matches!(state.message, Some(Message::Error(_))) {
                style.add_modifier(Modifier::BOLD)
            } else {
                style
            },
        );
    }
    // The mode always shows: a message longer than the rest of the line is cut, marked `…`, and
    // says which key shows it in full.
    let mode = Span::styled(format!(" {} ", keys.label()), theme.selected);
    let room_for_message = usize::from(area.width).saturating_sub(mode.width() + 1);
    if right.width() > room_for_message {
        let all = keymap
            .key_for(keys, Command::Messages)
            .filter(|_| state.message.is_some() && room_for_message >= 30)
            .map_or(String::new(), |k| format!(" ({k}: all) "));
        let room = room_for_message.saturating_sub(all.chars().count());
        right.content = format!("{}{all}", crate::app::layout::cut(&right.content, room)).into();
    }
    let right_width = u16::try_from(right.width())
        .unwrap_or(u16::MAX)
        .min(area.width);
    // Hints fill what the message leaves, dropping the least important first.
    let room = usize::from(area.width.saturating_sub(right_width));
    let mut left = vec![mode, Span::raw(" ")];
    let mut used: usize = left.iter().map(Span::width).sum();
    for (keys, hint) in hints(keymap, keys, state.editor.is_some()) {
        let text = format!(" {hint}  ");
        let width = keys.chars().count() + text.chars().count();
        if used + width > room {
            break;
        }
        used += width;
        left.push(Span::styled(
            keys,
            theme.accent.add_modifier(Modifier::BOLD),
        ));
        left.push(Span::raw(text));
    }
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), l);
    frame.render_widget(Paragraph::new(Line::from(right).right_aligned()), r);
}

/// `(keys, word)` for the hint bar, from the keys actually bound in this mode.
fn hints(keymap: &Keymap, mode: ModeKeys, note_open: bool) -> Vec<(String, &'static str)> {
    let key = |c: Command| keymap.key_for(mode, c).map(|k| k.to_string());
    let mut out = Vec::new();
    // Help first: whatever else the width leaves out, the way to every key stays in view.
    if !matches!(mode, ModeKeys::Help) {
        out.extend(key(Command::Help).map(|k| (k, Command::Help.hint())));
    }
    if note_open && mode == ModeKeys::Normal {
        out.extend(key(Command::ResumeNote).map(|k| (k, "back to the note")));
    }
    if let (Some(down), Some(up)) = (key(Command::MoveDown), key(Command::MoveUp)) {
        out.push((format!("{down}/{up}"), "move"));
    }
    if let (Some(next), Some(prev)) = (key(Command::NextTab), key(Command::PrevTab)) {
        // `[]` reads as a pair; `Shift-TabTab` would not.
        let one_char = |k: &str| k.chars().count() == 1;
        let pair = if one_char(&prev) && one_char(&next) {
            format!("{prev}{next}")
        } else {
            format!("{prev}/{next}")
        };
        out.push((pair, "tab"));
    }
    let wanted: &[Command] = match mode {
        ModeKeys::Normal => &[
            Command::AcceptRecommendation,
            Command::StartCall,
            Command::AddNote,
            Command::RecordMenu,
            Command::Open,
            Command::Filter,
            Command::NextPane,
            Command::CommandLine,
            Command::Quit,
        ],
        ModeKeys::Filter | ModeKeys::Command => &[Command::Accept, Command::Back],
        ModeKeys::Form => {
            // Enter on the last field shows what will be saved; it never saves at once.
            out.extend(key(Command::Accept).map(|k| (k, "next")));
            &[Command::NextField, Command::Back]
        }
        ModeKeys::Editor => &[
            Command::SaveNote,
            Command::Snippet,
            Command::Checklist,
            Command::Back,
        ],
        ModeKeys::Pick => {
            out.extend(key(Command::Accept).map(|k| (k, "choose")));
            &[Command::Back]
        }
        ModeKeys::Plan => &[
            Command::Save,
            Command::Back,
            Command::DirectDebit,
            Command::IncomeExpenditure,
            Command::NextField,
        ],
        ModeKeys::Assessment => &[
            Command::Save,
            Command::Back,
            Command::NextField,
            Command::PageDown,
        ],
        ModeKeys::Confirm => {
            out.extend(key(Command::Accept).map(|k| (k, "save it")));
            &[Command::Back]
        }
        ModeKeys::Letter => {
            out.extend(key(Command::Accept).map(|k| (k, "send")));
            &[Command::Back, Command::PageDown]
        }
        ModeKeys::Record | ModeKeys::Help => &[Command::Back],
    };
    for command in wanted {
        if let Some(k) = key(*command) {
            out.push((k, command.hint()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn a_pair_of_tab_keys_reads_as_a_pair_and_is_listed_once() {
        let keymap = Keymap::new(&Config::default_config().keys);
        let shown = |mode| {
            hints(&keymap, mode, false)
                .into_iter()
                .filter(|(_, hint)| *hint == "tab")
                .map(|(keys, _)| keys)
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(ModeKeys::Normal), ["[]"]);
        assert_eq!(shown(ModeKeys::Letter), ["Shift-Tab/Tab"]);
    }
}
