//! TimeStampToken (RFC 3161 §2.4.2): a CMS SignedData whose content is a TSTInfo.

use super::{Error, MAX_TOKEN_LEN, TST_INFO, TstInfo};
use crate::pki::{Certificate, SignedData};

/// A time-stamp token, parsed: the SignedData (with its DER) and the TSTInfo inside. Nothing is
/// verified yet; [`TimeStampToken::verify`] does that.
///
/// Both ContentInfo OID sets are read ([`CmsOids`](crate::pki::CmsOids)): PKCS#7 as RFC 3161
/// and OpenSSL write it, and GM/T 0010 `signedData` as some GB/T 20520 TSAs do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampToken {
    signed: SignedData,
    info: TstInfo,
}

impl TimeStampToken {
    /// Parses a DER TimeStampToken (a ContentInfo with SignedData).
    ///
    /// Errors: [`Error::TooLarge`], [`Error::Cms`] if it is not a SignedData,
    /// [`Error::NotTstInfo`] if its content is something else or detached,
    /// [`Error::NotOneSigner`], and the errors of [`TstInfo::from_der`].
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_TOKEN_LEN {
            return Err(Error::TooLarge {
                what: "TimeStampToken",
                len: der.len(),
                limit: MAX_TOKEN_LEN,
            });
        }
        let signed = SignedData::from_der(der).map_err(Error::Cms)?;
        let content_type = signed.content_type();
        let content = match signed.content() {
            Some(content) if content_type == TST_INFO => content,
            _ => return Err(Error::NotTstInfo { content_type }),
        };
        if signed.signer_count() != 1 {
            return Err(Error::NotOneSigner {
                count: signed.signer_count(),
            });
        }
        let info = TstInfo::from_der(content)?;
        Ok(Self { signed, info })
    }

    /// The exact DER.
    pub fn der(&self) -> &[u8] {
        self.signed.der()
    }

    /// The TSTInfo: the TSA's claims, unverified until [`TimeStampToken::verify`].
    pub fn info(&self) -> &TstInfo {
        &self.info
    }

    /// The certificates the token carries (the TSA's, if the request asked for it).
    pub fn certificates(&self) -> &[Certificate] {
        self.signed.certificates()
    }

    /// The SignedData around the TSTInfo.
    pub fn signed_data(&self) -> &SignedData {
        &self.signed
    }
}
