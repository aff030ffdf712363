//! Conversions between X.509 times and [`UnixTime`], and how times are printed in errors.

use core::time::Duration;

use rustls_pki_types::UnixTime;
use x509_cert::time::Time;

/// The X.509 time `time` as seconds since the Unix epoch.
pub(crate) fn unix_time(time: Time) -> UnixTime {
    UnixTime::since_unix_epoch(time.to_unix_duration())
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`, or as seconds since the epoch if it is beyond year 9999.
pub(crate) fn display_time(time: UnixTime) -> String {
    let seconds = time.as_secs();
    match der::DateTime::from_unix_duration(Duration::from_secs(seconds)) {
        Ok(date) => date.to_string(),
        Err(_) => format!("{seconds} s after 1970-01-01T00:00:00Z"),
    }
}
