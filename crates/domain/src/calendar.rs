//! Calendar months as a community lives them. The rhythm is counted per month of the
//! community's own time zone, never per UTC month: a party at 23:30 on the 31st belongs
//! to that month for the people who were there.

use std::fmt;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::{DomainError, DomainResult};

/// Years outside this range are almost certainly typing mistakes, and keeping them out
/// keeps every month's first day representable.
pub const MIN_YEAR: i32 = 1;
pub const MAX_YEAR: i32 = 9999;

/// A calendar month, e.g. 2026-03. Stored and exchanged as that text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    // Field order matters: the derived ordering compares the year first.
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> DomainResult<Self> {
        if !(1..=12).contains(&month) {
            return Err(DomainError::invalid(
                "month",
                "a month must be between 1 and 12",
            ));
        }
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DomainError::invalid(
                "month",
                format!("the year must be between {MIN_YEAR} and {MAX_YEAR}"),
            ));
        }
        Ok(Self { year, month })
    }

    /// Reads `YYYY-MM`, e.g. `2026-03`. Errors name the field "month"; callers reading
    /// another input re-point them with [`DomainError::at_field`].
    pub fn parse(value: &str) -> DomainResult<Self> {
        let malformed =
            || DomainError::invalid("month", format!("'{value}' is not a month such as 2026-03"));
        let trimmed = value.trim();
        let (year, month) = trimmed.split_once('-').ok_or_else(malformed)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || month.len() != 2 || !all_digits(year) || !all_digits(month) {
            return Err(malformed());
        }
        let year = year.parse::<i32>().map_err(|_| malformed())?;
        let month = month.parse::<u32>().map_err(|_| malformed())?;
        Self::new(year, month)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn next(self) -> Self {
        self.shift(1)
    }

    pub fn prev(self) -> Self {
        self.shift(-1)
    }

    /// The month `n` months earlier (0 is this month).
    pub fn months_back(self, n: u32) -> Self {
        self.shift(-i64::from(n))
    }

    /// How many months `later` is after `self` (negative when it is before).
    pub fn months_until(self, later: Self) -> i64 {
        later.index() - self.index()
    }

    pub fn first_day(self) -> NaiveDate {
        // Every month the type can hold has a first day chrono can represent; the fallback
        // is only there so that no panic path exists.
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The month's name in English, for sentences such as "only Scripture since June".
    pub fn month_name(self) -> &'static str {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let index = usize::try_from(self.month.saturating_sub(1)).unwrap_or(0);
        NAMES.get(index).copied().unwrap_or("")
    }

    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    fn shift(self, months: i64) -> Self {
        let index = self.index() + months;
        Self {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(self.year),
            month: u32::try_from(index.rem_euclid(12) + 1).unwrap_or(self.month),
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl From<YearMonth> for String {
    fn from(value: YearMonth) -> Self {
        value.to_string()
    }
}

impl TryFrom<String> for YearMonth {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

/// The month an instant falls in on the community's own calendar.
pub fn local_month(instant: DateTime<Utc>, tz: chrono_tz::Tz) -> YearMonth {
    YearMonth::of(instant.with_timezone(&tz).date_naive())
}

/// The instants a local month spans: start inclusive, end exclusive.
pub fn month_bounds_utc(ym: YearMonth, tz: chrono_tz::Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        start_of_local_day(ym.first_day(), tz),
        start_of_local_day(ym.next().first_day(), tz),
    )
}

/// The first instant of a local day. When clocks go back at midnight, midnight happens
/// twice and the day starts at the first one; when clocks jump forward over midnight
/// (Asunción, Havana, Cairo have done this on the 1st), the day starts at the first
/// local time that exists.
fn start_of_local_day(date: NaiveDate, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    if let Some(start) = earliest(tz, midnight) {
        return start;
    }
    // Gaps are whole minutes and never longer than a day (Samoa skipped a whole day).
    (1..=48 * 60)
        .find_map(|minutes| earliest(tz, midnight + Duration::minutes(minutes)))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

fn earliest(tz: chrono_tz::Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth::new(year, month).unwrap_or_else(|e| panic!("{e}"))
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap_or_else(|| panic!("bad test instant"))
    }

    #[test]
    fn a_month_outside_1_to_12_is_refused_on_the_month_field() {
        for month in [0, 13] {
            let err = YearMonth::new(2026, month);
            assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "month"));
        }
        assert!(YearMonth::new(2026, 1).is_ok());
        assert!(YearMonth::new(2026, 12).is_ok());
    }

    #[test]
    fn an_implausible_year_is_refused() {
        assert!(YearMonth::new(0, 1).is_err());
        assert!(YearMonth::new(10_000, 1).is_err());
    }

    #[test]
    fn months_are_read_and_written_as_year_dash_month() {
        let m = YearMonth::parse("2026-03").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((m.year(), m.month()), (2026, 3));
        assert_eq!(m.to_string(), "2026-03");
        assert_eq!(ym(987, 7).to_string(), "0987-07");
        assert_eq!(YearMonth::parse(" 2026-12 ").ok(), Some(ym(2026, 12)));
    }

    #[test]
    fn malformed_months_are_refused() {
        for bad in [
            "",
            "2026",
            "2026-3",
            "26-03",
            "2026-13",
            "2026-00",
            "2026/03",
            "+026-03",
            "2026-03-01",
            "abcd-ef",
        ] {
            assert!(YearMonth::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn months_travel_through_serde_as_text_and_are_validated_on_the_way_in() {
        let m = ym(2026, 3);
        assert_eq!(String::from(m), "2026-03");
        assert_eq!(YearMonth::try_from("2026-03".to_owned()).ok(), Some(m));
        assert!(YearMonth::try_from("2026-13".to_owned()).is_err());
    }

    #[test]
    fn next_and_prev_cross_the_year_boundary() {
        assert_eq!(ym(2025, 12).next(), ym(2026, 1));
        assert_eq!(ym(2026, 1).prev(), ym(2025, 12));
        assert_eq!(ym(2026, 6).next(), ym(2026, 7));
        assert_eq!(ym(2026, 6).prev(), ym(2026, 5));
    }

    #[test]
    fn months_back_counts_whole_months_across_years() {
        assert_eq!(ym(2026, 3).months_back(0), ym(2026, 3));
        assert_eq!(ym(2026, 3).months_back(2), ym(2026, 1));
        assert_eq!(ym(2026, 3).months_back(3), ym(2025, 12));
        assert_eq!(ym(2026, 3).months_back(27), ym(2023, 12));
        assert_eq!(ym(2025, 12).months_until(ym(2026, 3)), 3);
        assert_eq!(ym(2026, 3).months_until(ym(2025, 12)), -3);
    }

    #[test]
    fn months_order_by_year_then_month() {
        assert!(ym(2025, 12) < ym(2026, 1));
        assert!(ym(2026, 2) < ym(2026, 11));
    }

    #[test]
    fn a_month_knows_its_first_day_and_name() {
        assert_eq!(
            ym(2026, 2).first_day(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default()
        );
        assert_eq!(ym(2026, 6).month_name(), "June");
        assert_eq!(ym(2026, 12).month_name(), "December");
        let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default();
        assert_eq!(YearMonth::of(d), ym(2024, 2));
    }

    #[test]
    fn a_gathering_at_23_30_on_the_31st_in_los_angeles_counts_in_that_month() {
        // 2026-03-31 23:30 PDT (UTC-7) is 2026-04-01 06:30 UTC.
        let tz = chrono_tz::America::Los_Angeles;
        assert_eq!(local_month(utc(2026, 4, 1, 6, 30), tz), ym(2026, 3));
        assert_eq!(
            local_month(utc(2026, 4, 1, 6, 30), chrono_tz::UTC),
            ym(2026, 4)
        );
    }

    #[test]
    fn a_gathering_early_on_the_1st_in_auckland_counts_in_that_month() {
        // 2026-04-01 00:30 NZDT (UTC+13) is 2026-03-31 11:30 UTC.
        let tz = chrono_tz::Pacific::Auckland;
        assert_eq!(local_month(utc(2026, 3, 31, 11, 30), tz), ym(2026, 4));
    }

    #[test]
    fn month_bounds_follow_the_local_calendar_across_a_dst_change() {
        // March 2026 in Los Angeles begins in PST (UTC-8) and ends in PDT (UTC-7).
        let (start, end) = month_bounds_utc(ym(2026, 3), chrono_tz::America::Los_Angeles);
        assert_eq!(start, utc(2026, 3, 1, 8, 0));
        assert_eq!(end, utc(2026, 4, 1, 7, 0));
        // April 2026 in Auckland begins in NZDT (UTC+13) and ends in NZST (UTC+12).
        let (start, end) = month_bounds_utc(ym(2026, 4), chrono_tz::Pacific::Auckland);
        assert_eq!(start, utc(2026, 3, 31, 11, 0));
        assert_eq!(end, utc(2026, 4, 30, 12, 0));
    }

    #[test]
    fn when_local_midnight_happens_twice_the_month_starts_at_the_first_one() {
        // Havana falls back from CDT to CST at 01:00 on 2026-11-01, so midnight repeats.
        let (start, _) = month_bounds_utc(ym(2026, 11), chrono_tz::America::Havana);
        assert_eq!(start, utc(2026, 11, 1, 4, 0));
        let (_, end) = month_bounds_utc(ym(2026, 10), chrono_tz::America::Havana);
        assert_eq!(end, start);
    }

    #[test]
    fn when_local_midnight_is_skipped_the_month_starts_at_the_first_existing_minute() {
        // Asunción sprang forward at 00:00 on 2017-10-01: the day began at 01:00 (UTC-3).
        let tz = chrono_tz::America::Asuncion;
        let (start, _) = month_bounds_utc(ym(2017, 10), tz);
        assert_eq!(start, utc(2017, 10, 1, 4, 0));
        let (_, end) = month_bounds_utc(ym(2017, 9), tz);
        assert_eq!(end, start);
        assert_eq!(local_month(start, tz), ym(2017, 10));
        assert_eq!(local_month(start - Duration::seconds(1), tz), ym(2017, 9));
    }

    #[test]
    fn every_instant_in_the_bounds_is_in_the_month_and_none_outside() {
        let zones = [
            chrono_tz::America::Los_Angeles,
            chrono_tz::Pacific::Auckland,
            chrono_tz::Europe::Berlin,
            chrono_tz::America::Havana,
            chrono_tz::UTC,
        ];
        for tz in zones {
            let mut m = ym(2025, 1);
            for _ in 0..24 {
                let (start, end) = month_bounds_utc(m, tz);
                assert_eq!(local_month(start, tz), m, "{tz} {m}");
                assert_eq!(local_month(end - Duration::seconds(1), tz), m, "{tz} {m}");
                assert_eq!(
                    local_month(start - Duration::seconds(1), tz),
                    m.prev(),
                    "{tz} {m}"
                );
                assert_eq!(local_month(end, tz), m.next(), "{tz} {m}");
                m = m.next();
            }
        }
    }
}
