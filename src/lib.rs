//! # smtrust
//!
//! The Chinese commercial cryptography suite (国密 SM2, SM3, SM4) and the trust services of
//! business registration (企业登记) built on it.
//!
//! | module | what it gives |
//! | --- | --- |
//! | [`ofd`] | OFD documents (GB/T 33190): read a package within zip-bomb limits, find its signatures, verify each (references, seal or CMS signature) with a report |
//! | [`pki`] | X.509 certificates and CRLs, SM2 (and RSA/ECDSA) path validation with rustls-webpki, CMS SignedData with SM2 (e-signatures), a test-PKI builder |
//! | [`seal`] | electronic seals: GB/T 38540 v4, GM/T 0031 v1 and v5 seals and seal signatures; make, sign, verify with a report of every check |
//! | [`sm2`] | SM2 keys, signatures and encryption (GB/T 32918) in every wire format peers use |
//! | [`sm3`] | SM3 hashing (GB/T 32905), HMAC-SM3, the SM2 key-derivation function, PBKDF2-HMAC-SM3 |
//! | [`sm4`] | the SM4 block cipher (GB/T 32907) and its modes: ECB, CBC, CFB, OFB, CTR, GCM, CCM |
//! | `ffi` | the C ABI (feature `ffi`): opaque handles, status codes, a thread-local last error; header `include/smtrust.h` |
//! | [`realname`] | identifier checks (resident ID, credit code, mobile, bank card), masking, SM2-signed verification records with sealed personal data, verification policies |
//! | [`tsp`] | trusted time: RFC 3161 / GB/T 20520 time-stamp requests, responses and tokens (SM2/SM3, RSA, ECDSA), verification against TSA trust anchors at the stamped time, a local SM2 TSA |
//! | [`trace`] | the ledger keyed by business serial: Merkle log (RFC 9162, SM3), SM2-signed checkpoints, DER entries, role-checked retrieval, evidence bundles, SQLite store |
//!
//! Every operation that needs randomness takes it as a parameter; nothing here reads the
//! clock. Secrets are zeroized on drop and never printed.
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[cfg(feature = "ffi")]
#[allow(unsafe_code)]
pub mod ffi;
pub mod ofd;
pub mod pki;
pub mod realname;
pub mod seal;
pub mod sm2;
pub mod sm3;
pub mod sm4;
pub mod trace;
pub mod tsp;

/// The examples of README.md, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
