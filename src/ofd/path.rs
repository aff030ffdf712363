//! OFD locations (GB/T 33190 `ST_Loc`): an absolute path starts at the package root, a
//! relative one at the directory of the part that contains it.

use super::{OfdError, Package};

/// A part found from a location written in another part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located<'a> {
    /// The package path (no leading `/`).
    pub(crate) path: String,
    /// The part's bytes.
    pub(crate) bytes: &'a [u8],
    /// The location was relative, missed from the referring part's directory and was found
    /// from the package root instead (a writer that treats every path as root-relative).
    pub(crate) from_root: bool,
}

/// The package path `location` names when written in the part `referrer`: `.` and `..`
/// segments are resolved, `\` is read as `/`, and climbing above the root is an error.
pub(crate) fn resolve(referrer: &str, location: &str) -> Result<String, OfdError> {
    let location = location.trim();
    let normalized = location.replace('\\', "/");
    let (base, rest) = match normalized.strip_prefix('/') {
        Some(absolute) => ("", absolute),
        None => (directory(referrer), normalized.as_str()),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in base.split('/').chain(rest.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err(OfdError::PathEscapesPackage {
                        path: location.to_owned(),
                    });
                }
            }
            name => segments.push(name),
        }
    }
    Ok(segments.join("/"))
}

/// The directory of a package path (`Doc_0/Signs` for `Doc_0/Signs/Signatures.xml`).
pub(crate) fn directory(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(directory, _)| directory)
}

impl Package {
    /// The part `location` names when written in `referrer`; a relative location that is not
    /// found there is looked for from the package root (SEAL-SPEC D17: BaseLoc variations).
    pub(crate) fn locate(&self, referrer: &str, location: &str) -> Result<Located<'_>, OfdError> {
        let path = resolve(referrer, location)?;
        if let Some(bytes) = self.part(&path) {
            return Ok(Located {
                path,
                bytes,
                from_root: false,
            });
        }
        let from_root = resolve("", location)?;
        match self.part(&from_root) {
            Some(bytes) if from_root != path => Ok(Located {
                path: from_root,
                bytes,
                from_root: true,
            }),
            _ => Err(OfdError::MissingPart { path }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_and_relative_locations() {
        let cases = [
            (
                "OFD.xml",
                "Doc_0/Signs/Signatures.xml",
                "Doc_0/Signs/Signatures.xml",
            ),
            ("OFD.xml", "/Doc_0/Signatures.xml", "Doc_0/Signatures.xml"),
            (
                "Doc_0/Signs/Signatures.xml",
                "/Doc_0/Signs/Sign_0/Signature.xml",
                "Doc_0/Signs/Sign_0/Signature.xml",
            ),
            (
                "Doc_0/Signs/Sign_0/Signature.xml",
                "SignedValue.dat",
                "Doc_0/Signs/Sign_0/SignedValue.dat",
            ),
            (
                "Doc_0/Signs/Sign_0/Signature.xml",
                "./Seal.esl",
                "Doc_0/Signs/Sign_0/Seal.esl",
            ),
            (
                "Doc_0/Signs/Signatures.xml",
                "Sign_0\\Signature.xml",
                "Doc_0/Signs/Sign_0/Signature.xml",
            ),
            (
                "Doc_0/Signs/Signatures.xml",
                "../Document.xml",
                "Doc_0/Document.xml",
            ),
            ("Doc_0/Signs/Signatures.xml", " /OFD.xml ", "OFD.xml"),
        ];
        for (referrer, location, expected) in cases {
            assert_eq!(resolve(referrer, location).unwrap(), expected, "{location}");
        }
    }

    #[test]
    fn climbing_out_is_an_error() {
        for (referrer, location) in [
            ("OFD.xml", "../x"),
            ("Doc_0/a.xml", "/Doc_0/../../x"),
            ("a/b.xml", "../../x"),
        ] {
            assert_eq!(
                resolve(referrer, location).unwrap_err(),
                OfdError::PathEscapesPackage {
                    path: location.to_owned()
                }
            );
        }
    }
}
