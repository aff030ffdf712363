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
    /// The key given to make or sign does not belong to the certificate given with it.
    #[error("the {role} key does not match the {role} certificate ({subject})")]
    KeyMismatch {
        /// "seal maker" or "signer".
        role: &'static str,
        /// The certificate's subject.
        subject: String,
    },
    /// The certificate given to sign with is not in the seal's certificate list, so the seal
    /// does not allow it (GB/T 38540 §7.2: the signer must be listed).
    #[error("the signer certificate ({subject}) is not in the certificate list of seal {es_id:?}")]
    SignerNotListed {
        /// The signer certificate's subject.
        subject: String,
        /// The seal's esID.
        es_id: String,
    },
    /// A certificate given to make or sign with has no SM2 public key, or is not a
    /// certificate.
    #[error("the {role} certificate cannot be used: {source}")]
    Certificate {
        /// "seal maker", "signer" …
        role: &'static str,
        /// What the certificate module reported.
        source: crate::pki::Error,
    },
    /// The signer (an in-process key or a cipher machine) failed to sign.
    #[error("the {role} could not sign: {source}")]
    Sign {
        /// "seal maker" or "signer".
        role: &'static str,
        /// What the SM2 module reported.
        source: crate::sm2::Error,
    },
    /// The timestamp over the signature value could not be had: the stamper failed, or what
    /// it returned is not a TimeStampToken.
    #[error("the signature could not be timestamped: {source}")]
    Timestamp {
        /// What the timestamp module reported.
        source: crate::tsp::Error,
    },
}
