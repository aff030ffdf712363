//! Signed records: the institution signs the record's exact DER with SM2 (default ID
//! `1234567812345678`, SM3 digest) and attaches its certificate (GB/T 39786 §8.4 g and h).
//!
//! ```text
//! SignedVerificationRecord ::= SEQUENCE {
//!   record              VerificationRecord,     -- the exact bytes that were signed
//!   signatureAlgorithm  AlgorithmIdentifier,    -- 1.2.156.10197.1.501, no parameters
//!   signature           BIT STRING,             -- DER SEQUENCE { r, s }
//!   certificate         Certificate }           -- the institution's X.509 certificate
//! ```
//!
//! The record carries the SM3 digest of that certificate, so swapping the attached
//! certificate for another one with the same key is detected too.

use der::asn1::BitString;
use der::oid::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use rand_core::CryptoRng;
use spki::AlgorithmIdentifierOwned;
use subtle::ConstantTimeEq;

use super::record::der_error;
use super::{Error, VerificationRecord};
use crate::pki;
use crate::sm2::{DistId, PublicKey, Signature, SigningKey, VerifyingKey};
use crate::sm3;

/// SM2 signature with SM3 (GM/T 0006).
const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");
const STRUCTURE: &str = "SignedVerificationRecord";

/// The largest signed record [`SignedRecord::from_der`] reads: 1 MiB, room for the record
/// (its fields and evidence lists are bounded), an institution certificate of up to
/// [`crate::pki::MAX_CERTIFICATE_LEN`] and the signature, and a cap on what a peer can make
/// us copy.
pub const MAX_SIGNED_RECORD_LEN: usize = 1 << 20;

impl VerificationRecord {
    /// Signs the record as the institution whose certificate is `certificate_der`.
    ///
    /// The signing key must be bound to [`DistId::DEFAULT`] and be the key of the certificate.
    /// The record is stamped with the certificate's SM3 digest, encoded in DER, and the
    /// signature covers exactly those bytes. Randomness for the signature nonce comes from
    /// `rng`.
    pub fn sign<R: CryptoRng>(
        mut self,
        key: &SigningKey,
        certificate_der: &[u8],
        rng: &mut R,
    ) -> Result<SignedRecord, Error> {
        if key.verifying_key().id() != &DistId::DEFAULT {
            return Err(Error::NonDefaultDistId);
        }
        let certificate_key = certificate_public_key(certificate_der)?;
        if certificate_key != *key.verifying_key().public_key() {
            return Err(Error::CertificateKeyMismatch { key: "signing" });
        }
        self.signer_certificate_sm3 = Some(sm3::hash(certificate_der));
        let record_der = self.to_der()?;
        let signature = key
            .sign(rng, &record_der)
            .map_err(|reason| Error::Signing { reason })?;
        let der = encode(&record_der, &signature, certificate_der)?;
        Ok(SignedRecord {
            der,
            record_der,
            signature,
            certificate_der: certificate_der.to_vec(),
        })
    }
}

/// A signed record as stored or received: nothing in it is trusted until
/// [`SignedRecord::verify`] gives a [`VerifiedRecord`].
///
/// ```
/// # use smtrust::realname::*;
/// # fn demo(signed_der: &[u8], institution_key: &smtrust::sm2::PublicKey) -> Result<(), Error> {
/// let signed = SignedRecord::from_der(signed_der)?;
/// let verified = signed.verify(&VerifyOptions::new().with_pinned_key(*institution_key))?;
/// println!("{}", verified.record().biz_serial_no());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRecord {
    der: Vec<u8>,
    record_der: Vec<u8>,
    signature: Signature,
    certificate_der: Vec<u8>,
}

impl SignedRecord {
    /// Reads a signed record. Only the structure is checked here; call
    /// [`SignedRecord::verify`] to check the signature and read the record.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() > MAX_SIGNED_RECORD_LEN {
            return Err(Error::SignedRecordTooLarge {
                len: bytes.len(),
                max: MAX_SIGNED_RECORD_LEN,
            });
        }
        let parts = decode(bytes).map_err(|error| der_error(STRUCTURE, error))?;
        check_algorithm(&parts.algorithm)?;
        let signature_bytes = parts.signature.as_bytes().ok_or(Error::SignatureEncoding {
            reason: crate::sm2::Error::SignatureDer {
                reason: "the BIT STRING has unused bits".to_owned(),
            },
        })?;
        let signature = Signature::from_der(signature_bytes)
            .map_err(|reason| Error::SignatureEncoding { reason })?;
        let Parts {
            record_der,
            certificate_der,
            ..
        } = parts;
        Ok(Self {
            der: bytes.to_vec(),
            record_der: record_der.to_vec(),
            signature,
            certificate_der: certificate_der.to_vec(),
        })
    }

    /// The DER encoding, exactly as made or read.
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The attached institution certificate (DER), not yet checked.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// Checks the signature over the record's original bytes and reads the record.
    ///
    /// Steps: (1) take the signer's public key from the attached certificate, and if
    /// `options` pins a key, require it to be the same; (2) verify the SM2 signature (ID
    /// `1234567812345678`) over the record bytes as received; (3) decode the record and
    /// check its limits; (4) require the record's certificate digest to be the SM3 of the
    /// attached certificate. Certificate-chain validation is not done here; it will be an
    /// option of [`VerifyOptions`] once `smtrust::pki` exists.
    pub fn verify(&self, options: &VerifyOptions) -> Result<VerifiedRecord, Error> {
        let public_key = certificate_public_key(&self.certificate_der)?;
        if let SignerKey::Pinned(pinned) = &options.signer_key
            && *pinned != public_key
        {
            return Err(Error::CertificateKeyMismatch { key: "pinned" });
        }
        VerifyingKey::new(public_key, DistId::DEFAULT)
            .verify(&self.record_der, &self.signature)
            .map_err(|_| Error::BadSignature)?;
        let record = VerificationRecord::from_der(&self.record_der)?;
        let certificate_sm3 = sm3::hash(&self.certificate_der);
        let bound = record
            .signer_certificate_sm3
            .is_some_and(|digest| bool::from(digest.ct_eq(&certificate_sm3)));
        if !bound {
            return Err(Error::CertificateDigestMismatch);
        }
        let path = match &options.chain {
            Some(chain) => Some(self.verify_chain(chain)?),
            None => None,
        };
        Ok(VerifiedRecord {
            record,
            public_key,
            certificate_der: self.certificate_der.clone(),
            path,
        })
    }

    fn verify_chain(&self, chain: &ChainCheck) -> Result<pki::VerifiedPath, Error> {
        let leaf = pki::Certificate::from_der(&self.certificate_der).map_err(|err| {
            Error::Certificate {
                reason: err.to_string(),
            }
        })?;
        pki::verify_path(
            &leaf,
            &chain.intermediates,
            &chain.trust_anchors,
            &chain.options,
        )
        .map_err(Error::CertificateChain)
    }
}

/// Which key a signed record must verify under.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignerKey {
    /// The key in the attached certificate (the certificate itself is not validated).
    #[default]
    AttachedCertificate,
    /// This key, which must also be the key of the attached certificate.
    Pinned(PublicKey),
}

/// How [`SignedRecord::verify`] checks a record: which key the signature must verify under
/// and, when asked, whether the institution certificate chains to a trust anchor
/// ([`VerifyOptions::with_chain`], RFC 5280 path validation through [`crate::pki`]).
///
/// ```
/// use smtrust::realname::{SignerKey, VerifyOptions};
///
/// assert_eq!(VerifyOptions::new().signer_key(), &SignerKey::AttachedCertificate);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct VerifyOptions {
    signer_key: SignerKey,
    chain: Option<ChainCheck>,
}

/// The certificate-chain check of [`VerifyOptions::with_chain`].
#[derive(Debug, Clone)]
struct ChainCheck {
    trust_anchors: Vec<pki::Certificate>,
    intermediates: Vec<pki::Certificate>,
    options: pki::VerifyOptions,
}

impl VerifyOptions {
    /// Verify with the key of the attached certificate.
    pub fn new() -> Self {
        Self::default()
    }

    /// Verify with `key`, which the attached certificate must also carry.
    #[must_use]
    pub fn with_pinned_key(mut self, key: PublicKey) -> Self {
        self.signer_key = SignerKey::Pinned(key);
        self
    }

    /// Also validate the attached institution certificate: it must chain through
    /// `intermediates` to one of `trust_anchors` under `options` (time, SM2 ID, key usage,
    /// CRLs). The verified path is then on the [`VerifiedRecord`].
    #[must_use]
    pub fn with_chain(
        mut self,
        trust_anchors: Vec<pki::Certificate>,
        intermediates: Vec<pki::Certificate>,
        options: pki::VerifyOptions,
    ) -> Self {
        self.chain = Some(ChainCheck {
            trust_anchors,
            intermediates,
            options,
        });
        self
    }

    /// The key the record must verify under.
    pub fn signer_key(&self) -> &SignerKey {
        &self.signer_key
    }
}

/// A record whose signature verified. Only [`SignedRecord::verify`] makes one.
#[derive(Debug, Clone)]
pub struct VerifiedRecord {
    record: VerificationRecord,
    public_key: PublicKey,
    certificate_der: Vec<u8>,
    path: Option<pki::VerifiedPath>,
}

impl VerifiedRecord {
    /// The record.
    pub fn record(&self) -> &VerificationRecord {
        &self.record
    }

    /// The record, taken out.
    pub fn into_record(self) -> VerificationRecord {
        self.record
    }

    /// The key the signature verified under.
    pub fn signer_public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// The institution certificate the record names (DER).
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The validated certificate path, when [`VerifyOptions::with_chain`] asked for one.
    pub fn path(&self) -> Option<&pki::VerifiedPath> {
        self.path.as_ref()
    }
}

/// The SM2 public key of an X.509 certificate.
fn certificate_public_key(certificate_der: &[u8]) -> Result<PublicKey, Error> {
    let certificate =
        x509_cert::Certificate::from_der(certificate_der).map_err(|error| Error::Certificate {
            reason: error.to_string(),
        })?;
    let spki = certificate
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .map_err(|error| Error::Certificate {
            reason: error.to_string(),
        })?;
    PublicKey::from_spki_der(&spki).map_err(|error| Error::Certificate {
        reason: format!("its public key is not an SM2 key: {error}"),
    })
}

/// The four fields of a `SignedVerificationRecord`, the record and the certificate as the
/// exact bytes read.
struct Parts<'a> {
    record_der: &'a [u8],
    algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    certificate_der: &'a [u8],
}

fn decode(bytes: &[u8]) -> Result<Parts<'_>, der::Error> {
    let mut reader = SliceReader::new(bytes)?;
    let parts = reader.sequence(|body| {
        Ok::<_, der::Error>(Parts {
            record_der: body.tlv_bytes()?,
            algorithm: AlgorithmIdentifierOwned::decode(body)?,
            signature: BitString::decode(body)?,
            certificate_der: body.tlv_bytes()?,
        })
    })?;
    reader.finish()?;
    Ok(parts)
}

/// Only SM2 with SM3, with absent parameters (the form this module writes), is accepted.
fn check_algorithm(algorithm: &AlgorithmIdentifierOwned) -> Result<(), Error> {
    if algorithm.oid == SM2_WITH_SM3 && algorithm.parameters.is_none() {
        return Ok(());
    }
    let parameters = if algorithm.parameters.is_some() {
        " with parameters"
    } else {
        ""
    };
    Err(Error::UnsupportedSignatureAlgorithm {
        oid: format!("{}{parameters}", algorithm.oid),
    })
}

fn encode(
    record_der: &[u8],
    signature: &Signature,
    certificate_der: &[u8],
) -> Result<Vec<u8>, Error> {
    let to_error = |error| der_error(STRUCTURE, error);
    let algorithm = AlgorithmIdentifierOwned {
        oid: SM2_WITH_SM3,
        parameters: None,
    }
    .to_der()
    .map_err(to_error)?;
    let signature = BitString::from_bytes(&signature.to_der())
        .and_then(|bits| bits.to_der())
        .map_err(to_error)?;
    let body = [record_der, &algorithm, &signature, certificate_der].concat();
    let header = der::Header::new(
        der::Tag::Sequence,
        der::Length::try_from(body.len()).map_err(to_error)?,
    )
    .to_der()
    .map_err(to_error)?;
    Ok([header, body].concat())
}
