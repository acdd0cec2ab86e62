//! Everything the workstation can be asked to do. Keys map to the public actions by name in the
//! config file (`move_down`, `open`...); internal actions carry results back from the store and
//! cannot be bound.

use crate::store::{AccountDetail, QueueText};
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    MoveDown,
    MoveUp,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    FocusQueue,
    FocusHistory,
    FocusPlan,
    FocusNotes,
    Open,
    Filter,
    Accept,
    Back,
    Help,
    CommandLine,
    Quit,

    /// Line editing in the filter and command lines.
    #[serde(skip)]
    Edit(LineEdit),
    /// The terminal changed size.
    #[serde(skip)]
    Resize(u16, u16),
    /// A key with no meaning in this mode.
    #[serde(skip)]
    Unbound(String),
    /// The store finished loading an account.
    #[serde(skip)]
    AccountLoaded(Box<AccountDetail>),
    /// Every row's display and search text has been read.
    #[serde(skip)]
    TextLoaded(Vec<QueueText>),
    /// The store could not do what was asked.
    #[serde(skip)]
    Failed(String),
}

/// Edits to a one-line text field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEdit {
    Insert(char),
    DeleteBack,
    DeleteForward,
    Left,
    Right,
    Home,
    End,
    DeleteWord,
    Clear,
}

impl Action {
    /// What the help overlay says about a bindable action.
    pub fn description(&self) -> &'static str {
        match self {
            Action::MoveDown => "move down",
            Action::MoveUp => "move up",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::FocusQueue => "queue pane",
            Action::FocusHistory => "case history pane",
            Action::FocusPlan => "plan pane",
            Action::FocusNotes => "notes pane",
            Action::Open => "open the selected account",
            Action::Filter => "filter the queue as you type",
            Action::Accept => "accept",
            Action::Back => "back out one level",
            Action::Help => "show the keys of this mode",
            Action::CommandLine => "command line (:q, :goto REF, :info)",
            Action::Quit => "quit",
            Action::Edit(_)
            | Action::Resize(..)
            | Action::Unbound(_)
            | Action::AccountLoaded(_)
            | Action::TextLoaded(_)
            | Action::Failed(_) => "",
        }
    }

    /// Where the help overlay lists it: movement first, leaving last.
    pub fn help_rank(&self) -> u8 {
        match self {
            Action::MoveDown => 0,
            Action::MoveUp => 1,
            Action::Top => 2,
            Action::Bottom => 3,
            Action::PageDown => 4,
            Action::PageUp => 5,
            Action::Open => 6,
            Action::Filter => 7,
            Action::Accept => 8,
            Action::NextPane => 9,
            Action::PrevPane => 10,
            Action::FocusQueue => 11,
            Action::FocusHistory => 12,
            Action::FocusPlan => 13,
            Action::FocusNotes => 14,
            Action::CommandLine => 15,
            Action::Help => 16,
            Action::Back => 17,
            Action::Quit => 18,
            Action::Edit(_)
            | Action::Resize(..)
            | Action::Unbound(_)
            | Action::AccountLoaded(_)
            | Action::TextLoaded(_)
            | Action::Failed(_) => u8::MAX,
        }
    }

    /// A short word for the hint bar.
    pub fn hint(&self) -> &'static str {
        match self {
            Action::MoveDown | Action::MoveUp => "move",
            Action::Open => "open",
            Action::Filter => "filter",
            Action::NextPane => "pane",
            Action::CommandLine => "command",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Back => "back",
            Action::Accept => "done",
            _ => "",
        }
    }
}
