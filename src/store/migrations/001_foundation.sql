-- caseload schema, version 1: tenancies, people, debts, the ledger, the contact log, notes, plans, audit.
-- Money is INTEGER pence. Business dates are ISO text (YYYY-MM-DD); business moments are local
-- YYYY-MM-DDTHH:MM:SS (a bare date counts as the start of that day); batch times are UTC.

-- Every write belongs to a batch: who wrote it, when, and from where (tui, import, demo, cli).
CREATE TABLE batches (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    officer TEXT NOT NULL,
    source  TEXT NOT NULL
);

CREATE TABLE properties (
    id       INTEGER PRIMARY KEY,
    address  TEXT NOT NULL,
    postcode TEXT NOT NULL
);

CREATE TABLE tenancies (
    id                    INTEGER PRIMARY KEY,
    ref                   TEXT NOT NULL UNIQUE,
    property_id           INTEGER NOT NULL REFERENCES properties(id),
    tenure                TEXT NOT NULL CHECK (tenure IN
                          ('secure','assured','introductory','starter','non_secure','temporary','leasehold')),
    start_date            TEXT NOT NULL,
    end_date              TEXT,
    patch                 TEXT NOT NULL DEFAULT '',
    officer               TEXT NOT NULL DEFAULT '',
    weekly_charge         INTEGER NOT NULL CHECK (weekly_charge >= 0),
    uc                    INTEGER NOT NULL DEFAULT 0 CHECK (uc IN (0,1)),
    hb                    INTEGER NOT NULL DEFAULT 0 CHECK (hb IN (0,1)),
    vulnerable            INTEGER NOT NULL DEFAULT 0 CHECK (vulnerable IN (0,1)),
    vulnerability         TEXT,
    breathing_space_until TEXT,
    deceased              INTEGER NOT NULL DEFAULT 0 CHECK (deceased IN (0,1)),
    interpreter           INTEGER NOT NULL DEFAULT 0 CHECK (interpreter IN (0,1)),
    batch_id              INTEGER NOT NULL REFERENCES batches(id)
);

CREATE TABLE tenants (
    id                 INTEGER PRIMARY KEY,
    tenancy_id         INTEGER NOT NULL REFERENCES tenancies(id),
    position           INTEGER NOT NULL,            -- 1 is the lead tenant
    title              TEXT NOT NULL DEFAULT '',
    first_name         TEXT NOT NULL,
    last_name          TEXT NOT NULL,
    phone              TEXT,
    phone2             TEXT,
    email              TEXT,
    date_of_birth      TEXT,
    contact_preference TEXT,
    UNIQUE (tenancy_id, position)
);

-- One row per debt of a tenancy. The columns after debt_type are kept by the ledger trigger below
-- so the queue can rank 50,000 accounts without summing millions of ledger rows.
CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    tenancy_id        INTEGER NOT NULL REFERENCES tenancies(id),
    debt_type         TEXT NOT NULL CHECK (debt_type IN
                      ('rent','garage','recharge','sundry','court_costs','former_tenant')),
    balance           INTEGER NOT NULL DEFAULT 0,
    entries           INTEGER NOT NULL DEFAULT 0,
    last_payment_date TEXT,
    pay_week          TEXT,                         -- Monday of the latest week with a payment
    pay_week_total    INTEGER NOT NULL DEFAULT 0,   -- received in that week (positive)
    charge_week       TEXT,                         -- Monday of the latest week with a charge
    charge_week_total INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenancy_id, debt_type)
);

-- The truth. amount is the effect on the balance in pence: positive raises what is owed.
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN
                ('charge','payment','adjustment','write_off','write_on','refund','reversal')),
    method      TEXT,
    amount      INTEGER NOT NULL CHECK (amount <> 0),
    description TEXT,
    reverses    INTEGER REFERENCES ledger(id),
    ext_id      TEXT,                               -- the source system's id, for idempotent import
    batch_id    INTEGER NOT NULL REFERENCES batches(id),
    CHECK (kind <> 'charge' OR amount > 0),
    CHECK (kind <> 'payment' OR amount < 0),
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL))
);
CREATE INDEX ledger_by_account ON ledger (account_id, date);
CREATE UNIQUE INDEX ledger_by_ext_id ON ledger (ext_id) WHERE ext_id IS NOT NULL;

-- The contact and recovery log: calls, letters, visits, notices served...
CREATE TABLE actions (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,                       -- canonical kind, e.g. letter_1, call
    code       TEXT,                                -- the landlord's own code, kept as given
    officer    TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    ext_id     TEXT,
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX actions_by_tenancy ON actions (tenancy_id, at);
CREATE UNIQUE INDEX actions_by_ext_id ON actions (ext_id) WHERE ext_id IS NOT NULL;

CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    at         TEXT NOT NULL,
    officer    TEXT NOT NULL,
    body       TEXT NOT NULL,
    action_id  INTEGER REFERENCES actions(id),
    amends     INTEGER REFERENCES notes(id),        -- a correction points at the note it corrects
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX notes_by_tenancy ON notes (tenancy_id, at);

-- Every plan version is a row; its states over time are plan_events. Nothing is rewritten.
CREATE TABLE plans (
    id               INTEGER PRIMARY KEY,
    tenancy_id       INTEGER NOT NULL REFERENCES tenancies(id),
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    kind             TEXT NOT NULL CHECK (kind IN ('informal','court')),
    frequency        TEXT NOT NULL CHECK (frequency IN
                     ('weekly','fortnightly','four_weekly','monthly','one_off')),
    start_date       TEXT NOT NULL,
    instalment       INTEGER NOT NULL CHECK (instalment > 0),
    lump_sum         INTEGER NOT NULL DEFAULT 0 CHECK (lump_sum >= 0),
    lump_date        TEXT,
    starting_balance INTEGER NOT NULL,
    method           TEXT,
    replaces         INTEGER REFERENCES plans(id),
    reason           TEXT NOT NULL DEFAULT '',
    at               TEXT NOT NULL,
    officer          TEXT NOT NULL,
    ext_id           TEXT,
    batch_id         INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX plans_by_tenancy ON plans (tenancy_id, id);

CREATE TABLE plan_events (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES plans(id),
    on_date  TEXT NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('live','breached','completed','cancelled','replaced')),
    expected INTEGER,                               -- expected balance at the change, pence
    actual   INTEGER,                               -- actual balance at the change, pence
    reason   TEXT NOT NULL DEFAULT '',
    batch_id INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX plan_events_by_plan ON plan_events (plan_id, id);

-- Changes to mutable records (contact details, flags, officer, patch): old and new value.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    batch_id  INTEGER NOT NULL REFERENCES batches(id),
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    field     TEXT NOT NULL,
    old       TEXT,
    new       TEXT
);

-- Append-only, enforced here and not only in code: a correction is a new row.
CREATE TRIGGER batches_no_update BEFORE UPDATE ON batches
BEGIN SELECT RAISE(ABORT, 'batches are append-only'); END;
CREATE TRIGGER batches_no_delete BEFORE DELETE ON batches
BEGIN SELECT RAISE(ABORT, 'batches are append-only'); END;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: add a correcting entry instead'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: add a reversal instead'); END;
CREATE TRIGGER actions_no_update BEFORE UPDATE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only: record a new action instead'); END;
CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are append-only: record a new action instead'); END;
CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only: add a note that amends it instead'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes are append-only: add a note that amends it instead'); END;
CREATE TRIGGER plans_no_update BEFORE UPDATE ON plans
BEGIN SELECT RAISE(ABORT, 'plans are append-only: save a new version instead'); END;
CREATE TRIGGER plans_no_delete BEFORE DELETE ON plans
BEGIN SELECT RAISE(ABORT, 'plans are append-only: cancel the plan instead'); END;
CREATE TRIGGER plan_events_no_update BEFORE UPDATE ON plan_events
BEGIN SELECT RAISE(ABORT, 'plan events are append-only'); END;
CREATE TRIGGER plan_events_no_delete BEFORE DELETE ON plan_events
BEGIN SELECT RAISE(ABORT, 'plan events are append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- Keep each account's summary in step with its ledger, in the same transaction as the entry.
-- SET expressions all read the row as it was before this UPDATE.
CREATE TRIGGER ledger_keeps_account_summary AFTER INSERT ON ledger
BEGIN
    UPDATE accounts SET
        balance = balance + NEW.amount,
        entries = entries + 1,
        last_payment_date = CASE
            WHEN NEW.kind = 'payment' AND (last_payment_date IS NULL OR NEW.date > last_payment_date)
            THEN NEW.date ELSE last_payment_date END,
        pay_week_total = CASE
            WHEN NEW.kind <> 'payment' THEN pay_week_total
            WHEN pay_week IS NULL OR date(NEW.date, 'weekday 0', '-6 days') > pay_week THEN -NEW.amount
            WHEN date(NEW.date, 'weekday 0', '-6 days') = pay_week THEN pay_week_total - NEW.amount
            ELSE pay_week_total END,
        pay_week = CASE
            WHEN NEW.kind = 'payment'
                 AND (pay_week IS NULL OR date(NEW.date, 'weekday 0', '-6 days') > pay_week)
            THEN date(NEW.date, 'weekday 0', '-6 days') ELSE pay_week END,
        charge_week_total = CASE
            WHEN NEW.kind <> 'charge' THEN charge_week_total
            WHEN charge_week IS NULL OR date(NEW.date, 'weekday 0', '-6 days') > charge_week THEN NEW.amount
            WHEN date(NEW.date, 'weekday 0', '-6 days') = charge_week THEN charge_week_total + NEW.amount
            ELSE charge_week_total END,
        charge_week = CASE
            WHEN NEW.kind = 'charge'
                 AND (charge_week IS NULL OR date(NEW.date, 'weekday 0', '-6 days') > charge_week)
            THEN date(NEW.date, 'weekday 0', '-6 days') ELSE charge_week END
    WHERE id = NEW.account_id;
END;

