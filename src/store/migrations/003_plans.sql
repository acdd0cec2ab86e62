-- caseload schema, version 3: what a plan version needs beyond version 1 (the growth of the debt
-- it was agreed against, the court order a court plan carries out) and dated income and
-- expenditure assessments in the Standard Financial Statement layout.

-- Weekly growth of the debt the plan was agreed against (pence; usually 0), for the breach check.
ALTER TABLE plans ADD COLUMN weekly_growth INTEGER NOT NULL DEFAULT 0 CHECK (weekly_growth >= 0);
-- A court plan carries out the terms of a court order: the outcome it was made under.
ALTER TABLE plans ADD COLUMN court_event_id INTEGER REFERENCES court_events(id);

-- One row per income and expenditure assessment; its monthly amounts are assessment_lines.
CREATE TABLE assessments (
    id             INTEGER PRIMARY KEY,
    tenancy_id     INTEGER NOT NULL REFERENCES tenancies(id),
    assessed_on    TEXT NOT NULL,
    adults         INTEGER NOT NULL CHECK (adults >= 0),
    dependants     INTEGER NOT NULL CHECK (dependants >= 0),
    non_dependants INTEGER NOT NULL CHECK (non_dependants >= 0),
    vehicles       INTEGER NOT NULL CHECK (vehicles >= 0),
    note           TEXT NOT NULL DEFAULT '',
    officer        TEXT NOT NULL,
    at             TEXT NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX assessments_by_tenancy ON assessments (tenancy_id, assessed_on, id);

-- Monthly amounts in pence, one per SFS item (see domain::affordability::Item).
CREATE TABLE assessment_lines (
    assessment_id INTEGER NOT NULL REFERENCES assessments(id),
    item          TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (assessment_id, item)
) WITHOUT ROWID;

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only: record a new assessment instead'); END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only: record a new assessment instead'); END;
CREATE TRIGGER assessment_lines_no_update BEFORE UPDATE ON assessment_lines
BEGIN SELECT RAISE(ABORT, 'assessments are append-only: record a new assessment instead'); END;
CREATE TRIGGER assessment_lines_no_delete BEFORE DELETE ON assessment_lines
BEGIN SELECT RAISE(ABORT, 'assessments are append-only: record a new assessment instead'); END;
