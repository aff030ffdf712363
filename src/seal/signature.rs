//! The seal signature (SES_Signature, the `SignedValue.dat` of an OFD) of v4, v1 and v5: its
//! fields and how it is read (SEAL-SPEC §2.2, §3, §4, §5).

use core::fmt;

use rustls_pki_types::UnixTime;

use super::der::{
    self, BIT_STRING, CONTEXT_0, CONTEXT_0_PRIMITIVE, Cursor, GENERALIZED_TIME, INTEGER,
    OCTET_STRING, OID, SEQUENCE, Tlv, UTC_TIME,
};
use super::eseal::{self as seal, ExtDatasPlace, Extension, MAX_SEAL_LEN, Seal, SealVersion};
use super::time::{parse_asn1_time, parse_text_time};
use super::{Deviation, Error, Warning};

const WHAT: &str = "seal signature";

/// How the signing time was written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeInfo {
    /// A GeneralizedTime (v4, v5) or a DER time inside the v1 BIT STRING.
    Time(UnixTime),
    /// Text inside the v1 BIT STRING, such as `2020-01-25T07:31:56.377` (D15), and the time it
    /// reads as (UTC).
    Text(String, UnixTime),
    /// Bytes that are no time this library reads (perhaps a timestamp token): kept as they are.
    Opaque(Vec<u8>),
}

impl TimeInfo {
    /// The signing time, if the field could be read as one.
    pub fn time(&self) -> Option<UnixTime> {
        match self {
            Self::Time(time) | Self::Text(_, time) => Some(*time),
            Self::Opaque(_) => None,
        }
    }
}

/// An electronic seal signature (SES_Signature), parsed leniently, with the exact TBS_Sign
/// bytes the signer signed and the embedded seal.
///
/// ```
/// use smtrust::seal::{SealSignature, SealVersion};
///
/// let der = std::fs::read("test-vectors/seals/ofdsharp_SignedValue.dat")?;
/// let signature = SealSignature::from_der(&der)?;
/// assert_eq!(signature.version(), SealVersion::V4);
/// assert_eq!(signature.seal().version(), SealVersion::V4);
/// assert_eq!(signature.data_hash().len(), 32);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SealSignature {
    pub(super) der: Vec<u8>,
    pub(super) version: SealVersion,
    pub(super) tbs_version: i64,
    pub(super) seal: Seal,
    pub(super) time_info: TimeInfo,
    pub(super) data_hash: Vec<u8>,
    pub(super) property_info: String,
    pub(super) extensions: Vec<Extension>,
    pub(super) signer_certificate: Vec<u8>,
    pub(super) algorithm: String,
    pub(super) signature: Vec<u8>,
    pub(super) timestamp: Option<Vec<u8>>,
    pub(super) tbs: Vec<u8>,
    pub(super) warnings: Vec<Warning>,
}

impl SealSignature {
    /// Parses a seal signature of any version (told apart by shape); trailing bytes are an
    /// error.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_SEAL_LEN {
            return Err(Error::TooLarge {
                what: WHAT,
                len: der.len(),
                limit: MAX_SEAL_LEN,
            });
        }
        let outer = der::single(der, SEQUENCE, WHAT)?;
        let elements = Cursor::lenient(outer.value, WHAT).rest("SES_Signature", 8)?;
        let mut warnings = Vec::new();
        match elements.as_slice() {
            [tbs, signature] => parse_v1(outer, *tbs, *signature, warnings),
            [tbs, cert, alg, signature, rest @ ..] if rest.len() <= 1 => {
                let timestamp = match rest.first() {
                    Some(tlv) => Some(seal::timestamp(*tlv, WHAT, &mut warnings)?),
                    None => None,
                };
                let fields = parse_tbs_v4(*tbs, &mut warnings)?;
                let version = if fields.version == 5 {
                    SealVersion::V5
                } else {
                    SealVersion::V4
                };
                Ok(SealSignature {
                    der: outer.tlv.to_vec(),
                    version,
                    tbs_version: fields.version,
                    seal: fields.seal,
                    time_info: fields.time_info,
                    data_hash: fields.data_hash,
                    property_info: fields.property_info,
                    extensions: fields.extensions,
                    signer_certificate: expect(*cert, OCTET_STRING, "cert")?.value.to_vec(),
                    algorithm: oid(*alg, "signatureAlgID")?,
                    signature: bit_string(*signature, "signature")?,
                    timestamp,
                    tbs: tbs.tlv.to_vec(),
                    warnings,
                })
            }
            other => Err(Error::Malformed {
                what: WHAT,
                reason: format!(
                    "SES_Signature has {} elements; 2 (GM/T 0031-2014) or 4–5 (GB/T 38540, GM/T 0031-2025) are defined",
                    other.len()
                ),
            }),
        }
    }

    /// The exact DER of the whole seal signature.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Which standard the signature follows.
    pub fn version(&self) -> SealVersion {
        self.version
    }

    /// TBS_Sign.version as written.
    pub fn tbs_version(&self) -> i64 {
        self.tbs_version
    }

    /// The seal embedded in TBS_Sign.
    pub fn seal(&self) -> &Seal {
        &self.seal
    }

    /// The signing time as written (timeInfo).
    pub fn time_info(&self) -> &TimeInfo {
        &self.time_info
    }

    /// The signing time, if timeInfo reads as one.
    pub fn signing_time(&self) -> Option<UnixTime> {
        self.time_info.time()
    }

    /// The digest of the signed document (dataHash; in OFD, SM3 of Signature.xml).
    pub fn data_hash(&self) -> &[u8] {
        &self.data_hash
    }

    /// propertyInfo: what was signed (in OFD, the path of Signature.xml, D18).
    pub fn property_info(&self) -> &str {
        &self.property_info
    }

    /// TBS_Sign.extDatas (v4, v5).
    pub fn extensions(&self) -> &[Extension] {
        &self.extensions
    }

    /// The signer's (签章者) certificate DER.
    pub fn signer_certificate(&self) -> &[u8] {
        &self.signer_certificate
    }

    /// The signature algorithm OID.
    pub fn algorithm(&self) -> &str {
        &self.algorithm
    }

    /// The signature bytes (the BIT STRING's content: DER, or raw r‖s in D9 files).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The timestamp token over the signature (v4, v5), if any.
    pub fn timestamp(&self) -> Option<&[u8]> {
        self.timestamp.as_deref()
    }

    /// The exact TBS_Sign TLV the signer signed.
    pub fn tbs_bytes(&self) -> &[u8] {
        &self.tbs
    }

    /// The deviations that parsing tolerated, in the signature and in its seal.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut all = self.seal.warnings.clone();
        all.extend(self.warnings.iter().cloned());
        all
    }
}

impl fmt::Debug for SealSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealSignature")
            .field("version", &self.version)
            .field("seal", &self.seal)
            .field("time_info", &self.time_info)
            .field("property_info", &self.property_info)
            .finish_non_exhaustive()
    }
}

/// What a v4/v5 TBS_Sign holds.
struct TbsFields {
    version: i64,
    seal: Seal,
    time_info: TimeInfo,
    data_hash: Vec<u8>,
    property_info: String,
    extensions: Vec<Extension>,
}

/// TBS_Sign v4/v5 `{ version, eseal, timeInfo, dataHash, propertyInfo, extDatas [0] OPTIONAL }`.
fn parse_tbs_v4(tbs: Tlv<'_>, warnings: &mut Vec<Warning>) -> Result<TbsFields, Error> {
    let tbs = expect(tbs, SEQUENCE, "TBS_Sign")?;
    let mut cursor = Cursor::lenient(tbs.value, WHAT);
    let version = der::integer(cursor.expect(INTEGER, "TBS_Sign.version")?, WHAT, "version")?;
    let seal = seal::parse_seal(cursor.expect(SEQUENCE, "TBS_Sign.eseal")?)?;
    let time = cursor.any("TBS_Sign.timeInfo")?;
    let time_info = match time.tag {
        GENERALIZED_TIME | UTC_TIME => parse_asn1_time(time.tag, time.value)
            .map(TimeInfo::Time)
            .ok_or_else(|| Error::Malformed {
                what: WHAT,
                reason: format!(
                    "timeInfo: {:?} is not a valid time",
                    String::from_utf8_lossy(time.value)
                ),
            })?,
        tag => {
            return Err(Error::Malformed {
                what: WHAT,
                reason: format!("timeInfo: expected a GeneralizedTime, found tag 0x{tag:02x}"),
            });
        }
    };
    let data_hash = bit_string(cursor.expect(BIT_STRING, "dataHash")?, "dataHash")?;
    let property_info = seal::string(cursor.any("propertyInfo")?, "propertyInfo")?;
    let extensions = match cursor.optional(
        &[CONTEXT_0, SEQUENCE, OCTET_STRING, CONTEXT_0_PRIMITIVE],
        "extDatas",
    )? {
        Some(tlv) => seal::parse_extensions(tlv, ExtDatasPlace::TbsSign, warnings)?,
        None => Vec::new(),
    };
    cursor.finish("TBS_Sign")?;
    Ok(TbsFields {
        version,
        seal,
        time_info,
        data_hash,
        property_info,
        extensions,
    })
}

/// A v1 SES_Signature `{ toSign, signature }` with TBS_Sign `{ version, eseal, timeInfo,
/// dataHash, propertyInfo, cert, signatureAlgorithm }`.
fn parse_v1(
    outer: Tlv<'_>,
    tbs: Tlv<'_>,
    signature: Tlv<'_>,
    mut warnings: Vec<Warning>,
) -> Result<SealSignature, Error> {
    let tbs = expect(tbs, SEQUENCE, "TBS_Sign")?;
    let mut cursor = Cursor::lenient(tbs.value, WHAT);
    let version = der::integer(cursor.expect(INTEGER, "TBS_Sign.version")?, WHAT, "version")?;
    let seal = seal::parse_seal(cursor.expect(SEQUENCE, "TBS_Sign.eseal")?)?;
    let time = v1_bytes(cursor.any("timeInfo")?, "timeInfo", &mut warnings)?;
    let time_info = v1_time_info(time, &mut warnings);
    let data_hash = v1_bytes(cursor.any("dataHash")?, "dataHash", &mut warnings)?;
    let property_info = seal::string(cursor.any("propertyInfo")?, "propertyInfo")?;
    let cert = cursor.expect(OCTET_STRING, "TBS_Sign.cert")?;
    let alg = oid(
        cursor.expect(OID, "TBS_Sign.signatureAlgorithm")?,
        "signatureAlgorithm",
    )?;
    cursor.finish("TBS_Sign")?;
    Ok(SealSignature {
        der: outer.tlv.to_vec(),
        version: SealVersion::V1,
        tbs_version: version,
        seal,
        time_info,
        data_hash,
        property_info,
        extensions: Vec::new(),
        signer_certificate: cert.value.to_vec(),
        algorithm: alg,
        signature: bit_string(signature, "signature")?,
        timestamp: None,
        tbs: tbs.tlv.to_vec(),
        warnings,
    })
}

/// A v1 BIT STRING field, or an OCTET STRING in its place (D19).
fn v1_bytes(tlv: Tlv<'_>, field: &str, warnings: &mut Vec<Warning>) -> Result<Vec<u8>, Error> {
    match tlv.tag {
        BIT_STRING => der::bit_string(tlv, WHAT, field),
        OCTET_STRING => {
            warnings.push(Warning::new(
                Deviation::NonStandardV1Shape,
                format!(
                    "TBS_Sign.{field} is an OCTET STRING where GM/T 0031-2014 defines a BIT STRING"
                ),
            ));
            Ok(tlv.value.to_vec())
        }
        tag => Err(Error::Malformed {
            what: WHAT,
            reason: format!("{field}: expected a BIT STRING, found tag 0x{tag:02x}"),
        }),
    }
}

/// The v1 timeInfo bytes: a DER UTCTime or GeneralizedTime, else text (D15), else opaque.
fn v1_time_info(bytes: Vec<u8>, warnings: &mut Vec<Warning>) -> TimeInfo {
    if let Ok(tlv) =
        der::single(&bytes, UTC_TIME, WHAT).or_else(|_| der::single(&bytes, GENERALIZED_TIME, WHAT))
        && let Some(time) = parse_asn1_time(tlv.tag, tlv.value)
    {
        return TimeInfo::Time(time);
    }
    if let Ok(text) = core::str::from_utf8(&bytes)
        && let Some(time) =
            parse_text_time(text).or_else(|| parse_asn1_time(UTC_TIME, text.as_bytes()))
    {
        warnings.push(Warning::new(
            Deviation::TimeInfoText,
            format!("timeInfo holds the text {text:?}, read as UTC"),
        ));
        return TimeInfo::Text(text.to_string(), time);
    }
    warnings.push(Warning::new(
        Deviation::TimeInfoText,
        format!(
            "timeInfo holds {} bytes that are not a time; kept as they are",
            bytes.len()
        ),
    ));
    TimeInfo::Opaque(bytes)
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

fn oid(tlv: Tlv<'_>, field: &str) -> Result<String, Error> {
    der::oid(expect(tlv, OID, field)?, WHAT, field)
}

fn bit_string(tlv: Tlv<'_>, field: &str) -> Result<Vec<u8>, Error> {
    der::bit_string(expect(tlv, BIT_STRING, field)?, WHAT, field)
}
