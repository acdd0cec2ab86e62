//! The queue as the officer works it: a compact row for every tenancy held in memory, ranked, with a
//! filter typed as you go. Rows are ranked from their facts; their text (reference, names,
//! address, phones) arrives for the rows on screen first and for the rest just after.

use crate::domain::Money;
use crate::domain::arrears::{self, Arrears};
use crate::domain::tenancy::{self, Flags};
use crate::store::{QueueFacts, QueueText};
use chrono::NaiveDate;
use memchr::memmem::Finder;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub tenancy_id: i64,
    pub weekly_charge: Money,
    pub arrears: Arrears,
    pub weeks: Option<Decimal>,
    pub other_debts: Money,
    pub former: bool,
    pub flags: Flags,
    /// A breathing space is in force today.
    pub breathing_space: bool,
    pub stage: String,
    pub next_action: String,
    pub reason: String,
    /// Display and search text; `None` until it has been read.
    pub text: Option<Box<ItemText>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemText {
    pub reference: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub patch: Arc<str>,
    pub officer: Arc<str>,
    /// Lower-case reference, names, address, postcode and phones (postcode and phones also
    /// without spaces, so `07700900123` finds `07700 900123`).
    haystack: Box<str>,
}

impl ItemText {
    pub fn new(text: QueueText) -> ItemText {
        let name = tenancy::names(text.people().map(|p| (p.first, p.last)));
        let mut haystack = String::with_capacity(160);
        let mut add = |part: &str, squeezed: bool| {
            haystack.push(' ');
            push_lower(&mut haystack, part.chars());
            if squeezed {
                haystack.push(' ');
                push_lower(&mut haystack, part.chars().filter(|c| !c.is_whitespace()));
            }
        };
        add(&text.reference, false);
        add(&name, false);
        add(&text.address, false);
        add(&text.postcode, true);
        for person in text.people() {
            for phone in person.phones.into_iter().filter(|p| !p.is_empty()) {
                add(phone, true);
            }
        }
        ItemText {
            haystack: haystack.into_boxed_str(),
            name,
            reference: text.reference,
            address: text.address,
            postcode: text.postcode,
            patch: text.patch,
            officer: text.officer,
        }
    }
}

/// Lower-cases as the filter does, with a fast path for the ASCII that almost all text is.
fn push_lower(out: &mut String, chars: impl Iterator<Item = char>) {
    for c in chars {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

impl QueueItem {
    pub fn new(facts: QueueFacts, today: NaiveDate, grace: bool) -> QueueItem {
        let arrears = facts
            .rent
            .position(facts.weekly_charge, today)
            .arrears(grace);
        QueueItem {
            tenancy_id: facts.tenancy_id,
            weekly_charge: facts.weekly_charge,
            weeks: arrears::weeks(arrears.balance, facts.weekly_charge),
            arrears,
            other_debts: facts.other_debts,
            former: facts.end.is_some_and(|end| end < today),
            breathing_space: facts.flags.in_breathing_space(today).is_some(),
            flags: facts.flags,
            stage: String::new(),
            next_action: String::new(),
            reason: String::new(),
            text: None,
        }
    }

    pub fn reference(&self) -> &str {
        self.text.as_ref().map_or("…", |t| t.reference.as_str())
    }

    pub fn name(&self) -> &str {
        self.text.as_ref().map_or("", |t| t.name.as_str())
    }

    /// Flags as letters, so they read without colour: V vulnerable, B breathing space in force,
    /// U Universal Credit, H Housing Benefit, F former tenant, D deceased.
    pub fn flag_letters(&self) -> String {
        let f = &self.flags;
        [
            (f.vulnerable, 'V'),
            (self.breathing_space, 'B'),
            (f.universal_credit, 'U'),
            (f.housing_benefit, 'H'),
            (self.former, 'F'),
            (f.deceased, 'D'),
        ]
        .iter()
        .filter_map(|(on, c)| on.then_some(*c))
        .collect()
    }

    /// True when every word of the (lower-case) filter appears somewhere in the row's text.
    fn matches(&self, words: &[Finder<'_>]) -> bool {
        words.is_empty()
            || self.text.as_ref().is_some_and(|t| {
                words
                    .iter()
                    .all(|w| w.find(t.haystack.as_bytes()).is_some())
            })
    }
}

/// Finding a reference can fail because it does not exist, or because text is still loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Selected(i64),
    NoSuchReference,
    StillLoading,
}

#[derive(Clone, Debug, Default)]
pub struct Queue {
    items: Vec<QueueItem>,
    /// Where each tenancy sits in `items`.
    index: HashMap<i64, usize>,
    /// Indices into `items`, most to do first.
    ranked: Vec<usize>,
    /// The ranked indices that pass the filter.
    visible: Vec<usize>,
    filter: String,
    selected: usize,
    offset: usize,
    /// Every row has its text.
    text_complete: bool,
}

impl Queue {
    pub fn new(items: Vec<QueueItem>) -> Queue {
        let ranked = rank(&items);
        let index = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.tenancy_id, i))
            .collect();
        Queue {
            visible: ranked.clone(),
            ranked,
            index,
            text_complete: items.iter().all(|i| i.text.is_some()),
            items,
            ..Queue::default()
        }
    }

    /// The ids of the first `n` rows in rank order, whose text the first screen needs.
    pub fn first_ids(&self, n: usize) -> Vec<i64> {
        self.ranked
            .iter()
            .take(n)
            .map(|&i| self.items[i].tenancy_id)
            .collect()
    }

    /// Attaches text to rows; `complete` says every row now has it. A filter typed before the
    /// text arrived is applied again, so no row is missed.
    pub fn attach_text(&mut self, texts: Vec<QueueText>, complete: bool) {
        for text in texts {
            if let Some(&i) = self.index.get(&text.tenancy_id) {
                self.items[i].text = Some(Box::new(ItemText::new(text)));
            }
        }
        self.text_complete = complete;
        if !self.filter.is_empty() {
            let filter = std::mem::take(&mut self.filter);
            self.set_filter(&filter);
        }
    }

    pub fn text_complete(&self) -> bool {
        self.text_complete
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
        let words: Vec<Finder<'_>> = text.split_whitespace().map(Finder::new).collect();
        let items = &self.items;
        if !self.filter.is_empty() && text.starts_with(&self.filter) {
            self.visible.retain(|&i| items[i].matches(&words));
        } else {
            self.visible = self
                .ranked
                .iter()
                .copied()
                .filter(|&i| items[i].matches(&words))
                .collect();
        }
        self.filter = text;
        self.selected = keep.and_then(|id| self.position_of(id)).unwrap_or(0);
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
        self.keep_visible(height);
        moved
    }

    /// Selects a tenancy by reference (case-insensitive), clearing the filter if it hides it.
    pub fn select_reference(&mut self, reference: &str, height: usize) -> Found {
        let wanted = reference.trim();
        let found = self.items.iter().find(|item| {
            item.text
                .as_ref()
                .is_some_and(|t| t.reference.eq_ignore_ascii_case(wanted))
        });
        let Some(id) = found.map(|item| item.tenancy_id) else {
            return if self.text_complete {
                Found::NoSuchReference
            } else {
                Found::StillLoading
            };
        };
        if self.position_of(id).is_none() {
            self.set_filter("");
        }
        if let Some(position) = self.position_of(id) {
            self.selected = position;
        }
        self.keep_visible(height);
        Found::Selected(id)
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

/// Most to do first: for now, the deepest effective arrears. Sorts indices on integer keys
/// computed once, not the rows themselves.
fn rank(items: &[QueueItem]) -> Vec<usize> {
    let mut keyed: Vec<(i64, i64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (-item.arrears.effective.pence(), item.tenancy_id, i))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, effective: i64) -> QueueItem {
        let m = Money::from_pence(effective);
        QueueItem {
            tenancy_id: id,
            weekly_charge: Money::pounds(100),
            arrears: Arrears {
                balance: m,
                collectable: m,
                grace: Money::ZERO,
                effective: m,
            },
            weeks: None,
            other_debts: Money::ZERO,
            former: false,
            flags: Flags::default(),
            breathing_space: false,
            stage: String::new(),
            next_action: String::new(),
            reason: String::new(),
            text: None,
        }
    }

    fn text(id: i64, reference: &str, first: &str, last: &str, phone: &str) -> QueueText {
        QueueText::for_test(id, reference, &[(first, last, phone)])
    }

    fn texts() -> Vec<QueueText> {
        vec![
            text(1, "A1", "Ada", "Smith", "07700 900001"),
            text(2, "B2", "Ben", "Jones", "07700 900002"),
            text(3, "C3", "Cy", "Smithson", "07700 900003"),
        ]
    }

    fn queue() -> Queue {
        let mut q = Queue::new(vec![item(1, 100), item(2, 300), item(3, 200)]);
        q.attach_text(texts(), true);
        q
    }

    fn refs(q: &Queue) -> Vec<&str> {
        q.window(10).map(|(_, i)| i.reference()).collect()
    }

    #[test]
    fn ranks_deepest_arrears_first() {
        assert_eq!(refs(&queue()), ["B2", "C3", "A1"]);
    }

    #[test]
    fn filters_on_every_word_and_keeps_the_selection() {
        let mut q = queue();
        q.move_by(1, 10);
        assert_eq!(q.selected_id(), Some(3));
        q.set_filter("smi");
        assert_eq!(refs(&q), ["C3", "A1"]);
        assert_eq!(q.selected_id(), Some(3));
        q.set_filter("smith ada");
        assert_eq!(refs(&q), ["A1"]);
        assert_eq!(q.selected_id(), Some(1));
        q.set_filter("07700900002");
        assert_eq!(refs(&q), ["B2"]);
        q.set_filter("nobody");
        assert!(q.is_empty());
        assert_eq!(q.selected(), None);
        q.set_filter("");
        assert_eq!(q.len(), 3);
    }

    #[test]
    fn a_filter_typed_before_the_text_arrives_is_applied_when_it_does() {
        let mut q = Queue::new(vec![item(1, 100), item(2, 300), item(3, 200)]);
        assert!(!q.text_complete());
        q.set_filter("smith");
        assert!(q.is_empty());
        assert_eq!(q.select_reference("A1", 10), Found::StillLoading);
        q.attach_text(texts(), true);
        assert_eq!(refs(&q), ["C3", "A1"]);
        assert_eq!(q.select_reference("ZZ", 10), Found::NoSuchReference);
    }

    #[test]
    fn moves_clamp_and_scroll_minimally() {
        let mut q = queue();
        assert!(!q.move_by(-1, 2));
        assert!(q.move_by(5, 2));
        assert_eq!((q.selected_index(), q.offset()), (2, 1));
        q.move_by(-1, 2);
        assert_eq!((q.selected_index(), q.offset()), (1, 1));
        q.move_by(-1, 2);
        assert_eq!((q.selected_index(), q.offset()), (0, 0));
        assert_eq!(q.select_reference("c3", 2), Found::Selected(3));
        q.set_filter("ada");
        assert_eq!(q.select_reference("B2", 2), Found::Selected(2));
        assert_eq!(q.filter(), "");
    }
}
