//! Files that hold personal data (the database, the config written on first start, a demo,
//! statements written from the workstation, exports, the queue's kept order) are the officer's
//! alone: 0600 in folders made 0700 whatever the umask, never written through a symbolic link, and
//! an existing file is replaced whole with the private mode.
#![cfg(unix)]

mod common;

use caseload::app::state::Message;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

/// A demo of 200 tenancies made in `home` as the officer makes one: its path.
fn demo_of_200(home: &Path) -> PathBuf {
    let db = home.join("demo.db");
    let out = db.to_str().unwrap();
    let args = [
        "demo",
        "--accounts",
        "200",
        "--today",
        common::TODAY,
        "--out",
        out,
    ];
    let made = officer_runs(home, &args);
    assert!(made.status.success(), "{}", common::text(&made.stderr));
    db
}

/// The binary as an officer starts it, with the usual umask (0022), which leaves what a program
/// makes readable by everyone unless the program says otherwise; its default files under `home`.
fn officer_runs(home: &Path, args: &[&str]) -> Output {
    on_a_disk_of(u64::MAX, home, args)
}

/// [`officer_runs`] where no file may grow past `bytes`: a write past that fails as on a full
/// disk, after writing what fits.
fn on_a_disk_of(bytes: u64, home: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_caseload"));
    command
        .args(args)
        .env_remove("CASELOAD_DB")
        .env_remove("CASELOAD_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::null());
    // SAFETY: umask only sets the new process's file mode mask, before it runs caseload.
    unsafe {
        command.pre_exec(move || {
            libc::umask(0o022);
            if bytes != u64::MAX {
                let limit = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
                // Told by an error, not a signal, that the file may grow no more.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            }
            Ok(())
        })
    };
    command.output().unwrap()
}

#[test]
fn the_first_start_makes_the_database_and_config_private_whatever_the_umask() {
    let home = tempfile::tempdir().unwrap();
    // No terminal here: the workstation stops at the screen, after its files are made.
    officer_runs(home.path(), &["--today", common::TODAY]);
    let data = home.path().join("data/caseload");
    let db = data.join("caseload.db");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&db), 0o600);
    let config = home.path().join("config/caseload");
    assert_eq!(mode(&config), 0o700);
    assert_eq!(mode(&config.join("config.toml")), 0o600);
    // SQLite's write-ahead log and its index take the database file's mode.
    let store = caseload::store::Store::open(&db).unwrap();
    assert_eq!(store.tenancy_count().unwrap(), 0);
    for side in ["caseload.db-wal", "caseload.db-shm"] {
        assert_eq!(mode(&data.join(side)), 0o600, "{side}");
    }
}

#[test]
fn a_demo_and_its_folder_are_private_and_never_put_in_place_of_a_link() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("demos/small/demo.db");
    let run = |out: &Path| {
        let out = out.to_str().unwrap();
        let args = ["demo", "--accounts", "3", "--years", "1", "--out", out];
        officer_runs(
            home.path(),
            &[&args[..], &["--today", common::TODAY]].concat(),
        )
    };
    let done = run(&out);
    assert!(done.status.success(), "{}", common::text(&done.stderr));
    assert_eq!(mode(&home.path().join("demos")), 0o700);
    assert_eq!(mode(out.parent().unwrap()), 0o700);
    assert_eq!(mode(&out), 0o600);

    // A link planted where the demo goes, pointing at nothing yet: refused, said, left alone.
    let elsewhere = home.path().join("elsewhere.db");
    let planted = home.path().join("demos/planted.db");
    symlink(&elsewhere, &planted).unwrap();
    let refused = run(&planted);
    assert!(!refused.status.success());
    assert!(
        common::text(&refused.stderr).contains("symbolic link"),
        "{}",
        common::text(&refused.stderr)
    );
    assert!(!elsewhere.exists());
    assert!(planted.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn a_database_is_never_opened_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    // Someone else's file, empty: SQLite would happily make a database of it.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "").unwrap();
    let db = dir.path().join("caseload.db");
    symlink(&elsewhere, &db).unwrap();
    let err = caseload::store::Store::open(&db).err().unwrap().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read(&elsewhere).unwrap(), b"");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn the_default_config_is_never_written_through_a_link_nor_where_it_cannot_be() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere.toml");
    let config = dir.path().join("config.toml");
    symlink(&elsewhere, &config).unwrap();
    let err = caseload::config::Config::load(&config)
        .unwrap_err()
        .to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert!(!elsewhere.exists());
    // Under a file, not a folder: said, not a panic.
    let under = elsewhere.join("config.toml");
    std::fs::write(&elsewhere, "a file").unwrap();
    let err = caseload::config::Config::load(&under)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot write the default config file"),
        "{err}"
    );
    assert!(
        err.contains("elsewhere.toml is a file, not a folder"),
        "{err}"
    );
}

#[test]
fn the_days_letters_are_private_and_never_written_through_a_link() {
    let home = tempfile::tempdir().unwrap();
    let db = demo_of_200(home.path());
    let db = db.to_str().unwrap();
    let letters = |out: &Path| {
        let out = out.to_str().unwrap();
        let args = ["--demo", "--db", db, "--today", common::TODAY];
        officer_runs(
            home.path(),
            &[&args[..], &["letters", "--out", out]].concat(),
        )
    };

    // `letters/` a link planted to another folder: refused and said, that folder left empty.
    let planted = home.path().join("planted");
    let other = home.path().join("other");
    std::fs::create_dir(&planted).unwrap();
    std::fs::create_dir(&other).unwrap();
    symlink(&other, planted.join("letters")).unwrap();
    let refused = letters(&planted);
    assert!(!refused.status.success());
    assert!(
        common::text(&refused.stderr).contains("symbolic link"),
        "{}",
        common::text(&refused.stderr)
    );
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 0);

    // Nothing was recorded as sent: the batch is made in full next time, owner-only.
    let out = home.path().join("out");
    let done = letters(&out);
    assert!(done.status.success(), "{}", common::text(&done.stderr));
    let day = out.join("letters").join(common::TODAY);
    assert_eq!(mode(&out.join("letters")), 0o700);
    assert_eq!(mode(&day), 0o700);
    let files: Vec<_> = std::fs::read_dir(&day)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() > 3, "{files:?}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
}

/// A report sent to a file on a full disk (`/dev/full` is always full): said, a failure, no panic.
#[cfg(target_os = "linux")]
#[test]
fn a_report_sent_to_a_full_disk_is_said_to_be_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("caseload.db");
    drop(common::build(&db));
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let ran = Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(["--db", db.to_str().unwrap(), "--today", common::TODAY])
        .args(["report", "--format", "html"])
        .stdout(full)
        .output()
        .unwrap();
    let said = common::text(&ran.stderr);
    assert_eq!(ran.status.code(), Some(1), "{said}");
    assert!(said.contains("could not be written"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
}

#[test]
fn an_export_that_fills_the_disk_leaves_no_part_of_an_extract() {
    let home = tempfile::tempdir().unwrap();
    let db = demo_of_200(home.path());
    let db = db.to_str().unwrap();
    // Room for the first files (tenancies, tenants, accounts), not for three years of rent.
    let out = home.path().join("extract");
    let args = ["--db", db, "export", out.to_str().unwrap()];
    let full = on_a_disk_of(64 * 1024, home.path(), &args);
    assert!(!full.status.success());
    let said = common::text(&full.stderr);
    assert!(
        said.contains("cannot write") && said.contains("transactions.csv"),
        "{said}"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "{said}");
    // With room, the same export is whole.
    let done = officer_runs(home.path(), &args);
    assert!(done.status.success(), "{}", common::text(&done.stderr));
    assert!(std::fs::read_dir(&out).unwrap().count() >= 9);
}
