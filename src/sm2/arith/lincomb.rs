//! u1·G + u2·P for signature verification, where every input is public: variable time, with
//! width-w NAF digits and Straus's interleaving (one chain of doublings for all terms).
//!
//! Two shapes:
//! - one-shot: u1 and u2 as whole 256-bit NAFs, P's odd multiples 1P … 15P (w = 5) made on
//!   the spot, 256 doublings;
//! - prepared: each scalar cut into four 64-bit pieces, u = Σ uⱼ·2⁶⁴ʲ, against the odd
//!   multiples of 2⁶⁴ʲ·G (w = 8, static) and of 2⁶⁴ʲ·P (w = 6, a [`PublicTable`] a verifying
//!   key builds once), 64 doublings.

use std::sync::LazyLock;

use super::field::Fe;
use super::point::{Affine, GENERATOR, Jacobian, batch_to_affine_vartime};
use super::variable_base::le_limbs;

const G_WINDOW: u32 = 8;
const P_WINDOW: u32 = 6;
const ONE_SHOT_P_WINDOW: u32 = 5;
/// Pieces each scalar is cut into for a prepared key, and their width in bits.
const PIECES: usize = 4;
const PIECE_BITS: usize = 64;

/// The odd multiples (2j + 1)·Q for j = 0 … 2^(w−2) − 1 of each Q in `bases`, in affine
/// form, with one inversion for all of them.
pub(super) fn odd_multiples<const N: usize>(bases: [Jacobian; N], width: u32) -> [Vec<Affine>; N] {
    let len = 1usize << (width - 2);
    let mut points = Vec::with_capacity(N * len);
    for base in bases {
        let twice = base.double();
        let mut multiple = base;
        for _ in 0..len {
            points.push(multiple);
            multiple = multiple.add_vartime(&twice);
        }
    }
    let affine = batch_to_affine_vartime(&points);
    let mut chunks = affine.chunks_exact(len);
    core::array::from_fn(|_| chunks.next().map(<[Affine]>::to_vec).unwrap_or_default())
}

/// Q, 2^bits·Q, 2^(2·bits)·Q, … (N of them). Variable time: Q is public.
pub(super) fn piece_bases<const N: usize>(point: &Affine, bits: usize) -> [Jacobian; N] {
    let mut bases = [Jacobian::from(*point); N];
    for j in 1..N {
        bases[j] = bases[j - 1].double_n(bits);
    }
    bases
}

static G_TABLES: LazyLock<[Vec<Affine>; PIECES]> =
    LazyLock::new(|| odd_multiples(piece_bases(&GENERATOR, PIECE_BITS), G_WINDOW));

/// The odd multiples of 2⁶⁴ʲ·P for a public point P, for [`lincomb_prepared_vartime`].
#[derive(Clone, Debug)]
pub(crate) struct PublicTable {
    pieces: [Vec<Affine>; PIECES],
}

impl PublicTable {
    pub(crate) fn new(point: &Affine) -> Self {
        Self {
            pieces: odd_multiples(piece_bases(point, PIECE_BITS), P_WINDOW),
        }
    }

    #[cfg(test)]
    pub(crate) fn points(&self) -> impl Iterator<Item = &Affine> {
        self.pieces.iter().flatten()
    }
}

/// u1·G + u2·P with whole-scalar NAFs and P's multiples made here. Variable time.
pub(crate) fn lincomb_vartime(u1: &[u8; 32], u2: &[u8; 32], p: &Affine) -> Jacobian {
    let [p_multiples] = odd_multiples([Jacobian::from(*p)], ONE_SHOT_P_WINDOW);
    let g_digits: [i8; 257] = wnaf(&le_limbs(u1), G_WINDOW);
    let p_digits: [i8; 257] = wnaf(&le_limbs(u2), ONE_SHOT_P_WINDOW);
    straus_vartime(&[(&g_digits, &G_TABLES[0]), (&p_digits, &p_multiples)])
}

/// u1·G + u2·P with P's prepared table: both scalars in four pieces. Variable time.
pub(crate) fn lincomb_prepared_vartime(u1: &[u8; 32], u2: &[u8; 32], p: &PublicTable) -> Jacobian {
    let (u1, u2) = (le_limbs(u1), le_limbs(u2));
    let g_digits: [[i8; PIECE_BITS + 1]; PIECES] =
        core::array::from_fn(|j| wnaf(&u1[j..=j], G_WINDOW));
    let p_digits: [[i8; PIECE_BITS + 1]; PIECES] =
        core::array::from_fn(|j| wnaf(&u2[j..=j], P_WINDOW));
    let mut terms: Vec<(&[i8], &[Affine])> = Vec::with_capacity(2 * PIECES);
    for j in 0..PIECES {
        terms.push((&g_digits[j], &G_TABLES[j]));
        terms.push((&p_digits[j], &p.pieces[j]));
    }
    straus_vartime(&terms)
}

/// Σ (digits · base) over the terms, each base given by its odd multiples, with one chain of
/// doublings from the highest non-zero digit down.
fn straus_vartime(terms: &[(&[i8], &[Affine])]) -> Jacobian {
    let top = terms
        .iter()
        .filter_map(|(digits, _)| digits.iter().rposition(|d| *d != 0))
        .max();
    let Some(top) = top else {
        return Jacobian::IDENTITY;
    };
    let mut acc = Jacobian::IDENTITY;
    for i in (0..=top).rev() {
        acc = acc.double();
        for (digits, odd_multiples) in terms {
            if let Some(digit) = digits.get(i) {
                add_digit(&mut acc, odd_multiples, *digit);
            }
        }
    }
    acc
}

fn add_digit(acc: &mut Jacobian, odd_multiples: &[Affine], digit: i8) {
    let index = usize::from(digit.unsigned_abs() >> 1);
    if let Some(point) = odd_multiples.get(index) {
        *acc = match digit {
            0 => return,
            d if d > 0 => acc.add_mixed_vartime(point),
            _ => acc.add_mixed_vartime(&point.neg()),
        };
    }
}

/// The width-w NAF of the little-endian `limbs` over LEN positions (64·limbs + 1 suffices):
/// k = Σ dᵢ·2ⁱ with every dᵢ zero or odd and below 2^(w−1) in magnitude, and at most one
/// non-zero digit in any w consecutive ones.
fn wnaf<const LEN: usize>(limbs: &[u64], width: u32) -> [i8; LEN] {
    let window = 1u64 << width;
    let mask = window - 1;
    let mut digits = [0i8; LEN];
    let mut carry = 0u64;
    let mut position = 0usize;
    while position < LEN {
        let (index, shift) = (position / 64, position % 64);
        let mut bits = limbs.get(index).copied().unwrap_or(0) >> shift;
        if shift != 0 {
            bits |= limbs.get(index + 1).copied().unwrap_or(0) << (64 - shift);
        }
        let value = (bits & mask) + carry;
        if value & 1 == 0 {
            // A zero digit here. The carry stays: if it is 1, this bit was 1 and 1 + 1
            // carries on to the next position.
            position += 1;
            continue;
        }
        let digit = if value < window / 2 {
            carry = 0;
            value as i64
        } else {
            carry = 1;
            value as i64 - window as i64
        };
        if let Some(slot) = digits.get_mut(position) {
            *slot = digit as i8;
        }
        position += width as usize;
    }
    digits
}

/// Whether the affine x of `point` (not infinity) equals the 32-byte big-endian `x`.
/// Variable time: no inversion, X = x·Z².
pub(crate) fn x_equals_vartime(point: &Jacobian, x: &[u8; 32]) -> bool {
    match Fe::from_be_bytes(x) {
        Some(x) => {
            let expected = x.mul(&point.z.square());
            bool::from(subtle::ConstantTimeEq::ct_eq(&expected, &point.x))
        }
        None => false,
    }
}
