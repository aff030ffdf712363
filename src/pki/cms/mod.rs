//! CMS SignedData with SM2 and SM3 (RFC 5652 §5; GM/T 0010 for the SM2 profile).

mod asn1;
mod error;
mod oid;
mod sign;
mod signed_data;
mod verify;

pub use error::CmsError;
pub use oid::CmsOids;
pub use sign::{CmsSigner, Encapsulation};
pub use signed_data::{
    MAX_CMS_CERTIFICATES, MAX_CMS_LEN, MAX_CMS_SIGNERS, MAX_SIGNED_ATTRIBUTES, SignedData,
};
pub use verify::{CmsVerifyOptions, CmsWarning, VerifiedSignedData, VerifiedSigner};
