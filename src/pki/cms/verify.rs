//! Verifying SignedData with SM2: the signature, the signed attributes, and optionally the
//! signer certificate's path.

use der::Decode;
use der::asn1::ObjectIdentifier as Oid;
use rustls_pki_types::UnixTime;
use x509_cert::time::Time;

use super::asn1::{Cursor, OCTET_STRING, OID, SEQUENCE, SET, oid};
use super::digest::{DigestAlgorithm, ring_algorithm, verify_ring};
use super::oid::{
    CONTENT_TYPE, MESSAGE_DIGEST, SIGNING_TIME, SM2_SIGN, SM2_WITH_SM3, is_data_pair,
};
use super::signed_data::{MAX_SIGNED_ATTRIBUTES, SignerId, SignerInfo};
use super::{CmsError, SignedData};
use crate::pki::{Certificate, VerifiedPath, VerifyOptions, verify_path};
use crate::sm2::{DistId, Signature, VerifyingKey};

/// How [`SignedData::verify`] checks signers.
///
/// By default the SM2 ID is `1234567812345678` (GM/T 0009/0010; what the real OFD
/// e-signatures use) and the signer certificate's path is not validated. SignedData made by
/// OpenSSL 3 uses the empty ID ([`DistId::EMPTY`]); CMS does not say which ID was used, so the
/// caller chooses.
#[derive(Debug, Clone, Default)]
pub struct CmsVerifyOptions {
    id: DistId,
    path: Option<(Vec<Certificate>, VerifyOptions)>,
    rsa_and_ecdsa: bool,
    certificates: Vec<Certificate>,
    without_z: bool,
}

impl CmsVerifyOptions {
    /// The defaults: SM2 ID `1234567812345678`, no path validation.
    pub fn new() -> Self {
        Self::default()
    }

    /// The SM2 ID the signatures are checked with ([`DistId::EMPTY`] for OpenSSL 3.0).
    pub fn sm2_id(mut self, id: DistId) -> Self {
        self.id = id;
        self
    }

    /// Also validate each signer certificate's path to one of `trust_anchors` with
    /// [`verify_path`], as `options` say (time, usage, CRLs, certificate SM2 ID); the other
    /// certificates of the SignedData are offered as intermediates.
    pub fn verify_path(mut self, trust_anchors: Vec<Certificate>, options: VerifyOptions) -> Self {
        self.path = Some((trust_anchors, options));
        self
    }

    /// Also accept signers that use SHA-256, SHA-384 or SHA-512 as the digest and RSA PKCS#1
    /// v1.5 or ECDSA (P-256, P-384) signatures, checked through *ring* — what international
    /// RFC 3161 time-stamping authorities and CAs write. SM3 and SM2 stay accepted; without
    /// this, anything but SM3 and SM2 is [`CmsError::UnsupportedDigestAlgorithm`] /
    /// [`CmsError::UnsupportedSignatureAlgorithm`].
    pub fn allow_rsa_and_ecdsa(mut self) -> Self {
        self.rsa_and_ecdsa = true;
        self
    }

    /// Checks SM2 signatures as e = SM3(M) **without Z** (no SM2 ID), as OpenSSL 3.0's PKCS#7
    /// layer makes and checks them (see
    /// [`CmsSigner::sm2_without_z_for_openssl_pkcs7_interop_only`](super::CmsSigner::sm2_without_z_for_openssl_pkcs7_interop_only)).
    /// Not GM/T 0010 SM2: only for SignedData known to come from such a peer. The ID of
    /// [`CmsVerifyOptions::sm2_id`] plays no part then.
    pub fn sm2_without_z_for_openssl_pkcs7_interop_only(mut self) -> Self {
        self.without_z = true;
        self
    }

    /// Certificates to look for signer certificates in (and to offer as intermediates) besides
    /// those the SignedData carries: an RFC 3161 token, for one, carries its TSA's certificate
    /// only when the request asked for it.
    pub fn certificates(mut self, certificates: Vec<Certificate>) -> Self {
        self.certificates = certificates;
        self
    }
}

/// Something tolerated in a SignedData that a strict reading of RFC 5652 / GM/T 0010 would not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmsWarning {
    /// The signature is 64 raw bytes r‖s instead of a DER SM2 signature (seen in real OFD
    /// e-signatures from oesplugin).
    RawSignature,
    /// There are no signed attributes: the content itself was signed, with no signing time
    /// and no protection of the content type (RFC 5652 §5.4 allows it).
    NoSignedAttributes,
    /// The content-type attribute and eContentType are the PKCS#7 and GM/T 0010 `data` OIDs
    /// of the same type (seen in real gomain e-signatures).
    DataOidsDiffer {
        /// The eContentType (dotted).
        content: String,
        /// The content-type attribute (dotted).
        attribute: String,
    },
}

/// A SignedData whose every signer verified; only [`SignedData::verify`] makes one.
#[derive(Debug, Clone)]
pub struct VerifiedSignedData {
    content: Vec<u8>,
    first: VerifiedSigner,
    others: Vec<VerifiedSigner>,
}

impl VerifiedSignedData {
    /// The content that was signed (attached, or the detached content given).
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// The first (usually the only) signer.
    pub fn signer(&self) -> &VerifiedSigner {
        &self.first
    }

    /// Every signer, in SignerInfo order.
    pub fn signers(&self) -> impl Iterator<Item = &VerifiedSigner> {
        core::iter::once(&self.first).chain(&self.others)
    }
}

/// One signer whose signature verified.
#[derive(Debug, Clone)]
pub struct VerifiedSigner {
    certificate: Certificate,
    signing_time: Option<UnixTime>,
    id: DistId,
    digest: DigestAlgorithm,
    warnings: Vec<CmsWarning>,
    path: Option<VerifiedPath>,
    other_attributes: Vec<(Oid, Vec<u8>)>,
}

impl VerifiedSigner {
    /// The signer certificate (found in the SignedData by issuer and serial number).
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The signing-time attribute, if the signer included one. It is the signer's claim, not
    /// trusted time.
    pub fn signing_time(&self) -> Option<UnixTime> {
        self.signing_time
    }

    /// The SM2 ID the signature verified with.
    pub fn sm2_id(&self) -> &DistId {
        &self.id
    }

    /// What was tolerated.
    pub fn warnings(&self) -> &[CmsWarning] {
        &self.warnings
    }

    /// The validated path, if the options asked for path validation.
    pub fn path(&self) -> Option<&VerifiedPath> {
        self.path.as_ref()
    }

    /// The signer's digest algorithm.
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.digest
    }

    /// The `attrValues` of the signed attribute with the dotted type `oid` — the DER content of
    /// its SET OF, one or more encoded values — for the attributes other than content-type,
    /// message-digest and signing-time (those are checked and exposed above). `None` if the
    /// signer has no such attribute; the signature covers what is returned.
    ///
    /// An attribute type that appears twice is rejected by verification (RFC 5652 §5.3: a
    /// signed attribute of each type at most once, as RFC 5035 requires of
    /// signingCertificate).
    pub fn signed_attribute(&self, oid: &str) -> Option<&[u8]> {
        let oid = Oid::new(oid).ok()?;
        self.other_attributes
            .iter()
            .find(|(kind, _)| *kind == oid)
            .map(|(_, values)| values.as_slice())
    }
}

impl SignedData {
    /// Verifies every signer over the attached content, or over `detached` if the content is
    /// detached.
    ///
    /// For each SignerInfo: SM3 digest and SM2 signature algorithm (or SHA-2 with RSA or
    /// ECDSA, if [`CmsVerifyOptions::allow_rsa_and_ecdsa`] says so), the signer certificate
    /// found by issuer and serial number, the signed attributes if present (content-type equal
    /// to eContentType, message-digest equal to the content's digest, signing-time decodable;
    /// RFC 5652 §5.4, §11), the SM2 signature with the options' ID over the original DER of the
    /// signed attributes re-tagged as SET OF (or over the content), and the certificate's path
    /// if asked for.
    pub fn verify(
        &self,
        detached: Option<&[u8]>,
        options: &CmsVerifyOptions,
    ) -> Result<VerifiedSignedData, CmsError> {
        let content = match (self.content(), detached) {
            (Some(_), Some(_)) => return Err(CmsError::ContentGivenTwice),
            (None, None) => return Err(CmsError::ContentMissing),
            (Some(content), None) | (None, Some(content)) => content,
        };
        let mut signers = self
            .signers()
            .iter()
            .enumerate()
            .map(|(index, info)| self.verify_signer(index, info, content, options));
        // Parsing rejects a SignedData without signers.
        let first = signers.next().ok_or(CmsError::NoSigners)??;
        let others = signers.collect::<Result<Vec<_>, _>>()?;
        Ok(VerifiedSignedData {
            content: content.to_vec(),
            first,
            others,
        })
    }

    fn verify_signer(
        &self,
        signer: usize,
        info: &SignerInfo,
        content: &[u8],
        options: &CmsVerifyOptions,
    ) -> Result<VerifiedSigner, CmsError> {
        let (digest, ring) = algorithms(signer, info, options)?;
        let certificate = self.signer_certificate(signer, &info.sid, &options.certificates)?;
        let mut warnings = Vec::new();
        let mut signed = Vec::new();
        let mut other_attributes = Vec::new();
        let signing_time = match &info.signed_attributes {
            Some(implicit) => {
                let attributes = SignedAttributes::parse(signer, implicit)?;
                attributes.check(
                    signer,
                    self.content_type_oid(),
                    content,
                    digest,
                    &mut warnings,
                )?;
                other_attributes = attributes.others;
                // RFC 5652 §5.4: the signature covers the DER of the SET OF, so the [0]
                // IMPLICIT tag of the original bytes becomes the universal SET tag.
                signed.push(SET);
                signed.extend_from_slice(implicit.get(1..).unwrap_or_default());
                attributes.signing_time
            }
            None => {
                warnings.push(CmsWarning::NoSignedAttributes);
                signed.extend_from_slice(content);
                None
            }
        };
        match ring {
            Some(algorithm) => verify_ring(
                signer,
                info.signature_algorithm,
                &algorithm,
                certificate,
                &signed,
                &info.signature,
            )?,
            None => {
                let signature = signature(signer, &info.signature, &mut warnings)?;
                let key = certificate
                    .sm2_public_key()
                    .map_err(CmsError::Certificate)?;
                let verifying_key = VerifyingKey::new(key, options.id.clone());
                let checked = match options.without_z {
                    true => verifying_key.verify_digest(&crate::sm3::hash(&signed), &signature),
                    false => verifying_key.verify(&signed, &signature),
                };
                checked.map_err(|_| CmsError::BadSignature {
                    signer,
                    subject: certificate.subject().to_owned(),
                    id: display_id(&options.id),
                })?;
            }
        }
        let path = match &options.path {
            Some((anchors, path_options)) => {
                let others: Vec<Certificate> = self
                    .certificates()
                    .iter()
                    .chain(&options.certificates)
                    .filter(|c| *c != certificate)
                    .cloned()
                    .collect();
                Some(
                    verify_path(certificate, &others, anchors, path_options)
                        .map_err(|source| CmsError::Path { signer, source })?,
                )
            }
            None => None,
        };
        Ok(VerifiedSigner {
            certificate: certificate.clone(),
            signing_time,
            id: options.id.clone(),
            digest,
            warnings,
            path,
            other_attributes,
        })
    }

    /// The certificate with the SignerInfo's issuer and serial number, from the SignedData or
    /// else from `extra`.
    fn signer_certificate<'c>(
        &'c self,
        signer: usize,
        sid: &SignerId,
        extra: &'c [Certificate],
    ) -> Result<&'c Certificate, CmsError> {
        let SignerId::IssuerAndSerial { issuer, serial } = sid else {
            return Err(CmsError::UnsupportedSignerIdentifier { signer });
        };
        self.certificates()
            .iter()
            .chain(extra)
            .find(|c| c.issuer_der() == issuer.as_slice() && c.serial() == serial.as_slice())
            .ok_or_else(|| CmsError::SignerCertificateNotFound {
                signer,
                issuer: x509_cert::name::Name::from_der(issuer)
                    .map(|name| crate::pki::name::display_name(&name))
                    .unwrap_or_default(),
                serial: hex::encode(serial),
            })
    }
}

/// The three attributes RFC 5652 §11 defines, read from the signed attributes, and the others
/// as their type and the content of their attrValues.
struct SignedAttributes {
    content_type: Option<Oid>,
    message_digest: Option<Vec<u8>>,
    signing_time: Option<UnixTime>,
    others: Vec<(Oid, Vec<u8>)>,
}

impl SignedAttributes {
    /// Reads `[0] IMPLICIT SET OF Attribute`; other attributes are skipped.
    fn parse(signer: usize, implicit: &[u8]) -> Result<Self, CmsError> {
        const WHAT: &str = "signed attributes";
        let mut outer = Cursor::der(implicit, WHAT);
        let set = outer.any("signed attributes")?;
        outer.finish("outer element")?;
        let mut found = Self {
            content_type: None,
            message_digest: None,
            signing_time: None,
            others: Vec::new(),
        };
        let mut items = Cursor::der(set.value, WHAT);
        let mut count = 0;
        while !items.is_empty() {
            count += 1;
            if count > MAX_SIGNED_ATTRIBUTES {
                return Err(CmsError::TooMany {
                    what: "signed attributes",
                    limit: MAX_SIGNED_ATTRIBUTES,
                });
            }
            let mut fields = Cursor::der(items.expect(SEQUENCE, "Attribute")?.value, WHAT);
            let kind = oid(fields.expect(OID, "attrType")?, WHAT)?;
            let values = fields.expect(SET, "attrValues")?;
            fields.finish("end of the fields")?;
            let name = match kind {
                CONTENT_TYPE => "content-type",
                MESSAGE_DIGEST => "message-digest",
                SIGNING_TIME => "signing-time",
                _ => {
                    if found.others.iter().any(|(seen, _)| *seen == kind) {
                        return Err(CmsError::InvalidAttribute {
                            signer,
                            name: "signed",
                            reason: format!("the attribute {kind} appears twice"),
                        });
                    }
                    found.others.push((kind, values.value.to_vec()));
                    continue;
                }
            };
            let invalid = |reason: String| CmsError::InvalidAttribute {
                signer,
                name,
                reason,
            };
            let mut value_cursor = Cursor::der(values.value, WHAT);
            let value = value_cursor.any("attribute value")?;
            if !value_cursor.is_empty() {
                return Err(invalid("it has more than one value".to_owned()));
            }
            let duplicate = match kind {
                CONTENT_TYPE => found
                    .content_type
                    .replace(Oid::from_der(value.tlv).map_err(|e| invalid(e.to_string()))?)
                    .is_some(),
                MESSAGE_DIGEST if value.tag == OCTET_STRING => {
                    found.message_digest.replace(value.value.to_vec()).is_some()
                }
                MESSAGE_DIGEST => return Err(invalid("it is not an OCTET STRING".to_owned())),
                _ => {
                    let time = Time::from_der(value.tlv).map_err(|e| invalid(e.to_string()))?;
                    found
                        .signing_time
                        .replace(UnixTime::since_unix_epoch(time.to_unix_duration()))
                        .is_some()
                }
            };
            if duplicate {
                return Err(invalid("it appears twice".to_owned()));
            }
        }
        Ok(found)
    }

    /// content-type against eContentType and message-digest against the digest of the content.
    fn check(
        &self,
        signer: usize,
        content_type: Oid,
        content: &[u8],
        digest: DigestAlgorithm,
        warnings: &mut Vec<CmsWarning>,
    ) -> Result<(), CmsError> {
        let attribute = self.content_type.ok_or(CmsError::MissingAttribute {
            signer,
            name: "content-type",
        })?;
        if is_data_pair(content_type, attribute) {
            warnings.push(CmsWarning::DataOidsDiffer {
                content: content_type.to_string(),
                attribute: attribute.to_string(),
            });
        } else if attribute != content_type {
            return Err(CmsError::ContentTypeMismatch {
                signer,
                content: content_type.to_string(),
                attribute: attribute.to_string(),
            });
        }
        let signed = self
            .message_digest
            .as_deref()
            .ok_or(CmsError::MissingAttribute {
                signer,
                name: "message-digest",
            })?;
        let computed = digest.digest(content);
        if signed != computed.as_slice() {
            return Err(CmsError::MessageDigestMismatch {
                signer,
                signed: hex::encode(signed),
                computed: hex::encode(computed),
            });
        }
        Ok(())
    }
}

/// The signer's digest algorithm, and the webpki algorithm identifier for an RSA or ECDSA
/// signature (`None`: SM2).
fn algorithms(
    signer: usize,
    info: &SignerInfo,
    options: &CmsVerifyOptions,
) -> Result<(DigestAlgorithm, Option<Vec<u8>>), CmsError> {
    let unsupported_digest = || CmsError::UnsupportedDigestAlgorithm {
        signer,
        oid: info.digest_algorithm.to_string(),
    };
    let digest = DigestAlgorithm::from_object_id(info.digest_algorithm)
        .filter(|digest| *digest == DigestAlgorithm::Sm3 || options.rsa_and_ecdsa)
        .ok_or_else(unsupported_digest)?;
    if info.signature_algorithm == SM2_SIGN || info.signature_algorithm == SM2_WITH_SM3 {
        // GM/T 0010: SM2 signatures go with SM3 digests.
        return match digest {
            DigestAlgorithm::Sm3 => Ok((digest, None)),
            _ => Err(unsupported_digest()),
        };
    }
    let ring = options
        .rsa_and_ecdsa
        .then(|| ring_algorithm(info.signature_algorithm, digest))
        .flatten()
        .ok_or_else(|| CmsError::UnsupportedSignatureAlgorithm {
            signer,
            oid: info.signature_algorithm.to_string(),
        })?;
    Ok((digest, Some(ring)))
}

/// The SM2 signature: DER, or 64 raw bytes r‖s with a warning.
fn signature(
    signer: usize,
    bytes: &[u8],
    warnings: &mut Vec<CmsWarning>,
) -> Result<Signature, CmsError> {
    match Signature::from_der(bytes) {
        Ok(signature) => Ok(signature),
        Err(der_error) if bytes.len() == 64 => {
            let signature =
                Signature::from_raw(bytes).map_err(|_| CmsError::MalformedSignature {
                    signer,
                    reason: der_error.to_string(),
                })?;
            warnings.push(CmsWarning::RawSignature);
            Ok(signature)
        }
        Err(error) => Err(CmsError::MalformedSignature {
            signer,
            reason: error.to_string(),
        }),
    }
}

/// The SM2 ID as text if it is printable, else as hex; "(empty)" for the empty ID.
fn display_id(id: &DistId) -> String {
    match core::str::from_utf8(id.as_bytes()) {
        Ok("") => "(empty)".to_owned(),
        Ok(text) if text.chars().all(|c| !c.is_control()) => text.to_owned(),
        _ => hex::encode(id.as_bytes()),
    }
}
