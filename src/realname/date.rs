//! A calendar date, used for birth dates and for the caller's "today".

use core::fmt;

use super::Error;

/// A date of the proleptic Gregorian calendar, years 1 to 9999.
///
/// Dates order chronologically. The `realname` module never reads the clock: a caller that
/// needs "today" passes it in (see [`CheckOptions::new`](super::CheckOptions::new)).
///
/// ```
/// use smtrust::realname::Date;
///
/// let leap_day = Date::new(2024, 2, 29)?;
/// assert_eq!(leap_day.to_string(), "2024-02-29");
/// assert!(Date::new(2023, 2, 29).is_err());
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order matters: the derived `Ord` compares year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date `year-month-day`, if the Gregorian calendar has it (leap years included).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, Error> {
        Self::checked(year, month, day).ok_or(Error::InvalidDate { year, month, day })
    }

    /// The date, or `None` when the calendar does not have it.
    pub(super) fn checked(year: u16, month: u8, day: u8) -> Option<Self> {
        let real = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        real.then_some(Self { year, month, day })
    }

    /// The year, 1 to 9999.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 31.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    /// ISO 8601 calendar form, `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Gregorian leap years: every fourth year, except centuries not divisible by 400.
fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gregorian_leap_rules() {
        assert!(Date::checked(2000, 2, 29).is_some(), "divisible by 400");
        assert!(
            Date::checked(1900, 2, 29).is_none(),
            "century not divisible by 400"
        );
        assert!(Date::checked(2024, 2, 29).is_some(), "divisible by 4");
        assert!(Date::checked(2023, 2, 29).is_none(), "common year");
    }

    #[test]
    fn month_lengths() {
        assert!(Date::checked(2023, 4, 30).is_some());
        assert!(Date::checked(2023, 4, 31).is_none());
        assert!(Date::checked(2023, 12, 31).is_some());
        assert!(Date::checked(2023, 13, 1).is_none());
        assert!(Date::checked(2023, 0, 1).is_none());
        assert!(Date::checked(2023, 1, 0).is_none());
        assert!(Date::checked(0, 1, 1).is_none());
        assert!(Date::checked(10000, 1, 1).is_none());
    }

    #[test]
    fn invalid_date_error_names_the_date() {
        assert_eq!(
            Date::new(2023, 2, 29),
            Err(Error::InvalidDate {
                year: 2023,
                month: 2,
                day: 29
            })
        );
    }

    #[test]
    fn orders_chronologically() {
        let earlier = Date::checked(1999, 12, 31);
        let later = Date::checked(2000, 1, 1);
        assert!(earlier < later);
    }
}
