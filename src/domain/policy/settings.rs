//! The policy's settings, read from `[policy]` in the config. The shipped values are DOMAIN.md's
//! default policy; the documented config file is where they live, not this code.

use super::Recommendation;
use super::span::Span;
use crate::domain::Money;
use crate::domain::actions::ActionKind;
use rust_decimal::Decimal;
use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Effective arrears = collectable arrears less what is still to pay of this week's rent.
    pub one_week_grace: bool,
    /// The rules in the order they are tried; the first that applies wins. A rule left out is off.
    #[serde(deserialize_with = "rules")]
    pub rules: Vec<Recommendation>,
    /// The action kinds that count as "the last action" (contact such as calls does not, unless
    /// listed).
    pub counted_actions: Vec<CountedAction>,
    /// Rule 3: an SMS from this much collectable arrears...
    pub sms_from: Money,
    /// ...up to (not including) this.
    pub sms_below: Money,
    /// Rules 4 and 5: letters from this much effective arrears.
    pub letter_from: Money,
    /// Rule 3: a repeat SMS only after this long.
    pub sms_repeat_after: Span,
    /// Rule 3: or when any other last action is older than this.
    pub quiet_for: Span,
    /// Rule 4: no letter 1, letter 2 or court warning letter within this.
    pub letter_lookback: Span,
    /// Rule 5: letter 2 once letter 1 is at least this old...
    pub letter_2_after: Span,
    /// ...and no older than this.
    pub letter_2_within: Span,
    /// Rules 8, 13, 14: effective arrears of at least this many weeks' rent.
    pub notice_weeks: u32,
    /// Rule 8, first notice: letter 2 at least this old...
    pub notice_after_letter_2: Span,
    /// ...and no older than this.
    pub notice_letter_2_within: Span,
    /// A notice's waiting period from service (28 days; some landlords use 3 months).
    pub notice_wait: Span,
    /// A notice stays valid this long after its waiting period ends.
    pub notice_valid_for: Span,
    /// Rule 14: apply for a court date this long after the court warning letter.
    pub court_warning_wait: Span,
    /// Rule 16: chase the court when no hearing date has come this long after the court date
    /// was applied for (or after the court was last chased).
    pub hearing_chase_after: Span,
    /// Rule 17: chase the bailiff when no eviction date has come this long after the warrant was
    /// applied for (or after the bailiff was last chased).
    pub eviction_chase_after: Span,
    /// Rule 1: a warrant for an outright order made within this.
    pub warrant_within: Span,
    /// A court order counts as live for this long after its hearing.
    pub live_order_within: Span,
    /// Rule 7: a breach visit once the court breach letter is at least this old...
    pub court_breach_letter_after: Span,
    /// ...and no older than this.
    pub court_breach_letter_within: Span,
    /// Rule 9: once the breach visit is at least this old...
    pub court_breach_visit_after: Span,
    /// ...and no payment for at least this many days.
    pub no_payment_days: u32,
    /// Rules 10 and 11: wait this long after the last action or breach letter.
    pub breach_letter_after: Span,
    /// Arrears of a Universal Credit or Housing Benefit claimant that the next benefit payment
    /// will clear are "technical" and not chased.
    pub skip_technical_arrears: bool,
}

/// An action kind named in `counted_actions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountedAction(pub ActionKind);

impl<'de> Deserialize<'de> for CountedAction {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let name = String::deserialize(de)?;
        ActionKind::parse(&name)
            .map(CountedAction)
            .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not an action kind")))
    }
}

fn rules<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<Recommendation>, D::Error> {
    use serde::de::Error;
    let names = Vec::<String>::deserialize(de)?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let rule = Recommendation::parse(&name)
            .filter(|r| *r != Recommendation::NoAction)
            .ok_or_else(|| {
                D::Error::custom(format!(
                    "`{name}` is not a rule (see the comments above `rules`)"
                ))
            })?;
        if out.contains(&rule) {
            return Err(D::Error::custom(format!("`{name}` is listed twice")));
        }
        out.push(rule);
    }
    Ok(out)
}

impl Policy {
    pub fn counts(&self, kind: ActionKind) -> bool {
        self.counted_actions.iter().any(|c| c.0 == kind)
    }

    /// Rent for `weeks` weeks at this weekly charge.
    pub fn weeks_of(weekly: Money, weeks: u32) -> Money {
        Money::round_nearest(weekly.decimal() * Decimal::from(weeks))
    }
}
