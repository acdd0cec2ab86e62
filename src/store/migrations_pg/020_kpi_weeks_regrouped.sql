-- caseload schema for PostgreSQL, version 20: the weeks kept for the trend (kpi_weeks) hold each
-- tenancy's money and work under its patch and officer, with its start, end and weekly charge, as
-- they were when the weeks were worked out; reading a week never kept uses them as they are now. So
-- a tenancy moved to another officer or patch (a coordinator's reassignment, an import), or whose
-- dates or charge change, or that arrives starting in a kept week, makes the kept weeks from its
-- start be worked out again: no figure depends on when a week happened to be kept.
CREATE FUNCTION tenancies_keep_kpi_weeks() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        DELETE FROM kpi_weeks WHERE week >= date_trunc('week', NEW.start_date)::date;
    ELSIF OLD.patch IS DISTINCT FROM NEW.patch OR OLD.officer IS DISTINCT FROM NEW.officer
       OR OLD.start_date IS DISTINCT FROM NEW.start_date OR OLD.end_date IS DISTINCT FROM NEW.end_date
       OR OLD.weekly_charge IS DISTINCT FROM NEW.weekly_charge THEN
        DELETE FROM kpi_weeks
        WHERE week >= date_trunc('week', least(OLD.start_date, NEW.start_date))::date;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER tenancies_keep_kpi_weeks AFTER INSERT OR UPDATE ON tenancies
FOR EACH ROW EXECUTE FUNCTION tenancies_keep_kpi_weeks();
