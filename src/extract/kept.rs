//! What an import kept: the facts officers recorded in caseload that the extract disagrees with,
//! each one line of the summary ("kept: 200101/1: breathing space until 22/01/2027 recorded in
//! caseload on 27/11/2026; the extract has none"). Nothing here changes what is written: the
//! extract's values are stored beside caseload's and the readers combine them.

use super::records::{PauseRow, PlanRow};
use crate::domain::dates::uk;
use crate::domain::tenancy::TenancyDetails;
use crate::store::{Disagreement, OwnFacts};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

fn on(day: Option<NaiveDate>) -> String {
    day.map(|d| format!(" on {}", uk(d))).unwrap_or_default()
}

/// Breathing spaces and vulnerability flags in force in caseload that the extract's row lacks, and
/// officers a coordinator assigned in caseload where the extract names another.
pub(super) fn flags(
    recorded: &HashMap<String, OwnFacts>,
    rows: &[(u64, TenancyDetails)],
    today: NaiveDate,
    kept: &mut Vec<String>,
) {
    for (_, row) in rows {
        let Some(r) = recorded.get(&row.reference) else {
            continue;
        };
        let theirs = row.flags.breathing_space_until;
        if let Some((until, set)) = r.breathing_space
            && until >= today
            && theirs.is_none_or(|t| t < until)
        {
            let extract = match theirs {
                None => "the extract has none".to_string(),
                Some(t) => format!("the extract has one until {}", uk(t)),
            };
            kept.push(format!(
                "{}: breathing space until {} recorded in caseload{}; {extract}",
                row.reference,
                uk(until),
                on(set)
            ));
        }
        if let Some((officer, set)) = &r.officer
            && *officer != row.officer
        {
            let extract = match row.officer.as_str() {
                "" => "none".to_string(),
                theirs => theirs.to_string(),
            };
            kept.push(format!(
                "{}: officer {officer} assigned in caseload{}; the extract has {extract}",
                row.reference,
                on(*set)
            ));
        }
        if let Some((category, set)) = r.vulnerability
            && !row.flags.vulnerable
        {
            let kind = category
                .map(|c| format!(" ({})", c.label()))
                .unwrap_or_default();
            kept.push(format!(
                "{}: vulnerability{kind} recorded in caseload{}; the extract has none",
                row.reference,
                on(set)
            ));
        }
    }
}

/// A pause in force in caseload that outlasts one the extract lists for the same tenancy.
pub(super) fn pause(
    recorded: &HashMap<String, OwnFacts>,
    row: &PauseRow,
    today: NaiveDate,
    kept: &mut Vec<String>,
) {
    let Some(r) = recorded.get(&row.tenancy) else {
        return;
    };
    for &(kind, until, at) in &r.pauses {
        if kind == row.kind && until >= today && until > row.until {
            kept.push(format!(
                "{}: {} until {} recorded in caseload on {}; the extract's {} {} ends {}",
                row.tenancy,
                kind.as_str(),
                uk(until),
                uk(at.date()),
                kind.as_str(),
                row.id,
                uk(row.until)
            ));
        }
    }
}

/// Plans agreed in caseload that stay current although the extract lists one agreed earlier.
pub(super) fn plans(
    recorded: &HashMap<String, OwnFacts>,
    rows: &[(u64, PlanRow)],
    kept: &mut Vec<String>,
) {
    for (_, row) in rows {
        if let Some(agreed) = recorded.get(&row.tenancy).and_then(|r| r.plan_agreed)
            && row.agreed_at < agreed
        {
            kept.push(format!(
                "{}: the plan agreed in caseload on {} stays the current plan; the extract's plan \
                 {} was agreed on {}",
                row.tenancy,
                uk(agreed.date()),
                row.id,
                uk(row.agreed_at.date())
            ));
        }
    }
}

/// Plan states judged by caseload's breach check that differ from the status the extract gives.
pub(super) fn plan_states(
    disagreements: Vec<Disagreement>,
    listed: &HashSet<String>,
    kept: &mut Vec<String>,
) {
    for d in disagreements {
        if listed.contains(&d.plan) {
            kept.push(format!(
                "{}: plan {} is {} in caseload (since {}); the extract says {}",
                d.tenancy,
                d.plan,
                d.state.as_str(),
                uk(d.since),
                d.reported.as_str()
            ));
        }
    }
}
