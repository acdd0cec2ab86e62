-- caseload schema for PostgreSQL, version 15: a draft belongs to the workstation it is typed on as
-- well as to its officer. One officer with a note open on the same account in two windows keeps
-- both drafts, and saving or throwing away one leaves the other. Drafts from before belong to no
-- workstation (''). The policies of version 7 (an officer writes only their own) still hold.
ALTER TABLE drafts ADD COLUMN workstation TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts DROP CONSTRAINT drafts_pkey;
ALTER TABLE drafts ADD CONSTRAINT drafts_pkey PRIMARY KEY (officer, tenancy_id, workstation);
