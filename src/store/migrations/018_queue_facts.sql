-- caseload schema, version 18: each tenancy's queue facts kept packed in one row, so re-ranking 50,000
-- tenancies reads one table instead of five. Derived, not append-only, and never trusted blindly:
-- every table the facts come from bumps its tenancy's `version` in the same transaction as the
-- change (the triggers below, so a write made any way at all is seen), and the queue uses a
-- packed row only when it was read at the version the row is at now, for the same promise
-- horizon (`packed_for`: the day from which promises and call backs count, and the tolerance).
-- Any other row is read again from the tables, and packed again (store/facts_kept.rs).
CREATE TABLE queue_facts (
    tenancy_id     INTEGER PRIMARY KEY,
    version        INTEGER NOT NULL DEFAULT 0,
    packed_version INTEGER,
    packed_for     TEXT,
    packed         BLOB
);

INSERT INTO queue_facts (tenancy_id) SELECT id FROM tenancies;

CREATE TRIGGER tenancies_insert_keep_queue_facts AFTER INSERT ON tenancies
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER tenancies_update_keep_queue_facts AFTER UPDATE ON tenancies
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.id, 1), (OLD.id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER tenancies_delete_keep_queue_facts AFTER DELETE ON tenancies
BEGIN
    DELETE FROM queue_facts WHERE tenancy_id = OLD.id;
END;

CREATE TRIGGER case_summary_insert_keep_queue_facts AFTER INSERT ON case_summary
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER case_summary_update_keep_queue_facts AFTER UPDATE ON case_summary
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1), (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER case_summary_delete_keep_queue_facts AFTER DELETE ON case_summary
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER accounts_insert_keep_queue_facts AFTER INSERT ON accounts
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER accounts_update_keep_queue_facts AFTER UPDATE ON accounts
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1), (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER accounts_delete_keep_queue_facts AFTER DELETE ON accounts
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER last_actions_insert_keep_queue_facts AFTER INSERT ON last_actions
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER last_actions_update_keep_queue_facts AFTER UPDATE ON last_actions
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1), (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER last_actions_delete_keep_queue_facts AFTER DELETE ON last_actions
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;

CREATE TRIGGER promises_insert_keep_queue_facts AFTER INSERT ON promises
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER promises_update_keep_queue_facts AFTER UPDATE ON promises
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1), (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER promises_delete_keep_queue_facts AFTER DELETE ON promises
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;

-- A correction takes a promise out of force (the promises read skips corrected ones).
CREATE TRIGGER corrections_insert_keep_queue_facts AFTER INSERT ON corrections
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER corrections_update_keep_queue_facts AFTER UPDATE ON corrections
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (NEW.tenancy_id, 1), (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER corrections_delete_keep_queue_facts AFTER DELETE ON corrections
BEGIN
    INSERT INTO queue_facts (tenancy_id, version) VALUES (OLD.tenancy_id, 1)
    ON CONFLICT (tenancy_id) DO UPDATE SET version = version + 1;
END;
