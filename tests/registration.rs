//! The registration example (examples/registration) runs end to end with a small N and
//! prints its summary: one table row per applicant, the decision counts, the authority's
//! electronic seal (GB/T 38540 v4) on every verified form, the regulator's retrieval, bundle
//! verification and tamper detection, the seal signature and RFC 3161 timestamps verified
//! (and refused once a byte changes), the ledger size and the db path.

mod common;

use std::process::Command;

use common::example_binary;

#[test]
fn registration_example_prints_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registration.db");
    let output = Command::new(example_binary("registration"))
        .args([
            "--applicants",
            "8",
            "--seed",
            "2",
            "--at",
            "2026-11-26T10:00:00Z",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for number in 1..=8 {
        let serial = format!("SH2026{number:08}");
        assert_eq!(
            stdout
                .lines()
                .filter(|line| line.starts_with(&serial))
                .count(),
            1,
            "one row for {serial}:\n{stdout}"
        );
    }
    let counts = stdout
        .lines()
        .find(|line| line.starts_with("verified: "))
        .unwrap();
    let total: usize = counts
        .split(", ")
        .map(|part| part.rsplit(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 8, "{counts}");
    // Seed 2 is deterministic: every outcome occurs.
    assert_eq!(
        counts,
        "verified: 4, not verified: 1, indeterminate: 2, rejected (invalid identifier): 1"
    );
    for expected in ["retrieval logged", "bundle verified", "tampering detected"] {
        assert!(stdout.contains(expected), "missing {expected:?}:\n{stdout}");
    }
    // Every verified applicant's form is signed, sealed and time-stamped; no other is.
    assert_eq!(
        stdout
            .lines()
            .filter(|line| line.contains(" verified ")
                && line.ends_with("form signed (CMS), sealed, time-stamped"))
            .count(),
        4,
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("sealed, time-stamped").count(),
        4,
        "{stdout}"
    );
    // The TSA certificate is in the demo PKI; the seal, its use, and the regulator's checks
    // (GB/T 38540 seal signature verified at the RFC 3161 genTime; tampering refused).
    for line in [
        "  C=CN, O=Demo Time-Stamping Authority, CN=Trusted time",
        "electronic seal: \"Demo Registration Authority 登记专用章\", GB/T 38540-2020 (v4) seal 31000020260001, made by the e-seal maker for the registration authority",
        "sealed forms: 4, each with a SealApplied ledger entry; applicant and seal signatures time-stamped (RFC 3161, SM2)",
        "regulator: retrieved SH202600000001 (6 entries)",
        "regulator: seal signature on the form: valid (certificates checked at the timestamp's time)",
        "regulator: seal signature timestamp: 2026-11-26T10:00:00Z (verified; TSA C=CN, O=Demo Time-Stamping Authority, CN=Trusted time)",
        "regulator: applicant's signature timestamp: 2026-11-26T10:00:00Z (verified)",
        "regulator: one byte of the form changed: seal signature invalid (data_hash failed)",
        "regulator: the seal signature carries its timestamp (GB/T 38540 timeStamp field)",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing line {line:?}:\n{stdout}"
        );
    }
    let refused = stdout
        .lines()
        .find_map(|line| {
            line.strip_prefix(
                "regulator: one byte of the seal signature value changed: timestamp refused (",
            )
        })
        .unwrap();
    assert!(
        refused.starts_with("the token stamps the SM3 digest "),
        "{refused}"
    );
    // The retrieval's checkpoint, the ledger's final one, is stamped (RFC 3161 over the
    // checkpoint's signed note) and verified in the bundle against the demo root.
    let stamped = stdout
        .lines()
        .find_map(|line| line.strip_prefix("regulator: the checkpoint of "))
        .unwrap();
    let (stamped_size, rest) = stamped.split_once(' ').unwrap();
    assert_eq!(
        rest,
        "entries existed at 2026-11-26T10:00:00Z (RFC 3161 token in the bundle, verified; TSA C=CN, O=Demo Time-Stamping Authority, CN=Trusted time)"
    );
    let final_stamp = stdout
        .lines()
        .find(|line| line.starts_with("checkpoint timestamp: "))
        .unwrap();
    assert!(
        final_stamp.starts_with(
            "checkpoint timestamp: 2026-11-26T10:00:00Z (RFC 3161, SM3 imprint over the note above, serial "
        ),
        "{final_stamp}"
    );
    let size = stdout
        .lines()
        .find_map(|line| line.strip_prefix("ledger size: "))
        .unwrap();
    assert_eq!(size, format!("{stamped_size} entries"));
    assert!(size.ends_with(" entries"), "{size}");
    let size: u64 = size.trim_end_matches(" entries").parse().unwrap();
    assert!(size > 8, "ledger size {size}");
    assert!(
        stdout.contains(&format!("ledger database: {}", db.display())),
        "{stdout}"
    );
    assert!(db.exists());
}

/// A malformed --at is refused with a non-zero exit status.
#[test]
fn registration_example_refuses_a_malformed_time() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(example_binary("registration"))
        .args(["--applicants", "1", "--at", "2026-13-01T00:00:00Z", "--db"])
        .arg(dir.path().join("x.db"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not of the form"));
}
