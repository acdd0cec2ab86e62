-- caseload schema, version 21: on a team's PostgreSQL database, a call or a note begun or ended is
-- announced apart from the records. A file announces nothing (who is on an account is read from
-- the drafts and calls in progress when it opens): nothing changes here, and the version keeps
-- both kinds of database counting alike.
SELECT 1;
