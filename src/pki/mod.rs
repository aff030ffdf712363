//! X.509 certificates, CRLs and certification path validation for SM2 (and RSA/ECDSA) PKIs.
//!
//! | what | items |
//! | --- | --- |
//! | parse, keeping the original DER | [`Certificate`], [`Crl`] |
//! | validate a path (RFC 5280 §6) | [`verify_path`], [`VerifyOptions`] → [`VerifiedPath`] or [`Error`] |
//! | SM2-with-SM3 for rustls-webpki | [`Sm2WithSm3`], [`SM2_WITH_SM3`] and the other statics |
//! | key usage | [`KeyUsages`], [`RequiredUsage`], [`ExtendedKeyUsage`] |
//! | CMS SignedData with SM2 (e-signatures) | [`SignedData`], [`CmsSigner`], [`CmsVerifyOptions`] → [`VerifiedSignedData`] or [`CmsError`] |
//! | test PKIs | [`CertificateBuilder`], [`CrlBuilder`] |
//!
//! Path building and the RFC 5280 rules are rustls-webpki's; this module adds SM2-with-SM3
//! (with the SM2 ID as an explicit option: `1234567812345678` by default per GM/T 0015,
//! [`DistId::EMPTY`](crate::sm2::DistId::EMPTY) for OpenSSL 3 certificates made without a
//! distid), the checks webpki leaves to its caller (the end entity's keyUsage, keyCertSign on
//! issuing CAs), and errors that name the certificate and the facts.
//!
//! Where real GM certificates differ from what webpki accepts:
//! - NULL parameters in the SM2-with-SM3 AlgorithmIdentifier (SEAL-SPEC D1): a second
//!   algorithm value per ID ([`SignatureParameters::Null`]); both are always offered.
//! - UTF-8 bytes in an IA5String e-mail address (D2): neither webpki nor x509-cert validates
//!   DN string contents, so these parse and verify; names are displayed leniently.
//! - Negative serials and serials longer than 20 octets: webpki reads them leniently; our
//!   parser uses a profile that accepts any length.
//! - A root without keyCertSign (D16): rejected with [`Error::CaLacksKeyCertSign`], unless the
//!   caller opts in with
//!   [`VerifyOptions::accept_root_without_key_cert_sign_for_legacy_use_only`].
//! - webpki rejects a CA certificate used as the end entity (`CaUsedAsEndEntity`, RFC 5280
//!   §4.2.1.9) and has no notion of a directly trusted end entity: a seal maker that is its own
//!   CA (D10) is reported as [`Error::InvalidCa`] at depth 0. This is the one webpki rule a
//!   real GM certificate meets; it is left in force (a seal verifier that trusts such a
//!   certificate directly must say so itself).
//!
//! No webpki rule had to be bypassed for the interop hierarchies (both SM2 IDs) or for the
//! ofdrw certificates.
//!
//! Time is always an input ([`UnixTime`]); nothing here reads the clock.
//!
//! ```
//! use smtrust::pki::{CertificateBuilder, RequiredUsage, UnixTime, VerifyOptions, verify_path};
//! use smtrust::sm2::{DistId, SecretKey, SigningKey};
//!
//! // A root and a signer certificate, made at run time (SM2 ID 1234567812345678).
//! let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32])?, DistId::DEFAULT);
//! let root = CertificateBuilder::ca("C=CN, O=Demo, CN=Demo Root", 1).self_signed(&root_key)?;
//! let applicant = SecretKey::from_bytes(&[2; 32])?.public_key();
//! let leaf = CertificateBuilder::end_entity("C=CN, O=Demo, CN=Applicant", 2)
//!     .issue(&applicant, &root, &root_key)?;
//!
//! let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_900_000_000));
//! let options = VerifyOptions::new(at).require(RequiredUsage::SIGNING);
//! let path = verify_path(&leaf, &[], &[root], &options)?;
//! assert_eq!(path.certificates().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod algorithm;
mod builder;
mod certificate;
mod cms;
mod crl;
pub(crate) mod der_walk;
mod error;
mod explain;
mod extended_key_usage;
mod key_usage;
mod map;
mod name;
mod options;
mod time;
mod verify;

pub use algorithm::{
    SM2_WITH_SM3, SM2_WITH_SM3_EMPTY_ID, SM2_WITH_SM3_EMPTY_ID_NULL_PARAMS,
    SM2_WITH_SM3_NULL_PARAMS, SignatureParameters, Sm2WithSm3,
};
pub use builder::{CertificateBuilder, CrlBuilder};
pub use certificate::{Certificate, MAX_CERTIFICATE_LEN};
pub use cms::{
    CmsError, CmsOids, CmsSigner, CmsVerifyOptions, CmsWarning, DigestAlgorithm, Encapsulation,
    MAX_CMS_CERTIFICATES, MAX_CMS_LEN, MAX_CMS_SIGNERS, MAX_SIGNED_ATTRIBUTES, SignedData,
    VerifiedSignedData, VerifiedSigner,
};
pub use crl::{Crl, MAX_CRL_LEN, RevokedEntry};
pub use error::{Error, RevocationReason};
pub use extended_key_usage::{ExtendedKeyUsage, ID_KP_TIME_STAMPING};
pub use key_usage::{KeyUsages, RequiredUsage};
pub use options::{RevocationDepth, UnknownStatus, VerifyOptions};
pub use rustls_pki_types::UnixTime;
pub use verify::{MAX_CRLS, MAX_INTERMEDIATES, MAX_TRUST_ANCHORS, VerifiedPath, verify_path};
