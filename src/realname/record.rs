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

use der::{Decode, Encode};

use super::record_der::RecordDer;
use super::{
    CheckResult, Error, EvidenceRef, FaceCheck, Factor, FactorSet, ProtectedPersonalData,
    RecordBuilder, Role, SubjectKind, UnixTime,
};
use crate::sm3;

/// The most evidence references in each list.
pub(super) const MAX_EVIDENCE: usize = 16;

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
        RecordBuilder::new(biz_serial_no, record_id, attempt_no)
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
    pub(super) fn validate(&self) -> Result<(), Error> {
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
