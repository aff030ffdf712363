//! Signing a document with a seal: a seal signature (SES_Signature) of the seal's version, by
//! a signer whose certificate the seal lists.

use rustls_pki_types::UnixTime;

use super::der::{
    CONTEXT_0, OCTET_STRING, SEQUENCE, wrap, write_bit_string, write_integer, write_oid,
};
use super::make::{bad_time, key_for, sign, write_extensions};
use super::time::{write_generalized_time, write_utc_time};
use super::verify::SM2_WITH_SM3_OID;
use super::{CertList, Error, Extension, Seal, SealSignature, SealVersion};
use crate::pki::Certificate;
use crate::sm2::Signer;
use crate::tsp::TimeStampToken;

/// What timestamps a signature value: it returns a TimeStampToken in DER.
type Stamper<'s> = Box<dyn FnOnce(&[u8]) -> Result<Vec<u8>, crate::tsp::Error> + 's>;

/// A seal signature being prepared: the seal, the signing time (an input, never the clock),
/// what is signed and how it is described.
///
/// The signature follows the seal's version: a v4 or v5 seal gives a GB/T 38540 signature
/// (TBS_Sign version = the seal's header version, GeneralizedTime, `[0]` EXPLICIT extDatas),
/// a v1 seal a GM/T 0031-2014 one (the signer certificate inside TBS_Sign, the time as a DER
/// UTCTime inside the timeInfo BIT STRING).
///
/// ```
/// use smtrust::pki::{CertificateBuilder, UnixTime};
/// use smtrust::seal::{CheckName, Picture, PictureFormat, SealBuilder, SignatureBuilder, Status, VerifyOptions};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
/// # use std::time::Duration;
///
/// let t = |s| UnixTime::since_unix_epoch(Duration::from_secs(s));
/// let maker_key = SigningKey::new(SecretKey::from_bytes(&[2; 32])?, DistId::DEFAULT);
/// let maker = CertificateBuilder::end_entity("CN=Seal Maker", 2).self_signed(&maker_key)?;
/// let signer_key = SigningKey::new(SecretKey::from_bytes(&[3; 32])?, DistId::DEFAULT);
/// let signer = CertificateBuilder::end_entity("CN=Signer", 3).self_signed(&signer_key)?;
/// let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\n".to_vec(), 40, 40);
/// let seal = SealBuilder::new("1", "Demo", picture, t(1_800_000_000), t(1_900_000_000))
///     .signer(&signer)
///     .make_v4(&maker_key, &maker)?;
///
/// let document = b"<Signature>...</Signature>";
/// let signed = SignatureBuilder::new(&seal, t(1_850_000_000))
///     .document(document)
///     .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
///     .sign(&signer_key, &signer)?;
/// let report = signed.verify(Some(document), &VerifyOptions::new());
/// assert_eq!(report.status(CheckName::Signature), Some(Status::Pass));
/// assert_eq!(report.status(CheckName::DataHash), Some(Status::Pass));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SignatureBuilder<'a> {
    seal: &'a Seal,
    time: UnixTime,
    data_hash: [u8; 32],
    property_info: String,
    extensions: Vec<Extension>,
}

impl<'a> SignatureBuilder<'a> {
    /// A signature with `seal` at `time`, over an empty document until one is given.
    pub fn new(seal: &'a Seal, time: UnixTime) -> Self {
        Self {
            seal,
            time,
            data_hash: crate::sm3::hash(b""),
            property_info: String::new(),
            extensions: Vec::new(),
        }
    }

    /// Signs `document`: dataHash = SM3(document).
    pub fn document(mut self, document: &[u8]) -> Self {
        self.data_hash = crate::sm3::hash(document);
        self
    }

    /// Signs a document whose SM3 digest the caller computed.
    pub fn document_digest(mut self, digest: [u8; 32]) -> Self {
        self.data_hash = digest;
        self
    }

    /// propertyInfo (ASCII): what was signed; in OFD the path of Signature.xml (D18).
    pub fn property_info(mut self, property_info: &str) -> Self {
        self.property_info = property_info.to_string();
        self
    }

    /// Adds an extension to TBS_Sign.extDatas (v4 and v5 only; a v1 TBS_Sign has none).
    pub fn extension(mut self, extension: Extension) -> Self {
        self.extensions.push(extension);
        self
    }

    /// Signs with `signer`, whose certificate `certificate` must be in the seal's list.
    pub fn sign(
        &self,
        signer: &dyn Signer,
        certificate: &Certificate,
    ) -> Result<SealSignature, Error> {
        self.sign_inner(signer, certificate, None)
    }

    /// Signs as [`SignatureBuilder::sign`] does, then has `stamp` timestamp the signature
    /// value and writes its token into SES_Signature's `timeStamp` (v4 and v5; SEAL-SPEC §2.2,
    /// §8: `[0]` EXPLICIT around a BIT STRING with 0 unused bits holding the token DER).
    ///
    /// `stamp` receives the **signature value**: the content of the `signature` BIT STRING
    /// (the signer's DER `SEQUENCE { r, s }`), which is what
    /// [`SealSignature::verify`] verifies the token over. It returns an RFC 3161
    /// TimeStampToken in DER — from [`LocalTsa::stamp`](crate::tsp::LocalTsa::stamp), or from
    /// an external TSA's [`TimeStampResponse`](crate::tsp::TimeStampResponse).
    ///
    /// Errors: those of [`SignatureBuilder::sign`]; [`Error::InvalidInput`] for a v1 seal (a
    /// GM/T 0031-2014 signature has no `timeStamp` field); [`Error::Timestamp`] when `stamp`
    /// fails or returns bytes that are not a TimeStampToken.
    ///
    /// ```
    /// use smtrust::pki::{CertificateBuilder, DigestAlgorithm, UnixTime};
    /// use smtrust::seal::{CheckName, Picture, PictureFormat, SealBuilder, SignatureBuilder, Status, VerifyOptions};
    /// use smtrust::sm2::{DistId, SecretKey, SigningKey};
    /// use smtrust::tsp::LocalTsa;
    /// # use std::time::Duration;
    ///
    /// let t = |s| UnixTime::since_unix_epoch(Duration::from_secs(s));
    /// let key = |b| SecretKey::from_bytes(&[b; 32]).map(|k| SigningKey::new(k, DistId::DEFAULT));
    /// let (root_key, signer_key, tsa_key) = (key(1)?, key(2)?, key(3)?);
    /// let root = CertificateBuilder::ca("CN=Root", 1).self_signed(&root_key)?;
    /// let signer = CertificateBuilder::end_entity("CN=Signer", 2)
    ///     .issue(signer_key.verifying_key().public_key(), &root, &root_key)?;
    /// let tsa_cert = LocalTsa::certificate_builder("CN=TSA", 3)
    ///     .issue(tsa_key.verifying_key().public_key(), &root, &root_key)?;
    /// let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1")?;
    /// let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\n".to_vec(), 40, 40);
    /// let seal = SealBuilder::new("1", "Demo", picture, t(1_800_000_000), t(1_900_000_000))
    ///     .signer(&signer)
    ///     .make_v4(&signer_key, &signer)?;
    ///
    /// let signed = SignatureBuilder::new(&seal, t(1_850_000_000))
    ///     .document(b"document")
    ///     .sign_timestamped(&signer_key, &signer, |value| {
    ///         tsa.stamp(DigestAlgorithm::Sm3, value, t(1_850_000_060)).map(|token| token.der().to_vec())
    ///     })?;
    /// let report = signed.verify(Some(b"document"), &VerifyOptions::new().trust_anchors(vec![root]));
    /// assert_eq!(report.status(CheckName::Timestamp), Some(Status::Pass));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign_timestamped<F>(
        &self,
        signer: &dyn Signer,
        certificate: &Certificate,
        stamp: F,
    ) -> Result<SealSignature, Error>
    where
        F: FnOnce(&[u8]) -> Result<Vec<u8>, crate::tsp::Error>,
    {
        if self.seal.version == SealVersion::V1 {
            return Err(Error::InvalidInput {
                what: "timeStamp",
                reason: "a GM/T 0031-2014 seal signature has no timeStamp field".into(),
            });
        }
        self.sign_inner(signer, certificate, Some(Box::new(stamp)))
    }

    fn sign_inner(
        &self,
        signer: &dyn Signer,
        certificate: &Certificate,
        stamp: Option<Stamper<'_>>,
    ) -> Result<SealSignature, Error> {
        let key = key_for(signer, certificate, "signer")?;
        self.check_listed(certificate)?;
        let property_info = super::make::ia5(&self.property_info, "propertyInfo")?;
        let cert = wrap(OCTET_STRING, &[certificate.der()]);
        let algorithm = write_oid(SM2_WITH_SM3_OID)?;
        let version = write_integer(self.seal.header_version);
        let data_hash = write_bit_string(&self.data_hash);
        let der = match self.seal.version {
            SealVersion::V4 | SealVersion::V5 => {
                let time = write_generalized_time(self.time).ok_or_else(|| bad_time(self.time))?;
                let mut parts: Vec<Vec<u8>> = vec![
                    version,
                    self.seal.der.clone(),
                    time,
                    data_hash,
                    property_info,
                ];
                if !self.extensions.is_empty() {
                    parts.push(wrap(CONTEXT_0, &[&write_extensions(&self.extensions)?]));
                }
                let tbs = wrap(SEQUENCE, &super::make::refs(&parts));
                let signature = sign(signer, &key, &tbs, "signer")?;
                let mut parts = vec![tbs, cert, algorithm, write_bit_string(&signature)];
                if let Some(stamp) = stamp {
                    let token = stamp(&signature).map_err(|source| Error::Timestamp { source })?;
                    TimeStampToken::from_der(&token)
                        .map_err(|source| Error::Timestamp { source })?;
                    parts.push(wrap(CONTEXT_0, &[&write_bit_string(&token)]));
                }
                wrap(SEQUENCE, &super::make::refs(&parts))
            }
            SealVersion::V1 => {
                if !self.extensions.is_empty() {
                    return Err(Error::InvalidInput {
                        what: "extension",
                        reason: "a GM/T 0031-2014 TBS_Sign has no extDatas".into(),
                    });
                }
                let time = write_utc_time(self.time).ok_or_else(|| bad_time(self.time))?;
                let tbs = wrap(
                    SEQUENCE,
                    &[
                        &version,
                        &self.seal.der,
                        &write_bit_string(&time),
                        &data_hash,
                        &property_info,
                        &cert,
                        &algorithm,
                    ],
                );
                let signature = sign(signer, &key, &tbs, "signer")?;
                wrap(SEQUENCE, &[&tbs, &write_bit_string(&signature)])
            }
        };
        SealSignature::from_der(&der)
    }

    fn check_listed(&self, certificate: &Certificate) -> Result<(), Error> {
        let listed = match &self.seal.cert_list {
            CertList::Certificates(certificates) => {
                certificates.iter().any(|c| c == certificate.der())
            }
            CertList::Digests(digests) => digests
                .iter()
                .any(|d| super::verify::cert_digest(&d.kind, certificate.der()) == d.value),
        };
        if listed {
            Ok(())
        } else {
            Err(Error::SignerNotListed {
                subject: certificate.subject().to_string(),
                es_id: self.seal.es_id.clone(),
            })
        }
    }
}
