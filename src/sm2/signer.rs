//! Pluggable key custody: whatever holds an SM2 private key — this process, a cipher machine
//! (GM/T 0018 SDF) or a USB key (GM/T 0016 SKF) — signs through one trait.

use super::{Error, Signature, SigningKey, VerifyingKey};

/// Something that makes SM2 signatures with a key it may never show.
///
/// Higher layers (CMS, seals, verification records, checkpoints) take `&dyn Signer`, so a
/// hardware module can be plugged in without changing them. The signer computes nothing but
/// steps A3–A7 of GB/T 32918.2: the caller hashes Z ‖ M with [`VerifyingKey::digest`].
///
/// ```
/// use smtrust::sm2::{DistId, SecretKey, Signer, SigningKey};
///
/// fn stamp(signer: &dyn Signer, document: &[u8]) -> Result<Vec<u8>, smtrust::sm2::Error> {
///     let e = signer.verifying_key().digest(document);
///     Ok(signer.sign_digest(&e)?.to_der())
/// }
///
/// let key = SigningKey::new(SecretKey::generate(&mut getrandom::SysRng)?, DistId::DEFAULT);
/// let signature = stamp(&key, b"document")?;
/// # let _ = signature;
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
pub trait Signer {
    /// The public half, bound to the signer's distinguishing ID.
    fn verifying_key(&self) -> &VerifyingKey;

    /// Signs e = SM3(Z ‖ M), which the caller computed with this signer's verifying key.
    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature, Error>;
}

/// The in-process key signs with RFC 6979 nonces, so it needs no random number generator.
impl Signer for SigningKey {
    fn verifying_key(&self) -> &VerifyingKey {
        SigningKey::verifying_key(self)
    }

    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature, Error> {
        self.sign_digest_deterministic(e)
    }
}
