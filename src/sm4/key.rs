//! The SM4 key and the single-block cipher (GB/T 32907-2016 §6–§7).

use zeroize::Zeroize;

use super::cipher::{Cipher, Core};
use super::hash_key::{Backend, HashKey};
use super::{BLOCK_LEN, Error, KEY_LEN};

/// An SM4 key with its expanded round keys (GB/T 32907-2016 §7.3).
///
/// The round keys are wiped when the key is dropped, and `Debug` prints no key material.
/// There is deliberately no way to read the key bytes back.
///
/// ```
/// use smtrust::sm4;
///
/// // GB/T 32907-2016 Appendix A, example 1: one block encrypted once.
/// let key = sm4::Key::from_slice(&hex::decode("0123456789abcdeffedcba9876543210")?)?;
/// let mut block: [u8; 16] = hex::decode("0123456789abcdeffedcba9876543210")?
///     .try_into()
///     .map_err(|_| "not 16 bytes")?;
/// key.encrypt_block(&mut block);
/// assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
/// key.decrypt_block(&mut block);
/// assert_eq!(hex::encode(block), "0123456789abcdeffedcba9876543210");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Key {
    cipher: Cipher,
    /// GCM's hash subkey H = E(0^128) (NIST SP 800-38D §7.1 step 1), in the form the GHASH
    /// backend takes (powers of H), computed once per key and wiped on drop. `Cipher` is a
    /// whole number of 16-byte units, so this 16-byte-aligned field leaves no padding.
    hash_key: HashKey,
}

// No padding in `Key`: every byte of it belongs to a field that is wiped on drop, so a move
// cannot leave bytes of the key schedule in padding that no drop reaches.
const _: () = assert!(
    size_of::<Key>() == size_of::<Cipher>() + size_of::<HashKey>()
        && size_of::<Cipher>() == Cipher::UNPADDED_SIZE
        && size_of::<HashKey>() == HashKey::UNPADDED_SIZE
);

impl Key {
    /// Expands `bytes` into a key. The caller's copy of `bytes` is the caller's to wipe.
    pub fn new(bytes: [u8; KEY_LEN]) -> Self {
        Self::with_core(bytes, Core::detect())
    }

    /// Expands `bytes` into a key that enciphers with `core`.
    pub(super) fn with_core(bytes: [u8; KEY_LEN], core: Core) -> Self {
        Self::with_backends(bytes, core, Backend::detect())
    }

    /// Expands `bytes` into a key that enciphers with `core` and hashes with `backend`.
    pub(super) fn with_backends(mut bytes: [u8; KEY_LEN], core: Core, backend: Backend) -> Self {
        let cipher = Cipher::new(&bytes, core);
        bytes.zeroize();
        let mut hash_subkey = [0; BLOCK_LEN];
        cipher.encrypt_block(&mut hash_subkey);
        let hash_key = HashKey::new(&hash_subkey, backend);
        hash_subkey.zeroize();
        Self { cipher, hash_key }
    }

    /// Expands a key given as a slice, which must be exactly 16 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let mut array: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| Error::InvalidKeyLength { len: bytes.len() })?;
        let key = Self::new(array);
        array.zeroize();
        Ok(key)
    }

    /// Encrypts one 16-byte block in place (GB/T 32907-2016 §7.1).
    pub fn encrypt_block(&self, block: &mut [u8; BLOCK_LEN]) {
        self.cipher.encrypt_block(block);
    }

    /// Decrypts one 16-byte block in place (GB/T 32907-2016 §7.2).
    pub fn decrypt_block(&self, block: &mut [u8; BLOCK_LEN]) {
        self.cipher.decrypt_block(block);
    }

    /// The block cipher the modes are built on.
    pub(super) fn cipher(&self) -> &Cipher {
        &self.cipher
    }

    /// GCM's hash subkey, for GHASH.
    pub(super) fn hash_key(&self) -> &HashKey {
        &self.hash_key
    }
}

impl TryFrom<&[u8]> for Key {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice(bytes)
    }
}

impl From<[u8; KEY_LEN]> for Key {
    fn from(bytes: [u8; KEY_LEN]) -> Self {
        Self::new(bytes)
    }
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Key").finish_non_exhaustive()
    }
}

// `Cipher` wipes its round keys and `HashKey` its powers of H when they drop.
impl zeroize::ZeroizeOnDrop for Key {}
