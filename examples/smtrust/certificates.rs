//! `cert verify`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use smtrust::pki::{KeyUsages, RequiredUsage, UnixTime, VerifyOptions, verify_path};

use crate::args::IdArgs;
use crate::io::{self, Failure, Outcome};

/// X.509 certificates with SM2 and SM3.
#[derive(Args)]
pub struct Cert {
    #[command(subcommand)]
    command: CertCommand,
}

#[derive(Subcommand)]
enum CertCommand {
    Verify(Verify),
}

impl Cert {
    pub fn run(self) -> Outcome {
        match self.command {
            CertCommand::Verify(command) => command.run(),
        }
    }
}

/// Validate a certificate path (RFC 5280) up to a trust anchor. Exit 0 valid, 1 invalid,
/// 3 when no trust anchor is given.
#[derive(Args)]
struct Verify {
    /// The end-entity certificate (PEM or DER).
    #[arg(long)]
    cert: PathBuf,
    /// A trusted root certificate (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// An intermediate certificate that is not trusted by itself (repeatable).
    #[arg(long)]
    untrusted: Vec<PathBuf>,
    /// A CRL to check the end entity against (repeatable).
    #[arg(long)]
    crl: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default now).
    #[arg(long)]
    at: Option<String>,
    /// What the end entity's keyUsage must allow.
    #[arg(long, value_enum, default_value = "any")]
    usage: UsageArg,
    /// Accept a root without keyCertSign (legacy roots only).
    #[arg(long)]
    legacy_root_without_key_cert_sign: bool,
    #[command(flatten)]
    id: IdArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum UsageArg {
    Any,
    #[value(name = "digitalSignature")]
    DigitalSignature,
    #[value(name = "nonRepudiation")]
    NonRepudiation,
    /// digitalSignature or nonRepudiation.
    Signing,
    #[value(name = "keyEncipherment")]
    KeyEncipherment,
    #[value(name = "dataEncipherment")]
    DataEncipherment,
    #[value(name = "keyAgreement")]
    KeyAgreement,
}

impl UsageArg {
    fn required(self) -> RequiredUsage {
        match self {
            Self::Any => RequiredUsage::Any,
            Self::DigitalSignature => RequiredUsage::AllOf(KeyUsages::DIGITAL_SIGNATURE),
            Self::NonRepudiation => RequiredUsage::AllOf(KeyUsages::NON_REPUDIATION),
            Self::Signing => RequiredUsage::SIGNING,
            Self::KeyEncipherment => RequiredUsage::AllOf(KeyUsages::KEY_ENCIPHERMENT),
            Self::DataEncipherment => RequiredUsage::AllOf(KeyUsages::DATA_ENCIPHERMENT),
            Self::KeyAgreement => RequiredUsage::AllOf(KeyUsages::KEY_AGREEMENT),
        }
    }
}

impl Verify {
    fn run(self) -> Outcome {
        let end_entity = io::load_certificate(&self.cert)?;
        let intermediates = self
            .untrusted
            .iter()
            .map(|path| io::load_certificate(path))
            .collect::<Result<Vec<_>, _>>()?;
        let anchors = self
            .ca
            .iter()
            .map(|path| io::load_certificate(path))
            .collect::<Result<Vec<_>, _>>()?;
        let crls = self
            .crl
            .iter()
            .map(|path| io::load_crl(path))
            .collect::<Result<Vec<_>, _>>()?;
        let at =
            UnixTime::since_unix_epoch(Duration::from_secs(io::unix_seconds(self.at.as_deref())?));
        if anchors.is_empty() {
            println!("subject: {}", end_entity.subject());
            return Err(Failure::indeterminate(
                "no trust anchor given (--ca): the path was not checked",
            ));
        }
        let mut options = VerifyOptions::new(at)
            .sm2_id(self.id.dist_id()?)
            .require(self.usage.required())
            .crls(crls);
        if self.legacy_root_without_key_cert_sign {
            options = options.accept_root_without_key_cert_sign_for_legacy_use_only();
        }
        let path = verify_path(&end_entity, &intermediates, &anchors, &options)
            .map_err(|err| Failure::verification(format!("{}: {err}", self.cert.display())))?;
        println!("{}: OK", self.cert.display());
        for certificate in path.certificates() {
            println!("  {}", certificate.subject());
        }
        if !path.revocation_checked() {
            println!("revocation: not checked (no --crl)");
        }
        Ok(())
    }
}
