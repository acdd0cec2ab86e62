-- caseload schema: letters. A letter (or text message) is "sent" only once it is produced: each
-- file written is kept here with its SHA-256 content hash, pointing at the step's line in the
-- action log, so the case history links to exactly what was sent. Each tenant may have a
-- correspondence address of their own (a former tenant's forwarding address, a joint tenant who
-- lives elsewhere); without one, letters go to the property while the tenancy is current.

ALTER TABLE tenants ADD COLUMN correspondence_address TEXT;    -- lines separated by commas

CREATE TABLE letters (
    id         INTEGER PRIMARY KEY,
    tenancy_id INTEGER NOT NULL REFERENCES tenancies(id),
    action_id  INTEGER NOT NULL REFERENCES actions(id),
    letter     TEXT NOT NULL,                  -- the template, e.g. letter_1, sms_reminder
    tenant     INTEGER,                        -- the addressee's position; NULL: all joint tenants
    recipient  TEXT NOT NULL,                  -- as addressed, e.g. 'Mrs Ada Smith' or a phone
    file       TEXT NOT NULL,                  -- relative to the database's folder
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    copy       TEXT,                           -- its plain-text copy, written beside it
    copy_sha256 TEXT CHECK (copy_sha256 IS NULL OR length(copy_sha256) = 64),
    batch_id   INTEGER NOT NULL REFERENCES batches(id)
);
CREATE INDEX letters_by_tenancy ON letters (tenancy_id, id);
CREATE INDEX letters_by_action ON letters (action_id);

CREATE TRIGGER letters_no_replace BEFORE INSERT ON letters
WHEN EXISTS (SELECT 1 FROM letters WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'letters are append-only: a letter sent cannot be replaced; send another'); END;
CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only: a letter sent cannot be changed'); END;
CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
BEGIN SELECT RAISE(ABORT, 'letters are append-only: a letter sent cannot be removed'); END;
