//! The ledger of `smtrust::trace` above the Merkle log: checkpoints in the C2SP signed-note
//! layout (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) signed with SM2 (GB/T 32918.2),
//! DER entries, the permission table, regulator retrieval, audit trails and evidence
//! bundles. Every signed format is mutated bit by bit and must then fail (STYLE point 19).

mod common;

use std::time::Duration;

use base64ct::{Base64, Encoding as _};
use smtrust::sm2::{DistId, SecretKey, SigningKey};
use smtrust::trace::{
    self, Actor, BUNDLE_PEM_LABEL, Checkpoint, Entry, EntryKind, Error, Event, EvidenceBundle,
    Hash, Ledger, LogSigner, LogVerifier, MAX_NOTE_LEN, MemoryStore, Operation, Role, SM3,
};

use common::ledger::{Bundle, LOG, at};

fn secret(byte: u8) -> SecretKey {
    SecretKey::from_bytes(&[byte; 32]).unwrap()
}

fn signer() -> LogSigner {
    LogSigner::new(LOG, secret(7)).unwrap()
}

fn registrar() -> Actor {
    Actor::new(Role::Registrar, "clerk-07")
}

fn institution() -> Actor {
    Actor::new(Role::Institution, "face-provider-1")
}

fn regulator() -> Actor {
    Actor::new(Role::Regulator, "samr-inspector-3")
}

fn auditor() -> Actor {
    Actor::new(Role::Auditor, "audit-office-2")
}

fn decision(serial: &str) -> Entry {
    Entry::new(
        serial,
        at(),
        registrar(),
        Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        },
    )
    .unwrap()
}

fn verification(serial: &str) -> Entry {
    Entry::new(
        serial,
        at(),
        institution(),
        Event::VerificationRecorded {
            record: b"\x30\x03\x02\x01\x05 signed record".to_vec(),
        },
    )
    .unwrap()
}

fn sealed(serial: &str, certificate: &[u8]) -> Entry {
    Entry::new(
        serial,
        at(),
        registrar(),
        Event::SealApplied {
            digest: vec![0xab; 32],
            signer_certificate: certificate.to_vec(),
        },
    )
    .unwrap()
}

fn every_event() -> Vec<Event> {
    vec![
        Event::VerificationRecorded {
            record: vec![1, 2, 3],
        },
        Event::DecisionMade {
            decision: "approved".into(),
            rule: "samr-online".into(),
        },
        Event::DocumentSigned {
            digest: vec![9; 32],
            signer_certificate: b"cert-a".to_vec(),
        },
        Event::SealApplied {
            digest: vec![8; 32],
            signer_certificate: b"cert-b".to_vec(),
        },
        Event::Retrieved {
            reason: "inspection".into(),
            what: "history".into(),
        },
        Event::AccessDenied {
            operation: Operation::Retrieve,
        },
    ]
}

/// A ledger with three serials: A has a verification, a decision and a seal; B a decision;
/// C a verification.
fn sample_ledger() -> Ledger<MemoryStore> {
    let ledger = Ledger::open(MemoryStore::new(), signer()).unwrap();
    ledger
        .append_batch(&[verification("SH-A"), verification("SH-C")])
        .unwrap();
    ledger
        .append_batch(&[
            decision("SH-A"),
            decision("SH-B"),
            sealed("SH-A", b"cert-1"),
        ])
        .unwrap();
    ledger
}

// ---------------------------------------------------------------------------------------
// Checkpoints (C2SP signed note)
// ---------------------------------------------------------------------------------------

/// The key hash is SM3(name ‖ 0x0A ‖ 0xFF ‖ SPKI DER)[0..4], as documented.
#[test]
fn key_hash_is_sm3_over_name_newline_ff_spki() {
    let signer = signer();
    let mut input = LOG.as_bytes().to_vec();
    input.extend_from_slice(&[0x0a, 0xff]);
    input.extend_from_slice(&secret(7).public_key().to_spki_der());
    let digest = smtrust::sm3::hash(&input);
    assert_eq!(signer.verifier().key_hash(), digest[..4]);
}

/// c2sp.org/tlog-checkpoint: origin, decimal size, base64 root, blank line, one signature
/// line "— name base64(key hash ‖ r ‖ s)".
#[test]
fn signed_note_has_the_c2sp_layout() {
    let signer = signer();
    let root = SM3.hash_leaf(b"x");
    let note = signer
        .sign(&Checkpoint::new(LOG, 3, root).unwrap())
        .unwrap();
    let text = String::from_utf8(note.clone()).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[0], LOG);
    assert_eq!(lines[1], "3");
    assert_eq!(lines[2], Base64::encode_string(root.as_bytes()));
    assert_eq!(lines[3], "");
    let signature = lines[4]
        .strip_prefix("\u{2014} smtrust.example/ledger ")
        .unwrap();
    let blob = Base64::decode_vec(signature).unwrap();
    assert_eq!(blob.len(), 4 + 64);
    assert_eq!(blob[..4], signer.verifier().key_hash());
    assert_eq!(lines[5], "");
    assert_eq!(lines.len(), 6);

    let verified = signer.verifier().verify(&note).unwrap();
    assert_eq!(verified.size(), 3);
    assert_eq!(verified.root(), &root);
    assert_eq!(verified.note(), &note[..]);
    assert_eq!(verified.checkpoint().origin(), LOG);
}

/// The raw r ‖ s signature is SM2 with the default ID over the note text.
#[test]
fn signature_is_sm2_default_id_over_the_note_text() {
    let signer = signer();
    let checkpoint = Checkpoint::new(LOG, 5, SM3.hash_leaf(b"y")).unwrap();
    let note = String::from_utf8(signer.sign(&checkpoint).unwrap()).unwrap();
    let line = note.split('\n').nth(4).unwrap();
    let blob = Base64::decode_vec(line.rsplit(' ').next().unwrap()).unwrap();
    let signature = smtrust::sm2::Signature::from_raw(&blob[4..]).unwrap();
    let key = SigningKey::new(secret(7), DistId::DEFAULT);
    key.verifying_key()
        .verify(checkpoint.to_text().as_bytes(), &signature)
        .unwrap();
}

#[test]
fn checkpoint_text_round_trips() {
    let checkpoint = Checkpoint::new(LOG, 1234, SM3.hash_leaf(b"z")).unwrap();
    assert_eq!(Checkpoint::from_text(&checkpoint.to_text()), Ok(checkpoint));
}

/// Strict parsing: only the canonical three lines are read (as tlog's ParseTree).
#[test]
fn checkpoint_text_rejects_non_canonical_forms() {
    let root = Base64::encode_string(SM3.hash_leaf(b"z").as_bytes());
    let malformed = |reason| Err(Error::CheckpointMalformed { reason });
    let cases = [
        (
            format!("{LOG}\n012\n{root}\n"),
            "the checkpoint text is not in canonical form",
        ),
        (
            format!("{LOG}\n+12\n{root}\n"),
            "the checkpoint text is not in canonical form",
        ),
        (
            format!("{LOG}\n12\n{root}"),
            "the checkpoint text does not end with a newline",
        ),
        (
            format!("{LOG}\n12\n{root}\next\n"),
            "the checkpoint text is not exactly three lines",
        ),
        (
            format!("{LOG}\n12\n"),
            "the checkpoint text is not exactly three lines",
        ),
        (
            format!("{LOG}\n-1\n{root}\n"),
            "the size line is not a decimal number",
        ),
        (
            format!("{LOG}\n18446744073709551616\n{root}\n"),
            "the size line is not a decimal number",
        ),
        (
            format!("{LOG}\n12\n{}\n", &root[..41]),
            "the root line is not base64",
        ),
        (
            format!("{LOG}\n12\nAAAA\n"),
            "the root is not 32 bytes long",
        ),
        (
            format!("a b\n12\n{root}\n"),
            "the origin line is not a log name",
        ),
    ];
    for (text, reason) in cases {
        assert_eq!(Checkpoint::from_text(&text), malformed(reason), "{text:?}");
    }
}

#[test]
fn log_names_follow_the_key_name_rules() {
    for name in ["", "a b", "a+b", "tab\there", "new\nline"] {
        assert!(matches!(
            LogSigner::new(name, secret(7)),
            Err(Error::LogNameInvalid { .. })
        ));
    }
    assert!(matches!(
        LogVerifier::new(&"x".repeat(257), secret(7).public_key()),
        Err(Error::LogNameInvalid { .. })
    ));
    assert!(LogVerifier::new(&"x".repeat(256), secret(7).public_key()).is_ok());
}

#[test]
fn signer_refuses_another_logs_checkpoint() {
    let other = Checkpoint::new("other.example/log", 1, SM3.empty_root()).unwrap();
    assert_eq!(
        signer().sign(&other),
        Err(Error::OriginMismatch {
            expected: LOG.into(),
            found: "other.example/log".into()
        })
    );
}

fn sample_note() -> Vec<u8> {
    signer()
        .sign(&Checkpoint::new(LOG, 42, SM3.hash_leaf(b"root")).unwrap())
        .unwrap()
}

/// STYLE 19: flipping any single bit of a signed checkpoint makes it fail.
#[test]
fn every_bit_flip_of_a_signed_checkpoint_fails() {
    let verifier = signer().verifier().clone();
    let note = sample_note();
    for byte in 0..note.len() {
        for bit in 0..8 {
            let mut mutated = note.clone();
            mutated[byte] ^= 1 << bit;
            let result = verifier.verify(&mutated);
            assert!(
                matches!(
                    result,
                    Err(Error::CheckpointMalformed { .. }
                        | Error::CheckpointBadSignature { .. }
                        | Error::CheckpointNotSigned { .. }
                        | Error::OriginMismatch { .. })
                ),
                "byte {byte} bit {bit}: {result:?}"
            );
        }
    }
}

#[test]
fn changed_size_fails_the_signature() {
    let note = String::from_utf8(sample_note()).unwrap();
    let forged = note.replacen("\n42\n", "\n43\n", 1);
    assert_eq!(
        signer().verifier().verify(forged.as_bytes()),
        Err(Error::CheckpointBadSignature {
            key_name: LOG.into()
        })
    );
}

#[test]
fn another_key_finds_no_signature() {
    let other = LogVerifier::new(LOG, secret(9).public_key()).unwrap();
    assert_eq!(
        other.verify(&sample_note()),
        Err(Error::CheckpointNotSigned {
            key_name: LOG.into()
        })
    );
}

/// A cosigner's line by an unknown key is ignored; the log's own line still counts.
#[test]
fn cosignature_lines_are_ignored() {
    let mut note = sample_note();
    let blob = Base64::encode_string(&[1u8; 68]);
    note.extend_from_slice(format!("\u{2014} witness.example {blob}\n").as_bytes());
    assert_eq!(signer().verifier().verify(&note).unwrap().size(), 42);
}

/// Go's sumdb/note caps signatures at 100 and notes at 1e6 bytes.
#[test]
fn note_limits_are_enforced() {
    let mut note = sample_note();
    let blob = Base64::encode_string(&[1u8; 68]);
    for _ in 0..100 {
        note.extend_from_slice(format!("\u{2014} witness.example {blob}\n").as_bytes());
    }
    assert_eq!(
        signer().verifier().verify(&note),
        Err(Error::TooManySignatures { max: 100 })
    );
    let big = vec![b'a'; MAX_NOTE_LEN + 1];
    assert_eq!(
        signer().verifier().verify(&big),
        Err(Error::NoteTooLarge {
            len: MAX_NOTE_LEN + 1,
            max: MAX_NOTE_LEN
        })
    );
}

#[test]
fn signature_block_rules() {
    let verifier = signer().verifier().clone();
    let note = String::from_utf8(sample_note()).unwrap();
    let text_end = note.find("\n\n").unwrap() + 1;
    let text = &note[..text_end];
    let malformed = |reason| Err(Error::CheckpointMalformed { reason });
    assert_eq!(
        verifier.verify(text.as_bytes()),
        malformed("no blank line ends the note text")
    );
    assert_eq!(
        verifier.verify(note.trim_end_matches('\n').as_bytes()),
        malformed("the signature lines do not end with a newline")
    );
    assert_eq!(
        verifier.verify(format!("{text}\n- {LOG} AAAA\n").as_bytes()),
        malformed("a signature line is not '— name signature'")
    );
    assert_eq!(
        verifier.verify(format!("{text}\n\u{2014} {LOG} AAAA\n").as_bytes()),
        malformed("a signature is shorter than five bytes")
    );
    assert_eq!(
        verifier.verify(format!("{text}\n\u{2014} {LOG} AAAAAB==\n").as_bytes()),
        malformed("a signature is not base64")
    );
    assert_eq!(
        verifier.verify(b"\xff\n\n"),
        malformed("the note is not UTF-8")
    );
}

/// A correctly signed but non-canonical checkpoint text is still refused.
#[test]
fn signed_non_canonical_text_is_refused() {
    let verifier = signer().verifier().clone();
    let root = Base64::encode_string(SM3.hash_leaf(b"r").as_bytes());
    let text = format!("{LOG}\n007\n{root}\n");
    let key = SigningKey::new(secret(7), DistId::DEFAULT);
    let signature = key.sign_deterministic(text.as_bytes()).unwrap().to_raw();
    let mut blob = verifier.key_hash().to_vec();
    blob.extend_from_slice(&signature);
    let note = format!("{text}\n\u{2014} {LOG} {}\n", Base64::encode_string(&blob));
    assert_eq!(
        verifier.verify(note.as_bytes()),
        Err(Error::CheckpointMalformed {
            reason: "the checkpoint text is not in canonical form"
        })
    );
}

/// RFC 9162 §2.1.4 between two signed checkpoints of the ledger.
#[test]
fn successive_checkpoints_are_consistent() {
    let ledger = sample_ledger();
    let old = ledger.checkpoint_at(2).unwrap();
    let new = ledger.checkpoint().unwrap();
    assert_eq!(new.size(), 5);
    let proof = ledger.prove_consistency(2, 5).unwrap();
    old.check_consistency(&new, &proof).unwrap();
    for k in 0..proof.len() {
        let mut bad = proof.clone();
        let mut bytes = *bad[k].as_bytes();
        bytes[0] ^= 1;
        bad[k] = Hash::new(bytes);
        assert!(old.check_consistency(&new, &bad).is_err());
    }
    assert_eq!(
        new.check_consistency(&old, &proof),
        Err(Error::CheckpointsOutOfOrder { older: 5, newer: 2 })
    );
    assert_eq!(
        ledger.checkpoint_at(3).unwrap_err(),
        Error::CheckpointNotStored { size: 3 }
    );
}

// ---------------------------------------------------------------------------------------
// Entries (DER)
// ---------------------------------------------------------------------------------------

#[test]
fn every_event_round_trips_through_der() {
    for event in every_event() {
        let entry = Entry::new("SH-2026-0001", at(), registrar(), event).unwrap();
        let der = entry.to_der().unwrap();
        assert_eq!(der[0], 0x30);
        assert_eq!(Entry::from_der(&der), Ok(entry.clone()));
        assert_eq!(entry.time(), at());
        assert_eq!(entry.serial(), "SH-2026-0001");
    }
}

/// The time is a GeneralizedTime in whole seconds (X.680 §46, DER: YYYYMMDDHHMMSSZ).
#[test]
fn time_is_generalized_time_in_whole_seconds() {
    let entry = Entry::new(
        "S",
        at() + Duration::from_millis(900),
        registrar(),
        Event::AccessDenied {
            operation: Operation::Audit,
        },
    )
    .unwrap();
    assert_eq!(entry.time(), at());
    let der = entry.to_der().unwrap();
    let needle = b"\x18\x0f20260528";
    assert!(der.windows(needle.len()).any(|w| w == needle), "{der:02x?}");
}

#[test]
fn serial_rules() {
    for serial in ["", "has space", "tab\t", &"x".repeat(129)] {
        assert!(matches!(
            Entry::new(serial, at(), registrar(), every_event().remove(1)),
            Err(Error::SerialInvalid { .. })
        ));
    }
    assert!(Entry::new(&"x".repeat(128), at(), registrar(), every_event().remove(1)).is_ok());
    assert!(Entry::new("业务-2026-0001", at(), registrar(), every_event().remove(1)).is_ok());
}

/// STYLE 19: a flipped bit never yields the original entry back.
#[test]
fn every_bit_flip_of_an_entry_changes_or_fails() {
    for event in every_event() {
        let entry = Entry::new("SH-1", at(), registrar(), event).unwrap();
        let der = entry.to_der().unwrap();
        for byte in 0..der.len() {
            for bit in 0..8 {
                let mut mutated = der.clone();
                mutated[byte] ^= 1 << bit;
                assert_ne!(Entry::from_der(&mutated), Ok(entry.clone()));
            }
        }
    }
}

#[test]
fn entry_der_must_be_exact() {
    let der = decision("SH-1").to_der().unwrap();
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(matches!(
        Entry::from_der(&trailing),
        Err(Error::EntryMalformed { .. })
    ));
    // The same SEQUENCE with a long-form length (not DER).
    let mut long_form = vec![0x30, 0x81, der[1]];
    long_form.extend_from_slice(&der[2..]);
    assert!(matches!(
        Entry::from_der(&long_form),
        Err(Error::EntryMalformed { .. })
    ));
    assert!(matches!(
        Entry::from_der(&der[..der.len() - 1]),
        Err(Error::EntryMalformed { .. })
    ));
    let huge = vec![0u8; trace::MAX_ENTRY_LEN + 1];
    assert_eq!(
        Entry::from_der(&huge),
        Err(Error::EntryTooLarge {
            len: trace::MAX_ENTRY_LEN + 1,
            max: trace::MAX_ENTRY_LEN
        })
    );
}

// ---------------------------------------------------------------------------------------
// Permissions, retrieval, audit
// ---------------------------------------------------------------------------------------

/// The permission table, written out in full.
#[test]
fn permission_table() {
    use Operation::*;
    let all = [
        AppendVerificationRecorded,
        AppendDecisionMade,
        AppendDocumentSigned,
        AppendSealApplied,
        AppendRetrieved,
        AppendAccessDenied,
        Retrieve,
        Audit,
    ];
    let allowed: [(Role, &[Operation]); 4] = [
        (
            Role::Registrar,
            &[AppendDecisionMade, AppendDocumentSigned, AppendSealApplied],
        ),
        (Role::Institution, &[AppendVerificationRecorded]),
        (Role::Regulator, &[Retrieve]),
        (Role::Auditor, &[Audit]),
    ];
    for (role, ops) in allowed {
        for op in all {
            assert_eq!(role.may(op), ops.contains(&op), "{role} {op}");
        }
    }
}

#[test]
fn history_proves_every_entry_of_a_serial() {
    let ledger = sample_ledger();
    let history = ledger.history("SH-A").unwrap();
    let checkpoint = history.checkpoint().clone();
    assert_eq!(checkpoint.size(), 5);
    let indexes: Vec<u64> = history.entries().iter().map(|e| e.index()).collect();
    assert_eq!(indexes, [0, 2, 4]);
    for proven in history.entries() {
        assert_eq!(proven.entry().serial(), "SH-A");
        trace::check_inclusion(
            &SM3,
            proven.proof(),
            5,
            proven.index(),
            checkpoint.root(),
            &SM3.hash_leaf(proven.der()),
        )
        .unwrap();
    }
    assert_eq!(ledger.history("SH-NONE").unwrap().entries().len(), 0);
    assert_eq!(ledger.serials().unwrap(), ["SH-A", "SH-B", "SH-C"]);
    assert_eq!(ledger.verify().unwrap(), checkpoint);
}

#[test]
fn institution_may_not_record_a_decision_and_is_logged() {
    let ledger = sample_ledger();
    let wrong = Entry::new(
        "SH-B",
        at(),
        institution(),
        Event::DecisionMade {
            decision: "approved".into(),
            rule: "r".into(),
        },
    )
    .unwrap();
    assert_eq!(
        ledger.append_batch(&[decision("SH-B"), wrong]).unwrap_err(),
        Error::AccessDenied {
            role: Role::Institution,
            operation: Operation::AppendDecisionMade
        }
    );
    // Nothing of the batch was written; the refusal was.
    let history = ledger.history("SH-B").unwrap();
    let kinds: Vec<EntryKind> = history
        .entries()
        .iter()
        .map(|e| e.entry().event().kind())
        .collect();
    assert_eq!(kinds, [EntryKind::DecisionMade, EntryKind::AccessDenied]);
    assert_eq!(
        history.entries()[1].entry().event(),
        &Event::AccessDenied {
            operation: Operation::AppendDecisionMade
        }
    );
    assert_eq!(history.entries()[1].entry().actor(), &institution());
}

#[test]
fn nobody_may_append_retrieved_or_access_denied() {
    let ledger = sample_ledger();
    for event in [every_event().remove(4), every_event().remove(5)] {
        let operation = event.append_operation();
        let entry = Entry::new("SH-A", at(), regulator(), event).unwrap();
        assert_eq!(
            ledger.append_batch(&[entry]).unwrap_err(),
            Error::AccessDenied {
                role: Role::Regulator,
                operation
            }
        );
    }
}

#[test]
fn empty_and_oversized_batches_are_refused() {
    let ledger = sample_ledger();
    assert_eq!(
        ledger.append_batch(&[]).unwrap_err(),
        Error::BatchSize {
            len: 0,
            max: trace::MAX_BATCH_LEN
        }
    );
}

/// The Retrieved entry is committed before the data is returned, and the returned history
/// is proved against the checkpoint that includes it.
#[test]
fn regulator_retrieval_is_logged_first() {
    let ledger = sample_ledger();
    let history = ledger
        .retrieve(&regulator(), "SH-A", "annual inspection", at())
        .unwrap();
    assert_eq!(history.checkpoint().size(), 6);
    let last = history.entries().last().unwrap();
    assert_eq!(last.index(), 5);
    assert_eq!(
        last.entry().event(),
        &Event::Retrieved {
            reason: "annual inspection".into(),
            what: "history".into()
        }
    );
    assert_eq!(last.entry().actor(), &regulator());
    assert_eq!(history.entries().len(), 4);
    assert_eq!(ledger.checkpoint().unwrap(), *history.checkpoint());
}

#[test]
fn retrieval_needs_a_reason() {
    let ledger = sample_ledger();
    assert_eq!(
        ledger
            .retrieve(&regulator(), "SH-A", "  ", at())
            .unwrap_err(),
        Error::ReasonMissing
    );
}

#[test]
fn other_roles_may_not_retrieve_and_are_logged() {
    let ledger = sample_ledger();
    for actor in [auditor(), registrar(), institution()] {
        assert_eq!(
            ledger
                .retrieve(&actor, "SH-A", "curious", at())
                .unwrap_err(),
            Error::AccessDenied {
                role: actor.role,
                operation: Operation::Retrieve
            }
        );
    }
    let denied: Vec<Role> = ledger
        .history("SH-A")
        .unwrap()
        .entries()
        .iter()
        .filter(|e| e.entry().event().kind() == EntryKind::AccessDenied)
        .map(|e| e.entry().actor().role)
        .collect();
    assert_eq!(denied, [Role::Auditor, Role::Registrar, Role::Institution]);
}

/// When the Retrieved entry cannot be committed, no data is returned.
#[test]
fn no_data_when_the_retrieval_cannot_be_logged() {
    use smtrust::trace::{Batch, HashReader, Store};
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A memory store whose appends fail once the disk is "full".
    #[derive(Default)]
    struct Fragile {
        inner: MemoryStore,
        full: AtomicBool,
    }
    impl HashReader for Fragile {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
            self.inner.read_hashes(indexes)
        }
    }
    impl Store for Fragile {
        fn append(&self, batch: &Batch<'_>) -> Result<(), Error> {
            if self.full.load(Ordering::SeqCst) {
                return Err(Error::Storage {
                    operation: "commit the batch",
                    message: "disk full".into(),
                });
            }
            self.inner.append(batch)
        }
        fn leaf_indexes(&self, serial: &str, size: u64) -> Result<Vec<u64>, Error> {
            self.inner.leaf_indexes(serial, size)
        }
        common::ledger::forward_store_reads!();
    }

    let ledger = Ledger::open(Fragile::default(), signer()).unwrap();
    ledger.append_batch(&[verification("SH-A")]).unwrap();
    ledger.store().full.store(true, Ordering::SeqCst);
    assert_eq!(
        ledger
            .retrieve(&regulator(), "SH-A", "inspection", at())
            .unwrap_err(),
        Error::Storage {
            operation: "commit the batch",
            message: "disk full".into()
        }
    );
    // The failed batch left nothing behind, and the ledger still appends afterwards.
    ledger.store().full.store(false, Ordering::SeqCst);
    assert_eq!(ledger.checkpoint().unwrap().size(), 1);
    let committed = ledger.append_batch(&[decision("SH-A")]).unwrap();
    assert_eq!(committed.first_leaf(), 1);
    assert_eq!(ledger.verify().unwrap().size(), 2);
}

#[test]
fn auditor_sees_metadata_and_proofs_never_data() {
    let ledger = sample_ledger();
    let trail = ledger.audit(&auditor(), "SH-A", at()).unwrap();
    let history = ledger.history("SH-A").unwrap();
    assert_eq!(trail.checkpoint(), history.checkpoint());
    assert_eq!(trail.serial(), "SH-A");
    let kinds: Vec<EntryKind> = trail.items().iter().map(|i| i.kind()).collect();
    assert_eq!(
        kinds,
        [
            EntryKind::VerificationRecorded,
            EntryKind::DecisionMade,
            EntryKind::SealApplied
        ]
    );
    for (item, proven) in trail.items().iter().zip(history.entries()) {
        assert_eq!(item.leaf_hash(), &SM3.hash_leaf(proven.der()));
        assert_eq!(item.proof(), proven.proof());
        assert_eq!(item.index(), proven.index());
        assert_eq!(item.time(), at());
        assert_eq!(item.actor(), proven.entry().actor());
    }
    assert_eq!(
        ledger.audit(&regulator(), "SH-A", at()).unwrap_err(),
        Error::AccessDenied {
            role: Role::Regulator,
            operation: Operation::Audit
        }
    );
}

// ---------------------------------------------------------------------------------------
// Evidence bundles
// ---------------------------------------------------------------------------------------

fn sample_bundle() -> (EvidenceBundle, LogVerifier) {
    let ledger = sample_ledger();
    let history = ledger
        .retrieve(&regulator(), "SH-A", "inspection", at())
        .unwrap();
    let bundle = history.to_bundle(&[b"issuer-ca".to_vec()]).unwrap();
    (bundle, ledger.verifier().clone())
}

#[test]
fn bundle_verifies_offline_in_der_and_pem() {
    let (bundle, verifier) = sample_bundle();
    let offline = LogVerifier::new(LOG, *verifier.public_key()).unwrap();
    let checked = EvidenceBundle::verify(bundle.to_der(), &offline).unwrap();
    assert_eq!(checked.serial(), "SH-A");
    assert_eq!(checked.checkpoint().size(), 6);
    let indexes: Vec<u64> = checked.entries().iter().map(|e| e.index()).collect();
    assert_eq!(indexes, [0, 2, 4, 5]);
    assert_eq!(checked.signer_certificates(), [b"cert-1".to_vec()]);
    assert_eq!(
        checked.unverified_extra_certificates(),
        [b"issuer-ca".to_vec()]
    );
    let pem = bundle.to_pem().unwrap();
    assert!(pem.starts_with(&format!("-----BEGIN {BUNDLE_PEM_LABEL}-----\n")));
    let from_pem = EvidenceBundle::verify_pem(&pem, &offline).unwrap();
    assert_eq!(from_pem.entries(), checked.entries());
}

/// STYLE 19: flipping one bit in each byte of a bundle makes it fail, except inside the
/// extra certificates, which the log does not vouch for and which come back changed under
/// their loud name.
#[test]
fn every_byte_flip_of_a_bundle_fails() {
    let (bundle, verifier) = sample_bundle();
    let der = bundle.to_der();
    let extra = der.windows(9).position(|w| w == b"issuer-ca").unwrap();
    for byte in 0..der.len() {
        let mut mutated = der.to_vec();
        mutated[byte] ^= 1;
        let result = EvidenceBundle::verify(&mutated, &verifier);
        if (extra..extra + 9).contains(&byte) {
            let checked = result.unwrap();
            assert_ne!(
                checked.unverified_extra_certificates(),
                [b"issuer-ca".to_vec()]
            );
            assert_eq!(checked.signer_certificates(), [b"cert-1".to_vec()]);
        } else {
            assert!(result.is_err(), "byte {byte} flipped still verifies");
        }
    }
}

#[test]
fn bundle_under_another_key_fails() {
    let (bundle, _) = sample_bundle();
    let other = LogVerifier::new(LOG, secret(9).public_key()).unwrap();
    assert_eq!(
        EvidenceBundle::verify(bundle.to_der(), &other).unwrap_err(),
        Error::CheckpointNotSigned {
            key_name: LOG.into()
        }
    );
}

#[test]
fn bundle_pem_label_and_size_are_checked() {
    let (bundle, verifier) = sample_bundle();
    let pem = bundle
        .to_pem()
        .unwrap()
        .replace(BUNDLE_PEM_LABEL, "CERTIFICATE");
    assert_eq!(
        EvidenceBundle::verify_pem(&pem, &verifier).unwrap_err(),
        Error::BundleMalformed {
            reason: format!("the PEM label is \"CERTIFICATE\", not {BUNDLE_PEM_LABEL:?}")
        }
    );
    let huge = vec![0u8; trace::MAX_BUNDLE_LEN + 1];
    assert_eq!(
        EvidenceBundle::verify(&huge, &verifier).unwrap_err(),
        Error::BundleTooLarge {
            what: "bytes",
            count: trace::MAX_BUNDLE_LEN + 1,
            max: trace::MAX_BUNDLE_LEN
        }
    );
    let mut trailing = bundle.to_der().to_vec();
    trailing.push(0);
    assert!(matches!(
        EvidenceBundle::verify(&trailing, &verifier),
        Err(Error::BundleMalformed { .. })
    ));
}

/// A bundle whose proof was made against another tree is caught at that leaf.
#[test]
fn bundle_entry_with_a_wrong_proof_names_its_leaf() {
    let (bundle, verifier) = sample_bundle();
    let mut der = bundle.to_der().to_vec();
    // Each proof hash is an OCTET STRING of 32 bytes: 04 20 …; flip inside the first one.
    let at = der.windows(2).position(|w| w == [0x04, 0x20]).unwrap() + 2;
    der[at] ^= 0x80;
    let err = EvidenceBundle::verify(&der, &verifier).unwrap_err();
    assert!(
        matches!(&err, Error::LeafInvalid { index: 0, source } if matches!(**source, Error::InclusionRootMismatch { .. })),
        "{err:?}"
    );
}

/// The documented ASN.1 reads the bundle, and each structural rule is enforced on a bundle
/// rebuilt from it.
#[test]
fn bundle_follows_its_documented_layout_and_rules() {
    use der::{Decode as _, Encode as _};
    let (bundle, verifier) = sample_bundle();
    let parsed = Bundle::from_der(bundle.to_der()).unwrap();
    assert_eq!(parsed.version, 2);
    assert_eq!(parsed.serial, "SH-A");
    let leaves: Vec<u64> = parsed.entries.iter().map(|e| e.leaf).collect();
    assert_eq!(leaves, [0, 2, 4, 5]);
    assert_eq!(parsed.to_der().unwrap(), bundle.to_der());

    let verify = |b: &Bundle| EvidenceBundle::verify(&b.to_der().unwrap(), &verifier);

    let mut no_certificates = parsed.clone();
    no_certificates.certificates.clear();
    assert_eq!(
        verify(&no_certificates).unwrap_err(),
        Error::BundleCertificateMissing { index: 4 }
    );

    let mut reordered = parsed.clone();
    reordered.entries.swap(1, 2);
    assert_eq!(
        verify(&reordered).unwrap_err(),
        Error::BundleOrder {
            index: 2,
            previous: 4
        }
    );

    let mut duplicated = parsed.clone();
    duplicated.entries.insert(1, parsed.entries[0].clone());
    assert_eq!(
        verify(&duplicated).unwrap_err(),
        Error::BundleOrder {
            index: 0,
            previous: 0
        }
    );

    for version in [1, 4] {
        let mut other_version = parsed.clone();
        other_version.version = version;
        assert_eq!(
            verify(&other_version).unwrap_err(),
            Error::BundleMalformed {
                reason: format!(
                    "bundle version {version} is not a supported version (2, or 3 with a checkpoint timestamp)"
                )
            }
        );
    }
    // Version 3 is a bundle with a checkpoint timestamp; this one has none.
    let mut three = parsed.clone();
    three.version = 3;
    assert_eq!(
        verify(&three).unwrap_err(),
        Error::BundleMalformed {
            reason:
                "a version 3 bundle carries a checkpoint timestamp; without one it is version 2"
                    .into()
        }
    );

    let mut other_serial = parsed.clone();
    other_serial.serial = "SH-B".into();
    assert_eq!(
        verify(&other_serial).unwrap_err(),
        Error::LeafInvalid {
            index: 0,
            source: Box::new(Error::EntrySerialMismatch {
                expected: "SH-B".into(),
                found: "SH-A".into()
            })
        }
    );

    // An entry moved to another leaf index no longer proves.
    let mut moved = parsed.clone();
    moved.entries[0].leaf = 1;
    assert!(matches!(
        verify(&moved).unwrap_err(),
        Error::LeafInvalid { index: 1, .. }
    ));

    // A dropped proof hash: the exact length rule of RFC 9162 §2.1.3.2.
    let mut short = parsed.clone();
    let expected = short.entries[0].proof.len();
    short.entries[0].proof.pop();
    assert_eq!(
        verify(&short).unwrap_err(),
        Error::LeafInvalid {
            index: 0,
            source: Box::new(Error::ProofWrongLength {
                expected,
                got: expected - 1
            })
        }
    );

    // A dropped entry breaks the chain: the entry after it links to the missing leaf.
    let mut fewer = parsed.clone();
    fewer.entries.remove(1);
    assert_eq!(
        verify(&fewer).unwrap_err(),
        Error::LinkMissing {
            index: 4,
            previous: 2
        }
    );
    let mut no_first = parsed.clone();
    no_first.entries.remove(0);
    assert_eq!(
        verify(&no_first).unwrap_err(),
        Error::LinkMissing {
            index: 2,
            previous: 0
        }
    );
    // Dropping the head leaves a whole chain up to an older head, which is no longer the
    // retrieval's `Retrieved` entry: the head is what a verifier must look at.
    let checked = verify(&parsed).unwrap();
    assert_eq!(checked.head().unwrap().index(), 5);
    assert_eq!(
        checked.head().unwrap().entry().event().kind(),
        EntryKind::Retrieved
    );
    let mut headless = parsed.clone();
    headless.entries.pop();
    let checked = verify(&headless).unwrap();
    assert_eq!(checked.head().unwrap().index(), 4);
    assert_ne!(
        checked.head().unwrap().entry().event().kind(),
        EntryKind::Retrieved
    );
}

/// STYLE 15: a log signer prints only its public side.
#[test]
fn log_signer_debug_shows_no_secret() {
    let signer = signer();
    let key_hash = hex::encode(signer.verifier().key_hash());
    assert_eq!(
        format!("{signer:?}"),
        format!(
            "LogSigner {{ verifier: LogVerifier {{ name: \"{LOG}\", key_hash: \"{key_hash}\" }}, .. }}"
        )
    );
}
