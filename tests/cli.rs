//! The `smtrust` command line (examples/smtrust): every subcommand's happy path and an error
//! path, the exit statuses of the CLI contract (0 ok, 1 verification failed, 2 input error), and
//! interoperability with the `openssl` binary in both directions.

mod common;

use std::process::{Command, Output};

use common::cli::{
    Dir, assert_one_line_reason, assert_status, run_command, run_with_stdin as smtrust_with,
};
use common::have_program;

fn keygen(dir: &Dir) -> (String, String) {
    let (key, public) = (dir.path("key.pem"), dir.path("pub.pem"));
    let output = smtrust_with(&["keygen", "--out", &key, "--pubout", &public], b"");
    assert_status(&output, 0);
    (key, public)
}

#[test]
fn keygen_pubkey_sign_verify() {
    let dir = Dir::new("sign");
    let (key, public) = keygen(&dir);
    let derived = smtrust_with(&["pubkey", "--key", &key], b"");
    assert_status(&derived, 0);
    assert_eq!(derived.stdout, std::fs::read(&public).unwrap());

    for sig_format in ["der", "raw"] {
        let sig = dir.path(&format!("sig.{sig_format}"));
        let signed = smtrust_with(
            &[
                "sign",
                "--key",
                &key,
                "--sig-format",
                sig_format,
                "--out",
                &sig,
            ],
            b"application form",
        );
        assert_status(&signed, 0);
        let verified = smtrust_with(
            &["verify", "--pubkey", &public, "--sig", &sig],
            b"application form",
        );
        assert_status(&verified, 0);
        let tampered = smtrust_with(
            &["verify", "--pubkey", &public, "--sig", &sig],
            b"application form!",
        );
        assert_status(&tampered, 1);
        assert_one_line_reason(&tampered);
        let other_id = smtrust_with(
            &[
                "verify", "--pubkey", &public, "--sig", &sig, "--id", "ALICE",
            ],
            b"application form",
        );
        assert_status(&other_id, 1);
    }

    let hex_sig = dir.path("sig.hex");
    let signed = smtrust_with(
        &[
            "sign", "--key", &key, "--id-hex", "", "--hex", "--out", &hex_sig,
        ],
        b"m",
    );
    assert_status(&signed, 0);
    let verified = smtrust_with(
        &[
            "verify", "--pubkey", &public, "--sig", &hex_sig, "--id-hex", "",
        ],
        b"m",
    );
    assert_status(&verified, 0);
}

#[test]
fn sign_and_verify_input_errors() {
    let dir = Dir::new("errors");
    let (key, public) = keygen(&dir);
    let missing = smtrust_with(&["sign", "--key", &dir.path("absent.pem")], b"m");
    assert_status(&missing, 2);
    assert_one_line_reason(&missing);
    std::fs::write(dir.path("garbage.sig"), b"not a signature").unwrap();
    let garbage = smtrust_with(
        &[
            "verify",
            "--pubkey",
            &public,
            "--sig",
            &dir.path("garbage.sig"),
        ],
        b"m",
    );
    assert_status(&garbage, 2);
    assert_one_line_reason(&garbage);
    let both_ids = smtrust_with(
        &["sign", "--key", &key, "--id", "a", "--id-hex", "61"],
        b"m",
    );
    assert_status(&both_ids, 2);
    let usage = smtrust_with(&["sign"], b"");
    assert_status(&usage, 2);
}

#[test]
fn encrypt_decrypt_convert() {
    let dir = Dir::new("encrypt");
    let (key, public) = keygen(&dir);
    for format in ["der", "c1c3c2", "c1c2c3", "c1c3c2-no04", "c1c2c3-no04"] {
        let ciphertext = dir.path(&format!("ct.{format}"));
        let encrypted = smtrust_with(
            &[
                "encrypt",
                "--pubkey",
                &public,
                "--format",
                format,
                "--out",
                &ciphertext,
            ],
            b"110101199003077777",
        );
        assert_status(&encrypted, 0);
        let decrypted = smtrust_with(&["decrypt", "--key", &key, "--in", &ciphertext], b"");
        assert_status(&decrypted, 0);
        assert_eq!(decrypted.stdout, b"110101199003077777");
        let explicit = smtrust_with(
            &[
                "decrypt",
                "--key",
                &key,
                "--format",
                format,
                "--in",
                &ciphertext,
            ],
            b"",
        );
        assert_eq!(explicit.stdout, b"110101199003077777");
    }
    let converted = smtrust_with(
        &[
            "convert",
            "--from",
            "der",
            "--to",
            "c1c2c3",
            "--in",
            &dir.path("ct.der"),
        ],
        b"",
    );
    assert_status(&converted, 0);
    assert_eq!(
        smtrust_with(
            &["decrypt", "--key", &key, "--format", "c1c2c3"],
            &converted.stdout
        )
        .stdout,
        b"110101199003077777"
    );
    let wrong_layout = smtrust_with(
        &["decrypt", "--key", &key, "--format", "c1c3c2"],
        &converted.stdout,
    );
    assert_status(&wrong_layout, 2);
    assert_one_line_reason(&wrong_layout);
    let signature = smtrust_with(&["sign", "--key", &key, "--sig-format", "raw"], b"m");
    let as_der = smtrust_with(
        &[
            "convert",
            "--kind",
            "signature",
            "--from",
            "raw",
            "--to",
            "der",
        ],
        &signature.stdout,
    );
    assert_status(&as_der, 0);
    assert_eq!(as_der.stdout[0], 0x30);
    let bad = smtrust_with(
        &["convert", "--from", "der", "--to", "nonsense"],
        b"\x30\x00",
    );
    assert_status(&bad, 2);
}

#[test]
fn hash_and_hmac() {
    // GB/T 32905-2016 Appendix A, example 1.
    let hashed = smtrust_with(&["hash"], b"abc");
    assert_status(&hashed, 0);
    assert_eq!(
        String::from_utf8(hashed.stdout).unwrap().trim(),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    let mac = smtrust_with(&["hmac", "--key-hex", "6b6579"], b"message");
    assert_status(&mac, 0);
    assert_eq!(
        String::from_utf8(mac.stdout).unwrap().trim(),
        hex::encode(smtrust::sm3::hmac(b"key", b"message"))
    );
    let bad_key = smtrust_with(&["hmac", "--key-hex", "zz"], b"message");
    assert_status(&bad_key, 2);
    assert_one_line_reason(&bad_key);
}

#[test]
fn sm4_every_mode_round_trips() {
    let key = "0123456789abcdeffedcba9876543210";
    let plaintext: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    for mode in ["ecb", "cbc", "ctr", "cfb", "ofb", "gcm", "ccm"] {
        let iv = if matches!(mode, "gcm" | "ccm") {
            "000102030405060708090a0b"
        } else {
            "000102030405060708090a0b0c0d0e0f"
        };
        let encrypted = smtrust_with(
            &[
                "sm4",
                "--encrypt",
                "--mode",
                mode,
                "--key-hex",
                key,
                "--iv-hex",
                iv,
            ],
            &plaintext,
        );
        assert_status(&encrypted, 0);
        let decrypted = smtrust_with(
            &[
                "sm4",
                "--decrypt",
                "--mode",
                mode,
                "--key-hex",
                key,
                "--iv-hex",
                iv,
            ],
            &encrypted.stdout,
        );
        assert_status(&decrypted, 0);
        assert_eq!(decrypted.stdout, plaintext, "{mode}");
    }
    // GB/T 32907-2016 example 1 through ECB without padding.
    let example = smtrust_with(
        &[
            "sm4",
            "--encrypt",
            "--mode",
            "ecb",
            "--no-padding",
            "--key-hex",
            key,
        ],
        &hex::decode(key).unwrap(),
    );
    assert_eq!(
        hex::encode(example.stdout),
        "681edf34d206965e86b3e94f536e4246"
    );
}

#[test]
fn sm4_errors() {
    let key = "0123456789abcdeffedcba9876543210";
    let nonce = "000102030405060708090a0b";
    let sealed = smtrust_with(
        &[
            "sm4",
            "--encrypt",
            "--mode",
            "gcm",
            "--key-hex",
            key,
            "--iv-hex",
            nonce,
        ],
        b"secret",
    );
    let mut tampered = sealed.stdout.clone();
    tampered[0] ^= 1;
    let opened = smtrust_with(
        &[
            "sm4",
            "--decrypt",
            "--mode",
            "gcm",
            "--key-hex",
            key,
            "--iv-hex",
            nonce,
        ],
        &tampered,
    );
    assert_status(&opened, 1);
    assert_one_line_reason(&opened);
    let short_key = smtrust_with(
        &[
            "sm4",
            "--encrypt",
            "--mode",
            "ctr",
            "--key-hex",
            "0011",
            "--iv-hex",
            nonce,
        ],
        b"x",
    );
    assert_status(&short_key, 2);
    let no_iv = smtrust_with(
        &["sm4", "--encrypt", "--mode", "cbc", "--key-hex", key],
        b"x",
    );
    assert_status(&no_iv, 2);
    assert_one_line_reason(&no_iv);
    let bad_pad = smtrust_with(
        &["sm4", "--decrypt", "--mode", "ecb", "--key-hex", key],
        &[0u8; 16],
    );
    assert_status(&bad_pad, 2);
}

#[test]
fn diagnose_says_what_a_blob_is() {
    let dir = Dir::new("diagnose");
    let (key, public) = keygen(&dir);
    let on_key = smtrust_with(&["diagnose", "--in", &key], b"");
    assert_status(&on_key, 0);
    let text = String::from_utf8(on_key.stdout).unwrap();
    assert!(
        text.contains("PRIVATE KEY") && text.contains("Pkcs8"),
        "{text}"
    );

    let signature = smtrust_with(&["sign", "--key", &key, "--id-hex", ""], b"msg");
    std::fs::write(dir.path("msg"), b"msg").unwrap();
    let on_signature = smtrust_with(
        &["diagnose", "--pubkey", &public, "--msg", &dir.path("msg")],
        &signature.stdout,
    );
    let text = String::from_utf8(on_signature.stdout).unwrap();
    assert!(text.contains("verifies with ID DistId(\"\")"), "{text}");
    let unknown = smtrust_with(&["diagnose"], b"hello");
    assert_status(&unknown, 2);
    assert_one_line_reason(&unknown);
}

#[test]
fn speed_json_names_every_operation() {
    let output = smtrust_with(&["speed", "all", "--seconds", "0.01", "--json"], b"");
    assert_status(&output, 0);
    let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["op"].as_str().unwrap())
        .collect();
    for expected in [
        "sm2-sign",
        "sm2-verify",
        "sm2-encrypt",
        "sm2-decrypt",
        "sm3-64",
        "sm3-8k",
        "sm4-ecb-64",
        "sm4-cbc-enc-8k",
        "sm4-cbc-dec-8k",
        "sm4-ctr-8k",
        "sm4-gcm-8k",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(rows[0]["mb_per_sec"].is_null());
    assert!(rows[0]["per_sec"].as_f64().unwrap() > 0.0);
}

fn openssl(list: &[&str], stdin: &[u8]) -> Output {
    let mut command = Command::new("openssl");
    command.args(list);
    run_command(command, stdin)
}

fn skip_without_openssl() -> bool {
    if have_program("openssl") {
        false
    } else {
        println!("skipped: no openssl binary on PATH");
        true
    }
}

/// `openssl pkeyutl` signing or verifying `dir/msg` with SM3 and the default ID.
fn pkeyutl_sm3(action: &[&str], dir: &Dir) -> Output {
    let message = dir.path("msg");
    let mut list = vec!["pkeyutl", "-rawin", "-digest", "sm3", "-in", &message];
    list.extend(["-pkeyopt", "distid:1234567812345678"]);
    list.extend(action);
    openssl(&list, b"")
}

/// `smtrust sign` → `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:…`, and
/// `openssl pkeyutl -sign` → `smtrust verify`, with keys made by each side.
#[test]
fn openssl_interop_signatures_and_keys() {
    if skip_without_openssl() {
        return;
    }
    let dir = Dir::new("openssl-sign");
    let (key, public) = keygen(&dir);
    std::fs::write(dir.path("msg"), b"registration 2026-0001").unwrap();
    let sig = dir.path("ours.sig");
    let signed = smtrust_with(
        &["sign", "--key", &key, "--out", &sig],
        b"registration 2026-0001",
    );
    assert_status(&signed, 0);
    let verified = pkeyutl_sm3(
        &["-verify", "-pubin", "-inkey", &public, "-sigfile", &sig],
        &dir,
    );
    assert_status(&verified, 0);

    let their_key = dir.path("openssl-key.pem");
    assert_status(
        &openssl(&["genpkey", "-algorithm", "SM2", "-out", &their_key], b""),
        0,
    );
    let their_sig = dir.path("theirs.sig");
    let signed = pkeyutl_sm3(&["-sign", "-inkey", &their_key, "-out", &their_sig], &dir);
    assert_status(&signed, 0);
    let their_public = smtrust_with(&["pubkey", "--key", &their_key], b"");
    assert_status(&their_public, 0);
    std::fs::write(dir.path("openssl-pub.pem"), &their_public.stdout).unwrap();
    let verified = smtrust_with(
        &[
            "verify",
            "--pubkey",
            &dir.path("openssl-pub.pem"),
            "--sig",
            &their_sig,
        ],
        b"registration 2026-0001",
    );
    assert_status(&verified, 0);
    // OpenSSL reads our PEM private key and derives the same public key.
    let openssl_pub = openssl(&["pkey", "-in", &key, "-pubout"], b"");
    assert_status(&openssl_pub, 0);
    assert_eq!(openssl_pub.stdout, std::fs::read(&public).unwrap());
}

/// SM2 encryption (GM/T 0009 DER) both ways with `openssl pkeyutl`.
#[test]
fn openssl_interop_encryption() {
    if skip_without_openssl() {
        return;
    }
    let dir = Dir::new("openssl-encrypt");
    let (key, public) = keygen(&dir);
    let ours = dir.path("ours.ct");
    let encrypted = smtrust_with(
        &["encrypt", "--pubkey", &public, "--out", &ours],
        b"unified social credit code",
    );
    assert_status(&encrypted, 0);
    let decrypted = openssl(&["pkeyutl", "-decrypt", "-inkey", &key, "-in", &ours], b"");
    assert_status(&decrypted, 0);
    assert_eq!(decrypted.stdout, b"unified social credit code");

    std::fs::write(dir.path("plain"), b"legal representative").unwrap();
    let theirs = dir.path("theirs.ct");
    let encrypted = openssl(
        &[
            "pkeyutl",
            "-encrypt",
            "-pubin",
            "-inkey",
            &public,
            "-in",
            &dir.path("plain"),
            "-out",
            &theirs,
        ],
        b"",
    );
    assert_status(&encrypted, 0);
    let decrypted = smtrust_with(
        &["decrypt", "--key", &key, "--format", "der", "--in", &theirs],
        b"",
    );
    assert_status(&decrypted, 0);
    assert_eq!(decrypted.stdout, b"legal representative");
}

/// SM4-CBC and SM4-CTR both ways with `openssl enc`.
#[test]
fn openssl_interop_sm4() {
    if skip_without_openssl() {
        return;
    }
    let key = "00112233445566778899aabbccddeeff";
    let iv = "0f0e0d0c0b0a09080706050403020100";
    let plaintext: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 256) as u8).collect();
    for (mode, cipher) in [("cbc", "-sm4-cbc"), ("ctr", "-sm4-ctr")] {
        let ours = smtrust_with(
            &[
                "sm4",
                "--encrypt",
                "--mode",
                mode,
                "--key-hex",
                key,
                "--iv-hex",
                iv,
            ],
            &plaintext,
        );
        assert_status(&ours, 0);
        let theirs = openssl(&["enc", cipher, "-e", "-K", key, "-iv", iv], &plaintext);
        assert_status(&theirs, 0);
        assert_eq!(ours.stdout, theirs.stdout, "{mode}");
        let back = smtrust_with(
            &[
                "sm4",
                "--decrypt",
                "--mode",
                mode,
                "--key-hex",
                key,
                "--iv-hex",
                iv,
            ],
            &theirs.stdout,
        );
        assert_eq!(back.stdout, plaintext, "{mode}");
        let their_back = openssl(&["enc", cipher, "-d", "-K", key, "-iv", iv], &ours.stdout);
        assert_eq!(their_back.stdout, plaintext, "{mode}");
    }
}

/// A file of the interop PKI (test-vectors/interop/pki/cases.json), as a path argument.
fn pki(file: &str) -> String {
    format!(
        "{}/test-vectors/interop/pki/{file}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The verification time of the interop PKI cases (cases.json `verification_time`).
const PKI_AT: &str = "2030-06-01T00:00:00Z";

#[test]
fn id_check_valid_resident_id_domain_1_1_vector() {
    // DOMAIN.md §1.1 vector, typed with a lower-case x and spaces.
    let output = smtrust_with(&["id", "check", "110105 19491231 002x"], b"");
    assert_status(&output, 0);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "kind: resident identity number\nverdict: valid\nreason: every rule of the kind holds\n"
    );
}

#[test]
fn id_check_valid_credit_code_gb_32100() {
    let output = smtrust_with(
        &["id", "check", "91350100M000100Y43", "--kind", "uscc"],
        b"",
    );
    assert_status(&output, 0);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.starts_with("kind: unified social credit code\nverdict: valid\n"));
}

#[test]
fn id_check_bad_check_character_gb_11643_exits_1() {
    let output = smtrust_with(
        &["id", "check", "110101202311012171", "--kind", "resident"],
        b"",
    );
    assert_status(&output, 1);
    assert_one_line_reason(&output);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("verdict: invalid\n"), "{stdout}");
    assert!(stdout.contains("BadCheckCharacter { expected: '6', found: '1' }"));
}

#[test]
fn id_check_unknown_kind_is_a_usage_error() {
    let output = smtrust_with(&["id", "check", "123", "--kind", "passport"], b"");
    assert_status(&output, 2);
}

#[test]
fn cert_verify_std_good_rfc_5280_path() {
    // cases.json std-good: root -> intermediate -> leaf, valid at 2030-06-01.
    let output = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-good.pem"),
            "--untrusted",
            &pki("std/int.pem"),
            "--ca",
            &pki("std/root.pem"),
            "--at",
            PKI_AT,
            "--usage",
            "digitalSignature",
            "--id",
            "1234567812345678",
        ],
        b"",
    );
    assert_status(&output, 0);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(": OK\n"), "{stdout}");
    assert!(stdout.contains("CN=SM2 Test Root CA"), "{stdout}");
}

#[test]
fn cert_verify_der_inputs_and_rfc_3339_offset() {
    // The same case with DER files and the verification time written in UTC+8.
    let output = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-good.der"),
            "--untrusted",
            &pki("std/int.der"),
            "--ca",
            &pki("std/root.der"),
            "--at",
            "2030-06-01T08:00:00+08:00",
        ],
        b"",
    );
    assert_status(&output, 0);
}

#[test]
fn cert_verify_std_revoked_with_crl_exits_1() {
    // cases.json std-revoked: the leaf is on the intermediate's CRL (RFC 5280 §6.3).
    let output = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-revoked.pem"),
            "--untrusted",
            &pki("std/int.pem"),
            "--ca",
            &pki("std/root.pem"),
            "--crl",
            &pki("std/int.crl.pem"),
            "--at",
            PKI_AT,
        ],
        b"",
    );
    assert_status(&output, 1);
    assert_one_line_reason(&output);
    assert!(String::from_utf8_lossy(&output.stderr).contains("revoked"));
}

#[test]
fn cert_verify_std_expired_exits_1() {
    // cases.json std-expired.
    let output = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-expired.pem"),
            "--untrusted",
            &pki("std/int.pem"),
            "--ca",
            &pki("std/root.pem"),
            "--at",
            PKI_AT,
        ],
        b"",
    );
    assert_status(&output, 1);
    assert_one_line_reason(&output);
}

#[test]
fn cert_verify_without_trust_anchor_is_indeterminate() {
    let output = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-good.pem"),
            "--untrusted",
            &pki("std/int.pem"),
            "--at",
            PKI_AT,
        ],
        b"",
    );
    assert_status(&output, 3);
    assert_one_line_reason(&output);
}

#[test]
fn cert_verify_bad_time_and_missing_file_are_input_errors() {
    let bad_time = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/leaf-good.pem"),
            "--ca",
            &pki("std/root.pem"),
            "--at",
            "2030-13-01T00:00:00Z",
        ],
        b"",
    );
    assert_status(&bad_time, 2);
    assert_one_line_reason(&bad_time);
    let missing = smtrust_with(
        &[
            "cert",
            "verify",
            "--cert",
            &pki("std/none.pem"),
            "--ca",
            &pki("std/root.pem"),
        ],
        b"",
    );
    assert_status(&missing, 2);
    assert_one_line_reason(&missing);
}
