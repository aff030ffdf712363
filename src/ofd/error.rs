//! The error type of OFD package reading and verification.

/// Why an OFD package could not be read, or why one of its signatures could not be examined.
///
/// Errors about the package as a whole (the zip, its limits, `OFD.xml`, the signature lists)
/// are returned by [`Package::from_bytes`](super::Package::from_bytes) and
/// [`Package::signatures`](super::Package::signatures); errors about one signature's files
/// become a failed check in that signature's report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfdError {
    /// The bytes are not a readable zip archive (no end of central directory, a broken
    /// header, an unsupported compression method, a bad CRC …).
    #[error("the OFD package is not a readable zip archive: {reason}")]
    Zip {
        /// What the zip reader rejected.
        reason: String,
    },
    /// The package has more entries than [`Limits::max_entries`](super::Limits::max_entries).
    #[error(
        "the OFD package has {count} entries; at most {limit} are accepted (limit max_entries)"
    )]
    TooManyEntries {
        /// The number of entries in the central directory.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// One entry is larger, uncompressed, than
    /// [`Limits::max_entry_size`](super::Limits::max_entry_size).
    #[error(
        "the entry {name} is {size} bytes uncompressed; at most {limit} are accepted (limit max_entry_size)"
    )]
    EntryTooLarge {
        /// The entry name.
        name: String,
        /// Its uncompressed size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// All entries together are larger, uncompressed, than
    /// [`Limits::max_total_size`](super::Limits::max_total_size).
    #[error(
        "the OFD package holds more than {limit} bytes uncompressed (limit max_total_size; {total} bytes declared so far)"
    )]
    PackageTooLarge {
        /// The uncompressed bytes counted when the limit was passed.
        total: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// An entry expands more than [`Limits::max_ratio`](super::Limits::max_ratio) times:
    /// the signature of a zip bomb.
    #[error(
        "the entry {name} expands {ratio} times ({size} bytes from {compressed}); at most {limit} times is accepted (limit max_ratio)"
    )]
    CompressionRatioTooHigh {
        /// The entry name.
        name: String,
        /// Uncompressed size divided by compressed size, rounded down.
        ratio: u64,
        /// Its uncompressed size in bytes.
        size: u64,
        /// Its compressed size in bytes.
        compressed: u64,
        /// The limit.
        limit: u64,
    },
    /// An entry decompresses to more bytes than its header declares.
    #[error("the entry {name} holds more than the {declared} bytes its header declares")]
    EntryLargerThanDeclared {
        /// The entry name.
        name: String,
        /// The uncompressed size in the central directory.
        declared: u64,
    },
    /// An entry name that could point outside the package when extracted (`..`, an absolute
    /// path, a drive letter, a backslash, a NUL byte) or that is empty.
    #[error("the entry name {name:?} is unsafe: {reason}")]
    UnsafeEntryName {
        /// The name as stored.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two entries have the same name, so two readers could see different files.
    #[error("the OFD package has two entries named {name}")]
    DuplicateEntry {
        /// The entry name.
        name: String,
    },
    /// An entry is encrypted; OFD packages are not.
    #[error("the entry {name} is encrypted")]
    EncryptedEntry {
        /// The entry name.
        name: String,
    },
    /// A part the package or a signature refers to is not in the package.
    #[error("the OFD package has no part {path}")]
    MissingPart {
        /// The package path looked for (no leading `/`).
        path: String,
    },
    /// A path in the package's XML climbs above the package root with `..`.
    #[error("the path {path} leads outside the OFD package")]
    PathEscapesPackage {
        /// The path as written.
        path: String,
    },
    /// An XML part is not well-formed, or is not UTF-8.
    #[error("the XML part {part} is malformed: {reason}")]
    Xml {
        /// The package path of the part.
        part: String,
        /// What the XML reader rejected.
        reason: String,
    },
    /// An XML part nests elements deeper than [`MAX_XML_DEPTH`](super::MAX_XML_DEPTH) or
    /// has more than [`MAX_XML_ELEMENTS`](super::MAX_XML_ELEMENTS) elements.
    #[error("the XML part {part} has more than {limit} {what}")]
    XmlTooLarge {
        /// The package path of the part.
        part: String,
        /// "levels of nesting" or "elements".
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// An XML part lacks an element GB/T 33190 requires, or its root is another element.
    #[error("the XML part {part} has no {element} element")]
    MissingElement {
        /// The package path of the part.
        part: String,
        /// The element (local name, path from the root).
        element: &'static str,
    },
    /// An element lacks a required attribute.
    #[error("an {element} element in {part} has no {attribute} attribute")]
    MissingAttribute {
        /// The package path of the part.
        part: String,
        /// The element's local name.
        element: &'static str,
        /// The attribute.
        attribute: &'static str,
    },
    /// The package lists no signatures (no `Signatures` entry in any `DocBody`, or an empty
    /// Signatures.xml).
    #[error("the OFD package carries no signatures")]
    Unsigned,
    /// More signatures, or more references in one signature, than this module looks at.
    #[error("the OFD package has more than {limit} {what}")]
    TooMany {
        /// "signatures" or "references in one signature".
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}

impl From<zip::result::ZipError> for OfdError {
    fn from(error: zip::result::ZipError) -> Self {
        Self::Zip {
            reason: error.to_string(),
        }
    }
}
