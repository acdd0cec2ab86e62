//! The KPI screen's comings and goings: `K` opens it at once saying what is being worked out (on
//! a large caseload the first time reads a year of the ledger), and the figures take its place
//! when they arrive from the background.

use super::effects::Effect;
use super::state::{Message, Overlay, State};
use crate::domain::dates::uk;
use crate::domain::kpi::Summary;

/// What the screen says while the figures are worked out.
pub fn working(state: &State) -> String {
    format!(
        "Working out the team's numbers for the rent year to {}, with the trend week by week. \
         The first time, a year of the ledger and the action log is read, which can take a while \
         on a large caseload; the weeks are then kept, so later it is quick. You can carry on \
         (Esc): the figures are kept when they arrive.",
        uk(state.settings.today)
    )
}

/// `K`, `:kpi`: the screen opens now and the figures are asked for.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.open(Overlay::KpiWorking(working(state)));
    vec![Effect::Kpi]
}

/// The figures arrived: they take the place of the screen saying they are being worked out, or,
/// if the officer closed it meanwhile, the status bar says they are ready.
pub fn loaded(state: &mut State, summary: Box<Summary>) {
    match state
        .overlays
        .iter_mut()
        .find(|o| matches!(o, Overlay::KpiWorking(_)))
    {
        Some(screen) => {
            *screen = Overlay::Kpi(summary);
            state.scroll.help = 0;
        }
        None => {
            state.message = Some(Message::Info(
                "The team's numbers are worked out: K shows them.".into(),
            ));
        }
    }
}

/// The figures could not be worked out: the screen closes and the status bar says why.
pub fn failed(state: &mut State, why: String) {
    state
        .overlays
        .retain(|o| !matches!(o, Overlay::KpiWorking(_)));
    state.message = Some(Message::Error(format!(
        "Could not work out the team's numbers: {why}"
    )));
}
