//! `caseload letters`: the day's batch. Every letter and text the queue recommends today is
//! made, written under `letters/DATE/` beside the database file, in the current folder for a team's
//! database, or in `--out DIR` (one file per letter, one print file
//! of them all, the day's manifest and `sms.csv`) and recorded as sent; a run the same day again
//! produces nothing new. `--dry-run` shows what would be produced, and why any would not be.

use super::Context;
use crate::app::letters::due;
use crate::app::queue::Queue;
use crate::domain::dates::uk;
use crate::letters::batch::{self, Report};
use crate::letters::{Letters, Options};
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct LettersArgs {
    /// Only the accounts of this patch
    #[arg(long, value_name = "PATCH")]
    pub patch: Option<String>,
    /// Show what would be produced (and why any would not be); write and record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The folder `letters/DATE/` is made in (default: the database file's folder; on a team's
    /// database, the current folder)
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Context, args: &LettersArgs) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let mut store = ctx.open_store()?;
    let settings = ctx.settings(&config);
    let mut queue = Queue::read(&store, &settings)?;
    if let Some(patch) = &args.patch
        && let Some(Err(e)) = queue.set_filter_by_name("patch", patch)
    {
        anyhow::bail!("--patch {patch}: {e}");
    }
    let items = due(&queue);
    let letters = Letters::new(&config, &ctx.config);
    let db_dir = match &args.out {
        Some(dir) => dir.as_path(),
        None => crate::letters::folder_of(&ctx.db),
    };
    // On a team's database the letters are sent as the login the server knows.
    let officer = store.login()?.unwrap_or_else(|| ctx.officer.clone());
    let options = Options {
        db_dir,
        today: ctx.today,
        now: ctx.today.and_time(chrono::Local::now().time()),
        officer: &officer,
        codes: &config.codes,
        source: "cli",
        print: true,
    };
    let report = batch::run(&mut store, &letters, &items, &options, args.dry_run)?;
    print(&report, ctx, args.dry_run, db_dir);
    Ok(ExitCode::SUCCESS)
}

fn print(report: &Report, ctx: &Context, dry: bool, db_dir: &Path) {
    let total: usize = report.sent.iter().map(|(_, n)| n).sum();
    let verb = if dry { "would be produced" } else { "produced" };
    outln!("Letters for {}: {total} {verb}", uk(ctx.today));
    for (kind, n) in &report.sent {
        outln!("  {:<32} {n:>6}", kind.label());
    }
    if !report.held.is_empty() {
        outln!(
            "Held for a person, not produced ({}): open each in the workstation",
            report.held.len()
        );
        for (reference, why) in &report.held {
            outln!("  {reference:<10} {why}");
        }
    }
    if !report.failed.is_empty() {
        outln!(
            "Could not be produced ({}){}",
            report.failed.len(),
            if dry {
                ""
            } else {
                ": recorded as failed, and the queue asks for a review"
            }
        );
        for (reference, kind, why) in &report.failed {
            outln!("  {reference:<10} {}: {why}", kind.label());
        }
    }
    if dry {
        outln!("Nothing was written or recorded (--dry-run).");
        return;
    }
    let Some(p) = &report.produced else {
        outln!("Nothing new to produce.");
        return;
    };
    let shown = |path: &Path| {
        path.strip_prefix(db_dir)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    if let Some(print) = &p.print {
        outln!("Print file: {} ({} letters)", shown(print), p.letters);
    }
    if p.letters + p.texts > 0 {
        outln!("Manifest: {}", shown(&p.folder.join("manifest.csv")));
    }
    if p.texts > 0 {
        outln!(
            "Texts for the SMS gateway: {} ({})",
            shown(&p.folder.join("sms.csv")),
            p.texts
        );
    }
}
