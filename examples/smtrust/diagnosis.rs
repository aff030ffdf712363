//! `diagnose`.

use std::path::PathBuf;

use clap::Args;
use smtrust::sm2::{Hints, diagnose};

use crate::io::{self, Failure, Outcome};

/// Say what an SM2 blob most likely is (key format, signature encoding, ciphertext layout,
/// which ID makes a signature verify).
#[derive(Args)]
pub struct Diagnose {
    /// The blob, binary, hex or PEM (default stdin).
    #[arg(long = "in")]
    input: Option<PathBuf>,
    /// A public key, to check signatures with the default and the empty ID.
    #[arg(long)]
    pubkey: Option<PathBuf>,
    /// A private key, to find a ciphertext's layout by decrypting it.
    #[arg(long)]
    key: Option<PathBuf>,
    /// The signed message, to check signatures.
    #[arg(long)]
    msg: Option<PathBuf>,
}

impl Diagnose {
    pub fn run(self) -> Outcome {
        let blob = io::read_input(self.input.as_deref())?;
        let blob = if blob.trim_ascii_start().starts_with(b"-----BEGIN ") {
            blob
        } else {
            io::decode_if_hex(blob)
        };
        let public_key = self
            .pubkey
            .as_deref()
            .map(io::load_public_key)
            .transpose()?;
        let secret_key = self
            .key
            .as_deref()
            .map(|path| io::load_secret_key(path, None))
            .transpose()?;
        let message = self
            .msg
            .as_deref()
            .map(|path| io::read_input(Some(path)))
            .transpose()?;
        let hints = Hints {
            public_key: public_key.as_ref(),
            secret_key: secret_key.as_ref(),
            message: message.as_deref(),
        };
        let findings = diagnose(&blob, &hints);
        if findings.is_empty() {
            return Err(Failure::input(
                "not a key, signature or ciphertext of any SM2 format known",
            ));
        }
        for finding in findings {
            println!("{finding}");
        }
        Ok(())
    }
}
