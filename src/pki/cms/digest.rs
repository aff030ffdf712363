//! Digest algorithms, and the RSA and ECDSA signers (checked through *ring*) that SignedData
//! from outside the GM world carries: RFC 3161 time-stamp tokens from international TSAs, for
//! one. SM2 with SM3 stays the default; the others are accepted only when
//! [`CmsVerifyOptions::allow_rsa_and_ecdsa`](super::CmsVerifyOptions::allow_rsa_and_ecdsa) says so.

use der::asn1::ObjectIdentifier as Oid;
use sha2::Digest as _;

use super::CmsError;
use super::oid::SM3;
use crate::pki::Certificate;
use crate::pki::algorithm::{SignatureCheck, check_signed, sm2_pair, with_ring};
use crate::sm2::DistId;

/// A digest algorithm of SignedData signers and RFC 3161 message imprints.
///
/// SHA-1 and MD5 are deliberately absent: a signer or an imprint that uses them is reported as
/// unsupported.
///
/// ```
/// use smtrust::pki::DigestAlgorithm;
///
/// assert_eq!(DigestAlgorithm::from_oid("1.2.156.10197.1.401"), Some(DigestAlgorithm::Sm3));
/// assert_eq!(DigestAlgorithm::Sha256.oid(), "2.16.840.1.101.3.4.2.1");
/// assert_eq!(DigestAlgorithm::Sm3.digest(b"abc").len(), 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SM3 (GB/T 32905), 1.2.156.10197.1.401.
    Sm3,
    /// SHA-256 (FIPS 180-4), 2.16.840.1.101.3.4.2.1.
    Sha256,
    /// SHA-384, 2.16.840.1.101.3.4.2.2.
    Sha384,
    /// SHA-512, 2.16.840.1.101.3.4.2.3.
    Sha512,
}

const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

impl DigestAlgorithm {
    /// The algorithm with the dotted OID `oid`, if it is one of these.
    pub fn from_oid(oid: &str) -> Option<Self> {
        Oid::new(oid).ok().and_then(Self::from_object_id)
    }

    /// The dotted OID.
    pub fn oid(self) -> &'static str {
        match self {
            Self::Sm3 => "1.2.156.10197.1.401",
            Self::Sha256 => "2.16.840.1.101.3.4.2.1",
            Self::Sha384 => "2.16.840.1.101.3.4.2.2",
            Self::Sha512 => "2.16.840.1.101.3.4.2.3",
        }
    }

    /// The name people use: `SM3`, `SHA-256` …
    pub fn name(self) -> &'static str {
        match self {
            Self::Sm3 => "SM3",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sm3 | Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sm3 => crate::sm3::hash(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub(crate) fn from_object_id(oid: Oid) -> Option<Self> {
        match oid {
            SM3 => Some(Self::Sm3),
            SHA256 => Some(Self::Sha256),
            SHA384 => Some(Self::Sha384),
            SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    pub(crate) fn object_id(self) -> Oid {
        match self {
            Self::Sm3 => SM3,
            Self::Sha256 => SHA256,
            Self::Sha384 => SHA384,
            Self::Sha512 => SHA512,
        }
    }
}

const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");

/// The X.509 signatureAlgorithm (as webpki compares it: the DER content of the
/// AlgorithmIdentifier) that a SignerInfo's signatureAlgorithm and digestAlgorithm amount to,
/// for RSA PKCS#1 v1.5 and ECDSA. CMS writes RSA as `rsaEncryption` with the hash in
/// digestAlgorithm (RFC 3370 §3.2) or as `shaNNNWithRSAEncryption`; ECDSA as
/// `ecdsa-with-SHAnnn` (RFC 5753 §7.1.3).
pub(super) fn ring_algorithm(signature: Oid, digest: DigestAlgorithm) -> Option<Vec<u8>> {
    let rsa = |oid: Oid| [encoded(oid), vec![0x05, 0x00]].concat();
    let algorithm = match (signature, digest) {
        (RSA_ENCRYPTION, DigestAlgorithm::Sha256) | (SHA256_WITH_RSA, _) => rsa(SHA256_WITH_RSA),
        (RSA_ENCRYPTION, DigestAlgorithm::Sha384) | (SHA384_WITH_RSA, _) => rsa(SHA384_WITH_RSA),
        (RSA_ENCRYPTION, DigestAlgorithm::Sha512) | (SHA512_WITH_RSA, _) => rsa(SHA512_WITH_RSA),
        (EC_PUBLIC_KEY, DigestAlgorithm::Sha256) | (ECDSA_WITH_SHA256, _) => {
            encoded(ECDSA_WITH_SHA256)
        }
        (EC_PUBLIC_KEY, DigestAlgorithm::Sha384) | (ECDSA_WITH_SHA384, _) => {
            encoded(ECDSA_WITH_SHA384)
        }
        (EC_PUBLIC_KEY, DigestAlgorithm::Sha512) | (ECDSA_WITH_SHA512, _) => {
            encoded(ECDSA_WITH_SHA512)
        }
        _ => return None,
    };
    Some(algorithm)
}

/// Checks an RSA or ECDSA signature of `certificate`'s key over `message` with the webpki
/// algorithm `algorithm` (from [`ring_algorithm`]).
pub(super) fn verify_ring(
    signer: usize,
    signature_oid: Oid,
    algorithm: &[u8],
    certificate: &Certificate,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CmsError> {
    // The SM2 entries of the list never match an RSA or ECDSA algorithm identifier.
    let sm2 = sm2_pair(&DistId::DEFAULT);
    check_signed(&with_ring(&sm2), algorithm, certificate, message, signature).map_err(|failure| {
        match failure {
            SignatureCheck::Unsupported(_) => CmsError::UnsupportedSignatureAlgorithm {
                signer,
                oid: signature_oid.to_string(),
            },
            SignatureCheck::Invalid => CmsError::BadRsaOrEcdsaSignature {
                signer,
                subject: certificate.subject().to_owned(),
                algorithm: signature_oid.to_string(),
            },
        }
    })
}

/// The DER TLV of `oid` (an OID always encodes).
fn encoded(oid: Oid) -> Vec<u8> {
    der::Encode::to_der(&oid).unwrap_or_default()
}
