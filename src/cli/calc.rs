//! `caseload calc plan` and `caseload calc dd`: the plan solver and the Direct Debit calculator
//! on the command line, as text or `--json`. Bad arguments exit with code 2, like clap's own.

use super::Context;
use crate::domain::Money;
use crate::domain::calendar::Calendar;
use crate::domain::dates::{self, iso, uk};
use crate::domain::dd::{self, CollectionDays, DdInput, DdResult};
use crate::domain::plan::Frequency;
use crate::domain::plan_schedule::{ItemKind, Lump, Plan, PlanBasis};
use chrono::NaiveDate;
use clap::{ArgGroup, Subcommand};
use serde_json::{Value, json};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CalcArgs {
    #[command(subcommand)]
    pub command: CalcCommand,
}

#[derive(Subcommand, Debug)]
pub enum CalcCommand {
    /// A payment plan: the end date for an instalment, or the instalment for an end date
    Plan(PlanArgs),
    /// The Direct Debit instalment for the rest of the rent year (uses --today)
    Dd(DdArgs),
}

#[derive(clap::Args, Debug)]
#[command(group(ArgGroup::new("solve").required(true).args(["instalment", "end_date"])))]
pub struct PlanArgs {
    /// What is owed now
    #[arg(long, value_name = "AMOUNT", value_parser = money)]
    pub arrears: Money,
    /// The instalment each period: prints the end date
    #[arg(long, value_name = "AMOUNT", value_parser = money)]
    pub instalment: Option<Money>,
    /// The date to clear the arrears by: prints the instalment needed
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub end_date: Option<NaiveDate>,
    /// weekly, fortnightly, four-weekly, monthly or one-off
    #[arg(long, value_parser = frequency)]
    pub frequency: Frequency,
    /// The first instalment date
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub start: NaiveDate,
    /// A lump sum paid on its own date
    #[arg(long, value_name = "AMOUNT", value_parser = money, requires = "lump_date")]
    pub lump_sum: Option<Money>,
    #[arg(long, value_name = "DATE", value_parser = day, requires = "lump_sum")]
    pub lump_date: Option<NaiveDate>,
    /// How much the debt grows each week while the plan runs (e.g. a benefit shortfall)
    #[arg(long, value_name = "AMOUNT", value_parser = money)]
    pub weekly_growth: Option<Money>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct DdArgs {
    #[arg(long, value_name = "AMOUNT", value_parser = money)]
    pub weekly_rent: Money,
    /// Housing Benefit a week
    #[arg(long, value_name = "AMOUNT", value_parser = money, default_value = "0")]
    pub weekly_hb: Money,
    /// The balance now: arrears, or a credit as a negative amount (e.g. -111)
    #[arg(long, value_name = "AMOUNT", value_parser = money, allow_hyphen_values = true)]
    pub balance: Money,
    /// Days of the month a collection may fall on [default: from the config]
    #[arg(long, value_name = "DAYS", value_delimiter = ',')]
    pub collection_days: Option<Vec<u32>>,
    /// Rent-free weeks still to come in this rent year
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rent_free_weeks: u32,
    #[arg(long)]
    pub json: bool,
}

fn money(s: &str) -> Result<Money, String> {
    Money::parse(s).map_err(|e| e.to_string())
}

fn day(s: &str) -> Result<NaiveDate, String> {
    dates::parse_date(s).map_err(|e| e.to_string())
}

/// `four-weekly`, `four_weekly` and `Four-weekly` all read.
fn frequency(s: &str) -> Result<Frequency, String> {
    let wanted = s.trim().to_lowercase().replace('_', "-");
    Frequency::ALL
        .iter()
        .copied()
        .find(|f| f.label().to_lowercase() == wanted)
        .ok_or_else(|| {
            format!("`{s}` is not a frequency (weekly, fortnightly, four-weekly, monthly, one-off)")
        })
}

pub fn run(ctx: &Context, args: &CalcArgs) -> anyhow::Result<ExitCode> {
    let output = match &args.command {
        CalcCommand::Plan(a) => plan(a),
        CalcCommand::Dd(a) => {
            let plans = ctx.config()?.plans;
            direct_debit(a, ctx.today, &plans)
        }
    };
    Ok(match output {
        Ok(text) => {
            outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            errln!("error: {message}");
            ExitCode::from(2)
        }
    })
}

fn plan(a: &PlanArgs) -> Result<String, String> {
    let basis = PlanBasis {
        arrears: a.arrears,
        frequency: a.frequency,
        start: a.start,
        lump: a
            .lump_sum
            .zip(a.lump_date)
            .map(|(amount, date)| Lump { amount, date }),
        weekly_growth: a.weekly_growth.unwrap_or(Money::ZERO),
    };
    let solved = match (a.instalment, a.end_date) {
        (Some(instalment), _) => basis.solve_instalment(instalment),
        (None, end) => basis.solve_end_date(end.ok_or("give --instalment or --end-date")?),
    };
    let plan = solved.map_err(|e| e.to_string())?;
    Ok(if a.json {
        plan_json(&plan).to_string()
    } else {
        plan_text(&plan)
    })
}

fn plan_text(plan: &Plan) -> String {
    let b = &plan.basis;
    let mut out = format!(
        "{} owed; {} {} from {}\n",
        b.arrears,
        plan.instalment,
        b.frequency.per(),
        uk(b.start)
    );
    if let Some(l) = b.active_lump() {
        out += &format!("Lump sum:     {} on {}\n", l.amount, uk(l.date));
    }
    if b.weekly_growth.is_positive() {
        out += &format!("Growth:       {} a week\n", b.weekly_growth);
    }
    out += &format!(
        "Instalment:   {}\nEnd date:     {} (last instalment)\nInstalments:  {}, the last {}\n\
         Clears by:    {}\n\n{:<16} {:>12} {:>12}\n",
        plan.instalment,
        uk(plan.last_due()),
        plan.count,
        plan.last,
        uk(plan.clear_by()),
        "Due",
        "Payment",
        "Balance"
    );
    for item in plan.schedule() {
        let note = match item.kind {
            ItemKind::LumpSum => "  lump sum",
            ItemKind::Instalment => "",
        };
        out += &format!(
            "{:<16} {:>12} {:>12}{note}\n",
            item.date.format("%a %d/%m/%Y").to_string(),
            item.amount.to_string(),
            item.balance_after.to_string()
        );
    }
    out.trim_end().to_string()
}

fn plan_json(plan: &Plan) -> Value {
    let b = &plan.basis;
    let schedule: Vec<Value> = plan
        .schedule()
        .iter()
        .map(|item| {
            json!({
                "date": iso(item.date),
                "kind": match item.kind {
                    ItemKind::Instalment => "instalment",
                    ItemKind::LumpSum => "lump_sum",
                },
                "amount": item.amount.plain(),
                "balance_after": item.balance_after.plain(),
            })
        })
        .collect();
    json!({
        "arrears": b.arrears.plain(),
        "frequency": b.frequency.as_str(),
        "start": iso(b.start),
        "lump_sum": b.active_lump().map(|l| json!({"amount": l.amount.plain(), "date": iso(l.date)})),
        "weekly_growth": b.weekly_growth.plain(),
        "instalment": plan.instalment.plain(),
        "instalments": plan.count,
        "last_instalment": plan.last.plain(),
        "end_date": iso(plan.last_due()),
        "clear_by": iso(plan.clear_by()),
        "schedule": schedule,
    })
}

fn direct_debit(
    a: &DdArgs,
    today: NaiveDate,
    plans: &crate::config::Plans,
) -> Result<String, String> {
    let collection_days = match &a.collection_days {
        Some(days) => CollectionDays::new(days.clone()).map_err(|e| e.to_string())?,
        None => plans.dd_collection_days.clone(),
    };
    let input = DdInput {
        weekly_rent: a.weekly_rent,
        weekly_hb: a.weekly_hb,
        balance: a.balance,
        today,
        rent_free_weeks: a.rent_free_weeks,
        collection_days,
        notice_working_days: plans.dd_notice_working_days.0,
    };
    let calendar = plans.calendar();
    let r = dd::calculate(&input, &calendar).map_err(|e| e.to_string())?;
    Ok(if a.json {
        dd_json(&input, &r, &calendar).to_string()
    } else {
        dd_text(&input, &r, &calendar)
    })
}

/// Each collection left with its amount and, if the bank will not collect that day, why.
fn collections(r: &DdResult, calendar: &Calendar) -> Vec<(NaiveDate, Money, Option<String>)> {
    let amounts: Vec<Money> = r
        .plan
        .map(|p| p.schedule().iter().map(|i| i.amount).collect())
        .unwrap_or_default();
    r.collections
        .iter()
        .enumerate()
        .map(|(i, &date)| {
            let amount = amounts.get(i).copied().unwrap_or(Money::ZERO);
            (date, amount, calendar.day_off(date).map(|d| d.to_string()))
        })
        .collect()
}

fn dd_text(input: &DdInput, r: &DdResult, calendar: &Calendar) -> String {
    let net = input.weekly_rent - input.weekly_hb;
    let mut out = format!(
        "Direct Debit for the rest of rent year {} ({} weeks), worked out on {}\n\
         Weeks left:        {} (this week included), {} payable\n\
         Rent to pay:       {} a week ({} rent − {} Housing Benefit)\n\
         Balance:           {}\n\
         To collect:        {} = {} × {} + {}\n\
         Notice:            {} working days: a new amount may be collected from {}\n\
         Collection day:    the {} of the month\n",
        r.year.label(),
        r.year.weeks(),
        uk(input.today),
        r.weeks_left,
        r.payable_weeks_left,
        net,
        input.weekly_rent,
        input.weekly_hb,
        input.balance.format_balance(),
        r.to_collect.format_balance(),
        net,
        r.payable_weeks_left,
        input.balance.format_balance(),
        input.notice_working_days,
        uk(r.first_change),
        dates::ordinal(r.collection_day),
    );
    out += &format!(
        "Collections left:  {}, from {} to {}\n",
        r.collections.len(),
        r.collections.first().map_or_else(String::new, |d| uk(*d)),
        r.collections.last().map_or_else(String::new, |d| uk(*d)),
    );
    out += &match &r.plan {
        Some(p) => format!(
            "Instalment:        {} (the last {})\n",
            p.instalment, p.last
        ),
        None => "Instalment:        nothing to collect: the credit covers the rest of the year\n"
            .to_string(),
    };
    out += "\nCollections\n";
    for (date, amount, day_off) in collections(r, calendar) {
        let mark = day_off
            .map(|d| format!("  {d}: collected the next working day"))
            .unwrap_or_default();
        out += &format!(
            "  {:<15} {:>10}{mark}\n",
            date.format("%a %d/%m/%Y").to_string(),
            amount.to_string()
        );
    }
    let e = &r.equivalents;
    out += &format!(
        "\nRent equivalents over {} payable weeks: {} a week, {} a fortnight, {} every four \
         weeks, {} a month\n",
        e.payable_weeks, e.weekly, e.fortnightly, e.four_weekly, e.monthly
    );
    // UC pays for 52 weeks less the rent-free ones, never a 53rd.
    let free = input.rent_free_weeks;
    let weeks = match free {
        0 => "52 weeks ÷ 12".to_string(),
        n => format!("{} weeks ÷ 12: 52 less {n} rent-free", dd::uc_weeks(n)),
    };
    out += &match r.uc_shortfall {
        Some(s) => format!(
            "Universal Credit:  housing costs {} a month ({weeks}) against rent of {} a month \
             over {} weeks: {} a month not covered",
            s.uc_monthly, s.rent_monthly, e.payable_weeks, s.shortfall
        ),
        None => format!(
            "Universal Credit:  housing costs {} a month ({weeks}); no 53rd week this year",
            dd::uc_housing_costs(input.weekly_rent, free)
        ),
    };
    out
}

fn dd_json(input: &DdInput, r: &DdResult, calendar: &Calendar) -> Value {
    let e = &r.equivalents;
    json!({
        "today": iso(input.today),
        "rent_year": r.year.label(),
        "weeks_in_year": r.year.weeks(),
        "weeks_left": r.weeks_left,
        "payable_weeks_left": r.payable_weeks_left,
        "weekly_rent": input.weekly_rent.plain(),
        "weekly_hb": input.weekly_hb.plain(),
        "balance": input.balance.plain(),
        "to_collect": r.to_collect.plain(),
        "notice_working_days": input.notice_working_days,
        "first_change": iso(r.first_change),
        "collection_day": r.collection_day,
        "collections_left": r.collections.len(),
        "instalment": r.plan.map(|p| p.instalment.plain()),
        "last_instalment": r.plan.map(|p| p.last.plain()),
        "collections": collections(r, calendar)
            .into_iter()
            .map(|(date, amount, day_off)| json!({
                "date": iso(date),
                "amount": amount.plain(),
                "day_off": day_off,
            }))
            .collect::<Vec<_>>(),
        "equivalents": {
            "payable_weeks": e.payable_weeks,
            "weekly": e.weekly.plain(),
            "fortnightly": e.fortnightly.plain(),
            "four_weekly": e.four_weekly.plain(),
            "monthly": e.monthly.plain(),
        },
        "universal_credit": {
            "housing_costs_monthly": dd::uc_housing_costs(input.weekly_rent, input.rent_free_weeks).plain(),
            "weeks_counted": dd::uc_weeks(input.rent_free_weeks),
            "rent_monthly_53_weeks": r.uc_shortfall.map(|s| s.rent_monthly.plain()),
            "shortfall_monthly": r.uc_shortfall.map(|s| s.shortfall.plain()),
        },
    })
}
