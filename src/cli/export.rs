//! `caseload export DIR`: write the database as an extract that `import` reads back.

use super::Context;
use super::import::UNREADABLE;
use crate::extract::{ExportError, export};
use crate::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// A new or empty folder to write the extract's CSV files into
    pub dir: PathBuf,
}

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if !ctx.db.exists() {
        errln!("caseload: there is no database at {}", ctx.db.display());
        return Ok(ExitCode::from(UNREADABLE));
    }
    let store = Store::open(&ctx.db)?;
    match export(&store, &args.dir) {
        Ok(summary) => {
            for (file, rows) in &summary.files {
                outln!("{file:<18} {rows:>10} rows");
            }
            outln!("extract written to {}", args.dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(ExportError::Store(e)) => Err(e.into()),
        Err(e) => {
            errln!("caseload: {e}");
            Ok(ExitCode::from(UNREADABLE))
        }
    }
}
