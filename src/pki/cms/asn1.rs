//! SignedData read with the crate's DER walker (`pki::der_walk`, strict DER lengths), and the
//! few writers SignedData needs. Parsing by hand keeps the exact signed-attribute bytes the
//! signature covers, and accepts the certificates real GM CAs issue.

use der::{Decode, Encode, Length};

use crate::pki::der_walk::Malformed;
pub(super) use crate::pki::der_walk::{
    CONTEXT_0, CONTEXT_1, Cursor, INTEGER, OCTET_STRING, OID, SEQUENCE, SET, Tlv,
};

use super::CmsError;

impl From<Malformed> for CmsError {
    fn from(Malformed { what, reason }: Malformed) -> Self {
        Self::Malformed { what, reason }
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
    let mut inner = Cursor::der(tlv.value, what);
    let id = oid(inner.expect(OID, "algorithm")?, what)?;
    if !inner.is_empty() {
        inner.any("parameters")?;
    }
    inner.finish("AlgorithmIdentifier")?;
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
