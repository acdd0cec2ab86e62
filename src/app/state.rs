//! Everything the screen shows and the keys act on. `ui` reads it; only `update` changes it.

use super::editor::Editor;
use super::form::Form;
use super::input::LineInput;
use super::keymap::ModeKeys;
use super::pick::Pick;
use super::picker::Picker;
use super::plan_editor::Planning;
use super::queue::{Queue, RankKey};
use crate::config::{Config, Plans};
use crate::domain::affordability::TriggerTable;
use crate::domain::calendar::Calendar;
use crate::domain::codes::CodeMaps;
use crate::domain::policy::Policy;
use crate::domain::promise::Judging;
use crate::store::{AccountDetail, Draft, DraftStatus, DraftTimings};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::PathBuf;

/// What the workstation was started with.
#[derive(Clone, Debug)]
pub struct Settings {
    pub today: NaiveDate,
    pub officer: String,
    pub db_path: PathBuf,
    pub config_path: PathBuf,
    /// History rows read when an account is opened; more are read on scrolling.
    pub history_window: usize,
    pub policy: Policy,
    pub codes: CodeMaps,
    pub rank_by: Vec<RankKey>,
    /// Standard phrases for notes.
    pub snippets: Vec<String>,
    /// Days after its date that a payment still keeps a promise.
    pub promise_tolerance: u32,
    /// Breach tolerance and Direct Debit settings.
    pub plans: Plans,
    /// Working days: Direct Debit dates that are not are marked.
    pub calendar: Calendar,
    /// The landlord's SFS trigger figures, if the config names a file (read before start).
    pub triggers: Option<TriggerTable>,
    /// Where a draft goes when the database cannot take it (see `paths::state_dir`).
    pub state_dir: PathBuf,
    pub draft_timings: DraftTimings,
}

impl Settings {
    /// How promises are judged today.
    pub fn judging(&self) -> Judging {
        Judging {
            tolerance_days: self.promise_tolerance,
            today: self.today,
        }
    }

    pub fn new(
        config: &Config,
        today: NaiveDate,
        officer: &str,
        db_path: PathBuf,
        config_path: PathBuf,
    ) -> Settings {
        Settings {
            today,
            officer: officer.to_string(),
            db_path,
            config_path,
            history_window: config.display.history_window.0,
            policy: config.policy.clone(),
            codes: config.codes.clone(),
            rank_by: config.queue.rank_by.clone(),
            snippets: config.notes.snippets.clone(),
            promise_tolerance: config.promises.tolerance_days.0,
            plans: config.plans.clone(),
            calendar: config.plans.calendar(),
            triggers: None,
            state_dir: crate::paths::state_dir(),
            draft_timings: DraftTimings::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Filter,
    Command,
    /// The help overlay over another mode, whose keys it lists.
    Help(ModeKeys),
    /// The `:info` overlay.
    Info,
    /// The record menu: which thing to record.
    Record,
    /// Filling in a form (`State::form`).
    Form,
    /// Typing into the open note (`State::editor`).
    Editor,
    /// Choosing from a list (`State::picker`).
    Pick,
    /// Agreeing or adjusting a payment plan (`State::planning`).
    Plan,
    /// Taking income and expenditure (`State::planning`).
    Assessment,
}

impl Mode {
    pub fn keys(self) -> ModeKeys {
        match self {
            Mode::Normal | Mode::Info => ModeKeys::Normal,
            Mode::Filter => ModeKeys::Filter,
            Mode::Command => ModeKeys::Command,
            Mode::Help(_) => ModeKeys::Help,
            Mode::Record => ModeKeys::Record,
            Mode::Form => ModeKeys::Form,
            Mode::Editor => ModeKeys::Editor,
            Mode::Pick => ModeKeys::Pick,
            Mode::Plan => ModeKeys::Plan,
            Mode::Assessment => ModeKeys::Assessment,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Queue,
    History,
    Plan,
    Notes,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Queue, Pane::History, Pane::Plan, Pane::Notes];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Queue => "Queue",
            Pane::History => "Case history",
            Pane::Plan => "Plan & legal",
            Pane::Notes => "Notes",
        }
    }

    pub fn number(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0) + 1
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Info(String),
    Error(String),
}

/// First visible row of each scrollable pane other than the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    pub history: usize,
    pub plan: usize,
    pub notes: usize,
    pub help: usize,
}

#[derive(Debug)]
pub struct State {
    pub settings: Settings,
    pub mode: Mode,
    pub focus: Pane,
    pub queue: Queue,
    pub filter: LineInput,
    pub command: LineInput,
    /// The selected account, once the store has read it.
    pub account: Option<Box<AccountDetail>>,
    /// The form being filled in.
    pub form: Option<Form>,
    /// A form closed unsaved with Esc: opening the same one again brings back what was typed.
    pub parked: Option<Form>,
    /// The open note: it stays open, text and cursor, until it is saved or discarded.
    pub editor: Option<Editor>,
    pub picker: Option<Picker<Pick>>,
    /// Notes saved as drafts but not open: left from last time, offered again on their account.
    pub drafts: Vec<Draft>,
    /// Where the saver has put the drafts handed to it.
    pub draft_status: DraftStatus,
    /// The officer chose to quit though the note's text can be kept nowhere.
    pub lose_unkept: bool,
    /// Today at the time on the clock: a call's start and its timer.
    pub now: NaiveDateTime,
    /// The plan editor and the I&E form, open or parked.
    pub planning: Planning,
    pub scroll: Scroll,
    pub message: Option<Message>,
    /// Terminal size in cells.
    pub size: (u16, u16),
    pub quit: bool,
}

impl State {
    pub fn new(settings: Settings, queue: Queue) -> State {
        let now = settings.today.and_time(chrono::NaiveTime::MIN);
        State {
            settings,
            mode: Mode::Normal,
            focus: Pane::Queue,
            queue,
            filter: LineInput::default(),
            command: LineInput::default(),
            account: None,
            form: None,
            parked: None,
            editor: None,
            picker: None,
            drafts: Vec::new(),
            draft_status: DraftStatus::Saved,
            lose_unkept: false,
            now,
            planning: Planning::default(),
            scroll: Scroll::default(),
            message: None,
            size: (80, 24),
            quit: false,
        }
    }

    /// The account detail if it belongs to the selected queue row.
    pub fn current_account(&self) -> Option<&AccountDetail> {
        let id = self.queue.selected_id()?;
        self.account
            .as_deref()
            .filter(|a| a.record.tenancy_id == id)
    }
}
