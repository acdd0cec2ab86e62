//! `transactions.csv`, streamed: each chunk of rows is checked (its account known, each row
//! against the entry held under its id, a reversal against what it undoes) and written at once,
//! inside the import's one transaction. Memory holds one chunk, whatever the file's size.

use super::import::Run;
use super::records::{Sourced, TransactionRow, Verdict};
use super::report::{Counts, after_today, unknown_account};
use super::stream::Chunk;
use super::{FileSpec, TRANSACTIONS};
use crate::domain::ledger;
use crate::store::{Holdings, NewEntry, Result, StoreError, Target, Writer};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

const SPEC: &FileSpec = &TRANSACTIONS;

/// What the ledger's import keeps from one chunk to the next.
pub(super) struct Ledger {
    /// Whether the ledger held any entry when the import began (from an extract, or recorded in
    /// caseload and exported as `caseload:<row>`): if not, every row is new (a repeated id is
    /// found by the unique index).
    compare: bool,
    /// The unique index of source ids was lifted for a large first load (a repeated id is found
    /// when it is built again): reversals wait for it, the last row id written before each noted
    /// so that one undoing an entry listed after it is still found out.
    lifted: bool,
    deferred: Vec<(u64, TransactionRow, i64, i64)>,
    /// Reversals whose target was not written yet: target id → the reversal's line (a target
    /// listed after its reversal is a problem; one never listed is another).
    awaiting: HashMap<String, u64>,
    /// The import's day: the ledger holds what has happened by then.
    today: NaiveDate,
    pub counts: Counts,
}

/// Reversals awaited at once: past this many, a reversal whose target is not yet written is
/// reported at once as one that names nothing before it.
const AWAITED: usize = 10_000;

impl Ledger {
    pub fn new(w: &mut Writer<'_>, estimate: usize, today: NaiveDate) -> Result<Ledger> {
        let compare = w.holds_any::<TransactionRow>()?;
        // With nothing to compare against, even the index of source ids can wait.
        let lifted = w.expect_ledger_rows(estimate, !compare)?;
        // Each entry is checked in code as it is written; SQLite need not check it again.
        w.checks_in_code(true)?;
        Ok(Ledger {
            compare,
            lifted,
            deferred: Vec::new(),
            awaiting: HashMap::new(),
            today,
            counts: Counts::default(),
        })
    }

    /// Checks and writes one chunk.
    pub fn chunk(
        &mut self,
        w: &mut Writer<'_>,
        run: &mut Run<'_>,
        chunk: &Chunk<TransactionRow>,
    ) -> Result<()> {
        let held = if self.compare {
            let ids: Vec<&str> = chunk.rows.iter().map(|(_, t)| t.id.as_str()).collect();
            w.held_with_ids::<TransactionRow>(&ids)?
                .into_iter()
                .map(|(batch, t)| (t.id.clone(), (batch, t)))
                .collect()
        } else {
            HashMap::new()
        };
        let mut seen: HashSet<&str> = HashSet::new();
        let mut pending = Pending::default();
        for (line, t) in &chunk.rows {
            let line = *line;
            if let Some(reversal) = self.awaiting.remove(&t.id) {
                run.problem(
                    SPEC,
                    reversal,
                    "reverses",
                    format!("reverses `{}`, which is listed after it", t.id),
                );
            }
            let Some(&account_id) = run.accounts.get(&t.account) else {
                if !run.unreadable_accounts.contains(&t.account) {
                    run.problem(SPEC, line, "account", unknown_account(&t.account));
                }
                continue;
            };
            // With the index of source ids lifted, a repeat is found when it is built again.
            if !self.lifted && !seen.insert(&t.id) {
                run.repeated(SPEC, &t.id, Some(line));
                continue;
            }
            match held.get(&t.id) {
                Some((batch, _)) if *batch == w.batch_id() => {
                    run.repeated(SPEC, &t.id, Some(line));
                    continue;
                }
                // Read with its account and what it reverses named as the extract names them.
                Some((_, old)) => {
                    match t.verdict(old) {
                        Verdict::Same | Verdict::Update => self.counts.unchanged += 1,
                        Verdict::Conflict(d) => run.conflict(SPEC, line, &t.id, &d),
                    }
                    continue;
                }
                None => {}
            }
            if t.date > self.today {
                run.problem(SPEC, line, "date", after_today(t.date, self.today));
                continue;
            }
            let reverses = match t.reverses.as_deref() {
                None => None,
                Some(_) if self.lifted => {
                    pending.flush(w, run)?;
                    let mark = w.last_entry_id()?;
                    self.counts.new += 1;
                    self.deferred.push((line, t.clone(), account_id, mark));
                    continue;
                }
                Some(target) => {
                    // What it undoes may be waiting to be written.
                    pending.flush(w, run)?;
                    match w.ledger_target(target)? {
                        Some(found) => {
                            if let Some(message) = mismatch(t, target, account_id, found) {
                                run.problem(SPEC, line, "reverses", message);
                                continue;
                            }
                            Some(found.id)
                        }
                        None => {
                            if self.awaiting.len() < AWAITED {
                                self.awaiting.insert(target.to_string(), line);
                            } else {
                                run.problem(SPEC, line, "reverses", unknown_target(target));
                            }
                            continue;
                        }
                    }
                }
            };
            self.counts.new += 1;
            pending.lines.push(line);
            pending.entries.push(entry(t, account_id, reverses));
        }
        pending.flush(w, run)
    }

    /// After the last chunk: the lifted index of source ids built again (a repeated id is
    /// reported), the reversals that waited for it checked and written, and the reversals whose
    /// target never came reported.
    pub fn finish(self, w: &mut Writer<'_>, run: &mut Run<'_>) -> Result<()> {
        self.finish_entries(w, run)?;
        w.checks_in_code(false)
    }

    fn finish_entries(self, w: &mut Writer<'_>, run: &mut Run<'_>) -> Result<()> {
        for (target, line) in self.awaiting {
            run.problem(SPEC, line, "reverses", unknown_target(&target));
        }
        if !self.lifted {
            return Ok(());
        }
        match w.index_ledger() {
            Err(StoreError::RepeatedIds) => {
                for id in w.repeated_ledger_ids(REPEATS_SHOWN)? {
                    run.repeated(SPEC, &id, None);
                }
                return Ok(());
            }
            other => other?,
        }
        let mut pending = Pending::default();
        for (line, t, account_id, mark) in &self.deferred {
            let target = t.reverses.as_deref().unwrap_or_default();
            let message = match w.ledger_target(target)? {
                Some(found) if found.id > *mark => {
                    format!("reverses `{target}`, which is listed after it")
                }
                Some(found) => match mismatch(t, target, *account_id, found) {
                    Some(message) => message,
                    None => {
                        pending.lines.push(*line);
                        pending.entries.push(entry(t, *account_id, Some(found.id)));
                        continue;
                    }
                },
                None => unknown_target(target),
            };
            run.problem(SPEC, *line, "reverses", message);
        }
        pending.flush(w, run)
    }
}

/// Repeated ids looked for when the index of source ids fails to build again.
const REPEATS_SHOWN: usize = 50;

fn entry(t: &TransactionRow, account_id: i64, reverses: Option<i64>) -> NewEntry<'_> {
    NewEntry {
        account_id,
        date: t.date,
        kind: t.kind,
        method: t.method,
        amount: t.amount,
        description: (!t.description.is_empty()).then_some(t.description.as_str()),
        reverses,
        ext_id: Some(&t.id),
    }
}

fn unknown_target(target: &str) -> String {
    format!("reverses `{target}`, which is neither listed before it nor already held")
}

/// Why a reversal cannot undo `found`, if it cannot: it must be on the same account, dated no
/// earlier, for exactly the opposite amount.
fn mismatch(t: &TransactionRow, target: &str, account_id: i64, found: Target) -> Option<String> {
    if found.account_id != account_id {
        Some(format!("reverses `{target}`, which is on another account"))
    } else if t.date < found.date {
        Some(format!("reverses `{target}`, which is dated after it"))
    } else {
        ledger::validate(t.kind, t.amount, Some(found.amount))
            .err()
            .map(|_| {
                format!(
                    "reverses `{target}` of {}, so its amount must be {}",
                    found.amount, -found.amount
                )
            })
    }
}

/// Entries waiting to be written together, with their lines.
#[derive(Default)]
struct Pending<'a> {
    lines: Vec<u64>,
    entries: Vec<NewEntry<'a>>,
}

impl Pending<'_> {
    /// Writes the entries waiting, in order. A repeated id that the unique index refuses is
    /// found row by row and reported at its line (the counts are put right by the caller's
    /// refusal: nothing is saved).
    fn flush(&mut self, w: &mut Writer<'_>, run: &mut Run<'_>) -> Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        match w.append_entries(&self.entries) {
            Ok(_) => {}
            Err(StoreError::Invalid(_)) => {
                for (line, e) in self.lines.iter().zip(&self.entries) {
                    match w.append_entries(std::slice::from_ref(e)) {
                        Ok(_) => {}
                        Err(StoreError::Invalid(message)) => match e.ext_id {
                            Some(id) if message.contains("already recorded") => {
                                run.repeated(SPEC, id, Some(*line))
                            }
                            _ => run.problem(SPEC, *line, "amount", message),
                        },
                        Err(other) => return Err(other),
                    }
                }
            }
            Err(other) => return Err(other),
        }
        self.lines.clear();
        self.entries.clear();
        Ok(())
    }
}
