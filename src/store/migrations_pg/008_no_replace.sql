-- caseload schema for PostgreSQL, version 8. SQLite's version 8 closes a side door: its INSERT OR
-- REPLACE deletes the row it collides with without firing the no-delete triggers. PostgreSQL has no
-- such statement: an INSERT that collides with a key fails, and INSERT ... ON CONFLICT DO UPDATE
-- fires the table's UPDATE triggers, which refuse it on every append-only table (version 1 on).
-- Nothing to add; the version is kept so that both dialects count the same steps.
SELECT 1;
