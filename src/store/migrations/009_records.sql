-- caseload schema: records a court and a complaint can rely on. Each legal step keeps its details
-- (a claim's court and number, a hearing's time and court, a warrant's number, how a notice was
-- served); every row an officer's record writes points at that record's line in the action log;
-- and a record can be corrected, "recorded in error" or "replaced by" a newer record, by a row of
-- its own. Nothing is deleted or changed: readers leave out what a correction took out of force.

ALTER TABLE court_events ADD COLUMN time TEXT;                       -- a hearing's time, HH:MM
ALTER TABLE court_events ADD COLUMN court TEXT NOT NULL DEFAULT '';
ALTER TABLE court_events ADD COLUMN reference TEXT NOT NULL DEFAULT ''; -- e.g. the warrant number
ALTER TABLE notices ADD COLUMN served_how TEXT
    CHECK (served_how IN ('by_hand', 'post', 'left_at_property'));

-- A court date applied for: the possession claim issued (or an application after an order).
CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    tenancy_id   INTEGER NOT NULL REFERENCES tenancies(id),
    applied_on   TEXT NOT NULL,
    court        TEXT NOT NULL DEFAULT '',
    claim_number TEXT NOT NULL DEFAULT '',                  -- when the court has given one
    officer      TEXT NOT NULL,
    action_id    INTEGER REFERENCES actions(id),
    batch_id     INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX claims_by_tenancy ON claims (tenancy_id, id);

-- The record each row belongs to: its line in the action log (imported rows have none).
ALTER TABLE notices ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE court_events ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE pauses ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE overrides ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE referrals ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE assessments ADD COLUMN action_id INTEGER REFERENCES actions(id);
ALTER TABLE plans ADD COLUMN action_id INTEGER REFERENCES actions(id);

-- A record corrected: taken out of force as recorded in error, or replaced by a newer record.
-- Both stay in the history; who corrected it and when is in the correction's batch.
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    tenancy_id  INTEGER NOT NULL REFERENCES tenancies(id),
    action_id   INTEGER NOT NULL UNIQUE REFERENCES actions(id),
    kind        TEXT NOT NULL CHECK (kind IN ('error', 'replaced')),
    replaced_by INTEGER REFERENCES actions(id),
    reason      TEXT NOT NULL CHECK (trim(reason) <> ''),
    officer     TEXT NOT NULL,
    at          TEXT NOT NULL,
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    CHECK ((kind = 'replaced') = (replaced_by IS NOT NULL))
);
CREATE INDEX corrections_by_tenancy ON corrections (tenancy_id);

CREATE TRIGGER claims_no_replace BEFORE INSERT ON claims
WHEN EXISTS (SELECT 1 FROM claims WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'claims are append-only: a claim cannot be replaced; correct the record instead'); END;
CREATE TRIGGER corrections_no_replace BEFORE INSERT ON corrections
WHEN EXISTS (SELECT 1 FROM corrections WHERE id = NEW.id OR action_id = NEW.action_id)
BEGIN SELECT RAISE(ABORT, 'corrections are append-only: a record is corrected once; correct the record that replaced it instead'); END;
CREATE TRIGGER claims_no_update BEFORE UPDATE ON claims
BEGIN SELECT RAISE(ABORT, 'claims are append-only: correct the record instead'); END;
CREATE TRIGGER claims_no_delete BEFORE DELETE ON claims
BEGIN SELECT RAISE(ABORT, 'claims are append-only: correct the record instead'); END;
CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only: correct the record again instead'); END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections are append-only: correct the record again instead'); END;

-- The latest action of each kind (for the policy) is the latest one still in force.
CREATE TRIGGER corrections_keep_last_actions AFTER INSERT ON corrections
BEGIN
    DELETE FROM last_actions
    WHERE tenancy_id = NEW.tenancy_id
      AND kind = (SELECT kind FROM actions WHERE id = NEW.action_id);
    INSERT INTO last_actions (tenancy_id, kind, at, action_id)
    SELECT a.tenancy_id, a.kind, a.at, a.id FROM actions a
    WHERE a.tenancy_id = NEW.tenancy_id
      AND a.kind = (SELECT kind FROM actions WHERE id = NEW.action_id)
      AND NOT EXISTS (SELECT 1 FROM corrections c WHERE c.action_id = a.id)
    ORDER BY a.at DESC, a.id DESC LIMIT 1;
END;
