//! One account opened: its record, its case history (ledger with running balance interleaved with
//! actions and notes, newest first), its notes and its current plan.
//!
//! History is read as a window of the newest rows from each source, so opening an account with ten
//! years of weekly entries costs the same as opening a new one; scrolling further asks for more.

use super::assessments::AssessmentRecord;
use super::calls::PromiseRecord;
use super::drafts::Others;
use super::engine::{Columns as _, Db, Optional as _};
use super::plan_monitor::PlanStanding;
use super::plans::{CURRENT_PLAN_ORDER, PLAN_SELECT, plan_record};
use super::recovery::{CORRECTED, ClaimRecord, CourtEventRecord, NoticeRecord, PauseRecord};
use super::sql_types::{Moment, day};
use super::tenancy::TenancyRecord;
use super::{Result, Store};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::contact::CallBack;
use crate::domain::dates;
use crate::domain::ledger::{EntryKind, PaymentMethod};
use crate::domain::plan::{PlanState, PlanTerms};
use crate::domain::promise::Judging;
use crate::domain::recovery::{CourtEvent, CourtEventKind};
use crate::domain::tenancy::DebtType;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryKind {
    Entry {
        kind: EntryKind,
        method: Option<PaymentMethod>,
        /// Effect on the balance.
        amount: Money,
        debt_type: DebtType,
        /// The balance of that sub-account just after this entry.
        running: Money,
    },
    Action {
        kind: ActionKind,
        code: Option<String>,
        /// Taken out of force by a later correction (it stays in the history, struck through).
        corrected: Option<Corrected>,
    },
    Note {
        amends: Option<i64>,
        /// Out of force with the call it was typed in, recorded in error (kept, struck through).
        in_error: Option<Corrected>,
    },
    /// A promise to pay, placed at its date, with what has been paid towards it.
    Promise(PromiseRecord),
    /// A call back the tenant asked for, placed at its time; made once a later call or visit is
    /// recorded.
    CallBack { made: bool },
}

/// How, why, by whom and when a record was corrected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrected {
    /// Replaced by a corrected record (else recorded in error).
    pub replaced: bool,
    pub reason: String,
    pub officer: String,
    pub at: NaiveDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryItem {
    pub id: i64,
    pub at: NaiveDateTime,
    pub officer: Option<String>,
    pub text: String,
    pub kind: HistoryKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRecord {
    pub id: i64,
    pub at: NaiveDateTime,
    pub officer: String,
    pub body: String,
    pub amends: Option<i64>,
    /// Out of force with the call it was typed in, recorded in error (kept, struck through).
    pub in_error: Option<Corrected>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: i64,
    pub terms: PlanTerms,
    /// The court order (outcome) a court plan carries out.
    pub court_order: Option<i64>,
    pub at: NaiveDateTime,
    pub officer: String,
    pub reason: String,
    /// The latest recorded state and the date it took effect.
    pub state: PlanState,
    pub state_on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountDetail {
    pub record: TenancyRecord,
    pub history: Vec<HistoryItem>,
    /// False when older history exists beyond the window read.
    pub history_complete: bool,
    pub notes: Vec<NoteRecord>,
    pub plan: Option<PlanRecord>,
    /// Notices, newest first.
    pub notices: Vec<NoticeRecord>,
    /// Court events in force, newest first.
    pub court: Vec<CourtEventRecord>,
    /// Court dates applied for (claims) in force, newest first.
    pub claims: Vec<ClaimRecord>,
    /// The latest pause or snooze (it may have ended).
    pub pause: Option<PauseRecord>,
    /// Promises to pay, the latest due first.
    pub promises: Vec<PromiseRecord>,
    /// The income and expenditure assessment in force (the latest by date).
    pub assessment: Option<AssessmentRecord>,
    /// Where the active plan stands: only [`Store::account_and_writing`] knows the day to judge it on.
    pub standing: Option<PlanStanding>,
}

impl AccountDetail {
    /// The latest court event of a kind in force (`Outcome`: the latest order), if any.
    pub fn latest_court(&self, kind: CourtEventKind) -> Option<&CourtEvent> {
        self.court.iter().map(|e| &e.event).find(|e| e.kind == kind)
    }
}

impl Store {
    /// Opens a tenancy with the newest `history_window` rows of each history source, its
    /// promises judged as `judging` says.
    pub fn account_detail(
        &self,
        tenancy_id: i64,
        history_window: usize,
        judging: Judging,
    ) -> Result<Option<AccountDetail>> {
        let Some(record) = self.tenancy_record(tenancy_id)? else {
            return Ok(None);
        };
        let mut promises = self.promises(tenancy_id, judging.tolerance_days)?;
        promises.reverse();
        let (history, history_complete) = self.history(
            &record,
            history_window,
            &promise_rows(&promises, judging.today),
        )?;
        Ok(Some(AccountDetail {
            promises,
            history,
            history_complete,
            notes: self.notes(tenancy_id)?,
            plan: self.current_plan(tenancy_id)?,
            notices: self.notices(tenancy_id)?,
            court: self.court_events(tenancy_id)?,
            claims: self.claims(tenancy_id)?,
            pause: self.latest_pause(tenancy_id)?,
            assessment: self.latest_assessment(tenancy_id)?,
            standing: None,
            record,
        }))
    }

    /// An account as the workstation opens it: [`Store::account_detail`] with where its active
    /// plan stands on the day it judges promises on, and the other officers on a call or writing
    /// a note on it now ([`Store::writing_on`], `officer` being this workstation's), read
    /// together: on a server in the same round trip, so that opening an account waits for no
    /// second one to say who else is on it.
    pub fn account_and_writing(
        &self,
        officer: &str,
        tenancy_id: i64,
        history_window: usize,
        judging: Judging,
        plan_tolerance_days: u32,
    ) -> Result<Option<(AccountDetail, Others)>> {
        self.opening(tenancy_id, || {
            let read =
                self.account_standing(tenancy_id, history_window, judging, plan_tolerance_days)?;
            let Some(detail) = read else {
                return Ok(None);
            };
            Ok(Some((detail, self.writing_on(tenancy_id, officer)?)))
        })
    }

    fn account_standing(
        &self,
        tenancy_id: i64,
        history_window: usize,
        judging: Judging,
        plan_tolerance_days: u32,
    ) -> Result<Option<AccountDetail>> {
        let Some(mut detail) = self.account_detail(tenancy_id, history_window, judging)? else {
            return Ok(None);
        };
        detail.standing = self.plan_standing(tenancy_id, judging.today, plan_tolerance_days)?;
        Ok(Some(detail))
    }

    /// Runs the reads of an account opened: on a server, an account's score of reads go
    /// together, in the round trip or two of the last account's (a key moving through the queue
    /// waits for one, not for each).
    fn opening<T>(&self, tenancy_id: i64, read: impl FnOnce() -> Result<T>) -> Result<T> {
        match self.db() {
            Db::Pg(server) => server.like_the_last("account", tenancy_id, read),
            Db::Sqlite(_) => read(),
        }
    }

    fn history(
        &self,
        record: &TenancyRecord,
        window: usize,
        promises: &[HistoryItem],
    ) -> Result<(Vec<HistoryItem>, bool)> {
        let limit = i64::try_from(window).unwrap_or(i64::MAX);
        // Each source read newest-first; `oldest` is how far back a truncated source reaches.
        let mut items = Vec::new();
        let mut cut: Option<NaiveDateTime> = None;
        let mut note_cut = |rows: &[HistoryItem]| {
            if rows.len() == window {
                let oldest = rows.last().map(|r| r.at);
                cut = cut.max(oldest);
            }
        };

        let balances: HashMap<i64, (DebtType, Money)> = record
            .accounts
            .iter()
            .map(|a| (a.id, (a.debt_type, a.summary.balance)))
            .collect();
        // The account named by its tenancy and debt type (the one `balances` holds), so that on
        // a server the read can be sent ahead for the next tenancy (see `account_and_writing`).
        let mut stmt = self.db().prepare_cached(
            "SELECT id, date, kind, method, amount, coalesce(description, '') FROM ledger
             WHERE account_id = (SELECT id FROM accounts WHERE tenancy_id = ?1 AND debt_type = ?2)
             ORDER BY date DESC, id DESC LIMIT ?3",
        )?;
        for &(debt_type, balance) in balances.values() {
            let mut running = balance;
            let rows = stmt
                .query_map(params![record.tenancy_id, debt_type, limit], |r| {
                    let date = day(r, 1)?;
                    let amount: Money = r.get(4)?;
                    Ok((r.get(0)?, date, r.get(2)?, r.get(3)?, amount, r.get(5)?))
                })?
                .map(|row| {
                    row.map(|(id, date, kind, method, amount, text)| {
                        let item = HistoryItem {
                            id,
                            at: date.and_hms_opt(0, 0, 0).expect("midnight exists"),
                            officer: None,
                            text,
                            kind: HistoryKind::Entry {
                                kind,
                                method,
                                amount,
                                debt_type,
                                running,
                            },
                        };
                        running -= amount;
                        item
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            note_cut(&rows);
            items.extend(rows);
        }

        let actions = self
            .db()
            .prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM actions a LEFT JOIN corrections c ON c.action_id = a.id
                 WHERE a.tenancy_id = ?1 ORDER BY a.at DESC, a.id DESC LIMIT ?2"
            ))?
            .query_map(params![record.tenancy_id, limit], |r| action_item(r))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        note_cut(&actions);
        items.extend(actions);

        let notes = self
            .db()
            .prepare_cached(&format!(
                "{NOTE_SELECT} WHERE n.tenancy_id = ?1 ORDER BY n.at DESC, n.id DESC LIMIT ?2"
            ))?
            .query_map(params![record.tenancy_id, limit], |r| {
                let note = note_record(r)?;
                Ok(HistoryItem {
                    id: note.id,
                    at: note.at,
                    officer: Some(note.officer),
                    text: note.body,
                    kind: HistoryKind::Note {
                        amends: note.amends,
                        in_error: note.in_error,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        note_cut(&notes);
        items.extend(notes);
        items.extend_from_slice(promises);
        items.extend(self.call_back_rows(record.tenancy_id)?);

        // Newest first; on the same moment a note or action (typed during the day) sits above the
        // day's ledger entries, which carry a date only.
        items.sort_by(|a, b| {
            b.at.cmp(&a.at)
                .then_with(|| rank(&b.kind).cmp(&rank(&a.kind)))
                .then_with(|| b.id.cmp(&a.id))
        });
        if let Some(cut) = cut {
            items.retain(|item| item.at >= cut);
        }
        Ok((items, cut.is_none()))
    }

    /// The call backs asked for on a tenancy's calls still in force, each at its time, when it
    /// was asked as its text.
    fn call_back_rows(&self, tenancy_id: i64) -> Result<Vec<HistoryItem>> {
        let latest = self
            .db()
            .prepare_cached("SELECT kind, at FROM last_actions WHERE tenancy_id = ?1")?
            .query_map([tenancy_id], |r| {
                let kind: String = r.get(0)?;
                Ok((ActionKind::parse(&kind), r.get::<_, Moment>(1)?.0))
            })?
            .filter_map(|r| match r {
                Ok((Some(kind), at)) => Some(Ok((kind, at))),
                Ok((None, _)) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let rows = self
            .db()
            .prepare_cached(&format!(
                "SELECT c.action_id, a.at, c.call_back FROM contacts c JOIN actions a ON a.id = c.action_id
                 WHERE a.tenancy_id = ?1 AND c.call_back IS NOT NULL AND a.id NOT IN {CORRECTED}"
            ))?
            .query_map([tenancy_id], |r| {
                let asked = r.get::<_, Moment>(1)?.0;
                let at = r.get::<_, Moment>(2)?.0;
                let made = CallBack { asked, at }.made(&latest);
                Ok(HistoryItem {
                    id: r.get(0)?,
                    at,
                    officer: None,
                    text: format!("asked {}", asked.format("%d/%m %H:%M")),
                    kind: HistoryKind::CallBack { made },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The newest `limit` actions of a tenancy, newest first.
    pub fn recent_actions(&self, tenancy_id: i64, limit: usize) -> Result<Vec<HistoryItem>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.db().prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM actions a LEFT JOIN corrections c ON c.action_id = a.id
             WHERE a.tenancy_id = ?1 ORDER BY a.at DESC, a.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![tenancy_id, limit], |r| action_item(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every note of a tenancy, newest first.
    pub fn notes(&self, tenancy_id: i64) -> Result<Vec<NoteRecord>> {
        let mut stmt = self.db().prepare_cached(&format!(
            "{NOTE_SELECT} WHERE n.tenancy_id = ?1 ORDER BY n.at DESC, n.id DESC"
        ))?;
        let rows = stmt.query_map([tenancy_id], |r| note_record(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current plan version of a tenancy (the one agreed last) with its latest state.
    pub fn current_plan(&self, tenancy_id: i64) -> Result<Option<PlanRecord>> {
        self.db()
            .prepare_cached(&format!(
                "{PLAN_SELECT} WHERE p.tenancy_id = ?1 ORDER BY {CURRENT_PLAN_ORDER} LIMIT 1"
            ))?
            .query_row([tenancy_id], |r| plan_record(r))
            .optional()
    }
}

/// Promises as history rows, each at the end of the day it falls due (above that day's
/// payments): every one due by today, and of those still to come only the next of each series,
/// with how many more follow.
fn promise_rows(promises: &[PromiseRecord], today: NaiveDate) -> Vec<HistoryItem> {
    let row = |p: &PromiseRecord, text: String| HistoryItem {
        id: p.id,
        at: p
            .promise
            .due
            .and_hms_opt(23, 59, 59)
            .expect("the last second of a day exists"),
        officer: None,
        text,
        kind: HistoryKind::Promise(p.clone()),
    };
    let mut rows: Vec<HistoryItem> = promises
        .iter()
        .filter(|p| p.promise.due <= today)
        .map(|p| row(p, String::new()))
        .collect();
    let mut series: Vec<i64> = promises.iter().map(|p| p.series).collect();
    series.sort_unstable();
    series.dedup();
    for id in series {
        // `promises` runs latest first, so the series' next promise is its last one still to come.
        let ahead: Vec<&PromiseRecord> = promises
            .iter()
            .filter(|p| p.series == id && p.promise.due > today)
            .collect();
        if let Some((next, later)) = ahead.split_last() {
            let more = match later.first() {
                Some(last) => format!(
                    "then {} more to {}",
                    later.len(),
                    dates::uk(last.promise.due)
                ),
                None => String::new(),
            };
            rows.push(row(next, more));
        }
    }
    rows
}

/// A note, and the correction of the call it was typed in when that call was recorded in error
/// (a call replaced keeps its note in force: the replacement is the same call).
const NOTE_SELECT: &str = "SELECT n.id, n.at, n.officer, n.body, n.amends,
            c.kind, c.reason, c.officer, c.at
     FROM notes n LEFT JOIN corrections c ON c.action_id = n.action_id AND c.kind = 'error'";

fn note_record(r: &impl super::engine::Columns) -> rusqlite::Result<NoteRecord> {
    Ok(NoteRecord {
        id: r.get(0)?,
        at: r.get::<_, Moment>(1)?.0,
        officer: r.get(2)?,
        body: r.get(3)?,
        amends: r.get(4)?,
        in_error: correction(r, 5)?,
    })
}

/// The correction read from `kind, reason, officer, at` starting at column `from`, if any.
fn correction(r: &impl super::engine::Columns, from: usize) -> rusqlite::Result<Option<Corrected>> {
    let how: Option<String> = r.get(from)?;
    how.map(|how| {
        Ok(Corrected {
            replaced: how == "replaced",
            reason: r.get(from + 1)?,
            officer: r.get(from + 2)?,
            at: r.get::<_, Moment>(from + 3)?.0,
        })
    })
    .transpose()
}

/// Reads `id, at, kind, code, officer, summary` of an action.
/// An action and its correction, if it has one, as [`action_item`] reads them.
const ACTION_COLUMNS: &str =
    "a.id, a.at, a.kind, a.code, a.officer, a.summary, c.kind, c.reason, c.officer, c.at";

fn action_item(r: &impl super::engine::Columns) -> rusqlite::Result<HistoryItem> {
    let kind: String = r.get(2)?;
    let corrected = correction(r, 6)?;
    Ok(HistoryItem {
        id: r.get(0)?,
        at: r.get::<_, Moment>(1)?.0,
        officer: Some(r.get(4)?),
        text: r.get(5)?,
        kind: HistoryKind::Action {
            kind: ActionKind::parse(&kind).unwrap_or(ActionKind::Other),
            code: r.get(3)?,
            corrected,
        },
    })
}

fn rank(kind: &HistoryKind) -> u8 {
    match kind {
        HistoryKind::Entry { .. } => 0,
        HistoryKind::Action { .. } => 1,
        HistoryKind::Note { .. } => 2,
        HistoryKind::Promise(_) | HistoryKind::CallBack { .. } => 3,
    }
}
