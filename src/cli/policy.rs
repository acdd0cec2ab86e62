//! `caseload policy test FILE.json`: run the policy on hand-written cases before a change reaches
//! officers. Exit code 0 when every expectation holds, 1 when one fails, 2 on bad input.

use super::Context;
use crate::domain::policy::fixture;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum PolicyCommand {
    /// Evaluate a JSON array of cases and report each recommendation, rule and reason
    Test {
        /// The cases (fields in docs/policy.md)
        file: PathBuf,
        /// Print the results as JSON
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Context, command: &PolicyCommand) -> anyhow::Result<ExitCode> {
    let PolicyCommand::Test { file, json } = command;
    let bad_input = |message: String| {
        errln!("caseload: {message}");
        Ok(ExitCode::from(2))
    };
    let config = match ctx.config() {
        Ok(config) => config,
        Err(e) => return bad_input(e.to_string()),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return bad_input(format!("cannot read {}: {e}", file.display())),
    };
    let cases = match fixture::parse(&text) {
        Ok(cases) => cases,
        Err(e) => return bad_input(format!("{}: {e}", file.display())),
    };
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in &cases {
        match case.run(&config.policy, &config.codes) {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) => return bad_input(format!("{}: {e}", file.display())),
        }
    }
    let failed = outcomes.iter().filter(|o| o.pass == Some(false)).count();
    if *json {
        super::output::json(&outcomes)?;
    } else {
        for o in &outcomes {
            let expected = [
                o.expected.clone(),
                o.expected_blocker.as_ref().map(|b| format!("[{b}]")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let verdict = match o.pass {
                Some(true) => "pass".to_string(),
                Some(false) => format!("FAIL, expected {expected}"),
                None => "no expectation".to_string(),
            };
            let blocker = o
                .blocker
                .as_ref()
                .map(|b| format!(" [{b}]"))
                .unwrap_or_default();
            outln!(
                "{}: {} (rule {}){blocker}: {} [{verdict}]",
                o.id,
                o.recommendation,
                o.rule,
                o.reason
            );
        }
        let expected = outcomes.iter().filter(|o| o.pass.is_some()).count();
        outln!(
            "{} cases, {} with expectations: {} passed, {failed} failed",
            outcomes.len(),
            expected,
            expected - failed
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
