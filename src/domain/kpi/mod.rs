//! The team's numbers (DOMAIN.md, "Useful measures"): what a patch, an officer or the whole
//! caseload collected, owes and did in a period, summed from plain values the store reads.
//!
//! A [`Tally`] is additive: the store fills one per patch and officer pair, and every total
//! (a patch, an officer, the caseload) is the sum of the pairs it holds, so the figures by patch
//! always add up to the caseload's. The percentages are worked out from the sums, never averaged.
//!
//! - **Collection rate**: rent received in the period as a percentage of the rent debited in it,
//!   so arrears brought forward are left out (a tenant clearing old arrears can take it past 100).
//!   Received is payments less payments reversed (bounced) and refunds; debited is charges less
//!   charges reversed. Adjustments count in neither.
//! - **Arrears % of the rent roll**: what current tenancies owe on rent at the end of the period,
//!   over the annual rent roll (each current tenancy's weekly charge × the weeks in that rent year).
//! - **Former tenant arrears**: what ended tenancies still owe on any account, with any
//!   `former_tenant` debt; **written off**: write-offs less write-ons in the period.
//! - **Bands**: current rent accounts by weeks of rent owed (balance ÷ weekly charge), as the
//!   queue's `:band` filter counts them.

#[cfg(test)]
mod tests;

use super::Money;
use super::actions::ActionKind;
use super::dates::{RentYear, week_start};
use super::ledger::EntryKind;
use super::plan::PlanState;
use super::promise::PromiseState;
use super::recovery::CourtOutcome;
use super::tenancy::DebtType;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The days a report covers, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the period ends ({to}) before it starts ({from})")]
pub struct Backwards {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, Backwards> {
        if to < from {
            return Err(Backwards { from, to });
        }
        Ok(Period { from, to })
    }

    /// The rent year up to `to`: what "this year" means for the collection rate.
    pub fn rent_year_to(to: NaiveDate) -> Period {
        Period {
            from: RentYear::containing(to).start(),
            to,
        }
    }

    /// The rent week holding `to`, up to `to`: "this week" for contacts and actions.
    pub fn week_of(self) -> Period {
        Period {
            from: week_start(self.to).max(self.from),
            to: self.to,
        }
    }

    pub fn holds(self, date: NaiveDate) -> bool {
        (self.from..=self.to).contains(&date)
    }
}

/// How far behind a current rent account is, in weeks of its rent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Credit,
    Clear,
    UnderOneWeek,
    OneToFour,
    FourToEight,
    EightPlus,
}

impl Band {
    pub const ALL: [Band; 6] = [
        Band::Credit,
        Band::Clear,
        Band::UnderOneWeek,
        Band::OneToFour,
        Band::FourToEight,
        Band::EightPlus,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Band::Credit => "in credit",
            Band::Clear => "clear",
            Band::UnderOneWeek => "under 1 week",
            Band::OneToFour => "1 to 4 weeks",
            Band::FourToEight => "4 to 8 weeks",
            Band::EightPlus => "8 weeks or more",
        }
    }

    /// A short label for a bar: `cr` (in credit), `0` (clear), `<1w`, `4-8w`.
    pub fn short(self) -> &'static str {
        match self {
            Band::Credit => "cr",
            Band::Clear => "0",
            Band::UnderOneWeek => "<1w",
            Band::OneToFour => "1-4w",
            Band::FourToEight => "4-8w",
            Band::EightPlus => "8w+",
        }
    }

    /// The band of a balance; an account with no weekly charge that owes anything is 8 weeks+.
    pub fn of(balance: Money, weekly: Money) -> Band {
        if balance.is_negative() {
            return Band::Credit;
        }
        if balance.is_zero() {
            return Band::Clear;
        }
        if !weekly.is_positive() {
            return Band::EightPlus;
        }
        // Tenths of a week, in whole pence arithmetic: no rounding at a band's edge.
        let tenths = balance.pence() * 10 / weekly.pence();
        match tenths {
            ..10 => Band::UnderOneWeek,
            10..40 => Band::OneToFour,
            40..80 => Band::FourToEight,
            _ => Band::EightPlus,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Accounts in a band and what they owe (or, in credit, hold).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandTally {
    pub accounts: u32,
    pub owed: Money,
}

/// One account as it stands at the end of the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountAt {
    pub debt_type: DebtType,
    pub weekly_charge: Money,
    pub balance: Money,
    /// The tenancy had started and not ended on the period's last day.
    pub current: bool,
}

/// A tenancy is current on a day between its start and its end (the end day is its last).
pub fn is_current(start: NaiveDate, end: Option<NaiveDate>, on: NaiveDate) -> bool {
    start <= on && end.is_none_or(|end| end >= on)
}

/// The contacts with a tenant (a call, an SMS, an email, a letter received, a visit), as against
/// every other action recorded.
pub fn is_contact(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Call
            | ActionKind::Sms
            | ActionKind::Email
            | ActionKind::LetterReceived
            | ActionKind::HomeVisit
            | ActionKind::OfficeVisit
    )
}

/// The hearing outcomes counted as possession orders: outright, suspended and postponed.
pub fn is_possession_order(outcome: CourtOutcome) -> bool {
    outcome.is_outright()
        || matches!(
            outcome,
            CourtOutcome::SuspendedOnTerms | CourtOutcome::PostponedPossession
        )
}

/// Everything the measures are worked out from, for one group of tenancies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    // Money that moved in the period.
    pub rent_due: Money,
    pub collected: Money,
    pub written_off: Money,
    // Where things stand on the period's last day.
    pub tenancies: u32,
    pub rent_roll: Money,
    pub arrears: Money,
    pub former_arrears: Money,
    pub bands: [BandTally; 6],
    /// Promises falling due in the period, judged on its last day.
    pub promises_kept: u32,
    pub promises_broken: u32,
    pub promises_pending: u32,
    /// Each tenancy's current plan, by its state on the period's last day.
    pub plans_live: u32,
    pub plans_breached: u32,
    pub plans_completed: u32,
    // Work done in the period, and in its last rent week.
    pub contacts: u32,
    pub actions: u32,
    pub contacts_week: u32,
    pub actions_week: u32,
    // Legal steps in the period.
    pub notices: u32,
    pub claims: u32,
    pub orders: u32,
    pub warrants: u32,
    pub evictions: u32,
}

impl Tally {
    /// One account at the end of the period; `weeks` is the number of weekly debits in that
    /// rent year (52 or 53), for the annual rent roll.
    pub fn add_account(&mut self, a: AccountAt, weeks: u32) {
        if a.current && a.debt_type == DebtType::Rent {
            self.tenancies += 1;
            self.rent_roll += Money::from_pence(a.weekly_charge.pence() * i64::from(weeks));
            if a.balance.is_positive() {
                self.arrears += a.balance;
            }
            let band = &mut self.bands[Band::of(a.balance, a.weekly_charge).index()];
            band.accounts += 1;
            band.owed += a.balance;
        }
        let former = !a.current || a.debt_type == DebtType::FormerTenant;
        if former && a.balance.is_positive() {
            self.former_arrears += a.balance;
        }
    }

    /// Ledger entries of one `kind` in the period summed (`amount` as stored: positive raises the
    /// balance); a reversal counts as the kind it reverses, against it.
    pub fn add_entries(
        &mut self,
        debt_type: DebtType,
        kind: EntryKind,
        reverses: Option<EntryKind>,
        amount: Money,
    ) {
        let rent = debt_type == DebtType::Rent;
        match reverses.unwrap_or(kind) {
            EntryKind::Charge if rent => self.rent_due += amount,
            EntryKind::Payment | EntryKind::Refund if rent => self.collected -= amount,
            EntryKind::WriteOff | EntryKind::WriteOn => self.written_off -= amount,
            _ => {}
        }
    }

    pub fn add_promise(&mut self, state: PromiseState) {
        match state {
            PromiseState::Kept => self.promises_kept += 1,
            PromiseState::Broken => self.promises_broken += 1,
            PromiseState::Pending => self.promises_pending += 1,
        }
    }

    pub fn add_plan(&mut self, state: PlanState) {
        match state {
            PlanState::Live => self.plans_live += 1,
            PlanState::Breached => self.plans_breached += 1,
            PlanState::Completed => self.plans_completed += 1,
            PlanState::Cancelled | PlanState::Replaced => {}
        }
    }

    /// `count` actions of `kind` recorded; `this_week`: in the period's last rent week. Claims
    /// (a court date applied for) and evictions are counted from the action log, which holds
    /// the housing system's as well as caseload's own.
    pub fn add_actions(&mut self, kind: ActionKind, count: u32, this_week: bool) {
        self.actions += count;
        if this_week {
            self.actions_week += count;
        }
        if is_contact(kind) {
            self.contacts += count;
            if this_week {
                self.contacts_week += count;
            }
        }
        match kind {
            ActionKind::Evicted => self.evictions += count,
            ActionKind::CourtDateApplied => self.claims += count,
            _ => {}
        }
    }

    /// Adds another tally's money that moved and work done (not where things stood): a kept
    /// week's, to the weeks read since.
    pub fn add_flows(&mut self, o: &Tally) {
        self.rent_due += o.rent_due;
        self.collected += o.collected;
        self.written_off += o.written_off;
        self.contacts += o.contacts;
        self.actions += o.actions;
        self.notices += o.notices;
        self.claims += o.claims;
        self.orders += o.orders;
        self.warrants += o.warrants;
        self.evictions += o.evictions;
    }

    /// Takes another tally's money that moved and work done off this one: a kept week's, from
    /// a longer period's.
    pub fn less_flows(&mut self, o: &Tally) {
        self.rent_due -= o.rent_due;
        self.collected -= o.collected;
        self.written_off -= o.written_off;
        self.contacts = self.contacts.saturating_sub(o.contacts);
        self.actions = self.actions.saturating_sub(o.actions);
        self.notices = self.notices.saturating_sub(o.notices);
        self.claims = self.claims.saturating_sub(o.claims);
        self.orders = self.orders.saturating_sub(o.orders);
        self.warrants = self.warrants.saturating_sub(o.warrants);
        self.evictions = self.evictions.saturating_sub(o.evictions);
    }

    /// Adds another tally's promises falling due.
    pub fn add_promises(&mut self, o: &Tally) {
        self.promises_kept += o.promises_kept;
        self.promises_broken += o.promises_broken;
        self.promises_pending += o.promises_pending;
    }

    /// Adds another group's tally to this one.
    pub fn merge(&mut self, o: &Tally) {
        self.add_flows(o);
        self.add_promises(o);
        self.tenancies += o.tenancies;
        self.rent_roll += o.rent_roll;
        self.arrears += o.arrears;
        self.former_arrears += o.former_arrears;
        for (band, other) in self.bands.iter_mut().zip(&o.bands) {
            band.accounts += other.accounts;
            band.owed += other.owed;
        }
        self.plans_live += o.plans_live;
        self.plans_breached += o.plans_breached;
        self.plans_completed += o.plans_completed;
        self.contacts_week += o.contacts_week;
        self.actions_week += o.actions_week;
    }

    /// Rent collected as a percentage of rent due in the period; none when nothing was due.
    pub fn collection_rate(&self) -> Option<Decimal> {
        percent(self.collected, self.rent_due)
    }

    /// Current arrears as a percentage of the annual rent roll.
    pub fn arrears_of_roll(&self) -> Option<Decimal> {
        percent(self.arrears, self.rent_roll)
    }

    pub fn former_of_roll(&self) -> Option<Decimal> {
        percent(self.former_arrears, self.rent_roll)
    }

    pub fn written_off_of_roll(&self) -> Option<Decimal> {
        percent(self.written_off, self.rent_roll)
    }

    pub fn band(&self, band: Band) -> BandTally {
        self.bands[band.index()]
    }
}

/// `part` as a percentage of `whole`, exact (rounded only when shown); none when `whole` is not
/// positive.
pub fn percent(part: Money, whole: Money) -> Option<Decimal> {
    whole
        .is_positive()
        .then(|| part.decimal() * Decimal::ONE_HUNDRED / whole.decimal())
}

/// A percentage as shown: one decimal place, half away from zero (`97.3%`), or `n/a`.
pub fn show_percent(value: Option<Decimal>) -> String {
    match value {
        Some(v) => format!(
            "{:.1}%",
            v.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        ),
        None => "n/a".into(),
    }
}

/// A patch and officer pair and its tally, as the store reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub patch: String,
    pub officer: String,
    pub tally: Tally,
}

/// Which tenancies a report covers: a patch, an officer, both or all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub patch: Option<String>,
    pub officer: Option<String>,
}

impl Scope {
    pub fn holds(&self, g: &Group) -> bool {
        self.patch
            .as_ref()
            .is_none_or(|p| p.eq_ignore_ascii_case(&g.patch))
            && self
                .officer
                .as_ref()
                .is_none_or(|o| o.eq_ignore_ascii_case(&g.officer))
    }

    /// "patch North, officer Sam" or "the whole caseload".
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [("patch", &self.patch), ("officer", &self.officer)]
            .into_iter()
            .filter_map(|(what, v)| v.as_ref().map(|v| format!("{what} {v}")))
            .collect();
        if parts.is_empty() {
            "the whole caseload".into()
        } else {
            parts.join(", ")
        }
    }
}

/// One week's figures, for the trends: the week's own flows and where things stood at its end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekPoint {
    /// The Monday that starts the week.
    pub week: NaiveDate,
    pub tally: Tally,
}

/// The measures for a period and scope: the total, by patch, by officer, and week by week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub period: Period,
    pub scope: Scope,
    pub total: Tally,
    pub by_patch: Vec<(String, Tally)>,
    pub by_officer: Vec<(String, Tally)>,
    pub trend: Vec<WeekPoint>,
    /// Weeks of the trend still being worked out (none in a report): the figures come first
    /// and the trend, empty until then, after.
    pub trend_missing: usize,
}

/// Adds up the groups `scope` holds into the total and the totals by patch and by officer (each
/// list in name order; a blank name reads "(none)").
pub fn summarise(period: Period, scope: Scope, groups: &[Group], trend: Vec<WeekPoint>) -> Summary {
    let mut total = Tally::default();
    let mut by_patch: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_officer: BTreeMap<String, Tally> = BTreeMap::new();
    let named = |s: &str| {
        if s.trim().is_empty() {
            "(none)".to_string()
        } else {
            s.to_string()
        }
    };
    for g in groups.iter().filter(|g| scope.holds(g)) {
        total.merge(&g.tally);
        by_patch.entry(named(&g.patch)).or_default().merge(&g.tally);
        by_officer
            .entry(named(&g.officer))
            .or_default()
            .merge(&g.tally);
    }
    Summary {
        period,
        scope,
        total,
        by_patch: by_patch.into_iter().collect(),
        by_officer: by_officer.into_iter().collect(),
        trend,
        trend_missing: 0,
    }
}

/// Adds a kept week's money and work to `groups`, pair by pair (a pair with none of its
/// tenancies left still counts what it did that week).
pub fn add_week_flows(groups: &mut Vec<Group>, week: &[Group]) {
    add_by_pair(groups, week, Tally::add_flows);
}

/// Adds the promises in `other` to `groups`, pair by pair.
pub fn add_promises(groups: &mut Vec<Group>, other: &[Group]) {
    add_by_pair(groups, other, Tally::add_promises);
}

/// The groups of a period's last days (from the first day of the rent week it ends in) worked
/// out from the period's `groups` and its earlier `weeks` (every one of its whole weeks, each as
/// its own period): where things stood is the period's; the money and work are the period's less
/// the weeks'; the promises are `promised`, those falling due in the last days. The figures are
/// those of reading the last days alone.
pub fn last_days<'a>(
    groups: &[Group],
    weeks: impl IntoIterator<Item = &'a [Group]>,
    promised: &[Group],
) -> Vec<Group> {
    let mut last: Vec<Group> = groups
        .iter()
        .map(|g| Group {
            patch: g.patch.clone(),
            officer: g.officer.clone(),
            tally: Tally {
                promises_kept: 0,
                promises_broken: 0,
                promises_pending: 0,
                ..g.tally.clone()
            },
        })
        .collect();
    for week in weeks {
        add_by_pair(&mut last, week, Tally::less_flows);
    }
    add_promises(&mut last, promised);
    last
}

fn add_by_pair(groups: &mut Vec<Group>, other: &[Group], add: fn(&mut Tally, &Tally)) {
    for g in other {
        match groups
            .iter_mut()
            .find(|h| h.patch == g.patch && h.officer == g.officer)
        {
            Some(h) => add(&mut h.tally, &g.tally),
            None => {
                let mut tally = Tally::default();
                add(&mut tally, &g.tally);
                groups.push(Group {
                    patch: g.patch.clone(),
                    officer: g.officer.clone(),
                    tally,
                });
            }
        }
    }
}
