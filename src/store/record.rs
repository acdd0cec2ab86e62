//! What each recorded thing becomes: its rows, its line in the action log (so the case history
//! shows it) and, for a changed fact of the tenancy, its audit entry. One function for every
//! writer, inside the writer's transaction.

use super::{
    NewAction, NewAssessment, NewContact, NewCourtEvent, NewEntry, NewNote, NewNotice, NewOverride,
    NewPause, NewPlan, PlanVersion, Result, Writer,
};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::uk;
use crate::domain::ledger::EntryKind;
use crate::domain::record::{LIFTED, Record, because};
use crate::domain::recovery::{CourtEventKind, PauseKind};
use crate::domain::tenancy::DebtType;
use chrono::NaiveDateTime;

/// Who recorded a thing and when; `codes` give the landlord's own code for its action line.
#[derive(Clone, Copy, Debug)]
pub struct By<'a> {
    pub officer: &'a str,
    pub at: NaiveDateTime,
    pub codes: &'a CodeMaps,
}

/// What recording a thing wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Its line in the action log (a note on its own has none).
    pub action: Option<i64>,
}

impl Writer<'_> {
    /// Records `record`: its rows, its action line and its audit entries.
    pub fn record(&mut self, record: &Record, by: &By<'_>) -> Result<Recorded> {
        let id = record.tenancy_id();
        let By { officer, at, codes } = *by;
        let log = |w: &mut Writer<'_>, kind: ActionKind, summary: &str| {
            let action = w.append_action(&NewAction {
                tenancy_id: id,
                at,
                kind,
                code: codes.code_for_action(kind),
                officer,
                summary,
                ext_id: None,
            })?;
            Ok(Recorded {
                action: Some(action),
            })
        };
        let pause = |kind, until, reason, comment| NewPause {
            tenancy_id: id,
            kind,
            until,
            reason,
            comment,
            officer,
            at,
            ext_id: None,
        };
        match record {
            Record::Action { kind, summary, .. } => log(self, *kind, summary),
            Record::Override {
                recommendation,
                reason,
                until,
                ..
            } => {
                self.add_override(&NewOverride {
                    tenancy_id: id,
                    recommendation: recommendation.as_str(),
                    rule: Some(recommendation.rule_number()),
                    reason,
                    officer,
                    at,
                })?;
                let why = format!("{} not done: {reason}", recommendation.label());
                self.add_pause(&pause(PauseKind::Snooze, *until, &why, ""))?;
                log(
                    self,
                    ActionKind::Override,
                    &format!("{}: {reason}", recommendation.label()),
                )
            }
            Record::Pause {
                kind,
                until,
                reason,
                comment,
                ..
            } => {
                self.add_pause(&pause(*kind, *until, reason, comment))?;
                let logged = match kind {
                    PauseKind::Snooze => ActionKind::Snooze,
                    PauseKind::Pause => ActionKind::Pause,
                };
                if *kind == PauseKind::Pause && reason == LIFTED {
                    return log(self, logged, "Lifted");
                }
                let line = format!("Until {}{}", uk(*until), because(reason));
                log(self, logged, &line)
            }
            Record::Notice {
                kind,
                served_on,
                grounds,
                amount,
                ..
            } => {
                self.serve_notice(&NewNotice {
                    tenancy_id: id,
                    kind: *kind,
                    served_on: *served_on,
                    grounds,
                    amount: *amount,
                    officer,
                    ext_id: None,
                })?;
                let line = format!("{} served {}: {grounds}", kind.label(), uk(*served_on));
                log(self, ActionKind::NoticeServed, &line)
            }
            Record::Court {
                kind,
                on_date,
                outcome,
                terms,
                costs,
                ..
            } => {
                self.record_court_event(&NewCourtEvent {
                    tenancy_id: id,
                    kind: *kind,
                    on_date: *on_date,
                    outcome: *outcome,
                    code: None,
                    terms,
                    possession_on: None,
                    costs: *costs,
                    officer,
                    ext_id: None,
                })?;
                if let Some(costs) = costs.filter(|c| c.is_positive()) {
                    let account = self.account(id, DebtType::CourtCosts)?;
                    self.append_entry(&NewEntry {
                        account_id: account,
                        date: on_date.unwrap_or(at.date()),
                        kind: EntryKind::Charge,
                        method: None,
                        amount: costs,
                        description: Some("Court costs"),
                        reverses: None,
                        ext_id: None,
                    })?;
                }
                let day = on_date.map(uk).unwrap_or_default();
                match (kind, outcome) {
                    (CourtEventKind::Outcome, Some(o)) => {
                        let line = format!("Hearing {day}: {}{}", o.label(), because(terms));
                        log(self, ActionKind::CourtOutcome, &line)
                    }
                    (CourtEventKind::WarrantApplied, _) => {
                        log(self, ActionKind::WarrantApplied, "Warrant applied for")
                    }
                    (CourtEventKind::Hearing, _) => log(self, ActionKind::Hearing, &day),
                    (_, _) => log(self, ActionKind::EvictionDate, &day),
                }
            }
            Record::BreathingSpace { starts, until, .. } => {
                self.set_breathing_space(id, Some(*until))?;
                let line = format!("From {} to {}", uk(*starts), uk(*until));
                log(self, ActionKind::BreathingSpace, &line)
            }
            Record::Contact(c) => {
                let action = self.save_contact(&NewContact {
                    tenancy_id: id,
                    kind: c.kind,
                    code: codes.code_for_action(c.kind),
                    at: c.started.unwrap_or(at),
                    officer,
                    summary: &c.summary(),
                    party: &c.party,
                    third_party: c.third_party,
                    consent: c.consent,
                    outgoing: c.outgoing,
                    started_at: c.started,
                    seconds: c.seconds,
                    outcome: c.outcome.as_str(),
                    call_back: c.call_back,
                    checklist: &c.checklist,
                    note: &c.note,
                    promises: &c.promises,
                })?;
                Ok(Recorded {
                    action: Some(action),
                })
            }
            Record::Note { body, amends, .. } => {
                self.append_note(&NewNote {
                    tenancy_id: id,
                    at,
                    officer,
                    body,
                    action_id: None,
                    amends: *amends,
                })?;
                self.delete_draft(officer, id)?;
                Ok(Recorded::default())
            }
            Record::Vulnerability {
                category, reason, ..
            } => {
                let label = category.map(|c| c.as_str()).unwrap_or_default();
                self.set_vulnerability(id, category.is_some(), label, reason)?;
                let line = match category {
                    Some(c) => format!("Flagged vulnerable ({}): {reason}", c.label()),
                    None => format!("Vulnerability flag removed: {reason}"),
                };
                log(self, ActionKind::Vulnerability, &line)
            }
            Record::Referral {
                kind,
                made_on,
                status,
                comment,
                ..
            } => {
                self.add_referral(
                    id,
                    kind.as_str(),
                    *made_on,
                    status.as_str(),
                    comment,
                    officer,
                )?;
                let line = format!(
                    "Referral to {} {}{}",
                    kind.label().to_lowercase(),
                    status.label().to_lowercase(),
                    because(comment)
                );
                log(self, ActionKind::Referral, &line)
            }
            Record::PlanVersion {
                account_id,
                plan,
                flagged,
                ..
            } => {
                let basis = &plan.plan.basis;
                let lump = basis.active_lump();
                let saved = self.save_plan_version(&PlanVersion {
                    plan: NewPlan {
                        tenancy_id: id,
                        account_id: *account_id,
                        kind: plan.kind,
                        frequency: basis.frequency,
                        start: basis.start,
                        instalment: plan.plan.instalment,
                        lump_sum: lump.map_or(Money::ZERO, |l| l.amount),
                        lump_date: lump.map(|l| l.date),
                        starting_balance: basis.arrears,
                        method: plan.method,
                        replaces: None,
                        reason: &plan.reason,
                        at,
                        officer,
                        ext_id: None,
                    },
                    weekly_growth: basis.weekly_growth,
                    court_order: plan.court_order,
                })?;
                // Named as the officer knows them (kind and day agreed), never by internal number.
                let replaced = match saved.replaced.as_slice() {
                    [] => String::new(),
                    plans => format!(
                        ", replacing {}",
                        plans
                            .iter()
                            .map(|p| format!(
                                "the {} plan agreed {}",
                                p.kind.label().to_lowercase(),
                                uk(p.agreed_on)
                            ))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                };
                let flag = flagged.map_or(String::new(), |a| format!(" ({})", a.wording()));
                let line = format!(
                    "{}{replaced}{flag}. Why: {}",
                    capitalised(&plan.terms()),
                    plan.reason
                );
                log(self, ActionKind::PlanAgreed, &line)
            }
            Record::CancelPlan {
                plan_id, reason, ..
            } => {
                self.cancel_plan(*plan_id, at.date(), reason)?;
                log(self, ActionKind::PlanCancelled, reason.trim())
            }
            Record::Assessment {
                assessed_on,
                statement,
                note,
                ..
            } => {
                self.add_assessment(&NewAssessment {
                    tenancy_id: id,
                    assessed_on: *assessed_on,
                    statement,
                    note,
                    officer,
                    at,
                })?;
                let t = statement.totals();
                let line = format!(
                    "Assessed {}: income {}, outgoings {}, {} a month left for the plan",
                    uk(*assessed_on),
                    t.income,
                    t.fixed_costs + t.flexible_costs + t.savings + t.other_priority_debts,
                    t.available_for_plan.format_balance()
                );
                log(self, ActionKind::IncomeExpenditure, &line)
            }
        }
    }
}

/// The first letter in capitals, as a line of the history starts.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
