//! Elements of the SM2 prime field GF(p), p = 2²⁵⁶ − 2²²⁴ − 2⁹⁶ + 2⁶⁴ − 1, kept in Montgomery
//! form (a·2²⁵⁶ mod p). Negation and the conversions are the formally verified fiat-crypto code
//! (`sm2_64`, what the `sm2` crate uses); multiplication, squaring, addition and subtraction
//! are ours, for p's special form (see `montgomery.rs`), tested against fiat-crypto's.
//!
//! Every operation here is constant time, including [`Fe::invert`] (Bernstein–Yang divsteps,
//! a fixed number of them; `safegcd.rs`).

use fiat_crypto::sm2_64::{
    fiat_sm2_from_bytes, fiat_sm2_from_montgomery,
    fiat_sm2_montgomery_domain_field_element as Mont,
    fiat_sm2_non_montgomery_domain_field_element as NonMont, fiat_sm2_nonzero, fiat_sm2_opp,
    fiat_sm2_to_bytes, fiat_sm2_to_montgomery,
};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};

use super::{montgomery, safegcd};

/// p as little-endian 64-bit limbs.
pub(super) const P: [u64; 4] = [
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_0000_0000,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// R² mod p (R = 2²⁵⁶): the Montgomery form of R mod p, whose canonical limbs are those of
/// `Fe::ONE`.
const R_SQUARED: [u64; 4] = Fe::from_canonical_limbs(Fe::ONE.0).0;

/// A field element in Montgomery form (a·2²⁵⁶ mod p), little-endian limbs.
#[derive(Clone, Copy, Debug, Default)]
#[repr(transparent)]
pub(crate) struct Fe([u64; 4]);

impl Fe {
    pub(crate) const ZERO: Self = Self([0; 4]);
    pub(crate) const ONE: Self = Self::from_canonical_limbs([1, 0, 0, 0]);

    /// The element whose value is the little-endian limbs `limbs`, which must be below p.
    pub(crate) const fn from_canonical_limbs(limbs: [u64; 4]) -> Self {
        let mut out = Mont([0; 4]);
        fiat_sm2_to_montgomery(&mut out, &NonMont(limbs));
        Self(out.0)
    }

    /// Reads a 32-byte big-endian integer; `None` unless it is below p.
    pub(crate) fn from_be_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let mut le = *bytes;
        le.reverse();
        let mut limbs = [0u64; 4];
        fiat_sm2_from_bytes(&mut limbs, &le);
        let below_p = limbs_less_than(&limbs, &P);
        bool::from(below_p).then(|| Self::from_canonical_limbs(limbs))
    }

    /// The value as 32 big-endian bytes.
    pub(crate) fn to_be_bytes(self) -> [u8; 32] {
        let mut plain = NonMont([0; 4]);
        fiat_sm2_from_montgomery(&mut plain, &Mont(self.0));
        let mut out = [0u8; 32];
        fiat_sm2_to_bytes(&mut out, &plain.0);
        out.reverse();
        out
    }

    /// The Montgomery-form limbs (a·2²⁵⁶ mod p, little-endian), for the assembly.
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    #[inline(always)]
    pub(super) const fn montgomery_limbs(&self) -> [u64; 4] {
        self.0
    }

    /// The element whose Montgomery-form limbs are `limbs`, which must be below p (the
    /// assembly's outputs are).
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    #[inline(always)]
    pub(super) const fn from_montgomery_limbs(limbs: [u64; 4]) -> Self {
        Self(limbs)
    }

    #[inline(always)]
    pub(crate) fn mul(&self, rhs: &Self) -> Self {
        Self(montgomery::mul(&self.0, &rhs.0))
    }

    #[inline(always)]
    pub(crate) fn square(&self) -> Self {
        Self(montgomery::square(&self.0))
    }

    #[inline(always)]
    pub(crate) fn add(&self, rhs: &Self) -> Self {
        Self(montgomery::add(&self.0, &rhs.0))
    }

    #[inline(always)]
    pub(crate) fn sub(&self, rhs: &Self) -> Self {
        Self(montgomery::sub(&self.0, &rhs.0))
    }

    #[inline(always)]
    pub(crate) fn neg(&self) -> Self {
        let mut out = Mont([0; 4]);
        fiat_sm2_opp(&mut out, &Mont(self.0));
        Self(out.0)
    }

    #[inline(always)]
    pub(crate) fn double(&self) -> Self {
        self.add(self)
    }

    /// self |= other & mask, limb by limb: with `mask` all ones or all zeros, a branch-free
    /// building block for table lookups that the compiler can vectorise.
    #[inline(always)]
    pub(crate) fn or_masked(&mut self, other: &Self, mask: u64) {
        for (limb, other) in self.0.iter_mut().zip(other.0) {
            *limb |= other & mask;
        }
    }

    pub(crate) fn is_zero(&self) -> Choice {
        let mut any = 0u64;
        fiat_sm2_nonzero(&mut any, &self.0);
        any.ct_eq(&0)
    }

    /// self⁻¹ in constant time by Bernstein–Yang divsteps (`safegcd.rs`); zero maps to zero.
    /// In Montgomery form the value is a·R (R = 2²⁵⁶) and its inverse must be a⁻¹·R =
    /// (a·R)⁻¹·R², so the inversion is scaled by R² mod p.
    pub(crate) fn invert(&self) -> Self {
        Self(safegcd::invert_scaled(&self.0, &R_SQUARED))
    }

    /// `self` squared `n` times.
    #[cfg(test)]
    fn square_n(&self, n: usize) -> Self {
        let mut out = *self;
        for _ in 0..n {
            out = out.square();
        }
        out
    }

    /// self⁻¹ = self^(p − 2) (Fermat), the reference [`Fe::invert`] is tested against: a
    /// fixed chain of 256 squarings and 15 multiplications.
    ///
    /// p − 2 = 2²⁵⁶ − 2²²⁴ − 2⁹⁶ + 2⁶⁴ − 3 is, from the top: 31 ones, a zero, 128 ones, 32
    /// zeros, 62 ones, a zero, a one.
    #[cfg(test)]
    fn invert_fermat(&self) -> Self {
        let x1 = *self;
        // xN = self^(2^N − 1), N ones.
        let x2 = x1.square().mul(&x1);
        let x3 = x2.square().mul(&x1);
        let x6 = x3.square_n(3).mul(&x3);
        let x12 = x6.square_n(6).mul(&x6);
        let x15 = x12.square_n(3).mul(&x3);
        let x30 = x15.square_n(15).mul(&x15);
        let x31 = x30.square().mul(&x1);
        let x32 = x31.square().mul(&x1);
        // 31 ones, a zero, then 128 ones as four runs of 32.
        let mut acc = x31.square().square_n(32).mul(&x32);
        for _ in 0..3 {
            acc = acc.square_n(32).mul(&x32);
        }
        // 32 zeros, then 62 ones as 31 + 31.
        acc = acc.square_n(32 + 31).mul(&x31);
        acc = acc.square_n(31).mul(&x31);
        // A zero, a one.
        acc.square_n(2).mul(&x1)
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self([
            u64::conditional_select(&a.0[0], &b.0[0], choice),
            u64::conditional_select(&a.0[1], &b.0[1], choice),
            u64::conditional_select(&a.0[2], &b.0[2], choice),
            u64::conditional_select(&a.0[3], &b.0[3], choice),
        ])
    }
}

impl ConstantTimeEq for Fe {
    /// Montgomery form is canonical (fully reduced), so equal values have equal limbs.
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

/// Whether the little-endian limbs `a` are below `b`, in constant time.
fn limbs_less_than(a: &[u64; 4], b: &[u64; 4]) -> Choice {
    let mut less = Choice::from(0);
    for (x, y) in a.iter().zip(b) {
        // A higher limb decides unless it is equal; walk from low to high, letting each
        // unequal limb overwrite the answer.
        less = Choice::conditional_select(&x.ct_lt(y), &less, x.ct_eq(y));
    }
    less
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};
    use sm2::elliptic_curve::bigint::{NonZero, U256};

    const P_HEX: &str = "fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff";

    fn random(rng: &mut ChaCha20Rng) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        bytes[0] &= 0x7f;
        bytes
    }

    /// Every operation agrees with crypto-bigint's generic modular arithmetic.
    #[test]
    fn operations_agree_with_generic_modular_arithmetic() {
        let p = NonZero::new(U256::from_be_hex(P_HEX)).unwrap();
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for _ in 0..500 {
            let (a, b) = (random(&mut rng), random(&mut rng));
            let (x, y) = (
                Fe::from_be_bytes(&a).unwrap(),
                Fe::from_be_bytes(&b).unwrap(),
            );
            let (u, v) = (U256::from_be_slice(&a), U256::from_be_slice(&b));
            let check = |ours: Fe, expected: U256| {
                assert_eq!(U256::from_be_slice(&ours.to_be_bytes()), expected);
            };
            check(x.mul(&y), u.mul_mod(&v, &p));
            check(x.square(), u.square_mod(&p));
            check(x.add(&y), u.add_mod(&v, &p));
            check(x.sub(&y), u.sub_mod(&v, &p));
            check(x.neg(), u.neg_mod(&p));
            check(x.invert(), u.invert_mod(&p).unwrap());
        }
    }

    /// Inputs at and above p are rejected; p − 1 and 0 are accepted; 0 inverts to 0.
    #[test]
    fn from_be_bytes_accepts_exactly_the_values_below_p() {
        let p_minus_1 = Fe::ZERO.sub(&Fe::ONE).to_be_bytes();
        assert_eq!(
            hex::encode(p_minus_1),
            "fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffe"
        );
        assert!(Fe::from_be_bytes(&p_minus_1).is_some());
        assert!(bool::from(Fe::from_be_bytes(&[0; 32]).unwrap().is_zero()));
        let p: [u8; 32] = hex::decode(P_HEX).unwrap().try_into().unwrap();
        assert!(Fe::from_be_bytes(&p).is_none());
        assert!(Fe::from_be_bytes(&[0xff; 32]).is_none());
        assert!(bool::from(Fe::ZERO.invert().is_zero()));
    }

    fn from_limbs(limbs: [u64; 4]) -> Fe {
        Fe::from_canonical_limbs(limbs)
    }

    /// The divstep inversion agrees with Fermat's x^(p − 2) on random values below p and on
    /// the edges: 0 (→ 0), 1, 2, p − 1, p − 2, (p − 1)/2, 2²⁵⁵ ± 1, 2²⁵⁴, powers of two with
    /// many trailing zeros, all-ones runs and values whose low limbs are zero.
    #[test]
    fn divstep_inversion_agrees_with_fermat() {
        let p_minus = |k: u64| from_limbs([P[0] - k, P[1], P[2], P[3]]);
        let mut edges = vec![
            Fe::ZERO,
            Fe::ONE,
            from_limbs([1, 0, 0, 0]),
            from_limbs([2, 0, 0, 0]),
            p_minus(1),
            p_minus(2),
            // (p − 1)/2
            from_limbs([
                P[0] >> 1 | P[1] << 63,
                P[1] >> 1 | P[2] << 63,
                P[2] >> 1 | P[3] << 63,
                P[3] >> 1,
            ]),
            from_limbs([0, 0, 0, 1 << 63]),
            from_limbs([1, 0, 0, 1 << 63]),
            from_limbs([u64::MAX, u64::MAX, u64::MAX, (1 << 63) - 1]),
            from_limbs([0, 0, 0, 1 << 62]),
            from_limbs([0, 0, 0xffff_ffff, 0]),
            from_limbs([0, 0, 1, 0x8000_0000]),
            from_limbs([u64::MAX, 0, 0, 0]),
            from_limbs([0, u64::MAX, 0, 0]),
        ];
        for bit in 0..256 {
            let mut limbs = [0u64; 4];
            limbs[bit / 64] = 1 << (bit % 64);
            edges.push(from_limbs(limbs));
        }
        let mut rng = ChaCha20Rng::seed_from_u64(0x05af_e9cd);
        for _ in 0..2000 {
            let bytes = random(&mut rng);
            edges.push(Fe::from_be_bytes(&bytes).unwrap());
            let mut full = [0u8; 32];
            rng.fill_bytes(&mut full);
            edges.extend(Fe::from_be_bytes(&full));
        }
        for x in edges {
            let (fast, slow) = (x.invert(), x.invert_fermat());
            assert_eq!(
                fast.to_be_bytes(),
                slow.to_be_bytes(),
                "x = {:?}",
                x.to_be_bytes()
            );
            if !bool::from(x.is_zero()) {
                assert!(bool::from(x.mul(&fast).ct_eq(&Fe::ONE)));
            }
        }
    }
}
