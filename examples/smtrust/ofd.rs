//! `ofd verify`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use smtrust::ofd::{OfdError, Package, VerifyOptions};
use smtrust::pki::{Certificate, UnixTime};
use smtrust::seal::Verdict;

use crate::io::{self, Failure, Outcome};

/// OFD documents (GB/T 33190) and their seal and digital signatures.
#[derive(Args)]
pub struct Ofd {
    #[command(subcommand)]
    command: OfdCommand,
}

#[derive(Subcommand)]
enum OfdCommand {
    Verify(Verify),
}

impl Ofd {
    pub fn run(self) -> Outcome {
        match self.command {
            OfdCommand::Verify(command) => command.run(),
        }
    }
}

/// Verify every signature of an OFD package: references, seal or CMS signature, chains.
/// Prints one report per signature. Exit 0 valid, 1 invalid (or unsigned), 2 input error,
/// 3 indeterminate (e.g. no trust anchor given).
#[derive(Args)]
struct Verify {
    /// The OFD package.
    file: PathBuf,
    /// A trusted root certificate for the maker and signer chains (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// An intermediate certificate offered for path building (repeatable).
    #[arg(long)]
    untrusted: Vec<PathBuf>,
    /// The signer certificate of a bare SM2 signature that carries none (repeatable).
    #[arg(long)]
    signer_cert: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default: the signing time each signature claims).
    #[arg(long)]
    at: Option<String>,
    /// Accept a root without keyCertSign (legacy roots only, e.g. the ofdrw test root).
    #[arg(long)]
    legacy_root_without_key_cert_sign: bool,
    /// Print the report as JSON (`{"verdict": …, "signatures": […]}`).
    #[arg(long)]
    json: bool,
}

impl Verify {
    fn run(self) -> Outcome {
        let bytes = std::fs::read(&self.file)
            .map_err(|err| Failure::input(format!("{}: {err}", self.file.display())))?;
        let mut options = VerifyOptions::new()
            .trust_anchors(certificates(&self.ca)?)
            .intermediates(certificates(&self.untrusted)?)
            .signer_certificates(certificates(&self.signer_cert)?);
        if let Some(at) = self.at.as_deref() {
            let seconds = io::unix_seconds(Some(at))?;
            options = options.at(UnixTime::since_unix_epoch(Duration::from_secs(seconds)));
        }
        if self.legacy_root_without_key_cert_sign {
            options = options.accept_root_without_key_cert_sign_for_legacy_use_only();
        }
        let name = self.file.display();
        let package =
            Package::from_bytes(&bytes).map_err(|err| Failure::input(format!("{name}: {err}")))?;
        let report = package.verify(&options).map_err(|err| match err {
            OfdError::Unsigned => Failure::verification(format!("{name}: {err}")),
            other => Failure::input(format!("{name}: {other}")),
        })?;
        if self.json {
            println!("{}", report.to_json());
        } else {
            print!("{report}");
        }
        match report.verdict() {
            Verdict::Valid => Ok(()),
            Verdict::Invalid => Err(Failure::verification(format!(
                "{name}: invalid: {}",
                failing(&report)
            ))),
            Verdict::Indeterminate => Err(Failure::indeterminate(format!(
                "{name}: indeterminate: not every check could be made (trust anchors given: {})",
                self.ca.len()
            ))),
        }
    }
}

fn certificates(paths: &[PathBuf]) -> Result<Vec<Certificate>, Failure> {
    paths
        .iter()
        .map(|path| io::load_certificate(path))
        .collect()
}

/// "signature 2: references, data_hash; signature 4: signature" for the failed checks.
fn failing(report: &smtrust::ofd::PackageReport) -> String {
    report
        .signatures()
        .iter()
        .filter(|signature| signature.verdict() == Verdict::Invalid)
        .map(|signature| {
            let names: Vec<&str> = signature
                .report()
                .checks()
                .iter()
                .filter(|check| check.status == smtrust::seal::Status::Fail)
                .map(|check| check.name.as_str())
                .collect();
            format!("signature {} fails {}", signature.id(), names.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
