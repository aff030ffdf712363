//! Certificate path validation (RFC 5280 §6) for C: `smtrust_cert_verify`, the options every
//! path check of the ABI shares, and the status codes of `pki` errors.

use core::time::Duration;

use super::boundary::call;
use super::bundle;
use super::formats::FromC;
use super::handle::input;
use super::{Error, Status};
use crate::pki::{
    self, KeyUsages, RequiredUsage, RevocationDepth, UnixTime, UnknownStatus, VerifyOptions,
};
use crate::sm2::DistId;

/// Check the revocation status of every certificate below the trust anchor, not only the end
/// entity's (`openssl verify -crl_check_all`). Only with CRLs given.
pub const SMTRUST_CERT_VERIFY_CRL_CHECK_ALL: u32 = 1;
/// Fail with `SMTRUST_STATUS_CERT_REVOCATION_UNKNOWN` when no given CRL covers a certificate
/// whose revocation is checked (by default such a certificate is accepted, as `openssl verify
/// -crl_check` does). Only with CRLs given.
pub const SMTRUST_CERT_VERIFY_CRL_REQUIRED: u32 = 2;
/// Accept a trust anchor whose keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3 forbids it; some
/// legacy roots, such as the ofdrw test root of the seal samples, break the rule). Use it only
/// for a named legacy root.
pub const SMTRUST_CERT_VERIFY_LEGACY_ROOT_WITHOUT_KEY_CERT_SIGN: u32 = 4;

const ALL_FLAGS: u32 = SMTRUST_CERT_VERIFY_CRL_CHECK_ALL
    | SMTRUST_CERT_VERIFY_CRL_REQUIRED
    | SMTRUST_CERT_VERIFY_LEGACY_ROOT_WITHOUT_KEY_CERT_SIGN;

/// What the end-entity certificate's keyUsage must allow. A certificate without a keyUsage
/// extension allows everything (RFC 5280 §4.2.1.3).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertUsage {
    /// Nothing is required.
    Any = 1,
    /// Signing documents: digitalSignature or nonRepudiation (`openssl verify -purpose
    /// smimesign`).
    Signing = 2,
    /// digitalSignature.
    DigitalSignature = 3,
    /// nonRepudiation (contentCommitment).
    NonRepudiation = 4,
    /// keyEncipherment.
    KeyEncipherment = 5,
    /// dataEncipherment.
    DataEncipherment = 6,
    /// keyAgreement.
    KeyAgreement = 7,
}

impl FromC for CertUsage {
    const C_NAME: &'static str = "smtrust_cert_usage";
    const ALL: &'static [Self] = &[
        Self::Any,
        Self::Signing,
        Self::DigitalSignature,
        Self::NonRepudiation,
        Self::KeyEncipherment,
        Self::DataEncipherment,
        Self::KeyAgreement,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl From<CertUsage> for RequiredUsage {
    fn from(usage: CertUsage) -> Self {
        match usage {
            CertUsage::Any => Self::Any,
            CertUsage::Signing => Self::SIGNING,
            CertUsage::DigitalSignature => Self::AllOf(KeyUsages::DIGITAL_SIGNATURE),
            CertUsage::NonRepudiation => Self::AllOf(KeyUsages::NON_REPUDIATION),
            CertUsage::KeyEncipherment => Self::AllOf(KeyUsages::KEY_ENCIPHERMENT),
            CertUsage::DataEncipherment => Self::AllOf(KeyUsages::DATA_ENCIPHERMENT),
            CertUsage::KeyAgreement => Self::AllOf(KeyUsages::KEY_AGREEMENT),
        }
    }
}

/// The path options the C functions share, read from their C parameters.
pub(super) struct PathParams<'a> {
    /// The CRLs, as a bundle.
    pub crls: &'a [u8],
    /// Seconds since the Unix epoch.
    pub at: u64,
    /// A `smtrust_cert_usage`.
    pub usage: u32,
    /// `SMTRUST_CERT_VERIFY_*` bits.
    pub flags: u32,
}

impl PathParams<'_> {
    /// The options of `pki::verify_path`, with SM2 ID `id` for the certificate signatures.
    pub(super) fn options(&self, id: DistId) -> Result<VerifyOptions, Error> {
        let usage = CertUsage::from_c(self.usage, "usage")?;
        let unknown = self.flags & !ALL_FLAGS;
        if unknown != 0 {
            return Err(Error::UnknownFlags {
                param: "flags",
                bits: unknown,
            });
        }
        let depth = if self.flags & SMTRUST_CERT_VERIFY_CRL_CHECK_ALL != 0 {
            RevocationDepth::Chain
        } else {
            RevocationDepth::EndEntity
        };
        let unknown_status = if self.flags & SMTRUST_CERT_VERIFY_CRL_REQUIRED != 0 {
            UnknownStatus::Deny
        } else {
            UnknownStatus::Allow
        };
        let mut options =
            VerifyOptions::new(UnixTime::since_unix_epoch(Duration::from_secs(self.at)))
                .sm2_id(id)
                .require(usage.into())
                .crls(bundle::crls(self.crls)?)
                .revocation(depth, unknown_status);
        if self.flags & SMTRUST_CERT_VERIFY_LEGACY_ROOT_WITHOUT_KEY_CERT_SIGN != 0 {
            options = options.accept_root_without_key_cert_sign_for_legacy_use_only();
        }
        Ok(options)
    }
}

/// Validates the path from the end-entity certificate `leaf` through `intermediates` to one
/// of `trust_anchors` at time `at` (seconds since the Unix epoch; the clock is never read),
/// as RFC 5280 §6 and rustls-webpki do it, with the SM2 ID `id` for SM2 signatures on the
/// certificates and CRLs (`SMTRUST_SM2_DEFAULT_ID` for GM/T 0015 certificates, length 0 for
/// certificates OpenSSL 3 made without a distid).
///
/// `leaf` is one certificate in PEM or DER; `intermediates`, `trust_anchors` and `crls` are
/// bundles: PEM blocks one after another (as in a CA file), or DER structures back to back;
/// length 0 is the empty bundle. Without CRLs revocation is not checked. `usage` (a
/// `smtrust_cert_usage`) is what the end entity's keyUsage must allow; `flags` is a set of
/// `SMTRUST_CERT_VERIFY_*` bits (0 for none).
///
/// Returns `SMTRUST_STATUS_OK` for a valid path, or the reason it is not:
/// `SMTRUST_STATUS_CERT_EXPIRED`, `_NOT_YET_VALID`, `_UNKNOWN_ISSUER`, `_REVOKED`,
/// `_BAD_SIGNATURE`, `_USAGE`, `_REVOCATION_UNKNOWN`, `_CRL_INVALID`, `_INVALID_PATH`,
/// `_UNSUPPORTED_ALGORITHM`, or `SMTRUST_STATUS_CERT_MALFORMED` for input that is not a
/// certificate or CRL. `smtrust_last_error` names the certificate (by depth, 0 being the end
/// entity, and subject) and the facts: dates, serial, issuer.
///
/// # Safety
///
/// Every buffer is NULL (only with length 0) or valid for its length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_cert_verify(
    leaf: *const u8,
    leaf_len: usize,
    intermediates: *const u8,
    intermediates_len: usize,
    trust_anchors: *const u8,
    trust_anchors_len: usize,
    crls: *const u8,
    crls_len: usize,
    at: u64,
    usage: u32,
    flags: u32,
    id: *const u8,
    id_len: usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let leaf = bundle::certificate(unsafe { input(leaf, leaf_len, "leaf") }?)?;
        // SAFETY: the caller's contract above.
        let intermediates = unsafe { input(intermediates, intermediates_len, "intermediates") }?;
        // SAFETY: the caller's contract above.
        let trust_anchors = unsafe { input(trust_anchors, trust_anchors_len, "trust_anchors") }?;
        let params = PathParams {
            // SAFETY: the caller's contract above.
            crls: unsafe { input(crls, crls_len, "crls") }?,
            at,
            usage,
            flags,
        };
        // SAFETY: the caller's contract above.
        let id = DistId::new(unsafe { input(id, id_len, "id") }?)?;
        let options = params.options(id)?;
        let _path = pki::verify_path(
            &leaf,
            &bundle::certificates(intermediates)?,
            &bundle::certificates(trust_anchors)?,
            &options,
        )?;
        Ok(())
    })
}

/// The status of a `pki` error.
pub(super) fn pki_status(err: &pki::Error) -> Status {
    use pki::Error as E;
    match err {
        E::Malformed { .. } | E::TooLarge { .. } => Status::CertMalformed,
        E::Expired { .. } => Status::CertExpired,
        E::NotYetValid { .. } => Status::CertNotYetValid,
        E::UnknownIssuer { .. } => Status::CertUnknownIssuer,
        E::Revoked { .. } => Status::CertRevoked,
        E::BadSignature { .. } => Status::CertBadSignature,
        E::KeyUsage { .. } | E::ExtendedKeyUsage { .. } => Status::CertUsage,
        E::RevocationStatusUnknown { .. } | E::CrlExpired { .. } => Status::CertRevocationUnknown,
        E::CrlBadSignature { .. } | E::CrlIssuerLacksCrlSign { .. } | E::UnsupportedCrl { .. } => {
            Status::CertCrlInvalid
        }
        E::UnsupportedSignatureAlgorithm { .. } | E::NotSm2Key { .. } => {
            Status::CertUnsupportedAlgorithm
        }
        E::TooManyCertificates { .. } | E::Build { .. } => Status::InvalidParameter,
        E::InvalidValidity { .. }
        | E::BudgetExceeded { .. }
        | E::InvalidCa { .. }
        | E::PathLengthExceeded { .. }
        | E::CaLacksKeyCertSign { .. }
        | E::UnknownCriticalExtension { .. }
        | E::InvalidExtension { .. }
        | E::UnsupportedCertVersion { .. }
        | E::NameConstraintViolation => Status::CertInvalidPath,
    }
}
