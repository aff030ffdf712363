//! Trusted time: RFC 3161 time-stamp tokens (GB/T 20520 profile) with SM2/SM3, RSA and ECDSA.
//!
//! | what | items |
//! | --- | --- |
//! | ask an external TSA (bytes out) | [`TimeStampRequest::builder`] → [`TimeStampRequest::der`] |
//! | read its answer (bytes in) | [`TimeStampResponse::from_der`] → [`Status`], [`FailureInfo`], [`TimeStampToken`] |
//! | verify a token | [`verify_token`], [`TimeStampToken::verify`], [`VerifyOptions`] → [`VerifiedTimestamp`] or [`Error`] |
//! | be a TSA (tests, demo, in-house) | [`LocalTsa`] with an SM2 [`Signer`](crate::sm2::Signer) |
//!
//! A token is a CMS SignedData ([`pki::SignedData`](crate::pki::SignedData)) whose content is
//! a [`TstInfo`]: the TSA's policy, the message imprint (SM3 or SHA-256/384/512 of the data),
//! a serial number, genTime (with fractions of a second and an [`Accuracy`]), the request's
//! nonce. Verification reuses the pki module throughout: CMS signer verification (SM2 with
//! SM3 by default, RSA PKCS#1 v1.5 and ECDSA with SHA-2 through *ring*), the ESS
//! signingCertificate(V2) binding of the TSA certificate (RFC 3161 §2.4.1, RFC 5816), the
//! timeStamping extendedKeyUsage — present, critical, alone (RFC 3161 §2.3) — and
//! [`verify_path`](crate::pki::verify_path) **at genTime**: a TSA certificate that expired
//! before the stamped time fails ([`Error::TsaCertificateExpired`]); one that expired after it
//! does not, which is what makes a token long-lived evidence.
//!
//! Interoperability with `openssl ts` (OpenSSL 3.0), tested by running it: tokens that
//! OpenSSL's TSA makes (ECDSA and RSA keys; SHA-256 and SM3 imprints) verify here, and
//! requests made here are answered by `openssl ts -reply`. OpenSSL 3.0 cannot make SM2 tokens
//! (its PKCS#7 layer refuses SM2 keys: "signing not supported for this key type"), and it
//! checks an SM2 token's signature as e = SM3(signed attributes) **without Z** (no SM2 ID),
//! so a GM/T 0010 token fails `openssl ts -verify`; a [`LocalTsa`] switched to
//! [`LocalTsa::sm2_without_z_for_openssl_interop_only`] makes tokens it accepts (verified
//! here only with [`VerifyOptions::sm2_without_z_for_openssl_interop_only`]). Its SM2
//! certificate signatures use the empty ID ([`DistId::EMPTY`](crate::sm2::DistId::EMPTY)).
//!
//! # One call for a seal or a ledger checkpoint
//!
//! A seal (GB/T 38540 v4 `timeStamp`) stamps its signature value; a ledger checkpoint stamps
//! its signed note (see [`Ledger::stamp_checkpoint`](crate::trace::Ledger::stamp_checkpoint)).
//! Either side makes the token with [`LocalTsa::stamp`] (or sends [`TimeStampRequest`] bytes
//! to an external TSA) and verifies it with [`verify_token`]; the verified genTime is then
//! the time at which to check the signer's certificates, or at which the checkpoint existed.
//!
//! ```
//! use smtrust::pki::{CertificateBuilder, DigestAlgorithm, UnixTime};
//! use smtrust::sm2::{DistId, SecretKey, SigningKey};
//! use smtrust::tsp::{self, LocalTsa, VerifyOptions};
//!
//! // A TSA under a root (made at run time here; a real one comes from the CA).
//! let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32])?, DistId::DEFAULT);
//! let root = CertificateBuilder::ca("C=CN, CN=Time Root", 1).self_signed(&root_key)?;
//! let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32])?, DistId::DEFAULT);
//! let tsa_cert = LocalTsa::certificate_builder("C=CN, CN=In-house TSA", 2)
//!     .issue(tsa_key.verifying_key().public_key(), &root, &root_key)?;
//! let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1")?;
//!
//! // The seal's signature value (or the checkpoint's signed note) is what gets stamped.
//! let signature_value = b"...64 bytes of SM2 signature...";
//! let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_900_000_000));
//! let token = tsa.stamp(DigestAlgorithm::Sm3, signature_value, at)?;
//!
//! // Later, by the verifier: one call.
//! let verified = tsp::verify_token(token.der(), signature_value, &VerifyOptions::new(vec![root]))?;
//! assert_eq!(verified.gen_time(), at);
//! assert_eq!(verified.tsa_certificate().subject(), "C=CN, CN=In-house TSA");
//!
//! // Another value does not match the stamped imprint.
//! let err = tsp::verify_token(token.der(), b"other", &VerifyOptions::new(Vec::new())).unwrap_err();
//! assert!(matches!(err, tsp::Error::ImprintMismatch { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Time is an input everywhere: [`LocalTsa`] is given the time; nothing reads the clock.
//! Limits: [`MAX_TOKEN_LEN`], [`MAX_REQUEST_LEN`], and those of
//! [`pki::SignedData`](crate::pki::SignedData).

mod asn1;
mod error;
mod local_tsa;
mod request;
mod response;
mod time;
mod token;
mod tst_info;
mod verify;

pub use crate::pki::DigestAlgorithm;
pub use error::Error;
pub use local_tsa::LocalTsa;
pub use request::{RequestBuilder, TimeStampRequest};
pub use response::{FailureInfo, Status, TimeStampResponse};
pub use token::TimeStampToken;
pub use tst_info::{Accuracy, TstInfo};
pub use verify::{VerifiedTimestamp, VerifyOptions, verify_token};

/// The largest token or response accepted, in bytes: a token is 1–8 KiB with its TSA's
/// certificates; 256 KiB bounds the work a hostile input can cause.
pub const MAX_TOKEN_LEN: usize = 256 * 1024;
/// The largest request accepted, in bytes (a request is about 60–100 bytes).
pub const MAX_REQUEST_LEN: usize = 16 * 1024;

/// id-ct-TSTInfo (RFC 3161 §2.4.2).
const TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
/// id-aa-signingCertificate (RFC 2634 §5.4).
const SIGNING_CERTIFICATE: &str = "1.2.840.113549.1.9.16.2.12";
/// id-aa-signingCertificateV2 (RFC 5035 §3).
const SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";

/// `Error::Malformed` for `what`.
fn malformed(what: &'static str, reason: String) -> Error {
    Error::Malformed { what, reason }
}

/// `time` as `YYYY-MM-DDTHH:MM:SSZ`, or seconds since the epoch beyond year 9999.
fn display(time: rustls_pki_types::UnixTime) -> String {
    let seconds = time.as_secs();
    match der::DateTime::from_unix_duration(core::time::Duration::from_secs(seconds)) {
        Ok(date) => date.to_string(),
        Err(_) => format!("{seconds} s after 1970-01-01T00:00:00Z"),
    }
}
