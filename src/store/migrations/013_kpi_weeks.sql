-- caseload schema: the team's numbers week by week (the KPI screen's and the report's trends),
-- kept by caseload. Derived from the ledger and the records, like last_actions: a kept week is
-- worked out again when an entry, action, notice, court event or correction dated in or before it
-- arrives later. One row per rent week (its Monday) and patch and officer pair; tally is that
-- week's figures as JSON (domain::kpi::Tally, money as exact decimal text).
CREATE TABLE kpi_weeks (
    week    TEXT NOT NULL,
    patch   TEXT NOT NULL,
    officer TEXT NOT NULL,
    tally   TEXT NOT NULL,
    PRIMARY KEY (week, patch, officer)
) WITHOUT ROWID;

-- The newest row of each table when the kept weeks were last checked: what arrived since is
-- looked at (by row id, so the check is quick) for the earliest date it touches.
CREATE TABLE kpi_marks (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    ledger      INTEGER NOT NULL,
    actions     INTEGER NOT NULL,
    corrections INTEGER NOT NULL,
    notices     INTEGER NOT NULL,
    court       INTEGER NOT NULL
);
