//! `caseload statement REF`: a rent statement, or with `--court` the arrears schedule for a
//! possession claim, as text, CSV or printable HTML on standard output.

use super::Context;
use super::import::UNREADABLE;
use crate::domain::tenancy::DebtType;
use crate::extract::records::named;
use crate::statement::{Format, StatementError, StatementOptions, build};
use chrono::NaiveDate;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct StatementArgs {
    /// The tenancy reference
    pub reference: String,
    /// First day listed [default: three months before --to; with --court, the day the arrears began]
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    pub from: Option<NaiveDate>,
    /// Last day listed, the date of issue [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::parse_day)]
    pub to: Option<NaiveDate>,
    /// The arrears schedule for a possession claim
    #[arg(long)]
    pub court: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Which debt: rent, garage, recharge, sundry, court_costs, former_tenant
    #[arg(long, default_value = "rent", value_parser = named::<DebtType>)]
    pub account: DebtType,
}

pub fn run(ctx: &Context, args: &StatementArgs) -> anyhow::Result<ExitCode> {
    let Some((store, tenancy_id)) = super::account::open_tenancy(ctx, &args.reference)? else {
        return Ok(ExitCode::from(UNREADABLE));
    };
    let options = StatementOptions {
        debt_type: args.account,
        from: args.from,
        to: args.to.unwrap_or(ctx.today),
        court: args.court,
    };
    let statement = match build(&store, tenancy_id, &options) {
        Ok(statement) => statement.ok_or_else(|| {
            anyhow::anyhow!("tenancy {} disappeared while being read", args.reference)
        })?,
        Err(e @ StatementError::Backwards { .. }) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
        Err(e) => return Err(e.into()),
    };
    super::output::document(&statement.render(args.format));
    Ok(ExitCode::SUCCESS)
}
