//! Input limits that had no test of their own (docs/limits.md lists every limit and the test
//! that checks it): each is hit exactly at the limit plus one, and the error names it.

use smtrust::pki::{
    self, Certificate, Crl, MAX_CRLS, MAX_INTERMEDIATES, MAX_TRUST_ANCHORS, UnixTime,
    VerifyOptions, verify_path,
};
use smtrust::realname::{self, IndexKey, MAX_SIGNED_RECORD_LEN, SignedRecord};
use smtrust::sm2::{self, DistId, MAX_DIST_ID_LEN};

fn vector(relative: &str) -> Vec<u8> {
    let path = format!("{}/test-vectors/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn leaf() -> Certificate {
    Certificate::from_der(&vector("interop/pki/std/leaf-good.der")).unwrap()
}

fn root() -> Certificate {
    Certificate::from_der(&vector("interop/pki/std/root.der")).unwrap()
}

fn options() -> VerifyOptions {
    VerifyOptions::new(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
        1_906_502_400,
    )))
}

/// `n` nested SEQUENCEs around nothing, in DER.
fn nested_sequences(n: usize) -> Vec<u8> {
    let mut der = vec![0x30, 0x00];
    for _ in 1..n {
        let len = der.len();
        let mut outer = vec![0x30];
        match u8::try_from(len) {
            Ok(short) if short < 0x80 => outer.push(short),
            Ok(byte) => outer.extend([0x81, byte]),
            Err(_) => outer.extend([0x82, (len >> 8) as u8, (len & 0xff) as u8]),
        }
        outer.extend(der);
        der = outer;
    }
    der
}

/// GB/T 32918.2 §5.5: ENTL is 16 bits, so an ID is at most 8191 bytes.
#[test]
fn dist_id_longer_than_8191_bytes_is_refused() {
    assert!(DistId::new(vec![b'a'; MAX_DIST_ID_LEN]).is_ok());
    assert_eq!(
        DistId::new(vec![b'a'; MAX_DIST_ID_LEN + 1]).unwrap_err(),
        sm2::Error::DistIdTooLong {
            len: MAX_DIST_ID_LEN + 1
        }
    );
}

/// A password-protected key (RFC 8018 §6.2 PBES2) with `iterations` PBKDF2 rounds, in DER and
/// PEM, and the key itself.
fn encrypted_key(iterations: u32) -> (sm2::SecretKey, Vec<u8>, String) {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;
    let mut rng = ChaCha20Rng::seed_from_u64(10);
    let key = sm2::SecretKey::generate(&mut rng).unwrap();
    let protection = sm2::KeyProtection {
        iterations,
        ..sm2::KeyProtection::default()
    };
    let der = key
        .to_pkcs8_encrypted_der(b"pw", &protection, &mut rng)
        .unwrap();
    let pem = key
        .to_pkcs8_encrypted_pem(b"pw", &protection, &mut rng)
        .unwrap();
    (key, der, pem)
}

/// RFC 8018 §A.2 iterationCount: a caller-chosen cap admits a key at the cap and refuses one a
/// round over it, before PBKDF2 runs, naming the count found and the cap (DER and PEM).
#[test]
fn pbkdf2_iterations_over_the_callers_cap_are_refused() {
    let (key, der, pem) = encrypted_key(300);
    let at = sm2::Pbes2Limits::DEFAULT.with_max_iterations(300);
    let under = sm2::Pbes2Limits::DEFAULT.with_max_iterations(299);
    let read = sm2::SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"pw", &at).unwrap();
    assert_eq!(read.public_key(), key.public_key());
    let read = sm2::SecretKey::from_pkcs8_encrypted_pem_with_limits(&pem, b"pw", &at).unwrap();
    assert_eq!(read.public_key(), key.public_key());
    let refused = sm2::Error::TooManyIterations {
        iterations: 300,
        limit: 299,
    };
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"pw", &under).unwrap_err(),
        refused
    );
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_pem_with_limits(&pem, b"pw", &under).unwrap_err(),
        refused
    );
    assert_eq!(
        refused.to_string(),
        "the encrypted private key asks for 300 PBKDF2 iterations; 1 to 299 are accepted"
    );
    // The cap is checked before the password is tried: a wrong one gives the same error.
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"wrong", &under).unwrap_err(),
        refused
    );
}

/// The default cap is `MAX_PBKDF2_ITERATIONS`, a cap above it is lowered to it, and a cap of 0
/// refuses every key.
#[test]
fn pbkdf2_cap_defaults_to_max_pbkdf2_iterations_and_never_exceeds_it() {
    assert_eq!(
        sm2::Pbes2Limits::default().max_iterations(),
        sm2::MAX_PBKDF2_ITERATIONS
    );
    assert_eq!(sm2::Pbes2Limits::default(), sm2::Pbes2Limits::DEFAULT);
    assert_eq!(
        sm2::Pbes2Limits::DEFAULT
            .with_max_iterations(u32::MAX)
            .max_iterations(),
        sm2::MAX_PBKDF2_ITERATIONS
    );
    let (key, der, pem) = encrypted_key(1);
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_der(&der, b"pw")
            .unwrap()
            .public_key(),
        key.public_key()
    );
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_pem(&pem, b"pw")
            .unwrap()
            .public_key(),
        key.public_key()
    );
    let none = sm2::Pbes2Limits::DEFAULT.with_max_iterations(0);
    assert_eq!(
        sm2::SecretKey::from_pkcs8_encrypted_der_with_limits(&der, b"pw", &none).unwrap_err(),
        sm2::Error::TooManyIterations {
            iterations: 1,
            limit: 0
        }
    );
}

#[test]
fn path_building_takes_at_most_max_intermediates() {
    let intermediates = vec![root(); MAX_INTERMEDIATES + 1];
    assert_eq!(
        verify_path(&leaf(), &intermediates, &[root()], &options()).unwrap_err(),
        pki::Error::TooManyCertificates {
            what: "intermediate certificates",
            limit: MAX_INTERMEDIATES
        }
    );
}

#[test]
fn path_building_takes_at_most_max_trust_anchors() {
    let anchors = vec![root(); MAX_TRUST_ANCHORS + 1];
    assert_eq!(
        verify_path(&leaf(), &[], &anchors, &options()).unwrap_err(),
        pki::Error::TooManyCertificates {
            what: "trust anchors",
            limit: MAX_TRUST_ANCHORS
        }
    );
}

#[test]
fn path_building_takes_at_most_max_crls() {
    let pem = String::from_utf8(vector("interop/pki/std/int.crl.pem")).unwrap();
    let crl = Crl::from_pem(&pem).unwrap();
    let options = options().crls(vec![crl; MAX_CRLS + 1]);
    assert_eq!(
        verify_path(&leaf(), &[], &[root()], &options).unwrap_err(),
        pki::Error::TooManyCertificates {
            what: "CRLs",
            limit: MAX_CRLS
        }
    );
}

/// The signed-record limit is checked before anything is decoded or copied.
#[test]
fn signed_record_longer_than_the_limit_is_refused() {
    let too_long = vec![0u8; MAX_SIGNED_RECORD_LEN + 1];
    assert_eq!(
        SignedRecord::from_der(&too_long).unwrap_err(),
        realname::Error::SignedRecordTooLarge {
            len: MAX_SIGNED_RECORD_LEN + 1,
            max: MAX_SIGNED_RECORD_LEN
        }
    );
    assert!(
        realname::Error::SignedRecordTooLarge { len: 1, max: 2 }
            .to_string()
            .contains("MAX_SIGNED_RECORD_LEN")
    );
    // At the limit the length check passes and decoding decides.
    let at_limit = vec![0u8; MAX_SIGNED_RECORD_LEN];
    assert!(!matches!(
        SignedRecord::from_der(&at_limit).unwrap_err(),
        realname::Error::SignedRecordTooLarge { .. }
    ));
}

/// DER nesting: every decoder is typed, so its depth is that of its schema, and the der
/// crate refuses more than 64 nested values (der 0.8 `MAX_NESTING_DEPTH`) in any case. 500
/// nested SEQUENCEs are refused by every entry point, without deep recursion.
#[test]
fn deeply_nested_der_is_refused() {
    let deep = nested_sequences(500);
    assert!(Certificate::from_der(&deep).is_err());
    assert!(Crl::from_der(&deep).is_err());
    assert!(pki::SignedData::from_der(&deep).is_err());
    assert!(SignedRecord::from_der(&deep).is_err());
    assert!(sm2::SecretKey::from_der(&deep).is_err());
    assert!(sm2::SecretKey::from_pkcs8_encrypted_der(&deep, b"pw").is_err());
    assert!(sm2::PublicKey::from_spki_der(&deep).is_err());
    assert!(sm2::Signature::from_der(&deep).is_err());
    let format = sm2::CiphertextFormat::Der;
    assert!(sm2::Ciphertext::from_bytes(&deep, format).is_err());
}

/// Blind-index key names are 1 to 64 bytes.
#[test]
fn index_key_id_longer_than_64_bytes_is_refused() {
    assert!(IndexKey::new(&"k".repeat(64), [0x22; 32]).is_ok());
    assert_eq!(
        IndexKey::new(&"k".repeat(65), [0x22; 32]).unwrap_err(),
        realname::Error::KeyIdLength { len: 65 }
    );
}

/// Evidence locators are at most 256 bytes.
#[test]
fn evidence_locator_longer_than_256_bytes_is_refused() {
    use smtrust::realname::{EvidenceKind, EvidenceRef};
    assert!(EvidenceRef::of(EvidenceKind::Portrait, b"jpeg", &"l".repeat(256)).is_ok());
    assert_eq!(
        EvidenceRef::of(EvidenceKind::Portrait, b"jpeg", &"l".repeat(257)).unwrap_err(),
        realname::Error::FieldLength {
            field: "evidence locator",
            len: 257,
            min: 0,
            max: 256
        }
    );
}

/// A record lists at most 16 evidence references.
#[test]
fn more_than_16_evidence_references_are_refused() {
    use smtrust::realname::{
        CheckResult, EvidenceKind, EvidenceRef, FactorSet, Role, SubjectKind, UnixTime as Time,
        VerificationRecord,
    };
    let mut builder = VerificationRecord::builder("SH-1", "R-1", 1)
        .subject(SubjectKind::NaturalPerson, Role::Agent)
        .check(FactorSet::PHONE_3, "Inst", "req")
        .result(CheckResult::Match, "0", "")
        .times(
            Time::from_secs(1_780_000_000),
            Time::from_secs(1_780_000_000),
        );
    for i in 0..17 {
        let evidence = EvidenceRef::of(EvidenceKind::ProviderResponse, &[i], "inst://r").unwrap();
        builder = builder.evidence(evidence);
    }
    assert_eq!(
        builder.build().unwrap_err(),
        realname::Error::TooManyEntries {
            field: "evidence",
            count: 17,
            max: 16
        }
    );
}

/// Ledger serials are 1 to `MAX_SERIAL_LEN` (128) bytes.
#[test]
fn ledger_serial_longer_than_128_bytes_is_refused() {
    use smtrust::trace::{self, Actor, Entry, Event, MAX_SERIAL_LEN, Role};
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_780_000_000);
    let entry = |serial: &str| {
        let event = Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        };
        Entry::new(serial, at, Actor::new(Role::Registrar, "clerk"), event)
    };
    assert!(entry(&"S".repeat(MAX_SERIAL_LEN)).is_ok());
    let long = "S".repeat(MAX_SERIAL_LEN + 1);
    assert_eq!(
        entry(&long).unwrap_err(),
        trace::Error::SerialInvalid {
            serial: long.clone(),
            reason: "a serial is 1 to 128 bytes long"
        }
    );
}

/// Log names are 1 to 256 bytes (c2sp.org/signed-note origin line).
#[test]
fn log_name_longer_than_256_bytes_is_refused() {
    use smtrust::trace::{self, LogVerifier};
    let key = sm2::SecretKey::from_bytes(&[7; 32]).unwrap().public_key();
    assert!(LogVerifier::new(&"n".repeat(256), key).is_ok());
    assert!(matches!(
        LogVerifier::new(&"n".repeat(257), key).unwrap_err(),
        trace::Error::LogNameInvalid { .. }
    ));
}

/// SM4-CCM with a 12-byte nonce carries at most 2^24 − 1 bytes (RFC 3610 §2.1, L = 3).
#[test]
fn ccm_message_longer_than_2_pow_24_minus_1_is_refused() {
    use smtrust::sm4::{self, Key, Nonce};
    let key = Key::new([0x42; 16]);
    let nonce = Nonce::assume_unique_for_key([0x24; 12]);
    let len = 1 << 24;
    assert_eq!(
        sm4::ccm_seal(&key, nonce, b"", &vec![0; len]).unwrap_err(),
        sm4::Error::MessageTooLong {
            mode: "CCM",
            len,
            max: (1 << 24) - 1
        }
    );
}
