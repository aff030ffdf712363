//! CFB, the cipher feedback mode (GB/T 17964-2021 §7, NIST SP 800-38A §6.3), with 128-bit
//! feedback (CFB128, OpenSSL's `sm4-cfb`).

use cipher::InnerIvInit;

use super::cipher::Cipher;
use super::{BLOCK_LEN, Key};

/// Streaming CFB128 encryption of successive buffers of any length, as if they were one
/// message.
///
/// ```
/// use smtrust::sm4;
///
/// let key = sm4::Key::new([0x88; 16]);
/// let iv = [0x99; 16];
/// let mut encryptor = sm4::CfbEncryptor::new(&key, &iv);
/// let mut buffer = b"cipher feedback, in two calls".to_vec();
/// let (head, tail) = buffer.split_at_mut(7);
/// encryptor.encrypt(head);
/// encryptor.encrypt(tail);
/// assert_eq!(buffer, sm4::cfb_encrypt(&key, &iv, b"cipher feedback, in two calls"));
///
/// let mut decryptor = sm4::CfbDecryptor::new(&key, &iv);
/// decryptor.decrypt(&mut buffer);
/// assert_eq!(buffer, b"cipher feedback, in two calls");
/// ```
pub struct CfbEncryptor<'k> {
    inner: cfb_mode::BufEncryptor<&'k Cipher>,
}

impl<'k> CfbEncryptor<'k> {
    /// Starts encrypting with feedback register `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            inner: cfb_mode::BufEncryptor::inner_iv_init(key.cipher(), iv.into()),
        }
    }

    /// Encrypts the next `data.len()` bytes of the message in place.
    pub fn encrypt(&mut self, data: &mut [u8]) {
        self.inner.encrypt(data);
    }
}

impl core::fmt::Debug for CfbEncryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The feedback register holds unused keystream, which is secret.
        f.debug_struct("CfbEncryptor").finish_non_exhaustive()
    }
}

/// Streaming CFB128 decryption of successive buffers of any length; the inverse of
/// [`CfbEncryptor`].
pub struct CfbDecryptor<'k> {
    inner: cfb_mode::BufDecryptor<&'k Cipher>,
}

impl<'k> CfbDecryptor<'k> {
    /// Starts decrypting with feedback register `iv`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            inner: cfb_mode::BufDecryptor::inner_iv_init(key.cipher(), iv.into()),
        }
    }

    /// Decrypts the next `data.len()` bytes of the message in place.
    pub fn decrypt(&mut self, data: &mut [u8]) {
        self.inner.decrypt(data);
    }
}

impl core::fmt::Debug for CfbDecryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CfbDecryptor").finish_non_exhaustive()
    }
}

/// Encrypts `plaintext` in CFB128 mode under `iv`; see [`CfbEncryptor`].
pub fn cfb_encrypt(key: &Key, iv: &[u8; BLOCK_LEN], plaintext: &[u8]) -> Vec<u8> {
    let mut buffer = plaintext.to_vec();
    CfbEncryptor::new(key, iv).encrypt(&mut buffer);
    buffer
}

/// Decrypts a CFB128 `ciphertext` under `iv`; see [`CfbDecryptor`].
pub fn cfb_decrypt(key: &Key, iv: &[u8; BLOCK_LEN], ciphertext: &[u8]) -> Vec<u8> {
    let mut buffer = ciphertext.to_vec();
    CfbDecryptor::new(key, iv).decrypt(&mut buffer);
    buffer
}
