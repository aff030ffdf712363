//! ECB, the electronic codebook mode (GB/T 17964-2021 §5, NIST SP 800-38A §6.1).
//!
//! Every block is enciphered on its own, so equal plaintext blocks give equal ciphertext
//! blocks. ECB is here for interoperability and for known-answer tests; do not use it to
//! protect data.

use cipher::{Array, BlockCipherDecrypt, BlockCipherEncrypt};
use zeroize::Zeroizing;

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
    if data.len() % BLOCK_LEN != 0 {
        return Err(Error::PlaintextNotBlockAligned { len: data.len() });
    }
    let (blocks, _) = Array::slice_as_chunks_mut(data);
    key.cipher().encrypt_blocks(blocks);
    Ok(())
}

/// Decrypts whole blocks in place in ECB mode, removing no padding. `data` must be a whole
/// number of 16-byte blocks ([`Error::CiphertextNotBlockAligned`] otherwise, and `data` is
/// left unchanged).
pub fn ecb_decrypt_blocks(key: &Key, data: &mut [u8]) -> Result<(), Error> {
    if data.len() % BLOCK_LEN != 0 {
        return Err(Error::CiphertextNotBlockAligned { len: data.len() });
    }
    let (blocks, _) = Array::slice_as_chunks_mut(data);
    key.cipher().decrypt_blocks(blocks);
    Ok(())
}
