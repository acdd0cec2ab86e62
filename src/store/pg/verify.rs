//! `caseload verify` on a team's PostgreSQL database, and the checks a caseload moved in must pass
//! before it is committed: the append-only triggers in place and enabled, every balance its
//! ledger's, and its totals for each rent year, every case summary what its records say, and every record sealed in the hash chain
//! as it was written.

use crate::store::verify::YEAR_TOTALS_SUMMED_AND_HELD;
use postgres::GenericClient;

/// Each check: what holds when it passes, and the first problem found, if any.
pub type Findings = Vec<(&'static str, Option<String>)>;

/// Runs every check.
pub fn checks(db: &mut impl GenericClient) -> Result<Findings, postgres::Error> {
    let guards: Option<String> = db
        .query_one(
            "SELECT string_agg(c.relname || ' ' || g.name, ', ' ORDER BY c.relname, g.name)
             FROM pg_class c
             CROSS JOIN (VALUES ('_no_update'), ('_no_delete'), ('_no_truncate'), ('_in_turn')) g(name)
             WHERE c.oid IN (SELECT tgrelid FROM pg_trigger WHERE tgname LIKE '%\\_no\\_update'
                                                             OR tgname LIKE '%\\_no\\_delete')
               AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid
                               AND t.tgname = c.relname || g.name AND t.tgenabled <> 'D')",
            &[],
        )?
        .get(0);
    let balances: Option<String> = db
        .query_one(
            "SELECT 'account ' || a.id || ': balance ' || a.balance || ', but its ledger sums to '
                    || coalesce(l.total, 0)
             FROM accounts a
             LEFT JOIN (SELECT account_id, sum(amount) AS total, count(*) AS entries
                        FROM ledger GROUP BY account_id) l ON l.account_id = a.id
             WHERE a.balance <> coalesce(l.total, 0) OR a.entries <> coalesce(l.entries, 0)
             UNION ALL SELECT NULL ORDER BY 1 LIMIT 1",
            &[],
        )?
        .get(0);
    let summaries: Option<String> = db
        .query_one(
            "SELECT 'case summary of tenancy ' || tenancy_id || ' differs from its records'
             FROM ((TABLE case_summary EXCEPT TABLE case_summary_of)
                   UNION ALL (TABLE case_summary_of EXCEPT TABLE case_summary)) d
             UNION ALL SELECT NULL ORDER BY 1 LIMIT 1",
            &[],
        )?
        .get(0);
    let years: Option<String> = db
        .query_one(
            &format!(
                "{YEAR_TOTALS_SUMMED_AND_HELD}
                 SELECT 'the totals of account ' || account_id || ' for the rent year from April '
                        || rent_year || ' differ from what its ledger sums to'
                 FROM ((TABLE summed EXCEPT TABLE held) UNION ALL (TABLE held EXCEPT TABLE summed)) d
                 UNION ALL SELECT NULL ORDER BY 1 LIMIT 1"
            ),
            &[],
        )?
        .get(0);
    let chain = super::chain::check(db)?;
    Ok(vec![
        (
            "every append-only table refuses UPDATE, DELETE and TRUNCATE, and takes rows in turn",
            guards.map(|missing| format!("missing or disabled: {missing}")),
        ),
        ("every account's balance is its ledger's", balances),
        (
            "every account's totals for each rent year are its ledger's",
            years,
        ),
        ("every case summary is what its records say", summaries),
        (
            "every record is sealed in the hash chain as it was written",
            chain.problems.into_iter().next(),
        ),
    ])
}
