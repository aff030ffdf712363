//! The JSON a C caller gives `smtrust_record_sign`: the fields of a verification record
//! without personal data, named as in the record's JSON view, with times as Unix seconds.

use serde::Deserialize;

use super::Error;
use crate::realname::{
    CheckResult, CompareLibrary, EvidenceKind, EvidenceRef, FaceCheck, FactorSet, LivenessMode,
    LivenessStatus, Role, Score, SubjectKind, UnixTime, VerificationRecord,
};

/// The record fields, as `smtrust_record_sign` documents them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordInput {
    biz_serial_no: String,
    record_id: String,
    attempt_no: u32,
    subject_kind: SubjectKind,
    role: Role,
    factors: FactorSet,
    institution: String,
    #[serde(default)]
    request_id: String,
    result: String,
    #[serde(default)]
    raw_code: String,
    #[serde(default)]
    raw_message: String,
    requested_at: u64,
    responded_at: u64,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    face: Option<FaceInput>,
    #[serde(default)]
    evidence: Vec<EvidenceInput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaceInput {
    score: Score,
    threshold: Score,
    liveness_mode: LivenessMode,
    liveness_status: LivenessStatus,
    compare_library: CompareLibrary,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceInput {
    kind: String,
    /// SM3 of the object, 64 hex digits.
    digest: String,
    #[serde(default)]
    locator: String,
}

/// Every check result, to read one by its JSON name (the type has no `Deserialize`).
const RESULTS: [CheckResult; 6] = [
    CheckResult::Match,
    CheckResult::Mismatch,
    CheckResult::NoRecord,
    CheckResult::InvalidInput,
    CheckResult::ProviderError,
    CheckResult::Unknown,
];

/// Every evidence kind, to read one by its JSON name (the type has no `Deserialize`).
const EVIDENCE_KINDS: [EvidenceKind; 5] = [
    EvidenceKind::Portrait,
    EvidenceKind::BestFrame,
    EvidenceKind::LivenessVideo,
    EvidenceKind::ProviderResponse,
    EvidenceKind::Other,
];

/// The record the JSON text `json` describes, with every field checked.
pub(super) fn record_from_json(json: &[u8]) -> Result<VerificationRecord, Error> {
    let input: RecordInput = serde_json::from_slice(json).map_err(|err| Error::RecordInvalid {
        reason: err.to_string(),
    })?;
    let result = by_name(&RESULTS, &input.result, "result")?;
    let mut builder =
        VerificationRecord::builder(&input.biz_serial_no, &input.record_id, input.attempt_no)
            .subject(input.subject_kind, input.role)
            .check(input.factors, &input.institution, &input.request_id)
            .result(result, &input.raw_code, &input.raw_message)
            .times(
                UnixTime::from_secs(input.requested_at),
                UnixTime::from_secs(input.responded_at),
            )
            .operator(&input.operator);
    if let Some(face) = input.face {
        builder = builder.face(FaceCheck::new(
            face.score,
            face.threshold,
            face.liveness_mode,
            face.liveness_status,
            face.compare_library,
        ));
    }
    for evidence in input.evidence {
        let kind = by_name(&EVIDENCE_KINDS, &evidence.kind, "evidence kind")?;
        let digest: [u8; 32] = hex::decode(&evidence.digest)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| Error::RecordInvalid {
                reason: format!(
                    "the evidence digest {:?} is not 64 hex digits (an SM3 digest)",
                    evidence.digest
                ),
            })?;
        builder = builder
            .evidence(EvidenceRef::from_digest(kind, digest, &evidence.locator).map_err(invalid)?);
    }
    builder.build().map_err(invalid)
}

/// The value of `all` whose JSON name is `name`.
fn by_name<T: serde::Serialize + Copy>(all: &[T], name: &str, field: &str) -> Result<T, Error> {
    all.iter()
        .copied()
        .find(|value| serde_json::to_value(value).is_ok_and(|json| json == name))
        .ok_or_else(|| {
            let known: Vec<String> = all
                .iter()
                .filter_map(|value| serde_json::to_value(value).ok())
                .map(|json| json.to_string())
                .collect();
            Error::RecordInvalid {
                reason: format!("the {field} {name:?} is not one of {}", known.join(", ")),
            }
        })
}

fn invalid(err: crate::realname::Error) -> Error {
    Error::RecordInvalid {
        reason: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE_CHECK: &str = r#"{
        "biz_serial_no": "SH-2026-000123", "record_id": "R-1", "attempt_no": 1,
        "subject_kind": "natural_person", "role": "legal_representative",
        "factors": ["name", "id_number", "mobile"], "institution": "Example Institution",
        "result": "match", "raw_code": "0", "requested_at": 1764115200,
        "responded_at": 1764115201,
        "evidence": [{"kind": "provider_response",
                      "digest": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"}]
    }"#;

    #[test]
    fn a_phone_three_factor_record_reads() {
        let record = record_from_json(PHONE_CHECK.as_bytes()).unwrap();
        assert_eq!(record.biz_serial_no(), "SH-2026-000123");
        assert_eq!(record.factors(), FactorSet::PHONE_3);
        assert_eq!(record.result(), CheckResult::Match);
        assert_eq!(record.evidence().len(), 1);
        assert_eq!(record.evidence()[0].kind(), EvidenceKind::ProviderResponse);
    }

    #[test]
    fn an_unknown_result_names_the_known_ones() {
        let json = PHONE_CHECK.replace(r#""match""#, r#""maybe""#);
        assert_eq!(
            record_from_json(json.as_bytes()).err(),
            Some(Error::RecordInvalid {
                reason: "the result \"maybe\" is not one of \"match\", \"mismatch\", \
                         \"no_record\", \"invalid_input\", \"provider_error\", \"unknown\""
                    .to_owned()
            })
        );
    }

    #[test]
    fn a_short_evidence_digest_is_refused() {
        let json = PHONE_CHECK.replace("8f4ba8e0", "");
        assert!(matches!(
            record_from_json(json.as_bytes()),
            Err(Error::RecordInvalid { reason }) if reason.contains("not 64 hex digits")
        ));
    }

    #[test]
    fn unknown_fields_and_missing_ones_are_refused() {
        let extra = PHONE_CHECK.replace(r#""attempt_no": 1"#, r#""attempt_no": 1, "name": "x""#);
        assert!(matches!(
            record_from_json(extra.as_bytes()),
            Err(Error::RecordInvalid { reason }) if reason.contains("unknown field `name`")
        ));
        let missing = PHONE_CHECK.replace(r#""record_id": "R-1","#, "");
        assert!(matches!(
            record_from_json(missing.as_bytes()),
            Err(Error::RecordInvalid { reason }) if reason.contains("missing field `record_id`")
        ));
    }

    #[test]
    fn a_face_check_without_face_details_breaks_the_record_rules() {
        let json = PHONE_CHECK.replace(r#""mobile""#, r#""face_liveness""#);
        assert_eq!(
            record_from_json(json.as_bytes()).err(),
            Some(Error::RecordInvalid {
                reason: crate::realname::Error::FaceDetailsMismatch.to_string()
            })
        );
    }
}
