//! Constant-time table lookups for the scalar multiplications: every entry of the table is
//! read, and the wanted one is kept under a mask, so neither the memory touched nor any branch
//! depends on the (secret) index. With AVX2 each entry is two 256-bit loads, masked by a
//! vector comparison of the entry's position with the index; the portable code does the same
//! on 64-bit limbs.
#![allow(unsafe_code)]

use super::field::Fe;
use super::point::Affine;

/// The entry at `index` of `table`, or all zeros if there is none, reading every entry.
pub(crate) fn select_affine_ct(table: &[Affine], index: u64) -> Affine {
    #[cfg(test)]
    if super::portable_forced() {
        return select_affine_portable(table, index);
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { select_affine_avx2(table, index) };
    }
    select_affine_portable(table, index)
}

/// [`select_affine_ct`] on 64-bit limbs.
fn select_affine_portable(table: &[Affine], index: u64) -> Affine {
    let mut out = Affine::default();
    for (j, entry) in (0u64..).zip(table) {
        let mask = eq_mask(index, j);
        out.x.or_masked(&entry.x, mask);
        out.y.or_masked(&entry.y, mask);
    }
    out
}

/// All ones if a = b, else zero, without branches. The result passes through `black_box`:
/// otherwise the optimiser sees a 0/−1 value of a comparison and may turn the masked
/// selection that uses it back into a branch on the secret index (it did, without it).
#[inline(always)]
fn eq_mask(a: u64, b: u64) -> u64 {
    let x = a ^ b;
    // (x | −x) has its top bit set exactly when x ≠ 0.
    core::hint::black_box(((x | x.wrapping_neg()) >> 63).wrapping_sub(1))
}

/// [`select_affine_ct`] with AVX2: the mask of each entry is `VPCMPEQQ` of a running position
/// vector with the broadcast index, which passes through `black_box` so that the optimiser
/// cannot reason about its value (as with [`eq_mask`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn select_affine_avx2(table: &[Affine], index: u64) -> Affine {
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi64, _mm256_and_si256, _mm256_cmpeq_epi64, _mm256_loadu_si256,
        _mm256_or_si256, _mm256_set1_epi64x, _mm256_setzero_si256, _mm256_storeu_si256,
    };
    let wanted = core::hint::black_box(_mm256_set1_epi64x(index as i64));
    let one = _mm256_set1_epi64x(1);
    let mut position = _mm256_setzero_si256();
    let (mut x, mut y) = (_mm256_setzero_si256(), _mm256_setzero_si256());
    let as_vector = |fe: &Fe| core::ptr::from_ref(fe).cast::<__m256i>();
    for entry in table {
        let mask = _mm256_cmpeq_epi64(position, wanted);
        // SAFETY: `Fe` is `repr(transparent)` over `[u64; 4]`, so each pointer covers 32
        // readable bytes of a live reference; LOADU has no alignment requirement.
        let (entry_x, entry_y) = unsafe {
            (
                _mm256_loadu_si256(as_vector(&entry.x)),
                _mm256_loadu_si256(as_vector(&entry.y)),
            )
        };
        x = _mm256_or_si256(x, _mm256_and_si256(entry_x, mask));
        y = _mm256_or_si256(y, _mm256_and_si256(entry_y, mask));
        position = _mm256_add_epi64(position, one);
    }
    let mut out = Affine::default();
    let as_mut_vector = |fe: &mut Fe| core::ptr::from_mut(fe).cast::<__m256i>();
    // SAFETY: as above, 32 writable bytes each, no alignment requirement for STOREU.
    unsafe {
        _mm256_storeu_si256(as_mut_vector(&mut out.x), x);
        _mm256_storeu_si256(as_mut_vector(&mut out.y), y);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both lookups return exactly the entry at each index of a 32-entry table of distinct
    /// values, and zeros for indices past the end (the comb's digit 0 asks for u64::MAX).
    #[test]
    fn lookups_return_the_indexed_entry_or_zeros() {
        let table: Vec<Affine> = (0..32u64)
            .map(|j| Affine {
                x: Fe::from_canonical_limbs([j + 1, j << 32, !j, j]),
                y: Fe::from_canonical_limbs([j ^ 0x5a5a, 7, j * 3, 1 << (j % 63)]),
            })
            .collect();
        let limbs = |point: &Affine| (point.x.to_be_bytes(), point.y.to_be_bytes());
        for index in (0..34u64).chain([u64::MAX, 1 << 40]) {
            let expected = table
                .get(usize::try_from(index).unwrap_or(usize::MAX))
                .map_or(([0; 32], [0; 32]), limbs);
            assert_eq!(limbs(&select_affine_portable(&table, index)), expected);
            assert_eq!(limbs(&select_affine_ct(&table, index)), expected);
        }
    }
}
