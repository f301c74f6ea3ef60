//! Exemptions that expire: an inline suppression or a baseline entry may
//! say `until = YYYY-MM-DD` and `owner = "@team"`. Past its date an
//! exemption stops exempting; within the warning window before it, it
//! still exempts and is a warning. Today's date comes in from the caller
//! (`app` reads the clock or `BOUNDARIES_TODAY`): checking reads no clock.

use std::fmt;

/// A calendar date (proleptic Gregorian), as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// Parses `YYYY-MM-DD`, a real date of years 1000 to 9999.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        if year < 1000 || !(1..=12).contains(&month) || day < 1 || day > days_in(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        Date(days)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.0 - self.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.0);
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// How exemptions are judged in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryRules {
    pub today: Date,
    /// An exemption this many days or fewer before its date is a warning.
    pub warning_days: i64,
    /// An exemption without `until` is an error.
    pub require_expiry: bool,
}

/// The expiry and owner an exemption carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    pub until: Option<Date>,
    pub owner: Option<String>,
}

/// How long an exemption lasts: until a date, or for ever. Ordered so
/// that the longer one is the greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lasts {
    Until(Date),
    Forever,
}

impl Lasts {
    pub fn of(until: Option<Date>) -> Lasts {
        until.map_or(Lasts::Forever, Lasts::Until)
    }
}

impl fmt::Display for Lasts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lasts::Until(date) => write!(f, "until {date}"),
            Lasts::Forever => f.write_str("without an expiry"),
        }
    }
}

/// Where an exemption stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No date, or its date is further than the warning window.
    Open,
    /// Still exempts, for this many more days (0: its last day).
    Expiring(i64),
    /// Past its date: it no longer exempts.
    Expired,
}

impl Terms {
    pub fn standing(&self, rules: &ExpiryRules) -> Standing {
        match self.until {
            None => Standing::Open,
            Some(until) => match rules.today.days_until(until) {
                left if left < 0 => Standing::Expired,
                left if left <= rules.warning_days => Standing::Expiring(left),
                _ => Standing::Open,
            },
        }
    }

    /// `, owned by @team` or nothing.
    pub fn owned_by(&self) -> String {
        self.owner
            .as_ref()
            .map_or(String::new(), |owner| format!(", owned by {owner}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        for text in ["1970-01-01", "2000-02-29", "2027-03-31", "1999-12-31"] {
            assert_eq!(Date::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Date::parse("1970-01-01"), Some(Date::from_days(0)));
        let a = Date::parse("2027-03-01").unwrap();
        let b = Date::parse("2027-03-31").unwrap();
        assert_eq!(a.days_until(b), 30);
        assert_eq!(
            Date::parse("2024-02-28")
                .unwrap()
                .days_until(Date::parse("2024-03-01").unwrap()),
            2
        );
    }

    #[test]
    fn bad_dates_are_refused() {
        for text in [
            "2027-02-29",
            "2027-13-01",
            "2027-3-1",
            "27-03-31",
            "2027-03-3x",
            "",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
    }

    #[test]
    fn standing_before_within_and_after() {
        let rules = |today| ExpiryRules {
            today: Date::parse(today).unwrap(),
            warning_days: 30,
            require_expiry: false,
        };
        let terms = Terms {
            until: Date::parse("2027-03-31"),
            owner: None,
        };
        assert_eq!(terms.standing(&rules("2027-01-01")), Standing::Open);
        assert_eq!(terms.standing(&rules("2027-03-01")), Standing::Expiring(30));
        assert_eq!(terms.standing(&rules("2027-03-31")), Standing::Expiring(0));
        assert_eq!(terms.standing(&rules("2027-04-01")), Standing::Expired);
        assert_eq!(
            Terms::default().standing(&rules("2099-01-01")),
            Standing::Open
        );
    }
}
