//! Every row's text made ready away from the officer's keys: 50,000 display texts and the search
//! buffer are built on the thread that read them, laid out by the queue's own rows, so taking
//! them in is a move of each row's pointer (see [`super::Queue::take_texts`]) and not tens of
//! milliseconds of building while a key waits for its frame.

use super::ItemText;
use super::search::SearchText;
use crate::store::QueueText;
use std::collections::HashMap;

/// The order of a queue's rows, to lay texts out by (see [`super::Queue::row_order`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowOrder {
    /// Which queue this is the order of: rows are never reordered in a queue's life.
    pub(super) queue: u64,
    pub(super) ids: Vec<i64>,
}

/// Texts and their search buffer, by row: of a queue once [`RowTexts::arrange`]d for it, else in
/// the order they were read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowTexts {
    /// The queue whose rows these are laid out by, if any yet.
    pub(super) queue: Option<u64>,
    /// Each row's tenancy.
    pub(super) ids: Vec<i64>,
    pub(super) texts: Vec<Option<Box<ItemText>>>,
    pub(super) search: SearchText,
}

impl RowTexts {
    /// Builds every text as read, in the order read (before the queue's order may be known).
    pub fn new(read: Vec<QueueText>) -> RowTexts {
        let mut search = SearchText::new(read.len());
        let mut ids = Vec::with_capacity(read.len());
        let mut texts = Vec::with_capacity(read.len());
        for (row, text) in read.into_iter().enumerate() {
            ids.push(text.tenancy_id);
            let (text, haystack) = ItemText::new(text);
            search.set(row, haystack.as_bytes());
            texts.push(Some(Box::new(text)));
        }
        RowTexts {
            queue: None,
            ids,
            texts,
            search,
        }
    }

    /// Lays the texts out by `order`'s rows; a text for a tenancy not among them is left out,
    /// and a row with no text read has none.
    pub fn arrange(self, order: RowOrder) -> RowTexts {
        let row_of: HashMap<i64, usize> = (order.ids.iter().enumerate())
            .map(|(row, id)| (*id, row))
            .collect();
        let now_at: Vec<Option<usize>> =
            self.ids.iter().map(|id| row_of.get(id).copied()).collect();
        let mut texts = vec![None; order.ids.len()];
        for (text, at) in self.texts.into_iter().zip(&now_at) {
            if let Some(row) = at {
                texts[*row] = text;
            }
        }
        let mut search = self.search;
        search.renumber(order.ids.len(), |was| now_at[was]);
        RowTexts {
            queue: Some(order.queue),
            ids: order.ids,
            texts,
            search,
        }
    }
}
