//! Everything about one serial, proved against one signed checkpoint.

use std::time::SystemTime;

use super::chain::check_chain;
use super::entry::check_serial;
use super::{
    Actor, Entry, EntryKind, Error, Hash, SM3, Store, VerifiedCheckpoint, check_inclusion,
    prove_inclusion,
};
use crate::tsp::TimeStampToken;

/// One entry with its leaf index and its inclusion proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvenEntry {
    index: u64,
    der: Vec<u8>,
    entry: Entry,
    proof: Vec<Hash>,
}

impl ProvenEntry {
    /// Checks `der` is leaf `index` of the checkpoint's tree with `proof`, and is an entry
    /// about `serial`.
    pub(super) fn check(
        checkpoint: &VerifiedCheckpoint,
        serial: &str,
        index: u64,
        der: Vec<u8>,
        proof: Vec<Hash>,
    ) -> Result<Self, Error> {
        check_inclusion(
            &SM3,
            &proof,
            checkpoint.size(),
            index,
            checkpoint.root(),
            &SM3.hash_leaf(&der),
        )?;
        let entry = Entry::from_der(&der)?;
        if entry.serial() != serial {
            return Err(Error::EntrySerialMismatch {
                expected: serial.to_owned(),
                found: entry.serial().to_owned(),
            });
        }
        Ok(Self {
            index,
            der,
            entry,
            proof,
        })
    }

    /// The entry's leaf index in the log.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The entry.
    pub fn entry(&self) -> &Entry {
        &self.entry
    }

    /// The entry's DER, exactly as hashed into the log.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The inclusion proof of the entry's leaf against the checkpoint (RFC 9162 §2.1.3).
    pub fn proof(&self) -> &[Hash] {
        &self.proof
    }
}

/// Every entry about one serial, each proved included in the tree of one signed checkpoint,
/// and the checkpoint's timestamp token if it has one.
#[derive(Clone, Debug)]
pub struct History {
    checkpoint: VerifiedCheckpoint,
    serial: String,
    entries: Vec<ProvenEntry>,
    checkpoint_token: Option<TimeStampToken>,
}

impl History {
    /// Reads `serial`'s entries below leaf `below` (at most `checkpoint`'s size) and proves
    /// each against the checkpoint; every proof and the chain of links are checked before the
    /// history is returned. The checkpoint's stored timestamp token, if any, comes with it,
    /// checked to stamp the checkpoint's note.
    pub(super) fn build<S: Store>(
        store: &S,
        checkpoint: VerifiedCheckpoint,
        serial: &str,
        below: u64,
    ) -> Result<Self, Error> {
        check_serial(serial)?;
        let indexes = store.leaf_indexes(serial, below.min(checkpoint.size()))?;
        let stored = store.entries_at(&indexes)?;
        let entries = indexes
            .iter()
            .zip(stored)
            .map(|(&index, stored)| {
                let proof = prove_inclusion(&SM3, checkpoint.size(), index, store)?;
                ProvenEntry::check(&checkpoint, serial, index, stored.der, proof)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        check_chain(&entries)?;
        let checkpoint_token = store
            .checkpoint_token(checkpoint.size())?
            .map(|der| super::timestamp::parse_for_note(checkpoint.note(), checkpoint.size(), &der))
            .transpose()?;
        Ok(Self {
            checkpoint,
            serial: serial.to_owned(),
            entries,
            checkpoint_token,
        })
    }

    /// Wraps entries already checked against `checkpoint`, and its token if it has one.
    pub(super) fn from_checked(
        checkpoint: VerifiedCheckpoint,
        serial: String,
        entries: Vec<ProvenEntry>,
        checkpoint_token: Option<TimeStampToken>,
    ) -> Self {
        Self {
            checkpoint,
            serial,
            entries,
            checkpoint_token,
        }
    }

    /// The checkpoint's RFC 3161 timestamp token, if it has one: checked to stamp the
    /// checkpoint's signed note, its TSA not checked against any trust anchor (an evidence
    /// bundle's verifier does that, [`EvidenceBundle::verify_with_tsa`](super::EvidenceBundle::verify_with_tsa)).
    pub fn checkpoint_token(&self) -> Option<&TimeStampToken> {
        self.checkpoint_token.as_ref()
    }

    pub(super) fn set_checkpoint_token(&mut self, token: Option<TimeStampToken>) {
        self.checkpoint_token = token;
    }

    /// The checkpoint every proof leads to.
    pub fn checkpoint(&self) -> &VerifiedCheckpoint {
        &self.checkpoint
    }

    /// The serial.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The entries, in log order. Each links to the one before it and the first to none, so
    /// the newest entry vouches that none before it was left out.
    pub fn entries(&self) -> &[ProvenEntry] {
        &self.entries
    }

    /// The same history with each entry's data removed: what an auditor may see.
    pub fn into_audit_trail(self) -> AuditTrail {
        let items = self
            .entries
            .into_iter()
            .map(|proven| AuditItem {
                index: proven.index,
                leaf_hash: SM3.hash_leaf(&proven.der),
                kind: proven.entry.event().kind(),
                time: proven.entry.time(),
                actor: proven.entry.actor().clone(),
                proof: proven.proof,
            })
            .collect();
        AuditTrail {
            checkpoint: self.checkpoint,
            serial: self.serial,
            items,
        }
    }
}

/// An auditor's view of one entry: its metadata, leaf hash and inclusion proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditItem {
    index: u64,
    leaf_hash: Hash,
    kind: EntryKind,
    time: SystemTime,
    actor: Actor,
    proof: Vec<Hash>,
}

impl AuditItem {
    /// The leaf index.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The leaf hash, `SM3(0x00 ‖ entry DER)`.
    pub fn leaf_hash(&self) -> &Hash {
        &self.leaf_hash
    }

    /// What kind of event the entry records.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    /// When the event happened.
    pub fn time(&self) -> SystemTime {
        self.time
    }

    /// Who caused it.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The inclusion proof of the leaf hash against the trail's checkpoint.
    pub fn proof(&self) -> &[Hash] {
        &self.proof
    }
}

/// An auditor's view of one serial: metadata and proofs against one checkpoint, no data.
#[derive(Clone, Debug)]
pub struct AuditTrail {
    checkpoint: VerifiedCheckpoint,
    serial: String,
    items: Vec<AuditItem>,
}

impl AuditTrail {
    /// The checkpoint every proof leads to.
    pub fn checkpoint(&self) -> &VerifiedCheckpoint {
        &self.checkpoint
    }

    /// The serial.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The entries' metadata, in log order.
    pub fn items(&self) -> &[AuditItem] {
        &self.items
    }
}
