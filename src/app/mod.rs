//! The keyboard state machine: key → action (through the keymap of the current mode) → `update`
//! → effects run against the store → results back as actions.

pub mod action;
pub mod assessment;
pub mod background;
pub mod call;
pub mod confirm;
pub mod correct;
pub mod drafts;
pub mod editor;
pub mod effects;
pub mod form;
pub mod input;
pub mod keymap;
pub mod kpi;
pub mod layout;
pub mod letters;
pub mod live;
pub mod messages;
pub mod note_threads;
pub mod pick;
pub mod picker;
pub mod plan_editor;
pub mod queue;
pub mod reader;
mod reassign;
pub mod reminder;
pub mod session;
pub mod state;
pub mod update;
pub mod waiting;

pub use action::Action;
pub use session::Session;
pub use state::State;
