//! The seal (SESeal) of GB/T 38540 v4, GM/T 0031-2014 v1 and GM/T 0031-2025 v5: its fields,
//! and how it is read from DER (SEAL-SPEC §2.1, §3, §4, with the deviations of §5).

use core::fmt;

use rustls_pki_types::UnixTime;

use super::der::{
    self, BIT_STRING, BOOLEAN, CONTEXT_0, CONTEXT_0_PRIMITIVE, Cursor, GENERALIZED_TIME,
    IA5_STRING, INTEGER, OCTET_STRING, OID, PRINTABLE_STRING, SEQUENCE, Tlv, UTC_TIME, UTF8_STRING,
};
use super::picture::{Picture, PictureFormat};
use super::time::parse_asn1_time;
use super::{Deviation, Error, Warning};

/// The largest seal this module reads: 16 MiB. Real seals are 5–30 KB; a tax seal's picture
/// is a whole OFD package, still well under a megabyte.
pub const MAX_SEAL_LEN: usize = 16 * 1024 * 1024;

/// The most entries read from a certificate list or an extension list. Real seals list one or
/// two certificates and at most three extensions.
pub const MAX_LIST_ENTRIES: usize = 64;

/// Which standard a seal or seal signature follows, told apart by shape (SEAL-SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SealVersion {
    /// GM/T 0031-2014: a two-element SESeal and SES_Signature.
    V1,
    /// GB/T 38540-2020: a four-element SESeal and a four- or five-element SES_Signature.
    V4,
    /// GM/T 0031-2025: v4's shape with header version 5 and an optional seal timestamp.
    V5,
}

impl SealVersion {
    /// The standard's name and the version this library calls it.
    pub fn standard(self) -> &'static str {
        match self {
            Self::V1 => "GM/T 0031-2014 (v1)",
            Self::V4 => "GB/T 38540-2020 (v4)",
            Self::V5 => "GM/T 0031-2025 (v5)",
        }
    }
}

impl fmt::Display for SealVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.standard())
    }
}

/// One ExtData of a seal or of a TBS_Sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The extnID in dotted form.
    pub oid: String,
    /// The critical flag (FALSE when absent).
    pub critical: bool,
    /// The extnValue bytes.
    pub value: Vec<u8>,
}

/// A certificate digest in a v4 seal whose certListType is 2 (CertDigestObj).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertDigest {
    /// The free-form label naming the digest algorithm.
    pub kind: String,
    /// The digest of the certificate.
    pub value: Vec<u8>,
}

/// The certificates of the people allowed to use the seal (SES_CertList).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertList {
    /// certListType 1 (and every v1 seal): the signer certificates' DER.
    Certificates(Vec<Vec<u8>>),
    /// certListType 2: digests of the signer certificates.
    Digests(Vec<CertDigest>),
}

/// An electronic seal (SESeal), parsed leniently, with the exact bytes its maker signed.
///
/// ```
/// use smtrust::seal::{Seal, SealVersion};
///
/// let der = std::fs::read("test-vectors/seals/ofdrw_UserV4.esl")?;
/// let seal = Seal::from_der(&der)?;
/// assert_eq!(seal.version(), SealVersion::V4);
/// assert_eq!(seal.picture().kind, "PNG");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Seal {
    pub(super) der: Vec<u8>,
    pub(super) version: SealVersion,
    pub(super) header_version: i64,
    pub(super) vid: String,
    pub(super) es_id: String,
    pub(super) seal_type: i64,
    pub(super) name: String,
    pub(super) cert_list_type: Option<i64>,
    pub(super) cert_list: CertList,
    pub(super) created: UnixTime,
    pub(super) valid_start: UnixTime,
    pub(super) valid_end: UnixTime,
    pub(super) picture: Picture,
    pub(super) extensions: Vec<Extension>,
    pub(super) maker_certificate: Vec<u8>,
    pub(super) algorithm: String,
    pub(super) maker_signature: Vec<u8>,
    pub(super) timestamp: Option<Vec<u8>>,
    pub(super) maker_signed: Vec<u8>,
    pub(super) warnings: Vec<Warning>,
}

impl Seal {
    /// Parses a seal of any version (told apart by shape); trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_SEAL_LEN {
            return Err(Error::TooLarge {
                what: "seal",
                len: der.len(),
                limit: MAX_SEAL_LEN,
            });
        }
        let outer = der::single(der, SEQUENCE, "seal")?;
        parse_seal(outer)
    }

    /// The exact DER of the whole seal.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Which standard the seal follows.
    pub fn version(&self) -> SealVersion {
        self.version
    }

    /// The version number written in the header (4 for v4, 5 for v5, 1 in real v1 seals).
    pub fn header_version(&self) -> i64 {
        self.header_version
    }

    /// The vendor identifier (vid).
    pub fn vendor(&self) -> &str {
        &self.vid
    }

    /// The seal's unique identifier (esID).
    pub fn id(&self) -> &str {
        &self.es_id
    }

    /// The business-defined seal type (D5).
    pub fn seal_type(&self) -> i64 {
        self.seal_type
    }

    /// The seal's name, e.g. "发票专用章".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// certListType (v4 and v5 only): 1 = certificates, 2 = certificate digests.
    pub fn cert_list_type(&self) -> Option<i64> {
        self.cert_list_type
    }

    /// The certificates (or their digests) of the people allowed to use the seal.
    pub fn cert_list(&self) -> &CertList {
        &self.cert_list
    }

    /// When the seal was made (createDate).
    pub fn created(&self) -> UnixTime {
        self.created
    }

    /// The start of the validity period (validStart).
    pub fn valid_start(&self) -> UnixTime {
        self.valid_start
    }

    /// The end of the validity period (validEnd).
    pub fn valid_end(&self) -> UnixTime {
        self.valid_end
    }

    /// The stamp picture.
    pub fn picture(&self) -> &Picture {
        &self.picture
    }

    /// The seal information's extensions (extDatas).
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The seal maker's (制章者) certificate DER, as embedded.
    pub fn maker_certificate(&self) -> &[u8] {
        &self.maker_certificate
    }

    /// The maker's signature algorithm OID (1.2.156.10197.1.501 for SM2-with-SM3).
    pub fn algorithm(&self) -> &str {
        &self.algorithm
    }

    /// The maker's signature bytes (the BIT STRING's content).
    pub fn maker_signature(&self) -> &[u8] {
        &self.maker_signature
    }

    /// The v5 timestamp token over the maker's signature, if any.
    pub fn timestamp(&self) -> Option<&[u8]> {
        self.timestamp.as_deref()
    }

    /// The exact bytes the maker signed: the SES_SealInfo TLV (v4, v5), or
    /// `SEQUENCE { sealInfo, cert, algorithm }` built from the original TLVs (v1).
    pub fn maker_signed_bytes(&self) -> &[u8] {
        &self.maker_signed
    }

    /// The deviations from the standard that parsing tolerated.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }
}

impl fmt::Debug for Seal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seal")
            .field("version", &self.version)
            .field("vid", &self.vid)
            .field("es_id", &self.es_id)
            .field("name", &self.name)
            .field("picture", &self.picture)
            .finish_non_exhaustive()
    }
}

const WHAT: &str = "seal";

/// Parses an SESeal from its outer SEQUENCE element.
pub(super) fn parse_seal(outer: Tlv<'_>) -> Result<Seal, Error> {
    let elements = Cursor::lenient(outer.value, WHAT).rest("SESeal", 8)?;
    let mut warnings = Vec::new();
    match elements.as_slice() {
        [info, sign_info] => parse_v1(outer, *info, *sign_info, warnings),
        [info, cert, alg, value, rest @ ..] if rest.len() <= 1 => {
            let timestamp = match rest.first() {
                Some(tlv) => Some(timestamp(*tlv, WHAT, &mut warnings)?),
                None => None,
            };
            let fields = parse_seal_info(*info, &mut warnings)?;
            let version = if fields.header_version == 5 || timestamp.is_some() {
                SealVersion::V5
            } else {
                SealVersion::V4
            };
            let maker_certificate = octet_string(*cert, "cert")?;
            let algorithm = oid(*alg, "signAlgID")?;
            let maker_signature = bit_string(*value, "signedValue")?;
            Ok(fields.into_seal(SealParts {
                der: outer.tlv.to_vec(),
                version,
                maker_certificate,
                algorithm,
                maker_signature,
                timestamp,
                maker_signed: info.tlv.to_vec(),
                warnings,
            }))
        }
        other => Err(Error::Malformed {
            what: WHAT,
            reason: format!(
                "SESeal has {} elements; 2 (GM/T 0031-2014) or 4–5 (GB/T 38540, GM/T 0031-2025) are defined",
                other.len()
            ),
        }),
    }
}

/// A v1 SESeal: `{ esealInfo, signInfo { cert, signatureAlgorithm, signData } }`.
fn parse_v1(
    outer: Tlv<'_>,
    info: Tlv<'_>,
    sign_info: Tlv<'_>,
    mut warnings: Vec<Warning>,
) -> Result<Seal, Error> {
    let fields = parse_seal_info(info, &mut warnings)?;
    let sign_info_value = match sign_info.tag {
        SEQUENCE => sign_info.value,
        BIT_STRING => {
            // D19: SES_SignInfo wrapped in a BIT STRING.
            warnings.push(Warning::new(
                Deviation::NonStandardV1Shape,
                "SES_SignInfo is wrapped in a BIT STRING",
            ));
            let inner = sign_info.value.get(1..).unwrap_or_default();
            der::single(inner, SEQUENCE, WHAT)?.value
        }
        tag => {
            return Err(Error::Malformed {
                what: WHAT,
                reason: format!("SES_SignInfo: expected a SEQUENCE, found tag 0x{tag:02x}"),
            });
        }
    };
    let mut cursor = Cursor::lenient(sign_info_value, WHAT);
    let cert = cursor.expect(OCTET_STRING, "SES_SignInfo.cert")?;
    let alg = cursor.expect(OID, "SES_SignInfo.signatureAlgorithm")?;
    let value = cursor.expect(BIT_STRING, "SES_SignInfo.signData")?;
    cursor.finish("SES_SignInfo")?;
    let maker_signed = der::wrap(SEQUENCE, &[info.tlv, cert.tlv, alg.tlv]);
    Ok(fields.into_seal(SealParts {
        der: outer.tlv.to_vec(),
        version: SealVersion::V1,
        maker_certificate: cert.value.to_vec(),
        algorithm: oid(alg, "signatureAlgorithm")?,
        maker_signature: bit_string(value, "signData")?,
        timestamp: None,
        maker_signed,
        warnings,
    }))
}

/// What SES_SealInfo holds.
struct SealInfoFields {
    header_version: i64,
    vid: String,
    es_id: String,
    seal_type: i64,
    name: String,
    cert_list_type: Option<i64>,
    cert_list: CertList,
    created: UnixTime,
    valid_start: UnixTime,
    valid_end: UnixTime,
    picture: Picture,
    extensions: Vec<Extension>,
}

/// What lies outside SES_SealInfo.
struct SealParts {
    der: Vec<u8>,
    version: SealVersion,
    maker_certificate: Vec<u8>,
    algorithm: String,
    maker_signature: Vec<u8>,
    timestamp: Option<Vec<u8>>,
    maker_signed: Vec<u8>,
    warnings: Vec<Warning>,
}

impl SealInfoFields {
    fn into_seal(self, parts: SealParts) -> Seal {
        Seal {
            der: parts.der,
            version: parts.version,
            header_version: self.header_version,
            vid: self.vid,
            es_id: self.es_id,
            seal_type: self.seal_type,
            name: self.name,
            cert_list_type: self.cert_list_type,
            cert_list: self.cert_list,
            created: self.created,
            valid_start: self.valid_start,
            valid_end: self.valid_end,
            picture: self.picture,
            extensions: self.extensions,
            maker_certificate: parts.maker_certificate,
            algorithm: parts.algorithm,
            maker_signature: parts.maker_signature,
            timestamp: parts.timestamp,
            maker_signed: parts.maker_signed,
            warnings: parts.warnings,
        }
    }
}

/// SES_SealInfo `{ header, esID, property, picture, extDatas OPTIONAL }`.
fn parse_seal_info(info: Tlv<'_>, warnings: &mut Vec<Warning>) -> Result<SealInfoFields, Error> {
    if info.tag != SEQUENCE {
        return Err(Error::Malformed {
            what: WHAT,
            reason: format!(
                "SES_SealInfo: expected a SEQUENCE, found tag 0x{:02x}",
                info.tag
            ),
        });
    }
    let mut cursor = Cursor::lenient(info.value, WHAT);
    let header = cursor.expect(SEQUENCE, "SES_Header")?;
    let (header_version, vid) = parse_header(header)?;
    let es_id = string(cursor.any("esID")?, "esID")?;
    let property = cursor.expect(SEQUENCE, "SES_ESPropertyInfo")?;
    let picture = parse_picture(cursor.expect(SEQUENCE, "SES_ESPictrueInfo")?, warnings)?;
    let extensions = match cursor.optional(&[SEQUENCE, CONTEXT_0, OCTET_STRING], "extDatas")? {
        Some(tlv) => parse_extensions(tlv, ExtDatasPlace::SealInfo, warnings)?,
        None => Vec::new(),
    };
    cursor.finish("SES_SealInfo")?;
    let property = parse_property(property, warnings)?;
    Ok(SealInfoFields {
        header_version,
        vid,
        es_id,
        seal_type: property.seal_type,
        name: property.name,
        cert_list_type: property.cert_list_type,
        cert_list: property.cert_list,
        created: property.created,
        valid_start: property.valid_start,
        valid_end: property.valid_end,
        picture,
        extensions,
    })
}

/// SES_Header `{ id "ES", version, vid }`.
fn parse_header(header: Tlv<'_>) -> Result<(i64, String), Error> {
    let mut cursor = Cursor::lenient(header.value, WHAT);
    let id = string(cursor.any("SES_Header.id")?, "SES_Header.id")?;
    if id != "ES" {
        return Err(Error::Malformed {
            what: WHAT,
            reason: format!("SES_Header.id is {id:?}, not \"ES\""),
        });
    }
    let version = integer(cursor.expect(INTEGER, "SES_Header.version")?, "version")?;
    let vid = string(cursor.any("SES_Header.vid")?, "SES_Header.vid")?;
    cursor.finish("SES_Header")?;
    Ok((version, vid))
}

struct Property {
    seal_type: i64,
    name: String,
    cert_list_type: Option<i64>,
    cert_list: CertList,
    created: UnixTime,
    valid_start: UnixTime,
    valid_end: UnixTime,
}

/// SES_ESPropertyInfo: 7 elements in v4/v5 (with certListType), 6 in v1.
fn parse_property(property: Tlv<'_>, warnings: &mut Vec<Warning>) -> Result<Property, Error> {
    let elements = Cursor::lenient(property.value, WHAT).rest("SES_ESPropertyInfo", 8)?;
    let (seal_type, name, cert_list_type, list, times) = match elements.as_slice() {
        [seal_type, name, list_type, list, a, b, c] => {
            let list_type = integer(expect(*list_type, INTEGER, "certListType")?, "certListType")?;
            (seal_type, name, Some(list_type), list, [a, b, c])
        }
        [seal_type, name, list, a, b, c] => (seal_type, name, None, list, [a, b, c]),
        other => {
            return Err(Error::Malformed {
                what: WHAT,
                reason: format!(
                    "SES_ESPropertyInfo has {} elements; 6 (v1) or 7 (v4) are defined",
                    other.len()
                ),
            });
        }
    };
    let seal_type = integer(expect(*seal_type, INTEGER, "type")?, "type")?;
    let name = string(*name, "name")?;
    let cert_list = parse_cert_list(
        expect(*list, SEQUENCE, "certList")?,
        cert_list_type,
        warnings,
    )?;
    let v1 = cert_list_type.is_none();
    let [created, valid_start, valid_end] = times;
    Ok(Property {
        seal_type,
        name,
        cert_list_type,
        cert_list,
        created: seal_time(*created, "createDate", v1, warnings)?,
        valid_start: seal_time(*valid_start, "validStart", v1, warnings)?,
        valid_end: seal_time(*valid_end, "validEnd", v1, warnings)?,
    })
}

/// SES_CertList: certificates (OCTET STRINGs) or digests (CertDigestObj), chosen by
/// certListType; items of another shape are skipped and reported (D12).
fn parse_cert_list(
    list: Tlv<'_>,
    cert_list_type: Option<i64>,
    warnings: &mut Vec<Warning>,
) -> Result<CertList, Error> {
    let items = Cursor::lenient(list.value, WHAT).rest("certList", MAX_LIST_ENTRIES)?;
    let digests = cert_list_type == Some(2);
    let mut certificates = Vec::new();
    let mut digest_list = Vec::new();
    let mut skipped = Vec::new();
    for item in items {
        match (digests, item.tag) {
            (false, OCTET_STRING) => certificates.push(item.value.to_vec()),
            (true, SEQUENCE) => match parse_cert_digest(item) {
                Ok(digest) => digest_list.push(digest),
                Err(_) => skipped.push(item.tag),
            },
            _ => skipped.push(item.tag),
        }
    }
    if !skipped.is_empty() {
        let tags: Vec<String> = skipped.iter().map(|t| format!("0x{t:02x}")).collect();
        warnings.push(Warning::new(
            Deviation::CertListNotCertificates,
            format!(
                "the seal's certList holds {} item(s) that are not {} (tags {}); they were skipped",
                skipped.len(),
                if digests {
                    "CertDigestObj"
                } else {
                    "certificates in OCTET STRINGs"
                },
                tags.join(", ")
            ),
        ));
    }
    Ok(if digests {
        CertList::Digests(digest_list)
    } else {
        CertList::Certificates(certificates)
    })
}

fn parse_cert_digest(item: Tlv<'_>) -> Result<CertDigest, Error> {
    let mut cursor = Cursor::lenient(item.value, WHAT);
    let kind = string(cursor.any("CertDigestObj.type")?, "CertDigestObj.type")?;
    let value = cursor
        .expect(OCTET_STRING, "CertDigestObj.value")?
        .value
        .to_vec();
    cursor.finish("CertDigestObj")?;
    Ok(CertDigest { kind, value })
}

/// A seal date: UTCTime in v1, GeneralizedTime in v4; the other kind is read too (D19).
fn seal_time(
    tlv: Tlv<'_>,
    field: &str,
    v1: bool,
    warnings: &mut Vec<Warning>,
) -> Result<UnixTime, Error> {
    let expected = if v1 { UTC_TIME } else { GENERALIZED_TIME };
    if tlv.tag != UTC_TIME && tlv.tag != GENERALIZED_TIME {
        return Err(Error::Malformed {
            what: WHAT,
            reason: format!("{field}: expected a time, found tag 0x{:02x}", tlv.tag),
        });
    }
    if tlv.tag != expected {
        warnings.push(Warning::new(
            Deviation::NonStandardV1Shape,
            format!(
                "{field} is a {} where {} defines a {}",
                time_kind(tlv.tag),
                if v1 { "GM/T 0031-2014" } else { "GB/T 38540" },
                time_kind(expected)
            ),
        ));
    }
    parse_asn1_time(tlv.tag, tlv.value).ok_or_else(|| Error::Malformed {
        what: WHAT,
        reason: format!(
            "{field}: {:?} is not a valid time",
            String::from_utf8_lossy(tlv.value)
        ),
    })
}

fn time_kind(tag: u8) -> &'static str {
    if tag == UTC_TIME {
        "UTCTime"
    } else {
        "GeneralizedTime"
    }
}

/// SES_ESPictrueInfo `{ type, data, width, height }`.
fn parse_picture(picture: Tlv<'_>, warnings: &mut Vec<Warning>) -> Result<Picture, Error> {
    let mut cursor = Cursor::lenient(picture.value, WHAT);
    let kind = string(cursor.any("picture type")?, "picture type")?;
    let data = cursor.expect(OCTET_STRING, "picture data")?.value.to_vec();
    let width = integer(cursor.expect(INTEGER, "picture width")?, "picture width")?;
    let height = integer(cursor.expect(INTEGER, "picture height")?, "picture height")?;
    cursor.finish("SES_ESPictrueInfo")?;
    if !PictureFormat::is_standard_name(&kind) {
        warnings.push(Warning::new(
            Deviation::PictureType,
            format!(
                "picture type {kind:?} is not one of the standard names PNG, JPG, GIF, BMP, SVG; read as {}",
                PictureFormat::from_name(&kind).map_or("an unknown format", PictureFormat::name)
            ),
        ));
    }
    Ok(Picture {
        kind,
        data,
        width,
        height,
    })
}

/// Where an ExtensionDatas sits, which decides its expected tagging.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ExtDatasPlace {
    /// SES_SealInfo.extDatas: untagged in real files (D6).
    SealInfo,
    /// TBS_Sign.extDatas: `[0]` EXPLICIT (D7).
    TbsSign,
}

/// ExtensionDatas, untagged, `[0]` EXPLICIT or IMPLICIT, or wrapped in an OCTET STRING; items
/// that do not parse are skipped (D19). Each variation is reported.
pub(super) fn parse_extensions(
    tlv: Tlv<'_>,
    place: ExtDatasPlace,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Extension>, Error> {
    let (items, tagging) = match tlv.tag {
        SEQUENCE => (tlv.value, "untagged"),
        CONTEXT_0 => match der::single(tlv.value, SEQUENCE, WHAT) {
            Ok(inner) => (inner.value, "[0] EXPLICIT"),
            Err(_) => (tlv.value, "[0] IMPLICIT"),
        },
        OCTET_STRING => (
            der::single(tlv.value, SEQUENCE, WHAT)?.value,
            "wrapped in an OCTET STRING",
        ),
        tag => {
            return Err(Error::Malformed {
                what: WHAT,
                reason: format!("extDatas: unexpected tag 0x{tag:02x}"),
            });
        }
    };
    let (standard, deviation, field) = match place {
        ExtDatasPlace::SealInfo => (
            "untagged",
            Deviation::SealExtDatasTagged,
            "SES_SealInfo.extDatas",
        ),
        ExtDatasPlace::TbsSign => (
            "[0] EXPLICIT",
            Deviation::TbsExtDatasTagging,
            "TBS_Sign.extDatas",
        ),
    };
    if tlv.tag == OCTET_STRING {
        warnings.push(Warning::new(
            Deviation::NonStandardV1Shape,
            format!("{field} is wrapped in an OCTET STRING"),
        ));
    } else if tagging != standard {
        warnings.push(Warning::new(
            deviation,
            format!("{field} is {tagging}; real files write it {standard}"),
        ));
    }
    let mut extensions = Vec::new();
    let mut skipped = 0usize;
    for item in Cursor::lenient(items, WHAT).rest("ExtensionDatas", MAX_LIST_ENTRIES)? {
        match parse_extension(item, warnings) {
            Ok(extension) => extensions.push(extension),
            Err(_) => skipped += 1,
        }
    }
    if skipped > 0 {
        warnings.push(Warning::new(
            Deviation::NonStandardV1Shape,
            format!("{skipped} ExtData item(s) in {field} could not be read and were skipped"),
        ));
    }
    Ok(extensions)
}

/// ExtData `{ extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`.
fn parse_extension(item: Tlv<'_>, warnings: &mut Vec<Warning>) -> Result<Extension, Error> {
    let item = expect(item, SEQUENCE, "ExtData")?;
    let mut cursor = Cursor::lenient(item.value, WHAT);
    let oid = oid(cursor.expect(OID, "extnID")?, "extnID")?;
    let critical = match cursor.optional(&[BOOLEAN], "critical")? {
        Some(flag) => {
            let value = flag.value.first().copied().unwrap_or_default();
            if value == 0 {
                warnings.push(Warning::new(
                    Deviation::ExplicitDefaultBoolean,
                    format!("ExtData {oid} encodes critical = FALSE explicitly (a DEFAULT value)"),
                ));
            }
            value != 0
        }
        None => false,
    };
    let value = cursor.expect(OCTET_STRING, "extnValue")?.value.to_vec();
    cursor.finish("ExtData")?;
    Ok(Extension {
        oid,
        critical,
        value,
    })
}

/// A timeStamp element: `[0]` EXPLICIT BIT STRING (what ofdrw writes), or `[0]` IMPLICIT, or a
/// bare BIT STRING (D8). Returns the token bytes.
pub(super) fn timestamp(
    tlv: Tlv<'_>,
    what: &'static str,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<u8>, Error> {
    let (bits, tagging) = match tlv.tag {
        CONTEXT_0 => (der::single(tlv.value, BIT_STRING, what)?.value, None),
        CONTEXT_0_PRIMITIVE => (tlv.value, Some("[0] IMPLICIT")),
        BIT_STRING => (tlv.value, Some("untagged")),
        tag => {
            return Err(Error::Malformed {
                what,
                reason: format!("timeStamp: unexpected tag 0x{tag:02x}"),
            });
        }
    };
    if let Some(tagging) = tagging {
        warnings.push(Warning::new(
            Deviation::TimeStampTagging,
            format!("the timeStamp is {tagging}; ofdrw writes it [0] EXPLICIT"),
        ));
    }
    match bits.split_first() {
        Some((0, token)) => Ok(token.to_vec()),
        _ => Err(Error::Malformed {
            what,
            reason: "timeStamp: not a BIT STRING with 0 unused bits".into(),
        }),
    }
}

fn expect<'a>(tlv: Tlv<'a>, tag: u8, field: &str) -> Result<Tlv<'a>, Error> {
    if tlv.tag == tag {
        Ok(tlv)
    } else {
        Err(Error::Malformed {
            what: WHAT,
            reason: format!("{field}: expected tag 0x{tag:02x}, found 0x{:02x}", tlv.tag),
        })
    }
}

/// A string field: IA5String, UTF8String or PrintableString, read as UTF-8 (D2).
pub(super) fn string(tlv: Tlv<'_>, field: &str) -> Result<String, Error> {
    match tlv.tag {
        IA5_STRING | UTF8_STRING | PRINTABLE_STRING => Ok(der::text(tlv)),
        tag => Err(Error::Malformed {
            what: WHAT,
            reason: format!("{field}: expected a string, found tag 0x{tag:02x}"),
        }),
    }
}

fn integer(tlv: Tlv<'_>, field: &str) -> Result<i64, Error> {
    der::integer(tlv, WHAT, field)
}

fn oid(tlv: Tlv<'_>, field: &str) -> Result<String, Error> {
    der::oid(expect(tlv, OID, field)?, WHAT, field)
}

fn octet_string(tlv: Tlv<'_>, field: &str) -> Result<Vec<u8>, Error> {
    Ok(expect(tlv, OCTET_STRING, field)?.value.to_vec())
}

fn bit_string(tlv: Tlv<'_>, field: &str) -> Result<Vec<u8>, Error> {
    der::bit_string(expect(tlv, BIT_STRING, field)?, WHAT, field)
}
