//! SM4 in CBC, CTR and GCM mode (GB/T 32907-2016, GB/T 17964-2021, RFC 8998) for C callers.
//!
//! Keys are passed as 16 raw bytes on every call; the expanded key is wiped before the call
//! returns, and the caller's copy is the caller's to wipe.

use zeroize::Zeroizing;

use super::boundary::call;
use super::formats::{FromC, Sm4Padding};
use super::handle::{Output, input};
use super::{Error, Status};
use crate::sm4::{self, BLOCK_LEN, Key, Nonce};

/// Encrypts with SM4-CBC. `padding` is a `smtrust_sm4_padding`; with PKCS#7 the output is
/// 1 to 16 bytes longer than the input, without it the input must be whole blocks.
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_cbc_encrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    padding: u32,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let (key, iv) = unsafe { key_and_iv(key, key_len, iv, iv_len) }?;
        let padding = Sm4Padding::from_c(padding, "padding")?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&sm4::cbc_encrypt(&key, &iv, padding.into(), data)?)
    })
}

/// Decrypts SM4-CBC. With PKCS#7 padding a bad pad gives `SMTRUST_STATUS_SM4_BAD_PADDING` and
/// nothing is written.
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_cbc_decrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    padding: u32,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let (key, iv) = unsafe { key_and_iv(key, key_len, iv, iv_len) }?;
        let padding = Sm4Padding::from_c(padding, "padding")?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let plaintext = Zeroizing::new(sm4::cbc_decrypt(&key, &iv, padding.into(), data)?);
        output.deliver(&plaintext)
    })
}

/// Encrypts with SM4-CTR: the 16-byte `iv` is the initial counter block, incremented as a
/// 128-bit big-endian number. The output is as long as the input.
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_ctr_encrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let (key, iv) = unsafe { key_and_iv(key, key_len, iv, iv_len) }?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&sm4::ctr_encrypt(&key, &iv, data))
    })
}

/// Decrypts SM4-CTR (the same operation as encryption).
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_ctr_decrypt(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let (key, iv) = unsafe { key_and_iv(key, key_len, iv, iv_len) }?;
        // SAFETY: the caller's contract above.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let plaintext = Zeroizing::new(sm4::ctr_decrypt(&key, &iv, data));
        output.deliver(&plaintext)
    })
}

/// Encrypts and authenticates with SM4-GCM (RFC 8998 §3.1) and writes `ciphertext || tag`
/// (16 bytes longer than the input).
///
/// The 12-byte `nonce` must never be used twice with the same key: a repeated GCM nonce
/// reveals the XOR of the two plaintexts and lets anyone forge tags.
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_gcm_encrypt(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let inputs =
            unsafe { gcm_inputs(key, key_len, nonce, nonce_len, aad, aad_len, data, data_len) }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&sm4::gcm_seal(
            &inputs.key,
            inputs.nonce,
            inputs.aad,
            inputs.data,
        )?)
    })
}

/// Checks and decrypts SM4-GCM `ciphertext || tag`. Any mismatch gives
/// `SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED` and nothing is written.
///
/// # Safety
///
/// Every input pointer is NULL (only with length 0) or valid for its length; `out` is NULL or
/// valid for `out_len` bytes and does not overlap an input; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm4_gcm_decrypt(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let inputs =
            unsafe { gcm_inputs(key, key_len, nonce, nonce_len, aad, aad_len, data, data_len) }?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let plaintext = Zeroizing::new(sm4::gcm_open(
            &inputs.key,
            inputs.nonce,
            inputs.aad,
            inputs.data,
        )?);
        output.deliver(&plaintext)
    })
}

/// Reads and checks the key and the 16-byte IV of CBC and CTR.
///
/// # Safety
///
/// As [`input`], for both buffers.
unsafe fn key_and_iv(
    key: *const u8,
    key_len: usize,
    iv: *const u8,
    iv_len: usize,
) -> Result<(Key, [u8; BLOCK_LEN]), Error> {
    // SAFETY: the caller's contract above.
    let key = Key::from_slice(unsafe { input(key, key_len, "key") }?)?;
    // SAFETY: the caller's contract above.
    let iv = unsafe { input(iv, iv_len, "iv") }?;
    let iv = iv
        .try_into()
        .map_err(|_| Error::Sm4IvLength { len: iv.len() })?;
    Ok((key, iv))
}

/// The checked inputs of a GCM call.
struct GcmInputs<'a> {
    key: Key,
    nonce: Nonce,
    aad: &'a [u8],
    data: &'a [u8],
}

/// Reads and checks the inputs of GCM.
///
/// # Safety
///
/// As [`input`], for every buffer.
#[allow(clippy::too_many_arguments)]
unsafe fn gcm_inputs<'a>(
    key: *const u8,
    key_len: usize,
    nonce: *const u8,
    nonce_len: usize,
    aad: *const u8,
    aad_len: usize,
    data: *const u8,
    data_len: usize,
) -> Result<GcmInputs<'a>, Error> {
    // SAFETY: the caller's contract above.
    let key = Key::from_slice(unsafe { input(key, key_len, "key") }?)?;
    // SAFETY: the caller's contract above.
    let nonce = Nonce::try_assume_unique_for_key(unsafe { input(nonce, nonce_len, "nonce") }?)?;
    // SAFETY: the caller's contract above.
    let aad = unsafe { input(aad, aad_len, "aad") }?;
    // SAFETY: the caller's contract above.
    let data = unsafe { input(data, data_len, "data") }?;
    Ok(GcmInputs {
        key,
        nonce,
        aad,
        data,
    })
}
