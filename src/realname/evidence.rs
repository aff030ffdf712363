//! References to evidence the qualified institution keeps (DOMAIN.md §2.2): the record holds
//! the SM3 digest and where to fetch the object, never the object itself. GB/T 35273 §6.3
//! asks that biometric information be stored apart from identity information, so records
//! keep biometric references in their own list.

use der::asn1::OctetString;
use serde::Serialize;

use super::Error;
use crate::sm3;

/// The longest locator accepted, in bytes.
const MAX_LOCATOR_LEN: usize = 256;

/// What an evidence object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum EvidenceKind {
    /// The verification portrait (核验照片) returned by the interface.
    Portrait = 0,
    /// The best frame of the live capture.
    BestFrame = 1,
    /// The liveness video.
    LivenessVideo = 2,
    /// The provider's response body.
    ProviderResponse = 3,
    /// Anything else (a signed form, a licence image).
    Other = 4,
}

impl EvidenceKind {
    /// Whether the object is biometric (PIPL Art. 28 sensitive personal information).
    pub const fn is_biometric(self) -> bool {
        matches!(self, Self::Portrait | Self::BestFrame | Self::LivenessVideo)
    }
}

/// A reference to a sealed evidence object: its kind, SM3 digest and locator.
///
/// ```
/// use smtrust::realname::{EvidenceKind, EvidenceRef};
///
/// let portrait = EvidenceRef::of(EvidenceKind::Portrait, b"...jpeg bytes...", "inst://obj/42")?;
/// assert_eq!(portrait.digest(), &smtrust::sm3::hash(b"...jpeg bytes..."));
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EvidenceRef {
    kind: EvidenceKind,
    #[serde(serialize_with = "serialize_hex")]
    digest: sm3::Digest,
    locator: String,
}

impl EvidenceRef {
    /// A reference to `object`, digested here with SM3.
    pub fn of(kind: EvidenceKind, object: &[u8], locator: &str) -> Result<Self, Error> {
        Self::from_digest(kind, sm3::hash(object), locator)
    }

    /// A reference to an object whose SM3 digest is `digest`.
    pub fn from_digest(
        kind: EvidenceKind,
        digest: sm3::Digest,
        locator: &str,
    ) -> Result<Self, Error> {
        super::record::check_text("evidence locator", locator, 0, MAX_LOCATOR_LEN)?;
        Ok(Self {
            kind,
            digest,
            locator: locator.to_owned(),
        })
    }

    /// What the object is.
    pub fn kind(&self) -> EvidenceKind {
        self.kind
    }

    /// The object's SM3 digest.
    pub fn digest(&self) -> &sm3::Digest {
        &self.digest
    }

    /// Where the institution keeps it.
    pub fn locator(&self) -> &str {
        &self.locator
    }
}

fn serialize_hex<S: serde::Serializer>(digest: &sm3::Digest, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(digest))
}

/// DER: `SEQUENCE { kind ENUMERATED, digest OCTET STRING (32), locator UTF8String }`.
#[derive(der::Sequence)]
pub(super) struct EvidenceDer {
    kind: EvidenceKind,
    digest: OctetString,
    locator: String,
}

impl EvidenceDer {
    pub(super) fn from_ref(evidence: &EvidenceRef) -> Result<Self, Error> {
        Ok(Self {
            kind: evidence.kind,
            digest: OctetString::new(evidence.digest.to_vec()).map_err(|error| Error::Der {
                structure: "EvidenceRef",
                error,
            })?,
            locator: evidence.locator.clone(),
        })
    }

    pub(super) fn into_ref(self) -> Result<EvidenceRef, Error> {
        let bytes = self.digest.as_bytes();
        let digest = bytes.try_into().map_err(|_| Error::WrongLength {
            field: "evidence digest",
            len: bytes.len(),
            expected: sm3::DIGEST_LEN,
        })?;
        EvidenceRef::from_digest(self.kind, digest, &self.locator)
    }
}
