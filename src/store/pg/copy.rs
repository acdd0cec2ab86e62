//! Moving a caseload in: a SQLite file copied whole into an empty PostgreSQL database, in one
//! transaction, and checked before it commits: each table holds as many rows as the file's, each
//! account's balance is its ledger's, each case summary is what its records say, and the hash
//! chain the file sealed checks on the copy (so every record arrived exactly as written): the
//! checks of `caseload verify` (`super::verify`).

use super::super::{Result, Store, StoreError};
use super::value::Owned;
use postgres::GenericClient;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What was moved in.
#[derive(Debug)]
pub struct MovedIn {
    /// Each table and its rows, in the order they were copied.
    pub tables: Vec<(String, u64)>,
    pub links: u64,
}

/// A copy refused or found wrong: nothing was committed.
fn refused(why: String) -> StoreError {
    StoreError::Invalid(why)
}

/// Tables one engine has and the other has not, by design (SQLite's word search over notes is a
/// table of its own, PostgreSQL's is an index; PostgreSQL records its schema versions in one), and
/// who is at work now (presence), which is no part of a caseload.
fn copied(table: &str) -> bool {
    !table.starts_with("notes_search")
        && !table.starts_with("sqlite_")
        // The packed queue facts are the workstation's to pack again on the server.
        && !matches!(table, "caseload_migrations" | "presence" | "queue_facts")
}

/// Copies the caseload in `source` (brought up to date first, as opening it always does) into the
/// empty database at `url`, which must exist (`createdb`).
pub fn move_in(source: &Path, url: &str) -> Result<MovedIn> {
    let shown = super::redacted(url);
    let server = |cause| StoreError::Server {
        url: shown.clone(),
        cause,
    };
    // Reached first: checking the file may take minutes, and a database that is not there
    // should be said at once.
    let mut client = super::connect(url)?;
    let store = Store::open(source)?;
    let file = store
        .sqlite()
        .ok_or_else(|| refused(format!("{} is not a caseload file", source.display())))?;
    let verified = store.verify(&[])?;
    if verified.failed() > 0 {
        return Err(refused(format!(
            "{} fails `caseload verify` ({} checks): moving it in would carry what is wrong with it",
            source.display(),
            verified.failed()
        )));
    }
    super::migrations::to_latest(&mut client, &shown)?;
    let mut tx = client.transaction().map_err(server)?;
    let held: i64 = tx
        .query_one("SELECT count(*) FROM batches", &[])
        .map_err(server)?
        .get(0);
    if held > 0 {
        return Err(refused(format!(
            "{shown} holds a caseload already: moving one in needs an empty database"
        )));
    }
    tx.batch_execute("SELECT caseload_take_turn()")
        .map_err(server)?;

    let tables = tables_in_order(&mut tx).map_err(server)?;
    let in_file: BTreeSet<String> = file
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<BTreeSet<String>>>()?
        .into_iter()
        .filter(|t| copied(t))
        .collect();
    let on_server: BTreeSet<String> = tables.iter().map(|(t, _)| t.clone()).collect();
    if in_file != on_server {
        return Err(refused(format!(
            "the file's tables and the server's differ: only in the file {:?}, only on the server {:?}",
            in_file.difference(&on_server).collect::<Vec<_>>(),
            on_server.difference(&in_file).collect::<Vec<_>>()
        )));
    }

    // The tables the database keeps from the records (balances, case summaries, latest actions)
    // are copied as the file holds them and checked after, not worked out again row by row.
    let keeping: Vec<(String, String)> = tx
        .query(
            "SELECT c.relname::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND t.tgname LIKE '%\\_keep%'",
            &[],
        )
        .map_err(server)?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let switch = |tx: &mut postgres::Transaction<'_>, how: &str| {
        keeping.iter().try_for_each(|(table, trigger)| {
            tx.batch_execute(&format!(
                "ALTER TABLE \"{table}\" {how} TRIGGER \"{trigger}\""
            ))
        })
    };
    switch(&mut tx, "DISABLE").map_err(server)?;
    let mut moved = Vec::with_capacity(tables.len());
    for (table, columns) in &tables {
        let rows = copy_table(file, &mut tx, table, columns).map_err(|e| match e {
            Copy::Server(cause) => server(cause),
            Copy::File(e) => StoreError::Sql(e),
            Copy::Value(why) => refused(format!("{table}: {why}")),
        })?;
        moved.push((table.clone(), rows));
    }
    switch(&mut tx, "ENABLE").map_err(server)?;
    // New rows are numbered on from the copied ones.
    tx.batch_execute(
        "DO $$
         DECLARE t record;
         BEGIN
             FOR t IN SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                      WHERE a.attidentity <> '' AND c.relnamespace = 'public'::regnamespace LOOP
                 EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) FROM %I',
                                t.relname, t.attname, t.attname, t.relname);
             END LOOP;
         END $$;",
    )
    .map_err(server)?;

    for (table, rows) in &moved {
        let in_file: i64 =
            file.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })?;
        if u64::try_from(in_file).ok() != Some(*rows) {
            return Err(refused(format!(
                "{table}: the file holds {in_file} rows, {rows} were copied"
            )));
        }
    }
    let links: i64 = tx
        .query_one("SELECT count(*) FROM chain", &[])
        .map_err(server)?
        .get(0);
    let findings = super::verify::checks(&mut tx).map_err(server)?;
    if let Some((_, Some(problem))) = findings.iter().find(|(_, p)| p.is_some()) {
        return Err(refused(format!("the copy does not check: {problem}")));
    }
    tx.commit().map_err(server)?;
    // Statistics for the planner now, not when autovacuum comes round: a team's first starts
    // would otherwise be planned as if every table were empty. The schema's tables only: the
    // server's own catalogues are not the owner's to analyse.
    client
        .batch_execute(
            "DO $$
             DECLARE t record;
             BEGIN
                 FOR t IN SELECT relname FROM pg_class
                          WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace LOOP
                     EXECUTE format('ANALYZE %I', t.relname);
                 END LOOP;
             END $$;",
        )
        .map_err(server)?;
    Ok(MovedIn {
        tables: moved,
        links: u64::try_from(links).unwrap_or(0),
    })
}

enum Copy {
    Server(postgres::Error),
    File(rusqlite::Error),
    Value(String),
}

/// One table's rows, in key order, through COPY.
fn copy_table(
    file: &rusqlite::Connection,
    tx: &mut postgres::Transaction<'_>,
    table: &str,
    columns: &Columns,
) -> Result<u64, Copy> {
    let names = columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let types: Vec<Type> = columns.iter().map(|(_, t)| t.clone()).collect();
    let sink = tx
        .copy_in(&format!(
            "COPY \"{table}\" ({names}) FROM STDIN (FORMAT binary)"
        ))
        .map_err(Copy::Server)?;
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    let mut stmt = file
        .prepare(&format!("SELECT {names} FROM \"{table}\" ORDER BY 1"))
        .map_err(Copy::File)?;
    let mut rows = stmt.query([]).map_err(Copy::File)?;
    while let Some(row) = rows.next().map_err(Copy::File)? {
        let values = (0..columns.len())
            .map(|i| {
                let v = Owned::from_sqlite(row.get_ref(i).map_err(Copy::File)?);
                v.to_pg(&types[i])
                    .map_err(|why| Copy::Value(format!("column {}: {why}", columns[i].0)))
            })
            .collect::<Result<Vec<_>, Copy>>()?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            values.iter().map(|v| v.as_ref() as _).collect();
        writer.write(&refs).map_err(Copy::Server)?;
    }
    writer.finish().map_err(Copy::Server)
}

/// A table's columns that a copy writes (not the generated ones), with their types.
type Columns = Vec<(String, Type)>;

/// The server's tables, each after the tables it refers to.
fn tables_in_order(db: &mut impl GenericClient) -> Result<Vec<(String, Columns)>, postgres::Error> {
    let mut columns: BTreeMap<String, Columns> = BTreeMap::new();
    let stmt = db.prepare(
        "SELECT c.relname::text, a.attname::text, a.atttypid
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
           AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
         ORDER BY c.relname, a.attnum",
    )?;
    for r in db.query(&stmt, &[])? {
        let table: String = r.get(0);
        if copied(&table) {
            let ty = Type::from_oid(r.get(2)).unwrap_or(Type::TEXT);
            columns.entry(table).or_default().push((r.get(1), ty));
        }
    }
    let mut refers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in db.query(
        "SELECT c.relname::text, f.relname::text FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid
         WHERE k.contype = 'f' AND c.relname <> f.relname",
        &[],
    )? {
        refers.entry(r.get(0)).or_default().insert(r.get(1));
    }
    let mut ordered = Vec::with_capacity(columns.len());
    while !columns.is_empty() {
        let placed: BTreeSet<&String> = ordered.iter().map(|(t, _)| t).collect();
        let ready = columns
            .keys()
            .find(|t| {
                refers
                    .get(*t)
                    .is_none_or(|r| r.iter().all(|f| placed.contains(f)))
            })
            .or_else(|| columns.keys().next())
            .cloned();
        let Some(table) = ready else { break };
        let cols = columns.remove(&table).unwrap_or_default();
        ordered.push((table, cols));
    }
    Ok(ordered)
}
