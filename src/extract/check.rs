//! Checking the files an import holds in memory (tenancies, tenants, accounts and plans: a few
//! rows per tenancy, however long its history) against themselves and against the database, read
//! inside the import's own transaction: duplicate ids, references to tenancies and accounts that
//! exist (in the file or already held), tenants numbered in order, and each row against the row
//! held under the same id. The outcome is the changes to write, counted per file.

use super::records::{AccountRow, Difference, PlanRow, Sourced, TenantRow, Verdict, differences};
use super::report::{Counts, Problem, Problems, changed_row, unknown_account, unknown_tenancy};
use super::{ACCOUNTS, FileSpec, TENANCIES, TENANTS};
use crate::domain::plan::PlanState;
use crate::domain::tenancy::{DebtType, TenancyDetails};
use crate::store::{Held, Holdings, Result, Writer};
use chrono::NaiveDate;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// A mutable record that changed, with each changed field.
pub(super) struct Update<T> {
    pub id: i64,
    pub record: T,
    pub changes: Vec<Difference>,
}

/// What an import writes of these files: new rows and updates, plus the row ids of what is
/// already held, to resolve references.
#[derive(Default)]
pub(super) struct Changes {
    pub tenancy_ids: HashMap<String, i64>,
    pub account_ids: HashMap<String, i64>,
    pub tenancies: Vec<(u64, TenancyDetails)>,
    pub tenancy_updates: Vec<Update<TenancyDetails>>,
    /// In position order within each tenancy.
    pub tenants: Vec<(u64, TenantRow)>,
    /// Keyed by the tenant's row id; `record` holds their tenancy's row id and position.
    pub tenant_updates: Vec<Update<(i64, TenantRow)>>,
    pub accounts: Vec<(u64, AccountRow)>,
    /// Accounts opened in caseload that the extract now names: (row id, source id).
    pub account_names: Vec<(i64, String)>,
    pub plans: Vec<(u64, PlanRow)>,
    /// Held plans whose reported status changed: (plan row id, status, date).
    pub plan_states: Vec<(i64, PlanState, NaiveDate)>,
}

fn problem(
    problems: &mut Problems,
    spec: &FileSpec,
    line: u64,
    column: &'static str,
    message: String,
) {
    problems.push(Problem {
        file: spec.name,
        line,
        column: Some(column),
        message,
    });
}

/// Tenancies by reference: new, unchanged, or updated field by field. Returns every reference
/// known afterwards.
pub(super) fn tenancies(
    w: &Writer<'_>,
    rows: Vec<(u64, TenancyDetails)>,
    changes: &mut Changes,
    problems: &mut Problems,
) -> Result<(HashSet<String>, Counts)> {
    let mut held: HashMap<String, (i64, TenancyDetails)> = w
        .held_tenancies()?
        .into_iter()
        .map(|(id, t)| (t.reference.clone(), (id, t)))
        .collect();
    let mut known: HashSet<String> = held.keys().cloned().collect();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut counts = Counts::default();
    for (line, row) in rows {
        if let Some(first) = seen.insert(row.reference.clone(), line) {
            problem(
                problems,
                &TENANCIES,
                line,
                "ref",
                format!(
                    "tenancy {} appears twice (first on line {first})",
                    row.reference
                ),
            );
            continue;
        }
        known.insert(row.reference.clone());
        match held.get(&row.reference) {
            Some((_, old)) if *old == row => counts.unchanged += 1,
            Some((id, old)) => {
                counts.updated += 1;
                changes.tenancy_updates.push(Update {
                    id: *id,
                    changes: differences(old, &row),
                    record: row,
                });
            }
            None => {
                counts.new += 1;
                changes.tenancies.push((line, row));
            }
        }
    }
    changes.tenancy_ids = held.drain().map(|(r, (id, _))| (r, id)).collect();
    Ok((known, counts))
}

/// Tenants by tenancy and position; new tenants must continue their tenancy's numbering.
pub(super) fn tenants(
    w: &Writer<'_>,
    rows: Vec<(u64, TenantRow)>,
    tenancies: &HashSet<String>,
    changes: &mut Changes,
    problems: &mut Problems,
) -> Result<Counts> {
    let held = w.held_tenants()?;
    let mut last_held: HashMap<&str, u32> = HashMap::new();
    let mut by_key: HashMap<(&str, u32), usize> = HashMap::new();
    for (i, t) in held.iter().enumerate() {
        let position = t.row.position.unwrap_or(0);
        let last = last_held.entry(t.row.tenancy.as_str()).or_default();
        *last = (*last).max(position);
        by_key.insert((t.row.tenancy.as_str(), position), i);
    }
    let mut listed: HashMap<String, u32> = HashMap::new();
    let mut seen: HashMap<(String, u32), u64> = HashMap::new();
    let mut counts = Counts::default();
    let mut new = Vec::new();
    for (line, mut row) in rows {
        if !tenancies.contains(&row.tenancy) {
            problem(
                problems,
                &TENANTS,
                line,
                "tenancy",
                unknown_tenancy(&row.tenancy),
            );
            continue;
        }
        let listed = listed.entry(row.tenancy.clone()).or_default();
        *listed += 1;
        let position = *row.position.get_or_insert(*listed);
        if let Some(first) = seen.insert((row.tenancy.clone(), position), line) {
            problem(
                problems,
                &TENANTS,
                line,
                "position",
                format!(
                    "tenant {position} of {} appears twice (first on line {first})",
                    row.tenancy
                ),
            );
            continue;
        }
        match by_key
            .get(&(row.tenancy.as_str(), position))
            .map(|&i| &held[i])
        {
            Some(h) if h.row == row => counts.unchanged += 1,
            Some(h) => {
                counts.updated += 1;
                changes.tenant_updates.push(Update {
                    id: h.id,
                    changes: differences(&h.row, &row),
                    record: (h.tenancy_id, row),
                });
            }
            None => {
                counts.new += 1;
                new.push((line, row));
            }
        }
    }
    new.sort_by(|(_, a), (_, b)| (&a.tenancy, a.position).cmp(&(&b.tenancy, b.position)));
    let mut next: HashMap<&str, u32> = HashMap::new();
    for (line, row) in &new {
        let expected = next
            .entry(row.tenancy.as_str())
            .or_insert_with(|| last_held.get(row.tenancy.as_str()).copied().unwrap_or(0) + 1);
        let position = row.position.unwrap_or(0);
        if position != *expected {
            problem(
                problems,
                &TENANTS,
                *line,
                "position",
                format!(
                    "tenant {position} of {} would follow tenant {}: positions run 1, 2, 3… \
                     with no gaps",
                    row.tenancy,
                    *expected - 1
                ),
            );
        }
        *expected = position + 1;
    }
    changes.tenants = new;
    Ok(counts)
}

/// Accounts by source id. An account opened in caseload (no source id) for the same tenancy and
/// debt type takes the extract's id. Returns every account known afterwards, by id.
pub(super) fn accounts(
    w: &Writer<'_>,
    rows: Vec<(u64, AccountRow)>,
    tenancies: &HashSet<String>,
    changes: &mut Changes,
    problems: &mut Problems,
) -> Result<(HashMap<String, AccountRow>, Counts)> {
    let held = w.held_accounts()?;
    let by_id: HashMap<&str, usize> = held
        .iter()
        .enumerate()
        .map(|(i, a)| (a.row.id.as_str(), i))
        .collect();
    let by_debt: HashMap<(&str, DebtType), usize> = held
        .iter()
        .enumerate()
        .map(|(i, a)| ((a.row.tenancy.as_str(), a.row.debt_type), i))
        .collect();
    let mut known: HashMap<String, AccountRow> = held
        .iter()
        .map(|a| (a.row.id.clone(), a.row.clone()))
        .collect();
    let mut in_file: HashMap<(String, DebtType), (String, u64)> = HashMap::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut counts = Counts::default();
    let mut report = |line, column, message| problem(problems, &ACCOUNTS, line, column, message);
    for (line, row) in rows {
        if let Some(first) = seen.insert(row.id.clone(), line) {
            report(
                line,
                "id",
                format!("account {} appears twice (first on line {first})", row.id),
            );
            continue;
        }
        // Rows that refer to this account are checked against it even if it is itself refused.
        known.entry(row.id.clone()).or_insert_with(|| row.clone());
        if !tenancies.contains(&row.tenancy) {
            report(line, "tenancy", unknown_tenancy(&row.tenancy));
            continue;
        }
        match in_file.entry((row.tenancy.clone(), row.debt_type)) {
            Entry::Occupied(other) => {
                let (id, first) = other.get();
                report(
                    line,
                    "type",
                    format!(
                        "tenancy {} has two {} accounts: {id} (line {first}) and {}",
                        row.tenancy,
                        row.debt_type.as_str(),
                        row.id
                    ),
                );
                continue;
            }
            Entry::Vacant(v) => {
                v.insert((row.id.clone(), line));
            }
        }
        let same_id = by_id.get(row.id.as_str()).map(|&i| &held[i]);
        let same_debt = by_debt
            .get(&(row.tenancy.as_str(), row.debt_type))
            .map(|&i| &held[i]);
        match (same_id, same_debt) {
            (Some(h), _) if h.row == row => counts.unchanged += 1,
            (Some(h), _) => report(
                line,
                "id",
                format!(
                    "account {} is held as the {} account of tenancy {}",
                    row.id,
                    h.row.debt_type.as_str(),
                    h.row.tenancy
                ),
            ),
            (None, Some(h)) if h.sourced => report(
                line,
                "id",
                format!(
                    "tenancy {} already has a {} account, numbered {}",
                    row.tenancy,
                    row.debt_type.as_str(),
                    h.row.id
                ),
            ),
            (None, Some(h)) => {
                counts.updated += 1;
                known.remove(&h.row.id);
                changes.account_names.push((h.id, row.id.clone()));
                changes.account_ids.insert(row.id.clone(), h.id);
                known.insert(row.id.clone(), row);
            }
            (None, None) => {
                counts.new += 1;
                known.insert(row.id.clone(), row.clone());
                changes.accounts.push((line, row));
            }
        }
    }
    changes
        .account_ids
        .extend(held.into_iter().map(|a| (a.row.id, a.id)));
    Ok((known, counts))
}

/// Append-only rows sorted against what is held under the same ids.
struct Sorted<R> {
    new: Vec<(u64, R)>,
    /// Held rows whose state changed (plans): (row id, the row as it now is).
    updates: Vec<(i64, R)>,
    counts: Counts,
}

#[derive(Clone, Copy)]
enum State {
    New,
    Same,
    Update(i64),
    /// Refers to something unknown, or repeats an id: reported, not written.
    Bad,
}

/// Finds duplicate ids and bad references (`refers` names the column and problem), then reads
/// the held rows with source ids once, comparing each with the file's row of that id.
fn reconcile<R: Sourced + Held>(
    w: &Writer<'_>,
    rows: Vec<(u64, R)>,
    problems: &mut Problems,
    mut refers: impl FnMut(&R) -> Option<(&'static str, String)>,
) -> Result<Sorted<R>> {
    let spec = R::SPEC;
    let mut state = vec![State::New; rows.len()];
    {
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(rows.len());
        for (i, (line, row)) in rows.iter().enumerate() {
            if let Some((column, message)) = refers(row) {
                problem(problems, spec, *line, column, message);
                state[i] = State::Bad;
            }
            match index.entry(row.id()) {
                Entry::Occupied(first) => {
                    problem(
                        problems,
                        spec,
                        *line,
                        "id",
                        format!(
                            "id `{}` appears twice (first on line {})",
                            row.id(),
                            rows[*first.get()].0
                        ),
                    );
                    state[i] = State::Bad;
                }
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        if !index.is_empty() {
            w.each::<R>(false, |row_id, held| {
                let Some(&i) = index.get(held.id()) else {
                    return Ok(());
                };
                let (line, row) = &rows[i];
                if matches!(state[i], State::Bad) {
                    return Ok(());
                }
                // A row recorded in caseload, exported and read back: what may change on it
                // (a plan's state) is caseload's own to judge, not the file's to report.
                let own = crate::store::local_row(held.id()) == Some(row_id);
                match row.verdict(&held) {
                    Verdict::Same => state[i] = State::Same,
                    Verdict::Update if own => state[i] = State::Same,
                    Verdict::Update => state[i] = State::Update(row_id),
                    Verdict::Conflict(d) => {
                        problem(problems, spec, *line, d.column, changed_row(row.id(), &d));
                        state[i] = State::Bad;
                    }
                }
                Ok(())
            })?;
        }
    }
    let mut sorted = Sorted {
        new: Vec::new(),
        updates: Vec::new(),
        counts: Counts::default(),
    };
    // A first load is all new: keep its rows where they are rather than move a million of them.
    if state.iter().all(|s| matches!(s, State::New)) {
        sorted.counts.new = rows.len() as u64;
        sorted.new = rows;
        return Ok(sorted);
    }
    for ((line, row), state) in rows.into_iter().zip(state) {
        match state {
            State::New => {
                sorted.counts.new += 1;
                sorted.new.push((line, row));
            }
            State::Same | State::Bad => sorted.counts.unchanged += 1,
            State::Update(id) => {
                sorted.counts.updated += 1;
                sorted.updates.push((id, row));
            }
        }
    }
    Ok(sorted)
}

/// Plans: each names a tenancy and an account of it (its rent account when it names none).
#[allow(clippy::too_many_arguments)]
pub(super) fn plans(
    w: &Writer<'_>,
    rows: Vec<(u64, PlanRow)>,
    tenancies: &HashSet<String>,
    accounts: &HashMap<String, AccountRow>,
    unreadable_accounts: &HashSet<String>,
    today: NaiveDate,
    changes: &mut Changes,
    problems: &mut Problems,
) -> Result<Counts> {
    // A plan without an account is on its tenancy's rent account: name it, so it compares with
    // the plan as held.
    let rent_accounts: HashMap<&str, &str> = accounts
        .iter()
        .filter(|(_, a)| a.debt_type == DebtType::Rent)
        .map(|(id, a)| (a.tenancy.as_str(), id.as_str()))
        .collect();
    let rows = rows
        .into_iter()
        .map(|(line, mut plan)| {
            if plan.account.is_none() {
                plan.account = rent_accounts
                    .get(plan.tenancy.as_str())
                    .map(|id| (*id).to_string());
            }
            (line, plan)
        })
        .collect();
    let sorted = reconcile(w, rows, problems, |p| {
        let tenancy = p.tenancy.as_str();
        if !tenancies.contains(tenancy) {
            return Some(("tenancy", unknown_tenancy(tenancy)));
        }
        let account = p.account.as_deref()?;
        match accounts.get(account) {
            None if unreadable_accounts.contains(account) => None,
            None => Some(("account", unknown_account(account))),
            Some(a) if a.tenancy != p.tenancy => Some((
                "account",
                format!("account `{account}` belongs to tenancy {}", a.tenancy),
            )),
            Some(_) => None,
        }
    })?;
    changes.plans = sorted.new;
    changes.plan_states = sorted
        .updates
        .into_iter()
        .map(|(id, plan)| (id, plan.status, plan.status_date.unwrap_or(today)))
        .collect();
    Ok(sorted.counts)
}
