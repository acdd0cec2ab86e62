//! Everything the screen shows and the keys act on. `ui` reads it; only `update` changes it.

use super::action::Written;
use super::confirm::Confirmation;
use super::editor::Editor;
use super::effects::Effect;
use super::form::{Context as FormContext, Form, Purpose};
use super::input::LineInput;
use super::keymap::ModeKeys;
use super::layout;
use super::letters::{BatchView, LetterView};
use super::pick::Pick;
use super::picker::Picker;
use super::plan_editor::Planning;
use super::queue::diary::WorkingDays;
use super::queue::{Queue, RankKey};
use crate::config::{Config, Plans};
use crate::domain::Money;
use crate::domain::affordability::TriggerTable;
use crate::domain::calendar::Calendar;
use crate::domain::codes::CodeMaps;
use crate::domain::policy::Policy;
use crate::domain::promise::Judging;
use crate::domain::recovery::CourtEventKind;
use crate::letters::Letters;
use crate::store::{AccountDetail, Draft, DraftStatus, DraftTimings};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

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
    /// The longest a save waits for a busy database at a time (it is tried again on each tick).
    pub write_wait: Duration,
    /// The templates and settings letters are made with.
    pub letters: Arc<Letters>,
    /// Keep the queue's order in the state folder, and open on the accounts that headed it
    /// (their figures read afresh) while every account is ranked (the workstation does).
    pub keep_ranking: bool,
    /// Draw the queue first and read the account it opens on just after (the workstation does):
    /// on a team's database that account's reads are a dozen round trips to the server.
    pub open_after_first_frame: bool,
}

impl Settings {
    /// How promises are judged today.
    pub fn judging(&self) -> Judging {
        Judging {
            tolerance_days: self.promise_tolerance,
            today: self.today,
        }
    }

    /// The officer's working days either side of today (the Today tab's reach).
    pub fn working_days(&self) -> WorkingDays {
        WorkingDays::around(self.today, &self.calendar)
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
            write_wait: Duration::from_millis(250),
            letters: Arc::new(Letters::new(config, &config_path)),
            config_path,
            keep_ranking: false,
            open_after_first_frame: false,
        }
    }
}

/// What the officer is doing, beneath any pop-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Working the queue and reading an account.
    Normal,
    /// Typing a filter after `/`.
    Filter,
    /// Typing a command after `:`.
    Command,
    /// Typing into the open note (`State::editor`).
    Editor,
    /// Agreeing or adjusting a payment plan (`State::planning`).
    Plan,
    /// Taking income and expenditure (`State::planning`).
    Assessment,
}

impl Mode {
    pub fn keys(self) -> ModeKeys {
        match self {
            Mode::Normal => ModeKeys::Normal,
            Mode::Filter => ModeKeys::Filter,
            Mode::Command => ModeKeys::Command,
            Mode::Editor => ModeKeys::Editor,
            Mode::Plan => ModeKeys::Plan,
            Mode::Assessment => ModeKeys::Assessment,
        }
    }
}

/// A pop-up over the mode. They stack: the top one takes the keys, and Esc closes it alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of whatever is beneath it.
    Help,
    /// `:info`.
    Info,
    /// The messages of the status line in full, newest first (`M`, `:messages`).
    Messages,
    /// The team's numbers (`K`, `:kpi`).
    Kpi(Box<crate::domain::kpi::Summary>),
    /// The team's numbers being worked out: what, in words.
    KpiWorking(String),
    /// Which thing to record.
    RecordMenu,
    Form(Form),
    /// A list to choose from.
    Pick(Picker<Pick>),
    /// A record as it will be saved, saved on a second key.
    Confirm(Box<Confirmation>),
    /// A letter as it will be sent, produced on a second key.
    Letter(Box<LetterView>),
    /// `:letters`: the day's batch, produced on a second key.
    Batch(Box<BatchView>),
}

impl Overlay {
    pub fn keys(&self) -> ModeKeys {
        match self {
            Overlay::Help
            | Overlay::Info
            | Overlay::Messages
            | Overlay::Kpi(_)
            | Overlay::KpiWorking(_) => ModeKeys::Help,
            Overlay::RecordMenu => ModeKeys::Record,
            Overlay::Form(_) => ModeKeys::Form,
            Overlay::Pick(_) => ModeKeys::Pick,
            Overlay::Confirm(_) => ModeKeys::Confirm,
            Overlay::Letter(_) | Overlay::Batch(_) => ModeKeys::Letter,
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

impl Message {
    pub fn text(&self) -> &str {
        match self {
            Message::Info(text) | Message::Error(text) => text,
        }
    }
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
    /// Pop-ups over the mode, the top one last.
    pub overlays: Vec<Overlay>,
    /// A form closed unsaved with Esc: opening the same one again brings back what was typed.
    pub parked: Option<Form>,
    /// The open note: it stays open, text and cursor, until it is saved or discarded.
    pub editor: Option<Editor>,
    /// What the officer typed on the list of who is on a call, before the note opened: the note
    /// starts with it.
    pub typed_ahead: String,
    /// Notes saved as drafts but not open: left from last time, offered again on their account.
    pub drafts: Vec<Draft>,
    /// Where the saver has put the drafts handed to it.
    pub draft_status: DraftStatus,
    /// Records saved since the workstation was opened, the latest last: what `u` takes back.
    pub written: Vec<Written>,
    /// The officer chose to quit though the note's text can be kept nowhere.
    pub lose_unkept: bool,
    /// Other officers with a note in progress on the selected account, and when that was read.
    pub writing: Option<(i64, Vec<(String, crate::store::pg::Doing)>)>,
    /// What this officer is doing, as the others were last told (a team's database).
    pub presence: Option<(i64, crate::store::pg::Doing)>,
    /// The queue ranked again on its own thread, and the live connection's state (see `live`).
    pub live: super::live::Liveness,
    pub writing_read: Option<NaiveDateTime>,
    /// A write waiting for a busy database (see `waiting`).
    pub waiting: Option<super::waiting::Waiting>,
    /// Today at the time on the clock: a call's start and its timer.
    pub now: NaiveDateTime,
    /// The call back whose time came last, said in the status bar (see `reminder`).
    pub reminder: Option<super::reminder::Reminder>,
    /// The time of the last call back announced.
    pub reminded_to: Option<NaiveDateTime>,
    /// The plan editor and the I&E form, open or parked.
    pub planning: Planning,
    pub scroll: Scroll,
    pub message: Option<Message>,
    /// Every message shown since the workstation was opened (the latest ones), in full.
    pub messages: super::messages::Messages,
    /// What the check at start found changed outside caseload, shown until the program ends.
    pub tampered: Option<String>,
    /// The database cannot be written: nothing can be recorded, and notes are kept in the drafts
    /// file at this path. Said from the first frame, and for as long as the workstation is open.
    pub read_only: Option<std::path::PathBuf>,
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
            overlays: Vec::new(),
            written: Vec::new(),
            parked: None,
            editor: None,
            typed_ahead: String::new(),
            drafts: Vec::new(),
            draft_status: DraftStatus::Saved,
            lose_unkept: false,
            writing: None,
            writing_read: None,
            presence: None,
            live: Default::default(),
            waiting: None,
            now,
            reminder: None,
            reminded_to: None,
            planning: Planning::default(),
            scroll: Scroll::default(),
            message: None,
            messages: Default::default(),
            tampered: None,
            read_only: None,
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

    /// The keys in force: the top pop-up's, else the mode's.
    pub fn keys(&self) -> ModeKeys {
        self.keys_beneath(self.overlays.len())
    }

    /// The keys of what lies beneath the `depth`th pop-up (what a help overlay there lists).
    pub fn keys_beneath(&self, depth: usize) -> ModeKeys {
        match depth.checked_sub(1).and_then(|i| self.overlays.get(i)) {
            Some(overlay) => overlay.keys(),
            None => self.mode.keys(),
        }
    }

    /// Opens a pop-up over whatever is showing.
    pub fn open(&mut self, overlay: Overlay) {
        if matches!(
            overlay,
            Overlay::Help | Overlay::Messages | Overlay::Kpi(_) | Overlay::KpiWorking(_)
        ) {
            self.scroll.help = 0;
        }
        self.overlays.push(overlay);
    }

    /// Closes the top pop-up.
    pub fn close(&mut self) -> Option<Overlay> {
        self.overlays.pop()
    }

    pub fn top(&self) -> Option<&Overlay> {
        self.overlays.last()
    }

    /// The form on top, if the top pop-up is a form.
    pub fn form(&self) -> Option<&Form> {
        match self.top() {
            Some(Overlay::Form(form)) => Some(form),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut Form> {
        match self.overlays.last_mut() {
            Some(Overlay::Form(form)) => Some(form),
            _ => None,
        }
    }

    /// The list on top, if the top pop-up is a list.
    pub fn picker(&self) -> Option<&Picker<Pick>> {
        match self.top() {
            Some(Overlay::Pick(picker)) => Some(picker),
            _ => None,
        }
    }

    pub fn picker_mut(&mut self) -> Option<&mut Picker<Pick>> {
        match self.overlays.last_mut() {
            Some(Overlay::Pick(picker)) => Some(picker),
            _ => None,
        }
    }

    /// How many queue rows are on screen (what PgDn moves by), besides the selected row's reason.
    pub fn queue_rows(&self) -> usize {
        layout::queue_rows(self.size, self.focus)
            .saturating_sub(self.reason_lines().len())
            .max(1)
    }

    /// The selected row's whole reason in lines to go beneath it, when its column cannot hold it.
    pub fn reason_lines(&self) -> Vec<String> {
        let Some(item) = self.queue.selected() else {
            return vec![];
        };
        self.reason_lines_of(&item.reason_in(self.queue.tab(), self.settings.today))
    }

    /// `reason`, the selected row's, in lines to go beneath it when its column cannot hold it.
    pub fn reason_lines_of(&self, reason: &str) -> Vec<String> {
        let width = layout::queue_width(self.size, self.focus);
        let why = layout::QueueColumns::for_width(width).why;
        if reason.chars().count() <= usize::from(why) {
            return vec![];
        }
        let room = width.saturating_sub(layout::DETAIL_INDENT + 2);
        layout::wrap(reason, usize::from(room), layout::DETAIL_ROWS)
    }

    /// Rows a page of the focused pane moves by.
    pub fn page(&self) -> usize {
        layout::pane_rows(self.size, self.focus)
            .saturating_sub(1)
            .max(1)
    }

    /// Loads the selected account unless it is already on screen.
    pub fn load_selected(&self) -> Vec<Effect> {
        match self.queue.selected_id() {
            Some(id) if self.current_account().is_none() => vec![Effect::LoadAccount {
                tenancy_id: id,
                window: self.settings.history_window,
            }],
            _ => vec![],
        }
    }

    /// Whether the selected account is still being read (the workstation reads it after the key
    /// that selected it is drawn): what would be saved against it waits for its flags, notices
    /// and plan, and the officer is told so.
    pub fn still_opening(&mut self) -> bool {
        let Some(item) = self.queue.selected() else {
            return false;
        };
        if self.current_account().is_some() {
            return false;
        }
        let opening = format!(
            "Opening {} {}: a moment, the account is still being read.",
            item.reference(),
            item.name()
        );
        self.message = Some(Message::Info(opening));
        true
    }

    /// The tenancy id of the selected account once it is open. While it is still being read, or
    /// when no account is selected, `None`, and the officer is told which (the latter as `say`
    /// words it: information or an error).
    pub fn opened_account(&mut self, say: fn(String) -> Message) -> Option<i64> {
        if self.still_opening() {
            return None;
        }
        let id = self.current_account().map(|a| a.record.tenancy_id);
        if id.is_none() {
            self.message = Some(say("Select an account first.".into()));
        }
        id
    }

    /// Opens a form for the selected account, bringing back one closed unsaved for the same thing.
    pub fn open_form(&mut self, purpose: Purpose) -> Vec<Effect> {
        if self.still_opening() {
            return vec![];
        }
        let Some(item) = self.queue.selected() else {
            self.message = Some(Message::Info("Select an account first.".into()));
            return vec![];
        };
        let tenancy_id = item.tenancy_id;
        let account = self.current_account();
        let ctx = FormContext {
            owed: item.arrears.balance.max(Money::ZERO),
            hearing: item.hearing,
            vulnerability: account.and_then(|a| a.record.details.flags.vulnerability.clone()),
            // The latest notice in force: the law's earliest date for proceedings on it.
            proceedings_from: account
                .and_then(|a| a.notices.first())
                .map(|n| n.notice.kind.dates(n.notice.served_on).proceedings_from),
            order: account
                .and_then(|a| a.latest_court(CourtEventKind::Outcome))
                .cloned(),
            warrant_applied: account
                .and_then(|a| a.latest_court(CourtEventKind::WarrantApplied))
                .and_then(|e| e.on_date),
        };
        let parked = self
            .parked
            .take()
            .filter(|f| f.tenancy_id == tenancy_id && f.purpose == purpose);
        let form = parked.unwrap_or_else(|| Form::new(tenancy_id, purpose, &ctx));
        self.open(Overlay::Form(form));
        vec![]
    }

    /// Opens a list to choose from; a list with nothing in it says so instead.
    pub fn open_picker(&mut self, picker: Picker<Pick>) -> Vec<Effect> {
        if picker.choices.is_empty() {
            self.message = Some(Message::Info(format!(
                "{}: nothing to choose from.",
                picker.title
            )));
            return vec![];
        }
        self.open(Overlay::Pick(picker));
        vec![]
    }
}
