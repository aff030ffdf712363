//! Verification records of `smtrust::realname`: records created (personal data protected:
//! masked, blind-indexed, sealed) and signed per second, signed records verified per second,
//! and envelopes opened per second.
//!
//! `cargo bench --bench realname`. The institution key and certificate are the `leaf-good`
//! test PKI of test-vectors/interop/pki.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use smtrust::realname::{
    CheckOptions, CheckResult, CompareLibrary, Date, FaceCheck, FactorSet, IdKind, IndexKey,
    LivenessMode, LivenessStatus, LocalKeyFile, MaskPolicy, PersonalData, PersonalDataVault, Role,
    Score, SignedRecord, SubjectKind, UnixTime, VerificationRecord, VerifyOptions, check,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

fn vector(relative: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/test-vectors/{relative}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn person() -> PersonalData {
    let options = CheckOptions::new(Date::new(2026, 11, 26).unwrap());
    let mut data = PersonalData::new().with_name("张三丰");
    for (value, kind) in [
        ("11010519491231002X", IdKind::ResidentId),
        ("13812345678", IdKind::Mobile),
        ("6212280200141664948", IdKind::BankCard),
    ] {
        let outcome = check(value, kind, &options);
        data = data.with_identifier(outcome.identifier().unwrap()).unwrap();
    }
    data
}

fn build_record(
    vault: &mut PersonalDataVault<LocalKeyFile>,
    index_key: &IndexKey,
    data: &PersonalData,
    id: &str,
    rng: &mut ChaCha20Rng,
) -> VerificationRecord {
    let protected = vault
        .protect(id, data, &MaskPolicy::STRICT, index_key, rng)
        .unwrap();
    VerificationRecord::builder("SH-2026-000123", id, 1)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(FactorSet::FACE_LIVENESS, "Example Institution", "req-1")
        .result(CheckResult::Match, "0", "认证通过")
        .times(
            UnixTime::from_secs(1_764_115_200),
            UnixTime::from_secs(1_764_115_202),
        )
        .face(FaceCheck::new(
            Score::from_hundredths(8753).unwrap(),
            Score::RECOMMENDED_THRESHOLD,
            LivenessMode::Silent,
            LivenessStatus::Passed,
            CompareLibrary::Authoritative,
        ))
        .personal(protected)
        .build()
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let pem = String::from_utf8(vector("interop/pki/keys/leaf-good.key.pem")).unwrap();
    let key = SigningKey::new(SecretKey::from_pem(&pem).unwrap(), DistId::DEFAULT);
    let cert = vector("interop/pki/std/leaf-good.der");
    let index_key = IndexKey::new("idx", [3; 32]).unwrap();
    let data = person();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut vault =
        PersonalDataVault::new(LocalKeyFile::from_kek_bytes("kek", [7; 16]).unwrap(), "kek")
            .unwrap();

    let mut group = c.benchmark_group("realname");
    group.throughput(Throughput::Elements(1));
    group.bench_function("record_create_and_sign", |b| {
        b.iter(|| {
            let record = build_record(&mut vault, &index_key, &data, "R-1", &mut rng);
            black_box(record.sign(&key, &cert, &mut rng).unwrap())
        })
    });

    let record = build_record(&mut vault, &index_key, &data, "R-2", &mut rng);
    let envelope = record.personal().unwrap().envelope().clone();
    let signed = record.sign(&key, &cert, &mut rng).unwrap();
    let der = signed.as_der().to_vec();
    group.bench_function("record_parse_and_verify", |b| {
        b.iter(|| {
            SignedRecord::from_der(black_box(&der))
                .unwrap()
                .verify(&VerifyOptions::new())
                .unwrap()
        })
    });
    group.bench_function("envelope_open", |b| {
        b.iter(|| vault.open("R-2", black_box(&envelope)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
