//! SM2 public-key cryptography (GB/T 32918-2016): keys, signatures with any distinguishing ID,
//! encryption, and every wire format that real peers use.
//!
//! | what | types | encodings |
//! | --- | --- | --- |
//! | keys | [`SecretKey`], [`PublicKey`] | SEC1, PKCS#8, encrypted PKCS#8 (PBES2: AES or SM4-CBC), SPKI, compressed points, PEM (incl. OpenSSL's `SM2 PRIVATE KEY`) |
//! | signatures | [`SigningKey`], [`VerifyingKey`], [`Signature`], [`DistId`] | DER and raw r‖s |
//! | encryption | [`PublicKey::encrypt`], [`SecretKey::decrypt`], [`Ciphertext`] | [`CiphertextFormat`]: GM/T 0009 DER, C1C3C2, C1C2C3, with or without `04` |
//! | unknown blobs | [`diagnose`] | says what a blob most likely is |
//!
//! Every signing and verifying key is bound to a [`DistId`] when it is made, so no signature is
//! ever computed with a guessed ID.
//!
//! ```
//! use smtrust::sm2::{DistId, SecretKey, Signature, SigningKey};
//!
//! let secret = SecretKey::generate(&mut getrandom::SysRng)?;
//! let signer = SigningKey::new(secret, DistId::DEFAULT);
//! let der = signer.sign(&mut getrandom::SysRng, b"business serial 2026-0001")?.to_der();
//!
//! let signature = Signature::from_der(&der)?;
//! signer.verifying_key().verify(b"business serial 2026-0001", &signature)?;
//! # Ok::<(), smtrust::sm2::Error>(())
//! ```

mod arith;
mod curve;
mod diagnose;
mod distid;
mod encryption;
mod error;
mod key_encoding;
mod nonce;
mod oid;
mod pbes2;
mod public_key;
mod second_use;
mod secret_key;
mod signature;
mod signer;
mod signing;

pub use diagnose::{
    Finding, Hints, PrivateKeyFormat, PublicKeyFormat, SignatureEncoding, diagnose,
};
pub use distid::{DistId, MAX_DIST_ID_LEN};
pub use encryption::{Ciphertext, CiphertextFormat, EncryptingKey};
pub use error::Error;
pub use key_encoding::OPENSSL_SM2_SEC1_LABEL;
pub use pbes2::{KeyCipher, KeyProtection, MAX_PBKDF2_ITERATIONS, Pbes2Limits, Pbkdf2Prf};
pub use public_key::PublicKey;
pub use secret_key::SecretKey;
pub use signature::Signature;
pub use signer::Signer;
pub use signing::{SigningKey, VerifyingKey};
