//! `cms sign` and `cms verify`: CMS SignedData with SM2 (RFC 5652, GM/T 0010).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use smtrust::pki::{
    CmsError, CmsOids, CmsSigner, CmsVerifyOptions, Encapsulation, RequiredUsage, SignedData,
    UnixTime, VerifyOptions,
};
use smtrust::sm2::SigningKey;

use crate::args::{IdArgs, OutputArgs, PrivateKeyArgs};
use crate::io::{self, Failure, Outcome};

/// CMS SignedData with SM2 and SM3 (e-signatures).
#[derive(Args)]
pub struct Cms {
    #[command(subcommand)]
    command: CmsCommand,
}

#[derive(Subcommand)]
enum CmsCommand {
    Sign(Sign),
    Verify(Verify),
}

impl Cms {
    pub fn run(self) -> Outcome {
        match self.command {
            CmsCommand::Sign(command) => command.run(),
            CmsCommand::Verify(command) => command.run(),
        }
    }
}

/// Sign data as CMS SignedData (DER): one signer, its certificate included, SM3 digest,
/// signed attributes. For `openssl cms -verify`, use `--id-hex "" --oids pkcs7`.
#[derive(Args)]
struct Sign {
    #[command(flatten)]
    key: PrivateKeyArgs,
    /// The signer's certificate (PEM or DER); its key must be --key.
    #[arg(long)]
    cert: PathBuf,
    /// The data to sign (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// Leave the content out of the SignedData.
    #[arg(long)]
    detached: bool,
    /// Object identifiers: GM/T 0010 (OFD systems) or PKCS#7 (OpenSSL).
    #[arg(long, value_enum, default_value = "gmt0010")]
    oids: OidsArg,
    /// The signing-time attribute, RFC 3339 (default now).
    #[arg(long)]
    signing_time: Option<String>,
    #[command(flatten)]
    id: IdArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum OidsArg {
    Gmt0010,
    Pkcs7,
}

impl Sign {
    fn run(self) -> Outcome {
        let signer = SigningKey::new(self.key.load()?, self.id.dist_id()?);
        let certificate = io::load_certificate(&self.cert)?;
        let content = io::read_input(self.input.as_deref())?;
        let signing_time = unix_time(io::unix_seconds(self.signing_time.as_deref())?);
        let oids = match self.oids {
            OidsArg::Gmt0010 => CmsOids::GmT0010,
            OidsArg::Pkcs7 => CmsOids::Pkcs7,
        };
        let encapsulation = if self.detached {
            Encapsulation::Detached
        } else {
            Encapsulation::Attached
        };
        let signed = CmsSigner::new(&signer, &certificate, oids)
            .encapsulation(encapsulation)
            .sign(&content, signing_time)
            .map_err(Failure::input)?;
        self.output.write(signed.der())
    }
}

/// Verify CMS SignedData: every signer's SM2 signature and signed attributes, and with --ca
/// the signer certificate's path. Exit 0 valid, 1 invalid, 2 input error, 3 when no --ca is
/// given (the signatures verified, the signer is not known to be trusted).
#[derive(Args)]
struct Verify {
    /// The SignedData (DER, PEM or hex; default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// The detached content the SignedData signs.
    #[arg(long)]
    content: Option<PathBuf>,
    /// A trusted root certificate (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// A CRL to check the signer against (repeatable).
    #[arg(long)]
    crl: Vec<PathBuf>,
    /// Validation time, RFC 3339 (default now).
    #[arg(long)]
    at: Option<String>,
    /// Write the attached content here.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    id: IdArgs,
}

impl Verify {
    fn run(self) -> Outcome {
        let signed = SignedData::from_der(&signed_data_bytes(self.input.as_deref())?)
            .map_err(Failure::input)?;
        let content = self
            .content
            .as_deref()
            .map(|path| io::read_input(Some(path)))
            .transpose()?;
        let id = self.id.dist_id()?;
        let mut options = CmsVerifyOptions::new().sm2_id(id.clone());
        if !self.ca.is_empty() {
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
            let at = unix_time(io::unix_seconds(self.at.as_deref())?);
            let path_options = VerifyOptions::new(at)
                .sm2_id(id)
                .require(RequiredUsage::SIGNING)
                .crls(crls);
            options = options.verify_path(anchors, path_options);
        }
        let verified = signed
            .verify(content.as_deref(), &options)
            .map_err(failure)?;
        if let Some(out) = &self.out {
            io::write_output(Some(out), verified.content(), false)?;
        }
        for signer in verified.signers() {
            println!("signer: {}", signer.certificate().subject());
            if let Some(time) = signer.signing_time() {
                println!(
                    "  signing time: {}",
                    smtrust::realname::UnixTime::from_secs(time.as_secs())
                );
            }
            for warning in signer.warnings() {
                println!("  warning: {warning:?}");
            }
            if let Some(path) = signer.path() {
                for certificate in path.certificates().iter().skip(1) {
                    println!("  chain: {}", certificate.subject());
                }
            }
        }
        if self.ca.is_empty() {
            return Err(Failure::indeterminate(
                "signatures OK, but no trust anchor given (--ca): the signer was not checked",
            ));
        }
        println!("verification: OK");
        Ok(())
    }
}

/// The SignedData's DER from a file or stdin: DER, PEM (`CMS` or `PKCS7`) or hex.
fn signed_data_bytes(path: Option<&std::path::Path>) -> Result<Vec<u8>, Failure> {
    let data = io::read_input(path)?;
    if !data.trim_ascii_start().starts_with(b"-----BEGIN ") {
        return Ok(io::decode_if_hex(data));
    }
    let (label, der) = der::pem::decode_vec(data.trim_ascii())
        .map_err(|err| Failure::input(format!("not a PEM block: {err}")))?;
    if label != "CMS" && label != "PKCS7" {
        return Err(Failure::input(format!(
            "the PEM label is {label}, not CMS or PKCS7"
        )));
    }
    Ok(der)
}

/// Reading and usage problems exit 2; a SignedData that does not verify exits 1.
fn failure(err: CmsError) -> Failure {
    match err {
        CmsError::Malformed { .. }
        | CmsError::TooLarge { .. }
        | CmsError::TooMany { .. }
        | CmsError::NotSignedData { .. }
        | CmsError::NoSigners
        | CmsError::UnsupportedDigestAlgorithm { .. }
        | CmsError::UnsupportedSignatureAlgorithm { .. }
        | CmsError::UnsupportedSignerIdentifier { .. }
        | CmsError::ContentMissing
        | CmsError::ContentGivenTwice => Failure::input(err),
        _ => Failure::verification(err),
    }
}

fn unix_time(seconds: u64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(seconds))
}
