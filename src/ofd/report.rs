//! The reports of an OFD verification: one [`SignatureReport`] per signature, gathered in a
//! [`PackageReport`].

use core::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{ReferenceCheck, SignatureEntry, SignatureKind};
use crate::seal::{Report, Verdict};

/// The verification of one signature of an OFD package: the signature entry, the
/// [`Report`] with its checks (`references` among them) and warnings, and the outcome of
/// every `Reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    pub(crate) entry: SignatureEntry,
    pub(crate) report: Report,
    pub(crate) references: Vec<ReferenceCheck>,
}

impl SignatureReport {
    /// The signature's `ID` in Signatures.xml.
    pub fn id(&self) -> &str {
        self.entry.id()
    }

    /// What Signatures.xml declares it to be.
    pub fn kind(&self) -> &SignatureKind {
        self.entry.kind()
    }

    /// The Signatures.xml entry.
    pub fn entry(&self) -> &SignatureEntry {
        &self.entry
    }

    /// The checks and warnings.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The verdict of this signature.
    pub fn verdict(&self) -> Verdict {
        self.report.verdict()
    }

    /// What was found for each `Reference`, in Signature.xml order (empty when the references
    /// could not be checked).
    pub fn references(&self) -> &[ReferenceCheck] {
        &self.references
    }
}

impl Serialize for SignatureReport {
    /// `{"id": …, "verdict": …, "checks": […], "warnings": […]}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("id", self.id())?;
        map.serialize_entry("verdict", self.verdict().as_str())?;
        map.serialize_entry("checks", self.report.checks())?;
        map.serialize_entry("warnings", self.report.warnings())?;
        map.end()
    }
}

/// The verification of every signature of an OFD package.
///
/// The package is [`Verdict::Valid`] only if every signature is; [`Verdict::Invalid`] if
/// any signature is invalid; otherwise [`Verdict::Indeterminate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageReport {
    pub(crate) signatures: Vec<SignatureReport>,
}

impl PackageReport {
    /// One report per signature, in Signatures.xml order.
    pub fn signatures(&self) -> &[SignatureReport] {
        &self.signatures
    }

    /// The report of the signature with `ID` `id`.
    pub fn signature(&self, id: &str) -> Option<&SignatureReport> {
        self.signatures.iter().find(|s| s.id() == id)
    }

    /// The verdict of the package.
    pub fn verdict(&self) -> Verdict {
        let verdicts = || self.signatures.iter().map(SignatureReport::verdict);
        if verdicts().any(|v| v == Verdict::Invalid) {
            Verdict::Invalid
        } else if verdicts().any(|v| v == Verdict::Indeterminate) {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        }
    }

    /// The CLI contract's JSON: `{"verdict": …, "signatures": [{"id": …, "verdict": …,
    /// "checks": […], "warnings": […]}]}` (one line, no trailing newline).
    pub fn to_json(&self) -> String {
        // Invariant: every field is a string or a list of string maps, which serde_json always
        // serializes; the fallback is unreachable but keeps this function total.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

impl Serialize for PackageReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("verdict", self.verdict().as_str())?;
        map.serialize_entry("signatures", &self.signatures)?;
        map.end()
    }
}

impl fmt::Display for PackageReport {
    /// The package verdict, then each signature's id, kind and report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "package verdict: {}", self.verdict())?;
        for signature in &self.signatures {
            let kind = match signature.kind() {
                SignatureKind::Seal => "seal signature",
                SignatureKind::Sign => "digital signature",
                SignatureKind::Other(_) => "signature of unknown type",
            };
            writeln!(
                f,
                "signature {} ({kind}), {}",
                signature.id(),
                signature.report
            )?;
        }
        Ok(())
    }
}
