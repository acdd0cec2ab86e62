//! The lists the workstation asks the officer to choose from, and what each choice stands for.

use super::correct::Target;
use super::editor::{CHECKLIST, Call, Editor};
use super::picker::{Choice, Picker};
use crate::domain::actions::ActionKind;
use crate::domain::contact::ContactOutcome;
use crate::domain::dates;
use crate::domain::tenancy::Tenant;
use crate::store::{Draft, NoteHit};
use chrono::NaiveDateTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// A tenant's number was chosen: next, which way the call goes.
    Party(Call),
    /// Someone other than a tenant: next, a form for who they are.
    OtherParty,
    /// Who and which way: the call starts.
    Call(Call),
    Outcome(ContactOutcome),
    Snippet(String),
    Check(&'static str),
    /// A note found by a search: go to its account.
    Account(i64),
    /// Carry on with the draft of this tenancy's note.
    /// A draft left from last time: its account and workstation.
    Draft(i64, String),
    DiscardNote,
    /// Take a record out of force as recorded in error.
    CorrectError(Target),
    /// Replace a record with a corrected one.
    Replace(Target),
    QuitAnyway,
    /// Quit though the open note's text can be kept nowhere.
    LoseText,
    No,
}

/// Keys for numbered lists: 1 to 9.
fn digit(i: usize) -> Option<char> {
    u32::try_from(i + 1)
        .ok()
        .and_then(|n| char::from_digit(n, 10))
        .filter(|_| i < 9)
}

/// What the list of who is on a call says below it.
pub const WHO: &str = "The key beside a name starts with them.";

/// Each tenant at each number (a tenant with no number can still be recorded), then "someone else".
pub fn parties(tenants: &[Tenant], start: NaiveDateTime) -> Picker<Pick> {
    let mut choices = Vec::new();
    for tenant in tenants {
        let name = tenant.full_name();
        let phones: Vec<&str> = [tenant.phone.as_deref(), tenant.phone2.as_deref()]
            .into_iter()
            .flatten()
            .filter(|p| !p.trim().is_empty())
            .collect();
        let numbers = if phones.is_empty() { vec![""] } else { phones };
        for phone in numbers {
            let party = format!("{name} (tenant) {phone}").trim_end().to_string();
            let call = Call {
                party: party.clone(),
                third_party: false,
                consent: false,
                outgoing: true,
                started: start,
            };
            choices.push(Choice::new(digit(choices.len()), party, Pick::Party(call)));
        }
    }
    choices.push(Choice::new(
        Some('o'),
        "Someone else: a support worker, a relative, an advocate…",
        Pick::OtherParty,
    ));
    Picker::new("Call: who?", choices).hint(WHO)
}

/// Outgoing or incoming. Digits, so that an officer who starts typing at once loses nothing:
/// any other key starts an outgoing call with that key as the note's first letter.
pub fn direction(call: &Call) -> Picker<Pick> {
    let way = |outgoing: bool| {
        Pick::Call(Call {
            outgoing,
            ..call.clone()
        })
    };
    Picker::new(
        format!("Call with {}", call.party),
        vec![
            Choice::new(Some('1'), "Outgoing: I am calling them", way(true)),
            Choice::new(Some('2'), "Incoming: they called", way(false)),
        ],
    )
    .hint("Or just start typing the note: an outgoing call.")
}

pub fn outcomes(kind: ActionKind, third_party: bool) -> Picker<Pick> {
    let choices = ContactOutcome::offered(kind, third_party)
        .map(|o| Choice::new(Some(o.key()), o.label(), Pick::Outcome(o)))
        .collect();
    Picker::new(format!("{}: what came of it?", kind.label()), choices)
        .by_key_only()
        .hint("One key saves it with the note; a promise or a call back asks for its details.")
}

pub fn snippets(phrases: &[String]) -> Picker<Pick> {
    let choices = phrases
        .iter()
        .map(|s| Choice::new(None, s.clone(), Pick::Snippet(s.clone())))
        .collect();
    Picker::new("Snippets", choices)
        .searchable()
        .hint("Type a few letters of it; Enter puts it in the note.")
}

pub fn checklist(editor: &Editor) -> Picker<Pick> {
    let choices = CHECKLIST
        .iter()
        .enumerate()
        .map(|(i, item)| Choice::new(digit(i), *item, Pick::Check(item)))
        .collect();
    let mut picker = Picker::new("Call checklist", choices)
        .multi()
        .hint("A number ticks or unticks; Enter or Esc goes back to the note.");
    for (i, item) in CHECKLIST.iter().enumerate() {
        picker.ticked[i] = editor.checklist.contains(item);
    }
    picker
}

/// Notes a search lists, at most (the newest); it reads one more to know when there are more.
pub const NOTE_HITS: usize = 200;

/// Notes found by a search: the account (reference and tenant), when, and the words around it.
pub fn note_hits(words: &str, hits: Vec<NoteHit>, name: impl Fn(i64) -> String) -> Picker<Pick> {
    let more = hits.len() > NOTE_HITS;
    let count = hits.len().min(NOTE_HITS);
    let choices = hits
        .into_iter()
        .take(NOTE_HITS)
        .map(|hit| {
            Choice::new(
                None,
                format!(
                    "{}  {}  {}{}",
                    hit.reference,
                    name(hit.tenancy_id),
                    dates::uk_time(hit.at),
                    if hit.in_error {
                        "  (its call was recorded in error)"
                    } else {
                        ""
                    }
                ),
                Pick::Account(hit.tenancy_id),
            )
            .detail(hit.snippet)
        })
        .collect();
    let title = match (count, more) {
        (_, true) => {
            format!("The newest {count} notes with \u{201c}{words}\u{201d} (more words find fewer)")
        }
        (1, false) => format!("1 note with \u{201c}{words}\u{201d}"),
        (_, false) => format!("{count} notes with \u{201c}{words}\u{201d}"),
    };
    Picker::new(title, choices).hint("Enter opens the account.")
}

/// The drafts left from last time, each with the account's reference and its first words.
pub fn drafts(drafts: &[Draft], reference: impl Fn(i64) -> String) -> Picker<Pick> {
    let choices = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let editor = Editor::restore(d);
            let first: String = d.body.chars().take(60).collect();
            Choice::new(
                digit(i),
                format!(
                    "{}: {} ({}){}",
                    reference(d.tenancy_id),
                    editor.kind_label(),
                    editor.word_count(),
                    saved_at(&d.saved_at)
                ),
                Pick::Draft(d.tenancy_id, d.workstation.clone()),
            )
            .detail(first)
        })
        .collect();
    Picker::new("Unsaved notes from last time", choices).hint(
        "Enter carries on with one, exactly as it was. Esc leaves them for later: \
         opening a note on the account brings its draft back.",
    )
}

/// When a draft was last written, on this computer's clock: " at 14:05 on 27/11".
fn saved_at(stamp: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|at| {
            at.with_timezone(&chrono::Local)
                .format(" at %H:%M on %d/%m")
                .to_string()
        })
        .unwrap_or_default()
}

/// A yes-or-no question. The safe answer is the one selected, so Enter pressed out of habit
/// changes nothing.
pub fn confirm(title: impl Into<String>, yes: &str, value: Pick, no: &str) -> Picker<Pick> {
    let mut picker = Picker::new(
        title,
        vec![
            Choice::new(Some('y'), yes, value),
            Choice::new(Some('n'), no, Pick::No),
        ],
    );
    picker.selected = 1;
    picker
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(n: i64) -> NoteHit {
        NoteHit {
            tenancy_id: n,
            reference: format!("{n}/1"),
            note_id: n,
            at: chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            snippet: "[rent] on Friday".into(),
            in_error: false,
        }
    }

    #[test]
    fn a_search_finding_more_notes_than_it_lists_says_it_shows_the_newest() {
        let all = |n: i64| (1..=n).map(hit).collect::<Vec<_>>();
        let listed = note_hits("rent", all(NOTE_HITS as i64), |_| String::new());
        assert_eq!(listed.choices.len(), NOTE_HITS);
        assert_eq!(
            listed.title,
            format!("{NOTE_HITS} notes with \u{201c}rent\u{201d}")
        );
        // One more than are listed: the title does not pass the newest for all of them.
        let cut = note_hits("rent", all(NOTE_HITS as i64 + 1), |_| String::new());
        assert_eq!(cut.choices.len(), NOTE_HITS);
        assert_eq!(
            cut.title,
            format!(
                "The newest {NOTE_HITS} notes with \u{201c}rent\u{201d} (more words find fewer)"
            )
        );
    }
}
