//! The ledger's Merkle log: RFC 9162 tree hashing over stored subtree hashes, inclusion and
//! consistency proofs.
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

mod consistency;
mod error;
mod hash;
mod inclusion;
mod layout;
mod reader;
mod sides;
mod tree;

pub use consistency::{check_consistency, prove_consistency};
pub use error::Error;
pub use hash::{HASH_LEN, Hash, SHA256, SM3, TreeHash};
pub use inclusion::{check_inclusion, prove_inclusion};
pub use layout::{MAX_TREE_SIZE, hashes_to_store, stored_hash_count, stored_hash_index};
pub use reader::{HashReader, MemoryHashes};
pub use tree::tree_hash;
