//! The status code every entry point returns.

/// What a call did: `SMTRUST_STATUS_OK` or the class of failure. `smtrust_last_error` gives
/// the full sentence for the last failed call on the calling thread.
///
/// The codes are stable and grouped in numbered blocks; a code once published keeps its number
/// and meaning, and a retired one stays reserved:
///
/// | block | meaning |
/// | --- | --- |
/// | 0 | success |
/// | 100–199 | the caller broke a rule of the ABI (NULL, lengths, handles, unknown values) |
/// | 200–299 | SM2 keys, signatures and encryption |
/// | 300–399 | SM3 and HMAC-SM3 |
/// | 400–499 | SM4 and its modes |
/// | 500–549 | certificates, CRLs and certification paths |
/// | 550–599 | CMS SignedData |
/// | 600–649 | signed verification records |
/// | 650–799 | reserved for OFD, timestamps and the ledger |
/// | 800–819 | seals |
/// | 820–999 | reserved |
/// | 1000 | an internal error that the library caught before it reached the caller |
///
/// In C the type is a `uint32_t`, so a future code cannot break the ABI; a caller should treat
/// any code it does not know as a failure.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The call succeeded.
    Ok = 0,

    /// A parameter is not acceptable: an unknown format or padding value, a length that
    /// does not fit, or a combination the function does not support.
    InvalidParameter = 100,
    /// A pointer that must not be NULL was NULL (or a non-empty buffer was NULL).
    NullPointer = 101,
    /// The output buffer is too short; `*written` holds the length needed.
    BufferTooSmall = 102,
    /// A handle was not a live handle of the expected type: already freed, never made by this
    /// library, or a handle of another type.
    InvalidHandle = 103,
    /// The operating system's random number generator failed.
    RandomFailed = 104,

    /// A key encoding could not be read: malformed DER or PEM, wrong PEM label, a key of
    /// another algorithm or curve, or a private scalar outside [1, n − 2].
    Sm2InvalidKey = 200,
    /// A signature is not a valid encoding in the format it was read as, or a component is
    /// out of range.
    Sm2InvalidSignatureEncoding = 201,
    /// The signature does not verify under this key, ID and message.
    Sm2BadSignature = 202,
    /// A ciphertext does not have the layout of the format it was read as.
    Sm2InvalidCiphertextEncoding = 203,
    /// Decryption failed (a wrong key or a tampered ciphertext; which one is not said).
    Sm2DecryptionFailed = 204,
    /// The distinguishing ID is longer than 8191 bytes.
    Sm2IdTooLong = 205,
    /// SM2 cannot encrypt an empty message.
    Sm2EmptyPlaintext = 206,
    /// An encrypted private key could not be decrypted (wrong password or damaged data), or
    /// uses an algorithm or iteration count this library refuses.
    Sm2KeyDecryptionFailed = 207,

    /// The HMAC-SM3 tag does not match.
    Sm3MacMismatch = 300,

    /// A key, IV or nonce has the wrong length for the mode.
    Sm4InvalidLength = 400,
    /// The input is not a whole number of 16-byte blocks where the mode needs that.
    Sm4NotBlockAligned = 401,
    /// CBC decryption found bad PKCS#7 padding.
    Sm4BadPadding = 402,
    /// GCM decryption failed to authenticate the ciphertext, tag, nonce or associated data.
    Sm4AuthenticationFailed = 403,
    /// The message or associated data is longer than the mode allows.
    Sm4MessageTooLong = 404,

    /// A certificate or CRL could not be read: not DER or PEM of that kind, or too large.
    CertMalformed = 500,
    /// A certificate in the path had expired at the verification time.
    CertExpired = 501,
    /// A certificate in the path was not yet valid at the verification time.
    CertNotYetValid = 502,
    /// No trust anchor or given intermediate issued a certificate of the path.
    CertUnknownIssuer = 503,
    /// A certificate was revoked by a CRL of its issuer.
    CertRevoked = 504,
    /// A certificate's signature does not verify with its issuer's key (tampered, another
    /// key, or another SM2 ID).
    CertBadSignature = 505,
    /// The end entity's keyUsage or extendedKeyUsage does not allow the required use.
    CertUsage = 506,
    /// The revocation status could not be established: no CRL of the issuer was given where
    /// one is required, or the CRL is past its nextUpdate.
    CertRevocationUnknown = 507,
    /// A CRL cannot be used: its signature does not verify, its issuer may not sign CRLs, or
    /// it is of a kind this library does not handle.
    CertCrlInvalid = 508,
    /// The path breaks a rule of RFC 5280 other than the ones above: an issuer that is not a
    /// CA or lacks keyCertSign, a path length or name constraint, an unknown critical
    /// extension, a malformed extension or validity, or a path search that ran out of budget.
    CertInvalidPath = 509,
    /// A signature or public-key algorithm this library does not support, or a key that is
    /// not SM2 where SM2 is required.
    CertUnsupportedAlgorithm = 510,

    /// The CMS structure could not be read: malformed DER, too large, too many parts, not
    /// SignedData, no signer, or a signature that is not an SM2 signature encoding.
    CmsMalformed = 550,
    /// The SignedData uses a digest, signature algorithm or signer identifier this library
    /// does not support.
    CmsUnsupported = 551,
    /// The signer's certificate is not in the SignedData.
    CmsSignerCertificateNotFound = 552,
    /// The content is detached but none was given, or attached and given again.
    CmsContentMismatch = 553,
    /// A signed attribute is missing, repeated, malformed, or names another content type.
    CmsInvalidAttributes = 554,
    /// The message-digest attribute is not the SM3 of the content: the content was changed,
    /// or the wrong detached content was given.
    CmsDigestMismatch = 555,
    /// The SM2 signature does not verify with the signer certificate's key and the SM2 ID.
    CmsBadSignature = 556,
    /// The signing key is not the key of the signer certificate.
    CmsKeyMismatch = 557,

    /// A signed record could not be read: malformed DER, an unknown version or signature
    /// algorithm, or a field outside its limits.
    RecordMalformed = 600,
    /// The record's SM2 signature does not verify.
    RecordBadSignature = 601,
    /// The pinned key (verifying) or the signing key is not the key of the institution
    /// certificate.
    RecordKeyMismatch = 602,
    /// The attached certificate is not the one the record was signed under.
    RecordCertificateMismatch = 603,
    /// The institution certificate cannot be read or holds no SM2 key.
    RecordCertificateUnusable = 604,
    /// The record given to sign is not a valid record: bad JSON, an unknown name, a missing
    /// or out-of-range field.
    RecordInvalid = 605,

    /// A trust anchor given to `smtrust_seal_verify` is not a DER certificate.
    SealInvalidTrustAnchor = 800,
    /// More trust anchors were given to `smtrust_seal_verify` than it looks at (1024).
    SealTooManyTrustAnchors = 801,

    /// The library caught an internal error (a panic) before it could reach the caller.
    /// Please report it; the process and all handles remain usable.
    Internal = 1000,
}

impl Status {
    /// Every status, in numeric order: the one list the header, `smtrust_status_name` and the
    /// tests derive from.
    pub fn all() -> &'static [Status] {
        &ALL
    }

    /// The name of the constant in `smtrust.h`, e.g. `SMTRUST_STATUS_SM4_BAD_PADDING`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ok => "SMTRUST_STATUS_OK",
            Self::InvalidParameter => "SMTRUST_STATUS_INVALID_PARAMETER",
            Self::NullPointer => "SMTRUST_STATUS_NULL_POINTER",
            Self::BufferTooSmall => "SMTRUST_STATUS_BUFFER_TOO_SMALL",
            Self::InvalidHandle => "SMTRUST_STATUS_INVALID_HANDLE",
            Self::RandomFailed => "SMTRUST_STATUS_RANDOM_FAILED",
            Self::Sm2InvalidKey => "SMTRUST_STATUS_SM2_INVALID_KEY",
            Self::Sm2InvalidSignatureEncoding => "SMTRUST_STATUS_SM2_INVALID_SIGNATURE_ENCODING",
            Self::Sm2BadSignature => "SMTRUST_STATUS_SM2_BAD_SIGNATURE",
            Self::Sm2InvalidCiphertextEncoding => "SMTRUST_STATUS_SM2_INVALID_CIPHERTEXT_ENCODING",
            Self::Sm2DecryptionFailed => "SMTRUST_STATUS_SM2_DECRYPTION_FAILED",
            Self::Sm2IdTooLong => "SMTRUST_STATUS_SM2_ID_TOO_LONG",
            Self::Sm2EmptyPlaintext => "SMTRUST_STATUS_SM2_EMPTY_PLAINTEXT",
            Self::Sm2KeyDecryptionFailed => "SMTRUST_STATUS_SM2_KEY_DECRYPTION_FAILED",
            Self::Sm3MacMismatch => "SMTRUST_STATUS_SM3_MAC_MISMATCH",
            Self::Sm4InvalidLength => "SMTRUST_STATUS_SM4_INVALID_LENGTH",
            Self::Sm4NotBlockAligned => "SMTRUST_STATUS_SM4_NOT_BLOCK_ALIGNED",
            Self::Sm4BadPadding => "SMTRUST_STATUS_SM4_BAD_PADDING",
            Self::Sm4AuthenticationFailed => "SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED",
            Self::Sm4MessageTooLong => "SMTRUST_STATUS_SM4_MESSAGE_TOO_LONG",
            Self::SealInvalidTrustAnchor => "SMTRUST_STATUS_SEAL_INVALID_TRUST_ANCHOR",
            Self::SealTooManyTrustAnchors => "SMTRUST_STATUS_SEAL_TOO_MANY_TRUST_ANCHORS",
            Self::CertMalformed => "SMTRUST_STATUS_CERT_MALFORMED",
            Self::CertExpired => "SMTRUST_STATUS_CERT_EXPIRED",
            Self::CertNotYetValid => "SMTRUST_STATUS_CERT_NOT_YET_VALID",
            Self::CertUnknownIssuer => "SMTRUST_STATUS_CERT_UNKNOWN_ISSUER",
            Self::CertRevoked => "SMTRUST_STATUS_CERT_REVOKED",
            Self::CertBadSignature => "SMTRUST_STATUS_CERT_BAD_SIGNATURE",
            Self::CertUsage => "SMTRUST_STATUS_CERT_USAGE",
            Self::CertRevocationUnknown => "SMTRUST_STATUS_CERT_REVOCATION_UNKNOWN",
            Self::CertCrlInvalid => "SMTRUST_STATUS_CERT_CRL_INVALID",
            Self::CertInvalidPath => "SMTRUST_STATUS_CERT_INVALID_PATH",
            Self::CertUnsupportedAlgorithm => "SMTRUST_STATUS_CERT_UNSUPPORTED_ALGORITHM",
            Self::CmsMalformed => "SMTRUST_STATUS_CMS_MALFORMED",
            Self::CmsUnsupported => "SMTRUST_STATUS_CMS_UNSUPPORTED",
            Self::CmsSignerCertificateNotFound => "SMTRUST_STATUS_CMS_SIGNER_CERTIFICATE_NOT_FOUND",
            Self::CmsContentMismatch => "SMTRUST_STATUS_CMS_CONTENT_MISMATCH",
            Self::CmsInvalidAttributes => "SMTRUST_STATUS_CMS_INVALID_ATTRIBUTES",
            Self::CmsDigestMismatch => "SMTRUST_STATUS_CMS_DIGEST_MISMATCH",
            Self::CmsBadSignature => "SMTRUST_STATUS_CMS_BAD_SIGNATURE",
            Self::CmsKeyMismatch => "SMTRUST_STATUS_CMS_KEY_MISMATCH",
            Self::RecordMalformed => "SMTRUST_STATUS_RECORD_MALFORMED",
            Self::RecordBadSignature => "SMTRUST_STATUS_RECORD_BAD_SIGNATURE",
            Self::RecordKeyMismatch => "SMTRUST_STATUS_RECORD_KEY_MISMATCH",
            Self::RecordCertificateMismatch => "SMTRUST_STATUS_RECORD_CERTIFICATE_MISMATCH",
            Self::RecordCertificateUnusable => "SMTRUST_STATUS_RECORD_CERTIFICATE_UNUSABLE",
            Self::RecordInvalid => "SMTRUST_STATUS_RECORD_INVALID",
            Self::Internal => "SMTRUST_STATUS_INTERNAL",
        }
    }

    /// The status with number `code`, if there is one.
    pub fn from_code(code: u32) -> Option<Self> {
        ALL.into_iter().find(|status| *status as u32 == code)
    }
}

/// Every status, in numeric order (see [`Status::all`]).
const ALL: [Status; 48] = [
    Status::Ok,
    Status::InvalidParameter,
    Status::NullPointer,
    Status::BufferTooSmall,
    Status::InvalidHandle,
    Status::RandomFailed,
    Status::Sm2InvalidKey,
    Status::Sm2InvalidSignatureEncoding,
    Status::Sm2BadSignature,
    Status::Sm2InvalidCiphertextEncoding,
    Status::Sm2DecryptionFailed,
    Status::Sm2IdTooLong,
    Status::Sm2EmptyPlaintext,
    Status::Sm2KeyDecryptionFailed,
    Status::Sm3MacMismatch,
    Status::Sm4InvalidLength,
    Status::Sm4NotBlockAligned,
    Status::Sm4BadPadding,
    Status::Sm4AuthenticationFailed,
    Status::Sm4MessageTooLong,
    Status::CertMalformed,
    Status::CertExpired,
    Status::CertNotYetValid,
    Status::CertUnknownIssuer,
    Status::CertRevoked,
    Status::CertBadSignature,
    Status::CertUsage,
    Status::CertRevocationUnknown,
    Status::CertCrlInvalid,
    Status::CertInvalidPath,
    Status::CertUnsupportedAlgorithm,
    Status::CmsMalformed,
    Status::CmsUnsupported,
    Status::CmsSignerCertificateNotFound,
    Status::CmsContentMismatch,
    Status::CmsInvalidAttributes,
    Status::CmsDigestMismatch,
    Status::CmsBadSignature,
    Status::CmsKeyMismatch,
    Status::RecordMalformed,
    Status::RecordBadSignature,
    Status::RecordKeyMismatch,
    Status::RecordCertificateMismatch,
    Status::RecordCertificateUnusable,
    Status::RecordInvalid,
    Status::SealInvalidTrustAnchor,
    Status::SealTooManyTrustAnchors,
    Status::Internal,
];

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn all_is_in_numeric_order_without_repeats() {
        let codes: Vec<u32> = Status::all().iter().map(|status| *status as u32).collect();
        assert!(codes.windows(2).all(|pair| pair[0] < pair[1]), "{codes:?}");
    }

    #[test]
    fn every_code_round_trips_and_unknown_codes_are_none() {
        for status in Status::all() {
            let status = *status;
            assert_eq!(Status::from_code(status as u32), Some(status));
        }
        assert_eq!(Status::from_code(1), None);
        assert_eq!(Status::from_code(u32::MAX), None);
    }
}
