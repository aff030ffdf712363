//! CBC, the cipher block chaining mode (GB/T 17964-2021 §6, NIST SP 800-38A §6.2).

use cipher::{Array, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit};
use zeroize::Zeroizing;

use super::{BLOCK_LEN, Error, Key, Padding};

/// Encrypts `plaintext` in CBC mode under the 16-byte `iv`, padding it as `padding` says.
///
/// The IV must be unpredictable to an attacker (NIST SP 800-38A Appendix C); a fresh random
/// IV per message is the usual choice. With [`Padding::None`] the plaintext must be a whole
/// number of blocks.
///
/// ```
/// use smtrust::sm4::{self, Padding};
///
/// let key = sm4::Key::new([0x22; 16]);
/// let iv = [0x33; 16];
/// let ciphertext = sm4::cbc_encrypt(&key, &iv, Padding::Pkcs7, b"attack at dawn")?;
/// assert_eq!(sm4::cbc_decrypt(&key, &iv, Padding::Pkcs7, &ciphertext)?, b"attack at dawn");
///
/// // A ciphertext that is not a whole number of blocks is refused before decryption.
/// assert_eq!(
///     sm4::cbc_decrypt(&key, &iv, Padding::Pkcs7, &ciphertext[..15]),
///     Err(sm4::Error::CiphertextNotBlockAligned { len: 15 })
/// );
/// # Ok::<(), smtrust::sm4::Error>(())
/// ```
pub fn cbc_encrypt(
    key: &Key,
    iv: &[u8; BLOCK_LEN],
    padding: Padding,
    plaintext: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut buffer = padding.pad(plaintext)?;
    let (blocks, _) = Array::slice_as_chunks_mut(&mut buffer);
    cbc::Encryptor::inner_iv_init(key.cipher(), iv.into()).encrypt_blocks(blocks);
    Ok(buffer)
}

/// Decrypts a CBC `ciphertext` under `iv` and removes the padding `padding` names.
///
/// The ciphertext must be a whole number of blocks ([`Error::CiphertextNotBlockAligned`]);
/// with [`Padding::Pkcs7`] a bad pad gives [`Error::BadPadding`], whichever byte is wrong.
/// On error the decrypted bytes are wiped.
///
/// CBC with padding is malleable and, if a caller reveals whether padding was valid, open to
/// padding-oracle attacks; prefer [`gcm_seal`](super::gcm_seal) for new designs.
pub fn cbc_decrypt(
    key: &Key,
    iv: &[u8; BLOCK_LEN],
    padding: Padding,
    ciphertext: &[u8],
) -> Result<Vec<u8>, Error> {
    if ciphertext.len() % BLOCK_LEN != 0 {
        return Err(Error::CiphertextNotBlockAligned {
            len: ciphertext.len(),
        });
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let (blocks, _) = Array::slice_as_chunks_mut(&mut buffer);
    cbc::Decryptor::inner_iv_init(key.cipher(), iv.into()).decrypt_blocks(blocks);
    let len = padding.unpadded_len(&buffer)?;
    buffer.truncate(len);
    Ok(core::mem::take(&mut *buffer))
}
