//! SM4 cores for x86-64 with GFNI: the S-box is `GF2P8AFFINEQB` then `GF2P8AFFINEINVQB`
//! (see [`gfni_domain`](super::gfni_domain)), two instructions on every byte of a register,
//! so no table is indexed by secret data.
//!
//! The state stays in the standard domain, one SM4 word (big-endian, byte-swapped into the
//! lane) per 32-bit lane, and the round keys are the standard ones. A round is the S-box and
//! L(s) = s ⊕ (s ⋘ 2) ⊕ (s ⋘ 10) ⊕ (s ⋘ 18) ⊕ (s ⋘ 24) (GB/T 32907-2016 §6.2), in the rounds
//! the AES-NI kernels share ([`rounds`](super::x86::rounds)).
//!
//! Two register widths: GFNI with AVX2 on 256-bit registers (8 blocks a register, Intel's
//! client cores from Alder Lake on have this but no AVX-512), where L takes the byte
//! rotations from `VPSHUFB` and the 2-bit one from two shifts; and GFNI with AVX-512 on
//! 512-bit registers (16 blocks a register), where `VPROLD` rotates and the compiler merges
//! the XORs into `VPTERNLOGD`. The one-block path of the serial modes runs the 256-bit
//! kernel's round on 128-bit registers. Each width is reachable only through a token that
//! exists once its CPU features were detected.
#![allow(unsafe_code)]

use core::arch::x86_64::*;

use super::BLOCK_LEN;
use super::gfni_domain::{
    INTO_INVERSION, INTO_INVERSION_CONSTANT, OUT_OF_INVERSION, OUT_OF_INVERSION_CONSTANT,
};
use super::round::RoundKeys;
use super::x86::{BSWAP32, crypt256_with, rounds, table128, table256};

/// Proof that the CPU has GFNI and AVX2.
#[derive(Clone, Copy, Debug)]
pub(super) struct GfniAvx2(());

/// Proof that the CPU has GFNI, AVX-512 F and BW, and AVX2.
#[derive(Clone, Copy, Debug)]
pub(super) struct GfniAvx512(());

impl GfniAvx2 {
    /// The token, if this CPU has GFNI and AVX2.
    pub(super) fn detect() -> Option<Self> {
        (is_x86_feature_detected!("gfni") && is_x86_feature_detected!("avx2")).then_some(Self(()))
    }

    /// The S-box on the four bytes of a word.
    pub(super) fn tau(self, word: u32) -> u32 {
        // SAFETY: `self` exists only if `detect` found GFNI and AVX2.
        unsafe { tau_word(word) }
    }

    /// Enciphers one block with the lowest latency, for the serial modes.
    pub(super) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
        // SAFETY: `self` exists only if `detect` found GFNI and AVX2.
        unsafe { crypt1(rk, block) }
    }

    /// Enciphers 8 blocks together.
    pub(super) fn crypt8(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 8]) {
        // SAFETY: `self` exists only if `detect` found GFNI and AVX2.
        unsafe { crypt256::<1, 8>(rk, blocks) }
    }

    /// Enciphers 16 blocks together (two independent register sets).
    pub(super) fn crypt16(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 16]) {
        // SAFETY: `self` exists only if `detect` found GFNI and AVX2.
        unsafe { crypt256::<2, 16>(rk, blocks) }
    }

    /// Enciphers 32 blocks together (four independent register sets), for bulk data.
    pub(super) fn crypt32(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 32]) {
        // SAFETY: `self` exists only if `detect` found GFNI and AVX2.
        unsafe { crypt256::<4, 32>(rk, blocks) }
    }
}

impl GfniAvx512 {
    /// The token, if this CPU has GFNI, AVX-512 F and BW, and AVX2.
    pub(super) fn detect() -> Option<Self> {
        let found = is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && GfniAvx2::detect().is_some();
        found.then_some(Self(()))
    }

    /// The 256-bit kernels, which an AVX-512 CPU with GFNI also has.
    pub(super) fn avx2(self) -> GfniAvx2 {
        GfniAvx2(())
    }

    /// Enciphers 16 blocks together.
    pub(super) fn crypt16(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 16]) {
        // SAFETY: `self` exists only if `detect` found GFNI, AVX-512 F and BW, and AVX2.
        unsafe { crypt512::<1, 16>(rk, blocks) }
    }

    /// Enciphers 32 blocks together (two independent register sets).
    pub(super) fn crypt32(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 32]) {
        // SAFETY: `self` exists only if `detect` found GFNI, AVX-512 F and BW, and AVX2.
        unsafe { crypt512::<2, 32>(rk, blocks) }
    }

    /// Enciphers 64 blocks together (four independent register sets), for bulk data.
    pub(super) fn crypt64(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 64]) {
        // SAFETY: `self` exists only if `detect` found GFNI, AVX-512 F and BW, and AVX2.
        unsafe { crypt512::<4, 64>(rk, blocks) }
    }
}

/// Byte k of each 32-bit lane from byte k − n: the lane's value rotated left by 8n bits,
/// for n = 1, 2, 3 (entries 0, 1, 2).
const ROTATE_BYTES: [[u8; 16]; 3] = {
    let mut masks = [[0; 16]; 3];
    let mut n = 0;
    while n < 3 {
        let mut i = 0;
        while i < 16 {
            masks[n][i] = (i / 4 * 4 + (i + 3 - n) % 4) as u8;
            i += 1;
        }
        n += 1;
    }
    masks
};

// ---- 128- and 256-bit kernels ---------------------------------------------------------------

/// The S-box on every byte.
#[inline]
#[target_feature(enable = "gfni,avx2")]
fn sbox128(x: __m128i) -> __m128i {
    let into = _mm_set1_epi64x(i64::from_ne_bytes(INTO_INVERSION.to_ne_bytes()));
    let out = _mm_set1_epi64x(i64::from_ne_bytes(OUT_OF_INVERSION.to_ne_bytes()));
    let y = _mm_gf2p8affine_epi64_epi8::<INTO_INVERSION_CONSTANT>(x, into);
    _mm_gf2p8affineinv_epi64_epi8::<OUT_OF_INVERSION_CONSTANT>(y, out)
}

/// The S-box on the four bytes of `word`, for the key schedule.
#[target_feature(enable = "gfni,avx2")]
fn tau_word(word: u32) -> u32 {
    let s = sbox128(_mm_cvtsi32_si128(i32::from_ne_bytes(word.to_ne_bytes())));
    u32::from_ne_bytes(_mm_cvtsi128_si32(s).to_ne_bytes())
}

/// L on every 32-bit lane, as s ⊕ (s ⋘ 24) ⊕ ((s ⊕ (s ⋘ 8) ⊕ (s ⋘ 16)) ⋘ 2): three byte
/// shuffles and one shifted pair instead of four shifted pairs.
#[inline]
#[target_feature(enable = "gfni,avx2")]
fn linear128(s: __m128i, rotate: &[__m128i; 3]) -> __m128i {
    let [r8, r16, r24] = rotate.map(|mask| _mm_shuffle_epi8(s, mask));
    let t = _mm_xor_si128(_mm_xor_si128(s, r8), r16);
    let t2 = _mm_or_si128(_mm_slli_epi32::<2>(t), _mm_srli_epi32::<30>(t));
    _mm_xor_si128(_mm_xor_si128(s, r24), t2)
}

/// One block: word j of the block in every lane of register j.
#[target_feature(enable = "gfni,avx2")]
fn crypt1(rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
    let words = _mm_shuffle_epi8(table128(*block), table128(BSWAP32));
    let rotate = ROTATE_BYTES.map(table128);
    let t = |z| linear128(sbox128(z), &rotate);
    let x = [[
        _mm_shuffle_epi32::<0x00>(words),
        _mm_shuffle_epi32::<0x55>(words),
        _mm_shuffle_epi32::<0xaa>(words),
        _mm_shuffle_epi32::<0xff>(words),
    ]];
    let [x] = rounds!(__m128i, rk, x, xor: _mm_xor_si128, set1: _mm_set1_epi32, t: t);
    // The output is X35, X34, X33, X32 (GB/T 32907-2016 §7.1), lane 0 of each.
    let high = _mm_unpacklo_epi32(x[3], x[2]);
    let low = _mm_unpacklo_epi32(x[1], x[0]);
    let out = _mm_shuffle_epi8(_mm_unpacklo_epi64(high, low), table128(BSWAP32));
    // SAFETY: `block` is 16 writable bytes; no alignment is needed.
    unsafe { _mm_storeu_si128(block.as_mut_ptr().cast(), out) };
}

/// [`sbox128`] on 256-bit registers.
#[inline]
#[target_feature(enable = "gfni,avx2")]
fn sbox256(x: __m256i) -> __m256i {
    let into = _mm256_set1_epi64x(i64::from_ne_bytes(INTO_INVERSION.to_ne_bytes()));
    let out = _mm256_set1_epi64x(i64::from_ne_bytes(OUT_OF_INVERSION.to_ne_bytes()));
    let y = _mm256_gf2p8affine_epi64_epi8::<INTO_INVERSION_CONSTANT>(x, into);
    _mm256_gf2p8affineinv_epi64_epi8::<OUT_OF_INVERSION_CONSTANT>(y, out)
}

/// [`linear128`] on 256-bit registers.
#[inline]
#[target_feature(enable = "gfni,avx2")]
fn linear256(s: __m256i, rotate: &[__m256i; 3]) -> __m256i {
    let [r8, r16, r24] = rotate.map(|mask| _mm256_shuffle_epi8(s, mask));
    let t = _mm256_xor_si256(_mm256_xor_si256(s, r8), r16);
    let t2 = _mm256_or_si256(_mm256_slli_epi32::<2>(t), _mm256_srli_epi32::<30>(t));
    _mm256_xor_si256(_mm256_xor_si256(s, r24), t2)
}

/// `SETS` register sets of 8 blocks each; `BLOCKS` = 8·`SETS`.
#[target_feature(enable = "gfni,avx2")]
fn crypt256<const SETS: usize, const BLOCKS: usize>(
    rk: &RoundKeys,
    blocks: &mut [[u8; BLOCK_LEN]; BLOCKS],
) {
    let bswap = table256(BSWAP32);
    let rotate = ROTATE_BYTES.map(|mask| table256(mask));
    let t = |z| linear256(sbox256(z), &rotate);
    crypt256_with::<SETS, BLOCKS>(
        blocks,
        |w| _mm256_shuffle_epi8(w, bswap),
        |x| rounds!(__m256i, rk, x, xor: _mm256_xor_si256, set1: _mm256_set1_epi32, t: t),
        |w| _mm256_shuffle_epi8(w, bswap),
    );
}

// ---- 512-bit kernel -------------------------------------------------------------------------

/// [`sbox128`] on 512-bit registers.
#[inline]
#[target_feature(enable = "gfni,avx512f,avx512bw")]
fn sbox512(x: __m512i) -> __m512i {
    let into = _mm512_set1_epi64(i64::from_ne_bytes(INTO_INVERSION.to_ne_bytes()));
    let out = _mm512_set1_epi64(i64::from_ne_bytes(OUT_OF_INVERSION.to_ne_bytes()));
    let y = _mm512_gf2p8affine_epi64_epi8::<INTO_INVERSION_CONSTANT>(x, into);
    _mm512_gf2p8affineinv_epi64_epi8::<OUT_OF_INVERSION_CONSTANT>(y, out)
}

/// L on every 32-bit lane with four `VPROLD`.
#[inline]
#[target_feature(enable = "gfni,avx512f,avx512bw")]
fn linear512(s: __m512i) -> __m512i {
    let a = _mm512_xor_si512(_mm512_rol_epi32::<2>(s), _mm512_rol_epi32::<10>(s));
    let b = _mm512_xor_si512(_mm512_rol_epi32::<18>(s), _mm512_rol_epi32::<24>(s));
    _mm512_xor_si512(s, _mm512_xor_si512(a, b))
}

/// Transposes the 32-bit lanes of four registers within each 128-bit quarter (an involution).
#[inline]
#[target_feature(enable = "gfni,avx512f,avx512bw")]
fn transpose512(r: [__m512i; 4]) -> [__m512i; 4] {
    let t0 = _mm512_unpacklo_epi32(r[0], r[1]);
    let t1 = _mm512_unpacklo_epi32(r[2], r[3]);
    let t2 = _mm512_unpackhi_epi32(r[0], r[1]);
    let t3 = _mm512_unpackhi_epi32(r[2], r[3]);
    [
        _mm512_unpacklo_epi64(t0, t1),
        _mm512_unpackhi_epi64(t0, t1),
        _mm512_unpacklo_epi64(t2, t3),
        _mm512_unpackhi_epi64(t2, t3),
    ]
}

/// `SETS` register sets of 16 blocks each; `BLOCKS` = 16·`SETS`.
#[target_feature(enable = "gfni,avx512f,avx512bw")]
fn crypt512<const SETS: usize, const BLOCKS: usize>(
    rk: &RoundKeys,
    blocks: &mut [[u8; BLOCK_LEN]; BLOCKS],
) {
    const { assert!(BLOCKS == 16 * SETS) };
    let bswap = _mm512_broadcast_i32x4(table128(BSWAP32));
    let x: [[__m512i; 4]; SETS] = core::array::from_fn(|set| {
        let load = |i: usize| {
            let quad = &blocks[16 * set + 4 * i..16 * set + 4 * i + 4];
            // SAFETY: `quad` is four adjacent 16-byte blocks, 64 readable bytes.
            unsafe { _mm512_loadu_si512(quad.as_ptr().cast()) }
        };
        transpose512([load(0), load(1), load(2), load(3)]).map(|w| _mm512_shuffle_epi8(w, bswap))
    });
    let t = |z| linear512(sbox512(z));
    let x = rounds!(__m512i, rk, x, xor: _mm512_xor_si512, set1: _mm512_set1_epi32, t: t);
    for (set, w) in x.iter().enumerate() {
        let natural = [w[3], w[2], w[1], w[0]].map(|w| _mm512_shuffle_epi8(w, bswap));
        for (i, reg) in transpose512(natural).iter().enumerate() {
            let quad = &mut blocks[16 * set + 4 * i..16 * set + 4 * i + 4];
            // SAFETY: `quad` is four adjacent 16-byte blocks, 64 writable bytes.
            unsafe { _mm512_storeu_si512(quad.as_mut_ptr().cast(), *reg) };
        }
    }
}

#[cfg(all(test, smtrust_bochs_gfni))]
mod tests {
    use super::*;

    /// The emulated build's premise (`gfni_domain`'s EMULATOR_COMPLEMENT): the identity map
    /// with a zero immediate gives 0xff for 0x00 on Bochs 2.7, where real hardware gives 0x00.
    /// An emulator that computes GFNI correctly fails here, saying that the cfg must go.
    #[test]
    fn the_emulator_complements_gfni_affine_results() {
        #[target_feature(enable = "gfni,avx2")]
        fn identity_of_zero() -> u8 {
            let identity = _mm_set1_epi64x(0x0102_0408_1020_4080);
            let y = _mm_gf2p8affine_epi64_epi8::<0>(_mm_setzero_si128(), identity);
            _mm_cvtsi128_si32(y).to_ne_bytes()[0]
        }
        assert!(GfniAvx2::detect().is_some(), "the emulated run has GFNI");
        // SAFETY: GFNI and AVX2 were detected just above.
        let got = unsafe { identity_of_zero() };
        assert_eq!(
            got, 0xff,
            "this emulator computes GFNI correctly: drop --cfg smtrust_bochs_gfni"
        );
    }
}
