//! Drawing. Reads the state, never changes it, never touches the database.

mod assessment;
mod editor;
mod header;
mod history;
mod kpi;
mod layout;
mod letter;
mod notes;
mod overlay;
mod pane;
mod plan;
mod plan_editor;
mod queue;
mod status;
pub mod theme;

use crate::app::State;
use crate::app::keymap::Keymap;
use crate::app::layout as app_layout;
use crate::app::plan_editor::Workspace;
use crate::app::state::{Overlay, Pane};
use crate::printable;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Alignment;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
pub use theme::Theme;

pub fn draw(frame: &mut Frame, state: &State, keymap: &Keymap, theme: &Theme) {
    draw_all(frame, state, keymap, theme);
    neutralise(frame.buffer_mut());
}

/// "Nothing can be recorded", and where the notes are kept instead (on a second line when there is
/// room, the path cut at its start to fit: its end names the file).
fn read_only(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    drafts: &std::path::Path,
    theme: &Theme,
) {
    use ratatui::style::Modifier;
    let width = usize::from(area.width);
    let loud = theme
        .arrears
        .add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut lines = vec![];
    if area.height >= 2 {
        lines.push(Line::styled(
            app_layout::cut(
                " READ-ONLY: nothing can be recorded (the database cannot be written).",
                width,
            )
            .into_owned(),
            loud,
        ));
        let lead = " Notes are kept in your drafts file: ";
        let path = drafts.display().to_string();
        let room = width.saturating_sub(lead.chars().count());
        let count = path.chars().count();
        let path = if count <= room {
            path
        } else {
            let kept: String = path.chars().skip(count + 1 - room.max(1)).collect();
            format!("…{kept}")
        };
        lines.push(Line::styled(
            app_layout::cut(&format!("{lead}{path}"), width).into_owned(),
            theme.arrears.add_modifier(Modifier::BOLD),
        ));
    } else {
        lines.push(Line::styled(
            app_layout::cut(
                " READ-ONLY: nothing can be recorded; notes go to your drafts file.",
                width,
            )
            .into_owned(),
            loud,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The last step of every frame: no cell keeps a character a terminal would obey. ratatui drops
/// control characters itself, but a bidi override in a name reaches the buffer joined to a letter.
fn neutralise(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().contains(printable::is_unsafe) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|&c| !printable::is_unsafe(c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

fn draw_all(frame: &mut Frame, state: &State, keymap: &Keymap, theme: &Theme) {
    let area = frame.area();
    let workspace = state.workspace();
    let size = (area.width, area.height);
    let areas = match workspace {
        Some(_) => app_layout::work_areas(size),
        None => app_layout::areas(size, state.focus),
    };
    let Some(areas) = areas else {
        let (w, h) = app_layout::MIN_SIZE;
        let text = format!(
            "Terminal too small ({}×{}). caseload needs {w}×{h}, and {}×{} for all four panes. Keys are ignored until it is larger; q quits (a note is kept as its draft).",
            area.width,
            area.height,
            app_layout::FULL_SIZE.0,
            app_layout::FULL_SIZE.1
        );
        frame.render_widget(
            Paragraph::new(Line::from(text))
                .wrap(Wrap { trim: true })
                .alignment(Alignment::Center),
            area,
        );
        return;
    };
    let mut header = layout::rect(areas.header);
    if let Some(drafts) = &state.read_only {
        // Above everything, for as long as it lasts: the header gives up its last lines.
        let rows = if header.height >= 4 { 2 } else { 1 };
        let banner = ratatui::layout::Rect {
            height: rows,
            ..header
        };
        header.y += rows;
        header.height -= rows;
        read_only(frame, banner, drafts, theme);
    } else if let Some(warning) = state.live.warning()
        && header.height >= 2
    {
        // A lost live connection: the workstation works on, and says so above the account.
        let banner = ratatui::layout::Rect {
            height: 1,
            ..header
        };
        header.y += 1;
        header.height -= 1;
        let text = app_layout::cut(&format!(" {warning}"), usize::from(banner.width)).into_owned();
        let loud = theme.warning.add_modifier(ratatui::style::Modifier::BOLD);
        frame.render_widget(Paragraph::new(Line::styled(text, loud)), banner);
    }
    header::draw(frame, header, state, theme);
    for pane in Pane::ALL {
        let Some(rect) = areas.pane(pane).map(layout::rect) else {
            continue;
        };
        // Folded to a line that says what it holds, while another pane has the room.
        let folded = areas.folded(pane);
        match pane {
            // The plan editor or I&E form while in use, else an open note, else the queue.
            Pane::Queue => match (workspace, &state.editor) {
                (Some(Workspace::Plan), _) => plan_editor::draw(frame, rect, state, keymap, theme),
                (Some(Workspace::Assessment), _) => assessment::draw(frame, rect, state, theme),
                (None, Some(editor)) => editor::draw(frame, rect, state, editor, folded, theme),
                (None, None) => queue::draw(frame, rect, state, folded, theme),
            },
            Pane::History => history::draw(frame, rect, state, folded, theme),
            Pane::Plan => plan::draw(frame, rect, state, folded, theme),
            Pane::Notes => notes::draw(frame, rect, state, folded, theme),
        }
    }
    status::draw(frame, layout::rect(areas.status), state, keymap, theme);
    // Pop-ups bottom first, so the top one is drawn over the rest.
    for (depth, pop_up) in state.overlays.iter().enumerate() {
        match pop_up {
            Overlay::Help => {
                let keys = state.keys_beneath(depth);
                overlay::help(frame, area, state, keys, keymap, theme);
            }
            Overlay::Info => overlay::info(frame, area, state, theme),
            Overlay::Messages => overlay::messages(frame, area, state, theme),
            Overlay::Kpi(summary) => kpi::draw(frame, area, summary, state.scroll.help, theme),
            Overlay::KpiWorking(what) => kpi::working(frame, area, what, theme),
            Overlay::RecordMenu => overlay::record_menu(frame, area, keymap, theme),
            Overlay::Form(form) => overlay::form(frame, area, form, state, theme),
            Overlay::Pick(picker) => overlay::picker(frame, area, picker, theme),
            Overlay::Confirm(asked) => overlay::confirmation(frame, area, asked, keymap, theme),
            Overlay::Letter(view) => letter::draw(frame, area, view, keymap, theme),
            Overlay::Batch(view) => letter::batch(frame, area, view, keymap, theme),
        }
    }
}
