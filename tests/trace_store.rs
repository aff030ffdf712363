//! The SQLite store of `smtrust::trace`: tamper evidence (rows edited, deleted, reordered
//! and added directly in the file, each found by `verify()` at the right place), schema
//! migrations, crash safety under SIGKILL, concurrent appends and reads, and readers that do
//! not wait for the writer.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use rusqlite::Connection;
use smtrust::sm2::SecretKey;
use smtrust::trace::{
    Entry, Error, Ledger, LogSigner, MemoryStore, SCHEMA_VERSION, SM3, SqliteStore, Store,
};

use common::ledger::{LOG, decision, signer};

fn open(path: &Path) -> Result<Ledger<SqliteStore>, Error> {
    Ledger::open(SqliteStore::open(path)?, signer())
}

/// 13 leaves in batches of 1, 4 and 8 (checkpoints at 0, 1, 5 and 13); leaf i is about
/// serial "SH-{i % 3}".
fn build(dir: &Path) -> PathBuf {
    let path = dir.join("ledger.db");
    let ledger = open(&path).unwrap();
    let mut leaf = 0;
    for batch in [1, 4, 8] {
        let entries: Vec<Entry> = (leaf..leaf + batch)
            .map(|i| decision(&format!("SH-{}", i % 3)))
            .collect();
        ledger.append_batch(&entries).unwrap();
        leaf += batch;
    }
    assert_eq!(ledger.verify().unwrap().size(), 13);
    path
}

/// Runs `sql` directly on the file, then opens the ledger and verifies it from scratch.
fn tamper(sql: &str) -> Error {
    tamper_with(|conn| conn.execute_batch(sql).unwrap())
}

/// Edits the file with `edit`, then opens the ledger and verifies it from scratch.
fn tamper_with(edit: impl FnOnce(&Connection)) -> Error {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    edit(&Connection::open(&path).unwrap());
    match open(&path) {
        Ok(ledger) => ledger.verify().unwrap_err(),
        Err(err) => err,
    }
}

// ---------------------------------------------------------------------------------------
// Tamper evidence
// ---------------------------------------------------------------------------------------

#[test]
fn edited_entry_is_found_at_its_leaf() {
    let err = tamper("UPDATE entries SET der = der || x'00' WHERE leaf = 6");
    assert!(
        matches!(err, Error::LeafHashMismatch { index: 6, .. }),
        "{err:?}"
    );
}

#[test]
fn deleted_entry_is_found_at_its_leaf() {
    assert_eq!(
        tamper("DELETE FROM entries WHERE leaf = 6"),
        Error::EntryMissing { index: 6 }
    );
    assert_eq!(
        tamper("DELETE FROM entries WHERE leaf = 12"),
        Error::EntryMissing { index: 12 }
    );
}

/// Moving an entry's DER to another leaf: its stored leaf hash no longer matches.
#[test]
fn swapped_entry_contents_are_found_at_the_first_moved_leaf() {
    let err = tamper(
        "UPDATE entries SET der = (SELECT der FROM entries WHERE leaf = 10), serial = 'SH-1'
         WHERE leaf = 3;",
    );
    assert!(
        matches!(err, Error::LeafHashMismatch { index: 3, .. }),
        "{err:?}"
    );
}

/// Swapping whole rows (entry and the hashes stored with it) keeps each leaf hash with its
/// entry, so the break shows in the subtree above: position 5 is the hash of leaves 2–3,
/// stored with leaf 3.
#[test]
fn reordered_rows_are_found_at_the_subtree_above() {
    let swap = |a: u32, b: u32| {
        format!(
            "UPDATE entries SET leaf = -1 WHERE leaf = {a};
             UPDATE entries SET leaf = {a} WHERE leaf = {b};
             UPDATE entries SET leaf = {b} WHERE leaf = -1;"
        )
    };
    // Leaves 2 and 4 each stored one hash: the rebuilt hash of leaves 2–3 differs.
    let err = tamper(&swap(2, 4));
    assert!(
        matches!(err, Error::StoredHashMismatch { position: 5, .. }),
        "{err:?}"
    );
    // Leaf 3 stored three hashes, leaf 10 one: leaf 3's row now lacks position 5.
    let err = tamper(&swap(3, 10));
    assert!(
        matches!(err, Error::HashNotStored { index: 5, .. }),
        "{err:?}"
    );
}

#[test]
fn reindexed_serial_is_found() {
    assert_eq!(
        tamper("UPDATE entries SET serial = 'SH-X' WHERE leaf = 4"),
        Error::SerialIndexMismatch {
            index: 4,
            indexed: "SH-X".into(),
            entry: "SH-1".into()
        }
    );
}

/// Rewrites the hashes stored with `leaf` through `edit`.
fn edit_hashes(conn: &Connection, leaf: i64, edit: impl FnOnce(&mut Vec<u8>)) {
    let mut blob: Vec<u8> = conn
        .query_row("SELECT hashes FROM entries WHERE leaf = ?1", [leaf], |r| {
            r.get(0)
        })
        .unwrap();
    edit(&mut blob);
    let _ = conn
        .execute(
            "UPDATE entries SET hashes = ?1 WHERE leaf = ?2",
            rusqlite::params![blob, leaf],
        )
        .unwrap();
}

/// Position 2 holds the hash of leaves 0–1, the second hash stored by the append of leaf 1.
#[test]
fn edited_subtree_hash_is_found_at_its_position() {
    let err = tamper_with(|conn| edit_hashes(conn, 1, |blob| blob[32] ^= 1));
    assert!(
        matches!(err, Error::StoredHashMismatch { position: 2, .. }),
        "{err:?}"
    );
}

/// Leaf 12 completes no subtree, so a forger can rewrite it and its leaf hash consistently;
/// the signed root still gives it away.
#[test]
fn consistently_forged_leaf_fails_the_signed_root() {
    let forged = decision("SH-0").to_der().unwrap();
    let mut forged_other = forged.clone();
    // Same serial, another decision: change one letter of "approved".
    let at = forged_other
        .windows(8)
        .position(|w| w == b"approved")
        .unwrap();
    forged_other[at] = b'A';
    let leaf_hash = SM3.hash_leaf(&forged_other);
    let err = tamper(&format!(
        "UPDATE entries SET der = x'{}', hashes = x'{}' WHERE leaf = 12;",
        hex::encode(&forged_other),
        hex::encode(leaf_hash.as_bytes())
    ));
    assert!(
        matches!(err, Error::CheckpointRootMismatch { size: 13, .. }),
        "{err:?}"
    );
}

#[test]
fn extra_entry_beyond_the_checkpoint_is_found() {
    let der = hex::encode(decision("SH-0").to_der().unwrap());
    assert_eq!(
        tamper(&format!(
            "INSERT INTO entries (leaf, serial, der, hashes) VALUES (13, 'SH-0', x'{der}', zeroblob(32))"
        )),
        Error::EntryBeyondCheckpoint {
            index: 13,
            size: 13
        }
    );
}

#[test]
fn extra_or_missing_hash_rows_are_found() {
    assert_eq!(
        tamper_with(|conn| edit_hashes(conn, 12, |blob| blob.extend_from_slice(&[0; 32]))),
        Error::StoredHashCount {
            expected: 23,
            found: 24
        }
    );
    let err = tamper_with(|conn| edit_hashes(conn, 12, Vec::clear));
    assert!(
        matches!(err, Error::HashNotStored { index: 22, .. }),
        "{err:?}"
    );
}

#[test]
fn altered_checkpoints_are_found() {
    assert_eq!(
        tamper(
            "UPDATE checkpoints SET note = (SELECT note FROM checkpoints WHERE size = 1) WHERE size = 5"
        ),
        Error::CheckpointMalformed {
            reason: "a stored checkpoint is filed under another size than it signs"
        }
    );
    // The latest checkpoint with its size changed: refused when the ledger opens.
    assert_eq!(
        tamper(
            "UPDATE checkpoints SET note = CAST(replace(CAST(note AS TEXT), char(10) || '13' || char(10), char(10) || '14' || char(10)) AS BLOB) WHERE size = 13"
        ),
        Error::CheckpointBadSignature {
            key_name: LOG.into()
        }
    );
}

// ---------------------------------------------------------------------------------------
// Schema and reopening
// ---------------------------------------------------------------------------------------

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn new_store_has_the_current_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(SqliteStore::open(&path).unwrap());
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}

/// Metadata survives reopening, a later value replaces an earlier one, and an unknown name
/// is absent rather than an error.
#[test]
fn metadata_is_kept_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("metadata.db");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.set_metadata("note", b"first").unwrap();
        store.set_metadata("note", b"second").unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.metadata("note").unwrap(), Some(b"second".to_vec()));
    assert_eq!(store.metadata("absent").unwrap(), None);
    let memory = MemoryStore::new();
    memory.set_metadata("note", b"only").unwrap();
    assert_eq!(memory.metadata("note").unwrap(), Some(b"only".to_vec()));
    assert_eq!(memory.metadata("absent").unwrap(), None);
}

/// The serial index's newest leaf below a size, by one lookup, agrees with the full list.
#[test]
fn last_leaf_agrees_with_the_serial_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let store = SqliteStore::open(&path).unwrap();
    for size in 0..=14 {
        for serial in ["SH-0", "SH-1", "SH-2", "SH-9"] {
            assert_eq!(
                store.last_leaf(serial, size).unwrap(),
                store.leaf_indexes(serial, size).unwrap().last().copied(),
                "{serial} below {size}"
            );
        }
    }
    assert_eq!(store.last_leaf("SH-9", 14).unwrap(), None);
}

/// A version-3 file (before checkpoint timestamps: entries, checkpoints, the serial index,
/// metadata) is migrated to version 4 and keeps every entry, checkpoint and metadata value;
/// its checkpoints can then be given timestamp tokens.
#[test]
fn version_3_store_is_migrated_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE checkpoint_tokens; PRAGMA user_version = 3;")
        .unwrap();
    let tables = |conn: &Connection| -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(tables(&conn), ["checkpoints", "entries", "metadata"]);
    let notes: Vec<Vec<u8>> = {
        let mut stmt = conn
            .prepare("SELECT note FROM checkpoints ORDER BY size")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    drop(conn);

    let ledger = open(&path).unwrap();
    assert_eq!(user_version(&path), 4);
    assert_eq!(
        tables(&Connection::open(&path).unwrap()),
        ["checkpoint_tokens", "checkpoints", "entries", "metadata"]
    );
    let store = ledger.store();
    assert_eq!(store.checkpoint_sizes().unwrap(), [0, 1, 5, 13]);
    for (size, note) in [0, 1, 5, 13].into_iter().zip(&notes) {
        assert_eq!(store.checkpoint(size).unwrap().as_ref(), Some(note));
        assert_eq!(store.checkpoint_token(size).unwrap(), None);
    }
    assert_eq!(ledger.history("SH-0").unwrap().entries().len(), 5);
    assert_eq!(ledger.verify().unwrap().size(), 13);
    store.set_checkpoint_token(13, b"token").unwrap();
    assert_eq!(store.checkpoint_token(13).unwrap(), Some(b"token".to_vec()));
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1))
        .unwrap();
    assert_eq!(
        SqliteStore::open(&path).unwrap_err(),
        Error::SchemaTooNew {
            found: SCHEMA_VERSION + 1,
            supported: SCHEMA_VERSION
        }
    );
}

/// A version-1 file (tables, no serial index, no metadata, no checkpoint tokens) is migrated to the current version
/// and keeps its data.
#[test]
fn version_1_store_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "DROP INDEX entries_by_serial; DROP TABLE metadata; DROP TABLE checkpoint_tokens;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    let ledger = open(&path).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let indexes: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'entries_by_serial'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1);
    assert_eq!(ledger.history("SH-0").unwrap().entries().len(), 5);
    assert_eq!(ledger.verify().unwrap().size(), 13);
}

#[test]
fn reopened_ledger_continues_and_checks_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let ledger = open(&path).unwrap();
    assert_eq!(
        ledger
            .append_batch(&[decision("SH-9")])
            .unwrap()
            .first_leaf(),
        13
    );
    drop(ledger);
    let other = LogSigner::new(LOG, SecretKey::from_bytes(&[9; 32]).unwrap()).unwrap();
    assert_eq!(
        Ledger::open(SqliteStore::open(&path).unwrap(), other).unwrap_err(),
        Error::CheckpointNotSigned {
            key_name: LOG.into()
        }
    );
}

/// Two sequencers on one file: the store refuses the batch of the one that is behind
/// (`AppendConflict`), which catches up with the store and writes it after the other's.
#[test]
fn second_writer_behind_the_store_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.db");
    let first = open(&path).unwrap();
    let second = open(&path).unwrap();
    first.append_batch(&[decision("SH-1")]).unwrap();
    assert_eq!(
        second
            .append_batch(&[decision("SH-2")])
            .unwrap()
            .first_leaf(),
        1
    );
    assert_eq!(first.verify().unwrap().size(), 2);
}

// ---------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------

/// WAL mode: a history is read while another connection holds the write lock.
#[test]
fn readers_do_not_wait_for_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = build(dir.path());
    let ledger = open(&path).unwrap();
    let blocker = Connection::open(&path).unwrap();
    blocker
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO checkpoints (size, note) VALUES (1000, x'00');",
        )
        .unwrap();
    let started = Instant::now();
    assert_eq!(ledger.history("SH-1").unwrap().entries().len(), 4);
    assert!(started.elapsed() < Duration::from_secs(2));
    blocker.execute_batch("ROLLBACK;").unwrap();
    assert_eq!(ledger.verify().unwrap().size(), 13);
}

// ---------------------------------------------------------------------------------------
// Crash safety
// ---------------------------------------------------------------------------------------

const CRASH_DB: &str = "SMTRUST_CRASH_DB";

/// The child of `killed_writers_lose_no_committed_entry`: appends batches forever, printing
/// each committed size. Run only as a child.
#[test]
#[ignore = "run as a child process by killed_writers_lose_no_committed_entry"]
fn crash_child() {
    let Ok(path) = std::env::var(CRASH_DB) else {
        return;
    };
    let ledger = open(Path::new(&path)).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(ledger.checkpoint().unwrap().size());
    loop {
        let len = 1 + rng.next_u32() % 20;
        let start = ledger.checkpoint().unwrap().size();
        let batch: Vec<Entry> = (0..u64::from(len))
            .map(|i| decision(&format!("C-{}", start + i)))
            .collect();
        let committed = ledger.append_batch(&batch).unwrap();
        println!("committed {}", committed.first_leaf() + u64::from(len));
    }
}

/// SIGKILL a writing child at random moments (fixed seed); after each kill the store
/// reopens, verifies from scratch, and holds every entry reported committed.
#[test]
fn killed_writers_lose_no_committed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.db");
    let mut rng = ChaCha20Rng::seed_from_u64(0x1fed_f00d);
    let exe = std::env::current_exe().unwrap();
    let mut total_reported = 0;
    for round in 0..12 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--ignored", "--nocapture"])
            .env(CRASH_DB, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let reported = Arc::new(AtomicU64::new(0));
        let stdout = child.stdout.take().unwrap();
        let seen = Arc::clone(&reported);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(size) = line.strip_prefix("committed ") {
                    seen.fetch_max(size.parse().unwrap(), Ordering::SeqCst);
                }
            }
        });
        // Wait for the first commit, then kill at a random moment.
        let started = Instant::now();
        while reported.load(Ordering::SeqCst) <= total_reported
            && started.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(rng.next_u64() % 150));
        child.kill().unwrap(); // SIGKILL on Unix
        let _ = child.wait().unwrap();
        reader.join().unwrap();
        let committed = reported.load(Ordering::SeqCst);
        assert!(committed > total_reported, "round {round}: no progress");

        let ledger = open(&path).unwrap();
        let checkpoint = ledger.verify().unwrap();
        assert!(
            checkpoint.size() >= committed,
            "round {round}: {committed} reported, {} recovered",
            checkpoint.size()
        );
        let last = format!("C-{}", committed - 1);
        assert_eq!(ledger.history(&last).unwrap().entries().len(), 1);
        total_reported = checkpoint.size();
    }
}

// ---------------------------------------------------------------------------------------
// Differential: the ledger's roots against the plain Merkle log
// ---------------------------------------------------------------------------------------

/// Random batch sizes (fixed seed), across reopenings: every signed root equals the root of a
/// `MemoryHashes` log of the same entry DERs (RFC 9162 §2.1.1), and successive checkpoints are
/// consistent (§2.1.4).
#[test]
fn signed_roots_match_the_plain_merkle_log() {
    use smtrust::trace::{Link, MemoryHashes, tree_hash};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("diff.db");
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let mut reference = MemoryHashes::new(&SM3);
    let mut ledger = open(&path).unwrap();
    let mut previous = ledger.checkpoint().unwrap();
    let mut newest: std::collections::HashMap<String, Link> = Default::default();
    for round in 0..60 {
        if round % 20 == 19 {
            drop(ledger);
            ledger = open(&path).unwrap();
        }
        let len = 1 + rng.next_u32() % 70;
        let batch: Vec<Entry> = (0..len)
            .map(|_| decision(&format!("R-{}", rng.next_u32() % 17)))
            .collect();
        let committed = ledger.append_batch(&batch).unwrap();
        let stored = ledger
            .store()
            .entries(committed.first_leaf(), batch.len())
            .unwrap();
        // Each stored entry is the one given, linked to its serial's previous entry as the
        // reference tracks it; the reference log takes the stored bytes.
        for (entry, (leaf, stored)) in batch.iter().zip(stored) {
            let read = Entry::from_der(&stored.der).unwrap();
            assert_eq!(
                (read.serial(), read.event()),
                (entry.serial(), entry.event())
            );
            assert_eq!(read.previous(), newest.get(entry.serial()));
            let _ = newest.insert(
                entry.serial().to_owned(),
                Link::new(leaf, SM3.hash_leaf(&stored.der)),
            );
            let _ = reference.append(&stored.der).unwrap();
        }
        let checkpoint = committed.checkpoint().clone();
        assert_eq!(checkpoint.size(), reference.size());
        assert_eq!(
            checkpoint.root(),
            &tree_hash(&SM3, reference.size(), &reference).unwrap()
        );
        let proof = ledger
            .prove_consistency(previous.size(), checkpoint.size())
            .unwrap();
        previous.check_consistency(&checkpoint, &proof).unwrap();
        previous = checkpoint;
    }
    assert_eq!(ledger.verify().unwrap(), previous);
    let total: usize = ledger
        .serials()
        .unwrap()
        .iter()
        .map(|s| ledger.history(s).unwrap().entries().len())
        .sum();
    assert_eq!(u64::try_from(total).unwrap(), reference.size());
}
