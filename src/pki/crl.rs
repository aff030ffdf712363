//! A certificate revocation list (RFC 5280 §5) with the exact DER it came from.

use der::Decode;
use der::asn1::ObjectIdentifier;
use rustls_pki_types::UnixTime;
use webpki::BorrowedCertRevocationList;
use x509_cert::crl::CertificateList;

use super::algorithm::{SignatureCheck, check_signed, sm2_pair, with_ring};
use super::certificate::{
    Certificate, Lenient, pem_block, raw_crl_issuer, sequence_content, signed_tbs,
};
use super::error::RevocationReason;
use super::name::display_name;
use super::time::unix_time;
use super::{Error, map};
use crate::sm2::DistId;

/// The largest CRL accepted, in bytes: about 200,000 entries, which bounds the memory and
/// time one hostile input can take.
pub const MAX_CRL_LEN: usize = 8 * 1024 * 1024;

const ID_CE_CRL_REASONS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.21");

/// A parsed X.509 v2 CRL and its original DER.
///
/// Parsing checks the structure with both `x509-cert` and rustls-webpki (so a CRL that parses
/// here is one path validation can use); the signature is checked during path validation,
/// against the issuer found in the path.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    parsed: CertificateList<Lenient>,
    issuer: String,
    /// The issuer Name exactly as encoded.
    issuer_raw: Vec<u8>,
}

/// One entry of a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// The serial number's DER content bytes.
    pub serial: Vec<u8>,
    /// The revocationDate.
    pub revoked_at: UnixTime,
    /// The reasonCode entry extension, if present and known.
    pub reason: Option<RevocationReason>,
}

impl Crl {
    /// Parses one DER CRL; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_CRL_LEN {
            return Err(Error::TooLarge {
                what: "CRL",
                len: der.len(),
                limit: MAX_CRL_LEN,
            });
        }
        let parsed = CertificateList::<Lenient>::from_der(der).map_err(|e| Error::Malformed {
            what: "CRL",
            reason: e.to_string(),
        })?;
        let issuer = display_name(&parsed.tbs_cert_list.issuer);
        BorrowedCertRevocationList::from_der(der).map_err(|e| map::crl_parse_error(e, &issuer))?;
        // Invariant: x509-cert has just parsed this structure, so the walk cannot fail.
        let issuer_raw = raw_crl_issuer(signed_tbs(der)).unwrap_or_default();
        Ok(Self {
            der: der.to_vec(),
            parsed,
            issuer,
            issuer_raw,
        })
    }

    /// Parses one PEM `X509 CRL` block.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let der = pem_block(pem, "X509 CRL", "PEM CRL")?;
        Self::from_der(&der)
    }

    /// The exact DER this CRL was parsed from (or built as).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer name as text.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> UnixTime {
        unix_time(self.parsed.tbs_cert_list.this_update)
    }

    /// nextUpdate, if present.
    pub fn next_update(&self) -> Option<UnixTime> {
        self.parsed.tbs_cert_list.next_update.map(unix_time)
    }

    /// How many certificates the CRL lists.
    pub fn len(&self) -> usize {
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// Whether the CRL lists no certificate.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry for `certificate`, if this CRL was issued by its issuer (same name) and lists
    /// its serial. This does not check the CRL's signature.
    pub fn entry_for(&self, certificate: &Certificate) -> Option<RevokedEntry> {
        if self.issuer_der() != certificate.issuer_der() {
            return None;
        }
        let entries = self.parsed.tbs_cert_list.revoked_certificates.as_ref()?;
        let entry = entries
            .iter()
            .find(|e| e.serial_number.as_bytes() == certificate.serial())?;
        let reason = entry
            .crl_entry_extensions
            .as_ref()
            .and_then(|exts| exts.iter().find(|e| e.extn_id == ID_CE_CRL_REASONS))
            .and_then(|e| der::asn1::Any::from_der(e.extn_value.as_bytes()).ok())
            .filter(|any| der::Tagged::tag(any) == der::Tag::Enumerated)
            .and_then(|any| match any.value() {
                [code] => RevocationReason::from_code(*code),
                _ => None,
            });
        Some(RevokedEntry {
            serial: entry.serial_number.as_bytes().to_vec(),
            revoked_at: unix_time(entry.revocation_date),
            reason,
        })
    }

    /// Checks that `issuer`'s key signed this CRL, with SM2 ID `id` if the signature is SM2.
    /// Only the signature is checked (names and dates are path validation's work).
    ///
    /// Errors: [`Error::CrlBadSignature`] or [`Error::UnsupportedSignatureAlgorithm`].
    pub fn verify_signed_by(&self, issuer: &Certificate, id: &DistId) -> Result<(), Error> {
        let sm2 = sm2_pair(id);
        let algorithm = der::Encode::to_der(&self.parsed.signature_algorithm).unwrap_or_default();
        check_signed(
            &with_ring(&sm2),
            &sequence_content(&algorithm),
            issuer,
            signed_tbs(&self.der),
            self.parsed.signature.raw_bytes(),
        )
        .map_err(|failure| match failure {
            SignatureCheck::Unsupported(error) => error,
            SignatureCheck::Invalid => Error::CrlBadSignature {
                issuer: self.issuer.clone(),
            },
        })
    }

    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.issuer_raw
    }
}

impl core::fmt::Debug for Crl {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer)
            .field("entries", &self.len())
            .finish_non_exhaustive()
    }
}
