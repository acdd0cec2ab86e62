//! `update(state, action) -> effects`: the whole behaviour of the workstation as plain code.
//! No I/O happens here; reads and writes are returned as effects for the runtime to run.

use super::action::{Action, Command as C, LineEdit};
use super::assessment;
use super::call;
use super::confirm::{self, Confirmation};
use super::correct;
use super::drafts;
use super::effects::Effect;
use super::form::{Filled, Purpose};
use super::keymap::ModeKeys;
use super::kpi;
use super::layout;
use super::letters;
use super::plan_editor;
use super::queue::{Filters, Found, QueueItem, Tab};
use super::state::{Message, Mode, Overlay, Pane, State};
use super::waiting;
use crate::domain::actions::ActionKind;
use crate::domain::dates::uk;
use crate::domain::letter::LetterKind;
use crate::domain::policy::Recommendation;
use crate::domain::policy::Recommendation::{self as R};
use crate::domain::record::Record;
use crate::domain::recovery::{CourtEventKind, CourtOutcome, NoticeKind, PauseKind};
use crate::statement::Format;

pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let before = state.message.clone();
    let mut effects = act(state, action);
    super::messages::keep(state, before.as_ref());
    effects.extend(super::live::follow(state));
    // Whatever moved the selection or changed its reason, the selected row and its reason
    // beneath it stay on screen.
    let rows = state.queue_rows();
    state.queue.keep_visible(rows);
    effects
}

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    // Nothing is done blind: on a screen too small to show what a key did, keys are ignored.
    // Backing out still works, and quitting does at once (no question could be seen; an open
    // note is kept as its draft and offered next time).
    if layout::too_small(state.size) {
        match action {
            Action::Command(C::Quit) => {
                state.quit = true;
                return vec![];
            }
            Action::Command(C::Back) => {}
            Action::Command(_)
            | Action::Type(_)
            | Action::Paste(_)
            | Action::Edit(_)
            | Action::Unbound(_) => return vec![],
            _ => {}
        }
    }
    if let Some(effects) = waiting::intercept(state, &action) {
        return effects;
    }
    match action {
        Action::Command(command) => {
            // A key press replaces the last message; results from the store set their own.
            state.message = None;
            // The top pop-up takes the keys, else the mode does.
            match state.keys() {
                ModeKeys::Normal => normal(state, command),
                ModeKeys::Filter => filter(state, command),
                ModeKeys::Command => command_line(state, command),
                ModeKeys::Help => help(state, command),
                ModeKeys::Record => record(state, command),
                ModeKeys::Form => form(state, command),
                ModeKeys::Editor => call::editor_command(state, command),
                ModeKeys::Pick => call::pick_command(state, command),
                ModeKeys::Plan => plan_editor::command(state, command),
                ModeKeys::Assessment => assessment::command(state, command),
                ModeKeys::Confirm => confirm::command(state, command),
                ModeKeys::Letter => letters::command(state, command),
            }
        }
        Action::Edit(edit) => {
            state.message = None;
            edit_line(state, edit)
        }
        Action::Type(key) => call::typed(state, key),
        Action::Paste(text) => paste(state, &text),
        Action::Tick(time) => {
            let mut effects = call::tick(state, time);
            super::reminder::tick(state);
            effects.extend(drafts::tick(state));
            effects.extend(waiting::retry(state));
            effects
        }
        Action::DraftsFound(drafts) => drafts::found(state, drafts),
        Action::DraftStatus(status) => drafts::status(state, status),
        Action::Writing {
            tenancy_id,
            officers,
        } => {
            state.writing = Some((tenancy_id, officers));
            vec![]
        }
        Action::WriteWaiting(record) => waiting::started(state, *record),
        Action::Changed(changed) => super::live::changed(state, changed),
        Action::Reranked(ranked) => super::live::reranked(state, ranked),
        Action::MayReassign(asked) => super::confirm::ask(state, *asked),
        Action::Reassigned { message, moved } => super::reassign::done(state, message, moved),
        Action::LiveLost(line, why) => super::live::lost(state, line, why),
        Action::LiveBack(line) => super::live::back(state, line),
        Action::NotesFound { words, hits } => call::notes_found(state, &words, hits),
        Action::KpiLoaded(summary) => kpi::loaded(state, summary),
        Action::KpiFailed(why) => {
            kpi::failed(state, why);
            vec![]
        }
        Action::Unbound(key) => {
            state.message = Some(Message::Error(format!(
                "{key} does nothing here. Press ? for the keys."
            )));
            vec![]
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            let rows = state.queue_rows();
            state.queue.keep_visible(rows);
            vec![]
        }
        Action::AccountLoaded(detail, writing) => {
            // Read for a row no longer selected (the officer moved on, or back to the account
            // already open): the screen never shows one account's detail under another's row.
            let id = detail.record.tenancy_id;
            if state.queue.selected_id() != Some(id) {
                return vec![];
            }
            if state.account.as_ref().map(|a| a.record.tenancy_id) != Some(id) {
                state.scroll = Default::default();
            }
            state.account = Some(detail);
            plan_editor::account_loaded(state);
            // Who else is on it was read with it; it is read again a few seconds on.
            state.writing = Some((id, writing));
            state.writing_read = Some(state.now);
            vec![]
        }
        Action::TextLoaded(texts) => {
            let keep = state.queue.selected_id();
            state.queue.take_texts(*texts, true);
            settled(state, keep)
        }
        Action::Saved {
            tenancy_id,
            message,
            ended_draft,
            undoable,
        } => {
            let waited = waiting::ended(state);
            state.message = Some(Message::Info(message));
            state.written.extend(undoable);
            if ended_draft {
                call::saved(state, tenancy_id);
            }
            plan_editor::saved(state, tenancy_id);
            let mut effects = vec![Effect::RefreshFacts(tenancy_id)];
            if let Some((held, note)) = waited {
                effects.extend(waiting::replay(state, held, note));
            }
            effects
        }
        Action::TextRead(texts) => {
            let keep = state.queue.selected_id();
            let complete = state.queue.text_complete();
            state.queue.attach_text(texts, complete);
            settled(state, keep)
        }
        Action::FactsLoaded(facts) => {
            let keep = state.queue.selected_id();
            let refreshed = facts.tenancy_id;
            super::live::refreshed(state, refreshed);
            // A note or call open on it, or a plan just saved mid-call: it stays in view.
            let held = state.editor.as_ref().map(|e| e.tenancy_id) == Some(refreshed)
                || state.planning.stays_on(refreshed);
            if held && keep == Some(refreshed) {
                state.queue.pin_selected();
            }
            let s = &state.settings;
            state.queue.refresh(QueueItem::new(
                *facts,
                s.judging(),
                s.working_days(),
                &s.policy,
            ));
            plan_editor::stay_on_account(state, refreshed);
            // Still on the account just written to: read it again so its history shows the write.
            if state.queue.selected_id() == keep && keep == Some(refreshed) {
                return vec![Effect::LoadAccount {
                    tenancy_id: refreshed,
                    window: state.settings.history_window,
                }];
            }
            settled(state, keep)
        }
        Action::LetterPrepared(view) => letters::prepared(state, *view),
        Action::BatchProduced { message, written } => letters::batch_done(state, message, written),
        Action::Done(what) => {
            state.message = Some(Message::Info(what));
            vec![]
        }
        Action::Tampered(what) => {
            state.tampered = Some(what.clone());
            state.message = Some(Message::Error(what));
            vec![]
        }
        Action::Failed(why) => {
            let waited = waiting::ended(state);
            state.message = Some(Message::Error(why));
            plan_editor::failed(state);
            // The note or form is still open: what was typed meanwhile goes on into it.
            match waited {
                Some((held, _)) => waiting::replay(state, held, None),
                None => vec![],
            }
        }
    }
}

/// After the queue changed under the officer: keep the selection on screen and open whatever
/// account is now selected.
fn settled(state: &mut State, before: Option<i64>) -> Vec<Effect> {
    let rows = state.queue_rows();
    state.queue.keep_visible(rows);
    if state.queue.selected_id() == before {
        vec![]
    } else {
        state.load_selected()
    }
}

/// Pasted text: into the note when typing there, else into the line being typed, a key at a time
/// as one line; if a key opens the note (a call started by typing), the rest goes into the note
/// whole.
fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    if call::paste_into_note(state, text) {
        return vec![];
    }
    let mut effects = Vec::new();
    for (at, c) in text.char_indices() {
        let rest = &text[at + c.len_utf8()..];
        let c = if c == '\r' || c == '\n' { ' ' } else { c };
        effects.extend(update(state, Action::Edit(LineEdit::Insert(c))));
        if call::paste_into_note(state, rest) {
            break;
        }
    }
    effects
}

/// With a note open the queue's place shows the note, and the account cannot change under it.
fn while_note_open(state: &mut State, command: C) -> Option<Vec<Effect>> {
    state.editor.as_ref()?;
    let next_is_queue = |state: &State, step: usize| {
        let n = Pane::ALL.len();
        Pane::ALL[(state.focus.number() - 1 + step) % n] == Pane::Queue
    };
    Some(match command {
        C::FocusQueue | C::Open | C::ResumeNote | C::StartCall | C::AddNote => call::resume(state),
        C::NextPane if next_is_queue(state, 1) => call::resume(state),
        C::PrevPane if next_is_queue(state, Pane::ALL.len() - 1) => call::resume(state),
        C::Filter | C::NextTab | C::PrevTab => {
            call::holds_account(state);
            vec![]
        }
        _ => return None,
    })
}

fn normal(state: &mut State, command: C) -> Vec<Effect> {
    if let Some(effects) = while_note_open(state, command) {
        return effects;
    }
    let page = isize::try_from(state.page()).unwrap_or(1);
    match command {
        C::MoveDown => return move_or_scroll(state, 1),
        C::MoveUp => return move_or_scroll(state, -1),
        C::PageDown => return move_or_scroll(state, page),
        C::PageUp => return move_or_scroll(state, -page),
        C::Top => return move_or_scroll(state, isize::MIN),
        C::Bottom => return move_or_scroll(state, isize::MAX),
        C::NextTab | C::PrevTab => {
            let i = Tab::ALL
                .iter()
                .position(|t| *t == state.queue.tab())
                .unwrap_or(0);
            let n = Tab::ALL.len();
            let next = if command == C::NextTab {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            let keep = state.queue.selected_id();
            state.queue.set_tab(Tab::ALL[next]);
            state.focus = Pane::Queue;
            return settled(state, keep);
        }
        C::NextPane | C::PrevPane => {
            let i = state.focus.number() - 1;
            let n = Pane::ALL.len();
            let next = if command == C::NextPane {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            state.focus = Pane::ALL[next];
        }
        C::FocusQueue => state.focus = Pane::Queue,
        C::FocusHistory => state.focus = Pane::History,
        C::FocusPlan => state.focus = Pane::Plan,
        C::FocusNotes => state.focus = Pane::Notes,
        C::Open => {
            if state.queue.is_empty() {
                state.message = Some(Message::Info("No account to open.".into()));
            } else {
                state.focus = Pane::History;
                return state.load_selected();
            }
        }
        C::Filter => {
            state.mode = Mode::Filter;
            state.focus = Pane::Queue;
        }
        C::Back => {
            if !state.queue.filter().is_empty() {
                state.filter.clear();
                state.queue.set_filter("");
                let rows = state.queue_rows();
                state.queue.keep_visible(rows);
                state.message = Some(Message::Info("Filter cleared.".into()));
            } else if state.focus != Pane::Queue {
                state.focus = Pane::Queue;
            }
        }
        C::Help => state.open(Overlay::Help),
        C::Kpi => return kpi::open(state),
        C::Messages => super::messages::open(state),
        C::CommandLine => {
            state.command.clear();
            state.mode = Mode::Command;
        }
        // The command line, with the command typed: the officer's name is all that is left.
        C::Reassign => {
            state.command = super::input::LineInput::with_text("reassign ");
            state.mode = Mode::Command;
        }
        C::Quit => return drafts::quit(state),
        C::StartCall => return call::start_call(state),
        C::AddNote => return call::start_note(state),
        C::AmendNote => return call::amend(state),
        C::ResumeNote => return call::resume(state),
        C::FlagVulnerable => return state.open_form(Purpose::Vulnerability),
        C::Referral => return state.open_form(Purpose::Referral),
        C::AcceptRecommendation => return accept(state),
        C::CorrectRecord => return correct::start(state),
        C::Undo => return correct::undo(state),
        C::Override => {
            let recommendation = state.queue.selected().map(|i| i.decision.recommendation);
            match recommendation {
                Some(r) if r != Recommendation::NoAction => {
                    return state.open_form(Purpose::Override(r));
                }
                _ => {
                    state.message = Some(Message::Info(
                        "Nothing is recommended here to override.".into(),
                    ))
                }
            }
        }
        C::Snooze => return state.open_form(Purpose::Snooze),
        C::RecordMenu => state.open(Overlay::RecordMenu),
        C::PlanEditor => return plan_editor::open(state),
        C::IncomeExpenditure => return assessment::open(state),
        C::CancelPlan => match state.live_plan() {
            Some(plan_id) => return state.open_form(Purpose::CancelPlan(plan_id)),
            None => state.message = Some(Message::Info("There is no live plan to cancel.".into())),
        },
        other => return record(state, other),
    }
    vec![]
}

/// Does what the policy recommends: a letter or text is made and shown as it will be sent; a
/// step with nothing to ask is shown as it will be recorded; a step with details opens its form
/// (a notice, an outcome, a warrant). Nothing is saved without a second key.
fn accept(state: &mut State) -> Vec<Effect> {
    if state.still_opening() {
        return vec![];
    }
    let Some(item) = state.queue.selected() else {
        state.message = Some(Message::Info("Select an account first.".into()));
        return vec![];
    };
    let (tenancy_id, decision) = (item.tenancy_id, item.decision.clone());
    if decision.blocker.is_some() {
        state.message = Some(Message::Info(format!(
            "Nothing to do now: {}",
            decision.reason
        )));
        return vec![];
    }
    // A step with nothing to ask is still shown as it will be recorded, and saved on a second key.
    let today = state.settings.today;
    let step = |state: &mut State, kind: ActionKind, summary: &str| {
        let record = Record::Action {
            tenancy_id,
            kind,
            summary: summary.to_string(),
        };
        let rows = vec![("Step".to_string(), kind.label().to_string())];
        let asked = Confirmation::new(
            decision.recommendation.label().to_string(),
            rows,
            record,
            state.current_account(),
            today,
        );
        confirm::ask(state, asked)
    };
    match decision.recommendation {
        R::NoAction => {
            state.message = Some(Message::Info("Nothing is due on this account.".into()));
            vec![]
        }
        // A letter is made and shown as it will be sent: it is sent only once produced.
        R::SendSms
        | R::SendLetter1
        | R::SendLetter2
        | R::SendCourtWarningLetter
        | R::SendInformalBreachLetter
        | R::AddressCourtPlanBreach => {
            match LetterKind::for_recommendation(decision.recommendation) {
                Some(letter) => letters::open(state, tenancy_id, letter),
                None => vec![],
            }
        }
        R::CourtBreachVisit => state.open_form(Purpose::Visit(ActionKind::CourtBreachVisit)),
        R::InformalBreachedAfterLetter => state.open_form(Purpose::Visit(ActionKind::HomeVisit)),
        R::ApplyForCourtDate => state.open_form(Purpose::Claim),
        R::ChaseCourtForHearing => step(
            state,
            ActionKind::CourtChased,
            "Court chased for a hearing date",
        ),
        R::ChaseBailiff => step(
            state,
            ActionKind::BailiffChased,
            "Bailiff chased for an eviction date",
        ),
        R::ServeNotice => {
            let kind = notice_kind(state);
            state.open_form(Purpose::Notice(kind))
        }
        R::RecordCourtOutcome => state.open_form(Purpose::Outcome),
        // A postponed order has no date for possession: the court is asked to fix one first.
        R::CourtBreachNoPayment
            if state
                .current_account()
                .and_then(|a| a.latest_court(CourtEventKind::Outcome))
                .is_some_and(|o| o.outcome == Some(CourtOutcome::PostponedPossession)) =>
        {
            state.open_form(Purpose::Claim)
        }
        R::ApplyForWarrant | R::CourtBreachNoPayment => state.open_form(Purpose::Warrant),
        R::ReviewFailedLetter => state.open_form(Purpose::Resend),
        R::CheckData => {
            state.message = Some(Message::Info(format!(
                "Correct the record: {}",
                decision.reason
            )));
            vec![]
        }
    }
}

/// The notice this tenancy's tenure takes (a NOSP where the tenure has no notice of its own).
fn notice_kind(state: &State) -> NoticeKind {
    state
        .current_account()
        .and_then(|a| NoticeKind::for_tenure(a.record.details.tenure))
        .unwrap_or(NoticeKind::Nosp)
}

/// A key in the record menu: the menu closes, and what was chosen opens.
fn record(state: &mut State, command: C) -> Vec<Effect> {
    if command == C::Help {
        state.open(Overlay::Help);
        return vec![];
    }
    if state.top() == Some(&Overlay::RecordMenu) {
        state.close();
    }
    match command {
        C::RecordNotice => {
            let kind = notice_kind(state);
            return state.open_form(Purpose::Notice(kind));
        }
        C::RecordClaim => return state.open_form(Purpose::Claim),
        C::RecordHearing => return state.open_form(Purpose::Hearing),
        C::RecordOutcome => return state.open_form(Purpose::Outcome),
        C::RecordWarrant => return state.open_form(Purpose::Warrant),
        C::RecordEviction => return state.open_form(Purpose::Eviction),
        C::RecordEvicted => return state.open_form(Purpose::Evicted),
        C::RecordBreathingSpace => return state.open_form(Purpose::BreathingSpace),
        C::RecordPause => return state.open_form(Purpose::Pause),
        C::RecordEmail => return call::start_contact(state, ActionKind::Email),
        C::RecordSms => return call::start_contact(state, ActionKind::Sms),
        C::RecordLetterReceived => return call::start_contact(state, ActionKind::LetterReceived),
        C::RecordHomeVisit => return call::start_contact(state, ActionKind::HomeVisit),
        C::RecordOfficeVisit => return call::start_contact(state, ActionKind::OfficeVisit),
        C::LiftPause => {
            if state.still_opening() {
                return vec![];
            }
            let today = state.settings.today;
            let Some(item) = state.queue.selected() else {
                return vec![];
            };
            // Whatever holds the account back now: a pause, a snooze, or both.
            let kinds: Vec<PauseKind> = [
                (item.paused_until, PauseKind::Pause),
                (item.snoozed_until, PauseKind::Snooze),
            ]
            .into_iter()
            .filter(|(until, _)| until.is_some_and(|u| u >= today))
            .map(|(_, kind)| kind)
            .collect();
            if kinds.is_empty() {
                state.message = Some(Message::Info(
                    "This account is not paused or snoozed.".into(),
                ));
                return vec![];
            }
            let what: Vec<(String, String)> = [
                (item.paused_until, "Paused until"),
                (item.snoozed_until, "Snoozed until"),
            ]
            .into_iter()
            .filter_map(|(until, label)| {
                until
                    .filter(|u| *u >= today)
                    .map(|u| (label.to_string(), uk(u)))
            })
            .collect();
            let record = Record::Lift {
                tenancy_id: item.tenancy_id,
                kinds,
            };
            let asked = Confirmation::new(
                "Lift it now".into(),
                what,
                record,
                state.current_account(),
                today,
            );
            return confirm::ask(state, asked);
        }
        _ => {}
    }
    vec![]
}

fn form(state: &mut State, command: C) -> Vec<Effect> {
    let (today, now) = (state.settings.today, state.now);
    let Some(form) = state.form_mut() else {
        return vec![];
    };
    match command {
        C::Accept if form.on_last_field() => match form.finish(now) {
            // A letter sent again is made and shown as it will be sent, as `a` shows one.
            Some(Filled::Record(Record::Action {
                tenancy_id, kind, ..
            })) if form.purpose == Purpose::Resend => {
                state.close();
                return match LetterKind::for_action(kind) {
                    Some(letter) => letters::open(state, tenancy_id, letter),
                    None => vec![],
                };
            }
            // A record is shown as it will be saved, over its form, before it is saved.
            Some(Filled::Record(record)) => {
                let (title, mut rows) = (form.title(), form.summary(today));
                if let Some(old) = &form.corrects {
                    rows.insert(0, ("Corrects".to_string(), format!("▸ {}", old.line)));
                }
                let mut asked =
                    Confirmation::new(title, rows, record, state.current_account(), today);
                asked.over_form = true;
                return confirm::ask(state, asked);
            }
            Some(filled) => {
                state.close();
                return call::filled(state, filled);
            }
            None => {}
        },
        C::Accept | C::NextField => {
            form.next_field(today);
        }
        C::PrevField => form.prev_field(),
        C::Back => {
            if let Some(Overlay::Form(form)) = state.close() {
                state.parked = Some(form);
            }
            // A promise or call back was asked for by the note being typed: back to it.
            state.message = Some(Message::Info(if state.mode == Mode::Editor {
                "Not saved: the note is as it was. Ctrl-S to end it again.".into()
            } else {
                "Not saved. Open the same form again to carry on where you left off.".into()
            }));
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// Moves the queue selection, or scrolls the focused pane.
fn move_or_scroll(state: &mut State, delta: isize) -> Vec<Effect> {
    if state.focus == Pane::Queue {
        let rows = state.queue_rows();
        state.queue.move_by(delta, rows);
        return state.load_selected();
    }
    let Some(account) = state.current_account() else {
        return vec![];
    };
    let (len, complete) = match state.focus {
        Pane::History => (account.history.len(), account.history_complete),
        Pane::Notes => (super::note_threads::threads(&account.notes).len(), true),
        Pane::Plan | Pane::Queue => (usize::MAX, true),
    };
    let tenancy_id = account.record.tenancy_id;
    let loaded = account.history.len();
    let scroll = match state.focus {
        Pane::History => &mut state.scroll.history,
        Pane::Notes => &mut state.scroll.notes,
        _ => &mut state.scroll.plan,
    };
    *scroll = scroll
        .saturating_add_signed(delta)
        .min(len.saturating_sub(1));
    // Near the end of what was read: read a bigger window of older history.
    if state.focus == Pane::History
        && !complete
        && state.scroll.history + state.page() * 2 >= loaded
    {
        return vec![Effect::LoadAccount {
            tenancy_id,
            window: loaded.saturating_mul(2).max(state.settings.history_window),
        }];
    }
    vec![]
}

fn edit_line(state: &mut State, edit: LineEdit) -> Vec<Effect> {
    match state.keys() {
        ModeKeys::Filter => {
            let keep = state.queue.selected_id();
            state.filter.apply(edit);
            state.queue.set_filter(state.filter.text());
            settled(state, keep)
        }
        ModeKeys::Command => {
            state.command.apply(edit);
            vec![]
        }
        ModeKeys::Form => {
            if let Some(form) = state.form_mut() {
                form.edit(edit);
            }
            vec![]
        }
        ModeKeys::Pick => call::pick_edit(state, edit),
        ModeKeys::Plan | ModeKeys::Assessment => plan_editor::edit(state, edit),
        _ => vec![],
    }
}

fn filter(state: &mut State, command: C) -> Vec<Effect> {
    match command {
        C::MoveDown | C::MoveUp => {
            let rows = state.queue_rows();
            state
                .queue
                .move_by(if command == C::MoveDown { 1 } else { -1 }, rows);
            return state.load_selected();
        }
        // Nothing here but matches elsewhere: Enter goes there, the filter still applied.
        C::Accept if state.queue.is_empty() && state.queue.elsewhere().is_some() => {
            state.mode = Mode::Normal;
            let keep = state.queue.selected_id();
            if let Some(tab) = state.queue.elsewhere() {
                state.queue.set_tab(tab);
            }
            return settled(state, keep);
        }
        // Enter and Esc both leave the filter applied; Esc again in the queue clears it.
        C::Accept | C::Back => {
            state.mode = Mode::Normal;
            if state.queue.is_empty() {
                state.message = Some(Message::Info(format!(
                    "Nothing matches \u{201c}{}\u{201d} in any tab. Esc clears the filter.",
                    state.filter.text(),
                )));
            }
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

fn command_line(state: &mut State, command: C) -> Vec<Effect> {
    match command {
        C::Back => state.mode = Mode::Normal,
        C::Accept => {
            state.mode = Mode::Normal;
            let line = state.command.text().trim().to_string();
            return run_command(state, &line);
        }
        C::Help => state.open(Overlay::Help),
        _ => {}
    }
    vec![]
}

/// Keys over the help overlay or `:info`: scroll, or close it.
fn help(state: &mut State, command: C) -> Vec<Effect> {
    match command {
        C::MoveDown => state.scroll.help += 1,
        C::MoveUp => state.scroll.help = state.scroll.help.saturating_sub(1),
        C::Back | C::Help | C::Quit | C::Accept => {
            state.close();
        }
        _ => {}
    }
    vec![]
}

/// `:statement [court] [html|text|csv]`: the selected account's rent statement (or arrears
/// schedule) written to a file beside the database, printable HTML unless asked otherwise.
fn statement(state: &mut State, arg: &str) -> Vec<Effect> {
    let Some(tenancy_id) = state.opened_account(Message::Error) else {
        return vec![];
    };
    let (mut court, mut format) = (false, Format::Html);
    for word in arg.split_whitespace() {
        match word.to_ascii_lowercase().as_str() {
            "court" | "--court" | "schedule" => court = true,
            "html" => format = Format::Html,
            "text" | "txt" => format = Format::Text,
            "csv" => format = Format::Csv,
            other => {
                state.message = Some(Message::Error(format!(
                    ":statement: {other}? Usage: :statement [court] [html|text|csv]"
                )));
                return vec![];
            }
        }
    }
    vec![Effect::Statement {
        tenancy_id,
        court,
        format,
    }]
}

fn run_command(state: &mut State, line: &str) -> Vec<Effect> {
    let (name, arg) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let arg = arg.trim();
    match name {
        "" => {}
        "q" | "quit" => return drafts::quit(state),
        "discard" => return call::discard(state),
        "notes" | "n" if arg.is_empty() => {
            state.message = Some(Message::Error("Usage: :notes WORDS".into()));
        }
        "notes" | "n" => return vec![Effect::SearchNotes(arg.to_string())],
        "info" => state.open(Overlay::Info),
        "messages" | "mes" => super::messages::open(state),
        "statement" | "st" => return statement(state, arg),
        "letters" => return letters::batch(state),
        "letter" => return letters::named(state, arg),
        "help" => state.open(Overlay::Help),
        "kpi" => return kpi::open(state),
        "reassign" => return super::reassign::ask(state, arg),
        "goto" | "g" if arg.is_empty() => {
            state.message = Some(Message::Error("Usage: :goto REFERENCE".into()));
        }
        "goto" | "g" | "clear" if call::holds_account(state) => {}
        "goto" | "g" => {
            let rows = state.queue_rows();
            match state.queue.select_reference(arg, rows) {
                Found::Selected(_) => {
                    state.filter.clear();
                    state.focus = Pane::History;
                    return state.load_selected();
                }
                Found::Several => {
                    let refs = state.queue.references_from(arg);
                    state.message = Some(Message::Error(format!(
                        "{} accounts begin {arg}: {}. Add the suffix.",
                        refs.len(),
                        refs.join(", ")
                    )))
                }
                Found::NoSuchReference => {
                    let like = state
                        .queue
                        .reference_like(arg)
                        .map(|r| format!(" (references are exact: did you mean {r}?)"))
                        .unwrap_or_default();
                    state.message = Some(Message::Error(format!(
                        "No account with reference {arg}{like}."
                    )))
                }
                Found::StillLoading => {
                    state.message = Some(Message::Info(
                        "Still reading the caseload: try again in a moment.".into(),
                    ))
                }
            }
        }
        "clear" => {
            state.queue.apply_filters(Filters::default());
            state.message = Some(Message::Info("Filters cleared.".into()));
            return settled(state, None);
        }
        // A filter could take the selection off the account whose note is open.
        other
            if state.editor.is_some()
                && state.queue.filters().clone().set(other, arg).is_some() =>
        {
            call::holds_account(state);
        }
        other => {
            let keep = state.queue.selected_id();
            match state.queue.set_filter_by_name(other, arg) {
                Some(Ok(())) => {
                    let shown = state.queue.filters().to_string();
                    state.message = Some(Message::Info(if shown.is_empty() {
                        "No filters.".into()
                    } else {
                        format!("Showing {shown}.")
                    }));
                    return settled(state, keep);
                }
                Some(Err(why)) => state.message = Some(Message::Error(format!(":{other}: {why}"))),
                None => {
                    state.message = Some(Message::Error(format!(
                        "Unknown command :{other}. Try :goto REF, :notes WORDS, :statement, :kpi, :reassign, :patch, :officer, :tenure, :debt, :band, :flag, :clear, :discard, :info or :q."
                    )))
                }
            }
        }
    }
    vec![]
}
