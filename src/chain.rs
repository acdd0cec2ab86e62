//! The hash chain over the append-only records, independent of the database that holds them.
//!
//! Rows are sealed in *links*. A link seals the rows of one table whose positions (their integer
//! key) lie from `first` to `last`. Its rows are hashed first, on their own: every value of the
//! first `columns` columns of each row, in position order, with its type. The link's hash then
//! covers the hash of the link sealed before it (of any table), the table's name, `columns`,
//! `first`, `last`, the number of rows and that hash of its rows. Changing, removing or adding a
//! row inside a sealed range changes its link's hash; rewriting a link changes every link after
//! it, so the newest link's hash (the head) noted outside the file vouches for everything before.
//!
//! Hashing the rows apart from the link before lets a large write hash its rows as it writes
//! them, and chain them only as it commits (and lets writers that run side by side, in a
//! database that allows it, hash their rows side by side and take turns only to chain them).
//! That is the second encoding; links sealed in the first (one hash over the link before, the
//! table, `columns`, the rows, then `first`, `last` and the number of rows) are still checked in
//! it, so a file sealed before keeps verifying. Nothing is sealed in the first any more.
//!
//! The encoding is plain bytes (BLAKE3 in its key-derivation mode, so a chain hash can never
//! equal any other use of the function), so the same chain can be computed over SQLite's values
//! or PostgreSQL's; the store maps its column types to [`Value`].

use std::fmt;

/// A link's hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// What the first link of a chain follows.
    pub const START: Digest = Digest([0; 32]);

    /// A hash as stored: exactly 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Digest> {
        bytes.try_into().ok().map(Digest)
    }

    /// A hash as an auditor notes it: 64 hexadecimal digits, either case.
    pub fn parse_hex(text: &str) -> Option<Digest> {
        let text = text.trim().as_bytes();
        if text.len() != 64 {
            return None;
        }
        let mut out = [0; 32];
        for (byte, pair) in out.iter_mut().zip(text.chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(Digest(out))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// One column value with its type, as the database holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

/// A finished link: what the chain table stores for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub first: i64,
    pub last: i64,
    pub rows: u64,
    pub hash: Digest,
}

/// Context strings of BLAKE3's key-derivation mode: name each use and the encoding's version.
const ROWS: &str = "caseload 2026-11 append-only records hash chain rows v2";
const LINK: &str = "caseload 2026-11 append-only records hash chain link v2";
const LINK_V1: &str = "caseload 2026-11 append-only records hash chain link v1";

/// The rows of one link, hashed in position order as they come.
pub struct Rows {
    hasher: blake3::Hasher,
    /// For rows checked against a stored link: the same rows hashed as the first encoding
    /// would have hashed them, had it sealed that link.
    v1: Option<blake3::Hasher>,
    /// Encoded rows not yet hashed: hashing many rows in one call lets BLAKE3 work on several
    /// 1 KiB chunks at once, several times faster than a call per value.
    buf: Vec<u8>,
    columns: usize,
    first: Option<i64>,
    last: i64,
    rows: u64,
}

/// Encoded bytes gathered before they are hashed.
const BUFFER: usize = 64 * 1024;

impl Rows {
    /// Rows of which the first `columns` columns count (a column added later by a migration is
    /// not part of the rows sealed before it).
    pub fn new(columns: usize) -> Rows {
        Rows {
            hasher: blake3::Hasher::new_derive_key(ROWS),
            v1: None,
            buf: Vec::new(),
            columns,
            first: None,
            last: 0,
            rows: 0,
        }
    }

    /// Rows to check against the stored link of `table` after the link whose hash is `prev`,
    /// which either encoding may have sealed (see [`Rows::are_sealed_by`]).
    pub fn checking(prev: &Digest, table: &str, columns: usize) -> Rows {
        let mut head = Vec::with_capacity(64);
        head.extend_from_slice(&prev.0);
        bytes(&mut head, table.as_bytes());
        head.extend_from_slice(&(columns as u64).to_be_bytes());
        let mut v1 = blake3::Hasher::new_derive_key(LINK_V1);
        v1.update(&head);
        Rows {
            v1: Some(v1),
            ..Rows::new(columns)
        }
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// Adds the row at `position`; only its first `columns` values count, and a missing one
    /// counts as a NULL.
    pub fn push<'a>(&mut self, position: i64, values: impl IntoIterator<Item = Value<'a>>) {
        let mut values = values.into_iter();
        for _ in 0..self.columns {
            encode(&mut self.buf, values.next().unwrap_or(Value::Null));
        }
        if self.buf.len() >= BUFFER {
            self.flush();
        }
        self.first.get_or_insert(position);
        self.last = position;
        self.rows += 1;
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The position of the last row pushed.
    pub fn last(&self) -> Option<i64> {
        self.first.map(|_| self.last)
    }

    /// The rows pushed, hashed, which they say lie from `first` to `last` (rows that are
    /// checked against a link are given its range; new ones take their own).
    pub fn finish_as(mut self, first: i64, last: i64) -> Block {
        self.flush();
        Block {
            first,
            last,
            rows: self.rows,
            columns: self.columns,
            digest: Digest(*self.hasher.finalize().as_bytes()),
        }
    }

    /// Whether the rows pushed (by [`Rows::checking`]), said to lie from `first` to `last`, are
    /// the rows the stored link `hash` of `table` seals after `prev`, in either encoding.
    pub fn are_sealed_by(
        mut self,
        hash: &Digest,
        prev: &Digest,
        table: &str,
        first: i64,
        last: i64,
    ) -> bool {
        self.flush();
        let v1 = self.v1.take().map(|mut v1| {
            for n in [first, last] {
                v1.update(&n.to_be_bytes());
            }
            v1.update(&self.rows.to_be_bytes());
            Digest(*v1.finalize().as_bytes())
        });
        v1.as_ref() == Some(hash) || self.finish_as(first, last).link(prev, table).hash == *hash
    }

    fn flush(&mut self) {
        self.hasher.update(&self.buf);
        if let Some(v1) = &mut self.v1 {
            v1.update(&self.buf);
        }
        self.buf.clear();
    }

    /// The rows pushed, hashed, from the first one's position to the last one's; `None` if
    /// there were none.
    pub fn finish(self) -> Option<Block> {
        let first = self.first?;
        let last = self.last;
        Some(self.finish_as(first, last))
    }
}

/// A link's rows, hashed, waiting to be chained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub first: i64,
    pub last: i64,
    pub rows: u64,
    pub columns: usize,
    digest: Digest,
}

impl Block {
    /// The link of these rows of `table`, after the link whose hash is `prev`.
    pub fn link(&self, prev: &Digest, table: &str) -> Link {
        let mut hasher = blake3::Hasher::new_derive_key(LINK);
        hasher.update(&prev.0);
        let mut buf = Vec::with_capacity(128);
        bytes(&mut buf, table.as_bytes());
        buf.extend_from_slice(&(self.columns as u64).to_be_bytes());
        buf.extend_from_slice(&self.first.to_be_bytes());
        buf.extend_from_slice(&self.last.to_be_bytes());
        buf.extend_from_slice(&self.rows.to_be_bytes());
        hasher.update(&buf);
        hasher.update(&self.digest.0);
        Link {
            first: self.first,
            last: self.last,
            rows: self.rows,
            hash: Digest(*hasher.finalize().as_bytes()),
        }
    }
}

/// Type tag, then the value: integers and reals in 8 big-endian bytes, text and blobs with
/// their length first, so that no two different rows encode alike.
fn encode(buf: &mut Vec<u8>, v: Value<'_>) {
    match v {
        Value::Null => buf.push(0),
        Value::Integer(i) => {
            buf.push(1);
            buf.extend_from_slice(&i.to_be_bytes());
        }
        Value::Real(r) => {
            buf.push(2);
            buf.extend_from_slice(&r.to_bits().to_be_bytes());
        }
        Value::Text(t) => {
            buf.push(3);
            bytes(buf, t);
        }
        Value::Blob(b) => {
            buf.push(4);
            bytes(buf, b);
        }
    }
}

fn bytes(buf: &mut Vec<u8>, b: &[u8]) {
    buf.extend_from_slice(&(b.len() as u64).to_be_bytes());
    buf.extend_from_slice(b);
}

/// How many rows one link seals when a write adds `added` rows to a table: each row its own
/// link for an officer's few (a changed row is then named exactly), blocks for an import's many
/// (a link costs a row in the chain table; a block is named by its first and last row).
pub fn rows_per_link(added: usize) -> usize {
    if added <= FEW_ROWS { 1 } else { BLOCK_ROWS }
}

/// A write adding at most this many rows to a table seals each row on its own.
const FEW_ROWS: usize = 64;
/// Otherwise, this many rows to a link.
pub const BLOCK_ROWS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn link_of(prev: &Digest, table: &str, columns: usize, rows: &[(i64, Vec<Value<'_>>)]) -> Link {
        let mut b = Rows::new(columns);
        for (position, values) in rows {
            b.push(*position, values.iter().copied());
        }
        b.finish().unwrap().link(prev, table)
    }

    fn one(values: Vec<Value<'_>>) -> Digest {
        link_of(&Digest::START, "notes", values.len(), &[(1, values)]).hash
    }

    #[test]
    fn every_value_counts_with_its_type() {
        use Value::*;
        let base = one(vec![Integer(1), Text(b"paid"), Null]);
        let different = [
            one(vec![Integer(2), Text(b"paid"), Null]),
            one(vec![Text(b"1"), Text(b"paid"), Null]),
            one(vec![Real(1.0), Text(b"paid"), Null]),
            one(vec![Integer(1), Blob(b"paid"), Null]),
            one(vec![Integer(1), Text(b"paid"), Text(b"")]),
            one(vec![Integer(1), Text(b"pai"), Text(b"d")]),
            one(vec![Integer(1), Text(b"paid")]),
        ];
        for (i, d) in different.iter().enumerate() {
            assert_ne!(&base, d, "variant {i}");
        }
        assert_eq!(base, one(vec![Integer(1), Text(b"paid"), Null]));
    }

    #[test]
    fn a_link_covers_what_came_before_its_table_its_range_and_its_rows() {
        use Value::*;
        let rows = [
            (7, vec![Integer(7), Text(b"a")]),
            (8, vec![Integer(8), Text(b"b")]),
        ];
        let base = link_of(&Digest::START, "ledger", 2, &rows);
        assert_eq!((base.first, base.last, base.rows), (7, 8, 2));
        let other_prev = Digest([1; 32]);
        assert_ne!(base.hash, link_of(&other_prev, "ledger", 2, &rows).hash);
        assert_ne!(base.hash, link_of(&Digest::START, "notes", 2, &rows).hash);
        assert_ne!(
            base.hash,
            link_of(&Digest::START, "ledger", 2, &rows[..1]).hash
        );
        // Only the first `columns` values count: a column added since does not change it.
        let wider: Vec<_> = rows
            .iter()
            .map(|(p, v)| (*p, [v.clone(), vec![Integer(0)]].concat()))
            .collect();
        assert_eq!(base.hash, link_of(&Digest::START, "ledger", 2, &wider).hash);
        // A link that claims a wider range than its rows is not the same link.
        let mut b = Rows::new(2);
        for (p, v) in &rows {
            b.push(*p, v.iter().copied());
        }
        assert_ne!(
            base.hash,
            b.finish_as(7, 9).link(&Digest::START, "ledger").hash
        );
    }

    /// Row 5 of `ledger` (id 5, amount 100, the text "paid", NULL), encoded by hand.
    const PAID_ROW: [&[u8]; 8] = [
        &[1],
        &5_i64.to_be_bytes(),
        &[1],
        &100_i64.to_be_bytes(),
        &[3],
        &4_u64.to_be_bytes(),
        b"paid",
        &[0],
    ];

    #[test]
    fn the_encoding_is_the_one_docs_integrity_md_gives() {
        // A link of one row of `ledger`, by hand.
        let rows_hash = blake3::Hasher::new_derive_key(ROWS)
            .update(&PAID_ROW.concat())
            .finalize();
        let mut link = Vec::new();
        link.extend([7; 32]);
        link.extend(6_u64.to_be_bytes());
        link.extend(b"ledger");
        for n in [4_u64, 5, 5, 1] {
            link.extend(n.to_be_bytes());
        }
        link.extend(rows_hash.as_bytes());
        let by_hand = blake3::Hasher::new_derive_key(LINK)
            .update(&link)
            .finalize();
        use Value::*;
        let made = link_of(
            &Digest([7; 32]),
            "ledger",
            4,
            &[(5, vec![Integer(5), Integer(100), Text(b"paid"), Null])],
        );
        assert_eq!(made.hash.0, *by_hand.as_bytes());
    }

    #[test]
    fn a_link_sealed_in_the_first_encoding_still_checks() {
        use Value::*;
        // What the first encoding's code gave for this link (row 5 of `ledger` after the link
        // [7; 32]; computed with that code), and the same by hand: the link before, the table, the columns, the row, then
        // first, last and rows.
        let first = "265dc17c0e160fd85ab8857e2b61e7eb684073296e2998c0cb7d57be71eec4de";
        let mut v1 = Vec::new();
        v1.extend([7; 32]);
        v1.extend(6_u64.to_be_bytes());
        v1.extend(b"ledger");
        v1.extend(4_u64.to_be_bytes());
        v1.extend(PAID_ROW.concat());
        for n in [5_u64, 5, 1] {
            v1.extend(n.to_be_bytes());
        }
        let by_hand = blake3::Hasher::new_derive_key(LINK_V1)
            .update(&v1)
            .finalize();
        let sealed = Digest::parse_hex(first).unwrap();
        assert_eq!(sealed.0, *by_hand.as_bytes());
        let check = |prev: Digest, text: &'static [u8], hash: &Digest| {
            let mut rows = Rows::checking(&prev, "ledger", 4);
            rows.push(5, [Integer(5), Integer(100), Text(text), Null]);
            rows.are_sealed_by(hash, &prev, "ledger", 5, 5)
        };
        assert!(check(Digest([7; 32]), b"paid", &sealed));
        assert!(!check(Digest([7; 32]), b"pain", &sealed));
        assert!(!check(Digest([8; 32]), b"paid", &sealed));
        // The second encoding's links check the same way.
        let rows = [(5, vec![Integer(5), Integer(100), Text(b"paid"), Null])];
        let second = link_of(&Digest([7; 32]), "ledger", 4, &rows).hash;
        assert_ne!(second, sealed);
        assert!(check(Digest([7; 32]), b"paid", &second));
        assert!(!check(Digest([7; 32]), b"pain", &second));
    }

    #[test]
    fn a_hash_reads_back_from_its_hex() {
        let d = one(vec![Value::Integer(5)]);
        let hex = d.to_string();
        assert_eq!(hex.len(), 64);
        assert_eq!(Digest::parse_hex(&hex.to_uppercase()), Some(d));
        assert_eq!(Digest::parse_hex(&hex[1..]), None);
        assert_eq!(Digest::parse_hex(&format!("{}zz", &hex[2..])), None);
    }

    #[test]
    fn few_rows_are_sealed_one_by_one_and_many_in_blocks() {
        assert_eq!(rows_per_link(1), 1);
        assert_eq!(rows_per_link(64), 1);
        assert_eq!(rows_per_link(65), BLOCK_ROWS);
    }
}
