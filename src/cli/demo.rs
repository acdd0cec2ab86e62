//! `caseload demo`: generate a demo caseload of any size, deterministically.

use super::Context;
use crate::demo::{DemoOptions, MAX_ACCOUNTS, generate_file};
use anyhow::{Context as _, bail};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Number of tenancies
    #[arg(long, default_value_t = 2_000)]
    pub accounts: usize,
    /// Years of weekly history
    #[arg(long, default_value_t = 3)]
    pub years: u32,
    /// Seed: the same seed and --today give the same caseload
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where to write it (must not exist) [default: the --db path]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let out = args.out.clone().unwrap_or_else(|| ctx.db.clone());
    if !(1..=MAX_ACCOUNTS).contains(&args.accounts) {
        bail!("--accounts must be between 1 and {MAX_ACCOUNTS}");
    }
    if !(1..=30).contains(&args.years) {
        bail!("--years must be between 1 and 30");
    }
    if out.exists() {
        bail!(
            "{} already exists: choose another --out or remove it first",
            out.display()
        );
    }
    let options = DemoOptions::shipped(args.accounts, args.years, args.seed, ctx.today);
    let started = Instant::now();
    let show = std::io::stderr().is_terminal();
    generate_file(&out, &options, |done| {
        if show {
            super::output::progress(&format!(
                "generating demo caseload: {done}/{} tenancies",
                args.accounts
            ));
        }
    })
    .with_context(|| format!("generating {}", out.display()))?;
    if show {
        errln!("");
    }
    outln!(
        "wrote {} tenancies with {} years of history to {} in {:.1}s",
        args.accounts,
        args.years,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
