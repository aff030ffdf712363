//! Replays every seed and regression input of every fuzz target (fuzz/seeds/NAME/ and
//! fuzz/regressions/NAME/) through the same target bodies as the libFuzzer binaries
//! (fuzz/targets/, included here with `#[path]`), so that stable `cargo test` checks them.
//! New files are picked up automatically. `write_generated_seeds` (ignored) writes the seeds
//! that no file of test-vectors/ provides: signed records, checkpoints, bundles, encrypted
//! keys with few PBKDF2 iterations, round-trip and C ABI inputs.

#[path = "../fuzz/targets/mod.rs"]
#[allow(dead_code)]
mod targets;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use targets::{TARGETS, fixed};

fn fuzz_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    found.retain(|p| p.is_file());
    found.sort();
    found
}

/// The target directories under fuzz/seeds or fuzz/regressions.
fn target_dirs(kind: &str) -> Vec<String> {
    match fs::read_dir(fuzz_dir(kind)) {
        Ok(entries) => entries
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().into_string().unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn every_seed_and_regression_input_passes_its_target() {
    let mut replayed = 0;
    for (name, body) in TARGETS {
        let seeds = files(&fuzz_dir("seeds").join(name));
        assert!(!seeds.is_empty(), "fuzz target {name} has no seeds");
        let regressions = files(&fuzz_dir("regressions").join(name));
        for path in seeds.iter().chain(&regressions) {
            let data = fs::read(path).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{name}: {} fails", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= TARGETS.len());
}

/// Seeded mutations (fixed seed) of the seeds of the structured-document targets go through
/// the same target bodies without a panic: seals and seal signatures (GB/T 38540), RFC 3161
/// tokens, and OFD packages, whose parsers walk deep hand-read structures.
#[test]
fn seeded_mutations_of_document_seeds_pass_their_targets() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5ea1_5eed);
    for (name, rounds) in [
        ("seal", 1000),
        ("seal_signature", 1000),
        ("tsp_token", 3000),
        ("ofd", 300),
    ] {
        let (_, body) = TARGETS.iter().find(|(target, _)| *target == name).unwrap();
        let seeds: Vec<Vec<u8>> = files(&fuzz_dir("seeds").join(name))
            .iter()
            .map(|path| fs::read(path).unwrap())
            .collect();
        for round in 0..rounds {
            let data = mutate(&mut rng, &seeds[round % seeds.len()]);
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(
                outcome.is_ok(),
                "{name}: mutation {round} fails: {}",
                hex::encode(&data)
            );
        }
    }
}

/// Flips a bit, truncates, overwrites a byte with 0xff or `<`, or inserts `/`, at a random
/// place after the first byte (which some targets read as a selector).
fn mutate(rng: &mut ChaCha20Rng, input: &[u8]) -> Vec<u8> {
    use rand_core::Rng;
    let mut bytes = input.to_vec();
    if bytes.len() < 2 {
        return bytes;
    }
    let at = 1 + (rng.next_u32() as usize) % (bytes.len() - 1);
    match rng.next_u32() % 5 {
        0 => bytes[at] ^= 1 << (rng.next_u32() % 8),
        1 => bytes.truncate(at),
        2 => bytes[at] = 0xff,
        3 => bytes[at] = b'<',
        _ => bytes.insert(at, b'/'),
    }
    bytes
}

/// A directory of inputs with no target would never be replayed: every directory under
/// fuzz/seeds and fuzz/regressions names a target of fuzz/targets/mod.rs.
#[test]
fn every_input_directory_names_a_target() {
    for kind in ["seeds", "regressions"] {
        for dir in target_dirs(kind) {
            assert!(
                TARGETS.iter().any(|(name, _)| *name == dir),
                "fuzz/{kind}/{dir} has no target"
            );
        }
    }
}

/// Every target has a libFuzzer binary of the same name declared in fuzz/Cargo.toml.
#[test]
fn every_target_has_a_fuzz_binary() {
    let manifest = fs::read_to_string(fuzz_dir("Cargo.toml")).unwrap();
    for (name, _) in TARGETS {
        assert!(manifest.contains(&format!("name = \"{name}\"")), "{name}");
        assert!(
            fuzz_dir("fuzz_targets")
                .join(format!("{name}.rs"))
                .is_file(),
            "{name}"
        );
    }
}

/// The targets reject what they must: a flipped byte in a valid signed record, checkpoint
/// note or bundle makes verification fail (the seeds verify, so the targets reach the
/// verifiers); every seal and seal-signature seed parses; and the encrypted-key seeds decrypt
/// under the targets' PBKDF2 cap.
#[test]
fn seeds_reach_the_verifiers() {
    use smtrust::realname::{SignedRecord, VerifyOptions};
    use smtrust::seal::{Seal, SealSignature};
    use smtrust::sm2::SecretKey;
    use smtrust::trace::EvidenceBundle;
    let seeds = |name: &str| files(&fuzz_dir("seeds").join(name));
    for path in seeds("realname_record") {
        let der = fs::read(&path).unwrap();
        let signed = SignedRecord::from_der(&der).unwrap();
        assert!(
            signed.verify(&VerifyOptions::new()).is_ok(),
            "{}",
            path.display()
        );
    }
    for path in seeds("trace_checkpoint") {
        let note = fs::read(&path).unwrap();
        assert!(targets::trace::log_verifier().verify(&note).is_ok());
        let mut flipped = note.clone();
        flipped[0] ^= 1;
        assert!(targets::trace::log_verifier().verify(&flipped).is_err());
    }
    for path in seeds("trace_bundle") {
        let data = fs::read(&path).unwrap();
        let verified = match std::str::from_utf8(&data) {
            Ok(pem) => EvidenceBundle::verify_pem(pem, targets::trace::log_verifier()),
            Err(_) => EvidenceBundle::verify(&data, targets::trace::log_verifier()),
        };
        assert!(verified.is_ok(), "{}", path.display());
    }
    for path in seeds("seal") {
        let der = fs::read(&path).unwrap();
        assert!(Seal::from_der(&der).is_ok(), "{}", path.display());
    }
    for path in seeds("seal_signature") {
        let der = fs::read(&path).unwrap();
        assert!(SealSignature::from_der(&der).is_ok(), "{}", path.display());
    }
    for path in seeds("sm2_key_encrypted") {
        let data = fs::read(&path).unwrap();
        let limits = &targets::sm2::FUZZ_LIMITS;
        let password = targets::sm2::KEY_PASSWORD;
        let read = match std::str::from_utf8(&data) {
            Ok(pem) => SecretKey::from_pkcs8_encrypted_pem_with_limits(pem, password, limits),
            Err(_) => SecretKey::from_pkcs8_encrypted_der_with_limits(&data, password, limits),
        };
        assert!(read.is_ok(), "{}", path.display());
    }
}

/// The seeds that verify also decrypt under the fuzz targets' PBKDF2 cap, and a key one
/// iteration over the cap is refused by the library before any derivation (RFC 8018 §A.2).
#[test]
fn the_encrypted_key_targets_cap_pbkdf2_iterations() {
    use smtrust::sm2::{Error, KeyProtection, SecretKey};
    let key = SecretKey::from_bytes(&fixed::hex(fixed::ENC_001_SECRET_KEY)).unwrap();
    let protection = KeyProtection {
        iterations: targets::sm2::FUZZ_MAX_ITERATIONS + 1,
        ..KeyProtection::default()
    };
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let der = key
        .to_pkcs8_encrypted_der(targets::sm2::KEY_PASSWORD, &protection, &mut rng)
        .unwrap();
    let refused = SecretKey::from_pkcs8_encrypted_der_with_limits(
        &der,
        targets::sm2::KEY_PASSWORD,
        &targets::sm2::FUZZ_LIMITS,
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::TooManyIterations {
            iterations: u64::from(targets::sm2::FUZZ_MAX_ITERATIONS) + 1,
            limit: targets::sm2::FUZZ_MAX_ITERATIONS
        }
    );
    targets::sm2::sm2_key_encrypted(&der);
}

/// Canonical key encodings (written by OpenSSL, test-vectors/interop/keys) re-encode byte
/// for byte after parsing (RFC 5915 SEC1, RFC 5208 PKCS#8, RFC 5480 SPKI).
#[test]
fn canonical_key_der_re_encodes_to_itself() {
    use smtrust::sm2::{PublicKey, SecretKey};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/interop/keys");
    for n in 1..=3 {
        let read = |suffix: &str| fs::read(dir.join(format!("key{n}.{suffix}"))).unwrap();
        let sec1 = read("sec1.der");
        assert_eq!(
            *SecretKey::from_sec1_der(&sec1).unwrap().to_sec1_der(),
            sec1
        );
        let pkcs8 = read("pkcs8.der");
        assert_eq!(
            *SecretKey::from_pkcs8_der(&pkcs8).unwrap().to_pkcs8_der(),
            pkcs8
        );
        let spki = read("spki.der");
        assert_eq!(PublicKey::from_spki_der(&spki).unwrap().to_spki_der(), spki);
        let compressed = read("spki-compressed.der");
        let key = PublicKey::from_spki_der(&compressed).unwrap();
        assert_eq!(key.to_spki_der_compressed(), compressed);
    }
}

fn write_seed(target: &str, name: &str, data: &[u8]) {
    let dir = fuzz_dir("seeds").join(target);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(name), data).unwrap();
}

/// Copies the seeds that test-vectors/ provides as files or JSON fields, and writes the
/// generated ones. Run once with `cargo test --all-features --test fuzz_replay -- --ignored`.
#[test]
#[ignore = "writes fuzz/seeds; run by hand when the seed set changes"]
fn write_generated_seeds() {
    write_key_seeds();
    write_sm2_vector_seeds();
    write_record_seeds();
    write_trace_seeds();
    write_ffi_seeds();
    write_sm4_seeds();
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors")
}

fn write_key_seeds() {
    use smtrust::sm2::{KeyCipher, KeyProtection, Pbkdf2Prf, SecretKey};
    for path in files(&vectors().join("interop/keys")) {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with(".der") || (name.ends_with(".pem") && !name.contains("-enc-")) {
            write_seed("sm2_keys", &name, &fs::read(&path).unwrap());
        }
    }
    let key = SecretKey::from_bytes(&fixed::hex(fixed::ENC_001_SECRET_KEY)).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    for (i, (cipher, prf)) in [
        (KeyCipher::Sm4Cbc, Pbkdf2Prf::HmacSm3),
        (KeyCipher::Sm4Cbc, Pbkdf2Prf::HmacSha256),
        (KeyCipher::Aes256Cbc, Pbkdf2Prf::HmacSha256),
        (KeyCipher::Aes128Cbc, Pbkdf2Prf::HmacSm3),
    ]
    .into_iter()
    .enumerate()
    {
        let protection = KeyProtection {
            cipher,
            prf,
            iterations: 16,
        };
        let der = key
            .to_pkcs8_encrypted_der(targets::sm2::KEY_PASSWORD, &protection, &mut rng)
            .unwrap();
        write_seed("sm2_key_encrypted", &format!("iter16-{i}.der"), &der);
        let pem = key
            .to_pkcs8_encrypted_pem(targets::sm2::KEY_PASSWORD, &protection, &mut rng)
            .unwrap();
        write_seed(
            "sm2_key_encrypted",
            &format!("iter16-{i}.pem"),
            pem.as_bytes(),
        );
    }
}

fn json(relative: &str) -> serde_json::Value {
    serde_json::from_slice(&fs::read(vectors().join(relative)).unwrap()).unwrap()
}

fn write_sm2_vector_seeds() {
    let signatures = json("interop/sm2_sign.json");
    for case in signatures["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        for field in ["sig_der", "sig_raw"] {
            if let Some(hex) = case[field].as_str() {
                write_seed(
                    "sm2_signature",
                    &format!("{id}-{field}"),
                    &hex::decode(hex).unwrap(),
                );
            }
        }
        if let (Some(secret), Some(msg)) = (case["private_key"].as_str(), case["msg"].as_str()) {
            let mut roundtrip = hex::decode(secret).unwrap();
            roundtrip.extend(hex::decode(msg).unwrap());
            write_seed("sm2_sign_roundtrip", id, &roundtrip);
        }
    }
    let ciphertexts = json("interop/sm2_encrypt.json");
    let fields = [
        "ciphertext_der",
        "ciphertext_c1c3c2",
        "ciphertext_c1c2c3",
        "ciphertext_c1c3c2_no04",
        "ciphertext_c1c2c3_no04",
    ];
    for case in ciphertexts["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if case["private_key"].as_str() != Some(fixed::ENC_001_SECRET_KEY) {
            continue;
        }
        for (selector, field) in (0u8..).zip(fields) {
            if let Some(hex) = case[field].as_str() {
                let mut data = vec![selector];
                data.extend(hex::decode(hex).unwrap());
                write_seed("sm2_ciphertext", &format!("{id}-{field}"), &data);
            }
        }
        let mut differential = id.as_bytes()[..8].to_vec();
        differential.extend(hex::decode(case["plaintext"].as_str().unwrap()).unwrap());
        write_seed("sm2_encrypt_differential", id, &differential);
    }
}

fn signed_records() -> Vec<(String, Vec<u8>)> {
    use smtrust::realname::{
        CheckResult, FactorSet, Role, SubjectKind, UnixTime, VerificationRecord,
    };
    use smtrust::sm2::{DistId, SecretKey, SigningKey};
    let pem = fs::read_to_string(vectors().join("interop/pki/keys/leaf-good.key.pem")).unwrap();
    let key = SigningKey::new(SecretKey::from_pem(&pem).unwrap(), DistId::DEFAULT);
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let t0 = 1_780_000_000;
    let minimal = VerificationRecord::builder("SH-1", "R-1", 1)
        .subject(SubjectKind::NaturalPerson, Role::Agent)
        .check(FactorSet::PHONE_3, "Inst", "req")
        .result(CheckResult::Match, "0", "")
        .times(UnixTime::from_secs(t0), UnixTime::from_secs(t0))
        .build()
        .unwrap();
    let fuller = VerificationRecord::builder("SH-2026-000123", "R-0002", 2)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(
            FactorSet::PHONE_3,
            "Example Qualified Institution",
            "req-77",
        )
        .result(CheckResult::Mismatch, "1", "不一致")
        .times(UnixTime::from_secs(t0), UnixTime::from_secs(t0 + 2))
        .operator("registrar-17")
        .build()
        .unwrap();
    [("minimal", minimal), ("mismatch-operator", fuller)]
        .into_iter()
        .map(|(name, record)| {
            let signed = record
                .sign(&key, fixed::LEAF_GOOD_CERTIFICATE, &mut rng)
                .unwrap();
            (name.to_owned(), signed.as_der().to_vec())
        })
        .collect()
}

fn write_record_seeds() {
    for (name, der) in signed_records() {
        write_seed("realname_record", &format!("{name}.der"), &der);
    }
}

fn write_trace_seeds() {
    use smtrust::pki::{CertificateBuilder, UnixTime};
    use smtrust::sm2::{DistId, SecretKey, SigningKey};
    use smtrust::trace::{Actor, Entry, Event, Ledger, LogSigner, MemoryStore, Role};
    use smtrust::tsp::LocalTsa;
    let at = UNIX_EPOCH + Duration::from_secs(1_780_000_000);
    let signer = LogSigner::new(
        fixed::LOG_NAME,
        SecretKey::from_bytes(&fixed::LOG_SECRET_KEY).unwrap(),
    )
    .unwrap();
    let ledger = Ledger::open(MemoryStore::new(), signer).unwrap();
    let clerk = Actor::new(Role::Registrar, "clerk-07");
    let institution = Actor::new(Role::Institution, "face-provider-1");
    let record = signed_records().remove(0).1;
    let entries = [
        Entry::new(
            "SH-A",
            at,
            institution,
            Event::VerificationRecorded { record },
        )
        .unwrap(),
        Entry::new(
            "SH-A",
            at,
            clerk.clone(),
            Event::DecisionMade {
                decision: "approved".into(),
                rule: "samr-online".into(),
            },
        )
        .unwrap(),
        Entry::new(
            "SH-B",
            at,
            clerk,
            Event::SealApplied {
                digest: vec![0xab; 32],
                signer_certificate: fixed::LEAF_GOOD_CERTIFICATE.to_vec(),
            },
        )
        .unwrap(),
    ];
    ledger.append_batch(&entries[..1]).unwrap();
    ledger.append_batch(&entries[1..]).unwrap();
    let regulator = Actor::new(Role::Regulator, "samr-inspector-3");
    let history = ledger
        .retrieve(&regulator, "SH-A", "inspection", at)
        .unwrap();
    let bundle = history
        .to_bundle(&[fixed::STD_ROOT_CERTIFICATE.to_vec()])
        .unwrap();
    write_seed("trace_bundle", "sh-a.der", bundle.to_der());
    write_seed(
        "trace_bundle",
        "sh-a.pem",
        bundle.to_pem().unwrap().as_bytes(),
    );
    let checkpoint = history.checkpoint();
    write_seed(
        "trace_checkpoint",
        "after-retrieval.note",
        checkpoint.note(),
    );
    // The same bundle with its checkpoint stamped (version 3, RFC 3161 token over the note).
    let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("CN=Fuzz Time Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32]).unwrap(), DistId::DEFAULT);
    let tsa_cert = LocalTsa::certificate_builder("CN=Fuzz TSA", 2)
        .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1").unwrap();
    let stamped_at = UnixTime::since_unix_epoch(Duration::from_secs(1_780_000_060));
    let token = ledger
        .stamp_checkpoint(checkpoint.size(), &tsa, stamped_at)
        .unwrap();
    let stamped = history
        .with_checkpoint_token(&token)
        .unwrap()
        .to_bundle(&[])
        .unwrap();
    write_seed("trace_bundle", "sh-a-stamped.der", stamped.to_der());
}

fn write_ffi_seeds() {
    let seed = |selector: u8, param: u8, body: &[u8]| {
        let mut data = vec![selector, param];
        data.extend_from_slice(body);
        data
    };
    let key_der = fs::read(vectors().join("interop/keys/key1.pkcs8.der")).unwrap();
    let spki = fs::read(vectors().join("interop/keys/key1.spki.der")).unwrap();
    let encrypted = fs::read(fuzz_dir("seeds").join("sm2_key_encrypted/iter16-0.der")).unwrap();
    let signatures = json("interop/sm2_sign.json");
    let sig_der = hex::decode(signatures["cases"][0]["sig_der"].as_str().unwrap()).unwrap();
    let ciphertexts = json("interop/sm2_encrypt.json");
    let ct_der = hex::decode(ciphertexts["cases"][0]["ciphertext_der"].as_str().unwrap()).unwrap();
    let mut verify_body = vec![0u8];
    verify_body.extend(&sig_der);
    let mut hmac_body = vec![16u8];
    hmac_body.extend([0x11; 16]);
    hmac_body.push(32);
    hmac_body.extend(smtrust::sm3::hmac(&[0x11; 16], b"message").as_ref());
    hmac_body.extend(b"message");
    let mut gcm_body = vec![16u8];
    gcm_body.extend([0x22; 16]);
    gcm_body.push(12);
    gcm_body.extend([0x33; 12]);
    gcm_body.push(0);
    gcm_body.extend([0x44; 32]);
    let mut cbc_body = vec![16u8];
    cbc_body.extend([0x22; 16]);
    cbc_body.push(16);
    cbc_body.extend([0x33; 16]);
    cbc_body.extend([0x44; 32]);
    let cms = fs::read(fuzz_dir("seeds").join("cms/smtrust-pkcs7-detached-emptyid.der")).unwrap();
    let mut cms_body = vec![0u8];
    cms_body.extend(&cms);
    let record = signed_records().remove(0).1;
    let inputs = [
        ("secret-key-pkcs8", seed(0, 1, &key_der)),
        ("public-key-spki", seed(1, 1, &spki)),
        ("secret-key-encrypted", seed(2, 1, &encrypted)),
        ("verify-der", seed(3, 1, &verify_body)),
        ("signature-convert", seed(4, 0b0000_0101, &sig_der)),
        ("decrypt-der", seed(5, 1, &ct_der)),
        ("ciphertext-convert", seed(6, 0b0001_0001, &ct_der)),
        ("hmac-verify", seed(7, 0, &hmac_body)),
        ("sm4-cbc-decrypt", seed(8, 2, &cbc_body)),
        ("sm4-gcm-decrypt", seed(9, 0, &gcm_body)),
        ("cert-verify", seed(10, 1, fixed::LEAF_GOOD_CERTIFICATE)),
        ("cms-verify", seed(11, 2, &cms_body)),
        ("record-verify", seed(12, 0, &record)),
        ("record-verify-small-out", seed(12, 0x81, &record)),
        ("sm3-hash", seed(13, 0x84, b"abc")),
    ];
    for (name, data) in inputs {
        write_seed("ffi", name, &data);
    }
}

/// `mode ‖ key ‖ iv ‖ n ‖ rest` inputs of `sm4_differential` for every mode (fuzz/targets/sm4.rs),
/// with the RFC 8998 Appendix A key and nonce, messages of 0, 15, 16 and 33 bytes, and a GCM
/// and a CCM input whose message is a sealed message under the same key, nonce and data.
fn write_sm4_seeds() {
    use smtrust::sm4::{self, Nonce};
    let key = hex::decode("0123456789abcdeffedcba9876543210").unwrap();
    let mut iv = hex::decode("00001234567800000000abcd").unwrap();
    iv.extend([0u8; 4]);
    let input = |mode: u8, n: u8, rest: &[u8]| {
        let mut data = vec![mode];
        data.extend(&key);
        data.extend(&iv);
        data.push(n);
        data.extend(rest);
        data
    };
    let modes = [
        "ecb-pkcs7",
        "ecb-none",
        "cbc-pkcs7",
        "cbc-none",
        "ctr",
        "cfb",
        "ofb",
        "gcm",
        "ccm",
    ];
    for (mode, name) in (0u8..).zip(modes) {
        for len in [0usize, 15, 16, 33] {
            let message: Vec<u8> = (0..len).map(|i| i as u8).collect();
            write_seed(
                "sm4_differential",
                &format!("{name}-{len}"),
                &input(mode, 5, &message),
            );
        }
    }
    let sm4_key = sm4::Key::from_slice(&key).unwrap();
    let nonce = || Nonce::try_assume_unique_for_key(&iv[..12]).unwrap();
    let aad = b"header";
    let sealed = sm4::gcm_seal(&sm4_key, nonce(), aad, b"sealed message").unwrap();
    let mut rest = aad.to_vec();
    rest.extend(&sealed);
    write_seed("sm4_differential", "gcm-sealed", &input(7, 6, &rest));
    let sealed = sm4::ccm_seal(&sm4_key, nonce(), aad, b"sealed message").unwrap();
    let mut rest = aad.to_vec();
    rest.extend(&sealed);
    write_seed("sm4_differential", "ccm-sealed", &input(8, 6, &rest));
}
