//! `caseload account REF`: one tenancy on one screen of text (or as JSON): who, where, every
//! debt, the rent arrears as the policy sees them, the current plan, what the policy recommends
//! next and why, and the latest actions.

use super::Context;
use super::import::UNREADABLE;
use crate::app::queue::QueueItem;
use crate::app::state::Settings;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::arrears;
use crate::domain::dates::{iso, uk, uk_time};
use crate::domain::plan::{Frequency, PlanKind, PlanState};
use crate::domain::tenancy::{DebtType, Tenure};
use crate::store::{HistoryKind, Scope, Store};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct AccountArgs {
    /// The tenancy reference
    pub reference: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// How many of the latest actions are shown.
const LAST_ACTIONS: usize = 5;

/// Opens the database and finds a tenancy; `None` (after saying why) if either is missing.
pub(super) fn open_tenancy(ctx: &Context, reference: &str) -> anyhow::Result<Option<(Store, i64)>> {
    let store = ctx.open_store()?;
    match store.tenancy_by_ref(reference)? {
        Some(id) => Ok(Some((store, id))),
        None => {
            let like = store
                .reference_like(reference)?
                .map(|r| format!(" (references are exact: did you mean {r}?)"))
                .unwrap_or_default();
            errln!("caseload: there is no tenancy {reference}{like}");
            Ok(None)
        }
    }
}

/// Dates in JSON as ISO text.
fn iso_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*d))
}

fn opt_iso_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&iso(*d)),
        None => s.serialize_none(),
    }
}

fn moment<S: serde::Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.format("%Y-%m-%dT%H:%M:%S").to_string())
}

/// Kinds in JSON by their stored names.
macro_rules! by_name {
    ($($f:ident: $t:ty),+) => {$(
        fn $f<S: serde::Serializer>(k: &$t, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(k.as_str())
        }
    )+};
}
by_name!(tenure_name: Tenure, debt_name: DebtType, plan_kind_name: PlanKind,
    frequency_name: Frequency, state_name: PlanState, action_name: ActionKind);

#[derive(Serialize)]
struct AccountView {
    reference: String,
    #[serde(serialize_with = "tenure_name")]
    tenure: Tenure,
    #[serde(serialize_with = "iso_date")]
    start: NaiveDate,
    #[serde(serialize_with = "opt_iso_date")]
    end: Option<NaiveDate>,
    former: bool,
    patch: String,
    officer: String,
    weekly_charge: Money,
    flags: Vec<String>,
    address: String,
    postcode: String,
    tenants: Vec<TenantView>,
    accounts: Vec<DebtView>,
    rent: RentView,
    plan: Option<PlanView>,
    next: NextView,
    last_actions: Vec<ActionView>,
}

/// What the policy recommends today, as the queue shows it.
#[derive(Serialize)]
struct NextView {
    recommendation: &'static str,
    rule: u8,
    stage: &'static str,
    blocker: Option<&'static str>,
    /// A broken promise not chased since, if any, then the policy's reason.
    reason: String,
}

#[derive(Serialize)]
struct TenantView {
    name: String,
    phones: Vec<String>,
    email: Option<String>,
}

#[derive(Serialize)]
struct DebtView {
    #[serde(serialize_with = "debt_name")]
    debt_type: DebtType,
    balance: Money,
    #[serde(serialize_with = "opt_iso_date")]
    last_payment: Option<NaiveDate>,
}

#[derive(Serialize)]
struct RentView {
    balance: Money,
    /// Arrears in weeks of the weekly charge, to one decimal place.
    weeks: Option<String>,
    collectable: Money,
    grace: Money,
    effective: Money,
}

#[derive(Serialize)]
struct PlanView {
    #[serde(serialize_with = "plan_kind_name")]
    kind: PlanKind,
    #[serde(serialize_with = "frequency_name")]
    frequency: Frequency,
    #[serde(serialize_with = "iso_date")]
    start: NaiveDate,
    instalment: Money,
    lump_sum: Money,
    #[serde(serialize_with = "opt_iso_date")]
    lump_date: Option<NaiveDate>,
    starting_balance: Money,
    #[serde(serialize_with = "state_name")]
    state: PlanState,
    #[serde(serialize_with = "iso_date")]
    since: NaiveDate,
    #[serde(skip)]
    agreed: NaiveDate,
}

#[derive(Serialize)]
struct ActionView {
    #[serde(serialize_with = "moment")]
    at: NaiveDateTime,
    #[serde(serialize_with = "action_name")]
    kind: ActionKind,
    code: Option<String>,
    officer: String,
    summary: String,
}

pub fn run(ctx: &Context, args: &AccountArgs) -> anyhow::Result<ExitCode> {
    let config = match ctx.config() {
        Ok(config) => config,
        Err(e) => {
            errln!("caseload: {e}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let Some((store, tenancy_id)) = open_tenancy(ctx, &args.reference)? else {
        return Ok(ExitCode::from(UNREADABLE));
    };
    let view = gather(&store, tenancy_id, &ctx.settings(&config))?.ok_or_else(|| {
        anyhow::anyhow!("tenancy {} disappeared while being read", args.reference)
    })?;
    if args.json {
        super::output::json(&view)?;
    } else {
        super::output::document(&text(&view));
    }
    Ok(ExitCode::SUCCESS)
}

fn gather(
    store: &Store,
    tenancy_id: i64,
    settings: &Settings,
) -> anyhow::Result<Option<AccountView>> {
    let Some(r) = store.tenancy_record(tenancy_id)? else {
        return Ok(None);
    };
    let (judging, today) = (settings.judging(), settings.today);
    let Some(mut facts) = store.queue_facts_of(tenancy_id, judging)? else {
        return Ok(None);
    };
    // Plans as the workstation would judge them today, without recording anything.
    let judged = store.judge_plans(
        today,
        settings.plans.breach_tolerance_days.0,
        Scope::Tenancy(tenancy_id),
    )?;
    facts.judge_plan(&judged, today);
    let item = QueueItem::new(facts, judging, settings.working_days(), &settings.policy);
    let next = NextView {
        recommendation: item.next_label(today),
        rule: item.decision.rule(),
        stage: item.stage.label(),
        blocker: item.decision.blocker.map(|b| b.label()),
        reason: item.why(today),
    };
    let rent = r.rent();
    let position = rent
        .position(r.details.weekly_charge, today)
        .arrears(settings.policy.one_week_grace);
    let plan = store.current_plan(tenancy_id)?.map(|p| PlanView {
        kind: p.terms.kind,
        frequency: p.terms.frequency,
        start: p.terms.start,
        instalment: p.terms.instalment,
        lump_sum: p.terms.lump_sum,
        lump_date: p.terms.lump_date,
        starting_balance: p.terms.starting_balance,
        state: judged.get(&p.id).copied().unwrap_or(p.state),
        since: if judged.contains_key(&p.id) {
            today
        } else {
            p.state_on
        },
        agreed: p.at.date(),
    });
    let last_actions = store
        .recent_actions(tenancy_id, LAST_ACTIONS)?
        .into_iter()
        .filter_map(|item| match item.kind {
            // What is in force: a corrected record is left out.
            HistoryKind::Action {
                kind,
                code,
                corrected: None,
            } => Some(ActionView {
                at: item.at,
                kind,
                code,
                officer: item.officer.unwrap_or_default(),
                summary: item.text,
            }),
            _ => None,
        })
        .collect();
    Ok(Some(AccountView {
        tenure: r.details.tenure,
        start: r.details.start,
        end: r.details.end,
        former: r.is_former(today),
        flags: r.details.flags.words(today),
        tenants: r
            .tenants
            .iter()
            .map(|t| TenantView {
                name: t.full_name(),
                phones: t.phone.iter().chain(&t.phone2).cloned().collect(),
                email: t.email.clone(),
            })
            .collect(),
        accounts: r
            .accounts
            .iter()
            .map(|a| DebtView {
                debt_type: a.debt_type,
                balance: a.summary.balance,
                last_payment: a.summary.last_payment,
            })
            .collect(),
        rent: RentView {
            balance: rent.balance,
            weeks: arrears::weeks(rent.balance, r.details.weekly_charge).map(|w| format!("{w:.1}")),
            collectable: position.collectable,
            grace: position.grace,
            effective: position.effective,
        },
        plan,
        next,
        last_actions,
        reference: r.details.reference,
        patch: r.details.patch,
        officer: r.details.officer,
        weekly_charge: r.details.weekly_charge,
        address: r.details.address,
        postcode: r.details.postcode,
    }))
}

/// The text form, section by section.
fn text(v: &AccountView) -> String {
    let mut out = vec![
        format!(
            "{} · {} tenancy since {}{} · {} · {}",
            v.reference,
            v.tenure,
            uk(v.start),
            v.end
                .map(|e| format!(", ended {}", uk(e)))
                .unwrap_or_default(),
            v.patch,
            v.officer
        ),
        format!("{} {}", v.address, v.postcode),
    ];
    for t in &v.tenants {
        let phones: String = t.phones.iter().map(|p| format!(" · ☎ {p}")).collect();
        let email = t
            .email
            .as_deref()
            .map(|e| format!(" · {e}"))
            .unwrap_or_default();
        out.push(format!("Tenant: {}{phones}{email}", t.name));
    }
    let flags: String = v.flags.iter().map(|f| format!(" · {f}")).collect();
    out.push(format!("Weekly charge {}{flags}", v.weekly_charge));
    out.push("Accounts:".into());
    for a in &v.accounts {
        let paid = a
            .last_payment
            .map(|d| format!("   last paid {}", uk(d)))
            .unwrap_or_default();
        out.push(format!(
            "  {:<24} {:>14}{paid}",
            a.debt_type.label(),
            a.balance.format_balance()
        ));
    }
    let r = &v.rent;
    let weeks = r
        .weeks
        .as_deref()
        .map(|w| format!(" ({w} wks of rent)"))
        .unwrap_or_default();
    out.push(format!(
        "Rent arrears {}{weeks} · collectable {} · effective {} after {} grace",
        r.balance.format_balance(),
        r.collectable.format_balance(),
        r.effective.format_balance(),
        r.grace
    ));
    out.push(match &v.plan {
        Some(p) => {
            let lump = p
                .lump_date
                .map(|d| format!(" + {} on {}", p.lump_sum, uk(d)))
                .unwrap_or_default();
            format!(
                "Plan: {} {} {}{lump} from {} (owed {} when agreed) · {}: {}",
                p.kind,
                p.frequency,
                p.instalment,
                uk(p.start),
                p.starting_balance,
                p.state.label().to_uppercase(),
                p.state.dated(p.since, p.agreed, p.start)
            )
        }
        None => "Plan: none".into(),
    });
    let n = &v.next;
    let blocker = n
        .blocker
        .map(|b| format!(" (held: {b})"))
        .unwrap_or_default();
    out.push(format!(
        "Next: {} · rule {} · stage {}{blocker}",
        n.recommendation, n.rule, n.stage
    ));
    out.push(format!("  {}", n.reason));
    out.push("Last actions:".into());
    if v.last_actions.is_empty() {
        out.push("  none".into());
    }
    for a in &v.last_actions {
        let code = a
            .code
            .as_deref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        out.push(format!(
            "  {}  {}{code}: {} · {}",
            uk_time(a.at),
            a.kind,
            a.summary,
            a.officer
        ));
    }
    out.join("\n") + "\n"
}
