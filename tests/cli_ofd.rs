//! `smtrust ofd verify` (examples/smtrust/ofd.rs): the CLI contract's exit statuses (0 valid,
//! 1 invalid, 2 input error, 3 indeterminate), the text and `--json` reports, on the OFD
//! samples of test-vectors/seals/ (MANIFEST.md).

mod common;

use std::io::{Cursor, Write};

use common::cli::{assert_one_line_reason as stderr_line, assert_status, run as smtrust};

fn seal(file: &str) -> String {
    common::vector_path(&format!("seals/{file}"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// 2021-01-01, inside the ofdrw test PKI's validity (MANIFEST: USER 2020-04-21..2022-04-21).
const IN_2021: &str = "2021-01-01T00:00:00Z";

/// A real e-invoice with no trust anchor: every check that can be made passes, the chains
/// are not checked, exit 3.
#[test]
fn e_invoice_without_anchor_is_indeterminate() {
    let output = smtrust(&["ofd", "verify", &seal("ofdrw_signedFile.ofd")]);
    assert_status(&output, 3);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert!(
        stdout.starts_with(
            "package verdict: indeterminate\nsignature 2 (seal signature), verdict: indeterminate\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("all 13 referenced files match their SM3 digests"));
    assert!(stderr_line(&output).contains("indeterminate"));
}

/// `--json` prints the contract's OFD shape on one line.
#[test]
fn json_report() {
    let output = smtrust(&["ofd", "verify", &seal("ofdrw_keyword.ofd"), "--json"]);
    assert_status(&output, 1);
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["verdict"], "invalid");
    let ids: Vec<&str> = json["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2", "4"]);
    assert_eq!(
        stderr_line(&output).trim_end(),
        format!(
            "smtrust: {}: invalid: signature 2 fails references; signature 4 fails references",
            seal("ofdrw_keyword.ofd")
        )
    );
}

/// The ofdrw v4 seal signature with the ofdrw root (legacy: it lacks keyCertSign, D16) at a
/// time inside the seal's validity: valid, exit 0. At its claimed signing time (2026) the
/// seal has expired: exit 1.
#[test]
fn ofdrw_seal_signature_valid_with_root_and_time() {
    let file = seal("ofdrw_SESV4SignDoc.ofd");
    let root = seal("derived_ROOT_cert.pem");
    let output = smtrust(&[
        "ofd",
        "verify",
        &file,
        "--ca",
        &root,
        "--at",
        IN_2021,
        "--legacy-root-without-key-cert-sign",
    ]);
    assert_status(&output, 0);
    assert!(output.stderr.is_empty());
    let output = smtrust(&[
        "ofd",
        "verify",
        &file,
        "--ca",
        &root,
        "--legacy-root-without-key-cert-sign",
    ]);
    assert_status(&output, 1);
    assert!(stderr_line(&output).contains("seal_validity"));
}

/// A bare SM2 signature (ofdrw 1.2) verifies with `--signer-cert`.
#[test]
fn bare_signature_with_signer_certificate() {
    let file = seal("ofdrw_DigitalSign.ofd");
    let output = smtrust(&["ofd", "verify", &file]);
    assert_status(&output, 3);
    let output = smtrust(&[
        "ofd",
        "verify",
        &file,
        "--signer-cert",
        &seal("derived_USER_cert.pem"),
        "--ca",
        &seal("derived_ROOT_cert.pem"),
        "--at",
        IN_2021,
        "--legacy-root-without-key-cert-sign",
        "--json",
    ]);
    assert_status(&output, 0);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["signatures"][0]["verdict"], "valid");
}

fn scratch(name: &str, bytes: &[u8]) -> tempfile::TempPath {
    let mut file = tempfile::Builder::new()
        .prefix(name)
        .suffix(".ofd")
        .tempfile()
        .unwrap();
    file.write_all(bytes).unwrap();
    file.into_temp_path()
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// An unsigned OFD fails verification (exit 1); a file that is not an OFD, a zip bomb, a
/// missing file and a bad time are input errors (exit 2), each with a one-line reason.
#[test]
fn errors_and_their_exit_statuses() {
    let unsigned = scratch(
        "unsigned",
        &zip(&[(
            "OFD.xml",
            b"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:DocBody/></ofd:OFD>",
        )]),
    );
    let output = smtrust(&["ofd", "verify", unsigned.to_str().unwrap()]);
    assert_status(&output, 1);
    assert!(stderr_line(&output).contains("carries no signatures"));

    let not_zip = scratch("not-zip", b"not a zip");
    let output = smtrust(&["ofd", "verify", not_zip.to_str().unwrap()]);
    assert_status(&output, 2);
    assert!(stderr_line(&output).contains("not a readable zip archive"));

    let bomb = scratch("bomb", &zip(&[("OFD.xml", &vec![b' '; 8 << 20][..])]));
    let output = smtrust(&["ofd", "verify", bomb.to_str().unwrap()]);
    assert_status(&output, 2);
    assert!(stderr_line(&output).contains("(limit max_ratio)"));

    let output = smtrust(&["ofd", "verify", "/nonexistent/x.ofd"]);
    assert_status(&output, 2);
    stderr_line(&output);

    let output = smtrust(&[
        "ofd",
        "verify",
        &seal("ofdrw_signedFile.ofd"),
        "--at",
        "yesterday",
    ]);
    assert_status(&output, 2);
    assert!(stderr_line(&output).contains("--at"));
}
