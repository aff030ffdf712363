//! The nibble tables of the AES-NI kernels: the SM4 S-box as `AESENCLAST` between two affine
//! maps, and the round function rewritten so that the state stays on the AES side of the
//! first map.
//!
//! SM4's S-box is S(x) = M2·A(M1·x + c1) + c2, with A the AES S-box (what `AESENCLAST`
//! computes) and M1, M2 bytewise linear maps (both S-boxes are affine-equivalent to inversion
//! in GF(2^8); the maps come from an isomorphism between the two fields and are checked
//! against the S-box by the tests). A map on bytes is done with `PSHUFB` on two 16-entry
//! tables, one per nibble: the table lives in a register and the data selects lanes inside it,
//! which takes the same time whatever the data.
//!
//! The kernels keep every state word as Y = M1·X. Since M1 is linear and the round only XORs
//! words before the S-box, the S-box input M1·(X1 ⊕ X2 ⊕ X3 ⊕ rk) + c1 is Y1 ⊕ Y2 ⊕ Y3 ⊕ rk′
//! with rk′ = M1·rk + c1, which goes straight into `AESENCLAST`; and the new word
//! Y0 ⊕ M1·L(M2·u + c2) for the AES output u is Y0 ⊕ G(u) ⊕ d, where G = M1∘L∘M2 is linear
//! and d = M1·L(c2, c2, c2, c2) is a constant. L mixes the bytes of a word only by rotations,
//! so byte j of G(u) is the sum over k of G_k(u_(j+k mod 4)) for four bytewise linear maps
//! G_k, one table pair each (G_1 = G_2). One affine map on the way in and its inverse on the
//! way out replace the two maps every round would otherwise cost.

/// The affine map in front of the AES S-box (M1 and c1), low and high nibble.
pub(super) const IN_LO: [u8; 16] = [
    0x3e, 0xb2, 0x0e, 0x82, 0xbb, 0x37, 0x8b, 0x07, 0xa1, 0x2d, 0x91, 0x1d, 0x24, 0xa8, 0x14, 0x98,
];
pub(super) const IN_HI: [u8; 16] = [
    0x00, 0xdc, 0x2e, 0xf2, 0xc5, 0x19, 0xeb, 0x37, 0x08, 0xd4, 0x26, 0xfa, 0xcd, 0x11, 0xe3, 0x3f,
];
/// The affine map after the AES S-box (M2 and c2).
pub(super) const OUT_LO: [u8; 16] = [
    0x6c, 0xd4, 0xa6, 0x1e, 0x52, 0xea, 0x98, 0x20, 0x0b, 0xb3, 0xc1, 0x79, 0x35, 0x8d, 0xff, 0x47,
];
pub(super) const OUT_HI: [u8; 16] = [
    0x00, 0xe0, 0x50, 0xb0, 0x9d, 0x7d, 0xcd, 0x2d, 0xc0, 0x20, 0x90, 0x70, 0x5d, 0xbd, 0x0d, 0xed,
];

/// A map on bytes given by its two nibble tables.
pub(super) const fn apply(lo: &[u8; 16], hi: &[u8; 16], x: u8) -> u8 {
    lo[(x & 0x0f) as usize] ^ hi[(x >> 4) as usize]
}

/// M1, the linear part of the map into the AES S-box.
pub(super) const fn m1(x: u8) -> u8 {
    apply(&IN_LO, &IN_HI, x) ^ apply(&IN_LO, &IN_HI, 0)
}

/// M2, the linear part of the map out of the AES S-box.
pub(super) const fn m2(x: u8) -> u8 {
    apply(&OUT_LO, &OUT_HI, x) ^ apply(&OUT_LO, &OUT_HI, 0)
}

/// What byte j + k of a word contributes to byte j of L of the word (GB/T 32907-2016 §6.2,
/// words big-endian): L = x ⊕ (x ⋘ 2) ⊕ (x ⋘ 10) ⊕ (x ⋘ 18) ⊕ (x ⋘ 24), and x ⋘ (8m + 2)
/// puts the low 6 bits of byte j + m and the top 2 of byte j + m + 1 into byte j.
const fn linear_part(k: usize, y: u8) -> u8 {
    match k {
        0 => y ^ y << 2,
        1 | 2 => y >> 6 ^ y << 2,
        _ => y >> 6 ^ y,
    }
}

/// M1 on its own, for the state on the way in.
pub(super) const M1: [[u8; 16]; 2] = {
    let mut tables = [[0; 16]; 2];
    let mut n = 0;
    while n < 16 {
        tables[0][n] = m1(n as u8);
        tables[1][n] = m1((n as u8) << 4);
        n += 1;
    }
    tables
};

/// M1⁻¹, for the state on the way out.
pub(super) const M1_INVERSE: [[u8; 16]; 2] = {
    let mut inverse = [0u8; 256];
    let mut x = 0;
    while x < 256 {
        inverse[m1(x as u8) as usize] = x as u8;
        x += 1;
    }
    let mut tables = [[0; 16]; 2];
    let mut n = 0;
    while n < 16 {
        tables[0][n] = inverse[n];
        tables[1][n] = inverse[n << 4];
        n += 1;
    }
    tables
};

/// G_k = M1∘(byte k's part of L)∘M2 as nibble tables, for k = 0, 1 (also 2) and 3; the
/// constant d rides on G_0's low table, which every output byte looks up exactly once.
pub(super) const G: [[[u8; 16]; 2]; 3] = {
    let c2 = apply(&OUT_LO, &OUT_HI, 0);
    // L of a word whose four bytes are all c2 is that word rotated by 2 bits.
    let d = m1(c2.rotate_left(2));
    let mut g = [[[0; 16]; 2]; 3];
    let mut which = 0;
    while which < 3 {
        let k = [0, 1, 3][which];
        let mut n = 0;
        while n < 16 {
            let constant = if k == 0 { d } else { 0 };
            g[which][0][n] = m1(linear_part(k, m2(n as u8))) ^ constant;
            g[which][1][n] = m1(linear_part(k, m2((n as u8) << 4)));
            n += 1;
        }
        which += 1;
    }
    g
};

/// Byte i of the result takes byte `INV_SHIFT_ROWS[i]` of the input: the inverse of AES
/// ShiftRows, so that `AESENCLAST`'s ShiftRows puts every byte back in its lane.
pub(super) const INV_SHIFT_ROWS: [u8; 16] = [0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3];

/// AES ShiftRows as a byte shuffle: the inverse of [`INV_SHIFT_ROWS`].
pub(super) const SHIFT_ROWS: [u8; 16] = {
    let mut forward = [0; 16];
    let mut i = 0;
    while i < 16 {
        forward[INV_SHIFT_ROWS[i] as usize] = i as u8;
        i += 1;
    }
    forward
};

/// For k = 0…3: every 32-bit lane rotated left by 8k bits (byte j takes byte j + k of the
/// big-endian word), then [`INV_SHIFT_ROWS`], in one shuffle.
pub(super) const ROTATE_THEN_INV_SHIFT_ROWS: [[u8; 16]; 4] = {
    let mut masks = [[0; 16]; 4];
    let mut k = 0;
    while k < 4 {
        let mut i = 0;
        while i < 16 {
            let source = INV_SHIFT_ROWS[i] as usize;
            masks[k][i] = (source / 4 * 4 + (source % 4 + k) % 4) as u8;
            i += 1;
        }
        k += 1;
    }
    masks
};

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::sm4::portable;
    use crate::sm4::round::linear;

    /// The inverse in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS 197 §4.2), with 0 ↦ 0.
    pub(in crate::sm4) fn aes_field_inverse(x: u8) -> u8 {
        let mul = |mut a: u8, mut b: u8| {
            let mut r = 0u8;
            while b != 0 {
                if b & 1 == 1 {
                    r ^= a;
                }
                a = a << 1 ^ if a & 0x80 != 0 { 0x1b } else { 0 };
                b >>= 1;
            }
            r
        };
        (1..=255u8).find(|&y| mul(x, y) == 1).unwrap_or(0)
    }

    /// The AES S-box from its definition (FIPS 197 §5.1.1): the inverse, then the affine map
    /// with constant 0x63.
    fn aes_sbox(x: u8) -> u8 {
        let inverse = aes_field_inverse(x);
        (0..8).fold(0x63, |out, i| {
            let bit = [0, 4, 5, 6, 7]
                .iter()
                .fold(0, |acc, j| acc ^ (inverse >> ((i + j) % 8) & 1));
            out ^ bit << i
        })
    }

    fn sm4_sbox(x: u8) -> u8 {
        portable::tau(u32::from(x)) as u8
    }

    #[test]
    fn gbt32907_6_2_sbox_is_affine_maps_around_the_aes_sbox() {
        for x in 0..=255u8 {
            let through_aes = apply(&OUT_LO, &OUT_HI, aes_sbox(apply(&IN_LO, &IN_HI, x)));
            assert_eq!(through_aes, sm4_sbox(x), "byte {x:#04x}");
        }
    }

    /// The round function's T = L∘τ on the AES side: for random-looking words x,
    /// M1·L(τ(x)) = G(A(M1·x + c1)) + d byte by byte.
    #[test]
    fn gbt32907_6_2_round_function_in_the_aes_domain() {
        let m1_word = |w: u32| u32::from_be_bytes(w.to_be_bytes().map(m1));
        for i in 0..4096u32 {
            let x = i.wrapping_mul(0x9e37_79b9) ^ i << 7;
            let expected = m1_word(linear(portable::tau(x)));
            let u = x.to_be_bytes().map(|b| aes_sbox(apply(&IN_LO, &IN_HI, b)));
            let mut got = [0u8; 4];
            for (j, out) in got.iter_mut().enumerate() {
                for k in 0..4 {
                    let tables = &G[[0, 1, 1, 2][k]];
                    *out ^= apply(&tables[0], &tables[1], u[(j + k) % 4]);
                }
            }
            assert_eq!(u32::from_be_bytes(got), expected, "word {x:#010x}");
        }
    }

    #[test]
    fn m1_inverse_and_shift_rows_undo_their_maps() {
        for x in 0..=255u8 {
            assert_eq!(apply(&M1_INVERSE[0], &M1_INVERSE[1], m1(x)), x);
            assert_eq!(apply(&M1[0], &M1[1], x), m1(x));
        }
        for i in 0..16 {
            assert_eq!(SHIFT_ROWS[INV_SHIFT_ROWS[i] as usize] as usize, i);
        }
    }
}
