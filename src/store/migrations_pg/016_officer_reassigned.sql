-- caseload schema for PostgreSQL, version 16: who works each tenancy is known to both sides
-- (docs/import.md, "Who owns what"). The housing system names an officer for each tenancy
-- (ext_officer, written by an import); an income coordinator may move a patch or some accounts to
-- another officer in caseload (own_officer), which an import never overwrites. Every reader sees
-- `officer`: caseload's when it has one, else the housing system's. Each move is in the audit
-- trail (entity 'tenancy', field 'officer', the old officer and the new).
--
-- Only a coordinator moves accounts: the role caseload_coordinator, granted to a coordinator's
-- login beside (or instead of) caseload_officer, may do all an officer does and write caseload's
-- side of a tenancy's officer; an officer's login may not.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'caseload_coordinator') THEN
        CREATE ROLE caseload_coordinator NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;  -- made by another database's migration
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the role caseload_coordinator does not exist and this login may not create it'
            USING HINT = 'create it first (CREATE ROLE caseload_coordinator NOLOGIN IN ROLE caseload_officer) or migrate as a login with CREATEROLE';
END $$;
DO $$
BEGIN
    IF NOT pg_has_role('caseload_coordinator', 'caseload_officer', 'MEMBER') THEN
        GRANT caseload_officer TO caseload_coordinator;
    END IF;
END $$;

ALTER TABLE tenancies RENAME COLUMN officer TO ext_officer;
ALTER TABLE tenancies ADD COLUMN own_officer TEXT;
ALTER TABLE tenancies ADD COLUMN officer TEXT
    GENERATED ALWAYS AS (coalesce(own_officer, ext_officer)) STORED;
GRANT UPDATE (own_officer) ON tenancies TO caseload_coordinator;
