//! A small DER walker that keeps the original bytes of every element, and the few writers
//! SignedData needs. Parsing by hand (over `der`'s header and length decoding) keeps the exact
//! signed-attribute bytes the signature covers, and accepts the certificates real GM CAs issue.

use der::{Decode, Encode, Header, Length, Reader, SliceReader};

use super::CmsError;

/// One DER element: its first tag byte, the whole TLV and the value bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tlv<'a> {
    pub(super) tag: u8,
    pub(super) tlv: &'a [u8],
    pub(super) value: &'a [u8],
}

pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;
pub(super) const INTEGER: u8 = 0x02;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const OID: u8 = 0x06;
pub(super) const CONTEXT_0: u8 = 0xa0;
pub(super) const CONTEXT_1: u8 = 0xa1;

/// Walks the elements of one constructed value (or of a whole input) in order.
pub(super) struct Cursor<'a> {
    reader: SliceReader<'a>,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `bytes`; errors name `what`.
    pub(super) fn new(bytes: &'a [u8], what: &'static str) -> Result<Self, CmsError> {
        let reader = SliceReader::new(bytes).map_err(|e| malformed(what, &e))?;
        Ok(Self { reader, what })
    }

    /// Whether every element has been read.
    pub(super) fn is_empty(&self) -> bool {
        self.reader.is_finished()
    }

    /// The first byte of the next element's tag, if any.
    pub(super) fn peek_tag(&self) -> Option<u8> {
        self.reader.peek_byte()
    }

    /// The next element, whatever its tag.
    pub(super) fn any(&mut self) -> Result<Tlv<'a>, CmsError> {
        let tlv = self
            .reader
            .tlv_bytes()
            .map_err(|e| malformed(self.what, &e))?;
        let mut inner = SliceReader::new(tlv).map_err(|e| malformed(self.what, &e))?;
        let header = Header::decode(&mut inner).map_err(|e| malformed(self.what, &e))?;
        let value = inner
            .read_slice(header.length())
            .map_err(|e| malformed(self.what, &e))?;
        Ok(Tlv {
            tag: tlv.first().copied().unwrap_or_default(),
            tlv,
            value,
        })
    }

    /// The next element, which must have tag byte `tag`.
    pub(super) fn expect(&mut self, tag: u8, field: &str) -> Result<Tlv<'a>, CmsError> {
        match self.peek_tag() {
            Some(found) if found == tag => self.any(),
            Some(found) => Err(CmsError::Malformed {
                what: self.what,
                reason: format!("{field}: expected tag 0x{tag:02x}, found 0x{found:02x}"),
            }),
            None => Err(CmsError::Malformed {
                what: self.what,
                reason: format!("{field}: missing (the structure ends early)"),
            }),
        }
    }

    /// The next element if it has tag byte `tag`.
    pub(super) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, CmsError> {
        if self.peek_tag() == Some(tag) {
            self.any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// An error unless every element has been read.
    pub(super) fn finish(self) -> Result<(), CmsError> {
        let what = self.what;
        self.reader.finish().map_err(|e| malformed(what, &e))
    }
}

/// The dotted OID in the value of an OBJECT IDENTIFIER element.
pub(super) fn oid(
    tlv: Tlv<'_>,
    what: &'static str,
) -> Result<der::asn1::ObjectIdentifier, CmsError> {
    der::asn1::ObjectIdentifier::from_der(tlv.tlv).map_err(|e| malformed(what, &e))
}

/// The algorithm OID of an AlgorithmIdentifier SEQUENCE (parameters are ignored: SM3 and SM2
/// are written with absent or NULL parameters in the wild).
pub(super) fn algorithm(
    tlv: Tlv<'_>,
    what: &'static str,
) -> Result<der::asn1::ObjectIdentifier, CmsError> {
    let mut inner = Cursor::new(tlv.value, what)?;
    let id = oid(inner.expect(OID, "algorithm")?, what)?;
    if !inner.is_empty() {
        inner.any()?;
    }
    inner.finish()?;
    Ok(id)
}

/// `CmsError::Malformed` for `what` from a `der` error.
pub(super) fn malformed(what: &'static str, error: &der::Error) -> CmsError {
    CmsError::Malformed {
        what,
        reason: error.to_string(),
    }
}

/// The TLV with tag byte `tag` around the concatenation of `parts`.
pub(super) fn wrap(tag: u8, parts: &[&[u8]]) -> Result<Vec<u8>, CmsError> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let encoding = |e: der::Error| malformed("encoding", &e);
    let length = Length::try_from(len)
        .map_err(encoding)?
        .to_der()
        .map_err(encoding)?;
    let mut out = Vec::with_capacity(1 + length.len() + len);
    out.push(tag);
    out.extend_from_slice(&length);
    for part in parts {
        out.extend_from_slice(part);
    }
    Ok(out)
}

/// The DER of `value`.
pub(super) fn encode(value: &impl Encode) -> Result<Vec<u8>, CmsError> {
    value.to_der().map_err(|e| malformed("encoding", &e))
}
