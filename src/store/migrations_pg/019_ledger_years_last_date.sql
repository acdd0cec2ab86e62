-- caseload schema for PostgreSQL, version 19: each account's totals for each rent year also say the
-- date of its latest entry in that year, so the team's numbers read the ledger after a period's end
-- only for the accounts that have entries dated after it (usually none: a period ends today),
-- instead of searching every account's ledger for them. Kept like the totals, by
-- `ledger_year_rows` and the trigger (and a bulk write's one pass), so an entry dated in any year
-- moves its own year's date.
ALTER TABLE ledger_years ADD COLUMN last_date DATE;   -- the latest entry's date in the year

-- Through the ledger's index on (account, date): the last entry of each account's year.
UPDATE ledger_years y SET last_date = (
    SELECT max(l.date) FROM ledger l
    WHERE l.account_id = y.account_id
      AND l.date >= date_trunc('week', make_date(y.rent_year, 4, 7))::date
      AND l.date < date_trunc('week', make_date(y.rent_year + 1, 4, 7))::date);

-- The same view with the entry's date last (a view's columns can only be added at its end).
CREATE OR REPLACE VIEW ledger_year_rows AS
SELECT l.id, l.account_id,
    extract(year FROM l.date)::integer
        - CASE WHEN l.date < date_trunc('week', make_date(extract(year FROM l.date)::integer, 4, 7))::date
          THEN 1 ELSE 0 END AS rent_year,
    CASE WHEN coalesce(r.kind, l.kind) = 'charge' THEN l.amount ELSE 0 END AS charged,
    CASE WHEN coalesce(r.kind, l.kind) IN ('payment', 'refund') THEN l.amount ELSE 0 END AS received,
    CASE WHEN coalesce(r.kind, l.kind) IN ('write_off', 'write_on') THEN l.amount ELSE 0 END
        AS written_off,
    l.date AS last_date
FROM ledger l LEFT JOIN ledger r ON r.id = l.reverses;

CREATE OR REPLACE FUNCTION ledger_keeps_year_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off, last_date)
    SELECT y.rent_year, y.account_id, y.charged, y.received, y.written_off, y.last_date
    FROM ledger_year_rows y WHERE y.id = NEW.id
    ON CONFLICT (rent_year, account_id) DO UPDATE SET
        charged = ledger_years.charged + excluded.charged,
        received = ledger_years.received + excluded.received,
        written_off = ledger_years.written_off + excluded.written_off,
        last_date = greatest(ledger_years.last_date, excluded.last_date);
    RETURN NULL;
END $$;
