//! SM2 public-key encryption (GB/T 32918.4-2016) for C callers: every call names the
//! ciphertext layout.

use super::boundary::call;
use super::formats::{FromC, Sm2CiphertextFormat};
use super::handle::{self, Output, input};
use super::sm2_keys::{Sm2PublicKey, Sm2SecretKey};
use super::{Error, Status};
use crate::sm2::{self, Ciphertext, CiphertextFormat};

/// Encrypts `msg` (not empty) for `key` and writes the ciphertext laid out as
/// `ciphertext_format` (a `smtrust_sm2_ciphertext_format`).
///
/// The raw layouts are exactly 97 (with `04`) or 96 bytes longer than the message; DER varies
/// with the point. A length query (`out` NULL) answers the longest possible ciphertext;
/// `*written` then receives the actual length.
///
/// Keep one handle per recipient: from its second encryption on, a handle holds precomputed
/// multiples of its key (4 KiB), which make each encryption about twice as fast.
///
/// # Safety
///
/// `key` is a live handle; `msg` is NULL (only with length 0) or valid for `msg_len` bytes;
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_encrypt(
    key: *const Sm2PublicKey,
    msg: *const u8,
    msg_len: usize,
    ciphertext_format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.encrypting_key();
        // SAFETY: the caller's contract above.
        let msg = unsafe { input(msg, msg_len, "msg") }?;
        let format: CiphertextFormat =
            Sm2CiphertextFormat::from_c(ciphertext_format, "ciphertext_format")?.into();
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        if msg.is_empty() {
            return Err(sm2::Error::EmptyPlaintext.into());
        }
        if output.is_length_query() {
            return output.answer_length_query(max_ciphertext_len(msg.len(), format));
        }
        let ciphertext = key.encrypt(&mut getrandom::SysRng, msg)?;
        output.deliver(&ciphertext.to_bytes(format))
    })
}

/// Decrypts `ciphertext` laid out as `ciphertext_format` with `key` and writes the plaintext.
/// A layout error gives `SMTRUST_STATUS_SM2_INVALID_CIPHERTEXT_ENCODING`; a wrong key or a
/// tampered ciphertext gives `SMTRUST_STATUS_SM2_DECRYPTION_FAILED`, with no more detail, on
/// purpose. The plaintext copies the library makes are wiped.
///
/// # Safety
///
/// `key` is a live handle; `ciphertext` is NULL (only with length 0) or valid for its length;
/// `out` is NULL or valid for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_decrypt(
    key: *const Sm2SecretKey,
    ciphertext: *const u8,
    ciphertext_len: usize,
    ciphertext_format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(key, "key") }?.key();
        // SAFETY: the caller's contract above.
        let ciphertext = unsafe { input(ciphertext, ciphertext_len, "ciphertext") }?;
        let format = Sm2CiphertextFormat::from_c(ciphertext_format, "ciphertext_format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let plaintext = key
            .decrypt(ciphertext, format.into())
            .map_err(Error::Sm2Ciphertext)?;
        output.deliver(&plaintext)
    })
}

/// Re-lays a ciphertext from one `smtrust_sm2_ciphertext_format` to another, checking it on the
/// way (C1 on the curve, C3 32 bytes, C2 not empty). Nothing is decrypted.
///
/// # Safety
///
/// `ciphertext` is NULL (only with length 0) or valid for its length; `out` is NULL or valid
/// for `out_len` bytes; `written` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_sm2_ciphertext_convert(
    ciphertext: *const u8,
    ciphertext_len: usize,
    from_format: u32,
    to_format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let ciphertext = unsafe { input(ciphertext, ciphertext_len, "ciphertext") }?;
        let from = Sm2CiphertextFormat::from_c(from_format, "from_format")?;
        let to = Sm2CiphertextFormat::from_c(to_format, "to_format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let converted = Ciphertext::convert(ciphertext, from.into(), to.into())
            .map_err(Error::Sm2Ciphertext)?;
        output.deliver(&converted)
    })
}

/// The longest ciphertext of a `msg_len`-byte message in `format`.
fn max_ciphertext_len(msg_len: usize, format: CiphertextFormat) -> usize {
    match format {
        CiphertextFormat::C1C3C2 | CiphertextFormat::C1C2C3 => 97 + msg_len,
        CiphertextFormat::C1C3C2NoPrefix | CiphertextFormat::C1C2C3NoPrefix => 96 + msg_len,
        // Two INTEGERs of up to 33 content bytes, a 32-byte OCTET STRING and the message's.
        CiphertextFormat::Der => der_len(2 * der_len(33) + der_len(32) + der_len(msg_len)),
    }
}

/// The length of a DER element with `content` bytes of content.
fn der_len(content: usize) -> usize {
    let length_octets = match content {
        0..0x80 => 1,
        0x80..0x100 => 2,
        0x100..0x1_0000 => 3,
        0x1_0000..0x100_0000 => 4,
        _ => 5,
    };
    1 + length_octets + content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_ciphertext_bound_covers_the_longest_encoding() {
        // GM/T 0009 SM2Cipher of a 1-byte message with 33-byte INTEGERs: 2 + 35 + 35 + 34 + 3.
        assert_eq!(max_ciphertext_len(1, CiphertextFormat::Der), 109);
        // 200 bytes of C2 need a two-byte length, and the SEQUENCE a three-byte one.
        assert_eq!(
            max_ciphertext_len(200, CiphertextFormat::Der),
            4 + 70 + 34 + 203
        );
        assert_eq!(max_ciphertext_len(16, CiphertextFormat::C1C3C2), 113);
        assert_eq!(
            max_ciphertext_len(16, CiphertextFormat::C1C2C3NoPrefix),
            112
        );
    }
}
