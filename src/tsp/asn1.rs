//! The ASN.1 structures of RFC 3161 §2.4, as `der` types. Times and names are kept as raw
//! elements ([`Any`]) and read by hand: genTime may carry fractional seconds, which `der`'s
//! GeneralizedTime does not accept.

use der::asn1::{Any, BitString, Int, ObjectIdentifier, OctetString};
use der::{Enumerated, Sequence};

/// AlgorithmIdentifier (RFC 5280 §4.1.1.2) with optional parameters.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct AlgorithmIdentifier {
    pub(super) algorithm: ObjectIdentifier,
    #[asn1(optional = "true")]
    pub(super) parameters: Option<Any>,
}

/// MessageImprint ::= SEQUENCE { hashAlgorithm, hashedMessage OCTET STRING }.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct MessageImprint {
    pub(super) hash_algorithm: AlgorithmIdentifier,
    pub(super) hashed_message: OctetString,
}

/// Extension (RFC 5280 §4.1) as it appears in requests and TSTInfo.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct Extension {
    pub(super) extn_id: ObjectIdentifier,
    #[asn1(default = "Default::default")]
    pub(super) critical: bool,
    pub(super) extn_value: OctetString,
}

/// TimeStampReq (RFC 3161 §2.4.1).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct TimeStampReq {
    pub(super) version: Int,
    pub(super) message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    pub(super) req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    pub(super) nonce: Option<Int>,
    #[asn1(default = "Default::default")]
    pub(super) cert_req: bool,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub(super) extensions: Option<Vec<Extension>>,
}

/// Accuracy (RFC 3161 §2.4.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct Accuracy {
    #[asn1(optional = "true")]
    pub(super) seconds: Option<u32>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub(super) millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub(super) micros: Option<u16>,
}

/// TSTInfo (RFC 3161 §2.4.2).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct TstInfo {
    pub(super) version: Int,
    pub(super) policy: ObjectIdentifier,
    pub(super) message_imprint: MessageImprint,
    pub(super) serial_number: Int,
    pub(super) gen_time: Any,
    #[asn1(optional = "true")]
    pub(super) accuracy: Option<Accuracy>,
    #[asn1(default = "Default::default")]
    pub(super) ordering: bool,
    #[asn1(optional = "true")]
    pub(super) nonce: Option<Int>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub(super) tsa: Option<Any>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub(super) extensions: Option<Vec<Extension>>,
}

/// PKIStatus (RFC 3161 §2.4.2, from RFC 4210).
#[derive(Clone, Copy, Debug, Eq, PartialEq, Enumerated)]
#[asn1(type = "INTEGER")]
#[repr(u8)]
pub(super) enum Status {
    Granted = 0,
    GrantedWithMods = 1,
    Rejection = 2,
    Waiting = 3,
    RevocationWarning = 4,
    RevocationNotification = 5,
}

/// PKIStatusInfo ::= SEQUENCE { status, statusString PKIFreeText OPTIONAL, failInfo OPTIONAL }.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct PkiStatusInfo {
    pub(super) status: Status,
    #[asn1(optional = "true")]
    pub(super) status_string: Option<Vec<String>>,
    #[asn1(optional = "true")]
    pub(super) fail_info: Option<BitString>,
}

/// TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct TimeStampResp {
    pub(super) status: PkiStatusInfo,
    #[asn1(optional = "true")]
    pub(super) time_stamp_token: Option<Any>,
}

/// ESSCertID (RFC 2634 §5.4.1, signingCertificate) and ESSCertIDv2 (RFC 5035 §3,
/// signingCertificateV2) share this shape once the v2 hashAlgorithm is read separately.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct IssuerSerial {
    pub(super) issuer: Vec<Any>,
    pub(super) serial_number: Int,
}

/// ESSCertID (RFC 2634 §5.4.1): the SHA-1 of the signer certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct EssCertId {
    pub(super) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(super) issuer_serial: Option<IssuerSerial>,
}

/// ESSCertIDv2 (RFC 5035 §4): hashAlgorithm DEFAULT SHA-256.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct EssCertIdV2 {
    #[asn1(optional = "true")]
    pub(super) hash_algorithm: Option<AlgorithmIdentifier>,
    pub(super) cert_hash: OctetString,
    #[asn1(optional = "true")]
    pub(super) issuer_serial: Option<IssuerSerial>,
}

/// SigningCertificate (RFC 2634 §5.4).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct SigningCertificate {
    pub(super) certs: Vec<EssCertId>,
    #[asn1(optional = "true")]
    pub(super) policies: Option<Any>,
}

/// SigningCertificateV2 (RFC 5035 §3).
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub(super) struct SigningCertificateV2 {
    pub(super) certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    pub(super) policies: Option<Any>,
}
