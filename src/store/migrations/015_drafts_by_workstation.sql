-- caseload schema, version 15: a draft belongs to the workstation it is typed on as well as to its
-- officer. One officer with a note open on the same account in two windows keeps both drafts, and
-- saving or throwing away one leaves the other. Drafts from before belong to no workstation ('').
CREATE TABLE drafts_by_workstation (
    officer     TEXT NOT NULL,
    tenancy_id  INTEGER NOT NULL REFERENCES tenancies(id),
    workstation TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    cursor_row  INTEGER NOT NULL DEFAULT 0,
    cursor_col  INTEGER NOT NULL DEFAULT 0,
    context     TEXT NOT NULL DEFAULT '',
    saved_at    TEXT NOT NULL,              -- UTC, to the millisecond
    PRIMARY KEY (officer, tenancy_id, workstation)
);
INSERT INTO drafts_by_workstation (officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at)
    SELECT officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_workstation RENAME TO drafts;
-- Whose notes are in progress on an account, for showing them to the others.
CREATE INDEX drafts_by_tenancy ON drafts (tenancy_id);
