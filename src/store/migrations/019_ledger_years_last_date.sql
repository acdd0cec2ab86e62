-- caseload schema, version 19: each account's totals for each rent year also say the date of its
-- latest entry in that year, so the team's numbers read the ledger after a period's end only for
-- the accounts that have entries dated after it (usually none: a period ends today), instead of
-- searching every account's ledger for them. Kept like the totals, by `ledger_year_rows` and the
-- trigger (and a bulk write's one pass), so an entry dated in any year moves its own year's date.
ALTER TABLE ledger_years ADD COLUMN last_date TEXT;   -- the latest entry's date in the year

-- Through the ledger's index on (account, date): the last entry of each account's year.
UPDATE ledger_years SET last_date = (
    SELECT max(l.date) FROM ledger l
    WHERE l.account_id = ledger_years.account_id
      AND l.date >= date(ledger_years.rent_year || '-04-01', 'weekday 1')
      AND l.date < date((ledger_years.rent_year + 1) || '-04-01', 'weekday 1'));

DROP TRIGGER ledger_keeps_year_totals;
DROP VIEW ledger_year_rows;

CREATE VIEW ledger_year_rows AS
SELECT l.id, l.account_id,
    CAST(substr(l.date, 1, 4) AS INTEGER)
        - (l.date < date(substr(l.date, 1, 4) || '-04-01', 'weekday 1')) AS rent_year,
    CASE WHEN coalesce(r.kind, l.kind) = 'charge' THEN l.amount ELSE 0 END AS charged,
    CASE WHEN coalesce(r.kind, l.kind) IN ('payment', 'refund') THEN l.amount ELSE 0 END AS received,
    CASE WHEN coalesce(r.kind, l.kind) IN ('write_off', 'write_on') THEN l.amount ELSE 0 END
        AS written_off,
    l.date AS last_date
FROM ledger l LEFT JOIN ledger r ON r.id = l.reverses;

-- A bulk write lifts this trigger and adds its entries' totals in one pass before commit.
CREATE TRIGGER ledger_keeps_year_totals AFTER INSERT ON ledger
BEGIN
    INSERT INTO ledger_years (rent_year, account_id, charged, received, written_off, last_date)
    SELECT rent_year, account_id, charged, received, written_off, last_date
    FROM ledger_year_rows WHERE id = NEW.id
    ON CONFLICT (rent_year, account_id) DO UPDATE SET
        charged = charged + excluded.charged,
        received = received + excluded.received,
        written_off = written_off + excluded.written_off,
        last_date = max(coalesce(last_date, ''), excluded.last_date);
END;
