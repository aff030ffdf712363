//! Seal-signature verification per second: parse + maker signature + signer signature + two
//! certificate chains (maker and signer, each to a root) + dataHash, on
//! - a GB/T 38540 v4 signature made with a test PKI (2 KB, no picture to speak of), and
//! - ofdrw's SignedValueV4.dat (17 KB with a PNG) against the ofdrw root (D16 legacy opt-in),
//!
//! beside the peers measured in the same run: parsing alone and one SM2 verification (the
//! floor: a full check does two SM2 verifications plus two certificate signatures).
//!
//! `cargo bench --bench seal -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use smtrust::pki::{Certificate, CertificateBuilder, UnixTime};
use smtrust::seal::{
    Picture, PictureFormat, SealBuilder, SealSignature, SignatureBuilder, Verdict, VerifyOptions,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

const DOCUMENT: &[u8] = b"<Signature>registration form</Signature>";

fn at(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}

fn key(byte: u8) -> SigningKey {
    SigningKey::new(SecretKey::from_bytes(&[byte; 32]).unwrap(), DistId::DEFAULT)
}

/// A made v4 seal signature and the options that check both chains to its root.
fn made() -> (Vec<u8>, VerifyOptions) {
    let root_key = key(1);
    let root = CertificateBuilder::ca("C=CN, CN=Bench Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let issue = |k: &SigningKey, subject: &str, serial| {
        CertificateBuilder::end_entity(subject, serial)
            .issue(k.verifying_key().public_key(), &root, &root_key)
            .unwrap()
    };
    let (maker_key, signer_key) = (key(2), key(3));
    let (maker, signer) = (
        issue(&maker_key, "CN=Maker", 2),
        issue(&signer_key, "CN=Signer", 3),
    );
    let picture = Picture::new(
        PictureFormat::Png,
        b"\x89PNG\r\n\x1a\nbench".to_vec(),
        40,
        40,
    );
    let seal = SealBuilder::new(
        "bench-1",
        "基准测试章",
        picture,
        at(1_800_000_000),
        at(1_900_000_000),
    )
    .signer(&signer)
    .make_v4(&maker_key, &maker)
    .unwrap();
    let signed = SignatureBuilder::new(&seal, at(1_850_000_000))
        .document(DOCUMENT)
        .sign(&signer_key, &signer)
        .unwrap();
    (
        signed.der().to_vec(),
        VerifyOptions::new().trust_anchors(vec![root]),
    )
}

fn verify_all(c: &mut Criterion) {
    let (der, options) = made();
    let check = SealSignature::from_der(&der)
        .unwrap()
        .verify(Some(DOCUMENT), &options);
    assert_eq!(check.verdict(), Verdict::Valid, "{check}");
    c.bench_function("seal-signature verify, made v4, two chains", |b| {
        b.iter(|| {
            let signature = SealSignature::from_der(black_box(&der)).unwrap();
            black_box(signature.verify(Some(DOCUMENT), &options))
        })
    });

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/seals/");
    let ofdrw = std::fs::read(format!("{dir}ofdrw_SignedValueV4.dat")).unwrap();
    let root = Certificate::from_pem(
        &std::fs::read_to_string(format!("{dir}derived_ROOT_cert.pem")).unwrap(),
    )
    .unwrap();
    let ofdrw_options = VerifyOptions::new()
        .trust_anchors(vec![root])
        .accept_root_without_key_cert_sign_for_legacy_use_only();
    c.bench_function("seal-signature verify, ofdrw v4 17 KB, two chains", |b| {
        b.iter(|| {
            let signature = SealSignature::from_der(black_box(&ofdrw)).unwrap();
            black_box(signature.verify(None, &ofdrw_options))
        })
    });

    c.bench_function("peer: seal-signature parse only, ofdrw v4", |b| {
        b.iter(|| black_box(SealSignature::from_der(black_box(&ofdrw)).unwrap()))
    });
    let signer = key(5);
    let signature = signer.sign_deterministic(DOCUMENT).unwrap();
    c.bench_function("peer: one SM2 verify", |b| {
        b.iter(|| {
            black_box(
                signer
                    .verifying_key()
                    .verify(black_box(DOCUMENT), &signature),
            )
        })
    });
}

criterion_group!(benches, verify_all);
criterion_main!(benches);
