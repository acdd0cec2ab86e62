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
        "Working out the team's numbers for the rent year to {}. The trend week by week follows: \
         the first time, a year of the ledger and the action log is read for it, which can take a \
         few seconds on a large caseload; the weeks are then kept, so later it is quick. You can \
         carry on (Esc): the figures are kept when they arrive.",
        uk(state.settings.today)
    )
}

/// What the screen says while the trend's weeks are worked out.
pub fn trend_working(missing: usize) -> String {
    format!(
        "Trend: working out {missing} {} from the ledger and the action log (the figures here \
         are complete; the charts by week follow).",
        if missing == 1 { "week" } else { "weeks" }
    )
}

/// `K`, `:kpi`: the screen opens now and the figures are asked for.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.open(Overlay::KpiWorking(working(state)));
    vec![Effect::Kpi]
}

/// The figures arrived: they take the place of the screen saying they are being worked out (or
/// of the figures without their trend), or, if the officer closed it meanwhile, the status bar
/// says they are ready. Figures without their trend ask for it.
pub fn loaded(state: &mut State, summary: Box<Summary>) -> Vec<Effect> {
    let more = summary.trend_missing > 0;
    match state.overlays.iter_mut().find(|o| match o {
        Overlay::KpiWorking(_) => true,
        Overlay::Kpi(shown) => shown.trend_missing > 0,
        _ => false,
    }) {
        Some(screen) => {
            if matches!(screen, Overlay::KpiWorking(_)) {
                state.scroll.help = 0;
            }
            *screen = Overlay::Kpi(summary);
        }
        None if !more => {
            state.message = Some(Message::Info(
                "The team's numbers are worked out: K shows them.".into(),
            ));
        }
        None => {}
    }
    if more { vec![Effect::KpiTrend] } else { vec![] }
}

/// The figures could not be worked out: the screen closes (or, when it is the trend that could
/// not, the figures stay) and the status bar says why.
pub fn failed(state: &mut State, why: String) {
    state
        .overlays
        .retain(|o| !matches!(o, Overlay::KpiWorking(_)));
    // Figures shown without their trend stay, no longer saying it follows.
    for o in &mut state.overlays {
        if let Overlay::Kpi(shown) = o {
            shown.trend_missing = 0;
        }
    }
    state.message = Some(Message::Error(format!(
        "Could not work out the team's numbers: {why}"
    )));
}
