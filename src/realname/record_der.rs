//! The DER form of a [`VerificationRecord`]; the ASN.1 is in the record module's
//! documentation.

use der::asn1::{GeneralizedTime, OctetString};

use super::evidence::EvidenceDer;
use super::protected::ProtectedDer;
use super::record::{MAX_EVIDENCE, der_error};
use super::{
    CheckResult, Error, EvidenceRef, FaceCheck, FactorSet, Role, SubjectKind, UnixTime,
    VerificationRecord,
};
use crate::sm3;

/// The record format version this library writes and reads.
const VERSION: u32 = 1;

/// The DER form of a [`VerificationRecord`] (the module documentation gives the ASN.1).
#[derive(der::Sequence)]
pub(super) struct RecordDer {
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
    pub(super) fn from_record(record: &VerificationRecord) -> Result<Self, Error> {
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

    pub(super) fn into_record(self) -> Result<VerificationRecord, Error> {
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
