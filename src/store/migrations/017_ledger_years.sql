-- caseload schema: what each account's ledger moved in each rent year, kept by the database as
-- entries arrive, so the team's numbers for the rent year so far (the KPI screen, the report) read
-- one row per account instead of a year of the ledger. Derived, not append-only: an entry dated in
-- any year (a back-dated payment, an import of old entries) adds to that year's row, a reversal
-- counts against the kind it reverses, and `ledger_year_rows` is the one definition of what each
-- entry adds. A rent year starts on the first Monday of April and is named by its calendar year.
CREATE TABLE ledger_years (
    rent_year   INTEGER NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    charged     INTEGER NOT NULL DEFAULT 0,   -- charges, less charges reversed
    received    INTEGER NOT NULL DEFAULT 0,   -- payments and refunds as stored (a payment is negative)
    written_off INTEGER NOT NULL DEFAULT 0,   -- write-offs and write-ons as stored
    PRIMARY KEY (rent_year, account_id)
) WITHOUT ROWID;

-- Each entry's rent year and what it adds to each total (a reversal: to the total of the kind it
-- reverses; an adjustment, or a reversal of a reversal: to none).
CREATE VIEW ledger_year_rows AS
SELECT l.id, l.account_id,
    CAST(substr(l.date, 1, 4) AS INTEGER)
        - (l.date < date(substr(l.date, 1, 4) || '-04-01', 'weekday 1')) AS rent_year,
    CASE WHEN coalesce(r.kind, l.kind) = 'charge' THEN l.amount ELSE 0 END AS charged,
    CASE WHEN coalesce(r.kind, l.kind) IN ('payment', 'refund') THEN l.amount ELSE 0 END AS received,
    CASE WHEN coalesce(r.kind, l.kind) IN ('write_off', 'write_on') THEN l.amount ELSE 0 END
        AS written_off
FROM ledger l LEFT JOIN ledger r ON r.id = l.reverses;

INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off)
SELECT rent_year, account_id, sum(charged), sum(received), sum(written_off)
FROM ledger_year_rows GROUP BY rent_year, account_id;

-- A bulk write lifts this trigger and adds its entries' totals in one pass before commit.
CREATE TRIGGER ledger_keeps_year_totals AFTER INSERT ON ledger
BEGIN
    INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off)
    SELECT rent_year, account_id, charged, received, written_off
    FROM ledger_year_rows WHERE id = NEW.id
    ON CONFLICT (rent_year, account_id) DO UPDATE SET
        charged = charged + excluded.charged,
        received = received + excluded.received,
        written_off = written_off + excluded.written_off;
END;
