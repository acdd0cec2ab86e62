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
/// The queue's least height when it is on top: its frame, tabs and column titles, eight accounts
/// and the selected one's reason on two lines.
const QUEUE_ROWS: u16 = 14;
/// The least height of the account's panes beneath the queue before they fold.
const ACCOUNT_ROWS: u16 = 10;
/// A folded pane: its frame, with its title and a line that says what it holds.
pub const FOLDED_ROWS: u16 = 3;

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
    /// Panes folded to one line (on a short screen, to give the focused one the room).
    pub folded: [bool; 4],
}

impl Areas {
    pub fn pane(&self, pane: Pane) -> Option<Area> {
        self.panes[pane.number() - 1]
    }

    pub fn folded(&self, pane: Pane) -> bool {
        self.folded[pane.number() - 1]
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
    let mut folded = [false; 4];
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
    } else if work {
        let (queue, account) = body.rows_percent(68);
        let (history, side) = account.columns_percent(60);
        panes = [Some(queue), Some(history), Some(side), None];
    } else if body.height < QUEUE_ROWS + ACCOUNT_ROWS {
        // Too short for both to be useful: the focused side takes the room, the other folds.
        if focus == Pane::Queue {
            let (queue, strip) = body.take_rows(body.height - FOLDED_ROWS);
            let (history, side) = strip.columns_percent(40);
            let (plan, notes) = side.columns_percent(50);
            panes = [Some(queue), Some(history), Some(plan), Some(notes)];
            folded = [false, true, true, true];
        } else {
            // Of the plan and the notes, the focused one has the larger share.
            let plan_share = match focus {
                Pane::Plan => 65,
                Pane::Notes => 35,
                _ => 45,
            };
            let (queue, account) = body.take_rows(FOLDED_ROWS);
            let [history, plan, notes] = account_panes(account, plan_share);
            panes = [Some(queue), Some(history), Some(plan), Some(notes)];
            folded = [true, false, false, false];
        }
    } else {
        let rows = percent_of(body.height, 40).max(QUEUE_ROWS);
        let (queue, account) = body.take_rows(rows);
        let [history, plan, notes] = account_panes(account, 45);
        panes = [Some(queue), Some(history), Some(plan), Some(notes)];
    }
    Some(Areas {
        header,
        status,
        panes,
        folded,
    })
}

/// The account beneath the queue: the case history on the left, the plan above the notes beside
/// it, `plan_share` percent of the rows for the plan.
fn account_panes(account: Area, plan_share: u16) -> [Area; 3] {
    let (history, side) = account.columns_percent(60);
    let (plan, notes) = side.rows_percent(plan_share);
    [history, plan, notes]
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

/// The queue's columns at a width (inside the pane's border): how wide each is, 0 for one left
/// out. A column is left out whole rather than cut, so a figure is never shown with its first
/// digits missing; who and how much always stay. Names and reasons are cut with an ellipsis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueColumns {
    pub reference: u16,
    pub name: u16,
    pub balance: u16,
    pub weeks: u16,
    pub flags: u16,
    pub stage: u16,
    pub next: u16,
    pub why: u16,
}

/// Where the selected row's whole reason goes when its column cannot hold it: the lines under the
/// row, indented to the name.
pub const DETAIL_INDENT: u16 = 9;
/// At most this many lines of it.
pub const DETAIL_ROWS: usize = 3;

impl QueueColumns {
    pub fn for_width(width: u16) -> QueueColumns {
        let (reference, balance) = (8, 11);
        // Ref, a name of 12 and the balance, with the spaces between.
        let base: u16 = reference + 12 + balance + 2;
        let weeks = if width >= base + 6 { 5 } else { 0 };
        let next = if width >= base + 6 + 21 { 20 } else { 0 };
        let flags = if width >= base + 6 + 21 + 6 { 5 } else { 0 };
        let stage = if width >= 118 { 8 } else { 0 };
        let shown = [weeks, flags, stage, next];
        let fixed: u16 = reference
            + balance
            + shown.iter().sum::<u16>()
            + 2
            + shown.iter().filter(|w| **w > 0).count() as u16;
        let left = width.saturating_sub(fixed);
        // The reason matters most after who and how much: it comes when there is room for it
        // beside a name of 12 (the selected row's shows in full beneath it).
        let (name, why) = if flags > 0 && left >= 12 + 1 + 16 {
            let name = (left / 2).clamp(12, 24);
            (name, left - name - 1)
        } else {
            (left, 0)
        };
        QueueColumns {
            reference,
            name,
            balance,
            weeks,
            flags,
            stage,
            next,
            why,
        }
    }

    /// Every column's width from left to right (0 for a column left out).
    pub fn widths(self) -> [u16; 8] {
        [
            self.reference,
            self.name,
            self.balance,
            self.weeks,
            self.flags,
            self.stage,
            self.next,
            self.why,
        ]
    }
}

/// `text` in lines of at most `width` characters, broken between words (a word longer than a
/// line is broken where it must); at most `max` lines, the last ending in `…` if it was cut.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    if width == 0 || max == 0 {
        return lines;
    }
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let gap = usize::from(len > 0);
            if len + gap + word.len() <= width {
                if gap == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                len += gap + word.len();
                break;
            }
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
                continue;
            }
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if len > 0 {
        lines.push(line);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = &mut lines[max - 1];
        let kept: String = last.chars().take(width.saturating_sub(1)).collect();
        *last = format!("{kept}…");
    }
    lines
}

/// `text` cut to `width` characters, ending in `…` when it was cut.
pub fn cut(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= width {
        return text.into();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        cut.push('…');
    }
    cut.into()
}

/// The queue pane's width inside its border at this size.
pub fn queue_width(size: (u16, u16), focus: Pane) -> u16 {
    areas(size, focus)
        .and_then(|a| a.pane(Pane::Queue))
        .map_or(0, |r| r.width.saturating_sub(2))
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
    fn on_a_short_screen_the_focused_side_takes_the_room_and_the_other_folds() {
        let queue = areas((80, 24), Pane::Queue).unwrap();
        assert!(inner_rows(queue.pane(Pane::Queue).unwrap(), true) >= 12);
        for pane in [Pane::History, Pane::Plan, Pane::Notes] {
            assert!(queue.folded(pane), "{pane:?}");
            assert_eq!(queue.pane(pane).unwrap().height, FOLDED_ROWS);
        }
        let history = areas((80, 24), Pane::History).unwrap();
        assert_eq!(history.folded, [true, false, false, false]);
        assert_eq!(history.pane(Pane::Queue).unwrap().height, FOLDED_ROWS);
        assert!(history.pane(Pane::History).unwrap().height >= 16);
        // Of the plan and the notes, the focused one has the larger share.
        let plan = areas((80, 24), Pane::Plan).unwrap();
        let notes = areas((80, 24), Pane::Notes).unwrap();
        let height = |a: Areas, p: Pane| a.pane(p).unwrap().height;
        assert!(height(plan, Pane::Plan) > height(plan, Pane::Notes));
        assert!(height(notes, Pane::Notes) > height(notes, Pane::Plan));
        // Tall enough for both: nothing folds and the queue keeps room for eight accounts; from
        // 40 rows up it has its 40% as before.
        for height in 29..70 {
            for focus in Pane::ALL {
                let a = areas((100, height), focus).unwrap();
                assert_eq!(a.folded, [false; 4], "{height}");
                assert!(
                    a.pane(Pane::Queue).unwrap().height >= QUEUE_ROWS,
                    "{height}"
                );
            }
        }
        assert_eq!(
            areas((120, 40), Pane::Queue)
                .unwrap()
                .pane(Pane::Queue)
                .unwrap()
                .height,
            14
        );
        // The plan editor's place is never folded.
        assert_eq!(work_areas((80, 24)).unwrap().folded, [false; 4]);
    }

    #[test]
    fn queue_columns_fit_their_width_and_give_the_rest_to_name_and_reason() {
        for width in 20..300 {
            let c = QueueColumns::for_width(width);
            let widths = c.widths();
            let shown = widths.iter().filter(|w| **w > 0).count() as u16;
            let total = widths.iter().sum::<u16>() + shown - 1;
            assert!(total <= width.max(33), "{width}: {c:?}");
            assert!(c.why == 0 || total == width, "{width}: {c:?}");
        }
        let wide = QueueColumns::for_width(94);
        assert!(wide.why >= 19 && wide.name >= 20, "{wide:?}");
        assert_eq!(QueueColumns::for_width(76).why, 0);
    }

    #[test]
    fn reasons_wrap_between_words_and_are_cut_with_an_ellipsis() {
        assert_eq!(
            wrap("Letter 1 sent 16 days ago and still £212.40 owed.", 20, 3),
            ["Letter 1 sent 16", "days ago and still", "£212.40 owed."]
        );
        assert_eq!(wrap("one two three four", 9, 1), ["one two…"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert!(wrap("", 10, 3).is_empty());
        assert_eq!(cut("Maximilian Featherstonehaugh", 12), "Maximilian …");
        assert_eq!(cut("Ada Smith", 12), "Ada Smith");
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
