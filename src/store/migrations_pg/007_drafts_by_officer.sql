-- caseload schema for PostgreSQL, version 7: drafts belong to an officer: two officers on one
-- database each have their own draft of a note on the same account, and neither can be offered,
-- discarded or saved as the other's. Here the database holds to it too: an officer sees every
-- draft (to show whose notes are in progress) but writes only their own.
CREATE TABLE drafts_by_officer (
    officer    TEXT NOT NULL,
    tenancy_id BIGINT NOT NULL REFERENCES tenancies(id),
    body       TEXT NOT NULL,
    cursor_row INTEGER NOT NULL DEFAULT 0,
    cursor_col INTEGER NOT NULL DEFAULT 0,
    context    TEXT NOT NULL DEFAULT '',
    saved_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (officer, tenancy_id)
);
INSERT INTO drafts_by_officer (officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at)
    SELECT officer, tenancy_id, body, cursor_row, cursor_col, context, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_by_officer RENAME TO drafts;
ALTER TABLE drafts RENAME CONSTRAINT drafts_by_officer_pkey TO drafts_pkey;
-- Whose notes are in progress on an account, for showing them to the others.
CREATE INDEX drafts_by_tenancy ON drafts (tenancy_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON drafts TO caseload_officer;
ALTER TABLE drafts ENABLE ROW LEVEL SECURITY;
CREATE POLICY drafts_seen_by_all ON drafts FOR SELECT TO caseload_officer USING (true);
CREATE POLICY drafts_written_by_their_officer ON drafts FOR ALL TO caseload_officer
    USING (officer = session_user) WITH CHECK (officer = session_user);
