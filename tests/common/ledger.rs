//! Ledger fixtures shared by the `trace_*` tests: one log name, one log key, one fixed instant
//! and the registrar's decision entry that most tests append.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::Sequence;
use der::asn1::OctetString;

use smtrust::sm2::SecretKey;
use smtrust::trace::{Actor, Entry, Event, LogSigner, Role};

/// The log name every ledger test signs checkpoints under.
pub const LOG: &str = "smtrust.example/ledger";

/// One fixed instant for the entries (2026-05-28), so that encodings are reproducible.
pub fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

/// The log's checkpoint signer, with the fixed key d = 0x0707…07.
pub fn signer() -> LogSigner {
    LogSigner::new(LOG, SecretKey::from_bytes(&[7; 32]).unwrap()).unwrap()
}

/// A registrar's approval of `serial` at [`at`] under the rule `samr-online`.
pub fn decision(serial: &str) -> Entry {
    decision_with(serial, at(), "samr-online")
}

/// A registrar's approval of `serial` at `when` under `rule`.
pub fn decision_with(serial: &str, when: SystemTime, rule: &str) -> Entry {
    Entry::new(
        serial,
        when,
        Actor::new(Role::Registrar, "clerk-07"),
        Event::DecisionMade {
            decision: "approved".into(),
            rule: rule.into(),
        },
    )
    .unwrap()
}

/// An evidence bundle's layout as documented on `EvidenceBundle`, written independently of
/// `src/trace`: version 2, or version 3 with the checkpoint's RFC 3161 token in `[0]`.
#[derive(Sequence, Clone)]
pub struct Bundle {
    pub version: u8,
    pub serial: String,
    pub checkpoint: OctetString,
    pub entries: Vec<BundleEntry>,
    pub certificates: Vec<OctetString>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub checkpoint_token: Option<OctetString>,
}

/// One entry of a [`Bundle`]: its leaf index, its DER and its inclusion proof.
#[derive(Sequence, Clone)]
pub struct BundleEntry {
    pub leaf: u64,
    pub entry: OctetString,
    pub proof: Vec<OctetString>,
}

/// Writes the [`Store`](smtrust::trace::Store) methods that a test wrapper hands straight to
/// its `inner` store: every required method but `append` and `leaf_indexes`, which the
/// wrappers write themselves to inject a failure, a race or a hidden entry.
#[allow(
    unused_macros,
    reason = "each test binary compiles common/ and only some wrap a store"
)]
macro_rules! forward_store_reads {
    () => {
        fn latest_checkpoint(&self) -> Result<Option<Vec<u8>>, smtrust::trace::Error> {
            self.inner.latest_checkpoint()
        }
        fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, smtrust::trace::Error> {
            self.inner.checkpoint(size)
        }
        fn checkpoint_sizes(&self) -> Result<Vec<u64>, smtrust::trace::Error> {
            self.inner.checkpoint_sizes()
        }
        fn entries(
            &self,
            first: u64,
            limit: usize,
        ) -> Result<Vec<(u64, smtrust::trace::StoredEntry)>, smtrust::trace::Error> {
            self.inner.entries(first, limit)
        }
        fn entries_at(
            &self,
            indexes: &[u64],
        ) -> Result<Vec<smtrust::trace::StoredEntry>, smtrust::trace::Error> {
            self.inner.entries_at(indexes)
        }
        fn serials(&self) -> Result<Vec<String>, smtrust::trace::Error> {
            self.inner.serials()
        }
        fn hash_count(&self) -> Result<u64, smtrust::trace::Error> {
            self.inner.hash_count()
        }
        fn metadata(&self, name: &str) -> Result<Option<Vec<u8>>, smtrust::trace::Error> {
            self.inner.metadata(name)
        }
        fn set_metadata(&self, name: &str, value: &[u8]) -> Result<(), smtrust::trace::Error> {
            self.inner.set_metadata(name, value)
        }
    };
}
#[allow(
    unused_imports,
    reason = "each test binary compiles common/ and only some wrap a store"
)]
pub(crate) use forward_store_reads;
