//! SM4 throughput: each mode at 64 B and 8 KiB, and the raw `sm4` crate's ECB beside ours
//! (the wrapper should cost nothing measurable).
//!
//! `CARGO_BUILD_JOBS=1 cargo bench --bench sm4 -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use cipher::{Array, BlockCipherEncrypt, KeyInit};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smtrust::sm4::{self, Nonce, Padding};

const SIZES: [usize; 2] = [64, 8192];
const KEY: [u8; 16] = *b"smtrust bench k!";
const IV: [u8; 16] = *b"smtrust bench iv";

fn modes(c: &mut Criterion) {
    let key = sm4::Key::new(KEY);
    let raw = ::sm4::Sm4::new(&Array::from(KEY));
    let mut group = c.benchmark_group("sm4");
    for size in SIZES {
        group.throughput(Throughput::Bytes(u64::try_from(size).unwrap()));
        let mut buffer = vec![0x5a; size];
        let ciphertext = sm4::cbc_encrypt(&key, &IV, Padding::None, &buffer).unwrap();

        group.bench_with_input(BenchmarkId::new("raw-crate-ecb", size), &size, |b, _| {
            b.iter(|| {
                let (blocks, _) = Array::slice_as_chunks_mut(&mut buffer);
                raw.encrypt_blocks(black_box(blocks));
            })
        });
        group.bench_with_input(BenchmarkId::new("ecb", size), &size, |b, _| {
            b.iter(|| sm4::ecb_encrypt_blocks(&key, black_box(&mut buffer)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("cbc-enc", size), &size, |b, _| {
            b.iter(|| sm4::cbc_encrypt(&key, &IV, Padding::None, black_box(&buffer)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("cbc-dec", size), &size, |b, _| {
            b.iter(|| sm4::cbc_decrypt(&key, &IV, Padding::None, black_box(&ciphertext)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("ctr", size), &size, |b, _| {
            b.iter(|| sm4::Ctr::new(&key, &IV).apply_keystream(black_box(&mut buffer)))
        });
        group.bench_with_input(BenchmarkId::new("gcm-seal", size), &size, |b, _| {
            b.iter(|| {
                // A benchmark may repeat a nonce; real callers must not.
                let nonce = Nonce::assume_unique_for_key([7; 12]);
                sm4::gcm_seal_in_place_detached(&key, nonce, b"", black_box(&mut buffer)).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, modes);
criterion_main!(benches);
