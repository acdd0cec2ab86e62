//! Notes as the officer reads them: each current note, newest first, with the earlier versions it
//! corrects beneath it (a correction never removes the note it corrects).

use crate::store::NoteRecord;

/// A note in force and, newest first, the versions it corrected.
#[derive(Debug, PartialEq, Eq)]
pub struct NoteThread<'a> {
    pub note: &'a NoteRecord,
    pub earlier: Vec<&'a NoteRecord>,
}

/// `notes` newest first, as the account holds them.
pub fn threads(notes: &[NoteRecord]) -> Vec<NoteThread<'_>> {
    let corrected: Vec<i64> = notes.iter().filter_map(corrects).collect();
    notes
        .iter()
        .filter(|n| !corrected.contains(&n.id))
        .map(|note| {
            let mut earlier = Vec::new();
            let mut next = corrects(note);
            while let Some(found) = next.and_then(|id| notes.iter().find(|n| n.id == id)) {
                earlier.push(found);
                next = corrects(found);
            }
            NoteThread { note, earlier }
        })
        .collect()
}

/// The note this one corrects: always an earlier one, so a chain ends (a damaged row that points
/// forward is read as a note of its own).
fn corrects(note: &NoteRecord) -> Option<i64> {
    note.amends.filter(|id| *id < note.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn note(id: i64, amends: Option<i64>) -> NoteRecord {
        NoteRecord {
            id,
            at: NaiveDate::from_ymd_opt(2026, 11, 23)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            officer: "tester".into(),
            body: format!("note {id}"),
            amends,
            in_error: None,
        }
    }

    fn shape(notes: &[NoteRecord]) -> Vec<(i64, Vec<i64>)> {
        threads(notes)
            .iter()
            .map(|t| (t.note.id, t.earlier.iter().map(|n| n.id).collect()))
            .collect()
    }

    #[test]
    fn a_correction_carries_the_notes_it_corrects_beneath_it() {
        // Newest first: 4 corrects 3, which corrected 1; 2 stands alone.
        let notes = [
            note(4, Some(3)),
            note(3, Some(1)),
            note(2, None),
            note(1, None),
        ];
        assert_eq!(shape(&notes), vec![(4, vec![3, 1]), (2, vec![])]);
    }

    #[test]
    fn a_chain_that_loops_or_points_nowhere_still_shows_every_current_note() {
        let notes = [note(2, Some(9)), note(1, None)];
        assert_eq!(shape(&notes), vec![(2, vec![]), (1, vec![])]);
        let looped = [note(2, Some(1)), note(1, Some(2))];
        assert_eq!(shape(&looped), vec![(2, vec![1])]);
    }
}
