//! SM4-GCM, the Galois/counter mode (GB/T 36624-2018 §8, NIST SP 800-38D) with a 12-byte
//! nonce and a 16-byte tag, as RFC 8998 §3.1 profiles it for TLS 1.3.

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::keystream::{Increment, Keystream};
use super::{BLOCK_LEN, Error, Key, NONCE_LEN, Nonce, TAG_LEN, exceeds};

/// The longest plaintext: 2^32 − 2 blocks, 2^39 − 256 bits (NIST SP 800-38D §5.2.1.1).
const P_MAX: u64 = (1 << 36) - 32;

/// The longest associated data: 2^64 − 1 bits, in whole bytes (§5.2.1.1).
const A_MAX: u64 = (1 << 61) - 1;

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
    let mut keystream = Keystream::new(key.cipher(), &pre_counter(&nonce), Increment::Low32);
    let mut tag = keystream.first_then_xor(in_out);
    xor_tag(&mut tag, key, aad, in_out);
    Ok(tag)
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
    let mut expected = [0; TAG_LEN];
    xor_tag(&mut expected, key, aad, in_out);
    let mut keystream = Keystream::new(key.cipher(), &pre_counter(&nonce), Increment::Low32);
    let mask = keystream.first_then_xor(in_out);
    expected
        .iter_mut()
        .zip(mask)
        .for_each(|(byte, m)| *byte ^= m);
    let matches = expected.ct_eq(tag);
    expected.zeroize();
    if !bool::from(matches) {
        in_out.zeroize();
        return Err(Error::AuthenticationFailed);
    }
    Ok(())
}

/// J0 = IV ‖ 0^31 ‖ 1 for a 96-bit IV (NIST SP 800-38D §7.1 step 2); the message's counter
/// blocks follow it.
fn pre_counter(nonce: &Nonce) -> [u8; BLOCK_LEN] {
    let mut j0 = [0; BLOCK_LEN];
    let (iv, counter) = j0.split_at_mut(NONCE_LEN);
    iv.copy_from_slice(nonce.as_bytes());
    counter.copy_from_slice(&1u32.to_be_bytes());
    j0
}

/// XORs S = GHASH_H(A ‖ 0^v ‖ C ‖ 0^u ‖ [len(A)]64 ‖ [len(C)]64) into `tag` (§7.1 steps
/// 5–6), under the key's hash subkey H.
fn xor_tag(tag: &mut [u8; TAG_LEN], key: &Key, aad: &[u8], ciphertext: &[u8]) {
    let mut s = key.hash_key().ghash(aad, ciphertext);
    tag.iter_mut().zip(s).for_each(|(byte, s)| *byte ^= s);
    s.zeroize();
}

fn check_lengths(aad_len: usize, message_len: usize) -> Result<(), Error> {
    if exceeds(message_len, P_MAX) {
        return Err(message_too_long(message_len));
    }
    if exceeds(aad_len, A_MAX) {
        return Err(Error::AssociatedDataTooLong {
            len: aad_len,
            max: A_MAX,
        });
    }
    Ok(())
}

fn message_too_long(len: usize) -> Error {
    Error::MessageTooLong {
        mode: "GCM",
        len,
        max: P_MAX,
    }
}
