//! The portable SM4 core: the S-box computed by a Boolean circuit on bit planes instead of a
//! table, so its timing and memory accesses do not depend on the data or the key.
//!
//! The SM4 S-box is affine-equivalent to inversion in GF(2^8) (GB/T 32907-2016 §6.2 gives it
//! as a table; that it equals A·(A·x + 0xd3)^-1 + 0xd3 in GF(2)[x]/(x^8+x^7+x^6+x^5+x^4+x^2+1)
//! is checked against the table by the tests below). Here the inversion is done in the AES field
//! GF(2)[x]/(x^8+x^4+x^3+x+1) after a field isomorphism folded into the affine maps, as
//! x^254 = x^-1 with four multiplications and seven squarings. Bit j of every byte lives in
//! plane j, so one pass of the circuit computes the S-box of up to 64 bytes at once.

use core::ops::{BitAnd, BitXor, Not};

use super::BLOCK_LEN;
use super::round::{Words, from_words, linear, to_words};

/// Blocks one bulk call enciphers together: 16 blocks give 64 S-box bytes a round, one bit
/// per lane of a `u64` plane.
pub(super) const PAR_BLOCKS: usize = 16;

/// Rows of the affine map into the AES field (row i: which input bits make output bit i),
/// and its constant.
const INTO_AES_FIELD: ([u8; 8], u8) = (
    [
        0b0100_1100,
        0b0010_1000,
        0b0111_1101,
        0b1011_1001,
        0b0001_1010,
        0b0010_0010,
        0b0101_0000,
        0b0101_1101,
    ],
    0x3e,
);

/// Rows and constant of the affine map from the inverse in the AES field to the S-box output.
const OUT_OF_AES_FIELD: ([u8; 8], u8) = (
    [
        0b1111_0011,
        0b1010_1011,
        0b0011_0100,
        0b1010_1001,
        0b0111_0100,
        0b1010_0110,
        0b1011_0101,
        0b1000_1001,
    ],
    0xd3,
);

/// A word of lanes the circuit runs on: one bit per lane, the same gates for all lanes.
trait Lane: Copy + BitAnd<Output = Self> + BitXor<Output = Self> + Not<Output = Self> {
    const ZERO: Self;
}

impl Lane for u32 {
    const ZERO: Self = 0;
}

impl Lane for u64 {
    const ZERO: Self = 0;
}

/// Bit plane j holds bit j of every byte.
type Planes<W> = [W; 8];

/// The SM4 S-box on every lane of `x`.
fn sbox<W: Lane>(x: Planes<W>) -> Planes<W> {
    affine(invert(affine(x, INTO_AES_FIELD)), OUT_OF_AES_FIELD)
}

/// Applies the public affine map `(rows, constant)` bitwise; the branches depend only on the
/// constant matrix, never on data.
fn affine<W: Lane>(x: Planes<W>, (rows, constant): ([u8; 8], u8)) -> Planes<W> {
    let mut out = x;
    for (bit, (slot, row)) in out.iter_mut().zip(rows).enumerate() {
        let mut acc = None;
        for (j, plane) in x.iter().enumerate() {
            if row >> j & 1 == 1 {
                acc = Some(acc.map_or(*plane, |a: W| a ^ *plane));
            }
        }
        let value = acc.unwrap_or(W::ZERO);
        *slot = if constant >> bit & 1 == 1 {
            !value
        } else {
            value
        };
    }
    out
}

/// x^254, which is x^-1 for x ≠ 0 and 0 for 0, in the AES field.
fn invert<W: Lane>(x: Planes<W>) -> Planes<W> {
    let x2 = square(x);
    let x3 = multiply(x2, x);
    let x12 = square(square(x3));
    let x15 = multiply(x12, x3);
    let x240 = square(square(square(square(x15))));
    multiply(multiply(x240, x12), x2)
}

/// Product in GF(2)[x]/(x^8+x^4+x^3+x+1): schoolbook, then reduction from the top term.
fn multiply<W: Lane>(a: Planes<W>, b: Planes<W>) -> Planes<W> {
    let mut product = [W::ZERO; 15];
    for (i, ai) in a.iter().enumerate() {
        for (j, bj) in b.iter().enumerate() {
            product[i + j] = product[i + j] ^ (*ai & *bj);
        }
    }
    reduce(product)
}

/// Squaring is linear in characteristic 2: coefficient i moves to 2i.
fn square<W: Lane>(a: Planes<W>) -> Planes<W> {
    let mut product = [W::ZERO; 15];
    for (i, ai) in a.iter().enumerate() {
        product[2 * i] = *ai;
    }
    reduce(product)
}

/// Reduces a degree-14 polynomial with x^8 = x^4 + x^3 + x + 1.
fn reduce<W: Lane>(mut p: [W; 15]) -> Planes<W> {
    for k in (8..15).rev() {
        let high = p[k];
        for tap in [k - 8, k - 7, k - 5, k - 4] {
            p[tap] = p[tap] ^ high;
        }
    }
    let mut out = [p[0]; 8];
    out.copy_from_slice(&p[..8]);
    out
}

/// Byte lanes of a `u32` at bits 0, 8, 16 and 24.
const LOW_BITS_32: u32 = 0x0101_0101;

/// The S-box on the four bytes of one word, one lane per byte.
pub(super) fn tau(word: u32) -> u32 {
    let mut planes = [0; 8];
    for (j, plane) in planes.iter_mut().enumerate() {
        *plane = word >> j & LOW_BITS_32;
    }
    sbox(planes)
        .iter()
        .enumerate()
        .fold(0, |out, (j, plane)| out | (plane & LOW_BITS_32) << j)
}

/// The S-box on the 64 bytes of 16 words at once.
fn tau16(words: [u32; PAR_BLOCKS]) -> [u32; PAR_BLOCKS] {
    let mut packed = [0u64; 8];
    for (slot, pair) in packed.iter_mut().zip(words.chunks_exact(2)) {
        *slot = u64::from(pair[0]) | u64::from(pair[1]) << 32;
    }
    let planes = to_planes(packed);
    let bytes = from_planes(sbox(planes));
    let mut out = [0; PAR_BLOCKS];
    for (pair, value) in out.chunks_exact_mut(2).zip(bytes) {
        // Truncation keeps the low word; the shift gives the high one.
        pair[0] = value as u32;
        pair[1] = (value >> 32) as u32;
    }
    out
}

/// Turns 64 bytes (8 per word) into 8 planes: plane j gets bit j of every byte.
fn to_planes(mut words: [u64; 8]) -> Planes<u64> {
    for word in &mut words {
        *word = transpose_bits(*word);
    }
    transpose_bytes(words)
}

/// The inverse of [`to_planes`]; both transposes are involutions.
fn from_planes(planes: Planes<u64>) -> [u64; 8] {
    let mut words = transpose_bytes(planes);
    for word in &mut words {
        *word = transpose_bits(*word);
    }
    words
}

/// Transposes the 8×8 bit matrix whose rows are the bytes of `x`: afterwards byte j holds bit
/// j of every original byte (three rounds of delta swaps).
fn transpose_bits(mut x: u64) -> u64 {
    let t = (x ^ (x >> 7)) & 0x00aa_00aa_00aa_00aa;
    x ^= t ^ (t << 7);
    let t = (x ^ (x >> 14)) & 0x0000_cccc_0000_cccc;
    x ^= t ^ (t << 14);
    let t = (x ^ (x >> 28)) & 0x0000_0000_f0f0_f0f0;
    x ^ t ^ (t << 28)
}

/// Transposes the 8×8 byte matrix whose rows are the words: afterwards word j holds byte j of
/// every original word.
fn transpose_bytes(mut m: [u64; 8]) -> [u64; 8] {
    for (half, mask) in [
        (4, 0x0000_0000_ffff_ffff_u64),
        (2, 0x0000_ffff_0000_ffff),
        (1, 0x00ff_00ff_00ff_00ff),
    ] {
        let shift = 8 * half;
        for low in (0..8).filter(|i| i & half == 0) {
            let (a, b) = (m[low], m[low + half]);
            m[low] = (a & mask) | ((b & mask) << shift);
            m[low + half] = ((a >> shift) & mask) | (b & !mask);
        }
    }
    m
}

/// Enciphers one block with round keys `rk` (pass them reversed to decipher).
pub(super) fn crypt_block(rk: &[u32; 32], block: &mut [u8; BLOCK_LEN]) {
    let mut x = to_words(block);
    for keys in rk.chunks_exact(4) {
        for (i, key) in keys.iter().enumerate() {
            let t = x[(i + 1) % 4] ^ x[(i + 2) % 4] ^ x[(i + 3) % 4] ^ key;
            x[i] ^= linear(tau(t));
        }
    }
    *block = from_words(x);
}

/// Enciphers 16 blocks together with round keys `rk` (pass them reversed to decipher).
pub(super) fn crypt_par(rk: &[u32; 32], blocks: &mut [[u8; BLOCK_LEN]; PAR_BLOCKS]) {
    let mut x: [Words; PAR_BLOCKS] = blocks.map(|block| to_words(&block));
    for keys in rk.chunks_exact(4) {
        for (i, key) in keys.iter().enumerate() {
            let t = x.map(|w| w[(i + 1) % 4] ^ w[(i + 2) % 4] ^ w[(i + 3) % 4] ^ key);
            for (w, s) in x.iter_mut().zip(tau16(t)) {
                w[i] ^= linear(s);
            }
        }
    }
    for (block, words) in blocks.iter_mut().zip(x) {
        *block = from_words(words);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The S-box from its algebraic form, independently of the circuit: A·(A·x + 0xd3)^-1 +
    /// 0xd3 in GF(2)[x]/(x^8+x^7+x^6+x^5+x^4+x^2+1), A the circulant matrix of row 0xa7.
    fn algebraic_sbox(x: u8) -> u8 {
        fn mul(mut a: u8, mut b: u8) -> u8 {
            let mut r = 0;
            while b != 0 {
                if b & 1 == 1 {
                    r ^= a;
                }
                b >>= 1;
                let carry = a & 0x80 != 0;
                a <<= 1;
                if carry {
                    a ^= 0xf5;
                }
            }
            r
        }
        fn affine(x: u8) -> u8 {
            (0..8).fold(0xd3, |out, i| {
                let row = 0xa7u8.rotate_left(i);
                out ^ (((row & x).count_ones() as u8 & 1) << i)
            })
        }
        let y = affine(x);
        let inverse = (1..=255u8).find(|&z| mul(y, z) == 1).unwrap_or(0);
        affine(inverse)
    }

    #[test]
    fn gbt32907_6_2_sbox_first_and_last_entries() {
        // GB/T 32907-2016 §6.2 table: S(00) = d6, S(01) = 90, S(ff) = 48.
        assert_eq!(tau(0x0000_01ff), 0xd6d6_9048);
        assert_eq!(algebraic_sbox(0x00), 0xd6);
        assert_eq!(algebraic_sbox(0xff), 0x48);
    }

    #[test]
    fn circuit_matches_algebraic_sbox_on_every_byte_and_lane() {
        for x in 0..=255u8 {
            let expected = u32::from_be_bytes([algebraic_sbox(x); 4]);
            assert_eq!(tau(u32::from_be_bytes([x; 4])), expected, "byte {x:#04x}");
            let mut words = [0; PAR_BLOCKS];
            for (i, word) in words.iter_mut().enumerate() {
                *word = u32::from_be_bytes([x, x ^ 0x5a, x.wrapping_add(i as u8), !x]);
            }
            for (word, out) in words.iter().zip(tau16(words)) {
                let expected = word.to_be_bytes().map(algebraic_sbox);
                assert_eq!(out.to_be_bytes(), expected);
            }
        }
    }

    #[test]
    fn plane_transposes_round_trip() {
        let words: [u64; 8] = core::array::from_fn(|i| {
            0x0123_4567_89ab_cdef_u64.rotate_left(7 * i as u32) ^ i as u64
        });
        assert_eq!(from_planes(to_planes(words)), words);
        // Plane 0 holds bit 0 of every byte: a word of bytes 0x01 fills it.
        let mut ones = [0; 8];
        ones[3] = 0x0101_0101_0101_0101;
        assert_eq!(to_planes(ones)[0].count_ones(), 8);
        assert!(to_planes(ones)[1..].iter().all(|p| *p == 0));
    }
}
