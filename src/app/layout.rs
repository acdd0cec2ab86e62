//! Where each pane goes at a given terminal size: plain arithmetic, owned by the state (which needs
//! the queue's height for paging and scrolling) and followed by the drawing.

use super::state::Pane;

/// A rectangle of cells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn new(x: u16, y: u16, width: u16, height: u16) -> Area {
        Area {
            x,
            y,
            width,
            height,
        }
    }

    /// The top `rows` rows, and the rest beneath.
    fn take_rows(self, rows: u16) -> (Area, Area) {
        let rows = rows.min(self.height);
        (
            Area {
                height: rows,
                ..self
            },
            Area {
                y: self.y + rows,
                height: self.height - rows,
                ..self
            },
        )
    }

    /// The left `columns` columns, and the rest to the right.
    fn take_columns(self, columns: u16) -> (Area, Area) {
        let columns = columns.min(self.width);
        (
            Area {
                width: columns,
                ..self
            },
            Area {
                x: self.x + columns,
                width: self.width - columns,
                ..self
            },
        )
    }

    /// Split by rows, `percent` of them on top (rounded half up).
    fn rows_percent(self, percent: u16) -> (Area, Area) {
        self.take_rows(percent_of(self.height, percent))
    }

    /// Split by columns, `percent` of them on the left (rounded half up).
    fn columns_percent(self, percent: u16) -> (Area, Area) {
        self.take_columns(percent_of(self.width, percent))
    }
}

fn percent_of(length: u16, percent: u16) -> u16 {
    let share = (u32::from(length) * u32::from(percent) + 50) / 100;
    u16::try_from(share).unwrap_or(length)
}

/// Below this the screen says so instead of drawing.
pub const MIN_SIZE: (u16, u16) = (30, 8);
/// From this size up all four panes are shown; below it, only the focused one.
pub const FULL_SIZE: (u16, u16) = (80, 24);
/// From this width up the queue sits beside the account instead of above it.
const WIDE: u16 = 140;
/// The plan pane's height when the queue is beside the account.
const PLAN_ROWS: u16 = 11;
/// The notes pane's least height there.
const NOTES_ROWS: u16 = 5;

/// Below [`MIN_SIZE`] nothing readable can be drawn, so keys wait too.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_SIZE.0 || height < MIN_SIZE.1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Area,
    pub status: Area,
    /// One rectangle per pane shown, in `Pane::ALL` order.
    pub panes: [Option<Area>; 4],
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Option<Area> {
        self.panes[pane.number() - 1]
    }
}

/// `None` when the terminal is too small to draw anything useful.
pub fn areas(size: (u16, u16), focus: Pane) -> Option<Areas> {
    arrange(size, focus, false)
}

/// With the plan editor or the I&E form open: it takes the queue's place, taller when the queue
/// is on top, while the case history and the plan pane stay in view so the officer on the phone
/// still sees the account (there the notes give way).
pub fn work_areas(size: (u16, u16)) -> Option<Areas> {
    arrange(size, Pane::Queue, true)
}

fn arrange(size: (u16, u16), focus: Pane, work: bool) -> Option<Areas> {
    if too_small(size) {
        return None;
    }
    let (width, height) = size;
    let full = width >= FULL_SIZE.0 && height >= FULL_SIZE.1;
    let header_rows = if full { 4 } else { 2 };
    let (header, rest) = Area::new(0, 0, width, height).take_rows(header_rows);
    let (body, status) = rest.take_rows(rest.height - 1);
    let mut panes = [None; 4];
    if !full {
        panes[focus.number() - 1] = Some(body);
    } else if width >= WIDE {
        let (queue, account) = body.columns_percent(60);
        // The history takes its share unless the plan and notes panes would be squeezed.
        let history_rows = percent_of(account.height, 48)
            .min(account.height.saturating_sub(PLAN_ROWS + NOTES_ROWS));
        let (history, side) = account.take_rows(history_rows);
        let (plan, notes) = side.take_rows(PLAN_ROWS.min(side.height.saturating_sub(NOTES_ROWS)));
        panes = [Some(queue), Some(history), Some(plan), Some(notes)];
    } else {
        let (queue, account) = body.rows_percent(if work { 68 } else { 40 });
        let (history, side) = account.columns_percent(60);
        let (plan, notes) = side.rows_percent(45);
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
pub fn inner_rows(area: Area, column_header: bool) -> usize {
    usize::from(area.height.saturating_sub(2 + 2 * u16::from(column_header)))
}

/// How many queue rows fit at this size (what PgDn moves by).
pub fn queue_rows(size: (u16, u16), focus: Pane) -> usize {
    areas(size, focus)
        .and_then(|a| a.pane(Pane::Queue))
        .map_or(1, |r| inner_rows(r, true).max(1))
}

/// Rows of the focused pane at this size.
pub fn pane_rows(size: (u16, u16), pane: Pane) -> usize {
    areas(size, pane)
        .and_then(|a| a.pane(pane))
        .map_or(1, |r| inner_rows(r, pane == Pane::Queue).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_panes_from_80x24_one_below_none_when_tiny() {
        let full = areas((80, 24), Pane::Queue).unwrap();
        assert!(full.panes.iter().all(Option::is_some));
        let wide = areas((160, 48), Pane::Queue).unwrap();
        assert!(wide.panes.iter().all(Option::is_some));
        let small = areas((60, 20), Pane::Notes).unwrap();
        assert_eq!(small.panes.iter().filter(|p| p.is_some()).count(), 1);
        assert!(small.pane(Pane::Notes).is_some());
        assert!(areas((20, 5), Pane::Queue).is_none());
        assert!(areas((10, 4), Pane::Queue).is_none());
        assert_eq!(queue_rows((20, 5), Pane::Queue), 1);
        for (w, h) in [(80, 24), (120, 40), (160, 48)] {
            let work = work_areas((w, h)).unwrap();
            assert!(work.pane(Pane::History).is_some() && work.pane(Pane::Plan).is_some());
            assert_eq!(work.pane(Pane::Notes).is_none(), w < 140, "{w}x{h}");
            assert!(work.pane(Pane::Queue).unwrap().height >= 13, "{w}x{h}");
        }
        assert!(work_areas((20, 5)).is_none());
        assert!(queue_rows((160, 48), Pane::Queue) > 30);
    }

    #[test]
    fn the_panes_tile_the_screen_at_every_size() {
        for width in MIN_SIZE.0..200 {
            for height in MIN_SIZE.1..70 {
                let a = areas((width, height), Pane::History).unwrap();
                let cells: u32 = [a.header, a.status]
                    .into_iter()
                    .chain(a.panes.into_iter().flatten())
                    .map(|r| u32::from(r.width) * u32::from(r.height))
                    .sum();
                assert_eq!(
                    cells,
                    u32::from(width) * u32::from(height),
                    "{width}x{height}"
                );
            }
        }
    }
}
