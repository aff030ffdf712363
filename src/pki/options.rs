//! What a path validation checks besides the path itself: time, SM2 ID, key usage, CRLs.

use rustls_pki_types::UnixTime;

use super::Crl;
use super::key_usage::RequiredUsage;
use crate::sm2::DistId;

/// Which certificates of the path must have a known revocation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationDepth {
    /// Only the end-entity certificate (what `openssl verify -crl_check` does).
    EndEntity,
    /// Every certificate below the trust anchor (`-crl_check_all`).
    Chain,
}

/// What to do when no given CRL covers a certificate whose revocation is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownStatus {
    /// Accept the certificate (soft fail).
    Allow,
    /// Reject it with [`Error::RevocationStatusUnknown`](super::Error::RevocationStatusUnknown).
    Deny,
}

/// Options of [`verify_path`](super::verify_path).
///
/// The time is required and never read from the clock. Defaults otherwise: SM2 ID
/// `1234567812345678` for every SM2 certificate and CRL signature (GM/T 0015), no key-usage
/// requirement, no CRLs (no revocation check). When CRLs are given, the end entity is checked
/// against them and a missing CRL is allowed (matching `openssl verify -crl_check`), unless
/// [`VerifyOptions::revocation`] says otherwise.
///
/// ```
/// use smtrust::pki::{RequiredUsage, UnixTime, VerifyOptions};
/// use smtrust::sm2::DistId;
///
/// let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_906_502_400));
/// let options = VerifyOptions::new(at)
///     .sm2_id(DistId::EMPTY)
///     .require(RequiredUsage::SIGNING);
/// assert_eq!(options.at(), at);
/// ```
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    pub(crate) at: UnixTime,
    pub(crate) sm2_id: DistId,
    pub(crate) required: RequiredUsage,
    pub(crate) crls: Vec<Crl>,
    pub(crate) revocation_depth: RevocationDepth,
    pub(crate) unknown_status: UnknownStatus,
    pub(crate) legacy_root_without_key_cert_sign: bool,
}

impl VerifyOptions {
    /// Validation at time `at` with the defaults above.
    pub fn new(at: UnixTime) -> Self {
        Self {
            at,
            sm2_id: DistId::DEFAULT,
            required: RequiredUsage::Any,
            crls: Vec::new(),
            revocation_depth: RevocationDepth::EndEntity,
            unknown_status: UnknownStatus::Allow,
            legacy_root_without_key_cert_sign: false,
        }
    }

    /// The SM2 ID for every SM2 signature on the certificates and CRLs. Use
    /// [`DistId::EMPTY`] for certificates that OpenSSL 3 made without `-sigopt distid:…`.
    pub fn sm2_id(mut self, id: DistId) -> Self {
        self.sm2_id = id;
        self
    }

    /// What the end-entity certificate's keyUsage must allow.
    pub fn require(mut self, usage: RequiredUsage) -> Self {
        self.required = usage;
        self
    }

    /// CRLs to check revocation against (replacing any given before).
    pub fn crls(mut self, crls: Vec<Crl>) -> Self {
        self.crls = crls;
        self
    }

    /// How deep revocation is checked and what a missing CRL means (only when CRLs are given).
    pub fn revocation(mut self, depth: RevocationDepth, unknown: UnknownStatus) -> Self {
        self.revocation_depth = depth;
        self.unknown_status = unknown;
        self
    }

    /// Accept a **trust anchor** whose keyUsage lacks keyCertSign.
    ///
    /// RFC 5280 §4.2.1.3 forbids such a CA to sign certificates, and the check stays on for
    /// intermediates. Some legacy roots break the rule — the ofdrw test root has keyUsage
    /// digitalSignature + nonRepudiation only (SEAL-SPEC D16) — and are trusted anyway by their
    /// users. Turn this on only for a named legacy root whose certificates you must accept;
    /// without it the path fails with [`Error::CaLacksKeyCertSign`](super::Error::CaLacksKeyCertSign).
    pub fn accept_root_without_key_cert_sign_for_legacy_use_only(mut self) -> Self {
        self.legacy_root_without_key_cert_sign = true;
        self
    }

    /// The verification time.
    pub fn at(&self) -> UnixTime {
        self.at
    }

    /// The SM2 ID in use.
    pub fn id(&self) -> &DistId {
        &self.sm2_id
    }
}
