//! The enumerations C callers pass as `uint32_t`, and their validation.
//!
//! A C enum can hold any integer, so no function takes one of these types directly: each takes
//! a `uint32_t` and checks it here. An unknown value is `SMTRUST_STATUS_INVALID_PARAMETER`.
//! Every enumeration starts at 1, so a zeroed field is never mistaken for a choice.

use super::Error;
use crate::sm2::CiphertextFormat;
use crate::sm4::Padding;

/// The two encodings of an SM2 signature.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm2SignatureFormat {
    /// DER `SEQUENCE { INTEGER r, INTEGER s }` (GM/T 0009, X.509, CMS, OpenSSL), 8 to 72 bytes.
    Der = 1,
    /// Raw `r || s`, 64 bytes (GM/T 0031 seals, many Java and JavaScript libraries).
    Raw = 2,
}

/// The layouts of an SM2 ciphertext.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm2CiphertextFormat {
    /// GM/T 0009 `SM2Cipher` DER (OpenSSL, GmSSL, CMS).
    Der = 1,
    /// `04 || x1 || y1 || C3 || C2`, the order of GB/T 32918.4-2016.
    C1C3C2 = 2,
    /// `04 || x1 || y1 || C2 || C3`, the order of the 2010 draft.
    C1C2C3 = 3,
    /// `x1 || y1 || C3 || C2` without the `04` prefix (sm-crypto, gmssl for Python).
    C1C3C2NoPrefix = 4,
    /// `x1 || y1 || C2 || C3` without the `04` prefix.
    C1C2C3NoPrefix = 5,
}

/// The encodings of an SM2 private key.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm2PrivateKeyFormat {
    /// PKCS#8 `PrivateKeyInfo` in DER (`openssl pkcs8 -topk8 -nocrypt -outform DER`).
    Pkcs8Der = 1,
    /// PKCS#8 in PEM, label `PRIVATE KEY`.
    Pkcs8Pem = 2,
    /// SEC1 `ECPrivateKey` (RFC 5915) in DER.
    Sec1Der = 3,
    /// SEC1 in PEM: label `EC PRIVATE KEY` (written) or OpenSSL's `SM2 PRIVATE KEY` (read too).
    Sec1Pem = 4,
    /// The bare 32-byte big-endian scalar d.
    Raw = 5,
}

/// The encodings of an SM2 public key.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm2PublicKeyFormat {
    /// `SubjectPublicKeyInfo` in DER (uncompressed point when written).
    SpkiDer = 1,
    /// `SubjectPublicKeyInfo` in PEM, label `PUBLIC KEY`.
    SpkiPem = 2,
    /// The uncompressed point `04 || x || y`, 65 bytes.
    PointUncompressed = 3,
    /// The compressed point `02/03 || x`, 33 bytes.
    PointCompressed = 4,
}

/// How a password protects an exported private key (PBES2: PBKDF2 and a CBC cipher).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm2KeyProtection {
    /// SM4-CBC with PBKDF2-HMAC-SM3, all-SM as GB/T 39786 asks (GmSSL reads it; OpenSSL 3.0
    /// does not know the HMAC-SM3 PRF).
    Sm4CbcHmacSm3 = 1,
    /// SM4-CBC with PBKDF2-HMAC-SHA256, what `openssl pkcs8 -topk8 -v2 sm4-cbc` writes.
    Sm4CbcHmacSha256 = 2,
    /// AES-256-CBC with PBKDF2-HMAC-SHA256, what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes.
    Aes256CbcHmacSha256 = 3,
}

/// How SM4-CBC fills the last block.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sm4Padding {
    /// PKCS#7 (RFC 5652 §6.3); decryption checks every pad byte.
    Pkcs7 = 1,
    /// None: the input must be a whole number of 16-byte blocks.
    None = 2,
}

/// Reads a `uint32_t` from C as a value of one of the enumerations above.
pub(super) trait FromC: Sized + Copy + 'static {
    /// The enumeration's name in the header.
    const C_NAME: &'static str;
    /// Every value.
    const ALL: &'static [Self];
    /// The value's number.
    fn code(self) -> u32;

    /// The value numbered `value`, or the error naming `param`.
    fn from_c(value: u32, param: &'static str) -> Result<Self, Error> {
        Self::ALL
            .iter()
            .copied()
            .find(|known| known.code() == value)
            .ok_or(Error::UnknownValue {
                param,
                value,
                enumeration: Self::C_NAME,
            })
    }
}

impl FromC for Sm2SignatureFormat {
    const C_NAME: &'static str = "smtrust_sm2_signature_format";
    const ALL: &'static [Self] = &[Self::Der, Self::Raw];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for Sm2CiphertextFormat {
    const C_NAME: &'static str = "smtrust_sm2_ciphertext_format";
    const ALL: &'static [Self] = &[
        Self::Der,
        Self::C1C3C2,
        Self::C1C2C3,
        Self::C1C3C2NoPrefix,
        Self::C1C2C3NoPrefix,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for Sm2PrivateKeyFormat {
    const C_NAME: &'static str = "smtrust_sm2_private_key_format";
    const ALL: &'static [Self] = &[
        Self::Pkcs8Der,
        Self::Pkcs8Pem,
        Self::Sec1Der,
        Self::Sec1Pem,
        Self::Raw,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for Sm2PublicKeyFormat {
    const C_NAME: &'static str = "smtrust_sm2_public_key_format";
    const ALL: &'static [Self] = &[
        Self::SpkiDer,
        Self::SpkiPem,
        Self::PointUncompressed,
        Self::PointCompressed,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for Sm2KeyProtection {
    const C_NAME: &'static str = "smtrust_sm2_key_protection";
    const ALL: &'static [Self] = &[
        Self::Sm4CbcHmacSm3,
        Self::Sm4CbcHmacSha256,
        Self::Aes256CbcHmacSha256,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for Sm4Padding {
    const C_NAME: &'static str = "smtrust_sm4_padding";
    const ALL: &'static [Self] = &[Self::Pkcs7, Self::None];
    fn code(self) -> u32 {
        self as u32
    }
}

impl From<Sm2CiphertextFormat> for CiphertextFormat {
    fn from(format: Sm2CiphertextFormat) -> Self {
        match format {
            Sm2CiphertextFormat::Der => Self::Der,
            Sm2CiphertextFormat::C1C3C2 => Self::C1C3C2,
            Sm2CiphertextFormat::C1C2C3 => Self::C1C2C3,
            Sm2CiphertextFormat::C1C3C2NoPrefix => Self::C1C3C2NoPrefix,
            Sm2CiphertextFormat::C1C2C3NoPrefix => Self::C1C2C3NoPrefix,
        }
    }
}

impl From<Sm4Padding> for Padding {
    fn from(padding: Sm4Padding) -> Self {
        match padding {
            Sm4Padding::Pkcs7 => Self::Pkcs7,
            Sm4Padding::None => Self::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_are_read_and_zero_and_unknown_values_are_refused() {
        assert_eq!(
            Sm2SignatureFormat::from_c(2, "format"),
            Ok(Sm2SignatureFormat::Raw)
        );
        assert_eq!(
            Sm2CiphertextFormat::from_c(5, "format"),
            Ok(Sm2CiphertextFormat::C1C2C3NoPrefix)
        );
        for value in [0, 6, u32::MAX] {
            assert_eq!(
                Sm2CiphertextFormat::from_c(value, "format"),
                Err(Error::UnknownValue {
                    param: "format",
                    value,
                    enumeration: "smtrust_sm2_ciphertext_format",
                })
            );
        }
        assert_eq!(
            Sm4Padding::from_c(0, "padding"),
            Err(Error::UnknownValue {
                param: "padding",
                value: 0,
                enumeration: "smtrust_sm4_padding",
            })
        );
    }
}
