//! Call backs announced in the status bar when their time comes on the workstation's clock:
//! "Call back 14:30: Ada Smith, 100001/1".

use super::state::State;
use chrono::NaiveDateTime;

/// A call back whose time has come. It stays in the status bar until it is made or the next
/// one's time comes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub tenancy_id: i64,
    pub at: NaiveDateTime,
    pub text: String,
}

/// On each tick of the clock: the call backs whose time has come since the last announced, the
/// latest of them said (and how many more).
pub fn tick(state: &mut State) {
    let (now, today, after) = (state.now, state.settings.today, state.reminded_to);
    // Today's, since the last announced: the queue keeps them by time, so the clock does not
    // look through every account at each tick.
    let before_today = today.and_time(chrono::NaiveTime::MIN) - chrono::TimeDelta::nanoseconds(1);
    let from = after.map_or(before_today, |a| a.max(before_today));
    let due: Vec<(NaiveDateTime, i64)> = state.queue.call_backs_within(from, now).collect();
    let Some(&(at, tenancy_id)) = due.last() else {
        return;
    };
    let Some(item) = state.queue.item(tenancy_id) else {
        return;
    };
    let more = match due.len() - 1 {
        0 => String::new(),
        n => format!(" (and {n} more due)"),
    };
    state.reminder = Some(Reminder {
        tenancy_id,
        at,
        text: format!(
            "Call back {}: {}, {}{more}",
            at.format("%H:%M"),
            item.name(),
            item.reference()
        ),
    });
    state.reminded_to = Some(at);
}

/// The reminder to show: none once its call back is made (or the account left the caseload).
pub fn current(state: &State) -> Option<&Reminder> {
    state.reminder.as_ref().filter(|r| {
        state
            .queue
            .item(r.tenancy_id)
            .is_some_and(|item| item.call_back == Some(r.at))
    })
}
