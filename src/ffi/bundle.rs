//! Certificates and CRLs as C passes them: one item in PEM or DER, or a bundle of items — PEM
//! blocks one after another (text between blocks is ignored, as in a CA file), or DER
//! structures back to back.

use der::{Reader, SliceReader};

use super::Error;
use crate::pki::{self, Certificate, Crl};

/// One certificate, PEM (`CERTIFICATE`) or DER.
pub(super) fn certificate(bytes: &[u8]) -> Result<Certificate, Error> {
    Ok(match pem_text(bytes)? {
        Some(text) => Certificate::from_pem(text)?,
        None => Certificate::from_der(bytes)?,
    })
}

/// Every certificate of a bundle; the empty input is the empty bundle.
pub(super) fn certificates(bytes: &[u8]) -> Result<Vec<Certificate>, Error> {
    Ok(match pem_text(bytes)? {
        Some(text) => pem_blocks(text, "certificate bundle")?
            .into_iter()
            .map(Certificate::from_pem)
            .collect::<Result<_, _>>()?,
        None => der_items(bytes, "certificate bundle")?
            .into_iter()
            .map(Certificate::from_der)
            .collect::<Result<_, _>>()?,
    })
}

/// Every CRL of a bundle; the empty input is the empty bundle.
pub(super) fn crls(bytes: &[u8]) -> Result<Vec<Crl>, Error> {
    Ok(match pem_text(bytes)? {
        Some(text) => pem_blocks(text, "CRL bundle")?
            .into_iter()
            .map(Crl::from_pem)
            .collect::<Result<_, _>>()?,
        None => der_items(bytes, "CRL bundle")?
            .into_iter()
            .map(Crl::from_der)
            .collect::<Result<_, _>>()?,
    })
}

/// The input as text if it is PEM: anything but empty input or DER (which starts with the
/// SEQUENCE tag 0x30) must be text with a `-----BEGIN ` line.
fn pem_text(bytes: &[u8]) -> Result<Option<&str>, Error> {
    if bytes.first().is_none_or(|first| *first == 0x30) {
        return Ok(None);
    }
    let not_pem = |reason: &str| malformed("input", format!("it is neither DER nor PEM: {reason}"));
    let text = core::str::from_utf8(bytes).map_err(|_| not_pem("it is not UTF-8 text"))?;
    if text.contains("-----BEGIN ") {
        Ok(Some(text))
    } else {
        Err(not_pem("it has no -----BEGIN line"))
    }
}

/// The PEM blocks of `text`, each from its `-----BEGIN ` line to the end of its `-----END `
/// line.
fn pem_blocks<'a>(text: &'a str, what: &'static str) -> Result<Vec<&'a str>, Error> {
    const BEGIN: &str = "-----BEGIN ";
    const END: &str = "-----END ";
    const DASHES: &str = "-----";
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let from_begin = rest.get(start..).unwrap_or_default();
        let unterminated = || malformed(what, "a PEM block has no END line".to_owned());
        let end = from_begin.find(END).ok_or_else(unterminated)?;
        let after_end = from_begin.get(end + END.len()..).unwrap_or_default();
        let close = after_end.find(DASHES).ok_or_else(unterminated)?;
        let block_len = end + END.len() + close + DASHES.len();
        blocks.push(from_begin.get(..block_len).unwrap_or_default());
        rest = from_begin.get(block_len..).unwrap_or_default();
    }
    Ok(blocks)
}

/// The DER structures of `bytes`, back to back.
fn der_items<'a>(bytes: &'a [u8], what: &'static str) -> Result<Vec<&'a [u8]>, Error> {
    let to_error = |err: der::Error| malformed(what, err.to_string());
    let mut items = Vec::new();
    if bytes.is_empty() {
        return Ok(items);
    }
    let mut reader = SliceReader::new(bytes).map_err(to_error)?;
    while !reader.is_finished() {
        items.push(reader.tlv_bytes().map_err(to_error)?);
    }
    Ok(items)
}

fn malformed(what: &'static str, reason: String) -> Error {
    Error::Pki(pki::Error::Malformed { what, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(path: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/test-vectors/interop/pki/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn pem_bundle_with_text_between_blocks() {
        let bundle = [
            b"root:\n".to_vec(),
            vector("std/root.pem"),
            b"\nintermediate:\n".to_vec(),
            vector("std/int.pem"),
        ]
        .concat();
        let parsed = certificates(&bundle).unwrap();
        assert_eq!(parsed.len(), 2);
        assert!(parsed.iter().all(Certificate::is_ca));
    }

    #[test]
    fn der_bundle_back_to_back() {
        let bundle = [vector("std/root.der"), vector("std/int.der")].concat();
        assert_eq!(certificates(&bundle).unwrap().len(), 2);
        assert_eq!(certificates(&[]).unwrap(), Vec::new());
    }

    #[test]
    fn truncated_der_bundle_is_malformed() {
        let bundle = [vector("std/root.der"), vector("std/int.der")].concat();
        let err = certificates(&bundle[..bundle.len() - 1]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Pki(pki::Error::Malformed {
                    what: "certificate bundle",
                    ..
                })
            ),
            "{err:?}"
        );
    }

    #[test]
    fn text_without_pem_blocks_is_neither_der_nor_pem() {
        assert_eq!(
            certificates(b"root.pem").unwrap_err(),
            malformed(
                "input",
                "it is neither DER nor PEM: it has no -----BEGIN line".to_owned()
            )
        );
        assert_eq!(
            certificate(&[0xff, 0xfe]).unwrap_err(),
            malformed(
                "input",
                "it is neither DER nor PEM: it is not UTF-8 text".to_owned()
            )
        );
    }

    #[test]
    fn pem_block_without_end_is_malformed() {
        let pem = vector("std/root.pem");
        let cut = String::from_utf8(pem)
            .unwrap()
            .replace("-----END", "-----XND");
        assert_eq!(
            certificates(cut.as_bytes()).unwrap_err(),
            malformed(
                "certificate bundle",
                "a PEM block has no END line".to_owned()
            )
        );
    }
}
