//! `caseload migrate`: brings a database's schema up to this version. For a team's PostgreSQL
//! database (`--db postgres://…`) this is how it is made: run it once, as the login that is to own
//! the schema, on an empty database; run it again after an upgrade. A SQLite file is brought up to
//! date whenever it is opened, so for one this only says its version. `--from FILE --to URL` moves
//! a file's caseload into a new, empty PostgreSQL database.

use super::{Context, NotFound};
use crate::store::{self, pg};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct MigrateArgs {
    /// Move the caseload in this SQLite file into the empty PostgreSQL database --to names
    #[arg(long, value_name = "FILE", requires = "to")]
    from: Option<PathBuf>,
    /// The PostgreSQL database to move --from's caseload into (postgres://USER@HOST/NAME)
    #[arg(long, value_name = "URL", requires = "from")]
    to: Option<String>,
}

pub fn run(ctx: &Context, args: &MigrateArgs) -> anyhow::Result<ExitCode> {
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        return move_in(from, to);
    }
    match ctx.server_url() {
        Some(url) => {
            let done = pg::migrate(url)?;
            let shown = pg::redacted(url);
            if done.from == done.to {
                outln!("{shown}: schema version {}, up to date", done.to);
            } else {
                outln!(
                    "{shown}: schema brought from version {} to {}",
                    done.from,
                    done.to
                );
            }
        }
        None => {
            if !ctx.db.exists() {
                return Err(NotFound(format!(
                    "there is no database at {}: check --db (or CASELOAD_DB)",
                    ctx.db.display()
                ))
                .into());
            }
            let store = store::Store::open(&ctx.db)?;
            outln!(
                "{}: schema version {}, up to date",
                ctx.db.display(),
                store.schema_version()?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies a file's caseload into an empty PostgreSQL database, checked before it is committed.
fn move_in(from: &Path, to: &str) -> anyhow::Result<ExitCode> {
    if !pg::is_url(to) {
        anyhow::bail!("--to takes a PostgreSQL database (postgres://USER@HOST/NAME), not {to}");
    }
    if !from.exists() {
        return Err(NotFound(format!(
            "there is no database at {}: check --from",
            from.display()
        ))
        .into());
    }
    let moved = pg::move_in(from, to)?;
    for (table, rows) in &moved.tables {
        outln!("{rows:>10}  {table}");
    }
    let rows: u64 = moved.tables.iter().map(|(_, rows)| rows).sum();
    outln!(
        "{} moved into {}: {rows} rows in {} tables, each table's count checked, every balance and \
         case summary checked, {} links of the hash chain checked",
        from.display(),
        pg::redacted(to),
        moved.tables.len(),
        moved.links
    );
    Ok(ExitCode::SUCCESS)
}
