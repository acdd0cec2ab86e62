//! Random keys through `update`, in every mode: 10,000 sequences of random keys, pastes, resizes
//! and clock ticks from a fresh workstation, with the store's answers fed back as the runtime
//! would give them (accounts as read from a real file; a save answered as saved). After every
//! input: no panic; nothing is saved or thrown away unless the input could confirm it (a
//! navigation key, typing, pasting, resizing or the clock never does); and the open note's text
//! never shrinks, closes or changes account except by the officer's own keys typed into it, a
//! save of it, or a confirmed discard.

mod common;

use caseload::app::action::{Action, Command as C, LineEdit};
use caseload::app::effects::Effect;
use caseload::app::keymap::KeyCombo;
use caseload::app::letters::LetterView;
use caseload::app::queue::Queue;
use caseload::app::session::parse_keys;
use caseload::app::state::{Overlay, Settings, State};
use caseload::app::update::update;
use caseload::domain::letter::LetterKind;
use caseload::store::{AccountDetail, DraftStatus};
use chrono::NaiveTime;
use std::collections::{HashMap, VecDeque};

const SEQUENCES: usize = 10_000;
const SEED: u64 = 16;

/// The keys drawn from: every mode's commands, text, line editing and the editor's own keys.
const KEYS: &str = "jkgGhl0123456789 abcdefimnopqrstuvwxyzABCDELMNPRSVXY:/?!.,'£-\
                    <ret><ret><ret><esc><esc><esc><tab><backtab><bs><del><up><down><left><right>\
                    <home><end><pgup><pgdown><C-s><C-s><C-w><C-z><C-y><C-v><C-x><C-k><C-u><C-a>\
                    <C-e><C-h><C-d><C-c><F1><F2><F3><F4><F5><F10><S-left><S-right><A-f><A-b>";

const PASTES: &[&str] = &[
    "Tenant will pay £50 on Friday.",
    "y",
    "yes\nn\r\n",
    "1",
    "L",
    "q",
    ":q\r",
    "\u{1b}[2J",
    "",
];

const SIZES: &[(u16, u16)] = &[(160, 48), (120, 40), (80, 24), (60, 18), (30, 8), (12, 4)];

/// What the runtime would answer, without writing: accounts as read from the file at the start,
/// and letters made from it (each made once: the file does not change).
struct Runtime<'a> {
    accounts: HashMap<i64, AccountDetail>,
    store: &'a caseload::store::Store,
    settings: &'a Settings,
    letters: std::cell::RefCell<HashMap<(i64, LetterKind), Action>>,
}

impl Runtime<'_> {
    fn answer(&self, effect: &Effect) -> Option<Action> {
        Some(match effect {
            Effect::PrepareLetter { tenancy_id, letter } => {
                if let Some(made) = self.letters.borrow().get(&(*tenancy_id, *letter)) {
                    return Some(made.clone());
                }
                let by = caseload::letters::Producing {
                    today: self.settings.today,
                    officer: &self.settings.officer,
                };
                let made = caseload::letters::prepare(
                    self.store,
                    &self.settings.letters,
                    *tenancy_id,
                    *letter,
                    by,
                )
                .ok()?;
                let made = Action::LetterPrepared(Box::new(LetterView {
                    tenancy_id: *tenancy_id,
                    letter: *letter,
                    made: made.map_err(|f| f.reason),
                    tab: 0,
                    scroll: 0,
                }));
                self.letters
                    .borrow_mut()
                    .insert((*tenancy_id, *letter), made.clone());
                made
            }
            Effect::ProduceLetter(ready) => Action::Saved {
                tenancy_id: ready.prepared.tenancy_id,
                message: "Letter produced.".into(),
                ended_draft: false,
                undoable: None,
            },
            Effect::ProduceBatch(_) => Action::BatchProduced {
                message: "Letters produced.".into(),
                written: vec![],
            },
            Effect::LoadAccount { tenancy_id, .. } => {
                Action::AccountLoaded(Box::new(self.accounts.get(tenancy_id)?.clone()), vec![])
            }
            Effect::Save(record) => Action::Saved {
                tenancy_id: record.tenancy_id(),
                message: record.done(),
                ended_draft: record.ends_draft(),
                undoable: None,
            },
            Effect::SettleDrafts => Action::DraftStatus(DraftStatus::Saved),
            Effect::SearchNotes(words) => Action::NotesFound {
                words: words.clone(),
                hits: vec![],
            },
            Effect::ReadWriting(tenancy_id) => Action::Writing {
                tenancy_id: *tenancy_id,
                officers: vec![("alice".into(), caseload::store::pg::Doing::Note)],
            },
            Effect::Statement { .. } => Action::Done("Statement written.".into()),
            _ => return None,
        })
    }
}

/// What was typed, and what may follow from it.
#[derive(Debug)]
enum Input {
    Key(KeyCombo),
    Paste(String),
    Resize(u16, u16),
    Tick(NaiveTime),
}

/// Whether the input (as resolved in the state before it) could confirm a save or a discard:
/// a command that accepts or saves, or a choice's key in a list or question.
fn may_confirm(action: &Action, before: &State) -> bool {
    let choosing = matches!(
        before.top(),
        Some(Overlay::Pick(_) | Overlay::Confirm(_) | Overlay::Letter(_) | Overlay::Batch(_))
    );
    match action {
        Action::Command(
            C::Accept | C::Save | C::SaveNote | C::AcceptRecommendation | C::LiftPause,
        ) => true,
        Action::Command(_) => false,
        Action::Edit(LineEdit::Insert(_)) => choosing,
        // A write that waited for a busy database, tried again.
        Action::Tick(_) => before.waiting.is_some(),
        _ => false,
    }
}

fn note(state: &State) -> Option<(i64, String)> {
    state.editor.as_ref().map(|e| (e.tenancy_id, e.body()))
}

#[test]
fn ten_thousand_random_key_sequences_keep_every_promise() {
    let (_dir, session) = common::session();
    let settings: Settings = session.state.settings.clone();
    let queue: Queue = session.state.queue.clone();
    let keymap = session.keymap().clone();
    let store = session.store();
    let accounts: HashMap<i64, AccountDetail> = (1..=5)
        .filter_map(|id| {
            store
                .account_and_writing(
                    &settings.officer,
                    id,
                    settings.history_window,
                    settings.judging(),
                    3,
                )
                .unwrap()
                .map(|(d, _)| (id, d))
        })
        .collect();
    assert_eq!(accounts.len(), 5);
    let runtime = Runtime {
        accounts,
        store,
        settings: &settings,
        letters: Default::default(),
    };
    let keys = parse_keys(KEYS);
    let mut rng = fastrand::Rng::with_seed(SEED);
    let (mut inputs, mut saves, mut notes_opened) = (0usize, 0usize, 0usize);
    let mut modes = std::collections::BTreeMap::new();

    for sequence in 0..SEQUENCES {
        let mut state = State::new(settings.clone(), queue.clone());
        let (w, h) = SIZES[rng.usize(..3)];
        let mut pending = VecDeque::from([Action::Resize(w, h)]);
        if let Some(id) = state.queue.selected_id() {
            pending.extend(runtime.answer(&Effect::LoadAccount {
                tenancy_id: id,
                window: settings.history_window,
            }));
        }
        let mut clock = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let length = rng.usize(1..40);
        let mut script = Vec::with_capacity(length);
        for _ in 0..length {
            script.push(match rng.u8(..100) {
                0..=2 => Input::Paste(PASTES[rng.usize(..PASTES.len())].to_string()),
                3 => {
                    let (w, h) = SIZES[rng.usize(..SIZES.len())];
                    Input::Resize(w, h)
                }
                4..=9 => {
                    clock += chrono::TimeDelta::milliseconds(rng.i64(100..3_000));
                    Input::Tick(clock)
                }
                _ => Input::Key(keys[rng.usize(..keys.len())]),
            });
        }
        for (step, input) in script.iter().enumerate() {
            let action = match input {
                Input::Key(key) => keymap.resolve(state.keys(), *key),
                Input::Paste(text) => Action::Paste(text.clone()),
                Input::Resize(w, h) => Action::Resize(*w, *h),
                Input::Tick(t) => Action::Tick(*t),
            };
            *modes.entry(format!("{:?}", state.keys())).or_insert(0usize) += 1;
            pending.push_back(action);
            inputs += 1;
            // The input, then every result its effects bring back, as the runtime runs them.
            let mut first = true;
            while let Some(action) = pending.pop_front() {
                let before = note(&state);
                let confirms = first && may_confirm(&action, &state);
                let typed = first && matches!(action, Action::Type(_));
                let saved_note = matches!(&action, Action::Saved { tenancy_id, ended_draft: true, .. }
                    if before.as_ref().is_some_and(|(id, _)| id == tenancy_id));
                let context = || {
                    format!(
                        "sequence {sequence}, step {step}: {input:?} ({action:?})\nscript: {script:?}"
                    )
                };
                let effects = update(&mut state, action.clone());
                first = false;
                for effect in &effects {
                    if matches!(
                        effect,
                        Effect::Save(_)
                            | Effect::DiscardDraft(_)
                            | Effect::ProduceLetter(_)
                            | Effect::ProduceBatch(_)
                    ) {
                        assert!(
                            confirms,
                            "{effect:?} without a confirming key: {}",
                            context()
                        );
                        saves += 1;
                    }
                }
                let discarded = effects
                    .iter()
                    .any(|e| matches!(e, Effect::DiscardDraft(id) if before.as_ref().is_some_and(|(t, _)| t == id)));
                match (&before, note(&state)) {
                    (Some((id, body)), Some((after_id, after))) => {
                        assert_eq!(
                            *id,
                            after_id,
                            "the open note changed account: {}",
                            context()
                        );
                        assert!(
                            typed || after.chars().count() >= body.chars().count(),
                            "the note shrank from {body:?} to {after:?}: {}",
                            context()
                        );
                    }
                    (Some((_, body)), None) => assert!(
                        saved_note || discarded,
                        "the note {body:?} closed unsaved: {}",
                        context()
                    ),
                    (None, after) => notes_opened += usize::from(after.is_some()),
                }
                for effect in &effects {
                    pending.extend(runtime.answer(effect));
                }
            }
        }
    }
    // The walk reached the places that matter: every mode's keys, notes, saves.
    assert_eq!(modes.len(), 12, "{modes:?}");
    // (A letter step shows its letter rather than a confirmation, so Confirm is reached less.)
    assert!(modes.values().all(|n| *n > 200), "{modes:?}");
    assert!(inputs > 100_000, "{inputs} inputs");
    assert!(notes_opened > 500, "{notes_opened} notes opened");
    assert!(saves > 50, "{saves} saves and discards");
}
