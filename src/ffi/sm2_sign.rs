//! SM2 signatures (GB/T 32918.2-2016) for C callers: every call names the signer's ID and the
//! signature encoding.

use super::boundary::call;
use super::formats::{FromC, Sm2SignatureFormat};
use super::handle::{self, Output, input};
use super::sm2_keys::{Sm2PublicKey, Sm2SecretKey};
use super::{Error, Status};
use crate::sm2::{DistId, SecretKey, Signature, SigningKey, VerifyingKey};

/// The default SM2 distinguishing ID of GM/T 0009 §10 and GM/T 0015 (certificates), 16 bytes;
/// pass it with length `SMTRUST_SM2_DEFAULT_ID_LEN`. The empty ID that OpenSSL 3 uses by
/// default is any pointer (NULL too) with length 0.
pub const SMTRUST_SM2_DEFAULT_ID: &str = "1234567812345678";

/// The length of `SMTRUST_SM2_DEFAULT_ID` in bytes.
pub const SMTRUST_SM2_DEFAULT_ID_LEN: usize = 16;

/// The longest DER signature: two 33-byte INTEGERs in a SEQUENCE.
const MAX_DER_SIGNATURE_LEN: usize = 72;

/// Signs `msg` with `key` under the distinguishing ID `id` (`id_len` 0 is the empty ID that
/// OpenSSL 3 uses by default; GM/T 0009 and certificates use `1234567812345678`) and writes the
/// signature encoded as `signature_format` (a `smtrust_sm2_signature_format`).
///
/// The nonce is RFC 6979's deterministic k hedged with fresh random bytes, so two calls give
/// different signatures. A length query (`out` NULL) answers the longest possible signature
/// (72 bytes for DER, 64 for raw); `*written` then receives the actual length.
///
/// # Safety
///
/// `key` is a live handle; `id` and `msg` are NULL (only with length 0) or valid for their
/// lengths; `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_sign(
    key: *const Sm2SecretKey,
    id: *const u8,
    id_len: usize,
    msg: *const u8,
    msg_len: usize,
    signature_format: u32,
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
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let format = Sm2SignatureFormat::from_c(signature_format, "signature_format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        if output.is_length_query() {
            return output.answer_length_query(match format {
                Sm2SignatureFormat::Der => MAX_DER_SIGNATURE_LEN,
                Sm2SignatureFormat::Raw => 64,
            });
        }
        let signer = SigningKey::new(SecretKey::from_bytes(key.to_bytes().as_ref())?, id);
        let signature = signer.sign(&mut getrandom::SysRng, msg)?;
        output.deliver(&encode(&signature, format))
    })
}

/// Verifies `signature` (encoded as `signature_format`) over `msg` with `key` under the
/// distinguishing ID `id`. Returns `SMTRUST_STATUS_OK` if it verifies,
/// `SMTRUST_STATUS_SM2_BAD_SIGNATURE` if it does not, and
/// `SMTRUST_STATUS_SM2_INVALID_SIGNATURE_ENCODING` if it is not a valid encoding (strict DER,
/// or exactly 64 bytes raw, components in [1, n − 1]).
///
/// # Safety
///
/// `key` is a live handle; `id`, `msg` and `signature` are NULL (only with length 0) or valid
/// for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_verify(
    key: *const Sm2PublicKey,
    id: *const u8,
    id_len: usize,
    msg: *const u8,
    msg_len: usize,
    signature_format: u32,
    signature: *const u8,
    signature_len: usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        // SAFETY: the caller's contract above.
        let id = DistId::new(unsafe { input(id, id_len, "id") }?)?;
        // SAFETY: the caller's contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let format = Sm2SignatureFormat::from_c(signature_format, "signature_format")?;
        // SAFETY: the caller's contract above.
        let signature = decode(
            unsafe { input(signature, signature_len, "signature") }?,
            format,
        )?;
        Ok(VerifyingKey::new(*key, id).verify(msg, &signature)?)
    })
}

/// Re-encodes a signature from one `smtrust_sm2_signature_format` to another, checking it on
/// the way. Nothing is verified.
///
/// # Safety
///
/// `signature` is NULL (only with length 0) or valid for `signature_len` bytes; `out` is NULL
/// or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_signature_convert(
    signature: *const u8,
    signature_len: usize,
    from_format: u32,
    to_format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let signature = unsafe { input(signature, signature_len, "signature") }?;
        let from = Sm2SignatureFormat::from_c(from_format, "from_format")?;
        let to = Sm2SignatureFormat::from_c(to_format, "to_format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        output.deliver(&encode(&decode(signature, from)?, to))
    })
}

fn decode(bytes: &[u8], format: Sm2SignatureFormat) -> Result<Signature, Error> {
    Ok(match format {
        Sm2SignatureFormat::Der => Signature::from_der(bytes)?,
        Sm2SignatureFormat::Raw => Signature::from_raw(bytes)?,
    })
}

fn encode(signature: &Signature, format: Sm2SignatureFormat) -> Vec<u8> {
    match format {
        Sm2SignatureFormat::Der => signature.to_der(),
        Sm2SignatureFormat::Raw => signature.to_raw().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_id_constants_are_gmt_0009_default_id() {
        assert_eq!(
            SMTRUST_SM2_DEFAULT_ID.as_bytes(),
            DistId::DEFAULT.as_bytes()
        );
        assert_eq!(SMTRUST_SM2_DEFAULT_ID_LEN, SMTRUST_SM2_DEFAULT_ID.len());
    }
}
