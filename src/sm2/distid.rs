//! The signer's distinguishing ID, hashed into Z (GB/T 32918.2 §5.5).

use std::borrow::Cow;

use super::Error;

/// The longest ID whose bit length fits the 16-bit ENTL field: 8191 bytes = 65528 bits.
pub const MAX_DIST_ID_LEN: usize = 8191;

/// The distinguishing ID (用户身份标识) of an SM2 signer: any byte string of at most
/// 8191 bytes. Every signing and verifying key is bound to one.
///
/// GM/T 0009 and GM/T 0015 fix [`DistId::DEFAULT`] (`1234567812345678`) for certificates and
/// most protocols; OpenSSL 3 signs with [`DistId::EMPTY`] unless told otherwise. Nothing in this
/// crate guesses: the ID is always stated.
///
/// ```
/// use smtrust::sm2::DistId;
///
/// let alice = DistId::new(b"ALICE123@YAHOO.COM".to_vec())?;
/// assert_eq!(alice.as_bytes(), b"ALICE123@YAHOO.COM");
/// assert_eq!(DistId::DEFAULT.as_bytes(), b"1234567812345678");
/// assert!(DistId::new(vec![0u8; 8192]).is_err());
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DistId(Cow<'static, [u8]>);

impl DistId {
    /// `1234567812345678`, the default ID of GM/T 0009 §10 and GM/T 0015 (certificates).
    pub const DEFAULT: DistId = DistId(Cow::Borrowed(b"1234567812345678"));

    /// The empty ID (ENTL = 0), which OpenSSL 3 uses when no `distid` option is given.
    pub const EMPTY: DistId = DistId(Cow::Borrowed(b""));

    /// An ID of any bytes, at most [`MAX_DIST_ID_LEN`] of them.
    pub fn new(id: impl Into<Vec<u8>>) -> Result<Self, Error> {
        let id = id.into();
        if id.len() > MAX_DIST_ID_LEN {
            return Err(Error::DistIdTooLong { len: id.len() });
        }
        Ok(Self(Cow::Owned(id)))
    }

    /// The ID's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// ENTL: the ID's length in bits as a 16-bit big-endian number.
    pub(crate) fn entl(&self) -> [u8; 2] {
        // Invariant: construction limits the length to 8191 bytes, so 8 · len ≤ 65528.
        let bits = u16::try_from(self.0.len() * 8).unwrap_or(u16::MAX);
        bits.to_be_bytes()
    }
}

impl Default for DistId {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl core::fmt::Debug for DistId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match core::str::from_utf8(&self.0) {
            Ok(text) => write!(f, "DistId({text:?})"),
            Err(_) => write!(f, "DistId(0x{})", hex::encode(&self.0)),
        }
    }
}

impl TryFrom<&str> for DistId {
    type Error = Error;

    fn try_from(id: &str) -> Result<Self, Error> {
        Self::new(id.as_bytes().to_vec())
    }
}

impl TryFrom<&[u8]> for DistId {
    type Error = Error;

    fn try_from(id: &[u8]) -> Result<Self, Error> {
        Self::new(id.to_vec())
    }
}
