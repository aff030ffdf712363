//! Making a seal: GB/T 38540 v4 (and GM/T 0031-2014 v1 for legacy systems), written the way
//! the majority of real files are (SEAL-SPEC §8): minimal DER, untagged SES_SealInfo.extDatas,
//! GeneralizedTime `YYYYMMDDHHMMSSZ` (UTCTime in v1), the maker's DER signature.

use rustls_pki_types::UnixTime;

use super::der::{
    BOOLEAN, IA5_STRING, OCTET_STRING, SEQUENCE, UTF8_STRING, wrap, write_bit_string,
    write_integer, write_oid,
};
use super::time::{write_generalized_time, write_utc_time};
use super::verify::SM2_WITH_SM3_OID;
use super::{Error, Extension, Picture, Seal};
use crate::pki::Certificate;
use crate::sm2::{DistId, Signer, VerifyingKey};

/// What a seal says: its identity, validity, picture and the certificates allowed to use it.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, UnixTime};
/// use smtrust::seal::{Picture, PictureFormat, SealBuilder, SealVersion, VerifyOptions, Verdict};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
/// # use std::time::Duration;
///
/// let t = |s| UnixTime::since_unix_epoch(Duration::from_secs(s));
/// let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32])?, DistId::DEFAULT);
/// let root = CertificateBuilder::ca("C=CN, O=Demo, CN=Demo Root", 1).self_signed(&root_key)?;
/// let maker_key = SigningKey::new(SecretKey::from_bytes(&[2; 32])?, DistId::DEFAULT);
/// let maker = CertificateBuilder::end_entity("C=CN, O=Demo, CN=Seal Maker", 2)
///     .issue(maker_key.verifying_key().public_key(), &root, &root_key)?;
/// let signer_key = SigningKey::new(SecretKey::from_bytes(&[3; 32])?, DistId::DEFAULT);
/// let signer = CertificateBuilder::end_entity("C=CN, O=Demo Ltd, CN=Signer", 3)
///     .issue(signer_key.verifying_key().public_key(), &root, &root_key)?;
///
/// let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\n...".to_vec(), 40, 40);
/// let seal = SealBuilder::new("310000000001", "Demo Ltd 合同专用章", picture, t(1_800_000_000), t(1_900_000_000))
///     .signer(&signer)
///     .make_v4(&maker_key, &maker)?;
/// assert_eq!(seal.version(), SealVersion::V4);
///
/// let options = VerifyOptions::new().trust_anchors(vec![root]).at(t(1_850_000_000));
/// assert_eq!(seal.verify(&options).verdict(), Verdict::Valid);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SealBuilder {
    es_id: String,
    name: String,
    vid: String,
    seal_type: i64,
    created: UnixTime,
    valid_start: UnixTime,
    valid_end: UnixTime,
    picture: Picture,
    signers: Vec<Vec<u8>>,
    extensions: Vec<Extension>,
}

impl SealBuilder {
    /// A seal with identifier `es_id` (ASCII), `name`, a picture and a validity period. It is
    /// created at `valid_start`, has type 1, vendor `smtrust`, and no signer yet.
    pub fn new(
        es_id: &str,
        name: &str,
        picture: Picture,
        valid_start: UnixTime,
        valid_end: UnixTime,
    ) -> Self {
        Self {
            es_id: es_id.to_string(),
            name: name.to_string(),
            vid: "smtrust".to_string(),
            seal_type: 1,
            created: valid_start,
            valid_start,
            valid_end,
            picture,
            signers: Vec::new(),
            extensions: Vec::new(),
        }
    }

    /// The vendor identifier (vid, ASCII).
    pub fn vendor(mut self, vid: &str) -> Self {
        self.vid = vid.to_string();
        self
    }

    /// The business-defined seal type (D5: 1 organisation, 3 invoice, 4 contract …).
    pub fn seal_type(mut self, seal_type: i64) -> Self {
        self.seal_type = seal_type;
        self
    }

    /// When the seal was made (createDate), if not `valid_start`.
    pub fn created(mut self, created: UnixTime) -> Self {
        self.created = created;
        self
    }

    /// Adds a certificate whose holder may sign with the seal (certList).
    pub fn signer(mut self, certificate: &Certificate) -> Self {
        self.signers.push(certificate.der().to_vec());
        self
    }

    /// Adds an extension to SES_SealInfo.extDatas.
    pub fn extension(mut self, extension: Extension) -> Self {
        self.extensions.push(extension);
        self
    }

    /// Makes a GB/T 38540 v4 seal: `maker` signs the SES_SealInfo DER (SM2 Z ‖ M, ID
    /// `1234567812345678`) and `maker_certificate` is embedded.
    pub fn make_v4(
        &self,
        maker: &dyn Signer,
        maker_certificate: &Certificate,
    ) -> Result<Seal, Error> {
        let key = maker_key(maker, maker_certificate)?;
        let header = self.header(4)?;
        let times = [self.created, self.valid_start, self.valid_end]
            .map(|t| write_generalized_time(t).ok_or_else(|| bad_time(t)));
        let [created, start, end] = times;
        let certs: Vec<Vec<u8>> = self
            .signers
            .iter()
            .map(|c| wrap(OCTET_STRING, &[c]))
            .collect();
        let property = wrap(
            SEQUENCE,
            &[
                &write_integer(self.seal_type),
                &wrap(UTF8_STRING, &[self.name.as_bytes()]),
                &write_integer(1),
                &wrap(SEQUENCE, &refs(&certs)),
                &created?,
                &start?,
                &end?,
            ],
        );
        let info = self.seal_info(&header, &property)?;
        let signature = sign(maker, &key, &info, "seal maker")?;
        let seal = wrap(
            SEQUENCE,
            &[
                &info,
                &wrap(OCTET_STRING, &[maker_certificate.der()]),
                &write_oid(SM2_WITH_SM3_OID)?,
                &write_bit_string(&signature),
            ],
        );
        Seal::from_der(&seal)
    }

    /// Makes a GM/T 0031-2014 v1 seal (header version 1, UTCTime dates) for systems that
    /// accept nothing newer: `maker` signs `SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }`.
    pub fn make_v1(
        &self,
        maker: &dyn Signer,
        maker_certificate: &Certificate,
    ) -> Result<Seal, Error> {
        let key = maker_key(maker, maker_certificate)?;
        let header = self.header(1)?;
        let times = [self.created, self.valid_start, self.valid_end]
            .map(|t| write_utc_time(t).ok_or_else(|| bad_time(t)));
        let [created, start, end] = times;
        let certs: Vec<Vec<u8>> = self
            .signers
            .iter()
            .map(|c| wrap(OCTET_STRING, &[c]))
            .collect();
        let property = wrap(
            SEQUENCE,
            &[
                &write_integer(self.seal_type),
                &wrap(UTF8_STRING, &[self.name.as_bytes()]),
                &wrap(SEQUENCE, &refs(&certs)),
                &created?,
                &start?,
                &end?,
            ],
        );
        let info = self.seal_info(&header, &property)?;
        let cert = wrap(OCTET_STRING, &[maker_certificate.der()]);
        let algorithm = write_oid(SM2_WITH_SM3_OID)?;
        let signed = wrap(SEQUENCE, &[&info, &cert, &algorithm]);
        let signature = sign(maker, &key, &signed, "seal maker")?;
        let sign_info = wrap(
            SEQUENCE,
            &[&cert, &algorithm, &write_bit_string(&signature)],
        );
        Seal::from_der(&wrap(SEQUENCE, &[&info, &sign_info]))
    }

    fn header(&self, version: i64) -> Result<Vec<u8>, Error> {
        Ok(wrap(
            SEQUENCE,
            &[
                &wrap(IA5_STRING, &[b"ES"]),
                &write_integer(version),
                &ia5(&self.vid, "vendor identifier")?,
            ],
        ))
    }

    /// SES_SealInfo with the picture and untagged extDatas (D6: what real files write).
    fn seal_info(&self, header: &[u8], property: &[u8]) -> Result<Vec<u8>, Error> {
        if self.signers.is_empty() {
            return Err(Error::InvalidInput {
                what: "certificate list",
                reason: "a seal lists at least one signer certificate".into(),
            });
        }
        if let Some(sniffed) = self.picture.sniffed_format()
            && self.picture.format() != Some(sniffed)
        {
            return Err(Error::InvalidInput {
                what: "picture",
                reason: format!(
                    "the type says {:?} but the bytes are {}",
                    self.picture.kind, sniffed
                ),
            });
        }
        let picture = wrap(
            SEQUENCE,
            &[
                &ia5(&self.picture.kind, "picture type")?,
                &wrap(OCTET_STRING, &[&self.picture.data]),
                &write_integer(self.picture.width),
                &write_integer(self.picture.height),
            ],
        );
        let es_id = ia5(&self.es_id, "seal identifier")?;
        let mut parts: Vec<Vec<u8>> = vec![header.to_vec(), es_id, property.to_vec(), picture];
        if !self.extensions.is_empty() {
            parts.push(write_extensions(&self.extensions)?);
        }
        Ok(wrap(SEQUENCE, &refs(&parts)))
    }
}

/// ExtensionDatas, with `critical` written only when TRUE (DER omits DEFAULT values).
pub(super) fn write_extensions(extensions: &[Extension]) -> Result<Vec<u8>, Error> {
    let items = extensions
        .iter()
        .map(|e| {
            let oid = write_oid(&e.oid)?;
            let critical = wrap(BOOLEAN, &[&[0xff]]);
            let value = wrap(OCTET_STRING, &[&e.value]);
            Ok(if e.critical {
                wrap(SEQUENCE, &[&oid, &critical, &value])
            } else {
                wrap(SEQUENCE, &[&oid, &value])
            })
        })
        .collect::<Result<Vec<Vec<u8>>, Error>>()?;
    Ok(wrap(SEQUENCE, &refs(&items)))
}

/// The maker's key with the default ID, checked against the maker certificate.
fn maker_key(maker: &dyn Signer, certificate: &Certificate) -> Result<VerifyingKey, Error> {
    key_for(maker, certificate, "seal maker")
}

/// `signer`'s public key with the default ID, after checking it is the certificate's key.
pub(super) fn key_for(
    signer: &dyn Signer,
    certificate: &Certificate,
    role: &'static str,
) -> Result<VerifyingKey, Error> {
    let public_key = certificate
        .sm2_public_key()
        .map_err(|source| Error::Certificate { role, source })?;
    if *signer.verifying_key().public_key() != public_key {
        return Err(Error::KeyMismatch {
            role,
            subject: certificate.subject().to_string(),
        });
    }
    Ok(VerifyingKey::new(public_key, DistId::DEFAULT))
}

/// The DER SM2 signature of `message` with Z computed for the default ID (whatever ID the
/// signer itself is bound to: seals are always verified with `1234567812345678`).
pub(super) fn sign(
    signer: &dyn Signer,
    key: &VerifyingKey,
    message: &[u8],
    role: &'static str,
) -> Result<Vec<u8>, Error> {
    let e = key.digest(message);
    signer
        .sign_digest(&e)
        .map(|signature| signature.to_der())
        .map_err(|source| Error::Sign { role, source })
}

pub(super) fn ia5(text: &str, what: &'static str) -> Result<Vec<u8>, Error> {
    if !text.is_ascii() {
        return Err(Error::InvalidInput {
            what,
            reason: format!("{text:?} is not ASCII, which an IA5String requires"),
        });
    }
    Ok(wrap(IA5_STRING, &[text.as_bytes()]))
}

pub(super) fn bad_time(time: UnixTime) -> Error {
    Error::InvalidInput {
        what: "time",
        reason: format!(
            "{} s after the epoch is outside what the field's time type holds",
            time.as_secs()
        ),
    }
}

pub(super) fn refs(parts: &[Vec<u8>]) -> Vec<&[u8]> {
    parts.iter().map(Vec::as_slice).collect()
}
