//! The store's side of import and export: every record read in the extract's own row types (so
//! what the file says and what is held compare directly), and the updates of mutable records.
//!
//! Rows recorded in caseload itself have no source id; they are given a local one
//! (`caseload:<row>`, and `<ref>:<debt type>` for an account) so an export names every row.

use super::engine::{Columns as _, Db, Row};
use super::sql_types::{Day, Moment, day, opt_day};
use super::write::{TENANT_COLUMNS, with_tenant_values};
use super::{NewPlanEvent, Result, Store, StoreError, Writer};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::contact::VulnerabilityCategory;
use crate::domain::plan::PlanState;
use crate::domain::recovery::{CourtEvent, Notice, PauseKind};
use crate::domain::tenancy::{TenancyDetails, Tenant};
use crate::extract::records::{
    AccountRow, ActionRow, CourtRow, NoticeRow, PauseRow, PlanRow, TenantRow, TransactionRow,
};
use crate::store::NewTenant;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{ToSql, params};
use std::collections::HashMap;

/// The source id of an account (alias `a`, its tenancy `t`).
const ACCOUNT_ID: &str = "coalesce(a.ext_id, t.ref || ':' || a.debt_type)";

/// An account as held: its row id, its tenancy's row id, and its row in the extract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldAccount {
    pub id: i64,
    pub tenancy_id: i64,
    pub row: AccountRow,
    /// False when the id is a local one (the account was opened in caseload, not imported).
    pub sourced: bool,
}

/// A tenant as held: their row id, their tenancy's row id, and their row in the extract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldTenant {
    pub id: i64,
    pub tenancy_id: i64,
    pub row: TenantRow,
}

/// What officers recorded in caseload about one tenancy that an extract may disagree with
/// (docs/import.md, "Who owns what"). Each recording is dated by the day it was saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OwnFacts {
    /// Caseload's breathing space: its end and when it was recorded.
    pub breathing_space: Option<(NaiveDate, Option<NaiveDate>)>,
    /// Caseload's vulnerability flag: its category and when it was recorded.
    pub vulnerability: Option<(Option<VulnerabilityCategory>, Option<NaiveDate>)>,
    /// Caseload's latest pause and snooze: kind, end, when recorded.
    pub pauses: Vec<(PauseKind, NaiveDate, NaiveDateTime)>,
    /// When the current plan was agreed, if it was agreed in caseload.
    pub plan_agreed: Option<NaiveDateTime>,
    /// The officer a coordinator moved the tenancy to in caseload, and when.
    pub officer: Option<(String, Option<NaiveDate>)>,
}

/// A plan from the housing system whose reported status is not its state in caseload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    pub tenancy: String,
    pub plan: String,
    pub state: PlanState,
    pub since: NaiveDate,
    pub reported: PlanState,
}

/// A record type read from its table (alias `x`, with `ext_id`), for [`Store::each`].
pub trait Held: Sized {
    /// The table the rows are in (alias `x` in [`Held::select`]).
    const TABLE: &'static str;
    /// Selects the row id first, then the columns `read` takes from index 1.
    fn select() -> String;
    /// The order rows are read in: the order an import writes them, so that an export of an
    /// import of an export lists them the same way.
    const ORDER: &'static str = "x.id";
    fn read(row: &Row<'_>) -> rusqlite::Result<Self>;
}

mod sealed {
    /// The connection a reader reads through: the store's, or a write's own transaction.
    pub trait Connected {
        fn conn(&self) -> crate::store::engine::Db<'_>;
    }
}

impl sealed::Connected for Store {
    fn conn(&self) -> Db<'_> {
        self.db()
    }
}

impl sealed::Connected for Writer<'_> {
    fn conn(&self) -> Db<'_> {
        self.db()
    }
}

/// What is held, read in the extract's own row types: from the store (an export) or inside a
/// write (an import, which checks against the database as its own transaction sees it).
pub trait Holdings: sealed::Connected {
    /// Every tenancy with its row id, in row order, as the housing system last gave it (flags
    /// and officers recorded in caseload are not part of it).
    fn held_tenancies(&self) -> Result<Vec<(i64, TenancyDetails)>> {
        // The columns of the tenancy select, with the housing system's flags and no category.
        self.conn().query_map(
            "SELECT t.id, t.ref, t.tenure, t.start_date, t.end_date, t.patch, t.ext_officer,
                    t.weekly_charge, t.uc, t.hb, t.ext_vulnerable, t.ext_vulnerability,
                    t.ext_breathing_space_until, t.deceased, t.interpreter, p.address, p.postcode,
                    NULL
             FROM tenancies t JOIN properties p ON p.id = t.property_id ORDER BY t.id",
            &[],
            |r| Ok((r.get(0)?, super::tenancy::details(r)?)),
        )
    }

    /// What officers recorded in caseload, by tenancy reference, for the tenancies with any.
    fn recorded_in_caseload(&self) -> Result<HashMap<String, OwnFacts>> {
        let mut recorded: HashMap<String, OwnFacts> = HashMap::new();
        // The day an officer last set a field: its latest audit entry outside an import.
        let set_on = |field: &str| {
            format!(
                "(SELECT b.at FROM audit a JOIN batches b ON b.id = a.batch_id
                  WHERE a.entity = 'tenancy' AND a.entity_id = t.id AND a.field = '{field}'
                    AND b.source <> 'import' ORDER BY a.id DESC LIMIT 1)"
            )
        };
        let db = self.conn();
        db.each(
            &format!(
                "SELECT t.ref, t.own_breathing_space_until, {}, t.own_vulnerable,
                        t.own_vulnerability_category, {}
                 FROM tenancies t WHERE t.own_breathing_space_until IS NOT NULL OR t.own_vulnerable",
                set_on("breathing_space_until"),
                set_on("vulnerable")
            ),
            &[],
            |r| {
                let entry = recorded.entry(r.get(0)?).or_default();
                entry.breathing_space = opt_day(r, 1)?.map(|until| (until, batch_day(r, 2)));
                if r.get(3)? {
                    let category: Option<String> = r.get(4)?;
                    entry.vulnerability = Some((
                        category.as_deref().and_then(VulnerabilityCategory::parse),
                        batch_day(r, 5),
                    ));
                }
                Ok(())
            },
        )?;
        db.each(
            &format!(
                "SELECT t.ref, t.own_officer, {} FROM tenancies t WHERE t.own_officer IS NOT NULL",
                set_on("officer")
            ),
            &[],
            |r| {
                recorded.entry(r.get(0)?).or_default().officer = Some((r.get(1)?, batch_day(r, 2)));
                Ok(())
            },
        )?;
        db.each(
            "SELECT t.ref, p.kind, p.until, p.at FROM pauses p JOIN tenancies t ON t.id = p.tenancy_id
             WHERE p.id IN (SELECT max(id) FROM pauses WHERE ext_id IS NULL GROUP BY tenancy_id, kind)",
            &[],
            |r| {
                recorded.entry(r.get(0)?).or_default().pauses.push((
                    r.get(1)?,
                    day(r, 2)?,
                    r.get::<_, Moment>(3)?.0,
                ));
                Ok(())
            },
        )?;
        db.each(
            &format!(
                "SELECT t.ref, p.at FROM plans p JOIN tenancies t ON t.id = p.tenancy_id
                 WHERE p.ext_id IS NULL AND p.id IN ({})",
                super::plans::current_plans("")
            ),
            &[],
            |r| {
                recorded.entry(r.get(0)?).or_default().plan_agreed = Some(r.get::<_, Moment>(1)?.0);
                Ok(())
            },
        )?;
        Ok(recorded)
    }

    /// The plans from the housing system whose reported status differs from their state in
    /// caseload, by source id.
    fn plan_disagreements(&self) -> Result<Vec<Disagreement>> {
        self.conn().query_map(
            "SELECT t.ref, p.ext_id, coalesce(e.state, 'live'), coalesce(e.on_date, p.start_date),
                    r.status
             FROM plans p JOIN plan_reports r ON r.plan_id = p.id
             JOIN tenancies t ON t.id = p.tenancy_id
             LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)
             WHERE r.status <> coalesce(e.state, 'live')",
            &[],
            |r| {
                Ok(Disagreement {
                    tenancy: r.get(0)?,
                    plan: r.get(1)?,
                    state: r.get(2)?,
                    since: day(r, 3)?,
                    reported: r.get(4)?,
                })
            },
        )
    }

    /// Every tenant, by tenancy and position.
    fn held_tenants(&self) -> Result<Vec<HeldTenant>> {
        self.conn().query_map(
            "SELECT p.id, p.tenancy_id, t.ref, p.position, p.title, p.first_name, p.last_name, p.phone,
                    p.phone2, p.email, p.date_of_birth, p.contact_preference, p.correspondence_address
             FROM tenants p JOIN tenancies t ON t.id = p.tenancy_id ORDER BY p.tenancy_id, p.position",
            &[],
            |r| {
                Ok(HeldTenant {
                    id: r.get(0)?,
                    tenancy_id: r.get(1)?,
                    row: TenantRow {
                        tenancy: r.get(2)?,
                        position: Some(r.get(3)?),
                        person: NewTenant {
                            tenant: Tenant {
                                title: r.get(4)?,
                                first_name: r.get(5)?,
                                last_name: r.get(6)?,
                                phone: r.get(7)?,
                                phone2: r.get(8)?,
                                email: r.get(9)?,
                                correspondence_address: r.get(12)?,
                            },
                            date_of_birth: opt_day(r, 10)?,
                            contact_preference: r.get(11)?,
                        },
                    },
                })
            },
        )
    }

    /// Every sub-account, in row order.
    fn held_accounts(&self) -> Result<Vec<HeldAccount>> {
        self.conn().query_map(
            &format!(
                "SELECT a.id, a.tenancy_id, {ACCOUNT_ID}, t.ref, a.debt_type, a.ext_id IS NOT NULL
                 FROM accounts a JOIN tenancies t ON t.id = a.tenancy_id ORDER BY a.id"
            ),
            &[],
            |r| {
                Ok(HeldAccount {
                    id: r.get(0)?,
                    tenancy_id: r.get(1)?,
                    row: AccountRow {
                        id: r.get(2)?,
                        tenancy: r.get(3)?,
                        debt_type: r.get(4)?,
                    },
                    sourced: r.get(5)?,
                })
            },
        )
    }

    /// Calls `visit` with each record of a kind and its row id, in row order; with
    /// `sourced_only`, only the records that came with a source id.
    fn each<R: Held>(
        &self,
        sourced_only: bool,
        mut visit: impl FnMut(i64, R) -> Result<()>,
    ) -> Result<()> {
        let filter = if sourced_only {
            "WHERE x.ext_id IS NOT NULL"
        } else {
            ""
        };
        self.conn().each(
            &format!("{} {filter} ORDER BY {}", R::select(), R::ORDER),
            &[],
            |row| visit(row.get(0)?, R::read(row)?),
        )
    }

    /// The rows of a kind held under any of the ids `ids` (a source id, or the local id an
    /// export gave a row recorded in caseload), each with the batch that wrote it (this write's
    /// own batch for a row it wrote itself).
    fn held_with_ids<R: Held>(&self, ids: &[&str]) -> Result<Vec<(i64, R)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let local: Vec<i64> = ids.iter().filter_map(|id| local_row(id)).collect();
        let marks = |n: usize| vec!["?"; n].join(", ");
        let own = if local.is_empty() {
            String::new()
        } else {
            format!(
                " OR (x.ext_id IS NULL AND x.id IN ({}))",
                marks(local.len())
            )
        };
        let sql = format!(
            "SELECT h.*, (SELECT batch_id FROM {table} WHERE id = h.id) FROM ({select}
               WHERE x.ext_id IN ({ids}){own}) h",
            table = R::TABLE,
            select = R::select(),
            ids = marks(ids.len()),
        );
        let params: Vec<&dyn ToSql> = ids
            .iter()
            .map(|id| id as &dyn ToSql)
            .chain(local.iter().map(|n| n as &dyn ToSql))
            .collect();
        self.conn().query_map(&sql, &params, |r| {
            Ok((r.get(r.columns() - 1)?, R::read(r)?))
        })
    }

    /// Whether any row of a kind is held, from an extract or recorded in caseload (so that a new
    /// one may repeat it).
    fn holds_any<R: Held>(&self) -> Result<bool> {
        self.conn().query_one(
            &format!("SELECT EXISTS (SELECT 1 FROM {})", R::TABLE),
            &[],
            |r| r.get(0),
        )
    }

    /// Source ids that more than one ledger entry has (at most `limit` of them).
    fn repeated_ledger_ids(&self, limit: usize) -> Result<Vec<String>> {
        self.conn().query_map(
            "SELECT ext_id FROM ledger WHERE ext_id IS NOT NULL
             GROUP BY ext_id HAVING count(*) > 1 LIMIT ?1",
            &[&(limit as i64)],
            |r| r.get(0),
        )
    }

    /// The row id of the ledger's latest entry (0 when it has none).
    fn last_entry_id(&self) -> Result<i64> {
        self.conn()
            .query_one("SELECT coalesce(max(id), 0) FROM ledger", &[], |r| r.get(0))
    }

    /// The ledger entry recorded under a source id (or, for an entry recorded in caseload, the
    /// local id an export gave it), for a reversal to undo.
    fn ledger_target(&self, ext_id: &str) -> Result<Option<Target>> {
        let target = |sql: &str, id: &dyn ToSql| -> Result<Option<Target>> {
            self.conn().query_opt(sql, &[id], |r| {
                Ok(Target {
                    id: r.get(0)?,
                    account_id: r.get(1)?,
                    amount: r.get(2)?,
                    date: day(r, 3)?,
                })
            })
        };
        const BY_SOURCE: &str = "SELECT id, account_id, amount, date FROM ledger WHERE ext_id = ?1";
        const OWN: &str =
            "SELECT id, account_id, amount, date FROM ledger WHERE id = ?1 AND ext_id IS NULL";
        match target(BY_SOURCE, &ext_id)? {
            None => match local_row(ext_id) {
                Some(row) => target(OWN, &row),
                None => Ok(None),
            },
            found => Ok(found),
        }
    }
}

impl Holdings for Store {}
impl Holdings for Writer<'_> {}

/// A held entry of the ledger that a reversal undoes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: i64,
    pub account_id: i64,
    pub amount: Money,
    pub date: NaiveDate,
}

/// The local day of a batch's UTC time (column `i`), if there is one.
fn batch_day(row: &Row<'_>, i: usize) -> Option<NaiveDate> {
    let at: String = row.get(i).ok()?;
    let utc = chrono::NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%SZ").ok()?;
    Some(utc.and_utc().with_timezone(&chrono::Local).date_naive())
}

/// The source id of the row (alias `x`), or its local one.
const ID: &str = "coalesce(x.ext_id, 'caseload:' || x.id)";

/// The row an export's local id (`caseload:<row>`) names, so that an extract exported from this
/// database finds the rows officers recorded in it already here.
pub fn local_row(id: &str) -> Option<i64> {
    let digits = id.strip_prefix("caseload:")?;
    let row: i64 = digits.parse().ok()?;
    (row > 0 && row.to_string() == digits).then_some(row)
}

impl Held for TransactionRow {
    const TABLE: &'static str = "ledger";
    /// An import writes each account's entries together, in date order.
    const ORDER: &'static str = "x.account_id, x.date, x.id";

    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, {ACCOUNT_ID}, x.date, x.kind, x.method, x.amount,
                    coalesce(x.description, ''),
                    (SELECT coalesce(r.ext_id, 'caseload:' || r.id) FROM ledger r WHERE r.id = x.reverses)
             FROM ledger x JOIN accounts a ON a.id = x.account_id JOIN tenancies t ON t.id = a.tenancy_id"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(TransactionRow {
            id: r.get(1)?,
            account: r.get(2)?,
            date: day(r, 3)?,
            kind: r.get(4)?,
            method: r.get(5)?,
            amount: r.get(6)?,
            description: r.get(7)?,
            reverses: r.get(8)?,
        })
    }
}

impl Held for ActionRow {
    const TABLE: &'static str = "actions";
    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, t.ref, coalesce(x.code, x.kind), x.kind, x.at, x.officer, x.summary
             FROM actions x JOIN tenancies t ON t.id = x.tenancy_id"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        let kind: String = r.get(4)?;
        Ok(ActionRow {
            id: r.get(1)?,
            tenancy: r.get(2)?,
            code: r.get(3)?,
            kind: ActionKind::parse(&kind).unwrap_or(ActionKind::Other),
            at: r.get::<_, Moment>(5)?.0,
            officer: r.get(6)?,
            comment: r.get(7)?,
        })
    }
}

impl Held for NoticeRow {
    const TABLE: &'static str = "notices";
    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, t.ref, x.kind, x.served_on, x.grounds, x.amount, x.officer
             FROM notices x JOIN tenancies t ON t.id = x.tenancy_id"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(NoticeRow {
            id: r.get(1)?,
            tenancy: r.get(2)?,
            notice: Notice {
                kind: r.get(3)?,
                served_on: day(r, 4)?,
                served_how: None,
                grounds: r.get(5)?,
                amount: r.get(6)?,
            },
            officer: r.get(7)?,
        })
    }
}

impl Held for CourtRow {
    const TABLE: &'static str = "court_events";
    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, t.ref, x.kind, x.on_date, x.outcome, x.code, x.terms,
                    x.possession_on, x.costs, x.officer
             FROM court_events x JOIN tenancies t ON t.id = x.tenancy_id"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(CourtRow {
            id: r.get(1)?,
            tenancy: r.get(2)?,
            event: CourtEvent {
                outcome: r.get(5)?,
                code: r.get(6)?,
                terms: r.get(7)?,
                possession_on: opt_day(r, 8)?,
                costs: r.get(9)?,
                ..CourtEvent::at(r.get(3)?, opt_day(r, 4)?)
            },
            officer: r.get(10)?,
        })
    }
}

/// A plan from the housing system reads with the status it last reported, so an extract
/// compares with what it said before; a plan agreed in caseload, with its state.
impl Held for PlanRow {
    const TABLE: &'static str = "plans";
    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, t.ref, {ACCOUNT_ID}, x.kind, x.frequency, x.start_date, x.instalment,
                    x.lump_sum, x.lump_date, x.starting_balance, x.method,
                    coalesce(r.status, e.state, 'live'), coalesce(r.on_date, e.on_date, x.start_date),
                    x.reason, x.at, x.officer
             FROM plans x JOIN accounts a ON a.id = x.account_id JOIN tenancies t ON t.id = x.tenancy_id
             LEFT JOIN plan_reports r ON r.plan_id = x.id
             LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = x.id)"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(PlanRow {
            id: r.get(1)?,
            tenancy: r.get(2)?,
            account: Some(r.get(3)?),
            terms: super::plans::plan_terms(r, 4)?,
            status: r.get(12)?,
            status_date: Some(day(r, 13)?),
            reason: r.get(14)?,
            agreed_at: r.get::<_, Moment>(15)?.0,
            officer: r.get(16)?,
        })
    }
}

impl Held for PauseRow {
    const TABLE: &'static str = "pauses";
    fn select() -> String {
        format!(
            "SELECT x.id, {ID}, t.ref, x.kind, x.until, x.reason, x.comment, x.officer, x.at
             FROM pauses x JOIN tenancies t ON t.id = x.tenancy_id"
        )
    }

    fn read(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(PauseRow {
            id: r.get(1)?,
            tenancy: r.get(2)?,
            kind: r.get(3)?,
            until: day(r, 4)?,
            reason: r.get(5)?,
            comment: r.get(6)?,
            officer: r.get(7)?,
            at: r.get::<_, Moment>(8)?.0,
        })
    }
}

impl Writer<'_> {
    /// Rewrites the housing system's side of a tenancy (the caller audits each change); what
    /// officers recorded in caseload is left as it is.
    pub fn update_tenancy(&mut self, tenancy_id: i64, t: &TenancyDetails) -> Result<()> {
        self.with_details(
            "UPDATE tenancies SET (tenure, start_date, end_date, patch, ext_officer, weekly_charge, uc,
               hb, ext_vulnerable, ext_vulnerability, ext_breathing_space_until, deceased,
               interpreter) = (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             WHERE id = ?14",
            t,
            &[&tenancy_id],
        )?;
        self.db().execute(
            "UPDATE properties SET address = ?2, postcode = ?3
             WHERE id = (SELECT property_id FROM tenancies WHERE id = ?1)",
            params![tenancy_id, t.address, t.postcode],
        )
    }

    /// Rewrites the tenant at `position` of a tenancy (the caller audits each change).
    pub fn update_tenant(&mut self, tenancy_id: i64, position: u32, t: &NewTenant) -> Result<()> {
        let db = self.db();
        with_tenant_values(&[&tenancy_id, &position], t, |values| {
            db.execute(
                &format!(
                    "UPDATE tenants SET ({TENANT_COLUMNS}) = (?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                     WHERE tenancy_id = ?1 AND position = ?2"
                ),
                values,
            )
        })
    }

    /// Records the status the housing system reports for one of its plans, auditing a change.
    /// The plan's state stays caseload's breach check's to judge, except that the housing system
    /// may end its own plan (cancelled or replaced) while it is live or breached here. Returns
    /// whether anything was written.
    pub fn report_plan(&mut self, plan_id: i64, status: PlanState, on: NaiveDate) -> Result<bool> {
        let (old, state): (Option<(PlanState, String)>, PlanState) = self
            .db()
            .query_opt(
                "SELECT r.status, r.on_date, coalesce(e.state, 'live') FROM plans p
                 LEFT JOIN plan_reports r ON r.plan_id = p.id
                 LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)
                 WHERE p.id = ?1",
                &[&plan_id],
                |r| {
                    let status: Option<PlanState> = r.get(0)?;
                    Ok((status.zip(r.get::<_, Option<String>>(1)?), r.get(2)?))
                },
            )?
            .ok_or_else(|| StoreError::Invalid(format!("there is no plan {plan_id}")))?;
        if old.as_ref().is_some_and(|(s, _)| *s == status) {
            return Ok(false);
        }
        self.db().execute(
            "INSERT INTO plan_reports (plan_id, status, on_date) VALUES (?1, ?2, ?3)
             ON CONFLICT (plan_id) DO UPDATE SET status = excluded.status, on_date = excluded.on_date",
            params![plan_id, status, Day(on)],
        )?;
        if let Some((was, _)) = old {
            self.audit(
                "plan",
                plan_id,
                "status",
                Some(was.as_str()),
                Some(status.as_str()),
            )?;
        }
        if matches!(status, PlanState::Cancelled | PlanState::Replaced) && state.is_active() {
            self.plan_event(&NewPlanEvent {
                plan_id,
                on_date: on,
                state: status,
                expected: None,
                actual: None,
                reason: "from the housing system",
            })?;
        }
        Ok(true)
    }

    /// Records the source system's number for an account.
    pub fn name_account(&mut self, account_id: i64, ext_id: &str) -> Result<()> {
        self.db().execute(
            "UPDATE accounts SET ext_id = ?2 WHERE id = ?1",
            params![account_id, ext_id],
        )
    }
}
