//! The personal-data envelope: the full values, SM4-GCM encrypted under the record's own
//! random data key, with the record id as associated data (GB/T 39786 §8.4 e; GB/T 35273
//! §6.3: sensitive personal information encrypted at rest).
//!
//! DER: `SEQUENCE { dataKeyId OCTET STRING (16), nonce OCTET STRING (12), ciphertext OCTET
//! STRING }` — the ciphertext is the DER of the personal data followed by the 16-byte tag.

use core::fmt;

use der::asn1::OctetString;
use rand_core::CryptoRng;
use serde::Serialize;

use super::Error;

/// Length of a data key id.
const DATA_KEY_ID_LEN: usize = 16;
/// Length of the GCM nonce.
const NONCE_LEN: usize = 12;

/// The random name of one record's data key, under which a vault keeps its wrapping.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataKeyId([u8; DATA_KEY_ID_LEN]);

impl DataKeyId {
    /// A fresh random id.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0; DATA_KEY_ID_LEN];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The id `bytes` (as read from storage).
    pub const fn from_bytes(bytes: [u8; DATA_KEY_ID_LEN]) -> Self {
        Self(bytes)
    }

    /// The id's bytes.
    pub const fn as_bytes(&self) -> &[u8; DATA_KEY_ID_LEN] {
        &self.0
    }
}

impl fmt::Display for DataKeyId {
    /// Lower-case hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for DataKeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKeyId({self})")
    }
}

impl Serialize for DataKeyId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Sealed personal data: which data key, the nonce, and the SM4-GCM ciphertext with its tag.
/// Made by [`PersonalDataVault::seal`](super::PersonalDataVault::seal) and opened by
/// [`PersonalDataVault::open`](super::PersonalDataVault::open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    data_key_id: DataKeyId,
    nonce: [u8; NONCE_LEN],
    ciphertext: Vec<u8>,
}

impl Envelope {
    pub(super) fn new(data_key_id: DataKeyId, nonce: [u8; NONCE_LEN], ciphertext: Vec<u8>) -> Self {
        Self {
            data_key_id,
            nonce,
            ciphertext,
        }
    }

    /// The id of the data key that sealed it.
    pub fn data_key_id(&self) -> &DataKeyId {
        &self.data_key_id
    }

    /// The GCM nonce.
    pub fn nonce(&self) -> &[u8; NONCE_LEN] {
        &self.nonce
    }

    /// The ciphertext followed by the 16-byte tag.
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// The DER encoding.
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        der::Encode::to_der(&EnvelopeDer::from_envelope(self)?).map_err(|error| Error::Der {
            structure: "Envelope",
            error,
        })
    }

    /// Reads the DER encoding.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        <EnvelopeDer as der::Decode>::from_der(bytes)
            .map_err(|error| Error::Der {
                structure: "Envelope",
                error,
            })?
            .into_envelope()
    }
}

/// The DER form of an [`Envelope`].
#[derive(der::Sequence)]
pub(super) struct EnvelopeDer {
    data_key_id: OctetString,
    nonce: OctetString,
    ciphertext: OctetString,
}

impl EnvelopeDer {
    pub(super) fn from_envelope(envelope: &Envelope) -> Result<Self, Error> {
        let octets = |bytes: &[u8]| {
            OctetString::new(bytes).map_err(|error| Error::Der {
                structure: "Envelope",
                error,
            })
        };
        Ok(Self {
            data_key_id: octets(&envelope.data_key_id.0)?,
            nonce: octets(&envelope.nonce)?,
            ciphertext: octets(&envelope.ciphertext)?,
        })
    }

    pub(super) fn into_envelope(self) -> Result<Envelope, Error> {
        let id = self.data_key_id.as_bytes();
        let data_key_id = id.try_into().map_err(|_| Error::WrongLength {
            field: "envelope data key id",
            len: id.len(),
            expected: DATA_KEY_ID_LEN,
        })?;
        let nonce = self.nonce.as_bytes();
        let nonce = nonce.try_into().map_err(|_| Error::WrongLength {
            field: "envelope nonce",
            len: nonce.len(),
            expected: NONCE_LEN,
        })?;
        Ok(Envelope {
            data_key_id: DataKeyId(data_key_id),
            nonce,
            ciphertext: self.ciphertext.into_bytes().into_vec(),
        })
    }
}
