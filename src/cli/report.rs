//! `caseload report`: the team's numbers for a period, a patch or an officer, as text, CSV or one
//! printable HTML page, the same figures as the workstation's KPI screen.

use super::Context;
use super::import::UNREADABLE;
use crate::domain::kpi::{Period, Scope};
use crate::statement::Format;
use chrono::NaiveDate;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// First day counted [default: the first day of the rent year holding --to]
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    pub from: Option<NaiveDate>,
    /// Last day counted; balances are as they stood at its end [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    pub to: Option<NaiveDate>,
    /// Only this patch (--officer NAME: only that officer's tenancies)
    #[arg(long, value_name = "PATCH")]
    pub patch: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `officer`: the global `--officer`, when given, names whose tenancies are counted (a report
/// writes nothing, so it records no officer).
pub fn run(ctx: &Context, args: &ReportArgs, officer: Option<&str>) -> anyhow::Result<ExitCode> {
    let to = args.to.unwrap_or(ctx.today);
    let from = args.from.unwrap_or(Period::rent_year_to(to).from);
    let period = match Period::new(from, to) {
        Ok(period) => period,
        Err(e) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let config = ctx.config()?;
    let mut store = ctx.open_store()?;
    let scope = Scope {
        patch: args.patch.clone(),
        officer: officer.map(str::to_string),
    };
    let summary =
        crate::report::build(&mut store, period, scope, config.promises.tolerance_days.0)?;
    if summary.by_patch.is_empty() && (args.patch.is_some() || officer.is_some()) {
        errln!(
            "caseload: no tenancies for {} (check the patch and officer names)",
            summary.scope.describe()
        );
        return Ok(ExitCode::from(UNREADABLE));
    }
    super::output::document(&crate::report::render(&summary, args.format));
    Ok(ExitCode::SUCCESS)
}
