//! Seal fields read with the crate's DER walker (`pki::der_walk`, lenient lengths), and the
//! writers the seal encoder needs.
//!
//! Seals are read by hand rather than with `der`'s derive because real files bend the rules
//! (SEAL-SPEC §5): the same field arrives with or without a context tag, as a BIT STRING or an
//! OCTET STRING, with UTF-8 in an IA5String, with non-minimal lengths. What matters is the
//! exact bytes each signature covers, which every [`Tlv`] keeps.

use der::asn1::ObjectIdentifier;

use crate::pki::der_walk::Malformed;
pub(super) use crate::pki::der_walk::{
    BIT_STRING, BOOLEAN, CONTEXT_0, CONTEXT_0_PRIMITIVE, Cursor, GENERALIZED_TIME, IA5_STRING,
    INTEGER, OCTET_STRING, OID, PRINTABLE_STRING, SEQUENCE, Tlv, UTC_TIME, UTF8_STRING,
};

use super::Error;

impl From<Malformed> for Error {
    fn from(Malformed { what, reason }: Malformed) -> Self {
        Self::Malformed { what, reason }
    }
}

/// Reads one element that must fill `bytes` exactly.
pub(super) fn single<'a>(bytes: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>, Error> {
    let mut cursor = Cursor::lenient(bytes, what);
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
