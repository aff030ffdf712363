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
//!
//! CMS SignedData verification (`pki-cms-verify`), per SignedData: parse + verify of a real
//! gomain OFD e-signature (detached, signed attributes, default ID) and of one we make with
//! PKCS#7 OIDs and the empty ID. The bench writes the latter to
//! `target/tmp/pki-cms-bench/ours.der` (content `msg`) so that OpenSSL can be timed on the same
//! input the same way (process start-up included, as above):
//!
//! ```sh
//! cd target/tmp/pki-cms-bench
//! time (for i in $(seq 200); do openssl cms -verify -binary -noverify -inform DER \
//!     -in ours.der -content msg -out /dev/null 2>/dev/null; done)
//! ```
//!
//! Measured once on the shared 2-core development machine (2026-11-26): ours ≈ 390–400 µs per
//! parse + verify (≈ 2,500/s, both inputs); the OpenSSL 3.0.19 loop 8.1 s / 200 ≈ 40 ms per
//! SignedData (≈ 25/s, almost all process start-up); `openssl speed sm2` alone verifies
//! ≈ 2,400 SM2 signatures/s.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use smtrust::pki::{
    Certificate, CertificateBuilder, CmsOids, CmsSigner, CmsVerifyOptions, Encapsulation,
    RequiredUsage, SignedData, UnixTime, VerifyOptions, verify_path,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

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

/// One entry of an OFD package.
fn ofd_entry(ofd: &str, entry: &str) -> Vec<u8> {
    use std::io::Read;
    let path = format!("{}/test-vectors/seals/{ofd}", env!("CARGO_MANIFEST_DIR"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name(entry).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

fn cms(c: &mut Criterion) {
    let mut group = c.benchmark_group("pki-cms-verify");
    let ofd = "ofdrw_conv_testImageNotFound.ofd";
    let real = ofd_entry(ofd, "Doc_0/Signs/Sign_0/SignedValue.dat");
    let xml = ofd_entry(ofd, "Doc_0/Signs/Sign_0/Signature.xml");
    let default_id = CmsVerifyOptions::new();
    group.bench_function("gomain-ofd/parse+verify", |b| {
        b.iter(|| {
            SignedData::from_der(&real)
                .unwrap()
                .verify(Some(&xml), &default_id)
                .unwrap()
        })
    });

    let key = SigningKey::new(SecretKey::from_bytes(&[0x33; 32]).unwrap(), DistId::EMPTY);
    let cert = CertificateBuilder::end_entity("C=CN, CN=Bench", 1)
        .self_signed(&key)
        .unwrap();
    let content = b"registration form 2026-0003\n";
    let at = UnixTime::since_unix_epoch(Duration::from_secs(1_795_651_200));
    let ours = CmsSigner::new(&key, &cert, CmsOids::Pkcs7)
        .encapsulation(Encapsulation::Detached)
        .sign(content, at)
        .unwrap();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pki-cms-bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ours.der"), ours.der()).unwrap();
    std::fs::write(dir.join("msg"), content).unwrap();
    let empty_id = CmsVerifyOptions::new().sm2_id(DistId::EMPTY);
    group.bench_function("ours-pkcs7-empty-id/parse+verify", |b| {
        b.iter(|| {
            SignedData::from_der(ours.der())
                .unwrap()
                .verify(Some(content), &empty_id)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, chain, cms);
criterion_main!(benches);
