//! The queue as the officer works it: compact rows for every tenancy held in memory, ranked, with a
//! filter typed as you go. Only the selected account's history is ever read from the store.

use crate::domain::Money;
use crate::domain::arrears::{self, Arrears};
use crate::domain::tenancy::{self, Flags};
use crate::store::TenancyRecord;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One row of the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueItem {
    pub tenancy_id: i64,
    pub reference: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub weekly_charge: Money,
    pub arrears: Arrears,
    pub weeks: Option<Decimal>,
    pub other_debts: Money,
    pub former: bool,
    pub flags: Flags,
    /// Flags as letters, so they read without colour: V vulnerable, B breathing space in force,
    /// U Universal Credit, H Housing Benefit, F former tenant, D deceased.
    pub flag_letters: String,
    pub stage: String,
    pub next_action: String,
    pub reason: String,
    /// Lower-case text the filter matches: reference, names, address, postcode, phones (also
    /// without spaces, so `07700900123` finds `07700 900123`).
    haystack: String,
}

impl QueueItem {
    pub fn new(record: &TenancyRecord, today: NaiveDate, grace: bool) -> QueueItem {
        let rent = record.rent();
        let arrears = rent.position(record.weekly_charge, today).arrears(grace);
        let name = tenancy::names(&record.tenants);
        let phones: Vec<&str> = record
            .tenants
            .iter()
            .flat_map(|t| [t.phone.as_deref(), t.phone2.as_deref()])
            .flatten()
            .collect();
        let mut haystack = format!(
            "{} {} {} {}",
            record.reference, name, record.address, record.postcode
        );
        for phone in &phones {
            haystack.push(' ');
            haystack.push_str(phone);
            haystack.push(' ');
            haystack.extend(phone.chars().filter(|c| !c.is_whitespace()));
        }
        haystack.push(' ');
        haystack.extend(record.postcode.chars().filter(|c| !c.is_whitespace()));
        let former = record.is_former(today);
        let f = &record.flags;
        let flag_letters = [
            (f.vulnerable, 'V'),
            (f.in_breathing_space(today).is_some(), 'B'),
            (f.universal_credit, 'U'),
            (f.housing_benefit, 'H'),
            (former, 'F'),
            (f.deceased, 'D'),
        ]
        .iter()
        .filter_map(|(on, c)| on.then_some(*c))
        .collect();
        QueueItem {
            tenancy_id: record.tenancy_id,
            reference: record.reference.clone(),
            name,
            address: record.address.clone(),
            postcode: record.postcode.clone(),
            weekly_charge: record.weekly_charge,
            weeks: arrears::weeks(arrears.balance, record.weekly_charge),
            arrears,
            other_debts: record.other_debts(),
            former,
            flags: record.flags.clone(),
            flag_letters,
            stage: String::new(),
            next_action: String::new(),
            reason: String::new(),
            haystack: haystack.to_lowercase(),
        }
    }

    /// True when every word of the (lower-case) filter appears somewhere in the row.
    fn matches(&self, terms: &[&str]) -> bool {
        terms.iter().all(|t| self.haystack.contains(t))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Queue {
    items: Vec<QueueItem>,
    /// Indices into `items` that pass the filter, in ranked order.
    visible: Vec<usize>,
    filter: String,
    selected: usize,
    offset: usize,
}

impl Queue {
    /// Items in ranked order.
    pub fn new(mut items: Vec<QueueItem>) -> Queue {
        rank(&mut items);
        let visible = (0..items.len()).collect();
        Queue {
            items,
            visible,
            ..Queue::default()
        }
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
        let terms: Vec<&str> = text.split_whitespace().collect();
        let narrowing = !self.filter.is_empty() && text.starts_with(&self.filter);
        if narrowing {
            let items = &self.items;
            self.visible.retain(|&i| items[i].matches(&terms));
        } else {
            self.visible = (0..self.items.len())
                .filter(|&i| self.items[i].matches(&terms))
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

    pub fn select_first(&mut self, height: usize) -> bool {
        self.move_by(isize::MIN, height)
    }

    pub fn select_last(&mut self, height: usize) -> bool {
        self.move_by(isize::MAX, height)
    }

    /// Selects a tenancy by reference (case-insensitive), clearing the filter if it hides it.
    pub fn select_reference(&mut self, reference: &str, height: usize) -> Option<i64> {
        let wanted = reference.trim();
        let index = self
            .items
            .iter()
            .position(|item| item.reference.eq_ignore_ascii_case(wanted))?;
        let id = self.items[index].tenancy_id;
        if self.position_of(id).is_none() {
            self.set_filter("");
        }
        self.selected = self.position_of(id)?;
        self.keep_visible(height);
        Some(id)
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

/// Most to do first: for now, the deepest effective arrears.
fn rank(items: &mut [QueueItem]) {
    items.sort_by(|a, b| {
        b.arrears
            .effective
            .cmp(&a.arrears.effective)
            .then_with(|| a.reference.cmp(&b.reference))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, reference: &str, name: &str, phone: &str, effective: i64) -> QueueItem {
        let m = Money::from_pence(effective);
        QueueItem {
            tenancy_id: id,
            reference: reference.into(),
            name: name.into(),
            address: String::new(),
            postcode: String::new(),
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
            flag_letters: String::new(),
            stage: String::new(),
            next_action: String::new(),
            reason: String::new(),
            haystack: format!("{reference} {name} {phone} {}", phone.replace(' ', ""))
                .to_lowercase(),
        }
    }

    fn queue() -> Queue {
        Queue::new(vec![
            item(1, "A1", "Ada Smith", "07700 900001", 100),
            item(2, "B2", "Ben Jones", "07700 900002", 300),
            item(3, "C3", "Cy Smithson", "07700 900003", 200),
        ])
    }

    fn refs(q: &Queue) -> Vec<&str> {
        q.window(10).map(|(_, i)| i.reference.as_str()).collect()
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
    fn moves_clamp_and_scroll_minimally() {
        let mut q = queue();
        assert!(!q.move_by(-1, 2));
        assert!(q.move_by(5, 2));
        assert_eq!((q.selected_index(), q.offset()), (2, 1));
        q.move_by(-1, 2);
        assert_eq!((q.selected_index(), q.offset()), (1, 1));
        q.move_by(-1, 2);
        assert_eq!((q.selected_index(), q.offset()), (0, 0));
        assert_eq!(q.select_reference("c3", 2), Some(3));
        q.set_filter("ada");
        assert_eq!(q.select_reference("B2", 2), Some(2));
        assert_eq!(q.filter(), "");
        assert_eq!(q.select_reference("ZZ", 2), None);
    }
}
