//! A running workstation without a terminal: state, store and keymap, driven by keys. The TUI
//! feeds it real key events; tests feed it key strings such as `"jj/smith<ret>"`.

use super::action::Action;
use super::background::Background;
use super::drafts;
use super::effects;
use super::keymap::{KeyCombo, Keymap};
use super::live::Live;
use super::queue::{Queue, RowOrder, RowTexts, Tab};
use super::reader::{AccountReader, Waker};
use super::state::{Settings, State};
use super::update::update;
use crate::store::{
    Draft, DraftFile, DraftSaver, DraftStatus, PlanChange, Problem, RankingFile, Result, Scope,
    Store, TextReader,
};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;

pub struct Session {
    pub state: State,
    store: Store,
    /// Writes the open note's draft on its own thread and connection.
    saver: DraftSaver,
    keymap: Keymap,
    /// The connection every row's text is read on, just after the first frame, and where the
    /// order of the rows to lay it out by will come from.
    text_reader: Option<(TextReader, Receiver<RowOrder>)>,
    /// Every row's text, being read and built on another connection and thread.
    text: Option<Texts>,
    /// Tells the text's thread the order of the whole queue's rows once it is ranked (after a
    /// kept start), for the text to be laid out by.
    text_order: Option<Sender<RowOrder>>,
    /// Whether the plans have been checked for today since start.
    plans: Plans,
    /// The check that the file was not changed outside caseload, run once after the first frame.
    integrity: Integrity,
    /// Longer work effects started (the team's numbers).
    background: Background,
    /// Where the queue's order is kept for the next start (when the settings ask for it).
    ranking: Option<RankingFile>,
    /// The order being written there, on a thread of its own.
    ranking_written: Option<JoinHandle<()>>,
    /// Every account being ranked on another thread, while the accounts that headed the queue
    /// last time are shown.
    ranking_read: Option<Receiver<Result<Ranked>>>,
    /// On a team's database: others' writes heard, and this officer's presence kept.
    live: Option<Live>,
    /// The account the queue opens on has been read (see [`Session::open_first_account`]).
    opened: bool,
    /// Where the selected account is read, when not on this thread (see
    /// [`Session::read_accounts_aside`]).
    reader: Option<AccountReader>,
}

/// Where the check of the plans for today is: it runs once, after the first frame, on its own
/// thread and connection.
enum Plans {
    NotChecked,
    Checking(Receiver<Result<Vec<PlanChange>>>),
    Checked,
}

/// Where the check at start is.
enum Integrity {
    NotStarted,
    Running(Receiver<Result<Vec<Problem>>>),
    Done,
}

/// Every account ranked, with the accounts that head the tabs a start opens on (to keep for the
/// next start: worked out where the ranking was, away from the keys).
type Ranked = (Queue, Vec<i64>);

/// Ranks every account (on the ranking's thread, or here when tests wait for it), and tells the
/// text's thread the order of the rows.
fn rank(store: &Store, settings: &Settings, text: Option<&Sender<RowOrder>>) -> Result<Ranked> {
    let queue = Queue::ranked(store, settings)?;
    if let Some(text) = text {
        let _ = text.send(queue.row_order());
    }
    let heads = queue.heads(KEPT_PER_TAB);
    Ok((queue, heads))
}

/// Every row's text, read and built on another thread.
type Texts = Receiver<Result<Box<RowTexts>>>;

/// Rows whose text is read before the first frame: more than any screen shows.
const FIRST_SCREEN: usize = 200;

/// Accounts kept of each tab a start opens on (see [`Queue::heads`]): more than any screen shows.
const KEPT_PER_TAB: usize = 100;

/// The day opens on what falls due today, when anything does, else on what needs action.
fn opening_tab(queue: &Queue) -> Tab {
    if queue.count(Tab::Today) > 0 {
        Tab::Today
    } else {
        Tab::NeedsAction
    }
}

/// Opens the queue on its opening tab, at the top.
fn open_on_opening_tab(queue: &mut Queue) {
    let tab = opening_tab(queue);
    if tab != queue.tab() {
        queue.set_tab(tab);
    }
    queue.move_by(isize::MIN, 1);
}

#[cfg(test)]
impl Session {
    /// A session for the unit tests: `store` with the shipped configuration, as officer "tester"
    /// on 23/11/2026, its background work done, sized `width`×`height`, on the All tab.
    pub(crate) fn for_tests(store: crate::store::Store, width: u16, height: u16) -> Session {
        let config = crate::config::Config::default_config();
        let settings = Settings::new(
            &config,
            crate::store::tests::d("2026-11-23"),
            "tester",
            store.path().to_path_buf(),
            "config.toml".into(),
        );
        let mut s = Session::new(store, Keymap::new(&config.keys), settings).unwrap();
        s.wait_background();
        s.dispatch(Action::Resize(width, height));
        // Back past Today to All.
        s.keys("[[");
        s
    }
}

impl Session {
    /// Ranks every tenancy, reads the text of the first screenful and opens the first account;
    /// the rest of the text is read, and every plan checked for today, just after the first frame
    /// (see [`Session::poll_background`]).
    pub fn new(mut store: Store, keymap: Keymap, settings: Settings) -> Result<Session> {
        // This run's drafts are its own: another window of the same officer keeps its own.
        store.set_workstation(workstation());
        // A write never freezes the screen for long: it waits briefly, then says so and retries.
        store.set_busy_timeout(settings.write_wait)?;
        // On a team's database the others' writes are heard from before the open account is
        // read (see below); the live connections are made meanwhile, on their own threads.
        let live = store.live_link().map(Live::start);
        let ranking = settings
            .keep_ranking
            .then(|| RankingFile::new(&settings.state_dir, store.path(), &settings.officer));
        // The accounts that headed the queue last time show at once, judged afresh; every
        // account is ranked just after the first frame (see `Session::poll_background`).
        let heads = ranking.as_ref().map(RankingFile::read).unwrap_or_default();
        let mut queue = if heads.is_empty() {
            Queue::ranked(&store, &settings)?
        } else {
            Queue::kept(&store, &settings, &heads)?
        };
        open_on_opening_tab(&mut queue);
        // Drafts the database could not take last time are in the fallback file.
        let file = DraftFile::new(&settings.state_dir, store.path(), &settings.officer);
        let (kept, unreadable) = match file.read() {
            Ok(kept) => (kept, None),
            Err(e) => (vec![], Some(e)),
        };
        let (drafts, kept) = newest(store.drafts(&settings.officer)?, kept);
        // Every row shown first has its text: it may be the only row of a tab for a moment.
        let mut first = if queue.is_provisional() {
            heads
        } else {
            queue.first_ids(FIRST_SCREEN)
        };
        let complete = !queue.is_provisional() && first.len() == queue.total();
        // The accounts of unsaved drafts are named in the offer to carry on with them.
        first.extend(drafts.iter().map(|d| d.tenancy_id));
        queue.attach_text(store.queue_text(&first)?, complete);
        let text_reader = (!complete).then(|| store.text_reader()).transpose()?;
        let (text_order, order_rx) = mpsc::channel();
        if !queue.is_provisional() {
            let _ = text_order.send(queue.row_order());
        }
        let settings_timings = settings.draft_timings;
        let store_on_server = store.server().is_some();
        let read_only = store.is_read_only().then(|| file.path().to_path_buf());
        let mut state = State::new(settings, queue);
        state.read_only = read_only;
        state.now = state.settings.today.and_time(chrono::Local::now().time());
        let mut session = Session {
            state,
            saver: store.draft_saver(file, kept, settings_timings)?,
            store,
            keymap,
            text_order: text_reader.is_some().then_some(text_order),
            text_reader: text_reader.map(|reader| (reader, order_rx)),
            text: None,
            plans: Plans::NotChecked,
            // A team's database keeps its rows by the server's triggers and roles; its chain is
            // checked whole by `caseload verify` (a file is checked at every start).
            integrity: if store_on_server {
                Integrity::Done
            } else {
                Integrity::NotStarted
            },
            background: Background::default(),
            ranking,
            ranking_written: None,
            ranking_read: None,
            live,
            opened: false,
            reader: None,
        };
        if !session.state.queue.is_provisional() {
            session.keep_ranking();
        }
        if !session.state.settings.open_after_first_frame {
            session.open_first_account();
        }
        session.dispatch(Action::DraftsFound(drafts));
        if let Some(e) = unreadable {
            session.dispatch(Action::Failed(format!(
                "Drafts kept outside the database: {e}"
            )));
        }
        Ok(session)
    }

    /// Reads the account the queue opens on, if it was left for just after the first frame
    /// (see [`Settings::open_after_first_frame`]); true if it was.
    pub fn open_first_account(&mut self) -> bool {
        if self.opened {
            return false;
        }
        self.opened = true;
        // On a team's database nothing read from here on can miss another officer's write.
        if let Some(live) = &mut self.live {
            live.wait_listening();
        }
        if let Some(id) = self.state.queue.selected_id() {
            self.run(vec![effects::Effect::LoadAccount {
                tenancy_id: id,
                window: self.state.settings.history_window,
            }]);
        }
        true
    }

    /// From now on the selected account (and who else is on it) is read on a thread and
    /// connection of its own, from a file or a team's database alike, and `wake` is called when
    /// it has been: a key that moves the selection draws at once (the workstation). Until the account comes, the screen shows the queue's row of it, and what
    /// would save against it waits for it.
    pub fn read_accounts_aside(&mut self, wake: Waker) {
        let settings = self.state.settings.clone();
        self.reader = Some(AccountReader::start(self.store.opener(), settings, wake));
    }

    /// Hands the open note's last keystrokes to the draft saver and waits until every draft is in
    /// the database or the fallback file: the end of the program, however it ends. Says where.
    pub fn close(&mut self) -> DraftStatus {
        self.keep_ranking();
        if let Some(writing) = self.ranking_written.take() {
            let _ = writing.join();
        }
        if let Some(editor) = self.state.editor.as_mut().filter(|e| e.dirty) {
            editor.dirty = false;
            self.saver.save(editor.draft(&self.state.settings.officer));
        }
        self.saver.flush()
    }

    /// The state asked to quit: true once every draft is kept somewhere (or the officer chose to
    /// lose what cannot be); otherwise quitting is refused and the state asks again, saying why.
    pub fn ready_to_quit(&mut self) -> bool {
        let status = self.close();
        let unkept = matches!(status, DraftStatus::Unkept { .. });
        self.dispatch(Action::DraftStatus(status));
        if unkept && !self.state.lose_unkept {
            drafts::refuse_quit(&mut self.state);
            return false;
        }
        true
    }

    /// Waits until the drafts handed over are in the database or the file, and takes in where.
    pub fn settle_drafts(&mut self) {
        self.run(vec![effects::Effect::SettleDrafts]);
    }

    /// Whether work is still going on in the background.
    pub fn is_loading(&self) -> bool {
        !self.opened
            || self.state.queue.is_provisional()
            || self.text.is_some()
            || self.text_reader.is_some()
            || !matches!(self.plans, Plans::Checked)
            || !matches!(self.integrity, Integrity::Done)
            || self.background.is_busy()
            || (self.reader.as_ref()).is_some_and(|r| r.reading() || r.hearing())
    }

    /// Sends the reading thread the accounts the last keys asked for, takes in background results
    /// that have arrived, and checks the plans once the first frame is up; true if anything
    /// changed. The workstation calls it once each frame is written, not between a key and its
    /// frame (see `reader`).
    pub fn poll_background(&mut self) -> bool {
        // The account the queue opens on too, asked for here once the queue is on screen.
        let opened = self.open_first_account();
        if let Some(reader) = &mut self.reader {
            reader.send();
        }
        if opened {
            return true;
        }
        // The account the officer is looking at comes before anything else.
        if let Some(read) = self.reader.as_mut().and_then(AccountReader::answer) {
            self.dispatch(read);
            return true;
        }
        self.read_text();
        if let Some(status) = self.saver.status_changed() {
            self.dispatch(Action::DraftStatus(status));
            return true;
        }
        // The rest waits for the whole queue: the plans' changes and the text are for every row.
        if self.state.queue.is_provisional() {
            return self.poll_ranking();
        }
        if self.poll_plans() {
            return true;
        }
        if self.poll_integrity() {
            return true;
        }
        if let Some(heard) = self.live.as_ref().and_then(Live::heard) {
            self.dispatch(heard);
            return true;
        }
        if let Some(done) = self.background.poll() {
            self.dispatch(done);
            return true;
        }
        let Some(rx) = &self.text else { return false };
        match rx.try_recv() {
            Ok(result) => {
                self.text = None;
                self.deliver(result);
                true
            }
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => {
                self.text = None;
                self.dispatch(Action::Failed(
                    "Could not read the caseload's names.".into(),
                ));
                true
            }
        }
    }

    /// Ranks every account on its own thread and connection, started after the first frame,
    /// and puts the whole queue in place of the accounts shown first when it is done (see
    /// [`Queue::kept`]); true if that changed anything.
    fn poll_ranking(&mut self) -> bool {
        let Some(rx) = &self.ranking_read else {
            let (tx, rx) = mpsc::channel();
            let (store, settings) = (self.store.opener(), self.state.settings.clone());
            let text_order = self.text_order.clone();
            super::background::spawn_behind(move || {
                let ranked =
                    (store.open()).and_then(|store| rank(&store, &settings, text_order.as_ref()));
                // Nobody waits for it if the workstation has closed meanwhile.
                let _ = tx.send(ranked);
            });
            self.ranking_read = Some(rx);
            return false;
        };
        let ranked = match rx.try_recv() {
            Err(TryRecvError::Empty) => return false,
            Ok(ranked) => ranked,
            Err(TryRecvError::Disconnected) => Err(crate::store::StoreError::Invalid(
                "the ranking thread stopped".into(),
            )),
        };
        self.ranking_read = None;
        self.take_ranked(ranked);
        true
    }

    /// Puts the whole queue in place of the accounts shown first, keeping the officer's place
    /// (on a start nobody has touched yet, the tab a start opens on), and ranks again the
    /// accounts written to meanwhile, which the whole queue may have been read before.
    fn take_ranked(&mut self, ranked: Result<Ranked>) {
        let (mut queue, heads) = match ranked {
            Ok(ranked) => ranked,
            // Another officer or an import is writing: tried again in a moment.
            Err(e) if e.is_busy() => return,
            Err(e) => {
                // The rows shown stay (they were read afresh), without the rest.
                self.state.queue.settle();
                if let Some(text) = self.text_order.take() {
                    let _ = text.send(self.state.queue.row_order());
                }
                self.dispatch(Action::Failed(format!(
                    "Could not rank every account, only those that headed the queue: {e}"
                )));
                return;
            }
        };
        let mut previous = std::mem::take(&mut self.state.queue);
        let before = previous.selected_id();
        let untouched = previous.selected_index() == 0
            && previous.filter().is_empty()
            && previous.tab() == opening_tab(&previous);
        let written = queue.take_over(&mut previous);
        self.text_order = None;
        if untouched {
            open_on_opening_tab(&mut queue);
        }
        self.state.queue = queue;
        self.keep_heads(heads);
        let mut effects: Vec<_> = written
            .into_iter()
            .map(effects::Effect::RefreshFacts)
            .collect();
        if let Some(id) = (self.state.queue.selected_id()).filter(|id| Some(*id) != before) {
            effects.push(effects::Effect::LoadAccount {
                tenancy_id: id,
                window: self.state.settings.history_window,
            });
        }
        self.run(effects);
    }

    /// Keeps the heads of the queue for the next start (see [`Queue::kept`]), written on a thread
    /// of its own after any earlier write; a file that cannot be written only means the next
    /// start ranks before it shows.
    fn keep_ranking(&mut self) {
        if self.ranking.is_some() && !self.state.queue.is_provisional() {
            self.keep_heads(self.state.queue.heads(KEPT_PER_TAB));
        }
    }

    /// Keeps these heads of the queue for the next start (see [`Session::keep_ranking`]).
    fn keep_heads(&mut self, heads: Vec<i64>) {
        if let Some(file) = &self.ranking {
            let file = file.clone();
            let before = self.ranking_written.take();
            self.ranking_written = Some(super::background::spawn_behind(move || {
                if let Some(before) = before {
                    let _ = before.join();
                }
                let _ = file.write(&heads);
            }));
        }
    }

    /// Checks every active plan for today, on a thread and connection of its own, started after
    /// the first frame (a plan that fell behind since the last run becomes breached), and ranks
    /// again each account whose plan changed once that is done; true if that changed anything.
    fn poll_plans(&mut self) -> bool {
        match &self.plans {
            Plans::NotChecked => {
                let (tx, rx) = mpsc::channel();
                let s = &self.state.settings;
                let (officer, today, tolerance) =
                    (s.officer.clone(), s.today, s.plans.breach_tolerance_days.0);
                let store = self.store.opener();
                super::background::spawn_behind(move || {
                    let checked = store.open().and_then(|mut store| {
                        store.monitor_plans(&officer, today, tolerance, Scope::All)
                    });
                    let _ = tx.send(checked);
                });
                self.plans = Plans::Checking(rx);
                false
            }
            Plans::Checking(rx) => {
                let checked = match rx.try_recv() {
                    Err(TryRecvError::Empty) => return false,
                    Ok(checked) => checked,
                    Err(TryRecvError::Disconnected) => Err(crate::store::StoreError::Invalid(
                        "the check stopped".into(),
                    )),
                };
                self.plans_checked(checked);
                true
            }
            Plans::Checked => false,
        }
    }

    /// Every active plan checked for today here and now (tests and benchmarks settling).
    fn check_plans(&mut self) {
        let s = &self.state.settings;
        let checked = self.store.monitor_plans(
            &s.officer,
            s.today,
            s.plans.breach_tolerance_days.0,
            Scope::All,
        );
        self.plans_checked(checked);
    }

    /// Each account whose plan changed state is ranked again.
    fn plans_checked(&mut self, checked: Result<Vec<PlanChange>>) {
        self.plans = Plans::Checked;
        match checked {
            // Another officer or an import is writing: tried again in a moment.
            Err(e) if e.is_busy() => self.plans = Plans::NotChecked,
            Ok(changes) => {
                let mut ids: Vec<i64> = changes.iter().map(|c| c.tenancy_id).collect();
                ids.sort_unstable();
                ids.dedup();
                // Written on the check's own connection, as a colleague's write is: read aside.
                self.run(ids.into_iter().map(effects::Effect::HeardFacts).collect());
            }
            Err(e) => self.dispatch(Action::Failed(format!("Could not check the plans: {e}"))),
        }
    }

    /// Starts the check that the file was not changed outside caseload, on its own thread and
    /// connection (after the first frame: start is no slower for it), and takes in what it
    /// found; true if that changed anything.
    fn poll_integrity(&mut self) -> bool {
        match &self.integrity {
            Integrity::NotStarted => {
                // Its connection is opened there too: a key is not kept waiting for it.
                let (tx, rx) = mpsc::channel();
                let store = self.store.opener();
                super::background::spawn_behind(move || {
                    let check = store.open().and_then(|store| store.quick_check());
                    tx.send(check.and_then(crate::store::QuickCheck::run))
                });
                self.integrity = Integrity::Running(rx);
                false
            }
            Integrity::Running(rx) => match rx.try_recv() {
                Err(TryRecvError::Empty) => false,
                Err(TryRecvError::Disconnected) => {
                    self.integrity = Integrity::Done;
                    self.integrity_failed("the check stopped");
                    true
                }
                Ok(found) => {
                    self.integrity = Integrity::Done;
                    self.integrity_found(found);
                    true
                }
            },
            Integrity::Done => false,
        }
    }

    fn integrity_found(&mut self, found: Result<Vec<Problem>>) {
        match found {
            Ok(problems) => {
                if let Some(first) = problems.first() {
                    let more = match problems.len() - 1 {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    self.dispatch(Action::Tampered(format!(
                        "Changed outside caseload: {} {}{more}; run caseload verify",
                        first.table, first.row
                    )));
                }
            }
            Err(e) => self.integrity_failed(&e.to_string()),
        }
    }

    fn integrity_failed(&mut self, why: &str) {
        self.dispatch(Action::Failed(format!(
            "Could not check the file for changes made outside caseload: {why}"
        )));
    }

    /// Runs the check at start now, if it has not run, and waits for what it finds (tests). It is
    /// not part of [`Session::wait_background`]: the first check in a process builds this
    /// version's schema in memory to compare with, which would slow every test that settles.
    pub fn wait_integrity(&mut self) {
        self.poll_integrity();
        if let Integrity::Running(rx) = std::mem::replace(&mut self.integrity, Integrity::Done) {
            let found = rx.recv().unwrap_or_else(|_| {
                Err(crate::store::StoreError::Invalid(
                    "the check stopped".into(),
                ))
            });
            self.integrity_found(found);
        }
    }

    /// Waits for background work to finish (tests and benchmarks want a settled state).
    pub fn wait_background(&mut self) {
        self.open_first_account();
        self.wait_account();
        while self.state.queue.is_provisional() {
            let ranked = match self.ranking_read.take() {
                Some(rx) => rx.recv().unwrap_or_else(|_| {
                    Err(crate::store::StoreError::Invalid(
                        "the ranking thread stopped".into(),
                    ))
                }),
                None => rank(&self.store, &self.state.settings, self.text_order.as_ref()),
            };
            self.take_ranked(ranked);
        }
        match std::mem::replace(&mut self.plans, Plans::Checked) {
            Plans::NotChecked => self.check_plans(),
            Plans::Checking(rx) => self.plans_checked(rx.recv().unwrap_or_else(|_| {
                Err(crate::store::StoreError::Invalid(
                    "the check stopped".into(),
                ))
            })),
            Plans::Checked => {}
        }
        self.read_text();
        if let Some(rx) = self.text.take() {
            let result = rx.recv().unwrap_or_else(|_| {
                Err(crate::store::StoreError::Invalid(
                    "the reading thread stopped".into(),
                ))
            });
            self.deliver(result);
        }
        while self.background.is_busy() {
            for done in self.background.wait() {
                self.dispatch(done);
            }
        }
        self.wait_account();
    }

    /// Waits until the selected account asked for has been read, and takes it in (tests).
    pub fn wait_account(&mut self) {
        while let Some(read) = self.reader.as_mut().and_then(AccountReader::wait) {
            self.dispatch(read);
        }
    }

    /// Starts reading every row's text on its own thread and connection: after the first frame,
    /// which it would otherwise compete with (on a team's database, the server too). Each row's
    /// text and the search buffer are built there, and laid out by the rows of the whole queue:
    /// the queue's own, or (while it is provisional) those of the whole queue once ranked.
    fn read_text(&mut self) {
        if let Some((reader, order)) = self.text_reader.take() {
            let (tx, rx) = mpsc::channel();
            super::background::spawn_behind(move || {
                let texts = reader.read_all().map(|read| {
                    let texts = RowTexts::new(read);
                    // Without an order (the workstation closed first) they are laid out as read.
                    Box::new(match order.recv() {
                        Ok(order) => texts.arrange(order),
                        Err(_) => texts,
                    })
                });
                let _ = tx.send(texts);
            });
            self.text = Some(rx);
        }
    }

    fn deliver(&mut self, result: Result<Box<RowTexts>>) {
        self.dispatch(match result {
            Ok(texts) => Action::TextLoaded(texts),
            Err(e) => Action::Failed(format!("Could not read the caseload's names: {e}")),
        });
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn press(&mut self, key: KeyCombo) {
        let action = self.keymap.resolve(self.state.keys(), key);
        self.dispatch(action);
    }

    /// Types a key string (`j`, `<down>`, `<ret>`, `<C-c>`; other text is typed as is).
    pub fn keys(&mut self, keys: &str) {
        for key in parse_keys(keys) {
            self.press(key);
        }
    }

    /// The clock ticks (it is `time`): the call timer moves on, a call back's time may have come, a
    /// write waiting for the database is tried again, and who else is on the account is read
    /// again (aside, when accounts are: its answer comes through [`Session::poll_background`]).
    /// True if what is shown may have changed, without a key (another officer's call gone with
    /// her workstation).
    pub fn tick(&mut self, time: chrono::NaiveTime) -> bool {
        let state = &self.state;
        let waited = state.waiting.is_some();
        let (reminded, writing) = (state.reminded_to, state.writing.clone());
        self.dispatch(Action::Tick(time));
        let state = &self.state;
        waited
            || state.editor.as_ref().is_some_and(|e| e.call().is_some())
            || state.reminded_to != reminded
            || state.writing != writing
    }

    /// Runs an action and every action its effects produce.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run(effects);
    }

    fn run(&mut self, effects: Vec<effects::Effect>) {
        for effect in effects {
            let runtime = effects::Runtime {
                store: &mut self.store,
                saver: &self.saver,
                settings: &self.state.settings,
                background: &mut self.background,
                live: self.live.as_ref(),
                reader: self.reader.as_mut(),
            };
            if let Some(result) = effects::run(effect, runtime) {
                self.dispatch(result);
            }
        }
    }
}

/// A name for this run of the workstation, unlike any other's on the computers sharing the file.
fn workstation() -> String {
    static RUNS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    format!(
        "{}:{}:{}:{run}",
        host.trim(),
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    )
}

/// The drafts to offer: each account's from the database, or from the fallback file where that
/// one is newer (written there because the database could not take it); and those from the file,
/// which are to go back into the database.
fn newest(mut drafts: Vec<Draft>, kept: Vec<Draft>) -> (Vec<Draft>, Vec<Draft>) {
    let mut newer = Vec::new();
    for draft in kept {
        // The same draft: its account and workstation (a file from before names none).
        let same = |d: &&mut Draft| {
            d.tenancy_id == draft.tenancy_id
                && (draft.workstation.is_empty() || d.workstation == draft.workstation)
        };
        match drafts.iter_mut().find(same) {
            Some(d) if d.saved_at >= draft.saved_at => continue,
            Some(d) => *d = draft.clone(),
            None => drafts.push(draft.clone()),
        }
        newer.push(draft);
    }
    (drafts, newer)
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
