//! GHASH for x86-64 with `PCLMULQDQ` (NIST SP 800-38D §6.4), free of data-dependent
//! branches and table lookups.
//!
//! GHASH's bit order is reflected: the first bit of a block is the constant term. Rather than
//! reflect every bit, the kernel works in POLYVAL's domain (RFC 8452 Appendix A): with
//! blocks byte-reversed, GHASH_H(X₁, …, Xₙ) = ByteReverse(POLYVAL_H′(ByteReverse(X₁), …)),
//! where H′ = ByteReverse(H)·x and POLYVAL multiplies by dot(a, b) = a·b·x⁻¹²⁸ mod
//! P = x¹²⁸ + x¹²⁷ + x¹²⁶ + x¹²¹ + 1. So a block costs one byte shuffle, its product one
//! carry-less multiply per pair of 64-bit halves, and the x⁻¹²⁸ a Montgomery reduction of
//! two multiplies by P's middle word. Four blocks share one reduction: with Hᵏ the dot-powers
//! of H′ (H¹ = H′, Hᵏ⁺¹ = dot(Hᵏ, H′)), four steps of Y ← dot(Y ⊕ X, H′) equal
//! ((Y ⊕ X₁)·H⁴ ⊕ X₂·H³ ⊕ X₃·H² ⊕ X₄·H¹)·x⁻¹²⁸, one reduction of the summed products.
//!
//! Reachable only through a [`Clmul`] token, which exists once the CPU features were
//! detected.
#![allow(unsafe_code)]

use core::arch::x86_64::*;

use super::BLOCK_LEN;

/// H′ and its dot-powers H², H³, H⁴ as POLYVAL field elements (little-endian integers).
pub(super) type Powers = [u128; 4];

/// P's terms x¹²⁷ + x¹²⁶ + x¹²¹ as a 64-bit word of the x⁶⁴ column.
const P_MIDDLE: i64 = 0xc200_0000_0000_0000_u64.cast_signed();

/// P mod x¹²⁸, for multiplying H by x.
const P_LOW: u128 = 0xc200_0000_0000_0000_0000_0000_0000_0001;

/// Reverses the 16 bytes of a register.
const BYTE_REVERSE: [u8; 16] = [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];

/// Proof that the CPU has `PCLMULQDQ` and SSSE3.
#[derive(Clone, Copy, Debug)]
pub(super) struct Clmul(());

impl Clmul {
    pub(super) fn detect() -> Option<Self> {
        (is_x86_feature_detected!("pclmulqdq") && is_x86_feature_detected!("ssse3"))
            .then_some(Self(()))
    }

    /// H′, H², H³, H⁴ for the hash subkey `h` (the block E_K(0¹²⁸)).
    pub(super) fn powers(self, h: &[u8; BLOCK_LEN]) -> Powers {
        // H′ = ByteReverse(H)·x mod P, the carry folded in by a mask rather than a branch.
        let reversed = u128::from_be_bytes(*h);
        let carry = (reversed >> 127).wrapping_neg();
        let h1 = (reversed << 1) ^ (carry & P_LOW);
        // SAFETY: `self` exists only if `detect` found PCLMULQDQ and SSSE3.
        unsafe { dot_powers(h1) }
    }

    /// GHASH_H(A ‖ 0ᵛ ‖ C ‖ 0ᵘ ‖ [len(A)]₆₄ ‖ [len(C)]₆₄) (SP 800-38D §7.1 step 5), with the
    /// lengths in bits given.
    pub(super) fn ghash(
        self,
        powers: &Powers,
        aad: &[u8],
        ciphertext: &[u8],
        bits: [u64; 2],
    ) -> [u8; BLOCK_LEN] {
        // SAFETY: `self` exists only if `detect` found PCLMULQDQ and SSSE3.
        unsafe { ghash(powers, aad, ciphertext, bits) }
    }
}

#[inline]
#[target_feature(enable = "pclmulqdq,ssse3")]
fn from_u128(x: u128) -> __m128i {
    // Truncation keeps the low half; the casts reinterpret the bits.
    _mm_set_epi64x((x >> 64) as u64 as i64, x as u64 as i64)
}

#[inline]
#[target_feature(enable = "pclmulqdq,ssse3")]
fn to_le_bytes(x: __m128i) -> [u8; BLOCK_LEN] {
    let mut bytes = [0; BLOCK_LEN];
    // SAFETY: `bytes` is 16 writable bytes; the store has no alignment requirement.
    unsafe { _mm_storeu_si128(bytes.as_mut_ptr().cast(), x) };
    bytes
}

/// A block as a POLYVAL element: its bytes reversed.
#[inline]
#[target_feature(enable = "pclmulqdq,ssse3")]
fn load_reversed(block: &[u8; BLOCK_LEN], reverse: __m128i) -> __m128i {
    // SAFETY: `block` is 16 readable bytes; the load has no alignment requirement.
    let x = unsafe { _mm_loadu_si128(block.as_ptr().cast()) };
    _mm_shuffle_epi8(x, reverse)
}

/// An unreduced 256-bit product, as its low, middle (x⁶⁴) and high (x¹²⁸) columns.
#[derive(Clone, Copy)]
struct Product {
    low: __m128i,
    middle: __m128i,
    high: __m128i,
}

impl Product {
    /// a·b, schoolbook on 64-bit halves.
    #[inline]
    #[target_feature(enable = "pclmulqdq,ssse3")]
    fn of(a: __m128i, b: __m128i) -> Self {
        Self {
            low: _mm_clmulepi64_si128::<0x00>(a, b),
            middle: _mm_xor_si128(
                _mm_clmulepi64_si128::<0x01>(a, b),
                _mm_clmulepi64_si128::<0x10>(a, b),
            ),
            high: _mm_clmulepi64_si128::<0x11>(a, b),
        }
    }

    #[inline]
    #[target_feature(enable = "pclmulqdq,ssse3")]
    fn plus(self, other: Self) -> Self {
        Self {
            low: _mm_xor_si128(self.low, other.low),
            middle: _mm_xor_si128(self.middle, other.middle),
            high: _mm_xor_si128(self.high, other.high),
        }
    }

    /// The product times x⁻¹²⁸ mod P: twice, the lowest 64-bit word d is cancelled by
    /// adding d·P = d·x¹²⁸ + d·c·x⁶⁴ + d (c = P's middle word); what is left is the high half.
    #[inline]
    #[target_feature(enable = "pclmulqdq,ssse3")]
    fn reduce(self) -> __m128i {
        let c = _mm_set_epi64x(0, P_MIDDLE);
        let mut low = _mm_xor_si128(self.low, _mm_slli_si128::<8>(self.middle));
        let high = _mm_xor_si128(self.high, _mm_srli_si128::<8>(self.middle));
        for _ in 0..2 {
            // Swapping the halves moves d up by x¹²⁸ (and the next word down to be cancelled).
            let dc = _mm_clmulepi64_si128::<0x00>(low, c);
            low = _mm_xor_si128(_mm_shuffle_epi32::<0x4e>(low), dc);
        }
        _mm_xor_si128(high, low)
    }
}

#[target_feature(enable = "pclmulqdq,ssse3")]
fn dot_powers(h1: u128) -> Powers {
    let h = from_u128(h1);
    let mut power = h;
    let mut powers = [h1; 4];
    for slot in powers.iter_mut().skip(1) {
        power = Product::of(power, h).reduce();
        *slot = u128::from_le_bytes(to_le_bytes(power));
    }
    powers
}

#[target_feature(enable = "pclmulqdq,ssse3")]
fn ghash(powers: &Powers, aad: &[u8], ciphertext: &[u8], bits: [u64; 2]) -> [u8; BLOCK_LEN] {
    let [h1, h2, h3, h4] = powers.map(|p| from_u128(p));
    let keys = Keys { h1, h2, h3, h4 };
    let reverse = load_bytes(BYTE_REVERSE);
    let mut y = _mm_setzero_si128();
    y = absorb(&keys, reverse, y, aad);
    y = absorb(&keys, reverse, y, ciphertext);
    // The lengths block as a POLYVAL element: [len(A)]₆₄ is its high half.
    let [aad_bits, ciphertext_bits] = bits.map(u64::cast_signed);
    let lengths = _mm_set_epi64x(aad_bits, ciphertext_bits);
    y = Product::of(_mm_xor_si128(y, lengths), keys.h1).reduce();
    to_le_bytes(_mm_shuffle_epi8(y, reverse))
}

#[inline]
#[target_feature(enable = "pclmulqdq,ssse3")]
fn load_bytes(bytes: [u8; 16]) -> __m128i {
    // SAFETY: `bytes` is 16 readable bytes; the load has no alignment requirement.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// The dot-powers of H′ in registers.
struct Keys {
    h1: __m128i,
    h2: __m128i,
    h3: __m128i,
    h4: __m128i,
}

/// Y after hashing `data` padded with zeros to whole blocks: four blocks per reduction, then
/// one at a time.
#[target_feature(enable = "pclmulqdq,ssse3")]
fn absorb(keys: &Keys, reverse: __m128i, mut y: __m128i, data: &[u8]) -> __m128i {
    let (blocks, tail) = data.as_chunks::<BLOCK_LEN>();
    let (quads, rest) = blocks.as_chunks::<4>();
    for [x1, x2, x3, x4] in quads {
        let first = _mm_xor_si128(y, load_reversed(x1, reverse));
        y = Product::of(first, keys.h4)
            .plus(Product::of(load_reversed(x2, reverse), keys.h3))
            .plus(Product::of(load_reversed(x3, reverse), keys.h2))
            .plus(Product::of(load_reversed(x4, reverse), keys.h1))
            .reduce();
    }
    for block in rest {
        let x = _mm_xor_si128(y, load_reversed(block, reverse));
        y = Product::of(x, keys.h1).reduce();
    }
    if !tail.is_empty() {
        let mut padded = [0; BLOCK_LEN];
        padded
            .iter_mut()
            .zip(tail)
            .for_each(|(slot, byte)| *slot = *byte);
        let x = _mm_xor_si128(y, load_reversed(&padded, reverse));
        y = Product::of(x, keys.h1).reduce();
    }
    y
}
