-- caseload schema for PostgreSQL, version 6: who owns each fact (docs/import.md, "Who owns what").
-- A tenancy's protective facts are kept once for each side, the housing system's (ext_, written by
-- an import) and caseload's (own_, recorded by an officer), and read combined towards protection
-- under the names every reader already uses. A plan's status as the housing system last reported
-- it is kept beside the plan's state, which caseload's breach check owns.
--
-- SQLite's version 6 also moves values recorded before it into their side's column; no PostgreSQL
-- database held a caseload before version 13, so there is nothing here to move.

ALTER TABLE tenancies RENAME COLUMN vulnerable TO ext_vulnerable;
ALTER TABLE tenancies RENAME COLUMN vulnerability TO ext_vulnerability;
ALTER TABLE tenancies RENAME COLUMN breathing_space_until TO ext_breathing_space_until;
-- Only an officer ever set the category, so the column was caseload's already.
ALTER TABLE tenancies RENAME COLUMN vulnerability_category TO own_vulnerability_category;
ALTER TABLE tenancies ADD COLUMN own_vulnerable BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE tenancies ADD COLUMN own_vulnerability TEXT;
ALTER TABLE tenancies ADD COLUMN own_breathing_space_until DATE;

-- What every reader sees: either side's protection holds.
ALTER TABLE tenancies ADD COLUMN vulnerable BOOLEAN
    GENERATED ALWAYS AS (ext_vulnerable OR own_vulnerable) STORED;
ALTER TABLE tenancies ADD COLUMN vulnerability TEXT GENERATED ALWAYS AS (CASE
    WHEN own_vulnerable AND ext_vulnerable AND ext_vulnerability IS NOT NULL
         AND ext_vulnerability IS DISTINCT FROM own_vulnerability
    THEN coalesce(own_vulnerability || '; ', '') || 'housing system: ' || ext_vulnerability
    WHEN own_vulnerable THEN own_vulnerability
    ELSE ext_vulnerability END) STORED;
ALTER TABLE tenancies ADD COLUMN vulnerability_category TEXT
    GENERATED ALWAYS AS (CASE WHEN own_vulnerable THEN own_vulnerability_category END) STORED;
ALTER TABLE tenancies ADD COLUMN breathing_space_until DATE
    GENERATED ALWAYS AS (greatest(own_breathing_space_until, ext_breathing_space_until)) STORED;

-- An officer records caseload's side of these facts (and an eviction carried out ends the
-- tenancy); the housing system's side is an import's.
GRANT UPDATE (own_vulnerable, own_vulnerability, own_vulnerability_category, own_breathing_space_until,
              end_date)
    ON tenancies TO caseload_officer;

-- The status the housing system last reported for one of its plans, and since when. Its changes
-- are in the audit trail (entity 'plan', field 'status').
CREATE TABLE plan_reports (
    plan_id BIGINT PRIMARY KEY REFERENCES plans(id),
    status  TEXT NOT NULL CHECK (status IN ('live','breached','completed','cancelled','replaced')),
    on_date DATE NOT NULL
);
GRANT SELECT ON plan_reports TO caseload_officer;

-- An import says what it kept by the day an officer set each field: find those entries directly.
CREATE INDEX audit_by_entity ON audit (entity, entity_id, field);
