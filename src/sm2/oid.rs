//! Object identifiers of SM2 keys and of the algorithms that protect them.

use der::asn1::ObjectIdentifier;

/// id-ecPublicKey (RFC 5480 §2.1.1).
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// sm2p256v1, the SM2 curve (GM/T 0006 / GB/T 33560).
pub(crate) const SM2_CURVE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.301");
/// PBES2 (RFC 8018 §A.4).
pub(crate) const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
/// PBKDF2 (RFC 8018 §A.2).
pub(crate) const PBKDF2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
/// hmacWithSHA1 (RFC 8018 §B.1.1), PBKDF2's default PRF.
pub(crate) const HMAC_WITH_SHA1: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.2.7");
/// hmacWithSHA256 (RFC 8018 §B.1.2), what OpenSSL 3 writes.
pub(crate) const HMAC_WITH_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
/// hmacWithSM3 (GM/T 0006), what GmSSL writes.
pub(crate) const HMAC_WITH_SM3: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.156.10197.1.401.2");
/// aes128-CBC-PAD (RFC 8018 §B.2.5).
pub(crate) const AES_128_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.2");
/// aes256-CBC-PAD (RFC 8018 §B.2.5).
pub(crate) const AES_256_CBC: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.42");
/// SM4-CBC (GM/T 0006).
pub(crate) const SM4_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.104.2");
