//! caseload: a keyboard-first terminal workstation for social-housing income officers.

// Nothing prints except through `cli::output`, which makes data safe for a terminal.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod chain;
pub mod cli;
pub mod config;
pub mod cores;
pub mod demo;
pub mod domain;
pub mod extract;
pub mod letters;
pub mod parallel;
pub mod paths;
pub mod printable;
pub mod private_file;
pub mod report;
pub mod statement;
pub mod store;
pub mod tui;
pub mod ui;
