//! Work over a whole caseload shared among the cores: a re-rank of 50,000 accounts unpacks,
//! judges and keys every one, and the officer waits for the slowest part.

use std::ops::Range;

/// Items at which the work is shared: below it a thread costs more than it saves.
const ITEMS_TO_SHARE: usize = 8_192;

/// `f` of about equal ranges that together cover `0..n`, in order, one a core, each run on its
/// own thread once there are enough items (`f` of `0..0` alone when there are none).
pub fn in_parts<U: Send>(n: usize, f: impl Fn(Range<usize>) -> U + Sync) -> Vec<U> {
    let cores = crate::cores::for_parts();
    let size = n.div_ceil(cores).max(ITEMS_TO_SHARE);
    let mut ranges = (0..n.max(1))
        .step_by(size)
        .map(|from| from..n.min(from + size));
    let Some(first) = ranges.next() else {
        return Vec::new();
    };
    let f = &f;
    std::thread::scope(|scope| {
        let others: Vec<_> =
            (ranges.map(|r| crate::cores::spawn_part(scope, move || f(r)))).collect();
        let mut out = Vec::with_capacity(others.len() + 1);
        out.push(f(first));
        out.extend(
            others
                .into_iter()
                .map(|o| o.join().expect("a part does not panic")),
        );
        out
    })
}

/// `f` of each item (with its index), in order, the items shared among the cores (see
/// [`in_parts`]).
pub fn map_in_parts<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    concat(in_parts(items.len(), |range| {
        let from = range.start;
        (items[range].iter().enumerate())
            .map(|(i, item)| f(from + i, item))
            .collect()
    }))
}

/// The parts one after another, in the first part's room grown once (a large block grows in
/// place) rather than gathered into a vector that doubles as it fills.
pub fn concat<U>(parts: Vec<Vec<U>>) -> Vec<U> {
    let mut parts = parts.into_iter();
    let mut out = parts.next().unwrap_or_default();
    out.reserve(parts.as_slice().iter().map(Vec::len).sum());
    for part in parts {
        out.extend(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_item_is_mapped_once_in_order() {
        for n in [
            0,
            1,
            ITEMS_TO_SHARE - 1,
            ITEMS_TO_SHARE,
            3 * ITEMS_TO_SHARE + 5,
        ] {
            let items: Vec<usize> = (0..n).collect();
            let out = map_in_parts(&items, |i, item| (i, *item * 2));
            assert_eq!(out, (0..n).map(|i| (i, i * 2)).collect::<Vec<_>>(), "{n}");
        }
    }

    #[test]
    fn the_parts_cover_every_index_once_in_order() {
        for n in [0, 1, ITEMS_TO_SHARE, 2 * ITEMS_TO_SHARE + 1] {
            let parts = in_parts(n, |r| r);
            assert_eq!(parts.first().map(|r| r.start), Some(0), "{n}");
            assert_eq!(parts.last().map(|r| r.end), Some(n), "{n}");
            assert!(
                parts
                    .windows(2)
                    .all(|w| w[0].end == w[1].start && !w[1].is_empty())
            );
            let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
            assert!(parts.len() <= cores.max(1), "{n}: one part a core at most");
        }
    }
}
