//! The chain of a serial's entries: each entry links to the serial's previous one, so the
//! newest entry vouches for every earlier one.

use super::history::ProvenEntry;
use super::{Error, Link, SM3};

/// Checks that `entries` (one serial's, in increasing leaf order, each already proved
/// included) are a whole chain: the first links to nothing, every other one to the entry
/// before it. Names the first link that fails.
pub(super) fn check_chain(entries: &[ProvenEntry]) -> Result<(), Error> {
    let mut previous: Option<Link> = None;
    for proven in entries {
        let index = proven.index();
        let found = proven.entry().previous();
        if let Some(found) = found
            && found.leaf() < index
            && previous.is_none_or(|shown| found.leaf() > shown.leaf())
        {
            return Err(Error::LinkMissing {
                index,
                previous: found.leaf(),
            });
        }
        check_link(index, previous.as_ref(), found)?;
        previous = Some(Link::new(index, SM3.hash_leaf(proven.der())));
    }
    Ok(())
}

/// Checks one entry's link against the serial's previous entry as the whole log shows it
/// (`expected`); for [`verify_store`](super::verify::verify_store), which sees every leaf.
pub(super) fn check_link(
    index: u64,
    expected: Option<&Link>,
    found: Option<&Link>,
) -> Result<(), Error> {
    match (expected, found) {
        (None, None) => Ok(()),
        (Some(expected), Some(found)) if found.leaf() == expected.leaf() => {
            if found.leaf_hash() == expected.leaf_hash() {
                Ok(())
            } else {
                Err(Error::LinkHashMismatch {
                    index,
                    previous: found.leaf(),
                })
            }
        }
        (expected, found) => Err(Error::LinkMismatch {
            index,
            expected: expected.map(Link::leaf),
            found: found.map(Link::leaf),
        }),
    }
}
