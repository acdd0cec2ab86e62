//! Business dates: UK display, input parsing, rent weeks and rent years.
//!
//! Rent weeks start on Monday; the rent year starts on the first Monday of April, so some years hold
//! 53 Mondays (2019/20, 2024/25, 2030/31) and 53 weekly debits.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, Weekday};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date (use 22/11/2026 or 2026-11-22)")]
pub struct DateError(pub String);

/// Parses `2026-11-22` or UK `22/11/2026`; a date that does not exist (`31/02/2026`) is an error.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    parse_iso(s)
        .or_else(|| {
            // A UK date needs its four-digit year: `21/05/20` is not the year 20.
            let year = s.rsplit('/').next()?;
            (year.len() == 4)
                .then(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
                .flatten()
        })
        .ok_or_else(|| DateError(s.to_string()))
}

/// Strict `YYYY-MM-DD`, read byte by byte: dates are on every stored row, and chrono's general
/// format parser costs ten times as much.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Strict `YYYY-MM-DDTHH:MM:SS` (or a space for the `T`).
fn parse_iso_moment(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19 || !(b[10] == b'T' || b[10] == b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_iso(&s[..10])?;
    date.and_hms_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// `2026-11-22`, written by hand for the same reason as [`parse_iso`].
pub fn write_iso(date: NaiveDate, out: &mut String) {
    let (y, m, d) = (date.year(), date.month(), date.day());
    if (0..=9999).contains(&y) {
        let y = y.unsigned_abs();
        for n in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(char::from(b'0' + u8::try_from(n).unwrap_or(0)));
        }
        for (sep, n) in [('-', m), ('-', d)] {
            out.push(sep);
            out.push(char::from(b'0' + u8::try_from(n / 10).unwrap_or(0)));
            out.push(char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)));
        }
    } else {
        out.push_str(&date.format("%Y-%m-%d").to_string());
    }
}

/// Which way a short date leans when it could name a day either side of today: a promise, a
/// hearing or a plan's first instalment is ahead; a notice served or an assessment taken is behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    Ahead,
    Back,
}

/// A date an officer typed that cannot be read; the example uses today's date, so it is never one
/// already past.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error(
        "`{text}` is not a date (try {}, today, tomorrow, friday, 14, 27/11, 2w or 3m)",
        uk(*today)
    )]
    Date { text: String, today: NaiveDate },
    #[error("`{text}` is not a date and time (try tomorrow 14:30, friday 10:00 or 15:00)")]
    Moment { text: String },
}

/// A date as an officer types it, the one parser behind every form and the plan editor, leaning
/// ahead (see [`parse_leaning`]).
pub fn parse_when(input: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    parse_leaning(input, today, Lean::Ahead)
}

/// A date as an officer types it for something that has happened (a notice served, a visit made).
pub fn parse_when_back(input: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    parse_leaning(input, today, Lean::Back)
}

/// Reads what an officer types for a date, relative to `today`:
/// - a whole date, `27/11/2026` or `2026-11-27`;
/// - `today`, `tomorrow`, `yesterday`;
/// - a weekday, `fri` or `friday`: the next such day after today (so "friday" on a Friday is a
///   week ahead), or leaning back the last one before today;
/// - a day of the month, `14`: the next 14th after today (a month without one is skipped), or
///   leaning back the last one before today;
/// - a day and month, `27/11`: this year's if it is not yet past (today included), else next
///   year's; leaning back, this year's if it is not still ahead, else last year's;
/// - a distance, `10d` days, `2w` weeks, `3m` calendar months: ahead of today, or leaning back
///   before it; `+10` (days) or `+2w` is always ahead.
pub fn parse_leaning(input: &str, today: NaiveDate, lean: Lean) -> Result<NaiveDate, WhenError> {
    let s = input.trim().to_ascii_lowercase();
    let found = match s.as_str() {
        "today" => Some(today),
        "tomorrow" => Some(today + Days::new(1)),
        "yesterday" => Some(today - Days::new(1)),
        _ => weekday(&s)
            .map(|day| nearest_weekday(today, day, lean))
            .or_else(|| distance(&s, today, lean))
            .or_else(|| day_of_month(&s, today, lean))
            .or_else(|| day_and_month(&s, today, lean))
            .or_else(|| parse_date(&s).ok()),
    };
    found.ok_or_else(|| WhenError::Date {
        text: input.trim().to_string(),
        today,
    })
}

/// `10d`, `2w`, `3m`: that far from today, ahead or back as the field leans; `+10` or `+2w` is
/// always ahead.
fn distance(s: &str, today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let (s, plus) = match s.strip_prefix('+') {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let lean = if plus { Lean::Ahead } else { lean };
    let (n, unit) = match s.char_indices().last()? {
        (i, unit @ ('d' | 'w' | 'm')) => (&s[..i], unit),
        // A bare number is a day of the month; with a plus it is days ahead.
        _ if plus => (s, 'd'),
        _ => return None,
    };
    let n: u32 = n.parse().ok().filter(|n| *n <= 3_650)?;
    let days = |d: u64| match lean {
        Lean::Ahead => today + Days::new(d),
        Lean::Back => today - Days::new(d),
    };
    Some(match (unit, lean) {
        ('d', _) => days(u64::from(n)),
        ('w', _) => days(u64::from(n) * 7),
        (_, Lean::Ahead) => add_months(today, n),
        (_, Lean::Back) => sub_months(today, n),
    })
}

/// `14`: the nearest 14th after (or before) today; months without the day are skipped.
fn day_of_month(s: &str, today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    if s.len() > 2 {
        return None;
    }
    let day: u32 = s.parse().ok().filter(|d| (1..=31).contains(d))?;
    let first = today.with_day(1)?;
    (0..=12).find_map(|i| {
        let month = match lean {
            Lean::Ahead => add_months(first, i),
            Lean::Back => sub_months(first, i),
        };
        month.with_day(day).filter(|d| match lean {
            Lean::Ahead => *d > today,
            Lean::Back => *d < today,
        })
    })
}

/// `27/11`: the nearest 27 November, today included.
fn day_and_month(s: &str, today: NaiveDate, lean: Lean) -> Option<NaiveDate> {
    let (day, month) = s.split_once('/')?;
    if day.len() > 2 || month.len() > 2 {
        return None;
    }
    let (day, month): (u32, u32) = (day.parse().ok()?, month.parse().ok()?);
    // 29/02 is the next (or last) 29 February there is.
    (0..=8).find_map(|i| {
        let year = match lean {
            Lean::Ahead => today.year() + i,
            Lean::Back => today.year() - i,
        };
        NaiveDate::from_ymd_opt(year, month, day).filter(|d| match lean {
            Lean::Ahead => *d >= today,
            Lean::Back => *d <= today,
        })
    })
}

/// `fri`, `friday`: a tenant's "I'll pay Friday".
fn weekday(s: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    (s.len() >= 3)
        .then(|| DAYS.iter().find(|(name, _)| name.starts_with(s)))
        .flatten()
        .map(|(_, day)| *day)
}

/// The next such day after today (one to seven days ahead), or the last one before it.
fn nearest_weekday(today: NaiveDate, day: Weekday, lean: Lean) -> NaiveDate {
    let (from, to) = (
        today.weekday().num_days_from_monday(),
        day.num_days_from_monday(),
    );
    match lean {
        Lean::Ahead => today + Days::new(u64::from((7 + to - from - 1) % 7 + 1)),
        Lean::Back => today - Days::new(u64::from((7 + from - to - 1) % 7 + 1)),
    }
}

/// A date as [`parse_when`] reads it, then optionally a time: `tomorrow 14:30`, `27/11/2026 9:00`,
/// or just `15:00` for today. Without a time, the start of the working day (09:00).
pub fn parse_when_at(input: &str, today: NaiveDate) -> Result<NaiveDateTime, WhenError> {
    let s = input.trim();
    let bad = || WhenError::Moment {
        text: s.to_string(),
    };
    let (date, time) = match s.rsplit_once(char::is_whitespace) {
        Some((date, time)) if time.contains(':') => (date, Some(time)),
        _ if s.contains(':') => ("today", Some(s)),
        _ => (s, None),
    };
    let date = parse_when(date, today).map_err(|_| bad())?;
    let time = match time {
        Some(t) => chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| bad())?,
        None => chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 exists"),
    };
    Ok(date.and_time(time))
}

/// `22/11/2026`
pub fn uk(date: NaiveDate) -> String {
    // The policy words a date for most of 50,000 accounts at every re-rank: written directly,
    // not by parsing the format each time (the same text, which years past 9999 need a sign for).
    match date.year() {
        year @ 0..=9999 => format!("{:02}/{:02}/{year:04}", date.day(), date.month()),
        _ => date.format("%d/%m/%Y").to_string(),
    }
}

/// `Fri 04/12/2026`: a resolved date shown beside the field it was typed in.
pub fn uk_day(date: NaiveDate) -> String {
    date.format("%a %d/%m/%Y").to_string()
}

/// `Mon 23 Nov`
pub fn short(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// `23/11/2026 14:05`
pub fn uk_time(at: NaiveDateTime) -> String {
    at.format("%d/%m/%Y %H:%M").to_string()
}

/// `1st`, `8th`, `22nd`, `23rd`: a day of the month.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// ISO text as stored in SQLite (`2026-11-22`), which sorts as dates do.
pub fn iso(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    write_iso(date, &mut out);
    out
}

/// The Monday that starts the rent week holding `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// First Monday of April in `year`: the first day of that rent year.
pub fn first_monday_of_april(year: i32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, 4, Weekday::Mon, 1)
        .expect("every April has a first Monday")
}

/// A rent year, named by the calendar year it starts in (2024 = 2024/25).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RentYear(pub i32);

impl RentYear {
    /// The rent year holding `date`.
    pub fn containing(date: NaiveDate) -> RentYear {
        if date >= first_monday_of_april(date.year()) {
            RentYear(date.year())
        } else {
            RentYear(date.year() - 1)
        }
    }

    pub fn start(self) -> NaiveDate {
        first_monday_of_april(self.0)
    }

    /// The day after the last day of the year.
    pub fn end_exclusive(self) -> NaiveDate {
        first_monday_of_april(self.0 + 1)
    }

    /// 52 or 53: the number of Mondays (weekly debits) in the year.
    pub fn weeks(self) -> u32 {
        let days = (self.end_exclusive() - self.start()).num_days();
        u32::try_from(days / 7).expect("a rent year is 52 or 53 weeks")
    }

    /// Weeks from the rent week holding `date` to the end of the year, that week included.
    pub fn weeks_left_from(self, date: NaiveDate) -> u32 {
        let from = week_start(date).max(self.start());
        let days = (self.end_exclusive() - from).num_days().max(0);
        u32::try_from(days / 7).unwrap_or(0)
    }

    /// `2024/25`
    pub fn label(self) -> String {
        format!("{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// Adds calendar months, clamping to the month's end (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .expect("dates stay far inside chrono's range")
}

/// Subtracts calendar months, clamping to the month's end.
pub fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .expect("dates stay far inside chrono's range")
}

/// Parses a stored or typed moment: `2026-11-22T14:05:00`, `2026-11-22 14:05`, or a bare date (which
/// counts as the start of that day). Returns the moment and whether a time of day was given.
pub fn parse_moment(input: &str) -> Option<(NaiveDateTime, bool)> {
    let s = input.trim();
    if let Some(at) = parse_iso_moment(s) {
        return Some((at, true));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some((at, true));
        }
    }
    parse_date(s)
        .ok()
        .map(|d| (d.and_hms_opt(0, 0, 0).expect("midnight exists"), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn parses_iso_and_uk_and_refuses_impossible_dates() {
        assert_eq!(d("2026-11-22"), d("22/11/2026"));
        assert!(parse_date("31/02/2026").is_err());
        assert!(
            parse_date("21/05/20").is_err(),
            "a two-digit year is refused"
        );
        assert!(parse_date("21/05/0020").is_ok());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("tomorrow").is_err());
        assert_eq!(uk(d("2026-11-02")), "02/11/2026");
        for (y, m, day) in [
            (2026, 1, 9),
            (999, 12, 31),
            (0, 1, 1),
            (9999, 7, 4),
            (10000, 1, 1),
            (-1, 3, 5),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(uk(date), date.format("%d/%m/%Y").to_string());
        }
        assert_eq!(short(d("2026-11-23")), "Mon 23 Nov");
    }

    #[test]
    fn iso_text_round_trips_byte_by_byte() {
        for s in [
            "2026-11-22",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "2026-01-09",
        ] {
            assert_eq!(iso(parse_iso(s).unwrap()), s);
        }
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026/01/01",
            "20260101",
            "2026-01-0a",
            "",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        assert_eq!(
            parse_moment("2026-11-16 09:05:00").unwrap().0.to_string(),
            "2026-11-16 09:05:00"
        );
        assert!(parse_moment("2026-11-16T24:00:00").is_none());
    }

    #[test]
    fn dates_as_officers_type_them() {
        // Monday 23 November 2026.
        let today = d("2026-11-23");
        let when = |s: &str| parse_when(s, today);
        assert_eq!(when("today"), Ok(today));
        assert_eq!(when("Tomorrow"), Ok(d("2026-11-24")));
        assert_eq!(when("yesterday"), Ok(d("2026-11-22")));
        assert_eq!(when("2w"), Ok(d("2026-12-07")));
        assert_eq!(when("10d"), Ok(d("2026-12-03")));
        assert_eq!(when("+10"), Ok(d("2026-12-03")));
        assert_eq!(
            parse_when_back("+2w", today),
            Ok(d("2026-12-07")),
            "a plus is ahead"
        );
        assert_eq!(when("3m"), Ok(d("2027-02-23")));
        assert_eq!(when("01/12/2026"), Ok(d("2026-12-01")));
        assert_eq!(when(" 2026-12-01 "), Ok(d("2026-12-01")));
        for bad in [
            "",
            "soon",
            "31/02/2026",
            "99999",
            "2x",
            "-3d",
            "fr",
            "0",
            "32",
            "31/02",
        ] {
            assert!(when(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_weekday_is_the_next_one_after_today() {
        let monday = d("2026-11-23");
        assert_eq!(parse_when("Friday", monday), Ok(d("2026-11-27")));
        assert_eq!(parse_when("fri", monday), Ok(d("2026-11-27")));
        assert_eq!(parse_when("sun", monday), Ok(d("2026-11-29")));
        assert_eq!(parse_when("mon", monday), Ok(d("2026-11-30")));
        // "Friday" said on a Friday is next week's.
        let friday = d("2026-11-27");
        assert_eq!(parse_when("friday", friday), Ok(d("2026-12-04")));
        assert_eq!(parse_when("sat", friday), Ok(d("2026-11-28")));
        // Leaning back: the last one before today.
        assert_eq!(parse_when_back("friday", friday), Ok(d("2026-11-20")));
        assert_eq!(parse_when_back("thu", friday), Ok(d("2026-11-26")));
    }

    #[test]
    fn a_day_of_the_month_is_the_next_one_after_today() {
        let today = d("2026-11-23");
        assert_eq!(parse_when("14", today), Ok(d("2026-12-14")));
        assert_eq!(parse_when("30", today), Ok(d("2026-11-30")));
        assert_eq!(parse_when("23", today), Ok(d("2026-12-23")), "not today");
        assert_eq!(parse_when("1", today), Ok(d("2026-12-01")));
        // No 31 November: the next 31st is in December; no 30 February: 30 March.
        assert_eq!(parse_when("31", today), Ok(d("2026-12-31")));
        assert_eq!(parse_when("30", d("2027-01-31")), Ok(d("2027-03-30")));
        assert_eq!(parse_when_back("14", today), Ok(d("2026-11-14")));
        assert_eq!(parse_when_back("30", today), Ok(d("2026-10-30")));
        assert_eq!(parse_when_back("31", today), Ok(d("2026-10-31")));
    }

    #[test]
    fn a_day_and_month_is_the_next_such_date() {
        let today = d("2026-11-23");
        assert_eq!(parse_when("27/11", today), Ok(d("2026-11-27")));
        assert_eq!(parse_when("23/11", today), Ok(today));
        assert_eq!(parse_when("2/1", today), Ok(d("2027-01-02")));
        assert_eq!(parse_when("22/11", today), Ok(d("2027-11-22")));
        assert_eq!(parse_when("29/02", today), Ok(d("2028-02-29")));
        assert_eq!(parse_when("27/11/2026", today), Ok(d("2026-11-27")));
        assert_eq!(parse_when_back("27/11", today), Ok(d("2025-11-27")));
        assert_eq!(parse_when_back("20/11", today), Ok(d("2026-11-20")));
        // Distances lean too: "2w" is two weeks ago for something that has happened.
        assert_eq!(parse_when_back("2w", today), Ok(d("2026-11-09")));
        assert_eq!(parse_when_back("1m", today), Ok(d("2026-10-23")));
        // A whole date is the date, whichever way the field leans.
        assert_eq!(parse_when_back("2027-01-05", today), Ok(d("2027-01-05")));
    }

    #[test]
    fn a_date_that_cannot_be_read_gives_today_as_its_example() {
        let today = d("2026-11-23");
        assert_eq!(
            parse_when("soon", today).unwrap_err().to_string(),
            "`soon` is not a date (try 23/11/2026, today, tomorrow, friday, 14, 27/11, 2w or 3m)"
        );
        assert_eq!(uk_day(d("2026-12-04")), "Fri 04/12/2026");
    }

    #[test]
    fn call_backs_as_officers_type_them() {
        let today = d("2026-11-23");
        let at = |s: &str| parse_moment(s).unwrap().0;
        assert_eq!(parse_when_at("15:00", today), Ok(at("2026-11-23 15:00")));
        assert_eq!(
            parse_when_at("tomorrow 9:30", today),
            Ok(at("2026-11-24 09:30"))
        );
        assert_eq!(
            parse_when_at("27/11/2026 14:05", today),
            Ok(at("2026-11-27 14:05"))
        );
        assert_eq!(parse_when_at("friday", today), Ok(at("2026-11-27 09:00")));
        for bad in ["", "25:00", "friday 9", "soon 10:00"] {
            assert!(parse_when_at(bad, today).is_err(), "{bad}");
        }
    }

    #[test]
    fn rent_weeks_start_on_monday() {
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-30")), d("2026-11-30"));
    }

    #[test]
    fn rent_year_starts_first_monday_of_april() {
        assert_eq!(RentYear(2026).start(), d("2026-04-06"));
        assert_eq!(RentYear::containing(d("2026-04-05")), RentYear(2025));
        assert_eq!(RentYear::containing(d("2026-04-06")), RentYear(2026));
        assert_eq!(RentYear(2024).label(), "2024/25");
        assert_eq!(RentYear(2099).label(), "2099/00");
    }

    #[test]
    fn fifty_three_week_years() {
        for y in [2019, 2024, 2030] {
            assert_eq!(RentYear(y).weeks(), 53, "{y}");
        }
        for y in [2020, 2021, 2022, 2023, 2025, 2026, 2027, 2028, 2029] {
            assert_eq!(RentYear(y).weeks(), 52, "{y}");
        }
    }

    #[test]
    fn weeks_left_counts_this_week() {
        let y = RentYear(2026);
        assert_eq!(y.weeks_left_from(y.start()), 52);
        assert_eq!(y.weeks_left_from(d("2027-03-29")), 1);
        assert_eq!(y.weeks_left_from(d("2027-04-04")), 1);
        assert_eq!(y.weeks_left_from(d("2026-11-25")), 19);
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
        assert_eq!(sub_months(d("2026-05-31"), 3), d("2026-02-28"));
    }

    #[test]
    fn moments_with_and_without_time() {
        let (at, timed) = parse_moment("2026-11-16T12:00:00").unwrap();
        assert!(timed);
        assert_eq!(at.date(), d("2026-11-16"));
        let (at, timed) = parse_moment("2026-11-16").unwrap();
        assert!(!timed);
        assert_eq!(at, d("2026-11-16").and_hms_opt(0, 0, 0).unwrap());
        assert!(parse_moment("2026-11-16T25:00:00").is_none());
    }
}
