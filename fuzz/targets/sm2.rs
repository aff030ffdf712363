//! SM2 keys, signatures and ciphertexts: every parser and verifier returns, never panics;
//! what parses re-encodes to a fixed point; signing and encryption agree with verification
//! and decryption here and in the RustCrypto `sm2` crate.

use std::sync::OnceLock;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use smtrust::sm2::{
    CiphertextFormat, DistId, Pbes2Limits, PublicKey, SecretKey, Signature, SigningKey,
    VerifyingKey,
};

use super::fixed;

/// Every ciphertext format, indexed by the first byte of an input.
pub const CIPHERTEXT_FORMATS: [CiphertextFormat; 5] = [
    CiphertextFormat::Der,
    CiphertextFormat::C1C3C2,
    CiphertextFormat::C1C2C3,
    CiphertextFormat::C1C3C2NoPrefix,
    CiphertextFormat::C1C2C3NoPrefix,
];

/// The password of every encrypted-PKCS#8 seed.
pub const KEY_PASSWORD: &[u8] = b"fuzz-password";

/// The PBKDF2 iteration cap of the encrypted-key targets: the library's default cap,
/// `MAX_PBKDF2_ITERATIONS` (10 000 000), takes seconds by design and would only report that
/// cost as a one-second "hang" again and again. Counts above this are refused by the library
/// itself (`Error::TooManyIterations`), before any key derivation.
pub const FUZZ_MAX_ITERATIONS: u32 = 4096;

/// The limits the encrypted-key targets read keys with.
pub const FUZZ_LIMITS: Pbes2Limits = Pbes2Limits::DEFAULT.with_max_iterations(FUZZ_MAX_ITERATIONS);

/// The verifying key of `sm2-sign-001` (test-vectors/interop/sm2_sign.json, default ID).
fn sign_vector_key() -> &'static VerifyingKey {
    static KEY: OnceLock<VerifyingKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let point = fixed::hex(fixed::SIGN_001_PUBLIC_KEY);
        VerifyingKey::new(PublicKey::from_sec1_bytes(&point).unwrap(), DistId::DEFAULT)
    })
}

/// The secret key of `sm2-enc-001` (test-vectors/interop/sm2_encrypt.json).
fn decrypt_key() -> &'static SecretKey {
    static KEY: OnceLock<SecretKey> = OnceLock::new();
    KEY.get_or_init(|| SecretKey::from_bytes(&fixed::hex(fixed::ENC_001_SECRET_KEY)).unwrap())
}

/// Re-encoding a parsed secret key reaches a fixed point in both DER forms.
fn secret_key_round_trip(key: &SecretKey) {
    let sec1 = key.to_sec1_der();
    let again = SecretKey::from_sec1_der(&sec1).unwrap();
    assert_eq!(again.to_bytes(), key.to_bytes());
    assert_eq!(again.to_sec1_der(), sec1);
    let pkcs8 = key.to_pkcs8_der();
    let again = SecretKey::from_pkcs8_der(&pkcs8).unwrap();
    assert_eq!(again.to_bytes(), key.to_bytes());
    assert_eq!(again.to_pkcs8_der(), pkcs8);
    assert_eq!(
        SecretKey::from_pem(&key.to_pkcs8_pem()).unwrap().to_bytes(),
        key.to_bytes()
    );
}

/// Secret and public keys in every unencrypted format: SEC1 and PKCS#8 DER, SPKI DER, SEC1
/// points, PEM of each. Canonical DER (what we write) must come back byte for byte.
pub fn sm2_keys(data: &[u8]) {
    for parsed in [
        SecretKey::from_sec1_der(data),
        SecretKey::from_pkcs8_der(data),
        SecretKey::from_der(data),
        SecretKey::from_bytes(data),
    ]
    .into_iter()
    .flatten()
    {
        secret_key_round_trip(&parsed);
        if data == parsed.to_sec1_der().as_slice() || data == parsed.to_pkcs8_der().as_slice() {
            assert_eq!(
                SecretKey::from_der(data).unwrap().to_bytes(),
                parsed.to_bytes()
            );
        }
    }
    for parsed in [
        PublicKey::from_spki_der(data),
        PublicKey::from_sec1_bytes(data),
    ]
    .into_iter()
    .flatten()
    {
        let spki = parsed.to_spki_der();
        assert_eq!(PublicKey::from_spki_der(&spki).unwrap(), parsed);
        let compressed = parsed.to_spki_der_compressed();
        assert_eq!(PublicKey::from_spki_der(&compressed).unwrap(), parsed);
        assert_eq!(
            PublicKey::from_sec1_bytes(&parsed.to_compressed()).unwrap(),
            parsed
        );
        assert_eq!(PublicKey::from_pem(&parsed.to_pem()).unwrap(), parsed);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(key) = SecretKey::from_pem(text) {
            secret_key_round_trip(&key);
        }
        if let Ok(key) = PublicKey::from_pem(text) {
            assert_eq!(PublicKey::from_spki_der(&key.to_spki_der()).unwrap(), key);
        }
    }
}

/// Password-protected PKCS#8 (PBES2) in DER and PEM, with the seeds' password, read with
/// a cap of [`FUZZ_MAX_ITERATIONS`] PBKDF2 iterations.
pub fn sm2_key_encrypted(data: &[u8]) {
    if let Ok(key) =
        SecretKey::from_pkcs8_encrypted_der_with_limits(data, KEY_PASSWORD, &FUZZ_LIMITS)
    {
        secret_key_round_trip(&key);
    }
    let _ = SecretKey::from_pkcs8_encrypted_der_with_limits(data, b"", &FUZZ_LIMITS);
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(key) =
            SecretKey::from_pkcs8_encrypted_pem_with_limits(text, KEY_PASSWORD, &FUZZ_LIMITS)
    {
        secret_key_round_trip(&key);
    }
}

/// Signatures in DER and raw `r ‖ s`, each verified over `sm2-sign-001`'s message; what
/// parses re-encodes byte for byte (DER is strict) and verifies the same in both forms.
pub fn sm2_signature(data: &[u8]) {
    let key = sign_vector_key();
    let msg = fixed::hex(fixed::SIGN_001_MESSAGE);
    if let Ok(signature) = Signature::from_der(data) {
        assert_eq!(signature.to_der(), data);
        let raw = Signature::from_raw(&signature.to_raw()).unwrap();
        assert_eq!(key.verify(&msg, &signature), key.verify(&msg, &raw));
    }
    if let Ok(signature) = Signature::from_raw(data) {
        assert_eq!(signature.to_raw().as_slice(), data);
        let _ = key.verify(&msg, &signature);
        let _ = key.verify_digest(&key.digest(&msg), &signature);
    }
}

/// Sign → verify round trip, and the RustCrypto `sm2` crate as second verifier: the first
/// 32 bytes are the secret scalar, the rest the message.
pub fn sm2_sign_roundtrip(data: &[u8]) {
    use sm2::dsa::signature::Verifier as _;
    let Some((scalar, msg)) = data.split_at_checked(32) else {
        return;
    };
    let Ok(secret) = SecretKey::from_bytes(scalar) else {
        return;
    };
    let ours = SigningKey::new(secret, DistId::DEFAULT);
    let signature = ours.sign_deterministic(msg).unwrap();
    assert_eq!(ours.verifying_key().verify(msg, &signature), Ok(()));
    let reparsed = Signature::from_der(&signature.to_der()).unwrap();
    assert_eq!(ours.verifying_key().verify(msg, &reparsed), Ok(()));
    let theirs = sm2::dsa::VerifyingKey::from_sec1_bytes(
        "1234567812345678",
        &ours.verifying_key().public_key().to_uncompressed(),
    )
    .unwrap();
    let for_them = sm2::dsa::Signature::from_slice(&signature.to_raw()).unwrap();
    assert!(theirs.verify(msg, &for_them).is_ok());
    let mut tampered = msg.to_vec();
    tampered.push(0);
    assert!(ours.verifying_key().verify(&tampered, &signature).is_err());
}

/// Ciphertexts in every format (first byte picks it): parse, convert to every other format
/// and back, decrypt with `sm2-enc-001`'s key.
pub fn sm2_ciphertext(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let format = CIPHERTEXT_FORMATS[usize::from(selector) % CIPHERTEXT_FORMATS.len()];
    let key = decrypt_key();
    let direct = key.decrypt(body, format);
    let Ok(ciphertext) = smtrust::sm2::Ciphertext::from_bytes(body, format) else {
        assert!(direct.is_err());
        return;
    };
    for other in CIPHERTEXT_FORMATS {
        let bytes = ciphertext.to_bytes(other);
        let back = smtrust::sm2::Ciphertext::from_bytes(&bytes, other).unwrap();
        assert_eq!(back.to_bytes(format), ciphertext.to_bytes(format));
        let converted = smtrust::sm2::Ciphertext::convert(&bytes, other, format).unwrap();
        assert_eq!(converted, ciphertext.to_bytes(format));
    }
    let _ = key.decrypt_detecting_format(body);
    assert_eq!(
        key.decrypt_ciphertext(&ciphertext).map(|p| p.to_vec()),
        direct.map(|p| p.to_vec())
    );
}

/// Differential: our encryption under `sm2-enc-001`'s key decrypts with the RustCrypto `sm2`
/// crate, and with us in every format. The first 8 bytes seed the nonce generator.
pub fn sm2_encrypt_differential(data: &[u8]) {
    let Some((seed, msg)) = data.split_at_checked(8) else {
        return;
    };
    if msg.is_empty() {
        return;
    }
    let mut rng = ChaCha20Rng::seed_from_u64(u64::from_le_bytes(seed.try_into().unwrap()));
    let key = decrypt_key();
    let ciphertext = key.public_key().encrypt(&mut rng, msg).unwrap();
    let theirs = sm2::pke::DecryptingKey::from_slice(key.to_bytes().as_ref()).unwrap();
    let plaintext = theirs
        .decrypt(&ciphertext.to_bytes(CiphertextFormat::C1C3C2))
        .unwrap();
    assert_eq!(plaintext, msg);
    for format in CIPHERTEXT_FORMATS {
        let decrypted = key.decrypt(&ciphertext.to_bytes(format), format).unwrap();
        assert_eq!(decrypted.as_slice(), msg);
    }
}
