-- caseload schema for PostgreSQL, version 14: who is doing what on which account now (presence),
-- and every change announced to the workstations that listen, so another officer's write
-- re-places that account in my queue without a full re-rank.
--
-- Presence is not a record: each row belongs to one workstation, which rewrites `seen` every few
-- seconds while the call or note lasts (its heartbeat) and takes the row away when it ends. A row
-- whose heartbeat has stopped, or whose connection is gone (the workstation stopped or was
-- killed), is not present: presence_now leaves it out.
CREATE TABLE presence (
    officer    TEXT NOT NULL DEFAULT session_user,
    tenancy_id BIGINT NOT NULL REFERENCES tenancies(id),
    doing      TEXT NOT NULL CHECK (doing IN ('call', 'note')),
    since      TIMESTAMPTZ NOT NULL DEFAULT now(),
    seen       TIMESTAMPTZ NOT NULL DEFAULT now(),
    backend    INTEGER NOT NULL DEFAULT pg_backend_pid(),
    PRIMARY KEY (officer, tenancy_id)
);
CREATE INDEX presence_by_tenancy ON presence (tenancy_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON presence TO caseload_officer;
ALTER TABLE presence ENABLE ROW LEVEL SECURITY;
CREATE POLICY presence_seen_by_all ON presence FOR SELECT TO caseload_officer USING (true);
CREATE POLICY presence_written_by_its_officer ON presence FOR ALL TO caseload_officer
    USING (officer = session_user) WITH CHECK (officer = session_user);

CREATE VIEW presence_now AS
SELECT officer, tenancy_id, doing, since FROM presence
WHERE seen > now() - interval '20 seconds'
  AND backend IN (SELECT pid FROM pg_stat_activity);
GRANT SELECT ON presence_now TO caseload_officer;

-- Announces the tenancies a statement touched on the channel caseload_changes, once the write
-- commits: their ids, comma-separated, or '*' when there are too many to name (an import), which
-- asks for a full re-rank. The trigger's argument says how a row names its tenancy.
CREATE FUNCTION caseload_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint;
    ids text;
BEGIN
    EXECUTE format('SELECT count(*), string_agg(id::text, '','') FROM (SELECT DISTINCT %s AS id FROM touched) d',
                   TG_ARGV[0])
        INTO touched, ids;
    IF touched > 400 THEN
        PERFORM pg_notify('caseload_changes', '*');
    ELSIF touched > 0 THEN
        PERFORM pg_notify('caseload_changes', ids);
    END IF;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('ledger', '(SELECT a.tenancy_id FROM accounts a WHERE a.id = account_id)'),
        ('plan_events', '(SELECT p.tenancy_id FROM plans p WHERE p.id = plan_id)'),
        ('contacts', '(SELECT a.tenancy_id FROM actions a WHERE a.id = action_id)'),
        ('actions', 'tenancy_id'), ('notes', 'tenancy_id'), ('plans', 'tenancy_id'),
        ('notices', 'tenancy_id'), ('court_events', 'tenancy_id'), ('pauses', 'tenancy_id'),
        ('overrides', 'tenancy_id'), ('assessments', 'tenancy_id'), ('promises', 'tenancy_id'),
        ('referrals', 'tenancy_id'), ('claims', 'tenancy_id'), ('corrections', 'tenancy_id'),
        ('letters', 'tenancy_id'), ('tenancies', 'id')) AS v(tbl, tenancy)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS touched
                        FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce(%L)',
                       t.tbl || '_announced', t.tbl, t.tenancy);
    END LOOP;
END $$;
-- A tenancy changed in place: flags recorded, a patch or an officer reassigned.
CREATE TRIGGER tenancies_announced_changed AFTER UPDATE ON tenancies REFERENCING NEW TABLE AS touched
FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce('id');
-- Someone begins or ends a call or a note (not each heartbeat).
CREATE TRIGGER presence_announced_begun AFTER INSERT ON presence REFERENCING NEW TABLE AS touched
FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce('tenancy_id');
CREATE TRIGGER presence_announced_ended AFTER DELETE ON presence REFERENCING OLD TABLE AS touched
FOR EACH STATEMENT EXECUTE FUNCTION caseload_announce('tenancy_id');
