//! caseload: a keyboard-first terminal workstation for social-housing income officers.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod paths;
pub mod store;
