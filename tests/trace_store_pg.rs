//! `PgStore` on a real, throw-away PostgreSQL server (see `tests/pg/mod.rs`): schema versions
//! and migrations, tamper evidence, the append lock across connections, read-only stores on a
//! streaming hot standby, and crash safety with several appending processes killed (SIGKILL)
//! at random moments. The contract shared with the other stores is in
//! `tests/trace_store_suite.rs`.
//!
//! Without the server binaries every test here says it was skipped and passes.

#![cfg(feature = "postgres")]

mod common;

mod pg;

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::sm2::SecretKey;
use smtrust::trace::{Entry, Error, Ledger, LogSigner, PgStore, Store};

use common::ledger::{LOG, decision, signer};

fn open(params: &str) -> Result<Ledger<PgStore>, Error> {
    Ledger::open(PgStore::connect(params, 4)?, signer())
}

/// 13 leaves in batches of 1, 4 and 8 (checkpoints at 0, 1, 5 and 13); leaf i is about
/// serial "SH-{i % 3}".
fn build(params: &str) {
    let ledger = open(params).unwrap();
    let mut leaf = 0;
    for batch in [1, 4, 8] {
        let entries: Vec<Entry> = (leaf..leaf + batch)
            .map(|i| decision(&format!("SH-{}", i % 3)))
            .collect();
        ledger.append_batch(&entries).unwrap();
        leaf += batch;
    }
}

fn schema_version(params: &str) -> i32 {
    postgres::Client::connect(params, postgres::NoTls)
        .unwrap()
        .query_one("SELECT version FROM ledger_schema", &[])
        .unwrap()
        .get(0)
}

// ---------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------

#[test]
fn new_store_has_the_current_schema() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    let store = PgStore::connect(&params, 2).unwrap();
    assert!(!store.is_read_only());
    assert_eq!(i64::from(schema_version(&params)), PgStore::SCHEMA_VERSION);
    assert_eq!(PgStore::SCHEMA_VERSION, 4);
}

#[test]
fn newer_schema_is_refused() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    drop(PgStore::connect(&params, 1).unwrap());
    pg::Server::execute_at(&params, "UPDATE ledger_schema SET version = 5");
    assert_eq!(
        PgStore::connect(&params, 1).unwrap_err(),
        Error::SchemaTooNew {
            found: 5,
            supported: 4
        }
    );
    assert_eq!(
        PgStore::connect_read_only(&params, 1).unwrap_err(),
        Error::SchemaTooNew {
            found: 5,
            supported: 4
        }
    );
}

/// A version-1 store (tables, no serial index, no metadata, no checkpoint tokens) is migrated
/// to version 4 and keeps its data.
#[test]
fn version_1_store_is_migrated() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    build(&params);
    pg::Server::execute_at(
        &params,
        "DROP INDEX ledger_entries_by_serial; DROP TABLE ledger_metadata;
         DROP TABLE ledger_checkpoint_tokens; UPDATE ledger_schema SET version = 1;",
    );
    // A reader cannot migrate, and says so.
    assert!(matches!(
        PgStore::connect_read_only(&params, 1).unwrap_err(),
        Error::Storage { operation: "check the schema version", message }
            if message.contains("schema version 1")
    ));
    let ledger = open(&params).unwrap();
    assert_eq!(schema_version(&params), 4);
    let indexes: i64 = postgres::Client::connect(&params, postgres::NoTls)
        .unwrap()
        .query_one(
            "SELECT count(*) FROM pg_indexes
             WHERE schemaname = current_schema() AND indexname = 'ledger_entries_by_serial'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(indexes, 1);
    assert_eq!(ledger.history("SH-0").unwrap().entries().len(), 5);
    assert_eq!(ledger.verify().unwrap().size(), 13);
}

/// A version-3 store (before checkpoint timestamps) is migrated to version 4 and keeps its
/// data; its checkpoints can then be given timestamp tokens.
#[test]
fn version_3_store_is_migrated_and_keeps_its_data() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    build(&params);
    pg::Server::execute_at(
        &params,
        "DROP TABLE ledger_checkpoint_tokens; UPDATE ledger_schema SET version = 3;",
    );
    let notes: Vec<Vec<u8>> = postgres::Client::connect(&params, postgres::NoTls)
        .unwrap()
        .query("SELECT note FROM ledger_checkpoints ORDER BY size", &[])
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(notes.len(), 4);
    let ledger = open(&params).unwrap();
    assert_eq!(schema_version(&params), 4);
    let store = ledger.store();
    for (size, note) in [0, 1, 5, 13].into_iter().zip(&notes) {
        assert_eq!(store.checkpoint(size).unwrap().as_ref(), Some(note));
        assert_eq!(store.checkpoint_token(size).unwrap(), None);
    }
    assert_eq!(ledger.verify().unwrap().size(), 13);
    store.set_checkpoint_token(13, b"token").unwrap();
    assert_eq!(store.checkpoint_token(13).unwrap(), Some(b"token".to_vec()));
    // A read-only store reads tokens and refuses to write them.
    let reader = PgStore::connect_read_only(&params, 1).unwrap();
    assert_eq!(
        reader.checkpoint_token(13).unwrap(),
        Some(b"token".to_vec())
    );
    assert_eq!(
        reader.set_checkpoint_token(13, b"other").unwrap_err(),
        Error::Storage {
            operation: "store a checkpoint timestamp",
            message: "the store was opened read-only".into(),
        }
    );
}

/// Eight processes' worth of connections open one new store at the same moment: each
/// migration step runs once, and every one of them ends up on the current schema.
#[test]
fn simultaneous_first_connections_migrate_once() {
    let Some(server) = pg::shared() else { return };
    let params = Arc::new(server.new_log());
    let openers: Vec<_> = (0..8)
        .map(|_| {
            let params = Arc::clone(&params);
            std::thread::spawn(move || PgStore::connect(&params, 1).map(|_| ()))
        })
        .collect();
    for opener in openers {
        opener.join().unwrap().unwrap();
    }
    assert_eq!(schema_version(&params), 4);
}

#[test]
fn bad_connection_parameters_are_storage_errors() {
    assert!(matches!(
        PgStore::connect("host=/nonexistent port=not-a-port", 1).unwrap_err(),
        Error::Storage {
            operation: "parse the connection parameters",
            ..
        }
    ));
}

// ---------------------------------------------------------------------------------------
// Tamper evidence: rows edited in the database are found by verify() at their place
// ---------------------------------------------------------------------------------------

fn tamper(sql: &str) -> Option<Error> {
    let server = pg::shared()?;
    let params = server.new_log();
    build(&params);
    pg::Server::execute_at(&params, sql);
    Some(match open(&params) {
        Ok(ledger) => ledger.verify().unwrap_err(),
        Err(err) => err,
    })
}

#[test]
fn edited_entry_is_found_at_its_leaf() {
    let Some(err) = tamper("UPDATE ledger_entries SET der = der || '\\x00'::bytea WHERE leaf = 6")
    else {
        return;
    };
    assert!(
        matches!(err, Error::LeafHashMismatch { index: 6, .. }),
        "{err:?}"
    );
}

#[test]
fn deleted_entry_is_found_at_its_leaf() {
    let Some(err) = tamper("DELETE FROM ledger_entries WHERE leaf = 6") else {
        return;
    };
    assert_eq!(err, Error::EntryMissing { index: 6 });
}

#[test]
fn reindexed_serial_is_found() {
    let Some(err) = tamper("UPDATE ledger_entries SET serial = 'SH-X' WHERE leaf = 4") else {
        return;
    };
    assert_eq!(
        err,
        Error::SerialIndexMismatch {
            index: 4,
            indexed: "SH-X".into(),
            entry: "SH-1".into()
        }
    );
}

/// Position 2 holds the hash of leaves 0–1, the second hash stored with leaf 1.
#[test]
fn edited_subtree_hash_is_found_at_its_position() {
    let Some(err) = tamper(
        "UPDATE ledger_entries SET hashes = set_byte(hashes, 32, get_byte(hashes, 32) # 1)
         WHERE leaf = 1",
    ) else {
        return;
    };
    assert!(
        matches!(err, Error::StoredHashMismatch { position: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn extra_entry_beyond_the_checkpoint_is_found() {
    let der = hex::encode(decision("SH-0").to_der().unwrap());
    let Some(err) = tamper(&format!(
        "INSERT INTO ledger_entries (leaf, serial, der, hashes)
         VALUES (13, 'SH-0', '\\x{der}'::bytea, '\\x{}'::bytea)",
        "00".repeat(32)
    )) else {
        return;
    };
    assert_eq!(
        err,
        Error::EntryBeyondCheckpoint {
            index: 13,
            size: 13
        }
    );
}

#[test]
fn swapped_checkpoint_is_found() {
    let Some(err) = tamper(
        "UPDATE ledger_checkpoints
         SET note = (SELECT note FROM ledger_checkpoints WHERE size = 1) WHERE size = 5",
    ) else {
        return;
    };
    assert_eq!(
        err,
        Error::CheckpointMalformed {
            reason: "a stored checkpoint is filed under another size than it signs"
        }
    );
}

// ---------------------------------------------------------------------------------------
// Appends: atomic, serialised by the table lock, readers not waiting
// ---------------------------------------------------------------------------------------

/// A batch that fails half-way (a row planted at leaf 15 makes its entry insert fail) leaves
/// nothing behind; once the obstacle is gone the same ledger appends at 13 again.
#[test]
fn failed_batch_leaves_nothing() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    build(&params);
    let ledger = open(&params).unwrap();
    let der = hex::encode(decision("SH-X").to_der().unwrap());
    pg::Server::execute_at(
        &params,
        &format!(
            "INSERT INTO ledger_entries (leaf, serial, der, hashes)
             VALUES (15, 'SH-X', '\\x{der}'::bytea, ''::bytea)"
        ),
    );
    let batch: Vec<Entry> = (0..5).map(|i| decision(&format!("B-{i}"))).collect();
    assert!(matches!(
        ledger.append_batch(&batch).unwrap_err(),
        Error::Storage { operation: "append entries", message } if message.starts_with("23505")
    ));
    let store = ledger.store();
    assert_eq!(store.checkpoint_sizes().unwrap(), [0, 1, 5, 13]);
    assert_eq!(store.entries(13, 10).unwrap().len(), 1); // only the planted row
    assert_eq!(store.leaf_indexes("B-0", 100).unwrap(), Vec::<u64>::new());
    pg::Server::execute_at(&params, "DELETE FROM ledger_entries WHERE leaf = 15");
    assert_eq!(ledger.append_batch(&batch).unwrap().first_leaf(), 13);
    assert_eq!(ledger.verify().unwrap().size(), 18);
}

/// While another session holds the append lock, an append waits for it and readers do not.
#[test]
fn appends_wait_for_the_lock_and_readers_do_not() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    build(&params);
    let ledger = Arc::new(open(&params).unwrap());
    let mut blocker = postgres::Client::connect(&params, postgres::NoTls).unwrap();
    let mut tx = blocker.transaction().unwrap();
    tx.batch_execute("LOCK TABLE ledger_checkpoints IN EXCLUSIVE MODE")
        .unwrap();

    let started = Instant::now();
    assert_eq!(ledger.history("SH-1").unwrap().entries().len(), 4);
    assert!(started.elapsed() < Duration::from_secs(2));

    let appender = {
        let ledger = Arc::clone(&ledger);
        std::thread::spawn(move || {
            ledger
                .append_batch(&[decision("SH-W")])
                .map(|c| c.first_leaf())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !appender.is_finished(),
        "the append did not wait for the lock"
    );
    tx.rollback().unwrap();
    assert_eq!(appender.join().unwrap(), Ok(13));
    assert_eq!(ledger.verify().unwrap().size(), 14);
}

// ---------------------------------------------------------------------------------------
// Read-only stores and a streaming replica
// ---------------------------------------------------------------------------------------

#[test]
fn read_only_store_reads_and_refuses_appends() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    build(&params);
    let log = signer().verifier().clone();
    let reader = PgStore::connect_read_only(&params, 2).unwrap();
    assert!(reader.is_read_only());
    assert_eq!(reader.latest_verified(&log).unwrap().size(), 13);
    let history = reader.history(&log, "SH-2").unwrap();
    assert_eq!(
        history
            .entries()
            .iter()
            .map(|e| e.index())
            .collect::<Vec<_>>(),
        [2, 5, 8, 11]
    );
    // The checkpoint a reader cites must be signed by the log it trusts.
    let stranger = LogSigner::new(LOG, SecretKey::from_bytes(&[9; 32]).unwrap()).unwrap();
    assert_eq!(
        reader.history(stranger.verifier(), "SH-2").unwrap_err(),
        Error::CheckpointNotSigned {
            key_name: LOG.into()
        }
    );
    assert_eq!(
        reader.set_metadata("note", b"x").unwrap_err(),
        Error::Storage {
            operation: "write metadata",
            message: "the store was opened read-only".into()
        }
    );
    // A ledger opened over it reads, and refuses to write.
    let ledger = Ledger::open(reader, signer()).unwrap();
    assert_eq!(
        ledger.append_batch(&[decision("SH-3")]).unwrap_err(),
        Error::Storage {
            operation: "append a batch",
            message: "the store was opened read-only".into()
        }
    );
    assert_eq!(ledger.verify().unwrap().size(), 13);
}

/// A reader on a hot standby (pg_basebackup -R, streaming replication) sees the primary's
/// batches whole, proves histories against the standby's latest signed checkpoint, and its
/// bundles verify offline.
#[test]
fn reader_on_a_streaming_replica() {
    let Some(primary) = pg::shared() else { return };
    let params = primary.new_log();
    build(&params);
    let standby = primary.start_standby().unwrap();
    let replica_params = params.replace(&primary.socket_dir(), &standby.socket_dir());
    let log = signer().verifier().clone();
    let replica = PgStore::connect_read_only(&replica_params, 2).unwrap();

    let ledger = open(&params).unwrap();
    let committed = ledger
        .append_batch(&[decision("SH-1"), decision("SH-7")])
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let checkpoint = loop {
        let checkpoint = replica.latest_verified(&log).unwrap();
        if checkpoint.size() == 15 || Instant::now() > deadline {
            break checkpoint;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(&checkpoint, committed.checkpoint());
    let history = replica.history(&log, "SH-1").unwrap();
    assert_eq!(history.checkpoint(), committed.checkpoint());
    assert_eq!(
        history
            .entries()
            .iter()
            .map(|e| e.index())
            .collect::<Vec<_>>(),
        [1, 4, 7, 10, 13]
    );
    let bundle = history.to_bundle(&[]).unwrap();
    let checked = smtrust::trace::EvidenceBundle::verify(bundle.to_der(), &log).unwrap();
    assert_eq!(checked.entries().len(), 5);
    // The standby itself refuses writes, whatever the store is told.
    let writer_on_standby = PgStore::connect(&replica_params, 1);
    assert!(
        writer_on_standby.is_ok(),
        "the schema is current, nothing to migrate"
    );
    let err = Ledger::open(writer_on_standby.unwrap(), signer())
        .unwrap()
        .append_batch(&[decision("SH-8")])
        .unwrap_err();
    assert!(
        matches!(&err, Error::Storage { message, .. } if message.starts_with("25006")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Crash safety: several appending processes killed at random moments
// ---------------------------------------------------------------------------------------

const CRASH_PARAMS: &str = "SMTRUST_PG_CRASH_PARAMS";

/// The child of `killed_appenders_lose_no_committed_entry`: appends batches forever, each
/// entry under a serial of its own, printing every commit. When another process got there
/// first on every attempt (`AppendContended`), it reopens its ledger and tries again. Run
/// only as a child.
#[test]
#[ignore = "run as a child process by killed_appenders_lose_no_committed_entry"]
fn crash_child() {
    let Ok(params) = std::env::var(CRASH_PARAMS) else {
        return;
    };
    let store = PgStore::connect(&params, 2).unwrap();
    let mut ledger = Ledger::open(store.clone(), signer()).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(u64::from(std::process::id()));
    let tag = std::process::id();
    for n in 0u64.. {
        let len = 1 + u64::from(rng.next_u32() % 20);
        let batch: Vec<Entry> = (0..len)
            .map(|i| decision(&format!("C-{tag}-{n}-{i}")))
            .collect();
        loop {
            match ledger.append_batch(&batch) {
                Ok(committed) => {
                    println!(
                        "committed C-{tag}-{n}-{} {}",
                        len - 1,
                        committed.first_leaf() + len - 1
                    );
                    break;
                }
                Err(Error::AppendContended { .. }) => {
                    ledger = Ledger::open(store.clone(), signer()).unwrap();
                }
                Err(err) => panic!("{err}"),
            }
        }
    }
}

fn spawn_child(params: &str, reported: &Arc<Mutex<HashMap<String, u64>>>) -> Child {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--ignored", "--nocapture"])
        .env(CRASH_PARAMS, params)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reported = Arc::clone(reported);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let mut words = line.split(' ');
            if let (Some("committed"), Some(serial), Some(leaf)) =
                (words.next(), words.next(), words.next())
            {
                let _ = reported
                    .lock()
                    .unwrap()
                    .insert(serial.to_owned(), leaf.parse().unwrap());
            }
        }
    });
    child
}

/// Three appending processes at a time, SIGKILLed one after another at random moments
/// (fixed seed), four rounds: after each round the log verifies from scratch (so no batch
/// was left half-written and there is no gap), and every entry any child reported committed
/// is in it, at the leaf reported.
#[test]
fn killed_appenders_lose_no_committed_entry() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    drop(open(&params).unwrap());
    let mut rng = ChaCha20Rng::seed_from_u64(0x1fed_f00d);
    let reported = Arc::new(Mutex::new(HashMap::new()));
    for round in 0..4 {
        let before = reported.lock().unwrap().len();
        let mut children: Vec<Child> = (0..3).map(|_| spawn_child(&params, &reported)).collect();
        let started = Instant::now();
        while reported.lock().unwrap().len() < before + 3
            && started.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        for child in &mut children {
            std::thread::sleep(Duration::from_millis(rng.next_u64() % 200));
            child.kill().unwrap(); // SIGKILL on Unix
            let _ = child.wait().unwrap();
        }
        // Let the reader threads take the last lines the children wrote.
        std::thread::sleep(Duration::from_millis(50));
        let reported = reported.lock().unwrap().clone();
        assert!(reported.len() > before, "round {round}: no progress");

        let ledger = open(&params).unwrap();
        let checkpoint = ledger.verify().unwrap();
        for (serial, leaf) in &reported {
            let history = ledger.history(serial).unwrap();
            let indexes: Vec<u64> = history.entries().iter().map(|e| e.index()).collect();
            assert_eq!(
                indexes,
                [*leaf],
                "round {round}: {serial} reported at leaf {leaf}"
            );
        }
        assert!(checkpoint.size() > *reported.values().max().unwrap());
        assert_eq!(
            ledger.store().hash_count().unwrap(),
            smtrust::trace::stored_hash_count(checkpoint.size()).unwrap()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Catching up with another writer
// ---------------------------------------------------------------------------------------

/// Two ledgers, each with its own connections, append to one serial in turn: each append
/// after the other's catches up (reloads the size, edge and checkpoint, forgets the serial's
/// newest entry), lands at the next leaf and links to the other's entry; the chain verifies.
#[test]
fn two_ledgers_alternating_on_one_serial_both_succeed() {
    let Some(server) = pg::shared() else { return };
    let params = server.new_log();
    let first = open(&params).unwrap();
    let second = open(&params).unwrap();
    for leaf in 0..10u64 {
        let ledger = if leaf % 2 == 0 { &first } else { &second };
        let committed = ledger.append_batch(&[decision("SH-1")]).unwrap();
        assert_eq!(committed.first_leaf(), leaf);
        let stored = first.store().entries_at(&[leaf]).unwrap().remove(0);
        let previous = Entry::from_der(&stored.der)
            .unwrap()
            .previous()
            .map(|link| link.leaf());
        assert_eq!(previous, leaf.checked_sub(1));
    }
    let checkpoint = smtrust::trace::verify_log(second.store(), second.verifier()).unwrap();
    assert_eq!(checkpoint.size(), 10);
    assert_eq!(first.history("SH-1").unwrap().entries().len(), 10);
}
