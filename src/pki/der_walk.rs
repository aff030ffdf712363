//! The one DER walker of the crate for structures read by hand (CMS SignedData, seals): it
//! walks the elements of a constructed value in order and keeps the original bytes of each,
//! which is what a signature covers.
//!
//! Two length rules, chosen per input: [`Lengths::Der`] (strict DER, decoded by the `der`
//! crate) for CMS, and [`Lengths::Lenient`] for seals, whose real files bend the rules
//! (SEAL-SPEC §5: non-minimal long-form lengths).

use der::{Decode, Header, Reader, SliceReader};

/// One element: its first tag byte, the whole TLV and the value bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) tlv: &'a [u8],
    pub(crate) value: &'a [u8],
}

pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const PRINTABLE_STRING: u8 = 0x13;
pub(crate) const IA5_STRING: u8 = 0x16;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;
pub(crate) const CONTEXT_0: u8 = 0xa0;
pub(crate) const CONTEXT_1: u8 = 0xa1;
pub(crate) const CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// How lengths are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lengths {
    /// Strict DER (X.690 §10.1): minimal definite lengths only.
    Der,
    /// Definite lengths in any long form of up to 4 octets; indefinite lengths and multi-byte
    /// tags are still refused.
    Lenient,
}

/// Length octets longer than this (4 bytes of length) are refused by [`Lengths::Lenient`]:
/// no seal part is 4 GiB.
const MAX_LENGTH_OCTETS: usize = 4;

/// A structure that could not be walked: `what` is the structure, `reason` names the field
/// and the fault. Each module turns it into its own `Malformed` error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub(crate) what: &'static str,
    pub(crate) reason: String,
}

/// Walks the elements of one constructed value (or of a whole input) in order.
pub(crate) struct Cursor<'a> {
    rest: &'a [u8],
    what: &'static str,
    lengths: Lengths,
}

impl<'a> Cursor<'a> {
    /// A cursor over `bytes` with strict DER lengths; errors name `what`.
    pub(crate) fn der(bytes: &'a [u8], what: &'static str) -> Self {
        Self {
            rest: bytes,
            what,
            lengths: Lengths::Der,
        }
    }

    /// A cursor over `bytes` with lenient lengths; errors name `what`.
    pub(crate) fn lenient(bytes: &'a [u8], what: &'static str) -> Self {
        Self {
            rest: bytes,
            what,
            lengths: Lengths::Lenient,
        }
    }

    /// Whether every element has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The first byte of the next element's tag, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element, whatever its tag.
    pub(crate) fn any(&mut self, field: &str) -> Result<Tlv<'a>, Malformed> {
        let split = match self.lengths {
            Lengths::Der => split_der(self.rest),
            Lengths::Lenient => split_lenient(self.rest),
        };
        let (tlv, rest) = split.map_err(|reason| self.error(field, reason))?;
        self.rest = rest;
        Ok(tlv)
    }

    /// The next element, which must have tag byte `tag`.
    pub(crate) fn expect(&mut self, tag: u8, field: &str) -> Result<Tlv<'a>, Malformed> {
        match self.peek_tag() {
            Some(found) if found == tag => self.any(field),
            Some(found) => Err(self.error(
                field,
                format!("expected tag 0x{tag:02x}, found 0x{found:02x}"),
            )),
            None => Err(self.error(field, "missing (the structure ends early)".into())),
        }
    }

    /// The next element if its tag byte is one of `tags`.
    pub(crate) fn optional(
        &mut self,
        tags: &[u8],
        field: &str,
    ) -> Result<Option<Tlv<'a>>, Malformed> {
        match self.peek_tag() {
            Some(found) if tags.contains(&found) => self.any(field).map(Some),
            _ => Ok(None),
        }
    }

    /// An error unless every element has been read.
    pub(crate) fn finish(self, field: &str) -> Result<(), Malformed> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.error(
                field,
                format!("{} unexpected bytes follow", self.rest.len()),
            ))
        }
    }

    /// All remaining elements, at most `limit` of them.
    pub(crate) fn rest(mut self, field: &str, limit: usize) -> Result<Vec<Tlv<'a>>, Malformed> {
        let mut items = Vec::new();
        while !self.is_empty() {
            if items.len() == limit {
                return Err(self.error(field, format!("more than {limit} elements")));
            }
            items.push(self.any(field)?);
        }
        Ok(items)
    }

    fn error(&self, field: &str, reason: String) -> Malformed {
        Malformed {
            what: self.what,
            reason: format!("{field}: {reason}"),
        }
    }
}

/// Splits the first TLV off `bytes` by strict DER (the `der` crate's header decoding).
fn split_der(bytes: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    let mut reader = SliceReader::new(bytes).map_err(|e| e.to_string())?;
    let tlv = reader.tlv_bytes().map_err(|e| e.to_string())?;
    let mut inner = SliceReader::new(tlv).map_err(|e| e.to_string())?;
    let header = Header::decode(&mut inner).map_err(|e| e.to_string())?;
    let value = inner
        .read_slice(header.length())
        .map_err(|e| e.to_string())?;
    let rest = bytes.get(tlv.len()..).unwrap_or_default();
    let tag = tlv.first().copied().unwrap_or_default();
    Ok((Tlv { tag, tlv, value }, rest))
}

/// Splits the first TLV off `bytes`. Lengths are read leniently (non-minimal long forms are
/// accepted); indefinite lengths and multi-byte tags are not.
fn split_lenient(bytes: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    let (&tag, after_tag) = bytes.split_first().ok_or("missing")?;
    if tag & 0x1f == 0x1f {
        return Err(format!(
            "multi-byte tag 0x{tag:02x} is not used by any seal field"
        ));
    }
    let (&first, after_first) = after_tag.split_first().ok_or("truncated length")?;
    let (len, after_len) = if first < 0x80 {
        (usize::from(first), after_first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 {
            return Err("indefinite length".into());
        }
        if count > MAX_LENGTH_OCTETS {
            return Err(format!("{count} length octets"));
        }
        let octets = after_first.get(..count).ok_or("truncated length")?;
        let len = octets
            .iter()
            .fold(0usize, |acc, b| acc << 8 | usize::from(*b));
        (len, after_first.get(count..).unwrap_or_default())
    };
    let value = after_len.get(..len).ok_or_else(|| {
        format!(
            "length {len} exceeds the {} bytes available",
            after_len.len()
        )
    })?;
    let header_len = bytes.len() - after_len.len();
    let total = header_len + len;
    let (tlv, rest) = bytes.split_at_checked(total).ok_or("truncated")?;
    Ok((Tlv { tag, tlv, value }, rest))
}
