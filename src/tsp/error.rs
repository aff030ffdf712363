//! The tsp module's error type.

use rustls_pki_types::UnixTime;

use super::response::{FailureInfo, Status};
use crate::pki::{CmsError, DigestAlgorithm};

/// Why a time-stamp request, response or token could not be parsed, made or verified.
///
/// The variants that verification returns name the check that failed (RFC 3161 §2.4.2 and
/// §4.3), with the facts compared: digests in hex, times, the TSA certificate's subject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not the DER structure RFC 3161 defines for this field.
    #[error("the {what} is malformed: {reason}")]
    Malformed {
        /// What was being read: "TSTInfo", "TimeStampReq", "TimeStampResp" …
        what: &'static str,
        /// What the decoder rejected.
        reason: String,
    },
    /// An input larger than this module accepts.
    #[error("the {what} is {len} bytes long; at most {limit} bytes are accepted")]
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A version other than v1.
    #[error("the {what} has version {version}; only version 1 is defined")]
    UnsupportedVersion {
        /// "TSTInfo" or "TimeStampReq".
        what: &'static str,
        /// The version found (hex of the INTEGER).
        version: String,
    },
    /// The token's SignedData does not carry a TSTInfo (id-ct-TSTInfo,
    /// 1.2.840.113549.1.9.16.1.4).
    #[error("the token's SignedData holds content type {content_type}, not TSTInfo")]
    NotTstInfo {
        /// The eContentType found (dotted).
        content_type: String,
    },
    /// The token's SignedData has more than one signer (RFC 3161 §2.4.2: the TSA alone signs).
    #[error("the token has {count} signers; a time-stamp token has exactly one")]
    NotOneSigner {
        /// How many SignerInfos there are.
        count: usize,
    },
    /// The message imprint's hash algorithm is not SM3, SHA-256, SHA-384 or SHA-512.
    #[error("the message imprint uses the hash algorithm {oid}, which is not supported")]
    UnsupportedDigest {
        /// The algorithm (dotted).
        oid: String,
    },
    /// The hashed message has the wrong length for its algorithm.
    #[error("the message imprint is {len} bytes long, but {} digests are {} bytes", algorithm.name(), algorithm.output_len())]
    ImprintLength {
        /// The imprint's algorithm.
        algorithm: DigestAlgorithm,
        /// Its length in bytes.
        len: usize,
    },
    /// The token stamps another digest than that of the data given: the data was changed, or
    /// it is not the data that was stamped (RFC 3161 §2.4.2 messageImprint).
    #[error("the token stamps the {} digest {stamped}, but the data's is {computed}", algorithm.name())]
    ImprintMismatch {
        /// The imprint's algorithm.
        algorithm: DigestAlgorithm,
        /// The hashedMessage of the token (hex).
        stamped: String,
        /// The digest of the data given (hex).
        computed: String,
    },
    /// The token's nonce is not the request's (RFC 3161 §2.4.2: it MUST be the same), or one
    /// of them has none.
    #[error("the token's nonce is {}, but {} was expected", found.as_deref().unwrap_or("absent"), expected.as_deref().unwrap_or("none"))]
    NonceMismatch {
        /// The nonce the caller expected (hex), `None` for none.
        expected: Option<String>,
        /// The token's nonce (hex), `None` if it has none.
        found: Option<String>,
    },
    /// The token was issued under another policy than the one required.
    #[error("the token was issued under policy {found}, but {expected} is required")]
    PolicyMismatch {
        /// The policy required (dotted).
        expected: String,
        /// The token's policy (dotted).
        found: String,
    },
    /// The TSTInfo has a critical extension this verifier does not process.
    #[error("the TSTInfo has the unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// The extension's OID (dotted).
        oid: String,
    },
    /// The signed attributes lack ESS signingCertificate and signingCertificateV2 (RFC 3161
    /// §2.4.1 and RFC 5816: the TSA certificate MUST be identified this way).
    #[error("the token's signer lacks the signingCertificate (ESS) signed attribute")]
    SigningCertificateMissing,
    /// The ESS signingCertificate attribute names another certificate than the one the
    /// signature verified with (RFC 2634 §5.4, RFC 5035 §3).
    #[error(
        "the signingCertificate attribute does not identify the TSA certificate {subject}: {reason}"
    )]
    SigningCertificateMismatch {
        /// The subject of the certificate that verified the signature.
        subject: String,
        /// What differs.
        reason: String,
    },
    /// The CMS SignedData around the TSTInfo failed to parse or verify (the TSA's signature,
    /// its signed attributes, the signer certificate's presence).
    #[error("the token's signature is invalid: {0}")]
    Cms(CmsError),
    /// No trust anchor was given to verify the TSA against.
    #[error("no trust anchor was given: the TSA cannot be trusted")]
    NoTrustAnchors,
    /// The TSA certificate does not chain to any given trust anchor (wrong TSA, or a missing
    /// intermediate).
    #[error(
        "the TSA certificate {subject} does not chain to a given trust anchor (no trusted issuer for {issuer})"
    )]
    UntrustedTsa {
        /// The TSA certificate's subject.
        subject: String,
        /// The issuer that was not found among the anchors and intermediates.
        issuer: String,
    },
    /// A certificate of the TSA's path had expired at the stamped time (genTime; RFC 3161
    /// §4.3: the TSA certificate must be valid when the token was made).
    #[error("the certificate {subject} of the TSA's path expired at {}, before the stamped time {}", crate::tsp::display(*not_after), crate::tsp::display(*gen_time))]
    TsaCertificateExpired {
        /// The expired certificate's subject.
        subject: String,
        /// Its notAfter.
        not_after: UnixTime,
        /// The token's genTime.
        gen_time: UnixTime,
    },
    /// A certificate of the TSA's path was not yet valid at the stamped time.
    #[error("the certificate {subject} of the TSA's path is valid only from {}, after the stamped time {}", crate::tsp::display(*not_before), crate::tsp::display(*gen_time))]
    TsaCertificateNotYetValid {
        /// The certificate's subject.
        subject: String,
        /// Its notBefore.
        not_before: UnixTime,
        /// The token's genTime.
        gen_time: UnixTime,
    },
    /// The TSA's path failed validation for another reason (signature, CA rules, key usage,
    /// revocation).
    #[error("the TSA certificate's path is invalid: {0}")]
    TsaPath(crate::pki::Error),
    /// The TSA certificate has no extendedKeyUsage extension (RFC 3161 §2.3: it MUST have one
    /// with id-kp-timeStamping).
    #[error("the TSA certificate {subject} has no extendedKeyUsage extension with timeStamping")]
    MissingTimeStampingUsage {
        /// The TSA certificate's subject.
        subject: String,
    },
    /// The TSA certificate's extendedKeyUsage is not critical (RFC 3161 §2.3: it MUST be).
    #[error("the extendedKeyUsage extension of the TSA certificate {subject} is not critical")]
    TimeStampingUsageNotCritical {
        /// The TSA certificate's subject.
        subject: String,
    },
    /// The TSA certificate's extendedKeyUsage lists other purposes than timeStamping, or none
    /// (RFC 3161 §2.3: only id-kp-timeStamping).
    #[error("the extendedKeyUsage of the TSA certificate {subject} is [{}], not timeStamping alone", purposes.join(", "))]
    NotOnlyTimeStampingUsage {
        /// The TSA certificate's subject.
        subject: String,
        /// The purposes it lists (dotted).
        purposes: Vec<String>,
    },
    /// A certificate could not be read.
    #[error("a certificate is unusable: {0}")]
    Certificate(crate::pki::Error),
    /// The response does not grant a token (RFC 3161 §2.4.2 PKIStatusInfo).
    #[error("the TSA did not grant a token: status {status}{}{}", text.as_deref().map(|t| format!(", {t:?}")).unwrap_or_default(), failure.map(|f| format!(", failure {f}")).unwrap_or_default())]
    NotGranted {
        /// The status.
        status: Status,
        /// The statusString, its parts joined with "; ".
        text: Option<String>,
        /// The failInfo bits.
        failure: Option<FailureInfo>,
    },
    /// A granted response carries no token (RFC 3161 §2.4.2: it MUST be present).
    #[error("the response grants a token but carries none")]
    TokenMissing,
    /// A time that cannot be written as GeneralizedTime (beyond year 9999).
    #[error("the time {seconds} s after 1970 cannot be encoded")]
    InvalidTime {
        /// Seconds since the Unix epoch.
        seconds: u64,
    },
    /// An object identifier given to a builder is not dotted decimal.
    #[error("{oid:?} is not an object identifier")]
    InvalidObjectIdentifier {
        /// What was given.
        oid: String,
    },
    /// The TSA's key is not the key of its certificate.
    #[error("the TSA key is not the key of the certificate {subject}")]
    KeyMismatch {
        /// The certificate's subject.
        subject: String,
    },
}
