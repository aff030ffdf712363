//! Why a C ABI call failed: the message `smtrust_last_error` returns, and its status code.

use super::Status;
use crate::{pki, realname, sm2, sm3, sm4};

/// Why a call through the C ABI failed. Its `Display` text is what `smtrust_last_error`
/// returns; [`Error::status`] is the code the call returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A pointer parameter that must not be NULL was NULL.
    #[error("the parameter `{param}` is NULL, which this function does not accept")]
    NullPointer {
        /// The parameter's name in the header.
        param: &'static str,
    },
    /// An output buffer shorter than the result.
    #[error("the output buffer `{param}` holds {given} bytes, but {needed} are needed")]
    BufferTooSmall {
        /// The parameter's name in the header.
        param: &'static str,
        /// The length the result needs.
        needed: usize,
        /// The length the caller gave.
        given: usize,
    },
    /// A handle that is not a live handle of the expected type.
    #[error(
        "the parameter `{param}` is not a live {expected} handle (freed already, never made by \
         smtrust, or a handle of another type)"
    )]
    InvalidHandle {
        /// The parameter's name in the header.
        param: &'static str,
        /// The handle type expected, as named in the header.
        expected: &'static str,
    },
    /// A `uint32_t` that names no value of the enumeration the parameter takes.
    #[error("the parameter `{param}` is {value}, which is not a value of {enumeration}")]
    UnknownValue {
        /// The parameter's name in the header.
        param: &'static str,
        /// The value given.
        value: u32,
        /// The enumeration's name in the header.
        enumeration: &'static str,
    },
    /// A value of the right enumeration that this function does not accept.
    #[error("the parameter `{param}` is {value}, which {function} does not accept: {reason}")]
    UnsupportedValue {
        /// The parameter's name in the header.
        param: &'static str,
        /// The constant's name in the header.
        value: &'static str,
        /// The function's name.
        function: &'static str,
        /// Why not, and what to use instead.
        reason: &'static str,
    },
    /// A length that does not fit what the parameter holds.
    #[error("the parameter `{param}` is {len} bytes long, but {expected}")]
    InvalidLength {
        /// The parameter's name in the header.
        param: &'static str,
        /// The length given.
        len: usize,
        /// What length was expected, as a phrase.
        expected: &'static str,
    },
    /// A PBKDF2 iteration count of 0 or above the limit.
    #[error("PBKDF2 needs 1 to {max} iterations, not {iterations}")]
    IterationsOutOfRange {
        /// The count given.
        iterations: u32,
        /// The largest count allowed.
        max: u32,
    },
    /// An SM4 IV that is not 16 bytes (the `sm4` module takes IVs as arrays, so it has no such
    /// error of its own).
    #[error("an SM4 IV is 16 bytes long, but {len} bytes were given")]
    Sm4IvLength {
        /// The length given.
        len: usize,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
    /// An SM2 operation failed.
    #[error("{0}")]
    Sm2(#[from] sm2::Error),
    /// An SM2 ciphertext could not be read or decrypted. A point that is not on the curve is a
    /// ciphertext problem here, not a key problem.
    #[error("{0}")]
    Sm2Ciphertext(sm2::Error),
    /// An SM3 operation failed.
    #[error("{0}")]
    Sm3(#[from] sm3::Error),
    /// An SM4 operation failed.
    #[error("{0}")]
    Sm4(#[from] sm4::Error),
    /// A trust anchor given to seal verification is not a certificate.
    #[error("trust anchor {index} is not a DER certificate: {reason}")]
    SealInvalidTrustAnchor {
        /// Its index in `trust_anchors`.
        index: usize,
        /// What the certificate parser reported.
        reason: String,
    },
    /// More trust anchors than seal verification looks at.
    #[error("{count} trust anchors were given; at most {limit} are looked at")]
    SealTooManyTrustAnchors {
        /// How many were given.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Flag bits that the function does not define.
    #[error("the parameter `{param}` has the bits {bits:#x} set, which name no flag")]
    UnknownFlags {
        /// The parameter's name in the header.
        param: &'static str,
        /// The unknown bits.
        bits: u32,
    },
    /// A certificate, CRL or path was refused.
    #[error("{0}")]
    Pki(#[from] pki::Error),
    /// A CMS SignedData could not be read, made or verified.
    #[error("{0}")]
    Cms(#[from] pki::CmsError),
    /// A signed record could not be read or verified, or signing it failed.
    #[error("{0}")]
    Record(#[from] realname::Error),
    /// The record given to sign is not a valid record.
    #[error("the record to sign is not valid: {reason}")]
    RecordInvalid {
        /// What is wrong with it.
        reason: String,
    },
    /// A panic inside the library, caught at the boundary.
    #[error("internal error in smtrust (caught panic: {message}); please report it")]
    Panic {
        /// The panic's message, if it had one.
        message: String,
    },
}

impl Error {
    /// The status code a call that failed this way returns.
    pub fn status(&self) -> Status {
        match self {
            Self::NullPointer { .. } => Status::NullPointer,
            Self::BufferTooSmall { .. } => Status::BufferTooSmall,
            Self::InvalidHandle { .. } => Status::InvalidHandle,
            Self::UnknownValue { .. }
            | Self::UnsupportedValue { .. }
            | Self::InvalidLength { .. }
            | Self::IterationsOutOfRange { .. } => Status::InvalidParameter,
            Self::Sm4IvLength { .. } => Status::Sm4InvalidLength,
            Self::Random => Status::RandomFailed,
            Self::Sm2(err) => sm2_status(err),
            Self::Sm2Ciphertext(sm2::Error::DecryptionFailed) => Status::Sm2DecryptionFailed,
            Self::Sm2Ciphertext(err) => match sm2_status(err) {
                Status::Sm2InvalidKey => Status::Sm2InvalidCiphertextEncoding,
                other => other,
            },
            Self::Sm3(err) => sm3_status(err),
            Self::Sm4(err) => sm4_status(err),
            Self::SealInvalidTrustAnchor { .. } => Status::SealInvalidTrustAnchor,
            Self::SealTooManyTrustAnchors { .. } => Status::SealTooManyTrustAnchors,
            Self::UnknownFlags { .. } => Status::InvalidParameter,
            Self::Pki(err) => super::certificates::pki_status(err),
            Self::Cms(err) => super::cms::cms_status(err),
            Self::Record(err) => super::records::record_status(err),
            Self::RecordInvalid { .. } => Status::RecordInvalid,
            Self::Panic { .. } => Status::Internal,
        }
    }
}

fn sm2_status(err: &sm2::Error) -> Status {
    use sm2::Error as E;
    match err {
        E::DistIdTooLong { .. } => Status::Sm2IdTooLong,
        E::PrivateKeyOutOfRange
        | E::PrivateKeyLength { .. }
        | E::PointEncoding { .. }
        | E::PointNotOnCurve
        | E::PointAtInfinity
        | E::KeyEncoding { .. }
        | E::NotSm2Key { .. }
        | E::UnexpectedPemLabel { .. } => Status::Sm2InvalidKey,
        E::SignatureLength { .. }
        | E::SignatureDer { .. }
        | E::SignatureComponentOutOfRange { .. } => Status::Sm2InvalidSignatureEncoding,
        E::BadSignature => Status::Sm2BadSignature,
        E::CiphertextEncoding { .. } => Status::Sm2InvalidCiphertextEncoding,
        E::DecryptionFailed => Status::Sm2DecryptionFailed,
        E::EmptyPlaintext => Status::Sm2EmptyPlaintext,
        E::UnsupportedKeyEncryption { .. }
        | E::KeyDecryptionFailed
        | E::TooManyIterations { .. } => Status::Sm2KeyDecryptionFailed,
        E::Rng => Status::RandomFailed,
        // Prehash digests never cross this ABI.
        E::DigestLength { .. } => Status::InvalidParameter,
    }
}

fn sm3_status(err: &sm3::Error) -> Status {
    match err {
        sm3::Error::MacMismatch => Status::Sm3MacMismatch,
        // The KDF and PBKDF2 are not exported through this ABI.
        sm3::Error::ZeroIterations | sm3::Error::KdfOutputTooLong { .. } => {
            Status::InvalidParameter
        }
    }
}

fn sm4_status(err: &sm4::Error) -> Status {
    use sm4::Error as E;
    match err {
        E::InvalidKeyLength { .. } | E::InvalidNonceLength { .. } | E::InvalidTagLength { .. } => {
            Status::Sm4InvalidLength
        }
        E::PlaintextNotBlockAligned { .. } | E::CiphertextNotBlockAligned { .. } => {
            Status::Sm4NotBlockAligned
        }
        E::BadPadding => Status::Sm4BadPadding,
        E::AuthenticationFailed | E::SealedMessageTooShort { .. } => {
            Status::Sm4AuthenticationFailed
        }
        E::MessageTooLong { .. } | E::AssociatedDataTooLong { .. } => Status::Sm4MessageTooLong,
        E::Rng => Status::RandomFailed,
    }
}
