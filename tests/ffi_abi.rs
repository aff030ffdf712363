//! The C ABI called from Rust: exact status codes, exact last-error sentences, and the rules
//! of the two-call pattern (nothing written on failure, out-parameters only on success). The
//! same ABI is exercised from C by `tests/ffi_c.rs`.
#![cfg(feature = "ffi")]

mod common;

use std::ffi::c_char;
use std::ptr;

use common::{cases, hex_field, load_json, str_field};
use smtrust::ffi::*;

fn last_error() -> String {
    let mut needed = 0;
    // SAFETY: NULL output with a valid `written`.
    assert_eq!(
        unsafe { smtrust_last_error(ptr::null_mut(), 0, &mut needed) },
        Status::Ok
    );
    let mut buf = vec![0 as c_char; needed];
    let mut written = 0;
    // SAFETY: `buf` holds `needed` bytes.
    assert_eq!(
        unsafe { smtrust_last_error(buf.as_mut_ptr(), buf.len(), &mut written) },
        Status::Ok
    );
    assert_eq!(written, needed);
    let bytes: Vec<u8> = buf[..written - 1].iter().map(|&c| c as u8).collect();
    String::from_utf8(bytes).unwrap()
}

fn generate() -> (*mut Sm2SecretKey, *mut Sm2PublicKey) {
    let mut key = ptr::null_mut();
    let mut public_key = ptr::null_mut();
    // SAFETY: valid out-parameters.
    unsafe {
        assert_eq!(smtrust_sm2_secret_key_generate(&mut key), Status::Ok);
        assert_eq!(
            smtrust_sm2_secret_key_public_key(key, &mut public_key),
            Status::Ok
        );
    }
    (key, public_key)
}

fn free(key: *mut Sm2SecretKey, public_key: *mut Sm2PublicKey) {
    // SAFETY: live handles, freed once.
    unsafe {
        assert_eq!(smtrust_sm2_secret_key_free(key), Status::Ok);
        assert_eq!(smtrust_sm2_public_key_free(public_key), Status::Ok);
    }
}

#[test]
fn sm3_hash_of_abc_is_gbt_32905_example_1_with_the_length_query_first() {
    let mut needed = 0;
    let mut digest = [0u8; 32];
    let mut written = 0;
    // SAFETY: valid buffers.
    unsafe {
        assert_eq!(
            smtrust_sm3_hash(b"abc".as_ptr(), 3, ptr::null_mut(), 0, &mut needed),
            Status::Ok
        );
        assert_eq!(
            smtrust_sm3_hash(b"abc".as_ptr(), 3, digest.as_mut_ptr(), 32, &mut written),
            Status::Ok
        );
    }
    assert_eq!((needed, written), (32, 32));
    assert_eq!(
        hex::encode(digest),
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    );
    assert_eq!(last_error(), "");
}

#[test]
fn a_short_buffer_is_untouched_and_the_message_gives_both_lengths() {
    let mut digest = [0xaau8; 32];
    let mut written = 0;
    // SAFETY: `digest` holds 32 bytes; 31 are offered.
    let status =
        unsafe { smtrust_sm3_hash(b"abc".as_ptr(), 3, digest.as_mut_ptr(), 31, &mut written) };
    assert_eq!(status, Status::BufferTooSmall);
    assert_eq!(written, 32);
    assert_eq!(digest, [0xaa; 32]);
    assert_eq!(
        last_error(),
        "the output buffer `out` holds 31 bytes, but 32 are needed"
    );
}

#[test]
fn an_unknown_format_value_is_an_invalid_parameter() {
    let (key, public_key) = generate();
    let mut sig = [0u8; 72];
    let mut written = 0;
    for value in [0, 3, u32::MAX] {
        // SAFETY: a live handle and valid buffers; only the format is wrong.
        let status = unsafe {
            smtrust_sm2_sign(
                key,
                ptr::null(),
                0,
                b"m".as_ptr(),
                1,
                value,
                sig.as_mut_ptr(),
                sig.len(),
                &mut written,
            )
        };
        assert_eq!(status, Status::InvalidParameter);
        assert_eq!(
            last_error(),
            format!(
                "the parameter `signature_format` is {value}, which is not a value of \
                 smtrust_sm2_signature_format"
            )
        );
    }
    assert_eq!(written, 0);
    free(key, public_key);
}

#[test]
fn a_freed_handle_is_refused_and_a_second_free_is_not_a_double_free() {
    let (key, public_key) = generate();
    free(key, public_key);
    let mut written = 0;
    // SAFETY: the registry refuses the freed address before anything reads it.
    unsafe {
        assert_eq!(
            smtrust_sm2_secret_key_export(
                key,
                Sm2PrivateKeyFormat::Raw as u32,
                ptr::null_mut(),
                0,
                &mut written
            ),
            Status::InvalidHandle
        );
        assert_eq!(
            last_error(),
            "the parameter `key` is not a live smtrust_sm2_secret_key handle (freed already, \
             never made by smtrust, or a handle of another type)"
        );
        assert_eq!(smtrust_sm2_secret_key_free(key), Status::InvalidHandle);
        assert_eq!(
            smtrust_sm2_public_key_free(public_key),
            Status::InvalidHandle
        );
        assert_eq!(smtrust_sm2_secret_key_free(ptr::null_mut()), Status::Ok);
    }
}

#[test]
fn a_handle_of_the_other_type_is_refused() {
    let (key, public_key) = generate();
    let mut out = ptr::null_mut();
    // SAFETY: the registry refuses the mismatched type before anything reads it.
    let status = unsafe { smtrust_sm2_secret_key_public_key(public_key.cast(), &mut out) };
    assert_eq!(status, Status::InvalidHandle);
    assert!(out.is_null());
    free(key, public_key);
}

#[test]
fn a_tampered_sm2_ciphertext_writes_nothing_and_says_only_that_decryption_failed() {
    let (key, public_key) = generate();
    let mut ct = [0u8; 200];
    let mut ct_len = 0;
    let mut plaintext = [0x55u8; 64];
    let mut written = 7;
    // SAFETY: live handles and buffers of the lengths given.
    unsafe {
        assert_eq!(
            smtrust_sm2_encrypt(
                public_key,
                b"110101199003077777".as_ptr(),
                18,
                Sm2CiphertextFormat::C1C3C2 as u32,
                ct.as_mut_ptr(),
                ct.len(),
                &mut ct_len
            ),
            Status::Ok
        );
        assert_eq!(ct_len, 97 + 18);
        ct[70] ^= 0x01; // inside C3 (GB/T 32918.4 §7.1 step B6 must reject it)
        assert_eq!(
            smtrust_sm2_decrypt(
                key,
                ct.as_ptr(),
                ct_len,
                Sm2CiphertextFormat::C1C3C2 as u32,
                plaintext.as_mut_ptr(),
                plaintext.len(),
                &mut written
            ),
            Status::Sm2DecryptionFailed
        );
    }
    assert_eq!((plaintext, written), ([0x55; 64], 7));
    assert_eq!(last_error(), "SM2 decryption failed");
    free(key, public_key);
}

/// GB/T 32918.4 §6–§7 through one public-key handle used many times: from its second
/// encryption the handle encrypts with its key's prepared tables, and every ciphertext, in each
/// layout, decrypts to its message through the secret-key handle.
#[test]
fn one_public_key_handle_encrypts_many_messages_that_all_decrypt() {
    let (key, public_key) = generate();
    for round in 0..12u8 {
        let message: Vec<u8> = (0..=round).map(|i| i.wrapping_mul(37) ^ round).collect();
        let format = 1 + u32::from(round) % 5;
        let mut ct = [0u8; 256];
        let mut ct_len = 0;
        let mut plaintext = [0u8; 64];
        let mut written = 0;
        // SAFETY: live handles and buffers of the lengths given.
        unsafe {
            assert_eq!(
                smtrust_sm2_encrypt(
                    public_key,
                    message.as_ptr(),
                    message.len(),
                    format,
                    ct.as_mut_ptr(),
                    ct.len(),
                    &mut ct_len
                ),
                Status::Ok
            );
            assert_eq!(
                smtrust_sm2_decrypt(
                    key,
                    ct.as_ptr(),
                    ct_len,
                    format,
                    plaintext.as_mut_ptr(),
                    plaintext.len(),
                    &mut written
                ),
                Status::Ok
            );
        }
        assert_eq!(&plaintext[..written], &message[..], "round {round}");
    }
    free(key, public_key);
}

#[test]
fn the_encryption_length_query_bounds_every_layout() {
    let (key, public_key) = generate();
    for format in 1..=5u32 {
        let (mut bound, mut written) = (0, 0);
        let mut ct = vec![0u8; 400];
        // SAFETY: live handle and buffers of the lengths given.
        unsafe {
            assert_eq!(
                smtrust_sm2_encrypt(
                    public_key,
                    [7u8; 200].as_ptr(),
                    200,
                    format,
                    ptr::null_mut(),
                    0,
                    &mut bound
                ),
                Status::Ok
            );
            assert_eq!(
                smtrust_sm2_encrypt(
                    public_key,
                    [7u8; 200].as_ptr(),
                    200,
                    format,
                    ct.as_mut_ptr(),
                    bound,
                    &mut written
                ),
                Status::Ok
            );
        }
        assert!(written <= bound, "format {format}: {written} > {bound}");
    }
    free(key, public_key);
}

#[test]
fn sm2_sign_json_positive_cases_verify_through_the_abi() {
    let file = load_json("interop/sm2_sign.json");
    let mut checked = 0;
    for case in cases(&file).iter().filter(|case| case["expect"] == "valid") {
        let point = hex_field(case, "public_key").unwrap();
        let id = hex_field(case, "id_hex").unwrap();
        let msg = hex_field(case, "msg").unwrap();
        let mut key = ptr::null_mut();
        // SAFETY: buffers of the lengths given; a valid out-parameter.
        unsafe {
            assert_eq!(
                smtrust_sm2_public_key_import(
                    point.as_ptr(),
                    point.len(),
                    Sm2PublicKeyFormat::PointUncompressed as u32,
                    &mut key
                ),
                Status::Ok
            );
            for (field, format) in [
                ("sig_der", Sm2SignatureFormat::Der),
                ("sig_raw", Sm2SignatureFormat::Raw),
            ] {
                let Some(sig) = hex_field(case, field) else {
                    continue;
                };
                let status = smtrust_sm2_verify(
                    key,
                    id.as_ptr(),
                    id.len(),
                    msg.as_ptr(),
                    msg.len(),
                    format as u32,
                    sig.as_ptr(),
                    sig.len(),
                );
                assert_eq!(status, Status::Ok, "{} {field}", str_field(case, "id"));
                checked += 1;
            }
            assert_eq!(smtrust_sm2_public_key_free(key), Status::Ok);
        }
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn pkcs8_der_read_as_pem_or_sec1_is_an_invalid_key() {
    let der = std::fs::read(common::vector_path("interop/keys/key1.pkcs8.der")).unwrap();
    let mut key = ptr::null_mut();
    // SAFETY: a buffer of the length given and a valid out-parameter.
    unsafe {
        assert_eq!(
            smtrust_sm2_secret_key_import(
                der.as_ptr(),
                der.len(),
                Sm2PrivateKeyFormat::Pkcs8Pem as u32,
                &mut key
            ),
            Status::Sm2InvalidKey
        );
        assert_eq!(
            last_error(),
            "the PEM key is malformed: the data is not text, so it is not PEM (DER given by \
             mistake?)"
        );
        assert_eq!(
            smtrust_sm2_secret_key_import(
                der.as_ptr(),
                der.len(),
                Sm2PrivateKeyFormat::Pkcs8Der as u32,
                &mut key
            ),
            Status::Ok
        );
        assert_eq!(smtrust_sm2_secret_key_free(key), Status::Ok);
    }
}

/// RFC 8018 §A.2 iterationCount through the C ABI: the caller's cap admits a key at the cap,
/// refuses one a round over it (the message names both counts), and a cap outside 1 to
/// 10,000,000 is an invalid parameter.
#[test]
fn import_encrypted_with_limit_refuses_a_key_over_the_cap() {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    use smtrust::sm2::{KeyProtection, SecretKey};
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let protection = KeyProtection {
        iterations: 200,
        ..KeyProtection::default()
    };
    let der = SecretKey::generate(&mut rng)
        .unwrap()
        .to_pkcs8_encrypted_der(b"pw", &protection, &mut rng)
        .unwrap();
    let import = |cap: u32, key: &mut *mut Sm2SecretKey| {
        // SAFETY: buffers of the lengths given and a valid out-parameter.
        unsafe {
            smtrust_sm2_secret_key_import_encrypted_with_limit(
                der.as_ptr(),
                der.len(),
                Sm2PrivateKeyFormat::Pkcs8Der as u32,
                b"pw".as_ptr(),
                2,
                cap,
                key,
            )
        }
    };
    let mut key = ptr::null_mut();
    assert_eq!(import(199, &mut key), Status::Sm2KeyDecryptionFailed);
    assert_eq!(
        last_error(),
        "the encrypted private key asks for 200 PBKDF2 iterations; 1 to 199 are accepted"
    );
    assert!(key.is_null());
    for cap in [0, 10_000_001] {
        assert_eq!(import(cap, &mut key), Status::InvalidParameter);
        assert_eq!(
            last_error(),
            format!("PBKDF2 needs 1 to 10000000 iterations, not {cap}")
        );
        assert!(key.is_null());
    }
    assert_eq!(import(200, &mut key), Status::Ok);
    // SAFETY: a live handle, freed once.
    assert_eq!(unsafe { smtrust_sm2_secret_key_free(key) }, Status::Ok);
}
