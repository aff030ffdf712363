//! `keygen` and `pubkey`.

use std::path::PathBuf;

use clap::Args;
use smtrust::sm2::{KeyProtection, SecretKey};

use crate::args::{OutputArgs, PrivateKeyArgs};
use crate::io::{self, Outcome};

/// Make a new SM2 key pair (PKCS#8 PEM).
#[derive(Args)]
pub struct Keygen {
    /// Where to write the private key (default stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the public key (SPKI PEM) here.
    #[arg(long)]
    pubout: Option<PathBuf>,
    /// Protect the private key with this password (PBES2, PBKDF2-HMAC-SM3, SM4-CBC).
    #[arg(long)]
    pass: Option<String>,
}

impl Keygen {
    pub fn run(self) -> Outcome {
        let mut rng = getrandom::SysRng;
        let key = SecretKey::generate(&mut rng)?;
        let pem = match &self.pass {
            Some(password) => key
                .to_pkcs8_encrypted_pem(password.as_bytes(), &KeyProtection::default(), &mut rng)?
                .into_bytes(),
            None => key.to_pkcs8_pem().as_bytes().to_vec(),
        };
        io::write_output(self.out.as_deref(), &pem, false)?;
        if let Some(path) = &self.pubout {
            io::write_output(Some(path), key.public_key().to_pem().as_bytes(), false)?;
        }
        Ok(())
    }
}

/// Print the public key of a private key.
#[derive(Args)]
pub struct Pubkey {
    #[command(flatten)]
    key: PrivateKeyArgs,
    /// Write this encoding: `pem` (SPKI), `der` (SPKI), `point` (04‖x‖y) or `compressed`.
    #[arg(long, default_value = "pem")]
    format: String,
    #[command(flatten)]
    output: OutputArgs,
}

impl Pubkey {
    pub fn run(self) -> Outcome {
        let public = self.key.load()?.public_key();
        let bytes = match self.format.as_str() {
            "pem" => {
                return self.output.write_text(&public.to_pem());
            }
            "der" => public.to_spki_der(),
            "point" => public.to_uncompressed().to_vec(),
            "compressed" => public.to_compressed().to_vec(),
            other => {
                return Err(io::Failure::input(format!(
                    "unknown public key format {other}"
                )));
            }
        };
        self.output.write(&bytes)
    }
}
