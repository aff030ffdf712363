//! Make → sign → verify round trips for GB/T 38540 v4 and GM/T 0031-2014 v1 seals with a test
//! PKI, and a tamper test for every signed field: each change fails the check that covers it
//! and no other (SEAL-SPEC §2.3, §3; STYLE.md "mutate and expect failure").

use std::time::Duration;

use smtrust::pki::{Certificate, CertificateBuilder, UnixTime};
use smtrust::seal::{
    CheckName, Error, Extension, Picture, PictureFormat, Report, Seal, SealBuilder, SealSignature,
    SealVersion, SignatureBuilder, Status, Verdict, VerifyOptions,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

const PICTURE: &[u8] = b"\x89PNG\r\n\x1a\n-- the stamp picture of the round-trip test --";
const DOCUMENT: &[u8] = b"<ofd:Signature>registration form 2026-0001</ofd:Signature>";
const VALID_START: u64 = 1_800_000_000; // 2027-01-15
const VALID_END: u64 = 1_900_000_000; // 2030-03-17
const SIGNED_AT: u64 = 1_850_000_000; // 2028-08-16T00:53:20Z

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// A root, a seal maker and two signers (the second not listed in the seal).
struct Pki {
    root: Certificate,
    maker_key: SigningKey,
    maker: Certificate,
    signer_key: SigningKey,
    signer: Certificate,
    other_key: SigningKey,
    other: Certificate,
}

fn pki() -> Pki {
    let root_key = key(1);
    let root = CertificateBuilder::ca("C=CN, O=Test PKI, CN=Test Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let issue = |k: &SigningKey, subject: &str, serial| {
        CertificateBuilder::end_entity(subject, serial)
            .issue(k.verifying_key().public_key(), &root, &root_key)
            .unwrap()
    };
    let (maker_key, signer_key, other_key) = (key(2), key(3), key(4));
    let signer = issue(&signer_key, "C=CN, O=Demo Ltd, CN=Signer", 3);
    // A second signer whose certificate has the same length (the DER signature length varies
    // with r and s), so that it can be swapped in place.
    let other = (4..64)
        .map(|serial| issue(&other_key, "C=CN, O=Demo Ltd, CN=Others", serial))
        .find(|c| c.der().len() == signer.der().len())
        .unwrap();
    Pki {
        maker: issue(&maker_key, "C=CN, O=Seal Office, CN=Seal Maker", 2),
        signer,
        other,
        root,
        maker_key,
        signer_key,
        other_key,
    }
}

fn builder(pki: &Pki) -> SealBuilder {
    let picture = Picture::new(PictureFormat::Png, PICTURE.to_vec(), 40, 40);
    SealBuilder::new(
        "31000000000001",
        "演示有限公司合同专用章",
        picture,
        at(VALID_START),
        at(VALID_END),
    )
    .vendor("smtrust-test")
    .seal_type(4)
    .signer(&pki.signer)
    .extension(Extension {
        oid: "1.2.156.112600.7.1".into(),
        critical: false,
        value: b"91310000000000000X".to_vec(),
    })
}

fn sign(pki: &Pki, seal: &Seal) -> SealSignature {
    SignatureBuilder::new(seal, at(SIGNED_AT))
        .document(DOCUMENT)
        .property_info("/Doc_0/Signs/Sign_0/Signature.xml")
        .sign(&pki.signer_key, &pki.signer)
        .unwrap()
}

fn options(pki: &Pki) -> VerifyOptions {
    VerifyOptions::new().trust_anchors(vec![pki.root.clone()])
}

/// The names of the failed checks.
fn failed(report: &Report) -> Vec<CheckName> {
    report
        .checks()
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.name)
        .collect()
}

/// Flips the last byte of the first occurrence of `needle` in `der`.
fn flip_in(der: &[u8], needle: &[u8]) -> Vec<u8> {
    let position = der
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:02x?} not found"));
    let mut changed = der.to_vec();
    changed[position + needle.len() - 1] ^= 0x01;
    changed
}

#[test]
fn v4_round_trip_is_valid() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    assert_eq!(seal.version(), SealVersion::V4);
    assert_eq!(seal.header_version(), 4);
    assert_eq!(seal.seal_type(), 4);
    assert_eq!(seal.name(), "演示有限公司合同专用章");
    assert_eq!(seal.picture().data, PICTURE);
    assert_eq!(seal.extensions().len(), 1);
    assert!(seal.warnings().is_empty(), "{:?}", seal.warnings());
    let signature = sign(&pki, &seal);
    assert_eq!(signature.version(), SealVersion::V4);
    assert_eq!(signature.signing_time(), Some(at(SIGNED_AT)));
    assert_eq!(signature.data_hash(), smtrust::sm3::hash(DOCUMENT));
    let report = signature.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    assert!(report.warnings().is_empty(), "{report}");
    assert_eq!(report.checks().len(), 9);
    // Parsing what was written gives the same bytes back (the writer is minimal DER).
    assert_eq!(
        SealSignature::from_der(signature.der()).unwrap().der(),
        signature.der()
    );
}

#[test]
fn v1_round_trip_is_valid() {
    let pki = pki();
    let seal = builder(&pki).make_v1(&pki.maker_key, &pki.maker).unwrap();
    assert_eq!(seal.version(), SealVersion::V1);
    assert_eq!(seal.header_version(), 1);
    let signature = sign(&pki, &seal);
    assert_eq!(signature.version(), SealVersion::V1);
    assert_eq!(signature.signing_time(), Some(at(SIGNED_AT)));
    let report = signature.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    // A v1 signature made by the standard covers TBS_Sign, so no D13 warning.
    assert!(report.warnings().is_empty(), "{report}");
}

#[test]
fn seal_alone_is_valid_inside_its_period_and_invalid_after() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let report = seal.verify(&options(&pki).at(at(SIGNED_AT)));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let report = seal.verify(&options(&pki).at(at(VALID_END + 1)));
    assert_eq!(failed(&report), [CheckName::SealValidity], "{report}");
    let report = seal.verify(&VerifyOptions::new().at(at(SIGNED_AT)));
    assert_eq!(report.verdict(), Verdict::Indeterminate, "{report}");
}

#[test]
fn tampered_seal_fields_fail_only_the_maker_signature() {
    let pki = pki();
    for v1 in [false, true] {
        let seal = if v1 {
            builder(&pki).make_v1(&pki.maker_key, &pki.maker).unwrap()
        } else {
            builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap()
        };
        let der = seal.der();
        // validEnd's last digit before "Z" (2030-03-17T17:46:40Z → …41Z stays in the period).
        let valid_end: &[u8] = if v1 {
            b"300317174640"
        } else {
            b"20300317174640"
        };
        let tampered = [
            ("picture", flip_in(der, b"the stamp picture")),
            ("validity", flip_in(der, valid_end)),
            ("cert list", flip_in(der, &pki.signer.der()[..40])),
            ("seal name", flip_in(der, "合同专用章".as_bytes())),
            ("extension", flip_in(der, b"91310000000000000X")),
        ];
        for (field, bytes) in tampered {
            let changed = Seal::from_der(&bytes).unwrap();
            let report = changed.verify(&options(&pki).at(at(SIGNED_AT)));
            assert_eq!(
                failed(&report),
                [CheckName::SealMakerSignature],
                "v1={v1} {field}: {report}"
            );
        }
    }
}

#[test]
fn tampered_seal_inside_a_signature_fails_the_maker_and_signer_signatures() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let signature = sign(&pki, &seal);
    let bytes = flip_in(signature.der(), b"the stamp picture");
    let report = SealSignature::from_der(&bytes)
        .unwrap()
        .verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(
        failed(&report),
        [CheckName::SealMakerSignature, CheckName::Signature],
        "{report}"
    );
}

#[test]
fn tampered_signature_fields_fail_only_the_signature() {
    let pki = pki();
    for v1 in [false, true] {
        let seal = if v1 {
            builder(&pki).make_v1(&pki.maker_key, &pki.maker).unwrap()
        } else {
            builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap()
        };
        let signature = sign(&pki, &seal);
        let der = signature.der();
        // 2028-08-16T00:53:20Z → …21Z.
        let time: &[u8] = if v1 {
            b"280816005320"
        } else {
            b"20280816005320"
        };
        let hash = smtrust::sm3::hash(DOCUMENT);
        let cases = [
            ("time", flip_in(der, time), None),
            ("dataHash", flip_in(der, &hash), None),
            (
                "propertyInfo",
                flip_in(der, b"/Doc_0/Signs/Sign_0/Signature.xml"),
                None,
            ),
            // With the document given, a changed dataHash also no longer matches it.
            (
                "dataHash with document",
                flip_in(der, &hash),
                Some(DOCUMENT),
            ),
        ];
        for (field, bytes, document) in cases {
            let changed = SealSignature::from_der(&bytes).unwrap();
            let report = changed.verify(document, &options(&pki));
            let expected: &[CheckName] = if document.is_some() {
                &[CheckName::Signature, CheckName::DataHash]
            } else {
                &[CheckName::Signature]
            };
            assert_eq!(failed(&report), expected, "v1={v1} {field}: {report}");
        }
    }
}

#[test]
fn changed_document_fails_only_the_data_hash() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let signature = sign(&pki, &seal);
    let mut document = DOCUMENT.to_vec();
    document[20] ^= 0x20;
    let report = signature.verify(Some(&document), &options(&pki));
    assert_eq!(failed(&report), [CheckName::DataHash], "{report}");
}

#[test]
fn swapped_v4_signer_certificate_fails_listing_and_signature() {
    // The v4 signer certificate sits outside TBS_Sign: replacing it is caught by the listing
    // check and by the signature (the key no longer matches).
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let signature = sign(&pki, &seal);
    let der = signature.der();
    let tbs_end = 4 + signature.tbs_bytes().len();
    let (head, tail) = der.split_at(tbs_end);
    let tail = tail.to_vec();
    let needle = pki.signer.der();
    let position = tail
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    assert_eq!(
        pki.other.der().len(),
        needle.len(),
        "same-length certificates"
    );
    let mut swapped = head.to_vec();
    swapped.extend_from_slice(&tail[..position]);
    swapped.extend_from_slice(pki.other.der());
    swapped.extend_from_slice(&tail[position + needle.len()..]);
    let report = SealSignature::from_der(&swapped)
        .unwrap()
        .verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(
        failed(&report),
        [CheckName::SignerListedInSeal, CheckName::Signature],
        "{report}"
    );
}

#[test]
fn other_root_fails_both_chains() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let signature = sign(&pki, &seal);
    let other_root_key = key(9);
    let other_root = CertificateBuilder::ca("C=CN, CN=Other Root", 9)
        .self_signed(&other_root_key)
        .unwrap();
    let report = signature.verify(
        Some(DOCUMENT),
        &VerifyOptions::new().trust_anchors(vec![other_root]),
    );
    assert_eq!(
        failed(&report),
        [CheckName::SealMakerChain, CheckName::SignerChain],
        "{report}"
    );
}

// Making and signing refuse what would give an invalid seal.

#[test]
fn unlisted_signer_cannot_sign() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let err = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .sign(&pki.other_key, &pki.other)
        .unwrap_err();
    assert_eq!(
        err,
        Error::SignerNotListed {
            subject: pki.other.subject().to_string(),
            es_id: "31000000000001".into()
        }
    );
}

#[test]
fn key_must_match_certificate() {
    let pki = pki();
    let err = builder(&pki)
        .make_v4(&pki.signer_key, &pki.maker)
        .unwrap_err();
    assert_eq!(
        err,
        Error::KeyMismatch {
            role: "seal maker",
            subject: pki.maker.subject().to_string()
        }
    );
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let err = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .sign(&pki.other_key, &pki.signer)
        .unwrap_err();
    assert_eq!(
        err,
        Error::KeyMismatch {
            role: "signer",
            subject: pki.signer.subject().to_string()
        }
    );
}

#[test]
fn picture_type_must_match_its_bytes() {
    let pki = pki();
    let picture = Picture::new(PictureFormat::Gif, PICTURE.to_vec(), 40, 40);
    let err = SealBuilder::new("1", "n", picture, at(VALID_START), at(VALID_END))
        .signer(&pki.signer)
        .make_v4(&pki.maker_key, &pki.maker)
        .unwrap_err();
    assert_eq!(
        err,
        Error::InvalidInput {
            what: "picture",
            reason: "the type says \"GIF\" but the bytes are PNG".into()
        }
    );
}

#[test]
fn a_seal_needs_a_signer_and_ascii_identifiers() {
    let pki = pki();
    let picture = || Picture::new(PictureFormat::Png, PICTURE.to_vec(), 40, 40);
    let err = SealBuilder::new("1", "n", picture(), at(VALID_START), at(VALID_END))
        .make_v4(&pki.maker_key, &pki.maker)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "certificate list",
                ..
            }
        ),
        "{err}"
    );
    let err = SealBuilder::new("编号", "n", picture(), at(VALID_START), at(VALID_END))
        .signer(&pki.signer)
        .make_v4(&pki.maker_key, &pki.maker)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "seal identifier",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn v1_dates_must_fit_utc_time() {
    let pki = pki();
    let picture = Picture::new(PictureFormat::Png, PICTURE.to_vec(), 40, 40);
    // 2050-01-01 is beyond UTCTime (RFC 5280 §4.1.2.5.1).
    let err = SealBuilder::new("1", "n", picture, at(VALID_START), at(2_524_608_000))
        .signer(&pki.signer)
        .make_v1(&pki.maker_key, &pki.maker)
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput { what: "time", .. }),
        "{err}"
    );
}

#[test]
fn v1_signature_cannot_carry_extensions() {
    let pki = pki();
    let seal = builder(&pki).make_v1(&pki.maker_key, &pki.maker).unwrap();
    let err = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .extension(Extension {
            oid: "1.2.3".into(),
            critical: true,
            value: vec![1],
        })
        .sign(&pki.signer_key, &pki.signer)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                what: "extension",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn v4_signature_extensions_are_explicitly_tagged_d7() {
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let signature = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .document(DOCUMENT)
        .extension(Extension {
            oid: "1.2.156.10197.6.7.2.2.1".into(),
            critical: true,
            value: b"2.1".to_vec(),
        })
        .sign(&pki.signer_key, &pki.signer)
        .unwrap();
    assert_eq!(signature.extensions().len(), 1);
    assert!(signature.extensions()[0].critical);
    let report = signature.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    assert!(report.warnings().is_empty(), "{report}");
}

#[test]
fn data_hash_with_z_is_accepted_with_a_warning_d14() {
    // dms360 computes digests as SM3(Z_signer ‖ data) (CheckMethod 1.2.156.10197.1.401.2).
    let pki = pki();
    let seal = builder(&pki).make_v4(&pki.maker_key, &pki.maker).unwrap();
    let with_z = pki.signer_key.verifying_key().digest(DOCUMENT);
    let signature = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .document_digest(with_z)
        .sign(&pki.signer_key, &pki.signer)
        .unwrap();
    let report = signature.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    assert_eq!(report.warnings().len(), 1, "{report}");
    assert_eq!(report.warnings()[0].code(), "D14");
}

#[test]
fn utf8_in_an_ia5_email_is_tolerated_with_a_warning_d2() {
    // A real gomain-issued signer certificate writes "电子邮箱" into emailAddress (IA5String).
    let pki = pki();
    let root_key = key(1);
    let signer_key = key(6);
    let signer = CertificateBuilder::end_entity("C=CN, CN=Yunnan Signer, emailAddress=电子邮箱", 6)
        .issue(
            signer_key.verifying_key().public_key(),
            &pki.root,
            &root_key,
        )
        .unwrap();
    let seal = builder(&pki)
        .signer(&signer)
        .make_v4(&pki.maker_key, &pki.maker)
        .unwrap();
    let signature = SignatureBuilder::new(&seal, at(SIGNED_AT))
        .document(DOCUMENT)
        .sign(&signer_key, &signer)
        .unwrap();
    let report = signature.verify(Some(DOCUMENT), &options(&pki));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let codes: Vec<&str> = report.warnings().iter().map(|w| w.code()).collect();
    assert_eq!(codes, ["D2"], "{report}");
}
