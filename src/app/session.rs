//! A running workstation without a terminal: state, store and keymap, driven by keys. The TUI
//! feeds it real key events; tests feed it key strings such as `"jj/smith<ret>"`.

use super::action::Action;
use super::effects;
use super::keymap::{KeyCombo, Keymap};
use super::queue::{Queue, QueueItem};
use super::state::{Settings, State};
use super::update::update;
use crate::store::{Result, Store};

pub struct Session {
    pub state: State,
    store: Store,
    keymap: Keymap,
}

impl Session {
    /// Reads every tenancy into the queue and opens the first account.
    pub fn new(store: Store, keymap: Keymap, settings: Settings) -> Result<Session> {
        let items = store
            .tenancy_records()?
            .iter()
            .map(|r| QueueItem::new(r, settings.today, settings.grace))
            .collect();
        let state = State::new(settings, Queue::new(items));
        let mut session = Session {
            state,
            store,
            keymap,
        };
        if let Some(id) = session.state.queue.selected_id() {
            session.run(vec![effects::Effect::LoadAccount {
                tenancy_id: id,
                window: session.state.settings.history_window,
            }]);
        }
        Ok(session)
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn press(&mut self, key: KeyCombo) {
        let action = self.keymap.resolve(self.state.mode.keys(), key);
        self.dispatch(action);
    }

    /// Types a key string (`j`, `<down>`, `<ret>`, `<C-c>`; other text is typed as is).
    pub fn keys(&mut self, keys: &str) {
        for key in parse_keys(keys) {
            self.press(key);
        }
    }

    /// Runs an action and every action its effects produce.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run(effects);
    }

    fn run(&mut self, effects: Vec<effects::Effect>) {
        for effect in effects {
            if let Some(result) = effects::run(effect, &mut self.store) {
                self.dispatch(result);
            }
        }
    }
}

/// Splits `"jj<down>/smith<ret>"` into keys; a `<` that does not start a key name is itself a key.
pub fn parse_keys(keys: &str) -> Vec<KeyCombo> {
    let mut out = Vec::new();
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && let Ok(key) = KeyCombo::parse(&rest[..=end])
        {
            out.push(key);
            rest = &rest[end + 1..];
            continue;
        }
        out.extend(KeyCombo::parse(&c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    out
}
