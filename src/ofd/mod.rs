//! OFD documents (GB/T 33190) and their signatures: read a package safely, find its
//! signatures, and verify each one with a report a person can act on.
//!
//! | what | items |
//! | --- | --- |
//! | read a package (a zip) within bounds | [`Package::from_bytes`], [`Limits`] → [`Package`] or [`OfdError`] |
//! | list its signatures | [`Package::signatures`] → [`SignatureEntry`] ([`SignatureKind`]) |
//! | verify them | [`Package::verify`], [`VerifyOptions`] → [`PackageReport`] of [`SignatureReport`]s |
//! | per-file digest outcomes | [`ReferenceCheck`], [`ReferenceOutcome`], [`CheckMethod`] |
//!
//! **How an OFD carries signatures** (SEAL-SPEC §7). `OFD.xml` → `DocBody/Signatures` names a
//! Signatures.xml listing each signature's `ID`, `Type` (`Seal` by default, or `Sign`) and
//! `BaseLoc`, the location of its Signature.xml. That file lists `References`, the digest of
//! every protected file (`CheckValue`, base64), and names the `SignedValue`. A seal signature's
//! SignedValue is a `SES_Signature` whose `dataHash` is SM3 of the whole Signature.xml; a
//! digital signature's is a CMS SignedData over Signature.xml. So the signature covers the
//! XML, and the XML covers every listed file.
//!
//! **What each signature's report holds.** The checks of [`crate::seal::Report`]:
//! `structure`, for seal signatures the seal's `seal_maker_signature`, `seal_maker_chain`,
//! `seal_validity` and `signer_listed_in_seal`, then `signature`, `data_hash`,
//! `signer_chain`, `timestamp`, and last `references`, whose detail names every reference
//! that failed ([`SignatureReport::references`] has them one by one).
//!
//! **Tolerated variations** (SEAL-SPEC D17, reported as warnings where they deviate from
//! GB/T 33190): the `ofd:` prefix bound to either namespace URI or no prefix at all;
//! Signatures.xml at `Doc_0/Signs/` or `Doc_0/`; absolute and relative locations, a relative
//! one found from the package root; `SignedValue` before `SignedInfo`; Provider as child
//! elements; `CheckMethod` written `SM3`; `1.2.156.10197.1.401.2`, SM3 with the signer's Z
//! (D14); `MaxSignId` values like `s4` (not interpreted); `Type` left out.
//!
//! Not read: XML parts in an encoding other than UTF-8 (none seen; they fail with
//! [`OfdError::Xml`]), and a Signatures.xml that `OFD.xml` does not name (a reader would not
//! show those signatures either).
//!
//! **Limits.** A package is attacker-supplied: [`Limits`] bounds entry count, entry and total
//! uncompressed size and compression ratio, each with its own error; entry names with `..`,
//! absolute paths and duplicate names are refused; XML parts are bounded by
//! [`MAX_XML_DEPTH`] and [`MAX_XML_ELEMENTS`], signatures by [`MAX_SIGNATURES`] and references
//! by [`MAX_REFERENCES`].
//!
//! ```
//! use smtrust::ofd::{Package, VerifyOptions};
//! use smtrust::seal::Verdict;
//!
//! let bytes = std::fs::read("test-vectors/seals/ofdrw_SignScaleError.ofd")?;
//! let package = Package::from_bytes(&bytes)?;
//! let report = package.verify(&VerifyOptions::new())?;
//! for signature in report.signatures() {
//!     println!("{} {}", signature.id(), signature.verdict());
//! }
//! assert_eq!(report.verdict(), Verdict::Indeterminate); // no trust anchor given
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod digital;
mod error;
mod limits;
mod options;
mod package;
mod path;
mod references;
mod report;
mod seal_signature;
mod signature_xml;
mod signatures;
mod verify;
mod xml;

pub use error::OfdError;
pub use limits::{Limits, RATIO_CHECK_FLOOR};
pub use options::VerifyOptions;
pub use package::Package;
pub use references::{CheckMethod, ReferenceCheck, ReferenceOutcome};
pub use report::{PackageReport, SignatureReport};
pub use signature_xml::MAX_REFERENCES;
pub use signatures::{MAX_SIGNATURES, SignatureEntry, SignatureKind};
pub use xml::{MAX_XML_DEPTH, MAX_XML_ELEMENTS};
