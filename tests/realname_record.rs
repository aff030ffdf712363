//! Verification records of `smtrust::realname` (DOMAIN.md §2.2, §2.3; GB/T 39786-2021
//! §8.4 e/g/h): building, the personal-data envelope and crypto-shredding, blind indexes,
//! SM2-signed DER (GB/T 32918.2 with the default ID), the JSON view, and every way bad
//! input is refused — bit flips of every byte, truncations, wrong keys, swapped certificates.
//! Randomised tests use fixed seeds.

use der::{Decode, Encode};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::realname::{
    CheckOptions, CheckResult, CompareLibrary, DataKey, DataKeyId, Date, Envelope, Error,
    EvidenceKind, EvidenceRef, FaceCheck, Factor, FactorSet, IdKind, Identifier, IndexKey,
    KeyProvider, LivenessMode, LivenessStatus, LocalKeyFile, MaskPolicy, MaskRule, PersonalData,
    PersonalDataVault, PersonalField, Role, Score, SignedRecord, SignerKey, SubjectKind, UnixTime,
    VerificationRecord, VerifyOptions, WrappedKey, check,
};
use smtrust::sm2::{DistId, SecretKey, SigningKey};

const T0: u64 = 1_764_115_200; // 2025-11-26T00:00:00Z

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn vector(relative: &str) -> Vec<u8> {
    let path = format!("{}/test-vectors/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The institution: the `leaf-good` key and certificate of test-vectors/interop/pki.
fn institution() -> (SigningKey, Vec<u8>) {
    let pem = String::from_utf8(vector("interop/pki/keys/leaf-good.key.pem")).unwrap();
    let key = SigningKey::new(SecretKey::from_pem(&pem).unwrap(), DistId::DEFAULT);
    (key, vector("interop/pki/std/leaf-good.der"))
}

fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    rng.next_u64() % n
}

fn digits(rng: &mut ChaCha20Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + u8::try_from(below(rng, 10)).unwrap()))
        .collect()
}

/// A random resident ID number with a correct GB 11643 check character.
fn random_resident_id(rng: &mut ChaCha20Rng) -> String {
    const REGIONS: [&str; 4] = ["110105", "310101", "440305", "510104"];
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let region = REGIONS[usize::try_from(below(rng, 4)).unwrap()];
    let body = format!(
        "{region}{}{:02}{:02}{}",
        1950 + below(rng, 55),
        1 + below(rng, 12),
        1 + below(rng, 28),
        digits(rng, 3)
    );
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[usize::try_from(sum % 11).unwrap()];
    format!("{body}{}", char::from(check))
}

fn random_mobile(rng: &mut ChaCha20Rng) -> String {
    format!("1{}{}", 3 + below(rng, 7), digits(rng, 9))
}

/// A random 16-digit card number with a correct Luhn check digit.
fn random_card(rng: &mut ChaCha20Rng) -> String {
    let payload = format!("62{}", digits(rng, 13));
    let sum: u32 = payload
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    format!("{payload}{}", (10 - sum % 10) % 10)
}

fn random_name(rng: &mut ChaCha20Rng) -> String {
    const CHARS: [char; 12] = [
        '张', '王', '李', '赵', '刘', '陈', '伟', '芳', '娜', '敏', '静', '强',
    ];
    let len = 2 + below(rng, 2);
    (0..len)
        .map(|_| CHARS[usize::try_from(below(rng, 12)).unwrap()])
        .collect()
}

fn identifier(value: &str, kind: IdKind) -> Identifier {
    let options = CheckOptions::new(Date::new(2026, 11, 26).unwrap());
    check(value, kind, &options)
        .identifier()
        .cloned()
        .unwrap_or_else(|| panic!("{value} is not a valid {kind}"))
}

/// The values of one random person.
struct Person {
    name: String,
    id: String,
    mobile: String,
    card: String,
    reserved: String,
}

impl Person {
    fn random(rng: &mut ChaCha20Rng) -> Self {
        Self {
            name: random_name(rng),
            id: random_resident_id(rng),
            mobile: random_mobile(rng),
            card: random_card(rng),
            reserved: random_mobile(rng),
        }
    }

    fn data(&self) -> PersonalData {
        let reserved = match identifier(&self.reserved, IdKind::Mobile) {
            Identifier::Mobile(m) => m,
            _ => unreachable!(),
        };
        PersonalData::new()
            .with_name(&self.name)
            .with_identifier(&identifier(&self.id, IdKind::ResidentId))
            .unwrap()
            .with_identifier(&identifier(&self.mobile, IdKind::Mobile))
            .unwrap()
            .with_identifier(&identifier(&self.card, IdKind::BankCard))
            .unwrap()
            .with_bank_reserved_phone(&reserved)
    }

    fn full_values(&self) -> [&str; 5] {
        [
            &self.name,
            &self.id,
            &self.mobile,
            &self.card,
            &self.reserved,
        ]
    }
}

fn vault() -> PersonalDataVault<LocalKeyFile> {
    PersonalDataVault::new(
        LocalKeyFile::from_kek_bytes("kek-a", [0x11; 16]).unwrap(),
        "kek-a",
    )
    .unwrap()
}

fn index_key() -> IndexKey {
    IndexKey::new("idx-1", [0x22; 32]).unwrap()
}

fn face_details(score: u32) -> FaceCheck {
    FaceCheck::new(
        Score::from_hundredths(score).unwrap(),
        Score::RECOMMENDED_THRESHOLD,
        LivenessMode::Silent,
        LivenessStatus::Passed,
        CompareLibrary::Authoritative,
    )
}

/// A face + liveness record for `person`, with evidence and protected personal data.
fn face_record(
    vault: &mut PersonalDataVault<LocalKeyFile>,
    person: &Person,
    record_id: &str,
    rng: &mut ChaCha20Rng,
) -> VerificationRecord {
    let protected = vault
        .protect(
            record_id,
            &person.data(),
            &MaskPolicy::STRICT,
            &index_key(),
            rng,
        )
        .unwrap();
    VerificationRecord::builder("SH-2026-000123", record_id, 2)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(
            FactorSet::FACE_LIVENESS,
            "Example Qualified Institution",
            "req-77",
        )
        .result(CheckResult::Match, "0", "认证通过")
        .times(UnixTime::from_secs(T0), UnixTime::from_secs(T0 + 2))
        .operator("registrar-17")
        .face(face_details(8753))
        .evidence(EvidenceRef::of(EvidenceKind::Portrait, b"portrait jpeg", "inst://p/1").unwrap())
        .evidence(
            EvidenceRef::of(
                EvidenceKind::ProviderResponse,
                b"{\"code\":0}",
                "inst://r/1",
            )
            .unwrap(),
        )
        .personal(protected)
        .build()
        .unwrap()
}

fn signed_face_record(
    seed: u64,
) -> (
    SignedRecord,
    VerificationRecord,
    PersonalDataVault<LocalKeyFile>,
) {
    let mut rng = rng(seed);
    let mut vault = vault();
    let person = Person::random(&mut rng);
    let record = face_record(&mut vault, &person, "R-0001", &mut rng);
    let (key, cert) = institution();
    let signed = record.clone().sign(&key, &cert, &mut rng).unwrap();
    (signed, record, vault)
}

// ---------------------------------------------------------------------------------------
// Records: fields of DOMAIN.md §2.2
// ---------------------------------------------------------------------------------------

/// DOMAIN.md §2.2: every field survives signing, DER and verification unchanged.
#[test]
fn record_fields_round_trip_through_signed_der() {
    let (signed, record, _) = signed_face_record(1);
    let verified = SignedRecord::from_der(signed.as_der())
        .unwrap()
        .verify(&VerifyOptions::new())
        .unwrap();
    let back = verified.record();
    assert_eq!(back.biz_serial_no(), "SH-2026-000123");
    assert_eq!(back.record_id(), "R-0001");
    assert_eq!(back.attempt_no(), 2);
    assert_eq!(back.subject_kind(), SubjectKind::NaturalPerson);
    assert_eq!(back.role(), Role::LegalRepresentative);
    assert_eq!(back.factors(), FactorSet::FACE_LIVENESS);
    assert_eq!(back.institution(), "Example Qualified Institution");
    assert_eq!(back.request_id(), "req-77");
    assert_eq!(back.result(), CheckResult::Match);
    assert_eq!((back.raw_code(), back.raw_message()), ("0", "认证通过"));
    assert_eq!(back.requested_at(), UnixTime::from_secs(T0));
    assert_eq!(back.responded_at(), UnixTime::from_secs(T0 + 2));
    assert_eq!(back.operator(), "registrar-17");
    assert_eq!(back.face(), Some(&face_details(8753)));
    assert_eq!(back.face().unwrap().score().to_string(), "87.53");
    assert_eq!(back.personal(), record.personal());
    assert_eq!(
        back.signer_certificate_sm3(),
        Some(&smtrust::sm3::hash(&institution().1))
    );
    assert_eq!(
        verified.signer_public_key(),
        institution().0.verifying_key().public_key()
    );
    assert_eq!(verified.certificate_der(), institution().1.as_slice());
}

/// GB/T 35273 §6.3: biometric evidence is kept apart from the rest.
#[test]
fn biometric_evidence_is_kept_apart() {
    let (_, record, _) = signed_face_record(2);
    assert_eq!(record.biometric_evidence().len(), 1);
    assert_eq!(
        record.biometric_evidence()[0].kind(),
        EvidenceKind::Portrait
    );
    assert_eq!(
        record.biometric_evidence()[0].digest(),
        &smtrust::sm3::hash(b"portrait jpeg")
    );
    assert_eq!(record.evidence().len(), 1);
    assert_eq!(record.evidence()[0].kind(), EvidenceKind::ProviderResponse);
}

/// DOMAIN.md §2.1: factor sets are explicit ("four-factor" differs by check).
#[test]
fn factor_sets_are_explicit() {
    assert!(FactorSet::BANK_CARD_4.contains(Factor::BankReservedPhone));
    assert!(!FactorSet::ID_VALIDITY.contains(Factor::BankCard));
    assert_eq!(
        FactorSet::BANK_CARD_4.check_name(),
        Some("bank-card 4-factor")
    );
    assert_eq!(FactorSet::ID_VALIDITY.check_name(), Some("ID + validity"));
    assert_eq!(
        serde_json::to_string(&FactorSet::PHONE_3).unwrap(),
        r#"["name","id_number","mobile"]"#
    );
}

fn minimal() -> smtrust::realname::RecordBuilder {
    VerificationRecord::builder("SH-1", "R-1", 1)
        .subject(SubjectKind::NaturalPerson, Role::Agent)
        .check(FactorSet::PHONE_3, "Inst", "req")
        .result(CheckResult::Match, "0", "")
        .times(UnixTime::from_secs(T0), UnixTime::from_secs(T0))
}

#[test]
fn builder_accepts_the_minimal_record() {
    assert_eq!(minimal().build().unwrap().result(), CheckResult::Match);
}

#[test]
fn builder_refuses_missing_parts() {
    let bare = VerificationRecord::builder("SH-1", "R-1", 1);
    assert_eq!(
        bare.clone().build(),
        Err(Error::Incomplete { field: "subject" })
    );
    let with_subject = bare.subject(SubjectKind::Entity, Role::Other);
    assert_eq!(
        with_subject.clone().build(),
        Err(Error::Incomplete { field: "check" })
    );
    let with_check = with_subject.check(FactorSet::CTID, "Inst", "");
    assert_eq!(
        with_check.clone().build(),
        Err(Error::Incomplete { field: "result" })
    );
    let with_result = with_check.result(CheckResult::Match, "", "");
    assert_eq!(
        with_result.build(),
        Err(Error::Incomplete { field: "times" })
    );
}

#[test]
fn builder_refuses_bad_fields() {
    assert_eq!(
        VerificationRecord::builder("", "R-1", 1)
            .subject(SubjectKind::NaturalPerson, Role::Agent)
            .check(FactorSet::PHONE_3, "Inst", "req")
            .result(CheckResult::Match, "0", "")
            .times(UnixTime::from_secs(T0), UnixTime::from_secs(T0))
            .build(),
        Err(Error::FieldLength {
            field: "bizSerialNo",
            len: 0,
            min: 1,
            max: 64
        })
    );
    assert_eq!(
        minimal()
            .result(CheckResult::Match, "0", &"x".repeat(513))
            .build(),
        Err(Error::FieldLength {
            field: "rawMessage",
            len: 513,
            min: 0,
            max: 512
        })
    );
    assert_eq!(
        minimal().check(FactorSet::EMPTY, "Inst", "").build(),
        Err(Error::EmptyFactorSet)
    );
    assert_eq!(
        minimal()
            .times(UnixTime::from_secs(T0 + 1), UnixTime::from_secs(T0))
            .build(),
        Err(Error::ResponseBeforeRequest {
            requested_at: T0 + 1,
            responded_at: T0
        })
    );
    assert_eq!(
        minimal()
            .times(
                UnixTime::from_secs(T0),
                UnixTime::from_secs(300_000_000_000)
            )
            .build(),
        Err(Error::TimeOutOfRange {
            seconds: 300_000_000_000
        })
    );
    // Face details exactly when the factors include the face check.
    assert_eq!(
        minimal().face(face_details(9000)).build(),
        Err(Error::FaceDetailsMismatch)
    );
    assert_eq!(
        minimal()
            .check(FactorSet::FACE_LIVENESS, "Inst", "")
            .build(),
        Err(Error::FaceDetailsMismatch)
    );
}

/// DOMAIN.md §2.1: similarity scores lie in [0, 100].
#[test]
fn scores_are_bounded() {
    assert_eq!(
        Score::from_hundredths(10_001),
        Err(Error::ScoreOutOfRange { hundredths: 10_001 })
    );
    assert_eq!(
        Score::points(101),
        Err(Error::ScoreOutOfRange { hundredths: 10_100 })
    );
    assert_eq!(Score::points(100).unwrap().hundredths(), 10_000);
    assert_eq!(Score::from_hundredths(0).unwrap().to_string(), "0.00");
}

#[test]
fn organisation_identifiers_are_not_personal_data() {
    let uscc = identifier("91350100M000100Y43", IdKind::SocialCreditCode);
    assert_eq!(
        PersonalData::new().with_identifier(&uscc).unwrap_err(),
        Error::NotPersonalData {
            kind: IdKind::SocialCreditCode
        }
    );
    let mut vault = vault();
    assert_eq!(
        vault
            .seal("R-1", &PersonalData::new(), &mut rng(3))
            .unwrap_err(),
        Error::EmptyPersonalData
    );
}

// ---------------------------------------------------------------------------------------
// Signatures (GB/T 32918.2, default ID) and certificates
// ---------------------------------------------------------------------------------------

/// A pinned key that is the certificate's key verifies; another key does not.
#[test]
fn pinned_key_must_be_the_certificates() {
    let (signed, _, _) = signed_face_record(4);
    let (key, _) = institution();
    let pinned = VerifyOptions::new().with_pinned_key(*key.verifying_key().public_key());
    assert_eq!(
        pinned.signer_key(),
        &SignerKey::Pinned(*key.verifying_key().public_key())
    );
    assert!(signed.verify(&pinned).is_ok());
    let other = SecretKey::generate(&mut rng(5)).unwrap().public_key();
    assert_eq!(
        signed
            .verify(&VerifyOptions::new().with_pinned_key(other))
            .unwrap_err(),
        Error::CertificateKeyMismatch { key: "pinned" }
    );
}

#[test]
fn signing_key_must_be_the_certificates() {
    let (_, record, _) = signed_face_record(6);
    let (_, cert) = institution();
    let stranger = SigningKey::new(SecretKey::generate(&mut rng(7)).unwrap(), DistId::DEFAULT);
    assert_eq!(
        record.sign(&stranger, &cert, &mut rng(8)).unwrap_err(),
        Error::CertificateKeyMismatch { key: "signing" }
    );
}

/// GM/T 0009: records are signed with the default ID 1234567812345678.
#[test]
fn signing_needs_the_default_id() {
    let (_, record, _) = signed_face_record(9);
    let (key, cert) = institution();
    let empty_id = SigningKey::new(
        SecretKey::from_bytes(&key.secret_key().to_bytes()[..]).unwrap(),
        DistId::EMPTY,
    );
    assert_eq!(
        record.sign(&empty_id, &cert, &mut rng(10)).unwrap_err(),
        Error::NonDefaultDistId
    );
}

#[test]
fn certificate_must_parse() {
    let (_, record, _) = signed_face_record(11);
    let (key, _) = institution();
    assert!(matches!(
        record
            .sign(&key, b"\x30\x03\x02\x01\x01", &mut rng(12))
            .unwrap_err(),
        Error::Certificate { .. }
    ));
}

/// A certificate with the same key but other content (test-vectors leaf-tampered.pem) is
/// caught by the certificate digest in the signed record.
#[test]
fn swapped_certificate_is_detected() {
    let (signed, _, _) = signed_face_record(13);
    let (_, cert) = institution();
    let pem = String::from_utf8(vector("interop/pki/std/leaf-tampered.pem")).unwrap();
    let (_, tampered) = der::Document::from_pem(&pem).unwrap();
    let tampered = tampered.as_bytes().to_vec();
    assert_ne!(tampered, cert);
    let der = signed.as_der();
    let at = der
        .windows(cert.len())
        .position(|w| w == cert.as_slice())
        .unwrap();
    assert_eq!(
        tampered.len(),
        cert.len(),
        "the tampered certificate keeps its length"
    );
    let swapped = [&der[..at], tampered.as_slice(), &der[at + cert.len()..]].concat();
    assert_eq!(
        SignedRecord::from_der(&swapped)
            .unwrap()
            .verify(&VerifyOptions::new())
            .unwrap_err(),
        Error::CertificateDigestMismatch
    );
}

/// Flipping any bit of any byte of a signed record makes it fail, never verify (STYLE 19).
#[test]
fn every_byte_flip_of_a_signed_record_fails() {
    let (signed, _, _) = signed_face_record(14);
    let der = signed.as_der().to_vec();
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for i in 0..der.len() {
        for bit in [0x01u8, 0x80] {
            let mut flipped = der.clone();
            flipped[i] ^= bit;
            let result =
                SignedRecord::from_der(&flipped).and_then(|s| s.verify(&VerifyOptions::new()));
            let err = result.expect_err(&format!("flip {bit:#x} at byte {i} verified"));
            let name = format!("{err:?}");
            let name = name.split([' ', '(', '{']).next().unwrap().to_owned();
            *kinds.entry(name).or_default() += 1;
        }
    }
    // The flips land in the record (bad signature), the structure (DER), the algorithm,
    // the signature encoding and the certificate.
    assert!(kinds.contains_key("BadSignature"), "{kinds:?}");
    assert!(kinds.contains_key("Der"), "{kinds:?}");
    assert!(
        kinds.contains_key("UnsupportedSignatureAlgorithm"),
        "{kinds:?}"
    );
}

/// Every truncation of a signed record is a DER error naming the structure.
#[test]
fn every_truncation_of_a_signed_record_is_a_der_error() {
    let (signed, _, _) = signed_face_record(15);
    let der = signed.as_der();
    for len in 0..der.len() {
        let err = SignedRecord::from_der(&der[..len]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Der {
                    structure: "SignedVerificationRecord",
                    ..
                }
            ),
            "length {len}: {err:?}"
        );
    }
    let Error::Der { error, .. } = SignedRecord::from_der(&der[..der.len() - 1]).unwrap_err()
    else {
        unreachable!()
    };
    assert!(
        matches!(error.kind(), der::ErrorKind::Incomplete { .. }),
        "{error:?}"
    );
    let mut trailing = der.to_vec();
    trailing.push(0);
    let Error::Der { error, .. } = SignedRecord::from_der(&trailing).unwrap_err() else {
        unreachable!()
    };
    assert!(
        matches!(error.kind(), der::ErrorKind::TrailingData { .. }),
        "{error:?}"
    );
}

/// GM/T 0006: only SM2-with-SM3 (1.2.156.10197.1.501) is accepted.
#[test]
fn other_signature_algorithm_is_named() {
    let (signed, _, _) = signed_face_record(16);
    let oid = [0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75];
    let der = signed.as_der();
    let at = der.windows(oid.len()).position(|w| w == oid).unwrap();
    let mut changed = der.to_vec();
    changed[at + oid.len() - 1] = 0x76;
    assert_eq!(
        SignedRecord::from_der(&changed).unwrap_err(),
        Error::UnsupportedSignatureAlgorithm {
            oid: "1.2.156.10197.1.502".to_owned()
        }
    );
}

/// The algorithm identifier must have absent parameters, as written; NULL ones are named.
#[test]
fn signature_algorithm_with_parameters_is_named() {
    let (signed, _, _) = signed_face_record(16);
    let algorithm = [
        0x30, 0x0a, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x75,
    ];
    let der = signed.as_der();
    let at = der
        .windows(algorithm.len())
        .position(|w| w == algorithm)
        .unwrap();
    let mut with_null = [
        &der[..at],
        &[0x30, 0x0c],
        &algorithm[2..],
        &[0x05, 0x00],
        &der[at + algorithm.len()..],
    ]
    .concat();
    assert_eq!(with_null[1], 0x82);
    let len = u16::try_from(with_null.len() - 4).unwrap().to_be_bytes();
    with_null[2..4].copy_from_slice(&len);
    assert_eq!(
        SignedRecord::from_der(&with_null).unwrap_err(),
        Error::UnsupportedSignatureAlgorithm {
            oid: "1.2.156.10197.1.501 with parameters".to_owned()
        }
    );
}

/// Re-signs a record whose DER was changed, so that decoding (not the signature) is tested.
fn resign_with(mutate: impl FnOnce(&mut Vec<u8>)) -> Error {
    resign_with_key(&institution().0, mutate)
}

/// Re-signs a record, changed by `mutate`, with `key`, keeping the attached certificate.
fn resign_with_key(key: &SigningKey, mutate: impl FnOnce(&mut Vec<u8>)) -> Error {
    let (signed, _, _) = signed_face_record(17);
    let cert = institution().1;
    let outer = Vec::<der::Any>::from_der(signed.as_der()).unwrap();
    let mut parts: Vec<Vec<u8>> = outer.iter().map(|any| any.to_der().unwrap()).collect();
    mutate(&mut parts[0]);
    let signature = key.sign(&mut rng(18), &parts[0]).unwrap();
    parts[2] = der::asn1::BitString::from_bytes(&signature.to_der())
        .unwrap()
        .to_der()
        .unwrap();
    let body = parts.concat();
    let mut out = der::Header::new(
        der::Tag::Sequence,
        der::Length::try_from(body.len()).unwrap(),
    )
    .to_der()
    .unwrap();
    out.extend(body);
    assert_eq!(parts[3], cert);
    SignedRecord::from_der(&out)
        .unwrap()
        .verify(&VerifyOptions::new())
        .unwrap_err()
}

/// GB/T 32918.2 §7.1: a record signed by another key than the certificate's does not
/// verify.
#[test]
fn record_signed_by_another_key_is_refused() {
    let stranger = SigningKey::new(SecretKey::generate(&mut rng(19)).unwrap(), DistId::DEFAULT);
    assert_eq!(resign_with_key(&stranger, |_| ()), Error::BadSignature);
}

/// A record signed with the empty ID (OpenSSL 3's default) instead of 1234567812345678 does
/// not verify.
#[test]
fn record_signed_with_the_empty_id_is_refused() {
    let (key, _) = institution();
    let empty_id = SigningKey::new(
        SecretKey::from_bytes(&key.secret_key().to_bytes()[..]).unwrap(),
        DistId::EMPTY,
    );
    assert_eq!(resign_with_key(&empty_id, |_| ()), Error::BadSignature);
}

#[test]
fn validly_signed_record_with_unknown_version_is_refused() {
    // The version is the first INTEGER: 30 82 LL LL 02 01 01.
    let err = resign_with(|record| {
        assert_eq!(&record[4..7], &[0x02, 0x01, 0x01]);
        record[6] = 2;
    });
    assert_eq!(
        err,
        Error::UnsupportedVersion {
            structure: "VerificationRecord",
            found: 2,
            supported: 1
        }
    );
}

#[test]
fn validly_signed_record_with_unknown_factor_bits_is_refused() {
    // FACE_LIVENESS is bits 0, 1 and 6, encoded 02 01 43 after the role; 0x0443 also sets
    // bit 10, which names no factor.
    let err = resign_with(|record| {
        let at = record
            .windows(3)
            .position(|w| w == [0x02, 0x01, 0x43])
            .unwrap();
        record.splice(at..at + 3, [0x02, 0x02, 0x04, 0x43]);
        fix_outer_length(record);
    });
    assert_eq!(err, Error::UnknownFactorBits { bits: 0x0443 });
}

#[test]
fn validly_signed_record_with_misplaced_biometric_evidence_is_refused() {
    // The provider-response reference (kind 3) is in the non-biometric list; calling it a
    // portrait (kind 0) puts biometric evidence beside the rest.
    let err = resign_with(|record| {
        let at = record
            .windows(3)
            .position(|w| w == [0x0a, 0x01, 0x03])
            .unwrap();
        record[at + 2] = 0x00;
    });
    assert_eq!(
        err,
        Error::MisplacedEvidence {
            kind: EvidenceKind::Portrait
        }
    );
}

/// Recomputes a two-byte-length SEQUENCE header after an edit of the body.
fn fix_outer_length(record: &mut [u8]) {
    assert_eq!(record[1], 0x82);
    let len = u16::try_from(record.len() - 4).unwrap().to_be_bytes();
    record[2] = len[0];
    record[3] = len[1];
}

// ---------------------------------------------------------------------------------------
// Envelope, key provider and crypto-shredding (GB/T 39786 §8.4 e)
// ---------------------------------------------------------------------------------------

#[test]
fn envelope_opens_to_the_full_values() {
    let mut rng = rng(20);
    let person = Person::random(&mut rng);
    let mut vault = vault();
    let record = face_record(&mut vault, &person, "R-9", &mut rng);
    let envelope = record.personal().unwrap().envelope();
    let data = vault.open("R-9", envelope).unwrap();
    for (field, value) in PersonalField::ALL.into_iter().zip(person.full_values()) {
        assert_eq!(data.field(field), Some(value), "{field}");
    }
    assert_eq!(
        Envelope::from_der(&envelope.to_der().unwrap()).unwrap(),
        *envelope
    );
}

/// The record id is the envelope's associated data: an envelope moved to another record
/// does not open.
#[test]
fn envelope_of_another_record_does_not_open() {
    let (_, record, vault) = signed_face_record(21);
    let envelope = record.personal().unwrap().envelope();
    assert_eq!(
        vault.open("R-0002", envelope).unwrap_err(),
        Error::EnvelopeOpenFailed {
            record_id: "R-0002".to_owned()
        }
    );
}

#[test]
fn every_byte_flip_of_an_envelope_fails() {
    let (_, record, vault) = signed_face_record(22);
    let der = record.personal().unwrap().envelope().to_der().unwrap();
    for i in 0..der.len() {
        let mut flipped = der.clone();
        flipped[i] ^= 0x01;
        let result = Envelope::from_der(&flipped).and_then(|e| vault.open("R-0001", &e));
        let err = result.expect_err(&format!("flip at byte {i} opened"));
        assert!(
            matches!(
                err,
                Error::Der {
                    structure: "Envelope",
                    ..
                } | Error::WrongLength { .. }
                    | Error::UnknownDataKey { .. }
                    | Error::EnvelopeOpenFailed { .. }
            ),
            "byte {i}: {err:?}"
        );
    }
}

#[test]
fn every_byte_flip_of_a_wrapped_key_fails() {
    let (_, record, mut vault) = signed_face_record(23);
    let envelope = record.personal().unwrap().envelope().clone();
    let id = *envelope.data_key_id();
    let wrapped = vault
        .wrapped_keys()
        .find(|(k, _)| **k == id)
        .unwrap()
        .1
        .to_der()
        .unwrap();
    vault.shred(&id).unwrap();
    for i in 0..wrapped.len() {
        let mut flipped = wrapped.clone();
        flipped[i] ^= 0x01;
        let err = match WrappedKey::from_der(&flipped) {
            Err(err) => err,
            Ok(key) => vault
                .provider()
                .unwrap(&key, id.as_bytes())
                .map(|_| ())
                .unwrap_err(),
        };
        assert!(
            matches!(
                err,
                Error::Der {
                    structure: "WrappedKey",
                    ..
                } | Error::KeyIdLength { .. }
                    | Error::UnknownKek { .. }
                    | Error::UnwrapFailed { .. }
            ),
            "byte {i}: {err:?}"
        );
    }
}

/// A wrapped key unwraps only with its KEK and its data-key id.
#[test]
fn wrong_kek_and_wrong_slot_do_not_unwrap() {
    let mut rng = rng(24);
    let right = LocalKeyFile::from_kek_bytes("kek-a", [0x11; 16]).unwrap();
    let wrong = LocalKeyFile::from_kek_bytes("kek-a", [0x12; 16]).unwrap();
    let other_name = LocalKeyFile::from_kek_bytes("kek-b", [0x11; 16]).unwrap();
    let key = DataKey::generate(&mut rng);
    let wrapped = right.wrap("kek-a", &key, b"slot", &mut rng).unwrap();
    assert_eq!(
        right
            .unwrap(&wrapped, b"slot")
            .unwrap()
            .as_bytes_less_safe(),
        key.as_bytes_less_safe()
    );
    assert_eq!(
        wrong.unwrap(&wrapped, b"slot").map(|_| ()).unwrap_err(),
        Error::UnwrapFailed {
            kek_id: "kek-a".to_owned()
        }
    );
    assert_eq!(
        right
            .unwrap(&wrapped, b"other slot")
            .map(|_| ())
            .unwrap_err(),
        Error::UnwrapFailed {
            kek_id: "kek-a".to_owned()
        }
    );
    assert_eq!(
        other_name
            .unwrap(&wrapped, b"slot")
            .map(|_| ())
            .unwrap_err(),
        Error::UnknownKek {
            kek_id: "kek-a".to_owned()
        }
    );
    assert_eq!(
        right.wrap("kek-b", &key, b"slot", &mut rng).unwrap_err(),
        Error::UnknownKek {
            kek_id: "kek-b".to_owned()
        }
    );
}

/// A vault whose provider holds another KEK under the same name cannot open the envelope.
#[test]
fn vault_with_wrong_kek_cannot_open() {
    let (_, record, vault) = signed_face_record(25);
    let envelope = record.personal().unwrap().envelope();
    let mut stranger = PersonalDataVault::new(
        LocalKeyFile::from_kek_bytes("kek-a", [0x99; 16]).unwrap(),
        "kek-a",
    )
    .unwrap();
    for (id, wrapped) in vault.wrapped_keys() {
        stranger.insert_wrapped_key(*id, wrapped.clone()).unwrap();
    }
    assert_eq!(
        stranger.open("R-0001", envelope).map(|_| ()).unwrap_err(),
        Error::UnwrapFailed {
            kek_id: "kek-a".to_owned()
        }
    );
}

/// Crypto-shredding: after the data key is destroyed the envelope cannot be opened, while
/// the signed record still verifies and shows its masked values.
#[test]
fn shredding_destroys_personal_data_but_not_the_record() {
    let (signed, record, mut vault) = signed_face_record(26);
    let envelope = record.personal().unwrap().envelope();
    let id = *envelope.data_key_id();
    assert!(vault.open("R-0001", envelope).is_ok());
    vault.shred(&id).unwrap();
    assert_eq!(
        vault.open("R-0001", envelope).map(|_| ()).unwrap_err(),
        Error::DataKeyShredded { id }
    );
    assert_eq!(vault.shred(&id).unwrap_err(), Error::DataKeyShredded { id });
    assert_eq!(vault.shredded_ids().collect::<Vec<_>>(), vec![&id]);
    let verified = signed.verify(&VerifyOptions::new()).unwrap();
    assert_eq!(verified.record().record_id(), "R-0001");
    assert!(
        verified
            .record()
            .personal()
            .unwrap()
            .masked()
            .field(PersonalField::IdNumber)
            .is_some()
    );
    // A stored wrapping cannot be loaded back over a shredded id.
    let fake = WrappedKey::new("kek-a", vec![0; 44]).unwrap();
    assert_eq!(
        vault.insert_wrapped_key(id, fake).unwrap_err(),
        Error::DataKeyShredded { id }
    );
}

#[test]
fn unknown_and_duplicate_data_keys() {
    let (_, record, mut vault) = signed_face_record(27);
    let envelope = record.personal().unwrap().envelope();
    let unknown = DataKeyId::from_bytes([0xee; 16]);
    assert_eq!(
        vault.shred(&unknown).unwrap_err(),
        Error::UnknownDataKey { id: unknown }
    );
    let id = *envelope.data_key_id();
    let wrapped = WrappedKey::new("kek-a", vec![0; 44]).unwrap();
    assert_eq!(
        vault.insert_wrapped_key(id, wrapped).unwrap_err(),
        Error::DuplicateDataKey { id }
    );
    let fresh = vault_empty_open(envelope);
    assert_eq!(fresh, Error::UnknownDataKey { id });
}

fn vault_empty_open(envelope: &Envelope) -> Error {
    vault().open("R-0001", envelope).map(|_| ()).unwrap_err()
}

#[test]
fn local_key_file_create_open_and_refuse() {
    let dir = std::env::temp_dir().join(format!("smtrust-records-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kek.hex");
    let _ = std::fs::remove_file(&path);
    let mut rng = rng(28);
    let created = LocalKeyFile::create("kek-file", &path, &mut rng).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.len(), 33);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let opened = LocalKeyFile::open("kek-file", &path).unwrap();
    let key = DataKey::generate(&mut rng);
    let wrapped = created.wrap("kek-file", &key, b"c", &mut rng).unwrap();
    assert_eq!(
        opened.unwrap(&wrapped, b"c").unwrap().as_bytes_less_safe(),
        key.as_bytes_less_safe()
    );
    // Never overwritten.
    assert!(matches!(
        LocalKeyFile::create("kek-file", &path, &mut rng).unwrap_err(),
        Error::KekFile { .. }
    ));
    std::fs::write(&path, "00112233").unwrap();
    assert_eq!(
        LocalKeyFile::open("kek-file", &path).unwrap_err(),
        Error::KekFile {
            path: path.display().to_string(),
            reason: "the file must hold exactly 32 hexadecimal digits".to_owned()
        }
    );
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        LocalKeyFile::open("kek-file", &path).unwrap_err(),
        Error::KekFile { .. }
    ));
    assert_eq!(
        LocalKeyFile::from_kek_bytes("", [0; 16]).unwrap_err(),
        Error::KeyIdLength { len: 0 }
    );
    assert_eq!(
        LocalKeyFile::from_kek_bytes(&"k".repeat(65), [0; 16]).unwrap_err(),
        Error::KeyIdLength { len: 65 }
    );
}

/// STYLE 15: the Debug text of every secret-holding type, pinned.
#[test]
fn secret_types_debug_shows_no_secret() {
    let mut rng = rng(29);
    assert_eq!(
        format!("{:?}", DataKey::generate(&mut rng)),
        "DataKey { .. }"
    );
    assert_eq!(
        format!("{:?}", index_key()),
        r#"IndexKey { id: "idx-1", .. }"#
    );
    assert_eq!(
        format!(
            "{:?}",
            LocalKeyFile::from_kek_bytes("kek-a", [1; 16]).unwrap()
        ),
        r#"LocalKeyFile { kek_id: "kek-a", .. }"#
    );
    let person = Person::random(&mut rng);
    let debug = format!("{:?}", person.data());
    for value in person.full_values() {
        assert!(!debug.contains(value), "{debug}");
    }
}

// ---------------------------------------------------------------------------------------
// Masking, blind indexes and the JSON view (DOMAIN.md §2.3), with random identifiers
// ---------------------------------------------------------------------------------------

/// Counts the characters a mask shows.
fn shown(masked: &str) -> usize {
    masked.chars().filter(|c| *c != '*').count()
}

#[test]
fn masked_values_never_reveal_more_than_their_rule() {
    let mut rng = rng(30);
    let policies = [
        MaskPolicy::STRICT,
        MaskPolicy::STRICT.with_resident_id(MaskRule::RESIDENT_ID_REGION_AND_TAIL),
    ];
    for round in 0..200 {
        let person = Person::random(&mut rng);
        let policy = policies[round % 2];
        let masked = person.data().masked(&policy);
        let rules = [
            MaskRule::NAME,
            policy.rule(smtrust::realname::MaskField::ResidentId),
            MaskRule::MOBILE,
            MaskRule::BANK_CARD,
            MaskRule::MOBILE,
        ];
        for ((field, value), rule) in PersonalField::ALL
            .into_iter()
            .zip(person.full_values())
            .zip(rules)
        {
            let m = masked.field(field).unwrap();
            assert_eq!(m, rule.apply(value), "{field}");
            assert!(
                shown(m) <= rule.keep_first() + rule.keep_last(),
                "{field}: {m}"
            );
            assert_eq!(m.chars().count(), value.chars().count());
            assert_ne!(m, value);
        }
    }
}

#[test]
fn json_view_of_random_records_has_no_full_identifier() {
    let mut rng = rng(31);
    let mut vault = vault();
    for round in 0..100 {
        let person = Person::random(&mut rng);
        let id = format!("R-{round}");
        let protected = vault
            .protect(
                &id,
                &person.data(),
                &MaskPolicy::STRICT,
                &index_key(),
                &mut rng,
            )
            .unwrap();
        // The provider echoes the ID number and the mobile in its message: masked too.
        let message = format!("证件号{}与手机{}不一致", person.id, person.mobile);
        let record = VerificationRecord::builder("SH-9", &id, 1)
            .subject(SubjectKind::NaturalPerson, Role::Shareholder)
            .check(FactorSet::BANK_CARD_4, "Inst", "req")
            .result(CheckResult::Mismatch, "2001", &message)
            .times(UnixTime::from_secs(T0), UnixTime::from_secs(T0 + 1))
            .personal(protected)
            .build()
            .unwrap();
        let json = record.to_json().unwrap();
        for value in person.full_values() {
            assert!(!json.contains(value), "{value} in {json}");
        }
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            parsed["subject"]["masked"]["id_number"],
            MaskRule::RESIDENT_ID_STRICT.apply(&person.id)
        );
        assert_eq!(parsed["check"], "bank-card 4-factor");
        assert_eq!(parsed["result"], "mismatch");
    }
}

#[test]
fn json_view_shows_face_and_evidence() {
    let (signed, _, _) = signed_face_record(32);
    let record = signed.verify(&VerifyOptions::new()).unwrap().into_record();
    let json: serde_json::Value = serde_json::from_str(&record.to_json().unwrap()).unwrap();
    assert_eq!(json["face"]["score"], 87.53);
    assert_eq!(json["face"]["threshold"], 70.0);
    assert_eq!(json["face"]["liveness_status"], "passed");
    assert_eq!(json["requested_at"], "2025-11-26T00:00:00Z");
    assert_eq!(json["biometric_evidence"][0]["kind"], "portrait");
    assert_eq!(
        json["biometric_evidence"][0]["digest"],
        hex::encode(smtrust::sm3::hash(b"portrait jpeg"))
    );
    assert_eq!(
        json["subject"]["blind_indexes"].as_array().unwrap().len(),
        4
    );
}

/// Blind indexes differ across index keys and match only their own value.
#[test]
fn blind_indexes_differ_across_keys() {
    let mut rng = rng(33);
    for _ in 0..200 {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut a);
        rng.fill_bytes(&mut b);
        let (ka, kb) = (
            IndexKey::new("a", a).unwrap(),
            IndexKey::new("b", b).unwrap(),
        );
        let value = random_resident_id(&mut rng);
        let ia = ka.index(PersonalField::IdNumber, &value);
        let ib = kb.index(PersonalField::IdNumber, &value);
        assert_ne!(ia.digest(), ib.digest());
        assert_eq!(
            ia,
            ka.index(PersonalField::IdNumber, &value),
            "deterministic"
        );
        assert_eq!(ia.digest(), &smtrust::sm3::hmac(&a, value.as_bytes()));
        assert!(ka.matches(&ia, &value));
        assert!(!kb.matches(&ia, &value), "another key");
        assert!(!ka.matches(&ia, &random_resident_id(&mut rng)) || value.is_empty());
    }
    assert_eq!(
        IndexKey::new("", [0; 32]).unwrap_err(),
        Error::KeyIdLength { len: 0 }
    );
}

/// Envelope fields of the wrong length are named with both lengths.
#[test]
fn envelope_fields_have_exact_lengths() {
    let octets = |bytes: &[u8]| {
        der::asn1::OctetString::new(bytes)
            .unwrap()
            .to_der()
            .unwrap()
    };
    let envelope = |id: &[u8], nonce: &[u8]| {
        let body = [octets(id), octets(nonce), octets(&[0; 20])].concat();
        let mut out = der::Header::new(
            der::Tag::Sequence,
            der::Length::try_from(body.len()).unwrap(),
        )
        .to_der()
        .unwrap();
        out.extend(body);
        out
    };
    assert!(Envelope::from_der(&envelope(&[0; 16], &[0; 12])).is_ok());
    assert_eq!(
        Envelope::from_der(&envelope(&[0; 15], &[0; 12])).unwrap_err(),
        Error::WrongLength {
            field: "envelope data key id",
            len: 15,
            expected: 16
        }
    );
    assert_eq!(
        Envelope::from_der(&envelope(&[0; 16], &[0; 16])).unwrap_err(),
        Error::WrongLength {
            field: "envelope nonce",
            len: 16,
            expected: 12
        }
    );
}

/// A vault persisted as its wrapped keys and shredded ids, and loaded into a new vault,
/// opens what it could open and still says "shredded" for what it shredded.
#[test]
fn vault_state_survives_persistence() {
    let mut rng = rng(34);
    let mut vault = vault();
    let person = Person::random(&mut rng);
    let kept = vault.seal("R-1", &person.data(), &mut rng).unwrap();
    let gone = vault.seal("R-2", &person.data(), &mut rng).unwrap();
    vault.shred(gone.data_key_id()).unwrap();

    let stored: Vec<(DataKeyId, Vec<u8>)> = vault
        .wrapped_keys()
        .map(|(id, key)| (*id, key.to_der().unwrap()))
        .collect();
    let shredded: Vec<DataKeyId> = vault.shredded_ids().copied().collect();

    let mut loaded = self::vault();
    for (id, der) in stored {
        loaded
            .insert_wrapped_key(id, WrappedKey::from_der(&der).unwrap())
            .unwrap();
    }
    for id in shredded {
        loaded.insert_shredded_id(id).unwrap();
    }
    let data = loaded.open("R-1", &kept).unwrap();
    assert_eq!(
        data.field(PersonalField::IdNumber),
        Some(person.id.as_str())
    );
    assert_eq!(
        loaded.open("R-2", &gone).map(|_| ()).unwrap_err(),
        Error::DataKeyShredded {
            id: *gone.data_key_id()
        }
    );
    assert_eq!(
        loaded.insert_shredded_id(*kept.data_key_id()).unwrap_err(),
        Error::DuplicateDataKey {
            id: *kept.data_key_id()
        }
    );
}

#[test]
fn unix_time_display_and_range() {
    assert_eq!(UnixTime::from_secs(0).to_string(), "1970-01-01T00:00:00Z");
    assert_eq!(
        UnixTime::from_secs(T0 + 3661).to_string(),
        "2025-11-26T01:01:01Z"
    );
    assert_eq!(
        UnixTime::from_secs(300_000_000_000).to_string(),
        "300000000000s"
    );
}

/// The issue's "when asked, the chain": the institution certificate (test-vectors/interop/pki
/// std hierarchy) is validated through `pki::verify_path`, and a failure names its cause.
#[test]
fn chain_of_the_institution_certificate_is_checked_when_asked() {
    use smtrust::pki::{self, Certificate, UnixTime};
    let (signed, _, _) = signed_face_record(40);
    let root = Certificate::from_der(&vector("interop/pki/std/root.der")).unwrap();
    let int = Certificate::from_der(&vector("interop/pki/std/int.der")).unwrap();
    // cases.json's verification time, 2030-06-01.
    let at = |secs| UnixTime::since_unix_epoch(std::time::Duration::from_secs(secs));
    let chain = |anchor: &Certificate, secs| {
        VerifyOptions::new().with_chain(
            vec![anchor.clone()],
            vec![int.clone()],
            pki::VerifyOptions::new(at(secs)),
        )
    };
    let verified = signed.verify(&chain(&root, 1_906_502_400)).unwrap();
    let path = verified.path().expect("a validated path");
    assert_eq!(path.certificates().len(), 3);
    assert!(
        signed
            .verify(&VerifyOptions::new())
            .unwrap()
            .path()
            .is_none()
    );

    // The std hierarchy's signatures use ID 1234567812345678; the empty ID must fail them.
    let empty_id = VerifyOptions::new().with_chain(
        vec![root.clone()],
        vec![int.clone()],
        pki::VerifyOptions::new(at(1_906_502_400)).sm2_id(DistId::EMPTY),
    );
    assert!(matches!(
        signed.verify(&empty_id),
        Err(Error::CertificateChain(pki::Error::BadSignature { .. }))
    ));
    // leaf-good is valid until 2035-01-01; in 2040 the chain check names the expiry.
    assert!(matches!(
        signed.verify(&chain(&root, 2_200_000_000)),
        Err(Error::CertificateChain(pki::Error::Expired {
            depth: 0,
            ..
        }))
    ));
}
