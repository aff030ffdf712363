//! Path validation of a 3-certificate SM2 chain (leaf → intermediate → root, the interop
//! hierarchy), verifications per second.
//!
//! OpenSSL's figure is measured the same way beside it, per chain, from a shell loop over the
//! emptyid chain (OpenSSL 3.0 can only check the whole std chain through libcrypto, README
//! quirk 3):
//!
//! ```sh
//! cd test-vectors/interop/pki
//! time (for i in $(seq 200); do openssl verify -attime 1906502400 -CAfile emptyid/root.pem \
//!     -untrusted emptyid/int.pem emptyid/leaf-good.pem >/dev/null; done)
//! ```
//!
//! That loop includes process start-up and file reading for every chain; the `parse+verify`
//! bench here includes parsing the three PEM files, for the closest comparison.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use smtrust::pki::{Certificate, RequiredUsage, UnixTime, VerifyOptions, verify_path};
use smtrust::sm2::DistId;

fn read(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/test-vectors/interop/pki/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn chain(c: &mut Criterion) {
    let at = UnixTime::since_unix_epoch(Duration::from_secs(1_906_502_400));
    let mut group = c.benchmark_group("pki-chain-3-sm2");
    for (flavour, id) in [("std", DistId::DEFAULT), ("emptyid", DistId::EMPTY)] {
        let pems = [
            read(&format!("{flavour}/leaf-good.pem")),
            read(&format!("{flavour}/int.pem")),
            read(&format!("{flavour}/root.pem")),
        ];
        let [leaf, int, root] = pems.clone().map(|pem| Certificate::from_pem(&pem).unwrap());
        let options = VerifyOptions::new(at)
            .sm2_id(id)
            .require(RequiredUsage::SIGNING);
        let intermediates = [int];
        let anchors = [root];
        group.bench_function(format!("{flavour}/verify"), |b| {
            b.iter(|| verify_path(&leaf, &intermediates, &anchors, &options).unwrap())
        });
        group.bench_function(format!("{flavour}/parse+verify"), |b| {
            b.iter(|| {
                let [leaf, int, root] = pems
                    .each_ref()
                    .map(|pem| Certificate::from_pem(pem).unwrap());
                verify_path(&leaf, &[int], &[root], &options).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, chain);
criterion_main!(benches);
