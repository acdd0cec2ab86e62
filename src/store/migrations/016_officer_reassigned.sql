-- caseload schema, version 16: who works each tenancy is known to both sides (docs/import.md,
-- "Who owns what"). The housing system names an officer for each tenancy (ext_officer, written by
-- an import); an income coordinator may move a patch or some accounts to another officer in
-- caseload (own_officer), which an import never overwrites. Every reader sees `officer`:
-- caseload's when it has one, else the housing system's. Each move is in the audit trail
-- (entity 'tenancy', field 'officer', the old officer and the new).
ALTER TABLE tenancies RENAME COLUMN officer TO ext_officer;
ALTER TABLE tenancies ADD COLUMN own_officer TEXT;
ALTER TABLE tenancies ADD COLUMN officer TEXT
    GENERATED ALWAYS AS (coalesce(own_officer, ext_officer)) VIRTUAL;
