//! The SignedData structure (RFC 5652 §5), parsed from DER with the original bytes kept.

use der::Decode;
use der::asn1::ObjectIdentifier as Oid;

use super::asn1::{
    CONTEXT_0, CONTEXT_1, Cursor, INTEGER, OCTET_STRING, OID, SEQUENCE, SET, algorithm, oid,
};
use super::{CmsError, CmsOids};
use crate::pki::Certificate;

/// The largest SignedData accepted, in bytes (64 MiB). Attached content counts; OFD
/// e-signatures are 1–20 KiB because they sign a digest or a small XML file.
pub const MAX_CMS_LEN: usize = 64 * 1024 * 1024;
/// The most certificates a SignedData may carry: a signer's chain is 1–4 certificates.
pub const MAX_CMS_CERTIFICATES: usize = 32;
/// The most SignerInfos a SignedData may carry (each one costs an SM2 verification).
pub const MAX_CMS_SIGNERS: usize = 16;
/// The most signed attributes a SignerInfo may carry.
pub const MAX_SIGNED_ATTRIBUTES: usize = 64;

/// A CMS SignedData (RFC 5652 §5; GM/T 0010 for SM2), wrapped in its ContentInfo: parsed, with
/// the exact DER kept. Nothing is verified yet; [`SignedData::verify`] does that.
///
/// ContentInfo and SignedData may use either OID set ([`CmsOids`]); certificates are parsed
/// (other certificate choices are skipped), CRLs are skipped.
///
/// ```
/// use smtrust::pki::{CmsOids, SignedData};
///
/// // An OFD e-signature: a GM/T 0010 SignedData carrying SM3 of Signature.xml.
/// let ofd = std::fs::File::open("test-vectors/seals/ofdrw_keyword.ofd")?;
/// let mut zip = zip::ZipArchive::new(ofd)?;
/// let mut der = Vec::new();
/// std::io::Read::read_to_end(&mut zip.by_name("Doc_0/Signs/Sign_3/SignedValue.dat")?, &mut der)?;
///
/// let signed = SignedData::from_der(&der)?;
/// assert_eq!(signed.oids(), CmsOids::GmT0010);
/// assert_eq!(signed.content().map(<[u8]>::len), Some(32));
/// assert_eq!(signed.certificates().len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedData {
    der: Vec<u8>,
    oids: CmsOids,
    content_type: Oid,
    content: Option<Vec<u8>>,
    certificates: Vec<Certificate>,
    signers: Vec<SignerInfo>,
    digest_algorithms: Vec<Oid>,
}

/// One SignerInfo (RFC 5652 §5.3), with the signed attributes as their original bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SignerInfo {
    pub(super) sid: SignerId,
    pub(super) digest_algorithm: Oid,
    /// The `[0] IMPLICIT` signed attributes exactly as encoded, tag included.
    pub(super) signed_attributes: Option<Vec<u8>>,
    pub(super) signature_algorithm: Oid,
    pub(super) signature: Vec<u8>,
}

/// How a SignerInfo names its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SignerId {
    /// issuerAndSerialNumber: the issuer Name's DER and the serial INTEGER's content bytes.
    IssuerAndSerial { issuer: Vec<u8>, serial: Vec<u8> },
    /// `[0]` subjectKeyIdentifier.
    KeyIdentifier,
}

impl SignedData {
    /// Parses a DER ContentInfo holding a SignedData; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, CmsError> {
        if der.len() > MAX_CMS_LEN {
            return Err(CmsError::TooLarge {
                len: der.len(),
                limit: MAX_CMS_LEN,
            });
        }
        let mut outer = Cursor::der(der, "ContentInfo");
        let content_info = outer.expect(SEQUENCE, "ContentInfo")?;
        outer.finish("outer element")?;
        let mut info = Cursor::der(content_info.value, "ContentInfo");
        let content_type = oid(info.expect(OID, "contentType")?, "ContentInfo")?;
        let oids =
            CmsOids::of_signed_data(content_type).ok_or_else(|| CmsError::NotSignedData {
                oid: content_type.to_string(),
            })?;
        let explicit = info.expect(CONTEXT_0, "content")?;
        info.finish("ContentInfo")?;
        let mut wrapper = Cursor::der(explicit.value, "ContentInfo");
        let signed_data = wrapper.expect(SEQUENCE, "SignedData")?;
        wrapper.finish("content")?;
        let mut parsed = Self::from_signed_data(signed_data.value)?;
        parsed.der = der.to_vec();
        parsed.oids = oids;
        Ok(parsed)
    }

    /// The fields of SignedData (RFC 5652 §5.1), from the SEQUENCE's value.
    fn from_signed_data(value: &[u8]) -> Result<Self, CmsError> {
        const WHAT: &str = "SignedData";
        let mut fields = Cursor::der(value, WHAT);
        check_version(
            fields.expect(INTEGER, "version")?.value,
            WHAT,
            &[1, 3, 4, 5],
        )?;
        let digest_set = fields.expect(SET, "digestAlgorithms")?;
        let mut digest_items = Cursor::der(digest_set.value, WHAT);
        let mut digest_algorithms = Vec::new();
        while !digest_items.is_empty() {
            if digest_algorithms.len() == MAX_CMS_SIGNERS {
                return Err(CmsError::TooMany {
                    what: "digest algorithms",
                    limit: MAX_CMS_SIGNERS,
                });
            }
            digest_algorithms.push(algorithm(
                digest_items.expect(SEQUENCE, "DigestAlgorithmIdentifier")?,
                WHAT,
            )?);
        }
        let encap = fields.expect(SEQUENCE, "encapContentInfo")?;
        let (content_type, content) = encapsulated(encap.value)?;
        let certificates = match fields.optional(&[CONTEXT_0], "[0]")? {
            Some(set) => certificates(set.value)?,
            None => Vec::new(),
        };
        fields.optional(&[CONTEXT_1], "[1]")?;
        let signer_set = fields.expect(SET, "signerInfos")?;
        fields.finish("end of the fields")?;
        let mut signers = Vec::new();
        let mut items = Cursor::der(signer_set.value, "signerInfos");
        while !items.is_empty() {
            if signers.len() == MAX_CMS_SIGNERS {
                return Err(CmsError::TooMany {
                    what: "signers",
                    limit: MAX_CMS_SIGNERS,
                });
            }
            signers.push(SignerInfo::parse(
                items.expect(SEQUENCE, "SignerInfo")?.value,
            )?);
        }
        if signers.is_empty() {
            return Err(CmsError::NoSigners);
        }
        Ok(Self {
            der: Vec::new(),
            oids: CmsOids::Pkcs7,
            content_type,
            content,
            certificates,
            signers,
            digest_algorithms,
        })
    }

    /// The exact DER this SignedData was parsed from (or made as).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Which OID set the ContentInfo uses for SignedData.
    pub fn oids(&self) -> CmsOids {
        self.oids
    }

    /// The eContentType, dotted (`1.2.840.113549.1.7.1` or `1.2.156.10197.6.1.4.2.1` for data).
    pub fn content_type(&self) -> String {
        self.content_type.to_string()
    }

    /// The attached content, or `None` if the content is detached.
    pub fn content(&self) -> Option<&[u8]> {
        self.content.as_deref()
    }

    /// The certificates the SignedData carries, in order.
    pub fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }

    /// The digestAlgorithms the SignedData lists (dotted); RFC 5652 §5.1 has every signer's
    /// digest algorithm among them.
    pub fn digest_algorithms(&self) -> Vec<String> {
        self.digest_algorithms.iter().map(Oid::to_string).collect()
    }

    /// How many SignerInfos there are (at least one).
    pub fn signer_count(&self) -> usize {
        self.signers.len()
    }

    pub(super) fn content_type_oid(&self) -> Oid {
        self.content_type
    }

    pub(super) fn signers(&self) -> &[SignerInfo] {
        &self.signers
    }
}

impl SignerInfo {
    /// The fields of SignerInfo (RFC 5652 §5.3), from the SEQUENCE's value.
    fn parse(value: &[u8]) -> Result<Self, CmsError> {
        const WHAT: &str = "SignerInfo";
        let mut fields = Cursor::der(value, WHAT);
        check_version(fields.expect(INTEGER, "version")?.value, WHAT, &[1, 3])?;
        let sid = match fields.peek_tag() {
            Some(SEQUENCE) => issuer_and_serial(fields.any("sid")?.value)?,
            Some(0x80) => {
                fields.any("sid")?;
                SignerId::KeyIdentifier
            }
            found => {
                return Err(CmsError::Malformed {
                    what: WHAT,
                    reason: match found {
                        Some(tag) => format!("sid: expected tag 0x30 or 0x80, found 0x{tag:02x}"),
                        None => "sid: missing (the structure ends early)".to_owned(),
                    },
                });
            }
        };
        let digest_algorithm = algorithm(fields.expect(SEQUENCE, "digestAlgorithm")?, WHAT)?;
        let signed_attributes = fields
            .optional(&[CONTEXT_0], "[0]")?
            .map(|a| a.tlv.to_vec());
        let signature_algorithm = algorithm(fields.expect(SEQUENCE, "signatureAlgorithm")?, WHAT)?;
        let signature = fields.expect(OCTET_STRING, "signature")?.value.to_vec();
        fields.optional(&[CONTEXT_1], "[1]")?;
        fields.finish("end of the fields")?;
        Ok(Self {
            sid,
            digest_algorithm,
            signed_attributes,
            signature_algorithm,
            signature,
        })
    }
}

/// An error unless the version INTEGER's content is one of `defined` (RFC 5652 §5.1, §5.3:
/// CMSVersion values 1, 3, 4, 5 for SignedData; 1 and 3 for SignerInfo).
fn check_version(value: &[u8], what: &'static str, defined: &[u8]) -> Result<(), CmsError> {
    match value {
        [version] if defined.contains(version) => Ok(()),
        _ => Err(CmsError::Malformed {
            what,
            reason: format!("version {} is not defined by RFC 5652", hex::encode(value)),
        }),
    }
}

/// eContentType and the eContent OCTET STRING, if present (RFC 5652 §5.2).
fn encapsulated(value: &[u8]) -> Result<(Oid, Option<Vec<u8>>), CmsError> {
    const WHAT: &str = "encapContentInfo";
    let mut fields = Cursor::der(value, WHAT);
    let content_type = oid(fields.expect(OID, "eContentType")?, WHAT)?;
    let content = match fields.optional(&[CONTEXT_0], "[0]")? {
        Some(explicit) => {
            let mut inner = Cursor::der(explicit.value, WHAT);
            let octets = inner.expect(OCTET_STRING, "eContent")?;
            inner.finish("eContent")?;
            Some(octets.value.to_vec())
        }
        None => None,
    };
    fields.finish("end of the fields")?;
    Ok((content_type, content))
}

/// The X.509 certificates of `certificates [0] IMPLICIT CertificateSet`; the other choices
/// (attribute certificates, `other`) are skipped.
fn certificates(value: &[u8]) -> Result<Vec<Certificate>, CmsError> {
    let mut items = Cursor::der(value, "certificates");
    let mut found = Vec::new();
    while !items.is_empty() {
        let item = items.any("certificate")?;
        if item.tag != SEQUENCE {
            continue;
        }
        if found.len() == MAX_CMS_CERTIFICATES {
            return Err(CmsError::TooMany {
                what: "certificates",
                limit: MAX_CMS_CERTIFICATES,
            });
        }
        found.push(Certificate::from_der(item.tlv).map_err(CmsError::Certificate)?);
    }
    Ok(found)
}

/// IssuerAndSerialNumber (RFC 5652 §10.2.4).
fn issuer_and_serial(value: &[u8]) -> Result<SignerId, CmsError> {
    const WHAT: &str = "issuerAndSerialNumber";
    let mut fields = Cursor::der(value, WHAT);
    let issuer = fields.expect(SEQUENCE, "issuer")?;
    x509_cert::name::Name::from_der(issuer.tlv).map_err(|e| CmsError::Malformed {
        what: WHAT,
        reason: format!("issuer: {e}"),
    })?;
    let serial = fields.expect(INTEGER, "serialNumber")?;
    fields.finish("end of the fields")?;
    Ok(SignerId::IssuerAndSerial {
        issuer: issuer.tlv.to_vec(),
        serial: serial.value.to_vec(),
    })
}
