//! Every seal and seal signature in test-vectors/seals/ (MANIFEST.md) gives the result the
//! MANIFEST records, check by check, with the deviations of SEAL-SPEC §5 as warnings.
//!
//! Check order in a seal-signature report: structure, seal_maker_signature, seal_maker_chain,
//! seal_validity, signer_listed_in_seal, signature, data_hash, signer_chain, timestamp; in a
//! seal report: structure, seal_maker_signature, seal_maker_chain, seal_validity, timestamp.
//! The statuses are written P (pass), F (fail), N (not checked).

mod common;

use std::time::Duration;

use common::vector_path;
use smtrust::pki::{Certificate, UnixTime};
use smtrust::seal::{
    CertList, CheckName, Error, Report, Seal, SealSignature, SealVersion, Status, TimeInfo,
    Verdict, VerifyOptions, verify_der,
};

fn read(file: &str) -> Vec<u8> {
    std::fs::read(vector_path(&format!("seals/{file}"))).unwrap()
}

fn ofdrw_root() -> Certificate {
    let pem = String::from_utf8(read("derived_ROOT_cert.pem")).unwrap();
    Certificate::from_pem(&pem).unwrap()
}

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

/// The report's statuses as letters, in report order.
fn statuses(report: &Report) -> String {
    report
        .checks()
        .iter()
        .map(|c| match c.status {
            Status::Pass => "P",
            Status::Fail => "F",
            Status::NotChecked => "N",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The warning codes, sorted and deduplicated.
fn codes(report: &Report) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = report.warnings().iter().map(|w| w.code()).collect();
    codes.sort_by_key(|c| c[1..].parse::<u32>().unwrap());
    codes.dedup();
    codes
}

/// (signature file, original document, statuses, warning codes, verdict) with no trust anchor.
/// One expected signature result.
type SignatureCase = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static [&'static str],
    Verdict,
);

const SIGNATURES: [SignatureCase; 8] = [
    // Real gomain v4 signature: everything that can be checked passes; dataHash =
    // SM3(Signature.xml); the certificates write NULL parameters (D1), the picture is an OFD (D4).
    (
        "ofdsharp_SignedValue.dat",
        Some("ofdsharp_Signature.xml"),
        "P P N P P P P N N",
        &["D1", "D4"],
        Verdict::Indeterminate,
    ),
    (
        "x_signedFile_SignedValue.dat",
        Some("x_signedFile_Signature.xml"),
        "P P N P P P P N N",
        &["D1", "D3", "D4"],
        Verdict::Indeterminate,
    ),
    (
        "x_v4signed_SignedValue.dat",
        Some("x_v4signed_Signature.xml"),
        "P P N P P P P N N",
        &["D1", "D3", "D4"],
        Verdict::Indeterminate,
    ),
    // AntChain: maker = signer = certList cert (D10).
    (
        "x_SignScaleError_SignedValue.dat",
        Some("x_SignScaleError_Signature.xml"),
        "P P N P P P P N N",
        &["D1", "D4", "D10"],
        Verdict::Indeterminate,
    ),
    // oesplugin: raw r‖s signature (D9), verifies after conversion.
    (
        "x_keyword_Sign1_SignedValue.dat",
        Some("x_keyword_Sign1_Signature.xml"),
        "P P N P P P P N N",
        &["D1", "D9"],
        Verdict::Indeterminate,
    ),
    // dms360 v1: certList holds IA5String "1" (D12), text timeInfo (D15), maker = signer (D10),
    // signature only over dataHash without Z (D13).
    (
        "x_n_SignedValue.dat",
        None,
        "P P N P N P N N N",
        &["D10", "D12", "D13", "D15"],
        Verdict::Indeterminate,
    ),
    // ofdrw: dataHash is a zero placeholder (D16), so it does not match the Signature.xml.
    (
        "ofdrw_SignedValueV4.dat",
        Some("ofdrw_gm_Signature.xml"),
        "P P N P P P F N N",
        &["D16"],
        Verdict::Invalid,
    ),
    (
        "ofdrw_SignedValueV5.dat",
        None,
        "P P N P P P N N N",
        &["D16"],
        Verdict::Indeterminate,
    ),
];

/// (seal file, statuses, warning codes, verdict) with no trust anchor and no time.
const SEALS: [(&str, &str, &[&str], Verdict); 8] = [
    ("ofdrw_UserV1.esl", "P P N N N", &[], Verdict::Indeterminate),
    ("ofdrw_UserV4.esl", "P P N N N", &[], Verdict::Indeterminate),
    ("ofdrw_UserV5.esl", "P P N N N", &[], Verdict::Indeterminate),
    (
        "ofdrw_UserV5_ts.esl",
        "P P N N N",
        &[],
        Verdict::Indeterminate,
    ),
    // Hebei Gede: the maker signature verifies under no hypothesis (D11); explicit FALSE (D3).
    (
        "ofdrw_SESealData.DER",
        "P F N N N",
        &["D1", "D3"],
        Verdict::Invalid,
    ),
    (
        "ofdsharp_Seal.esl",
        "P P N N N",
        &["D1", "D4"],
        Verdict::Indeterminate,
    ),
    (
        "x_n_Seal.esl",
        "P P N N N",
        &["D12"],
        Verdict::Indeterminate,
    ),
    (
        "x_keyword_Sign1_Seal.esl",
        "P P N N N",
        &["D1"],
        Verdict::Indeterminate,
    ),
];

#[test]
fn every_sample_signature_gives_the_manifest_result() {
    for (file, document, expected, warnings, verdict) in SIGNATURES {
        let document = document.map(read);
        let report = verify_der(&read(file), document.as_deref(), &VerifyOptions::new());
        assert_eq!(statuses(&report), expected, "{file}\n{report}");
        assert_eq!(codes(&report), warnings, "{file}\n{report}");
        assert_eq!(report.verdict(), verdict, "{file}\n{report}");
    }
}

#[test]
fn every_sample_seal_gives_the_manifest_result() {
    for (file, expected, warnings, verdict) in SEALS {
        let report = verify_der(&read(file), None, &VerifyOptions::new());
        assert_eq!(statuses(&report), expected, "{file}\n{report}");
        assert_eq!(codes(&report), warnings, "{file}\n{report}");
        assert_eq!(report.verdict(), verdict, "{file}\n{report}");
    }
}

#[test]
fn dms360_v1_signature_verifies_only_over_data_hash_d13() {
    let report = verify_der(&read("x_n_SignedValue.dat"), None, &VerifyOptions::new());
    let line = report.check(CheckName::Signature).unwrap();
    assert_eq!(line.status, Status::Pass);
    assert!(line.detail.contains("without Z (D13)"), "{}", line.detail);
    let signature = SealSignature::from_der(&read("x_n_SignedValue.dat")).unwrap();
    assert_eq!(signature.version(), SealVersion::V1);
    assert_eq!(
        signature.time_info(),
        &TimeInfo::Text("2020-01-25T07:31:56.377Z".into(), at(1_579_937_516))
    );
    assert_eq!(
        signature.seal().cert_list(),
        &CertList::Certificates(vec![])
    );
}

#[test]
fn hebei_gede_maker_signature_fails_d11() {
    let seal = Seal::from_der(&read("ofdrw_SESealData.DER")).unwrap();
    assert_eq!(seal.vendor(), "Vid HebeiGede");
    assert_eq!(seal.id(), "esID130600");
    let report = seal.verify(&VerifyOptions::new());
    let line = report.check(CheckName::SealMakerSignature).unwrap();
    assert_eq!(line.status, Status::Fail);
    assert!(line.detail.contains("D11"), "{}", line.detail);
}

#[test]
fn ofdrw_chains_verify_with_the_legacy_root_d16() {
    // The ofdrw root lacks keyCertSign (D16): accepted only when the caller opts in.
    let options = VerifyOptions::new()
        .trust_anchors(vec![ofdrw_root()])
        .accept_root_without_key_cert_sign_for_legacy_use_only();
    let report = verify_der(&read("ofdrw_SignedValueV4.dat"), None, &options);
    // Chains at the signing time 2020-10-12T11:14:03Z; dataHash cannot be compared.
    assert_eq!(statuses(&report), "P P P P P P N P N", "{report}");
    assert_eq!(report.verdict(), Verdict::Indeterminate);
    assert_eq!(codes(&report), ["D16"]);

    let strict = VerifyOptions::new().trust_anchors(vec![ofdrw_root()]);
    let report = verify_der(&read("ofdrw_SignedValueV4.dat"), None, &strict);
    assert_eq!(statuses(&report), "P P F P P P N F N", "{report}");
    let line = report.check(CheckName::SignerChain).unwrap();
    assert!(line.detail.contains("keyCertSign"), "{}", line.detail);
    assert_eq!(report.verdict(), Verdict::Invalid);
}

#[test]
fn ofdrw_seals_are_valid_at_a_time_inside_their_period() {
    let options = VerifyOptions::new()
        .trust_anchors(vec![ofdrw_root()])
        .accept_root_without_key_cert_sign_for_legacy_use_only()
        .at(at(1_602_501_243));
    for file in ["ofdrw_UserV1.esl", "ofdrw_UserV4.esl"] {
        let report = verify_der(&read(file), None, &options);
        assert_eq!(statuses(&report), "P P P P N", "{file}\n{report}");
        assert_eq!(report.verdict(), Verdict::Valid, "{file}");
    }
    // The v5 seals were made in 2026: outside their validity in 2020.
    let report = verify_der(&read("ofdrw_UserV5.esl"), None, &options);
    assert_eq!(statuses(&report), "P P P F N", "{report}");
    assert_eq!(report.verdict(), Verdict::Invalid);
}

#[test]
fn seal_timestamp_placeholder_is_not_checked_without_anchors_and_fails_with_them() {
    // GM/T 0031-2025 SESeal.timeStamp (SEAL-SPEC §4): ofdrw's test token is the 3 bytes 01 02 03.
    let seal = Seal::from_der(&read("ofdrw_UserV5_ts.esl")).unwrap();
    assert_eq!(seal.version(), SealVersion::V5);
    assert_eq!(seal.timestamp(), Some(&[1u8, 2, 3][..]));
    let report = seal.verify(&VerifyOptions::new());
    let line = report.check(CheckName::Timestamp).unwrap();
    assert_eq!(line.status, Status::NotChecked);
    assert_eq!(
        line.detail,
        "a token (3 bytes) over the maker's signature value is present, but no trust anchor for TSAs was given"
    );
    let anchored = VerifyOptions::new().tsa_trust_anchors(vec![ofdrw_root()]);
    let report = seal.verify(&anchored);
    let line = report.check(CheckName::Timestamp).unwrap();
    assert_eq!(line.status, Status::Fail);
    let error = smtrust::tsp::verify_token(
        &[1, 2, 3],
        seal.maker_signature(),
        &smtrust::tsp::VerifyOptions::new(vec![ofdrw_root()]),
    )
    .unwrap_err();
    assert_eq!(
        line.detail,
        format!("the token over the maker's signature value does not verify: {error}")
    );
    let plain = Seal::from_der(&read("ofdrw_UserV5.esl")).unwrap();
    assert_eq!(plain.timestamp(), None);
    assert_eq!(
        plain
            .verify(&VerifyOptions::new())
            .check(CheckName::Timestamp)
            .unwrap()
            .detail,
        "no timestamp"
    );
}

#[test]
fn signed_bytes_are_the_original_tlvs() {
    // v4: the maker signs SES_SealInfo as it appears in the file (SEAL-SPEC §2.1, §6).
    let der = read("ofdrw_UserV4.esl");
    let seal = Seal::from_der(&der).unwrap();
    let info = seal.maker_signed_bytes();
    assert_eq!(&der[4..4 + info.len()], info);
    // v1: a new SEQUENCE around the original sealInfo, cert and algorithm TLVs (§3).
    let seal = Seal::from_der(&read("ofdrw_UserV1.esl")).unwrap();
    assert_eq!(seal.maker_signed_bytes()[0], 0x30);
    // The signature's TBS_Sign is the first element of SES_Signature.
    let der = read("ofdsharp_SignedValue.dat");
    let signature = SealSignature::from_der(&der).unwrap();
    let tbs = signature.tbs_bytes();
    assert_eq!(&der[4..4 + tbs.len()], tbs);
    assert_eq!(signature.seal().der(), read("ofdsharp_Seal.esl"));
}

#[test]
fn pictures_are_extracted() {
    let seal = Seal::from_der(&read("ofdsharp_Seal.esl")).unwrap();
    let picture = seal.picture();
    assert_eq!(picture.kind, "ofd");
    assert_eq!((picture.width, picture.height), (30, 20));
    assert_eq!(picture.format(), Some(smtrust::seal::PictureFormat::Ofd));
    assert_eq!(
        picture.sniffed_format(),
        Some(smtrust::seal::PictureFormat::Ofd)
    );
    let seal = Seal::from_der(&read("ofdrw_SESealData.DER")).unwrap();
    assert_eq!(
        seal.picture().sniffed_format(),
        Some(smtrust::seal::PictureFormat::Gif)
    );
}

// Negative structure tests: each malformed input gives the exact error.

#[test]
fn truncated_seal_is_malformed() {
    let der = read("ofdrw_UserV4.esl");
    let err = Seal::from_der(&der[..der.len() - 1]).unwrap_err();
    assert!(
        matches!(&err, Error::Malformed { what: "seal", reason } if reason.contains("exceeds")),
        "{err}"
    );
}

#[test]
fn trailing_bytes_are_malformed() {
    let mut der = read("ofdrw_UserV4.esl");
    der.push(0);
    let err = Seal::from_der(&der).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            what: "seal",
            reason: "outer element: 1 unexpected bytes follow".into()
        }
    );
}

#[test]
fn three_element_seal_is_malformed() {
    // SEQUENCE { SEQUENCE {}, OCTET STRING {}, OID 1.2 }: no version has three elements.
    let der = [0x30, 0x07, 0x30, 0x00, 0x04, 0x00, 0x06, 0x01, 0x2a];
    let err = Seal::from_der(&der).unwrap_err();
    assert!(
        matches!(&err, Error::Malformed { what: "seal", reason } if reason.starts_with("SESeal has 3 elements")),
        "{err}"
    );
}

#[test]
fn seal_header_must_say_es() {
    let mut der = read("ofdrw_UserV4.esl");
    let at = der
        .windows(4)
        .position(|w| w == [0x16, 0x02, b'E', b'S'])
        .unwrap();
    der[at + 3] = b'X';
    let err = Seal::from_der(&der).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            what: "seal",
            reason: "SES_Header.id is \"EX\", not \"ES\"".into()
        }
    );
}

#[test]
fn a_seal_is_not_a_seal_signature() {
    let err = SealSignature::from_der(&read("ofdrw_UserV4.esl")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Malformed {
                what: "seal signature",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn oversized_input_is_refused() {
    let der = vec![0u8; smtrust::seal::MAX_SEAL_LEN + 1];
    assert_eq!(
        SealSignature::from_der(&der).unwrap_err(),
        Error::TooLarge {
            what: "seal signature",
            len: smtrust::seal::MAX_SEAL_LEN + 1,
            limit: smtrust::seal::MAX_SEAL_LEN
        }
    );
}

#[test]
fn garbage_gives_a_failed_structure_line() {
    let report = verify_der(b"not a seal", None, &VerifyOptions::new());
    assert_eq!(statuses(&report), "F");
    assert_eq!(
        report.check(CheckName::Structure).unwrap().status,
        Status::Fail
    );
    assert_eq!(report.verdict(), Verdict::Invalid);
    assert!(report.to_json().starts_with(r#"{"verdict":"invalid","checks":[{"check":"structure","status":"fail","detail":"neither a seal signature"#));
}
