//! A ledger catches up when another process appended to its store first: it reloads the
//! store's size, tree edge and latest checkpoint, forgets every serial's newest entry, and
//! tries its batch again, a bounded number of times.

mod common;

use std::path::Path;
use std::sync::Mutex;

use smtrust::trace::{
    Batch, Entry, Error, Hash, HashReader, Ledger, SqliteStore, Store, verify_log,
};

use common::ledger::{decision, signer};

fn open(path: &Path) -> Ledger<SqliteStore> {
    Ledger::open(SqliteStore::open(path).unwrap(), signer()).unwrap()
}

/// The leaf the entry at `leaf` links back to (its serial's previous entry).
fn previous_leaf<S: Store>(store: &S, leaf: u64) -> Option<u64> {
    let stored = store.entries_at(&[leaf]).unwrap().remove(0);
    Entry::from_der(&stored.der)
        .unwrap()
        .previous()
        .map(|link| link.leaf())
}

/// Two ledgers over one SQLite file append to one serial in turn: each append after the
/// other's catches up, lands at the next leaf and links to the other's entry, and the whole
/// chain verifies.
#[test]
fn two_ledgers_alternating_on_one_serial_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let first = open(&path);
    let second = open(&path);
    for leaf in 0..10u64 {
        let ledger = if leaf % 2 == 0 { &first } else { &second };
        let committed = ledger.append_batch(&[decision("SH-1")]).unwrap();
        assert_eq!(committed.first_leaf(), leaf);
        assert_eq!(committed.checkpoint().size(), leaf + 1);
        assert_eq!(
            previous_leaf(first.store(), leaf),
            leaf.checked_sub(1),
            "leaf {leaf} must link to the entry the other ledger appended"
        );
    }
    let checkpoint = verify_log(first.store(), first.verifier()).unwrap();
    assert_eq!(checkpoint.size(), 10);
    assert_eq!(first.history("SH-1").unwrap().entries().len(), 10);
    assert_eq!(second.history("SH-1").unwrap().entries().len(), 10);
}

/// A batch that holds the same serial twice, after the other ledger appended to it: the
/// first links to the other's entry, the second to the first.
#[test]
fn caught_up_batch_links_within_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let first = open(&path);
    let second = open(&path);
    second.append_batch(&[decision("SH-1")]).unwrap();
    first
        .append_batch(&[decision("SH-1"), decision("SH-2")])
        .unwrap();
    let committed = second
        .append_batch(&[decision("SH-2"), decision("SH-1"), decision("SH-1")])
        .unwrap();
    assert_eq!(committed.first_leaf(), 3);
    let links: Vec<Option<u64>> = (0..6)
        .map(|leaf| previous_leaf(first.store(), leaf))
        .collect();
    assert_eq!(links, [None, Some(0), None, Some(2), Some(1), Some(4)]);
    assert_eq!(
        verify_log(second.store(), second.verifier())
            .unwrap()
            .size(),
        6
    );
}

/// A store over a SQLite file where a rival ledger appends one entry just before each of
/// the first `rival_appends` batches this store is asked to write.
struct Raced {
    inner: SqliteStore,
    rival: Mutex<(Ledger<SqliteStore>, u32)>,
}

impl Raced {
    fn new(path: &Path, rival_appends: u32) -> Self {
        Self {
            inner: SqliteStore::open(path).unwrap(),
            rival: Mutex::new((open(path), rival_appends)),
        }
    }
}

impl HashReader for Raced {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.inner.read_hashes(indexes)
    }
}

impl Store for Raced {
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        if !batch.entries.is_empty() {
            let mut rival = self.rival.lock().unwrap();
            if rival.1 > 0 {
                rival.1 -= 1;
                rival.0.append_batch(&[decision("SH-1")]).unwrap();
            }
        }
        self.inner.append(batch)
    }
    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        self.inner.leaf_indexes(serial, size)
    }
    common::ledger::forward_store_reads!();
}

/// The rival gets there first three times; the fourth attempt (the last allowed) commits.
#[test]
fn batch_commits_on_the_last_attempt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raced.db");
    let ledger = Ledger::open(Raced::new(&path, 3), signer()).unwrap();
    let committed = ledger.append_batch(&[decision("SH-1")]).unwrap();
    assert_eq!(committed.first_leaf(), 3);
    assert_eq!(previous_leaf(ledger.store(), 3), Some(2));
    assert_eq!(ledger.verify().unwrap().size(), 4);
}

/// The rival gets there first on all four attempts: the batch fails with
/// `AppendContended`, nothing of it is written, and the next append succeeds.
#[test]
fn batch_gives_up_after_four_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raced.db");
    let ledger = Ledger::open(Raced::new(&path, 4), signer()).unwrap();
    assert_eq!(
        ledger.append_batch(&[decision("SH-2")]).unwrap_err(),
        Error::AppendContended { attempts: 4 }
    );
    assert_eq!(ledger.store().serials().unwrap(), ["SH-1"]);
    assert_eq!(ledger.checkpoint().unwrap().size(), 4);
    let committed = ledger.append_batch(&[decision("SH-1")]).unwrap();
    assert_eq!(committed.first_leaf(), 4);
    assert_eq!(previous_leaf(ledger.store(), 4), Some(3));
    assert_eq!(ledger.verify().unwrap().size(), 5);
}
