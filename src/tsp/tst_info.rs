//! TSTInfo (RFC 3161 §2.4.2): what a TSA asserts — this digest existed at this time.

use core::time::Duration;

use der::asn1::Int;
use der::{Decode, Tagged};
use rustls_pki_types::UnixTime;

use super::asn1;
use super::time::parse_generalized_time;
use super::{Error, malformed};
use crate::pki::DigestAlgorithm;

/// How far genTime may be from the true time (RFC 3161 §2.4.2 Accuracy): seconds, plus
/// milliseconds and microseconds (each 1–999 when present; absent counts as 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accuracy {
    /// Whole seconds.
    pub seconds: u32,
    /// Milliseconds, 0–999.
    pub millis: u16,
    /// Microseconds, 0–999.
    pub micros: u16,
}

impl Accuracy {
    /// The accuracy as a duration.
    pub fn as_duration(&self) -> Duration {
        Duration::from_secs(u64::from(self.seconds))
            + Duration::from_millis(u64::from(self.millis))
            + Duration::from_micros(u64::from(self.micros))
    }

    pub(super) fn from_asn1(value: &asn1::Accuracy) -> Result<Self, Error> {
        let in_range = |field: Option<u16>, name: &str| match field {
            None => Ok(0),
            Some(n @ 1..=999) => Ok(n),
            Some(n) => Err(malformed(
                "TSTInfo",
                format!("accuracy {name} is {n}, not 1 to 999"),
            )),
        };
        Ok(Self {
            seconds: value.seconds.unwrap_or(0),
            millis: in_range(value.millis, "millis")?,
            micros: in_range(value.micros, "micros")?,
        })
    }

    pub(super) fn to_asn1(self) -> asn1::Accuracy {
        let nonzero = |n: u16| (n != 0).then_some(n);
        asn1::Accuracy {
            seconds: (self.seconds != 0).then_some(self.seconds),
            millis: nonzero(self.millis),
            micros: nonzero(self.micros),
        }
    }
}

/// The TSTInfo of a token, parsed and kept with its DER. Nothing here is verified yet: these
/// are the TSA's claims until [`TimeStampToken::verify`](super::TimeStampToken::verify) checks
/// its signature and certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TstInfo {
    der: Vec<u8>,
    policy: String,
    algorithm: DigestAlgorithm,
    hashed_message: Vec<u8>,
    serial: Vec<u8>,
    gen_time: Duration,
    accuracy: Option<Accuracy>,
    ordering: bool,
    nonce: Option<Vec<u8>>,
    tsa_name: Option<Vec<u8>>,
}

impl TstInfo {
    /// Parses a DER TSTInfo.
    ///
    /// Errors: [`Error::Malformed`], [`Error::UnsupportedVersion`] (not v1),
    /// [`Error::UnsupportedDigest`] and [`Error::ImprintLength`] for the message imprint,
    /// [`Error::UnknownCriticalExtension`].
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "TSTInfo";
        let parsed = asn1::TstInfo::from_der(der).map_err(|e| malformed(WHAT, e.to_string()))?;
        check_version(WHAT, &parsed.version)?;
        let (algorithm, hashed_message) = imprint(&parsed.message_imprint)?;
        if parsed.gen_time.tag() != der::Tag::GeneralizedTime {
            return Err(malformed(
                WHAT,
                "genTime is not a GeneralizedTime".to_owned(),
            ));
        }
        let gen_time = parse_generalized_time(parsed.gen_time.value())
            .map_err(|reason| malformed(WHAT, format!("genTime: {reason}")))?;
        if let Some(critical) = parsed
            .extensions
            .iter()
            .flatten()
            .find(|extension| extension.critical)
        {
            return Err(Error::UnknownCriticalExtension {
                oid: critical.extn_id.to_string(),
            });
        }
        Ok(Self {
            der: der.to_vec(),
            policy: parsed.policy.to_string(),
            algorithm,
            hashed_message,
            serial: parsed.serial_number.as_bytes().to_vec(),
            gen_time,
            accuracy: parsed
                .accuracy
                .as_ref()
                .map(Accuracy::from_asn1)
                .transpose()?,
            ordering: parsed.ordering,
            nonce: parsed.nonce.as_ref().map(unsigned),
            tsa_name: parsed
                .tsa
                .as_ref()
                .map(|name| der::Encode::to_der(name).unwrap_or_default()),
        })
    }

    /// The exact DER (the token's eContent, which the TSA signed).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The TSA policy under which the token was issued (dotted OID).
    pub fn policy(&self) -> &str {
        &self.policy
    }

    /// The message imprint's hash algorithm.
    pub fn imprint_algorithm(&self) -> DigestAlgorithm {
        self.algorithm
    }

    /// The stamped digest (hashedMessage).
    pub fn hashed_message(&self) -> &[u8] {
        &self.hashed_message
    }

    /// The serial number: the INTEGER's content bytes, two's complement.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// The serial number as lowercase hex.
    pub fn serial_hex(&self) -> String {
        hex::encode(&self.serial)
    }

    /// genTime, to the second (fractions dropped).
    pub fn gen_time(&self) -> UnixTime {
        UnixTime::since_unix_epoch(Duration::from_secs(self.gen_time.as_secs()))
    }

    /// genTime with its fraction of a second, since the Unix epoch.
    pub fn gen_time_precise(&self) -> Duration {
        self.gen_time
    }

    /// The accuracy, if the TSA stated one.
    pub fn accuracy(&self) -> Option<Accuracy> {
        self.accuracy
    }

    /// The ordering flag.
    pub fn ordering(&self) -> bool {
        self.ordering
    }

    /// The nonce as an unsigned big-endian integer without leading zero bytes, if present.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// The `tsa` GeneralName as DER (with its `[0]` tag), if present.
    pub fn tsa_name_der(&self) -> Option<&[u8]> {
        self.tsa_name.as_deref()
    }
}

/// An error unless the version INTEGER is 1.
pub(super) fn check_version(what: &'static str, version: &Int) -> Result<(), Error> {
    if version.as_bytes() == [1] {
        Ok(())
    } else {
        Err(Error::UnsupportedVersion {
            what,
            version: hex::encode(version.as_bytes()),
        })
    }
}

/// The algorithm and the digest of a MessageImprint.
pub(super) fn imprint(value: &asn1::MessageImprint) -> Result<(DigestAlgorithm, Vec<u8>), Error> {
    let oid = value.hash_algorithm.algorithm;
    let algorithm =
        DigestAlgorithm::from_object_id(oid).ok_or_else(|| Error::UnsupportedDigest {
            oid: oid.to_string(),
        })?;
    let digest = value.hashed_message.as_bytes();
    if digest.len() != algorithm.output_len() {
        return Err(Error::ImprintLength {
            algorithm,
            len: digest.len(),
        });
    }
    Ok((algorithm, digest.to_vec()))
}

/// An INTEGER as unsigned big-endian bytes without leading zeros (a nonce).
pub(super) fn unsigned(value: &Int) -> Vec<u8> {
    strip_zeros(value.as_bytes())
}

/// `bytes` without leading zero bytes.
pub(super) fn strip_zeros(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().copied().skip_while(|b| *b == 0).collect()
}
