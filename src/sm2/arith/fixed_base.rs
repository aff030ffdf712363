//! k·G in constant time with a precomputed comb: k is recoded into 43 signed digits of 6 bits,
//! k = Σ dᵢ·2⁶ⁱ with dᵢ in [−31, 32], and row i of the table holds 1·2⁶ⁱG … 32·2⁶ⁱG, so
//! k·G = Σ dᵢ·(2⁶ⁱG) costs 43 mixed additions and no doublings.
//!
//! Every lookup reads the whole row and keeps the wanted entry with a conditional move, so
//! neither memory access nor branches depend on k.
//!
//! Why the incomplete addition is safe for rows 0–41: the running sum Sᵢ = Σ_{j<i} dⱼ·2⁶ʲ has
//! |Sᵢ| < 2⁶ⁱ, so for dᵢ ≠ 0 both Sᵢ ± dᵢ·2⁶ⁱ are non-zero integers of magnitude below
//! 2⁶⁽ⁱ⁺¹⁾ ≤ 2²⁵² < n: the sum is never ±(the added point). The last row can wrap around n,
//! so it uses the complete addition.

use std::sync::LazyLock;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::point::{Affine, GENERATOR, Jacobian, batch_to_affine_vartime};
use super::select::select_affine_ct;

const WINDOW: usize = 6;
const ROWS: usize = 256usize.div_ceil(WINDOW);
const ROW_LEN: usize = 1 << (WINDOW - 1);

/// Row i holds j·2⁶ⁱ·G for j = 1 … 32, at index j − 1.
type Table = [[Affine; ROW_LEN]; ROWS];

static TABLE: LazyLock<Box<Table>> = LazyLock::new(build_table);

fn build_table() -> Box<Table> {
    let mut points = Vec::with_capacity(ROWS * ROW_LEN);
    let mut base = Jacobian::from(GENERATOR);
    for _ in 0..ROWS {
        let mut multiple = base;
        for _ in 0..ROW_LEN {
            points.push(multiple);
            multiple = multiple.add_vartime(&base);
        }
        base = base.double_n(WINDOW);
    }
    let affine = batch_to_affine_vartime(&points);
    let mut table = Box::new([[Affine::default(); ROW_LEN]; ROWS]);
    for (slot, point) in table.iter_mut().flatten().zip(affine) {
        *slot = point;
    }
    table
}

#[cfg(test)]
pub(crate) fn table_points() -> impl Iterator<Item = &'static Affine> {
    TABLE.iter().flatten()
}

/// k·G in constant time, for any k given as 32 big-endian bytes. The result is infinity
/// exactly when k ≡ 0 mod n.
pub(crate) fn mul_generator(k: &[u8; 32]) -> Jacobian {
    let mut digits = recode(k);
    let table = &*TABLE;
    let mut rows = table.iter().zip(digits.iter()).enumerate();
    // Row 0 starts the sum (infinity for a zero digit) without an addition.
    let mut acc = match rows.next() {
        Some((_, (row, digit))) => {
            let (point, is_zero) = lookup(row, *digit);
            Jacobian::conditional_select(&Jacobian::from(point), &Jacobian::IDENTITY, is_zero)
        }
        None => Jacobian::IDENTITY,
    };
    for (i, (row, digit)) in rows {
        let (point, is_zero) = lookup(row, *digit);
        acc = if i == ROWS - 1 {
            acc.add_mixed_complete_ct(&point, is_zero)
        } else {
            acc.add_mixed_ct(&point, is_zero)
        };
    }
    digits.zeroize();
    acc
}

/// dᵢ·(row base), scanning the whole row; also whether dᵢ = 0 (then the point is meaningless).
fn lookup(row: &[Affine; ROW_LEN], digit: i8) -> (Affine, Choice) {
    let negative = Choice::from(u8::from(digit < 0));
    let magnitude = digit.unsigned_abs();
    // Entry j holds (j + 1)·base; magnitude 0 matches none (index u64::MAX).
    let out = select_affine_ct(row, u64::from(magnitude).wrapping_sub(1));
    (out.conditional_neg(negative), magnitude.ct_eq(&0))
}

/// k = Σ dᵢ·2⁶ⁱ with dᵢ in [−31, 32] (the last digit in [0, 32]), without branches on k.
fn recode(k: &[u8; 32]) -> [i8; ROWS] {
    let mut limbs = [0u64; 5];
    for (limb, chunk) in limbs.iter_mut().zip(k.rchunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    let mut digits = [0i8; ROWS];
    let mut carry = 0u64;
    for (i, digit) in digits.iter_mut().enumerate() {
        let bit = i * WINDOW;
        let (index, shift) = (bit / 64, bit % 64);
        let low = limbs.get(index).copied().unwrap_or(0) >> shift;
        let high = match shift {
            0 => 0,
            _ => limbs.get(index + 1).copied().unwrap_or(0) << (64 - shift),
        };
        let value = ((low | high) & ((1 << WINDOW) - 1)) + carry;
        // carry = 1 when value > ROW_LEN, computed from the sign bit of ROW_LEN − value.
        carry = ((ROW_LEN as u64).wrapping_sub(value) >> 63) & 1;
        let signed = value.wrapping_sub(carry << WINDOW);
        *digit = signed as i8;
    }
    limbs.zeroize();
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The recoded digits sum back to k and stay within [−31, 32].
    #[test]
    fn recoding_is_exact() {
        let mut k = [0u8; 32];
        for (i, byte) in k.iter_mut().enumerate() {
            *byte = u8::try_from(i * 37 % 256).unwrap() ^ 0xa5;
        }
        for value in [[0xff; 32], [0; 32], k] {
            let digits = recode(&value);
            let bound = ROW_LEN as i8;
            assert!(digits.iter().all(|d| (1 - bound..=bound).contains(d)));
            // Σ dᵢ·2⁶ⁱ as a big integer, from the top down: acc = acc·64 + d.
            let mut acc = [0i128; 6]; // 48-bit limbs, signed, normalised at the end
            for d in digits.iter().rev() {
                let mut carry = i128::from(*d);
                for limb in acc.iter_mut() {
                    let v = *limb * (1 << WINDOW) + carry;
                    *limb = v.rem_euclid(1 << 48);
                    carry = v.div_euclid(1 << 48);
                }
            }
            let mut bytes = Vec::new();
            for limb in acc.iter() {
                for b in 0..6 {
                    bytes.push(u8::try_from((limb >> (8 * b)) & 0xff).unwrap());
                }
            }
            bytes.truncate(32);
            bytes.reverse();
            assert_eq!(bytes, value);
        }
    }
}
