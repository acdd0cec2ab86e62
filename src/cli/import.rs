//! `caseload import DIR`: read a housing-system extract into the database, all or nothing.

use super::Context;
use crate::extract::{ImportError, ImportOptions, Stage, import};
use crate::store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The folder holding the extract's CSV files (see docs/import.md): the ledger as of the
    /// import's day (--today), so a transaction dated after it is refused
    pub dir: PathBuf,
    /// Read and check everything, report, and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Make a new database if there is none at --db (otherwise a missing one is an error, so that
    /// a mistyped path does not quietly become a new database)
    #[arg(long)]
    pub create: bool,
    /// Seconds to wait while another import or a workstation is writing to the database, before
    /// giving up with exit code 3
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub wait: u64,
}

/// Rejected data.
pub(super) const REJECTED: u8 = 1;
/// Bad arguments or an unreadable file.
pub(super) const UNREADABLE: u8 = 2;
/// The database stayed busy (another import, a workstation writing) for longer than --wait.
pub(super) const BUSY: u8 = 3;

pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let config = match ctx.config() {
        Ok(config) => config,
        Err(e) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    // A team's database is made by `caseload migrate`, never by an import.
    let mut store = if args.create && !args.dry_run && ctx.server_url().is_none() {
        Store::open(&ctx.db)?
    } else {
        ctx.open_store()?
    };
    // On a team's database the import is recorded as the login that runs it.
    let officer = store.login()?.unwrap_or_else(|| ctx.officer.clone());
    let options = ImportOptions {
        codes: &config.codes,
        officer: &officer,
        today: ctx.today,
        plan_tolerance_days: config.plans.breach_tolerance_days.0,
        dry_run: args.dry_run,
        wait: Duration::from_secs(args.wait),
    };
    let bar = progress_bar();
    let mut stage = None;
    let outcome = import(&mut store, &args.dir, &options, |now, done, total| {
        if stage != Some(now) {
            stage = Some(now);
            if now == Stage::Waiting {
                // Said once, also in a log: why nothing seems to happen.
                bar.suspend(|| {
                    errln!(
                        "caseload: another import or a workstation is writing to the database: \
                         waiting for it (up to {} s)",
                        args.wait
                    )
                });
            }
            bar.set_message(match now {
                Stage::Waiting => "waiting",
                Stage::Reading => "importing",
                Stage::Finishing => "finishing",
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
        Err(e @ ImportError::Busy { .. }) => {
            errln!("caseload: {e}");
            Ok(ExitCode::from(BUSY))
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
