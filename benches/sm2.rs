//! SM2 sign, verify, encrypt and decrypt (32-byte messages), beside the RustCrypto `sm2` crate
//! that smtrust builds on, measured in the same run.
//!
//! Timings are noisy on a shared machine; instruction counts are not. With
//! `SMTRUST_SM2_COUNT=<sign|verify|encrypt|encrypt-prepared-key|decrypt>` the binary skips
//! criterion and runs that smtrust operation 1,000 times (with a `rustcrypto-` prefix, the `sm2`
//! crate's; `setup` runs nothing, for the count to subtract), for
//! `valgrind --tool=callgrind target/release/deps/sm2-…`. Valgrind's CPU has no ADX, so those
//! counts are of the portable field code, not of the assembly a real x86-64 CPU runs.

use criterion::{Criterion, criterion_group};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sm2::dsa::signature::{RandomizedSigner, Verifier};
use smtrust::sm2::{CiphertextFormat, DistId, EncryptingKey, SecretKey, SigningKey};

const MESSAGE: [u8; 32] = [0x5a; 32];

fn smtrust_sm2(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let secret = SecretKey::generate(&mut rng).unwrap();
    let public = secret.public_key();
    let signer = SigningKey::new(
        SecretKey::from_bytes(secret.to_bytes().as_ref()).unwrap(),
        DistId::DEFAULT,
    );
    let signature = signer.sign(&mut rng, &MESSAGE).unwrap();
    let ciphertext = public
        .encrypt(&mut rng, &MESSAGE)
        .unwrap()
        .to_bytes(CiphertextFormat::Der);

    let mut group = c.benchmark_group("smtrust-sm2");
    group.bench_function("sign", |b| {
        b.iter(|| signer.sign(&mut rng, &MESSAGE).unwrap())
    });
    group.bench_function("verify", |b| {
        b.iter(|| signer.verifying_key().verify(&MESSAGE, &signature).unwrap())
    });
    group.bench_function("encrypt", |b| {
        b.iter(|| public.encrypt(&mut rng, &MESSAGE).unwrap())
    });
    group.bench_function("decrypt", |b| {
        b.iter(|| secret.decrypt(&ciphertext, CiphertextFormat::Der).unwrap())
    });
    // One key used for many messages, with its tables prepared (on its second use).
    let encrypting = EncryptingKey::new(public);
    group.bench_function("encrypt-prepared-key", |b| {
        b.iter(|| encrypting.encrypt(&mut rng, &MESSAGE).unwrap())
    });
    group.finish();
}

fn rustcrypto_sm2(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let secret = SecretKey::generate(&mut rng).unwrap();
    let signer =
        sm2::dsa::SigningKey::from_slice("1234567812345678", secret.to_bytes().as_ref()).unwrap();
    let signature: sm2::dsa::Signature = signer.sign_with_rng(&mut rng, &MESSAGE);
    let decrypting = sm2::pke::DecryptingKey::from_slice(secret.to_bytes().as_ref()).unwrap();
    let ciphertext = decrypting
        .encrypting_key()
        .encrypt_der(&mut rng, &MESSAGE)
        .unwrap();

    let mut group = c.benchmark_group("rustcrypto-sm2");
    group.bench_function("sign", |b| {
        b.iter(|| -> sm2::dsa::Signature { signer.sign_with_rng(&mut rng, &MESSAGE) })
    });
    group.bench_function("verify", |b| {
        b.iter(|| signer.verifying_key().verify(&MESSAGE, &signature).unwrap())
    });
    group.bench_function("encrypt", |b| {
        b.iter(|| {
            decrypting
                .encrypting_key()
                .encrypt_der(&mut rng, &MESSAGE)
                .unwrap()
        })
    });
    group.bench_function("decrypt", |b| {
        b.iter(|| decrypting.decrypt_der(&ciphertext).unwrap())
    });
    group.finish();
}

/// Runs one smtrust operation 1,000 times after one warm-up call (which builds the tables).
fn count_one(operation: &str) {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let secret = SecretKey::generate(&mut rng).unwrap();
    let public = secret.public_key();
    let signer = SigningKey::new(
        SecretKey::from_bytes(secret.to_bytes().as_ref()).unwrap(),
        DistId::DEFAULT,
    );
    let signature = signer.sign(&mut rng, &MESSAGE).unwrap();
    signer.verifying_key().verify(&MESSAGE, &signature).unwrap();
    let ciphertext = public
        .encrypt(&mut rng, &MESSAGE)
        .unwrap()
        .to_bytes(CiphertextFormat::Der);
    let encrypting = EncryptingKey::new(public);
    encrypting.encrypt(&mut rng, &MESSAGE).unwrap();
    encrypting.encrypt(&mut rng, &MESSAGE).unwrap();
    let theirs =
        sm2::dsa::SigningKey::from_slice("1234567812345678", secret.to_bytes().as_ref()).unwrap();
    let their_signature: sm2::dsa::Signature = theirs.sign_with_rng(&mut rng, &MESSAGE);
    let decrypting = sm2::pke::DecryptingKey::from_slice(secret.to_bytes().as_ref()).unwrap();
    let their_ciphertext = decrypting
        .encrypting_key()
        .encrypt_der(&mut rng, &MESSAGE)
        .unwrap();
    for _ in 0..1000 {
        match operation {
            "sign" => drop(signer.sign(&mut rng, &MESSAGE).unwrap()),
            "verify" => signer.verifying_key().verify(&MESSAGE, &signature).unwrap(),
            "encrypt" => drop(public.encrypt(&mut rng, &MESSAGE).unwrap()),
            "encrypt-prepared-key" => drop(encrypting.encrypt(&mut rng, &MESSAGE).unwrap()),
            "decrypt" => drop(secret.decrypt(&ciphertext, CiphertextFormat::Der).unwrap()),
            "rustcrypto-sign" => {
                let _: sm2::dsa::Signature = theirs.sign_with_rng(&mut rng, &MESSAGE);
            }
            "rustcrypto-verify" => theirs
                .verifying_key()
                .verify(&MESSAGE, &their_signature)
                .unwrap(),
            "rustcrypto-encrypt" => drop(
                decrypting
                    .encrypting_key()
                    .encrypt_der(&mut rng, &MESSAGE)
                    .unwrap(),
            ),
            "rustcrypto-decrypt" => drop(decrypting.decrypt_der(&their_ciphertext).unwrap()),
            // The setup alone, to subtract from the others' counts.
            "setup" => {}
            other => panic!("unknown operation {other}"),
        }
    }
}

criterion_group!(benches, smtrust_sm2, rustcrypto_sm2);

fn main() {
    match std::env::var("SMTRUST_SM2_COUNT") {
        Ok(operation) => count_one(&operation),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
