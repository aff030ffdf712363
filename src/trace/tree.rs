//! Merkle tree hashes of ranges of leaves, assembled from stored subtree hashes
//! (RFC 9162 §2.1.1).

use super::layout::subtree_indexes;
use super::reader::read_exact;
use super::{Error, Hash, HashReader, TreeHash};

/// The Merkle tree hash (the root) of the first `size` leaves of a log: MTH(D\[size\]) of
/// RFC 9162 §2.1.1.
///
/// Reads one stored hash per one bit of `size` (at most 62), in one batch. The empty tree's
/// root is [`TreeHash::empty_root`].
pub fn tree_hash<R: HashReader + ?Sized>(
    hash: &TreeHash,
    size: u64,
    reader: &R,
) -> Result<Hash, Error> {
    let mut ranges = RangeHashes::default();
    ranges.push(0, size)?;
    let mut roots = ranges.resolve(hash, reader)?.into_iter();
    Ok(roots.next().unwrap_or_else(|| hash.empty_root()))
}

/// The hashes of several ranges of leaves, planned first and then read in one batch.
#[derive(Default)]
pub(super) struct RangeHashes {
    /// Stored-hash positions of all ranges, range after range.
    indexes: Vec<u64>,
    /// Where each range's positions end in `indexes`.
    ends: Vec<usize>,
}

impl RangeHashes {
    /// Adds the range of leaves `lo..hi`, which must be a range of RFC 9162's recursion:
    /// `lo` a multiple of a power of two not smaller than `hi − lo`.
    pub(super) fn push(&mut self, lo: u64, hi: u64) -> Result<(), Error> {
        subtree_indexes(lo, hi, &mut self.indexes)?;
        self.ends.push(self.indexes.len());
        Ok(())
    }

    /// Reads every planned stored hash in one call and returns one Merkle tree hash per range,
    /// in the order the ranges were pushed.
    pub(super) fn resolve<R: HashReader + ?Sized>(
        &self,
        hash: &TreeHash,
        reader: &R,
    ) -> Result<Vec<Hash>, Error> {
        let stored = read_exact(reader, &self.indexes)?;
        let mut start = 0;
        let mut out = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            out.push(fold_subtrees(
                hash,
                stored.get(start..end).unwrap_or_default(),
            ));
            start = end;
        }
        Ok(out)
    }
}

/// Joins the hashes of adjacent complete subtrees, largest first, into the hash of the range
/// they cover. RFC 9162 §2.1.1 splits a range at the largest power of two below its size, so
/// the leftmost subtree is the left child of the root and the rest, joined the same way, is
/// the right child. No subtrees at all is the empty range, whose hash is `HASH()`.
fn fold_subtrees(hash: &TreeHash, subtrees: &[Hash]) -> Hash {
    match subtrees.split_last() {
        None => hash.empty_root(),
        Some((last, rest)) => rest
            .iter()
            .rev()
            .fold(*last, |right, left| hash.hash_children(left, &right)),
    }
}
