//! A lenient DER walker that keeps the original bytes of every element, and the writers the
//! seal encoder needs.
//!
//! Seals are read by hand rather than with `der`'s derive because real files bend the rules
//! (SEAL-SPEC §5): the same field arrives with or without a context tag, as a BIT STRING or an
//! OCTET STRING, with UTF-8 in an IA5String. What matters is the exact bytes each signature
//! covers, which every [`Tlv`] keeps.

use der::asn1::ObjectIdentifier;

use super::Error;

/// One element: its tag byte, the whole TLV and the value bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tlv<'a> {
    pub(super) tag: u8,
    pub(super) tlv: &'a [u8],
    pub(super) value: &'a [u8],
}

pub(super) const BOOLEAN: u8 = 0x01;
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const OID: u8 = 0x06;
pub(super) const UTF8_STRING: u8 = 0x0c;
pub(super) const PRINTABLE_STRING: u8 = 0x13;
pub(super) const IA5_STRING: u8 = 0x16;
pub(super) const UTC_TIME: u8 = 0x17;
pub(super) const GENERALIZED_TIME: u8 = 0x18;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const CONTEXT_0: u8 = 0xa0;
pub(super) const CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// Length octets longer than this (4 bytes of length) are refused: no seal part is 4 GiB.
const MAX_LENGTH_OCTETS: usize = 4;

/// Walks the elements of one constructed value (or of a whole input) in order.
pub(super) struct Cursor<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `bytes`; errors name `what`.
    pub(super) fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Self { rest: bytes, what }
    }

    /// Whether every element has been read.
    pub(super) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag byte of the next element, if any.
    pub(super) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element, whatever its tag.
    pub(super) fn any(&mut self, field: &str) -> Result<Tlv<'a>, Error> {
        let (tlv, rest) = split_tlv(self.rest).map_err(|reason| self.error(field, reason))?;
        self.rest = rest;
        Ok(tlv)
    }

    /// The next element, which must have tag byte `tag`.
    pub(super) fn expect(&mut self, tag: u8, field: &str) -> Result<Tlv<'a>, Error> {
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
    pub(super) fn optional(&mut self, tags: &[u8], field: &str) -> Result<Option<Tlv<'a>>, Error> {
        match self.peek_tag() {
            Some(found) if tags.contains(&found) => self.any(field).map(Some),
            _ => Ok(None),
        }
    }

    /// An error unless every element has been read.
    pub(super) fn finish(self, field: &str) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.error(
                field,
                format!("{} unexpected bytes follow", self.rest.len()),
            ))
        }
    }

    /// All remaining elements.
    pub(super) fn rest(mut self, field: &str, limit: usize) -> Result<Vec<Tlv<'a>>, Error> {
        let mut items = Vec::new();
        while !self.is_empty() {
            if items.len() == limit {
                return Err(self.error(field, format!("more than {limit} elements")));
            }
            items.push(self.any(field)?);
        }
        Ok(items)
    }

    fn error(&self, field: &str, reason: String) -> Error {
        Error::Malformed {
            what: self.what,
            reason: format!("{field}: {reason}"),
        }
    }
}

/// Splits the first TLV off `bytes`. Lengths are read leniently (non-minimal long forms are
/// accepted); indefinite lengths and multi-byte tags are not.
fn split_tlv(bytes: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
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

/// Reads one element that must fill `bytes` exactly.
pub(super) fn single<'a>(bytes: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>, Error> {
    let mut cursor = Cursor::new(bytes, what);
    let tlv = cursor.expect(tag, "outer element")?;
    cursor.finish("outer element")?;
    Ok(tlv)
}

/// The value of an INTEGER that fits an `i64` (two's complement, up to 8 bytes).
pub(super) fn integer(tlv: Tlv<'_>, what: &'static str, field: &str) -> Result<i64, Error> {
    let bytes = tlv.value;
    if bytes.is_empty() || bytes.len() > 8 {
        return Err(Error::Malformed {
            what,
            reason: format!("{field}: an INTEGER of {} bytes", bytes.len()),
        });
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let start: i64 = if negative { -1 } else { 0 };
    Ok(bytes
        .iter()
        .fold(start, |acc, b| (acc << 8) | i64::from(*b)))
}

/// The text of a string element, with bytes that are not UTF-8 replaced (D2: IA5Strings holding
/// UTF-8 are shown as the UTF-8 they are).
pub(super) fn text(tlv: Tlv<'_>) -> String {
    String::from_utf8_lossy(tlv.value).into_owned()
}

/// The dotted form of an OBJECT IDENTIFIER.
pub(super) fn oid(tlv: Tlv<'_>, what: &'static str, field: &str) -> Result<String, Error> {
    ObjectIdentifier::from_bytes(tlv.value)
        .map(|oid| oid.to_string())
        .map_err(|e| Error::Malformed {
            what,
            reason: format!("{field}: {e}"),
        })
}

/// The bytes of a BIT STRING, which must have no unused bits.
pub(super) fn bit_string(tlv: Tlv<'_>, what: &'static str, field: &str) -> Result<Vec<u8>, Error> {
    match tlv.value.split_first() {
        Some((0, bytes)) => Ok(bytes.to_vec()),
        Some((unused, _)) => Err(Error::Malformed {
            what,
            reason: format!("{field}: a BIT STRING with {unused} unused bits"),
        }),
        None => Err(Error::Malformed {
            what,
            reason: format!("{field}: an empty BIT STRING"),
        }),
    }
}

/// The TLV with tag byte `tag` around the concatenation of `parts` (definite, minimal length).
pub(super) fn wrap(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    out.push(tag);
    if len < 0x80 {
        out.extend(u8::try_from(len));
    } else {
        let bytes = len.to_be_bytes();
        let significant: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
        out.extend(u8::try_from(0x80 | significant.len()));
        out.extend(significant);
    }
    for part in parts {
        out.extend_from_slice(part);
    }
    out
}

/// The DER INTEGER `value`.
pub(super) fn write_integer(value: i64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (Some(this), Some(next)) = (bytes.get(start), bytes.get(start + 1)) else {
            break;
        };
        let redundant = (*this == 0 && next & 0x80 == 0) || (*this == 0xff && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    wrap(INTEGER, &[bytes.get(start..).unwrap_or_default()])
}

/// The DER BIT STRING holding `bytes` with no unused bits.
pub(super) fn write_bit_string(bytes: &[u8]) -> Vec<u8> {
    wrap(BIT_STRING, &[&[0], bytes])
}

/// The DER OBJECT IDENTIFIER for a dotted OID.
pub(super) fn write_oid(dotted: &str) -> Result<Vec<u8>, Error> {
    let oid = ObjectIdentifier::new(dotted).map_err(|e| Error::InvalidInput {
        what: "object identifier",
        reason: format!("{dotted}: {e}"),
    })?;
    Ok(wrap(OID, &[oid.as_bytes()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        for value in [0, 1, 127, 128, 255, 256, -1, -128, -129, i64::MAX, i64::MIN] {
            let der = write_integer(value);
            let tlv = single(&der, INTEGER, "test").unwrap();
            assert_eq!(integer(tlv, "test", "n").unwrap(), value, "{value}");
        }
        assert_eq!(write_integer(128), [0x02, 0x02, 0x00, 0x80]);
        assert_eq!(write_integer(-128), [0x02, 0x01, 0x80]);
    }

    #[test]
    fn integers_parse() {
        let tlv = single(&[0x02, 0x02, 0x00, 0x80], INTEGER, "test").unwrap();
        assert_eq!(integer(tlv, "test", "n").unwrap(), 128);
        let tlv = single(&[0x02, 0x01, 0x80], INTEGER, "test").unwrap();
        assert_eq!(integer(tlv, "test", "n").unwrap(), -128);
    }

    #[test]
    fn long_lengths_and_truncation() {
        let content = vec![7u8; 300];
        let der = wrap(OCTET_STRING, &[&content]);
        assert_eq!(&der[..4], [0x04, 0x82, 0x01, 0x2c]);
        let tlv = single(&der, OCTET_STRING, "test").unwrap();
        assert_eq!(tlv.value, &content[..]);
        let err = single(&der[..200], OCTET_STRING, "test").unwrap_err();
        assert!(
            matches!(err, Error::Malformed { what: "test", ref reason } if reason.contains("exceeds"))
        );
        let indefinite = single(&[0x30, 0x80, 0, 0], SEQUENCE, "test").unwrap_err();
        assert!(
            matches!(indefinite, Error::Malformed { ref reason, .. } if reason.contains("indefinite"))
        );
    }
}
