//! Working days in England and Wales: weekends and bank holidays are not working days.
//!
//! The bank holidays are read from `assets/bank-holidays.toml` (built in) plus any dates the
//! config file adds. Direct Debit changes need notice counted in working days.

use super::dates::parse_iso;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// The built-in table of England and Wales bank holidays.
pub const ENGLAND_AND_WALES: &str = include_str!("../../assets/bank-holidays.toml");

/// Why a date is not a working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayOff {
    Weekend(Weekday),
    BankHoliday(String),
}

impl fmt::Display for DayOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayOff::Weekend(Weekday::Sat) => f.write_str("Saturday"),
            DayOff::Weekend(_) => f.write_str("Sunday"),
            DayOff::BankHoliday(name) => write!(f, "bank holiday: {name}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bank holiday table: {0}")]
pub struct CalendarError(String);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeMap<NaiveDate, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    holidays: Vec<Holiday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    date: String,
    name: String,
}

impl Calendar {
    /// England and Wales from the built-in table.
    pub fn england_and_wales() -> Calendar {
        Calendar::parse(ENGLAND_AND_WALES).expect("the built-in bank holiday table is valid")
    }

    /// Reads a table in the format of `assets/bank-holidays.toml`.
    pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
        let table: Table = toml::from_str(text).map_err(|e| CalendarError(e.to_string()))?;
        let holidays = table
            .holidays
            .into_iter()
            .map(|h| {
                parse_iso(&h.date)
                    .map(|d| (d, h.name))
                    .ok_or_else(|| CalendarError(format!("`{}` is not a YYYY-MM-DD date", h.date)))
            })
            .collect::<Result<_, _>>()?;
        Ok(Calendar { holidays })
    }

    /// Adds bank holidays the built-in table does not know (e.g. from the config file).
    pub fn with_extra(mut self, dates: &[NaiveDate]) -> Calendar {
        for &date in dates {
            self.holidays
                .entry(date)
                .or_insert_with(|| "bank holiday (from the config file)".to_string());
        }
        self
    }

    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff> {
        match date.weekday() {
            day @ (Weekday::Sat | Weekday::Sun) => Some(DayOff::Weekend(day)),
            _ => self
                .holidays
                .get(&date)
                .map(|name| DayOff::BankHoliday(name.clone())),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains_key(&date)
    }

    /// `date` if it is a working day, else the last working day before it.
    pub fn on_or_before(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day - Days::new(1);
        }
        day
    }

    /// `date` if it is a working day, else the first working day after it.
    pub fn on_or_after(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            day = day + Days::new(1);
        }
        day
    }

    /// The `n`th working day after `from` (`from` itself never counts): with notice given on
    /// `from`, the first day an `n` working days' notice has run.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut date = from;
        let mut left = n;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn built_in_table_has_eight_weekday_holidays_a_year() {
        let cal = Calendar::england_and_wales();
        for year in 2024..=2028 {
            let dates: Vec<_> = cal.holidays.keys().filter(|d| d.year() == year).collect();
            assert_eq!(dates.len(), 8, "{year}");
            for date in dates {
                assert!(
                    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
                    "{date} is a weekend: a substitute day belongs in the table"
                );
            }
        }
        assert_eq!(
            cal.day_off(d("2026-12-28")),
            Some(DayOff::BankHoliday("Boxing Day (substitute day)".into()))
        );
        assert_eq!(
            cal.day_off(d("2026-12-26")),
            Some(DayOff::Weekend(Weekday::Sat))
        );
        assert_eq!(cal.day_off(d("2026-12-29")), None);
        assert_eq!(
            cal.day_off(d("2026-08-31")).unwrap().to_string(),
            "bank holiday: Summer bank holiday"
        );
    }

    #[test]
    fn ten_working_days_skip_weekends_and_bank_holidays() {
        let cal = Calendar::england_and_wales();
        // A plain fortnight: Monday + 10 working days is the Monday two weeks on.
        assert_eq!(cal.add_working_days(d("2026-11-02"), 10), d("2026-11-16"));
        // Over the summer bank holiday (Mon 31 Aug 2026).
        assert_eq!(cal.add_working_days(d("2026-08-28"), 10), d("2026-09-14"));
        // Over Christmas 2026: 25 Dec, 28 Dec (substitute) and 1 Jan are skipped.
        assert_eq!(cal.add_working_days(d("2026-12-18"), 10), d("2027-01-06"));
        // Notice given on a Saturday counts from the Monday.
        assert_eq!(cal.add_working_days(d("2026-11-07"), 1), d("2026-11-09"));
        assert_eq!(cal.add_working_days(d("2026-11-07"), 0), d("2026-11-07"));
    }

    #[test]
    fn the_nearest_working_day_either_side() {
        let cal = Calendar::england_and_wales();
        // A working day is its own nearest.
        assert_eq!(cal.on_or_before(d("2026-11-24")), d("2026-11-24"));
        assert_eq!(cal.on_or_after(d("2026-11-24")), d("2026-11-24"));
        // A Sunday: the Friday before, the Monday after.
        assert_eq!(cal.on_or_before(d("2026-11-22")), d("2026-11-20"));
        assert_eq!(cal.on_or_after(d("2026-11-22")), d("2026-11-23"));
        // Christmas 2026: Friday 25, the weekend and the substitute Monday 28 are all off.
        assert_eq!(cal.on_or_before(d("2026-12-28")), d("2026-12-24"));
        assert_eq!(cal.on_or_after(d("2026-12-25")), d("2026-12-29"));
        // Easter 2027: Good Friday 26 March to Easter Monday 29 March.
        assert_eq!(cal.on_or_before(d("2027-03-29")), d("2027-03-25"));
        assert_eq!(cal.on_or_after(d("2027-03-26")), d("2027-03-30"));
    }

    #[test]
    fn the_config_can_add_holidays() {
        let cal = Calendar::england_and_wales().with_extra(&[d("2026-11-16")]);
        assert!(!cal.is_working_day(d("2026-11-16")));
        assert_eq!(cal.add_working_days(d("2026-11-02"), 10), d("2026-11-17"));
        // A date the table already holds keeps its published name.
        let cal = cal.with_extra(&[d("2026-12-25")]);
        assert_eq!(
            cal.day_off(d("2026-12-25")),
            Some(DayOff::BankHoliday("Christmas Day".into()))
        );
    }

    #[test]
    fn a_bad_table_is_an_error_not_a_panic() {
        assert!(Calendar::parse("holidays = [{ date = \"2026-02-30\", name = \"x\" }]").is_err());
        assert!(Calendar::parse("holiday = []").is_err());
    }
}
