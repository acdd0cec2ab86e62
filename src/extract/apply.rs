//! Writing a checked extract through the store's [`Writer`], the same functions every other write
//! uses, inside the import's one transaction: the files held in memory as a whole (tenancies,
//! tenants, accounts, plans), and one row at a time the append-only files streamed beside the
//! ledger (actions, notices, court events, pauses).

use super::check::Changes;
use super::records::{ActionRow, CourtRow, Difference, NoticeRow, PauseRow};
use crate::domain::recovery::CourtEventKind;
use crate::domain::tenancy::DebtType;
use crate::store::{NewAction, NewPause, NewPlan, Origin, OwnFacts, Result, Writer};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Writes the changed field of a mutable record to the audit trail, old and new value as the
/// transaction read them.
fn audit(w: &mut Writer<'_>, entity: &str, id: i64, changes: &[Difference]) -> Result<()> {
    let text = |s: &str| (!s.is_empty()).then_some(s.to_string());
    changes.iter().try_for_each(|d| {
        w.audit(
            entity,
            id,
            d.column,
            text(&d.held).as_deref(),
            text(&d.now).as_deref(),
        )
    })
}

/// A row of the housing system's extract, as the store records where a row comes from.
fn from<'a>(tenancy_id: i64, officer: &'a str, ext_id: &'a str) -> Origin<'a> {
    Origin {
        tenancy_id,
        officer,
        action: None,
        ext_id: Some(ext_id),
    }
}

/// The row id of a tenancy: `None` for one whose own row could not be read (reported already),
/// whose rows are then not written either.
fn tenancy(c: &Changes, reference: &str) -> Option<i64> {
    c.tenancy_ids.get(reference).copied()
}

/// Tenancies, tenants and accounts; fills in the row ids of the new ones.
pub(super) fn people(w: &mut Writer<'_>, c: &mut Changes) -> Result<()> {
    for (_, t) in &c.tenancies {
        let id = w.add_tenancy(t)?;
        c.tenancy_ids.insert(t.reference.clone(), id);
    }
    for u in &c.tenancy_updates {
        w.update_tenancy(u.id, &u.record)?;
        audit(w, "tenancy", u.id, &u.changes)?;
    }
    for (_, t) in &c.tenants {
        if let Some(id) = tenancy(c, &t.tenancy) {
            w.add_tenant(id, &t.person)?;
        }
    }
    for u in &c.tenant_updates {
        let (tenancy_id, row) = &u.record;
        w.update_tenant(*tenancy_id, row.position.unwrap_or(0), &row.person)?;
        audit(w, "tenant", u.id, &u.changes)?;
    }
    for (_, a) in &c.accounts {
        let Some(tenancy_id) = tenancy(c, &a.tenancy) else {
            continue;
        };
        let id = w.account(tenancy_id, a.debt_type)?;
        w.name_account(id, &a.id)?;
        c.account_ids.insert(a.id.clone(), id);
    }
    for (id, name) in &c.account_names {
        w.name_account(*id, name)?;
        w.audit("account", *id, "id", None, Some(name))?;
    }
    Ok(())
}

/// New plan versions, with the status each reports, and the reported statuses that changed.
pub(super) fn plans(w: &mut Writer<'_>, c: &Changes) -> Result<()> {
    for (_, p) in &c.plans {
        let Some(tenancy_id) = tenancy(c, &p.tenancy) else {
            continue;
        };
        let account_id = match &p.account {
            Some(account) => match c.account_ids.get(account) {
                Some(&id) => id,
                None => continue,
            },
            None => w.account(tenancy_id, DebtType::Rent)?,
        };
        let plan_id = w.add_plan(&NewPlan {
            tenancy_id,
            account_id,
            terms: p.terms,
            replaces: None,
            reason: &p.reason,
            at: p.agreed_at,
            officer: &p.officer,
            ext_id: Some(&p.id),
        })?;
        w.report_plan(plan_id, p.status, p.status_date.unwrap_or(p.terms.start))?;
    }
    for &(plan_id, status, on) in &c.plan_states {
        w.report_plan(plan_id, status, on)?;
    }
    Ok(())
}

/// A row of an append-only file other than the ledger, written as a new row of its tenancy.
pub(super) trait Append {
    fn append(&self, w: &mut Writer<'_>, tenancy_id: i64) -> Result<()>;

    /// The column and date of a step this row says was taken after `today`, if it does (a
    /// hearing or an eviction is a date to come, not a step taken).
    fn after(&self, _today: NaiveDate) -> Option<(&'static str, NaiveDate)> {
        None
    }

    /// Once written: what caseload kept that this row disagrees with, if anything.
    fn kept(
        &self,
        _recorded: &HashMap<String, OwnFacts>,
        _today: NaiveDate,
        _kept: &mut Vec<String>,
    ) {
    }
}

impl Append for ActionRow {
    fn after(&self, today: NaiveDate) -> Option<(&'static str, NaiveDate)> {
        (self.at.date() > today).then_some(("at", self.at.date()))
    }

    fn append(&self, w: &mut Writer<'_>, tenancy_id: i64) -> Result<()> {
        w.append_action(&NewAction {
            tenancy_id,
            at: self.at,
            kind: self.kind,
            code: Some(&self.code),
            officer: &self.officer,
            summary: &self.comment,
            ext_id: Some(&self.id),
        })
        .map(drop)
    }
}

impl Append for NoticeRow {
    fn after(&self, today: NaiveDate) -> Option<(&'static str, NaiveDate)> {
        let served = self.notice.served_on;
        (served > today).then_some(("served_on", served))
    }

    fn append(&self, w: &mut Writer<'_>, tenancy_id: i64) -> Result<()> {
        w.serve_notice(&self.notice, &from(tenancy_id, &self.officer, &self.id))
            .map(drop)
    }
}

impl Append for CourtRow {
    fn after(&self, today: NaiveDate) -> Option<(&'static str, NaiveDate)> {
        let taken = matches!(
            self.event.kind,
            CourtEventKind::Outcome | CourtEventKind::WarrantApplied
        );
        let on = self.event.on_date.filter(|on| taken && *on > today)?;
        Some(("date", on))
    }

    fn append(&self, w: &mut Writer<'_>, tenancy_id: i64) -> Result<()> {
        w.record_court_event(&self.event, &from(tenancy_id, &self.officer, &self.id))
            .map(drop)
    }
}

impl Append for PauseRow {
    fn after(&self, today: NaiveDate) -> Option<(&'static str, NaiveDate)> {
        (self.at.date() > today).then_some(("at", self.at.date()))
    }

    fn kept(&self, recorded: &HashMap<String, OwnFacts>, today: NaiveDate, kept: &mut Vec<String>) {
        super::kept::pause(recorded, self, today, kept);
    }

    fn append(&self, w: &mut Writer<'_>, tenancy_id: i64) -> Result<()> {
        w.add_pause(&NewPause {
            tenancy_id,
            kind: self.kind,
            until: self.until,
            reason: &self.reason,
            comment: &self.comment,
            officer: &self.officer,
            at: self.at,
            ext_id: Some(&self.id),
            action_id: None,
        })
        .map(drop)
    }
}
