//! The verification record (实名认证记录, DOMAIN.md §2.2): what was checked, for which
//! application and role, by which qualified institution, with what result — keyed by the
//! business serial number (业务流水号).
//!
//! The canonical form is DER:
//!
//! ```text
//! VerificationRecord ::= SEQUENCE {
//!   version            INTEGER (1),
//!   bizSerialNo        UTF8String,   -- 业务流水号 of the registration application
//!   recordId           UTF8String,   -- unique; the envelope's associated data
//!   attemptNo          INTEGER,
//!   subjectKind        ENUMERATED,
//!   role               ENUMERATED,
//!   factors            INTEGER,      -- FactorSet bit mask
//!   institution        UTF8String,   -- the qualified institution (认证平台)
//!   requestId          UTF8String,   -- its request / trace id
//!   result             ENUMERATED,   -- CheckResult
//!   rawCode            UTF8String,
//!   rawMessage         UTF8String,
//!   requestedAt        GeneralizedTime,
//!   respondedAt        GeneralizedTime,
//!   operator           UTF8String,
//!   evidence           SEQUENCE OF EvidenceRef,   -- non-biometric
//!   biometricEvidence  SEQUENCE OF EvidenceRef,   -- kept apart from identity fields
//!   face           [0] FaceCheck OPTIONAL,
//!   personal       [1] ProtectedPersonalData OPTIONAL,
//!   signerCertSm3  [2] OCTET STRING OPTIONAL }    -- set by signing (cf. RFC 5035 ESSCertIDv2)
//! ```

use der::asn1::{GeneralizedTime, OctetString};
use der::{Decode, Encode};

use super::evidence::EvidenceDer;
use super::protected::ProtectedDer;
use super::{
    CheckResult, Error, EvidenceRef, FaceCheck, Factor, FactorSet, ProtectedPersonalData, Role,
    SubjectKind, UnixTime,
};
use crate::sm3;

/// The record format version this library writes and reads.
const VERSION: u32 = 1;
/// The most evidence references in each list.
const MAX_EVIDENCE: usize = 16;

/// A verification record. Build one with [`VerificationRecord::builder`], sign it with
/// [`VerificationRecord::sign`](VerificationRecord::sign); a stored record is read back
/// only through [`SignedRecord::verify`](super::SignedRecord::verify).
///
/// The record holds no personal data in the clear: masked values, blind indexes and an
/// envelope ([`ProtectedPersonalData`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRecord {
    pub(super) biz_serial_no: String,
    pub(super) record_id: String,
    pub(super) attempt_no: u32,
    pub(super) subject_kind: SubjectKind,
    pub(super) role: Role,
    pub(super) factors: FactorSet,
    pub(super) institution: String,
    pub(super) request_id: String,
    pub(super) result: CheckResult,
    pub(super) raw_code: String,
    pub(super) raw_message: String,
    pub(super) requested_at: UnixTime,
    pub(super) responded_at: UnixTime,
    pub(super) operator: String,
    pub(super) evidence: Vec<EvidenceRef>,
    pub(super) biometric_evidence: Vec<EvidenceRef>,
    pub(super) face: Option<FaceCheck>,
    pub(super) personal: Option<ProtectedPersonalData>,
    pub(super) signer_certificate_sm3: Option<sm3::Digest>,
}

impl VerificationRecord {
    /// Starts a record of attempt `attempt_no` for the application `biz_serial_no`, under
    /// our unique `record_id`.
    pub fn builder(biz_serial_no: &str, record_id: &str, attempt_no: u32) -> RecordBuilder {
        RecordBuilder {
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

    /// The business serial number (业务流水号) of the application.
    pub fn biz_serial_no(&self) -> &str {
        &self.biz_serial_no
    }

    /// Our unique record id.
    pub fn record_id(&self) -> &str {
        &self.record_id
    }

    /// The attempt number within the application.
    pub fn attempt_no(&self) -> u32 {
        self.attempt_no
    }

    /// Person or entity.
    pub fn subject_kind(&self) -> SubjectKind {
        self.subject_kind
    }

    /// The subject's role in the application.
    pub fn role(&self) -> Role {
        self.role
    }

    /// What was checked.
    pub fn factors(&self) -> FactorSet {
        self.factors
    }

    /// The qualified institution that ran the check.
    pub fn institution(&self) -> &str {
        &self.institution
    }

    /// The institution's request (trace) id.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The normalised result.
    pub fn result(&self) -> CheckResult {
        self.result
    }

    /// The provider's own result code.
    pub fn raw_code(&self) -> &str {
        &self.raw_code
    }

    /// The provider's own result message.
    pub fn raw_message(&self) -> &str {
        &self.raw_message
    }

    /// When the request was sent.
    pub fn requested_at(&self) -> UnixTime {
        self.requested_at
    }

    /// When the response came (from a trusted clock).
    pub fn responded_at(&self) -> UnixTime {
        self.responded_at
    }

    /// The operator or reviewer.
    pub fn operator(&self) -> &str {
        &self.operator
    }

    /// References to non-biometric evidence (provider responses, forms).
    pub fn evidence(&self) -> &[EvidenceRef] {
        &self.evidence
    }

    /// References to biometric evidence (portrait, best frame, video).
    pub fn biometric_evidence(&self) -> &[EvidenceRef] {
        &self.biometric_evidence
    }

    /// The face + liveness details, when the factors include the face check.
    pub fn face(&self) -> Option<&FaceCheck> {
        self.face.as_ref()
    }

    /// The protected personal data, if the record holds any.
    pub fn personal(&self) -> Option<&ProtectedPersonalData> {
        self.personal.as_ref()
    }

    /// The SM3 digest of the institution certificate the record was signed under; set by
    /// [`VerificationRecord::sign`], so the attached certificate cannot be swapped.
    pub fn signer_certificate_sm3(&self) -> Option<&sm3::Digest> {
        self.signer_certificate_sm3.as_ref()
    }

    /// The canonical DER encoding: the bytes a signature covers.
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        RecordDer::from_record(self)?
            .to_der()
            .map_err(|error| der_error("VerificationRecord", error))
    }

    /// Reads the DER encoding and checks every field's limits. Crate-internal: callers get a
    /// record only from a verified [`SignedRecord`](super::SignedRecord).
    pub(super) fn from_der(bytes: &[u8]) -> Result<Self, Error> {
        RecordDer::from_der(bytes)
            .map_err(|error| der_error("VerificationRecord", error))?
            .into_record()
    }

    /// Checks the rules every record obeys, whether built or decoded.
    fn validate(&self) -> Result<(), Error> {
        check_text("bizSerialNo", &self.biz_serial_no, 1, 64)?;
        check_text("recordId", &self.record_id, 1, 64)?;
        check_text("institution", &self.institution, 1, 128)?;
        check_text("requestId", &self.request_id, 0, 128)?;
        check_text("rawCode", &self.raw_code, 0, 64)?;
        check_text("rawMessage", &self.raw_message, 0, 512)?;
        check_text("operator", &self.operator, 0, 128)?;
        if self.factors.is_empty() {
            return Err(Error::EmptyFactorSet);
        }
        if self.responded_at < self.requested_at {
            return Err(Error::ResponseBeforeRequest {
                requested_at: self.requested_at.as_secs(),
                responded_at: self.responded_at.as_secs(),
            });
        }
        if self.face.is_some() != self.factors.contains(Factor::FaceLiveness) {
            return Err(Error::FaceDetailsMismatch);
        }
        if let Some(face) = &self.face {
            face.validate()?;
        }
        for (field, list) in [
            ("evidence", &self.evidence),
            ("biometricEvidence", &self.biometric_evidence),
        ] {
            if list.len() > MAX_EVIDENCE {
                return Err(Error::TooManyEntries {
                    field,
                    count: list.len(),
                    max: MAX_EVIDENCE,
                });
            }
        }
        Ok(())
    }
}

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

/// A text field's length check, in bytes.
pub(super) fn check_text(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), Error> {
    if value.len() < min || value.len() > max {
        return Err(Error::FieldLength {
            field,
            len: value.len(),
            min,
            max,
        });
    }
    Ok(())
}

pub(super) fn der_error(structure: &'static str, error: der::Error) -> Error {
    Error::Der { structure, error }
}

/// The DER form of a [`VerificationRecord`] (the module documentation gives the ASN.1).
#[derive(der::Sequence)]
struct RecordDer {
    version: u32,
    biz_serial_no: String,
    record_id: String,
    attempt_no: u32,
    subject_kind: SubjectKind,
    role: Role,
    factors: u32,
    institution: String,
    request_id: String,
    result: CheckResult,
    raw_code: String,
    raw_message: String,
    requested_at: GeneralizedTime,
    responded_at: GeneralizedTime,
    operator: String,
    evidence: Vec<EvidenceDer>,
    biometric_evidence: Vec<EvidenceDer>,
    #[asn1(context_specific = "0", optional = "true")]
    face: Option<FaceCheck>,
    #[asn1(context_specific = "1", optional = "true")]
    personal: Option<ProtectedDer>,
    #[asn1(context_specific = "2", optional = "true")]
    signer_certificate_sm3: Option<OctetString>,
}

impl RecordDer {
    fn from_record(record: &VerificationRecord) -> Result<Self, Error> {
        let evidence = |list: &[EvidenceRef]| {
            list.iter()
                .map(EvidenceDer::from_ref)
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Self {
            version: VERSION,
            biz_serial_no: record.biz_serial_no.clone(),
            record_id: record.record_id.clone(),
            attempt_no: record.attempt_no,
            subject_kind: record.subject_kind,
            role: record.role,
            factors: record.factors.bits().into(),
            institution: record.institution.clone(),
            request_id: record.request_id.clone(),
            result: record.result,
            raw_code: record.raw_code.clone(),
            raw_message: record.raw_message.clone(),
            requested_at: record.requested_at.to_generalized()?,
            responded_at: record.responded_at.to_generalized()?,
            operator: record.operator.clone(),
            evidence: evidence(&record.evidence)?,
            biometric_evidence: evidence(&record.biometric_evidence)?,
            face: record.face,
            personal: record
                .personal
                .as_ref()
                .map(ProtectedDer::from_protected)
                .transpose()?,
            signer_certificate_sm3: record
                .signer_certificate_sm3
                .map(|digest| OctetString::new(digest.to_vec()))
                .transpose()
                .map_err(|error| der_error("VerificationRecord", error))?,
        })
    }

    fn into_record(self) -> Result<VerificationRecord, Error> {
        if self.version != VERSION {
            return Err(Error::UnsupportedVersion {
                structure: "VerificationRecord",
                found: self.version,
                supported: VERSION,
            });
        }
        let evidence = |list: Vec<EvidenceDer>, biometric: bool| {
            if list.len() > MAX_EVIDENCE {
                return Err(Error::TooManyEntries {
                    field: "evidence",
                    count: list.len(),
                    max: MAX_EVIDENCE,
                });
            }
            let refs = list
                .into_iter()
                .map(EvidenceDer::into_ref)
                .collect::<Result<Vec<_>, _>>()?;
            match refs.iter().find(|e| e.kind().is_biometric() != biometric) {
                Some(misplaced) => Err(Error::MisplacedEvidence {
                    kind: misplaced.kind(),
                }),
                None => Ok(refs),
            }
        };
        let record = VerificationRecord {
            biz_serial_no: self.biz_serial_no,
            record_id: self.record_id,
            attempt_no: self.attempt_no,
            subject_kind: self.subject_kind,
            role: self.role,
            factors: FactorSet::from_bits(self.factors)?,
            institution: self.institution,
            request_id: self.request_id,
            result: self.result,
            raw_code: self.raw_code,
            raw_message: self.raw_message,
            requested_at: UnixTime::from_generalized(self.requested_at),
            responded_at: UnixTime::from_generalized(self.responded_at),
            operator: self.operator,
            evidence: evidence(self.evidence, false)?,
            biometric_evidence: evidence(self.biometric_evidence, true)?,
            face: self.face,
            personal: self
                .personal
                .map(ProtectedDer::into_protected)
                .transpose()?,
            signer_certificate_sm3: self
                .signer_certificate_sm3
                .map(|octets| {
                    let bytes = octets.as_bytes();
                    bytes.try_into().map_err(|_| Error::WrongLength {
                        field: "signer certificate digest",
                        len: bytes.len(),
                        expected: sm3::DIGEST_LEN,
                    })
                })
                .transpose()?,
        };
        record.validate()?;
        Ok(record)
    }
}
