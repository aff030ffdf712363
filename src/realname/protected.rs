//! What a record keeps of a subject's personal data: masked values for display, blind
//! indexes for lookup, and the full values only inside the envelope (DOMAIN.md §2.2, §2.3).

use super::blind_index::BlindIndexDer;
use super::envelope::EnvelopeDer;
use super::{BlindIndex, Envelope, Error, MaskedIdentity};

/// The most blind indexes one record holds (one per indexed field and key, with room for a
/// key rotation).
const MAX_BLIND_INDEXES: usize = 16;

/// The protected form of a subject's personal data, made by
/// [`PersonalDataVault::protect`](super::PersonalDataVault::protect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedPersonalData {
    masked: MaskedIdentity,
    blind_indexes: Vec<BlindIndex>,
    envelope: Envelope,
}

impl ProtectedPersonalData {
    pub(super) fn new(
        masked: MaskedIdentity,
        blind_indexes: Vec<BlindIndex>,
        envelope: Envelope,
    ) -> Self {
        Self {
            masked,
            blind_indexes,
            envelope,
        }
    }

    /// The masked values.
    pub fn masked(&self) -> &MaskedIdentity {
        &self.masked
    }

    /// The blind indexes.
    pub fn blind_indexes(&self) -> &[BlindIndex] {
        &self.blind_indexes
    }

    /// The sealed full values.
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }
}

/// DER: `SEQUENCE { masked MaskedIdentity, blindIndexes SEQUENCE OF BlindIndex, envelope
/// Envelope }`.
#[derive(der::Sequence)]
pub(super) struct ProtectedDer {
    masked: MaskedIdentity,
    blind_indexes: Vec<BlindIndexDer>,
    envelope: EnvelopeDer,
}

impl ProtectedDer {
    pub(super) fn from_protected(protected: &ProtectedPersonalData) -> Result<Self, Error> {
        Ok(Self {
            masked: protected.masked.clone(),
            blind_indexes: protected
                .blind_indexes
                .iter()
                .map(BlindIndexDer::from_index)
                .collect::<Result<_, _>>()?,
            envelope: EnvelopeDer::from_envelope(&protected.envelope)?,
        })
    }

    pub(super) fn into_protected(self) -> Result<ProtectedPersonalData, Error> {
        if self.blind_indexes.len() > MAX_BLIND_INDEXES {
            return Err(Error::TooManyEntries {
                field: "blind indexes",
                count: self.blind_indexes.len(),
                max: MAX_BLIND_INDEXES,
            });
        }
        Ok(ProtectedPersonalData {
            masked: self.masked,
            blind_indexes: self
                .blind_indexes
                .into_iter()
                .map(BlindIndexDer::into_index)
                .collect::<Result<_, _>>()?,
            envelope: self.envelope.into_envelope()?,
        })
    }
}
