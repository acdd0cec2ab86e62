//! caseload: a keyboard-first terminal workstation for social-housing income officers.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod extract;
pub mod paths;
pub mod statement;
pub mod store;
pub mod tui;
pub mod ui;
