//! Seal and seal-signature verification (GB/T 38540, GM/T 0031) for C callers: the report of
//! `smtrust::seal` as the CLI contract's JSON text.

use super::boundary::call;
use super::handle::{OutParam, Output, input};
use super::{Error, Status};
use crate::pki::{Certificate, MAX_TRUST_ANCHORS, UnixTime};
use crate::seal::{Verdict, VerifyOptions, verify_der};

/// `*verdict` after `smtrust_seal_verify`: every check that matters passed.
pub const SMTRUST_SEAL_VERDICT_VALID: u32 = 1;
/// `*verdict` after `smtrust_seal_verify`: at least one check failed.
pub const SMTRUST_SEAL_VERDICT_INVALID: u32 = 2;
/// `*verdict` after `smtrust_seal_verify`: nothing failed, but a check that matters could not
/// be made (no trust anchor, no document, no time).
pub const SMTRUST_SEAL_VERDICT_INDETERMINATE: u32 = 3;

/// Verifies a seal (`.esl`) or a seal signature (`SignedValue.dat`), given as DER, and writes
/// the report as NUL-terminated JSON text: `{"verdict": "valid|invalid|indeterminate",
/// "checks": [{"check", "status", "detail"}], "warnings": [{"code", "detail"}]}`.
///
/// - `document` is the signed original (in an OFD, the bytes of Signature.xml) to compare
///   with dataHash; NULL means none was given (the check is then "not checked"), while a
///   non-NULL pointer with length 0 is an empty document.
/// - `trust_anchors[i]` points to `trust_anchor_lens[i]` bytes of a DER root certificate,
///   for `i < trust_anchor_count`; both arrays may be NULL when the count is 0.
/// - `at_unix_seconds` is the time to check at; 0 means the signing time the signature
///   claims (a seal alone then has its validity and chains reported as not checked).
///
/// A report is produced for any input: bytes that are neither a seal nor a seal signature
/// give a report whose `structure` check failed. The call itself fails only for its
/// parameters: `SMTRUST_STATUS_SEAL_INVALID_TRUST_ANCHOR` when an anchor is not a
/// certificate, `SMTRUST_STATUS_SEAL_TOO_MANY_TRUST_ANCHORS` above 1024. `*verdict` receives
/// one of the `SMTRUST_SEAL_VERDICT_*` values on success (including the length query, which
/// verifies too).
///
/// # Safety
///
/// `data` is NULL (only with `data_len` 0) or valid for `data_len` bytes; `document` is NULL
/// or valid for `document_len` bytes; unless `trust_anchor_count` is 0, `trust_anchors` and
/// `trust_anchor_lens` are valid for `trust_anchor_count` elements and each
/// `trust_anchors[i]` is valid for `trust_anchor_lens[i]` bytes; `verdict` is valid for one
/// write; `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_seal_verify(
    data: *const u8,
    data_len: usize,
    document: *const u8,
    document_len: usize,
    trust_anchors: *const *const u8,
    trust_anchor_lens: *const usize,
    trust_anchor_count: usize,
    at_unix_seconds: u64,
    verdict: *mut u32,
    out: *mut std::ffi::c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        let document = if document.is_null() {
            None
        } else {
            // SAFETY: the caller's contract above.
            Some(unsafe { input(document, document_len, "document") }?)
        };
        // SAFETY: the caller's contract above.
        let anchors = unsafe { anchors(trust_anchors, trust_anchor_lens, trust_anchor_count) }?;
        // SAFETY: the caller's contract above.
        let verdict_out = unsafe { OutParam::new(verdict, "verdict") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        let mut options = VerifyOptions::new().trust_anchors(anchors);
        if at_unix_seconds != 0 {
            options = options.at(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
                at_unix_seconds,
            )));
        }
        let report = verify_der(data, document, &options);
        output.deliver_text(&report.to_json())?;
        verdict_out.put(match report.verdict() {
            Verdict::Valid => SMTRUST_SEAL_VERDICT_VALID,
            Verdict::Invalid => SMTRUST_SEAL_VERDICT_INVALID,
            Verdict::Indeterminate => SMTRUST_SEAL_VERDICT_INDETERMINATE,
        });
        Ok(())
    })
}

/// Reads the trust-anchor arrays and parses each certificate.
///
/// # Safety
///
/// As `smtrust_seal_verify` for `pointers`, `lens` and `count`.
unsafe fn anchors(
    pointers: *const *const u8,
    lens: *const usize,
    count: usize,
) -> Result<Vec<Certificate>, Error> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if count > MAX_TRUST_ANCHORS {
        return Err(Error::SealTooManyTrustAnchors {
            count,
            limit: MAX_TRUST_ANCHORS,
        });
    }
    if pointers.is_null() {
        return Err(Error::NullPointer {
            param: "trust_anchors",
        });
    }
    if lens.is_null() {
        return Err(Error::NullPointer {
            param: "trust_anchor_lens",
        });
    }
    // SAFETY: both pointers are non-NULL and, by the caller's contract, valid for `count`
    // elements (count ≤ 1024, so the byte length fits isize); they are only read.
    let (pointers, lens) = unsafe {
        (
            std::slice::from_raw_parts(pointers, count),
            std::slice::from_raw_parts(lens, count),
        )
    };
    pointers
        .iter()
        .zip(lens)
        .enumerate()
        .map(|(index, (&pointer, &len))| {
            // SAFETY: the caller's contract: `trust_anchors[i]` is valid for
            // `trust_anchor_lens[i]` bytes.
            let der = unsafe { input(pointer, len, "trust_anchors") }?;
            Certificate::from_der(der).map_err(|err| Error::SealInvalidTrustAnchor {
                index,
                reason: err.to_string(),
            })
        })
        .collect()
}
