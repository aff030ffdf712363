//! The vault: seals personal data under per-record data keys, opens it again, and destroys
//! data keys (crypto-shredding).
//!
//! Each record gets its own random SM4 data key. The vault keeps only the data key wrapped by
//! the provider's key-encryption key, under a random [`DataKeyId`] that the record's envelope
//! names. Deleting that wrapping ([`PersonalDataVault::shred`]) makes the envelope's personal
//! data unrecoverable, while the record — masked values, blind indexes, the envelope bytes
//! and the institution's signature over them — stays intact and verifiable.

use std::collections::{BTreeMap, BTreeSet};

use rand_core::CryptoRng;

use super::{
    DataKey, DataKeyId, Envelope, Error, IndexKey, KeyProvider, MaskPolicy, PersonalData,
    ProtectedPersonalData, WrappedKey,
};
use crate::sm4::{self, Nonce};

/// Seals, opens and shreds personal data with one [`KeyProvider`].
///
/// The wrapped keys live in memory here; a deployment persists them with
/// [`PersonalDataVault::wrapped_keys`] (they are safe to store: each is encrypted under the
/// KEK) and loads them back with [`PersonalDataVault::insert_wrapped_key`]. Shredding must
/// delete the stored copy too.
///
/// ```
/// use rand_core::SeedableRng;
/// use smtrust::realname::{Error, LocalKeyFile, PersonalData, PersonalDataVault};
///
/// let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
/// let provider = LocalKeyFile::from_kek_bytes("kek-1", [0x42; 16])?;
/// let mut vault = PersonalDataVault::new(provider, "kek-1")?;
///
/// let envelope = vault.seal("R-0001", &PersonalData::new().with_name("张三"), &mut rng)?;
/// let opened = vault.open("R-0001", &envelope)?;
/// assert_eq!(opened.field(smtrust::realname::PersonalField::Name), Some("张三"));
///
/// vault.shred(envelope.data_key_id())?;
/// assert_eq!(
///     vault.open("R-0001", &envelope).unwrap_err(),
///     Error::DataKeyShredded { id: *envelope.data_key_id() }
/// );
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug)]
pub struct PersonalDataVault<P: KeyProvider> {
    provider: P,
    kek_id: String,
    keys: BTreeMap<DataKeyId, WrappedKey>,
    shredded: BTreeSet<DataKeyId>,
}

impl<P: KeyProvider> PersonalDataVault<P> {
    /// A vault that wraps new data keys under the provider's KEK `kek_id`.
    pub fn new(provider: P, kek_id: &str) -> Result<Self, Error> {
        super::blind_index::check_key_id(kek_id)?;
        Ok(Self {
            provider,
            kek_id: kek_id.to_owned(),
            keys: BTreeMap::new(),
            shredded: BTreeSet::new(),
        })
    }

    /// Seals `data` for the record `record_id` under a fresh data key.
    pub fn seal<R: CryptoRng>(
        &mut self,
        record_id: &str,
        data: &PersonalData,
        rng: &mut R,
    ) -> Result<Envelope, Error> {
        if data.is_empty() {
            return Err(Error::EmptyPersonalData);
        }
        let id = self.fresh_id(rng);
        let data_key = DataKey::generate(rng);
        let wrapped = self
            .provider
            .wrap(&self.kek_id, &data_key, id.as_bytes(), rng)?;
        let plaintext = data.to_der_zeroizing()?;
        let nonce = Nonce::generate(rng).map_err(|_| Error::WrapFailed {
            kek_id: self.kek_id.clone(),
        })?;
        let nonce_bytes = *nonce.as_bytes();
        let ciphertext =
            sm4::gcm_seal(&data_key.sm4_key(), nonce, record_id.as_bytes(), &plaintext).map_err(
                |_| Error::WrapFailed {
                    kek_id: self.kek_id.clone(),
                },
            )?;
        self.keys.insert(id, wrapped);
        Ok(Envelope::new(id, nonce_bytes, ciphertext))
    }

    /// Seals `data` and derives what a record keeps beside the envelope: the values masked
    /// under `mask` and the blind indexes under `index_key`.
    pub fn protect<R: CryptoRng>(
        &mut self,
        record_id: &str,
        data: &PersonalData,
        mask: &MaskPolicy,
        index_key: &IndexKey,
        rng: &mut R,
    ) -> Result<ProtectedPersonalData, Error> {
        let envelope = self.seal(record_id, data, rng)?;
        Ok(ProtectedPersonalData::new(
            data.masked(mask),
            index_key.index_all(data),
            envelope,
        ))
    }

    /// Opens the envelope of the record `record_id`.
    pub fn open(&self, record_id: &str, envelope: &Envelope) -> Result<PersonalData, Error> {
        let id = envelope.data_key_id();
        let wrapped = self.keys.get(id).ok_or_else(|| self.missing(id))?;
        let data_key = self.provider.unwrap(wrapped, id.as_bytes())?;
        let nonce = Nonce::assume_unique_for_key(*envelope.nonce());
        let failed = || Error::EnvelopeOpenFailed {
            record_id: record_id.to_owned(),
        };
        let plaintext = zeroize::Zeroizing::new(
            sm4::gcm_open(
                &data_key.sm4_key(),
                nonce,
                record_id.as_bytes(),
                envelope.ciphertext(),
            )
            .map_err(|_| failed())?,
        );
        PersonalData::from_der_bytes(&plaintext)
    }

    /// Destroys the data key `id`: every envelope sealed under it can no longer be opened.
    pub fn shred(&mut self, id: &DataKeyId) -> Result<(), Error> {
        match self.keys.remove(id) {
            Some(_) => {
                self.shredded.insert(*id);
                Ok(())
            }
            None => Err(self.missing(id)),
        }
    }

    /// The wrapped data keys, for persistence.
    pub fn wrapped_keys(&self) -> impl Iterator<Item = (&DataKeyId, &WrappedKey)> {
        self.keys.iter()
    }

    /// The ids of shredded data keys, for persistence (so that a later `open` says
    /// "shredded" rather than "unknown").
    pub fn shredded_ids(&self) -> impl Iterator<Item = &DataKeyId> {
        self.shredded.iter()
    }

    /// Loads a wrapped data key from storage.
    pub fn insert_wrapped_key(&mut self, id: DataKeyId, wrapped: WrappedKey) -> Result<(), Error> {
        if self.shredded.contains(&id) {
            return Err(Error::DataKeyShredded { id });
        }
        if self.keys.contains_key(&id) {
            return Err(Error::DuplicateDataKey { id });
        }
        self.keys.insert(id, wrapped);
        Ok(())
    }

    /// Loads the id of a shredded data key from storage.
    pub fn insert_shredded_id(&mut self, id: DataKeyId) -> Result<(), Error> {
        if self.keys.contains_key(&id) {
            return Err(Error::DuplicateDataKey { id });
        }
        self.shredded.insert(id);
        Ok(())
    }

    /// The key provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    fn missing(&self, id: &DataKeyId) -> Error {
        if self.shredded.contains(id) {
            Error::DataKeyShredded { id: *id }
        } else {
            Error::UnknownDataKey { id: *id }
        }
    }

    /// A random id not in use and never shredded (a 128-bit collision is not expected; the
    /// loop only makes the uniqueness certain).
    fn fresh_id<R: CryptoRng>(&self, rng: &mut R) -> DataKeyId {
        loop {
            let id = DataKeyId::generate(rng);
            if !self.keys.contains_key(&id) && !self.shredded.contains(&id) {
                return id;
            }
        }
    }
}
