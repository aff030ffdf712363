//! The `references` check: every file a Signature.xml lists is hashed again and compared with
//! its `CheckValue` (GB/T 33190 §18.2.2).

use base64ct::{Base64, Encoding};

use super::signature_xml::SignatureXml;
use super::{OfdError, Package};
use crate::seal::{Check, CheckName, Deviation, Warning};
use crate::sm2::DistId;
use crate::sm2::PublicKey;

/// SM3 (GM/T 0006).
const SM3_OID: &str = "1.2.156.10197.1.401";
/// What dms360 writes to mean SM3(Z ‖ data) (SEAL-SPEC D14).
const SM3_WITH_Z_OID: &str = "1.2.156.10197.1.401.2";

/// How the reference digests are computed (`References/@CheckMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckMethod {
    /// SM3 of the file's bytes: `1.2.156.10197.1.401`, or `SM3` as ofdrw and oesplugin
    /// write it (SEAL-SPEC D17).
    Sm3,
    /// SM3(Z ‖ file) with Z from the signer's public key and the ID `1234567812345678`:
    /// `1.2.156.10197.1.401.2` as dms360 uses it (SEAL-SPEC D14).
    Sm3WithZ,
}

impl CheckMethod {
    /// The method a `CheckMethod` value names, if it is one of the above.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim() {
            SM3_OID => Some(Self::Sm3),
            SM3_WITH_Z_OID => Some(Self::Sm3WithZ),
            other if other.eq_ignore_ascii_case("SM3") => Some(Self::Sm3),
            _ => None,
        }
    }
}

/// What was found for one `Reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferenceOutcome {
    /// The recomputed digest equals the `CheckValue`.
    Match,
    /// The recomputed digest differs: the file changed after signing.
    DigestDiffers {
        /// The digest of the file as it is now, base64 (as a `CheckValue` is written).
        computed: String,
    },
    /// The package has no such file.
    Missing,
    /// The `FileRef` climbs out of the package with `..`.
    OutsidePackage,
    /// The `CheckValue` is empty or not base64.
    BadCheckValue,
}

/// One `Reference` of a signature and what was found for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceCheck {
    file_ref: String,
    outcome: ReferenceOutcome,
}

impl ReferenceCheck {
    /// The `FileRef` as written.
    pub fn file_ref(&self) -> &str {
        &self.file_ref
    }

    /// What was found.
    pub fn outcome(&self) -> &ReferenceOutcome {
        &self.outcome
    }
}

/// The `references` check line, the per-file outcomes and the deviations seen.
pub(crate) struct References {
    pub(crate) check: Check,
    pub(crate) files: Vec<ReferenceCheck>,
    pub(crate) warnings: Vec<Warning>,
}

/// Hashes every referenced file of the Signature.xml at `part` and compares. `signer` is the
/// signer's public key, needed only for [`CheckMethod::Sm3WithZ`].
pub(crate) fn check_references(
    package: &Package,
    part: &str,
    xml: &SignatureXml,
    signer: Option<&PublicKey>,
) -> References {
    let mut warnings = Vec::new();
    let not_checked = |detail: String, warnings: Vec<Warning>| References {
        check: Check::not_checked(CheckName::References, detail),
        files: Vec::new(),
        warnings,
    };
    let Some(written) = xml.check_method.as_deref() else {
        return not_checked(
            "References has no CheckMethod, so the digest algorithm is unknown".into(),
            warnings,
        );
    };
    let Some(method) = CheckMethod::from_name(written) else {
        return not_checked(
            format!("CheckMethod {written} is not supported (only SM3)"),
            warnings,
        );
    };
    let z = match method {
        CheckMethod::Sm3 => {
            if written != SM3_OID {
                warnings.push(Warning::new(
                    Deviation::OfdXmlVariation,
                    format!("CheckMethod is written \"{written}\" instead of the OID {SM3_OID}"),
                ));
            }
            None
        }
        CheckMethod::Sm3WithZ => {
            let Some(key) = signer else {
                return not_checked(
                    format!(
                        "CheckMethod {SM3_WITH_Z_OID} hashes with the signer's Z, and the signer's key could not be read"
                    ),
                    warnings,
                );
            };
            warnings.push(Warning::new(
                Deviation::DigestWithZ,
                format!("CheckMethod {SM3_WITH_Z_OID}: every reference digest is SM3(Z ‖ file) with the signer's Z (ID 1234567812345678)"),
            ));
            Some(key.z(&DistId::DEFAULT))
        }
    };
    if xml.references.is_empty() {
        return References {
            check: Check::fail(
                CheckName::References,
                "the signature lists no references, so it protects no file of the document",
            ),
            files: Vec::new(),
            warnings,
        };
    }
    let files: Vec<ReferenceCheck> = xml
        .references
        .iter()
        .map(|reference| ReferenceCheck {
            file_ref: reference.file_ref.clone(),
            outcome: outcome(
                package,
                part,
                &reference.file_ref,
                &reference.check_value,
                z.as_ref(),
            ),
        })
        .collect();
    if !files
        .iter()
        .any(|f| f.file_ref.trim_start_matches('/') == "OFD.xml")
    {
        warnings.push(Warning::new(
            Deviation::OfdXmlVariation,
            "the references do not include /OFD.xml, so the choice of document root is not protected",
        ));
    }
    References {
        check: summary(&files, method),
        files,
        warnings,
    }
}

fn outcome(
    package: &Package,
    part: &str,
    file_ref: &str,
    check_value: &str,
    z: Option<&crate::sm3::Digest>,
) -> ReferenceOutcome {
    let compact: String = check_value.split_whitespace().collect();
    let Ok(expected) = Base64::decode_vec(&compact) else {
        return ReferenceOutcome::BadCheckValue;
    };
    if expected.is_empty() {
        return ReferenceOutcome::BadCheckValue;
    }
    let bytes = match package.locate(part, file_ref) {
        Ok(located) => located.bytes,
        Err(OfdError::PathEscapesPackage { .. }) => return ReferenceOutcome::OutsidePackage,
        Err(_) => return ReferenceOutcome::Missing,
    };
    let computed = match z {
        Some(z) => {
            let mut hasher = crate::sm3::Hasher::new();
            hasher.update(z);
            hasher.update(bytes);
            hasher.finalize()
        }
        None => crate::sm3::hash(bytes),
    };
    if computed.as_slice() == expected.as_slice() {
        ReferenceOutcome::Match
    } else {
        ReferenceOutcome::DigestDiffers {
            computed: Base64::encode_string(&computed),
        }
    }
}

/// One line for all references: pass, or which ones failed and why.
fn summary(files: &[ReferenceCheck], method: CheckMethod) -> Check {
    let algorithm = match method {
        CheckMethod::Sm3 => "SM3",
        CheckMethod::Sm3WithZ => "SM3 with Z",
    };
    let failed: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let why = match &file.outcome {
                ReferenceOutcome::Match => return None,
                ReferenceOutcome::DigestDiffers { .. } => "digest differs",
                ReferenceOutcome::Missing => "missing from the package",
                ReferenceOutcome::OutsidePackage => "path leads outside the package",
                ReferenceOutcome::BadCheckValue => "CheckValue is not base64",
            };
            Some(format!("{} ({why})", file.file_ref))
        })
        .collect();
    if failed.is_empty() {
        Check::pass(
            CheckName::References,
            format!(
                "all {} referenced files match their {algorithm} digests",
                files.len()
            ),
        )
    } else {
        Check::fail(
            CheckName::References,
            format!(
                "{} of {} references fail: {}",
                failed.len(),
                files.len(),
                failed.join(", ")
            ),
        )
    }
}
