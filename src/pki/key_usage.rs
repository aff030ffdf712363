//! The keyUsage bits of a certificate (RFC 5280 §4.2.1.3) and what a caller requires of them.

use core::fmt;

/// A set of keyUsage bits, as a certificate's keyUsage extension states them.
///
/// ```
/// use smtrust::pki::KeyUsages;
///
/// let signing = KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION);
/// assert!(signing.contains(KeyUsages::NON_REPUDIATION));
/// assert_eq!(signing.to_string(), "digitalSignature, nonRepudiation");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyUsages(u16);

/// The bits in RFC 5280 order: bit 0 is digitalSignature.
const NAMES: [&str; 9] = [
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

impl KeyUsages {
    /// No bit set.
    pub const NONE: Self = Self(0);
    /// digitalSignature (bit 0).
    pub const DIGITAL_SIGNATURE: Self = Self(1 << 0);
    /// nonRepudiation, also called contentCommitment (bit 1).
    pub const NON_REPUDIATION: Self = Self(1 << 1);
    /// keyEncipherment (bit 2).
    pub const KEY_ENCIPHERMENT: Self = Self(1 << 2);
    /// dataEncipherment (bit 3).
    pub const DATA_ENCIPHERMENT: Self = Self(1 << 3);
    /// keyAgreement (bit 4).
    pub const KEY_AGREEMENT: Self = Self(1 << 4);
    /// keyCertSign (bit 5).
    pub const KEY_CERT_SIGN: Self = Self(1 << 5);
    /// cRLSign (bit 6).
    pub const CRL_SIGN: Self = Self(1 << 6);
    /// encipherOnly (bit 7).
    pub const ENCIPHER_ONLY: Self = Self(1 << 7);
    /// decipherOnly (bit 8).
    pub const DECIPHER_ONLY: Self = Self(1 << 8);

    /// The bits of both sets.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether at least one bit of `other` is set here.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// The bits as the 16-bit mask with bit 0 = digitalSignature (x509-cert's `KeyUsages`
    /// numbering).
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with the bits of `mask` (bit 0 = digitalSignature); bits above decipherOnly are
    /// dropped.
    pub const fn from_bits(mask: u16) -> Self {
        Self(mask & 0x01ff)
    }
}

impl fmt::Display for KeyUsages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("(none)");
        }
        let mut first = true;
        for (bit, name) in NAMES.iter().enumerate() {
            if self.0 & (1 << bit) != 0 {
                if !first {
                    f.write_str(", ")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for KeyUsages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyUsages({self})")
    }
}

/// What the caller requires of the end-entity certificate's keyUsage.
///
/// A certificate without a keyUsage extension meets every requirement (RFC 5280 §4.2.1.3: the
/// extension restricts; its absence does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequiredUsage {
    /// Nothing is required.
    Any,
    /// At least one of these bits must be set.
    OneOf(KeyUsages),
    /// All of these bits must be set.
    AllOf(KeyUsages),
}

impl RequiredUsage {
    /// Signing documents: digitalSignature or nonRepudiation (what `openssl verify -purpose
    /// smimesign` asks of a signer, and what `usage = digitalSignature` means in the interop
    /// cases).
    pub const SIGNING: Self =
        Self::OneOf(KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION));

    /// Whether a certificate whose keyUsage is `present` (`None`: no extension) meets it.
    pub fn is_met_by(self, present: Option<KeyUsages>) -> bool {
        match (self, present) {
            (Self::Any, _) | (_, None) => true,
            (Self::OneOf(wanted), Some(present)) => present.intersects(wanted),
            (Self::AllOf(wanted), Some(present)) => present.contains(wanted),
        }
    }
}

impl fmt::Display for RequiredUsage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Any => f.write_str("any usage"),
            Self::OneOf(bits) => write!(f, "one of [{bits}]"),
            Self::AllOf(bits) => write!(f, "all of [{bits}]"),
        }
    }
}
