//! SM3, HMAC-SM3, the SM2 KDF and PBKDF2-HMAC-SM3 against `test-vectors/interop/sm3.json`,
//! `hmac_sm3.json` (OpenSSL, cross-checked by cryptography, sm-crypto, gmssl) and
//! `test-vectors/standard/{sm2_kdf,pbkdf2_hmac_sm3}.json` (OpenSSL `kdf`).

mod common;

use common::{cases, expects_valid, hex_field, load_json, str_field};
use smtrust::sm3;

/// GB/T 32905-2016 and 29 interop messages of lengths 0..10240, one-shot and streamed.
#[test]
fn sm3_json_every_case() {
    let file = load_json("interop/sm3.json");
    for case in cases(&file) {
        let id = str_field(case, "id");
        assert!(
            expects_valid(case),
            "{id}: sm3.json has only positive cases"
        );
        let msg = hex_field(case, "msg").unwrap();
        let digest = hex_field(case, "digest").unwrap();
        assert_eq!(sm3::hash(&msg).to_vec(), digest, "{id}");
        let mut hasher = sm3::Hasher::new();
        for piece in msg.chunks(7) {
            hasher.update(piece);
        }
        assert_eq!(hasher.finalize().to_vec(), digest, "{id} streamed");
    }
    println!("sm3.json: {} positive cases", cases(&file).len());
}

/// RFC 2104 HMAC with SM3: positives match exactly; a flipped or truncated MAC is rejected.
#[test]
fn hmac_sm3_json_every_case() {
    let file = load_json("interop/hmac_sm3.json");
    let (mut positives, mut negatives) = (0, 0);
    for case in cases(&file) {
        let id = str_field(case, "id");
        let key = hex_field(case, "key").unwrap();
        let msg = hex_field(case, "msg").unwrap();
        let mac = hex_field(case, "mac").unwrap();
        let verdict = sm3::Hmac::new(&key).chain(&msg).verify(&mac);
        if expects_valid(case) {
            assert_eq!(sm3::hmac(&key, &msg).to_vec(), mac, "{id}");
            assert_eq!(verdict, Ok(()), "{id}");
            positives += 1;
        } else {
            assert_eq!(verdict, Err(sm3::Error::MacMismatch), "{id}");
            negatives += 1;
        }
    }
    println!("hmac_sm3.json: {positives} positive, {negatives} negative cases");
    assert_eq!(positives + negatives, cases(&file).len());
}

/// GB/T 32918.4 §5.4.3 KDF against OpenSSL's X9.63 KDF with SM3.
#[test]
fn sm2_kdf_json_every_case() {
    let file = load_json("standard/sm2_kdf.json");
    for case in cases(&file) {
        let z = hex_field(case, "z").unwrap();
        let expected = hex_field(case, "t").unwrap();
        let mut out = vec![0u8; expected.len()];
        sm3::kdf(&z, &mut out).unwrap();
        assert_eq!(out, expected, "{}", str_field(case, "id"));
    }
    println!("sm2_kdf.json: {} positive cases", cases(&file).len());
}

/// RFC 8018 §5.2 PBKDF2 with HMAC-SM3 against OpenSSL.
#[test]
fn pbkdf2_hmac_sm3_json_every_case() {
    let file = load_json("standard/pbkdf2_hmac_sm3.json");
    for case in cases(&file) {
        let expected = hex_field(case, "dk").unwrap();
        let mut out = vec![0u8; expected.len()];
        let iterations = u32::try_from(case["iterations"].as_u64().unwrap()).unwrap();
        sm3::pbkdf2_hmac(
            &hex_field(case, "password").unwrap(),
            &hex_field(case, "salt").unwrap(),
            iterations,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, expected, "{}", str_field(case, "id"));
    }
    println!(
        "pbkdf2_hmac_sm3.json: {} positive cases",
        cases(&file).len()
    );
}
