//! Electronic seals (电子印章): GB/T 38540-2020 ("v4"), GM/T 0031-2014 ("v1") and
//! GM/T 0031-2025 ("v5") seals and seal signatures.
//!
//! Verification returns a [`Report`]: one [`Check`] per step of SEAL-SPEC §2.3 with
//! pass / fail / not checked and the reason, the tolerated deviations as [`Warning`]s with
//! their D-number, and a [`Verdict`].

mod der;
mod error;
mod eseal;
mod make;
mod picture;
mod report;
mod sign;
mod signature;
mod time;
mod timestamp;
mod verify;

pub use error::Error;
pub use eseal::{
    CertDigest, CertList, Extension, MAX_LIST_ENTRIES, MAX_SEAL_LEN, Seal, SealVersion,
};
pub use make::SealBuilder;
pub use picture::{Picture, PictureFormat};
pub use report::{Check, CheckName, Deviation, Report, Status, Verdict, Warning};
pub use sign::SignatureBuilder;
pub use signature::{SealSignature, TimeInfo};
pub use verify::{SM2_WITH_SM3_OID, VerifyOptions, verify_der};
