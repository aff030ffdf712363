//! OFB, the output feedback mode (GB/T 17964-2021 §8, NIST SP 800-38A §6.4), with 128-bit
//! feedback.

use cipher::{InnerIvInit, StreamCipher};

use super::cipher::Cipher;
use super::{BLOCK_LEN, Key};

/// Streaming OFB: applies the keystream E(IV), E(E(IV)), … to successive buffers of any
/// length. Encryption and decryption are the same operation. The IV must never repeat under
/// one key.
///
/// ```
/// use smtrust::sm4;
///
/// let key = sm4::Key::new([0x66; 16]);
/// let iv = [0x77; 16];
/// let mut stream = sm4::Ofb::new(&key, &iv);
/// let mut buffer = b"output feedback".to_vec();
/// stream.apply_keystream(&mut buffer);
/// assert_eq!(buffer, sm4::ofb_encrypt(&key, &iv, b"output feedback"));
/// ```
pub struct Ofb<'k> {
    inner: ofb::Ofb<&'k Cipher>,
}

impl<'k> Ofb<'k> {
    /// Starts the keystream from `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            inner: ofb::Ofb::from_core(ofb::OfbCore::inner_iv_init(key.cipher(), iv.into())),
        }
    }

    /// XORs the next `data.len()` keystream bytes into `data`.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        // OFB reports no block limit, so the crate's keystream-exhausted panic cannot occur.
        self.inner.apply_keystream(data);
    }
}

impl core::fmt::Debug for Ofb<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The feedback register holds keystream, which is secret.
        f.debug_struct("Ofb").finish_non_exhaustive()
    }
}

/// Encrypts `plaintext` in OFB mode under `iv`; see [`Ofb`].
pub fn ofb_encrypt(key: &Key, iv: &[u8; BLOCK_LEN], plaintext: &[u8]) -> Vec<u8> {
    let mut buffer = plaintext.to_vec();
    Ofb::new(key, iv).apply_keystream(&mut buffer);
    buffer
}

/// Decrypts an OFB `ciphertext`: the same operation as [`ofb_encrypt`].
pub fn ofb_decrypt(key: &Key, iv: &[u8; BLOCK_LEN], ciphertext: &[u8]) -> Vec<u8> {
    ofb_encrypt(key, iv, ciphertext)
}
