//! CTR, the counter mode (GB/T 17964-2021 §9, NIST SP 800-38A §6.5), with the whole 16-byte
//! IV as one big-endian 128-bit counter.

use cipher::{InnerIvInit, StreamCipher};

use super::cipher::Cipher;
use super::{BLOCK_LEN, Key};

/// Streaming CTR: applies the keystream to successive buffers of any length, as if they were
/// one message. Encryption and decryption are the same operation.
///
/// The counter block for block i is `iv + i mod 2^128`, big-endian, so the counter carries
/// through all 16 bytes and wraps from `ff…ff` to `00…00` (what OpenSSL's `sm4-ctr` does).
/// Never use one (key, IV) pair for two messages, and never let two messages' counter ranges
/// overlap.
///
/// ```
/// use smtrust::sm4;
///
/// let key = sm4::Key::new([0x44; 16]);
/// let iv = [0x55; 16];
/// let message = b"streamed in pieces of any length";
///
/// let mut stream = sm4::Ctr::new(&key, &iv);
/// let mut buffer = message.to_vec();
/// let (first, second) = buffer.split_at_mut(5);
/// stream.apply_keystream(first);
/// stream.apply_keystream(second);
///
/// assert_eq!(buffer, sm4::ctr_encrypt(&key, &iv, message));
/// assert_eq!(sm4::ctr_decrypt(&key, &iv, &buffer), message);
/// ```
pub struct Ctr<'k> {
    inner: ctr::Ctr128BE<&'k Cipher>,
}

impl<'k> Ctr<'k> {
    /// Starts the keystream at counter block `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            inner: ctr::Ctr128BE::from_core(ctr::CtrCore::inner_iv_init(key.cipher(), iv.into())),
        }
    }

    /// XORs the next `data.len()` keystream bytes into `data`.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        // The 128-bit counter flavour reports no block limit that a `usize` length can
        // reach (2^128 blocks), so this never hits the crate's keystream-exhausted panic.
        self.inner.apply_keystream(data);
    }
}

impl core::fmt::Debug for Ctr<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Buffered keystream bytes are secret.
        f.debug_struct("Ctr").finish_non_exhaustive()
    }
}

/// Encrypts `plaintext` in CTR mode starting at counter block `iv`; see [`Ctr`].
pub fn ctr_encrypt(key: &Key, iv: &[u8; BLOCK_LEN], plaintext: &[u8]) -> Vec<u8> {
    let mut buffer = plaintext.to_vec();
    Ctr::new(key, iv).apply_keystream(&mut buffer);
    buffer
}

/// Decrypts a CTR `ciphertext`: the same operation as [`ctr_encrypt`].
pub fn ctr_decrypt(key: &Key, iv: &[u8; BLOCK_LEN], ciphertext: &[u8]) -> Vec<u8> {
    ctr_encrypt(key, iv, ciphertext)
}
