//! The object identifiers of SignedData with SM2, in the two sets seen in the wild.

use der::asn1::ObjectIdentifier as Oid;

/// PKCS#7 `data` (RFC 5652 §4).
pub(super) const PKCS7_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// PKCS#7 `signedData` (RFC 5652 §5).
pub(super) const PKCS7_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// GM/T 0010 `data`.
pub(super) const GM_DATA: Oid = Oid::new_unwrap("1.2.156.10197.6.1.4.2.1");
/// GM/T 0010 `signedData`.
pub(super) const GM_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.156.10197.6.1.4.2.2");
/// SM3 (GM/T 0006).
pub(super) const SM3: Oid = Oid::new_unwrap("1.2.156.10197.1.401");
/// SM2 signature (`sm2-1`, GM/T 0006), the GM/T 0010 signature algorithm.
pub(super) const SM2_SIGN: Oid = Oid::new_unwrap("1.2.156.10197.1.301.1");
/// SM2-with-SM3 (GM/T 0006).
pub(super) const SM2_WITH_SM3: Oid = Oid::new_unwrap("1.2.156.10197.1.501");
/// content-type attribute (RFC 5652 §11.1).
pub(super) const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// message-digest attribute (RFC 5652 §11.2).
pub(super) const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// signing-time attribute (RFC 5652 §11.3).
pub(super) const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");

/// Which object identifiers a SignedData is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CmsOids {
    /// GM/T 0010: `signedData` 1.2.156.10197.6.1.4.2.2, `data` 1.2.156.10197.6.1.4.2.1, and
    /// the signature algorithm SM2 1.2.156.10197.1.301.1 (as real OFD e-signatures have it).
    GmT0010,
    /// PKCS#7 / RFC 5652: `signedData` 1.2.840.113549.1.7.2, `data` 1.2.840.113549.1.7.1, and
    /// the signature algorithm SM2-with-SM3 1.2.156.10197.1.501.
    Pkcs7,
}

impl CmsOids {
    /// The set a SignedData content type belongs to.
    pub(super) fn of_signed_data(oid: Oid) -> Option<Self> {
        match oid {
            GM_SIGNED_DATA => Some(Self::GmT0010),
            PKCS7_SIGNED_DATA => Some(Self::Pkcs7),
            _ => None,
        }
    }

    pub(super) fn signed_data(self) -> Oid {
        match self {
            Self::GmT0010 => GM_SIGNED_DATA,
            Self::Pkcs7 => PKCS7_SIGNED_DATA,
        }
    }

    pub(super) fn data(self) -> Oid {
        match self {
            Self::GmT0010 => GM_DATA,
            Self::Pkcs7 => PKCS7_DATA,
        }
    }

    pub(super) fn signature_algorithm(self) -> Oid {
        match self {
            Self::GmT0010 => SM2_SIGN,
            Self::Pkcs7 => SM2_WITH_SM3,
        }
    }
}

/// Whether `a` and `b` are the PKCS#7 and GM/T 0010 `data` types (in either order).
pub(super) fn is_data_pair(a: Oid, b: Oid) -> bool {
    (a == PKCS7_DATA && b == GM_DATA) || (a == GM_DATA && b == PKCS7_DATA)
}
