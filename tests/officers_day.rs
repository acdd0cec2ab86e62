//! The officer's day: a call back in the call's line, at the head of the Today tab and announced
//! in the status bar when its time comes; a search that says where else its matches are; the
//! selected row's whole reason and every safety flag readable at every size.

mod common;

use common::selected;

use caseload::app::queue::Tab;
use caseload::app::queue::diary::Due;
use caseload::app::state::Message;
use caseload::app::{Action, Session};
use caseload::domain::Money;
use caseload::domain::dates::parse_date;
use caseload::domain::plan::PlanKind;
use caseload::domain::tenancy::Flags;
use caseload::store::Store;
use chrono::NaiveTime;

fn tick(s: &mut Session, time: &str) {
    s.dispatch(Action::Tick(
        NaiveTime::parse_from_str(time, "%H:%M").unwrap(),
    ));
}

/// What one pane shows, its lines joined by spaces with runs of spaces made one: wrapped text
/// reads as it was written. The pane is found by its title (`1 Queue`).
fn pane_text(screen: &str, title: &str) -> String {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let Some((top, start)) = lines.iter().enumerate().find_map(|(y, l)| {
        let s: String = l.iter().collect();
        let at = s.find(title)?;
        let x = s[..at].chars().count();
        // The pane's left corner is the nearest corner to the left of its title.
        let corner = (0..x).rev().find(|&i| matches!(l[i], '┏' | '┌'))?;
        Some((y, corner))
    }) else {
        return String::new();
    };
    let end = (start + 1..lines[top].len())
        .find(|&i| matches!(lines[top][i], '┓' | '┐'))
        .unwrap_or(lines[top].len());
    let mut words = Vec::new();
    for line in &lines[top..] {
        let inside: String = line
            .iter()
            .skip(start)
            .take(end + 1 - start)
            .filter(|c| !matches!(c, '┃' | '│'))
            .collect();
        words.extend(inside.split_whitespace().map(str::to_string));
        if line.get(start).is_some_and(|c| matches!(c, '┗' | '└')) {
            break;
        }
    }
    words.join(" ")
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fixture with a tenancy whose joint tenants have long names (owing 8 weeks) and one
/// flagged vulnerable, needing an interpreter and in a breathing space.
fn with_long_names_and_flags() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.db");
    let mut store: Store = common::build(&path);
    store
        .write("tester", "fixture", |w| {
            common::add_tenancy(
                w,
                &common::Tenancy {
                    reference: "100006/1",
                    people: &[
                        (
                            "Maximilian",
                            "Featherstonehaugh-Wolfeschlegel",
                            "07700 900006",
                        ),
                        ("Bartholomew", "Featherstonehaugh-Wolfeschlegel", ""),
                    ],
                    address: "6 Mill Lane, Kingsmere",
                    postcode: "KM1 6AB",
                    weekly: 100,
                    unpaid: 8,
                    flags: Flags::default(),
                },
            )?;
            common::add_tenancy(
                w,
                &common::Tenancy {
                    reference: "100007/1",
                    people: &[("Grace", "Oyelaran-Whitfield", "07700 900007")],
                    address: "7 Mill Lane, Kingsmere",
                    postcode: "KM1 7AB",
                    weekly: 100,
                    unpaid: 5,
                    flags: Flags {
                        vulnerable: true,
                        vulnerability: Some(
                            "Bereaved in October; finds phone calls very hard, prefers letters"
                                .into(),
                        ),
                        interpreter: true,
                        breathing_space_until: Some(parse_date("2027-01-15").unwrap()),
                        ..Flags::default()
                    },
                },
            )
        })
        .unwrap();
    drop(store);
    let session = common::session_on(&path, common::today());
    (dir, session)
}

#[test]
fn a_call_back_is_in_the_calls_line_heads_the_today_tab_and_is_announced_at_its_time() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        // Monday 23 November: Ada asks to be called back next Monday at half past two.
        s.keys(":goto 100001/1<ret>");
        tick(&mut s, "10:00");
        s.keys("c11At work now, call back Monday afternoon.<C-s>b<C-u>monday 14:30<ret>");
        let line = s
            .state
            .account
            .as_ref()
            .unwrap()
            .history
            .iter()
            .find(|h| h.text.contains("Call to Ada Smith"))
            .map(|h| h.text.clone())
            .unwrap_or_default();
        assert!(
            line.contains("call back requested for Mon 30/11/2026 14:30"),
            "the call's line says when: {line}"
        );
        let screen = common::screen(&mut s, 160, 48);
        let header: String = screen.lines().take(4).collect::<Vec<_>>().join("\n");
        assert!(
            header.contains("Call back Mon 30/11 14:30"),
            "the header says when:\n{header}"
        );
        // The case history has it at its time, still to make.
        let history = pane_text(&screen, "2 Case history");
        assert!(
            history.contains("30/11/26 ☎ Call back 14:30: to make · asked 23/11 10:00"),
            "{history}"
        );
        drop(s);

        // The next Monday: it heads the Today tab, and the status bar says so at 14:30.
        let mut s = common::session_on(
            &dir.path().join("caseload.db"),
            parse_date("2026-11-30").unwrap(),
        );
        tick(&mut s, "09:00");
        let screen = common::screen(&mut s, 160, 48);
        let queue = pane_text(&screen, "1 Queue");
        assert!(
            queue.contains("[Today 1]"),
            "the day opens on Today:\n{screen}"
        );
        assert_eq!(selected(&s), "100001/1");
        assert!(queue.contains("Call back 14:30"), "{screen}");
        tick(&mut s, "14:29");
        let status = |s: &mut Session| {
            common::screen(s, 160, 48)
                .lines()
                .last()
                .unwrap_or_default()
                .to_string()
        };
        assert!(!status(&mut s).contains("Call back"), "{}", status(&mut s));
        tick(&mut s, "14:30");
        assert!(
            status(&mut s).contains("Call back 14:30: Ada Smith, 100001/1"),
            "{}",
            status(&mut s)
        );
        assert!(matches!(s.state.message, None | Some(Message::Info(_))));

        // The officer calls back: the reminder goes, and so does the call back from Today.
        tick(&mut s, "14:35");
        s.keys("c11Called back as asked.<C-s>s");
        assert!(
            !status(&mut s).contains("Call back 14:30"),
            "{}",
            status(&mut s)
        );
        let item = s.state.queue.item(1).unwrap();
        assert_eq!(item.call_back, None);
        assert!(item.due.is_empty(), "{:?}", item.due);
    });
}

#[test]
fn what_falls_due_today_is_in_the_accounts_header_not_nothing_due() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        // Monday 23 November: Ada promises £50 by tomorrow.
        s.keys(":goto 100001/1<ret>");
        tick(&mut s, "10:00");
        s.keys("c11<C-s>p50<ret>tue<ret><ret><ret>");
        let screen = common::screen(&mut s, 160, 48);
        let header: String = screen.lines().take(4).collect::<Vec<_>>().join("\n");
        assert!(
            header.contains("Promise of £50.00 due tomorrow"),
            "the header says what falls due:\n{header}"
        );
        assert!(!header.contains("Nothing due"), "{header}");
    });
}

/// What fell due over the weekend is on Monday's Today tab: the officer does not work Saturday
/// or Sunday, so "since yesterday" is since her last working day.
#[test]
fn what_fell_due_over_the_weekend_is_on_mondays_today_tab() {
    common::on_each_engine(|| {
        let (dir, mut s) = common::session();
        let path = dir.path().join("caseload.db");
        // Monday 23 November: Ada promises £50 by Thursday; it is broken on Saturday (Friday is
        // its day of grace). Erin agrees £10 a week from Saturday 28th.
        s.keys(":goto 100001/1<ret>");
        tick(&mut s, "10:00");
        s.keys("c11<C-s>p50<ret>thu<ret><ret><ret>");
        drop(s);
        let mut store = common::open_as_officer(&path);
        let erin = store.tenancy_by_ref("100004/1").unwrap().unwrap();
        let d = |s: &str| parse_date(s).unwrap();
        store
            .write("tester", "test", |w| {
                let terms = common::weekly(
                    PlanKind::Informal,
                    d("2026-11-28"),
                    Money::pounds(10),
                    Money::pounds(300),
                );
                let at = d("2026-11-23").and_hms_opt(11, 0, 0).unwrap();
                common::add_plan(w, erin, terms, "agreed on the phone", at, "tester")
            })
            .unwrap();
        drop(store);

        // Monday 30 November.
        let mut s = common::session_on(&path, d("2026-11-30"));
        let ada = s.state.queue.item(1).unwrap();
        assert!(
            ada.due.iter().any(|d| matches!(d, Due::PromiseBroken(_))),
            "Ada's promise, broken on Saturday: {:?}",
            ada.due
        );
        // Her header says so once: the day's list and the reason both begin with it.
        s.keys(":goto 100001/1<ret>");
        let screen = common::screen(&mut s, 160, 48);
        let header: String = screen.lines().take(4).collect::<Vec<_>>().join("\n");
        assert_eq!(header.matches("Broken promise").count(), 1, "{header}");
        let erin = s.state.queue.item(erin).unwrap();
        assert_eq!(
            erin.reason_in(Tab::Today, d("2026-11-30"))
                .split(". ")
                .next()
                .unwrap(),
            "Plan instalment of £10.00 due Sat 28 Nov",
            "Erin's first instalment, due on Saturday: {:?}",
            erin.due
        );
    });
}

#[test]
fn a_search_with_nothing_here_says_where_the_matches_are_and_enter_goes_there() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        assert_eq!(s.state.queue.tab(), Tab::NeedsAction);
        // Dev Patel owes nothing: he is in All only.
        s.keys("/dev patel");
        let queue = pane_text(&common::screen(&mut s, 120, 36), "1 Queue");
        assert!(
            queue.contains("0 here · 1 in All · Enter to go there"),
            "{queue}"
        );
        s.keys("<ret>");
        assert_eq!(s.state.queue.tab(), Tab::All);
        assert_eq!(selected(&s), "100003/1");
        // With matches here as well, it still says where else they are.
        s.keys("<esc><esc>]]/smith");
        assert_eq!(s.state.queue.tab(), Tab::NeedsAction);
        let queue = pane_text(&common::screen(&mut s, 120, 36), "1 Queue");
        assert!(queue.contains("2 here"), "{queue}");
    });
}

#[test]
fn goto_takes_a_reference_without_its_suffix_when_it_is_unique() {
    common::on_each_engine(|| {
        let (_dir, mut s) = common::session();
        s.keys(":goto 100003<ret>");
        assert_eq!(selected(&s), "100003/1");
    });
}

#[test]
fn the_selected_rows_whole_reason_is_readable_in_the_queue_at_every_size() {
    common::on_each_engine(|| {
        for (width, height) in [(80, 24), (120, 36), (160, 48)] {
            let (_dir, mut s) = common::session();
            let why = s
                .state
                .queue
                .selected()
                .map(|i| i.why(common::today()))
                .unwrap();
            let queue = pane_text(&common::screen(&mut s, width, height), "1 Queue");
            assert!(
                queue.contains(&squeeze(&why)),
                "{width}x{height}: the reason \"{why}\" is not all in the queue:\n{queue}"
            );
        }
    });
}

#[test]
fn names_too_long_for_their_column_end_in_an_ellipsis() {
    common::on_each_engine(|| {
        let (_dir, mut s) = with_long_names_and_flags();
        for (width, height) in [(80, 24), (120, 36), (160, 48)] {
            let screen = common::screen(&mut s, width, height);
            let row = screen
                .lines()
                .find(|l| l.starts_with(['┃', '│']) && l.contains("100006/1"))
                .unwrap_or_else(|| panic!("{width}x{height}: no row for 100006/1\n{screen}"));
            assert!(
                row.contains("Maximilian") && row.contains('…'),
                "{width}x{height}: {row}"
            );
        }
    });
}

#[test]
fn at_80x24_the_header_keeps_every_safety_flag_before_anything_else() {
    common::on_each_engine(|| {
        let (_dir, mut s) = with_long_names_and_flags();
        s.keys(":goto 100007/1<ret>");
        assert_eq!(selected(&s), "100007/1");
        for (width, height) in [(80, 24), (120, 36), (160, 48)] {
            let screen = common::screen(&mut s, width, height);
            let header: String = screen.lines().take(4).collect::<Vec<_>>().join("\n");
            for flag in ["VULNERABLE", "INTERPRETER", "BREATHING SPACE"] {
                assert!(header.contains(flag), "{width}x{height}: {flag}\n{header}");
            }
        }
    });
}
