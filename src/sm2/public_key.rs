//! SM2 public keys: points on the curve, in every encoding peers use.

use sm2::AffinePoint;
use sm2::elliptic_curve::sec1::ToSec1Point;

use super::curve::{self, CURVE_PARAMS_FOR_Z};
use super::{DistId, Error};
use crate::sm3;

/// An SM2 public key: a point on the curve other than the point at infinity.
///
/// Built only by decoding and checking an encoding, or from a [`SecretKey`](super::SecretKey),
/// so a `PublicKey` is always on the curve.
///
/// ```
/// use smtrust::sm2::PublicKey;
///
/// let der = std::fs::read("test-vectors/interop/keys/key1.spki.der")?;
/// let key = PublicKey::from_spki_der(&der)?;
/// let compressed = key.to_compressed();
/// assert_eq!(PublicKey::from_sec1_bytes(&compressed)?, key);
/// assert_eq!(key.to_spki_der(), der);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(AffinePoint);

impl PublicKey {
    /// Decodes a SEC1 point: uncompressed `04‖x‖y` (65 bytes) or compressed `02/03‖x`
    /// (33 bytes). The point must be on the curve and not the identity.
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self, Error> {
        curve::decode_point(bytes).map(Self)
    }

    /// The uncompressed SEC1 encoding `04‖x‖y`.
    pub fn to_uncompressed(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out.copy_from_slice(self.0.to_sec1_point(false).as_bytes());
        out
    }

    /// The compressed SEC1 encoding `02/03‖x`.
    pub fn to_compressed(&self) -> [u8; 33] {
        let mut out = [0u8; 33];
        out.copy_from_slice(self.0.to_sec1_point(true).as_bytes());
        out
    }

    /// Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), the signer's identity hash of
    /// GB/T 32918.2 §5.5, for this key and `id`.
    pub fn z(&self, id: &DistId) -> sm3::Digest {
        let mut hasher = sm3::Hasher::new();
        hasher.update(&id.entl());
        hasher.update(id.as_bytes());
        for param in &CURVE_PARAMS_FOR_Z {
            hasher.update(param);
        }
        let point = self.to_uncompressed();
        hasher.update(&point[1..]);
        hasher.finalize()
    }

    pub(crate) fn from_affine(point: AffinePoint) -> Self {
        Self(point)
    }

    pub(crate) fn as_affine(&self) -> &AffinePoint {
        &self.0
    }
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PublicKey({})", hex::encode(self.to_compressed()))
    }
}
