//! `smtrust ts query | reply | verify` (the CLI contract of DESIGN.md), with exit statuses,
//! and against `openssl ts` in both directions.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::cli::{self, assert_status, stderr, stdout};
use common::{have_program, vector_path};
use smtrust::pki::{Certificate, CertificateBuilder, UnixTime};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::tsp::{LocalTsa, TimeStampRequest, TimeStampToken};

fn smtrust(dir: &Path, list: &[&str]) -> Output {
    cli::smtrust().args(list).current_dir(dir).output().unwrap()
}

fn pem(certificate: &Certificate) -> String {
    der::pem::encode_string("CERTIFICATE", der::pem::LineEnding::LF, certificate.der()).unwrap()
}

/// A directory with `root.pem`, `other-root.pem`, `tsa.key`, `tsa.pem` (SM2, SM2 ID `id`),
/// `data.txt`.
fn setup(id: DistId) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32]).unwrap(), id.clone());
    let root = CertificateBuilder::ca("C=CN, CN=CLI Time Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let other_key = SigningKey::new(SecretKey::from_bytes(&[5; 32]).unwrap(), id.clone());
    let other = CertificateBuilder::ca("C=CN, CN=Other Root", 1)
        .self_signed(&other_key)
        .unwrap();
    let tsa_secret = SecretKey::from_bytes(&[2; 32]).unwrap();
    let tsa_cert = LocalTsa::certificate_builder("C=CN, CN=CLI TSA", 2)
        .validity(
            UnixTime::since_unix_epoch(Duration::from_secs(1_700_000_000)),
            UnixTime::since_unix_epoch(Duration::from_secs(2_400_000_000)),
        )
        .issue(&tsa_secret.public_key(), &root, &root_key)
        .unwrap();
    std::fs::write(path.join("root.pem"), pem(&root)).unwrap();
    std::fs::write(path.join("other-root.pem"), pem(&other)).unwrap();
    std::fs::write(path.join("tsa.pem"), pem(&tsa_cert)).unwrap();
    std::fs::write(path.join("tsa.key"), tsa_secret.to_pkcs8_pem().as_bytes()).unwrap();
    std::fs::write(path.join("data.txt"), b"registration form\n").unwrap();
    dir
}

/// query → reply (at a fixed time) → verify: exit 0 and the facts printed.
#[test]
fn query_reply_verify() {
    let dir = setup(DistId::DEFAULT);
    let path = dir.path();
    for digest in ["sm3", "sha256"] {
        let out = smtrust(
            path,
            &[
                "ts", "query", "--in", "data.txt", "--digest", digest, "--out", "q.tsq",
            ],
        );
        assert_status(&out, 0);
        let request =
            TimeStampRequest::from_der(&std::fs::read(path.join("q.tsq")).unwrap()).unwrap();
        assert_eq!(request.nonce().map(<[u8]>::len), Some(8));
        let out = smtrust(
            path,
            &[
                "ts",
                "reply",
                "--key",
                "tsa.key",
                "--cert",
                "tsa.pem",
                "--in",
                "q.tsq",
                "--out",
                "t.tst",
                "--at",
                "2030-01-02T03:04:05Z",
                "--serial",
                "77",
            ],
        );
        assert_status(&out, 0);
        let token = TimeStampToken::from_der(&std::fs::read(path.join("t.tst")).unwrap()).unwrap();
        assert_eq!(token.info().nonce(), request.nonce());
        let nonce = hex::encode(request.nonce().unwrap());
        let out = smtrust(
            path,
            &[
                "ts",
                "verify",
                "t.tst",
                "--in",
                "data.txt",
                "--ca",
                "root.pem",
                "--nonce-hex",
                &nonce,
            ],
        );
        assert_status(&out, 0);
        let text = stdout(&out);
        assert!(text.contains("genTime: 2030-01-02T03:04:05Z"), "{text}");
        assert!(text.contains("serial: 4d"), "{text}");
        assert!(text.contains("TSA: C=CN, CN=CLI TSA"), "{text}");
    }
}

/// Exit 1 for changed data, a wrong root and a nonce mismatch; 3 without `--ca`; 2 for a file
/// that is not a token.
#[test]
fn verify_exit_statuses() {
    let dir = setup(DistId::DEFAULT);
    let path = dir.path();
    assert_status(
        &smtrust(path, &["ts", "query", "--in", "data.txt", "--out", "q.tsq"]),
        0,
    );
    assert_status(
        &smtrust(
            path,
            &[
                "ts",
                "reply",
                "--key",
                "tsa.key",
                "--cert",
                "tsa.pem",
                "--in",
                "q.tsq",
                "--out",
                "t.tst",
                "--at",
                "2030-01-02T03:04:05Z",
            ],
        ),
        0,
    );
    std::fs::write(path.join("changed.txt"), b"registration form!\n").unwrap();
    let out = smtrust(
        path,
        &[
            "ts",
            "verify",
            "t.tst",
            "--in",
            "changed.txt",
            "--ca",
            "root.pem",
        ],
    );
    assert_status(&out, 1);
    assert!(stderr(&out).contains("the token stamps the SM3 digest"));
    let out = smtrust(
        path,
        &[
            "ts",
            "verify",
            "t.tst",
            "--in",
            "data.txt",
            "--ca",
            "other-root.pem",
        ],
    );
    assert_status(&out, 1);
    assert!(stderr(&out).contains("does not chain to a given trust anchor"));
    let out = smtrust(
        path,
        &[
            "ts",
            "verify",
            "t.tst",
            "--in",
            "data.txt",
            "--ca",
            "root.pem",
            "--nonce-hex",
            "01",
        ],
    );
    assert_status(&out, 1);
    assert!(stderr(&out).contains("nonce"));
    let out = smtrust(path, &["ts", "verify", "t.tst", "--in", "data.txt"]);
    assert_status(&out, 3);
    assert!(stdout(&out).contains("genTime (unverified): 2030-01-02T03:04:05Z"));
    let out = smtrust(path, &["ts", "verify", "data.txt", "--in", "data.txt"]);
    assert_status(&out, 2);
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// A refused request (SHA-1 imprint): `--response` writes the rejection, otherwise exit 1.
#[test]
fn reply_refuses_unsupported_digest() {
    let dir = setup(DistId::DEFAULT);
    let path = dir.path();
    // TimeStampReq with a SHA-1 imprint (1.3.14.3.2.26).
    let mut sha1 = vec![
        0x30, 0x26, 0x02, 0x01, 0x01, 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02,
        0x1a, 0x05, 0x00, 0x04, 0x14,
    ];
    sha1.extend([0u8; 20]);
    std::fs::write(path.join("sha1.tsq"), &sha1).unwrap();
    let reply = |extra: &[&str]| {
        let mut list = vec![
            "ts", "reply", "--key", "tsa.key", "--cert", "tsa.pem", "--in", "sha1.tsq", "--out",
            "r.der",
        ];
        list.extend_from_slice(extra);
        smtrust(path, &list)
    };
    let out = reply(&[]);
    assert_status(&out, 1);
    assert!(stderr(&out).contains("badAlg"), "{}", stderr(&out));
    assert_status(&reply(&["--response"]), 0);
    let response =
        smtrust::tsp::TimeStampResponse::from_der(&std::fs::read(path.join("r.der")).unwrap())
            .unwrap();
    assert_eq!(
        response.failure_info(),
        Some(smtrust::tsp::FailureInfo::BAD_ALG)
    );
}

/// `openssl ts -reply` answers our query, `smtrust ts verify` accepts OpenSSL's fixture
/// token and response, and `openssl ts -verify` accepts our token made without Z.
#[test]
fn openssl_interop() {
    if !have_program("openssl") {
        println!("skipped: no openssl binary on PATH");
        return;
    }
    let fixtures = vector_path("standard/tsp");
    let fixture = |name: &str| fixtures.join(name).to_string_lossy().into_owned();
    let dir = setup(DistId::EMPTY);
    let path = dir.path();
    for token in ["ecdsa-sha256.tst", "ecdsa-sha256.tsr", "ecdsa-sm3.tst"] {
        let out = smtrust(
            path,
            &[
                "ts",
                "verify",
                &fixture(token),
                "--in",
                &fixture("data.txt"),
                "--ca",
                &fixture("ecdsa-root.pem"),
            ],
        );
        assert_status(&out, 0);
    }
    // Our query, OpenSSL's TSA (the query must parse for openssl: print it as text).
    assert_status(
        &smtrust(
            path,
            &[
                "ts", "query", "--in", "data.txt", "--digest", "sha256", "--out", "q.tsq",
            ],
        ),
        0,
    );
    let out = Command::new("openssl")
        .args(["ts", "-query", "-in", "q.tsq", "-text"])
        .current_dir(path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Hash Algorithm: sha256"));
    // Our token (SM2, empty ID, without Z), OpenSSL's verifier.
    let out = smtrust(
        path,
        &[
            "ts",
            "reply",
            "--key",
            "tsa.key",
            "--cert",
            "tsa.pem",
            "--in",
            "q.tsq",
            "--out",
            "t.tst",
            "--id-hex",
            "",
            "--without-z-for-openssl",
        ],
    );
    assert_status(&out, 0);
    let out = Command::new("openssl")
        .args([
            "ts",
            "-verify",
            "-queryfile",
            "q.tsq",
            "-in",
            "t.tst",
            "-token_in",
        ])
        .args(["-CAfile", "root.pem"])
        .current_dir(path)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Verification: OK"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = smtrust(
        path,
        &[
            "ts",
            "verify",
            "t.tst",
            "--in",
            "data.txt",
            "--ca",
            "root.pem",
            "--id-hex",
            "",
            "--without-z-for-openssl",
        ],
    );
    assert_status(&out, 0);
}
