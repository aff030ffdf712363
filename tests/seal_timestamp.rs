//! Seal signatures with an RFC 3161 timestamp over the signature value (GB/T 38540 v4
//! `timeStamp [0]`, SEAL-SPEC §2.2 and §8; GM/T 0031-2025 v5 signatures have the same field):
//! signing writes the token, verification checks it with the TSA's chain and then checks the
//! certificates and the seal's validity at the stamped genTime.

use std::time::Duration;

use smtrust::pki::{Certificate, CertificateBuilder, DigestAlgorithm, UnixTime};
use smtrust::seal::{
    CheckName, Error, Picture, PictureFormat, Report, Seal, SealBuilder, SealSignature,
    SignatureBuilder, Status, Verdict, VerifyOptions,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::tsp::{self, LocalTsa};

const DOCUMENT: &[u8] = b"<ofd:Signature>registration form 2026-0002</ofd:Signature>";
const VALID_START: u64 = 1_800_000_000; // 2027-01-15
const VALID_END: u64 = 1_900_000_000; // 2030-03-17
const SIGNED_AT: u64 = 1_850_000_000; // 2028-08-16T00:53:20Z
/// The TSA's time: a minute after the claimed signing time.
const STAMPED_AT: u64 = SIGNED_AT + 60;
/// The short-lived signer certificate expires between the stamp and `LATER`.
const SHORT_NOT_AFTER: u64 = SIGNED_AT + 3_600;
const LATER: u64 = SIGNED_AT + 86_400;
const POLICY: &str = "1.2.3.4.1";

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// A root with a seal maker, a signer, a short-lived signer and a TSA; and a second root with
/// its own TSA.
struct Pki {
    root: Certificate,
    maker_key: SigningKey,
    maker: Certificate,
    signer_key: SigningKey,
    signer: Certificate,
    short_lived: Certificate,
    tsa_key: SigningKey,
    tsa: Certificate,
    other_root: Certificate,
    other_tsa_key: SigningKey,
    other_tsa: Certificate,
}

fn pki() -> Pki {
    let (root_key, other_root_key) = (key(1), key(9));
    let root = CertificateBuilder::ca("C=CN, O=Test PKI, CN=Test Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let other_root = CertificateBuilder::ca("C=CN, O=Elsewhere, CN=Other Root", 1)
        .self_signed(&other_root_key)
        .unwrap();
    let (maker_key, signer_key, tsa_key, other_tsa_key) = (key(2), key(3), key(5), key(6));
    let issue = |builder: CertificateBuilder, k: &SigningKey| {
        builder
            .issue(k.verifying_key().public_key(), &root, &root_key)
            .unwrap()
    };
    Pki {
        maker: issue(
            CertificateBuilder::end_entity("C=CN, O=Seal Office, CN=Seal Maker", 2),
            &maker_key,
        ),
        signer: issue(
            CertificateBuilder::end_entity("C=CN, O=Demo Ltd, CN=Signer", 3),
            &signer_key,
        ),
        short_lived: issue(
            CertificateBuilder::end_entity("C=CN, O=Demo Ltd, CN=Signer", 4)
                .validity(at(VALID_START), at(SHORT_NOT_AFTER)),
            &signer_key,
        ),
        tsa: issue(
            LocalTsa::certificate_builder("C=CN, O=Test PKI, CN=TSA", 5),
            &tsa_key,
        ),
        other_tsa: LocalTsa::certificate_builder("C=CN, O=Elsewhere, CN=TSA", 2)
            .issue(
                other_tsa_key.verifying_key().public_key(),
                &other_root,
                &other_root_key,
            )
            .unwrap(),
        root,
        other_root,
        maker_key,
        signer_key,
        tsa_key,
        other_tsa_key,
    }
}

fn seal(pki: &Pki, signer: &Certificate) -> Seal {
    let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\n".to_vec(), 40, 40);
    SealBuilder::new(
        "31000000000002",
        "演示有限公司合同专用章",
        picture,
        at(VALID_START),
        at(VALID_END),
    )
    .signer(signer)
    .make_v4(&pki.maker_key, &pki.maker)
    .unwrap()
}

/// Signs with `signer`, stamping with `tsa_key`/`tsa_cert` over what `stamped` makes of the
/// signature value.
fn sign_stamped(
    pki: &Pki,
    signer: &Certificate,
    tsa_key: &SigningKey,
    tsa_cert: &Certificate,
    stamped: impl Fn(&[u8]) -> Vec<u8>,
) -> SealSignature {
    let tsa = LocalTsa::new(tsa_key, tsa_cert.clone(), POLICY).unwrap();
    SignatureBuilder::new(&seal(pki, signer), at(SIGNED_AT))
        .document(DOCUMENT)
        .sign_timestamped(&pki.signer_key, signer, |value| {
            tsa.stamp(DigestAlgorithm::Sm3, &stamped(value), at(STAMPED_AT))
                .map(|token| token.der().to_vec())
        })
        .unwrap()
}

fn options(pki: &Pki) -> VerifyOptions {
    VerifyOptions::new().trust_anchors(vec![pki.root.clone()])
}

fn failed(report: &Report) -> Vec<CheckName> {
    report
        .checks()
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.name)
        .collect()
}

fn detail(report: &Report, name: CheckName) -> String {
    report.check(name).unwrap().detail.clone()
}

/// The expected failure sentence: what `tsp::verify_token` says about the signature's token.
fn tsp_error(signature: &SealSignature, anchors: Vec<Certificate>) -> tsp::Error {
    tsp::verify_token(
        signature.timestamp().unwrap(),
        signature.signature(),
        &tsp::VerifyOptions::new(anchors),
    )
    .unwrap_err()
}

#[test]
fn v4_stamped_signature_verifies_with_gen_time() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, <[u8]>::to_vec);
    let reparsed = SealSignature::from_der(signed.der()).unwrap();
    assert!(reparsed.timestamp().is_some());
    // SEAL-SPEC §8: timeStamp written [0] EXPLICIT around a BIT STRING with 0 unused bits.
    let token = signed.timestamp().unwrap();
    let mut field = vec![0x03];
    field.extend(der_length(token.len() + 1));
    field.push(0x00);
    field.extend_from_slice(token);
    let mut explicit = vec![0xa0];
    explicit.extend(der_length(field.len()));
    explicit.extend(&field);
    assert!(signed.der().ends_with(&explicit));
    assert!(reparsed.warnings().is_empty());

    let report = signed.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(failed(&report), vec![]);
    assert_eq!(report.verdict(), Verdict::Valid);
    assert_eq!(report.status(CheckName::Timestamp), Some(Status::Pass));
    let line = detail(&report, CheckName::Timestamp);
    assert!(line.contains("genTime 2028-08-16T00:54:20Z"), "{line}");
    assert!(line.contains("C=CN, O=Test PKI, CN=TSA"), "{line}");
    for name in [
        CheckName::SignerChain,
        CheckName::SealMakerChain,
        CheckName::SealValidity,
    ] {
        let line = detail(&report, name);
        assert!(
            line.contains("the timestamp's genTime, 2028-08-16T00:54:20Z"),
            "{line}"
        );
    }
}

#[test]
fn stamped_time_replaces_the_given_time() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, <[u8]>::to_vec);
    // `at` after the seal's validity: the genTime inside it is what counts.
    let report = signed.verify(Some(DOCUMENT), &options(&pki).at(at(VALID_END + 1)));
    assert_eq!(report.status(CheckName::SealValidity), Some(Status::Pass));
    assert_eq!(report.verdict(), Verdict::Valid);
}

#[test]
fn token_over_other_bytes_fails_only_the_timestamp_imprint() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, |value| {
        let mut other = value.to_vec();
        other[0] ^= 1;
        other
    });
    let report = signed.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(failed(&report), vec![CheckName::Timestamp]);
    assert_eq!(report.verdict(), Verdict::Invalid);
    let error = tsp_error(&signed, vec![pki.root.clone()]);
    assert!(matches!(error, tsp::Error::ImprintMismatch { .. }));
    assert_eq!(
        detail(&report, CheckName::Timestamp),
        format!("the token over the signature value does not verify: {error}")
    );
    // Without a verified token the claimed signing time is used.
    assert!(detail(&report, CheckName::SignerChain).contains("the signing time claimed"));
}

#[test]
fn tampered_token_signature_fails_only_the_timestamp() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, <[u8]>::to_vec);
    // The token ends the SES_Signature; its last byte is the TSA's signature's last byte.
    let mut der = signed.der().to_vec();
    *der.last_mut().unwrap() ^= 0x01;
    let tampered = SealSignature::from_der(&der).unwrap();
    let report = tampered.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(failed(&report), vec![CheckName::Timestamp]);
    let error = tsp_error(&tampered, vec![pki.root.clone()]);
    assert!(matches!(error, tsp::Error::Cms(_)), "{error:?}");
    assert_eq!(
        detail(&report, CheckName::Timestamp),
        format!("the token over the signature value does not verify: {error}")
    );
}

#[test]
fn token_from_a_tsa_outside_the_anchors_fails() {
    let pki = pki();
    let signed = sign_stamped(
        &pki,
        &pki.signer,
        &pki.other_tsa_key,
        &pki.other_tsa,
        <[u8]>::to_vec,
    );
    let report = signed.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(failed(&report), vec![CheckName::Timestamp]);
    let error = tsp_error(&signed, vec![pki.root.clone()]);
    assert_eq!(
        error,
        tsp::Error::UntrustedTsa {
            subject: "C=CN, O=Elsewhere, CN=TSA".into(),
            issuer: "C=CN, O=Elsewhere, CN=Other Root".into(),
        }
    );
    assert_eq!(
        detail(&report, CheckName::Timestamp),
        format!("the token over the signature value does not verify: {error}")
    );
    // With that TSA's root as the TSA anchor, the same token verifies.
    let trusting = options(&pki).tsa_trust_anchors(vec![pki.other_root.clone()]);
    let report = signed.verify(Some(DOCUMENT), &trusting);
    assert_eq!(report.status(CheckName::Timestamp), Some(Status::Pass));
    assert_eq!(report.verdict(), Verdict::Valid);
}

#[test]
fn tsa_anchors_replace_the_trust_anchors_for_the_token() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, <[u8]>::to_vec);
    let report = signed.verify(
        Some(DOCUMENT),
        &options(&pki).tsa_trust_anchors(vec![pki.other_root.clone()]),
    );
    assert_eq!(failed(&report), vec![CheckName::Timestamp]);
    let error = tsp_error(&signed, vec![pki.other_root.clone()]);
    assert_eq!(
        error,
        tsp::Error::UntrustedTsa {
            subject: "C=CN, O=Test PKI, CN=TSA".into(),
            issuer: "C=CN, O=Test PKI, CN=Test Root".into(),
        }
    );
    assert_eq!(
        detail(&report, CheckName::Timestamp),
        format!("the token over the signature value does not verify: {error}")
    );
}

#[test]
fn signer_expired_after_the_stamp_passes_at_gen_time() {
    let pki = pki();
    let signed = sign_stamped(
        &pki,
        &pki.short_lived,
        &pki.tsa_key,
        &pki.tsa,
        <[u8]>::to_vec,
    );
    let later = options(&pki).at(at(LATER));
    let report = signed.verify(Some(DOCUMENT), &later);
    assert_eq!(failed(&report), vec![]);
    assert_eq!(report.verdict(), Verdict::Valid);
    assert!(detail(&report, CheckName::SignerChain).contains("the timestamp's genTime"));

    // The same signature without its token is checked at `at`, after the certificate expired.
    let unstamped = SignatureBuilder::new(&seal(&pki, &pki.short_lived), at(SIGNED_AT))
        .document(DOCUMENT)
        .sign(&pki.signer_key, &pki.short_lived)
        .unwrap();
    let report = unstamped.verify(Some(DOCUMENT), &later);
    assert_eq!(failed(&report), vec![CheckName::SignerChain]);
    assert!(detail(&report, CheckName::SignerChain).contains("the given verification time"));
}

#[test]
fn no_token_is_not_checked() {
    let pki = pki();
    let signed = SignatureBuilder::new(&seal(&pki, &pki.signer), at(SIGNED_AT))
        .document(DOCUMENT)
        .sign(&pki.signer_key, &pki.signer)
        .unwrap();
    assert_eq!(signed.timestamp(), None);
    let report = signed.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(
        report.status(CheckName::Timestamp),
        Some(Status::NotChecked)
    );
    assert_eq!(detail(&report, CheckName::Timestamp), "no timestamp");
    assert_eq!(report.verdict(), Verdict::Valid);
}

#[test]
fn token_without_anchors_is_not_checked() {
    let pki = pki();
    let signed = sign_stamped(&pki, &pki.signer, &pki.tsa_key, &pki.tsa, <[u8]>::to_vec);
    let report = signed.verify(Some(DOCUMENT), &VerifyOptions::new());
    assert_eq!(
        report.status(CheckName::Timestamp),
        Some(Status::NotChecked)
    );
    assert!(detail(&report, CheckName::Timestamp).contains("no trust anchor for TSAs"));
    // The chains are not checked either: indeterminate because of them, not the timestamp.
    assert_eq!(report.verdict(), Verdict::Indeterminate);
    assert!(detail(&report, CheckName::SignerChain).contains("no trust anchor"));
}

#[test]
fn stamper_failure_and_non_token_are_errors() {
    let pki = pki();
    let seal = seal(&pki, &pki.signer);
    let builder = SignatureBuilder::new(&seal, at(SIGNED_AT));
    let refusal = tsp::Error::InvalidTime { seconds: 7 };
    let err = builder
        .sign_timestamped(&pki.signer_key, &pki.signer, |_| Err(refusal.clone()))
        .unwrap_err();
    assert_eq!(err, Error::Timestamp { source: refusal });
    let err = builder
        .sign_timestamped(&pki.signer_key, &pki.signer, |_| Ok(vec![0x30, 0x00]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timestamp {
                source: tsp::Error::Cms(_)
            }
        ),
        "{err:?}"
    );
}

#[test]
fn v1_signatures_have_no_timestamp_field() {
    let pki = pki();
    let picture = Picture::new(PictureFormat::Png, b"\x89PNG\r\n\x1a\n".to_vec(), 40, 40);
    let seal = SealBuilder::new("1", "v1", picture, at(VALID_START), at(VALID_END))
        .signer(&pki.signer)
        .make_v1(&pki.maker_key, &pki.maker)
        .unwrap();
    let err = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .sign_timestamped(&pki.signer_key, &pki.signer, |_| Ok(Vec::new()))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            what: "timeStamp",
            ..
        }
    ));
}

/// A DER length.
fn der_length(len: usize) -> Vec<u8> {
    match len {
        0..=0x7f => vec![len as u8],
        0x80..=0xff => vec![0x81, len as u8],
        _ => vec![0x82, (len >> 8) as u8, len as u8],
    }
}
