//! Finding the signatures of a package: `OFD.xml` → `DocBody/Signatures` → the
//! Signatures.xml list (GB/T 33190 §7.4 and §18.1).

use super::path::resolve;
use super::xml::Element;
use super::{OfdError, Package};

/// The most signatures looked at in one package; each costs several SM2 verifications.
pub const MAX_SIGNATURES: usize = 256;

/// What a signature entry declares itself to be (`Signature/@Type` in Signatures.xml).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureKind {
    /// An electronic seal signature (`Seal`, the default when `Type` is absent): the
    /// SignedValue is a GB/T 38540 / GM/T 0031 `SES_Signature`.
    Seal,
    /// A plain digital signature (`Sign`): the SignedValue is a GB/T 35275 / GM/T 0010 CMS
    /// SignedData (or, from ofdrw 1.2, a bare SM2 signature).
    Sign,
    /// Any other `Type` value, as written.
    Other(String),
}

impl SignatureKind {
    fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            None | Some("Seal") => Self::Seal,
            Some("Sign") => Self::Sign,
            Some(other) => Self::Other(other.to_owned()),
        }
    }
}

/// One `Signature` entry of a Signatures.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureEntry {
    id: String,
    kind: SignatureKind,
    type_given: bool,
    list: String,
    base_loc: String,
}

impl SignatureEntry {
    /// The `ID` attribute.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The declared kind.
    pub fn kind(&self) -> &SignatureKind {
        &self.kind
    }

    /// Whether `Type` was written (it is often left out for seal signatures, SEAL-SPEC D17).
    pub fn type_given(&self) -> bool {
        self.type_given
    }

    /// The package path of the Signatures.xml that lists this entry.
    pub fn list(&self) -> &str {
        &self.list
    }

    /// `BaseLoc` as written: the location of this signature's Signature.xml.
    pub fn base_loc(&self) -> &str {
        &self.base_loc
    }
}

impl Package {
    /// The signature entries of every document of the package, in document and list order.
    ///
    /// Follows `OFD.xml` → each `DocBody/Signatures` (absolute, or relative to the package
    /// root) to its Signatures.xml, wherever the writer put it (`Doc_0/Signs/Signatures.xml`,
    /// `Doc_0/Signatures.xml` in dms360 files, SEAL-SPEC D17). `MaxSignId` is not
    /// interpreted (real files write `2` and `s4`).
    pub fn signatures(&self) -> Result<Vec<SignatureEntry>, OfdError> {
        const ROOT: &str = "OFD.xml";
        let ofd = Element::parse(ROOT, self.require(ROOT)?)?;
        if ofd.name() != "OFD" {
            return Err(OfdError::MissingElement {
                part: ROOT.to_owned(),
                element: "OFD",
            });
        }
        let mut entries = Vec::new();
        for body in ofd.children_named("DocBody") {
            let Some(location) = body.child_text("Signatures") else {
                continue;
            };
            let list = resolve(ROOT, location)?;
            read_list(self, &list, &mut entries)?;
        }
        if entries.is_empty() {
            return Err(OfdError::Unsigned);
        }
        Ok(entries)
    }
}

fn read_list(
    package: &Package,
    list: &str,
    entries: &mut Vec<SignatureEntry>,
) -> Result<(), OfdError> {
    let root = Element::parse(list, package.require(list)?)?;
    if root.name() != "Signatures" {
        return Err(OfdError::MissingElement {
            part: list.to_owned(),
            element: "Signatures",
        });
    }
    for signature in root.children_named("Signature") {
        if entries.len() >= MAX_SIGNATURES {
            return Err(OfdError::TooMany {
                what: "signatures",
                limit: MAX_SIGNATURES,
            });
        }
        let base_loc =
            signature
                .attribute("BaseLoc")
                .ok_or_else(|| OfdError::MissingAttribute {
                    part: list.to_owned(),
                    element: "Signature",
                    attribute: "BaseLoc",
                })?;
        let kind = signature.attribute("Type");
        entries.push(SignatureEntry {
            id: signature.attribute("ID").unwrap_or_default().to_owned(),
            kind: SignatureKind::parse(kind),
            type_given: kind.is_some(),
            list: list.to_owned(),
            base_loc: base_loc.to_owned(),
        });
    }
    Ok(())
}
