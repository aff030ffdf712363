//! The simulated qualified institution: deterministic answers from the seeded generator,
//! each written as a verification record and signed with the institution's key.

use rand_chacha::ChaCha20Rng;
use rand_core::Rng;
use smtrust::realname::{
    CheckResult, CompareLibrary, FaceCheck, FactorSet, LivenessMode, LivenessStatus, Role, Score,
    SignedRecord, SubjectKind, UnixTime, VerificationRecord,
};

use crate::pki_setup::Party;

/// The institution's name in records.
pub const NAME: &str = "Demo Qualified Institution";

/// One simulated answer and a human-readable note about it.
pub struct Answer {
    pub record: SignedRecord,
    pub note: Option<String>,
}

fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    rng.next_u64() % n
}

/// The document check: phone 3-factor or bank-card 4-factor, mostly matching.
pub fn document_check(
    institution: &Party,
    serial: &str,
    at: u64,
    rng: &mut ChaCha20Rng,
) -> Result<Answer, Box<dyn std::error::Error>> {
    let (factors, label) = if below(rng, 2) == 0 {
        (FactorSet::PHONE_3, "phone 3-factor")
    } else {
        (FactorSet::BANK_CARD_4, "bank-card 4-factor")
    };
    let (result, code, note) = match below(rng, 100) {
        0..=8 => (
            CheckResult::Mismatch,
            "2001",
            Some(format!("{label} mismatch")),
        ),
        9..=16 => (
            CheckResult::ProviderError,
            "9001",
            Some(format!("{label}: provider error")),
        ),
        _ => (CheckResult::Match, "0", None),
    };
    let record = VerificationRecord::builder(serial, &format!("{serial}-doc"), 1)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(factors, NAME, &format!("req-{serial}-doc"))
        .result(result, code, "")
        .times(UnixTime::from_secs(at - 2), UnixTime::from_secs(at - 1))
        .build()?;
    let record = record.sign(&institution.key, institution.certificate.der(), rng)?;
    Ok(Answer { record, note })
}

/// The face + liveness check: mostly passing, some low scores, some provider errors.
pub fn face_check(
    institution: &Party,
    serial: &str,
    at: u64,
    rng: &mut ChaCha20Rng,
) -> Result<Answer, Box<dyn std::error::Error>> {
    let roll = below(rng, 100);
    let (result, code, score, liveness) = match roll {
        0..=7 => (
            CheckResult::Match,
            "0",
            4000 + below(rng, 2999),
            LivenessStatus::Passed,
        ),
        8..=13 => (CheckResult::ProviderError, "9002", 0, LivenessStatus::Error),
        _ => (
            CheckResult::Match,
            "0",
            7500 + below(rng, 2400),
            LivenessStatus::Passed,
        ),
    };
    let score = Score::from_hundredths(u32::try_from(score)?)?;
    let note = match roll {
        0..=7 => Some(format!(
            "face score {:.2} below {:.2}",
            f64::from(score.hundredths()) / 100.0,
            f64::from(Score::RECOMMENDED_THRESHOLD.hundredths()) / 100.0
        )),
        8..=13 => Some("face + liveness: provider error".to_owned()),
        _ => None,
    };
    let face = FaceCheck::new(
        score,
        Score::RECOMMENDED_THRESHOLD,
        LivenessMode::Silent,
        liveness,
        CompareLibrary::Authoritative,
    );
    let record = VerificationRecord::builder(serial, &format!("{serial}-face"), 2)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(
            FactorSet::FACE_LIVENESS,
            NAME,
            &format!("req-{serial}-face"),
        )
        .result(result, code, "")
        .times(UnixTime::from_secs(at - 1), UnixTime::from_secs(at))
        .face(face)
        .build()?;
    let record = record.sign(&institution.key, institution.certificate.der(), rng)?;
    Ok(Answer { record, note })
}
