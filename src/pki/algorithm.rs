//! SM2-with-SM3 as a rustls-webpki [`SignatureVerificationAlgorithm`].

use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use super::{Certificate, Error};
use crate::sm2::{DistId, PublicKey, Signature, VerifyingKey};

/// `id-ecPublicKey` with the `sm2p256v1` named curve: the AlgorithmIdentifier content of an
/// SM2 SubjectPublicKeyInfo.
const SM2_PUBLIC_KEY: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, // 1.2.840.10045.2.1
    0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d, // 1.2.156.10197.1.301
]);

/// SM2-with-SM3 (1.2.156.10197.1.501) without parameters.
const SM2_WITH_SM3_ABSENT: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75]);

/// SM2-with-SM3 (1.2.156.10197.1.501) with NULL parameters.
const SM2_WITH_SM3_NULL: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00,
]);

/// How the parameters of the SM2-with-SM3 signatureAlgorithm are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureParameters {
    /// No parameters (what OpenSSL and the interop hierarchy write).
    Absent,
    /// An ASN.1 NULL (what most real GM CAs write, SEAL-SPEC D1).
    Null,
}

/// SM2-with-SM3 signature verification for rustls-webpki, with one fixed SM2 ID and one
/// parameters encoding.
///
/// webpki matches an algorithm by two DER values: the issuer key's SubjectPublicKeyInfo
/// algorithm (here `id-ecPublicKey` with the named curve `sm2p256v1`, 1.2.156.10197.1.301) and
/// the certificate's or CRL's signatureAlgorithm (SM2-with-SM3, 1.2.156.10197.1.501). Real GM
/// certificates write that signatureAlgorithm both with absent and with NULL parameters
/// (SEAL-SPEC D1), so each ID has one value per encoding.
///
/// The SM2 ID is part of every SM2 verification (Z = SM3(ENTL ‖ ID ‖ curve ‖ key)).
/// Certificate and CRL signatures use `1234567812345678` (GM/T 0015); OpenSSL 3 signs with the
/// empty ID when no `distid` is given. The four statics ([`SM2_WITH_SM3`],
/// [`SM2_WITH_SM3_NULL_PARAMS`], [`SM2_WITH_SM3_EMPTY_ID`], [`SM2_WITH_SM3_EMPTY_ID_NULL_PARAMS`])
/// cover these two IDs. **Any other ID** needs no static and leaks nothing:
/// [`Sm2WithSm3::new`] makes a value that webpki borrows for one call, since its algorithm lists
/// are `&[&dyn SignatureVerificationAlgorithm]` with the lifetime of the call, not `'static`.
/// [`verify_path`](super::verify_path) does exactly that with the ID of its
/// [`VerifyOptions`](super::VerifyOptions).
///
/// The signature value of an X.509 certificate or CRL is the DER `SEQUENCE { r, s }`
/// (GB/T 35276); raw r‖s is not accepted here. Each call parses the issuer's point and computes
/// Z for it (one SM3 over 146 + ID bytes) before the verification proper.
///
/// ```
/// use smtrust::pki::{SM2_WITH_SM3, Sm2WithSm3, SignatureParameters};
/// use smtrust::sm2::DistId;
///
/// // The statics cover the default and the empty ID; any other ID is a value of its own.
/// let custom = Sm2WithSm3::new(DistId::new(b"ALICE123@YAHOO.COM".to_vec())?, SignatureParameters::Absent);
/// assert_eq!(custom.id().as_bytes(), b"ALICE123@YAHOO.COM");
/// assert_eq!(SM2_WITH_SM3.id(), &DistId::DEFAULT);
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Sm2WithSm3 {
    id: DistId,
    parameters: SignatureParameters,
}

/// Default ID `1234567812345678`, absent parameters.
pub static SM2_WITH_SM3: Sm2WithSm3 = Sm2WithSm3::new(DistId::DEFAULT, SignatureParameters::Absent);
/// Default ID `1234567812345678`, NULL parameters.
pub static SM2_WITH_SM3_NULL_PARAMS: Sm2WithSm3 =
    Sm2WithSm3::new(DistId::DEFAULT, SignatureParameters::Null);
/// Empty ID (OpenSSL 3 without `distid`), absent parameters.
pub static SM2_WITH_SM3_EMPTY_ID: Sm2WithSm3 =
    Sm2WithSm3::new(DistId::EMPTY, SignatureParameters::Absent);
/// Empty ID (OpenSSL 3 without `distid`), NULL parameters.
pub static SM2_WITH_SM3_EMPTY_ID_NULL_PARAMS: Sm2WithSm3 =
    Sm2WithSm3::new(DistId::EMPTY, SignatureParameters::Null);

impl Sm2WithSm3 {
    /// SM2-with-SM3 verification with signer ID `id`, matching signatureAlgorithm values
    /// encoded as `parameters` says.
    pub const fn new(id: DistId, parameters: SignatureParameters) -> Self {
        Self { id, parameters }
    }

    /// The SM2 ID every verification uses.
    pub fn id(&self) -> &DistId {
        &self.id
    }

    /// The parameters encoding this value matches.
    pub fn parameters(&self) -> SignatureParameters {
        self.parameters
    }
}

impl SignatureVerificationAlgorithm for Sm2WithSm3 {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key = PublicKey::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature = Signature::from_der(signature).map_err(|_| InvalidSignature)?;
        VerifyingKey::new(key, self.id.clone())
            .verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        SM2_PUBLIC_KEY
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match self.parameters {
            SignatureParameters::Absent => SM2_WITH_SM3_ABSENT,
            SignatureParameters::Null => SM2_WITH_SM3_NULL,
        }
    }
}

/// The SM2 algorithms for `id` (both parameter encodings); combine with
/// [`webpki::ALL_VERIFICATION_ALGS`] through [`with_ring`].
pub(crate) fn sm2_pair(id: &DistId) -> [Sm2WithSm3; 2] {
    [
        Sm2WithSm3::new(id.clone(), SignatureParameters::Absent),
        Sm2WithSm3::new(id.clone(), SignatureParameters::Null),
    ]
}

/// `sm2` followed by *ring*'s RSA, ECDSA and Ed25519 algorithms.
pub(crate) fn with_ring(sm2: &[Sm2WithSm3; 2]) -> Vec<&dyn SignatureVerificationAlgorithm> {
    let mut algorithms: Vec<&dyn SignatureVerificationAlgorithm> = Vec::new();
    for algorithm in sm2 {
        algorithms.push(algorithm);
    }
    algorithms.extend_from_slice(webpki::ALL_VERIFICATION_ALGS);
    algorithms
}

/// Checks a signature made by `issuer`'s key over `tbs`, with the first of `algorithms` that
/// matches both the signatureAlgorithm content `signature_alg` and the issuer's key type.
pub(crate) fn check_signed(
    algorithms: &[&dyn SignatureVerificationAlgorithm],
    signature_alg: &[u8],
    issuer: &Certificate,
    tbs: &[u8],
    signature: &[u8],
) -> Result<(), SignatureCheck> {
    let (key_alg, key) = issuer.spki_parts();
    let algorithm = algorithms
        .iter()
        .find(|alg| {
            alg.signature_alg_id().as_ref() == signature_alg
                && alg.public_key_alg_id().as_ref() == key_alg.as_slice()
        })
        .ok_or_else(|| {
            SignatureCheck::Unsupported(Error::UnsupportedSignatureAlgorithm {
                algorithm: hex::encode(signature_alg),
                public_key_algorithm: hex::encode(&key_alg),
            })
        })?;
    algorithm
        .verify_signature(key, tbs, signature)
        .map_err(|_| SignatureCheck::Invalid)
}

/// Why [`check_signed`] failed.
pub(crate) enum SignatureCheck {
    /// No algorithm matches the signature and key types.
    Unsupported(Error),
    /// The signature does not verify.
    Invalid,
}
