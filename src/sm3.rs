//! SM3 hashing (GB/T 32905-2016) and what is built on it: HMAC-SM3 (RFC 2104), the SM2
//! key-derivation function (GB/T 32918.4-2016 §5.4.3) and PBKDF2-HMAC-SM3 (RFC 8018 §5.2).
//!
//! ```
//! use smtrust::sm3;
//!
//! // GB/T 32905-2016 Appendix A, example 1.
//! let digest = sm3::hash(b"abc");
//! assert_eq!(
//!     hex::encode(digest),
//!     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
//! );
//!
//! // The same digest, fed in pieces.
//! let mut hasher = sm3::Hasher::new();
//! hasher.update(b"a");
//! hasher.update(b"bc");
//! assert_eq!(hasher.finalize(), digest);
//! ```

use hmac::{KeyInit, Mac};
use sm3::Digest as _;
use subtle::ConstantTimeEq;

/// Length in bytes of an SM3 digest.
pub const DIGEST_LEN: usize = 32;

/// Length in bytes of the SM3 message block, which is also HMAC-SM3's block size.
pub const BLOCK_LEN: usize = 64;

/// An SM3 digest.
pub type Digest = [u8; DIGEST_LEN];

/// Errors of the SM3-based constructions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An HMAC tag did not match. Which byte differed is deliberately not said.
    #[error("the HMAC-SM3 tag does not match the message and key")]
    MacMismatch,
    /// PBKDF2 was asked for zero iterations, which RFC 8018 does not allow.
    #[error("PBKDF2 needs at least one iteration")]
    ZeroIterations,
    /// The KDF was asked for more output than its 32-bit counter can produce
    /// (GB/T 32918.4 §5.4.3 limits klen to (2^32 − 1) · 256 bits).
    #[error("the SM2 KDF cannot produce {requested} bytes")]
    KdfOutputTooLong {
        /// The number of bytes asked for.
        requested: usize,
    },
}

/// Hashes `data` with SM3 in one call.
pub fn hash(data: &[u8]) -> Digest {
    sm3::Sm3::digest(data).into()
}

/// Streaming SM3: feed the message in pieces with [`Hasher::update`], then take the digest.
#[derive(Clone, Default)]
pub struct Hasher(sm3::Sm3);

impl Hasher {
    /// A hasher that has seen no input yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next piece of the message.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// Returns the digest of everything fed so far, consuming the hasher.
    pub fn finalize(self) -> Digest {
        self.0.finalize().into()
    }
}

impl core::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The internal state is derived from the message, which may be secret.
        f.debug_struct("Hasher").finish_non_exhaustive()
    }
}

/// HMAC-SM3 of `data` under `key` in one call (RFC 2104 with SM3, block size 64 bytes).
///
/// ```
/// let tag = smtrust::sm3::hmac(b"key", b"message");
/// assert!(smtrust::sm3::Hmac::new(b"key").chain(b"message").verify(&tag).is_ok());
/// ```
pub fn hmac(key: &[u8], data: &[u8]) -> Digest {
    Hmac::new(key).chain(data).finalize()
}

/// Streaming HMAC-SM3. The key schedule is wiped when the value is dropped.
#[derive(Clone)]
pub struct Hmac(hmac::Hmac<sm3::Sm3>);

impl Hmac {
    /// Starts an HMAC-SM3 computation under `key` (any length; keys longer than 64 bytes are
    /// hashed first, as RFC 2104 says).
    pub fn new(key: &[u8]) -> Self {
        // RFC 2104 §2: a key longer than the block is hashed; the key is then zero-padded to
        // one block, which the HMAC core takes without a length check.
        let mut block = zeroize::Zeroizing::new([0u8; BLOCK_LEN]);
        if key.len() > BLOCK_LEN {
            block[..DIGEST_LEN].copy_from_slice(&hash(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        Self(hmac::Hmac::<sm3::Sm3>::new((&*block).into()))
    }

    /// Feeds the next piece of the message.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// Feeds a piece of the message and returns the computation, for chaining.
    #[must_use]
    pub fn chain(mut self, data: &[u8]) -> Self {
        self.update(data);
        self
    }

    /// Returns the tag of everything fed so far.
    pub fn finalize(self) -> Digest {
        self.0.finalize().into_bytes().into()
    }

    /// Checks `tag` against the computed tag in constant time. A tag of the wrong length
    /// is a mismatch.
    pub fn verify(self, tag: &[u8]) -> Result<(), Error> {
        let computed = self.finalize();
        if tag.len() == DIGEST_LEN && bool::from(computed.ct_eq(tag)) {
            Ok(())
        } else {
            Err(Error::MacMismatch)
        }
    }
}

impl core::fmt::Debug for Hmac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hmac").finish_non_exhaustive()
    }
}

/// The key-derivation function of GB/T 32918.4-2016 §5.4.3: fills `out` with
/// `SM3(z ‖ ct) ‖ SM3(z ‖ ct+1) ‖ …`, where the 32-bit big-endian counter `ct` starts at 1.
///
/// SM2 encryption and key exchange use it with `z = x2 ‖ y2`.
///
/// ```
/// let mut key = [0u8; 16];
/// smtrust::sm3::kdf(b"shared secret", &mut key)?;
/// # Ok::<(), smtrust::sm3::Error>(())
/// ```
pub fn kdf(z: &[u8], out: &mut [u8]) -> Result<(), Error> {
    let blocks = out.len().div_ceil(DIGEST_LEN);
    if u32::try_from(blocks).is_err() {
        return Err(Error::KdfOutputTooLong {
            requested: out.len(),
        });
    }
    let mut prefix = sm3::Sm3::new();
    prefix.update(z);
    for (counter, chunk) in (1u32..).zip(out.chunks_mut(DIGEST_LEN)) {
        let mut block = prefix.clone();
        block.update(counter.to_be_bytes());
        let digest = block.finalize();
        chunk.copy_from_slice(&digest[..chunk.len()]);
    }
    Ok(())
}

/// PBKDF2 (RFC 8018 §5.2) with HMAC-SM3 as the pseudo-random function: fills `out` with the
/// key derived from `password` and `salt` in `iterations` rounds.
///
/// ```
/// let mut key = [0u8; 16];
/// smtrust::sm3::pbkdf2_hmac(b"password", b"salt", 10_000, &mut key)?;
/// # Ok::<(), smtrust::sm3::Error>(())
/// ```
pub fn pbkdf2_hmac(
    password: &[u8],
    salt: &[u8],
    iterations: u32,
    out: &mut [u8],
) -> Result<(), Error> {
    if iterations == 0 {
        return Err(Error::ZeroIterations);
    }
    pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, iterations, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GB/T 32905-2016 Appendix A, example 2: "abcd" repeated 16 times.
    #[test]
    fn gbt_32905_example_2() {
        assert_eq!(
            hex::encode(hash(&b"abcd".repeat(16))),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    /// GB/T 32918.4 §5.4.3: the KDF output is the concatenation of counter-mode hashes,
    /// truncated to the requested length.
    #[test]
    fn kdf_is_counter_mode_sm3() {
        let z = b"z value";
        let mut out = [0u8; 70];
        kdf(z, &mut out).unwrap();
        let mut expected = Vec::new();
        for counter in 1u32..=3 {
            expected.extend_from_slice(&hash(&[&z[..], &counter.to_be_bytes()].concat()));
        }
        assert_eq!(&out[..], &expected[..70]);
    }

    #[test]
    fn kdf_of_nothing_is_nothing() {
        kdf(b"z", &mut []).unwrap();
    }

    #[test]
    fn hmac_verify_rejects_wrong_and_short_tags() {
        let tag = hmac(b"k", b"m");
        assert_eq!(Hmac::new(b"k").chain(b"m").verify(&tag), Ok(()));
        let mut wrong = tag;
        wrong[31] ^= 1;
        assert_eq!(
            Hmac::new(b"k").chain(b"m").verify(&wrong),
            Err(Error::MacMismatch)
        );
        assert_eq!(
            Hmac::new(b"k").chain(b"m").verify(&tag[..31]),
            Err(Error::MacMismatch)
        );
    }

    #[test]
    fn pbkdf2_rejects_zero_iterations() {
        assert_eq!(
            pbkdf2_hmac(b"p", b"s", 0, &mut [0u8; 16]),
            Err(Error::ZeroIterations)
        );
    }

    /// RFC 8018 §5.2: the first block of one-iteration PBKDF2 is HMAC(P, S ‖ INT(1)).
    #[test]
    fn pbkdf2_one_iteration_is_one_hmac() {
        let mut out = [0u8; 32];
        pbkdf2_hmac(b"password", b"salt", 1, &mut out).unwrap();
        assert_eq!(out, hmac(b"password", b"salt\x00\x00\x00\x01"));
    }

    #[test]
    fn debug_shows_no_state() {
        assert_eq!(format!("{:?}", Hmac::new(b"secret")), "Hmac { .. }");
        assert_eq!(format!("{:?}", Hasher::new()), "Hasher { .. }");
    }
}
