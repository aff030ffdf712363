//! The one error type of the SM4 module.

/// Errors of SM4 and its modes of operation.
///
/// Two variants are opaque on purpose: [`Error::BadPadding`] never says which padding byte was
/// wrong and [`Error::AuthenticationFailed`] never says what did not match, because either detail
/// would help an attacker who can submit chosen ciphertexts (a padding or tag oracle).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A key was not 16 bytes long.
    #[error("an SM4 key is 16 bytes long, but {len} bytes were given")]
    InvalidKeyLength {
        /// The length that was given.
        len: usize,
    },
    /// A GCM or CCM nonce was not 12 bytes long.
    #[error("an SM4-GCM or SM4-CCM nonce is 12 bytes long, but {len} bytes were given")]
    InvalidNonceLength {
        /// The length that was given.
        len: usize,
    },
    /// A CCM tag length other than 4, 6, 8, 10, 12, 14 or 16 bytes was asked for.
    #[error("an SM4-CCM tag is 4, 6, 8, 10, 12, 14 or 16 bytes long, but {len} bytes were given")]
    InvalidTagLength {
        /// The length that was given.
        len: usize,
    },
    /// A plaintext to be encrypted without padding was not a whole number of 16-byte blocks.
    #[error(
        "the plaintext is {len} bytes long, which is not a whole number of 16-byte blocks; \
         encrypt it with PKCS#7 padding or pad it first"
    )]
    PlaintextNotBlockAligned {
        /// The plaintext length.
        len: usize,
    },
    /// An ECB or CBC ciphertext was not a whole number of 16-byte blocks, so it cannot have
    /// been produced by this cipher.
    #[error("the ciphertext is {len} bytes long, which is not a whole number of 16-byte blocks")]
    CiphertextNotBlockAligned {
        /// The ciphertext length.
        len: usize,
    },
    /// The decrypted data does not end in valid PKCS#7 padding. Which byte was wrong is
    /// deliberately not said.
    #[error("the decrypted data does not end in valid PKCS#7 padding")]
    BadPadding,
    /// A GCM or CCM ciphertext did not authenticate: the ciphertext, tag, nonce, associated
    /// data or key differs from what was sealed. Any output buffer has been zeroed.
    #[error(
        "authentication failed: the ciphertext, tag, nonce, associated data or key is not the \
         one that was sealed"
    )]
    AuthenticationFailed,
    /// A sealed message was shorter than its authentication tag.
    #[error("the sealed message is {len} bytes long, shorter than its {tag_len}-byte tag")]
    SealedMessageTooShort {
        /// The length of the sealed message.
        len: usize,
        /// The tag length the message must at least have.
        tag_len: usize,
    },
    /// A message was longer than the mode allows for one nonce (GCM: 2^36 − 32 bytes,
    /// NIST SP 800-38D §5.2.1.1; CCM with a 12-byte nonce: 2^24 − 1 bytes, RFC 3610 §2.1).
    #[error("the message is {len} bytes long, more than the {max} bytes SM4-{mode} allows")]
    MessageTooLong {
        /// The mode, `GCM` or `CCM`.
        mode: &'static str,
        /// The message length.
        len: usize,
        /// The largest length the mode allows.
        max: u64,
    },
    /// Associated data was longer than GCM allows (2^61 − 1 bytes, NIST SP 800-38D §5.2.1.1).
    #[error("the associated data is {len} bytes long, more than the {max} bytes SM4-GCM allows")]
    AssociatedDataTooLong {
        /// The associated-data length.
        len: usize,
        /// The largest length GCM allows.
        max: u64,
    },
    /// The random number generator failed while making a nonce.
    #[error("the random number generator failed")]
    Rng,
}
