//! Ledger fixtures shared by the `trace_*` tests: one log name, one log key, one fixed instant
//! and the registrar's decision entry that most tests append.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
