//! Signed verification records for C: `smtrust_record_sign` and `smtrust_record_verify`, and
//! the status codes of `realname` errors.

use std::ffi::c_char;

use super::boundary::call;
use super::bundle;
use super::certificates::PathParams;
use super::handle::{self, Output, input};
use super::record_json::record_from_json;
use super::sm2_keys::{Sm2PublicKey, Sm2SecretKey};
use super::{Error, Status};
use crate::realname::{self, SignedRecord, VerifyOptions};
use crate::sm2::{DistId, SecretKey, SigningKey};

/// The longest a DER SM2 signature is; a record signature varies below it from call to call.
const MAX_DER_SIGNATURE_LEN: usize = 72;

/// Signs a verification record (DOMAIN.md §2.2) as the qualified institution: `key` is the
/// institution's private key, `certificate` its certificate (PEM or DER; its key must be
/// `key`'s), `record_json` the record as JSON text (UTF-8, no NUL needed). Writes the
/// `SignedVerificationRecord` DER: the record's canonical DER, stamped with the certificate's
/// SM3 digest and signed with SM2 under the default ID `1234567812345678`.
///
/// The JSON object has the fields of the record's JSON view: `biz_serial_no`, `record_id`,
/// `attempt_no`, `subject_kind` (`natural_person`, …), `role` (`legal_representative`, …),
/// `factors` (a list such as `["name", "id_number", "mobile"]`), `institution`, `request_id`,
/// `result` (`match`, `mismatch`, `no_record`, `invalid_input`, `provider_error`, `unknown`),
/// `raw_code`, `raw_message`, `operator`, `requested_at` and `responded_at` (Unix seconds),
/// `face` (`score`, `threshold`, `liveness_mode`, `liveness_status`, `compare_library`;
/// exactly when the factors include `face_liveness`) and `evidence` (a list of `kind`,
/// `digest` as 64 hex digits of SM3, `locator`). Unknown fields are refused. Records with
/// sealed personal data need the key vault of the Rust API and are not made here.
///
/// The signature nonce is fresh, so the signature's length varies: the length query answers
/// an upper bound.
///
/// Errors: `SMTRUST_STATUS_RECORD_INVALID` (the message names the field),
/// `SMTRUST_STATUS_RECORD_KEY_MISMATCH`, `SMTRUST_STATUS_RECORD_CERTIFICATE_UNUSABLE`.
///
/// # Safety
///
/// `key` is a live handle; `certificate` and `record_json` are NULL (only with length 0) or
/// valid for their lengths; `out` is NULL or valid for `out_len` bytes; `written` is valid for
/// one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_record_sign(
    key: *const Sm2SecretKey,
    certificate: *const u8,
    certificate_len: usize,
    record_json: *const u8,
    record_json_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        // SAFETY: the caller's contract above.
        let certificate =
            bundle::certificate(unsafe { input(certificate, certificate_len, "certificate") }?)
                .map_err(unusable_certificate)?;
        // SAFETY: the caller's contract above.
        let record =
            record_from_json(unsafe { input(record_json, record_json_len, "record_json") }?)?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let signer = SigningKey::new(
            SecretKey::from_bytes(key.to_bytes().as_ref())?,
            DistId::DEFAULT,
        );
        // `sign` takes an infallible generator: a failing system generator panics here, which
        // the boundary reports as SMTRUST_STATUS_INTERNAL.
        let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
        let signed = record.sign(&signer, certificate.der(), &mut rng)?;
        if output.is_length_query() {
            // The signature in `signed` is at least 8 bytes long; a longer one can grow the
            // BIT STRING's and the outer SEQUENCE's length fields by a byte each.
            return output.answer_length_query(signed.as_der().len() + MAX_DER_SIGNATURE_LEN);
        }
        output.deliver(signed.as_der())
    })
}

/// Verifies a signed verification record (`signed`, DER) and writes its JSON view as
/// NUL-terminated text: the record with identity fields masked, never personal data in the
/// clear.
///
/// The signature is checked (SM2, default ID) under the key of the attached institution
/// certificate, which must be `pinned_key` unless that is NULL; the record must name that
/// certificate by its SM3 digest. With `trust_anchors` (a bundle, as in `smtrust_cert_verify`)
/// the institution certificate's path through `intermediates` is validated too, at `at` with
/// `crls`, `usage` and `flags` as in `smtrust_cert_verify` and the default SM2 ID; with
/// `trust_anchors_len` 0 it is not (pin the key then).
///
/// Errors: `SMTRUST_STATUS_RECORD_MALFORMED`, `_BAD_SIGNATURE`, `_KEY_MISMATCH` (the pinned key
/// is not the certificate's), `_CERTIFICATE_MISMATCH`, `_CERTIFICATE_UNUSABLE`, and the
/// `SMTRUST_STATUS_CERT_*` code of a path that fails.
///
/// # Safety
///
/// `pinned_key` is NULL or a live handle; every input buffer is NULL (only with length 0) or
/// valid for its length; `view` is NULL or valid for `view_len` bytes; `written` is valid for
/// one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_record_verify(
    signed: *const u8,
    signed_len: usize,
    pinned_key: *const Sm2PublicKey,
    trust_anchors: *const u8,
    trust_anchors_len: usize,
    intermediates: *const u8,
    intermediates_len: usize,
    crls: *const u8,
    crls_len: usize,
    at: u64,
    usage: u32,
    flags: u32,
    view: *mut c_char,
    view_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let signed = SignedRecord::from_der(unsafe { input(signed, signed_len, "signed") }?)?;
        let mut options = VerifyOptions::new();
        if !pinned_key.is_null() {
            // SAFETY: the caller's contract above.
            let key = unsafe { handle::borrow(pinned_key, "pinned_key") }?.key();
            options = options.with_pinned_key(*key);
        }
        let params = PathParams {
            // SAFETY: the caller's contract above.
            crls: unsafe { input(crls, crls_len, "crls") }?,
            at,
            usage,
            flags,
        };
        let path_options = params.options(DistId::DEFAULT)?;
        let trust_anchors = bundle::certificates(
            // SAFETY: the caller's contract above.
            unsafe { input(trust_anchors, trust_anchors_len, "trust_anchors") }?,
        )?;
        let intermediates = bundle::certificates(
            // SAFETY: the caller's contract above.
            unsafe { input(intermediates, intermediates_len, "intermediates") }?,
        )?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(view, view_len, written, "view") }?;
        if !trust_anchors.is_empty() {
            options = options.with_chain(trust_anchors, intermediates, path_options);
        }
        let verified = signed.verify(&options)?;
        output.deliver_text(&verified.record().to_json()?)
    })
}

fn unusable_certificate(err: Error) -> Error {
    Error::Record(realname::Error::Certificate {
        reason: err.to_string(),
    })
}

/// The status of a `realname` error from signing or verifying a record; a failed certificate
/// path gives the certificate's status.
pub(super) fn record_status(err: &realname::Error) -> Status {
    use realname::Error as E;
    match err {
        E::BadSignature => Status::RecordBadSignature,
        E::CertificateKeyMismatch { .. } => Status::RecordKeyMismatch,
        E::CertificateDigestMismatch => Status::RecordCertificateMismatch,
        E::Certificate { .. } => Status::RecordCertificateUnusable,
        E::CertificateChain(source) => super::certificates::pki_status(source),
        E::Signing { reason } => Error::Sm2(reason.clone()).status(),
        // The key handle binds the default ID, the only one records are signed with.
        E::NonDefaultDistId => Status::Internal,
        // Everything else is found reading a record's DER: its structure or a field's limits.
        _ => Status::RecordMalformed,
    }
}
