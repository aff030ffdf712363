//! Arithmetic mod p = 2²⁵⁶ − 2²²⁴ − 2⁹⁶ + 2⁶⁴ − 1 on little-endian 64-bit limbs, for inputs
//! below p: Montgomery multiplication and squaring (a·b·2⁻²⁵⁶ mod p) that use p's special
//! form, addition and subtraction. Same inputs and outputs as fiat-crypto's `fiat_sm2_mul`,
//! `fiat_sm2_square`, `fiat_sm2_add` and `fiat_sm2_sub` (the tests below hold them to it) in
//! about 65 %, 55 %, 80 % and 85 % of their instructions.
//!
//! The 512-bit product T is formed by schoolbook multiplication (squaring computes each cross
//! product once and doubles it), then reduced one limb at a time. As p ≡ −1 (mod 2⁶⁴), the
//! Montgomery factor for a low limb m is m itself, and adding m·p clears that limb:
//! (W + m·p)/2⁶⁴ = ⌊W/2⁶⁴⌋ + m·(p + 1)/2⁶⁴, where (p + 1)/2⁶⁴ = 2¹⁹² − 2¹⁶⁰ − 2³² + 1, so
//! the step is one addition of m at limbs 0 and 3 and one subtraction of m·2³² at limbs 0
//! and 2, with no multiplication. Four steps on the low half L of T leave (L + M·p)/2²⁵⁶,
//! which is at most p and never overflows 256 bits in between (W < 2²⁵⁶ gives
//! (W + m·p)/2⁶⁴ < 2¹⁹² + p < 2²⁵⁶); adding the high half gives a value below 2p, and one
//! masked subtraction of p finishes.
//!
//! Constant time: a fixed sequence of word operations, no branches, no table lookups.
//!
//! On x86-64 CPUs with BMI2 and ADX, [`mul`] and [`square`] run the same algorithm in assembly
//! (`adx.rs`, two carry chains with MULX/ADCX/ADOX); the choice is one branch on
//! the CPU's features (public, and the same on every call), and the portable code is the
//! fallback.

use super::field::P;

#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
use super::adx;

/// a·b·2⁻²⁵⁶ mod p for a, b < p.
#[inline(always)]
pub(super) fn mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    if adx::available() {
        return adx::mul(a, b);
    }
    mul_portable(a, b)
}

/// a²·2⁻²⁵⁶ mod p for a < p.
#[inline(always)]
pub(super) fn square(a: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    if adx::available() {
        return adx::square(a);
    }
    square_portable(a)
}

/// (a·b + c + carry) as (low, high) limbs; never overflows 128 bits.
#[inline(always)]
fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(a) * u128::from(b) + u128::from(c) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// a + b + carry and the carry out.
#[inline(always)]
fn adc(a: u64, b: u64, carry: bool) -> (u64, bool) {
    let (sum, c1) = a.overflowing_add(b);
    let (sum, c2) = sum.overflowing_add(u64::from(carry));
    (sum, c1 | c2)
}

/// a − b − borrow and the borrow out.
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: bool) -> (u64, bool) {
    let (diff, b1) = a.overflowing_sub(b);
    let (diff, b2) = diff.overflowing_sub(u64::from(borrow));
    (diff, b1 | b2)
}

/// a·b·2⁻²⁵⁶ mod p for a, b < p, in portable Rust.
#[inline(always)]
fn mul_portable(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (w0, c) = mac(a[0], b[0], 0, 0);
    let (w1, c) = mac(a[0], b[1], 0, c);
    let (w2, c) = mac(a[0], b[2], 0, c);
    let (w3, w4) = mac(a[0], b[3], 0, c);
    let (w1, c) = mac(a[1], b[0], w1, 0);
    let (w2, c) = mac(a[1], b[1], w2, c);
    let (w3, c) = mac(a[1], b[2], w3, c);
    let (w4, w5) = mac(a[1], b[3], w4, c);
    let (w2, c) = mac(a[2], b[0], w2, 0);
    let (w3, c) = mac(a[2], b[1], w3, c);
    let (w4, c) = mac(a[2], b[2], w4, c);
    let (w5, w6) = mac(a[2], b[3], w5, c);
    let (w3, c) = mac(a[3], b[0], w3, 0);
    let (w4, c) = mac(a[3], b[1], w4, c);
    let (w5, c) = mac(a[3], b[2], w5, c);
    let (w6, w7) = mac(a[3], b[3], w6, c);
    reduce([w0, w1, w2, w3, w4, w5, w6, w7])
}

/// a²·2⁻²⁵⁶ mod p for a < p, in portable Rust: six cross products, doubled, plus four
/// squares.
#[inline(always)]
fn square_portable(a: &[u64; 4]) -> [u64; 4] {
    let (w1, c) = mac(a[0], a[1], 0, 0);
    let (w2, c) = mac(a[0], a[2], 0, c);
    let (w3, w4) = mac(a[0], a[3], 0, c);
    let (w3, c) = mac(a[1], a[2], w3, 0);
    let (w4, w5) = mac(a[1], a[3], w4, c);
    let (w5, w6) = mac(a[2], a[3], w5, 0);
    // Twice the cross products: a shift left by one bit across limbs 1–7.
    let w7 = w6 >> 63;
    let w6 = (w6 << 1) | (w5 >> 63);
    let w5 = (w5 << 1) | (w4 >> 63);
    let w4 = (w4 << 1) | (w3 >> 63);
    let w3 = (w3 << 1) | (w2 >> 63);
    let w2 = (w2 << 1) | (w1 >> 63);
    let w1 = w1 << 1;
    let (w0, high0) = mac(a[0], a[0], 0, 0);
    let (low1, high1) = mac(a[1], a[1], 0, 0);
    let (low2, high2) = mac(a[2], a[2], 0, 0);
    let (low3, high3) = mac(a[3], a[3], 0, 0);
    let (w1, c) = adc(w1, high0, false);
    let (w2, c) = adc(w2, low1, c);
    let (w3, c) = adc(w3, high1, c);
    let (w4, c) = adc(w4, low2, c);
    let (w5, c) = adc(w5, high2, c);
    let (w6, c) = adc(w6, low3, c);
    // No carry out: the square of a < 2²⁵⁶ fits in 512 bits.
    let (w7, _) = adc(w7, high3, c);
    reduce([w0, w1, w2, w3, w4, w5, w6, w7])
}

/// T·2⁻²⁵⁶ mod p for a 512-bit T < p·2²⁵⁶ (little-endian limbs).
#[inline(always)]
fn reduce(t: [u64; 8]) -> [u64; 4] {
    let [mut r0, mut r1, mut r2, mut r3, t4, t5, t6, t7] = t;
    for _ in 0..4 {
        // (W + m·p)/2⁶⁴ with m = r0: ⌊W/2⁶⁴⌋ + m + m·2¹⁹² − m·2³² − m·2¹⁶⁰. The true value is
        // below 2²⁵⁶, so the wrapping top limb is exact.
        let m = r0;
        let (low, high) = (m << 32, m >> 32);
        let (s0, c) = adc(r1, m, false);
        let (s1, c) = adc(r2, 0, c);
        let (s2, c) = adc(r3, 0, c);
        let s3 = m.wrapping_add(u64::from(c));
        let (s0, b) = sbb(s0, low, false);
        let (s1, b) = sbb(s1, high, b);
        let (s2, b) = sbb(s2, low, b);
        let s3 = s3.wrapping_sub(high).wrapping_sub(u64::from(b));
        [r0, r1, r2, r3] = [s0, s1, s2, s3];
    }
    let (s0, c) = adc(r0, t4, false);
    let (s1, c) = adc(r1, t5, c);
    let (s2, c) = adc(r2, t6, c);
    let (s3, carry) = adc(r3, t7, c);
    subtract_p_once([s0, s1, s2, s3], carry)
}

/// a + b mod p.
#[inline(always)]
pub(super) fn add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (s0, c) = adc(a[0], b[0], false);
    let (s1, c) = adc(a[1], b[1], c);
    let (s2, c) = adc(a[2], b[2], c);
    let (s3, c) = adc(a[3], b[3], c);
    subtract_p_once([s0, s1, s2, s3], c)
}

/// a − b mod p: the difference, plus p where it borrowed (added under a mask).
#[inline(always)]
pub(super) fn sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (d0, borrow) = sbb(a[0], b[0], false);
    let (d1, borrow) = sbb(a[1], b[1], borrow);
    let (d2, borrow) = sbb(a[2], b[2], borrow);
    let (d3, borrow) = sbb(a[3], b[3], borrow);
    let mask = 0u64.wrapping_sub(u64::from(borrow));
    let (r0, c) = adc(d0, P[0] & mask, false);
    let (r1, c) = adc(d1, P[1] & mask, c);
    let (r2, c) = adc(d2, P[2] & mask, c);
    // The carry out cancels the borrow.
    let (r3, _) = adc(d3, P[3] & mask, c);
    [r0, r1, r2, r3]
}

/// carry·2²⁵⁶ + r, known to be below 2p, reduced below p with a masked subtraction.
#[inline(always)]
fn subtract_p_once(r: [u64; 4], carry: bool) -> [u64; 4] {
    let (d0, b) = sbb(r[0], P[0], false);
    let (d1, b) = sbb(r[1], P[1], b);
    let (d2, b) = sbb(r[2], P[2], b);
    let (d3, b) = sbb(r[3], P[3], b);
    let (_, below_p) = sbb(u64::from(carry), 0, b);
    // All ones where the value was already below p: keep r.
    let keep = 0u64.wrapping_sub(u64::from(below_p));
    [
        (r[0] & keep) | (d0 & !keep),
        (r[1] & keep) | (d1 & !keep),
        (r[2] & keep) | (d2 & !keep),
        (r[3] & keep) | (d3 & !keep),
    ]
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use fiat_crypto::sm2_64::{
        fiat_sm2_add, fiat_sm2_montgomery_domain_field_element as Mont, fiat_sm2_mul,
        fiat_sm2_square, fiat_sm2_sub,
    };
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};

    fn fiat_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        let mut out = Mont([0; 4]);
        fiat_sm2_mul(&mut out, &Mont(*a), &Mont(*b));
        out.0
    }

    fn fiat_square(a: &[u64; 4]) -> [u64; 4] {
        let mut out = Mont([0; 4]);
        fiat_sm2_square(&mut out, &Mont(*a));
        out.0
    }

    fn fiat_add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        let mut out = Mont([0; 4]);
        fiat_sm2_add(&mut out, &Mont(*a), &Mont(*b));
        out.0
    }

    fn fiat_sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
        let mut out = Mont([0; 4]);
        fiat_sm2_sub(&mut out, &Mont(*a), &Mont(*b));
        out.0
    }

    /// All four operations on (a, b) equal fiat-crypto's: the portable multiplication and
    /// squaring (the fallback, called directly) and the dispatched ones (the assembly where
    /// the CPU has BMI2 and ADX).
    fn check(a: &[u64; 4], b: &[u64; 4]) {
        let (product, squared) = (fiat_mul(a, b), fiat_square(a));
        assert_eq!(mul_portable(a, b), product, "{a:x?} · {b:x?}");
        assert_eq!(square_portable(a), squared, "square {a:x?}");
        assert_eq!(mul(a, b), product, "{a:x?} · {b:x?}");
        assert_eq!(square(a), squared, "square {a:x?}");
        assert_eq!(add(a, b), fiat_add(a, b), "{a:x?} + {b:x?}");
        assert_eq!(sub(a, b), fiat_sub(a, b), "{a:x?} − {b:x?}");
    }

    /// 0, 1, p − 1, p − 2, p − 2³², single full limbs (carries out of every limb), limbs just
    /// below p's, 2²⁵⁵ ± 1, and the values whose products land next to multiples of p.
    pub(in crate::sm2::arith) fn edge_values() -> Vec<[u64; 4]> {
        let max = u64::MAX;
        vec![
            [0, 0, 0, 0],
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [P[0] - 1, P[1], P[2], P[3]],
            [P[0] - 2, P[1], P[2], P[3]],
            [P[0], P[1] - 1, P[2], P[3]],
            [P[0], P[1], P[2], P[3] - 1],
            [max, 0, 0, 0],
            [0, max, 0, 0],
            [0, 0, max, 0],
            [0, 0, 0, P[3] - 1],
            [max, max, max, 0],
            [max, max, max, P[3] - 1],
            [0, 0, 0, 1 << 63],
            [1, 0, 0, 1 << 63],
            [max, max, max, (1 << 63) - 1],
            [0, 1 << 32, 0, 0],
            [0, 0xffff_ffff, 0, 1],
        ]
    }

    /// A random value below p: a random top limb below p's, so every lower limb is free.
    pub(in crate::sm2::arith) fn random_below_p(rng: &mut ChaCha20Rng) -> [u64; 4] {
        let mut out = [
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
        ];
        out[3] %= P[3];
        out
    }

    /// Every pair of edge values, and every edge value with random ones, agrees with
    /// fiat-crypto's verified Montgomery multiplication and squaring.
    #[test]
    fn edge_values_agree_with_fiat_crypto() {
        let mut rng = ChaCha20Rng::seed_from_u64(120);
        let edges = edge_values();
        for a in &edges {
            for b in &edges {
                check(a, b);
            }
            for _ in 0..64 {
                let b = random_below_p(&mut rng);
                check(a, &b);
                check(&b, a);
            }
        }
    }

    /// Random values below p agree with fiat-crypto, including chains where each result feeds
    /// the next product (so outputs are valid inputs).
    #[test]
    fn random_values_agree_with_fiat_crypto() {
        let mut rng = ChaCha20Rng::seed_from_u64(121);
        let mut x = random_below_p(&mut rng);
        let mut y = x;
        for _ in 0..20_000 {
            let (a, b) = (random_below_p(&mut rng), random_below_p(&mut rng));
            check(&a, &b);
            x = mul(&x, &a);
            y = fiat_mul(&y, &a);
            assert_eq!(square(&x), fiat_square(&y));
        }
        assert_eq!(x, y);
    }

    /// A long run against fiat-crypto (a few million products); run with `--ignored`.
    #[test]
    #[ignore = "several seconds: run with --release --ignored"]
    fn many_random_values_agree_with_fiat_crypto() {
        let mut rng = ChaCha20Rng::seed_from_u64(122);
        for _ in 0..4_000_000 {
            let (a, b) = (random_below_p(&mut rng), random_below_p(&mut rng));
            check(&a, &b);
        }
    }
}
