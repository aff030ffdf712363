//! SM2 digital signatures (GB/T 32918.2-2016 §6 and §7) with any distinguishing ID.
//!
//! Signing, GB/T 32918.2 §6.1, for message M under ID with key d:
//! - A1: M̄ = Z ‖ M, where Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA);
//! - A2: e = SM3(M̄);
//! - A3: k in [1, n − 1] (here from RFC 6979's HMAC-DRBG, optionally fed with fresh randomness);
//! - A4: (x1, y1) = [k]G;
//! - A5: r = (e + x1) mod n, back to A3 if r = 0 or r + k = n;
//! - A6: s = (1 + d)⁻¹ · (k − r·d) mod n, back to A3 if s = 0;
//! - A7: the signature is (r, s).
//!
//! Verification, §7.1: B1/B2 check r, s in [1, n − 1] (the [`Signature`] type guarantees
//! it); B3/B4 compute e as above; B5 t = (r + s) mod n ≠ 0; B6 (x1, y1) = [s]G + [t]P_A; B7 accept
//! iff (e + x1) mod n = r.

use rand_core::TryCryptoRng;
use sm2::elliptic_curve::PrimeField;
use sm2::{FieldBytes, Scalar};
use zeroize::{Zeroize, Zeroizing};

use super::arith::{self, PublicTable};
use super::curve::{self, FIELD_LEN};
use super::nonce::{NoncePrefix, Nonces};
use super::second_use::BuiltOnSecondUse;
use super::{DistId, Error, PublicKey, SecretKey, Signature};
use crate::sm3;

/// How many nonces one signature may try before giving up. Each retry happens with
/// probability about 2⁻²⁵⁶; this only bounds a loop that should never repeat.
const MAX_NONCE_TRIES: usize = 8;

/// A private key bound to the signer's distinguishing ID, ready to sign.
///
/// Z, (1 + d)⁻¹ and the key's share of the nonce derivation are computed once here, so each
/// signature costs one fixed-base scalar multiplication and 17 SM3 compressions for its nonce.
///
/// ```
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
///
/// let signer = SigningKey::new(SecretKey::generate(&mut getrandom::SysRng)?, DistId::DEFAULT);
/// let signature = signer.sign(&mut getrandom::SysRng, b"registration form")?;
/// signer.verifying_key().verify(b"registration form", &signature)?;
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
pub struct SigningKey {
    secret: SecretKey,
    one_plus_d_inverse: Scalar,
    /// The part of RFC 6979's first HMAC that depends only on d.
    nonce_prefix: NoncePrefix,
    verifying_key: VerifyingKey,
}

impl SigningKey {
    /// Binds `secret` to the signer's ID `id`.
    pub fn new(secret: SecretKey, id: DistId) -> Self {
        // Invariant: SecretKey guarantees d ≠ n − 1, so 1 + d is invertible.
        let one_plus_d_inverse =
            Option::from((*secret.scalar() + Scalar::ONE).invert()).unwrap_or(Scalar::ONE);
        let verifying_key = VerifyingKey::new(secret.public_key(), id);
        let nonce_prefix = NoncePrefix::new(&secret.to_bytes());
        Self {
            secret,
            one_plus_d_inverse,
            nonce_prefix,
            verifying_key,
        }
    }

    /// The matching verifying key (same public key, same ID).
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.verifying_key
    }

    /// The private key.
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret
    }

    /// Signs `msg` (steps A1–A7) with a hedged nonce: RFC 6979's deterministic k with 32 fresh
    /// bytes from `rng` mixed in (RFC 6979 §3.6), so a weak RNG cannot leak the key and a
    /// faulty one cannot repeat a nonce across messages.
    pub fn sign<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        msg: &[u8],
    ) -> Result<Signature, Error> {
        self.sign_digest(rng, &self.verifying_key.digest(msg))
    }

    /// Signs `msg` with the fully deterministic nonce of RFC 6979 (the same message gives the
    /// same signature).
    pub fn sign_deterministic(&self, msg: &[u8]) -> Result<Signature, Error> {
        self.sign_digest_deterministic(&self.verifying_key.digest(msg))
    }

    /// Signs a precomputed e = SM3(Z ‖ M) (steps A3–A7), with a hedged nonce as in
    /// [`SigningKey::sign`]. The caller is responsible for e having been computed with this
    /// key's Z.
    pub fn sign_digest<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        e: &[u8],
    ) -> Result<Signature, Error> {
        let mut extra = Zeroizing::new([0u8; FIELD_LEN]);
        rng.try_fill_bytes(extra.as_mut()).map_err(|_| Error::Rng)?;
        self.sign_digest_with_extra(e, extra.as_ref())
    }

    /// Signs a precomputed e with the deterministic nonce of RFC 6979.
    pub fn sign_digest_deterministic(&self, e: &[u8]) -> Result<Signature, Error> {
        self.sign_digest_with_extra(e, &[])
    }

    fn sign_digest_with_extra(&self, e: &[u8], extra: &[u8]) -> Result<Signature, Error> {
        let e_bytes: &[u8; FIELD_LEN] = e
            .try_into()
            .map_err(|_| Error::DigestLength { len: e.len() })?;
        let e_scalar = curve::reduce_to_scalar(e_bytes);
        let d = self.secret.scalar();
        let d_bytes = self.secret.to_bytes();
        // RFC 6979's h = bits2octets(e) is e mod n.
        let h: [u8; FIELD_LEN] = e_scalar.to_repr().into();
        let mut nonces = Nonces::new(&self.nonce_prefix, &d_bytes, &h, extra);
        for _ in 0..MAX_NONCE_TRIES {
            let k_bytes = nonces.next_k();
            let Some(mut k) = Option::<Scalar>::from(Scalar::from_repr(FieldBytes::from(*k_bytes)))
            else {
                continue;
            };
            let x1 = arith::mul_generator_x(&k);
            let r = e_scalar + curve::reduce_to_scalar(&x1);
            let s = self.one_plus_d_inverse * (k - r * d);
            let retry = r.is_zero() | (r + k).is_zero() | s.is_zero();
            k.zeroize();
            if !bool::from(retry) {
                return Signature::from_components(&r.to_repr().into(), &s.to_repr().into());
            }
        }
        Err(Error::Rng)
    }
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey")
            .field("verifying_key", &self.verifying_key)
            .finish_non_exhaustive()
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.one_plus_d_inverse.zeroize();
    }
}

/// A public key bound to the signer's distinguishing ID, ready to verify.
///
/// From its second verification on, the key keeps a table of its point's multiples (4 KiB),
/// which makes each further verification about twice as fast: keep one `VerifyingKey` per
/// signer (a CA, a seal maker) rather than making a new one per signature.
///
/// ```
/// use smtrust::sm2::{DistId, SecretKey, SigningKey, VerifyingKey};
///
/// let secret = SecretKey::generate(&mut getrandom::SysRng)?;
/// let verifier = VerifyingKey::new(secret.public_key(), DistId::DEFAULT);
/// let signature = SigningKey::new(secret, DistId::DEFAULT).sign_deterministic(b"form")?;
/// assert!(verifier.verify(b"form", &signature).is_ok());
/// // The same signature checked with OpenSSL 3's default (empty) ID fails.
/// let openssl_default = VerifyingKey::new(*verifier.public_key(), DistId::EMPTY);
/// assert!(openssl_default.verify(b"form", &signature).is_err());
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone)]
pub struct VerifyingKey {
    public_key: PublicKey,
    id: DistId,
    z: sm3::Digest,
    /// The public key's precomputed multiples, built on the second verification and kept:
    /// repeated verifications with one key (a CA, a seal maker) run about twice as fast.
    table: BuiltOnSecondUse<PublicTable>,
}

/// Keys are equal when their public key and ID are; the cached table is not part of the value.
impl PartialEq for VerifyingKey {
    fn eq(&self, other: &Self) -> bool {
        self.public_key == other.public_key && self.id == other.id
    }
}

impl Eq for VerifyingKey {}

impl VerifyingKey {
    /// Binds `public_key` to the signer's ID `id`, computing Z once.
    pub fn new(public_key: PublicKey, id: DistId) -> Self {
        let z = public_key.z(&id);
        Self {
            public_key,
            id,
            z,
            table: BuiltOnSecondUse::new(),
        }
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The distinguishing ID this key verifies with.
    pub fn id(&self) -> &DistId {
        &self.id
    }

    /// Z for this key and ID (GB/T 32918.2 §5.5).
    pub fn z(&self) -> &sm3::Digest {
        &self.z
    }

    /// e = SM3(Z ‖ msg), the value actually signed (steps A1–A2 / B3–B4).
    pub fn digest(&self, msg: &[u8]) -> sm3::Digest {
        let mut hasher = sm3::Hasher::new();
        hasher.update(&self.z);
        hasher.update(msg);
        hasher.finalize()
    }

    /// Verifies `signature` over `msg` (steps B1–B7).
    pub fn verify(&self, msg: &[u8], signature: &Signature) -> Result<(), Error> {
        self.verify_digest(&self.digest(msg), signature)
    }

    /// Verifies `signature` over a precomputed e = SM3(Z ‖ M) (steps B5–B7).
    pub fn verify_digest(&self, e: &[u8], signature: &Signature) -> Result<(), Error> {
        let e: &[u8; FIELD_LEN] = e
            .try_into()
            .map_err(|_| Error::DigestLength { len: e.len() })?;
        let (r, s) = signature.scalars().ok_or(Error::BadSignature)?;
        let t = r + s;
        if bool::from(t.is_zero()) {
            return Err(Error::BadSignature);
        }
        // Every input here is public, so the variable-time combination is safe.
        let c = r - curve::reduce_to_scalar(e);
        let point = self.public_key.as_affine();
        let valid = arith::verify_combination_vartime(&s, &t, point, self.prepared_table(), &c);
        if valid {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }

    /// The prepared table from the second verification on: building it costs about one
    /// verification and makes each later one about twice as fast, so a key used once does not
    /// pay for it.
    fn prepared_table(&self) -> Option<&PublicTable> {
        self.table
            .on_use(|| arith::public_table(self.public_key.as_affine()))
    }
}

impl core::fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("public_key", &self.public_key)
            .field("id", &self.id)
            .finish()
    }
}
