//! Points of the SM2 curve y² = x³ − 3x + b: affine points for tables and Jacobian points
//! (X, Y, Z) ↦ (X/Z², Y/Z³) for running sums, with Z = 0 the point at infinity.
//!
//! Formulas (Hankerson, Menezes, Vanstone, "Guide to Elliptic Curve Cryptography", §3.2.2):
//! doubling with a = −3 costs 4M + 4S, mixed Jacobian + affine addition 8M + 3S, Jacobian +
//! Jacobian addition 12M + 4S. The addition formulas are wrong exactly when both inputs are the
//! same point (H = R = 0) or one is infinity; each caller says how it rules those cases out, or
//! uses a `_complete` or `_vartime` variant that handles them.

use subtle::{Choice, ConditionallySelectable};

#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
use super::adx;
use super::field::Fe;

/// A point in affine coordinates, never the point at infinity.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Affine {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
}

/// A point in Jacobian coordinates; Z = 0 is the point at infinity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
}

/// The generator G of GB/T 32918.5.
pub(crate) const GENERATOR: Affine = Affine {
    x: Fe::from_canonical_limbs([
        0x715a_4589_334c_74c7,
        0x8fe3_0bbf_f266_0be1,
        0x5f99_0446_6a39_c994,
        0x32c4_ae2c_1f19_8119,
    ]),
    y: Fe::from_canonical_limbs([
        0x02df_32e5_2139_f0a0,
        0xd0a9_877c_c62a_4740,
        0x59bd_cee3_6b69_2153,
        0xbc37_36a2_f4f6_779c,
    ]),
};

/// The curve coefficient b.
#[cfg(test)]
const B: Fe = Fe::from_canonical_limbs([
    0xddbc_bd41_4d94_0e93,
    0xf397_89f5_15ab_8f92,
    0x4d5a_9e4b_cf65_09a7,
    0x28e9_fa9e_9d9f_5e34,
]);

impl Affine {
    /// The point (x, y) if it satisfies the curve equation.
    #[cfg(test)]
    pub(crate) fn from_coordinates(x: Fe, y: Fe) -> Option<Self> {
        let three_x = x.double().add(&x);
        let rhs = x.square().mul(&x).sub(&three_x).add(&B);
        bool::from(subtle::ConstantTimeEq::ct_eq(&y.square(), &rhs)).then_some(Self { x, y })
    }

    pub(crate) fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
        }
    }

    /// −self where `choice` is set, self otherwise.
    pub(crate) fn conditional_neg(&self, choice: Choice) -> Self {
        Self {
            x: self.x,
            y: Fe::conditional_select(&self.y, &self.y.neg(), choice),
        }
    }
}

impl ConditionallySelectable for Affine {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
        }
    }
}

impl ConditionallySelectable for Jacobian {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl From<Affine> for Jacobian {
    fn from(point: Affine) -> Self {
        Self {
            x: point.x,
            y: point.y,
            z: Fe::ONE,
        }
    }
}

impl Jacobian {
    pub(crate) const IDENTITY: Self = Self {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    pub(crate) fn is_identity(&self) -> Choice {
        self.z.is_zero()
    }

    pub(crate) fn neg(&self) -> Self {
        Self {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// 2·self with a = −3 (4M + 4S). Infinity doubles to infinity (Z stays 0); the curve has
    /// no point of order 2, so no other case needs care. Runs in assembly on CPUs with BMI2
    /// and ADX (`adx.rs`, the same formula and results), else [`Jacobian::double_portable`].
    #[inline(always)]
    pub(crate) fn double(&self) -> Self {
        self.double_n(1)
    }

    /// X, Y and Z as Montgomery-form limbs, for the assembly.
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    pub(super) fn montgomery_limbs(&self) -> [[u64; 4]; 3] {
        [self.x, self.y, self.z].map(|c| c.montgomery_limbs())
    }

    /// The point whose X, Y and Z have the Montgomery-form limbs `limbs`, each below p.
    #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
    pub(super) fn from_montgomery_limbs(limbs: [[u64; 4]; 3]) -> Self {
        let [x, y, z] = limbs.map(Fe::from_montgomery_limbs);
        Self { x, y, z }
    }

    /// [`Jacobian::double`] in portable Rust: δ = Z², γ = Y², β = X·γ,
    /// α = 3·(X − δ)·(X + δ), X₃ = α² − 8β, Z₃ = 2·Y·Z, Y₃ = α·(4β − X₃) − 8γ².
    pub(super) fn double_portable(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let t = self.x.sub(&delta).mul(&self.x.add(&delta));
        let alpha = t.double().add(&t);
        let beta4 = beta.double().double();
        let x = alpha.square().sub(&beta4.double());
        // Z3 = 2·Y1·Z1: one multiplication and an addition, cheaper here than
        // (Y1 + Z1)² − γ − δ.
        let z = self.y.mul(&self.z).double();
        let gamma_sq8 = gamma.square().double().double().double();
        let y = alpha.mul(&beta4.sub(&x)).sub(&gamma_sq8);
        Self { x, y, z }
    }

    /// `self` doubled `n` times. On the assembly path the CPU check is made once and the
    /// assembly runs all `n` doublings in one loop, in place, with no copy or call between
    /// them (which saves about 8% of each doubling's time).
    pub(crate) fn double_n(&self, n: usize) -> Self {
        #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
        if adx::available() {
            let mut limbs = self.montgomery_limbs();
            adx::double_n_in_place(&mut limbs, n);
            return Self::from_montgomery_limbs(limbs);
        }
        let mut out = *self;
        for _ in 0..n {
            out = out.double_portable();
        }
        out
    }

    /// self + q by the mixed formula (8M + 3S), with H = U2 − X1 and R = S2 − Y1: valid unless
    /// self is infinity or H = R = 0 (q = self). Where H = 0 and R ≠ 0 (q = −self) the result
    /// is correctly infinity. Also returns whether H = 0 and whether R = 0. Runs in assembly
    /// on CPUs with BMI2 and ADX (`adx.rs`, the same formula and results), else
    /// [`Jacobian::add_mixed_formula_portable`].
    #[inline(always)]
    fn add_mixed_formula(&self, q: &Affine) -> (Self, Choice, Choice) {
        #[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
        if adx::available() {
            let affine = [q.x.montgomery_limbs(), q.y.montgomery_limbs()];
            let (sum, h_bits, r_bits) = adx::add_mixed(&self.montgomery_limbs(), &affine);
            let sum = Self::from_montgomery_limbs(sum);
            let is_zero = |bits: u64| subtle::ConstantTimeEq::ct_eq(&bits, &0);
            return (sum, is_zero(h_bits), is_zero(r_bits));
        }
        self.add_mixed_formula_portable(q)
    }

    /// [`Jacobian::add_mixed_formula`] in portable Rust.
    pub(super) fn add_mixed_formula_portable(&self, q: &Affine) -> (Self, Choice, Choice) {
        let z1z1 = self.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        let hh = h.square();
        let hhh = hh.mul(&h);
        let v = self.x.mul(&hh);
        let x = r.square().sub(&hhh).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&self.y.mul(&hhh));
        let z = self.z.mul(&h);
        (Self { x, y, z }, h.is_zero(), r.is_zero())
    }

    /// self + q by the Jacobian formula (12M + 4S); same validity as
    /// [`Jacobian::add_mixed_formula`], and also wrong where q is infinity.
    fn add_formula(&self, q: &Self) -> (Self, Choice, Choice) {
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&q.z).mul(&z2z2);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        let hh = h.square();
        let hhh = hh.mul(&h);
        let v = u1.mul(&hh);
        let x = r.square().sub(&hhh).sub(&v.double());
        let y = r.mul(&v.sub(&x)).sub(&s1.mul(&hhh));
        let z = self.z.mul(&q.z).mul(&h);
        (Self { x, y, z }, h.is_zero(), r.is_zero())
    }

    /// self + q by the formula alone, where the caller guarantees self is not infinity and
    /// q ≠ self (q = −self correctly gives infinity). Constant time: no selects are needed.
    pub(crate) fn add_mixed_distinct(&self, q: &Affine) -> Self {
        self.add_mixed_formula(q).0
    }

    /// self + q in constant time, where `q_is_identity` says q stands for infinity and self
    /// may be infinity. The caller guarantees q ≠ self.
    pub(crate) fn add_mixed_ct(&self, q: &Affine, q_is_identity: Choice) -> Self {
        let (sum, _, _) = self.add_mixed_formula(q);
        let sum = Self::conditional_select(&sum, &Self::from(*q), self.is_identity());
        Self::conditional_select(&sum, self, q_is_identity)
    }

    /// self + q in constant time for every input, including q = self (one extra doubling).
    pub(crate) fn add_mixed_complete_ct(&self, q: &Affine, q_is_identity: Choice) -> Self {
        let (sum, h_zero, r_zero) = self.add_mixed_formula(q);
        let doubled = Self::from(*q).double();
        let same = h_zero & r_zero & !self.is_identity();
        let sum = Self::conditional_select(&sum, &doubled, same);
        let sum = Self::conditional_select(&sum, &Self::from(*q), self.is_identity());
        Self::conditional_select(&sum, self, q_is_identity)
    }

    /// self + q for public points, any inputs (variable time).
    pub(crate) fn add_mixed_vartime(&self, q: &Affine) -> Self {
        if bool::from(self.is_identity()) {
            return Self::from(*q);
        }
        let (sum, h_zero, r_zero) = self.add_mixed_formula(q);
        if bool::from(h_zero & r_zero) {
            return self.double();
        }
        sum
    }

    /// self + q for public points, any inputs (variable time).
    pub(crate) fn add_vartime(&self, q: &Self) -> Self {
        if bool::from(self.is_identity()) {
            return *q;
        }
        if bool::from(q.is_identity()) {
            return *self;
        }
        let (sum, h_zero, r_zero) = self.add_formula(q);
        if bool::from(h_zero & r_zero) {
            return self.double();
        }
        sum
    }

    /// The affine point and whether self is infinity (then the coordinates are zero), in
    /// constant time.
    pub(crate) fn to_affine_ct(self) -> (Affine, Choice) {
        (self.scaled(&self.z.invert()), self.is_identity())
    }

    /// The affine x alone, X·Z⁻², in constant time (zero for infinity).
    pub(crate) fn affine_x_ct(&self) -> Fe {
        self.x.mul(&self.z.invert().square())
    }

    /// (X·z⁻², Y·z⁻³) for z⁻¹ = `z_inv`.
    fn scaled(&self, z_inv: &Fe) -> Affine {
        let z_inv2 = z_inv.square();
        Affine {
            x: self.x.mul(&z_inv2),
            y: self.y.mul(&z_inv2).mul(z_inv),
        }
    }
}

/// The affine forms of two points that are not infinity, with one inversion for both (three
/// extra multiplications instead of a second inversion). Constant time.
pub(crate) fn pair_to_affine_ct(a: &Jacobian, b: &Jacobian) -> (Affine, Affine) {
    let inverse = a.z.mul(&b.z).invert();
    (a.scaled(&inverse.mul(&b.z)), b.scaled(&inverse.mul(&a.z)))
}

/// The affine forms of public points, none of them infinity, with one inversion (Montgomery's
/// trick). Variable time.
pub(crate) fn batch_to_affine_vartime(points: &[Jacobian]) -> Vec<Affine> {
    // prefix[i] = z0·…·z(i−1)
    let mut prefix = Vec::with_capacity(points.len());
    let mut running = Fe::ONE;
    for point in points {
        prefix.push(running);
        running = running.mul(&point.z);
    }
    let mut inverse = running.invert();
    let mut out = vec![Affine::default(); points.len()];
    for ((point, before), slot) in points.iter().zip(&prefix).zip(&mut out).rev() {
        let z_inv = inverse.mul(before);
        inverse = inverse.mul(&point.z);
        let z_inv2 = z_inv.square();
        *slot = Affine {
            x: point.x.mul(&z_inv2),
            y: point.y.mul(&z_inv2).mul(&z_inv),
        };
    }
    out
}
