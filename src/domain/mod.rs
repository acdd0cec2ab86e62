//! Pure rules, no I/O: everything here is decided from values passed in, "today" included.

pub mod actions;
pub mod affordability;
pub mod arrears;
pub mod breach;
pub mod calendar;
pub mod codes;
pub mod contact;
pub mod dates;
pub mod dd;
pub mod ledger;
pub mod money;
pub mod plan;
pub mod plan_draft;
pub mod plan_schedule;
pub mod policy;
pub mod promise;
pub mod recovery;
pub mod tenancy;

pub use money::Money;
