//! The ledger: one sequencer that orders appends into batches, each committed with one
//! signed checkpoint, and role-checked access by serial.

use std::time::SystemTime;

use super::sequencer::Sequencer;
use super::{
    Actor, AuditTrail, Batch, Checkpoint, Entry, Error, Event, Hash, History, LogSigner,
    LogVerifier, Operation, SM3, Store, VerifiedCheckpoint, prove_consistency,
};

/// The most entries one batch may hold; bounds the memory and the transaction of one append.
pub const MAX_BATCH_LEN: usize = 100_000;

/// A tamper-evident ledger keyed by business serial number, over a [`Store`].
///
/// The log is an RFC 9162 Merkle tree with SM3 ([`SM3`]). Every append is a batch: its
/// entries, their subtree hashes, their serial-index rows and one checkpoint signed by the
/// log key are written in one transaction, so a crash leaves the log at its last checkpoint.
///
/// Access goes through one permission table ([`Role::may`](super::Role::may)): registrars
/// and institutions append their kinds of entries, a regulator retrieves by serial with a
/// reason (the `Retrieved` entry is committed before any data is returned), an auditor reads
/// proofs and metadata only. A denied attempt is itself appended as an `AccessDenied` entry.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use smtrust::sm2::SecretKey;
/// use smtrust::trace::{Actor, Entry, Event, Ledger, LogSigner, MemoryStore, Role};
///
/// let signer = LogSigner::new("smtrust.example/ledger", SecretKey::generate(&mut getrandom::SysRng)?)?;
/// let verifier = signer.verifier().clone();
/// let ledger = Ledger::open(MemoryStore::new(), signer)?;
///
/// let at = UNIX_EPOCH + Duration::from_secs(1_780_000_000);
/// let registrar = Actor::new(Role::Registrar, "clerk-07");
/// let decision = Event::DecisionMade { decision: "approved".into(), rule: "samr-online".into() };
/// ledger.append_batch(&[Entry::new("SH-2026-0001", at, registrar, decision)?])?;
///
/// let regulator = Actor::new(Role::Regulator, "samr-inspector-3");
/// let history = ledger.retrieve(&regulator, "SH-2026-0001", "annual inspection", at)?;
/// assert_eq!(history.entries().len(), 2); // the decision and the retrieval itself
///
/// // Anyone with the log key can check the evidence offline.
/// let bundle = history.to_bundle(&[])?;
/// let checked = smtrust::trace::EvidenceBundle::verify(bundle.to_der(), &verifier)?;
/// assert_eq!(checked.entries().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Ledger<S: Store> {
    store: S,
    signer: LogSigner,
    sequencer: Sequencer,
}

/// What an append committed.
#[derive(Clone, Debug)]
pub struct Committed {
    pub(super) first_leaf: u64,
    pub(super) checkpoint: VerifiedCheckpoint,
}

impl Committed {
    /// The leaf index of the batch's first entry.
    pub fn first_leaf(&self) -> u64 {
        self.first_leaf
    }

    /// The checkpoint that was signed and stored with the batch.
    pub fn checkpoint(&self) -> &VerifiedCheckpoint {
        &self.checkpoint
    }
}

impl<S: Store> Ledger<S> {
    /// Opens the ledger in `store`, signing with `signer`. An empty store gets the signed
    /// checkpoint of the empty tree; otherwise the latest checkpoint must verify under the
    /// signer's key.
    ///
    /// The log's name and public key are recorded in the store's metadata (see
    /// [`LogVerifier::recorded_in`]) if it has none; if it records another log, opening fails
    /// with [`Error::LogMetadataMismatch`].
    pub fn open(store: S, signer: LogSigner) -> Result<Self, Error> {
        let size = match store.latest_checkpoint()? {
            Some(note) => {
                let size = signer.verifier().verify(&note)?.size();
                super::metadata::record_log(&store, signer.verifier())?;
                size
            }
            None => {
                super::metadata::record_log(&store, signer.verifier())?;
                let checkpoint = Checkpoint::new(signer.verifier().name(), 0, SM3.empty_root())?;
                let note = signer.sign(&checkpoint)?;
                store.append(&Batch {
                    first_leaf: 0,
                    entries: &[],
                    first_hash: 0,
                    hashes: &[],
                    checkpoint_size: 0,
                    checkpoint: &note,
                })?;
                0
            }
        };
        Ok(Self {
            store,
            signer,
            sequencer: Sequencer::new(size),
        })
    }

    /// The store the ledger writes to.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The log's name and public key, for checking its checkpoints and bundles.
    pub fn verifier(&self) -> &LogVerifier {
        self.signer.verifier()
    }

    /// The latest signed checkpoint, verified.
    pub fn checkpoint(&self) -> Result<VerifiedCheckpoint, Error> {
        let note = self.store.latest_checkpoint()?.ok_or(Error::NoCheckpoint)?;
        self.verifier().verify(&note)
    }

    /// The stored checkpoint of `size` leaves, verified.
    pub fn checkpoint_at(&self, size: u64) -> Result<VerifiedCheckpoint, Error> {
        let note = self
            .store
            .checkpoint(size)?
            .ok_or(Error::CheckpointNotStored { size })?;
        self.verifier().verify(&note)
    }

    /// A proof that the tree of `old_size` leaves is a prefix of the tree of `new_size`
    /// leaves (see [`VerifiedCheckpoint::check_consistency`]).
    pub fn prove_consistency(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, Error> {
        prove_consistency(&SM3, old_size, new_size, &self.store)
    }

    /// Every serial in the index.
    pub fn serials(&self) -> Result<Vec<String>, Error> {
        self.store.serials()
    }

    /// Appends one entry, as [`Ledger::append_batch`] does; its leaf index is
    /// [`Committed::first_leaf`].
    ///
    /// Concurrent calls share transactions (group commit): while one transaction is being
    /// flushed, the appends that arrive gather into the next one. Each call returns only once
    /// the transaction holding its entry is durable.
    pub fn append(&self, entry: &Entry) -> Result<Committed, Error> {
        self.append_batch(core::slice::from_ref(entry))
    }

    /// Appends `entries` as one contiguous run of leaves: checks each entry's actor against
    /// the permission table, links each entry to its serial's previous entry ([`Link`]), then
    /// commits them and one checkpoint in one transaction, possibly shared with concurrent
    /// appends (see [`Ledger::append`]).
    ///
    /// If any entry is not allowed, nothing of the batch is written; an `AccessDenied` entry
    /// is committed for each refused one instead, and the first refusal is returned.
    ///
    /// [`Link`]: super::Link
    pub fn append_batch(&self, entries: &[Entry]) -> Result<Committed, Error> {
        if entries.is_empty() || entries.len() > MAX_BATCH_LEN {
            return Err(Error::BatchSize {
                len: entries.len(),
                max: MAX_BATCH_LEN,
            });
        }
        let mut denied = Vec::new();
        let mut first_refusal = None;
        for entry in entries {
            let operation = entry.event().append_operation();
            let role = entry.actor().role;
            if !role.may(operation) {
                first_refusal.get_or_insert(Error::AccessDenied { role, operation });
                denied.push(Entry::new(
                    entry.serial(),
                    entry.time(),
                    entry.actor().clone(),
                    Event::AccessDenied { operation },
                )?);
            }
        }
        if let Some(refusal) = first_refusal {
            let _ = self.commit(&denied)?;
            return Err(refusal);
        }
        self.commit(entries)
    }

    /// Everything recorded about `serial`, each entry with its inclusion proof against the
    /// latest checkpoint. This is the operator's own view: role-checked access goes through
    /// [`Ledger::retrieve`] and [`Ledger::audit`].
    pub fn history(&self, serial: &str) -> Result<History, Error> {
        let checkpoint = self.checkpoint()?;
        let below = checkpoint.size();
        History::build(&self.store, checkpoint, serial, below)
    }

    /// A regulator's retrieval of everything about `serial`, for `reason`, at time `at`.
    ///
    /// The `Retrieved` entry is committed first; the history returned ends with it and is
    /// proved against the checkpoint that includes it. As the `Retrieved` entry links to the
    /// serial's newest entry before it, and each entry to the one before, the history's chain
    /// shows that no entry was left out. Any other role is refused, and the refusal recorded.
    pub fn retrieve(
        &self,
        actor: &Actor,
        serial: &str,
        reason: &str,
        at: SystemTime,
    ) -> Result<History, Error> {
        self.require(actor, Operation::Retrieve, serial, at)?;
        if reason.trim().is_empty() {
            return Err(Error::ReasonMissing);
        }
        let retrieved = Entry::new(
            serial,
            at,
            actor.clone(),
            Event::Retrieved {
                reason: reason.to_owned(),
                what: "history".to_owned(),
            },
        )?;
        let committed = self.commit(&[retrieved])?;
        History::build(
            &self.store,
            committed.checkpoint,
            serial,
            committed.first_leaf + 1,
        )
    }

    /// An auditor's view of `serial`: each entry's kind, time, actor, leaf hash and
    /// inclusion proof against the latest checkpoint, never its data. Any other role is
    /// refused, and the refusal recorded (at time `at`).
    pub fn audit(&self, actor: &Actor, serial: &str, at: SystemTime) -> Result<AuditTrail, Error> {
        self.require(actor, Operation::Audit, serial, at)?;
        Ok(self.history(serial)?.into_audit_trail())
    }

    /// Checks the whole log from scratch: every checkpoint's signature (and that its
    /// timestamp token, if any, stamps it), every entry against its stored leaf hash, every
    /// stored subtree hash, every checkpoint root, the serial index and every entry's link to
    /// its serial's previous entry. Returns the latest
    /// checkpoint, or says where the store was altered.
    pub fn verify(&self) -> Result<VerifiedCheckpoint, Error> {
        super::verify_log(&self.store, self.verifier())
    }

    /// Checks `actor` may do `operation`; if not, records the refusal and returns it.
    fn require(
        &self,
        actor: &Actor,
        operation: Operation,
        serial: &str,
        at: SystemTime,
    ) -> Result<(), Error> {
        if actor.role.may(operation) {
            return Ok(());
        }
        let denied = Entry::new(serial, at, actor.clone(), Event::AccessDenied { operation })?;
        let _ = self.commit(&[denied])?;
        Err(Error::AccessDenied {
            role: actor.role,
            operation,
        })
    }

    /// Commits `entries` through the sequencer.
    fn commit(&self, entries: &[Entry]) -> Result<Committed, Error> {
        self.sequencer
            .commit(&self.store, &self.signer, entries.to_vec())
    }
}

impl<S: Store> core::fmt::Debug for Ledger<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ledger")
            .field("log", self.verifier())
            .finish_non_exhaustive()
    }
}
