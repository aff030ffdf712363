//! `ledger`: the ledger keyed by business serial number, in an SQLite file.
//!
//! Reading a serial's data (`history`, `export-bundle`) is a regulator's retrieval: it is
//! first recorded in the ledger as a `Retrieved` entry with `--reason` and `--actor`, signed
//! with the log's signing key (`--log-signing-key`, by default `DB.log-key.pem`, which the
//! registration example writes beside its database).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use smtrust::trace::{
    self, Actor, CheckpointTimestamp, Event, EvidenceBundle, History, Ledger, LogSigner,
    LogVerifier, ProvenEntry, Role, SqliteStore, Store, VerifiedBundle, VerifiedCheckpoint,
};
use smtrust::tsp;

use crate::io::{self, Failure, Outcome};

/// The tamper-evident ledger: list serials, print the log key, retrieve a serial's history
/// or evidence bundle (the retrieval is logged first), prove a leaf's inclusion or two
/// checkpoints' consistency (an auditor's proofs: no entry content), verify the whole log or
/// a bundle.
///
/// Exit status: 0 success / valid; 1 the log or bundle fails verification (the reason names
/// the leaf, hash or link); 2 usage or input error; 3 (verify-bundle) the entries are proved
/// but the bundle does not end with the Retrieved entry of its export, so it does not show
/// that its retrieval was recorded. A bundle's checkpoint timestamp (RFC 3161) that does not
/// hold for its checkpoint, or whose TSA does not chain to a --tsa-ca root, is status 1.
#[derive(Args)]
pub struct LedgerCommand {
    /// The ledger's SQLite file (all subcommands but verify-bundle).
    #[arg(long)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Operation,
}

#[derive(Subcommand)]
enum Operation {
    /// Print every business serial in the ledger, one a line.
    Serials,
    /// Print the log's public key (PEM) as recorded in the database.
    LogKey,
    /// Retrieve everything about SERIAL (logged first as a Retrieved entry) and print it.
    History(HistoryArgs),
    /// Retrieve SERIAL (logged first) and write its evidence bundle.
    ExportBundle(ExportArgs),
    /// Prove that leaf LEAF is in a signed checkpoint, or with --from-size that an older
    /// checkpoint is a prefix of a newer one (RFC 9162 §2.1.3, §2.1.4); prints the proof's
    /// hashes after checking it. Shows no entry content, so it is not a retrieval.
    Prove(ProveArgs),
    /// Check the whole log from scratch: signatures, hashes, roots, serial index, links.
    Verify(VerifyArgs),
    /// Check an evidence bundle offline with the log's public key, and its checkpoint's
    /// timestamp (RFC 3161) against the --tsa-ca roots.
    VerifyBundle(VerifyBundleArgs),
}

/// Who retrieves, why, and the key that signs the log.
#[derive(Args)]
struct Retrieval {
    /// Why the data is retrieved; recorded in the ledger.
    #[arg(long)]
    reason: String,
    /// Who retrieves (a regulator's identifier); recorded in the ledger.
    #[arg(long)]
    actor: String,
    /// The log's signing key, PEM or DER (default: DB.log-key.pem).
    #[arg(long)]
    log_signing_key: Option<PathBuf>,
    /// Time of the retrieval, RFC 3339 (default now).
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args)]
struct HistoryArgs {
    /// The business serial number.
    serial: String,
    /// Print the history as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    retrieval: Retrieval,
}

#[derive(Args)]
struct ExportArgs {
    /// The business serial number.
    serial: String,
    /// Where to write the bundle.
    #[arg(long)]
    out: PathBuf,
    /// Write PEM (label SMTRUST EVIDENCE BUNDLE) instead of DER.
    #[arg(long)]
    pem: bool,
    #[command(flatten)]
    retrieval: Retrieval,
}

#[derive(Args)]
struct ProveArgs {
    /// The leaf (an entry's index in the log) to prove included.
    #[arg(required_unless_present = "from_size", conflicts_with = "from_size")]
    leaf: Option<u64>,
    /// Prove instead that the signed checkpoint of this many leaves is a prefix of the newer
    /// one.
    #[arg(long)]
    from_size: Option<u64>,
    /// The signed checkpoint to prove against, by its size (default: the latest).
    #[arg(long)]
    size: Option<u64>,
    /// The log's public key as published by its operator (default: the key recorded in
    /// the database).
    #[arg(long)]
    log_key: Option<PathBuf>,
}

#[derive(Args)]
struct VerifyArgs {
    /// The log's public key as published by its operator (default: the key recorded in
    /// the database, which whoever altered the database could have replaced).
    #[arg(long)]
    log_key: Option<PathBuf>,
}

#[derive(Args)]
struct VerifyBundleArgs {
    /// The evidence bundle, DER or PEM.
    file: PathBuf,
    /// The log's public key (PEM or DER).
    #[arg(long)]
    log_key: PathBuf,
    /// The log's name (default: the name the bundle's checkpoint states).
    #[arg(long)]
    log_name: Option<String>,
    /// A root certificate (PEM or DER) for the TSA of the checkpoint's timestamp; repeat for
    /// several. Without one, a timestamp is checked against the checkpoint but its TSA is not
    /// trusted, and its time is reported as unverified.
    #[arg(long = "tsa-ca")]
    tsa_ca: Vec<PathBuf>,
    /// Print the bundle as JSON (the layout of `history --json`, with
    /// `checkpoint_timestamp`).
    #[arg(long)]
    json: bool,
}

impl LedgerCommand {
    pub fn run(self) -> Outcome {
        if let Operation::VerifyBundle(args) = &self.command {
            return args.run();
        }
        let db = self
            .db
            .ok_or_else(|| Failure::input("give the ledger database with --db DB"))?;
        match self.command {
            Operation::Serials => serials(&db),
            Operation::LogKey => log_key(&db),
            Operation::History(args) => args.run(&db),
            Operation::ExportBundle(args) => args.run(&db),
            Operation::Prove(args) => args.run(&db),
            Operation::Verify(args) => args.run(&db),
            Operation::VerifyBundle(_) => Ok(()),
        }
    }
}

/// A ledger error as a failure: 1 when the log or its proofs fail a check, 2 otherwise.
fn failure(err: trace::Error) -> Failure {
    use trace::Error as E;
    match err {
        E::Storage { .. }
        | E::SchemaTooNew { .. }
        | E::LogMetadataMissing { .. }
        | E::LogMetadataUnreadable { .. }
        | E::LogMetadataMismatch { .. }
        | E::SerialInvalid { .. }
        | E::ReasonMissing
        | E::AccessDenied { .. }
        | E::LogNameInvalid { .. } => Failure::input(err),
        _ => Failure::verification(err),
    }
}

/// Opens an existing database (never creates one).
fn open_store(db: &Path) -> Result<SqliteStore, Failure> {
    if !db.is_file() {
        return Err(Failure::input(format!(
            "{}: no such ledger database",
            db.display()
        )));
    }
    SqliteStore::open(db).map_err(failure)
}

fn serials(db: &Path) -> Outcome {
    for serial in open_store(db)?.serials().map_err(failure)? {
        println!("{serial}");
    }
    Ok(())
}

fn log_key(db: &Path) -> Outcome {
    let log = LogVerifier::recorded_in(&open_store(db)?).map_err(failure)?;
    print!("{}", log.public_key().to_pem());
    Ok(())
}

impl Retrieval {
    /// Opens the ledger with the signing key and retrieves `serial` as a regulator: the
    /// Retrieved entry is committed before anything is returned.
    fn retrieve(&self, db: &Path, serial: &str) -> Result<History, Failure> {
        if self.reason.trim().is_empty() {
            return Err(failure(trace::Error::ReasonMissing));
        }
        let store = open_store(db)?;
        let recorded = LogVerifier::recorded_in(&store).map_err(failure)?;
        let key_path = self
            .log_signing_key
            .clone()
            .unwrap_or_else(|| default_signing_key(db));
        let key = io::load_secret_key(&key_path, None)?;
        let signer = LogSigner::new(recorded.name(), key).map_err(failure)?;
        if signer.verifier().public_key().to_spki_der() != recorded.public_key().to_spki_der() {
            return Err(Failure::input(format!(
                "{}: not the signing key of log {} (see `ledger log-key`)",
                key_path.display(),
                recorded.name()
            )));
        }
        let ledger = Ledger::open(store, signer).map_err(failure)?;
        let at = UNIX_EPOCH + Duration::from_secs(io::unix_seconds(self.at.as_deref())?);
        let actor = Actor::new(Role::Regulator, &self.actor);
        ledger
            .retrieve(&actor, serial, &self.reason, at)
            .map_err(failure)
    }
}

/// `DB.log-key.pem`: where the registration example writes the log's signing key.
fn default_signing_key(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".log-key.pem");
    PathBuf::from(name)
}

impl HistoryArgs {
    fn run(self, db: &Path) -> Outcome {
        let history = self.retrieval.retrieve(db, &self.serial)?;
        if self.json {
            println!("{}", history.to_json());
            return Ok(());
        }
        let checkpoint = history.checkpoint();
        println!(
            "{}: {} entries, proved against the signed checkpoint of {} leaves (root {})",
            history.serial(),
            history.entries().len(),
            checkpoint.size(),
            checkpoint.root()
        );
        for proven in history.entries() {
            println!("{}", describe(proven));
        }
        Ok(())
    }
}

impl ExportArgs {
    fn run(self, db: &Path) -> Outcome {
        let history = self.retrieval.retrieve(db, &self.serial)?;
        let bundle = history.to_bundle(&[]).map_err(failure)?;
        if self.pem {
            let pem = bundle.to_pem().map_err(failure)?;
            io::write_output(Some(&self.out), pem.as_bytes(), false)?;
        } else {
            io::write_output(Some(&self.out), bundle.to_der(), false)?;
        }
        println!(
            "{}: {} entries written to {}",
            history.serial(),
            history.entries().len(),
            self.out.display()
        );
        Ok(())
    }
}

/// The log's verifier: with the published key when given, else the one the database records.
fn log_verifier(store: &SqliteStore, log_key: Option<&Path>) -> Result<LogVerifier, Failure> {
    let recorded = LogVerifier::recorded_in(store).map_err(failure)?;
    match log_key {
        Some(path) => {
            LogVerifier::new(recorded.name(), io::load_public_key(path)?).map_err(failure)
        }
        None => Ok(recorded),
    }
}

/// The stored checkpoint of `size` leaves (the latest when `None`), its signature checked.
fn signed_checkpoint(
    store: &SqliteStore,
    log: &LogVerifier,
    size: Option<u64>,
) -> Result<VerifiedCheckpoint, Failure> {
    let note = match size {
        Some(size) => store.checkpoint(size),
        None => store.latest_checkpoint(),
    }
    .map_err(failure)?
    .ok_or_else(|| match size {
        Some(size) => Failure::input(format!(
            "the ledger has no signed checkpoint of {size} leaves"
        )),
        None => Failure::input("the ledger has no signed checkpoint"),
    })?;
    log.verify(&note).map_err(failure)
}

impl ProveArgs {
    fn run(self, db: &Path) -> Outcome {
        let store = open_store(db)?;
        let log = log_verifier(&store, self.log_key.as_deref())?;
        let checkpoint = signed_checkpoint(&store, &log, self.size)?;
        let proof = match (self.leaf, self.from_size) {
            (Some(leaf), _) => prove_leaf(&store, &checkpoint, leaf)?,
            (None, Some(old_size)) => {
                let older = signed_checkpoint(&store, &log, Some(old_size))?;
                if older.size() > checkpoint.size() {
                    return Err(Failure::input(format!(
                        "--from-size {old_size} is larger than the checkpoint of {} leaves",
                        checkpoint.size()
                    )));
                }
                let proof =
                    trace::prove_consistency(&trace::SM3, older.size(), checkpoint.size(), &store)
                        .map_err(failure)?;
                older
                    .check_consistency(&checkpoint, &proof)
                    .map_err(failure)?;
                println!(
                    "the signed checkpoint of {} leaves (root {}) is a prefix of the signed checkpoint of {} leaves (root {})",
                    older.size(),
                    older.root(),
                    checkpoint.size(),
                    checkpoint.root()
                );
                proof
            }
            (None, None) => return Err(Failure::input("give LEAF or --from-size SIZE")),
        };
        println!("proof: {} hashes", proof.len());
        for hash in proof {
            println!("{hash}");
        }
        Ok(())
    }
}

/// Proves and checks that leaf `leaf` is in `checkpoint`; prints what is proved.
fn prove_leaf(
    store: &SqliteStore,
    checkpoint: &VerifiedCheckpoint,
    leaf: u64,
) -> Result<Vec<trace::Hash>, Failure> {
    if leaf >= checkpoint.size() {
        return Err(Failure::input(format!(
            "leaf {leaf} is not in the signed checkpoint of {} leaves",
            checkpoint.size()
        )));
    }
    let stored = store.entries_at(&[leaf]).map_err(failure)?;
    let entry = stored
        .first()
        .ok_or_else(|| Failure::verification(format!("leaf {leaf} is missing from the ledger")))?;
    let leaf_hash = trace::SM3.hash_leaf(&entry.der);
    let proof =
        trace::prove_inclusion(&trace::SM3, checkpoint.size(), leaf, store).map_err(failure)?;
    trace::check_inclusion(
        &trace::SM3,
        &proof,
        checkpoint.size(),
        leaf,
        checkpoint.root(),
        &leaf_hash,
    )
    .map_err(failure)?;
    println!(
        "leaf {leaf} (serial {}, leaf hash {leaf_hash}) is in the signed checkpoint of {} leaves (root {})",
        entry.serial,
        checkpoint.size(),
        checkpoint.root()
    );
    Ok(proof)
}

impl VerifyArgs {
    fn run(self, db: &Path) -> Outcome {
        let store = open_store(db)?;
        let log = log_verifier(&store, self.log_key.as_deref())?;
        let checkpoint = trace::verify_log(&store, &log).map_err(failure)?;
        println!(
            "{}: OK, {} entries, root {}",
            db.display(),
            checkpoint.size(),
            checkpoint.root()
        );
        if self.log_key.is_none() {
            println!(
                "log key: as recorded in the database (key hash {}); give --log-key to check against the published key",
                hex::encode(log.key_hash())
            );
        }
        Ok(())
    }
}

impl VerifyBundleArgs {
    fn run(&self) -> Outcome {
        let data = io::read_input(Some(&self.file))?;
        let der = if data.starts_with(b"-----BEGIN") {
            let text = String::from_utf8(data)
                .map_err(|_| Failure::input("the PEM bundle is not text"))?;
            EvidenceBundle::der_from_pem(&text).map_err(Failure::verification)?
        } else {
            data
        };
        let name = match &self.log_name {
            Some(name) => name.clone(),
            None => EvidenceBundle::claimed_log_name(&der).map_err(Failure::verification)?,
        };
        let log = LogVerifier::new(&name, io::load_public_key(&self.log_key)?).map_err(failure)?;
        let anchors = self
            .tsa_ca
            .iter()
            .map(|path| io::load_certificate(path))
            .collect::<Result<Vec<_>, _>>()?;
        let bundle = EvidenceBundle::verify_with_tsa(&der, &log, &tsp::VerifyOptions::new(anchors))
            .map_err(|err| Failure::verification(format!("{}: {err}", self.file.display())))?;
        if self.json {
            println!("{}", bundle.to_json());
        } else {
            report(&bundle);
        }
        match bundle.head().map(|head| head.entry().event()) {
            Some(Event::Retrieved { .. }) => Ok(()),
            _ => Err(Failure::indeterminate(
                "the entries are proved, but the bundle does not end with a Retrieved entry: it does not show that its retrieval was recorded",
            )),
        }
    }
}

fn report(bundle: &VerifiedBundle) {
    let checkpoint = bundle.checkpoint();
    println!(
        "{}: OK, {} entries proved against the checkpoint of {} leaves of log {} (root {})",
        bundle.serial(),
        bundle.entries().len(),
        checkpoint.size(),
        checkpoint.checkpoint().origin(),
        checkpoint.root()
    );
    for proven in bundle.entries() {
        println!("{}", describe(proven));
    }
    if let Some(head) = bundle.head() {
        println!(
            "complete: every entry of {} up to leaf {} (each links to the one before it)",
            bundle.serial(),
            head.index()
        );
    }
    println!("{}", describe_timestamp(bundle.checkpoint_timestamp()));
    if !bundle.unverified_extra_certificates().is_empty() {
        println!(
            "{} further certificates carried, not vouched for by the log",
            bundle.unverified_extra_certificates().len()
        );
    }
}

/// One line about the checkpoint's timestamp: its trusted time and TSA, or that it is absent
/// or its TSA unverified.
fn describe_timestamp(timestamp: &CheckpointTimestamp) -> String {
    match timestamp {
        CheckpointTimestamp::Verified(verified) => format!(
            "checkpoint timestamp: {} (verified; TSA {} chaining to {}, serial {})",
            rfc3339(verified.gen_time().as_secs()),
            verified.tsa_certificate().subject(),
            verified.path().trust_anchor().subject(),
            verified.serial_hex()
        ),
        CheckpointTimestamp::Unverified(token) => format!(
            "checkpoint timestamp: {} claimed, not verified (give --tsa-ca: the token stamps this checkpoint, but its TSA was not checked)",
            rfc3339(token.info().gen_time().as_secs())
        ),
        _ => "checkpoint timestamp: none".to_owned(),
    }
}

fn rfc3339(seconds: u64) -> String {
    der::DateTime::from_unix_duration(Duration::from_secs(seconds))
        .map(|time| time.to_string())
        .unwrap_or_else(|_| format!("{seconds} s after 1970"))
}

/// One line about an entry: leaf, time, actor, kind and the event's text fields.
fn describe(proven: &ProvenEntry) -> String {
    let entry = proven.entry();
    let time = der::DateTime::from_system_time(entry.time())
        .map(|time| time.to_string())
        .unwrap_or_else(|_| format!("{:?}", entry.time().duration_since(SystemTime::UNIX_EPOCH)));
    let detail = match entry.event() {
        Event::VerificationRecorded { record } => format!("record of {} bytes", record.len()),
        Event::DecisionMade { decision, rule } => format!("{decision} (rule {rule})"),
        Event::DocumentSigned {
            digest,
            signer_certificate,
        }
        | Event::SealApplied {
            digest,
            signer_certificate,
        } => format!(
            "digest {}, signer certificate of {} bytes",
            hex::encode(digest),
            signer_certificate.len()
        ),
        Event::Retrieved { reason, what } => format!("{what}: {reason}"),
        Event::AccessDenied { operation } => format!("denied: {operation}"),
        _ => String::new(),
    };
    format!(
        "  leaf {:>6}  {time}  {} {}  {:?}  {detail}",
        proven.index(),
        entry.actor().role,
        entry.actor().id,
        entry.event().kind()
    )
}
