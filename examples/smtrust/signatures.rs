//! `sign` and `verify`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use smtrust::sm2::{Signature, SigningKey, VerifyingKey};

use crate::args::{IdArgs, OutputArgs, PrivateKeyArgs};
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
    #[command(flatten)]
    key: PrivateKeyArgs,
    /// The signature encoding.
    #[arg(long, value_enum, default_value = "der")]
    sig_format: SigFormat,
    #[command(flatten)]
    id: IdArgs,
    /// The message (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

impl Sign {
    pub fn run(self) -> Outcome {
        let signer = SigningKey::new(self.key.load()?, self.id.dist_id()?);
        let message = io::read_input(self.input.as_deref())?;
        let signature = signer.sign(&mut getrandom::SysRng, &message)?;
        let bytes = match self.sig_format {
            SigFormat::Der | SigFormat::Auto => signature.to_der(),
            SigFormat::Raw => signature.to_raw().to_vec(),
        };
        self.output.write(&bytes)
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
    #[command(flatten)]
    id: IdArgs,
    /// The message (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
}

impl Verify {
    pub fn run(self) -> Outcome {
        let public = io::load_public_key(&self.pubkey)?;
        let verifier = VerifyingKey::new(public, self.id.dist_id()?);
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
