//! The hash chain checked on a PostgreSQL database: every link's rows, read back in the form a
//! SQLite file holds them (`super::value`), must still hash to the link, and every row of an
//! append-only table must be sealed by one. The links are the ones SQLite sealed when the caseload
//! was moved in, or that a team's writes sealed since.

use super::value::Owned;
use crate::chain::{Digest, Rows};
use postgres::GenericClient;
use std::collections::HashMap;

/// What the walk found, table by table.
#[derive(Debug, Default)]
pub struct ChainCheck {
    pub links: u64,
    pub rows: u64,
    /// The first problem of each table that has one, in words.
    pub problems: Vec<String>,
}

struct Stored {
    id: i64,
    first: i64,
    last: i64,
    rows: i64,
    columns: usize,
    hash: Vec<u8>,
    prev: Digest,
}

/// A chained table's key, in order: each column's name and whether it is text (ordered byte by
/// byte, as SQLite orders it, whatever the database's collation). The first is the position.
type Key = Vec<(String, bool)>;

/// The key columns of the append-only tables (those refusing UPDATE; the chain's own table
/// aside), in order: the table, the column, whether it is text, whether it is the table's first.
pub(in crate::store) const KEY_COLUMNS: &str =
    "SELECT c.relname::text, a.attname::text, ty.typcollation <> 0, a.attnum = 1
     FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
     JOIN pg_type ty ON ty.oid = a.atttypid
     WHERE t.tgname = c.relname || '_no_update' AND c.relname <> 'chain'
     ORDER BY c.relname COLLATE \"C\", array_position(i.indkey::int2[], a.attnum)";

/// The append-only tables and each one's key.
pub(super) fn chained_tables(
    db: &mut impl GenericClient,
) -> Result<Vec<(String, Key)>, postgres::Error> {
    let rows = db.query(KEY_COLUMNS, &[])?;
    let mut tables: Vec<(String, Key)> = Vec::new();
    for r in rows {
        let table: String = r.get(0);
        let column = (r.get(1), r.get(2));
        match tables.last_mut() {
            Some((t, key)) if *t == table => key.push(column),
            _ => tables.push((table, vec![column])),
        }
    }
    Ok(tables)
}

/// Walks every chained table against its links.
pub(super) fn check(db: &mut impl GenericClient) -> Result<ChainCheck, postgres::Error> {
    let mut by_table: HashMap<String, Vec<Stored>> = HashMap::new();
    let mut prev = Digest::START;
    for r in db.query(
        "SELECT id, tbl, first_key, last_key, rows, columns, hash FROM chain ORDER BY id",
        &[],
    )? {
        let hash: Vec<u8> = r.get(6);
        let link = Stored {
            id: r.get(0),
            first: r.get(2),
            last: r.get(3),
            rows: r.get(4),
            columns: usize::try_from(r.get::<_, i32>(5)).unwrap_or(0),
            prev,
            hash: hash.clone(),
        };
        prev = Digest::from_bytes(&hash).unwrap_or(Digest::START);
        by_table.entry(r.get(1)).or_default().push(link);
    }
    let mut found = ChainCheck::default();
    for (table, key) in chained_tables(db)? {
        let mut links = by_table.remove(&table).unwrap_or_default();
        links.sort_by_key(|l| (l.first, l.id));
        found.links += links.len() as u64;
        if let Some(problem) = walk(db, &table, &key, &links, &mut found.rows)? {
            found.problems.push(problem);
        }
    }
    for (table, links) in by_table {
        found.problems.push(format!(
            "chain: {} links seal rows of {table}, which is not an append-only table here",
            links.len()
        ));
    }
    Ok(found)
}

/// One table's rows in key order against its links: the first problem, if any.
fn walk(
    db: &mut impl GenericClient,
    table: &str,
    key: &Key,
    links: &[Stored],
    read: &mut u64,
) -> Result<Option<String>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    let order = key
        .iter()
        .map(|(c, text)| format!("\"{c}\"{}", if *text { " COLLATE \"C\"" } else { "" }))
        .collect::<Vec<_>>()
        .join(", ");
    let position_column = &key[0].0;
    let mut rows = db.query_raw(
        &format!("SELECT \"{position_column}\" AS position, * FROM \"{table}\" ORDER BY {order}"),
        std::iter::empty::<&(dyn postgres::types::ToSql + Sync)>(),
    )?;
    let mut next = links.iter().peekable();
    let mut open: Option<(&Stored, Rows)> = None;
    let close = |open: Option<(&Stored, Rows)>| -> Option<String> {
        let (link, rows) = open?;
        let found = rows.rows();
        let sealed = Digest::from_bytes(&link.hash)
            .is_some_and(|h| rows.are_sealed_by(&h, &link.prev, table, link.first, link.last));
        (!sealed).then(|| {
            format!(
                "{table} {}-{}: one of the {} rows sealed together was changed since (chain link {}; {found} rows found)",
                link.first, link.last, link.rows, link.id
            )
        })
    };
    while let Some(row) = rows.next()? {
        *read += 1;
        let position: i64 = row.try_get(0)?;
        loop {
            match open.as_ref() {
                Some((link, _)) if position > link.last => {
                    if let Some(problem) = close(open.take()) {
                        return Ok(Some(problem));
                    }
                }
                Some(_) => break,
                None => match next.next_if(|link| position >= link.first) {
                    Some(link) => {
                        open = Some((link, Rows::checking(&link.prev, table, link.columns)))
                    }
                    None => return Ok(Some(format!("{table} {position}: a row no link seals"))),
                },
            }
        }
        if let Some((_, sealed)) = open.as_mut() {
            // The position comes first, then every column of the table.
            let values = (1..row.len())
                .map(|i| Owned::from_pg(&row, i))
                .collect::<Result<Vec<_>, _>>()?;
            sealed.push(position, values.iter().map(Owned::as_chained));
        }
    }
    if let Some(problem) = close(open.take()) {
        return Ok(Some(problem));
    }
    Ok(next.next().map(|link| {
        format!(
            "{table} {}-{}: chain link {} seals rows that are gone",
            link.first, link.last, link.id
        )
    }))
}
