//! The ledger for C callers: open an SQLite ledger with the log's signing key, append
//! entries, retrieve a serial as a regulator (logged first) and read the result as JSON or as
//! an evidence bundle, check the whole log, and check a bundle offline.

use std::ffi::c_char;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::boundary::call;
use super::formats::FromC;
use super::handle::{self, Handle, OutParam, Output, input};
use super::sm2_keys::{Sm2PublicKey, Sm2SecretKey};
use super::{Error, Status};
use crate::sm2::SecretKey;
use crate::trace::{
    self, Actor, Entry, Event, EvidenceBundle, History, Ledger, LogSigner, LogVerifier, Role,
    SqliteStore,
};

/// A ledger in an SQLite file, with the log's signing key (`smtrust_ledger` in C).
///
/// Thread-safe: several threads may append and retrieve through one handle at once, and
/// their appends share transactions (group commit); it must not be freed while another
/// thread uses it.
pub struct LedgerHandle {
    magic: u64,
    ledger: Ledger<SqliteStore>,
}

/// The result of one retrieval (`smtrust_ledger_history` in C): a serial's entries, each
/// proved against one signed checkpoint, ending with the retrieval's own `Retrieved` entry.
/// Read it as JSON or as an evidence bundle as often as needed: the retrieval was logged
/// once. Immutable; may be read from several threads at once.
pub struct HistoryHandle {
    magic: u64,
    history: History,
}

impl Handle for LedgerHandle {
    const MAGIC: u64 = 0x534d_544c_4447_5231; // "SMTLDGR1"
    const C_NAME: &'static str = "smtrust_ledger";
    fn magic(&self) -> u64 {
        self.magic
    }
}

impl Handle for HistoryHandle {
    const MAGIC: u64 = 0x534d_5448_4953_5431; // "SMTHIST1"
    const C_NAME: &'static str = "smtrust_ledger_history";
    fn magic(&self) -> u64 {
        self.magic
    }
}

/// Who appends or retrieves (`smtrust_ledger_role`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerRole {
    /// Registration staff: decisions, signed documents, applied seals.
    Registrar = 1,
    /// A qualified verification institution: verification records.
    Institution = 2,
    /// A regulator: retrieves with a reason (only through `smtrust_ledger_retrieve`).
    Regulator = 3,
    /// An auditor: proofs and metadata only.
    Auditor = 4,
}

/// What an appended entry records (`smtrust_ledger_event`), and what its two fields hold.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerEvent {
    /// `field1`: the institution's signed verification record (DER); `field2`: empty.
    VerificationRecorded = 1,
    /// `field1`: the decision (UTF-8, e.g. `approved`); `field2`: the rule (UTF-8).
    DecisionMade = 2,
    /// `field1`: the document's digest; `field2`: the signer's certificate (DER).
    DocumentSigned = 3,
    /// `field1`: the sealed document's digest; `field2`: the seal signer's certificate (DER).
    SealApplied = 4,
}

/// How an evidence bundle is written (`smtrust_bundle_format`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleFormat {
    /// DER.
    Der = 1,
    /// PEM, label `SMTRUST EVIDENCE BUNDLE`.
    Pem = 2,
}

impl FromC for LedgerRole {
    const C_NAME: &'static str = "smtrust_ledger_role";
    const ALL: &'static [Self] = &[
        Self::Registrar,
        Self::Institution,
        Self::Regulator,
        Self::Auditor,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for LedgerEvent {
    const C_NAME: &'static str = "smtrust_ledger_event";
    const ALL: &'static [Self] = &[
        Self::VerificationRecorded,
        Self::DecisionMade,
        Self::DocumentSigned,
        Self::SealApplied,
    ];
    fn code(self) -> u32 {
        self as u32
    }
}

impl FromC for BundleFormat {
    const C_NAME: &'static str = "smtrust_bundle_format";
    const ALL: &'static [Self] = &[Self::Der, Self::Pem];
    fn code(self) -> u32 {
        self as u32
    }
}

impl LedgerRole {
    fn role(self) -> Role {
        match self {
            Self::Registrar => Role::Registrar,
            Self::Institution => Role::Institution,
            Self::Regulator => Role::Regulator,
            Self::Auditor => Role::Auditor,
        }
    }
}

/// Reads a UTF-8 input buffer as text.
///
/// # Safety
///
/// As [`input`].
unsafe fn text<'a>(ptr: *const u8, len: usize, param: &'static str) -> Result<&'a str, Error> {
    // SAFETY: the caller's contract.
    let bytes = unsafe { input(ptr, len, param) }?;
    core::str::from_utf8(bytes).map_err(|_| Error::InvalidLength {
        param,
        len,
        expected: "text must be UTF-8",
    })
}

fn time(unix_seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(unix_seconds)
}

/// Opens (creating if needed) the ledger in the SQLite file `path` (UTF-8, no NUL), whose
/// checkpoints are signed by `log_key` under the log name `log_name` (e.g.
/// `registry.example/ledger`), and writes its new handle to `*ledger_out`. The key is copied;
/// the caller may free its handle afterwards.
///
/// A new file gets the signed checkpoint of the empty log and records the log's name and
/// public key; an existing one must be this log's (`SMTRUST_STATUS_LEDGER_WRONG_LOG`).
///
/// # Safety
///
/// `path` and `log_name` are valid for their lengths; `log_key` is a live handle;
/// `ledger_out` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_open(
    path: *const u8,
    path_len: usize,
    log_name: *const u8,
    log_name_len: usize,
    log_key: *const Sm2SecretKey,
    ledger_out: *mut *mut LedgerHandle,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let path = unsafe { text(path, path_len, "path") }?;
        // SAFETY: the caller's contract above.
        let log_name = unsafe { text(log_name, log_name_len, "log_name") }?;
        // SAFETY: the caller's contract above.
        let key = unsafe { handle::borrow(log_key, "log_key") }?.key();
        // SAFETY: the caller's contract above.
        let ledger_out = unsafe { OutParam::new(ledger_out, "ledger_out") }?;
        if path.is_empty() || path.contains('\0') {
            return Err(Error::InvalidLength {
                param: "path",
                len: path_len,
                expected: "a path is non-empty and holds no NUL",
            });
        }
        let signer = LogSigner::new(log_name, SecretKey::from_bytes(key.to_bytes().as_ref())?)
            .map_err(Error::Ledger)?;
        let store = SqliteStore::open(path).map_err(Error::Ledger)?;
        let ledger = Ledger::open(store, signer).map_err(Error::Ledger)?;
        ledger_out.put_handle(LedgerHandle {
            magic: LedgerHandle::MAGIC,
            ledger,
        });
        Ok(())
    })
}

/// Frees a ledger handle (closing its database). NULL is fine.
///
/// # Safety
///
/// `ledger` is NULL or a live handle that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_free(ledger: *mut LedgerHandle) -> Status {
    // SAFETY: the caller's contract above.
    call(|| unsafe { handle::free(ledger, "ledger") })
}

/// Appends one entry about `serial` (UTF-8, 1 to 128 bytes, no white space) by `actor_id`
/// acting as `role` (a `smtrust_ledger_role`) at `unix_time` (seconds since 1970 UTC), with
/// the event `event` (a `smtrust_ledger_event`) whose fields are `field1` and `field2` (see
/// the enumeration). Returns once the entry is durably committed, and writes its leaf index
/// to `*leaf_out`.
///
/// A role the permission table does not allow the event is refused with
/// `SMTRUST_STATUS_LEDGER_ACCESS_DENIED`, and the refusal itself is recorded.
///
/// # Safety
///
/// `ledger` is a live handle; the buffers are NULL (only with length 0) or valid for their
/// lengths; `leaf_out` is valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_append(
    ledger: *const LedgerHandle,
    serial: *const u8,
    serial_len: usize,
    role: u32,
    actor_id: *const u8,
    actor_id_len: usize,
    unix_time: u64,
    event: u32,
    field1: *const u8,
    field1_len: usize,
    field2: *const u8,
    field2_len: usize,
    leaf_out: *mut u64,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let ledger = &unsafe { handle::borrow(ledger, "ledger") }?.ledger;
        // SAFETY: the caller's contract above.
        let serial = unsafe { text(serial, serial_len, "serial") }?;
        let role = LedgerRole::from_c(role, "role")?.role();
        // SAFETY: the caller's contract above.
        let actor_id = unsafe { text(actor_id, actor_id_len, "actor_id") }?;
        // SAFETY: the caller's contract above.
        let field1 = unsafe { input(field1, field1_len, "field1") }?;
        // SAFETY: the caller's contract above.
        let field2 = unsafe { input(field2, field2_len, "field2") }?;
        // SAFETY: the caller's contract above.
        let leaf_out = unsafe { OutParam::new(leaf_out, "leaf_out") }?;
        let event = event_of(LedgerEvent::from_c(event, "event")?, field1, field2)?;
        let entry = Entry::new(serial, time(unix_time), Actor::new(role, actor_id), event)
            .map_err(Error::Ledger)?;
        let committed = ledger.append(&entry).map_err(Error::Ledger)?;
        leaf_out.put(committed.first_leaf());
        Ok(())
    })
}

fn event_of(event: LedgerEvent, field1: &[u8], field2: &[u8]) -> Result<Event, Error> {
    let utf8 = |bytes: &[u8], param: &'static str| {
        String::from_utf8(bytes.to_vec()).map_err(|_| Error::InvalidLength {
            param,
            len: bytes.len(),
            expected: "text must be UTF-8",
        })
    };
    Ok(match event {
        LedgerEvent::VerificationRecorded => {
            if !field2.is_empty() {
                return Err(Error::InvalidLength {
                    param: "field2",
                    len: field2.len(),
                    expected: "a verification record has no second field",
                });
            }
            Event::VerificationRecorded {
                record: field1.to_vec(),
            }
        }
        LedgerEvent::DecisionMade => Event::DecisionMade {
            decision: utf8(field1, "field1")?,
            rule: utf8(field2, "field2")?,
        },
        LedgerEvent::DocumentSigned => Event::DocumentSigned {
            digest: field1.to_vec(),
            signer_certificate: field2.to_vec(),
        },
        LedgerEvent::SealApplied => Event::SealApplied {
            digest: field1.to_vec(),
            signer_certificate: field2.to_vec(),
        },
    })
}

/// A regulator's retrieval of everything about `serial`: first commits a `Retrieved` entry
/// by `actor_id` (role regulator) stating `reason` (non-empty) at `unix_time`, then writes to
/// `*history_out` a handle holding the serial's entries up to that entry, each with its
/// inclusion proof against the checkpoint that includes it, their chain of links checked.
///
/// # Safety
///
/// `ledger` is a live handle; the buffers are valid for their lengths; `history_out` is valid
/// for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_retrieve(
    ledger: *const LedgerHandle,
    serial: *const u8,
    serial_len: usize,
    actor_id: *const u8,
    actor_id_len: usize,
    reason: *const u8,
    reason_len: usize,
    unix_time: u64,
    history_out: *mut *mut HistoryHandle,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let ledger = &unsafe { handle::borrow(ledger, "ledger") }?.ledger;
        // SAFETY: the caller's contract above.
        let serial = unsafe { text(serial, serial_len, "serial") }?;
        // SAFETY: the caller's contract above.
        let actor_id = unsafe { text(actor_id, actor_id_len, "actor_id") }?;
        // SAFETY: the caller's contract above.
        let reason = unsafe { text(reason, reason_len, "reason") }?;
        // SAFETY: the caller's contract above.
        let history_out = unsafe { OutParam::new(history_out, "history_out") }?;
        let actor = Actor::new(Role::Regulator, actor_id);
        let history = ledger
            .retrieve(&actor, serial, reason, time(unix_time))
            .map_err(Error::Ledger)?;
        history_out.put_handle(HistoryHandle {
            magic: HistoryHandle::MAGIC,
            history,
        });
        Ok(())
    })
}

/// Writes a retrieved history as NUL-terminated JSON text (two-call pattern), in the layout
/// documented for `History::to_json` in the Rust API and in docs/c-abi.md.
///
/// # Safety
///
/// `history` is a live handle; `out` is NULL or valid for `out_len` bytes; `written` is
/// valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_history_json(
    history: *const HistoryHandle,
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let history = &unsafe { handle::borrow(history, "history") }?.history;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        output.deliver_text(&history.to_json())
    })
}

/// Writes a retrieved history as an evidence bundle in `bundle_format` (a
/// `smtrust_bundle_format`; two-call pattern, no NUL): anyone with the log's public key can
/// check it offline with `smtrust_evidence_bundle_verify`.
///
/// # Safety
///
/// `history` is a live handle; `out` is NULL or valid for `out_len` bytes; `written` is
/// valid for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_history_bundle(
    history: *const HistoryHandle,
    bundle_format: u32,
    out: *mut u8,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let history = &unsafe { handle::borrow(history, "history") }?.history;
        let format = BundleFormat::from_c(bundle_format, "bundle_format")?;
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new(out, out_len, written, "out") }?;
        let bundle = history.to_bundle(&[]).map_err(Error::Ledger)?;
        match format {
            BundleFormat::Der => output.deliver(bundle.to_der()),
            BundleFormat::Pem => output.deliver(bundle.to_pem().map_err(Error::Ledger)?.as_bytes()),
        }
    })
}

/// Frees a history handle. NULL is fine.
///
/// # Safety
///
/// `history` is NULL or a live handle that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_history_free(history: *mut HistoryHandle) -> Status {
    // SAFETY: the caller's contract above.
    call(|| unsafe { handle::free(history, "history") })
}

/// Checks the whole log from scratch, as an auditor does: every checkpoint signature, entry
/// hash, stored subtree hash, signed root, serial-index row and link. Returns
/// `SMTRUST_STATUS_OK`, or `SMTRUST_STATUS_LEDGER_TAMPERED` with `smtrust_last_error` naming
/// the leaf, hash or link where the database was altered.
///
/// # Safety
///
/// `ledger` is a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_ledger_verify(ledger: *const LedgerHandle) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let ledger = &unsafe { handle::borrow(ledger, "ledger") }?.ledger;
        let _checkpoint = ledger.verify().map_err(Error::Ledger)?;
        Ok(())
    })
}

/// Checks an evidence bundle (DER or PEM) offline with the log's public key `log_key`: the
/// checkpoint's signature, every inclusion proof, and that the entries are the serial's
/// whole chain up to the newest one. `log_name` is the log's name; length 0 takes the name
/// the bundle's checkpoint states (the signature is checked under `log_key` either way).
/// On success writes the bundle's content as NUL-terminated JSON (two-call pattern; layout of
/// `smtrust_ledger_history_json`, plus `checkpoint_timestamp`: `null`, or the checkpoint's
/// RFC 3161 token with `"status": "unverified"`, as no TSA trust anchor is given here — a
/// token that does not stamp the checkpoint fails the bundle); the last entry is the newest,
/// normally the `retrieved` entry of the export. A bundle that fails is `SMTRUST_STATUS_BUNDLE_INVALID` (or
/// `SMTRUST_STATUS_BUNDLE_MALFORMED` if it cannot be read) and nothing is written.
///
/// # Safety
///
/// `bundle` and `log_name` are NULL (only with length 0) or valid for their lengths;
/// `log_key` is a live handle; `out` is NULL or valid for `out_len` bytes; `written` is valid
/// for one write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn smtrust_evidence_bundle_verify(
    bundle: *const u8,
    bundle_len: usize,
    log_name: *const u8,
    log_name_len: usize,
    log_key: *const Sm2PublicKey,
    out: *mut c_char,
    out_len: usize,
    written: *mut usize,
) -> Status {
    call(|| {
        // SAFETY: the caller's contract above.
        let bundle = unsafe { input(bundle, bundle_len, "bundle") }?;
        // SAFETY: the caller's contract above.
        let log_name = unsafe { text(log_name, log_name_len, "log_name") }?;
        // SAFETY: the caller's contract above.
        let key = *unsafe { handle::borrow(log_key, "log_key") }?.key();
        // SAFETY: the caller's contract above.
        let output = unsafe { Output::new_text(out, out_len, written, "out") }?;
        let der = if bundle.starts_with(b"-----BEGIN") {
            let pem = core::str::from_utf8(bundle).map_err(|_| {
                Error::Bundle(trace::Error::BundleMalformed {
                    reason: "the PEM bundle is not text".to_owned(),
                })
            })?;
            EvidenceBundle::der_from_pem(pem).map_err(Error::Bundle)?
        } else {
            bundle.to_vec()
        };
        let name = if log_name.is_empty() {
            EvidenceBundle::claimed_log_name(&der).map_err(Error::Bundle)?
        } else {
            log_name.to_owned()
        };
        let log = LogVerifier::new(&name, key).map_err(Error::Bundle)?;
        let verified = EvidenceBundle::verify(&der, &log).map_err(Error::Bundle)?;
        output.deliver_text(&verified.to_json())
    })
}

/// The status of a ledger failure.
pub(super) fn ledger_status(err: &trace::Error) -> Status {
    use trace::Error as E;
    match err {
        E::Storage { .. } | E::SchemaTooNew { .. } => Status::LedgerStorage,
        E::SerialInvalid { .. }
        | E::EntryMalformed { .. }
        | E::EntryTooLarge { .. }
        | E::BatchSize { .. }
        | E::ReasonMissing
        | E::LogNameInvalid { .. } => Status::LedgerInvalidEntry,
        E::AccessDenied { .. } => Status::LedgerAccessDenied,
        E::LogMetadataMismatch { .. }
        | E::LogMetadataMissing { .. }
        | E::LogMetadataUnreadable { .. }
        | E::OriginMismatch { .. }
        | E::CheckpointNotSigned { .. } => Status::LedgerWrongLog,
        _ => Status::LedgerTampered,
    }
}

/// The status of an evidence-bundle failure.
pub(super) fn bundle_status(err: &trace::Error) -> Status {
    use trace::Error as E;
    match err {
        E::BundleMalformed { .. } | E::BundleTooLarge { .. } => Status::BundleMalformed,
        E::LogNameInvalid { .. } => Status::InvalidParameter,
        _ => Status::BundleInvalid,
    }
}
