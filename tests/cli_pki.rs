//! `smtrust cms sign|verify` and `smtrust record verify` (examples/smtrust): happy paths, the
//! exit statuses of the CLI contract (0 valid, 1 invalid, 2 input error, 3 indeterminate) with
//! a one-line reason, and `openssl cms -verify` of our SignedData.

mod common;

use std::process::{Command, Output};

use common::cli::{self, Dir, run_with_stdin as smtrust, stderr};
use common::{have_program, vector_path};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use smtrust::realname::{CheckResult, FactorSet, Role, SubjectKind, UnixTime, VerificationRecord};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

const AT_2030: &str = "2030-06-01T00:00:00Z";

/// The exit status, and on failure the one-line reason of the CLI contract.
fn assert_status(output: &Output, code: i32) {
    cli::assert_status(output, code);
    if code != 0 {
        cli::assert_one_line_reason(output);
    }
}

fn pki(relative: &str) -> String {
    vector_path(&format!("interop/pki/{relative}"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Signs `form` with the interop leaf-good key and certificate (GM/T 0010, default ID).
fn cms_sign(dir: &Dir, name: &str, form: &[u8], extra: &[&str]) -> String {
    let signature = dir.path(name);
    let (key, cert) = (pki("keys/leaf-good.key.pem"), pki("std/leaf-good.pem"));
    let mut args = vec![
        "cms", "sign", "--key", &key, "--cert", &cert, "--out", &signature,
    ];
    args.extend(["--signing-time", "2030-05-31T00:00:00Z"]);
    args.extend(extra);
    assert_status(&smtrust(&args, form), 0);
    signature
}

#[test]
fn cms_attached_signs_and_verifies_to_the_root_rfc_5652() {
    let dir = Dir::new("attached");
    let signature = cms_sign(&dir, "form.p7s", b"registration form", &[]);
    let content = dir.path("content");
    // The SignedData carries the signer's certificate only: the intermediate is trusted
    // directly beside the root.
    let (int, root) = (pki("std/int.pem"), pki("std/root.pem"));
    let verified = smtrust(
        &[
            "cms", "verify", "--in", &signature, "--ca", &root, "--ca", &int, "--at", AT_2030,
            "--out", &content,
        ],
        b"",
    );
    assert_status(&verified, 0);
    let stdout = String::from_utf8_lossy(&verified.stdout);
    assert!(
        stdout.contains("signing time: 2030-05-31T00:00:00Z"),
        "{stdout}"
    );
    assert!(stdout.ends_with("verification: OK\n"), "{stdout}");
    assert_eq!(std::fs::read(&content).unwrap(), b"registration form");
}

#[test]
fn cms_verify_without_a_trust_anchor_is_indeterminate() {
    let dir = Dir::new("indeterminate");
    let signature = cms_sign(&dir, "form.p7s", b"form", &[]);
    let output = smtrust(&["cms", "verify", "--in", &signature], b"");
    assert_status(&output, 3);
    assert!(stderr(&output).contains("no trust anchor given"));
}

#[test]
fn cms_detached_verifies_only_the_content_it_signed() {
    let dir = Dir::new("detached");
    let signature = cms_sign(&dir, "form.p7s", b"form 000123", &["--detached"]);
    let (good, bad) = (dir.path("good"), dir.path("bad"));
    std::fs::write(&good, b"form 000123").unwrap();
    std::fs::write(&bad, b"form 000124").unwrap();
    let root = pki("std/root.pem");
    let int = pki("std/int.pem");
    let verify = |content: &str| {
        smtrust(
            &[
                "cms",
                "verify",
                "--in",
                &signature,
                "--content",
                content,
                "--ca",
                &root,
                "--ca",
                &int,
                "--at",
                AT_2030,
            ],
            b"",
        )
    };
    assert_status(&verify(&good), 0);
    let tampered = verify(&bad);
    assert_status(&tampered, 1);
    assert!(
        stderr(&tampered).contains("signed the digest"),
        "{}",
        stderr(&tampered)
    );
    // Detached without --content is a usage error.
    let missing = smtrust(&["cms", "verify", "--in", &signature, "--ca", &root], b"");
    assert_status(&missing, 2);
}

#[test]
fn cms_verify_after_the_signer_expired_fails_with_the_path_reason() {
    let dir = Dir::new("expired");
    let signature = cms_sign(&dir, "form.p7s", b"form", &[]);
    let (int, root) = (pki("std/int.pem"), pki("std/root.pem"));
    let output = smtrust(
        &[
            "cms",
            "verify",
            "--in",
            &signature,
            "--ca",
            &root,
            "--ca",
            &int,
            "--at",
            "2100-01-01T00:00:00Z",
        ],
        b"",
    );
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("expired at"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn cms_sign_with_a_key_that_is_not_the_certificates_and_verify_of_garbage_are_input_errors() {
    let dir = Dir::new("errors");
    let (key, int) = (pki("keys/leaf-good.key.pem"), pki("std/int.pem"));
    let output = smtrust(&["cms", "sign", "--key", &key, "--cert", &int], b"form");
    assert_status(&output, 2);
    assert!(stderr(&output).contains("is not the key of the certificate"));
    let garbage = dir.path("garbage");
    std::fs::write(&garbage, b"\x30\x03\x02\x01").unwrap();
    let output = smtrust(&["cms", "verify", "--in", &garbage], b"");
    assert_status(&output, 2);
    assert!(stderr(&output).contains("malformed"), "{}", stderr(&output));
}

/// OpenSSL 3 verifies CMS SM2 signatures with the empty ID and knows only the PKCS#7 OIDs
/// (tests/pki_cms.rs): `cms sign --id-hex "" --oids pkcs7` output passes `openssl cms -verify`
/// with the path checked against the empty-ID interop PKI.
#[test]
fn openssl_cms_verify_accepts_ours_with_the_empty_id_and_pkcs7_oids() {
    if !have_program("openssl") {
        println!("skipped: no openssl binary on PATH");
        return;
    }
    let dir = Dir::new("openssl");
    let (key, cert) = (pki("keys/leaf-good.key.pem"), pki("emptyid/leaf-good.pem"));
    let signature = dir.path("form.der");
    let content = dir.path("form");
    std::fs::write(&content, b"registration form\n").unwrap();
    let args = [
        "cms",
        "sign",
        "--key",
        &key,
        "--cert",
        &cert,
        "--in",
        &content,
        "--out",
        &signature,
        "--id-hex",
        "",
        "--oids",
        "pkcs7",
        "--detached",
        "--signing-time",
        "2030-05-31T00:00:00Z",
    ];
    assert_status(&smtrust(&args, b""), 0);
    let (root, int) = (pki("emptyid/root.pem"), pki("emptyid/int.pem"));
    // The SignedData carries only the signer's certificate, so the intermediate goes in the
    // CA file beside the root.
    let ca_file = dir.path("ca.pem");
    let bundle = [std::fs::read(&root).unwrap(), std::fs::read(&int).unwrap()].concat();
    std::fs::write(&ca_file, bundle).unwrap();
    let out = Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-in", &signature,
        ])
        .args(["-content", &content, "-CAfile", &ca_file])
        .args(["-attime", "1906502400", "-out", "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl cms -verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And ours verifies it back with the same ID.
    let ours = smtrust(
        &[
            "cms",
            "verify",
            "--in",
            &signature,
            "--content",
            &content,
            "--id-hex",
            "",
            "--ca",
            &root,
            "--ca",
            &int,
            "--at",
            AT_2030,
        ],
        b"",
    );
    assert_status(&ours, 0);
}

/// A phone three-factor record (DOMAIN.md §2.2) signed by the interop leaf-good key as the
/// institution, written to `dir`.
fn signed_record(dir: &Dir) -> String {
    let key_pem = std::fs::read_to_string(pki("keys/leaf-good.key.pem")).unwrap();
    let key = SigningKey::new(SecretKey::from_pem(&key_pem).unwrap(), DistId::DEFAULT);
    let cert = std::fs::read(pki("std/leaf-good.der")).unwrap();
    let record = VerificationRecord::builder("SH-2026-000123", "R-0001", 1)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(
            FactorSet::PHONE_3,
            "Example Qualified Institution",
            "req-8842",
        )
        .result(CheckResult::Match, "0", "consistent")
        .times(
            UnixTime::from_secs(1_764_115_200),
            UnixTime::from_secs(1_764_115_201),
        )
        .build()
        .unwrap();
    let signed = record
        .sign(&key, &cert, &mut ChaCha20Rng::seed_from_u64(9))
        .unwrap();
    let path = dir.path("record.der");
    std::fs::write(&path, signed.as_der()).unwrap();
    path
}

#[test]
fn record_verify_with_the_institution_certificate_prints_the_json_view() {
    let dir = Dir::new("record");
    let record = signed_record(&dir);
    let cert = pki("std/leaf-good.pem");
    let output = smtrust(&["record", "verify", "--in", &record, "--cert", &cert], b"");
    assert_status(&output, 0);
    let view: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(view["biz_serial_no"], "SH-2026-000123");
    assert_eq!(view["result"], "match");
    assert_eq!(view["requested_at"], "2025-11-26T00:00:00Z");
}

#[test]
fn record_verify_with_the_chain_and_as_hex_on_stdin() {
    let dir = Dir::new("record-chain");
    let record = std::fs::read(signed_record(&dir)).unwrap();
    let (root, int) = (pki("std/root.pem"), pki("std/int.pem"));
    let args = [
        "record",
        "verify",
        "--ca",
        &root,
        "--untrusted",
        &int,
        "--at",
        AT_2030,
    ];
    assert_status(&smtrust(&args, hex::encode(&record).as_bytes()), 0);
    // RFC 5280 §6: without the intermediate the institution certificate's issuer is unknown.
    let output = smtrust(
        &["record", "verify", "--ca", &root, "--at", AT_2030],
        &record,
    );
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("no trusted issuer"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn record_verify_with_another_institutions_key_fails() {
    let dir = Dir::new("record-pin");
    let record = signed_record(&dir);
    let other = pki("std/int.pem");
    let output = smtrust(
        &["record", "verify", "--in", &record, "--cert", &other],
        b"",
    );
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("the pinned key is not the public key"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn record_verify_needs_a_pin_or_a_root_and_refuses_a_non_record() {
    let dir = Dir::new("record-errors");
    let record = signed_record(&dir);
    let output = smtrust(&["record", "verify", "--in", &record], b"");
    assert_status(&output, 2);
    assert!(stderr(&output).contains("give --pubkey, --cert or --ca"));
    let cert = pki("std/leaf-good.der");
    let output = smtrust(&["record", "verify", "--in", &cert, "--cert", &cert], b"");
    assert_status(&output, 2);
    assert!(
        stderr(&output).contains("SignedVerificationRecord"),
        "{}",
        stderr(&output)
    );
}
