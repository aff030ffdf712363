//! SM2 keys in the encodings peers write: SEC1 (RFC 5915), PKCS#8 (RFC 5208 / 5958), SPKI
//! (RFC 5280 §4.1.2.7, RFC 5480), with or without PEM armour.
//!
//! Private keys are accepted with id-ecPublicKey + sm2p256v1 (what OpenSSL, GmSSL and the
//! standards write); where the private key carries its public key, it must match d·G.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::pem::LineEnding;
use der::{Decode, Encode};
use pkcs8::PrivateKeyInfoRef;
use sec1::{EcParameters, EcPrivateKey};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

use super::oid;
use super::{Error, PublicKey, SecretKey};

/// The PEM label OpenSSL 3 writes for SEC1 SM2 keys (`openssl ec`).
pub const OPENSSL_SM2_SEC1_LABEL: &str = "SM2 PRIVATE KEY";

fn key_error(format: &'static str) -> impl Fn(der::Error) -> Error {
    move |err| Error::KeyEncoding {
        format,
        reason: err.to_string(),
    }
}

/// Checks that an algorithm identifier names an SM2 key: id-ecPublicKey with the sm2p256v1
/// curve (or the curve OID alone, seen in some GM certificates).
fn check_sm2_algorithm(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<(), Error> {
    let curve = match algorithm.parameters {
        Some(params) => {
            Some(
                params
                    .decode_as::<ObjectIdentifier>()
                    .map_err(|_| Error::NotSm2Key {
                        found: format!("{} with non-OID parameters", algorithm.oid),
                    })?,
            )
        }
        None => None,
    };
    match (algorithm.oid, curve) {
        (oid::EC_PUBLIC_KEY, Some(oid::SM2_CURVE)) | (oid::SM2_CURVE, None) => Ok(()),
        (oid::EC_PUBLIC_KEY, Some(other)) => Err(Error::NotSm2Key {
            found: format!("curve {other}"),
        }),
        (other, _) => Err(Error::NotSm2Key {
            found: format!("algorithm {other}"),
        }),
    }
}

fn sm2_algorithm() -> AlgorithmIdentifierRef<'static> {
    AlgorithmIdentifierRef {
        oid: oid::EC_PUBLIC_KEY,
        parameters: Some(AnyRef::from(&SM2_CURVE_PARAMETER)),
    }
}

/// The OID sm2p256v1, as the parameter of id-ecPublicKey.
static SM2_CURVE_PARAMETER: ObjectIdentifier = oid::SM2_CURVE;

impl SecretKey {
    /// Reads an RFC 5915 `ECPrivateKey` (SEC1) in DER. Curve parameters, if present, must name
    /// sm2p256v1; a public key, if present, must be d·G.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, Error> {
        let parsed = EcPrivateKey::from_der(der).map_err(key_error("SEC1"))?;
        Self::from_ec_private_key(&parsed, "SEC1")
    }

    fn from_ec_private_key(key: &EcPrivateKey<'_>, format: &'static str) -> Result<Self, Error> {
        if let Some(EcParameters::NamedCurve(curve)) = key.parameters
            && curve != oid::SM2_CURVE
        {
            return Err(Error::NotSm2Key {
                found: format!("curve {curve}"),
            });
        }
        let secret = Self::from_bytes(key.private_key).map_err(|err| match err {
            Error::PrivateKeyLength { len } => Error::KeyEncoding {
                format,
                reason: format!("the private key octet string is {len} bytes, not 32"),
            },
            other => other,
        })?;
        if let Some(public) = key.public_key
            && PublicKey::from_sec1_bytes(public)? != secret.public_key()
        {
            return Err(Error::KeyEncoding {
                format,
                reason: "the embedded public key is not d·G".to_owned(),
            });
        }
        Ok(secret)
    }

    /// Writes the key as SEC1 `ECPrivateKey` DER with the curve and the public key, as
    /// `openssl ec -outform DER` does.
    pub fn to_sec1_der(&self) -> Zeroizing<Vec<u8>> {
        let scalar = self.to_bytes();
        let public = self.public_key().to_uncompressed();
        let key = EcPrivateKey {
            private_key: scalar.as_ref(),
            parameters: Some(EcParameters::NamedCurve(oid::SM2_CURVE)),
            public_key: Some(&public),
        };
        // Invariant: a 32-byte scalar, an OID and a 65-byte point always encode.
        Zeroizing::new(key.to_der().unwrap_or_default())
    }

    /// Reads an unencrypted PKCS#8 `PrivateKeyInfo` in DER.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let info = PrivateKeyInfoRef::from_der(der).map_err(key_error("PKCS#8"))?;
        check_sm2_algorithm(&info.algorithm)?;
        let inner =
            EcPrivateKey::from_der(info.private_key.as_bytes()).map_err(key_error("PKCS#8"))?;
        Self::from_ec_private_key(&inner, "PKCS#8")
    }

    /// Writes the key as PKCS#8 `PrivateKeyInfo` DER, byte for byte what
    /// `openssl pkcs8 -topk8 -nocrypt -outform DER` writes for an SM2 key (the inner
    /// `ECPrivateKey` carries the public key but not the curve, which the outer algorithm
    /// names).
    pub fn to_pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        let scalar = self.to_bytes();
        let public = self.public_key().to_uncompressed();
        let inner = EcPrivateKey {
            private_key: scalar.as_ref(),
            parameters: None,
            public_key: Some(&public),
        };
        let encoded = inner.to_der().map(Zeroizing::new).and_then(|inner| {
            let info = PrivateKeyInfoRef {
                algorithm: sm2_algorithm(),
                private_key: OctetStringRef::new(&inner)?,
                public_key: None,
            };
            info.to_der()
        });
        // Invariant: fixed-size fields always encode.
        Zeroizing::new(encoded.unwrap_or_default())
    }

    /// Writes the key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
        pem_armour("PRIVATE KEY", &self.to_pkcs8_der())
    }

    /// Writes the key as SEC1 PEM under `label`: `EC PRIVATE KEY` (RFC 5915) or
    /// [`OPENSSL_SM2_SEC1_LABEL`] (what OpenSSL 3 writes).
    pub fn to_sec1_pem(&self, label: &str) -> Zeroizing<String> {
        pem_armour(label, &self.to_sec1_der())
    }

    /// Reads an unencrypted private key in PEM: `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` or
    /// `SM2 PRIVATE KEY` (SEC1). An `ENCRYPTED PRIVATE KEY` needs
    /// [`SecretKey::from_pkcs8_encrypted_pem`].
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let (label, der) = pem_decode(pem)?;
        match label.as_str() {
            "PRIVATE KEY" => Self::from_pkcs8_der(&der),
            "EC PRIVATE KEY" | OPENSSL_SM2_SEC1_LABEL => Self::from_sec1_der(&der),
            _ => Err(Error::UnexpectedPemLabel {
                label,
                expected: "an unencrypted private key",
            }),
        }
    }

    /// Reads an unencrypted private key in DER, PKCS#8 or SEC1, whichever it is.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        match Self::from_pkcs8_der(der) {
            Ok(key) => Ok(key),
            Err(pkcs8_error @ (Error::KeyEncoding { .. } | Error::NotSm2Key { .. })) => {
                Self::from_sec1_der(der).map_err(|_| pkcs8_error)
            }
            Err(other) => Err(other),
        }
    }
}

impl PublicKey {
    /// Reads a `SubjectPublicKeyInfo` in DER (uncompressed or compressed point).
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(key_error("SPKI"))?;
        Self::from_spki(&spki)
    }

    pub(crate) fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self, Error> {
        check_sm2_algorithm(&spki.algorithm)?;
        let point = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| Error::KeyEncoding {
                format: "SPKI",
                reason: "the public key BIT STRING has unused bits".to_owned(),
            })?;
        Self::from_sec1_bytes(point)
    }

    /// Writes the key as `SubjectPublicKeyInfo` DER with the uncompressed point, as
    /// `openssl pkey -pubout -outform DER` does.
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.spki_der_with_point(&self.to_uncompressed())
    }

    /// Writes the key as `SubjectPublicKeyInfo` DER with the compressed point.
    pub fn to_spki_der_compressed(&self) -> Vec<u8> {
        self.spki_der_with_point(&self.to_compressed())
    }

    fn spki_der_with_point(&self, point: &[u8]) -> Vec<u8> {
        let encoded = BitStringRef::from_bytes(point).and_then(|key| {
            SubjectPublicKeyInfoRef {
                algorithm: sm2_algorithm(),
                subject_public_key: key,
            }
            .to_der()
        });
        // Invariant: fixed-size fields always encode.
        encoded.unwrap_or_default()
    }

    /// Writes the key as PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn to_pem(&self) -> String {
        pem_armour("PUBLIC KEY", &self.to_spki_der()).to_string()
    }

    /// Reads a `PUBLIC KEY` PEM block.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let (label, der) = pem_decode(pem)?;
        if label != "PUBLIC KEY" {
            return Err(Error::UnexpectedPemLabel {
                label,
                expected: "a public key",
            });
        }
        Self::from_spki_der(&der)
    }
}

/// Decodes one PEM block into its label and DER, wiping the DER on drop (it may be a key).
pub(crate) fn pem_decode(pem: &str) -> Result<(String, Zeroizing<Vec<u8>>), Error> {
    let (label, der) =
        der::pem::decode_vec(pem.trim().as_bytes()).map_err(|err| Error::KeyEncoding {
            format: "PEM",
            reason: err.to_string(),
        })?;
    Ok((label.to_owned(), Zeroizing::new(der)))
}

pub(crate) fn pem_armour(label: &str, der: &[u8]) -> Zeroizing<String> {
    // Invariant: PEM encoding of in-memory bytes with a valid label cannot fail.
    Zeroizing::new(der::pem::encode_string(label, LineEnding::LF, der).unwrap_or_default())
}
