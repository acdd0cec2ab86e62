-- Drafts belong to an officer: two officers on one file each have their own draft of a note on
-- the same account, and neither can be offered, discarded or saved as the other's.
CREATE TABLE drafts_by_officer (
    officer    TEXT NOT NULL,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    body       TEXT NOT NULL,
    cursor_row INTEGER NOT NULL DEFAULT 0,
    cursor_col INTEGER NOT NULL DEFAULT 0,
    context    TEXT NOT NULL DEFAULT '',
    saved_at   TEXT NOT NULL,              -- UTC, to the millisecond
    PRIMARY KEY (officer, tenancy_id)
);
INSERT INTO drafts_by_officer (officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at)
    SELECT officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_officer RENAME TO drafts;
-- Whose notes are in progress on an account, for showing them to the others.
CREATE INDEX drafts_by_tenancy ON drafts (tenancy_id);
