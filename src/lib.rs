//! caseload: a keyboard-first terminal workstation for social-housing income officers.

pub mod domain;
pub mod store;
