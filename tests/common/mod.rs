//! Helpers shared by the integration tests: reading the vector files in `test-vectors/`.

#![allow(dead_code)]

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
