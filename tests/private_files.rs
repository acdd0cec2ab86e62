//! Files that hold personal data (statements written from the workstation, exports) are the
//! officer's alone: 0600 in folders made 0700, never written through a symbolic link, and an
//! existing file is replaced whole with the private mode.
#![cfg(unix)]

mod common;

use caseload::app::state::Message;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn message(s: &caseload::app::Session) -> String {
    match &s.state.message {
        Some(Message::Info(m) | Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

#[test]
fn a_statement_is_private_replaces_an_open_file_whole_and_never_follows_a_link() {
    let (dir, mut s) = common::session();
    let folder = dir.path().join("statements");
    let name = format!("100004-1-{}.txt", common::today());
    s.keys(":statement text<ret>");
    assert_eq!(mode(&folder), 0o700);
    let file = folder.join(&name);
    assert_eq!(mode(&file), 0o600);

    // Left readable by others (by hand, or by an older version): the next one is private again.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.keys(":statement text<ret>");
    assert_eq!(mode(&file), 0o600);
    assert!(std::fs::read_to_string(&file).unwrap().contains("Smithson"));

    // A link planted where the statement goes: refused, and what it points to is untouched.
    let elsewhere = dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "not yours").unwrap();
    std::fs::remove_file(&file).unwrap();
    symlink(&elsewhere, &file).unwrap();
    s.keys(":statement text<ret>");
    assert!(message(&s).contains("symbolic link"), "{}", message(&s));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not yours");

    // The folder itself a link: refused too.
    std::fs::remove_dir_all(&folder).unwrap();
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    symlink(&other, &folder).unwrap();
    s.keys(":statement text<ret>");
    assert!(message(&s).contains("symbolic link"), "{}", message(&s));
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 0);
}

fn export(db: &Path, to: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", db.to_str().unwrap(), "export", to.to_str().unwrap()])
        .output()
        .unwrap()
}

#[test]
fn an_export_is_private_and_never_written_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    drop(common::build(&db));
    let out = dir.path().join("extract");
    let done = export(&db, &out);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(mode(&out), 0o700);
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() >= 9, "{files:?}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }

    // A link where an extract file goes (pointing at nothing yet): refused, nothing created.
    let planted = dir.path().join("planted");
    std::fs::create_dir(&planted).unwrap();
    let target = dir.path().join("target.csv");
    symlink(&target, planted.join("tenancies.csv")).unwrap();
    let refused = export(&db, &planted);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("symbolic link"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(!target.exists(), "nothing written through the link");

    // The folder a link: refused.
    let linked = dir.path().join("linked");
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    symlink(&real, &linked).unwrap();
    assert!(!export(&db, &linked).status.success());
    assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);
}
