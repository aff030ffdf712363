//! The SM2 module's error type.

/// Why an SM2 operation failed.
///
/// Decryption and authentication failures are deliberately opaque (one variant each) so that an
/// attacker learns nothing from which step rejected a forged input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A distinguishing ID longer than 8191 bytes: its bit length would not fit the 16-bit ENTL
    /// field of Z (GB/T 32918.2 §5.5).
    #[error("the SM2 distinguishing ID is {len} bytes long; at most 8191 bytes fit ENTL")]
    DistIdTooLong {
        /// Length of the rejected ID in bytes.
        len: usize,
    },
    /// A private scalar outside [1, n − 2] (GB/T 32918.1 §6.1: signing needs (1 + d)⁻¹).
    #[error("the SM2 private key is outside [1, n-2]")]
    PrivateKeyOutOfRange,
    /// A private key of the wrong length.
    #[error("an SM2 private key is 32 bytes, not {len}")]
    PrivateKeyLength {
        /// Length of the rejected key in bytes.
        len: usize,
    },
    /// A public key (or ciphertext point C1) whose encoding is not a point form we know.
    #[error("the point encoding is not valid: {reason}")]
    PointEncoding {
        /// What is wrong with the encoding.
        reason: &'static str,
    },
    /// A point whose coordinates do not satisfy the curve equation.
    #[error("the point is not on the SM2 curve")]
    PointNotOnCurve,
    /// The point at infinity where a real point is required.
    #[error("the point at infinity is not a valid SM2 public key")]
    PointAtInfinity,
    /// A raw r‖s signature that is not exactly 64 bytes long.
    #[error("a raw SM2 signature (r||s) is 64 bytes, not {len}")]
    SignatureLength {
        /// Length of the rejected signature in bytes.
        len: usize,
    },
    /// A DER signature that is not a strict DER `SEQUENCE { INTEGER r, INTEGER s }`.
    #[error("the DER SM2 signature is malformed: {reason}")]
    SignatureDer {
        /// What the DER decoder rejected.
        reason: String,
    },
    /// A signature component outside [1, n − 1] (GB/T 32918.2 §7.1, steps B1 and B2).
    #[error("signature component {component} is outside [1, n-1]")]
    SignatureComponentOutOfRange {
        /// `"r"` or `"s"`.
        component: &'static str,
    },
    /// A digest given for prehash signing or verification that is not 32 bytes.
    #[error("an SM2 message digest e is 32 bytes, not {len}")]
    DigestLength {
        /// Length of the rejected digest in bytes.
        len: usize,
    },
    /// The signature does not verify under this key, distinguishing ID and message.
    #[error("the SM2 signature does not verify")]
    BadSignature,
    /// SM2 encryption of an empty message: the KDF output t would be empty, and GB/T 32918.4
    /// §6.1 step A5 requires t not to be all zero.
    #[error("SM2 cannot encrypt an empty message (GB/T 32918.4 requires a non-empty KDF output)")]
    EmptyPlaintext,
    /// A ciphertext that does not have the layout of the format it was read as.
    #[error("the SM2 ciphertext is not valid {format}: {reason}")]
    CiphertextEncoding {
        /// The format the ciphertext was read as.
        format: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Decryption failed: C1 was not a valid point for this key, or C3 did not match. No more
    /// is said, on purpose.
    #[error("SM2 decryption failed")]
    DecryptionFailed,
    /// A key file or structure that could not be decoded.
    #[error("the {format} key is malformed: {reason}")]
    KeyEncoding {
        /// The format the key was read as (SEC1, PKCS#8, SPKI, PEM …).
        format: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A key whose algorithm or curve is not SM2.
    #[error("the key is not an SM2 key: {found}")]
    NotSm2Key {
        /// The algorithm or curve identifier that was found.
        found: String,
    },
    /// A PEM block whose label is not one of the labels that hold this kind of key.
    #[error("the PEM label {label:?} does not hold {expected}")]
    UnexpectedPemLabel {
        /// The label found.
        label: String,
        /// What was expected.
        expected: &'static str,
    },
    /// An encrypted PKCS#8 key whose key-derivation or cipher algorithm is not supported.
    #[error("unsupported encryption algorithm in the encrypted private key: {oid}")]
    UnsupportedKeyEncryption {
        /// The algorithm's OID.
        oid: String,
    },
    /// Decrypting an encrypted private key failed: wrong password or damaged data. Which of
    /// the two is not said, on purpose.
    #[error("the encrypted private key could not be decrypted (wrong password or damaged data)")]
    KeyDecryptionFailed,
    /// An encrypted private key asks for no PBKDF2 iterations or for more than the limit
    /// ([`MAX_PBKDF2_ITERATIONS`](super::MAX_PBKDF2_ITERATIONS), or the caller's
    /// [`Pbes2Limits`](super::Pbes2Limits)): a cheap way to make the reader spin. Writing a key
    /// with such a count gives the same error.
    #[error(
        "the encrypted private key asks for {iterations} PBKDF2 iterations; 1 to {limit} are accepted"
    )]
    TooManyIterations {
        /// Iterations asked for.
        iterations: u64,
        /// The most iterations accepted: the limit enforced.
        limit: u32,
    },
    /// The random number generator failed.
    #[error("the random number generator failed")]
    Rng,
}
