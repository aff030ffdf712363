//! The pki module's error type.

use super::key_usage::{KeyUsages, RequiredUsage};
use super::time::display_time;
use rustls_pki_types::UnixTime;

/// Why a certificate, a CRL or a certification path was rejected.
///
/// Each variant carries what a person needs to act on it: which certificate (by depth in the
/// path, 0 being the end entity, and by subject name), which dates, which serial. Failures found
/// by rustls-webpki are mapped onto these variants with the facts added from the parsed
/// certificates; none is passed on as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not the named DER structure (truncated, wrong tag, bad length, trailing
    /// bytes, or a field that X.509 does not allow).
    #[error("the {what} is malformed: {reason}")]
    Malformed {
        /// What was being read: "certificate", "CRL", "PEM certificate" …
        what: &'static str,
        /// What the decoder rejected.
        reason: String,
    },
    /// An input larger than this module accepts for its kind.
    #[error("the {what} is {len} bytes long; at most {limit} bytes are accepted")]
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// More certificates were offered than path building will look at.
    #[error("more than {limit} {what} were offered; path building looks at no more")]
    TooManyCertificates {
        /// What was offered too many of: "intermediate certificates", "trust anchors".
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// Path building gave up after its budget of signature checks or search steps (the search
    /// space of the offered certificates is too large, or contains loops).
    #[error("path building stopped: {budget} exceeded")]
    BudgetExceeded {
        /// Which budget: "signature checks", "path building calls" or "path depth".
        budget: &'static str,
    },
    /// A certificate was not yet valid at the verification time.
    #[error(
        "the certificate at depth {depth} ({subject}) is not valid before {}, checked at {}",
        display_time(*not_before),
        display_time(*at)
    )]
    NotYetValid {
        /// Depth in the path (0 = end entity).
        depth: usize,
        /// The certificate's subject name.
        subject: String,
        /// Its notBefore.
        not_before: UnixTime,
        /// The verification time.
        at: UnixTime,
    },
    /// A certificate had expired at the verification time.
    #[error(
        "the certificate at depth {depth} ({subject}) expired at {}, checked at {}",
        display_time(*not_after),
        display_time(*at)
    )]
    Expired {
        /// Depth in the path (0 = end entity).
        depth: usize,
        /// The certificate's subject name.
        subject: String,
        /// Its notAfter.
        not_after: UnixTime,
        /// The verification time.
        at: UnixTime,
    },
    /// A certificate's validity has notAfter before notBefore.
    #[error("the certificate ({subject}) has notAfter before notBefore")]
    InvalidValidity {
        /// The certificate's subject name.
        subject: String,
    },
    /// The end-entity certificate was revoked by a CRL of its issuer.
    #[error(
        "the certificate with serial {serial} was revoked at {}{}",
        display_time(*revoked_at),
        reason.map(|r| format!(" (reason: {})", r.name())).unwrap_or_default()
    )]
    Revoked {
        /// The certificate's serial number (hex of the DER integer's content bytes).
        serial: String,
        /// The CRL entry's revocationDate.
        revoked_at: UnixTime,
        /// The CRL entry's reasonCode, if it has one.
        reason: Option<RevocationReason>,
    },
    /// No CRL was given for a certificate whose revocation must be checked.
    #[error(
        "the revocation status of the certificate at depth {depth} is unknown: no CRL of its issuer was given"
    )]
    RevocationStatusUnknown {
        /// Depth in the path (0 = end entity).
        depth: usize,
    },
    /// A CRL that would decide the revocation status is past its nextUpdate.
    #[error(
        "the CRL of {issuer} was due for renewal at {}, checked at {}",
        display_time(*next_update),
        display_time(*at)
    )]
    CrlExpired {
        /// The CRL issuer's name.
        issuer: String,
        /// The CRL's nextUpdate.
        next_update: UnixTime,
        /// The verification time.
        at: UnixTime,
    },
    /// A CRL's signature does not verify with its issuer's key.
    #[error("the signature on the CRL of {issuer} does not verify with the issuer's key")]
    CrlBadSignature {
        /// The CRL issuer's name.
        issuer: String,
    },
    /// A CRL's issuer has a keyUsage extension without cRLSign (RFC 5280 §6.3.3 (f)).
    #[error("the CRL issuer {issuer} is not allowed to sign CRLs (keyUsage lacks cRLSign)")]
    CrlIssuerLacksCrlSign {
        /// The CRL issuer's name.
        issuer: String,
    },
    /// A CRL that this verifier does not handle (delta CRL, indirect CRL, partitioned by reason,
    /// an issuing distribution point it cannot apply, or a CRL version other than v2).
    #[error("the CRL is not supported: {reason}")]
    UnsupportedCrl {
        /// Which feature of the CRL.
        reason: &'static str,
    },
    /// No trust anchor or offered intermediate issued the certificate at the top of the path
    /// that could be built.
    #[error("no trusted issuer was found for the certificate at depth {depth} (issuer: {issuer})")]
    UnknownIssuer {
        /// Depth of the certificate whose issuer is missing.
        depth: usize,
        /// That certificate's issuer name.
        issuer: String,
    },
    /// The certificate at `depth` carries a signature that does not verify with its issuer's
    /// key (tampered, signed by another key, or signed with another SM2 ID).
    #[error(
        "the signature of the certificate at depth {depth} ({subject}) does not verify with its issuer's key"
    )]
    BadSignature {
        /// Depth in the path (0 = end entity).
        depth: usize,
        /// The certificate's subject name.
        subject: String,
    },
    /// A signature algorithm or public-key algorithm that is not offered to the verifier.
    #[error(
        "the signature algorithm {algorithm} (for key {public_key_algorithm}) is not supported"
    )]
    UnsupportedSignatureAlgorithm {
        /// The signature AlgorithmIdentifier, as hex of its DER content.
        algorithm: String,
        /// The issuer's SubjectPublicKeyInfo algorithm, as hex of its DER content (empty if not
        /// known).
        public_key_algorithm: String,
    },
    /// A certificate used as an issuer is not a CA: basicConstraints is missing or CA is FALSE
    /// (RFC 5280 §6.1.4 (k)); or the end-entity certificate is itself a CA.
    #[error("the certificate at depth {depth} ({subject}) cannot be used here: {reason}")]
    InvalidCa {
        /// Depth in the path (0 = end entity).
        depth: usize,
        /// The certificate's subject name.
        subject: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A CA's pathLenConstraint allows fewer intermediates below it than the path has
    /// (RFC 5280 §6.1.4 (m)).
    #[error(
        "the path is longer than the pathLenConstraint of the CA at depth {depth} ({subject}) allows"
    )]
    PathLengthExceeded {
        /// Depth of the CA whose constraint is violated.
        depth: usize,
        /// That CA's subject name.
        subject: String,
    },
    /// An issuing CA certificate has a keyUsage extension without keyCertSign (RFC 5280
    /// §4.2.1.3). The ofdrw test root is like this (SEAL-SPEC D16); see
    /// [`VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only`](super::VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only).
    #[error(
        "the CA at depth {depth} ({subject}) is not allowed to sign certificates (keyUsage lacks keyCertSign)"
    )]
    CaLacksKeyCertSign {
        /// Depth in the path (the trust anchor has the highest depth).
        depth: usize,
        /// The CA's subject name.
        subject: String,
    },
    /// The end-entity certificate's keyUsage does not allow what the caller requires.
    #[error(
        "the key usage {present} of the end-entity certificate does not meet the requirement {required}"
    )]
    KeyUsage {
        /// What the caller required.
        required: RequiredUsage,
        /// What the certificate's keyUsage extension allows.
        present: KeyUsages,
    },
    /// The end-entity certificate's extendedKeyUsage does not contain the required purpose.
    #[error("the extended key usage of the end-entity certificate lacks {required}")]
    ExtendedKeyUsage {
        /// The required purpose OID (dotted).
        required: String,
    },
    /// A certificate marks as critical an extension this verifier does not process
    /// (RFC 5280 §4.2: such a certificate must be rejected).
    #[error("the certificate ({subject}) has the unknown critical extension {oid}")]
    UnknownCriticalExtension {
        /// The certificate's subject name.
        subject: String,
        /// The extension's OID (dotted).
        oid: String,
    },
    /// An extension's value is not what its OID requires, or an extension appears twice.
    #[error("the certificate ({subject}) has an invalid extension: {reason}")]
    InvalidExtension {
        /// The certificate's subject name.
        subject: String,
        /// What is wrong.
        reason: String,
    },
    /// A certificate version other than v3 where path validation requires v3.
    #[error("the certificate ({subject}) is not an X.509 v3 certificate")]
    UnsupportedCertVersion {
        /// The certificate's subject name.
        subject: String,
    },
    /// The name constraints of a CA in the path exclude a name of a certificate below it.
    #[error("a name in the path violates the name constraints of an issuing CA")]
    NameConstraintViolation,
    /// The certificate's public key is not an SM2 key where one is required.
    #[error("the certificate's public key is not an SM2 key: {reason}")]
    NotSm2Key {
        /// What was found instead.
        reason: String,
    },
    /// A builder input that cannot make a certificate or CRL.
    #[error("cannot build the {what}: {reason}")]
    Build {
        /// What was being built.
        what: &'static str,
        /// Why not.
        reason: String,
    },
}

/// A CRL entry's reasonCode (RFC 5280 §5.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationReason {
    /// unspecified (0)
    Unspecified,
    /// keyCompromise (1)
    KeyCompromise,
    /// cACompromise (2)
    CaCompromise,
    /// affiliationChanged (3)
    AffiliationChanged,
    /// superseded (4)
    Superseded,
    /// cessationOfOperation (5)
    CessationOfOperation,
    /// certificateHold (6)
    CertificateHold,
    /// removeFromCRL (8)
    RemoveFromCrl,
    /// privilegeWithdrawn (9)
    PrivilegeWithdrawn,
    /// aACompromise (10)
    AaCompromise,
}

impl RevocationReason {
    /// The reason for the CRLReason code `code`, if RFC 5280 defines one.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Unspecified,
            1 => Self::KeyCompromise,
            2 => Self::CaCompromise,
            3 => Self::AffiliationChanged,
            4 => Self::Superseded,
            5 => Self::CessationOfOperation,
            6 => Self::CertificateHold,
            8 => Self::RemoveFromCrl,
            9 => Self::PrivilegeWithdrawn,
            10 => Self::AaCompromise,
            _ => return None,
        })
    }

    /// The CRLReason code (the inverse of [`RevocationReason::from_code`]).
    pub fn code(self) -> u8 {
        match self {
            Self::Unspecified => 0,
            Self::KeyCompromise => 1,
            Self::CaCompromise => 2,
            Self::AffiliationChanged => 3,
            Self::Superseded => 4,
            Self::CessationOfOperation => 5,
            Self::CertificateHold => 6,
            Self::RemoveFromCrl => 8,
            Self::PrivilegeWithdrawn => 9,
            Self::AaCompromise => 10,
        }
    }

    /// The RFC 5280 name, e.g. `keyCompromise`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "keyCompromise",
            Self::CaCompromise => "cACompromise",
            Self::AffiliationChanged => "affiliationChanged",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessationOfOperation",
            Self::CertificateHold => "certificateHold",
            Self::RemoveFromCrl => "removeFromCRL",
            Self::PrivilegeWithdrawn => "privilegeWithdrawn",
            Self::AaCompromise => "aACompromise",
        }
    }
}
