//! What the `/` search looks in: each row's lower-case reference, names, address, postcode and
//! phones, all held in one buffer. A search runs one substring finder along the buffer instead of
//! one per row over 50,000 small strings scattered through memory, which made the first letter
//! typed (that narrows nothing yet) the slowest key of all.

use memchr::memmem::Finder;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchText {
    /// Each row's text followed by a newline: no search word holds one (words are split at white
    /// space), so no match runs from one row's text into the next.
    text: Vec<u8>,
    /// Where each row's text is in `text`, by row; `None` until it has been read.
    spans: Vec<Option<(usize, usize)>>,
    /// Whose each piece of `text` is, in the order the pieces were added: (start, row). A row
    /// given text again leaves its old piece behind, owned by no one (its span moved on).
    owners: Vec<(usize, usize)>,
}

impl SearchText {
    /// Room for `rows` rows, none with text yet.
    pub fn new(rows: usize) -> SearchText {
        SearchText {
            spans: vec![None; rows],
            ..SearchText::default()
        }
    }

    /// Gives `row` its text (already lower-case, see [`super::item::search_text`]).
    pub fn set(&mut self, row: usize, text: &[u8]) {
        let Some(span) = self.spans.get_mut(row) else {
            return;
        };
        let start = self.text.len();
        // A newline in the text itself (an address keyed over two lines) reads as a space, as
        // it does to the words typed.
        self.text
            .extend(text.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
        *span = Some((start, self.text.len()));
        self.text.push(b'\n');
        self.owners.push((start, row));
    }

    /// Gives each row the number `now_at` says, among `rows` (a row it gives none has no text
    /// any more): the text itself stays where it is.
    pub fn renumber(&mut self, rows: usize, now_at: impl Fn(usize) -> Option<usize>) {
        let mut spans = vec![None; rows];
        for (was, span) in self.spans.iter().enumerate() {
            if let (Some(span), Some(row)) = (span, now_at(was)) {
                spans[row] = Some(*span);
            }
        }
        for (_, row) in &mut self.owners {
            // A piece owned by no row names one past the last: it never matches.
            *row = now_at(*row).unwrap_or(rows);
        }
        self.spans = spans;
    }

    /// The text of `row`, if it has been read.
    pub fn get(&self, row: usize) -> Option<&[u8]> {
        let (start, end) = self.spans.get(row).copied().flatten()?;
        Some(&self.text[start..end])
    }

    /// Whether `row` has text holding every word (any row, when there are no words).
    pub fn row_matches(&self, row: usize, words: &[Finder<'_>]) -> bool {
        words.is_empty()
            || self
                .get(row)
                .is_some_and(|text| words.iter().all(|w| w.find(text).is_some()))
    }

    /// For every row, whether its text holds every word (see [`SearchText::row_matches`]). Each
    /// word is looked for along the whole buffer once; after a match the search goes on from
    /// the next row's text.
    pub fn matching(&self, words: &[Finder<'_>]) -> Vec<bool> {
        let rows = self.spans.len();
        if words.is_empty() {
            return vec![true; rows];
        }
        // How many of the words, in turn, each row's text has held so far.
        let mut held = vec![0u32; rows];
        for (n, word) in (0u32..).zip(words) {
            let (mut at, mut piece) = (0, 0);
            while let Some(found) = word.find(&self.text[at..]) {
                let pos = at + found;
                // The pieces are in the order of the text: the one holding the match is found
                // by walking on from the last (a binary search each time cost more than the
                // finding).
                while self
                    .owners
                    .get(piece + 1)
                    .is_some_and(|&(next, _)| next <= pos)
                {
                    piece += 1;
                }
                let (start, row) = self.owners[piece];
                let owned = self.spans.get(row).copied().flatten();
                if owned.is_some_and(|(s, _)| s == start) && held[row] == n {
                    held[row] = n + 1;
                }
                piece += 1;
                at = match self.owners.get(piece) {
                    Some(&(next, _)) => next,
                    None => break,
                };
            }
        }
        let all = u32::try_from(words.len()).unwrap_or(u32::MAX);
        held.into_iter().map(|n| n == all).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finders<'a>(words: &'a [&'a str]) -> Vec<Finder<'a>> {
        words.iter().map(Finder::new).collect()
    }

    /// The whole buffer searched at once finds exactly the rows a search of each row's own text
    /// finds: every word in the row, none across two rows, a row's old text forgotten.
    #[test]
    fn a_search_of_the_whole_text_finds_what_each_rows_search_finds() {
        let mut text = SearchText::new(5);
        text.set(0, b" 100001/1 jane smith 1 mill road km3 4ab km34ab");
        text.set(2, b" 100003/1 ann jones 3 smith street\nkm1 1aa");
        text.set(3, b" 100004/1 old name");
        text.set(1, b" 100002/1 bob mill 07700 900123 07700900123");
        text.set(3, b" 100004/1 new name smith");
        let queries: [&[&str]; 9] = [
            &[],
            &["smith"],
            &["smith", "mill"],
            &["mill", "smith"],
            &["old"],
            &["0770090"],
            &["smithkm"],
            &["street", "km1"],
            &["name", "smith", "100004"],
        ];
        for words in queries {
            let finders = finders(words);
            let each: Vec<bool> = (0..5).map(|row| text.row_matches(row, &finders)).collect();
            assert_eq!(text.matching(&finders), each, "{words:?}");
        }
        assert_eq!(
            text.matching(&finders(&["smith"])),
            [true, false, true, true, false]
        );
        assert_eq!(
            text.matching(&finders(&["street", "km1"])),
            [false, false, true, false, false]
        );
        // Row 4 has no text: only the empty search holds it.
        assert_eq!(text.matching(&[]), [true; 5]);
        assert!(!text.row_matches(4, &finders(&["1"])));
    }
}
