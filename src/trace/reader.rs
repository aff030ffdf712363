//! Reading stored hashes: the one trait storage implements, and an in-memory store.

use super::layout::hashes_to_store;
use super::{Error, Hash, TreeHash};

/// Read access to a log's stored hashes (see [`stored_hash_index`](super::stored_hash_index)
/// for where each subtree hash is stored).
///
/// This is the only thing the tree computations need from storage, so the same code serves
/// the in-memory [`MemoryHashes`], an embedded database or a remote store. The computations
/// ask for all the hashes they need in one call, so a store can answer with one query.
pub trait HashReader {
    /// Returns the stored hashes at `indexes`, one per index and in the same order.
    ///
    /// A store that does not hold one of them returns an error rather than a shorter list;
    /// the callers in this module check the count anyway
    /// ([`Error::ReaderCountMismatch`]).
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error>;
}

/// Reads `indexes` from `reader` and checks that exactly one hash came back per index.
pub(super) fn read_exact<R: HashReader + ?Sized>(
    reader: &R,
    indexes: &[u64],
) -> Result<Vec<Hash>, Error> {
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let hashes = reader.read_hashes(indexes)?;
    if hashes.len() != indexes.len() {
        return Err(Error::ReaderCountMismatch {
            requested: indexes.len(),
            returned: hashes.len(),
        });
    }
    Ok(hashes)
}

/// A log's stored hashes kept in memory: for tests, tools and logs small enough to rebuild.
///
/// ```
/// use smtrust::trace::{self, MemoryHashes};
///
/// let mut log = MemoryHashes::new(&trace::SM3);
/// for entry in [&b"first"[..], b"second", b"third"] {
///     log.append(entry)?;
/// }
/// let root = trace::tree_hash(&trace::SM3, log.size(), &log)?;
///
/// let proof = trace::prove_inclusion(&trace::SM3, 3, 1, &log)?;
/// let leaf = trace::SM3.hash_leaf(b"second");
/// trace::check_inclusion(&trace::SM3, &proof, 3, 1, &root, &leaf)?;
/// # Ok::<(), trace::Error>(())
/// ```
#[derive(Clone)]
pub struct MemoryHashes {
    algorithm: &'static TreeHash,
    size: u64,
    stored: Vec<Hash>,
}

impl MemoryHashes {
    /// An empty log whose hashes are computed with `algorithm`.
    pub fn new(algorithm: &'static TreeHash) -> Self {
        Self {
            algorithm,
            size: 0,
            stored: Vec::new(),
        }
    }

    /// The hash algorithm the log was created with.
    pub fn algorithm(&self) -> &'static TreeHash {
        self.algorithm
    }

    /// The number of leaves appended so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The stored hashes, in storage order.
    pub fn stored(&self) -> &[Hash] {
        &self.stored
    }

    /// Appends `entry` as the next leaf, stores the hashes it completes, and returns the new
    /// leaf's index.
    pub fn append(&mut self, entry: &[u8]) -> Result<u64, Error> {
        let to_store = hashes_to_store(self.algorithm, self.size, entry, self)?;
        self.stored.extend_from_slice(&to_store);
        let index = self.size;
        self.size += 1;
        Ok(index)
    }
}

impl HashReader for MemoryHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|&index| {
                usize::try_from(index)
                    .ok()
                    .and_then(|i| self.stored.get(i))
                    .copied()
                    .ok_or(Error::HashNotStored {
                        index,
                        stored: u64::try_from(self.stored.len()).unwrap_or(u64::MAX),
                    })
            })
            .collect()
    }
}

impl core::fmt::Debug for MemoryHashes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryHashes")
            .field("algorithm", &self.algorithm)
            .field("size", &self.size)
            .field("stored", &self.stored.len())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::super::SM3;
    use super::*;

    #[test]
    fn reading_beyond_the_store_names_the_index() {
        let mut log = MemoryHashes::new(&SM3);
        log.append(b"a").unwrap();
        log.append(b"b").unwrap();
        assert_eq!(log.stored().len(), 3);
        assert_eq!(
            log.read_hashes(&[0, 3]),
            Err(Error::HashNotStored {
                index: 3,
                stored: 3
            })
        );
        assert_eq!(
            log.read_hashes(&[u64::MAX]),
            Err(Error::HashNotStored {
                index: u64::MAX,
                stored: 3
            })
        );
    }

    #[test]
    fn debug_is_short() {
        let mut log = MemoryHashes::new(&SM3);
        log.append(b"a").unwrap();
        assert_eq!(
            format!("{log:?}"),
            "MemoryHashes { algorithm: TreeHash(\"SM3\"), size: 1, stored: 1 }"
        );
    }

    /// A reader that returns fewer hashes than asked for is caught.
    #[test]
    fn short_reader_is_caught() {
        struct Short;
        impl HashReader for Short {
            fn read_hashes(&self, _: &[u64]) -> Result<Vec<Hash>, Error> {
                Ok(vec![Hash::new([0; 32])])
            }
        }
        assert_eq!(
            read_exact(&Short, &[1, 2]),
            Err(Error::ReaderCountMismatch {
                requested: 2,
                returned: 1
            })
        );
    }
}
