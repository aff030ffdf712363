//! Inversion mod p in constant time by Bernstein and Yang's divsteps ("Fast constant-time gcd
//! computation and modular inversion", 2019), in batches of 59 on signed 62-bit limbs.
//!
//! A divstep maps (δ, f, g), f odd, to (1 − δ, g, (g − f)/2) if δ > 0 and g is odd, to
//! (1 + δ, f, (g + f)/2) if only g is odd, and to (1 + δ, f, g/2) otherwise. From f = p and
//! g = x, g reaches 0 and f reaches ±1 within 590 steps for any 256-bit input when δ starts
//! at ½ (the bound libsecp256k1 relies on, from Wuille's convex-hull analysis of the steps);
//! we run a fixed 10 × 59 = 590. Here ζ = −(δ + ½) is kept as an integer: it starts at −1,
//! and δ > 0 is ζ < 0.
//!
//! The 59 steps of a batch depend only on the low 59 bits of f and g, so they run on one word
//! and record their effect as a matrix T with 2⁶²·(f′, g′) = T·(f, g) (the steps' own matrix
//! scaled by 2³), entries of magnitude at most 2⁶² (each row's |·| sum at most doubles per
//! step). T is then applied to the full f, g
//! and to d, e, which keep d·x ≡ f·c and e·x ≡ g·c (mod p) for a constant c: at the end
//! d = ±c·x⁻¹. Dividing d, e by 2⁶² mod p means adding the multiple of p that clears their
//! low 62 bits; as p ≡ −1 (mod 2⁶⁴), that multiple is read off the low bits with no
//! multiplication. d and e stay in (−2p, p) as in libsecp256k1's analysis: p is added first to
//! a negative one, and the multiple of p is taken from (−2⁶², 0] beyond that.
//!
//! Constant time: fixed iteration counts, masks instead of branches, no table lookups.

use super::field::P;

/// A signed integer as five 62-bit limbs, little-endian: limbs 0–3 in [0, 2⁶²), limb 4
/// signed, so the value is Σ limbᵢ·2⁶²ⁱ.
type Signed62 = [i64; 5];

const M62: u64 = u64::MAX >> 2;
const STEPS_PER_BATCH: usize = 59;
const BATCHES: usize = 10;

const P62: Signed62 = to_signed62(&P);

const fn to_signed62(a: &[u64; 4]) -> Signed62 {
    [
        (a[0] & M62) as i64,
        ((a[0] >> 62 | a[1] << 2) & M62) as i64,
        ((a[1] >> 60 | a[2] << 4) & M62) as i64,
        ((a[2] >> 58 | a[3] << 6) & M62) as i64,
        (a[3] >> 56) as i64,
    ]
}

/// The value of a normalised, non-negative `a` below 2²⁵⁶ as 64-bit limbs.
fn to_u64_limbs(a: &Signed62) -> [u64; 4] {
    let [l0, l1, l2, l3, l4] = a.map(|limb| limb as u64);
    [
        l0 | l1 << 62,
        l1 >> 2 | l2 << 60,
        l2 >> 4 | l3 << 58,
        l3 >> 6 | l4 << 56,
    ]
}

/// c·x⁻¹ mod p for x < p and c < p, as canonical limbs; x = 0 gives 0.
pub(super) fn invert_scaled(x: &[u64; 4], c: &[u64; 4]) -> [u64; 4] {
    let mut f = P62;
    let mut g = to_signed62(x);
    let mut d: Signed62 = [0; 5];
    let mut e = to_signed62(c);
    // ζ = −(δ + ½) with δ = ½ at the start.
    let mut zeta = -1i64;
    for _ in 0..BATCHES {
        let (next_zeta, t) = divsteps(zeta, f[0] as u64, g[0] as u64);
        zeta = next_zeta;
        apply_to_fg(&mut f, &mut g, &t);
        apply_to_de(&mut d, &mut e, &t);
    }
    // g = 0 and f = ±1 (or f = p for x = 0, with d = 0): the answer is d·f, in [0, p).
    let f_negative = f[4] >> 63;
    to_u64_limbs(&normalise(d, f_negative))
}

/// The transition matrix [u, v, q, r] scaled by 2⁶², with 2⁶²·(f′, g′) = (u·f + v·g,
/// q·f + r·g) after 59 divsteps (and a final scaling by 2³), and the new ζ. Only the low
/// 62 bits of f and g matter.
#[inline(always)]
fn divsteps(mut zeta: i64, f: u64, g: u64) -> (i64, [i64; 4]) {
    let (mut f, mut g) = (f as i64, g as i64);
    // Rows scaled by 2^(62 − 59) up front, so the matrix comes out scaled by 2⁶².
    let (mut u, mut v, mut q, mut r) = (8i64, 0i64, 0i64, 8i64);
    for _ in 0..STEPS_PER_BATCH {
        // All ones where ζ < 0 (δ > 0) and where g is odd.
        let delta_positive = zeta >> 63;
        let g_odd = (g & 1).wrapping_neg();
        // Where δ > 0, subtract instead of add: g ± f and the g row ± the f row.
        let minus_f = (f ^ delta_positive).wrapping_sub(delta_positive);
        let minus_u = (u ^ delta_positive) - delta_positive;
        let minus_v = (v ^ delta_positive) - delta_positive;
        g = g.wrapping_add(minus_f & g_odd);
        q += minus_u & g_odd;
        r += minus_v & g_odd;
        // The swap case: the new f is the old g, which is f + (g − f); ζ ← −ζ − 2 there and
        // ζ − 1 otherwise (δ ← 1 − δ or 1 + δ).
        let swap = delta_positive & g_odd;
        zeta = (zeta ^ swap) - 1;
        f = f.wrapping_add(g & swap);
        u += q & swap;
        v += r & swap;
        // g is even now: halve it, or equivalently double the f row of the matrix.
        g >>= 1;
        u <<= 1;
        v <<= 1;
    }
    (zeta, [u, v, q, r])
}

/// (f, g) ← T·(f, g)/2⁶², exact.
#[inline(always)]
fn apply_to_fg(f: &mut Signed62, g: &mut Signed62, t: &[i64; 4]) {
    let [u, v, q, r] = t.map(i128::from);
    let (f0, g0) = (i128::from(f[0]), i128::from(g[0]));
    // The low 62 bits of both sums are zero by the choice of T.
    let mut cf = (u * f0 + v * g0) >> 62;
    let mut cg = (q * f0 + r * g0) >> 62;
    for i in 1..5 {
        let (fi, gi) = (i128::from(f[i]), i128::from(g[i]));
        cf += u * fi + v * gi;
        cg += q * fi + r * gi;
        f[i - 1] = (cf as u64 & M62) as i64;
        g[i - 1] = (cg as u64 & M62) as i64;
        cf >>= 62;
        cg >>= 62;
    }
    f[4] = cf as i64;
    g[4] = cg as i64;
}

/// (d, e) ← T·(d, e)/2⁶² mod p, keeping both in (−2p, p).
#[inline(always)]
fn apply_to_de(d: &mut Signed62, e: &mut Signed62, t: &[i64; 4]) {
    let [u, v, q, r] = *t;
    // Adding p to a negative d or e (in effect) is adding u·p, v·p, … to the sums.
    let d_negative = d[4] >> 63;
    let e_negative = e[4] >> 63;
    let mut md = (u & d_negative) + (v & e_negative);
    let mut me = (q & d_negative) + (r & e_negative);
    let [u, v, q, r] = t.map(i128::from);
    let (d0, e0) = (i128::from(d[0]), i128::from(e[0]));
    let mut cd = u * d0 + v * e0;
    let mut ce = q * d0 + r * e0;
    // With p ≡ −1 (mod 2⁶²), cd + m·p ≡ cd − m: lower m by (m − cd) mod 2⁶² to clear the
    // low 62 bits.
    md -= (((md as u64).wrapping_sub(cd as u64)) & M62) as i64;
    me -= (((me as u64).wrapping_sub(ce as u64)) & M62) as i64;
    let (md, me) = (i128::from(md), i128::from(me));
    let p0 = i128::from(P62[0]);
    cd = (cd + md * p0) >> 62;
    ce = (ce + me * p0) >> 62;
    for i in 1..5 {
        let (di, ei, pi) = (i128::from(d[i]), i128::from(e[i]), i128::from(P62[i]));
        cd += u * di + v * ei + md * pi;
        ce += q * di + r * ei + me * pi;
        d[i - 1] = (cd as u64 & M62) as i64;
        e[i - 1] = (ce as u64 & M62) as i64;
        cd >>= 62;
        ce >>= 62;
    }
    d[4] = cd as i64;
    e[4] = ce as i64;
}

/// Carries every limb's excess into the next, leaving limbs 0–3 in [0, 2⁶²).
fn carry(a: &mut Signed62) {
    for i in 0..4 {
        a[i + 1] += a[i] >> 62;
        a[i] &= M62 as i64;
    }
}

/// d in (−2p, p), negated where `negate` is all ones, brought into [0, p).
fn normalise(mut d: Signed62, negate: i64) -> Signed62 {
    for limb in d.iter_mut() {
        *limb = (*limb ^ negate) - negate;
    }
    carry(&mut d);
    // Now in (−2p, 2p): add p twice where negative, then subtract it where at least p.
    for _ in 0..2 {
        let negative = d[4] >> 63;
        for (limb, p) in d.iter_mut().zip(P62) {
            *limb += p & negative;
        }
        carry(&mut d);
    }
    let mut reduced = d;
    for (limb, p) in reduced.iter_mut().zip(P62) {
        *limb -= p;
    }
    carry(&mut reduced);
    let keep = reduced[4] >> 63;
    for (limb, smaller) in d.iter_mut().zip(reduced) {
        *limb = (*limb & keep) | (smaller & !keep);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Limbs survive the round trip through the 62-bit form.
    #[test]
    fn signed62_round_trip() {
        let values = [P, [u64::MAX; 4], [0; 4], [1, 2, 3, 4]];
        for value in values {
            assert_eq!(to_u64_limbs(&to_signed62(&value)), value);
        }
    }

    /// A value of the form −m for each representable offset m normalises to p − m, and values
    /// just below and at p come out reduced.
    #[test]
    fn normalise_reduces_into_range() {
        let p_minus_one = {
            let mut p = P;
            p[0] -= 1;
            p
        };
        // −1 in signed-62 form.
        let minus_one: Signed62 = [M62 as i64, M62 as i64, M62 as i64, M62 as i64, -1];
        assert_eq!(to_u64_limbs(&normalise(minus_one, 0)), p_minus_one);
        // −(−1) = 1.
        assert_eq!(to_u64_limbs(&normalise(minus_one, -1)), [1, 0, 0, 0]);
        // p itself reduces to 0; p − 1 stays.
        assert_eq!(to_u64_limbs(&normalise(P62, 0)), [0; 4]);
        assert_eq!(
            to_u64_limbs(&normalise(to_signed62(&p_minus_one), 0)),
            p_minus_one
        );
    }
}
