//! SM3 hashing and HMAC-SM3 (GB/T 32905-2016, RFC 2104) for C callers.

use super::Status;
use super::boundary::call;
use super::handle::{Output, input};
use crate::sm3;

/// Hashes `data` with SM3 and writes the 32-byte digest.
///
/// # Safety
///
/// `data` is NULL (only with `data_len` 0) or valid for `data_len` bytes; `out` is NULL or
/// valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm3_hash(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&sm3::hash(data))
    })
}

/// Computes HMAC-SM3 of `data` under `key` (any length) and writes the 32-byte tag.
///
/// # Safety
///
/// `key` and `data` are NULL (only with length 0) or valid for their lengths; `out` is NULL
/// or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm3_hmac(
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&sm3::hmac(key, data))
    })
}

/// Checks an HMAC-SM3 `tag` over `data` under `key` in constant time. Returns
/// `SMTRUST_STATUS_OK` or `SMTRUST_STATUS_SM3_MAC_MISMATCH` (also for a tag that is not 32
/// bytes).
///
/// # Safety
///
/// `key`, `data` and `tag` are NULL (only with length 0) or valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm3_hmac_verify(
    key: *const u8,
    key_len: usize,
    data: *const u8,
    data_len: usize,
    tag: *const u8,
    tag_len: usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { input(key, key_len, "key") }?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let tag = unsafe { input(tag, tag_len, "tag") }?;
        Ok(sm3::Hmac::new(key).chain(data).verify(tag)?)
    })
}
