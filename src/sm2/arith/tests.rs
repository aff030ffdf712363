//! The fast arithmetic against the `sm2` crate's `ProjectivePoint` (the reference), point by
//! point: edge scalars, random scalars and points, and sums that pass through infinity.

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sm2::elliptic_curve::ops::{LinearCombination, Reduce};
use sm2::elliptic_curve::{Group, PrimeField};
use sm2::{FieldBytes, ProjectivePoint, Scalar};

use super::point::{Affine, GENERATOR};
use super::*;

/// `x ‖ y` of the reference point, `None` for infinity.
fn reference(point: ProjectivePoint) -> Option<[u8; 64]> {
    let (x, y) = curve::coordinates(&point.to_affine())?;
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&x);
    out[32..].copy_from_slice(&y);
    Some(out)
}

fn ours(point: &Jacobian) -> Option<[u8; 64]> {
    let (bytes, is_identity) = to_bytes_ct(point);
    (!bool::from(is_identity)).then_some(*bytes)
}

fn scalar_from_hex(hex: &str) -> Scalar {
    let bytes: [u8; 32] = hex::decode(hex).unwrap().try_into().unwrap();
    Option::from(Scalar::from_repr(FieldBytes::from(bytes))).unwrap()
}

/// n − 1, n − 2, 1, 2, 2²⁵⁵ ± small, 2²⁵⁶ − 2²²⁴ (just above n's top word) and random.
fn edge_scalars() -> Vec<Scalar> {
    let mut out = vec![
        Scalar::ONE,
        Scalar::ONE.double(),
        -Scalar::ONE,
        -Scalar::ONE.double(),
        -Scalar::ONE.double() - Scalar::ONE,
        scalar_from_hex("8000000000000000000000000000000000000000000000000000000000000000"),
        scalar_from_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
        scalar_from_hex("8000000000000000000000000000000000000000000000000000000000000001"),
        scalar_from_hex("fffffffeffffffffffffffffffffffff00000000000000000000000000000000"),
        scalar_from_hex("0000000000000000000000000000000000000000000000000000000000000040"),
        scalar_from_hex("000000000000000000000000000000000000000000000000000000000000001f"),
    ];
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    for _ in 0..64 {
        out.push(random_scalar(&mut rng));
    }
    out
}

fn random_scalar(rng: &mut ChaCha20Rng) -> Scalar {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(bytes))
}

/// k·G with the comb equals the reference for edge and random k, and 0·G, n·G are infinity.
#[test]
fn mul_generator_matches_the_reference() {
    for k in edge_scalars() {
        let (bytes, is_identity) = mul_generator(&k);
        assert!(!bool::from(is_identity));
        assert_eq!(
            Some(*bytes),
            reference(ProjectivePoint::mul_by_generator(&k))
        );
        assert_eq!(*mul_generator_x(&k), bytes[..32]);
    }
    assert!(bool::from(mul_generator(&Scalar::ZERO).1));
    assert_eq!(*mul_generator_x(&Scalar::ZERO), [0; 32]);
    let n =
        hex::decode("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123").unwrap();
    let n: [u8; 32] = n.try_into().unwrap();
    assert!(bool::from(fixed_base::mul_generator(&n).is_identity()));
    // 2²⁵⁶ − 1 ≡ 2²⁵⁶ − 1 − n (mod n): the recoding's largest input.
    let all_ones = fixed_base::mul_generator(&[0xff; 32]);
    let reduced = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from([0xff; 32]));
    assert_eq!(
        ours(&all_ones),
        reference(ProjectivePoint::mul_by_generator(&reduced))
    );
}

/// k·P with the odd-window ladder equals the reference for edge and random k and random P,
/// including P = G and P = −G.
#[test]
fn mul_point_matches_the_reference() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let mut points = vec![ProjectivePoint::generator(), -ProjectivePoint::generator()];
    for _ in 0..6 {
        points.push(ProjectivePoint::mul_by_generator(&random_scalar(&mut rng)));
    }
    for point in points {
        let affine = point.to_affine();
        for k in edge_scalars().into_iter().take(24) {
            assert_eq!(
                Some(*mul_point(&k, &affine)),
                reference(point * k),
                "k = {k:?}"
            );
        }
    }
}

/// u1·G + u2·P equals the reference's linear combination, for random and edge scalars, for
/// P = ±G, and where the sum is infinity (u1·G = −u2·P) or the combination is u1 = 0.
#[test]
fn lincomb_matches_the_reference() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let mut cases = Vec::new();
    for _ in 0..64 {
        let a = random_scalar(&mut rng);
        cases.push((random_scalar(&mut rng), random_scalar(&mut rng), a));
    }
    for k in edge_scalars().into_iter().take(11) {
        cases.push((k, k, Scalar::ONE)); // P = G: 2k·G
        cases.push((k, k, -Scalar::ONE)); // P = −G: infinity
        cases.push((k, Scalar::ONE, k)); // P = k·G: 2k·G through the P side
        cases.push((Scalar::ZERO, k, -Scalar::ONE));
        let a = random_scalar(&mut rng);
        let u2 = random_scalar(&mut rng);
        cases.push((-(a * u2), u2, a)); // u1·G = −u2·P: infinity
    }
    for (u1, u2, a) in cases {
        let p = ProjectivePoint::mul_by_generator(&a);
        let expected = ProjectivePoint::lincomb(&[(ProjectivePoint::generator(), u1), (p, u2)]);
        let table = public_table(&p.to_affine());
        let (u1, u2) = (u1.to_repr().into(), u2.to_repr().into());
        let prepared = lincomb::lincomb_prepared_vartime(&u1, &u2, &table);
        assert_eq!(ours(&prepared), reference(expected));
        let one_shot = lincomb::lincomb_vartime(&u1, &u2, &from_sm2(&p.to_affine()));
        assert_eq!(ours(&one_shot), reference(expected));
    }
}

/// The B7 check accepts x1 through c = x1 mod n and through c = x1 − n (x1 ≥ n), and rejects
/// c ± 1.
#[test]
fn x_check_covers_both_preimages() {
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let p = ProjectivePoint::mul_by_generator(&random_scalar(&mut rng));
    let affine = p.to_affine();
    let table = public_table(&affine);
    let (u1, u2) = (random_scalar(&mut rng), random_scalar(&mut rng));
    let sum = ProjectivePoint::lincomb(&[(ProjectivePoint::generator(), u1), (p, u2)]);
    let x = curve::coordinates(&sum.to_affine()).unwrap().0;
    let c = curve::reduce_to_scalar(&x);
    for prepared in [Some(&table), None] {
        let check = |c| verify_combination_vartime(&u1, &u2, &affine, prepared, &c);
        assert!(check(c));
        assert!(!check(c + Scalar::ONE));
        assert!(!check(c - Scalar::ONE));
    }
    // An x in [n, p) occurs with probability about 2⁻¹²⁸, so c + n is checked directly: it
    // fits exactly when c < 2²⁵⁶ − n.
    let small = [0u8; 32];
    assert_eq!(
        add_order(&small).map(hex::encode).as_deref(),
        Some("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123")
    );
    assert_eq!(add_order(&[0xff; 32]), None);
}

/// Every entry of the comb table, of a public table and of an encryption key's prepared tables
/// is on the curve.
#[test]
fn tables_hold_curve_points() {
    let check = |point: &Affine| {
        assert!(Affine::from_coordinates(point.x, point.y).is_some());
    };
    check(&GENERATOR);
    let table = public_table(&ProjectivePoint::generator().to_affine());
    table.points().for_each(check);
    prepared_point(&ProjectivePoint::generator().to_affine())
        .points()
        .for_each(check);
    fixed_base::table_points().for_each(check);
}

/// k·P from an encryption key's prepared tables (four pieces of 13 odd digits, the last round
/// with complete additions) equals the reference for edge and random k, including k whose last
/// round adds a point to itself, for P = ±G and random P; and so does encryption's pair with
/// them.
#[test]
fn prepared_point_matches_the_reference() {
    let mut rng = ChaCha20Rng::seed_from_u64(18);
    let mut points = vec![ProjectivePoint::generator(), -ProjectivePoint::generator()];
    for _ in 0..4 {
        points.push(ProjectivePoint::mul_by_generator(&random_scalar(&mut rng)));
    }
    // 31·2¹⁹⁶ (even, so n − 31·2¹⁹⁶ is used) and n − 31·2¹⁹⁶ reach round 0's addition of
    // piece 3 with the sum equal to the addend: the doubling inside the complete addition.
    let mut scalars = edge_scalars();
    let same_point =
        scalar_from_hex("00000001f0000000000000000000000000000000000000000000000000000000");
    scalars.extend([same_point, -same_point]);
    for point in points {
        let affine = point.to_affine();
        let prepared = prepared_point(&affine);
        for k in scalars.iter().copied() {
            let expected = reference(point * k);
            assert_eq!(
                ours(&prepared.mul(&k.to_repr().into())),
                expected,
                "k = {k:?}"
            );
            let (c1, shared) = mul_generator_and_point(&k, &affine, Some(&prepared));
            assert_eq!(Some(*c1), reference(ProjectivePoint::mul_by_generator(&k)));
            assert_eq!(Some(*shared), expected);
        }
    }
}

/// Encryption's pair (k·G, k·P) with one shared inversion equals the two reference products.
#[test]
fn mul_generator_and_point_matches_the_reference() {
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    for k in edge_scalars().into_iter().take(20) {
        let point = ProjectivePoint::mul_by_generator(&random_scalar(&mut rng));
        let (c1, shared) = mul_generator_and_point(&k, &point.to_affine(), None);
        assert_eq!(Some(*c1), reference(ProjectivePoint::mul_by_generator(&k)));
        assert_eq!(Some(*shared), reference(point * k));
    }
}

/// Points whose x is at an edge of the field (0, 1, 2, … and p − 1, p − 2, …, whichever lie on
/// the curve), each with both y (one of them above p/2): k·P, encryption's pair and the
/// verification combination agree with the reference.
#[test]
fn points_at_field_edges_match_the_reference() {
    use sm2::elliptic_curve::point::DecompressPoint;
    let p_minus = |k: u8| {
        let mut x: [u8; 32] =
            hex::decode("fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff")
                .unwrap()
                .try_into()
                .unwrap();
        x[31] -= k;
        x
    };
    let small = |k: u8| {
        let mut x = [0u8; 32];
        x[31] = k;
        x
    };
    let mut points = Vec::new();
    for k in 0..24u8 {
        for x in [small(k), p_minus(k + 1)] {
            for odd in [0u8, 1] {
                let decoded =
                    AffinePoint::decompress(&FieldBytes::from(x), subtle::Choice::from(odd));
                if let Some(point) = Option::<AffinePoint>::from(decoded) {
                    points.push(ProjectivePoint::from(point));
                }
            }
        }
    }
    assert!(points.len() >= 20, "only {} edge points", points.len());
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    for point in points {
        let affine = point.to_affine();
        for k in [Scalar::ONE, -Scalar::ONE.double(), random_scalar(&mut rng)] {
            assert_eq!(Some(*mul_point(&k, &affine)), reference(point * k));
            let (_, shared) = mul_generator_and_point(&k, &affine, None);
            assert_eq!(Some(*shared), reference(point * k));
            let prepared = prepared_point(&affine);
            assert_eq!(
                ours(&prepared.mul(&k.to_repr().into())),
                reference(point * k)
            );
            let (_, shared) = mul_generator_and_point(&k, &affine, Some(&prepared));
            assert_eq!(Some(*shared), reference(point * k));
            let u1 = random_scalar(&mut rng);
            let expected =
                ProjectivePoint::lincomb(&[(ProjectivePoint::generator(), u1), (point, k)]);
            let (u1, k) = (u1.to_repr().into(), k.to_repr().into());
            let one_shot = lincomb::lincomb_vartime(&u1, &k, &from_sm2(&affine));
            assert_eq!(ours(&one_shot), reference(expected));
            let prepared = lincomb::lincomb_prepared_vartime(&u1, &k, &public_table(&affine));
            assert_eq!(ours(&prepared), reference(expected));
        }
    }
}

/// The portable field, point and lookup code (what CPUs without BMI2/ADX or AVX2 run) gives
/// the reference's k·G, k·P, prepared k·P and u1·G + u2·P for edge and random scalars.
#[test]
fn portable_code_matches_the_reference() {
    portable_only(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(19);
        let point = ProjectivePoint::mul_by_generator(&random_scalar(&mut rng));
        let affine = point.to_affine();
        let prepared = prepared_point(&affine);
        for k in edge_scalars().into_iter().take(24) {
            let expected = reference(point * k);
            assert_eq!(
                Some(*mul_generator(&k).0),
                reference(ProjectivePoint::mul_by_generator(&k))
            );
            assert_eq!(Some(*mul_point(&k, &affine)), expected);
            assert_eq!(ours(&prepared.mul(&k.to_repr().into())), expected);
            let u1 = random_scalar(&mut rng);
            let combined =
                ProjectivePoint::lincomb(&[(ProjectivePoint::generator(), u1), (point, k)]);
            let (u1, k) = (u1.to_repr().into(), k.to_repr().into());
            let one_shot = lincomb::lincomb_vartime(&u1, &k, &from_sm2(&affine));
            assert_eq!(ours(&one_shot), reference(combined));
        }
    });
}
