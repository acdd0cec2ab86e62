//! Styles from the config's colours. With `NO_COLOR` set only bold, dim and reverse are used, and
//! meaning is always carried by words or symbols as well.

use crate::config::Colours;
use ratatui::style::{Modifier, Style};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub accent: Style,
    pub arrears: Style,
    pub credit: Style,
    pub warning: Style,
    pub muted: Style,
    pub selected: Style,
    pub title: Style,
}

impl Theme {
    pub fn new(colours: &Colours, no_color: bool) -> Theme {
        if no_color {
            return Theme::plain();
        }
        Theme {
            accent: Style::new().fg(colours.accent.0),
            arrears: Style::new().fg(colours.arrears.0),
            credit: Style::new().fg(colours.credit.0),
            warning: Style::new()
                .fg(colours.warning.0)
                .add_modifier(Modifier::BOLD),
            muted: Style::new().fg(colours.muted.0),
            selected: Style::new()
                .bg(colours.selection.0)
                .fg(colours.selection_text.0)
                .add_modifier(Modifier::BOLD),
            title: Style::new()
                .fg(colours.accent.0)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn plain() -> Theme {
        Theme {
            accent: Style::new().add_modifier(Modifier::BOLD),
            arrears: Style::new(),
            credit: Style::new(),
            warning: Style::new().add_modifier(Modifier::BOLD),
            muted: Style::new().add_modifier(Modifier::DIM),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
        }
    }

    /// Money styled by sign: owed or in credit.
    pub fn money(&self, amount: crate::domain::Money) -> Style {
        if amount.is_positive() {
            self.arrears
        } else if amount.is_negative() {
            self.credit
        } else {
            Style::new()
        }
    }
}
