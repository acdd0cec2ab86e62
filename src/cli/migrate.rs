//! `caseload migrate`: brings a database's schema up to this version. For a team's PostgreSQL
//! database (`--db postgres://…`) this is how it is made: run it once, as the login that is to own
//! the schema, on an empty database; run it again after an upgrade. A SQLite file is brought up to
//! date whenever it is opened, so for one this only says its version.

use super::{Context, NotFound};
use crate::store::{self, pg};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct MigrateArgs {}

pub fn run(ctx: &Context, _args: &MigrateArgs) -> anyhow::Result<ExitCode> {
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
