//! The 12-byte nonce of SM4-GCM and SM4-CCM (RFC 8998 §3.1, §3.2).

use rand_core::TryCryptoRng;

use super::{Error, NONCE_LEN};

/// A GCM or CCM nonce, which must never be used twice under one key.
///
/// A `Nonce` is neither `Clone` nor `Copy`, and every seal and open consumes one, so a
/// single value cannot be reused by accident. Making two `Nonce`s from the same bytes is the
/// caller's explicit promise (hence the name of [`Nonce::assume_unique_for_key`]); a repeated
/// GCM nonce reveals the XOR of the two plaintexts and lets an attacker forge tags.
///
/// ```
/// use smtrust::sm4::Nonce;
///
/// let nonce = Nonce::assume_unique_for_key([0; 12]);
/// assert_eq!(nonce.as_bytes(), &[0; 12]);
/// assert_eq!(
///     Nonce::try_assume_unique_for_key(&[0; 16]).unwrap_err(),
///     smtrust::sm4::Error::InvalidNonceLength { len: 16 }
/// );
/// ```
#[derive(Debug, PartialEq, Eq)]
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
    /// Takes `bytes` as a nonce; the caller promises they were never used with this key.
    pub fn assume_unique_for_key(bytes: [u8; NONCE_LEN]) -> Self {
        Self(bytes)
    }

    /// Takes a 12-byte slice as a nonce, like [`Nonce::assume_unique_for_key`].
    pub fn try_assume_unique_for_key(bytes: &[u8]) -> Result<Self, Error> {
        let array = bytes
            .try_into()
            .map_err(|_| Error::InvalidNonceLength { len: bytes.len() })?;
        Ok(Self(array))
    }

    /// Draws a random nonce from `rng`. With random 96-bit nonces, keep the number of messages
    /// per key well below 2^32 (NIST SP 800-38D §8.3).
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Error> {
        let mut bytes = [0; NONCE_LEN];
        rng.try_fill_bytes(&mut bytes).map_err(|_| Error::Rng)?;
        Ok(Self(bytes))
    }

    /// The nonce bytes, to be sent along with the ciphertext.
    pub fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.0
    }
}
