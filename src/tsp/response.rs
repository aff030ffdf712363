//! TimeStampResp (RFC 3161 §2.4.2): the TSA's answer — a status, and a token if granted.

use core::fmt;

use der::asn1::{Any, BitString};
use der::{Decode, Encode};

use super::request::encoding;
use super::{Error, MAX_TOKEN_LEN, TimeStampToken, asn1, malformed};

/// PKIStatus (RFC 3161 §2.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// 0: a token is included.
    Granted,
    /// 1: a token is included, with modifications the requester asked not to have.
    GrantedWithMods,
    /// 2: refused; failInfo says why.
    Rejection,
    /// 3: not yet ready.
    Waiting,
    /// 4: a revocation is imminent.
    RevocationWarning,
    /// 5: a revocation has happened.
    RevocationNotification,
}

impl Status {
    /// Whether a token comes with this status (granted or granted with modifications).
    pub fn is_granted(self) -> bool {
        matches!(self, Self::Granted | Self::GrantedWithMods)
    }

    fn from_asn1(status: asn1::Status) -> Self {
        match status {
            asn1::Status::Granted => Self::Granted,
            asn1::Status::GrantedWithMods => Self::GrantedWithMods,
            asn1::Status::Rejection => Self::Rejection,
            asn1::Status::Waiting => Self::Waiting,
            asn1::Status::RevocationWarning => Self::RevocationWarning,
            asn1::Status::RevocationNotification => Self::RevocationNotification,
        }
    }

    fn to_asn1(self) -> asn1::Status {
        match self {
            Self::Granted => asn1::Status::Granted,
            Self::GrantedWithMods => asn1::Status::GrantedWithMods,
            Self::Rejection => asn1::Status::Rejection,
            Self::Waiting => asn1::Status::Waiting,
            Self::RevocationWarning => asn1::Status::RevocationWarning,
            Self::RevocationNotification => asn1::Status::RevocationNotification,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Granted => "granted",
            Self::GrantedWithMods => "grantedWithMods",
            Self::Rejection => "rejection",
            Self::Waiting => "waiting",
            Self::RevocationWarning => "revocationWarning",
            Self::RevocationNotification => "revocationNotification",
        })
    }
}

/// The PKIFailureInfo bits of a response (RFC 3161 §2.4.2); bit 0 is badAlg.
///
/// ```
/// use smtrust::tsp::FailureInfo;
///
/// let failure = FailureInfo::BAD_ALG.union(FailureInfo::BAD_REQUEST);
/// assert!(failure.contains(FailureInfo::BAD_ALG));
/// assert_eq!(failure.to_string(), "badAlg, badRequest");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FailureInfo(u32);

/// The named bits, in bit order.
const FAILURE_NAMES: [(u32, &str); 8] = [
    (0, "badAlg"),
    (2, "badRequest"),
    (5, "badDataFormat"),
    (14, "timeNotAvailable"),
    (15, "unacceptedPolicy"),
    (16, "unacceptedExtension"),
    (17, "addInfoNotAvailable"),
    (25, "systemFailure"),
];

impl FailureInfo {
    /// badAlg (0): unrecognized or unsupported algorithm.
    pub const BAD_ALG: Self = Self(1 << 0);
    /// badRequest (2): transaction not permitted or supported.
    pub const BAD_REQUEST: Self = Self(1 << 2);
    /// badDataFormat (5): the data submitted has the wrong format.
    pub const BAD_DATA_FORMAT: Self = Self(1 << 5);
    /// timeNotAvailable (14): the TSA's time source is not available.
    pub const TIME_NOT_AVAILABLE: Self = Self(1 << 14);
    /// unacceptedPolicy (15): the requested policy is not supported.
    pub const UNACCEPTED_POLICY: Self = Self(1 << 15);
    /// unacceptedExtension (16): the requested extension is not supported.
    pub const UNACCEPTED_EXTENSION: Self = Self(1 << 16);
    /// addInfoNotAvailable (17): the additional information requested is not available.
    pub const ADD_INFO_NOT_AVAILABLE: Self = Self(1 << 17);
    /// systemFailure (25): the request cannot be handled because of a system failure.
    pub const SYSTEM_FAILURE: Self = Self(1 << 25);

    /// The bits of both.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// The bits as a mask with bit n of the BIT STRING at `1 << n` (bits beyond 31 dropped).
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// From the BIT STRING (bit 0 = the first byte's top bit).
    fn from_bit_string(bits: &BitString) -> Self {
        let mut mask = 0u32;
        for (index, byte) in bits.raw_bytes().iter().enumerate().take(4) {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    mask |= 1 << (index * 8 + bit);
                }
            }
        }
        Self(mask)
    }

    /// To the DER BIT STRING (trailing zero bits dropped, X.690 §11.2.2).
    fn to_bit_string(self) -> Result<BitString, Error> {
        let mut bytes = [0u8; 4];
        for bit in 0..32 {
            if self.0 & (1 << bit) != 0
                && let Some(byte) = bytes.get_mut(bit / 8)
            {
                *byte |= 0x80 >> (bit % 8);
            }
        }
        let used = bytes
            .iter()
            .rposition(|b| *b != 0)
            .map_or(0, |last| last + 1);
        let content = bytes.get(..used).unwrap_or_default();
        let unused = content.last().map_or(0, |last| last.trailing_zeros());
        BitString::new(u8::try_from(unused).unwrap_or(0), content).map_err(encoding)
    }
}

impl fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = Vec::new();
        let mut rest = self.0;
        for (bit, name) in FAILURE_NAMES {
            if self.0 & (1 << bit) != 0 {
                names.push(name.to_owned());
                rest &= !(1 << bit);
            }
        }
        for bit in 0..32 {
            if rest & (1 << bit) != 0 {
                names.push(format!("bit {bit}"));
            }
        }
        if names.is_empty() {
            return f.write_str("(none)");
        }
        f.write_str(&names.join(", "))
    }
}

/// A time-stamp response, parsed or made, with its DER.
///
/// ```
/// use smtrust::tsp::{Error, FailureInfo, Status, TimeStampResponse};
///
/// let refused = TimeStampResponse::rejection(FailureInfo::BAD_ALG, "SHA-1 is not accepted")?;
/// let parsed = TimeStampResponse::from_der(refused.der())?;
/// assert_eq!(parsed.status(), Status::Rejection);
/// assert_eq!(parsed.failure_info(), Some(FailureInfo::BAD_ALG));
/// assert!(matches!(parsed.into_token(), Err(Error::NotGranted { status: Status::Rejection, .. })));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampResponse {
    der: Vec<u8>,
    status: Status,
    text: Option<Vec<String>>,
    failure: Option<FailureInfo>,
    token: Option<TimeStampToken>,
}

impl TimeStampResponse {
    /// Parses a DER TimeStampResp; a token, if present, is parsed too (not verified).
    ///
    /// Errors: [`Error::Malformed`], [`Error::TooLarge`], [`Error::TokenMissing`] for a
    /// granted response without a token, and the errors of
    /// [`TimeStampToken::from_der`].
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "TimeStampResp";
        if der.len() > MAX_TOKEN_LEN {
            return Err(Error::TooLarge {
                what: WHAT,
                len: der.len(),
                limit: MAX_TOKEN_LEN,
            });
        }
        let parsed =
            asn1::TimeStampResp::from_der(der).map_err(|e| malformed(WHAT, e.to_string()))?;
        let status = Status::from_asn1(parsed.status.status);
        let token = match (&parsed.time_stamp_token, status.is_granted()) {
            (Some(token), _) => Some(TimeStampToken::from_der(
                &token.to_der().map_err(encoding)?,
            )?),
            (None, true) => return Err(Error::TokenMissing),
            (None, false) => None,
        };
        Ok(Self {
            der: der.to_vec(),
            status,
            text: parsed.status.status_string,
            failure: parsed
                .status
                .fail_info
                .as_ref()
                .map(FailureInfo::from_bit_string),
            token,
        })
    }

    /// A `granted` response carrying `token`.
    pub fn granted(token: &TimeStampToken) -> Result<Self, Error> {
        let any = Any::from_der(token.der()).map_err(encoding)?;
        Self::encode(Status::Granted, None, None, Some(any))
    }

    /// A `rejection` response with failure bits and a statusString.
    pub fn rejection(failure: FailureInfo, text: &str) -> Result<Self, Error> {
        Self::encode(Status::Rejection, Some(text), Some(failure), None)
    }

    fn encode(
        status: Status,
        text: Option<&str>,
        failure: Option<FailureInfo>,
        token: Option<Any>,
    ) -> Result<Self, Error> {
        let response = asn1::TimeStampResp {
            status: asn1::PkiStatusInfo {
                status: status.to_asn1(),
                status_string: text.map(|t| vec![t.to_owned()]),
                fail_info: failure.map(FailureInfo::to_bit_string).transpose()?,
            },
            time_stamp_token: token,
        };
        Self::from_der(&response.to_der().map_err(encoding)?)
    }

    /// The exact DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The statusString (PKIFreeText), its parts joined with "; ".
    pub fn status_text(&self) -> Option<String> {
        self.text.as_ref().map(|parts| parts.join("; "))
    }

    /// The failInfo bits, if present.
    pub fn failure_info(&self) -> Option<FailureInfo> {
        self.failure
    }

    /// The token, if the response carries one.
    pub fn token(&self) -> Option<&TimeStampToken> {
        self.token.as_ref()
    }

    /// The token of a granted response; [`Error::NotGranted`] with the status, text and failure
    /// bits otherwise.
    pub fn into_token(self) -> Result<TimeStampToken, Error> {
        match (self.status.is_granted(), self.token) {
            (true, Some(token)) => Ok(token),
            (true, None) => Err(Error::TokenMissing),
            (false, _) => Err(Error::NotGranted {
                status: self.status,
                text: self.text.map(|parts| parts.join("; ")),
                failure: self.failure,
            }),
        }
    }
}
