//! What a ledger needs from storage: the [`Store`] trait and the batch it writes atomically.

use super::{Error, Hash, HashReader};

/// One entry as a store keeps it: the serial it is indexed under and its DER.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    /// The business serial number, the key of the serial index.
    pub serial: String,
    /// The entry's DER, the bytes hashed into the log.
    pub der: Vec<u8>,
}

/// Everything one append writes, in one transaction: the new leaves, the subtree hashes they
/// complete, their serial-index rows and the checkpoint that signs the new tree.
///
/// Only the ledger's sequencer builds a batch.
#[derive(Debug)]
#[non_exhaustive]
pub struct Batch<'a> {
    /// The index of the batch's first leaf: the store's size before the batch.
    pub first_leaf: u64,
    /// The new leaves, in order.
    pub entries: &'a [StoredEntry],
    /// The storage position of the first new subtree hash.
    pub first_hash: u64,
    /// The new subtree hashes, in storage order.
    pub hashes: &'a [Hash],
    /// The size of the new checkpoint: `first_leaf + entries.len()`.
    pub checkpoint_size: u64,
    /// The signed note of the new checkpoint.
    pub checkpoint: &'a [u8],
}

/// Storage for a ledger: entries, stored subtree hashes (as a [`HashReader`]), the serial
/// index, signed checkpoints and their timestamp tokens.
///
/// An implementation must write each [`Batch`] atomically (all of it or none of it, also
/// across crashes), must refuse a batch that does not start at its current size
/// ([`Error::AppendConflict`]), and must let readers proceed while a batch is written.
pub trait Store: HashReader + Send + Sync {
    /// Writes `batch` atomically and durably.
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error>;

    /// The signed note of the largest stored checkpoint, if any.
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, Error>;

    /// The signed note of the checkpoint of `size` leaves, if stored.
    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, Error>;

    /// The sizes of all stored checkpoints, ascending.
    fn checkpoint_sizes(&self) -> Result<Vec<u64>, Error>;

    /// Up to `limit` stored leaves with index at least `first`, ascending, with their indexes
    /// (a missing leaf shows as a gap).
    fn entries(&self, first: u64, limit: usize) -> Result<Vec<(u64, StoredEntry)>, Error>;

    /// The stored leaves at `indexes`, in the same order; a missing one is
    /// [`Error::EntryMissing`].
    fn entries_at(&self, indexes: &[u64]) -> Result<Vec<StoredEntry>, Error>;

    /// The serial index: the indexes of the leaves filed under `serial` that are below
    /// `size`, ascending.
    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error>;

    /// Every serial in the index, ascending.
    fn serials(&self) -> Result<Vec<String>, Error>;

    /// How many subtree hashes are stored.
    fn hash_count(&self) -> Result<u64, Error>;

    /// The newest leaf filed under `serial` that is below `size`, if any: the leaf the
    /// serial's next entry links back to.
    ///
    /// The default takes the last of [`Store::leaf_indexes`]; a store with an index should
    /// answer with one indexed lookup.
    fn last_leaf(&self, serial: &str, size: u64) -> Result<Option<u64>, Error> {
        Ok(self.leaf_indexes(serial, size)?.last().copied())
    }

    /// For each of `serials`, the newest leaf filed under it that is below `size` (as
    /// [`Store::last_leaf`]), in the same order.
    ///
    /// The default asks [`Store::last_leaf`] once per serial; a store with a query language
    /// should answer with one query, as the sequencer asks for all the serials of a batch it
    /// does not remember at once.
    fn last_leaves(&self, serials: &[&str], size: u64) -> Result<Vec<Option<u64>>, Error> {
        serials
            .iter()
            .map(|serial| self.last_leaf(serial, size))
            .collect()
    }

    /// Stores `token`, an RFC 3161 time-stamp token over the signed note of the checkpoint
    /// of `size` leaves, replacing any earlier token of that checkpoint (a re-stamp, e.g.
    /// before the first TSA's certificate expires), durably.
    ///
    /// The store keeps the bytes only; [`Ledger::accept_timestamp`](super::Ledger::accept_timestamp)
    /// checks a token against its checkpoint before it is stored. A checkpoint that is not
    /// stored is [`Error::CheckpointNotStored`].
    ///
    /// The default refuses: a store written before checkpoint timestamps existed keeps none
    /// ([`Error::Storage`]).
    fn set_checkpoint_token(&self, size: u64, token: &[u8]) -> Result<(), Error> {
        let _ = (size, token);
        Err(Error::Storage {
            operation: "store a checkpoint timestamp",
            message: "this store keeps no timestamp tokens".to_owned(),
        })
    }

    /// The token stored by [`Store::set_checkpoint_token`] for the checkpoint of `size`
    /// leaves, if any.
    ///
    /// The default has none, matching the default [`Store::set_checkpoint_token`].
    fn checkpoint_token(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        let _ = size;
        Ok(None)
    }

    /// The value stored under `name` by [`Store::set_metadata`], if any.
    fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, Error>;

    /// Stores `value` under `name`, replacing any earlier value, durably.
    ///
    /// Metadata is what a reader needs before it can check anything, e.g. the log's name and
    /// public key (see [`Ledger::open`](super::Ledger::open)); it is not part of the log, so
    /// whoever relies on it compares it with a copy they trust.
    fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), Error>;
}
