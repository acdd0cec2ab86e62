-- caseload schema for PostgreSQL, version 4: the housing system's own account numbers, so an
-- extract's transactions can name the sub-account they belong to and a second import finds it again.

ALTER TABLE accounts ADD COLUMN ext_id TEXT;
CREATE UNIQUE INDEX accounts_by_ext_id ON accounts (ext_id) WHERE ext_id IS NOT NULL;
