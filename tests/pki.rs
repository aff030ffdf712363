//! Certificates, CRLs and path validation (`smtrust::pki`): every case of
//! `test-vectors/interop/pki/cases.json` with its verdict and reason, the seal-sample
//! certificates, run-time PKIs from the builder, and hostile inputs.

// Slices of cloned certificates read better here than `slice::from_ref`.
#![allow(clippy::cloned_ref_to_slice_refs)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use smtrust::pki::{
    Certificate, CertificateBuilder, Crl, CrlBuilder, Error, KeyUsages, RequiredUsage,
    RevocationDepth, RevocationReason, SignatureParameters, UnixTime, UnknownStatus, VerifyOptions,
    verify_path,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors")
}

fn pki_file(name: &str) -> String {
    std::fs::read_to_string(vectors().join("interop/pki").join(name)).unwrap()
}

fn interop_cert(name: &str) -> Certificate {
    Certificate::from_pem(&pki_file(name)).unwrap()
}

fn time(secs: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(secs))
}

/// The interop verification time, 2030-06-01T00:00:00Z.
const AT: u64 = 1_906_502_400;

fn cases() -> Value {
    serde_json::from_str(&pki_file("cases.json")).unwrap()
}

fn run_case(case: &Value) -> Result<smtrust::pki::VerifiedPath, Error> {
    let strs = |key: &str| -> Vec<String> {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let id = DistId::new(hex::decode(case["sm2_id_hex"].as_str().unwrap()).unwrap()).unwrap();
    let leaf = interop_cert(case["leaf"].as_str().unwrap());
    let intermediates: Vec<Certificate> = strs("intermediates")
        .iter()
        .map(|f| interop_cert(f))
        .collect();
    let anchor = interop_cert(case["trust_anchor"].as_str().unwrap());
    let mut options =
        VerifyOptions::new(time(case["verification_time_unix"].as_u64().unwrap())).sm2_id(id);
    if case["check_revocation"].as_bool().unwrap() {
        let crls = strs("crls")
            .iter()
            .map(|f| Crl::from_pem(&pki_file(f)).unwrap())
            .collect();
        options = options.crls(crls);
    }
    options = match case["usage"].as_str().unwrap() {
        "digitalSignature" => options.require(RequiredUsage::SIGNING),
        "any" => options.require(RequiredUsage::Any),
        other => panic!("unknown usage {other}"),
    };
    verify_path(&leaf, &intermediates, &[anchor], &options)
}

/// The reason names of cases.json, read from our error.
fn reason(result: &Result<smtrust::pki::VerifiedPath, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Expired { .. }) => "expired",
        Err(Error::NotYetValid { .. }) => "not_yet_valid",
        Err(Error::BadSignature { .. }) => "bad_signature",
        Err(Error::InvalidCa { .. }) => "invalid_ca",
        Err(Error::PathLengthExceeded { .. }) => "path_length_exceeded",
        Err(Error::KeyUsage { .. }) => "invalid_purpose",
        Err(Error::Revoked { .. }) => "revoked",
        Err(Error::CrlBadSignature { .. }) => "crl_bad_signature",
        Err(_) => "other",
    }
}

/// The OpenSSL 3.0 X509_V_ERR code for each reason of cases.json (README "pki/").
fn openssl_code(reason: &str) -> i64 {
    match reason {
        "ok" => 0,
        "expired" => 10,
        "not_yet_valid" => 9,
        "bad_signature" => 7,
        "invalid_ca" => 79,
        "path_length_exceeded" => 25,
        "invalid_purpose" => 26,
        "revoked" => 23,
        "crl_bad_signature" => 8,
        other => panic!("no OpenSSL code for {other}"),
    }
}

#[test]
fn interop_pki_every_case_has_the_expected_verdict_and_reason() {
    let cases = cases();
    let cases = cases["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 30);
    for case in cases {
        let result = run_case(case);
        let expect_valid = case["expect"] == "valid";
        assert_eq!(result.is_ok(), expect_valid, "{}: {result:?}", case["id"]);
        assert_eq!(
            reason(&result),
            case["reason"].as_str().unwrap(),
            "{}: {result:?}",
            case["id"]
        );
        assert_eq!(
            openssl_code(reason(&result)),
            case["openssl_error_expected"].as_i64().unwrap(),
            "{}",
            case["id"]
        );
    }
}

/// Every verdict agrees with OpenSSL's recorded primary verdict where that record is valid
/// (`agrees_with_expectation`); where it is not, the case carries a `flag` explaining the
/// OpenSSL defect (its CRLs are always checked with the empty ID) and we follow `expect`.
#[test]
fn interop_pki_verdicts_agree_with_recorded_openssl_verify() {
    let cases = cases();
    let mut compared = 0;
    for case in cases["cases"].as_array().unwrap() {
        let openssl = &case["openssl"];
        let primary = &openssl[openssl["primary"].as_str().unwrap()];
        let ours = openssl_code(reason(&run_case(case)));
        if openssl["agrees_with_expectation"].as_bool().unwrap() {
            assert_eq!(ours, primary["code"].as_i64().unwrap(), "{}", case["id"]);
            compared += 1;
        } else {
            assert!(
                case["flag"].as_str().unwrap().contains("CRL"),
                "{}",
                case["id"]
            );
            assert_eq!(primary["code"].as_i64().unwrap(), 8, "{}", case["id"]);
            assert_eq!(ours, case["openssl_error_expected"].as_i64().unwrap());
        }
    }
    assert_eq!(compared, 28);
}

fn interop_case(id: &str) -> Value {
    cases()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn interop_expired_leaf_names_dates_and_depth() {
    let err = run_case(&interop_case("std-expired")).unwrap_err();
    assert_eq!(
        err,
        Error::Expired {
            depth: 0,
            subject: "C=CN, O=SM Interop Test, CN=leaf-expired".into(),
            not_after: time(1_861_920_000),
            at: time(AT),
        }
    );
    assert_eq!(
        err.to_string(),
        "the certificate at depth 0 (C=CN, O=SM Interop Test, CN=leaf-expired) expired at \
         2029-01-01T00:00:00Z, checked at 2030-06-01T00:00:00Z"
    );
}

#[test]
fn interop_not_yet_valid_leaf() {
    assert_eq!(
        run_case(&interop_case("emptyid-not-yet-valid")).unwrap_err(),
        Error::NotYetValid {
            depth: 0,
            subject: "C=CN, O=SM Interop Test, CN=leaf-notyet".into(),
            not_before: time(1_924_992_000),
            at: time(AT),
        }
    );
}

#[test]
fn interop_wrong_issuer_key_and_tampered_signature_fail_at_depth_0() {
    for (id, cn) in [
        ("std-wrong-issuer-key", "leaf-wrongkey"),
        ("std-tampered-signature", "leaf-good"),
        ("std-good-checked-with-empty-id", "leaf-good"),
        ("emptyid-good-checked-with-default-id", "leaf-good"),
    ] {
        assert_eq!(
            run_case(&interop_case(id)).unwrap_err(),
            Error::BadSignature {
                depth: 0,
                subject: format!("C=CN, O=SM Interop Test, CN={cn}"),
            },
            "{id}"
        );
    }
}

#[test]
fn interop_rfc5280_6_1_4_k_intermediate_not_a_ca() {
    assert_eq!(
        run_case(&interop_case("std-intermediate-ca-false")).unwrap_err(),
        Error::InvalidCa {
            depth: 1,
            subject: "C=CN, O=SM Interop Test, CN=SM2 Test Intermediate CA:FALSE".into(),
            reason: "basicConstraints says CA FALSE, yet it issued the certificate below",
        }
    );
    assert!(matches!(
        run_case(&interop_case("emptyid-intermediate-no-basic-constraints")).unwrap_err(),
        Error::InvalidCa { depth: 1, reason, .. } if reason.contains("no basicConstraints")
    ));
}

#[test]
fn interop_rfc5280_6_1_4_m_path_length() {
    assert_eq!(
        run_case(&interop_case("std-path-length-exceeded")).unwrap_err(),
        Error::PathLengthExceeded {
            depth: 2,
            subject: "C=CN, O=SM Interop Test, CN=SM2 Test Intermediate pathlen 0".into(),
        }
    );
}

#[test]
fn interop_rfc5280_4_2_1_3_key_usage_for_signing() {
    assert_eq!(
        run_case(&interop_case(
            "std-leaf-keyusage-keyencipherment-for-signing"
        ))
        .unwrap_err(),
        Error::KeyUsage {
            required: RequiredUsage::SIGNING,
            present: KeyUsages::KEY_ENCIPHERMENT,
        }
    );
}

#[test]
fn interop_revoked_names_serial_date_and_reason() {
    let err = run_case(&interop_case("std-revoked")).unwrap_err();
    assert_eq!(
        err,
        Error::Revoked {
            serial: interop_cert("std/leaf-revoked.pem").serial_hex(),
            revoked_at: time(1_795_368_447),
            reason: Some(RevocationReason::KeyCompromise),
        }
    );
    assert_eq!(
        err.to_string(),
        "the certificate with serial 34b3d715 was revoked at 2026-11-22T17:27:27Z (reason: keyCompromise)"
    );
}

#[test]
fn interop_tampered_crl_signature() {
    assert_eq!(
        run_case(&interop_case("emptyid-crl-bad-signature")).unwrap_err(),
        Error::CrlBadSignature {
            issuer: "C=CN, O=SM Interop Test, CN=SM2 Test Intermediate CA".into(),
        }
    );
}

#[test]
fn interop_verified_path_names_the_chain() {
    let path = run_case(&interop_case("std-good-with-crl")).unwrap();
    let subjects: Vec<&str> = path.certificates().iter().map(|c| c.subject()).collect();
    assert_eq!(
        subjects,
        [
            "C=CN, O=SM Interop Test, CN=leaf-good",
            "C=CN, O=SM Interop Test, CN=SM2 Test Intermediate CA",
            "C=CN, O=SM Interop Test, CN=SM2 Test Root CA",
        ]
    );
    assert_eq!(path.sm2_id(), &DistId::DEFAULT);
    assert!(path.revocation_checked());
    assert_eq!(path.at(), time(AT));
    assert_eq!(path.trust_anchor(), &interop_cert("std/root.pem"));
    assert!(
        !run_case(&interop_case("std-good"))
            .unwrap()
            .revocation_checked()
    );
}

/// `signature_checks` of cases.json: each file's signature verifies with its issuer's key
/// under its own ID and fails under the other flavour's ID.
#[test]
fn interop_signature_checks_each_certificate_and_crl() {
    let cases = cases();
    let rows = cases["signature_checks"].as_array().unwrap();
    assert!(rows.len() >= 30);
    for row in rows {
        let file = row["file"].as_str().unwrap();
        let issuer = interop_cert(row["issuer"].as_str().unwrap());
        let own =
            DistId::new(hex::decode(row["signed_with_id_hex"].as_str().unwrap()).unwrap()).unwrap();
        let other = if own == DistId::DEFAULT {
            DistId::EMPTY
        } else {
            DistId::DEFAULT
        };
        let expect_ok = row["expected_signature_valid_with_own_id"]
            .as_bool()
            .unwrap();
        if file.ends_with(".crl.pem") {
            let crl = Crl::from_pem(&pki_file(file)).unwrap();
            assert_eq!(
                crl.verify_signed_by(&issuer, &own).is_ok(),
                expect_ok,
                "{file}"
            );
            assert_eq!(
                crl.verify_signed_by(&issuer, &other),
                Err(Error::CrlBadSignature {
                    issuer: crl.issuer().to_owned()
                }),
                "{file}"
            );
        } else {
            let cert = interop_cert(file);
            assert_eq!(
                cert.verify_signed_by(&issuer, &own).is_ok(),
                expect_ok,
                "{file}"
            );
            assert_eq!(
                cert.verify_signed_by(&issuer, &other),
                Err(Error::BadSignature {
                    depth: 0,
                    subject: cert.subject().to_owned()
                }),
                "{file}"
            );
        }
    }
}

#[test]
fn interop_der_copies_equal_the_pem_files() {
    for flavour in ["std", "emptyid"] {
        for name in ["root", "int", "leaf-good"] {
            let der =
                std::fs::read(vectors().join(format!("interop/pki/{flavour}/{name}.der"))).unwrap();
            assert_eq!(
                Certificate::from_der(&der).unwrap(),
                interop_cert(&format!("{flavour}/{name}.pem"))
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Seal-sample certificates (test-vectors/seals, SEAL-SPEC D16).

fn seal_cert(name: &str) -> Certificate {
    Certificate::from_pem(&std::fs::read_to_string(vectors().join("seals").join(name)).unwrap())
        .unwrap()
}

const OFDRW_ROOT: &str =
    "C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=OFD Reader and WriterROOT Certificate";

#[test]
fn seal_ofdrw_root_without_key_cert_sign_is_its_own_error_d16() {
    let root = seal_cert("derived_ROOT_cert.pem");
    assert_eq!(
        root.key_usage(),
        Some(KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION))
    );
    for (leaf, at) in [
        ("derived_USER_cert.pem", 1_622_505_600),
        ("derived_SealBuilder_cert.pem", 1_622_505_600),
        ("ofdrw_sign_cert.pem", 1_654_041_600),
    ] {
        let options = VerifyOptions::new(time(at)).require(RequiredUsage::SIGNING);
        assert_eq!(
            verify_path(&seal_cert(leaf), &[], &[root.clone()], &options).unwrap_err(),
            Error::CaLacksKeyCertSign {
                depth: 1,
                subject: OFDRW_ROOT.into()
            },
            "{leaf}"
        );
    }
}

#[test]
fn seal_ofdrw_certificates_verify_with_the_legacy_root_option() {
    let root = seal_cert("derived_ROOT_cert.pem");
    for (leaf, at) in [
        ("derived_USER_cert.pem", 1_622_505_600),
        ("derived_SealBuilder_cert.pem", 1_622_505_600),
        ("ofdrw_sign_cert.pem", 1_654_041_600),
    ] {
        let options = VerifyOptions::new(time(at))
            .require(RequiredUsage::SIGNING)
            .accept_root_without_key_cert_sign_for_legacy_use_only();
        let path = verify_path(&seal_cert(leaf), &[], &[root.clone()], &options).unwrap();
        assert_eq!(path.trust_anchor().subject(), OFDRW_ROOT);
        assert_eq!(
            path.end_entity().subject(),
            "C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=Test Certificate"
        );
        // Signed with the GM/T 0015 default ID, not the empty one.
        let empty = options.clone().sm2_id(DistId::EMPTY);
        assert!(matches!(
            verify_path(&seal_cert(leaf), &[], &[root.clone()], &empty).unwrap_err(),
            Error::BadSignature { depth: 0, .. }
        ));
    }
}

#[test]
fn seal_ofdrw_user_certificate_expired_in_2022() {
    let options = VerifyOptions::new(time(1_654_041_600))
        .accept_root_without_key_cert_sign_for_legacy_use_only();
    assert_eq!(
        verify_path(
            &seal_cert("derived_USER_cert.pem"),
            &[],
            &[seal_cert("derived_ROOT_cert.pem")],
            &options
        )
        .unwrap_err(),
        Error::Expired {
            depth: 0,
            subject: "C=CN, O=OFD R&W, ST=Zhejiang, L=Hangzhou, CN=Test Certificate".into(),
            not_after: time(1_650_551_948),
            at: time(1_654_041_600),
        }
    );
}

#[test]
fn seal_sample_keys_match_their_certificates() {
    for (cert, key, serial) in [
        (
            "derived_USER_cert.pem",
            "derived_USER_key.pem",
            "01719d2dab60",
        ),
        (
            "derived_SealBuilder_cert.pem",
            "derived_SealBuilder_key.pem",
            "01719d2e201d",
        ),
        ("ofdrw_sign_cert.pem", "ofdrw_sign_key.pem", "017af20e3374"),
    ] {
        let cert = seal_cert(cert);
        let key = SecretKey::from_pem(
            &std::fs::read_to_string(vectors().join("seals").join(key)).unwrap(),
        )
        .unwrap();
        assert_eq!(cert.sm2_public_key().unwrap(), key.public_key());
        assert_eq!(cert.serial_hex(), serial);
    }
    // The root's key is not any of them.
    let root = seal_cert("derived_ROOT_cert.pem");
    let user_key = SecretKey::from_pem(
        &std::fs::read_to_string(vectors().join("seals/derived_USER_key.pem")).unwrap(),
    )
    .unwrap();
    assert_ne!(root.sm2_public_key().unwrap(), user_key.public_key());
}

// ---------------------------------------------------------------------------------------------
// Run-time PKIs from the builder.

fn key(seed: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[seed; 32]).unwrap(), DistId::DEFAULT)
}

struct Pki {
    root: Certificate,
    root_key: SigningKey,
    int: Certificate,
    int_key: SigningKey,
    leaf: Certificate,
}

fn pki() -> Pki {
    let (root_key, int_key, leaf_key) = (key(1), key(2), key(3));
    let root = CertificateBuilder::ca("C=CN, O=Test, CN=Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let int = CertificateBuilder::ca("C=CN, O=Test, CN=Intermediate", 2)
        .issue(leaf_pub(&int_key), &root, &root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("C=CN, O=Test, CN=Leaf", 3)
        .issue(leaf_pub(&leaf_key), &int, &int_key)
        .unwrap();
    Pki {
        root,
        root_key,
        int,
        int_key,
        leaf,
    }
}

fn leaf_pub(key: &SigningKey) -> &smtrust::sm2::PublicKey {
    key.verifying_key().public_key()
}

fn options() -> VerifyOptions {
    VerifyOptions::new(time(AT)).require(RequiredUsage::SIGNING)
}

#[test]
fn builder_chain_of_three_verifies() {
    let p = pki();
    let path = verify_path(&p.leaf, &[p.int.clone()], &[p.root.clone()], &options()).unwrap();
    assert_eq!(path.intermediates(), [p.int.clone()]);
    assert_eq!(p.leaf.verify_signed_by(&p.int, &DistId::DEFAULT), Ok(()));
}

#[test]
fn builder_chain_of_four_verifies_with_shuffled_and_decoy_intermediates() {
    let p = pki();
    let int2_key = key(4);
    let int2 = CertificateBuilder::ca("C=CN, O=Test, CN=Intermediate 2", 4)
        .issue(leaf_pub(&int2_key), &p.int, &p.int_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("C=CN, O=Test, CN=Deep leaf", 5)
        .issue(leaf_pub(&key(5)), &int2, &int2_key)
        .unwrap();
    // A decoy with the same name as the intermediate but another key.
    let decoy = CertificateBuilder::ca("C=CN, O=Test, CN=Intermediate 2", 6)
        .issue(leaf_pub(&key(6)), &p.int, &p.int_key)
        .unwrap();
    let path = verify_path(
        &leaf,
        &[decoy, p.int.clone(), int2.clone()],
        &[p.root.clone()],
        &options(),
    )
    .unwrap();
    let subjects: Vec<&str> = path.certificates().iter().map(|c| c.subject()).collect();
    assert_eq!(
        subjects,
        [
            "C=CN, O=Test, CN=Deep leaf",
            "C=CN, O=Test, CN=Intermediate 2",
            "C=CN, O=Test, CN=Intermediate",
            "C=CN, O=Test, CN=Root"
        ]
    );
}

#[test]
fn builder_missing_intermediate_is_unknown_issuer() {
    let p = pki();
    assert_eq!(
        verify_path(&p.leaf, &[], &[p.root.clone()], &options()).unwrap_err(),
        Error::UnknownIssuer {
            depth: 0,
            issuer: "C=CN, O=Test, CN=Intermediate".into()
        }
    );
}

#[test]
fn builder_null_parameters_d1_verify() {
    let (root_key, leaf_key) = (key(1), key(3));
    let root = CertificateBuilder::ca("CN=Null Root", 1)
        .signature_parameters(SignatureParameters::Null)
        .self_signed(&root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Null Leaf", 2)
        .signature_parameters(SignatureParameters::Null)
        .issue(leaf_pub(&leaf_key), &root, &root_key)
        .unwrap();
    // signatureAlgorithm SEQUENCE { OID 1.2.156.10197.1.501, NULL }
    let null_alg = [
        0x30, 0x0c, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75, 0x05, 0x00,
    ];
    assert!(leaf.der().windows(null_alg.len()).any(|w| w == null_alg));
    let crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .signature_parameters(SignatureParameters::Null)
        .revoke(&leaf, time(AT - 200), None)
        .sign(&root, &root_key)
        .unwrap();
    verify_path(&leaf, &[], &[root.clone()], &options()).unwrap();
    assert_eq!(
        verify_path(&leaf, &[], &[root], &options().crls(vec![crl])).unwrap_err(),
        Error::Revoked {
            serial: "02".into(),
            revoked_at: time(AT - 200),
            reason: None
        }
    );
}

#[test]
fn builder_utf8_in_ia5string_email_d2_parses_and_verifies() {
    let p = pki();
    let leaf = CertificateBuilder::end_entity("C=CN, CN=张三, emailAddress=电子邮箱", 9)
        .issue(leaf_pub(&key(9)), &p.int, &p.int_key)
        .unwrap();
    // The e-mail value is an IA5String (tag 0x16) holding UTF-8 bytes.
    let email = [&[0x16, 12][..], "电子邮箱".as_bytes()].concat();
    assert!(leaf.der().windows(email.len()).any(|w| w == email));
    let parsed = Certificate::from_der(leaf.der()).unwrap();
    assert_eq!(parsed.subject(), "C=CN, CN=张三, emailAddress=电子邮箱");
    verify_path(&parsed, &[p.int], &[p.root], &options()).unwrap();
}

#[test]
fn builder_negative_and_long_serials_parse_verify_and_revoke() {
    let p = pki();
    let long = [0x5a; 30];
    for serial in [&[0xff, 0x21, 0x52, 0x41, 0x11][..], &long[..]] {
        let leaf = CertificateBuilder::end_entity("CN=Serial", 1)
            .serial_bytes(serial)
            .issue(leaf_pub(&key(7)), &p.int, &p.int_key)
            .unwrap();
        assert_eq!(leaf.serial(), serial);
        verify_path(&leaf, &[p.int.clone()], &[p.root.clone()], &options()).unwrap();
        let crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
            .revoke(&leaf, time(AT - 50), Some(RevocationReason::Superseded))
            .sign(&p.int, &p.int_key)
            .unwrap();
        assert_eq!(
            verify_path(
                &leaf,
                &[p.int.clone()],
                &[p.root.clone()],
                &options().crls(vec![crl])
            )
            .unwrap_err(),
            Error::Revoked {
                serial: hex::encode(serial),
                revoked_at: time(AT - 50),
                reason: Some(RevocationReason::Superseded),
            }
        );
    }
}

#[test]
fn rfc5280_4_2_unknown_critical_extension_is_named() {
    let p = pki();
    let leaf = CertificateBuilder::end_entity("CN=Critical", 8)
        .extension("1.2.156.10197.6.99", true, &[0x05, 0x00])
        .issue(leaf_pub(&key(8)), &p.int, &p.int_key)
        .unwrap();
    assert_eq!(leaf.unknown_critical_extensions(), ["1.2.156.10197.6.99"]);
    assert_eq!(
        verify_path(&leaf, &[p.int.clone()], &[p.root.clone()], &options()).unwrap_err(),
        Error::UnknownCriticalExtension {
            subject: "CN=Critical".into(),
            oid: "1.2.156.10197.6.99".into()
        }
    );
    // The same extension, not critical, is ignored.
    let leaf = CertificateBuilder::end_entity("CN=Not critical", 8)
        .extension("1.2.156.10197.6.99", false, &[0x05, 0x00])
        .issue(leaf_pub(&key(8)), &p.int, &p.int_key)
        .unwrap();
    verify_path(&leaf, &[p.int], &[p.root], &options()).unwrap();
}

#[test]
fn rfc5280_4_2_1_3_intermediate_without_key_cert_sign_is_rejected_even_when_lenient() {
    let p = pki();
    let int_key = key(10);
    let int = CertificateBuilder::ca("CN=No keyCertSign", 10)
        .key_usage(Some(KeyUsages::CRL_SIGN))
        .issue(leaf_pub(&int_key), &p.root, &p.root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Leaf", 11)
        .issue(leaf_pub(&key(11)), &int, &int_key)
        .unwrap();
    let lenient = options().accept_root_without_key_cert_sign_for_legacy_use_only();
    assert_eq!(
        verify_path(&leaf, &[int], &[p.root], &lenient).unwrap_err(),
        Error::CaLacksKeyCertSign {
            depth: 1,
            subject: "CN=No keyCertSign".into()
        }
    );
}

#[test]
fn key_usage_rules_allof_and_absent_extension() {
    let p = pki();
    let no_ku = CertificateBuilder::end_entity("CN=No KU", 12)
        .key_usage(None)
        .issue(leaf_pub(&key(12)), &p.int, &p.int_key)
        .unwrap();
    let both =
        RequiredUsage::AllOf(KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::KEY_ENCIPHERMENT));
    // RFC 5280 §4.2.1.3: without the extension the key is not restricted.
    verify_path(
        &no_ku,
        &[p.int.clone()],
        &[p.root.clone()],
        &options().require(both),
    )
    .unwrap();
    assert_eq!(
        verify_path(&p.leaf, &[p.int], &[p.root], &options().require(both)).unwrap_err(),
        Error::KeyUsage {
            required: both,
            present: KeyUsages::DIGITAL_SIGNATURE.union(KeyUsages::NON_REPUDIATION),
        }
    );
}

#[test]
fn ca_certificate_as_end_entity_is_invalid_ca_at_depth_0() {
    let p = pki();
    assert_eq!(
        verify_path(&p.int, &[], &[p.root], &options()).unwrap_err(),
        Error::InvalidCa {
            depth: 0,
            subject: "C=CN, O=Test, CN=Intermediate".into(),
            reason: "the end-entity certificate is a CA (basicConstraints CA TRUE)",
        }
    );
}

#[test]
fn custom_sm2_id_is_supported_without_statics() {
    let id = DistId::new(b"ALICE123@YAHOO.COM".to_vec()).unwrap();
    let root_key = SigningKey::new(SecretKey::from_bytes(&[21; 32]).unwrap(), id.clone());
    let root = CertificateBuilder::ca("CN=Alice Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Alice", 2)
        .issue(leaf_pub(&key(22)), &root, &root_key)
        .unwrap();
    let path = verify_path(&leaf, &[], &[root.clone()], &options().sm2_id(id.clone())).unwrap();
    assert_eq!(path.sm2_id(), &id);
    assert_eq!(
        verify_path(&leaf, &[], &[root], &options()).unwrap_err(),
        Error::BadSignature {
            depth: 0,
            subject: "CN=Alice".into()
        }
    );
}

#[test]
fn revocation_unknown_status_policy_and_chain_depth() {
    let p = pki();
    let other_key = key(30);
    let other = CertificateBuilder::ca("CN=Other CA", 30)
        .self_signed(&other_key)
        .unwrap();
    let unrelated = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&other, &other_key)
        .unwrap();
    let chain = |options: VerifyOptions| {
        verify_path(&p.leaf, &[p.int.clone()], &[p.root.clone()], &options)
    };
    chain(options().crls(vec![unrelated.clone()])).unwrap();
    assert_eq!(
        chain(
            options()
                .crls(vec![unrelated])
                .revocation(RevocationDepth::EndEntity, UnknownStatus::Deny)
        )
        .unwrap_err(),
        Error::RevocationStatusUnknown { depth: 0 }
    );
    let int_crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.int, &p.int_key)
        .unwrap();
    chain(
        options()
            .crls(vec![int_crl.clone()])
            .revocation(RevocationDepth::EndEntity, UnknownStatus::Deny),
    )
    .unwrap();
    assert_eq!(
        chain(
            options()
                .crls(vec![int_crl.clone()])
                .revocation(RevocationDepth::Chain, UnknownStatus::Deny)
        )
        .unwrap_err(),
        Error::RevocationStatusUnknown { depth: 1 }
    );
    let root_crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.root, &p.root_key)
        .unwrap();
    chain(
        options()
            .crls(vec![int_crl, root_crl])
            .revocation(RevocationDepth::Chain, UnknownStatus::Deny),
    )
    .unwrap();
}

#[test]
fn rfc5280_6_3_3_crl_past_next_update() {
    let p = pki();
    let stale = CrlBuilder::new(time(AT - 200), time(AT - 100))
        .sign(&p.int, &p.int_key)
        .unwrap();
    assert_eq!(stale.next_update(), Some(time(AT - 100)));
    assert_eq!(
        verify_path(
            &p.leaf,
            &[p.int.clone()],
            &[p.root.clone()],
            &options().crls(vec![stale])
        )
        .unwrap_err(),
        Error::CrlExpired {
            issuer: "C=CN, O=Test, CN=Intermediate".into(),
            next_update: time(AT - 100),
            at: time(AT)
        }
    );
}

#[test]
fn crl_signed_by_the_wrong_key_is_rejected() {
    let p = pki();
    // A CRL that names the intermediate as issuer but is signed with the root's key.
    let forged = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.int, &p.root_key)
        .unwrap();
    assert_eq!(
        forged.verify_signed_by(&p.int, &DistId::DEFAULT),
        Err(Error::CrlBadSignature {
            issuer: "C=CN, O=Test, CN=Intermediate".into()
        })
    );
    assert_eq!(
        verify_path(
            &p.leaf,
            &[p.int.clone()],
            &[p.root.clone()],
            &options().crls(vec![forged])
        )
        .unwrap_err(),
        Error::CrlBadSignature {
            issuer: "C=CN, O=Test, CN=Intermediate".into()
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs: precise errors, quickly, never a panic.

#[test]
fn issuer_name_loop_ends_quickly_with_unknown_issuer() {
    let (a_key, b_key) = (key(40), key(41));
    let a0 = CertificateBuilder::ca("CN=Loop A", 40)
        .self_signed(&a_key)
        .unwrap();
    let b0 = CertificateBuilder::ca("CN=Loop B", 41)
        .self_signed(&b_key)
        .unwrap();
    // A is issued by B and B by A: a cycle of issuer names with valid signatures.
    let a = CertificateBuilder::ca("CN=Loop A", 42)
        .issue(leaf_pub(&a_key), &b0, &b_key)
        .unwrap();
    let b = CertificateBuilder::ca("CN=Loop B", 43)
        .issue(leaf_pub(&b_key), &a0, &a_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Looped leaf", 44)
        .issue(leaf_pub(&key(44)), &a, &a_key)
        .unwrap();
    let unrelated = pki().root;
    let start = std::time::Instant::now();
    let err = verify_path(&leaf, &[a, b], &[unrelated], &options()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(
        err,
        Error::UnknownIssuer {
            depth: 2,
            issuer: "CN=Loop A".into()
        }
    );
}

#[test]
fn a_thousand_intermediates_are_refused_up_front() {
    let p = pki();
    let pool = vec![p.int.clone(); 1000];
    let start = std::time::Instant::now();
    assert_eq!(
        verify_path(&p.leaf, &pool, &[p.root], &options()).unwrap_err(),
        Error::TooManyCertificates {
            what: "intermediate certificates",
            limit: 64
        }
    );
    assert!(start.elapsed() < Duration::from_millis(500));
}

#[test]
fn sixty_four_same_name_decoys_end_within_the_budget() {
    let p = pki();
    let decoys: Vec<Certificate> = (0..64u8)
        .map(|i| {
            CertificateBuilder::ca("C=CN, O=Test, CN=Intermediate", 100 + u64::from(i))
                .issue(leaf_pub(&key(100 + i)), &p.root, &p.root_key)
                .unwrap()
        })
        .collect();
    let start = std::time::Instant::now();
    let err = verify_path(&p.leaf, &decoys, &[p.root], &options()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    // 64 checks of the leaf plus the decoys' own checks under the root exceed webpki's budget
    // of 100 signature checks (its `Budget`, STYLE point 11).
    assert_eq!(
        err,
        Error::BudgetExceeded {
            budget: "signature checks (100)"
        }
    );
}

#[test]
fn truncated_wrong_tag_and_huge_length_der_give_malformed() {
    let der = interop_cert("std/leaf-good.pem").der().to_vec();
    for len in [0, 1, 2, 4, 10, 100, der.len() - 1] {
        assert!(
            matches!(
                Certificate::from_der(&der[..len]),
                Err(Error::Malformed {
                    what: "certificate",
                    ..
                })
            ),
            "truncated to {len}"
        );
    }
    let mut wrong_tag = der.clone();
    wrong_tag[0] = 0x31;
    assert!(matches!(
        Certificate::from_der(&wrong_tag),
        Err(Error::Malformed {
            what: "certificate",
            ..
        })
    ));
    let huge = [0x30, 0x84, 0xff, 0xff, 0xff, 0xf0, 0x30, 0x00];
    assert!(matches!(
        Certificate::from_der(&huge),
        Err(Error::Malformed {
            what: "certificate",
            ..
        })
    ));
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(matches!(
        Certificate::from_der(&trailing),
        Err(Error::Malformed {
            what: "certificate",
            ..
        })
    ));
    assert_eq!(
        Certificate::from_der(&vec![0x30; smtrust::pki::MAX_CERTIFICATE_LEN + 1]).unwrap_err(),
        Error::TooLarge {
            what: "certificate",
            len: smtrust::pki::MAX_CERTIFICATE_LEN + 1,
            limit: smtrust::pki::MAX_CERTIFICATE_LEN
        }
    );
    assert!(matches!(
        Certificate::from_pem(&pki_file("std/int.crl.pem")),
        Err(Error::Malformed { what: "PEM certificate", reason }) if reason.contains("X509 CRL")
    ));
}

#[test]
fn truncated_and_wrong_crls_give_malformed() {
    let crl = Crl::from_pem(&pki_file("std/int.crl.pem")).unwrap();
    assert_eq!(crl.len(), 1);
    let der = crl.der().to_vec();
    for len in [0, 3, 50, der.len() - 1] {
        assert!(
            matches!(
                Crl::from_der(&der[..len]),
                Err(Error::Malformed { what: "CRL", .. })
            ),
            "{len}"
        );
    }
    let cert = interop_cert("std/root.pem");
    assert!(matches!(
        Crl::from_der(cert.der()),
        Err(Error::Malformed { what: "CRL", .. })
    ));
    assert!(matches!(
        Crl::from_pem(&pki_file("std/root.pem")),
        Err(Error::Malformed {
            what: "PEM CRL",
            ..
        })
    ));
    assert_eq!(
        Crl::from_der(&vec![0x30; smtrust::pki::MAX_CRL_LEN + 1]).unwrap_err(),
        Error::TooLarge {
            what: "CRL",
            len: smtrust::pki::MAX_CRL_LEN + 1,
            limit: smtrust::pki::MAX_CRL_LEN
        }
    );
}

/// The stable stand-in for the fuzz targets: every file under test-vectors/interop/pki, and
/// 2,000 mutations of them (fixed seed), go through the same parse entry points as
/// `fuzz/fuzz_targets/{certificate,crl}.rs` without a panic.
#[test]
fn parsers_survive_every_interop_file_and_seeded_mutations() {
    use rand_chacha::ChaCha20Rng;
    use rand_core::{Rng, SeedableRng};

    let mut inputs = Vec::new();
    for dir in ["std", "emptyid", "keys"] {
        for entry in std::fs::read_dir(vectors().join("interop/pki").join(dir)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let _ = Certificate::from_pem(text);
                let _ = Crl::from_pem(text);
                if let Ok((_, der)) = der::pem::decode_vec(text.trim().as_bytes()) {
                    inputs.push(der);
                }
            }
            let _ = Certificate::from_der(&bytes);
            let _ = Crl::from_der(&bytes);
        }
    }
    assert!(inputs.len() >= 50);
    let mut rng = ChaCha20Rng::seed_from_u64(0x5eed_0001);
    for round in 0..2000 {
        let mut bytes = inputs[round % inputs.len()].clone();
        match rng.next_u32() % 3 {
            0 => {
                let at = (rng.next_u32() as usize) % bytes.len();
                bytes[at] ^= 1 << (rng.next_u32() % 8);
            }
            1 => bytes.truncate((rng.next_u32() as usize) % bytes.len()),
            _ => {
                let at = (rng.next_u32() as usize) % bytes.len();
                bytes[at] = 0xff;
            }
        }
        let _ = Certificate::from_der(&bytes);
        let _ = Crl::from_der(&bytes);
    }
}

#[test]
fn key_usages_display_and_rules() {
    assert_eq!(KeyUsages::NONE.to_string(), "(none)");
    assert_eq!(
        KeyUsages::KEY_CERT_SIGN
            .union(KeyUsages::DECIPHER_ONLY)
            .to_string(),
        "keyCertSign, decipherOnly"
    );
    assert!(RequiredUsage::SIGNING.is_met_by(Some(KeyUsages::NON_REPUDIATION)));
    assert!(!RequiredUsage::SIGNING.is_met_by(Some(KeyUsages::KEY_AGREEMENT)));
    assert!(RequiredUsage::SIGNING.is_met_by(None));
    assert!(RequiredUsage::Any.is_met_by(Some(KeyUsages::NONE)));
    assert_eq!(
        RequiredUsage::SIGNING.to_string(),
        "one of [digitalSignature, nonRepudiation]"
    );
    assert_eq!(KeyUsages::from_bits(0xffff).bits(), 0x01ff);
}

#[test]
fn revocation_reason_codes_round_trip_rfc5280_5_3_1() {
    for code in 0..=10u8 {
        match RevocationReason::from_code(code) {
            Some(reason) => assert_eq!(reason.code(), code),
            None => assert_eq!(code, 7),
        }
    }
    assert_eq!(RevocationReason::from_code(11), None);
}

// ---------------------------------------------------------------------------------------------
// RSA and ECDSA chains through ring (test-vectors/pki-ring).

fn ring_cert(name: &str) -> Certificate {
    Certificate::from_pem(&std::fs::read_to_string(vectors().join("pki-ring").join(name)).unwrap())
        .unwrap()
}

#[test]
fn ring_ecdsa_p256_and_rsa_2048_chains_verify() {
    for kind in ["ec", "rsa"] {
        let leaf = ring_cert(&format!("{kind}-leaf.pem"));
        let root = ring_cert(&format!("{kind}-root.pem"));
        let at = time(leaf.not_before().as_secs() + 86_400);
        let path = verify_path(
            &leaf,
            &[],
            &[root.clone()],
            &VerifyOptions::new(at).require(RequiredUsage::SIGNING),
        )
        .unwrap();
        assert_eq!(path.trust_anchor(), &root, "{kind}");
        assert_eq!(
            leaf.verify_signed_by(&root, &DistId::DEFAULT),
            Ok(()),
            "{kind}"
        );
        assert!(
            matches!(leaf.sm2_public_key(), Err(Error::NotSm2Key { .. })),
            "{kind}"
        );
    }
}

#[test]
fn ring_leaf_under_the_wrong_root_fails() {
    let leaf = ring_cert("ec-leaf.pem");
    let at = time(leaf.not_before().as_secs() + 86_400);
    // The RSA root has another name: no issuer at all.
    assert_eq!(
        verify_path(
            &leaf,
            &[],
            &[ring_cert("rsa-root.pem")],
            &VerifyOptions::new(at)
        )
        .unwrap_err(),
        Error::UnknownIssuer {
            depth: 0,
            issuer: "C=CN, O=smtrust test, CN=ECDSA P-256 Root".into()
        }
    );
    // An ECDSA signature checked with an RSA key: no algorithm matches.
    assert!(matches!(
        leaf.verify_signed_by(&ring_cert("rsa-root.pem"), &DistId::DEFAULT),
        Err(Error::UnsupportedSignatureAlgorithm { .. })
    ));
    // The leaf is not an issuer of anything.
    assert!(matches!(
        ring_cert("rsa-leaf.pem").verify_signed_by(&leaf, &DistId::DEFAULT),
        Err(Error::UnsupportedSignatureAlgorithm { .. })
    ));
}

#[test]
fn rfc5280_4_2_1_3_malformed_key_usage_value_is_an_invalid_extension() {
    let p = pki();
    let err = CertificateBuilder::end_entity("CN=Bad KU", 50)
        .key_usage(None)
        .extension("2.5.29.15", true, &[0x05, 0x00])
        .issue(leaf_pub(&key(50)), &p.int, &p.int_key)
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidExtension { ref subject, ref reason } if subject == "CN=Bad KU" && reason.starts_with("keyUsage")
    ));
}

#[test]
fn rfc5280_4_2_repeated_extension_is_an_invalid_extension() {
    let p = pki();
    let err = CertificateBuilder::end_entity("CN=Twice", 51)
        .extension("2.5.29.19", true, &[0x30, 0x00])
        .issue(leaf_pub(&key(51)), &p.int, &p.int_key)
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidExtension { ref reason, .. } if reason.starts_with("basicConstraints")
    ));
}

#[test]
fn builder_rejects_unknown_name_attributes_and_bad_oids() {
    let k = key(52);
    assert_eq!(
        CertificateBuilder::ca("XX=1", 1)
            .self_signed(&k)
            .unwrap_err(),
        Error::Build {
            what: "name",
            reason: "unknown attribute type XX".into()
        }
    );
    assert!(matches!(
        CertificateBuilder::ca("CN=ok", 1)
            .extension("not.an.oid", false, &[])
            .self_signed(&k),
        Err(Error::Build {
            what: "object identifier",
            ..
        })
    ));
}

#[test]
fn builder_output_is_deterministic_and_keeps_its_der() {
    let (a, b) = (pki(), pki());
    assert_eq!(a.leaf.der(), b.leaf.der());
    assert_eq!(Certificate::from_der(a.leaf.der()).unwrap(), a.leaf);
    let t = |s| time(s);
    let crl = CrlBuilder::new(t(AT), t(AT + 10)).revoke(
        &a.leaf,
        t(AT - 10),
        Some(RevocationReason::CessationOfOperation),
    );
    let (c1, c2) = (
        crl.sign(&a.int, &a.int_key).unwrap(),
        crl.sign(&a.int, &a.int_key).unwrap(),
    );
    assert_eq!(c1.der(), c2.der());
    assert_eq!(Crl::from_der(c1.der()).unwrap().this_update(), t(AT));
    assert_eq!(
        c1.entry_for(&a.leaf),
        Some(smtrust::pki::RevokedEntry {
            serial: vec![3],
            revoked_at: t(AT - 10),
            reason: Some(RevocationReason::CessationOfOperation)
        })
    );
    // The CRL lists the intermediate's serial space only: the root is not in it.
    assert_eq!(c1.entry_for(&a.int), None);
}

#[test]
fn expired_intermediate_is_named_at_depth_1() {
    let p = pki();
    let int_key = key(60);
    let int = CertificateBuilder::ca("CN=Old intermediate", 60)
        .validity(time(AT - 2000), time(AT - 1000))
        .issue(leaf_pub(&int_key), &p.root, &p.root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Leaf", 61)
        .issue(leaf_pub(&key(61)), &int, &int_key)
        .unwrap();
    assert_eq!(
        verify_path(&leaf, &[int], &[p.root], &options()).unwrap_err(),
        Error::Expired {
            depth: 1,
            subject: "CN=Old intermediate".into(),
            not_after: time(AT - 1000),
            at: time(AT)
        }
    );
}

#[test]
fn revoked_intermediate_is_found_when_the_whole_chain_is_checked() {
    let p = pki();
    let root_crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .revoke(&p.int, time(AT - 500), Some(RevocationReason::CaCompromise))
        .sign(&p.root, &p.root_key)
        .unwrap();
    let int_crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.int, &p.int_key)
        .unwrap();
    let crls = vec![int_crl, root_crl];
    let chain = |options: VerifyOptions| {
        verify_path(&p.leaf, &[p.int.clone()], &[p.root.clone()], &options)
    };
    // At the end entity only (the default), the intermediate's revocation is not looked at.
    chain(options().crls(crls.clone())).unwrap();
    assert_eq!(
        chain(
            options()
                .crls(crls)
                .revocation(RevocationDepth::Chain, UnknownStatus::Allow)
        )
        .unwrap_err(),
        Error::Revoked {
            serial: "02".into(),
            revoked_at: time(AT - 500),
            reason: Some(RevocationReason::CaCompromise)
        }
    );
}

#[test]
fn error_sentences_name_the_facts() {
    assert_eq!(
        Error::CaLacksKeyCertSign {
            depth: 1,
            subject: "CN=R".into()
        }
        .to_string(),
        "the CA at depth 1 (CN=R) is not allowed to sign certificates (keyUsage lacks keyCertSign)"
    );
    assert_eq!(
        Error::KeyUsage {
            required: RequiredUsage::SIGNING,
            present: KeyUsages::KEY_ENCIPHERMENT
        }
        .to_string(),
        "the key usage keyEncipherment of the end-entity certificate does not meet the requirement \
         one of [digitalSignature, nonRepudiation]"
    );
    assert_eq!(
        Error::TooManyCertificates {
            what: "intermediate certificates",
            limit: 64
        }
        .to_string(),
        "more than 64 intermediate certificates were offered; path building looks at no more"
    );
}

/// README "pki/": `keys/*.key.pem` are the private keys of the certificates with the same
/// name, in both flavours (identical TBS contents); `fake-int` is the key that signed
/// `leaf-wrongkey` under the intermediate's name.
#[test]
fn interop_keys_belong_to_their_certificates_in_both_flavours() {
    let mut checked = 0;
    for entry in std::fs::read_dir(vectors().join("interop/pki/keys")).unwrap() {
        let path = entry.unwrap().path();
        let name = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".key.pem")
            .to_owned();
        let key = SecretKey::from_pem(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if name == "fake-int" {
            let int = interop_cert("std/int.pem");
            assert_ne!(int.sm2_public_key().unwrap(), key.public_key());
            // A stand-in certificate carrying the fake key proves who signed leaf-wrongkey.
            let fake = CertificateBuilder::ca(int.subject(), 99)
                .self_signed(&SigningKey::new(key, DistId::DEFAULT))
                .unwrap();
            let wrongkey = interop_cert("std/leaf-wrongkey.pem");
            assert_eq!(wrongkey.verify_signed_by(&fake, &DistId::DEFAULT), Ok(()));
            continue;
        }
        for flavour in ["std", "emptyid"] {
            let cert = interop_cert(&format!("{flavour}/{name}.pem"));
            assert_eq!(
                cert.sm2_public_key().unwrap(),
                key.public_key(),
                "{flavour}/{name}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 30);
}

/// The interop defects, remade at run time: pathLenConstraint 0 with two intermediates,
/// an issuer with CA FALSE, an issuer without basicConstraints (RFC 5280 §6.1.4 (k), (m)).
#[test]
fn builder_remakes_the_basic_constraints_defects() {
    let p = pki();
    let (a_key, b_key) = (key(70), key(71));
    let limited = CertificateBuilder::ca("CN=Pathlen 0", 70)
        .path_len(0)
        .issue(leaf_pub(&a_key), &p.root, &p.root_key)
        .unwrap();
    assert_eq!(limited.path_len_constraint(), Some(0));
    let sub = CertificateBuilder::ca("CN=Sub", 71)
        .issue(leaf_pub(&b_key), &limited, &a_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Deep", 72)
        .issue(leaf_pub(&key(72)), &sub, &b_key)
        .unwrap();
    assert_eq!(
        verify_path(
            &leaf,
            &[sub, limited.clone()],
            &[p.root.clone()],
            &options()
        )
        .unwrap_err(),
        Error::PathLengthExceeded {
            depth: 2,
            subject: "CN=Pathlen 0".into()
        }
    );
    // One intermediate below a pathlen-0 CA is fine.
    let leaf = CertificateBuilder::end_entity("CN=Shallow", 73)
        .issue(leaf_pub(&key(73)), &limited, &a_key)
        .unwrap();
    verify_path(&leaf, &[limited], &[p.root.clone()], &options()).unwrap();

    for (builder, has_bc) in [
        (CertificateBuilder::ca("CN=Not a CA", 74).not_ca(), true),
        (
            CertificateBuilder::ca("CN=No BC", 74).without_basic_constraints(),
            false,
        ),
    ] {
        let issuer = builder
            .issue(leaf_pub(&a_key), &p.root, &p.root_key)
            .unwrap();
        assert!(!issuer.is_ca());
        assert_eq!(issuer.has_basic_constraints(), has_bc);
        let leaf = CertificateBuilder::end_entity("CN=Under", 75)
            .issue(leaf_pub(&key(75)), &issuer, &a_key)
            .unwrap();
        assert!(matches!(
            verify_path(&leaf, &[issuer.clone()], &[p.root.clone()], &options()).unwrap_err(),
            Error::InvalidCa { depth: 1, ref subject, .. } if subject == issuer.subject()
        ));
    }
}

#[test]
fn builder_serial_that_is_not_der_is_refused() {
    let k = key(80);
    for serial in [&[][..], &[0x00, 0x01][..], &[0xff, 0x80][..]] {
        assert!(
            matches!(
                CertificateBuilder::ca("CN=Bad serial", 1)
                    .serial_bytes(serial)
                    .self_signed(&k),
                Err(Error::Malformed {
                    what: "certificate",
                    ..
                })
            ),
            "{serial:02x?}"
        );
    }
}

/// webpki has no notion of a directly trusted end entity. A self-signed CA used as its own
/// signer (SEAL-SPEC D10, dms360) is refused as an end entity (RFC 5280 §4.2.1.9 via webpki's
/// `CaUsedAsEndEntity`); a self-signed non-CA end entity listed as an anchor passes webpki,
/// which finds it as its own issuer by name and key, and then meets our keyCertSign check.
#[test]
fn self_signed_certificates_as_end_entities_d10() {
    let p = pki();
    assert_eq!(
        verify_path(&p.root, &[], &[p.root.clone()], &options()).unwrap_err(),
        Error::InvalidCa {
            depth: 0,
            subject: "C=CN, O=Test, CN=Root".into(),
            reason: "the end-entity certificate is a CA (basicConstraints CA TRUE)",
        }
    );
    let own_key = key(90);
    let own = CertificateBuilder::end_entity("CN=Self-signed signer", 90)
        .self_signed(&own_key)
        .unwrap();
    // As its own anchor it lacks keyCertSign: our check (not webpki's) names it.
    assert_eq!(
        verify_path(&own, &[], &[own.clone()], &options()).unwrap_err(),
        Error::CaLacksKeyCertSign {
            depth: 1,
            subject: "CN=Self-signed signer".into()
        }
    );
    let lenient = options().accept_root_without_key_cert_sign_for_legacy_use_only();
    let path = verify_path(&own, &[], &[own.clone()], &lenient).unwrap();
    assert_eq!(path.certificates(), [&own, &own]);
    assert_eq!(
        verify_path(&own, &[], &[p.root], &options()).unwrap_err(),
        Error::UnknownIssuer {
            depth: 0,
            issuer: "CN=Self-signed signer".into()
        }
    );
}

#[test]
fn forged_root_crl_is_named_when_the_whole_chain_is_checked() {
    let p = pki();
    let int_crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.int, &p.int_key)
        .unwrap();
    // Names the root as issuer, signed with the intermediate's key.
    let forged = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&p.root, &p.int_key)
        .unwrap();
    assert_eq!(
        verify_path(
            &p.leaf,
            &[p.int.clone()],
            &[p.root.clone()],
            &options()
                .crls(vec![int_crl, forged])
                .revocation(RevocationDepth::Chain, UnknownStatus::Allow)
        )
        .unwrap_err(),
        Error::CrlBadSignature {
            issuer: "C=CN, O=Test, CN=Root".into()
        }
    );
}

#[test]
fn rfc5280_6_3_3_f_crl_issuer_without_crl_sign() {
    let p = pki();
    let int_key = key(95);
    let int = CertificateBuilder::ca("CN=No cRLSign", 95)
        .key_usage(Some(KeyUsages::KEY_CERT_SIGN))
        .issue(leaf_pub(&int_key), &p.root, &p.root_key)
        .unwrap();
    let leaf = CertificateBuilder::end_entity("CN=Leaf", 96)
        .issue(leaf_pub(&key(96)), &int, &int_key)
        .unwrap();
    let crl = CrlBuilder::new(time(AT - 100), time(AT + 100))
        .sign(&int, &int_key)
        .unwrap();
    verify_path(&leaf, &[int.clone()], &[p.root.clone()], &options()).unwrap();
    assert_eq!(
        verify_path(&leaf, &[int], &[p.root], &options().crls(vec![crl])).unwrap_err(),
        Error::CrlIssuerLacksCrlSign {
            issuer: "CN=No cRLSign".into()
        }
    );
}
