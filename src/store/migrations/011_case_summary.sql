-- caseload schema: each tenancy's case in one row, kept by the database itself, so the queue ranks
-- 50,000 tenancies from one read instead of grouping and sorting every notice, plan, court event,
-- pause and call. Derived, not append-only: the triggers below keep it as rows are added, a
-- correction recomputes its tenancy's row from the rows still in force (case_summary_of, the one
-- definition of what the row should hold), and `caseload verify` compares the two.

CREATE TABLE case_summary (
    tenancy_id        INTEGER PRIMARY KEY REFERENCES tenancies(id),
    notice            TEXT,     -- the latest notice served, in force
    plan_id           INTEGER,  -- the current plan: agreed last, then recorded last
    plan_at           TEXT,
    plan_kind         TEXT,
    plan_start        TEXT,
    plan_frequency    TEXT,
    plan_instalment   INTEGER,
    plan_state        TEXT,     -- its latest state (live until another is recorded) and since when
    plan_since        TEXT,
    hearing           TEXT,     -- the latest hearing date, of a hearing or an outcome, in force
    order_outcome     TEXT,     -- the latest outcome recorded (by id), its hearing and whether it has terms
    order_date        TEXT,
    order_terms       INTEGER,
    warrant_applied   TEXT,     -- the latest warrant applied for
    eviction_date     TEXT,     -- the latest eviction date recorded (by id)
    -- Each side's latest pause and snooze in force (by id): caseload's own and the housing system's.
    own_pause_until   TEXT,
    own_pause_reason  TEXT,
    ext_pause_until   TEXT,
    ext_pause_reason  TEXT,
    own_snooze_until  TEXT,
    own_snooze_reason TEXT,
    ext_snooze_until  TEXT,
    ext_snooze_reason TEXT,
    call_back_asked   TEXT,     -- the latest call back asked for, in force: when asked and for when
    call_back_at      TEXT
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

-- Every tenancy has its row from the start.
CREATE TRIGGER tenancies_keep_case_summary AFTER INSERT ON tenancies
BEGIN
    INSERT INTO case_summary (tenancy_id) VALUES (NEW.id);
END;

-- A new row is the latest of its kind (ids only grow); it counts if it is in force. A date may be
-- missing: max() of a NULL is NULL, so the one that is there is kept.
CREATE TRIGGER notices_keep_case_summary AFTER INSERT ON notices
WHEN NEW.action_id IS NULL OR NEW.action_id NOT IN (SELECT action_id FROM corrections)
BEGIN
    UPDATE case_summary SET notice = coalesce(max(notice, NEW.served_on), NEW.served_on)
    WHERE tenancy_id = NEW.tenancy_id;
END;

CREATE TRIGGER plans_keep_case_summary AFTER INSERT ON plans
BEGIN
    UPDATE case_summary SET plan_id = NEW.id, plan_at = NEW.at, plan_kind = NEW.kind,
        plan_start = NEW.start_date, plan_frequency = NEW.frequency, plan_instalment = NEW.instalment,
        plan_state = 'live', plan_since = NEW.start_date
    WHERE tenancy_id = NEW.tenancy_id AND (plan_at IS NULL OR NEW.at >= plan_at);
END;

CREATE TRIGGER plan_events_keep_case_summary AFTER INSERT ON plan_events
BEGIN
    UPDATE case_summary SET plan_state = NEW.state, plan_since = NEW.on_date
    WHERE tenancy_id = (SELECT tenancy_id FROM plans WHERE id = NEW.plan_id)
      AND plan_id = NEW.plan_id;
END;

CREATE TRIGGER court_events_keep_case_summary AFTER INSERT ON court_events
WHEN NEW.action_id IS NULL OR NEW.action_id NOT IN (SELECT action_id FROM corrections)
BEGIN
    UPDATE case_summary SET
        hearing = CASE WHEN NEW.kind IN ('hearing', 'outcome')
            THEN coalesce(max(hearing, NEW.on_date), hearing, NEW.on_date) ELSE hearing END,
        order_outcome = CASE WHEN NEW.kind = 'outcome' THEN NEW.outcome ELSE order_outcome END,
        order_date = CASE WHEN NEW.kind = 'outcome' THEN NEW.on_date ELSE order_date END,
        order_terms = CASE WHEN NEW.kind = 'outcome' THEN NEW.terms <> '' ELSE order_terms END,
        warrant_applied = CASE WHEN NEW.kind = 'warrant_applied'
            THEN coalesce(max(warrant_applied, NEW.on_date), warrant_applied, NEW.on_date)
            ELSE warrant_applied END,
        eviction_date = CASE WHEN NEW.kind = 'eviction_date' THEN NEW.on_date ELSE eviction_date END
    WHERE tenancy_id = NEW.tenancy_id;
END;

CREATE TRIGGER pauses_keep_case_summary AFTER INSERT ON pauses
WHEN NEW.action_id IS NULL OR NEW.action_id NOT IN (SELECT action_id FROM corrections)
BEGIN
    UPDATE case_summary SET
        own_pause_until = CASE WHEN NEW.kind = 'pause' AND NEW.ext_id IS NULL
            THEN NEW.until ELSE own_pause_until END,
        own_pause_reason = CASE WHEN NEW.kind = 'pause' AND NEW.ext_id IS NULL
            THEN NEW.reason ELSE own_pause_reason END,
        ext_pause_until = CASE WHEN NEW.kind = 'pause' AND NEW.ext_id IS NOT NULL
            THEN NEW.until ELSE ext_pause_until END,
        ext_pause_reason = CASE WHEN NEW.kind = 'pause' AND NEW.ext_id IS NOT NULL
            THEN NEW.reason ELSE ext_pause_reason END,
        own_snooze_until = CASE WHEN NEW.kind = 'snooze' AND NEW.ext_id IS NULL
            THEN NEW.until ELSE own_snooze_until END,
        own_snooze_reason = CASE WHEN NEW.kind = 'snooze' AND NEW.ext_id IS NULL
            THEN NEW.reason ELSE own_snooze_reason END,
        ext_snooze_until = CASE WHEN NEW.kind = 'snooze' AND NEW.ext_id IS NOT NULL
            THEN NEW.until ELSE ext_snooze_until END,
        ext_snooze_reason = CASE WHEN NEW.kind = 'snooze' AND NEW.ext_id IS NOT NULL
            THEN NEW.reason ELSE ext_snooze_reason END
    WHERE tenancy_id = NEW.tenancy_id;
END;

-- A call back belongs to its call's action, which is written just before it.
CREATE TRIGGER contacts_keep_case_summary AFTER INSERT ON contacts
WHEN NEW.call_back IS NOT NULL AND NEW.action_id NOT IN (SELECT action_id FROM corrections)
BEGIN
    UPDATE case_summary SET call_back_asked = a.at, call_back_at = NEW.call_back
    FROM (SELECT tenancy_id, at FROM actions WHERE id = NEW.action_id) AS a
    WHERE case_summary.tenancy_id = a.tenancy_id
      AND (case_summary.call_back_asked IS NULL OR a.at >= case_summary.call_back_asked);
END;

-- A record corrected: its tenancy's row is made again from what is still in force.
CREATE TRIGGER corrections_keep_case_summary AFTER INSERT ON corrections
BEGIN
    DELETE FROM case_summary WHERE tenancy_id = NEW.tenancy_id;
    INSERT INTO case_summary SELECT * FROM case_summary_of WHERE tenancy_id = NEW.tenancy_id;
END;
