//! The two bit matrices of the GFNI kernels: the SM4 S-box as `GF2P8AFFINEQB` followed by
//! `GF2P8AFFINEINVQB`.
//!
//! [`aes_domain`](super::aes_domain) writes the S-box as S(x) = M2·A(M1·x + c1) + c2 around
//! the AES S-box A(y) = K·y⁻¹ + 0x63, with y⁻¹ the inverse in GF(2^8) modulo
//! x^8 + x^4 + x^3 + x + 1 and K the AES affine map's linear part (FIPS 197 §5.1.1). So
//! S(x) = (M2·K)·(M1·x + c1)⁻¹ + (M2·0x63 + c2): one affine map, then the inversion the GFNI
//! instruction does in that same field followed by a second affine map. Both instructions
//! take the map as an 8×8 bit matrix in a 64-bit word and run on every byte of a register in
//! constant time.
//!
//! The instructions' matrix layout (Intel SDM, GF2P8AFFINEQB): output bit i is the parity of
//! the input byte AND byte 7 − i of the matrix word, XOR bit i of the immediate constant.

use super::aes_domain::{IN_HI, IN_LO, OUT_HI, OUT_LO, apply, m1, m2};

/// The linear part of the AES S-box's affine map: b ⊕ (b ⋘ 1) ⊕ (b ⋘ 2) ⊕ (b ⋘ 3) ⊕ (b ⋘ 4).
const fn aes_affine_linear(b: u8) -> u8 {
    b ^ b.rotate_left(1) ^ b.rotate_left(2) ^ b.rotate_left(3) ^ b.rotate_left(4)
}

/// M2·K, the linear part of the map out of the inversion.
const fn out_of_inversion(x: u8) -> u8 {
    m2(aes_affine_linear(x))
}

/// The GFNI matrix word of the linear byte map whose images of the unit bytes are `columns`
/// (`columns[j]` is the image of 1 << j).
const fn matrix(columns: [u8; 8]) -> u64 {
    let mut word = 0u64;
    let mut i = 0;
    while i < 8 {
        let mut row = 0u8;
        let mut j = 0;
        while j < 8 {
            row |= (columns[j] >> i & 1) << j;
            j += 1;
        }
        word |= (row as u64) << (8 * (7 - i));
        i += 1;
    }
    word
}

/// The images of the eight unit bytes under `map`.
macro_rules! columns {
    ($map:ident) => {{
        let mut columns = [0u8; 8];
        let mut j = 0;
        while j < 8 {
            columns[j] = $map(1 << j);
            j += 1;
        }
        columns
    }};
}

/// M1 as a GFNI matrix, for `GF2P8AFFINEQB`.
pub(super) const INTO_INVERSION: u64 = matrix(columns!(m1));

/// c1.
const C1: u8 = apply(&IN_LO, &IN_HI, 0);

/// M2·K as a GFNI matrix, for `GF2P8AFFINEINVQB`.
pub(super) const OUT_OF_INVERSION: u64 = matrix(columns!(out_of_inversion));

/// M2·0x63 + c2.
const C2: u8 = apply(&OUT_LO, &OUT_HI, 0x63);

/// XORed into both immediates in builds for Bochs 2.7 (`--cfg smtrust_bochs_gfni`), whose
/// GFNI affine instructions return the complement of every result byte (checked against
/// the instructions' definition on the unit bytes), so that the emulated run, which tests
/// the GFNI kernels on CI, computes the true S-box. Zero in every other build.
const EMULATOR_COMPLEMENT: u8 = if cfg!(smtrust_bochs_gfni) { 0xff } else { 0 };

// The complemented immediates are wrong on real hardware: only the emulated test build may
// have them.
#[cfg(all(smtrust_bochs_gfni, not(test)))]
compile_error!("--cfg smtrust_bochs_gfni is only for the test build of .ci/gfni-under-bochs");

/// The immediate of `GF2P8AFFINEQB`: c1.
pub(super) const INTO_INVERSION_CONSTANT: i32 = (C1 ^ EMULATOR_COMPLEMENT) as i32;

/// The immediate of `GF2P8AFFINEINVQB`: M2·0x63 + c2.
pub(super) const OUT_OF_INVERSION_CONSTANT: i32 = (C2 ^ EMULATOR_COMPLEMENT) as i32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sm4::aes_domain::tests::aes_field_inverse;
    use crate::sm4::portable;

    /// `GF2P8AFFINEQB` on one byte, from the instruction's definition.
    fn affine(matrix: u64, constant: u8, x: u8) -> u8 {
        let parity = |i: usize| ((matrix >> (8 * (7 - i))) as u8 & x).count_ones() as u8 & 1;
        (0..8).fold(constant, |out, i| out ^ parity(i) << i)
    }

    #[test]
    fn gbt32907_6_2_sbox_is_two_gfni_affine_maps() {
        for x in 0..=255u8 {
            let y = affine(INTO_INVERSION, C1, x);
            let s = affine(OUT_OF_INVERSION, C2, aes_field_inverse(y));
            // τ applies the S-box to each byte of a word (GB/T 32907-2016 §6.2).
            let expected = portable::tau(u32::from_be_bytes([x; 4])).to_be_bytes();
            assert_eq!([s; 4], expected, "byte {x:#04x}");
        }
    }

    /// The layout itself, on the identity map: 0x0102040810204080 (Intel SDM's example).
    #[test]
    fn the_identity_map_has_the_documented_matrix_word() {
        assert_eq!(matrix([1, 2, 4, 8, 16, 32, 64, 128]), 0x0102_0408_1020_4080);
    }
}
