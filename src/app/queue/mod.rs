//! The queue as the officer works it: a compact row for every tenancy held in memory, ranked by
//! what the policy recommends, split into tabs, filtered as you type. Rows are ranked from their
//! facts; their text (reference, names, address, phones) arrives for the rows on screen first and
//! for the rest just after.

pub mod diary;
mod filters;
mod item;
mod rank;
mod search;
mod texts;

pub use filters::Filters;
pub use item::{CHASE_PROMISE, ItemText, QueueItem};
pub use rank::RankKey;
pub use texts::{RowOrder, RowTexts};

use crate::domain::policy::Recommendation;
use crate::domain::promise::PromiseState;
use crate::store::QueueText;
use chrono::{Days, NaiveDate, NaiveDateTime};
use memchr::memmem::Finder;
use search::SearchText;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers each queue built, so texts laid out by one queue's rows are known for its own.
static QUEUES: AtomicU64 = AtomicU64::new(1);

/// The queue's tabs: the officer's day in six views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// What falls due today: call backs, hearings, promises, instalments, notices about to lapse,
    /// pauses and snoozes ending (see [`diary`]).
    Today,
    /// Something is recommended, or a promise was broken and not chased on an account that owes
    /// and is not paused, snoozed or in a breathing space; and the account is not snoozed.
    #[default]
    NeedsAction,
    /// A plan is live or breached, or a promise is due or was broken.
    PromisesPlans,
    /// A notice or court stage: hearings this week, notices about to lapse, orders.
    NoticesCourt,
    /// Paused or snoozed, the soonest to resume first.
    Paused,
    All,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Today,
        Tab::NeedsAction,
        Tab::PromisesPlans,
        Tab::NoticesCourt,
        Tab::Paused,
        Tab::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::NeedsAction => "Needs action",
            Tab::PromisesPlans => "Promises & plans",
            Tab::NoticesCourt => "Notices & court",
            Tab::Paused => "Paused",
            Tab::All => "All",
        }
    }

    /// Its name where the full names do not fit.
    pub fn short(self) -> &'static str {
        match self {
            Tab::NeedsAction => "Action",
            Tab::PromisesPlans => "Promises",
            Tab::NoticesCourt => "Court",
            other => other.label(),
        }
    }

    /// Its bit in a row's tab membership.
    fn bit(self) -> u8 {
        1 << Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn holds(self, item: &QueueItem, today: NaiveDate) -> bool {
        match self {
            Tab::Today => !item.due.is_empty(),
            Tab::NeedsAction => {
                (item.decision.recommendation != Recommendation::NoAction
                    || item.promise_to_chase(today).is_some())
                    && item.snoozed_until.is_none_or(|until| until < today)
            }
            Tab::PromisesPlans => {
                item.plan_state.is_some_and(|s| s.is_active())
                    || item
                        .promise
                        .is_some_and(|p| p.state == PromiseState::Pending)
                    || item.broken_promise(today).is_some()
            }
            Tab::NoticesCourt => {
                item.stage >= crate::domain::policy::Stage::Notice
                    || item.hearing_within(today, 7)
                    || item
                        .notice_lapses
                        .is_some_and(|l| l >= today && l <= today + Days::new(28))
            }
            Tab::Paused => item.resumes(today).is_some(),
            Tab::All => true,
        }
    }
}

/// `100004` is the stem of `100004/1`: the reference, then a separator and its suffix.
fn is_stem_of(stem: &str, reference: &str) -> bool {
    !stem.is_empty()
        && reference
            .strip_prefix(stem)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_alphanumeric())
}

/// Puts `rows` (ranked) in the order `tab` shows them. Each row's key is read once: a tab can hold
/// thousands of rows, and this runs after every write and every key of a search.
fn in_tab_order(items: &[QueueItem], tab: Tab, today: NaiveDate, rows: &mut [usize]) {
    match tab {
        Tab::Paused => rows.sort_by_cached_key(|&i| items[i].resumes(today)),
        // The day in its order: call backs by their time, then hearings, promises...
        Tab::Today => rows.sort_by_cached_key(|&i| items[i].due.first().map(diary::Due::order)),
        _ => {}
    }
}

/// How many rows hold each tab's bit.
fn tally(members: impl IntoIterator<Item = u8>) -> [usize; 6] {
    let mut counts = [0; 6];
    for bits in members {
        for (i, count) in counts.iter_mut().enumerate() {
            *count += usize::from(bits >> i & 1);
        }
    }
    counts
}

/// Where each tenancy sits in a queue's rows: (tenancy, row) in tenancy order, found by binary
/// search. A whole queue's rows come in tenancy order, so it is built in one pass (a hash map of
/// 50,000 took a few milliseconds of every re-rank, on one core).
#[derive(Clone, Debug, Default)]
struct RowIndex(Vec<(i64, usize)>);

impl RowIndex {
    fn new(items: &[QueueItem]) -> RowIndex {
        let mut rows: Vec<(i64, usize)> = (items.iter().enumerate())
            .map(|(i, item)| (item.tenancy_id, i))
            .collect();
        // Already in order unless the rows were given in another (a start's kept accounts): then
        // sorted, once.
        rows.sort_unstable();
        RowIndex(rows)
    }

    fn get(&self, tenancy_id: &i64) -> Option<&usize> {
        let at = (self.0.binary_search_by_key(tenancy_id, |&(id, _)| id)).ok()?;
        Some(&self.0[at].1)
    }
}

/// Finding a reference can fail because it does not exist, or because text is still loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Selected(i64),
    /// Several references have that stem (see [`Queue::references_from`]).
    Several,
    NoSuchReference,
    StillLoading,
}

#[derive(Clone, Debug, Default)]
pub struct Queue {
    items: Vec<QueueItem>,
    /// Where each tenancy sits in `items`.
    index: RowIndex,
    /// Indices into `items`, most to do first.
    ranked: Vec<usize>,
    /// Each row's tabs under the structured filters, a bit per tab (see [`Tab::bit`]).
    member: Vec<u8>,
    /// The ranked indices that pass the filters, in any tab.
    matching: Vec<usize>,
    /// The ranked indices in the current tab that pass the filters.
    visible: Vec<usize>,
    rank_by: Vec<RankKey>,
    today: NaiveDate,
    tab: Tab,
    counts: [usize; 6],
    /// How many rows of each tab pass the `/` filter.
    found: [usize; 6],
    filters: Filters,
    filter: String,
    selected: usize,
    offset: usize,
    /// Every row has its text.
    text_complete: bool,
    /// An account kept in the list though it no longer belongs (the tenant is still on the
    /// phone), until the selection moves off it.
    pinned: Option<i64>,
    /// Only the accounts that headed the queue last time are here, judged afresh, while every
    /// account is being ranked: the counts are not known yet (see [`Queue::kept`]).
    provisional: bool,
    /// The accounts written to while provisional, to rank again in the whole queue.
    written: Vec<i64>,
    /// What the `/` search looks in, by row.
    search: SearchText,
    /// This queue's number (see [`RowOrder`]): its rows keep their places for its life.
    number: u64,
    /// Every call back still to make, by its time: the clock asks which have come every tick.
    call_backs: BTreeSet<(NaiveDateTime, i64)>,
}

impl Queue {
    pub fn new(items: Vec<QueueItem>, rank_by: Vec<RankKey>, today: NaiveDate) -> Queue {
        let mut queue = Queue {
            index: RowIndex::new(&items),
            text_complete: items.iter().all(|i| i.text.is_some()),
            search: SearchText::new(items.len()),
            call_backs: (items.iter())
                .filter_map(|i| Some((i.call_back?, i.tenancy_id)))
                .collect(),
            number: QUEUES.fetch_add(1, Ordering::Relaxed),
            items,
            rank_by,
            today,
            ..Queue::default()
        };
        queue.rerank(None);
        queue
    }

    /// The whole queue read at once, text and all, each plan judged for today as the
    /// workstation judges it on opening (for the command line; the workstation reads text in the
    /// background and records the plans' changes instead).
    pub fn read(
        store: &impl crate::store::QueueSource,
        settings: &super::state::Settings,
    ) -> crate::store::Result<Queue> {
        let judged = store.judge_plans(
            settings.today,
            settings.plans.breach_tolerance_days.0,
            crate::store::Scope::All,
        )?;
        let mut queue = Queue::judged(store, settings, |f| f.judge_plan(&judged, settings.today))?;
        queue.attach_text(store.queue_texts()?, true);
        Ok(queue)
    }

    /// Every tenancy judged by the policy and ranked, before any text is read.
    pub fn ranked(
        store: &crate::store::Store,
        settings: &super::state::Settings,
    ) -> crate::store::Result<Queue> {
        Queue::judged(store, settings, |_| {})
    }

    /// The accounts `tenancy_ids` only (those that headed the queue when it was last ranked),
    /// each judged from its facts as they are now and ranked among themselves, to show while
    /// every account is ranked: nothing on screen is older than the database, only the choice of
    /// rows is, until [`Queue::take_over`] puts the whole queue in its place.
    pub fn kept(
        store: &crate::store::Store,
        settings: &super::state::Settings,
        tenancy_ids: &[i64],
    ) -> crate::store::Result<Queue> {
        let (judging, working) = (settings.judging(), settings.working_days());
        let mut facts: std::collections::HashMap<i64, _> =
            (store.queue_facts_of_each(tenancy_ids, judging)?.into_iter())
                .map(|f| (f.tenancy_id, f))
                .collect();
        let items = (tenancy_ids.iter())
            .filter_map(|id| facts.remove(id))
            .map(|f| QueueItem::new(f, judging, working, &settings.policy))
            .collect();
        let mut queue = Queue::new(items, settings.rank_by.clone(), settings.today);
        queue.provisional = true;
        queue.text_complete = false;
        Ok(queue)
    }

    /// Only the accounts that headed the queue last time are here (see [`Queue::kept`]).
    pub fn is_provisional(&self) -> bool {
        self.provisional
    }

    /// Stops waiting for the whole queue: these rows are all there will be.
    pub fn settle(&mut self) {
        self.provisional = false;
    }

    /// The accounts that head Today and Needs action (the tabs a start opens on), `n` of each,
    /// to keep for the next start (see [`Queue::kept`]).
    pub fn heads(&self, n: usize) -> Vec<i64> {
        let mut ids = Vec::with_capacity(2 * n);
        for tab in [Tab::Today, Tab::NeedsAction] {
            let bit = tab.bit();
            let mut rows: Vec<usize> = (self.ranked.iter().copied())
                .filter(|&i| self.member[i] & bit != 0)
                .collect();
            in_tab_order(&self.items, tab, self.today, &mut rows);
            ids.extend(rows.iter().take(n).map(|&i| self.items[i].tenancy_id));
        }
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(*id));
        ids
    }

    /// Takes the place of a provisional queue (see [`Queue::kept`]): the officer's tab, filters,
    /// search and selected account carry over, and the text already read for its rows where this
    /// queue has none. Returns the accounts written to meanwhile, whose facts this queue may have
    /// been read before. What is left of `previous` is the caller's to drop (a whole queue is
    /// dropped away from the keys).
    pub fn take_over(&mut self, previous: &mut Queue) -> Vec<i64> {
        let keep = previous.selected_id();
        if !self.text_complete {
            for (was, item) in previous.items.iter_mut().enumerate() {
                let Some(&i) = self.index.get(&item.tenancy_id) else {
                    continue;
                };
                if self.items[i].text.is_none()
                    && let Some(text) = item.text.take()
                {
                    self.items[i].text = Some(text);
                    if let Some(search) = previous.search.get(was) {
                        self.search.set(i, search);
                    }
                }
            }
            self.text_complete = self.items.iter().all(|i| i.text.is_some());
        }
        if previous.filters != self.filters {
            self.filters = std::mem::take(&mut previous.filters);
            self.recount();
        }
        self.filter = std::mem::take(&mut previous.filter);
        self.tab = previous.tab;
        self.selected = previous.selected;
        self.offset = previous.offset;
        self.pinned = previous.pinned;
        self.rebuild_visible(keep);
        std::mem::take(&mut previous.written)
    }

    /// Every tenancy's facts, `adjust`ed, judged by the policy and ranked: each part of the
    /// caseload judged on the thread that read it (at start-up the policy is a third of the work).
    fn judged(
        store: &impl crate::store::QueueSource,
        settings: &super::state::Settings,
        adjust: impl Fn(&mut crate::store::QueueFacts) + Sync,
    ) -> crate::store::Result<Queue> {
        let (judging, working) = (settings.judging(), settings.working_days());
        let policy = &settings.policy;
        let parts = store.queue_facts_in_parts(judging, |facts| {
            let mut items = Vec::with_capacity(facts.size_hint().1.unwrap_or(0));
            items.extend(facts.map(|mut f| {
                adjust(&mut f);
                QueueItem::new(f, judging, working, policy)
            }));
            items
        })?;
        let items = crate::parallel::concat(parts);
        Ok(Queue::new(items, settings.rank_by.clone(), settings.today))
    }

    fn rerank(&mut self, keep: Option<i64>) {
        self.ranked = rank::rank(&self.items, &self.rank_by, self.today);
        self.recount();
        self.rebuild_visible(keep);
    }

    /// Each tab's count under the structured filters (not the `/` search).
    fn recount(&mut self) {
        self.member = crate::parallel::map_in_parts(&self.items, |_, i| self.tab_membership(i));
        self.counts = tally(self.member.iter().copied());
    }

    /// The rows of the current tab that pass the filter, keeping `keep` selected if it is still
    /// there, or else the same place in the list.
    fn rebuild_visible(&mut self, keep: Option<i64>) {
        if keep != self.pinned {
            self.pinned = None;
        }
        let words: Vec<Finder<'_>> = self.filter.split_whitespace().map(Finder::new).collect();
        let found = (!words.is_empty()).then(|| self.search.matching(&words));
        let (member, all) = (&self.member, Tab::All.bit());
        self.matching = self
            .ranked
            .iter()
            .copied()
            .filter(|&i| member[i] & all != 0 && found.as_ref().is_none_or(|f| f[i]))
            .collect();
        self.show_tab(keep);
    }

    /// The current tab's rows among those that match (and the pinned account, wherever it is),
    /// and how many match in each tab.
    fn show_tab(&mut self, keep: Option<i64>) {
        let (items, member, today) = (&self.items, &self.member, self.today);
        self.found = tally(self.matching.iter().map(|&i| member[i]));
        let bit = self.tab.bit();
        let pinned = self.pinned.and_then(|id| self.index.get(&id).copied());
        self.visible = self
            .matching
            .iter()
            .copied()
            .filter(|&i| member[i] & bit != 0 && Some(i) != pinned)
            .collect();
        if let Some(p) = pinned {
            let rank = |i: usize| rank::sort_key(&items[i], i, &self.rank_by, today);
            let at = self.visible.partition_point(|&i| rank(i) < rank(p));
            self.visible.insert(at, p);
        }
        in_tab_order(items, self.tab, today, &mut self.visible);
        self.selected = match keep.and_then(|id| self.position_of(id)) {
            Some(position) => position,
            None => self.selected.min(self.visible.len().saturating_sub(1)),
        };
    }

    /// The ids of the first `n` rows of the tab, whose text the first screen needs.
    pub fn first_ids(&self, n: usize) -> Vec<i64> {
        self.visible
            .iter()
            .take(n)
            .map(|&i| self.items[i].tenancy_id)
            .collect()
    }

    /// The order of this queue's rows, for texts read elsewhere to be laid out by (see
    /// [`Queue::take_texts`]).
    pub fn row_order(&self) -> RowOrder {
        RowOrder {
            queue: self.number,
            ids: self.items.iter().map(|i| i.tenancy_id).collect(),
        }
    }

    /// Attaches text to rows; `complete` says every row now has it. A filter typed before the
    /// text arrived is applied again, so no row is missed.
    pub fn attach_text(&mut self, texts: Vec<QueueText>, complete: bool) {
        for text in texts {
            if let Some(&i) = self.index.get(&text.tenancy_id) {
                let (text, search) = ItemText::new(text);
                self.search.set(i, search.as_bytes());
                self.items[i].text = Some(Box::new(text));
            }
        }
        self.texts_attached(complete);
    }

    /// Attaches every row's text as [`Queue::attach_text`] does, built elsewhere: laid out by
    /// this queue's rows, each row's text is moved in and the search buffer swapped whole. A row
    /// the texts have none for keeps what it had.
    pub fn take_texts(&mut self, texts: RowTexts, complete: bool) {
        let RowTexts {
            queue,
            ids,
            texts,
            mut search,
        } = texts;
        if queue == Some(self.number) {
            for (row, text) in texts.into_iter().enumerate() {
                match text {
                    Some(text) => self.items[row].text = Some(text),
                    None => {
                        if let Some(kept) = self.search.get(row) {
                            search.set(row, kept);
                        }
                    }
                }
            }
            self.search = search;
        } else {
            // Laid out for another queue (this one took its place meanwhile): row by row.
            for (was, (id, text)) in ids.iter().zip(texts).enumerate() {
                if let (Some(&i), Some(text)) = (self.index.get(id), text) {
                    self.items[i].text = Some(text);
                    self.search.set(i, search.get(was).unwrap_or_default());
                }
            }
        }
        self.texts_attached(complete);
    }

    fn texts_attached(&mut self, complete: bool) {
        self.text_complete = complete;
        // The patch and officer filters read the text: counts taken before it came are redone.
        let by_text = self.filters != Filters::default();
        if by_text {
            self.recount();
        }
        if by_text || !self.filter.is_empty() {
            let keep = self.selected_id();
            self.rebuild_visible(keep);
        }
    }

    /// Puts a freshly derived row in place of the old one and re-ranks. The officer keeps their
    /// place: the selection stays on the same row of the list, which is now the next account if
    /// this one has left the tab.
    pub fn refresh(&mut self, mut item: QueueItem) {
        if self.provisional {
            self.written.push(item.tenancy_id);
        }
        let Some(&i) = self.index.get(&item.tenancy_id) else {
            return;
        };
        // Only this row moves: out of its old place and into its new one by binary search, and
        // the tab counts adjusted, rather than ranking every account again after each write.
        // Where it counted is read while it still has its text (the patch and officer filters
        // read the text).
        let at = self.place_of(i);
        if let Some(was) = self.items[i].call_back {
            self.call_backs.remove(&(was, item.tenancy_id));
        }
        if let Some(is) = item.call_back {
            self.call_backs.insert((is, item.tenancy_id));
        }
        item.text = self.items[i].text.take();
        self.items[i] = item;
        let (was, is) = (self.member[i], self.tab_membership(&self.items[i]));
        self.member[i] = is;
        for ((count, was), is) in self.counts.iter_mut().zip(tally([was])).zip(tally([is])) {
            *count = (*count + is).saturating_sub(was);
        }
        match at {
            Ok(at) => {
                self.ranked.remove(at);
                let to = self.place_of(i).unwrap_or_else(|to| to);
                self.ranked.insert(to, i);
            }
            // Not where its key says (the order was not built from these keys): rank everything.
            Err(_) => {
                self.ranked = rank::rank(&self.items, &self.rank_by, self.today);
                self.recount();
            }
        }
        let keep = self.selected_id().filter(|id| {
            self.index.get(id).is_some_and(|&i| {
                self.pinned == Some(*id) || self.tab.holds(&self.items[i], self.today)
            })
        });
        self.rebuild_visible(keep);
    }

    /// The call backs still to make whose time is within `from` (not included) and `to`, in
    /// order: those whose time has come since the clock last looked.
    pub fn call_backs_within(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> impl Iterator<Item = (NaiveDateTime, i64)> + '_ {
        use std::ops::Bound::{Excluded, Included};
        (from < to)
            .then(|| {
                (self.call_backs).range((Excluded((from, i64::MAX)), Included((to, i64::MAX))))
            })
            .into_iter()
            .flatten()
            .copied()
    }

    /// Where row `i` sits in the ranked order by its current key (`Err`: where it would go).
    fn place_of(&self, i: usize) -> Result<usize, usize> {
        let key = |r: usize| rank::sort_key(&self.items[r], r, &self.rank_by, self.today);
        let wanted = key(i);
        self.ranked.binary_search_by_key(&wanted, |&r| key(r))
    }

    /// Which tabs a row counts in, under the structured filters, a bit per tab.
    fn tab_membership(&self, item: &QueueItem) -> u8 {
        if !self.filters.holds(item) {
            return 0;
        }
        Tab::ALL
            .iter()
            .filter(|tab| tab.holds(item, self.today))
            .fold(0, |bits, tab| bits | tab.bit())
    }

    /// Keeps the selected account in the list, wherever a write moves it, until the selection
    /// moves off it: during a call the officer stays on the tenant they are talking to.
    pub fn pin_selected(&mut self) {
        self.pinned = self.selected_id();
    }

    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// Sets one structured filter by name (see [`Filters::set`]).
    pub fn set_filter_by_name(&mut self, name: &str, value: &str) -> Option<Result<(), String>> {
        let mut filters = self.filters.clone();
        let result = filters.set(name, value)?;
        if result.is_ok() {
            self.apply_filters(filters);
        }
        Some(result)
    }

    pub fn apply_filters(&mut self, filters: Filters) {
        let keep = self.selected_id();
        self.filters = filters;
        self.recount();
        self.selected = 0;
        self.offset = 0;
        self.rebuild_visible(keep);
    }

    /// Every row, in no particular order.
    pub fn rows(&self) -> impl Iterator<Item = &QueueItem> {
        self.items.iter()
    }

    /// Every account the structured filters (`:patch`, `:officer`...) hold, most to do first,
    /// whatever the tab or the `/` search.
    pub fn filtered(&self) -> impl Iterator<Item = &QueueItem> {
        self.ranked
            .iter()
            .map(|&i| &self.items[i])
            .filter(|item| self.filters.holds(item))
    }

    /// Every account the filters and the `/` search show, in every tab, most to do first.
    pub fn matching_ids(&self) -> Vec<i64> {
        (self.matching.iter())
            .map(|&i| self.items[i].tenancy_id)
            .collect()
    }

    pub fn item(&self, tenancy_id: i64) -> Option<&QueueItem> {
        self.index.get(&tenancy_id).map(|&i| &self.items[i])
    }

    pub fn text_complete(&self) -> bool {
        self.text_complete
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// How many accounts each tab holds, before any filter.
    pub fn count(&self, tab: Tab) -> usize {
        self.counts[Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0)]
    }

    /// How many accounts of a tab match the `/` filter.
    pub fn found(&self, tab: Tab) -> usize {
        self.found[Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0)]
    }

    /// Where else the `/` filter's matches are: the first other tab with any (All last).
    pub fn elsewhere(&self) -> Option<Tab> {
        if self.filter.is_empty() {
            return None;
        }
        Tab::ALL
            .into_iter()
            .filter(|t| *t != self.tab && *t != Tab::All)
            .chain([Tab::All])
            .find(|t| *t != self.tab && self.found(*t) > 0)
    }

    pub fn set_tab(&mut self, tab: Tab) {
        let keep = self.selected_id();
        self.tab = tab;
        self.selected = 0;
        self.offset = 0;
        if keep != self.pinned {
            self.pinned = None;
        }
        self.show_tab(keep);
    }

    pub fn total(&self) -> usize {
        self.items.len()
    }

    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn selected(&self) -> Option<&QueueItem> {
        self.visible.get(self.selected).map(|&i| &self.items[i])
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.selected().map(|item| item.tenancy_id)
    }

    /// The visible rows from `offset`, at most `height` of them.
    pub fn window(&self, height: usize) -> impl Iterator<Item = (usize, &QueueItem)> {
        self.visible
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(row, &i)| (row, &self.items[i]))
    }

    /// Applies a filter, narrowing the current rows when the new filter only adds to the old one.
    /// Keeps the selected account selected when it still matches.
    pub fn set_filter(&mut self, text: &str) {
        let text = text.trim().to_lowercase();
        if text == self.filter {
            return;
        }
        let keep = self.selected_id();
        let narrowing = !self.filter.is_empty() && text.starts_with(&self.filter);
        let before = std::mem::replace(&mut self.filter, text);
        if narrowing {
            // Every row left holds the words typed before: only the words that are new or
            // longer need looking for.
            let mut was = before.split_whitespace();
            let words: Vec<Finder<'_>> = self
                .filter
                .split_whitespace()
                .filter(|word| was.next() != Some(*word))
                .map(Finder::new)
                .collect();
            let search = &self.search;
            // Few rows left: each is looked at; many: one pass along all the text is quicker.
            if self.matching.len() < self.items.len() / 8 {
                self.matching.retain(|&i| search.row_matches(i, &words));
            } else {
                let found = search.matching(&words);
                self.matching.retain(|&i| found[i]);
            }
            self.selected = 0;
            self.show_tab(keep);
        } else {
            self.selected = 0;
            self.rebuild_visible(keep);
        }
        self.offset = 0;
    }

    fn position_of(&self, tenancy_id: i64) -> Option<usize> {
        self.visible
            .iter()
            .position(|&i| self.items[i].tenancy_id == tenancy_id)
    }

    /// Moves the selection by `delta` rows, clamped; returns whether it moved.
    pub fn move_by(&mut self, delta: isize, height: usize) -> bool {
        let last = self.visible.len().saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        let moved = target != self.selected;
        self.selected = target;
        if moved && self.pinned.is_some() {
            // Off the pinned account: it leaves the list if it no longer belongs there.
            self.rebuild_visible(self.selected_id());
        }
        self.keep_visible(height);
        moved
    }

    /// Selects a tenancy by reference, switching to the All tab and clearing the filter if either
    /// hides it. A reference without its suffix (`100004` for `100004/1`) will do when only one
    /// tenancy has it.
    pub fn select_reference(&mut self, reference: &str, height: usize) -> Found {
        // References are exact: `abc1` and `ABC1` can be two tenancies.
        let wanted = reference.trim();
        let texts = || {
            self.items
                .iter()
                .filter_map(|i| Some((i.tenancy_id, i.text.as_deref()?)))
        };
        let exact = texts().find(|(_, t)| t.reference == wanted);
        let found = match exact {
            Some((id, _)) => Some(id),
            None => {
                let mut stems = texts().filter(|(_, t)| is_stem_of(wanted, &t.reference));
                match (stems.next(), stems.next()) {
                    (Some((id, _)), None) => Some(id),
                    (Some(_), Some(_)) => return Found::Several,
                    _ => None,
                }
            }
        };
        let Some(id) = found else {
            return if self.text_complete {
                Found::NoSuchReference
            } else {
                Found::StillLoading
            };
        };
        self.select_id(id, height);
        Found::Selected(id)
    }

    /// The references that begin with `stem` and a suffix, for when there are several.
    pub fn references_from(&self, stem: &str) -> Vec<&str> {
        let mut refs: Vec<&str> = self
            .items
            .iter()
            .filter_map(|i| i.text.as_deref())
            .map(|t| t.reference.as_str())
            .filter(|r| is_stem_of(stem.trim(), r))
            .collect();
        refs.sort_unstable();
        refs
    }

    /// A reference that differs from `reference` only in case, to suggest when there is none.
    pub fn reference_like(&self, reference: &str) -> Option<&str> {
        let wanted = reference.trim();
        self.items
            .iter()
            .filter_map(|item| item.text.as_ref())
            .map(|t| t.reference.as_str())
            .find(|r| r.eq_ignore_ascii_case(wanted))
    }

    /// Selects a tenancy, switching to the All tab and clearing the filter if either hides it.
    pub fn select_id(&mut self, id: i64, height: usize) {
        if self.position_of(id).is_none() {
            self.filter.clear();
            self.tab = Tab::All;
            self.rebuild_visible(Some(id));
        }
        if let Some(position) = self.position_of(id) {
            self.selected = position;
        }
        self.keep_visible(height);
    }

    /// Keeps the selected row inside a viewport of `height` rows, scrolling as little as possible.
    pub fn keep_visible(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }
}

#[cfg(test)]
mod tests;
