//! A small builder for test certificates and CRLs signed with SM2 (for tests and demos; not a
//! CA product: no policy, no storage, no CSR handling).
//!
//! Everything is deterministic: SM2 signatures use RFC 6979 nonces
//! ([`SigningKey::sign_deterministic`]) and the default validity is fixed
//! (2025-01-01T00:00:00Z to 2045-01-01T00:00:00Z), so the same inputs give the same bytes.

use core::time::Duration;

use der::Encode;
use der::asn1::ObjectIdentifier;
use rustls_pki_types::UnixTime;

use super::algorithm::SignatureParameters;
use super::error::RevocationReason;
use super::key_usage::KeyUsages;
use super::{Certificate, Crl, Error};
use crate::sm2::{PublicKey, SigningKey};

/// 2025-01-01T00:00:00Z.
const DEFAULT_NOT_BEFORE: u64 = 1_735_689_600;
/// 2045-01-01T00:00:00Z.
const DEFAULT_NOT_AFTER: u64 = 2_366_841_600;
/// Times before 2050 are UTCTime, later ones GeneralizedTime (RFC 5280 §4.1.2.5).
const YEAR_2050: u64 = 2_524_608_000;

const SM2_WITH_SM3_OID: [u8; 10] = [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];

/// The basicConstraints a built certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Constraints {
    Absent,
    EndEntity,
    Ca { path_len: Option<u8> },
}

/// Builds one X.509 v3 certificate with an SM2 key, signed with SM2-with-SM3.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, KeyUsages};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
///
/// let root_key = SigningKey::new(SecretKey::from_bytes(&[7; 32])?, DistId::DEFAULT);
/// let root = CertificateBuilder::ca("C=CN, O=Demo, CN=Root", 1).self_signed(&root_key)?;
/// assert_eq!(root.key_usage(), Some(KeyUsages::KEY_CERT_SIGN.union(KeyUsages::CRL_SIGN)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CertificateBuilder {
    subject: String,
    serial: Vec<u8>,
    not_before: UnixTime,
    not_after: UnixTime,
    constraints: Constraints,
    key_usage: Option<KeyUsages>,
    parameters: SignatureParameters,
    extensions: Vec<(String, bool, Vec<u8>)>,
}

impl CertificateBuilder {
    /// A CA certificate: basicConstraints CA TRUE (critical), keyUsage keyCertSign + cRLSign.
    /// `subject` is written as `C=CN, O=…, CN=…` (see [`CertificateBuilder::end_entity`]).
    pub fn ca(subject: &str, serial: u64) -> Self {
        Self::new(
            subject,
            serial,
            Constraints::Ca { path_len: None },
            KeyUsages::KEY_CERT_SIGN.union(KeyUsages::CRL_SIGN),
        )
    }

    /// An end-entity certificate: basicConstraints CA FALSE (critical), keyUsage
    /// digitalSignature + nonRepudiation.
    ///
    /// `subject` is a comma-separated list of `TYPE=value` with TYPE one of C, ST, L, O, OU,
    /// CN, serialNumber, emailAddress, UID, DC. `C` is written as PrintableString,
    /// `emailAddress` as IA5String **with the value's UTF-8 bytes as given** (so a Chinese
    /// e-mail value reproduces SEAL-SPEC D2), everything else as UTF8String.
    pub fn end_entity(subject: &str, serial: u64) -> Self {
        Self::new(
            subject,
            serial,
            Constraints::EndEntity,
            KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION),
        )
    }

    fn new(subject: &str, serial: u64, constraints: Constraints, key_usage: KeyUsages) -> Self {
        Self {
            subject: subject.to_owned(),
            serial: positive_integer(&serial.to_be_bytes()),
            not_before: UnixTime::since_unix_epoch(Duration::from_secs(DEFAULT_NOT_BEFORE)),
            not_after: UnixTime::since_unix_epoch(Duration::from_secs(DEFAULT_NOT_AFTER)),
            constraints,
            key_usage: Some(key_usage),
            parameters: SignatureParameters::Absent,
            extensions: Vec::new(),
        }
    }

    /// The serial as the DER INTEGER's content bytes, two's complement: `[0xff, 0x01]` is
    /// negative, 30 bytes make a serial longer than RFC 5280's 20 octets.
    pub fn serial_bytes(mut self, bytes: &[u8]) -> Self {
        self.serial = bytes.to_vec();
        self
    }

    /// The validity period.
    pub fn validity(mut self, not_before: UnixTime, not_after: UnixTime) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    /// The keyUsage bits, or `None` for no keyUsage extension.
    pub fn key_usage(mut self, usage: Option<KeyUsages>) -> Self {
        self.key_usage = usage;
        self
    }

    /// A pathLenConstraint (for a CA).
    pub fn path_len(mut self, limit: u8) -> Self {
        self.constraints = Constraints::Ca {
            path_len: Some(limit),
        };
        self
    }

    /// basicConstraints CA FALSE (for testing a non-CA used as issuer).
    pub fn not_ca(mut self) -> Self {
        self.constraints = Constraints::EndEntity;
        self
    }

    /// No basicConstraints extension at all.
    pub fn without_basic_constraints(mut self) -> Self {
        self.constraints = Constraints::Absent;
        self
    }

    /// How the SM2-with-SM3 signatureAlgorithm parameters are written (absent by default).
    pub fn signature_parameters(mut self, parameters: SignatureParameters) -> Self {
        self.parameters = parameters;
        self
    }

    /// Adds an extension with the dotted `oid` and the DER `value` (the extnValue content).
    pub fn extension(mut self, oid: &str, critical: bool, value: &[u8]) -> Self {
        self.extensions
            .push((oid.to_owned(), critical, value.to_vec()));
        self
    }

    /// Signs the certificate with its own key (a root): issuer = subject.
    pub fn self_signed(&self, key: &SigningKey) -> Result<Certificate, Error> {
        let subject = encode_name(&self.subject)?;
        self.sign(&subject, key.verifying_key().public_key(), &subject, key)
    }

    /// Issues the certificate for `subject_key`, signed by `issuer_key`, the key of `issuer`.
    pub fn issue(
        &self,
        subject_key: &PublicKey,
        issuer: &Certificate,
        issuer_key: &SigningKey,
    ) -> Result<Certificate, Error> {
        let subject = encode_name(&self.subject)?;
        self.sign(&subject, subject_key, issuer.subject_der(), issuer_key)
    }

    fn sign(
        &self,
        subject: &[u8],
        subject_key: &PublicKey,
        issuer: &[u8],
        issuer_key: &SigningKey,
    ) -> Result<Certificate, Error> {
        let algorithm = signature_algorithm(self.parameters);
        let tbs = tlv(
            0x30,
            &[
                tlv(0xa0, &[tlv(0x02, &[vec![2]])]),
                tlv(0x02, std::slice::from_ref(&self.serial)),
                algorithm.clone(),
                issuer.to_vec(),
                tlv(
                    0x30,
                    &[encode_time(self.not_before)?, encode_time(self.not_after)?],
                ),
                subject.to_vec(),
                subject_key.to_spki_der(),
                tlv(0xa3, &[tlv(0x30, &self.encode_extensions()?)]),
            ],
        );
        Certificate::from_der(&signed(tbs, algorithm, issuer_key, "certificate")?)
    }

    fn encode_extensions(&self) -> Result<Vec<Vec<u8>>, Error> {
        let mut out = Vec::new();
        match self.constraints {
            Constraints::Absent => {}
            Constraints::EndEntity => out.push(extension("2.5.29.19", true, &tlv(0x30, &[]))?),
            Constraints::Ca { path_len } => {
                let mut fields = vec![tlv(0x01, &[vec![0xff]])];
                if let Some(limit) = path_len {
                    fields.push(tlv(0x02, &[positive_integer(&[limit])]));
                }
                out.push(extension("2.5.29.19", true, &tlv(0x30, &fields))?);
            }
        }
        if let Some(usage) = self.key_usage {
            out.push(extension("2.5.29.15", true, &key_usage_bits(usage))?);
        }
        for (oid, critical, value) in &self.extensions {
            out.push(extension(oid, *critical, value)?);
        }
        Ok(out)
    }
}

/// Builds a v2 CRL signed with SM2-with-SM3.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, CrlBuilder, RevocationReason, UnixTime};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
///
/// let ca_key = SigningKey::new(SecretKey::from_bytes(&[7; 32])?, DistId::DEFAULT);
/// let ca = CertificateBuilder::ca("CN=CA", 1).self_signed(&ca_key)?;
/// let leaf_key = SecretKey::from_bytes(&[8; 32])?.public_key();
/// let leaf = CertificateBuilder::end_entity("CN=Leaf", 2).issue(&leaf_key, &ca, &ca_key)?;
/// let t = |s| UnixTime::since_unix_epoch(std::time::Duration::from_secs(s));
/// let crl = CrlBuilder::new(t(1_900_000_000), t(1_910_000_000))
///     .revoke(&leaf, t(1_899_000_000), Some(RevocationReason::KeyCompromise))
///     .sign(&ca, &ca_key)?;
/// assert_eq!(crl.entry_for(&leaf).map(|e| e.reason), Some(Some(RevocationReason::KeyCompromise)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CrlBuilder {
    this_update: UnixTime,
    next_update: UnixTime,
    revoked: Vec<(Vec<u8>, UnixTime, Option<RevocationReason>)>,
    parameters: SignatureParameters,
}

impl CrlBuilder {
    /// A CRL with thisUpdate and nextUpdate as given and no entries.
    pub fn new(this_update: UnixTime, next_update: UnixTime) -> Self {
        Self {
            this_update,
            next_update,
            revoked: Vec::new(),
            parameters: SignatureParameters::Absent,
        }
    }

    /// Lists `certificate`'s serial as revoked at `at`, with an optional reasonCode.
    pub fn revoke(
        mut self,
        certificate: &Certificate,
        at: UnixTime,
        reason: Option<RevocationReason>,
    ) -> Self {
        self.revoked
            .push((certificate.serial().to_vec(), at, reason));
        self
    }

    /// How the signatureAlgorithm parameters are written (absent by default).
    pub fn signature_parameters(mut self, parameters: SignatureParameters) -> Self {
        self.parameters = parameters;
        self
    }

    /// Signs the CRL as `issuer` with `issuer_key`.
    pub fn sign(&self, issuer: &Certificate, issuer_key: &SigningKey) -> Result<Crl, Error> {
        let algorithm = signature_algorithm(self.parameters);
        let mut entries = Vec::new();
        for (serial, at, reason) in &self.revoked {
            let mut fields = vec![tlv(0x02, std::slice::from_ref(serial)), encode_time(*at)?];
            if let Some(reason) = reason {
                let code = tlv(0x0a, &[vec![reason.code()]]);
                fields.push(tlv(0x30, &[extension("2.5.29.21", false, &code)?]));
            }
            entries.push(tlv(0x30, &fields));
        }
        let mut fields = vec![
            tlv(0x02, &[vec![1]]),
            algorithm.clone(),
            issuer.subject_der().to_vec(),
            encode_time(self.this_update)?,
            encode_time(self.next_update)?,
        ];
        if !entries.is_empty() {
            fields.push(tlv(0x30, &entries));
        }
        let crl_number = extension("2.5.29.20", false, &tlv(0x02, &[vec![1]]))?;
        fields.push(tlv(0xa0, &[tlv(0x30, &[crl_number])]));
        Crl::from_der(&signed(tlv(0x30, &fields), algorithm, issuer_key, "CRL")?)
    }
}

/// `SEQUENCE { tbs, algorithm, BIT STRING signature }` with an SM2 DER signature over `tbs`.
fn signed(
    tbs: Vec<u8>,
    algorithm: Vec<u8>,
    key: &SigningKey,
    what: &'static str,
) -> Result<Vec<u8>, Error> {
    let signature = key.sign_deterministic(&tbs).map_err(|e| Error::Build {
        what,
        reason: e.to_string(),
    })?;
    let bits = [vec![0], signature.to_der()].concat();
    Ok(tlv(0x30, &[tbs, algorithm, tlv(0x03, &[bits])]))
}

fn signature_algorithm(parameters: SignatureParameters) -> Vec<u8> {
    match parameters {
        SignatureParameters::Absent => tlv(0x30, &[SM2_WITH_SM3_OID.to_vec()]),
        SignatureParameters::Null => tlv(0x30, &[SM2_WITH_SM3_OID.to_vec(), vec![0x05, 0x00]]),
    }
}

/// One DER TLV with a one-byte tag and the concatenation of `parts` as content.
fn tlv(tag: u8, parts: &[Vec<u8>]) -> Vec<u8> {
    let content = parts.concat();
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len.to_be_bytes().last().copied().unwrap_or(0));
    } else {
        let bytes = len.to_be_bytes();
        let significant: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | significant.len().to_be_bytes().last().copied().unwrap_or(0));
        out.extend(significant);
    }
    out.extend(content);
    out
}

/// Minimal two's-complement content of the non-negative integer with big-endian `bytes`.
fn positive_integer(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    match trimmed.first() {
        None => vec![0],
        Some(first) if first & 0x80 != 0 => [vec![0], trimmed].concat(),
        Some(_) => trimmed,
    }
}

fn encode_time(time: UnixTime) -> Result<Vec<u8>, Error> {
    let duration = Duration::from_secs(time.as_secs());
    let encoded = if time.as_secs() < YEAR_2050 {
        der::asn1::UtcTime::from_unix_duration(duration).and_then(|t| t.to_der())
    } else {
        der::asn1::GeneralizedTime::from_unix_duration(duration).and_then(|t| t.to_der())
    };
    encoded.map_err(|e| Error::Build {
        what: "validity",
        reason: e.to_string(),
    })
}

fn oid_der(oid: &str) -> Result<Vec<u8>, Error> {
    ObjectIdentifier::new(oid)
        .map_err(|e| Error::Build {
            what: "object identifier",
            reason: format!("{oid}: {e}"),
        })?
        .to_der()
        .map_err(|e| Error::Build {
            what: "object identifier",
            reason: e.to_string(),
        })
}

fn extension(oid: &str, critical: bool, value: &[u8]) -> Result<Vec<u8>, Error> {
    let mut fields = vec![oid_der(oid)?];
    if critical {
        fields.push(tlv(0x01, &[vec![0xff]]));
    }
    fields.push(tlv(0x04, &[value.to_vec()]));
    Ok(tlv(0x30, &fields))
}

/// The keyUsage BIT STRING: bit 0 (digitalSignature) is the first byte's top bit; trailing
/// zero bits are dropped (DER named-bit-list rule).
fn key_usage_bits(usage: KeyUsages) -> Vec<u8> {
    let mask = usage.bits();
    let mut bytes = [0u8; 2];
    for bit in 0..9u16 {
        if mask & (1 << bit) != 0
            && let Some(byte) = bytes.get_mut(usize::from(bit / 8))
        {
            *byte |= 0x80 >> (bit % 8);
        }
    }
    let used = bytes
        .iter()
        .rposition(|b| *b != 0)
        .map_or(0, |last| last + 1);
    let content: Vec<u8> = bytes.iter().copied().take(used).collect();
    let unused = content.last().map_or(0, |last| last.trailing_zeros());
    let unused = u8::try_from(unused).unwrap_or(0);
    tlv(0x03, &[vec![unused], content])
}

/// The DER Name for `C=CN, O=…, CN=…`, one attribute per RDN, in the order given.
fn encode_name(text: &str) -> Result<Vec<u8>, Error> {
    let mut rdns = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, value) = part.split_once('=').ok_or_else(|| Error::Build {
            what: "name",
            reason: format!("{part:?} is not TYPE=value"),
        })?;
        let (oid, tag) = match kind.trim() {
            "C" => ("2.5.4.6", 0x13),
            "ST" => ("2.5.4.8", 0x0c),
            "L" => ("2.5.4.7", 0x0c),
            "O" => ("2.5.4.10", 0x0c),
            "OU" => ("2.5.4.11", 0x0c),
            "CN" => ("2.5.4.3", 0x0c),
            "serialNumber" => ("2.5.4.5", 0x13),
            "emailAddress" => ("1.2.840.113549.1.9.1", 0x16),
            "UID" => ("0.9.2342.19200300.100.1.1", 0x0c),
            "DC" => ("0.9.2342.19200300.100.1.25", 0x16),
            other => {
                return Err(Error::Build {
                    what: "name",
                    reason: format!("unknown attribute type {other}"),
                });
            }
        };
        let atv = tlv(
            0x30,
            &[oid_der(oid)?, tlv(tag, &[value.trim().as_bytes().to_vec()])],
        );
        rdns.push(tlv(0x31, &[atv]));
    }
    Ok(tlv(0x30, &rdns))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// X.690 §8.1.3: short form below 128, then 0x81 and 0x82 long forms.
    #[test]
    fn tlv_length_forms() {
        assert_eq!(tlv(0x04, &[vec![0; 3]])[..2], [0x04, 3]);
        assert_eq!(tlv(0x04, &[vec![0; 127]])[..2], [0x04, 127]);
        assert_eq!(tlv(0x04, &[vec![0; 128]])[..3], [0x04, 0x81, 128]);
        assert_eq!(tlv(0x04, &[vec![0; 300]])[..4], [0x04, 0x82, 0x01, 0x2c]);
    }

    /// RFC 5280 §4.2.1.3 named bits, as OpenSSL writes them (interop leaf-good: `03 02 06 c0`).
    #[test]
    fn key_usage_bit_strings() {
        let signing = KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION);
        assert_eq!(key_usage_bits(signing), [0x03, 0x02, 0x06, 0xc0]);
        assert_eq!(
            key_usage_bits(KeyUsages::DIGITAL_SIGNATURE),
            [0x03, 0x02, 0x07, 0x80]
        );
        let ca = KeyUsages::KEY_CERT_SIGN.union(KeyUsages::CRL_SIGN);
        assert_eq!(key_usage_bits(ca), [0x03, 0x02, 0x01, 0x06]);
        assert_eq!(
            key_usage_bits(KeyUsages::DECIPHER_ONLY),
            [0x03, 0x03, 0x07, 0x00, 0x80]
        );
        assert_eq!(key_usage_bits(KeyUsages::NONE), [0x03, 0x01, 0x00]);
    }

    #[test]
    fn positive_integers_are_minimal() {
        assert_eq!(positive_integer(&[0, 0, 5]), [5]);
        assert_eq!(positive_integer(&[0x80]), [0, 0x80]);
        assert_eq!(positive_integer(&[0, 0]), [0]);
    }
}
