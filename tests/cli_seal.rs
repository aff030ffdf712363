//! `smtrust seal make | sign | verify | show` (examples/smtrust): the CLI contract's exit
//! statuses (0 valid, 1 invalid, 2 input error, 3 indeterminate), the JSON report shape, and
//! picture extraction. Keys and certificates are the ofdrw test PKI (test-vectors/seals,
//! MANIFEST.md: SealBuilder makes seals, USER signs, ROOT lacks keyCertSign, D16).

mod common;

use std::process::Output;

use common::cli::{Dir, assert_one_line_reason, assert_status, run as smtrust};
use common::vector_path;
use serde_json::Value;

fn vector(file: &str) -> String {
    vector_path(&format!("seals/{file}"))
        .to_str()
        .unwrap()
        .to_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&output.stdout)))
}

const PICTURE: &[u8] = b"\x89PNG\r\n\x1a\n-- cli stamp --";
const DOCUMENT: &[u8] = b"<Signature>form 2021-0001</Signature>";

/// Makes a seal (v4 or v1) and signs DOCUMENT with it; returns (seal, signature, document).
fn make_and_sign(dir: &Dir, v1: bool) -> (String, String, String) {
    let (picture, seal, signature, document) = (
        dir.path("stamp.png"),
        dir.path("seal.esl"),
        dir.path("SignedValue.dat"),
        dir.path("Signature.xml"),
    );
    std::fs::write(&picture, PICTURE).unwrap();
    std::fs::write(&document, DOCUMENT).unwrap();
    let mut make = vec![
        "seal",
        "make",
        "--maker-key",
        &vector("derived_SealBuilder_key.pem") as &str,
        "--maker-cert",
        &vector("derived_SealBuilder_cert.pem"),
        "--signer-cert",
        &vector("derived_USER_cert.pem"),
        "--picture",
        &picture,
        "--id",
        "31000000000002",
        "--name",
        "测试专用章",
        "--type",
        "3",
        "--valid-from",
        "2020-05-01T00:00:00Z",
        "--valid-to",
        "2022-04-01T00:00:00Z",
        "--out",
        &seal,
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<String>>();
    if v1 {
        make.push("--v1".into());
    }
    let make: Vec<&str> = make.iter().map(String::as_str).collect();
    assert_status(&smtrust(&make), 0);
    let sign = smtrust(&[
        "seal",
        "sign",
        "--seal",
        &seal,
        "--key",
        &vector("derived_USER_key.pem"),
        "--cert",
        &vector("derived_USER_cert.pem"),
        "--in",
        &document,
        "--property-info",
        "/Doc_0/Signs/Sign_0/Signature.xml",
        "--at",
        "2021-01-01T08:00:00+08:00",
        "--out",
        &signature,
    ]);
    assert_status(&sign, 0);
    (seal, signature, document)
}

#[test]
fn make_sign_verify_v4_and_v1() {
    for v1 in [false, true] {
        let dir = Dir::new(if v1 { "v1" } else { "v4" });
        let (seal, signature, document) = make_and_sign(&dir, v1);
        let root = vector("derived_ROOT_cert.pem");
        let valid = smtrust(&[
            "seal",
            "verify",
            &signature,
            "--doc",
            &document,
            "--ca",
            &root,
            "--legacy-root-without-key-cert-sign",
            "--json",
        ]);
        assert_status(&valid, 0);
        let report = json(&valid);
        assert_eq!(report["verdict"], "valid", "{report}");
        assert_eq!(report["checks"].as_array().unwrap().len(), 9);
        // The ofdrw root lacks keyCertSign: accepted for legacy use, reported as D16.
        assert_eq!(report["warnings"][0]["code"], "D16", "{report}");

        // The seal alone, at a time inside its period.
        let seal_only = smtrust(&[
            "seal",
            "verify",
            &seal,
            "--ca",
            &root,
            "--legacy-root-without-key-cert-sign",
            "--at",
            "2021-06-01T00:00:00Z",
        ]);
        assert_status(&seal_only, 0);
        assert!(String::from_utf8_lossy(&seal_only.stdout).starts_with("verdict: valid"));

        // Another document: invalid, data_hash fails.
        let other = dir.path("other.xml");
        std::fs::write(&other, b"<Signature>changed</Signature>").unwrap();
        let invalid = smtrust(&[
            "seal",
            "verify",
            &signature,
            "--doc",
            &other,
            "--ca",
            &root,
            "--legacy-root-without-key-cert-sign",
            "--json",
        ]);
        assert_status(&invalid, 1);
        assert_one_line_reason(&invalid);
        let report = json(&invalid);
        assert_eq!(report["verdict"], "invalid");
        let data_hash = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["check"] == "data_hash")
            .unwrap();
        assert_eq!(data_hash["status"], "fail");
    }
}

#[test]
fn no_trust_anchor_is_indeterminate() {
    let signed = smtrust(&[
        "seal",
        "verify",
        &vector("x_signedFile_SignedValue.dat"),
        "--doc",
        &vector("x_signedFile_Signature.xml"),
        "--json",
    ]);
    assert_status(&signed, 3);
    assert_one_line_reason(&signed);
    let report = json(&signed);
    assert_eq!(report["verdict"], "indeterminate");
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "structure",
            "seal_maker_signature",
            "seal_maker_chain",
            "seal_validity",
            "signer_listed_in_seal",
            "signature",
            "data_hash",
            "signer_chain",
            "timestamp"
        ]
    );
    for check in report["checks"].as_array().unwrap() {
        let status = check["status"].as_str().unwrap();
        assert!(["pass", "fail", "not_checked"].contains(&status));
        assert!(check["detail"].is_string());
    }
    let codes: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"D4"), "{codes:?}");
}

#[test]
fn hebei_gede_seal_is_invalid_d11() {
    let output = smtrust(&["seal", "verify", &vector("ofdrw_SESealData.DER"), "--json"]);
    assert_status(&output, 1);
    let report = json(&output);
    assert_eq!(report["checks"][1]["check"], "seal_maker_signature");
    assert_eq!(report["checks"][1]["status"], "fail");
}

#[test]
fn oesplugin_raw_signature_warns_d9() {
    let output = smtrust(&[
        "seal",
        "verify",
        &vector("x_keyword_Sign1_SignedValue.dat"),
        "--doc",
        &vector("x_keyword_Sign1_Signature.xml"),
        "--json",
    ]);
    assert_status(&output, 3);
    let report = json(&output);
    assert!(
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "D9"),
        "{report}"
    );
}

#[test]
fn not_a_seal_is_invalid_and_missing_file_is_an_input_error() {
    let dir = Dir::new("bad");
    let garbage = dir.path("garbage.dat");
    std::fs::write(&garbage, b"not a seal").unwrap();
    let output = smtrust(&["seal", "verify", &garbage, "--json"]);
    assert_status(&output, 1);
    assert_eq!(json(&output)["checks"][0]["check"], "structure");
    let missing = smtrust(&["seal", "verify", &dir.path("missing.dat")]);
    assert_status(&missing, 2);
    assert_one_line_reason(&missing);
    let show = smtrust(&["seal", "show", &garbage]);
    assert_status(&show, 2);
    assert_one_line_reason(&show);
}

#[test]
fn show_extracts_the_picture() {
    let dir = Dir::new("show");
    let out = dir.path("picture.ofd");
    let output = smtrust(&[
        "seal",
        "show",
        &vector("ofdsharp_SignedValue.dat"),
        "--picture-out",
        &out,
        "--json",
    ]);
    assert_status(&output, 0);
    let view = json(&output);
    assert_eq!(view["seal"]["id"], "50011200000001");
    assert_eq!(view["seal"]["picture"]["type"], "ofd");
    assert_eq!(
        view["signature"]["property_info"],
        "/Doc_0/Signs/Sign_0/Signature.xml"
    );
    let picture = std::fs::read(&out).unwrap();
    assert_eq!(view["seal"]["picture"]["bytes"], picture.len());
    assert!(picture.starts_with(b"PK\x03\x04"));

    let (seal, _, _) = make_and_sign(&dir, false);
    let png = dir.path("picture.png");
    let text = smtrust(&["seal", "show", &seal, "--picture-out", &png]);
    assert_status(&text, 0);
    assert_eq!(std::fs::read(&png).unwrap(), PICTURE);
    assert!(String::from_utf8_lossy(&text.stdout).contains("name: 测试专用章"));
}

#[test]
fn unlisted_signer_cannot_sign() {
    let dir = Dir::new("unlisted");
    let (seal, _, document) = make_and_sign(&dir, false);
    // The seal maker's own certificate is not in the seal's list.
    let output = smtrust(&[
        "seal",
        "sign",
        "--seal",
        &seal,
        "--key",
        &vector("derived_SealBuilder_key.pem"),
        "--cert",
        &vector("derived_SealBuilder_cert.pem"),
        "--in",
        &document,
        "--at",
        "2021-01-01T00:00:00Z",
    ]);
    assert_status(&output, 2);
    assert_one_line_reason(&output);
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not in the certificate list"));
}
