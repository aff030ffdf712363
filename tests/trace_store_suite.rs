//! The `Store` contract of `smtrust::trace`, one test body run against every store:
//! `MemoryStore`, `SqliteStore` and (feature `postgres`) `PgStore` on a throw-away server.
//!
//! Each test takes a [`Fixture`]: one store's data, on which it can open as many handles
//! (connections, files, shared memory) as it needs. The `suite!` macro instantiates every
//! test for each fixture. Trees follow RFC 9162 §2.1; checkpoints the C2SP signed note.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use smtrust::sm2::SecretKey;
use smtrust::trace::{
    Actor, Batch, Entry, Error, EvidenceBundle, Hash, HashReader, Ledger, LogSigner, MemoryHashes,
    MemoryStore, Role, SM3, SqliteStore, Store, StoredEntry, check_inclusion, stored_hash_count,
    tree_hash,
};

use common::ledger::{LOG, at, decision, signer};

#[cfg(feature = "postgres")]
mod pg;

// ---------------------------------------------------------------------------------------
// Fixtures: one per store
// ---------------------------------------------------------------------------------------

/// One store's data, and a way to open another handle on it.
trait Fixture: Sized {
    type S: Store + 'static;

    /// A new, empty store; `None` when this store cannot run here (said on stderr).
    fn new() -> Option<Self>;

    /// Another handle on the same data.
    fn handle(&self) -> Self::S;
}

/// `MemoryStore` behind an `Arc`, so that two ledgers can share one store's data as two
/// connections share a database.
struct Memory(Arc<MemoryStore>);

struct SharedMemory(Arc<MemoryStore>);

impl HashReader for SharedMemory {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.0.read_hashes(indexes)
    }
}

impl Store for SharedMemory {
    fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
        self.0.append(batch)
    }
    fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, Error> {
        self.0.latest_checkpoint()
    }
    fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.0.checkpoint(size)
    }
    fn checkpoint_sizes(&self) -> Result<Vec<u64>, Error> {
        self.0.checkpoint_sizes()
    }
    fn entries(&self, first: u64, limit: usize) -> Result<Vec<(u64, StoredEntry)>, Error> {
        self.0.entries(first, limit)
    }
    fn entries_at(&self, indexes: &[u64]) -> Result<Vec<StoredEntry>, Error> {
        self.0.entries_at(indexes)
    }
    fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
        self.0.leaf_indexes(serial, size)
    }
    fn serials(&self) -> Result<Vec<String>, Error> {
        self.0.serials()
    }
    fn hash_count(&self) -> Result<u64, Error> {
        self.0.hash_count()
    }
    fn last_leaf(&self, serial: &str, size: u64) -> Result<Option<u64>, Error> {
        self.0.last_leaf(serial, size)
    }
    fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        self.0.metadata(name)
    }
    fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), Error> {
        self.0.set_metadata(name, value)
    }
    fn set_checkpoint_token(&self, size: u64, token: &[u8]) -> Result<(), Error> {
        self.0.set_checkpoint_token(size, token)
    }
    fn checkpoint_token(&self, size: u64) -> Result<Option<Vec<u8>>, Error> {
        self.0.checkpoint_token(size)
    }
}

impl Fixture for Memory {
    type S = SharedMemory;
    fn new() -> Option<Self> {
        Some(Self(Arc::new(MemoryStore::new())))
    }
    fn handle(&self) -> SharedMemory {
        SharedMemory(Arc::clone(&self.0))
    }
}

struct Sqlite(tempfile::TempDir);

impl Fixture for Sqlite {
    type S = SqliteStore;
    fn new() -> Option<Self> {
        Some(Self(tempfile::tempdir().unwrap()))
    }
    fn handle(&self) -> SqliteStore {
        SqliteStore::open(self.0.path().join("ledger.db")).unwrap()
    }
}

#[cfg(feature = "postgres")]
struct Postgres {
    params: String,
    _server: Arc<pg::Server>,
}

#[cfg(feature = "postgres")]
impl Fixture for Postgres {
    type S = smtrust::trace::PgStore;
    fn new() -> Option<Self> {
        let server = pg::shared()?;
        Some(Self {
            params: server.new_log(),
            _server: server,
        })
    }
    fn handle(&self) -> smtrust::trace::PgStore {
        smtrust::trace::PgStore::connect(&self.params, 4).unwrap()
    }
}

/// Runs each contract test below against the fixture type, in a module named after it.
macro_rules! suite {
    ($store:ident, $fixture:ty, [$($test:ident),* $(,)?]) => {
        mod $store {
            $(
                #[test]
                fn $test() {
                    if let Some(fixture) = <$fixture as super::Fixture>::new() {
                        super::$test(&fixture);
                    }
                }
            )*
        }
    };
}

macro_rules! every_store {
    ($($test:ident),* $(,)?) => {
        suite!(memory, super::Memory, [$($test),*]);
        suite!(sqlite, super::Sqlite, [$($test),*]);
        #[cfg(feature = "postgres")]
        suite!(postgres, super::Postgres, [$($test),*]);
    };
}

every_store!(
    empty_store_holds_nothing,
    opening_stores_the_signed_empty_tree,
    batches_are_stored_with_one_checkpoint_each,
    stored_hashes_are_the_plain_logs,
    serial_index_is_bounded_and_in_byte_order,
    last_leaf_agrees_with_the_serial_index,
    metadata_is_kept_and_replaced,
    checkpoint_tokens_are_kept_per_checkpoint,
    stamped_checkpoint_travels_in_the_bundle,
    histories_proofs_and_bundles_verify,
    reopened_store_continues_and_checks_its_key,
    sequencer_behind_the_store_catches_up,
    signed_roots_match_the_plain_merkle_log,
    threads_append_and_read_at_once,
);

// ---------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------

/// 13 leaves in batches of 1, 4 and 8 (checkpoints at 0, 1, 5 and 13); leaf i is about
/// serial "SH-{i % 3}". Returns the ledger and the stored entry DERs in leaf order (the
/// sequencer adds each entry's link to its serial's previous leaf, so they are read back),
/// after checking each decodes to the entry given.
fn build<F: Fixture>(fixture: &F) -> (Ledger<F::S>, Vec<Vec<u8>>) {
    let ledger = Ledger::open(fixture.handle(), signer()).unwrap();
    let mut given = Vec::new();
    for batch in [1, 4, 8] {
        let leaf = given.len();
        let entries: Vec<Entry> = (leaf..leaf + batch)
            .map(|i| decision(&format!("SH-{}", i % 3)))
            .collect();
        given.extend(entries.iter().cloned());
        ledger.append_batch(&entries).unwrap();
    }
    let ders = stored_ders(&fixture.handle(), 0, 13);
    for (der, entry) in ders.iter().zip(&given) {
        let stored = Entry::from_der(der).unwrap();
        assert_eq!(stored.serial(), entry.serial());
        assert_eq!(stored.event(), entry.event());
    }
    (ledger, ders)
}

/// The DERs of leaves `first..first + count`, which must all be stored.
fn stored_ders<S: Store>(store: &S, first: u64, count: usize) -> Vec<Vec<u8>> {
    let rows = store.entries(first, count).unwrap();
    assert_eq!(rows.len(), count);
    rows.into_iter().map(|(_, stored)| stored.der).collect()
}

fn empty_store_holds_nothing<F: Fixture>(fixture: &F) {
    let store = fixture.handle();
    assert_eq!(store.latest_checkpoint().unwrap(), None);
    assert_eq!(store.checkpoint(0).unwrap(), None);
    assert_eq!(store.checkpoint_sizes().unwrap(), Vec::<u64>::new());
    assert_eq!(store.entries(0, 10).unwrap(), vec![]);
    assert_eq!(store.entries_at(&[]).unwrap(), vec![]);
    assert_eq!(
        store.entries_at(&[0]).unwrap_err(),
        Error::EntryMissing { index: 0 }
    );
    assert_eq!(store.leaf_indexes("SH-1", 10).unwrap(), Vec::<u64>::new());
    assert_eq!(store.serials().unwrap(), Vec::<String>::new());
    assert_eq!(store.hash_count().unwrap(), 0);
    assert_eq!(
        store.read_hashes(&[0]).unwrap_err(),
        Error::HashNotStored {
            index: 0,
            stored: 0
        }
    );
}

fn opening_stores_the_signed_empty_tree<F: Fixture>(fixture: &F) {
    let ledger = Ledger::open(fixture.handle(), signer()).unwrap();
    let store = fixture.handle();
    assert_eq!(store.checkpoint_sizes().unwrap(), vec![0]);
    let checkpoint = ledger
        .verifier()
        .verify(&store.latest_checkpoint().unwrap().unwrap())
        .unwrap();
    assert_eq!(checkpoint.size(), 0);
    assert_eq!(checkpoint.root(), &SM3.empty_root());
    assert_eq!(
        store.checkpoint(0).unwrap(),
        store.latest_checkpoint().unwrap()
    );
    assert_eq!(ledger.verify().unwrap(), checkpoint);
}

fn batches_are_stored_with_one_checkpoint_each<F: Fixture>(fixture: &F) {
    let (ledger, ders) = build(fixture);
    let store = fixture.handle();
    assert_eq!(store.checkpoint_sizes().unwrap(), vec![0, 1, 5, 13]);
    for size in [0, 1, 5, 13] {
        let note = store.checkpoint(size).unwrap().unwrap();
        assert_eq!(ledger.verifier().verify(&note).unwrap().size(), size);
    }
    assert_eq!(store.checkpoint(6).unwrap(), None);
    assert_eq!(store.checkpoint(14).unwrap(), None);
    assert_eq!(
        ledger.checkpoint_at(6).unwrap_err(),
        Error::CheckpointNotStored { size: 6 }
    );
    // Paging through entries.
    let page = store.entries(3, 4).unwrap();
    assert_eq!(
        page.iter().map(|(leaf, _)| *leaf).collect::<Vec<_>>(),
        [3, 4, 5, 6]
    );
    for (leaf, stored) in &page {
        let i = usize::try_from(*leaf).unwrap();
        assert_eq!(stored.serial, format!("SH-{}", i % 3));
        assert_eq!(stored.der, ders[i]);
    }
    assert_eq!(store.entries(12, 10).unwrap().len(), 1);
    assert_eq!(store.entries(13, 10).unwrap(), vec![]);
    assert_eq!(store.entries(0, 0).unwrap(), vec![]);
    // Random access keeps the order asked for, and names the first missing leaf.
    let picked = store.entries_at(&[12, 0, 5, 5]).unwrap();
    assert_eq!(
        picked.iter().map(|e| &e.der).collect::<Vec<_>>(),
        [&ders[12], &ders[0], &ders[5], &ders[5]]
    );
    assert_eq!(
        store.entries_at(&[2, 13, 14]).unwrap_err(),
        Error::EntryMissing { index: 13 }
    );
    assert_eq!(store.hash_count().unwrap(), stored_hash_count(13).unwrap());
    assert_eq!(ledger.verify().unwrap().size(), 13);
}

/// RFC 9162 §2.1: the hashes a store keeps are exactly those a plain in-memory log keeps
/// for the same entries, at the same positions, in whatever order they are asked for.
fn stored_hashes_are_the_plain_logs<F: Fixture>(fixture: &F) {
    let (_ledger, ders) = build(fixture);
    let mut reference = MemoryHashes::new(&SM3);
    for der in &ders {
        let _ = reference.append(der).unwrap();
    }
    let store = fixture.handle();
    let all: Vec<u64> = (0..23).collect();
    assert_eq!(store.read_hashes(&all).unwrap(), reference.stored());
    let scattered = [22, 0, 7, 7, 15, 3];
    assert_eq!(
        store.read_hashes(&scattered).unwrap(),
        reference.read_hashes(&scattered).unwrap()
    );
    assert_eq!(
        store.read_hashes(&[1, 23]).unwrap_err(),
        Error::HashNotStored {
            index: 23,
            stored: 23
        }
    );
    assert_eq!(
        tree_hash(&SM3, 13, &store).unwrap(),
        tree_hash(&SM3, 13, &reference).unwrap()
    );
}

/// The serial index answers only below the size asked for, and lists serials in byte
/// order whatever the storage engine's collation.
fn serial_index_is_bounded_and_in_byte_order<F: Fixture>(fixture: &F) {
    let ledger = Ledger::open(fixture.handle(), signer()).unwrap();
    let serials = [
        "sh-1", "SH-a", "SH-B", "SH-10", "SH-9", "SH-B", "SH_0", "SH-B",
    ];
    let entries: Vec<Entry> = serials.iter().map(|s| decision(s)).collect();
    ledger.append_batch(&entries).unwrap();
    let store = fixture.handle();
    assert_eq!(
        store.serials().unwrap(),
        ["SH-10", "SH-9", "SH-B", "SH-a", "SH_0", "sh-1"]
    );
    assert_eq!(store.leaf_indexes("SH-B", 8).unwrap(), [2, 5, 7]);
    assert_eq!(store.leaf_indexes("SH-B", 7).unwrap(), [2, 5]);
    assert_eq!(store.leaf_indexes("SH-B", 2).unwrap(), Vec::<u64>::new());
    assert_eq!(store.leaf_indexes("sh-b", 8).unwrap(), Vec::<u64>::new());
    assert_eq!(store.leaf_indexes("SH-", 8).unwrap(), Vec::<u64>::new());
    assert_eq!(ledger.serials().unwrap(), store.serials().unwrap());
}

/// `last_leaf` is the last of `leaf_indexes` at every size, for present and absent serials.
fn last_leaf_agrees_with_the_serial_index<F: Fixture>(fixture: &F) {
    let _ledger = build(fixture);
    let store = fixture.handle();
    for size in 0..=14 {
        for serial in ["SH-0", "SH-1", "SH-2", "SH-9"] {
            assert_eq!(
                store.last_leaf(serial, size).unwrap(),
                store.leaf_indexes(serial, size).unwrap().last().copied(),
                "{serial} below {size}"
            );
        }
    }
    assert_eq!(store.last_leaf("SH-1", 13).unwrap(), Some(10));
    assert_eq!(store.last_leaf("SH-1", 10).unwrap(), Some(7));
    assert_eq!(store.last_leaf("SH-1", 1).unwrap(), None);
}

/// Metadata is seen through every handle, a later value replaces an earlier one, empty
/// values are kept, and an unknown name is absent rather than an error.
fn metadata_is_kept_and_replaced<F: Fixture>(fixture: &F) {
    let store = fixture.handle();
    assert_eq!(store.metadata("note").unwrap(), None);
    store.set_metadata("note", b"first").unwrap();
    store.set_metadata("note", b"second").unwrap();
    store.set_metadata("empty", b"").unwrap();
    let other = fixture.handle();
    assert_eq!(other.metadata("note").unwrap(), Some(b"second".to_vec()));
    assert_eq!(other.metadata("empty").unwrap(), Some(Vec::new()));
    assert_eq!(other.metadata("NOTE").unwrap(), None);
}

/// A timestamp token (RFC 3161) is kept per stored checkpoint, seen through every handle,
/// replaced by a later one, and refused for a checkpoint that is not stored.
fn checkpoint_tokens_are_kept_per_checkpoint<F: Fixture>(fixture: &F) {
    let _ledger = build(fixture);
    let store = fixture.handle();
    assert_eq!(store.checkpoint_token(5).unwrap(), None);
    store.set_checkpoint_token(5, b"first token").unwrap();
    store.set_checkpoint_token(13, b"other").unwrap();
    store.set_checkpoint_token(5, b"second token").unwrap();
    let other = fixture.handle();
    assert_eq!(
        other.checkpoint_token(5).unwrap(),
        Some(b"second token".to_vec())
    );
    assert_eq!(other.checkpoint_token(13).unwrap(), Some(b"other".to_vec()));
    assert_eq!(other.checkpoint_token(1).unwrap(), None);
    assert_eq!(other.checkpoint_token(6).unwrap(), None);
    for size in [6, 14] {
        assert_eq!(
            other.set_checkpoint_token(size, b"token").unwrap_err(),
            Error::CheckpointNotStored { size }
        );
        assert_eq!(other.checkpoint_token(size).unwrap(), None);
    }
    // Verifying the log from scratch checks each stored token against its checkpoint:
    // these bytes are no RFC 3161 token, and the first stamped checkpoint names it.
    assert!(matches!(
        Ledger::open(fixture.handle(), signer())
            .unwrap()
            .verify()
            .unwrap_err(),
        Error::CheckpointTimestampInvalid { size: 5, .. }
    ));
}

/// A checkpoint stamped by a TSA (RFC 3161 §2.4.2 over the C2SP note) is read back from the
/// store into the history and its evidence bundle, and verifies there with the TSA's root.
fn stamped_checkpoint_travels_in_the_bundle<F: Fixture>(fixture: &F) {
    use smtrust::pki::{CertificateBuilder, UnixTime};
    use smtrust::sm2::{DistId, SigningKey};
    use smtrust::tsp::{self, LocalTsa};

    let (ledger, _) = build(fixture);
    let root_key = SigningKey::new(SecretKey::from_bytes(&[1; 32]).unwrap(), DistId::DEFAULT);
    let root = CertificateBuilder::ca("CN=Time Root", 1)
        .self_signed(&root_key)
        .unwrap();
    let tsa_key = SigningKey::new(SecretKey::from_bytes(&[2; 32]).unwrap(), DistId::DEFAULT);
    let tsa_cert = LocalTsa::certificate_builder("CN=TSA", 2)
        .issue(tsa_key.verifying_key().public_key(), &root, &root_key)
        .unwrap();
    let tsa = LocalTsa::new(&tsa_key, tsa_cert, "1.2.3.4.1").unwrap();
    let stamped_at = UnixTime::since_unix_epoch(Duration::from_secs(1_780_000_100));
    let token = ledger.stamp_checkpoint(13, &tsa, stamped_at).unwrap();
    let reopened = Ledger::open(fixture.handle(), signer()).unwrap();
    assert_eq!(reopened.checkpoint_token(13).unwrap(), Some(token.clone()));
    let history = reopened.history("SH-2").unwrap();
    assert_eq!(history.checkpoint_token(), Some(&token));
    let verified = EvidenceBundle::verify_with_tsa(
        history.to_bundle(&[]).unwrap().to_der(),
        reopened.verifier(),
        &tsp::VerifyOptions::new(vec![root]),
    )
    .unwrap();
    assert_eq!(
        verified.checkpoint_timestamp().trusted_time(),
        Some(stamped_at)
    );
}

fn histories_proofs_and_bundles_verify<F: Fixture>(fixture: &F) {
    let (ledger, ders) = build(fixture);
    let history = ledger.history("SH-1").unwrap();
    let checkpoint = history.checkpoint().clone();
    assert_eq!(checkpoint.size(), 13);
    let indexes: Vec<u64> = history.entries().iter().map(|e| e.index()).collect();
    assert_eq!(indexes, [1, 4, 7, 10]);
    for proven in history.entries() {
        assert_eq!(proven.der(), ders[usize::try_from(proven.index()).unwrap()]);
        check_inclusion(
            &SM3,
            proven.proof(),
            checkpoint.size(),
            proven.index(),
            checkpoint.root(),
            &SM3.hash_leaf(proven.der()),
        )
        .unwrap();
    }
    assert_eq!(ledger.history("SH-404").unwrap().entries().len(), 0);

    // A regulator's retrieval is committed first and is part of what it returns.
    let regulator = Actor::new(Role::Regulator, "samr-inspector-3");
    let retrieved = ledger
        .retrieve(&regulator, "SH-1", "annual inspection", at())
        .unwrap();
    assert_eq!(retrieved.checkpoint().size(), 14);
    assert_eq!(retrieved.entries().len(), 5);
    let bundle = retrieved.to_bundle(&[]).unwrap();
    let checked = EvidenceBundle::verify(bundle.to_der(), ledger.verifier()).unwrap();
    assert_eq!(checked.entries().len(), 5);
    assert_eq!(checked.checkpoint(), retrieved.checkpoint());

    // Consistency from every stored checkpoint to the latest (RFC 9162 §2.1.4).
    let latest = ledger.checkpoint().unwrap();
    for size in fixture.handle().checkpoint_sizes().unwrap() {
        let old = ledger.checkpoint_at(size).unwrap();
        let proof = ledger.prove_consistency(size, latest.size()).unwrap();
        old.check_consistency(&latest, &proof).unwrap();
    }
    // An auditor sees proofs, and the refusal of a registrar's retrieval is logged.
    let registrar = Actor::new(Role::Registrar, "clerk-07");
    assert!(matches!(
        ledger.retrieve(&registrar, "SH-1", "curiosity", at()),
        Err(Error::AccessDenied { .. })
    ));
    assert_eq!(ledger.verify().unwrap().size(), 15);
}

fn reopened_store_continues_and_checks_its_key<F: Fixture>(fixture: &F) {
    let (ledger, _) = build(fixture);
    drop(ledger);
    let ledger = Ledger::open(fixture.handle(), signer()).unwrap();
    assert_eq!(
        ledger
            .append_batch(&[decision("SH-9")])
            .unwrap()
            .first_leaf(),
        13
    );
    assert_eq!(ledger.verify().unwrap().size(), 14);
    drop(ledger);
    let other = LogSigner::new(LOG, SecretKey::from_bytes(&[9; 32]).unwrap()).unwrap();
    assert_eq!(
        Ledger::open(fixture.handle(), other).unwrap_err(),
        Error::CheckpointNotSigned {
            key_name: LOG.into()
        }
    );
}

/// Two sequencers on one store: the batch of the one that is behind is refused
/// (`AppendConflict`); it catches up with the store (size, edge, each serial's newest entry)
/// and writes the batch after the other's, linked to it.
fn sequencer_behind_the_store_catches_up<F: Fixture>(fixture: &F) {
    let first = Ledger::open(fixture.handle(), signer()).unwrap();
    let second = Ledger::open(fixture.handle(), signer()).unwrap();
    first.append_batch(&[decision("SH-1")]).unwrap();
    assert_eq!(
        second
            .append_batch(&[decision("SH-1")])
            .unwrap()
            .first_leaf(),
        1
    );
    let store = fixture.handle();
    assert_eq!(store.checkpoint_sizes().unwrap(), [0, 1, 2]);
    let linked = Entry::from_der(&store.entries_at(&[1]).unwrap().remove(0).der).unwrap();
    assert_eq!(linked.previous().map(|link| link.leaf()), Some(0));
    assert_eq!(first.verify().unwrap().size(), 2);
    // A sequencer opened now starts at the store's size.
    let third = Ledger::open(fixture.handle(), signer()).unwrap();
    assert_eq!(
        third
            .append_batch(&[decision("SH-3")])
            .unwrap()
            .first_leaf(),
        2
    );
}

/// Random batch sizes (fixed seed), across reopenings: every signed root equals the root of a
/// `MemoryHashes` log of the same entry DERs (RFC 9162 §2.1.1), and successive checkpoints are
/// consistent (§2.1.4).
fn signed_roots_match_the_plain_merkle_log<F: Fixture>(fixture: &F) {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let mut reference = MemoryHashes::new(&SM3);
    let mut ledger = Ledger::open(fixture.handle(), signer()).unwrap();
    let mut previous = ledger.checkpoint().unwrap();
    for round in 0..30 {
        if round % 10 == 9 {
            drop(ledger);
            ledger = Ledger::open(fixture.handle(), signer()).unwrap();
        }
        let len = 1 + rng.next_u32() % 70;
        let batch: Vec<Entry> = (0..len)
            .map(|_| decision(&format!("R-{}", rng.next_u32() % 17)))
            .collect();
        let committed = ledger.append_batch(&batch).unwrap();
        let count = usize::try_from(len).unwrap();
        for der in stored_ders(ledger.store(), committed.first_leaf(), count) {
            let _ = reference.append(&der).unwrap();
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

/// Four threads append through one ledger while two read histories and check every proof.
fn threads_append_and_read_at_once<F: Fixture>(fixture: &F) {
    let ledger = Arc::new(Ledger::open(fixture.handle(), signer()).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|r| {
            let (ledger, done) = (Arc::clone(&ledger), Arc::clone(&done));
            std::thread::spawn(move || {
                let mut reads = 0u64;
                while !done.load(Ordering::SeqCst) || reads == 0 {
                    let history = ledger.history(&format!("W-{r}")).unwrap();
                    let checkpoint = history.checkpoint();
                    for e in history.entries() {
                        check_inclusion(
                            &SM3,
                            e.proof(),
                            checkpoint.size(),
                            e.index(),
                            checkpoint.root(),
                            &SM3.hash_leaf(e.der()),
                        )
                        .unwrap();
                    }
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let ledger = Arc::clone(&ledger);
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let batch: Vec<Entry> = (0..5).map(|_| decision(&format!("W-{w}"))).collect();
                    ledger.append_batch(&batch).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    for reader in readers {
        assert!(reader.join().unwrap() > 0);
    }
    assert_eq!(ledger.verify().unwrap().size(), 200);
    for w in 0..4 {
        assert_eq!(
            ledger.history(&format!("W-{w}")).unwrap().entries().len(),
            50
        );
    }
}
