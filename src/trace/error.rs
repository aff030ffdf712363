//! The one error type of the trace module.

use super::Hash;

/// Why a Merkle-log computation or a proof check failed.
///
/// Each variant names the step that failed and carries the values a person needs to act on
/// it: the sizes and indexes involved, the root a proof leads to and the root it was checked
/// against.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A byte string meant to be a tree hash had the wrong length.
    #[error("a Merkle tree hash is 32 bytes long, but {got} bytes were given")]
    HashWrongLength {
        /// The length that was given.
        got: usize,
    },
    /// A tree size exceeds [`MAX_TREE_SIZE`](super::MAX_TREE_SIZE).
    #[error("a tree of {size} leaves exceeds the largest supported size of {max} leaves")]
    TreeTooLarge {
        /// The size asked for.
        size: u64,
        /// The largest supported size.
        max: u64,
    },
    /// A subtree hash was named whose position lies beyond
    /// [`MAX_TREE_SIZE`](super::MAX_TREE_SIZE).
    #[error("the subtree at level {level}, index {index} lies beyond the largest supported tree")]
    NodeOutOfRange {
        /// The subtree's level (0 for a leaf hash).
        level: u32,
        /// The subtree's index within its level.
        index: u64,
    },
    /// A leaf index is not inside the tree it was asked about.
    #[error("leaf index {index} is outside a tree of {size} leaves")]
    IndexOutOfRange {
        /// The leaf index asked for.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// A consistency proof was asked for or checked from a larger tree to a smaller one.
    #[error("a tree of {old_size} leaves cannot be a prefix of a tree of {new_size} leaves")]
    SizesOutOfOrder {
        /// The size of the tree that should be the prefix.
        old_size: u64,
        /// The size of the tree that should extend it.
        new_size: u64,
    },
    /// A proof does not have the number of hashes its tree sizes call for.
    #[error("the proof should hold {expected} hashes, but it holds {got}")]
    ProofWrongLength {
        /// The number of hashes the sizes (and leaf index) determine.
        expected: usize,
        /// The number of hashes the proof holds.
        got: usize,
    },
    /// An inclusion proof leads to a root other than the one it was checked against.
    #[error("the inclusion proof leads to root {computed}, but the expected root is {expected}")]
    InclusionRootMismatch {
        /// The root the leaf hash and the proof lead to.
        computed: Hash,
        /// The root the proof was checked against.
        expected: Hash,
    },
    /// A consistency proof does not reproduce the old tree's root.
    #[error(
        "the consistency proof leads to old root {computed}, but the expected old root is {expected}"
    )]
    ConsistencyOldRootMismatch {
        /// The old root the proof leads to.
        computed: Hash,
        /// The old root the proof was checked against.
        expected: Hash,
    },
    /// A consistency proof does not reproduce the new tree's root.
    #[error(
        "the consistency proof leads to new root {computed}, but the expected new root is {expected}"
    )]
    ConsistencyNewRootMismatch {
        /// The new root the proof leads to.
        computed: Hash,
        /// The new root the proof was checked against.
        expected: Hash,
    },
    /// Two roots claimed for the same tree size differ, so the trees are not the same.
    #[error(
        "two different roots, {old_root} and {new_root}, are claimed for a tree of {size} leaves"
    )]
    EqualSizeRootsDiffer {
        /// The tree size both roots are claimed for.
        size: u64,
        /// The root given as the old one.
        old_root: Hash,
        /// The root given as the new one.
        new_root: Hash,
    },
    /// A stored hash was asked for that the store does not hold.
    #[error("stored hash {index} was asked for, but only {stored} hashes are stored")]
    HashNotStored {
        /// The stored-hash index asked for.
        index: u64,
        /// How many hashes the store holds.
        stored: u64,
    },
    /// A [`HashReader`](super::HashReader) returned a different number of hashes than it was
    /// asked for.
    #[error("the hash reader was asked for {requested} hashes but returned {returned}")]
    ReaderCountMismatch {
        /// How many hashes were asked for.
        requested: usize,
        /// How many hashes came back.
        returned: usize,
    },
}
