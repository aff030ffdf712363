//! The JSON view of a record, for people and logs. It is never the signed form, and it never
//! contains personal data in the clear: identity fields appear masked, lookups as blind
//! indexes, the envelope only as its data key id, and long digit runs in the provider's free
//! text are masked as a safety net.

use serde::Serialize;

use super::{
    BlindIndex, CheckResult, Error, EvidenceRef, FaceCheck, FactorSet, MaskedIdentity, Role,
    SubjectKind, VerificationRecord,
};

/// Digit runs at least this long in the provider's message are masked in the view: shorter
/// than any mobile (11), ID (15, 18) or card (13+) number.
const MAX_VISIBLE_DIGIT_RUN: usize = 6;

/// A record as people read it; serialise with `serde_json` or call
/// [`VerificationRecord::to_json`].
#[derive(Debug, Clone, Serialize)]
pub struct RecordView<'a> {
    biz_serial_no: &'a str,
    record_id: &'a str,
    attempt_no: u32,
    subject_kind: SubjectKind,
    role: Role,
    check: Option<&'static str>,
    factors: FactorSet,
    institution: &'a str,
    request_id: &'a str,
    result: CheckResult,
    raw_code: &'a str,
    raw_message: String,
    requested_at: String,
    responded_at: String,
    operator: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    face: Option<FaceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<SubjectView<'a>>,
    evidence: &'a [EvidenceRef],
    biometric_evidence: &'a [EvidenceRef],
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_certificate_sm3: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct FaceView {
    score: super::Score,
    threshold: super::Score,
    liveness_mode: super::LivenessMode,
    liveness_status: super::LivenessStatus,
    compare_library: super::CompareLibrary,
}

#[derive(Debug, Clone, Serialize)]
struct SubjectView<'a> {
    masked: &'a MaskedIdentity,
    blind_indexes: &'a [BlindIndex],
    data_key_id: String,
}

impl VerificationRecord {
    /// The record's view for people and logs.
    pub fn json_view(&self) -> RecordView<'_> {
        RecordView {
            biz_serial_no: &self.biz_serial_no,
            record_id: &self.record_id,
            attempt_no: self.attempt_no,
            subject_kind: self.subject_kind,
            role: self.role,
            check: self.factors.check_name(),
            factors: self.factors,
            institution: &self.institution,
            request_id: &self.request_id,
            result: self.result,
            raw_code: &self.raw_code,
            raw_message: mask_digit_runs(&self.raw_message),
            requested_at: self.requested_at.to_string(),
            responded_at: self.responded_at.to_string(),
            operator: &self.operator,
            face: self.face.as_ref().map(face_view),
            subject: self.personal.as_ref().map(|personal| SubjectView {
                masked: personal.masked(),
                blind_indexes: personal.blind_indexes(),
                data_key_id: personal.envelope().data_key_id().to_string(),
            }),
            evidence: &self.evidence,
            biometric_evidence: &self.biometric_evidence,
            signer_certificate_sm3: self.signer_certificate_sm3.map(hex::encode),
        }
    }

    /// The JSON view as a string.
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(&self.json_view()).map_err(|error| Error::Json {
            reason: error.to_string(),
        })
    }
}

fn face_view(face: &FaceCheck) -> FaceView {
    FaceView {
        score: face.score(),
        threshold: face.threshold(),
        liveness_mode: face.liveness_mode(),
        liveness_status: face.liveness_status(),
        compare_library: face.compare_library(),
    }
}

/// `text` with every run of at least [`MAX_VISIBLE_DIGIT_RUN`] ASCII or full-width digits
/// (and `X`/`x` check characters inside a run) replaced by `*`.
fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    while start < chars.len() {
        let run = chars
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| is_digit_like(**c))
            .count();
        if run == 0 {
            out.extend(chars.get(start));
            start += 1;
            continue;
        }
        let run_chars = chars.get(start..start + run).unwrap_or_default();
        if run >= MAX_VISIBLE_DIGIT_RUN {
            out.extend(core::iter::repeat_n('*', run));
        } else {
            out.extend(run_chars);
        }
        start += run;
    }
    out
}

fn is_digit_like(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || c == 'X' || c == 'x'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_are_masked() {
        assert_eq!(mask_digit_runs("ok 12345"), "ok 12345");
        assert_eq!(
            mask_digit_runs("id 11010519491231002X mismatch"),
            "id ****************** mismatch"
        );
        assert_eq!(
            mask_digit_runs("手机１３８１２３４５６７８"),
            "手机***********"
        );
        assert_eq!(mask_digit_runs(""), "");
    }
}
