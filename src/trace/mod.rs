//! The ledger keyed by business serial number (业务流水号): an RFC 9162 Merkle log with
//! inclusion and consistency proofs, SM2-signed checkpoints, DER entries, a serial index,
//! role-checked access, evidence bundles, RFC 3161 timestamps on checkpoints, and stores
//! (SQLite, PostgreSQL and in memory).
//!
//! | part | items |
//! | --- | --- |
//! | Merkle log | [`TreeHash`] ([`SM3`], [`SHA256`]), [`tree_hash`], [`prove_inclusion`] / [`check_inclusion`], [`prove_consistency`] / [`check_consistency`], [`HashReader`], [`MemoryHashes`] |
//! | checkpoints | [`Checkpoint`], [`LogSigner`], [`LogVerifier`], [`VerifiedCheckpoint`] (C2SP signed note, SM2) |
//! | entries | [`Entry`], [`Event`], [`EntryKind`], [`Actor`], [`Role`], [`Operation`], [`Link`] (DER) |
//! | ledger | [`Ledger`], [`Committed`], [`History`], [`ProvenEntry`], [`AuditTrail`], [`AuditItem`], [`verify_log`] |
//! | evidence | [`EvidenceBundle`], [`VerifiedBundle`] (DER or PEM, checked offline) |
//! | trusted time | [`Ledger::timestamp_request`] → [`StampRequest`] → [`Ledger::accept_timestamp`], [`Ledger::stamp_checkpoint`], [`CheckpointTimestamp`] (RFC 3161 tokens over checkpoints) |
//! | storage | [`Store`], [`Batch`], [`StoredEntry`], [`SqliteStore`], [`MemoryStore`] |
//!
//! The ledger's own workings are described on [`Ledger`], the checkpoint format on
//! [`Checkpoint`] and [`LogVerifier`], the entry and bundle formats on [`Entry`] and
//! [`EvidenceBundle`]. The rest of this page is about checkpoint timestamps and the Merkle log
//! underneath.
//!
//! # Checkpoint timestamps
//!
//! A signed checkpoint can carry an RFC 3161 time-stamp token ([`tsp`](crate::tsp)) whose
//! message imprint is the hash — SM3, or SHA-256 for a TSA without SM3 — of the checkpoint's
//! exact signed-note bytes. As every entry is proved under its checkpoint (RFC 9162 §2.1.3),
//! the token proves that they all existed at its genTime: trusted time for the whole log with
//! one token per checkpoint, not one per entry.
//!
//! - [`Ledger::timestamp_request`] gives the `TimeStampReq` for a stored checkpoint, with the
//!   caller's nonce; the bytes go to any TSA (no network code here).
//! - [`Ledger::accept_timestamp`] takes the TSA's `TimeStampResp` or bare token, checks that
//!   it stamps that checkpoint's note with the requested algorithm, repeats the nonce, and
//!   that its signature and timeStamping certificate hold, then stores it
//!   ([`Store::set_checkpoint_token`]); [`Ledger::stamp_checkpoint`] does both with an
//!   in-process [`LocalTsa`](crate::tsp::LocalTsa).
//! - A [`History`] at a stamped checkpoint carries the token, and its [`EvidenceBundle`] too
//!   (bundle version 3). [`EvidenceBundle::verify_with_tsa`] verifies it with
//!   [`tsp::verify_token`](crate::tsp::verify_token) against the verifier's TSA roots and
//!   reports the trusted time ([`CheckpointTimestamp::Verified`]); without roots the token is
//!   still checked against the checkpoint but reported [`CheckpointTimestamp::Unverified`].
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use smtrust::pki::{CertificateBuilder, UnixTime};
//! use smtrust::sm2::{DistId, SecretKey, SigningKey};
//! use smtrust::trace::{Actor, Entry, Event, EvidenceBundle, Ledger, LogSigner, MemoryStore, Role};
//! use smtrust::tsp::{self, LocalTsa};
//!
//! let signer = LogSigner::new("smtrust.example/ledger", SecretKey::from_bytes(&[7; 32])?)?;
//! let ledger = Ledger::open(MemoryStore::new(), signer)?;
//! let at = UNIX_EPOCH + Duration::from_secs(1_780_000_000);
//! let decision = Event::DecisionMade { decision: "approved".into(), rule: "samr-online".into() };
//! ledger.append(&Entry::new("SH-2026-0001", at, Actor::new(Role::Registrar, "clerk-07"), decision)?)?;
//!
//! // A TSA under a time root (made here; a real one is run by a trusted time service).
//! let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32])?, DistId::DEFAULT);
//! let root = CertificateBuilder::ca("CN=Time Root", 1).self_signed(&root_key)?;
//! let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32])?, DistId::DEFAULT);
//! let tsa_cert = LocalTsa::certificate_builder("CN=TSA", 2)
//!     .issue(tsa_key.verifying_key().public_key(), &root, &root_key)?;
//! let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1")?;
//!
//! // Stamp the latest checkpoint; its bundles now carry the token.
//! let stamped_at = UnixTime::since_unix_epoch(Duration::from_secs(1_780_000_060));
//! ledger.stamp_checkpoint(ledger.checkpoint()?.size(), &tsa, stamped_at)?;
//! let bundle = ledger.history("SH-2026-0001")?.to_bundle(&[])?;
//!
//! let verified = EvidenceBundle::verify_with_tsa(
//!     bundle.to_der(),
//!     ledger.verifier(),
//!     &tsp::VerifyOptions::new(vec![root]),
//! )?;
//! assert_eq!(verified.checkpoint_timestamp().trusted_time(), Some(stamped_at));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
mod timestamp;
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
pub use timestamp::{CheckpointTimestamp, StampRequest};
pub use tree::tree_hash;
pub use verify::verify_log;
