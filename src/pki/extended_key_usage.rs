//! The extendedKeyUsage extension of a certificate (RFC 5280 §4.2.1.12), as a caller that
//! requires a purpose reads it: an RFC 3161 time-stamping authority, for one.

use der::Decode;
use x509_cert::certificate::CertificateInner;

use super::certificate::Lenient;
use super::{Certificate, Error};

/// id-kp-timeStamping (RFC 5280 §4.2.1.12), the purpose an RFC 3161 TSA certificate carries.
pub const ID_KP_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";

/// A certificate's extendedKeyUsage extension: whether it is critical, and its purposes.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, ID_KP_TIME_STAMPING};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
///
/// let key = SigningKey::new(SecretKey::from_bytes(&[5; 32])?, DistId::DEFAULT);
/// // SEQUENCE { OID 1.3.6.1.5.5.7.3.8 }, critical (RFC 3161 §2.3)
/// let eku = [0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08];
/// let tsa = CertificateBuilder::end_entity("CN=TSA", 3)
///     .extension("2.5.29.37", true, &eku)
///     .self_signed(&key)?;
/// let usage = tsa.extended_key_usage()?.expect("the extension is present");
/// assert!(usage.is_critical());
/// assert_eq!(usage.purposes(), [ID_KP_TIME_STAMPING]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedKeyUsage {
    critical: bool,
    purposes: Vec<String>,
}

impl ExtendedKeyUsage {
    /// Whether the extension is marked critical.
    pub fn is_critical(&self) -> bool {
        self.critical
    }

    /// The KeyPurposeIds, dotted, in the order of the certificate.
    pub fn purposes(&self) -> &[String] {
        &self.purposes
    }

    /// Whether `purpose` (dotted) is among them.
    pub fn contains(&self, purpose: &str) -> bool {
        self.purposes.iter().any(|p| p == purpose)
    }
}

impl Certificate {
    /// The extendedKeyUsage extension, or `None` if the certificate has none.
    ///
    /// Errors: [`Error::InvalidExtension`] if it appears twice or does not decode.
    pub fn extended_key_usage(&self) -> Result<Option<ExtendedKeyUsage>, Error> {
        let invalid = |reason: String| Error::InvalidExtension {
            subject: self.subject().to_owned(),
            reason: format!("extendedKeyUsage: {reason}"),
        };
        // Invariant: the DER parsed with this profile when the certificate was made.
        let parsed = CertificateInner::<Lenient>::from_der(self.der())
            .map_err(|e| invalid(e.to_string()))?;
        let found = parsed
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::ExtendedKeyUsage>()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(found.map(|(critical, usage)| ExtendedKeyUsage {
            critical,
            purposes: usage.0.iter().map(ToString::to_string).collect(),
        }))
    }
}
