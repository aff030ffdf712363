//! Evidence bundles: everything about one serial, checkable offline with the log's key.

use der::asn1::OctetString;
use der::pem::LineEnding;
use der::{Decode as _, Encode as _, Sequence};

use super::chain::check_chain;
use super::history::ProvenEntry;
use super::timestamp::{CheckpointTimestamp, invalid};
use super::{Checkpoint, Error, Event, Hash, History, LogVerifier, SM3, VerifiedCheckpoint};
use crate::tsp::{self, TimeStampToken};

/// The PEM label of an evidence bundle.
pub const BUNDLE_PEM_LABEL: &str = "SMTRUST EVIDENCE BUNDLE";

/// The largest bundle accepted, in bytes of DER.
pub const MAX_BUNDLE_LEN: usize = 64 << 20;

/// The most entries a bundle may hold (each costs an inclusion-proof check).
pub const MAX_BUNDLE_ENTRIES: usize = 100_000;

/// The most certificates a bundle may carry.
pub const MAX_BUNDLE_CERTIFICATES: usize = 1_000;

/// The bundle format version of a bundle without a checkpoint timestamp.
/// Version 2: entries carry the link to their serial's previous entry, and the entries of a
/// bundle must form the whole chain up to its newest one.
const VERSION: u8 = 2;

/// The bundle format version of a bundle with a checkpoint timestamp: version 2 and the
/// `checkpointToken` field. As with CMS SignedData's version (RFC 5652 §5.1), the content
/// decides: a bundle without a token is written as version 2, which every version 2 reader
/// still reads.
const VERSION_WITH_TOKEN: u8 = 3;

/// An evidence bundle, as DER. Made from a [`History`]; checked by
/// [`EvidenceBundle::verify`], which is the only way to read one.
///
/// ```text
/// EvidenceBundle ::= SEQUENCE {
///   version      INTEGER { v2(2), v3(3) },     -- v3 if and only if checkpointToken is present
///   serial       UTF8String,
///   checkpoint   OCTET STRING,                 -- the signed note, exactly as signed
///   entries      SEQUENCE OF BundleEntry,      -- increasing leaf order, a whole chain
///   certificates SEQUENCE OF OCTET STRING,     -- DER certificates, no duplicates
///   checkpointToken [0] IMPLICIT OCTET STRING OPTIONAL
///                                              -- RFC 3161 TimeStampToken DER whose imprint
///                                              -- hashes the checkpoint's signed note
/// }
/// BundleEntry ::= SEQUENCE {
///   leaf   INTEGER,
///   entry  OCTET STRING,                       -- the LedgerEntry DER, exactly as hashed
///   proof  SEQUENCE OF OCTET STRING (SIZE (32))  -- RFC 9162 inclusion proof
/// }
/// ```
///
/// Each entry links to its serial's previous entry ([`Link`](super::Link)); the entries of a
/// bundle must be the serial's whole chain up to its newest entry, [`VerifiedBundle::head`].
/// A bundle exported from a regulator's retrieval ends with that retrieval's `Retrieved`
/// entry.
///
/// The checkpoint's timestamp (version 3) proves that the checkpoint, and every entry proved
/// under it, existed at the token's genTime; see [`EvidenceBundle::verify_with_tsa`].
///
/// The PEM form armours the DER with the label `SMTRUST EVIDENCE BUNDLE`. The certificates
/// are the signer certificates the entries name, then any further ones the exporter adds (an
/// issuing chain); their validity is for the PKI to judge, the bundle only proves what the
/// log recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceBundle {
    der: Vec<u8>,
}

impl EvidenceBundle {
    /// The bundle's DER.
    pub fn to_der(&self) -> &[u8] {
        &self.der
    }

    /// The bundle as PEM, label [`BUNDLE_PEM_LABEL`].
    pub fn to_pem(&self) -> Result<String, Error> {
        der::pem::encode_string(BUNDLE_PEM_LABEL, LineEnding::LF, &self.der).map_err(|err| {
            Error::BundleMalformed {
                reason: err.to_string(),
            }
        })
    }

    /// Checks a DER bundle offline against the log's key: its layout and limits, the
    /// checkpoint's signature, each entry's inclusion proof, serial and order, that the
    /// entries form the serial's whole chain up to the newest one (each links to the one
    /// before it, the first to none: no entry was left out), and that every signer
    /// certificate an entry names is carried.
    ///
    /// A checkpoint timestamp is checked as far as it can be without TSA trust anchors: a
    /// token that does not stamp the checkpoint fails, one that does is reported
    /// [`CheckpointTimestamp::Unverified`]. [`EvidenceBundle::verify_with_tsa`] checks its
    /// TSA too.
    pub fn verify(der: &[u8], log: &LogVerifier) -> Result<VerifiedBundle, Error> {
        Self::verify_with_tsa(der, log, &tsp::VerifyOptions::new(Vec::new()))
    }

    /// As [`EvidenceBundle::verify`], and verifies the checkpoint's timestamp token, if the
    /// bundle carries one, with [`tsp::verify_token`] over the checkpoint's signed note and
    /// `tsa` (its trust anchors for TSA certificates): the message imprint (RFC 3161 §2.4.2),
    /// the TSA's CMS signature and ESS signingCertificate binding (§2.4.1), the critical
    /// timeStamping usage (§2.3) and the TSA's path to an anchor at genTime (§4.3). The result
    /// is [`VerifiedBundle::checkpoint_timestamp`]: the trusted time, or
    /// [`CheckpointTimestamp::Unverified`] when `tsa` holds no anchor.
    ///
    /// A token that fails is [`Error::CheckpointTimestampInvalid`] naming the checkpoint and
    /// the [`tsp::Error`] (e.g. [`tsp::Error::ImprintMismatch`] for a token over another
    /// checkpoint, [`tsp::Error::UntrustedTsa`], [`tsp::Error::TsaCertificateExpired`]).
    pub fn verify_with_tsa(
        der: &[u8],
        log: &LogVerifier,
        tsa: &tsp::VerifyOptions,
    ) -> Result<VerifiedBundle, Error> {
        if der.len() > MAX_BUNDLE_LEN {
            return Err(Error::BundleTooLarge {
                what: "bytes",
                count: der.len(),
                max: MAX_BUNDLE_LEN,
            });
        }
        let malformed = |reason: String| Error::BundleMalformed { reason };
        let asn1 = BundleAsn1::from_der(der).map_err(|err| malformed(err.to_string()))?;
        if asn1.to_der().map_err(|err| malformed(err.to_string()))? != der {
            return Err(malformed("the bundle is not in canonical DER".to_owned()));
        }
        match (asn1.version, &asn1.checkpoint_token) {
            (VERSION, None) | (VERSION_WITH_TOKEN, Some(_)) => {}
            (VERSION, Some(_)) => {
                return Err(malformed(format!(
                    "a version {VERSION} bundle carries no checkpoint timestamp; with one it is version {VERSION_WITH_TOKEN}"
                )));
            }
            (VERSION_WITH_TOKEN, None) => {
                return Err(malformed(format!(
                    "a version {VERSION_WITH_TOKEN} bundle carries a checkpoint timestamp; without one it is version {VERSION}"
                )));
            }
            (version, _) => {
                return Err(malformed(format!(
                    "bundle version {version} is not a supported version ({VERSION}, or {VERSION_WITH_TOKEN} with a checkpoint timestamp)"
                )));
            }
        }
        check_count("entries", asn1.entries.len(), MAX_BUNDLE_ENTRIES)?;
        check_count(
            "certificates",
            asn1.certificates.len(),
            MAX_BUNDLE_CERTIFICATES,
        )?;
        let checkpoint = log.verify(asn1.checkpoint.as_bytes())?;
        let token = asn1
            .checkpoint_token
            .as_ref()
            .map(|der| TimeStampToken::from_der(der.as_bytes()))
            .transpose()
            .map_err(|source| invalid(checkpoint.size(), source))?;
        let timestamp = match &token {
            None => CheckpointTimestamp::Absent,
            Some(token) => CheckpointTimestamp::check(
                checkpoint.note(),
                checkpoint.size(),
                token.clone(),
                tsa,
            )?,
        };
        let certificates: Vec<Vec<u8>> = asn1.certificates.into_iter().map(Vec::from).collect();
        let mut entries = Vec::with_capacity(asn1.entries.len());
        let mut previous: Option<u64> = None;
        for item in asn1.entries {
            if let Some(previous) = previous.filter(|&p| p >= item.leaf) {
                return Err(Error::BundleOrder {
                    index: item.leaf,
                    previous,
                });
            }
            previous = Some(item.leaf);
            let entry = check_entry(&checkpoint, &asn1.serial, item, &certificates)?;
            entries.push(entry);
        }
        check_chain(&entries)?;
        let (signer_certificates, extra) = certificates
            .into_iter()
            .partition(|certificate| entries.iter().any(|e| names(e, certificate)));
        Ok(VerifiedBundle {
            history: History::from_checked(checkpoint, asn1.serial, entries, token),
            signer_certificates,
            extra,
            timestamp,
        })
    }

    /// The log name a DER bundle's checkpoint claims (its origin line), unchecked: for
    /// building the [`LogVerifier`] when only the log's public key is known. The signature
    /// is still checked under that key by [`EvidenceBundle::verify`].
    pub fn claimed_log_name(der: &[u8]) -> Result<String, Error> {
        if der.len() > MAX_BUNDLE_LEN {
            return Err(Error::BundleTooLarge {
                what: "bytes",
                count: der.len(),
                max: MAX_BUNDLE_LEN,
            });
        }
        let asn1 = BundleAsn1::from_der(der).map_err(|err| Error::BundleMalformed {
            reason: err.to_string(),
        })?;
        let note = asn1.checkpoint.as_bytes();
        let origin = note
            .split(|&byte| byte == b'\n')
            .next()
            .and_then(|line| core::str::from_utf8(line).ok())
            .ok_or(Error::CheckpointMalformed {
                reason: "the origin line is not UTF-8",
            })?;
        Checkpoint::new(origin, 0, SM3.empty_root())?;
        Ok(origin.to_owned())
    }

    /// Checks a PEM bundle (label [`BUNDLE_PEM_LABEL`]) as [`EvidenceBundle::verify`] does.
    pub fn verify_pem(pem: &str, log: &LogVerifier) -> Result<VerifiedBundle, Error> {
        Self::verify(&Self::der_from_pem(pem)?, log)
    }

    /// A PEM bundle's DER (label [`BUNDLE_PEM_LABEL`]), not yet checked: for
    /// [`EvidenceBundle::claimed_log_name`] and [`EvidenceBundle::verify`].
    pub fn der_from_pem(pem: &str) -> Result<Vec<u8>, Error> {
        if pem.len() > MAX_BUNDLE_LEN.saturating_mul(2) {
            return Err(Error::BundleTooLarge {
                what: "bytes",
                count: pem.len(),
                max: MAX_BUNDLE_LEN.saturating_mul(2),
            });
        }
        let (label, der) =
            der::pem::decode_vec(pem.as_bytes()).map_err(|err| Error::BundleMalformed {
                reason: err.to_string(),
            })?;
        if label != BUNDLE_PEM_LABEL {
            return Err(Error::BundleMalformed {
                reason: format!("the PEM label is {label:?}, not {BUNDLE_PEM_LABEL:?}"),
            });
        }
        Ok(der)
    }
}

/// Whether `entry` names `certificate` as its signer's.
fn names(entry: &ProvenEntry, certificate: &[u8]) -> bool {
    signer_certificate(entry) == Some(certificate)
}

/// The signer certificate an entry names, if any.
fn signer_certificate(entry: &ProvenEntry) -> Option<&[u8]> {
    match entry.entry().event() {
        Event::DocumentSigned {
            signer_certificate, ..
        }
        | Event::SealApplied {
            signer_certificate, ..
        } => Some(signer_certificate),
        _ => None,
    }
}

fn check_count(what: &'static str, count: usize, max: usize) -> Result<(), Error> {
    if count > max {
        return Err(Error::BundleTooLarge { what, count, max });
    }
    Ok(())
}

/// Checks one bundle entry; errors name its leaf.
fn check_entry(
    checkpoint: &VerifiedCheckpoint,
    serial: &str,
    item: BundleEntryAsn1,
    certificates: &[Vec<u8>],
) -> Result<ProvenEntry, Error> {
    let index = item.leaf;
    let at_leaf = |err: Error| Error::LeafInvalid {
        index,
        source: Box::new(err),
    };
    let proof = item
        .proof
        .iter()
        .map(|hash| Hash::from_slice(hash.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(at_leaf)?;
    let proven =
        ProvenEntry::check(checkpoint, serial, index, item.entry.into(), proof).map_err(at_leaf)?;
    if let Some(certificate) = signer_certificate(&proven)
        && !certificates.iter().any(|c| c == certificate)
    {
        return Err(Error::BundleCertificateMissing { index });
    }
    Ok(proven)
}

impl History {
    /// The evidence bundle of this history: its entries and proofs, its signed checkpoint
    /// and the checkpoint's timestamp token if it has one, the signer certificates the
    /// entries name and then `extra_certificates` (e.g. their issuers), without duplicates.
    pub fn to_bundle(&self, extra_certificates: &[Vec<u8>]) -> Result<EvidenceBundle, Error> {
        let malformed = |err: der::Error| Error::BundleMalformed {
            reason: err.to_string(),
        };
        let mut certificates: Vec<&[u8]> = Vec::new();
        let named = self
            .entries()
            .iter()
            .filter_map(|e| match e.entry().event() {
                Event::DocumentSigned {
                    signer_certificate, ..
                }
                | Event::SealApplied {
                    signer_certificate, ..
                } => Some(signer_certificate.as_slice()),
                _ => None,
            });
        for certificate in named.chain(extra_certificates.iter().map(Vec::as_slice)) {
            if !certificates.contains(&certificate) {
                certificates.push(certificate);
            }
        }
        let entries = self
            .entries()
            .iter()
            .map(|e| {
                Ok(BundleEntryAsn1 {
                    leaf: e.index(),
                    entry: OctetString::new(e.der())?,
                    proof: e
                        .proof()
                        .iter()
                        .map(|h| OctetString::new(&h.as_bytes()[..]))
                        .collect::<der::Result<_>>()?,
                })
            })
            .collect::<der::Result<_>>()
            .map_err(malformed)?;
        let checkpoint_token = self
            .checkpoint_token()
            .map(|token| OctetString::new(token.der()))
            .transpose()
            .map_err(malformed)?;
        let asn1 = BundleAsn1 {
            version: if checkpoint_token.is_some() {
                VERSION_WITH_TOKEN
            } else {
                VERSION
            },
            serial: self.serial().to_owned(),
            checkpoint: OctetString::new(self.checkpoint().note()).map_err(malformed)?,
            entries,
            certificates: certificates
                .into_iter()
                .map(OctetString::new)
                .collect::<der::Result<_>>()
                .map_err(malformed)?,
            checkpoint_token,
        };
        let der = asn1.to_der().map_err(malformed)?;
        check_count("bytes", der.len(), MAX_BUNDLE_LEN)?;
        Ok(EvidenceBundle { der })
    }
}

/// An evidence bundle whose checkpoint, proofs and entries have been checked. Only
/// [`EvidenceBundle::verify`] makes one.
#[derive(Clone, Debug)]
pub struct VerifiedBundle {
    history: History,
    signer_certificates: Vec<Vec<u8>>,
    extra: Vec<Vec<u8>>,
    timestamp: CheckpointTimestamp,
}

impl VerifiedBundle {
    /// The signed checkpoint the proofs lead to.
    pub fn checkpoint(&self) -> &VerifiedCheckpoint {
        self.history.checkpoint()
    }

    /// The serial the bundle is about.
    pub fn serial(&self) -> &str {
        self.history.serial()
    }

    /// The checkpoint's timestamp: absent, present but its TSA unverified (no TSA trust
    /// anchor given), or verified with the trusted time at which the checkpoint, and every
    /// entry of the bundle, existed.
    pub fn checkpoint_timestamp(&self) -> &CheckpointTimestamp {
        &self.timestamp
    }

    /// The entries, each proved included, forming the serial's whole chain up to the head.
    pub fn entries(&self) -> &[ProvenEntry] {
        self.history.entries()
    }

    /// The bundle's content as JSON text, in the layout of [`History::to_json`] with one
    /// more member, `checkpoint_timestamp`: `null` without a token, else
    /// `{"status": "verified" | "unverified", "gen_time": RFC 3339, "tsa": SUBJECT | null,
    /// "trust_anchor": SUBJECT | null, "serial": HEX, "policy": OID, "imprint_algorithm":
    /// NAME}` — an unverified token's `gen_time` is the TSA's claim, and its `tsa` and
    /// `trust_anchor` are `null`.
    pub fn to_json(&self) -> String {
        super::json::bundle_json(&self.history, &self.timestamp)
    }

    /// The newest entry, which vouches for all the others: the bundle holds every entry of
    /// the serial up to this one. In a bundle exported from a regulator's retrieval it is
    /// that retrieval's `Retrieved` entry. `None` for a bundle without entries.
    pub fn head(&self) -> Option<&ProvenEntry> {
        self.history.entries().last()
    }

    /// The signer certificates the proved entries name, DER: the log vouches that these
    /// were recorded.
    pub fn signer_certificates(&self) -> &[Vec<u8>] {
        &self.signer_certificates
    }

    /// The further certificates the exporter added (e.g. issuers), DER. Nothing in the log
    /// vouches for them: anyone could have changed them, so only a PKI check against a trust
    /// anchor may give them meaning.
    pub fn unverified_extra_certificates(&self) -> &[Vec<u8>] {
        &self.extra
    }
}

#[derive(Sequence)]
struct BundleAsn1 {
    version: u8,
    serial: String,
    checkpoint: OctetString,
    entries: Vec<BundleEntryAsn1>,
    certificates: Vec<OctetString>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    checkpoint_token: Option<OctetString>,
}

#[derive(Sequence)]
struct BundleEntryAsn1 {
    leaf: u64,
    entry: OctetString,
    proof: Vec<OctetString>,
}
