//! `sign` and `verify`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use smtrust::sm2::{Signature, SigningKey, VerifyingKey};

use crate::io::{self, Failure, Outcome};

#[derive(Clone, Copy, ValueEnum)]
pub enum SigFormat {
    /// DER SEQUENCE { r, s }.
    Der,
    /// r‖s, 64 bytes.
    Raw,
    /// Whichever of the two the signature is (verify only).
    Auto,
}

/// Sign the input with SM2 (e = SM3(Z‖M), Z over the given ID).
#[derive(Args)]
pub struct Sign {
    /// The private key (PEM or DER).
    #[arg(long)]
    key: PathBuf,
    /// Password of an encrypted private key.
    #[arg(long)]
    pass: Option<String>,
    /// The signature encoding.
    #[arg(long, value_enum, default_value = "der")]
    sig_format: SigFormat,
    /// Signer ID as text (default 1234567812345678).
    #[arg(long)]
    id: Option<String>,
    /// Signer ID as hex.
    #[arg(long)]
    id_hex: Option<String>,
    /// The message (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// Where to write the signature (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the signature as hex.
    #[arg(long)]
    hex: bool,
}

impl Sign {
    pub fn run(self) -> Outcome {
        let key = io::load_secret_key(&self.key, self.pass.as_deref())?;
        let signer = SigningKey::new(
            key,
            io::dist_id(self.id.as_deref(), self.id_hex.as_deref())?,
        );
        let message = io::read_input(self.input.as_deref())?;
        let signature = signer.sign(&mut getrandom::SysRng, &message)?;
        let bytes = match self.sig_format {
            SigFormat::Der | SigFormat::Auto => signature.to_der(),
            SigFormat::Raw => signature.to_raw().to_vec(),
        };
        io::write_output(self.out.as_deref(), &bytes, self.hex)
    }
}

/// Verify an SM2 signature over the input.
#[derive(Args)]
pub struct Verify {
    /// The signer's public key (PEM, DER SPKI or a SEC1 point).
    #[arg(long)]
    pubkey: PathBuf,
    /// The signature (binary or hex).
    #[arg(long)]
    sig: PathBuf,
    /// The signature encoding.
    #[arg(long, value_enum, default_value = "auto")]
    sig_format: SigFormat,
    /// Signer ID as text (default 1234567812345678).
    #[arg(long)]
    id: Option<String>,
    /// Signer ID as hex.
    #[arg(long)]
    id_hex: Option<String>,
    /// The message (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
}

impl Verify {
    pub fn run(self) -> Outcome {
        let public = io::load_public_key(&self.pubkey)?;
        let verifier = VerifyingKey::new(
            public,
            io::dist_id(self.id.as_deref(), self.id_hex.as_deref())?,
        );
        let bytes = io::read_bytes_or_hex(&self.sig)?;
        let signature = match self.sig_format {
            SigFormat::Der => Signature::from_der(&bytes)?,
            SigFormat::Raw => Signature::from_raw(&bytes)?,
            SigFormat::Auto => {
                Signature::from_der(&bytes).or_else(|_| Signature::from_raw(&bytes))?
            }
        };
        let message = io::read_input(self.input.as_deref())?;
        match verifier.verify(&message, &signature) {
            Ok(()) => {
                println!("Signature verified with ID {:?}", verifier.id());
                Ok(())
            }
            Err(err) => Err(Failure::verification(format!(
                "{err} (ID {:?})",
                verifier.id()
            ))),
        }
    }
}
