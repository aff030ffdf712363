//! The ledger keyed by business serial number (业务流水号): an RFC 9162 Merkle log with
//! inclusion and consistency proofs, SM2-signed checkpoints, DER entries, a serial index,
//! role-checked access, evidence bundles, and stores (SQLite and in memory).
//!
//! | part | items |
//! | --- | --- |
//! | Merkle log | [`TreeHash`] ([`SM3`], [`SHA256`]), [`tree_hash`], [`prove_inclusion`] / [`check_inclusion`], [`prove_consistency`] / [`check_consistency`], [`HashReader`], [`MemoryHashes`] |
//! | checkpoints | [`Checkpoint`], [`LogSigner`], [`LogVerifier`], [`VerifiedCheckpoint`] (C2SP signed note, SM2) |
//! | entries | [`Entry`], [`Event`], [`EntryKind`], [`Actor`], [`Role`], [`Operation`], [`Link`] (DER) |
//! | ledger | [`Ledger`], [`Committed`], [`History`], [`ProvenEntry`], [`AuditTrail`], [`AuditItem`], [`verify_log`] |
//! | evidence | [`EvidenceBundle`], [`VerifiedBundle`] (DER or PEM, checked offline) |
//! | storage | [`Store`], [`Batch`], [`StoredEntry`], [`SqliteStore`], [`MemoryStore`] |
//!
//! The ledger's own workings are described on [`Ledger`], the checkpoint format on
//! [`Checkpoint`] and [`LogVerifier`], the entry and bundle formats on [`Entry`] and
//! [`EvidenceBundle`]. The rest of this page is about the Merkle log underneath.
//!
//! # The tree
//!
//! A log is an append-only list of entries. Its Merkle tree follows RFC 9162 §2.1 with the
//! hash as a parameter ([`TreeHash`]): [`SM3`] by default, [`SHA256`] for Certificate
//! Transparency compatibility.
//!
//! - leaf hash: `HASH(0x00 ‖ entry)`;
//! - interior node: `HASH(0x01 ‖ left ‖ right)`;
//! - the tree of `n > 1` leaves splits at the largest power of two `k < n`: the first `k`
//!   leaves form the left subtree, the rest the right one;
//! - the empty tree hashes to `HASH()`.
//!
//! # Storage
//!
//! Each append stores the new leaf's hash and the hash of every complete subtree the leaf
//! completes, in one append-only sequence ([`hashes_to_store`], [`stored_hash_count`],
//! [`stored_hash_index`]). Storage only has to answer "the hashes at these positions"
//! ([`HashReader`]); [`MemoryHashes`] keeps them in a `Vec`. From these:
//!
//! | make (reads `O(log n)` stored hashes) | check (needs no store) |
//! | --- | --- |
//! | [`tree_hash`] | — |
//! | [`prove_inclusion`] | [`check_inclusion`] |
//! | [`prove_consistency`] | [`check_consistency`] |
//!
//! Checking never trusts the proof's shape: the tree sizes and leaf index determine the exact
//! number of hashes a proof must hold, at most 63, and a proof of any other length is
//! rejected before any hashing. Every failure says which step failed ([`Error`]).
//!
//! # Example
//!
//! ```
//! use smtrust::trace::{self, MemoryHashes};
//!
//! let mut log = MemoryHashes::new(&trace::SM3);
//! for serial in ["SH-2026-0001", "SH-2026-0002", "SH-2026-0003"] {
//!     log.append(serial.as_bytes())?;
//! }
//! let old_root = trace::tree_hash(&trace::SM3, 3, &log)?;
//!
//! log.append(b"SH-2026-0004")?;
//! let new_root = trace::tree_hash(&trace::SM3, 4, &log)?;
//!
//! // The 3-entry tree is a prefix of the 4-entry tree.
//! let proof = trace::prove_consistency(&trace::SM3, 3, 4, &log)?;
//! trace::check_consistency(&trace::SM3, &proof, 3, 4, &old_root, &new_root)?;
//!
//! // A changed old root is caught, and the error says which root failed.
//! let forged = trace::SM3.hash_leaf(b"forged");
//! assert!(matches!(
//!     trace::check_consistency(&trace::SM3, &proof, 3, 4, &forged, &new_root),
//!     Err(trace::Error::ConsistencyOldRootMismatch { .. })
//! ));
//! # Ok::<(), trace::Error>(())
//! ```

mod bundle;
mod chain;
mod checkpoint;
mod consistency;
mod entry;
mod error;
mod hash;
mod history;
mod inclusion;
mod json;
mod layout;
mod ledger;
mod memory;
mod metadata;
#[cfg(feature = "postgres")]
mod pg;
mod reader;
mod sequencer;
mod sides;
mod sqlite;
mod store;
mod tree;
mod verify;

pub use bundle::{
    BUNDLE_PEM_LABEL, EvidenceBundle, MAX_BUNDLE_CERTIFICATES, MAX_BUNDLE_ENTRIES, MAX_BUNDLE_LEN,
    VerifiedBundle,
};
pub use checkpoint::{
    Checkpoint, LogSigner, LogVerifier, MAX_NOTE_LEN, MAX_NOTE_SIGNATURES, VerifiedCheckpoint,
};
pub use consistency::{check_consistency, prove_consistency};
pub use entry::{
    Actor, Entry, EntryKind, Event, Link, MAX_ENTRY_LEN, MAX_SERIAL_LEN, Operation, Role,
};
pub use error::Error;
pub use hash::{HASH_LEN, Hash, SHA256, SM3, TreeHash};
pub use history::{AuditItem, AuditTrail, History, ProvenEntry};
pub use inclusion::{check_inclusion, prove_inclusion};
pub use layout::{MAX_TREE_SIZE, hashes_to_store, stored_hash_count, stored_hash_index};
pub use ledger::{Committed, Ledger, MAX_BATCH_LEN};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use pg::PgStore;
pub use reader::{HashReader, MemoryHashes};
pub use sqlite::{Durability, SCHEMA_VERSION, SqliteStore};
pub use store::{Batch, Store, StoredEntry};
pub use tree::tree_hash;
pub use verify::verify_log;
