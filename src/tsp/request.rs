//! TimeStampReq (RFC 3161 §2.4.1): what a client sends to a TSA. No network code: bytes out
//! (for an external TSA over HTTP, `Content-Type: application/timestamp-query`) and bytes in
//! (for [`LocalTsa`](super::LocalTsa)).

use der::asn1::{Any, Int, ObjectIdentifier, OctetString};
use der::{Decode, Encode};

use super::tst_info::{check_version, imprint, strip_zeros, unsigned};
use super::{Error, MAX_REQUEST_LEN, asn1, malformed};
use crate::pki::DigestAlgorithm;

/// A time-stamp request, parsed or built, with its DER.
///
/// ```
/// use smtrust::pki::DigestAlgorithm;
/// use smtrust::tsp::TimeStampRequest;
///
/// let request = TimeStampRequest::builder(DigestAlgorithm::Sm3, b"registration form")
///     .nonce(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef])
///     .build()?;
/// let parsed = TimeStampRequest::from_der(request.der())?;
/// assert_eq!(parsed.digest(), smtrust::sm3::hash(b"registration form").as_slice());
/// assert!(parsed.cert_req());
/// # Ok::<(), smtrust::tsp::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampRequest {
    der: Vec<u8>,
    algorithm: DigestAlgorithm,
    digest: Vec<u8>,
    policy: Option<String>,
    nonce: Option<Vec<u8>>,
    cert_req: bool,
    extensions: Vec<String>,
}

impl TimeStampRequest {
    /// A builder for a request over the digest of `data` with `algorithm`.
    pub fn builder(algorithm: DigestAlgorithm, data: &[u8]) -> RequestBuilder {
        RequestBuilder::for_digest(algorithm, algorithm.digest(data))
    }

    /// Parses a DER TimeStampReq.
    ///
    /// Errors: [`Error::Malformed`], [`Error::TooLarge`], [`Error::UnsupportedVersion`],
    /// [`Error::UnsupportedDigest`], [`Error::ImprintLength`].
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "TimeStampReq";
        if der.len() > MAX_REQUEST_LEN {
            return Err(Error::TooLarge {
                what: WHAT,
                len: der.len(),
                limit: MAX_REQUEST_LEN,
            });
        }
        let parsed =
            asn1::TimeStampReq::from_der(der).map_err(|e| malformed(WHAT, e.to_string()))?;
        check_version(WHAT, &parsed.version)?;
        let (algorithm, digest) = imprint(&parsed.message_imprint)?;
        Ok(Self {
            der: der.to_vec(),
            algorithm,
            digest,
            policy: parsed.req_policy.map(|oid| oid.to_string()),
            nonce: parsed.nonce.as_ref().map(unsigned),
            cert_req: parsed.cert_req,
            extensions: parsed
                .extensions
                .iter()
                .flatten()
                .map(|e| e.extn_id.to_string())
                .collect(),
        })
    }

    /// The DER to send.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The message imprint's hash algorithm.
    pub fn algorithm(&self) -> DigestAlgorithm {
        self.algorithm
    }

    /// The digest to be stamped.
    pub fn digest(&self) -> &[u8] {
        &self.digest
    }

    /// The requested TSA policy (dotted), if any.
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// The nonce (unsigned big-endian, no leading zeros), if any; the token must repeat it.
    pub fn nonce(&self) -> Option<&[u8]> {
        self.nonce.as_deref()
    }

    /// Whether the TSA is asked to include its certificate in the token.
    pub fn cert_req(&self) -> bool {
        self.cert_req
    }

    /// The OIDs (dotted) of the request's extensions.
    pub fn extensions(&self) -> &[String] {
        &self.extensions
    }
}

/// Builds a [`TimeStampRequest`]: version 1, certReq TRUE by default (so that the token can
/// be verified on its own), no nonce and no policy unless given.
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    algorithm: DigestAlgorithm,
    digest: Vec<u8>,
    nonce: Option<Vec<u8>>,
    policy: Option<String>,
    cert_req: bool,
}

impl RequestBuilder {
    /// A request over a digest the caller computed with `algorithm`.
    pub fn for_digest(algorithm: DigestAlgorithm, digest: Vec<u8>) -> Self {
        Self {
            algorithm,
            digest,
            nonce: None,
            policy: None,
            cert_req: true,
        }
    }

    /// The nonce, an unsigned big-endian integer (RFC 3161 §2.4.1: a large random number,
    /// e.g. 8 bytes; leading zero bytes are dropped).
    pub fn nonce(mut self, nonce: &[u8]) -> Self {
        self.nonce = Some(nonce.to_vec());
        self
    }

    /// The TSA policy to ask for (dotted OID).
    pub fn policy(mut self, oid: &str) -> Self {
        self.policy = Some(oid.to_owned());
        self
    }

    /// Whether to ask for the TSA certificate in the token (default true).
    pub fn cert_req(mut self, include: bool) -> Self {
        self.cert_req = include;
        self
    }

    /// The request.
    ///
    /// Errors: [`Error::ImprintLength`] if the digest does not fit the algorithm,
    /// [`Error::InvalidObjectIdentifier`] for a bad policy.
    pub fn build(&self) -> Result<TimeStampRequest, Error> {
        if self.digest.len() != self.algorithm.output_len() {
            return Err(Error::ImprintLength {
                algorithm: self.algorithm,
                len: self.digest.len(),
            });
        }
        let request = asn1::TimeStampReq {
            version: integer(&[1])?,
            message_imprint: message_imprint(self.algorithm, &self.digest)?,
            req_policy: self.policy.as_deref().map(object_id).transpose()?,
            nonce: self.nonce.as_deref().map(unsigned_integer).transpose()?,
            cert_req: self.cert_req,
            extensions: None,
        };
        TimeStampRequest::from_der(&request.to_der().map_err(encoding)?)
    }
}

/// MessageImprint with the algorithm's parameters as OpenSSL writes them: NULL for SHA-2
/// (RFC 5754 allows it), absent for SM3 (GM/T 0006 practice).
pub(super) fn message_imprint(
    algorithm: DigestAlgorithm,
    digest: &[u8],
) -> Result<asn1::MessageImprint, Error> {
    let parameters = match algorithm {
        DigestAlgorithm::Sm3 => None,
        _ => Some(Any::from(der::asn1::Null)),
    };
    Ok(asn1::MessageImprint {
        hash_algorithm: asn1::AlgorithmIdentifier {
            algorithm: algorithm.object_id(),
            parameters,
        },
        hashed_message: OctetString::new(digest).map_err(encoding)?,
    })
}

/// The dotted `text` as an OID.
pub(super) fn object_id(text: &str) -> Result<ObjectIdentifier, Error> {
    ObjectIdentifier::new(text).map_err(|_| Error::InvalidObjectIdentifier {
        oid: text.to_owned(),
    })
}

/// An INTEGER from two's-complement content bytes.
pub(super) fn integer(bytes: &[u8]) -> Result<Int, Error> {
    Int::new(bytes).map_err(encoding)
}

/// A non-negative INTEGER from unsigned big-endian bytes (leading zeros dropped, a 0x00
/// prepended when the top bit is set; an empty input is 0).
pub(super) fn unsigned_integer(bytes: &[u8]) -> Result<Int, Error> {
    let bytes = &strip_zeros(bytes)[..];
    match bytes.first() {
        None => integer(&[0]),
        Some(first) if first & 0x80 != 0 => integer(&[&[0], bytes].concat()),
        Some(_) => integer(bytes),
    }
}

/// `Error::Malformed` for an encoding failure (only reachable for values beyond DER's limits).
pub(super) fn encoding(error: der::Error) -> Error {
    malformed("encoding", error.to_string())
}
