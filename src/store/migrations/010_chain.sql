-- caseload schema: the hash chain over the append-only tables (docs/integrity.md). Each row is a
-- link: it seals the rows of table `tbl` from position first_key to last_key (its INTEGER PRIMARY
-- KEY, or the first column of its key), over their first `columns` columns, and its hash covers
-- the hash of the link before it. Links are written by caseload just before a write commits; the
-- rows already held when this version first opens a file are sealed as it is brought up to date.
CREATE TABLE chain (
    id        INTEGER PRIMARY KEY,
    tbl       TEXT NOT NULL,
    first_key INTEGER NOT NULL,
    last_key  INTEGER NOT NULL CHECK (last_key >= first_key),
    rows      INTEGER NOT NULL CHECK (rows > 0),
    columns   INTEGER NOT NULL CHECK (columns > 0),
    hash      BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE INDEX chain_by_table ON chain (tbl, first_key);

CREATE TRIGGER chain_no_update BEFORE UPDATE ON chain
BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
CREATE TRIGGER chain_no_delete BEFORE DELETE ON chain
BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only'); END;
CREATE TRIGGER chain_no_replace BEFORE INSERT ON chain
WHEN EXISTS (SELECT 1 FROM chain WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the hash chain is append-only: a link cannot be replaced'); END;
