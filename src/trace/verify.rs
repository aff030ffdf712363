//! Checking a whole stored log from scratch, and saying where it was altered.

use std::collections::HashMap;

use super::chain::check_link;
use super::{
    Entry, Error, Link, LogVerifier, MemoryHashes, SM3, Store, VerifiedCheckpoint,
    stored_hash_count, stored_hash_index, tree_hash,
};

/// How many entries are read per query while verifying.
const CHUNK: usize = 4096;

/// Checks the whole log in `store` from scratch, as an auditor does, with the log's key:
/// recomputes the log from its entries and compares every stored hash, every checkpoint
/// (signature and root, and that its timestamp token, if any, stamps it), the serial index
/// and every entry's link to its serial's previous entry. Returns the latest checkpoint, or says where the store was altered.
///
/// Needs no signing key, so it checks a store whose key is only known publicly (see
/// [`LogVerifier::recorded_in`]); [`Ledger::verify`](super::Ledger::verify) calls it.
pub fn verify_log<S: Store>(
    store: &S,
    verifier: &LogVerifier,
) -> Result<VerifiedCheckpoint, Error> {
    let sizes = store.checkpoint_sizes()?;
    let mut checkpoints = Vec::with_capacity(sizes.len());
    for &size in &sizes {
        let note = store
            .checkpoint(size)?
            .ok_or(Error::CheckpointNotStored { size })?;
        let checkpoint = verifier.verify(&note)?;
        if checkpoint.size() != size {
            return Err(Error::CheckpointMalformed {
                reason: "a stored checkpoint is filed under another size than it signs",
            });
        }
        if let Some(token) = store.checkpoint_token(size)? {
            let _ = super::timestamp::parse_for_note(checkpoint.note(), size, &token)?;
        }
        checkpoints.push(checkpoint);
    }
    let latest = checkpoints.last().cloned().ok_or(Error::NoCheckpoint)?;
    let mut rebuilt = MemoryHashes::new(&SM3);
    // Links are checked as the entries go by, but a broken link is reported only once the
    // hashes and signed roots are found intact: an altered store is named by the hash or root
    // it contradicts, a log signed with broken links by its first broken link.
    let mut newest: HashMap<String, Link> = HashMap::new();
    let mut broken_link = None;
    let mut pending_checkpoints = checkpoints.iter().peekable();
    loop {
        // Checkpoints at the size reached so far must sign the rebuilt root.
        while let Some(checkpoint) = pending_checkpoints.next_if(|c| c.size() <= rebuilt.size()) {
            let computed = tree_hash(&SM3, checkpoint.size(), &rebuilt)?;
            if &computed != checkpoint.root() {
                return Err(Error::CheckpointRootMismatch {
                    size: checkpoint.size(),
                    signed: *checkpoint.root(),
                    computed,
                });
            }
        }
        let rows = store.entries(rebuilt.size(), CHUNK)?;
        if rows.is_empty() {
            break;
        }
        let first_position = stored_hash_count(rebuilt.size())?;
        for (leaf, stored) in rows {
            let expected = rebuilt.size();
            if leaf != expected {
                return Err(missing_or_beyond(expected, latest.size(), leaf));
            }
            if leaf >= latest.size() {
                return Err(Error::EntryBeyondCheckpoint {
                    index: leaf,
                    size: latest.size(),
                });
            }
            check_leaf(store, leaf, &stored.der)?;
            let _ = rebuilt.append(&stored.der)?;
            let entry = Entry::from_der(&stored.der).map_err(|err| Error::LeafInvalid {
                index: leaf,
                source: Box::new(err),
            })?;
            if entry.serial() != stored.serial {
                return Err(Error::SerialIndexMismatch {
                    index: leaf,
                    indexed: stored.serial,
                    entry: entry.serial().to_owned(),
                });
            }
            if broken_link.is_none() {
                broken_link = check_link(leaf, newest.get(&stored.serial), entry.previous()).err();
            }
            let _ = newest.insert(stored.serial, Link::new(leaf, SM3.hash_leaf(&stored.der)));
        }
        check_stored_hashes(store, &rebuilt, first_position)?;
    }
    if rebuilt.size() < latest.size() {
        return Err(Error::EntryMissing {
            index: rebuilt.size(),
        });
    }
    let expected = stored_hash_count(latest.size())?;
    let found = store.hash_count()?;
    if found != expected {
        return Err(Error::StoredHashCount { expected, found });
    }
    match broken_link {
        Some(err) => Err(err),
        None => Ok(latest),
    }
}

fn missing_or_beyond(expected: u64, size: u64, found: u64) -> Error {
    if expected < size {
        Error::EntryMissing { index: expected }
    } else {
        Error::EntryBeyondCheckpoint { index: found, size }
    }
}

/// Compares the hash of a stored entry with its stored leaf hash.
fn check_leaf<S: Store>(store: &S, leaf: u64, der: &[u8]) -> Result<(), Error> {
    let position = stored_hash_index(0, leaf)?;
    let stored =
        store
            .read_hashes(&[position])?
            .into_iter()
            .next()
            .ok_or(Error::HashNotStored {
                index: position,
                stored: 0,
            })?;
    let computed = SM3.hash_leaf(der);
    if computed != stored {
        return Err(Error::LeafHashMismatch {
            index: leaf,
            computed,
            stored,
        });
    }
    Ok(())
}

/// Compares the rebuilt hashes from `first` on with the stored ones.
fn check_stored_hashes<S: Store>(
    store: &S,
    rebuilt: &MemoryHashes,
    first: u64,
) -> Result<(), Error> {
    let start = usize::try_from(first).unwrap_or(usize::MAX);
    let computed = rebuilt.stored().get(start..).unwrap_or(&[]);
    let positions: Vec<u64> = (first..).take(computed.len()).collect();
    let stored = store.read_hashes(&positions)?;
    for ((position, computed), stored) in positions.into_iter().zip(computed).zip(stored) {
        if *computed != stored {
            return Err(Error::StoredHashMismatch {
                position,
                computed: *computed,
                stored,
            });
        }
    }
    Ok(())
}
