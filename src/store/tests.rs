//! Store tests on a real SQLite file in a temporary directory.

use super::*;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::dates::parse_date;
use crate::domain::ledger::{EntryKind, PaymentMethod};
use crate::domain::recovery::{
    CourtEvent, CourtEventKind, CourtOutcome, Notice, NoticeKind, PauseKind,
};
use crate::domain::tenancy::{DebtType, Flags, TenancyDetails, Tenant, Tenure};
use crate::store::{Draft, NewContact};
use chrono::NaiveDate;

pub(crate) fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("caseload.db")).unwrap();
    (dir, store)
}

/// The tester's call to tenancy `t` at 10:00 on 2 November 2026: the tenant was spoken to.
pub(crate) fn call(t: i64) -> NewAction<'static> {
    NewAction {
        tenancy_id: t,
        at: d("2026-11-02").and_hms_opt(10, 0, 0).unwrap(),
        kind: ActionKind::Call,
        code: None,
        officer: "tester",
        summary: "spoke to tenant",
        ext_id: None,
    }
}

/// A file at schema `version`, from before a later version changed something, holding one
/// tenancy (`T1`, id 1, in batch 1) for a test to add to before the file is brought up to date.
pub(crate) fn old_file_with_a_tenancy(
    path: &std::path::Path,
    version: usize,
) -> rusqlite::Connection {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    super::migrations::MIGRATIONS
        .to_version(&mut conn, version)
        .unwrap();
    conn.execute_batch(
        "INSERT INTO batches (at, officer, source) VALUES ('2026-01-01T00:00:00Z', 'x', 'tui');
         INSERT INTO properties (address, postcode) VALUES ('1 Road', 'AB1 2CD');
         INSERT INTO tenancies (ref, property_id, tenure, start_date, weekly_charge, batch_id)
            VALUES ('T1', 1, 'secure', '2020-01-01', 10000, 1);",
    )
    .unwrap();
    conn
}

/// Runs `test` on a store on each engine: a new file in a temporary folder, and a new database on
/// the PostgreSQL server `CASELOAD_TEST_PG` names (skipped, and said so, without one; see
/// `pg::scratch`), each given a folder of its own.
pub(crate) fn on_each_engine(label: &str, test: impl Fn(&std::path::Path, &mut Store)) {
    let (dir, mut file) = temp_store();
    test(dir.path(), &mut file);
    if let Some(db) = pg::scratch::Scratch::migrated(label) {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Store::open_server(&db.url()).unwrap();
        test(dir.path(), &mut server);
    }
}

/// A second connection to `store`'s database, as another workstation opens it.
fn another(store: &Store) -> Store {
    match &store.conn {
        Conn::Sqlite(_) => Store::open(store.path()).unwrap(),
        Conn::Pg { url, .. } => Store::open_server(url).unwrap(),
    }
}

/// The number of rows `sql` counts, on either engine.
fn count(store: &Store, sql: &str, params: &[&dyn rusqlite::ToSql]) -> i64 {
    store.db().query_one(sql, params, |r| r.get(0)).unwrap()
}

/// A secure tenancy at £100 a week with one tenant and a rent account; returns (tenancy, account).
pub(crate) fn add_tenancy(store: &mut Store, reference: &str) -> (i64, i64) {
    store
        .write("tester", "test", |w| {
            let t = w.add_tenancy(&TenancyDetails {
                reference: reference.into(),
                address: "1 Test Street, Testville".into(),
                postcode: "TE1 1ST".into(),
                tenure: Tenure::Secure,
                start: d("2020-04-06"),
                end: None,
                patch: "North".into(),
                officer: "tester".into(),
                weekly_charge: Money::pounds(100),
                flags: Flags::default(),
            })?;
            w.add_tenant(
                t,
                &NewTenant {
                    tenant: Tenant {
                        title: "Ms".into(),
                        first_name: "Ada".into(),
                        last_name: "Lovelace".into(),
                        phone: Some("07700 900123".into()),
                        ..Tenant::default()
                    },
                    date_of_birth: None,
                    contact_preference: None,
                },
            )?;
            let a = w.account(t, DebtType::Rent)?;
            Ok((t, a))
        })
        .unwrap()
}

pub(crate) fn entry(
    account_id: i64,
    date: &str,
    kind: EntryKind,
    pounds: i64,
) -> NewEntry<'static> {
    NewEntry {
        account_id,
        date: d(date),
        kind,
        method: (kind == EntryKind::Payment).then_some(PaymentMethod::Card),
        amount: kind.signed(Money::pounds(pounds)),
        description: None,
        reverses: None,
        ext_id: None,
    }
}

// File only: the file's mode and SQLite's journal and sync settings.
#[test]
fn database_file_is_private_and_durable() {
    let (dir, store) = temp_store();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("caseload.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let pragma = |name: &str| -> String {
        store
            .sqlite()
            .unwrap()
            .query_row(&format!("PRAGMA {name}"), [], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .map(|v| format!("{v:?}"))
            .unwrap()
    };
    assert!(pragma("journal_mode").contains("wal"));
    assert_eq!(pragma("synchronous"), "Integer(2)");
    assert_eq!(pragma("foreign_keys"), "Integer(1)");
}

#[test]
fn append_only_tables_refuse_update_and_delete() {
    on_each_engine("append_only_tables_refuse_upda", |_, store| {
        let (t, a) = add_tenancy(store, "T1");
        store
            .write("tester", "test", |w| {
                w.append_entry(&entry(a, "2026-11-02", EntryKind::Charge, 100))?;
                let action = w.append_action(&call(t))?;
                w.append_note(&NewNote {
                    tenancy_id: t,
                    at: d("2026-11-02").and_hms_opt(10, 5, 0).unwrap(),
                    officer: "tester",
                    body: "Will pay Friday",
                    action_id: Some(action),
                    amends: None,
                })?;
                w.audit("tenancy", t, "patch", Some("North"), Some("South"))
            })
            .unwrap();
        for (sql, message) in [
            ("UPDATE ledger SET amount = 1", "append-only"),
            ("DELETE FROM ledger", "append-only"),
            ("UPDATE actions SET summary = ''", "append-only"),
            ("DELETE FROM actions", "append-only"),
            ("UPDATE notes SET body = 'changed'", "append-only"),
            ("DELETE FROM notes", "append-only"),
            ("UPDATE batches SET officer = 'x'", "append-only"),
            ("UPDATE audit SET new = 'x'", "append-only"),
            ("DELETE FROM audit", "append-only"),
        ] {
            let err = store.db().execute(sql, &[]).unwrap_err().to_string();
            assert!(err.contains(message), "{sql}: {err}");
        }
        let body: String = store
            .db()
            .query_one("SELECT body FROM notes", &[], |r| r.get(0))
            .unwrap();
        assert_eq!(body, "Will pay Friday");
    });
}

#[test]
fn a_failed_write_saves_nothing() {
    on_each_engine("failed_write", |_, store| {
        a_failed_write_saves_nothing_on(store)
    });
}

fn a_failed_write_saves_nothing_on(store: &mut Store) {
    let (_t, a) = add_tenancy(store, "T1");
    let result = store.write("tester", "test", |w| {
        w.append_entry(&entry(a, "2026-11-02", EntryKind::Charge, 100))?;
        // A payment that raises the balance is refused: the charge above must not land either.
        w.append_entry(&NewEntry {
            amount: Money::pounds(5),
            ..entry(a, "2026-11-03", EntryKind::Payment, 5)
        })
    });
    assert!(matches!(result, Err(StoreError::Invalid(_))), "{result:?}");
    assert_eq!(count(store, "SELECT count(*) FROM ledger", &[]), 0);
    assert_eq!(
        store.tenancy_record(1).unwrap().unwrap().rent().balance,
        Money::ZERO
    );
}

#[test]
fn account_summary_follows_the_ledger() {
    on_each_engine("summary", |_, store| {
        account_summary_follows_the_ledger_on(store)
    });
}

fn account_summary_follows_the_ledger_on(store: &mut Store) {
    let (t, a) = add_tenancy(store, "T1");
    store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a, "2026-11-16", EntryKind::Charge, 100))?;
            w.append_entry(&entry(a, "2026-11-18", EntryKind::Payment, 60))?;
            w.append_entry(&entry(a, "2026-11-23", EntryKind::Charge, 100))?;
            w.append_entry(&entry(a, "2026-11-24", EntryKind::Payment, 30))?;
            w.append_entry(&entry(a, "2026-11-26", EntryKind::Payment, 20))?;
            // Back-dated into an earlier week: counts in the balance, not in this week's totals.
            w.append_entry(&entry(a, "2026-11-17", EntryKind::Payment, 5))
        })
        .unwrap();
    let rent = store.tenancy_record(t).unwrap().unwrap().rent();
    assert_eq!(rent.balance, Money::pounds(85));
    assert_eq!(rent.last_payment, Some(d("2026-11-26")));
    assert_eq!(rent.pay_week, Some(d("2026-11-23")));
    assert_eq!(rent.pay_week_total, Money::pounds(50));
    assert_eq!(rent.charge_week, Some(d("2026-11-23")));
    assert_eq!(rent.charge_week_total, Money::pounds(100));

    let position = rent.position(Money::pounds(100), d("2026-11-27"));
    let arrears = position.arrears(true);
    assert_eq!(arrears.collectable, Money::pounds(-15));
    assert_eq!(arrears.effective, Money::pounds(-65));
}

#[test]
fn history_interleaves_and_runs_the_balance_back() {
    on_each_engine("history", |_, store| history_interleaves_on(store));
}

fn history_interleaves_on(store: &mut Store) {
    let (t, a) = add_tenancy(store, "T1");
    store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a, "2026-11-09", EntryKind::Charge, 100))?;
            w.append_entry(&entry(a, "2026-11-16", EntryKind::Charge, 100))?;
            w.append_action(&NewAction {
                tenancy_id: t,
                at: d("2026-11-16").and_hms_opt(9, 30, 0).unwrap(),
                kind: ActionKind::Letter1,
                code: Some("IC1"),
                officer: "tester",
                summary: "",
                ext_id: None,
            })?;
            w.append_entry(&entry(a, "2026-11-20", EntryKind::Payment, 50))
        })
        .unwrap();
    let detail = store
        .account_detail(
            t,
            100,
            crate::domain::promise::Judging {
                tolerance_days: 1,
                today: d("2026-11-23"),
            },
        )
        .unwrap()
        .unwrap();
    assert!(detail.history_complete);
    let summary: Vec<String> = detail
        .history
        .iter()
        .map(|h| match &h.kind {
            HistoryKind::Entry { kind, running, .. } => format!("{} {kind} {running}", h.at.date()),
            HistoryKind::Action { kind, .. } => format!("{} {kind}", h.at.date()),
            HistoryKind::Note { .. } => "note".into(),
            HistoryKind::Promise(p) => format!("promise {}", p.promise.describe()),
            HistoryKind::CallBack { made } => format!("call back {} {made}", h.at),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "2026-11-20 Payment £150.00",
            "2026-11-16 Letter 1",
            "2026-11-16 Charge £200.00",
            "2026-11-09 Charge £100.00",
        ]
    );

    let window = store
        .account_detail(
            t,
            2,
            crate::domain::promise::Judging {
                tolerance_days: 1,
                today: d("2026-11-23"),
            },
        )
        .unwrap()
        .unwrap();
    assert!(!window.history_complete);
    assert!(
        window
            .history
            .iter()
            .all(|h| h.at.date() >= d("2026-11-16"))
    );
}

#[test]
fn references_are_unique_and_found_exactly() {
    on_each_engine("references", |_, store| references_are_unique_on(store));
}

fn references_are_unique_on(store: &mut Store) {
    let (t, _) = add_tenancy(store, "RF/001");
    assert_eq!(store.tenancy_by_ref("RF/001").unwrap(), Some(t));
    assert_eq!(store.tenancy_by_ref("rf/001").unwrap(), None);
    assert_eq!(
        store.reference_like("rf/001").unwrap().as_deref(),
        Some("RF/001")
    );
    assert_eq!(store.tenancy_by_ref("nope").unwrap(), None);
    let again = store.write("tester", "test", |w| {
        w.add_tenancy(&TenancyDetails {
            reference: "RF/001".into(),
            address: String::new(),
            postcode: String::new(),
            tenure: Tenure::Assured,
            start: d("2020-01-01"),
            end: None,
            patch: String::new(),
            officer: String::new(),
            weekly_charge: Money::ZERO,
            flags: Flags::default(),
        })
    });
    assert!(matches!(again, Err(StoreError::Invalid(m)) if m.contains("already exists")));
}

// File only: SQLite's bulk write lifts and restores the file's own triggers.
#[test]
fn bulk_writes_keep_the_same_summaries_and_restore_the_trigger() {
    let (_dir, mut store) = temp_store();
    let (t1, a1) = add_tenancy(&mut store, "T1");
    let (t2, a2) = add_tenancy(&mut store, "T2");
    let triggers = |store: &Store| -> Vec<(String, String)> {
        store
            .sqlite()
            .unwrap()
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let schema = triggers(&store);
    assert!(schema.iter().any(|(name, _)| name == "ledger_no_replace"));
    let rows = |a: i64| {
        vec![
            entry(a, "2026-11-09", EntryKind::Charge, 100),
            entry(a, "2026-11-16", EntryKind::Charge, 100),
            entry(a, "2026-11-18", EntryKind::Payment, 60),
            entry(a, "2026-11-23", EntryKind::Charge, 100),
            entry(a, "2026-11-24", EntryKind::Payment, 30),
            entry(a, "2026-11-17", EntryKind::Payment, 5),
        ]
    };
    store
        .write("tester", "test", |w| {
            rows(a1)
                .iter()
                .try_for_each(|e| w.append_entry(e).map(drop))
        })
        .unwrap();
    store
        .write_bulk("tester", "test", |w| {
            rows(a2)
                .iter()
                .try_for_each(|e| w.append_entry(e).map(drop))
        })
        .unwrap();
    let one = store.tenancy_record(t1).unwrap().unwrap().rent();
    let two = store.tenancy_record(t2).unwrap().unwrap().rent();
    assert_eq!(one, two);
    assert_eq!(two.pay_week_total, Money::pounds(30));
    // Every trigger a bulk write lifts is back as it was, REPLACE INTO refused again.
    assert_eq!(triggers(&store), schema);
    let replace = store.sqlite().unwrap().execute(
        "REPLACE INTO ledger (id, account_id, date, kind, amount, batch_id)
         SELECT id, account_id, date, kind, amount + 1, batch_id FROM ledger LIMIT 1",
        [],
    );
    assert!(
        replace.is_err_and(|e| e.to_string().contains("append-only")),
        "REPLACE INTO the ledger after a bulk write"
    );

    // The trigger is back: a normal write after a bulk one still keeps the summary.
    store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a2, "2026-11-25", EntryKind::Payment, 10))
        })
        .unwrap();
    let two = store.tenancy_record(t2).unwrap().unwrap().rent();
    assert_eq!(two.pay_week_total, Money::pounds(40));

    // A failed bulk write leaves everything, trigger included, as it was.
    let failed = store.write_bulk("tester", "test", |w| {
        w.append_entry(&entry(a1, "2026-11-25", EntryKind::Charge, 100))?;
        Err::<(), _>(StoreError::Invalid("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(triggers(&store), schema);
    store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a1, "2026-11-26", EntryKind::Payment, 10))
        })
        .unwrap();
    assert_eq!(
        store.tenancy_record(t1).unwrap().unwrap().rent().balance,
        Money::pounds(195)
    );

    // A bulk write onto accounts with entries adds to their summaries as the trigger would.
    let later = |a: i64| {
        vec![
            entry(a, "2026-11-30", EntryKind::Charge, 100),
            entry(a, "2026-12-02", EntryKind::Payment, 25),
            entry(a, "2026-12-01", EntryKind::Payment, 15),
        ]
    };
    store
        .write("tester", "test", |w| {
            later(a1)
                .iter()
                .try_for_each(|e| w.append_entry(e).map(drop))
        })
        .unwrap();
    store
        .write_bulk("tester", "test", |w| w.append_entries(&later(a2)).map(drop))
        .unwrap();
    let one = store.tenancy_record(t1).unwrap().unwrap().rent();
    let two = store.tenancy_record(t2).unwrap().unwrap().rent();
    assert_eq!(one, two);
    assert_eq!(two.pay_week_total, Money::pounds(40));
}

// File only: SQLite's bulk write turns the file's CHECK constraints off.
#[test]
fn a_bulk_write_checks_each_entry_and_leaves_the_constraints_on_after_it() {
    let (_dir, mut store) = temp_store();
    let (_, a) = add_tenancy(&mut store, "T1");
    // Inside the bulk write SQLite evaluates no CHECK constraint: the code refuses the entry.
    let refused = store.write_bulk("tester", "test", |w| {
        w.checks_in_code(true)?;
        let charge = w.append_entry(&entry(a, "2026-11-02", EntryKind::Charge, 100))?;
        w.append_entry(&NewEntry {
            reverses: Some(charge),
            ..entry(a, "2026-11-03", EntryKind::Charge, 100)
        })
    });
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("only a reversal")),
        "{refused:?}"
    );
    // After it (even one that failed), the schema's own checks hold again.
    let charge = store
        .write("tester", "test", |w| {
            w.append_entry(&entry(a, "2026-11-02", EntryKind::Charge, 100))
        })
        .unwrap();
    for sql in [
        format!(
            "INSERT INTO ledger (account_id, date, kind, amount, batch_id)
             VALUES ({a}, '2026-11-03', 'charge', -5, 1)"
        ),
        "INSERT INTO ledger (account_id, date, kind, amount, batch_id)
         VALUES (999999, '2026-11-03', 'charge', 5, 1)"
            .to_string(),
        format!(
            "INSERT INTO ledger (account_id, date, kind, amount, reverses, batch_id)
             VALUES ({a}, '2026-11-03', 'charge', 5, {charge}, 1)"
        ),
    ] {
        assert!(store.sqlite().unwrap().execute(&sql, []).is_err(), "{sql}");
    }
}

#[test]
fn recovery_records_are_append_only_and_last_actions_follow_the_log() {
    on_each_engine("recovery_records_are_append_on", |_, store| {
        let (t, _) = add_tenancy(store, "T1");
        let action = |kind, at: &str| NewAction {
            tenancy_id: t,
            at: crate::domain::dates::parse_moment(at).unwrap().0,
            kind,
            code: None,
            officer: "tester",
            summary: "",
            ext_id: None,
        };
        store
            .write("tester", "test", |w| {
                w.append_action(&action(ActionKind::Letter1, "2026-10-01T09:00:00"))?;
                w.append_action(&action(ActionKind::Letter1, "2026-09-01"))?;
                w.append_action(&action(ActionKind::Sms, "2026-11-20T12:00:00"))?;
                let from = Origin {
                    tenancy_id: t,
                    officer: "tester",
                    action: None,
                    ext_id: None,
                };
                w.serve_notice(
                    &Notice {
                        kind: NoticeKind::Nosp,
                        served_on: d("2026-11-02"),
                        served_how: None,
                        grounds: "Ground 1".into(),
                        amount: Some(Money::pounds(812)),
                    },
                    &from,
                )?;
                w.record_court_event(
                    &CourtEvent {
                        outcome: Some(CourtOutcome::SuspendedOnTerms),
                        code: Some("SPO".into()),
                        terms: "£5 a week on top of rent".into(),
                        costs: Some(Money::pounds(355)),
                        ..CourtEvent::at(CourtEventKind::Outcome, Some(d("2026-11-10")))
                    },
                    &from,
                )?;
                w.add_pause(&NewPause {
                    tenancy_id: t,
                    kind: PauseKind::Pause,
                    until: d("2026-12-01"),
                    reason: "In hospital",
                    comment: "Support worker asked",
                    officer: "tester",
                    at: d("2026-11-20").and_hms_opt(10, 0, 0).unwrap(),
                    ext_id: None,
                    action_id: None,
                })
            })
            .unwrap();
        for sql in [
            "UPDATE notices SET grounds = ''",
            "DELETE FROM notices",
            "UPDATE court_events SET terms = ''",
            "DELETE FROM pauses",
        ] {
            let err = store.db().execute(sql, &[]).unwrap_err().to_string();
            assert!(err.contains("append-only"), "{sql}: {err}");
        }
        let last: Vec<(String, String)> = store
            .db()
            .query_map(
                "SELECT kind, at FROM last_actions WHERE tenancy_id = ?1 ORDER BY kind",
                &[&t],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            last,
            [
                ("letter_1".to_string(), "2026-10-01T09:00:00".to_string()),
                ("sms".to_string(), "2026-11-20T12:00:00".to_string())
            ]
        );
        assert_eq!(
            store.notices(t).unwrap()[0].notice.amount,
            Some(Money::pounds(812))
        );
        assert_eq!(
            store.court_events(t).unwrap()[0].event.outcome,
            Some(CourtOutcome::SuspendedOnTerms)
        );
        assert_eq!(
            store.latest_pause(t).unwrap().unwrap().until,
            d("2026-12-01")
        );
    });
}

#[test]
fn a_call_is_saved_whole_and_its_promises_see_only_payments_after_they_were_made() {
    on_each_engine("call", a_call_is_saved_whole_on);
}

fn a_call_is_saved_whole_on(dir: &std::path::Path, store: &mut Store) {
    use crate::domain::promise::{PromiseState, series};
    let (t, a) = add_tenancy(store, "T1");
    let file = super::DraftFile::new(dir, store.path(), "tester");
    let saver = store
        .draft_saver(file, vec![], super::DraftTimings::default())
        .unwrap();
    saver.save(Draft {
        tenancy_id: t,
        body: "Tenant will pay £50".into(),
        cursor: (0, 19),
        context: "call".into(),
        officer: "tester".into(),
        workstation: String::new(),
        saved_at: String::new(),
    });
    assert_eq!(saver.flush(), super::DraftStatus::Saved);
    assert_eq!(store.drafts("tester").unwrap().len(), 1);
    let promises = series(Money::pounds(50), d("2026-11-20"), 7, 1, d("2026-11-16"));
    store
        .write("tester", "test", |w| {
            // Paid the day before the promise: does not count towards it.
            w.append_entry(&entry(a, "2026-11-15", EntryKind::Payment, 40))?;
            w.save_contact(&NewContact {
                tenancy_id: t,
                kind: ActionKind::Call,
                code: Some("TC"),
                at: d("2026-11-16").and_hms_opt(10, 5, 0).unwrap(),
                officer: "tester",
                summary: "Call to Ada Lovelace: promise to pay",
                party: "Ada Lovelace (tenant) 07700 900123",
                third_party: false,
                consent: false,
                outgoing: Some(true),
                started_at: Some(d("2026-11-16").and_hms_opt(10, 1, 0).unwrap()),
                seconds: Some(245),
                outcome: "promise to pay",
                call_back: None,
                checklist: &["advised of free debt advice"],
                note: "Tenant will pay £50 on Friday.",
                promises: &promises,
            })?;
            // A day late is within the default tolerance; the day after that is not.
            w.append_entry(&entry(a, "2026-11-21", EntryKind::Payment, 30))?;
            w.append_entry(&entry(a, "2026-11-22", EntryKind::Payment, 20))
        })
        .unwrap();
    assert!(
        store.drafts("tester").unwrap().is_empty(),
        "the draft went when its note was saved"
    );
    let found = store.promises(t, 1).unwrap();
    assert_eq!(found.len(), 1);
    let record = &found[0];
    assert_eq!(record.received, Money::pounds(30));
    assert_eq!(
        record.promise.state(record.received, d("2026-11-23"), 1),
        PromiseState::Broken
    );
    let detail = store
        .account_detail(
            t,
            100,
            crate::domain::promise::Judging {
                tolerance_days: 1,
                today: d("2026-11-23"),
            },
        )
        .unwrap()
        .unwrap();
    assert_eq!(detail.notes[0].body, "Tenant will pay £50 on Friday.");
    let hits = store.search_notes("FRIDAY pay", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].reference, "T1");
    assert!(hits[0].snippet.contains("[Friday]"), "{}", hits[0].snippet);
    assert!(
        store.search_notes("\"unbalanced", 10).unwrap().is_empty(),
        "typed quotes are not syntax"
    );
    for sql in [
        "UPDATE contacts SET outcome = ''",
        "DELETE FROM promises",
        "UPDATE promises SET amount = 1",
    ] {
        let err = store.db().execute(sql, &[]).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

#[test]
fn vulnerability_and_referrals_keep_their_history() {
    on_each_engine("vulnerability", |_, store| {
        vulnerability_and_referrals_on(store)
    });
}

fn vulnerability_and_referrals_on(store: &mut Store) {
    let (t, _) = add_tenancy(store, "T1");
    store
        .write("tester", "test", |w| {
            w.set_vulnerability(t, true, "mental health", "anxiety; prefers email")?;
            let from = Origin {
                tenancy_id: t,
                officer: "tester",
                action: None,
                ext_id: None,
            };
            w.add_referral("debt_advice", d("2026-11-23"), "made", "StepChange", &from)?;
            w.add_referral("debt_advice", d("2026-11-30"), "accepted", "", &from)
        })
        .unwrap();
    let flags = store.tenancy_record(t).unwrap().unwrap().details.flags;
    assert!(flags.vulnerable);
    assert_eq!(
        flags.vulnerability.as_deref(),
        Some("anxiety; prefers email")
    );
    let audited = count(
        store,
        "SELECT count(*) FROM audit WHERE entity_id = ?1 AND field LIKE 'vulnerab%'",
        &[&t],
    );
    assert_eq!(audited, 3);
    let bad = store.write("tester", "test", |w| {
        w.add_referral(
            "astrology",
            d("2026-11-23"),
            "made",
            "",
            &Origin {
                tenancy_id: t,
                officer: "tester",
                action: None,
                ext_id: None,
            },
        )
    });
    assert!(matches!(bad, Err(StoreError::Invalid(m)) if m.contains("astrology")));
}

/// A digest of every row of every table, to show that something wrote nothing.
pub(crate) fn checksum(store: &Store) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    let tables: Vec<String> = store
        .sqlite().unwrap()
        .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'trigger', 'index') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables.hash(&mut hasher);
    for table in tables.iter().filter(|t| !t.starts_with("sqlite_")) {
        let Ok(mut stmt) = store
            .sqlite()
            .unwrap()
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
        else {
            continue;
        };
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

/// The audit trail as (entity, field, old, new).
pub(crate) type AuditRow = (String, String, Option<String>, Option<String>);

pub(crate) fn audit_rows(store: &Store) -> Vec<AuditRow> {
    store
        .sqlite()
        .unwrap()
        .prepare("SELECT entity, field, old, new FROM audit ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn two_workstations_of_one_officer_keep_a_draft_each_and_a_saved_note_takes_only_its_own() {
    on_each_engine("two_workstations", |dir, one| {
        let (t, _) = add_tenancy(one, "T1");
        let mut two = another(one);
        one.set_workstation("one".into());
        two.set_workstation("two".into());
        let saver = |store: &Store| {
            let file = super::DraftFile::new(dir, store.path(), "tester");
            store
                .draft_saver(file, vec![], super::DraftTimings::default())
                .unwrap()
        };
        let (first, second) = (saver(one), saver(&two));
        first.save(super::drafts::draft_of(t, "typed in window one"));
        second.save(super::drafts::draft_of(t, "typed in window two"));
        assert_eq!(first.flush(), super::DraftStatus::Saved);
        assert_eq!(second.flush(), super::DraftStatus::Saved);
        let bodies = |store: &Store| -> Vec<(String, String)> {
            let mut all: Vec<_> = store
                .drafts("tester")
                .unwrap()
                .into_iter()
                .map(|d| (d.workstation, d.body))
                .collect();
            all.sort();
            all
        };
        assert_eq!(
            bodies(one),
            [
                ("one".to_string(), "typed in window one".to_string()),
                ("two".to_string(), "typed in window two".to_string())
            ]
        );
        // Window one saves its note: its draft goes with it, window two's stays.
        one.write("tester", "test", |w| w.delete_draft("tester", t))
            .unwrap();
        assert_eq!(
            bodies(&two),
            [("two".to_string(), "typed in window two".to_string())]
        );
    });
}

// File only: a file read-only by its header, and SQLite's write lock.
#[test]
fn a_file_that_cannot_be_written_is_read_only_and_a_busy_one_is_not() {
    let (dir, store) = temp_store();
    assert!(!store.is_read_only());
    let other = rusqlite::Connection::open(store.path()).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    store.set_busy_timeout(std::time::Duration::ZERO).unwrap();
    assert!(!store.is_read_only(), "busy is not read-only");
    other.execute_batch("COMMIT").unwrap();
    drop(other);
    drop(store);
    // A write version above 2 in the header: read-only to SQLite itself, whoever runs it.
    let path = dir.path().join("caseload.db");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[18] = 3;
    std::fs::write(&path, bytes).unwrap();
    assert!(Store::open(&path).unwrap().is_read_only());
}
