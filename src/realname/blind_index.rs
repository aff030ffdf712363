//! Keyed blind indexes: HMAC-SM3(index key, normalised value), so records can be found by
//! an identifier without storing it (DOMAIN.md §2.2 "keyed digest of the ID for lookup").
//!
//! A plain SM3 of an ID number would be no protection: the number space is small enough to
//! enumerate. The index key turns it into a keyed digest that only its holder can compute.

use core::fmt;

use der::asn1::OctetString;
use serde::Serialize;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::{Error, PersonalData, PersonalField};
use crate::sm3;

/// The longest key name accepted, in bytes.
pub(super) const MAX_KEY_ID_LEN: usize = 64;

/// A secret HMAC-SM3 key for blind indexes, with a name so that indexes made under an old
/// key can be told apart after rotation. Wiped on drop; `Debug` shows only the name.
///
/// ```
/// use smtrust::realname::{IndexKey, PersonalField};
///
/// let key = IndexKey::new("idx-2026", [7; 32])?;
/// let index = key.index(PersonalField::IdNumber, "11010519491231002X");
/// assert!(key.matches(&index, "11010519491231002X"));
/// assert!(!key.matches(&index, "110105194912310029"));
/// assert_eq!(format!("{key:?}"), r#"IndexKey { id: "idx-2026", .. }"#);
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
pub struct IndexKey {
    id: String,
    key: [u8; 32],
}

impl IndexKey {
    /// The key `key` named `id` (1 to 64 bytes). The caller's copy of `key` is the caller's
    /// to wipe.
    pub fn new(id: &str, key: [u8; 32]) -> Result<Self, Error> {
        check_key_id(id)?;
        Ok(Self {
            id: id.to_owned(),
            key,
        })
    }

    /// The key's name.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The blind index of the normalised `value` of `field`:
    /// HMAC-SM3(index key, UTF-8 bytes of value).
    pub fn index(&self, field: PersonalField, value: &str) -> BlindIndex {
        BlindIndex {
            field,
            key_id: self.id.clone(),
            digest: sm3::hmac(&self.key, value.as_bytes()),
        }
    }

    /// Whether `index` was made by this key from `value`: same key name, and the digests
    /// compared in constant time.
    pub fn matches(&self, index: &BlindIndex, value: &str) -> bool {
        let digest = sm3::hmac(&self.key, value.as_bytes());
        index.key_id == self.id && bool::from(digest.ct_eq(&index.digest))
    }

    /// Blind indexes of every identifier `data` holds (ID number, mobile, card, bank-reserved
    /// phone; names are too common to index usefully).
    pub fn index_all(&self, data: &PersonalData) -> Vec<BlindIndex> {
        [
            PersonalField::IdNumber,
            PersonalField::Mobile,
            PersonalField::BankCard,
            PersonalField::BankReservedPhone,
        ]
        .into_iter()
        .filter_map(|field| data.field(field).map(|value| self.index(field, value)))
        .collect()
    }
}

impl fmt::Debug for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndexKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Drop for IndexKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl ZeroizeOnDrop for IndexKey {}

/// A blind index: which field, under which key, and the HMAC-SM3 digest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct BlindIndex {
    field: PersonalField,
    key_id: String,
    #[serde(serialize_with = "serialize_hex")]
    digest: sm3::Digest,
}

impl BlindIndex {
    /// The field indexed.
    pub fn field(&self) -> PersonalField {
        self.field
    }

    /// The name of the index key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The HMAC-SM3 digest: the value to store and look up by.
    pub fn digest(&self) -> &sm3::Digest {
        &self.digest
    }
}

fn serialize_hex<S: serde::Serializer>(digest: &sm3::Digest, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(digest))
}

pub(super) fn check_key_id(id: &str) -> Result<(), Error> {
    if id.is_empty() || id.len() > MAX_KEY_ID_LEN {
        return Err(Error::KeyIdLength { len: id.len() });
    }
    Ok(())
}

/// The DER form of a [`BlindIndex`]: `SEQUENCE { field ENUMERATED, keyId UTF8String,
/// digest OCTET STRING (32) }`.
#[derive(der::Sequence)]
pub(super) struct BlindIndexDer {
    field: PersonalField,
    key_id: String,
    digest: OctetString,
}

impl BlindIndexDer {
    pub(super) fn from_index(index: &BlindIndex) -> Result<Self, Error> {
        Ok(Self {
            field: index.field,
            key_id: index.key_id.clone(),
            digest: OctetString::new(index.digest.to_vec()).map_err(|error| Error::Der {
                structure: "BlindIndex",
                error,
            })?,
        })
    }

    pub(super) fn into_index(self) -> Result<BlindIndex, Error> {
        check_key_id(&self.key_id)?;
        let bytes = self.digest.as_bytes();
        let digest = bytes.try_into().map_err(|_| Error::WrongLength {
            field: "blind index digest",
            len: bytes.len(),
            expected: 32,
        })?;
        Ok(BlindIndex {
            field: self.field,
            key_id: self.key_id,
            digest,
        })
    }
}
