//! Letters: made from the templates for a real case on a real SQLite file, shown in the
//! workstation before anything is written, produced (files owner-only under `letters/DATE/`,
//! each recorded with its content hash), refused or held where the tenant is protected, and
//! recorded as failed (with the reason) when they cannot be made.

mod common;

use caseload::app::Session;
use caseload::app::keymap::{Keymap, ModeKeys};
use caseload::app::state::{Message, Overlay, Settings};
use caseload::config::Config;
use caseload::domain::Money;
use caseload::domain::actions::ActionKind;
use caseload::domain::ledger::EntryKind;
use caseload::domain::letter::LetterKind;
use caseload::domain::policy::Recommendation;
use caseload::domain::tenancy::DebtType;
use caseload::letters::{self, Letters, Producing};
use caseload::store::{HistoryKind, NewEntry, Store};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The fixture, with the joint tenants Ben and Cara Jones (100002/1) and Dev Patel (100003/1,
/// flagged vulnerable) owing £800 more, so letter 1 is recommended for both.
fn fixture(dir: &Path) -> PathBuf {
    let path = dir.join("caseload.db");
    let mut store = common::build(&path);
    for reference in ["100002/1", "100003/1"] {
        let id = store.tenancy_by_ref(reference).unwrap().unwrap();
        store
            .write("tester", "test", |w| {
                let account = w.account(id, DebtType::Rent)?;
                w.append_entry(&NewEntry {
                    account_id: account,
                    date: common::today() - chrono::Days::new(49),
                    kind: EntryKind::Adjustment,
                    method: None,
                    amount: Money::pounds(800),
                    description: Some("Arrears brought forward"),
                    reverses: None,
                    ext_id: None,
                })
                .map(|_| ())
            })
            .unwrap();
    }
    path
}

/// A workstation on `db` with this config, read as if from `config_path` (its `templates/`
/// folder beside it holds the landlord's own templates).
fn session_with(db: PathBuf, config: &Config, config_path: PathBuf) -> Session {
    let mut settings = Settings::new(config, common::today(), "tester", db.clone(), config_path);
    settings.state_dir = db.with_file_name("state");
    let store = Store::open(&db).unwrap();
    let mut s = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
    s.wait_background();
    s.dispatch(caseload::app::Action::Resize(160, 48));
    s
}

fn session(dir: &Path) -> Session {
    session_with(
        fixture(dir),
        &common::config(),
        dir.join("no-such-folder/config.toml"),
    )
}

fn message(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m)) | Some(Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

fn id(s: &Session, reference: &str) -> i64 {
    s.store().tenancy_by_ref(reference).unwrap().unwrap()
}

/// The letter overlay on top.
fn view(s: &Session) -> &caseload::app::letters::LetterView {
    match s.state.top() {
        Some(Overlay::Letter(view)) => view,
        other => panic!("no letter shown: {other:?}"),
    }
}

/// Every file under `dir/letters`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join("letters")];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Actions of a kind in the account's history, newest first, as their lines.
fn logged(s: &Session, reference: &str, kind: ActionKind) -> Vec<String> {
    s.store()
        .account_detail(id(s, reference), 100, s.state.settings.judging())
        .unwrap()
        .unwrap()
        .history
        .into_iter()
        .filter(|h| matches!(h.kind, HistoryKind::Action { kind: k, .. } if k == kind))
        .map(|h| h.text)
        .collect()
}

#[test]
fn letter_1_to_joint_tenants_shows_two_letters_and_records_each_file_with_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    s.keys(":goto 100002/1<ret>");
    let jones = id(&s, "100002/1");
    assert_eq!(
        s.state.queue.item(jones).unwrap().decision.recommendation,
        Recommendation::SendLetter1
    );
    // `a` shows the letter as it will be sent, one tab for each joint tenant.
    s.keys("a");
    assert_eq!(s.state.keys(), ModeKeys::Letter);
    let shown = view(&s);
    let made = &shown.made.as_ref().unwrap().made;
    let to: Vec<&str> = made.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(to, ["Ben Jones", "Cara Jones"]);
    assert!(shown.text().contains("Dear Ben Jones,"), "{}", shown.text());
    assert!(shown.text().contains("£1,040.00"), "{}", shown.text());
    assert!(
        shown.line().contains("produced for Ben Jones, Cara Jones"),
        "{}",
        shown.line()
    );
    let screen = common::screen(&mut s, 120, 40);
    assert!(screen.contains("1 Ben Jones"), "{screen}");
    assert!(screen.contains("2 Cara Jones"), "{screen}");
    s.keys("<tab>");
    assert!(view(&s).text().contains("Dear Cara Jones,"));
    // Esc records nothing and writes nothing.
    s.keys("<esc>");
    assert_eq!(message(&s), "Not sent: nothing was recorded.");
    assert!(files(dir.path()).is_empty());
    assert!(s.store().letters(jones).unwrap().is_empty());
    // The second key produces both letters and records the step with each file and its hash.
    s.keys("a<ret>");
    assert_eq!(
        message(&s),
        "Letter 1 produced and recorded: 2 letters in letters/2026-11-23."
    );
    let sent = s.store().letters(jones).unwrap();
    assert_eq!(sent.len(), 2);
    for letter in &sent {
        assert_eq!(letter.letter, Some(LetterKind::Letter1));
        let file = dir.path().join(&letter.file.file);
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(letters::sha256(&bytes), letter.file.sha256);
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let (copy, hash) = letter.file.copy.as_ref().unwrap();
        let text = std::fs::read(dir.path().join(copy)).unwrap();
        assert_eq!(&letters::sha256(&text), hash);
    }
    assert_eq!(
        std::fs::metadata(dir.path().join("letters/2026-11-23"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
    let html = std::fs::read_to_string(dir.path().join(&sent[1].file.file)).unwrap();
    assert!(html.contains("Dear Ben Jones,"), "{html}");
    let line = &logged(&s, "100002/1", ActionKind::Letter1)[0];
    assert!(
        line.starts_with(
            "Produced for Ben Jones: letters/2026-11-23/100002-1-letter_1-1.html (sha256 "
        ),
        "{line}"
    );
    assert!(
        line.contains("Cara Jones: letters/2026-11-23/100002-1-letter_1-2.html"),
        "{line}"
    );
    // The next step moves on: letter 2 in a fortnight.
    let item = s.state.queue.item(jones).unwrap();
    assert_eq!(item.decision.recommendation, Recommendation::NoAction);
    assert!(
        item.decision
            .reason
            .to_string()
            .starts_with("Letter 1 sent today; letter 2 from"),
        "{}",
        item.decision.reason
    );
    // A letter sent is never replaced: the same letter again the same day gets its own files.
    s.keys(":goto 100002/1<ret>:letter letter_1<ret><ret>");
    assert_eq!(s.store().letters(jones).unwrap().len(), 4);
    assert_eq!(files(dir.path()).len(), 9, "{:?}", files(dir.path()));
    let again = std::fs::read_to_string(dir.path().join(&sent[1].file.file)).unwrap();
    assert_eq!(again, html);
}

#[test]
fn a_vulnerable_tenants_letter_needs_a_persons_reason_which_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    s.keys(":goto 100003/1<ret>a");
    let p = view(&s).made.as_ref().unwrap();
    assert!(
        p.protection
            .check
            .as_deref()
            .is_some_and(|c| c.contains("VULNERABLE (mental health)")),
        "{:?}",
        p.protection
    );
    let screen = common::screen(&mut s, 120, 40);
    assert!(
        screen.contains("⚠ The tenant is flagged VULNERABLE"),
        "{screen}"
    );
    // The second key asks why it should go; no reason, no letter.
    s.keys("<ret>");
    assert_eq!(s.state.keys(), ModeKeys::Form);
    s.keys("<ret>");
    assert_eq!(s.state.keys(), ModeKeys::Form);
    assert!(files(dir.path()).is_empty());
    // Esc on the question goes back to the letter; Esc again records nothing.
    s.keys("<esc>");
    assert_eq!(s.state.keys(), ModeKeys::Letter);
    s.keys("<esc>");
    assert!(files(dir.path()).is_empty());
    s.keys("a<ret>Spoke to his support worker, who agrees it should go<ret>");
    assert_eq!(s.state.keys(), ModeKeys::Normal);
    let line = &logged(&s, "100003/1", ActionKind::Letter1)[0];
    assert!(
        line.ends_with(
            "; checked by a person first: Spoke to his support worker, who agrees it should go"
        ),
        "{line}"
    );
    assert_eq!(
        files(dir.path()).len(),
        3,
        "a letter, its text and the manifest"
    );
}

#[test]
fn a_demand_in_a_breathing_space_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    s.keys(":goto 100002/1<ret>");
    let jones = id(&s, "100002/1");
    // A breathing space arrives (from the housing system) after the queue was ranked.
    let until = common::today() + chrono::Days::new(30);
    Store::open(&s.state.settings.db_path)
        .unwrap()
        .write("import", "import", |w| {
            w.set_breathing_space(jones, Some(until))
        })
        .unwrap();
    s.keys("a");
    let p = view(&s).made.as_ref().unwrap();
    assert!(p.protection.refused.is_some());
    let screen = common::screen(&mut s, 120, 40);
    assert!(
        screen.contains("✗ REFUSED: The tenancy is in a breathing space until 23/12/2026"),
        "{screen}"
    );
    s.keys("<ret>");
    assert_eq!(
        message(&s),
        "Not sent: The tenancy is in a breathing space until 23/12/2026: no letter 1 may be \
         sent, since it demands the arrears the breathing space covers."
    );
    assert_eq!(s.state.keys(), ModeKeys::Normal);
    assert!(files(dir.path()).is_empty());
    assert!(logged(&s, "100002/1", ActionKind::Letter1).is_empty());
    // A rent statement asks for nothing, so it may still go.
    s.keys(":letter statement_cover_letter<ret>");
    assert!(view(&s).made.as_ref().unwrap().protection.is_clear());
    s.keys("<ret>");
    assert_eq!(s.store().letters(jones).unwrap().len(), 2);
}

#[test]
fn a_letter_that_cannot_be_made_is_recorded_as_failed_with_its_reason_and_asks_for_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("config.toml");
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/letter_1.html"),
        "{% extends \"base.html\" %}\n{% block body %}<p>You owe {{ account.owed }</p>{% endblock %}\n",
    )
    .unwrap();
    let mut s = session_with(fixture(dir.path()), &common::config(), config_path);
    s.keys(":goto 100002/1<ret>a");
    let reason = view(&s).made.clone().unwrap_err();
    assert!(
        reason.starts_with("letter_1.html line 2 has an error: "),
        "{reason}"
    );
    let screen = common::screen(&mut s, 120, 40);
    assert!(
        screen.contains("✗ It cannot be produced: letter_1.html line 2"),
        "{screen}"
    );
    // The second key records that it failed, with why; nothing is written.
    s.keys("<ret>");
    assert!(files(dir.path()).is_empty());
    let failed = logged(&s, "100002/1", ActionKind::LetterFailed);
    assert_eq!(failed, [format!("Letter 1 not produced: {reason}")]);
    let item = s.state.queue.item(id(&s, "100002/1")).unwrap();
    assert_eq!(
        item.decision.recommendation,
        Recommendation::ReviewFailedLetter
    );
}

#[test]
fn a_tenancy_with_no_correspondence_address_fails_with_the_reason_and_rule_2_fires() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(dir.path());
    let mut store = Store::open(&db).unwrap();
    let jones = store.tenancy_by_ref("100002/1").unwrap().unwrap();
    // The property's address has gone blank, and the tenants have none of their own.
    let mut held = store.tenancy_record(jones).unwrap().unwrap().details;
    held.address = String::new();
    held.postcode = String::new();
    store
        .write("import", "import", |w| w.update_tenancy(jones, &held))
        .unwrap();
    drop(store);
    let mut s = session_with(db, &common::config(), dir.path().join("none/config.toml"));
    s.keys(":goto 100002/1<ret>a");
    let reason = view(&s).made.clone().unwrap_err();
    assert_eq!(
        reason,
        "no correspondence address for Ben Jones: none is held, and the property has no address \
         (add it to the housing system's tenants.csv, column correspondence_address, and import \
         it)"
    );
    s.keys("<ret>");
    assert!(files(dir.path()).is_empty());
    assert_eq!(logged(&s, "100002/1", ActionKind::LetterFailed).len(), 1);
    let item = s.state.queue.item(jones).unwrap();
    assert_eq!(
        item.decision.recommendation,
        Recommendation::ReviewFailedLetter
    );
    assert_eq!(
        item.decision.reason.to_string(),
        "The last letter could not be produced or sent: check it and send it again."
    );
}

#[test]
fn a_landlords_own_template_replaces_the_shipped_one_and_the_others_stay_shipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(dir.path());
    let config_path = dir.path().join("config.toml");
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/letter_1.html"),
        "{% extends \"base.html\" %}{% block subject %}A word about your rent{% endblock %}\
         {% block body %}<p>Our own letter: {{ account.owed }} by {{ reply_by|date }}.</p>{% endblock %}",
    )
    .unwrap();
    let letters = Letters::new(&common::config(), &config_path);
    let store = Store::open(&db).unwrap();
    let jones = store.tenancy_by_ref("100002/1").unwrap().unwrap();
    let by = Producing {
        today: common::today(),
        officer: "tester",
    };
    let text = |kind| {
        letters::prepare(&store, &letters, jones, kind, by)
            .unwrap()
            .unwrap()
            .made[0]
            .text
            .clone()
    };
    let own = text(LetterKind::Letter1);
    assert!(own.contains("A word about your rent"), "{own}");
    assert!(
        own.contains("Our own letter: £1,040.00 by 7 December 2026."),
        "{own}"
    );
    // The frame, and every other letter, are still the shipped ones.
    assert!(own.contains("Kingsmere Homes"), "{own}");
    let second = text(LetterKind::Letter2);
    assert!(
        second.contains("Your rent arrears: please contact me now"),
        "{second}"
    );
}

#[test]
fn welsh_letters_come_from_the_welsh_templates_and_a_bilingual_one_puts_welsh_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(dir.path());
    let config_path = dir.path().join("config.toml");
    std::fs::create_dir_all(dir.path().join("templates/cy")).unwrap();
    std::fs::write(
        dir.path().join("templates/cy/letter_1.html"),
        "<section class=\"letter\" lang=\"cy\"><p>Annwyl {{ tenant.salutation }},</p>\
         <p>Mae {{ account.owed }} yn ddyledus ar {{ today|date }}.</p></section>",
    )
    .unwrap();
    let store = Store::open(&db).unwrap();
    let jones = store.tenancy_by_ref("100002/1").unwrap().unwrap();
    let by = Producing {
        today: common::today(),
        officer: "tester",
    };
    let in_language = |language: &str, kind| {
        let config = Config::parse_over(
            &format!("{}\n[letters]\nlanguage = \"{language}\"\n", common::TESTER),
            &config_path,
            &[caseload::config::DEMO],
        )
        .unwrap();
        let letters = Letters::new(&config, &config_path);
        letters::prepare(&store, &letters, jones, kind, by).unwrap()
    };
    let welsh = in_language("cy", LetterKind::Letter1).unwrap().made[0]
        .text
        .clone();
    assert!(welsh.contains("Annwyl Ben Jones,"), "{welsh}");
    assert!(
        welsh.contains("Mae £1,040.00 yn ddyledus ar 23 Tachwedd 2026."),
        "{welsh}"
    );
    assert!(!welsh.contains("Dear"), "{welsh}");
    let both = in_language("both", LetterKind::Letter1).unwrap().made[0]
        .html
        .clone();
    let (cy, en) = (
        both.find("Annwyl").unwrap(),
        both.find("Dear Ben Jones").unwrap(),
    );
    assert!(cy < en, "Welsh first");
    // A letter with no Welsh template is not made in Welsh.
    let none = in_language("cy", LetterKind::Letter2).unwrap_err();
    assert!(none.reason.contains("cy/letter_2.html"), "{}", none.reason);
}

#[test]
fn a_value_the_letter_needs_and_the_config_lacks_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = fixture(dir.path());
    let store = Store::open(&db).unwrap();
    let jones = store.tenancy_by_ref("100002/1").unwrap().unwrap();
    let path = dir.path().join("config.toml");
    let by = Producing {
        today: common::today(),
        officer: "tester",
    };
    // The officer has no phone.
    let config = Config::parse_over(
        "[letters.officers.tester]\nname = \"Terry Tester\"\ntitle = \"Officer\"\nemail = \"t@example.org\"\n",
        &path,
        &[caseload::config::DEMO],
    )
    .unwrap();
    let failure = letters::prepare(
        &store,
        &Letters::new(&config, &path),
        jones,
        LetterKind::Letter1,
        by,
    )
    .unwrap()
    .unwrap_err();
    assert_eq!(
        failure.reason,
        "no phone is set for tester under [letters.officers.tester] in the config"
    );
    assert!(failure.in_settings);
    // Nothing set at all: the landlord's name is the first thing missing.
    let bare = Letters::new(&Config::default_config(), &path);
    let failure = letters::prepare(&store, &bare, jones, LetterKind::Letter1, by)
        .unwrap()
        .unwrap_err();
    assert_eq!(
        failure.reason,
        "the landlord's name is not set ([landlord] name in the config)"
    );
}

/// Every file under `dir/letters` with its content.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect()
}

#[test]
fn the_days_batch_on_the_demo_writes_the_print_file_and_manifest_and_a_second_run_nothing_new() {
    let env = common::Env::new();
    let made = env.run(&["demo", "--accounts", "200"]);
    assert!(made.status.success(), "{}", common::text(&made.stderr));
    let dir = env.dir.path();
    // A dry run says what would go, and writes and records nothing.
    let dry = env.run(&["--demo", "letters", "--dry-run"]);
    assert!(dry.status.success(), "{}", common::text(&dry.stderr));
    let out = common::text(&dry.stdout);
    let would: usize = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("Letters for 23/11/2026: "))
        .and_then(|l| l.strip_suffix(" would be produced"))
        .unwrap_or_else(|| panic!("{out}"))
        .parse()
        .unwrap();
    assert!(would > 3, "{out}");
    assert!(
        out.ends_with("Nothing was written or recorded (--dry-run).\n"),
        "{out}"
    );
    assert!(files(dir).is_empty());

    let first = env.run(&["--demo", "letters"]);
    assert!(first.status.success(), "{}", common::text(&first.stderr));
    let out = common::text(&first.stdout);
    assert!(
        out.starts_with(&format!("Letters for 23/11/2026: {would} produced\n")),
        "{out}"
    );
    assert!(
        out.contains("Print file: letters/2026-11-23/print.html ("),
        "{out}"
    );
    assert!(
        out.contains("Manifest: letters/2026-11-23/manifest.csv"),
        "{out}"
    );
    let day = dir.join("letters/2026-11-23");
    let print = std::fs::read_to_string(day.join("print.html")).unwrap();
    // One manifest row per letter or text sent (a text: its row of sms.csv), naming the file
    // and hash on record; a letter's plain-text copy is a column of its row, not a row.
    let mut manifest = csv::Reader::from_path(day.join("manifest.csv")).unwrap();
    assert_eq!(
        manifest.headers().unwrap(),
        vec!["ref", "tenant", "letter", "file", "sha256", "text_copy"]
    );
    let rows: Vec<csv::StringRecord> = manifest.records().map(Result::unwrap).collect();
    let db = rusqlite::Connection::open(env.db()).unwrap();
    let mut recorded: Vec<(String, String)> = db
        .prepare("SELECT file, sha256 FROM letters")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut listed: Vec<(String, String)> = rows
        .iter()
        .map(|r| (format!("letters/2026-11-23/{}", &r[3]), r[4].to_string()))
        .collect();
    recorded.sort();
    listed.sort();
    assert_eq!(listed, recorded, "the manifest is the history's files");
    let mut letters_in_print = 0;
    for row in rows.iter().filter(|r| &r[3] != "sms.csv") {
        assert!(row[3].ends_with(".html"), "{row:?}");
        letters_in_print += 1;
        let bytes = std::fs::read(day.join(&row[3])).unwrap();
        assert_eq!(letters::sha256(&bytes), &row[4], "{}", &row[3]);
        assert_eq!(row[5], row[3].replace(".html", ".txt"), "{row:?}");
        assert!(day.join(&row[5]).is_file(), "{row:?}");
    }
    assert!(letters_in_print > 0);
    assert_eq!(
        print.matches("<section class=\"letter\"").count(),
        letters_in_print,
        "every letter in the print file"
    );
    let before = contents(dir);

    // The same day again: nothing new is written or recorded.
    let again = env.run(&["--demo", "letters"]);
    assert!(again.status.success(), "{}", common::text(&again.stderr));
    let out = common::text(&again.stdout);
    assert!(
        out.starts_with("Letters for 23/11/2026: 0 produced\n"),
        "{out}"
    );
    assert!(out.ends_with("Nothing new to produce.\n"), "{out}");
    assert_eq!(contents(dir), before, "no file added or changed");
}
