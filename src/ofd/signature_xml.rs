//! Reading a Signature.xml (GB/T 33190 §18.2): what is signed (`SignedInfo`) and where the
//! signature value is (`SignedValue`).

use super::OfdError;
use super::xml::Element;

/// The most `Reference` entries read from one Signature.xml; real ones list 4–20 files.
pub const MAX_REFERENCES: usize = 10_000;

/// The parts of a Signature.xml that verification uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignatureXml {
    /// `SignedInfo/References/@CheckMethod` as written.
    pub(crate) check_method: Option<String>,
    /// `SignedInfo/References/Reference`, in order.
    pub(crate) references: Vec<ReferenceEntry>,
    /// `SignedInfo/Seal/BaseLoc`: where a copy of the seal is.
    pub(crate) seal_loc: Option<String>,
    /// `SignedValue`: where the signature value is.
    pub(crate) signed_value_loc: String,
    /// `SignedValue` comes before `SignedInfo` (ofdrw 1.2, D17).
    pub(crate) signed_value_first: bool,
    /// `SignedInfo/Provider` is written as child elements rather than attributes (dms360,
    /// D17).
    pub(crate) provider_as_elements: bool,
}

/// One `Reference`: a file and the base64 digest the signer computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReferenceEntry {
    pub(crate) file_ref: String,
    pub(crate) check_value: String,
}

impl SignatureXml {
    /// Parses the Signature.xml at package path `part`.
    pub(crate) fn parse(part: &str, bytes: &[u8]) -> Result<Self, OfdError> {
        let root = Element::parse(part, bytes)?;
        let missing = |element: &'static str| OfdError::MissingElement {
            part: part.to_owned(),
            element,
        };
        if root.name() != "Signature" {
            return Err(missing("Signature"));
        }
        let info = root
            .child("SignedInfo")
            .ok_or_else(|| missing("SignedInfo"))?;
        let signed_value_loc = root
            .child_text("SignedValue")
            .ok_or_else(|| missing("SignedValue"))?
            .to_owned();
        let signed_value_first = root
            .children()
            .position(|child| child.name() == "SignedValue")
            < root
                .children()
                .position(|child| child.name() == "SignedInfo");
        let provider_as_elements = info.child("Provider").is_some_and(|provider| {
            provider.attribute("ProviderName").is_none()
                && provider.child_text("ProviderName").is_some()
        });
        let references = info.child("References");
        let mut entries = Vec::new();
        for reference in references
            .iter()
            .flat_map(|r| r.children_named("Reference"))
        {
            if entries.len() >= MAX_REFERENCES {
                return Err(OfdError::TooMany {
                    what: "references in one signature",
                    limit: MAX_REFERENCES,
                });
            }
            let file_ref =
                reference
                    .attribute("FileRef")
                    .ok_or_else(|| OfdError::MissingAttribute {
                        part: part.to_owned(),
                        element: "Reference",
                        attribute: "FileRef",
                    })?;
            entries.push(ReferenceEntry {
                file_ref: file_ref.trim().to_owned(),
                check_value: reference
                    .child_text("CheckValue")
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
        Ok(Self {
            check_method: references
                .and_then(|r| r.attribute("CheckMethod"))
                .map(|m| m.trim().to_owned()),
            references: entries,
            seal_loc: info
                .child("Seal")
                .and_then(|seal| seal.child_text("BaseLoc"))
                .map(str::to_owned),
            signed_value_loc,
            signed_value_first,
            provider_as_elements,
        })
    }
}
