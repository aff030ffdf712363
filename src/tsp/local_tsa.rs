//! A time-stamping authority in this process: for tests, the demo, and an in-house TSA whose
//! key may sit in a cipher machine behind [`Signer`].

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use der::asn1::{Any, OctetString};
use der::{Encode, Tag, TagNumber};
use rustls_pki_types::UnixTime;

use super::asn1::{self, EssCertIdV2, IssuerSerial, SigningCertificateV2};
use super::request::{encoding, integer, message_imprint, object_id, unsigned_integer};
use super::time::format_generalized_time;
use super::{
    Accuracy, Error, FailureInfo, SIGNING_CERTIFICATE_V2, TST_INFO, TimeStampRequest,
    TimeStampResponse, TimeStampToken,
};
use crate::pki::{Certificate, CmsOids, CmsSigner, DigestAlgorithm};
use crate::sm2::Signer;

/// An SM2 TSA: a [`Signer`], its certificate (which must carry the critical timeStamping
/// extendedKeyUsage, RFC 3161 §2.3), a policy OID and a serial counter. Time is always given
/// by the caller.
///
/// Tokens carry: TSTInfo v1 with the policy, the imprint, the next serial, genTime (with
/// milliseconds if the time has them), the accuracy if set, the nonce of the request; a
/// SignedData (PKCS#7 OIDs, SM3, SM2 with the signer's own ID) with signed attributes
/// content-type TSTInfo, message-digest, signing-time and signingCertificateV2 (RFC 5035)
/// identifying the certificate by its SM3 hash and issuer and serial; the certificate if the
/// request asked for it.
///
/// The TSA does not check its certificate's validity at the time it is given: verification
/// does, at genTime ([`Error::TsaCertificateExpired`]), and tests rely on making such tokens.
///
/// ```
/// use smtrust::pki::{CertificateBuilder, DigestAlgorithm, UnixTime};
/// use smtrust::sm2::{DistId, SecretKey, SigningKey};
/// use smtrust::tsp::{LocalTsa, VerifyOptions};
///
/// let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32])?, DistId::DEFAULT);
/// let root = CertificateBuilder::ca("CN=Demo Root", 1).self_signed(&root_key)?;
/// let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32])?, DistId::DEFAULT);
/// let tsa_cert = LocalTsa::certificate_builder("CN=Demo TSA", 2)
///     .issue(tsa_key.verifying_key().public_key(), &root, &root_key)?;
/// let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1")?;
///
/// let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_900_000_000));
/// let token = tsa.stamp(DigestAlgorithm::Sm3, b"signature value", at)?;
/// let verified = smtrust::tsp::verify_token(token.der(), b"signature value", &VerifyOptions::new(vec![root]))?;
/// assert_eq!(verified.gen_time(), at);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct LocalTsa<'a> {
    signer: &'a dyn Signer,
    certificate: Certificate,
    policy: String,
    accuracy: Option<Accuracy>,
    next_serial: AtomicU64,
    without_z: bool,
}

impl<'a> LocalTsa<'a> {
    /// A TSA signing with `signer` as `certificate`, issuing tokens under `policy` (dotted),
    /// serials from 1.
    ///
    /// Errors: [`Error::KeyMismatch`], [`Error::Certificate`] (no SM2 key),
    /// [`Error::MissingTimeStampingUsage`] / [`Error::TimeStampingUsageNotCritical`] /
    /// [`Error::NotOnlyTimeStampingUsage`] (RFC 3161 §2.3), [`Error::InvalidObjectIdentifier`].
    pub fn new(
        signer: &'a dyn Signer,
        certificate: Certificate,
        policy: &str,
    ) -> Result<Self, Error> {
        let key = certificate.sm2_public_key().map_err(Error::Certificate)?;
        if key != *signer.verifying_key().public_key() {
            return Err(Error::KeyMismatch {
                subject: certificate.subject().to_owned(),
            });
        }
        super::verify::check_time_stamping_usage(&certificate)?;
        object_id(policy)?;
        Ok(Self {
            signer,
            certificate,
            policy: policy.to_owned(),
            accuracy: None,
            next_serial: AtomicU64::new(1),
            without_z: false,
        })
    }

    /// A certificate builder for a TSA: an end entity with keyUsage digitalSignature +
    /// nonRepudiation and the critical extendedKeyUsage id-kp-timeStamping.
    pub fn certificate_builder(subject: &str, serial: u64) -> crate::pki::CertificateBuilder {
        crate::pki::CertificateBuilder::end_entity(subject, serial).extension(
            "2.5.29.37",
            true,
            &TIME_STAMPING_EKU,
        )
    }

    /// The next serial number to issue (for a TSA that keeps its counter across restarts).
    pub fn next_serial(self, serial: u64) -> Self {
        self.next_serial.store(serial, Ordering::Relaxed);
        self
    }

    /// The accuracy to state in every token.
    pub fn accuracy(mut self, accuracy: Accuracy) -> Self {
        self.accuracy = Some(accuracy);
        self
    }

    /// Signs tokens the way OpenSSL 3.0's `openssl ts -verify` checks SM2: e = SM3(signed
    /// attributes) **without Z** (its PKCS#7 layer uses no SM2 ID). Not GM/T 0010 SM2: such
    /// tokens verify here only with
    /// [`VerifyOptions::sm2_without_z_for_openssl_interop_only`](super::VerifyOptions::sm2_without_z_for_openssl_interop_only).
    pub fn sm2_without_z_for_openssl_interop_only(mut self) -> Self {
        self.without_z = true;
        self
    }

    /// The TSA certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// A token over the digest of `data` with `algorithm`, at `at`, with the certificate and no
    /// nonce: what a seal or a ledger checkpoint carries.
    pub fn stamp(
        &self,
        algorithm: DigestAlgorithm,
        data: &[u8],
        at: UnixTime,
    ) -> Result<TimeStampToken, Error> {
        let request = TimeStampRequest::builder(algorithm, data).build()?;
        self.stamp_request(&request, Duration::from_secs(at.as_secs()))
    }

    /// A token answering `request` at `at` (which may carry milliseconds).
    pub fn stamp_request(
        &self,
        request: &TimeStampRequest,
        at: Duration,
    ) -> Result<TimeStampToken, Error> {
        let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
        let tst_info = self.tst_info(request, serial, at)?;
        let mut cms = CmsSigner::new(self.signer, &self.certificate, CmsOids::Pkcs7)
            .content_type(TST_INFO)
            .signed_attribute(SIGNING_CERTIFICATE_V2, self.signing_certificate()?);
        if !request.cert_req() {
            cms = cms.without_certificate();
        }
        if self.without_z {
            cms = cms.sm2_without_z_for_openssl_pkcs7_interop_only();
        }
        let signing_time = UnixTime::since_unix_epoch(Duration::from_secs(at.as_secs()));
        let signed = cms.sign(&tst_info, signing_time).map_err(Error::Cms)?;
        TimeStampToken::from_der(signed.der())
    }

    /// The response to the DER request `request` at `at`: a granted response with a token, or
    /// a rejection naming why (badDataFormat for a request that does not parse, badAlg for an
    /// imprint algorithm other than SM3 and SHA-2, unacceptedPolicy for another policy,
    /// unacceptedExtension for any extension).
    ///
    /// Errors only when the TSA itself fails (signer, encoding); bad requests are responses.
    pub fn respond(&self, request: &[u8], at: Duration) -> Result<TimeStampResponse, Error> {
        let parsed = match TimeStampRequest::from_der(request) {
            Ok(parsed) => parsed,
            Err(Error::UnsupportedDigest { oid }) => {
                return TimeStampResponse::rejection(
                    FailureInfo::BAD_ALG,
                    &format!("the hash algorithm {oid} is not accepted"),
                );
            }
            Err(error) => {
                return TimeStampResponse::rejection(
                    FailureInfo::BAD_DATA_FORMAT,
                    &error.to_string(),
                );
            }
        };
        if let Some(policy) = parsed.policy()
            && policy != self.policy
        {
            return TimeStampResponse::rejection(
                FailureInfo::UNACCEPTED_POLICY,
                &format!("this TSA issues tokens under policy {} only", self.policy),
            );
        }
        if let Some(extension) = parsed.extensions().first() {
            return TimeStampResponse::rejection(
                FailureInfo::UNACCEPTED_EXTENSION,
                &format!("the extension {extension} is not supported"),
            );
        }
        TimeStampResponse::granted(&self.stamp_request(&parsed, at)?)
    }

    /// The DER TSTInfo.
    fn tst_info(
        &self,
        request: &TimeStampRequest,
        serial: u64,
        at: Duration,
    ) -> Result<Vec<u8>, Error> {
        let time = format_generalized_time(at).map_err(|_| Error::InvalidTime {
            seconds: at.as_secs(),
        })?;
        let info = asn1::TstInfo {
            version: integer(&[1])?,
            policy: object_id(&self.policy)?,
            message_imprint: message_imprint(request.algorithm(), request.digest())?,
            serial_number: unsigned_integer(&serial.to_be_bytes())?,
            gen_time: Any::new(Tag::GeneralizedTime, time.into_bytes()).map_err(encoding)?,
            accuracy: self.accuracy.map(Accuracy::to_asn1),
            ordering: false,
            nonce: request.nonce().map(unsigned_integer).transpose()?,
            tsa: None,
            extensions: None,
        };
        info.to_der().map_err(encoding)
    }

    /// SigningCertificateV2 (RFC 5035 §3) with one ESSCertIDv2: SM3 of the certificate, and
    /// its issuer (directoryName) and serial.
    fn signing_certificate(&self) -> Result<Vec<u8>, Error> {
        let directory_name = Any::new(
            Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(4),
            },
            self.certificate.issuer_der(),
        )
        .map_err(encoding)?;
        let id = EssCertIdV2 {
            hash_algorithm: Some(asn1::AlgorithmIdentifier {
                algorithm: DigestAlgorithm::Sm3.object_id(),
                parameters: None,
            }),
            cert_hash: OctetString::new(DigestAlgorithm::Sm3.digest(self.certificate.der()))
                .map_err(encoding)?,
            issuer_serial: Some(IssuerSerial {
                issuer: vec![directory_name],
                serial_number: integer(self.certificate.serial())?,
            }),
        };
        SigningCertificateV2 {
            certs: vec![id],
            policies: None,
        }
        .to_der()
        .map_err(encoding)
    }
}

impl core::fmt::Debug for LocalTsa<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LocalTsa")
            .field("certificate", &self.certificate)
            .field("policy", &self.policy)
            .field("next_serial", &self.next_serial.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// extendedKeyUsage `SEQUENCE { id-kp-timeStamping }` (RFC 3161 §2.3).
const TIME_STAMPING_EKU: [u8; 12] = [
    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08,
];
