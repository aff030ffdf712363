//! SM2 private keys.

use rand_core::TryCryptoRng;
use sm2::elliptic_curve::Group;
use sm2::elliptic_curve::PrimeField;
use sm2::elliptic_curve::subtle::CtOption;
use sm2::{ProjectivePoint, Scalar};
use zeroize::{Zeroize, Zeroizing};

use super::arith;
use super::curve::{self, FIELD_LEN};
use super::{Error, PublicKey};

/// How many candidate scalars [`SecretKey::generate`] draws before it gives up on the RNG. A
/// working RNG needs more than one with probability about 2⁻³²; 64 failures mean it is broken.
const MAX_GENERATION_TRIES: usize = 64;

/// An SM2 private key: a scalar d in [1, n − 2] and its public point d·G.
///
/// The scalar is wiped when the key is dropped; `Debug` shows only the public key. Export is
/// explicit: [`SecretKey::to_bytes`], [`SecretKey::to_pkcs8_der`] and the other `to_*` methods.
///
/// ```
/// use smtrust::sm2::SecretKey;
///
/// let key = SecretKey::generate(&mut getrandom::SysRng)?;
/// let again = SecretKey::from_bytes(key.to_bytes().as_ref())?;
/// assert_eq!(again.public_key(), key.public_key());
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
pub struct SecretKey {
    scalar: Scalar,
    public_key: PublicKey,
}

impl SecretKey {
    /// Draws a fresh key from `rng` (GB/T 32918.1 §6.1: d uniform in [1, n − 2]).
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Error> {
        let mut candidate = Zeroizing::new([0u8; FIELD_LEN]);
        for _ in 0..MAX_GENERATION_TRIES {
            rng.try_fill_bytes(candidate.as_mut())
                .map_err(|_| Error::Rng)?;
            if let Some(scalar) = Option::<Scalar>::from(valid_private_scalar(&candidate)) {
                return Ok(Self::from_scalar(scalar));
            }
        }
        Err(Error::Rng)
    }

    /// The key whose scalar is the 32-byte big-endian `bytes`; it must lie in [1, n − 2].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; FIELD_LEN] = bytes
            .try_into()
            .map_err(|_| Error::PrivateKeyLength { len: bytes.len() })?;
        Option::<Scalar>::from(valid_private_scalar(bytes))
            .map(Self::from_scalar)
            .ok_or(Error::PrivateKeyOutOfRange)
    }

    /// The scalar d as 32 big-endian bytes, wiped when the returned value is dropped.
    pub fn to_bytes(&self) -> Zeroizing<[u8; FIELD_LEN]> {
        Zeroizing::new(self.scalar.to_repr().into())
    }

    /// The public key d·G.
    pub fn public_key(&self) -> PublicKey {
        self.public_key
    }

    pub(crate) fn scalar(&self) -> &Scalar {
        &self.scalar
    }

    fn from_scalar(scalar: Scalar) -> Self {
        let (xy, _) = arith::mul_generator(&scalar);
        // Invariant: 1 ≤ d ≤ n − 2, so d·G is a point on the curve other than infinity; the
        // `sm2` crate's own multiplication stands in should the conversion ever refuse it.
        let point = arith::to_sm2(&xy)
            .unwrap_or_else(|| ProjectivePoint::mul_by_generator(&scalar).to_affine());
        Self {
            scalar,
            public_key: PublicKey::from_affine(point),
        }
    }
}

fn valid_private_scalar(bytes: &[u8; FIELD_LEN]) -> CtOption<Scalar> {
    curve::scalar_from_bytes(bytes)
        .and_then(|d| CtOption::new(d, curve::is_valid_private_scalar(&d)))
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.scalar.zeroize();
    }
}

impl core::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SecretKey")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}
