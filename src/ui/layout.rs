//! The state's arithmetic of where each pane goes (`app::layout`), as ratatui's rectangles.

use crate::app::layout::Area;
use ratatui::layout::Rect;

pub fn rect(area: Area) -> Rect {
    Rect::new(area.x, area.y, area.width, area.height)
}
