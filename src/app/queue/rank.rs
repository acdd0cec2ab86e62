//! The order of the queue: how far up the recovery ladder the recommendation is (a broken promise
//! at least with the first letters), then the keys the landlord chooses in `[queue] rank_by`.

use super::QueueItem;
use chrono::NaiveDate;
use serde::Deserialize;
use std::cmp::Reverse;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankKey {
    /// The most owed first (after this week's rent and the grace).
    EffectiveArrears,
    /// The most weeks of rent owed first.
    WeeksInArrears,
    /// The longest without any recorded action first (never first of all).
    DaysSinceContact,
}

impl RankKey {
    /// Bigger sorts first.
    fn value(self, item: &QueueItem, today: NaiveDate) -> i64 {
        match self {
            RankKey::EffectiveArrears => item.arrears.effective.pence(),
            RankKey::WeeksInArrears => item
                .weeks()
                .and_then(|w| i64::try_from((w * rust_decimal::Decimal::from(10)).trunc()).ok())
                .unwrap_or(0),
            RankKey::DaysSinceContact => item
                .last_contact
                .map_or(i64::MAX, |at| (today - at.date()).num_days()),
        }
    }
}

/// Severity, then up to three key values, then the tenancy id (for a stable order), then the row.
pub type SortKey = (Reverse<u8>, [Reverse<i64>; 3], i64, usize);

/// Where row `i` sorts: smaller first.
pub fn sort_key(item: &QueueItem, i: usize, keys: &[RankKey], today: NaiveDate) -> SortKey {
    let mut values = [Reverse(0); 3];
    for (slot, key) in values.iter_mut().zip(keys) {
        *slot = Reverse(key.value(item, today));
    }
    (Reverse(item.severity(today)), values, item.tenancy_id, i)
}

/// Indices of `items`, most to do first. Sorts integer keys computed once per row, not the rows:
/// each core keys and sorts its part, and the sorted parts are merged (the stable sort finds them
/// in order and merges them in one pass).
pub fn rank(items: &[QueueItem], keys: &[RankKey], today: NaiveDate) -> Vec<usize> {
    let mut keyed = crate::parallel::concat(crate::parallel::in_parts(items.len(), |rows| {
        let mut keyed: Vec<SortKey> = (rows.map(|i| sort_key(&items[i], i, keys, today))).collect();
        keyed.sort_unstable();
        keyed
    }));
    keyed.sort();
    keyed.into_iter().map(|(.., i)| i).collect()
}
