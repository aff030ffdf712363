//! genTime: GeneralizedTime with optional fractional seconds (RFC 3161 §2.4.2), read and
//! written by hand because `der`'s GeneralizedTime allows no fraction.

use core::time::Duration;

use der::DateTime;

/// The instant of a `YYYYMMDDhhmmss[.f…]Z` string, as the time since the Unix epoch.
///
/// RFC 3161 §2.4.2: the encoding ends in `Z`, has no fractional part of zero and no trailing
/// zeros in the fraction; at most nine fraction digits are read (nanoseconds).
pub(super) fn parse_generalized_time(text: &[u8]) -> Result<Duration, String> {
    let (whole, fraction) = match text.split_last() {
        Some((b'Z', rest)) => match rest.iter().position(|b| *b == b'.') {
            Some(dot) => (
                rest.get(..dot).unwrap_or_default(),
                Some(rest.get(dot + 1..).unwrap_or_default()),
            ),
            None => (rest, None),
        },
        _ => return Err("it does not end in Z".to_owned()),
    };
    if whole.len() != 14 || !whole.iter().all(u8::is_ascii_digit) {
        return Err("it is not YYYYMMDDhhmmss".to_owned());
    }
    let number = |from: usize, to: usize| -> u16 {
        whole
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'))
    };
    let narrow = |n: u16| u8::try_from(n).unwrap_or(u8::MAX);
    let date = DateTime::new(
        number(0, 4),
        narrow(number(4, 6)),
        narrow(number(6, 8)),
        narrow(number(8, 10)),
        narrow(number(10, 12)),
        narrow(number(12, 14)),
    )
    .map_err(|e| e.to_string())?;
    let nanos = match fraction {
        None => 0,
        Some(digits) => fraction_nanos(digits)?,
    };
    Ok(date.unix_duration() + Duration::from_nanos(nanos))
}

/// The nanoseconds of a fraction's digits (1 to 9, the last not zero).
fn fraction_nanos(digits: &[u8]) -> Result<u64, String> {
    if digits.is_empty() || digits.len() > 9 || !digits.iter().all(u8::is_ascii_digit) {
        return Err("the fraction of a second is not 1 to 9 digits".to_owned());
    }
    if digits.last() == Some(&b'0') {
        return Err("the fraction of a second has trailing zeros".to_owned());
    }
    let value = digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
    let scale = 10u64.pow(9 - u32::try_from(digits.len()).unwrap_or(9));
    Ok(value * scale)
}

/// `YYYYMMDDhhmmss[.f…]Z` for `at`, with the fraction to millisecond precision when `at` has
/// one (trailing zeros dropped, RFC 3161 §2.4.2).
pub(super) fn format_generalized_time(at: Duration) -> Result<String, der::Error> {
    let date = DateTime::from_unix_duration(Duration::from_secs(at.as_secs()))?;
    let mut text = format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        date.year(),
        date.month(),
        date.day(),
        date.hour(),
        date.minutes(),
        date.seconds()
    );
    let millis = at.subsec_millis();
    if millis != 0 {
        let fraction = format!("{millis:03}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text.push('Z');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3161 §2.4.2 examples: "19990609001326.34352Z" is valid; "19990609001326.0Z" and a
    /// fraction with trailing zeros are not.
    #[test]
    fn rfc3161_generalized_time_examples() {
        let at = parse_generalized_time(b"19990609001326.34352Z").unwrap();
        assert_eq!(at.as_secs(), 928_887_206);
        assert_eq!(at.subsec_nanos(), 343_520_000);
        assert_eq!(
            parse_generalized_time(b"19990609001326Z").unwrap(),
            Duration::from_secs(928_887_206)
        );
        assert!(parse_generalized_time(b"19990609001326.0Z").is_err());
        assert!(parse_generalized_time(b"19990609001326.340Z").is_err());
        assert!(parse_generalized_time(b"19990609001326.Z").is_err());
        assert!(parse_generalized_time(b"19990609001326").is_err());
        assert!(parse_generalized_time(b"1999060900132Z").is_err());
        assert!(parse_generalized_time(b"19991309001326Z").is_err());
    }

    #[test]
    fn format_round_trips_with_milliseconds() {
        let at = Duration::from_millis(928_887_206_340);
        let text = format_generalized_time(at).unwrap();
        assert_eq!(text, "19990609001326.34Z");
        assert_eq!(parse_generalized_time(text.as_bytes()).unwrap(), at);
        let whole = Duration::from_secs(928_887_206);
        assert_eq!(format_generalized_time(whole).unwrap(), "19990609001326Z");
    }
}
