//! `caseload export DIR`: write the database as an extract that `import` reads back.

use super::Context;
use super::import::UNREADABLE;
use crate::extract::{ExportError, export};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// A new or empty folder to write the extract's CSV files into
    pub dir: PathBuf,
}

pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
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
