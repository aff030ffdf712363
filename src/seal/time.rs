//! Seal times: GeneralizedTime and UTCTime read leniently (fractions, a missing `Z`), the text
//! forms of v1 `timeInfo` (D15), and the DER forms this library writes.

use core::time::Duration;

use der::DateTime;
use rustls_pki_types::UnixTime;

use super::der::{GENERALIZED_TIME, UTC_TIME, wrap};

/// The time in a GeneralizedTime (`YYYYMMDDHHMMSS[.fff][Z]`) or UTCTime (`YYMMDDHHMMSS[Z]`)
/// value, chosen by `tag`. Offsets other than `Z` are not accepted.
pub(super) fn parse_asn1_time(tag: u8, value: &[u8]) -> Option<UnixTime> {
    let text = core::str::from_utf8(value).ok()?;
    let text = text.strip_suffix('Z').unwrap_or(text);
    let (digits, year) = match tag {
        GENERALIZED_TIME => (text.get(4..)?, number(text.get(..4)?)?),
        UTC_TIME => {
            // RFC 5280 §4.1.2.5.1: YY < 50 is 20YY.
            let yy = number(text.get(..2)?)?;
            (text.get(2..)?, if yy < 50 { 2000 + yy } else { 1900 + yy })
        }
        _ => return None,
    };
    let (clock, fraction) = match digits.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (digits, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if clock.len() != 10 {
        return None;
    }
    civil(
        year,
        number(clock.get(0..2)?)?,
        number(clock.get(2..4)?)?,
        number(clock.get(4..6)?)?,
        number(clock.get(6..8)?)?,
        number(clock.get(8..10)?)?,
    )
}

/// The time in v1 `timeInfo` text (D15): `2020-01-25T07:31:56.377` (dms360) or
/// `2020-01-25 07:31:56` (ofdrw), optionally ending in `Z`; read as UTC.
pub(super) fn parse_text_time(text: &str) -> Option<UnixTime> {
    let text = text.trim().strip_suffix('Z').unwrap_or(text.trim());
    let (date, clock) = text.split_once(['T', ' '])?;
    let clock = clock.split_once('.').map_or(clock, |(clock, _)| clock);
    let mut date = date.split('-');
    let mut clock = clock.split(':');
    let next = |parts: &mut core::str::Split<'_, char>| parts.next().and_then(number);
    let (year, month, day) = (next(&mut date)?, next(&mut date)?, next(&mut date)?);
    let (hour, minute, second) = (next(&mut clock)?, next(&mut clock)?, next(&mut clock)?);
    if date.next().is_some() || clock.next().is_some() {
        return None;
    }
    civil(year, month, day, hour, minute, second)
}

/// The DER GeneralizedTime `YYYYMMDDHHMMSSZ` (SEAL-SPEC §8: what real files write).
pub(super) fn write_generalized_time(time: UnixTime) -> Option<Vec<u8>> {
    let date = DateTime::from_unix_duration(Duration::from_secs(time.as_secs())).ok()?;
    let text = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        date.year(),
        date.month(),
        date.day(),
        date.hour(),
        date.minutes(),
        date.seconds()
    );
    Some(wrap(GENERALIZED_TIME, &[text.as_bytes()]))
}

/// The DER UTCTime `YYMMDDHHMMSSZ` (years 1950–2049 only, RFC 5280 §4.1.2.5.1).
pub(super) fn write_utc_time(time: UnixTime) -> Option<Vec<u8>> {
    let date = DateTime::from_unix_duration(Duration::from_secs(time.as_secs())).ok()?;
    if !(1950..2050).contains(&date.year()) {
        return None;
    }
    let text = format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        date.year() % 100,
        date.month(),
        date.day(),
        date.hour(),
        date.minutes(),
        date.seconds()
    );
    Some(wrap(UTC_TIME, &[text.as_bytes()]))
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`, for people.
pub(super) fn display(time: UnixTime) -> String {
    let seconds = time.as_secs();
    match DateTime::from_unix_duration(Duration::from_secs(seconds)) {
        Ok(date) => date.to_string(),
        Err(_) => format!("{seconds} s after 1970-01-01T00:00:00Z"),
    }
}

fn number(digits: &str) -> Option<u16> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn civil(year: u16, month: u16, day: u16, hour: u16, minute: u16, second: u16) -> Option<UnixTime> {
    let narrow = |v: u16| u8::try_from(v).ok();
    let date = DateTime::new(
        year,
        narrow(month)?,
        narrow(day)?,
        narrow(hour)?,
        narrow(minute)?,
        narrow(second)?,
    )
    .ok()?;
    Some(UnixTime::since_unix_epoch(date.unix_duration()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> UnixTime {
        UnixTime::since_unix_epoch(Duration::from_secs(seconds))
    }

    #[test]
    fn asn1_times() {
        // 2020-10-04T07:28:55Z, as the gomain invoice seal writes it (D18) and with a fraction.
        assert_eq!(
            parse_asn1_time(GENERALIZED_TIME, b"20201004072855Z"),
            Some(at(1_601_796_535))
        );
        assert_eq!(
            parse_asn1_time(GENERALIZED_TIME, b"20201004072855.302Z"),
            Some(at(1_601_796_535))
        );
        assert_eq!(
            parse_asn1_time(UTC_TIME, b"201004072855Z"),
            Some(at(1_601_796_535))
        );
        assert_eq!(
            parse_asn1_time(UTC_TIME, b"491231235959Z").map(|t| t.as_secs()),
            Some(2_524_607_999)
        );
        assert_eq!(parse_asn1_time(GENERALIZED_TIME, b"20201304072855Z"), None);
        assert_eq!(parse_asn1_time(GENERALIZED_TIME, b"2020100407285Z"), None);
        assert_eq!(parse_asn1_time(GENERALIZED_TIME, b"20201004072855.Z"), None);
    }

    #[test]
    fn text_times_d15() {
        assert_eq!(
            parse_text_time("2020-01-25T07:31:56.377"),
            Some(at(1_579_937_516))
        );
        assert_eq!(
            parse_text_time("2020-01-25 07:31:56"),
            Some(at(1_579_937_516))
        );
        assert_eq!(parse_text_time("2020-01-25"), None);
        assert_eq!(parse_text_time("2020-01-25 07:31:56:00"), None);
    }

    #[test]
    fn written_times_read_back() {
        let t = at(1_601_796_535);
        let der = write_generalized_time(t).unwrap();
        assert_eq!(der, b"\x18\x0f20201004072855Z");
        assert_eq!(parse_asn1_time(GENERALIZED_TIME, &der[2..]), Some(t));
        let der = write_utc_time(t).unwrap();
        assert_eq!(parse_asn1_time(UTC_TIME, &der[2..]), Some(t));
        assert_eq!(write_utc_time(at(2_600_000_000)), None);
    }
}
