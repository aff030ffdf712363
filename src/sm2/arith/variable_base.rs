//! k·P in constant time for a point P known only at run time (the shared point of encryption
//! and decryption).
//!
//! k is first made odd (k or n − k, negating the result for the latter), then recoded into 52
//! odd signed digits of 5 bits, k = Σ dᵢ·2⁵ⁱ with dᵢ in {±1, ±3, …, ±31}. No digit is zero,
//! so the running sum is never infinity. The table holds P, 3P, …, 31P in affine form (one
//! inversion for all of them; P and its multiples are public, only k is secret), so each of
//! the 51 additions is a mixed one (8M + 3S instead of 12M + 4S); each lookup scans all of
//! the table.
//!
//! The table itself is built with mixed additions too, on an isomorphic curve: with
//! 2P = (X₂, Y₂, Z₂), the map (x, y) ↦ (x·Z₂², y·Z₂³) takes the curve to y² = x³ + a·Z₂⁴·x +
//! b·Z₂⁶, where the image of 2P is the affine (X₂, Y₂). The addition formulas do not use a or
//! b, so the images of 3P, 5P, … follow by adding (X₂, Y₂), and a result (X, Y, Z) there is
//! (X, Y, Z·Z₂) on our curve.
//!
//! Why the incomplete addition is safe until the last step: before adding dᵢ·P the sum is A·P
//! with A = Σ_{j>i} dⱼ·2⁵⁽ʲ⁻ⁱ⁾, a multiple of 32 other than zero (the top digit is odd and
//! outweighs the rest), so A ± dᵢ is a non-zero integer, and below n in magnitude except at
//! i = 0, where A + d₀ = k but A − d₀ may be n. The last addition is the complete one.

use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroize;

use super::point::{Affine, Jacobian, batch_to_affine_vartime};
use super::select::select_affine_ct;

pub(super) const WINDOW: usize = 5;
pub(super) const DIGITS: usize = 256usize.div_ceil(WINDOW);
const TABLE_LEN: usize = 1 << (WINDOW - 1);

/// The group order n as little-endian limbs.
const N: [u64; 4] = [
    0x53bb_f409_39d5_4123,
    0x7203_df6b_21c6_052b,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// k·P in constant time, for k (32 big-endian bytes) with 0 < k < n.
pub(crate) fn mul(k: &[u8; 32], point: &Affine) -> Jacobian {
    let mut limbs = le_limbs(k);
    let negated = make_odd(&mut limbs);
    let mut digits = recode_odd(&limbs);
    limbs.zeroize();

    let table = batch_to_affine_vartime(&odd_multiples(point));

    let never = Choice::from(0);
    let mut digits_from_top = digits.iter().rev();
    let mut acc = match digits_from_top.next() {
        Some(top) => Jacobian::from(lookup(&table, *top)),
        None => Jacobian::IDENTITY,
    };
    for (i, digit) in digits_from_top.enumerate() {
        acc = acc.double_n(WINDOW);
        let addend = lookup(&table, *digit);
        acc = if i == DIGITS - 2 {
            acc.add_mixed_complete_ct(&addend, never)
        } else {
            acc.add_mixed_distinct(&addend)
        };
    }
    digits.zeroize();
    Jacobian::conditional_select(&acc, &acc.neg(), negated)
}

/// (2j + 1)·P for j = 0 … 15 in Jacobian form, by mixed additions of 2P on the isomorphic
/// curve where 2P is affine (see the module doc). P, 3P, … are distinct and never ±2P, so the
/// incomplete addition is exact.
fn odd_multiples(point: &Affine) -> [Jacobian; TABLE_LEN] {
    let twice = Jacobian::from(*point).double();
    let (z, z_squared) = (twice.z, twice.z.square());
    let twice_there = Affine {
        x: twice.x,
        y: twice.y,
    };
    let point_there = Affine {
        x: point.x.mul(&z_squared),
        y: point.y.mul(&z_squared).mul(&z),
    };
    let mut multiples = [Jacobian::from(point_there); TABLE_LEN];
    for j in 1..TABLE_LEN {
        multiples[j] = multiples[j - 1].add_mixed_distinct(&twice_there);
    }
    for multiple in &mut multiples {
        multiple.z = multiple.z.mul(&z);
    }
    multiples
}

/// The 32 big-endian bytes `k` as little-endian 64-bit limbs.
pub(super) fn le_limbs(k: &[u8; 32]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().zip(k.rchunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    limbs
}

/// Replaces an even k by n − k (odd, as n is odd) and says whether it did, without branches.
pub(super) fn make_odd(limbs: &mut [u64; 4]) -> Choice {
    let even = Choice::from((!limbs[0] & 1) as u8);
    let mut borrow = 0u64;
    let mut complement = [0u64; 4];
    for ((out, n), k) in complement.iter_mut().zip(N).zip(*limbs) {
        let (diff, b1) = n.overflowing_sub(k);
        let (diff, b2) = diff.overflowing_sub(borrow);
        *out = diff;
        borrow = u64::from(b1 | b2);
    }
    for (limb, other) in limbs.iter_mut().zip(complement) {
        limb.conditional_assign(&other, even);
    }
    complement.zeroize();
    even
}

/// dᵢ·P from the table of odd multiples, scanning all of it.
pub(super) fn lookup(table: &[Affine], digit: i8) -> Affine {
    let negative = Choice::from(u8::from(digit < 0));
    // |d| = 2j + 1, so j = |d| >> 1.
    let index = digit.unsigned_abs() >> 1;
    select_affine_ct(table, u64::from(index)).conditional_neg(negative)
}

/// An odd k < 2²⁵⁶ as Σ dᵢ·2⁵ⁱ with every dᵢ odd in [−31, 31], without branches.
///
/// Each step takes dᵢ = (k mod 64) − 32; then k − dᵢ is k with its low six bits replaced by
/// 32, and (k − dᵢ)/32 is odd again. After 51 steps at most 2 remains (k < 2²⁵⁶), and it is
/// odd: the top digit is 1.
pub(super) fn recode_odd(k: &[u64; 4]) -> [i8; DIGITS] {
    let mut limbs = *k;
    let mut digits = [0i8; DIGITS];
    for digit in digits.iter_mut().take(DIGITS - 1) {
        *digit = ((limbs[0] & 63) as i8).wrapping_sub(32);
        limbs[0] = (limbs[0] & !63) | 32;
        shift_right(&mut limbs, WINDOW);
    }
    digits[DIGITS - 1] = (limbs[0] & 63) as i8;
    limbs.zeroize();
    digits
}

fn shift_right(limbs: &mut [u64; 4], bits: usize) {
    for i in 0..limbs.len() {
        let next = limbs.get(i + 1).copied().unwrap_or(0);
        limbs[i] = (limbs[i] >> bits) | (next << (64 - bits));
    }
}
