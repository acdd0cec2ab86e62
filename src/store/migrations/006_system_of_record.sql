-- caseload schema: who owns each fact (docs/import.md, "Who owns what"). A tenancy's protective
-- facts are kept once for each side, the housing system's (ext_, written by an import) and
-- caseload's (own_, recorded by an officer), and read combined towards protection under the
-- names every reader already uses. A plan's status as the housing system last reported it is
-- kept beside the plan's state, which caseload's breach check owns.

ALTER TABLE tenancies RENAME COLUMN vulnerable TO ext_vulnerable;
ALTER TABLE tenancies RENAME COLUMN vulnerability TO ext_vulnerability;
ALTER TABLE tenancies RENAME COLUMN breathing_space_until TO ext_breathing_space_until;
-- Only an officer ever set the category, so the column was caseload's already.
ALTER TABLE tenancies RENAME COLUMN vulnerability_category TO own_vulnerability_category;
ALTER TABLE tenancies ADD COLUMN own_vulnerable INTEGER NOT NULL DEFAULT 0
    CHECK (own_vulnerable IN (0,1));
ALTER TABLE tenancies ADD COLUMN own_vulnerability TEXT;
ALTER TABLE tenancies ADD COLUMN own_breathing_space_until TEXT;

-- Until now one column held whichever side wrote last. The audit trail says which: a value an
-- officer set (a batch that is not an import) is caseload's, and the housing system's value is
-- the one that officer's first change since the last import replaced.
CREATE TEMP VIEW field_writes AS
    SELECT a.id, a.entity_id AS tenancy_id, a.field, a.old, a.new, b.source = 'import' AS imported
    FROM audit a JOIN batches b ON b.id = a.batch_id
    WHERE a.entity = 'tenancy';

-- An officer flagging vulnerable set a category; removing the flag cleared it.
UPDATE tenancies SET
    own_vulnerable = own_vulnerability_category IS NOT NULL,
    own_vulnerability = CASE WHEN own_vulnerability_category IS NOT NULL THEN
        (SELECT new FROM field_writes w WHERE w.tenancy_id = tenancies.id
           AND w.field = 'vulnerability' AND NOT w.imported ORDER BY w.id DESC LIMIT 1) END,
    own_breathing_space_until =
        (SELECT new FROM field_writes w WHERE w.tenancy_id = tenancies.id
           AND w.field = 'breathing_space_until' AND NOT w.imported ORDER BY w.id DESC LIMIT 1);

CREATE TEMP VIEW first_own_writes AS
    SELECT w.tenancy_id, w.field, w.old FROM field_writes w
    WHERE NOT w.imported AND w.id = (
        SELECT min(o.id) FROM field_writes o
        WHERE o.tenancy_id = w.tenancy_id AND o.field = w.field AND NOT o.imported
          AND o.id > coalesce((SELECT max(i.id) FROM field_writes i WHERE i.tenancy_id = w.tenancy_id
                                 AND i.field = w.field AND i.imported), 0));

UPDATE tenancies SET
    ext_vulnerable = coalesce((SELECT old = 'yes' FROM first_own_writes f
        WHERE f.tenancy_id = tenancies.id AND f.field = 'vulnerable'), ext_vulnerable),
    ext_vulnerability = CASE WHEN EXISTS (SELECT 1 FROM first_own_writes f
        WHERE f.tenancy_id = tenancies.id AND f.field = 'vulnerability')
        THEN (SELECT old FROM first_own_writes f
              WHERE f.tenancy_id = tenancies.id AND f.field = 'vulnerability')
        ELSE ext_vulnerability END,
    ext_breathing_space_until = CASE WHEN EXISTS (SELECT 1 FROM first_own_writes f
        WHERE f.tenancy_id = tenancies.id AND f.field = 'breathing_space_until')
        THEN (SELECT old FROM first_own_writes f
              WHERE f.tenancy_id = tenancies.id AND f.field = 'breathing_space_until')
        ELSE ext_breathing_space_until END;

DROP VIEW first_own_writes;
DROP VIEW field_writes;

-- What every reader sees: either side's protection holds.
ALTER TABLE tenancies ADD COLUMN vulnerable INTEGER
    GENERATED ALWAYS AS (ext_vulnerable OR own_vulnerable) VIRTUAL;
ALTER TABLE tenancies ADD COLUMN vulnerability TEXT GENERATED ALWAYS AS (CASE
    WHEN own_vulnerable AND ext_vulnerable AND ext_vulnerability IS NOT NULL
         AND ext_vulnerability IS NOT own_vulnerability
    THEN coalesce(own_vulnerability || '; ', '') || 'housing system: ' || ext_vulnerability
    WHEN own_vulnerable THEN own_vulnerability
    ELSE ext_vulnerability END) VIRTUAL;
ALTER TABLE tenancies ADD COLUMN vulnerability_category TEXT
    GENERATED ALWAYS AS (CASE WHEN own_vulnerable THEN own_vulnerability_category END) VIRTUAL;
ALTER TABLE tenancies ADD COLUMN breathing_space_until TEXT GENERATED ALWAYS AS (CASE
    WHEN own_breathing_space_until IS NULL THEN ext_breathing_space_until
    WHEN ext_breathing_space_until IS NULL THEN own_breathing_space_until
    ELSE max(own_breathing_space_until, ext_breathing_space_until) END) VIRTUAL;

-- The status the housing system last reported for one of its plans, and since when. Its changes
-- are in the audit trail (entity 'plan', field 'status').
CREATE TABLE plan_reports (
    plan_id INTEGER PRIMARY KEY REFERENCES plans(id),
    status  TEXT NOT NULL CHECK (status IN ('live','breached','completed','cancelled','replaced')),
    on_date TEXT NOT NULL
);

-- So far a reported status was written as the plan's state: the latest one is what was reported.
INSERT INTO plan_reports (plan_id, status, on_date)
SELECT p.id, coalesce(e.state, 'live'), coalesce(e.on_date, p.start_date)
FROM plans p
LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events
                                   WHERE plan_id = p.id AND reason = 'from the housing system')
WHERE p.ext_id IS NOT NULL;

-- An import says what it kept by the day an officer set each field: find those entries directly.
CREATE INDEX audit_by_entity ON audit (entity, entity_id, field);
