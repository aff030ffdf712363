//! Inclusion proofs: that a leaf is at a given index of a tree of a given size
//! (RFC 9162 §2.1.3).

use super::layout::check_size;
use super::sides::{Side, Sides};
use super::tree::RangeHashes;
use super::{Error, Hash, HashReader, TreeHash};

/// Proves that leaf `index` is in the tree of the first `size` leaves: PATH(index, D\[size\])
/// of RFC 9162 §2.1.3.1, the sibling subtree hashes from the leaf up to the root.
///
/// Reads `O(log size)` stored hashes, in one batch: one per level, plus the complete
/// subtrees that make up the single incomplete sibling on the tree's right edge.
/// [`check_inclusion`] is the inverse.
pub fn prove_inclusion<R: HashReader + ?Sized>(
    hash: &TreeHash,
    size: u64,
    index: u64,
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    check_size(size)?;
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let mut ranges = RangeHashes::default();
    let (mut lo, mut hi) = (0, size);
    // RFC 9162 §2.1.3.1, top down: split D[lo..hi] at the largest power of two k below its
    // size; the sibling of the half holding the leaf is part of the path. Each step lowers
    // ⌈log2(hi − lo)⌉, so the loop runs at most 62 times.
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index < lo + k {
            ranges.push(lo + k, hi)?;
            hi = lo + k;
        } else {
            ranges.push(lo, lo + k)?;
            lo += k;
        }
    }
    let mut proof = ranges.resolve(hash, reader)?;
    proof.reverse();
    Ok(proof)
}

/// Checks an inclusion proof made by [`prove_inclusion`]: that the leaf whose hash is
/// `leaf_hash` is leaf `index` of the tree of `size` leaves whose root is `root`
/// (RFC 9162 §2.1.3.2).
///
/// Needs no store. Fails with [`Error::IndexOutOfRange`] if `index ≥ size`,
/// [`Error::ProofWrongLength`] if the proof does not have the exact length that `index` and
/// `size` determine (so at most 62 hashes are ever processed), and
/// [`Error::InclusionRootMismatch`] if it leads to another root.
pub fn check_inclusion(
    hash: &TreeHash,
    proof: &[Hash],
    size: u64,
    index: u64,
    root: &Hash,
    leaf_hash: &Hash,
) -> Result<(), Error> {
    check_size(size)?;
    // Step 1: the leaf must be inside the tree.
    if index >= size {
        return Err(Error::IndexOutOfRange { index, size });
    }
    let sides = Sides::inclusion(index, size);
    let expected = sides.clone().count();
    if proof.len() != expected {
        return Err(Error::ProofWrongLength {
            expected,
            got: proof.len(),
        });
    }
    // Steps 2 and 3: fold the proof into the leaf hash, each hash on its side.
    let computed = proof
        .iter()
        .zip(sides)
        .fold(*leaf_hash, |running, (p, side)| match side {
            Side::Left => hash.hash_children(p, &running),
            Side::Right => hash.hash_children(&running, p),
        });
    // Step 4: the result must be the root.
    if computed != *root {
        return Err(Error::InclusionRootMismatch {
            computed,
            expected: *root,
        });
    }
    Ok(())
}

/// The largest power of two strictly below `n`, for `n ≥ 2` (RFC 9162 §2.1.1's `k`).
pub(super) fn split_point(n: u64) -> u64 {
    1 << n.saturating_sub(1).checked_ilog2().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::MAX_TREE_SIZE;
    use super::*;

    #[test]
    fn split_point_is_largest_power_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
        assert_eq!(split_point(MAX_TREE_SIZE), MAX_TREE_SIZE / 2);
    }

    /// The number of sibling ranges RFC 9162 §2.1.3.1 generates equals the number of steps
    /// RFC 9162 §2.1.3.2 verifies, for sizes far beyond what a test can store.
    #[test]
    fn generated_length_matches_verified_length_for_huge_trees() {
        let mut state: u64 = 0x1fed_f00d;
        for _ in 0..20_000 {
            // A fixed-seed xorshift: sizes spread over every bit length up to 2^62.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let size = ((state >> 2) >> (state % 62)).clamp(1, MAX_TREE_SIZE);
            let index = state.rotate_left(17) % size;
            let generated = path_len(index, size);
            let verified = Sides::inclusion(index, size).count();
            assert_eq!(generated, verified, "index {index}, size {size}");
            assert!(verified <= 62);
        }
        assert_eq!(Sides::inclusion(0, MAX_TREE_SIZE).count(), 62);
        assert_eq!(
            Sides::inclusion(MAX_TREE_SIZE - 1, MAX_TREE_SIZE).count(),
            62
        );
    }

    fn path_len(index: u64, size: u64) -> usize {
        let (mut lo, mut hi, mut len) = (0, size, 0);
        while hi - lo > 1 {
            let k = split_point(hi - lo);
            if index < lo + k {
                hi = lo + k;
            } else {
                lo += k;
            }
            len += 1;
        }
        len
    }
}
