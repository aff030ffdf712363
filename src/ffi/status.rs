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
/// | 500–999 | reserved for certificates, seals, records and the ledger |
/// | 700–749 | the ledger and evidence bundles |
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

    /// The ledger's database failed to read or write (SQLite's message in
    /// `smtrust_last_error`), or has a newer schema than this library knows.
    LedgerStorage = 700,
    /// An entry or retrieval is not acceptable: an invalid serial, an entry too large, a
    /// retrieval without a reason, an invalid log name.
    LedgerInvalidEntry = 701,
    /// The role may not do this (the permission table); the attempt has been recorded.
    LedgerAccessDenied = 702,
    /// The database belongs to another log: another name or key than the one given.
    LedgerWrongLog = 703,
    /// The log fails verification: the database was altered (the message names the leaf,
    /// hash, checkpoint or link).
    LedgerTampered = 704,
    /// An evidence bundle cannot be read: not the bundle's DER or PEM, another version, or
    /// over a limit.
    BundleMalformed = 705,
    /// An evidence bundle fails verification: signature, inclusion proof, serial, order,
    /// missing certificate or a broken chain of links (an entry left out).
    BundleInvalid = 706,

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
            Self::LedgerStorage => "SMTRUST_STATUS_LEDGER_STORAGE",
            Self::LedgerInvalidEntry => "SMTRUST_STATUS_LEDGER_INVALID_ENTRY",
            Self::LedgerAccessDenied => "SMTRUST_STATUS_LEDGER_ACCESS_DENIED",
            Self::LedgerWrongLog => "SMTRUST_STATUS_LEDGER_WRONG_LOG",
            Self::LedgerTampered => "SMTRUST_STATUS_LEDGER_TAMPERED",
            Self::BundleMalformed => "SMTRUST_STATUS_BUNDLE_MALFORMED",
            Self::BundleInvalid => "SMTRUST_STATUS_BUNDLE_INVALID",
            Self::Internal => "SMTRUST_STATUS_INTERNAL",
        }
    }

    /// The status with number `code`, if there is one.
    pub fn from_code(code: u32) -> Option<Self> {
        ALL.into_iter().find(|status| *status as u32 == code)
    }
}

/// Every status, in numeric order (see [`Status::all`]).
const ALL: [Status; 28] = [
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
    Status::LedgerStorage,
    Status::LedgerInvalidEntry,
    Status::LedgerAccessDenied,
    Status::LedgerWrongLog,
    Status::LedgerTampered,
    Status::BundleMalformed,
    Status::BundleInvalid,
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
