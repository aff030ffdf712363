//! The Merkle log of `smtrust::trace`: appends, proofs and checks, SM3 (the ledger's
//! default) beside SHA-256.
//!
//! `cargo bench --bench trace`. The proof benches use one in-memory log of 1,000,000 leaves,
//! built once per algorithm.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use smtrust::trace::{self, MemoryHashes, TreeHash};

const BIG: u64 = 1_000_000;
const APPENDS: u64 = 1_000;

fn entry(i: u64) -> [u8; 64] {
    let mut entry = [0u8; 64];
    entry[..8].copy_from_slice(&i.to_be_bytes());
    entry
}

fn build(alg: &'static TreeHash, size: u64) -> MemoryHashes {
    let mut log = MemoryHashes::new(alg);
    for i in 0..size {
        log.append(&entry(i)).unwrap();
    }
    log
}

fn bench_algorithm(c: &mut Criterion, alg: &'static TreeHash) {
    let name = alg.name();
    let mut group = c.benchmark_group(format!("trace/{name}"));

    // The unit everything else is made of: one interior-node hash (65 bytes in).
    let (left, right) = (alg.hash_leaf(b"left"), alg.hash_leaf(b"right"));
    group.throughput(Throughput::Elements(1));
    group.bench_function("hash_children", |b| {
        b.iter(|| alg.hash_children(black_box(&left), black_box(&right)))
    });

    group.throughput(Throughput::Elements(APPENDS));
    group.bench_function("append 1000 entries (64 B)", |b| {
        b.iter_batched(
            || MemoryHashes::new(alg),
            |mut log| {
                for i in 0..APPENDS {
                    log.append(&entry(i)).unwrap();
                }
                log
            },
            BatchSize::SmallInput,
        )
    });

    let log = build(alg, BIG);
    let root = trace::tree_hash(alg, BIG, &log).unwrap();
    let old = BIG / 3 + 7;
    let old_root = trace::tree_hash(alg, old, &log).unwrap();
    let index = BIG / 2 + 12_345;
    let leaf = alg.hash_leaf(&entry(index));
    let inclusion = trace::prove_inclusion(alg, BIG, index, &log).unwrap();
    let consistency = trace::prove_consistency(alg, old, BIG, &log).unwrap();

    group.throughput(Throughput::Elements(1));
    group.bench_function("tree_hash, 1M leaves", |b| {
        b.iter(|| trace::tree_hash(alg, black_box(BIG), &log).unwrap())
    });
    group.bench_function("prove_inclusion, 1M leaves", |b| {
        b.iter(|| trace::prove_inclusion(alg, BIG, black_box(index), &log).unwrap())
    });
    group.bench_function("check_inclusion, 1M leaves", |b| {
        b.iter(|| {
            trace::check_inclusion(alg, black_box(&inclusion), BIG, index, &root, &leaf).unwrap()
        })
    });
    group.bench_function("prove_consistency, 1M leaves", |b| {
        b.iter(|| trace::prove_consistency(alg, black_box(old), BIG, &log).unwrap())
    });
    group.bench_function("check_consistency, 1M leaves", |b| {
        b.iter(|| {
            trace::check_consistency(alg, black_box(&consistency), old, BIG, &old_root, &root)
                .unwrap()
        })
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_algorithm(c, &trace::SM3);
    bench_algorithm(c, &trace::SHA256);
}

criterion_group!(trace_benches, benches);
criterion_main!(trace_benches);
