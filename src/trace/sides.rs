//! The shape of a proof as RFC 9162's verification algorithms walk it: for each proof hash,
//! whether it joins the running hash from the left or from the right.
//!
//! Both verification algorithms (§2.1.3.2 for inclusion, §2.1.4.2 for consistency) track two
//! node numbers, `fn` (the node being proved) and `sn` (the last node of the tree), and shift
//! them right one level per proof hash until `sn` reaches 0. The decisions depend on the sizes
//! only, so they are computed here without any hash, and their number is the exact proof
//! length: a proof with any other length is rejected before hashing (this replaces the RFC's
//! "if sn is 0, stop and fail" and final "sn is 0" checks).

/// Which side a proof hash joins on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The proof hash is the left child: `HASH(0x01 ‖ p ‖ r)`.
    Left,
    /// The proof hash is the right child: `HASH(0x01 ‖ r ‖ p)`.
    Right,
}

/// The decisions of RFC 9162's verification loop, starting from node numbers `fn`, `sn`.
///
/// Terminates after at most 64 steps: every step shifts `sn` right at least once.
#[derive(Debug, Clone)]
pub(super) struct Sides {
    first: u64,
    second: u64,
}

impl Sides {
    /// The walk of an inclusion proof for `index` in a tree of `size` leaves
    /// (RFC 9162 §2.1.3.2 step 2: `fn = leaf_index`, `sn = tree_size − 1`).
    /// The caller has checked `index < size`.
    pub(super) fn inclusion(index: u64, size: u64) -> Self {
        Self {
            first: index,
            second: size.saturating_sub(1),
        }
    }

    /// The walk of a consistency proof from `old_size` to `new_size` leaves, after the
    /// proof's first hash has been taken as the starting value
    /// (RFC 9162 §2.1.4.2 steps 3 and 4: `fn = first − 1`, `sn = second − 1`, then shift both
    /// right while `fn` is odd). The caller has checked `0 < old_size < new_size`.
    pub(super) fn consistency(old_size: u64, new_size: u64) -> Self {
        let mut first = old_size.saturating_sub(1);
        let mut second = new_size.saturating_sub(1);
        // Bounded: each step clears one low bit of `first`, at most 64 of them.
        while first & 1 == 1 {
            first >>= 1;
            second >>= 1;
        }
        Self { first, second }
    }
}

impl Iterator for Sides {
    type Item = Side;

    fn next(&mut self) -> Option<Side> {
        if self.second == 0 {
            return None;
        }
        let side = if self.first & 1 == 1 || self.first == self.second {
            // Bounded: each step shifts `first` right until it is odd or 0.
            while self.first & 1 == 0 && self.first != 0 {
                self.first >>= 1;
                self.second >>= 1;
            }
            Side::Left
        } else {
            Side::Right
        };
        self.first >>= 1;
        self.second >>= 1;
        Some(side)
    }
}
