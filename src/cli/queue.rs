//! `caseload queue`: the ranked queue as the workstation shows it, with each account's next
//! action, rule and reason, for scripts and for checking the policy on real data.

use super::Context;
use crate::app::queue::{Queue, QueueItem, Tab};
use std::process::ExitCode;

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum TabArg {
    Today,
    NeedsAction,
    PromisesPlans,
    NoticesCourt,
    Paused,
    All,
}

#[derive(clap::Args, Debug)]
pub struct QueueArgs {
    /// Which tab to print
    #[arg(long, value_enum, default_value = "needs-action")]
    pub tab: TabArg,
    /// At most this many accounts
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Row<'a> {
    reference: &'a str,
    name: &'a str,
    balance: String,
    effective_arrears: String,
    weeks: Option<String>,
    stage: &'a str,
    recommendation: &'a str,
    rule: u8,
    blocker: Option<&'a str>,
    /// What falls due today (in Today), a broken promise not chased since, if any, then the
    /// policy's reason.
    reason: String,
}

pub fn run(ctx: &Context, args: &QueueArgs) -> anyhow::Result<ExitCode> {
    let config = ctx.config()?;
    let settings = ctx.settings(&config);
    let mut queue = match ctx.server_url() {
        Some(url) => Queue::read(&crate::store::pg::open(url)?, &settings)?,
        None => Queue::read(&ctx.open_store()?, &settings)?,
    };
    queue.set_tab(match args.tab {
        TabArg::Today => Tab::Today,
        TabArg::NeedsAction => Tab::NeedsAction,
        TabArg::PromisesPlans => Tab::PromisesPlans,
        TabArg::NoticesCourt => Tab::NoticesCourt,
        TabArg::Paused => Tab::Paused,
        TabArg::All => Tab::All,
    });
    let items: Vec<&QueueItem> = queue
        .window(usize::MAX)
        .map(|(_, item)| item)
        .take(args.limit.unwrap_or(usize::MAX))
        .collect();
    if args.json {
        let rows: Vec<Row> = items
            .iter()
            .map(|i| row(i, queue.tab(), ctx.today))
            .collect();
        super::output::json(&rows)?;
    } else {
        for i in &items {
            let r = row(i, queue.tab(), ctx.today);
            outln!(
                "{:<10} {:<28} {:>12} {:<9} {:<28} {}",
                r.reference,
                truncate(r.name, 28),
                r.balance,
                r.stage,
                format!("{} ({})", r.recommendation, r.rule),
                r.reason
            );
        }
        outln!(
            "{} of {} accounts in {}",
            items.len(),
            queue.total(),
            queue.tab().label()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn row(item: &QueueItem, tab: Tab, today: chrono::NaiveDate) -> Row<'_> {
    Row {
        reference: item.reference(),
        name: item.name(),
        balance: item.arrears.balance.to_string(),
        effective_arrears: item.arrears.effective.to_string(),
        weeks: item.weeks().map(|w| format!("{w:.1}")),
        stage: item.stage.label(),
        recommendation: item.decision.recommendation.as_str(),
        rule: item.decision.rule(),
        blocker: item.decision.blocker.map(|b| b.label()),
        reason: item.reason_in(tab, today),
    }
}

/// A name cut to its column, after whatever a terminal would obey is made visible: the cut is
/// by character and can never leave half a sequence.
fn truncate(text: &str, width: usize) -> String {
    crate::printable::line(text).chars().take(width).collect()
}
