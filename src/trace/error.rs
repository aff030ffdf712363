//! The one error type of the trace module.

use super::{Hash, Operation, Role};

/// Why a Merkle-log computation, a proof or checkpoint check, a ledger operation or a bundle
/// verification failed.
///
/// Each variant names the step that failed and carries the values a person needs to act on
/// it: the sizes and indexes involved, the root a proof leads to and the root it was checked
/// against, the leaf or stored row where a ledger was found altered.
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
    /// A log name (checkpoint origin and key name) breaks the signed-note rules.
    #[error("{name:?} cannot name a log: {reason}")]
    LogNameInvalid {
        /// The name given.
        name: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A signed note exceeds [`MAX_NOTE_LEN`](super::MAX_NOTE_LEN).
    #[error("a signed note of {len} bytes exceeds the limit of {max} bytes")]
    NoteTooLarge {
        /// The note's length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A signed note has more signature lines than
    /// [`MAX_NOTE_SIGNATURES`](super::MAX_NOTE_SIGNATURES).
    #[error("a signed note may carry at most {max} signatures, but this one carries more")]
    TooManySignatures {
        /// The limit.
        max: usize,
    },
    /// A signed note or checkpoint is not in the one canonical layout.
    #[error("the signed checkpoint is malformed: {reason}")]
    CheckpointMalformed {
        /// What is wrong, as a sentence fragment.
        reason: &'static str,
    },
    /// A checkpoint names another log than the one it was checked for.
    #[error("the checkpoint is for log {found:?}, but log {expected:?} was expected")]
    OriginMismatch {
        /// The log the verifier is for.
        expected: String,
        /// The origin line of the checkpoint.
        found: String,
    },
    /// No signature line of a checkpoint is by the log's key.
    #[error("the checkpoint carries no signature by the key of log {key_name:?}")]
    CheckpointNotSigned {
        /// The log's key name.
        key_name: String,
    },
    /// A signature line by the log's key does not verify.
    #[error("the checkpoint's signature by the key of log {key_name:?} does not verify")]
    CheckpointBadSignature {
        /// The log's key name.
        key_name: String,
    },
    /// Signing a checkpoint with the log's SM2 key failed.
    #[error("signing the checkpoint failed: {reason}")]
    SigningFailed {
        /// The SM2 module's explanation.
        reason: String,
    },
    /// A newer checkpoint is smaller than an older one.
    #[error("the checkpoint of {newer} leaves cannot follow one of {older} leaves")]
    CheckpointsOutOfOrder {
        /// The older checkpoint's size.
        older: u64,
        /// The newer checkpoint's size.
        newer: u64,
    },
    /// A business serial number breaks the rules for serials.
    #[error("{serial:?} is not a usable business serial number: {reason}")]
    SerialInvalid {
        /// The serial given.
        serial: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A ledger entry is not valid DER of the entry structure.
    #[error("the ledger entry is malformed: {reason}")]
    EntryMalformed {
        /// What the DER decoder or the entry rules reported.
        reason: String,
    },
    /// A ledger entry exceeds [`MAX_ENTRY_LEN`](super::MAX_ENTRY_LEN).
    #[error("a ledger entry of {len} bytes exceeds the limit of {max} bytes")]
    EntryTooLarge {
        /// The entry's encoded length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A batch to append is empty or larger than [`MAX_BATCH_LEN`](super::MAX_BATCH_LEN).
    #[error("a batch must hold 1 to {max} entries, but {len} were given")]
    BatchSize {
        /// The number of entries given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A role tried an operation the permission table does not give it; the attempt is
    /// itself recorded in the log as an `AccessDenied` entry.
    #[error("the {role} role may not {operation}; the attempt has been recorded")]
    AccessDenied {
        /// The role that tried.
        role: Role,
        /// What it tried.
        operation: Operation,
    },
    /// A store failed to read or write.
    #[error("the ledger store failed to {operation}: {message}")]
    Storage {
        /// What the store was doing.
        operation: &'static str,
        /// The storage engine's message.
        message: String,
    },
    /// A store's schema is newer than this code understands.
    #[error("the store has schema version {found}, but this code knows versions up to {supported}")]
    SchemaTooNew {
        /// The version found in the store.
        found: i64,
        /// The newest version this code knows.
        supported: i64,
    },
    /// An append did not start at the store's current size: another writer got there first.
    #[error("the batch starts at leaf {batch_start}, but the store holds {store_size} leaves")]
    AppendConflict {
        /// Where the batch was meant to start.
        batch_start: u64,
        /// How many leaves the store holds.
        store_size: u64,
    },
    /// Other processes appended to the store first every time this ledger caught up with it
    /// and tried its batch again; nothing of the batch was written.
    #[error(
        "the batch was not written: other writers appended to the store first on all {attempts} attempts"
    )]
    AppendContended {
        /// How many times the batch was tried.
        attempts: u32,
    },
    /// A store holds no checkpoint (it was never opened as a ledger, or was emptied).
    #[error("the store holds no checkpoint")]
    NoCheckpoint,
    /// No checkpoint of the requested size is stored.
    #[error("no checkpoint of {size} leaves is stored")]
    CheckpointNotStored {
        /// The size asked for.
        size: u64,
    },
    /// A leaf below the latest checkpoint is missing from the store.
    #[error("leaf {index} is missing from the store")]
    EntryMissing {
        /// The missing leaf's index.
        index: u64,
    },
    /// The store holds a leaf the latest checkpoint does not cover.
    #[error("the store holds leaf {index}, beyond the latest checkpoint of {size} leaves")]
    EntryBeyondCheckpoint {
        /// The leaf's index.
        index: u64,
        /// The latest checkpoint's size.
        size: u64,
    },
    /// A stored leaf's hash differs from the hash of its stored entry.
    #[error("leaf {index} was altered: its entry hashes to {computed}, but {stored} is stored")]
    LeafHashMismatch {
        /// The leaf's index.
        index: u64,
        /// The hash of the entry as stored.
        computed: Hash,
        /// The leaf hash stored for it.
        stored: Hash,
    },
    /// A stored subtree hash differs from the one recomputed from the entries.
    #[error("stored hash {position} was altered: {stored} is stored, {computed} is computed")]
    StoredHashMismatch {
        /// The stored hash's position.
        position: u64,
        /// The recomputed hash.
        computed: Hash,
        /// The hash found in the store.
        stored: Hash,
    },
    /// The store holds a different number of subtree hashes than its leaves call for.
    #[error("the store holds {found} subtree hashes, but its leaves call for {expected}")]
    StoredHashCount {
        /// How many the leaves call for.
        expected: u64,
        /// How many are stored.
        found: u64,
    },
    /// A stored checkpoint's root differs from the root recomputed from the entries.
    #[error("the checkpoint of {size} leaves signs root {signed}, but the entries give {computed}")]
    CheckpointRootMismatch {
        /// The checkpoint's size.
        size: u64,
        /// The root it signs.
        signed: Hash,
        /// The root recomputed from the stored entries.
        computed: Hash,
    },
    /// The serial index disagrees with the serial inside an entry.
    #[error("leaf {index} is indexed under serial {indexed:?}, but its entry is for {entry:?}")]
    SerialIndexMismatch {
        /// The leaf's index.
        index: u64,
        /// The serial the index files it under.
        indexed: String,
        /// The serial inside the entry.
        entry: String,
    },
    /// An evidence bundle is not valid DER or PEM of the bundle structure.
    #[error("the evidence bundle is malformed: {reason}")]
    BundleMalformed {
        /// What the decoder or the bundle rules reported.
        reason: String,
    },
    /// An evidence bundle exceeds one of its limits.
    #[error("the evidence bundle holds {count} {what}, more than the limit of {max}")]
    BundleTooLarge {
        /// What was counted: "bytes", "entries" or "certificates".
        what: &'static str,
        /// How many it holds.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A leaf of the log or of an evidence bundle fails its check.
    #[error("leaf {index} fails its check: {source}")]
    LeafInvalid {
        /// The leaf's index.
        index: u64,
        /// Why it fails.
        source: Box<Error>,
    },
    /// A checkpoint's RFC 3161 timestamp token does not hold for it: it stamps other bytes
    /// than the checkpoint's signed note (a token for another checkpoint), repeats another
    /// nonce, its signature or TSA certificate fails, or its TSA is not trusted.
    #[error("the timestamp token of the checkpoint of {size} leaves does not hold: {source}")]
    CheckpointTimestampInvalid {
        /// The checkpoint's size.
        size: u64,
        /// What the timestamp check reported.
        source: Box<crate::tsp::Error>,
    },
    /// A regulator's retrieval stated no reason.
    #[error("a retrieval must state its reason")]
    ReasonMissing,
    /// An entry is filed under another serial than the one it was read for.
    #[error("the entry is about serial {found:?}, but serial {expected:?} was asked for")]
    EntrySerialMismatch {
        /// The serial asked for.
        expected: String,
        /// The serial inside the entry.
        found: String,
    },
    /// The entries of an evidence bundle are not in strictly increasing leaf order.
    #[error("leaf {index} follows leaf {previous}; bundle entries must be in increasing order")]
    BundleOrder {
        /// The leaf index out of order.
        index: u64,
        /// The leaf index before it.
        previous: u64,
    },
    /// An entry of an evidence bundle names a signer certificate the bundle does not carry.
    #[error("leaf {index} names a signer certificate that the evidence bundle does not carry")]
    BundleCertificateMissing {
        /// The leaf's index.
        index: u64,
    },
    /// An entry of a history or bundle links to an earlier entry of its serial that the
    /// history or bundle does not hold: an entry was left out.
    #[error(
        "leaf {index} links to leaf {previous} of the same serial, which is missing from the entries shown"
    )]
    LinkMissing {
        /// The leaf whose link points at the missing entry.
        index: u64,
        /// The missing entry's leaf index.
        previous: u64,
    },
    /// An entry's link is not to the serial's previous entry.
    #[error(
        "leaf {index} links to {found}, but the serial's previous entry is {expected}",
        found = describe_link(*found),
        expected = describe_link(*expected)
    )]
    LinkMismatch {
        /// The leaf whose link is wrong.
        index: u64,
        /// The serial's previous leaf (`None`: the entry is the serial's first).
        expected: Option<u64>,
        /// The leaf the entry links to (`None`: it claims to be the serial's first).
        found: Option<u64>,
    },
    /// An entry's link names the right leaf but another leaf hash.
    #[error("leaf {index} links to leaf {previous} with a leaf hash that is not that entry's")]
    LinkHashMismatch {
        /// The leaf whose link is wrong.
        index: u64,
        /// The leaf it links to.
        previous: u64,
    },
    /// The store's metadata names another log than the ledger opened on it.
    #[error("the store records {what} {stored:?}, but the ledger's log has {given:?}")]
    LogMetadataMismatch {
        /// What differs: "log name" or "log public key".
        what: &'static str,
        /// The stored value (the key as hex SPKI DER).
        stored: String,
        /// The ledger's value.
        given: String,
    },
    /// The store does not record the log's name or public key.
    #[error("the store does not record the log's {what}; open it once with the log's signing key")]
    LogMetadataMissing {
        /// What is missing: "log name" or "log public key".
        what: &'static str,
    },
    /// The store records the log's name or public key in a form that cannot be read.
    #[error("the store's recorded {what} cannot be read: {reason}")]
    LogMetadataUnreadable {
        /// What cannot be read: "log name" or "log public key".
        what: &'static str,
        /// The decoder's explanation.
        reason: String,
    },
}

/// A link target for messages: a leaf, or none.
fn describe_link(leaf: Option<u64>) -> String {
    match leaf {
        Some(leaf) => format!("leaf {leaf}"),
        None => "none (the serial's first entry)".to_owned(),
    }
}
