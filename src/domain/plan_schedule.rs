//! The schedule of a payment plan, solved either way round, exact to the penny.
//!
//! From the arrears, the frequency, the first instalment date, an optional lump sum and the
//! instalment, DOMAIN.md's rule gives the end date: `ceil((arrears − lump sum) ÷ instalment)`
//! instalments, the last `− 1` periods after the first instalment date. Every instalment is the
//! agreed amount except the last, which is the remainder, so the schedule sums exactly to the
//! arrears. The other way round, the instalment for a target end date is
//! `ceil((arrears − lump sum) ÷ instalments by that date)`, rounded up to the penny.
//!
//! **Growth.** A debt can grow while the plan runs (e.g. a benefit shortfall the tenant cannot
//! pay). With a weekly growth `g`, each instalment after the first faces one period's growth `G`
//! (`g` × 1, 2 or 4 weeks, or `g` × 52 ÷ 12 rounded up for a month). Owing `B` after the lump
//! sum, `k` instalments of `I` clear it when `B + (k − 1)G ≤ k·I`, so
//! `k = ceil((B − G) ÷ (I − G))`, and an instalment that does not beat `G` never clears (unless
//! it pays everything on the first date). With `g = 0` these are exactly DOMAIN.md's rules.
//!
//! **Round trip.** [`PlanBasis::solve_end_date`] gives the *smallest* whole-penny instalment
//! whose last instalment falls on or before the target date. So solving an instalment `I` to its
//! end date `E` and then `E` back gives `I' ≤ I` with the same end date and the same number of
//! instalments (`I'` is smaller only when the remainder could absorb the difference).

use super::Money;
use super::dates;
use super::plan::Frequency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// No plan may run longer than this: a guard for date arithmetic (and common sense); a plan
/// that would take longer is refused with the number of years it would take.
pub const MAX_YEARS: u32 = 100;

/// A lump sum paid on its own date, on top of the instalments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lump {
    pub amount: Money,
    pub date: NaiveDate,
}

/// Everything about a plan but the instalment (or the end date) being solved for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlanBasis {
    /// What is owed when the plan is agreed.
    pub arrears: Money,
    pub frequency: Frequency,
    /// The first instalment date.
    pub start: NaiveDate,
    pub lump: Option<Lump>,
    /// How much the debt grows each week while the plan runs (usually zero).
    pub weekly_growth: Money,
}

/// A solved plan: how many instalments, the last one, and when it clears.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub basis: PlanBasis,
    pub instalment: Money,
    /// Number of instalments, the last one included.
    pub count: u32,
    /// The last instalment: the remainder, never more than `instalment`.
    pub last: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Instalment,
    LumpSum,
}

/// One due payment in a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleItem {
    pub date: NaiveDate,
    pub kind: ItemKind,
    pub amount: Money,
    /// What should be owed once this is paid (with any growth up to this date).
    pub balance_after: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("nothing is owed ({}): no plan is needed", .0.format_balance())]
    NothingOwed(Money),
    #[error("an instalment of £0.00 never clears the debt")]
    ZeroInstalment,
    #[error("an instalment cannot be negative ({0})")]
    NegativeInstalment(Money),
    #[error("a lump sum cannot be negative ({0})")]
    NegativeLump(Money),
    #[error("the growth of the debt cannot be negative ({0})")]
    NegativeGrowth(Money),
    #[error("{instalment} {per} never clears the debt: it grows by {growth} {per}")]
    NeverClears {
        instalment: Money,
        growth: Money,
        per: &'static str,
    },
    #[error("the lump sum of {lump} clears all {arrears} owed: record a one-off payment instead")]
    LumpClearsAll { lump: Money, arrears: Money },
    #[error("a one-off payment must clear the {0} owed: choose a frequency for part payments")]
    OneOffShort(Money),
    #[error("a one-off payment has a single date: change the first instalment date instead")]
    OneOffEndDate,
    #[error("the end date {} is before the first instalment on {}", dates::uk(*end), dates::uk(*start))]
    EndBeforeStart { end: NaiveDate, start: NaiveDate },
    #[error("the lump sum is due on {}, after the end date {}", dates::uk(*lump), dates::uk(*end))]
    LumpAfterEnd { lump: NaiveDate, end: NaiveDate },
    #[error(
        "{instalment} {per} would take about {years} years to clear: a plan cannot run longer than {MAX_YEARS} years"
    )]
    TooLong {
        instalment: Money,
        per: &'static str,
        years: u64,
    },
}

impl PlanBasis {
    /// The lump sum, unless it is for nothing.
    pub fn active_lump(&self) -> Option<Lump> {
        self.lump.filter(|l| !l.amount.is_zero())
    }

    /// What the instalments must clear: the arrears less the lump sum, after checking both.
    fn owed_after_lump(&self) -> Result<i64, PlanError> {
        if !self.arrears.is_positive() {
            return Err(PlanError::NothingOwed(self.arrears));
        }
        let lump = self.active_lump().map_or(Money::ZERO, |l| l.amount);
        if lump.is_negative() {
            return Err(PlanError::NegativeLump(lump));
        }
        if lump >= self.arrears {
            return Err(PlanError::LumpClearsAll {
                lump,
                arrears: self.arrears,
            });
        }
        if self.weekly_growth.is_negative() {
            return Err(PlanError::NegativeGrowth(self.weekly_growth));
        }
        Ok((self.arrears - lump).pence())
    }

    /// How much the debt grows from one instalment to the next.
    pub fn growth_per_period(&self) -> Money {
        let weekly = self.weekly_growth.decimal();
        match self.frequency {
            Frequency::Weekly => self.weekly_growth,
            Frequency::Fortnightly => Money::round_up(weekly * Decimal::TWO),
            Frequency::FourWeekly => Money::round_up(weekly * Decimal::from(4)),
            Frequency::Monthly => Money::round_up(weekly * Decimal::from(52) / Decimal::from(12)),
            Frequency::OneOff => Money::ZERO,
        }
    }

    /// Solves for the end date: the plan that pays `instalment` each period.
    pub fn solve_instalment(&self, instalment: Money) -> Result<Plan, PlanError> {
        let to_clear = self.owed_after_lump()?;
        if instalment.is_zero() {
            return Err(PlanError::ZeroInstalment);
        }
        if instalment.is_negative() {
            return Err(PlanError::NegativeInstalment(instalment));
        }
        let i = instalment.pence();
        let g = self.growth_per_period().pence();
        let count = if i >= to_clear {
            1
        } else if self.frequency == Frequency::OneOff {
            return Err(PlanError::OneOffShort(Money::from_pence(to_clear)));
        } else if i <= g {
            return Err(PlanError::NeverClears {
                instalment,
                growth: Money::from_pence(g),
                per: self.frequency.per(),
            });
        } else {
            ceil_div(to_clear - g, i - g)
        };
        let max = max_instalments(self.frequency);
        let count = u32::try_from(count)
            .ok()
            .filter(|&c| c <= max)
            .ok_or(PlanError::TooLong {
                instalment,
                per: self.frequency.per(),
                years: u64::try_from(count).unwrap_or(u64::MAX)
                    / u64::from(self.frequency.per_year()),
            })?;
        let paid_before_last = i64::from(count - 1) * (i - g);
        Ok(Plan {
            basis: *self,
            // An instalment above the debt is one payment of the debt: the plan never asks more.
            instalment: Money::from_pence(i.min(to_clear)),
            count,
            last: Money::from_pence(to_clear - paid_before_last),
        })
    }

    /// Solves for the instalment: the smallest one whose last instalment falls on or before `end`.
    pub fn solve_end_date(&self, end: NaiveDate) -> Result<Plan, PlanError> {
        let to_clear = self.owed_after_lump()?;
        if end < self.start {
            return Err(PlanError::EndBeforeStart {
                end,
                start: self.start,
            });
        }
        if let Some(lump) = self.active_lump().filter(|l| l.date > end) {
            return Err(PlanError::LumpAfterEnd {
                lump: lump.date,
                end,
            });
        }
        if self.frequency == Frequency::OneOff && end != self.start {
            return Err(PlanError::OneOffEndDate);
        }
        let k = i64::from(
            self.frequency
                .dues_by(self.start, end)
                .min(max_instalments(self.frequency)),
        );
        let g = self.growth_per_period().pence();
        // k instalments of I clear B when B + (k − 1)G ≤ k·I; never more than B itself.
        let i = ceil_div(to_clear + (k - 1) * g, k).min(to_clear);
        self.solve_instalment(Money::from_pence(i))
    }
}

impl Plan {
    /// The date of the last instalment.
    pub fn last_due(&self) -> NaiveDate {
        self.basis
            .frequency
            .due_date(self.basis.start, self.count - 1)
    }

    /// The date the debt is cleared: the last instalment, or the lump sum if that comes later.
    pub fn clear_by(&self) -> NaiveDate {
        let last = self.last_due();
        self.basis.active_lump().map_or(last, |l| l.date.max(last))
    }

    /// Every due payment in date order (a lump sum before an instalment on the same day), with
    /// the balance expected after it.
    pub fn schedule(&self) -> Vec<ScheduleItem> {
        let b = &self.basis;
        let growth = b.growth_per_period();
        let mut items = Vec::with_capacity(self.count as usize + 1);
        let mut balance = b.arrears;
        let mut lump = b.active_lump();
        for n in 0..self.count {
            let date = b.frequency.due_date(b.start, n);
            if let Some(l) = lump.filter(|l| l.date <= date) {
                balance -= l.amount;
                items.push(lump_item(l, balance));
                lump = None;
            }
            if n > 0 {
                balance += growth;
            }
            let amount = if n + 1 == self.count {
                self.last
            } else {
                self.instalment
            };
            balance -= amount;
            items.push(ScheduleItem {
                date,
                kind: ItemKind::Instalment,
                amount,
                balance_after: balance,
            });
        }
        if let Some(l) = lump {
            balance -= l.amount;
            items.push(lump_item(l, balance));
        }
        items
    }
}

fn lump_item(l: Lump, balance_after: Money) -> ScheduleItem {
    ScheduleItem {
        date: l.date,
        kind: ItemKind::LumpSum,
        amount: l.amount,
        balance_after,
    }
}

/// The most instalments a plan of `frequency` may have (see [`MAX_YEARS`]).
fn max_instalments(frequency: Frequency) -> u32 {
    match frequency.days() {
        Some(days) => u32::try_from(u64::from(MAX_YEARS) * 365 / days).unwrap_or(u32::MAX),
        None => MAX_YEARS * 12,
    }
}

/// `ceil(a ÷ b)` for `a ≥ 0`, `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

#[cfg(test)]
mod tests;
