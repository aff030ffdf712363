//! The fixed keys and messages the targets verify and decrypt with, taken from
//! test-vectors/, and a small DER peek at PBKDF2 iteration counts.

/// `sm2-sign-001` of test-vectors/interop/sm2_sign.json: public key.
pub const SIGN_001_PUBLIC_KEY: &str = "04435ff3b44bb2c53d7fd9e0afd8e546cf9677c5108a88c4a45362d4f8715c95361c410c898d0e9a34c8656fe681f0c85ef04602ea6743b217fc589c0f13231823";

/// `sm2-sign-001`: the message ("message digest").
pub const SIGN_001_MESSAGE: &str = "6d65737361676520646967657374";

/// `sm2-enc-001` of test-vectors/interop/sm2_encrypt.json: secret key.
pub const ENC_001_SECRET_KEY: &str =
    "3ec0e58926a1ef04aaef85826646f2003cb61ea2d3937e2cdb5d178992281a0a";

/// The `leaf-good` certificate of test-vectors/interop/pki (the real-name institution).
pub const LEAF_GOOD_CERTIFICATE: &[u8] =
    include_bytes!("../../test-vectors/interop/pki/std/leaf-good.der");

/// The root of test-vectors/interop/pki/std.
pub const STD_ROOT_CERTIFICATE: &[u8] =
    include_bytes!("../../test-vectors/interop/pki/std/root.der");

/// The name of the ledger log the checkpoint and bundle seeds were signed for.
pub const LOG_NAME: &str = "smtrust.example/fuzz";

/// The ledger log's secret key bytes (every byte 7, as in tests/trace_ledger.rs).
pub const LOG_SECRET_KEY: [u8; 32] = [7; 32];

/// Decodes a hex constant of this file.
pub fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

/// PBKDF2's OID, 1.2.840.113549.1.5.12, as DER.
const PBKDF2_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c,
];

/// One DER header at the start of `data`: the tag, the content length and the header length.
fn header(data: &[u8]) -> Option<(u8, usize, usize)> {
    let (&tag, rest) = data.split_first()?;
    let (&first, rest) = rest.split_first()?;
    if first < 0x80 {
        return Some((tag, usize::from(first), 2));
    }
    let count = usize::from(first & 0x7f);
    let bytes = rest.get(..count)?;
    if count > 4 {
        return None;
    }
    let len = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
    Some((tag, len, 2 + count))
}

/// The iteration count of the first PBKDF2 parameters in `data` (DER or PEM-wrapped DER),
/// if one can be read: `SEQUENCE { OCTET STRING salt, INTEGER iterationCount, ... }`.
pub fn pbkdf2_iterations(data: &[u8]) -> Option<u64> {
    let der = match std::str::from_utf8(data) {
        Ok(text) if text.contains("-----BEGIN") => {
            use base64ct::{Base64, Encoding as _};
            let body: String = text
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .collect();
            Base64::decode_vec(body.trim()).unwrap_or_default()
        }
        _ => data.to_vec(),
    };
    let at = der
        .windows(PBKDF2_OID.len())
        .position(|w| w == PBKDF2_OID)?;
    let params = der.get(at + PBKDF2_OID.len()..)?;
    let (_, _, seq_header) = header(params)?;
    let salt = params.get(seq_header..)?;
    let (_, salt_len, salt_header) = header(salt)?;
    let count = salt.get(salt_header.checked_add(salt_len)?..)?;
    let (tag, len, count_header) = header(count)?;
    if tag != 0x02 {
        return None;
    }
    let digits = count.get(count_header..count_header.checked_add(len)?)?;
    if digits.len() > 8 {
        return Some(u64::MAX);
    }
    Some(digits.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)))
}
