//! Every case of `test-vectors/interop/{sm2_sign,sm2_encrypt,keys/keys}.json` (made by
//! OpenSSL 3.0, gmssl and sm-crypto; see test-vectors/interop/README.md): positives must verify,
//! decrypt or re-encode to exactly the expected bytes; negatives must fail with the error the
//! case describes.

mod common;

use common::{cases, expects_valid, hex_field, load_json, str_field, vector_path};
use serde_json::Value;
use smtrust::sm2::{
    Ciphertext, CiphertextFormat, DistId, Error, PublicKey, SecretKey, Signature, SigningKey,
    VerifyingKey,
};

/// The five ciphertext fields of sm2_encrypt.json and the format each is in.
const CIPHERTEXT_FIELDS: [(&str, CiphertextFormat); 5] = [
    ("ciphertext_der", CiphertextFormat::Der),
    ("ciphertext_c1c3c2", CiphertextFormat::C1C3C2),
    ("ciphertext_c1c2c3", CiphertextFormat::C1C2C3),
    ("ciphertext_c1c3c2_no04", CiphertextFormat::C1C3C2NoPrefix),
    ("ciphertext_c1c2c3_no04", CiphertextFormat::C1C2C3NoPrefix),
];

fn verifying_key(case: &Value) -> Result<VerifyingKey, Error> {
    let public_key = PublicKey::from_sec1_bytes(&hex_field(case, "public_key").unwrap())?;
    let id = DistId::new(hex_field(case, "id_hex").unwrap())?;
    Ok(VerifyingKey::new(public_key, id))
}

/// Decodes and verifies every encoding a case has; returns one result per encoding.
fn verify_all_encodings(case: &Value) -> Vec<(&'static str, Result<(), Error>)> {
    let msg = hex_field(case, "msg").unwrap();
    let mut results = Vec::new();
    for (field, decode) in [
        (
            "sig_der",
            Signature::from_der as fn(&[u8]) -> Result<Signature, Error>,
        ),
        ("sig_raw", Signature::from_raw),
    ] {
        let Some(bytes) = hex_field(case, field) else {
            continue;
        };
        let result = verifying_key(case)
            .and_then(|key| decode(&bytes).and_then(|sig| key.verify(&msg, &sig)));
        results.push((field, result));
    }
    results
}

/// The error each negative signature case must produce (GB/T 32918.2 §7.1 B1/B2 for ranges,
/// strict DER for encodings, B7 for everything that decodes but does not verify).
fn expected_signature_error(id: &str, field: &str) -> Error {
    let suffix = id.trim_start_matches("sm2-sign-neg-");
    match suffix {
        "wrong-message" | "wrong-id" | "wrong-id-empty" | "wrong-key" | "s-neg" | "r-s-swapped" => {
            Error::BadSignature
        }
        "r-zero" | "r-eq-n" | "r-plus-n" => Error::SignatureComponentOutOfRange { component: "r" },
        "s-zero" | "s-eq-n" | "s-plus-n" => Error::SignatureComponentOutOfRange { component: "s" },
        "raw-63-bytes" => Error::SignatureLength { len: 63 },
        "raw-65-bytes" => Error::SignatureLength { len: 65 },
        "pubkey-not-on-curve" => Error::PointNotOnCurve,
        "der-truncated"
        | "der-trailing-byte"
        | "der-int-leading-zero"
        | "der-long-form-length"
        | "der-int-long-form-length"
        | "der-negative-int" => {
            assert_eq!(field, "sig_der", "{id}: only the DER form is malformed");
            Error::SignatureDer {
                reason: String::new(),
            }
        }
        other => panic!("no expectation written for negative case {other}"),
    }
}

#[test]
fn sm2_sign_json_every_case() {
    let file = load_json("interop/sm2_sign.json");
    let (mut positives, mut negatives) = (0, 0);
    for case in cases(&file) {
        let id = str_field(case, "id");
        let results = verify_all_encodings(case);
        assert!(!results.is_empty(), "{id}: no signature encodings");
        if expects_valid(case) {
            for (field, result) in results {
                assert_eq!(result, Ok(()), "{id} {field}");
            }
            check_z_and_e(case);
            check_signer_reproduces(case);
            positives += 1;
        } else {
            for (field, result) in results {
                let expected = expected_signature_error(id, field);
                match (result, expected) {
                    (Err(Error::SignatureDer { .. }), Error::SignatureDer { .. }) => {}
                    (result, expected) => assert_eq!(result, Err(expected), "{id} {field}"),
                }
            }
            negatives += 1;
        }
    }
    println!("sm2_sign.json: {positives} positive, {negatives} negative cases");
    assert_eq!(positives + negatives, cases(&file).len());
}

/// GB/T 32918.2 §5.5 and §6.1 A1–A2: Z_A and e as the generator computed them.
fn check_z_and_e(case: &Value) {
    let key = verifying_key(case).unwrap();
    let id = str_field(case, "id");
    if let Some(za) = hex_field(case, "za") {
        assert_eq!(key.z().to_vec(), za, "{id} Z");
    }
    if let Some(e) = hex_field(case, "e") {
        assert_eq!(
            key.digest(&hex_field(case, "msg").unwrap()).to_vec(),
            e,
            "{id} e"
        );
    }
}

/// Where the case names the signer's private key, it must belong to the public key, and our
/// signature over the same message and ID must verify with the case's key.
fn check_signer_reproduces(case: &Value) {
    let Some(private) = hex_field(case, "private_key") else {
        return;
    };
    let secret = SecretKey::from_bytes(&private).unwrap();
    let verifier = verifying_key(case).unwrap();
    assert_eq!(&secret.public_key(), verifier.public_key());
    let signer = SigningKey::new(secret, verifier.id().clone());
    let msg = hex_field(case, "msg").unwrap();
    let signature = signer.sign_deterministic(&msg).unwrap();
    assert_eq!(verifier.verify(&msg, &signature), Ok(()));
}

/// The error each negative ciphertext case must produce in `format` (GB/T 32918.4 §7.1: B1 C1
/// on the curve, B4 t not all zero, B6 u = C3; GM/T 0009 §7.2 strict DER).
fn expected_decryption_error(id: &str, format: CiphertextFormat) -> Error {
    let layout = || Error::CiphertextEncoding {
        format: format.name(),
        reason: String::new(),
    };
    match id.trim_start_matches("sm2-enc-neg-") {
        "tampered-c3" | "tampered-c2" => Error::DecryptionFailed,
        "c1-not-on-curve" | "c1-x-tampered" => Error::PointNotOnCurve,
        "truncated" if format == CiphertextFormat::Der => layout(),
        "truncated" => Error::DecryptionFailed,
        "der-trailing-byte" | "der-hash-31-bytes" | "der-x-non-minimal" | "empty-c2" => layout(),
        other => panic!("no expectation written for negative case {other}"),
    }
}

#[test]
fn sm2_encrypt_json_every_case() {
    let file = load_json("interop/sm2_encrypt.json");
    let (mut positives, mut negatives) = (0, 0);
    for case in cases(&file) {
        let id = str_field(case, "id");
        let key = SecretKey::from_bytes(&hex_field(case, "private_key").unwrap()).unwrap();
        assert_eq!(
            key.public_key().to_uncompressed().to_vec(),
            hex_field(case, "public_key").unwrap()
        );
        let plaintext = hex_field(case, "plaintext").unwrap();
        let forms: Vec<_> = CIPHERTEXT_FIELDS
            .iter()
            .filter_map(|(field, format)| Some((*format, hex_field(case, field)?)))
            .collect();
        assert!(!forms.is_empty(), "{id}: no ciphertext forms");
        if expects_valid(case) {
            for (format, bytes) in &forms {
                let decrypted = key.decrypt(bytes, *format).unwrap();
                assert_eq!(&decrypted[..], &plaintext[..], "{id} {format}");
                let (detected, detected_format) = key.decrypt_detecting_format(bytes).unwrap();
                assert_eq!(&detected[..], &plaintext[..], "{id} {format} detected");
                assert_eq!(detected_format, *format, "{id} detected format");
                check_components(case, &Ciphertext::from_bytes(bytes, *format).unwrap());
                for (other_format, other_bytes) in &forms {
                    let converted = Ciphertext::convert(bytes, *format, *other_format).unwrap();
                    assert_eq!(&converted, other_bytes, "{id} {format} -> {other_format}");
                }
            }
            positives += 1;
        } else {
            for (format, bytes) in &forms {
                let result = key.decrypt(bytes, *format).map(|m| m.to_vec());
                match (result, expected_decryption_error(id, *format)) {
                    (
                        Err(Error::CiphertextEncoding { format: got, .. }),
                        Error::CiphertextEncoding { format: want, .. },
                    ) => assert_eq!(got, want, "{id}"),
                    (result, expected) => assert_eq!(result, Err(expected), "{id} {format}"),
                }
            }
            negatives += 1;
        }
    }
    println!("sm2_encrypt.json: {positives} positive, {negatives} negative cases");
    assert_eq!(positives + negatives, cases(&file).len());
}

fn check_components(case: &Value, ciphertext: &Ciphertext) {
    let id = str_field(case, "id");
    let mut c1 = vec![0x04];
    c1.extend(hex_field(case, "c1_x").unwrap());
    c1.extend(hex_field(case, "c1_y").unwrap());
    assert_eq!(ciphertext.c1().to_vec(), c1, "{id} C1");
    assert_eq!(
        ciphertext.c3().to_vec(),
        hex_field(case, "c3").unwrap(),
        "{id} C3"
    );
    assert_eq!(
        ciphertext.c2(),
        &hex_field(case, "c2").unwrap()[..],
        "{id} C2"
    );
}

fn read_file(case: &Value, name: &str) -> Vec<u8> {
    let relative = str_field(&case["files"], name);
    std::fs::read(vector_path(&format!("interop/{relative}"))).unwrap()
}

fn read_text(case: &Value, name: &str) -> String {
    String::from_utf8(read_file(case, name)).unwrap()
}

/// RFC 5915 (SEC1), RFC 5208/5958 (PKCS#8), RFC 8018 (PBES2), RFC 5480 (SPKI): every file
/// of a key decodes to the same key, and our encoders write OpenSSL's bytes exactly.
fn check_valid_key(case: &Value) {
    let id = str_field(case, "id");
    let private = hex_field(case, "private_key").unwrap();
    let public = hex_field(case, "public_key").unwrap();
    let password = str_field(case, "password").as_bytes();
    let decoded = [
        (
            "pkcs8.der",
            SecretKey::from_pkcs8_der(&read_file(case, "pkcs8.der")),
        ),
        (
            "pkcs8.der any",
            SecretKey::from_der(&read_file(case, "pkcs8.der")),
        ),
        (
            "sec1.der",
            SecretKey::from_sec1_der(&read_file(case, "sec1.der")),
        ),
        (
            "sec1.der any",
            SecretKey::from_der(&read_file(case, "sec1.der")),
        ),
        (
            "pkcs8.pem",
            SecretKey::from_pem(&read_text(case, "pkcs8.pem")),
        ),
        (
            "sec1.pem",
            SecretKey::from_pem(&read_text(case, "sec1.pem")),
        ),
        (
            "sec1-openssl-label.pem",
            SecretKey::from_pem(&read_text(case, "sec1-openssl-label.pem")),
        ),
        (
            "pkcs8-enc-sm4cbc.pem",
            SecretKey::from_pkcs8_encrypted_pem(&read_text(case, "pkcs8-enc-sm4cbc.pem"), password),
        ),
        (
            "pkcs8-enc-aes256cbc.pem",
            SecretKey::from_pkcs8_encrypted_pem(
                &read_text(case, "pkcs8-enc-aes256cbc.pem"),
                password,
            ),
        ),
    ];
    for (name, key) in decoded {
        let key = key.unwrap_or_else(|err| panic!("{id} {name}: {err}"));
        assert_eq!(key.to_bytes().to_vec(), private, "{id} {name}");
        assert_eq!(
            key.public_key().to_uncompressed().to_vec(),
            public,
            "{id} {name}"
        );
    }
    let key = SecretKey::from_bytes(&private).unwrap();
    assert_eq!(
        key.to_pkcs8_der().to_vec(),
        read_file(case, "pkcs8.der"),
        "{id}"
    );
    assert_eq!(
        key.to_sec1_der().to_vec(),
        read_file(case, "sec1.der"),
        "{id}"
    );
    assert_eq!(
        key.to_pkcs8_pem().as_str(),
        read_text(case, "pkcs8.pem"),
        "{id}"
    );
    assert_eq!(
        key.to_sec1_pem("EC PRIVATE KEY").as_str(),
        read_text(case, "sec1.pem")
    );
    assert_eq!(
        key.to_sec1_pem(smtrust::sm2::OPENSSL_SM2_SEC1_LABEL)
            .as_str(),
        read_text(case, "sec1-openssl-label.pem")
    );

    let public_key = key.public_key();
    for (name, decoded) in [
        (
            "spki.der",
            PublicKey::from_spki_der(&read_file(case, "spki.der")),
        ),
        (
            "spki-compressed.der",
            PublicKey::from_spki_der(&read_file(case, "spki-compressed.der")),
        ),
        (
            "spki.pem",
            PublicKey::from_pem(&read_text(case, "spki.pem")),
        ),
        (
            "spki-compressed.pem",
            PublicKey::from_pem(&read_text(case, "spki-compressed.pem")),
        ),
    ] {
        assert_eq!(decoded, Ok(public_key), "{id} {name}");
    }
    assert_eq!(public_key.to_spki_der(), read_file(case, "spki.der"));
    assert_eq!(
        public_key.to_spki_der_compressed(),
        read_file(case, "spki-compressed.der")
    );
    assert_eq!(public_key.to_pem(), read_text(case, "spki.pem"));
    assert_eq!(
        public_key.to_compressed().to_vec(),
        hex_field(case, "public_key_compressed").unwrap()
    );
}

fn check_invalid_key(case: &Value) {
    let id = str_field(case, "id");
    let result = match id {
        "neg-wrong-password" => SecretKey::from_pkcs8_encrypted_pem(
            &read_text(case, "pkcs8-enc-sm4cbc.pem"),
            str_field(case, "password").as_bytes(),
        )
        .map(|key| key.public_key()),
        "neg-spki-not-on-curve" => PublicKey::from_spki_der(&read_file(case, "spki.der")),
        _ => SecretKey::from_pkcs8_der(&read_file(case, "pkcs8.der")).map(|key| key.public_key()),
    };
    let expected = match id {
        "neg-wrong-password" => Error::KeyDecryptionFailed,
        "neg-spki-not-on-curve" => Error::PointNotOnCurve,
        "neg-pkcs8-d-zero" | "neg-pkcs8-d-eq-n" | "neg-pkcs8-d-eq-n-minus-1" => {
            Error::PrivateKeyOutOfRange
        }
        other => panic!("no expectation written for {other}"),
    };
    assert_eq!(result, Err(expected), "{id}");
}

#[test]
fn keys_json_every_case() {
    let file = load_json("interop/keys/keys.json");
    let (mut positives, mut negatives) = (0, 0);
    for case in cases(&file) {
        if expects_valid(case) {
            check_valid_key(case);
            positives += 1;
        } else {
            check_invalid_key(case);
            negatives += 1;
        }
    }
    println!("keys.json: {positives} positive, {negatives} negative cases");
    assert_eq!(positives + negatives, cases(&file).len());
}
