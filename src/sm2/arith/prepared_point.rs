//! k·P in constant time for a public point P used many times (an encryption key), with tables
//! P builds once: a quarter of the doublings of `variable_base.rs`.
//!
//! k is made odd and recoded into the same 52 odd signed 5-bit digits as in
//! `variable_base.rs`, k = Σ dᵢ·2⁵ⁱ (the top digit d₅₁ is 1, as k < 2²⁵⁶), and the digits are
//! dealt to four pieces of 13: dᵢ with i = 13j + t multiplies 2⁵ᵗ·Bⱼ, where Bⱼ = 2⁶⁵ʲ·P. The
//! tables hold the odd multiples Bⱼ, 3Bⱼ, …, 31Bⱼ in affine form, so
//! k·P = Σₜ 2⁵ᵗ·(Σⱼ d₁₃ⱼ₊ₜ·Bⱼ) is Horner's rule from t = 12 down: the first lookup starts the
//! sum, then 51 mixed additions and 12 × 5 = 60 doublings (and one more in each of the last
//! round's four complete additions), each lookup scanning its whole table.
//!
//! Why the incomplete addition is safe until the last round: the top round (t = 12) starts
//! from piece 0's digit, which is odd. In every later round t, before its additions, the sum
//! is S·P with S = 2⁵·Σⱼ 2⁶⁵ʲ·cⱼ, where cⱼ collects piece j's digits above t and c₀ is odd
//! (its lowest digit is), so S has exactly five factors of two; piece 0's digit is added
//! first, and S ± d is odd, since d is. In both cases every later addend d·2⁶⁵ʲ is even
//! while the sum stays odd. So the sum never equals ± the addend, and is never zero, as
//! integers. While t ≥ 1 they are not congruent mod n either: every cⱼ has at most 11
//! digits, so |cⱼ| < 2⁵⁵, and |c₃| < 2⁵¹ as its top digit is 1; hence |S| < 2²⁵² and every
//! sum of the round is below 2²⁵² + 4·2²⁰⁰ < n in magnitude. The sums of round 0 can pass n,
//! so its four additions are the complete ones.

use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroize;

use super::lincomb::{odd_multiples, piece_bases};
use super::point::{Affine, Jacobian};
use super::variable_base::{DIGITS, WINDOW, le_limbs, lookup, make_odd, recode_odd};

/// Pieces the digits are dealt to, digits in each, and the bits between piece bases.
const PIECES: usize = 4;
const PIECE_DIGITS: usize = DIGITS / PIECES;
const PIECE_BITS: usize = PIECE_DIGITS * WINDOW;

/// The odd multiples 1, 3, …, 31 of 2⁶⁵ʲ·P for j = 0 … 3, in affine form: a public point's
/// tables for [`PreparedPoint::mul`] (4 KiB).
pub(crate) struct PreparedPoint {
    pieces: [Vec<Affine>; PIECES],
}

impl PreparedPoint {
    /// The tables of P, which must not be infinity. Variable time: P is public.
    pub(crate) fn new(point: &Affine) -> Self {
        Self {
            pieces: odd_multiples(piece_bases(point, PIECE_BITS), WINDOW as u32 + 1),
        }
    }

    #[cfg(test)]
    pub(crate) fn points(&self) -> impl Iterator<Item = &Affine> {
        self.pieces.iter().flatten()
    }

    /// k·P in constant time, for k (32 big-endian bytes) with 0 < k < n.
    pub(crate) fn mul(&self, k: &[u8; 32]) -> Jacobian {
        let mut limbs = le_limbs(k);
        let negated = make_odd(&mut limbs);
        let mut digits = recode_odd(&limbs);
        limbs.zeroize();

        let digit = |j: usize, t: usize| digits[PIECE_DIGITS * j + t];
        let never = Choice::from(0);
        let top = PIECE_DIGITS - 1;
        let mut acc = Jacobian::from(lookup(&self.pieces[0], digit(0, top)));
        for (j, table) in self.pieces.iter().enumerate().skip(1) {
            acc = acc.add_mixed_distinct(&lookup(table, digit(j, top)));
        }
        for t in (0..top).rev() {
            acc = acc.double_n(WINDOW);
            for (j, table) in self.pieces.iter().enumerate() {
                let addend = lookup(table, digit(j, t));
                acc = if t == 0 {
                    acc.add_mixed_complete_ct(&addend, never)
                } else {
                    acc.add_mixed_distinct(&addend)
                };
            }
        }
        digits.zeroize();
        Jacobian::conditional_select(&acc, &acc.neg(), negated)
    }
}
