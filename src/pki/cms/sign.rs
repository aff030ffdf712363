//! Making SignedData with an SM2 [`Signer`] (RFC 5652 §5.4, GM/T 0010).

use core::time::Duration;

use der::DateTime;
use der::asn1::ObjectIdentifier as Oid;
use rustls_pki_types::UnixTime;
use x509_cert::time::Time;

use super::asn1::{CONTEXT_0, INTEGER, OCTET_STRING, SEQUENCE, SET, encode, wrap};
use super::oid::{CONTENT_TYPE, MESSAGE_DIGEST, SIGNING_TIME, SM3};
use super::{CmsError, CmsOids, SignedData};
use crate::pki::Certificate;
use crate::sm2::Signer;

/// Whether the content travels inside the SignedData.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encapsulation {
    /// The content is carried as eContent.
    Attached,
    /// eContent is absent; the verifier is given the content separately.
    Detached,
}

/// Makes SM2 SignedData: one signer, its certificate included, SM3 as the digest.
///
/// The signature is SM2 over SM3(Z ‖ M), with Z from the signer's own [`DistId`](crate::sm2::DistId)
/// (bound in its verifying key); M is the DER SET OF the signed attributes (RFC 5652 §5.4), or
/// the content itself when signed attributes are switched off. Signed attributes are
/// content-type, message-digest (SM3 of the content) and signing-time (UTCTime up to 2049,
/// GeneralizedTime after, RFC 5652 §11.3), in DER SET OF order.
///
/// For `openssl cms -verify` (OpenSSL 3.0): sign with a key bound to
/// [`DistId::EMPTY`](crate::sm2::DistId::EMPTY) (OpenSSL sets no ID for CMS), with
/// [`CmsOids::Pkcs7`] (it does not know the GM/T 0010 content types) and with signed
/// attributes (without them it checks e = SM3(content), leaving Z out). Real OFD systems use
/// the default ID `1234567812345678` and GM/T 0010 OIDs.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, CmsOids, CmsSigner, CmsVerifyOptions, Encapsulation, SignedData, UnixTime};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
///
/// let key = SigningKey::new(SecretKey::from_bytes(&[7; 32])?, DistId::DEFAULT);
/// let certificate = CertificateBuilder::end_entity("C=CN, CN=Signer", 9).self_signed(&key)?;
/// let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000));
///
/// let signed = CmsSigner::new(&key, &certificate, CmsOids::GmT0010)
///     .encapsulation(Encapsulation::Detached)
///     .sign(b"registration form", at)?;
/// let parsed = SignedData::from_der(signed.der())?;
/// let verified = parsed.verify(Some(b"registration form"), &CmsVerifyOptions::new())?;
/// assert_eq!(verified.signer().certificate(), &certificate);
/// assert_eq!(verified.signer().signing_time(), Some(at));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct CmsSigner<'a> {
    signer: &'a dyn Signer,
    certificate: &'a Certificate,
    oids: CmsOids,
    encapsulation: Encapsulation,
    signed_attributes: bool,
    content_type: Option<String>,
    extra_attributes: Vec<(String, Vec<u8>)>,
    include_certificate: bool,
    without_z: bool,
}

impl<'a> CmsSigner<'a> {
    /// A signer for attached content with signed attributes, writing the OIDs `oids`.
    pub fn new(signer: &'a dyn Signer, certificate: &'a Certificate, oids: CmsOids) -> Self {
        Self {
            signer,
            certificate,
            oids,
            encapsulation: Encapsulation::Attached,
            signed_attributes: true,
            content_type: None,
            extra_attributes: Vec::new(),
            include_certificate: true,
            without_z: false,
        }
    }

    /// Signs e = SM3(M) **without Z** (no SM2 ID at all), the way OpenSSL 3.0's PKCS#7 layer
    /// (and so `openssl ts -verify`) checks SM2 signatures. This is not GM/T 0010 SM2; use it
    /// only to hand SignedData to such a verifier, which accepts nothing else.
    pub fn sm2_without_z_for_openssl_pkcs7_interop_only(mut self) -> Self {
        self.without_z = true;
        self
    }

    /// Leaves the signer certificate out of the SignedData (RFC 3161 §2.4.1: a token for a
    /// request without certReq carries no certificates); the verifier must have it.
    pub fn without_certificate(mut self) -> Self {
        self.include_certificate = false;
        self
    }

    /// The eContentType (dotted), also written as the content-type attribute, instead of
    /// `data`: `1.2.840.113549.1.9.16.1.4` (id-ct-TSTInfo) for an RFC 3161 token, for one.
    pub fn content_type(mut self, oid: &str) -> Self {
        self.content_type = Some(oid.to_owned());
        self
    }

    /// One more signed attribute of type `oid` (dotted) with the single DER value `value`
    /// (e.g. RFC 5035 signingCertificateV2). Ignored when signed attributes are switched off.
    pub fn signed_attribute(mut self, oid: &str, value: Vec<u8>) -> Self {
        self.extra_attributes.push((oid.to_owned(), value));
        self
    }

    /// Attached (the default) or detached content.
    pub fn encapsulation(mut self, encapsulation: Encapsulation) -> Self {
        self.encapsulation = encapsulation;
        self
    }

    /// Signs the content itself, with no signed attributes (RFC 5652 §5.4, as some OFD
    /// e-signatures do). No signing time is recorded then.
    pub fn without_signed_attributes(mut self) -> Self {
        self.signed_attributes = false;
        self
    }

    /// Signs `content`; `signing_time` goes into the signing-time attribute.
    ///
    /// Errors: [`CmsError::KeyMismatch`] if the signer's key is not the certificate's,
    /// [`CmsError::Certificate`] if the certificate has no SM2 key, [`CmsError::Signer`] if the
    /// signer fails, [`CmsError::InvalidSigningTime`] beyond year 9999.
    pub fn sign(&self, content: &[u8], signing_time: UnixTime) -> Result<SignedData, CmsError> {
        let key = self
            .certificate
            .sm2_public_key()
            .map_err(CmsError::Certificate)?;
        let verifying_key = self.signer.verifying_key();
        if key != *verifying_key.public_key() {
            return Err(CmsError::KeyMismatch {
                subject: self.certificate.subject().to_owned(),
            });
        }
        let attributes = match self.signed_attributes {
            true => Some(self.attributes(content, signing_time)?),
            false => None,
        };
        let message = attributes.as_deref().unwrap_or(content);
        let e = match self.without_z {
            true => crate::sm3::hash(message),
            false => verifying_key.digest(message),
        };
        let signature = self.signer.sign_digest(&e).map_err(CmsError::Signer)?;
        let signer_info = self.signer_info(attributes.as_deref(), &signature.to_der())?;
        let der = self.content_info(content, &signer_info)?;
        SignedData::from_der(&der)
    }

    /// The signed attributes as the DER SET OF that is signed (tag 0x31).
    fn attributes(&self, content: &[u8], signing_time: UnixTime) -> Result<Vec<u8>, CmsError> {
        let seconds = signing_time.as_secs();
        let time = DateTime::from_unix_duration(Duration::from_secs(seconds))
            .map_err(|_| CmsError::InvalidSigningTime { seconds })?;
        let mut encoded = vec![
            attribute(CONTENT_TYPE, &encode(&self.data_type()?)?)?,
            attribute(
                MESSAGE_DIGEST,
                &wrap(OCTET_STRING, &[crate::sm3::hash(content).as_slice()])?,
            )?,
            attribute(SIGNING_TIME, &encode(&Time::from(time))?)?,
        ];
        for (oid, value) in &self.extra_attributes {
            encoded.push(attribute(object_id(oid)?, value)?);
        }
        // DER SET OF: elements in ascending order of their encodings (X.690 §11.6).
        encoded.sort();
        let parts: Vec<&[u8]> = encoded.iter().map(Vec::as_slice).collect();
        wrap(SET, &parts)
    }

    /// SignerInfo (RFC 5652 §5.3), version 1 with issuerAndSerialNumber.
    fn signer_info(
        &self,
        attributes: Option<&[u8]>,
        signature: &[u8],
    ) -> Result<Vec<u8>, CmsError> {
        let sid = wrap(
            SEQUENCE,
            &[
                self.certificate.issuer_der(),
                &wrap(INTEGER, &[self.certificate.serial()])?,
            ],
        )?;
        let implicit = attributes
            .map(|set| {
                let mut tagged = set.to_vec();
                if let Some(tag) = tagged.first_mut() {
                    *tag = CONTEXT_0;
                }
                tagged
            })
            .unwrap_or_default();
        wrap(
            SEQUENCE,
            &[
                &version_1(),
                &sid,
                &algorithm_identifier(SM3)?,
                &implicit,
                &algorithm_identifier(self.oids.signature_algorithm())?,
                &wrap(OCTET_STRING, &[signature])?,
            ],
        )
    }

    /// The eContentType: `data` of the OID set, or the type given.
    fn data_type(&self) -> Result<Oid, CmsError> {
        match &self.content_type {
            Some(oid) => object_id(oid),
            None => Ok(self.oids.data()),
        }
    }

    /// ContentInfo around SignedData (RFC 5652 §3, §5.1): version 1 for `data`, 3 for other
    /// content types (RFC 5652 §5.1).
    fn content_info(&self, content: &[u8], signer_info: &[u8]) -> Result<Vec<u8>, CmsError> {
        let data = encode(&self.data_type()?)?;
        let version = match self.content_type {
            Some(_) => [INTEGER, 1, 3],
            None => version_1(),
        };
        let encap = match self.encapsulation {
            Encapsulation::Attached => wrap(
                SEQUENCE,
                &[
                    &data,
                    &wrap(CONTEXT_0, &[&wrap(OCTET_STRING, &[content])?])?,
                ],
            )?,
            Encapsulation::Detached => wrap(SEQUENCE, &[&data])?,
        };
        let certificates = match self.include_certificate {
            true => wrap(CONTEXT_0, &[self.certificate.der()])?,
            false => Vec::new(),
        };
        let signed_data = wrap(
            SEQUENCE,
            &[
                &version,
                &wrap(SET, &[&algorithm_identifier(SM3)?])?,
                &encap,
                &certificates,
                &wrap(SET, &[signer_info])?,
            ],
        )?;
        wrap(
            SEQUENCE,
            &[
                &encode(&self.oids.signed_data())?,
                &wrap(CONTEXT_0, &[&signed_data])?,
            ],
        )
    }
}

/// Attribute ::= SEQUENCE { attrType OID, attrValues SET OF ANY } with one value.
fn attribute(oid: Oid, value: &[u8]) -> Result<Vec<u8>, CmsError> {
    wrap(SEQUENCE, &[&encode(&oid)?, &wrap(SET, &[value])?])
}

/// The OID of the dotted `text`.
fn object_id(text: &str) -> Result<Oid, CmsError> {
    Oid::new(text).map_err(|_| CmsError::InvalidObjectIdentifier {
        oid: text.to_owned(),
    })
}

/// AlgorithmIdentifier with absent parameters.
fn algorithm_identifier(oid: Oid) -> Result<Vec<u8>, CmsError> {
    wrap(SEQUENCE, &[&encode(&oid)?])
}

/// INTEGER 1.
fn version_1() -> [u8; 3] {
    [INTEGER, 1, 1]
}
