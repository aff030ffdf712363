//! The ledger of `smtrust::trace` on its SQLite store (WAL, `synchronous = FULL`): durable
//! appends at batch sizes 1, 100 and 1000, `history(serial)` with proofs, proof and bundle
//! verification, and bytes of storage per entry (printed once).
//!
//! Appends are measured with both [`Durability`] settings: `PowerLoss` flushes every commit
//! to the disk, `ProcessCrash` survives SIGKILL but not a power cut. Single appends are
//! measured from one thread and from N concurrent appenders (`Ledger::append`), whose appends
//! the sequencer groups into shared transactions (group commit).
//!
//! `cargo bench --bench ledger`. Targets on the 2-core machine: ≥ 50,000 entries/s at batch
//! 1000, ≥ 1,000/s for single durable appends.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smtrust::sm2::SecretKey;
use smtrust::trace::{
    Actor, Durability, Entry, Event, EvidenceBundle, Ledger, LogSigner, Role, SM3, SqliteStore,
    check_inclusion,
};

fn signer() -> LogSigner {
    LogSigner::new(
        "bench.example/ledger",
        SecretKey::from_bytes(&[7; 32]).unwrap(),
    )
    .unwrap()
}

/// Entry `i` of the workload: a decision entry of 75 bytes of DER. Serials are issued in
/// increasing order and each gets five entries, as a registration does (verification,
/// decision, signature, seal, retrieval); `random_serials` instead spreads entries over
/// 1,000 serials at random, the worst case for the serial index.
fn entry(i: u64) -> Entry {
    entry_for(&format!("SH-2026-{:08}", i / 5), i)
}

fn random_entry(i: u64) -> Entry {
    entry_for(
        &format!(
            "SH-2026-{:08}",
            i.wrapping_mul(0x9e37_79b9_7f4a_7c15) % 1000
        ),
        i,
    )
}

fn entry_for(serial: &str, i: u64) -> Entry {
    Entry::new(
        serial,
        UNIX_EPOCH + Duration::from_secs(1_780_000_000 + i),
        Actor::new(Role::Registrar, "clerk-07"),
        Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        },
    )
    .unwrap()
}

fn bench_appends(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("ledger/sqlite");
    group.sample_size(10);
    for (durability, name) in [
        (Durability::PowerLoss, "PowerLoss"),
        (Durability::ProcessCrash, "ProcessCrash"),
    ] {
        for batch in [1u64, 100, 1000] {
            bench_append(&mut group, dir.path(), durability, name, batch, entry);
        }
        for appenders in [16u64, 64] {
            bench_concurrent(&mut group, dir.path(), durability, name, appenders);
        }
    }
    bench_append(
        &mut group,
        dir.path(),
        Durability::PowerLoss,
        "PowerLoss, random serials",
        1000,
        random_entry,
    );
    group.finish();
}

fn bench_append(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    dir: &std::path::Path,
    durability: Durability,
    name: &str,
    batch: u64,
    make: fn(u64) -> Entry,
) {
    {
        let store =
            SqliteStore::open_with(dir.join(format!("append-{batch}-{name}.db")), durability)
                .unwrap();
        let ledger = Ledger::open(store, signer()).unwrap();
        let mut next = 0u64;
        group.throughput(Throughput::Elements(batch));
        group.bench_function(format!("durable ({name}) append, batch {batch}"), |b| {
            b.iter_batched(
                || {
                    let entries: Vec<Entry> = (next..next + batch).map(make).collect();
                    next += batch;
                    entries
                },
                |entries| ledger.append_batch(&entries).unwrap(),
                criterion::BatchSize::SmallInput,
            )
        });
    }
}

/// `appenders` threads each make single appends (`Ledger::append`); one element is one
/// append, returned only once durable.
fn bench_concurrent(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    dir: &std::path::Path,
    durability: Durability,
    name: &str,
    appenders: u64,
) {
    let store = SqliteStore::open_with(
        dir.join(format!("concurrent-{appenders}-{name}.db")),
        durability,
    )
    .unwrap();
    let ledger = Ledger::open(store, signer()).unwrap();
    let next = std::sync::atomic::AtomicU64::new(0);
    group.throughput(Throughput::Elements(1));
    group.bench_function(
        format!("durable ({name}) single appends, {appenders} concurrent appenders"),
        |b| {
            b.iter_custom(|iters| {
                let each = iters.div_ceil(appenders);
                let start = std::time::Instant::now();
                std::thread::scope(|scope| {
                    for _ in 0..appenders {
                        scope.spawn(|| {
                            for _ in 0..each {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                ledger.append(&entry(i)).unwrap();
                            }
                        });
                    }
                });
                // Scale to `iters` appends when `each * appenders` overshoots.
                start
                    .elapsed()
                    .mul_f64(iters as f64 / (each * appenders) as f64)
            })
        },
    );
}

fn bench_reads(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reads.db");
    let ledger = Ledger::open(SqliteStore::open(&path).unwrap(), signer()).unwrap();
    const SIZE: u64 = 100_000;
    for start in (0..SIZE).step_by(1000) {
        let entries: Vec<Entry> = (start..start + 1000).map(entry).collect();
        ledger.append_batch(&entries).unwrap();
    }
    // Fold the WAL into the database file, then measure the file alone.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let bytes = std::fs::metadata(&path).unwrap().len();
    println!(
        "storage: {bytes} bytes for {SIZE} entries, {} bytes per entry (entry DER {} bytes)",
        bytes / SIZE,
        entry(0).to_der().unwrap().len()
    );

    let mut group = c.benchmark_group("ledger/read");
    group.throughput(Throughput::Elements(1));
    let serial = "SH-2026-00012345";
    group.bench_function("history(serial) with proofs, 5 entries, 100k log", |b| {
        b.iter(|| ledger.history(black_box(serial)).unwrap())
    });

    let history = ledger.history(serial).unwrap();
    let checkpoint = history.checkpoint().clone();
    let proven = &history.entries()[2];
    let leaf = SM3.hash_leaf(proven.der());
    group.bench_function("check_inclusion, 100k log", |b| {
        b.iter(|| {
            check_inclusion(
                &SM3,
                black_box(proven.proof()),
                checkpoint.size(),
                proven.index(),
                checkpoint.root(),
                &leaf,
            )
            .unwrap()
        })
    });

    let bundle = history.to_bundle(&[]).unwrap();
    let verifier = ledger.verifier().clone();
    group.bench_function("verify evidence bundle, 5 entries", |b| {
        b.iter(|| EvidenceBundle::verify(black_box(bundle.to_der()), &verifier).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench_appends, bench_reads);
criterion_main!(benches);
