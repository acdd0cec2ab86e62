-- Append-only means no side door: INSERT OR REPLACE (REPLACE INTO) deletes the row it
-- collides with before inserting its own, without firing the no-delete triggers. Each table
-- refuses, before the insert, a row whose key (or, where the housing system's id is unique, whose
-- ext_id) is already taken. The ledger checks its id only: its ext_id index is lifted during a
-- bulk import, and a replaced entry there shows anyway as a balance and an entry count that no
-- longer match the ledger (`caseload verify`).

CREATE TRIGGER batches_no_replace BEFORE INSERT ON batches
WHEN EXISTS (SELECT 1 FROM batches WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'batches are append-only: a batch cannot be replaced'); END;

CREATE TRIGGER ledger_no_replace BEFORE INSERT ON ledger
WHEN EXISTS (SELECT 1 FROM ledger WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: an entry cannot be replaced; add a correcting entry instead'); END;

CREATE TRIGGER actions_no_replace BEFORE INSERT ON actions
WHEN EXISTS (SELECT 1 FROM actions WHERE id = NEW.id)
     OR (NEW.ext_id IS NOT NULL AND EXISTS (SELECT 1 FROM actions WHERE ext_id = NEW.ext_id))
BEGIN SELECT RAISE(ABORT, 'actions are append-only: an action cannot be replaced; record a new action instead'); END;

CREATE TRIGGER notes_no_replace BEFORE INSERT ON notes
WHEN EXISTS (SELECT 1 FROM notes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'notes are append-only: a note cannot be replaced; add a note that amends it instead'); END;

CREATE TRIGGER plans_no_replace BEFORE INSERT ON plans
WHEN EXISTS (SELECT 1 FROM plans WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'plans are append-only: a plan cannot be replaced; save a new version instead'); END;

CREATE TRIGGER plan_events_no_replace BEFORE INSERT ON plan_events
WHEN EXISTS (SELECT 1 FROM plan_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'plan events are append-only: an event cannot be replaced'); END;

CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: an entry cannot be replaced'); END;

CREATE TRIGGER notices_no_replace BEFORE INSERT ON notices
WHEN EXISTS (SELECT 1 FROM notices WHERE id = NEW.id)
     OR (NEW.ext_id IS NOT NULL AND EXISTS (SELECT 1 FROM notices WHERE ext_id = NEW.ext_id))
BEGIN SELECT RAISE(ABORT, 'notices are append-only: a notice cannot be replaced'); END;

CREATE TRIGGER court_events_no_replace BEFORE INSERT ON court_events
WHEN EXISTS (SELECT 1 FROM court_events WHERE id = NEW.id)
     OR (NEW.ext_id IS NOT NULL AND EXISTS (SELECT 1 FROM court_events WHERE ext_id = NEW.ext_id))
BEGIN SELECT RAISE(ABORT, 'court events are append-only: an event cannot be replaced'); END;

CREATE TRIGGER pauses_no_replace BEFORE INSERT ON pauses
WHEN EXISTS (SELECT 1 FROM pauses WHERE id = NEW.id)
     OR (NEW.ext_id IS NOT NULL AND EXISTS (SELECT 1 FROM pauses WHERE ext_id = NEW.ext_id))
BEGIN SELECT RAISE(ABORT, 'pauses are append-only: a pause cannot be replaced'); END;

CREATE TRIGGER overrides_no_replace BEFORE INSERT ON overrides
WHEN EXISTS (SELECT 1 FROM overrides WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'overrides are append-only: an override cannot be replaced'); END;

CREATE TRIGGER assessments_no_replace BEFORE INSERT ON assessments
WHEN EXISTS (SELECT 1 FROM assessments WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'assessments are append-only: an assessment cannot be replaced'); END;

CREATE TRIGGER assessment_lines_no_replace BEFORE INSERT ON assessment_lines
WHEN EXISTS (SELECT 1 FROM assessment_lines
             WHERE assessment_id = NEW.assessment_id AND item = NEW.item)
BEGIN SELECT RAISE(ABORT, 'assessment lines are append-only: a line cannot be replaced'); END;

CREATE TRIGGER contacts_no_replace BEFORE INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM contacts WHERE action_id = NEW.action_id)
BEGIN SELECT RAISE(ABORT, 'calls and contacts are append-only: a contact cannot be replaced'); END;

CREATE TRIGGER promises_no_replace BEFORE INSERT ON promises
WHEN EXISTS (SELECT 1 FROM promises WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'promises are append-only: a promise cannot be replaced'); END;

CREATE TRIGGER referrals_no_replace BEFORE INSERT ON referrals
WHEN EXISTS (SELECT 1 FROM referrals WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'referrals are append-only: a referral cannot be replaced; record a new status instead'); END;
