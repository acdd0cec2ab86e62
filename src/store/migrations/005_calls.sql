-- caseload schema: calls and notes. Drafts of notes being typed (the only table here that is
-- rewritten: a draft is scratch until it is saved as a note), the details of calls and other
-- contacts, promises to pay, referrals, a category for vulnerability, and word search over notes.

-- One draft per tenancy: what is typed in the note editor, saved as it is typed.
CREATE TABLE drafts (
    tenancy_id INTEGER PRIMARY KEY REFERENCES tenancies(id),
    body       TEXT NOT NULL,
    cursor_row INTEGER NOT NULL DEFAULT 0,
    cursor_col INTEGER NOT NULL DEFAULT 0,
    context    TEXT NOT NULL DEFAULT '',   -- what the note is for: a call (who, direction, start), an amendment...
    officer    TEXT NOT NULL,
    saved_at   TEXT NOT NULL               -- UTC
);

-- What a call or other contact was: who, which way, how long, what came of it.
CREATE TABLE contacts (
    action_id   INTEGER PRIMARY KEY REFERENCES actions(id),
    party       TEXT NOT NULL,             -- e.g. 'Ada Smith (tenant) 07700 900001'
    third_party INTEGER NOT NULL DEFAULT 0 CHECK (third_party IN (0,1)),
    consent     INTEGER NOT NULL DEFAULT 0 CHECK (consent IN (0,1)),
    direction   TEXT CHECK (direction IN ('outgoing','incoming')),
    started_at  TEXT,                      -- local date-time
    seconds     INTEGER,                   -- how long the call lasted
    outcome     TEXT NOT NULL,
    call_back   TEXT,                      -- local date-time asked for
    checklist   TEXT NOT NULL DEFAULT ''   -- protocol items ticked, comma-separated
);

CREATE TABLE promises (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    action_id  INTEGER REFERENCES actions(id),
    series     INTEGER,                    -- the first promise of its series
    amount     INTEGER NOT NULL CHECK (amount > 0),
    cumulative INTEGER NOT NULL CHECK (cumulative >= amount),
    due_on     TEXT NOT NULL,
    made_on    TEXT NOT NULL,
    officer    TEXT NOT NULL,
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX promises_by_tenancy ON promises (tenancy_id, due_on);
CREATE INDEX promises_by_due ON promises (due_on);

-- Referrals to support; a change of status is a new row referring to the first.
CREATE TABLE referrals (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    kind       TEXT NOT NULL CHECK (kind IN
               ('tenancy_sustainment','debt_advice','mental_health','social_services','other')),
    made_on    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('made','accepted','declined','closed')),
    follows    INTEGER REFERENCES referrals(id),
    comment    TEXT NOT NULL DEFAULT '',
    officer    TEXT NOT NULL,
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX referrals_by_tenancy ON referrals (tenancy_id, id);

ALTER TABLE tenancies ADD COLUMN vulnerability_category TEXT;

CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts
BEGIN SELECT RAISE(ABORT, 'calls and contacts are append-only'); END;
CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN SELECT RAISE(ABORT, 'calls and contacts are append-only'); END;
CREATE TRIGGER promises_no_update BEFORE UPDATE ON promises
BEGIN SELECT RAISE(ABORT, 'promises are append-only'); END;
CREATE TRIGGER promises_no_delete BEFORE DELETE ON promises
BEGIN SELECT RAISE(ABORT, 'promises are append-only'); END;
CREATE TRIGGER referrals_no_update BEFORE UPDATE ON referrals
BEGIN SELECT RAISE(ABORT, 'referrals are append-only: record a new status instead'); END;
CREATE TRIGGER referrals_no_delete BEFORE DELETE ON referrals
BEGIN SELECT RAISE(ABORT, 'referrals are append-only: record a new status instead'); END;

-- Word search over every note. The index follows the notes table, which only ever grows.
CREATE VIRTUAL TABLE notes_search USING fts5(body, content = 'notes', content_rowid = 'id');
INSERT INTO notes_search (rowid, body) SELECT id, body FROM notes;
CREATE TRIGGER notes_keep_search AFTER INSERT ON notes
BEGIN INSERT INTO notes_search (rowid, body) VALUES (NEW.id, NEW.body); END;
