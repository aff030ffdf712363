//! Where each subtree hash lives in storage, and which hashes an append stores.
//!
//! A log stores its hashes as one append-only sequence. Appending leaf `n` stores the leaf's
//! hash and then, level by level, the hash of every complete subtree that the leaf completes:
//! leaf `n` ends a complete subtree of `2^k` leaves for each `k` up to the number of trailing
//! one bits of `n`. So leaf 0 stores one hash, leaf 1 stores three (itself, then the two-leaf
//! subtree), leaf 3 stores three more (itself, leaves 2–3, leaves 0–3), and so on.
//!
//! Every complete subtree is therefore stored exactly once, at a position that depends only
//! on its level and index ([`stored_hash_index`]), and any tree root, inclusion proof or
//! consistency proof can be assembled from `O(log n)` of these stored hashes.

use super::reader::read_exact;
use super::{Error, Hash, HashReader, TreeHash};

/// The largest tree size, in leaves, that this module handles: 2^62.
///
/// The bound keeps every stored-hash position inside a `u64` (a tree of `n` leaves stores
/// `2n − popcount(n)` hashes) and every proof at most 62 hashes long. A log appending a
/// million entries a second would reach it after about 146,000 years.
pub const MAX_TREE_SIZE: u64 = 1 << 62;

/// Checks that `size` is a supported tree size.
pub(super) fn check_size(size: u64) -> Result<(), Error> {
    if size > MAX_TREE_SIZE {
        return Err(Error::TreeTooLarge {
            size,
            max: MAX_TREE_SIZE,
        });
    }
    Ok(())
}

/// The number of hashes a log of `size` leaves has stored.
///
/// Leaf `n` stores `1 + trailing_ones(n)` hashes; summed over the first `size` leaves this is
/// `Σ_k ⌊size / 2^k⌋ = 2·size − popcount(size)`. It is also the position at which the hashes
/// of the next append (leaf `size`) start.
pub fn stored_hash_count(size: u64) -> Result<u64, Error> {
    check_size(size)?;
    Ok(count_for_checked_size(size))
}

fn count_for_checked_size(size: u64) -> u64 {
    2 * size - u64::from(size.count_ones())
}

/// Which append stored the hash at storage `position`: the leaf `n` whose append stored it,
/// and the hash's place among the `1 + trailing_ones(n)` hashes that append stored. The
/// inverse of [`stored_hash_count`]: `n` is the largest leaf with
/// `stored_hash_count(n) ≤ position`.
pub(super) fn leaf_of_stored_hash(position: u64) -> (u64, u64) {
    // count(n) = 2n − popcount(n) lies in [2n − 64, 2n], so n lies in
    // [position / 2, (position + 64) / 2]; a binary search over that window takes at most
    // six steps. The invariant is count(lo) ≤ position < count(hi).
    let count = |n: u64| n.saturating_mul(2) - u64::from(n.count_ones());
    let (mut lo, mut hi) = (position / 2, position / 2 + 33);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if count(mid) <= position {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo, position - count(lo))
}

/// The position in storage of the hash of the complete subtree at `level`, `index`: the
/// subtree of the `2^level` leaves starting at leaf `index · 2^level` (level 0 is a leaf
/// hash).
///
/// That hash is stored by the append of the subtree's last leaf,
/// `n = (index + 1) · 2^level − 1`, after the `stored_hash_count(n)` hashes stored before it
/// and after the `level` hashes that append stores for the levels below.
pub fn stored_hash_index(level: u32, index: u64) -> Result<u64, Error> {
    let out_of_range = Error::NodeOutOfRange { level, index };
    let leaves_at_level = MAX_TREE_SIZE
        .checked_shr(level)
        .ok_or(out_of_range.clone())?;
    if index >= leaves_at_level {
        return Err(out_of_range);
    }
    let last_leaf = ((index + 1) << level) - 1;
    Ok(count_for_checked_size(last_leaf) + u64::from(level))
}

/// The hashes to store when `entry` is appended as leaf number `size` of a log that holds
/// `size` leaves, in the order they are to be stored, starting at position
/// [`stored_hash_count(size)`](stored_hash_count).
///
/// The first hash is the leaf hash; each further one is a complete subtree the leaf
/// completes, from level 1 upwards. Computing them reads one stored hash per completed
/// level (the left sibling at the level below), in one batch.
pub fn hashes_to_store<R: HashReader + ?Sized>(
    hash: &TreeHash,
    size: u64,
    entry: &[u8],
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    if size >= MAX_TREE_SIZE {
        return Err(Error::TreeTooLarge {
            size: size.saturating_add(1),
            max: MAX_TREE_SIZE,
        });
    }
    // Leaf `size` completes one subtree per trailing one bit of `size`; at each such level the
    // new node's left sibling is the complete subtree just before it, index `(size >> level) − 1`
    // (odd minus one, written as clearing the low bit).
    let completed_levels = size.trailing_ones();
    let siblings = (0..completed_levels)
        .map(|level| stored_hash_index(level, (size >> level) ^ 1))
        .collect::<Result<Vec<_>, _>>()?;
    let sibling_hashes = read_exact(reader, &siblings)?;

    let mut node = hash.hash_leaf(entry);
    let mut to_store = Vec::with_capacity(sibling_hashes.len() + 1);
    to_store.push(node);
    for left in &sibling_hashes {
        node = hash.hash_children(left, &node);
        to_store.push(node);
    }
    Ok(to_store)
}

/// The positions of the stored hashes that make up the leaves `lo..hi`, left to right: the
/// range split into the largest complete subtrees that fit.
///
/// For the ranges of RFC 9162's recursion (`lo` a multiple of a power of two not smaller than
/// `hi − lo`), folding these hashes from the right gives the range's Merkle tree hash.
pub(super) fn subtree_indexes(mut lo: u64, hi: u64, out: &mut Vec<u64>) -> Result<(), Error> {
    check_size(hi)?;
    // At most two subtrees per level: the loop runs at most 2 · 62 times.
    while lo < hi {
        let fits = (hi - lo).checked_ilog2().unwrap_or(0);
        let level = lo.trailing_zeros().min(fits);
        out.push(stored_hash_index(level, lo >> level)?);
        lo += 1 << level;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests may unwrap.
mod tests {
    use super::*;

    /// The first appends store, in order: leaf 0; leaf 1, (1,0); leaf 2; leaf 3, (1,1), (2,0).
    #[test]
    fn layout_of_first_leaves() {
        assert_eq!(stored_hash_index(0, 0), Ok(0));
        assert_eq!(stored_hash_index(0, 1), Ok(1));
        assert_eq!(stored_hash_index(1, 0), Ok(2));
        assert_eq!(stored_hash_index(0, 2), Ok(3));
        assert_eq!(stored_hash_index(0, 3), Ok(4));
        assert_eq!(stored_hash_index(1, 1), Ok(5));
        assert_eq!(stored_hash_index(2, 0), Ok(6));
        assert_eq!(stored_hash_index(0, 4), Ok(7));
        assert_eq!(stored_hash_count(4), Ok(7));
    }

    /// Every position from 0 to the stored count is used exactly once, in append order.
    #[test]
    fn layout_is_dense_and_in_append_order() {
        let mut next = 0;
        for leaf in 0u64..1000 {
            assert_eq!(stored_hash_count(leaf), Ok(next));
            for level in 0..=leaf.trailing_ones() {
                let index = (leaf + 1) / (1 << level) - 1;
                assert_eq!(stored_hash_index(level, index), Ok(next));
                next += 1;
            }
        }
    }

    #[test]
    fn limits_are_enforced() {
        assert_eq!(stored_hash_count(MAX_TREE_SIZE), Ok(2 * MAX_TREE_SIZE - 1));
        assert_eq!(
            stored_hash_count(MAX_TREE_SIZE + 1),
            Err(Error::TreeTooLarge {
                size: MAX_TREE_SIZE + 1,
                max: MAX_TREE_SIZE
            })
        );
        // The root of the largest tree is the last hash its last append stores.
        assert_eq!(stored_hash_index(62, 0), Ok(2 * MAX_TREE_SIZE - 2));
        assert_eq!(
            stored_hash_index(62, 1),
            Err(Error::NodeOutOfRange {
                level: 62,
                index: 1
            })
        );
        assert_eq!(
            stored_hash_index(63, 0),
            Err(Error::NodeOutOfRange {
                level: 63,
                index: 0
            })
        );
        assert_eq!(
            stored_hash_index(64, 0),
            Err(Error::NodeOutOfRange {
                level: 64,
                index: 0
            })
        );
        assert_eq!(
            stored_hash_index(0, MAX_TREE_SIZE),
            Err(Error::NodeOutOfRange {
                level: 0,
                index: MAX_TREE_SIZE
            })
        );
    }

    #[test]
    fn subtrees_of_ranges() {
        let mut out = Vec::new();
        subtree_indexes(0, 7, &mut out).unwrap();
        // (2,0), (1,2), (0,6)
        assert_eq!(
            out,
            vec![
                stored_hash_index(2, 0).unwrap(),
                stored_hash_index(1, 2).unwrap(),
                stored_hash_index(0, 6).unwrap()
            ]
        );
        out.clear();
        subtree_indexes(8, 8, &mut out).unwrap();
        assert!(out.is_empty());
        assert_eq!(
            subtree_indexes(0, MAX_TREE_SIZE + 1, &mut out),
            Err(Error::TreeTooLarge {
                size: MAX_TREE_SIZE + 1,
                max: MAX_TREE_SIZE
            })
        );
    }

    /// Every stored position maps back to the append that stored it.
    #[test]
    fn leaf_of_stored_hash_inverts_the_count() {
        let check = |n: u64| {
            let start = stored_hash_count(n).unwrap();
            for offset in 0..=u64::from(n.trailing_ones()) {
                assert_eq!(leaf_of_stored_hash(start + offset), (n, offset), "leaf {n}");
            }
        };
        (0..5000).for_each(check);
        (MAX_TREE_SIZE - 5000..MAX_TREE_SIZE).for_each(check);
        check((1 << 40) - 1);
    }
}
