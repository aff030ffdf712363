//! The seal module's error type.

/// Why a seal or seal signature could not be read, made or signed.
///
/// Verification does not return this type for a bad signature or an untrusted certificate:
/// those are lines of a [`Report`](super::Report). It is returned when the input cannot be
/// read at all, or when making or signing cannot proceed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not the named structure (truncated, wrong tag, bad length, wrong number of
    /// elements, trailing bytes).
    #[error("the {what} is malformed: {reason}")]
    Malformed {
        /// What was being read: "seal", "seal signature", "SES_SealInfo" …
        what: &'static str,
        /// What the decoder rejected.
        reason: String,
    },
    /// An input larger than this module accepts.
    #[error("the {what} is {len} bytes long; at most {limit} bytes are accepted")]
    TooLarge {
        /// What was being read.
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A value given to the seal maker or signer cannot be written (an invalid OID, a date
    /// outside what the field's time type can hold, …).
    #[error("the {what} cannot be written: {reason}")]
    InvalidInput {
        /// Which value.
        what: &'static str,
        /// Why.
        reason: String,
    },
}
