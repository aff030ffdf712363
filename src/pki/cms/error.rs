//! The error type of CMS SignedData parsing, signing and verification.

use crate::pki::Error;

/// Why a CMS SignedData could not be parsed, made or verified.
///
/// Parsing failures name the field that was being read; verification failures name the signer
/// (by its index in `signerInfos`, 0 first) and the facts compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CmsError {
    /// The bytes are not the DER structure RFC 5652 defines for this field (truncated, wrong
    /// tag, bad or indefinite length, trailing bytes).
    #[error("the CMS {what} is malformed: {reason}")]
    Malformed {
        /// The field being read: "ContentInfo", "SignerInfo", "signed attributes" …
        what: &'static str,
        /// What the decoder rejected.
        reason: String,
    },
    /// The input is larger than [`MAX_CMS_LEN`](super::MAX_CMS_LEN).
    #[error("the CMS structure is {len} bytes long; at most {limit} bytes are accepted")]
    TooLarge {
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// More items of a kind than this module looks at.
    #[error("the SignedData has more than {limit} {what}")]
    TooMany {
        /// What there are too many of: "certificates", "signers", "signed attributes" …
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// The ContentInfo does not hold a SignedData (PKCS#7 1.2.840.113549.1.7.2 or GM/T 0010
    /// 1.2.156.10197.6.1.4.2.2).
    #[error("the ContentInfo holds content type {oid}, not SignedData")]
    NotSignedData {
        /// The contentType found (dotted).
        oid: String,
    },
    /// A SignerInfo names a digest algorithm other than SM3 (1.2.156.10197.1.401), or, with
    /// [`CmsVerifyOptions::allow_rsa_and_ecdsa`](super::CmsVerifyOptions::allow_rsa_and_ecdsa),
    /// other than SM3 and SHA-256/384/512.
    #[error("signer {signer} uses the digest algorithm {oid}, which is not supported")]
    UnsupportedDigestAlgorithm {
        /// Index of the SignerInfo.
        signer: usize,
        /// The digest algorithm (dotted).
        oid: String,
    },
    /// A SignerInfo names a signature algorithm other than SM2 (1.2.156.10197.1.301.1) or
    /// SM2-with-SM3 (1.2.156.10197.1.501) — or, with
    /// [`CmsVerifyOptions::allow_rsa_and_ecdsa`](super::CmsVerifyOptions::allow_rsa_and_ecdsa),
    /// other than those and RSA PKCS#1 v1.5 / ECDSA with SHA-256/384/512 over a key of that
    /// type.
    #[error("signer {signer} uses the signature algorithm {oid}, which is not supported")]
    UnsupportedSignatureAlgorithm {
        /// Index of the SignerInfo.
        signer: usize,
        /// The signature algorithm (dotted).
        oid: String,
    },
    /// A SignerInfo identifies its certificate by subjectKeyIdentifier; only
    /// issuerAndSerialNumber is supported.
    #[error("signer {signer} is identified by subjectKeyIdentifier, which is not supported")]
    UnsupportedSignerIdentifier {
        /// Index of the SignerInfo.
        signer: usize,
    },
    /// The SignedData has no SignerInfo.
    #[error("the SignedData has no signer")]
    NoSigners,
    /// No certificate in the SignedData has the signer's issuer and serial number.
    #[error(
        "the certificate of signer {signer} (issuer {issuer}, serial {serial}) is not in the SignedData"
    )]
    SignerCertificateNotFound {
        /// Index of the SignerInfo.
        signer: usize,
        /// The issuer name the SignerInfo gives.
        issuer: String,
        /// The serial number it gives (hex).
        serial: String,
    },
    /// A certificate in the SignedData or the signer certificate could not be used.
    #[error("a certificate of the SignedData is unusable: {0}")]
    Certificate(Error),
    /// The content is detached and the caller gave none.
    #[error("the content is detached and none was given to verify against")]
    ContentMissing,
    /// The content is attached and the caller also gave detached content.
    #[error("the content is attached, yet detached content was given as well")]
    ContentGivenTwice,
    /// A signed attribute that RFC 5652 §5.3 requires is absent.
    #[error("signer {signer} lacks the {name} signed attribute")]
    MissingAttribute {
        /// Index of the SignerInfo.
        signer: usize,
        /// "content-type" or "message-digest".
        name: &'static str,
    },
    /// A signed attribute is present twice, has other than one value, or its value does not
    /// decode (RFC 5652 §11).
    #[error("signer {signer} has an invalid {name} signed attribute: {reason}")]
    InvalidAttribute {
        /// Index of the SignerInfo.
        signer: usize,
        /// The attribute's name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The content-type attribute differs from eContentType (RFC 5652 §11.1), other than the
    /// PKCS#7 / GM/T 0010 `data` pair (a warning).
    #[error("signer {signer} signed content type {attribute}, but the content is {content}")]
    ContentTypeMismatch {
        /// Index of the SignerInfo.
        signer: usize,
        /// The eContentType (dotted).
        content: String,
        /// The content-type attribute (dotted).
        attribute: String,
    },
    /// The message-digest attribute is not the digest of the content with the signer's digest
    /// algorithm (RFC 5652 §11.2): the content was changed, or the wrong detached content was
    /// given.
    #[error("signer {signer} signed the digest {signed}, but the content's digest is {computed}")]
    MessageDigestMismatch {
        /// Index of the SignerInfo.
        signer: usize,
        /// The message-digest attribute (hex).
        signed: String,
        /// The digest of the content (hex).
        computed: String,
    },
    /// The signature is neither a DER SM2 signature nor 64 raw bytes r‖s.
    #[error("signer {signer}'s signature is not an SM2 signature: {reason}")]
    MalformedSignature {
        /// Index of the SignerInfo.
        signer: usize,
        /// What the decoder rejected.
        reason: String,
    },
    /// The SM2 signature does not verify with the signer certificate's key and the SM2 ID of
    /// the options.
    #[error("signer {signer}'s signature does not verify with the key of {subject} (SM2 ID {id})")]
    BadSignature {
        /// Index of the SignerInfo.
        signer: usize,
        /// The signer certificate's subject.
        subject: String,
        /// The SM2 ID used, as text if printable, else hex.
        id: String,
    },
    /// An RSA or ECDSA signature (accepted with
    /// [`CmsVerifyOptions::allow_rsa_and_ecdsa`](super::CmsVerifyOptions::allow_rsa_and_ecdsa))
    /// does not verify with the signer certificate's key.
    #[error("signer {signer}'s {algorithm} signature does not verify with the key of {subject}")]
    BadRsaOrEcdsaSignature {
        /// Index of the SignerInfo.
        signer: usize,
        /// The signer certificate's subject.
        subject: String,
        /// The signature algorithm (dotted).
        algorithm: String,
    },
    /// A content type or attribute type given to [`CmsSigner`](super::CmsSigner) is not a
    /// dotted object identifier.
    #[error("{oid:?} is not an object identifier")]
    InvalidObjectIdentifier {
        /// What was given.
        oid: String,
    },
    /// The signer certificate did not pass path validation.
    #[error("signer {signer}'s certificate did not pass path validation: {source}")]
    Path {
        /// Index of the SignerInfo.
        signer: usize,
        /// The path validation error.
        source: Error,
    },
    /// The signing key is not the key of the signer certificate.
    #[error("the signing key is not the key of the certificate {subject}")]
    KeyMismatch {
        /// The certificate's subject.
        subject: String,
    },
    /// The signing time cannot be written as UTCTime or GeneralizedTime.
    #[error("the signing time {seconds} s after 1970 cannot be encoded")]
    InvalidSigningTime {
        /// Seconds since the Unix epoch.
        seconds: u64,
    },
    /// The signer (key or hardware module) failed to sign.
    #[error("the signer failed: {0}")]
    Signer(crate::sm2::Error),
}
