-- caseload schema, version 2: notices, court events, pauses and snoozes, overrides of the policy's
-- recommendation, and the latest action of each kind per tenancy (kept by trigger, for the policy).

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind       TEXT NOT NULL CHECK (kind IN ('nosp','section_8')),
    served_on  TEXT NOT NULL,
    grounds    TEXT NOT NULL DEFAULT '',
    amount     INTEGER,                               -- arrears stated on the notice, pence
    officer    TEXT NOT NULL,
    ext_id     TEXT,
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX notices_by_tenancy ON notices (tenancy_id, served_on);
CREATE UNIQUE INDEX notices_by_ext_id ON notices (ext_id) WHERE ext_id IS NOT NULL;

-- Hearings, their outcomes, warrants and eviction dates, each a row of its own.
CREATE TABLE court_events (
    id            INTEGER PRIMARY KEY,
    tenancy_id    INTEGER NOT NULL REFERENCES tenancies(id),
    kind          TEXT NOT NULL CHECK (kind IN ('hearing','outcome','warrant_applied','eviction_date')),
    on_date       TEXT,                                -- the hearing (also for an outcome), the
                                                       -- application, or the eviction
    outcome       TEXT,                                -- canonical outcome, for kind = 'outcome'
    code          TEXT,                                -- the landlord's own code, kept as given
    terms         TEXT NOT NULL DEFAULT '',            -- terms of the order, e.g. '£5 a week on top of rent'
    possession_on TEXT,                                -- outright on a date: the date possession is due
    costs         INTEGER,                             -- pence, also charged to the court_costs account
    officer       TEXT NOT NULL,
    ext_id        TEXT,
    batch_id      INTEGER NOT NULL REFERENCES batches(id),
    CHECK ((kind = 'outcome') = (outcome IS NOT NULL)),
    CHECK (kind = 'outcome' OR on_date IS NOT NULL)
);
CREATE INDEX court_events_by_tenancy ON court_events (tenancy_id, id);
CREATE UNIQUE INDEX court_events_by_ext_id ON court_events (ext_id) WHERE ext_id IS NOT NULL;

-- A pause holds every recommendation back until a date; a snooze hides the account from
-- "Needs action" until then. The latest row of a tenancy is in force; lifting early is a new row.
CREATE TABLE pauses (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind       TEXT NOT NULL CHECK (kind IN ('pause','snooze')),
    until      TEXT NOT NULL,
    reason     TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    officer    TEXT NOT NULL,
    at         TEXT NOT NULL,
    ext_id     TEXT,
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX pauses_by_tenancy ON pauses (tenancy_id, id);
CREATE UNIQUE INDEX pauses_by_ext_id ON pauses (ext_id) WHERE ext_id IS NOT NULL;

-- An officer's decision not to follow a recommendation, with the reason, kept for review.
CREATE TABLE overrides (
    id             INTEGER PRIMARY KEY,
    tenancy_id     INTEGER NOT NULL REFERENCES tenancies(id),
    recommendation TEXT NOT NULL,
    rule           INTEGER,
    reason         TEXT NOT NULL,
    officer        TEXT NOT NULL,
    at             TEXT NOT NULL,
    batch_id       INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX overrides_by_tenancy ON overrides (tenancy_id, id);

CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only: record a new notice instead'); END;
CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN SELECT RAISE(ABORT, 'notices are append-only: record a new notice instead'); END;
CREATE TRIGGER court_events_no_update BEFORE UPDATE ON court_events
BEGIN SELECT RAISE(ABORT, 'court events are append-only: record a new event instead'); END;
CREATE TRIGGER court_events_no_delete BEFORE DELETE ON court_events
BEGIN SELECT RAISE(ABORT, 'court events are append-only: record a new event instead'); END;
CREATE TRIGGER pauses_no_update BEFORE UPDATE ON pauses
BEGIN SELECT RAISE(ABORT, 'pauses are append-only: record a new pause or lift it instead'); END;
CREATE TRIGGER pauses_no_delete BEFORE DELETE ON pauses
BEGIN SELECT RAISE(ABORT, 'pauses are append-only: record a new pause or lift it instead'); END;
CREATE TRIGGER overrides_no_update BEFORE UPDATE ON overrides
BEGIN SELECT RAISE(ABORT, 'overrides are append-only'); END;
CREATE TRIGGER overrides_no_delete BEFORE DELETE ON overrides
BEGIN SELECT RAISE(ABORT, 'overrides are append-only'); END;

-- The latest action of each kind per tenancy, so the policy can be evaluated for 50,000 tenancies
-- without reading their whole action logs. Derived: kept by the trigger below.
CREATE TABLE last_actions (
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind       TEXT NOT NULL,
    at         TEXT NOT NULL,
    action_id  INTEGER NOT NULL,
    PRIMARY KEY (tenancy_id, kind)
) WITHOUT ROWID;

-- Moments compare as text: a bare date sorts before any time on that day, as it should.
CREATE TRIGGER actions_keep_last_actions AFTER INSERT ON actions
BEGIN
    INSERT INTO last_actions (tenancy_id, kind, at, action_id)
    VALUES (NEW.tenancy_id, NEW.kind, NEW.at, NEW.id)
    ON CONFLICT (tenancy_id, kind) DO UPDATE SET at = excluded.at, action_id = excluded.action_id
    WHERE excluded.at >= last_actions.at;
END;

INSERT INTO last_actions (tenancy_id, kind, at, action_id)
SELECT tenancy_id, kind, at, id FROM (
    SELECT tenancy_id, kind, at, id,
           row_number() OVER (PARTITION BY tenancy_id, kind ORDER BY at DESC, id DESC) AS n
    FROM actions
) WHERE n = 1;
