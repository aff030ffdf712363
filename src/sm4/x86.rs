//! SM4 cores for x86-64 with AES-NI: the S-box computed by `AESENCLAST` between two affine
//! maps, so no table is indexed by secret data.
//!
//! SM4's S-box is S(x) = M2·AES(M1·x + c1) + c2 for bytewise affine maps (M1, c1) and (M2, c2)
//! (both S-boxes are affine-equivalent to inversion in GF(2^8); the maps come from an
//! isomorphism between the two fields and are checked against the S-box by the tests). The
//! affine maps are done with `PSHUFB` on 16-entry nibble tables: the table lives in a register
//! and the data selects lanes inside it, which takes the same time whatever the data.
//! `AESENCLAST` with a zero round key computes ShiftRows(SubBytes(x)); the kernels undo
//! ShiftRows by permuting bytes beforehand, or use a layout it leaves unchanged.
//!
//! Two kernels: SSSE3 + AES-NI on 128-bit registers (4 blocks a register, 8 in flight, and a
//! one-block path for the serial modes), and AVX2 + VAES on 256-bit registers (8 blocks a
//! register, 16 in flight). Each is reachable only through a token that exists once the CPU
//! features were detected.
#![allow(unsafe_code)]

use core::arch::x86_64::*;

use super::BLOCK_LEN;
use super::round::RoundKeys;

/// Nibble tables of the affine map in front of the AES S-box: low and high nibble.
const IN_LO: [u8; 16] = [
    0x3e, 0xb2, 0x0e, 0x82, 0xbb, 0x37, 0x8b, 0x07, 0xa1, 0x2d, 0x91, 0x1d, 0x24, 0xa8, 0x14, 0x98,
];
const IN_HI: [u8; 16] = [
    0x00, 0xdc, 0x2e, 0xf2, 0xc5, 0x19, 0xeb, 0x37, 0x08, 0xd4, 0x26, 0xfa, 0xcd, 0x11, 0xe3, 0x3f,
];
/// Nibble tables of the affine map after the AES S-box.
const OUT_LO: [u8; 16] = [
    0x6c, 0xd4, 0xa6, 0x1e, 0x52, 0xea, 0x98, 0x20, 0x0b, 0xb3, 0xc1, 0x79, 0x35, 0x8d, 0xff, 0x47,
];
const OUT_HI: [u8; 16] = [
    0x00, 0xe0, 0x50, 0xb0, 0x9d, 0x7d, 0xcd, 0x2d, 0xc0, 0x20, 0x90, 0x70, 0x5d, 0xbd, 0x0d, 0xed,
];
/// Byte k of the result takes byte `INV_SHIFT_ROWS[k]` of the input: the inverse of AES
/// ShiftRows, so that `AESENCLAST`'s ShiftRows puts every byte back in its lane.
const INV_SHIFT_ROWS: [u8; 16] = [0, 13, 10, 7, 4, 1, 14, 11, 8, 5, 2, 15, 12, 9, 6, 3];
/// Rotations of every 32-bit lane left by 8, 16 and 24 bits.
const ROL8: [u8; 16] = [3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14];
const ROL16: [u8; 16] = [2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13];
const ROL24: [u8; 16] = [1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12];
/// Byte-swaps every 32-bit lane: SM4 words are big-endian.
const BSWAP32: [u8; 16] = [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12];

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

    /// Enciphers 16 blocks together (two independent register sets).
    pub(super) fn crypt16(self, rk: &RoundKeys, blocks: &mut [[u8; BLOCK_LEN]; 16]) {
        // SAFETY: `self` exists only if `detect` found VAES, AVX2, AES-NI and SSSE3.
        unsafe { crypt256::<2, 16>(rk, blocks) }
    }
}

// ---- 128-bit kernel -------------------------------------------------------------------------

#[target_feature(enable = "aes,ssse3")]
fn table128(bytes: [u8; 16]) -> __m128i {
    // SAFETY: `bytes` is 16 readable bytes; the load has no alignment requirement.
    unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) }
}

/// The SM4 S-box on every byte of `x`, whose bytes are already where `AESENCLAST`'s
/// ShiftRows will move them from.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn sbox128(x: __m128i) -> __m128i {
    let nibble = _mm_set1_epi8(0x0f);
    let lo = _mm_and_si128(x, nibble);
    let hi = _mm_and_si128(_mm_srli_epi16::<4>(x), nibble);
    let a = _mm_xor_si128(
        _mm_shuffle_epi8(table128(IN_LO), lo),
        _mm_shuffle_epi8(table128(IN_HI), hi),
    );
    let u = _mm_aesenclast_si128(a, _mm_setzero_si128());
    let lo = _mm_and_si128(u, nibble);
    let hi = _mm_and_si128(_mm_srli_epi16::<4>(u), nibble);
    _mm_xor_si128(
        _mm_shuffle_epi8(table128(OUT_LO), lo),
        _mm_shuffle_epi8(table128(OUT_HI), hi),
    )
}

/// L on every 32-bit lane.
#[inline]
#[target_feature(enable = "aes,ssse3")]
fn linear128(s: __m128i) -> __m128i {
    let r8 = _mm_shuffle_epi8(s, table128(ROL8));
    let r16 = _mm_shuffle_epi8(s, table128(ROL16));
    let r24 = _mm_shuffle_epi8(s, table128(ROL24));
    let t = _mm_xor_si128(_mm_xor_si128(s, r8), r16);
    let rol2 = _mm_xor_si128(_mm_slli_epi32::<2>(t), _mm_srli_epi32::<30>(t));
    _mm_xor_si128(_mm_xor_si128(s, r24), rol2)
}

#[target_feature(enable = "aes,ssse3")]
fn tau_word(word: u32) -> u32 {
    // Every lane holds the word, so ShiftRows moves equal bytes onto each other.
    let x = _mm_set1_epi32(i32::from_ne_bytes(word.to_ne_bytes()));
    let s = sbox128(x);
    u32::from_ne_bytes(_mm_cvtsi128_si32(s).to_ne_bytes())
}

#[target_feature(enable = "aes,ssse3")]
fn crypt1(rk: &RoundKeys, block: &mut [u8; BLOCK_LEN]) {
    let b = table128(*block);
    // Word j of the block, byte-swapped, in all four lanes: ShiftRows then changes nothing.
    let broadcast = |j: u8| {
        let mask = core::array::from_fn(|k| 4 * j + 3 - (k % 4) as u8);
        _mm_shuffle_epi8(b, table128(mask))
    };
    let mut x = [broadcast(0), broadcast(1), broadcast(2), broadcast(3)];
    let round = |a, b, c, d, key: &u32| {
        let k = _mm_set1_epi32(i32::from_ne_bytes(key.to_ne_bytes()));
        // `d` is the word the previous round made: XOR it last, so one XOR stands between
        // rounds on the critical path.
        let t = _mm_xor_si128(_mm_xor_si128(_mm_xor_si128(b, c), k), d);
        _mm_xor_si128(a, linear128(sbox128(t)))
    };
    for [k0, k1, k2, k3] in rk.as_chunks::<4>().0 {
        x[0] = round(x[0], x[1], x[2], x[3], k0);
        x[1] = round(x[1], x[2], x[3], x[0], k1);
        x[2] = round(x[2], x[3], x[0], x[1], k2);
        x[3] = round(x[3], x[0], x[1], x[2], k3);
    }
    for (bytes, word) in block.chunks_exact_mut(4).zip(x.iter().rev()) {
        bytes.copy_from_slice(&_mm_cvtsi128_si32(*word).to_be_bytes());
    }
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
    let bswap = table128(BSWAP32);
    let inv_shift_rows = table128(INV_SHIFT_ROWS);
    let mut x: [[__m128i; 4]; SETS] = core::array::from_fn(|set| {
        let load = |i: usize| _mm_shuffle_epi8(table128(blocks[4 * set + i]), bswap);
        transpose128([load(0), load(1), load(2), load(3)])
    });
    let round = |a, b, c, d, k| {
        let t = _mm_xor_si128(_mm_xor_si128(b, c), _mm_xor_si128(d, k));
        let s = sbox128(_mm_shuffle_epi8(t, inv_shift_rows));
        _mm_xor_si128(a, linear128(s))
    };
    let key = |k: &u32| _mm_set1_epi32(i32::from_ne_bytes(k.to_ne_bytes()));
    for [k0, k1, k2, k3] in rk.as_chunks::<4>().0 {
        let (k0, k1, k2, k3) = (key(k0), key(k1), key(k2), key(k3));
        // Round by round across the sets, so their independent work interleaves.
        for w in &mut x {
            w[0] = round(w[0], w[1], w[2], w[3], k0);
        }
        for w in &mut x {
            w[1] = round(w[1], w[2], w[3], w[0], k1);
        }
        for w in &mut x {
            w[2] = round(w[2], w[3], w[0], w[1], k2);
        }
        for w in &mut x {
            w[3] = round(w[3], w[0], w[1], w[2], k3);
        }
    }
    for (set, w) in x.iter().enumerate() {
        let out = transpose128([w[3], w[2], w[1], w[0]]);
        for (i, reg) in out.iter().enumerate() {
            let bytes = _mm_shuffle_epi8(*reg, bswap);
            // SAFETY: `blocks[4 * set + i]` is 16 writable bytes; no alignment is needed.
            unsafe { _mm_storeu_si128(blocks[4 * set + i].as_mut_ptr().cast(), bytes) };
        }
    }
}

// ---- 256-bit kernel -------------------------------------------------------------------------

#[target_feature(enable = "avx2,vaes,aes")]
fn table256(bytes: [u8; 16]) -> __m256i {
    _mm256_broadcastsi128_si256(table128(bytes))
}

#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
fn sbox256(x: __m256i) -> __m256i {
    let nibble = _mm256_set1_epi8(0x0f);
    let lo = _mm256_and_si256(x, nibble);
    let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble);
    let a = _mm256_xor_si256(
        _mm256_shuffle_epi8(table256(IN_LO), lo),
        _mm256_shuffle_epi8(table256(IN_HI), hi),
    );
    let u = _mm256_aesenclast_epi128(a, _mm256_setzero_si256());
    let lo = _mm256_and_si256(u, nibble);
    let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(u), nibble);
    _mm256_xor_si256(
        _mm256_shuffle_epi8(table256(OUT_LO), lo),
        _mm256_shuffle_epi8(table256(OUT_HI), hi),
    )
}

/// L on every 32-bit lane, with `rol16` the byte shuffle that rotates lanes by 16 bits.
///
/// Tuned for throughput on the shuffle/shift ports, which bound this kernel: the shift left
/// by 2 is two additions, which any vector ALU runs.
#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
fn linear256(s: __m256i, rol16: __m256i) -> __m256i {
    let r8 = _mm256_shuffle_epi8(s, table256(ROL8));
    let r16 = _mm256_shuffle_epi8(s, rol16);
    let r24 = _mm256_shuffle_epi8(s, table256(ROL24));
    let t = _mm256_xor_si256(_mm256_xor_si256(s, r8), r16);
    let t2 = _mm256_add_epi32(t, t);
    let rol2 = _mm256_xor_si256(_mm256_add_epi32(t2, t2), _mm256_srli_epi32::<30>(t));
    _mm256_xor_si256(_mm256_xor_si256(s, r24), rol2)
}

/// Transposes the 32-bit lanes of four registers within each 128-bit half (an involution).
#[inline]
#[target_feature(enable = "avx2,vaes,aes")]
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
    let bswap = table256(BSWAP32);
    let inv_shift_rows = table256(INV_SHIFT_ROWS);
    // Opaque to the compiler, which would otherwise split this one shuffle into two
    // (`vpshuflw` + `vpshufhw`) on the ports this kernel is short of.
    let rol16 = table256(core::hint::black_box(ROL16));
    let mut x: [[__m256i; 4]; SETS] = core::array::from_fn(|set| {
        let load = |i: usize| {
            let pair = &blocks[8 * set + 2 * i..8 * set + 2 * i + 2];
            // SAFETY: `pair` is two adjacent 16-byte blocks, 32 readable bytes.
            let raw = unsafe { _mm256_loadu_si256(pair.as_ptr().cast()) };
            _mm256_shuffle_epi8(raw, bswap)
        };
        transpose256([load(0), load(1), load(2), load(3)])
    });
    let round = |a, b, c, d, k| {
        let t = _mm256_xor_si256(_mm256_xor_si256(b, c), _mm256_xor_si256(d, k));
        let s = sbox256(_mm256_shuffle_epi8(t, inv_shift_rows));
        _mm256_xor_si256(a, linear256(s, rol16))
    };
    let key = |k: &u32| _mm256_set1_epi32(i32::from_ne_bytes(k.to_ne_bytes()));
    for [k0, k1, k2, k3] in rk.as_chunks::<4>().0 {
        let (k0, k1, k2, k3) = (key(k0), key(k1), key(k2), key(k3));
        // Round by round across the sets, so their independent work interleaves.
        for w in &mut x {
            w[0] = round(w[0], w[1], w[2], w[3], k0);
        }
        for w in &mut x {
            w[1] = round(w[1], w[2], w[3], w[0], k1);
        }
        for w in &mut x {
            w[2] = round(w[2], w[3], w[0], w[1], k2);
        }
        for w in &mut x {
            w[3] = round(w[3], w[0], w[1], w[2], k3);
        }
    }
    for (set, w) in x.iter().enumerate() {
        let out = transpose256([w[3], w[2], w[1], w[0]]);
        for (i, reg) in out.iter().enumerate() {
            let bytes = _mm256_shuffle_epi8(*reg, bswap);
            let pair = &mut blocks[8 * set + 2 * i..8 * set + 2 * i + 2];
            // SAFETY: `pair` is two adjacent 16-byte blocks, 32 writable bytes.
            unsafe { _mm256_storeu_si256(pair.as_mut_ptr().cast(), bytes) };
        }
    }
}
