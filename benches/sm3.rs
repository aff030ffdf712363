//! SM3 and HMAC-SM3 throughput at 64 B and 8 KiB, beside the RustCrypto `sm3` crate.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sm3::Digest;

const SIZES: [(&str, usize); 2] = [("64", 64), ("8k", 8192)];

fn sm3_throughput(c: &mut Criterion) {
    for (name, size) in SIZES {
        let data = vec![0xa5u8; size];
        let mut group = c.benchmark_group(format!("sm3-{name}"));
        group.throughput(Throughput::Bytes(u64::try_from(size).unwrap()));
        group.bench_function("smtrust", |b| b.iter(|| smtrust::sm3::hash(&data)));
        group.bench_function("rustcrypto", |b| b.iter(|| sm3::Sm3::digest(&data)));
        group.bench_function("smtrust-hmac", |b| {
            b.iter(|| smtrust::sm3::hmac(b"0123456789abcdef", &data))
        });
        group.finish();
    }
}

criterion_group!(benches, sm3_throughput);
criterion_main!(benches);
