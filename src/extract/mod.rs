//! The housing-system extract: a folder of CSV files (documented in `docs/import.md`) that
//! `caseload import` reads and `caseload export` writes.
//!
//! An import is one transaction, taken when no other import or workstation is writing: every file
//! is read as a stream (on its own thread, a chunk at a time), each row checked (formats, codes,
//! references, duplicate ids, and against what the database holds, read inside that transaction)
//! and written through the same [`Writer`] as every other write; any problem rolls it all back.
//! Rows carry the source system's ids, so importing the same extract again changes nothing and
//! tomorrow's extract adds only what is new. What officers recorded in caseload is never
//! overwritten (see `kept`).
//!
//! [`Writer`]: crate::store::Writer

mod apply;
mod check;
mod export;
pub mod file;
mod import;
mod kept;
mod ledger;
pub mod records;
mod report;
mod stream;

pub use export::{ExportError, ExportSummary, export};
pub use import::{ImportError, ImportOptions, Stage, import};
pub use report::{Counts, Problem, Problems, Summary};

/// What a column's values may be, for the reader's checks (see [`file`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// An id, reference, code, kind, amount, date or yes/no: printable characters only, at most
    /// [`file::MAX_CODE`] of them.
    Code,
    /// Text on one line: anything but NUL, at most [`file::MAX_TEXT`] characters (shown through
    /// the sanitiser).
    Text,
    /// Text that may run over several lines (in quotes): a description, a comment.
    Lines,
}

/// One column of an extract file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
    pub holds: Holds,
}

const fn required(name: &'static str) -> Column {
    Column {
        name,
        required: true,
        holds: Holds::Code,
    }
}

const fn optional(name: &'static str) -> Column {
    Column {
        name,
        required: false,
        holds: Holds::Code,
    }
}

/// An optional column of text on one line.
const fn text(name: &'static str) -> Column {
    Column {
        holds: Holds::Text,
        ..optional(name)
    }
}

/// A required column of text on one line.
const fn required_text(name: &'static str) -> Column {
    Column {
        holds: Holds::Text,
        ..required(name)
    }
}

/// A required column of text that may run over several lines.
const fn required_lines(name: &'static str) -> Column {
    Column {
        holds: Holds::Lines,
        ..required(name)
    }
}

/// An optional column of text that may run over several lines.
const fn lines(name: &'static str) -> Column {
    Column {
        holds: Holds::Lines,
        ..optional(name)
    }
}

/// One file of an extract and its columns, in the order export writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileSpec {
    pub name: &'static str,
    pub columns: &'static [Column],
}

pub const TENANCIES: FileSpec = FileSpec {
    name: "tenancies.csv",
    columns: &[
        required("ref"),
        required("tenure"),
        required("start"),
        optional("end"),
        lines("address"),
        text("postcode"),
        text("patch"),
        text("officer"),
        required("weekly_charge"),
        optional("uc"),
        optional("hb"),
        optional("vulnerable"),
        text("vulnerability"),
        optional("breathing_space_until"),
        optional("deceased"),
        optional("interpreter"),
    ],
};

pub const TENANTS: FileSpec = FileSpec {
    name: "tenants.csv",
    columns: &[
        required("tenancy"),
        optional("position"),
        text("title"),
        required_text("first_name"),
        required_text("last_name"),
        text("phone"),
        text("phone2"),
        text("email"),
        optional("date_of_birth"),
        text("contact_preference"),
        text("correspondence_address"),
    ],
};

pub const ACCOUNTS: FileSpec = FileSpec {
    name: "accounts.csv",
    columns: &[required("id"), required("tenancy"), required("type")],
};

pub const TRANSACTIONS: FileSpec = FileSpec {
    name: "transactions.csv",
    columns: &[
        required("id"),
        required("account"),
        required("date"),
        required("kind"),
        optional("method"),
        required("amount"),
        lines("description"),
        optional("reverses"),
    ],
};

pub const ACTIONS: FileSpec = FileSpec {
    name: "actions.csv",
    columns: &[
        required("id"),
        required("tenancy"),
        required("code"),
        required("at"),
        text("officer"),
        lines("comment"),
    ],
};

pub const NOTICES: FileSpec = FileSpec {
    name: "notices.csv",
    columns: &[
        required("id"),
        required("tenancy"),
        required("kind"),
        required("served_on"),
        lines("grounds"),
        optional("amount"),
        text("officer"),
    ],
};

pub const COURT: FileSpec = FileSpec {
    name: "court.csv",
    columns: &[
        required("id"),
        required("tenancy"),
        optional("kind"),
        optional("date"),
        optional("outcome"),
        lines("terms"),
        optional("possession_on"),
        optional("costs"),
        text("officer"),
    ],
};

pub const PLANS: FileSpec = FileSpec {
    name: "plans.csv",
    columns: &[
        required("id"),
        required("tenancy"),
        optional("account"),
        required("kind"),
        required("frequency"),
        required("start"),
        required("instalment"),
        optional("lump_sum"),
        optional("lump_date"),
        required("starting_balance"),
        optional("method"),
        optional("status"),
        optional("status_date"),
        lines("reason"),
        optional("agreed_at"),
        text("officer"),
    ],
};

pub const PAUSES: FileSpec = FileSpec {
    name: "pauses.csv",
    columns: &[
        required("id"),
        required("tenancy"),
        optional("kind"),
        required("until"),
        required_lines("reason"),
        lines("comment"),
        text("officer"),
        required("at"),
    ],
};

/// Every file of an extract, in the order they are read and written (references point backwards).
pub const FILES: [FileSpec; 9] = [
    TENANCIES,
    TENANTS,
    ACCOUNTS,
    TRANSACTIONS,
    ACTIONS,
    NOTICES,
    COURT,
    PLANS,
    PAUSES,
];

#[cfg(test)]
mod parse_tests;
#[cfg(test)]
pub(crate) mod tests;
