//! Key custody for personal-data envelopes: a random 16-byte data key per record, wrapped
//! by a named key-encryption key (KEK) that a [`KeyProvider`] holds — a local key file by
//! default, an HSM or a KMS in a level-3 deployment (GB/T 39786 §8.4 e, DOMAIN.md §4).

use core::fmt;

use der::asn1::OctetString;
use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Error;
use crate::sm4;

/// Length of a data key: one SM4 key.
pub const DATA_KEY_LEN: usize = 16;

/// A record's data key: the SM4 key of its envelope. Wiped on drop; `Debug` prints nothing
/// of it; there is no `Clone`.
pub struct DataKey([u8; DATA_KEY_LEN]);

impl DataKey {
    /// A fresh random data key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0; DATA_KEY_LEN];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Takes `bytes` as a data key (for providers that unwrap into a buffer). The caller's
    /// copy is the caller's to wipe.
    pub fn from_bytes(bytes: [u8; DATA_KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The key bytes, for a provider to wrap. Handle with care: this is the secret.
    pub fn as_bytes_less_safe(&self) -> &[u8; DATA_KEY_LEN] {
        &self.0
    }

    /// The SM4 key.
    pub(super) fn sm4_key(&self) -> sm4::Key {
        sm4::Key::new(self.0)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataKey").finish_non_exhaustive()
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for DataKey {}

/// A data key wrapped by a key-encryption key: the KEK's name and the provider's opaque
/// wrapping. Safe to store beside the records; deleting it destroys the data key.
///
/// DER: `SEQUENCE { kekId UTF8String, wrapped OCTET STRING }`.
#[derive(Debug, Clone, PartialEq, Eq, der::Sequence)]
pub struct WrappedKey {
    kek_id: String,
    wrapped: OctetString,
}

impl WrappedKey {
    /// A wrapping made by the KEK named `kek_id`.
    pub fn new(kek_id: &str, wrapped: Vec<u8>) -> Result<Self, Error> {
        super::blind_index::check_key_id(kek_id)?;
        let wrapped = OctetString::new(wrapped).map_err(|error| Error::Der {
            structure: "WrappedKey",
            error,
        })?;
        Ok(Self {
            kek_id: kek_id.to_owned(),
            wrapped,
        })
    }

    /// The name of the KEK that wrapped the key.
    pub fn kek_id(&self) -> &str {
        &self.kek_id
    }

    /// The provider's wrapping of the data key.
    pub fn wrapped(&self) -> &[u8] {
        self.wrapped.as_bytes()
    }

    /// The DER encoding, for storage.
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        der::Encode::to_der(self).map_err(|error| Error::Der {
            structure: "WrappedKey",
            error,
        })
    }

    /// Reads the DER encoding.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        let key = <Self as der::Decode>::from_der(bytes).map_err(|error| Error::Der {
            structure: "WrappedKey",
            error,
        })?;
        super::blind_index::check_key_id(&key.kek_id)?;
        Ok(key)
    }
}

/// Wraps and unwraps data keys with named key-encryption keys.
///
/// `context` is bound into the wrapping (as associated data or its equivalent): a wrapped
/// key unwraps only with the context it was wrapped under. The vault passes the data key's
/// id, so a wrapping cannot be moved to another key slot.
///
/// Implementations must fail with [`Error::UnknownKek`] for a KEK they do not hold and with
/// [`Error::UnwrapFailed`] for anything that does not unwrap, saying no more.
pub trait KeyProvider {
    /// Wraps `data_key` under the KEK named `kek_id`.
    fn wrap(
        &self,
        kek_id: &str,
        data_key: &DataKey,
        context: &[u8],
        rng: &mut dyn CryptoRng,
    ) -> Result<WrappedKey, Error>;

    /// Unwraps `wrapped` with the KEK it names.
    fn unwrap(&self, wrapped: &WrappedKey, context: &[u8]) -> Result<DataKey, Error>;
}
