//! How a household pays. Each one aims at a balance it drifts back to: most keep to nothing owed,
//! some run a little behind, a few a long way behind; missed weeks are partly made up later, so
//! the patch looks like a real one rather than a random walk into ever deeper arrears.

use crate::domain::Money;
use crate::domain::ledger::PaymentMethod;
use chrono::{Datelike, Days, NaiveDate};
use fastrand::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    /// Pays each week.
    Weekly,
    /// Pays a monthly amount on a day of the month (Direct Debit).
    Monthly { day: u32 },
    /// Universal Credit housing costs paid monthly in arrears, straight to the landlord.
    UniversalCredit { day: u32 },
    /// Housing Benefit four-weekly in arrears for a share of the rent; the tenant pays the rest.
    HousingBenefit { share_percent: u8 },
}

#[derive(Clone, Debug)]
pub struct Payer {
    pub cadence: Cadence,
    /// The balance, in weeks of rent, this household drifts back to (negative: in credit).
    target_weeks: i64,
    /// Of each pound it is behind its target, how many pence a week it makes up.
    catch_up_percent: u8,
    /// Chance of missing a week (or a month), percent.
    miss_percent: u8,
    method: PaymentMethod,
    /// Stops paying this many weeks before today ("new arrears"), if set.
    stops_weeks_before_today: Option<i64>,
    /// Keeps an agreed plan: pays the instalment on top of the rent.
    pub keeps_plans: bool,
    /// The weekday it is paid and pays what it pays each week, in days after Monday.
    payday: u64,
}

/// One payment to post.
pub struct Payment {
    pub date: NaiveDate,
    pub amount: Money,
    pub method: PaymentMethod,
    pub text: &'static str,
}

/// The weekday a household is paid, in days after Monday: many on Friday (weekly wages), many on
/// Monday with the rent, the rest on the day their wages or benefits come in.
pub fn payday(rng: &mut Rng) -> u64 {
    match rng.u8(..100) {
        0..30 => 0,
        30..42 => 1,
        42..54 => 2,
        54..66 => 3,
        _ => 4,
    }
}

impl Payer {
    pub fn new(rng: &mut Rng, universal_credit: bool, housing_benefit: bool, payday: u64) -> Payer {
        let method = [
            PaymentMethod::DirectDebit,
            PaymentMethod::StandingOrder,
            PaymentMethod::Card,
        ][rng.usize(..3)];
        let day = rng.u32(1..29);
        let mut payer = Payer {
            cadence: Cadence::Weekly,
            target_weeks: 0,
            catch_up_percent: 40,
            miss_percent: 3,
            method,
            stops_weeks_before_today: None,
            keeps_plans: rng.u8(..100) < 70,
            payday,
        };
        if universal_credit && rng.u8(..100) < 75 {
            payer.cadence = Cadence::UniversalCredit { day };
        } else if housing_benefit && rng.u8(..100) < 85 {
            payer.cadence = Cadence::HousingBenefit {
                share_percent: rng.u8(60..=100),
            };
        } else if rng.u8(..100) < 20 {
            payer.cadence = Cadence::Monthly { day };
            payer.method = PaymentMethod::DirectDebit;
        }
        // How far behind this household tends to run.
        match rng.u8(..100) {
            0..=54 => {}
            55..=64 => payer.target_weeks = -i64::from(rng.u8(1..6)),
            65..=79 => {
                payer.target_weeks = i64::from(rng.u8(1..4));
                payer.miss_percent = 10;
            }
            80..=89 => {
                payer.target_weeks = i64::from(rng.u8(4..9));
                payer.catch_up_percent = 15;
                payer.miss_percent = 20;
            }
            90..=94 => {
                payer.target_weeks = i64::from(rng.u8(9..22));
                payer.catch_up_percent = 8;
                payer.miss_percent = 30;
                payer.keeps_plans = rng.u8(..100) < 40;
            }
            _ => payer.stops_weeks_before_today = Some(rng.i64(2..10)),
        }
        payer
    }

    /// This week's payments, given the rent charged this week and the balance before them.
    /// `instalment` is what an agreed plan adds each week; `pressure` (a notice or court order)
    /// makes a household work harder to catch up.
    #[allow(clippy::too_many_arguments)]
    pub fn week(
        &self,
        rng: &mut Rng,
        monday: NaiveDate,
        today: NaiveDate,
        charge: Money,
        balance: Money,
        instalment: Money,
        pressure: bool,
    ) -> Vec<Payment> {
        let mut out = Vec::new();
        if let Some(stop) = self.stops_weeks_before_today
            && (today - monday).num_days() / 7 < stop
        {
            return out;
        }
        let target = Money::from_pence(charge.pence() * self.target_weeks);
        let behind = (balance - target).max(Money::ZERO);
        let rate = i64::from(self.catch_up_percent) * if pressure { 2 } else { 1 };
        let catch_up = Money::from_pence(behind.pence() * rate.min(100) / 100);
        let ahead = (target - balance).max(Money::ZERO);
        // On its payday, now and then a day or two late (a Saturday, for a Friday's pay).
        let day = |rng: &mut Rng| {
            let late = match rng.u8(..10) {
                0..7 => 0,
                7..9 => 1,
                _ => 2,
            };
            monday + Days::new(self.payday + late)
        };
        let missed = |rng: &mut Rng| rng.u8(..100) < self.miss_percent;
        let plan = if self.keeps_plans {
            instalment
        } else {
            Money::ZERO
        };
        match self.cadence {
            Cadence::Weekly => {
                if !missed(rng) {
                    let amount = (charge + catch_up + plan - ahead.min(charge)).max(Money::ZERO);
                    push(&mut out, day(rng), amount, self.method, "");
                }
            }
            Cadence::Monthly { day: pay_day } => {
                for offset in 0..7 {
                    let date = monday + Days::new(offset);
                    if date.day() == pay_day && !missed(rng) {
                        let monthly = Money::from_pence(charge.pence() * 52 / 12);
                        let amount = monthly + catch_up + Money::from_pence(plan.pence() * 52 / 12);
                        push(
                            &mut out,
                            date,
                            amount,
                            PaymentMethod::DirectDebit,
                            "Direct Debit",
                        );
                    }
                }
            }
            Cadence::UniversalCredit { day: pay_day } => {
                for offset in 0..7 {
                    let date = monday + Days::new(offset);
                    // Three in a hundred months the payment is late and lands the month after.
                    if date.day() == pay_day && rng.u8(..100) >= 3 {
                        let monthly = Money::from_pence(charge.pence() * 52 / 12);
                        push(
                            &mut out,
                            date,
                            monthly,
                            PaymentMethod::UcDirect,
                            "Universal Credit housing costs",
                        );
                    }
                }
                // The claimant pays any arrears beyond the month UC runs behind, and the plan.
                let month = Money::from_pence(charge.pence() * 52 / 12);
                let beyond = (balance - target - month).max(Money::ZERO);
                let top_up = Money::from_pence(beyond.pence() * rate.min(100) / 100) + plan;
                if top_up.is_positive() && !missed(rng) {
                    push(&mut out, day(rng), top_up, PaymentMethod::Card, "");
                }
            }
            Cadence::HousingBenefit { share_percent } => {
                let share = Money::from_pence(charge.pence() * i64::from(share_percent) / 100);
                if (monday - NaiveDate::from_ymd_opt(2000, 1, 3).expect("a Monday")).num_days() % 28
                    == 0
                {
                    let four_weeks = Money::from_pence(share.pence() * 4);
                    push(
                        &mut out,
                        monday,
                        four_weeks,
                        PaymentMethod::HousingBenefit,
                        "Housing Benefit",
                    );
                }
                let own = charge - share + catch_up + plan;
                if own.is_positive() && !missed(rng) {
                    push(&mut out, day(rng), own, PaymentMethod::Cash, "");
                }
            }
        }
        out
    }
}

fn push(
    out: &mut Vec<Payment>,
    date: NaiveDate,
    amount: Money,
    method: PaymentMethod,
    text: &'static str,
) {
    if amount.is_positive() {
        out.push(Payment {
            date,
            amount,
            method,
            text,
        });
    }
}
