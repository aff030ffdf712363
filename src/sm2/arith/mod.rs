//! Fast SM2 curve arithmetic behind the module's public API: our own field multiplication
//! for p's special form, held to the formally verified fiat-crypto code (`sm2_64`) by tests,
//! and our own point layer:
//!
//! | file | what | timing |
//! | --- | --- | --- |
//! | `montgomery.rs` | multiplication, squaring, addition, subtraction mod p on limbs | constant |
//! | `adx.rs` | multiplication, squaring, point doubling and mixed addition in x86-64 assembly (MULX/ADCX/ADOX), used when the CPU has BMI2 and ADX | constant |
//! | `field.rs` | GF(p) in Montgomery form | constant |
//! | `safegcd.rs` | inversion mod p by Bernstein–Yang divsteps | constant |
//! | `select.rs` | constant-time table lookups (every entry read, AVX2 where present) | constant |
//! | `point.rs` | Jacobian and affine points, a = −3 doubling, mixed additions | per function |
//! | `fixed_base.rs` | k·G with a 43 × 32 comb table | constant |
//! | `variable_base.rs` | k·P with odd signed 5-bit windows | constant |
//! | `prepared_point.rs` | k·P with an encryption key's four tables of odd multiples, 60 doublings | constant |
//! | `lincomb.rs` | u1·G + u2·P with wNAF and Straus interleaving, one-shot or with a key's prepared table | variable (public inputs) |
//!
//! Scalars arrive as `sm2::Scalar` (the crate's own fiat-crypto arithmetic mod n) and points
//! leave as `sm2::AffinePoint` or coordinate bytes, so the rest of the module is unchanged.
//!
//! Costs in field multiplications (M, about 235 instructions each with `montgomery.rs`, against
//! about 365 with fiat-crypto's generic Montgomery code, and about 125 in `adx.rs`, some
//! 15 ns on the EPYC we measure on; a squaring about 185 portable; an inversion about 27,500
//! instructions ≈ 115 M, against 46,000 for Fermat's chain): k·G ≈ 43 mixed additions + one
//! inversion ≈ 650 M; k·P ≈ 255 doublings, 66 mixed additions (15 of them for the table) and
//! two inversions ≈ 3,200 M, ≈ 1,200 M with an encryption key's prepared tables (64
//! doublings, 51 mixed additions); u1·G + u2·P ≈ 2,700 M one-shot, ≈ 1,250 M with a prepared
//! table (no inversion: B7 compares X with x·Z²).

#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
mod adx;
mod field;
mod fixed_base;
mod lincomb;
mod montgomery;
mod point;
mod prepared_point;
mod safegcd;
mod select;
mod variable_base;

use sm2::elliptic_curve::PrimeField;
use sm2::elliptic_curve::point::AffineCoordinates;
use sm2::{AffinePoint, FieldBytes, Scalar};
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroizing;

use super::curve::{self, FIELD_LEN};
use field::Fe;
use point::{Affine, Jacobian};

pub(crate) use lincomb::PublicTable;
pub(crate) use prepared_point::PreparedPoint;

#[cfg(test)]
mod tests;

#[cfg(test)]
thread_local! {
    /// Set on a test's thread to run the portable code there instead of the assembly and
    /// AVX2 paths, which the CPU would otherwise choose.
    static PORTABLE_ONLY: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Whether the current test thread asked for the portable code.
#[cfg(test)]
fn portable_forced() -> bool {
    PORTABLE_ONLY.with(core::cell::Cell::get)
}

/// Runs `f` with the portable field, point and lookup code on this thread.
#[cfg(test)]
fn portable_only<T>(f: impl FnOnce() -> T) -> T {
    PORTABLE_ONLY.with(|flag| flag.set(true));
    let out = f();
    PORTABLE_ONLY.with(|flag| flag.set(false));
    out
}

/// The order n, big-endian, for the x-coordinate check of verification.
const ORDER: [u64; 4] = [
    0x53bb_f409_39d5_4123,
    0x7203_df6b_21c6_052b,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// Coordinates `x ‖ y` of a point, wiped on drop.
pub(crate) type PointBytes = Zeroizing<[u8; 2 * FIELD_LEN]>;

/// k·G in constant time, as `x ‖ y`, and whether it is infinity (k = 0; then zeros).
pub(crate) fn mul_generator(k: &Scalar) -> (PointBytes, Choice) {
    let k_bytes = Zeroizing::new(<[u8; FIELD_LEN]>::from(k.to_repr()));
    to_bytes_ct(&fixed_base::mul_generator(&k_bytes))
}

/// The affine x of k·G in constant time, as 32 big-endian bytes, for 0 < k < n (then never
/// infinity): all that signing needs, with two multiplications and a conversion fewer than
/// [`mul_generator`].
pub(crate) fn mul_generator_x(k: &Scalar) -> Zeroizing<[u8; FIELD_LEN]> {
    let k_bytes = Zeroizing::new(<[u8; FIELD_LEN]>::from(k.to_repr()));
    Zeroizing::new(
        fixed_base::mul_generator(&k_bytes)
            .affine_x_ct()
            .to_be_bytes(),
    )
}

/// k·P in constant time, as `x ‖ y`, for 0 < k < n (then never infinity).
pub(crate) fn mul_point(k: &Scalar, point: &AffinePoint) -> PointBytes {
    let k_bytes = Zeroizing::new(<[u8; FIELD_LEN]>::from(k.to_repr()));
    let product = variable_base::mul(&k_bytes, &from_sm2(point));
    to_bytes_ct(&product).0
}

/// k·G and k·P together in constant time, as `x ‖ y` each, for 0 < k < n (then neither is
/// infinity): C1 and (x2, y2) of encryption, sharing one inversion. With P's prepared tables
/// k·P takes a quarter of the doublings.
pub(crate) fn mul_generator_and_point(
    k: &Scalar,
    point: &AffinePoint,
    prepared: Option<&PreparedPoint>,
) -> (PointBytes, PointBytes) {
    let k_bytes = Zeroizing::new(<[u8; FIELD_LEN]>::from(k.to_repr()));
    let c1 = fixed_base::mul_generator(&k_bytes);
    let shared = match prepared {
        Some(tables) => tables.mul(&k_bytes),
        None => variable_base::mul(&k_bytes, &from_sm2(point)),
    };
    let (c1, shared) = point::pair_to_affine_ct(&c1, &shared);
    (affine_bytes(&c1), affine_bytes(&shared))
}

/// The `sm2` crate's point for `x ‖ y`; `None` if it is not on the curve.
pub(crate) fn to_sm2(xy: &[u8; 2 * FIELD_LEN]) -> Option<AffinePoint> {
    let (x, y) = xy.split_at(FIELD_LEN);
    let x = FieldBytes::try_from(x).ok()?;
    let y = FieldBytes::try_from(y).ok()?;
    Option::from(AffinePoint::from_coordinates(&x, &y))
}

/// The prepared tables of an encryption key for [`mul_generator_and_point`].
pub(crate) fn prepared_point(point: &AffinePoint) -> PreparedPoint {
    PreparedPoint::new(&from_sm2(point))
}

/// The prepared table of a public key for [`verify_combination_vartime`].
pub(crate) fn public_table(point: &AffinePoint) -> PublicTable {
    PublicTable::new(&from_sm2(point))
}

/// Whether s·G + t·P has an affine x with x ≡ c (mod n), where c = (r − e) mod n: step B7 of
/// GB/T 32918.2 (r = (e + x1) mod n) without inverting Z. As x < p < 2n, x is c or c + n.
/// With P's prepared table it takes a quarter of the doublings. Variable time: every input
/// is public.
pub(crate) fn verify_combination_vartime(
    s: &Scalar,
    t: &Scalar,
    p: &AffinePoint,
    prepared: Option<&PublicTable>,
    c: &Scalar,
) -> bool {
    let (s, t) = (s.to_repr().into(), t.to_repr().into());
    let sum = match prepared {
        Some(table) => lincomb::lincomb_prepared_vartime(&s, &t, table),
        None => lincomb::lincomb_vartime(&s, &t, &from_sm2(p)),
    };
    if bool::from(sum.is_identity()) {
        return false;
    }
    let c_bytes: [u8; FIELD_LEN] = c.to_repr().into();
    if lincomb::x_equals_vartime(&sum, &c_bytes) {
        return true;
    }
    add_order(&c_bytes).is_some_and(|c_plus_n| lincomb::x_equals_vartime(&sum, &c_plus_n))
}

/// c + n as 32 big-endian bytes, or `None` if it does not fit.
fn add_order(c: &[u8; FIELD_LEN]) -> Option<[u8; FIELD_LEN]> {
    let mut out = [0u8; FIELD_LEN];
    let mut carry = false;
    for ((chunk, n), out_chunk) in c.rchunks_exact(8).zip(ORDER).zip(out.rchunks_exact_mut(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let (sum, c1) = u64::from_be_bytes(word).overflowing_add(n);
        let (sum, c2) = sum.overflowing_add(u64::from(carry));
        carry = c1 || c2;
        out_chunk.copy_from_slice(&sum.to_be_bytes());
    }
    (!carry).then_some(out)
}

fn from_sm2(point: &AffinePoint) -> Affine {
    // Invariant: an `sm2::AffinePoint` held by this module is on the curve and not the
    // identity (decode_point and PublicKey guarantee it), so both coordinates are below p.
    let (x, y) = curve::coordinates(point).unwrap_or(([0; FIELD_LEN], [0; FIELD_LEN]));
    Affine {
        x: Fe::from_be_bytes(&x).unwrap_or(Fe::ZERO),
        y: Fe::from_be_bytes(&y).unwrap_or(Fe::ZERO),
    }
}

fn to_bytes_ct(point: &Jacobian) -> (PointBytes, Choice) {
    let (affine, is_identity) = point.to_affine_ct();
    let affine = Affine::conditional_select(&affine, &Affine::default(), is_identity);
    (affine_bytes(&affine), is_identity)
}

fn affine_bytes(point: &Affine) -> PointBytes {
    let mut out = Zeroizing::new([0u8; 2 * FIELD_LEN]);
    out[..FIELD_LEN].copy_from_slice(&point.x.to_be_bytes());
    out[FIELD_LEN..].copy_from_slice(&point.y.to_be_bytes());
    out
}
