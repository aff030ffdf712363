//! Argument groups that several subcommands share, so that each flag means the same everywhere.

use std::path::PathBuf;

use clap::Args;
use smtrust::sm2::{DistId, SecretKey};

use crate::io::{self, Failure, Outcome};

/// `--key KEY [--pass PASSWORD]`: a private key in PEM or DER, possibly encrypted.
#[derive(Args)]
pub struct PrivateKeyArgs {
    /// The private key (PEM or DER: PKCS#8, SEC1, encrypted PKCS#8).
    #[arg(long)]
    key: PathBuf,
    /// Password of an encrypted private key.
    #[arg(long)]
    pass: Option<String>,
}

impl PrivateKeyArgs {
    pub fn load(&self) -> Result<SecretKey, Failure> {
        io::load_secret_key(&self.key, self.pass.as_deref())
    }
}

/// `--id TEXT | --id-hex HEX`: the SM2 distinguishing ID.
#[derive(Args)]
pub struct IdArgs {
    /// Signer ID as text (default 1234567812345678).
    #[arg(long, conflicts_with = "id_hex")]
    id: Option<String>,
    /// Signer ID as hex (`--id-hex ""` is the empty ID OpenSSL 3 uses by default).
    #[arg(long)]
    id_hex: Option<String>,
}

impl IdArgs {
    pub fn dist_id(&self) -> Result<DistId, Failure> {
        io::dist_id(self.id.as_deref(), self.id_hex.as_deref())
    }
}

/// `--out FILE [--hex]`: where binary output goes and how.
#[derive(Args)]
pub struct OutputArgs {
    /// Where to write the output (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write binary output as hex.
    #[arg(long)]
    hex: bool,
}

impl OutputArgs {
    pub fn write(&self, data: &[u8]) -> Outcome {
        io::write_output(self.out.as_deref(), data, self.hex)
    }

    /// Writes text such as PEM, never as hex.
    pub fn write_text(&self, text: &str) -> Outcome {
        io::write_output(self.out.as_deref(), text.as_bytes(), false)
    }
}
