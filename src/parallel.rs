//! Work over a whole caseload shared among the cores: a re-rank of 50,000 accounts unpacks,
//! judges and keys every one, and the officer waits for the slowest part.

/// Items at which [`map_in_parts`] shares the work: below it a thread costs more than it saves.
const ITEMS_TO_SHARE: usize = 8_192;

/// `f` of each item (with its index), in order; the items are split in about equal parts, one
/// a core, each run on its own thread once there are enough of them.
pub fn map_in_parts<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let size = items.len().div_ceil(cores).max(ITEMS_TO_SHARE);
    let f = &f;
    let part = move |(k, part): (usize, &[T])| -> Vec<U> {
        (part.iter().enumerate())
            .map(|(i, item)| f(k * size + i, item))
            .collect()
    };
    let mut parts = items.chunks(size).enumerate();
    let Some(first) = parts.next() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = parts.map(|p| scope.spawn(move || part(p))).collect();
        let mut out = part(first);
        for other in others {
            out.extend(other.join().expect("a part does not panic"));
        }
        out
    })
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
}
