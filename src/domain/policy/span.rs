//! Lengths of time as a landlord writes them in a policy: "7 days", "2 weeks", "3 months",
//! "6 years". Months and years are calendar months (31 Jan less a month is 31 Dec; 31 Mar less a
//! month is 28 or 29 Feb).

use crate::domain::dates::{add_months, sub_months};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
}

impl Span {
    pub fn parse(text: &str) -> Result<Span, String> {
        let bad = || {
            format!(
                "`{text}` is not a length of time (write e.g. \"7 days\", \"2 weeks\", \"3 months\")"
            )
        };
        let mut words = text.split_whitespace();
        let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let n: u32 = n.parse().map_err(|_| bad())?;
        if n > 1_000 {
            return Err(bad());
        }
        match unit.trim_end_matches('s') {
            "day" => Ok(Span::Days(n)),
            "week" => Ok(Span::Weeks(n)),
            "month" => Ok(Span::Months(n)),
            "year" => Ok(Span::Years(n)),
            _ => Err(bad()),
        }
    }

    /// The date this long before `date`.
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => date - Days::new(u64::from(n)),
            Span::Weeks(n) => date - Days::new(u64::from(n) * 7),
            Span::Months(n) => sub_months(date, n),
            Span::Years(n) => sub_months(date, n * 12),
        }
    }

    /// The date this long after `date`.
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => date + Days::new(u64::from(n)),
            Span::Weeks(n) => date + Days::new(u64::from(n) * 7),
            Span::Months(n) => add_months(date, n),
            Span::Years(n) => add_months(date, n * 12),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit) = match self {
            Span::Days(n) => (n, "day"),
            Span::Weeks(n) => (n, "week"),
            Span::Months(n) => (n, "month"),
            Span::Years(n) => (n, "year"),
        };
        write!(f, "{n} {unit}{}", if *n == 1 { "" } else { "s" })
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        Span::parse(&String::deserialize(de)?).map_err(serde::de::Error::custom)
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
    fn parses_what_landlords_write() {
        assert_eq!(Span::parse("7 days"), Ok(Span::Days(7)));
        assert_eq!(Span::parse("1 week"), Ok(Span::Weeks(1)));
        assert_eq!(Span::parse(" 3  months "), Ok(Span::Months(3)));
        assert_eq!(Span::parse("6 years"), Ok(Span::Years(6)));
        for bad in [
            "7",
            "days",
            "7 fortnights",
            "-1 days",
            "seven days",
            "7 days ago",
        ] {
            assert!(Span::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Span::Months(1).to_string(), "1 month");
    }

    #[test]
    fn calendar_months_clamp() {
        assert_eq!(Span::Months(3).before(d("2026-05-31")), d("2026-02-28"));
        assert_eq!(Span::Months(1).before(d("2026-01-31")), d("2025-12-31"));
        assert_eq!(Span::Weeks(52).after(d("2026-01-01")), d("2026-12-31"));
        assert_eq!(Span::Years(6).before(d("2026-02-28")), d("2020-02-28"));
    }
}
