//! Electronic seals (电子印章): GB/T 38540-2020 ("v4"), GM/T 0031-2014 ("v1") and
//! GM/T 0031-2025 ("v5") seals and seal signatures.
//!
//! Verification returns a [`Report`]: one [`Check`] per step of SEAL-SPEC §2.3 with
//! pass / fail / not checked and the reason, the tolerated deviations as [`Warning`]s with
//! their D-number, and a [`Verdict`].

mod error;
mod report;

pub use error::Error;
pub use report::{Check, CheckName, Deviation, Report, Status, Verdict, Warning};
