//! Reading an OFD package (GB/T 33190 §7: a zip archive) into memory, within [`Limits`].

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::limits::RATIO_CHECK_FLOOR;
use super::{Limits, OfdError};

/// An OFD package read into memory: every file entry, by its package path.
///
/// Reading checks the [`Limits`] before anything is decompressed (entry count, declared sizes,
/// compression ratio) and again while decompressing (no entry may grow past its declared
/// size), rejects entry names that could escape the package (`..`, absolute paths) and
/// names that appear twice (a viewer and a verifier could then see different files).
///
/// ```
/// use smtrust::ofd::{OfdError, Package};
///
/// let err = Package::from_bytes(b"not a zip").unwrap_err();
/// assert!(matches!(err, OfdError::Zip { .. }));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Package {
    parts: BTreeMap<String, Vec<u8>>,
}

impl core::fmt::Debug for Package {
    /// The part names and sizes, not their bytes.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map()
            .entries(self.parts.iter().map(|(name, data)| (name, data.len())))
            .finish()
    }
}

impl Package {
    /// Reads a package with the default [`Limits`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OfdError> {
        Self::from_bytes_with_limits(bytes, &Limits::default())
    }

    /// Reads a package, enforcing `limits`.
    pub fn from_bytes_with_limits(bytes: &[u8], limits: &Limits) -> Result<Self, OfdError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
        if archive.len() > limits.entries() {
            return Err(OfdError::TooManyEntries {
                count: archive.len(),
                limit: limits.entries(),
            });
        }
        reject_duplicate_names(bytes, &archive)?;
        let mut parts = BTreeMap::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let name = archive.name_for_index(index).unwrap_or_default().to_owned();
            check_entry_name(&name)?;
            let mut file = archive.by_index(index).map_err(|error| match error {
                zip::result::ZipError::UnsupportedArchive(
                    zip::result::ZipError::PASSWORD_REQUIRED,
                ) => OfdError::EncryptedEntry { name: name.clone() },
                other => other.into(),
            })?;
            let size = file.size();
            check_sizes(&name, size, file.compressed_size(), &mut total, limits)?;
            if file.is_dir() {
                continue;
            }
            // The declared size is within max_entry_size; do not trust it further than that.
            let mut data = Vec::with_capacity(usize::try_from(size.min(1 << 20)).unwrap_or(0));
            file.by_ref()
                .take(size.saturating_add(1))
                .read_to_end(&mut data)
                .map_err(|error| OfdError::Zip {
                    reason: format!("{name}: {error}"),
                })?;
            if u64::try_from(data.len()).unwrap_or(u64::MAX) > size {
                return Err(OfdError::EntryLargerThanDeclared {
                    name,
                    declared: size,
                });
            }
            parts.insert(name, data);
        }
        Ok(Self { parts })
    }

    /// Builds a package from files already extracted, `(package path, bytes)`, with the same
    /// name checks and the same count and size limits as reading a zip (there is no
    /// compression ratio to check). Useful to verify a package assembled in memory, or one
    /// part replaced.
    ///
    /// ```
    /// use smtrust::ofd::{Limits, OfdError, Package};
    ///
    /// let parts = [("OFD.xml".to_owned(), b"<ofd:OFD/>".to_vec())];
    /// let package = Package::from_parts(parts, &Limits::default())?;
    /// assert_eq!(package.part("/OFD.xml"), Some(&b"<ofd:OFD/>"[..]));
    /// # Ok::<(), OfdError>(())
    /// ```
    pub fn from_parts<I>(parts: I, limits: &Limits) -> Result<Self, OfdError>
    where
        I: IntoIterator<Item = (String, Vec<u8>)>,
    {
        let mut map = BTreeMap::new();
        let mut total: u64 = 0;
        for (name, data) in parts {
            if map.len() >= limits.entries() {
                return Err(OfdError::TooManyEntries {
                    count: map.len() + 1,
                    limit: limits.entries(),
                });
            }
            check_entry_name(&name)?;
            let size = u64::try_from(data.len()).unwrap_or(u64::MAX);
            check_sizes(&name, size, size, &mut total, limits)?;
            if map.contains_key(&name) {
                return Err(OfdError::DuplicateEntry { name });
            }
            map.insert(name, data);
        }
        Ok(Self { parts: map })
    }

    /// Every part, `(package path, bytes)`, in byte order of the paths.
    pub fn parts(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.parts
            .iter()
            .map(|(name, data)| (name.as_str(), data.as_slice()))
    }

    /// The bytes of the part at `path` (with or without the leading `/` of an absolute OFD
    /// path), if the package has it.
    pub fn part(&self, path: &str) -> Option<&[u8]> {
        self.parts
            .get(path.strip_prefix('/').unwrap_or(path))
            .map(Vec::as_slice)
    }

    /// The part at `path`, or [`OfdError::MissingPart`].
    pub(crate) fn require(&self, path: &str) -> Result<&[u8], OfdError> {
        self.part(path).ok_or_else(|| OfdError::MissingPart {
            path: path.to_owned(),
        })
    }
}

/// Rejects names that could write outside a target directory if the package were
/// extracted, and names no OFD writer produces.
fn check_entry_name(name: &str) -> Result<(), OfdError> {
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if name.contains('\0') {
        Some("it contains a NUL byte")
    } else if name.contains('\\') {
        Some("it contains a backslash")
    } else if name.starts_with('/') {
        Some("it is an absolute path")
    } else if name.as_bytes().get(1) == Some(&b':') {
        Some("it names a drive")
    } else if name.split('/').any(|segment| segment == "..") {
        Some("it climbs out of the package with ..")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(OfdError::UnsafeEntryName {
            name: name.to_owned(),
            reason,
        }),
        None => Ok(()),
    }
}

/// The declared sizes against the limits, before anything is decompressed.
fn check_sizes(
    name: &str,
    size: u64,
    compressed: u64,
    total: &mut u64,
    limits: &Limits,
) -> Result<(), OfdError> {
    if size > limits.entry_size() {
        return Err(OfdError::EntryTooLarge {
            name: name.to_owned(),
            size,
            limit: limits.entry_size(),
        });
    }
    *total = total.saturating_add(size);
    if *total > limits.total_size() {
        return Err(OfdError::PackageTooLarge {
            total: *total,
            limit: limits.total_size(),
        });
    }
    let ratio = size / compressed.max(1);
    if size >= RATIO_CHECK_FLOOR && ratio > limits.ratio() {
        return Err(OfdError::CompressionRatioTooHigh {
            name: name.to_owned(),
            ratio,
            size,
            compressed,
            limit: limits.ratio(),
        });
    }
    Ok(())
}

/// The zip reader keeps one entry per name, silently dropping earlier ones with the same
/// name; walk the central directory (APPNOTE 4.3.12) to find such duplicates.
fn reject_duplicate_names(
    bytes: &[u8],
    archive: &zip::ZipArchive<Cursor<&[u8]>>,
) -> Result<(), OfdError> {
    const HEADER: [u8; 4] = [b'P', b'K', 1, 2];
    const FIXED: usize = 46;
    let mut names = std::collections::BTreeSet::new();
    let mut at = usize::try_from(archive.central_directory_start()).unwrap_or(usize::MAX);
    while let Some(fixed) = bytes.get(at..at.saturating_add(FIXED)) {
        if fixed.get(..4) != Some(&HEADER[..]) {
            break;
        }
        let field = |offset: usize| {
            let low = fixed.get(offset).copied().unwrap_or(0);
            let high = fixed.get(offset + 1).copied().unwrap_or(0);
            usize::from(u16::from_le_bytes([low, high]))
        };
        let name_start = at + FIXED;
        let name_end = name_start + field(28);
        let Some(name) = bytes.get(name_start..name_end) else {
            break;
        };
        if !names.insert(name) {
            return Err(OfdError::DuplicateEntry {
                name: String::from_utf8_lossy(name).into_owned(),
            });
        }
        at = name_end + field(30) + field(32);
    }
    Ok(())
}
