//! The completeness chain of `smtrust::trace` (each entry links to its serial's previous
//! entry), the log metadata, and group commit in the sequencer.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use smtrust::trace::{
    Actor, Batch, Checkpoint, Entry, EntryKind, Error, Event, Hash, HashReader, Ledger, Link,
    LogVerifier, MemoryHashes, MemoryStore, Role, SM3, SqliteStore, Store, hashes_to_store,
    tree_hash, verify_log,
};

use common::ledger::{LOG, at, decision_with, signer};

fn regulator() -> Actor {
    Actor::new(Role::Regulator, "samr-inspector-3")
}

/// A memory store that can hide one leaf from its serial index (`leaf_indexes` and
/// `last_leaf`), as a dishonest or broken store would; everything else passes through.
struct Hiding {
    inner: Arc<MemoryStore>,
    hidden: AtomicU64,
    appends: AtomicU64,
    delay: Duration,
}

impl Hiding {
    fn new(inner: Arc<MemoryStore>) -> Self {
        Self {
            inner,
            hidden: AtomicU64::new(u64::MAX),
            appends: AtomicU64::new(0),
            delay: Duration::ZERO,
        }
    }

    fn hide(&self, leaf: u64) {
        self.hidden.store(leaf, Ordering::SeqCst);
    }
}

impl HashReader for Hiding {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.inner.read_hashes(indexes)
    }
}

impl Store for Hiding {
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        std::thread::sleep(self.delay);
        let _ = self.appends.fetch_add(1, Ordering::SeqCst);
        self.inner.append(batch)
    }
    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        let hidden = self.hidden.load(Ordering::SeqCst);
        let mut leaves = self.inner.leaf_indexes(serial, size)?;
        leaves.retain(|&leaf| leaf != hidden);
        Ok(leaves)
    }
    common::ledger::forward_store_reads!();
}

/// Serial A at leaves 0, 2, 3 (1 and 4 are serial B), over batches of 2 and 3.
fn chained(store: Hiding) -> Ledger<Hiding> {
    let ledger = Ledger::open(store, signer()).unwrap();
    ledger
        .append_batch(&[
            decision_with("SH-A", at(), "r0"),
            decision_with("SH-B", at(), "r1"),
        ])
        .unwrap();
    ledger
        .append_batch(&[
            decision_with("SH-A", at(), "r2"),
            decision_with("SH-A", at(), "r3"),
            decision_with("SH-B", at(), "r4"),
        ])
        .unwrap();
    ledger
}

fn leaf_link(ledger: &Ledger<Hiding>, leaf: u64) -> Link {
    let der = ledger.store().entries_at(&[leaf]).unwrap().remove(0).der;
    Link::new(leaf, SM3.hash_leaf(&der))
}

/// Each entry links to its serial's previous one by leaf index and leaf hash, within a
/// batch and across batches; a serial's first entry links to none.
#[test]
fn entries_of_a_serial_form_a_chain() {
    let ledger = chained(Hiding::new(Arc::default()));
    let history = ledger.history("SH-A").unwrap();
    let links: Vec<(u64, Option<Link>)> = history
        .entries()
        .iter()
        .map(|e| (e.index(), e.entry().previous().copied()))
        .collect();
    assert_eq!(
        links,
        [
            (0, None),
            (2, Some(leaf_link(&ledger, 0))),
            (3, Some(leaf_link(&ledger, 2))),
        ]
    );
    let b = ledger.history("SH-B").unwrap();
    assert_eq!(
        b.entries()[1].entry().previous(),
        Some(&leaf_link(&ledger, 1))
    );
}

/// A reopened ledger (nothing remembered) links new entries from the store's serial index.
#[test]
fn a_reopened_ledger_links_from_the_store() {
    let memory = Arc::new(MemoryStore::new());
    drop(chained(Hiding::new(memory.clone())));
    let ledger = Ledger::open(Hiding::new(memory), signer()).unwrap();
    let committed = ledger.append(&decision_with("SH-A", at(), "r5")).unwrap();
    assert_eq!(committed.first_leaf(), 5);
    let history = ledger.history("SH-A").unwrap();
    assert_eq!(
        history.entries()[3].entry().previous(),
        Some(&leaf_link(&ledger, 3))
    );
    assert_eq!(ledger.verify().unwrap().size(), 6);
}

/// The Retrieved entry of a retrieval links to the serial's newest entry and ends the
/// history, whose chain is whole.
#[test]
fn retrieval_heads_the_chain() {
    let ledger = chained(Hiding::new(Arc::default()));
    let history = ledger
        .retrieve(&regulator(), "SH-A", "inspection", at())
        .unwrap();
    let head = history.entries().last().unwrap();
    assert_eq!(head.index(), 5);
    assert_eq!(head.entry().event().kind(), EntryKind::Retrieved);
    assert_eq!(head.entry().previous(), Some(&leaf_link(&ledger, 3)));
    let bundle = history.to_bundle(&[]).unwrap();
    let checked =
        smtrust::trace::EvidenceBundle::verify(bundle.to_der(), ledger.verifier()).unwrap();
    assert_eq!(checked.head().unwrap().index(), 5);
    assert_eq!(checked.entries().len(), 4);
}

/// A store that hides an entry of a serial from its index: the history's next entry names
/// the missing link, for the operator's history and for a regulator's retrieval.
#[test]
fn hidden_entry_is_named_by_the_next_link() {
    let ledger = chained(Hiding::new(Arc::default()));
    ledger.store().hide(2);
    assert_eq!(
        ledger.history("SH-A").unwrap_err(),
        Error::LinkMissing {
            index: 3,
            previous: 2
        }
    );
    // The sequencer remembers leaf 3 as serial A's newest entry, so the Retrieved entry
    // links to it; leaf 3's own link still names the hidden leaf 2.
    assert_eq!(
        ledger
            .retrieve(&regulator(), "SH-A", "inspection", at())
            .unwrap_err(),
        Error::LinkMissing {
            index: 3,
            previous: 2
        }
    );
    // Hiding the first entry is named at the second.
    ledger.store().hide(0);
    assert_eq!(
        ledger.history("SH-A").unwrap_err(),
        Error::LinkMissing {
            index: 2,
            previous: 0
        }
    );
}

/// A store that hides the newest entry of a serial from a freshly opened ledger gets a
/// Retrieved entry linked past it: the history looks whole, but the auditor's full check
/// finds the Retrieved entry's link skips the serial's newest entry.
#[test]
fn hiding_the_newest_entry_is_found_by_the_audit() {
    let memory = Arc::new(MemoryStore::new());
    drop(chained(Hiding::new(memory.clone())));
    let store = Hiding::new(memory);
    store.hide(3);
    let ledger = Ledger::open(store, signer()).unwrap();
    let history = ledger
        .retrieve(&regulator(), "SH-A", "inspection", at())
        .unwrap();
    let indexes: Vec<u64> = history.entries().iter().map(|e| e.index()).collect();
    assert_eq!(indexes, [0, 2, 5]);
    assert_eq!(
        ledger.verify().unwrap_err(),
        Error::LinkMismatch {
            index: 5,
            expected: Some(3),
            found: Some(2)
        }
    );
}

/// Writes `ders` (serial, DER) as the rows of a log into the SQLite file at `path`, with
/// correct hashes and a checkpoint signed by the log key: a log forged by whoever holds the
/// key, or written by a buggy sequencer. Only the links can be wrong.
fn forge(path: &std::path::Path, ders: &[(String, Vec<u8>)]) {
    drop(Ledger::open(SqliteStore::open(path).unwrap(), signer()).unwrap());
    let conn = Connection::open(path).unwrap();
    let mut log = MemoryHashes::new(&SM3);
    for (leaf, (serial, der)) in (0u64..).zip(ders) {
        let hashes: Vec<u8> = hashes_to_store(&SM3, leaf, der, &log)
            .unwrap()
            .iter()
            .flat_map(|h| h.as_bytes().to_vec())
            .collect();
        let _ = log.append(der).unwrap();
        let _ = conn
            .execute(
                "INSERT INTO entries (leaf, serial, der, hashes) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![leaf as i64, serial, der, hashes],
            )
            .unwrap();
    }
    let size = log.size();
    let root = tree_hash(&SM3, size, &log).unwrap();
    let note = signer()
        .sign(&Checkpoint::new(LOG, size, root).unwrap())
        .unwrap();
    let _ = conn
        .execute(
            "INSERT INTO checkpoints (size, note) VALUES (?1, ?2)",
            rusqlite::params![size as i64, note],
        )
        .unwrap();
}

/// Three entries of serial A: leaf 0 and 1 from a real ledger (1 links to 0), leaf 2
/// unlinked (it claims to be A's first), and a fourth linking to leaf 0 instead of 2.
fn forged_entries() -> Vec<(String, Vec<u8>)> {
    let ledger = Ledger::open(MemoryStore::new(), signer()).unwrap();
    ledger
        .append_batch(&[
            decision_with("SH-A", at(), "r0"),
            decision_with("SH-A", at(), "r1"),
        ])
        .unwrap();
    let real = ledger.store().entries(0, 2).unwrap();
    let mut ders: Vec<(String, Vec<u8>)> = real
        .into_iter()
        .map(|(_, stored)| (stored.serial, stored.der))
        .collect();
    ders.push((
        "SH-A".into(),
        decision_with("SH-A", at(), "r2").to_der().unwrap(),
    ));
    ders
}

/// Rows written directly into the SQLite file: the auditor's full check re-checks every
/// link against the serial index, and names an entry that claims to be its serial's first
/// while earlier ones exist, with the leaf the link should have named.
#[test]
fn verify_names_an_unlinked_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.db");
    forge(&path, &forged_entries());
    let verifier = signer().verifier().clone();
    assert_eq!(
        verify_log(&SqliteStore::open(&path).unwrap(), &verifier).unwrap_err(),
        Error::LinkMismatch {
            index: 2,
            expected: Some(1),
            found: None
        }
    );
}

/// A link that skips an entry, written into the SQLite file, is found by `Ledger::verify`
/// at the leaf.
#[test]
fn verify_names_a_skipping_link_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.db");
    let mut ders = forged_entries();
    // Leaf 2 becomes a copy of leaf 1 (which links to leaf 0), so it skips leaf 1.
    ders[2] = ders[1].clone();
    forge(&path, &ders);
    let ledger = Ledger::open(SqliteStore::open(&path).unwrap(), signer()).unwrap();
    assert_eq!(
        ledger.verify().unwrap_err(),
        Error::LinkMismatch {
            index: 2,
            expected: Some(1),
            found: Some(0)
        }
    );
}

/// Moving an entry out of its serial's index in the SQLite file: the history names the
/// missing link, and the full check names the row.
#[test]
fn entry_moved_out_of_the_serial_index_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    {
        let ledger = Ledger::open(SqliteStore::open(&path).unwrap(), signer()).unwrap();
        for rule in ["r0", "r1", "r2"] {
            let _ = ledger.append(&decision_with("SH-A", at(), rule)).unwrap();
        }
    }
    Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE entries SET serial = 'SH-Z' WHERE leaf = 1")
        .unwrap();
    let ledger = Ledger::open(SqliteStore::open(&path).unwrap(), signer()).unwrap();
    assert_eq!(
        ledger.history("SH-A").unwrap_err(),
        Error::LinkMissing {
            index: 2,
            previous: 1
        }
    );
    assert_eq!(
        ledger.verify().unwrap_err(),
        Error::SerialIndexMismatch {
            index: 1,
            indexed: "SH-Z".into(),
            entry: "SH-A".into()
        }
    );
}

/// The store records the log's name and key; a store of another log is refused; a store
/// without them cannot name its log.
#[test]
fn store_records_the_log_and_refuses_another() {
    let memory = Arc::new(MemoryStore::new());
    assert_eq!(
        LogVerifier::recorded_in(&*memory).unwrap_err(),
        Error::LogMetadataMissing { what: "log name" }
    );
    let ledger = Ledger::open(Hiding::new(memory.clone()), signer()).unwrap();
    let recorded = LogVerifier::recorded_in(&*memory).unwrap();
    assert_eq!(recorded.name(), LOG);
    assert_eq!(recorded.public_key(), ledger.verifier().public_key());
    drop(ledger);
    // An empty store that records another log's name is refused by this log.
    let other = MemoryStore::new();
    other
        .set_metadata("log-name", b"other.example/log")
        .unwrap();
    assert_eq!(
        Ledger::open(other, signer()).unwrap_err(),
        Error::LogMetadataMismatch {
            what: "log name",
            stored: "other.example/log".into(),
            given: LOG.into()
        }
    );
    memory.set_metadata("log-key", b"not a key").unwrap();
    assert!(matches!(
        LogVerifier::recorded_in(&*memory).unwrap_err(),
        Error::LogMetadataUnreadable {
            what: "log public key",
            ..
        }
    ));
}

/// Group commit: concurrent single appends on a slow store share transactions; each caller
/// gets its own leaf, holding its own entry, covered by the checkpoint it is given.
#[test]
fn concurrent_appends_share_transactions() {
    const THREADS: u64 = 8;
    const EACH: u64 = 5;
    let mut store = Hiding::new(Arc::default());
    store.delay = Duration::from_millis(20);
    let ledger = Arc::new(Ledger::open(store, signer()).unwrap());
    let appends_before = ledger.store().appends.load(Ordering::SeqCst);
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let ledger = ledger.clone();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|i| {
                        let entry = decision_with(&format!("SH-{thread}"), at(), &format!("r{i}"));
                        let committed = ledger.append(&entry).unwrap();
                        assert!(committed.checkpoint().size() > committed.first_leaf());
                        (committed.first_leaf(), entry)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut leaves = Vec::new();
    for handle in handles {
        for (leaf, entry) in handle.join().unwrap() {
            let stored = ledger.store().entries_at(&[leaf]).unwrap().remove(0);
            let read = Entry::from_der(&stored.der).unwrap();
            assert_eq!(read.event(), entry.event());
            assert_eq!(read.serial(), entry.serial());
            leaves.push(leaf);
        }
    }
    leaves.sort_unstable();
    assert_eq!(leaves, (0..THREADS * EACH).collect::<Vec<_>>());
    let transactions = ledger.store().appends.load(Ordering::SeqCst) - appends_before;
    assert!(
        transactions <= THREADS * EACH / 2,
        "{transactions} transactions for {} appends",
        THREADS * EACH
    );
    assert_eq!(ledger.verify().unwrap().size(), THREADS * EACH);
    for thread in 0..THREADS {
        assert_eq!(
            ledger
                .history(&format!("SH-{thread}"))
                .unwrap()
                .entries()
                .len(),
            EACH as usize
        );
    }
}

/// A request that cannot be encoded fails alone; the others of its group are committed.
#[test]
fn an_oversized_entry_fails_alone_in_its_group() {
    let mut store = Hiding::new(Arc::default());
    store.delay = Duration::from_millis(20);
    let ledger = Arc::new(Ledger::open(store, signer()).unwrap());
    let oversized = Entry::new(
        "SH-X",
        at(),
        Actor::new(Role::Institution, "inst-1"),
        Event::VerificationRecorded {
            record: vec![0; smtrust::trace::MAX_ENTRY_LEN],
        },
    )
    .unwrap();
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let ledger = ledger.clone();
            let entry = if i == 3 {
                oversized.clone()
            } else {
                decision_with("SH-Y", at(), &format!("r{i}"))
            };
            std::thread::spawn(move || ledger.append(&entry))
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for (i, result) in results.iter().enumerate() {
        if i == 3 {
            assert!(
                matches!(result, Err(Error::EntryTooLarge { .. })),
                "{result:?}"
            );
        } else {
            assert!(result.is_ok(), "{i}: {result:?}");
        }
    }
    assert_eq!(ledger.verify().unwrap().size(), 5);
    assert_eq!(ledger.history("SH-Y").unwrap().entries().len(), 5);
}
