//! What a template can use: the case read from the store and the settings, as named fields
//! (docs/letters.md lists them all). A value the case or the config does not have is left out,
//! never written as a blank, and noted as a [`Gap`] with why it is missing: a template that uses
//! it fails, and the failure names the gap.
//!
//! Dates are ISO (`2026-11-23`); a template writes them with the `date` filter, which spells
//! them in the letter's language. Amounts are written as a letter prints them (`£1,234.56`).

use crate::config::{Landlord, LetterSettings, OfficerContact};
use crate::domain::Money;
use crate::domain::arrears;
use crate::domain::breach;
use crate::domain::dates::{iso, sub_months};
use crate::domain::letter::LetterKind;
use crate::domain::plan::PlanState;
use crate::domain::plan_schedule::{Lump, PlanBasis};
use crate::domain::recovery::{CourtEventKind, NoticeKind};
use crate::domain::tenancy::{DebtType, Tenant};
use crate::statement::{self, StatementOptions};
use crate::store::{PlanRecord, Store, TenancyRecord};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// A value a template may need that this case (or the config) does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// As a template names it, e.g. `officer.phone`.
    pub field: String,
    /// Why it is missing, in words that say how to mend it.
    pub why: String,
    /// Missing from the config rather than from the case: every letter lacks it alike.
    pub in_settings: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Fields {
    pub language: &'static str,
    pub today: String,
    /// The day the letter asks the tenant to pay or get in touch by.
    pub reply_by: String,
    pub letter: LetterInfo,
    pub tenancy: TenancyFields,
    /// The addressee: one tenant, or for a joint letter all of them as one.
    pub tenant: Person,
    /// Every tenant, the lead tenant first.
    pub tenants: Vec<Person>,
    /// More than one tenant.
    pub joint: bool,
    /// The account the letter is about (rent; for a former tenant's letter, that debt).
    pub account: AccountFields,
    /// Other debts with something owed: garage, rechargeable repairs...
    pub other_debts: Vec<Debt>,
    /// Everything owed on every debt.
    pub total_owed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<NoticeFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hearing: Option<HearingFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promise: Option<PromiseFields>,
    pub statement: StatementFields,
    pub officer: OfficerFields,
    pub landlord: LandlordFields,
}

#[derive(Clone, Debug, Serialize)]
pub struct LetterInfo {
    pub kind: &'static str,
    pub title: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct TenancyFields {
    pub reference: String,
    pub tenure: &'static str,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// The property's address, a line each, the postcode last.
    pub property: Vec<String>,
    pub weekly_charge: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Person {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub title: String,
    pub first_name: String,
    pub last_name: String,
    /// "Mrs Ada Smith" (joint: "Mrs Ada Smith and Mr Ben Smith").
    pub name: String,
    /// For "Dear …": "Mrs Smith", or "Ada Smith" without a title (joint: both).
    pub salutation: String,
    /// Where their letters go, a line each; left out when there is nowhere to send them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AccountFields {
    /// "rent account", "former tenant arrears account".
    pub name: String,
    /// The balance as a letter says it: "£412.50", or "£12.00 in credit".
    pub balance: String,
    /// What is owed, when anything is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owed: Option<String>,
    /// What is owed in weeks of rent, one decimal place ("4.2").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weeks: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Debt {
    pub name: &'static str,
    pub owed: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanFields {
    /// "informal" or "court".
    pub kind: String,
    pub instalment: String,
    /// "a week", "a month"...
    pub per: &'static str,
    /// "weekly", "monthly"...
    pub frequency: String,
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lump_sum: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lump_date: Option<String>,
    /// The next instalment due on or after today.
    pub next_due: String,
    /// When the arrears clear if every instalment is paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clear_by: Option<String>,
    /// "live" or "breached".
    pub state: String,
    /// How far behind the plan the payments are, when they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub behind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NoticeFields {
    /// "Notice of Seeking Possession" or "Notice under section 8 of the Housing Act 1988".
    pub name: &'static str,
    pub served_on: String,
    pub proceedings_from: String,
    pub lapses: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub grounds: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HearingFields {
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub court: String,
    /// The outcome, once recorded: "Suspended possession order".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub terms: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PromiseFields {
    pub amount: String,
    pub due: String,
    pub made: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StatementFields {
    pub account: String,
    pub from: String,
    pub to: String,
    pub brought_forward: String,
    pub lines: Vec<StatementLine>,
    pub total_debits: String,
    pub total_credits: String,
    pub closing: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct StatementLine {
    pub date: String,
    pub description: String,
    /// Empty when the line is a credit.
    pub debit: String,
    /// Empty when the line is a debit.
    pub credit: String,
    pub balance: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct OfficerFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LandlordFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_hours: Option<String>,
    /// Each way to pay, a line each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_methods: Option<Vec<String>>,
}

/// Everything read for one tenancy's letters.
pub struct Case {
    pub record: TenancyRecord,
    plan: Option<PlanRecord>,
    notice: Option<crate::domain::recovery::Notice>,
    hearing: Option<crate::domain::recovery::CourtEvent>,
    promise: Option<crate::domain::promise::Promise>,
    statement: statement::Statement,
}

/// What the fields are built with besides the case.
pub struct Settings<'a> {
    pub landlord: &'a Landlord,
    pub letters: &'a LetterSettings,
    pub today: NaiveDate,
    /// Who is producing it: the contact when the tenancy names no officer.
    pub officer: &'a str,
    pub breach_tolerance_days: u32,
    pub promise_tolerance_days: u32,
}

impl Case {
    /// Reads what a letter of `kind` needs; `None` if the tenancy does not exist.
    pub fn read(
        store: &Store,
        tenancy_id: i64,
        kind: LetterKind,
        s: &Settings<'_>,
    ) -> Result<Option<Case>, statement::StatementError> {
        let Some(record) = store.tenancy_record(tenancy_id)? else {
            return Ok(None);
        };
        let options = StatementOptions {
            debt_type: debt_of(kind),
            from: Some(sub_months(s.today, s.letters.statement_months.0)),
            to: s.today,
            court: false,
        };
        let Some(statement) = statement::build(store, tenancy_id, &options)? else {
            return Ok(None);
        };
        let plan = store
            .current_plan(tenancy_id)?
            .filter(|p| p.state.is_active());
        let notice = store
            .notices(tenancy_id)?
            .into_iter()
            .next()
            .map(|n| n.notice);
        let court = store.court_events(tenancy_id)?;
        // The hearing ahead, or else the latest one.
        let hearings = court
            .iter()
            .map(|c| &c.event)
            .filter(|e| e.kind == CourtEventKind::Hearing && e.on_date.is_some());
        let hearing = hearings
            .clone()
            .filter(|e| e.on_date >= Some(s.today))
            .min_by_key(|e| e.on_date)
            .or_else(|| hearings.max_by_key(|e| e.on_date))
            .map(|h| {
                let mut h = h.clone();
                // Its outcome, if one is recorded for that day.
                if let Some(o) = court
                    .iter()
                    .map(|c| &c.event)
                    .find(|e| e.kind == CourtEventKind::Outcome && e.on_date == h.on_date)
                {
                    h.outcome = o.outcome;
                    h.terms.clone_from(&o.terms);
                }
                h
            });
        let promise = store
            .promises(tenancy_id, s.promise_tolerance_days)?
            .into_iter()
            .map(|p| p.promise)
            .filter(|p| p.due >= s.today)
            .min_by_key(|p| p.due);
        Ok(Some(Case {
            record,
            plan,
            notice,
            hearing,
            promise,
            statement,
        }))
    }
}

/// The debt a letter of `kind` is about.
fn debt_of(kind: LetterKind) -> DebtType {
    if kind == LetterKind::FormerTenant {
        DebtType::FormerTenant
    } else {
        DebtType::Rent
    }
}

/// "14 Alder Road, Kingsmere" and "KM2 4RT" as lines.
fn lines(address: &str) -> Vec<String> {
    address
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn set(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn salutation(t: &Tenant) -> String {
    if t.title.is_empty() {
        format!("{} {}", t.first_name, t.last_name)
    } else {
        format!("{} {}", t.title, t.last_name)
    }
}

/// "Mrs Smith", "Mrs Smith and Mr Smith", "Mrs Smith, Mr Jones and Ms Cole".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Fields {
    /// The fields of a letter to `to` (tenant positions from 1; several for a joint letter) and
    /// the gaps found on the way.
    pub fn build(
        case: &Case,
        kind: LetterKind,
        to: &[u32],
        language: &'static str,
        s: &Settings<'_>,
    ) -> (Fields, Vec<Gap>) {
        let mut gaps = Vec::new();
        let r = &case.record;
        let current = !r.is_former(s.today);
        let property = {
            let mut l = lines(&r.details.address);
            l.extend(set(&r.details.postcode));
            l
        };
        let people: Vec<Person> = r
            .tenants
            .iter()
            .map(|t| Person {
                title: t.title.clone(),
                first_name: t.first_name.clone(),
                last_name: t.last_name.clone(),
                name: t.full_name(),
                salutation: salutation(t),
                address: match &t.correspondence_address {
                    Some(a) if !lines(a).is_empty() => Some(lines(a)),
                    _ => (current && !property.is_empty()).then(|| property.clone()),
                },
                phone: t.phone.clone(),
                email: t.email.clone(),
            })
            .collect();
        let addressed: Vec<&Person> = to
            .iter()
            .filter_map(|&p| people.get(usize::try_from(p).ok()?.checked_sub(1)?))
            .collect();
        let tenant = match addressed.as_slice() {
            [one] => (*one).clone(),
            many => Person {
                title: String::new(),
                first_name: and_list(
                    &many
                        .iter()
                        .map(|p| p.first_name.clone())
                        .collect::<Vec<_>>(),
                ),
                last_name: and_list(&many.iter().map(|p| p.last_name.clone()).collect::<Vec<_>>()),
                name: and_list(&many.iter().map(|p| p.name.clone()).collect::<Vec<_>>()),
                salutation: and_list(
                    &many
                        .iter()
                        .map(|p| p.salutation.clone())
                        .collect::<Vec<_>>(),
                ),
                // A joint letter goes to the lead tenant's address.
                address: many.first().and_then(|p| p.address.clone()),
                phone: many.first().and_then(|p| p.phone.clone()),
                email: many.first().and_then(|p| p.email.clone()),
            },
        };
        if tenant.address.is_none() {
            gaps.push(Gap {
                field: "tenant.address".into(),
                why: format!(
                    "no correspondence address for {}: {} (add it to the housing system's \
                     tenants.csv, column correspondence_address, and import it)",
                    tenant.name,
                    match r.details.end.filter(|_| !current) {
                        Some(end) => format!(
                            "the tenancy ended on {}, so the property is not one",
                            crate::domain::dates::uk(end)
                        ),
                        None => "none is held, and the property has no address".to_string(),
                    }
                ),
                in_settings: false,
            });
        }
        let debt = debt_of(kind);
        let balance = r
            .accounts
            .iter()
            .find(|a| a.debt_type == debt)
            .map_or(Money::ZERO, |a| a.summary.balance);
        let owed = balance.is_positive().then_some(balance);
        let account = AccountFields {
            name: format!("{} account", debt.label().to_lowercase()),
            balance: if balance.is_negative() {
                format!("{} in credit", balance.abs().format())
            } else {
                balance.format()
            },
            owed: owed.map(Money::format),
            weeks: owed
                .filter(|_| debt == DebtType::Rent)
                .and_then(|o| arrears::weeks(o, r.details.weekly_charge))
                .map(|w| w.to_string()),
        };
        let other_debts = r
            .accounts
            .iter()
            .filter(|a| a.debt_type != debt && a.summary.balance.is_positive())
            .map(|a| Debt {
                name: a.debt_type.label(),
                owed: a.summary.balance.format(),
            })
            .collect();
        let total_owed: Money = r
            .accounts
            .iter()
            .map(|a| a.summary.balance.max(Money::ZERO))
            .sum();
        case_gaps(case, &account, &mut gaps);
        let officer = officer_fields(r, s, &mut gaps);
        let landlord = landlord_fields(s.landlord, &mut gaps);
        let fields = Fields {
            language,
            today: iso(s.today),
            reply_by: iso(s.today + Days::new(u64::from(s.letters.reply_days.0))),
            letter: LetterInfo {
                kind: kind.as_str(),
                title: kind.label(),
            },
            tenancy: TenancyFields {
                reference: r.details.reference.clone(),
                tenure: r.details.tenure.label(),
                start: iso(r.details.start),
                end: r.details.end.map(iso),
                property,
                weekly_charge: r.details.weekly_charge.format(),
            },
            joint: people.len() > 1,
            tenant,
            tenants: people,
            account,
            other_debts,
            total_owed: total_owed.format(),
            plan: case.plan.as_ref().map(|p| plan_fields(p, balance, s)),
            notice: case.notice.as_ref().map(|n| {
                let dates = n.kind.dates(n.served_on);
                NoticeFields {
                    name: match n.kind {
                        NoticeKind::Nosp => "Notice of Seeking Possession",
                        NoticeKind::Section8 => "Notice under section 8 of the Housing Act 1988",
                    },
                    served_on: iso(n.served_on),
                    proceedings_from: iso(dates.proceedings_from),
                    lapses: iso(dates.lapses),
                    grounds: n.grounds.clone(),
                    amount: n.amount.map(Money::format),
                }
            }),
            hearing: case.hearing.as_ref().and_then(|h| {
                Some(HearingFields {
                    date: iso(h.on_date?),
                    time: h.time.map(|t| t.format("%H:%M").to_string()),
                    court: h.court.clone(),
                    outcome: h.outcome.map(|o| o.label()),
                    terms: h.terms.clone(),
                })
            }),
            promise: case.promise.as_ref().map(|p| PromiseFields {
                amount: p.amount.format(),
                due: iso(p.due),
                made: iso(p.made),
            }),
            statement: statement_fields(&case.statement),
            officer,
            landlord,
        };
        (fields, gaps)
    }
}

/// What the case itself lacks that a letter may ask for.
fn case_gaps(case: &Case, account: &AccountFields, gaps: &mut Vec<Gap>) {
    let mut gap = |field: &str, why: String| {
        gaps.push(Gap {
            field: field.into(),
            why,
            in_settings: false,
        });
    };
    if account.owed.is_none() {
        gap(
            "account.owed",
            format!(
                "nothing is owed on the {}: its balance is {}",
                account.name, account.balance
            ),
        );
    } else if account.weeks.is_none() {
        gap(
            "account.weeks",
            "the arrears cannot be put in weeks: the tenancy has no weekly charge".into(),
        );
    }
    if case.plan.is_none() {
        gap("plan.", "the tenancy has no live payment plan".into());
    }
    if case.notice.is_none() {
        gap("notice.", "no notice is on record".into());
    }
    if case.hearing.is_none() {
        gap("hearing.", "no hearing is on record".into());
    }
    if case.promise.is_none() {
        gap(
            "promise.",
            "no promise to pay falls due today or later".into(),
        );
    }
    if case.record.details.end.is_none() {
        gap("tenancy.end", "the tenancy has not ended".into());
    }
}

fn plan_fields(p: &PlanRecord, balance: Money, s: &Settings<'_>) -> PlanFields {
    let t = &p.terms;
    let lump = (t.lump_sum.is_positive())
        .then_some(t.lump_date)
        .flatten()
        .map(|date| Lump {
            amount: t.lump_sum,
            date,
        });
    let basis = PlanBasis {
        arrears: t.starting_balance,
        frequency: t.frequency,
        start: t.start,
        lump,
        weekly_growth: Money::ZERO,
    };
    let due = t.frequency.dues_by(t.start, s.today - Days::new(1));
    let next_due = t.frequency.due_date(t.start, due);
    let standing = breach::check(
        &basis,
        t.instalment,
        balance,
        s.today,
        s.breach_tolerance_days,
    );
    let behind = standing.actual - standing.expected;
    PlanFields {
        kind: t.kind.label().to_lowercase(),
        instalment: t.instalment.format(),
        per: t.frequency.per(),
        frequency: t.frequency.label().to_lowercase(),
        start: iso(t.start),
        lump_sum: lump.map(|l| l.amount.format()),
        lump_date: lump.map(|l| iso(l.date)),
        next_due: iso(next_due),
        clear_by: basis
            .solve_instalment(t.instalment)
            .ok()
            .map(|plan| iso(plan.clear_by())),
        state: if p.state == PlanState::Breached || standing.state == PlanState::Breached {
            "breached".into()
        } else {
            "live".into()
        },
        behind: (standing.state == PlanState::Breached && behind.is_positive())
            .then(|| behind.format()),
        method: t.method.map(|m| m.label()),
    }
}

fn statement_fields(st: &statement::Statement) -> StatementFields {
    let blank = |m: Money| {
        if m.is_zero() {
            String::new()
        } else {
            m.format()
        }
    };
    StatementFields {
        account: st.account_words(),
        from: iso(st.from),
        to: iso(st.to),
        brought_forward: st.brought_forward.format_balance(),
        lines: st
            .lines
            .iter()
            .map(|l| StatementLine {
                date: iso(l.date),
                description: l.description.clone(),
                debit: blank(l.debit),
                credit: blank(l.credit),
                balance: l.balance.format_balance(),
            })
            .collect(),
        total_debits: st.total_debits.format(),
        total_credits: st.total_credits.format(),
        closing: st.closing.format_balance(),
    }
}

/// The tenancy's officer (or else whoever produces the letter), from `[letters.officers]`.
fn officer_fields(r: &TenancyRecord, s: &Settings<'_>, gaps: &mut Vec<Gap>) -> OfficerFields {
    let login = if r.details.officer.trim().is_empty() {
        s.officer
    } else {
        r.details.officer.trim()
    };
    let found = s.letters.officers.get(login);
    let contact = found.cloned().unwrap_or_default();
    let mut field = |name: &str, value: &str| {
        let v = set(value);
        if v.is_none() {
            gaps.push(Gap {
                field: format!("officer.{name}"),
                why: if found.is_some() {
                    format!("no {name} is set for {login} under [letters.officers.{login}] in the config")
                } else {
                    format!(
                        "the officer {login} has no entry under [letters.officers] in the config \
                         (add [letters.officers.{login}] with name, title, phone and email)"
                    )
                },
                in_settings: true,
            });
        }
        v
    };
    let OfficerContact {
        name,
        title,
        phone,
        email,
    } = &contact;
    OfficerFields {
        name: field("name", name),
        title: field("title", title),
        phone: field("phone", phone),
        email: field("email", email),
    }
}

fn landlord_fields(l: &Landlord, gaps: &mut Vec<Gap>) -> LandlordFields {
    let mut field = |name: &str, value: &str| {
        let v = set(value);
        if v.is_none() {
            gaps.push(Gap {
                field: format!("landlord.{name}"),
                why: format!("the landlord's {name} is not set ([landlord] {name} in the config)"),
                in_settings: true,
            });
        }
        v
    };
    LandlordFields {
        name: field("name", &l.name),
        address: field("address", &l.address).map(|a| lines(&a)),
        phone: field("phone", &l.phone),
        email: field("email", &l.email),
        website: field("website", &l.website),
        office_hours: field("office_hours", &l.office_hours),
        payment_methods: {
            let ways: Vec<String> = l.payment_methods.iter().filter_map(|m| set(m)).collect();
            if ways.is_empty() {
                gaps.push(Gap {
                    field: "landlord.payment_methods".into(),
                    why: "no way to pay is set ([landlord] payment_methods in the config)".into(),
                    in_settings: true,
                });
            }
            (!ways.is_empty()).then_some(ways)
        },
    }
}
