//! The C programs in `examples/c/` compiled with the system `cc` against the library cargo
//! built for this test run, and run: once with AddressSanitizer and UndefinedBehaviorSanitizer
//! (linking the static library), and once under valgrind (linking the shared library) where
//! valgrind is installed. The programs check the interop vectors of `test-vectors/interop/`
//! (and `seal_verify.c` the real seal samples of `test-vectors/seals/`),
//! which this test passes to them as a plain text file (format in `write_vectors`).
#![cfg(all(feature = "ffi", target_os = "linux"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{cases, expects_valid, hex_field, load_json, str_field};
use serde_json::Value;

/// Native libraries a Rust static library needs on Linux (`rustc --print native-static-libs`).
const NATIVE_LIBS: [&str; 5] = ["-lgcc_s", "-lpthread", "-lm", "-ldl", "-lc"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding `libsmtrust.a` and `libsmtrust.so` with the C ABI in them.
///
/// The libraries are built here with `cargo build --lib --all-features` (a no-op when fresh)
/// rather than taken from `deps/`: their names carry no feature hash, so a build without the
/// `ffi` feature would otherwise leave a library without the `smtrust_` symbols behind.
fn library_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/<test> → target/<profile>
        let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
        let target_dir = profile_dir.parent().unwrap();
        let mut build = Command::new(env!("CARGO"));
        build
            .args([
                "build",
                "--quiet",
                "--lib",
                "--all-features",
                "--target-dir",
            ])
            .arg(target_dir)
            .current_dir(root());
        if profile_dir
            .file_name()
            .is_some_and(|name| name == "release")
        {
            build.arg("--release");
        }
        assert!(
            build.status().unwrap().success(),
            "cargo build --lib failed"
        );
        for lib in ["libsmtrust.a", "libsmtrust.so"] {
            assert!(
                profile_dir.join(lib).exists(),
                "{lib} not found in {}",
                profile_dir.display()
            );
        }
        profile_dir.to_path_buf()
    })
    .clone()
}

fn work_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ffi_c");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn hex_or(case: &Value, field: &str, absent: &str) -> String {
    match hex_field(case, field) {
        None => absent.to_owned(),
        Some(bytes) if bytes.is_empty() => ".".to_owned(),
        Some(bytes) => hex::encode(bytes),
    }
}

/// The status a negative signature case must give for one encoding; the same expectations as
/// `tests/sm2_interop.rs` (GB/T 32918.2 §7.1 B1/B2 ranges, strict DER, B7), as C status names.
fn sign_status(id: &str, valid: bool) -> &'static str {
    if valid {
        return "SMTRUST_STATUS_OK";
    }
    match id.trim_start_matches("sm2-sign-neg-") {
        "wrong-message" | "wrong-id" | "wrong-id-empty" | "wrong-key" | "s-neg" | "r-s-swapped" => {
            "SMTRUST_STATUS_SM2_BAD_SIGNATURE"
        }
        "pubkey-not-on-curve" => "SMTRUST_STATUS_SM2_INVALID_KEY",
        "r-zero"
        | "r-eq-n"
        | "r-plus-n"
        | "s-zero"
        | "s-eq-n"
        | "s-plus-n"
        | "raw-63-bytes"
        | "raw-65-bytes"
        | "der-truncated"
        | "der-trailing-byte"
        | "der-int-leading-zero"
        | "der-long-form-length"
        | "der-int-long-form-length"
        | "der-negative-int" => "SMTRUST_STATUS_SM2_INVALID_SIGNATURE_ENCODING",
        other => panic!("no expectation written for negative case {other}"),
    }
}

/// The status a ciphertext case must give in one layout (GB/T 32918.4 §7.1 B1 and B6, GM/T
/// 0009 strict DER), as in `tests/sm2_interop.rs`.
fn decrypt_status(id: &str, valid: bool, der: bool) -> &'static str {
    const LAYOUT: &str = "SMTRUST_STATUS_SM2_INVALID_CIPHERTEXT_ENCODING";
    const FAILED: &str = "SMTRUST_STATUS_SM2_DECRYPTION_FAILED";
    if valid {
        return "SMTRUST_STATUS_OK";
    }
    match id.trim_start_matches("sm2-enc-neg-") {
        "tampered-c3" | "tampered-c2" => FAILED,
        "c1-not-on-curve" | "c1-x-tampered" => LAYOUT,
        "truncated" if der => LAYOUT,
        "truncated" => FAILED,
        "der-trailing-byte" | "der-hash-31-bytes" | "der-x-non-minimal" | "empty-c2" => LAYOUT,
        other => panic!("no expectation written for negative case {other}"),
    }
}

/// The vector file the C programs read: one case per line, fields separated by spaces, `-`
/// for a field that does not apply, `.` for the empty byte string.
///
/// - `sign ID PUBLIC PRIVATE DIST_ID MSG SIG_DER DER_STATUS SIG_RAW RAW_STATUS`
/// - `enc ID PRIVATE PLAINTEXT` and five `CIPHERTEXT STATUS` pairs (DER, C1C3C2, C1C2C3,
///   C1C3C2 and C1C2C3 without `04`)
/// - `sm4 ID MODE PADDING KEY IV AAD PLAINTEXT CIPHERTEXT TAG STATUS` (CBC, CTR, GCM)
/// - `sm3 ID MSG DIGEST` and `hmac ID KEY MSG MAC STATUS`
fn write_vectors() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut lines = Vec::new();
        let (mut signs, mut encs) = (0, 0);
        for case in cases(&load_json("interop/sm2_sign.json")) {
            let id = str_field(case, "id");
            let status = sign_status(id, expects_valid(case));
            lines.push(format!(
                "sign {id} {} {} {} {} {} {status} {} {status}",
                hex_or(case, "public_key", "-"),
                hex_or(case, "private_key", "-"),
                hex_or(case, "id_hex", "-"),
                hex_or(case, "msg", "-"),
                hex_or(case, "sig_der", "-"),
                hex_or(case, "sig_raw", "-"),
            ));
            signs += 1;
        }
        for case in cases(&load_json("interop/sm2_encrypt.json")) {
            let id = str_field(case, "id");
            let valid = expects_valid(case);
            let mut line = format!(
                "enc {id} {} {}",
                hex_or(case, "private_key", "-"),
                hex_or(case, "plaintext", "-")
            );
            for field in [
                "ciphertext_der",
                "ciphertext_c1c3c2",
                "ciphertext_c1c2c3",
                "ciphertext_c1c3c2_no04",
                "ciphertext_c1c2c3_no04",
            ] {
                let status = decrypt_status(id, valid, field == "ciphertext_der");
                line.push_str(&format!(" {} {status}", hex_or(case, field, "-")));
            }
            lines.push(line);
            encs += 1;
        }
        lines.extend(sm4_lines());
        lines.extend(sm3_lines());
        assert_eq!((signs, encs), (45, 28), "the interop vector files changed");
        let path = work_dir().join("vectors.txt");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    })
}

fn sm4_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for case in cases(&load_json("interop/sm4.json")) {
        let mode = str_field(case, "mode");
        if !matches!(mode, "CBC" | "CTR" | "GCM") {
            continue;
        }
        let id = str_field(case, "id");
        let status = match (expects_valid(case), mode) {
            (true, _) => "SMTRUST_STATUS_OK",
            (false, "GCM") => "SMTRUST_STATUS_SM4_AUTHENTICATION_FAILED",
            (false, _)
                if !hex_field(case, "ciphertext")
                    .unwrap()
                    .len()
                    .is_multiple_of(16) =>
            {
                "SMTRUST_STATUS_SM4_NOT_BLOCK_ALIGNED"
            }
            (false, _) => "SMTRUST_STATUS_SM4_BAD_PADDING",
        };
        let padding = case["padding"].as_str().unwrap_or("-");
        lines.push(format!(
            "sm4 {id} {mode} {padding} {} {} {} {} {} {} {status}",
            hex_or(case, "key", "-"),
            hex_or(case, "iv", "-"),
            hex_or(case, "aad", "-"),
            hex_or(case, "plaintext", "-"),
            hex_or(case, "ciphertext", "-"),
            hex_or(case, "tag", "-"),
        ));
    }
    lines
}

fn sm3_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for case in cases(&load_json("interop/sm3.json")) {
        lines.push(format!(
            "sm3 {} {} {}",
            str_field(case, "id"),
            hex_or(case, "msg", "-"),
            hex_or(case, "digest", "-")
        ));
    }
    for case in cases(&load_json("interop/hmac_sm3.json")) {
        let status = if expects_valid(case) {
            "SMTRUST_STATUS_OK"
        } else {
            "SMTRUST_STATUS_SM3_MAC_MISMATCH"
        };
        lines.push(format!(
            "hmac {} {} {} {} {status}",
            str_field(case, "id"),
            hex_or(case, "key", "-"),
            hex_or(case, "msg", "-"),
            hex_or(case, "mac", "-")
        ));
    }
    lines
}

/// How a program is built and run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// `-fsanitize=address,undefined`, linked with `libsmtrust.a`; leaks are reported too.
    Sanitizers,
    /// Linked with `libsmtrust.so`, run under `valgrind --error-exitcode=1 --leak-check=full`.
    Valgrind,
}

fn have_valgrind() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Compiles `examples/c/<program>.c` for `mode`; returns the executable.
fn compile(program: &str, mode: Mode) -> PathBuf {
    compile_source(
        &root().join(format!("examples/c/{program}.c")),
        program,
        mode,
    )
}

/// Compiles the C file `source` for `mode` into an executable named after `program`.
fn compile_source(source: &Path, program: &str, mode: Mode) -> PathBuf {
    let lib_dir = library_dir();
    let exe = work_dir().join(format!("{program}-{mode:?}").to_lowercase());
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".to_owned()));
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-pthread"])
        .arg("-I")
        .arg(root().join("include"))
        .arg(source)
        .arg("-o")
        .arg(&exe);
    match mode {
        Mode::Sanitizers => {
            cc.args([
                "-fsanitize=address,undefined",
                "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer",
            ])
            .arg(lib_dir.join("libsmtrust.a"))
            .args(NATIVE_LIBS);
        }
        Mode::Valgrind => {
            cc.arg("-L")
                .arg(&lib_dir)
                .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
                .arg("-lsmtrust");
        }
    }
    let out = cc.output().expect("cannot run cc");
    assert!(
        out.status.success(),
        "compiling {program} ({mode:?}) against {} failed:\n{:?}\n{}",
        lib_dir.display(),
        cc,
        String::from_utf8_lossy(&out.stderr),
    );
    exe
}

/// Builds and runs `program` with `args` in `mode`; returns its standard output.
fn run(program: &str, mode: Mode, args: &[&Path]) -> String {
    run_executable(&compile(program, mode), program, mode, args)
}

/// Runs a compiled program with `args` in `mode`; returns its standard output.
fn run_executable(exe: &Path, program: &str, mode: Mode, args: &[&Path]) -> String {
    let mut command = match mode {
        Mode::Sanitizers => {
            let mut command = Command::new(exe);
            command.env(
                "ASAN_OPTIONS",
                "detect_leaks=1:abort_on_error=0:exitcode=23",
            );
            command.env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1");
            command
        }
        Mode::Valgrind => {
            let mut command = Command::new("valgrind");
            command
                .args(["--error-exitcode=1", "--leak-check=full", "--quiet"])
                .arg(exe);
            command
        }
    };
    let out = command.args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{program} ({mode:?}) failed with {}:\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn run_sign_verify(mode: Mode) {
    let stdout = run("sign_verify", mode, &[write_vectors()]);
    assert_eq!(
        stdout.trim(),
        "sign_verify: 45 signature vectors, 0 failures"
    );
}

fn run_encrypt_decrypt(mode: Mode) {
    let stdout = run("encrypt_decrypt", mode, &[write_vectors()]);
    assert!(
        stdout.starts_with("encrypt_decrypt: 28 SM2, ") && stdout.trim().ends_with(" 0 failures"),
        "{stdout}"
    );
}

fn run_errors(mode: Mode) {
    let keys = load_json("interop/keys/keys.json");
    let key1 = &cases(&keys)[0];
    let password = key1["password"].as_str().unwrap().to_owned();
    let pem = common::vector_path("interop/keys/key1.pkcs8-enc-sm4cbc.pem");
    let stdout = run("errors", mode, &[&pem, Path::new(&password)]);
    assert_eq!(stdout.trim(), "errors: 0 failures");
}

/// The ledger round trip on a fresh SQLite file (one per mode, so the two runs never share it).
fn run_ledger_roundtrip(mode: Mode) {
    let db = work_dir().join(format!("ledger-{mode:?}.db").to_lowercase());
    for stale in [
        db.clone(),
        db.with_extension("db-wal"),
        db.with_extension("db-shm"),
    ] {
        let _ = std::fs::remove_file(stale);
    }
    let stdout = run("ledger_roundtrip", mode, &[&db]);
    assert_eq!(stdout.trim(), "ledger_roundtrip: 0 failures");
}

#[test]
fn ledger_roundtrip_with_sanitizers() {
    run_ledger_roundtrip(Mode::Sanitizers);
}

#[test]
fn ledger_roundtrip_under_valgrind() {
    if have_valgrind() {
        run_ledger_roundtrip(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

#[test]
fn sign_verify_vectors_with_sanitizers() {
    run_sign_verify(Mode::Sanitizers);
}

#[test]
fn encrypt_decrypt_vectors_with_sanitizers() {
    run_encrypt_decrypt(Mode::Sanitizers);
}

#[test]
fn error_handling_with_sanitizers() {
    run_errors(Mode::Sanitizers);
}

#[test]
fn sign_verify_vectors_under_valgrind() {
    if have_valgrind() {
        run_sign_verify(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

#[test]
fn encrypt_decrypt_vectors_under_valgrind() {
    if have_valgrind() {
        run_encrypt_decrypt(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

#[test]
fn error_handling_under_valgrind() {
    if have_valgrind() {
        run_errors(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

/// The example in `docs/c-abi.md` compiles with `-Werror` and runs cleanly, so the documentation
/// stays true (like README's doctests).
#[test]
fn the_example_in_docs_c_abi_md_runs_with_sanitizers() {
    let doc = std::fs::read_to_string(root().join("docs/c-abi.md")).unwrap();
    let start = doc.find("```c\n").unwrap() + "```c\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let source = work_dir().join("doc_example.c");
    std::fs::write(&source, &doc[start..end]).unwrap();
    let exe = compile_source(&source, "doc_example", Mode::Sanitizers);
    assert_eq!(
        run_executable(&exe, "doc_example", Mode::Sanitizers, &[]),
        ""
    );
}

/// The status `smtrust_cert_verify` must give for an interop case's `reason` (the same reasons
/// `tests/pki.rs` maps to `pki::Error` variants).
fn cert_status(reason: &str) -> &'static str {
    match reason {
        "ok" => "SMTRUST_STATUS_OK",
        "expired" => "SMTRUST_STATUS_CERT_EXPIRED",
        "not_yet_valid" => "SMTRUST_STATUS_CERT_NOT_YET_VALID",
        "bad_signature" => "SMTRUST_STATUS_CERT_BAD_SIGNATURE",
        "invalid_ca" | "path_length_exceeded" => "SMTRUST_STATUS_CERT_INVALID_PATH",
        "invalid_purpose" => "SMTRUST_STATUS_CERT_USAGE",
        "revoked" => "SMTRUST_STATUS_CERT_REVOKED",
        "crl_bad_signature" => "SMTRUST_STATUS_CERT_CRL_INVALID",
        other => panic!("no expectation written for reason {other}"),
    }
}

fn pki_file(relative: &str) -> String {
    common::vector_path(&format!("interop/pki/{relative}"))
        .display()
        .to_string()
}

fn seal_file(name: &str) -> String {
    common::vector_path(&format!("seals/{name}"))
        .display()
        .to_string()
}

fn file_list(files: &[String]) -> String {
    if files.is_empty() {
        "-".to_owned()
    } else {
        files.join(",")
    }
}

/// The vector file of `cert_verify.c`: one line per path case,
/// `cert ID LEAF INTERMEDIATES ANCHORS CRLS AT USAGE FLAGS SM2_ID_HEX STATUS` (file lists
/// comma-separated, `-` for none; `.` for the empty ID). The 30 interop cases of
/// `test-vectors/interop/pki/cases.json`, an unknown issuer, and the real ofdrw seal
/// certificates (SEAL-SPEC D16: a root without keyCertSign, accepted only with the legacy flag).
fn write_pki_vectors() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let cases_file = load_json("interop/pki/cases.json");
        let mut lines = Vec::new();
        for case in cases(&cases_file) {
            let list = |field: &str| -> Vec<String> {
                case[field]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|path| pki_file(path.as_str().unwrap()))
                    .collect()
            };
            let crls = if case["check_revocation"].as_bool().unwrap() {
                list("crls")
            } else {
                Vec::new()
            };
            let usage = match str_field(case, "usage") {
                "any" => "any",
                "digitalSignature" => "signing",
                other => panic!("no usage mapping for {other}"),
            };
            let id = match str_field(case, "sm2_id_hex") {
                "" => ".",
                id => id,
            };
            lines.push(format!(
                "cert {} {} {} {} {} {} {usage} 0 {id} {}",
                str_field(case, "id"),
                pki_file(str_field(case, "leaf")),
                file_list(&list("intermediates")),
                pki_file(str_field(case, "trust_anchor")),
                file_list(&crls),
                case["verification_time_unix"].as_u64().unwrap(),
                cert_status(str_field(case, "reason")),
            ));
        }
        assert_eq!(lines.len(), 30, "the interop PKI cases changed");
        let default_id = hex::encode("1234567812345678");
        lines.push(format!(
            "cert std-no-intermediate {} - {} - 1906502400 signing 0 {default_id} \
             SMTRUST_STATUS_CERT_UNKNOWN_ISSUER",
            pki_file("std/leaf-good.pem"),
            pki_file("std/root.pem"),
        ));
        let root = seal_file("derived_ROOT_cert.pem");
        for (id, leaf, at, flags, sm2_id, status) in [
            (
                "seal-maker-legacy-root",
                "derived_SealBuilder_cert.pem",
                1_622_505_600,
                4,
                &default_id[..],
                "SMTRUST_STATUS_OK",
            ),
            (
                "seal-maker-strict-root",
                "derived_SealBuilder_cert.pem",
                1_622_505_600,
                0,
                &default_id[..],
                "SMTRUST_STATUS_CERT_INVALID_PATH",
            ),
            (
                "seal-user-legacy-root",
                "derived_USER_cert.pem",
                1_622_505_600,
                4,
                &default_id[..],
                "SMTRUST_STATUS_OK",
            ),
            (
                "seal-user-expired-2022",
                "derived_USER_cert.pem",
                1_654_041_600,
                4,
                &default_id[..],
                "SMTRUST_STATUS_CERT_EXPIRED",
            ),
            (
                "seal-user-empty-id",
                "derived_USER_cert.pem",
                1_622_505_600,
                4,
                ".",
                "SMTRUST_STATUS_CERT_BAD_SIGNATURE",
            ),
        ] {
            lines.push(format!(
                "cert {id} {} - {root} - {at} signing {flags} {sm2_id} {status}",
                seal_file(leaf)
            ));
        }
        let path = work_dir().join("pki_vectors.txt");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    })
}

fn run_cert_verify(mode: Mode) {
    let stdout = run(
        "cert_verify",
        mode,
        &[
            write_pki_vectors(),
            Path::new(&pki_file("keys/leaf-good.key.pem")),
            Path::new(&pki_file("std/leaf-good.pem")),
            Path::new(&pki_file("std/int.pem")),
            Path::new(&pki_file("std/root.pem")),
        ],
    );
    assert_eq!(stdout.trim(), "cert_verify: 36 path cases, 0 failures");
}

fn run_record_roundtrip(mode: Mode) {
    let stdout = run(
        "record_roundtrip",
        mode,
        &[
            Path::new(&pki_file("keys/leaf-good.key.pem")),
            Path::new(&pki_file("std/leaf-good.der")),
            Path::new(&pki_file("std/int.pem")),
            Path::new(&pki_file("std/root.pem")),
        ],
    );
    assert_eq!(stdout.trim(), "record_roundtrip: 0 failures");
}

#[test]
fn cert_verify_and_cms_with_sanitizers() {
    run_cert_verify(Mode::Sanitizers);
}

#[test]
fn record_roundtrip_with_sanitizers() {
    run_record_roundtrip(Mode::Sanitizers);
}

#[test]
fn cert_verify_and_cms_under_valgrind() {
    if have_valgrind() {
        run_cert_verify(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

#[test]
fn record_roundtrip_under_valgrind() {
    if have_valgrind() {
        run_record_roundtrip(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}

/// `seal_verify.c` on the real seal samples (test-vectors/seals/MANIFEST.md): the gomain v4
/// seal signature of OfdSharp with its Signature.xml and with another file, the ofdrw v4 seal
/// with its root (DER, converted here from the PEM; SEAL-SPEC D16), and the refusals.
fn run_seal_verify(mode: Mode) {
    let root = smtrust::pki::Certificate::from_pem(
        &std::fs::read_to_string(seal_file("derived_ROOT_cert.pem")).unwrap(),
    )
    .unwrap();
    let root_der = work_dir().join("ofdrw_root.der");
    std::fs::write(&root_der, root.der()).unwrap();
    let files = [
        seal_file("ofdsharp_SignedValue.dat"),
        seal_file("ofdsharp_Signature.xml"),
        seal_file("ofdrw_gm_Signature.xml"),
        seal_file("ofdrw_UserV4.esl"),
    ];
    let mut args: Vec<&Path> = files.iter().map(Path::new).collect();
    args.push(&root_der);
    let stdout = run("seal_verify", mode, &args);
    assert_eq!(stdout.trim(), "seal_verify: 7 cases, 0 failures");
}

#[test]
fn seal_verify_with_sanitizers() {
    run_seal_verify(Mode::Sanitizers);
}

#[test]
fn seal_verify_under_valgrind() {
    if have_valgrind() {
        run_seal_verify(Mode::Valgrind);
    } else {
        eprintln!("valgrind is not installed; skipped");
    }
}
