//! ECB, the electronic codebook mode (GB/T 17964-2021 §5, NIST SP 800-38A §6.1).
//!
//! Every block is enciphered on its own, so equal plaintext blocks give equal ciphertext
//! blocks. ECB is here for interoperability and for known-answer tests; do not use it to
//! protect data.

use zeroize::Zeroizing;

use super::block_stream::{BlockMode, Decrypting, Encrypting};
use super::cipher::Cipher;
use super::{BLOCK_LEN, Error, Key, Padding};

/// Encrypts `plaintext` in ECB mode, padding it as `padding` says.
///
/// With [`Padding::None`] the plaintext must be a whole number of 16-byte blocks.
///
/// ```
/// use smtrust::sm4::{self, Padding};
///
/// let key = sm4::Key::new([0x11; 16]);
/// let ciphertext = sm4::ecb_encrypt(&key, Padding::Pkcs7, b"fifteen bytes!!")?;
/// assert_eq!(ciphertext.len(), 16);
/// assert_eq!(sm4::ecb_decrypt(&key, Padding::Pkcs7, &ciphertext)?, b"fifteen bytes!!");
/// # Ok::<(), smtrust::sm4::Error>(())
/// ```
pub fn ecb_encrypt(key: &Key, padding: Padding, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut buffer = padding.pad(plaintext)?;
    ecb_encrypt_blocks(key, &mut buffer)?;
    Ok(buffer)
}

/// Decrypts an ECB `ciphertext` and removes the padding `padding` names.
///
/// The ciphertext must be a whole number of blocks ([`Error::CiphertextNotBlockAligned`]);
/// with [`Padding::Pkcs7`] a bad pad gives [`Error::BadPadding`]. On error the decrypted
/// bytes are wiped.
pub fn ecb_decrypt(key: &Key, padding: Padding, ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    ecb_decrypt_blocks(key, &mut buffer)?;
    let len = padding.unpadded_len(&buffer)?;
    buffer.truncate(len);
    Ok(core::mem::take(&mut *buffer))
}

/// Encrypts whole blocks in place in ECB mode. `data` must be a whole number of 16-byte
/// blocks ([`Error::PlaintextNotBlockAligned`] otherwise, and `data` is left unchanged).
pub fn ecb_encrypt_blocks(key: &Key, data: &mut [u8]) -> Result<(), Error> {
    if !data.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::PlaintextNotBlockAligned { len: data.len() });
    }
    let (blocks, _) = data.as_chunks_mut::<BLOCK_LEN>();
    key.cipher().encrypt_blocks(blocks);
    Ok(())
}

/// Decrypts whole blocks in place in ECB mode, removing no padding. `data` must be a whole
/// number of 16-byte blocks ([`Error::CiphertextNotBlockAligned`] otherwise, and `data` is
/// left unchanged).
pub fn ecb_decrypt_blocks(key: &Key, data: &mut [u8]) -> Result<(), Error> {
    if !data.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::CiphertextNotBlockAligned { len: data.len() });
    }
    let (blocks, _) = data.as_chunks_mut::<BLOCK_LEN>();
    key.cipher().decrypt_blocks(blocks);
    Ok(())
}

/// Streaming ECB encryption: feed the plaintext in pieces of any length with
/// [`update`](Self::update), then [`finish`](Self::finish) pads (or checks alignment) and
/// writes the last block.
///
/// ```
/// use smtrust::sm4::{self, Padding};
///
/// let key = sm4::Key::new([0x12; 16]);
/// let mut ciphertext = Vec::new();
/// let mut encryptor = sm4::EcbEncryptor::new(&key, Padding::Pkcs7);
/// encryptor.update(b"first piece, ", &mut ciphertext);
/// encryptor.update(b"second piece", &mut ciphertext);
/// encryptor.finish(&mut ciphertext)?;
/// assert_eq!(
///     ciphertext,
///     sm4::ecb_encrypt(&key, Padding::Pkcs7, b"first piece, second piece")?
/// );
/// # Ok::<(), sm4::Error>(())
/// ```
pub struct EcbEncryptor<'k> {
    inner: Encrypting<EcbEncrypt<'k>>,
}

impl<'k> EcbEncryptor<'k> {
    /// Starts encrypting under `key` with `padding`.
    pub fn new(key: &'k Key, padding: Padding) -> Self {
        Self {
            inner: Encrypting::new(EcbEncrypt(key.cipher()), padding),
        }
    }

    /// Encrypts the next piece of plaintext, appending every completed ciphertext block to
    /// `output`; a partial block waits for the next call.
    pub fn update(&mut self, plaintext: &[u8], output: &mut Vec<u8>) {
        self.inner.update(plaintext, output);
    }

    /// Pads and encrypts what is left. With [`Padding::None`] a partial block left over is
    /// [`Error::PlaintextNotBlockAligned`] with the total length.
    pub fn finish(self, output: &mut Vec<u8>) -> Result<(), Error> {
        self.inner.finish(output)
    }
}

impl core::fmt::Debug for EcbEncryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Buffered plaintext is secret.
        f.debug_struct("EcbEncryptor").finish_non_exhaustive()
    }
}

/// Streaming ECB decryption: the inverse of [`EcbEncryptor`]. The last block is held back
/// until [`finish`](Self::finish), which checks and removes the padding.
///
/// Plaintext released by [`update`](Self::update) has not had its padding checked yet; a
/// caller that must not act on data from a corrupt stream should wait for `finish`.
pub struct EcbDecryptor<'k> {
    inner: Decrypting<EcbDecrypt<'k>>,
}

impl<'k> EcbDecryptor<'k> {
    /// Starts decrypting under `key`, expecting `padding`.
    pub fn new(key: &'k Key, padding: Padding) -> Self {
        Self {
            inner: Decrypting::new(EcbDecrypt(key.cipher()), padding),
        }
    }

    /// Decrypts the next piece of ciphertext, appending plaintext to `output` for every block
    /// that is certainly not the last.
    pub fn update(&mut self, ciphertext: &[u8], output: &mut Vec<u8>) {
        self.inner.update(ciphertext, output);
    }

    /// Decrypts the last block and removes the padding: [`Error::CiphertextNotBlockAligned`]
    /// with the total length if the ciphertext was not whole blocks, [`Error::BadPadding`]
    /// if the padding is wrong.
    pub fn finish(self, output: &mut Vec<u8>) -> Result<(), Error> {
        self.inner.finish(output)
    }
}

impl core::fmt::Debug for EcbDecryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EcbDecryptor").finish_non_exhaustive()
    }
}

/// ECB encryption for the streaming encryptor: every block on its own.
struct EcbEncrypt<'k>(&'k Cipher);

impl BlockMode for EcbEncrypt<'_> {
    fn process(&mut self, blocks: &mut [[u8; BLOCK_LEN]]) {
        self.0.encrypt_blocks(blocks);
    }
}

/// ECB decryption for the streaming decryptor.
struct EcbDecrypt<'k>(&'k Cipher);

impl BlockMode for EcbDecrypt<'_> {
    fn process(&mut self, blocks: &mut [[u8; BLOCK_LEN]]) {
        self.0.decrypt_blocks(blocks);
    }
}
