//! SM4-CCM, counter with CBC-MAC (GB/T 36624-2018 §7, NIST SP 800-38C, RFC 3610) with a
//! 12-byte nonce, as RFC 8998 §3.2 profiles it for TLS 1.3 (16-byte tag). Shorter tags of
//! 4 to 14 bytes are available through the detached functions.

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::cipher::Cipher;
use super::keystream::{Increment, Keystream};
use super::{BLOCK_LEN, Error, Key, NONCE_LEN, Nonce, TAG_LEN, exceeds};

/// With a 12-byte nonce the length field is L = 3 bytes, so a message is at most 2^24 − 1
/// bytes long (RFC 3610 §2.1, NIST SP 800-38C §A.1).
const MAX_MESSAGE_LEN: u64 = (1 << 24) - 1;

/// The length field of the first block and of the counter blocks: q = 15 − 12 = 3 bytes.
const Q: usize = BLOCK_LEN - 1 - NONCE_LEN;

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
    check_tag_len(tag.len())?;
    let mut mac = cbc_mac(key.cipher(), &nonce, aad, in_out, tag.len());
    let mask = counter_mode(key.cipher(), &nonce, in_out);
    mac.iter_mut().zip(mask).for_each(|(byte, m)| *byte ^= m);
    tag.iter_mut()
        .zip(&mac)
        .for_each(|(out, byte)| *out = *byte);
    mac.zeroize();
    Ok(())
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
    check_tag_len(tag.len())?;
    let mask = counter_mode(key.cipher(), &nonce, in_out);
    let mut expected = cbc_mac(key.cipher(), &nonce, aad, in_out, tag.len());
    expected
        .iter_mut()
        .zip(mask)
        .for_each(|(byte, m)| *byte ^= m);
    let (expected_tag, _) = expected.split_at(tag.len());
    let matches = expected_tag.ct_eq(tag);
    expected.zeroize();
    if !bool::from(matches) {
        in_out.zeroize();
        return Err(Error::AuthenticationFailed);
    }
    Ok(())
}

/// Tags are 4, 6, 8, 10, 12, 14 or 16 bytes (NIST SP 800-38C §A.1).
fn check_tag_len(len: usize) -> Result<(), Error> {
    if (4..=TAG_LEN).contains(&len) && len.is_multiple_of(2) {
        Ok(())
    } else {
        Err(Error::InvalidTagLength { len })
    }
}

/// Encrypts (or decrypts) `in_out` with the counter blocks Ctr1, Ctr2, … and returns
/// S0 = E(Ctr0), which masks the tag (§6.1 steps 5–8). Ctr_i = flags ‖ N ‖ [i]_24 with
/// flags = q − 1 (§A.3); a message of under 2^24 bytes never carries out of the 24 bits.
fn counter_mode(cipher: &Cipher, nonce: &Nonce, in_out: &mut [u8]) -> [u8; BLOCK_LEN] {
    let mut ctr0 = [0; BLOCK_LEN];
    let (flags, rest) = ctr0.split_at_mut(1);
    flags.iter_mut().for_each(|f| *f = (Q - 1) as u8);
    let (n, _) = rest.split_at_mut(NONCE_LEN);
    n.copy_from_slice(nonce.as_bytes());
    Keystream::new(cipher, &ctr0, Increment::Whole).first_then_xor(in_out)
}

/// The CBC-MAC T over B0, the encoded associated data and the payload, all zero-padded to
/// whole blocks (§6.1 steps 1–4, formatting of §A.2); `tag_len` enters B0's flags.
fn cbc_mac(
    cipher: &Cipher,
    nonce: &Nonce,
    aad: &[u8],
    payload: &[u8],
    tag_len: usize,
) -> [u8; BLOCK_LEN] {
    let mut b0 = [0; BLOCK_LEN];
    let adata = if aad.is_empty() { 0 } else { 0x40 };
    let flags = adata | ((tag_len - 2) / 2) << 3 | (Q - 1);
    let (head, length) = b0.split_at_mut(1 + NONCE_LEN);
    let (flag_byte, n) = head.split_at_mut(1);
    flag_byte.iter_mut().for_each(|f| *f = flags as u8);
    n.copy_from_slice(nonce.as_bytes());
    length.copy_from_slice(&(payload.len() as u32).to_be_bytes()[4 - Q..]);

    let mut mac = CbcMac::new(cipher, b0);
    if !aad.is_empty() {
        mac.absorb(&encoded_aad_len(aad.len()));
        mac.absorb(aad);
        mac.pad();
    }
    mac.absorb(payload);
    mac.pad();
    mac.state
}

/// a encoded as §A.2.2 says: 2 bytes below 2^16 − 2^8, else 0xfffe and 4 bytes below 2^32,
/// else 0xffff and 8 bytes.
fn encoded_aad_len(len: usize) -> Vec<u8> {
    let len = len as u64;
    if len < (1 << 16) - (1 << 8) {
        len.to_be_bytes()[6..].to_vec()
    } else if len < (1 << 32) {
        [&[0xff, 0xfe][..], &len.to_be_bytes()[4..]].concat()
    } else {
        [&[0xff, 0xff][..], &len.to_be_bytes()[..]].concat()
    }
}

/// CBC-MAC state: Y_i = E(Y_{i−1} ⊕ B_i), fed bytes of any length; wiped on drop.
struct CbcMac<'k> {
    cipher: &'k Cipher,
    state: [u8; BLOCK_LEN],
    /// Bytes XORed into the state since the last encryption.
    filled: usize,
}

impl<'k> CbcMac<'k> {
    /// Starts from Y0 = E(B0).
    fn new(cipher: &'k Cipher, mut b0: [u8; BLOCK_LEN]) -> Self {
        cipher.encrypt_block(&mut b0);
        Self {
            cipher,
            state: b0,
            filled: 0,
        }
    }

    fn absorb(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let (_, free) = self.state.split_at_mut(self.filled);
            let (head, rest) = data.split_at(data.len().min(free.len()));
            free.iter_mut().zip(head).for_each(|(s, b)| *s ^= b);
            self.filled += head.len();
            data = rest;
            if self.filled == BLOCK_LEN {
                self.cipher.encrypt_block(&mut self.state);
                self.filled = 0;
            }
        }
    }

    /// Ends a zero-padded run: a partly filled block is enciphered as it stands.
    fn pad(&mut self) {
        if self.filled > 0 {
            self.cipher.encrypt_block(&mut self.state);
            self.filled = 0;
        }
    }
}

impl Drop for CbcMac<'_> {
    fn drop(&mut self) {
        self.state.zeroize();
    }
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
