//! `caseload reassign`: an income coordinator moves a patch, or some accounts, to another officer.
//! Every move is audited (the officer each account had, and the one it has now) in one batch, and
//! an import never moves them back.

use super::{Context, NotFound};
use crate::domain::reassign::{Holding, Reassignment};
use crate::store::Store;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["patch", "accounts"])))]
pub struct ReassignArgs {
    /// Every tenancy of this patch (its name exactly as the housing system gives it)
    #[arg(long, value_name = "PATCH")]
    pub patch: Option<String>,
    /// These tenancies, by reference (exactly), separated by commas
    #[arg(long, value_name = "REF[,REF…]", value_delimiter = ',')]
    pub accounts: Option<Vec<String>>,
    /// The officer they move to
    #[arg(long, value_name = "OFFICER", value_parser = super::parse_officer)]
    pub to: String,
    /// The officer holds no account yet: move them all the same (otherwise a name no account has
    /// is refused, so a mistyped one moves nothing)
    #[arg(long)]
    pub new_officer: bool,
    /// List what would move, from whom, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Context, args: &ReassignArgs) -> anyhow::Result<ExitCode> {
    let mut store = match ctx.server_url() {
        Some(url) => Store::open_server(url)?,
        None => ctx.open_store()?,
    };
    let held = holdings(&store, args)?;
    if !args.new_officer && store.held_by(&args.to)? == 0 {
        return Err(NotFound(format!(
            "no account is held by {}: check the name, or add --new-officer to give accounts to an \
             officer who holds none yet",
            args.to
        ))
        .into());
    }
    store.may_reassign()?;
    let reassignment = Reassignment::new(held, &args.to);
    if args.dry_run {
        for h in &reassignment.moves {
            outln!("{:<12} {} → {}", h.reference, shown(&h.officer), args.to);
        }
        outln!(
            "Would move {}; nothing changed (dry run).",
            reassignment.summary()
        );
    } else if !reassignment.moves.is_empty() {
        // On a team's database the officer is the login (the coordinator); on a file, --officer.
        let officer = store.login()?.unwrap_or_else(|| ctx.officer.clone());
        let moved = store.write(&officer, "cli", |w| w.reassign(&reassignment))?;
        let late = reassignment.moves.len() - moved;
        let late = match late {
            0 => String::new(),
            n => format!(" ({n} had come to be theirs meanwhile)"),
        };
        outln!("Moved {}{late}.", reassignment.summary());
    }
    match (reassignment.left(), reassignment.moves.is_empty()) {
        (Some(left), true) => outln!("Nothing to move: {left}."),
        (Some(left), false) => outln!("Left as they are: {left}."),
        (None, _) => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// The accounts named, as held now; a patch or reference that is not there is refused, all of it.
fn holdings(store: &Store, args: &ReassignArgs) -> anyhow::Result<Vec<Holding>> {
    if let Some(patch) = &args.patch {
        let held = store.patch_holdings(patch)?;
        if held.is_empty() {
            let like = store
                .patch_like(patch)?
                .map(|p| format!(" (patch names are exact: did you mean {p}?)"))
                .unwrap_or_default();
            return Err(NotFound(format!("no tenancy is in the patch {patch}{like}")).into());
        }
        return Ok(held);
    }
    let refs: Vec<&str> = (args.accounts.iter().flatten())
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .collect();
    if refs.is_empty() {
        return Err(
            NotFound("no account named: --accounts takes references, REF[,REF…]".into()).into(),
        );
    }
    let mut ids = Vec::with_capacity(refs.len());
    for reference in refs {
        let Some(id) = store.tenancy_by_ref(reference)? else {
            let like = store
                .reference_like(reference)?
                .map(|r| format!(" (references are exact: did you mean {r}?)"))
                .unwrap_or_default();
            return Err(NotFound(format!(
                "no tenancy with reference {reference}{like}: nothing was moved"
            ))
            .into());
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(store.holdings(&ids)?)
}

/// An officer's name, or "no one" for an account with none.
fn shown(officer: &str) -> &str {
    if officer.is_empty() {
        "(no one)"
    } else {
        officer
    }
}
