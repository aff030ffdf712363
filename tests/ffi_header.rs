//! The committed C header `include/smtrust.h` must be exactly what cbindgen generates from
//! `src/ffi` with `cbindgen.toml`. Run with `SMTRUST_BLESS_HEADER=1` to rewrite it after
//! changing the ABI (then review the diff: the ABI policy in `src/ffi/mod.rs` applies).
#![cfg(feature = "ffi")]

use std::path::{Path, PathBuf};

use smtrust::ffi::{SMTRUST_SM2_DEFAULT_ID, SMTRUST_SM2_DEFAULT_ID_LEN, Status};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generate() -> String {
    let config = cbindgen::Config::from_file(root().join("cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root().join("src/ffi/mod.rs"))
        .generate()
        .unwrap();
    let mut out = Vec::new();
    bindings.write(&mut out);
    String::from_utf8(out).unwrap()
}

fn committed_path() -> PathBuf {
    root().join("include/smtrust.h")
}

#[test]
fn committed_header_matches_a_fresh_generation() {
    let fresh = generate();
    let path = committed_path();
    if std::env::var_os("SMTRUST_BLESS_HEADER").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let first_difference = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
        panic!(
            "{} is out of date (first difference at line {}); regenerate it with \
             `SMTRUST_BLESS_HEADER=1 cargo test --all-features --test ffi_header`",
            display(&path),
            first_difference + 1
        );
    }
}

fn display(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every status code is in the header under the name `smtrust_status_name` gives it, with its
/// number: the list is derived from one enum, and this checks the derivation.
#[test]
fn every_status_appears_in_the_header_with_its_number() {
    let header = std::fs::read_to_string(committed_path()).unwrap();
    for &status in Status::all() {
        let line = format!("{} = {},", status.name(), status as u32);
        assert!(header.contains(&line), "{line} missing from smtrust.h");
    }
}

/// The string constant cbindgen cannot write (it is in `cbindgen.toml`) matches the Rust one.
#[test]
fn the_default_id_define_is_gmt_0009_default_id() {
    let header = std::fs::read_to_string(committed_path()).unwrap();
    let define = format!("#define SMTRUST_SM2_DEFAULT_ID \"{SMTRUST_SM2_DEFAULT_ID}\"\n");
    assert!(header.contains(&define), "{define} missing");
    assert!(header.contains(&format!(
        "#define SMTRUST_SM2_DEFAULT_ID_LEN {SMTRUST_SM2_DEFAULT_ID_LEN}\n"
    )));
}

#[test]
fn every_exported_function_is_declared_once() {
    let header = std::fs::read_to_string(committed_path()).unwrap();
    let source: String = std::fs::read_dir(root().join("src/ffi"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    let exported: Vec<&str> = source
        .match_indices("pub unsafe extern \"C\" fn ")
        .map(|(at, prefix)| {
            let rest = &source[at + prefix.len()..];
            &rest[..rest.find('(').unwrap()]
        })
        .collect();
    assert_eq!(exported.len(), 45, "{exported:?}");
    for name in exported {
        assert!(name.starts_with("smtrust_"), "{name}");
        assert_eq!(
            header.matches(&format!("smtrust_status {name}(")).count(),
            1,
            "{name}"
        );
    }
}
