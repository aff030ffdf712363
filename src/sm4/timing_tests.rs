//! A dudect-style timing test (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant
//! time?", DATE 2017): time each core on two input classes, fixed and random, interleaved in
//! random order, and compare the two timing distributions with Welch's t-test. |t| above 4.5
//! is evidence that timing depends on the input class.
//!
//! Ignored by default: it takes tens of seconds, and a loaded machine adds noise.
//! `cargo test --release --lib sm4::timing_tests -- --ignored --nocapture`

use std::hint::black_box;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

use super::cipher::Core;
use super::{BLOCK_LEN, Key, Nonce};

/// Measurements per class.
const SAMPLES: usize = 20_000;

/// dudect's threshold for "probably leaks".
const THRESHOLD: f64 = 4.5;

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    let stats = |x: &[f64]| {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, var, n)
    };
    let (ma, va, na) = stats(a);
    let (mb, vb, nb) = stats(b);
    (ma - mb) / (va / na + vb / nb).sqrt()
}

/// Keeps the measurements below the `percentile` of all of them, as dudect does to cut
/// interrupts and preemptions out.
fn crop(a: &mut Vec<f64>, b: &mut Vec<f64>, percentile: f64) {
    let mut all: Vec<f64> = a.iter().chain(b.iter()).copied().collect();
    all.sort_by(f64::total_cmp);
    let index = ((all.len() as f64 * percentile) as usize).min(all.len() - 1);
    let cut = all[index];
    a.retain(|v| *v <= cut);
    b.retain(|v| *v <= cut);
}

/// Makes every input first (class fixed = `false` or random = `true`, in a random order),
/// then times `run` on each, so both classes reach the timed code the same way; returns the
/// largest |t| over the crops dudect uses.
fn t_statistic<I: Copy>(
    rng: &mut ChaCha20Rng,
    mut make: impl FnMut(bool) -> I,
    mut run: impl FnMut(I) -> f64,
) -> f64 {
    let classes: Vec<bool> = (0..2 * SAMPLES).map(|_| rng.next_u32() & 1 == 1).collect();
    let inputs: Vec<I> = classes.iter().map(|&class| make(class)).collect();
    // Warm the caches and the branch predictors before measuring.
    inputs.iter().take(1000).for_each(|input| {
        run(*input);
    });
    let mut fixed = Vec::with_capacity(SAMPLES);
    let mut random = Vec::with_capacity(SAMPLES);
    for (class, input) in classes.iter().zip(&inputs) {
        let nanos = run(*input);
        if *class {
            random.push(nanos)
        } else {
            fixed.push(nanos)
        }
    }
    [0.5, 0.9, 0.99]
        .iter()
        .map(|&p| {
            let (mut a, mut b) = (fixed.clone(), random.clone());
            crop(&mut a, &mut b, p);
            welch_t(&a, &b).abs()
        })
        .fold(0.0, f64::max)
}

fn random<const N: usize>(rng: &mut ChaCha20Rng) -> [u8; N] {
    let mut bytes = [0; N];
    rng.fill_bytes(&mut bytes);
    bytes
}

#[test]
#[ignore = "timing measurement: tens of seconds, run on a quiet machine with --release"]
fn dudect_fixed_versus_random_key_and_data_on_every_core() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x5344_7474);
    let mut input_rng = ChaCha20Rng::seed_from_u64(0x5344_7475);
    let fixed_key = [0u8; 16];
    let mut worst: f64 = 0.0;
    for core in Core::available() {
        // Data: one block and a 16-block ECB batch under one key, plaintext fixed (zero) or
        // random.
        let key = Key::with_core(random(&mut input_rng), core);
        let t_block = t_statistic(
            &mut rng,
            |class| {
                if class {
                    random(&mut input_rng)
                } else {
                    [0; BLOCK_LEN]
                }
            },
            |mut block| {
                let start = Instant::now();
                key.encrypt_block(black_box(&mut block));
                black_box(block);
                start.elapsed().as_nanos() as f64
            },
        );
        let t_batch = t_statistic(
            &mut rng,
            |class| {
                if class {
                    random::<256>(&mut input_rng)
                } else {
                    [0; 256]
                }
            },
            |mut data| {
                let start = Instant::now();
                super::ecb_encrypt_blocks(&key, black_box(&mut data)).unwrap_or(());
                black_box(data);
                start.elapsed().as_nanos() as f64
            },
        );
        // GCM over 256 bytes: the keystream batches and the carry-less-multiply GHASH, data
        // fixed or random (the nonce repeats only because nothing here is kept secret).
        let t_gcm = t_statistic(
            &mut rng,
            |class| {
                if class {
                    random::<256>(&mut input_rng)
                } else {
                    [0; 256]
                }
            },
            |mut data| {
                let nonce = Nonce::assume_unique_for_key([7; 12]);
                let start = Instant::now();
                let tag = super::gcm_seal_in_place_detached(&key, nonce, b"", black_box(&mut data));
                black_box((data, tag.unwrap_or([0; 16])));
                start.elapsed().as_nanos() as f64
            },
        );
        // Key: expansion plus one block, key fixed or random.
        let t_key = t_statistic(
            &mut rng,
            |class| {
                if class {
                    random(&mut input_rng)
                } else {
                    fixed_key
                }
            },
            |bytes| {
                let mut block = [0; BLOCK_LEN];
                let start = Instant::now();
                let key = Key::with_core(black_box(bytes), core);
                key.encrypt_block(&mut block);
                black_box(block);
                let nanos = start.elapsed().as_nanos() as f64;
                drop(key);
                nanos
            },
        );
        println!(
            "dudect {core:?}: |t| one block {t_block:.2}, 16-block batch {t_batch:.2}, \
             256-byte GCM seal {t_gcm:.2}, key schedule + block {t_key:.2} \
             ({SAMPLES} samples a class)"
        );
        worst = worst.max(t_block).max(t_batch).max(t_gcm).max(t_key);
    }
    assert!(worst < THRESHOLD, "largest |t| = {worst:.2}");
}
