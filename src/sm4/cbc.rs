//! CBC, the cipher block chaining mode (GB/T 17964-2021 §6, NIST SP 800-38A §6.2).

use zeroize::Zeroizing;

use super::block_stream::{BlockMode, Decrypting, Encrypting};
use super::cipher::Cipher;
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
    let (blocks, _) = buffer.as_chunks_mut::<BLOCK_LEN>();
    CbcEncrypt::new(key, iv).process(blocks);
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
    if !ciphertext.len().is_multiple_of(BLOCK_LEN) {
        return Err(Error::CiphertextNotBlockAligned {
            len: ciphertext.len(),
        });
    }
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    let (blocks, _) = buffer.as_chunks_mut::<BLOCK_LEN>();
    CbcDecrypt::new(key, iv).process(blocks);
    let len = padding.unpadded_len(&buffer)?;
    buffer.truncate(len);
    Ok(core::mem::take(&mut *buffer))
}

/// Streaming CBC encryption: feed the plaintext in pieces of any length with
/// [`update`](Self::update), then [`finish`](Self::finish) pads (or checks alignment) and
/// writes the last block.
///
/// ```
/// use smtrust::sm4::{self, Padding};
///
/// let key = sm4::Key::new([0x13; 16]);
/// let iv = [0x31; 16];
/// let mut ciphertext = Vec::new();
/// let mut encryptor = sm4::CbcEncryptor::new(&key, &iv, Padding::Pkcs7);
/// for piece in [&b"a large file, "[..], b"read ", b"in chunks"] {
///     encryptor.update(piece, &mut ciphertext);
/// }
/// encryptor.finish(&mut ciphertext)?;
///
/// let mut plaintext = Vec::new();
/// let mut decryptor = sm4::CbcDecryptor::new(&key, &iv, Padding::Pkcs7);
/// for piece in ciphertext.chunks(7) {
///     decryptor.update(piece, &mut plaintext);
/// }
/// decryptor.finish(&mut plaintext)?;
/// assert_eq!(plaintext, b"a large file, read in chunks");
/// # Ok::<(), sm4::Error>(())
/// ```
pub struct CbcEncryptor<'k> {
    inner: Encrypting<CbcEncrypt<'k>>,
}

impl<'k> CbcEncryptor<'k> {
    /// Starts encrypting under `key` and `iv` with `padding`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN], padding: Padding) -> Self {
        Self {
            inner: Encrypting::new(CbcEncrypt::new(key, iv), padding),
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

impl core::fmt::Debug for CbcEncryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Buffered plaintext is secret.
        f.debug_struct("CbcEncryptor").finish_non_exhaustive()
    }
}

/// Streaming CBC decryption: the inverse of [`CbcEncryptor`]. The last block is held back
/// until [`finish`](Self::finish), which checks and removes the padding.
///
/// Plaintext released by [`update`](Self::update) has not had its padding checked yet; a
/// caller that must not act on data from a corrupt stream should wait for `finish`.
pub struct CbcDecryptor<'k> {
    inner: Decrypting<CbcDecrypt<'k>>,
}

impl<'k> CbcDecryptor<'k> {
    /// Starts decrypting under `key` and `iv`, expecting `padding`.
    pub fn new(key: &'k Key, iv: &[u8; BLOCK_LEN], padding: Padding) -> Self {
        Self {
            inner: Decrypting::new(CbcDecrypt::new(key, iv), padding),
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

impl core::fmt::Debug for CbcDecryptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CbcDecryptor").finish_non_exhaustive()
    }
}

/// CBC encryption's chain: C_i = E(P_i ⊕ C_{i−1}), one block after the other.
struct CbcEncrypt<'k> {
    cipher: &'k Cipher,
    /// The last ciphertext block, or the IV.
    previous: [u8; BLOCK_LEN],
}

impl<'k> CbcEncrypt<'k> {
    fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            cipher: key.cipher(),
            previous: *iv,
        }
    }
}

impl BlockMode for CbcEncrypt<'_> {
    fn process(&mut self, blocks: &mut [[u8; BLOCK_LEN]]) {
        for block in blocks {
            *block = xor(block, &self.previous);
            self.cipher.encrypt_block(block);
            self.previous = *block;
        }
    }
}

/// CBC decryption's chain: P_i = D(C_i) ⊕ C_{i−1}, where every D(C_i) is independent, so
/// they are deciphered a batch at a time.
struct CbcDecrypt<'k> {
    cipher: &'k Cipher,
    /// The last ciphertext block, or the IV.
    previous: [u8; BLOCK_LEN],
}

impl<'k> CbcDecrypt<'k> {
    fn new(key: &'k Key, iv: &[u8; BLOCK_LEN]) -> Self {
        Self {
            cipher: key.cipher(),
            previous: *iv,
        }
    }
}

/// Ciphertext blocks deciphered together; their copy is kept for the XOR that follows.
const DECRYPT_BATCH: usize = 64;

impl BlockMode for CbcDecrypt<'_> {
    fn process(&mut self, blocks: &mut [[u8; BLOCK_LEN]]) {
        let mut ciphertext = [[0; BLOCK_LEN]; DECRYPT_BATCH];
        for batch in blocks.chunks_mut(DECRYPT_BATCH) {
            let (saved, _) = ciphertext.split_at_mut(batch.len());
            saved.copy_from_slice(batch);
            self.cipher.decrypt_blocks(batch);
            for (block, previous) in batch
                .iter_mut()
                .zip(core::iter::once(&self.previous).chain(&*saved))
            {
                *block = xor(block, previous);
            }
            if let Some(last) = saved.last() {
                self.previous = *last;
            }
        }
    }
}

fn xor(a: &[u8; BLOCK_LEN], b: &[u8; BLOCK_LEN]) -> [u8; BLOCK_LEN] {
    (u128::from_ne_bytes(*a) ^ u128::from_ne_bytes(*b)).to_ne_bytes()
}
