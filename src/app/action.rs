//! Everything the workstation can be asked to do. Keys map to commands, named in the config file
//! (`move_down`, `open`...); the other actions carry typed text and results back from the store
//! and cannot be bound.

use super::keymap::KeyCombo;
use super::queue::RowTexts;
use crate::domain::record::Record;
use crate::store::pg::{Changed, Doing};
use crate::store::{AccountDetail, Draft, DraftStatus, NoteHit, QueueFacts, QueueText};
use chrono::NaiveTime;

/// Declares the bindable commands once: name in the config, words in the help overlay, a short
/// word for the hint bar. The help overlay lists them in this order.
macro_rules! commands {
    ($($variant:ident = $name:literal, $description:literal, $hint:literal;)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command { $($variant),+ }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),+];

            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name),+ }
            }

            /// What the help overlay says.
            pub fn description(self) -> &'static str {
                match self { $(Command::$variant => $description),+ }
            }

            /// A short word for the hint bar.
            pub fn hint(self) -> &'static str {
                match self { $(Command::$variant => $hint),+ }
            }

            pub fn parse(name: &str) -> Option<Command> {
                match name { $($name => Some(Command::$variant),)+ _ => None }
            }
        }
    };
}

commands! {
    MoveDown = "move_down", "move down", "move";
    MoveUp = "move_up", "move up", "move";
    Top = "top", "go to the top", "top";
    Bottom = "bottom", "go to the bottom", "bottom";
    PageDown = "page_down", "page down", "page";
    PageUp = "page_up", "page up", "page";
    Open = "open", "open the selected account", "open";
    Filter = "filter", "filter the queue as you type", "filter";
    AcceptRecommendation = "accept_recommendation", "do what is recommended, and record it", "do it";
    Override = "override", "do not follow the recommendation (give a reason)", "override";
    Snooze = "snooze", "snooze this account until a date", "snooze";
    RecordMenu = "record", "record a notice, hearing, outcome, warrant, pause...", "record";
    RecordNotice = "record_notice", "a notice served (NOSP or section 8) and how", "notice";
    RecordClaim = "record_claim", "a court date applied for (the claim: court, claim number)", "claim";
    RecordHearing = "record_hearing", "a hearing date (time, court)", "hearing";
    RecordOutcome = "record_outcome", "a court outcome", "outcome";
    RecordWarrant = "record_warrant", "a warrant applied for (its number)", "warrant";
    RecordEviction = "record_eviction", "an eviction date", "eviction";
    RecordEvicted = "record_evicted", "an eviction carried out: the tenancy ends, what is owed becomes former tenant arrears", "evicted";
    RecordBreathingSpace = "record_breathing_space", "a breathing space (debt respite)", "breathing space";
    RecordPause = "record_pause", "pause the case until a date, with a reason", "pause";
    LiftPause = "lift_pause", "lift a pause or snooze now", "lift";
    StartCall = "call", "start a call: who and which way, then type the note as you talk", "call";
    AddNote = "note", "add a note to this account", "note";
    AmendNote = "amend_note", "correct the note at the top of the notes pane (both are kept)", "correct";
    CorrectRecord = "correct_record", "correct the record at the top of the history (in error, or replaced)", "correct";
    Undo = "undo", "undo your last record since you opened the workstation (it is kept)", "undo";
    ResumeNote = "resume_note", "back into the open note", "note";
    RecordEmail = "record_email", "an email sent or received", "email";
    RecordSms = "record_sms", "an SMS sent or received", "SMS";
    RecordLetterReceived = "record_letter_received", "a letter received from the tenant", "letter in";
    RecordHomeVisit = "record_home_visit", "a home visit", "home visit";
    RecordOfficeVisit = "record_office_visit", "an office visit", "office visit";
    FlagVulnerable = "vulnerability", "flag the tenant vulnerable (or clear it), with the reason", "vulnerable";
    Referral = "referral", "refer for support: debt advice, tenancy sustainment...", "referral";
    SaveNote = "save_note", "end the call or contact and save it with the note (asks the outcome)", "save";
    Snippet = "snippet", "insert a standard phrase", "snippet";
    Checklist = "checklist", "tick the call checklist", "checklist";
    Accept = "accept", "accept (the field, the line)", "save";
    NextField = "next_field", "next field", "next";
    PrevField = "prev_field", "previous field", "previous";
    NextTab = "next_tab", "next queue tab", "tab";
    PrevTab = "prev_tab", "previous queue tab", "tab";
    NextPane = "next_pane", "next pane", "pane";
    PrevPane = "prev_pane", "previous pane", "pane";
    FocusQueue = "focus_queue", "queue pane", "queue";
    FocusHistory = "focus_history", "case history pane", "history";
    FocusPlan = "focus_plan", "plan pane", "plan";
    FocusNotes = "focus_notes", "notes pane", "notes";
    CommandLine = "command_line", "command line: :goto REF, :notes WORDS, :statement [court], :letters, :patch, :officer, :flag, :clear, :info, :messages, :q", "command";
    Reassign = "reassign", "move accounts to another officer: :reassign [all] OFFICER", "reassign";
    Kpi = "kpi", "the team's numbers (KPIs) with charts; also :kpi", "KPIs";
    Messages = "messages", "the latest messages in full, newest first, with their times; also :messages", "messages";
    Help = "help", "show the keys of this mode", "help";
    Back = "back", "back out one level", "back";
    Quit = "quit", "quit", "quit";
    PlanEditor = "plan_editor", "agree or adjust the payment plan", "plan";
    CancelPlan = "cancel_plan", "cancel the live plan (give a reason)", "cancel plan";
    IncomeExpenditure = "income_expenditure", "income and expenditure (I&E)", "I&E";
    DirectDebit = "direct_debit", "show or hide the Direct Debit calculator", "Direct Debit";
    Save = "save", "save (a plan shows what it will save; Enter confirms)", "save";
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A bindable command, usually from a key.
    Command(Command),
    /// Line editing in the filter and command lines.
    Edit(LineEdit),
    /// A key typed into the note.
    Type(KeyCombo),
    /// Text pasted from the terminal.
    Paste(String),
    /// The clock moved on (the call timer; a changed note's draft is saved).
    Tick(NaiveTime),
    /// The terminal changed size.
    Resize(u16, u16),
    /// The team's numbers were worked out (for the KPI screen).
    KpiLoaded(Box<crate::domain::kpi::Summary>),
    /// The team's numbers could not be worked out, and why.
    KpiFailed(String),
    /// A key with no meaning in this mode.
    Unbound(String),
    /// The store finished loading an account, and who else is writing on it (as [`Action::Writing`]
    /// says), read with it.
    AccountLoaded(Box<AccountDetail>, Vec<(String, Doing)>),
    /// Every row's display and search text has been read (and built, by the queue's rows).
    TextLoaded(Box<RowTexts>),
    /// Some rows' text was read again (another officer's write may have moved them).
    TextRead(Vec<QueueText>),
    /// An account's facts were read again after a write.
    FactsLoaded(Box<QueueFacts>),
    /// A write was saved (durable); the message says what. `ended_draft`: it saved the open note.
    Saved {
        tenancy_id: i64,
        message: String,
        ended_draft: bool,
        /// What `u` would take back, if it can be.
        undoable: Option<Written>,
    },
    /// Notes left unsaved last time (a crash, a closed window).
    DraftsFound(Vec<Draft>),
    /// Where the drafts handed to the saver are now (the database, the fallback file, nowhere).
    DraftStatus(DraftStatus),
    /// Other officers with a note in progress (or, on a team's database, on a call) on this
    /// account.
    Writing {
        tenancy_id: i64,
        officers: Vec<(String, Doing)>,
    },
    /// Another workstation (or this one) committed a write, or began or ended a call or a note,
    /// on a team's database.
    Changed(Changed),
    /// A live connection to a team's database was lost (why): it is being connected again.
    LiveLost(super::live::Line, String),
    /// A live connection is back.
    LiveBack(super::live::Line),
    /// This login may move accounts: ask the officer to confirm the move.
    MayReassign(Box<super::confirm::Confirmation>),
    /// Accounts were moved to another officer: what to say, and which moved.
    Reassigned { message: String, moved: Vec<i64> },
    /// The whole queue was ranked again on its own thread (see `live::rerank`).
    Reranked(super::live::Reranked),
    /// The database was busy: this write waits and is tried again.
    WriteWaiting(Box<Record>),
    /// Notes matching a search.
    NotesFound { words: String, hits: Vec<NoteHit> },
    /// A letter was made to be shown (or could not be).
    LetterPrepared(Box<super::letters::LetterView>),
    /// The day's batch was produced: what it did, and the accounts it wrote to.
    BatchProduced { message: String, written: Vec<i64> },
    /// Something was done that changes nothing on screen (a statement written); says what.
    Done(String),
    /// The store could not do what was asked.
    Failed(String),
    /// The check at start found the file changed outside caseload: says where, first.
    Tampered(String),
}

/// A record saved since the workstation was opened, as `u` can take it back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub tenancy_id: i64,
    /// Its line in the action log (a note on its own has none: it is corrected by a note).
    pub action: Option<i64>,
    /// That line as the history shows it.
    pub line: String,
}

impl From<Command> for Action {
    fn from(command: Command) -> Action {
        Action::Command(command)
    }
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
