//! The verification report: one line per check, the tolerated deviations, and a verdict.
//!
//! The JSON form is the CLI contract of DESIGN.md: `{"verdict": "valid|invalid|indeterminate",
//! "checks": [{"check": NAME, "status": "pass|fail|not_checked", "detail": TEXT}],
//! "warnings": [{"code": "D9", "detail": TEXT}]}`.

use core::fmt;
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

/// The overall result of a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Every check that matters passed.
    Valid,
    /// At least one check failed.
    Invalid,
    /// Nothing failed, but a check that matters could not be made (e.g. no trust anchor was
    /// given, or no document to compare the digest with).
    Indeterminate,
}

impl Verdict {
    /// The contract's name: `valid`, `invalid` or `indeterminate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Indeterminate => "indeterminate",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The check was made and passed.
    Pass,
    /// The check was made and failed.
    Fail,
    /// The check could not be made; the detail says why.
    NotChecked,
}

impl Status {
    /// The contract's name: `pass`, `fail` or `not_checked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotChecked => "not_checked",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which check a report line is about (SEAL-SPEC §2.3, and the OFD steps of §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckName {
    /// The bytes parse as a seal or seal signature of a known version.
    Structure,
    /// The seal maker's signature over the seal information.
    SealMakerSignature,
    /// The seal maker's certificate chains to a trust anchor.
    SealMakerChain,
    /// The seal is inside its validity period at the time in question.
    SealValidity,
    /// The signer's certificate is in the seal's certificate list.
    SignerListedInSeal,
    /// The signer's signature over TBS_Sign.
    Signature,
    /// `dataHash` equals the digest of the document.
    DataHash,
    /// The signer's certificate chains to a trust anchor at the signing time.
    SignerChain,
    /// The timestamp token, if any.
    Timestamp,
    /// The OFD reference digests.
    References,
}

impl CheckName {
    /// Every check, in report order.
    pub const ALL: [CheckName; 10] = [
        Self::Structure,
        Self::SealMakerSignature,
        Self::SealMakerChain,
        Self::SealValidity,
        Self::SignerListedInSeal,
        Self::Signature,
        Self::DataHash,
        Self::SignerChain,
        Self::Timestamp,
        Self::References,
    ];

    /// The contract's snake_case name, e.g. `seal_maker_signature`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Structure => "structure",
            Self::SealMakerSignature => "seal_maker_signature",
            Self::SealMakerChain => "seal_maker_chain",
            Self::SealValidity => "seal_validity",
            Self::SignerListedInSeal => "signer_listed_in_seal",
            Self::Signature => "signature",
            Self::DataHash => "data_hash",
            Self::SignerChain => "signer_chain",
            Self::Timestamp => "timestamp",
            Self::References => "references",
        }
    }

    /// Whether this check being [`Status::NotChecked`] leaves the verdict indeterminate.
    ///
    /// Every check matters except [`CheckName::Timestamp`]: a timestamp is optional in every
    /// seal format, so a signature without one (or with one this library cannot check) is
    /// judged on the rest, and the report line says what was not checked.
    pub fn matters_when_not_checked(self) -> bool {
        !matches!(self, Self::Timestamp)
    }
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of a report: which check, its outcome, and the reason in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub name: CheckName,
    /// Its outcome.
    pub status: Status,
    /// What was found, or why it could not be checked, as a sentence for a person.
    pub detail: String,
}

impl Check {
    /// A check with the given outcome.
    pub fn new(name: CheckName, status: Status, detail: impl Into<String>) -> Self {
        Self {
            name,
            status,
            detail: detail.into(),
        }
    }

    /// A check that passed.
    pub fn pass(name: CheckName, detail: impl Into<String>) -> Self {
        Self::new(name, Status::Pass, detail)
    }

    /// A check that failed.
    pub fn fail(name: CheckName, detail: impl Into<String>) -> Self {
        Self::new(name, Status::Fail, detail)
    }

    /// A check that could not be made.
    pub fn not_checked(name: CheckName, detail: impl Into<String>) -> Self {
        Self::new(name, Status::NotChecked, detail)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<22} {:<11} {}", self.name, self.status, self.detail)
    }
}

impl Serialize for Check {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_struct("Check", 3)?;
        map.serialize_field("check", self.name.as_str())?;
        map.serialize_field("status", self.status.as_str())?;
        map.serialize_field("detail", &self.detail)?;
        map.end()
    }
}

/// A deviation from the standards seen in real seals and tolerated by this library
/// (SEAL-SPEC §5, D1–D19). Each is reported as a [`Warning`], never hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Deviation {
    /// D1: SM2-with-SM3 AlgorithmIdentifier with NULL parameters.
    NullAlgorithmParameters,
    /// D2: UTF-8 bytes in an IA5String of a certificate name.
    NonAsciiIa5String,
    /// D3: a BOOLEAN DEFAULT FALSE encoded explicitly.
    ExplicitDefaultBoolean,
    /// D4: a picture type outside the standard's upper-case names (e.g. `png`, `ofd`).
    PictureType,
    /// D5: a business-defined seal type.
    SealType,
    /// D6: SES_SealInfo.extDatas with a context tag (real files leave it untagged).
    SealExtDatasTagged,
    /// D7: TBS_Sign.extDatas without its `[0]` tag, or with an implicit one.
    TbsExtDatasTagging,
    /// D8: a timeStamp tagged otherwise than `[0]` EXPLICIT.
    TimeStampTagging,
    /// D9: an SM2 signature written as raw 64-byte r‖s instead of DER.
    RawSignature,
    /// D10: the maker certificate is the signer certificate, or a CA certificate.
    MakerIsSigner,
    /// D11: a maker signature that does not verify with the embedded maker certificate.
    MakerSignatureUnverifiable,
    /// D12: a v1 certList holding items that are not certificates.
    CertListNotCertificates,
    /// D13: a v1 signature made over `dataHash` directly (no Z, TBS_Sign not covered).
    SignatureOverDataHashOnly,
    /// D14: digests computed as SM3(Z ‖ data) (CheckMethod 1.2.156.10197.1.401.2).
    DigestWithZ,
    /// D15: a v1 timeInfo holding text rather than a UTCTime or a timestamp token.
    TimeInfoText,
    /// D16: ofdrw test data: a `dataHash` of zero bytes (a placeholder), or a test root
    /// without keyCertSign accepted for legacy use.
    DataHashPlaceholder,
    /// D17: an OFD XML variation (date formats, CheckMethod names, locations, order).
    OfdXmlVariation,
    /// D18: a propertyInfo that is not the path of the signed Signature.xml.
    PropertyInfo,
    /// D19: a non-standard v1 shape (GeneralizedTime dates, OCTET STRING hashes, wrapped
    /// structures, unparseable extension items).
    NonStandardV1Shape,
}

impl Deviation {
    /// The SEAL-SPEC number, e.g. `"D9"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::NullAlgorithmParameters => "D1",
            Self::NonAsciiIa5String => "D2",
            Self::ExplicitDefaultBoolean => "D3",
            Self::PictureType => "D4",
            Self::SealType => "D5",
            Self::SealExtDatasTagged => "D6",
            Self::TbsExtDatasTagging => "D7",
            Self::TimeStampTagging => "D8",
            Self::RawSignature => "D9",
            Self::MakerIsSigner => "D10",
            Self::MakerSignatureUnverifiable => "D11",
            Self::CertListNotCertificates => "D12",
            Self::SignatureOverDataHashOnly => "D13",
            Self::DigestWithZ => "D14",
            Self::TimeInfoText => "D15",
            Self::DataHashPlaceholder => "D16",
            Self::OfdXmlVariation => "D17",
            Self::PropertyInfo => "D18",
            Self::NonStandardV1Shape => "D19",
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A tolerated deviation found in the input, with what exactly was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Which deviation.
    pub deviation: Deviation,
    /// What was seen and what was done about it, as a sentence for a person.
    pub detail: String,
}

impl Warning {
    /// A warning about `deviation`.
    pub fn new(deviation: Deviation, detail: impl Into<String>) -> Self {
        Self {
            deviation,
            detail: detail.into(),
        }
    }

    /// The SEAL-SPEC number, e.g. `"D9"`.
    pub fn code(&self) -> &'static str {
        self.deviation.code()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.detail)
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_struct("Warning", 2)?;
        map.serialize_field("code", self.code())?;
        map.serialize_field("detail", &self.detail)?;
        map.end()
    }
}

/// The result of verifying a seal, a seal signature or one signature of an OFD package.
///
/// ```
/// use smtrust::seal::{Check, CheckName, Deviation, Report, Verdict, Warning};
///
/// let mut report = Report::new();
/// report.push_check(Check::pass(CheckName::Structure, "a GB/T 38540 v4 seal"));
/// report.push_check(Check::not_checked(CheckName::SealMakerChain, "no trust anchor was given"));
/// report.push_warning(Warning::new(Deviation::PictureType, "picture type \"png\""));
/// assert_eq!(report.verdict(), Verdict::Indeterminate);
/// assert!(report.to_json().starts_with(r#"{"verdict":"indeterminate","checks":[{"check":"structure""#));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    checks: Vec<Check>,
    warnings: Vec<Warning>,
}

impl Report {
    /// An empty report (its verdict is [`Verdict::Valid`] until a check is added).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a check line.
    pub fn push_check(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Adds a warning, unless the same warning is already there.
    pub fn push_warning(&mut self, warning: Warning) {
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    /// Appends the checks and warnings of another report.
    pub fn extend(&mut self, other: Report) {
        self.checks.extend(other.checks);
        for warning in other.warnings {
            self.push_warning(warning);
        }
    }

    /// The check lines, in the order they were made.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The tolerated deviations.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The first line about `name`, if that check was made or considered.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|check| check.name == name)
    }

    /// The status of the first line about `name`, if any.
    pub fn status(&self, name: CheckName) -> Option<Status> {
        self.check(name).map(|check| check.status)
    }

    /// Whether a warning with this deviation is present.
    pub fn has_warning(&self, deviation: Deviation) -> bool {
        self.warnings.iter().any(|w| w.deviation == deviation)
    }

    /// The overall verdict: [`Verdict::Invalid`] if any check failed; otherwise
    /// [`Verdict::Indeterminate`] if a check that matters
    /// ([`CheckName::matters_when_not_checked`]) was not made; otherwise [`Verdict::Valid`].
    pub fn verdict(&self) -> Verdict {
        if self.checks.iter().any(|c| c.status == Status::Fail) {
            Verdict::Invalid
        } else if self
            .checks
            .iter()
            .any(|c| c.status == Status::NotChecked && c.name.matters_when_not_checked())
        {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        }
    }

    /// The report as the CLI contract's JSON object (one line, no trailing newline).
    pub fn to_json(&self) -> String {
        // Invariant: every field is a string or a list of string maps, which serde_json always
        // serializes; the fallback is unreachable but keeps this function total.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

impl fmt::Display for Report {
    /// A readable text form: the verdict, then one line per check, then the warnings.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "verdict: {}", self.verdict())?;
        for check in &self.checks {
            writeln!(f, "  {check}")?;
        }
        for warning in &self.warnings {
            writeln!(f, "  warning {warning}")?;
        }
        Ok(())
    }
}

impl Serialize for Report {
    /// `{"verdict": …, "checks": […], "warnings": […]}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("verdict", self.verdict().as_str())?;
        map.serialize_entry("checks", &self.checks)?;
        map.serialize_entry("warnings", &self.warnings)?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_rules() {
        let mut report = Report::new();
        assert_eq!(report.verdict(), Verdict::Valid);
        report.push_check(Check::not_checked(CheckName::Timestamp, "no timestamp"));
        assert_eq!(report.verdict(), Verdict::Valid);
        report.push_check(Check::not_checked(
            CheckName::SignerChain,
            "no trust anchor",
        ));
        assert_eq!(report.verdict(), Verdict::Indeterminate);
        report.push_check(Check::fail(CheckName::DataHash, "differs"));
        assert_eq!(report.verdict(), Verdict::Invalid);
    }

    #[test]
    fn json_has_the_contract_shape() {
        let mut report = Report::new();
        report.push_check(Check::pass(CheckName::SealMakerSignature, "ok"));
        report.push_warning(Warning::new(Deviation::RawSignature, "raw r‖s"));
        report.push_warning(Warning::new(Deviation::RawSignature, "raw r‖s"));
        assert_eq!(
            report.to_json(),
            r#"{"verdict":"valid","checks":[{"check":"seal_maker_signature","status":"pass","detail":"ok"}],"warnings":[{"code":"D9","detail":"raw r‖s"}]}"#
        );
    }

    #[test]
    fn names_are_snake_case_and_distinct() {
        let names: Vec<&str> = CheckName::ALL.iter().map(|n| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "structure",
                "seal_maker_signature",
                "seal_maker_chain",
                "seal_validity",
                "signer_listed_in_seal",
                "signature",
                "data_hash",
                "signer_chain",
                "timestamp",
                "references"
            ]
        );
        assert_eq!(Deviation::NonStandardV1Shape.code(), "D19");
        assert_eq!(Deviation::NullAlgorithmParameters.code(), "D1");
    }
}
