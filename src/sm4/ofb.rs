//! OFB, the output feedback mode (GB/T 17964-2021 §8, NIST SP 800-38A §6.4), with 128-bit
//! feedback.

use zeroize::Zeroize;

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
    cipher: &'k Cipher,
    /// The current output block O_i = E(O_{i−1}) (the IV before the first), of which `used`
    /// bytes are spent.
    register: [u8; BLOCK_LEN],
    used: usize,
}

impl<'k> Ofb<'k> {
    /// Starts the keystream from `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            cipher: key.cipher(),
            register: *iv,
            used: BLOCK_LEN,
        }
    }

    /// XORs the next `data.len()` keystream bytes into `data`.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        let (_, left) = self.register.split_at(self.used);
        let (head, rest) = data.split_at_mut(data.len().min(left.len()));
        head.iter_mut().zip(left).for_each(|(byte, k)| *byte ^= k);
        self.used += head.len();
        let (blocks, tail) = rest.as_chunks_mut::<BLOCK_LEN>();
        for block in blocks {
            self.cipher.encrypt_block(&mut self.register);
            *block =
                (u128::from_ne_bytes(*block) ^ u128::from_ne_bytes(self.register)).to_ne_bytes();
        }
        if !tail.is_empty() {
            self.cipher.encrypt_block(&mut self.register);
            tail.iter_mut()
                .zip(&self.register)
                .for_each(|(byte, k)| *byte ^= k);
            self.used = tail.len();
        }
    }
}

impl Drop for Ofb<'_> {
    fn drop(&mut self) {
        self.register.zeroize();
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
