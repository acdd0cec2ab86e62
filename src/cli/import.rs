//! `caseload import DIR`: read a housing-system extract into the database, all or nothing.

use super::Context;
use crate::extract::{ImportError, ImportOptions, Stage, import};
use crate::store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The folder holding the extract's CSV files (see docs/import.md)
    pub dir: PathBuf,
    /// Read and check everything, report, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Make a new database if there is none at --db (otherwise a missing one is an error, so that
    /// a mistyped path does not quietly become a new database)
    #[arg(long)]
    pub create: bool,
}

/// Rejected data.
pub(super) const REJECTED: u8 = 1;
/// Bad arguments or an unreadable file.
pub(super) const UNREADABLE: u8 = 2;

pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let config = match ctx.config() {
        Ok(config) => config,
        Err(e) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let mut store = if args.create && !args.dry_run {
        Store::open(&ctx.db)?
    } else {
        ctx.open_store()?
    };
    let options = ImportOptions {
        codes: &config.codes,
        officer: &ctx.officer,
        today: ctx.today,
        plan_tolerance_days: config.plans.breach_tolerance_days.0,
        dry_run: args.dry_run,
    };
    let bar = progress_bar();
    let mut stage = None;
    let outcome = import(&mut store, &args.dir, &options, |now, done, total| {
        if stage != Some(now) {
            stage = Some(now);
            bar.set_message(match now {
                Stage::Reading => "reading",
                Stage::Checking => "checking",
                Stage::Writing => "writing",
            });
            bar.set_length(total);
        }
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let warn = |warnings: &[String]| {
        for w in warnings {
            errln!("warning: {w}");
        }
    };
    match outcome {
        Ok(summary) => {
            warn(&summary.warnings);
            outln!("{summary}");
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Rejected { problems, warnings }) => {
            warn(&warnings);
            errln!("{problems}");
            Ok(ExitCode::from(REJECTED))
        }
        Err(ImportError::Unreadable(message)) => {
            errln!("caseload: {message}");
            Ok(ExitCode::from(UNREADABLE))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

/// A bar on stderr when it is a terminal; nothing otherwise (a log or a pipe).
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:9} [{bar:40}] {percent:>3}%  {eta} left")
            .expect("the template is valid")
            .progress_chars("=> "),
    );
    bar
}
