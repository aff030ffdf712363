//! # smtrust
//!
//! The Chinese commercial cryptography suite (国密 SM2, SM3, SM4) and the trust services of
//! business registration (企业登记) built on it.
//!
//! | module | what it gives |
//! | --- | --- |
//! | [`sm3`] | SM3 hashing (GB/T 32905), HMAC-SM3, the SM2 key-derivation function, PBKDF2-HMAC-SM3 |
//! | [`trace`] | the ledger's Merkle log (RFC 9162 hashing with SM3 or SHA-256), inclusion and consistency proofs |
//!
//! Every operation that needs randomness takes it as a parameter; nothing here reads the
//! clock. Secrets are zeroized on drop and never printed.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod sm3;
pub mod trace;
