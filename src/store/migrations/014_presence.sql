-- caseload schema, version 14: who is doing what on which account now, for the other officers to
-- see ("alice is on a call with this tenant", "alice is writing a note on this account"). Not a
-- record: each row belongs to one workstation, which rewrites `seen` every few seconds while the
-- call or note lasts (its heartbeat) and takes the row away when it ends; a row whose heartbeat
-- has stopped, or whose workstation is gone, is shown by nobody.
CREATE TABLE presence (
    officer    TEXT NOT NULL,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    doing      TEXT NOT NULL CHECK (doing IN ('call', 'note')),
    since      TEXT NOT NULL,              -- UTC
    seen       TEXT NOT NULL,              -- UTC, the latest heartbeat
    backend    INTEGER NOT NULL,           -- the workstation's process here; on a server, its connection
    PRIMARY KEY (officer, tenancy_id)
);
CREATE INDEX presence_by_tenancy ON presence (tenancy_id);
