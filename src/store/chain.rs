//! The hash chain's SQL (the chain itself is [`crate::chain`]): which tables it covers, sealing a
//! write's new rows just before it commits, and walking the links to check them.
//!
//! Every append-only table (one with a `<table>_no_update` or `<table>_no_delete` trigger) is
//! chained, found from the schema, so a table added later cannot be left out. Each has an integer
//! position: its `INTEGER PRIMARY KEY`, or the first column of a `WITHOUT ROWID` table's key.
//! Writes are serial in SQLite, so the rows a write added are exactly those past the greatest
//! position its table held when the write began; a row added outside caseload in between is left
//! out of every link and stays unsealed, however many writes follow.

use super::engine::{Columns, Db};
use super::verify::Problem;
use super::{Result, StoreError};
use crate::chain::{self, Block, Digest, Rows, Value};
use rusqlite::types::ToSqlOutput;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

/// A chained table and the SQL that reads it.
#[derive(Debug)]
pub(super) struct Chained {
    pub name: String,
    /// The position column.
    position: String,
    /// Whether it is the table's first column (rows hashed as written give it first).
    position_first: bool,
    /// Rows past a position, in order (`?1`: the position).
    after: String,
    /// Rows from a position on, in order.
    from: String,
}

/// Every chained table, and the query that reads each one's greatest position at once.
#[derive(Debug)]
pub(super) struct Tables {
    pub tables: Vec<Chained>,
    /// Append-only tables whose key is not an integer position: writes are refused until the
    /// schema gives them one, so that no such table is left out of the chain unnoticed.
    pub unchainable: Vec<String>,
    marks: String,
}

/// Why a table in [`Tables::unchainable`] is.
pub(super) const UNCHAINABLE: &str = "append-only but not chained: its key must be an INTEGER \
    PRIMARY KEY, or a WITHOUT ROWID key whose first column is an INTEGER";

/// The table that holds the links, itself append-only but not chained (its links are).
const CHAIN: &str = "chain";

/// Where each chained table ended when a write began.
pub(super) struct Marks(Vec<Option<i64>>);

impl Marks {
    /// Before any row: a file's rows from before the chain existed are all sealed at once.
    pub fn none(tables: &Tables) -> Marks {
        Marks(vec![None; tables.tables.len()])
    }
}

impl Tables {
    /// The append-only tables of the schema `db` holds, by their triggers.
    pub fn of(db: Db<'_>) -> Result<Tables> {
        let (tables, unchainable) = match db {
            Db::Sqlite(conn) => of_file(conn)?,
            Db::Pg(_) => (of_server(db)?, Vec::new()),
        };
        let marks = tables
            .iter()
            .map(|t| format!("(SELECT max(\"{}\") FROM \"{}\")", t.position, t.name))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Tables {
            tables,
            unchainable,
            marks: format!("SELECT {marks}"),
        })
    }

    /// Where every chained table ends now.
    pub fn marks(&self, db: Db<'_>) -> Result<Marks> {
        if self.tables.is_empty() {
            return Ok(Marks(vec![]));
        }
        let marks = db.query_opt(&self.marks, &[], |r| {
            (0..self.tables.len())
                .map(|i| r.get(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok(Marks(marks.unwrap_or_default()))
    }

    /// Seals every row added since `began` (one link per row, or per block when there are
    /// many), after the newest link of the chain, taking the blocks `streamed` hashed as they
    /// were written where they are exactly the rows added. Called last in a write's transaction.
    pub fn seal(&self, db: Db<'_>, began: &Marks, streamed: Option<Streamed>) -> Result<()> {
        let now = self.marks(db)?;
        let mut prev: Option<Digest> = None;
        let mut streamed = streamed.filter(|s| !s.spoilt);
        for ((table, start), end) in self.tables.iter().zip(&began.0).zip(&now.0) {
            let Some(end) = *end else { continue };
            if start.is_some_and(|s| end <= s) {
                continue;
            }
            let prev = match prev.as_mut() {
                Some(p) => p,
                None => prev.insert(head(db)?.map_or(Digest::START, |(_, d)| d)),
            };
            let mut start = start.unwrap_or(i64::MIN);
            let hashed = streamed
                .take_if(|s| s.table == table.name)
                .map(Streamed::blocks);
            if let Some(blocks) = hashed.filter(|b| table.holds(db, start, b).unwrap_or(false)) {
                for block in &blocks {
                    table.put(db, block, prev)?;
                }
                start = blocks.last().map_or(start, |b| b.last);
                if end <= start {
                    continue;
                }
            }
            // Positions count up from 1 as rows are added.
            let added = end.saturating_sub(start.max(0));
            let per_link = chain::rows_per_link(usize::try_from(added).unwrap_or(usize::MAX));
            table.seal(db, start, per_link, prev)?;
        }
        Ok(())
    }
}

/// The rows of one table hashed as a bulk write writes them (the ledger's, by
/// [`super::Writer::append_entries`]), so that sealing them need not read them all back: a
/// million rows cost a tenth of a second more to read again than to hash as they go.
pub(super) struct Streamed {
    table: &'static str,
    rows: Option<Rows>,
    blocks: Vec<Block>,
    /// A value could not be hashed as written: the rows are read back instead.
    spoilt: bool,
}

impl Streamed {
    pub fn new(table: &'static str) -> Streamed {
        Streamed {
            table,
            rows: None,
            blocks: Vec::new(),
            spoilt: false,
        }
    }

    /// The row written at `position`: the position (its first column) and then the values
    /// bound for the rest, as SQLite was given them.
    pub fn push(&mut self, position: i64, bound: &[ToSqlOutput<'_>]) {
        let rows = self.rows.get_or_insert_with(|| Rows::new(bound.len() + 1));
        if rows.rows() >= chain::BLOCK_ROWS as u64 || rows.columns() != bound.len() + 1 {
            let full = std::mem::replace(rows, Rows::new(bound.len() + 1));
            self.blocks.extend(full.finish());
        }
        let hashable =
            |out: &ToSqlOutput<'_>| matches!(out, ToSqlOutput::Borrowed(_) | ToSqlOutput::Owned(_));
        if !bound.iter().all(hashable) {
            self.spoilt = true;
            return;
        }
        let values = bound.iter().map(|out| match out {
            ToSqlOutput::Borrowed(v) => value_of(*v),
            ToSqlOutput::Owned(v) => value_of(v.into()),
            _ => Value::Null,
        });
        rows.push(
            position,
            std::iter::once(Value::Integer(position)).chain(values),
        );
    }

    fn blocks(mut self) -> Vec<Block> {
        self.blocks.extend(self.rows.take().and_then(Rows::finish));
        self.blocks
    }
}

/// Seals the rows a file held before it had a chain, as the chain's migration runs.
pub(super) fn seal_existing(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    let hook = |e: StoreError| rusqlite_migration::HookError::Hook(e.to_string());
    let tables = Tables::of(Db::Sqlite(tx)).map_err(hook)?;
    tables
        .seal(Db::Sqlite(tx), &Marks::none(&tables), None)
        .map_err(hook)
}

/// A file's chained tables, and its append-only tables that cannot be.
fn of_file(conn: &Connection) -> Result<(Vec<Chained>, Vec<String>)> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT DISTINCT tbl_name FROM sqlite_schema
             WHERE type = 'trigger' AND tbl_name <> ?1
               AND name IN (tbl_name || '_no_update', tbl_name || '_no_delete')
             ORDER BY tbl_name",
        )?
        .query_map([CHAIN], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut tables = Vec::with_capacity(names.len());
    let mut unchainable = Vec::new();
    for name in names {
        match chained(conn, &name)? {
            Some(table) => tables.push(table),
            None => unchainable.push(name),
        }
    }
    Ok((tables, unchainable))
}

/// A team's chained tables (their schema gives each an integer position, as a file's does): rows
/// in the order a file holds them, text keys compared byte by byte.
fn of_server(db: Db<'_>) -> Result<Vec<Chained>> {
    let columns: Vec<(String, String, bool, bool)> =
        db.query_map(super::pg::chain::KEY_COLUMNS, &[], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    // Each table's key: its columns, whether each is text, and whether it is the first column.
    type Key = Vec<(String, bool, bool)>;
    let mut tables: Vec<(String, Key)> = Vec::new();
    for (table, column, text, first) in columns {
        match tables.last_mut() {
            Some((t, key)) if *t == table => key.push((column, text, first)),
            _ => tables.push((table, vec![(column, text, first)])),
        }
    }
    Ok(tables
        .into_iter()
        .map(|(name, key)| {
            let order = key
                .iter()
                .map(|(c, text, _)| format!("\"{c}\"{}", if *text { " COLLATE \"C\"" } else { "" }))
                .collect::<Vec<_>>()
                .join(", ");
            let (position, _, position_first) = key[0].clone();
            let read = |op: &str| {
                format!(
                    "SELECT \"{position}\", * FROM \"{name}\" WHERE \"{position}\" {op} ?1 ORDER BY {order}"
                )
            };
            Chained {
                after: read(">"),
                from: read(">="),
                name,
                position_first,
                position,
            }
        })
        .collect())
}

/// A chained table's position and order, from its key; `None` if it has no integer position.
fn chained(conn: &Connection, name: &str) -> Result<Option<Chained>> {
    let without_rowid: bool = conn.query_row(
        "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1",
        [name],
        |r| r.get(0),
    )?;
    let first_column: String = conn.query_row(
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid LIMIT 1",
        [name],
        |r| r.get(0),
    )?;
    let key: Vec<(String, String)> = conn
        .prepare("SELECT name, upper(type) FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let position = match key.as_slice() {
        [(column, ty)] if ty == "INTEGER" => column.clone(),
        [(column, ty), ..] if without_rowid && ty == "INTEGER" => column.clone(),
        _ => return Ok(None),
    };
    let order = key
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let read = |op: &str| {
        format!(
            "SELECT \"{position}\", * FROM \"{name}\" WHERE \"{position}\" {op} ?1 ORDER BY {order}"
        )
    };
    Ok(Some(Chained {
        after: read(">"),
        from: read(">="),
        name: name.to_string(),
        position_first: position == first_column,
        position,
    }))
}

impl Chained {
    /// Seals the rows past `start`, `per_link` rows to a link (a link never splits the rows of
    /// one position), after `prev`, which becomes the newest link's hash.
    fn seal(&self, db: Db<'_>, start: i64, per_link: usize, prev: &mut Digest) -> Result<()> {
        // The blocks are hashed as the rows are read, and linked once the read is done.
        let mut blocks = Vec::new();
        let mut block: Option<Rows> = None;
        db.each(&self.after, &[&start], |row| {
            // The position comes first, then every column.
            let columns = row.columns() - 1;
            let position = row.get(0)?;
            let open = block.get_or_insert_with(|| Rows::new(columns));
            if open.rows() >= per_link as u64 && open.last() != Some(position) {
                let full = std::mem::replace(open, Rows::new(columns));
                blocks.extend(full.finish());
            }
            open.push(position, values(row, columns));
            Ok(())
        })?;
        blocks.extend(block.and_then(Rows::finish));
        for b in &blocks {
            self.put(db, b, prev)?;
        }
        Ok(())
    }

    /// Chains `block` after `prev`, which becomes its hash.
    fn put(&self, db: Db<'_>, block: &Block, prev: &mut Digest) -> Result<()> {
        let link = block.link(prev, &self.name);
        db.execute(
            "INSERT INTO chain (tbl, first_key, last_key, rows, columns, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                self.name,
                link.first,
                link.last,
                i64::try_from(link.rows).unwrap_or(i64::MAX),
                i64::try_from(block.columns).unwrap_or(i64::MAX),
                &link.hash.0[..]
            ],
        )?;
        *prev = link.hash;
        Ok(())
    }

    /// Whether `blocks`, hashed as a write wrote them, are exactly this table's rows past
    /// `start` up to their end, each with every column the table has.
    fn holds(&self, db: Db<'_>, start: i64, blocks: &[Block]) -> Result<bool> {
        // Only a file's bulk writes hash rows as they write them.
        let (Db::Sqlite(conn), Some(first), Some(last)) = (db, blocks.first(), blocks.last())
        else {
            return Ok(false);
        };
        let columns = conn.prepare_cached(&self.after)?.column_count() - 1;
        if !self.position_first || blocks.iter().any(|b| b.columns != columns) {
            return Ok(false);
        }
        let rows: u64 = blocks.iter().map(|b| b.rows).sum();
        let held: (i64, Option<i64>, Option<i64>) = conn.query_row(
            &format!(
                "SELECT count(*), min(\"{p}\"), max(\"{p}\") FROM \"{t}\"
                 WHERE \"{p}\" > ?1 AND \"{p}\" <= ?2",
                p = self.position,
                t = self.name
            ),
            params![start, last.last],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok(u64::try_from(held.0).ok() == Some(rows)
            && held.1 == Some(first.first)
            && held.2 == Some(last.last))
    }
}

/// The values of a row read by [`Chained`]'s queries, which give its position first.
fn values<'r>(row: &'r impl Columns, columns: usize) -> impl Iterator<Item = Value<'r>> {
    (1..=columns).map(move |i| row.get_ref(i).map_or(Value::Null, value_of))
}

fn value_of(v: ValueRef<'_>) -> Value<'_> {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(v) => Value::Integer(v),
        ValueRef::Real(v) => Value::Real(v),
        ValueRef::Text(v) => Value::Text(v),
        ValueRef::Blob(v) => Value::Blob(v),
    }
}

/// The newest link: its id and hash.
pub(super) fn head(db: Db<'_>) -> Result<Option<(i64, Digest)>> {
    let row: Option<(i64, Vec<u8>)> = db.query_opt(
        "SELECT id, hash FROM chain ORDER BY id DESC LIMIT 1",
        &[],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(row.map(|(id, hash)| (id, Digest::from_bytes(&hash).unwrap_or(Digest::START))))
}

/// What a walk along one table's links found first, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Rows that no link seals (the first run of them): added outside caseload.
    Unsealed { first: i64, last: i64, rows: u64 },
    /// A link whose rows no longer hash to it: one of them was changed, removed or added, or the
    /// link before it in the chain was rewritten.
    Broken {
        link: i64,
        first: i64,
        last: i64,
        sealed: u64,
        found: u64,
    },
    /// A link that claims rows another link already seals: the chain itself was edited.
    Overlap { link: i64, first: i64, last: i64 },
    /// The table itself is gone from the file.
    Missing,
}

/// One table's walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableWalk {
    pub table: String,
    pub links: u64,
    /// Rows read, sealed or not.
    pub rows: u64,
    pub first_break: Option<Break>,
}

/// A link as stored, with the hash of the link before it in the chain.
struct Stored {
    id: i64,
    first: i64,
    last: i64,
    rows: u64,
    columns: usize,
    hash: Vec<u8>,
    prev: Digest,
}

impl Chained {
    /// Checks this table's links, and its rows, from position `from` on (`i64::MIN`: all).
    pub fn walk(&self, conn: &Connection, from: i64) -> Result<TableWalk> {
        let mut links_stmt = conn.prepare_cached(
            "SELECT l.id, l.first_key, l.last_key, l.rows, l.columns, l.hash,
                    (SELECT p.hash FROM chain p WHERE p.id < l.id ORDER BY p.id DESC LIMIT 1)
             FROM chain l WHERE l.tbl = ?1 AND l.first_key >= ?2 ORDER BY l.first_key, l.id",
        )?;
        let mut links = links_stmt.query(params![self.name, from])?;
        let mut next = |after: Option<i64>| -> Result<Option<(Stored, Option<Break>)>> {
            let Some(r) = links.next()? else {
                return Ok(None);
            };
            let prev: Option<Vec<u8>> = r.get(6)?;
            let link = Stored {
                id: r.get(0)?,
                first: r.get(1)?,
                last: r.get(2)?,
                rows: r.get::<_, i64>(3)?.try_into().unwrap_or(0),
                columns: r.get::<_, i64>(4)?.try_into().unwrap_or(0),
                hash: r.get(5)?,
                prev: prev.map_or(Digest::START, |p| {
                    Digest::from_bytes(&p).unwrap_or(Digest::START)
                }),
            };
            let overlap = after.is_some_and(|a| link.first <= a) || link.last < link.first;
            let brk = overlap.then_some(Break::Overlap {
                link: link.id,
                first: link.first,
                last: link.last,
            });
            Ok(Some((link, brk)))
        };
        let mut rows_stmt = conn.prepare_cached(&self.from)?;
        let mut rows = rows_stmt.query([from])?;
        let mut walk = Walker {
            out: TableWalk {
                table: self.name.clone(),
                links: 0,
                rows: 0,
                first_break: None,
            },
            unsealed: None,
        };
        let mut open = walk.open(next(None)?);
        while let Some(row) = rows.next()? {
            let position: i64 = row.get(0)?;
            walk.out.rows += 1;
            loop {
                match &mut open {
                    Some((link, _)) if position > link.last => {
                        let after = link.last;
                        walk.close(open.take());
                        open = walk.open(next(Some(after))?);
                    }
                    Some((link, builder)) if position >= link.first => {
                        walk.sealed();
                        builder.push(position, values(row, link.columns));
                        break;
                    }
                    _ => {
                        walk.unsealed(position);
                        break;
                    }
                }
            }
        }
        while let Some((link, _)) = &open {
            let after = link.last;
            walk.close(open.take());
            open = walk.open(next(Some(after))?);
        }
        walk.sealed();
        Ok(walk.out)
    }
}

/// A walk's running state.
struct Walker {
    out: TableWalk,
    /// The run of unsealed rows being read.
    unsealed: Option<(i64, i64, u64)>,
}

impl Walker {
    fn found(&mut self, brk: Break) {
        self.out.first_break.get_or_insert(brk);
    }

    fn open(&mut self, link: Option<(Stored, Option<Break>)>) -> Option<(Stored, Rows)> {
        let (link, brk) = link?;
        if let Some(brk) = brk {
            self.found(brk);
        }
        self.out.links += 1;
        let rows = Rows::checking(&link.prev, &self.out.table, link.columns);
        Some((link, rows))
    }

    fn close(&mut self, open: Option<(Stored, Rows)>) {
        let Some((link, rows)) = open else { return };
        let found = rows.rows();
        let sealed = Digest::from_bytes(&link.hash).is_some_and(|hash| {
            rows.are_sealed_by(&hash, &link.prev, &self.out.table, link.first, link.last)
        });
        if !sealed || found != link.rows {
            self.found(Break::Broken {
                link: link.id,
                first: link.first,
                last: link.last,
                sealed: link.rows,
                found,
            });
        }
    }

    fn unsealed(&mut self, position: i64) {
        let run = self.unsealed.get_or_insert((position, position, 0));
        run.1 = position;
        run.2 += 1;
    }

    /// A sealed row (or the end) ends a run of unsealed ones.
    fn sealed(&mut self) {
        if let Some((first, last, rows)) = self.unsealed.take() {
            self.found(Break::Unsealed { first, last, rows });
        }
    }
}

impl Break {
    /// The rows it is about ("17", or "1025-1280"), and what is wrong with them.
    pub fn describe(&self) -> (String, String) {
        let rows = |first: i64, last: i64| {
            if first == last {
                first.to_string()
            } else {
                format!("{first}-{last}")
            }
        };
        match *self {
            Break::Unsealed {
                first,
                last,
                rows: 1,
            } => (
                rows(first, last),
                "not sealed: it was added outside caseload".into(),
            ),
            Break::Unsealed {
                first,
                last,
                rows: n,
            } => (
                rows(first, last),
                format!("{n} rows not sealed: they were added outside caseload"),
            ),
            Break::Broken {
                link,
                first,
                last,
                sealed,
                found,
            } => (
                rows(first, last),
                if found < sealed {
                    format!(
                        "{} of the {sealed} rows sealed here are gone (chain link {link})",
                        sealed - found
                    )
                } else if found > sealed {
                    format!(
                        "{} rows were added among the {sealed} sealed here (chain link {link})",
                        found - sealed
                    )
                } else if sealed == 1 {
                    format!("changed since it was sealed (chain link {link})")
                } else {
                    format!(
                        "one of the {sealed} rows sealed together was changed since (chain link {link})"
                    )
                },
            ),
            Break::Missing => ("table".into(), "missing from the file".into()),
            Break::Overlap { link, first, last } => (
                rows(first, last),
                format!("chain link {link} seals rows another link seals: the chain was edited"),
            ),
        }
    }
}

/// Every chain walked: each table's, and the newest link of all.
#[derive(Clone, Debug)]
pub struct ChainReport {
    pub tables: Vec<TableWalk>,
    /// The newest link's id and hash: noted outside the file, it vouches for every row before.
    pub head: Option<(i64, Digest)>,
}

/// Walks the chain of every append-only table this version defines: all of it, or only each
/// table's `newest` links and the rows after them.
pub(super) fn walk(conn: &Connection, newest: Option<u32>) -> Result<ChainReport> {
    walk_tables(conn, &super::migrations::reference()?.chained, newest)
}

fn walk_tables(conn: &Connection, tables: &Tables, newest: Option<u32>) -> Result<ChainReport> {
    let mut out = Vec::with_capacity(tables.tables.len());
    for table in &tables.tables {
        let held: bool = conn.query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [&table.name],
            |r| r.get(0),
        )?;
        if !held {
            out.push(TableWalk {
                table: table.name.clone(),
                links: 0,
                rows: 0,
                first_break: Some(Break::Missing),
            });
            continue;
        }
        let from = match newest {
            None => i64::MIN,
            Some(n) => conn
                .prepare_cached(
                    "SELECT first_key FROM chain WHERE tbl = ?1
                     ORDER BY first_key DESC LIMIT 1 OFFSET ?2",
                )?
                .query_row(params![table.name, i64::from(n.saturating_sub(1))], |r| {
                    r.get(0)
                })
                .optional()?
                .unwrap_or(i64::MIN),
        };
        out.push(table.walk(conn, from)?);
    }
    Ok(ChainReport {
        tables: out,
        head: head(Db::Sqlite(conn))?,
    })
}

/// The check `caseload verify` runs: every append-only table this version defines is chained,
/// and every row of each is sealed and matches its seal. Names the first table that fails (and
/// any others).
pub(super) fn check(conn: &Connection) -> Result<Option<Problem>> {
    let tables = &super::migrations::reference()?.chained;
    if let Some(name) = tables.unchainable.first() {
        return Ok(Some(Problem {
            table: name.clone(),
            row: "table".into(),
            what: UNCHAINABLE.into(),
        }));
    }
    let report = walk_tables(conn, tables, None)?;
    let mut broken = report
        .tables
        .iter()
        .filter_map(|t| t.first_break.as_ref().map(|b| (&t.table, b)));
    let Some((table, brk)) = broken.next() else {
        return Ok(None);
    };
    let (row, mut what) = brk.describe();
    let others: Vec<&str> = broken.map(|(t, _)| t.as_str()).collect();
    if !others.is_empty() {
        what = format!("{what}; {} also fail", others.join(", "));
    }
    Ok(Some(Problem {
        table: table.clone(),
        row,
        what,
    }))
}

/// The newest link of the chain, and the size of the chain up to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub link: i64,
    pub hash: Digest,
    pub links: i64,
    pub rows: i64,
}

pub(super) fn head_of_chain(conn: &Connection) -> Result<Option<Head>> {
    let Some((link, hash)) = head(Db::Sqlite(conn))? else {
        return Ok(None);
    };
    let (links, rows) = conn.query_row(
        "SELECT count(*), coalesce(sum(rows), 0) FROM chain WHERE id <= ?1",
        [link],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Some(Head {
        link,
        hash,
        links,
        rows,
    }))
}

/// The link whose hash is `hash`, if the chain still has it.
pub(super) fn link_with(conn: &Connection, hash: &Digest) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM chain WHERE hash = ?1 ORDER BY id LIMIT 1",
            [&hash.0[..]],
            |r| r.get(0),
        )
        .optional()?)
}

impl super::Store {
    /// Walks the hash chain on one snapshot of the file: all of it, or each table's `newest`
    /// links and the rows after them (the check at start).
    pub fn walk_chain(&self, newest: Option<u32>) -> Result<ChainReport> {
        let mut conn = self.reader()?;
        let tx = conn.transaction()?;
        walk(&tx, newest)
    }
}
