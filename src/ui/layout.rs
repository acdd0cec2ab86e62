//! Where each pane goes at a given terminal size. Pure geometry, shared by drawing and by `update`
//! (which needs the queue's height for paging and scrolling).

use crate::app::state::Pane;
use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen says so instead of drawing.
pub const MIN_SIZE: (u16, u16) = (30, 8);
/// From this size up all four panes are shown; below it, only the focused one.
pub const FULL_SIZE: (u16, u16) = (80, 24);

/// Below [`MIN_SIZE`] nothing readable can be drawn, so keys wait too.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_SIZE.0 || height < MIN_SIZE.1
}
/// From this width up the queue sits beside the account instead of above it.
const WIDE: u16 = 140;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub status: Rect,
    /// One rectangle per pane shown, in `Pane::ALL` order.
    pub panes: [Option<Rect>; 4],
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        self.panes[pane.number() - 1]
    }
}

/// `None` when the terminal is too small to draw anything useful.
pub fn areas(area: Rect, focus: Pane) -> Option<Areas> {
    arrange(area, focus, false)
}

/// With the plan editor or the I&E form open: it takes the queue's place, taller when the queue
/// is on top, while the case history and the plan pane stay in view so the officer on the phone
/// still sees the account (there the notes give way).
pub fn work_areas(area: Rect) -> Option<Areas> {
    arrange(area, Pane::Queue, true)
}

fn arrange(area: Rect, focus: Pane, work: bool) -> Option<Areas> {
    if too_small((area.width, area.height)) {
        return None;
    }
    let full = area.width >= FULL_SIZE.0 && area.height >= FULL_SIZE.1;
    let header_rows = if full { 4 } else { 2 };
    let [header, body, status] = Layout::vertical([
        Constraint::Length(header_rows),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut panes = [None; 4];
    if !full {
        panes[focus.number() - 1] = Some(body);
    } else if area.width >= WIDE {
        let [queue, account] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        let [history, plan, notes] = Layout::vertical([
            Constraint::Percentage(48),
            Constraint::Length(11),
            Constraint::Min(5),
        ])
        .areas(account);
        panes = [Some(queue), Some(history), Some(plan), Some(notes)];
    } else {
        let queue_share = if work { 68 } else { 40 };
        let [queue, account] = Layout::vertical([
            Constraint::Percentage(queue_share),
            Constraint::Percentage(100 - queue_share),
        ])
        .areas(body);
        let [history, side] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(account);
        let [plan, notes] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(side);
        panes = if work {
            [Some(queue), Some(history), Some(side), None]
        } else {
            [Some(queue), Some(history), Some(plan), Some(notes)]
        };
    }
    Some(Areas {
        header,
        status,
        panes,
    })
}

/// Rows inside a bordered pane with a column header (the queue also has its tabs row) or without.
pub fn inner_rows(rect: Rect, column_header: bool) -> usize {
    usize::from(rect.height.saturating_sub(2 + 2 * u16::from(column_header)))
}

/// How many queue rows fit at this size (what PgDn moves by).
pub fn queue_rows(size: (u16, u16), focus: Pane) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    areas(area, focus)
        .and_then(|a| a.pane(Pane::Queue))
        .map_or(1, |r| inner_rows(r, true).max(1))
}

/// Rows of the focused pane at this size.
pub fn pane_rows(size: (u16, u16), pane: Pane) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    areas(area, pane)
        .and_then(|a| a.pane(pane))
        .map_or(1, |r| inner_rows(r, pane == Pane::Queue).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_panes_from_80x24_one_below_none_when_tiny() {
        let full = areas(Rect::new(0, 0, 80, 24), Pane::Queue).unwrap();
        assert!(full.panes.iter().all(Option::is_some));
        let wide = areas(Rect::new(0, 0, 160, 48), Pane::Queue).unwrap();
        assert!(wide.panes.iter().all(Option::is_some));
        let small = areas(Rect::new(0, 0, 60, 20), Pane::Notes).unwrap();
        assert_eq!(small.panes.iter().filter(|p| p.is_some()).count(), 1);
        assert!(small.pane(Pane::Notes).is_some());
        assert!(areas(Rect::new(0, 0, 20, 5), Pane::Queue).is_none());
        assert!(areas(Rect::new(0, 0, 10, 4), Pane::Queue).is_none());
        assert_eq!(queue_rows((20, 5), Pane::Queue), 1);
        for (w, h) in [(80, 24), (120, 40), (160, 48)] {
            let work = work_areas(Rect::new(0, 0, w, h)).unwrap();
            assert!(work.pane(Pane::History).is_some() && work.pane(Pane::Plan).is_some());
            assert_eq!(work.pane(Pane::Notes).is_none(), w < 140, "{w}x{h}");
            assert!(work.pane(Pane::Queue).unwrap().height >= 13, "{w}x{h}");
        }
        assert!(work_areas(Rect::new(0, 0, 20, 5)).is_none());
        assert!(queue_rows((160, 48), Pane::Queue) > 30);
    }
}
