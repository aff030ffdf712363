//! Times in records: seconds since the Unix epoch, given by the caller (nothing here reads
//! the clock), written as DER `GeneralizedTime`.

use core::time::Duration;

use der::asn1::GeneralizedTime;

use super::Error;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
///
/// ```
/// use smtrust::realname::UnixTime;
///
/// let at = UnixTime::from_secs(1_764_115_200); // 2025-11-26T00:00:00Z
/// assert_eq!(at.as_secs(), 1_764_115_200);
/// assert_eq!(at.to_string(), "2025-11-26T00:00:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The time `secs` seconds after the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }

    /// The DER form; years after 9999 cannot be written.
    pub(super) fn to_generalized(self) -> Result<GeneralizedTime, Error> {
        GeneralizedTime::from_unix_duration(Duration::from_secs(self.0))
            .map_err(|_| Error::TimeOutOfRange { seconds: self.0 })
    }

    /// The time a DER `GeneralizedTime` holds.
    pub(super) fn from_generalized(time: GeneralizedTime) -> Self {
        Self(time.to_unix_duration().as_secs())
    }
}

impl core::fmt::Display for UnixTime {
    /// RFC 3339 in UTC, `YYYY-MM-DDThh:mm:ssZ`, or the number of seconds for years past 9999.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.to_generalized() {
            Ok(time) => {
                let t = time.to_date_time();
                write!(
                    f,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minutes(),
                    t.seconds()
                )
            }
            Err(_) => write!(f, "{}s", self.0),
        }
    }
}
