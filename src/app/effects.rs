//! Work `update` asks the runtime to do against the store; each result comes back as an action.

use super::action::{Action, Written};
use super::background::Background;
use super::letters::LetterView;
use super::live::Reranked;
use super::state::Settings;
use crate::domain::kpi::{Period, Scope as KpiScope};
use crate::domain::letter::LetterKind;
use crate::domain::reassign::Reassignment;
use crate::domain::record::Record;
use crate::domain::tenancy::DebtType;
use crate::letters::{Options, Ready, batch};
use crate::private_file;
use crate::statement::{self, Format, StatementOptions};
use crate::store::{By, Draft, DraftSaver, QueueSource as _, Scope, Store};
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Read an account with the newest `window` rows of each history source.
    LoadAccount { tenancy_id: i64, window: usize },
    /// Save what the officer recorded, in one transaction.
    Save(Record),
    /// Read an account's facts again, to re-rank it after a write.
    RefreshFacts(i64),
    /// Read these accounts' text again (another officer's write may have moved them to another
    /// officer or patch).
    RefreshText(Vec<i64>),
    /// Read an account's facts again after a write made elsewhere (another officer's, or the
    /// day's plan check on its own connection): on the reader's connection when accounts are
    /// read aside (the officer's keys do not wait for the server), else here.
    HeardFacts(i64),
    /// Read these accounts' text again after another officer's write (aside, as `HeardFacts`).
    HeardText(Vec<i64>),
    /// Rank the whole queue again, on its own thread and connection (see `live::rerank`).
    Rerank,
    /// Ask to confirm a move once the login is known to be allowed to move accounts (on a team's
    /// database only a coordinator is): an officer is told before confirming anything.
    MayReassign(Box<super::confirm::Confirmation>),
    /// Move these accounts to another officer, in one audited batch.
    Reassign(Reassignment),
    /// Hand the open note's latest text to the draft saver (which writes it off the key path).
    SaveDraft(Draft),
    /// A draft left by another workstation was brought back here: it becomes this one's.
    AdoptDraft(Draft),
    /// Delete the officer's draft of a note on this account (no save of it still on its way may
    /// bring it back).
    DiscardDraft(i64),
    /// Read which other officers have a note in progress on this account.
    ReadWriting(i64),
    /// Tell the other workstations what this officer is doing now (a team's database).
    Presence(Option<(i64, crate::store::pg::Doing)>),
    /// Wait until every draft handed over is in the database or the fallback file, and say where.
    SettleDrafts,
    /// Search every note for these words.
    SearchNotes(String),
    /// Work out the team's numbers for the rent year to date (the KPI screen): the figures
    /// first, the trend too if its weeks are kept.
    Kpi,
    /// Work out the trend's weeks not kept yet, with the figures again (the KPI screen's second
    /// step on first use).
    KpiTrend,
    /// Write the account's rent statement (or arrears schedule) to a file.
    Statement {
        tenancy_id: i64,
        court: bool,
        format: Format,
    },
    /// Make a letter to show it (nothing is written).
    PrepareLetter { tenancy_id: i64, letter: LetterKind },
    /// Write a letter shown and record it as sent.
    ProduceLetter(Box<Ready>),
    /// Produce the day's batch.
    ProduceBatch(Vec<batch::Item>),
}

/// What effects run against: the store, the thread that saves drafts, and the work that runs
/// in the background.
pub struct Runtime<'a> {
    pub store: &'a mut Store,
    pub saver: &'a DraftSaver,
    pub settings: &'a Settings,
    pub background: &'a mut Background,
    /// On a team's database: the threads that keep the workstation live.
    pub live: Option<&'a super::live::Live>,
    /// Where accounts are read, when not here and now (see `reader`).
    pub reader: Option<&'a mut super::reader::AccountReader>,
}

/// The background job that works out the team's numbers.
const KPI_JOB: &str = "Working out the team's numbers";

/// The background job that ranks every account again.
const RERANK_JOB: &str = "Ranking every account again";

pub fn run(effect: Effect, rt: Runtime<'_>) -> Option<Action> {
    let Runtime {
        store,
        saver,
        settings,
        background,
        live,
        reader,
    } = rt;
    Some(match effect {
        Effect::LoadAccount { tenancy_id, window } => match reader {
            Some(reader) => {
                reader.ask(tenancy_id, window);
                return None;
            }
            None => super::reader::read(store, tenancy_id, window, settings),
        },
        Effect::Save(record) => {
            // A draft save still on its way must not bring back the draft this write removes.
            let draft = record.ends_draft().then(|| record.tenancy_id());
            if let Some(id) = draft {
                saver.hold(id);
            }
            // Business moments are today's date (which --today may set) at the time on the clock.
            let now = settings.today.and_time(chrono::Local::now().time());
            let officer = &settings.officer;
            let saved = store.write(officer, "tui", |w| {
                let by = By {
                    officer,
                    at: now,
                    codes: &settings.codes,
                };
                let recorded = w.record(&record, &by)?;
                // In the same transaction, so a plan's state never lags its balance.
                if record.touches_plans() {
                    let scope = Scope::Tenancy(record.tenancy_id());
                    let tolerance = settings.plans.breach_tolerance_days.0;
                    w.monitor_plans(settings.today, tolerance, scope)?;
                }
                Ok(recorded)
            });
            if let Some(id) = draft {
                match &saved {
                    Ok(_) => saver.forget(id),
                    Err(_) => saver.release(id),
                }
            }
            match saved {
                Ok(recorded) => Action::Saved {
                    tenancy_id: record.tenancy_id(),
                    message: record.done(),
                    ended_draft: record.ends_draft(),
                    undoable: undoable(&record, recorded.action),
                },
                Err(e) if e.is_busy() => Action::WriteWaiting(Box::new(record)),
                Err(e) => Action::Failed(format!("Not saved: {e}")),
            }
        }
        Effect::RefreshFacts(tenancy_id) => {
            // The officer's own write shows at once: newer than any read of it asked aside.
            if let Some(reader) = reader {
                reader.facts_read_here(tenancy_id);
            }
            return facts_of(store, settings, tenancy_id);
        }
        Effect::RefreshText(ids) => {
            if let Some(reader) = reader {
                reader.text_read_here(&ids);
            }
            text_of(store, &ids)
        }
        Effect::HeardFacts(tenancy_id) => match reader {
            Some(reader) => {
                reader.ask_facts(tenancy_id);
                return None;
            }
            None => return facts_of(store, settings, tenancy_id),
        },
        Effect::HeardText(ids) => match reader {
            Some(reader) => {
                reader.ask_text(&ids);
                return None;
            }
            None => text_of(store, &ids),
        },
        Effect::Rerank => {
            // Every account is read again there: a read asked aside before it is older.
            if let Some(reader) = reader {
                reader.all_read_elsewhere();
            }
            let settings = settings.clone();
            match background.store(|| store.another()) {
                Ok(store) => {
                    background.start(RERANK_JOB, move || {
                        // Every row's text is attached here, away from the keys.
                        let ranked =
                            super::queue::Queue::ranked(&store, &settings).and_then(|mut queue| {
                                queue.attach_text(store.queue_texts()?, true);
                                Ok(Box::new(queue))
                            });
                        Action::Reranked(Reranked(ranked.map_err(|e| e.to_string())))
                    });
                    return None;
                }
                Err(e) => Action::Reranked(Reranked(Err(e.to_string()))),
            }
        }
        Effect::MayReassign(asked) => match store.may_reassign() {
            Ok(()) => Action::MayReassign(asked),
            Err(e) => Action::Failed(format!("Not moved: {e}")),
        },
        Effect::Reassign(reassignment) => {
            let officer = &settings.officer;
            match store.write(officer, "tui", |w| w.reassign(&reassignment)) {
                Ok(moved) => Action::Reassigned {
                    message: match reassignment.moves.len() - moved {
                        0 => format!("Moved {}.", reassignment.summary()),
                        n => format!(
                            "Moved {} ({n} had come to be theirs meanwhile).",
                            reassignment.summary()
                        ),
                    },
                    moved: reassignment.tenancy_ids(),
                },
                Err(e) => Action::Failed(format!("Not moved: {e}")),
            }
        }
        Effect::SaveDraft(draft) => {
            saver.save(draft);
            return None;
        }
        Effect::AdoptDraft(draft) => {
            saver.adopt(draft);
            return None;
        }
        Effect::DiscardDraft(tenancy_id) => {
            saver.discard(tenancy_id);
            return None;
        }
        Effect::ReadWriting(tenancy_id) => match reader {
            Some(reader) => {
                reader.ask_writing(tenancy_id);
                return None;
            }
            None => super::reader::writing_on(store, tenancy_id, settings),
        },
        Effect::Presence(doing) => {
            if let Some(live) = live {
                live.doing(doing);
            }
            return None;
        }
        Effect::SettleDrafts => Action::DraftStatus(saver.flush()),
        // On the background's connection and thread: the figures first, from the totals the
        // database keeps; the first time, the trend's weeks after (a year of the ledger).
        Effect::Kpi | Effect::KpiTrend if background.running(KPI_JOB) => return None,
        Effect::Kpi | Effect::KpiTrend => {
            let period = Period::rent_year_to(settings.today);
            let tolerance = settings.promise_tolerance;
            let awaited = matches!(effect, Effect::Kpi);
            let work = match effect {
                Effect::Kpi => crate::report::headline,
                _ => crate::report::build,
            };
            match background.store(|| store.another()) {
                Ok(mut store) => {
                    background.start(KPI_JOB, move || {
                        // The screen's figures are waited for, not typed over: every core (the
                        // trend's year that follows leaves the keys theirs).
                        if awaited {
                            crate::cores::every_core();
                        }
                        match work(&mut store, period, KpiScope::default(), tolerance) {
                            Ok(summary) => Action::KpiLoaded(Box::new(summary)),
                            Err(e) => Action::KpiFailed(e.to_string()),
                        }
                    });
                    return None;
                }
                Err(e) => Action::KpiFailed(e.to_string()),
            }
        }
        Effect::SearchNotes(words) => {
            match store.search_notes(&words, super::pick::NOTE_HITS + 1) {
                Ok(hits) => Action::NotesFound { words, hits },
                Err(e) => Action::Failed(format!("Could not search the notes: {e}")),
            }
        }
        Effect::Statement {
            tenancy_id,
            court,
            format,
        } => match write_statement(store, settings, tenancy_id, court, format) {
            Ok(path) => Action::Done(format!("Statement written to {}", path.display())),
            Err(e) => Action::Failed(format!("No statement: {e}")),
        },
        Effect::PrepareLetter { tenancy_id, letter } => {
            let by = crate::letters::Producing {
                today: settings.today,
                officer: &settings.officer,
            };
            match crate::letters::prepare(store, &settings.letters, tenancy_id, letter, by) {
                Ok(made) => Action::LetterPrepared(Box::new(LetterView {
                    tenancy_id,
                    letter,
                    made: made.map_err(|f| f.reason),
                    tab: 0,
                    scroll: 0,
                })),
                Err(e) => Action::Failed(format!("Could not read the account: {e}")),
            }
        }
        Effect::ProduceLetter(ready) => {
            let tenancy_id = ready.prepared.tenancy_id;
            let produced = crate::letters::produce(
                store,
                &settings.letters,
                std::slice::from_ref(&*ready),
                &[],
                &letter_options(settings, false),
            );
            match produced {
                Ok(p) => Action::Saved {
                    tenancy_id,
                    message: p.records.first().map_or_else(String::new, Record::done),
                    ended_draft: false,
                    // `u` takes the record back (recorded in error); the files stay.
                    undoable: p
                        .records
                        .first()
                        .and_then(|r| undoable(r, p.actions.first().copied().flatten())),
                },
                Err(e) => Action::Failed(format!("Not sent: {e}")),
            }
        }
        Effect::ProduceBatch(items) => {
            let options = letter_options(settings, true);
            match batch::run(store, &settings.letters, &items, &options, false) {
                Ok(report) => Action::BatchProduced {
                    message: batch_message(&report),
                    written: items.iter().map(|i| i.tenancy_id).collect(),
                },
                Err(e) => Action::Failed(e.to_string()),
            }
        }
    })
}

/// An account's facts read again here, to re-place it in the queue (nothing if it is gone).
fn facts_of(store: &Store, settings: &Settings, tenancy_id: i64) -> Option<Action> {
    match store.queue_facts_of(tenancy_id, settings.judging()) {
        Ok(Some(facts)) => Some(Action::FactsLoaded(Box::new(facts))),
        Ok(None) => None,
        Err(e) => Some(Action::Failed(format!(
            "Could not re-rank the account: {e}"
        ))),
    }
}

/// These accounts' text read again here.
fn text_of(store: &Store, ids: &[i64]) -> Action {
    match store.queue_text(ids) {
        Ok(texts) => Action::TextRead(texts),
        Err(e) => Action::Failed(format!("Could not read the accounts again: {e}")),
    }
}

/// What `u` can undo of a record just saved: its line (a correction is not undone).
fn undoable(record: &Record, action: Option<i64>) -> Option<Written> {
    match (record, record.line()) {
        (Record::Correct(_), _) => None,
        (_, line) => Some(Written {
            tenancy_id: record.tenancy_id(),
            action,
            line: line.map_or_else(
                || "Note".to_string(),
                |(kind, line)| format!("{}: {line}", kind.label()),
            ),
        }),
    }
}

/// Where the workstation's letters go (beside the database file) and as whom.
fn letter_options(settings: &Settings, print: bool) -> Options<'_> {
    Options {
        db_dir: crate::letters::folder_of(&settings.db_path),
        today: settings.today,
        now: settings.today.and_time(chrono::Local::now().time()),
        officer: &settings.officer,
        codes: &settings.codes,
        source: "tui",
        print,
    }
}

/// What the batch did, in one line for the status bar.
fn batch_message(report: &batch::Report) -> String {
    let sent: usize = report.sent.iter().map(|(_, n)| n).sum();
    let mut parts = vec![format!("{sent} produced")];
    if let Some(print) = report.produced.as_ref().and_then(|p| p.print.as_ref()) {
        parts[0].push_str(&format!(" (print {})", print.display()));
    }
    if !report.held.is_empty() {
        parts.push(format!("{} held for a person's check", report.held.len()));
    }
    if !report.failed.is_empty() {
        parts.push(format!("{} failed (to review)", report.failed.len()));
    }
    format!("Letters: {}.", parts.join("; "))
}

/// Builds the statement as of today and writes it to `statements/` beside the database, named
/// for the account, the day and the kind, so a second one the same day replaces the first.
fn write_statement(
    store: &Store,
    settings: &Settings,
    tenancy_id: i64,
    court: bool,
    format: Format,
) -> anyhow::Result<PathBuf> {
    let gone = || anyhow::anyhow!("the account is no longer in the database");
    let record = store.tenancy_record(tenancy_id)?.ok_or_else(gone)?;
    // The rent account, or for a garage or a former tenant's debt the one the tenancy has.
    let debt_type = record
        .accounts
        .iter()
        .map(|a| a.debt_type)
        .find(|d| *d == DebtType::Rent)
        .or_else(|| record.accounts.first().map(|a| a.debt_type))
        .unwrap_or(DebtType::Rent);
    let options = StatementOptions {
        debt_type,
        from: None,
        to: settings.today,
        court,
    };
    let statement = statement::build(store, tenancy_id, &options)?.ok_or_else(gone)?;
    let reference = record.details.reference;
    let dir = settings
        .db_path
        .parent()
        .map_or_else(|| PathBuf::from("statements"), |p| p.join("statements"));
    private_file::create_dir(&dir)?;
    let name = format!(
        "{}-{}{}.{}",
        reference.replace(['/', '\\', ' '], "-"),
        settings.today,
        if court { "-arrears-schedule" } else { "" },
        match format {
            Format::Text => "txt",
            Format::Csv => "csv",
            Format::Html => "html",
        }
    );
    let path = dir.join(name);
    // A statement is personal data: readable by the officer only, like the database, never
    // written through a link, and a second one the same day replaces the first whole.
    private_file::write(&path, statement.render(format).as_bytes())?;
    Ok(path)
}
