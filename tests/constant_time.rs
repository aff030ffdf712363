//! Dudect-style timing checks (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant
//! time?", 2017): the time of an operation is sampled for two classes of input, interleaved
//! in a random order, and Welch's t-test compares the classes; |t| above 4.5 is evidence of
//! a timing difference. Both classes here make the check fail: the *fixed* class presents
//! the right tag with only its last byte changed, the *random* class a random tag, so a
//! comparison that stops at the first differing byte would be told apart.
//!
//! SM2 signing, decryption and encryption with a prepared key are checked the same way, with
//! a fixed and a random secret intermediate (the nonce k, the shared point d·C1, the
//! ephemeral k) in place of the tag.
//!
//! Ignored (long, and meaningful only on a quiet machine); run with
//! `cargo test --release --all-features --test constant_time -- --ignored --nocapture`.

use std::hint::black_box;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng};
use smtrust::sm2::{CiphertextFormat, DistId, EncryptingKey, SecretKey, SigningKey};
use smtrust::sm3::Hmac;
use smtrust::sm4::{self, Key, Nonce};

const SAMPLES: usize = 200_000;
const THRESHOLD: f64 = 4.5;

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var, n)
    };
    let ((ma, va, na), (mb, vb, nb)) = (stats(a), stats(b));
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Times `op` on `SAMPLES` inputs of randomly chosen class and returns the largest |t| over
/// the whole sample and the samples below the 50th, 75th and 90th percentiles (dudect's
/// cropping, which removes the long tail of interrupts).
fn t_statistic(
    seed: u64,
    mut input: impl FnMut(bool, &mut ChaCha20Rng) -> Vec<u8>,
    mut op: impl FnMut(&[u8]) -> bool,
) -> f64 {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut timed: Vec<(bool, f64)> = Vec::with_capacity(SAMPLES);
    let inputs: Vec<(bool, Vec<u8>)> = (0..SAMPLES)
        .map(|_| {
            let fixed = rng.next_u32() & 1 == 0;
            (fixed, input(fixed, &mut rng))
        })
        .collect();
    for (fixed, data) in &inputs {
        let start = Instant::now();
        let accepted = black_box(op(black_box(data)));
        let elapsed = start.elapsed().as_nanos() as f64;
        assert!(!accepted, "a timed input was accepted");
        timed.push((*fixed, elapsed));
    }
    let mut all: Vec<f64> = timed.iter().map(|(_, t)| *t).collect();
    all.sort_by(f64::total_cmp);
    let mut worst: f64 = 0.0;
    for crop in [1.0, 0.5, 0.75, 0.9] {
        let limit = all[((all.len() - 1) as f64 * crop) as usize];
        let class = |want: bool| -> Vec<f64> {
            timed
                .iter()
                .filter(|(fixed, t)| *fixed == want && *t <= limit)
                .map(|(_, t)| *t)
                .collect()
        };
        let t = welch_t(&class(true), &class(false));
        println!("  crop {crop:.2}: t = {t:+.2}");
        worst = worst.max(t.abs());
    }
    worst
}

/// A tag of the right length: the right one with the last byte flipped (fixed class) or
/// random bytes (random class).
fn candidate_tag(right: &[u8], fixed: bool, rng: &mut ChaCha20Rng) -> Vec<u8> {
    let mut tag = right.to_vec();
    if fixed {
        if let Some(last) = tag.last_mut() {
            *last ^= 1;
        }
    } else {
        rng.fill_bytes(&mut tag);
    }
    tag
}

/// HMAC-SM3 verification (`sm3::Hmac::verify`, RFC 2104 with SM3; comparison through
/// `subtle`).
#[test]
#[ignore = "timing statistics: long and machine-dependent"]
fn hmac_sm3_verify_time_does_not_depend_on_the_tag() {
    let key = [0x0bu8; 32];
    let msg = [0x5au8; 64];
    let right = smtrust::sm3::hmac(&key, &msg);
    println!("HMAC-SM3 verify, {SAMPLES} samples:");
    let t = t_statistic(
        1,
        |fixed, rng| candidate_tag(right.as_ref(), fixed, rng),
        |tag| Hmac::new(&key).chain(&msg).verify(tag).is_ok(),
    );
    println!("  max |t| = {t:.2}");
    assert!(t < THRESHOLD, "|t| = {t:.2}");
}

/// SM4-GCM open (NIST SP 800-38D §7.2 step 8 with SM4): the tag comparison on a failed open.
#[test]
#[ignore = "timing statistics: long and machine-dependent"]
fn sm4_gcm_open_time_does_not_depend_on_the_tag() {
    let key = Key::new([0x42; 16]);
    let nonce = || Nonce::assume_unique_for_key([0x24; 12]);
    let sealed = sm4::gcm_seal(&key, nonce(), b"aad", &[0x5a; 64]).unwrap();
    let (ciphertext, right) = sealed.split_at(sealed.len() - sm4::TAG_LEN);
    println!("SM4-GCM open, {SAMPLES} samples:");
    let t = t_statistic(
        2,
        |fixed, rng| [ciphertext, &candidate_tag(right, fixed, rng)].concat(),
        |sealed| sm4::gcm_open(&key, nonce(), b"aad", sealed).is_ok(),
    );
    println!("  max |t| = {t:.2}");
    assert!(t < THRESHOLD, "|t| = {t:.2}");
}

/// SM2 signing (GB/T 32918.2 §6.1 A3–A7 with RFC 6979 nonces): one digest, hence one nonce k,
/// in the fixed class against a fresh digest and k per sample. Covers the comb's row scans,
/// the divstep inversion of Z and the scalar arithmetic, all of which see k. The timed
/// operation reports a failure, which must not happen.
#[test]
#[ignore = "timing statistics: long and machine-dependent"]
fn sm2_sign_time_does_not_depend_on_the_nonce() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let signer = SigningKey::new(SecretKey::generate(&mut rng).unwrap(), DistId::DEFAULT);
    println!("SM2 sign, {SAMPLES} samples:");
    let t = t_statistic(
        3,
        |fixed, rng| {
            let mut digest = vec![0x5a; 32];
            if !fixed {
                rng.fill_bytes(&mut digest);
            }
            digest
        },
        |digest| signer.sign_digest_deterministic(digest).is_err(),
    );
    println!("  max |t| = {t:.2}");
    assert!(t < THRESHOLD, "|t| = {t:.2}");
}

/// SM2 decryption (GB/T 32918.4 §7.1 B1–B7): one ciphertext in the fixed class against a
/// fresh one per sample, so d·C1 and its inversion see different points. The timed
/// operation reports a failure, which must not happen.
#[test]
#[ignore = "timing statistics: long and machine-dependent"]
fn sm2_decrypt_time_does_not_depend_on_the_ciphertext() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let key = SecretKey::generate(&mut rng).unwrap();
    let public = key.public_key();
    let encrypt = |rng: &mut ChaCha20Rng| {
        public
            .encrypt(rng, &[0x5a; 32])
            .unwrap()
            .to_bytes(CiphertextFormat::C1C3C2)
    };
    let fixed_ciphertext = encrypt(&mut rng);
    println!("SM2 decrypt, {SAMPLES} samples:");
    let t = t_statistic(
        4,
        |fixed, rng| match fixed {
            true => fixed_ciphertext.clone(),
            false => encrypt(rng),
        },
        |ciphertext| key.decrypt(ciphertext, CiphertextFormat::C1C3C2).is_err(),
    );
    println!("  max |t| = {t:.2}");
    assert!(t < THRESHOLD, "|t| = {t:.2}");
}

/// SM2 encryption with a prepared key (GB/T 32918.4 §6.1 A1–A8, k·P from the key's tables):
/// one ephemeral k in the fixed class (the same RNG seed) against a fresh k per sample. Covers
/// the table scans of k·G and k·P and the shared inversion. The timed operation reports a
/// failure, which must not happen.
#[test]
#[ignore = "timing statistics: long and machine-dependent"]
fn sm2_prepared_encrypt_time_does_not_depend_on_the_ephemeral_key() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let key = EncryptingKey::new(SecretKey::generate(&mut rng).unwrap().public_key());
    // The second use builds the tables; every timed one runs on them.
    for _ in 0..2 {
        key.encrypt(&mut rng, &[0x5a; 32]).unwrap();
    }
    println!("SM2 encrypt with a prepared key, {SAMPLES} samples:");
    let t = t_statistic(
        5,
        |fixed, rng| {
            // The RNG seed, hence k.
            let mut seed = vec![0x07; 32];
            if !fixed {
                rng.fill_bytes(&mut seed);
            }
            seed
        },
        |seed| {
            let seed: [u8; 32] = seed.try_into().unwrap();
            key.encrypt(&mut ChaCha20Rng::from_seed(seed), &[0x5a; 32])
                .is_err()
        },
    );
    println!("  max |t| = {t:.2}");
    assert!(t < THRESHOLD, "|t| = {t:.2}");
}
