//! Helpers shared by the integration tests: reading the vector files in `test-vectors/`,
//! building example binaries, and running the `smtrust` command line ([`cli`]).

#![allow(dead_code)]

pub mod cli;
pub mod ledger;

use std::path::PathBuf;

use serde_json::Value;

/// The path of a file under `test-vectors/`.
pub fn vector_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("test-vectors")
        .join(relative)
}

/// Reads and parses a JSON vector file under `test-vectors/`.
pub fn load_json(relative: &str) -> Value {
    let text = std::fs::read_to_string(vector_path(relative))
        .unwrap_or_else(|err| panic!("cannot read {relative}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("cannot parse {relative}: {err}"))
}

/// The `cases` array of a vector file.
pub fn cases(file: &Value) -> &Vec<Value> {
    file["cases"].as_array().expect("a cases array")
}

/// A hex field of a case, or `None` when it is JSON null or absent.
pub fn hex_field(case: &Value, field: &str) -> Option<Vec<u8>> {
    case.get(field)?
        .as_str()
        .map(|text| hex::decode(text).unwrap_or_else(|err| panic!("{field}: {err}")))
}

/// A string field of a case.
pub fn str_field<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} missing in {}", case["id"]))
}

/// Whether the case expects `valid`.
pub fn expects_valid(case: &Value) -> bool {
    match str_field(case, "expect") {
        "valid" => true,
        "invalid" => false,
        other => panic!("unknown expectation {other}"),
    }
}

/// The path of an example binary, built on demand in the same target directory and profile
/// as the running test.
pub fn example_binary(name: &str) -> PathBuf {
    let test_exe = std::env::current_exe().expect("the test binary's path");
    // target/<profile>/deps/<test> → target/<profile>
    let profile_dir = test_exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let target_dir = profile_dir.parent().expect("target dir");
    let mut build = std::process::Command::new(env!("CARGO"));
    build
        .args([
            "build",
            "--quiet",
            "--all-features",
            "--example",
            name,
            "--target-dir",
        ])
        .arg(target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if profile_dir.file_name().is_some_and(|p| p == "release") {
        build.arg("--release");
    }
    let status = build.status().expect("cargo build --example");
    assert!(status.success(), "building example {name} failed");
    profile_dir.join("examples").join(name)
}

/// Whether a program is on the PATH (for tests that run peers such as `openssl`).
pub fn have_program(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("version")
        .output()
        .is_ok()
}
