//! `caseload verify`: checks that the database shows no sign of being edited outside caseload
//! (through `sqlite3`, say): every append-only trigger in place, every row of the append-only
//! tables sealed in the hash chain as it was written, every account's balance equal to its
//! ledger, the note search index equal to the notes. Exit 1 names the first problem of each
//! failed check by table and row; a clean file prints the head of the chain, for an auditor to
//! note and give back later with `--head`.

use super::Context;
use crate::chain::Digest;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// A head of the chain noted earlier (64 hex digits), which must still be a link of it
    #[arg(long = "head", value_name = "HASH", value_parser = parse_head)]
    heads: Vec<Digest>,
}

fn parse_head(s: &str) -> Result<Digest, String> {
    Digest::parse_hex(s).ok_or_else(|| "a head of the chain is 64 hexadecimal digits".into())
}

/// A check found a problem.
const TAMPERED: u8 = 1;

pub fn run(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = ctx.server_url() {
        return verify_server(url, args);
    }
    // A file that cannot be read is not a finding about it: exit 2, as for any unreadable input.
    let found = match ctx
        .open_store()
        .and_then(|store| Ok(store.verify(&args.heads)?))
    {
        Ok(found) => found,
        Err(e) => {
            errln!("caseload: {}", super::said_once(&e));
            return Ok(ExitCode::from(super::import::UNREADABLE));
        }
    };
    for (check, problem) in &found.results {
        match problem {
            None => outln!("ok    {}", check.holds),
            Some(p) => outln!("FAIL  {p}"),
        }
    }
    for (head, link) in &found.noted {
        match link {
            Some(link) => outln!("ok    the head noted, {head}, is link {link} of the chain"),
            None => outln!(
                "FAIL  chain {head}: not a link of the chain: links were rewritten or removed since it was noted"
            ),
        }
    }
    let failed = found.failed();
    let checks = found.results.len() + found.noted.len();
    if failed > 0 {
        outln!(
            "{}: {failed} of {checks} checks failed: the file was changed outside caseload",
            ctx.db.display(),
        );
        return Ok(ExitCode::from(TAMPERED));
    }
    outln!("{}: all {checks} checks passed", ctx.db.display());
    match found.head {
        Some(h) => outln!(
            "head of the chain: link {} ({} rows sealed in {} links), {}",
            h.link,
            h.rows,
            h.links,
            h.hash
        ),
        None => outln!("head of the chain: none yet (nothing recorded)"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The checks on a team's PostgreSQL database.
fn verify_server(url: &str, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    if !args.heads.is_empty() {
        anyhow::bail!("--head is not yet checked on a PostgreSQL database");
    }
    let shown = crate::store::pg::redacted(url);
    let found = match crate::store::pg::verify(url) {
        Ok(found) => found,
        Err(e) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(super::import::UNREADABLE));
        }
    };
    for (holds, problem) in &found {
        match problem {
            None => outln!("ok    {holds}"),
            Some(p) => outln!("FAIL  {p}"),
        }
    }
    let failed = found.iter().filter(|(_, p)| p.is_some()).count();
    if failed > 0 {
        outln!(
            "{shown}: {failed} of {} checks failed: the database was changed outside caseload",
            found.len()
        );
        return Ok(ExitCode::from(TAMPERED));
    }
    outln!("{shown}: all {} checks passed", found.len());
    Ok(ExitCode::SUCCESS)
}
