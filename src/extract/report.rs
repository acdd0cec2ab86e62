//! What an import found: problems that reject it, and the per-file summary of what it changed.

use crate::domain::dates::uk;
use chrono::NaiveDate;
use std::fmt;
use std::time::Duration;

/// A row that cannot be imported: `file:line: column: problem`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: &'static str,
    pub line: u64,
    pub column: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(column) = self.column {
            write!(f, "{column}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The problem of a row naming a tenancy that is neither in the extract nor held.
pub(super) fn unknown_tenancy(reference: &str) -> String {
    format!("unknown tenancy `{reference}`: not in tenancies.csv nor already held")
}

/// The problem of a new row dated after the import's day. An extract is what the housing system
/// holds as of the day it was taken: an entry dated later (a payment keyed a year ahead, a charge
/// raised in advance) would count in every balance "today" while a statement for today leaves it
/// out, and a step dated later (a letter, a notice, an order) would start the ladder's clocks from
/// a day still to come; so it waits for the extract taken on or after its date.
pub(super) fn after_today(date: NaiveDate, today: NaiveDate) -> String {
    format!(
        "{} is after the day of the import, {}: caseload holds only what has happened, so send \
         it in an extract taken on or after its date (if this extract was taken later, import it \
         with --today set to that day)",
        uk(date),
        uk(today)
    )
}

/// The problem of a row naming an account that is neither in the extract nor held.
pub(super) fn unknown_account(id: &str) -> String {
    format!("unknown account `{id}`: not in accounts.csv nor already held")
}

/// The problem of a row that differs from the row held under its id in a column that never
/// changes. A `caseload:<row>` id names a record of the database the extract was exported from:
/// in any other database it may name another record, which the hint says.
pub(super) fn changed_row(id: &str, d: &super::records::Difference) -> String {
    use super::file::shown;
    let hint = if crate::store::local_row(id).is_some() {
        " (an export of another caseload database is imported into a new database, where \
         its `caseload:` ids are free)"
    } else {
        ""
    };
    format!(
        "`{}` is already recorded with {} `{}`, not `{}`: these rows are never changed, so a \
         correction needs a new row with its own id{hint}",
        shown(id),
        d.column,
        shown(&d.held),
        shown(&d.now)
    )
}

/// Every problem counted, the first `cap` kept to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    pub shown: Vec<Problem>,
    pub total: usize,
}

/// How many problems a report lists; the rest are counted.
pub const SHOWN_PROBLEMS: usize = 50;

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.shown.len() < SHOWN_PROBLEMS {
            self.shown.push(problem);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Adds the problems another reader found.
    pub fn merge(&mut self, other: Problems) {
        let total = self.total + other.total;
        for p in other.shown {
            self.push(p);
        }
        self.total = total;
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.shown {
            writeln!(f, "{p}")?;
        }
        let hidden = self.total - self.shown.len();
        if hidden > 0 {
            writeln!(f, "… and {hidden} more")?;
        }
        write!(
            f,
            "{} problem{} found: nothing was imported",
            self.total,
            if self.total == 1 { "" } else { "s" }
        )
    }
}

/// What one file brought: rows new to the database, rows it already held (shown as "already
/// here"), and mutable records (or plan states) that changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: u64,
    pub unchanged: u64,
    pub updated: u64,
}

impl Counts {
    pub fn rows(self) -> u64 {
        self.new + self.unchanged + self.updated
    }
}

/// The end-of-import report: per file, then totals, time and speed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: Vec<(&'static str, Counts)>,
    pub warnings: Vec<String>,
    /// Facts recorded in caseload that the extract disagrees with, kept as they are.
    pub kept: Vec<String>,
    pub elapsed: Duration,
    pub dry_run: bool,
}

impl Summary {
    pub fn total(&self) -> Counts {
        self.files
            .iter()
            .fold(Counts::default(), |sum, (_, c)| Counts {
                new: sum.new + c.new,
                unchanged: sum.unchanged + c.unchanged,
                updated: sum.updated + c.updated,
            })
    }

    /// Rows read per second of the whole import.
    pub fn rows_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.total().rows() as f64 / seconds
        } else {
            0.0
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let group = |n: u64| crate::domain::money::group_thousands(n);
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: Counts| {
            writeln!(
                f,
                "{name:<18} {:>10} {:>13} {:>10}",
                group(c.new),
                group(c.unchanged),
                group(c.updated)
            )
        };
        writeln!(
            f,
            "{:<18} {:>10} {:>13} {:>10}",
            "file", "new", "already here", "updated"
        )?;
        for (file, c) in &self.files {
            row(f, file, *c)?;
        }
        let total = self.total();
        row(f, "total", total)?;
        for line in self.kept.iter().take(SHOWN_PROBLEMS) {
            writeln!(f, "kept: {line}")?;
        }
        if self.kept.len() > SHOWN_PROBLEMS {
            writeln!(
                f,
                "… and {} more kept",
                group((self.kept.len() - SHOWN_PROBLEMS) as u64)
            )?;
        }
        // The same three counts as the table, under what came of them.
        let outcome = if self.dry_run {
            "Checked (dry run, nothing written)"
        } else if total.new + total.updated == 0 {
            "Nothing new"
        } else {
            "Imported"
        };
        write!(
            f,
            "{outcome}: {} new, {} already here, {} updated ({} rows read in {:.2}s, {} rows/s)",
            group(total.new),
            group(total.unchanged),
            group(total.updated),
            group(total.rows()),
            self.elapsed.as_secs_f64(),
            group(self.rows_per_second().round() as u64)
        )
    }
}
