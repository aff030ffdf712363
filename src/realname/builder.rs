//! Building a [`VerificationRecord`] field group by field group; [`RecordBuilder::build`]
//! checks the whole record.

use super::{
    CheckResult, Error, EvidenceRef, FaceCheck, FactorSet, ProtectedPersonalData, Role,
    SubjectKind, UnixTime, VerificationRecord,
};

/// Builds a [`VerificationRecord`]; [`RecordBuilder::build`] checks every field.
///
/// ```
/// use smtrust::realname::{
///     CheckResult, FactorSet, Role, SubjectKind, UnixTime, VerificationRecord,
/// };
///
/// let record = VerificationRecord::builder("SH-2026-000123", "R-0001", 1)
///     .subject(SubjectKind::NaturalPerson, Role::LegalRepresentative)
///     .check(FactorSet::PHONE_3, "Example Qualified Institution", "req-8842")
///     .result(CheckResult::Match, "0", "一致")
///     .times(UnixTime::from_secs(1_764_115_200), UnixTime::from_secs(1_764_115_201))
///     .operator("registrar-17")
///     .build()?;
/// assert_eq!(record.factors(), FactorSet::PHONE_3);
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct RecordBuilder {
    biz_serial_no: String,
    record_id: String,
    attempt_no: u32,
    subject: Option<(SubjectKind, Role)>,
    check: Option<(FactorSet, String, String)>,
    result: Option<(CheckResult, String, String)>,
    times: Option<(UnixTime, UnixTime)>,
    operator: String,
    evidence: Vec<EvidenceRef>,
    face: Option<FaceCheck>,
    personal: Option<ProtectedPersonalData>,
}

impl RecordBuilder {
    pub(super) fn new(biz_serial_no: &str, record_id: &str, attempt_no: u32) -> Self {
        Self {
            biz_serial_no: biz_serial_no.to_owned(),
            record_id: record_id.to_owned(),
            attempt_no,
            subject: None,
            check: None,
            result: None,
            times: None,
            operator: String::new(),
            evidence: Vec::new(),
            face: None,
            personal: None,
        }
    }

    /// Who was verified, and in what role (required).
    pub fn subject(mut self, kind: SubjectKind, role: Role) -> Self {
        self.subject = Some((kind, role));
        self
    }

    /// What was checked, by which qualified institution, under which of its request ids
    /// (required).
    pub fn check(mut self, factors: FactorSet, institution: &str, request_id: &str) -> Self {
        self.check = Some((factors, institution.to_owned(), request_id.to_owned()));
        self
    }

    /// The normalised result and the provider's raw code and message (required).
    pub fn result(mut self, result: CheckResult, raw_code: &str, raw_message: &str) -> Self {
        self.result = Some((result, raw_code.to_owned(), raw_message.to_owned()));
        self
    }

    /// Request and response times (required).
    pub fn times(mut self, requested_at: UnixTime, responded_at: UnixTime) -> Self {
        self.times = Some((requested_at, responded_at));
        self
    }

    /// The operator or reviewer.
    pub fn operator(mut self, operator: &str) -> Self {
        operator.clone_into(&mut self.operator);
        self
    }

    /// A reference to an evidence object; biometric ones go to their own list.
    pub fn evidence(mut self, evidence: EvidenceRef) -> Self {
        self.evidence.push(evidence);
        self
    }

    /// The face + liveness details (required exactly when the factors include the face
    /// check).
    pub fn face(mut self, face: FaceCheck) -> Self {
        self.face = Some(face);
        self
    }

    /// The protected personal data, from
    /// [`PersonalDataVault::protect`](super::PersonalDataVault::protect) with this record's
    /// id.
    pub fn personal(mut self, personal: ProtectedPersonalData) -> Self {
        self.personal = Some(personal);
        self
    }

    /// The record, once every required part is given and every field is within its limits.
    pub fn build(self) -> Result<VerificationRecord, Error> {
        let (subject_kind, role) = self.subject.ok_or(Error::Incomplete { field: "subject" })?;
        let (factors, institution, request_id) =
            self.check.ok_or(Error::Incomplete { field: "check" })?;
        let (result, raw_code, raw_message) =
            self.result.ok_or(Error::Incomplete { field: "result" })?;
        let (requested_at, responded_at) =
            self.times.ok_or(Error::Incomplete { field: "times" })?;
        requested_at.to_generalized()?;
        responded_at.to_generalized()?;
        let (biometric_evidence, evidence) = self
            .evidence
            .into_iter()
            .partition(|e| e.kind().is_biometric());
        let record = VerificationRecord {
            biz_serial_no: self.biz_serial_no,
            record_id: self.record_id,
            attempt_no: self.attempt_no,
            subject_kind,
            role,
            factors,
            institution,
            request_id,
            result,
            raw_code,
            raw_message,
            requested_at,
            responded_at,
            operator: self.operator,
            evidence,
            biometric_evidence,
            face: self.face,
            personal: self.personal,
            signer_certificate_sm3: None,
        };
        record.validate()?;
        Ok(record)
    }
}
