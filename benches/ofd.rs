//! OFD verification of `ofdrw_signedFile.ofd` (a real gomain e-invoice: 16 entries, 38 KB
//! uncompressed, one v4 seal signature, 13 references), packages per second.
//!
//! Beside it, in the same run, the parts it is made of: reading the zip into memory
//! (`open`), and the seal signature alone (`seal-signature-only`: parse + verify the
//! SignedValue against its Signature.xml, the same checks without the package), so the cost
//! of the OFD layer (unzip, XML, 13 SM3 digests) shows as the difference.
//!
//! ```sh
//! cargo bench --bench ofd -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! Measured once on the shared 2-core development machine (2026-11-26, other builds running,
//! all three in the same run): `open+verify` ≈ 3.5 ms per package (≈ 285 packages/s), of
//! which `open` ≈ 0.48 ms and `seal-signature-only` ≈ 2.4 ms; the rest (XML, 13 SM3 digests
//! over 38 KB) ≈ 0.6 ms. No other OFD verifier runs on this machine to compare with (ofdrw is
//! Java); the seal-signature line is the peer measured beside it.

use criterion::{Criterion, criterion_group, criterion_main};
use smtrust::ofd::{Package, VerifyOptions};

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/test-vectors/seals/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn ofd(c: &mut Criterion) {
    let bytes = read("ofdrw_signedFile.ofd");
    let signed_value = read("x_signedFile_SignedValue.dat");
    let xml = read("x_signedFile_Signature.xml");
    let options = VerifyOptions::new();
    let mut group = c.benchmark_group("ofd-signedFile");
    group.bench_function("open", |b| {
        b.iter(|| Package::from_bytes(&bytes).unwrap());
    });
    group.bench_function("open+verify", |b| {
        b.iter(|| {
            let report = Package::from_bytes(&bytes)
                .unwrap()
                .verify(&options)
                .unwrap();
            assert_eq!(report.signatures().len(), 1);
            report
        });
    });
    group.bench_function("seal-signature-only", |b| {
        let seal_options = smtrust::seal::VerifyOptions::new();
        b.iter(|| smtrust::seal::verify_der(&signed_value, Some(&xml), &seal_options));
    });
    group.finish();
}

criterion_group!(benches, ofd);
criterion_main!(benches);
