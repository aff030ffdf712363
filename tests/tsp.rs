//! RFC 3161 time-stamp tokens: the OpenSSL-made fixtures of test-vectors/standard/tsp (parsed
//! and verified without openssl), tokens of the local SM2 TSA, and every verification failure
//! as its exact error.

mod common;

use std::time::Duration;

use smtrust::pki::{
    self, Certificate, CertificateBuilder, CmsError, CmsOids, CmsSigner, DigestAlgorithm,
    KeyUsages, UnixTime,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::tsp::{
    self, Accuracy, Error, FailureInfo, LocalTsa, Status, TimeStampRequest, TimeStampResponse,
    TimeStampToken, VerifyOptions,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(common::vector_path(&format!("standard/tsp/{name}"))).unwrap()
}

fn pem(name: &str) -> Certificate {
    Certificate::from_pem(&String::from_utf8(fixture(name)).unwrap()).unwrap()
}

fn t(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

const DATA: &[u8] = b"registration form 2026-0001\n";
const POLICY: &str = "1.2.3.4.1";
/// The instant every local token is stamped at.
const AT: u64 = 1_900_000_000;

/// A root, and a TSA key and certificate under it (SM2, default ID).
struct Pki {
    root_key: SigningKey,
    root: Certificate,
    tsa_key: SigningKey,
    tsa_cert: Certificate,
}

fn pki() -> Pki {
    let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("C=CN, O=smtrust, CN=Time Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32]).unwrap(), DistId::DEFAULT);
    let tsa_cert = LocalTsa::certificate_builder("C=CN, O=smtrust, CN=TSA", 2)
        .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    Pki {
        root_key,
        root,
        tsa_key,
        tsa_cert,
    }
}

fn local_token(pki: &Pki, data: &[u8]) -> TimeStampToken {
    LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY)
        .unwrap()
        .stamp(DigestAlgorithm::Sm3, data, t(AT))
        .unwrap()
}

// ---- OpenSSL-made fixtures (README.md of test-vectors/standard/tsp) ----

/// `openssl ts -reply`, ECDSA P-256 TSA, SHA-256 imprint, nonce, accuracy 1 s 500 ms 100 µs,
/// genTime with milliseconds, ESS signingCertificateV2 (SHA-256).
#[test]
fn openssl_ecdsa_sha256_token_verifies() {
    let request = TimeStampRequest::from_der(&fixture("ecdsa-sha256.tsq")).unwrap();
    let options = VerifyOptions::new(vec![pem("ecdsa-root.pem")])
        .nonce(request.nonce().unwrap())
        .policy(POLICY);
    let verified = tsp::verify_token(&fixture("ecdsa-sha256.tst"), DATA, &options).unwrap();
    assert_eq!(verified.serial_hex(), "2b");
    assert_eq!(verified.policy(), POLICY);
    assert_eq!(
        verified.accuracy(),
        Some(Accuracy {
            seconds: 1,
            millis: 500,
            micros: 100
        })
    );
    assert_eq!(verified.info().imprint_algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(
        verified.gen_time().as_secs(),
        verified.gen_time_precise().as_secs()
    );
    assert_eq!(
        verified.tsa_certificate().subject(),
        "C=CN, O=smtrust test, CN=ecdsa TSA"
    );
    assert!(verified.latest_time() > verified.gen_time());
    assert_eq!(verified.path().certificates().len(), 2);
    assert_eq!(verified.tsa_certificate(), &pem("ecdsa-tsa.pem"));
    assert_eq!(fixture("data.txt"), DATA);
}

/// The same TSA with an SM3 imprint (OpenSSL accepts `-sm3` for queries and tokens).
#[test]
fn openssl_ecdsa_sm3_imprint_verifies() {
    let token = TimeStampToken::from_der(&fixture("ecdsa-sm3.tst")).unwrap();
    assert_eq!(token.info().imprint_algorithm(), DigestAlgorithm::Sm3);
    assert_eq!(
        token.info().hashed_message(),
        smtrust::sm3::hash(DATA).as_slice()
    );
    let verified = token
        .verify(DATA, &VerifyOptions::new(vec![pem("ecdsa-root.pem")]))
        .unwrap();
    assert_eq!(verified.serial_hex(), "2c");
}

/// RSA 2048 TSA, ESS signingCertificate v1 (SHA-1 certHash), request without certReq: the
/// token carries no certificate, so the verifier must be given the TSA certificate.
#[test]
fn openssl_rsa_token_without_certificate_needs_the_tsa_certificate() {
    let der = fixture("rsa-sha256-nocert.tst");
    let token = TimeStampToken::from_der(&der).unwrap();
    assert!(token.certificates().is_empty());
    assert_eq!(token.info().nonce(), None);
    let anchors = vec![pem("rsa-root.pem")];
    let err = tsp::verify_token(&der, DATA, &VerifyOptions::new(anchors.clone())).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cms(CmsError::SignerCertificateNotFound { signer: 0, .. })
        ),
        "{err:?}"
    );
    let options = VerifyOptions::new(anchors).intermediates(vec![pem("rsa-tsa.pem")]);
    let verified = tsp::verify_token(&der, DATA, &options).unwrap();
    assert_eq!(
        verified.tsa_certificate().subject(),
        "C=CN, O=smtrust test, CN=rsa TSA"
    );
}

/// RFC 3161 §2.4.2 TimeStampResp: the granted response carries exactly the token file.
#[test]
fn openssl_response_carries_the_token() {
    let response = TimeStampResponse::from_der(&fixture("ecdsa-sha256.tsr")).unwrap();
    assert_eq!(response.status(), Status::Granted);
    assert_eq!(response.failure_info(), None);
    assert_eq!(
        response.into_token().unwrap().der(),
        fixture("ecdsa-sha256.tst")
    );
}

/// OpenSSL 3.0 cannot sign a token with SM2 and answers with a rejection: status 2, a
/// statusString, no failInfo.
#[test]
fn openssl_sm2_attempt_is_a_rejection() {
    let response = TimeStampResponse::from_der(&fixture("sm2-rejection.tsr")).unwrap();
    assert_eq!(response.status(), Status::Rejection);
    assert_eq!(
        response.status_text().as_deref(),
        Some("Error during signature generation.")
    );
    assert_eq!(
        response.into_token().unwrap_err(),
        Error::NotGranted {
            status: Status::Rejection,
            text: Some("Error during signature generation.".into()),
            failure: None,
        }
    );
}

/// RFC 3161 §2.4.1 TimeStampReq from `openssl ts -query -sha256 -cert`.
#[test]
fn openssl_request_parses() {
    let request = TimeStampRequest::from_der(&fixture("ecdsa-sha256.tsq")).unwrap();
    assert_eq!(request.algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(request.digest(), DigestAlgorithm::Sha256.digest(DATA));
    assert_eq!(
        request.nonce(),
        Some(&hex::decode("38166aa48845cfd2").unwrap()[..])
    );
    assert!(request.cert_req());
    assert_eq!(request.policy(), None);
}

/// Wrong TSA: the ECDSA token against the RSA root.
#[test]
fn wrong_tsa_is_untrusted() {
    let err = tsp::verify_token(
        &fixture("ecdsa-sha256.tst"),
        DATA,
        &VerifyOptions::new(vec![pem("rsa-root.pem")]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::UntrustedTsa {
            subject: "C=CN, O=smtrust test, CN=ecdsa TSA".into(),
            issuer: "C=CN, O=smtrust test, CN=ecdsa TSA Root".into(),
        }
    );
}

/// RFC 3161 §2.4.2 messageImprint: other data does not match.
#[test]
fn tampered_data_is_an_imprint_mismatch() {
    let mut tampered = DATA.to_vec();
    tampered[0] ^= 1;
    let err = tsp::verify_token(
        &fixture("ecdsa-sha256.tst"),
        &tampered,
        &VerifyOptions::new(vec![pem("ecdsa-root.pem")]),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::ImprintMismatch {
            algorithm: DigestAlgorithm::Sha256,
            stamped: hex::encode(DigestAlgorithm::Sha256.digest(DATA)),
            computed: hex::encode(DigestAlgorithm::Sha256.digest(&tampered)),
        }
    );
}

/// RFC 3161 §2.4.2: the nonce MUST be the request's.
#[test]
fn nonce_mismatch() {
    let options = VerifyOptions::new(vec![pem("ecdsa-root.pem")]).nonce(&[0x00, 0x01, 0x02]);
    let err = tsp::verify_token(&fixture("ecdsa-sha256.tst"), DATA, &options).unwrap_err();
    assert_eq!(
        err,
        Error::NonceMismatch {
            expected: Some("0102".into()),
            found: Some("38166aa48845cfd2".into()),
        }
    );
    let options = VerifyOptions::new(vec![pem("rsa-root.pem")])
        .intermediates(vec![pem("rsa-tsa.pem")])
        .nonce(&[7]);
    let err = tsp::verify_token(&fixture("rsa-sha256-nocert.tst"), DATA, &options).unwrap_err();
    assert_eq!(
        err,
        Error::NonceMismatch {
            expected: Some("07".into()),
            found: None,
        }
    );
}

#[test]
fn policy_mismatch() {
    let options = VerifyOptions::new(vec![pem("ecdsa-root.pem")]).policy("1.2.3.4.5");
    let err = tsp::verify_token(&fixture("ecdsa-sha256.tst"), DATA, &options).unwrap_err();
    assert_eq!(
        err,
        Error::PolicyMismatch {
            expected: "1.2.3.4.5".into(),
            found: POLICY.into(),
        }
    );
}

/// Without anchors, everything else is checked first, then NoTrustAnchors.
#[test]
fn no_trust_anchors_after_the_other_checks() {
    let der = fixture("ecdsa-sha256.tst");
    let none = VerifyOptions::new(Vec::new());
    assert_eq!(
        tsp::verify_token(&der, DATA, &none).unwrap_err(),
        Error::NoTrustAnchors
    );
    assert!(matches!(
        tsp::verify_token(&der, b"other", &none).unwrap_err(),
        Error::ImprintMismatch { .. }
    ));
}

/// One byte of the genTime inside the signed TSTInfo changed: the CMS message-digest no
/// longer matches (RFC 5652 §11.2).
#[test]
fn tampered_gen_time_breaks_the_signature() {
    let der = fixture("ecdsa-sha256.tst");
    let token = TimeStampToken::from_der(&der).unwrap();
    let info = token.info().der().to_vec();
    let at = info.windows(4).position(|w| w == b"2026").unwrap();
    let mut tampered = der.clone();
    let offset = der.windows(info.len()).position(|w| w == info).unwrap() + at + 3;
    tampered[offset] = b'7';
    let err = tsp::verify_token(
        &tampered,
        DATA,
        &VerifyOptions::new(vec![pem("ecdsa-root.pem")]),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cms(CmsError::MessageDigestMismatch { signer: 0, .. })
        ),
        "{err:?}"
    );
}

// ---- the local SM2 TSA ----

/// LocalTsa → token → verify_token, with SM3 and SHA-256 imprints.
#[test]
fn local_tsa_round_trip() {
    let pki = pki();
    for algorithm in [DigestAlgorithm::Sm3, DigestAlgorithm::Sha256] {
        let tsa = LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY)
            .unwrap()
            .next_serial(1000);
        let token = tsa.stamp(algorithm, DATA, t(AT)).unwrap();
        let verified = tsp::verify_token(
            token.der(),
            DATA,
            &VerifyOptions::new(vec![pki.root.clone()]).policy(POLICY),
        )
        .unwrap();
        assert_eq!(verified.gen_time(), t(AT));
        assert_eq!(verified.serial(), [0x03, 0xe8]);
        assert_eq!(verified.info().imprint_algorithm(), algorithm);
        assert_eq!(verified.tsa_certificate(), &pki.tsa_cert);
        assert_eq!(verified.sm2_id(), &DistId::DEFAULT);
        assert_eq!(verified.accuracy(), None);
        assert_eq!(verified.latest_time(), t(AT));
    }
}

/// A request with nonce and no certReq, answered at a time with milliseconds, with accuracy.
#[test]
fn local_tsa_answers_a_request() {
    let pki = pki();
    let accuracy = Accuracy {
        seconds: 0,
        millis: 10,
        micros: 0,
    };
    let tsa = LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY)
        .unwrap()
        .accuracy(accuracy);
    let nonce = [0x80, 1, 2, 3, 4, 5, 6, 7];
    let request = TimeStampRequest::builder(DigestAlgorithm::Sm3, DATA)
        .nonce(&nonce)
        .policy(POLICY)
        .cert_req(false)
        .build()
        .unwrap();
    let at = Duration::from_millis(AT * 1000 + 250);
    let response = tsa.respond(request.der(), at).unwrap();
    let response = TimeStampResponse::from_der(response.der()).unwrap();
    assert_eq!(response.status(), Status::Granted);
    let token = response.into_token().unwrap();
    assert!(token.certificates().is_empty());
    let options = VerifyOptions::new(vec![pki.root.clone()])
        .intermediates(vec![pki.tsa_cert.clone()])
        .nonce(&nonce);
    let verified = token.verify(DATA, &options).unwrap();
    assert_eq!(verified.gen_time_precise(), at);
    assert_eq!(verified.accuracy(), Some(accuracy));
    assert_eq!(verified.latest_time(), t(AT + 1));
    assert_eq!(verified.info().nonce(), Some(&nonce[..]));
}

/// RFC 3161 §2.4.2 rejections: the TSA answers bad requests with failInfo bits.
#[test]
fn local_tsa_rejections() {
    let pki = pki();
    let tsa = LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY).unwrap();
    let at = Duration::from_secs(AT);
    let other_policy = TimeStampRequest::builder(DigestAlgorithm::Sm3, DATA)
        .policy("1.2.3.4.5")
        .build()
        .unwrap();
    let cases: [(&[u8], FailureInfo); 3] = [
        (&SHA1_REQUEST, FailureInfo::BAD_ALG),
        (b"\x30\x00", FailureInfo::BAD_DATA_FORMAT),
        (other_policy.der(), FailureInfo::UNACCEPTED_POLICY),
    ];
    for (request, failure) in cases {
        let response = tsa.respond(request, at).unwrap();
        let parsed = TimeStampResponse::from_der(response.der()).unwrap();
        assert_eq!(parsed.status(), Status::Rejection);
        assert_eq!(parsed.failure_info(), Some(failure));
        assert!(matches!(
            parsed.into_token(),
            Err(Error::NotGranted {
                status: Status::Rejection,
                failure: Some(f),
                ..
            }) if f == failure
        ));
    }
}

/// A TimeStampReq with a SHA-1 imprint (1.3.14.3.2.26), 20 zero bytes.
const SHA1_REQUEST: [u8; 40] = [
    0x30, 0x26, 0x02, 0x01, 0x01, 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
    0x05, 0x00, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// An imprint algorithm other than SM3 and SHA-2 is named.
#[test]
fn unsupported_digest() {
    assert_eq!(
        TimeStampRequest::from_der(&SHA1_REQUEST).unwrap_err(),
        Error::UnsupportedDigest {
            oid: "1.3.14.3.2.26".into()
        }
    );
}

/// PKIFailureInfo BIT STRING (RFC 3161 §2.4.2): DER drops trailing zero bits.
#[test]
fn failure_info_bit_strings() {
    let bits = |failure| {
        TimeStampResponse::rejection(failure, "x")
            .unwrap()
            .der()
            .to_vec()
    };
    let der = bits(FailureInfo::BAD_ALG);
    assert!(der.ends_with(&[0x03, 0x02, 0x07, 0x80]), "{der:02x?}");
    let der = bits(FailureInfo::SYSTEM_FAILURE);
    assert!(
        der.ends_with(&[0x03, 0x05, 0x06, 0x00, 0x00, 0x00, 0x40]),
        "{der:02x?}"
    );
    assert_eq!(
        FailureInfo::UNACCEPTED_POLICY
            .union(FailureInfo::SYSTEM_FAILURE)
            .to_string(),
        "unacceptedPolicy, systemFailure"
    );
}

/// RFC 3161 §4.3: the TSA certificate must be valid at genTime. Here it expired a second
/// before the stamped time.
#[test]
fn tsa_certificate_expired_at_the_stamped_time() {
    let pki = pki();
    let short_lived = LocalTsa::certificate_builder("C=CN, O=smtrust, CN=TSA", 3)
        .validity(t(AT - 1000), t(AT - 1))
        .issue(
            pki.tsa_key.verifying_key().public_key(),
            &pki.root,
            &pki.root_key,
        )
        .unwrap();
    let tsa = LocalTsa::new(&pki.tsa_key, short_lived, POLICY).unwrap();
    let token = tsa.stamp(DigestAlgorithm::Sm3, DATA, t(AT)).unwrap();
    let err = token
        .verify(DATA, &VerifyOptions::new(vec![pki.root.clone()]))
        .unwrap_err();
    assert_eq!(
        err,
        Error::TsaCertificateExpired {
            subject: "C=CN, O=smtrust, CN=TSA".into(),
            not_after: t(AT - 1),
            gen_time: t(AT),
        }
    );
    // Stamped within the validity, the same certificate verifies: the token outlives it.
    let token = tsa.stamp(DigestAlgorithm::Sm3, DATA, t(AT - 10)).unwrap();
    assert!(
        token
            .verify(DATA, &VerifyOptions::new(vec![pki.root.clone()]))
            .is_ok()
    );
}

#[test]
fn tsa_certificate_not_yet_valid_at_the_stamped_time() {
    let pki = pki();
    let later = LocalTsa::certificate_builder("C=CN, O=smtrust, CN=TSA", 3)
        .validity(t(AT + 1), t(AT + 1000))
        .issue(
            pki.tsa_key.verifying_key().public_key(),
            &pki.root,
            &pki.root_key,
        )
        .unwrap();
    let token = LocalTsa::new(&pki.tsa_key, later, POLICY)
        .unwrap()
        .stamp(DigestAlgorithm::Sm3, DATA, t(AT))
        .unwrap();
    let err = token
        .verify(DATA, &VerifyOptions::new(vec![pki.root.clone()]))
        .unwrap_err();
    assert_eq!(
        err,
        Error::TsaCertificateNotYetValid {
            subject: "C=CN, O=smtrust, CN=TSA".into(),
            not_before: t(AT + 1),
            gen_time: t(AT),
        }
    );
}

/// A token over `tst_info` signed by `key` as `certificate` (any extendedKeyUsage), with an
/// ESS signingCertificateV2 (SHA-256 default) naming `ess_for`, or none.
fn resign(
    tst_info: &[u8],
    key: &SigningKey,
    certificate: &Certificate,
    ess_for: Option<&Certificate>,
) -> Vec<u8> {
    let mut signer =
        CmsSigner::new(key, certificate, CmsOids::Pkcs7).content_type("1.2.840.113549.1.9.16.1.4");
    if let Some(named) = ess_for {
        let hash = DigestAlgorithm::Sha256.digest(named.der());
        // SigningCertificateV2 { certs { ESSCertIDv2 { certHash } } }
        let value = [&[0x30, 0x26, 0x30, 0x24, 0x30, 0x22, 0x04, 0x20][..], &hash].concat();
        signer = signer.signed_attribute("1.2.840.113549.1.9.16.2.47", value);
    }
    signer.sign(tst_info, t(AT)).unwrap().der().to_vec()
}

fn tsa_with_eku(pki: &Pki, eku: Option<(bool, &[u8])>) -> Certificate {
    let mut builder = CertificateBuilder::end_entity("C=CN, O=smtrust, CN=TSA", 4);
    if let Some((critical, value)) = eku {
        builder = builder.extension("2.5.29.37", critical, value);
    }
    builder
        .issue(
            pki.tsa_key.verifying_key().public_key(),
            &pki.root,
            &pki.root_key,
        )
        .unwrap()
}

const EKU_TIME_STAMPING: [u8; 12] = [
    0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08,
];
/// timeStamping and clientAuth.
const EKU_TWO: [u8; 22] = [
    0x30, 0x14, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x08, 0x06, 0x08, 0x2b, 0x06,
    0x01, 0x05, 0x05, 0x07, 0x03, 0x02,
];

/// RFC 3161 §2.3 extendedKeyUsage: missing, not critical, not alone — each its own error;
/// the same certificates are refused by LocalTsa::new.
#[test]
fn tsa_certificate_extended_key_usage() {
    let pki = pki();
    let info = local_token(&pki, DATA).info().der().to_vec();
    let subject = "C=CN, O=smtrust, CN=TSA".to_owned();
    let cases = [
        (
            None,
            Error::MissingTimeStampingUsage {
                subject: subject.clone(),
            },
        ),
        (
            Some((true, &EKU_TWO[..])),
            Error::NotOnlyTimeStampingUsage {
                subject: subject.clone(),
                purposes: vec!["1.3.6.1.5.5.7.3.8".into(), "1.3.6.1.5.5.7.3.2".into()],
            },
        ),
        (
            Some((false, &EKU_TIME_STAMPING[..])),
            Error::TimeStampingUsageNotCritical {
                subject: subject.clone(),
            },
        ),
    ];
    for (eku, expected) in cases {
        let certificate = tsa_with_eku(&pki, eku);
        let token = resign(&info, &pki.tsa_key, &certificate, Some(&certificate));
        let err = tsp::verify_token(&token, DATA, &VerifyOptions::new(vec![pki.root.clone()]))
            .unwrap_err();
        assert_eq!(err, expected);
        assert_eq!(
            LocalTsa::new(&pki.tsa_key, certificate, POLICY).unwrap_err(),
            expected
        );
    }
    // The control: critical timeStamping alone passes.
    let good = tsa_with_eku(&pki, Some((true, &EKU_TIME_STAMPING)));
    let token = resign(&info, &pki.tsa_key, &good, Some(&good));
    assert!(tsp::verify_token(&token, DATA, &VerifyOptions::new(vec![pki.root.clone()])).is_ok());
}

/// RFC 3161 §2.4.1 / RFC 5035: the ESS attribute is required and must name the signer.
#[test]
fn signing_certificate_attribute() {
    let pki = pki();
    let info = local_token(&pki, DATA).info().der().to_vec();
    let anchors = VerifyOptions::new(vec![pki.root.clone()]);
    let token = resign(&info, &pki.tsa_key, &pki.tsa_cert, None);
    assert_eq!(
        tsp::verify_token(&token, DATA, &anchors).unwrap_err(),
        Error::SigningCertificateMissing
    );
    let token = resign(&info, &pki.tsa_key, &pki.tsa_cert, Some(&pki.root));
    let err = tsp::verify_token(&token, DATA, &anchors).unwrap_err();
    assert_eq!(
        err,
        Error::SigningCertificateMismatch {
            subject: "C=CN, O=smtrust, CN=TSA".into(),
            reason: format!(
                "it names the certificate hash {}, the TSA certificate's is {}",
                hex::encode(DigestAlgorithm::Sha256.digest(pki.root.der())),
                hex::encode(DigestAlgorithm::Sha256.digest(pki.tsa_cert.der()))
            ),
        }
    );
}

/// The SM2 ID is explicit: a token signed with the default ID does not verify with the empty
/// one.
#[test]
fn sm2_id_is_explicit() {
    let pki = pki();
    let token = local_token(&pki, DATA);
    let options = VerifyOptions::new(vec![pki.root.clone()]).token_sm2_id(DistId::EMPTY);
    assert_eq!(
        token.verify(DATA, &options).unwrap_err(),
        Error::Cms(CmsError::BadSignature {
            signer: 0,
            subject: "C=CN, O=smtrust, CN=TSA".into(),
            id: "(empty)".into(),
        })
    );
}

#[test]
fn local_tsa_refuses_a_foreign_key() {
    let pki = pki();
    let other = SigningKey::new(SecretKey::from_bytes(&[9; 32]).unwrap(), DistId::DEFAULT);
    assert_eq!(
        LocalTsa::new(&other, pki.tsa_cert.clone(), POLICY).unwrap_err(),
        Error::KeyMismatch {
            subject: "C=CN, O=smtrust, CN=TSA".into()
        }
    );
    assert_eq!(
        LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), "not an oid").unwrap_err(),
        Error::InvalidObjectIdentifier {
            oid: "not an oid".into()
        }
    );
}

/// A TSA certificate whose keyUsage is keyEncipherment only fails the path's usage check.
#[test]
fn tsa_key_usage_must_allow_signing() {
    let pki = pki();
    let certificate = LocalTsa::certificate_builder("C=CN, O=smtrust, CN=TSA", 5)
        .key_usage(Some(KeyUsages::KEY_ENCIPHERMENT))
        .issue(
            pki.tsa_key.verifying_key().public_key(),
            &pki.root,
            &pki.root_key,
        )
        .unwrap();
    let token = LocalTsa::new(&pki.tsa_key, certificate, POLICY)
        .unwrap()
        .stamp(DigestAlgorithm::Sm3, DATA, t(AT))
        .unwrap();
    let err = token
        .verify(DATA, &VerifyOptions::new(vec![pki.root.clone()]))
        .unwrap_err();
    assert!(
        matches!(err, Error::TsaPath(pki::Error::KeyUsage { .. })),
        "{err:?}"
    );
}

/// Flip one bit in every byte of a local token: parsing or verification fails, never passes
/// (tlog TestTree style).
#[test]
fn every_single_bit_flip_is_rejected() {
    let pki = pki();
    let der = local_token(&pki, DATA).der().to_vec();
    let options = VerifyOptions::new(vec![pki.root.clone()]);
    let accepted: Vec<usize> = (0..der.len())
        .filter(|index| {
            let mut flipped = der.clone();
            flipped[*index] ^= 0x01;
            tsp::verify_token(&flipped, DATA, &options).is_ok()
        })
        .collect();
    assert_eq!(
        accepted,
        Vec::<usize>::new(),
        "these flipped bytes were accepted"
    );
}

/// Structural errors of the token itself.
#[test]
fn malformed_tokens() {
    assert!(matches!(
        TimeStampToken::from_der(b"\x30\x00").unwrap_err(),
        Error::Cms(CmsError::Malformed { .. })
    ));
    let pki = pki();
    // A SignedData over `data` instead of TSTInfo.
    let plain = CmsSigner::new(&pki.tsa_key, &pki.tsa_cert, CmsOids::Pkcs7)
        .sign(DATA, t(AT))
        .unwrap();
    assert_eq!(
        TimeStampToken::from_der(plain.der()).unwrap_err(),
        Error::NotTstInfo {
            content_type: "1.2.840.113549.1.7.1".into()
        }
    );
    let huge = vec![0u8; tsp::MAX_TOKEN_LEN + 1];
    assert_eq!(
        TimeStampToken::from_der(&huge).unwrap_err(),
        Error::TooLarge {
            what: "TimeStampToken",
            len: tsp::MAX_TOKEN_LEN + 1,
            limit: tsp::MAX_TOKEN_LEN
        }
    );
}

/// TSTInfo version other than 1 (RFC 3161 §2.4.2).
#[test]
fn tst_info_version_must_be_1() {
    let pki = pki();
    let mut info = local_token(&pki, DATA).info().der().to_vec();
    // SEQUENCE header (2 or 3 bytes), then INTEGER 1.
    let at = info
        .windows(3)
        .position(|w| w == [0x02, 0x01, 0x01])
        .unwrap();
    info[at + 2] = 2;
    assert_eq!(
        tsp::TstInfo::from_der(&info).unwrap_err(),
        Error::UnsupportedVersion {
            what: "TSTInfo",
            version: "02".into()
        }
    );
}

// ---- live interop with `openssl ts` (skipped without the binary) ----

mod live {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;

    fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// An ECDSA P-256 root and TSA made by openssl in `dir`, and a `tsa.cnf` for
    /// `openssl ts -reply` (the setup of test-vectors/standard/tsp/make.sh).
    fn openssl_tsa(dir: &Path) {
        std::fs::write(
            dir.join("ext.cnf"),
            "[ca_ext]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign\n\
             [tsa_ext]\nbasicConstraints = critical, CA:FALSE\n\
             keyUsage = critical, digitalSignature\nextendedKeyUsage = critical, timeStamping\n",
        )
        .unwrap();
        let ec = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"];
        openssl(
            dir,
            &[&["genpkey"][..], &ec, &["-out", "root.key"]].concat(),
        );
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                "root.key",
                "-subj",
                "/CN=Live Root",
                "-days",
                "30",
                "-config",
                "ext.cnf",
                "-extensions",
                "ca_ext",
                "-out",
                "root.pem",
            ],
        );
        openssl(dir, &[&["genpkey"][..], &ec, &["-out", "tsa.key"]].concat());
        openssl(
            dir,
            &[
                "req",
                "-new",
                "-key",
                "tsa.key",
                "-subj",
                "/CN=Live TSA",
                "-out",
                "tsa.csr",
            ],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "tsa.csr",
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-set_serial",
                "2",
                "-days",
                "30",
                "-extfile",
                "ext.cnf",
                "-extensions",
                "tsa_ext",
                "-out",
                "tsa.pem",
            ],
        );
        std::fs::write(
            dir.join("tsa.cnf"),
            "[tsa]\ndefault_tsa = t\n[t]\nserial = serial\nsigner_cert = tsa.pem\n\
             signer_key = tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
             digests = sha256, sm3\naccuracy = secs:1\ness_cert_id_alg = sha256\n",
        )
        .unwrap();
        std::fs::write(dir.join("serial"), "01\n").unwrap();
        std::fs::write(dir.join("data.txt"), DATA).unwrap();
    }

    fn read_pem(path: PathBuf) -> Certificate {
        Certificate::from_pem(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn skip() -> bool {
        if common::have_program("openssl") {
            return false;
        }
        println!("skipped: no openssl binary on PATH");
        true
    }

    /// Tokens `openssl ts -reply` makes now, over SHA-256 and SM3 imprints, verify here.
    #[test]
    fn openssl_tokens_verify() {
        if skip() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        openssl_tsa(path);
        for digest in ["-sha256", "-sm3"] {
            openssl(
                path,
                &[
                    "ts", "-query", "-data", "data.txt", digest, "-cert", "-out", "q.tsq",
                ],
            );
            openssl(
                path,
                &[
                    "ts",
                    "-reply",
                    "-config",
                    "tsa.cnf",
                    "-queryfile",
                    "q.tsq",
                    "-token_out",
                    "-out",
                    "t.tst",
                ],
            );
            let request =
                TimeStampRequest::from_der(&std::fs::read(path.join("q.tsq")).unwrap()).unwrap();
            let options = VerifyOptions::new(vec![read_pem(path.join("root.pem"))])
                .nonce(request.nonce().unwrap());
            let token = std::fs::read(path.join("t.tst")).unwrap();
            let verified = tsp::verify_token(&token, DATA, &options).unwrap();
            assert_eq!(verified.tsa_certificate().subject(), "CN=Live TSA");
        }
    }

    /// A request made here (SM3 imprint, nonce, policy) is answered by `openssl ts -reply`.
    #[test]
    fn openssl_answers_our_request() {
        if skip() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        openssl_tsa(path);
        let nonce = [0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10];
        let request = TimeStampRequest::builder(DigestAlgorithm::Sm3, DATA)
            .nonce(&nonce)
            .policy(POLICY)
            .build()
            .unwrap();
        std::fs::write(path.join("ours.tsq"), request.der()).unwrap();
        openssl(
            path,
            &[
                "ts",
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "ours.tsq",
                "-out",
                "r.tsr",
            ],
        );
        let response =
            TimeStampResponse::from_der(&std::fs::read(path.join("r.tsr")).unwrap()).unwrap();
        let options = VerifyOptions::new(vec![read_pem(path.join("root.pem"))])
            .nonce(&nonce)
            .policy(POLICY);
        let verified = response
            .into_token()
            .unwrap()
            .verify(DATA, &options)
            .unwrap();
        assert_eq!(verified.info().imprint_algorithm(), DigestAlgorithm::Sm3);
        // And `openssl ts -verify` accepts its own answer to our request.
        let out = openssl(
            path,
            &[
                "ts",
                "-verify",
                "-queryfile",
                "ours.tsq",
                "-in",
                "r.tsr",
                "-CAfile",
                "root.pem",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Verification: OK"));
    }

    /// `openssl ts -verify` (OpenSSL 3.0) checks an SM2 token signature as e = SM3(signed
    /// attributes) without Z, and SM2 certificate signatures with the empty ID: a GM/T 0010
    /// token fails there ("PKCS7_signatureVerify: signature failure"), one made with
    /// `sm2_without_z_for_openssl_interop_only` passes, and each verifies here only with the
    /// matching option.
    #[test]
    fn openssl_verifies_our_sm2_token() {
        if skip() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        let root_key = SigningKey::new(SecretKey::from_bytes(&[3; 32]).unwrap(), DistId::EMPTY);
        let root = CertificateBuilder::ca("C=CN, CN=SM2 Time Root", 1)
            .self_signed(&root_key)
            .unwrap();
        let tsa_key = SigningKey::new(SecretKey::from_bytes(&[4; 32]).unwrap(), DistId::EMPTY);
        let tsa_cert = LocalTsa::certificate_builder("C=CN, CN=SM2 TSA", 2)
            .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
            .unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let at = t(now.as_secs());
        std::fs::write(path.join("root.pem"), root_pem(&root)).unwrap();
        std::fs::write(path.join("data.txt"), DATA).unwrap();
        let verify = |token: &TimeStampToken| {
            std::fs::write(path.join("sm2.tst"), token.der()).unwrap();
            Command::new("openssl")
                .args([
                    "ts",
                    "-verify",
                    "-data",
                    "data.txt",
                    "-in",
                    "sm2.tst",
                    "-token_in",
                ])
                .args(["-CAfile", "root.pem"])
                .current_dir(path)
                .output()
                .unwrap()
        };
        let options = VerifyOptions::new(vec![root])
            .token_sm2_id(DistId::EMPTY)
            .certificate_sm2_id(DistId::EMPTY);

        let standard = LocalTsa::new(&tsa_key, tsa_cert.clone(), POLICY).unwrap();
        let token = standard.stamp(DigestAlgorithm::Sm3, DATA, at).unwrap();
        let out = verify(&token);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("PKCS7_signatureVerify"));
        assert!(token.verify(DATA, &options).is_ok());

        let for_openssl = LocalTsa::new(&tsa_key, tsa_cert, POLICY)
            .unwrap()
            .sm2_without_z_for_openssl_interop_only();
        let token = for_openssl.stamp(DigestAlgorithm::Sm3, DATA, at).unwrap();
        let out = verify(&token);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Verification: OK"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(matches!(
            token.verify(DATA, &options).unwrap_err(),
            Error::Cms(CmsError::BadSignature { .. })
        ));
        let without_z = options.sm2_without_z_for_openssl_interop_only();
        assert!(token.verify(DATA, &without_z).is_ok());
    }

    fn root_pem(certificate: &Certificate) -> String {
        der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, certificate.der()).unwrap()
    }
}

/// Builder inputs that cannot make a request.
#[test]
fn request_builder_errors() {
    assert_eq!(
        tsp::RequestBuilder::for_digest(DigestAlgorithm::Sha256, vec![0; 20])
            .build()
            .unwrap_err(),
        Error::ImprintLength {
            algorithm: DigestAlgorithm::Sha256,
            len: 20
        }
    );
    assert_eq!(
        TimeStampRequest::builder(DigestAlgorithm::Sm3, DATA)
            .policy("1.2.x")
            .build()
            .unwrap_err(),
        Error::InvalidObjectIdentifier {
            oid: "1.2.x".into()
        }
    );
    // A request's nonce is written without leading zeros and read back the same way.
    let request = TimeStampRequest::builder(DigestAlgorithm::Sm3, DATA)
        .nonce(&[0, 0, 0x7f])
        .build()
        .unwrap();
    assert_eq!(request.nonce(), Some(&[0x7f][..]));
}

/// RFC 3161 §2.4.2: a granted response MUST carry a token.
#[test]
fn granted_response_without_token() {
    // TimeStampResp { PKIStatusInfo { granted } }
    assert_eq!(
        TimeStampResponse::from_der(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00]).unwrap_err(),
        Error::TokenMissing
    );
    // waiting (3), no token: parses, and is not a token.
    let waiting = TimeStampResponse::from_der(&[0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x03]).unwrap();
    assert_eq!(waiting.status(), Status::Waiting);
    assert_eq!(
        waiting.into_token().unwrap_err(),
        Error::NotGranted {
            status: Status::Waiting,
            text: None,
            failure: None
        }
    );
}

/// RFC 3161 §2.4.2 Accuracy: millis and micros are 1..999.
#[test]
fn accuracy_out_of_range_is_malformed() {
    let pki = pki();
    let tsa = LocalTsa::new(&pki.tsa_key, pki.tsa_cert.clone(), POLICY)
        .unwrap()
        .accuracy(Accuracy {
            seconds: 0,
            millis: 1000,
            micros: 0,
        });
    assert_eq!(
        tsa.stamp(DigestAlgorithm::Sm3, DATA, t(AT)).unwrap_err(),
        Error::Malformed {
            what: "TSTInfo",
            reason: "accuracy millis is 1000, not 1 to 999".into()
        }
    );
}

// ---- the pki CMS additions the tokens rely on ----

/// RSA / ECDSA signers are opt-in (`allow_rsa_and_ecdsa`); without it the SHA-256 digest is
/// named as unsupported, as before.
#[test]
fn cms_rsa_and_ecdsa_are_opt_in() {
    let token = TimeStampToken::from_der(&fixture("ecdsa-sha256.tst")).unwrap();
    let signed = token.signed_data();
    assert_eq!(
        signed
            .verify(None, &pki::CmsVerifyOptions::new())
            .unwrap_err(),
        CmsError::UnsupportedDigestAlgorithm {
            signer: 0,
            oid: "2.16.840.1.101.3.4.2.1".into()
        }
    );
    let options = pki::CmsVerifyOptions::new().allow_rsa_and_ecdsa();
    let verified = signed.verify(None, &options).unwrap();
    assert_eq!(
        verified.signer().digest_algorithm(),
        DigestAlgorithm::Sha256
    );
    assert!(
        verified
            .signer()
            .signed_attribute("1.2.840.113549.1.9.16.2.47")
            .is_some()
    );
    assert_eq!(
        signed.digest_algorithms(),
        vec!["2.16.840.1.101.3.4.2.1".to_owned()]
    );
}

/// A changed ECDSA signature (last byte of the token) is a bad signature, named as such.
#[test]
fn cms_bad_ecdsa_signature() {
    let mut der = fixture("ecdsa-sha256.tst");
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let err = tsp::verify_token(&der, DATA, &VerifyOptions::new(vec![pem("ecdsa-root.pem")]))
        .unwrap_err();
    assert_eq!(
        err,
        Error::Cms(CmsError::BadRsaOrEcdsaSignature {
            signer: 0,
            subject: "C=CN, O=smtrust test, CN=ecdsa TSA".into(),
            algorithm: "1.2.840.10045.4.3.2".into(),
        })
    );
}

/// The RSA fixture's signature, checked through ring, also fails when changed.
#[test]
fn cms_bad_rsa_signature() {
    let mut der = fixture("rsa-sha256-nocert.tst");
    let last = der.len() - 1;
    der[last] ^= 0x01;
    let options =
        VerifyOptions::new(vec![pem("rsa-root.pem")]).intermediates(vec![pem("rsa-tsa.pem")]);
    let err = tsp::verify_token(&der, DATA, &options).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Cms(CmsError::BadRsaOrEcdsaSignature { signer: 0, .. })
        ),
        "{err:?}"
    );
}

/// A token in a GM/T 0010 SignedData (signedData 1.2.156.10197.6.1.4.2.2, signature algorithm
/// SM2 1.2.156.10197.1.301.1), as GB/T 20520 TSAs may write it, verifies like a PKCS#7 one.
#[test]
fn gm_t_0010_signed_data_token_verifies() {
    let pki = pki();
    let info = local_token(&pki, DATA).info().der().to_vec();
    let hash = DigestAlgorithm::Sha256.digest(pki.tsa_cert.der());
    let ess = [&[0x30, 0x26, 0x30, 0x24, 0x30, 0x22, 0x04, 0x20][..], &hash].concat();
    let signed = CmsSigner::new(&pki.tsa_key, &pki.tsa_cert, CmsOids::GmT0010)
        .content_type("1.2.840.113549.1.9.16.1.4")
        .signed_attribute("1.2.840.113549.1.9.16.2.47", ess)
        .sign(&info, t(AT))
        .unwrap();
    let token = TimeStampToken::from_der(signed.der()).unwrap();
    assert_eq!(token.signed_data().oids(), CmsOids::GmT0010);
    let verified = token
        .verify(DATA, &VerifyOptions::new(vec![pki.root.clone()]))
        .unwrap();
    assert_eq!(verified.gen_time(), t(AT));
}
