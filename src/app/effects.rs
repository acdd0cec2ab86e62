//! Work `update` asks the runtime to do against the store; each result comes back as an action.

use super::action::Action;
use super::state::Settings;
use super::write::Write;
use crate::store::{Scope, Store};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Read an account with the newest `window` rows of each history source.
    LoadAccount { tenancy_id: i64, window: usize },
    /// Save what the officer recorded, in one transaction.
    Save(Write),
    /// Read an account's facts again, to re-rank it after a write.
    RefreshFacts(i64),
}

pub fn run(effect: Effect, store: &mut Store, settings: &Settings) -> Option<Action> {
    Some(match effect {
        Effect::LoadAccount { tenancy_id, window } => {
            let tolerance = settings.plans.breach_tolerance_days.0;
            match store.account_on(tenancy_id, window, settings.today, tolerance) {
                Ok(Some(detail)) => Action::AccountLoaded(Box::new(detail)),
                Ok(None) => Action::Failed(format!(
                    "Account {tenancy_id} is no longer in the database."
                )),
                Err(e) => Action::Failed(format!("Could not read the account: {e}")),
            }
        }
        Effect::Save(write) => {
            // Business moments are today's date (which --today may set) at the time on the clock.
            let now = settings.today.and_time(chrono::Local::now().time());
            let officer = &settings.officer;
            match store.write(officer, "tui", |w| {
                write.apply(w, now, officer, &settings.codes)?;
                // In the same transaction, so a plan's state never lags its balance.
                if write.touches_plans() {
                    let scope = Scope::Tenancy(write.tenancy_id());
                    let tolerance = settings.plans.breach_tolerance_days.0;
                    w.monitor_plans(settings.today, tolerance, scope)?;
                }
                Ok(())
            }) {
                Ok(()) => Action::Saved {
                    tenancy_id: write.tenancy_id(),
                    message: write.done(),
                },
                Err(e) => Action::Failed(format!("Not saved: {e}")),
            }
        }
        Effect::RefreshFacts(tenancy_id) => match store.queue_facts_of(tenancy_id) {
            Ok(Some(facts)) => Action::FactsLoaded(Box::new(facts)),
            Ok(None) => return None,
            Err(e) => Action::Failed(format!("Could not re-rank the account: {e}")),
        },
    })
}
