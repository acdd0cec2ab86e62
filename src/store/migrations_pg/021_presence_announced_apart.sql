-- caseload schema for PostgreSQL, version 21: a call or a note begun or ended is announced apart
-- from the records, its tenancies' ids after 'p:' ('p:12,40'). Who is on an account is no fact of
-- the queue: a workstation that hears it looks again at who is on the account open, and reads no
-- row of its queue again (version 14 announced it as a write, which re-read each row named).
CREATE FUNCTION caseload_announce_presence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    SELECT string_agg(DISTINCT tenancy_id::text, ',') INTO ids FROM touched;
    IF ids IS NOT NULL THEN
        PERFORM pg_notify('caseload_changes', 'p:' || ids);
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER presence_announced_begun ON presence;
DROP TRIGGER presence_announced_ended ON presence;
CREATE TRIGGER presence_announced_begun AFTER INSERT ON presence REFERENCING NEW TABLE AS touched
FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce_presence();
CREATE TRIGGER presence_announced_ended AFTER DELETE ON presence REFERENCING OLD TABLE AS touched
FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce_presence();
