//! Money: exact to the penny, `Decimal` in code and INTEGER pence in SQLite.

use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

/// The largest amount the product accepts: far beyond any rent debt, far inside `i64` pence.
const MAX_PENCE: i64 = 99_999_999_999;

/// An amount of money in pounds, always a whole number of pence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("enter an amount, e.g. £12.50")]
    Empty,
    #[error("`{0}` is not an amount of money (use digits, e.g. £1,234.56)")]
    NotANumber(String),
    #[error("`{0}` has more than two decimal places: amounts are to the penny")]
    TooManyDecimals(String),
    #[error("`{0}` has a misplaced comma (write £1,234.56 or 1234.56)")]
    BadGrouping(String),
    #[error("`{0}` is too large an amount")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn from_pence(pence: i64) -> Money {
        Money(Decimal::new(pence, 2))
    }

    /// Whole pence; exact because every `Money` is a whole number of pence.
    pub fn pence(self) -> i64 {
        // Integer arithmetic on the mantissa: this runs for every row whenever the queue is ranked.
        let mantissa = i64::try_from(self.0.mantissa()).expect("money is bounded to i64 pence");
        match self.0.scale() {
            0 => mantissa * 100,
            1 => mantissa * 10,
            2 => mantissa,
            _ => i64::try_from((self.0 * Decimal::ONE_HUNDRED).trunc())
                .expect("money is bounded to i64 pence"),
        }
    }

    /// Pounds from a whole number, e.g. `Money::pounds(150)`.
    pub fn pounds(pounds: i64) -> Money {
        Money(Decimal::from(pounds))
    }

    /// Rounds a computed amount *up* to the next penny (away from zero for debts), so a plan never
    /// leaves a penny behind.
    pub fn round_up(value: Decimal) -> Money {
        Money(value.round_dp_with_strategy(2, RoundingStrategy::AwayFromZero))
    }

    /// Rounds a computed amount to the nearest penny (half away from zero): for figures that are
    /// not amounts to pay. Instalments and rent equivalents round up (see `domain::dd`).
    pub fn round_nearest(value: Decimal) -> Money {
        Money(value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    pub fn decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    pub fn max(self, other: Money) -> Money {
        if self >= other { self } else { other }
    }

    pub fn min(self, other: Money) -> Money {
        if self <= other { self } else { other }
    }

    /// Parses what an officer types: `£1,234.56`, `1234.5`, `-12`, `-£12`, ` 40 `.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let rest = rest.strip_prefix('£').unwrap_or(rest);
        let (negative, rest) = match rest.strip_prefix('-') {
            Some(r) if !negative => (true, r),
            _ => (negative, rest),
        };
        let (whole, fraction) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        if let Some(pence) = plain_pence(whole, fraction) {
            let pence = if negative { -pence } else { pence };
            if pence.abs() > MAX_PENCE {
                return Err(MoneyError::TooLarge(trimmed.to_string()));
            }
            return Ok(Money::from_pence(pence));
        }
        let not_a_number = || MoneyError::NotANumber(trimmed.to_string());
        if whole.is_empty() && fraction.is_none_or(str::is_empty) {
            return Err(not_a_number());
        }
        let digits = ungroup(whole).ok_or_else(|| {
            if whole.chars().all(|c| c.is_ascii_digit() || c == ',') {
                MoneyError::BadGrouping(trimmed.to_string())
            } else {
                not_a_number()
            }
        })?;
        if let Some(f) = fraction {
            if !f.chars().all(|c| c.is_ascii_digit()) {
                return Err(not_a_number());
            }
            if f.len() > 2 {
                return Err(MoneyError::TooManyDecimals(trimmed.to_string()));
            }
        }
        let fraction = fraction.unwrap_or("");
        if digits.len() > 12 {
            return Err(MoneyError::TooLarge(trimmed.to_string()));
        }
        let text = format!(
            "{}.{:0<2}",
            if digits.is_empty() { "0" } else { &digits },
            fraction
        );
        let value = Decimal::from_str(&text).map_err(|_| not_a_number())?;
        let money = Money(if negative { -value } else { value });
        if money.pence().abs() > MAX_PENCE {
            return Err(MoneyError::TooLarge(trimmed.to_string()));
        }
        Ok(money)
    }

    /// `£1,234.56`, `-£12.00`.
    pub fn format(self) -> String {
        self.to_string()
    }

    /// `1234.50`: as typed back into a field or written to JSON (no `£`, no commas).
    pub fn plain(self) -> String {
        let pence = self.pence();
        let sign = if pence < 0 { "-" } else { "" };
        let abs = pence.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// A balance as an officer reads it: arrears plain, credit marked `cr` (meaning is not carried by colour).
    pub fn format_balance(self) -> String {
        if self.is_negative() {
            format!("{} cr", self.abs().format())
        } else {
            self.format()
        }
    }
}

/// The pence of the common case, plain digits with up to two decimals (`112.4`, `112.40`),
/// read without allocating (an extract holds millions); `None` for anything else, zero included
/// (the general path keeps its sign).
fn plain_pence(whole: &str, fraction: Option<&str>) -> Option<i64> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let fraction = fraction.unwrap_or("");
    if whole.is_empty() || whole.len() > 12 || !digits(whole) || fraction.len() > 2 {
        return None;
    }
    if !digits(fraction) {
        return None;
    }
    let cents = fraction.bytes().chain(std::iter::repeat(b'0')).take(2);
    let pence = whole
        .bytes()
        .chain(cents)
        .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    (pence != 0).then_some(pence)
}

/// Removes thousands separators if they are well placed; `None` otherwise.
fn ungroup(whole: &str) -> Option<String> {
    if !whole.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if !whole.contains(',') {
        return Some(whole.to_string());
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let mut text = Backwards::default();
    text.grouped(n);
    text.as_str().to_string()
}

/// Text written from its last character to its first, on the stack: an amount is formatted for
/// the reason of every account each time the queue is ranked, so it allocates nothing.
struct Backwards {
    bytes: [u8; 48],
    start: usize,
}

impl Default for Backwards {
    fn default() -> Backwards {
        Backwards {
            bytes: [0; 48],
            start: 48,
        }
    }
}

impl Backwards {
    /// Puts `s` before what is written so far.
    fn prepend(&mut self, s: &str) {
        self.start -= s.len();
        self.bytes[self.start..self.start + s.len()].copy_from_slice(s.as_bytes());
    }

    fn digit(&mut self, d: u64) {
        self.start -= 1;
        // d < 10, so the cast keeps it whole.
        self.bytes[self.start] = b'0' + d as u8;
    }

    /// `n` with a comma between each group of three digits (at most 26 characters).
    fn grouped(&mut self, mut n: u64) {
        let mut digits = 0;
        loop {
            if digits > 0 && digits % 3 == 0 {
                self.prepend(",");
            }
            self.digit(n % 10);
            digits += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits, separators and whole `&str`s are ever written.
        std::str::from_utf8(&self.bytes[self.start..]).unwrap_or_default()
    }
}

impl fmt::Display for Money {
    /// `£1,234.56`, `-£12.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pence = self.pence();
        let abs = pence.unsigned_abs();
        let mut text = Backwards::default();
        text.digit(abs % 10);
        text.digit(abs / 10 % 10);
        text.prepend(".");
        text.grouped(abs / 100);
        text.prepend("£");
        if pence < 0 {
            text.prepend("-");
        }
        f.pad(text.as_str())
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// Config files and JSON carry money as text (`"10.00"`) or numbers (`10`); both parse strictly.
impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Int(i64),
            Float(f64),
        }
        let text = match Raw::deserialize(de)? {
            Raw::Text(s) => s,
            Raw::Int(i) => i.to_string(),
            // A float in a file is read through its shortest decimal text, so `12.5` is £12.50 and
            // `12.345` is refused, exactly as if it had been typed.
            Raw::Float(x) => x.to_string(),
        };
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Money {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.round_dp(2).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<i64, MoneyError> {
        Money::parse(s).map(Money::pence)
    }

    #[test]
    fn parses_what_officers_type() {
        assert_eq!(p("£1,234.56"), Ok(123_456));
        assert_eq!(p("1234.5"), Ok(123_450));
        assert_eq!(p("-12"), Ok(-1_200));
        assert_eq!(p("-£12"), Ok(-1_200));
        assert_eq!(p("£-12.01"), Ok(-1_201));
        assert_eq!(p("  40 "), Ok(4_000));
        assert_eq!(p(".5"), Ok(50));
        assert_eq!(p("0"), Ok(0));
        assert_eq!(p("1,000,000"), Ok(100_000_000));
    }

    #[test]
    fn plain_amounts_read_without_allocating_are_what_the_general_reading_gives() {
        for (text, pence) in [
            ("1", 100),
            ("12.", 1_200),
            ("12.3", 1_230),
            ("007.10", 710),
            ("0.01", 1),
            ("-5.5", -550),
            ("999999999.99", 99_999_999_999),
        ] {
            let money = Money::parse(text).unwrap();
            assert_eq!(money.pence(), pence, "{text}");
            // The same value, scale and all, as the general path's decimal.
            let general = Decimal::from_str(&format!("{:.2}", Decimal::new(pence, 2))).unwrap();
            assert_eq!((money.0, money.0.scale()), (general, 2), "{text}");
        }
        assert!(matches!(p("1000000000.00"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(p("999999999999.99"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(p("1234567890123"), Err(MoneyError::TooLarge(_))));
        assert_eq!(p("0.00"), Ok(0));
        assert_eq!(p("-0"), Ok(0));
    }

    #[test]
    fn refuses_bad_input_with_a_reason() {
        assert_eq!(p(""), Err(MoneyError::Empty));
        assert!(matches!(p("12.345"), Err(MoneyError::TooManyDecimals(_))));
        assert!(matches!(p("12a"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(p("abc"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(p("£"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(p("1.2.3"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(p("--5"), Err(MoneyError::NotANumber(_))));
        assert!(matches!(p("12,34"), Err(MoneyError::BadGrouping(_))));
        assert!(matches!(p("1,2345"), Err(MoneyError::BadGrouping(_))));
        assert!(matches!(
            p("99999999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(p("1e5"), Err(MoneyError::NotANumber(_))));
    }

    #[test]
    fn formats_uk_style() {
        assert_eq!(Money::from_pence(123_456).format(), "£1,234.56");
        assert_eq!(Money::from_pence(-1_200).format(), "-£12.00");
        assert_eq!(Money::from_pence(5).format(), "£0.05");
        assert_eq!(Money::from_pence(100_000_000).format(), "£1,000,000.00");
        assert_eq!(
            Money::from_pence(-99_999_999_999).format(),
            "-£999,999,999.99"
        );
        assert_eq!(
            Money::from_pence(i64::MIN).format(),
            "-£92,233,720,368,547,758.08"
        );
        assert_eq!(Money::from_pence(100_099).format(), "£1,000.99");
        for (n, grouped) in [(0, "0"), (999, "999"), (1_000, "1,000"), (12_345, "12,345")] {
            assert_eq!(group_thousands(n), grouped);
        }
        assert_eq!(group_thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(Money::from_pence(-2_550).format_balance(), "£25.50 cr");
        assert_eq!(format!("{:>10}", Money::from_pence(100)), "     £1.00");
        assert_eq!(Money::from_pence(123_450).plain(), "1234.50");
        assert_eq!(Money::pounds(-7).plain(), "-7.00");
    }

    #[test]
    fn pence_round_trip_and_rounding() {
        for pence in [-1_000_001, -1, 0, 1, 99, 100, 12_345_678] {
            assert_eq!(Money::from_pence(pence).pence(), pence);
            assert_eq!(
                Money::parse(&Money::from_pence(pence).format())
                    .unwrap()
                    .pence(),
                pence
            );
        }
        let third = Decimal::from(100) / Decimal::from(3);
        assert_eq!(Money::round_up(third).pence(), 3_334);
        assert_eq!(Money::round_nearest(third).pence(), 3_333);
        assert_eq!(Money::round_up(Decimal::new(30_366_666, 5)).pence(), 30_367);
    }

    #[test]
    fn deserializes_strings_and_numbers_strictly() {
        #[derive(serde::Deserialize)]
        struct T {
            a: Money,
            b: Money,
            c: Money,
        }
        let t: T = toml::from_str("a = \"£10.50\"\nb = 5\nc = 12.5").unwrap();
        assert_eq!((t.a.pence(), t.b.pence(), t.c.pence()), (1_050, 500, 1_250));
        assert!(toml::from_str::<T>("a = 12.345\nb = 1\nc = 1").is_err());
    }
}
