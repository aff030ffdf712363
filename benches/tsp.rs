//! RFC 3161 tokens: creation by the local SM2 TSA (tokens/s) and verification (parse + CMS
//! signature + ESS binding + imprint + path at genTime; tokens/s) of an SM2 token and of the
//! OpenSSL-made ECDSA P-256 fixture (test-vectors/standard/tsp).
//!
//! OpenSSL's figure for the same fixture, from a shell loop (process start-up included):
//!
//! ```sh
//! cd test-vectors/standard/tsp
//! time (for i in $(seq 200); do openssl ts -verify -data data.txt -in ecdsa-sha256.tst \
//!     -token_in -CAfile ecdsa-root.pem >/dev/null 2>&1; done)
//! ```
//!
//! Measured once on the shared 2-core machine (2026-11-26, load average 9–11 from other
//! builds, so absolute figures are inflated): create-sm2 ≈ 460 µs (≈ 2,200 tokens/s),
//! verify-sm2 ≈ 2.3–2.7 ms (≈ 400/s: two SM2 verifications, token and TSA certificate, plus
//! parsing), verify-openssl-ecdsa ≈ 675 µs (≈ 1,500/s). Peer in the same run: the pki bench's
//! `pki-cms-verify/gomain-ofd/parse+verify` (one SM2 verification) took 1.37 ms, against
//! ≈ 390 µs when that bench was first recorded on a quiet machine. The OpenSSL loop above:
//! 50 runs in 1.36 s ≈ 27 ms per token, almost all process start-up.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use smtrust::pki::{Certificate, CertificateBuilder, DigestAlgorithm, UnixTime};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::tsp::{self, LocalTsa, VerifyOptions};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/test-vectors/standard/tsp/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn tokens(c: &mut Criterion) {
    let at = UnixTime::since_unix_epoch(Duration::from_secs(1_900_000_000));
    let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("CN=Bench Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32]).unwrap(), DistId::DEFAULT);
    let tsa_cert = LocalTsa::certificate_builder("CN=Bench TSA", 2)
        .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1").unwrap();
    let data = [0x5a; 64];

    let mut group = c.benchmark_group("tsp");
    group.bench_function("create-sm2", |b| {
        b.iter(|| tsa.stamp(DigestAlgorithm::Sm3, &data, at).unwrap())
    });
    let token = tsa.stamp(DigestAlgorithm::Sm3, &data, at).unwrap();
    let options = VerifyOptions::new(vec![root]);
    group.bench_function("verify-sm2", |b| {
        b.iter(|| tsp::verify_token(token.der(), &data, &options).unwrap())
    });
    let ecdsa = fixture("ecdsa-sha256.tst");
    let ecdsa_root =
        Certificate::from_pem(&String::from_utf8(fixture("ecdsa-root.pem")).unwrap()).unwrap();
    let ecdsa_options = VerifyOptions::new(vec![ecdsa_root]);
    let ecdsa_data = fixture("data.txt");
    group.bench_function("verify-openssl-ecdsa", |b| {
        b.iter(|| tsp::verify_token(&ecdsa, &ecdsa_data, &ecdsa_options).unwrap())
    });
    group.finish();
}

criterion_group!(benches, tokens);
criterion_main!(benches);
