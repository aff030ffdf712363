//! SM2 signature values (r, s) and their two wire encodings.

use der::asn1::UintRef;
use der::{Decode, Encode};
use sm2::Scalar;

use super::Error;
use super::curve::{self, FIELD_LEN};

/// An SM2 signature (r, s), with both components in [1, n − 1].
///
/// Two encodings exist in the wild and neither is guessed: DER
/// `SEQUENCE { INTEGER r, INTEGER s }` (GM/T 0009, X.509, CMS, OpenSSL) and raw `r‖s`, 64 bytes
/// (GM/T 0031 seals, many Java and JavaScript libraries).
///
/// ```
/// use smtrust::sm2::Signature;
///
/// let mut raw = [0u8; 64];
/// raw[31] = 1;
/// raw[63] = 2;
/// let sig = Signature::from_raw(&raw)?;
/// assert_eq!(hex::encode(sig.to_der()), "3006020101020102");
/// assert_eq!(Signature::from_der(&sig.to_der())?, sig);
/// # Ok::<(), smtrust::sm2::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature {
    r: [u8; FIELD_LEN],
    s: [u8; FIELD_LEN],
}

/// `SEQUENCE { INTEGER r, INTEGER s }` as GM/T 0009 §7.3 defines it.
#[derive(der::Sequence)]
struct DerSignature<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

impl Signature {
    /// Builds a signature from its components, each 32 big-endian bytes in [1, n − 1].
    pub fn from_components(r: &[u8; FIELD_LEN], s: &[u8; FIELD_LEN]) -> Result<Self, Error> {
        check_component(r, "r")?;
        check_component(s, "s")?;
        Ok(Self { r: *r, s: *s })
    }

    /// Decodes the raw form `r‖s`: exactly 64 bytes.
    pub fn from_raw(bytes: &[u8]) -> Result<Self, Error> {
        let (r, s) = match (bytes.get(..FIELD_LEN), bytes.get(FIELD_LEN..)) {
            (Some(r), Some(s)) if s.len() == FIELD_LEN => (r, s),
            _ => return Err(Error::SignatureLength { len: bytes.len() }),
        };
        Self::from_components(&to_array(r), &to_array(s))
    }

    /// Decodes strict DER: minimal lengths, minimal non-negative INTEGERs, nothing after the
    /// SEQUENCE.
    pub fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        let parsed = DerSignature::from_der(bytes).map_err(|err| Error::SignatureDer {
            reason: err.to_string(),
        })?;
        let r = left_pad(parsed.r.as_bytes(), "r")?;
        let s = left_pad(parsed.s.as_bytes(), "s")?;
        Self::from_components(&r, &s)
    }

    /// The raw form `r‖s`, 64 bytes.
    pub fn to_raw(&self) -> [u8; 2 * FIELD_LEN] {
        let mut out = [0u8; 2 * FIELD_LEN];
        out[..FIELD_LEN].copy_from_slice(&self.r);
        out[FIELD_LEN..].copy_from_slice(&self.s);
        out
    }

    /// The DER form, 8 to 72 bytes.
    pub fn to_der(&self) -> Vec<u8> {
        let encoded = UintRef::new(&self.r)
            .and_then(|r| Ok((r, UintRef::new(&self.s)?)))
            .and_then(|(r, s)| DerSignature { r, s }.to_der());
        // Invariant: two INTEGERs of at most 33 content bytes always encode.
        encoded.unwrap_or_default()
    }

    /// The component r, 32 big-endian bytes.
    pub fn r(&self) -> &[u8; FIELD_LEN] {
        &self.r
    }

    /// The component s, 32 big-endian bytes.
    pub fn s(&self) -> &[u8; FIELD_LEN] {
        &self.s
    }

    pub(crate) fn scalars(&self) -> Option<(Scalar, Scalar)> {
        let r = Option::from(curve::scalar_from_bytes(&self.r))?;
        let s = Option::from(curve::scalar_from_bytes(&self.s))?;
        Some((r, s))
    }
}

fn check_component(value: &[u8; FIELD_LEN], component: &'static str) -> Result<(), Error> {
    let in_range = Option::<Scalar>::from(curve::scalar_from_bytes(value))
        .is_some_and(|scalar| !bool::from(sm2::elliptic_curve::Field::is_zero(&scalar)));
    if in_range {
        Ok(())
    } else {
        Err(Error::SignatureComponentOutOfRange { component })
    }
}

fn left_pad(value: &[u8], component: &'static str) -> Result<[u8; FIELD_LEN], Error> {
    let mut out = [0u8; FIELD_LEN];
    let start = FIELD_LEN
        .checked_sub(value.len())
        .ok_or(Error::SignatureComponentOutOfRange { component })?;
    out[start..].copy_from_slice(value);
    Ok(out)
}

fn to_array(bytes: &[u8]) -> [u8; FIELD_LEN] {
    let mut out = [0u8; FIELD_LEN];
    out.copy_from_slice(bytes);
    out
}

impl core::fmt::Debug for Signature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Signature({})", hex::encode(self.to_raw()))
    }
}
