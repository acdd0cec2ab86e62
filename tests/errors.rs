//! Errors an officer can meet on the command line say what is wrong once, in plain words; a note
//! is never saved without an author.

mod common;

use common::{Env, text};
use std::path::Path;
use std::process::Output;

fn caseload(db: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_blank_officer_name_is_refused_before_anything_is_written() {
    let env = Env::new();
    drop(common::build(&env.db()));
    for blank in ["", "   ", "\t"] {
        let out = caseload(&env.db(), &["--officer", blank, "queue"]);
        assert_eq!(out.status.code(), Some(2), "{blank:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("the officer's name cannot be blank"),
            "{blank:?}: {err}"
        );
    }
    // A name is kept without the spaces around it.
    let out = caseload(
        &env.db(),
        &[
            "--officer",
            "  alice ",
            "import",
            common::example().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let officer: String = conn
        .query_row(
            "SELECT officer FROM batches ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(officer, "alice");
}

#[test]
fn the_store_refuses_a_write_with_no_officer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = common::build(&dir.path().join("caseload.db"));
    let err = store.write(" ", "test", |_| Ok(())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a write must name the officer who makes it"
    );
}

#[test]
fn a_database_from_a_newer_version_says_so_once() {
    let env = Env::new();
    drop(common::build(&env.db()));
    rusqlite::Connection::open(env.db())
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let out = env.run(&["queue"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let said = format!(
        "caseload: {} was written by a newer caseload (schema 99); this is version {}, which \
         reads schema ",
        env.db().display(),
        env!("CARGO_PKG_VERSION")
    );
    assert!(err.starts_with(&said), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("migration number"), "{err}");
}

#[test]
fn a_file_that_is_not_a_database_is_said_once_in_plain_words() {
    let env = Env::new();
    std::fs::write(env.db(), "name,balance\nAda,12.00\n".repeat(40)).unwrap();
    let out = env.run(&["queue"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert_eq!(
        err.trim_end(),
        format!(
            "caseload: cannot open the database {}: the file is not a caseload database, or it \
             is damaged",
            env.db().display()
        )
    );
}

#[test]
fn a_busy_database_is_said_once_in_plain_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let mut store = common::build(&path);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    store.set_busy_timeout(std::time::Duration::ZERO).unwrap();
    let err = store.write("tester", "test", |_| Ok(())).unwrap_err();
    assert!(err.is_busy());
    assert_eq!(
        err.to_string(),
        "the database is busy: another officer or an import is writing to it"
    );
    assert!(std::error::Error::source(&err).is_none(), "not said again");
}
