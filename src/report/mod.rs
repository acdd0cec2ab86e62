//! The team's numbers as a report: one computation ([`build`]) that the KPI screen and
//! `caseload report` both show, rendered as text, CSV or one printable HTML page.

mod csv;
mod html;
mod text;

use crate::domain::Money;
use crate::domain::dates::uk;
use crate::domain::dates::{RentYear, week_start};
use crate::domain::kpi::{
    Group, Period, Scope, Summary, Tally, WeekPoint, add_promises, add_week_flows, last_days,
    show_percent, summarise,
};
use crate::statement::Format;
use crate::store::{Result, Store};
use chrono::Days;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Weeks in a trend: a year.
pub const TREND_WEEKS: u64 = 52;

/// The measures for `period` and `scope`, promises judged with `promise_tolerance` days' grace,
/// with the trend over the 52 whole weeks before the week `period` ends in (kept by the store,
/// back-filled on first use) and then that week up to the period's end. Whole weeks of the period
/// already kept give its money and work, so only the current week is read from the ledger and the
/// action log; from the first day of a rent year, the period is read as on first use and the
/// current week is the period less the kept weeks. The figures are the same as reading them all
/// (tests/kpi.rs holds them to it).
///
/// The trend's last point is where things stood at the period's end, as the total is: the
/// headline's arrears and the trend's "now" are one figure.
pub fn build(
    store: &mut Store,
    period: Period,
    scope: Scope,
    promise_tolerance: u32,
) -> Result<Summary> {
    let (first, this_week) = trend_weeks(period);
    let weeks = store.kpi_weeks(first, this_week, promise_tolerance)?;
    with_weeks(store, period, scope, promise_tolerance, &weeks)
}

/// The figures for `period` and `scope` now, and the trend only if every week of it is kept:
/// what the KPI screen shows first, in a fraction of a second even when the trend's weeks have
/// never been worked out (the rent year's money comes from the totals the database keeps for
/// each account). Its `trend_missing` says how many weeks [`build`] has still to work out; the
/// figures are [`build`]'s, to the penny.
pub fn headline(
    store: &mut Store,
    period: Period,
    scope: Scope,
    promise_tolerance: u32,
) -> Result<Summary> {
    let (first, this_week) = trend_weeks(period);
    let weeks = store.kpi_kept_weeks(first, this_week)?;
    let missing = first
        .iter_weeks()
        .take_while(|week| *week < this_week)
        .filter(|week| !weeks.contains_key(week))
        .count();
    if missing == 0 {
        return with_weeks(store, period, scope, promise_tolerance, &weeks);
    }
    let groups = store.kpi_groups(period, period.from, promise_tolerance)?;
    let mut summary = summarise(period, scope, &groups, vec![]);
    summary.trend_missing = missing;
    Ok(summary)
}

/// The trend's first week and the week `period` ends in.
fn trend_weeks(period: Period) -> (NaiveDate, NaiveDate) {
    let this_week = week_start(period.to);
    (this_week - Days::new(7 * TREND_WEEKS), this_week)
}

/// The figures with the trend's whole `weeks`, kept or just worked out.
fn with_weeks(
    store: &mut Store,
    period: Period,
    scope: Scope,
    promise_tolerance: u32,
    weeks: &BTreeMap<NaiveDate, Vec<Group>>,
) -> Result<Summary> {
    let (first, this_week) = trend_weeks(period);
    let so_far = Period {
        from: this_week.max(period.from),
        to: period.to,
    };
    let point = |week: NaiveDate, groups: &[Group]| WeekPoint {
        week,
        tally: summarise(period, scope.clone(), groups, vec![]).total,
    };
    let mut trend: Vec<WeekPoint> = weeks.iter().map(|(week, g)| point(*week, g)).collect();
    let kept_from =
        period.from >= first && period.from < this_week && week_start(period.from) == period.from;
    // A kept week judged its promises on its own last day; the period judges them on its.
    let before = kept_from.then(|| Period {
        from: period.from,
        to: this_week - Days::new(1),
    });
    // From the first day of a rent year: the period's figures as the first use reads them (its
    // money from the totals the database keeps for each account and year), and this week's from
    // them less the kept weeks', instead of reading every account's ledger since Monday.
    if kept_from && period.from == RentYear::containing(period.to).start() {
        let (groups, promised) =
            store.kpi_groups_and_last_days(period, so_far.from, promise_tolerance)?;
        let whole = weeks
            .range(period.from..this_week)
            .map(|(_, g)| g.as_slice());
        trend.push(point(this_week, &last_days(&groups, whole, &promised)));
        return Ok(summarise(period, scope, &groups, trend));
    }
    let (this_week_so_far, promised_before) =
        store.kpi_part_week_groups(so_far, before, promise_tolerance)?;
    trend.push(point(this_week, &this_week_so_far));
    let groups = if so_far == period {
        this_week_so_far
    } else if kept_from {
        let mut groups = this_week_so_far;
        for week in weeks.range(period.from..this_week).map(|(_, g)| g) {
            add_week_flows(&mut groups, week);
        }
        add_promises(&mut groups, &promised_before);
        groups
    } else {
        store.kpi_groups(period, period.from, promise_tolerance)?
    };
    Ok(summarise(period, scope, &groups, trend))
}

pub fn render(summary: &Summary, format: Format) -> String {
    match format {
        Format::Text => text::render(summary),
        Format::Csv => csv::render(summary),
        Format::Html => html::render(summary),
    }
}

/// One column of the tables by patch and by officer (and of the CSV): its heading and what a
/// tally holds in it.
pub struct Column {
    pub heading: &'static str,
    pub value: fn(&Tally) -> Cell,
}

/// A figure in a table, shown for reading (`£1,234.50`, `97.3%`) or plainly for a spreadsheet
/// (`1234.50`, `97.3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Money(Money),
    Percent(Option<Decimal>),
    Count(u32),
}

impl Cell {
    pub fn shown(self) -> String {
        match self {
            Cell::Money(m) => m.format(),
            Cell::Percent(p) => show_percent(p),
            Cell::Count(n) => n.to_string(),
        }
    }

    pub fn plain(self) -> String {
        match self {
            Cell::Money(m) => m.plain(),
            Cell::Percent(p) => show_percent(p).trim_end_matches('%').replace("n/a", ""),
            Cell::Count(n) => n.to_string(),
        }
    }
}

fn money(m: Money) -> Cell {
    Cell::Money(m)
}

fn pc(p: Option<Decimal>) -> Cell {
    Cell::Percent(p)
}

fn n(count: u32) -> Cell {
    Cell::Count(count)
}

/// The columns, in the order every table shows them.
pub const COLUMNS: &[Column] = &[
    Column {
        heading: "Tenancies",
        value: |t| n(t.tenancies),
    },
    Column {
        heading: "Rent due",
        value: |t| money(t.rent_due),
    },
    Column {
        heading: "Collected",
        value: |t| money(t.collected),
    },
    Column {
        heading: "Collection rate",
        value: |t| pc(t.collection_rate()),
    },
    Column {
        heading: "Rent roll",
        value: |t| money(t.rent_roll),
    },
    Column {
        heading: "Arrears",
        value: |t| money(t.arrears),
    },
    Column {
        heading: "Arrears % of roll",
        value: |t| pc(t.arrears_of_roll()),
    },
    Column {
        heading: "Former tenant arrears",
        value: |t| money(t.former_arrears),
    },
    Column {
        heading: "Former % of roll",
        value: |t| pc(t.former_of_roll()),
    },
    Column {
        heading: "Written off",
        value: |t| money(t.written_off),
    },
    Column {
        heading: "Written off % of roll",
        value: |t| pc(t.written_off_of_roll()),
    },
    Column {
        heading: "Promises kept",
        value: |t| n(t.promises_kept),
    },
    Column {
        heading: "Promises broken",
        value: |t| n(t.promises_broken),
    },
    Column {
        heading: "Promises pending",
        value: |t| n(t.promises_pending),
    },
    Column {
        heading: "Plans live",
        value: |t| n(t.plans_live),
    },
    Column {
        heading: "Plans breached",
        value: |t| n(t.plans_breached),
    },
    Column {
        heading: "Plans completed",
        value: |t| n(t.plans_completed),
    },
    Column {
        heading: "Contacts",
        value: |t| n(t.contacts),
    },
    Column {
        heading: "Actions",
        value: |t| n(t.actions),
    },
    Column {
        heading: "Contacts this week",
        value: |t| n(t.contacts_week),
    },
    Column {
        heading: "Actions this week",
        value: |t| n(t.actions_week),
    },
    Column {
        heading: "Notices served",
        value: |t| n(t.notices),
    },
    Column {
        heading: "Claims",
        value: |t| n(t.claims),
    },
    Column {
        heading: "Orders",
        value: |t| n(t.orders),
    },
    Column {
        heading: "Warrants",
        value: |t| n(t.warrants),
    },
    Column {
        heading: "Evictions",
        value: |t| n(t.evictions),
    },
];

/// The headline figures in words, one sentence each: what the screen, the text and the HTML
/// page all say, so no figure is carried by a chart alone.
fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn sentences(t: &Tally) -> Vec<String> {
    vec![
        format!(
            "Collection rate {}: {} collected of {} rent due in the period.",
            show_percent(t.collection_rate()),
            t.collected,
            t.rent_due
        ),
        format!(
            "Arrears {} of the rent roll: current tenants owe {} of an annual rent roll of {} ({}).",
            show_percent(t.arrears_of_roll()),
            t.arrears,
            t.rent_roll,
            plural(t.tenancies, "tenancy", "tenancies"),
        ),
        format!(
            "Former tenant arrears {} ({} of the rent roll); written off in the period {} ({}).",
            t.former_arrears,
            show_percent(t.former_of_roll()),
            t.written_off,
            show_percent(t.written_off_of_roll()),
        ),
        format!(
            "Promises due in the period: {} kept, {} broken, {} still open.",
            t.promises_kept, t.promises_broken, t.promises_pending
        ),
        format!(
            "Plans: {} live, {} breached, {} completed.",
            t.plans_live, t.plans_breached, t.plans_completed
        ),
        format!(
            "Work: {} and {} in the period; {} and {} this week.",
            plural(t.contacts, "contact", "contacts"),
            plural(t.actions, "action", "actions"),
            plural(t.contacts_week, "contact", "contacts"),
            plural(t.actions_week, "action", "actions"),
        ),
        format!(
            "Legal steps in the period: {}, {}, {}, {}, {}.",
            plural(t.notices, "notice served", "notices served"),
            plural(t.claims, "claim", "claims"),
            plural(t.orders, "possession order", "possession orders"),
            plural(t.warrants, "warrant", "warrants"),
            plural(t.evictions, "eviction", "evictions"),
        ),
    ]
}

/// "The whole caseload, 06/04/2026 to 23/11/2026"
pub fn title(s: &Summary) -> String {
    let scope = s.scope.describe();
    let mut first = scope.chars();
    let scope = first
        .next()
        .map(|c| c.to_uppercase().chain(first).collect::<String>())
        .unwrap_or_default();
    format!("{scope}, {} to {}", uk(s.period.from), uk(s.period.to))
}

/// The bands in words: "in credit 288 accounts (-£86,980.37); clear 14 …".
pub fn band_words(t: &Tally) -> String {
    let bands: Vec<String> = crate::domain::kpi::Band::ALL
        .iter()
        .map(|b| {
            let tally = t.band(*b);
            format!("{} {} ({})", b.label(), tally.accounts, tally.owed)
        })
        .collect();
    format!("Current rent accounts by weeks owed: {}.", bands.join("; "))
}

/// One line per officer (or patch): "jpatel: arrears 4.9% of roll, collection 98.5%, …".
pub fn row_words(name: &str, t: &Tally) -> String {
    format!(
        "{name}: arrears {} of the rent roll ({}), collection {}, promises {} kept and {} broken, \
         {} plans breached, {} this week ({} in the period).",
        show_percent(t.arrears_of_roll()),
        t.arrears,
        show_percent(t.collection_rate()),
        t.promises_kept,
        t.promises_broken,
        t.plans_breached,
        plural(t.contacts_week, "contact", "contacts"),
        t.contacts,
    )
}

/// The trend in words: where arrears stood at the end of the first week and at the period's end
/// (the headline's figure), and the lowest and highest collection rate of a whole week.
pub fn trend_words(s: &Summary) -> Option<String> {
    let (first, whole) = (s.trend.first()?, s.trend.split_last()?.1);
    let rates: Vec<(Decimal, NaiveDate)> = whole
        .iter()
        .filter_map(|w| w.tally.collection_rate().map(|r| (r, w.week)))
        .collect();
    let low = rates.iter().min_by_key(|(r, _)| *r);
    let high = rates.iter().max_by_key(|(r, _)| *r);
    let mut text = format!(
        "Arrears went from {} of the rent roll (week of {}) to {} on {}.",
        show_percent(first.tally.arrears_of_roll()),
        uk(first.week),
        show_percent(s.total.arrears_of_roll()),
        uk(s.period.to),
    );
    if let (Some((lo, lo_week)), Some((hi, hi_week))) = (low, high) {
        text.push_str(&format!(
            " Collection in a whole week ranged from {} (week of {}) to {} (week of {}).",
            show_percent(Some(*lo)),
            uk(*lo_week),
            show_percent(Some(*hi)),
            uk(*hi_week),
        ));
    }
    Some(text)
}

/// Everything the charts show, in words: the screen's and the page's reading of them.
pub fn words(s: &Summary) -> Vec<String> {
    let mut lines = sentences(&s.total);
    lines.push(band_words(&s.total));
    lines.extend(trend_words(s));
    lines.extend(s.by_officer.iter().map(|(name, t)| row_words(name, t)));
    lines
}
