//! `smtrust ledger` (examples/smtrust/ledger.rs), the CLI contract of DESIGN.md:
//! `ledger --db DB (serials | log-key | history SERIAL [--json] | export-bundle SERIAL --out
//! FILE | verify)` and `ledger verify-bundle FILE --log-key PUB`, with exit statuses 0 ok,
//! 1 verification failed, 2 usage or input error, 3 indeterminate.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, UNIX_EPOCH};

use common::cli::{assert_status, run as smtrust, stderr, stdout};
use common::example_binary;
use common::ledger::Bundle;
use rusqlite::Connection;
use serde_json::Value;
use smtrust::sm2::SecretKey;
use smtrust::trace::{self, Actor, Entry, Event, Ledger, LogSigner, Role, SqliteStore};

const LOG: &str = "cli.example/ledger";

fn secret() -> SecretKey {
    SecretKey::from_bytes(&[5; 32]).unwrap()
}

/// A database of two serials (A: a decision and a seal; B: a decision), its signing key at
/// `DB.log-key.pem` and its public key at `pub.pem`.
struct Fixture {
    _dir: tempfile::TempDir,
    db: String,
    public_key: String,
    dir: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.db");
        let ledger = Ledger::open(
            SqliteStore::open(&db).unwrap(),
            LogSigner::new(LOG, secret()).unwrap(),
        )
        .unwrap();
        let at = UNIX_EPOCH + Duration::from_secs(1_780_000_000);
        let registrar = Actor::new(Role::Registrar, "clerk-07");
        let decision = Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        };
        let sealed = Event::SealApplied {
            digest: vec![0xab; 32],
            signer_certificate: b"cert".to_vec(),
        };
        let _ = ledger
            .append_batch(&[
                Entry::new("SH-A", at, registrar.clone(), decision.clone()).unwrap(),
                Entry::new("SH-B", at, registrar.clone(), decision).unwrap(),
                Entry::new("SH-A", at, registrar, sealed).unwrap(),
            ])
            .unwrap();
        std::fs::write(
            dir.path().join("ledger.db.log-key.pem"),
            secret().to_pkcs8_pem().as_bytes(),
        )
        .unwrap();
        let public_key = dir.path().join("pub.pem");
        std::fs::write(&public_key, secret().public_key().to_pem()).unwrap();
        Self {
            dir: dir.path().to_owned(),
            db: db.to_str().unwrap().to_owned(),
            public_key: public_key.to_str().unwrap().to_owned(),
            _dir: dir,
        }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }

    fn ledger(&self, args: &[&str]) -> Output {
        let mut all = vec!["ledger", "--db", &self.db];
        all.extend_from_slice(args);
        smtrust(&all)
    }

    fn history_json(&self, serial: &str) -> Value {
        let output = self.ledger(&[
            "history",
            serial,
            "--json",
            "--reason",
            "annual inspection",
            "--actor",
            "samr-3",
            "--at",
            "2026-11-26T10:00:00Z",
        ]);
        assert_status(&output, 0);
        serde_json::from_str(&stdout(&output)).unwrap()
    }

    fn export(&self, serial: &str, out: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "export-bundle",
            serial,
            "--out",
            out,
            "--reason",
            "court order 17",
            "--actor",
            "samr-3",
        ];
        args.extend_from_slice(extra);
        self.ledger(&args)
    }
}

/// `serials` lists the index; `log-key` prints the recorded public key as PEM.
#[test]
fn serials_and_log_key() {
    let fixture = Fixture::new();
    let output = fixture.ledger(&["serials"]);
    assert_status(&output, 0);
    assert_eq!(stdout(&output), "SH-A\nSH-B\n");
    let output = fixture.ledger(&["log-key"]);
    assert_status(&output, 0);
    assert_eq!(stdout(&output), secret().public_key().to_pem());
}

/// `history --json`: the retrieval is logged first, as a Regulator Retrieved entry with the
/// reason and actor given, linked to the serial's newest entry, and ends the history.
#[test]
fn history_logs_the_retrieval_first() {
    let fixture = Fixture::new();
    let json = fixture.history_json("SH-A");
    assert_eq!(json["serial"], "SH-A");
    assert_eq!(json["log"], LOG);
    let entries = json["entries"].as_array().unwrap();
    let leaves: Vec<u64> = entries
        .iter()
        .map(|e| e["leaf"].as_u64().unwrap())
        .collect();
    assert_eq!(leaves, [0, 2, 3]);
    assert_eq!(json["checkpoint"]["size"], 4);
    let head = &entries[2];
    assert_eq!(head["kind"], "retrieved");
    assert_eq!(head["actor"]["role"], "regulator");
    assert_eq!(head["actor"]["id"], "samr-3");
    assert_eq!(head["event"]["reason"], "annual inspection");
    assert_eq!(head["time"], "2026-11-26T10:00:00Z");
    assert_eq!(head["previous"]["leaf"], 2);
    assert_eq!(head["previous"]["leaf_hash"], entries[1]["leaf_hash"]);
    assert_eq!(entries[0]["previous"], Value::Null);
    assert_eq!(
        entries[1]["event"]["signer_certificate"],
        hex::encode(b"cert")
    );
    // A second retrieval sees the first one.
    let again = fixture.history_json("SH-A");
    assert_eq!(again["entries"].as_array().unwrap().len(), 4);
    // The text form names each entry.
    let output = fixture.ledger(&[
        "history",
        "SH-B",
        "--reason",
        "spot check",
        "--actor",
        "samr-3",
    ]);
    assert_status(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with("SH-B: 2 entries"), "{text}");
    assert!(
        text.contains("DecisionMade  approved (rule samr-online)"),
        "{text}"
    );
    assert!(text.contains("Retrieved  history: spot check"), "{text}");
}

/// A retrieval without a reason, actor or signing key is refused (2) and logs nothing.
#[test]
fn retrieval_needs_reason_actor_and_key() {
    let fixture = Fixture::new();
    let output = fixture.ledger(&["history", "SH-A", "--actor", "samr-3"]);
    assert_status(&output, 2);
    let output = fixture.ledger(&["history", "SH-A", "--reason", "  ", "--actor", "samr-3"]);
    assert_status(&output, 2);
    assert_eq!(
        stderr(&output),
        "smtrust: a retrieval must state its reason\n"
    );
    let output = fixture.ledger(&["history", "SH-A", "--reason", "x"]);
    assert_status(&output, 2);
    let missing = fixture.path("missing.pem");
    let output = fixture.ledger(&[
        "history",
        "SH-A",
        "--reason",
        "x",
        "--actor",
        "samr-3",
        "--log-signing-key",
        &missing,
    ]);
    assert_status(&output, 2);
    assert_eq!(stderr(&output).lines().count(), 1);
    // Another key than the log's is refused: it cannot sign this log's checkpoints.
    let other = fixture.path("other.pem");
    std::fs::write(
        &other,
        SecretKey::from_bytes(&[6; 32])
            .unwrap()
            .to_pkcs8_pem()
            .as_bytes(),
    )
    .unwrap();
    let output = fixture.ledger(&[
        "history",
        "SH-A",
        "--reason",
        "x",
        "--actor",
        "samr-3",
        "--log-signing-key",
        &other,
    ]);
    assert_status(&output, 2);
    // Nothing was logged by the refused attempts.
    let json = fixture.history_json("SH-A");
    assert_eq!(json["entries"].as_array().unwrap().len(), 3);
}

/// `export-bundle` then `verify-bundle` with the log key, in DER and PEM: 0; a changed byte
/// or another key: 1; an unreadable file: 2.
#[test]
fn export_and_verify_a_bundle() {
    let fixture = Fixture::new();
    let der = fixture.path("a.bundle");
    assert_status(&fixture.export("SH-A", &der, &[]), 0);
    let output = smtrust(&[
        "ledger",
        "verify-bundle",
        &der,
        "--log-key",
        &fixture.public_key,
    ]);
    assert_status(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with("SH-A: OK, 3 entries"), "{text}");
    assert!(
        text.contains("complete: every entry of SH-A up to leaf 3"),
        "{text}"
    );
    assert!(
        text.contains("Retrieved  history: court order 17"),
        "{text}"
    );

    let pem = fixture.path("a.pem");
    assert_status(&fixture.export("SH-A", &pem, &["--pem"]), 0);
    assert!(
        std::fs::read_to_string(&pem)
            .unwrap()
            .starts_with("-----BEGIN SMTRUST EVIDENCE BUNDLE-----")
    );
    assert_status(
        &smtrust(&[
            "ledger",
            "verify-bundle",
            &pem,
            "--log-key",
            &fixture.public_key,
        ]),
        0,
    );

    let mut bytes = std::fs::read(&der).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let tampered = fixture.path("tampered.bundle");
    std::fs::write(&tampered, &bytes).unwrap();
    let output = smtrust(&[
        "ledger",
        "verify-bundle",
        &tampered,
        "--log-key",
        &fixture.public_key,
    ]);
    assert_status(&output, 1);
    assert_eq!(stderr(&output).lines().count(), 1);

    let other = fixture.path("other-pub.pem");
    std::fs::write(
        &other,
        SecretKey::from_bytes(&[6; 32])
            .unwrap()
            .public_key()
            .to_pem(),
    )
    .unwrap();
    let output = smtrust(&["ledger", "verify-bundle", &der, "--log-key", &other]);
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("carries no signature by the key"),
        "{}",
        stderr(&output)
    );

    let missing = fixture.path("missing.bundle");
    assert_status(
        &smtrust(&[
            "ledger",
            "verify-bundle",
            &missing,
            "--log-key",
            &fixture.public_key,
        ]),
        2,
    );
}

/// A bundle that does not end with a Retrieved entry proves its entries but not that its
/// retrieval was recorded: indeterminate (3).
#[test]
fn bundle_without_its_retrieval_is_indeterminate() {
    let fixture = Fixture::new();
    let ledger = Ledger::open(
        SqliteStore::open(&fixture.db).unwrap(),
        LogSigner::new(LOG, secret()).unwrap(),
    )
    .unwrap();
    let bundle = ledger.history("SH-A").unwrap().to_bundle(&[]).unwrap();
    let path = fixture.path("operator.bundle");
    std::fs::write(&path, bundle.to_der()).unwrap();
    let output = smtrust(&[
        "ledger",
        "verify-bundle",
        &path,
        "--log-key",
        &fixture.public_key,
    ]);
    assert_status(&output, 3);
    assert!(stdout(&output).starts_with("SH-A: OK, 2 entries"));
}

/// A bundle with an entry left out names the missing link (1).
#[test]
fn bundle_with_an_entry_left_out_fails() {
    use der::{Decode as _, Encode as _};
    let fixture = Fixture::new();
    let path = fixture.path("a.bundle");
    assert_status(&fixture.export("SH-A", &path, &[]), 0);
    let mut bundle = Bundle::from_der(&std::fs::read(&path).unwrap()).unwrap();
    let _ = bundle.entries.remove(1);
    std::fs::write(&path, bundle.to_der().unwrap()).unwrap();
    let output = smtrust(&[
        "ledger",
        "verify-bundle",
        &path,
        "--log-key",
        &fixture.public_key,
    ]);
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("leaf 3 links to leaf 2 of the same serial, which is missing"),
        "{}",
        stderr(&output)
    );
}

/// `verify` checks the whole log: 0 when intact (with the recorded or the published key);
/// 1 naming the leaf after an edit in the SQLite file or under another key; a history over
/// an entry moved out of the serial index names the missing link.
#[test]
fn verify_the_log_and_find_edits() {
    let fixture = Fixture::new();
    let output = fixture.ledger(&["verify"]);
    assert_status(&output, 0);
    assert!(
        stdout(&output).contains("OK, 3 entries"),
        "{}",
        stdout(&output)
    );
    assert!(
        stdout(&output).contains("give --log-key"),
        "{}",
        stdout(&output)
    );
    assert_status(
        &fixture.ledger(&["verify", "--log-key", &fixture.public_key]),
        0,
    );
    let other = fixture.path("other-pub.pem");
    std::fs::write(
        &other,
        SecretKey::from_bytes(&[6; 32])
            .unwrap()
            .public_key()
            .to_pem(),
    )
    .unwrap();
    assert_status(&fixture.ledger(&["verify", "--log-key", &other]), 1);

    let conn = Connection::open(&fixture.db).unwrap();
    conn.execute_batch("UPDATE entries SET serial = 'SH-Z' WHERE leaf = 0")
        .unwrap();
    let output = fixture.ledger(&["history", "SH-A", "--reason", "x", "--actor", "samr-3"]);
    assert_status(&output, 1);
    assert_eq!(
        stderr(&output),
        "smtrust: leaf 2 links to leaf 0 of the same serial, which is missing from the entries shown\n"
    );
    let output = fixture.ledger(&["verify"]);
    assert_status(&output, 1);
    assert!(
        stderr(&output).contains("leaf 0 is indexed under serial \"SH-Z\""),
        "{}",
        stderr(&output)
    );
    conn.execute_batch("UPDATE entries SET serial = 'SH-A' WHERE leaf = 0")
        .unwrap();
    let mut der: Vec<u8> = conn
        .query_row("SELECT der FROM entries WHERE leaf = 1", [], |r| r.get(0))
        .unwrap();
    let at = der.windows(8).position(|w| w == b"approved").unwrap();
    der[at..at + 8].copy_from_slice(b"rejected");
    let _ = conn
        .execute("UPDATE entries SET der = ?1 WHERE leaf = 1", [der])
        .unwrap();
    let output = fixture.ledger(&["verify"]);
    assert_status(&output, 1);
    assert!(
        stderr(&output).starts_with("smtrust: leaf 1 was altered"),
        "{}",
        stderr(&output)
    );
}

/// `prove LEAF` prints an RFC 9162 §2.1.3 inclusion proof that the library's own
/// `prove_inclusion` agrees with, and `prove --from-size` a §2.1.4 consistency proof; a leaf
/// outside the checkpoint, an unknown checkpoint size and an altered leaf are refused.
#[test]
fn prove_inclusion_and_consistency() {
    let fixture = Fixture::new();
    let output = fixture.ledger(&["prove", "1"]);
    assert_status(&output, 0);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("leaf 1 (serial SH-B, leaf hash ")
            && lines[0].contains("is in the signed checkpoint of 3 leaves"),
        "{text}"
    );
    assert_eq!(lines[1], "proof: 2 hashes");
    let store = SqliteStore::open(&fixture.db).unwrap();
    let expected: Vec<String> = trace::prove_inclusion(&trace::SM3, 3, 1, &store)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines[2..],
        expected.iter().map(String::as_str).collect::<Vec<_>>()[..]
    );

    // A retrieval appends a Retrieved entry and the checkpoint of 4 leaves.
    let _ = fixture.history_json("SH-A");
    let output = fixture.ledger(&[
        "prove",
        "--from-size",
        "3",
        "--log-key",
        &fixture.public_key,
    ]);
    assert_status(&output, 0);
    let text = stdout(&output);
    assert!(
        text.starts_with("the signed checkpoint of 3 leaves (root ")
            && text.contains("is a prefix of the signed checkpoint of 4 leaves"),
        "{text}"
    );
    let expected = trace::prove_consistency(&trace::SM3, 3, 4, &store).unwrap();
    assert!(
        text.contains(&format!("proof: {} hashes\n", expected.len())),
        "{text}"
    );

    let output = fixture.ledger(&["prove", "4"]);
    assert_status(&output, 2);
    assert_eq!(
        stderr(&output),
        "smtrust: leaf 4 is not in the signed checkpoint of 4 leaves\n"
    );
    let output = fixture.ledger(&["prove", "0", "--size", "2"]);
    assert_status(&output, 2);
    assert_eq!(
        stderr(&output),
        "smtrust: the ledger has no signed checkpoint of 2 leaves\n"
    );
    assert_status(&fixture.ledger(&["prove"]), 2);

    let conn = Connection::open(&fixture.db).unwrap();
    let mut der: Vec<u8> = conn
        .query_row("SELECT der FROM entries WHERE leaf = 1", [], |r| r.get(0))
        .unwrap();
    let at = der.windows(8).position(|w| w == b"approved").unwrap();
    der[at..at + 8].copy_from_slice(b"rejected");
    let _ = conn
        .execute("UPDATE entries SET der = ?1 WHERE leaf = 1", [der])
        .unwrap();
    assert_status(&fixture.ledger(&["prove", "1"]), 1);
}

/// A missing database, a missing --db and a database that is not SQLite are input errors.
#[test]
fn bad_databases_are_input_errors() {
    let fixture = Fixture::new();
    let missing = fixture.path("missing.db");
    let output = smtrust(&["ledger", "--db", &missing, "serials"]);
    assert_status(&output, 2);
    assert_eq!(
        stderr(&output),
        format!("smtrust: {missing}: no such ledger database\n")
    );
    assert!(!Path::new(&missing).exists());
    assert_status(&smtrust(&["ledger", "serials"]), 2);
    let garbage = fixture.path("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just text").unwrap();
    assert_status(&smtrust(&["ledger", "--db", &garbage, "log-key"]), 2);
}

/// The registration example writes the log signing key beside its database (mode 0600),
/// and the CLI retrieves from that database with it by default.
#[test]
fn registration_database_works_with_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registration.db");
    let output = Command::new(example_binary("registration"))
        .args([
            "--applicants",
            "2",
            "--seed",
            "2",
            "--at",
            "2026-11-26T10:00:00Z",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert_status(&output, 0);
    let key = dir.path().join("registration.db.log-key.pem");
    assert!(stdout(&output).contains(&format!("log signing key: {}", key.display())));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let db = db.to_str().unwrap();
    let output = smtrust(&["ledger", "--db", db, "serials"]);
    assert_status(&output, 0);
    let serial = stdout(&output).lines().next().unwrap().to_owned();
    let bundle = dir.path().join("r.bundle");
    let output = smtrust(&[
        "ledger",
        "--db",
        db,
        "export-bundle",
        &serial,
        "--out",
        bundle.to_str().unwrap(),
        "--reason",
        "inspection",
        "--actor",
        "samr-1",
    ]);
    assert_status(&output, 0);
    let public_key = dir.path().join("log.pem");
    std::fs::write(
        &public_key,
        stdout(&smtrust(&["ledger", "--db", db, "log-key"])),
    )
    .unwrap();
    let output = smtrust(&[
        "ledger",
        "verify-bundle",
        bundle.to_str().unwrap(),
        "--log-key",
        public_key.to_str().unwrap(),
    ]);
    assert_status(&output, 0);
    assert_status(&smtrust(&["ledger", "--db", db, "verify"]), 0);
}
