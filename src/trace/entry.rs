//! Ledger entries: DER-encoded events, each about one business serial number (业务流水号).

use std::time::SystemTime;

use der::asn1::{GeneralizedTime, OctetString};
use der::{Choice, Decode as _, Encode as _, Enumerated, Sequence};

use super::{Error, Hash};

/// The longest ledger entry accepted, in bytes of DER.
pub const MAX_ENTRY_LEN: usize = 1 << 20;

/// The longest business serial number accepted, in bytes.
pub const MAX_SERIAL_LEN: usize = 128;

/// Who acts on the ledger. What each role may do is one table, [`Role::may`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Enumerated)]
#[repr(u8)]
#[non_exhaustive]
pub enum Role {
    /// Registration staff: record decisions, signed documents and applied seals.
    Registrar = 0,
    /// A qualified verification institution: record real-name verifications.
    Institution = 1,
    /// A regulator: retrieve everything about a serial, with a stated reason.
    Regulator = 2,
    /// An auditor: read proofs and metadata, never personal data.
    Auditor = 3,
}

/// An operation on the ledger, as named in the permission table and in `AccessDenied`
/// entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Enumerated)]
#[repr(u8)]
#[non_exhaustive]
pub enum Operation {
    /// Append a `VerificationRecorded` entry.
    AppendVerificationRecorded = 0,
    /// Append a `DecisionMade` entry.
    AppendDecisionMade = 1,
    /// Append a `DocumentSigned` entry.
    AppendDocumentSigned = 2,
    /// Append a `SealApplied` entry.
    AppendSealApplied = 3,
    /// Append a `Retrieved` entry (the ledger does this itself; no role may).
    AppendRetrieved = 4,
    /// Append an `AccessDenied` entry (the ledger does this itself; no role may).
    AppendAccessDenied = 5,
    /// Retrieve every entry of a serial, personal data included.
    Retrieve = 6,
    /// Read the proofs and metadata of a serial's entries.
    Audit = 7,
}

/// The permission table: every (role, operation) pair that is allowed. Anything else is
/// denied and the attempt recorded.
const PERMISSIONS: &[(Role, Operation)] = &[
    (Role::Registrar, Operation::AppendDecisionMade),
    (Role::Registrar, Operation::AppendDocumentSigned),
    (Role::Registrar, Operation::AppendSealApplied),
    (Role::Institution, Operation::AppendVerificationRecorded),
    (Role::Regulator, Operation::Retrieve),
    (Role::Auditor, Operation::Audit),
];

impl Role {
    /// Whether the permission table allows this role `operation`.
    pub fn may(self, operation: Operation) -> bool {
        PERMISSIONS.contains(&(self, operation))
    }
}

impl core::fmt::Display for Role {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Role::Registrar => "registrar",
            Role::Institution => "institution",
            Role::Regulator => "regulator",
            Role::Auditor => "auditor",
        })
    }
}

impl core::fmt::Display for Operation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Operation::AppendVerificationRecorded => "append a VerificationRecorded entry",
            Operation::AppendDecisionMade => "append a DecisionMade entry",
            Operation::AppendDocumentSigned => "append a DocumentSigned entry",
            Operation::AppendSealApplied => "append a SealApplied entry",
            Operation::AppendRetrieved => "append a Retrieved entry",
            Operation::AppendAccessDenied => "append an AccessDenied entry",
            Operation::Retrieve => "retrieve a serial's entries",
            Operation::Audit => "audit a serial's proofs",
        })
    }
}

/// The person or system that caused an entry: a role and an operator identifier.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct Actor {
    /// The role acted in.
    pub role: Role,
    /// Who acted: an operator, institution or regulator identifier (not personal data of
    /// applicants).
    pub id: String,
}

impl Actor {
    /// An actor `id` acting as `role`.
    pub fn new(role: Role, id: &str) -> Self {
        Self {
            role,
            id: id.to_owned(),
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A qualified institution's signed real-name verification record, as opaque DER.
    VerificationRecorded {
        /// The signed record, exactly as the institution produced it.
        record: Vec<u8>,
    },
    /// A registration decision.
    DecisionMade {
        /// The decision, e.g. `approved`.
        decision: String,
        /// The policy rule that decided it.
        rule: String,
    },
    /// A document was signed.
    DocumentSigned {
        /// The signed document's digest.
        digest: Vec<u8>,
        /// The signer's certificate, DER.
        signer_certificate: Vec<u8>,
    },
    /// An electronic seal was applied to a document.
    SealApplied {
        /// The sealed document's digest.
        digest: Vec<u8>,
        /// The seal signer's certificate, DER.
        signer_certificate: Vec<u8>,
    },
    /// A regulator retrieved the serial's data (recorded before it was returned).
    Retrieved {
        /// The stated reason.
        reason: String,
        /// What was retrieved.
        what: String,
    },
    /// An operation was attempted and denied.
    AccessDenied {
        /// The operation attempted.
        operation: Operation,
    },
}

/// The kind of an [`Event`], without its data: what auditors see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// [`Event::VerificationRecorded`].
    VerificationRecorded,
    /// [`Event::DecisionMade`].
    DecisionMade,
    /// [`Event::DocumentSigned`].
    DocumentSigned,
    /// [`Event::SealApplied`].
    SealApplied,
    /// [`Event::Retrieved`].
    Retrieved,
    /// [`Event::AccessDenied`].
    AccessDenied,
}

impl Event {
    /// The event's kind.
    pub fn kind(&self) -> EntryKind {
        match self {
            Event::VerificationRecorded { .. } => EntryKind::VerificationRecorded,
            Event::DecisionMade { .. } => EntryKind::DecisionMade,
            Event::DocumentSigned { .. } => EntryKind::DocumentSigned,
            Event::SealApplied { .. } => EntryKind::SealApplied,
            Event::Retrieved { .. } => EntryKind::Retrieved,
            Event::AccessDenied { .. } => EntryKind::AccessDenied,
        }
    }

    /// The operation that appends an event of this kind.
    pub fn append_operation(&self) -> Operation {
        match self {
            Event::VerificationRecorded { .. } => Operation::AppendVerificationRecorded,
            Event::DecisionMade { .. } => Operation::AppendDecisionMade,
            Event::DocumentSigned { .. } => Operation::AppendDocumentSigned,
            Event::SealApplied { .. } => Operation::AppendSealApplied,
            Event::Retrieved { .. } => Operation::AppendRetrieved,
            Event::AccessDenied { .. } => Operation::AppendAccessDenied,
        }
    }
}

/// A link from an entry to the previous entry about the same serial: that entry's leaf
/// index and leaf hash, `SM3(0x00 ‖ entry DER)`.
///
/// The sequencer writes the link into each entry it appends, so the entries of a serial form
/// a chain inside the log. Whoever holds the newest entry of a serial (a regulator holds the
/// `Retrieved` entry of their own retrieval) can follow the chain back to the first entry and
/// so tell that no entry of the serial was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    leaf: u64,
    leaf_hash: Hash,
}

impl Link {
    /// A link to leaf `leaf` whose leaf hash is `leaf_hash`.
    pub fn new(leaf: u64, leaf_hash: Hash) -> Self {
        Self { leaf, leaf_hash }
    }

    /// The previous entry's leaf index.
    pub fn leaf(&self) -> u64 {
        self.leaf
    }

    /// The previous entry's leaf hash.
    pub fn leaf_hash(&self) -> &Hash {
        &self.leaf_hash
    }
}

/// One ledger entry: an event about a serial, at a time, by an actor.
///
/// [`Entry::to_der`] and [`Entry::from_der`] are inverses; only canonical DER is read.
///
/// ```text
/// LedgerEntry ::= SEQUENCE {
///   serial  UTF8String,                 -- the business serial number
///   time    GeneralizedTime,            -- given by the caller, whole seconds, UTC
///   actor   SEQUENCE { role ENUMERATED, id UTF8String },
///   event   CHOICE {
///     verificationRecorded [0] IMPLICIT SEQUENCE { record OCTET STRING },
///     decisionMade         [1] IMPLICIT SEQUENCE { decision UTF8String, rule UTF8String },
///     documentSigned       [2] IMPLICIT SEQUENCE { digest OCTET STRING,
///                                                  signerCertificate OCTET STRING },
///     sealApplied          [3] IMPLICIT SEQUENCE { digest OCTET STRING,
///                                                  signerCertificate OCTET STRING },
///     retrieved            [4] IMPLICIT SEQUENCE { reason UTF8String, what UTF8String },
///     accessDenied         [5] IMPLICIT SEQUENCE { operation ENUMERATED }
///   },
///   previous [0] IMPLICIT SEQUENCE {     -- the serial's previous entry; absent on its first
///     leaf     INTEGER,
///     leafHash OCTET STRING (SIZE (32))
///   } OPTIONAL
/// }
/// ```
///
/// The link to the previous entry ([`Link`]) is written by the ledger's sequencer when it
/// gives the entry its leaf index; a link set on an entry handed to the ledger is replaced.
///
/// Roles: registrar (0), institution (1), regulator (2), auditor (3). Operations: the
/// appends of the six events (0–5), retrieve (6), audit (7).
///
/// A verification record is carried as opaque bytes (the institution's signed DER record):
/// the ledger proves it was recorded, it does not interpret it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    serial: String,
    time: GeneralizedTime,
    actor: Actor,
    event: Event,
    previous: Option<Link>,
}

impl Entry {
    /// An entry about `serial`, made at `at` (whole seconds; a fraction is dropped).
    ///
    /// The serial is 1 to 128 bytes of printable text without white space.
    pub fn new(serial: &str, at: SystemTime, actor: Actor, event: Event) -> Result<Self, Error> {
        check_serial(serial)?;
        let time = GeneralizedTime::from_system_time(at).map_err(|err| Error::EntryMalformed {
            reason: format!("the time cannot be written as GeneralizedTime: {err}"),
        })?;
        Ok(Self {
            serial: serial.to_owned(),
            time,
            actor,
            event,
            previous: None,
        })
    }

    /// The business serial number the entry is about.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// When the event happened, as stated by whoever appended it.
    pub fn time(&self) -> SystemTime {
        self.time.to_system_time()
    }

    /// Who caused the event.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// What happened.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The link to the previous entry about the same serial; `None` on the serial's first
    /// entry and on an entry not yet appended.
    pub fn previous(&self) -> Option<&Link> {
        self.previous.as_ref()
    }

    /// The DER of the same entry linked to `previous`: what the sequencer appends.
    pub(super) fn linked_der(&self, previous: Option<Link>) -> Result<Vec<u8>, Error> {
        self.encode(previous)
    }

    /// The entry's DER encoding, the bytes that are hashed into the log.
    pub fn to_der(&self) -> Result<Vec<u8>, Error> {
        self.encode(self.previous)
    }

    /// The DER of the entry with the link `previous`.
    fn encode(&self, previous: Option<Link>) -> Result<Vec<u8>, Error> {
        let der = self
            .to_asn1(previous)
            .and_then(|asn1| asn1.to_der())
            .map_err(|err| Error::EntryMalformed {
                reason: err.to_string(),
            })?;
        if der.len() > MAX_ENTRY_LEN {
            return Err(Error::EntryTooLarge {
                len: der.len(),
                max: MAX_ENTRY_LEN,
            });
        }
        Ok(der)
    }

    /// Reads an entry written by [`Entry::to_der`], accepting canonical DER only.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if der.len() > MAX_ENTRY_LEN {
            return Err(Error::EntryTooLarge {
                len: der.len(),
                max: MAX_ENTRY_LEN,
            });
        }
        let malformed = |err: der::Error| Error::EntryMalformed {
            reason: err.to_string(),
        };
        let asn1 = LedgerEntry::from_der(der).map_err(malformed)?;
        check_serial(&asn1.serial)?;
        let previous = asn1
            .previous
            .map(|link| {
                Hash::from_slice(link.leaf_hash.as_bytes()).map(|hash| Link::new(link.leaf, hash))
            })
            .transpose()
            .map_err(|err| Error::EntryMalformed {
                reason: format!("the link to the previous entry: {err}"),
            })?;
        let entry = Self {
            serial: asn1.serial,
            time: asn1.time,
            actor: asn1.actor,
            event: asn1.event.into_event(),
            previous,
        };
        if entry.to_der()? != der {
            return Err(Error::EntryMalformed {
                reason: "the entry is not in canonical DER".to_owned(),
            });
        }
        Ok(entry)
    }

    fn to_asn1(&self, previous: Option<Link>) -> der::Result<LedgerEntry> {
        Ok(LedgerEntry {
            serial: self.serial.clone(),
            time: self.time,
            actor: self.actor.clone(),
            event: EventAsn1::from_event(&self.event)?,
            previous: previous
                .map(|link| {
                    Ok::<_, der::Error>(LinkAsn1 {
                        leaf: link.leaf,
                        leaf_hash: OctetString::new(&link.leaf_hash.as_bytes()[..])?,
                    })
                })
                .transpose()?,
        })
    }
}

/// Checks the serial-number rules.
pub(super) fn check_serial(serial: &str) -> Result<(), Error> {
    let invalid = |reason| Error::SerialInvalid {
        serial: serial.to_owned(),
        reason,
    };
    if serial.is_empty() || serial.len() > MAX_SERIAL_LEN {
        return Err(invalid("a serial is 1 to 128 bytes long"));
    }
    if serial.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "a serial holds no white space or control characters",
        ));
    }
    Ok(())
}

#[derive(Sequence)]
struct LedgerEntry {
    serial: String,
    time: GeneralizedTime,
    actor: Actor,
    event: EventAsn1,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    previous: Option<LinkAsn1>,
}

#[derive(Sequence)]
struct LinkAsn1 {
    leaf: u64,
    leaf_hash: OctetString,
}

#[derive(Choice)]
enum EventAsn1 {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", constructed = "true")]
    VerificationRecorded(RecordAsn1),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    DecisionMade(DecisionAsn1),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", constructed = "true")]
    DocumentSigned(SignedAsn1),
    #[asn1(context_specific = "3", tag_mode = "IMPLICIT", constructed = "true")]
    SealApplied(SignedAsn1),
    #[asn1(context_specific = "4", tag_mode = "IMPLICIT", constructed = "true")]
    Retrieved(RetrievedAsn1),
    #[asn1(context_specific = "5", tag_mode = "IMPLICIT", constructed = "true")]
    AccessDenied(DeniedAsn1),
}

#[derive(Sequence)]
struct RecordAsn1 {
    record: OctetString,
}

#[derive(Sequence)]
struct DecisionAsn1 {
    decision: String,
    rule: String,
}

#[derive(Sequence)]
struct SignedAsn1 {
    digest: OctetString,
    signer_certificate: OctetString,
}

#[derive(Sequence)]
struct RetrievedAsn1 {
    reason: String,
    what: String,
}

#[derive(Sequence)]
struct DeniedAsn1 {
    operation: Operation,
}

impl EventAsn1 {
    fn from_event(event: &Event) -> der::Result<Self> {
        Ok(match event {
            Event::VerificationRecorded { record } => Self::VerificationRecorded(RecordAsn1 {
                record: OctetString::new(record.clone())?,
            }),
            Event::DecisionMade { decision, rule } => Self::DecisionMade(DecisionAsn1 {
                decision: decision.clone(),
                rule: rule.clone(),
            }),
            Event::DocumentSigned {
                digest,
                signer_certificate,
            } => Self::DocumentSigned(SignedAsn1::new(digest, signer_certificate)?),
            Event::SealApplied {
                digest,
                signer_certificate,
            } => Self::SealApplied(SignedAsn1::new(digest, signer_certificate)?),
            Event::Retrieved { reason, what } => Self::Retrieved(RetrievedAsn1 {
                reason: reason.clone(),
                what: what.clone(),
            }),
            Event::AccessDenied { operation } => Self::AccessDenied(DeniedAsn1 {
                operation: *operation,
            }),
        })
    }

    fn into_event(self) -> Event {
        match self {
            Self::VerificationRecorded(r) => Event::VerificationRecorded {
                record: r.record.into(),
            },
            Self::DecisionMade(d) => Event::DecisionMade {
                decision: d.decision,
                rule: d.rule,
            },
            Self::DocumentSigned(s) => Event::DocumentSigned {
                digest: s.digest.into(),
                signer_certificate: s.signer_certificate.into(),
            },
            Self::SealApplied(s) => Event::SealApplied {
                digest: s.digest.into(),
                signer_certificate: s.signer_certificate.into(),
            },
            Self::Retrieved(r) => Event::Retrieved {
                reason: r.reason,
                what: r.what,
            },
            Self::AccessDenied(d) => Event::AccessDenied {
                operation: d.operation,
            },
        }
    }
}

impl SignedAsn1 {
    fn new(digest: &[u8], signer_certificate: &[u8]) -> der::Result<Self> {
        Ok(Self {
            digest: OctetString::new(digest.to_vec())?,
            signer_certificate: OctetString::new(signer_certificate.to_vec())?,
        })
    }
}
