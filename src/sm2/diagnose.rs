//! Says what an unknown SM2 blob most likely is: which key format, which signature encoding,
//! which ciphertext layout, and which distinguishing ID makes a signature verify.
//!
//! Interoperability failures between SM2 implementations are nearly always one of these
//! mismatches (DER vs raw signatures, C1C3C2 vs C1C2C3, the default ID vs OpenSSL 3's empty
//! one); this turns the guessing into a list of facts.

use super::encryption::{Ciphertext, CiphertextFormat};
use super::key_encoding::pem_decode;
use super::pbes2::is_encrypted_pkcs8;
use super::{DistId, PublicKey, SecretKey, Signature, VerifyingKey};

/// What the caller knows besides the blob. Each hint lets [`diagnose`] check more.
#[derive(Default, Clone, Copy)]
pub struct Hints<'a> {
    /// A public key, to say which ID makes a signature verify.
    pub public_key: Option<&'a PublicKey>,
    /// A private key, to find a ciphertext's layout by decrypting it.
    pub secret_key: Option<&'a SecretKey>,
    /// The signed message, to check a signature.
    pub message: Option<&'a [u8]>,
}

/// How a private key blob is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrivateKeyFormat {
    /// PKCS#8 `PrivateKeyInfo`.
    Pkcs8,
    /// PKCS#8 `EncryptedPrivateKeyInfo` (needs a password).
    EncryptedPkcs8,
    /// SEC1 `ECPrivateKey`.
    Sec1,
}

/// How a public key blob is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKeyFormat {
    /// `SubjectPublicKeyInfo`.
    Spki,
    /// SEC1 uncompressed point `04‖x‖y`.
    Uncompressed,
    /// SEC1 compressed point `02/03‖x`.
    Compressed,
    /// `x‖y` without the `04` prefix.
    BareCoordinates,
}

/// How a signature blob is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// DER `SEQUENCE { INTEGER r, INTEGER s }`.
    Der,
    /// Raw `r‖s`, 64 bytes.
    Raw,
}

/// One thing a blob may be. [`diagnose`] lists every reading that fits, most specific first.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// PEM armour with this label; what is inside is reported as further findings.
    Pem {
        /// The PEM label.
        label: String,
    },
    /// A private key that decodes (or, if encrypted, whose envelope decodes).
    PrivateKey(PrivateKeyFormat),
    /// A public key that decodes to a point on the curve.
    PublicKey(PublicKeyFormat),
    /// A signature with both components in range.
    Signature {
        /// Its encoding.
        encoding: SignatureEncoding,
        /// With a public key and message as hints: the ID that makes it verify, tried among
        /// [`DistId::DEFAULT`] and [`DistId::EMPTY`] — `Some(None)` when neither does, `None`
        /// when it was not checked.
        verifies_with: Option<Option<DistId>>,
    },
    /// A ciphertext whose C1 is on the curve.
    Ciphertext {
        /// The layouts it fits. Without the private key, C1C3C2 and C1C2C3 cannot be told apart.
        possible_formats: Vec<CiphertextFormat>,
        /// With a private key as hint: the layout under which it decrypts, `Some(None)` if it
        /// decrypts under none, `None` when not checked.
        decrypts_as: Option<Option<CiphertextFormat>>,
    },
}

impl core::fmt::Display for Finding {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Pem { label } => write!(f, "PEM block labelled {label:?}"),
            Self::PrivateKey(format) => write!(f, "SM2 private key, {format:?}"),
            Self::PublicKey(format) => write!(f, "SM2 public key, {format:?}"),
            Self::Signature {
                encoding,
                verifies_with,
            } => {
                write!(f, "SM2 signature, {encoding:?} encoding")?;
                match verifies_with {
                    Some(Some(id)) => write!(f, "; verifies with ID {id:?}"),
                    Some(None) => write!(f, "; verifies with neither the default nor the empty ID"),
                    None => Ok(()),
                }
            }
            Self::Ciphertext {
                possible_formats,
                decrypts_as,
            } => {
                let names: Vec<_> = possible_formats.iter().map(|f| f.name()).collect();
                write!(f, "SM2 ciphertext, layout {}", names.join(" or "))?;
                match decrypts_as {
                    Some(Some(format)) => write!(f, "; decrypts as {format}"),
                    Some(None) => write!(f, "; does not decrypt with the given key"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// Lists what `blob` can be read as, most specific first; an empty list means it is none of
/// the SM2 formats this crate knows.
///
/// ```
/// use smtrust::sm2::{diagnose, DistId, Finding, Hints, SecretKey, SigningKey, SignatureEncoding};
///
/// let secret = SecretKey::generate(&mut getrandom::SysRng)?;
/// let public = secret.public_key();
/// let signature = SigningKey::new(secret, DistId::EMPTY).sign_deterministic(b"msg")?;
/// let hints = Hints { public_key: Some(&public), message: Some(b"msg"), ..Hints::default() };
/// let findings = diagnose(&signature.to_der(), &hints);
/// assert_eq!(findings[0], Finding::Signature {
///     encoding: SignatureEncoding::Der,
///     verifies_with: Some(Some(DistId::EMPTY)),
/// });
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
pub fn diagnose(blob: &[u8], hints: &Hints<'_>) -> Vec<Finding> {
    if let Some(findings) = diagnose_pem(blob, hints) {
        return findings;
    }
    let mut findings = Vec::new();
    diagnose_keys(blob, &mut findings);
    diagnose_signature(blob, hints, &mut findings);
    diagnose_ciphertext(blob, hints, &mut findings);
    findings
}

fn diagnose_pem(blob: &[u8], hints: &Hints<'_>) -> Option<Vec<Finding>> {
    let text = core::str::from_utf8(blob).ok()?;
    if !text.trim_start().starts_with("-----BEGIN ") {
        return None;
    }
    let Ok((label, der)) = pem_decode(text) else {
        return Some(Vec::new());
    };
    let mut findings = vec![Finding::Pem { label }];
    findings.extend(diagnose(&der, hints));
    Some(findings)
}

fn diagnose_keys(blob: &[u8], findings: &mut Vec<Finding>) {
    if SecretKey::from_pkcs8_der(blob).is_ok() {
        findings.push(Finding::PrivateKey(PrivateKeyFormat::Pkcs8));
    } else if SecretKey::from_sec1_der(blob).is_ok() {
        findings.push(Finding::PrivateKey(PrivateKeyFormat::Sec1));
    } else if is_encrypted_pkcs8(blob) {
        findings.push(Finding::PrivateKey(PrivateKeyFormat::EncryptedPkcs8));
    }
    if PublicKey::from_spki_der(blob).is_ok() {
        findings.push(Finding::PublicKey(PublicKeyFormat::Spki));
    }
    let point_format = match (blob.first(), blob.len()) {
        (Some(0x04), 65) => Some(PublicKeyFormat::Uncompressed),
        (Some(0x02 | 0x03), 33) => Some(PublicKeyFormat::Compressed),
        _ => None,
    };
    if let Some(format) = point_format
        && PublicKey::from_sec1_bytes(blob).is_ok()
    {
        findings.push(Finding::PublicKey(format));
    }
    if blob.len() == 64 && PublicKey::from_sec1_bytes(&[&[0x04], blob].concat()).is_ok() {
        findings.push(Finding::PublicKey(PublicKeyFormat::BareCoordinates));
    }
}

fn diagnose_signature(blob: &[u8], hints: &Hints<'_>, findings: &mut Vec<Finding>) {
    let (encoding, signature) = if let Ok(signature) = Signature::from_der(blob) {
        (SignatureEncoding::Der, signature)
    } else if let Ok(signature) = Signature::from_raw(blob) {
        (SignatureEncoding::Raw, signature)
    } else {
        return;
    };
    let verifies_with = match (hints.public_key, hints.message) {
        (Some(public_key), Some(message)) => {
            Some([DistId::DEFAULT, DistId::EMPTY].into_iter().find(|id| {
                VerifyingKey::new(*public_key, id.clone())
                    .verify(message, &signature)
                    .is_ok()
            }))
        }
        _ => None,
    };
    findings.push(Finding::Signature {
        encoding,
        verifies_with,
    });
}

fn diagnose_ciphertext(blob: &[u8], hints: &Hints<'_>, findings: &mut Vec<Finding>) {
    let possible_formats: Vec<_> = CiphertextFormat::ALL
        .into_iter()
        .filter(|format| Ciphertext::from_bytes(blob, *format).is_ok())
        .collect();
    if possible_formats.is_empty() {
        return;
    }
    let decrypts_as = hints.secret_key.map(|key| {
        key.decrypt_detecting_format(blob)
            .ok()
            .map(|(_, format)| format)
    });
    findings.push(Finding::Ciphertext {
        possible_formats,
        decrypts_as,
    });
}
