//! The module's error type: mistakes in the values a caller configures or in the records,
//! envelopes and keys it hands over — never in the identifiers being checked (those give an
//! [`Outcome`](super::Outcome)).

use super::{DataKeyId, InvalidReason};

/// Errors of the `realname` module.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A calendar date was asked for that the Gregorian calendar does not have.
    #[error(
        "{year:04}-{month:02}-{day:02} is not a date of the Gregorian calendar (years 1 to 9999)"
    )]
    InvalidDate {
        /// The year given.
        year: u16,
        /// The month given.
        month: u8,
        /// The day given.
        day: u8,
    },
    /// A code offered for the unified-social-credit-code allow-list does not even have the
    /// shape of one (18 characters of the GB 32100 alphabet, digits in positions 3 to 8), so
    /// allowing it could never have an effect.
    #[error("the allow-list entry is not shaped like a unified social credit code: {reason}")]
    MalformedAllowListEntry {
        /// What is wrong with the entry.
        reason: InvalidReason,
    },
    /// DER bytes that do not decode as the named structure (truncated, wrong tag, trailing
    /// data, non-canonical length …).
    #[error("the {structure} is not valid DER: {error}")]
    Der {
        /// The ASN.1 structure being read, such as `SignedVerificationRecord`.
        structure: &'static str,
        /// What the DER decoder rejected, with the byte position.
        error: der::Error,
    },
    /// A structure whose version this library does not know.
    #[error("the {structure} has version {found}, but only version {supported} is understood")]
    UnsupportedVersion {
        /// The structure read.
        structure: &'static str,
        /// The version found.
        found: u32,
        /// The version this library writes and reads.
        supported: u32,
    },
    /// A text field that is empty where a value is required, or longer than its limit.
    #[error("the field {field} is {len} bytes long; it must be {min} to {max} bytes")]
    FieldLength {
        /// The field's name.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The shortest length allowed.
        min: usize,
        /// The largest length allowed.
        max: usize,
    },
    /// A signed record longer than [`super::MAX_SIGNED_RECORD_LEN`].
    #[error(
        "the signed record is {len} bytes long; at most {max} bytes (MAX_SIGNED_RECORD_LEN) are read"
    )]
    SignedRecordTooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// A list with more entries than the record format allows.
    #[error("the field {field} has {count} entries; at most {max} are allowed")]
    TooManyEntries {
        /// The field's name.
        field: &'static str,
        /// How many entries it has.
        count: usize,
        /// The largest number allowed.
        max: usize,
    },
    /// A factor set with bits that name no factor.
    #[error("the factor set {bits:#06x} has bits that name no known factor")]
    UnknownFactorBits {
        /// The bits read.
        bits: u32,
    },
    /// A check whose factor set is empty: a record must say what was checked.
    #[error("a verification record must name at least one factor")]
    EmptyFactorSet,
    /// A similarity score or threshold above 100 (DOMAIN.md §2.1: scores lie in [0, 100]).
    #[error("a face similarity score lies in [0, 100], but {hundredths} hundredths were given")]
    ScoreOutOfRange {
        /// The value given, in hundredths of a point.
        hundredths: u32,
    },
    /// A fixed-length field (a digest, a key id, a nonce) of the wrong length.
    #[error("the {field} must be {expected} bytes long, not {len}")]
    WrongLength {
        /// The field's name.
        field: &'static str,
        /// The length found.
        len: usize,
        /// The length it must have.
        expected: usize,
    },
    /// A time the record format cannot hold (GeneralizedTime covers 1970 to 9999).
    #[error("{seconds} seconds after 1970-01-01T00:00:00Z is outside the years 1970 to 9999")]
    TimeOutOfRange {
        /// The time given, in seconds since the Unix epoch.
        seconds: u64,
    },
    /// A response time before the request time.
    #[error("the response time {responded_at} is before the request time {requested_at}")]
    ResponseBeforeRequest {
        /// Request time, seconds since the Unix epoch.
        requested_at: u64,
        /// Response time, seconds since the Unix epoch.
        responded_at: u64,
    },
    /// A face-check record without the face details (score, threshold, liveness), or face
    /// details on a record whose factors do not include the face check.
    #[error("the face details must be present exactly when the factors include face + liveness")]
    FaceDetailsMismatch,
    /// An identifier that is not personal data of a natural person (a credit code or a
    /// registration number identifies an organisation and is public).
    #[error("a {kind} is not personal data and is not kept in the envelope")]
    NotPersonalData {
        /// The kind of identifier given.
        kind: super::IdKind,
    },
    /// An evidence reference in the wrong list: biometric evidence is kept apart from the
    /// rest (GB/T 35273 §6.3).
    #[error("{kind:?} evidence is in the wrong evidence list of the record")]
    MisplacedEvidence {
        /// The kind of the misplaced reference.
        kind: super::EvidenceKind,
    },
    /// Personal data with no field set: there is nothing to protect.
    #[error("the personal data has no field set")]
    EmptyPersonalData,
    /// The institution certificate does not chain to a trust anchor (or is expired, revoked,
    /// lacks the key usage …): the path validation's own error says which.
    #[error("the institution certificate is not trusted: {0}")]
    CertificateChain(crate::pki::Error),
    /// The institution certificate could not be read, or holds no SM2 public key.
    #[error("the institution certificate cannot be used: {reason}")]
    Certificate {
        /// What is wrong with it.
        reason: String,
    },
    /// The signing key, or the key pinned for verification, is not the key in the attached
    /// certificate.
    #[error("the {key} key is not the public key of the attached institution certificate")]
    CertificateKeyMismatch {
        /// `"signing"` or `"pinned"`.
        key: &'static str,
    },
    /// A signing key bound to an ID other than the default `1234567812345678`; records are
    /// signed with `DistId::DEFAULT` (GM/T 0009) so that any verifier can check them.
    #[error("verification records are signed with the default SM2 ID 1234567812345678")]
    NonDefaultDistId,
    /// A signed record names a signature algorithm other than SM2 with SM3.
    #[error("the record's signature algorithm {oid} is not SM2 with SM3 (1.2.156.10197.1.501)")]
    UnsupportedSignatureAlgorithm {
        /// The algorithm identifier found.
        oid: String,
    },
    /// The signature bytes are not a DER SM2 signature.
    #[error("the record's signature is not a valid SM2 signature encoding: {reason}")]
    SignatureEncoding {
        /// What is wrong with it.
        reason: crate::sm2::Error,
    },
    /// The signature does not verify over the record bytes with the signer's key: the record,
    /// the signature or the key is not the one that was signed.
    #[error("the record's SM2 signature does not verify")]
    BadSignature,
    /// The attached certificate is not the one the record was signed under (its SM3 digest
    /// differs from the one in the record).
    #[error("the attached certificate is not the one the record names")]
    CertificateDigestMismatch,
    /// SM2 signing failed.
    #[error("signing the record failed: {reason}")]
    Signing {
        /// Why.
        reason: crate::sm2::Error,
    },
    /// The key provider has no key-encryption key of this name.
    #[error("the key provider has no key-encryption key named {kek_id:?}")]
    UnknownKek {
        /// The name asked for.
        kek_id: String,
    },
    /// A key name (of a key-encryption key or an index key) that is empty or longer than 64
    /// bytes.
    #[error("a key name is 1 to 64 bytes, not {len}")]
    KeyIdLength {
        /// The length given.
        len: usize,
    },
    /// A wrapped data key did not unwrap: the key-encryption key is not the one that wrapped
    /// it, or the wrapped key was altered. Which is deliberately not said.
    #[error("the data key wrapped under {kek_id:?} did not unwrap (wrong key or altered)")]
    UnwrapFailed {
        /// The key-encryption key that was tried.
        kek_id: String,
    },
    /// The key provider could not wrap a data key.
    #[error("the key provider could not wrap a data key under {kek_id:?}")]
    WrapFailed {
        /// The key-encryption key asked for.
        kek_id: String,
    },
    /// The personal data could not be sealed (SM4-GCM refused the message).
    #[error("the personal data could not be sealed: {reason}")]
    Seal {
        /// SM4-GCM's reason.
        reason: crate::sm4::Error,
    },
    /// A KEK file could not be read or written.
    #[error("the key file {path} cannot be used: {reason}")]
    KekFile {
        /// The file's path.
        path: String,
        /// The operating system's or the parser's reason.
        reason: String,
    },
    /// The envelope names a data key that the vault has never held.
    #[error("the data key {id} is not known to this vault")]
    UnknownDataKey {
        /// The data key's id.
        id: DataKeyId,
    },
    /// The envelope's data key was destroyed: its personal data is gone for good
    /// (crypto-shredding), although the record and its signature still verify.
    #[error("the data key {id} has been shredded; the personal data cannot be recovered")]
    DataKeyShredded {
        /// The data key's id.
        id: DataKeyId,
    },
    /// A data key id that is already in the vault.
    #[error("the vault already holds a data key {id}")]
    DuplicateDataKey {
        /// The data key's id.
        id: DataKeyId,
    },
    /// The envelope did not open: its ciphertext, nonce or data key was altered, or it
    /// belongs to another record (the record id is its associated data).
    #[error("the personal-data envelope of record {record_id:?} did not open")]
    EnvelopeOpenFailed {
        /// The record id that was used as associated data.
        record_id: String,
    },
    /// A record was built without a field it must have.
    #[error("the verification record has no {field}")]
    Incomplete {
        /// The missing field.
        field: &'static str,
    },
    /// Records handed to one policy decision that belong to different applications.
    #[error("the records belong to different business serials: {expected:?} and {found:?}")]
    MixedSerials {
        /// The first record's serial.
        expected: String,
        /// A serial that differs from it.
        found: String,
    },
    /// A policy that cannot decide anything (no rule, a rule with no requirement, or a
    /// requirement with no option).
    #[error("the policy {policy:?} is not usable: {reason}")]
    InvalidPolicy {
        /// The policy's name.
        policy: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The JSON view could not be written.
    #[error("the JSON view could not be written: {reason}")]
    Json {
        /// The serializer's reason.
        reason: String,
    },
}
