//! The outcome of a [`Policy`](super::Policy) decision: the verdict, the rule that passed,
//! and what each record contributed to each requirement.

use serde::Serialize;

use super::{CheckResult, FactorSet, Requirement, Score};

/// The outcome of a policy decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The policy's name.
    pub policy: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Every rule's outcome, in the policy's order.
    pub rules: Vec<RuleOutcome>,
}

/// Whether the subject is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Verdict {
    /// A rule is satisfied; it is named.
    Verified {
        /// The first satisfied rule.
        rule: String,
    },
    /// Every rule failed on a definitive answer about the person (mismatch, no record,
    /// liveness failed, score below threshold).
    NotVerified,
    /// No rule is satisfied, but at least one has not failed: checks are missing, expired,
    /// or ended in a provider or input error. Another attempt may still verify the subject.
    Indeterminate,
}

/// Where a rule or a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Satisfied.
    Satisfied,
    /// Failed on a definitive answer about the person.
    Failed,
    /// Neither: nothing counted yet.
    Open,
}

/// A rule's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    /// The rule's name.
    pub rule: String,
    /// Where it stands.
    pub status: Status,
    /// Each requirement's outcome, in the rule's order.
    pub requirements: Vec<RequirementOutcome>,
}

/// A requirement's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementOutcome {
    /// The requirement's options.
    pub options: Vec<Requirement>,
    /// Where it stands.
    pub status: Status,
    /// What each relevant record did, per option it has the factors for.
    pub contributions: Vec<Contribution>,
}

/// What one record did for one option of a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contribution {
    /// The record's id.
    pub record_id: String,
    /// The record's attempt number.
    pub attempt_no: u32,
    /// The factors it checked.
    pub factors: FactorSet,
    /// The index of the option it was weighed against.
    pub option: usize,
    /// Its effect.
    pub effect: Effect,
}

/// The effect of one record on one option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// It satisfies the option.
    Satisfies,
    /// The authority answered against the person.
    Fails(Failure),
    /// It says nothing about the person; the reason is given.
    Inconclusive(Inconclusive),
    /// It does not count at this time.
    NotCounted(NotCounted),
}

/// Why a record says nothing about the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Inconclusive {
    /// The check ended in a provider error, invalid input or an unmapped code.
    Result(CheckResult),
    /// The face matched but liveness could not be judged.
    LivenessNotJudged,
    /// A face check without its details (score, liveness).
    FaceDetailsMissing,
}

/// A definitive answer against the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Failure {
    /// The factors did not match.
    Mismatch,
    /// The authority has no record of the identity.
    NoRecord,
    /// The capture was judged not live.
    LivenessFailed,
    /// The face score is below the policy's threshold.
    ScoreBelowThreshold {
        /// The score.
        score: Score,
        /// The policy's threshold.
        threshold: Score,
    },
}

/// Why a record does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NotCounted {
    /// Its response is older than the policy's window.
    Expired {
        /// How old it is at decision time.
        age_secs: u64,
        /// The policy's window.
        max_age_secs: u64,
    },
    /// Its response time is after the decision time.
    AfterDecisionTime,
}
