//! CMS SignedData with SM2 for C: `smtrust_cms_sign` and `smtrust_cms_verify`, and the status
//! codes of CMS errors.

use core::time::Duration;

use serde_json::json;

use super::boundary::call;
use super::bundle;
use super::certificates::PathParams;
use super::formats::FromC;
use super::handle::{self, Output, input};
use super::sm2_keys::Sm2SecretKey;
use super::{Error, Status};
use crate::pki::{
    CmsError, CmsOids, CmsSigner, CmsVerifyOptions, CmsWarning, Encapsulation, SignedData,
    UnixTime, VerifiedSignedData,
};
use crate::sm2::{DistId, SecretKey, SigningKey};

/// Whether the content travels inside the SignedData.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmsEncapsulation {
    /// The content is inside (eContent).
    Attached = 1,
    /// The content is not inside; the verifier is given it separately.
    Detached = 2,
}

/// Which object identifiers a SignedData is written with.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmsOidSet {
    /// GM/T 0010 (`signedData` 1.2.156.10197.6.1.4.2.2, signature algorithm SM2
    /// 1.2.156.10197.1.301.1), as real OFD e-signatures have them.
    GmT0010 = 1,
    /// PKCS#7 / RFC 5652 (`signedData` 1.2.840.113549.1.7.2, SM2-with-SM3
    /// 1.2.156.10197.1.501): what `openssl cms -verify` reads.
    Pkcs7 = 2,
}

impl FromC for CmsEncapsulation {
    const C_NAME: &'static str = "smtrust_cms_encapsulation";
    const ALL: &'static [Self] = &[Self::Attached, Self::Detached];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for CmsOidSet {
    const C_NAME: &'static str = "smtrust_cms_oids";
    const ALL: &'static [Self] = &[Self::GmT0010, Self::Pkcs7];
    fn code(self) -> u32 {
        self as u32
    }
}

/// Signs `content` as CMS SignedData (RFC 5652 §5, GM/T 0010) with `key` under the SM2 ID
/// `id`, for the signer certificate `certificate` (PEM or DER; its key must be `key`'s), and
/// writes the DER. One signer, its certificate included, SM3 digest, signed attributes
/// content-type, message-digest and signing-time (`signing_time`, seconds since the Unix
/// epoch; the clock is never read). `encapsulation` is a `smtrust_cms_encapsulation`, `oids`
/// a `smtrust_cms_oids`.
///
/// The signature is deterministic (RFC 6979 nonce), so the length query gives the exact
/// length. For `openssl cms -verify` (OpenSSL 3): sign with the empty ID (length 0) and
/// `SMTRUST_CMS_OIDS_PKCS7`. Real OFD systems use `SMTRUST_SM2_DEFAULT_ID` and GM/T 0010.
///
/// Errors: `SMTRUST_STATUS_CMS_KEY_MISMATCH` if `key` is not the certificate's key,
/// `SMTRUST_STATUS_CERT_MALFORMED` for a certificate that cannot be read,
/// `SMTRUST_STATUS_CERT_UNSUPPORTED_ALGORITHM` if it holds no SM2 key.
///
/// # Safety
///
/// `key` is a live handle; `id`, `certificate` and `content` are NULL (only with length 0) or
/// valid for their lengths; `out` is NULL or valid for `out_len` bytes; `written` is valid for
/// one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_cms_sign(
    key: *const Sm2SecretKey,
    id: *const u8,
    id_len: usize,
    certificate: *const u8,
    certificate_len: usize,
    content: *const u8,
    content_len: usize,
    encapsulation: u32,
    oids: u32,
    signing_time: u64,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        // SAFETY: the caller's contract above.
        let id = DistId::new(unsafe { input(id, id_len, "id") }?)?;
        // SAFETY: the caller's contract above.
        let certificate =
            bundle::certificate(unsafe { input(certificate, certificate_len, "certificate") }?)?;
        // SAFETY: the caller's contract above.
        let content = unsafe { input(content, content_len, "content") }?;
        let encapsulation = match CmsEncapsulation::from_c(encapsulation, "encapsulation")? {
            CmsEncapsulation::Attached => Encapsulation::Attached,
            CmsEncapsulation::Detached => Encapsulation::Detached,
        };
        let oids = match CmsOidSet::from_c(oids, "oids")? {
            CmsOidSet::GmT0010 => CmsOids::GmT0010,
            CmsOidSet::Pkcs7 => CmsOids::Pkcs7,
        };
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let signer = SigningKey::new(SecretKey::from_bytes(key.to_bytes().as_ref())?, id);
        let signed = CmsSigner::new(&signer, &certificate, oids)
            .encapsulation(encapsulation)
            .sign(
                content,
                UnixTime::since_unix_epoch(Duration::from_secs(signing_time)),
            )?;
        output.deliver(signed.der())
    })
}

/// Verifies a CMS SignedData (`cms`, DER, or PEM labelled `CMS` or `PKCS7`) and writes a
/// report as NUL-terminated JSON text.
///
/// `encapsulation` says what the caller expects: `SMTRUST_CMS_ENCAPSULATION_ATTACHED` with
/// `content_len` 0, or `SMTRUST_CMS_ENCAPSULATION_DETACHED` with the detached content in
/// `content` (which may be empty). Every signer's SM2 signature is checked with the SM2 ID
/// `id` (`SMTRUST_SM2_DEFAULT_ID` for GM/T 0010 e-signatures, length 0 for OpenSSL 3), with
/// its signed attributes (RFC 5652 §5.4, §11).
///
/// With `trust_anchors` (a bundle, as in `smtrust_cert_verify`) each signer certificate's path
/// is also validated at `at` with `crls`, `usage` and `flags` as in `smtrust_cert_verify`; the
/// SM2 ID `id` is used for the certificates too, and the other certificates of the SignedData
/// are offered as intermediates. With `trust_anchors_len` 0 no path is validated (the report
/// says `"path_validated": false`): only the signatures are checked.
///
/// The report: `{"content_length": N, "path_validated": BOOL, "signers": [{"subject": …,
/// "issuer": …, "serial": HEX, "signing_time": RFC3339 or null, "warnings": […], "path":
/// [SUBJECT, …] or null}]}`; warnings are `raw_signature`, `no_signed_attributes` and
/// `data_oids_differ`.
///
/// Errors: the `SMTRUST_STATUS_CMS_*` codes, and the `SMTRUST_STATUS_CERT_*` code of a signer
/// certificate whose path fails.
///
/// # Safety
///
/// Every input buffer is NULL (only with length 0) or valid for its length; `report` is NULL
/// or valid for `report_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_cms_verify(
    cms: *const u8,
    cms_len: usize,
    encapsulation: u32,
    content: *const u8,
    content_len: usize,
    id: *const u8,
    id_len: usize,
    trust_anchors: *const u8,
    trust_anchors_len: usize,
    crls: *const u8,
    crls_len: usize,
    at: u64,
    usage: u32,
    flags: u32,
    report: *mut std::ffi::c_char,
    report_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let signed = signed_data(unsafe { input(cms, cms_len, "cms") }?)?;
        // SAFETY: the caller's contract above.
        let content = unsafe { input(content, content_len, "content") }?;
        let detached = match CmsEncapsulation::from_c(encapsulation, "encapsulation")? {
            CmsEncapsulation::Detached => Some(content),
            CmsEncapsulation::Attached if content.is_empty() => None,
            CmsEncapsulation::Attached => {
                return Err(Error::InvalidLength {
                    param: "content",
                    len: content.len(),
                    expected: "it must be empty with SMTRUST_CMS_ENCAPSULATION_ATTACHED",
                });
            }
        };
        // SAFETY: the caller's contract above.
        let id = DistId::new(unsafe { input(id, id_len, "id") }?)?;
        let params = PathParams {
            // SAFETY: the caller's contract above.
            crls: unsafe { input(crls, crls_len, "crls") }?,
            at,
            usage,
            flags,
        };
        let path_options = params.options(id.clone())?;
        let trust_anchors = bundle::certificates(
            // SAFETY: the caller's contract above.
            unsafe { input(trust_anchors, trust_anchors_len, "trust_anchors") }?,
        )?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(report, report_len, written, "report") }?;
        let path_validated = !trust_anchors.is_empty();
        let mut options = CmsVerifyOptions::new().sm2_id(id);
        if path_validated {
            options = options.verify_path(trust_anchors, path_options);
        }
        let verified = signed.verify(detached, &options)?;
        output.deliver_text(&report_json(&verified, path_validated))
    })
}

/// A SignedData from DER or PEM (`CMS` or `PKCS7`).
fn signed_data(bytes: &[u8]) -> Result<SignedData, Error> {
    if !bytes.trim_ascii_start().starts_with(b"-----BEGIN ") {
        return Ok(SignedData::from_der(bytes)?);
    }
    let malformed = |reason: String| CmsError::Malformed {
        what: "PEM ContentInfo",
        reason,
    };
    let (label, der) = der::pem::decode_vec(bytes.trim_ascii())
        .map_err(|err| malformed(format!("not a PEM block ({err})")))?;
    if label != "CMS" && label != "PKCS7" {
        return Err(malformed(format!("the PEM label is {label}, not CMS or PKCS7")).into());
    }
    Ok(SignedData::from_der(&der)?)
}

fn report_json(verified: &VerifiedSignedData, path_validated: bool) -> String {
    let signers: Vec<serde_json::Value> = verified
        .signers()
        .map(|signer| {
            let certificate = signer.certificate();
            json!({
                "subject": certificate.subject(),
                "issuer": certificate.issuer(),
                "serial": certificate.serial_hex(),
                "signing_time": signer.signing_time().map(rfc3339),
                "warnings": signer.warnings().iter().map(warning_code).collect::<Vec<_>>(),
                "path": signer.path().map(|path| {
                    path.certificates()
                        .into_iter()
                        .map(|certificate| certificate.subject().to_owned())
                        .collect::<Vec<_>>()
                }),
            })
        })
        .collect();
    json!({
        "content_length": verified.content().len(),
        "path_validated": path_validated,
        "signers": signers,
    })
    .to_string()
}

fn rfc3339(time: UnixTime) -> String {
    crate::realname::UnixTime::from_secs(time.as_secs()).to_string()
}

fn warning_code(warning: &CmsWarning) -> &'static str {
    match warning {
        CmsWarning::RawSignature => "raw_signature",
        CmsWarning::NoSignedAttributes => "no_signed_attributes",
        CmsWarning::DataOidsDiffer { .. } => "data_oids_differ",
    }
}

/// The status of a CMS error; a certificate or path failure gives the certificate's status.
pub(super) fn cms_status(err: &CmsError) -> Status {
    use CmsError as E;
    match err {
        E::Malformed { .. }
        | E::TooLarge { .. }
        | E::TooMany { .. }
        | E::NotSignedData { .. }
        | E::NoSigners
        | E::MalformedSignature { .. } => Status::CmsMalformed,
        E::UnsupportedDigestAlgorithm { .. }
        | E::UnsupportedSignatureAlgorithm { .. }
        | E::UnsupportedSignerIdentifier { .. } => Status::CmsUnsupported,
        E::SignerCertificateNotFound { .. } => Status::CmsSignerCertificateNotFound,
        E::ContentMissing | E::ContentGivenTwice => Status::CmsContentMismatch,
        E::MissingAttribute { .. } | E::InvalidAttribute { .. } | E::ContentTypeMismatch { .. } => {
            Status::CmsInvalidAttributes
        }
        E::MessageDigestMismatch { .. } => Status::CmsDigestMismatch,
        E::BadSignature { .. } | E::BadRsaOrEcdsaSignature { .. } => Status::CmsBadSignature,
        E::KeyMismatch { .. } => Status::CmsKeyMismatch,
        E::Certificate(source) | E::Path { source, .. } => super::certificates::pki_status(source),
        E::InvalidSigningTime { .. } | E::InvalidObjectIdentifier { .. } => {
            Status::InvalidParameter
        }
        E::Signer(source) => Error::Sm2(source.clone()).status(),
    }
}
