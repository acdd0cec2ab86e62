//! `caseload verify`: checks that the database shows no sign of being edited outside caseload
//! (through `sqlite3`, say): every append-only trigger in place, every account's balance equal
//! to its ledger, the note search index equal to the notes. Exit 1 names the first problem of
//! each failed check by table and row.

use super::Context;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {}

/// A check found a problem.
const TAMPERED: u8 = 1;

pub fn run(ctx: &Context, _args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let results = store.verify()?;
    let failed = results.iter().filter(|(_, p)| p.is_some()).count();
    for (check, problem) in &results {
        match problem {
            None => outln!("ok    {}", check.holds),
            Some(p) => outln!("FAIL  {p}"),
        }
    }
    if failed == 0 {
        outln!("{}: all {} checks passed", ctx.db.display(), results.len());
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "{}: {failed} of {} checks failed: the file was changed outside caseload",
            ctx.db.display(),
            results.len()
        );
        Ok(ExitCode::from(TAMPERED))
    }
}
