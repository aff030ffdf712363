//! Distinguished names as text, for errors and reports.
//!
//! Values are decoded leniently: an IA5String or PrintableString that holds UTF-8 bytes (real
//! GM certificates put Chinese text in an IA5String e-mail address, SEAL-SPEC D2) is shown as
//! UTF-8, and invalid bytes become U+FFFD. Names are only ever compared as DER, never as text.

use core::fmt::Write;

use der::Tag;
use der::asn1::ObjectIdentifier;
use x509_cert::name::Name;

/// Short names of the attribute types seen in GM and Web PKI certificates.
const SHORT_NAMES: [(ObjectIdentifier, &str); 15] = [
    (ObjectIdentifier::new_unwrap("2.5.4.3"), "CN"),
    (ObjectIdentifier::new_unwrap("2.5.4.4"), "SN"),
    (ObjectIdentifier::new_unwrap("2.5.4.5"), "serialNumber"),
    (ObjectIdentifier::new_unwrap("2.5.4.6"), "C"),
    (ObjectIdentifier::new_unwrap("2.5.4.7"), "L"),
    (ObjectIdentifier::new_unwrap("2.5.4.8"), "ST"),
    (ObjectIdentifier::new_unwrap("2.5.4.9"), "street"),
    (ObjectIdentifier::new_unwrap("2.5.4.10"), "O"),
    (ObjectIdentifier::new_unwrap("2.5.4.11"), "OU"),
    (ObjectIdentifier::new_unwrap("2.5.4.12"), "title"),
    (ObjectIdentifier::new_unwrap("2.5.4.42"), "GN"),
    (
        ObjectIdentifier::new_unwrap("2.5.4.97"),
        "organizationIdentifier",
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.1"),
        "emailAddress",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.1"),
        "UID",
    ),
    (
        ObjectIdentifier::new_unwrap("0.9.2342.19200300.100.1.25"),
        "DC",
    ),
];

/// `name` as `C=CN, O=…, CN=…` in certificate order (the order `openssl x509 -text` prints).
pub(crate) fn display_name(name: &Name) -> String {
    let mut out = String::new();
    for (index, atv) in name.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        match SHORT_NAMES.iter().find(|(oid, _)| *oid == atv.oid) {
            Some((_, short)) => out.push_str(short),
            None => out.push_str(&atv.oid.to_string()),
        }
        out.push('=');
        push_value(&mut out, der::Tagged::tag(&atv.value), atv.value.value());
    }
    out
}

fn push_value(out: &mut String, tag: Tag, bytes: &[u8]) {
    match tag {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::TeletexString
        | Tag::VisibleString => out.push_str(&String::from_utf8_lossy(bytes)),
        Tag::BmpString => {
            let units = bytes.chunks(2).map(|pair| {
                u16::from_be_bytes([
                    pair.first().copied().unwrap_or(0),
                    pair.get(1).copied().unwrap_or(0),
                ])
            });
            out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
        }
        _ => {
            out.push('#');
            for byte in bytes {
                // Writing to a String cannot fail.
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use der::Decode;

    use super::*;

    /// A Name with a BMPString CN, an IA5String holding UTF-8 (SEAL-SPEC D2), and an
    /// attribute type without a short name whose value is an INTEGER.
    #[test]
    fn lenient_display_of_string_types() {
        let der = [
            &[0x30, 0x30][..],
            &[
                0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1e, 0x04, 0x4e, 0x2d, 0x56,
                0xfd,
            ],
            &[
                0x31, 0x14, 0x30, 0x12, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09,
                0x01,
            ],
            &[0x16, 0x05, 0xe9, 0x82, 0xae, 0x61, 0xff],
            &[
                0x31, 0x09, 0x30, 0x07, 0x06, 0x02, 0x2a, 0x03, 0x02, 0x01, 0x07,
            ],
        ]
        .concat();
        let name = Name::from_der(&der).unwrap();
        assert_eq!(
            display_name(&name),
            "CN=中国, emailAddress=邮a\u{fffd}, 1.2.3=#07"
        );
    }
}
