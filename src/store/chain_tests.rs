//! The hash chain on a real file: every write sealed, and each way round it seen. File only:
//! each way round is a SQLite shell or schema; a team's database's chain is checked by `pg::verify`
//! (tests/postgres.rs moves a sealed caseload in and names an edit made there).

use super::tests::{add_tenancy, call, d, entry, old_file_with_a_tenancy, temp_store};
use super::*;
use crate::domain::ledger::EntryKind;
use rusqlite::Connection;

/// The file as the `sqlite3` shell sees it: no caseload code in between.
fn shell(store: &Store) -> Connection {
    Connection::open(store.path()).unwrap()
}

fn note(w: &mut Writer<'_>, tenancy_id: i64, body: &str) -> Result<i64> {
    w.append_note(&NewNote {
        tenancy_id,
        at: d("2026-11-02").and_hms_opt(10, 5, 0).unwrap(),
        officer: "tester",
        body,
        action_id: None,
        amends: None,
    })
}

/// A tenancy with rows in the ledger, actions, notes, audit, an assessment of two lines (two
/// rows at one position) and a contact; returns (tenancy, account).
fn casework(store: &mut Store) -> (i64, i64) {
    let (t, a) = add_tenancy(store, "T1");
    store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a, "2026-11-02", EntryKind::Charge, 100))?;
            w.append_entry(&entry(a, "2026-11-03", EntryKind::Payment, 40))?;
            let action = w.append_action(&call(t))?;
            note(w, t, "Will pay Friday")?;
            w.audit("tenancy", t, "patch", Some("North"), Some("South"))?;
            w.tx().unwrap().execute_batch(&format!(
                "INSERT INTO contacts (action_id, party, outcome) VALUES ({action}, 'tenant', 'spoke');
                 INSERT INTO assessments (tenancy_id, assessed_on, adults, dependants, non_dependants,
                    vehicles, officer, at, batch_id)
                    VALUES ({t}, '2026-11-02', 1, 0, 0, 0, 'tester', '2026-11-02T10:00:00', 1);
                 INSERT INTO assessment_lines (assessment_id, item, amount)
                    VALUES (last_insert_rowid(), 'wages', 120000), (last_insert_rowid(), 'rent', 40000);"
            ))?;
            Ok(())
        })
        .unwrap();
    (t, a)
}

/// Each table's first break, for the tables that have one.
fn breaks(store: &Store) -> Vec<(String, Break)> {
    store
        .walk_chain(None)
        .unwrap()
        .tables
        .into_iter()
        .filter_map(|t| t.first_break.map(|b| (t.table, b)))
        .collect()
}

fn first_id(store: &Store, sql: &str) -> i64 {
    store
        .sqlite()
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn every_append_only_table_is_chained_and_every_write_sealed() {
    let (_dir, mut store) = temp_store();
    casework(&mut store);
    let report = store.walk_chain(None).unwrap();
    let names: Vec<&str> = report.tables.iter().map(|t| t.table.as_str()).collect();
    // Found by their triggers: every table that refuses UPDATE or DELETE, the chain aside.
    let append_only: Vec<String> = store
        .sqlite()
        .unwrap()
        .prepare(
            "SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'trigger'
               AND name LIKE '%\\_no\\_update' ESCAPE '\\' AND tbl_name <> 'chain' ORDER BY 1",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(names, append_only);
    for table in [
        "ledger",
        "actions",
        "notes",
        "plans",
        "plan_events",
        "audit",
        "batches",
        "notices",
        "court_events",
        "pauses",
        "overrides",
        "contacts",
        "promises",
        "referrals",
        "assessments",
        "assessment_lines",
    ] {
        assert!(names.contains(&table), "{table} is chained");
    }
    for t in &report.tables {
        assert_eq!(t.first_break, None, "{}", t.table);
    }
    let by = |name: &str| report.tables.iter().find(|t| t.table == name).unwrap();
    // An officer's rows each have their own link; the two lines of one assessment share one.
    assert_eq!((by("ledger").rows, by("ledger").links), (2, 2));
    assert_eq!(
        (by("assessment_lines").rows, by("assessment_lines").links),
        (2, 1)
    );
    let links: i64 = first_id(&store, "SELECT count(*) FROM chain");
    let (head, _) = report.head.unwrap();
    assert_eq!(head, links);
}

#[test]
fn a_note_forged_through_a_plain_connection_stays_unsealed_whatever_is_written_after() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    shell(&store)
        .execute_batch(&format!(
            "INSERT INTO notes (tenancy_id, at, officer, body, batch_id)
             VALUES ({t}, '2026-11-01T09:00:00', 'tester', 'Tenant admitted everything', 1)"
        ))
        .unwrap();
    let forged = first_id(&store, "SELECT max(id) FROM notes");
    let unsealed = Break::Unsealed {
        first: forged,
        last: forged,
        rows: 1,
    };
    assert_eq!(
        breaks(&store),
        vec![("notes".to_string(), unsealed.clone())]
    );
    // The next officer's note is sealed; the forged one is not taken in with it.
    store
        .write("tester", "test", |w| note(w, t, "Called back"))
        .unwrap();
    assert_eq!(breaks(&store), vec![("notes".to_string(), unsealed)]);
    let (row, what) = breaks(&store)[0].1.describe();
    assert_eq!(row, forged.to_string());
    assert!(what.contains("added outside caseload"), "{what}");
}

#[test]
fn an_edit_after_drop_trigger_names_the_table_and_row() {
    let (_dir, mut store) = temp_store();
    casework(&mut store);
    let entry = first_id(&store, "SELECT id FROM ledger WHERE kind = 'payment'");
    shell(&store)
        .execute_batch(&format!(
            "DROP TRIGGER ledger_no_update; UPDATE ledger SET amount = amount - 100 WHERE id = {entry};"
        ))
        .unwrap();
    let found = breaks(&store);
    assert_eq!(found.len(), 1, "{found:?}");
    let (table, brk) = &found[0];
    assert_eq!(table, "ledger");
    assert!(
        matches!(brk, Break::Broken { first, last, sealed: 1, found: 1, .. } if *first == entry && *last == entry),
        "{brk:?}"
    );
    assert!(brk.describe().1.starts_with("changed since it was sealed"));
}

#[test]
fn replace_into_with_its_trigger_dropped_breaks_the_link() {
    let (_dir, mut store) = temp_store();
    casework(&mut store);
    let id = first_id(&store, "SELECT max(id) FROM notes");
    let conn = shell(&store);
    // The trigger that refuses REPLACE INTO goes first, if this version has one.
    for trigger in ["notes_no_replace", "notes_no_delete"] {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {trigger}"))
            .unwrap();
    }
    conn.execute_batch(&format!(
        "REPLACE INTO notes (id, tenancy_id, at, officer, body, batch_id)
         VALUES ({id}, 1, '2026-11-02T10:05:00', 'tester', 'Will not pay', 1)"
    ))
    .unwrap();
    let found = breaks(&store);
    assert!(
        matches!(&found[..], [(table, Break::Broken { first, .. })] if table == "notes" && *first == id),
        "{found:?}"
    );
}

#[test]
fn a_deleted_row_breaks_its_link_at_the_end_of_a_table_too() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    store
        .write("tester", "test", |w| note(w, t, "Second"))
        .unwrap();
    let (first, last) = (
        first_id(&store, "SELECT min(id) FROM notes"),
        first_id(&store, "SELECT max(id) FROM notes"),
    );
    let conn = shell(&store);
    conn.execute_batch(&format!(
        "DROP TRIGGER notes_no_delete; DELETE FROM notes WHERE id = {first};"
    ))
    .unwrap();
    let gone = |id| Break::Broken {
        link: 0,
        first: id,
        last: id,
        sealed: 1,
        found: 0,
    };
    let without_link = |found: Vec<(String, Break)>| -> Vec<(String, Break)> {
        found
            .into_iter()
            .map(|(t, b)| match b {
                Break::Broken {
                    first,
                    last,
                    sealed,
                    found,
                    ..
                } => (
                    t,
                    Break::Broken {
                        link: 0,
                        first,
                        last,
                        sealed,
                        found,
                    },
                ),
                other => (t, other),
            })
            .collect()
    };
    assert_eq!(
        without_link(breaks(&store)),
        vec![("notes".into(), gone(first))]
    );
    conn.execute_batch(&format!("DELETE FROM notes WHERE id = {last};"))
        .unwrap();
    assert_eq!(
        without_link(breaks(&store)),
        vec![("notes".into(), gone(first))]
    );
    let last_walk = store.walk_chain(Some(1)).unwrap();
    let notes = last_walk
        .tables
        .iter()
        .find(|t| t.table == "notes")
        .unwrap();
    assert_eq!(
        without_link(vec![("notes".into(), notes.first_break.clone().unwrap())]),
        vec![("notes".into(), gone(last))]
    );
    assert!(
        gone(last)
            .describe()
            .1
            .starts_with("1 of the 1 rows sealed here are gone")
    );
}

#[test]
fn a_bulk_write_is_sealed_in_blocks_and_a_change_names_its_block() {
    let (_dir, mut store) = temp_store();
    let (_, a) = add_tenancy(&mut store, "T1");
    let entries: Vec<_> = (0..600)
        .map(|_| entry(a, "2026-11-02", EntryKind::Charge, 1))
        .collect();
    store
        .write_bulk("tester", "import", |w| w.append_entries(&entries).map(drop))
        .unwrap();
    let links: Vec<(i64, i64, i64)> = store
        .sqlite()
        .unwrap()
        .prepare("SELECT first_key, last_key, rows FROM chain WHERE tbl = 'ledger' ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(links, vec![(1, 256, 256), (257, 512, 256), (513, 600, 88)]);
    assert_eq!(breaks(&store), vec![]);
    shell(&store)
        .execute_batch(
            "DROP TRIGGER ledger_no_update; UPDATE ledger SET date = '2026-11-03' WHERE id = 300;",
        )
        .unwrap();
    let found = breaks(&store);
    assert!(
        matches!(&found[..], [(t, Break::Broken { first: 257, last: 512, sealed: 256, found: 256, .. })] if t == "ledger"),
        "{found:?}"
    );
    assert_eq!(found[0].1.describe().0, "257-512");
}

#[test]
fn a_column_added_later_leaves_the_rows_sealed_before_it_valid() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    // As a later migration would.
    store
        .sqlite()
        .unwrap()
        .execute_batch("ALTER TABLE notes ADD COLUMN mood TEXT NOT NULL DEFAULT 'calm'")
        .unwrap();
    store.sqlite().unwrap().flush_prepared_statement_cache();
    store
        .write("tester", "test", |w| note(w, t, "Later"))
        .unwrap();
    assert_eq!(breaks(&store), vec![]);
    let columns: Vec<i64> = store
        .sqlite()
        .unwrap()
        .prepare("SELECT columns FROM chain WHERE tbl = 'notes' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(columns, vec![8, 9]);
}

#[test]
fn a_rewritten_link_breaks_and_so_does_the_next() {
    let (_dir, mut store) = temp_store();
    casework(&mut store);
    // The link of an officer's last ledger entry, which a note's link follows.
    let rewritten = first_id(&store, "SELECT max(id) FROM chain WHERE tbl = 'ledger'");
    shell(&store)
        .execute_batch(&format!(
            "DROP TRIGGER chain_no_update;
             UPDATE chain SET hash = zeroblob(32) WHERE id = {rewritten};"
        ))
        .unwrap();
    let found = breaks(&store);
    assert!(
        found
            .iter()
            .any(|(t, b)| t == "ledger"
                && matches!(b, Break::Broken { link, .. } if *link == rewritten)),
        "{found:?}"
    );
    let next = store
        .sqlite()
        .unwrap()
        .query_row(
            "SELECT tbl, id FROM chain WHERE id = ?1 + 1",
            [rewritten],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )
        .unwrap();
    assert_eq!(next.0, "notes");
    assert!(
        found.iter().any(
            |(t, b)| *t == next.0 && matches!(b, Break::Broken { link, .. } if *link == next.1)
        ),
        "{found:?}"
    );
}

#[test]
fn a_file_from_before_the_chain_is_sealed_as_it_is_brought_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // The last version without the chain.
        let conn = old_file_with_a_tenancy(&path, 9);
        conn.execute_batch(
            "INSERT INTO notes (tenancy_id, at, officer, body, batch_id)
                VALUES (1, '2026-01-01T09:00:00', 'x', 'Old note', 1);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let report = store.walk_chain(None).unwrap();
    let notes = report.tables.iter().find(|t| t.table == "notes").unwrap();
    assert_eq!((notes.rows, notes.links, &notes.first_break), (1, 1, &None));
    assert!(report.tables.iter().all(|t| t.first_break.is_none()));
}

#[test]
fn the_quick_walk_reads_only_the_newest_links_and_still_sees_rows_after_them() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    for i in 0..5 {
        store
            .write("tester", "test", |w| note(w, t, &format!("note {i}")))
            .unwrap();
    }
    let quick = store.walk_chain(Some(2)).unwrap();
    let notes = quick.tables.iter().find(|t| t.table == "notes").unwrap();
    assert_eq!((notes.links, notes.rows), (2, 2));
    shell(&store)
        .execute_batch(&format!(
            "INSERT INTO notes (tenancy_id, at, officer, body, batch_id)
             VALUES ({t}, '2026-11-01T09:00:00', 'tester', 'forged', 1)"
        ))
        .unwrap();
    let quick = store.walk_chain(Some(2)).unwrap();
    let notes = quick.tables.iter().find(|t| t.table == "notes").unwrap();
    assert!(
        matches!(notes.first_break, Some(Break::Unsealed { rows: 1, .. })),
        "{notes:?}"
    );
}

#[test]
fn a_new_append_only_table_is_chained_by_its_triggers_or_writes_are_refused() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    // As a later migration would add one: found by its trigger, sealed with no list to update.
    store
        .sqlite().unwrap()
        .execute_batch(
            "CREATE TABLE reminders (id INTEGER PRIMARY KEY, tenancy_id INTEGER NOT NULL, body TEXT);
             CREATE TRIGGER reminders_no_update BEFORE UPDATE ON reminders
             BEGIN SELECT RAISE(ABORT, 'reminders are append-only'); END;",
        )
        .unwrap();
    store.chained = None;
    store
        .write("tester", "test", |w| {
            w.tx().unwrap().execute(
                "INSERT INTO reminders (tenancy_id, body) VALUES (?1, 'Rent is due')",
                [t],
            )?;
            Ok(())
        })
        .unwrap();
    let sealed: i64 = first_id(&store, "SELECT count(*) FROM chain WHERE tbl = 'reminders'");
    assert_eq!(sealed, 1);

    // One whose key cannot give its rows an order is refused loudly, not left out quietly.
    store
        .sqlite()
        .unwrap()
        .execute_batch(
            "CREATE TABLE stamps (code TEXT PRIMARY KEY, at TEXT) WITHOUT ROWID;
             CREATE TRIGGER stamps_no_delete BEFORE DELETE ON stamps
             BEGIN SELECT RAISE(ABORT, 'stamps are append-only'); END;",
        )
        .unwrap();
    store.chained = None;
    let refused = store.write("tester", "test", |w| note(w, t, "Anything"));
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("stamps") && m.contains("not chained")),
        "{}",
        refused.err().map(|e| e.to_string()).unwrap_or_default()
    );
}

#[test]
fn a_bulk_write_seals_the_ledger_as_it_hashed_it_while_writing() {
    let (_dir, mut store) = temp_store();
    let (_, a) = add_tenancy(&mut store, "T1");
    let entries: Vec<_> = (0..300)
        .map(|_| entry(a, "2026-11-02", EntryKind::Charge, 1))
        .collect();
    // The rows as hashed while written are what is sealed: hashed otherwise, they show.
    store
        .write_bulk("tester", "import", |w| {
            let ids = w.append_entries(&entries)?;
            let mut doctored = chain::Streamed::new("ledger");
            for id in ids {
                let amount = if id == 7 { 2_i64 } else { 100 };
                let bound: Vec<rusqlite::types::ToSqlOutput<'_>> = vec![
                    a.into(),
                    "2026-11-02".into(),
                    "charge".into(),
                    rusqlite::types::Null.into(),
                    amount.into(),
                    rusqlite::types::Null.into(),
                    rusqlite::types::Null.into(),
                    rusqlite::types::Null.into(),
                    w.batch_id().into(),
                ];
                doctored.push(id, &bound);
            }
            w.streamed = Some(doctored);
            Ok(())
        })
        .unwrap();
    let found = breaks(&store);
    assert!(
        matches!(&found[..], [(t, Break::Broken { first: 1, last: 256, .. })] if t == "ledger"),
        "{found:?}"
    );
}

#[test]
fn rows_written_another_way_among_them_are_read_back_instead() {
    let (_dir, mut store) = temp_store();
    let (t, a) = add_tenancy(&mut store, "T1");
    let entries: Vec<_> = (0..100)
        .map(|_| entry(a, "2026-11-02", EntryKind::Charge, 1))
        .collect();
    store
        .write_bulk("tester", "import", |w| {
            w.append_entries(&entries)?;
            w.tx().unwrap().execute(
                "INSERT INTO ledger (account_id, date, kind, amount, batch_id)
                 VALUES (?1, '2026-11-03', 'charge', 500, ?2)",
                [a, w.batch_id()],
            )?;
            w.append_entries(&entries)?;
            note(w, t, "Imported")?;
            Ok(())
        })
        .unwrap();
    assert_eq!(breaks(&store), vec![]);
    let sealed: i64 = first_id(&store, "SELECT sum(rows) FROM chain WHERE tbl = 'ledger'");
    assert_eq!(sealed, 201);
}

/// Seals every link again, in chain order, as the first encoding did (written out here apart from
/// [`crate::chain`]): a file sealed before the second encoding.
fn reseal_in_the_first_encoding(conn: &Connection) {
    use rusqlite::types::ValueRef;
    let encode = |buf: &mut Vec<u8>, v: ValueRef<'_>| match v {
        ValueRef::Null => buf.push(0),
        ValueRef::Integer(i) => buf.extend([1].into_iter().chain(i.to_be_bytes())),
        ValueRef::Real(r) => buf.extend([2].into_iter().chain(r.to_bits().to_be_bytes())),
        ValueRef::Text(b) | ValueRef::Blob(b) => {
            buf.push(if matches!(v, ValueRef::Text(_)) { 3 } else { 4 });
            buf.extend((b.len() as u64).to_be_bytes());
            buf.extend(b);
        }
    };
    conn.execute_batch("DROP TRIGGER chain_no_update").unwrap();
    let links: Vec<(i64, String, i64, i64, i64, i64)> = conn
        .prepare("SELECT id, tbl, first_key, last_key, rows, columns FROM chain ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = [0_u8; 32];
    for (id, table, first, last, rows, columns) in links {
        let key: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")
            .unwrap()
            .query_map([&table], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut buf = prev.to_vec();
        buf.extend((table.len() as u64).to_be_bytes());
        buf.extend(table.as_bytes());
        buf.extend((columns as u64).to_be_bytes());
        let sql = format!(
            "SELECT * FROM {table} WHERE {p} BETWEEN ?1 AND ?2 ORDER BY {order}",
            p = key[0],
            order = key.join(", ")
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut read = stmt.query([first, last]).unwrap();
        while let Some(row) = read.next().unwrap() {
            for i in 0..columns as usize {
                encode(&mut buf, row.get_ref(i).unwrap());
            }
        }
        for n in [first, last, rows] {
            buf.extend(n.to_be_bytes());
        }
        let context = "caseload 2026-11 append-only records hash chain link v1";
        prev = *blake3::Hasher::new_derive_key(context)
            .update(&buf)
            .finalize()
            .as_bytes();
        conn.execute(
            "UPDATE chain SET hash = ?1 WHERE id = ?2",
            rusqlite::params![&prev[..], id],
        )
        .unwrap();
    }
}

#[test]
fn a_file_sealed_in_the_first_encoding_still_verifies_and_still_shows_an_edit() {
    let (_dir, mut store) = temp_store();
    let (t, _) = casework(&mut store);
    let before = store.walk_chain(None).unwrap().head;
    reseal_in_the_first_encoding(&shell(&store));
    assert_ne!(store.walk_chain(None).unwrap().head, before);
    assert_eq!(breaks(&store), vec![]);
    // Writes go on in the second encoding after the first's links.
    store
        .write("tester", "test", |w| note(w, t, "Paid"))
        .unwrap();
    assert_eq!(breaks(&store), vec![]);
    let first_note = first_id(&store, "SELECT min(id) FROM notes");
    shell(&store)
        .execute_batch(&format!(
            "DROP TRIGGER notes_no_update; UPDATE notes SET body = 'Will not pay' WHERE id = {first_note};"
        ))
        .unwrap();
    let found = breaks(&store);
    assert!(
        matches!(&found[..], [(t, Break::Broken { first, .. })] if t == "notes" && *first == first_note),
        "{found:?}"
    );
}
