//! The command line: no subcommand opens the workstation; subcommands script everything else.

#[macro_use]
mod output;
mod account;
mod calc;
mod demo;
mod export;
mod import;
mod letters;
mod migrate;
mod policy;
mod queue;
mod reassign;
mod report;
mod statement;
mod verify;
mod workstation;

use crate::paths;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "caseload",
    version,
    about = "A keyboard-first workstation for rent arrears casework"
)]
pub struct Cli {
    /// The database: a file, or a team's PostgreSQL database as postgres://USER@HOST/NAME
    /// [default: caseload.db in the data directory]
    #[arg(long, global = true, env = "CASELOAD_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
    /// The config file [default: config.toml in the config directory]
    #[arg(long, global = true, env = "CASELOAD_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Work as if today were this date (YYYY-MM-DD)
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    /// The officer recorded on every write [default: your login name]
    #[arg(long, global = true, value_name = "NAME", value_parser = parse_officer)]
    pub officer: Option<String>,
    /// Open the demo caseload (generated on first use)
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate a demo caseload into a new database file
    Demo(demo::DemoArgs),
    /// Print the ranked queue with each account's next action, rule and reason
    Queue(queue::QueueArgs),
    /// Check the recovery policy
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Payment plan and Direct Debit calculators
    Calc(calc::CalcArgs),
    /// Import a housing-system extract (a folder of CSV files), all or nothing
    Import(import::ImportArgs),
    /// Write the database as an extract that import reads back
    Export(export::ExportArgs),
    /// One tenancy: tenants, debts, arrears, plan and latest actions
    Account(account::AccountArgs),
    /// A rent statement, or with --court the arrears schedule for a possession claim
    Statement(statement::StatementArgs),
    /// The team's numbers: collection rate, arrears, plans, promises, work and legal steps
    Report(report::ReportArgs),
    /// Check the database shows no sign of editing outside caseload (exit 1 names the problem)
    Verify(verify::VerifyArgs),
    /// Produce the day's letters and texts the queue recommends, and record them as sent
    Letters(letters::LettersArgs),
    /// Bring the database's schema up to this version (how a team's PostgreSQL database is made)
    Migrate(migrate::MigrateArgs),
    /// Move a patch, or some accounts, to another officer (an income coordinator's work; audited)
    Reassign(reassign::ReassignArgs),
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_date(s).map_err(|e| e.to_string())
}

/// Settings every command shares, resolved from flags, environment and defaults.
pub struct Context {
    pub db: PathBuf,
    pub config: PathBuf,
    /// The config path was named (`--config`, `CASELOAD_CONFIG`) rather than the default.
    pub config_named: bool,
    pub today: NaiveDate,
    pub officer: String,
    /// The demo caseload (`--demo`): its landlord and officers sit beneath the config file.
    pub demo: bool,
}

/// A file a command needs that does not exist: said with how to make it, exit code 2. Only the
/// workstation's first start (and `demo --out`) makes a database or config file that is not there,
/// so a mistyped path never quietly becomes a new, empty one.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotFound(String);

impl Context {
    /// The team's PostgreSQL database `--db` names, if it names one rather than a file.
    pub fn server_url(&self) -> Option<&str> {
        self.db.to_str().filter(|db| crate::store::pg::is_url(db))
    }

    /// The database, which must exist: a team's, which `caseload migrate` made, or a file.
    pub fn open_store(&self) -> anyhow::Result<crate::store::Store> {
        if let Some(url) = self.server_url() {
            return Ok(crate::store::Store::open_server(url)?);
        }
        if !self.db.exists() {
            let db = self.db.display();
            return Err(NotFound(format!(
                "there is no database at {db}: check --db (or CASELOAD_DB). `caseload --db {db}` \
                 makes a new one when it first starts, `caseload --db {db} import --create DIR` \
                 makes one from an extract, and `caseload demo --out {db}` makes a demo"
            ))
            .into());
        }
        Ok(crate::store::Store::open(&self.db)?)
    }

    /// The config: the file named, which must exist, or the default file, or without one the
    /// documented defaults (written to a file only by the workstation's first start).
    pub fn config(&self) -> anyhow::Result<crate::config::Config> {
        if self.config.exists() {
            return Ok(crate::config::Config::load_over(
                &self.config,
                self.layers(),
            )?);
        }
        if self.config_named {
            let path = self.config.display();
            return Err(NotFound(format!(
                "there is no config file at {path}: check --config (or CASELOAD_CONFIG). \
                 `caseload --config {path}` writes the documented default there when it first \
                 starts"
            ))
            .into());
        }
        Ok(crate::config::Config::parse_over(
            "",
            std::path::Path::new("(built-in defaults)"),
            self.layers(),
        )?)
    }

    /// What lies between the defaults and the config file: the demo's landlord and officers.
    pub fn layers(&self) -> &'static [&'static str] {
        if self.demo {
            &[crate::config::DEMO]
        } else {
            &[]
        }
    }

    /// What the workstation and the queue run with: the config read, this database, today
    /// and this officer.
    pub fn settings(&self, config: &crate::config::Config) -> crate::app::state::Settings {
        crate::app::state::Settings::new(
            config,
            self.today,
            &self.officer,
            self.db.clone(),
            self.config.clone(),
        )
    }
}

impl Cli {
    pub fn context(&self) -> Context {
        Context {
            db: self.db.clone().unwrap_or_else(|| {
                if self.demo {
                    paths::default_demo_db()
                } else {
                    paths::default_db()
                }
            }),
            config: self.config.clone().unwrap_or_else(paths::default_config),
            config_named: self.config.is_some(),
            today: self
                .today
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            officer: self.officer.clone().unwrap_or_else(login_name),
            demo: self.demo,
        }
    }
}

/// An officer's name as recorded on every write: never blank (a note with no author is no
/// record), and plain text.
fn parse_officer(s: &str) -> Result<String, String> {
    let name = s.trim();
    if name.is_empty() {
        return Err("the officer's name cannot be blank: every write records who made it".into());
    }
    if name.contains(char::is_control) {
        return Err("an officer's name cannot hold control characters".into());
    }
    Ok(name.to_string())
}

fn login_name() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().and_then(|v| parse_officer(&v).ok()))
        .unwrap_or_else(|| "officer".to_string())
}

/// The error and its causes, each said once: a cause the message already quotes (a store error
/// gives SQLite's words, and SQLite's error would repeat them) is not said again.
fn said_once(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
    }
    text
}

/// What a PostgreSQL database cannot be used for, said before anything is opened, so a URL never
/// becomes the path of a new SQLite file.
fn refuse_on_server(cli: &Cli, ctx: &Context) -> anyhow::Result<()> {
    let Some(url) = ctx.server_url() else {
        return Ok(());
    };
    let url = crate::store::pg::redacted(url);
    // A report's --officer names whose tenancies are counted, not who writes.
    if cli.officer.is_some() && !matches!(cli.command, Some(Command::Report(_))) {
        anyhow::bail!(
            "--officer cannot be used with {url}: on a team's database the officer is the login \
             the server knows (the user in the URL)"
        );
    }
    if cli.demo {
        anyhow::bail!(
            "--demo cannot be used with {url}: the demo is a file; move it into the team's \
             database with `caseload migrate --from FILE.db --to {url}`"
        );
    }
    // Every other command works on a team's database as on a file, but a demo is a file.
    if let Some(Command::Demo(args)) = &cli.command
        && args.out.is_none()
    {
        anyhow::bail!(
            "{url} is a PostgreSQL database and a demo is a SQLite file: name it with --out \
             FILE.db, then move it in with `caseload migrate --from FILE.db --to {url}`"
        );
    }
    Ok(())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = cli.context();
    if let Err(e) = refuse_on_server(&cli, &ctx) {
        errln!("caseload: {}", said_once(&e));
        return ExitCode::from(2);
    }
    let result = match &cli.command {
        Some(Command::Demo(args)) => demo::run(&ctx, args),
        Some(Command::Policy(command)) => policy::run(&ctx, command),
        Some(Command::Queue(args)) => queue::run(&ctx, args),
        Some(Command::Calc(args)) => calc::run(&ctx, args),
        Some(Command::Import(args)) => import::run(&ctx, args),
        Some(Command::Export(args)) => export::run(&ctx, args),
        Some(Command::Account(args)) => account::run(&ctx, args),
        Some(Command::Statement(args)) => statement::run(&ctx, args),
        Some(Command::Report(args)) => report::run(&ctx, args, cli.officer.as_deref()),
        Some(Command::Verify(args)) => verify::run(&ctx, args),
        Some(Command::Letters(args)) => letters::run(&ctx, args),
        Some(Command::Migrate(args)) => migrate::run(&ctx, args),
        Some(Command::Reassign(args)) => reassign::run(&ctx, args),
        None => workstation::run(&ctx, cli.demo),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            errln!("caseload: {}", said_once(&e));
            if e.is::<NotFound>() {
                ExitCode::from(import::UNREADABLE)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
