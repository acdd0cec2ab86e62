//! Strict, explainable reading of an extract: each defect an officer could meet with a real
//! housing system's files is refused with the file, line and column, and changes nothing.

use super::tests::{edited, one_change, rejected, run};
use super::*;
use crate::store::Store;
use crate::store::tests::{checksum, temp_store};
use std::path::Path;
use std::time::Duration;

/// Runs the import on another thread, failing the test if it has not finished within seconds
/// (a FIFO or an endless file would otherwise hang the test run).
fn run_within(dir: &Path) -> (Result<Summary, ImportError>, Store) {
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = dir.to_path_buf();
    let db = tempfile::tempdir().unwrap();
    let path = db.path().join("caseload.db");
    std::thread::spawn(move || {
        let mut store = Store::open(&path).unwrap();
        let outcome = run(&mut store, &dir, false);
        let _ = tx.send((outcome, store, db));
    });
    let (outcome, store, db) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the import did not finish: it hung on the file");
    std::mem::forget(db);
    (outcome, store)
}

fn unreadable(outcome: Result<Summary, ImportError>) -> String {
    match outcome {
        Err(ImportError::Unreadable(m)) => m,
        other => panic!("expected the folder to be refused, got {other:?}"),
    }
}

#[test]
fn an_unbalanced_quote_is_refused_at_the_line_and_column_it_opened() {
    // In a column that may hold line breaks: it would swallow every later row.
    let (_dir, mut store) = temp_store();
    let extract = one_change(
        "transactions.csv",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,,",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,\"Returned DD,",
    );
    let problems = rejected(&mut store, extract.path());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("transactions.csv:11: description: the quote opened at column 53")
            && problems[0].contains("does not close"),
        "{problems:#?}"
    );
    // In a column that may not: the rest of the line, and only that, is the problem.
    let (_dir, mut store) = temp_store();
    let extract = one_change(
        "tenancies.csv",
        "200103/2,assured,2019-02-04,,\"7 Willow Close, Kingsmere\",KM3 1QS",
        "200103/2,assured,2019-02-04,,\"7 Willow Close, Kingsmere\",\"KM3 1QS",
    );
    let problems = rejected(&mut store, extract.path());
    assert_eq!(
        problems,
        [
            "tenancies.csv:4: postcode: the quote opened at column 58 does not close before the \
             end of its line"
        ]
    );
}

/// A transfer cut short stops part-way through a row, and a value cut within the last field
/// (`112.40` as `112`, `no` as `n`) still reads as a value: the one sign left is the missing
/// line end, so a last row without one is refused however whole it looks.
#[test]
fn a_file_that_ends_part_way_through_a_row_is_refused_at_that_row() {
    const LAST: &str =
        "T500302,RA200102,2026-10-05,adjustment,,-15.00,Rent recalculated after room change,\n";
    for cut in [
        "T500302,RA200102,2026-10-05,adjustment,,-15.00,Rent recalculated after room change,",
        "T500302,RA200102,2026-10-05,adjustment,,-15.00,Rent recalculated after room change,\r",
    ] {
        let (_dir, mut store) = temp_store();
        let extract = one_change("transactions.csv", LAST, cut);
        let problems = rejected(&mut store, extract.path());
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0]
                .starts_with("transactions.csv:301: the file ends part-way through this row")
                && problems[0].contains("cut short"),
            "{problems:#?}"
        );
    }
    // Blank lines after the last row, the last of them without a line end, end the file whole.
    let (_dir, mut store) = temp_store();
    let extract = one_change(
        "transactions.csv",
        LAST,
        concat!(
            "T500302,RA200102,2026-10-05,adjustment,,-15.00,Rent recalculated after room change,\n",
            "\n  "
        ),
    );
    run(&mut store, extract.path(), false).unwrap();
}

#[test]
fn a_negative_amount_of_a_one_way_kind_is_refused_with_a_hint() {
    let (_dir, mut store) = temp_store();
    let extract = one_change(
        "transactions.csv",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,,",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,-112.40,Returned DD,",
    );
    let problems = rejected(&mut store, extract.path());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("transactions.csv:11: amount: `-112.40` is negative")
            && problems[0].contains("a returned Direct Debit is a `reversal`"),
        "{problems:#?}"
    );
}

#[test]
fn a_negative_amount_of_a_code_the_config_maps_for_it_is_imported_as_that_kind() {
    let (_dir, mut store) = temp_store();
    let extract = one_change(
        "transactions.csv",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,112.40,,",
        "T500010,RA200101,2026-06-03,PAY,direct_debit,-112.40,Returned DD,",
    );
    let mut codes = super::tests::codes();
    codes.negative_transactions.insert(
        "PAY".into(),
        crate::domain::codes::Canonical(crate::domain::ledger::EntryKind::Adjustment),
    );
    let options = ImportOptions {
        codes: &codes,
        officer: "tester",
        today: crate::store::tests::d("2026-11-23"),
        plan_tolerance_days: 5,
        dry_run: false,
        wait: std::time::Duration::ZERO,
    };
    import(&mut store, extract.path(), &options, |_, _, _| {}).unwrap();
    let t = store.tenancy_by_ref("200101/1").unwrap().unwrap();
    let record = store.tenancy_record(t).unwrap().unwrap();
    // The payment the file would have had (£112.40 received) is now £112.40 owed back.
    assert_eq!(
        record.rent().balance,
        crate::domain::Money::from_pence(11_240 + 2 * 11_240)
    );
}

#[test]
fn control_characters_long_values_and_impossible_years_are_refused() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "tenancies.csv",
            "200101/1,secure",
            "200101/1\0,secure",
            "tenancies.csv:2: ref: holds a control character (U+0000) at character 9",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04",
            "T500001,RA200101,0000-05-04",
            "transactions.csv:2: date: `0000-05-04` is outside the years 1900 to 2100",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04",
            "T500001,RA200101,9999-05-04",
            "transactions.csv:2: date: `9999-05-04` is outside the years 1900 to 2100",
        ),
        (
            "actions.csv",
            "A9001,200104/1,L1,2026-06-22T10:14:00",
            "A9001,200104/1,L1,1899-12-31T10:14:00",
            "actions.csv:2: at: `1899-12-31T10:14:00` is outside the years 1900 to 2100",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04,RNT,,112.40,Rent,",
            "T500001,RA200101,2026-05-04,RNT,,112.40,Rent,,extra",
            "transactions.csv:2: the row has 9 fields but the header has 8",
        ),
    ];
    for (file, from, to, expected) in cases {
        let (_dir, mut store) = temp_store();
        let extract = one_change(file, from, to);
        let problems = rejected(&mut store, extract.path());
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{file}: {to:?} gave {problems:#?}"
        );
    }
}

#[test]
fn a_huge_field_is_refused_and_echoed_only_in_part() {
    // An amount is quoted back when it does not parse: 10 MB of one was once echoed in full.
    for (file, at, filler, length, expected) in [
        (
            "tenancies.csv",
            "200101/1",
            'X',
            5_000,
            "tenancies.csv:2: ref: is 5,008 characters long: at most 100 are allowed here \
             (`200101/1XXX",
        ),
        (
            "tenancies.csv",
            "200101/1",
            'X',
            10_000_000,
            "tenancies.csv:2: the line is 10,000,",
        ),
        (
            "transactions.csv",
            "T500001,RA200101,2026-05-04,RNT,,112.40",
            '9',
            10_000_000,
            "transactions.csv:2: the line is 10,000,",
        ),
    ] {
        let (_dir, mut store) = temp_store();
        let huge = filler.to_string().repeat(length);
        let extract = edited(|name, text| {
            if name == file {
                assert!(text.contains(at), "{at} not in {file}");
                text.replacen(at, &format!("{at}{huge}"), 1)
            } else {
                text
            }
        });
        let problems = rejected(&mut store, extract.path());
        let longest = problems.iter().map(String::len).max().unwrap();
        assert!(longest < 400, "a problem {longest} characters long");
        assert!(problems[0].starts_with(expected), "{problems:#?}");
    }
}

#[test]
fn refs_that_differ_only_in_case_are_two_tenancies_and_each_is_found_exactly() {
    let (_dir, mut store) = temp_store();
    let extract = edited(|name, text| match name {
        "tenancies.csv" => {
            let line = text.lines().nth(1).unwrap().replacen("200101/1", "abc1", 1);
            let upper = line.replacen("abc1", "ABC1", 1);
            format!("{text}{line}\n{upper}\n")
        }
        "tenants.csv" => {
            format!("{text}abc1,1,Ms,Lower,Case,,,,,\nABC1,1,Mr,Upper,Case,,,,,\n")
        }
        _ => text,
    });
    run(&mut store, extract.path(), false).unwrap();
    for (reference, name) in [("abc1", "Lower"), ("ABC1", "Upper")] {
        let id = store.tenancy_by_ref(reference).unwrap().unwrap();
        let record = store.tenancy_record(id).unwrap().unwrap();
        assert_eq!(record.details.reference, reference);
        assert_eq!(record.tenants[0].first_name, name);
    }
    assert_eq!(store.tenancy_by_ref("Abc1").unwrap(), None);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_folder_is_refused_rather_than_waited_on() {
    let extract = edited(|_, text| text);
    let fifo = extract.path().join("actions.csv");
    std::fs::remove_file(&fifo).unwrap();
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path it is given.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let (outcome, _store) = run_within(extract.path());
    let message = unreadable(outcome);
    assert!(
        message.contains("actions.csv is not a regular file"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn files_that_lead_outside_the_folder_are_refused_without_reading_them() {
    for (target, file) in [
        ("/dev/zero", "transactions.csv"),
        ("/etc/passwd", "tenancies.csv"),
    ] {
        let extract = edited(|_, text| text);
        let link = extract.path().join(file);
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(target, &link).unwrap();
        let (outcome, store) = run_within(extract.path());
        let message = unreadable(outcome);
        assert!(
            message.contains(&format!("{file} leads outside the folder")),
            "{message}"
        );
        assert!(!message.contains("root"), "{message}");
        assert_eq!(store.tenancy_count().unwrap(), 0);
    }
    // A link to another file inside the folder is read as that file.
    let extract = edited(|_, text| text);
    let inside = extract.path().join("kept");
    std::fs::create_dir(&inside).unwrap();
    std::fs::rename(
        extract.path().join("notices.csv"),
        inside.join("notices.csv"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        inside.join("notices.csv"),
        extract.path().join("notices.csv"),
    )
    .unwrap();
    let (outcome, store) = run_within(extract.path());
    outcome.unwrap();
    let before = checksum(&store);
    assert_ne!(before, 0);
}

/// A small valid extract, written as a housing system would (quoting only where needed).
mod corruption {
    use super::super::tests::run;
    use super::super::{FILES, export};
    use crate::domain::Money;
    use crate::extract::records::plain;
    use crate::store::tests::{add_tenancy, checksum, temp_store};
    use proptest::prelude::*;
    use std::collections::HashMap;
    use std::path::Path;

    const TEXTS: &[&str] = &[
        "",
        "Rent",
        "Card payment",
        "Paid at the office, in cash",
        "Spoke to tenant\nwill call back",
        "He said \"next week\"",
        "Überweisung",
    ];

    /// Each file of the extract: its name and rows (the header first).
    type Extract = Vec<(&'static str, Vec<Vec<String>>)>;

    fn extract(
        tenancies: usize,
        transactions: &[(usize, u32, bool, usize)],
        actions: &[(usize, usize)],
    ) -> Extract {
        let s = |v: &str| v.to_string();
        let header = |name: &str| -> Vec<String> {
            FILES
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .columns
                .iter()
                .map(|c| s(c.name))
                .collect()
        };
        let reference = |i: usize| format!("R{i}/1");
        let mut files: Extract = Vec::new();
        let mut rows = vec![header("tenancies.csv")];
        let mut people = vec![header("tenants.csv")];
        let mut accounts = vec![header("accounts.csv")];
        for i in 0..tenancies {
            rows.push(
                [
                    &reference(i),
                    "secure",
                    "2020-01-06",
                    "",
                    &format!("{i} Mill Lane, Kingsmere"),
                    "KM1 1AB",
                    "North",
                    "jo",
                    "100.00",
                    "no",
                    "no",
                    "no",
                    "",
                    "",
                    "no",
                    "no",
                ]
                .map(s)
                .to_vec(),
            );
            people.push(
                [
                    &reference(i),
                    "1",
                    "Ms",
                    "Ann",
                    &format!("Lee{i}"),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
                .map(s)
                .to_vec(),
            );
            accounts.push([&format!("A{i}"), &reference(i), "rent"].map(s).to_vec());
        }
        files.push(("tenancies.csv", rows));
        files.push(("tenants.csv", people));
        files.push(("accounts.csv", accounts));
        let mut ledger = vec![header("transactions.csv")];
        for (j, &(account, pence, paid, text)) in transactions.iter().enumerate() {
            let (kind, method) = if paid {
                ("payment", "card")
            } else {
                ("charge", "")
            };
            ledger.push(
                [
                    &format!("T{j}"),
                    &format!("A{}", account % tenancies),
                    &format!("2026-{:02}-{:02}", 1 + j % 9, 10 + j % 18),
                    kind,
                    method,
                    &plain(Money::from_pence(i64::from(pence))),
                    TEXTS[text % TEXTS.len()],
                    "",
                ]
                .map(s)
                .to_vec(),
            );
        }
        files.push(("transactions.csv", ledger));
        let mut log = vec![header("actions.csv")];
        for (j, &(tenancy, text)) in actions.iter().enumerate() {
            log.push(
                [
                    &format!("X{j}"),
                    &reference(tenancy % tenancies),
                    "call",
                    "2026-03-04T10:00:00",
                    "jo",
                    TEXTS[text % TEXTS.len()],
                ]
                .map(s)
                .to_vec(),
            );
        }
        files.push(("actions.csv", log));
        files
    }

    fn write(extract: &Extract) -> HashMap<&'static str, Vec<u8>> {
        extract
            .iter()
            .map(|(name, rows)| {
                let mut out = csv::Writer::from_writer(Vec::new());
                for row in rows {
                    out.write_record(row).unwrap();
                }
                (*name, out.into_inner().unwrap())
            })
            .collect()
    }

    /// The file's own columns the damaged header still names (the others take their default).
    fn named(name: &str, bytes: &[u8]) -> Vec<bool> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes);
        let header = reader
            .records()
            .next()
            .and_then(Result::ok)
            .unwrap_or_default();
        FILES
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .columns
            .iter()
            .map(|c| header.iter().any(|h| h.trim().eq_ignore_ascii_case(c.name)))
            .collect()
    }

    /// What a plain RFC 4180 reading of a file says, by the file's own column names: rows as
    /// values in the file's column order (amounts as pounds and pence), the columns not in
    /// `compared` left out. `None` if it is not well-formed CSV with one width.
    fn clean_parse(name: &str, bytes: &[u8], compared: &[bool]) -> Option<Vec<Vec<String>>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes);
        let mut records = reader.records();
        let header = records.next()?.ok()?;
        let spec = FILES.iter().find(|f| f.name == name)?;
        let at: Vec<Option<usize>> = spec
            .columns
            .iter()
            .map(|c| {
                header
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(c.name))
            })
            .collect();
        let mut rows = Vec::new();
        for record in records {
            let record = record.ok()?;
            rows.push(
                at.iter()
                    .zip(compared)
                    .filter(|(_, compared)| **compared)
                    .map(|(i, _)| normal(i.and_then(|i| record.get(i)).unwrap_or("")))
                    .collect(),
            );
        }
        rows.sort();
        Some(rows)
    }

    /// A value as the extract means it: amounts as pounds and pence, an empty yes/no as no, and
    /// so is `n` (a `no` cut short to it still means no).
    fn normal(value: &str) -> String {
        match value.trim() {
            "" | "no" | "n" => String::new(),
            value => Money::parse(value).map_or_else(|_| value.to_string(), plain),
        }
    }

    #[derive(Clone, Copy, Debug)]
    enum Damage {
        Insert(u8),
        Replace(u8),
        /// The line cut short at the byte.
        Truncate,
        /// The file cut short at the byte, as by a transfer that stopped.
        End,
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            prop::sample::select(vec![b'"', b',', 0u8]).prop_map(Damage::Insert),
            prop::sample::select(vec![b'"', b',', 0u8]).prop_map(Damage::Replace),
            Just(Damage::Truncate),
            Just(Damage::End),
        ]
    }

    fn apply(bytes: &mut Vec<u8>, at: usize, damage: Damage) {
        let at = at % bytes.len().max(1);
        match damage {
            Damage::Insert(b) => bytes.insert(at, b),
            Damage::Replace(b) => bytes[at] = b,
            Damage::Truncate => {
                let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |e| at + e);
                bytes.drain(at..end);
            }
            Damage::End => bytes.truncate(at),
        }
    }

    fn check(
        tenancies: usize,
        transactions: &[(usize, u32, bool, usize)],
        actions: &[(usize, usize)],
        file: usize,
        at: usize,
        damage: Damage,
    ) -> Result<(), TestCaseError> {
        let mut files = write(&extract(tenancies, transactions, actions));
        let name = [
            "tenancies.csv",
            "tenants.csv",
            "accounts.csv",
            "transactions.csv",
            "actions.csv",
        ][file % 5];
        apply(files.get_mut(name).unwrap(), at, damage);
        let dir = tempfile::tempdir().unwrap();
        for (file, bytes) in &files {
            std::fs::write(dir.path().join(file), bytes).unwrap();
        }
        let (_db, mut store) = temp_store();
        add_tenancy(&mut store, "BASE/1");
        let before = checksum(&store);
        match run(&mut store, dir.path(), false) {
            Err(super::ImportError::Rejected { problems, .. }) => {
                prop_assert!(problems.total > 0);
                let first = &problems.shown[0];
                prop_assert!(first.line >= 1, "{first}");
                prop_assert!(files.contains_key(first.file), "{first}");
                prop_assert_eq!(checksum(&store), before, "a refused import wrote something");
            }
            Err(other) => prop_assert!(false, "{name} {damage:?}: {other}"),
            Ok(_) => {
                let out = tempfile::tempdir().unwrap();
                let exported = out.path().join("x");
                export(&store, &exported).unwrap();
                for (file, bytes) in &files {
                    let compared = named(file, bytes);
                    let expected = clean_parse(file, bytes, &compared);
                    prop_assert!(
                        expected.is_some(),
                        "{name} {damage:?}: imported, but {file} is not well-formed CSV"
                    );
                    let held = clean_parse(
                        file,
                        &std::fs::read(exported.join(file)).unwrap(),
                        &compared,
                    )
                    .unwrap()
                    .into_iter()
                    .filter(|row| !row.iter().any(|v| v.contains("BASE")))
                    .collect::<Vec<_>>();
                    prop_assert_eq!(held, expected.unwrap(), "{} {:?} in {}", name, damage, file);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_clean_extract_imports() {
        let (_db, mut store) = temp_store();
        let dir = tempfile::tempdir().unwrap();
        let all: Vec<_> = (0..TEXTS.len()).map(|t| (t, 1234, t % 2 == 0, t)).collect();
        for (file, bytes) in write(&extract(2, &all, &[(0, 4), (1, 5)])) {
            std::fs::write(dir.path().join(file), bytes).unwrap();
        }
        let summary = run(&mut store, dir.path(), false).unwrap();
        assert_eq!(summary.total().new, 2 + 2 + 2 + 7 + 2);
        assert!(Path::new(dir.path()).exists());
    }

    /// The case proptest once shrank a failure to: a quote in place of a byte of tenants.csv.
    #[test]
    fn a_quote_in_tenants_is_imported_as_written_or_refused() {
        check(
            2,
            &[],
            &[],
            1,
            15_512_267_158_490_347_929,
            Damage::Replace(b'"'),
        )
        .unwrap();
    }

    /// The case proptest shrank another failure to: the row of tenancies.csv cut short within
    /// its last field, its line end kept, a `no` left as `n`, which the extract's yes/no reading
    /// takes as no.
    #[test]
    fn a_last_line_cut_short_is_imported_as_written_or_refused() {
        check(1, &[], &[], 0, 17_428_526_414_717_450_498, Damage::Truncate).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// A random single-byte corruption (a quote, a comma, a NUL, a line or the file cut
        /// short) of a random valid extract is either imported exactly as a plain reading of the
        /// damaged files says, or refused with a `file:line` report and nothing written.
        #[test]
        fn a_damaged_extract_is_imported_as_written_or_refused(
            tenancies in 1usize..4,
            transactions in prop::collection::vec((0usize..4, 1u32..50_000, any::<bool>(), 0usize..7), 0..10),
            actions in prop::collection::vec((0usize..4, 0usize..7), 0..4),
            file in 0usize..5,
            at in any::<usize>(),
            damage in damage(),
        ) {
            check(tenancies, &transactions, &actions, file, at, damage)?;
        }
    }
}
