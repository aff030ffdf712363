//! Verification policies of `smtrust::realname` (DOMAIN.md §2.1, DESIGN.md "realname"):
//! the Shanghai online rule — (phone 3-factor or bank-card 4-factor) and face with liveness
//! and score ≥ threshold — and the offline counter rule (ID card + face), tested on every
//! combination of factor results against a plain reference; custom policies as data; the
//! principle that a provider or input error is never the person failing; expiry.

use smtrust::realname::{
    CheckResult, CompareLibrary, Effect, Error, FaceCheck, Factor, FactorSet, Failure,
    Inconclusive, LivenessMode, LivenessStatus, NotCounted, Policy, Requirement, Role, Rule, Score,
    Status, SubjectKind, UnixTime, Verdict, VerificationRecord,
};

const AT: u64 = 1_764_115_200;
const WINDOW: u64 = 3600;

/// One attempt's outcome in the tables.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Attempt {
    Absent,
    Result(CheckResult),
    /// A match whose response is older than the window.
    Expired,
    /// Face only: a match with this score (hundredths) and liveness status.
    Face(u32, LivenessStatus),
}

const RESULTS: [CheckResult; 6] = [
    CheckResult::Match,
    CheckResult::Mismatch,
    CheckResult::NoRecord,
    CheckResult::InvalidInput,
    CheckResult::ProviderError,
    CheckResult::Unknown,
];

fn document_attempts() -> Vec<Attempt> {
    let mut all = vec![Attempt::Absent, Attempt::Expired];
    all.extend(RESULTS.map(Attempt::Result));
    all
}

fn face_attempts() -> Vec<Attempt> {
    let mut all = document_attempts();
    all.extend([
        Attempt::Face(7000, LivenessStatus::Passed), // exactly the threshold
        Attempt::Face(6999, LivenessStatus::Passed),
        Attempt::Face(9500, LivenessStatus::Failed),
        Attempt::Face(9500, LivenessStatus::Error),
    ]);
    all
}

fn face(score: u32, liveness: LivenessStatus) -> FaceCheck {
    FaceCheck::new(
        Score::from_hundredths(score).unwrap(),
        Score::RECOMMENDED_THRESHOLD,
        LivenessMode::Action,
        liveness,
        CompareLibrary::Authoritative,
    )
}

fn record(id: &str, factors: FactorSet, attempt: Attempt) -> Option<VerificationRecord> {
    let (result, responded, details) = match attempt {
        Attempt::Absent => return None,
        Attempt::Result(result) => (result, AT - 10, face(9000, LivenessStatus::Passed)),
        Attempt::Expired => (
            CheckResult::Match,
            AT - WINDOW - 1,
            face(9000, LivenessStatus::Passed),
        ),
        Attempt::Face(score, liveness) => (CheckResult::Match, AT - 10, face(score, liveness)),
    };
    let mut builder = VerificationRecord::builder("SH-2026-1", id, 1)
        .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
        .check(factors, "Inst", id)
        .result(result, "raw", "")
        .times(
            UnixTime::from_secs(responded - 1),
            UnixTime::from_secs(responded),
        );
    if factors.contains(Factor::FaceLiveness) {
        builder = builder.face(details);
    }
    Some(builder.build().unwrap())
}

/// The reference's view of one attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seen {
    Nothing,
    Pass,
    Fail,
    Unsure,
}

fn seen(attempt: Attempt, threshold: u32) -> Seen {
    match attempt {
        Attempt::Absent | Attempt::Expired => Seen::Nothing,
        Attempt::Result(CheckResult::Match) => Seen::Pass,
        Attempt::Result(CheckResult::Mismatch | CheckResult::NoRecord) => Seen::Fail,
        Attempt::Result(_) => Seen::Unsure,
        Attempt::Face(_, LivenessStatus::Failed) => Seen::Fail,
        Attempt::Face(_, LivenessStatus::Error) => Seen::Unsure,
        Attempt::Face(score, _) if score >= threshold => Seen::Pass,
        Attempt::Face(..) => Seen::Fail,
    }
}

/// A requirement passes on any pass; fails on a definitive failure with nothing unsure
/// beside it; otherwise stays open.
fn group(seen: &[Seen]) -> Status {
    if seen.contains(&Seen::Pass) {
        Status::Satisfied
    } else if seen.contains(&Seen::Fail) && !seen.contains(&Seen::Unsure) {
        Status::Failed
    } else {
        Status::Open
    }
}

fn rule(groups: &[Status]) -> Status {
    if groups.iter().all(|g| *g == Status::Satisfied) {
        Status::Satisfied
    } else if groups.contains(&Status::Failed) {
        Status::Failed
    } else {
        Status::Open
    }
}

fn verdict(status: Status, rule_name: &str) -> Verdict {
    match status {
        Status::Satisfied => Verdict::Verified {
            rule: rule_name.to_owned(),
        },
        Status::Failed => Verdict::NotVerified,
        Status::Open => Verdict::Indeterminate,
    }
}

fn decide(policy: &Policy, records: &[VerificationRecord]) -> smtrust::realname::Decision {
    let refs: Vec<&VerificationRecord> = records.iter().collect();
    policy.decide(&refs, UnixTime::from_secs(AT)).unwrap()
}

/// Shanghai online rule, every combination: 8 phone × 8 bank-card × 12 face outcomes.
#[test]
fn shanghai_online_rule_every_combination() {
    let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD).with_max_age_secs(WINDOW);
    let name = "phone 3-factor or bank-card 4-factor, plus face with liveness";
    let mut counts = [0usize; 3];
    for phone in document_attempts() {
        for card in document_attempts() {
            for face in face_attempts() {
                let records: Vec<_> = [
                    record("phone", FactorSet::PHONE_3, phone),
                    record("card", FactorSet::BANK_CARD_4, card),
                    record("face", FactorSet::FACE_LIVENESS, face),
                ]
                .into_iter()
                .flatten()
                .collect();
                let decision = decide(&policy, &records);
                let documents = group(&[seen(phone, 7000), seen(card, 7000)]);
                let faces = group(&[seen(face, 7000)]);
                let expected = verdict(rule(&[documents, faces]), name);
                assert_eq!(
                    decision.verdict, expected,
                    "phone {phone:?}, card {card:?}, face {face:?}"
                );
                assert_eq!(decision.rules[0].requirements[0].status, documents);
                assert_eq!(decision.rules[0].requirements[1].status, faces);
                counts[match expected {
                    Verdict::Verified { .. } => 0,
                    Verdict::NotVerified => 1,
                    _ => 2,
                }] += 1;
            }
        }
    }
    assert_eq!(counts.iter().sum::<usize>(), 8 * 8 * 12);
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
}

/// Offline counter rule, every combination: 8 ID-card × 12 face outcomes.
#[test]
fn offline_counter_rule_every_combination() {
    let policy = Policy::offline_counter(Score::RECOMMENDED_THRESHOLD).with_max_age_secs(WINDOW);
    for id_card in document_attempts() {
        for face in face_attempts() {
            let records: Vec<_> = [
                record("id", FactorSet::ID_2, id_card),
                record("face", FactorSet::FACE_LIVENESS, face),
            ]
            .into_iter()
            .flatten()
            .collect();
            let decision = decide(&policy, &records);
            let expected = verdict(
                rule(&[group(&[seen(id_card, 7000)]), group(&[seen(face, 7000)])]),
                "ID card plus face with liveness",
            );
            assert_eq!(decision.verdict, expected, "id {id_card:?}, face {face:?}");
        }
    }
}

/// DOMAIN.md §2.1: a provider or input error is never reported as the person failing.
#[test]
fn errors_alone_never_make_not_verified() {
    let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD);
    for error in [
        CheckResult::InvalidInput,
        CheckResult::ProviderError,
        CheckResult::Unknown,
    ] {
        let records: Vec<_> = [
            record("phone", FactorSet::PHONE_3, Attempt::Result(error)),
            record("card", FactorSet::BANK_CARD_4, Attempt::Result(error)),
            record("face", FactorSet::FACE_LIVENESS, Attempt::Result(error)),
        ]
        .into_iter()
        .flatten()
        .collect();
        let decision = decide(&policy, &records);
        assert_eq!(decision.verdict, Verdict::Indeterminate, "{error:?}");
        for requirement in &decision.rules[0].requirements {
            for contribution in &requirement.contributions {
                assert_eq!(
                    contribution.effect,
                    Effect::Inconclusive(Inconclusive::Result(error))
                );
            }
        }
    }
}

/// A mismatch beside a provider error in the same requirement is not yet a failure: the
/// other alternative may still pass.
#[test]
fn mismatch_beside_an_error_stays_open() {
    let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD);
    let records: Vec<_> = [
        record(
            "phone",
            FactorSet::PHONE_3,
            Attempt::Result(CheckResult::Mismatch),
        ),
        record(
            "card",
            FactorSet::BANK_CARD_4,
            Attempt::Result(CheckResult::ProviderError),
        ),
        record(
            "face",
            FactorSet::FACE_LIVENESS,
            Attempt::Result(CheckResult::Match),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let decision = decide(&policy, &records);
    assert_eq!(decision.verdict, Verdict::Indeterminate);
    assert_eq!(decision.rules[0].requirements[0].status, Status::Open);
}

/// The decision names the rule and what each record contributed.
#[test]
fn decision_names_rule_and_contributions() {
    let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD);
    let records: Vec<_> = [
        record(
            "phone",
            FactorSet::PHONE_3,
            Attempt::Result(CheckResult::Mismatch),
        ),
        record(
            "card",
            FactorSet::BANK_CARD_4,
            Attempt::Result(CheckResult::Match),
        ),
        record(
            "face-1",
            FactorSet::FACE_LIVENESS,
            Attempt::Face(6500, LivenessStatus::Passed),
        ),
        record(
            "face-2",
            FactorSet::FACE_LIVENESS,
            Attempt::Face(8800, LivenessStatus::Passed),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let decision = decide(&policy, &records);
    assert_eq!(decision.policy, "Shanghai online registration");
    assert_eq!(
        decision.verdict,
        Verdict::Verified {
            rule: "phone 3-factor or bank-card 4-factor, plus face with liveness".to_owned()
        }
    );
    let documents = &decision.rules[0].requirements[0].contributions;
    let effects: Vec<_> = documents
        .iter()
        .map(|c| (c.record_id.as_str(), c.option, c.effect.clone()))
        .collect();
    assert_eq!(
        effects,
        vec![
            ("phone", 0, Effect::Fails(Failure::Mismatch)),
            ("card", 1, Effect::Satisfies)
        ]
    );
    let faces = &decision.rules[0].requirements[1].contributions;
    assert_eq!(
        faces[0].effect,
        Effect::Fails(Failure::ScoreBelowThreshold {
            score: Score::from_hundredths(6500).unwrap(),
            threshold: Score::RECOMMENDED_THRESHOLD
        })
    );
    assert_eq!(faces[1].effect, Effect::Satisfies);
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["verdict"]["verdict"], "verified");
}

/// A face match whose liveness could not be judged is inconclusive, not a failure.
#[test]
fn liveness_not_judged_is_inconclusive() {
    let policy = Policy::offline_counter(Score::RECOMMENDED_THRESHOLD);
    let records: Vec<_> = [
        record("id", FactorSet::ID_2, Attempt::Result(CheckResult::Match)),
        record(
            "face",
            FactorSet::FACE_LIVENESS,
            Attempt::Face(9500, LivenessStatus::Error),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let decision = decide(&policy, &records);
    assert_eq!(decision.verdict, Verdict::Indeterminate);
    assert_eq!(
        decision.rules[0].requirements[1].contributions[0].effect,
        Effect::Inconclusive(Inconclusive::LivenessNotJudged)
    );
}

/// A face record never counts for a document requirement, nor a document check for a face.
#[test]
fn face_and_document_checks_do_not_stand_in_for_each_other() {
    let policy = Policy::offline_counter(Score::RECOMMENDED_THRESHOLD);
    let only_face: Vec<_> = record(
        "face",
        FactorSet::FACE_LIVENESS,
        Attempt::Result(CheckResult::Match),
    )
    .into_iter()
    .collect();
    let decision = decide(&policy, &only_face);
    assert_eq!(decision.verdict, Verdict::Indeterminate);
    assert!(decision.rules[0].requirements[0].contributions.is_empty());
}

/// Attempts older than the window do not count; the window is configurable.
#[test]
fn expired_attempts_do_not_count() {
    let records: Vec<_> = [
        record("phone", FactorSet::PHONE_3, Attempt::Expired),
        record(
            "face",
            FactorSet::FACE_LIVENESS,
            Attempt::Result(CheckResult::Match),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let short = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD).with_max_age_secs(WINDOW);
    let decision = decide(&short, &records);
    assert_eq!(decision.verdict, Verdict::Indeterminate);
    assert_eq!(
        decision.rules[0].requirements[0].contributions[0].effect,
        Effect::NotCounted(NotCounted::Expired {
            age_secs: WINDOW + 1,
            max_age_secs: WINDOW
        })
    );
    let long = short.with_max_age_secs(WINDOW + 1);
    assert!(matches!(
        decide(&long, &records).verdict,
        Verdict::Verified { .. }
    ));
}

#[test]
fn attempts_after_the_decision_time_do_not_count() {
    let policy = Policy::offline_counter(Score::RECOMMENDED_THRESHOLD);
    let late = record("id", FactorSet::ID_2, Attempt::Result(CheckResult::Match)).unwrap();
    let decision = policy
        .decide(&[&late], UnixTime::from_secs(AT - 11))
        .unwrap();
    assert_eq!(
        decision.rules[0].requirements[0].contributions[0].effect,
        Effect::NotCounted(NotCounted::AfterDecisionTime)
    );
}

/// The threshold of the built-in rules is a parameter: 80 (1 in 10,000) is stricter.
#[test]
fn stricter_threshold_is_applied() {
    let policy = Policy::offline_counter(Score::STRICT_THRESHOLD);
    let records: Vec<_> = [
        record("id", FactorSet::ID_2, Attempt::Result(CheckResult::Match)),
        record(
            "face",
            FactorSet::FACE_LIVENESS,
            Attempt::Face(7999, LivenessStatus::Passed),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(decide(&policy, &records).verdict, Verdict::NotVerified);
}

#[test]
fn records_of_different_applications_are_refused() {
    let policy = Policy::offline_counter(Score::RECOMMENDED_THRESHOLD);
    let a = record("id", FactorSet::ID_2, Attempt::Result(CheckResult::Match)).unwrap();
    let b = VerificationRecord::builder("SH-OTHER", "x", 1)
        .subject(SubjectKind::NaturalPerson, Role::Agent)
        .check(FactorSet::ID_2, "Inst", "")
        .result(CheckResult::Match, "", "")
        .times(UnixTime::from_secs(AT - 5), UnixTime::from_secs(AT - 5))
        .build()
        .unwrap();
    assert_eq!(
        policy
            .decide(&[&a, &b], UnixTime::from_secs(AT))
            .unwrap_err(),
        Error::MixedSerials {
            expected: "SH-2026-1".to_owned(),
            found: "SH-OTHER".to_owned()
        }
    );
}

/// Custom policies are data: a JSON policy accepting a CTID credential or an e-licence.
#[test]
fn custom_policy_from_json() {
    let json = r#"{
        "name": "entity",
        "rules": [
            {"name": "e-licence", "all_of": [[{"factors": ["e_business_licence"]}]]},
            {"name": "CTID and face", "all_of": [[{"factors": ["ctid"]}],
                [{"factors": ["name", "id_number", "face_liveness"], "min_face_score": 75.5}]]}
        ],
        "max_age_secs": 600
    }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    assert_eq!(policy.max_age_secs(), 600);
    assert_eq!(
        policy.rules()[1].all_of[1][0],
        Requirement {
            factors: FactorSet::FACE_LIVENESS,
            min_face_score: Some(Score::from_hundredths(7550).unwrap())
        }
    );
    let licence = record(
        "lic",
        FactorSet::E_BUSINESS_LICENCE,
        Attempt::Result(CheckResult::Match),
    );
    let decision = decide(&policy, &licence.into_iter().collect::<Vec<_>>());
    assert_eq!(
        decision.verdict,
        Verdict::Verified {
            rule: "e-licence".to_owned()
        }
    );
    let ctid = record("ctid", FactorSet::CTID, Attempt::Result(CheckResult::Match));
    let weak_face = record(
        "face",
        FactorSet::FACE_LIVENESS,
        Attempt::Face(7500, LivenessStatus::Passed),
    );
    let decision = decide(
        &policy,
        &[ctid, weak_face].into_iter().flatten().collect::<Vec<_>>(),
    );
    // The e-licence rule is open (nothing presented); the CTID rule failed on the score.
    assert_eq!(decision.verdict, Verdict::Indeterminate);
    assert_eq!(decision.rules[1].status, Status::Failed);
}

#[test]
fn unusable_policies_are_refused() {
    assert_eq!(
        Policy::new("empty", vec![]).unwrap_err(),
        Error::InvalidPolicy {
            policy: "empty".to_owned(),
            reason: "it has no rule"
        }
    );
    let no_requirement = Rule {
        name: "r".to_owned(),
        all_of: vec![],
    };
    assert_eq!(
        Policy::new("p", vec![no_requirement]).unwrap_err(),
        Error::InvalidPolicy {
            policy: "p".to_owned(),
            reason: "a rule has no requirement"
        }
    );
    let no_option = Rule {
        name: "r".to_owned(),
        all_of: vec![vec![]],
    };
    assert_eq!(
        Policy::new("p", vec![no_option]).unwrap_err(),
        Error::InvalidPolicy {
            policy: "p".to_owned(),
            reason: "a requirement has no option"
        }
    );
    let no_factor = Rule {
        name: "r".to_owned(),
        all_of: vec![vec![Requirement {
            factors: FactorSet::EMPTY,
            min_face_score: None,
        }]],
    };
    assert_eq!(
        Policy::new("p", vec![no_factor]).unwrap_err(),
        Error::InvalidPolicy {
            policy: "p".to_owned(),
            reason: "an option names no factor"
        }
    );
    let loaded: Policy = serde_json::from_str(r#"{"name": "x", "rules": []}"#).unwrap();
    assert_eq!(
        loaded.decide(&[], UnixTime::from_secs(AT)).unwrap_err(),
        Error::InvalidPolicy {
            policy: "x".to_owned(),
            reason: "it has no rule"
        }
    );
    assert!(serde_json::from_str::<Policy>(
        r#"{"name": "x", "rules": [{"name": "r", "all_of": [[{"factors": ["ctid"], "min_face_score": 101}]]}]}"#
    )
    .is_err());
}
