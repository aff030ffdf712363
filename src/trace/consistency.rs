//! Consistency proofs: that a tree of one size is a prefix of a tree of a larger size
//! (RFC 9162 §2.1.4).

use super::inclusion::split_point;
use super::layout::check_size;
use super::sides::{Side, Sides};
use super::tree::RangeHashes;
use super::{Error, Hash, HashReader, TreeHash};

/// Proves that the tree of the first `old_size` leaves is a prefix of the tree of the first
/// `new_size` leaves: PROOF(old_size, D\[new_size\]) of RFC 9162 §2.1.4.1.
///
/// The proof is empty when `old_size` is 0 or equals `new_size`. Reads `O(log new_size)`
/// stored hashes, in one batch. [`check_consistency`] is the inverse.
pub fn prove_consistency<R: HashReader + ?Sized>(
    hash: &TreeHash,
    old_size: u64,
    new_size: u64,
    reader: &R,
) -> Result<Vec<Hash>, Error> {
    check_size(new_size)?;
    if old_size > new_size {
        return Err(Error::SizesOutOfOrder { old_size, new_size });
    }
    if old_size == 0 || old_size == new_size {
        return Ok(Vec::new());
    }
    let mut ranges = RangeHashes::default();
    let (mut lo, mut hi) = (0, new_size);
    // SUBPROOF's flag b: whether D[lo..hi] is the old tree's own root's range, whose hash the
    // verifier already knows.
    let mut known_to_verifier = true;
    // RFC 9162 §2.1.4.1, top down. Each step lowers ⌈log2(hi − lo)⌉, so the loop runs at
    // most 62 times.
    while old_size < hi {
        let k = split_point(hi - lo);
        if old_size <= lo + k {
            ranges.push(lo + k, hi)?;
            hi = lo + k;
        } else {
            ranges.push(lo, lo + k)?;
            lo += k;
            known_to_verifier = false;
        }
    }
    // Here old_size == hi: D[lo..hi] is the old tree's last complete subtree.
    if !known_to_verifier {
        ranges.push(lo, hi)?;
    }
    let mut proof = ranges.resolve(hash, reader)?;
    proof.reverse();
    Ok(proof)
}

/// Checks a consistency proof made by [`prove_consistency`]: that the tree of `old_size`
/// leaves with root `old_root` is a prefix of the tree of `new_size` leaves with root
/// `new_root` (RFC 9162 §2.1.4.2).
///
/// Needs no store. An empty old tree is a prefix of every tree, but its root must still be
/// [`TreeHash::empty_root`]; two trees of the same size must have the same root. Fails with
/// [`Error::SizesOutOfOrder`], [`Error::ProofWrongLength`] (the sizes determine the exact
/// length, at most 63 hashes), [`Error::EqualSizeRootsDiffer`],
/// [`Error::ConsistencyOldRootMismatch`] or [`Error::ConsistencyNewRootMismatch`].
///
/// When `old_size` is a power of two, the old tree is itself a subtree of the new one and its
/// root is the proof's implicit first hash (RFC 9162 §2.1.4.2 step 2); a wrong old root then
/// shows as [`Error::ConsistencyNewRootMismatch`].
pub fn check_consistency(
    hash: &TreeHash,
    proof: &[Hash],
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
) -> Result<(), Error> {
    check_size(new_size)?;
    if old_size > new_size {
        return Err(Error::SizesOutOfOrder { old_size, new_size });
    }
    if old_size == 0 || old_size == new_size {
        if !proof.is_empty() {
            return Err(Error::ProofWrongLength {
                expected: 0,
                got: proof.len(),
            });
        }
        return check_trivial(hash, old_size, old_root, new_root);
    }

    // Step 2: if the old tree is a complete subtree, its root is the proof's implicit first
    // hash.
    let old_is_complete = old_size.is_power_of_two();
    let sides = Sides::consistency(old_size, new_size);
    let expected = sides.clone().count() + usize::from(!old_is_complete);
    let (start, rest) = match (old_is_complete, proof.split_first()) {
        (true, _) => (*old_root, proof),
        (false, Some((first, rest))) => (*first, rest),
        // An empty proof: the length check below rejects it.
        (false, None) => (*old_root, proof),
    };
    if proof.len() != expected {
        return Err(Error::ProofWrongLength {
            expected,
            got: proof.len(),
        });
    }

    // Steps 5 and 6: rebuild both roots from the starting hash.
    let (mut old_computed, mut new_computed) = (start, start);
    for (c, side) in rest.iter().zip(sides) {
        match side {
            Side::Left => {
                old_computed = hash.hash_children(c, &old_computed);
                new_computed = hash.hash_children(c, &new_computed);
            }
            Side::Right => new_computed = hash.hash_children(&new_computed, c),
        }
    }

    // Step 7: both must match.
    if old_computed != *old_root {
        return Err(Error::ConsistencyOldRootMismatch {
            computed: old_computed,
            expected: *old_root,
        });
    }
    if new_computed != *new_root {
        return Err(Error::ConsistencyNewRootMismatch {
            computed: new_computed,
            expected: *new_root,
        });
    }
    Ok(())
}

/// The cases with an empty proof: an empty old tree, whose root is `HASH()`, and two trees
/// of the same size, whose roots must be equal.
fn check_trivial(
    hash: &TreeHash,
    old_size: u64,
    old_root: &Hash,
    new_root: &Hash,
) -> Result<(), Error> {
    if old_size == 0 {
        let empty = hash.empty_root();
        if *old_root != empty {
            return Err(Error::ConsistencyOldRootMismatch {
                computed: empty,
                expected: *old_root,
            });
        }
    } else if old_root != new_root {
        return Err(Error::EqualSizeRootsDiffer {
            size: old_size,
            old_root: *old_root,
            new_root: *new_root,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::MAX_TREE_SIZE;
    use super::*;

    /// The number of hashes RFC 9162 §2.1.4.1 generates equals the number RFC 9162 §2.1.4.2
    /// consumes, for sizes far beyond what a test can store.
    #[test]
    fn generated_length_matches_verified_length_for_huge_trees() {
        let mut state: u64 = 0x1fed_f00d;
        let mut longest = 0;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let new_size = ((state >> 2) >> (state % 62)).clamp(2, MAX_TREE_SIZE);
            let old_size = (state.rotate_left(23) % (new_size - 1)) + 1;
            let generated = subproof_len(old_size, new_size);
            let verified = Sides::consistency(old_size, new_size).count()
                + usize::from(!old_size.is_power_of_two());
            assert_eq!(generated, verified, "{old_size} -> {new_size}");
            longest = longest.max(verified);
        }
        assert!(longest <= 63);
        let worst = Sides::consistency(MAX_TREE_SIZE - 1, MAX_TREE_SIZE).count() + 1;
        assert_eq!(worst, subproof_len(MAX_TREE_SIZE - 1, MAX_TREE_SIZE));
        assert!(worst <= 63);
    }

    fn subproof_len(old_size: u64, new_size: u64) -> usize {
        let (mut lo, mut hi, mut known, mut len) = (0, new_size, true, 0);
        while old_size < hi {
            let k = split_point(hi - lo);
            if old_size <= lo + k {
                hi = lo + k;
            } else {
                lo += k;
                known = false;
            }
            len += 1;
        }
        len + usize::from(!known)
    }
}
