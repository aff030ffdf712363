//! Verifying every signature of a package (SEAL-SPEC §7): Signature.xml, its SignedValue,
//! the reference digests, and the seal copy it names.

use super::digital::verify_sign;
use super::path::Located;
use super::references::check_references;
use super::report::{PackageReport, SignatureReport};
use super::seal_signature::verify_seal;
use super::signature_xml::SignatureXml;
use super::{OfdError, Package, SignatureEntry, SignatureKind, VerifyOptions};
use crate::seal::{Check, CheckName, Deviation, Report, Warning};

impl Package {
    /// Verifies every signature the package lists and returns one report per signature.
    ///
    /// For each signature: its Signature.xml and SignedValue are found (`BaseLoc` and
    /// `SignedValue`, absolute or relative), the SignedValue is checked as a seal signature
    /// (`Type="Seal"`, the default: seal, maker and signer signatures, `dataHash` =
    /// SM3(Signature.xml), chains) or a digital signature (`Type="Sign"`: CMS SignedData over
    /// Signature.xml), then every `Reference` digest is recomputed (`references`), and a
    /// `Seal/BaseLoc` copy of the seal is compared with the seal inside the signature.
    /// Trouble with one signature's files fails that signature's `structure` check; only a
    /// package whose signature list cannot be read gives an error.
    ///
    /// ```
    /// use smtrust::ofd::{Package, VerifyOptions};
    /// use smtrust::seal::{CheckName, Status, Verdict};
    ///
    /// let bytes = std::fs::read("test-vectors/seals/ofdrw_signedFile.ofd")?;
    /// let report = Package::from_bytes(&bytes)?.verify(&VerifyOptions::new())?;
    /// let signature = &report.signatures()[0];
    /// assert_eq!(signature.report().status(CheckName::References), Some(Status::Pass));
    /// // No trust anchor was given, so the chains are not checked.
    /// assert_eq!(report.verdict(), Verdict::Indeterminate);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(&self, options: &VerifyOptions) -> Result<PackageReport, OfdError> {
        let signatures = self
            .signatures()?
            .into_iter()
            .map(|entry| self.verify_signature(entry, options))
            .collect();
        Ok(PackageReport { signatures })
    }

    fn verify_signature(&self, entry: SignatureEntry, options: &VerifyOptions) -> SignatureReport {
        let mut report = Report::new();
        let references = match self.check_signature(&entry, options, &mut report) {
            Ok(references) => references,
            Err(error) => {
                report.push_check(Check::fail(CheckName::Structure, error.to_string()));
                Vec::new()
            }
        };
        SignatureReport {
            entry,
            report,
            references,
        }
    }

    /// The checks of one signature; an error is a file that cannot be found or read.
    fn check_signature(
        &self,
        entry: &SignatureEntry,
        options: &VerifyOptions,
        report: &mut Report,
    ) -> Result<Vec<super::ReferenceCheck>, OfdError> {
        let located = self.locate(entry.list(), entry.base_loc())?;
        note_root_fallback(&located, "BaseLoc", report);
        let part = located.path.clone();
        let xml_bytes = located.bytes;
        let xml = SignatureXml::parse(&part, xml_bytes)?;
        note_layout(&xml, report);
        let signed_value = self.locate(&part, &xml.signed_value_loc)?;
        note_root_fallback(&signed_value, "SignedValue", report);
        let signer = match entry.kind() {
            SignatureKind::Seal => {
                let seal_copy = self.seal_copy(&part, xml.seal_loc.as_deref(), report);
                let signed_value = signed_value.bytes;
                verify_seal(&part, xml_bytes, signed_value, seal_copy, options, report)
            }
            SignatureKind::Sign => verify_sign(xml_bytes, signed_value.bytes, options, report),
            SignatureKind::Other(other) => {
                report.push_check(Check::fail(
                    CheckName::Structure,
                    format!(
                        "Signatures.xml gives the unknown signature Type \"{other}\" (Seal or Sign)"
                    ),
                ));
                None
            }
        };
        let references = check_references(self, &part, &xml, signer.as_ref());
        report.push_check(references.check);
        for warning in references.warnings {
            report.push_warning(warning);
        }
        Ok(references.files)
    }
}

impl Package {
    /// The seal copy a Signature.xml names (`Seal/BaseLoc`), if any; one that cannot be found
    /// fails `structure`.
    fn seal_copy(&self, part: &str, location: Option<&str>, report: &mut Report) -> Option<&[u8]> {
        match self.locate(part, location?) {
            Ok(copy) => Some(copy.bytes),
            Err(error) => {
                report.push_check(Check::fail(
                    CheckName::Structure,
                    format!("the seal copy Signature.xml names is unusable: {error}"),
                ));
                None
            }
        }
    }
}

fn note_root_fallback(located: &Located<'_>, what: &str, report: &mut Report) {
    if located.from_root {
        report.push_warning(Warning::new(
            Deviation::OfdXmlVariation,
            format!(
                "the relative {what} was found only from the package root, as /{}",
                located.path
            ),
        ));
    }
}

/// Layout variations of Signature.xml that are tolerated (SEAL-SPEC D17).
fn note_layout(xml: &SignatureXml, report: &mut Report) {
    if xml.signed_value_first {
        report.push_warning(Warning::new(
            Deviation::OfdXmlVariation,
            "SignedValue comes before SignedInfo in Signature.xml (ofdrw 1.2)",
        ));
    }
    if xml.provider_as_elements {
        report.push_warning(Warning::new(
            Deviation::OfdXmlVariation,
            "Provider is written as child elements rather than attributes (dms360)",
        ));
    }
}
