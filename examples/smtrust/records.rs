//! `record verify`: signed real-name verification records (DOMAIN.md §2.2).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use smtrust::pki::{RequiredUsage, UnixTime, VerifyOptions as PathOptions};
use smtrust::realname::{Error, SignedRecord, VerifyOptions};

use crate::io::{self, Failure, Outcome};

/// Signed real-name verification records.
#[derive(Args)]
pub struct Record {
    #[command(subcommand)]
    command: RecordCommand,
}

#[derive(Subcommand)]
enum RecordCommand {
    Verify(Verify),
}

impl Record {
    pub fn run(self) -> Outcome {
        match self.command {
            RecordCommand::Verify(command) => command.run(),
        }
    }
}

/// Verify a signed verification record and print its JSON view (identity fields masked).
/// The institution is pinned by --pubkey or --cert, or its certificate validated with --ca.
/// Exit 0 valid, 1 invalid, 2 input error.
#[derive(Args)]
struct Verify {
    /// The signed record (DER or hex; default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// The institution's public key: the record must be signed with it.
    #[arg(long, conflicts_with = "cert")]
    pubkey: Option<PathBuf>,
    /// The institution's certificate: the record must be signed with its key.
    #[arg(long)]
    cert: Option<PathBuf>,
    /// A trusted root: the attached institution certificate must chain to it (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// An intermediate certificate for the chain (repeatable).
    #[arg(long)]
    untrusted: Vec<PathBuf>,
    /// A CRL to check the institution certificate against (repeatable).
    #[arg(long)]
    crl: Vec<PathBuf>,
    /// Validation time of the chain, RFC 3339 (default now).
    #[arg(long)]
    at: Option<String>,
}

impl Verify {
    fn run(self) -> Outcome {
        let der = io::decode_if_hex(io::read_input(self.input.as_deref())?);
        let signed = SignedRecord::from_der(&der).map_err(Failure::input)?;
        let mut options = VerifyOptions::new();
        if let Some(path) = &self.pubkey {
            options = options.with_pinned_key(io::load_public_key(path)?);
        }
        if let Some(path) = &self.cert {
            let certificate = io::load_certificate(path)?;
            let key = certificate
                .sm2_public_key()
                .map_err(|err| Failure::input(format!("{}: {err}", path.display())))?;
            options = options.with_pinned_key(key);
        }
        if self.pubkey.is_none() && self.cert.is_none() && self.ca.is_empty() {
            return Err(Failure::input(
                "give --pubkey, --cert or --ca: a record checked only against the certificate it \
                 carries proves nothing about who signed it",
            ));
        }
        if !self.ca.is_empty() {
            let load = |paths: &[PathBuf]| {
                paths
                    .iter()
                    .map(|path| io::load_certificate(path))
                    .collect::<Result<Vec<_>, _>>()
            };
            let crls = self
                .crl
                .iter()
                .map(|path| io::load_crl(path))
                .collect::<Result<Vec<_>, _>>()?;
            let at = UnixTime::since_unix_epoch(Duration::from_secs(io::unix_seconds(
                self.at.as_deref(),
            )?));
            let path_options = PathOptions::new(at)
                .require(RequiredUsage::SIGNING)
                .crls(crls);
            options = options.with_chain(load(&self.ca)?, load(&self.untrusted)?, path_options);
        }
        let verified = signed.verify(&options).map_err(failure)?;
        println!("{}", verified.record().to_json().map_err(Failure::input)?);
        Ok(())
    }
}

/// A record that does not verify exits 1; one that cannot be read exits 2.
fn failure(err: Error) -> Failure {
    match err {
        Error::BadSignature
        | Error::CertificateKeyMismatch { .. }
        | Error::CertificateDigestMismatch
        | Error::CertificateChain(_) => Failure::verification(err),
        _ => Failure::input(err),
    }
}
