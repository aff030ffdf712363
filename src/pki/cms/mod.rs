//! CMS SignedData with SM2 and SM3 (RFC 5652 §5; GM/T 0010 for the SM2 profile): the
//! e-signatures of OFD `Type="Sign"` signatures and of business systems.
//!
//! - [`SignedData::from_der`] parses a ContentInfo with either OID set ([`CmsOids`]), keeping
//!   the DER; [`SignedData::verify`] checks every signer and returns a
//!   [`VerifiedSignedData`] naming the signer certificate, the content, the signing time and
//!   the [`CmsWarning`]s; [`CmsVerifyOptions::verify_path`] adds path validation.
//! - [`CmsSigner`] signs through [`&dyn Signer`](crate::sm2::Signer): attached or detached
//!   ([`Encapsulation`]), with or without signed attributes, GM/T 0010 or PKCS#7 OIDs.
//!
//! The signature covers the original DER of the signed attributes with the `[0]` tag
//! replaced by the SET tag (RFC 5652 §5.4), or the content itself without signed attributes.
//! Digest: SM3 (1.2.156.10197.1.401); signature: SM2 (1.2.156.10197.1.301.1) or SM2-with-SM3
//! (1.2.156.10197.1.501), DER `SEQUENCE { r, s }`, or 64 raw bytes r‖s with a warning.
//!
//! **The SM2 ID.** e = SM3(Z ‖ M) with Z from an SM2 ID that CMS does not carry. Real OFD
//! e-signatures (gomain, oesplugin) use `1234567812345678`, the default of
//! [`CmsVerifyOptions`]; with the empty ID they fail. OpenSSL 3.0 has no option to set an ID
//! for CMS and uses the empty ID ([`DistId::EMPTY`](crate::sm2::DistId::EMPTY)): to be
//! verified by `openssl cms -verify`, sign with a key bound to the empty ID, use PKCS#7 OIDs
//! (OpenSSL does not know the GM/T 0010 content types) and keep signed attributes (without
//! them OpenSSL 3.0 verifies SM3(content) as e, leaving Z out: a signature made that way passes
//! `openssl cms -verify`, checked once by hand). OpenSSL 3.0 cannot make SM2
//! SignedData at all (`openssl cms -sign` fails with "illegal zero content").
//!
//! [`CmsVerifyOptions::allow_rsa_and_ecdsa`] also accepts SHA-256/384/512 digests with RSA
//! PKCS#1 v1.5 or ECDSA signers (checked through *ring*), as international RFC 3161 TSAs
//! write them; [`CmsVerifyOptions::certificates`] supplies signer certificates the SignedData
//! lacks, and [`VerifiedSigner::signed_attribute`] hands out the other signed attributes
//! (e.g. ESS signingCertificate). [`CmsSigner::content_type`] and
//! [`CmsSigner::signed_attribute`] make SignedData over other content types (e.g. TSTInfo).
//!
//! Deviations seen in real files and tolerated with a warning: a raw r‖s signature
//! (oesplugin), no signed attributes (oesplugin), and a content-type attribute of GM/T `data`
//! over an eContentType of PKCS#7 `data` (gomain). Limits: [`MAX_CMS_LEN`],
//! [`MAX_CMS_CERTIFICATES`], [`MAX_CMS_SIGNERS`], [`MAX_SIGNED_ATTRIBUTES`]; DER only (no BER
//! indefinite lengths).
//!
//! The `cms` crate (0.3.0-rc.0 resolves with der 0.8) is not used: it decodes certificates
//! with x509-cert's strict RFC 5280 profile, which rejects the long serial numbers real GM
//! CAs issue, and it holds signed attributes in a sorted `SetOfVec` rather than their original
//! bytes, while the real gomain e-signatures list them out of DER SET OF order
//! (message-digest before signing-time), so only the original bytes verify.

mod asn1;
mod digest;
mod error;
mod oid;
mod sign;
mod signed_data;
mod verify;

pub use digest::DigestAlgorithm;
pub use error::CmsError;
pub use oid::CmsOids;
pub use sign::{CmsSigner, Encapsulation};
pub use signed_data::{
    MAX_CMS_CERTIFICATES, MAX_CMS_LEN, MAX_CMS_SIGNERS, MAX_SIGNED_ATTRIBUTES, SignedData,
};
pub use verify::{CmsVerifyOptions, CmsWarning, VerifiedSignedData, VerifiedSigner};
