//! `smtrust ledger verify-bundle FILE --log-key PUB [--tsa-ca ROOT]… [--json]`
//! (examples/smtrust/ledger.rs): the checkpoint's RFC 3161 timestamp is reported with its
//! trusted time when its TSA chains to a --tsa-ca root, as claimed-but-unverified without one,
//! and a token that does not hold (another TSA, another checkpoint) is exit status 1.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::Output;
use std::time::{Duration, UNIX_EPOCH};

use common::cli::{assert_status, run as smtrust, stdout};
use common::ledger::Bundle;
use der::asn1::OctetString;
use der::{Decode as _, Encode as _};
use serde_json::Value;
use smtrust::pki::{CertificateBuilder, UnixTime};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::trace::{Actor, Entry, Event, Ledger, LogSigner, Role, SqliteStore};
use smtrust::tsp::LocalTsa;

const LOG: &str = "cli.example/ledger";
/// 2030-03-17T17:46:40Z, when the checkpoint is stamped.
const AT: u64 = 1_900_000_000;

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// Files: `stamped.der` (a retrieval's bundle, its checkpoint stamped), `plain.der` (an
/// earlier retrieval's bundle, unstamped), `foreign.der` (the stamped bundle with the token
/// of another checkpoint), `pub.pem`, `root.der` (the TSA's root), `other-root.der`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let secret = SecretKey::from_bytes(&[5; 32]).unwrap();
        std::fs::write(dir.path().join("pub.pem"), secret.public_key().to_pem()).unwrap();
        let ledger = Ledger::open(
            SqliteStore::open(dir.path().join("ledger.db")).unwrap(),
            LogSigner::new(LOG, secret).unwrap(),
        )
        .unwrap();
        let at = UNIX_EPOCH + Duration::from_secs(AT - 60);
        let decision = Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        };
        let registrar = Actor::new(Role::Registrar, "clerk-07");
        ledger
            .append(&Entry::new("SH-A", at, registrar, decision).unwrap())
            .unwrap();
        let regulator = Actor::new(Role::Regulator, "samr-3");
        let plain = ledger
            .retrieve(&regulator, "SH-A", "first look", at)
            .unwrap();

        let root_key = key(1);
        let root = CertificateBuilder::ca("C=CN, O=smtrust, CN=Time Root", 1)
            .self_signed(&root_key)
            .unwrap();
        let tsa_key = key(2);
        let tsa_cert = LocalTsa::certificate_builder("C=CN, O=smtrust, CN=Ledger TSA", 2)
            .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
            .unwrap();
        let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1").unwrap();
        let stamped_at = UnixTime::since_unix_epoch(Duration::from_secs(AT));
        let earlier = ledger
            .stamp_checkpoint(plain.checkpoint().size(), &tsa, stamped_at)
            .unwrap();
        let history = ledger
            .retrieve(&regulator, "SH-A", "court order 17", at)
            .unwrap();
        let token = ledger
            .stamp_checkpoint(history.checkpoint().size(), &tsa, stamped_at)
            .unwrap();
        let stamped = history.with_checkpoint_token(&token).unwrap();
        let stamped = stamped.to_bundle(&[]).unwrap();
        std::fs::write(dir.path().join("stamped.der"), stamped.to_der()).unwrap();
        std::fs::write(
            dir.path().join("plain.der"),
            plain.to_bundle(&[]).unwrap().to_der(),
        )
        .unwrap();
        let mut foreign = Bundle::from_der(stamped.to_der()).unwrap();
        foreign.checkpoint_token = Some(OctetString::new(earlier.der()).unwrap());
        std::fs::write(dir.path().join("foreign.der"), foreign.to_der().unwrap()).unwrap();
        std::fs::write(dir.path().join("root.der"), root.der()).unwrap();
        let other = CertificateBuilder::ca("C=CN, O=elsewhere, CN=Other Root", 9)
            .self_signed(&key(9))
            .unwrap();
        std::fs::write(dir.path().join("other-root.der"), other.der()).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    fn verify(&self, bundle: &str, extra: &[&str]) -> Output {
        let (bundle, key) = (self.path(bundle), self.path("pub.pem"));
        let mut args = vec!["ledger", "verify-bundle", &bundle, "--log-key", &key];
        args.extend_from_slice(extra);
        smtrust(&args)
    }
}

/// RFC 3161 §2.4.2 over the checkpoint note, TSA chaining to --tsa-ca (§4.3): the trusted
/// time is printed and reported in JSON.
#[test]
fn verify_bundle_reports_the_checkpoint_time_with_tsa_ca() {
    let fixture = Fixture::new();
    let root = fixture.path("root.der");
    let output = fixture.verify("stamped.der", &["--tsa-ca", &root]);
    assert_status(&output, 0);
    let text = stdout(&output);
    assert!(
        text.lines().any(|line| line
            == "checkpoint timestamp: 2030-03-17T17:46:40Z (verified; TSA C=CN, O=smtrust, CN=Ledger TSA chaining to C=CN, O=smtrust, CN=Time Root, serial 02)"),
        "{text}"
    );

    let output = fixture.verify("stamped.der", &["--tsa-ca", &root, "--json"]);
    assert_status(&output, 0);
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["serial"], "SH-A");
    assert_eq!(json["checkpoint"]["size"], 3);
    assert_eq!(json["checkpoint_timestamp"]["status"], "verified");
    assert_eq!(
        json["checkpoint_timestamp"]["gen_time"],
        "2030-03-17T17:46:40Z"
    );
    assert_eq!(
        json["checkpoint_timestamp"]["tsa"],
        "C=CN, O=smtrust, CN=Ledger TSA"
    );
}

/// Without --tsa-ca the token is checked against the checkpoint but its time is only claimed.
#[test]
fn verify_bundle_without_tsa_ca_reports_an_unverified_time() {
    let fixture = Fixture::new();
    let output = fixture.verify("stamped.der", &[]);
    assert_status(&output, 0);
    assert!(
        stdout(&output).contains(
            "checkpoint timestamp: 2030-03-17T17:46:40Z claimed, not verified (give --tsa-ca"
        ),
        "{}",
        stdout(&output)
    );
    let output = fixture.verify("stamped.der", &["--json"]);
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["checkpoint_timestamp"]["status"], "unverified");
    assert_eq!(json["checkpoint_timestamp"]["trust_anchor"], Value::Null);
}

/// A bundle without a token says so, with or without --tsa-ca.
#[test]
fn verify_bundle_without_a_token_says_none() {
    let fixture = Fixture::new();
    let root = fixture.path("root.der");
    let output = fixture.verify("plain.der", &["--tsa-ca", &root]);
    assert_status(&output, 0);
    assert!(
        stdout(&output)
            .lines()
            .any(|l| l == "checkpoint timestamp: none")
    );
    let output = fixture.verify("plain.der", &["--json"]);
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["checkpoint_timestamp"], Value::Null);
}

/// RFC 3161 §4.3: a TSA outside the --tsa-ca roots fails the bundle (status 1).
#[test]
fn verify_bundle_with_another_tsa_root_fails() {
    let fixture = Fixture::new();
    let other = fixture.path("other-root.der");
    let output = fixture.verify("stamped.der", &["--tsa-ca", &other]);
    assert_status(&output, 1);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("the timestamp token of the checkpoint of 3 leaves does not hold: the TSA certificate C=CN, O=smtrust, CN=Ledger TSA does not chain to a given trust anchor"),
        "{stderr}"
    );
}

/// RFC 3161 §2.4.2 messageImprint: the token of another checkpoint fails (status 1), even
/// without --tsa-ca.
#[test]
fn verify_bundle_with_another_checkpoints_token_fails() {
    let fixture = Fixture::new();
    let output = fixture.verify("foreign.der", &[]);
    assert_status(&output, 1);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("the timestamp token of the checkpoint of 3 leaves does not hold: the token stamps the SM3 digest "),
        "{stderr}"
    );
}

/// An unreadable --tsa-ca is a usage or input error (status 2).
#[test]
fn verify_bundle_with_a_missing_tsa_ca_is_an_input_error() {
    let fixture = Fixture::new();
    let missing = fixture.path("absent.der");
    let output = fixture.verify("stamped.der", &["--tsa-ca", &missing]);
    assert_status(&output, 2);
}
