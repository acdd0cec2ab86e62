//! Policy fixtures: cases written by hand (JSON) so a landlord can test a policy change before it
//! reaches officers. The fields are documented in `docs/policy.md`.

use super::facts::{Court, Facts, Order, PlanFact};
use super::{Decision, Policy, Recommendation, evaluate};
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use crate::domain::codes::CodeMaps;
use crate::domain::dates::{parse_date, parse_moment};
use crate::domain::plan::{PlanKind, PlanState};
use crate::domain::tenancy::Tenure;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    now: Option<String>,
    today: Option<String>,
    #[serde(default = "secure")]
    tenure: String,
    weekly_charge: Money,
    balance: Money,
    collectable_arrears: Option<Money>,
    #[serde(default)]
    paid_this_week: Money,
    days_since_last_payment: Option<i64>,
    #[serde(default)]
    universal_credit: bool,
    #[serde(default)]
    housing_benefit: bool,
    ended: Option<String>,
    last_action: Option<ActionAt>,
    /// Other actions, the latest of each kind (the last action is added to them).
    #[serde(default)]
    actions: Vec<ActionAt>,
    #[serde(default)]
    last_letter_failed: bool,
    notice: Option<Notice>,
    plan: Option<Plan>,
    court: Option<CourtCase>,
    warrant_applied: Option<String>,
    eviction_date: Option<String>,
    paused_until: Option<String>,
    breathing_space_until: Option<String>,
    pub expect: Option<String>,
    /// What holds the case back, as the report names it ("awaiting a hearing date").
    pub expect_blocker: Option<String>,
}

fn secure() -> String {
    "secure".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionAt {
    code: Option<String>,
    kind: Option<String>,
    at: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Notice {
    served: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Plan {
    kind: String,
    state: String,
    start: String,
    /// When it entered this state (defaults to `start`).
    since: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourtCase {
    date: Option<String>,
    outcome: Option<String>,
    #[serde(default)]
    terms: bool,
}

/// The result of one case.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub id: String,
    pub recommendation: String,
    pub rule: u8,
    pub blocker: Option<String>,
    pub reason: String,
    pub expected: Option<String>,
    pub expected_blocker: Option<String>,
    /// `None` when the case has no expectation.
    pub pass: Option<bool>,
}

/// Reads a fixture file's text: a JSON array of cases.
pub fn parse(text: &str) -> Result<Vec<Case>, String> {
    let cases: Vec<Case> =
        serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
    let mut seen = std::collections::HashSet::new();
    for case in &cases {
        if !seen.insert(case.id.as_str()) {
            return Err(format!("case `{}` appears twice", case.id));
        }
    }
    Ok(cases)
}

impl Case {
    /// Evaluates the case; an unreadable field is an error naming the case and the field.
    pub fn run(&self, policy: &Policy, codes: &CodeMaps) -> Result<Outcome, String> {
        let facts = self
            .facts(codes)
            .map_err(|e| format!("case `{}`: {e}", self.id))?;
        let expected = match &self.expect {
            Some(name) => Some(Recommendation::parse(name).ok_or_else(|| {
                format!(
                    "case `{}`: expect: `{name}` is not a recommendation",
                    self.id
                )
            })?),
            None => None,
        };
        let Decision {
            recommendation,
            blocker,
            reason,
        } = evaluate(policy, &facts);
        let blocker = blocker.map(|b| b.label().to_string());
        let held_as_expected = self
            .expect_blocker
            .as_ref()
            .is_none_or(|want| blocker.as_ref() == Some(want));
        Ok(Outcome {
            id: self.id.clone(),
            recommendation: recommendation.as_str().to_string(),
            rule: recommendation.rule_number(),
            blocker,
            reason: reason.to_string(),
            expected: expected.map(|e| e.as_str().to_string()),
            expected_blocker: self.expect_blocker.clone(),
            pass: (expected.is_some() || self.expect_blocker.is_some())
                .then(|| expected.is_none_or(|e| e == recommendation) && held_as_expected),
        })
    }

    fn facts(&self, codes: &CodeMaps) -> Result<Facts, String> {
        let now = match (&self.now, &self.today) {
            (Some(now), _) => moment("now", now)?,
            (None, Some(today)) => moment("today", today)?,
            (None, None) => return Err("give `now` or `today`".into()),
        };
        let action = |a: &ActionAt, field: &str| -> Result<(ActionKind, NaiveDateTime), String> {
            let kind = match (&a.kind, &a.code) {
                (Some(kind), _) => ActionKind::parse(kind)
                    .ok_or_else(|| format!("{field}: unknown kind `{kind}`"))?,
                (None, Some(code)) => codes.action(code),
                (None, None) => return Err(format!("{field}: give `kind` or `code`")),
            };
            Ok((kind, moment(field, &a.at)?))
        };
        let last_action = self
            .last_action
            .as_ref()
            .map(|a| action(a, "last_action"))
            .transpose()?;
        let mut latest = self
            .actions
            .iter()
            .map(|a| action(a, "actions"))
            .collect::<Result<Vec<_>, _>>()?;
        latest.extend(last_action);
        let plan = match &self.plan {
            Some(p) => {
                let start = moment("plan.start", &p.start)?;
                Some(PlanFact {
                    kind: PlanKind::parse(&p.kind)
                        .ok_or_else(|| format!("plan.kind: unknown `{}`", p.kind))?,
                    state: PlanState::parse(&p.state)
                        .ok_or_else(|| format!("plan.state: unknown `{}`", p.state))?,
                    start,
                    since: p
                        .since
                        .as_deref()
                        .map(|s| moment("plan.since", s))
                        .transpose()?
                        .unwrap_or(start),
                })
            }
            None => None,
        };
        let (hearing, order) = match &self.court {
            Some(c) => {
                let date = c
                    .date
                    .as_deref()
                    .map(|d| date("court.date", d))
                    .transpose()?;
                let order = c.outcome.as_deref().map(|o| Order {
                    outcome: codes.court_outcome(o),
                    date,
                    terms: c.terms,
                });
                (date, order)
            }
            None => (None, None),
        };
        Ok(Facts {
            now,
            tenure: Tenure::parse(&self.tenure)
                .ok_or_else(|| format!("tenure: unknown `{}`", self.tenure))?,
            weekly_charge: self.weekly_charge,
            balance: self.balance,
            collectable: self.collectable_arrears.unwrap_or(self.balance),
            paid_this_week: self.paid_this_week.abs(),
            days_since_last_payment: self.days_since_last_payment,
            universal_credit: self.universal_credit,
            housing_benefit: self.housing_benefit,
            ended: optional_date("ended", &self.ended)?,
            last_action,
            latest,
            last_letter_failed: self.last_letter_failed,
            notice: self
                .notice
                .as_ref()
                .map(|n| date("notice.served", &n.served))
                .transpose()?,
            plan,
            court: Court {
                hearing,
                order,
                warrant_applied: optional_date("warrant_applied", &self.warrant_applied)?,
                eviction_date: optional_date("eviction_date", &self.eviction_date)?,
            },
            paused_until: optional_date("paused_until", &self.paused_until)?,
            breathing_space_until: optional_date(
                "breathing_space_until",
                &self.breathing_space_until,
            )?,
        })
    }
}

fn moment(field: &str, text: &str) -> Result<NaiveDateTime, String> {
    parse_moment(text)
        .map(|(at, _)| at)
        .ok_or_else(|| format!("{field}: `{text}` is not a date or date-time"))
}

fn date(field: &str, text: &str) -> Result<NaiveDate, String> {
    parse_date(text).map_err(|e| format!("{field}: {e}"))
}

fn optional_date(field: &str, text: &Option<String>) -> Result<Option<NaiveDate>, String> {
    text.as_deref().map(|t| date(field, t)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> (Policy, CodeMaps) {
        let c = crate::config::Config::default_config();
        (c.policy, c.codes)
    }

    #[test]
    fn a_case_runs_with_codes_strings_and_defaults() {
        let cases = parse(
            r#"[{"id": "letter 2", "today": "2026-11-23", "weekly_charge": 100, "balance": "£312.40",
                 "collectable_arrears": 212.40, "paid_this_week": "100", "last_action": {"code": "L1", "at": "2026-11-07"},
                 "expect": "send_letter_2"}]"#,
        )
        .unwrap();
        let (p, codes) = policy();
        let out = cases[0].run(&p, &codes).unwrap();
        assert_eq!(out.recommendation, "send_letter_2");
        assert_eq!(out.rule, 5);
        assert_eq!(out.pass, Some(true));
        assert_eq!(
            out.reason,
            "Letter 1 sent 16 days ago; still £212.40 effective arrears (2.1 wks of rent)."
        );
    }

    #[test]
    fn bad_input_names_the_case_and_field() {
        let (p, codes) = policy();
        let run = |json: &str| parse(json).and_then(|cases| cases[0].run(&p, &codes).map(drop));
        assert!(run("[{").unwrap_err().starts_with("line 1"));
        let base = r#""id": "x", "today": "2026-11-23", "weekly_charge": 100"#;
        assert!(
            run(&format!("[{{{base}, \"balance\": \"12.345\"}}]"))
                .unwrap_err()
                .contains("more than two decimal places")
        );
        assert_eq!(
            run(&format!(
                "[{{{base}, \"balance\": 1, \"notice\": {{\"served\": \"31/02/2026\"}}}}]"
            ))
            .unwrap_err(),
            "case `x`: notice.served: `31/02/2026` is not a date (use 22/11/2026 or 2026-11-22)"
        );
        assert_eq!(
            run(&format!(
                "[{{{base}, \"balance\": 1, \"expect\": \"send_letter_3\"}}]"
            ))
            .unwrap_err(),
            "case `x`: expect: `send_letter_3` is not a recommendation"
        );
        assert!(
            run(&format!(
                "[{{{base}, \"balance\": 1, \"colour\": \"red\"}}]"
            ))
            .unwrap_err()
            .contains("unknown field")
        );
        assert_eq!(
            run(&format!(
                "[{{{base}, \"balance\": 1}}, {{{base}, \"balance\": 2}}]"
            ))
            .unwrap_err(),
            "case `x` appears twice"
        );
    }
}
