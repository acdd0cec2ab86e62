-- caseload schema for PostgreSQL, version 17: what each account's ledger moved in each rent year,
-- kept by the database as entries arrive, so the team's numbers for the rent year so far (the KPI
-- screen, the report) read one row per account instead of a year of the ledger. Derived, not
-- append-only: an entry dated in any year (a back-dated payment, an import of old entries) adds to
-- that year's row, a reversal counts against the kind it reverses, and `ledger_year_rows` is the
-- one definition of what each entry adds. A rent year starts on the first Monday of April and is
-- named by its calendar year.
CREATE TABLE ledger_years (
    rent_year   INTEGER NOT NULL,
    account_id  BIGINT NOT NULL REFERENCES accounts(id),
    charged     BIGINT NOT NULL DEFAULT 0,   -- charges, less charges reversed
    received    BIGINT NOT NULL DEFAULT 0,   -- payments and refunds as stored (a payment is negative)
    written_off BIGINT NOT NULL DEFAULT 0,   -- write-offs and write-ons as stored
    PRIMARY KEY (rent_year, account_id)
);

-- Each entry's rent year and what it adds to each total (a reversal: to the total of the kind it
-- reverses; an adjustment, or a reversal of a reversal: to none). The first Monday of April is the
-- Monday of the week holding 7 April.
CREATE VIEW ledger_year_rows AS
SELECT l.id, l.account_id,
    extract(year FROM l.date)::integer
        - CASE WHEN l.date < date_trunc('week', make_date(extract(year FROM l.date)::integer, 4, 7))::date
          THEN 1 ELSE 0 END AS rent_year,
    CASE WHEN coalesce(r.kind, l.kind) = 'charge' THEN l.amount ELSE 0 END AS charged,
    CASE WHEN coalesce(r.kind, l.kind) IN ('payment', 'refund') THEN l.amount ELSE 0 END AS received,
    CASE WHEN coalesce(r.kind, l.kind) IN ('write_off', 'write_on') THEN l.amount ELSE 0 END
        AS written_off
FROM ledger l LEFT JOIN ledger r ON r.id = l.reverses;

INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off)
SELECT rent_year, account_id, sum(charged), sum(received), sum(written_off)
FROM ledger_year_rows GROUP BY rent_year, account_id;

-- Runs as the owner: officers add entries, never set a total. A bulk write by the owner lifts it
-- and adds its entries' totals in one pass before commit.
CREATE FUNCTION ledger_keeps_year_totals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off)
    SELECT y.rent_year, y.account_id, y.charged, y.received, y.written_off
    FROM ledger_year_rows y WHERE y.id = NEW.id
    ON CONFLICT (rent_year, account_id) DO UPDATE SET
        charged = ledger_years.charged + excluded.charged,
        received = ledger_years.received + excluded.received,
        written_off = ledger_years.written_off + excluded.written_off;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_keeps_year_totals AFTER INSERT ON ledger
FOR EACH ROW EXECUTE FUNCTION ledger_keeps_year_totals();

GRANT SELECT ON ledger_years, ledger_year_rows TO caseload_officer;
