//! What each recorded thing becomes: its line in the action log (so the case history shows it),
//! its rows, each pointing at that line (so a correction of the line takes the whole record out
//! of force), and for a changed fact of the tenancy its audit entry. One function for every
//! writer, inside the writer's transaction.

use super::engine::Columns as _;
use super::recovery::Origin;
use super::{
    NewAction, NewAssessment, NewContact, NewEntry, NewNote, NewOverride, NewPause, NewPlan,
    PlanVersion, Result, StoreError, Writer,
};
use crate::domain::Money;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::uk;
use crate::domain::ledger::EntryKind;
use crate::domain::plan;
use crate::domain::record::{LIFTED, Record, plan_line};
use crate::domain::recovery::PauseKind;
use crate::domain::tenancy::DebtType;
use chrono::NaiveDateTime;
use rusqlite::params;

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
    /// Records `record`: its action line first, then its rows pointing at it, then its audit
    /// entries.
    pub fn record(&mut self, record: &Record, by: &By<'_>) -> Result<Recorded> {
        match record {
            Record::Correct(correction) => return self.correct(correction, by),
            Record::SameContact {
                tenancy_id,
                of,
                promises,
                call_back,
            } => {
                let again = super::calls::ContactAgain {
                    tenancy_id: *tenancy_id,
                    of: *of,
                    promises,
                    call_back: *call_back,
                };
                return Ok(Recorded {
                    action: Some(self.contact_again(&again, by)?),
                });
            }
            _ => {}
        }
        let id = record.tenancy_id();
        let By { officer, at, codes } = *by;
        let action = match (record, record.line()) {
            // A contact writes its action with its details; a note on its own has none.
            (Record::Contact(_), _) | (_, None) => None,
            (_, Some((kind, line))) => {
                let line = self.fuller_line(record)?.unwrap_or(line);
                Some(self.append_action(&NewAction {
                    tenancy_id: id,
                    at: record.when(at),
                    kind,
                    code: codes.code_for_action(kind),
                    officer,
                    summary: &line,
                    ext_id: None,
                })?)
            }
        };
        let from = Origin {
            tenancy_id: id,
            officer,
            action,
            ext_id: None,
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
            action_id: action,
        };
        match record {
            Record::Action { .. } | Record::LetterFailed { .. } => {}
            Record::Letter { sent, .. } => {
                let action = action.ok_or_else(|| {
                    StoreError::Invalid("a letter is recorded with its action line".into())
                })?;
                self.add_letters(id, action, sent)?;
            }
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
                    action_id: action,
                })?;
                let why = format!("{} not done: {reason}", recommendation.label());
                self.add_pause(&pause(PauseKind::Snooze, *until, &why, ""))?;
            }
            Record::Pause {
                kind,
                until,
                reason,
                comment,
                ..
            } => {
                self.add_pause(&pause(*kind, *until, reason, comment))?;
            }
            Record::Lift { kinds, .. } => {
                let yesterday = at.date() - chrono::Days::new(1);
                for kind in kinds {
                    self.add_pause(&pause(*kind, yesterday, LIFTED, ""))?;
                }
            }
            Record::Notice { notice, .. } => {
                self.serve_notice(notice, &from)?;
            }
            Record::Claim { claim, .. } => {
                self.apply_for_court_date(claim, &from)?;
            }
            Record::Court { event, .. } => {
                self.record_court_event(event, &from)?;
                if let Some(costs) = event.costs.filter(|c| c.is_positive()) {
                    let account = self.account(id, DebtType::CourtCosts)?;
                    self.append_entry(&NewEntry {
                        account_id: account,
                        date: event.on_date.unwrap_or(at.date()),
                        kind: EntryKind::Charge,
                        method: None,
                        amount: costs,
                        description: Some("Court costs"),
                        reverses: None,
                        ext_id: None,
                    })?;
                }
            }
            Record::Evicted { on, .. } => self.evicted(id, *on)?,
            Record::BreathingSpace { until, .. } => {
                self.set_breathing_space(id, Some(*until))?;
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
                return Ok(Recorded {
                    action: Some(action),
                });
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
            }
            Record::Vulnerability {
                category, reason, ..
            } => {
                let label = category.map(|c| c.as_str()).unwrap_or_default();
                self.set_vulnerability(id, category.is_some(), label, reason)?;
            }
            Record::Referral {
                kind,
                made_on,
                status,
                comment,
                ..
            } => {
                self.add_referral(kind.as_str(), *made_on, status.as_str(), comment, &from)?;
            }
            Record::PlanVersion {
                account_id, plan, ..
            } => {
                self.save_plan_version(&PlanVersion {
                    plan: NewPlan {
                        tenancy_id: id,
                        account_id: *account_id,
                        terms: plan.plan_terms(),
                        replaces: None,
                        reason: &plan.reason,
                        at,
                        officer,
                        ext_id: None,
                    },
                    weekly_growth: plan.plan.basis.weekly_growth,
                    court_order: plan.court_order,
                    action_id: action,
                })?;
            }
            Record::CancelPlan {
                plan_id, reason, ..
            } => {
                self.cancel_plan(*plan_id, at.date(), reason)?;
            }
            Record::Correct(_) | Record::SameContact { .. } => {}
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
                    action_id: action,
                })?;
            }
        }
        Ok(Recorded { action })
    }

    /// The line of a record whose words depend on what is held: the plans a new version
    /// replaces, named as the officer knows them (kind and day agreed, never an internal number);
    /// what an eviction moves to former tenant arrears.
    fn fuller_line(&mut self, record: &Record) -> Result<Option<String>> {
        Ok(Some(match record {
            Record::PlanVersion {
                tenancy_id,
                plan,
                flagged,
                ..
            } => {
                let active = super::plans::active_plans(self.db(), *tenancy_id)?;
                let replaced = plan::replaced_by(plan.kind, &active)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let named: Vec<String> = active
                    .iter()
                    .filter(|a| replaced.contains(&a.id))
                    .map(|a| {
                        format!(
                            "the {} plan agreed {}",
                            a.kind.label().to_lowercase(),
                            uk(a.agreed_on)
                        )
                    })
                    .collect();
                let replacing = if named.is_empty() {
                    String::new()
                } else {
                    format!(", replacing {}", named.join(" and "))
                };
                plan_line(plan, flagged.as_ref(), &replacing)
            }
            Record::Evicted { tenancy_id, on, .. } => {
                let owed = self.rent_balance(*tenancy_id)?;
                let moved = if owed.is_positive() {
                    format!("; {owed} moved to former tenant arrears")
                } else {
                    String::new()
                };
                format!("{}: the tenancy ended{moved}", uk(*on))
            }
            _ => return Ok(None),
        }))
    }

    fn rent_balance(&mut self, tenancy_id: i64) -> Result<Money> {
        Ok(self
            .db()
            .query_opt(
                "SELECT balance FROM accounts WHERE tenancy_id = ?1 AND debt_type = 'rent'",
                &[&tenancy_id],
                |r| r.get(0),
            )?
            .unwrap_or(Money::ZERO))
    }

    /// An eviction carried out on `on`: the tenancy ends that day, and what is owed on its rent
    /// account moves to former tenant arrears (an adjustment out, and one in).
    fn evicted(&mut self, tenancy_id: i64, on: chrono::NaiveDate) -> Result<()> {
        let ended: Option<Option<String>> = self.db().query_opt(
            "SELECT end_date FROM tenancies WHERE id = ?1",
            &[&tenancy_id],
            |r| r.get(0),
        )?;
        let Some(old_end) = ended else {
            return Err(StoreError::Invalid(format!(
                "tenancy {tenancy_id} does not exist"
            )));
        };
        if let Some(end) = &old_end {
            return Err(StoreError::Invalid(format!(
                "the tenancy already ended on {end}"
            )));
        }
        let new_end = crate::domain::dates::iso(on);
        self.db().execute(
            "UPDATE tenancies SET end_date = ?1 WHERE id = ?2",
            params![new_end, tenancy_id],
        )?;
        self.audit("tenancy", tenancy_id, "end_date", None, Some(&new_end))?;
        let owed = self.rent_balance(tenancy_id)?;
        if owed.is_positive() {
            let rent = self.account(tenancy_id, DebtType::Rent)?;
            let former = self.account(tenancy_id, DebtType::FormerTenant)?;
            for (account, amount, text) in [
                (rent, -owed, "Moved to former tenant arrears at eviction"),
                (
                    former,
                    owed,
                    "Rent arrears at the end of the tenancy (eviction)",
                ),
            ] {
                self.append_entry(&NewEntry {
                    account_id: account,
                    date: on,
                    kind: EntryKind::Adjustment,
                    method: None,
                    amount,
                    description: Some(text),
                    reverses: None,
                    ext_id: None,
                })?;
            }
        }
        Ok(())
    }
}
