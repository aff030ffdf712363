//! OFD signature verification (GB/T 33190 §18, SEAL-SPEC §7): every signed OFD in
//! test-vectors/seals/ gives the verdict MANIFEST.md records, check by check; tampering with
//! a part, Signature.xml or the SignedValue fails the right check and only that one; the XML
//! variations of D17 are read; packages made here with a test PKI verify as valid.

mod common;

use std::time::Duration;

use base64ct::{Base64, Encoding};
use smtrust::ofd::{
    CheckMethod, Limits, OfdError, Package, PackageReport, ReferenceOutcome, SignatureKind,
    SignatureReport, VerifyOptions,
};
use smtrust::pki::{Certificate, CertificateBuilder, CmsOids, CmsSigner, Encapsulation, UnixTime};
use smtrust::seal::{
    CheckName, Deviation, Picture, PictureFormat, SealBuilder, SealVersion, SignatureBuilder,
    Status, Verdict,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(common::vector_path(&format!("seals/{name}"))).unwrap()
}

fn certificate(name: &str) -> Certificate {
    Certificate::from_pem(&String::from_utf8(sample(name)).unwrap()).unwrap()
}

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

/// 2021-01-01T00:00:00Z: inside the ofdrw test seal's and certificates' validity.
const IN_2021: u64 = 1_609_459_200;
/// 2026-11-26T00:00:00Z: the signing time of the packages made here.
const NOW: u64 = 1_795_651_200;

fn verify(package: &Package, options: &VerifyOptions) -> PackageReport {
    package.verify(options).unwrap()
}

fn verify_sample(name: &str) -> PackageReport {
    verify(
        &Package::from_bytes(&sample(name)).unwrap(),
        &VerifyOptions::new(),
    )
}

/// The status of every check, in report order.
fn statuses(signature: &SignatureReport) -> Vec<(CheckName, Status)> {
    signature
        .report()
        .checks()
        .iter()
        .map(|check| (check.name, check.status))
        .collect()
}

fn status(signature: &SignatureReport, name: CheckName) -> Status {
    signature.report().status(name).unwrap()
}

fn detail(signature: &SignatureReport, name: CheckName) -> &str {
    &signature.report().check(name).unwrap().detail
}

fn codes(signature: &SignatureReport) -> Vec<&'static str> {
    signature
        .report()
        .warnings()
        .iter()
        .map(|w| w.code())
        .collect()
}

/// The package with `path` replaced by `bytes` (or removed when `None`).
fn with_part(package: &Package, path: &str, bytes: Option<Vec<u8>>) -> Package {
    let mut parts: Vec<(String, Vec<u8>)> = package
        .parts()
        .filter(|(name, _)| *name != path)
        .map(|(name, data)| (name.to_owned(), data.to_vec()))
        .collect();
    if let Some(bytes) = bytes {
        parts.push((path.to_owned(), bytes));
    }
    Package::from_parts(parts, &Limits::default()).unwrap()
}

/// The package with the byte right after the first `needle` in `path` flipped.
fn flip_after(package: &Package, path: &str, needle: &str) -> Package {
    let bytes = package.part(path).unwrap();
    let index = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap()
        + needle.len();
    flip_byte(package, path, index)
}

fn flip_byte(package: &Package, path: &str, index: usize) -> Package {
    let mut bytes = package.part(path).unwrap().to_vec();
    bytes[index] ^= 0x01;
    with_part(package, path, Some(bytes))
}

use CheckName::*;
use Status::{Fail, NotChecked, Pass};

/// A seal signature that passes everything that can be checked without trust anchors.
const SEAL_WITHOUT_ANCHORS: [(CheckName, Status); 10] = [
    (Structure, Pass),
    (SealMakerSignature, Pass),
    (SealMakerChain, NotChecked),
    (SealValidity, Pass),
    (SignerListedInSeal, Pass),
    (Signature, Pass),
    (DataHash, Pass),
    (SignerChain, NotChecked),
    (Timestamp, NotChecked),
    (References, Pass),
];

// ---------------------------------------------------------------------------------------------
// The real samples (test-vectors/seals/MANIFEST.md)

/// MANIFEST "Signed OFD packages": every real e-invoice (gomain ×3, AntChain) verifies with
/// all references (13/13, 13/13, 17/17, 7/7), the seal signature and dataHash =
/// SM3(Signature.xml); with no trust anchor the verdict is indeterminate.
#[test]
fn real_e_invoices_verify_with_all_references() {
    for (file, id, references) in [
        ("ofdrw_signedFile.ofd", "2", 13),
        ("ofdrw_v4signed.ofd", "1", 13),
        ("ofdsharp_test.ofd", "2", 17),
        ("ofdrw_SignScaleError.ofd", "1", 7),
    ] {
        let report = verify_sample(file);
        assert_eq!(report.verdict(), Verdict::Indeterminate, "{file}");
        let [signature] = report.signatures() else {
            panic!("{file}: one signature expected")
        };
        assert_eq!(signature.id(), id);
        assert_eq!(signature.kind(), &SignatureKind::Seal);
        assert_eq!(statuses(signature), SEAL_WITHOUT_ANCHORS, "{file}");
        assert_eq!(signature.references().len(), references, "{file}");
        assert!(
            signature
                .references()
                .iter()
                .all(|r| r.outcome() == &ReferenceOutcome::Match)
        );
        assert_eq!(
            detail(signature, References),
            format!("all {references} referenced files match their SM3 digests")
        );
        assert!(
            !signature.report().has_warning(Deviation::OfdXmlVariation),
            "{file}"
        );
    }
}

/// MANIFEST ofdrw_conv_n.ofd (dms360, GM/T 0031-2014 v1): CheckMethod 401.2 means SM3(Z ‖
/// file) (D14), under which only Seal.esl still matches (ofdrw rewrote the XML parts);
/// the signature verifies only over dataHash without Z (D13); dataHash ≠ SM3(Signature.xml).
#[test]
fn dms360_v1_signature_with_z_digests() {
    let report = verify_sample("ofdrw_conv_n.ofd");
    assert_eq!(report.verdict(), Verdict::Invalid);
    let signature = report.signature("0").unwrap();
    assert_eq!(status(signature, SealMakerSignature), Pass);
    assert_eq!(status(signature, Signature), Pass);
    assert_eq!(status(signature, SignerListedInSeal), NotChecked);
    assert_eq!(status(signature, DataHash), Fail);
    assert_eq!(status(signature, References), Fail);
    let outcomes: Vec<(&str, bool)> = signature
        .references()
        .iter()
        .map(|r| (r.file_ref(), r.outcome() == &ReferenceOutcome::Match))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("/Doc_0/Document.xml", false),
            ("/Doc_0/Pages/Page_0/Content.xml", false),
            ("/Doc_0/Pages/Page_1/Content.xml", false),
            ("/Doc_0/PublicRes.xml", false),
            ("/OFD.xml", false),
            ("/Doc_0/Signs/Sign_0/Seal.esl", true),
        ]
    );
    assert!(
        detail(signature, References)
            .starts_with("5 of 6 references fail: /Doc_0/Document.xml (digest differs)")
    );
    for code in ["D12", "D13", "D14", "D15", "D17"] {
        assert!(
            codes(signature).contains(&code),
            "{code}: {:?}",
            codes(signature)
        );
    }
}

/// MANIFEST ofdrw_keyword.ofd (oesplugin): Sign_1 is a v4 seal signature with a raw r‖s
/// signature (D9), Sign_3 a GM/T 0010 SignedData with attached SM3(Signature.xml); both
/// signatures verify, but the document was edited after signing: 3 references fail in each.
#[test]
fn oesplugin_document_edited_after_signing() {
    let report = verify_sample("ofdrw_keyword.ofd");
    assert_eq!(report.verdict(), Verdict::Invalid);
    let edited = [
        "/OFD.xml",
        "/Doc_0/Document.xml",
        "/Doc_0/Pages/Page_0/Content.xml",
    ];
    for (id, kind, total) in [("2", SignatureKind::Seal, 7), ("4", SignatureKind::Sign, 9)] {
        let signature = report.signature(id).unwrap();
        assert_eq!(signature.kind(), &kind);
        assert_eq!(status(signature, Signature), Pass, "{id}");
        assert_eq!(status(signature, DataHash), Pass, "{id}");
        assert_eq!(status(signature, References), Fail, "{id}");
        assert_eq!(signature.references().len(), total);
        let failed: Vec<&str> = signature
            .references()
            .iter()
            .filter(|r| matches!(r.outcome(), ReferenceOutcome::DigestDiffers { .. }))
            .map(|r| r.file_ref())
            .collect();
        assert_eq!(failed, edited, "{id}");
        assert!(codes(signature).contains(&"D9"), "{id}");
        // CheckMethod="SM3" (D17).
        assert!(codes(signature).contains(&"D17"), "{id}");
    }
    let sign = report.signature("4").unwrap();
    assert_eq!(
        detail(sign, DataHash),
        "the signed content is SM3(Signature.xml)"
    );
}

/// MANIFEST ofdrw_conv_testImageNotFound.ofd: two gomain Type="Sign" SignedData, detached
/// over Signature.xml; references 14/14 and 19/19. Sign_0 does not list /OFD.xml (D17).
#[test]
fn gomain_detached_signed_data() {
    let report = verify_sample("ofdrw_conv_testImageNotFound.ofd");
    assert_eq!(report.verdict(), Verdict::Indeterminate);
    for (id, references, ofd_xml_listed) in [("1", 14, false), ("2", 19, true)] {
        let signature = report.signature(id).unwrap();
        assert_eq!(
            statuses(signature),
            [
                (Structure, Pass),
                (DataHash, Pass),
                (Signature, Pass),
                (SignerChain, NotChecked),
                (References, Pass)
            ],
            "{id}"
        );
        assert_eq!(signature.references().len(), references);
        assert_eq!(
            signature.report().has_warning(Deviation::OfdXmlVariation),
            !ofd_xml_listed
        );
    }
}

/// MANIFEST ofdrw_DigitalSign.ofd: a bare SM2 signature over Signature.xml by the USER key
/// (ofdrw 1.2). Without its certificate it cannot be checked; with it, it verifies; with the
/// ofdrw root (a legacy root without keyCertSign, D16) at a time inside the certificates'
/// validity, the whole package is valid.
#[test]
fn ofdrw_bare_signature_needs_its_certificate() {
    let package = Package::from_bytes(&sample("ofdrw_DigitalSign.ofd")).unwrap();
    let report = verify(&package, &VerifyOptions::new());
    let signature = &report.signatures()[0];
    assert_eq!(report.verdict(), Verdict::Indeterminate);
    assert_eq!(status(signature, Signature), NotChecked);
    assert_eq!(status(signature, References), Pass);

    let user = certificate("derived_USER_cert.pem");
    let root = certificate("derived_ROOT_cert.pem");
    let given = VerifyOptions::new().signer_certificates(vec![user.clone()]);
    let signature_report = verify(&package, &given);
    let signature = &signature_report.signatures()[0];
    assert_eq!(status(signature, Signature), Pass);
    assert_eq!(status(signature, DataHash), Pass);
    assert_eq!(status(signature, SignerChain), NotChecked);

    let anchored = given
        .clone()
        .trust_anchors(vec![root.clone()])
        .at(at(IN_2021));
    let strict = verify(&package, &anchored);
    assert_eq!(strict.verdict(), Verdict::Invalid);
    assert!(detail(&strict.signatures()[0], SignerChain).contains("keyCertSign"));

    let legacy = anchored.accept_root_without_key_cert_sign_for_legacy_use_only();
    let valid = verify(&package, &legacy);
    assert_eq!(valid.verdict(), Verdict::Valid, "{valid}");

    let wrong =
        VerifyOptions::new().signer_certificates(vec![certificate("derived_SealBuilder_cert.pem")]);
    let report = verify(&package, &wrong);
    assert_eq!(status(&report.signatures()[0], Signature), Fail);
    assert_eq!(report.verdict(), Verdict::Invalid);
}

/// MANIFEST ofdrw_SESV4SignDoc.ofd: an ofdrw v4 seal signature (USER + UserV4.esl), signed in
/// 2026 with a seal valid 2020–2022: at its claimed signing time the seal has expired; at a
/// time inside the validity, with the ofdrw root as a legacy anchor, everything passes.
#[test]
fn ofdrw_seal_signature_and_its_validity() {
    let package = Package::from_bytes(&sample("ofdrw_SESV4SignDoc.ofd")).unwrap();
    let report = verify(&package, &VerifyOptions::new());
    let signature = &report.signatures()[0];
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert_eq!(status(signature, SealValidity), Fail);
    assert_eq!(status(signature, Signature), Pass);
    assert_eq!(status(signature, DataHash), Pass);
    assert_eq!(status(signature, References), Pass);

    let options = VerifyOptions::new()
        .trust_anchors(vec![certificate("derived_ROOT_cert.pem")])
        .at(at(IN_2021))
        .accept_root_without_key_cert_sign_for_legacy_use_only();
    let report = verify(&package, &options);
    let signature = &report.signatures()[0];
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    assert_eq!(status(signature, SealMakerChain), Pass);
    assert_eq!(status(signature, SignerChain), Pass);
    // SignedValue before SignedInfo and CheckMethod "SM3" (ofdrw 1.2 layout, D17).
    let variations = signature
        .report()
        .warnings()
        .iter()
        .filter(|w| w.deviation == Deviation::OfdXmlVariation)
        .count();
    assert_eq!(variations, 2);
}

/// The CLI contract's OFD shape: `{"verdict", "signatures": [{"id", "verdict", "checks",
/// "warnings"}]}` with the contract's check names.
#[test]
fn json_has_the_contract_shape() {
    let report = verify_sample("ofdrw_keyword.ofd");
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["verdict"], "invalid");
    let signatures = json["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2);
    assert_eq!(signatures[0]["id"], "2");
    assert_eq!(signatures[0]["verdict"], "invalid");
    let checks: Vec<&str> = signatures[1]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        checks,
        [
            "structure",
            "data_hash",
            "signature",
            "signer_chain",
            "references"
        ]
    );
    let references = &signatures[1]["checks"][4];
    assert_eq!(references["status"], "fail");
    assert!(
        references["detail"]
            .as_str()
            .unwrap()
            .contains("/Doc_0/Document.xml")
    );
    assert_eq!(signatures[1]["warnings"][0]["code"], "D9");
    assert!(report.to_json().starts_with(r#"{"verdict":"invalid","signatures":[{"id":"2","verdict":"invalid","checks":[{"check":"structure","status":"pass","detail":"#));
}

// ---------------------------------------------------------------------------------------------
// Tampering (issue #5: a byte inside an OFD part fails `references` and only that)

#[test]
fn a_byte_inside_a_part_fails_references_only() {
    let original = Package::from_bytes(&sample("ofdrw_signedFile.ofd")).unwrap();
    let before = statuses(&verify(&original, &VerifyOptions::new()).signatures()[0]);
    for part in [
        "Doc_0/Pages/Page_0/Content.xml",
        "Doc_0/Res/image_80.jb2",
        "OFD.xml",
        "Doc_0/Attachs/original_invoice.xml",
    ] {
        // Inside a text node for the XML parts, so that OFD.xml still parses.
        let tampered = match part {
            "OFD.xml" => flip_after(&original, part, "<ofd:DocID>"),
            _ => flip_byte(&original, part, 100),
        };
        let report = verify(&tampered, &VerifyOptions::new());
        let signature = &report.signatures()[0];
        let mut expected = before.clone();
        expected[9] = (References, Fail);
        assert_eq!(statuses(signature), expected, "{part}");
        assert_eq!(
            detail(signature, References),
            format!("1 of 13 references fail: /{part} (digest differs)")
        );
        let changed: Vec<_> = signature
            .references()
            .iter()
            .filter(|r| r.outcome() != &ReferenceOutcome::Match)
            .collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].file_ref(), format!("/{part}"));
        let ReferenceOutcome::DigestDiffers { computed } = changed[0].outcome() else {
            panic!("{:?}", changed[0].outcome())
        };
        assert_eq!(
            Base64::decode_vec(computed).unwrap(),
            smtrust::sm3::hash(tampered.part(part).unwrap())
        );
    }
}

/// The same on a Type="Sign" signature.
#[test]
fn a_byte_inside_a_part_fails_references_only_for_signed_data() {
    let original = Package::from_bytes(&sample("ofdrw_conv_testImageNotFound.ofd")).unwrap();
    let tampered = flip_byte(&original, "Doc_0/Res/font_6.ttf", 5000);
    let report = verify(&tampered, &VerifyOptions::new());
    for signature in report.signatures() {
        assert_eq!(
            statuses(signature),
            [
                (Structure, Pass),
                (DataHash, Pass),
                (Signature, Pass),
                (SignerChain, NotChecked),
                (References, Fail)
            ]
        );
        assert!(detail(signature, References).contains("/Doc_0/Res/font_6.ttf (digest differs)"));
    }
}

/// A changed Signature.xml (here the stamp's position, which no reference covers) fails
/// `data_hash` and only that.
#[test]
fn a_changed_signature_xml_fails_data_hash_only() {
    let original = Package::from_bytes(&sample("ofdrw_signedFile.ofd")).unwrap();
    let path = "Doc_0/Signs/Sign_0/Signature.xml";
    let xml = String::from_utf8(original.part(path).unwrap().to_vec()).unwrap();
    let moved = xml.replace("Boundary=\"90.00 8.00", "Boundary=\"10.00 8.00");
    assert_ne!(moved, xml);
    let report = verify(
        &with_part(&original, path, Some(moved.into_bytes())),
        &VerifyOptions::new(),
    );
    let mut expected = SEAL_WITHOUT_ANCHORS.to_vec();
    expected[6] = (DataHash, Fail);
    assert_eq!(statuses(&report.signatures()[0]), expected);
}

/// For a detached SignedData the message digest then differs: `data_hash` fails and the
/// signature is not checked further.
#[test]
fn a_changed_signature_xml_fails_data_hash_for_signed_data() {
    let original = Package::from_bytes(&sample("ofdrw_conv_testImageNotFound.ofd")).unwrap();
    let path = "Doc_0/Signs/Sign_0/Signature.xml";
    let report = verify(
        &flip_after(&original, path, "<ofd:SignatureDateTime>"),
        &VerifyOptions::new(),
    );
    let signature = report.signature("1").unwrap();
    assert_eq!(
        statuses(signature),
        [
            (Structure, Pass),
            (DataHash, Fail),
            (Signature, NotChecked),
            (SignerChain, NotChecked),
            (References, Pass)
        ]
    );
    // Sign_1 lists Sign_0's Signature.xml among its references.
    let other = report.signature("2").unwrap();
    assert_eq!(status(other, References), Fail);
    assert_eq!(status(other, Signature), Pass);
}

/// A flipped bit in the seal signature's signature value fails `signature`.
#[test]
fn a_changed_signed_value_fails_signature() {
    let original = Package::from_bytes(&sample("ofdrw_signedFile.ofd")).unwrap();
    let path = "Doc_0/Signs/Sign_0/SignedValue.dat";
    let len = original.part(path).unwrap().len();
    let report = verify(&flip_byte(&original, path, len - 5), &VerifyOptions::new());
    let mut expected = SEAL_WITHOUT_ANCHORS.to_vec();
    expected[5] = (Signature, Fail);
    assert_eq!(statuses(&report.signatures()[0]), expected);
}

/// ofdsharp_test.ofd names a seal copy (Seal/BaseLoc) and lists it in the references: a
/// changed copy fails `references`, and `structure` because it is no longer the signed seal.
#[test]
fn a_changed_seal_copy_is_detected() {
    let original = Package::from_bytes(&sample("ofdsharp_test.ofd")).unwrap();
    let report = verify(
        &flip_byte(&original, "Doc_0/Signs/Sign_0/Seal.esl", 3000),
        &VerifyOptions::new(),
    );
    let signature = &report.signatures()[0];
    let failed: Vec<CheckName> = signature
        .report()
        .checks()
        .iter()
        .filter(|c| c.status == Fail)
        .map(|c| c.name)
        .collect();
    assert_eq!(failed, [Structure, References]);
    assert!(
        detail(signature, References).contains("/Doc_0/Signs/Sign_0/Seal.esl (digest differs)")
    );
}

#[test]
fn missing_files() {
    let original = Package::from_bytes(&sample("ofdrw_signedFile.ofd")).unwrap();
    // A referenced file removed.
    let report = verify(
        &with_part(&original, "Doc_0/Res/image_80.jb2", None),
        &VerifyOptions::new(),
    );
    let signature = &report.signatures()[0];
    assert_eq!(status(signature, References), Fail);
    assert!(
        signature
            .references()
            .iter()
            .any(|r| r.file_ref() == "/Doc_0/Res/image_80.jb2"
                && r.outcome() == &ReferenceOutcome::Missing)
    );
    // Signature.xml or SignedValue.dat removed: the signature's structure fails.
    for (path, missing) in [
        (
            "Doc_0/Signs/Sign_0/Signature.xml",
            "Doc_0/Signs/Sign_0/Signature.xml",
        ),
        (
            "Doc_0/Signs/Sign_0/SignedValue.dat",
            "Doc_0/Signs/Sign_0/SignedValue.dat",
        ),
    ] {
        let report = verify(&with_part(&original, path, None), &VerifyOptions::new());
        let signature = &report.signatures()[0];
        assert_eq!(statuses(signature), [(Structure, Fail)]);
        assert_eq!(
            detail(signature, Structure),
            OfdError::MissingPart {
                path: missing.into()
            }
            .to_string()
        );
    }
}

/// A SignedValue that is garbage fails `structure` for either type.
#[test]
fn unreadable_signed_values() {
    let seal = Package::from_bytes(&sample("ofdrw_signedFile.ofd")).unwrap();
    let broken = with_part(
        &seal,
        "Doc_0/Signs/Sign_0/SignedValue.dat",
        Some(b"\x30\x03\x02\x01\x01".to_vec()),
    );
    let report = verify(&broken, &VerifyOptions::new());
    let signature = &report.signatures()[0];
    assert_eq!(status(signature, Structure), Fail);
    assert!(detail(signature, Structure).starts_with("the SignedValue is not a seal signature"));
    assert_eq!(status(signature, References), Pass);

    let sign = Package::from_bytes(&sample("ofdrw_conv_testImageNotFound.ofd")).unwrap();
    let broken = with_part(
        &sign,
        "Doc_0/Signs/Sign_0/SignedValue.dat",
        Some(vec![0x04, 0x01, 0x00]),
    );
    let report = verify(&broken, &VerifyOptions::new());
    let signature = report.signature("1").unwrap();
    assert_eq!(status(signature, Structure), Fail);
    assert!(
        detail(signature, Structure).starts_with("the SignedValue is neither a CMS SignedData")
    );
}

// ---------------------------------------------------------------------------------------------
// Packages made here: a test PKI, CMS-signed Signature.xml, every XML variation of D17

struct Pki {
    root: Certificate,
    key: SigningKey,
    leaf: Certificate,
    maker_key: SigningKey,
    maker: Certificate,
}

fn pki() -> Pki {
    let root_key = SigningKey::new(SecretKey::from_bytes(&[0x31; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("C=CN, O=OFD Test, CN=OFD Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let key = SigningKey::new(SecretKey::from_bytes(&[0x32; 32]).unwrap(), DistId::DEFAULT);
    let leaf = CertificateBuilder::end_entity("C=CN, O=OFD Test, CN=OFD Signer", 7)
        .issue(key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    let maker_key = SigningKey::new(SecretKey::from_bytes(&[0x33; 32]).unwrap(), DistId::DEFAULT);
    let maker = CertificateBuilder::end_entity("C=CN, O=OFD Test, CN=Seal Maker", 8)
        .issue(maker_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    Pki {
        root,
        key,
        leaf,
        maker_key,
        maker,
    }
}

const DOCUMENT: &[u8] = b"<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"/>";
const PAGE: &[u8] =
    b"<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Content/></ofd:Page>";

/// How the made package writes its XML.
struct Layout {
    /// Prefix for elements: "ofd:" or "" (default namespace).
    prefix: &'static str,
    /// Where Signatures.xml is, and how OFD.xml names it.
    signatures_path: &'static str,
    signatures_loc: &'static str,
    /// BaseLoc in Signatures.xml, SignedValue in Signature.xml.
    base_loc: &'static str,
    signed_value_loc: &'static str,
    /// CheckMethod (None: left out), and whether digests are SM3(Z ‖ file).
    check_method: Option<&'static str>,
    with_z: bool,
    /// The FileRefs listed.
    references: &'static [&'static str],
}

const STANDARD: Layout = Layout {
    prefix: "ofd:",
    signatures_path: "Doc_0/Signs/Signatures.xml",
    signatures_loc: "/Doc_0/Signs/Signatures.xml",
    base_loc: "/Doc_0/Signs/Sign_0/Signature.xml",
    signed_value_loc: "/Doc_0/Signs/Sign_0/SignedValue.dat",
    check_method: Some("1.2.156.10197.1.401"),
    with_z: false,
    references: &[
        "/OFD.xml",
        "/Doc_0/Document.xml",
        "/Doc_0/Pages/Page_0/Content.xml",
    ],
};

/// An OFD package with one Type="Sign" signature: a detached GM/T 0010 SignedData over its
/// Signature.xml by the test PKI's signer.
fn made_package(layout: &Layout, p: &Pki) -> Package {
    let x = layout.prefix;
    let ns = if x.is_empty() { "xmlns" } else { "xmlns:ofd" };
    let ofd = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{x}OFD {ns}="http://www.ofdspec.org/2016" Version="1.1" DocType="OFD"><{x}DocBody><{x}DocRoot>Doc_0/Document.xml</{x}DocRoot><{x}Signatures>{}</{x}Signatures></{x}DocBody></{x}OFD>"#,
        layout.signatures_loc
    );
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("OFD.xml".into(), ofd.into_bytes()),
        ("Doc_0/Document.xml".into(), DOCUMENT.to_vec()),
        ("Doc_0/Pages/Page_0/Content.xml".into(), PAGE.to_vec()),
    ];
    let signatures = format!(
        r#"<{x}Signatures {ns}="http://www.ofdspec.org/2016"><{x}MaxSignId>s1</{x}MaxSignId><{x}Signature ID="s1" Type="Sign" BaseLoc="{}"/></{x}Signatures>"#,
        layout.base_loc
    );
    parts.push((layout.signatures_path.into(), signatures.into_bytes()));
    let package = Package::from_parts(parts.clone(), &Limits::default()).unwrap();
    let z = p.key.verifying_key().public_key().z(&DistId::DEFAULT);
    let references: String = layout
        .references
        .iter()
        .map(|file| {
            let bytes = package.part(file).unwrap_or_default();
            let digest = if layout.with_z {
                let mut hasher = smtrust::sm3::Hasher::new();
                hasher.update(&z);
                hasher.update(bytes);
                hasher.finalize()
            } else {
                smtrust::sm3::hash(bytes)
            };
            format!(
                r#"<{x}Reference FileRef="{file}"><{x}CheckValue>{}</{x}CheckValue></{x}Reference>"#,
                Base64::encode_string(&digest)
            )
        })
        .collect();
    let method = layout
        .check_method
        .map(|m| format!(r#" CheckMethod="{m}""#))
        .unwrap_or_default();
    let signature_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{x}Signature {ns}="http://www.ofdspec.org/2016"><{x}SignedInfo><{x}Provider ProviderName="smtrust-test" Company="smtrust" Version="1"/><{x}SignatureMethod>1.2.156.10197.1.501</{x}SignatureMethod><{x}SignatureDateTime>20261126000000Z</{x}SignatureDateTime><{x}References{method}>{references}</{x}References></{x}SignedInfo><{x}SignedValue>{}</{x}SignedValue></{x}Signature>"#,
        layout.signed_value_loc
    );
    let signed = CmsSigner::new(&p.key, &p.leaf, CmsOids::GmT0010)
        .encapsulation(Encapsulation::Detached)
        .sign(signature_xml.as_bytes(), at(NOW))
        .unwrap();
    parts.push((
        "Doc_0/Signs/Sign_0/Signature.xml".into(),
        signature_xml.into_bytes(),
    ));
    parts.push((
        "Doc_0/Signs/Sign_0/SignedValue.dat".into(),
        signed.der().to_vec(),
    ));
    Package::from_parts(parts, &Limits::default()).unwrap()
}

fn anchored(p: &Pki) -> VerifyOptions {
    VerifyOptions::new().trust_anchors(vec![p.root.clone()])
}

const SIGNED_VALID: [(CheckName, Status); 5] = [
    (Structure, Pass),
    (DataHash, Pass),
    (Signature, Pass),
    (SignerChain, Pass),
    (References, Pass),
];

/// A package made as GB/T 33190 writes it verifies as valid with the root as trust anchor
/// (the chain checked at the CMS signing time), and indeterminate without it.
#[test]
fn made_package_is_valid_with_its_root() {
    let p = pki();
    let package = made_package(&STANDARD, &p);
    let report = verify(&package, &anchored(&p));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let signature = &report.signatures()[0];
    assert_eq!(statuses(signature), SIGNED_VALID);
    assert!(signature.report().warnings().is_empty(), "{report}");
    assert_eq!(
        verify(&package, &VerifyOptions::new()).verdict(),
        Verdict::Indeterminate
    );
    // Another root does not anchor it.
    let other = pki_with(0x41);
    let report = verify(&package, &anchored(&other));
    assert_eq!(status(&report.signatures()[0], SignerChain), Fail);
}

fn pki_with(seed: u8) -> Pki {
    let root_key = SigningKey::new(SecretKey::from_bytes(&[seed; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("C=CN, O=Other, CN=Other Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let p = pki();
    Pki { root, ..p }
}

/// SEAL-SPEC D17: no namespace prefix, Signatures.xml beside Document.xml named by a relative
/// path, relative BaseLoc and SignedValue, CheckMethod written "SM3": all read; only the
/// "SM3" spelling is a deviation worth a warning.
#[test]
fn xml_variations_are_read() {
    let p = pki();
    let layout = Layout {
        prefix: "",
        signatures_path: "Doc_0/Signatures.xml",
        signatures_loc: "Doc_0/Signatures.xml",
        base_loc: "Signs/Sign_0/Signature.xml",
        signed_value_loc: "SignedValue.dat",
        check_method: Some("sm3"),
        ..STANDARD
    };
    let report = verify(&made_package(&layout, &p), &anchored(&p));
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    let signature = &report.signatures()[0];
    assert_eq!(signature.entry().list(), "Doc_0/Signatures.xml");
    assert_eq!(codes(signature), ["D17"]);
}

/// A relative BaseLoc that only resolves from the package root (a writer that treats every
/// path as root-relative) is found, with a D17 warning saying so.
#[test]
fn root_relative_base_loc_is_found_with_a_warning() {
    let p = pki();
    let layout = Layout {
        base_loc: "Doc_0/Signs/Sign_0/Signature.xml",
        ..STANDARD
    };
    let report = verify(&made_package(&layout, &p), &anchored(&p));
    let signature = &report.signatures()[0];
    assert_eq!(statuses(signature), SIGNED_VALID);
    let warning = &signature.report().warnings()[0];
    assert_eq!(warning.deviation, Deviation::OfdXmlVariation);
    assert!(warning.detail.contains("found only from the package root"));
}

/// SEAL-SPEC D14: CheckMethod 1.2.156.10197.1.401.2 digests are SM3(Z ‖ file) with the
/// signer's Z; plain SM3 digests under that name fail.
#[test]
fn sm3_with_z_check_method() {
    let p = pki();
    let with_z = Layout {
        check_method: Some("1.2.156.10197.1.401.2"),
        with_z: true,
        ..STANDARD
    };
    let report = verify(&made_package(&with_z, &p), &anchored(&p));
    let signature = &report.signatures()[0];
    assert_eq!(statuses(signature), SIGNED_VALID);
    assert_eq!(codes(signature), ["D14"]);
    assert_eq!(
        detail(signature, References),
        "all 3 referenced files match their SM3 with Z digests"
    );
    let plain_under_z = Layout {
        with_z: false,
        ..with_z
    };
    let report = verify(&made_package(&plain_under_z, &p), &anchored(&p));
    assert!(detail(&report.signatures()[0], References).starts_with("3 of 3 references fail"));
    assert_eq!(CheckMethod::from_name(" SM3 "), Some(CheckMethod::Sm3));
    assert_eq!(
        CheckMethod::from_name("1.2.156.10197.1.401.2"),
        Some(CheckMethod::Sm3WithZ)
    );
    assert_eq!(CheckMethod::from_name("MD5"), None);
}

/// An unsupported or missing CheckMethod leaves `references` not checked: indeterminate.
#[test]
fn unknown_check_method_is_not_checked() {
    let p = pki();
    for (method, reason) in [
        (Some("MD5"), "CheckMethod MD5 is not supported (only SM3)"),
        (
            None,
            "References has no CheckMethod, so the digest algorithm is unknown",
        ),
    ] {
        let layout = Layout {
            check_method: method,
            ..STANDARD
        };
        let report = verify(&made_package(&layout, &p), &anchored(&p));
        let signature = &report.signatures()[0];
        assert_eq!(status(signature, References), NotChecked);
        assert_eq!(detail(signature, References), reason);
        assert_eq!(report.verdict(), Verdict::Indeterminate);
    }
}

/// References that protect nothing, that leave the package, or that do not list /OFD.xml.
#[test]
fn reference_lists_that_protect_too_little() {
    let p = pki();
    let none = Layout {
        references: &[],
        ..STANDARD
    };
    let report = verify(&made_package(&none, &p), &anchored(&p));
    assert_eq!(status(&report.signatures()[0], References), Fail);

    let outside = Layout {
        references: &["/OFD.xml", "/../secret.xml"],
        ..STANDARD
    };
    let report = verify(&made_package(&outside, &p), &anchored(&p));
    let signature = &report.signatures()[0];
    assert_eq!(
        signature.references()[1].outcome(),
        &ReferenceOutcome::OutsidePackage
    );
    assert_eq!(
        detail(signature, References),
        "1 of 2 references fail: /../secret.xml (path leads outside the package)"
    );

    let no_root = Layout {
        references: &["/Doc_0/Document.xml"],
        ..STANDARD
    };
    let report = verify(&made_package(&no_root, &p), &anchored(&p));
    let signature = &report.signatures()[0];
    assert_eq!(report.verdict(), Verdict::Valid);
    assert_eq!(codes(signature), ["D17"]);
}

#[test]
fn unknown_signature_type_fails_structure() {
    let p = pki();
    let package = made_package(&STANDARD, &p);
    let list = String::from_utf8(package.part(STANDARD.signatures_path).unwrap().to_vec())
        .unwrap()
        .replace("Type=\"Sign\"", "Type=\"Stamp\"");
    let package = with_part(&package, STANDARD.signatures_path, Some(list.into_bytes()));
    let report = verify(&package, &anchored(&p));
    let signature = &report.signatures()[0];
    assert_eq!(signature.kind(), &SignatureKind::Other("Stamp".into()));
    assert_eq!(statuses(signature), [(Structure, Fail), (References, Pass)]);
}

/// A detached SignedData made over another document fails `data_hash`; a bare DER signature
/// over Signature.xml verifies with the signer certificate given.
#[test]
fn made_signed_values() {
    let p = pki();
    let package = made_package(&STANDARD, &p);
    let other = CmsSigner::new(&p.key, &p.leaf, CmsOids::GmT0010)
        .encapsulation(Encapsulation::Detached)
        .sign(b"another document", at(NOW))
        .unwrap();
    let path = "Doc_0/Signs/Sign_0/SignedValue.dat";
    let report = verify(
        &with_part(&package, path, Some(other.der().to_vec())),
        &anchored(&p),
    );
    assert_eq!(status(&report.signatures()[0], DataHash), Fail);

    let xml = package.part("Doc_0/Signs/Sign_0/Signature.xml").unwrap();
    let bare = p.key.sign_deterministic(xml).unwrap().to_der();
    let bare_package = with_part(&package, path, Some(bare));
    let options = anchored(&p)
        .signer_certificates(vec![p.leaf.clone()])
        .at(at(NOW));
    let report = verify(&bare_package, &options);
    assert_eq!(report.verdict(), Verdict::Valid, "{report}");
    // Without a time the bare signature's chain cannot be checked.
    let report = verify(
        &bare_package,
        &anchored(&p).signer_certificates(vec![p.leaf.clone()]),
    );
    assert_eq!(status(&report.signatures()[0], SignerChain), NotChecked);
}

// ---------------------------------------------------------------------------------------------
// Seal-signed packages made here (seal::SealBuilder, seal::SignatureBuilder): make → sign →
// verify round trips through OFD

const SIGNATURE_XML: &str = "Doc_0/Signs/Sign_0/Signature.xml";
const SEAL_ESL: &str = "Doc_0/Signs/Sign_0/Seal.esl";

/// An OFD package with one seal signature as GB/T 33190 / SEAL-SPEC §7 lay it out: the seal
/// copy in Seal.esl, listed in the references and named by Seal/BaseLoc; dataHash =
/// SM3(Signature.xml); propertyInfo = the path of Signature.xml.
fn made_seal_package(version: SealVersion, p: &Pki, property_info: &str) -> Package {
    let picture = Picture::new(
        PictureFormat::Png,
        b"\x89PNG\r\n\x1a\nstamp".to_vec(),
        40,
        40,
    );
    let builder = SealBuilder::new(
        "310000000001",
        "OFD 测试合同专用章",
        picture,
        at(NOW - 86_400),
        at(NOW + 86_400 * 365),
    )
    .signer(&p.leaf);
    let seal = match version {
        SealVersion::V1 => builder.make_v1(&p.maker_key, &p.maker),
        _ => builder.make_v4(&p.maker_key, &p.maker),
    }
    .unwrap();
    let ns = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("OFD.xml".into(), format!(r#"<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"#).into_bytes()),
        ("Doc_0/Document.xml".into(), DOCUMENT.to_vec()),
        ("Doc_0/Pages/Page_0/Content.xml".into(), PAGE.to_vec()),
        ("Doc_0/Signs/Signatures.xml".into(), format!(r#"<ofd:Signatures {ns}><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" BaseLoc="/{SIGNATURE_XML}"/></ofd:Signatures>"#).into_bytes()),
        (SEAL_ESL.into(), seal.der().to_vec()),
    ];
    let references: String = ["OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml", SEAL_ESL]
        .iter()
        .map(|file| {
            let bytes = &parts.iter().find(|(name, _)| name == file).unwrap().1;
            format!(
                r#"<ofd:Reference FileRef="/{file}"><ofd:CheckValue>{}</ofd:CheckValue></ofd:Reference>"#,
                Base64::encode_string(&smtrust::sm3::hash(bytes))
            )
        })
        .collect();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Signature {ns}><ofd:SignedInfo><ofd:Provider ProviderName="smtrust-test" Company="smtrust" Version="1"/><ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod><ofd:SignatureDateTime>20261126000000Z</ofd:SignatureDateTime><ofd:References CheckMethod="1.2.156.10197.1.401">{references}</ofd:References><ofd:StampAnnot ID="1" PageRef="1" Boundary="90 9 40 40"/><ofd:Seal><ofd:BaseLoc>/{SEAL_ESL}</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo><ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>"#
    );
    let signed = SignatureBuilder::new(&seal, at(NOW))
        .document(xml.as_bytes())
        .property_info(property_info)
        .sign(&p.key, &p.leaf)
        .unwrap();
    parts.push((SIGNATURE_XML.into(), xml.into_bytes()));
    parts.push((
        "Doc_0/Signs/Sign_0/SignedValue.dat".into(),
        signed.der().to_vec(),
    ));
    Package::from_parts(parts, &Limits::default()).unwrap()
}

/// Make → sign → verify, v4 and v1: with the root as trust anchor every check passes
/// (no timestamp: not checked, which does not matter) and the package is valid.
#[test]
fn made_seal_signatures_round_trip() {
    let p = pki();
    for version in [SealVersion::V4, SealVersion::V1] {
        let package = made_seal_package(version, &p, "/Doc_0/Signs/Sign_0/Signature.xml");
        let report = verify(&package, &anchored(&p));
        assert_eq!(report.verdict(), Verdict::Valid, "{version:?}: {report}");
        let signature = &report.signatures()[0];
        assert_eq!(signature.kind(), &SignatureKind::Seal);
        let mut expected = SEAL_WITHOUT_ANCHORS.to_vec();
        expected[2] = (SealMakerChain, Pass);
        expected[7] = (SignerChain, Pass);
        assert_eq!(statuses(signature), expected, "{version:?}");
        assert!(signature.report().warnings().is_empty(), "{report}");
        assert_eq!(
            verify(&package, &VerifyOptions::new()).verdict(),
            Verdict::Indeterminate
        );
    }
}

/// SEAL-SPEC D18: a propertyInfo that is not the Signature.xml path is a warning, not a
/// failure (the signature still covers Signature.xml through dataHash).
#[test]
fn made_seal_signature_with_another_property_info() {
    let p = pki();
    let package = made_seal_package(SealVersion::V4, &p, "Signature.xml");
    let report = verify(&package, &anchored(&p));
    assert_eq!(report.verdict(), Verdict::Valid);
    assert_eq!(codes(&report.signatures()[0]), ["D18"]);
}

/// Tampering with a made seal-signed package: a page (references only), Signature.xml
/// (data_hash only), the seal copy replaced by another valid seal (structure and references).
#[test]
fn made_seal_package_tampering() {
    let p = pki();
    let package = made_seal_package(SealVersion::V4, &p, "/Doc_0/Signs/Sign_0/Signature.xml");
    let failed = |package: &Package| -> Vec<CheckName> {
        let report = verify(package, &anchored(&p));
        report.signatures()[0]
            .report()
            .checks()
            .iter()
            .filter(|c| c.status == Fail)
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(failed(&package), []);
    assert_eq!(
        failed(&flip_after(
            &package,
            "Doc_0/Pages/Page_0/Content.xml",
            "<ofd:"
        )),
        [References]
    );
    assert_eq!(
        failed(&flip_after(&package, SIGNATURE_XML, "Boundary=\"")),
        [DataHash]
    );
    let other = made_seal_package(SealVersion::V1, &p, "x");
    let copy = other.part(SEAL_ESL).unwrap().to_vec();
    assert_eq!(
        failed(&with_part(&package, SEAL_ESL, Some(copy))),
        [Structure, References]
    );
}
