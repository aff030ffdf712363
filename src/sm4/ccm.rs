//! SM4-CCM, counter with CBC-MAC (GB/T 36624-2018 §7, NIST SP 800-38C, RFC 3610) with a
//! 12-byte nonce, as RFC 8998 §3.2 profiles it for TLS 1.3 (16-byte tag). Shorter tags of
//! 4 to 14 bytes are available through the detached functions.

use aes_gcm::AeadInOut;
use cipher::{
    Array,
    array::ArraySize,
    consts::{U4, U6, U8, U10, U12, U14, U16},
};
use zeroize::Zeroize;

use super::cipher::Cipher;
use super::{Error, Key, Nonce, TAG_LEN, exceeds};

/// With a 12-byte nonce the length field is L = 3 bytes, so a message is at most 2^24 − 1
/// bytes long (RFC 3610 §2.1, NIST SP 800-38C §A.1).
const MAX_MESSAGE_LEN: u64 = (1 << 24) - 1;

type Sm4Ccm<'k, M> = ccm::Ccm<&'k Cipher, M, U12>;

/// Encrypts `plaintext` and authenticates it together with `aad`; returns ciphertext ‖ tag
/// with a 16-byte tag (RFC 8998 `TLS_SM4_CCM_SM3`).
///
/// ```
/// use smtrust::sm4::{self, Nonce};
///
/// let key = sm4::Key::new([0x0c; 16]);
/// let sealed = sm4::ccm_seal(&key, Nonce::assume_unique_for_key([2; 12]), b"", b"secret")?;
/// let opened = sm4::ccm_open(&key, Nonce::assume_unique_for_key([2; 12]), b"", &sealed)?;
/// assert_eq!(opened, b"secret");
/// # Ok::<(), sm4::Error>(())
/// ```
pub fn ccm_seal(key: &Key, nonce: Nonce, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut sealed = Vec::with_capacity(plaintext.len() + TAG_LEN);
    sealed.extend_from_slice(plaintext);
    let mut tag = [0; TAG_LEN];
    ccm_seal_in_place_detached(key, nonce, aad, &mut sealed, &mut tag)?;
    sealed.extend_from_slice(&tag);
    Ok(sealed)
}

/// Checks and decrypts ciphertext ‖ 16-byte tag as made by [`ccm_seal`]; returns the
/// plaintext. Every authentication failure is [`Error::AuthenticationFailed`].
pub fn ccm_open(key: &Key, nonce: Nonce, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Error> {
    let Some((ciphertext, tag)) = sealed.split_last_chunk::<TAG_LEN>() else {
        return Err(Error::SealedMessageTooShort {
            len: sealed.len(),
            tag_len: TAG_LEN,
        });
    };
    let mut plaintext = ciphertext.to_vec();
    ccm_open_in_place_detached(key, nonce, aad, &mut plaintext, tag)?;
    Ok(plaintext)
}

/// Encrypts `in_out` in place and writes the tag over `aad` and the plaintext into `tag`,
/// whose length (4, 6, 8, 10, 12, 14 or 16 bytes) chooses the tag length.
///
/// Tags shorter than 16 bytes make forgery easier (one in 2^(8·len) per try); use them only
/// where a protocol requires it.
pub fn ccm_seal_in_place_detached(
    key: &Key,
    nonce: Nonce,
    aad: &[u8],
    in_out: &mut [u8],
    tag: &mut [u8],
) -> Result<(), Error> {
    check_message_len(in_out.len())?;
    match tag.len() {
        4 => seal::<U4>(key, &nonce, aad, in_out, tag),
        6 => seal::<U6>(key, &nonce, aad, in_out, tag),
        8 => seal::<U8>(key, &nonce, aad, in_out, tag),
        10 => seal::<U10>(key, &nonce, aad, in_out, tag),
        12 => seal::<U12>(key, &nonce, aad, in_out, tag),
        14 => seal::<U14>(key, &nonce, aad, in_out, tag),
        16 => seal::<U16>(key, &nonce, aad, in_out, tag),
        len => Err(Error::InvalidTagLength { len }),
    }
}

/// Checks `tag` (4, 6, 8, 10, 12, 14 or 16 bytes) over `aad` and the message in `in_out`,
/// decrypting `in_out` in place.
///
/// On [`Error::AuthenticationFailed`] `in_out` is zeroed, so unauthenticated plaintext can
/// never be used by mistake.
pub fn ccm_open_in_place_detached(
    key: &Key,
    nonce: Nonce,
    aad: &[u8],
    in_out: &mut [u8],
    tag: &[u8],
) -> Result<(), Error> {
    check_message_len(in_out.len())?;
    let opened = match tag.len() {
        4 => open::<U4>(key, &nonce, aad, in_out, tag),
        6 => open::<U6>(key, &nonce, aad, in_out, tag),
        8 => open::<U8>(key, &nonce, aad, in_out, tag),
        10 => open::<U10>(key, &nonce, aad, in_out, tag),
        12 => open::<U12>(key, &nonce, aad, in_out, tag),
        14 => open::<U14>(key, &nonce, aad, in_out, tag),
        16 => open::<U16>(key, &nonce, aad, in_out, tag),
        len => return Err(Error::InvalidTagLength { len }),
    };
    if opened.is_err() {
        in_out.zeroize();
    }
    opened
}

fn seal<M: ArraySize + ccm::TagSize>(
    key: &Key,
    nonce: &Nonce,
    aad: &[u8],
    in_out: &mut [u8],
    tag: &mut [u8],
) -> Result<(), Error> {
    let tag_len = tag.len();
    let tag_out: &mut Array<u8, M> = tag
        .try_into()
        .map_err(|_| Error::InvalidTagLength { len: tag_len })?;
    let len = in_out.len();
    *tag_out = Sm4Ccm::<M>::from(key.cipher())
        .encrypt_inout_detached(nonce.as_bytes().into(), aad, in_out.into())
        // The crate fails only on the message length checked before.
        .map_err(|_| message_too_long(len))?;
    Ok(())
}

fn open<M: ArraySize + ccm::TagSize>(
    key: &Key,
    nonce: &Nonce,
    aad: &[u8],
    in_out: &mut [u8],
    tag: &[u8],
) -> Result<(), Error> {
    let tag: &Array<u8, M> = tag
        .try_into()
        .map_err(|_| Error::InvalidTagLength { len: tag.len() })?;
    Sm4Ccm::<M>::from(key.cipher())
        .decrypt_inout_detached(nonce.as_bytes().into(), aad, in_out.into(), tag)
        .map_err(|_| Error::AuthenticationFailed)
}

fn check_message_len(len: usize) -> Result<(), Error> {
    if exceeds(len, MAX_MESSAGE_LEN) {
        return Err(message_too_long(len));
    }
    Ok(())
}

fn message_too_long(len: usize) -> Error {
    Error::MessageTooLong {
        mode: "CCM",
        len,
        max: MAX_MESSAGE_LEN,
    }
}
