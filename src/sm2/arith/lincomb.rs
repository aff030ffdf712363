//! u1·G + u2·P for signature verification, where every input is public: variable time, with
//! width-w NAF digits and Straus's interleaving (one chain of doublings for both terms).
//!
//! G's odd multiples 1G … 127G (w = 8) are a static table; P's odd multiples 1P … 31P (w = 6)
//! form a [`PublicTable`], which a verifying key builds once and keeps.

use std::sync::LazyLock;

use super::field::Fe;
use super::point::{Affine, GENERATOR, Jacobian, batch_to_affine_vartime};

const G_WINDOW: u32 = 8;
const P_WINDOW: u32 = 6;

/// The odd multiples (2j + 1)·Q for j = 0 … len − 1, in affine form.
fn odd_multiples(point: &Affine, len: usize) -> Vec<Affine> {
    let base = Jacobian::from(*point);
    let twice = base.double();
    let mut points = Vec::with_capacity(len);
    let mut multiple = base;
    for _ in 0..len {
        points.push(multiple);
        multiple = multiple.add_vartime(&twice);
    }
    batch_to_affine_vartime(&points)
}

static G_TABLE: LazyLock<Vec<Affine>> =
    LazyLock::new(|| odd_multiples(&GENERATOR, 1 << (G_WINDOW - 2)));

/// The odd multiples of a public point, for [`lincomb_vartime`].
#[derive(Clone, Debug)]
pub(crate) struct PublicTable {
    odd_multiples: Vec<Affine>,
}

impl PublicTable {
    pub(crate) fn new(point: &Affine) -> Self {
        Self {
            odd_multiples: odd_multiples(point, 1 << (P_WINDOW - 2)),
        }
    }

    #[cfg(test)]
    pub(crate) fn points(&self) -> &[Affine] {
        &self.odd_multiples
    }
}

/// u1·G + u2·P, with u1, u2 as 32 big-endian bytes and P given by its table. Variable time.
pub(crate) fn lincomb_vartime(u1: &[u8; 32], u2: &[u8; 32], p: &PublicTable) -> Jacobian {
    let g_digits = wnaf(u1, G_WINDOW);
    let p_digits = wnaf(u2, P_WINDOW);
    let top = g_digits
        .iter()
        .zip(&p_digits)
        .rposition(|(a, b)| *a != 0 || *b != 0);
    let Some(top) = top else {
        return Jacobian::IDENTITY;
    };
    let mut acc = Jacobian::IDENTITY;
    for i in (0..=top).rev() {
        acc = acc.double();
        add_digit(&mut acc, &G_TABLE, g_digits[i]);
        add_digit(&mut acc, &p.odd_multiples, p_digits[i]);
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

/// The width-w NAF of k: k = Σ dᵢ·2ⁱ with every dᵢ zero or odd and below 2^(w−1) in
/// magnitude, and at most one non-zero digit in any w consecutive ones.
fn wnaf(k: &[u8; 32], width: u32) -> [i8; 257] {
    let mut limbs = [0u64; 5];
    for (limb, chunk) in limbs.iter_mut().zip(k.rchunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    let window = 1u64 << width;
    let mask = window - 1;
    let mut digits = [0i8; 257];
    let mut carry = 0u64;
    let mut position = 0usize;
    while position < 257 {
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
