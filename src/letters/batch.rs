//! The day's batch: every letter (and text) the policy recommends today, made, checked, written
//! (one file per letter, one print file of them all, the day's manifest and `sms.csv`) and
//! recorded as sent in one transaction. What protects a tenant holds a letter back without
//! recording anything: a letter to a tenant flagged vulnerable waits for a person's check in the
//! workstation, and a demand during a breathing space is not sent. A letter that cannot be made
//! for its case is recorded as failed (the queue then asks for a review); a cause in the config
//! or a template, which would fail every letter of its kind alike, stops the batch before
//! anything is written. Once sent, the policy no longer recommends them: a second run the same
//! day produces nothing new.

use super::output::{Failed, Options};
use super::{Letters, ProduceError, Produced, Producing, Ready, prepare, produce};
use crate::domain::letter::LetterKind;
use crate::statement::StatementError;
use crate::store::Store;

/// A letter the queue recommends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub tenancy_id: i64,
    pub reference: String,
    pub name: String,
    pub letter: LetterKind,
    /// The tenant is flagged vulnerable: a person checks the letter first.
    pub vulnerable: bool,
}

/// How many of each letter there are among `items`, in the order of [`LetterKind::ALL`].
pub fn counts(items: &[Item]) -> Vec<(LetterKind, usize)> {
    tally(items.iter().map(|i| i.letter))
}

fn tally(kinds: impl Iterator<Item = LetterKind>) -> Vec<(LetterKind, usize)> {
    let kinds: Vec<LetterKind> = kinds.collect();
    LetterKind::ALL
        .iter()
        .map(|k| (*k, kinds.iter().filter(|s| *s == k).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// What a run did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Report {
    /// Letters (and texts) sent, by kind.
    pub sent: Vec<(LetterKind, usize)>,
    /// Held back for a person, by reference: why.
    pub held: Vec<(String, String)>,
    /// Could not be made, by reference: which letter and why.
    pub failed: Vec<(String, LetterKind, String)>,
    /// What was written and recorded (nothing on a dry run).
    pub produced: Option<Produced>,
}

#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("no letters produced: {letter} for {reference}: {reason}")]
    Settings {
        letter: &'static str,
        reference: String,
        reason: String,
    },
    #[error(transparent)]
    Read(#[from] StatementError),
    #[error(transparent)]
    Produce(#[from] ProduceError),
}

/// Makes every letter of `items`; unless `dry`, writes and records them.
pub fn run(
    store: &mut Store,
    letters: &Letters,
    items: &[Item],
    options: &Options<'_>,
    dry: bool,
) -> Result<Report, BatchError> {
    let by = Producing {
        today: options.today,
        officer: options.officer,
    };
    let mut ready = Vec::new();
    let mut failed = Vec::new();
    let mut report = Report::default();
    for item in items {
        match prepare(store, letters, item.tenancy_id, item.letter, by)? {
            Ok(prepared) => {
                let p = &prepared.protection;
                if let Some(why) = p.refused.as_ref().or(p.check.as_ref()) {
                    report.held.push((item.reference.clone(), why.clone()));
                } else {
                    ready.push(Ready {
                        prepared,
                        checked: None,
                    });
                }
            }
            Err(f) if f.in_settings => {
                return Err(BatchError::Settings {
                    letter: item.letter.label(),
                    reference: item.reference.clone(),
                    reason: f.reason,
                });
            }
            Err(f) => {
                report
                    .failed
                    .push((item.reference.clone(), item.letter, f.reason.clone()));
                failed.push(Failed {
                    tenancy_id: item.tenancy_id,
                    letter: item.letter,
                    reason: f.reason,
                });
            }
        }
    }
    report.sent = tally(ready.iter().map(|r| r.prepared.letter));
    if !dry && (!ready.is_empty() || !failed.is_empty()) {
        report.produced = Some(produce(store, letters, &ready, &failed, options)?);
    }
    Ok(report)
}
