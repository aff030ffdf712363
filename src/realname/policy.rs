//! Which factor combinations make a subject verified, and the decision with its reasons.
//!
//! A [`Policy`] is a list of alternative [`Rule`]s; a rule is a list of requirements that must
//! all hold; each requirement is satisfied by any one of its [`Requirement`] options (a
//! record whose factors include the option's factors and whose result is a match — for a
//! face check, also liveness passed and a score at or above the option's minimum).
//!
//! Three principles (DOMAIN.md §2.1, §7):
//! * a provider error, bad input or unmapped code is never the person failing: a requirement
//!   fails only on definitive answers (mismatch, no record, liveness failed, score below the
//!   threshold) with no inconclusive attempt beside them, and otherwise stays open, which
//!   makes the decision [`Verdict::Indeterminate`] rather than [`Verdict::NotVerified`];
//! * an attempt older than the policy's window ([`Policy::max_age_secs`]) does not count;
//! * the decision names the rule that passed and what each record contributed.
//!
//! Policies are data (serde), so custom ones can be loaded from configuration.

use serde::{Deserialize, Serialize};

use super::{
    CheckResult, Contribution, Decision, Effect, Error, Factor, FactorSet, Failure, Inconclusive,
    LivenessStatus, NotCounted, RequirementOutcome, RuleOutcome, Score, Status, UnixTime, Verdict,
    VerificationRecord,
};

/// The default window in which an attempt counts: 24 hours.
pub const DEFAULT_MAX_AGE_SECS: u64 = 24 * 60 * 60;

/// One way to satisfy a requirement: a check with at least these factors that matched, and
/// for a face check a liveness pass and a score of at least `min_face_score`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// The factors the check must have compared.
    pub factors: FactorSet,
    /// The lowest face similarity score accepted, when the factors include the face check
    /// ([`Score::RECOMMENDED_THRESHOLD`], 70, when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_face_score: Option<Score>,
}

/// A named rule: every entry of `all_of` must be satisfied by one of its options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The rule's name, reported in decisions.
    pub name: String,
    /// The requirements; each is a list of alternatives.
    pub all_of: Vec<Vec<Requirement>>,
}

/// A verification policy: alternative rules and the window in which attempts count.
///
/// ```
/// use smtrust::realname::{Policy, Score};
///
/// let policy = Policy::shanghai_online(Score::RECOMMENDED_THRESHOLD);
/// assert_eq!(policy.rules()[0].name, "phone 3-factor or bank-card 4-factor, plus face with liveness");
/// let json = serde_json::to_string(&policy)?;
/// let back: Policy = serde_json::from_str(&json)?;
/// assert_eq!(back, policy);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    name: String,
    rules: Vec<Rule>,
    #[serde(default = "default_max_age")]
    max_age_secs: u64,
}

fn default_max_age() -> u64 {
    DEFAULT_MAX_AGE_SECS
}

impl Policy {
    /// A custom policy; it must have at least one rule, every rule at least one requirement
    /// and every requirement at least one option with at least one factor.
    pub fn new(name: &str, rules: Vec<Rule>) -> Result<Self, Error> {
        let policy = Self {
            name: name.to_owned(),
            rules,
            max_age_secs: DEFAULT_MAX_AGE_SECS,
        };
        policy.validate()?;
        Ok(policy)
    }

    /// The Shanghai online registration rule: (phone 3-factor **or** bank-card 4-factor)
    /// **and** face with liveness passed and a score of at least `face_threshold`.
    pub fn shanghai_online(face_threshold: Score) -> Self {
        Self {
            name: "Shanghai online registration".to_owned(),
            rules: vec![Rule {
                name: "phone 3-factor or bank-card 4-factor, plus face with liveness".to_owned(),
                all_of: vec![
                    vec![
                        Requirement {
                            factors: FactorSet::PHONE_3,
                            min_face_score: None,
                        },
                        Requirement {
                            factors: FactorSet::BANK_CARD_4,
                            min_face_score: None,
                        },
                    ],
                    vec![face(face_threshold)],
                ],
            }],
            max_age_secs: DEFAULT_MAX_AGE_SECS,
        }
    }

    /// The offline (counter) rule: the ID card checked (ID 2-factor) **and** face with
    /// liveness passed and a score of at least `face_threshold`.
    pub fn offline_counter(face_threshold: Score) -> Self {
        Self {
            name: "offline counter registration".to_owned(),
            rules: vec![Rule {
                name: "ID card plus face with liveness".to_owned(),
                all_of: vec![
                    vec![Requirement {
                        factors: FactorSet::ID_2,
                        min_face_score: None,
                    }],
                    vec![face(face_threshold)],
                ],
            }],
            max_age_secs: DEFAULT_MAX_AGE_SECS,
        }
    }

    /// This policy with attempts counting for `secs` seconds after their response.
    #[must_use]
    pub fn with_max_age_secs(mut self, secs: u64) -> Self {
        self.max_age_secs = secs;
        self
    }

    /// The policy's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The alternative rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How long, in seconds after its response, an attempt counts.
    pub fn max_age_secs(&self) -> u64 {
        self.max_age_secs
    }

    /// Decides whether the subject of `records` (all of one application and one subject) is
    /// verified at time `at`.
    pub fn decide(&self, records: &[&VerificationRecord], at: UnixTime) -> Result<Decision, Error> {
        self.validate()?;
        if let Some(first) = records.first()
            && let Some(other) = records
                .iter()
                .find(|r| r.biz_serial_no() != first.biz_serial_no())
        {
            return Err(Error::MixedSerials {
                expected: first.biz_serial_no().to_owned(),
                found: other.biz_serial_no().to_owned(),
            });
        }
        let rules: Vec<RuleOutcome> = self
            .rules
            .iter()
            .map(|rule| self.evaluate_rule(rule, records, at))
            .collect();
        let verdict = if let Some(passed) = rules.iter().find(|r| r.status == Status::Satisfied) {
            Verdict::Verified {
                rule: passed.rule.clone(),
            }
        } else if rules.iter().all(|r| r.status == Status::Failed) {
            Verdict::NotVerified
        } else {
            Verdict::Indeterminate
        };
        Ok(Decision {
            policy: self.name.clone(),
            verdict,
            rules,
        })
    }

    fn evaluate_rule(
        &self,
        rule: &Rule,
        records: &[&VerificationRecord],
        at: UnixTime,
    ) -> RuleOutcome {
        let requirements: Vec<RequirementOutcome> = rule
            .all_of
            .iter()
            .map(|options| self.evaluate_requirement(options, records, at))
            .collect();
        let status = if requirements.iter().all(|r| r.status == Status::Satisfied) {
            Status::Satisfied
        } else if requirements.iter().any(|r| r.status == Status::Failed) {
            Status::Failed
        } else {
            Status::Open
        };
        RuleOutcome {
            rule: rule.name.clone(),
            status,
            requirements,
        }
    }

    fn evaluate_requirement(
        &self,
        options: &[Requirement],
        records: &[&VerificationRecord],
        at: UnixTime,
    ) -> RequirementOutcome {
        let mut contributions = Vec::new();
        for record in records {
            for (option, requirement) in options.iter().enumerate() {
                if applies(requirement, record) {
                    contributions.push(Contribution {
                        record_id: record.record_id().to_owned(),
                        attempt_no: record.attempt_no(),
                        factors: record.factors(),
                        option,
                        effect: self.effect(requirement, record, at),
                    });
                }
            }
        }
        let any = |test: fn(&Effect) -> bool| contributions.iter().any(|c| test(&c.effect));
        let status = if any(|e| *e == Effect::Satisfies) {
            Status::Satisfied
        } else if any(|e| matches!(e, Effect::Fails(_)))
            && !any(|e| matches!(e, Effect::Inconclusive(_)))
        {
            Status::Failed
        } else {
            Status::Open
        };
        RequirementOutcome {
            options: options.to_vec(),
            status,
            contributions,
        }
    }

    /// What one record does for one option.
    fn effect(
        &self,
        requirement: &Requirement,
        record: &VerificationRecord,
        at: UnixTime,
    ) -> Effect {
        let responded = record.responded_at().as_secs();
        if responded > at.as_secs() {
            return Effect::NotCounted(NotCounted::AfterDecisionTime);
        }
        let age = at.as_secs() - responded;
        if age > self.max_age_secs {
            return Effect::NotCounted(NotCounted::Expired {
                age_secs: age,
                max_age_secs: self.max_age_secs,
            });
        }
        match record.result() {
            CheckResult::Match => {}
            CheckResult::Mismatch => return Effect::Fails(Failure::Mismatch),
            CheckResult::NoRecord => return Effect::Fails(Failure::NoRecord),
            other => return Effect::Inconclusive(Inconclusive::Result(other)),
        }
        if !requirement.factors.contains(Factor::FaceLiveness) {
            return Effect::Satisfies;
        }
        // Invariant: records are built and decoded with face details exactly when their
        // factors include the face check; the `else` branch only keeps this total.
        let Some(face) = record.face() else {
            return Effect::Inconclusive(Inconclusive::FaceDetailsMissing);
        };
        match face.liveness_status() {
            LivenessStatus::Passed => {}
            LivenessStatus::Failed => return Effect::Fails(Failure::LivenessFailed),
            _ => return Effect::Inconclusive(Inconclusive::LivenessNotJudged),
        }
        let threshold = requirement
            .min_face_score
            .unwrap_or(Score::RECOMMENDED_THRESHOLD);
        if face.score() < threshold {
            return Effect::Fails(Failure::ScoreBelowThreshold {
                score: face.score(),
                threshold,
            });
        }
        Effect::Satisfies
    }

    fn validate(&self) -> Result<(), Error> {
        let invalid = |reason| Error::InvalidPolicy {
            policy: self.name.clone(),
            reason,
        };
        if self.rules.is_empty() {
            return Err(invalid("it has no rule"));
        }
        for rule in &self.rules {
            if rule.all_of.is_empty() {
                return Err(invalid("a rule has no requirement"));
            }
            for options in &rule.all_of {
                if options.is_empty() {
                    return Err(invalid("a requirement has no option"));
                }
                if options.iter().any(|o| o.factors.is_empty()) {
                    return Err(invalid("an option names no factor"));
                }
            }
        }
        Ok(())
    }
}

/// Whether `record` is weighed against `requirement`: it checked at least the required
/// factors, and it is a face check exactly when the requirement is one (a face result is
/// about the face, so it never counts for document factors, nor a document check for a face).
fn applies(requirement: &Requirement, record: &VerificationRecord) -> bool {
    record.factors().includes(requirement.factors)
        && record.factors().contains(Factor::FaceLiveness)
            == requirement.factors.contains(Factor::FaceLiveness)
}

fn face(threshold: Score) -> Requirement {
    Requirement {
        factors: FactorSet::FACE_LIVENESS,
        min_face_score: Some(threshold),
    }
}
