//! A [`Store`] kept in memory, for tests and tools.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::{Batch, Error, Hash, HashReader, Store, StoredEntry};

/// A [`Store`] in memory: nothing survives the process. Readers wait while a batch is
/// written (it is for tests; [`SqliteStore`](super::SqliteStore) lets them proceed).
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: BTreeMap<u64, StoredEntry>,
    index: BTreeSet<(String, u64)>,
    hashes: Vec<Hash>,
    checkpoints: BTreeMap<u64, Vec<u8>>,
    tokens: BTreeMap<u64, Vec<u8>>,
    metadata: BTreeMap<String, Vec<u8>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, Inner>, Error> {
        self.inner.read().map_err(|_| poisoned())
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Inner>, Error> {
        self.inner.write().map_err(|_| poisoned())
    }
}

fn poisoned() -> Error {
    Error::Storage {
        operation: "lock the memory store",
        message: "a writer panicked".to_owned(),
    }
}

fn position(index: u64) -> usize {
    usize::try_from(index).unwrap_or(usize::MAX)
}

impl HashReader for MemoryStore {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        let inner = self.read()?;
        let stored = u64::try_from(inner.hashes.len()).unwrap_or(u64::MAX);
        indexes
            .iter()
            .map(|&index| {
                inner
                    .hashes
                    .get(position(index))
                    .copied()
                    .ok_or(Error::HashNotStored { index, stored })
            })
            .collect()
    }
}

impl Store for MemoryStore {
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        let mut inner = self.write()?;
        let store_size = inner.checkpoints.keys().next_back().copied().unwrap_or(0);
        let hash_count = u64::try_from(inner.hashes.len()).unwrap_or(u64::MAX);
        if batch.first_leaf != store_size
            || (!inner.checkpoints.is_empty() && batch.checkpoint_size == store_size)
            || batch.first_hash != hash_count
        {
            return Err(Error::AppendConflict {
                batch_start: batch.first_leaf,
                store_size,
            });
        }
        for (leaf, entry) in (batch.first_leaf..).zip(batch.entries) {
            let _ = inner.index.insert((entry.serial.clone(), leaf));
            let _ = inner.entries.insert(leaf, entry.clone());
        }
        inner.hashes.extend_from_slice(batch.hashes);
        let _ = inner
            .checkpoints
            .insert(batch.checkpoint_size, batch.checkpoint.to_vec());
        Ok(())
    }

    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.read()?.checkpoints.values().next_back().cloned())
    }

    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.read()?.checkpoints.get(&size).cloned())
    }

    fn checkpoint_sizes(&self) -> Result<Vec<u64>, Error> {
        Ok(self.read()?.checkpoints.keys().copied().collect())
    }

    fn entries(&self, first: u64, limit: usize) -> Result<Vec<(u64, StoredEntry)>, Error> {
        Ok(self
            .read()?
            .entries
            .range(first..)
            .take(limit)
            .map(|(&leaf, entry)| (leaf, entry.clone()))
            .collect())
    }

    fn entries_at(&self, indexes: &[u64]) -> Result<Vec<StoredEntry>, Error> {
        let inner = self.read()?;
        indexes
            .iter()
            .map(|&index| {
                inner
                    .entries
                    .get(&index)
                    .cloned()
                    .ok_or(Error::EntryMissing { index })
            })
            .collect()
    }

    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        Ok(self
            .read()?
            .index
            .range((serial.to_owned(), 0)..(serial.to_owned(), size))
            .map(|(_, leaf)| *leaf)
            .collect())
    }

    fn serials(&self) -> Result<Vec<String>, Error> {
        let inner = self.read()?;
        let mut serials: Vec<String> = inner.index.iter().map(|(s, _)| s.clone()).collect();
        serials.dedup();
        Ok(serials)
    }

    fn hash_count(&self) -> Result<u64, Error> {
        Ok(u64::try_from(self.read()?.hashes.len()).unwrap_or(u64::MAX))
    }

    fn last_leaf(&self, serial: &str, size: u64) -> Result<Option<u64>, Error> {
        Ok(self
            .read()?
            .index
            .range((serial.to_owned(), 0)..(serial.to_owned(), size))
            .next_back()
            .map(|(_, leaf)| *leaf))
    }

    fn set_checkpoint_token(&self, size: u64, token: &[u8]) -> Result<(), Error> {
        let mut inner = self.write()?;
        if !inner.checkpoints.contains_key(&size) {
            return Err(Error::CheckpointNotStored { size });
        }
        let _ = inner.tokens.insert(size, token.to_vec());
        Ok(())
    }

    fn checkpoint_token(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.read()?.tokens.get(&size).cloned())
    }

    fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.read()?.metadata.get(name).cloned())
    }

    fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), Error> {
        let _ = self
            .write()?
            .metadata
            .insert(name.to_owned(), value.to_vec());
        Ok(())
    }
}
