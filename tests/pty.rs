//! End to end: the built binary in a real pseudo-terminal, read back through a terminal emulator.

mod common;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_caseload");

struct Terminal {
    parser: vt100::Parser,
    output: Receiver<Vec<u8>>,
    input: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    reading: Arc<AtomicBool>,
    reader: JoinHandle<()>,
}

impl Terminal {
    fn start(args: &[&str], home: &Path) -> Terminal {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        Terminal::spawn(cmd, home)
    }

    fn spawn(mut cmd: CommandBuilder, home: &Path) -> Terminal {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 140,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("HOME", home);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        // Non-blocking reads let the reader thread stop, so the test can close every handle on
        // the terminal, as closing its window does.
        let fd = pair.master.as_raw_fd().unwrap();
        // SAFETY: fcntl on a descriptor this test owns, changing only its blocking flag.
        unsafe {
            libc::fcntl(
                fd,
                libc::F_SETFL,
                libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK,
            )
        };
        let mut source = pair.master.try_clone_reader().unwrap();
        let reading = Arc::new(AtomicBool::new(true));
        let (tx, output) = channel();
        let flag = Arc::clone(&reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while flag.load(Ordering::Relaxed) {
                match source.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        Terminal {
            parser: vt100::Parser::new(
                std::num::NonZero::new(40).unwrap(),
                std::num::NonZero::new(140).unwrap(),
                0,
            ),
            output,
            input: pair.master.take_writer().unwrap(),
            child,
            master: pair.master,
            reading,
            reader,
        }
    }

    /// Closes every handle on the terminal, as closing its window does.
    fn close(self) -> Box<dyn Child + Send + Sync> {
        self.reading.store(false, Ordering::Relaxed);
        self.reader.join().unwrap();
        drop(self.input);
        drop(self.master);
        self.child
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Reads output until the screen shows `text`, or fails with what it does show.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "never saw {text:?}; screen:\n{}",
                self.screen()
            );
            if let Ok(bytes) = self
                .output
                .recv_timeout(left.min(Duration::from_millis(100)))
            {
                self.parser.process(&bytes);
            }
        }
    }

    fn wait_gone(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.screen().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} never went; screen:\n{}",
                self.screen()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                self.parser.process(&bytes);
            }
        }
        // `text` goes with the first part of a frame to arrive; what is asserted next is the
        // whole frame, so read on until the terminal has been quiet for a moment.
        while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
            self.parser.process(&bytes);
        }
    }

    /// Resizes the window, as dragging its corner does (the program is sent SIGWINCH).
    fn resize(&mut self, rows: u16, cols: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let size = |n| std::num::NonZero::new(n).unwrap();
        self.parser.set_size(size(rows), size(cols));
    }

    fn send(&mut self, keys: &str) {
        self.input.write_all(keys.as_bytes()).unwrap();
        self.input.flush().unwrap();
    }

    /// Waits for the program to end and drains what it wrote last.
    fn finish(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(300)) {
                    self.parser.process(&bytes);
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "did not exit; screen:\n{}",
                self.screen()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(50)) {
                self.parser.process(&bytes);
            }
        }
    }

    fn assert_restored(&self) {
        let screen = self.parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "cursor left hidden");
    }
}

/// A demo caseload of its own for each test: one is generated (slow in a debug build) and copied.
fn demo(dir: &Path) -> String {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.db");
        let status = Command::new(BIN)
            .args([
                "demo",
                "--accounts",
                "300",
                "--today",
                "2026-11-23",
                "--out",
            ])
            .arg(&db)
            .status()
            .unwrap();
        assert!(status.success());
        (dir, db)
    });
    let db = dir.join("demo.db");
    std::fs::copy(template, &db).unwrap();
    db.to_string_lossy().into_owned()
}

#[test]
fn move_filter_help_and_quit_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = Terminal::start(&["--db", &db, "--today", "2026-11-23"], dir.path());
    t.wait_for("All 300 ");
    t.wait_for("2 Case history");
    t.wait_for(" NORMAL ");
    t.send("jj");
    t.send("/smith");
    t.wait_for(" here · ");
    t.wait_for("“smith”");
    t.send("\r");
    t.wait_for(" NORMAL ");
    t.send("?");
    t.wait_for("Keys: NORMAL mode");
    t.wait_for("filter the queue as you type");
    t.send("\x1b");
    t.wait_gone("Keys: NORMAL mode");
    assert!(
        t.screen().contains("“smith”"),
        "filter kept after help:\n{}",
        t.screen()
    );
    t.send("q");
    let status = t.finish();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    // The first run wrote the documented config for the officer to edit.
    let config = dir
        .path()
        .join("config")
        .join("caseload")
        .join("config.toml");
    assert!(
        std::fs::read_to_string(config)
            .unwrap()
            .contains("[keys.normal]")
    );
}

#[test]
fn resizing_the_window_draws_the_screen_again_at_its_new_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = Terminal::start(&["--db", &db, "--today", "2026-11-23"], dir.path());
    t.wait_for("All 300 ");
    t.wait_for("2 Case history");
    // Smaller than four panes need: the queue alone, drawn whole at the new width.
    t.resize(20, 60);
    t.wait_gone("2 Case history");
    t.wait_for("1 Queue");
    let screen = t.screen();
    let rows: Vec<&str> = screen.lines().collect();
    // The pane's frame reaches the new right edge, and the status bar is on the new last row.
    assert!(rows.iter().any(|r| r.chars().count() == 60), "{screen}");
    assert!(
        rows.get(19).is_some_and(|r| r.contains("NORMAL")),
        "{screen}"
    );
    // Larger again: every pane comes back.
    t.resize(40, 140);
    t.wait_for("2 Case history");
    t.wait_for("4 Notes");
    t.send("q");
    assert!(t.finish().success());
    t.assert_restored();
}

#[test]
fn closing_the_terminal_ends_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut t = Terminal::start(&["--db", &db, "--today", "2026-11-23"], dir.path());
    t.wait_for("All 300 ");
    let mut child = t.close();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "still running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_broken_config_is_refused_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[colours]\naccent = \"sky\"\n").unwrap();
    let db = dir.path().join("x.db");
    let mut t = Terminal::start(
        &[
            "--db",
            &db.to_string_lossy(),
            "--config",
            &config.to_string_lossy(),
        ],
        dir.path(),
    );
    let status = t.finish();
    assert!(!status.success());
    assert!(
        t.screen().contains("line 2, key `colours.accent`"),
        "{}",
        t.screen()
    );
    t.assert_restored();
    assert!(!db.exists(), "nothing was created");
}

#[test]
fn kill_9_mid_call_loses_at_most_the_last_second() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let args = ["--db", db.as_str(), "--today", "2026-11-23"];
    let mut t = Terminal::start(&args, dir.path());
    t.wait_for("2 Case history 1 of");
    t.send("c");
    t.wait_for("Call: who?");
    t.send("1");
    t.wait_for("Outgoing: I am calling them");
    // Typing at once starts an outgoing call with the first letter kept.
    let sentence = "Tenant says she will pay £25 on Friday; q and : are just text here.";
    t.send(sentence);
    t.wait_for(" NOTE ");
    t.wait_for("are just text here.");
    // A second after the last key, the words are on disk.
    std::thread::sleep(Duration::from_millis(1_000));
    kill_9(&mut t);
    drop(t);

    let mut t = Terminal::start(&args, dir.path());
    t.wait_for("Unsaved notes from last time");
    t.send("\r");
    t.wait_for(" NOTE ");
    t.wait_for(sentence);
    t.send("\x1b");
    t.wait_for("The note stays open");
    t.send("q");
    t.wait_for("Quit anyway?");
    t.send("y");
    assert!(t.finish().success());
    t.assert_restored();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let body: String = conn
        .query_row("SELECT body FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, sentence, "restored verbatim, and still a draft");
}

fn kill_9(t: &mut Terminal) {
    let pid = t.child.process_id().unwrap().to_string();
    assert!(
        Command::new("kill")
            .args(["-KILL", &pid])
            .status()
            .unwrap()
            .success()
    );
    t.finish();
}

#[test]
fn typing_through_a_long_write_lock_then_kill_9_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let args = ["--db", db.as_str(), "--today", "2026-11-23"];
    let mut t = Terminal::start(&args, dir.path());
    t.wait_for("2 Case history");
    t.send("n");
    t.wait_for(" NOTE ");
    t.send("Before the lock. ");
    t.wait_for("Before the lock.");
    // Another workstation holds the write lock: ten times as long as the saver ever waits.
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let locked = Instant::now();
    t.send("Typed while another officer saves. ");
    t.wait_for("Draft not saved yet: database busy, retrying");
    t.send("And more.");
    t.wait_for("And more.");
    std::thread::sleep(Duration::from_millis(2_000).saturating_sub(locked.elapsed()));
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    // A second after the lock is released, the workstation dies.
    std::thread::sleep(Duration::from_millis(1_000));
    kill_9(&mut t);
    drop(t);

    let mut t = Terminal::start(&args, dir.path());
    t.wait_for("Unsaved notes from last time");
    t.send("\r");
    t.wait_for(" NOTE ");
    t.wait_for("Before the lock. Typed while another officer saves. And more.");
}

#[test]
fn a_save_held_up_by_a_lock_lands_on_screen_and_keeps_what_was_typed_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let args = ["--db", db.as_str(), "--today", "2026-11-23"];
    let mut t = Terminal::start(&args, dir.path());
    t.wait_for("2 Case history");
    t.send("n");
    t.wait_for(" NOTE ");
    t.send("Repro D.");
    t.wait_for("Repro D.");
    // Another workstation holds the database while the officer types on: a second and a half
    // after the keys, so a workstation slowed by a busy machine has read them while it waits
    // (keys it reads only after the save has landed are the queue's, as they would be).
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    t.send("\x13");
    t.wait_for("Saving: waiting for the database");
    t.send("hello");
    std::thread::sleep(Duration::from_millis(1_500));
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    // No key is pressed: the screen says it is saved as soon as it is, with the words typed
    // meanwhile in a new note.
    t.wait_for("Note saved.");
    t.wait_gone("Saving: waiting");
    t.wait_for("in a new note");
    t.send(" world");
    t.wait_for("hello world");
    t.send("\x1b");
    t.wait_for("The note stays open");
    t.send("q");
    t.wait_for("Quit anyway?");
    t.send("y");
    assert!(t.finish().success());
    t.assert_restored();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let saved: i64 = conn
        .query_row(
            "SELECT count(*) FROM notes WHERE body = 'Repro D.'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(saved, 1, "saved once");
    let draft: String = conn
        .query_row("SELECT body FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(draft, "hello world", "nothing typed was lost");
}

/// The process whose parent is `parent` (the workstation started by a shell).
fn child_of(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...: the name may hold spaces, so read after its ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) {
                return pid;
            }
        }
        assert!(Instant::now() < deadline, "no child of {parent}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `signal` to the workstation mid-note: it must save the note's last keystrokes, end with
/// 128 + the signal's number, and leave the terminal as it found it (`stty -a`, run by the shell
/// afterwards, shows `icanon echo`).
fn a_signal_saves_the_note_and_restores_the_terminal(signal: &str, number: i32) {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let mut cmd = CommandBuilder::new("sh");
    cmd.args([
        "-c",
        "\"$0\" \"$@\"; echo \"ended $?\"; stty -a",
        BIN,
        "--db",
        &db,
        "--today",
        "2026-11-23",
    ]);
    let mut t = Terminal::spawn(cmd, dir.path());
    t.wait_for("2 Case history");
    t.send("n");
    t.wait_for(" NOTE ");
    let words = format!("Typed just before SIG{signal}.");
    t.send(&words);
    t.wait_for(&words);
    let workstation = child_of(t.child.process_id().unwrap()).to_string();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &workstation])
        .status()
        .unwrap();
    assert!(sent.success());
    t.wait_for("ended ");
    t.finish();
    t.assert_restored();
    let screen = t.screen();
    assert!(
        screen.contains(&format!("ended {}", 128 + number)),
        "{screen}"
    );
    let settings: Vec<&str> = screen
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    for wanted in ["icanon", "echo"] {
        assert!(
            settings.contains(&wanted),
            "no {wanted} after SIG{signal}:\n{screen}"
        );
        let off = format!("-{wanted}");
        assert!(
            !settings.contains(&off.as_str()),
            "{off} after SIG{signal}:\n{screen}"
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let body: String = conn
        .query_row("SELECT body FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, words, "the last keystrokes were saved");
}

#[test]
fn sigint_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("INT", 2);
}

#[test]
fn sigquit_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("QUIT", 3);
}

#[test]
fn sigterm_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("TERM", 15);
}

#[test]
fn sighup_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("HUP", 1);
}

#[test]
fn sigusr1_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("USR1", 10);
}

#[test]
fn sigusr2_saves_the_note_and_restores_the_terminal() {
    a_signal_saves_the_note_and_restores_the_terminal("USR2", 12);
}

/// Two workstations, two officers, one team database (`CASELOAD_TEST_PG`; skipped without one,
/// as the tests of `tests/postgres.rs` are).
#[test]
fn two_workstations_on_one_team_database_see_each_others_calls_and_writes_at_once() {
    use caseload::store::pg::{self, scratch::Scratch};
    let Some(mut db) = Scratch::new("pty_team") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = common::small_demo(dir.path());
    pg::move_in(&file, &db.url()).unwrap();
    let (alice, alice_url) = db.officer("alice");
    let (bob, bob_url) = db.officer("bob");
    let home = |who: &str| {
        let home = dir.path().join(who);
        std::fs::create_dir_all(&home).unwrap();
        home
    };
    let mut a = Terminal::start(&["--db", &alice_url, "--today", "2026-11-23"], &home("a"));
    let mut b = Terminal::start(&["--db", &bob_url, "--today", "2026-11-23"], &home("b"));
    // The account is read after the first frame: a call waits for it (who is on the phone).
    a.wait_for("2 Case history 1 of");
    b.wait_for("2 Case history 1 of");

    // Alice rings the tenant of the account both have open.
    a.send("c");
    a.wait_for("Call: who?");
    a.send("1");
    a.wait_for("Outgoing: I am calling them");
    let rang = Instant::now();
    a.send("1");
    a.wait_for(" NOTE ");
    b.wait_for(&format!("{alice} is on a call with this tenant"));
    let seen_call = rang.elapsed();

    // Bob writes a note on it meanwhile, and saves it; Alice sees him writing.
    b.send("n");
    b.wait_for(" NOTE ");
    a.wait_for(&format!("{bob} is writing a note on this account"));
    b.send("Left a card through the door\x13");
    b.wait_for("Note saved");

    // Alice saves her call with a promise: Bob's workstation has it at once.
    a.send("\x13");
    a.wait_for("what came of it?");
    let saved = Instant::now();
    a.send("p50\rfriday\r\r\r");
    a.wait_for("Saved: phone call");
    b.wait_for("Promise £50.00 by Fri 27 Nov");
    let seen_promise = saved.elapsed();
    b.wait_gone("is on a call with this tenant");
    eprintln!(
        "the other workstation showed the call after {} ms and the promise after {} ms",
        seen_call.as_millis(),
        seen_promise.as_millis()
    );

    // Alice rings again and her workstation is killed mid-call: Bob stops seeing the call.
    a.send("c");
    a.wait_for("Call: who?");
    a.send("11");
    b.wait_for("is on a call with this tenant");
    kill_9(&mut a);
    b.wait_gone("is on a call with this tenant");
    b.send("q");
    assert!(b.finish().success());
    b.assert_restored();

    // Nothing lost, nothing doubled: one note of Bob's, one call and promise of Alice's (the
    // killed call was never saved), every record sealed, and no one shown as present.
    let mut admin = db.admin();
    let mut count = |sql: &str, who: &str| -> i64 { admin.query_one(sql, &[&who]).unwrap().get(0) };
    assert_eq!(
        count("SELECT count(*) FROM notes WHERE officer = $1", &bob),
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM actions WHERE officer = $1 AND kind = 'call'",
            &alice
        ),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM promises WHERE officer = $1", &alice),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM presence_now WHERE officer <> $1", ""),
        0
    );
    let failed: Vec<String> = pg::verify(&db.url())
        .unwrap()
        .into_iter()
        .filter_map(|(_, problem)| problem)
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}
