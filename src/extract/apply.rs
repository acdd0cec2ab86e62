//! Writing a checked extract through the store's [`Writer`], the same functions every other write
//! uses: the whole import is one transaction, so a row that still fails here saves nothing.

use super::check::Changes;
use super::records::{
    ActionRow, CourtRow, Difference, NoticeRow, PauseRow, PlanRow, Record, TransactionRow,
};
use crate::domain::ledger;
use crate::domain::tenancy::DebtType;
use crate::extract::FileSpec;
use crate::store::{NewAction, NewEntry, NewPause, NewPlan, Origin, Result, StoreError, Writer};
use std::collections::{HashMap, HashSet};

/// How often the progress callback hears of rows written.
const PROGRESS_EVERY: u64 = 16_384;

/// The row being written, so a failed write is reported as that row's problem.
#[derive(Default)]
pub(super) struct Cursor {
    pub at: Option<(&'static str, u64)>,
    written: u64,
}

impl Cursor {
    fn row(&mut self, spec: &FileSpec, line: u64, progress: &mut impl FnMut(u64)) {
        self.at = Some((spec.name, line));
        self.written += 1;
        if self.written.is_multiple_of(PROGRESS_EVERY) {
            progress(self.written);
        }
    }
}

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

fn unknown(what: &str, id: &str) -> StoreError {
    StoreError::Invalid(format!("unknown {what} `{id}`"))
}

pub(super) fn apply(
    w: &mut Writer<'_>,
    mut c: Changes,
    cursor: &mut Cursor,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    let progress = &mut progress;
    for (line, t) in &c.tenancies {
        cursor.row(&super::TENANCIES, *line, progress);
        let id = w.add_tenancy(t)?;
        c.tenancy_ids.insert(t.reference.clone(), id);
    }
    for u in &c.tenancy_updates {
        w.update_tenancy(u.id, &u.record)?;
        audit(w, "tenancy", u.id, &u.changes)?;
    }
    let tenancy = |c: &Changes, reference: &str| {
        c.tenancy_ids
            .get(reference)
            .copied()
            .ok_or_else(|| unknown("tenancy", reference))
    };
    for (line, t) in &c.tenants {
        cursor.row(&super::TENANTS, *line, progress);
        w.add_tenant(tenancy(&c, &t.tenancy)?, &t.person)?;
    }
    for u in &c.tenant_updates {
        let (tenancy_id, row) = &u.record;
        w.update_tenant(*tenancy_id, row.position.unwrap_or(0), &row.person)?;
        audit(w, "tenant", u.id, &u.changes)?;
    }
    for (line, a) in &c.accounts {
        cursor.row(&super::ACCOUNTS, *line, progress);
        let id = w.account(tenancy(&c, &a.tenancy)?, a.debt_type)?;
        w.name_account(id, &a.id)?;
        c.account_ids.insert(a.id.clone(), id);
    }
    for (id, name) in &c.account_names {
        w.name_account(*id, name)?;
        w.audit("account", *id, "id", None, Some(name))?;
    }
    transactions(w, &c, cursor, progress)?;
    for (line, a) in &c.actions {
        cursor.row(ActionRow::SPEC, *line, progress);
        w.append_action(&NewAction {
            tenancy_id: tenancy(&c, &a.tenancy)?,
            at: a.at,
            kind: a.kind,
            code: Some(&a.code),
            officer: &a.officer,
            summary: &a.comment,
            ext_id: Some(&a.id),
        })?;
    }
    for (line, n) in &c.notices {
        cursor.row(NoticeRow::SPEC, *line, progress);
        w.serve_notice(
            &n.notice,
            &from(tenancy(&c, &n.tenancy)?, &n.officer, &n.id),
        )?;
    }
    for (line, e) in &c.court {
        cursor.row(CourtRow::SPEC, *line, progress);
        w.record_court_event(&e.event, &from(tenancy(&c, &e.tenancy)?, &e.officer, &e.id))?;
    }
    for (line, p) in &c.plans {
        cursor.row(PlanRow::SPEC, *line, progress);
        let tenancy_id = tenancy(&c, &p.tenancy)?;
        let account_id = match &p.account {
            Some(account) => c
                .account_ids
                .get(account)
                .copied()
                .ok_or_else(|| unknown("account", account))?,
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
    for (line, p) in &c.pauses {
        cursor.row(PauseRow::SPEC, *line, progress);
        w.add_pause(&NewPause {
            tenancy_id: tenancy(&c, &p.tenancy)?,
            kind: p.kind,
            until: p.until,
            reason: &p.reason,
            comment: &p.comment,
            officer: &p.officer,
            at: p.at,
            ext_id: Some(&p.id),
            action_id: None,
        })?;
    }
    cursor.at = None;
    Ok(())
}

fn transactions(
    w: &mut Writer<'_>,
    c: &Changes,
    cursor: &mut Cursor,
    progress: &mut impl FnMut(u64),
) -> Result<()> {
    // Only entries that something reverses need their row ids remembered.
    let targets: HashSet<&str> = c
        .transactions
        .iter()
        .filter_map(|(_, t)| t.reverses.as_deref())
        .collect();
    // Entries already held that this load reverses, found while their index is still there.
    let mut written: HashMap<&str, i64> = HashMap::new();
    let new_ids: HashSet<&str> = if targets.is_empty() {
        HashSet::new()
    } else {
        c.transactions.iter().map(|(_, t)| t.id.as_str()).collect()
    };
    for (line, t) in &c.transactions {
        let Some(target) = t.reverses.as_deref().filter(|t| !new_ids.contains(t)) else {
            continue;
        };
        cursor.row(TransactionRow::SPEC, *line, progress);
        let (held, account_id, amount) = w
            .ledger_by_source(target)?
            .ok_or_else(|| unknown("transaction", target))?;
        if c.account_ids.get(&t.account) != Some(&account_id) {
            return Err(StoreError::Invalid(format!(
                "reverses `{target}`, which is on another account"
            )));
        }
        ledger::validate(t.kind, t.amount, Some(amount))
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        written.insert(target, held);
    }
    w.expect_ledger_rows(c.transactions.len())?;
    // Written account by account, in date order (the file's order within a day): each account's
    // index entries then go in side by side instead of all over the index, which makes a large
    // load markedly faster. Reversals come after what they undo, as the file lists them.
    let mut order = Vec::with_capacity(c.transactions.len());
    for (i, (_, t)) in c.transactions.iter().enumerate() {
        let account_id = c
            .account_ids
            .get(&t.account)
            .copied()
            .ok_or_else(|| unknown("account", &t.account))?;
        order.push((account_id, t.date, t.reverses.is_some(), i));
    }
    order.sort_unstable();
    let mut pending = Batch {
        entries: Vec::with_capacity(BATCH),
        targets: &targets,
    };
    for (account_id, _, _, i) in order {
        let (line, t) = &c.transactions[i];
        cursor.row(TransactionRow::SPEC, *line, progress);
        let reverses = match t.reverses.as_deref() {
            None => None,
            Some(target) => {
                // What it undoes may still be waiting in the batch.
                if !written.contains_key(target) {
                    pending.flush(w, &mut written)?;
                }
                Some(
                    written
                        .get(target)
                        .copied()
                        .ok_or_else(|| unknown("transaction", target))?,
                )
            }
        };
        pending.entries.push(NewEntry {
            account_id,
            date: t.date,
            kind: t.kind,
            method: t.method,
            amount: t.amount,
            description: (!t.description.is_empty()).then_some(t.description.as_str()),
            reverses,
            ext_id: Some(&t.id),
        });
        if pending.entries.len() == BATCH {
            pending.flush(w, &mut written)?;
        }
    }
    pending.flush(w, &mut written)
}

/// Ledger entries written together, a batch at a time.
const BATCH: usize = 4_096;

struct Batch<'a> {
    entries: Vec<NewEntry<'a>>,
    /// Ids of entries that something reverses, whose row ids must be remembered.
    targets: &'a HashSet<&'a str>,
}

impl<'a> Batch<'a> {
    fn flush(&mut self, w: &mut Writer<'_>, written: &mut HashMap<&'a str, i64>) -> Result<()> {
        let ids = w.append_entries(&self.entries)?;
        for (e, id) in self.entries.drain(..).zip(ids) {
            if let Some(ext_id) = e.ext_id.filter(|x| self.targets.contains(x)) {
                written.insert(ext_id, id);
            }
        }
        Ok(())
    }
}
