//! Calls and notes from the keyboard, through `update`, into a real SQLite file: a whole call as a
//! key list, the editor's promise never to lose a word, other contacts, corrections, vulnerability,
//! referrals, note search and drafts left from last time.

mod common;

use common::selected;

use caseload::app::keymap::ModeKeys;

use caseload::app::keymap::Keymap;
use caseload::app::state::{Message, Pane};
use caseload::app::{Action, Session};
use caseload::config::Config;
use caseload::store::{DraftStatus, HistoryKind};
use chrono::NaiveTime;

fn at(s: &mut Session, time: &str) {
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap();
    s.dispatch(Action::Tick(time));
}

fn message(s: &Session) -> String {
    match &s.state.message {
        Some(Message::Info(m)) | Some(Message::Error(m)) => m.clone(),
        None => String::new(),
    }
}

fn body(s: &Session) -> String {
    s.state
        .editor
        .as_ref()
        .map(|e| e.body())
        .unwrap_or_default()
}

/// What was saved, read with SQL as `sqlite3` reads the file (on the server, the same columns).
fn sql(dir: &tempfile::TempDir) -> common::Saved {
    common::saved(&dir.path().join("caseload.db"))
}

#[test]
fn a_whole_call_from_the_keyboard() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        assert_eq!(selected(&s), "100004/1");
        at(&mut s, "10:00:00");

        // c: who (Erin's number is 1), which way (o: outgoing); the note opens with the cursor in it.
        s.keys("c");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("11");
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        s.keys("Hours cut at work. q?:/jk are text here.");
        at(&mut s, "10:01:00");

        // Out of the editor to read the history, and back: text and cursor as they were.
        let cursor = s.state.editor.as_ref().unwrap().text.cursor();
        s.keys("<esc>");
        assert_eq!(
            (s.state.keys(), s.state.focus),
            (ModeKeys::Normal, Pane::History)
        );
        s.keys("jj");
        assert_eq!(
            s.state.scroll.history, 2,
            "the history scrolls while the note waits"
        );
        assert_eq!(selected(&s), "100004/1", "the account does not change");
        s.keys("/");
        assert!(message(&s).contains("A note is open"), "{}", message(&s));
        s.keys("i");
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        assert_eq!(s.state.editor.as_ref().unwrap().text.cursor(), cursor);

        // A snippet by a few letters, and a checklist item by its number.
        s.keys(" <F2>debt adv<ret>");
        s.keys("<F3>3<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        assert_eq!(
            body(&s),
            "Hours cut at work. q?:/jk are text here. Advised to seek free independent debt advice \
             (StepChange, National Debtline, Citizens Advice)."
        );

        // End: the outcome in one key, then the promise (£50 by Friday).
        at(&mut s, "10:04:05");
        s.keys("<C-s>");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("x");
        assert!(message(&s).contains("not one of the choices"));
        s.keys("p");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        s.keys("50<ret>friday<ret><ret><ret>");
        assert_eq!(
            message(&s),
            "Saved: phone call (4:05): promise to pay £50.00 by 27/11/2026."
        );
        assert_eq!(
            (s.state.keys(), s.state.focus),
            (ModeKeys::Normal, Pane::Queue)
        );
        assert!(s.state.editor.is_none());

        // What was stored: one action with its details, its note, its promise; no draft left.
        let db = sql(&dir);
        let (kind, at_, officer, summary): (String, String, String, String) = db
            .query_row(
                "SELECT kind, at, officer, summary FROM actions ORDER BY id DESC LIMIT 1",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            (kind.as_str(), at_.as_str(), officer.as_str()),
            ("call", "2026-11-23T10:00:00", "tester")
        );
        assert_eq!(
            summary,
            "Call to Erin Smithson (tenant) 07700 900004, 4:05: promise to pay £50.00 by 27/11/2026; \
             advised of free debt advice",
            "the checklist's ticks are in the action's line"
        );
        let contact: (String, String, String, i64, String, String) = db
            .query_row(
                "SELECT party, direction, started_at, seconds, outcome, checklist FROM contacts",
                &[],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            contact,
            (
                "Erin Smithson (tenant) 07700 900004".into(),
                "outgoing".into(),
                "2026-11-23T10:00:00".into(),
                245,
                "promise_to_pay".into(),
                "advised of free debt advice".into()
            )
        );
        let promise: (i64, String, String) = db
            .query_row("SELECT amount, due_on, made_on FROM promises", &[], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(promise, (5000, "2026-11-27".into(), "2026-11-23".into()));
        let drafts: i64 = db
            .query_row("SELECT count(*) FROM drafts", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(drafts, 0);

        // The case history shows the call, its note and the promise (pending until Friday + 1 day).
        let account = s.state.current_account().unwrap();
        let kinds: Vec<&HistoryKind> = account.history.iter().take(3).map(|h| &h.kind).collect();
        assert!(matches!(kinds[0], HistoryKind::Promise(_)), "{kinds:?}");
        assert!(
            account
                .history
                .iter()
                .any(|h| matches!(h.kind, HistoryKind::Note { .. })
                    && h.text.starts_with("Hours cut"))
        );

        // And on to the next account.
        s.keys("j");
        assert_ne!(selected(&s), "100004/1");
    });
}

#[test]
fn esc_never_discards_and_a_failed_outcome_key_changes_nothing() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys("c12");
        s.keys("Tenant rang about the letter");
        s.keys("<C-s><esc>");
        assert_eq!(
            s.state.keys(),
            ModeKeys::Editor,
            "Esc on the outcome list goes back to the note"
        );
        s.keys("<C-s>b<esc>");
        assert_eq!(
            s.state.keys(),
            ModeKeys::Editor,
            "and from the call-back form too"
        );
        // Enter out of habit chooses no outcome: the list waits for a key.
        s.keys("<C-s><ret>");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        assert!(message(&s).starts_with("Press the key"), "{}", message(&s));
        s.keys("<esc>");
        assert_eq!(body(&s), "Tenant rang about the letter");
        let contacts: i64 = sql(&dir)
            .query_row("SELECT count(*) FROM contacts", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(contacts, 0, "nothing is saved until an outcome is chosen");
        // A call back: tomorrow at 14:30.
        s.keys("<C-s>b<C-u>tomorrow 14:30<ret>");
        assert!(
            message(&s).contains("call back requested"),
            "{}",
            message(&s)
        );
        let call_back: String = sql(&dir)
            .query_row("SELECT call_back FROM contacts", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(call_back, "2026-11-24T14:30:00");
    });
}

#[test]
fn quitting_or_discarding_with_a_note_open_asks_first() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys("nA note in progress<esc>");
        s.keys("q");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("n");
        assert!(!s.state.quit);
        assert_eq!(body(&s), "A note in progress");
        s.keys(":discard<ret>n");
        assert!(s.state.editor.is_some(), "no keeps it");
        s.keys(":discard<ret>y");
        assert!(s.state.editor.is_none());
        assert_eq!(message(&s), "Note discarded.");
        assert_eq!(s.close(), DraftStatus::Saved);
        let drafts: i64 = sql(&dir)
            .query_row("SELECT count(*) FROM drafts", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(drafts, 0);
        s.keys("q");
        assert!(s.state.quit, "nothing open: q quits at once");
    });
}

#[test]
fn a_draft_left_by_a_crash_is_offered_and_restored_exactly() {
    common::on_each_engine(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("caseload.db");
        let store = common::build(&path);
        let config = Config::default_config();
        let mut s = Session::new(
            store,
            Keymap::new(&config.keys),
            common::settings(path.clone()),
        )
        .unwrap();
        s.wait_background();
        s.dispatch(Action::Resize(160, 48));
        at(&mut s, "09:30:00");
        s.keys("c11");
        s.keys("Line one<ret>Line two £50<left><left>");
        at(&mut s, "09:31:00");
        let cursor = s.state.editor.as_ref().unwrap().text.cursor();
        assert_eq!(s.close(), DraftStatus::Saved);
        // The process dies here: nothing more is saved.
        drop(s);

        let store = common::open_as_officer(&path);
        let mut s = Session::new(store, Keymap::new(&config.keys), common::settings(path)).unwrap();
        s.wait_background();
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        let offer = &s.state.picker().unwrap().choices[0].label;
        assert!(
            offer.starts_with(
                "100004/1: call to Erin Smithson (tenant) 07700 900004 started 23/11/2026 09:30"
            ),
            "{offer}"
        );
        s.keys("<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        assert_eq!(selected(&s), "100004/1");
        let editor = s.state.editor.as_ref().unwrap();
        assert_eq!(editor.body(), "Line one\nLine two £50");
        assert_eq!(editor.text.cursor(), cursor);
        assert_eq!(
            editor.call().unwrap().started.time(),
            NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            "the call timer carries on from the call's start"
        );
    });
}

#[test]
fn a_note_corrected_keeps_both_texts_and_neither_can_be_changed() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys(":goto 100001/1<ret>");
        // The fixture's note is at the top of the notes pane; e opens it to correct.
        s.keys("e");
        assert_eq!(
            body(&s),
            "Tenant lost hours at work; will pay £50 on Friday."
        );
        s.keys("<C-w><C-w>Thursday.<C-s>");
        assert_eq!(message(&s), "Correction saved; the earlier note is kept.");
        let notes = &s.state.current_account().unwrap().notes;
        assert_eq!(notes.len(), 2);
        assert_eq!(
            notes[0].body,
            "Tenant lost hours at work; will pay £50 on Thursday."
        );
        assert_eq!(notes[0].amends, Some(notes[1].id));
        // The notes pane reads as one note: the correction, the original beneath it, marked as the
        // one `e` would correct next.
        s.keys("4");
        let screen = common::screen(&mut s, 160, 48);
        let title = screen.lines().find(|l| l.contains("4 Notes")).unwrap();
        assert!(title.contains("e corrects the marked note"), "{screen}");
        let pane: Vec<&str> = screen
            .lines()
            .skip_while(|l| !l.contains("4 Notes"))
            .filter_map(|l| l.rsplit('┃').nth(1))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(
            pane[0].starts_with("▶ ") && pane[0].ends_with("· correction"),
            "{screen}"
        );
        assert_eq!(
            pane[1],
            "Tenant lost hours at work; will pay £50 on Thursday."
        );
        assert!(pane[2].starts_with("corrects "), "{screen}");
        assert_eq!(
            pane[3],
            "Tenant lost hours at work; will pay £50 on Friday."
        );
        s.keys("e");
        assert!(
            body(&s).ends_with("Thursday."),
            "e corrects the latest version"
        );
        let db = sql(&dir);
        for statement in [
            "UPDATE notes SET body = 'changed'",
            "DELETE FROM notes",
            "UPDATE actions SET summary = 'changed'",
            "DELETE FROM actions",
        ] {
            let err = db.execute(statement, &[]).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{statement}: {err}");
        }
    });
}

#[test]
fn an_empty_note_is_not_saved() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys("n   <C-s>");
        assert!(message(&s).contains("empty"), "{}", message(&s));
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        let notes: i64 = sql(&dir)
            .query_row("SELECT count(*) FROM notes", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(notes, 1, "only the fixture's note");
    });
}

#[test]
fn another_party_with_consent_and_a_home_visit() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys("co");
        assert_eq!(s.state.keys(), ModeKeys::Form);
        s.keys("Jo Bloggs<ret>support worker, Mind<ret><ret><right><ret><right><ret>");
        let call = s.state.editor.as_ref().unwrap().call().unwrap().clone();
        assert_eq!(call.party, "Jo Bloggs (support worker, Mind)");
        assert!(call.third_party && call.consent && !call.outgoing);
        s.keys("Support worker says benefits are delayed<C-s>t");
        assert_eq!(
            message(&s),
            "Saved: phone call (0:00): spoke to third party."
        );
        // A home visit: no timer, the result asked when it is saved.
        s.keys("rv");
        assert_eq!(s.state.keys(), ModeKeys::Editor);
        s.keys("Card through the door<C-s>c");
        assert_eq!(message(&s), "Saved: home visit: no answer, card left.");
        let rows: Vec<(String, String, i64, i64)> = sql(&dir)
            .rows(
                "SELECT a.summary, c.outcome, c.third_party, c.consent
                 FROM contacts c JOIN actions a ON a.id = c.action_id ORDER BY c.action_id",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            rows,
            [
                (
                    "Call from Jo Bloggs (support worker, Mind), 0:00: spoke to third party".into(),
                    "spoke_to_third_party".into(),
                    1,
                    1
                ),
                (
                    "Home visit (Erin Smithson): no answer, card left".into(),
                    "card_left".into(),
                    0,
                    0
                )
            ]
        );
    });
}

#[test]
fn vulnerability_shows_on_the_header_and_referrals_are_recorded() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("Vment<ret>Anxiety; prefers email<ret><ret>");
        assert_eq!(message(&s), "Flagged vulnerable: Mental health.");
        let flags = &s.state.current_account().unwrap().record.details.flags;
        assert!(flags.vulnerable);
        assert_eq!(
            flags.vulnerability.as_deref(),
            Some("Anxiety; prefers email")
        );
        assert!(s.state.queue.selected().unwrap().flags.vulnerable);
        let screen = common::screen(&mut s, 160, 48);
        assert!(
            screen.contains("VULNERABLE (Mental health): Anxiety; prefers email"),
            "{screen}"
        );
        s.keys("Rdebt<ret><ret><ret>StepChange ref 123<ret><ret>");
        assert_eq!(message(&s), "Referral to Debt advice saved (Made).");
        let history = &s.state.current_account().unwrap().history;
        assert!(
            history
                .iter()
                .any(|h| h.text == "Referral to debt advice made: StepChange ref 123"),
            "{history:?}"
        );
    });
}

#[test]
fn notes_are_searched_by_words_and_open_their_account() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        assert_eq!(selected(&s), "100004/1");
        s.keys(":notes hours FRIDAY<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        let picker = s.state.picker().unwrap();
        assert_eq!(picker.choices.len(), 1);
        assert!(picker.choices[0].detail.contains("[Friday]"));
        assert!(
            picker.choices[0].label.contains("Ada Smith"),
            "{}",
            picker.choices[0].label
        );
        assert!(picker.title.starts_with("1 note with"), "{}", picker.title);
        s.keys("<ret>");
        assert_eq!(selected(&s), "100001/1");
        assert_eq!(s.state.focus, Pane::Notes);
        s.keys(":notes nothing-like-this<ret>");
        assert_eq!(
            message(&s),
            "No note has \u{201c}nothing-like-this\u{201d}."
        );
    });
}

#[test]
fn pasted_text_goes_into_the_note_whole() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("n");
        s.dispatch(Action::Paste("first line\nq second line".into()));
        assert_eq!(body(&s), "first line\nq second line");
        assert!(!s.state.quit, "a pasted q is text");
        s.keys("<C-s>");
        // Pasted on the "which way?" list: an outgoing call, the whole text in its note.
        s.keys("c1");
        s.dispatch(Action::Paste("Hello there\nsecond line".into()));
        assert_eq!(body(&s), "Hello there\nsecond line");
        assert!(s.state.editor.as_ref().unwrap().call().unwrap().outgoing);
        s.keys("<esc>/");
        assert!(message(&s).contains("A note is open"));
    });
}

/// A session on the same database some days later.
fn later(dir: &tempfile::TempDir, today: &str) -> Session {
    let path = dir.path().join("caseload.db");
    let mut settings = common::settings(path.clone());
    settings.today = caseload::domain::dates::parse_date(today).unwrap();
    let config = Config::default_config();
    let mut s = Session::new(
        common::open_as_officer(&path),
        Keymap::new(&config.keys),
        settings,
    )
    .unwrap();
    s.wait_background();
    s.dispatch(Action::Resize(160, 48));
    s
}

#[test]
fn broken_promises_are_listed_in_the_queue_with_the_reason_and_kept_ones_are_not() {
    common::on_each_engine(|| {
        use caseload::app::queue::Tab;
        use caseload::domain::promise::PromiseState;
        let (dir, mut s) = common::session();
        // Erin promises £50 by Friday 27 November; Ada promises £20 by Wednesday 25 November.
        s.keys("c11<C-s>p50<ret>friday<ret><ret><ret>");
        s.keys(":goto 100001/1<ret>c11<C-s>p20<ret>wed<ret><ret><ret>");
        let ada = s.store().tenancy_by_ref("100001/1").unwrap().unwrap();
        let erin = s.store().tenancy_by_ref("100004/1").unwrap().unwrap();
        let pending = s.state.queue.item(erin).unwrap().promise.unwrap();
        assert_eq!(pending.state, PromiseState::Pending);
        s.keys("]");
        assert_eq!(s.state.queue.tab(), Tab::PromisesPlans);
        assert!(s.state.queue.count(Tab::PromisesPlans) >= 2);
        drop(s);

        // Ada pays £20 on the 26th (a day late, within the tolerance); Erin pays nothing.
        let mut store = common::open(&dir.path().join("caseload.db"));
        store
            .write("tester", "test", |w| {
                let account = w.account(ada, caseload::domain::tenancy::DebtType::Rent)?;
                w.append_entry(&caseload::store::NewEntry {
                    account_id: account,
                    date: caseload::domain::dates::parse_date("2026-11-26").unwrap(),
                    kind: caseload::domain::ledger::EntryKind::Payment,
                    method: None,
                    amount: -caseload::domain::Money::pounds(20),
                    description: None,
                    reverses: None,
                    ext_id: None,
                })
                .map(drop)
            })
            .unwrap();
        drop(store);

        let s = later(&dir, "2026-11-30");
        let erin_row = s.state.queue.item(erin).unwrap();
        let today = s.state.settings.today;
        assert!(erin_row.broken_promise(today).is_some());
        assert!(
            erin_row
                .why(today)
                .starts_with("Broken promise: promised £50.00 by Fri 27 Nov, paid £0.00. "),
            "{}",
            erin_row.why(today)
        );
        let ada_row = s.state.queue.item(ada).unwrap();
        assert_eq!(ada_row.promise.unwrap().state, PromiseState::Kept);
        assert!(ada_row.broken_promise(today).is_none());
        // The broken promise shows in the account's history too.
        let detail = s
            .store()
            .account_detail(erin, 100, s.state.settings.judging())
            .unwrap()
            .unwrap();
        let promise = detail
            .history
            .iter()
            .find_map(|h| match &h.kind {
                HistoryKind::Promise(p) => Some(p.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            promise
                .promise
                .judged(promise.received, s.state.settings.judging()),
            PromiseState::Broken
        );
    });
}

#[test]
fn mid_call_the_account_stays_selected_though_a_write_takes_it_out_of_its_tab() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        assert_eq!(selected(&s), "100004/1");
        s.keys("c1Tenant agrees to the letter being sent<esc>a<ret>");
        assert!(
            message(&s).starts_with("Letter 1 produced and recorded"),
            "{}",
            message(&s)
        );
        // Letter 1 takes it out of Needs action, but the tenant is still on the phone.
        assert_eq!(selected(&s), "100004/1");
        assert_eq!(
            s.state.current_account().unwrap().record.details.reference,
            "100004/1"
        );
        s.keys("i<C-s>s");
        assert!(
            message(&s).starts_with("Saved: phone call"),
            "{}",
            message(&s)
        );
        // It now ranks below the other account; moving off it lets it go from this tab.
        s.keys("1k");
        assert_eq!(selected(&s), "100001/1");
        s.keys("j");
        assert_eq!(selected(&s), "100001/1");
    });
}

#[test]
fn pasted_text_with_carriage_returns_keeps_its_line_breaks() {
    common::on_each_engine(|| {
        // Most terminals send a pasted line break as a carriage return.
        let (_dir, mut s) = common::session();
        s.keys("n");
        s.dispatch(Action::Paste(
            "first line\rsecond line\r\nthird line".into(),
        ));
        assert_eq!(body(&s), "first line\nsecond line\nthird line");
    });
}

#[test]
fn a_snippet_is_spaced_from_the_word_before_it() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("nSpoke to tenant.<F2>debt adv<ret>");
        assert_eq!(
            body(&s),
            "Spoke to tenant. Advised to seek free independent debt advice \
             (StepChange, National Debtline, Citizens Advice)."
        );
        // At the start of a line, or after a space, nothing is added.
        s.keys("<ret><F2>debt adv<ret>");
        assert!(
            body(&s).contains("Citizens Advice).\nAdvised to seek"),
            "{}",
            body(&s)
        );
    });
}

#[test]
fn discarding_a_note_offers_keeping_it_first() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("nA note in progress<esc>:discard<ret>");
        assert_eq!(s.state.keys(), ModeKeys::Pick);
        s.keys("<ret>");
        assert_eq!(body(&s), "A note in progress", "Enter alone keeps the note");
    });
}

#[test]
fn a_third_party_has_no_consent_until_the_officer_says_so() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys("coJo Bloggs<ret>neighbour<ret><ret><ret><ret>");
        let call = s.state.editor.as_ref().unwrap().call().unwrap().clone();
        assert!(call.third_party);
        assert!(!call.consent, "consent is never assumed");
    });
}

#[test]
fn a_call_with_someone_else_is_never_saved_as_spoke_to_tenant() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        s.keys("coJo Bloggs<ret>neighbour<ret><ret><ret><ret>Neighbour took a message<C-s>");
        let picker = s.state.picker().expect("the outcomes are offered");
        let labels: Vec<&str> = picker.choices.iter().map(|c| c.label.as_str()).collect();
        assert!(
            !labels.contains(&"Spoke to tenant") && labels.contains(&"Spoke to third party"),
            "{labels:?}"
        );
        s.keys("s");
        let saved: i64 = sql(&dir)
            .query_row("SELECT count(*) FROM contacts", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(saved, 0, "s is not an outcome of a call with someone else");
        s.keys("t");
        assert_eq!(
            message(&s),
            "Saved: phone call (0:00): spoke to third party."
        );
    });
}

#[test]
fn a_note_typed_before_choosing_who_is_kept_and_the_o_of_a_word_chooses_nobody() {
    let (_dir, mut s) = common::session();
    // A new officer presses c and starts the note at once: "owes" has the key of "Someone else".
    s.keys("cTenant owes £50");
    assert_eq!(s.state.keys(), ModeKeys::Pick, "still choosing who");
    assert!(
        s.state.form().is_none(),
        "the o of a word chose someone else"
    );
    assert!(message(&s).is_empty(), "{}", message(&s));
    s.keys("<bs><bs>60");
    // Enter takes the first person, Enter again an outgoing call: the note starts with the text.
    s.keys("<ret><ret>");
    assert_eq!(s.state.keys(), ModeKeys::Editor);
    assert_eq!(body(&s), "Tenant owes £60");
    s.keys(" by Friday");
    assert_eq!(body(&s), "Tenant owes £60 by Friday");
    // A key of the list pressed first still chooses at once.
    s.keys("<esc>:discard<ret>y");
    s.keys("co");
    assert!(
        s.state.form().is_some(),
        "o first: someone else; {:?} {}",
        s.state.keys(),
        message(&s)
    );
}
