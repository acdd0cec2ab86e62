//! No subcommand: open the workstation on the officer's database (or the demo).

use super::Context;
use crate::app::Session;
use crate::app::keymap::Keymap;
use crate::config::Config;
use crate::demo::{DemoOptions, generate_file};
use crate::store::Store;
use crate::ui::Theme;
use anyhow::Context as _;
use std::process::ExitCode;

/// The demo caseload made on first use of `--demo`.
const DEMO: (usize, u32, u64) = (2_000, 3, 1);

pub fn run(ctx: &Context, demo: bool) -> anyhow::Result<ExitCode> {
    // Everything that can fail on bad input is checked before the terminal is touched.
    let config = Config::load_over(&ctx.config, ctx.layers())?;
    if demo && !ctx.db.exists() {
        let (accounts, years, seed) = DEMO;
        errln!(
            "Making a demo caseload of {accounts} tenancies in {} (once)…",
            ctx.db.display()
        );
        let options = DemoOptions::shipped(accounts, years, seed, ctx.today);
        generate_file(&ctx.db, &options, |_| {})
            .with_context(|| format!("generating {}", ctx.db.display()))?;
    }
    let store = match ctx.server_url() {
        Some(url) => Store::open_server(url)?,
        None => Store::open(&ctx.db)?,
    };
    let mut settings = ctx.settings(&config);
    // On a team's database the officer is the login the server knows.
    if let Some(login) = store.login()? {
        settings.officer = login;
    }
    settings.triggers = config.plans.trigger_table()?;
    settings.keep_ranking = true;
    settings.open_after_first_frame = true;
    let mut session = Session::new(store, Keymap::new(&config.keys), settings)?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::new(&config.colours, no_color);
    let ending = crate::tui::run(&mut session, &theme).context("the terminal failed")?;
    // The terminal is back: say where a note's text is if it is not in the database.
    if let Some(warning) = crate::app::drafts::at_exit(&ending.drafts) {
        errln!("caseload: {warning}");
    }
    // Ended by a signal: the shell's convention, 128 and the signal's number.
    Ok(ending
        .signal
        .and_then(|s| u8::try_from(128 + s).ok())
        .map_or(ExitCode::SUCCESS, ExitCode::from))
}
