-- caseload schema: each tenancy's queue facts kept packed in one row (as the file's version 18:
-- see migrations/018_queue_facts.sql). Every table the facts come from bumps its tenancy's
-- `version` in the same transaction as the change; a packed row is used only when it was read at
-- the version the row is at now, for the same promise horizon, and is otherwise read again from
-- the tables and packed again by the workstation that ranks the queue.
CREATE TABLE queue_facts (
    tenancy_id     BIGINT PRIMARY KEY,
    version        BIGINT NOT NULL DEFAULT 0,
    packed_version BIGINT,
    packed_for     TEXT,
    packed         BYTEA
);

INSERT INTO queue_facts (tenancy_id) SELECT id FROM tenancies;

-- Officers pack rows and read them; only the triggers move a row's version.
GRANT SELECT, INSERT (tenancy_id, packed_version, packed_for, packed),
    UPDATE (packed_version, packed_for, packed) ON queue_facts TO caseload_officer;

CREATE FUNCTION queue_facts_bump(tenancy bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO queue_facts (tenancy_id, version) VALUES (tenancy, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = queue_facts.version + 1
$$;

CREATE FUNCTION tenancies_keep_queue_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM queue_facts_bump(OLD.id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM queue_facts_bump(NEW.id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tenancies_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON tenancies
FOR EACH ROW EXECUTE FUNCTION tenancies_keep_queue_facts();

-- Every other source names its tenancy in `tenancy_id`.
CREATE FUNCTION rows_keep_queue_facts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM queue_facts_bump(OLD.tenancy_id); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM queue_facts_bump(NEW.tenancy_id); END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_summary_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON case_summary
FOR EACH ROW EXECUTE FUNCTION rows_keep_queue_facts();
CREATE TRIGGER accounts_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON accounts
FOR EACH ROW EXECUTE FUNCTION rows_keep_queue_facts();
CREATE TRIGGER last_actions_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON last_actions
FOR EACH ROW EXECUTE FUNCTION rows_keep_queue_facts();
CREATE TRIGGER promises_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON promises
FOR EACH ROW EXECUTE FUNCTION rows_keep_queue_facts();
-- A correction takes a promise out of force (the promises read skips corrected ones).
CREATE TRIGGER corrections_keep_queue_facts AFTER INSERT OR UPDATE OR DELETE ON corrections
FOR EACH ROW EXECUTE FUNCTION rows_keep_queue_facts();
