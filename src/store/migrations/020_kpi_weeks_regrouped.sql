-- caseload schema, version 20: the weeks kept for the trend (kpi_weeks) hold each tenancy's money
-- and work under its patch and officer, with its start, end and weekly charge, as they were when the
-- weeks were worked out; reading a week never kept uses them as they are now. So a tenancy moved to
-- another officer or patch (a coordinator's reassignment, an import), or whose dates or charge
-- change, or that arrives starting in a kept week, makes the kept weeks from its start be worked
-- out again: no figure depends on when a week happened to be kept.
CREATE TRIGGER tenancies_update_keep_kpi_weeks
AFTER UPDATE OF patch, ext_officer, own_officer, start_date, end_date, weekly_charge ON tenancies
WHEN OLD.patch IS NOT NEW.patch OR OLD.officer IS NOT NEW.officer
  OR OLD.start_date IS NOT NEW.start_date OR OLD.end_date IS NOT NEW.end_date
  OR OLD.weekly_charge IS NOT NEW.weekly_charge
BEGIN
    DELETE FROM kpi_weeks
    WHERE week >= date(min(OLD.start_date, NEW.start_date), 'weekday 0', '-6 days');
END;

CREATE TRIGGER tenancies_insert_keep_kpi_weeks AFTER INSERT ON tenancies
BEGIN
    DELETE FROM kpi_weeks WHERE week >= date(NEW.start_date, 'weekday 0', '-6 days');
END;
