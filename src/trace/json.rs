//! A history as JSON text, for the command line and the C ABI.

use serde_json::{Value, json};

use super::history::ProvenEntry;
use super::{CheckpointTimestamp, EntryKind, Event, History, Operation, SM3};

impl History {
    /// The history as JSON text: what the command line's `ledger history --json` prints and
    /// what the C function `smtrust_ledger_history` returns. Byte strings are lower-case
    /// hex, times RFC 3339 in UTC.
    ///
    /// ```text
    /// {"serial": "SH-2026-0001",
    ///  "log": "smtrust.example/ledger",
    ///  "checkpoint": {"size": 6, "root": HEX},
    ///  "entries": [
    ///    {"leaf": 0, "leaf_hash": HEX, "kind": "decision_made",
    ///     "time": "2026-05-28T20:26:40Z", "actor": {"role": "registrar", "id": "clerk-07"},
    ///     "event": {"decision": "approved", "rule": "samr-online"},
    ///     "previous": null | {"leaf": N, "leaf_hash": HEX},
    ///     "proof": [HEX, …]}, …]}
    /// ```
    ///
    /// Kinds and their `event` members: `verification_recorded` (`record`),
    /// `decision_made` (`decision`, `rule`), `document_signed` and `seal_applied` (`digest`,
    /// `signer_certificate`), `retrieved` (`reason`, `what`), `access_denied` (`operation`:
    /// `append_verification_recorded`, `append_decision_made`, `append_document_signed`,
    /// `append_seal_applied`, `append_retrieved`, `append_access_denied`, `retrieve` or
    /// `audit`). Roles: `registrar`, `institution`, `regulator`, `auditor`.
    pub fn to_json(&self) -> String {
        history_json(self).to_string()
    }
}

fn history_json(history: &History) -> Value {
    let checkpoint = history.checkpoint();
    json!({
        "serial": history.serial(),
        "log": checkpoint.checkpoint().origin(),
        "checkpoint": {"size": checkpoint.size(), "root": checkpoint.root().to_string()},
        "entries": history.entries().iter().map(entry_json).collect::<Vec<_>>(),
    })
}

/// A verified bundle as JSON: its history, and `checkpoint_timestamp` (see
/// [`VerifiedBundle::to_json`](super::VerifiedBundle::to_json)).
pub(super) fn bundle_json(history: &History, timestamp: &CheckpointTimestamp) -> String {
    let mut value = history_json(history);
    if let Some(object) = value.as_object_mut() {
        let _ = object.insert("checkpoint_timestamp".to_owned(), timestamp_json(timestamp));
    }
    value.to_string()
}

fn timestamp_json(timestamp: &CheckpointTimestamp) -> Value {
    let (status, info, tsa, anchor) = match timestamp {
        CheckpointTimestamp::Verified(verified) => (
            "verified",
            verified.info(),
            Some(verified.tsa_certificate().subject()),
            Some(verified.path().trust_anchor().subject()),
        ),
        CheckpointTimestamp::Unverified(token) => ("unverified", token.info(), None, None),
        CheckpointTimestamp::Absent => return Value::Null,
    };
    let gen_time = der::DateTime::from_unix_duration(core::time::Duration::from_secs(
        info.gen_time().as_secs(),
    ))
    .map(|time| time.to_string())
    .unwrap_or_default();
    json!({
        "status": status,
        "gen_time": gen_time,
        "tsa": tsa,
        "trust_anchor": anchor,
        "serial": info.serial_hex(),
        "policy": info.policy(),
        "imprint_algorithm": info.imprint_algorithm().name(),
    })
}

fn entry_json(proven: &ProvenEntry) -> Value {
    let entry = proven.entry();
    let time = der::DateTime::from_system_time(entry.time())
        .map(|time| time.to_string())
        .unwrap_or_default();
    json!({
        "leaf": proven.index(),
        "leaf_hash": SM3.hash_leaf(proven.der()).to_string(),
        "kind": kind_name(entry.event().kind()),
        "time": time,
        "actor": {"role": entry.actor().role.to_string(), "id": entry.actor().id},
        "event": event_json(entry.event()),
        "previous": entry.previous().map(|link| json!({
            "leaf": link.leaf(),
            "leaf_hash": link.leaf_hash().to_string(),
        })),
        "proof": proven.proof().iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// The JSON name of an entry kind.
fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::VerificationRecorded => "verification_recorded",
        EntryKind::DecisionMade => "decision_made",
        EntryKind::DocumentSigned => "document_signed",
        EntryKind::SealApplied => "seal_applied",
        EntryKind::Retrieved => "retrieved",
        EntryKind::AccessDenied => "access_denied",
    }
}

fn operation_name(operation: Operation) -> &'static str {
    match operation {
        Operation::AppendVerificationRecorded => "append_verification_recorded",
        Operation::AppendDecisionMade => "append_decision_made",
        Operation::AppendDocumentSigned => "append_document_signed",
        Operation::AppendSealApplied => "append_seal_applied",
        Operation::AppendRetrieved => "append_retrieved",
        Operation::AppendAccessDenied => "append_access_denied",
        Operation::Retrieve => "retrieve",
        Operation::Audit => "audit",
    }
}

fn event_json(event: &Event) -> Value {
    match event {
        Event::VerificationRecorded { record } => json!({"record": hex::encode(record)}),
        Event::DecisionMade { decision, rule } => json!({"decision": decision, "rule": rule}),
        Event::DocumentSigned {
            digest,
            signer_certificate,
        }
        | Event::SealApplied {
            digest,
            signer_certificate,
        } => json!({
            "digest": hex::encode(digest),
            "signer_certificate": hex::encode(signer_certificate),
        }),
        Event::Retrieved { reason, what } => json!({"reason": reason, "what": what}),
        Event::AccessDenied { operation } => json!({"operation": operation_name(*operation)}),
    }
}
