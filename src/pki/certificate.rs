//! An X.509 certificate parsed with `x509-cert`, together with the exact DER it came from.

use der::asn1::ObjectIdentifier;
use der::{Decode, Encode};
use rustls_pki_types::UnixTime;
use x509_cert::certificate::{CertificateInner, Profile};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
use x509_cert::serial_number::SerialNumber;

use super::Error;
use super::algorithm::{SignatureCheck, check_signed, sm2_pair, with_ring};
use super::key_usage::KeyUsages;
use super::name::display_name;
use super::time::unix_time;
use crate::sm2::{DistId, PublicKey};

/// The largest certificate accepted, in bytes. Real certificates are 0.5–4 KiB; 64 KiB leaves
/// room for long extension lists while bounding the work a hostile input can cause.
pub const MAX_CERTIFICATE_LEN: usize = 64 * 1024;

pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
const ID_CE_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const ID_CE_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");

/// The extensions webpki processes (RFC 5280 §4.2.1.3, .6, .9, .10, .13, .12). A critical
/// extension outside this list makes a certificate unusable in a path.
const UNDERSTOOD_EXTENSIONS: [ObjectIdentifier; 6] = [
    ID_CE_KEY_USAGE,
    ObjectIdentifier::new_unwrap("2.5.29.17"),
    ID_CE_BASIC_CONSTRAINTS,
    ObjectIdentifier::new_unwrap("2.5.29.30"),
    ObjectIdentifier::new_unwrap("2.5.29.31"),
    ObjectIdentifier::new_unwrap("2.5.29.37"),
];

/// The parsing profile: RFC 5280 except that serial numbers of any length are accepted
/// (real GM CAs issue serials longer than 20 octets; negative serials are accepted by x509-cert
/// already). webpki is lenient about serials in the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Lenient;

impl Profile for Lenient {
    fn check_serial_number(_serial: &SerialNumber<Self>) -> der::Result<()> {
        Ok(())
    }
}

/// An X.509 certificate: the parsed fields and the exact DER they were parsed from.
///
/// Parsing checks the DER structure and the keyUsage and basicConstraints extensions; it does
/// not check signatures, dates or critical extensions (path validation does, see
/// [`verify_path`](super::verify_path)). Distinguished-name strings are not validated, so a
/// UTF-8 e-mail address in an IA5String (SEAL-SPEC D2) parses.
///
/// ```
/// use smtrust::pki::Certificate;
///
/// let pem = std::fs::read_to_string("test-vectors/interop/pki/std/root.pem")?;
/// let root = Certificate::from_pem(&pem)?;
/// assert!(root.is_ca());
/// assert!(root.subject().contains("CN="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    parsed: CertificateInner<Lenient>,
    subject: String,
    key_usage: Option<KeyUsages>,
    basic_constraints: Option<BasicConstraints>,
    /// The issuer and subject Names exactly as encoded (webpki matches names byte for byte).
    issuer_raw: Vec<u8>,
    subject_raw: Vec<u8>,
}

impl Certificate {
    /// Parses one DER certificate; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(Error::TooLarge {
                what: "certificate",
                len: der.len(),
                limit: MAX_CERTIFICATE_LEN,
            });
        }
        let parsed = CertificateInner::<Lenient>::from_der(der).map_err(|e| Error::Malformed {
            what: "certificate",
            reason: e.to_string(),
        })?;
        let subject = display_name(parsed.tbs_certificate().subject());
        let key_usage = extension::<KeyUsage>(&parsed, &subject, "keyUsage")?
            .map(|ku| KeyUsages::from_bits(ku.0.bits()));
        let basic_constraints =
            extension::<BasicConstraints>(&parsed, &subject, "basicConstraints")?;
        // Invariant: x509-cert has just parsed this structure, so the walk cannot fail.
        let (issuer_raw, subject_raw) = raw_names(signed_tbs(der)).unwrap_or_default();
        Ok(Self {
            issuer_raw,
            subject_raw,
            der: der.to_vec(),
            parsed,
            subject,
            key_usage,
            basic_constraints,
        })
    }

    /// Parses one PEM `CERTIFICATE` block.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let der = pem_block(pem, "CERTIFICATE", "PEM certificate")?;
        Self::from_der(&der)
    }

    /// The exact DER this certificate was parsed from (or built as).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject name as text (`C=CN, O=…, CN=…`), for people.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer name as text, for people.
    pub fn issuer(&self) -> String {
        display_name(self.parsed.tbs_certificate().issuer())
    }

    /// The serial number: the content bytes of the DER INTEGER, two's complement (a leading
    /// `0x00` keeps a positive value positive; negative serials from real CAs are kept as is).
    pub fn serial(&self) -> &[u8] {
        self.parsed.tbs_certificate().serial_number().as_bytes()
    }

    /// The serial number as lowercase hex of [`Certificate::serial`].
    pub fn serial_hex(&self) -> String {
        hex::encode(self.serial())
    }

    /// The start of the validity period.
    pub fn not_before(&self) -> UnixTime {
        unix_time(self.parsed.tbs_certificate().validity().not_before)
    }

    /// The end of the validity period.
    pub fn not_after(&self) -> UnixTime {
        unix_time(self.parsed.tbs_certificate().validity().not_after)
    }

    /// The keyUsage extension's bits, or `None` if the certificate has none.
    pub fn key_usage(&self) -> Option<KeyUsages> {
        self.key_usage
    }

    /// Whether basicConstraints is present with CA TRUE.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.as_ref().is_some_and(|bc| bc.ca)
    }

    /// Whether the certificate has a basicConstraints extension at all.
    pub fn has_basic_constraints(&self) -> bool {
        self.basic_constraints.is_some()
    }

    /// The pathLenConstraint of basicConstraints, if present.
    pub fn path_len_constraint(&self) -> Option<u8> {
        self.basic_constraints
            .as_ref()
            .and_then(|bc| bc.path_len_constraint)
    }

    /// The DER of the SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> Result<Vec<u8>, Error> {
        self.parsed
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| Error::Malformed {
                what: "certificate",
                reason: e.to_string(),
            })
    }

    /// The subject's SM2 public key; an error unless the SPKI is `id-ecPublicKey` with the
    /// `sm2p256v1` curve (1.2.156.10197.1.301) and a point on that curve.
    pub fn sm2_public_key(&self) -> Result<PublicKey, Error> {
        let spki = self.parsed.tbs_certificate().subject_public_key_info();
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        if spki.algorithm.oid != ID_EC_PUBLIC_KEY || curve != Some(SM2_CURVE) {
            return Err(Error::NotSm2Key {
                reason: format!("algorithm {} with curve {curve:?}", spki.algorithm.oid),
            });
        }
        PublicKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()).map_err(|e| {
            Error::NotSm2Key {
                reason: e.to_string(),
            }
        })
    }

    /// Checks that `issuer`'s key signed this certificate, with SM2 ID `id` if the signature is
    /// SM2 (RSA and ECDSA signatures are checked through *ring*). This checks the signature
    /// alone: no names, dates or constraints (that is [`verify_path`](super::verify_path)).
    ///
    /// Errors: [`Error::BadSignature`] (depth 0, this certificate's subject) or
    /// [`Error::UnsupportedSignatureAlgorithm`].
    pub fn verify_signed_by(&self, issuer: &Certificate, id: &DistId) -> Result<(), Error> {
        let sm2 = sm2_pair(id);
        check_signed(
            &with_ring(&sm2),
            &self.signature_algorithm_content(),
            issuer,
            self.tbs_der(),
            self.signature_value(),
        )
        .map_err(|failure| match failure {
            SignatureCheck::Unsupported(error) => error,
            SignatureCheck::Invalid => Error::BadSignature {
                depth: 0,
                subject: self.subject.clone(),
            },
        })
    }

    /// The OIDs of critical extensions that path validation does not process.
    pub fn unknown_critical_extensions(&self) -> Vec<String> {
        self.parsed
            .tbs_certificate()
            .extensions()
            .map(|exts| {
                exts.iter()
                    .filter(|e| e.critical && !UNDERSTOOD_EXTENSIONS.contains(&e.extn_id))
                    .map(|e| e.extn_id.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The subject Name's original DER (for matching against issuer names).
    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.subject_raw
    }

    /// The issuer Name's original DER.
    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.issuer_raw
    }

    /// Whether the version is v3.
    pub(crate) fn is_v3(&self) -> bool {
        self.parsed.tbs_certificate().version() == x509_cert::Version::V3
    }

    /// The exact DER of tbsCertificate, the bytes the issuer signed.
    pub(crate) fn tbs_der(&self) -> &[u8] {
        signed_tbs(&self.der)
    }

    /// The signatureAlgorithm's DER content (without the SEQUENCE header), as webpki compares
    /// it with [`SignatureVerificationAlgorithm::signature_alg_id`](rustls_pki_types::SignatureVerificationAlgorithm::signature_alg_id).
    pub(crate) fn signature_algorithm_content(&self) -> Vec<u8> {
        sequence_content(
            &self
                .parsed
                .signature_algorithm()
                .to_der()
                .unwrap_or_default(),
        )
    }

    /// The SPKI algorithm's DER content and the public key bytes.
    pub(crate) fn spki_parts(&self) -> (Vec<u8>, &[u8]) {
        let spki = self.parsed.tbs_certificate().subject_public_key_info();
        (
            sequence_content(&spki.algorithm.to_der().unwrap_or_default()),
            spki.subject_public_key.raw_bytes(),
        )
    }

    /// The signature value bytes.
    pub(crate) fn signature_value(&self) -> &[u8] {
        self.parsed.signature().raw_bytes()
    }
}

impl core::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer())
            .field("serial", &self.serial_hex())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for Certificate {}

/// Decodes the single extension `T` (an error if it appears twice or does not decode).
fn extension<'a, T>(
    cert: &'a CertificateInner<Lenient>,
    subject: &str,
    name: &str,
) -> Result<Option<T>, Error>
where
    T: Decode<'a, Error = der::Error> + der::oid::AssociatedOid,
{
    cert.tbs_certificate()
        .get_extension::<T>()
        .map(|found| found.map(|(_critical, value)| value))
        .map_err(|e| Error::InvalidExtension {
            subject: subject.to_owned(),
            reason: format!("{name}: {e}"),
        })
}

/// The DER inside the single PEM block of `pem`, which must carry `label`.
pub(crate) fn pem_block(pem: &str, label: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    let (found, der) =
        der::pem::decode_vec(pem.trim().as_bytes()).map_err(|e| Error::Malformed {
            what,
            reason: e.to_string(),
        })?;
    if found != label {
        return Err(Error::Malformed {
            what,
            reason: format!("the PEM label is {found}, not {label}"),
        });
    }
    Ok(der)
}

/// The first element (the TBS part) of the signed SEQUENCE `der`, as its original bytes
/// (empty if `der` is not a SEQUENCE, which a parsed structure always is).
pub(crate) fn signed_tbs(der: &[u8]) -> &[u8] {
    use der::Reader;
    let Ok(mut reader) = der::SliceReader::new(der) else {
        return &[];
    };
    match der::Header::decode(&mut reader) {
        Ok(_) => reader.tlv_bytes().unwrap_or_default(),
        Err(_) => &[],
    }
}

/// The content octets of the DER TLV `der`.
pub(crate) fn sequence_content(der: &[u8]) -> Vec<u8> {
    der::asn1::AnyRef::from_der(der)
        .map(|any| any.value().to_vec())
        .unwrap_or_default()
}

/// The issuer and subject Names of a tbsCertificate, as their original TLV bytes
/// (RFC 5280 §4.1: version [0] OPTIONAL, serialNumber, signature, issuer, validity, subject).
fn raw_names(tbs: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    use der::Reader;
    let mut reader = der::SliceReader::new(tbs).ok()?;
    der::Header::decode(&mut reader).ok()?;
    if reader.peek_byte() == Some(0xa0) {
        reader.tlv_bytes().ok()?;
    }
    reader.tlv_bytes().ok()?;
    reader.tlv_bytes().ok()?;
    let issuer = reader.tlv_bytes().ok()?.to_vec();
    reader.tlv_bytes().ok()?;
    let subject = reader.tlv_bytes().ok()?.to_vec();
    Some((issuer, subject))
}

/// The issuer Name of a tbsCertList as its original TLV bytes (RFC 5280 §5.1: version
/// INTEGER OPTIONAL, signature, issuer).
pub(crate) fn raw_crl_issuer(tbs: &[u8]) -> Option<Vec<u8>> {
    use der::Reader;
    let mut reader = der::SliceReader::new(tbs).ok()?;
    der::Header::decode(&mut reader).ok()?;
    if reader.peek_byte() == Some(0x02) {
        reader.tlv_bytes().ok()?;
    }
    reader.tlv_bytes().ok()?;
    Some(reader.tlv_bytes().ok()?.to_vec())
}
