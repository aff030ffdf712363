//! Verifying a token (RFC 3161 §2.4.2, §4.3): the TSA's CMS signature, the ESS binding of its
//! certificate, the message imprint, nonce and policy, the certificate's timeStamping usage and
//! its path to a trust anchor at the stamped time.

use core::time::Duration;

use der::{Decode, Tagged};
use rustls_pki_types::UnixTime;
use sha1::Digest as _;

use super::asn1::{IssuerSerial, SigningCertificate, SigningCertificateV2};
use super::tst_info::strip_zeros;
use super::{
    Accuracy, Error, SIGNING_CERTIFICATE, SIGNING_CERTIFICATE_V2, TimeStampToken, TstInfo,
};
use crate::pki::{
    self, Certificate, CmsVerifyOptions, CmsWarning, Crl, DigestAlgorithm, ID_KP_TIME_STAMPING,
    RequiredUsage, VerifiedPath, VerifiedSigner, verify_path,
};
use crate::sm2::DistId;

/// What [`TimeStampToken::verify`] checks against: the trust anchors for TSA certificates
/// (required), and optionally intermediates, CRLs, the expected nonce and policy, and the SM2
/// IDs.
///
/// Defaults: SM2 ID `1234567812345678` both for an SM2 TSA's signature on the token (GM/T
/// 0010) and for SM2 certificate signatures (GM/T 0015); no nonce and no policy required.
///
/// ```
/// use smtrust::tsp::VerifyOptions;
/// use smtrust::sm2::DistId;
///
/// let options = VerifyOptions::new(Vec::new())
///     .nonce(&[0x2a])
///     .policy("1.2.3.4.1")
///     .token_sm2_id(DistId::EMPTY);
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    trust_anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<Crl>,
    nonce: Option<Vec<u8>>,
    policy: Option<String>,
    token_sm2_id: DistId,
    certificate_sm2_id: DistId,
    without_z: bool,
}

impl VerifyOptions {
    /// Verification against these trust anchors (root certificates of accepted TSAs).
    pub fn new(trust_anchors: Vec<Certificate>) -> Self {
        Self {
            trust_anchors,
            intermediates: Vec::new(),
            crls: Vec::new(),
            nonce: None,
            policy: None,
            token_sm2_id: DistId::DEFAULT,
            certificate_sm2_id: DistId::DEFAULT,
            without_z: false,
        }
    }

    /// Checks an SM2 TSA's token signature as e = SM3(signed attributes) **without Z**, the
    /// way OpenSSL 3.0's PKCS#7 layer makes and checks it (see
    /// [`LocalTsa::sm2_without_z_for_openssl_interop_only`](super::LocalTsa::sm2_without_z_for_openssl_interop_only)).
    /// Not GM/T 0010 SM2; the token SM2 ID plays no part then.
    pub fn sm2_without_z_for_openssl_interop_only(mut self) -> Self {
        self.without_z = true;
        self
    }

    /// Certificates to build the TSA's path with, and to find the TSA certificate among when
    /// the token does not carry it (a request with certReq FALSE).
    pub fn intermediates(mut self, certificates: Vec<Certificate>) -> Self {
        self.intermediates = certificates;
        self
    }

    /// CRLs for the TSA certificate (checked at the stamped time, as
    /// [`pki::VerifyOptions::crls`] does).
    pub fn crls(mut self, crls: Vec<Crl>) -> Self {
        self.crls = crls;
        self
    }

    /// The nonce the request carried (unsigned big-endian): the token must repeat it
    /// (RFC 3161 §2.4.2).
    pub fn nonce(mut self, nonce: &[u8]) -> Self {
        self.nonce = Some(strip_zeros(nonce));
        self
    }

    /// The TSA policy (dotted OID) the token must have been issued under.
    pub fn policy(mut self, oid: &str) -> Self {
        self.policy = Some(oid.to_owned());
        self
    }

    /// The SM2 ID of an SM2 TSA's signature on the token.
    pub fn token_sm2_id(mut self, id: DistId) -> Self {
        self.token_sm2_id = id;
        self
    }

    /// The SM2 ID of SM2 certificate signatures in the TSA's path ([`DistId::EMPTY`] for
    /// certificates OpenSSL 3 made without `distid`).
    pub fn certificate_sm2_id(mut self, id: DistId) -> Self {
        self.certificate_sm2_id = id;
        self
    }
}

/// A token whose every check passed; only [`TimeStampToken::verify`] makes one.
#[derive(Debug, Clone)]
pub struct VerifiedTimestamp {
    info: TstInfo,
    signer: VerifiedSigner,
    path: VerifiedPath,
}

impl VerifiedTimestamp {
    /// genTime, to the second: the trusted time at which the data existed.
    pub fn gen_time(&self) -> UnixTime {
        self.info.gen_time()
    }

    /// genTime with its fraction of a second, since the Unix epoch.
    pub fn gen_time_precise(&self) -> Duration {
        self.info.gen_time_precise()
    }

    /// The latest time the data may have been stamped: genTime plus the accuracy (genTime
    /// itself without one).
    pub fn latest_time(&self) -> UnixTime {
        let accuracy = self.info.accuracy().unwrap_or_default().as_duration();
        let latest = self.info.gen_time_precise().saturating_add(accuracy);
        let seconds = latest.as_secs() + u64::from(latest.subsec_nanos() > 0);
        UnixTime::since_unix_epoch(Duration::from_secs(seconds))
    }

    /// The accuracy the TSA stated, if any.
    pub fn accuracy(&self) -> Option<Accuracy> {
        self.info.accuracy()
    }

    /// The token's serial number (the INTEGER's content bytes).
    pub fn serial(&self) -> &[u8] {
        self.info.serial()
    }

    /// The serial number as lowercase hex.
    pub fn serial_hex(&self) -> String {
        self.info.serial_hex()
    }

    /// The TSA policy (dotted OID).
    pub fn policy(&self) -> &str {
        self.info.policy()
    }

    /// The TSA certificate that signed the token.
    pub fn tsa_certificate(&self) -> &Certificate {
        self.signer.certificate()
    }

    /// The TSA certificate's validated path, at genTime.
    pub fn path(&self) -> &VerifiedPath {
        &self.path
    }

    /// The SM2 ID the token signature verified with (if the TSA uses SM2).
    pub fn sm2_id(&self) -> &DistId {
        self.signer.sm2_id()
    }

    /// What the CMS layer tolerated (e.g. a raw r‖s signature).
    pub fn warnings(&self) -> &[CmsWarning] {
        self.signer.warnings()
    }

    /// The whole TSTInfo.
    pub fn info(&self) -> &TstInfo {
        &self.info
    }
}

impl TimeStampToken {
    /// Verifies the token over `data`, hashed with the token's imprint algorithm.
    ///
    /// In order: the CMS signature of the one SignerInfo (SM2 with `token_sm2_id`, or RSA /
    /// ECDSA through *ring*) with content-type TSTInfo and message-digest over the TSTInfo;
    /// the ESS signingCertificate(V2) attribute naming that certificate (RFC 3161 §2.4.1,
    /// RFC 5816); the message imprint ([`Error::ImprintMismatch`]); the nonce and policy if
    /// the options require them; the certificate's extendedKeyUsage — present, critical and
    /// timeStamping alone (RFC 3161 §2.3); its path to a trust anchor **at genTime**, with
    /// keyUsage digitalSignature or nonRepudiation if it has a keyUsage.
    ///
    /// [`Error::NoTrustAnchors`] is returned only after every other check passed: a caller
    /// without anchors learns that the token is intact but not whether its TSA is trusted.
    pub fn verify(&self, data: &[u8], options: &VerifyOptions) -> Result<VerifiedTimestamp, Error> {
        let computed = self.info().imprint_algorithm().digest(data);
        self.verify_digest(self.info().imprint_algorithm(), &computed, options)
    }

    /// As [`TimeStampToken::verify`], for a caller who has only the digest of the data,
    /// computed with `algorithm`.
    pub fn verify_digest(
        &self,
        algorithm: DigestAlgorithm,
        digest: &[u8],
        options: &VerifyOptions,
    ) -> Result<VerifiedTimestamp, Error> {
        let info = self.info();
        let mut cms_options = CmsVerifyOptions::new()
            .sm2_id(options.token_sm2_id.clone())
            .allow_rsa_and_ecdsa()
            .certificates(options.intermediates.clone());
        if options.without_z {
            cms_options = cms_options.sm2_without_z_for_openssl_pkcs7_interop_only();
        }
        let verified = self
            .signed_data()
            .verify(None, &cms_options)
            .map_err(Error::Cms)?;
        let signer = verified.signer().clone();
        let digest_oid = signer.digest_algorithm().oid();
        if !self
            .signed_data()
            .digest_algorithms()
            .iter()
            .any(|listed| listed == digest_oid)
        {
            // RFC 5652 §5.1: the unsigned digestAlgorithms list the signer's algorithm.
            return Err(Error::Malformed {
                what: "TimeStampToken",
                reason: format!("digestAlgorithms does not list the signer's {digest_oid}"),
            });
        }
        check_signing_certificate(&signer)?;
        if algorithm != info.imprint_algorithm() || digest != info.hashed_message() {
            return Err(Error::ImprintMismatch {
                algorithm: info.imprint_algorithm(),
                stamped: hex::encode(info.hashed_message()),
                computed: hex::encode(digest),
            });
        }
        check_nonce(options.nonce.as_deref(), info.nonce())?;
        if let Some(expected) = &options.policy
            && expected != info.policy()
        {
            return Err(Error::PolicyMismatch {
                expected: expected.clone(),
                found: info.policy().to_owned(),
            });
        }
        let certificate = signer.certificate();
        check_time_stamping_usage(certificate)?;
        if options.trust_anchors.is_empty() {
            return Err(Error::NoTrustAnchors);
        }
        let path = self.tsa_path(certificate, options)?;
        Ok(VerifiedTimestamp {
            info: info.clone(),
            signer,
            path,
        })
    }

    /// The TSA certificate's path at genTime, with its errors named for a TSA.
    fn tsa_path(
        &self,
        certificate: &Certificate,
        options: &VerifyOptions,
    ) -> Result<VerifiedPath, Error> {
        let gen_time = self.info().gen_time();
        let intermediates: Vec<Certificate> = self
            .certificates()
            .iter()
            .chain(&options.intermediates)
            .filter(|c| *c != certificate)
            .cloned()
            .collect();
        let path_options = pki::VerifyOptions::new(gen_time)
            .sm2_id(options.certificate_sm2_id.clone())
            .require(RequiredUsage::SIGNING)
            .crls(options.crls.clone());
        verify_path(
            certificate,
            &intermediates,
            &options.trust_anchors,
            &path_options,
        )
        .map_err(|error| match error {
            pki::Error::UnknownIssuer { issuer, .. } => Error::UntrustedTsa {
                subject: certificate.subject().to_owned(),
                issuer,
            },
            pki::Error::Expired {
                subject, not_after, ..
            } => Error::TsaCertificateExpired {
                subject,
                not_after,
                gen_time,
            },
            pki::Error::NotYetValid {
                subject,
                not_before,
                ..
            } => Error::TsaCertificateNotYetValid {
                subject,
                not_before,
                gen_time,
            },
            other => Error::TsaPath(other),
        })
    }
}

/// Verifies `token_der` over `data` in one call: parse, then [`TimeStampToken::verify`].
///
/// This is the call a seal verifier makes for the v4 `timeStamp` field (`data` = the
/// signature value) and a ledger makes for a checkpoint's token (`data` = the checkpoint's
/// signed note, byte for byte; see [`trace::CheckpointTimestamp`](crate::trace::CheckpointTimestamp)).
pub fn verify_token(
    token_der: &[u8],
    data: &[u8],
    options: &VerifyOptions,
) -> Result<VerifiedTimestamp, Error> {
    TimeStampToken::from_der(token_der)?.verify(data, options)
}

/// The nonce check (RFC 3161 §2.4.2): equal when the caller sent one.
fn check_nonce(expected: Option<&[u8]>, found: Option<&[u8]>) -> Result<(), Error> {
    match (expected, found) {
        (None, _) => Ok(()),
        (Some(expected), Some(found)) if expected == found => Ok(()),
        (Some(expected), found) => Err(Error::NonceMismatch {
            expected: Some(hex::encode(expected)),
            found: found.map(hex::encode),
        }),
    }
}

/// RFC 3161 §2.3: extendedKeyUsage present, critical, with id-kp-timeStamping alone.
pub(super) fn check_time_stamping_usage(certificate: &Certificate) -> Result<(), Error> {
    let subject = certificate.subject().to_owned();
    let usage = certificate
        .extended_key_usage()
        .map_err(Error::Certificate)?;
    match usage {
        None => Err(Error::MissingTimeStampingUsage { subject }),
        Some(usage) if !usage.contains(ID_KP_TIME_STAMPING) => {
            Err(Error::MissingTimeStampingUsage { subject })
        }
        Some(usage) if usage.purposes().len() != 1 => Err(Error::NotOnlyTimeStampingUsage {
            subject,
            purposes: usage.purposes().to_vec(),
        }),
        Some(usage) if !usage.is_critical() => Err(Error::TimeStampingUsageNotCritical { subject }),
        Some(_) => Ok(()),
    }
}

/// The ESS signingCertificateV2 (RFC 5035) or signingCertificate (RFC 2634) attribute: its
/// first ESSCertID must hash to the signer certificate, and its issuerSerial, if present, must
/// name that certificate's issuer and serial (RFC 5035 §5.4.1).
fn check_signing_certificate(signer: &VerifiedSigner) -> Result<(), Error> {
    let certificate = signer.certificate();
    let mismatch = |reason: String| Error::SigningCertificateMismatch {
        subject: certificate.subject().to_owned(),
        reason,
    };
    let (hash, expected, issuer_serial) =
        if let Some(values) = signer.signed_attribute(SIGNING_CERTIFICATE_V2) {
            let parsed = SigningCertificateV2::from_der(values)
                .map_err(|e| mismatch(format!("signingCertificateV2 does not decode: {e}")))?;
            let first =
                parsed.certs.into_iter().next().ok_or_else(|| {
                    mismatch("signingCertificateV2 lists no certificate".to_owned())
                })?;
            let algorithm = match &first.hash_algorithm {
                None => DigestAlgorithm::Sha256,
                Some(id) => {
                    DigestAlgorithm::from_oid(&id.algorithm.to_string()).ok_or_else(|| {
                        mismatch(format!(
                            "the hash algorithm {} is not supported",
                            id.algorithm
                        ))
                    })?
                }
            };
            (
                first.cert_hash.as_bytes().to_vec(),
                algorithm.digest(certificate.der()),
                first.issuer_serial,
            )
        } else if let Some(values) = signer.signed_attribute(SIGNING_CERTIFICATE) {
            let parsed = SigningCertificate::from_der(values)
                .map_err(|e| mismatch(format!("signingCertificate does not decode: {e}")))?;
            let first =
                parsed.certs.into_iter().next().ok_or_else(|| {
                    mismatch("signingCertificate lists no certificate".to_owned())
                })?;
            (
                first.cert_hash.as_bytes().to_vec(),
                sha1::Sha1::digest(certificate.der()).to_vec(),
                first.issuer_serial,
            )
        } else {
            return Err(Error::SigningCertificateMissing);
        };
    if hash != expected {
        return Err(mismatch(format!(
            "it names the certificate hash {}, the TSA certificate's is {}",
            hex::encode(&hash),
            hex::encode(&expected)
        )));
    }
    if let Some(issuer_serial) = issuer_serial {
        check_issuer_serial(certificate, &issuer_serial).map_err(mismatch)?;
    }
    Ok(())
}

/// IssuerSerial's serialNumber and directoryName against the certificate.
fn check_issuer_serial(certificate: &Certificate, value: &IssuerSerial) -> Result<(), String> {
    if value.serial_number.as_bytes() != certificate.serial() {
        return Err(format!(
            "issuerSerial names serial {}, the certificate's is {}",
            hex::encode(value.serial_number.as_bytes()),
            certificate.serial_hex()
        ));
    }
    // GeneralName directoryName is [4] EXPLICIT Name (RFC 5280 §4.2.1.6).
    let names_issuer = value.issuer.iter().any(|name| {
        name.tag()
            == der::Tag::ContextSpecific {
                constructed: true,
                number: der::TagNumber(4),
            }
            && name.value() == certificate.issuer_der()
    });
    if names_issuer {
        Ok(())
    } else {
        Err(format!(
            "issuerSerial does not name the issuer {}",
            certificate.issuer()
        ))
    }
}
