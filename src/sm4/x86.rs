//! SM4 cores for x86-64 with AES-NI: the S-box computed by `AESENCLAST`, so no table is
//! indexed by secret data.
//!
//! The kernels run the round function on the AES side of the S-box's input map (see
//! [`aes_domain`](super::aes_domain)): each round is one `AESENCLAST` with a zero round key,
//! then the linear layer with the output map folded in as six `PSHUFB` nibble-table lookups
//! and four byte shuffles, so a round costs about as long as the AES instruction plus a dozen
//! one-cycle steps. `AESENCLAST` computes ShiftRows(SubBytes(x)); the state is kept permuted
//! by the inverse of ShiftRows, which the byte shuffles of the linear layer restore for free.
//! The round keys are kept in the same domain ([`AesNi::kernel_keys`]).
//!
//! Two register widths: SSSE3 + AES-NI on 128-bit registers (one block spread over a
//! register for the serial modes, or 4 blocks a register, 8 in flight), and AVX2 + VAES on
//! 256-bit registers (8 blocks a register, 16 in flight). Each is reachable only through a
//! token that exists once the CPU features were detected.
#![allow(unsafe_code)]

use core::arch::x86_64::*;

use super::BLOCK_LEN;
use super::aes_domain::{
    G, IN_HI, IN_LO, INV_SHIFT_ROWS, M1, M1_INVERSE, OUT_HI, OUT_LO, ROTATE_THEN_INV_SHIFT_ROWS,
    SHIFT_ROWS,
};
use super::round::RoundKeys;

/// Byte-swaps every 32-bit lane: SM4 words are big-endian.
pub(super) const BSWAP32: [u8; 16] = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

/// Proof that the CPU has AES-NI and SSSE3.
#[derive(Clone, Copy, Debug)]
pub(super) struct AesNi(());

/// Proof that the CPU has VAES and AVX2, and also AES-NI and SSSE3.
#[derive(Clone, Copy, Debug)]
pub(super) struct Vaes(());

impl AesNi {
    pub(super) fn detect() -> Option<Self> {
        (is_x86_feature_detected!("aes") && is_x86_feature_detected!("ssse3")).then_some(Self(()))
    }

    /// The S-box on the four bytes of a word.
    pub(super) fn tau(self, word: u32) -> u32 {
        // SAFETY: `self` exists only if `detect` found AES-NI and SSSE3.
        unsafe { tau_word(word) }
    }

    /// The round keys as the kernels take them: rk′ = M1·rk + c1 bytewise, each word's
    /// big-endian bytes in memory order.
    pub(super) fn kernel_keys(self, rk: &RoundKeys) -> RoundKeys {
        // SAFETY: `self` exists only if `detect` found AES-NI and SSSE3.
        unsafe { kernel_keys(rk) }
    }

    /// Enciphers one block with the lowest latency, for the serial modes.
    pub(super) fn crypt_block(self, rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
        // SAFETY: `self` exists only if `detect` found AES-NI and SSSE3.
        unsafe { crypt1(rk, block) }
    }

    /// Enciphers 4 blocks together.
    pub(super) fn crypt4(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 4]) {
        // SAFETY: `self` exists only if `detect` found AES-NI and SSSE3.
        unsafe { crypt128::<1, 4>(rk, blocks) }
    }

    /// Enciphers 8 blocks together (two independent register sets).
    pub(super) fn crypt8(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 8]) {
        // SAFETY: `self` exists only if `detect` found AES-NI and SSSE3.
        unsafe { crypt128::<2, 8>(rk, blocks) }
    }
}

impl Vaes {
    pub(super) fn detect() -> Option<Self> {
        let found = is_x86_feature_detected!("vaes")
            && is_x86_feature_detected!("avx2")
            && AesNi::detect().is_some();
        found.then_some(Self(()))
    }

    /// The 128-bit kernels, which the VAES CPU also has.
    pub(super) fn aesni(self) -> AesNi {
        AesNi(())
    }

    /// Enciphers 8 blocks together.
    pub(super) fn crypt8(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 8]) {
        // SAFETY: `self` exists only if `detect` found VAES, AVX2, AES-NI and SSSE3.
        unsafe { crypt256::<1, 8>(rk, blocks) }
    }

    /// Enciphers 32 blocks together (four independent register sets): more rounds in flight
    /// than [`Vaes::crypt16`] hides more of each round's latency, for bulk data.
    pub(super) fn crypt32(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 32]) {
        // SAFETY: `self` exists only if `detect` found VAES, AVX2, AES-NI and SSSE3.
        unsafe { crypt256::<4, 32>(rk, blocks) }
    }

    /// Enciphers 16 blocks together (two independent register sets).
    pub(super) fn crypt16(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 16]) {
        // SAFETY: `self` exists only if `detect` found VAES, AVX2, AES-NI and SSSE3.
        unsafe { crypt256::<2, 16>(rk, blocks) }
    }
}

/// The 32 rounds, shared by every kernel here and in [`x86_gfni`](super::x86_gfni): `$v` is
/// the register type, `$xor` its XOR, `$set1` broadcasts a round key, and `$t` is the round's
/// T in the kernel's domain.
///
/// Round i turns z_i = Y_(i+1) ⊕ Y_(i+2) ⊕ Y_(i+3) ⊕ rk_i into T(z_i) and sets
/// Y_(i+4) = Y_i ⊕ T. The next round's z is (Y_(i+2) ⊕ Y_(i+3) ⊕ rk_(i+1) ⊕ Y_i) ⊕ T, whose
/// first part is ready before T is, so one XOR stands between T and the next S-box.
macro_rules! rounds {
    ($v:ty, $rk:expr, $x:expr, xor: $xor:path, set1: $set1:expr, t: $t:expr) => {{
        let rk: &$crate::sm4::round::RoundKeys = $rk;
        let mut x = $x;
        let t = $t;
        // Past the last round key a zero word, for the look-ahead of the last round.
        let key = |i: usize| {
            $set1(i32::from_ne_bytes(
                rk.get(i).copied().unwrap_or(0).to_ne_bytes(),
            ))
        };
        let k0 = key(0);
        let mut z = x.map(|w: [$v; 4]| $xor($xor(w[1], w[2]), $xor(w[3], k0)));
        // One round for every register set: Y_a ^= T(z), z = (Y_c ^ Y_d ^ k ^ Y_a) ^ T.
        let step = |x: &mut [[$v; 4]], z: &mut [$v], [a, c, d]: [usize; 3], k: $v| {
            for (w, z) in x.iter_mut().zip(z.iter_mut()) {
                let early = $xor($xor(w[c], w[d]), $xor(k, w[a]));
                let t = t(*z);
                w[a] = $xor(w[a], t);
                *z = $xor(early, t);
            }
        };
        for r in 0..8 {
            let base = 4 * r;
            step(&mut x, &mut z, [0, 2, 3], key(base + 1));
            step(&mut x, &mut z, [1, 3, 0], key(base + 2));
            step(&mut x, &mut z, [2, 0, 1], key(base + 3));
            step(&mut x, &mut z, [3, 1, 2], key(base + 4));
        }
        x
    }};
}
pub(super) use rounds;

/// T of the AES-NI kernels: `AESENCLAST` (`$aes`), then G by nibble tables and the byte
/// rotations merged with the inverse ShiftRows (see [`aes_domain`](super::aes_domain)).
macro_rules! aes_domain_t {
    ($v:ty, $tables:expr,
     xor: $xor:path, and: $and:path, shuffle: $shuffle:path, srli4: $srli4:expr, aes: $aes:expr) => {{
        let tables = $tables;
        move |z: $v| -> $v {
            let u = $aes(z);
            let lo = $and(u, tables.nibble);
            let hi = $and($srli4(u), tables.nibble);
            let g = |[low, high]: [$v; 2]| $xor($shuffle(low, lo), $shuffle(high, hi));
            let (g0, g1, g3) = (g(tables.g[0]), g(tables.g[1]), g(tables.g[2]));
            $xor(
                $xor(
                    $shuffle(g0, tables.rotate[0]),
                    $shuffle(g1, tables.rotate[1]),
                ),
                $xor(
                    $shuffle(g1, tables.rotate[2]),
                    $shuffle(g3, tables.rotate[3]),
                ),
            )
        }
    }};
}

// ---- 128-bit kernel -------------------------------------------------------------------------

/// 16 bytes in a register.
#[inline]
pub(super) fn table128(bytes: [u8; 16]) -> __m128i {
    // SAFETY: `bytes` is 16 readable bytes; the load has no alignment requirement.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// A bytewise map given by its nibble tables, on every byte of `x`.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn map128([lo, hi]: [[u8; 16]; 2], x: __m128i) -> __m128i {
    let nibble = _mm_set1_epi8(0x0f);
    let low = _mm_and_si128(x, nibble);
    let high = _mm_and_si128(_mm_srli_epi16::<4>(x), nibble);
    _mm_xor_si128(
        _mm_shuffle_epi8(table128(lo), low),
        _mm_shuffle_epi8(table128(hi), high),
    )
}

/// The SM4 S-box on every byte of `x`, whose bytes are already where `AESENCLAST`'s
/// ShiftRows will move them from (for the key schedule).
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn sbox128(x: __m128i) -> __m128i {
    let a = map128([IN_LO, IN_HI], x);
    let u = _mm_aesenclast_si128(a, _mm_setzero_si128());
    map128([OUT_LO, OUT_HI], u)
}

#[target_feature(enable = "aes,ssse3")]
fn tau_word(word: u32) -> u32 {
    // Every lane holds the word, so ShiftRows moves equal bytes onto each other.
    let x = _mm_set1_epi32(i32::from_ne_bytes(word.to_ne_bytes()));
    let s = sbox128(x);
    u32::from_ne_bytes(_mm_cvtsi128_si32(s).to_ne_bytes())
}

#[target_feature(enable = "aes,ssse3")]
fn kernel_keys(rk: &RoundKeys) -> RoundKeys {
    let mut out = [0; 32];
    for (keys, slot) in rk.as_chunks::<4>().0.iter().zip(out.as_chunks_mut::<4>().0) {
        // SAFETY: `keys` is 16 readable bytes; no alignment is needed.
        let raw = unsafe { _mm_loadu_si128(keys.as_ptr().cast()) };
        let mapped = map128([IN_LO, IN_HI], _mm_shuffle_epi8(raw, table128(BSWAP32)));
        // SAFETY: `slot` is 16 writable bytes; no alignment is needed.
        unsafe { _mm_storeu_si128(slot.as_mut_ptr().cast(), mapped) };
    }
    out
}

/// The tables of the round, in registers.
struct Tables128 {
    nibble: __m128i,
    g: [[__m128i; 2]; 3],
    rotate: [__m128i; 4],
}

impl Tables128 {
    #[inline]
    #[target_feature(enable = "aes,ssse3")]
    fn load() -> Self {
        Self {
            nibble: _mm_set1_epi8(0x0f),
            g: G.map(|pair| pair.map(table128)),
            // Opaque to the compiler, which would otherwise move each shuffle in front of the
            // XOR that feeds it, doubling the shuffles the round waits for.
            rotate: core::hint::black_box(ROTATE_THEN_INV_SHIFT_ROWS).map(table128),
        }
    }
}

#[inline]
#[target_feature(enable = "aes,ssse3")]
fn srli4_128(x: __m128i) -> __m128i {
    _mm_srli_epi16::<4>(x)
}

#[inline]
#[target_feature(enable = "aes,ssse3")]
fn aes128(x: __m128i) -> __m128i {
    _mm_aesenclast_si128(x, _mm_setzero_si128())
}

#[target_feature(enable = "aes,ssse3")]
fn rounds128<const SETS: usize>(rk: &RoundKeys, x: [[__m128i; 4]; SETS]) -> [[__m128i; 4]; SETS] {
    let tables = Tables128::load();
    let t = aes_domain_t!(__m128i, &tables,
        xor: _mm_xor_si128, and: _mm_and_si128, shuffle: _mm_shuffle_epi8, srli4: srli4_128,
        aes: aes128);
    rounds!(__m128i, rk, x, xor: _mm_xor_si128, set1: _mm_set1_epi32, t: t)
}

/// One block: word j of the block in all four lanes, where ShiftRows changes nothing.
#[target_feature(enable = "aes,ssse3")]
fn crypt1(rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
    let b = table128(*block);
    let broadcast = |j: u8| {
        let mask = core::array::from_fn(|k| 4 * j + (k % 4) as u8);
        map128(M1, _mm_shuffle_epi8(b, table128(mask)))
    };
    let [x] = rounds128::<1>(
        rk,
        [[broadcast(0), broadcast(1), broadcast(2), broadcast(3)]],
    );
    // The output is X35, X34, X33, X32 (GB/T 32907-2016 §7.1), lane 0 of each.
    let high = _mm_unpacklo_epi32(x[3], x[2]);
    let low = _mm_unpacklo_epi32(x[1], x[0]);
    let out = map128(M1_INVERSE, _mm_unpacklo_epi64(high, low));
    // SAFETY: `block` is 16 writable bytes; no alignment is needed.
    unsafe { _mm_storeu_si128(block.as_mut_ptr().cast(), out) };
}

/// Transposes four registers of four 32-bit lanes (an involution).
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn transpose128(r: [__m128i; 4]) -> [__m128i; 4] {
    let t0 = _mm_unpacklo_epi32(r[0], r[1]);
    let t1 = _mm_unpacklo_epi32(r[2], r[3]);
    let t2 = _mm_unpackhi_epi32(r[0], r[1]);
    let t3 = _mm_unpackhi_epi32(r[2], r[3]);
    [
        _mm_unpacklo_epi64(t0, t1),
        _mm_unpackhi_epi64(t0, t1),
        _mm_unpacklo_epi64(t2, t3),
        _mm_unpackhi_epi64(t2, t3),
    ]
}

/// `SETS` register sets of 4 blocks each; `BLOCKS` = 4·`SETS`.
#[target_feature(enable = "aes,ssse3")]
fn crypt128<const SETS: usize, const BLOCKS: usize>(
    rk: &RoundKeys,
    blocks: &mut [[u8; BLOCK_LEN]; BLOCKS],
) {
    const { assert!(BLOCKS == 4 * SETS) };
    let inv_shift_rows = table128(INV_SHIFT_ROWS);
    let shift_rows = table128(SHIFT_ROWS);
    let x: [[__m128i; 4]; SETS] = core::array::from_fn(|set| {
        let load = |i: usize| table128(blocks[4 * set + i]);
        transpose128([load(0), load(1), load(2), load(3)])
            .map(|w| map128(M1, _mm_shuffle_epi8(w, inv_shift_rows)))
    });
    let x = rounds128(rk, x);
    for (set, w) in x.iter().enumerate() {
        let natural =
            [w[3], w[2], w[1], w[0]].map(|w| map128(M1_INVERSE, _mm_shuffle_epi8(w, shift_rows)));
        for (i, reg) in transpose128(natural).iter().enumerate() {
            // SAFETY: `blocks[4 * set + i]` is 16 writable bytes; no alignment is needed.
            unsafe { _mm_storeu_si128(blocks[4 * set + i].as_mut_ptr().cast(), *reg) };
        }
    }
}

// ---- 256-bit kernel -------------------------------------------------------------------------

/// 16 bytes in both halves of a register.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn table256(bytes: [u8; 16]) -> __m256i {
    _mm256_broadcastsi128_si256(table128(bytes))
}

#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
fn map256([lo, hi]: [[u8; 16]; 2], x: __m256i) -> __m256i {
    let nibble = _mm256_set1_epi8(0x0f);
    let low = _mm256_and_si256(x, nibble);
    let high = _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble);
    _mm256_xor_si256(
        _mm256_shuffle_epi8(table256(lo), low),
        _mm256_shuffle_epi8(table256(hi), high),
    )
}

struct Tables256 {
    nibble: __m256i,
    g: [[__m256i; 2]; 3],
    rotate: [__m256i; 4],
}

impl Tables256 {
    #[inline]
    #[target_feature(enable = "avx2,vaes,aes")]
    fn load() -> Self {
        Self {
            nibble: _mm256_set1_epi8(0x0f),
            g: G.map(|pair| pair.map(|t| table256(t))),
            // Opaque to the compiler, as in `Tables128::load`.
            rotate: core::hint::black_box(ROTATE_THEN_INV_SHIFT_ROWS).map(|t| table256(t)),
        }
    }
}

#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
fn srli4_256(x: __m256i) -> __m256i {
    _mm256_srli_epi16::<4>(x)
}

#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
fn aes256(x: __m256i) -> __m256i {
    _mm256_aesenclast_epi128(x, _mm256_setzero_si256())
}

/// Transposes the 32-bit lanes of four registers within each 128-bit half (an involution).
#[inline]
#[target_feature(enable = "avx2")]
fn transpose256(r: [__m256i; 4]) -> [__m256i; 4] {
    let t0 = _mm256_unpacklo_epi32(r[0], r[1]);
    let t1 = _mm256_unpacklo_epi32(r[2], r[3]);
    let t2 = _mm256_unpackhi_epi32(r[0], r[1]);
    let t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    [
        _mm256_unpacklo_epi64(t0, t1),
        _mm256_unpackhi_epi64(t0, t1),
        _mm256_unpacklo_epi64(t2, t3),
        _mm256_unpackhi_epi64(t2, t3),
    ]
}

/// `SETS` register sets of 8 blocks each; `BLOCKS` = 8·`SETS`.
#[target_feature(enable = "avx2,vaes,aes")]
fn crypt256<const SETS: usize, const BLOCKS: usize>(
    rk: &RoundKeys,
    blocks: &mut [[u8; BLOCK_LEN]; BLOCKS],
) {
    let inv_shift_rows = table256(INV_SHIFT_ROWS);
    let shift_rows = table256(SHIFT_ROWS);
    let tables = Tables256::load();
    let t = aes_domain_t!(__m256i, &tables,
        xor: _mm256_xor_si256, and: _mm256_and_si256, shuffle: _mm256_shuffle_epi8,
        srli4: srli4_256, aes: aes256);
    crypt256_with::<SETS, BLOCKS>(
        blocks,
        |w| map256(M1, _mm256_shuffle_epi8(w, inv_shift_rows)),
        |x| rounds!(__m256i, rk, x, xor: _mm256_xor_si256, set1: _mm256_set1_epi32, t: t),
        |w| map256(M1_INVERSE, _mm256_shuffle_epi8(w, shift_rows)),
    );
}

/// The frame of every 256-bit kernel, for `SETS` register sets of 8 blocks each (`BLOCKS` =
/// 8·`SETS`): each set's blocks are loaded two to a register and transposed to one word a
/// register, `into` maps every word register into the kernel's domain, `rounds` runs the 32
/// rounds, and `out_of` maps the words back before they return to block order.
#[inline]
#[target_feature(enable = "avx2")]
pub(super) fn crypt256_with<const SETS: usize, const BLOCKS: usize>(
    blocks: &mut [[u8; BLOCK_LEN]; BLOCKS],
    into: impl Fn(__m256i) -> __m256i,
    rounds: impl FnOnce([[__m256i; 4]; SETS]) -> [[__m256i; 4]; SETS],
    out_of: impl Fn(__m256i) -> __m256i,
) {
    const { assert!(BLOCKS == 8 * SETS) };
    let x: [[__m256i; 4]; SETS] = core::array::from_fn(|set| {
        let load = |i: usize| {
            let pair = &blocks[8 * set + 2 * i..8 * set + 2 * i + 2];
            // SAFETY: `pair` is two adjacent 16-byte blocks, 32 readable bytes.
            unsafe { _mm256_loadu_si256(pair.as_ptr().cast()) }
        };
        transpose256([load(0), load(1), load(2), load(3)]).map(&into)
    });
    let x = rounds(x);
    for (set, w) in x.iter().enumerate() {
        // The output is X35, X34, X33, X32 (GB/T 32907-2016 §7.1).
        let natural = [w[3], w[2], w[1], w[0]].map(&out_of);
        for (i, reg) in transpose256(natural).iter().enumerate() {
            let pair = &mut blocks[8 * set + 2 * i..8 * set + 2 * i + 2];
            // SAFETY: `pair` is two adjacent 16-byte blocks, 32 writable bytes.
            unsafe { _mm256_storeu_si256(pair.as_mut_ptr().cast(), *reg) };
        }
    }
}
