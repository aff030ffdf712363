//! Curve-level helpers shared by keys, signatures and encryption: scalar and point codecs over
//! the `sm2` crate's arithmetic.

use sm2::elliptic_curve::PrimeField;
use sm2::elliptic_curve::point::AffineCoordinates;
use sm2::elliptic_curve::sec1::ToSec1Point;
use sm2::elliptic_curve::subtle::{Choice, CtOption};
use sm2::{AffinePoint, FieldBytes, Scalar};

use super::Error;

/// Length of a field element or scalar in bytes.
pub(crate) const FIELD_LEN: usize = 32;

/// The curve parameters a, b, xG, yG of GB/T 32918.5, in the order Z hashes them.
pub(crate) const CURVE_PARAMS_FOR_Z: [[u8; 32]; 4] = [
    hex32("fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc"),
    hex32("28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93"),
    hex32("32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7"),
    hex32("bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0"),
];

const fn hex32(text: &str) -> [u8; 32] {
    let bytes = text.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        _ => c - b'a' + 10,
    }
}

/// Reads a 32-byte big-endian integer as a scalar if it is below n.
pub(crate) fn scalar_from_bytes(bytes: &[u8; FIELD_LEN]) -> CtOption<Scalar> {
    Scalar::from_repr(FieldBytes::from(*bytes))
}

/// Whether `d` is a valid SM2 private scalar: 1 ≤ d ≤ n − 2 (d ≠ 0 and d + 1 ≠ 0 mod n).
pub(crate) fn is_valid_private_scalar(d: &Scalar) -> Choice {
    !d.is_zero() & !(*d + Scalar::ONE).is_zero()
}

/// Reduces a 32-byte big-endian integer mod n (for e and x1 in signatures).
pub(crate) fn reduce_to_scalar(bytes: &[u8; FIELD_LEN]) -> Scalar {
    use sm2::elliptic_curve::ops::Reduce;
    <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(*bytes))
}

/// The affine coordinates as 32 big-endian bytes each; `None` for the point at infinity.
pub(crate) fn coordinates(point: &AffinePoint) -> Option<([u8; FIELD_LEN], [u8; FIELD_LEN])> {
    let encoded = point.to_sec1_point(false);
    let bytes = encoded.as_bytes();
    let x = bytes.get(1..33)?.try_into().ok()?;
    let y = bytes.get(33..65)?.try_into().ok()?;
    Some((x, y))
}

/// Decodes a SEC1 point (`04‖x‖y`, `02/03‖x`) or, where `bare_allowed`, a bare `x‖y` of 64
/// bytes, into a point on the curve that is not the identity.
pub(crate) fn decode_point(bytes: &[u8]) -> Result<AffinePoint, Error> {
    use sm2::elliptic_curve::point::DecompressPoint;
    match bytes.first() {
        None => Err(Error::PointEncoding { reason: "empty" }),
        Some(0x00) => Err(Error::PointAtInfinity),
        Some(0x04) => {
            let (x, y) = match (bytes.get(1..33), bytes.get(33..)) {
                (Some(x), Some(y)) if y.len() == FIELD_LEN => (x, y),
                _ => {
                    return Err(Error::PointEncoding {
                        reason: "an uncompressed point is 65 bytes",
                    });
                }
            };
            let x = FieldBytes::try_from(x).map_err(|_| Error::PointNotOnCurve)?;
            let y = FieldBytes::try_from(y).map_err(|_| Error::PointNotOnCurve)?;
            Option::from(AffinePoint::from_coordinates(&x, &y)).ok_or(Error::PointNotOnCurve)
        }
        Some(tag @ (0x02 | 0x03)) => {
            let x = match bytes.get(1..) {
                Some(x) if x.len() == FIELD_LEN => x,
                _ => {
                    return Err(Error::PointEncoding {
                        reason: "a compressed point is 33 bytes",
                    });
                }
            };
            let x = FieldBytes::try_from(x).map_err(|_| Error::PointNotOnCurve)?;
            let y_is_odd = Choice::from(tag & 1);
            Option::from(AffinePoint::decompress(&x, y_is_odd)).ok_or(Error::PointNotOnCurve)
        }
        Some(_) => Err(Error::PointEncoding {
            reason: "the first byte is not 02, 03 or 04",
        }),
    }
}
