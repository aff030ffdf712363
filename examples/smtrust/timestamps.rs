//! `ts query`, `ts reply`, `ts verify`: RFC 3161 time stamps (DER files), in the manner of
//! `openssl ts`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use smtrust::pki::{DigestAlgorithm, UnixTime};
use smtrust::sm2::SigningKey;
use smtrust::tsp::{
    Error, LocalTsa, TimeStampRequest, TimeStampResponse, TimeStampToken, VerifyOptions,
};

use crate::args::{IdArgs, PrivateKeyArgs};
use crate::io::{self, Failure, Outcome};

/// RFC 3161 / GB/T 20520 time stamps.
#[derive(Args)]
pub struct Ts {
    #[command(subcommand)]
    command: TsCommand,
}

#[derive(Subcommand)]
enum TsCommand {
    Query(Query),
    Reply(Reply),
    Verify(Verify),
}

impl Ts {
    pub fn run(self) -> Outcome {
        match self.command {
            TsCommand::Query(command) => command.run(),
            TsCommand::Reply(command) => command.run(),
            TsCommand::Verify(command) => command.run(),
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum DigestArg {
    Sm3,
    Sha256,
}

impl DigestArg {
    fn algorithm(self) -> DigestAlgorithm {
        match self {
            Self::Sm3 => DigestAlgorithm::Sm3,
            Self::Sha256 => DigestAlgorithm::Sha256,
        }
    }
}

/// Make a time-stamp request (DER) over the digest of the data, with a random 64-bit nonce
/// and certReq set.
#[derive(Args)]
struct Query {
    /// The data to be stamped (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// The message imprint's hash algorithm.
    #[arg(long, value_enum, default_value = "sm3")]
    digest: DigestArg,
    /// The request file (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The nonce as hex, instead of a random one.
    #[arg(long, conflicts_with = "no_nonce")]
    nonce_hex: Option<String>,
    /// No nonce.
    #[arg(long)]
    no_nonce: bool,
    /// The TSA policy to ask for (dotted OID).
    #[arg(long)]
    policy: Option<String>,
    /// Do not ask for the TSA certificate in the token.
    #[arg(long)]
    no_cert_req: bool,
}

impl Query {
    fn run(self) -> Outcome {
        let data = io::read_input(self.input.as_deref())?;
        let mut builder =
            TimeStampRequest::builder(self.digest.algorithm(), &data).cert_req(!self.no_cert_req);
        let nonce = match (&self.nonce_hex, self.no_nonce) {
            (Some(text), _) => Some(io::hex_arg("nonce-hex", text)?),
            (None, true) => None,
            (None, false) => {
                let mut random = [0u8; 8];
                getrandom::fill(&mut random)
                    .map_err(|err| Failure::input(format!("no randomness for the nonce: {err}")))?;
                // A non-zero first byte keeps the nonce 8 bytes long (63 random bits).
                if let Some(first) = random.first_mut() {
                    *first |= 0x40;
                }
                Some(random.to_vec())
            }
        };
        if let Some(nonce) = &nonce {
            builder = builder.nonce(nonce);
        }
        if let Some(policy) = &self.policy {
            builder = builder.policy(policy);
        }
        let request = builder.build().map_err(Failure::input)?;
        io::write_output(self.out.as_deref(), request.der(), false)
    }
}

/// Answer a request as a TSA with an SM2 key and its certificate (which must carry the
/// critical timeStamping extendedKeyUsage). Writes the token (DER), or the whole response
/// with `--response`. A request the TSA refuses exits 1 with the reason.
#[derive(Args)]
struct Reply {
    #[command(flatten)]
    key: PrivateKeyArgs,
    /// The TSA certificate (PEM or DER).
    #[arg(long)]
    cert: PathBuf,
    /// The request (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// Where to write the token (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the TimeStampResp instead of the token alone.
    #[arg(long)]
    response: bool,
    /// genTime, RFC 3339 (default now; milliseconds are kept).
    #[arg(long)]
    at: Option<String>,
    /// The token's serial number (default: the current time in microseconds).
    #[arg(long)]
    serial: Option<u64>,
    /// The TSA policy (dotted OID). The default is the example policy of OpenSSL's TSA
    /// configuration; an in-house TSA names its own.
    #[arg(long, default_value = "1.2.3.4.1")]
    policy: String,
    /// Sign as OpenSSL 3.0's `ts -verify` checks SM2: without Z (not GM/T 0010 SM2).
    #[arg(long)]
    without_z_for_openssl: bool,
    #[command(flatten)]
    id: IdArgs,
}

impl Reply {
    fn run(self) -> Outcome {
        let key = SigningKey::new(self.key.load()?, self.id.dist_id()?);
        let certificate = io::load_certificate(&self.cert)?;
        let request = io::read_input(self.input.as_deref())?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| Failure::input("the system clock is before 1970"))?;
        let at = match &self.at {
            Some(_) => Duration::from_secs(io::unix_seconds(self.at.as_deref())?),
            None => Duration::from_millis(u64::try_from(now.as_millis()).unwrap_or(u64::MAX)),
        };
        let serial = self
            .serial
            .unwrap_or_else(|| u64::try_from(now.as_micros()).unwrap_or(u64::MAX));
        let mut tsa = LocalTsa::new(&key, certificate, &self.policy)
            .map_err(|err| Failure::input(format!("{}: {err}", self.cert.display())))?
            .next_serial(serial);
        if self.without_z_for_openssl {
            tsa = tsa.sm2_without_z_for_openssl_interop_only();
        }
        let response = tsa.respond(&request, at).map_err(Failure::input)?;
        if self.response {
            return io::write_output(self.out.as_deref(), response.der(), false);
        }
        let token = response
            .into_token()
            .map_err(|err| Failure::verification(format!("the request was refused: {err}")))?;
        io::write_output(self.out.as_deref(), token.der(), false)
    }
}

/// Verify a token (or a response carrying one) over the data. Exit 0 valid, 1 invalid,
/// 3 when no trust anchor is given (the token is intact but its TSA unchecked).
#[derive(Args)]
struct Verify {
    /// The token or response (DER).
    token: PathBuf,
    /// The data that was stamped (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// A trusted root for TSA certificates (repeatable).
    #[arg(long)]
    ca: Vec<PathBuf>,
    /// A certificate to build the TSA's path with, or the TSA certificate when the token does
    /// not carry it (repeatable).
    #[arg(long)]
    untrusted: Vec<PathBuf>,
    /// The nonce the request carried, as hex.
    #[arg(long)]
    nonce_hex: Option<String>,
    /// The TSA policy required (dotted OID).
    #[arg(long)]
    policy: Option<String>,
    /// Check an SM2 token signature without Z, as OpenSSL 3.0 makes it (not GM/T 0010 SM2).
    #[arg(long)]
    without_z_for_openssl: bool,
    /// The SM2 ID of the token signature and of SM2 certificate signatures.
    #[command(flatten)]
    id: IdArgs,
}

impl Verify {
    fn run(self) -> Outcome {
        let der = io::read_input(Some(&self.token))?;
        let token = parse_token(&der)
            .map_err(|err| Failure::input(format!("{}: {err}", self.token.display())))?;
        let data = io::read_input(self.input.as_deref())?;
        let load = |paths: &[PathBuf]| {
            paths
                .iter()
                .map(|path| io::load_certificate(path))
                .collect::<Result<Vec<_>, _>>()
        };
        let id = self.id.dist_id()?;
        let mut options = VerifyOptions::new(load(&self.ca)?)
            .intermediates(load(&self.untrusted)?)
            .token_sm2_id(id.clone())
            .certificate_sm2_id(id);
        if let Some(nonce) = &self.nonce_hex {
            options = options.nonce(&io::hex_arg("nonce-hex", nonce)?);
        }
        if let Some(policy) = &self.policy {
            options = options.policy(policy);
        }
        if self.without_z_for_openssl {
            options = options.sm2_without_z_for_openssl_interop_only();
        }
        let info = token.info();
        match token.verify(&data, &options) {
            Ok(verified) => {
                println!("{}: OK", self.token.display());
                println!("genTime: {}", rfc3339(verified.gen_time()));
                println!("serial: {}", verified.serial_hex());
                println!("policy: {}", verified.policy());
                println!("TSA: {}", verified.tsa_certificate().subject());
                Ok(())
            }
            Err(Error::NoTrustAnchors) => {
                println!("genTime (unverified): {}", rfc3339(info.gen_time()));
                Err(Failure::indeterminate(
                    "no trust anchor given (--ca): the token is intact, its TSA was not checked",
                ))
            }
            Err(err) => Err(Failure::verification(format!(
                "{}: {err}",
                self.token.display()
            ))),
        }
    }
}

/// A token, or the token of a granted response.
fn parse_token(der: &[u8]) -> Result<TimeStampToken, Error> {
    match TimeStampToken::from_der(der) {
        Ok(token) => Ok(token),
        Err(token_error) => match TimeStampResponse::from_der(der) {
            Ok(response) => response.into_token(),
            Err(_) => Err(token_error),
        },
    }
}

fn rfc3339(time: UnixTime) -> String {
    der::DateTime::from_unix_duration(Duration::from_secs(time.as_secs()))
        .map(|date| date.to_string())
        .unwrap_or_else(|_| format!("{} s after 1970", time.as_secs()))
}
