-- caseload schema for PostgreSQL, version 13: the team's numbers week by week (the KPI screen's and
-- the report's trends), kept by caseload. Derived from the ledger and the records, like
-- last_actions: a kept week is worked out again when an entry, action, notice, court event or
-- correction dated in or before it arrives later. One row per rent week (its Monday) and patch and
-- officer pair; tally is that week's figures as JSON (domain::kpi::Tally, money as exact decimal
-- text). Any officer's workstation may work the weeks out again, so officers may rewrite them.
CREATE TABLE kpi_weeks (
    week    DATE NOT NULL,
    patch   TEXT NOT NULL,
    officer TEXT NOT NULL,
    tally   TEXT NOT NULL,
    PRIMARY KEY (week, patch, officer)
);

-- The newest row of each table when the kept weeks were last checked: what arrived since is
-- looked at (by id, so the check is quick) for the earliest date it touches.
CREATE TABLE kpi_marks (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    ledger      BIGINT NOT NULL,
    actions     BIGINT NOT NULL,
    corrections BIGINT NOT NULL,
    notices     BIGINT NOT NULL,
    court       BIGINT NOT NULL
);

GRANT SELECT, INSERT, UPDATE, DELETE ON kpi_weeks, kpi_marks TO caseload_officer;
