//! Work `update` asks the runtime to do against the store; each result comes back as an action.

use super::action::Action;
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Read an account with the newest `window` rows of each history source.
    LoadAccount { tenancy_id: i64, window: usize },
}

pub fn run(effect: Effect, store: &mut Store) -> Option<Action> {
    match effect {
        Effect::LoadAccount { tenancy_id, window } => {
            Some(match store.account_detail(tenancy_id, window) {
                Ok(Some(detail)) => Action::AccountLoaded(Box::new(detail)),
                Ok(None) => Action::Failed(format!(
                    "Account {tenancy_id} is no longer in the database."
                )),
                Err(e) => Action::Failed(format!("Could not read the account: {e}")),
            })
        }
    }
}
