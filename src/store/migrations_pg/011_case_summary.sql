-- caseload schema for PostgreSQL, version 11: each tenancy's case in one row, kept by the database
-- itself, so the queue ranks 50,000 tenancies from one read instead of grouping and sorting every
-- notice, plan, court event, pause and call. Derived, not append-only: the triggers below keep it
-- as rows are added (as the owner: officers only read it), a correction recomputes its tenancy's
-- row from the rows still in force (case_summary_of, the one definition of what the row should
-- hold), and `caseload verify` compares the two.

CREATE TABLE case_summary (
    tenancy_id        BIGINT PRIMARY KEY REFERENCES tenancies(id),
    notice            DATE,      -- the latest notice served, in force
    plan_id           BIGINT,    -- the current plan: agreed last, then recorded last
    plan_at           TIMESTAMP,
    plan_kind         TEXT,
    plan_start        DATE,
    plan_frequency    TEXT,
    plan_instalment   BIGINT,
    plan_state        TEXT,      -- its latest state (live until another is recorded) and since when
    plan_since        DATE,
    hearing           DATE,      -- the latest hearing date, of a hearing or an outcome, in force
    order_outcome     TEXT,      -- the latest outcome recorded (by id), its hearing and whether it has terms
    order_date        DATE,
    order_terms       BOOLEAN,
    warrant_applied   DATE,      -- the latest warrant applied for
    eviction_date     DATE,      -- the latest eviction date recorded (by id)
    -- Each side's latest pause and snooze in force (by id): caseload's own and the housing system's.
    own_pause_until   DATE,
    own_pause_reason  TEXT,
    ext_pause_until   DATE,
    ext_pause_reason  TEXT,
    own_snooze_until  DATE,
    own_snooze_reason TEXT,
    ext_snooze_until  DATE,
    ext_snooze_reason TEXT,
    call_back_asked   TIMESTAMP, -- the latest call back asked for, in force: when asked and for when
    call_back_at      TIMESTAMP
);

-- What each tenancy's row should hold, from the rows in force.
CREATE VIEW case_summary_of AS
SELECT t.id AS tenancy_id,
    (SELECT max(n.served_on) FROM notices n WHERE n.tenancy_id = t.id
       AND (n.action_id IS NULL OR n.action_id NOT IN (SELECT action_id FROM corrections))) AS notice,
    p.id AS plan_id, p.at AS plan_at, p.kind AS plan_kind, p.start_date AS plan_start,
    p.frequency AS plan_frequency, p.instalment AS plan_instalment,
    CASE WHEN p.id IS NOT NULL THEN coalesce(e.state, 'live') END AS plan_state,
    CASE WHEN p.id IS NOT NULL THEN coalesce(e.on_date, p.start_date) END AS plan_since,
    (SELECT max(c.on_date) FROM court_events c WHERE c.tenancy_id = t.id
       AND c.kind IN ('hearing', 'outcome')
       AND (c.action_id IS NULL OR c.action_id NOT IN (SELECT action_id FROM corrections))) AS hearing,
    o.outcome AS order_outcome, o.on_date AS order_date,
    CASE WHEN o.id IS NOT NULL THEN o.terms <> '' END AS order_terms,
    (SELECT max(c.on_date) FROM court_events c WHERE c.tenancy_id = t.id
       AND c.kind = 'warrant_applied'
       AND (c.action_id IS NULL OR c.action_id NOT IN (SELECT action_id FROM corrections))) AS warrant_applied,
    v.on_date AS eviction_date,
    op.until AS own_pause_until, op.reason AS own_pause_reason,
    xp.until AS ext_pause_until, xp.reason AS ext_pause_reason,
    os.until AS own_snooze_until, os.reason AS own_snooze_reason,
    xs.until AS ext_snooze_until, xs.reason AS ext_snooze_reason,
    cb.at AS call_back_asked, cc.call_back AS call_back_at
FROM tenancies t
LEFT JOIN plans p ON p.id =
    (SELECT id FROM plans WHERE tenancy_id = t.id ORDER BY at DESC, id DESC LIMIT 1)
LEFT JOIN plan_events e ON e.id = (SELECT max(id) FROM plan_events WHERE plan_id = p.id)
LEFT JOIN court_events o ON o.id = (SELECT max(id) FROM court_events WHERE tenancy_id = t.id
    AND kind = 'outcome' AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN court_events v ON v.id = (SELECT max(id) FROM court_events WHERE tenancy_id = t.id
    AND kind = 'eviction_date' AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN pauses op ON op.id = (SELECT max(id) FROM pauses WHERE tenancy_id = t.id AND kind = 'pause'
    AND ext_id IS NULL AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN pauses xp ON xp.id = (SELECT max(id) FROM pauses WHERE tenancy_id = t.id AND kind = 'pause'
    AND ext_id IS NOT NULL AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN pauses os ON os.id = (SELECT max(id) FROM pauses WHERE tenancy_id = t.id AND kind = 'snooze'
    AND ext_id IS NULL AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN pauses xs ON xs.id = (SELECT max(id) FROM pauses WHERE tenancy_id = t.id AND kind = 'snooze'
    AND ext_id IS NOT NULL AND (action_id IS NULL OR action_id NOT IN (SELECT action_id FROM corrections)))
LEFT JOIN actions cb ON cb.id = (SELECT a.id FROM actions a JOIN contacts k ON k.action_id = a.id
    WHERE a.tenancy_id = t.id AND k.call_back IS NOT NULL
      AND a.id NOT IN (SELECT action_id FROM corrections)
    ORDER BY a.at DESC, a.id DESC LIMIT 1)
LEFT JOIN contacts cc ON cc.action_id = cb.id;

INSERT INTO case_summary SELECT * FROM case_summary_of;
GRANT SELECT ON case_summary, case_summary_of TO caseload_officer;

-- Whether a row belongs to a record still in force (imported rows have no record, and are).
CREATE FUNCTION caseload_in_force(action_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT action_id IS NULL OR NOT EXISTS (SELECT 1 FROM corrections c WHERE c.action_id = $1)
$$;

-- Every tenancy has its row from the start.
CREATE FUNCTION tenancies_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO case_summary (tenancy_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER tenancies_keep_case_summary AFTER INSERT ON tenancies
FOR EACH ROW EXECUTE FUNCTION tenancies_keep_case_summary();

-- A new row is the latest of its kind (ids only grow); it counts if it is in force. greatest()
-- passes over a NULL, so the date that is there is kept.
CREATE FUNCTION notices_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF caseload_in_force(NEW.action_id) THEN
        UPDATE case_summary SET notice = greatest(notice, NEW.served_on)
        WHERE tenancy_id = NEW.tenancy_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER notices_keep_case_summary AFTER INSERT ON notices
FOR EACH ROW EXECUTE FUNCTION notices_keep_case_summary();

CREATE FUNCTION plans_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE case_summary SET plan_id = NEW.id, plan_at = NEW.at, plan_kind = NEW.kind,
        plan_start = NEW.start_date, plan_frequency = NEW.frequency, plan_instalment = NEW.instalment,
        plan_state = 'live', plan_since = NEW.start_date
    WHERE tenancy_id = NEW.tenancy_id AND (plan_at IS NULL OR NEW.at >= plan_at);
    RETURN NULL;
END $$;
CREATE TRIGGER plans_keep_case_summary AFTER INSERT ON plans
FOR EACH ROW EXECUTE FUNCTION plans_keep_case_summary();

CREATE FUNCTION plan_events_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE case_summary SET plan_state = NEW.state, plan_since = NEW.on_date
    WHERE tenancy_id = (SELECT tenancy_id FROM plans WHERE id = NEW.plan_id)
      AND plan_id = NEW.plan_id;
    RETURN NULL;
END $$;
CREATE TRIGGER plan_events_keep_case_summary AFTER INSERT ON plan_events
FOR EACH ROW EXECUTE FUNCTION plan_events_keep_case_summary();

CREATE FUNCTION court_events_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF caseload_in_force(NEW.action_id) THEN
        UPDATE case_summary SET
            hearing = CASE WHEN NEW.kind IN ('hearing', 'outcome')
                THEN greatest(hearing, NEW.on_date) ELSE hearing END,
            order_outcome = CASE WHEN NEW.kind = 'outcome' THEN NEW.outcome ELSE order_outcome END,
            order_date = CASE WHEN NEW.kind = 'outcome' THEN NEW.on_date ELSE order_date END,
            order_terms = CASE WHEN NEW.kind = 'outcome' THEN NEW.terms <> '' ELSE order_terms END,
            warrant_applied = CASE WHEN NEW.kind = 'warrant_applied'
                THEN greatest(warrant_applied, NEW.on_date) ELSE warrant_applied END,
            eviction_date = CASE WHEN NEW.kind = 'eviction_date' THEN NEW.on_date ELSE eviction_date END
        WHERE tenancy_id = NEW.tenancy_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER court_events_keep_case_summary AFTER INSERT ON court_events
FOR EACH ROW EXECUTE FUNCTION court_events_keep_case_summary();

CREATE FUNCTION pauses_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    own boolean := NEW.ext_id IS NULL;
BEGIN
    IF caseload_in_force(NEW.action_id) THEN
        UPDATE case_summary SET
            own_pause_until = CASE WHEN NEW.kind = 'pause' AND own THEN NEW.until ELSE own_pause_until END,
            own_pause_reason = CASE WHEN NEW.kind = 'pause' AND own THEN NEW.reason ELSE own_pause_reason END,
            ext_pause_until = CASE WHEN NEW.kind = 'pause' AND NOT own THEN NEW.until ELSE ext_pause_until END,
            ext_pause_reason = CASE WHEN NEW.kind = 'pause' AND NOT own THEN NEW.reason ELSE ext_pause_reason END,
            own_snooze_until = CASE WHEN NEW.kind = 'snooze' AND own THEN NEW.until ELSE own_snooze_until END,
            own_snooze_reason = CASE WHEN NEW.kind = 'snooze' AND own THEN NEW.reason ELSE own_snooze_reason END,
            ext_snooze_until = CASE WHEN NEW.kind = 'snooze' AND NOT own THEN NEW.until ELSE ext_snooze_until END,
            ext_snooze_reason = CASE WHEN NEW.kind = 'snooze' AND NOT own THEN NEW.reason ELSE ext_snooze_reason END
        WHERE tenancy_id = NEW.tenancy_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER pauses_keep_case_summary AFTER INSERT ON pauses
FOR EACH ROW EXECUTE FUNCTION pauses_keep_case_summary();

-- A call back belongs to its call's action, which is written just before it.
CREATE FUNCTION contacts_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.call_back IS NOT NULL AND caseload_in_force(NEW.action_id) THEN
        UPDATE case_summary SET call_back_asked = a.at, call_back_at = NEW.call_back
        FROM (SELECT tenancy_id, at FROM actions WHERE id = NEW.action_id) AS a
        WHERE case_summary.tenancy_id = a.tenancy_id
          AND (case_summary.call_back_asked IS NULL OR a.at >= case_summary.call_back_asked);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_keep_case_summary AFTER INSERT ON contacts
FOR EACH ROW EXECUTE FUNCTION contacts_keep_case_summary();

-- A record corrected: its tenancy's row is made again from what is still in force.
CREATE FUNCTION corrections_keep_case_summary() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM case_summary WHERE tenancy_id = NEW.tenancy_id;
    INSERT INTO case_summary SELECT * FROM case_summary_of WHERE tenancy_id = NEW.tenancy_id;
    RETURN NULL;
END $$;
CREATE TRIGGER corrections_keep_case_summary AFTER INSERT ON corrections
FOR EACH ROW EXECUTE FUNCTION corrections_keep_case_summary();
