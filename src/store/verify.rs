//! Tamper evidence: checks that what the triggers keep still holds. The append-only tables'
//! triggers must all be there as this version defines them (a dropped or rewritten trigger is
//! the first sign of editing through `sqlite3`); every account's summary must equal its ledger;
//! the latest action of each kind must be the one recorded as latest; the note search index
//! must hold exactly the notes' words. Each check names the first problem it finds by table and
//! row. All checks read one snapshot, on a read-only connection, so a write under way elsewhere
//! (an import lifting the summary trigger inside its transaction) is never seen half done.
//!
//! The hash chain over the append-only tables (`store::chain`) is one more check: every row
//! sealed, and each as it was sealed. A check is one entry in [`CHECKS`].

use super::chain::{self, Head};
use super::{Result, Store, migrations};
use crate::chain::Digest;
use rusqlite::{Connection, OptionalExtension};
use std::fmt;

/// What a check found wrong first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub table: String,
    /// The row (or trigger, or key) it is in.
    pub row: String,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.table, self.row, self.what)
    }
}

pub struct Check {
    /// What holds when the check passes, e.g. "every account's balance equals its ledger".
    pub holds: &'static str,
    run: fn(&Connection) -> Result<Option<Problem>>,
}

pub const CHECKS: &[Check] = &[
    Check {
        holds: "the append-only triggers and the triggers and views that keep summaries are all in place, as this version defines them",
        run: triggers,
    },
    Check {
        holds: "every append-only table is chained, and every row of each is sealed and matches its seal",
        run: super::chain::check,
    },
    Check {
        holds: "every account's balance, entry count, last payment and week totals equal its ledger",
        run: summaries,
    },
    Check {
        holds: "every account's totals for each rent year (charged, received, written off) equal its ledger",
        run: year_totals,
    },
    Check {
        holds: "the latest action of each kind on each tenancy is the one recorded as latest",
        run: last_actions,
    },
    Check {
        holds: "each tenancy's case summary (latest notice, current plan and its state, court, pauses, call back) is what its records in force say",
        run: case_summaries,
    },
    Check {
        holds: "the note search index holds exactly the notes' words",
        run: note_index,
    },
    Check {
        holds: KEPT_FACTS_HOLD,
        run: kept_queue_facts,
    },
];

/// What `caseload verify` found, on one snapshot of the file.
pub struct Verification {
    /// Each check with its first problem, if any.
    pub results: Vec<(&'static Check, Option<Problem>)>,
    /// The newest link of the hash chain, for an auditor to note.
    pub head: Option<Head>,
    /// Each head noted earlier, with the link that has it now (`None`: the chain was rewritten
    /// or cut back since it was noted).
    pub noted: Vec<(Digest, Option<i64>)>,
}

impl Verification {
    pub fn failed(&self) -> usize {
        let checks = self.results.iter().filter(|(_, p)| p.is_some()).count();
        checks + self.noted.iter().filter(|(_, link)| link.is_none()).count()
    }
}

impl Store {
    /// Runs every check on one snapshot of the file, and finds each `noted` head in its chain.
    pub fn verify(&self, noted: &[Digest]) -> Result<Verification> {
        let mut conn = self.reader()?;
        let tx = conn.transaction()?;
        let mut results = Vec::with_capacity(CHECKS.len());
        for check in CHECKS {
            results.push((check, (check.run)(&tx)?));
        }
        let noted = noted
            .iter()
            .map(|d| Ok((*d, chain::link_with(&tx, d)?)))
            .collect::<Result<_>>()?;
        Ok(Verification {
            results,
            head: chain::head_of_chain(&tx)?,
            noted,
        })
    }
}

/// The check the workstation runs at start, on a connection of its own so that it can run on
/// another thread: the triggers, and each append-only table's newest links and every row after
/// them. (`caseload verify` checks everything.)
pub struct QuickCheck(Connection);

/// Links read back from the newest, for each table, by the check at start.
const NEWEST_LINKS: u32 = 8;

impl Store {
    pub fn quick_check(&self) -> Result<QuickCheck> {
        self.reader().map(QuickCheck)
    }
}

impl QuickCheck {
    /// Every problem found, the triggers' first.
    pub fn run(mut self) -> Result<Vec<Problem>> {
        let tx = self.0.transaction()?;
        let mut found: Vec<Problem> = triggers(&tx)?.into_iter().collect();
        for table in chain::walk(&tx, Some(NEWEST_LINKS))?.tables {
            if let Some(brk) = table.first_break {
                let (row, what) = brk.describe();
                found.push(Problem {
                    table: table.table,
                    row,
                    what,
                });
            }
        }
        Ok(found)
    }
}

/// Every trigger and view of the schema `conn` holds (a view is part of what keeps a summary):
/// what it is and its name (`trigger ledger_no_update`), its table and its SQL.
pub(super) fn triggers_of(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    Ok(conn
        .prepare(
            "SELECT type || ' ' || name, tbl_name, sql FROM sqlite_schema
             WHERE type IN ('trigger', 'view') ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Triggers and views as this version's migrations make them, against the file's.
fn triggers(conn: &Connection) -> Result<Option<Problem>> {
    let (expected, found) = (&migrations::reference()?.triggers, triggers_of(conn)?);
    let problem = |table: &str, name: &str, what: &str| Problem {
        table: table.to_string(),
        row: name.to_string(),
        what: what.to_string(),
    };
    for (name, table, sql) in expected {
        match found.iter().find(|(n, ..)| n == name) {
            None => return Ok(Some(problem(table, name, "missing"))),
            Some((_, _, held)) if held != sql => {
                return Ok(Some(problem(table, name, "not as this version defines it")));
            }
            Some(_) => {}
        }
    }
    Ok(found
        .iter()
        .find(|(n, ..)| !expected.iter().any(|(e, ..)| e == n))
        .map(|(name, table, _)| problem(table, name, "not one of this version's")))
}

/// Each account's summary columns against its ledger, with the meaning the summary trigger
/// gives them.
fn summaries(conn: &Connection) -> Result<Option<Problem>> {
    let row = conn
        .query_row(
            "WITH s AS (
                SELECT a.id, coalesce(sum(l.amount), 0) AS balance, count(l.id) AS entries,
                       max(CASE WHEN l.kind = 'payment' THEN l.date END) AS last_payment,
                       date(max(CASE WHEN l.kind = 'payment' THEN l.date END), 'weekday 0', '-6 days') AS pay_week,
                       date(max(CASE WHEN l.kind = 'charge' THEN l.date END), 'weekday 0', '-6 days') AS charge_week
                FROM accounts a LEFT JOIN ledger l ON l.account_id = a.id GROUP BY a.id),
             w AS (
                SELECT s.*,
                    coalesce((SELECT -sum(amount) FROM ledger l WHERE l.account_id = s.id
                        AND l.kind = 'payment' AND l.date >= s.pay_week
                        AND l.date < date(s.pay_week, '+7 days')), 0) AS pay_week_total,
                    coalesce((SELECT sum(amount) FROM ledger l WHERE l.account_id = s.id
                        AND l.kind = 'charge' AND l.date >= s.charge_week
                        AND l.date < date(s.charge_week, '+7 days')), 0) AS charge_week_total
                FROM s)
             SELECT a.id,
                CASE
                  WHEN a.balance IS NOT w.balance THEN
                    format('balance %d, but its ledger sums to %d (pence)', a.balance, w.balance)
                  WHEN a.entries IS NOT w.entries THEN
                    format('%d entries counted, but its ledger holds %d', a.entries, w.entries)
                  WHEN a.last_payment_date IS NOT w.last_payment THEN
                    format('last payment %s, but its ledger says %s', a.last_payment_date, w.last_payment)
                  WHEN a.pay_week IS NOT w.pay_week OR a.pay_week_total IS NOT w.pay_week_total THEN
                    format('%d paid in the week of %s, but its ledger says %d in the week of %s',
                           a.pay_week_total, a.pay_week, w.pay_week_total, w.pay_week)
                  ELSE
                    format('%d charged in the week of %s, but its ledger says %d in the week of %s',
                           a.charge_week_total, a.charge_week, w.charge_week_total, w.charge_week)
                END
             FROM accounts a JOIN w ON w.id = a.id
             WHERE a.balance IS NOT w.balance OR a.entries IS NOT w.entries
                OR a.last_payment_date IS NOT w.last_payment
                OR a.pay_week IS NOT w.pay_week OR a.pay_week_total IS NOT w.pay_week_total
                OR a.charge_week IS NOT w.charge_week OR a.charge_week_total IS NOT w.charge_week_total
             ORDER BY a.id LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    Ok(row.map(|(id, what)| Problem {
        table: "accounts".into(),
        row: id.to_string(),
        what,
    }))
}

/// The latest action of each kind per tenancy still in force (latest time, then latest id; a
/// corrected action is out of force) against the table the triggers keep.
fn last_actions(conn: &Connection) -> Result<Option<Problem>> {
    let row = conn
        .query_row(
            "WITH latest AS (
                SELECT tenancy_id, kind, at, id AS action_id FROM (
                    SELECT tenancy_id, kind, at, id, row_number() OVER
                        (PARTITION BY tenancy_id, kind ORDER BY at DESC, id DESC) AS n
                    FROM actions WHERE id NOT IN (SELECT action_id FROM corrections))
                 WHERE n = 1)
             SELECT tenancy_id, kind, l.action_id, k.action_id
             FROM latest l FULL JOIN last_actions k USING (tenancy_id, kind)
             WHERE l.action_id IS NOT k.action_id OR l.at IS NOT k.at
             ORDER BY tenancy_id, kind LIMIT 1",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                ))
            },
        )
        .optional()?;
    Ok(row.map(|(tenancy, kind, latest, held)| Problem {
        table: "last_actions".into(),
        row: format!("(tenancy {tenancy}, {kind})"),
        what: match (latest, held) {
            (Some(l), Some(h)) => format!("says action {h}, but the latest is action {l}"),
            (Some(l), None) => format!("missing: the latest is action {l}"),
            (None, Some(h)) => format!("says action {h}, but there is no such action"),
            (None, None) => "differs".into(),
        },
    }))
}

/// Each account's totals for each rent year against its ledger's, summed by the definition the
/// trigger adds from (`ledger_year_rows`): the first that differs, or is missing or extra.
fn year_totals(conn: &Connection) -> Result<Option<Problem>> {
    let differs = conn
        .query_row(
            &format!(
                "{YEAR_TOTALS_SUMMED_AND_HELD}
                 SELECT account_id, rent_year FROM (
                    SELECT * FROM summed EXCEPT SELECT * FROM held
                    UNION ALL
                    SELECT * FROM held EXCEPT SELECT * FROM summed)
                 ORDER BY account_id, rent_year LIMIT 1"
            ),
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i32>(1)?)),
        )
        .optional()?;
    Ok(differs.map(|(account, year)| Problem {
        table: "ledger_years".into(),
        row: format!(
            "(account {account}, {})",
            crate::domain::dates::RentYear(year).label()
        ),
        what: "differs from what its ledger sums to".into(),
    }))
}

/// Each account's totals for each rent year as its ledger sums them (`summed`, by the definition
/// the trigger adds from, `ledger_year_rows`) and as kept (`held`), column for column, on either
/// engine: the checks compare the two.
pub(super) const YEAR_TOTALS_SUMMED_AND_HELD: &str = "WITH summed AS (
                SELECT rent_year, account_id, sum(charged) AS charged, sum(received) AS received,
                       sum(written_off) AS written_off, max(last_date) AS last_date
                FROM ledger_year_rows GROUP BY rent_year, account_id),
             held AS (SELECT rent_year, account_id, charged, received, written_off, last_date
                      FROM ledger_years)";

/// Each tenancy's case summary against the one its records in force give (`case_summary_of`,
/// the definition a correction recomputes a row from): the first tenancy whose row differs, and
/// the first column that does.
fn case_summaries(conn: &Connection) -> Result<Option<Problem>> {
    let differs: Option<i64> = conn
        .query_row(
            "SELECT tenancy_id FROM (
                SELECT * FROM case_summary EXCEPT SELECT * FROM case_summary_of
                UNION ALL
                SELECT * FROM case_summary_of EXCEPT SELECT * FROM case_summary)
             ORDER BY tenancy_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(tenancy) = differs else {
        return Ok(None);
    };
    let read = |table: &str| -> Result<Option<Vec<(String, rusqlite::types::Value)>>> {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE tenancy_id = ?1"))?;
        let names: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
        Ok(stmt
            .query_row([tenancy], |r| {
                (0..names.len())
                    .map(|i| Ok((names[i].clone(), r.get(i)?)))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .optional()?)
    };
    let what = match (read("case_summary")?, read("case_summary_of")?) {
        (None, _) => "missing".to_string(),
        (Some(_), None) => "is for no tenancy".to_string(),
        (Some(held), Some(wanted)) => held.iter().zip(&wanted).find(|(h, w)| h.1 != w.1).map_or(
            "differs".to_string(),
            |((column, h), (_, w))| {
                format!("{column} is {}, but its records say {}", shown(h), shown(w))
            },
        ),
    };
    Ok(Some(Problem {
        table: "case_summary".into(),
        row: format!("(tenancy {tenancy})"),
        what,
    }))
}

/// A value as a problem names it.
fn shown(value: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match value {
        Value::Null => "empty".into(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => format!("{} bytes", b.len()),
    }
}

/// Each kept queue row in use against its tenancy's records (see `facts_kept::first_differing`).
fn kept_queue_facts(conn: &Connection) -> Result<Option<Problem>> {
    Ok(
        super::facts_kept::first_differing(super::engine::Db::Sqlite(conn))?.map(|tenancy| {
            Problem {
                table: "queue_facts".into(),
                row: format!("(tenancy {tenancy})"),
                what: KEPT_FACTS_DIFFER.into(),
            }
        }),
    )
}

/// What holds of the kept queue rows, and what is said of one that is not its records', on
/// either engine.
pub(super) const KEPT_FACTS_HOLD: &str =
    "each tenancy's queue facts, where kept for the queue, are what its records say";
pub(super) const KEPT_FACTS_DIFFER: &str =
    "the facts kept for the queue differ from what its records say";

/// The search index against one built afresh from the notes (the same default tokenizer): first
/// a word whose counts differ, then the first note where that word's count differs.
fn note_index(conn: &Connection) -> Result<Option<Problem>> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.verify_notes;
         CREATE VIRTUAL TABLE temp.verify_notes USING fts5(body);
         INSERT INTO temp.verify_notes (rowid, body) SELECT id, body FROM main.notes;
         CREATE VIRTUAL TABLE temp.verify_held USING fts5vocab(main, notes_search, 'row');
         CREATE VIRTUAL TABLE temp.verify_fresh USING fts5vocab(temp, verify_notes, 'row');
         CREATE VIRTUAL TABLE temp.verify_held_at USING fts5vocab(main, notes_search, 'instance');
         CREATE VIRTUAL TABLE temp.verify_fresh_at USING fts5vocab(temp, verify_notes, 'instance');",
    )?;
    let found = (|| -> Result<Option<Problem>> {
        let term: Option<String> = conn
            .query_row(
                "SELECT term FROM (
                    SELECT term, doc, cnt FROM temp.verify_held
                    EXCEPT SELECT term, doc, cnt FROM temp.verify_fresh
                    UNION ALL
                    SELECT term, doc, cnt FROM temp.verify_fresh
                    EXCEPT SELECT term, doc, cnt FROM temp.verify_held)
                 ORDER BY term LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let Some(term) = term else {
            return Ok(None);
        };
        // Where that word is, note by note, in each.
        let note: Option<i64> = conn
            .query_row(
                "WITH held AS (SELECT doc, count(*) AS n FROM temp.verify_held_at
                               WHERE term = ?1 GROUP BY doc),
                      fresh AS (SELECT doc, count(*) AS n FROM temp.verify_fresh_at
                                WHERE term = ?1 GROUP BY doc)
                 SELECT doc FROM held FULL JOIN fresh USING (doc)
                 WHERE held.n IS NOT fresh.n ORDER BY doc LIMIT 1",
                [&term],
                |r| r.get(0),
            )
            .optional()?;
        Ok(Some(Problem {
            table: "notes".into(),
            row: note.map_or_else(|| "?".into(), |n| n.to_string()),
            what: format!("the search index does not match the note (the word \"{term}\")"),
        }))
    })();
    conn.execute_batch(
        "DROP TABLE temp.verify_held; DROP TABLE temp.verify_fresh; DROP TABLE temp.verify_held_at;
         DROP TABLE temp.verify_fresh_at; DROP TABLE temp.verify_notes;",
    )?;
    found
}
