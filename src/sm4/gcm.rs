//! SM4-GCM, the Galois/counter mode (GB/T 36624-2018 §8, NIST SP 800-38D) with a 12-byte
//! nonce and a 16-byte tag, as RFC 8998 §3.1 profiles it for TLS 1.3.

use aes_gcm::AeadInOut;
use cipher::consts::U12;
use zeroize::Zeroize;

use super::cipher::Cipher;
use super::{Error, Key, Nonce, TAG_LEN, exceeds};

type Sm4Gcm<'k> = aes_gcm::AesGcm<&'k Cipher, U12>;

/// Encrypts `plaintext` and authenticates it together with `aad`; returns ciphertext ‖ tag
/// (the ciphertext has the plaintext's length, the tag is 16 bytes).
///
/// ```
/// use smtrust::sm4::{self, Nonce};
///
/// let key = sm4::Key::new([0x0a; 16]);
/// let sealed = sm4::gcm_seal(&key, Nonce::assume_unique_for_key([1; 12]), b"header", b"secret")?;
/// assert_eq!(sealed.len(), 6 + sm4::TAG_LEN);
///
/// let opened = sm4::gcm_open(&key, Nonce::assume_unique_for_key([1; 12]), b"header", &sealed)?;
/// assert_eq!(opened, b"secret");
///
/// // Any change to the associated data, ciphertext or tag is caught, with one opaque error.
/// assert_eq!(
///     sm4::gcm_open(&key, Nonce::assume_unique_for_key([1; 12]), b"Header", &sealed),
///     Err(sm4::Error::AuthenticationFailed)
/// );
/// # Ok::<(), sm4::Error>(())
/// ```
pub fn gcm_seal(key: &Key, nonce: Nonce, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut sealed = Vec::with_capacity(plaintext.len() + TAG_LEN);
    sealed.extend_from_slice(plaintext);
    let tag = gcm_seal_in_place_detached(key, nonce, aad, &mut sealed)?;
    sealed.extend_from_slice(&tag);
    Ok(sealed)
}

/// Checks and decrypts ciphertext ‖ tag as made by [`gcm_seal`]; returns the plaintext.
///
/// Every authentication failure is [`Error::AuthenticationFailed`] and no plaintext is
/// released; input shorter than a tag is [`Error::SealedMessageTooShort`].
pub fn gcm_open(key: &Key, nonce: Nonce, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    let Some((ciphertext, tag)) = sealed.split_last_chunk::<TAG_LEN>() else {
        return Err(Error::SealedMessageTooShort {
            len: sealed.len(),
            tag_len: TAG_LEN,
        });
    };
    let mut plaintext = ciphertext.to_vec();
    gcm_open_in_place_detached(key, nonce, aad, &mut plaintext, tag)?;
    Ok(plaintext)
}

/// Encrypts `in_out` in place and returns the 16-byte tag over `aad` and the ciphertext.
pub fn gcm_seal_in_place_detached(
    key: &Key,
    nonce: Nonce,
    aad: &[u8],
    in_out: &mut [u8],
) -> Result<[u8; TAG_LEN], Error> {
    check_lengths(aad.len(), in_out.len())?;
    let tag = Sm4Gcm::from(key.cipher())
        .encrypt_inout_detached(nonce.as_bytes().into(), aad, (&mut *in_out).into())
        // The crate fails only on the lengths checked above.
        .map_err(|_| message_too_long(in_out.len()))?;
    Ok(tag.into())
}

/// Checks `tag` over `aad` and the ciphertext in `in_out`, then decrypts `in_out` in place.
///
/// On [`Error::AuthenticationFailed`] `in_out` is zeroed, so unauthenticated plaintext can
/// never be used by mistake.
pub fn gcm_open_in_place_detached(
    key: &Key,
    nonce: Nonce,
    aad: &[u8],
    in_out: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<(), Error> {
    check_lengths(aad.len(), in_out.len())?;
    let opened = Sm4Gcm::from(key.cipher()).decrypt_inout_detached(
        nonce.as_bytes().into(),
        aad,
        (&mut *in_out).into(),
        tag.into(),
    );
    if opened.is_err() {
        in_out.zeroize();
        return Err(Error::AuthenticationFailed);
    }
    Ok(())
}

fn check_lengths(aad_len: usize, message_len: usize) -> Result<(), Error> {
    if exceeds(message_len, aes_gcm::P_MAX) {
        return Err(message_too_long(message_len));
    }
    if exceeds(aad_len, aes_gcm::A_MAX) {
        return Err(Error::AssociatedDataTooLong {
            len: aad_len,
            max: aes_gcm::A_MAX,
        });
    }
    Ok(())
}

fn message_too_long(len: usize) -> Error {
    Error::MessageTooLong {
        mode: "GCM",
        len,
        max: aes_gcm::P_MAX,
    }
}
