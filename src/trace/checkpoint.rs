//! Checkpoints: signed tree heads in the C2SP signed-note layout, signed with SM2.

use base64ct::{Base64, Encoding as _};

use super::{Error, Hash, SM3, check_consistency};
use crate::sm2::{DistId, PublicKey, SecretKey, Signature, SigningKey, VerifyingKey};

/// The largest signed note accepted, in bytes (the limit of Go's `sumdb/note`).
pub const MAX_NOTE_LEN: usize = 1_000_000;

/// The most signature lines a note may carry (the limit of Go's `sumdb/note`); each may cost
/// a signature verification.
pub const MAX_NOTE_SIGNATURES: usize = 100;

/// The signature-type byte hashed into the key hash: `0xFF`, for a type the signed-note spec
/// does not register.
const SIGNATURE_TYPE: u8 = 0xff;

/// What starts each signature line: an em dash and a space.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// The length of a raw SM2 signature, `r ‖ s`.
const RAW_SIGNATURE_LEN: usize = 64;

/// The longest log name accepted, in bytes.
const MAX_NAME_LEN: usize = 256;

/// An unsigned checkpoint: a log's name, its size and its root hash at that size.
///
/// Signed, it is a note in the C2SP signed-note layout (<https://c2sp.org/tlog-checkpoint>,
/// <https://c2sp.org/signed-note>) with an SM2 signature. A signed checkpoint of a log named `smtrust.example/ledger` holding 3 entries reads:
///
/// ```text
/// smtrust.example/ledger
/// 3
/// zP0H0jQYTgqXyVpQTQTd2rWsAR5HuZIHoz1aKzAlSwg=
///
/// — smtrust.example/ledger AbCdEf…base64…
/// ```
///
/// - The note text is the origin line, the tree size in decimal and the base64 root hash, each
///   ending in a newline. Extension lines are not written, and rejected when read.
/// - A blank line follows, then signature lines `— <key name> <base64(key hash ‖ signature)>`.
/// - The signature is SM2 (GB/T 32918.2) with the default ID `1234567812345678`, over the note
///   text, raw `r ‖ s` (64 bytes).
/// - The key hash is `SM3(key name ‖ 0x0A ‖ 0xFF ‖ SPKI DER)[0..4]`. The signed-note spec
///   defines key hashes as SHA-256 over `name ‖ 0x0A ‖ type ‖ key` for its registered
///   signature types; SM2 is not registered, so this log uses the type byte `0xFF`, which the
///   spec leaves for unregistered types, and SM3 as its hash.
/// - The log's key name is also the checkpoint's origin line: one name per log.
///
/// Parsing is strict: a note is accepted only if re-formatting what was read gives back the
/// very same bytes (no leading zeros, canonical base64, no extra lines), as Go's tlog does.
/// Only [`LogVerifier::verify`] builds a [`VerifiedCheckpoint`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    origin: String,
    size: u64,
    root: Hash,
}

impl Checkpoint {
    /// A checkpoint of the log `origin` at `size` leaves with root `root`.
    ///
    /// `origin` must be a valid log name: 1 to 256 bytes, no white space, no control
    /// characters and no `+` (the signed-note key-name rules).
    pub fn new(origin: &str, size: u64, root: Hash) -> Result<Self, Error> {
        check_log_name(origin)?;
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
        })
    }

    /// The log's name, the checkpoint's first line.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The number of leaves the checkpoint covers.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The root hash of the tree of the first [`size`](Self::size) leaves.
    pub fn root(&self) -> &Hash {
        &self.root
    }

    /// The note text that is signed: origin, size and base64 root, one per line.
    /// [`Checkpoint::from_text`] is the inverse.
    pub fn to_text(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            Base64::encode_string(self.root.as_bytes())
        )
    }

    /// Reads note text written by [`Checkpoint::to_text`], accepting only that exact layout.
    pub fn from_text(text: &str) -> Result<Self, Error> {
        let malformed = |reason| Error::CheckpointMalformed { reason };
        let body = text
            .strip_suffix('\n')
            .ok_or(malformed("the checkpoint text does not end with a newline"))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root), None) =
            (lines.next(), lines.next(), lines.next(), lines.next())
        else {
            return Err(malformed("the checkpoint text is not exactly three lines"));
        };
        check_log_name(origin).map_err(|_| malformed("the origin line is not a log name"))?;
        let size: u64 = size
            .parse()
            .map_err(|_| malformed("the size line is not a decimal number"))?;
        let root = Base64::decode_vec(root)
            .map_err(|_| malformed("the root line is not base64"))
            .and_then(|bytes| {
                Hash::from_slice(&bytes).map_err(|_| malformed("the root is not 32 bytes long"))
            })?;
        let checkpoint = Self {
            origin: origin.to_owned(),
            size,
            root,
        };
        if checkpoint.to_text() != text {
            return Err(malformed("the checkpoint text is not in canonical form"));
        }
        Ok(checkpoint)
    }
}

/// A log's signing key: its name and its SM2 key (bound to the default ID).
pub struct LogSigner {
    key: SigningKey,
    verifier: LogVerifier,
}

impl LogSigner {
    /// The signer of the log `name` with the SM2 private key `secret`.
    pub fn new(name: &str, secret: SecretKey) -> Result<Self, Error> {
        let key = SigningKey::new(secret, DistId::DEFAULT);
        let verifier = LogVerifier::new(name, *key.verifying_key().public_key())?;
        Ok(Self { key, verifier })
    }

    /// The verifier for this signer's checkpoints.
    pub fn verifier(&self) -> &LogVerifier {
        &self.verifier
    }

    /// Signs `checkpoint` and returns the signed note. The signature is deterministic
    /// (RFC 6979 nonces), so no randomness is needed.
    ///
    /// Fails with [`Error::OriginMismatch`] if the checkpoint is for another log.
    pub fn sign(&self, checkpoint: &Checkpoint) -> Result<Vec<u8>, Error> {
        self.sign_verified(checkpoint).map(|verified| verified.note)
    }

    /// Signs `checkpoint` for the log's own use: the signed note as a
    /// [`VerifiedCheckpoint`], which the log may trust without checking its own signature
    /// again (it holds the key that made it).
    pub(super) fn sign_verified(
        &self,
        checkpoint: &Checkpoint,
    ) -> Result<VerifiedCheckpoint, Error> {
        if checkpoint.origin != self.verifier.name {
            return Err(Error::OriginMismatch {
                expected: self.verifier.name.clone(),
                found: checkpoint.origin.clone(),
            });
        }
        let text = checkpoint.to_text();
        let signature = self
            .key
            .sign_deterministic(text.as_bytes())
            .map_err(|err| Error::SigningFailed {
                reason: err.to_string(),
            })?;
        let mut blob = Vec::with_capacity(4 + RAW_SIGNATURE_LEN);
        blob.extend_from_slice(&self.verifier.key_hash);
        blob.extend_from_slice(&signature.to_raw());
        let note = format!(
            "{text}\n{SIGNATURE_PREFIX}{} {}\n",
            self.verifier.name,
            Base64::encode_string(&blob)
        );
        Ok(VerifiedCheckpoint {
            checkpoint: checkpoint.clone(),
            note: note.into_bytes(),
        })
    }
}

impl core::fmt::Debug for LogSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LogSigner")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

/// A log's public identity: its name and SM2 public key. Checks signed checkpoints.
#[derive(Clone)]
pub struct LogVerifier {
    name: String,
    key: VerifyingKey,
    key_hash: [u8; 4],
}

impl LogVerifier {
    /// The verifier of the log `name` whose SM2 public key is `public_key`.
    pub fn new(name: &str, public_key: PublicKey) -> Result<Self, Error> {
        check_log_name(name)?;
        let mut hasher = crate::sm3::Hasher::new();
        hasher.update(name.as_bytes());
        hasher.update(&[b'\n', SIGNATURE_TYPE]);
        hasher.update(&public_key.to_spki_der());
        let digest = hasher.finalize();
        let mut key_hash = [0u8; 4];
        key_hash.copy_from_slice(digest.get(..4).unwrap_or(&[0; 4]));
        Ok(Self {
            name: name.to_owned(),
            key: VerifyingKey::new(public_key, DistId::DEFAULT),
            key_hash,
        })
    }

    /// The log's name: its checkpoints' origin and its key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The log's SM2 public key.
    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// The 4-byte key hash that starts each of the log's signatures.
    pub fn key_hash(&self) -> [u8; 4] {
        self.key_hash
    }

    /// Checks a signed note: its layout, its size and signature-count limits, that it
    /// carries a valid signature by this log's key, and that its text is a canonical
    /// checkpoint of this log.
    ///
    /// Signature lines by other keys are allowed (cosigners) and ignored; every line by this
    /// log's key must verify.
    pub fn verify(&self, note: &[u8]) -> Result<VerifiedCheckpoint, Error> {
        let malformed = |reason| Error::CheckpointMalformed { reason };
        if note.len() > MAX_NOTE_LEN {
            return Err(Error::NoteTooLarge {
                len: note.len(),
                max: MAX_NOTE_LEN,
            });
        }
        let note_text =
            core::str::from_utf8(note).map_err(|_| malformed("the note is not UTF-8"))?;
        let split = note_text
            .find("\n\n")
            .ok_or(malformed("no blank line ends the note text"))?;
        let (text, signatures) = note_text.split_at(split + 1);
        let signatures = signatures
            .strip_prefix('\n')
            .and_then(|block| block.strip_suffix('\n'))
            .ok_or(malformed("the signature lines do not end with a newline"))?;
        let mut ours = 0usize;
        for (count, line) in signatures.split('\n').enumerate() {
            if count >= MAX_NOTE_SIGNATURES {
                return Err(Error::TooManySignatures {
                    max: MAX_NOTE_SIGNATURES,
                });
            }
            if self.check_signature_line(text, line)? {
                ours += 1;
            }
        }
        if ours == 0 {
            return Err(Error::CheckpointNotSigned {
                key_name: self.name.clone(),
            });
        }
        let checkpoint = Checkpoint::from_text(text)?;
        if checkpoint.origin != self.name {
            return Err(Error::OriginMismatch {
                expected: self.name.clone(),
                found: checkpoint.origin,
            });
        }
        Ok(VerifiedCheckpoint {
            checkpoint,
            note: note.to_vec(),
        })
    }

    /// Checks one signature line; returns whether it is by this log's key.
    fn check_signature_line(&self, text: &str, line: &str) -> Result<bool, Error> {
        let malformed = |reason| Error::CheckpointMalformed { reason };
        let (name, encoded) = line
            .strip_prefix(SIGNATURE_PREFIX)
            .and_then(|rest| rest.split_once(' '))
            .ok_or(malformed("a signature line is not '— name signature'"))?;
        check_log_name(name).map_err(|_| malformed("a signature line's key name is invalid"))?;
        let blob =
            Base64::decode_vec(encoded).map_err(|_| malformed("a signature is not base64"))?;
        if Base64::encode_string(&blob) != encoded {
            return Err(malformed("a signature is not canonical base64"));
        }
        let (key_hash, signature) = blob
            .split_at_checked(4)
            .filter(|(_, signature)| !signature.is_empty())
            .ok_or(malformed("a signature is shorter than five bytes"))?;
        if name != self.name || key_hash != self.key_hash {
            return Ok(false);
        }
        let bad = || Error::CheckpointBadSignature {
            key_name: self.name.clone(),
        };
        let signature = Signature::from_raw(signature).map_err(|_| bad())?;
        self.key
            .verify(text.as_bytes(), &signature)
            .map_err(|_| bad())?;
        Ok(true)
    }
}

impl core::fmt::Debug for LogVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LogVerifier")
            .field("name", &self.name)
            .field("key_hash", &hex::encode(self.key_hash))
            .finish()
    }
}

/// A checkpoint whose signature by the log's key has been checked. Only
/// [`LogVerifier::verify`] makes one (and the log itself, for the checkpoints it has just
/// signed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCheckpoint {
    checkpoint: Checkpoint,
    note: Vec<u8>,
}

impl VerifiedCheckpoint {
    /// The checkpoint that was signed.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The number of leaves the checkpoint covers.
    pub fn size(&self) -> u64 {
        self.checkpoint.size
    }

    /// The signed root hash.
    pub fn root(&self) -> &Hash {
        &self.checkpoint.root
    }

    /// The signed note exactly as it was verified.
    pub fn note(&self) -> &[u8] {
        &self.note
    }

    /// Checks that `newer` extends this checkpoint's tree, with a consistency proof from
    /// [`prove_consistency`](super::prove_consistency) (RFC 9162 §2.1.4).
    pub fn check_consistency(
        &self,
        newer: &VerifiedCheckpoint,
        proof: &[Hash],
    ) -> Result<(), Error> {
        if newer.checkpoint.origin != self.checkpoint.origin {
            return Err(Error::OriginMismatch {
                expected: self.checkpoint.origin.clone(),
                found: newer.checkpoint.origin.clone(),
            });
        }
        if newer.size() < self.size() {
            return Err(Error::CheckpointsOutOfOrder {
                older: self.size(),
                newer: newer.size(),
            });
        }
        check_consistency(
            &SM3,
            proof,
            self.size(),
            newer.size(),
            self.root(),
            newer.root(),
        )
    }
}

/// Checks the signed-note key-name rules (which also make a valid single origin line).
fn check_log_name(name: &str) -> Result<(), Error> {
    let invalid = |reason| Error::LogNameInvalid {
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(invalid("a log name is 1 to 256 bytes long"));
    }
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '+')
    {
        return Err(invalid(
            "a log name holds no white space, control characters or '+'",
        ));
    }
    Ok(())
}
