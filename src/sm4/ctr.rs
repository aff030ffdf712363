//! CTR, the counter mode (GB/T 17964-2021 §9, NIST SP 800-38A §6.5), with the whole 16-byte
//! IV as one big-endian 128-bit counter.

use zeroize::Zeroize;

use super::keystream::{Increment, Keystream};
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
    keystream: Keystream<'k>,
    /// The keystream block the last call ended inside, and how many of its bytes it used
    /// (`BLOCK_LEN` when none is left).
    partial: [u8; BLOCK_LEN],
    used: usize,
}

impl<'k> Ctr<'k> {
    /// Starts the keystream at counter block `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            keystream: Keystream::new(key.cipher(), iv, Increment::Whole),
            partial: [0; BLOCK_LEN],
            used: BLOCK_LEN,
        }
    }

    /// XORs the next `data.len()` keystream bytes into `data`.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        let (_, left) = self.partial.split_at(self.used);
        let (head, rest) = data.split_at_mut(data.len().min(left.len()));
        head.iter_mut().zip(left).for_each(|(byte, k)| *byte ^= k);
        self.used += head.len();
        if let Some((partial, used)) = self.keystream.xor(rest) {
            self.partial = partial;
            self.used = used;
        }
    }
}

impl Drop for Ctr<'_> {
    fn drop(&mut self) {
        self.partial.zeroize();
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
